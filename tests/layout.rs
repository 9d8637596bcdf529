//! The source's shape, as DEVELOPERS.md describes it: data flows one way (no import circle
//! between pio's modules), `cli` is read only where arguments are, commands are their steps (no
//! era or release branch, no function over 80 lines), and no file grows past 650 lines of code.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The top-level module a source file belongs to (`remote/action.rs` -> `remote`).
fn module_of(rel: &str) -> String {
    rel.split('/')
        .next()
        .unwrap()
        .trim_end_matches(".rs")
        .to_string()
}

/// The code of a file: no comments, no blank lines, no `#[cfg(test)]` module.
fn code(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let t = line.trim();
        if !t.is_empty() && !t.starts_with("//") {
            lines.push(line);
        }
    }
    lines
}

/// A Pioreactor release written in a line (`26.4`, `24.5.1`: a two-digit year from 15, a
/// month), not part of a longer number or name (`127.0.0.1`, `v1.26.4`).
fn release_number(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || b"._".contains(&bytes[i - 1])));
        if !starts {
            i += 1;
            continue;
        }
        let end = (i..bytes.len())
            .find(|&j| !(bytes[j].is_ascii_digit() || bytes[j] == b'.'))
            .unwrap_or(bytes.len());
        let run = line[i..end].trim_end_matches('.');
        let parts: Vec<&str> = run.split('.').collect();
        let number = |k: usize| parts.get(k).and_then(|p| p.parse::<u32>().ok());
        let is_release = (2..=3).contains(&parts.len())
            && parts[0].len() == 2
            && number(0).is_some_and(|y| y >= 15)
            && number(1).is_some_and(|m| (1..=12).contains(&m))
            && parts[1].len() <= 2;
        if is_release {
            return Some(run);
        }
        i = end;
    }
    None
}

#[test]
fn release_numbers_are_found_where_written() {
    assert_eq!(release_number(r#"by_release("26.11.0"),"#), Some("26.11.0"));
    assert_eq!(release_number("(Pioreactor 24.4 or later)"), Some("24.4"));
    assert_eq!(release_number("a 26.4 unit."), Some("26.4"));
    for none in [
        "127.0.0.1",
        "60.0",
        "Duration::from_secs(30)",
        "v1.26.4",
        "1.5 s",
        "x26.4",
    ] {
        assert_eq!(release_number(none), None, "{none}");
    }
}

/// `crate::<module>` named in a file's code.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code(text) {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn modules_import_one_way() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources() {
        let from = module_of(&rel);
        if from == "lib" || from == "main" {
            continue;
        }
        let to = imports(&text);
        graph
            .entry(from.clone())
            .or_default()
            .extend(to.into_iter().filter(|m| *m != from));
    }
    // Depth-first search for a circle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            panic!("import circle: {} -> {m}", path[i..].join(" -> "));
        }
        if done.contains(m) {
            return;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(m.to_string());
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn cli_is_read_only_where_arguments_are() {
    for (rel, text) in sources() {
        let allowed = rel == "lib.rs"
            || rel == "main.rs"
            || rel == "context.rs"
            || rel == "docs.rs"
            || rel.starts_with("cli/")
            || rel.starts_with("commands/");
        assert!(
            allowed || !imports(&text).contains("cli"),
            "{rel} imports crate::cli"
        );
    }
}

#[test]
fn commands_are_their_steps() {
    // The inventory's era and a unit's release are decided below the commands.
    let branches = [
        "Era::",
        ".era()",
        "needs()",
        "UnitConfig::",
        "InventoryPlace",
        "Source::",
    ];
    for (rel, text) in sources()
        .into_iter()
        .filter(|(r, _)| r.starts_with("commands/"))
    {
        for line in code(&text) {
            for b in branches {
                assert!(!line.contains(b), "{rel}: `{b}` in `{}`", line.trim());
            }
            // Releases are named by the release table (`release::first_with`, `setup_spans`).
            if let Some(release) = release_number(line) {
                panic!("{rel}: the release {release} written in `{}`", line.trim());
            }
        }
        // No function over 80 lines.
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let indent = &line[..line.len() - t.len()];
            let is_fn = ["fn ", "pub fn ", "pub(super) fn ", "pub(crate) fn "]
                .iter()
                .any(|p| t.starts_with(p));
            if !is_fn || line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let end = lines[i..]
                .iter()
                .position(|l| *l == close)
                .unwrap_or_else(|| panic!("{rel}:{}: no end of function", i + 1));
            assert!(end < 80, "{rel}:{}: a function of {} lines", i + 1, end + 1);
        }
    }
}

#[test]
fn no_file_over_650_lines_of_code() {
    for (rel, text) in sources() {
        let n = code(&text).len();
        assert!(n <= 650, "{rel}: {n} lines of code");
    }
}
