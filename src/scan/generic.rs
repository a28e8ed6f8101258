//! Judgement for generic rules (`api_key = "..."`, `postgres://user:pw@host`,
//! `Authorization: Bearer ...`): the name says "secret", but only a literal
//! that reads as chosen or random, not as words, a reference to somewhere else,
//! an identifier or a placeholder, is worth blocking a commit for.
//!
//! A candidate is judged in three steps. The *name* in front of the value (its
//! last secret word and the words around it) says what the value holds: a
//! password, a key or token, a private key, or nothing secret at all
//! (`token_url`, `key_id`, `public_key`, `password_hash`). The *syntax* around
//! the value says whether it is a literal: quoted, or unquoted outside source
//! code and not followed by an operator. The *value* itself must not have the
//! shape of something else (UUID, URL, path, version, digest, constant name,
//! base64 of plain text) and must not be made of words or be a famous default
//! password; then it needs the length and entropy of its class.

mod docs_tests;
mod identifiers;
mod key_names;
mod name;
mod references;
mod stand_ins;
mod syntax;
mod versions;

use super::entropy;
use super::filekind::{FileKind, Place};
use super::{shape, words};
use name::{
    classify_name, name_words, names_a_credential, names_user, same_identifier, secret_word,
};
use std::ops::Range;
use syntax::{
    bare, credential_argument, embedded, identified_by, list_items, literal, password_flag,
    user_flag,
};

/// Thresholds for the generic rules, configurable in `.keyhook.toml`.
#[derive(Debug, Clone, Copy)]
pub struct GenericPolicy {
    /// Entropy (bits per byte) a long key or token must reach; shorter values
    /// need proportionally less (see [`needed_entropy`]).
    pub min_entropy: f64,
    /// Minimum length of a key or token (passwords may be shorter).
    pub min_len: usize,
    /// Where the file sits: in docs and tests, stand-ins (short or made of
    /// words) pass; see [`standin`].
    pub place: Place,
    /// The file is minified or bundled: short identifier-like values are
    /// mangled names, not secrets.
    pub minified: bool,
}

impl Default for GenericPolicy {
    fn default() -> Self {
        GenericPolicy {
            min_entropy: crate::config::DEFAULT_GENERIC_MIN_ENTROPY,
            min_len: 8,
            place: Place::Source,
            minified: false,
        }
    }
}

/// Shortest password reported: below this, values are flags and stand-ins.
const MIN_PASSWORD_LEN: usize = 4;

/// `Multilingual`, `manipulations`: letters only, with no capital past the
/// first, as words in prose are written.
fn prose_word(value: &[u8]) -> bool {
    value.iter().all(u8::is_ascii_alphabetic) && !value[1..].iter().any(u8::is_ascii_uppercase)
}

/// Shortest bearer token reported (Basic credentials may be shorter: a short
/// `user:password` encodes to a dozen characters).
const MIN_BEARER_LEN: usize = 16;

/// Shortest all-digit key or token reported (shorter ones are codes, ports, PINs).
const MIN_DIGITS_KEY_LEN: usize = 12;

/// What a secret-looking name says its value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// A password or passphrase: chosen by a person, may be short.
    Password,
    /// An API key, token, client secret: machine-generated, long and random.
    Key,
    /// The body of a PEM private key.
    PrivateKey,
}

/// One candidate found by a generic rule, with the line around it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The line holding the match (possibly clipped on very long lines).
    pub line: &'a [u8],
    /// Where the rule's whole match starts in `line`: the name, scheme or keyword.
    pub start: usize,
    /// The captured value in `line`.
    pub value: Range<usize>,
    /// The kind of file the line is in.
    pub file: FileKind,
}

/// How a generic match presents its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form<'a> {
    /// `name = value`, `name: value`, `"name" => value`: judged with the
    /// syntax around the value (quotes, source code, operators).
    Assignment(Holds),
    /// A keyword then the value (`Bearer x`, `--token x`, `password 'x'`).
    Keyword(Holds),
    /// The password of `scheme://user:password@host`.
    Url { user: &'a [u8] },
    /// The body of `-----BEGIN ... PRIVATE KEY-----`.
    Pem,
}

