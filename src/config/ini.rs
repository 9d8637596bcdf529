//! A format-preserving INI document that reads lines the way Python's `configparser` does.
//!
//! config.ini is shared with the Python side of the Pioreactor stack and holds operators' notes in
//! comments, so an edit must change only the lines it means to change. The document keeps every
//! line's raw text and line ending; parsing only records where sections and keys are. Edits splice
//! lines in or out and the index is rebuilt, which keeps the code obvious and is cheap even for
//! tens of thousands of lines.

use std::collections::HashMap;
use std::fmt;

/// One physical line: its text without the line ending, and the ending itself
/// (`"\n"`, `"\r\n"`, or `""` for a last line without a final newline).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line {
    text: String,
    ending: &'static str,
}

/// A `key=value` (or `key: value`, or bare `key`) entry and the lines it spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key as written, with surrounding whitespace removed.
    pub key: String,
    /// The value as Python would see it: continuation lines joined with `\n`; `None` for a bare key.
    pub value: Option<String>,
    /// Index of the key's line.
    pub line: usize,
    /// Index of the last line that belongs to the value (the key's line when it has none).
    pub last_line: usize,
}

/// A section header and the entries under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    /// Index of the `[name]` line.
    pub header_line: usize,
    /// Index one past the section's last line (the next header, or the end of the file).
    pub end: usize,
    pub entries: Vec<Entry>,
}

/// Why a text is not a config.ini that Python's `configparser` would read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A key/value line before any `[section]` header.
    MissingSectionHeader { line: usize },
    /// A line whose key is empty, such as `=1`.
    EmptyKey { line: usize },
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
    /// Line numbers are shown 1-based, as editors show them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::MissingSectionHeader { line } => {
                write!(f, "line {}: a key before any [section] header", line + 1)
            }
            ParseError::EmptyKey { line } => write!(f, "line {}: a value without a key", line + 1),
            ParseError::DuplicateSection {
                name,
                first,
                second,
            } => write!(
                f,
                "line {}: section [{name}] appears again (first on line {})",
                second + 1,
                first + 1
            ),
            ParseError::DuplicateKey {
                section,
                key,
                first,
                second,
            } => write!(
                f,
                "line {}: key '{key}' appears twice in [{section}] (first on line {})",
                second + 1,
                first + 1
            ),
        }
    }
}

impl ParseError {
    /// The 0-based index of the line the error is about.
    pub fn line(&self) -> usize {
        match self {
            ParseError::MissingSectionHeader { line } | ParseError::EmptyKey { line } => *line,
            ParseError::DuplicateSection { second, .. }
            | ParseError::DuplicateKey { second, .. } => *second,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    lines: Vec<Line>,
    sections: Vec<Section>,
}

/// Python's `str.strip()` for the characters that occur in config files.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

fn is_comment(stripped: &str) -> bool {
    stripped.starts_with('#') || stripped.starts_with(';')
}

/// The section name if the stripped line is a header: configparser's `\[(?P<header>.+)\]`,
/// anchored at the start only, so the name runs to the last `]`.
fn header_name(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// Splits an option line at the first `=` or `:` like configparser's OPTCRE_NV.
/// Returns the key and, if a delimiter was present, the byte offset where the value starts.
fn split_option(line: &str) -> (String, Option<usize>) {
    match line.find(['=', ':']) {
        Some(pos) => {
            let key = py_strip(&line[..pos]).to_string();
            let after = &line[pos + 1..];
            let value_start = pos + 1 + (after.len() - after.trim_start().len());
            (key, Some(value_start))
        }
        None => (py_strip(line).to_string(), None),
    }
}

impl Document {
    /// Reads a text as configparser would, keeping every byte.
    pub fn parse(text: &str) -> Result<Document, ParseError> {
        let mut lines = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let (raw, next) = match rest.find('\n') {
                Some(i) => (&rest[..=i], &rest[i + 1..]),
                None => (rest, ""),
            };
            let (body, ending) = if let Some(b) = raw.strip_suffix("\r\n") {
                (b, "\r\n")
            } else if let Some(b) = raw.strip_suffix('\n') {
                (b, "\n")
            } else {
                (raw, "")
            };
            lines.push(Line {
                text: body.to_string(),
                ending,
            });
            rest = next;
        }
        let sections = index(&lines)?;
        Ok(Document { lines, sections })
    }

    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.text.len() + 2).sum());
        for l in &self.lines {
            out.push_str(&l.text);
            out.push_str(l.ending);
        }
        out
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    pub fn has_section(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    /// The entry whose key matches `key` exactly.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.section(section)?.entries.iter().find(|e| e.key == key)
    }

