//! What a name says about its value: the last secret word of `EnvAPIPassword`
//! (password), `client_secret` (key) or `keyAuth` (key), and the words around
//! it that make the value something else (`token_url`, `key_id`,
//! `password_hash`, `public_key`, `csrf_token`, `lock_token`).

use super::{shape, Holds};
use std::ops::Range;

/// Words after the secret word that make the name about something else:
/// `token_url`, `key_id`, `password_hash`, `secret_name`, `token_expires`.
#[rustfmt::skip]
const NOT_THE_SECRET_AFTER: &[&str] = &[
    "id", "ids", "name", "names", "type", "types", "kind", "url", "uri", "urls", "endpoint",
    "host", "path", "paths", "file", "files", "filename", "filepath", "dir", "directory", "folder",
    "location", "length", "len", "size", "min", "max", "expire", "expires", "expiry", "expiration",
    "expired", "ttl", "timeout", "lifetime", "count", "scheme", "mode", "modes", "hash", "hashed",
    "sha", "sha1", "sha2", "sha256", "sha512", "md5", "digest", "format", "version", "header",
    "prefix", "suffix", "field", "fields", "param", "params", "enabled", "enable", "disabled",
    "policy", "provider", "store", "region", "label", "env", "var", "variable", "placeholder",
    "description", "desc", "hint", "help", "msg", "message", "error", "regex", "pattern",
    "validator", "validators", "hasher", "hashers", "reset", "request", "required", "spec", "index", "column", "helper", "method",
    "service", "manager", "mgr", "mgmt", "class", "mapping", "ref", "reference", "arn", "fingerprint", "mac", "checksum", "crc", "algorithms",
    "algorithm", "alg", "encoding", "status", "state", "flag", "option", "options", "strategy",
    "handler", "callback", "generator", "factory", "form", "input", "button", "text", "title",
    "page", "view", "template", "response", "usage", "rotation", "length", "audience", "issuer",
    "uses", "used", "exists", "valid", "invalid", "source", "owner", "user", "username", "account",
    "email", "login", "sources", "providers", "headers", "formats", "prefixes", "labels", "states",
    // An object identifier names a kind of entry (`AuthorityInformationAccessOID`);
    // an auth mechanism is a choice among SASL's (`AUTH_MECHANISM`).
    "oid", "oids", "mechanism", "mechanisms", "mech", "management",
];

/// Words right before the secret word that make the name about something
/// else: `public_key`, `hash_key`, `csrf_token`, `next_page_token`, `max_tokens`,
/// and the keys made to be public (`RECAPTCHA_SITE_KEY`, `SUPABASE_ANON_KEY`,
/// Algolia's `SEARCH_KEY`).
#[rustfmt::skip]
const NOT_THE_SECRET_BEFORE: &[&str] = &[
    "public", "pub", "publishable", "hash", "range", "sort", "partition", "primary", "foreign",
    "cache", "idempotency", "csrf", "xsrf", "authenticity", "search", "site", "anon", "next", "page", "pagination", "continuation", "sync",
    "lookup", "translation", "unique", "row", "map", "dict", "max", "min", "num", "total", "sha",
    "sha1", "sha2", "sha256", "sha512", "md5", "hashed", "forgot", "reset", "confirm", "new",
    "old", "current", "input", "form", "verify", "check", "validate", "compare", "show", "hide",
    "toggle", "label", "placeholder", "encrypted",
];

/// Words right before `token` that make it a handle, not a credential. Only
/// before a token: `lock_password`, `change_password` and `request_secret`
/// hold secrets.
#[rustfmt::skip]
const HANDLE_BEFORE_TOKEN: &[&str] = &[
    // Optimistic-locking and change tokens, client request (idempotency)
    // tokens, .NET's CancellationToken, domain-verification records.
    "change", "lock", "request", "cancellation", "cancel", "resume", "marker", "verification",
    // Pagination and ordering tokens: where a listing resumes (`starting_token`,
    // `cursor_token`, `paging_token`) or the position in a stream of writes
    // (`nextSequenceToken`, `sequence_token`). Vault's `client_token` is a
    // credential and stays one: `client` is not listed.
    "sequence", "starting", "cursor", "paging",
];

