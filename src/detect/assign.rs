//! Assignments on one line, in the shapes config files use: `NAME=value`,
//! `NAME: value`, `"NAME": "value"`, `NAME = "value"`, `- NAME=value`,
//! `ENV NAME value`. And the two judgements the path-aware detectors share: is
//! this name a credential's name, and is this value a literal credential (not a
//! reference, a placeholder or a word)?
//!
//! The provider rules already find key *shapes*; these judgements exist for the
//! files where the *place* is the evidence (an MCP server's `env`, a Dockerfile
//! `ENV`, a CI file), so a literal with no known format is still caught.

use crate::scan::generic::{self, GenericPolicy};
use crate::scan::placeholder;
use regex::bytes::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// One `name <sep> value` pair; ranges are byte offsets into the scanned line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assign {
    /// The name, without quotes.
    pub name: Range<usize>,
    /// The value, without quotes.
    pub value: Range<usize>,
}

fn pair_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?x)
            (?:^|[\s{,(\["'])                             # start of a pair
            (?:"(?P<qn>[A-Za-z_][A-Za-z0-9_.-]*)"|'(?P<sn>[A-Za-z_][A-Za-z0-9_.-]*)'|(?P<n>[A-Za-z_][A-Za-z0-9_.-]*))
            [\x20\t]*(?::=|=|:)[\x20\t]*                  # separator (not `==`, checked below)
            (?:"(?P<dq>[^"\\\r\n]*)"|'(?P<sq>[^'\r\n]*)'|(?P<bare>[^\s"',{}\[\]\#=][^\s"',{}\[\]]*))
            "#,
        )
        .expect("assignment regex")
    })
}

fn docker_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `ENV NAME value` / `ARG NAME=value`: Dockerfile instructions.
    RE.get_or_init(|| {
        Regex::new(r"^[\x20\t]*(?:ENV|ARG)[\x20\t]+(?P<n>[A-Za-z_][A-Za-z0-9_]*)(?:=|[\x20\t]+)(?:\x22(?P<dq>[^\x22\r\n]*)\x22|(?P<bare>[^\s\x22]+))")
            .expect("docker regex")
    })
}

/// Every assignment on `line`, left to right.
pub fn pairs(line: &[u8]) -> Vec<Assign> {
    let mut out = Vec::new();
    if let Some(c) = docker_regex().captures(line) {
        out.push(from_caps(&c));
    }
    for c in pair_regex().captures_iter(line) {
        let a = from_caps(&c);
        // `a == b` is a comparison, not an assignment.
        if line
            .get(a.name.end..a.value.start)
            .is_some_and(|s| s.windows(2).any(|w| w == b"=="))
        {
            continue;
        }
        if !out.iter().any(|o: &Assign| o.value == a.value) {
            out.push(a);
        }
    }
    out
}

fn from_caps(c: &regex::bytes::Captures<'_>) -> Assign {
    let name = ["qn", "sn", "n"]
        .iter()
        .find_map(|g| c.name(g))
        .expect("a name group matched");
    let value = ["dq", "sq", "bare"]
        .iter()
        .find_map(|g| c.name(g))
        .expect("a value group matched");
    Assign {
        name: name.range(),
        value: value.range(),
    }
}

/// Name segments that make a variable a credential's name.
const SECRET_WORDS: &[&str] = &[
    "token",
    "key",
    "secret",
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "pat",
    "apikey",
    "credential",
    "credentials",
    "authorization",
    "auth",
    "bearer",
];

/// Last segments that make a secret-sounding name something else: `TOKEN_URL`,
/// `KEY_PATH`, `AUTH_TYPE`, `SECRET_NAME`.
const NOT_SECRET_TAILS: &[&str] = &[
    "id",
    "ids",
    "url",
    "uri",
    "path",
    "file",
    "dir",
    "endpoint",
    "host",
    "name",
    "type",
    "header",
    "region",
    "env",
    "mode",
    "format",
    "length",
    "size",
    "ttl",
    "expiry",
    "expires",
    "prefix",
    "field",
    "version",
    "count",
    "enabled",
    "limit",
    "limits",
    "provider",
    "method",
    "scope",
    "scopes",
    "issuer",
    "audience",
    "algorithm",
    "alg",
    "ref",
    "arn",
    "location",
    "var",
    "variable",
    "helper",
    "command",
    "cmd",
    "script",
];

