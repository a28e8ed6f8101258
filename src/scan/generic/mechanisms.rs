//! Settings named `auth` that choose how to authenticate, not with what
//! (issue 11): IMAP's `AUTH=CRAM-MD5` capability, `smtp_auth: PLAIN`,
//! `sasl_auth = SCRAM-SHA-256`. The value is the name of a mechanism,
//! written in capitals with digits and hyphens or underscores; a generated
//! credential mixes its digits in anywhere, not as a suffix of each word.

use super::name::{name_words, secret_word};

/// Longest mechanism name (`CLIENT_CERTIFICATE_TLS_AUTH` is 27).
const MAX_LEN: usize = 32;

/// Longest mechanism name without a separator (`XOAUTH2`, `GSSAPI`).
const MAX_SINGLE: usize = 8;

/// True when `name`'s only secret word is `auth` (`AUTH`, `smtp_auth`,
/// `SaslAuth`): it names a setting, which may hold a mechanism's name.
pub(super) fn auth_setting(name: &[u8]) -> bool {
    let mut secret = name_words(name).filter(|w| secret_word(w).is_some());
    secret.next().is_some_and(|w| w == b"auth") && secret.next().is_none()
}

/// `CRAM-MD5`, `SCRAM-SHA-256`, `PLAIN`, `XOAUTH2`: capitals, words of two
/// letters or more each followed by at most three digits (or a number of at
/// most three digits on its own), joined by `-` or `_`, the first a word.
pub(super) fn mechanism_name(value: &[u8]) -> bool {
    let joiner = |b: &u8| *b == b'-' || *b == b'_';
    let limit = if value.iter().any(joiner) {
        MAX_LEN
    } else {
        MAX_SINGLE
    };
    if value.len() > limit || !value.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    value.split(joiner).all(|p| {
        let letters = p.iter().take_while(|b| b.is_ascii_uppercase()).count();
        let digits = p.len() - letters;
        p[letters..].iter().all(u8::is_ascii_digit)
            && digits <= 3
            && (letters >= 2 || (letters == 0 && digits > 0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_settings_name_only_auth() {
        for n in ["AUTH", "smtp_auth", "SaslAuth"] {
            assert!(auth_setting(n.as_bytes()), "{n}");
        }
        for n in ["auth_token", "AUTH_KEY", "api_secret_auth", "password"] {
            assert!(!auth_setting(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn mechanism_names_and_credentials() {
        for v in [
            "CRAM-MD5",
            "SCRAM-SHA-256",
            "PLAIN",
            "XOAUTH2",
            "GSSAPI",
            "DIGEST-MD5",
        ] {
            assert!(mechanism_name(v.as_bytes()), "{v}");
        }
        for v in [
            "X7KQ9PZ2",
            "QZKXMWPVTR",
            "AB12CD34EF",
            "Zq8Lm2Xv9TbK4p",
            "K7QX-93ZP-LM2R",
            "cram-md5",
        ] {
            assert!(!mechanism_name(v.as_bytes()), "{v}");
        }
    }
}