/// Words right before `key` that make it the path of an object in a bucket
/// (`object_key`, `s3_key`). Only before a key: `S3_SECRET` is the bucket's
/// secret access key.
const PATH_BEFORE_KEY: &[&str] = &["object", "s3"];

/// Two words right before the secret word that make a token a handle where
/// either word alone would not (an `update_token` of a dynamic-DNS service
/// and an `ACTION_TOKEN` of a CI are credentials): optimistic-concurrency
/// tokens of a policy (`PolicyUpdateToken`), the handle of a paused
/// lifecycle step (`LifecycleActionToken`), of a unit of a query's work
/// (`WorkUnitToken`).
const NOT_THE_SECRET_BEFORE_PAIR: &[(&str, &str)] = &[
    ("policy", "update"),
    ("lifecycle", "action"),
    ("lifecycle", "hook"),
    ("work", "unit"),
];

/// What [`classify_name`] answers for a name.
type Class = Result<Option<Holds>, &'static str>;

/// Longest name whose class is remembered.
const REMEMBERED_NAME: usize = 32;

/// Slots of the per-thread memo of classes (direct-mapped by a hash).
const SLOTS: usize = 64;

/// A name (its bytes, inline) and its class.
type Slot = Option<([u8; REMEMBERED_NAME], u8, Class)>;

thread_local! {
    /// Classes of recent names: a minified bundle asks about `password`,
    /// `e.password` and `t.token` thousands of times.
    static CLASSES: std::cell::RefCell<[Slot; SLOTS]> =
        const { std::cell::RefCell::new([None; SLOTS]) };
}

/// Classifies a name by its last secret word; `Ok(None)` when it has none,
/// an error when the words around it say the value is not the secret itself.
/// A pure function of `name`: short names are answered from a small
/// per-thread memo after the first time.
pub(super) fn classify_name(name: &[u8]) -> Class {
    if name.len() > REMEMBERED_NAME {
        return classify(name);
    }
    // FNV-1a: the slot only needs spreading, a collision just evicts.
    let hash = name.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let slot = (hash % SLOTS as u64) as usize;
    CLASSES.with(|classes| {
        let mut classes = classes.borrow_mut();
        if let Some((bytes, len, class)) = &classes[slot] {
            if &bytes[..usize::from(*len)] == name {
                return *class;
            }
        }
        let class = classify(name);
        let mut bytes = [0; REMEMBERED_NAME];
        bytes[..name.len()].copy_from_slice(name);
        classes[slot] = Some((bytes, name.len() as u8, class));
        class
    })
}

