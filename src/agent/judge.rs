//! Deciding an event: the content goes through the same [`Pipeline`] as a
//! staged file (rules, placeholder judgement, path-aware detectors,
//! `skip_paths`, the baseline of the repository holding the path, inline
//! `keyhook:allow`), and shell commands also through [`super::shell`]. For a
//! file edit, the new content is computed from the file on disk and only the
//! lines it adds count, exactly as in a commit of that edit.

use super::event::{Event, FileChange, FileOp, Parsed, Replace};
use super::shell;
use crate::config::Config;
use crate::finding::Finding;
use crate::pipeline::Pipeline;
use crate::scan::Added;
use anyhow::{Context, Result};
use std::path::{Component, Path, PathBuf};

/// What keyhook decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Let it happen.
    Allow,
    /// Refuse it.
    Deny(Refusal),
}

/// Why an event was refused, written for the model and the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// One line: what was refused.
    pub headline: String,
    /// The findings, one block each (redacted).
    pub details: Vec<String>,
    /// What to do instead.
    pub instead: String,
}

impl Refusal {
    /// The whole reason as text (stderr, Cursor's `agent_message`).
    pub fn text(&self) -> String {
        let mut s = self.headline.clone();
        for d in &self.details {
            s.push('\n');
            s.push_str(d);
        }
        s.push('\n');
        s.push_str(&self.instead);
        s
    }
}

