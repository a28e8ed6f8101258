//! A rule's compiled regex, built for how a hook runs it: a few short windows
//! on a small commit, many on a big one.
//!
//! regex-automata's meta engine compiles a forward and a reverse NFA and
//! determinizes a lazy DFA state by state as it searches. On a small commit
//! that start-up is most of the scanning cost: a rule typically searches a few
//! kilobytes, which an NFA engine (the bounded backtracker, or the PikeVM for
//! windows too long for it) handles for less than building the DFA would
//! cost. So a [`Matcher`] compiles one forward NFA, searches with the NFA
//! engines first, and only once a rule has searched [`DFA_AFTER`] bytes
//! builds a forward lazy DFA: from then on the DFA finds where the leftmost
//! match ends (or that there is none) and the NFA engine extracts the capture
//! groups from that span alone, as the meta engine does.
//!
//! Every engine implements the same leftmost-first semantics, so which one ran
//! never changes a result (a test runs every rule's examples both ways).

use super::capture_memo::CaptureMemo;
use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::Look;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Bytes a rule searches with NFA engines before its lazy DFA is built.
/// On the big generic patterns the backtracker reads only ~10 MB/s, so these
/// first bytes cost more than the DFA states they avoid as soon as a scan is
/// larger than a typical commit: at 32 KiB they were a seventh of a 50-commit
/// pre-receive check, at 4 KiB they are gone there, and a 20-file, 500-line
/// commit costs the same as before (issue 13; both measured with
/// `benches/pre_receive.py` and `benches/hook.py`).
pub const DFA_AFTER: usize = 4 * 1024;

/// Per-thread search state for the engines.
struct Caches {
    backtrack: backtrack::Cache,
    pikevm: pikevm::Cache,
    dfa: Option<(DfaCache, DfaCache)>,
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync>;
type CachePool = Pool<Caches, MakeCaches>;

/// A matcher with one thread's search state checked out of its pool, for a
/// run of searches: a window scan takes it once, not once per search (a
/// thread other than the pool's first takes it under a lock, and a long
/// window's parts run on several threads).
pub struct Searcher<'m> {
    matcher: &'m Matcher,
    cache: PoolGuard<'m, Caches, MakeCaches>,
}

/// A compiled rule pattern.
pub struct Matcher {
    pattern: String,
    nfa: NFA,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
    /// Forward DFA (finds where the leftmost match ends) and reverse DFA
    /// (finds where it starts), built once the rule has searched enough.
    dfa: OnceLock<Option<Dfas>>,
    searched: AtomicUsize,
    /// When set, the DFA is built before the first search (tests only).
    dfa_first: bool,
    caches: CachePool,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("states", &self.nfa.states().len())
            .field("searched", &self.searched)
            .finish_non_exhaustive()
    }
}

/// Why a pattern did not compile.
pub type BuildError = Box<dyn std::error::Error + Send + Sync>;

impl Matcher {
    /// Compiles `pattern`: bytes, no Unicode classes (secrets are ASCII; `\s`,
    /// `\w` and `[^...]` stay small byte automata; `(?u)` re-enables Unicode
    /// inside a pattern that needs it), no literal prefilter for the NFA
    /// engines (keyhook's keyword pass already is one; the lazy DFA, used on
    /// big inputs, gets the pattern's prefix literals).
    pub fn new(pattern: &str) -> Result<Matcher, BuildError> {
        Matcher::build(pattern, false)
    }

    /// Like [`Matcher::new`], with the DFA used from the first search (the
    /// tests compare both paths).
    #[cfg(test)]
    pub fn new_dfa_first(pattern: &str) -> Result<Matcher, BuildError> {
        Matcher::build(pattern, true)
    }

    fn build(pattern: &str, dfa_first: bool) -> Result<Matcher, BuildError> {
        let nfa = thompson::Compiler::new()
            .syntax(syntax_config())
            .configure(thompson::Config::new().utf8(false).shrink(false))
            .build(pattern)?;
        let backtrack = BoundedBacktracker::new_from_nfa(nfa.clone())?;
        let pikevm = PikeVM::new_from_nfa(nfa.clone())?;
        let (b, p) = (backtrack.clone(), pikevm.clone());
        let create: MakeCaches = Box::new(move || Caches {
            backtrack: b.create_cache(),
            pikevm: p.create_cache(),
            dfa: None,
        });
        Ok(Matcher {
            pattern: pattern.to_string(),
            nfa,
            backtrack,
            pikevm,
            dfa: OnceLock::new(),
            searched: AtomicUsize::new(0),
            dfa_first,
            caches: Pool::new(create),
        })
    }

