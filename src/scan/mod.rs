//! Turning bytes into findings: prefilter → per-rule regex on candidate windows
//! → entropy, placeholder and generic judgement → overlap resolution (a specific
//! rule beats a generic one) → line, column and inline-allow handling.

pub mod check;
pub mod cursor;
pub mod doc_comments;
pub mod entropy;
pub mod filekind;
pub mod generic;
pub mod lockfile;
mod memo;
pub mod notebook;
mod overlap;
pub mod placeholder;
pub mod prefilter;
mod regions;
mod replay;
pub mod shape;
mod split;
mod window;
pub mod words;

use crate::finding::{Finding, Pattern};
use crate::rules::{CaptureMemo, RuleKind, RuleSet};
use cursor::Cursor;
pub use filekind::{FileKind, Place};
pub use generic::GenericPolicy;
use memo::Memo;
use overlap::resolve_overlaps;
use prefilter::Prefilter;
use regions::regions;
use std::ops::Range;
use window::{Caches, Part};

/// Marker that suppresses findings on its line, in any comment syntax.
pub const ALLOW_MARKER: &[u8] = b"keyhook:allow";

/// True when `line` carries the inline allow marker: nothing on it is reported.
pub fn allows(line: &[u8]) -> bool {
    memchr::memmem::find(line, ALLOW_MARKER).is_some()
}

/// Bytes inspected for a NUL to call a file binary (as git does).
const BINARY_SNIFF: usize = 8000;

/// How far around a generic match its line is read for context, so a huge
/// single-line file stays linear.
const CONTEXT_REACH: usize = 512;

/// How far one regex search reads past where it starts before it is cut
/// short (plus a multi-line rule's reach): enough for every rule's match on
/// real code; a match cut there is judged on what was read and, when kept,
/// read again whole.
const SEARCH_REACH: usize = 1024;

/// The longest value a generic rule's judgement reads: past this, its first
/// part decides (random there is random enough), which bounds the work per
/// candidate when candidates nest inside one long value.
const JUDGED_VALUE: usize = 256;

/// A window at least this long is first asked whether its rule can match in
/// it at all by the rule's cheap proofs ([`crate::rules::Matcher::none_within`]);
/// shorter ones cost less to search than the lazy DFAs the proofs need.
const LONG_WINDOW: usize = 4 * 1024;

#[cfg(test)]
thread_local! {
    /// Bytes given to regex searches and judgements on this thread: the test
    /// suite's measure of work, to assert linear growth without timing.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
thread_local! {
    /// Tests switch [`generic::colon_expression`]'s shortcut off to compare
    /// the judgement with and without it.
    static SHORTCUT_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the judgement's shortcuts are switched off (tests only).
fn shortcut_off() -> bool {
    #[cfg(test)]
    return SHORTCUT_OFF.with(|off| off.get());
    #[cfg(not(test))]
    false
}

/// Adds `bytes` to this thread's work count (tests only).
#[inline]
fn count_work(bytes: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + bytes));
    #[cfg(not(test))]
    let _ = bytes;
}

/// A secret located in a scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index of the rule in the scanner's rule set.
    pub rule: usize,
    /// Byte range of the secret (the capture group) in the text.
    pub secret: Range<usize>,
    /// Shannon entropy of the secret.
    pub entropy: f64,
}

/// Which lines of a file are new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// The whole file is new.
    All,
    /// 1-based, end-exclusive line ranges, ascending and disjoint.
    Lines(Vec<Range<u32>>),
}

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// It contains a NUL byte.
    Binary,
    /// It is larger than the configured limit (size in bytes).
    TooLarge(u64),
}

/// What scanning one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Findings, in line order.
    pub findings: Vec<Finding>,
    /// Set when the file was not scanned.
    pub skipped: Option<Skipped>,
}

/// Everything a finding needs besides the hit: where the salt comes from.
#[derive(Debug, Clone)]
pub struct FindingContext {
    /// Salt for fingerprints (the baseline's).
    pub salt: String,
}

