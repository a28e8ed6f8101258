//! Replaying a rejected candidate's outcome for the next candidate of the same
//! rule when the next one would read the same bytes, shifted.
//!
//! A rejected value may hold the next candidate's name, so the search goes on
//! from inside it (`key="SmtpPassword" value="..."`). On a line that repeats
//! one unit (`password=` a hundred thousand times) every such candidate
//! searches up to `SEARCH_REACH` bytes and is judged on a few hundred more,
//! which made a 1 MB line cost seconds (issue 10 part 3). But a search and a
//! judgement are functions of the bytes they read (plus the bytes next to the
//! search span that `\b`, `^` and `$` look at): when those bytes equal, byte
//! for byte, the ones the previous rejected candidate read, shifted by the
//! distance between the two search starts, the outcome is the same one shifted
//! (the same match, rejected again). One comparison of those bytes replaces a
//! regex search and a judgement, and the findings cannot change: any byte that
//! differs sends the candidate through the search and judgement as before.

use std::ops::Range;

/// Bytes past each end of a search span that look-around assertions may read.
const LOOK: usize = 4;

#[cfg(test)]
thread_local! {
    /// Tests switch replay off to compare with the full search and judgement,
    /// and count the candidates replayed.
    static OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static REPLAYED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// What one candidate read and what it found, rejected.
#[derive(Debug, Clone)]
struct Rejected {
    /// Where its search started and ended.
    search: Range<usize>,
    /// Every byte its search and judgement read.
    read: Range<usize>,
    /// Where its whole match started.
    start: usize,
    /// Its value, judged not a secret.
    value: Range<usize>,
}

/// The last rejected candidate of one rule's window.
#[derive(Debug, Default)]
pub(super) struct Replay {
    last: Option<Rejected>,
    period: Period,
}

/// Positions `x` of the text where `text[x] == text[x + shift]` is known:
/// replays one after another at one shift (a run of one repeated unit) then
/// compare only the bytes new to each, not all they read again.
#[derive(Debug, Default)]
struct Period {
    shift: usize,
    holds: Range<usize>,
}

impl Period {
    /// Whether `text[x] == text[x + shift]` for every `x` in `read` (all
    /// inside the text), and how many bytes were compared to know it.
    fn repeats(&mut self, text: &[u8], read: Range<usize>, shift: usize) -> (bool, usize) {
        let same = |r: Range<usize>| text[r.clone()] == text[r.start + shift..r.end + shift];
        let known =
            self.shift == shift && (self.holds.start..=self.holds.end).contains(&read.start);
        if !known {
            if !same(read.clone()) {
                return (false, read.len());
            }
            let compared = read.len();
            *self = Period { shift, holds: read };
            return (true, compared);
        }
        if read.end <= self.holds.end {
            return (true, 0);
        }
        let new = self.holds.end..read.end;
        if !same(new.clone()) {
            return (false, new.len());
        }
        self.holds.end = read.end;
        (true, new.len())
    }
}

/// A replayed candidate: where its whole match starts and its value.
pub(super) struct Replayed {
    pub start: usize,
    pub value: Range<usize>,
    /// Bytes compared to prove it (the work it cost).
    pub compared: usize,
}

impl Replay {
    /// Forgets the last candidate (a new window: another rule, or more text);
    /// what is known about the text stays.
    pub fn clear(&mut self) {
        self.last = None;
    }

    /// Records a candidate whose search over `search` found a match at
    /// `start` with `value`, rejected by a judgement that read `judged` (all
    /// of it inside the text: a read clamped at either end of the text depends
    /// on where that end is, so such a candidate is not recorded).
    pub fn record(
        &mut self,
        text: &[u8],
        search: Range<usize>,
        judged: Range<usize>,
        start: usize,
        value: Range<usize>,
    ) {
        let read_end = search.end + LOOK;
        self.last = (search.start >= LOOK && read_end <= text.len()).then(|| Rejected {
            read: (search.start - LOOK).min(judged.start)..read_end.max(judged.end),
            search,
            start,
            value,
        });
    }

    /// The outcome of a search over `search` and its judgement, when it is the
    /// last rejected candidate's shifted: every byte that one read, shifted by
    /// the distance between the searches, is the same. `None` otherwise.
    pub fn recall(&mut self, text: &[u8], search: &Range<usize>) -> Option<Replayed> {
        #[cfg(test)]
        if OFF.with(|off| off.get()) {
            return None;
        }
        let last = self.last.as_mut()?;
        let d = search.start.checked_sub(last.search.start)?;
        if d == 0 || search.len() != last.search.len() || last.read.end + d > text.len() {
            return None;
        }
        let (same, compared) = self.period.repeats(text, last.read.clone(), d);
        if !same {
            return None;
        }
        let shifted = last.read.start + d..last.read.end + d;
        *last = Rejected {
            search: search.clone(),
            read: shifted,
            start: last.start + d,
            value: last.value.start + d..last.value.end + d,
        };
        #[cfg(test)]
        REPLAYED.with(|n| n.set(n.get() + 1));
        Some(Replayed {
            start: last.start,
            value: last.value.clone(),
            compared,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{check, FileKind, Hit};

    /// Lines that repeat a unit, broken here and there by other units, a
    /// random token or a key: the shapes where candidates nest and repeat.
    fn texts() -> Vec<Vec<u8>> {
        // Assembled at run time: obviously fake, random-looking tokens.
        let gh = ["ghp_", "Zq8", "Xw2Lk9Pv4Rt7Ny1Bm6Hc3Jd5Fg0Ks8Ta2"].concat();
        let units: &[&[u8]] = &[
            b"password=",
            b"secret_",
            b"key=",
            b"token: ",
            b"\"password\":",
            b"apiKey:",
            b"pass",
            b"pwd=",
            b"password = ",
            b"secret:",
            b"?token=",
            b"Bearer ",
            b"--password ",
            b"'",
            b"\"",
            b" ",
            b"\n",
            b"Xk9Qz",
            b"=",
            b":",
            b",",
            b"(",
            b"user=",
            b"://u:",
            b"@h",
        ];
        let mut rng = crate::testrng::Rng::new(0x9E37_79B9_7F4A_7C15);
        let mut out = Vec::new();
        for _ in 0..40 {
            let mut text = Vec::new();
            let size = *rng.pick(&[1500, 3000, 6000]);
            while text.len() < size {
                match rng.below(10) {
                    0..=4 => {
                        let unit = [*rng.pick(units), *rng.pick(units)].concat();
                        text.extend(unit.repeat(1 + rng.below(300)));
                    }
                    5..=7 => text.extend(*rng.pick(units)),
                    8 => {
                        let len = 1 + rng.below(30);
                        text.extend(rng.bytes(len, b"q8Zr2LmX9vTb4KpW7nYc"));
                    }
                    _ => text.extend(gh.as_bytes()),
                }
            }
            out.push(text);
        }
        // The judgement reads the line around a candidate: near `user=`, the
        // same value is the user's name repeated, further on a password.
        let filler = b"# settings\n".repeat(60);
        out.push(
            [
                &filler[..],
                b"user=Xk9Qzv7 ",
                // Assembled so that keyhook's own scan of this file stays clean.
                &[&b"pass"[..], b"word=Xk9Qzv7 "].concat().repeat(200),
            ]
            .concat(),
        );
        out
    }

    fn scan(text: &[u8], kind: FileKind, off: bool) -> Vec<Hit> {
        let scanner = check::builtin_scanner().unwrap();
        OFF.with(|o| o.set(off));
        let hits = scanner.scan_text_as(text, kind);
        OFF.with(|o| o.set(false));
        hits
    }

    /// A replayed candidate is rejected exactly where the search and the
    /// judgement would have rejected it: the hits are the same either way.
    #[test]
    fn replay_changes_no_hit() {
        REPLAYED.with(|n| n.set(0));
        for text in texts() {
            for kind in [FileKind::Other, FileKind::Code] {
                let replayed = scan(&text, kind, false);
                assert_eq!(
                    replayed,
                    scan(&text, kind, true),
                    "{}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
        let replayed = REPLAYED.with(|n| n.get());
        assert!(replayed > 1000, "only {replayed} candidates replayed");
    }
}
