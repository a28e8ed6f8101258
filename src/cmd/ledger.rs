//! `keyhook ledger rebuild`: rebuild the secret ledger from the tracked files.

use crate::cli::LedgerAction;
use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::{ledger, repo};
use anyhow::Result;

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
