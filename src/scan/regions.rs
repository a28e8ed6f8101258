//! The byte ranges of a file's added lines, from the line ranges a diff gives.

use super::Added;
use std::ops::Range;

/// Byte ranges of the added regions and the line number each starts on.
pub(super) fn regions(data: &[u8], added: &Added) -> Vec<(Range<usize>, u32)> {
    match added {
        Added::All => vec![(0..data.len(), 1)],
        Added::Lines(ranges) => {
            let mut out = Vec::with_capacity(ranges.len());
            let mut line = 1u32;
            let mut pos = 0usize;
            let mut newlines = memchr::memchr_iter(b'\n', data);
            for r in ranges {
                // Advance to the start of line r.start.
                while line < r.start {
                    match newlines.next() {
                        Some(p) => {
                            pos = p + 1;
                            line += 1;
                        }
                        None => return out,
                    }
                }
                let start = pos;
                while line < r.end {
                    match newlines.next() {
                        Some(p) => {
                            pos = p + 1;
                            line += 1;
                        }
                        None => {
                            pos = data.len();
                            break;
                        }
                    }
                }
                out.push((start..pos, r.start));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_cover_exactly_the_added_lines() {
        let data = b"a\nb\nc\nd\ne";
        let r = regions(data, &Added::Lines(vec![2..3, 4..6]));
        assert_eq!(r, vec![(2..4, 2), (6..9, 4)]);
        assert_eq!(&data[6..9], b"d\ne");
    }
}
