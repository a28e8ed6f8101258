//! Jupyter notebooks (`.ipynb`) read as what they are: JSON whose strings hold
//! code, prose and program output. A key typed into a code cell sits in the
//! file as `"os.environ[\"OPENAI_API_KEY\"] = \"sk-...\"\n",`, and a printed
//! one in an output's `text`; base64 images in outputs are noise to a scanner.
//!
//! [`View::parse`] walks the JSON once (linear, no tree is built) and produces
//! a view of the notebook: cell sources and text outputs decoded (escapes
//! undone) into a code text and a prose text, each with a map from decoded
//! offsets back to the file, and the raw file with those strings and the
//! base64 output data blanked out, so metadata and anything else in the JSON is
//! still scanned as JSON. Findings in decoded text are reported at the line and
//! column of the `.ipynb` file where the value's first byte is written. Only
//! strings on added lines are decoded, so a modified notebook is judged on its
//! new lines, as any other file. A file that is not valid JSON gets no view
//! and is scanned as plain text.

use super::{regions, Added, FileKind, FindingContext, Place, Scanner};
use crate::finding::Finding;

/// True when `path` names a Jupyter notebook.
pub fn is_notebook(path: &str) -> bool {
    path.len() > 6
        && path.is_char_boundary(path.len() - 6)
        && path[path.len() - 6..].eq_ignore_ascii_case(".ipynb")
}

/// Decoded text with the way back to the file.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The decoded strings, one block per cell or output, each ending in `\n`.
    pub text: Vec<u8>,
    /// Runs of `text`, ascending by `text` offset.
    runs: Vec<Run>,
}

/// A run of decoded bytes starting at `text` that came from the file at `raw`:
/// byte for byte when `literal`, else all from one escape sequence.
#[derive(Debug, Clone, Copy)]
struct Run {
    text: usize,
    raw: usize,
    literal: bool,
}

impl Decoded {
    /// Offset in the file of decoded byte `at`.
    pub fn raw_offset(&self, at: usize) -> usize {
        let i = self.runs.partition_point(|r| r.text <= at);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some(r) if r.literal => r.raw + (at - r.text),
            Some(r) => r.raw,
            None => 0,
        }
    }

    fn push_literal(&mut self, bytes: &[u8], raw: usize) {
        if bytes.is_empty() {
            return;
        }
        self.runs.push(Run {
            text: self.text.len(),
            raw,
            literal: true,
        });
        self.text.extend_from_slice(bytes);
    }

    fn push_escape(&mut self, decoded: &[u8], raw: usize) {
        self.runs.push(Run {
            text: self.text.len(),
            raw,
            literal: false,
        });
        self.text.extend_from_slice(decoded);
    }

    /// Ends a block so the next cell or output starts on its own line.
    fn end_block(&mut self, raw: usize) {
        if !self.text.is_empty() && !self.text.ends_with(b"\n") {
            self.push_escape(b"\n", raw);
        }
    }

    /// Moves `other`'s text to the end of this one.
    fn append(&mut self, other: &mut Decoded, raw: usize) {
        let base = self.text.len();
        self.runs.extend(other.runs.drain(..).map(|r| Run {
            text: r.text + base,
            ..r
        }));
        self.text.append(&mut other.text);
        self.end_block(raw);
    }
}

/// A notebook as the scanner reads it.
#[derive(Debug)]
pub struct View {
    /// The file with decoded and base64 strings blanked (same length, same lines).
    pub masked: Vec<u8>,
    /// Sources of code cells.
    pub code: Decoded,
    /// Sources of markdown and raw cells, and text outputs.
    pub prose: Decoded,
}

/// What a key in the notebook's JSON means for the strings under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Cells,
    Worksheets,
    Source,
    Outputs,
    Text,
    Data,
    Traceback,
    Attachments,
    CellType,
    Mime(Mime),
    Other,
}

/// How an output's MIME type is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mime {
    /// `text/*`, JSON, JavaScript, XML: text, judged as prose.
    Text,
    /// `image/*`: base64 or drawing data, never judged.
    Image,
    /// Anything else (`application/pdf`, vendor types): skipped when base64.
    Unknown,
}

/// One step of the path from the document root to the current value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Key(Key),
    Index,
}

