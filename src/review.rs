//! The conversation behind `keyhook baseline review`: show one finding at a
//! time with a few lines of context, every secret in them redacted, and ask
//! whether to accept it (with a reason) or leave it blocked. The loop reads any
//! `BufRead` and writes any `Write`, so it is tested without a terminal; the
//! command itself insists on one.

use crate::finding::Finding;
use crate::redact::redact;
use crate::scan::Scanner;
use std::io::{self, BufRead, Write};
use std::ops::Range;

/// Context lines shown above and below a finding.
pub const CONTEXT_LINES: u32 = 2;

/// Longest context line shown, in characters (minified files have megabyte lines).
const MAX_COLS: usize = 160;

/// One line of context, already redacted and made safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextLine {
    /// 1-based line number.
    pub number: u32,
    /// The text, secrets redacted, control characters replaced.
    pub text: String,
}

/// A finding to ask about, with its context.
#[derive(Debug, Clone)]
pub struct Item {
    /// The finding.
    pub finding: Finding,
    /// Lines around it (possibly only the finding's own line).
    pub context: Vec<ContextLine>,
}

/// What the reviewer decided about one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not a secret, for this reason.
    Accept(String),
    /// Still blocks.
    Leave,
}

/// The lines around `finding` in `data` (the file as staged), with every
/// secret the scanner finds in them redacted, and the finding's own value
/// masked from its column even if the scanner does not see it on its own line.
/// For a rule whose secret spans lines (a private key), lines below are not
/// shown at all: they would be the key.
pub fn context(scanner: &Scanner, data: &[u8], finding: &Finding) -> Vec<ContextLine> {
    let multiline = scanner
        .rules()
        .get(&finding.rule)
        .is_some_and(|r| r.multiline > 0);
    let first = finding.line.saturating_sub(CONTEXT_LINES).max(1);
    let last = if multiline {
        finding.line
    } else {
        finding.line + CONTEXT_LINES
    };
    let lines = line_ranges(data, first, last);
    let (Some(start), Some(end)) = (lines.first(), lines.last()) else {
        return Vec::new();
    };
    let block_start = start.1.start;
    let block = &data[block_start..end.1.end];
    let mut masks: Vec<Range<usize>> = scanner
        .scan_text(block)
        .into_iter()
        .map(|h| h.secret.start + block_start..h.secret.end + block_start)
        .collect();
    if let Some((_, own)) = lines.iter().find(|(n, _)| *n == finding.line) {
        let at = own.start + byte_offset(&data[own.clone()], finding.column);
        if !masks.iter().any(|m| m.start == at) {
            // Not found again on its own (context-dependent rule): hide the rest of the line.
            masks.retain(|m| !(m.start < own.end && at < m.end));
            masks.push(at..own.end);
        }
    }
    masks.sort_by_key(|m| m.start);
    lines
        .into_iter()
        .map(|(number, range)| {
            let focus = (number == finding.line).then_some(finding.column as usize);
            ContextLine {
                number,
                text: render_line(data, range, &masks, focus),
            }
        })
        .collect()
}

/// Byte ranges (without newline or carriage return) of lines `first..=last`.
fn line_ranges(data: &[u8], first: u32, last: u32) -> Vec<(u32, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut number = 1u32;
    while start <= data.len() && number <= last {
        if start == data.len() && number > 1 {
            break; // after the final newline: no line there
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        if number >= first {
            let trimmed = if end > start && data[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            out.push((number, start..trimmed));
        }
        if end == data.len() {
            break;
        }
        start = end + 1;
        number += 1;
    }
    out
}

/// Byte offset of 1-based character `column` in `line`, counting characters
/// as the scanner does (lossy UTF-8: each invalid sequence is one character).
fn byte_offset(line: &[u8], column: u32) -> usize {
    let mut left = column.saturating_sub(1) as usize;
    let mut at = 0usize;
    for chunk in line.utf8_chunks() {
        for (i, _) in chunk.valid().char_indices() {
            if left == 0 {
                return at + i;
            }
            left -= 1;
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            if left == 0 {
                return at;
            }
            left -= 1;
            at += chunk.invalid().len();
        }
    }
    line.len()
}

/// One line with masked ranges replaced by their redaction, control characters
/// replaced (no terminal escapes from file content), and cut to `MAX_COLS`
/// characters around `focus` (a column) when long.
fn render_line(
    data: &[u8],
    range: Range<usize>,
    masks: &[Range<usize>],
    focus: Option<usize>,
) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(range.len().min(4 * MAX_COLS));
    let mut focus_char = 0usize;
    let mut pos = range.start;
    let push_text = |chars: &mut Vec<char>, bytes: &[u8]| {
        chars.extend(String::from_utf8_lossy(bytes).chars().map(|c| {
            if c.is_control() && c != '\t' {
                '?'
            } else {
                c
            }
        }));
    };
    for m in masks
        .iter()
        .filter(|m| m.start < range.end && range.start < m.end)
    {
        if m.start > pos {
            push_text(&mut chars, &data[pos..m.start]);
        }
        if m.start >= range.start {
            focus_char = chars.len();
            chars.extend(redact(&data[m.clone()]).chars());
        } else {
            // A secret continued from an earlier line.
            chars.extend("****".chars());
        }
        pos = m.end.min(range.end).max(pos);
    }
    if pos < range.end {
        push_text(&mut chars, &data[pos..range.end]);
    }
    if chars.len() <= MAX_COLS {
        return chars.into_iter().collect();
    }
    let from = match focus {
        Some(_) => focus_char.saturating_sub(MAX_COLS / 4),
        None => 0,
    }
    .min(chars.len() - MAX_COLS);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..from + MAX_COLS]);
    if from + MAX_COLS < chars.len() {
        out.push('…');
    }
    out
}