/// Why a candidate is not a secret; `Ok(end)` when it should be reported, with
/// the end of the secret in `line` (trailing punctuation trimmed). In docs and
/// tests ([`GenericPolicy::place`]) a value that reads as a stand-in passes.
pub fn judge(c: &Candidate<'_>, policy: &GenericPolicy) -> Result<usize, &'static str> {
    let end = judge_in_source(c, policy)?;
    if policy.minified && mangled(&c.line[c.value.start..end]) {
        return Err("a short mangled name in minified code");
    }
    if policy.place != Place::Source && docs_tests::is_stand_in(&c.line[c.value.start..end]) {
        return Err("a stand-in value in docs or tests");
    }
    Ok(end)
}

/// Shorter than a generated key and made of identifier characters only: what
/// a minifier makes of names (`xY3kQ`, `t$1`).
fn mangled(value: &[u8]) -> bool {
    value.len() < MANGLED_MAX_LEN
        && value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$'))
}

/// Values this long or longer are judged as keys even in minified code.
const MANGLED_MAX_LEN: usize = 16;

/// The judgement wherever the file sits.
fn judge_in_source(c: &Candidate<'_>, policy: &GenericPolicy) -> Result<usize, &'static str> {
    let head = &c.line[c.start..c.value.start];
    let name_len = head
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let (name, rest) = head.split_at(name_len);

    let value_text = &c.line[c.value.clone()];
    let form = if value_text.starts_with(b"-----BEGIN") {
        if shape::find(value_text, b"ENCRYPTED").is_some() {
            return Err("an encrypted private key (useless without its passphrase)");
        }
        Form::Pem
    } else if matches!(name, b"d" | b"k" | b"kty" | b"n" | b"crv" | b"x") {
        Form::Pem
    } else if let Some(p) = shape::find(rest, b"://").filter(|_| rest.ends_with(b":")) {
        Form::Url {
            user: &rest[p + 3..rest.len() - 1],
        }
    } else {
        if after_public(c.line, c.start) {
            return Err("a public key");
        }
        if list_items(c, rest) {
            return Err("items of a list of strings, not a name and its value");
        }
        if user_flag(head) {
            // `curl -u user:x`: judged like a URL's user-info.
            let (value, end) = bare(c)?;
            let user = head.trim_ascii_start();
            let user = &user[user
                .iter()
                .position(|&b| b == b' ' || b == b'=')
                .unwrap_or(0)..];
            let user = user
                .trim_ascii_start()
                .strip_prefix(b"=")
                .unwrap_or(user.trim_ascii_start());
            judge_url_password(value, user.strip_suffix(b":").unwrap_or(user))?;
            return Ok(end);
        }
        if credential_argument(rest) || password_flag(rest) || identified_by(name, rest) {
            // `NetworkCredential("user", "x")`, `psexec -u user -p x`,
            // `IDENTIFIED BY 'x'`: the rule names the call or the statement;
            // the value is in the password's place.
            return judge_password_argument(c, name, policy);
        }
        match classify_name(name)? {
            // `?token=x` in a URL, `'password=x'` inside a string: the
            // assignment is data in a larger literal, not code.
            Some(h) if embedded(c, rest) => Form::Keyword(h),
            Some(_) if colon_path(c.line, c.start, rest) => {
                return Err("part of a type path (AWS::ApiGateway::ApiKey)");
            }
            Some(h) if rest.contains(&b'=') || rest.contains(&b':') => Form::Assignment(h),
            Some(h) => Form::Keyword(h),
            // An assignment is judged by its name alone (`x = auth.get(...)`),
            // a keyword form by the words in front of the value.
            None if assignment_start(rest) => return Err("the name does not say secret"),
            None => Form::Keyword(classify_name(rest)?.ok_or("the name does not say secret")?),
        }
    };

    match form {
        Form::Assignment(holds) => {
            let (value, end) = literal(c, rest)?;
            judge_value(value, name, holds, c.line, policy)?;
            Ok(end)
        }
        Form::Keyword(holds) => {
            let (value, end) = bare(c)?;
            if labelled(name, rest) && !looks_generated(value) {
                return Err("a word after a label, not a token");
            }
            if name.eq_ignore_ascii_case(b"bearer") && value.len() < MIN_BEARER_LEN {
                return Err("too short for a bearer token");
            }
            if matches!(name.to_ascii_lowercase().as_slice(), b"bearer" | b"basic")
                && prose_word(value)
            {
                return Err("a word after `basic`/`bearer` in prose");
            }
            if name.eq_ignore_ascii_case(b"basic") {
                judge_basic(value, policy)?;
            } else {
                judge_value(value, name, holds, c.line, policy)?;
            }
            Ok(end)
        }
        Form::Url { user } => {
            let (value, end) = bare(c)?;
            judge_url_password(value, user)?;
            Ok(end)
        }
        Form::Pem => {
            judge_key_body(value_text, policy)?;
            Ok(c.value.end)
        }
    }
}

/// A password passed as an argument (`NetworkCredential("user", "x")`,
/// `-u user -p x`), judged as a chosen password.
fn judge_password_argument(
    c: &Candidate<'_>,
    name: &[u8],
    policy: &GenericPolicy,
) -> Result<usize, &'static str> {
    let (value, end) = bare(c)?;
    judge_value(value, name, Holds::Password, c.line, policy)?;
    Ok(end)
}

/// Value-only judgement, for callers that already know the name says "secret"
/// (an MCP server's `*_TOKEN` env entry, a public-prefixed variable): why
/// `value` is not a random key or token, or `None` when it is one.
pub fn reject_reason(value: &[u8], policy: &GenericPolicy) -> Option<&'static str> {
    judge_value(value, b"", Holds::Key, b"", policy).err()
}

