//! Identifiers written in a language's own naming conventions, which a
//! secret-named variable often holds instead of a secret: Python's dunder
//! and private names (`__stream_v2`, `__pre_release__`), CamelCase type and
//! schema names (`ResponseDeltaEvent`, `tokenRefreshHandler`), and dotted
//! module or attribute paths (`app.handlers.auth_views`,
//! `auth.backends.ModelBackend`). Generated keys have none of these shapes:
//! their capitals and digits fall anywhere, not at word starts.

use super::words;

/// Why `value` is an identifier by convention, or `None`.
pub(super) fn convention(value: &[u8]) -> Option<&'static str> {
    if dunder(value) {
        Some("a dunder or private name")
    } else if camel_case_name(value) {
        Some("a CamelCase type or schema name")
    } else if module_path(value) {
        Some("a dotted module or attribute path")
    } else {
        None
    }
}

/// `__stream_v2`, `__pre_release__`, `_private_`: letters, digits and `_`,
/// opening with two underscores or wrapped in them, with a word inside.
fn dunder(v: &[u8]) -> bool {
    let ident = v.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let wrapped = v.starts_with(b"__") || (v.starts_with(b"_") && v.ends_with(b"_"));
    let inner: Vec<u8> = v
        .iter()
        .copied()
        .map(|b| if b == b'_' { b' ' } else { b })
        .collect();
    ident && wrapped && v.len() > 3 && words::is_wordy(inner.trim_ascii())
}

/// `ResponseDeltaEvent`, `tokenRefreshHandler`, `OAuth2Client`: letters in
/// humps where every capital opens a lowercase run of two or more (an
/// acronym may stand alone at either end), at least two humps, and words
/// for at least half of them. Random mixed case puts capitals side by side
/// and lowercase runs of one.
fn camel_case_name(v: &[u8]) -> bool {
    if !v.iter().all(u8::is_ascii_alphanumeric) || v.len() < 6 {
        return false;
    }
    let humps = humps(v);
    if humps.len() < 2 {
        return false;
    }
    let shaped = humps.iter().enumerate().all(|(i, h)| {
        let lower_run = h.iter().skip(1).all(u8::is_ascii_lowercase) && h.len() >= 3;
        let first_lower = i == 0 && h.iter().all(u8::is_ascii_lowercase) && h.len() >= 2;
        let acronym = (i == 0 || i == humps.len() - 1)
            && h.len() <= 5
            && h.iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        lower_run || first_lower || acronym
    });
    // Acronyms (`OAuth`'s `O`, `Client` of `HTTPClient`) say little; the
    // word humps must be two or more and words for at least half of them.
    let word_humps: Vec<&&[u8]> = humps
        .iter()
        .filter(|h| h.len() >= 3 && h.iter().skip(1).all(u8::is_ascii_lowercase))
        .collect();
    let wordy = word_humps
        .iter()
        .filter(|h| words::splits_into_words(&h.to_ascii_lowercase()))
        .count();
    shaped && word_humps.len() >= 2 && wordy * 2 >= word_humps.len() && wordy >= 1
}

/// Splits at each capital that follows a lowercase letter or opens a word
/// after an acronym (`OAuthToken` → O, Auth, Token; `JSONOutput` → JSON, Output).
fn humps(v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..v.len() {
        let (prev, cur) = (v[i - 1], v[i]);
        let next_lower = v.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if cur.is_ascii_uppercase()
            && (prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower))
        {
            out.push(&v[start..i]);
            start = i;
        }
    }
    out.push(&v[start..]);
    out
}

/// `app.handlers.auth_views`, `auth.backends.ModelBackend`, `os.path`:
/// identifiers joined by dots where every part is made of words. A JWT or a
/// dotted token has random parts.
fn module_path(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&b| b == b'.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p[0].is_ascii_alphabetic() || p[0] == b'_')
                && p.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
                && (words::is_wordy(p) || camel_case_name(p))
        })
}

#[cfg(test)]
mod tests {
    use super::convention;

    #[test]
    fn identifiers_by_convention() {
        for v in [
            "__stream_v2",
            "__pre_release__",
            "ResponseDeltaEvent",
            "TokenResponseSchema",
            "tokenRefreshHandler",
            "OAuthClientConfig",
            "app.handlers.auth_views",
            "auth.backends.ModelBackend",
        ] {
            assert!(convention(v.as_bytes()).is_some(), "{v}");
        }
    }

    #[test]
    fn generated_values_are_not_identifiers() {
        for v in [
            "Zq8Lm2Xv9TbK4pWn7Yc3Rs",
            "QmXvTbKpWnYcRsLd",
            "__Zq8Lm2Xv9TbK4p",
            "ZXlKaGJHY2lPaUp.SVV6STFOaUo5Q.dozjgNryP4J3jVmN",
            "hzymoehuwq",
            "KpWnYcRsLdQx",
        ] {
            assert!(convention(v.as_bytes()).is_none(), "{v}");
        }
    }
}
