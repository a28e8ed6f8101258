//! `keyhook pre-commit`: scan the staged diff and block the commit on findings.

use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::report::{self, Format, Subject};
use crate::{repo, source};
use anyhow::Result;

/// Runs the pre-commit check in the current repository.
pub fn run(format: Format) -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    // Loading the configuration, baseline and rules needs no repository
    // handle: it runs beside the index read and tree diff.
    let git_dir = repo.commondir().to_path_buf();
    let (pipeline, changes) = std::thread::scope(|s| {
        let loading = s.spawn(|| Pipeline::load(&root, Some(&git_dir)));
        let changes = source::staged::changes(&repo);
        let pipeline = loading.join().expect("configuration loader panicked");
        Ok::<_, anyhow::Error>((pipeline?, changes?))
    })?;
    let mut report = pipeline.check_changes(&repo, &changes)?;
    let notes =
        crate::ledger::cross::check(&pipeline, &repo, repo.commondir(), &changes, &mut report);
    // Notes and warnings are for people: stderr, whatever the report format.
    for note in notes {
        eprintln!("{note}");
    }
    report::render(&report, Subject::Commit, format, pipeline.scanner.rules())?;
    Ok(if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
