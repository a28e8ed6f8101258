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
    let sep = |b: &u8| separator(*b);
    if !value.iter().any(sep) {
        return !identifier_cased(value);
    }
    let mut named = false;
    for part in value.split(sep).filter(|p| !p.is_empty()) {
        let digits = part.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let word = &part[..part.len() - digits];
        if digits > 2 || !word.iter().all(u8::is_ascii_alphabetic) {
            return true;
        }
        named |= word.len() >= 4 && (words::is_wordy(word) || proper_name(word));
    }
    !named
}

/// Shortest proper name counted as a word.
const MIN_PROPER_NAME: usize = 5;

/// `Fulton`, `Berlin`: a capital, then lowercase letters that read (a
/// vowel, no four consonants together), five letters or more: a place or
/// person's name, which the vocabulary does not hold, in a label such as
/// `Fulton-A32`.
fn proper_name(word: &[u8]) -> bool {
    word.len() >= MIN_PROPER_NAME
        && word[0].is_ascii_uppercase()
        && word[1..].iter().all(u8::is_ascii_lowercase)
        && words::reads(word)
}

/// Most letters an identifier-cased value may have: longer letter-only
/// values are rarer as names than as generated keys.
const MAX_IDENTIFIER_LEN: usize = 40;

/// A name in one of code's letter-only conventions, as dict and schema keys
/// are written (`AUTHORIZER`, `Hypervisors`, `VpnConcentrators`,
/// `cloudAutonomousVmClusters`): letters only, at least one capital, split at
/// case steps into pieces that read (past three letters, an acronym such as
/// `Vpn` aside: a vowel, no four consonants together),
/// with pieces of one or two letters (`Vm`, `gi`) a quarter of the letters at
/// most. A random mixed-case key (`xKqPzLmNvB`) breaks into short pieces, and
/// one in capitals alone rarely goes without a digit; all-lowercase values
/// are left to the ordinary judgement.
fn identifier_cased(value: &[u8]) -> bool {
    // `AggregatorsV2`, `FindingsV10`: a schema name with its version.
    let digits = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let value = match value[..value.len() - digits].strip_suffix(b"V") {
        Some(name) if (1..=2).contains(&digits) && name.len() >= MIN_VERSIONED_NAME => name,
        _ => value,
    };
    if value.len() > MAX_IDENTIFIER_LEN
        || !value.iter().all(u8::is_ascii_alphabetic)
        || !value.iter().any(u8::is_ascii_uppercase)
    {
        return false;
    }
    let mut short = 0;
    let mut start = 0;
    for i in 1..=value.len() {
        // A piece ends before a capital that follows a lowercase letter
        // (`vmC`), or before the capital that starts a word after an acronym
        // (`VPNConn`: `VPN` + `Conn`).
        let boundary = i == value.len()
            || (value[i].is_ascii_uppercase() && value[i - 1].is_ascii_lowercase())
            || (i + 1 < value.len()
                && value[i].is_ascii_uppercase()
                && value[i - 1].is_ascii_uppercase()
                && value[i + 1].is_ascii_lowercase());
        if boundary {
            let piece = &value[start..i];
            if piece.len() <= 2 {
                short += piece.len();
            } else if piece.len() > 3 && !words::reads(piece) {
                return false;
            }
            start = i;
        }
    }
    short * 4 <= value.len()
}

/// Fewest letters of a name before a `V2` version suffix.
const MIN_VERSIONED_NAME: usize = 6;

/// `taint-key-1`, `cache_keys_v2`: the value's own parts say it is a key (the
/// word `key` between separators), a label of the map it keys, which a
/// generated credential spells only by a rare chance.
pub(super) fn labels_itself(value: &[u8]) -> bool {
    value.iter().any(|&b| separator(b))
        && value
            .split(|&b| separator(b))
            .any(|p| p.eq_ignore_ascii_case(b"key") || p.eq_ignore_ascii_case(b"keys"))
}

/// What joins the parts of a label or a handle: `taint-key-1`, `a.b`, `x:y`.
fn separator(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.' | b':' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_label_themselves_keys() {
        for v in ["taint-key-1", "cache_keys_v2", "user:key"] {
            assert!(labels_itself(v.as_bytes()), "{v}");
        }
        for v in [
            "Zq8Lm2Xv9TbK4pWn7Yc3Rs",
            "monkey-x9",
            "key",
            "hzqw-mxvr-tbkp",
        ] {
            assert!(!labels_itself(v.as_bytes()), "{v}");
        }
    }

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
            "Xkqvz-A32",
            "Qm3Zt-8Vw2",
        ] {
            assert!(looks_like_credential(v.as_bytes()), "{v}");
        }
        for v in [
            "frontend_specificity",
            "alert-notifier",
            "session:profile:v2",
            "user.settings",
            "Fulton-B17",
        ] {
            assert!(!looks_like_credential(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn identifier_cased_values_are_names_and_random_letters_are_not() {
        for v in [
            "AUTHORIZER",
            "Hypervisors",
            "VpnConcentrators",
            "cloudAutonomousVmClusters",
            "giVersions",
            "VPNConnections",
            "AggregatorsV2",
        ] {
            assert!(identifier_cased(v.as_bytes()), "{v}");
            assert!(!looks_like_credential(v.as_bytes()), "{v}");
        }
        for v in [
            "xKqPzLmNvBwRtYs",
            "QWKZPRTXVB",
            "hypervisors",
            "Xq7vK2mLp9",
            "aBcDeFgHiJkLmNoPqRsT",
            "xKqPzLmNvBwRtYsV2",
        ] {
            assert!(!identifier_cased(v.as_bytes()), "{v}");
        }
    }
}
