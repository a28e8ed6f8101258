//! AI tool files by path: chat transcripts and session logs (staging one is a
//! finding by itself, and every key inside is labelled as pasted into that
//! tool), and agent/MCP configurations (handed to [`super::mcp`]).
//!
//! The list is data (`ai_files.toml`, embedded), extended by `[ai_files]` in
//! `.keyhook.toml`. One [`GlobSet`] answers "which tool wrote this?" for every
//! path, so a file that is neither costs one set lookup.

use super::File;
use crate::finding::{Finding, Pattern};
use anyhow::{Context, Result};
use globset::{GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::sync::OnceLock;

// `BUILTIN: &[(tool, kind, Role, globs)]`: `ai_files.toml`, parsed and
// checked by build.rs, so a commit parses no TOML.
include!(concat!(env!("OUT_DIR"), "/embedded_ai_files.rs"));

/// Rule id of the file-level transcript finding.
pub const RULE: &str = "keyhook.ai-transcript";

/// What kind of AI tool file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A transcript, session log or local state: must not be committed.
    Transcript,
    /// Agent/MCP configuration: fine to commit without literal credentials.
    AgentConfig,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiFile {
    /// The tool that writes the file (`aider`, `Claude Code`).
    pub tool: String,
    /// What the file is (`chat history`, `session log`); empty for configs.
    pub kind: String,
    /// Transcript or configuration.
    pub role: Role,
}

/// The compiled catalogue: built-in entries, then the configured ones.
#[derive(Debug)]
pub struct Catalog {
    /// Compiled on the first path that contains an anchor: most commits touch
    /// no AI file, and compiling the globs costs more than the rest of a small
    /// commit's start-up.
    set: OnceLock<GlobSet>,
    globs: Vec<String>,
    /// The longest literal run of each glob: a path containing none of them
    /// cannot match, whatever the wildcards say.
    anchors: Vec<String>,
    /// For each glob in `set`, the entry it belongs to.
    owner: Vec<usize>,
    entries: Vec<AiFile>,
}

impl Catalog {
    /// Compiles the built-in list plus `extra` (tool name → globs, from
    /// `[ai_files]`); configured entries are transcripts.
    pub fn new(extra: &BTreeMap<String, Vec<String>>) -> Result<Catalog> {
        let mut list: Vec<(AiFile, Vec<String>)> = Vec::new();
        for &(tool, kind, role, globs) in BUILTIN {
            let file = AiFile {
                tool: tool.to_string(),
                kind: kind.to_string(),
                role,
            };
            list.push((file, globs.iter().map(|g| g.to_string()).collect()));
        }
        for (tool, globs) in extra {
            let file = AiFile {
                tool: tool.clone(),
                kind: "transcript".into(),
                role: Role::Transcript,
            };
            list.push((file, globs.clone()));
        }
        let mut compiled = Vec::new();
        let mut anchors = Vec::new();
        let mut owner = Vec::new();
        let mut entries = Vec::new();
        let builtin = list.len() - extra.len();
        for (i, (file, globs)) in list.into_iter().enumerate() {
            for g in globs {
                // Configured globs are checked now, so a typo is a config error;
                // built-in ones are compiled with the set, on first use.
                if i >= builtin {
                    anywhere(&g).with_context(|| format!("ai_files: {}", file.tool))?;
                }
                anchors.push(anchor(&g));
                compiled.push(g);
                owner.push(i);
            }
            entries.push(file);
        }
        Ok(Catalog {
            set: OnceLock::new(),
            globs: compiled,
            anchors,
            owner,
            entries,
        })
    }

    /// The first entry whose globs match `path`.
    pub fn lookup(&self, path: &str) -> Option<&AiFile> {
        if !self.anchors.iter().any(|a| path.contains(a.as_str())) {
            return None;
        }
        let set = self.set.get_or_init(|| {
            let mut b = GlobSetBuilder::new();
            for g in &self.globs {
                b.add(anywhere(g).expect("built-in globs are valid; configured ones were checked"));
            }
            b.build().expect("valid globs build as a set")
        });
        let first = set.matches(path).into_iter().min()?;
        Some(&self.entries[self.owner[first]])
    }
}

/// The longest run of a glob without wildcard characters (`.aider.chat` of
/// `.aider.chat.history.md`, `.specstory/history/` of `.specstory/history/**`).
fn anchor(pattern: &str) -> String {
    pattern
        .split(['*', '?', '[', ']', '{', '}', '!'])
        .max_by_key(|run| run.len())
        .unwrap_or("")
        .to_string()
}

/// A glob that matches at any depth: these files turn up wherever a tool ran
/// (`packages/web/.aider.chat.history.md`, a committed home directory).
fn anywhere(pattern: &str) -> Result<globset::Glob> {
    let p = pattern.trim_start_matches('/');
    if p.starts_with("**/") {
        crate::paths::glob(p)
    } else {
        crate::paths::glob(&format!("**/{p}"))
    }
}

/// Labels every secret found inside a transcript as pasted into that tool.
pub fn relabel(ai: &AiFile, findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        f.why = format!(
            "in {}'s {} (keys pasted into a chat are kept verbatim); {}",
            ai.tool, ai.kind, f.why
        );
        f.pattern = Pattern::AiTranscript;
        f.fix = format!(
            "rotate this key: it was shared with {} and written into its {}; then unstage the file and add it to .gitignore",
            ai.tool, ai.kind
        );
    }
}

