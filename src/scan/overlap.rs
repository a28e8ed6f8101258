//! Which of several hits on the same bytes is reported: the most specific
//! rule, then the longest secret. Linear-ish in the number of hits (an index
//! of kept secrets by start), however many a long line holds.

use super::Hit;
use crate::rules::{RuleKind, RuleSet};
use std::collections::{BTreeMap, BTreeSet};

/// Keeps, among overlapping hits, the one from the highest-priority rule (a
/// generic rule always loses to a specific one), then the longer secret.
pub(super) fn resolve_overlaps(rules: &RuleSet, mut hits: Vec<Hit>) -> Vec<Hit> {
    if hits.len() < 2 {
        return hits;
    }
    let rank = |h: &Hit| {
        let r = &rules.rules()[h.rule];
        let generic = if r.kind == RuleKind::Generic {
            -10_000
        } else {
            0
        };
        (r.priority + generic, h.secret.len() as i64)
    };
    hits.sort_by(|a, b| {
        rank(b)
            .partial_cmp(&rank(a))
            .unwrap()
            .then(a.secret.start.cmp(&b.secret.start))
    });
    keep_disjoint(hits)
}

/// Keeps each hit, in order, that overlaps no hit kept before it.
fn keep_disjoint(hits: Vec<Hit>) -> Vec<Hit> {
    // Kept secrets are disjoint, so an index of them by start answers "does
    // this one overlap a kept one?" from its one predecessor: O(log n) per hit
    // where a scan of every kept hit made a line of hits quadratic.
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    let mut by_start: BTreeMap<usize, usize> = BTreeMap::new();
    let mut empty: BTreeSet<usize> = BTreeSet::new();
    for h in hits {
        let (s, e) = (h.secret.start, h.secret.end);
        // The kept secret starting last before `e` is the only one that can
        // reach past `s`; an empty `h` overlaps one that strictly contains it.
        let overlaps = by_start
            .range(..e.max(s + 1))
            .next_back()
            .is_some_and(|(&ks, &ke)| s < ke && (s < e || ks < s))
            // A kept empty secret overlaps one that strictly contains it.
            || (s + 1 < e && empty.range(s + 1..e).next().is_some());
        if !overlaps {
            if s < e {
                by_start.insert(s, e);
            } else {
                empty.insert(s);
            }
            kept.push(h);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed overlap check keeps exactly what comparing each hit with
    /// every kept one keeps, empty secrets included.
    #[test]
    fn keep_disjoint_matches_the_pairwise_check() {
        let mut rng = crate::testrng::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.below(n as usize);
        for _ in 0..2000 {
            let hits: Vec<Hit> = (0..next(12))
                .map(|_| {
                    let start = next(30);
                    Hit {
                        rule: 0,
                        secret: start..start + next(6),
                        entropy: 0.0,
                    }
                })
                .collect();
            let mut naive: Vec<Hit> = Vec::new();
            for h in hits.clone() {
                if !naive
                    .iter()
                    .any(|k| h.secret.start < k.secret.end && k.secret.start < h.secret.end)
                {
                    naive.push(h);
                }
            }
            assert_eq!(keep_disjoint(hits.clone()), naive, "{hits:?}");
        }
    }
}
