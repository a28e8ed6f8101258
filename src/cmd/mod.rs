//! One module per subcommand; each returns an [`Outcome`](crate::outcome::Outcome).

pub mod baseline;
pub mod pre_commit;
pub mod rules;
pub mod scan;
pub mod selftest;

use crate::cli::{Cli, Command};
use crate::outcome::Outcome;
use anyhow::Result;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::PreCommit { format } => pre_commit::run(format),
        Command::Scan {
            path,
            all_files,
            history,
            since,
            ai_sessions,
            root,
            format,
        } => scan::run(scan::Options {
            path,
            all_files,
            history,
            since,
            ai_sessions,
            root,
            format,
        }),
        Command::Selftest => selftest::run(),
        Command::Rules { action } => rules::run(action),
        Command::Baseline { action } => baseline::run(action),
    }
}
