//! Whether a value is a literal: quoted, or unquoted outside source code and
//! not followed by an operator; a `name=value` inside a URL or a string is data,
//! and a commented-out assignment in code is configuration.

use super::{shape, words, Candidate, FileKind};
use std::ops::Range;

/// True when `name=value` sits inside a larger literal: a URL query
/// (`?token=`, `&pwd=`) or a quoted `key=value` string.
pub(super) fn embedded(c: &Candidate<'_>, rest: &[u8]) -> bool {
    let before = c.start.checked_sub(1).map(|i| c.line[i]);
    rest.first() == Some(&b'=') && matches!(before, Some(b'?' | b'&' | b'"' | b'\'' | b'`'))
}

/// True when the line is a comment in source code (`// export TOKEN=...`,
/// `# password = ...`), where a commented-out assignment is configuration.
fn in_comment(line: &[u8], start: usize) -> bool {
    let lead = &line[..start];
    let text = lead.trim_ascii_start();
    [&b"//"[..], b"#", b"*", b"/*", b"--", b";", b"<!--"]
        .iter()
        .any(|m| text.starts_with(m))
}

/// `GITHUB_TOKEN=...`: an environment-style assignment (capitals, `=` with no
/// blanks), which a comment in code holds as configuration rather than code.
fn env_style(c: &Candidate<'_>, rest: &[u8]) -> bool {
    let name = &c.line[c.start..c.value.start - rest.len()];
    rest == b"="
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// The value as written after a keyword or in a URL: trailing sentence
/// punctuation trimmed; a quoted phrase (a space before the closing quote) is
/// prose.
pub(super) fn bare<'a>(c: &Candidate<'a>) -> Result<(&'a [u8], usize), &'static str> {
    continues_into_template(c)?;
    let quoted = c
        .value
        .start
        .checked_sub(1)
        .is_some_and(|i| matches!(c.line[i], b'"' | b'\'' | b'`'));
    if quoted && matches!(c.line.get(c.value.end), Some(b' ' | b'\t')) {
        return Err("a quoted phrase, not a token");
    }
    let end = trim_punctuation(c.line, c.value.start..query_end(c));
    Ok((&c.line[c.value.start..end], end))
}

/// `lsv2_sk_<service-key>`, `sk-${SUFFIX}`: a literal prefix followed by a
/// template slot is a template.
fn continues_into_template(c: &Candidate<'_>) -> Result<(), &'static str> {
    if query_end(c) < c.value.end {
        return Ok(()); // `&next=...` ends it first
    }
    match c.line.get(c.value.end) {
        Some(b'<' | b'{' | b'$' | b'*' | b'[' | b'%') => Err("continues into a template"),
        _ => Ok(()),
    }
}

/// Where an unquoted value ends when a query string goes on after it
/// (`token=abc&state=xyz`): at an `&` that opens the next parameter, a name
/// and `=`. Any other `&` is part of the value (of `password = a&b`, of a
/// URL's user-info): generated passwords hold them.
fn query_end(c: &Candidate<'_>) -> usize {
    let value = &c.line[c.value.clone()];
    memchr::memchr_iter(b'&', value)
        .find(|&i| opens_parameter(&value[i + 1..]))
        .map_or(c.value.end, |p| c.value.start + p)
}

/// Longest parameter name read after an `&` (a bounded look-ahead).
const MAX_PARAMETER_NAME: usize = 32;

/// `state=xyz`, `amp;next=`: a parameter name (letters, digits, `_.-[]`, or
/// the `amp;` of an HTML-escaped `&amp;`) then `=`.
fn opens_parameter(after: &[u8]) -> bool {
    let after = after.strip_prefix(b"amp;").unwrap_or(after);
    let name = after
        .iter()
        .take(MAX_PARAMETER_NAME + 1)
        .take_while(|&&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']')
        })
        .count();
    (1..=MAX_PARAMETER_NAME).contains(&name) && after.get(name) == Some(&b'=')
}

