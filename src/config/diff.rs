//! A unified diff of two texts, for `--dry-run`: what pio would change in config.ini.
//!
//! pio's edits touch a few lines of a file, so the common head and tail are trimmed first and only
//! the small middle goes through a longest-common-subsequence table.

/// One line of the middle section's edit script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Keep(usize, usize),
    Delete(usize),
    Insert(usize),
}

const CONTEXT: usize = 3;
/// Above this many cells the middle is shown as a whole replacement instead.
const MAX_TABLE: usize = 4_000_000;

fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn edit_script(old: &[&str], new: &[&str]) -> Vec<Op> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Keep(i, i)).collect();
    if (a.len() + 1) * (b.len() + 1) > MAX_TABLE {
        ops.extend((0..a.len()).map(|i| Op::Delete(head + i)));
        ops.extend((0..b.len()).map(|j| Op::Insert(head + j)));
    } else {
        // lcs[i][j]: length of the LCS of a[i..] and b[j..].
        let w = b.len() + 1;
        let mut lcs = vec![0u32; (a.len() + 1) * w];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i * w + j] = if a[i] == b[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                ops.push(Op::Keep(head + i, head + j));
                i += 1;
                j += 1;
            } else if i < a.len() && (j == b.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                // Deletions first, as diff(1) shows a replaced line.
                ops.push(Op::Delete(head + i));
                i += 1;
            } else {
                ops.push(Op::Insert(head + j));
                j += 1;
            }
        }
    }
    let (old_len, new_len) = (old.len(), new.len());
    ops.extend((0..tail).map(|k| Op::Keep(old_len - tail + k, new_len - tail + k)));
    ops
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    match line.strip_suffix('\n') {
        Some(body) => {
            out.push_str(body.strip_suffix('\r').unwrap_or(body));
            out.push('\n');
        }
        None => {
            out.push_str(line);
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// The unified diff from `old` to `new` of the file at `path`; empty when they are equal.
/// An empty `old` is a file that does not exist yet (`/dev/null`, as diff(1) shows it).
pub fn unified(old: &str, new: &str, path: &str) -> String {
    if old == new {
        return String::new();
    }
    let from = if old.is_empty() { "/dev/null" } else { path };
    let (a, b) = (split_lines(old), split_lines(new));
    let ops = edit_script(&a, &b);
    let mut out = format!("--- {from}\n+++ {path}\n");
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Keep(..)))
        .map(|(k, _)| k)
        .collect();
    let mut k = 0;
    while k < changed.len() {
        // Grow a hunk while the next change is within two contexts of the previous one.
        let start = changed[k].saturating_sub(CONTEXT);
        let mut last = changed[k];
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let end = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[start..end];
        let first_old = hunk.iter().find_map(|op| match op {
            Op::Keep(i, _) | Op::Delete(i) => Some(*i),
            Op::Insert(_) => None,
        });
        let first_new = hunk.iter().find_map(|op| match op {
            Op::Keep(_, j) | Op::Insert(j) => Some(*j),
            Op::Delete(_) => None,
        });
        let old_count = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_count = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        // Unified diff numbers lines from 1; an empty side names the line before it.
        let pos = |first: Option<usize>, count: usize| match (first, count) {
            (_, 0) => format!("{},0", first.map_or(0, |f| f)),
            (Some(f), 1) => format!("{}", f + 1),
            (Some(f), n) => format!("{},{n}", f + 1),
            (None, n) => format!("0,{n}"),
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            pos(first_old, old_count),
            pos(first_new, new_count)
        ));
        for op in hunk {
            match *op {
                Op::Keep(i, _) => push_line(&mut out, ' ', a[i]),
                Op::Delete(i) => push_line(&mut out, '-', a[i]),
                Op::Insert(j) => push_line(&mut out, '+', b[j]),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\n", "a\n", "x"), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        assert_eq!(
            unified(old, new, "config.ini"),
            "--- config.ini\n+++ config.ini\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn insertion_into_an_empty_file() {
        assert_eq!(
            unified("", "a\n", "c"),
            "--- /dev/null\n+++ c\n@@ -0,0 +1 @@\n+a\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (0..30).map(|i| format!("{i}\n")).collect();
        let new = old.replace("\n3\n", "\nthree\n").replace("\n25\n", "\n");
        let d = unified(&old, &new, "c");
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(d.contains("-3\n+three\n") && d.contains("-25\n"));
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified("a\nb", "a\nb\nc", "c");
        assert!(
            d.contains("-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline"),
            "{d}"
        );
    }
}
