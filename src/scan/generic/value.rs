//! The value itself, once name and syntax say it is a literal secret: it must
//! not be a template, a default password, words or a stand-in, and it needs
//! the length and entropy of what it holds (a password, a key or token, a
//! private key body, a `Basic` credential, a URL's password).

use super::*;

/// `Basic <base64>`: when it decodes to `user:password`, the password is
/// judged as in a URL; otherwise the value is judged as a token.
pub(super) fn judge_basic(value: &[u8], policy: &GenericPolicy) -> Result<(), &'static str> {
    if let Some(text) = shape::base64_decode(value).filter(|t| printable(t)) {
        if let Some(colon) = text.iter().position(|&b| b == b':') {
            return judge_url_password(&text[colon + 1..], &text[..colon]);
        }
    }
    judge_value(value, b"basic", Holds::Key, b"", policy)
}

/// A password in a URL or a Basic header is reported unless it is a stand-in:
/// a template, the user repeated, a default password, too short, or a name
/// for the field (`password`, `mypassword`, `secret`).
pub(super) fn judge_url_password(value: &[u8], user: &[u8]) -> Result<(), &'static str> {
    if value.is_empty() || matches!(value[0], b'$' | b'%' | b'{' | b'[') {
        return Err("a template");
    }
    if value[0] == b':' {
        return Err("a malformed user-info (`user:::password`)");
    }
    // User-info is percent-encoded: `password%20123` is `password 123`.
    let decoded = percent_decoded(value);
    let value = decoded.as_slice();
    if value == user {
        return Err("the user repeated");
    }
    // Counted in characters: `http://foo:💩@host`, a URL parser's test of
    // non-ASCII user-info, is one character in four bytes.
    let chars = value.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    if chars < MIN_PASSWORD_LEN || distinct(value) < 3 {
        return Err("too short");
    }
    if words::is_weak_password(value) {
        return Err("a well-known default password");
    }
    if stand_ins::leet_stand_in(value) {
        return Err("a word with digits and symbols for letters (p@ssw0rd)");
    }
    // `user:pass`, `admin:secret`: a pair of words is a template.
    let letters_only = value.iter().all(u8::is_ascii_alphabetic);
    if letters_only && words::is_wordy(value) && (user.is_empty() || words::is_wordy(user)) {
        return Err("a user and password made of words");
    }
    let names_field = name_words(value).any(|w| {
        matches!(
            w.as_slice(),
            b"password" | b"passwd" | b"passphrase" | b"pwd" | b"secret" | b"credential"
        )
    });
    if names_field && !value.iter().any(u8::is_ascii_digit) && words::is_wordy(value) {
        return Err("names the field it stands in for");
    }
    Ok(())
}

/// `value` with `%XX` escapes decoded and blanks dropped (`password%20123` →
/// `password123`); other bytes as they are.
pub(super) fn percent_decoded(value: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let escaped = (value[i] == b'%')
            .then(|| Some(hex(*value.get(i + 1)?)? * 16 + hex(*value.get(i + 2)?)?))
            .flatten();
        match escaped {
            Some(b) => {
                if !b.is_ascii_whitespace() {
                    out.push(b);
                }
                i += 3;
            }
            None => {
                out.push(value[i]);
                i += 1;
            }
        }
    }
    out
}

pub(super) fn printable(text: &[u8]) -> bool {
    !text.is_empty() && text.iter().all(|&b| (0x20..0x7f).contains(&b))
}

