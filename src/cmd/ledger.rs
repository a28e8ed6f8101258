//! `keyhook ledger rebuild`: rebuild the secret ledger from the tracked files.

use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::{ledger, repo};
use anyhow::Result;
use clap::Subcommand;

/// `keyhook ledger ...`.
#[derive(Debug, Subcommand)]
pub enum LedgerAction {
    /// Rebuild it from every tracked file (salted fingerprints and paths only;
    /// it lives in the git directory and is never committed).
    Rebuild,
}

/// Rebuilds and saves the ledger of the current repository.
pub fn run(action: LedgerAction) -> Result<Outcome> {
    match action {
        LedgerAction::Rebuild => {
            let (repo, root) = repo::open_with_worktree()?;
            let pipeline = Pipeline::load(&root, Some(repo.commondir()))?;
            let l = ledger::rebuild(&pipeline, &repo)?;
            l.save(repo.commondir())?;
            println!(
                "keyhook: ledger rebuilt: {}",
                crate::report::plural(l.len(), "secret", "secrets")
            );
            Ok(Outcome::Clean)
        }
    }
}