/// Splits `GITHUB_TOKEN`, `apiKey`, `x-api-key`, `db.password` into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True when `name` names a credential (`GITHUB_TOKEN`, `apiKey`,
/// `Authorization`, `DB_PASSWORD`) and not something about one (`TOKEN_URL`).
pub fn is_secret_name(name: &str) -> bool {
    let w = words(name);
    let Some(last) = w.last() else { return false };
    if NOT_SECRET_TAILS.contains(&last.as_str()) {
        return false;
    }
    // `PGPASSWORD`, `MYSQLSECRET`: run-together names still say what they hold.
    w.iter().any(|s| {
        SECRET_WORDS.contains(&s.as_str())
            || ["password", "passwd", "secret"]
                .iter()
                .any(|strong| s.contains(strong))
    })
}

/// How sure a value must look before the place alone makes it a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Any literal that is not a reference, placeholder, number, flag or path:
    /// an MCP server's `env` has no business holding a literal credential at all.
    Literal,
    /// Also random-looking (the generic rule's judgement): a Dockerfile or CI
    /// file may legitimately hold `DB_PASSWORD=postgres` for a throwaway container.
    Random,
}

/// Prefixes that make a value a reference to a secret kept elsewhere.
const REFERENCE_PREFIXES: &[&str] = &[
    "${",
    "$(",
    "%",
    "env:",
    "op://",
    "vault:",
    "secret:",
    "secrets.",
    "keychain:",
    "file:",
    "!ref",
    "!sub",
    "arn:",
    "sm://",
    "gcp:",
    "ssm:",
    "azure-keyvault:",
];

/// True when `value` points at a secret instead of holding it: `${env:X}`,
/// `${input:x}`, `$X`, `{{ .Values.x }}`, `${{ secrets.X }}`, `op://...`.
pub fn is_reference(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    let lower = v.to_ascii_lowercase();
    if REFERENCE_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()))
    {
        return true;
    }
    if v.first() == Some(&b'$')
        && v.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return true;
    }
    memchr::memmem::find(v, b"{{").is_some()
        || memchr::memmem::find(v, b"${").is_some()
        || (v.first() == Some(&b'<') && v.last() == Some(&b'>'))
}

/// Strips an HTTP auth scheme (`Bearer `, `Basic `, `token `) from a header
/// value: the credential is what follows. Returns the offset of the credential.
pub fn auth_scheme_len(value: &[u8]) -> usize {
    for scheme in ["bearer ", "basic ", "token ", "bot "] {
        if value.len() > scheme.len()
            && value[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
        {
            return scheme.len();
        }
    }
    0
}

/// True when `value`, found under a credential's name, is a literal credential.
pub fn is_literal_secret(value: &[u8], strictness: Strictness, policy: &GenericPolicy) -> bool {
    let v = value.trim_ascii();
    if v.len() < 6 || is_reference(v) || placeholder::is_placeholder(v) {
        return false;
    }
    if v.iter()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return false;
    }
    if v.iter()
        .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b'-')
    {
        return false; // a number, a version or a date
    }
    if is_variable_name(v) {
        return false; // `tokenEnvVar: GITHUB_TOKEN` names a variable
    }
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_slice(), b"true" | b"false" | b"null" | b"none") {
        return false;
    }
    if lower.starts_with(b"http://")
        || lower.starts_with(b"https://")
        || v.starts_with(b"/")
        || v.starts_with(b"./")
        || v.starts_with(b"~/")
    {
        return false; // a URL or a path: where a secret lives, not the secret
    }
    match strictness {
        Strictness::Literal => true,
        Strictness::Random => generic::reject_reason(v, policy).is_none(),
    }
}