/// The checks every password, key and token must pass.
pub(super) fn judge_value(
    value: &[u8],
    name: &[u8],
    holds: Holds,
    line: &[u8],
    policy: &GenericPolicy,
) -> Result<(), &'static str> {
    if value.is_empty() {
        return Err("empty");
    }
    if !value.is_ascii() {
        return Err("not ASCII (prose in another language, not a token)");
    }
    let identifier = value
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || b == b'_' || b == b'-');
    // `smtp_password`, `myToken`: an identifier; a longer run of words that
    // happens to hold the field's name (`bluepasswordcat`) is a passphrase.
    let phrase = holds == Holds::Password && passphrase(value);
    if identifier && !phrase && name_words(value).any(|w| secret_word(&w).is_some()) {
        return Err("an identifier naming a secret, not one");
    }
    if matches!(value[0], b'$' | b'%') || value.starts_with(b"#{") {
        return Err("a variable reference");
    }
    if shape::find(&value.to_ascii_lowercase(), b"fake").is_some() {
        return Err("says it is fake");
    }
    if matches!(value[0], b':' | b'(') {
        return Err("a symbol, selector or expression");
    }
    if value.starts_with(b"-")
        && value
            .get(1)
            .is_some_and(|b| *b == b'-' || b.is_ascii_alphabetic())
    {
        return Err("a command-line flag");
    }
    if value.starts_with(b"{") && value.ends_with(b"}") {
        return Err("a template");
    }
    if called(value) {
        return Err("a call written as a string (run_tests())");
    }
    if names_itself(value, name) {
        return Err("a handle whose value opens with its own name (export-token-...)");
    }
    if let Some(why) = references::reference(value) {
        return Err(why);
    }
    if shape::is_public_key_der(value) {
        return Err("a public key (base64 of a SubjectPublicKeyInfo)");
    }
    if shape::is_certificate_der(value) {
        return Err("certificate material (DER naming a subject or issuer)");
    }
    if same_identifier(value, name) {
        return Err("repeats the name");
    }
    if holds == Holds::Password && names_user(line, value) {
        return Err("the user name repeated");
    }
    if shape::is_url(value) || shape::is_email(value) || shape::is_hostname(value) {
        return Err("an address");
    }
    if shape::is_file_reference(value) || shape::is_lowercase_path(value) {
        return Err("a file name or path");
    }
    if shape::is_version(value)
        || versions::is_version_range(value)
        || shape::is_date(value)
        || shape::is_versioned_name(value)
        || shape::is_digest(value)
        || shape::is_constant_name(value.strip_suffix(b"=").unwrap_or(value))
    {
        return Err("a version, digest or constant name");
    }
    if let Some(text) = shape::base64_text(value) {
        if shape::find(&text, b"PRIVATE KEY-----").is_some() {
            return Ok(()); // a PEM private key, base64-encoded once more
        }
        if text.contains(&b' ') || text.starts_with(b"{") || words::is_wordy(&text) {
            return Err("base64 of plain text");
        }
    }
    if words::is_weak_password(value) {
        return Err("a well-known default password");
    }
    if stand_ins::leet_stand_in(value) {
        return Err("a word or two with digits and symbols for letters (s3cr3t, p@ssw0rd)");
    }
    if let Some(why) = identifiers::convention(value) {
        return Err(why);
    }
    if holds == Holds::Key
        && key_names::weak_key_name(name)
        && (!key_names::looks_like_credential(value) || key_names::labels_itself(value))
    {
        return Err("a bare `key` name with a value that does not look like a credential");
    }
    if shape::is_snake_identifier(value, words::is_word) {
        return Err("an identifier of words");
    }
    // People build passwords from words and digits (`sunny2019`) or run words
    // together (`whiteduke`); keys and tokens are generated, so words and short
    // numbers there make an identifier.
    let chosen = holds == Holds::Password && (value.iter().any(u8::is_ascii_digit) || phrase);
    // Hex of a digest or a random key: its letters are a-f, and runs such as
    // `ebf` or `fed` are not words.
    let hex_blob = value.len() >= 10
        && entropy::is_hex(value)
        && value.iter().any(u8::is_ascii_digit)
        && value.iter().any(u8::is_ascii_alphabetic);
    if !chosen && !hex_blob && (words::is_wordy(value) || words::is_mostly_words(value)) {
        return Err("made of words (an identifier or a phrase)");
    }
    let all_digits = value.iter().all(u8::is_ascii_digit);
    match holds {
        Holds::Password => {
            if value.len() < MIN_PASSWORD_LEN {
                return Err("too short");
            }
            if distinct(value) < 3 {
                return Err("too few distinct characters");
            }
            if all_digits && value.len() < 6 {
                return Err("a short number");
            }
        }
        Holds::Key | Holds::PrivateKey => {
            if value.len() < policy.min_len {
                return Err("too short");
            }
            if all_digits && value.len() < MIN_DIGITS_KEY_LEN {
                return Err("a number");
            }
            if ends_in_words(value) {
                return Err("a prefix and words (a stand-in such as dckr_pat_tooshort)");
            }
            if name.eq_ignore_ascii_case(b"key") && lowercase_words_joined(value) {
                return Err("a lookup key naming a map or table entry, not a credential");
            }
            if pronounceable(value) {
                return Err("a short pronounceable name (mailchimp, gitnavi), not a key");
            }
            if shape::is_uuid(value) && !names_a_credential(name) {
                return Err("a UUID under a name that does not say secret");
            }
            if value.starts_with(b"0x") && value.len() <= 18 {
                return Err("a numeric constant");
            }
            if mechanisms::auth_setting(name) && mechanisms::mechanism_name(value) {
                return Err("an authentication mechanism's name (CRAM-MD5), not a credential");
            }
        }
    }
    let h = entropy::shannon(value);
    if h < needed_entropy(value, holds, policy) {
        return Err("low entropy");
    }
    Ok(())
}