/// End of `range` in `line` without trailing `.,:)!?`.
fn trim_punctuation(line: &[u8], range: Range<usize>) -> usize {
    let mut end = range.end;
    while end > range.start && matches!(line[end - 1], b'.' | b',' | b':' | b')' | b'!' | b'?') {
        end -= 1;
    }
    end
}

/// The value as a literal, with its end in the line; an error when the syntax
/// around it makes it an expression, a call or a phrase.
pub(super) fn literal<'a>(
    c: &Candidate<'a>,
    rest: &[u8],
) -> Result<(&'a [u8], usize), &'static str> {
    continues_into_template(c)?;
    let line = c.line;
    // `"secretsmanager:resource/Arn": {`: the "value" is itself a key.
    let mut tail = line.get(c.value.end..).unwrap_or_default();
    if let Some((q, t)) = tail.split_first() {
        if matches!(q, b'"' | b'\'' | b'`') {
            tail = t;
        }
    }
    let tail = tail.trim_ascii_start();
    if tail.starts_with(b":") && !tail.starts_with(b"::") && !tail[1..].trim_ascii().is_empty() {
        return Err("a key of a mapping, not a value");
    }
    let quote = c
        .value
        .start
        .checked_sub(1)
        .map(|i| line[i])
        .filter(|q| matches!(q, b'"' | b'\'' | b'`'));
    let after = line.get(c.value.end).copied();
    let wrapped = rest.contains(&b'(');
    if let Some(q) = quote {
        // `"qts-access","token_type":"bearer"`: the value ran over the quote
        // that closed it into the next strings.
        let value = &line[c.value.clone()];
        if value
            .iter()
            .enumerate()
            .any(|(i, &b)| b == q && (i == 0 || value[i - 1] != b'\\'))
        {
            return Err("runs over several quoted strings");
        }
        if after.is_some_and(|a| a == b' ' || a == b'\t') {
            return Err("a quoted phrase, not a token");
        }
        if after.is_some() && after != Some(q) && wrapped {
            return Err("part of an expression");
        }
        if wrapped && method_parameter(rest) {
            return Err("a parameter of a method called on another value (x.encode(\"utf-8\"))");
        }
        if wrapped && lookup_argument(rest) {
            return Err("the name a getter looks up (get_secret(\"db\"), attrgetter(\"_id\"))");
        }
        if format_template(line.get(c.value.end + 1..).unwrap_or_default()) {
            return Err("a format template (\"...\" % args, \"...\".format(...))");
        }

        return Ok((&line[c.value.clone()], c.value.end));
    }
    if wrapped {
        return Err("a function call");
    }
    if c.file == FileKind::Code && !(in_comment(line, c.start) && env_style(c, rest)) {
        return Err("an unquoted expression in source code");
    }
    let end = trim_punctuation(line, c.value.start..query_end(c));
    let value = &line[c.value.start..end];
    let next = line[c.value.end..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    if end == c.value.end && matches!(next, Some(b'(' | b'+' | b'?' | b'|' | b'[' | b'.')) {
        return Err("part of an expression");
    }
    if value.contains(&b'(') {
        return Err("a function call");
    }
    if shape::is_dotted_identifier(value) && words::is_wordy(value) {
        return Err("a member access");
    }
    // `// token = scrambleHash XOR ...`: code in a comment names variables.
    let camel = value
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    if c.file == FileKind::Code && camel && value.iter().all(u8::is_ascii_alphanumeric) {
        return Err("an identifier in a code comment");
    }
    Ok((value, end))
}

/// `("alice", "`, `("LDAP://host", "domain\\user", "`: the value is a quoted
/// argument of a call that follows one or two quoted arguments (a user, and a
/// path before it), as in `NetworkCredential("user", "password")`. The rule
/// that matched names the call; this says the value sits where its password goes.
pub(super) fn credential_argument(rest: &[u8]) -> bool {
    // `auth=("user", "`: the (user, password) tuple of Python's requests.
    let rest = rest.trim_ascii_start();
    let rest = rest.strip_prefix(b"=").unwrap_or(rest);
    let Some(mut t) = rest.trim_ascii_start().strip_prefix(b"(") else {
        return false;
    };
    let mut args = 0;
    loop {
        t = t.trim_ascii_start();
        let Some((&q, body)) = t.split_first().filter(|(q, _)| matches!(q, b'"' | b'\'')) else {
            return false;
        };
        match body.iter().position(|&b| b == q) {
            // The opening quote of the value itself ends `rest`.
            None => return body.is_empty() && (1..=2).contains(&args),
            Some(close) => {
                let after = body[close + 1..].trim_ascii_start();
                let Some(next) = after.strip_prefix(b",") else {
                    return false;
                };
                args += 1;
                // Rust's `basic_auth("user", Some("x"))`.
                let next = next.trim_ascii_start();
                t = next.strip_prefix(b"Some(").unwrap_or(next);
            }
        }
    }
}

/// ` \\host -u Administrator -p `: a password flag right after a user flag
/// and its value (PsExec, sqlcmd), so the next word is the password.
pub(super) fn password_flag(rest: &[u8]) -> bool {
    let rest = rest
        .trim_ascii_end()
        .strip_suffix(b"\"")
        .or_else(|| rest.trim_ascii_end().strip_suffix(b"'"))
        .unwrap_or(rest);
    // The last three words, read from the end (no list of every word).
    let mut words = rest
        .rsplit(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    match (words.next(), words.next(), words.next()) {
        (Some(pass_flag), Some(_), Some(user_flag)) => {
            matches!(user_flag, b"-u" | b"-U" | b"/u" | b"/U")
                && matches!(pass_flag, b"-p" | b"-P" | b"/p" | b"/P" | b"-pw")
        }
        _ => false,
    }
}

/// `CREATE USER app IDENTIFIED BY 'x'`: SQL's clause that sets a user's
/// password (MySQL, Oracle).
pub(super) fn identified_by(name: &[u8], rest: &[u8]) -> bool {
    let rest = rest.trim_ascii();
    let rest = rest
        .strip_suffix(b"'")
        .or_else(|| rest.strip_suffix(b"\""))
        .unwrap_or(rest);
    name.eq_ignore_ascii_case(b"identified") && rest.trim_ascii().eq_ignore_ascii_case(b"by")
}

/// `, "api:` after `CURLOPT_USERPWD`: libcurl's `user:password` option, as
/// the argument after the option's name; the user, when it is one.
pub(super) fn userpwd_argument<'a>(name: &[u8], rest: &'a [u8]) -> Option<&'a [u8]> {
    if !name.eq_ignore_ascii_case(b"CURLOPT_USERPWD") {
        return None;
    }
    let t = rest
        .trim_ascii_start()
        .strip_prefix(b",")?
        .trim_ascii_start();
    let t = t.strip_prefix(b"\"").or_else(|| t.strip_prefix(b"'"))?;
    let user = t.strip_suffix(b":")?;
    user.iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
        .then_some(user)
}

/// ` -u deploy:`, ` --user=ci:`: curl's user option, whose value after the
/// colon is the password.
pub(super) fn user_flag(rest: &[u8]) -> bool {
    let t = rest.trim_ascii_start();
    let Some(t) = t.strip_prefix(b"--user").or_else(|| t.strip_prefix(b"-u")) else {
        return false;
    };
    let t = t.strip_prefix(b"=").unwrap_or(t).trim_ascii_start();
    let t = t
        .strip_prefix(b"\"")
        .or_else(|| t.strip_prefix(b"'"))
        .unwrap_or(t);
    t.len() > 1 && t.ends_with(b":") && !t[..t.len() - 1].iter().any(|b| b.is_ascii_whitespace())
}

/// `", "` between a quoted name and its value: true when the innermost
/// bracket open before the name is `[` or `{`, so the strings are items of a
/// list (`["API_TOKEN", "x"]`), not arguments of a call
/// (`os.Setenv("API_TOKEN", "x")`, `buildConfigField("String", "KEY", "x")`,
/// Groovy's `resValue "string", "key", "x"`).
pub(super) fn list_items(c: &Candidate<'_>, rest: &[u8]) -> bool {
    let t = rest.trim_ascii_start();
    let t = t
        .strip_prefix(b"\"")
        .or_else(|| t.strip_prefix(b"'"))
        .unwrap_or(t);
    let Some(after) = t.trim_ascii_start().strip_prefix(b",") else {
        return false;
    };
    if value_member(after) {
        // `{"key": "apiKey", "value": "x"}`: a name and its value as two
        // members of one object (Postman environments, tag lists).
        return false;
    }
    match innermost_open(&c.line[..c.start]) {
        Some(b) => matches!(b, b'[' | b'{'),
        // Nothing opens on this line: the bracket that closes after the
        // value says which it is, and a line that starts with a string is
        // the continuation of a multi-line list (a keyword table's `'page',` lines),
        // while Groovy's `resValue "string", "key", "x"` starts with a word.
        None => match first_unmatched_close(&c.line[c.value.end.min(c.line.len())..]) {
            Some(b')') => false,
            Some(_) => true,
            None => {
                matches!(c.line.trim_ascii_start().first(), Some(b'"' | b'\''))
                    || amid_items(&c.line[..c.start])
            }
        },
    }
}

/// The innermost bracket still open at the end of `before` (each closing
/// bracket closes the last one open, whatever its kind). Read backwards, so
/// the work stops at that bracket instead of reading the whole line for
/// each candidate (issue 10 part 3): the pairs a forward stack would match
/// are the pairs matched backwards, and the last unmatched opening bracket is
/// the first one met with no closing bracket pending.
fn innermost_open(before: &[u8]) -> Option<u8> {
    first_unpaired(before.iter().rev().copied(), b")]}", b"([{")
}

/// ` "value": "`, `'Value': '`: the member after a name member holds its value.
fn value_member(after: &[u8]) -> bool {
    let t = after.trim_ascii_start();
    let Some((&q, t)) = t.split_first().filter(|(q, _)| matches!(q, b'"' | b'\'')) else {
        return false;
    };
    t.get(..5).is_some_and(|w| w.eq_ignore_ascii_case(b"value"))
        && t.get(5) == Some(&q)
        && t[6..].trim_ascii_start().starts_with(b":")
}

/// Quoted items before the name that make it one of a long list whose
/// opening bracket is out of sight (a line of a thousand names, read
/// around the candidate): `..., 'HMAccessControl', 'HMAccessory'`. A call
/// passes a name and its value after one or two strings, not three.
const ITEMS_BEFORE: usize = 3;

/// True when `lead` (the line before the quoted name) ends with an item
/// separator (`', '` or `","`) and holds at least [`ITEMS_BEFORE`] of them.
fn amid_items(lead: &[u8]) -> bool {
    let Some(lead) = lead.strip_suffix(b"'").or_else(|| lead.strip_suffix(b"\"")) else {
        return false;
    };
    // Separators end where an item's quote, a comma and maybe a space
    // stand before the next item's quote.
    let separator_ends = |i: usize| {
        let before = lead[..i].strip_suffix(b" ").unwrap_or(&lead[..i]);
        before.ends_with(b"',") || before.ends_with(b"\",")
    };
    separator_ends(lead.len())
        && (0..=lead.len())
            .filter(|&i| (i == lead.len() || matches!(lead[i], b'\'' | b'"')) && separator_ends(i))
            .count()
            >= ITEMS_BEFORE
}

/// The first closing bracket in `text` that no bracket in `text` opened.
fn first_unmatched_close(text: &[u8]) -> Option<u8> {
    first_unpaired(text.iter().copied(), b"([{", b")]}")
}

/// The first bracket of `wanted` in `bytes` that no bracket of `pairing`
/// before it pairs with (any kind pairs with any kind).
fn first_unpaired(
    bytes: impl Iterator<Item = u8>,
    pairing: &[u8; 3],
    wanted: &[u8; 3],
) -> Option<u8> {
    let mut depth = 0usize;
    for b in bytes {
        if pairing.contains(&b) {
            depth += 1;
        } else if wanted.contains(&b) {
            if depth == 0 {
                return Some(b);
            }
            depth -= 1;
        }
    }
    None
}

/// True when the value is the first argument of a call whose name says it
/// looks something up by name (`self._get_param('X')`, `get_secret("db")`,
/// `getenv("API_TOKEN")`, `attrgetter("_id")`): the argument is the name
/// looked up, not the secret. Later arguments are not (`getenv("X",
/// "default")`'s default is a value).
pub(super) fn lookup_argument(rest: &[u8]) -> bool {
    let Some(call) = last_call(rest) else {
        return false;
    };
    if !call
        .args
        .iter()
        .all(|b| matches!(b, b' ' | b'"' | b'\'' | b'`'))
    {
        return false;
    }
    // The name read without underscores and case: `_get_param` is `getparam`.
    let letters = call
        .name
        .iter()
        .filter(|&&b| b != b'_')
        .map(u8::to_ascii_lowercase);
    LOOKUP_PREFIXES
        .iter()
        .any(|p| letters.clone().take(p.len()).eq(p.bytes()))
        || letters.rev().take(6).eq(b"getter".iter().rev().copied())
}

/// The last call opened in the text between a name and its value's quote.
struct Call<'a> {
    /// The callee: the identifier just before the `(`.
    name: &'a [u8],
    /// True when a `.` comes before the callee (`x.encode(`): a method.
    method: bool,
    /// What follows the `(` up to the quote.
    args: &'a [u8],
}