/// Judges a parsed event.
pub fn judge(parsed: &Parsed) -> Result<Verdict> {
    let cwd = match &parsed.cwd {
        Some(c) => c.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    match &parsed.event {
        Event::Other => Ok(Verdict::Allow),
        Event::Prompt { text } => prompt(&cwd, text),
        Event::Shell { command } => command_line(&cwd, command),
        Event::File(change) => file(&cwd, change),
        Event::ToolArgs { tool, args } => tool_args(&cwd, tool, args),
    }
}

/// The pipeline of the repository holding `dir` (its config, baseline and
/// salt), and that repository's work tree; defaults outside a repository.
fn pipeline_for(dir: &Path) -> Result<(Pipeline, Option<PathBuf>)> {
    let start = existing_ancestor(dir);
    match git2::Repository::discover(&start) {
        Ok(repo) if repo.workdir().is_some() => {
            let root = repo.workdir().expect("checked").to_path_buf();
            let pipeline = Pipeline::load(&root, Some(repo.commondir()))?;
            Ok((pipeline, Some(root)))
        }
        _ => Ok((Pipeline::new(&Config::default(), Default::default())?, None)),
    }
}

/// `dir` or its nearest ancestor that exists (an agent may write into a
/// directory it is about to create).
fn existing_ancestor(dir: &Path) -> PathBuf {
    let mut d = dir.to_path_buf();
    while !d.is_dir() {
        if !d.pop() {
            return PathBuf::from(".");
        }
    }
    d
}

fn prompt(cwd: &Path, text: &str) -> Result<Verdict> {
    let (pipeline, _) = pipeline_for(cwd)?;
    let report = pipeline.check_content("prompt", text.as_bytes(), &Added::All);
    if report.findings.is_empty() {
        return Ok(Verdict::Allow);
    }
    let n = report.findings.len();
    Ok(Verdict::Deny(Refusal {
        headline: format!(
            "keyhook: prompt blocked before it reached the model: it holds {}",
            crate::report::plural(n, "secret", "secrets")
        ),
        details: report.findings.iter().map(|f| brief(f, "prompt line")).collect(),
        instead: "Remove the key from the prompt and refer to it instead (\"the key is in $OPENAI_API_KEY\"). If it was pasted from a live account, rotate it now: pasted keys end up in terminal scrollback and clipboard history.".to_string(),
    }))
}

fn command_line(cwd: &Path, command: &str) -> Result<Verdict> {
    let bypasses = shell::bypasses(command);
    let (pipeline, _) = pipeline_for(cwd)?;
    let report = pipeline.check_content("command", command.as_bytes(), &Added::All);
    if bypasses.is_empty() && report.findings.is_empty() {
        return Ok(Verdict::Allow);
    }
    let mut details: Vec<String> = bypasses
        .iter()
        .map(|b| format!("  switches keyhook's git hooks off: {}", b.what))
        .collect();
    details.extend(report.findings.iter().map(|f| brief(f, "command line")));
    let mut instead = Vec::new();
    if !bypasses.is_empty() {
        instead.push("Do not skip or disable the hook: it stopped a secret. Run `keyhook pre-commit` to see the finding, move the value to an environment variable or an ignored .env file (rotate it if it was real), then commit normally. If the user decides it is not a secret, they can accept it with `keyhook baseline review`.");
    }
    if !report.findings.is_empty() {
        instead.push("Do not put keys on a command line (they land in shell history, process lists and the transcript): reference an environment variable the user sets, e.g. \"$API_KEY\".");
    }
    Ok(Verdict::Deny(Refusal {
        headline: if bypasses.is_empty() {
            "keyhook: command blocked: it holds a secret".to_string()
        } else {
            "keyhook: command blocked: it switches keyhook's git hooks off".to_string()
        },
        details,
        instead: instead.join(" "),
    }))
}

/// An MCP tool call's arguments, judged as the JSON document they are.
fn tool_args(cwd: &Path, tool: &str, args: &str) -> Result<Verdict> {
    let (pipeline, _) = pipeline_for(cwd)?;
    let report = pipeline.check_content("mcp-tool-input.json", args.as_bytes(), &Added::All);
    if report.findings.is_empty() {
        return Ok(Verdict::Allow);
    }
    let n = report.findings.len();
    Ok(Verdict::Deny(Refusal {
        headline: format!(
            "keyhook: MCP tool call {tool} blocked: its arguments hold {}",
            crate::report::plural(n, "secret", "secrets")
        ),
        details: report.findings.iter().map(|f| brief(f, "arguments line")).collect(),
        instead: "Do not pass a key in a tool call's arguments: they go to the MCP server and stay in the transcript. Let the server read the key from its own environment (the `env` of its entry in the MCP configuration, set by the user), or ask the user to do the step that needs it. If the key came from a live account, the user should rotate it.".to_string(),
    }))
}

fn file(cwd: &Path, change: &FileChange) -> Result<Verdict> {
    let abs = lexical(&cwd.join(&change.path));
    let dir = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    let (pipeline, root) = pipeline_for(&dir)?;
    let rel = repo_relative(&abs, root.as_deref());
    let current = match std::fs::read(&abs) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", abs.display())),
    };
    let (new, added) = new_content(current.as_deref(), &change.op);
    let mut report = pipeline.check_content(&rel, &new, &added);
    // "This env file or transcript is being committed" is about a commit;
    // writing `.env.local` is where a value belongs (its content is still judged).
    report.findings.retain(|f| !crate::detect::is_file_level(f));
    if report.findings.is_empty() {
        return Ok(Verdict::Allow);
    }
    let n = report.findings.len();
    let mut details = Vec::new();
    for f in &report.findings {
        details.push(format!(
            "  {}:{}:{}  {}  {}\n    why: {}\n    fix: {}",
            f.path, f.line, f.column, f.rule_name, f.redacted, f.why, f.fix
        ));
    }
    Ok(Verdict::Deny(Refusal {
        headline: format!(
            "keyhook: write to {rel} blocked: the new content holds {}",
            crate::report::plural(n, "secret", "secrets")
        ),
        details,
        instead: "Write the file without the literal value: read it from the environment (process.env.NAME, os.environ[\"NAME\"]) or a secret store, and leave the real value to the user in an ignored .env file. For a sample, use an obvious placeholder such as \"your-api-key-here\". If the user decides it is not a secret, they can accept it with `keyhook baseline review`.".to_string(),
    }))
}

/// The lines of `new` that are not in `old`. Should the diff fail, every line
/// counts as new: judging more than the change never lets a key through.
fn changed_lines(old: &[u8], new: &[u8]) -> Added {
    crate::source::line_diff(old, new).map_or(Added::All, Added::Lines)
}

