//! A format-preserving INI document that reads lines the way Python's `configparser` does.
//!
//! config.ini is shared with the Python side of the Pioreactor stack and holds operators' notes in
//! comments, so an edit must change only the lines it means to change. The document is the file's
//! text plus an index of where lines, sections and keys are (byte ranges, no copies, so a leader
//! with ten thousand workers parses in about a millisecond). An edit splices the text and indexes
//! it again.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// One line as Python reads a file opened in text mode (universal newlines): `text[start..end]`
/// is its content, `text[end..next]` its line ending (`\n`, `\r\n`, a lone `\r`, or nothing for a
/// last line without a final newline). Other characters `str.splitlines` breaks at (`\x0b`,
/// `\x0c`, `\x1c`-`\x1e`, `\x85`, U+2028, U+2029) do not end a line for `configparser`: it
/// iterates the file object, not `splitlines()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
    next: u32,
}

impl Span {
    fn content(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    /// Whether the line has no line ending (the last line of a file without a final newline).
    fn is_open(self) -> bool {
        self.next == self.end
    }
}

/// A `key=value` (or `key: value`, or bare `key`) entry and the lines it spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    key: Range<u32>,
    /// The value on the key's own line, stripped; `NO_VALUE` for a bare key. (Not an Option:
    /// that would make every entry 4 bytes larger, and a leader may list thousands.)
    value: Range<u32>,
    /// Index of the key's line.
    line: u32,
    /// Index of the last line that belongs to the value (the key's line when it has none).
    last_line: u32,
}

/// The value range of a bare key (`key` with no `=`).
const NO_VALUE: Range<u32> = u32::MAX..u32::MAX;

impl Entry {
    fn value_range(&self) -> Option<Range<u32>> {
        (self.value != NO_VALUE).then(|| self.value.clone())
    }

    /// Index (0-based) of the key's line.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// Index of the last line that belongs to the value (the key's line when it has none).
    pub fn last_line(&self) -> usize {
        self.last_line as usize
    }
}

/// A section header and the entries under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    name: Range<u32>,
    /// Index of the `[name]` line.
    pub header_line: usize,
    /// Index one past the section's last line (the next header, or the end of the file).
    pub end: usize,
    /// The section's entries, as a range of the document's entry list.
    entries: Range<u32>,
}

/// Why a text is not a config.ini that Python's `configparser` would read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A key/value line before any `[section]` header.
    MissingSectionHeader { line: usize },
    /// A line whose key is empty, such as `=1`.
    EmptyKey { line: usize },
    /// A line indented deeper than the key without a value before it: configparser would read it
    /// as that key's continuation and fails.
    ContinuedBareKey { line: usize },
    /// The same section header twice.
    DuplicateSection {
        name: String,
        first: usize,
        second: usize,
    },
    /// The same key twice in one section.
    DuplicateKey {
        section: String,
        key: String,
        first: usize,
        second: usize,
    },
}

impl fmt::Display for ParseError {
    /// Without the line number, which callers show as `path:line:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::MissingSectionHeader { .. } => {
                write!(f, "a key before any [section] header")
            }
            ParseError::EmptyKey { .. } => write!(f, "a value without a key"),
            ParseError::ContinuedBareKey { .. } => write!(
                f,
                "an indented line after a key without a value (Python reads it as a continuation of that key, which has no value to continue)"
            ),
            ParseError::DuplicateSection { name, first, .. } => write!(
                f,
                "section [{name}] appears again (first on line {})",
                first + 1
            ),
            ParseError::DuplicateKey {
                section,
                key,
                first,
                ..
            } => write!(
                f,
                "key '{key}' appears twice in [{section}] (first on line {})",
                first + 1
            ),
        }
    }
}

