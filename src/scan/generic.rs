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
mod mechanisms;
mod name;
mod references;
mod stand_ins;
mod syntax;
mod tuples;
mod value;
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
    user_flag, userpwd_argument,
};
pub use tuples::paired_value;
pub use value::needed_entropy;
use value::*;

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
    if c.value.start > 0 && c.line[c.value.start - 1] == b'\\' {
        // `"key=\u0141%E9"`: the match began inside an escape sequence.
        return Err("an escape sequence, not a value");
    }
    let end = judge_in_source(c, policy)?;
    if policy.minified && mangled(&c.line[c.value.start..end]) {
        return Err("a short mangled name in minified code");
    }
    if policy.place != Place::Source && docs_tests::is_stand_in(&c.line[c.value.start..end]) {
        return Err("a stand-in value in docs or tests");
    }
    if policy.place == Place::Docs && docs_tests::example_marked_line(c.line, c.value.start..end) {
        return Err("example data: the line marks a value beside it as an example");
    }
    Ok(end)
}

/// `token:t.token`, `password:e.password||""`: in source code, a name, a
/// colon and an unquoted value, which [`judge`] rejects as an expression
/// whatever the policy, on whichever line it is read. Answered from the bytes
/// of the match and the two around it, before the line is looked for: a
/// minified bundle's object literals make such a candidate every few dozen
/// bytes of a line a megabyte long (issue 10 part 3).
///
/// It is that rejection only where no earlier step of the judgement can keep
/// the candidate, so each of these is left to the full judgement: a value
/// opening with `=` (the operator is `:=`, which a tuple assignment takes), a
/// template slot's default (`${token:-x}`), a name that is a flag (`-u
/// user:x`), a URL's user-info without a scheme (`user:x@tcp(host)`), a
/// private key's body (`-----BEGIN`, or a JWK member named `d`, `k`, `n`...).
/// Every other form needs more than a bare colon between name and value
/// (quotes, blanks, `=`, `(`, `://`).
pub fn colon_expression(text: &[u8], start: usize, value: Range<usize>) -> bool {
    let Some(colon) = value.start.checked_sub(1).filter(|&colon| colon >= start) else {
        return false;
    };
    let name = &text[start..colon];
    let value_text = &text[value.clone()];
    text[colon] == b':'
        && name.iter().all(|&b| name_byte(b))
        && !name.starts_with(b"-")
        && value_text.first().is_some_and(|&b| b != b'=')
        && !key_body(name, value_text)
        && !opens_slot(&text[..start])
        && !data_source_host(&text[value.end..])
}

/// A byte of the name in front of a value (`db_password`, `t.token`,
/// `api-key`): what the judgement reads as the name.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// How a PEM block opens.
pub(super) const PEM_BEGIN: &[u8] = b"-----BEGIN";

/// The value is a private key's body: a PEM block, or a member of a JSON Web
/// Key that holds key material (`d`, `k`, `n`...).
fn key_body(name: &[u8], value: &[u8]) -> bool {
    value.starts_with(PEM_BEGIN) || matches!(name, b"d" | b"k" | b"kty" | b"n" | b"crv" | b"x")
}

/// `${`: what is in front of a name that opens a template slot.
fn opens_slot(before: &[u8]) -> bool {
    before.ends_with(b"${")
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
    if let Some(tag) = xml_element(head) {
        // `<password>x</password>`: the element's name is the value's.
        // The text runs to the closing tag, so the whole of it is the value.
        let holds = classify_name(tag)?.ok_or("the name does not say secret")?;
        judge_value(&c.line[c.value.clone()], tag, holds, c.line, policy)?;
        return Ok(c.value.end);
    }
    let name_len = head.iter().take_while(|&&b| name_byte(b)).count();
    let (name, rest) = head.split_at(name_len);

    let value_text = &c.line[c.value.clone()];
    let form = if key_body(name, value_text) {
        if value_text.starts_with(PEM_BEGIN) && shape::find(value_text, b"ENCRYPTED").is_some() {
            return Err("an encrypted private key (useless without its passphrase)");
        }
        Form::Pem
    } else if let Some(p) = shape::find(rest, b"://").filter(|_| rest.ends_with(b":")) {
        Form::Url {
            user: &rest[p + 3..rest.len() - 1],
        }
    } else if rest == b":" && data_source_host(&c.line[c.value.end..]) {
        // `user:x@tcp(host)/db`: a URL's user-info without the scheme.
        Form::Url { user: name }
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
        if let Some(user) = userpwd_argument(name, rest) {
            // `curl_setopt($ch, CURLOPT_USERPWD, "api:x")`: judged like a
            // URL's user-info.
            let (value, end) = bare(c)?;
            judge_url_password(value, user)?;
            return Ok(end);
        }
        if credential_argument(rest)
            || password_flag(head)
            || identified_by(name, rest)
            || connection_call(name, rest)
        {
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
            if let Some(value) = slot_default(c, rest) {
                // `${DB_PASSWORD:-x}`: the default is written out, in code too.
                judge_value(value, name, holds, c.line, policy)?;
                return Ok(c.value.end);
            }
            let (value, end) = literal(c, rest)?;
            judge_value(value, name, holds, c.line, policy)?;
            Ok(end)
        }
        Form::Keyword(holds) => {
            let (value, end) = bare(c)?;
            if labelled(name, rest) && !looks_generated(value) && !directive(c) {
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
            if elided_body(c) {
                return Err("a truncated example (the key body is elided with ...)");
            }
            judge_key_body(value_text, policy)?;
            Ok(c.value.end)
        }
    }
}

/// `${DB_PASSWORD:-x}` (shell, Compose), `${acme.api-key:x}` (Spring),
/// `${TOKEN:=x}`: the default of a template slot named for a secret, a literal
/// used whenever the variable is unset. The value the slot's braces close.
fn slot_default<'a>(c: &Candidate<'a>, rest: &[u8]) -> Option<&'a [u8]> {
    (opens_slot(&c.line[..c.start])
        && matches!(rest, b":" | b":=" | b":-")
        && c.line.get(c.value.end) == Some(&b'}'))
    .then(|| &c.line[c.value.clone()])
}

