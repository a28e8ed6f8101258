//! A small format-preserving editor for JSON with comments (JSONC), the format
//! of the agents' settings files. It parses into a tree of byte spans and
//! edits by inserting or deleting byte ranges, so everything it does not
//! touch (other entries, key order, indentation, comments, trailing commas)
//! stays byte for byte. serde_json with `preserve_order` keeps key order but
//! loses comments and indentation; dprint's `jsonc-parser` could do this too,
//! but keyhook needs four operations on files of a few kilobytes, which fit
//! in this module without a new dependency.

use anyhow::{bail, Result};
use std::ops::Range;

/// A parsed value with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `{...}`: members in file order.
    Object {
        /// Span from `{` to `}` inclusive.
        span: Range<usize>,
        /// The members.
        members: Vec<Member>,
    },
    /// `[...]`: items in file order.
    Array {
        /// Span from `[` to `]` inclusive.
        span: Range<usize>,
        /// The items.
        items: Vec<Node>,
    },
    /// A string (decoded), number, `true`, `false` or `null`.
    Scalar {
        /// The value's span.
        span: Range<usize>,
        /// The decoded string, for strings.
        string: Option<String>,
    },
}

/// One `"key": value` of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The decoded key.
    pub key: String,
    /// Span of the key's string literal.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The node's byte span.
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Object { span, .. } | Node::Array { span, .. } | Node::Scalar { span, .. } => {
                span.clone()
            }
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object { members, .. } => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The string value, for strings.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar { string, .. } => string.as_deref(),
            _ => None,
        }
    }
}

/// Parses `text`; errors give the 1-based line.
pub fn parse(text: &str) -> Result<Node> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.ws()?;
    let node = p.value()?;
    p.ws()?;
    if p.i != p.s.len() {
        return p.err("unexpected text after the top-level value");
    }
    Ok(node)
}

/// The 1-based line of byte `pos`.
pub fn line_of(text: &str, pos: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..pos.min(text.len())]).count()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, what: &str) -> Result<T> {
        let line = 1 + memchr::memchr_iter(b'\n', &self.s[..self.i.min(self.s.len())]).count();
        bail!("{line}: {what}")
    }

    /// Skips whitespace and comments.
    fn ws(&mut self) -> Result<()> {
        loop {
            match self.s.get(self.i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    while self.i < self.s.len() && self.s[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    match memchr::memmem::find(&self.s[self.i + 2..], b"*/") {
                        Some(p) => self.i += p + 4,
                        None => return self.err("unterminated /* comment"),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self) -> Result<Node> {
        // Settings files are shallow; a bound keeps recursion safe on hostile input.
        if self.depth > 64 {
            return self.err("nested too deeply");
        }
        match self.s.get(self.i) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let start = self.i;
                let string = self.string()?;
                Ok(Node::Scalar {
                    span: start..self.i,
                    string: Some(string),
                })
            }
            Some(c) if c.is_ascii_alphanumeric() || *c == b'-' => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
                {
                    self.i += 1;
                }
                let word = &self.s[start..self.i];
                let ok = matches!(word, b"true" | b"false" | b"null")
                    || serde_json::from_slice::<serde_json::Number>(word).is_ok();
                if !ok {
                    self.i = start;
                    return self.err("invalid value");
                }
                Ok(Node::Scalar {
                    span: start..self.i,
                    string: None,
                })
            }
            Some(_) => self.err("expected a value"),
            None => self.err("unexpected end of file"),
        }
    }

    fn string(&mut self) -> Result<String> {
        let start = self.i;
        self.i += 1;
        loop {
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(b'\\') => self.i += 2,
                Some(b'\n') | None => return self.err("unterminated string"),
                Some(_) => self.i += 1,
            }
        }
        let raw = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("\"\"");
        match serde_json::from_str::<String>(raw) {
            Ok(s) => Ok(s),
            Err(_) => {
                self.i = start;
                self.err("invalid string")
            }
        }
    }

    fn object(&mut self) -> Result<Node> {
        let start = self.i;
        self.i += 1;
        self.depth += 1;
        let mut members = Vec::new();
        loop {
            self.ws()?;
            match self.s.get(self.i) {
                Some(b'}') => break,
                Some(b'"') => {}
                _ => return self.err("expected a key or `}`"),
            }
            let key_start = self.i;
            let key = self.string()?;
            let key_span = key_start..self.i;
            self.ws()?;
            if self.s.get(self.i) != Some(&b':') {
                return self.err("expected `:`");
            }
            self.i += 1;
            self.ws()?;
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.ws()?;
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => break,
                _ => return self.err("expected `,` or `}`"),
            }
        }
        self.i += 1;
        self.depth -= 1;
        Ok(Node::Object {
            span: start..self.i,
            members,
        })
    }

    fn array(&mut self) -> Result<Node> {
        let start = self.i;
        self.i += 1;
        self.depth += 1;
        let mut items = Vec::new();
        loop {
            self.ws()?;
            if self.s.get(self.i) == Some(&b']') {
                break;
            }
            items.push(self.value()?);
            self.ws()?;
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => break,
                _ => return self.err("expected `,` or `]`"),
            }
        }
        self.i += 1;
        self.depth -= 1;
        Ok(Node::Array {
            span: start..self.i,
            items,
        })
    }
}

