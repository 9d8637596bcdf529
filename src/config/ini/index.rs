//! Indexing a text: its sections, entries and each section's hash table of keys, with
//! configparser's structural and duplicate checks.

use std::collections::HashMap;

use super::scan::*;
use super::{Entry, NO_VALUE, ParseError, Section, fold_key, key_eq};

/// A generation no document has had yet in this process (never 0).
pub(super) fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The entry on a line that starts with its key, in ASCII and at the first column, as
/// [`index`] would read it (its line numbers left 0); `None` for any other line, which
/// [`index`] reads the long way. Such a line is no blank, comment, header or continuation (its
/// indentation is 0), so it is an entry: the key up to the first `=` or `:` (or the whole line)
/// and the value after it, each stripped. Whenever a stripped end would meet a non-ASCII
/// character (which may be Unicode white space) the long way decides.
pub(super) fn plain_entry(text: &str, span: Span) -> Option<Entry> {
    let line = &text.as_bytes()[span.content()];
    let first = *line.first()?;
    if first >= 0x80 || is_ascii_py_space(first) || matches!(first, b'[' | b'#' | b';') {
        return None;
    }
    let solid = |b: &u8| !is_ascii_py_space(*b);
    // `first` is solid, so the line is not blank; its stripped end must be ASCII.
    let end = line.iter().rposition(solid)? + 1;
    if line[end - 1] >= 0x80 {
        return None;
    }
    let at = |k: usize| span.start + k as u32;
    let Some(delimiter) = find_delimiter(&line[..end]) else {
        return Some(Entry {
            key: at(0)..at(end),
            value: NO_VALUE,
            line: 0,
            last_line: 0,
        });
    };
    // An empty key (`=1`) is an error, for the long way to report.
    let key_end = line[..delimiter].iter().rposition(solid)? + 1;
    let value_start = match line[delimiter + 1..end].iter().position(solid) {
        None => delimiter + 1,
        Some(k) => delimiter + 1 + k,
    };
    if line[key_end - 1] >= 0x80 || line.get(value_start).is_some_and(|&b| b >= 0x80) {
        return None;
    }
    Some(Entry {
        key: at(0)..at(key_end),
        value: at(value_start)..at(end.max(value_start)),
        line: 0,
        last_line: 0,
    })
}

/// What parsing finds: the sections, every entry, and each section's hash table of keys.
pub(super) struct Index {
    pub(super) sections: Vec<Section>,
    pub(super) entries: Vec<Entry>,
    pub(super) keys: Vec<u32>,
}

/// Past this many sections, duplicate headers are looked up in a hash map rather than by a scan:
/// a file of thousands of sections must not take quadratic time.
pub(super) const SECTIONS_SCANNED: usize = 32;

/// Finds sections and entries, following configparser's `_read` line by line.
pub(super) fn index(
    text: &str,
    mut entries: Vec<Entry>,
    mut keys: Vec<u32>,
) -> Result<Index, ParseError> {
    let mut sections: Vec<Section> = Vec::new();
    // At most one entry per line: sized once, never grown (pages never written cost nothing).
    entries.reserve(count_lines(text));
    let mut names: Option<HashMap<&str, usize>> = None;
    // Since the current section's header: whether the last entry has a value (which deeper
    // indented lines continue); `None` before its first entry.
    let mut key_since_header: Option<bool> = None;
    let mut indent_level = 0usize;
    let mut line_count = 0;

    for (i, span) in Lines::new(text).enumerate() {
        line_count = i + 1;
        // Most lines are `key=value` at the start of the line, in ASCII: read at once.
        if let (Some(plain), Some(section)) = (plain_entry(text, span), sections.last_mut()) {
            indent_level = 0;
            key_since_header = Some(plain.value != NO_VALUE);
            entries.push(Entry {
                line: i as u32,
                last_line: i as u32,
                ..plain
            });
            section.entries.end = entries.len() as u32;
            continue;
        }
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
            let first = match &names {
                Some(map) => map.get(name).copied(),
                None => sections
                    .iter()
                    .position(|s| &text[usize_range(&s.name)] == name),
            };
            if let Some(first) = first {
                return Err(ParseError::DuplicateSection {
                    name: name.to_string(),
                    first: sections[first].header_line,
                    second: i,
                });
            }
            if let Some(s) = sections.last_mut() {
                s.end = i;
                index_keys(text, s, &entries, &mut keys)?;
            }
            let at = entries.len() as u32;
            sections.push(Section {
                name: range_in(line, span.start, name),
                header_line: i,
                // Set at the next header, or once the last line is known.
                end: usize::MAX,
                entries: at..at,
                table: 0..0,
                folded_duplicate: None,
            });
            match &mut names {
                Some(map) => {
                    map.insert(name, sections.len() - 1);
                }
                None if sections.len() == SECTIONS_SCANNED => {
                    names = Some(
                        sections
                            .iter()
                            .enumerate()
                            .map(|(k, s)| (&text[usize_range(&s.name)], k))
                            .collect(),
                    );
                }
                None => {}
            }
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
    if let Some(s) = sections.last_mut() {
        s.end = line_count;
        index_keys(text, s, &entries, &mut keys)?;
    }
    Ok(Index {
        sections,
        entries,
        keys,
    })
}

/// A key's spelling as Python's `str.lower` gives it, hashed: keys that [`key_eq`] calls equal
/// hash alike. Allocates only for a non-ASCII key.
pub(super) fn folded_hash(key: &str) -> u32 {
    if key.is_ascii() {
        hash_lower(key.as_bytes())
    } else {
        hash_lower(fold_key(key).as_bytes())
    }
}

/// The eight bytes of `w` with ASCII capitals as small letters (other bytes as they are).
#[inline(always)]
pub(super) fn lower(w: u64) -> u64 {
    let low7 = w & (ONES * 0x7f);
    let at_least_a = low7 + ONES * (0x80 - u64::from(b'A'));
    let past_z = low7 + ONES * (0x80 - u64::from(b'Z') - 1);
    let capital = at_least_a & !past_z & !w & (ONES * 0x80);
    w | (capital >> 2)
}

/// This process's hash seed: a file written to make many keys hash alike (and so slow every
/// lookup) cannot know it.
pub(super) fn seed() -> u64 {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| std::hash::RandomState::new().hash_one(b"pio"))
}

