//! A bare `key`, `keys` or `*_KEY` is weak evidence of a secret: it is the
//! commonest word in code for dict, cache, sort, config and event keys
//! (`key: ResponseDeltaEvent`, `keys: ["alert-notifier"]`,
//! `_SPECIFICITY_KEY = "frontend_specificity"`). Under such a name the value
//! itself must look like a credential; a qualifier that makes the key a
//! credential (`api_key`, `secret_key`, `signing_key`, `license_key`) keeps
//! the ordinary judgement.

use super::name::name_words;
use super::words;

/// Words next to `key` that make it a credential's name.
#[rustfmt::skip]
const QUALIFIERS: &[&str] = &[
    "api", "apikey", "secret", "access", "private", "priv", "auth", "signing", "sign", "signature",
    "encryption", "encrypt", "decrypt", "decryption", "crypt", "crypto", "cipher", "master",
    "license", "licence", "client", "app", "application", "service", "account", "admin", "hmac",
    "jwt", "aes", "rsa", "ssh", "gpg", "pgp", "deploy", "root", "consumer", "subscription",
    "ingest", "webhook", "shared", "server", "developer", "dev", "prod", "production", "live",
    "write", "integration", "project", "personal", "user", "bot", "mac", "otp", "totp", "token",
    "password", "pass", "credential", "credentials", "cred", "creds", "security", "session",
    "storage", "sas", "connection", "customer", "partner", "merchant", "tenant", "org", "site",
];

/// True when the name's secret word is a bare `key`/`keys` with no word that
/// makes it a credential's name (`key`, `CONFIG_KEY_STREAM`, `_SORT_KEY`),
/// including glued forms (`apikey` and `secretkey` are qualified).
pub(super) fn weak_key_name(name: &[u8]) -> bool {
    let parts: Vec<Vec<u8>> = name_words(name).collect();
    let Some(at) = parts
        .iter()
        .rposition(|w| w.ends_with(b"key") || w.ends_with(b"keys"))
    else {
        return false;
    };
    let word = &parts[at];
    let glued = word
        .strip_suffix(b"keys")
        .or_else(|| word.strip_suffix(b"key"));
    let listed = |w: &[u8]| QUALIFIERS.iter().any(|q| q.as_bytes() == w);
    if glued.is_some_and(|g| !g.is_empty()) {
        // `apikey`, `secretkey`, `privkey`: glued to its qualifier; a
        // provider glued to it (`stripekey`) is a credential too.
        return false;
    }
    !parts.iter().any(|w| listed(w))
}

/// A value that could be a credential under a bare `key` name: anything but
/// names joined by separators, which is how code writes its dict, cache and
/// label keys (`frontend_specificity`, `alert-notifier`, `session:profile`):
/// parts of letters (a short number may end one), one of them a word of
/// four letters or more. Random values under such names still block, whatever
/// their alphabet.
pub(super) fn looks_like_credential(value: &[u8]) -> bool {
    let sep = |b: &u8| matches!(b, b'-' | b'_' | b'.' | b':' | b'/');
    if !value.iter().any(sep) {
        return true;
    }
    let mut named = false;
    for part in value.split(sep).filter(|p| !p.is_empty()) {
        let digits = part.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let word = &part[..part.len() - digits];
        if digits > 2 || !word.iter().all(u8::is_ascii_alphabetic) {
            return true;
        }
        named |= word.len() >= 4 && words::is_wordy(word);
    }
    !named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_keys_are_weak() {
        for n in [
            "key",
            "keys",
            "CONFIG_KEY_STREAM",
            "_SPECIFICITY_KEY",
            "sortKey",
            "cache_keys",
        ] {
            assert!(weak_key_name(n.as_bytes()), "{n}");
        }
        for n in [
            "api_key",
            "apiKey",
            "SECRET_KEY",
            "signing_key",
            "stripekey",
            "LICENSE_KEY",
            "password",
        ] {
            assert!(!weak_key_name(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn credential_looking_values() {
        for v in [
            "Zq8Lm2Xv9TbK4pWn7Yc3Rs",
            "9f86d081884c7d659a2feaa0c55ad015",
            "kxqvbnrt",
            "hzqw-mxvr-tbkp",
        ] {
            assert!(looks_like_credential(v.as_bytes()), "{v}");
        }
        for v in [
            "frontend_specificity",
            "alert-notifier",
            "session:profile:v2",
            "user.settings",
        ] {
            assert!(!looks_like_credential(v.as_bytes()), "{v}");
        }
    }
}