/// `${DB_PASSWORD:-x}`: the rule's match takes the `-` of `:-` into the
/// value; the value is what follows it.
pub fn slot_default_value(c: &Candidate<'_>) -> Option<Range<usize>> {
    let value = c.value.clone();
    (opens_slot(&c.line[..c.start])
        && c.line[value.start..].starts_with(b"-")
        && c.line[..value.start].ends_with(b":")
        && value.len() > 1)
        .then(|| value.start + 1..value.end)
}

/// `<password>`, `<ns1:AuthToken>`, `<string name="api_key">`,
/// `<key>APIKey</key><string>`: the name of the XML element whose text the
/// value is (the head of a generic.xml-element match), namespace dropped.
fn xml_element(head: &[u8]) -> Option<&[u8]> {
    let tag = head.strip_prefix(b"<")?.strip_suffix(b">")?;
    if let Some(key) = tag.strip_prefix(b"key>") {
        // A property list's `<key>APIKey</key> <string>`: the key names the
        // element after it.
        return key.split(|&b| b == b'<').next();
    }
    if let Some(at) = shape::find(tag, b" name=\"") {
        // Android's `<string name="api_key">`: the attribute names the text.
        let named = &tag[at + 7..];
        return named.split(|&b| b == b'"').next();
    }
    Some(tag.rsplit(|&b| b == b':').next().unwrap_or(tag))
}

/// `@tcp(host:3306)/db`, `@unix(/run/mysqld.sock)/db`: what follows the
/// password of a Go MySQL data source name.
fn data_source_host(after: &[u8]) -> bool {
    after.starts_with(b"@tcp(") || after.starts_with(b"@unix(")
}

/// `DriverManager.getConnection(url, "user", "`, `new PDO($dsn, 'user', '`:
/// a database connection call, whose argument after the user is the password.
fn connection_call(name: &[u8], rest: &[u8]) -> bool {
    let callee = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
    rest.trim_ascii_start().starts_with(b"(")
        && [&b"getConnection"[..], b"PDO", b"mysqli_connect", b"mysqli"]
            .iter()
            .any(|c| callee.eq_ignore_ascii_case(c))
}

/// A password passed as an argument (`NetworkCredential("user", "x")`,
/// `-u user -p x`, `getConnection(url, "user", "x")`), judged as a chosen
/// password.
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

/// `stripe KEY sk_...`, `clockify SECRET y7sb...`: a name, spaces, a value,
/// with no operator or quote between (which prose also looks like).
fn labelled(name: &[u8], rest: &[u8]) -> bool {
    let plain = |w: &[u8]| !w.starts_with(b"-") && !w.eq_ignore_ascii_case(b"bearer");
    plain(name)
        && !name.eq_ignore_ascii_case(b"basic")
        && rest.iter().all(|b| matches!(b, b' ' | b'\t'))
}

/// `requirepass x`: outside source code, a line that is only a name and its
/// value is a directive (redis.conf, many daemons' .conf), an assignment
/// without an operator. (The value is still judged: prose of two words,
/// `Password required`, is words.)
fn directive(c: &Candidate<'_>) -> bool {
    c.file != FileKind::Code
        && c.line[..c.start].iter().all(|b| matches!(b, b' ' | b'\t'))
        && c.line[c.value.end..].trim_ascii().is_empty()
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

/// `-----BEGIN RSA PRIVATE KEY-----\nMIIEow...fvY4\n-----END ...`: the
/// body, up to its END line (or the end of the line read), holds an ellipsis.
/// A key is base64 throughout; dots in it are an author shortening an example.
fn elided_body(c: &Candidate<'_>) -> bool {
    let body = &c.line[c.value.start..];
    let body = shape::find(&body[1..], b"-----END").map_or(body, |p| &body[..p + 1]);
    shape::find(body, b"...").is_some() || shape::find(body, "\u{2026}".as_bytes()).is_some()
}

/// `public key: ...`, `public_key = ...`: the word before the name says the
/// value is the public half.
fn after_public(line: &[u8], start: usize) -> bool {
    // Only the last few bytes can match: no lower-cased copy of the line.
    let lead = line[..start].trim_ascii_end();
    let ends = |word: &[u8]| {
        lead.len() >= word.len() && lead[lead.len() - word.len()..].eq_ignore_ascii_case(word)
    };
    ends(b"public") || ends(b"public_") || ends(b"public-")
}

#[cfg(test)]
mod tests;
