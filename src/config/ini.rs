//! A format-preserving INI document that reads lines the way Python's `configparser` does.
//!
//! config.ini is shared with the Python side of the Pioreactor stack and holds operators' notes in
//! comments, so an edit must change only the lines it means to change. The document is the file's
//! text plus an index of where sections and keys are (byte ranges, no copies) and a hash table of
//! each section's keys as Python lower-cases them (for lookups and the duplicate checks, with no
//! sort and no per-line allocation), so a leader with ten thousand workers parses in about a
//! millisecond. A new value on its key's line is written in place (the index shifted);
//! any other edit splices the text and indexes it again.

mod index;
mod scan;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use index::*;
pub use scan::is_py_space;
use scan::*;

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
    /// The section's hash table of keys, as a range of the document's `keys`.
    table: Range<u32>,
    /// The earliest key written again in another case (`Pio1`, then `pio1`): its first entry and
    /// the repetition (indices into the entry list).
    folded_duplicate: Option<(u32, u32)>,
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

#[derive(Clone, Debug)]
pub struct Document {
    /// Which document this is, in which state: new at each parse and each edit (so that what is
    /// worked out from a document can be kept while this stays the same).
    generation: u64,
    /// When the last edit replaced one entry's value in place: the generation before it, and
    /// that entry's index.
    value_edit: Option<(u64, usize)>,
    text: String,
    sections: Vec<Section>,
    /// Every entry of every section, in file order (one allocation, sized up front).
    entries: Vec<Entry>,
    /// Each section's hash table of its keys as Python lower-cases them (see [`index_keys`]),
    /// one after the other, made once per parse.
    keys: Vec<u32>,
    /// The text as first read, kept from the first edit on when asked for (for diffs).
    original: Option<String>,
    keep_original: bool,
    changed: bool,
}

/// Documents are the same when their text, index and edit state are: which parse made them (the
/// generation) does not count.
impl PartialEq for Document {
    fn eq(&self, other: &Document) -> bool {
        (self.text == other.text)
            && self.sections == other.sections
            && self.entries == other.entries
            && self.keys == other.keys
            && self.original == other.original
            && (self.keep_original, self.changed) == (other.keep_original, other.changed)
    }
}

impl Eq for Document {}

// Keys compare as unit names do: one rule, in `cluster::name`.
pub use crate::cluster::name::{fold_key, key_cmp, key_eq};
impl Document {
    /// Reads a text as configparser would, keeping every byte.
    pub fn parse(text: &str) -> Result<Document, ParseError> {
        Document::parse_owned(text.to_string())
    }

    /// As [`Document::parse`], keeping the string it is given rather than a copy.
    pub fn parse_owned(text: String) -> Result<Document, ParseError> {
        Document::parse_into(text, Vec::new(), Vec::new())
    }

