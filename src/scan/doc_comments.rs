//! Documentation inside source files (issue 11): the example in a Rust `///`
//! or `//!` comment, a Javadoc/KDoc/JSDoc `/** ... */` block or a Python
//! docstring is documentation as much as a README is, and gets the same
//! stand-in policy ([`crate::scan::Place::Docs`]): weak example passwords
//! (`ftp://user:secret123@host`) pass, a random-looking key still blocks.
//! Plain `//` and `#` comments are not included: commented-out code keeps
//! the values it ran with.

use std::ops::Range;

/// True when `line` (a line of source code) is part of a doc comment: it
/// opens with `///`, `//!`, `/**` or `/*!`, or continues a block comment
/// with a leading `*` and a space (` * @param password ...`). A leading `*`
/// with no space is code (`*ptr = value;`).
pub fn doc_comment_line(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    t.starts_with(b"///")
        || t.starts_with(b"//!")
        || t.starts_with(b"/**")
        || t.starts_with(b"/*!")
        || t == b"*"
        || t.starts_with(b"* ")
        || t.starts_with(b"*\t")
}

/// True when `path` names a Python source file, whose docstrings
/// [`docstrings`] finds.
pub fn has_docstrings(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".py") || lower.ends_with(".pyi")
}

/// Byte ranges of the docstrings of Python source `text`: triple-quoted
/// strings that stand as a statement of their own (the opening quotes start
/// their line, after indentation and an optional `r`/`u` prefix). Other
/// triple-quoted strings (`sql = """...`) are skipped whole, so that their
/// closing quotes are not taken for an opening. One pass, linear in `text`.
pub fn docstrings(text: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = next_triple(text, at) {
        let quote = &text[open..open + 3];
        let close =
            memchr::memmem::find(&text[open + 3..], quote).map_or(text.len(), |p| open + 3 + p + 3);
        if starts_statement(text, open) {
            out.push(open..close);
        }
        at = close;
    }
    out
}

/// The next `"""` or `'''` at or after `from`.
fn next_triple(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memchr::memchr2(b'"', b'\'', &text[at..]) {
        let i = at + p;
        let q = text[i];
        if text.get(i + 1) == Some(&q) && text.get(i + 2) == Some(&q) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// True when only indentation and a string prefix stand between the start
/// of the line and the quotes at `open`.
fn starts_statement(text: &[u8], open: usize) -> bool {
    let line_start = memchr::memrchr(b'\n', &text[..open]).map_or(0, |p| p + 1);
    let lead = text[line_start..open].trim_ascii_start();
    matches!(lead, b"" | b"r" | b"R" | b"u" | b"U")
}

/// True when `pos` lies inside one of `regions` (sorted, disjoint).
pub fn within(regions: &[Range<usize>], pos: usize) -> bool {
    let i = regions.partition_point(|r| r.end <= pos);
    regions.get(i).is_some_and(|r| r.start <= pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comment_lines() {
        for l in [
            "/// let url = parse(\"ftp://u:pw@h\");",
            "    //! crate docs",
            "  /** @param token the token */",
            "   * password: the user's password",
            "   *",
        ] {
            assert!(doc_comment_line(l.as_bytes()), "{l}");
        }
        for l in [
            "// password = \"kept from a run\"",
            "let password = \"x\";",
            "*ptr = value;",
            "# a comment",
            "/* a plain block comment opener */",
        ] {
            assert!(!doc_comment_line(l.as_bytes()), "{l}");
        }
    }

    #[test]
    fn docstrings_are_statements_and_other_triple_strings_are_not() {
        let text = concat!(
            "def f():\n",
            "    \"\"\"Log in.\n",
            "    >>> login(password='x')\n",
            "    \"\"\"\n",
            "    sql = \"\"\"\n",
            "    select password\n",
            "\"\"\"\n",
            "    r'''raw doc'''\n",
            "x = 1\n",
        );
        let regions = docstrings(text.as_bytes());
        let inside = |needle: &str| within(&regions, text.find(needle).unwrap());
        assert!(inside("login(password"));
        assert!(inside("raw doc"));
        assert!(!inside("select password"));
        assert!(!inside("x = 1"));
        assert_eq!(regions.len(), 2);
    }

    #[test]
    fn an_unclosed_docstring_runs_to_the_end() {
        let text = b"\"\"\"open\npassword = 'x'\n";
        assert_eq!(docstrings(text), vec![0..text.len()]);
    }
}