/// Shows one item.
fn show(out: &mut dyn Write, index: usize, total: usize, item: &Item) -> io::Result<()> {
    let f = &item.finding;
    writeln!(out)?;
    writeln!(
        out,
        "[{}/{}] {}:{}:{}  {}  {}",
        index + 1,
        total,
        f.path,
        f.line,
        f.column,
        f.rule_name,
        f.redacted
    )?;
    writeln!(out, "    rule: {} ({})", f.rule, f.pattern.as_str())?;
    writeln!(out, "    why: {}", f.why)?;
    let width = item
        .context
        .last()
        .map_or(1, |l| l.number.to_string().len());
    for l in &item.context {
        let mark = if l.number == f.line { '>' } else { ' ' };
        writeln!(out, "  {mark} {:>width$} | {}", l.number, l.text)?;
    }
    Ok(())
}

/// Reads one line; `None` at end of input.
fn read_answer(input: &mut dyn BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

/// Asks about each item in turn. Enter or `n` leaves a finding blocked; `y`
/// asks for a reason (required: the baseline is reviewed by others); `q` or
/// the end of input leaves the rest blocked. Returns one decision per item.
pub fn ask(
    items: &[Item],
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<Vec<Decision>> {
    let mut decisions = vec![Decision::Leave; items.len()];
    'items: for (i, item) in items.iter().enumerate() {
        // The same value again in the same file under the same rule is the
        // same baseline entry: accepting one accepted both.
        let same = |j: usize| {
            let (a, b) = (&items[j].finding, &item.finding);
            (&a.path, &a.rule, &a.fingerprint) == (&b.path, &b.rule, &b.fingerprint)
        };
        if let Some(j) = (0..i).find(|&j| same(j) && decisions[j] != Decision::Leave) {
            let f = &item.finding;
            writeln!(
                out,
                "\n[{}/{}] {}:{}:{}  same value as [{}/{}], accepted with it",
                i + 1,
                items.len(),
                f.path,
                f.line,
                f.column,
                j + 1,
                items.len()
            )?;
            decisions[i] = decisions[j].clone();
            continue;
        }
        show(out, i, items.len(), item)?;
        loop {
            write!(
                out,
                "accept as not a secret? [y]es / [N]o, leave it blocked / [q]uit: "
            )?;
            out.flush()?;
            let Some(answer) = read_answer(input)? else {
                break 'items;
            };
            match answer.to_ascii_lowercase().as_str() {
                "y" | "yes" => {
                    loop {
                        write!(out, "reason (e.g. test fixture, revoked key): ")?;
                        out.flush()?;
                        let Some(reason) = read_answer(input)? else {
                            break 'items;
                        };
                        if !reason.is_empty() {
                            decisions[i] = Decision::Accept(reason);
                            continue 'items;
                        }
                        writeln!(out, "a reason is required (it is kept in the baseline for the next reviewer)")?;
                    }
                }
                "" | "n" | "no" => continue 'items,
                "q" | "quit" => break 'items,
                _ => writeln!(out, "please answer y, n or q")?,
            }
        }
    }
    writeln!(out)?;
    Ok(decisions)
}

#[cfg(test)]
mod tests;
