//! Judgement for generic rules (a secret-named assignment such as
//! `api_key = "..."`): the name says "secret", but only a value that looks random
//! and is a literal (not a reference to an environment variable, a template or a
//! function call) is worth blocking a commit for.

use super::entropy::{self, Classes};

/// Thresholds for the generic rule, configurable in `.keyhook.toml`.
#[derive(Debug, Clone, Copy)]
pub struct GenericPolicy {
    /// Minimum Shannon entropy (bits per byte).
    pub min_entropy: f64,
    /// Minimum value length.
    pub min_len: usize,
}

impl Default for GenericPolicy {
    fn default() -> Self {
        GenericPolicy {
            min_entropy: 3.0,
            min_len: 8,
        }
    }
}

/// Prefixes and fragments that make a value a reference to a secret kept
/// elsewhere, not the secret itself.
const REFERENCES: &[&str] = &[
    "process.env",
    "os.environ",
    "os.getenv",
    "getenv(",
    "env(",
    "env[",
    "env.",
    "environ[",
    "secrets.",
    "vault:",
    "ref+",
    "arn:aws:",
    "import.meta.env",
    "config.",
    "settings.",
    "self.",
    "this.",
    "params.",
    "args.",
    "options.",
    "request.",
    "file://",
    "keyring",
];

/// Why a generic candidate is not a secret, or `None` when it should be reported.
pub fn reject_reason(value: &[u8], policy: &GenericPolicy) -> Option<&'static str> {
    if value.len() < policy.min_len {
        return Some("too short");
    }
    let first = value[0];
    if matches!(first, b'$' | b'%' | b'@' | b'&' | b'*') {
        return Some("a variable reference");
    }
    let lower = value.to_ascii_lowercase();
    if REFERENCES.iter().any(|r| contains(&lower, r.as_bytes())) {
        return Some("a reference to a value kept elsewhere");
    }
    if value.contains(&b'(') && value.contains(&b')') {
        return Some("a function call");
    }
    if value.contains(&b' ') {
        return Some("contains spaces (prose, not a token)");
    }
    let classes = Classes::of(value);
    if classes.count() == 1 && !entropy::is_hex(value) && !classes.digit {
        // A single class of letters is a word or an identifier, not a key.
        return Some("a word, not a token");
    }
    if looks_like_identifier(value) {
        return Some("an identifier");
    }
    let h = entropy::shannon(value);
    let needed = if entropy::is_hex(value) {
        policy.min_entropy - 0.3
    } else {
        policy.min_entropy
    };
    if h < needed {
        return Some("low entropy");
    }
    None
}

/// `snake_case_name`, `dotted.name`, `kebab-name`: words joined by separators.
fn looks_like_identifier(value: &[u8]) -> bool {
    let parts: Vec<&[u8]> = value
        .split(|&b| b == b'_' || b == b'.' || b == b'-' || b == b'/' || b == b':')
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.iter().all(u8::is_ascii_alphabetic) && p.len() >= 2)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(v: &str) -> Option<&'static str> {
        reject_reason(v.as_bytes(), &GenericPolicy::default())
    }

    #[test]
    fn random_literals_are_reported() {
        assert_eq!(verdict("q8Zr2LmX9vTb4KpW"), None);
        assert_eq!(verdict("9c4f1e8a7b3d2c6f5e0a9b8c7d6e5f4a"), None);
    }

    #[test]
    fn references_and_words_are_not() {
        assert!(verdict("process.env.API_KEY").is_some());
        assert!(verdict("$API_KEY").is_some());
        assert!(verdict("get_secret()").is_some());
        assert!(verdict("password").is_some());
        assert!(verdict("my_api_key_name").is_some());
        assert!(verdict("short").is_some());
    }
}