/// How one text is read for the generic judgement: its file kind and the
/// policy for its place (docs, tests, minified code).
#[derive(Debug, Clone, Copy)]
struct Reading<'p> {
    file: FileKind,
    policy: &'p GenericPolicy,
    /// Where the documentation inside the text is (doc comments, docstrings).
    docs: &'p DocRegions,
}

/// Where a text's documentation is: its doc-comment lines (source code) and,
/// for Python, its docstrings, found on the first generic candidate that asks
/// (most files have none, and pay nothing).
#[derive(Debug, Default)]
struct DocRegions {
    /// The text is program source, whose doc comments count as docs.
    code: bool,
    /// The text is Python, whose docstrings count as docs.
    python: bool,
    docstrings: std::sync::OnceLock<Vec<Range<usize>>>,
}

impl DocRegions {
    /// True when the candidate whose line is `line`, at `pos` in `text`, is
    /// in documentation.
    fn documents(&self, text: &[u8], line: &[u8], pos: usize, whole_line: bool) -> bool {
        (self.code && whole_line && doc_comments::doc_comment_line(line))
            || (self.python
                && doc_comments::within(
                    self.docstrings
                        .get_or_init(|| doc_comments::docstrings(text)),
                    pos,
                ))
    }
}

/// A compiled rule set ready to scan.
#[derive(Debug)]
pub struct Scanner {
    rules: RuleSet,
    prefilter: Prefilter,
    policy: GenericPolicy,
    max_file_size: u64,
}

impl Scanner {
    /// A scanner for `rules`: the keyword index is built now (microseconds),
    /// each regex on its rule's first keyword hit.
    pub fn new(rules: RuleSet, policy: GenericPolicy, max_file_size: u64) -> Scanner {
        let prefilter = Prefilter::new(&rules);
        Scanner {
            rules,
            prefilter,
            policy,
            max_file_size,
        }
    }

    /// The rules this scanner runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Files larger than this many bytes are skipped.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// The generic-rule thresholds in force.
    pub fn policy(&self) -> &GenericPolicy {
        &self.policy
    }

    /// False when no rule can match anywhere in `text` (no keyword occurs):
    /// a cheap test that lets callers skip diffing content that cannot hold a
    /// finding.
    pub fn may_match(&self, text: &[u8]) -> bool {
        self.prefilter.any(text)
    }

    /// Finds every secret in `text`, judged as if in a file of unknown kind.
    /// Offsets are relative to `text`.
    pub fn scan_text(&self, text: &[u8]) -> Vec<Hit> {
        self.scan_text_as(text, FileKind::Other)
    }

    /// Finds every secret in `text`, a file of kind `file` (which decides how
    /// unquoted values of generic rules are read).
    pub fn scan_text_as(&self, text: &[u8], file: FileKind) -> Vec<Hit> {
        self.scan_text_placed(text, file, Place::Source)
    }

    /// [`Scanner::scan_text_as`] for a file at `place` (docs and tests let
    /// stand-in values pass).
    pub fn scan_text_placed(&self, text: &[u8], file: FileKind, place: Place) -> Vec<Hit> {
        self.scan_text_with(text, file, place, false)
    }

    /// [`Scanner::scan_text_placed`], also saying whether the text is
    /// minified code (short identifier-like values are mangled names).
    pub fn scan_text_with(
        &self,
        text: &[u8],
        file: FileKind,
        place: Place,
        minified: bool,
    ) -> Vec<Hit> {
        self.scan_text_documented(text, file, place, minified, false)
    }

