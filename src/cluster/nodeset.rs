//! Node sets as ClusterShell writes them: `pio[01-08]`, `pio[01-03,07]`, `a,b`, and mixes.

/// Expands one command-line argument into unit names, in the order written. Zero padding of a
/// range's first number is kept (`pio[01-10]` gives `pio01` ... `pio10`).
pub fn expand(arg: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for part in split_top_level(arg)? {
        if part.is_empty() {
            continue;
        }
        expand_one(part, &mut names)?;
    }
    if names.is_empty() {
        return Err(format!("'{arg}' names no unit"));
    }
    Ok(names)
}

/// The most names one argument may expand to, and all of a command's arguments together
/// (`select_units`): more than any cluster, and a bound on memory (`a[0-10000]b[0-10000]` would
/// be 10^8 names).
pub const MAX_NAMES: usize = 10_000;

/// Splits at commas that are not inside brackets.
fn split_top_level(arg: &str) -> Result<Vec<&str>, String> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in arg.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&arg[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return Err(format!("'{arg}': unbalanced or nested brackets"));
        }
    }
    if depth != 0 {
        return Err(format!("'{arg}': a '[' is not closed"));
    }
    parts.push(&arg[start..]);
    Ok(parts)
}

fn expand_one(part: &str, out: &mut Vec<String>) -> Result<(), String> {
    let Some(open) = part.find('[') else {
        out.push(part.to_string());
        return Ok(());
    };
    let close = part.find(']').expect("brackets were balanced");
    let (prefix, ranges, suffix) = (&part[..open], &part[open + 1..close], &part[close + 1..]);
    let mut tails = Vec::new();
    expand_one(suffix, &mut tails)?;
    for range in ranges.split(',') {
        let (lo, hi) = range.split_once('-').unwrap_or((range, range));
        let bad = || format!("'{part}': '{range}' is not a number or a range like 01-08");
        if lo.is_empty() || !lo.bytes().chain(hi.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (a, b): (u32, u32) = (
            lo.parse().map_err(|_| bad())?,
            hi.parse().map_err(|_| bad())?,
        );
        if a > b {
            return Err(format!("'{part}': the range {range} runs backwards"));
        }
        if b - a > 10_000 {
            return Err(format!("'{part}': the range {range} is too large"));
        }
        let count = (b - a + 1) as usize * tails.len();
        if out.len() + count > MAX_NAMES {
            return Err(format!("'{part}' names more than {MAX_NAMES} units"));
        }
        for n in a..=b {
            for tail in &tails {
                out.push(format!("{prefix}{n:0width$}{tail}", width = lo.len()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_padding() {
        assert_eq!(
            expand("pio[01-03,07]").unwrap(),
            ["pio01", "pio02", "pio03", "pio07"]
        );
        assert_eq!(expand("pio[8-10]").unwrap(), ["pio8", "pio9", "pio10"]);
        assert_eq!(expand("pio[09-10]").unwrap(), ["pio09", "pio10"]);
        assert_eq!(expand("a,b[1-2],c").unwrap(), ["a", "b1", "b2", "c"]);
        assert_eq!(
            expand("rack[1-2]-pio[1-2]").unwrap(),
            ["rack1-pio1", "rack1-pio2", "rack2-pio1", "rack2-pio2"]
        );
        assert_eq!(expand("solo").unwrap(), ["solo"]);
    }

    #[test]
    fn malformed_sets_are_refused() {
        for bad in [
            "pio[01-",
            "pio]",
            "pio[a-b]",
            "pio[3-1]",
            "pio[[1]]",
            "pio[]",
            "pio[1-99999]",
            ",",
            "",
            "a[0-10000]b[0-10000]",
        ] {
            assert!(expand(bad).is_err(), "{bad}");
        }
    }
}