    /// Size of the compiled automaton: what compiling the rule costs.
    pub fn states(&self) -> usize {
        self.nfa.states().len()
    }

    /// Room for one search's capture groups.
    pub fn create_captures(&self) -> Captures {
        Captures::all(self.nfa.group_info().clone())
    }

    /// One search with a state of its own ([`Searcher::search_captures_with`]
    /// without a memo), for the tests.
    #[cfg(test)]
    pub fn search_captures(&self, input: &Input<'_>, caps: &mut Captures) {
        self.search_captures_with(input, caps, None);
    }

    /// One search with a state of its own, for the tests.
    #[cfg(test)]
    pub fn search_captures_with(
        &self,
        input: &Input<'_>,
        caps: &mut Captures,
        memo: Option<&mut CaptureMemo>,
    ) {
        self.searcher().search_captures_with(input, caps, memo);
    }

    /// This thread's search state, held for a run of searches.
    pub fn searcher(&self) -> Searcher<'_> {
        Searcher {
            matcher: self,
            cache: self.caches.get(),
        }
    }
}

impl Searcher<'_> {
    /// Finds the leftmost-first match in `input`'s span and its groups, as
    /// `meta::Regex::search_captures` does (`caps` holds no match when there
    /// is none), reusing the groups of equal matches found earlier through
    /// `memo` (one memo per rule) once the lazy DFA bounds each match.
    pub fn search_captures_with(
        &mut self,
        input: &Input<'_>,
        caps: &mut Captures,
        mut memo: Option<&mut CaptureMemo>,
    ) {
        let m = self.matcher;
        let cache = &mut *self.cache;
        let span = input.get_span();
        // Counted only until the DFAs are due: past that, a read, which
        // threads scanning parts of one window share without contention.
        let due = m.dfa_first
            || m.searched.load(Ordering::Relaxed) > DFA_AFTER
            || m.searched.fetch_add(span.len(), Ordering::Relaxed) + span.len() > DFA_AFTER;
        let mut input = input.clone();
        let mut dfa_bounded = false;
        if due {
            if let Some(Dfas { fwd, rev, .. }) = m.dfa.get_or_init(|| lazy_dfas(&m.pattern, &m.nfa))
            {
                let (fc, rc) = cache
                    .dfa
                    .get_or_insert_with(|| (fwd.create_cache(), rev.create_cache()));
                match fwd.try_search_fwd(fc, &input) {
                    Ok(None) => {
                        caps.set_pattern(None);
                        return;
                    }
                    // The leftmost-first match ends here, and the reverse DFA,
                    // anchored at that end, finds where it starts: the capture
                    // engine then runs on the match alone.
                    Ok(Some(end)) => {
                        let back = input
                            .clone()
                            .span(input.start()..end.offset())
                            .anchored(Anchored::Yes);
                        match rev.try_search_rev(rc, &back) {
                            Ok(Some(start)) => {
                                let span = start.offset()..end.offset();
                                if let Some(memo) = memo.as_deref_mut() {
                                    if memo.recall(input.haystack(), &span, caps) {
                                        return;
                                    }
                                }
                                input.set_span(span);
                                dfa_bounded = true;
                            }
                            _ => input.set_end(end.offset()),
                        }
                    }
                    // The DFA gave up: the NFA engines answer alone.
                    Err(_) => {}
                }
            }
        }
        let fits = input.get_span().len() <= m.backtrack.max_haystack_len();
        if !(fits
            && m.backtrack
                .try_search(&mut cache.backtrack, &input, caps)
                .is_ok())
        {
            m.pikevm.search(&mut cache.pikevm, &input, caps);
        }
        // Only a span the DFAs bounded exactly is a key: the NFA engines' own
        // searches (before the DFA, or when it gave up) start anywhere.
        if let Some(memo) = memo.filter(|_| dfa_bounded) {
            memo.remember(input.haystack(), &input.get_span().range(), caps);
        }
    }
}