/// A hash of the bytes with ASCII capitals as small letters (other bytes as they are), eight
/// bytes at a time (FxHash's step, seeded, the length mixed in first).
pub(super) fn hash_lower(bytes: &[u8]) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let n = bytes.len();
    let mut h = step(seed(), n as u64);
    let mut at = 0;
    while at + 8 < n {
        h = step(h, lower(word(&bytes[at..at + 8])));
        at += 8;
    }
    // The last one to eight bytes, read whole (with the length mixed in, a fixed choice of
    // bytes covering them all is as good as the bytes in order).
    let rest = &bytes[at..];
    let half = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().expect("four bytes")));
    let last = match rest.len() {
        0 => 0,
        k @ 1..=3 => {
            u64::from(rest[0]) | u64::from(rest[k / 2]) << 8 | u64::from(rest[k - 1]) << 16
        }
        k @ 4..=7 => half(&rest[..4]) | half(&rest[k - 4..]) << 32,
        _ => word(rest),
    };
    (step(h, lower(last)) >> 32) as u32
}

/// Where a key of this hash is first looked for in a table of `len` slots (a power of two):
/// the hash's top bits, which mix best. `None` for an empty table.
pub(super) fn first_slot(hash: u32, len: usize) -> Option<usize> {
    let bits = len.checked_ilog2()?;
    Some((u64::from(hash) << bits >> 32) as usize)
}

/// How a section's hash table slots read: `0` is empty, else the entry's index + 1 in the low 24
/// bits and 8 bits of its key's hash above (so that keys are compared only where these agree),
/// unless the entry list is too long for that (a file of tens of megabytes), when a slot is the
/// index + 1 alone.
#[derive(Clone, Copy)]
pub(super) struct Slots {
    pub(super) tagged: bool,
}

impl Slots {
    const INDEX_BITS: u32 = 24;

    pub(super) fn of(section: &Section) -> Slots {
        Slots {
            tagged: section.entries.end < 1 << Slots::INDEX_BITS,
        }
    }

    pub(super) fn tag(self, hash: u32) -> u32 {
        if self.tagged {
            (hash & 0xff) << Slots::INDEX_BITS
        } else {
            0
        }
    }

    pub(super) fn fill(self, entry: usize, hash: u32) -> u32 {
        self.tag(hash) | (entry as u32 + 1)
    }

    pub(super) fn entry(self, filled: u32) -> usize {
        let index = if self.tagged {
            filled & ((1 << Slots::INDEX_BITS) - 1)
        } else {
            filled
        };
        index as usize - 1
    }

    /// Whether a filled slot may hold a key of this hash (then the keys are compared).
    pub(super) fn may_hold(self, filled: u32, hash: u32) -> bool {
        !self.tagged || filled >> Slots::INDEX_BITS == hash & 0xff
    }
}

/// Indexes the section's keys: a hash table (open addressing, linear probing, at most two
/// thirds full) of each key's first entry as Python lower-cases keys, appended to `keys` (see
/// [`Slots`]). Notes
/// the earliest key written again in another case, and makes configparser's strict check: a
/// key at most once per section, an error at the earliest second occurrence (Python stops
/// there). Every key is hashed once; keys are compared only where their slots meet.
pub(super) fn index_keys(
    text: &str,
    section: &mut Section,
    entries: &[Entry],
    keys: &mut Vec<u32>,
) -> Result<(), ParseError> {
    let key = |i: usize| &text[usize_range(&entries[i].key)];
    let range = section.entries.start as usize..section.entries.end as usize;
    let n = range.len();
    let len = if n == 0 {
        0
    } else {
        (n + n / 2 + 1).next_power_of_two()
    };
    let from = keys.len();
    keys.resize(from + len, 0);
    section.table = from as u32..(from + len) as u32;
    let table = &mut keys[from..];
    let slots = Slots::of(section);
    let mut folded = None;
    for i in range.clone() {
        let hash = folded_hash(key(i));
        let Some(mut slot) = first_slot(hash, len) else {
            break;
        };
        loop {
            match table[slot] {
                0 => {
                    table[slot] = slots.fill(i, hash);
                    break;
                }
                filled
                    if slots.may_hold(filled, hash) && key_eq(key(slots.entry(filled)), key(i)) =>
                {
                    // In file order, the first repetition met is the earliest one.
                    folded.get_or_insert((slots.entry(filled) as u32, i as u32));
                    break;
                }
                _ => slot = (slot + 1) & (len - 1),
            }
        }
    }
    section.folded_duplicate = folded;
    if folded.is_none() {
        // The same spelling twice is the same key in any case too.
        return Ok(());
    }
    // Rare (a key written in two cases): the plain check, sorting this section's keys.
    let mut order: Vec<usize> = range.collect();
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
    let repeated = order
        .windows(2)
        .filter(|w| key(w[0]) == key(w[1]))
        .min_by_key(|w| w[1]);
    match repeated {
        Some(w) => Err(ParseError::DuplicateKey {
            section: text[usize_range(&section.name)].to_string(),
            key: key(w[1]).to_string(),
            first: entries[w[0]].line(),
            second: entries[w[1]].line(),
        }),
        None => Ok(()),
    }
}
