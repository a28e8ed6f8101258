//! Command-line interface. The doc comments here are the `--help` text.

use crate::cmd;
use crate::hooks::HookKind;
use crate::outcome::Outcome;
use crate::report::Format;
use anyhow::Result;
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
    PreCommit {
        /// Output format: human (stderr), json or sarif (stdout).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Find secrets that are already there: in the work tree (default), in the
    /// whole history (--history) or in local AI tool transcripts (--ai-sessions).
    ///
    /// Exit codes: 0 clean, 1 findings, 2 error or incomplete scan (a file or
    /// commit could not be read; reported, and the scan went on).
    Scan(cmd::scan::ScanArgs),
    /// Check that the hook really blocks keys: commits a fresh fake key of each
    /// major provider in a throwaway repository and reports how each attempt went.
    /// Exit 1 if any fake key got through.
    Selftest,
    /// Scan every commit being pushed (the pre-push hook runs this).
    ///
    /// Reads git's pre-push input on stdin, one line per ref:
    /// `<local ref> <local oid> <remote ref> <remote oid>`. Checks the added
    /// lines of each commit reachable from a pushed ref and not already on the
    /// remote. Exit codes as for pre-commit.
    PrePush {
        /// The remote's name (git's first hook argument).
        remote: Option<String>,
        /// The remote's URL (git's second hook argument; never printed).
        url: Option<String>,
        /// Output format: human (stderr), json or sarif (stdout).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Check the commits a push brings to a git server (its pre-receive hook
    /// runs this) and reject the push on findings.
    ///
    /// Reads `<old oid> <new oid> <ref name>` lines on stdin. Checks every
    /// commit that no existing ref reaches, with the .keyhook.toml and
    /// baseline committed in each ref's new tip. `git push --no-verify`
    /// cannot skip it. Exit codes: 0 accept, 1 findings (rejected), 2 error or
    /// deadline reached (rejected, unless --on-deadline accept).
    PreReceive {
        /// Seconds the check may take [env: KEYHOOK_DEADLINE; git config
        /// keyhook.deadline; default 60].
        #[arg(long, value_name = "SECS")]
        deadline: Option<u64>,
        /// What to do with a push not fully checked in time [env:
        /// KEYHOOK_ON_DEADLINE; git config keyhook.onDeadline; default reject].
        #[arg(long, value_enum)]
        on_deadline: Option<cmd::pre_receive::OnDeadline>,
    },
    /// Install keyhook's pre-commit and pre-push hooks in this repository.
    ///
    /// Honours core.hooksPath; a linked worktree or submodule uses its common
    /// git directory. An existing hook is kept and still runs after keyhook;
    /// with husky, keyhook is added to the .husky scripts; with lefthook, the
    /// lefthook.yml lines are printed. Running it twice changes nothing.
    Install {
        /// Install only this hook.
        #[arg(long, value_enum)]
        hook: Option<HookKind>,
        /// Replace an existing hook instead of chaining it (it is backed up
        /// as <hook>.keyhook-backup and no longer runs).
        #[arg(long)]
        force: bool,
        /// Add the missing env-file lines to .gitignore without asking.
        #[arg(long, conflicts_with = "no_gitignore")]
        gitignore: bool,
        /// Leave .gitignore alone (by default, install offers to make it
        /// ignore .env and .env.* on a terminal).
        #[arg(long)]
        no_gitignore: bool,
        /// Every repository of this user (`--global`) and AI coding agent
        /// hooks (`--agents`).
        #[command(flatten)]
        agent: cmd::agent::AgentFlags,
    },
    /// Remove keyhook's hooks, putting back exactly what install changed.
    /// With --agents, only keyhook's entries in the agents' settings files;
    /// with --global (alone), undo `install --global`.
    Uninstall {
        /// AI coding agent hooks (`--agents`, `--global`).
        #[command(flatten)]
        agent: cmd::agent::AgentFlags,
    },
    /// Say, per hook, whether git runs keyhook.
    ///
    /// Each hook is installed, chained (another hook runs after keyhook),
    /// missing, or shadowed (keyhook's hook is in .git/hooks but core.hooksPath
    /// sends git elsewhere). Exit 0 when both hooks are active and the keyhook
    /// binary is found, 1 otherwise.
    Status,
    /// Say in plain lines whether keyhook will really run on commit and push
    /// here, and why not: core.hooksPath shadowing (husky, lefthook, a global
    /// one), a missing or non-executable shim, the binary not on the PATH GUI
    /// clients use, a hook manager that skips it, agent hooks. Each problem
    /// comes with the command that fixes it. Exit 0 when all is well, 1 otherwise.
    Doctor,
    /// Inspect the rule set.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        action: cmd::rules::RulesAction,
    },
    /// Accept reviewed findings so the hooks stay quiet about them
    /// (`.keyhook-baseline.toml`, committed with the repository).
    Baseline {
        /// What to do with the baseline.
        #[command(subcommand)]
        action: cmd::baseline::BaselineAction,
    },
    /// Run as an AI coding agent's hook (installed by `keyhook install
    /// --agents`): reads the hook event JSON on stdin and refuses a prompt,
    /// file write or shell command that carries a key, and commands that
    /// switch keyhook's git hooks off (`git commit --no-verify`, ...).
    ///
    /// Exit codes: 0 allow, 2 refuse (also on any error: it fails closed).
    Agent {
        /// Which agent's protocol to speak.
        #[arg(value_enum)]
        agent: crate::agent::Agent,
    },
    /// The local secret ledger behind the cross-environment check.
    Ledger {
        /// What to do with the ledger.
        #[command(subcommand)]
        action: cmd::ledger::LedgerAction,
    },
}

/// Runs the parsed command line: each subcommand is one module of [`cmd`].
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::PreCommit { format } => cmd::pre_commit::run(format),
        Command::Scan(args) => cmd::scan::run(args),
        Command::Selftest => cmd::selftest::run(),
        Command::PrePush {
            remote,
            url,
            format,
        } => cmd::pre_push::run(remote, url, format),
        Command::PreReceive {
            deadline,
            on_deadline,
        } => cmd::pre_receive::run(cmd::pre_receive::Options {
            deadline,
            on_deadline,
        }),
        Command::Install { agent, .. } if agent.agents.is_some() => cmd::agent::install(&agent),
        Command::Install {
            hook, force, agent, ..
        } if agent.global => {
            if hook.is_some() || force {
                anyhow::bail!("--global installs every hook and chains what is there (drop --hook and --force)");
            }
            cmd::global::install()
        }
        Command::Install {
            hook,
            force,
            gitignore,
            no_gitignore,
            ..
        } => cmd::install::run(cmd::install::Options {
            hook,
            force,
            gitignore: match (gitignore, no_gitignore) {
                (true, _) => cmd::install::GitignoreMode::Add,
                (_, true) => cmd::install::GitignoreMode::Skip,
                _ => cmd::install::GitignoreMode::Ask,
            },
        }),
        Command::Uninstall { agent } if agent.agents.is_some() => cmd::agent::uninstall(&agent),
        Command::Uninstall { agent } if agent.global => cmd::global::uninstall(),
        Command::Uninstall { .. } => cmd::uninstall::run(),
        Command::Agent { agent } => cmd::agent::run(agent),
        Command::Status => cmd::status::run(),
        Command::Doctor => cmd::doctor::run(),
        Command::Rules { action } => cmd::rules::run(action),
        Command::Baseline { action } => cmd::baseline::run(action),
        Command::Ledger { action } => cmd::ledger::run(action),
    }
}
