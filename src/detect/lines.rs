//! Line bookkeeping for the detectors: which lines were added, where a line
//! starts and ends, and the column of an offset. Detectors see the whole file
//! (a Kubernetes `data:` block or a Terraform `variable` header may sit on an
//! unchanged line) but report only on added lines, like the rule scanner.

use crate::scan::Added;
use std::ops::Range;

/// True when 1-based `line` is among the added lines.
pub fn is_added(added: &Added, line: u32) -> bool {
    match added {
        Added::All => true,
        Added::Lines(ranges) => {
            let i = ranges.partition_point(|r| r.end <= line);
            ranges.get(i).is_some_and(|r| r.start <= line)
        }
    }
}

/// True when the file has any added line at all.
pub fn has_added(added: &Added) -> bool {
    match added {
        Added::All => true,
        Added::Lines(ranges) => ranges.iter().any(|r| r.start < r.end),
    }
}

/// Every line of `data` as (1-based number, byte range without the newline and
/// any `\r`), in order. Linear in the size of `data`.
pub fn all(data: &[u8]) -> impl Iterator<Item = (u32, Range<usize>)> + '_ {
    let mut start = 0usize;
    let mut no = 0u32;
    std::iter::from_fn(move || {
        if start > data.len() || (start == data.len() && no > 0) {
            return None;
        }
        no += 1;
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        let mut stop = end;
        if stop > start && data[stop - 1] == b'\r' {
            stop -= 1;
        }
        let r = start..stop;
        start = end + 1;
        Some((no, r))
    })
}

/// The added lines of `data` that do not carry the inline allow marker.
pub fn reportable<'a>(
    data: &'a [u8],
    added: &'a Added,
) -> impl Iterator<Item = (u32, Range<usize>)> + 'a {
    all(data).filter(move |(no, r)| reportable_line(added, *no, &data[r.clone()]))
}

/// True when line `no`, holding `line`, is added and not marked `keyhook:allow`.
pub fn reportable_line(added: &Added, no: u32, line: &[u8]) -> bool {
    is_added(added, no) && !crate::scan::allows(line)
}

pub use crate::scan::cursor::{column, Cursor};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_membership() {
        let a = Added::Lines(vec![2..4, 7..8]);
        let got: Vec<u32> = (1..10).filter(|&l| is_added(&a, l)).collect();
        assert_eq!(got, [2, 3, 7]);
        assert!(!has_added(&Added::Lines(vec![])));
    }

    #[test]
    fn lines_strip_crlf_and_count_a_final_unterminated_line() {
        let data = b"a\r\nbb\nccc";
        let got: Vec<_> = all(data).map(|(n, r)| (n, &data[r])).collect();
        assert_eq!(got, [(1, &b"a"[..]), (2, &b"bb"[..]), (3, &b"ccc"[..])]);
        assert_eq!(all(b"x\n").count(), 1);
    }

    #[test]
    fn reportable_skips_allowed_and_unchanged_lines() {
        let data = b"A=1\nB=2 # keyhook:allow\nC=3\n";
        let added = Added::Lines(vec![2..4, 9..10]);
        let got: Vec<u32> = reportable(data, &added).map(|(n, _)| n).collect();
        assert_eq!(got, [3]);
    }

    #[test]
    fn cursor_and_column() {
        let data = "ab\ncdé=x".as_bytes();
        let mut c = Cursor::new(data, 1);
        let (line, r) = c.line_of(data.len() - 1);
        assert_eq!(line, 2);
        assert_eq!(column(data, r.start, data.len() - 1), 5);
    }
}