impl ParseError {
    /// The 0-based index of the line the error is about.
    pub fn line(&self) -> usize {
        match self {
            ParseError::MissingSectionHeader { line }
            | ParseError::EmptyKey { line }
            | ParseError::ContinuedBareKey { line } => *line,
            ParseError::DuplicateSection { second, .. }
            | ParseError::DuplicateKey { second, .. } => *second,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    text: String,
    sections: Vec<Section>,
    /// Every entry of every section, in file order (one allocation, sized up front).
    entries: Vec<Entry>,
    /// The text as first read, kept from the first edit on when asked for (for diffs).
    original: Option<String>,
    keep_original: bool,
    changed: bool,
}

/// Python's `str.isspace`: Unicode white space plus the ASCII separators `\x1c`-`\x1f` (which
/// Rust's `char::is_whitespace` leaves out). Python's `re` `\s`, used for indentation and around
/// delimiters, is the same set.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()`.
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// A line's indentation as `configparser` measures it: the index, in characters (not bytes), of
/// its first non-white-space character.
fn indent(line: &str) -> usize {
    line.chars().take_while(|&c| is_py_space(c)).count()
}

// Keys compare as unit names do: one rule, in `cluster::name`.
pub use crate::cluster::name::{fold_key, key_cmp, key_eq};

fn is_comment(stripped: &str) -> bool {
    stripped.starts_with('#') || stripped.starts_with(';')
}

/// The range of `inner` within `outer` (`inner` must be a sub-slice of `outer`).
fn range_in(outer: &str, outer_start: u32, inner: &str) -> Range<u32> {
    let start = outer_start + (inner.as_ptr() as usize - outer.as_ptr() as usize) as u32;
    start..start + inner.len() as u32
}

fn usize_range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

/// The section name if the stripped line is a header: configparser's `\[(?P<header>.+)\]`,
/// anchored at the start only, so the name runs to the last `]`.
fn header_name(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// Splits an option line at the first `=` or `:` like configparser's OPTCRE_NV: the stripped key,
/// and the stripped value if a delimiter was present.
fn split_option(stripped: &str) -> (&str, Option<&str>) {
    match stripped.bytes().position(|b| b == b'=' || b == b':') {
        Some(pos) => (
            py_strip(&stripped[..pos]),
            Some(py_strip(&stripped[pos + 1..])),
        ),
        None => (stripped, None),
    }
}

fn split_lines(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    let mut lines = Vec::with_capacity(breaks + 1);
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let next = match bytes[i] {
            b'\n' => i + 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(Span {
            start: start as u32,
            end: i as u32,
            next: next as u32,
        });
        start = next;
        i = next;
    }
    if start < text.len() {
        let len = text.len() as u32;
        lines.push(Span {
            start: start as u32,
            end: len,
            next: len,
        });
    }
    lines
}

impl Document {
    /// Reads a text as configparser would, keeping every byte.
    pub fn parse(text: &str) -> Result<Document, ParseError> {
        Document::parse_owned(text.to_string())
    }

    /// As [`Document::parse`], keeping the string it is given rather than a copy.
    pub fn parse_owned(text: String) -> Result<Document, ParseError> {
        // Offsets are u32 to halve the index; config.ini is a few kilobytes, never 4 GiB.
        assert!(
            text.len() < u32::MAX as usize,
            "config.ini larger than 4 GiB"
        );
        // Line spans are needed while indexing and editing only; not kept, to stay small.
        let (sections, entries) = index(&text, &split_lines(&text))?;
        Ok(Document {
            text,
            sections,
            entries,
            original: None,
            keep_original: false,
            changed: false,
        })
    }

    /// Keep a copy of the text as read when the first edit comes, for [`Document::original`].
    /// Off by default: the copy costs as much memory as the file.
    pub fn keep_original(&mut self) {
        self.keep_original = true;
    }

    /// The text before any edit (needs [`Document::keep_original`] before editing).
    pub fn original(&self) -> &str {
        debug_assert!(
            self.keep_original || !self.changed,
            "the original was not kept"
        );
        self.original.as_deref().unwrap_or(&self.text)
    }

    /// Whether edits changed the text.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// The entries of a section, in file order.
    pub fn entries(&self, section: &Section) -> &[Entry] {
        &self.entries[section.entries.start as usize..section.entries.end as usize]
    }

    /// The whole text, as it would be written.
    pub fn render(&self) -> &str {
        &self.text
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| self.name(s) == name)
    }

    pub fn has_section(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    pub fn name(&self, section: &Section) -> &str {
        &self.text[usize_range(&section.name)]
    }

    pub fn key(&self, entry: &Entry) -> &str {
        &self.text[usize_range(&entry.key)]
    }

    /// The value as Python sees it: continuation lines joined with `\n` (blank ones too, comment
    /// lines not), trailing blank lines dropped; `None` for a bare key.
    pub fn value(&self, entry: &Entry) -> Option<Cow<'_, str>> {
        let first = &self.text[usize_range(&entry.value_range()?)];
        if entry.last_line == entry.line {
            return Some(Cow::Borrowed(first));
        }
        let mut value = first.to_string();
        let lines = split_lines(&self.text);
        for span in &lines[entry.line() + 1..=entry.last_line()] {
            let stripped = py_strip(&self.text[span.content()]);
            if !is_comment(stripped) {
                value.push('\n');
                value.push_str(stripped);
            }
        }
        Some(Cow::Owned(value.trim_end_matches(is_py_space).to_string()))
    }

    /// The entry whose key matches `key` exactly.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.find(section, |k| k == key)
    }

    /// The first entry in `section` whose key satisfies `matches`.
    pub fn find(&self, section: &str, matches: impl Fn(&str) -> bool) -> Option<&Entry> {
        let section = self.section(section)?;
        self.entries(section).iter().find(|e| matches(self.key(e)))
    }

    /// The ending a new line next to line `at` gets: its neighbours' (the nearest line at or
    /// before `at` that has an ending, else the nearest after it), else `\n`.
    fn newline_near(&self, lines: &[Span], at: usize) -> &'static str {
        let ending = |l: &Span| match &self.text[l.end as usize..l.next as usize] {
            "" => None,
            "\r\n" => Some("\r\n"),
            "\r" => Some("\r"),
            _ => Some("\n"),
        };
        let at = at.min(lines.len());
        lines[..at.saturating_add(1).min(lines.len())]
            .iter()
            .rev()
            .find_map(ending)
            .or_else(|| lines[at..].iter().find_map(ending))
            .unwrap_or("\n")
    }

