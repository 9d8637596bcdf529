//! Text from peers (units, mDNS, the leader's API, config.ini) made safe to print: a leaf that
//! every layer may use, so that escaping is never a reason to import `output`.

use std::borrow::Cow;

/// Text for a terminal: every control character but the line break (C0, DEL, C1) written as an
/// escape (`\x1b`, `\u{9b}`), so that nothing a unit, mDNS, the leader's API or config.ini says
/// can move the cursor, clear the screen or retitle the window. Human output goes through it:
/// tables, [`data`], narration and errors (the crate's `eprintln!`).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// [`escape_controls`] for one line, such as a table cell: a line break is escaped too.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

fn escape(text: &str, keep_newline: bool) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_newline && c == '\n');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match u32::from(c) {
            _ if !bad(c) => out.push(c),
            n @ 0..=0x7f => out.push_str(&format!("\\x{n:02x}")),
            n => out.push_str(&format!("\\u{{{n:x}}}")),
        }
    }
    Cow::Owned(out)
}