    /// [`Scanner::scan_text_with`]; doc comments of source code (and, with
    /// `python`, docstrings) are read as documentation ([`doc_comments`]).
    fn scan_text_documented(
        &self,
        text: &[u8],
        file: FileKind,
        place: Place,
        minified: bool,
        python: bool,
    ) -> Vec<Hit> {
        let policy = GenericPolicy {
            place,
            minified,
            ..self.policy
        };
        let docs = DocRegions {
            code: file == FileKind::Code && !minified,
            python,
            ..DocRegions::default()
        };
        let how = Reading {
            file,
            policy: &policy,
            docs: &docs,
        };
        // Only a text long enough to split is counted (an atomic per file
        // would cost a history scan of small files more than it tells).
        let _scanning = split::Scanning::start(text.len());
        let rules = self.rules.rules();
        let windows = self.prefilter.windows(text, |r| rules[r].multiline);
        let mut hits = Vec::new();
        // Windows come sorted by rule: the capture memo starts over per rule.
        let mut caches = Caches::default();
        let mut rule = usize::MAX;
        for w in &windows {
            if rule != w.rule {
                rule = w.rule;
                caches.groups = CaptureMemo::default();
            }
            let re = rules[w.rule].regex();
            if w.range.len() >= LONG_WINDOW && re.none_within(text, w.range.clone()) {
                count_work(1);
                continue;
            }
            let threads = split::threads(w.range.len());
            if threads > 1 {
                hits.extend(self.scan_split(text, w, how, threads));
            } else {
                let run = self.scan_window(text, w, how, Part::whole(w), &mut caches);
                hits.extend(run.hits.into_iter().map(|(_, hit)| hit));
            }
        }
        resolve_overlaps(&self.rules, hits)
    }

    /// Judges one match of rule `rule` (whole match from `start`, secret
    /// `value`): the entropy and where the secret is when it is kept (the
    /// value, trimmed, or the value a tuple assignment pairs with the name).
    /// What the scan already worked out is looked up in `memo`.
    fn judge(
        &self,
        rule: usize,
        text: &[u8],
        start: usize,
        value: Range<usize>,
        how: Reading,
        memo: &mut Memo,
    ) -> Option<(f64, Range<usize>)> {
        if self.rules.rules()[rule].kind != RuleKind::Generic {
            return self
                .judge_format(rule, &text[value.clone()])
                .map(|h| (h, value));
        }
        // A long value is judged on its first JUDGED_VALUE bytes, so the work
        // per candidate is bounded however long the line (a PEM body, which
        // cannot nest, is judged whole); kept on that part, the whole value is
        // reported (fail closed).
        count_work(value.len().min(JUDGED_VALUE) + 2 * CONTEXT_REACH);
        let part = judged_part(text, value.clone());
        if part == value {
            return self.judge_generic(text, start, value, how, memo);
        }
        let (entropy, secret) = self.judge_generic(text, start, part.clone(), how, memo)?;
        if secret.start != part.start {
            return Some((entropy, secret)); // another value, judged whole
        }
        Some((entropy, value))
    }

    /// The bytes [`Scanner::judge`] reads to judge the match of rule `rule`
    /// from `start` with `value`; `None` when that read is clamped at an end
    /// of the text (so it also depends on where that end is).
    fn judged_reads(
        &self,
        rule: usize,
        text: &[u8],
        start: usize,
        value: Range<usize>,
    ) -> Option<Range<usize>> {
        if self.rules.rules()[rule].kind != RuleKind::Generic {
            return Some(value);
        }
        let part = judged_part(text, value.clone());
        let context = judged_context(text.len(), start, part.end);
        let clamped = start < CONTEXT_REACH || part.end + CONTEXT_REACH > text.len();
        (!clamped).then(|| context.start.min(value.start)..context.end.max(value.end))
    }

    /// Entropy and placeholder checks of a provider-format match; returns the
    /// entropy when the candidate is kept.
    fn judge_format(&self, rule: usize, secret: &[u8]) -> Option<f64> {
        let rule = &self.rules.rules()[rule];
        let h = entropy::shannon(secret);
        if rule.min_entropy.is_some_and(|min| h < min) {
            return None;
        }
        if placeholder::is_placeholder(secret) {
            return None;
        }
        Some(h)
    }