    /// Replaces `range` of the text and indexes it again. Edits only splice whole well-formed
    /// lines or parts of a line's value or key, so the text stays parseable.
    fn splice(&mut self, range: Range<u32>, with: &str) {
        if self.text[usize_range(&range)] == *with {
            return;
        }
        let original = match self.original.take() {
            None if self.keep_original => Some(self.text.clone()),
            kept => kept,
        };
        let keep_original = self.keep_original;
        let mut text = std::mem::take(&mut self.text);
        // Free the old index first: a leader's inventory can hold thousands of workers.
        self.sections = Vec::new();
        self.entries = Vec::new();
        text.replace_range(usize_range(&range), with);
        *self = Document::parse_owned(text).expect("an edit keeps the document parseable");
        self.original = original;
        self.keep_original = keep_original;
        self.changed = true;
    }

    /// Removes whole lines (`range` runs from a line's start to the next line's). Should the line
    /// before end with a lone `\r` and the text after start with `\n` (a blank line), the two
    /// would read as one `\r\n` and the blank line would vanish into the line before: that line
    /// then ends with `\r\n` instead, so that every line is still there.
    fn remove_lines(&mut self, range: Range<u32>) {
        let bytes = self.text.as_bytes();
        let (from, to) = (range.start as usize, range.end as usize);
        if from > 0 && bytes[from - 1] == b'\r' && bytes.get(to) == Some(&b'\n') {
            self.splice(range.start - 1..range.end, "\r\n");
        } else {
            self.splice(range, "");
        }
    }

