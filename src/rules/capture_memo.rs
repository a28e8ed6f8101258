//! Capture groups already extracted during one scan, keyed by the bytes that
//! decide them, so a match repeated many times costs one capture extraction.
//!
//! Once a rule's lazy DFA has found where a match starts and ends, an NFA
//! engine runs over the match alone to place the capture groups. That is the
//! costliest step per match: the bounded backtracker explores a few hundred
//! NFA states even for a 20-byte match (`password:e.password||`), which a
//! minified bundle or a JSON array repeats thousands of times on one line
//! (issue 10 part 3). The engine's answer depends only on the match's bytes
//! and on the bytes its look-around assertions (`\b`, `^`, `$`) read next to
//! them, so equal keys give equal groups: the memo changes no result.

use crate::memohash::MemoHash;
use regex_automata::util::captures::Captures;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::PatternID;
use std::collections::HashMap;
use std::ops::Range;

/// Bytes read on each side of a match for its key: a look-around assertion
/// reads one byte past the match in ASCII mode, at most a UTF-8 character's
/// four in Unicode mode.
const LOOK: usize = 4;

/// Longest match remembered. Short matches are the ones that repeat, but so do
/// long ones a search cut at its reach (`password=` run together: every match
/// runs to the cut, a kilobyte on), and the backtracker's work grows with the
/// match's length times the pattern's states: tens of microseconds for such a
/// match, against well under one to hash its key. Past this, a match came
/// from a search that read to the window's end, which happens once.
const MAX_MATCH: usize = 4096;

/// Entries kept before the memo starts over, bounding its memory.
const MAX_ENTRIES: usize = 4096;

/// Key bytes kept before the memo starts over, bounding its memory when the
/// matches are long.
const MAX_BYTES: usize = 1 << 20;

/// One match's capture slots, relative to its start.
type Slots = Box<[Option<usize>]>;

/// Capture slots of one rule's matches, relative to the match start, by key.
#[derive(Default)]
pub struct CaptureMemo {
    /// The key being looked up, built here so a hit allocates nothing.
    key: Vec<u8>,
    /// Matches answered from the memo (tests only).
    #[cfg(test)]
    recalled: usize,
    slots: HashMap<Box<[u8]>, Slots, MemoHash>,
    /// Bytes of the keys in `slots`.
    bytes: usize,
}

impl CaptureMemo {
    /// Builds the key of the match `span` of `text` in `self.key`: how many
    /// bytes of context each side has (fewer at the edges of the text, which
    /// `^`, `$` and `\b` also see), then those bytes. False when the match is
    /// too long to remember.
    fn key(&mut self, text: &[u8], span: &Range<usize>) -> bool {
        if span.len() > MAX_MATCH {
            return false;
        }
        let lo = span.start.min(LOOK);
        let hi = (text.len() - span.end).min(LOOK);
        self.key.clear();
        self.key.extend([lo as u8, hi as u8]);
        self.key
            .extend_from_slice(&text[span.start - lo..span.end + hi]);
        true
    }

    /// Fills `caps` with the groups remembered for the match `span` of
    /// `text`; false (and `caps` untouched) when there are none.
    pub(super) fn recall(&mut self, text: &[u8], span: &Range<usize>, caps: &mut Captures) -> bool {
        if !self.key(text, span) {
            return false;
        }
        let Some(slots) = self.slots.get(self.key.as_slice()) else {
            return false;
        };
        for (slot, rel) in caps.slots_mut().iter_mut().zip(slots.iter()) {
            *slot = rel.and_then(|r| NonMaxUsize::new(span.start + r));
        }
        caps.set_pattern(Some(PatternID::ZERO));
        #[cfg(test)]
        {
            self.recalled += 1;
        }
        true
    }

    /// How many matches were answered from the memo.
    #[cfg(test)]
    pub(super) fn recalled(&self) -> usize {
        self.recalled
    }

    /// Remembers the groups `caps` holds for the match `span` of `text` (the
    /// key [`CaptureMemo::recall`] just built for it).
    pub(super) fn remember(&mut self, text: &[u8], span: &Range<usize>, caps: &Captures) {
        if caps.pattern() != Some(PatternID::ZERO) || !self.key(text, span) {
            return;
        }
        if self.slots.len() >= MAX_ENTRIES || self.bytes + self.key.len() > MAX_BYTES {
            self.slots.clear();
            self.bytes = 0;
        }
        self.bytes += self.key.len();
        let rel = caps
            .slots()
            .iter()
            .map(|s| s.map(|p| p.get() - span.start))
            .collect();
        self.slots.insert(self.key.as_slice().into(), rel);
    }
}