/// What to do with a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Left in the raw JSON and scanned there.
    Raw,
    /// The cell's `cell_type`.
    CellType,
    /// A line of a cell's source.
    Source,
    /// Program output as text.
    Output,
    /// Output data that is base64 unless it reads as text.
    MaybeBinary,
    /// Never judged (images, base64 attachments).
    Blank,
}

fn classify_key(name: &[u8], parent: Option<Step>) -> Key {
    if matches!(
        parent,
        Some(Step::Key(Key::Data | Key::Attachments | Key::Other))
    ) && is_mime(name)
    {
        return Key::Mime(classify_mime(name));
    }
    if parent == Some(Step::Index) && matches!(name, b"png" | b"jpeg" | b"gif" | b"svg" | b"pdf") {
        // nbformat 3 kept each type straight in the output (`"png": "..."`).
        return Key::Mime(Mime::Image);
    }
    match name {
        b"cells" => Key::Cells,
        b"worksheets" => Key::Worksheets,
        b"source" | b"input" => Key::Source,
        b"outputs" => Key::Outputs,
        b"text" => Key::Text,
        b"data" => Key::Data,
        b"traceback" => Key::Traceback,
        b"attachments" => Key::Attachments,
        b"cell_type" => Key::CellType,
        _ => Key::Other,
    }
}

fn is_mime(name: &[u8]) -> bool {
    name.contains(&b'/') && !name.contains(&b' ')
}

fn classify_mime(name: &[u8]) -> Mime {
    let n = name.to_ascii_lowercase();
    if n.starts_with(b"image/") {
        Mime::Image
    } else if n.starts_with(b"text/")
        || n.ends_with(b"json")
        || n.ends_with(b"javascript")
        || n.ends_with(b"xml")
    {
        Mime::Text
    } else {
        Mime::Unknown
    }
}

/// The steps below the cell a path is in, if it is in a cell (nbformat 4:
/// `cells[i]`, nbformat 3: `worksheets[i].cells[j]`).
fn in_cell(path: &[Step]) -> Option<&[Step]> {
    match path {
        [Step::Key(Key::Cells), Step::Index, rest @ ..] => Some(rest),
        [Step::Key(Key::Worksheets), Step::Index, Step::Key(Key::Cells), Step::Index, rest @ ..] => {
            Some(rest)
        }
        _ => None,
    }
}

fn role(path: &[Step]) -> Role {
    let Some(cell) = in_cell(path) else {
        return Role::Raw;
    };
    use Step::{Index, Key as K};
    match cell {
        [K(Key::CellType)] => Role::CellType,
        [K(Key::Source)] | [K(Key::Source), Index] => Role::Source,
        [K(Key::Outputs), Index, K(Key::Text)]
        | [K(Key::Outputs), Index, K(Key::Text), Index]
        | [K(Key::Outputs), Index, K(Key::Traceback), Index] => Role::Output,
        [K(Key::Outputs), Index, K(Key::Data), K(Key::Mime(m))]
        | [K(Key::Outputs), Index, K(Key::Data), K(Key::Mime(m)), Index] => match m {
            Mime::Text => Role::Output,
            Mime::Image => Role::Blank,
            Mime::Unknown => Role::MaybeBinary,
        },
        [K(Key::Outputs), Index, K(Key::Mime(_))] => Role::Blank,
        [K(Key::Attachments), ..] => Role::MaybeBinary,
        _ => Role::Raw,
    }
}

/// True when a raw JSON string's content is base64 (escaped newlines allowed).
fn base64_content(raw: &[u8]) -> bool {
    raw.len() >= 64
        && raw.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\\' | b'n' | b'r')
        })
}

/// The cell being read: its type and its decoded source.
#[derive(Debug, Default)]
struct Cell {
    code: bool,
    source: Decoded,
}

/// Container on the parse stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Object,
    Array,
}

/// What the parser expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    ValueOrEnd,
    Key,
    KeyOrEnd,
    CommaOrEnd,
    Done,
}

impl View {
    /// Reads `data` as a notebook; `None` when it is not valid JSON. Strings on
    /// lines outside `added` are blanked but not decoded.
    pub fn parse(data: &[u8], added: &Added) -> Option<View> {
        let mut p = Parser {
            data,
            added,
            masked: data.to_vec(),
            code: Decoded::default(),
            prose: Decoded::default(),
            cell: None,
            line: 1,
        };
        p.run()?;
        Some(View {
            masked: p.masked,
            code: p.code,
            prose: p.prose,
        })
    }
}

