//! Rendering findings. Reports read [`Finding`](crate::finding::Finding)s only;
//! the raw secret never reaches this module.

pub mod check;
pub mod human;
pub mod json;
pub mod sarif;

use crate::rules::RuleSet;
pub use check::{CheckReport, Provenance, SessionFile};
use std::io::{self, IsTerminal, Write};

/// Output format of `scan` and the hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings explained for a person, on stderr.
    Human,
    /// One JSON document on stdout (schema: `schemas/report-v1.schema.json`).
    Json,
    /// SARIF 2.1.0 on stdout, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// Writes `report` in `format`: the human report to stderr (where hook output
/// belongs), JSON and SARIF to stdout (so they can be piped to a file).
/// `rules` supplies rule descriptions for SARIF.
pub fn render(
    report: &CheckReport,
    subject: Subject,
    format: Format,
    rules: &RuleSet,
) -> io::Result<()> {
    match format {
        Format::Human => {
            let stderr = io::stderr();
            let style = human::Style::new(use_color(stderr.is_terminal()));
            let mut w = stderr.lock();
            human::write_report(&mut w, report, subject, style)?;
            w.flush()
        }
        Format::Json | Format::Sarif => {
            let mut w = io::stdout().lock();
            render_to(&mut w, report, subject, format, rules)?;
            w.flush()
        }
    }
}

/// Writes the machine-readable formats (and uncoloured human text) to `w`.
pub fn render_to(
    w: &mut dyn Write,
    report: &CheckReport,
    subject: Subject,
    format: Format,
    rules: &RuleSet,
) -> io::Result<()> {
    match format {
        Format::Human => human::write_report(w, report, subject, human::Style::new(false)),
        Format::Json => json::write(w, report, subject),
        Format::Sarif => sarif::write(w, report, rules),
    }
}

/// What was being checked, which decides the summary wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// `keyhook pre-commit`.
    Commit,
    /// `keyhook pre-push`.
    Push,
    /// `keyhook scan`.
    Scan,
}

impl Subject {
    /// Lower-case name used in machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Commit => "commit",
            Subject::Push => "push",
            Subject::Scan => "scan",
        }
    }
}

/// Whether to colour human output: only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `1 secret`, `2 secrets`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
