//! Tuple assignments (issue 11): `user, password = "wile", "s3cr3t"` (Python),
//! `user, pass := "u", "p"` (Go), `const [user, password] = ["u", "p"]`
//! (JavaScript destructuring). The rule's match takes the first value after
//! the operator, which belongs to the first name; the value of the secret
//! name is the one in the same position on the right.

use super::name::classify_name;
use super::Candidate;
use std::ops::Range;

/// The range in `c.line` of the value paired with the candidate's name when
/// the name is not the first of a tuple assignment whose two sides have as
/// many items; `None` for any other line (the candidate is judged as matched).
pub fn paired_value(c: &Candidate<'_>) -> Option<Range<usize>> {
    let line = c.line;
    let name_end = c.start
        + line[c.start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
            .count();
    // An assignment first: a few bytes forward rule out most candidates
    // (`token:t.token` in a bundle) before the names are read back.
    let right = right_side(line, name_end)?;
    let left = left_names(&line[..name_end])?;
    let names = left.len();
    let index = names - 1;
    if index == 0 {
        return None;
    }
    // `token, password = "...", "..."`: the match took the first name's
    // value, which is a secret's too; it stays the one judged (one
    // candidate, one value), as if the line were no tuple.
    if left[1..]
        .iter()
        .any(|n| classify_name(n).is_ok_and(|h| h.is_some()))
    {
        return None;
    }
    let items = items(line, right);
    // Both sides list the same number of items, all of them plain.
    if items.len() != names {
        return None;
    }
    items.into_iter().nth(index)
}

/// The names the left side of the assignment ending at the end of `left`
/// lists, the candidate's name first and the others right to left:
/// `user, password` gives `password`, `user`, as does `let [user, password`
/// or a code span's `` `user, password ``. `None` when no comma-separated
/// identifiers end there.
fn left_names(left: &[u8]) -> Option<Vec<&[u8]>> {
    // Read backwards a part at a time, each part a name between blanks, and
    // stop at the first byte that is neither: a long line is read no further
    // back than its names, not to its last comma, for each candidate (issue
    // 10 part 3).
    let blank = |b: u8| b.is_ascii_whitespace();
    // Most candidates are no tuple: the first name is kept aside and the
    // list allocated only once a second one is read.
    let mut first: Option<&[u8]> = None;
    let mut names = Vec::new();
    let mut push = |name| match first {
        None => first = Some(name),
        Some(f) => {
            if names.is_empty() {
                names.push(f);
            }
            names.push(name);
        }
    };
    // Where the part being read ends: the end of `left` or a comma.
    let mut end = left.len();
    loop {
        let mut i = end;
        while i > 0 && blank(left[i - 1]) {
            i -= 1;
        }
        let name_end = i;
        while i > 0 && ident_byte(left[i - 1]) {
            i -= 1;
        }
        let name = &left[i..name_end];
        let mut j = i;
        while j > 0 && blank(left[j - 1]) {
            j -= 1;
        }
        if j == 0 || left[j - 1] == b',' {
            // The whole part is the name.
            if !identifier(name) {
                return None;
            }
            push(name);
            if j == 0 {
                break;
            }
            end = j - 1;
            continue;
        }
        // The part holds more than a name: it ends in the first name, and
        // what stands before that opens the list (a candidate's own part
        // that is no name is left with fewer than two names).
        if name.is_empty() || !matches!(left[i - 1], b' ' | b'\t' | b'[' | b'(' | b'{' | b'`') {
            return None;
        }
        push(name);
        break;
    }
    (names.len() >= 2).then_some(names)
}

/// A name on the left of an assignment: `user`, `self.password`, `$pass`.
fn identifier(p: &[u8]) -> bool {
    !p.is_empty() && !p[0].is_ascii_digit() && p.iter().all(|&b| ident_byte(b))
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$')
}

/// Where the right side starts: after the closing bracket of the names (if
/// any), `=` or `:=` (not `==`), spaces and an opening bracket.
fn right_side(line: &[u8], name_end: usize) -> Option<usize> {
    let mut i = name_end;
    let skip = |i: &mut usize, set: &[u8]| {
        while *i < line.len() && set.contains(&line[*i]) {
            *i += 1;
        }
    };
    skip(&mut i, b" \t]})");
    if line[i..].starts_with(b":=") {
        i += 2;
    } else if line[i..].starts_with(b"=") && !line[i..].starts_with(b"==") {
        i += 1;
    } else {
        return None;
    }
    skip(&mut i, b" \t[({");
    Some(i)
}

/// The items of a comma-separated list from `from` to the end of the list
/// (a closing bracket, a comment or the end of the line): each a quoted
/// string (its inside) or a bare word. Empty when an item is anything else
/// (a call, an operator): the right side is then an expression.
fn items(line: &[u8], from: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = from;
    loop {
        while i < line.len() && matches!(line[i], b' ' | b'\t') {
            i += 1;
        }
        let Some(&b) = line.get(i) else { break };
        let item = if matches!(b, b'"' | b'\'' | b'`') {
            let close = line[i + 1..]
                .iter()
                .enumerate()
                .position(|(k, &c)| c == b && line[i + k] != b'\\');
            let Some(close) = close else {
                return Vec::new();
            };
            let inside = i + 1..i + 1 + close;
            i = inside.end + 1;
            inside
        } else {
            let len = line[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
                .count();
            if len == 0 {
                return Vec::new();
            }
            i += len;
            i - len..i
        };
        out.push(item);
        while i < line.len() && matches!(line[i], b' ' | b'\t') {
            i += 1;
        }
        match line.get(i) {
            Some(b',') => i += 1,
            None | Some(b']' | b')' | b'}' | b';' | b'#' | b'`') => break,
            Some(_) if line[i..].starts_with(b"//") => break,
            Some(_) => return Vec::new(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::FileKind;

    /// The paired value of the candidate named `name` in `line`, whose
    /// match took the first quoted value.
    fn paired<'a>(line: &'a str, name: &str) -> Option<&'a str> {
        let start = line.find(name).unwrap();
        let first = line[start..].find(['"', '\'']).map(|p| start + p + 1)?;
        let c = Candidate {
            line: line.as_bytes(),
            start,
            value: first..first + 1,
            file: FileKind::Code,
        };
        paired_value(&c).map(|r| &line[r])
    }

    #[test]
    fn the_second_name_takes_the_second_value() {
        assert_eq!(
            paired(r#"    user, password = "u1", "s3cr3t""#, "password"),
            Some("s3cr3t")
        );
        assert_eq!(
            paired(r#"	user, pass := "u1", 'p2' // test"#, "pass"),
            Some("p2")
        );
        assert_eq!(
            paired(r#"const [user, token] = ["u", "t"];"#, "token"),
            Some("t")
        );
        assert_eq!(
            paired(
                r#"(self.host, self.password) = ("h", "p")"#,
                "self.password"
            ),
            Some("p")
        );
    }

    /// The reading by parts split at commas that [`left_names`] replaces.
    fn left_names_by_parts(left: &[u8]) -> Option<Vec<&[u8]>> {
        let mut parts = left.rsplit(|&b| b == b',');
        let last = parts.next()?.trim_ascii();
        if !identifier(last) {
            return None;
        }
        let mut names = vec![last];
        for part in parts {
            let part = part.trim_ascii();
            if identifier(part) {
                names.push(part);
                continue;
            }
            let tail = part.iter().rev().take_while(|&&b| ident_byte(b)).count();
            let head = &part[..part.len() - tail];
            if tail == 0 || !matches!(head.last(), Some(b' ' | b'\t' | b'[' | b'(' | b'{' | b'`')) {
                return None;
            }
            names.push(&part[head.len()..]);
            break;
        }
        (names.len() >= 2).then_some(names)
    }

    #[test]
    fn names_read_backwards_equal_names_read_by_parts() {
        let mut rng = crate::testrng::Rng::new(0x7475_706c);
        let alphabet = b"ab1_.$ ,\t\r([{`:=x";
        for _ in 0..20_000 {
            let len = rng.below(14);
            let left = rng.bytes(len, alphabet);
            assert_eq!(
                left_names(&left),
                left_names_by_parts(&left),
                "{:?}",
                String::from_utf8_lossy(&left)
            );
        }
    }

    #[test]
    fn other_lines_are_judged_as_matched() {
        for (line, name) in [
            (r#"password = "a", "b""#, "password"),
            (r#"user, password = get("a"), "b""#, "password"),
            (r#"user, password = "a""#, "password"),
            (r#"f(user, password="a")"#, "password"),
            (r#"if user, password == "a", "b""#, "password"),
            // Both names are secrets': the matched (first) value is judged.
            (r#"token, password = "a", "b""#, "password"),
        ] {
            assert_eq!(paired(line, name), None, "{line}");
        }
    }
}
