//! Reading lines as Python's `configparser` does: line endings, white space, headers, keys
//! and values, eight bytes at a time where it can (pio is built for size, so plain byte loops
//! are not vectorised).

use std::ops::Range;

/// One line as Python reads a file opened in text mode (universal newlines): `text[start..end]`
/// is its content, `text[end..next]` its line ending (`\n`, `\r\n`, a lone `\r`, or nothing for a
/// last line without a final newline). Other characters `str.splitlines` breaks at (`\x0b`,
/// `\x0c`, `\x1c`-`\x1e`, `\x85`, U+2028, U+2029) do not end a line for `configparser`: it
/// iterates the file object, not `splitlines()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) next: u32,
}

impl Span {
    pub(super) fn content(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    /// Whether the line has no line ending (the last line of a file without a final newline).
    pub(super) fn is_open(self) -> bool {
        self.next == self.end
    }
}

/// Python's `str.isspace`: Unicode white space plus the ASCII separators `\x1c`-`\x1f` (which
/// Rust's `char::is_whitespace` leaves out). Python's `re` `\s`, used for indentation and around
/// delimiters, is the same set.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// [`is_py_space`] for an ASCII byte: `\t`, `\n`, `\x0b`, `\x0c`, `\r`, `\x1c`-`\x1f` and space.
#[inline(always)]
pub(super) fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=b' ')
}

/// Python's `str.strip()`: exactly `s.trim_matches(is_py_space)` (an all-space text gives the
/// empty slice at its start), byte by byte unless a non-ASCII character stands at an end.
pub(super) fn py_strip(s: &str) -> &str {
    let b = s.as_bytes();
    let Some(start) = b.iter().position(|&c| !is_ascii_py_space(c)) else {
        return &s[..0];
    };
    let end = b
        .iter()
        .rposition(|&c| !is_ascii_py_space(c))
        .map_or(start, |e| e + 1);
    if b[start] >= 0x80 || b[end - 1] >= 0x80 {
        return s.trim_matches(is_py_space);
    }
    &s[start..end]
}

/// A line's indentation as `configparser` measures it: the index, in characters (not bytes), of
/// its first non-white-space character.
pub(super) fn indent(line: &str) -> usize {
    let ascii = line.bytes().take_while(|&b| is_ascii_py_space(b)).count();
    match line.as_bytes().get(ascii) {
        Some(&b) if b >= 0x80 => {
            ascii
                + line[ascii..]
                    .chars()
                    .take_while(|&c| is_py_space(c))
                    .count()
        }
        _ => ascii,
    }
}

pub(super) fn is_comment(stripped: &str) -> bool {
    matches!(stripped.as_bytes().first(), Some(b'#' | b';'))
}

/// The range of `inner` within `outer` (`inner` must be a sub-slice of `outer`).
pub(super) fn range_in(outer: &str, outer_start: u32, inner: &str) -> Range<u32> {
    let start = outer_start + (inner.as_ptr() as usize - outer.as_ptr() as usize) as u32;
    start..start + inner.len() as u32
}

pub(super) fn usize_range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

/// The section name if the stripped line is a header: configparser's `\[(?P<header>.+)\]`,
/// anchored at the start only, so the name runs to the last `]`.
pub(super) fn header_name(stripped: &str) -> Option<&str> {
    if stripped.as_bytes().first() != Some(&b'[') {
        return None;
    }
    let rest = &stripped[1..];
    let close = rest.rfind(']')?;
    (close > 0).then(|| &rest[..close])
}

/// The position of the first `=` or `:` (keys are short: mostly one step of eight bytes).
pub(super) fn find_delimiter(b: &[u8]) -> Option<usize> {
    find_either(b, b'=', b':')
}

/// Splits an option line at the first `=` or `:` like configparser's OPTCRE_NV: the stripped key,
/// and the stripped value if a delimiter was present.
pub(super) fn split_option(stripped: &str) -> (&str, Option<&str>) {
    match find_delimiter(stripped.as_bytes()) {
        Some(pos) => (
            py_strip(&stripped[..pos]),
            Some(py_strip(&stripped[pos + 1..])),
        ),
        None => (stripped, None),
    }
}

/// The lines of a text, one [`Span`] at a time (no list of them: parsing needs none).
pub(super) struct Lines<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            bytes: text.as_bytes(),
            at: 0,
        }
    }
}

/// Eight bytes at a time (pio is built for size, so plain byte loops are not vectorised).
pub(super) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` that is `byte`, and no other bit (exact: no carries
/// between bytes).
#[inline(always)]
pub(super) fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    let low7 = ONES * 0x7f;
    !(((x & low7) + low7) | x | low7)
}

/// The high bit of each `\n` and `\r` byte of `word`.
#[inline(always)]
pub(super) fn breaks_in(word: u64) -> u64 {
    bytes_equal(word, b'\n') | bytes_equal(word, b'\r')
}

#[inline(always)]
pub(super) fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().expect("eight bytes"))
}

/// The position of the first `\n` or `\r`.
pub(super) fn find_break(bytes: &[u8]) -> Option<usize> {
    find_either(bytes, b'\n', b'\r')
}

/// The position of the first byte that is `one` or `other`, eight bytes at a time.
#[inline(always)]
pub(super) fn find_either(bytes: &[u8], one: u8, other: u8) -> Option<usize> {
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let w = word(&bytes[at..at + 8]);
        let found = bytes_equal(w, one) | bytes_equal(w, other);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == one || b == other)
        .map(|k| at + k)
}

impl Iterator for Lines<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let (bytes, start) = (self.bytes, self.at);
        if start >= bytes.len() {
            return None;
        }
        let (end, next) = match find_break(&bytes[start..]) {
            None => (bytes.len(), bytes.len()),
            Some(k) => {
                let end = start + k;
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                (end, end + 1 + usize::from(crlf))
            }
        };
        self.at = next;
        Some(Span {
            start: start as u32,
            end: end as u32,
            next: next as u32,
        })
    }
}

/// How many lines the text has (at most; a `\r\n` counts twice): a capacity, without a list.
pub(super) fn count_lines(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut count, mut at) = (1, 0);
    while at + 8 <= b.len() {
        // One high bit per line break: their sum, in the top byte (no popcount instruction on
        // every target).
        count += ((breaks_in(word(&b[at..at + 8])) >> 7).wrapping_mul(ONES) >> 56) as usize;
        at += 8;
    }
    count
        + b[at..]
            .iter()
            .filter(|&&c| c == b'\n' || c == b'\r')
            .count()
}

/// Every line's span, for edits (which need to look around a line); parsing streams them.
pub(super) fn split_lines(text: &str) -> Vec<Span> {
    let mut lines = Vec::with_capacity(count_lines(text));
    lines.extend(Lines::new(text));
    lines
}