impl Matcher {
    /// True when no match of the pattern lies in `window` of `haystack`,
    /// proven cheaply for a pattern whose every match ends at a line end (a
    /// last `(?m)$`, as generic.quoted-secret has): a window holding no
    /// newline but the one that ends it can only hold matches ending before
    /// that newline (or at the end of the haystack), and the reverse DFA,
    /// anchored there, finds none. On a minified line that is a few bytes
    /// read backwards instead of a forward pass over the whole line (issue 10
    /// part 3). `false` whenever that is not proven. Builds the lazy DFAs if
    /// need be: callers ask only for long windows, which would build them.
    pub fn none_within(&self, haystack: &[u8], window: Range<usize>) -> bool {
        let Some(Dfas {
            rev,
            line_end: true,
            ..
        }) = self.dfa.get_or_init(|| lazy_dfas(&self.pattern, &self.nfa))
        else {
            return false;
        };
        let is_line_end = |at: usize| at == haystack.len() || haystack[at] == b'\n';
        // Where a match in the window may end: before its newline, and at
        // its end if that is a line end too.
        let mut ends = Vec::with_capacity(2);
        match memchr::memchr(b'\n', &haystack[window.clone()]) {
            Some(p) if window.start + p + 1 == window.end => ends.push(window.start + p),
            Some(_) => return false,
            None => {}
        }
        if is_line_end(window.end) {
            ends.push(window.end);
        }
        let mut cache = self.caches.get();
        let (_, rc) = cache.dfa.get_or_insert_with(|| {
            let Dfas { fwd, rev, .. } = self
                .dfa
                .get()
                .and_then(Option::as_ref)
                .expect("built above");
            (fwd.create_cache(), rev.create_cache())
        });
        ends.into_iter().all(|end| {
            let back = Input::new(haystack)
                .span(window.start..end)
                .anchored(Anchored::Yes);
            matches!(rev.try_search_rev(rc, &back), Ok(None))
        })
    }
}

/// A rule's lazy DFAs, and what the pattern says about where matches end.
struct Dfas {
    fwd: DFA,
    rev: DFA,
    /// Every match ends at a line end: the pattern's last element is `$`
    /// (multi-line or not).
    line_end: bool,
}

/// The forward lazy DFA over `nfa` and a reverse one over `pattern`, as the
/// meta engine pairs them (the reverse one with all-matches semantics, so an
/// anchored reverse search finds the leftmost start); `None` if either cannot
/// be built, and the NFA engines then do all the work.
///
/// The forward DFA gets the pattern's prefix literals as a prefilter when
/// every match starts with one of a few literals (`process.env.`,
/// `/api/v1/`, `--token`), as the meta engine does: on a long line the rule's
/// window is the whole line, which it then skips to the next literal instead
/// of stepping through byte by byte. A prefilter built from the pattern's own
/// prefixes changes no match.
fn lazy_dfas(pattern: &str, nfa: &NFA) -> Option<Dfas> {
    let hir = syntax::parse_with(pattern, &syntax_config()).ok();
    let prefilter = hir
        .as_ref()
        .and_then(|hir| Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir))
        .filter(Prefilter::is_fast);
    let line_end = hir.is_some_and(|hir| {
        let suffix = hir.properties().look_set_suffix();
        suffix.contains(Look::EndLF) || suffix.contains(Look::End)
    });
    let fwd = DFA::builder()
        .configure(
            DFA::config()
                .unicode_word_boundary(false)
                .prefilter(prefilter),
        )
        .build_from_nfa(nfa.clone())
        .ok()?;
    let rev_nfa = thompson::Compiler::new()
        .syntax(syntax_config())
        .configure(
            thompson::Config::new()
                .utf8(false)
                .shrink(false)
                .reverse(true)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build(pattern)
        .ok()?;
    let rev = DFA::builder()
        .configure(
            DFA::config()
                .unicode_word_boundary(false)
                .match_kind(MatchKind::All),
        )
        .build_from_nfa(rev_nfa)
        .ok()?;
    Some(Dfas { fwd, rev, line_end })
}

