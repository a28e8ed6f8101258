//! One rule's search through one window of a text: find a match, judge it,
//! go on from where the judgement says (issue 10 part 3 bounds each step).
//! A scan can start anywhere in the window and stop at a given search start,
//! so [`super::split`] can run parts of a long window on several threads.

use super::memo::Memo;
use super::prefilter::Window;
use super::replay::Replay;
use super::{count_work, Hit, Reading, Scanner, SEARCH_REACH};
use crate::rules::CaptureMemo;

/// What a window scan remembers between candidates. Every entry is the answer
/// of a pure function to the bytes it is keyed on, so a scan with fresh
/// caches finds exactly what one with warm caches does.
#[derive(Default)]
pub(super) struct Caches {
    pub memo: Memo,
    pub replay: Replay,
    /// The capture groups of the window's rule.
    pub groups: CaptureMemo,
}

/// The stretch of a window one scan covers.
#[derive(Clone, Copy)]
pub(super) struct Part<'a> {
    /// Where its first search starts.
    pub from: usize,
    /// The first search start at or past this is not run.
    pub before: usize,
    /// Search starts another scan of the window ran: from one of them on, the
    /// two scans are the same, so this one stops there.
    pub shared: &'a [usize],
    /// Whether to record every search start (for another scan to meet).
    pub record: bool,
    /// Whether to stop, instead, at a search that finds nothing near its
    /// start and would go on looking to the window's end: a part of a window
    /// scanned beside others leaves that to the scan arriving from before it,
    /// so no two threads read the rest of the window.
    pub hand_off: bool,
}

impl Part<'_> {
    /// All of window `w`.
    pub fn whole(w: &Window) -> Part<'static> {
        Part {
            from: w.range.start,
            before: usize::MAX,
            shared: &[],
            record: false,
            hand_off: false,
        }
    }

    fn stops_at(&self, from: usize) -> bool {
        from >= self.before || self.shared.binary_search(&from).is_ok()
    }
}

/// What one window scan did.
#[derive(Default)]
pub(super) struct Run {
    /// The start of every search it ran, ascending (when asked to record them).
    pub froms: Vec<usize>,
    /// Its hits, each with the start of the search that found it.
    pub hits: Vec<(usize, Hit)>,
    /// The search start it stopped at without finishing its step, or `None`
    /// when it reached the end of the window.
    pub exit: Option<usize>,
}

impl Scanner {
    /// Scans `part` of window `w` of `text`. Each step depends only on its
    /// search start (and the text): a scan that reaches a start another scan
    /// ran goes on exactly as that one did.
    pub(super) fn scan_window(
        &self,
        text: &[u8],
        w: &Window,
        how: Reading,
        part: Part,
        caches: &mut Caches,
    ) -> Run {
        let mut run = Run::default();
        caches.memo.rejected_end = 0;
        caches.replay.clear();
        let rule = &self.rules.rules()[w.rule];
        let re = rule.regex();
        let mut caps = re.create_captures();
        let mut searcher = re.searcher();
        // The span limits the search to the window while the full text stays
        // visible, so `\b` at a window edge sees the real neighbouring byte.
        let mut input = regex_automata::Input::new(text).span(part.from..w.range.end);
        // Each search reads at most this far, so a search that restarts
        // inside a rejected value (below) never rereads a whole long line
        // (issue 10 part 3: `password=` repeated was quadratic).
        let reach = SEARCH_REACH + rule.multiline;
        loop {
            let from = input.start();
            if part.stops_at(from) {
                run.exit = Some(from);
                return run;
            }
            if part.record {
                run.froms.push(from);
            }
            let short_end = w.range.end.min(from.saturating_add(reach));
            if let Some(again) = caches.replay.recall(text, &(from..short_end)) {
                // The bytes the last rejected candidate read, shifted:
                // the same match, rejected again, without a search.
                count_work(again.compared);
                caches.memo.rejected_end = caches.memo.rejected_end.max(again.value.end);
                let next = again.value.start.max(again.start + 1);
                if next > w.range.end {
                    break;
                }
                input.set_span(next..w.range.end);
                continue;
            }
            input.set_end(short_end);
            count_work(short_end - from);
            searcher.search_captures_with(&input, &mut caps, Some(&mut caches.groups));
            let cut = short_end < w.range.end;
            let widened = cut && caps.get_match().is_none();
            if widened && part.hand_off {
                // That search may read to the window's end, through the
                // parts after this one: the scan arriving here reads it.
                run.exit = Some(from);
                return run;
            }
            if widened {
                // A match may start here and end past the cut: look again
                // in the whole window (the leftmost match, so what it reads
                // is consumed progress).
                input.set_end(w.range.end);
                count_work(w.range.end - from);
                searcher.search_captures_with(&input, &mut caps, Some(&mut caches.groups));
            }
            let Some(whole) = caps.get_match() else { break };
            // The match ran into the cut: its value may go on.
            let clipped = cut && whole.end() >= short_end;
            let mut next = if whole.is_empty() {
                whole.end() + 1
            } else {
                whole.end()
            };
            if let Some(m) = caps.get_group(1) {
                caches.memo.documented = false;
                let judged = self.judge(
                    w.rule,
                    text,
                    whole.start(),
                    m.range(),
                    how,
                    &mut caches.memo,
                );
                match judged {
                    Some(hit) if clipped => {
                        // Kept on what was read: find and judge the whole
                        // match once (kept matches do not overlap, so these
                        // full reads add up to one pass).
                        input.set_end(w.range.end);
                        input.set_start(whole.start());
                        count_work(w.range.end - whole.start());
                        searcher.search_captures_with(&input, &mut caps, Some(&mut caches.groups));
                        let full = caps.get_match().zip(caps.get_group(1));
                        let (entropy, secret, end) = match full {
                            Some((fw, fm)) if fm.start == m.start => {
                                let kept = self.judge(
                                    w.rule,
                                    text,
                                    fw.start(),
                                    fm.range(),
                                    how,
                                    &mut caches.memo,
                                );
                                // Judged random on its first part, the value
                                // is reported whatever its tail: fail closed.
                                let (h, e) = kept.unwrap_or((hit.0, m.start..fm.end));
                                (h, e, fw.end())
                            }
                            _ => (hit.0, hit.1, whole.end()),
                        };
                        run.hits.push((
                            from,
                            Hit {
                                rule: w.rule,
                                secret,
                                entropy,
                            },
                        ));
                        next = next.max(end);
                    }
                    Some((entropy, secret)) => run.hits.push((
                        from,
                        Hit {
                            rule: w.rule,
                            secret,
                            entropy,
                        },
                    )),
                    // The value may itself name the next candidate
                    // (`key="SmtpPassword" value="..."`): look again from it.
                    None => {
                        next = m.start.max(whole.start() + 1);
                        caches.memo.rejected_end = caches.memo.rejected_end.max(m.end);
                        // Replayable when what it read is known: the span
                        // searched (not widened to the window) and the
                        // judgement's reads, inside the text.
                        let judged = self.judged_reads(w.rule, text, whole.start(), m.range());
                        // A rejection in documentation is not one for the
                        // same bytes past its end: never replayed.
                        let documented = caches.memo.documented;
                        match judged.filter(|_| !widened && !documented) {
                            Some(judged) => caches.replay.record(
                                text,
                                from..short_end,
                                judged,
                                whole.start(),
                                m.range(),
                            ),
                            None => caches.replay.clear(),
                        }
                    }
                }
            }
            if next > w.range.end {
                break;
            }
            input.set_start(next);
        }
        run
    }
}