/// `runf()`, `mod.setup()`: a name and empty parentheses, a call written
/// as a string (for `eval`, a test table, a template).
fn called(value: &[u8]) -> bool {
    value.strip_suffix(b"()").is_some_and(|name| {
        name.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
    })
}

/// Fewest name words a value must open with to name itself.
const SELF_NAMED_WORDS: usize = 2;

/// `"ExportToken": "export-token-cu4lg26o"`, `import_token_5ott6ho5`: the
/// value opens with every word of its name (two or more), then more: a
/// handle or identifier a service issues, labelled with its kind. Vendors
/// label secrets with short codes (`ghp_`, `xoxb-`), not with the field's
/// whole name; a random value spells two name words only by chance.
fn names_itself(value: &[u8], name: &[u8]) -> bool {
    let words: Vec<Vec<u8>> = name_words(name).collect();
    if words.len() < SELF_NAMED_WORDS {
        return false;
    }
    let mut parts = value.split(|&b| b == b'-' || b == b'_');
    words
        .iter()
        .all(|w| parts.next().is_some_and(|p| p.eq_ignore_ascii_case(w)))
        && parts.next().is_some_and(|p| !p.is_empty())
}

/// Words that make a run of words a stand-in whatever else it says
/// (`notused`, `nopassword`, `testsecret`, `changeit`).
#[rustfmt::skip]
pub(super) const STAND_IN_WORDS: &[&str] = &[
    "not", "no", "none", "null", "nil", "empty", "unset", "unused", "any", "whatever", "ignore",
    "ignored", "default", "test", "testing", "demo", "sample", "example", "dummy", "fake", "mock",
    "placeholder", "foo", "bar", "baz", "your", "change", "required", "optional", "blank",
    "missing", "invalid", "wrong", "bad", "insert", "enter", "set", "here", "hello",
];

/// Words that, next to one other word, only name the field a value stands in
/// for (`topsecret`, `mypassword`, `adminpass`, `rootuser`).
pub(super) const FIELD_WORDS: &[&str] = &["login", "admin", "user", "root", "word", "code"];

/// Words that only say "this is the secret" (`thisismypassword`,
/// `supersecretpassword`): with the field's own name, all they make is a
/// description of the slot.
#[rustfmt::skip]
pub(super) const FILLER_WORDS: &[&str] = &[
    "my", "your", "our", "the", "this", "that", "is", "it", "its", "super", "top", "very", "so",
    "really", "strong", "secure", "new", "old", "some", "his", "her", "their",
];

/// `whiteduke`, `goodspec`: two or more lowercase words run together, the way
/// people choose passwords. A pair that names the field (`topsecret`,
/// `adminpass`), words that only describe the slot (`thisismypassword`,
/// `supersecretpassword`), a phrase with a stand-in word (`notused`,
/// `testpassword`) or a single word (`testing`, `ignored`) is not one.
pub(super) fn passphrase(value: &[u8]) -> bool {
    if value.len() < 8 || !value.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let Some(parts) = words::fewest_words(value) else {
        return false;
    };
    let listed = |list: &[&str], w: &[u8]| list.iter().any(|s| s.as_bytes() == w);
    if parts.len() < 2 || parts.iter().any(|w| listed(STAND_IN_WORDS, w)) {
        return false;
    }
    let names_field = |w: &[u8]| secret_word(w).is_some() || listed(FIELD_WORDS, w);
    let pair_naming_field = parts.len() == 2 && parts.iter().any(|w| names_field(w));
    let describes_slot = parts
        .iter()
        .all(|w| names_field(w) || listed(FILLER_WORDS, w));
    !pair_naming_field && !describes_slot
}

