//! `keyhook pre-push`: check every commit a push would send and block the push
//! on findings. This is the gate for what `git commit --no-verify` let through.

use crate::finding::CommitRef;
use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::repo;
use crate::report::{self, human, plural, use_color, CheckReport, Format, Subject};
use crate::source::{self, push};
use anyhow::{bail, Context, Result};
use git2::{Oid, Repository};
use std::io::{IsTerminal, Read, Write};

/// Runs the pre-push check. `remote` and `url` are git's two hook arguments.
pub fn run(remote: Option<String>, url: Option<String>, format: Format) -> Result<Outcome> {
    // git passes the URL too; it is not needed (and may hold credentials, so
    // it is never printed).
    let _ = url;
    let (repo, root) = repo::open_with_worktree()?;
    // On a terminal there is no git input to wait for (a manual run, or the
    // pre-commit framework run by hand, which passes the range in the environment).
    let stdin = std::io::stdin();
    let input = if stdin.is_terminal() {
        None
    } else {
        let mut s = String::new();
        stdin
            .lock()
            .read_to_string(&mut s)
            .context("stdin: cannot read the refs being pushed")?;
        Some(s)
    };
    let mut updates = push::parse(input.as_deref().unwrap_or(""))?;
    let mut remote = remote;
    if updates.is_empty() {
        match push::from_pre_commit_framework(&repo, |k| std::env::var(k).ok())? {
            Some((u, r)) => {
                updates = u;
                remote = remote.or(r);
            }
            None if input.is_none() => bail!(
                "stdin: keyhook pre-push reads the refs being pushed from stdin, as git gives them to the hook (run it from the pre-push hook, or pipe `<local ref> <local oid> <remote ref> <remote oid>` lines in)"
            ),
            None => {}
        }
    }
    let commits = push::commits(&repo, &updates, remote.as_deref())?;
    let pipeline = Pipeline::load(&root, Some(repo.commondir()))?;
    let report = check_commits(&repo, &pipeline, &commits)?;
    let outcome = if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    if format != Format::Human {
        report::render(&report, Subject::Push, format, pipeline.scanner.rules())?;
        return Ok(outcome);
    }

    let stderr = std::io::stderr();
    let style = human::Style::new(use_color(stderr.is_terminal()));
    let mut w = stderr.lock();
    human::write_report(&mut w, &report, Subject::Push, style)?;
    if !report.findings.is_empty() {
        write_advice(&mut w, &repo, &report, remote.as_deref())?;
    }
    w.flush()?;
    Ok(outcome)
}

/// Checks each commit's added lines; findings are grouped by commit, oldest
/// first, and name their commit.
pub fn check_commits(
    repo: &Repository,
    pipeline: &Pipeline,
    commits: &[Oid],
) -> Result<CheckReport> {
    let mut all = CheckReport::default();
    for &id in commits {
        let commit = repo
            .find_commit(id)
            .with_context(|| format!("commit {id}: cannot read it"))?;
        let changes = source::commit::changes(repo, &commit)?;
        let mut r = pipeline.check_changes(repo, &changes)?;
        let at = CommitRef {
            id: id.to_string(),
            subject: commit.summary().unwrap_or("").to_string(),
        };
        for f in &mut r.findings {
            f.commit = Some(at.clone());
        }
        all.findings.append(&mut r.findings);
        all.binary += r.binary;
        all.scanned += r.scanned;
        all.accepted += r.accepted;
        for t in r.too_large {
            if !all.too_large.contains(&t) {
                all.too_large.push(t);
            }
        }
    }
    Ok(all)
}

/// Which commits hold the findings and how to get them out before pushing,
/// indented under the summary line.
fn write_advice(
    w: &mut dyn Write,
    repo: &Repository,
    report: &CheckReport,
    remote: Option<&str>,
) -> Result<()> {
    let mut commits: Vec<&CommitRef> = Vec::new();
    for f in &report.findings {
        if let Some(c) = &f.commit {
            if !commits.iter().any(|k| k.id == c.id) {
                commits.push(c);
            }
        }
    }
    let Some(oldest) = commits.first() else {
        return Ok(());
    };
    let short = |c: &CommitRef| c.id[..c.id.len().min(10)].to_string();
    let where_ = match remote {
        Some(r) if git2::Remote::is_valid_name(r) => format!("not yet on {r}"),
        _ => "not yet on the remote".to_string(),
    };
    writeln!(
        w,
        "    in {} {where_}:",
        plural(commits.len(), "commit", "commits")
    )?;
    for c in &commits {
        writeln!(w, "      {} {}", short(c), c.subject)?;
    }
    let is_root = Oid::from_str(&oldest.id)
        .and_then(|id| repo.find_commit(id))
        .is_ok_and(|c| c.parent_count() == 0);
    let rebase = if is_root {
        "git rebase -i --root".to_string()
    } else {
        format!("git rebase -i {}~1", short(oldest))
    };
    writeln!(
        w,
        "    fix: take the secret out of these commits before pushing: `git commit --amend` when it is the last commit, otherwise `{rebase}`, mark them `edit`, remove the secret, amend, `git rebase --continue`; then push again"
    )?;
    writeln!(
        w,
        "         if the key ever left this machine (an earlier push, a shared branch, a CI log), rotate it: rewriting history does not revoke it"
    )?;
    Ok(())
}
