//! One module per subcommand; each returns an [`Outcome`](crate::outcome::Outcome).

pub mod ledger;
pub mod pre_commit;
pub mod rules;

use crate::cli::{Cli, Command};
use crate::outcome::Outcome;
use anyhow::Result;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::PreCommit => pre_commit::run(),
        Command::Rules { action } => rules::run(action),
        Command::Ledger { action } => ledger::run(action),
    }
}
