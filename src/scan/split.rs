//! Scanning one long window on several threads (issue 10 part 3): a minified
//! bundle or a JSON export is one line, so one rule's window can be a
//! megabyte holding thousands of candidates, all on one core while the others
//! idle.
//!
//! The window is cut into parts of [`MIN_PART`] bytes, which the threads take
//! in turn (a slow or late thread takes fewer), each scanned from its first
//! byte until the first search start in the next part, recording where each of
//! its searches started. Joining them gives exactly what one scan from the
//! window's start finds: a step of a window scan (search, judge, go on)
//! depends only on where its search starts, so once the scan arriving from the
//! previous part starts a search where this part's scan started one, the two
//! are the same scan from there on, and this part's hits from that search on
//! are the window's. Leftmost searches from two starts meet at the next match
//! both find, so that is almost at once; where they do not meet inside the
//! part, the arriving scan goes on through the part itself.

use super::prefilter::Window;
use super::window::{Caches, Part};
use super::{Hit, Reading, Scanner};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parts are at least this long: a shorter one costs less to scan than a
/// thread costs to start, and almost every window (a line or a few lines of
/// code) is far shorter. Parts are not much longer either: a thread that
/// starts late or shares its core with another process holds up the window
/// by at most the part it is on.
const MIN_PART: usize = 64 * 1024;

/// The shortest window (and text) that can be split: two parts.
const SPLIT_FROM: usize = 2 * MIN_PART;

/// Long texts being scanned now, on any thread: a window is shared only with
/// the cores no other long scan is using (a history scan of large files keeps
/// every core busy with its own, where splitting would only add threads).
static SCANNING: AtomicUsize = AtomicUsize::new(0);

/// Counts one text long enough to be split as being scanned while it lives.
pub(super) struct Scanning(bool);

impl Scanning {
    pub fn start(len: usize) -> Scanning {
        let long = len >= SPLIT_FROM;
        if long {
            SCANNING.fetch_add(1, Ordering::Relaxed);
        }
        Scanning(long)
    }
}