/// The file's indentation unit: the leading whitespace of the first indented
/// line, or two spaces.
pub fn indent_unit(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(|l| {
            let n = l.len() - l.trim_start_matches([' ', '\t']).len();
            &l[..n]
        })
        .find(|w| !w.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// The leading whitespace of the line holding byte `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let start = text[..pos].rfind('\n').map_or(0, |p| p + 1);
    let line = &text[start..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n.min(pos - start)]
}

/// A JSON value to insert, with its keys in the order they are written
/// (serde_json's own map sorts them unless a crate-wide feature is on).
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    /// An object, members in order.
    Obj(Vec<(&'static str, J)>),
    /// An array.
    Arr(Vec<J>),
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
}

/// Renders `value` pretty-printed with `unit` per level, each line after
/// the first indented by `base`.
pub fn render(value: &J, unit: &str, base: &str) -> String {
    let mut out = String::new();
    write_j(&mut out, value, unit, base);
    out
}

fn write_j(out: &mut String, v: &J, unit: &str, ind: &str) {
    let inner = format!("{ind}{unit}");
    match v {
        J::Str(s) => out.push_str(&serde_json::to_string(s).expect("strings serialize")),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Obj(members) if members.is_empty() => out.push_str("{}"),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&inner);
                write_j(out, item, unit, &inner);
            }
            out.push('\n');
            out.push_str(ind);
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&inner);
                out.push_str(&serde_json::to_string(k).expect("strings serialize"));
                out.push_str(": ");
                write_j(out, item, unit, &inner);
            }
            out.push('\n');
            out.push_str(ind);
            out.push('}');
        }
    }
}

/// Inserts `item` (already rendered) as the last element of the object or
/// array whose span is `container`; `member_key` is `Some` for objects.
/// Returns the new text.
pub fn append(text: &str, container: &Node, entry: &str) -> String {
    let span = container.span();
    let unit = indent_unit(text);
    let own = line_indent(text, span.start).to_string();
    let child = format!("{own}{unit}");
    let last_end = match container {
        Node::Object { members, .. } => members.last().map(|m| m.value.span().end),
        Node::Array { items, .. } => items.last().map(|n| n.span().end),
        Node::Scalar { .. } => None,
    };
    let entry = entry.replace('\n', &format!("\n{child}"));
    let mut out = String::with_capacity(text.len() + entry.len() + 16);
    match last_end {
        None => {
            out.push_str(&text[..span.start + 1]);
            out.push_str(&format!("\n{child}{entry}\n{own}"));
            out.push_str(&text[span.start + 1..]);
        }
        Some(end) => {
            // After the last element: its trailing comma (kept as the
            // file's style) and a comment on the same line stay with it.
            let after = &text[end..span.end - 1];
            let trailing_comma = after.trim_start().starts_with(',');
            let line_end = after.find('\n').map(|p| end + p);
            let rest_of_line = line_end.map(|le| text[end..le].trim());
            let same_line_comment = rest_of_line.is_some_and(|r| {
                let r = r.trim_start_matches(',').trim_start();
                r.starts_with("//") || (r.starts_with("/*") && r.ends_with("*/"))
            });
            if trailing_comma {
                let comma = end + after.find(',').expect("checked");
                let at = if same_line_comment {
                    line_end.expect("checked")
                } else {
                    comma + 1
                };
                out.push_str(&text[..at]);
                out.push_str(&format!("\n{child}{entry},"));
                out.push_str(&text[at..]);
            } else if same_line_comment {
                let at = line_end.expect("checked");
                out.push_str(&text[..end]);
                out.push(',');
                out.push_str(&text[end..at]);
                out.push_str(&format!("\n{child}{entry}"));
                out.push_str(&text[at..]);
            } else {
                out.push_str(&text[..end]);
                out.push_str(&format!(",\n{child}{entry}"));
                out.push_str(&text[end..]);
            }
        }
    }
    out
}

