//! Path-aware detection of how AI-assisted teams actually leak keys (issue 5):
//! AI transcripts ([`transcripts`]), agent and MCP configs ([`mcp`]),
//! browser-public variables ([`public_env`]), committed env files
//! ([`env_files`]) and manifests and pipelines ([`manifests`]). The
//! cross-environment check lives in [`crate::ledger`], since it needs more than
//! one file.
//!
//! Runs after the rule scanner on each file, with the same added lines: it
//! relabels rule findings with the pattern-specific explanation and fix, adds
//! findings the place alone justifies (a literal under an MCP server's `env`, a
//! staged `.env.local`), and drops the generic rule's findings on publishable
//! keys. The path decides which detector runs (a few string comparisons and one
//! glob-set lookup per file); only files whose path says they are an agent
//! config, an env file or a manifest are parsed.

pub mod assign;
pub mod env_files;
pub mod kube;
pub mod lines;
pub mod manifests;
pub mod mcp;
pub mod public_env;
pub mod transcripts;

use crate::config::Config;
use crate::finding::{Finding, Pattern};
use crate::scan::{Added, FileResult, FindingContext, Scanner};
use anyhow::Result;
use env_files::EnvFile;
use manifests::Kind;
use transcripts::{AiFile, Catalog, Role};

/// What `redacted` shows for a finding about a whole file.
pub const WHOLE_FILE: &str = "(whole file)";

/// Rule ids of findings about a file rather than a secret: their fingerprint is
/// the path's, so the ledger must not treat them as keys.
pub const FILE_LEVEL_RULES: &[&str] = &[transcripts::RULE, env_files::RULE];

/// True when `f` is about a whole file (its fingerprint is not a secret's).
pub fn is_file_level(f: &Finding) -> bool {
    FILE_LEVEL_RULES.contains(&f.rule.as_str())
}

/// The detectors, compiled from the configuration once per run.
#[derive(Debug)]
pub struct Detectors {
    catalog: Catalog,
    disabled: Vec<String>,
}

/// One file as the detectors see it.
pub struct File<'a> {
    /// Repository-relative path.
    pub path: &'a str,
    /// The new content.
    pub data: &'a [u8],
    /// Which lines are new.
    pub added: &'a Added,
    /// The rule scanner (for decoded values and the generic policy).
    pub scanner: &'a Scanner,
    /// Fingerprint salt.
    pub ctx: &'a FindingContext,
}

/// How a detector describes a finding it makes itself.
#[derive(Debug, Clone)]
pub struct Label {
    /// Rule id (`keyhook.mcp-literal`, ...).
    pub rule: &'static str,
    /// Human rule name.
    pub name: String,
    /// The leak pattern.
    pub pattern: Pattern,
    /// Why it looks real.
    pub why: String,
    /// What to do.
    pub fix: String,
}

/// What a path is, decided before any content is read.
#[derive(Debug, Clone, Copy)]
enum Class<'c> {
    Ai(&'c AiFile),
    Env(EnvFile),
    Manifest(Kind),
    Plain,
}

impl Detectors {
    /// Compiles the built-in AI file list plus the configured one.
    pub fn new(config: &Config) -> Result<Detectors> {
        Ok(Detectors {
            catalog: Catalog::new(&config.ai_files)?,
            disabled: config.disable_rules.clone(),
        })
    }

    fn classify(&self, path: &str) -> Class<'_> {
        if let Some(ai) = self.catalog.lookup(path) {
            return Class::Ai(ai);
        }
        if let Some(env) = env_files::classify(path) {
            return Class::Env(env);
        }
        match manifests::classify(path) {
            Some(kind) => Class::Manifest(kind),
            None => Class::Plain,
        }
    }

    /// Runs the detectors for one file over the rule scanner's `result`.
    pub fn apply(&self, file: &File<'_>, result: &mut FileResult) {
        let class = self.classify(file.path);
        let findings = &mut result.findings;
        if result.skipped.is_none() {
            match class {
                Class::Ai(ai) if ai.role == Role::Transcript => transcripts::relabel(ai, findings),
                Class::Ai(ai) => mcp::detect(ai, file, findings),
                Class::Env(EnvFile::Example) => env_files::relabel_example(file, findings),
                Class::Manifest(kind) => manifests::detect(kind, file, findings),
                Class::Env(EnvFile::Local) | Class::Plain => {}
            }
            // In an AI tool's file the tool is the story, not the prefix.
            if !matches!(class, Class::Ai(_)) {
                public_env::detect(file, findings);
            }
        }
        // The file itself is the problem, whether or not it could be scanned.
        if lines::has_added(file.added) {
            match class {
                Class::Ai(ai) if ai.role == Role::Transcript => {
                    findings.push(transcripts::file_finding(ai, file))
                }
                Class::Env(EnvFile::Local) => findings.push(env_files::file_finding(file)),
                _ => {}
            }
        }
        if !self.disabled.is_empty() {
            findings.retain(|f| !self.disabled.contains(&f.rule));
        }
        findings.sort_by_key(|f| (f.line, f.column));
    }
}

impl File<'_> {
    /// A finding for `secret` at `line`:`column`, redacted and fingerprinted.
    pub fn finding(&self, line: u32, column: u32, secret: &[u8], label: Label) -> Finding {
        let entropy = crate::scan::entropy::shannon(secret);
        Finding {
            path: self.path.to_string(),
            line,
            column,
            rule: label.rule.to_string(),
            rule_name: label.name,
            pattern: label.pattern,
            redacted: crate::redact::redact(secret),
            fingerprint: crate::fingerprint::fingerprint(&self.ctx.salt, secret),
            entropy: Some((entropy * 100.0).round() / 100.0),
            why: label.why,
            fix: label.fix,
            commit: None,
        }
    }

    /// A finding about the whole file, at line 1; its fingerprint is the path's.
    pub fn whole_file_finding(
        &self,
        rule: &'static str,
        name: String,
        pattern: Pattern,
        why: String,
        fix: String,
    ) -> Finding {
        Finding {
            path: self.path.to_string(),
            line: 1,
            column: 1,
            rule: rule.to_string(),
            rule_name: name,
            pattern,
            redacted: WHOLE_FILE.to_string(),
            fingerprint: crate::fingerprint::fingerprint(&self.ctx.salt, self.path.as_bytes()),
            entropy: None,
            why,
            fix,
            commit: None,
        }
    }
}

/// True when some finding in `findings` sits on `line` at a column in `cols`.
pub fn covered(findings: &[Finding], line: u32, cols: std::ops::Range<u32>) -> bool {
    findings
        .iter()
        .any(|f| f.line == line && cols.contains(&f.column))
}