/// The file-level finding: the file itself should not be committed.
pub fn file_finding(ai: &AiFile, file: &File<'_>) -> Finding {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    file.whole_file_finding(
        RULE,
        format!("{} {} staged for commit", ai.tool, ai.kind),
        Pattern::AiTranscript,
        format!(
            "this file is {}'s {}: AI tools write every prompt, pasted key and command output into such files, which are meant to stay on the machine that wrote them",
            ai.tool, ai.kind
        ),
        format!(
            "unstage it (`git rm --cached {}`) and add `{name}` to .gitignore; rotate any key that was ever pasted into the chat",
            shell_quote(file.path)
        ),
    )
}

/// Quotes a path for a shell command in advice, only when needed.
pub fn shell_quote(path: &str) -> String {
    if path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-/+@=:,".contains(&b))
    {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut extra = BTreeMap::new();
        extra.insert("Acme".to_string(), vec!["notes/chat-*.md".to_string()]);
        Catalog::new(&extra).unwrap()
    }

    #[test]
    fn known_tools_are_recognised_at_any_depth() {
        let c = catalog();
        let tool = |p: &str| c.lookup(p).map(|a| (a.tool.as_str(), a.role));
        assert_eq!(
            tool(".aider.chat.history.md"),
            Some(("aider", Role::Transcript))
        );
        assert_eq!(
            tool("web/.specstory/history/2025-01-01.md"),
            Some(("SpecStory", Role::Transcript))
        );
        assert_eq!(
            tool(".claude/settings.local.json"),
            Some(("Claude Code", Role::Transcript))
        );
        assert_eq!(tool(".mcp.json"), Some(("Claude Code", Role::AgentConfig)));
        assert_eq!(
            tool(".cursor/mcp.json"),
            Some(("Cursor", Role::AgentConfig))
        );
        assert_eq!(
            tool("x/mcp.json"),
            Some(("an MCP client", Role::AgentConfig))
        );
        assert_eq!(tool("notes/chat-1.md"), Some(("Acme", Role::Transcript)));
        assert_eq!(tool("src/main.rs"), None);
        assert_eq!(tool(".claude/settings.json").unwrap().1, Role::AgentConfig);
    }

    #[test]
    fn every_built_in_glob_compiles_and_has_an_anchor() {
        assert!(BUILTIN.len() >= 10);
        for (tool, _, _, globs) in BUILTIN {
            for g in *globs {
                anywhere(g).unwrap_or_else(|e| panic!("{tool}: {g}: {e:#}"));
                assert!(
                    !anchor(g).is_empty(),
                    "{tool}: {g}: no literal to anchor on"
                );
            }
        }
    }

    #[test]
    fn a_bad_configured_glob_names_the_tool() {
        let mut extra = BTreeMap::new();
        extra.insert("Broken".to_string(), vec!["a[".to_string()]);
        let err = format!("{:#}", Catalog::new(&extra).unwrap_err());
        assert!(err.contains("ai_files: Broken"), "{err}");
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("a/.env"), "a/.env");
        assert_eq!(shell_quote("a b"), "'a b'");
    }
}

#[cfg(test)]
mod anchor_tests {
    use super::anchor;

    #[test]
    fn anchors_are_the_longest_literal_run() {
        assert_eq!(anchor(".aider.chat.history.md"), ".aider.chat.history.md");
        assert_eq!(anchor(".specstory/history/**"), ".specstory/history/");
        assert_eq!(anchor("**/.codex/sessions/**/*.jsonl"), "/.codex/sessions/");
    }
}