    /// The entry whose key equals `key` ignoring ASCII case (hostname keys).
    pub fn get_ignore_case(&self, section: &str, key: &str) -> Option<&Entry> {
        self.section(section)?
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }

    /// The raw text of a line (0-based), without its ending.
    pub fn line_text(&self, line: usize) -> &str {
        &self.lines[line].text
    }

    /// The ending new lines get: the file's first line ending, else `\n`.
    fn newline(&self) -> &'static str {
        self.lines
            .iter()
            .map(|l| l.ending)
            .find(|e| !e.is_empty())
            .unwrap_or("\n")
    }

    /// Sets `key` in `section`. An existing entry (found by `matches`) has only its value
    /// replaced on its own line, keeping key case, delimiter and spacing; its continuation lines go.
    /// A new key is written as `key=value` after the last non-blank line of the section; a missing
    /// section is appended at the end of the file after one blank line.
    pub fn set(&mut self, section: &str, key: &str, value: &str, matches: impl Fn(&str) -> bool) {
        let existing = self
            .section(section)
            .and_then(|s| s.entries.iter().find(|e| matches(&e.key)))
            .cloned();
        if let Some(entry) = existing {
            let text = &self.lines[entry.line].text;
            let (_, value_start) = split_option(text);
            let new_text = match value_start {
                Some(start) => {
                    // Keep trailing whitespace as it was; replace only the value itself.
                    let old_value = text[start..].trim_end();
                    format!(
                        "{}{}{}",
                        &text[..start],
                        value,
                        &text[start + old_value.len()..]
                    )
                }
                None => {
                    let indent = &text[..text.len() - text.trim_start().len()];
                    format!("{indent}{}={value}", entry.key)
                }
            };
            self.lines[entry.line].text = new_text;
            self.remove_lines(entry.line + 1, entry.last_line + 1);
            return;
        }
        let new_line = format!("{key}={value}");
        match self.section(section) {
            Some(s) => {
                let mut after = s.header_line;
                for i in (s.header_line..s.end).rev() {
                    if !py_strip(&self.lines[i].text).is_empty() {
                        after = i;
                        break;
                    }
                }
                self.insert_line(after + 1, new_line);
            }
            None => {
                let at = self.lines.len();
                let mut new = Vec::new();
                if self
                    .lines
                    .last()
                    .is_some_and(|l| !py_strip(&l.text).is_empty())
                {
                    new.push(String::new());
                }
                new.push(format!("[{section}]"));
                new.push(new_line);
                for (i, text) in new.into_iter().enumerate() {
                    self.insert_line(at + i, text);
                }
            }
        }
        self.reindex();
    }

    /// Renames the key of an existing entry in place, keeping its line, value and spacing.
    pub fn rename_key(&mut self, section: &str, old: &str, new: &str) -> bool {
        let Some(entry) = self.get_ignore_case(section, old).cloned() else {
            return false;
        };
        let text = &self.lines[entry.line].text;
        let indent = text.len() - text.trim_start().len();
        let key_start = indent + text[indent..].find(&entry.key).unwrap_or(0);
        let new_text = format!(
            "{}{}{}",
            &text[..key_start],
            new,
            &text[key_start + entry.key.len()..]
        );
        self.lines[entry.line].text = new_text;
        self.reindex();
        true
    }

    /// Removes the entry found by `matches` and its continuation lines. Returns whether one was found.
    pub fn remove(&mut self, section: &str, matches: impl Fn(&str) -> bool) -> bool {
        let Some(entry) = self
            .section(section)
            .and_then(|s| s.entries.iter().find(|e| matches(&e.key)))
            .cloned()
        else {
            return false;
        };
        self.remove_lines(entry.line, entry.last_line + 1);
        true
    }

    /// Inserts a line before index `at`, giving it the file's line ending. If it becomes the last
    /// line, the file's "no final newline" state moves to it.
    fn insert_line(&mut self, at: usize, text: String) {
        let nl = self.newline();
        let mut ending = nl;
        if at == self.lines.len()
            && let Some(last) = self.lines.last_mut()
            && last.ending.is_empty()
        {
            last.ending = nl;
            ending = "";
        }
        self.lines.insert(at, Line { text, ending });
        self.reindex();
    }

    fn remove_lines(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let removed_last = to == self.lines.len();
        let had_final_newline = self.lines.last().is_some_and(|l| !l.ending.is_empty());
        self.lines.drain(from..to);
        if removed_last
            && !had_final_newline
            && let Some(last) = self.lines.last_mut()
        {
            last.ending = "";
        }
        self.reindex();
    }

    fn reindex(&mut self) {
        // Edits only splice well-formed lines, so the text stays parseable.
        self.sections = index(&self.lines).expect("an edit kept the document parseable");
    }
}

