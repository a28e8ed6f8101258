//! Command-line interface. The doc comments here are the `--help` text.

use clap::{Parser, Subcommand};

/// keyhook stops API keys and other secrets from entering a git repository.
///
/// Exit codes: 0 clean, 1 findings (the commit or push is blocked),
/// 2 error (also blocks: not a repository, unreadable configuration, ...).
#[derive(Debug, Parser)]
#[command(name = "keyhook", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan the staged diff (the pre-commit hook runs this).
    PreCommit,
    /// Inspect the rule set.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Accept reviewed findings so the hooks stay quiet about them
    /// (`.keyhook-baseline.toml`, committed with the repository).
    Baseline {
        /// What to do with the baseline.
        #[command(subcommand)]
        action: BaselineAction,
    },
}

/// `keyhook rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List every rule: id and name.
    List,
    /// Run every rule's examples through the scanner; exit 1 on any problem.
    Check,
}

/// `keyhook baseline ...`.
#[derive(Debug, Subcommand)]
pub enum BaselineAction {
    /// Accept every current finding in the staged diff (after you reviewed
    /// them) and print what was added.
    Update {
        /// Accept every finding in all tracked files, not just the staged diff.
        #[arg(long)]
        all: bool,
        /// Why these findings are not secrets (stored with each new entry).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// On a terminal, walk through the findings not yet accepted, with context
    /// (secrets redacted), and accept or leave each one.
    Review {
        /// Review findings in all tracked files, not just the staged diff.
        #[arg(long)]
        all: bool,
    },
    /// Drop entries that no longer match anything in the tracked files.
    Prune,
}
