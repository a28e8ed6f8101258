//! Reading and writing the baseline file. Reading is strict (unknown keys,
//! duplicates, a newer format version and malformed fingerprints are errors
//! naming the line), and writing is hand-rolled with a fixed key order, one
//! `[[accepted]]` block per entry, sorted: the same entries always give the same
//! bytes, so two branches' additions merge like any sorted list.

use super::{Entry, FILE_NAME, FORMAT_VERSION};
use anyhow::{bail, Result};
use serde::Deserialize;
use std::fmt::Write as _;
use toml::Spanned;

/// Header comment written at the top of every baseline.
const HEADER: &str = "\
# keyhook baseline: findings reviewed and accepted as not secrets.
# An entry matches by rule + path + a salted fingerprint of the value; the value
# itself is never stored. Change this file with `keyhook baseline update`,
# `keyhook baseline review` or `keyhook baseline prune`, and commit it.
";

/// What to do about a broken baseline, appended to every parse error.
const RESTORE: &str = "fix the file, or restore it with `git checkout -- .keyhook-baseline.toml`";

#[derive(Deserialize)]
struct Probe {
    version: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    #[allow(dead_code)]
    version: u32,
    salt: Spanned<String>,
    #[serde(default)]
    accepted: Vec<Spanned<EntryDe>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDe {
    path: String,
    rule: String,
    fingerprint: String,
    accepted_by: String,
    accepted_at: String,
    #[serde(default)]
    reason: Option<String>,
}

/// 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// A TOML error as `.keyhook-baseline.toml:<line>: <message> (<fix>)`.
fn toml_err(text: &str, e: &toml::de::Error) -> anyhow::Error {
    let line = e.span().map_or(1, |s| line_of(text, s.start));
    let msg = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim_end_matches('.');
    anyhow::anyhow!("{FILE_NAME}:{line}: {msg} ({RESTORE})")
}

/// Parses the file: its salt and its entries, sorted.
pub(super) fn parse(text: &str) -> Result<(String, Vec<Entry>)> {
    // The version first, leniently: a newer file may have keys this keyhook
    // does not know, and "upgrade keyhook" is the useful message then.
    let probe: Probe = toml::from_str(text).map_err(|e| toml_err(text, &e))?;
    let Some(version) = probe.version else {
        bail!("{FILE_NAME}:1: missing `version` ({RESTORE})");
    };
    let vline = line_of(text, version.span().start);
    match version.get_ref().as_integer() {
        Some(v) if v > i64::from(FORMAT_VERSION) => bail!(
            "{FILE_NAME}:{vline}: baseline format version {v} is newer than this keyhook reads (version {FORMAT_VERSION}) (upgrade keyhook)"
        ),
        Some(v) if v >= 1 => {}
        _ => bail!("{FILE_NAME}:{vline}: `version` must be a positive integer ({RESTORE})"),
    }
    let file: FileDe = toml::from_str(text).map_err(|e| toml_err(text, &e))?;
    let salt = file.salt.get_ref().trim().to_string();
    if salt.is_empty() {
        let line = line_of(text, file.salt.span().start);
        bail!("{FILE_NAME}:{line}: empty `salt` ({RESTORE})");
    }
    let mut entries: Vec<(usize, Entry)> = Vec::with_capacity(file.accepted.len());
    for spanned in file.accepted {
        let line = line_of(text, spanned.span().start);
        let e = spanned.into_inner();
        if e.path.is_empty() || e.rule.is_empty() {
            bail!("{FILE_NAME}:{line}: entry with an empty `path` or `rule` ({RESTORE})");
        }
        if e.fingerprint.len() != 32
            || !e
                .fingerprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            bail!(
                "{FILE_NAME}:{line}: `fingerprint` is not a keyhook fingerprint (32 lowercase hex digits) ({RESTORE})"
            );
        }
        entries.push((
            line,
            Entry {
                path: e.path,
                rule: e.rule,
                fingerprint: e.fingerprint,
                accepted_by: e.accepted_by,
                accepted_at: e.accepted_at,
                reason: e.reason.filter(|r| !r.is_empty()),
            },
        ));
    }
    entries.sort_by(|a, b| a.1.key().cmp(&b.1.key()).then(a.0.cmp(&b.0)));
    // A duplicate is an error, not silently merged: it usually means a botched
    // merge, and which of the two `accepted_by`/`reason` is right is a human call.
    for pair in entries.windows(2) {
        if pair[0].1.key() == pair[1].1.key() {
            let (first, dup) = (pair[0].0, &pair[1]);
            bail!(
                "{FILE_NAME}:{}: duplicate entry for rule {} in {} (same fingerprint as line {first}; delete one of the two [[accepted]] blocks)",
                dup.0,
                dup.1.rule,
                dup.1.path
            );
        }
    }
    Ok((salt, entries.into_iter().map(|(_, e)| e).collect()))
}