/// How every rule pattern is parsed: bytes, no Unicode classes.
fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// A match as (start, end, group 1 span).
    type Found = (usize, usize, Option<(usize, usize)>);

    /// Every (whole match, group 1) span of `search` over `text`, searching on
    /// from each match's end as the scanner does.
    fn all(text: &[u8], mut search: impl FnMut(&Input<'_>) -> Option<Found>) -> Vec<Found> {
        let mut out = Vec::new();
        let mut input = Input::new(text);
        while let Some(m) = search(&input) {
            out.push(m);
            let next = if m.0 == m.1 { m.1 + 1 } else { m.1 };
            if next > text.len() {
                break;
            }
            input.set_start(next);
        }
        out
    }

    /// The match `caps` holds, if any.
    fn found(caps: &Captures) -> Option<Found> {
        let whole = caps.get_match()?;
        let group = caps.get_group(1).map(|g| (g.start, g.end));
        Some((whole.start(), whole.end(), group))
    }

    fn with(m: &Matcher, text: &[u8]) -> Vec<Found> {
        let mut caps = m.create_captures();
        all(text, |input| {
            m.search_captures(input, &mut caps);
            found(&caps)
        })
    }

    /// The pattern of built-in rule `id`.
    fn builtin_pattern(id: &str) -> &'static str {
        RuleSet::builtin().unwrap().get(id).unwrap().pattern
    }

    /// regex's meta engine, configured as keyhook's matchers are: the
    /// reference both the engine and the capture-memo tests compare against.
    fn reference(pattern: &str) -> regex_automata::meta::Regex {
        use regex_automata::meta;
        meta::Builder::new()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .configure(meta::Config::new().utf8_empty(false).auto_prefilter(false))
            .build(pattern)
            .unwrap()
    }

    #[test]
    fn nfa_and_dfa_paths_agree_with_the_meta_engine_on_every_rule() {
        let set = RuleSet::builtin().unwrap();
        for rule in set.rules() {
            let meta = reference(rule.pattern);
            let nfa = Matcher::new(rule.pattern).unwrap();
            let dfa = Matcher::new_dfa_first(rule.pattern).unwrap();
            let mut texts: Vec<String> = rule
                .examples
                .iter()
                .chain(rule.negative_examples)
                .map(|s| s.to_string())
                .collect();
            texts.push(texts.join("\n"));
            texts.push(format!("prefix {} suffix", texts.join(" ; ")));
            for text in &texts {
                let mut caps = meta.create_captures();
                let expected = all(text.as_bytes(), |input| {
                    meta.search_captures(input, &mut caps);
                    found(&caps)
                });
                assert_eq!(
                    with(&nfa, text.as_bytes()),
                    expected,
                    "{} (NFA engines): {text}",
                    rule.id
                );
                assert_eq!(
                    with(&dfa, text.as_bytes()),
                    expected,
                    "{} (lazy DFA): {text}",
                    rule.id
                );
            }
        }
    }

    /// Equal matches between different neighbours, on every rule: groups
    /// recalled from the memo are the groups the engines find.
    #[test]
    fn the_capture_memo_changes_no_match_on_any_rule() {
        let set = RuleSet::builtin().unwrap();
        let mut recalled = 0;
        for rule in set.rules() {
            let meta = reference(rule.pattern);
            let dfa = Matcher::new_dfa_first(rule.pattern).unwrap();
            let mut memo = CaptureMemo::default();
            let lines: Vec<&str> = rule
                .examples
                .iter()
                .chain(rule.negative_examples)
                .copied()
                .collect();
            let mut texts = Vec::new();
            for line in &lines {
                texts.push(line.to_string());
                texts.push(format!("{line}\n{line} {line}x{line}"));
            }
            texts.push(lines.join("\n"));
            texts.push(format!("prefix {} suffix", lines.join(" ; ")));
            for text in &texts {
                let mut caps = meta.create_captures();
                let expected = all(text.as_bytes(), |input| {
                    meta.search_captures(input, &mut caps);
                    found(&caps)
                });
                let mut caps = dfa.create_captures();
                let got = all(text.as_bytes(), |input| {
                    dfa.search_captures_with(input, &mut caps, Some(&mut memo));
                    found(&caps)
                });
                assert_eq!(got, expected, "{} (capture memo): {text}", rule.id);
            }
            recalled += memo.recalled();
        }
        assert!(recalled > 100, "the memo was hardly used ({recalled})");
    }

    /// A match cut at a search's reach runs a kilobyte on; where the text
    /// repeats, its groups come from the memo, and they are the engines'.
    #[test]
    fn long_matches_cut_at_a_reach_are_remembered() {
        let pattern = builtin_pattern("generic.secret-assignment");
        let meta = reference(pattern);
        let dfa = Matcher::new_dfa_first(pattern).unwrap();
        let unit = "password=";
        let text = unit.repeat(400);
        let mut memo = CaptureMemo::default();
        let (mut caps, mut expected) = (dfa.create_captures(), meta.create_captures());
        for start in (0..1800).step_by(9) {
            let input = Input::new(text.as_bytes()).span(start..start + 1024);
            dfa.search_captures_with(&input, &mut caps, Some(&mut memo));
            meta.search_captures(&input, &mut expected);
            assert_eq!(found(&caps), found(&expected), "from {start}");
            assert!(caps.get_match().unwrap().len() > 1000);
        }
        // Each match's key holds four bytes on each side: from the second
        // match on, all are equal.
        assert_eq!(memo.recalled(), 1800 / 9 - 2);
    }

    #[test]
    fn every_rule_compiles_to_a_small_automaton() {
        // A rule compiles on every commit that mentions one of its keywords:
        // a bounded repetition such as `.{0,4096}` becomes thousands of states
        // (a millisecond each time). Let the window bound the match instead:
        // `.*?` with the rule's `multiline` reach.
        const MAX_STATES: usize = 2000;
        for rule in RuleSet::builtin().unwrap().rules() {
            let states = Matcher::new(rule.pattern).unwrap().states();
            assert!(
                states <= MAX_STATES,
                "{}: {states} NFA states (at most {MAX_STATES})",
                rule.id
            );
        }
    }

    #[test]
    fn the_dfa_is_built_only_after_enough_bytes() {
        let m = Matcher::new(r"key=([a-z0-9]{8})").unwrap();
        let mut caps = m.create_captures();
        let text = "x".repeat(1000) + "key=abcd1234";
        m.search_captures(&Input::new(&text), &mut caps);
        assert!(caps.is_match());
        assert!(m.dfa.get().is_none(), "DFA built after 1 KB");
        for _ in 0..(DFA_AFTER / text.len() + 1) {
            m.search_captures(&Input::new(&text), &mut caps);
        }
        assert!(caps.is_match());
        assert_eq!(caps.get_group(1).map(|g| g.range()), Some(1004..1012));
        assert!(
            m.dfa.get().is_some_and(Option::is_some),
            "no DFA after {DFA_AFTER} bytes"
        );
    }

    /// `none_within` never rules out a window that holds a match, and rules
    /// out most single-line windows of an end-anchored pattern that do not.
    #[test]
    fn none_within_is_proven_only_for_windows_without_a_match() {
        let quoted = builtin_pattern("generic.quoted-secret");
        let reference = reference(quoted);
        let m = Matcher::new(quoted).unwrap();
        let pieces: &[&str] = &[
            "password",
            "secret_key",
            ": ",
            "=",
            "\"",
            "'",
            ",",
            " ",
            "x",
            "q8Zr2LmX9vTb4KpW",
            "e.token",
            "}",
            "]",
        ];
        let mut rng = crate::testrng::Rng::new(0x2545_F491_4F6C_DD1D);
        let mut below = |n: usize| rng.below(n);
        let (mut proven, mut matched) = (0, 0);
        for _ in 0..400 {
            let mut line = String::new();
            while line.len() < 30 {
                line.push_str(pieces[below(pieces.len())]);
            }
            if below(2) == 0 {
                line.push_str(["secret_key: \"", "password='", "token = \""][below(3)]);
                line.push_str("q8Zr2LmX9vTb4KpW7nYc");
                line.push_str(["\"", "'"][below(2)]);
            }
            line.push_str(["", ",", " ", "x", "}", ", "][below(6)]);
            let text = format!("a: 1\n{line}{}", ["\n", "\n\n", "", "\nnext"][below(4)]);
            let start = 5;
            let end = text[start..]
                .find('\n')
                .map_or(text.len(), |p| start + p + 1);
            let has = reference
                .search(&Input::new(&text).span(start..end))
                .is_some();
            matched += usize::from(has);
            if m.none_within(text.as_bytes(), start..end) {
                assert!(!has, "ruled out a window with a match: {text:?}");
                proven += 1;
            }
        }
        assert!(
            proven > 100 && matched > 20,
            "{proven} proven, {matched} with a match"
        );
        // A window of two lines, and a pattern not anchored at the line end,
        // are never ruled out.
        assert!(!m.none_within(b"x\npassword=1\n", 0..13));
        let other = Matcher::new(r"(?i)password=([a-z0-9]{8})").unwrap();
        assert!(!other.none_within(b"nothing here\n", 0..13));
    }
}