    /// Sets `key` in `section`. An existing entry (found by `matches`) has only its value
    /// replaced on its own line, keeping key case, delimiter, spacing and line ending; its
    /// continuation lines go. A new key is written as `key=value` after the last non-blank line of
    /// the section, with the line ending of the line before it, indented as much as the next
    /// section's header (so that an indented header stays a header and does not become part of the
    /// new value); a missing section is appended at the end of the file after one blank line.
    pub fn set(&mut self, section: &str, key: &str, value: &str, matches: impl Fn(&str) -> bool) {
        let lines = split_lines(&self.text);
        if let Some(entry) = self.find(section, matches).cloned() {
            let line = lines[entry.line()];
            if entry.last_line > entry.line {
                // Whole lines only: the key's line keeps its own ending.
                self.remove_lines(line.next..lines[entry.last_line()].next);
            }
            match entry.value_range() {
                Some(v) => self.splice(v, value),
                None => {
                    let new = format!("{}={value}", self.key(&entry));
                    self.splice(entry.key.start..line.end, &new);
                }
            }
            return;
        }
        let new_line = format!("{key}={value}");
        match self.section(section) {
            Some(s) => {
                // configparser reads a line indented deeper than the key before it as part of that
                // key's value, header or not: the new key is indented as the next header is.
                let width = lines
                    .get(s.end)
                    .map_or(0, |l| indent(&self.text[l.content()]));
                let new_line = format!("{:width$}{new_line}", "");
                let last = (s.header_line..s.end)
                    .rev()
                    .find(|&i| {
                        let l = lines[i];
                        !py_strip(&self.text[l.content()]).is_empty()
                    })
                    .unwrap_or(s.header_line);
                let l = lines[last];
                let nl = self.newline_near(&lines, last);
                if l.is_open() {
                    // The last line of a file without a final newline: keep it that way.
                    self.splice(l.end..l.end, &format!("{nl}{new_line}"));
                } else {
                    self.splice(l.next..l.next, &format!("{new_line}{nl}"));
                }
            }
            None => {
                let nl = self.newline_near(&lines, lines.len().saturating_sub(1));
                let mut add = String::new();
                let ends_open = lines.last().is_some_and(|l| l.is_open());
                if ends_open {
                    add.push_str(nl);
                }
                let last_blank = lines
                    .last()
                    .is_none_or(|l| py_strip(&self.text[l.content()]).is_empty());
                if !last_blank {
                    add.push_str(nl);
                }
                add.push_str(&format!("[{section}]{nl}{new_line}"));
                if !ends_open {
                    add.push_str(nl);
                }
                let end = self.text.len() as u32;
                self.splice(end..end, &add);
            }
        }
    }

    /// Renames the key of an existing entry in place, keeping its line, value and spacing.
    pub fn rename_key(&mut self, section: &str, matches: impl Fn(&str) -> bool, new: &str) -> bool {
        let Some(entry) = self.find(section, matches).cloned() else {
            return false;
        };
        self.splice(entry.key, new);
        true
    }

    /// Removes the entry found by `matches`: its line and its continuation lines (with any comment
    /// lines among them). Returns whether one was found.
    pub fn remove(&mut self, section: &str, matches: impl Fn(&str) -> bool) -> bool {
        let Some(entry) = self.find(section, matches).cloned() else {
            return false;
        };
        let lines = split_lines(&self.text);
        // Whole lines only: every other line keeps its ending (so removing the last line of a file
        // without a final newline leaves the line before it with its own ending).
        let (first, last) = (lines[entry.line()], lines[entry.last_line()]);
        self.remove_lines(first.start..last.next);
        true
    }
}

/// Finds sections and entries, following configparser's `_read` line by line.
fn index(text: &str, lines: &[Span]) -> Result<(Vec<Section>, Vec<Entry>), ParseError> {
    let mut sections: Vec<Section> = Vec::new();
    // At most one entry per line: sized once, never grown.
    let mut entries: Vec<Entry> = Vec::with_capacity(lines.len());
    // Since the current section's header: whether the last entry has a value (which deeper
    // indented lines continue); `None` before its first entry.
    let mut key_since_header: Option<bool> = None;
    let mut indent_level = 0usize;

    for (i, span) in lines.iter().enumerate() {
        let line = &text[span.content()];
        let stripped = py_strip(line);
        // Blank and comment lines neither end a multi-line value nor start anything
        // (configparser's empty_lines_in_values default).
        if stripped.is_empty() || is_comment(stripped) {
            continue;
        }
        let level = indent(line);
        if level > indent_level {
            match key_since_header {
                Some(true) => {
                    let entry = entries
                        .last_mut()
                        .expect("an open value belongs to an entry");
                    entry.last_line = i as u32;
                    continue;
                }
                // configparser raises here (3.11: AttributeError; 3.13: MultilineContinuationError).
                Some(false) => return Err(ParseError::ContinuedBareKey { line: i }),
                None => {}
            }
        }
        indent_level = level;
        if let Some(name) = header_name(stripped) {
            if let Some(first) = sections
                .iter()
                .find(|s| &text[usize_range(&s.name)] == name)
            {
                return Err(ParseError::DuplicateSection {
                    name: name.to_string(),
                    first: first.header_line,
                    second: i,
                });
            }
            if let Some(s) = sections.last_mut() {
                s.end = i;
                check_unique_keys(text, s, &entries)?;
            }
            let at = entries.len() as u32;
            sections.push(Section {
                name: range_in(line, span.start, name),
                header_line: i,
                end: lines.len(),
                entries: at..at,
            });
            key_since_header = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(ParseError::MissingSectionHeader { line: i });
        };
        let (key, value) = split_option(stripped);
        if key.is_empty() {
            return Err(ParseError::EmptyKey { line: i });
        }
        key_since_header = Some(value.is_some());
        entries.push(Entry {
            key: range_in(line, span.start, key),
            value: value.map_or(NO_VALUE, |v| range_in(line, span.start, v)),
            line: i as u32,
            last_line: i as u32,
        });
        section.entries.end = entries.len() as u32;
    }
    if let Some(s) = sections.last() {
        check_unique_keys(text, s, &entries)?;
    }
    Ok((sections, entries))
}

