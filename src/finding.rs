//! A finding: one secret (or one risky file) at one place, already redacted and
//! fingerprinted. Reports, the baseline and machine-readable outputs read
//! findings only; none of them ever sees the raw secret.

use serde::{Deserialize, Serialize};

/// Which leak pattern a finding belongs to; each has its own explanation and fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// A provider's documented key format.
    ProviderFormat,
    /// A secret-named assignment with a random-looking literal value.
    GenericAssignment,
    /// An AI chat transcript or session file staged for commit.
    AiTranscript,
    /// A literal credential in an agent or MCP server configuration.
    McpConfig,
    /// A server-side secret behind a browser-public variable prefix.
    PublicEnv,
    /// A local `.env` file staged for commit.
    EnvFile,
    /// A literal secret in a Kubernetes, Docker, CI or Terraform file.
    Manifest,
    /// The same secret in files of different environments.
    CrossEnvironment,
    /// The same secret in many files.
    Reuse,
}

impl Pattern {
    /// Short kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::ProviderFormat => "provider-format",
            Pattern::GenericAssignment => "generic-assignment",
            Pattern::AiTranscript => "ai-transcript",
            Pattern::McpConfig => "mcp-config",
            Pattern::PublicEnv => "public-env",
            Pattern::EnvFile => "env-file",
            Pattern::Manifest => "manifest",
            Pattern::CrossEnvironment => "cross-environment",
            Pattern::Reuse => "reuse",
        }
    }
}

/// The commit a finding was found in (pre-push and history scans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRef {
    /// Full object id.
    pub id: String,
    /// First line of the message.
    pub subject: String,
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// 1-based line in the new version of the file.
    pub line: u32,
    /// 1-based column (characters) where the secret starts.
    pub column: u32,
    /// Rule id (`openai.project-key`, `keyhook.env-file`, ...).
    pub rule: String,
    /// Human rule name.
    pub rule_name: String,
    /// The leak pattern.
    pub pattern: Pattern,
    /// The secret with all but a short prefix masked.
    pub redacted: String,
    /// Salted fingerprint of the secret (see `fingerprint`); for file-level
    /// findings, of the path.
    pub fingerprint: String,
    /// Shannon entropy of the secret, when it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entropy: Option<f64>,
    /// Why it looks real.
    pub why: String,
    /// What to do about it.
    pub fix: String,
    /// The commit holding it (pre-push, history scans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitRef>,
}

impl Finding {
    /// Sort key: file, then position, then rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str) {
        (&self.path, self.line, self.column, &self.rule)
    }
}