/// [`classify_name`], worked out.
fn classify(name: &[u8]) -> Class {
    // Asked of every generic candidate: the words are slices of one
    // lower-cased copy (on the stack for names of ordinary length).
    let mut buf = [0u8; 128];
    let heap;
    let lower: &[u8] = if name.len() <= buf.len() {
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        lower
    } else {
        heap = name.to_ascii_lowercase();
        &heap
    };
    let words: Vec<&[u8]> = word_ranges(name).map(|r| &lower[r]).collect();
    let Some(at) = words.iter().rposition(|w| secret_word(w).is_some()) else {
        return Ok(None);
    };
    if words[at + 1..]
        .iter()
        .any(|w| NOT_THE_SECRET_AFTER.iter().any(|n| n.as_bytes() == *w))
    {
        return Err("the name says it is about the secret, not the secret");
    }
    if at > 0 {
        let before = |list: &[&str]| list.iter().any(|n| n.as_bytes() == words[at - 1]);
        let (word, token) = (words[at], shape::find(words[at], b"token").is_some());
        if before(NOT_THE_SECRET_BEFORE)
            || (token && before(HANDLE_BEFORE_TOKEN))
            || ((word.ends_with(b"key") || word.ends_with(b"keys")) && before(PATH_BEFORE_KEY))
        {
            return Err("the name says it is not a secret (public, hash, csrf...)");
        }
    }
    if glued_to_a_word_about_it(words[at]) {
        return Err("the name says it is about the secret (secretsmanager, passwordpolicy)");
    }
    if glued_after_a_word_that_says_not(words[at]) {
        return Err("the name says it is not a secret (sitekey, publickey, csrftoken)");
    }
    if words[..at].iter().skip(1).any(|w| *w == b"from") {
        // `SubjectFromWebIdentityToken`, `email_from_token`: what was read
        // from the secret, not the secret.
        return Err("the name says the value was taken from the secret");
    }
    if at > 1
        && NOT_THE_SECRET_BEFORE_PAIR
            .iter()
            .any(|(a, b)| a.as_bytes() == words[at - 2] && b.as_bytes() == words[at - 1])
    {
        return Err("the name says the token is a handle (an update, a step, a unit of work)");
    }
    if words[at] == b"pat" && words.len() == 1 {
        return Ok(None); // a bare `pat` is a pattern; `figma_pat` is a token
    }
    Ok(secret_word(words[at]))
}

/// Secret words that open a glued name word (`secretsmanager`).
const GLUED_STEMS: &[&str] = &[
    "secrets",
    "secret",
    "tokens",
    "token",
    "passwords",
    "password",
    "keys",
    "key",
];

/// `secretsmanager`, `tokenservice`, `passwordpolicy`: a secret
/// word glued to a word of [`NOT_THE_SECRET_AFTER`], one word written as two
/// are (`secrets_manager`), and about the secret as much.
fn glued_to_a_word_about_it(word: &[u8]) -> bool {
    GLUED_STEMS.iter().any(|stem| {
        word.strip_prefix(stem.as_bytes()).is_some_and(|rest| {
            !rest.is_empty() && NOT_THE_SECRET_AFTER.iter().any(|n| n.as_bytes() == rest)
        })
    })
}

/// `sitekey`, `publickey`, `csrftoken`, `nexttoken`: a word of
/// [`NOT_THE_SECRET_BEFORE`] glued to a secret word, one word written as two
/// are (`site_key`), and no more a secret for it (`data-sitekey` is reCAPTCHA's
/// public key).
fn glued_after_a_word_that_says_not(word: &[u8]) -> bool {
    GLUED_STEMS.iter().any(|stem| {
        word.strip_suffix(stem.as_bytes()).is_some_and(|lead| {
            !lead.is_empty() && NOT_THE_SECRET_BEFORE.iter().any(|n| n.as_bytes() == lead)
        })
    })
}

/// What a single lowercase name word says the value holds.
pub(super) fn secret_word(w: &[u8]) -> Option<Holds> {
    let has = |s: &str| shape::find(w, s.as_bytes()).is_some();
    if has("passw")
        || has("passphrase")
        || w.ends_with(b"pass")
        || w.ends_with(b"pwd")
        || w == b"pw"
    {
        Some(Holds::Password)
    } else if has("secret")
        || (has("token") && !has("tokeniz"))
        || has("credential")
        || w.ends_with(b"key")
        || w.ends_with(b"keys")
        || matches!(
            w,
            b"auth" | b"oauth" | b"authorization" | b"cred" | b"creds" | b"bearer" | b"basic"
        )
        || w.ends_with(b"otp")
        || w == b"access"
        || w == b"pat"
        || w == b"private"
    {
        Some(Holds::Key)
    } else {
        None
    }
}

