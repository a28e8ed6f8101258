//! The one-pass prefilter over every rule's keywords. Only rules whose keyword
//! occurs run their regex, and only on a window around the occurrence, so the
//! cost of a scan is one linear pass plus work proportional to the candidates.
//!
//! The pass is a case-insensitive trigram filter rather than an Aho-Corasick
//! automaton: each keyword is indexed by its first three bytes in a 64 Kbit
//! bitmap, the text's trigrams are tested against it, and the few positions
//! that pass are checked against the keywords sharing that trigram. With the
//! built-in ~400 keywords it builds in ~50 µs (an Aho-Corasick NFA takes ~1 ms,
//! a DFA ~4 ms: paid on every commit) and scans faster than either on source
//! code (~330 MB/s against ~300 for the DFA and ~75 for the NFA), and it
//! reports every occurrence, overlapping ones included, with no extra work.

use crate::rules::RuleSet;
use std::ops::{ControlFlow, Range};

/// How far before a keyword a match may begin, on a long line.
const BEFORE: usize = 256;
/// How far after a keyword a match may end, on a long line: enough for the
/// longest single-line secrets (a kubeconfig's base64 client key, a service
/// account's escaped PEM), without letting one hit drag in a whole minified file.
const AFTER: usize = 8 * 1024;

/// Keywords indexed by their first three (lower-cased) bytes.
#[derive(Debug)]
pub struct Prefilter {
    /// Bit `hash(trigram)` is set when some keyword starts with that trigram.
    bits: Vec<u64>,
    /// (hash of the first trigram, index into `keywords`), sorted: the
    /// keywords to check where the bitmap says one may start.
    buckets: Vec<(u16, u32)>,
    /// Distinct lower-cased keywords.
    keywords: Vec<Vec<u8>>,
    /// For keyword `i`, the indices of the rules that listed it.
    owners: Vec<Vec<usize>>,
}

/// 16-bit hash of a lower-cased trigram (multiplicative; the top bits mix all
/// three bytes).
#[inline]
fn hash3(a: u8, b: u8, c: u8) -> u16 {
    ((u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c)).wrapping_mul(0x9E37_79B1) >> 16) as u16
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
    /// Indexes all keywords of `rules` (each at least 3 bytes, as rule
    /// validation guarantees).
    pub fn new(rules: &RuleSet) -> Prefilter {
        // (keyword, rule) pairs, sorted, so equal keywords group together.
        let mut pairs: Vec<(Vec<u8>, usize)> = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            for kw in rule.keywords.iter().filter(|k| k.len() >= 3) {
                pairs.push((kw.as_bytes().to_ascii_lowercase(), i));
            }
        }
        pairs.sort_unstable();
        let mut p = Prefilter {
            bits: vec![0; 1 << 10],
            buckets: Vec::new(),
            keywords: Vec::new(),
            owners: Vec::new(),
        };
        for (kw, rule) in pairs {
            if p.keywords.last() != Some(&kw) {
                let h = hash3(kw[0], kw[1], kw[2]);
                p.bits[usize::from(h >> 6)] |= 1 << (h & 63);
                p.buckets.push((h, p.keywords.len() as u32));
                p.keywords.push(kw);
                p.owners.push(Vec::new());
            }
            p.owners.last_mut().expect("just pushed").push(rule);
        }
        p.buckets.sort_unstable();
        p
    }

    /// The keywords whose first trigram hashes to `h`.
    #[inline]
    fn bucket(&self, h: u16) -> &[(u16, u32)] {
        let start = self.buckets.partition_point(|&(x, _)| x < h);
        let len = self.buckets[start..].partition_point(|&(x, _)| x == h);
        &self.buckets[start..start + len]
    }

    /// Calls `f(start, keyword)` for every keyword occurrence, in text order.
    fn occurrences(&self, text: &[u8], mut f: impl FnMut(usize, usize) -> ControlFlow<()>) {
        if text.len() < 3 {
            return;
        }
        let (mut a, mut b) = (text[0].to_ascii_lowercase(), text[1].to_ascii_lowercase());
        for (i, &c) in text[2..].iter().enumerate() {
            let c = c.to_ascii_lowercase();
            let h = hash3(a, b, c);
            if self.bits[usize::from(h >> 6)] & (1 << (h & 63)) != 0 {
                for &(_, k) in self.bucket(h) {
                    let kw = &self.keywords[k as usize];
                    if text.len() - i >= kw.len()
                        && text[i..i + kw.len()].eq_ignore_ascii_case(kw)
                        && f(i, k as usize).is_break()
                    {
                        return;
                    }
                }
            }
            (a, b) = (b, c);
        }
    }

    /// True when any keyword occurs in `text`: without one, no rule can match.
    pub fn any(&self, text: &[u8]) -> bool {
        let mut found = false;
        self.occurrences(text, |_, _| {
            found = true;
            ControlFlow::Break(())
        });
        found
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
        self.occurrences(text, |kw_start, kw| {
            let kw_end = kw_start + self.keywords[kw].len();
            let lo = kw_start.saturating_sub(BEFORE);
            let start = memchr::memrchr(b'\n', &text[lo..kw_start]).map_or(lo, |p| lo + p + 1);
            if kw_end > nl {
                nl = memchr::memchr(b'\n', &text[kw_end..]).map_or(text.len(), |p| kw_end + p);
            }
            // The window ends just past the newline: a pattern's trailing
            // context (`(?:[^A-Za-z0-9]|$)`) must see the byte after the secret,
            // and `$` only matches at the end of the whole text.
            let line_end = (nl + 1).min(text.len()).min(kw_end + AFTER);
            for &rule in &self.owners[kw] {
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
            ControlFlow::Continue(())
        });
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
    fn any_says_whether_a_keyword_occurs() {
        let p = Prefilter::new(&set(&[("a.a", &["tok"]), ("b.b", &["sk-proj-"])]));
        assert!(p.any(b"some text\nthen a token here\n"));
        assert!(!p.any(b"no kw here"));
        assert!(p.any(b"x\nA=SK-PROJ-1"));
        assert!(!p.any(b"ab"));
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