    /// [`Document::parse_owned`] into the memory of an index no longer needed (an edit's).
    fn parse_into(
        text: String,
        entries: Vec<Entry>,
        keys: Vec<u32>,
    ) -> Result<Document, ParseError> {
        // Offsets are u32 to halve the index; config.ini is a few kilobytes, never 4 GiB.
        assert!(
            text.len() < u32::MAX as usize,
            "config.ini larger than 4 GiB"
        );
        // Lines are streamed while indexing; not kept, to stay small.
        let Index {
            sections,
            entries,
            keys,
        } = index(&text, entries, keys)?;
        Ok(Document {
            text,
            sections,
            entries,
            keys,
            original: None,
            keep_original: false,
            changed: false,
            generation: next_generation(),
            value_edit: None,
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

    /// This document in its present state: a number no other document, nor this one before or
    /// after any edit, has had in this process.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// When the last edit replaced one entry's value on its line (and nothing else changed since):
    /// the generation before it, and that entry.
    pub fn value_edit(&self) -> Option<(u64, &Entry)> {
        self.value_edit
            .map(|(before, i)| (before, &self.entries[i]))
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
        // The lines after the key's: from the end of the key's line on, not the whole file's.
        let bytes = self.text.as_bytes();
        let value_end = entry.value.end as usize;
        let line_end =
            value_end + find_break(&bytes[value_end..]).unwrap_or(bytes.len() - value_end);
        let mut after = Lines {
            bytes,
            at: line_end,
        };
        after.next();
        let continued = entry.last_line() - entry.line();
        for span in after.take(continued) {
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
        self.find_index(section, matches).map(|i| &self.entries[i])
    }

    /// The index in the entry list of the first entry in `section` whose key satisfies `matches`.
    fn find_index(&self, section: &str, matches: impl Fn(&str) -> bool) -> Option<usize> {
        let section = self.section(section)?;
        let at = section.entries.start as usize;
        let found = self
            .entries(section)
            .iter()
            .position(|e| matches(self.key(e)));
        found.map(|k| at + k)
    }

    /// The entry of `section` whose key is `key` as Python lower-cases keys ([`key_eq`]); the
    /// first in the file should there be several. One look in the section's hash table: no scan,
    /// and keys are compared only where their hashes agree.
    pub fn find_folded(&self, section: &Section, key: &str) -> Option<&Entry> {
        self.find_folded_index(section, key)
            .map(|i| &self.entries[i])
    }

    /// [`Document::find_folded`], as the entry's position among the section's entries.
    pub fn find_folded_at(&self, section: &Section, key: &str) -> Option<usize> {
        let i = self.find_folded_index(section, key)?;
        Some(i - section.entries.start as usize)
    }

    /// [`Document::find_folded`], as an index into the entry list.
    fn find_folded_index(&self, section: &Section, key: &str) -> Option<usize> {
        let table = &self.keys[usize_range(&section.table)];
        let hash = folded_hash(key);
        let slots = Slots::of(section);
        let mut slot = first_slot(hash, table.len())?;
        loop {
            match table[slot] {
                0 => return None,
                filled if slots.may_hold(filled, hash) => {
                    let i = slots.entry(filled);
                    let found = self.key(&self.entries[i]);
                    // The same spelling, the usual answer, before a comparison ignoring case.
                    if found == key || key_eq(found, key) {
                        return Some(i);
                    }
                }
                _ => {}
            }
            slot = (slot + 1) & (table.len() - 1);
        }
    }

    /// The earliest entry of `section` whose key repeats an earlier one as Python lower-cases
    /// keys (`Pio1`, then `pio1` or `PIO1`): the first spelling, then the repetition.
    pub fn folded_duplicate(&self, section: &Section) -> Option<(&Entry, &Entry)> {
        let (one, again) = section.folded_duplicate?;
        Some((&self.entries[one as usize], &self.entries[again as usize]))
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

    /// Keeps the text as read, before the first edit changes it (when asked to).
    fn remember_original(&mut self) {
        if self.keep_original && self.original.is_none() {
            self.original = Some(self.text.clone());
        }
    }

    /// Replaces `range` of the text and indexes it again. Edits only splice whole well-formed
    /// lines or parts of a line's value or key, so the text stays parseable.
    fn splice(&mut self, range: Range<u32>, with: &str) {
        if self.text[usize_range(&range)] == *with {
            return;
        }
        self.remember_original();
        let original = self.original.take();
        let keep_original = self.keep_original;
        let mut text = std::mem::take(&mut self.text);
        // The old index's memory goes to the new one: a leader's inventory can hold thousands of
        // workers.
        self.sections = Vec::new();
        let (mut entries, mut keys) = (
            std::mem::take(&mut self.entries),
            std::mem::take(&mut self.keys),
        );
        entries.clear();
        keys.clear();
        text.replace_range(usize_range(&range), with);
        *self = Document::parse_into(text, entries, keys)
            .expect("an edit keeps the document parseable");
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

    /// Replaces the value of entry `i`, a value on its key's line alone, in place when the line
    /// then reads as the same key with exactly the new value: no other line can read otherwise
    /// (the line keeps its start, so its indentation, and still holds a value), so the index is
    /// shifted rather than built again. Returns false, having changed nothing, when the value
    /// needs the full re-read (a line break in it, white space at an end, a line that would
    /// become a header, ...).
    fn replace_value(&mut self, i: usize, value: &str) -> bool {
        let entry = &self.entries[i];
        if entry.value == NO_VALUE || entry.last_line != entry.line || value.contains(['\n', '\r'])
        {
            return false;
        }
        let old = usize_range(&entry.value);
        if self.text[old.clone()] == *value {
            return true;
        }
        let bytes = self.text.as_bytes();
        let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
        let line_start = bytes[..old.start]
            .iter()
            .rposition(is_break)
            .map_or(0, |p| p + 1);
        let line_end = old.end
            + bytes[old.end..]
                .iter()
                .position(is_break)
                .unwrap_or(bytes.len() - old.end);
        let mut line = String::with_capacity(line_end - line_start + value.len());
        line.push_str(&self.text[line_start..old.start]);
        line.push_str(value);
        line.push_str(&self.text[old.end..line_end]);
        let stripped = py_strip(&line);
        if header_name(stripped).is_some() {
            return false;
        }
        let base = line_start as u32;
        let new_value = entry.value.start..entry.value.start + value.len() as u32;
        match split_option(stripped) {
            (k, Some(v))
                if range_in(&line, base, k) == entry.key
                    && range_in(&line, base, v) == new_value => {}
            _ => return false,
        }
        self.remember_original();
        self.text.replace_range(old.clone(), value);
        let delta = value.len() as i64 - old.len() as i64;
        let shift = |at: &mut u32| *at = (i64::from(*at) + delta) as u32;
        let shift_range = |r: &mut Range<u32>| {
            shift(&mut r.start);
            shift(&mut r.end);
        };
        self.entries[i].value = new_value;
        for e in &mut self.entries[i + 1..] {
            shift_range(&mut e.key);
            if e.value != NO_VALUE {
                shift_range(&mut e.value);
            }
        }
        for s in self
            .sections
            .iter_mut()
            .filter(|s| s.name.start as usize >= old.end)
        {
            shift_range(&mut s.name);
        }
        self.changed = true;
        self.value_edit = Some((self.generation, i));
        self.generation = next_generation();
        true
    }

    /// Sets `key` in `section`. An existing entry (found by `matches`) has only its value
    /// replaced on its own line, keeping key case, delimiter, spacing and line ending; its
    /// continuation lines go. A new key is written as `key=value` after the last non-blank line of
    /// the section, with the line ending of the line before it, indented as much as the next
    /// section's header (so that an indented header stays a header and does not become part of the
    /// new value); a missing section is appended at the end of the file after one blank line.
    pub fn set(&mut self, section: &str, key: &str, value: &str, matches: impl Fn(&str) -> bool) {
        let found = self.find_index(section, matches);
        self.set_found(found, section, key, value);
    }

    /// [`Document::set`] of the entry whose key is `name` as Python lower-cases keys (found
    /// through the key index, not by a scan), else of a new `key`.
    pub fn set_folded(&mut self, section: &str, key: &str, value: &str, name: &str) {
        let found = self
            .section(section)
            .and_then(|s| self.find_folded_index(s, name));
        self.set_found(found, section, key, value);
    }

    /// [`Document::set`] of the entry at `found` in the entry list, or of a new `key`.
    fn set_found(&mut self, found: Option<usize>, section: &str, key: &str, value: &str) {
        if let Some(i) = found {
            if self.replace_value(i, value) {
                return;
            }
            let entry = self.entries[i].clone();
            let lines = split_lines(&self.text);
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
        let lines = split_lines(&self.text);
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

    /// A small generator for the checks of the fast paths against their plain definitions.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn text(&mut self, alphabet: &[&str], len: usize) -> String {
            (0..self.below(len + 1))
                .map(|_| alphabet[self.below(alphabet.len())])
                .collect()
        }
    }

    const PIECES: &[&str] = &[
        " ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\u{a0}", "\u{3000}", "\u{85}", "\u{2028}",
        "\r", "\n", "\r\n", "a", "Z", "k", "K", "\u{212a}", "\u{3a3}", "=", ":", "[", "]", "#",
        ";", "é", "0",
    ];

    #[test]
    fn fast_paths_agree_with_their_definitions() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let s = rng.text(PIECES, 12);
            let plain = s.trim_matches(is_py_space);
            let fast = py_strip(&s);
            // The same slice, not only the same text: ranges are taken from it.
            assert_eq!(
                (fast.as_ptr(), fast.len()),
                (plain.as_ptr(), plain.len()),
                "{s:?}"
            );
            let chars = s.chars().take_while(|&c| is_py_space(c)).count();
            assert_eq!(indent(&s), chars, "{s:?}");
            let mut reference = Vec::new();
            let mut start = 0;
            let b = s.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let next = match b[i] {
                    b'\n' => i + 1,
                    b'\r' if b.get(i + 1) == Some(&b'\n') => i + 2,
                    b'\r' => i + 1,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                reference.push((start, i, next));
                (start, i) = (next, next);
            }
            if start < b.len() {
                reference.push((start, b.len(), b.len()));
            }
            let lines: Vec<_> = Lines::new(&s)
                .map(|l| (l.start as usize, l.end as usize, l.next as usize))
                .collect();
            assert_eq!(lines, reference, "{s:?}");
            assert!(count_lines(&s) >= lines.len(), "{s:?}");
            let breaks = b.iter().filter(|&&c| c == b'\n' || c == b'\r').count();
            assert_eq!(count_lines(&s), breaks + 1, "{s:?}");
        }
    }

    #[test]
    fn keys_one_to_python_hash_alike() {
        let mut rng = Rng(7);
        let letters = [
            "a", "A", "k", "K", "\u{212a}", "z", "Z", "@", "[", "`", "{", "-", "0", "é", "É",
        ];
        for _ in 0..20_000 {
            let (a, b) = (rng.text(&letters, 10), rng.text(&letters, 10));
            if key_eq(&a, &b) {
                assert_eq!(folded_hash(&a), folded_hash(&b), "{a:?} {b:?}");
            }
            assert_eq!(folded_hash(&a), folded_hash(&fold_key(&a)), "{a:?}");
            assert_eq!(
                hash_lower(a.as_bytes()),
                hash_lower(a.to_ascii_lowercase().as_bytes())
            );
        }
        // Only ASCII capitals are folded byte-wise: `@`, `[`, `` ` `` and `{` border them.
        assert_ne!(hash_lower(b"@"), hash_lower(b"`"));
        assert_ne!(hash_lower(b"["), hash_lower(b"{"));
    }

    #[test]
    fn lookups_by_folded_key_match_a_scan() {
        let mut rng = Rng(11);
        let letters = ["a", "A", "b", "B", "\u{212a}", "k", "K", "-"];
        for _ in 0..2_000 {
            let mut text = String::from("[x]\nq=1\n[s]\n");
            let mut seen = Vec::new();
            for _ in 0..rng.below(12) {
                let key = format!("k{}", rng.text(&letters, 3));
                // Exact repeats are a parse error; case variants are not.
                if !seen.contains(&key) {
                    text.push_str(&format!("{key}={}\n", seen.len()));
                    seen.push(key);
                }
            }
            let d = doc(&text);
            let s = d.section("s").unwrap();
            let entries = d.entries(s);
            for probe in seen
                .iter()
                .map(String::as_str)
                .chain(["kz", "KA", "k\u{212a}"])
            {
                let scan = entries.iter().find(|e| key_eq(d.key(e), probe));
                assert_eq!(d.find_folded(s, probe), scan, "{text:?} {probe:?}");
            }
            let scan = (0..entries.len())
                .flat_map(|j| (0..j).map(move |i| (i, j)))
                .filter(|&(i, j)| key_eq(d.key(&entries[i]), d.key(&entries[j])))
                .min_by_key(|&(i, j)| (j, i));
            let found = d.folded_duplicate(s);
            assert_eq!(
                found,
                scan.map(|(i, j)| (&entries[i], &entries[j])),
                "{text:?}"
            );
        }
    }

    #[test]
    fn exact_repeats_are_found_among_case_variants() {
        assert!(matches!(
            Document::parse("[s]\nA=1\na=2\nb=0\nA=3\na=4\n").unwrap_err(),
            ParseError::DuplicateKey {
                first: 1,
                second: 4,
                ..
            }
        ));
        let d = doc("[s]\nA=1\nB=0\na=2\n");
        let s = &d.sections()[0];
        let (one, again) = d.folded_duplicate(s).unwrap();
        assert_eq!((one.line(), again.line()), (1, 3));
    }

    #[test]
    fn many_sections_are_checked_for_repeats() {
        let mut text: String = (0..100).map(|i| format!("[s{i}]\nk=1\n")).collect();
        assert!(Document::parse(&text).is_ok());
        text.push_str("[s7]\n");
        assert_eq!(
            Document::parse(&text).unwrap_err(),
            ParseError::DuplicateSection {
                name: "s7".into(),
                first: 14,
                second: 200
            }
        );
    }

    #[test]
    fn a_value_replaced_in_place_indexes_as_a_fresh_parse() {
        let mut rng = Rng(3);
        let values = [
            "1",
            "0",
            "10.0.0.1",
            "",
            " x",
            "x ",
            "a]",
            "a\n  b",
            "=",
            "\u{a0}",
            "long value",
        ];
        let texts = [
            "[a]\nw1=1\nw2 : 0 \n\n[b]\nw1=10.0.0.2\n",
            "[a]\r\nw1=1\r\n  [b]\r\nx=\r\n",
            "[s]\n[k = v\nz=1",
            "# c\n[s]\n\u{a0}w = yes ; n\n\x1cw2=\n[t]\nq=",
        ];
        for _ in 0..2_000 {
            let text = texts[rng.below(texts.len())];
            let Ok(mut d) = Document::parse(text) else {
                continue;
            };
            let sections: Vec<String> =
                d.sections().iter().map(|s| d.name(s).to_string()).collect();
            for _ in 0..3 {
                let section = &sections[rng.below(sections.len())];
                let key = ["w1", "w2", "w", "x", "z", "q", "[k"][rng.below(7)];
                let value = values[rng.below(values.len())];
                d.set(section, key, value, |k| k == key);
                let fresh = Document::parse(d.render()).unwrap();
                assert_eq!(
                    (&d.sections, &d.entries, &d.keys),
                    (&fresh.sections, &fresh.entries, &fresh.keys),
                    "{:?}",
                    d.render()
                );
            }
        }
    }

    #[test]
    fn plain_lines_read_as_the_long_way_reads_them() {
        let mut rng = Rng(5);
        let pieces = [
            "a", "K", "pio1", "=", ":", " ", "\t", "\x1c", "\u{a0}", "\u{3000}", "é", "[", "]",
            "#", ";", "1",
        ];
        for _ in 0..50_000 {
            let line = rng.text(&pieces, 8);
            let text = format!("{line}\n");
            let span = Lines::new(&text).next().unwrap_or(Span {
                start: 0,
                end: 0,
                next: 0,
            });
            let Some(plain) = plain_entry(&text, span) else {
                continue;
            };
            // The long way: as `index` reads any line.
            let stripped = py_strip(&line);
            assert!(indent(&line) == 0 && !stripped.is_empty(), "{line:?}");
            assert!(
                !is_comment(stripped) && header_name(stripped).is_none(),
                "{line:?}"
            );
            let (key, value) = split_option(stripped);
            assert!(!key.is_empty(), "{line:?}");
            assert_eq!(plain.key, range_in(&line, 0, key), "{line:?}");
            let value = value.map_or(NO_VALUE, |v| range_in(&line, 0, v));
            assert_eq!(plain.value, value, "{line:?}");
        }
    }

    #[test]
    fn values_are_replaced_in_place_only_when_the_line_reads_the_same() {
        let mut d = doc("[s]\nw1 = 1 \r\n[k = v\nbare\nc=1\n  more\n[t]\nx=2");
        assert!(d.replace_value(0, "10.0.0.12"));
        assert_eq!(
            d.render(),
            "[s]\nw1 = 10.0.0.12 \r\n[k = v\nbare\nc=1\n  more\n[t]\nx=2"
        );
        assert_eq!(d.value(d.get("t", "x").unwrap()).as_deref(), Some("2"));
        assert_eq!(d.name(&d.sections()[1]), "t");
        for refused in ["a]", " x", "x\u{3000}", "a\n  b", "a\rb"] {
            assert!(!d.replace_value(1, refused), "{refused:?}");
        }
        assert!(!d.replace_value(2, "1"), "a bare key");
        assert!(!d.replace_value(3, "1"), "a value on several lines");
        assert!(d.is_changed());
        let mut d = doc("[s]\nw=1\n");
        assert!(d.replace_value(0, "1") && !d.is_changed());
    }

    #[test]
    fn hash_table_slots_hold_their_entry() {
        for tagged in [true, false] {
            let slots = Slots { tagged };
            for (entry, hash) in [(0, 0), (5, 0xdead_beef), ((1 << 24) - 2, u32::MAX)] {
                let filled = slots.fill(entry, hash);
                assert_ne!(filled, 0);
                assert_eq!(slots.entry(filled), entry);
                assert!(slots.may_hold(filled, hash));
                assert_eq!(slots.may_hold(filled, hash ^ 1), !tagged);
            }
        }
        assert_eq!(first_slot(u32::MAX, 0), None);
        assert_eq!(first_slot(u32::MAX, 1), Some(0));
        assert_eq!(first_slot(u32::MAX, 16), Some(15));
        assert_eq!(first_slot(0x8000_0000, 16), Some(8));
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