/// Names that leave no doubt the value is a credential, so a UUID under them
/// is one: a secret, token, password or credential, or a qualified key
/// (`snyk_key`, `api_key`, `private_key`), not a bare `key` of a map.
pub(super) fn names_a_credential(name: &[u8]) -> bool {
    let words: Vec<Vec<u8>> = name_words(name).collect();
    if words.ends_with(&[b"client".to_vec(), b"token".to_vec()]) {
        // An API's `ClientToken` is the caller's idempotency token, by
        // convention a UUID. Vault's `client_token` holds a credential, but
        // of its own formats (`hvs.`, `s.`: provider rules), and a random
        // value that is no UUID still blocks under the name.
        return false;
    }
    let strong = |w: &[u8]| {
        ["secret", "token", "passw", "apikey", "credential"]
            .iter()
            .any(|s| shape::find(w, s.as_bytes()).is_some())
    };
    words.iter().any(|w| strong(w))
        || (words.len() >= 2 && secret_word(&words[words.len() - 1]).is_some())
}

/// Lowercase words of an identifier (`EnvAPIPassword` → env, api, password).
pub(super) fn name_words(name: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    word_ranges(name).map(|r| name[r].to_ascii_lowercase())
}

/// Where the words of an identifier are: runs of letters and digits, split
/// where a lower-case letter meets a capital (`envAPI`) and before the last
/// capital of an acronym that starts a word (`APIPassword`).
fn word_ranges(name: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let hump = |i: usize| {
        let (prev, b) = (name[i - 1], name[i]);
        let next_lower = name.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        (prev.is_ascii_lowercase() && b.is_ascii_uppercase())
            || (prev.is_ascii_uppercase() && b.is_ascii_uppercase() && next_lower)
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < name.len() && !name[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == name.len() {
            return None;
        }
        let start = i;
        i += 1;
        while i < name.len() && name[i].is_ascii_alphanumeric() && !hump(i) {
            i += 1;
        }
        Some(start..i)
    })
}