struct Parser<'a> {
    data: &'a [u8],
    added: &'a Added,
    masked: Vec<u8>,
    code: Decoded,
    prose: Decoded,
    cell: Option<Cell>,
    line: u32,
}

impl Parser<'_> {
    fn run(&mut self) -> Option<()> {
        let data = self.data;
        let mut stack: Vec<Frame> = Vec::new();
        let mut path: Vec<Step> = Vec::new();
        let mut expect = Expect::Value;
        let mut i = 0usize;
        loop {
            while i < data.len() && matches!(data[i], b' ' | b'\t' | b'\r' | b'\n') {
                self.line += u32::from(data[i] == b'\n');
                i += 1;
            }
            if i == data.len() {
                return (expect == Expect::Done).then_some(());
            }
            let b = data[i];
            match expect {
                Expect::Done => return None,
                Expect::Value | Expect::ValueOrEnd => {
                    if expect == Expect::ValueOrEnd && b == b']' {
                        i += 1;
                        stack.pop();
                        path.pop();
                        expect = self.closed(&stack, &path, i);
                        continue;
                    }
                    match b {
                        b'{' => {
                            if in_cell(&path) == Some(&[]) {
                                self.cell = Some(Cell::default());
                            }
                            stack.push(Frame::Object);
                            expect = Expect::KeyOrEnd;
                            i += 1;
                        }
                        b'[' => {
                            stack.push(Frame::Array);
                            path.push(Step::Index);
                            expect = Expect::ValueOrEnd;
                            i += 1;
                        }
                        b'"' => {
                            let end = string_end(data, i + 1)?;
                            self.value_string(role(&path), i + 1..end);
                            i = end + 1;
                            expect = after_value(&stack);
                        }
                        _ => {
                            let start = i;
                            while i < data.len()
                                && matches!(data[i], b'a'..=b'z' | b'0'..=b'9' | b'-' | b'+' | b'.' | b'E')
                            {
                                i += 1;
                            }
                            if !scalar(&data[start..i]) {
                                return None;
                            }
                            expect = after_value(&stack);
                        }
                    }
                }
                Expect::Key | Expect::KeyOrEnd => {
                    if expect == Expect::KeyOrEnd && b == b'}' {
                        i += 1;
                        stack.pop();
                        expect = self.closed(&stack, &path, i);
                        continue;
                    }
                    if b != b'"' {
                        return None;
                    }
                    let end = string_end(data, i + 1)?;
                    let key = classify_key(&data[i + 1..end], path.last().copied());
                    path.push(Step::Key(key));
                    i = end + 1;
                    while i < data.len() && matches!(data[i], b' ' | b'\t' | b'\r' | b'\n') {
                        self.line += u32::from(data[i] == b'\n');
                        i += 1;
                    }
                    if data.get(i) != Some(&b':') {
                        return None;
                    }
                    i += 1;
                    expect = Expect::Value;
                }
                Expect::CommaOrEnd => {
                    let top = *stack.last()?;
                    i += 1;
                    match (b, top) {
                        (b',', Frame::Object) => {
                            path.pop();
                            expect = Expect::Key;
                        }
                        (b',', Frame::Array) => expect = Expect::Value,
                        (b'}', Frame::Object) | (b']', Frame::Array) => {
                            stack.pop();
                            path.pop();
                            expect = self.closed(&stack, &path, i);
                        }
                        _ => return None,
                    }
                }
            }
        }
    }

    /// A container just closed at `path` (its parent's step on top): a cell
    /// object that closes hands its source to the code or prose text.
    fn closed(&mut self, stack: &[Frame], path: &[Step], at: usize) -> Expect {
        if in_cell(path) == Some(&[]) {
            if let Some(mut cell) = self.cell.take() {
                let to = if cell.code {
                    &mut self.code
                } else {
                    &mut self.prose
                };
                to.append(&mut cell.source, at);
            }
        }
        after_value(stack)
    }

    /// A string value with `role` whose content (between the quotes) is `raw`.
    fn value_string(&mut self, role: Role, raw: std::ops::Range<usize>) {
        let content = &self.data[raw.clone()];
        let role = match role {
            Role::MaybeBinary if base64_content(content) => Role::Blank,
            Role::MaybeBinary => Role::Output,
            r => r,
        };
        match role {
            Role::Raw => return,
            Role::CellType => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.code = content == b"code";
                }
                return;
            }
            _ => {}
        }
        self.masked[raw.clone()].fill(b' ');
        if role == Role::Blank || !is_added(self.added, self.line) {
            return;
        }
        let target = match (role, self.cell.as_mut()) {
            (Role::Source, Some(cell)) => &mut cell.source,
            _ => &mut self.prose,
        };
        decode_into(self.data, raw.clone(), target);
        if role == Role::Output {
            target.end_block(raw.end);
        }
    }
}

