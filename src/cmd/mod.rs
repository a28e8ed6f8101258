//! One module per subcommand; each returns an [`Outcome`](crate::outcome::Outcome).

pub mod agent;
pub mod baseline;
pub mod doctor;
pub mod global;
pub mod install;
pub mod ledger;
pub mod pre_commit;
pub mod pre_push;
pub mod pre_receive;
pub mod rules;
pub mod scan;
pub mod selftest;
pub mod status;
pub mod uninstall;

use crate::cli::{Cli, Command};
use crate::outcome::Outcome;
use anyhow::Result;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::PreCommit { format } => pre_commit::run(format),
        Command::Scan(args) => scan::run(args),
        Command::Selftest => selftest::run(),
        Command::PrePush {
            remote,
            url,
            format,
        } => pre_push::run(remote, url, format),
        Command::PreReceive {
            deadline,
            on_deadline,
        } => pre_receive::run(pre_receive::Options {
            deadline,
            on_deadline,
        }),
        Command::Install { agent, .. } if agent.agents.is_some() => agent::install(&agent),
        Command::Install {
            hook, force, agent, ..
        } if agent.global => {
            if hook.is_some() || force {
                anyhow::bail!("--global installs every hook and chains what is there (drop --hook and --force)");
            }
            global::install()
        }
        Command::Install {
            hook,
            force,
            gitignore,
            no_gitignore,
            ..
        } => install::run(install::Options {
            hook,
            force,
            gitignore: match (gitignore, no_gitignore) {
                (true, _) => install::GitignoreMode::Add,
                (_, true) => install::GitignoreMode::Skip,
                _ => install::GitignoreMode::Ask,
            },
        }),
        Command::Uninstall { agent } if agent.agents.is_some() => agent::uninstall(&agent),
        Command::Uninstall { agent } if agent.global => global::uninstall(),
        Command::Uninstall { .. } => uninstall::run(),
        Command::Agent { agent } => agent::run(agent),
        Command::Status => status::run(),
        Command::Doctor => doctor::run(),
        Command::Rules { action } => rules::run(action),
        Command::Baseline { action } => baseline::run(action),
        Command::Ledger { action } => ledger::run(action),
    }
}
