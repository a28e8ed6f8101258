//! The one-pass prefilter: a single case-insensitive Aho-Corasick automaton over
//! every rule's keywords. Only rules whose keyword occurs run their regex, and
//! only on a window around the occurrence, so the cost of a scan is one linear
//! pass plus work proportional to the candidates.

use crate::rules::RuleSet;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::ops::Range;

/// How far before a keyword a match may begin, on a long line.
const BEFORE: usize = 256;
/// How far after a keyword a match may end, on a long line: enough for the
/// longest single-line secrets (a kubeconfig's base64 client key, a service
/// account's escaped PEM), without letting one hit drag in a whole minified file.
const AFTER: usize = 8 * 1024;

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
        // The automaton reports the longest keyword at each position; a keyword
        // that is a prefix of it (`sk-` of `sk-proj-`) occurs there too, so its
        // rules ride along.
        let closed: Vec<Vec<usize>> = keywords
            .iter()
            .map(|kw| {
                let mut rules: Vec<usize> = keywords
                    .iter()
                    .zip(&owners)
                    .filter(|(other, _)| kw.starts_with(other.as_str()))
                    .flat_map(|(_, o)| o.iter().copied())
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                rules
            })
            .collect();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keywords)
            .expect("keyword automaton builds");
        Prefilter { ac, owners: closed }
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
        // The next newline, found once and reused by every hit before it:
        // forward searches never cover a byte twice, so a 20 MB single-line file
        // stays linear however many keywords it holds. (A later hit can end
        // before an earlier one only inside that one's keyword, which holds no
        // newline, so `nl` stays right for it.)
        let mut nl = 0usize;
        let mut input = aho_corasick::Input::new(text);
        // Leftmost-longest search restarted one byte past each hit's start finds
        // every position where a keyword begins, like an overlapping search, but
        // keeps aho-corasick's vectorised prefilter (overlapping search has none).
        while let Some(m) = self.ac.find(input.clone()) {
            let lo = m.start().saturating_sub(BEFORE);
            let start = memchr::memrchr(b'\n', &text[lo..m.start()]).map_or(lo, |p| lo + p + 1);
            if m.end() > nl {
                nl = memchr::memchr(b'\n', &text[m.end()..]).map_or(text.len(), |p| m.end() + p);
            }
            // The window ends just past the newline: a pattern's trailing
            // context (`(?:[^A-Za-z0-9]|$)`) must see the byte after the secret,
            // and `$` only matches at the end of the whole text.
            let line_end = (nl + 1).min(text.len()).min(m.end() + AFTER);
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
            if m.start() + 1 >= text.len() {
                break;
            }
            input.set_start(m.start() + 1);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(rules: &[(&str, &[&str])]) -> RuleSet {
        let mut s = RuleSet::default();
        for (id, kws) in rules {
            let toml = format!(
                "[[rule]]\nid='{id}'\nname='n'\nkeywords={kws:?}\npattern='(x)'\n",
                kws = kws
            );
            s.add_toml("t.toml", &toml).unwrap();
        }
        s
    }

    fn rules_hit(p: &Prefilter, text: &str) -> Vec<usize> {
        let mut r: Vec<usize> = p
            .windows(text.as_bytes(), |_| 0)
            .iter()
            .map(|w| w.rule)
            .collect();
        r.dedup();
        r
    }

    #[test]
    fn every_keyword_occurrence_counts_even_inside_a_longer_one() {
        let rules = set(&[
            ("a.a", &["sk-"]),
            ("b.b", &["sk-proj-"]),
            ("c.c", &["key_id"]),
            ("d.d", &["api_key"]),
        ]);
        let p = Prefilter::new(&rules);
        // `sk-` is a prefix of `sk-proj-`; `key_id` starts inside `api_key`.
        assert_eq!(
            rules_hit(&p, "x = SK-PROJ-abc api_key_id"),
            vec![0, 1, 2, 3]
        );
        assert_eq!(rules_hit(&p, "nothing here"), Vec::<usize>::new());
    }

    #[test]
    fn windows_end_past_the_newline_and_stay_on_the_line() {
        let rules = set(&[("a.a", &["tok"])]);
        let p = Prefilter::new(&rules);
        let text = "one\ntok=1\nthree\n";
        let w = p.windows(text.as_bytes(), |_| 0);
        assert_eq!(
            w,
            vec![Window {
                rule: 0,
                range: 4..10
            }]
        );
    }
}
