//! What one scan has already worked out about its generic candidates, so a
//! line that repeats itself (a minified bundle, a JSON array, `password=` run
//! together) pays for each distinct question once. Every entry is the answer
//! of a pure function to the bytes it is keyed on, so the memo changes no
//! result (issue 10 part 3).

use super::placeholder;
use crate::memohash::MemoHash;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::ops::Range;

/// Longest value whose placeholder verdict is remembered: values judged by
/// the thousand on one line are short, and the bound keeps the memo small.
const MAX_VALUE: usize = 64;

/// Entries kept in each table before it starts over, bounding its memory.
const MAX_ENTRIES: usize = 4096;

#[derive(Default)]
pub(super) struct Memo {
    hasher: MemoHash,
    /// Generic judgements, by a keyed hash of the candidate (its clipped
    /// line, offsets and file kind): the secret's end in the line, or `None`
    /// when rejected. Only candidates nested in a rejected value (the ones
    /// that repeat) are hashed, so ordinary code pays nothing for it.
    judged: HashMap<u64, Option<usize>, MemoHash>,
    /// Whether a short value is a placeholder, by its bytes.
    placeholders: HashMap<Box<[u8]>, bool, MemoHash>,
    /// A stretch of the text known to hold no newline: candidates of a
    /// minified line, each read with the kilobyte around it, find their line
    /// without searching that kilobyte for newlines again.
    plain: Range<usize>,
    /// End of the furthest value rejected so far in the window.
    pub rejected_end: usize,
    /// The last candidate judged was in documentation (a doc comment or
    /// docstring), judged with the docs policy: its rejection says nothing
    /// about the same bytes elsewhere.
    pub documented: bool,
}

impl Memo {
    /// True for a candidate starting at `start` inside a rejected value.
    pub fn nested(&self, start: usize) -> bool {
        start < self.rejected_end
    }

    /// [`placeholder::is_placeholder`] of `value`, asked once per distinct
    /// short value: minified code asks it of `e.password||` thousands of times.
    pub fn is_placeholder(&mut self, value: &[u8]) -> bool {
        if value.len() > MAX_VALUE {
            return placeholder::is_placeholder(value);
        }
        if let Some(&known) = self.placeholders.get(value) {
            return known;
        }
        if self.placeholders.len() >= MAX_ENTRIES {
            self.placeholders.clear();
        }
        let verdict = placeholder::is_placeholder(value);
        self.placeholders.insert(value.into(), verdict);
        verdict
    }

    /// The part of `context` (a stretch of `text` around the match from
    /// `start` whose value ends at `value_end`) on the match's line: from
    /// after the last newline before `start` to the first newline from
    /// `value_end`, each bounded by the context. Only bytes not yet known to
    /// hold no newline are searched: on a minified line, the few new bytes
    /// each candidate's context adds.
    pub fn line_around(
        &mut self,
        text: &[u8],
        context: Range<usize>,
        start: usize,
        value_end: usize,
    ) -> (usize, usize) {
        let line_start = self.after_last_newline(text, context.start, start);
        let line_end = self.first_newline(text, value_end, context.end);
        (line_start, line_end)
    }

    /// Where the line holding `to` starts, at `from` at the earliest.
    fn after_last_newline(&mut self, text: &[u8], from: usize, to: usize) -> usize {
        let plain = self.plain.clone();
        let joins = plain.start <= to && to <= plain.end;
        // Only the part before the known stretch needs searching.
        let end = if joins {
            plain.start.clamp(from, to)
        } else {
            to
        };
        match memchr::memrchr(b'\n', &text[from..end]) {
            Some(p) => from + p + 1,
            None => {
                self.plain = if joins {
                    plain.start.min(from)..plain.end
                } else {
                    from..to
                };
                from
            }
        }
    }

    /// The first newline from `from` on, or `to` when there is none before it.
    fn first_newline(&mut self, text: &[u8], from: usize, to: usize) -> usize {
        let plain = self.plain.clone();
        let joins = plain.start <= from && from <= plain.end;
        // Only the part after the known stretch needs searching.
        let begin = if joins {
            plain.end.clamp(from, to)
        } else {
            from
        };
        let found = memchr::memchr(b'\n', &text[begin..to]).map_or(to, |p| begin + p);
        self.plain = if joins {
            plain.start..plain.end.max(found)
        } else {
            from..found
        };
        found
    }

    /// The judgement of the candidate keyed by `key`, made by `judge` the
    /// first time.
    pub fn judged(
        &mut self,
        key: impl Hash,
        judge: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        let key = self.hasher.hash_one(key);
        if self.judged.len() >= MAX_ENTRIES && !self.judged.contains_key(&key) {
            self.judged.clear();
        }
        *self.judged.entry(key).or_insert_with(judge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::Rng;

    /// Line bounds found by searching the context each time.
    fn searched(
        text: &[u8],
        lo: usize,
        start: usize,
        value_end: usize,
        hi: usize,
    ) -> (usize, usize) {
        let line_start = memchr::memrchr(b'\n', &text[lo..start]).map_or(lo, |p| lo + p + 1);
        let line_end = memchr::memchr(b'\n', &text[value_end..hi]).map_or(hi, |p| value_end + p);
        (line_start, line_end)
    }

    #[test]
    fn remembered_stretches_give_the_searched_line_bounds() {
        let mut rng = Rng::new(0x6c69_6e65);
        for _ in 0..300 {
            let len = 50 + rng.below(400);
            // Newlines now and then, sometimes none for long stretches.
            let every = 5 + rng.below(200);
            let text: Vec<u8> = (0..len)
                .map(|_| if rng.below(every) == 0 { b'\n' } else { b'a' })
                .collect();
            let mut memo = Memo::default();
            let mut at = 0;
            for _ in 0..60 {
                // Mostly forward, as a scan goes; sometimes back.
                at = if rng.below(5) == 0 {
                    rng.below(len)
                } else {
                    (at + rng.below(20)) % len
                };
                let start = at;
                let value_end = (start + rng.below(12)).min(len);
                let lo = start.saturating_sub(rng.below(40));
                let hi = (value_end + rng.below(40)).min(len);
                assert_eq!(
                    memo.line_around(&text, lo..hi, start, value_end),
                    searched(&text, lo, start, value_end, hi),
                    "{lo}..{hi} around {start}..{value_end} of {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}