/// A TOML basic string with escapes.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The file for `salt` and `entries` (already sorted and unique).
pub(super) fn render(salt: &str, entries: &[Entry]) -> String {
    let mut out = String::with_capacity(200 + entries.len() * 220);
    out.push_str(HEADER);
    let _ = write!(
        out,
        "\nversion = {FORMAT_VERSION}\nsalt = {}\n",
        quote(salt)
    );
    for e in entries {
        let _ = write!(
            out,
            "\n[[accepted]]\npath = {}\nrule = {}\nfingerprint = {}\naccepted_by = {}\naccepted_at = {}\n",
            quote(&e.path),
            quote(&e.rule),
            quote(&e.fingerprint),
            quote(&e.accepted_by),
            quote(&e.accepted_at),
        );
        if let Some(r) = &e.reason {
            let _ = writeln!(out, "reason = {}", quote(r));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP1: &str = "0123456789abcdef0123456789abcdef";
    const FP2: &str = "fedcba9876543210fedcba9876543210";

    fn entry(path: &str, fp: &str, reason: Option<&str>) -> Entry {
        Entry {
            path: path.into(),
            rule: "github.pat".into(),
            fingerprint: fp.into(),
            accepted_by: "Test <test@example.com>".into(),
            accepted_at: "2026-01-01".into(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn renders_the_stable_layout() {
        let text = render(
            "abc",
            &[
                entry("a \"q\".env", FP1, Some("test fixture")),
                entry("b.env", FP2, None),
            ],
        );
        let expected = format!(
            "{HEADER}
version = 1
salt = \"abc\"

[[accepted]]
path = 'a \"q\".env'
rule = \"github.pat\"
fingerprint = \"{FP1}\"
accepted_by = \"Test <test@example.com>\"
accepted_at = \"2026-01-01\"
reason = \"test fixture\"

[[accepted]]
path = \"b.env\"
rule = \"github.pat\"
fingerprint = \"{FP2}\"
accepted_by = \"Test <test@example.com>\"
accepted_at = \"2026-01-01\"
"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn round_trips_and_sorts() {
        let entries = vec![entry("b.env", FP2, None), entry("a.env", FP1, Some("r"))];
        let text = render("s", &entries);
        let (salt, parsed) = parse(&text).unwrap();
        assert_eq!(salt, "s");
        assert_eq!(parsed, vec![entries[1].clone(), entries[0].clone()]);
        assert_eq!(render(&salt, &parsed), render("s", &parsed));
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn duplicate_entry_names_its_line() {
        let text = render("s", &[entry("a.env", FP1, None)]);
        let block = &text[text.find("[[accepted]]").unwrap()..];
        let text = format!("{text}\n{block}");
        assert_eq!(
            err(&text),
            ".keyhook-baseline.toml:16: duplicate entry for rule github.pat in a.env (same fingerprint as line 9; delete one of the two [[accepted]] blocks)"
        );
    }

    #[test]
    fn newer_version_says_upgrade() {
        assert_eq!(
            err("# c\nversion = 2\nsalt = \"s\"\nnew_key = 1\n"),
            ".keyhook-baseline.toml:2: baseline format version 2 is newer than this keyhook reads (version 1) (upgrade keyhook)"
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        assert!(err("version = 1\nsalt = \"s\"\n[[accepted]\n")
            .starts_with(".keyhook-baseline.toml:3: "));
        assert_eq!(
            err("salt = \"s\"\n"),
            ".keyhook-baseline.toml:1: missing `version` (fix the file, or restore it with `git checkout -- .keyhook-baseline.toml`)"
        );
        let bad_fp = format!(
            "version = 1\nsalt = \"s\"\n\n[[accepted]]\npath = \"a\"\nrule = \"r\"\nfingerprint = \"{}\"\naccepted_by = \"x\"\naccepted_at = \"d\"\n",
            "ghp_notahash"
        );
        assert!(err(&bad_fp).starts_with(".keyhook-baseline.toml:4: `fingerprint` is not"));
        let unknown = format!(
            "version = 1\nsalt = \"s\"\n\n[[accepted]]\npath = \"a\"\nrule = \"r\"\nfingerprint = \"{FP1}\"\naccepted_by = \"x\"\naccepted_at = \"d\"\nline = 3\n"
        );
        assert!(
            err(&unknown).starts_with(".keyhook-baseline.toml:10: unknown field `line`"),
            "{}",
            err(&unknown)
        );
    }
}
