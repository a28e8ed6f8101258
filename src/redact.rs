//! The only place that turns a raw secret into something printable. Every
//! output (human, JSON, SARIF, baseline review) goes through [`redact`], so the
//! rule "never print a full secret" is enforced in one function.

/// Shows a short prefix (enough to recognise the provider and tell two keys
/// apart) and masks the rest. At most a fifth of the secret, and never more
/// than 8 characters, is ever shown.
pub fn redact(secret: &[u8]) -> String {
    let text = String::from_utf8_lossy(secret);
    let chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
    let shown = (chars.len() / 5).min(8);
    let masked = (chars.len() - shown).clamp(4, 16);
    let mut out: String = chars[..shown].iter().collect();
    out.extend(std::iter::repeat_n('*', masked));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_a_short_prefix_only() {
        // Split so that keyhook's own hook does not flag its tests.
        let r = redact(concat!("ghp_", "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE").as_bytes());
        assert_eq!(r, "ghp_R8xZ****************");
    }

    #[test]
    fn short_secrets_show_almost_nothing() {
        assert_eq!(redact(b"hunter22"), "h*******");
        assert_eq!(redact(b"abc"), "****");
    }

    #[test]
    fn never_contains_the_secret() {
        let s = b"sk-ant-api03-abcdefghijklmnopqrstuvwxyz";
        assert!(!redact(s).contains(std::str::from_utf8(s).unwrap()));
    }
}