/// `mutil_lang`, `user-settings`: lowercase letters in parts joined by `_`
/// or `-`, as a bare `key` of a map or a table names its entry.
pub(super) fn lowercase_words_joined(value: &[u8]) -> bool {
    let parts: Vec<&[u8]> = value.split(|&b| b == b'_' || b == b'-').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_lowercase))
}

/// `mailchimp`, `gitnavi`, `iamnotacroken`: a short run of lowercase letters
/// that reads like a word or a name: vowels make up a third of it or more
/// and no more than three consonants stand together. Random lowercase letters
/// (`kvfsxyqjg`, `ydrgcfajewbi`) rarely do, and generated keys are longer or
/// mix in digits and capitals.
pub(super) fn pronounceable(value: &[u8]) -> bool {
    (6..=14).contains(&value.len())
        && value.iter().all(u8::is_ascii_lowercase)
        && value
            .iter()
            .filter(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
            .count()
            * 3
            >= value.len()
        && words::reads(value)
}

/// A PEM body: long, random, and not base64 of text.
pub(super) fn judge_key_body(value: &[u8], policy: &GenericPolicy) -> Result<(), &'static str> {
    // The captured text runs from `-----BEGIN` over the first lines of the
    // body; only the base64 after the header line counts.
    let header_end = shape::find(&value[1..], b"-----").map_or(0, |p| p + 6);
    let body: Vec<u8> = value[header_end..]
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .collect();
    // An OpenSSH container opens with a header that is the same for every key
    // of a type, then names its cipher: `none` is a bare key, anything else
    // needs the passphrase.
    let whole = &body[..body.len() / 4 * 4];
    if let Some(rest) = shape::base64_decode(whole)
        .as_deref()
        .and_then(|b| b.strip_prefix(b"openssh-key-v1\0"))
    {
        return match rest.get(4..8) {
            Some(b"none") if rest.len() >= OPENSSH_MIN_BODY => Ok(()),
            Some(b"none") => Err("only the public header of an OpenSSH key"),
            _ => Err("an encrypted private key (useless without its passphrase)"),
        };
    }
    if shape::base64_text(&body).is_some() {
        return Err("base64 of plain text");
    }
    if entropy::shannon(&body) < needed_entropy(&body, Holds::PrivateKey, policy).max(4.0) {
        return Err("low entropy");
    }
    Ok(())
}

/// `dckr_pat_tooshort`, `sk-ant-notarealkey`: a vendor prefix whose token part
/// is words. Generated tokens end in their random part.
pub(super) fn ends_in_words(value: &[u8]) -> bool {
    let mut parts = value.rsplit(|&b| matches!(b, b'_' | b'-' | b'.'));
    if let (Some(last), Some(_)) = (parts.next(), parts.next()) {
        return last.len() >= 5 && words::is_wordy(last);
    }
    // `eyJaccess`: a few characters of a format, then a word.
    (1..=4).any(|p| {
        let tail = &value[p.min(value.len())..];
        tail.len() >= 5 && tail.iter().all(u8::is_ascii_lowercase) && words::splits_into_words(tail)
    })
}

/// Bytes an OpenSSH container holds past its fixed header before any key
/// material appears (cipher, KDF, key count, public key).
pub(super) const OPENSSH_MIN_BODY: usize = 100;

/// Entropy a value must reach. A random string of `n` characters from an
/// alphabet of `k` symbols has at most log2(min(n, k)) bits per character;
/// short values are held to a share of that (70% for keys, 60% for passwords,
/// whose few letters repeat more often by chance), long ones to the policy's
/// minimum (hex, with its 16 symbols, a little less). Raising or lowering
/// `generic_min_entropy` scales the short-value shares in proportion.
pub fn needed_entropy(value: &[u8], holds: Holds, policy: &GenericPolicy) -> f64 {
    let share = if holds == Holds::Password { 0.6 } else { 0.7 };
    let alphabet = if value.iter().all(u8::is_ascii_digit) {
        10
    } else if entropy::is_hex(value) {
        16
    } else {
        usize::MAX
    };
    let by_length = share * (value.len().min(alphabet).max(2) as f64).log2();
    let base = if entropy::is_hex(value) {
        policy.min_entropy - 0.3
    } else {
        policy.min_entropy
    };
    // A configured threshold moves the whole curve, short values included.
    let scale = policy.min_entropy / GenericPolicy::default().min_entropy;
    base.min(by_length * scale)
}

pub(super) fn distinct(value: &[u8]) -> usize {
    let mut seen = [false; 256];
    value
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}
