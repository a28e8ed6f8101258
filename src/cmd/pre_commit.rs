//! `keyhook pre-commit`: scan the staged diff and block the commit on findings.

use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::report::{human, use_color, Subject};
use crate::{repo, source};
use anyhow::Result;
use std::io::{IsTerminal, Write};

/// Runs the pre-commit check in the current repository.
pub fn run() -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    let pipeline = Pipeline::load(&root, Some(repo.commondir()))?;
    let changes = source::staged::changes(&repo)?;
    let mut report = pipeline.check_changes(&repo, &changes)?;
    let notes =
        crate::ledger::cross::check(&pipeline, &repo, repo.commondir(), &changes, &mut report);
    let stderr = std::io::stderr();
    let style = human::Style::new(use_color(stderr.is_terminal()));
    let mut w = stderr.lock();
    for note in notes {
        writeln!(w, "{note}")?;
    }
    human::write_report(&mut w, &report, Subject::Commit, style)?;
    w.flush()?;
    Ok(if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
