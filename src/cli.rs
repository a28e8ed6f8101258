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
    /// The local secret ledger behind the cross-environment check.
    Ledger {
        /// What to do with the ledger.
        #[command(subcommand)]
        action: LedgerAction,
    },
}

/// `keyhook ledger ...`.
#[derive(Debug, Subcommand)]
pub enum LedgerAction {
    /// Rebuild it from every tracked file (salted fingerprints and paths only;
    /// it lives in the git directory and is never committed).
    Rebuild,
}

/// `keyhook rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List every rule: id and name.
    List,
    /// Run every rule's examples through the scanner; exit 1 on any problem.
    Check,
}