/// configparser's strict check: a key at most once per section. Sorting indices keeps it
/// O(n log n) with one small allocation, for inventories of thousands.
fn check_unique_keys(text: &str, section: &Section, entries: &[Entry]) -> Result<(), ParseError> {
    let range = section.entries.start as usize..section.entries.end as usize;
    let key = |i: u32| &text[usize_range(&entries[i as usize].key)];
    let mut order: Vec<u32> = (range.start as u32..range.end as u32).collect();
    // By key, then by position: a run of equal keys lists its lines in file order.
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
    // Python stops at the earliest second occurrence in the file.
    let duplicate = order
        .windows(2)
        .filter(|w| key(w[0]) == key(w[1]))
        .min_by_key(|w| w[1]);
    match duplicate {
        Some(w) => Err(ParseError::DuplicateKey {
            section: text[usize_range(&section.name)].to_string(),
            key: key(w[1]).to_string(),
            first: entries[w[0] as usize].line(),
            second: entries[w[1] as usize].line(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(text).unwrap()
    }

    #[test]
    fn round_trips_every_byte() {
        let text = "# top\r\n[a]\r\nx = 1\r\n  more\r\n\r\n; c\r\n[b]\ny: 2";
        assert_eq!(doc(text).render(), text);
    }

    #[test]
    fn reads_values_as_configparser_does() {
        let d = doc("[s]\na = 1 ; not a comment\nb: two\nc\nd =\n  x\n# note\n\n  y\ne=5\n");
        let get = |k: &str| d.value(d.get("s", k).unwrap()).map(|v| v.into_owned());
        assert_eq!(get("a").as_deref(), Some("1 ; not a comment"));
        assert_eq!(get("b").as_deref(), Some("two"));
        assert_eq!(get("c"), None);
        // Blank lines inside a value count, comment lines do not (as in configparser).
        assert_eq!(get("d").as_deref(), Some("\nx\n\ny"));
        assert_eq!(d.get("s", "d").unwrap().last_line(), 8);
        assert_eq!(get("e").as_deref(), Some("5"));
    }

    #[test]
    fn strips_what_python_strips() {
        assert_eq!(py_strip("\x0b\x0c\x1c\x1f\t a=1 \u{a0}\u{3000}"), "a=1");
        assert_eq!(py_strip("\u{200b}x"), "\u{200b}x"); // zero-width space is not white space
    }

    #[test]
    fn header_runs_to_last_bracket() {
        let d = doc("[a]b] trailing\nk=v\n");
        assert_eq!(d.name(&d.sections()[0]), "a]b");
    }

    #[test]
    fn reports_structural_errors_with_lines() {
        assert_eq!(
            Document::parse("k=v\n").unwrap_err(),
            ParseError::MissingSectionHeader { line: 0 }
        );
        assert_eq!(
            Document::parse("[a]\n=1\n").unwrap_err(),
            ParseError::EmptyKey { line: 1 }
        );
        assert!(matches!(
            Document::parse("[a]\n[b]\n[a]\n").unwrap_err(),
            ParseError::DuplicateSection {
                first: 0,
                second: 2,
                ..
            }
        ));
        assert!(matches!(
            Document::parse("[a]\nk=1\nk:2\n").unwrap_err(),
            ParseError::DuplicateKey {
                first: 1,
                second: 2,
                ..
            }
        ));
    }

    #[test]
    fn set_existing_keeps_style() {
        let mut d = doc("[s]\nPio1 : 1   \nx=2\n");
        d.set("s", "pio1", "0", |k| k.eq_ignore_ascii_case("pio1"));
        assert_eq!(d.render(), "[s]\nPio1 : 0   \nx=2\n");
    }

    #[test]
    fn set_replaces_continuation_lines() {
        let mut d = doc("[s]\na=1\n  2\nb=3\n");
        d.set("s", "a", "9", |k| k == "a");
        assert_eq!(d.render(), "[s]\na=9\nb=3\n");
    }

    #[test]
    fn new_key_goes_after_last_non_blank_line() {
        let mut d = doc("[s]\na=1\n# trailing note\n\n\n[t]\n");
        d.set("s", "b", "2", |k| k == "b");
        assert_eq!(d.render(), "[s]\na=1\n# trailing note\nb=2\n\n\n[t]\n");
    }

    #[test]
    fn missing_section_is_appended_after_one_blank_line() {
        let mut d = doc("[s]\na=1\n");
        d.set("t", "b", "2", |k| k == "b");
        assert_eq!(d.render(), "[s]\na=1\n\n[t]\nb=2\n");
        let mut d = doc("[s]\na=1\n\n");
        d.set("t", "b", "2", |k| k == "b");
        assert_eq!(d.render(), "[s]\na=1\n\n[t]\nb=2\n");
    }

    #[test]
    fn no_final_newline_and_crlf_survive() {
        let mut d = doc("[s]\r\na=1");
        d.set("s", "b", "2", |k| k == "b");
        assert_eq!(d.render(), "[s]\r\na=1\r\nb=2");
        // Removing a line takes exactly that line: the one before keeps its own ending.
        d.remove("s", |k| k == "b");
        assert_eq!(d.render(), "[s]\r\na=1\r\n");
        let mut d = doc("[s]\na=1");
        d.set("t", "b", "2", |k| k == "b");
        assert_eq!(d.render(), "[s]\na=1\n\n[t]\nb=2");
    }

    #[test]
    fn remove_takes_continuation_lines_only() {
        let mut d = doc("[s]\n# keep\na=1\n  2\n# keep too\nb=3\n");
        assert!(d.remove("s", |k| k == "a"));
        assert_eq!(d.render(), "[s]\n# keep\n# keep too\nb=3\n");
        assert!(!d.remove("s", |k| k == "zzz"));
    }

    #[test]
    fn rename_key_keeps_everything_else() {
        let mut d = doc("[s]\n  Old1 = 1 \nx=2\n");
        assert!(d.rename_key("s", |k| k.eq_ignore_ascii_case("old1"), "new1"));
        assert_eq!(d.render(), "[s]\n  new1 = 1 \nx=2\n");
    }

    #[test]
    fn continuation_at_end_without_final_newline() {
        let mut d = doc("[s]\na=1\n  2");
        d.set("s", "a", "9", |k| k == "a");
        assert_eq!(d.render(), "[s]\na=9\n");
        let mut d = doc("[s]\nb=0\na=1\n  2");
        d.remove("s", |k| k == "a");
        assert_eq!(d.render(), "[s]\nb=0\n");
    }

    #[test]
    fn set_bare_key_gets_a_value() {
        let mut d = doc("[s]\n  pio1\n");
        d.set("s", "pio1", "1", |k| k == "pio1");
        assert_eq!(d.render(), "[s]\n  pio1=1\n");
    }

    #[test]
    fn new_key_is_indented_as_the_next_header() {
        // Issue 11.1: at column 0, the new key would swallow the indented header as its value.
        let mut d = doc("[cluster.inventory]\n   [cluster.addresses]\n");
        d.set("cluster.inventory", "w", "1", |k| k == "w");
        assert_eq!(
            d.render(),
            "[cluster.inventory]\n   w=1\n   [cluster.addresses]\n"
        );
        assert!(d.has_section("cluster.addresses"));
        let mut d = doc("[cluster.addresses]\n [cluster.inventory]\n");
        d.set("cluster.inventory", "w", "1", |k| k == "w");
        d.set("cluster.addresses", "w", "10.0.0.2", |k| k == "w");
        assert_eq!(
            d.render(),
            "[cluster.addresses]\n w=10.0.0.2\n [cluster.inventory]\nw=1\n"
        );
    }

    #[test]
    fn indentation_counts_characters_python_calls_space() {
        // Issue 11.2: U+2028 is one character (and not a line break for a file's lines).
        let d = doc("[s]\n  a=1\n\u{2028} b=0\n");
        assert_eq!(d.entries(&d.sections()[0]).len(), 2);
        // Issue 11.3: \x1e is white space to Python.
        let d = doc("[s]\n  \x1e x-1:1\n    b = no\n");
        assert_eq!(d.get("s", "x-1").unwrap().last_line(), 1);
        assert!(d.get("s", "b").is_some());
        let d = doc("[s]\n  \u{a0}a=1\n  \u{a0}b=2\n");
        assert_eq!(d.entries(&d.sections()[0]).len(), 2);
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        // Issue 11.4: universal newlines, as Python's open() reads the file.
        let d = doc("[s]\r    w1 = 1\n");
        assert!(d.get("s", "w1").is_some());
        let mut d = doc("[a]\r# note\n");
        d.set("a", "w", "1", |k| k == "w");
        assert_eq!(d.render(), "[a]\r# note\nw=1\n");
        let mut d = doc("[a]\rx=1\r");
        d.set("a", "w", "1", |k| k == "w");
        assert_eq!(d.render(), "[a]\rx=1\rw=1\r");
        // Not line breaks in a file read by lines: \x0b \x0c \x1c-\x1e \x85 U+2028 U+2029.
        let d = doc("[s]\na=1\x0b\x0c\x1c\x1d\x1e\u{85}\u{2028}\u{2029}b=2\n");
        assert_eq!(d.entries(&d.sections()[0]).len(), 1);
    }

    #[test]
    fn a_lone_cr_does_not_swallow_the_blank_line_after_a_removed_one() {
        let mut d = doc(" [s]\rw1: false\r\n\n");
        d.remove("s", |k| k == "w1");
        assert_eq!(d.render(), " [s]\r\n\n");
        let mut d = doc("[s]\rw=1\r  x\r\n\n");
        d.set("s", "w", "0", |k| k == "w");
        assert_eq!(d.render(), "[s]\rw=0\r\n\n");
    }

    #[test]
    fn untouched_lines_keep_their_endings() {
        // Issue 11.5.
        let mut d = doc("[cluster.inventory]\r\npio70=0");
        d.remove("cluster.inventory", |k| k == "pio70");
        assert_eq!(d.render(), "[cluster.inventory]\r\n");
        d.set("cluster.inventory", "x", "1", |k| k == "x");
        assert_eq!(d.render(), "[cluster.inventory]\r\nx=1\r\n");
        let mut d = doc("[a]\nk=1\r\n[b]\r\n");
        d.set("a", "w", "1", |k| k == "w");
        assert_eq!(d.render(), "[a]\nk=1\r\nw=1\r\n[b]\r\n");
        let mut d = doc("[a]\r\nk=1");
        d.set("c", "w", "1", |k| k == "w");
        assert_eq!(d.render(), "[a]\r\nk=1\r\n\r\n[c]\r\nw=1");
    }

    #[test]
    fn keys_compare_as_python_lowercases_them() {
        // Issue 11.6: KELVIN SIGN lower-cases to `k`.
        assert!(key_eq("\u{212a}io", "kio"));
        assert!(key_eq("PIO1", "pio1"));
        assert!(!key_eq("\u{130}", "i"));
        assert_eq!(key_cmp("\u{212a}io", "KIO"), std::cmp::Ordering::Equal);
        assert_eq!(key_cmp("a", "B"), std::cmp::Ordering::Less);
        assert_eq!(fold_key("A\u{3a3}"), "a\u{3c2}"); // final sigma, as Python's str.lower
    }

    #[test]
    fn an_indented_line_after_a_bare_key_is_refused() {
        assert_eq!(
            Document::parse("[s]\nk\n  x\n").unwrap_err(),
            ParseError::ContinuedBareKey { line: 2 }
        );
        assert!(Document::parse("[s]\n  k\nx\n").is_ok());
    }
}
