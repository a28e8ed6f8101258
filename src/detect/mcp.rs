//! Agent and MCP configuration with inline credentials. `.mcp.json`,
//! `.cursor/mcp.json`, `.vscode/mcp.json`, `.codex/config.toml` and the like are
//! committed so a team shares its tools; a literal credential in a server's
//! `env`, `headers` or `args` is shared with them. The place is the evidence: a
//! secret-named entry with a literal value is a finding even when the value
//! matches no provider format, while `${env:X}`, `${input:x}`, `$X` and
//! `{{...}}` references are what belongs there.
//!
//! A file that parses (JSON, or TOML for Codex) is walked as a tree, so an
//! `args` flag and its value are paired wherever the line breaks fall; one that
//! does not (JSONC comments, YAML, a half-edited file) is read line by line.

use super::assign::{self, Strictness};
use super::lines::{self, Cursor};
use super::transcripts::AiFile;
use super::{covered, File, Label};
use crate::finding::{Finding, Pattern};
use serde_json::Value;

/// Rule id for a literal credential no provider rule matched.
pub const RULE: &str = "keyhook.mcp-literal";

/// A credential-looking entry: its name, where it sits, and its byte range in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    name: String,
    place: String,
    start: usize,
    end: usize,
}

/// Runs the MCP checks and labels every finding in the file.
pub fn detect(ai: &AiFile, file: &File<'_>, findings: &mut Vec<Finding>) {
    let mut candidates = match parse(file.path, file.data) {
        Some(tree) => from_tree(&tree, file.data),
        None => from_lines(file.data),
    };
    candidates.sort_by_key(|c| c.start);
    let mut cursor = Cursor::new(file.data, 1);
    for c in candidates {
        let (no, range) = cursor.line_of(c.start);
        let line = &file.data[range.clone()];
        if !lines::reportable_line(file.added, no, line) {
            continue;
        }
        let col = lines::column(file.data, range.start, c.start);
        let end = lines::column(file.data, range.start, c.end);
        let value = &file.data[c.start..c.end];
        if covered(findings, no, col..end.max(col + 1))
            || !assign::is_literal_secret(value, Strictness::Literal, file.scanner.policy())
        {
            continue;
        }
        let label = Label {
            rule: RULE,
            name: "Literal credential in an MCP server config".into(),
            pattern: Pattern::McpConfig,
            why: format!(
                "`{}` {} holds a literal value, not a reference",
                c.name, c.place
            ),
            fix: String::new(),
        };
        findings.push(file.finding(no, col, value, label));
    }
    for f in findings.iter_mut() {
        f.pattern = Pattern::McpConfig;
        f.why = format!(
            "in {}'s agent configuration, which is committed and shared with every clone; {}",
            ai.tool, f.why
        );
        f.fix = FIX.into();
    }
}

/// Advice for a literal credential in an agent configuration.
const FIX: &str = "reference it instead of writing it (`${env:NAME}` in VS Code and Cursor, `${NAME}` in Claude Code's .mcp.json, `${input:id}` to prompt for it) and set the value outside the repository; rotate the key";

/// Parses JSON, or TOML for `.toml` files; `None` when the file does not parse.
fn parse(path: &str, data: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(data).ok()?;
    if path.ends_with(".toml") {
        let t: toml::Value = toml::from_str(text).ok()?;
        serde_json::to_value(t).ok()
    } else {
        serde_json::from_str(text).ok()
    }
}

/// Candidates from a parsed tree, located in the raw text.
fn from_tree(tree: &Value, data: &[u8]) -> Vec<Candidate> {
    let mut found: Vec<(String, String, String)> = Vec::new();
    walk(tree, "", &mut found);
    let mut used: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (name, place, value) in found {
        let skip = assign::auth_scheme_len(value.as_bytes());
        let cred = &value.as_bytes()[skip..];
        if cred.is_empty() {
            continue;
        }
        // The same literal may occur more than once: take the first unused one.
        let Some(start) = memchr::memmem::find_iter(data, cred).find(|p| !used.contains(p)) else {
            continue;
        };
        used.push(start);
        out.push(Candidate {
            name,
            place,
            start,
            end: start + cred.len(),
        });
    }
    out
}

/// Collects (name, place, value) for secret-named strings, `args` and URLs.
fn walk(v: &Value, parent: &str, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match child {
                    Value::String(s) if assign::is_secret_name(k) => {
                        out.push((k.clone(), place(parent), s.clone()))
                    }
                    Value::String(s) if k.to_ascii_lowercase().ends_with("url") => {
                        url_params(s, out)
                    }
                    Value::Array(items) if k == "args" => {
                        let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                        for (name, value) in args(&strings) {
                            out.push((name, "in a server's `args`".into(), value.to_string()));
                        }
                    }
                    _ => walk(child, k, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk(i, parent, out)),
        _ => {}
    }
}

fn place(parent: &str) -> String {
    if parent.is_empty() {
        "at the top level".into()
    } else {
        format!("under `{parent}`")
    }
}

