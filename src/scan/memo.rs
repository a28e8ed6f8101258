//! What one scan has already worked out about its generic candidates, so a
//! line that repeats itself (a minified bundle, a JSON array, `password=` run
//! together) pays for each distinct question once. Every entry is the answer
//! of a pure function to the bytes it is keyed on, so the memo changes no
//! result (issue 10 part 3).

use super::placeholder;
use crate::memohash::MemoHash;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

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