    /// Placeholder and generic judgement of a generic match (the name, the
    /// syntax around the value, the value), reading the line around it.
    /// Returns the entropy and the secret's range (trailing punctuation of
    /// an unquoted value is trimmed; in a tuple assignment the value paired
    /// with the name is judged).
    fn judge_generic(
        &self,
        text: &[u8],
        start: usize,
        value: Range<usize>,
        how: Reading,
        memo: &mut Memo,
    ) -> Option<(f64, Range<usize>)> {
        if how.file == FileKind::Code
            && generic::colon_expression(text, start, value.clone())
            && !shortcut_off()
        {
            return None; // what the judgement below decides, from fewer bytes
        }
        // A placeholder in the first place of a tuple assignment
        // (`user, token = "<user>", "..."`) says nothing of the second.
        let tuple_like = text.get(value.end + 1) == Some(&b',');
        if !tuple_like && memo.is_placeholder(&text[value.clone()]) {
            return None;
        }
        let Range { start: lo, end: hi } = judged_context(text.len(), start, value.end);
        let (line_start, line_end) = memo.line_around(text, lo..hi, start, value.end);
        let mut candidate = generic::Candidate {
            line: &text[line_start..line_end],
            start: start - line_start,
            value: value.start - line_start..value.end - line_start,
            file: how.file,
        };
        if let Some(default) = generic::slot_default_value(&candidate) {
            candidate.value = default;
        }
        // `user, password = "u", "p"`: the match took the first value.
        if let Some(paired) = generic::paired_value(&candidate) {
            candidate.value = paired;
        } else if tuple_like && memo.is_placeholder(&text[value.clone()]) {
            return None;
        }
        let value_start = candidate.value.start + line_start;
        // In a doc comment or docstring of product code, the stand-in
        // policy of docs applies (issue 11).
        // A line clipped at the context's start is not known to open a
        // doc comment.
        let whole_line = line_start > lo || lo == 0;
        memo.documented = how.policy.place == Place::Source
            && how
                .docs
                .documents(text, &text[line_start..line_end], start, whole_line);
        let policy = if memo.documented {
            GenericPolicy {
                place: Place::Docs,
                ..*how.policy
            }
        } else {
            *how.policy
        };
        // The judgement reads only the candidate, so equal candidates (a
        // repeated line, `password=` run together) are judged once.
        let judge = || generic::judge(&candidate, &policy).ok();
        let judged = if memo.nested(start) {
            let key = (
                candidate.line,
                candidate.start,
                candidate.value.clone(),
                std::mem::discriminant(&how.file),
                std::mem::discriminant(&policy.place),
            );
            memo.judged(key, judge)
        } else {
            judge()
        };
        let end = judged? + line_start;
        let secret = &text[value_start..end];
        if placeholder::is_placeholder(secret) {
            return None;
        }
        Some((entropy::shannon(secret), value_start..end))
    }

    /// Scans the added lines of one file and turns hits into findings.
    pub fn scan_file(
        &self,
        path: &str,
        data: &[u8],
        added: &Added,
        ctx: &FindingContext,
    ) -> FileResult {
        if data.len() as u64 > self.max_file_size {
            return FileResult {
                findings: vec![],
                skipped: Some(Skipped::TooLarge(data.len() as u64)),
            };
        }
        if looks_binary(data) {
            return FileResult {
                findings: vec![],
                skipped: Some(Skipped::Binary),
            };
        }
        if notebook::is_notebook(path) {
            if let Some(findings) = self.scan_notebook(path, data, added, ctx) {
                return FileResult {
                    findings,
                    skipped: None,
                };
            }
        }
        let mut findings = Vec::new();
        for (region, first_line) in regions(data, added) {
            findings.extend(self.scan_region(path, &data[region], first_line, ctx));
        }
        FileResult {
            findings,
            skipped: None,
        }
    }

    /// Scans `text` as one region whose first line is line `first_line`, with
    /// no binary or size check: for callers that read large or binary stores
    /// (SQLite files of AI tools) in chunks themselves.
    pub fn scan_region(
        &self,
        path: &str,
        text: &[u8],
        first_line: u32,
        ctx: &FindingContext,
    ) -> Vec<Finding> {
        // Minified code is code whatever its extension (a source map is JSON).
        let minified = filekind::is_minified(path, text);
        let kind = if minified {
            FileKind::Code
        } else {
            FileKind::of(path)
        };
        let python = doc_comments::has_docstrings(path);
        let mut hits = self.scan_text_documented(text, kind, Place::of(path), minified, python);
        if lockfile::is_lockfile(path) {
            hits.retain(|h| !lockfile::is_checksum(text, &h.secret));
        }
        self.findings_for_hits(path, text, hits, first_line, ctx)
    }

