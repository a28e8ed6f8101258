//! Line numbers and columns for ascending byte offsets: one pass over a text,
//! shared by the scanner and the detectors.

use std::ops::Range;

/// Incremental line numbering for ascending offsets.
#[derive(Debug)]
pub struct Cursor<'a> {
    text: &'a [u8],
    line: u32,
    line_start: usize,
}

impl<'a> Cursor<'a> {
    /// Starts at offset 0, which is on line `first_line`.
    pub fn new(text: &'a [u8], first_line: u32) -> Self {
        Cursor {
            text,
            line: first_line,
            line_start: 0,
        }
    }

    /// Line number and byte range (without the newline) of the line holding
    /// `offset`; offsets must not decrease between calls.
    pub fn line_of(&mut self, offset: usize) -> (u32, Range<usize>) {
        let gap = &self.text[self.line_start..offset];
        self.line += memchr::memchr_iter(b'\n', gap).count() as u32;
        if let Some(p) = memchr::memrchr(b'\n', gap) {
            self.line_start += p + 1;
        }
        let end =
            memchr::memchr(b'\n', &self.text[offset..]).map_or(self.text.len(), |p| offset + p);
        (self.line, self.line_start..end)
    }
}

/// 1-based column, in characters, of byte `offset` within the line starting at
/// `line_start` (invalid UTF-8 counts one character per replaced sequence).
pub fn column(text: &[u8], line_start: usize, offset: usize) -> u32 {
    String::from_utf8_lossy(&text[line_start..offset])
        .chars()
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_counts_lines() {
        let text = b"one\ntwo\nthree";
        let mut c = Cursor::new(text, 10);
        assert_eq!(c.line_of(1), (10, 0..3));
        assert_eq!(c.line_of(9), (12, 8..13));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(column("aé b".as_bytes(), 0, 4), 4);
        assert_eq!(column(b"x\nab", 2, 4), 3);
    }
}