/// `user=gorm password=gorm`: the line gives the same value to a user field.
pub(super) fn names_user(line: &[u8], value: &[u8]) -> bool {
    // Each user field below holds `user`, `login` or `uid`: a line with none
    // cannot name a user. Checked first for long values, which a periodic
    // line holds at every period, each occurrence costing a search.
    if value.len() >= LONG_VALUE && !mentions_user(line) {
        return false;
    }
    // One finder for the whole loop: rebuilding it per occurrence made a
    // periodic line cost |value| per occurrence (issue 10 part 3).
    let finder = memchr::memmem::Finder::new(value);
    let mut from = 0;
    while let Some(p) = finder.find(&line[from..]) {
        let at = from + p;
        let raw = &line[at.saturating_sub(16)..at];
        // Lower-cased on the stack: a periodic line holds the value often.
        let mut buf = [0u8; 16];
        let lead = &mut buf[..raw.len()];
        lead.copy_from_slice(raw);
        lead.make_ascii_lowercase();
        let field = lead
            .iter()
            .rposition(|b| !matches!(b, b'=' | b':' | b'"' | b'\'' | b' '))
            .map_or(&lead[..0], |e| &lead[..=e]);
        if [&b"user"[..], b"username", b"login", b"uid", b"user id"]
            .iter()
            .any(|u| field.ends_with(u))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Values this long check the line for a user field before looking for
/// their occurrences.
const LONG_VALUE: usize = 64;

/// True when `line` holds `user`, `login` or `uid` in any case.
fn mentions_user(line: &[u8]) -> bool {
    ["user", "login", "uid"].iter().any(|word| {
        line.windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// `password: password`, `client_secret=client_secret`: the value names itself.
pub(super) fn same_identifier(value: &[u8], name: &[u8]) -> bool {
    let norm = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect()
    };
    let v = norm(value);
    !v.is_empty() && v == norm(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_into_their_words() {
        let words = |name: &str| -> Vec<String> {
            name_words(name.as_bytes())
                .map(|w| String::from_utf8(w).unwrap())
                .collect()
        };
        assert_eq!(words("EnvAPIPassword"), ["env", "api", "password"]);
        assert_eq!(words("client_secret"), ["client", "secret"]);
        assert_eq!(words("keyAuth"), ["key", "auth"]);
        assert_eq!(words("JSONOutput42x"), ["json", "output42x"]);
        assert_eq!(words("__a.B-cD__"), ["a", "b", "c", "d"]);
        assert_eq!(words("AB"), ["ab"]);
        assert_eq!(words("aB"), ["a", "b"]);
        assert_eq!(words("ABc"), ["a", "bc"]);
        assert!(words("").is_empty() && words("-._").is_empty());
    }

    #[test]
    fn a_value_given_to_a_user_field_is_the_user_name() {
        for value in ["gorm".to_string(), "Xk9".repeat(30)] {
            let v = value.as_bytes();
            let line = format!("host=db USERNAME='{value}' password={value}");
            assert!(names_user(line.as_bytes(), v), "{line}");
            let line = format!("Login: {value} password={value}");
            assert!(names_user(line.as_bytes(), v), "{line}");
            let line = format!("host={value} password={value}");
            assert!(!names_user(line.as_bytes(), v), "{line}");
        }
    }

    #[test]
    fn remembered_classes_are_the_classes() {
        // More names than slots, twice over: hits, misses and evictions.
        let names: Vec<String> = (0..300)
            .map(|i| match i % 4 {
                0 => format!("api_key_{i}"),
                1 => format!("public_token{i}"),
                2 => format!("x{i}.password"),
                _ => format!("name{i}"),
            })
            .collect();
        for _ in 0..2 {
            for name in &names {
                assert_eq!(
                    classify_name(name.as_bytes()),
                    classify(name.as_bytes()),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn names_classify_by_their_last_secret_word() {
        assert_eq!(classify_name(b"EnvAPIPassword"), Ok(Some(Holds::Password)));
        assert_eq!(classify_name(b"client_secret"), Ok(Some(Holds::Key)));
        assert_eq!(classify_name(b"figma_pat"), Ok(Some(Holds::Key)));
        assert_eq!(classify_name(b"pat"), Ok(None));
        assert_eq!(classify_name(b"username"), Ok(None));
        assert!(classify_name(b"token_url").is_err());
        assert!(classify_name(b"public_key").is_err());
        // Handles: pagination, ordering, concurrency and work-unit tokens.
        for handle in [
            "nextSequenceToken",
            "sequence_token",
            "--starting-token",
            "cursorToken",
            "PolicyUpdateToken",
            "LifecycleActionToken",
            "--lifecycle-action-token",
            "WorkUnitToken",
        ] {
            assert!(classify_name(handle.as_bytes()).is_err(), "{handle}");
        }
        for about in [
            "AuthorityInformationAccessOID",
            "AUTH_MECHANISM",
            "object_key",
            "S3_KEY",
            "SubjectFromWebIdentityToken",
            "email_from_token",
            "Win32_System_PasswordManagement",
            "secretsmanager",
            "passwordpolicy",
            "TOKENSERVICE",
            "data-sitekey",
            "publickey",
            "csrftoken",
            "nexttoken",
            "PASSWORD_HASHERS",
        ] {
            assert!(classify_name(about.as_bytes()).is_err(), "{about}");
        }
        // Credentials whose names share a word with a handle's.
        for credential in [
            "client_token",
            "ClientToken",
            "update_token",
            "ACTION_TOKEN",
            "unit_token",
            "access_token",
            "session_token",
            "auth_token",
            "client_secret",
            "from_token",
            "apikey",
            "secretkey",
            "accesskey",
            "privatekey",
        ] {
            assert_eq!(
                classify_name(credential.as_bytes()),
                Ok(Some(Holds::Key)),
                "{credential}"
            );
        }
        let long = format!("{}_api_key", "x".repeat(200));
        assert_eq!(classify_name(long.as_bytes()), Ok(Some(Holds::Key)));
    }
}