/// The file's content after `op`, and which of its lines are new.
fn new_content(current: Option<&[u8]>, op: &FileOp) -> (Vec<u8>, Added) {
    match op {
        FileOp::Fragment(text) => (text.as_bytes().to_vec(), Added::All),
        FileOp::Write(text) => {
            let new = text.as_bytes().to_vec();
            let added = match current {
                Some(old) => changed_lines(old, &new),
                None => Added::All,
            };
            (new, added)
        }
        FileOp::Edit(edits) => {
            let base = current.unwrap_or_default();
            match apply(base, edits) {
                Some(new) => {
                    let added = changed_lines(base, &new);
                    (new, added)
                }
                // The tool itself will fail on a missing old_string; judge the
                // replacement text alone so nothing slips through unjudged.
                None => {
                    let joined: Vec<&str> = edits.iter().map(|e| e.new.as_str()).collect();
                    (joined.join("\n").into_bytes(), Added::All)
                }
            }
        }
    }
}

/// Applies replacements in order; `None` when an `old_string` is not there.
fn apply(base: &[u8], edits: &[Replace]) -> Option<Vec<u8>> {
    let mut text = base.to_vec();
    for e in edits {
        if e.old.is_empty() {
            // Claude's Edit with an empty old_string creates the file.
            if text.is_empty() {
                text = e.new.as_bytes().to_vec();
                continue;
            }
            return None;
        }
        let old = e.old.as_bytes();
        let finder = memchr::memmem::Finder::new(old);
        let mut out = Vec::with_capacity(text.len() + e.new.len());
        let mut last = 0;
        let mut found = false;
        for pos in finder.find_iter(&text) {
            if pos < last {
                continue;
            }
            out.extend_from_slice(&text[last..pos]);
            out.extend_from_slice(e.new.as_bytes());
            last = pos + old.len();
            found = true;
            if !e.all {
                break;
            }
        }
        if !found {
            return None;
        }
        out.extend_from_slice(&text[last..]);
        text = out;
    }
    Some(text)
}

/// `path` relative to the work tree, with `/` separators, as a commit would
/// name it; outside a repository, the path as given.
fn repo_relative(abs: &Path, root: Option<&Path>) -> String {
    let rel = root.and_then(|r| {
        let r = lexical(&std::fs::canonicalize(r).unwrap_or_else(|_| r.to_path_buf()));
        let dir = abs.parent().map(existing_ancestor).unwrap_or_default();
        let canon_dir = std::fs::canonicalize(&dir).unwrap_or(dir.clone());
        let tail = abs.strip_prefix(&dir).ok()?;
        canon_dir
            .join(tail)
            .strip_prefix(&r)
            .ok()
            .map(Path::to_path_buf)
    });
    let p = rel.unwrap_or_else(|| abs.to_path_buf());
    p.to_string_lossy().replace('\\', "/")
}

/// Removes `.` and `..` without touching the file system (the file may not exist).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// One finding in a prompt or command: where, what, and the advice.
fn brief(f: &Finding, place: &str) -> String {
    format!(
        "  {place} {}:{}  {}  {}\n    fix: {}",
        f.line, f.column, f.rule_name, f.redacted, f.fix
    )
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn edit(old: &str, new: &str, all: bool) -> Replace {
        Replace {
            old: old.into(),
            new: new.into(),
            all,
        }
    }

    #[test]
    fn edits_apply_in_order() {
        let out = apply(b"a=1\nb=2\na=1\n", &[edit("a=1", "a=3", false)]).unwrap();
        assert_eq!(out, b"a=3\nb=2\na=1\n");
        let out = apply(b"a=1\nb=2\na=1\n", &[edit("a=1", "a=3", true)]).unwrap();
        assert_eq!(out, b"a=3\nb=2\na=3\n");
        let out = apply(b"x\n", &[edit("x", "y", false), edit("y", "z", false)]).unwrap();
        assert_eq!(out, b"z\n");
        assert_eq!(apply(b"x\n", &[edit("nope", "y", false)]), None);
    }

    #[test]
    fn only_new_lines_count_for_edits_and_rewrites() {
        let (new, added) = new_content(
            Some(b"one\ntwo\nthree\n"),
            &FileOp::Edit(vec![edit("two", "two\nNEW", false)]),
        );
        assert_eq!(new, b"one\ntwo\nNEW\nthree\n");
        assert_eq!(added, Added::Lines(vec![3..4]));
        let (_, added) = new_content(
            Some(b"one\ntwo\n"),
            &FileOp::Write("one\ntwo\nthree\n".into()),
        );
        assert_eq!(added, Added::Lines(vec![3..4]));
        let (_, added) = new_content(None, &FileOp::Write("x\n".into()));
        assert_eq!(added, Added::All);
    }
}