impl Drop for Scanning {
    fn drop(&mut self) {
        if self.0 {
            SCANNING.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// How many threads to scan a window of `len` bytes on: 1 (not split) unless
/// it is long and some cores are idle.
pub(super) fn threads(len: usize) -> usize {
    if len < SPLIT_FROM {
        return 1; // almost every window: nothing more to ask
    }
    threads_of(
        len,
        crate::workers::threads(),
        SCANNING.load(Ordering::Relaxed),
    )
}

/// [`threads`] with `cores` cores, `long_scans` long texts being scanned
/// (this one among them, when it is long).
fn threads_of(len: usize, cores: usize, long_scans: usize) -> usize {
    let idle = cores.saturating_sub(long_scans.saturating_sub(1));
    (len / MIN_PART).clamp(1, idle.max(1))
}

impl Scanner {
    /// The hits of window `w` of `text`, scanned in parts on `threads`
    /// threads: the hits one scan from the window's start finds, in the same
    /// order.
    pub(super) fn scan_split(
        &self,
        text: &[u8],
        w: &Window,
        how: Reading,
        threads: usize,
    ) -> Vec<Hit> {
        let parts = (w.range.len() / MIN_PART).max(2);
        self.scan_parts(text, w, how, parts, threads)
    }

    /// [`Self::scan_split`] in `parts` parts of about equal length.
    fn scan_parts(
        &self,
        text: &[u8],
        w: &Window,
        how: Reading,
        parts: usize,
        threads: usize,
    ) -> Vec<Hit> {
        let len = w.range.len();
        let bounds: Vec<usize> = (0..=parts)
            .map(|i| w.range.start + len * i / parts)
            .collect();
        // Part `i` runs from its first byte to the first search start in
        // part `i + 1`, or to a search that would read on to the window's end
        // (which it leaves to the scan arriving from before it, so no two
        // threads read the rest of a window where nothing matches); all but
        // the first record their search starts.
        let part = |i: usize| Part {
            from: bounds[i],
            before: if i + 1 < parts {
                bounds[i + 1]
            } else {
                usize::MAX
            },
            shared: &[],
            record: i > 0,
            hand_off: true,
        };
        // The last part is taken first: its searches read on to the window's
        // end, and where that is the text's end (a minified file's one line)
        // each candidate there reads a context cut shorter than the one
        // before, so none repeats another's judgement. It is the part most
        // likely to be slow, and a thread that took it last would finish
        // alone. A thread's caches serve every part it takes: each entry is
        // the answer of a pure function to the bytes it is keyed on.
        let order: Vec<usize> = std::iter::once(parts - 1).chain(0..parts - 1).collect();
        let mut runs = crate::workers::map_on(threads, &order, Caches::default, |caches, &i| {
            self.scan_window(text, w, how, part(i), caches)
        });
        runs.rotate_left(1); // back in text order
        let mut runs = runs.into_iter();
        let first = runs.next().expect("at least one part");
        let mut hits: Vec<Hit> = first.hits.into_iter().map(|(_, hit)| hit).collect();
        // Where the window's scan goes on: the first search start it has not
        // run (past the part before, or handed back by it), `None` when done.
        let mut at = first.exit;
        let mut caches = Caches::default();
        for (i, run) in runs.enumerate().map(|(i, run)| (i + 1, run)) {
            let Some(from) = at else { break };
            // Go on through this part until a search start its scan shares
            // (at once, mostly), or past it.
            let on = Part {
                from,
                shared: &run.froms,
                record: false,
                hand_off: false,
                ..part(i)
            };
            let on = self.scan_window(text, w, how, on, &mut caches);
            hits.extend(on.hits.into_iter().map(|(_, hit)| hit));
            at = match on.exit {
                // Met: the part's own scan from here on is the window's.
                Some(met) if run.froms.binary_search(&met).is_ok() => {
                    let from_met = run.hits.into_iter().filter(|&(start, _)| start >= met);
                    hits.extend(from_met.map(|(_, hit)| hit));
                    run.exit
                }
                past => past,
            };
        }
        if let Some(from) = at {
            // The last part handed its end over.
            let rest = Part {
                from,
                ..Part::whole(w)
            };
            let rest = self.scan_window(text, w, how, rest, &mut caches);
            hits.extend(rest.hits.into_iter().map(|(_, hit)| hit));
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, DocRegions, FileKind, GenericPolicy, Reading};
    use super::*;
    use crate::testrng::Rng;

    /// A line of secret-named assignments, stand-ins, random values and
    /// the odd newline, as a bundle or a config dump strings them together.
    fn text(rng: &mut Rng) -> Vec<u8> {
        const PIECES: &[&str] = &[
            "password=",
            "token:\"",
            "\"secret\":\"",
            "apiKey:",
            "e.password||\"\"",
            "api_key = \"",
            "key=\"SmtpPassword\" value=\"",
            "Authorization: Bearer ",
            "postgres://app:",
            "@db/app",
            "changeme",
            ",",
            "\",",
            "{",
            "}",
            ";",
            " ",
            "=",
            "\n",
        ];
        const RANDOM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let len = 500 + rng.below(6000);
        let mut out = Vec::with_capacity(len + 64);
        while out.len() < len {
            if rng.below(40) == 0 {
                // A stretch with no candidate: searches there find nothing
                // near their start and look on to the window's end.
                let n = 200 + rng.below(1500);
                out.extend((0..n).map(|k| if k % 6 == 5 { b' ' } else { b'o' }));
            } else if rng.below(3) == 0 {
                // A random-looking value: some of them are reported.
                let n = 3 + rng.below(30);
                out.extend(rng.bytes(n, RANDOM));
            } else {
                out.extend(rng.pick(PIECES).as_bytes());
            }
        }
        out
    }

    #[test]
    fn a_window_is_split_among_idle_cores_only() {
        const KB: usize = 1024;
        // Short windows are never split.
        assert_eq!(threads_of(100 * KB, 8, 1), 1);
        assert_eq!(threads_of(128 * KB, 8, 1), 2);
        assert_eq!(threads_of(1024 * KB, 8, 1), 8);
        assert_eq!(threads_of(1024 * KB, 2, 1), 2);
        // Other long scans hold cores.
        assert_eq!(threads_of(1024 * KB, 8, 3), 6);
        assert_eq!(threads_of(1024 * KB, 2, 2), 1);
        assert_eq!(threads_of(1024 * KB, 2, 9), 1);
        assert_eq!(threads_of(1024 * KB, 1, 1), 1);
    }

    /// Every window of random keyword-dense text, cut into 2 to 6 parts
    /// taken by 1 to 3 threads: the joined parts find what one scan finds, in
    /// the same order.
    #[test]
    fn parts_joined_find_what_one_scan_finds() {
        let scanner = check::builtin_scanner().unwrap();
        let rules = scanner.rules.rules();
        let mut rng = Rng::new(0x7370_6c69);
        let (mut windows, mut found) = (0, 0);
        for case in 0..80 {
            let text = text(&mut rng);
            let file = if case % 2 == 0 {
                FileKind::Code
            } else {
                FileKind::Other
            };
            let policy = GenericPolicy::default();
            let docs = DocRegions::default();
            let how = Reading {
                file,
                policy: &policy,
                docs: &docs,
            };
            for w in scanner
                .prefilter
                .windows(&text, |r| rules[r].multiline)
                .iter()
                .filter(|w| w.range.len() >= 64)
            {
                let whole: Vec<Hit> = scanner
                    .scan_window(&text, w, how, Part::whole(w), &mut Caches::default())
                    .hits
                    .into_iter()
                    .map(|(_, hit)| hit)
                    .collect();
                for parts in 2..=6 {
                    let threads = 1 + parts % 3;
                    let joined = scanner.scan_parts(&text, w, how, parts, threads);
                    assert_eq!(
                        joined,
                        whole,
                        "case {case}, rule {}, {parts} parts of {:?}",
                        rules[w.rule].id,
                        String::from_utf8_lossy(&text[w.range.clone()])
                    );
                }
                windows += 1;
                found += whole.len();
            }
        }
        assert!(windows > 1000, "only {windows} windows compared");
        assert!(found > 300, "only {found} hits compared");
    }
}