/// `GITHUB_TOKEN`, `API_KEY_2`: an upper-case, underscore-joined name.
fn is_variable_name(v: &[u8]) -> bool {
    v.first().is_some_and(u8::is_ascii_uppercase)
        && v.contains(&b'_')
        && v.iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_values(line: &str) -> Vec<(String, String)> {
        pairs(line.as_bytes())
            .into_iter()
            .map(|a| (line[a.name].to_string(), line[a.value].to_string()))
            .collect()
    }

    fn nv(n: &str, v: &str) -> (String, String) {
        (n.to_string(), v.to_string())
    }

    #[test]
    fn finds_pairs_in_every_config_shape() {
        assert_eq!(names_values("API_KEY=abc123"), [nv("API_KEY", "abc123")]);
        assert_eq!(
            names_values(r#"  "GITHUB_TOKEN": "ghp_x","#),
            [nv("GITHUB_TOKEN", "ghp_x")]
        );
        assert_eq!(
            names_values("  - DB_PASS=s3cr3t"),
            [nv("DB_PASS", "s3cr3t")]
        );
        assert_eq!(
            names_values("db_password = 'x y'"),
            [nv("db_password", "x y")]
        );
        assert_eq!(names_values("ENV API_TOKEN abc"), [nv("API_TOKEN", "abc")]);
        assert_eq!(
            names_values(r#"env = { A_KEY = "v1", B_TOKEN = "v2" }"#),
            [nv("A_KEY", "v1"), nv("B_TOKEN", "v2")]
        );
        assert_eq!(
            names_values(r#""env": {"X_TOKEN": "v"}"#),
            [nv("X_TOKEN", "v")]
        );
        assert!(names_values("if a == b").is_empty());
        assert_eq!(names_values(r#"- "KEY=v1""#), [nv("KEY", "v1")]);
    }

    #[test]
    fn secret_names() {
        for n in [
            "GITHUB_TOKEN",
            "apiKey",
            "x-api-key",
            "Authorization",
            "DB_PASSWORD",
            "client_secret",
            "STRIPE_KEY",
            "PGPASSWORD",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "TOKEN_URL",
            "KEY_PATH",
            "AUTH_TYPE",
            "monkey",
            "LOG_LEVEL",
            "secretName",
            "tokenEnvVar",
            "apiKeyHelper",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn references_are_not_literals() {
        let p = GenericPolicy::default();
        for v in [
            "${env:GITHUB_TOKEN}",
            "${input:github-token}",
            "$GITHUB_TOKEN",
            "{{ .Values.token }}",
            "${{ secrets.GH_TOKEN }}",
            "op://vault/item/field",
            "<YOUR_TOKEN>",
        ] {
            assert!(is_reference(v.as_bytes()), "{v}");
            assert!(
                !is_literal_secret(v.as_bytes(), Strictness::Literal, &p),
                "{v}"
            );
        }
    }

    #[test]
    fn literal_judgement() {
        let p = GenericPolicy::default();
        let lit = |v: &str, s| is_literal_secret(v.as_bytes(), s, &p);
        assert!(lit("hunter22", Strictness::Literal));
        assert!(!lit("hunter22", Strictness::Random));
        assert!(lit("q8Zr2LmX9vTb4KpW7nYc", Strictness::Random));
        for v in [
            "",
            "true",
            "3000",
            "https://api.example.com",
            "/etc/key.pem",
            "your-token-here",
            "GITHUB_TOKEN",
        ] {
            assert!(!lit(v, Strictness::Literal), "{v}");
        }
    }

    #[test]
    fn auth_schemes() {
        assert_eq!(auth_scheme_len(b"Bearer abc"), 7);
        assert_eq!(auth_scheme_len(b"abc"), 0);
    }
}