/// Removes element `index` (an item, or a member) of `container`, with the
/// comma and line it sits on, undoing what [`append`] did byte for byte.
pub fn remove(text: &str, container: &Node, index: usize) -> String {
    let span = container.span();
    let spans: Vec<Range<usize>> = match container {
        Node::Object { members, .. } => members
            .iter()
            .map(|m| m.key_span.start..m.value.span().end)
            .collect(),
        Node::Array { items, .. } => items.iter().map(Node::span).collect(),
        Node::Scalar { .. } => return text.to_string(),
    };
    let this = spans[index].clone();
    let mut cut: Vec<Range<usize>> = Vec::new();
    // A comma right after the element (trailing or separating).
    let after = &text[this.end..span.end - 1];
    let comma_after = after
        .find(|c: char| !c.is_whitespace())
        .filter(|&p| after.as_bytes()[p] == b',')
        .map(|p| this.end + p);
    // The whitespace run before the element, back to its line's start.
    let before_ws = text[..this.start].trim_end_matches([' ', '\t']).len();
    let line_start = if text[..before_ws].ends_with('\n') {
        let s = text[..before_ws - 1].trim_end_matches('\r').len();
        s.min(before_ws - 1)
    } else {
        this.start
    };
    if spans.len() == 1 {
        cut.push(span.start + 1..span.end - 1);
    } else if index + 1 < spans.len() {
        if index == 0 {
            cut.push(this.start..spans[1].start);
        } else {
            // A middle element: its line and its comma.
            let end = comma_after.map_or(this.end, |c| c + 1);
            cut.push(line_start..end);
        }
    } else if let Some(c) = comma_after {
        // The last element, in trailing-comma style.
        cut.push(line_start..c + 1);
    } else {
        // The last element: the comma ending the previous one goes too.
        let prev = &spans[index - 1];
        let between = &text[prev.end..this.start];
        let comma = prev.end + between.find(',').unwrap_or(0);
        cut.push(comma..comma + 1);
        cut.push(line_start.max(comma + 1)..this.end);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in cut {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hooks(text: &str) -> Node {
        parse(text).unwrap().get("hooks").unwrap().clone()
    }

    #[test]
    fn parses_comments_and_trailing_commas() {
        let t = "{\n  // c\n  \"a\": [1, 2,], /* x */ \"b\": {\"c\": \"d\\\"\"},\n}";
        let n = parse(t).unwrap();
        assert_eq!(n.get("b").unwrap().get("c").unwrap().as_str(), Some("d\""));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("{\n  \"a\": 1\n  \"b\": 2\n}")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("3: "), "{e}");
    }

    #[test]
    fn append_then_remove_restores_every_style() {
        for text in [
            "{\n  \"hooks\": []\n}\n",
            "{\n  \"hooks\": [\n    1\n  ]\n}\n",
            "{\n    \"hooks\": [\n        1,\n        2\n    ]\n}\n",
            "{\n\t\"hooks\": [\n\t\t1, // one\n\t]\n}\n",
            "{\n  \"hooks\": [\n    1 // one\n  ]\n}\n",
            "{\n  \"hooks\": [\n    1,\n  ],\n}\n",
            "{\"hooks\": [1]}",
        ] {
            let h = hooks(text);
            let entry = render(
                &J::Obj(vec![("command", J::Str("k".into()))]),
                &indent_unit(text),
                "",
            );
            let added = append(text, &h, &entry);
            let h2 = hooks(&added);
            let Node::Array { items, .. } = &h2 else {
                panic!()
            };
            assert_eq!(
                items.last().unwrap().get("command").unwrap().as_str(),
                Some("k"),
                "{added}"
            );
            let back = remove(&added, &h2, items.len() - 1);
            assert_eq!(back, text, "round trip of {text:?} via {added:?}");
        }
    }

    #[test]
    fn removes_first_and_middle_items() {
        let t = "[\n  1,\n  2,\n  3\n]";
        let n = parse(t).unwrap();
        assert_eq!(remove(t, &n, 0), "[\n  2,\n  3\n]");
        assert_eq!(remove(t, &n, 1), "[\n  1,\n  3\n]");
        assert_eq!(remove(t, &n, 2), "[\n  1,\n  2\n]");
    }
}