    /// Turns hits in `text` (from [`Scanner::scan_text`], possibly filtered)
    /// into findings: line and column (line 1 of `text` is `first_line`), and
    /// lines carrying the inline allow marker dropped.
    pub fn findings_for_hits(
        &self,
        path: &str,
        text: &[u8],
        mut hits: Vec<Hit>,
        first_line: u32,
        ctx: &FindingContext,
    ) -> Vec<Finding> {
        let mut findings = Vec::with_capacity(hits.len());
        hits.sort_by_key(|h| h.secret.start);
        // One cursor answers line, allow marker and column incrementally: per
        // hit, work is bounded by the bytes since the previous hit.
        let mut cursor = Cursor::new(text, first_line);
        for hit in hits {
            let (line, _) = cursor.line_of(hit.secret.start);
            if cursor.line_has(hit.secret.start, ALLOW_MARKER) {
                continue;
            }
            let column = cursor.column(hit.secret.start);
            findings.push(self.finding(path, line, column, &hit, &text[hit.secret.clone()], ctx));
        }
        findings
    }

    /// Turns a hit into a redacted, fingerprinted finding at `line`:`column`;
    /// `secret` is the hit's bytes (detectors pass decoded values here).
    pub fn finding(
        &self,
        path: &str,
        line: u32,
        column: u32,
        hit: &Hit,
        secret: &[u8],
        ctx: &FindingContext,
    ) -> Finding {
        let rule = &self.rules.rules()[hit.rule];
        let (pattern, why) = match rule.kind {
            RuleKind::Format => (
                Pattern::ProviderFormat,
                format!(
                    "matches the {} format; entropy {:.1} bits/char, not a known placeholder",
                    rule.name, hit.entropy
                ),
            ),
            RuleKind::Generic => (
                Pattern::GenericAssignment,
                format!(
                    "a secret-named variable holds a literal {}-character value with entropy {:.1} bits/char (random, not a word, reference or placeholder)",
                    secret.len(),
                    hit.entropy
                ),
            ),
        };
        Finding {
            path: path.to_string(),
            line,
            column,
            rule: rule.id.to_string(),
            rule_name: rule.name.to_string(),
            pattern,
            redacted: crate::redact::redact(secret),
            fingerprint: crate::fingerprint::fingerprint(&ctx.salt, secret),
            entropy: Some((hit.entropy * 100.0).round() / 100.0),
            why,
            fix: rule.fix.unwrap_or(DEFAULT_FIX).to_string(),
            commit: None,
        }
    }
}

/// The part of a generic match's `value` its judgement reads: the first
/// JUDGED_VALUE bytes of a long value (a PEM body, which cannot nest, whole).
fn judged_part(text: &[u8], value: Range<usize>) -> Range<usize> {
    let pem = text[value.clone()].starts_with(generic::PEM_BEGIN);
    if pem || value.len() <= JUDGED_VALUE {
        value
    } else {
        value.start..value.start + JUDGED_VALUE
    }
}

/// The stretch of a text of `len` bytes read around a generic match from
/// `start` whose judged value ends at `value_end`, for the line around it.
fn judged_context(len: usize, start: usize, value_end: usize) -> Range<usize> {
    start.saturating_sub(CONTEXT_REACH)..(value_end + CONTEXT_REACH).min(len)
}

/// True when the first 8000 bytes hold a NUL, as git decides.
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF)]).is_some()
}