/// Finds sections and entries, following configparser's `_read` line by line.
fn index(lines: &[Line]) -> Result<Vec<Section>, ParseError> {
    let mut sections: Vec<Section> = Vec::new();
    // Index into `sections` of the current section, and of the current entry in it.
    let mut current: Option<usize> = None;
    let mut current_entry: Option<usize> = None;
    let mut indent_level = 0usize;
    // Per section: key → line, so duplicate checks stay linear for inventories of thousands.
    let mut keys_seen: Vec<HashMap<String, usize>> = Vec::new();

    for (i, line) in lines.iter().enumerate() {
        let stripped = py_strip(&line.text);
        // Blank and comment lines neither end a multi-line value nor belong to one
        // (configparser's empty_lines_in_values default).
        if stripped.is_empty() || is_comment(stripped) {
            continue;
        }
        let indent = line.text.len() - line.text.trim_start().len();
        if let (Some(s), Some(e)) = (current, current_entry) {
            let entry = &mut sections[s].entries[e];
            if indent > indent_level && entry.value.is_some() {
                entry.last_line = i;
                if let Some(v) = entry.value.as_mut() {
                    v.push('\n');
                    v.push_str(stripped);
                }
                continue;
            }
        }
        indent_level = indent;
        if let Some(name) = header_name(stripped) {
            if let Some(first) = sections.iter().find(|s| s.name == name) {
                return Err(ParseError::DuplicateSection {
                    name: name.to_string(),
                    first: first.header_line,
                    second: i,
                });
            }
            if let Some(s) = current {
                sections[s].end = i;
            }
            sections.push(Section {
                name: name.to_string(),
                header_line: i,
                end: lines.len(),
                entries: Vec::new(),
            });
            keys_seen.push(HashMap::new());
            current = Some(sections.len() - 1);
            current_entry = None;
            continue;
        }
        let Some(s) = current else {
            return Err(ParseError::MissingSectionHeader { line: i });
        };
        let (key, value_start) = split_option(stripped);
        if key.is_empty() {
            return Err(ParseError::EmptyKey { line: i });
        }
        let section = &mut sections[s];
        if let Some(&first) = keys_seen[s].get(key.as_str()) {
            return Err(ParseError::DuplicateKey {
                section: section.name.clone(),
                key,
                first,
                second: i,
            });
        }
        keys_seen[s].insert(key.clone(), i);
        let value = value_start.map(|start| py_strip(&stripped[start..]).to_string());
        section.entries.push(Entry {
            key,
            value,
            line: i,
            last_line: i,
        });
        current_entry = Some(section.entries.len() - 1);
    }
    Ok(sections)
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
        let get = |k: &str| d.get("s", k).unwrap().value.clone();
        assert_eq!(get("a").as_deref(), Some("1 ; not a comment"));
        assert_eq!(get("b").as_deref(), Some("two"));
        assert_eq!(get("c"), None);
        assert_eq!(get("d").as_deref(), Some("\nx\ny"));
        assert_eq!(d.get("s", "d").unwrap().last_line, 8);
        assert_eq!(get("e").as_deref(), Some("5"));
    }

    #[test]
    fn header_runs_to_last_bracket() {
        let d = doc("[a]b] trailing\nk=v\n");
        assert_eq!(d.sections()[0].name, "a]b");
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
        d.remove("s", |k| k == "b");
        assert_eq!(d.render(), "[s]\r\na=1");
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
        assert!(d.rename_key("s", "old1", "new1"));
        assert_eq!(d.render(), "[s]\n  new1 = 1 \nx=2\n");
    }

    #[test]
    fn set_bare_key_gets_a_value() {
        let mut d = doc("[s]\n  pio1\n");
        d.set("s", "pio1", "1", |k| k == "pio1");
        assert_eq!(d.render(), "[s]\n  pio1=1\n");
    }
}