/// True when 1-based `line` is among the added lines.
fn is_added(added: &Added, line: u32) -> bool {
    match added {
        Added::All => true,
        Added::Lines(ranges) => {
            let i = ranges.partition_point(|r| r.end <= line);
            ranges.get(i).is_some_and(|r| r.start <= line)
        }
    }
}

fn after_value(stack: &[Frame]) -> Expect {
    if stack.is_empty() {
        Expect::Done
    } else {
        Expect::CommaOrEnd
    }
}

/// `true`, `false`, `null` or a JSON number.
fn scalar(s: &[u8]) -> bool {
    match s {
        b"true" | b"false" | b"null" => true,
        [] => false,
        _ => {
            let digits = s.strip_prefix(b"-").unwrap_or(s);
            digits.first().is_some_and(u8::is_ascii_digit)
                && digits
                    .iter()
                    .all(|&b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        }
    }
}

/// Offset of the closing quote of the string whose content starts at `from`;
/// `None` for an unterminated string or a raw control character in it.
fn string_end(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let p = i + memchr::memchr2(b'"', b'\\', &data[i..])?;
        if data[i..p].iter().any(|&b| b < 0x20) {
            return None;
        }
        if data[p] == b'"' {
            return Some(p);
        }
        // Skip the escaped byte; `\uXXXX` digits are plain bytes.
        if p + 1 >= data.len() {
            return None;
        }
        i = p + 2;
    }
}

/// Appends the decoded content of the JSON string at `raw` to `out`. Invalid
/// escapes are kept as written (the JSON was already checked to be well formed
/// up to the quotes; a stray `\x` only costs a byte of context).
fn decode_into(data: &[u8], raw: std::ops::Range<usize>, out: &mut Decoded) {
    let mut i = raw.start;
    while i < raw.end {
        let Some(p) = memchr::memchr(b'\\', &data[i..raw.end]).map(|p| i + p) else {
            out.push_literal(&data[i..raw.end], i);
            return;
        };
        out.push_literal(&data[i..p], i);
        let (decoded, len) = unescape(&data[p..raw.end]);
        out.push_escape(decoded.as_bytes(), p);
        i = p + len;
    }
}

/// The text of the escape sequence at the start of `s` and its length.
fn unescape(s: &[u8]) -> (String, usize) {
    let simple = |c: char| (c.to_string(), 2);
    match s.get(1) {
        Some(b'n') => simple('\n'),
        Some(b't') => simple('\t'),
        Some(b'r') => simple('\r'),
        Some(b'b') => simple('\u{8}'),
        Some(b'f') => simple('\u{c}'),
        Some(b'u') => {
            let Some(hi) = hex4(&s[2..]) else {
                return (String::from("\\"), 1);
            };
            // A surrogate pair spells one character in two escapes.
            if (0xD800..0xDC00).contains(&hi) && s.len() >= 12 && &s[6..8] == b"\\u" {
                if let Some(lo) = hex4(&s[8..]).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return (char::from_u32(c).unwrap_or('\u{fffd}').to_string(), 12);
                }
            }
            (char::from_u32(hi).unwrap_or('\u{fffd}').to_string(), 6)
        }
        Some(&c) if c.is_ascii() => simple(c as char),
        _ => (String::from("\\"), 1),
    }
}