/// The advice every key-format finding gets.
pub const DEFAULT_FIX: &str = "move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed";

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes the `i`-th piece of a test input.
    type Unit = Box<dyn Fn(usize) -> Vec<u8>>;

    /// Work (bytes searched and judged) to scan `text` on this thread.
    fn work(scanner: &Scanner, text: &[u8]) -> usize {
        WORK.with(|w| w.set(0));
        scanner.scan_text_as(text, FileKind::Other);
        WORK.with(|w| w.get())
    }

    /// `shape(n)` repeated to about `n` bytes.
    fn repeat(unit: impl Fn(usize) -> Vec<u8>, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 64);
        let mut i = 0;
        while out.len() < n {
            out.extend(unit(i));
            i += 1;
        }
        out
    }

    /// The colon shortcut rejects only what the judgement rejects: random
    /// `name:value` candidates in code, with the neighbours, names and values
    /// that send a judgement down its other paths (template slots, flags,
    /// data source names, private keys, `:=`, tuples, quotes, comments),
    /// judged with the shortcut and without, under every policy.
    #[test]
    fn the_colon_shortcut_rejects_only_what_the_judgement_rejects() {
        let scanner = check::builtin_scanner().unwrap();
        // Random-looking values assembled at run time (this file stays clean).
        let random = ["q8Zr2LmX", "9vTb4KpW", "7nYc3Rs5"].concat();
        let body = ["MIIEowIBAAKCAQEA", &random, &random, "3Rs5Tv4Wx7Yz1Ab"].concat();
        let before: &[&str] = &[
            "",
            "${",
            "x = {",
            "a, ",
            "user, ",
            "-u ",
            "curl ",
            "// ",
            "/* ",
            "# ",
            "\"",
            "'",
            "?",
            "&",
            "(",
            "<",
            "public ",
            "[",
            "{\"a\":1,",
            "\n",
            ":",
            "AWS::",
        ];
        let names: &[&str] = &[
            "token",
            "password",
            "apiKey",
            "t.token",
            "e.password",
            "API_KEY",
            "db_password",
            "secret-key",
            "d",
            "k",
            "n",
            "kty",
            "x",
            "-u",
            "-udeploy",
            "--userci",
            "-p",
            "user",
            "CURLOPT_USERPWD",
            "identified",
            "public_key",
            "key_id",
            "token_url",
            "passwd",
            "pwd",
            "auth",
            "getConnection",
            "",
            "-u deploy",
            "--user=ci",
            "my token",
            "\"token\"",
            "IDENTIFIED BY",
            "x.getConnection(url, \"u\",",
        ];
        let values: Vec<String> = [
            "e.password",
            "process.env.API_KEY",
            "null",
            "changeme",
            "hunter2x",
            "x",
            "abc&state=x",
            "Tr0ub4dor&3xKq9",
            "${X}",
            "\"",
            "=",
        ]
        .iter()
        .map(|v| v.to_string())
        .chain([
            random.clone(),
            format!("={random}"),
            format!("-{random}"),
            format!("-----BEGIN RSA PRIVATE KEY-----{body}"),
            body.clone(),
            format!("{random}\""),
            format!("{random}, \"{random}\""),
            format!("=\"{random}\", \"{random}\""),
        ])
        .collect();
        let after: &[&str] = &[
            "",
            "@tcp(db:3306)/app",
            "@unix(/run/mysqld.sock)/db",
            "}",
            ",",
            ";",
            "\"",
            "'",
            " ",
            "<",
            "{",
            "$",
            "||\"\"",
            ")",
            "\n",
            ", \"",
            "&state=x",
        ];
        let mut rng = crate::testrng::Rng::new(0x636f_6c6f_6e21);
        let (mut taken, mut kept) = (0, 0);
        for _ in 0..20_000 {
            let (b, n, v, a) = (
                *rng.pick(before),
                *rng.pick(names),
                rng.pick(&values).clone(),
                *rng.pick(after),
            );
            // Mostly the bare colon; other operators and quotes for contrast.
            let op = *rng.pick(&[":", ":", ":", ":", "=", ": ", ":\"", "='", "=>"]);
            let text = format!("{b}{n}{op}{v}{a}");
            let start = b.len();
            let value = start + n.len() + op.len()..start + n.len() + op.len() + v.len();
            let shortcut = generic::colon_expression(text.as_bytes(), start, value.clone());
            for (file, minified, place) in [
                (FileKind::Code, false, Place::Source),
                (FileKind::Code, true, Place::Source),
                (FileKind::Code, false, Place::Docs),
                (FileKind::Code, false, Place::Tests),
                (FileKind::Other, false, Place::Source),
            ] {
                let policy = GenericPolicy {
                    minified,
                    place,
                    ..GenericPolicy::default()
                };
                let docs = DocRegions {
                    code: !minified,
                    ..DocRegions::default()
                };
                let how = Reading {
                    file,
                    policy: &policy,
                    docs: &docs,
                };
                let judge = |off: bool| {
                    SHORTCUT_OFF.with(|o| o.set(off));
                    let judged = scanner.judge_generic(
                        text.as_bytes(),
                        start,
                        value.clone(),
                        how,
                        &mut Memo::default(),
                    );
                    SHORTCUT_OFF.with(|o| o.set(false));
                    judged
                };
                let full = judge(true);
                assert_eq!(
                    judge(false),
                    full,
                    "{text:?} ({file:?}, {minified}, {place:?})"
                );
                taken += usize::from(shortcut && file == FileKind::Code);
                kept += usize::from(full.is_some());
            }
        }
        assert!(taken > 8000, "the shortcut was taken only {taken} times");
        assert!(kept > 2000, "only {kept} candidates kept");
    }

    /// The pathological shapes of issue 10 part 3: quadrupling the input at
    /// most about quadruples the work, whatever the content of the line.
    #[test]
    fn work_grows_linearly_on_pathological_lines() {
        let scanner = check::builtin_scanner().unwrap();
        let shapes: Vec<(&str, Unit)> = vec![
            ("password= repeated", Box::new(|_| b"password=".to_vec())),
            (
                "nested, every value different",
                Box::new(|i| format!("password=a{i}x").into_bytes()),
            ),
            (
                "json secrets on one line",
                Box::new(|i| format!(r#"{{"secret":"value{i}","id":{i}}},"#).into_bytes()),
            ),
            (
                "minified js",
                Box::new(|i| {
                    format!(r#"var a{i}={{password:e.password||"",token:"x{i}",apiKey:t.k}};"#)
                        .into_bytes()
                }),
            ),
            (
                "many short lines",
                Box::new(|i| format!("token = \"v{i}\"\n").into_bytes()),
            ),
            ("one long value", Box::new(|_| b"secret=".to_vec())),
        ];
        for (name, unit) in &shapes {
            let n = 8 * 1024;
            let (small, big) = if *name == "one long value" {
                let long = |n| [b"secret=".as_slice(), &vec![b'a'; n]].concat();
                (long(n), long(4 * n))
            } else {
                (repeat(unit, n), repeat(unit, 4 * n))
            };
            let (a, b) = (work(&scanner, &small), work(&scanner, &big));
            assert!(a > 0, "{name}: no work counted");
            assert!(
                b <= 5 * a,
                "{name}: work grew {:.1}x for 4x the input ({a} -> {b})",
                b as f64 / a as f64
            );
        }
    }

    /// A key in a 1 MB minified line is still found, at its exact line and
    /// column; the stand-ins around it are not.
    #[test]
    fn a_key_in_a_megabyte_minified_line_is_found_exactly() {
        let scanner = check::builtin_scanner().unwrap();
        let ctx = FindingContext {
            salt: "s".to_string(),
        };
        // Assembled at run time: an obviously fake, random-looking token.
        let key: String = ["ghp_", "Zq8", "Xw2Lk9Pv4Rt7Ny1Bm6Hc3Jd5Fg0Ks8Ta2"].concat();
        let unit = |i: usize| {
            format!(r#"var a{i}={{password:e.password||"",token:"x{i}",apiKey:process.env.K}};"#)
                .into_bytes()
        };
        let mut text = b"// bundle\n".to_vec();
        text.extend(repeat(unit, 512 * 1024));
        let at = text.len();
        text.extend(format!(r#"const gh="{key}";"#).into_bytes());
        text.extend(repeat(unit, 512 * 1024));
        text.push(b'\n');
        let found = scanner.scan_file("dist/app.min.js", &text, &Added::All, &ctx);
        let spots: Vec<(u32, u32, &str)> = found
            .findings
            .iter()
            .map(|f| (f.line, f.column, f.rule.as_str()))
            .collect();
        let col = (at - b"// bundle\n".len()) as u32 + r#"const gh=""#.len() as u32 + 1;
        assert_eq!(spots.len(), 1, "{spots:?}");
        assert_eq!((spots[0].0, spots[0].1), (2, col), "{spots:?}");
    }
}
