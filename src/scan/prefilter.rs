//! The one-pass prefilter: a single case-insensitive Aho-Corasick automaton over
//! every rule's keywords. Only rules whose keyword occurs run their regex, and
//! only on a window around the occurrence, so the cost of a scan is one linear
//! pass plus work proportional to the candidates.

use crate::rules::RuleSet;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::ops::Range;

/// How far before a keyword a match may begin, on a long line.
const BEFORE: usize = 256;
/// How far after a keyword a match may end, on a long line.
const AFTER: usize = 1024;

/// Keyword automaton mapping each keyword to the rules that listed it.
#[derive(Debug)]
pub struct Prefilter {
    ac: AhoCorasick,
    /// For automaton pattern `i`, the indices of the rules it triggers.
    owners: Vec<Vec<usize>>,
}

/// A stretch of text one rule's regex should run over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Index into the rule set.
    pub rule: usize,
    /// Byte range in the scanned text.
    pub range: Range<usize>,
}

impl Prefilter {
    /// Builds the automaton over all keywords of `rules`.
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut keywords: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            for kw in rule.keywords {
                let kw = kw.to_ascii_lowercase();
                match keywords.iter().position(|k| *k == kw) {
                    Some(p) => owners[p].push(i),
                    None => {
                        keywords.push(kw);
                        owners.push(vec![i]);
                    }
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .expect("keyword automaton builds");
        Prefilter { ac, owners }
    }

    /// True when any keyword occurs in `text`: without one, no rule can match.
    pub fn any(&self, text: &[u8]) -> bool {
        self.ac.is_match(text)
    }

    /// The windows each candidate rule must examine, merged per rule and sorted
    /// by rule then position. `extra(rule)` is how far past the keyword's line a
    /// multi-line rule may reach.
    pub fn windows(&self, text: &[u8], extra: impl Fn(usize) -> usize) -> Vec<Window> {
        let mut out: Vec<Window> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            // Look for the line's ends only within the window's reach, so a
            // 20 MB single-line file stays linear however many keywords it holds.
            let lo = m.start().saturating_sub(BEFORE);
            let start = memchr::memrchr(b'\n', &text[lo..m.start()]).map_or(lo, |p| lo + p + 1);
            let hi = (m.end() + AFTER).min(text.len());
            let line_end = memchr::memchr(b'\n', &text[m.end()..hi]).map_or(hi, |p| m.end() + p);
            for &rule in &self.owners[m.pattern().as_usize()] {
                let reach = extra(rule);
                let end = if reach > 0 {
                    (line_end + reach).min(text.len())
                } else {
                    line_end
                };
                push_merged(
                    &mut out,
                    Window {
                        rule,
                        range: start..end,
                    },
                );
            }
        }
        out.sort_by_key(|w| (w.rule, w.range.start));
        merge_sorted(out)
    }
}

/// Cheap merge with the most recent window of the same rule (hits arrive in
/// text order, so consecutive hits on one line collapse here).
fn push_merged(out: &mut Vec<Window>, w: Window) {
    if let Some(last) = out.iter_mut().rev().take(8).find(|l| l.rule == w.rule) {
        if w.range.start <= last.range.end {
            last.range.end = last.range.end.max(w.range.end);
            return;
        }
    }
    out.push(w);
}

fn merge_sorted(ws: Vec<Window>) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::with_capacity(ws.len());
    for w in ws {
        match out.last_mut() {
            Some(l) if l.rule == w.rule && w.range.start <= l.range.end => {
                l.range.end = l.range.end.max(w.range.end)
            }
            _ => out.push(w),
        }
    }
    out
}
