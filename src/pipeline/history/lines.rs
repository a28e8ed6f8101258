//! Which lines of a file's new version are new: the history's cheap
//! replacement for a diff. The common head and tail are skipped at memcmp
//! speed, and a line of the changed middle is new unless it is somewhere in the
//! old middle.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Lines of `new` (1-based, end-exclusive ranges) that are not in `old`.
///
/// The history asks only "is this line new in this commit?". The common head
/// and tail of the two versions are skipped at memcmp speed; a line of the
/// changed middle is new unless it is somewhere in the old middle (a moved or
/// duplicated line brought nothing new: whatever it holds was reported at the
/// older commit that wrote it). A set of lines instead of a diff: one pass
/// over each side.
pub fn new_lines(old: &[u8], new: &[u8]) -> Vec<Range<u32>> {
    let head = line_start_before(new, common_prefix(old, new));
    let tail_max = old.len().min(new.len()) - head;
    let tail = common_suffix(&old[head..], &new[head..]).min(tail_max);
    let tail = whole_line_tail(old, new, tail);
    let (old_mid, new_mid) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let first_line = memchr::memchr_iter(b'\n', &new[..head]).count() as u32 + 1;
    let capacity = memchr::memchr_iter(b'\n', old_mid).count() + 1;
    let mut old_set: HashSet<&[u8], BuildHasherDefault<LineHasher>> =
        HashSet::with_capacity_and_hasher(capacity, Default::default());
    old_set.extend(split_lines(old_mid));
    let mut ranges: Vec<Range<u32>> = Vec::new();
    for (i, line) in split_lines(new_mid).enumerate() {
        if old_set.contains(line) {
            continue;
        }
        let n = first_line + i as u32;
        match ranges.last_mut() {
            Some(r) if r.end == n => r.end = n + 1,
            _ => ranges.push(n..n + 1),
        }
    }
    ranges
}

/// Length of the common prefix, comparing 64-byte blocks with memcmp first.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 64 <= n && a[i..i + 64] == b[i..i + 64] {
        i += 64;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the common suffix.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + 64 <= n && a[n - i - 64..n - i] == b[n - i - 64..n - i] {
        i += 64;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

/// The start of the line holding byte `at` (so the skipped head is whole lines).
fn line_start_before(text: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &text[..at]).map_or(0, |p| p + 1)
}

/// Shrinks a common tail of `tail` bytes so that it starts at a line start in
/// both texts (the tail bytes are equal; the bytes before them may not be).
fn whole_line_tail(old: &[u8], new: &[u8], tail: usize) -> usize {
    let aligned = |t: &[u8]| {
        let start = t.len() - tail;
        start == 0 || t[start - 1] == b'\n'
    };
    if aligned(old) && aligned(new) {
        return tail;
    }
    match memchr::memchr(b'\n', &new[new.len() - tail..]) {
        Some(p) => tail - (p + 1),
        None => 0,
    }
}

/// The lines of `text` without their `\n`; no empty last line after a final `\n`.
fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    let empty = text.is_empty();
    text.split(|&b| b == b'\n').filter(move |_| !empty)
}

/// A fast hash for lines (FxHash's mixing, eight bytes at a time, with a final
/// avalanche): SipHash took a quarter of a history scan. Not DoS-resistant; the
/// worst a crafted file can do is slow its own comparison.
#[derive(Default)]
struct LineHasher(u64);

impl Hasher for LineHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        let h = self.0 ^ (self.0 >> 33);
        h.wrapping_mul(0xff51_afd7_ed55_8ccd) ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_lines_are_those_in_no_line_of_the_old_version() {
        let old = b"a\nb\nc\n";
        assert_eq!(new_lines(old, b"a\nb\nc\n"), Vec::<Range<u32>>::new());
        assert_eq!(new_lines(old, b"x\na\ny\nz\nb\nc"), vec![1..2, 3..5]);
        // Moved and duplicated lines are not new.
        assert_eq!(new_lines(old, b"c\nb\na\na\n"), Vec::<Range<u32>>::new());
        assert_eq!(new_lines(b"", b"a\n\nb"), vec![1..4]);
        assert_eq!(new_lines(old, b""), Vec::<Range<u32>>::new());
        // Head and tail are skipped whole-line; the middle is still judged by line.
        let old = b"one\ntwo\nthree\nfour\n";
        assert_eq!(new_lines(old, b"one\ntwo!\nthree\nfour\n"), vec![2..3]);
        assert_eq!(new_lines(old, b"one\ntwo\nthree\nfour\nfive\n"), vec![5..6]);
        assert_eq!(new_lines(old, b"zero\none\ntwo\nthree\nfour\n"), vec![1..2]);
        assert_eq!(
            new_lines(old, b"one\ntwo\nthree\nfour"),
            Vec::<Range<u32>>::new()
        );
        assert_eq!(new_lines(b"ab\n", b"xab\n"), vec![1..2]);
        assert_eq!(new_lines(b"abc\nx\n", b"abd\nx\n"), vec![1..2]);
        // A line that is only part of an old line is new.
        assert_eq!(
            new_lines(b"TOKEN=abcxyz\n", b"TOKEN=abc\nxyz\n"),
            vec![1..3]
        );
        let big_old: Vec<u8> = (0..500)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let mut big_new = big_old.clone();
        let pos = memchr::memchr(b'\n', &big_old[3000..]).unwrap() + 3001;
        big_new.splice(pos..pos, b"inserted line\n".iter().copied());
        let at = memchr::memchr_iter(b'\n', &big_new[..pos]).count() as u32 + 1;
        assert_eq!(new_lines(&big_old, &big_new), vec![at..at + 1]);
    }
}