/// `Basic <base64>`: when it decodes to `user:password`, the password is
/// judged as in a URL; otherwise the value is judged as a token.
fn judge_basic(value: &[u8], policy: &GenericPolicy) -> Result<(), &'static str> {
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
fn judge_url_password(value: &[u8], user: &[u8]) -> Result<(), &'static str> {
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
    if value.len() < MIN_PASSWORD_LEN || distinct(value) < 3 {
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
fn percent_decoded(value: &[u8]) -> Vec<u8> {
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

fn printable(text: &[u8]) -> bool {
    !text.is_empty() && text.iter().all(|&b| (0x20..0x7f).contains(&b))
}

/// The checks every password, key and token must pass.
fn judge_value(
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
    if let Some(why) = references::reference(value) {
        return Err(why);
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
        && !key_names::looks_like_credential(value)
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
        }
    }
    let h = entropy::shannon(value);
    if h < needed_entropy(value, holds, policy) {
        return Err("low entropy");
    }
    Ok(())
}

/// Words that make a run of words a stand-in whatever else it says
/// (`notused`, `nopassword`, `testsecret`, `changeit`).
#[rustfmt::skip]
const STAND_IN_WORDS: &[&str] = &[
    "not", "no", "none", "null", "nil", "empty", "unset", "unused", "any", "whatever", "ignore",
    "ignored", "default", "test", "testing", "demo", "sample", "example", "dummy", "fake", "mock",
    "placeholder", "foo", "bar", "baz", "your", "change", "required", "optional", "blank",
    "missing", "invalid", "wrong", "bad", "insert", "enter", "set", "here", "hello",
];

/// Words that, next to one other word, only name the field a value stands in
/// for (`topsecret`, `mypassword`, `adminpass`, `rootuser`).
const FIELD_WORDS: &[&str] = &["login", "admin", "user", "root", "word", "code"];

/// Words that only say "this is the secret" (`thisismypassword`,
/// `supersecretpassword`): with the field's own name, all they make is a
/// description of the slot.
#[rustfmt::skip]
const FILLER_WORDS: &[&str] = &[
    "my", "your", "our", "the", "this", "that", "is", "it", "its", "super", "top", "very", "so",
    "really", "strong", "secure", "new", "old", "some", "his", "her", "their",
];

/// `whiteduke`, `goodspec`: two or more lowercase words run together, the way
/// people choose passwords. A pair that names the field (`topsecret`,
/// `adminpass`), words that only describe the slot (`thisismypassword`,
/// `supersecretpassword`), a phrase with a stand-in word (`notused`,
/// `testpassword`) or a single word (`testing`, `ignored`) is not one.
fn passphrase(value: &[u8]) -> bool {
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
fn lowercase_words_joined(value: &[u8]) -> bool {
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
fn pronounceable(value: &[u8]) -> bool {
    if !(6..=14).contains(&value.len()) || !value.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let vowel = |b: &u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let vowels = value.iter().filter(|b| vowel(b)).count();
    let mut run = 0;
    let mut longest = 0;
    for b in value {
        run = if vowel(b) || *b == b'y' { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    vowels * 3 >= value.len() && longest <= 3
}

/// A PEM body: long, random, and not base64 of text.
fn judge_key_body(value: &[u8], policy: &GenericPolicy) -> Result<(), &'static str> {
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
fn ends_in_words(value: &[u8]) -> bool {
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
const OPENSSH_MIN_BODY: usize = 100;

/// `stripe KEY sk_...`, `clockify SECRET y7sb...`: a name, spaces, a value,
/// with no operator or quote between (which prose also looks like).
fn labelled(name: &[u8], rest: &[u8]) -> bool {
    let plain = |w: &[u8]| !w.starts_with(b"-") && !w.eq_ignore_ascii_case(b"bearer");
    plain(name)
        && !name.eq_ignore_ascii_case(b"basic")
        && rest.iter().all(|b| matches!(b, b' ' | b'\t'))
}

/// Long and mixing letters with digits: how generated tokens look, and what
/// prose after a label (`the token expires`) never does.
fn looks_generated(value: &[u8]) -> bool {
    value.len() >= LABELLED_MIN_LEN
        && value.iter().any(u8::is_ascii_digit)
        && value.iter().any(u8::is_ascii_alphabetic)
}

/// Shortest value taken after a bare label (`KEY value`).
const LABELLED_MIN_LEN: usize = 16;

/// `AWS::ApiGateway::ApiKey: ...`, `arn:aws:secretsmanager:...`: the name is
/// one segment of a colon-joined path, not the left side of an assignment.
/// (`:password => 'x'`, a Ruby symbol, is still an assignment.)
fn colon_path(line: &[u8], start: usize, rest: &[u8]) -> bool {
    let op = rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b'`' | b']' | b' ' | b'\t'))
        .map_or(&rest[..0], |p| &rest[p..]);
    line[..start].ends_with(b":") && op.starts_with(b":") && !op.starts_with(b"://")
}

/// `= ...`, `": ...`, `' => ...`: the text between a name and its value
/// opens with an assignment operator (not a URL's `://`).
fn assignment_start(rest: &[u8]) -> bool {
    let t = rest
        .iter()
        .position(|b| !matches!(b, b'"' | b'\'' | b'`' | b']' | b' ' | b'\t'))
        .map_or(&rest[..0], |p| &rest[p..]);
    (t.starts_with(b"=") || t.starts_with(b":")) && !t.starts_with(b"://")
}

/// `public key: ...`, `public_key = ...`: the word before the name says the
/// value is the public half.
fn after_public(line: &[u8], start: usize) -> bool {
    let lead = line[..start].trim_ascii_end().to_ascii_lowercase();
    lead.ends_with(b"public") || lead.ends_with(b"public_") || lead.ends_with(b"public-")
}

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

fn distinct(value: &[u8]) -> usize {
    let mut seen = [false; 256];
    value
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

#[cfg(test)]
mod tests;