fn hex4(s: &[u8]) -> Option<u32> {
    let digits = s.get(..4)?;
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

impl Scanner {
    /// Scans a notebook through its [`View`]; `None` when it is not JSON (the
    /// caller then scans it as text).
    pub(super) fn scan_notebook(
        &self,
        path: &str,
        data: &[u8],
        added: &Added,
        ctx: &FindingContext,
    ) -> Option<Vec<Finding>> {
        let view = View::parse(data, added)?;
        let mut findings = Vec::new();
        for (region, first_line) in regions(&view.masked, added) {
            let text = &view.masked[region];
            let hits = self.scan_text_placed(text, FileKind::Config, Place::of(path));
            findings.extend(self.findings_for_hits(path, text, hits, first_line, ctx));
        }
        let lines = LineIndex::new(data);
        for (decoded, kind) in [(&view.code, FileKind::Code), (&view.prose, FileKind::Other)] {
            for hit in self.scan_text_placed(&decoded.text, kind, Place::of(path)) {
                let text = &decoded.text;
                let at = hit.secret.start;
                let line_start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |p| p + 1);
                let line_end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |p| at + p);
                if super::allows(&text[line_start..line_end]) {
                    continue;
                }
                let raw = decoded.raw_offset(at);
                let (line, start) = lines.locate(raw);
                let column = super::cursor::column(data, start, raw);
                findings.push(self.finding(
                    path,
                    line,
                    column,
                    &hit,
                    &text[hit.secret.clone()],
                    ctx,
                ));
            }
        }
        findings.sort_by_key(|f| (f.line, f.column));
        Some(findings)
    }
}

/// Line starts of a text, for locating offsets in any order.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(data: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', data).map(|p| p + 1));
        LineIndex { starts }
    }

    /// 1-based line of `offset` and the offset where that line starts.
    fn locate(&self, offset: usize) -> (u32, usize) {
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        (i as u32 + 1, self.starts[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title\n", "Some \"quoted\" text"]
  },
  {
   "cell_type": "code",
   "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["hello\n"]},
    {"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "text/plain": ["<Figure>"]}, "output_type": "display_data"}
   ],
   "source": ["x = \"a\\tb\"\n", "print(x)"]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3"}},
 "nbformat": 4
}
"##;

    #[test]
    fn decodes_sources_and_text_outputs_and_blanks_images() {
        let v = View::parse(NB.as_bytes(), &Added::All).unwrap();
        assert_eq!(v.code.text, b"x = \"a\\tb\"\nprint(x)\n");
        assert_eq!(
            std::str::from_utf8(&v.prose.text).unwrap(),
            "# Title\nSome \"quoted\" text\nhello\n<Figure>\n"
        );
        assert_eq!(v.masked.len(), NB.len());
        assert!(!v.masked.windows(8).any(|w| w == b"iVBORw0K"));
        assert!(v.masked.windows(7).any(|w| w == b"python3"));
    }

    #[test]
    fn decoded_offsets_map_back_to_the_file() {
        let v = View::parse(NB.as_bytes(), &Added::All).unwrap();
        let at = v.code.text.iter().position(|&b| b == b'p').unwrap();
        let raw = v.code.raw_offset(at);
        assert_eq!(&NB.as_bytes()[raw..raw + 8], b"print(x)");
        // After an escape the map is exact again.
        let quote = v.code.text.iter().position(|&b| b == b'a').unwrap();
        assert_eq!(NB.as_bytes()[v.code.raw_offset(quote)], b'a');
    }

    #[test]
    fn only_strings_on_added_lines_are_decoded() {
        let v = View::parse(NB.as_bytes(), &Added::Lines(vec![14..15, 40..40])).unwrap();
        assert_eq!(v.code.text, b"x = \"a\\tb\"\nprint(x)\n");
        assert!(v.prose.text.is_empty());
    }

    #[test]
    fn invalid_json_has_no_view() {
        assert!(View::parse(b"{\"cells\": [", &Added::All).is_none());
        assert!(View::parse(b"{\"a\": 1} x", &Added::All).is_none());
        assert!(View::parse(b"{\"a\" 1}", &Added::All).is_none());
        assert!(View::parse(b"[1, 2", &Added::All).is_none());
    }

    #[test]
    fn unescape_handles_unicode_and_surrogates() {
        assert_eq!(unescape(br"\u00e9"), ("é".to_string(), 6));
        assert_eq!(unescape(br"\ud83d\ude00"), ("😀".to_string(), 12));
        assert_eq!(unescape(br#"\""#), ("\"".to_string(), 2));
    }

    #[test]
    fn notebook_names() {
        assert!(is_notebook("nb/Analysis.IPYNB"));
        assert!(!is_notebook("ipynb"));
        assert!(!is_notebook("x.ipynb.bak"));
    }
}
