//! Line numbers and columns for ascending byte offsets: one pass over a text,
//! shared by the scanner and the detectors.
//!
//! Every answer is incremental (issue 10, part 3): a line's end, its inline
//! allow marker and the column of an offset are found once per line and
//! extended from the previous offset, never recomputed from the line's start,
//! so a million hits on one minified line cost one pass over it.

use std::ops::Range;

/// Incremental line numbering for ascending offsets.
#[derive(Debug)]
pub struct Cursor<'a> {
    text: &'a [u8],
    line: u32,
    line_start: usize,
    /// The offset of the previous call: newlines before it are counted.
    pos: usize,
    /// End of the current line (its newline or the text's end), once known.
    line_end: Option<usize>,
    /// A point of the current line where decoding may restart, and the
    /// 1-based column there (see [`Cursor::column`]).
    col_mark: (usize, u32),
    /// Whether the current line holds the allow marker, once asked.
    allowed: Option<bool>,
}

impl<'a> Cursor<'a> {
    /// Starts at offset 0, which is on line `first_line`.
    pub fn new(text: &'a [u8], first_line: u32) -> Self {
        Cursor {
            text,
            line: first_line,
            line_start: 0,
            pos: 0,
            line_end: None,
            col_mark: (0, 1),
            allowed: None,
        }
    }

    /// Line number and byte range (without the newline) of the line holding
    /// `offset`; offsets must not decrease between calls.
    pub fn line_of(&mut self, offset: usize) -> (u32, Range<usize>) {
        let offset = offset.max(self.pos);
        if let Some(end) = self.line_end.filter(|&end| offset <= end) {
            self.pos = offset;
            return (self.line, self.line_start..end);
        }
        let gap = &self.text[self.pos..offset];
        self.line += memchr::memchr_iter(b'\n', gap).count() as u32;
        if let Some(p) = memchr::memrchr(b'\n', gap) {
            self.line_start = self.pos + p + 1;
            self.col_mark = (self.line_start, 1);
            self.allowed = None;
        }
        self.pos = offset;
        let end =
            memchr::memchr(b'\n', &self.text[offset..]).map_or(self.text.len(), |p| offset + p);
        self.line_end = Some(end);
        (self.line, self.line_start..end)
    }

    /// 1-based column, in characters, of `offset` on its line, as [`column`]
    /// counts it; offsets must not decrease between calls.
    pub fn column(&mut self, offset: usize) -> u32 {
        let (_, range) = self.line_of(offset);
        let offset = offset.max(range.start);
        let (mark, col) = self.col_mark;
        let (mark, col) = if mark <= offset {
            (mark, col)
        } else {
            (range.start, 1)
        };
        let split = restart_point(self.text, mark, offset);
        let col = col + chars(&self.text[mark..split]);
        self.col_mark = (split, col);
        col + chars(&self.text[split..offset])
    }

    /// True when the line holding `offset` carries `marker` (searched once
    /// per line); offsets must not decrease between calls.
    pub fn line_has(&mut self, offset: usize, marker: &[u8]) -> bool {
        let (_, range) = self.line_of(offset);
        *self
            .allowed
            .get_or_insert_with(|| memchr::memmem::find(&self.text[range], marker).is_some())
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xc0).contains(&b)
}

/// The last point in `from..=to`, at most three bytes before `to`, where lossy
/// UTF-8 decoding restarts whatever came before: a byte that cannot continue a
/// sequence, or one with no lead byte in the three before it (no sequence is
/// longer than four bytes). Counting characters on either side of it then
/// adds up to counting the whole.
fn restart_point(text: &[u8], from: usize, to: usize) -> usize {
    let mut q = to;
    while q > from {
        let lead_before = text[q.saturating_sub(3).max(from)..q]
            .iter()
            .any(|&b| !is_continuation(b));
        if q == text.len() || !is_continuation(text[q]) || !lead_before {
            return q;
        }
        q -= 1;
    }
    from
}

/// Characters in `bytes` as `String::from_utf8_lossy` would give them (one
/// per replaced invalid sequence), without allocating.
fn chars(bytes: &[u8]) -> u32 {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum::<usize>() as u32
}

/// 1-based column, in characters, of byte `offset` within the line starting at
/// `line_start` (invalid UTF-8 counts one character per replaced sequence).
pub fn column(text: &[u8], line_start: usize, offset: usize) -> u32 {
    chars(&text[line_start..offset]) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_counts_lines() {
        let text = b"one\ntwo\nthree";
        let mut c = Cursor::new(text, 10);
        assert_eq!(c.line_of(1), (10, 0..3));
        assert_eq!(c.line_of(3), (10, 0..3));
        assert_eq!(c.line_of(9), (12, 8..13));
        assert_eq!(c.line_of(13), (12, 8..13));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(column("aé b".as_bytes(), 0, 4), 4);
        assert_eq!(column(b"x\nab", 2, 4), 3);
    }

    /// The incremental column equals the one counted from the line's start,
    /// at every offset of text mixing valid, truncated and stray UTF-8.
    #[test]
    fn incremental_columns_match_counting_from_the_line_start() {
        let text: Vec<u8> = [
            "aé€𝄞b".as_bytes(),
            &[
                0xe2, 0x82, b'x', 0x80, 0x80, 0x80, 0x80, 0x80, 0xf0, 0x9d, 0x84,
            ],
            b"\n\xc3\xa9z\xff\xc0\x80q\n",
            "tail é".as_bytes(),
        ]
        .concat();
        for step in 1..4 {
            let mut c = Cursor::new(&text, 1);
            let mut expected = Cursor::new(&text, 1);
            for offset in (0..=text.len()).step_by(step) {
                let (_, range) = expected.line_of(offset);
                assert_eq!(
                    c.column(offset),
                    column(&text, range.start, offset),
                    "offset {offset} step {step}"
                );
            }
        }
    }

    #[test]
    fn the_marker_is_looked_up_per_line() {
        let text = b"a keyhook:allow b\nc d\n";
        let mut c = Cursor::new(text, 1);
        assert!(c.line_has(0, b"keyhook:allow"));
        assert!(c.line_has(16, b"keyhook:allow"));
        assert!(!c.line_has(18, b"keyhook:allow"));
    }
}