/// `--api-key=v`, `--token v`, `Authorization: Bearer v`, `-e KEY=v`: the
/// credentials an `args` list passes, as (name, value).
fn args<'a>(items: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let flag = item.trim_start_matches('-');
        if let Some((name, value)) = flag.split_once('=') {
            if assign::is_secret_name(name) && !name.contains(' ') {
                out.push((name.to_string(), value));
            }
        } else if let Some((name, value)) = item.split_once(':') {
            if assign::is_secret_name(name) && !name.contains(' ') {
                out.push((name.to_string(), value.trim_start()));
            }
        } else if item.starts_with('-') && assign::is_secret_name(flag) {
            if let Some(next) = items.get(i + 1).filter(|n| !n.starts_with('-')) {
                out.push((flag.to_string(), next));
            }
        }
    }
    out
}

/// Secret-named query parameters of a server URL (`...?api_key=...`).
fn url_params(url: &str, out: &mut Vec<(String, String, String)>) {
    let Some((_, query)) = url.split_once('?') else {
        return;
    };
    for pair in query.split('&') {
        if let Some((name, value)) = pair.split_once('=') {
            if assign::is_secret_name(name) {
                out.push((
                    name.to_string(),
                    "in a server URL's query".into(),
                    value.to_string(),
                ));
            }
        }
    }
}

/// Candidates from raw lines, for files that do not parse: every secret-named
/// pair, plus flags among the quoted strings (`"--token", "..."`).
fn from_lines(data: &[u8]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut quoted: Vec<(usize, &str)> = Vec::new();
    for (_, r) in lines::all(data) {
        let line = &data[r.clone()];
        for a in assign::pairs(line) {
            let name = String::from_utf8_lossy(&line[a.name.clone()]).into_owned();
            if assign::is_secret_name(&name) {
                let skip = assign::auth_scheme_len(&line[a.value.clone()]);
                out.push(Candidate {
                    name,
                    place: "in the file".into(),
                    start: r.start + a.value.start + skip,
                    end: r.start + a.value.end,
                });
            }
        }
        let mut rest = r.start;
        while let Some(open) = memchr::memchr(b'"', &data[rest..r.end]) {
            let s = rest + open + 1;
            let Some(close) = memchr::memchr(b'"', &data[s..r.end]) else {
                break;
            };
            if let Ok(text) = std::str::from_utf8(&data[s..s + close]) {
                quoted.push((s, text));
            }
            rest = s + close + 1;
        }
    }
    let strings: Vec<&str> = quoted.iter().map(|(_, s)| *s).collect();
    for (name, value) in args(&strings) {
        // Find which quoted string (or part of one) the value came from.
        if let Some((start, text)) = quoted.iter().find(|(_, s)| {
            let (sp, vp) = (s.as_ptr() as usize, value.as_ptr() as usize);
            vp >= sp && vp + value.len() <= sp + s.len()
        }) {
            let offset = start + (value.as_ptr() as usize - text.as_ptr() as usize);
            let skip = assign::auth_scheme_len(value.as_bytes());
            if !out.iter().any(|c: &Candidate| c.start == offset + skip) {
                out.push(Candidate {
                    name,
                    place: "in a server's `args`".into(),
                    start: offset + skip,
                    end: offset + value.len(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_pairs() {
        let got = args(&[
            "-y",
            "--api-key=abc",
            "--token",
            "def",
            "--header",
            "Authorization:Bearer ghi",
            "-e",
            "GITHUB_TOKEN=jkl",
            "--verbose",
        ]);
        let got: Vec<(&str, &str)> = got.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        assert_eq!(
            got,
            [
                ("api-key", "abc"),
                ("token", "def"),
                ("Authorization", "Bearer ghi"),
                ("GITHUB_TOKEN", "jkl")
            ]
        );
    }

    #[test]
    fn tree_candidates_are_located_in_the_text() {
        let text = r#"{"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "t0ken-value-1"},
  "args": ["--api-key", "k3y-value-2"], "url": "https://x/mcp?api_key=q-value-3"}}}"#;
        let tree: Value = serde_json::from_str(text).unwrap();
        let mut got: Vec<(String, &str)> = from_tree(&tree, text.as_bytes())
            .into_iter()
            .map(|c| (c.name, &text[c.start..c.end]))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("GITHUB_TOKEN".to_string(), "t0ken-value-1"),
                ("api-key".to_string(), "k3y-value-2"),
                ("api_key".to_string(), "q-value-3"),
            ]
        );
    }

    #[test]
    fn codex_toml_is_walked_like_json() {
        let text = "[mcp_servers.github]\ncommand = \"npx\"\n\n[mcp_servers.github.env]\nGITHUB_TOKEN = \"t0ken-value-1\"\nOTHER_TOKEN = \"${env:X}\"\n";
        let tree = parse(".codex/config.toml", text.as_bytes()).unwrap();
        let got: Vec<(String, &str)> = from_tree(&tree, text.as_bytes())
            .into_iter()
            .map(|c| (c.place, &text[c.start..c.end]))
            .collect();
        assert_eq!(
            got,
            [
                ("under `env`".to_string(), "t0ken-value-1"),
                ("under `env`".to_string(), "${env:X}")
            ]
        );
        assert!(parse(".mcp.json", b"{ // comment\n}").is_none());
    }

    #[test]
    fn line_candidates_survive_broken_json() {
        let text = "{ // comment\n \"env\": { \"API_TOKEN\": \"abc123xyz\",\n \"args\": [\"--token\",\n \"zzz999qqq\"";
        let got: Vec<&str> = from_lines(text.as_bytes())
            .into_iter()
            .map(|c| &text[c.start..c.end])
            .collect();
        assert_eq!(got, ["abc123xyz", "zzz999qqq"]);
    }
}