/// The last call opened in `rest`, if any.
fn last_call(rest: &[u8]) -> Option<Call<'_>> {
    let paren = rest.iter().rposition(|&b| b == b'(')?;
    let callee = &rest[..paren];
    let start = callee
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .map_or(0, |i| i + 1);
    Some(Call {
        name: &callee[start..],
        method: start > 0 && callee[start - 1] == b'.',
        args: &rest[paren + 1..],
    })
}

/// Openings of the names of calls that look something up by name.
const LOOKUP_PREFIXES: &[&str] = &["get", "fetch", "lookup", "read", "load", "find"];

/// True when what follows a string's closing quote applies it as a format
/// template: Python's `%` operator (`"VS%sTOOLS" % version`) or a
/// `.format(` call.
pub(super) fn format_template(after_quote: &[u8]) -> bool {
    let t = after_quote.trim_ascii_start();
    (t.starts_with(b"%") && !t.starts_with(b"%=")) || t.starts_with(b".format(")
}

/// Methods whose quoted argument is a parameter of an operation on the
/// receiver, never the value assigned: `password.encode("utf-8")`,
/// `value.decode('latin1')`, `headers.get("X-Token")`, `pw.strip("\n")`.
const PARAMETER_METHODS: &[&str] = &[
    "encode",
    "decode",
    "get",
    "pop",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "replace",
    "startswith",
    "endswith",
    "find",
    "index",
    "count",
    "join",
    "getattr",
    "hasattr",
];

/// True when the last call opened in `rest` (between the name and the
/// value's quote) is one of [`PARAMETER_METHODS`] called on a receiver
/// (`x.encode(`), so the literal is that method's parameter.
pub(super) fn method_parameter(rest: &[u8]) -> bool {
    last_call(rest).is_some_and(|call| {
        call.method && PARAMETER_METHODS.iter().any(|m| m.as_bytes() == call.name)
    })
}

#[cfg(test)]
mod tests {
    use super::innermost_open;
    use crate::testrng::Rng;

    /// The forward stack the backward read replaces.
    fn forward(before: &[u8]) -> Option<u8> {
        let mut open = Vec::new();
        for &b in before {
            match b {
                b'(' | b'[' | b'{' => open.push(b),
                b')' | b']' | b'}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.last().copied()
    }

    #[test]
    fn the_innermost_open_bracket_equals_a_forward_stack() {
        let mut rng = Rng::new(0x6272_6163);
        let alphabet = b"([{)]}x,";
        for _ in 0..5000 {
            let len = rng.below(24);
            let text = rng.bytes(len, alphabet);
            assert_eq!(
                innermost_open(&text),
                forward(&text),
                "{}",
                String::from_utf8_lossy(&text)
            );
        }
    }
}
