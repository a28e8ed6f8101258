//! `keyhook baseline update|review|prune`: the only commands that write
//! `.keyhook-baseline.toml`. Each scans first (staged diff, or every tracked
//! file), then changes the file under its lock (see `baseline::store`).

use crate::baseline::stamp::Stamp;
use crate::baseline::{store, Baseline, Entry, FILE_NAME};
use crate::config::Config;
use crate::finding::Finding;
use crate::outcome::Outcome;
use crate::pipeline::Pipeline;
use crate::report::plural;
use crate::review::{self, Decision, Item};
use crate::source::{staged, Change};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use git2::Repository;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// `keyhook baseline ...`.
#[derive(Debug, Subcommand)]
pub enum BaselineAction {
    /// Accept every current finding in the staged diff (after you reviewed
    /// them) and print what was added.
    Update {
        /// Accept every finding in all tracked files, not just the staged diff.
        #[arg(long)]
        all: bool,
        /// Why these findings are not secrets (stored with each new entry).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// On a terminal, walk through the findings not yet accepted, with context
    /// (secrets redacted), and accept or leave each one.
    Review {
        /// Review findings in all tracked files, not just the staged diff.
        #[arg(long)]
        all: bool,
    },
    /// Drop entries that no longer match anything in the tracked files.
    Prune,
}

/// Runs a `keyhook baseline` subcommand in the current repository.
pub fn run(action: BaselineAction) -> Result<Outcome> {
    if matches!(action, BaselineAction::Review { .. }) && !std::io::stdin().is_terminal() {
        bail!("baseline review needs a terminal to ask questions (run `keyhook baseline update --reason \"...\"` to accept every current finding instead)");
    }
    let (repo, root) = crate::repo::open_with_worktree()?;
    let ctx = Ctx {
        git_dir: repo.commondir().to_path_buf(),
        config: Config::load(&root)?,
        repo,
        root,
    };
    match action {
        BaselineAction::Update { all, reason } => update(&ctx, all, reason.as_deref()),
        BaselineAction::Review { all } => review(&ctx, all),
        BaselineAction::Prune => prune(&ctx),
    }
}

/// What every baseline command works on.
struct Ctx {
    repo: Repository,
    root: PathBuf,
    git_dir: PathBuf,
    config: Config,
}

impl Ctx {
    /// The staged diff, or every tracked file.
    fn changes(&self, all: bool) -> Result<Vec<Change>> {
        if all {
            staged::tracked(&self.repo)
        } else {
            staged::changes(&self.repo)
        }
    }

    /// Loads the baseline (refusing a malformed one) and scans `changes`:
    /// the findings the baseline does not accept yet.
    fn unaccepted(&self, changes: &[Change]) -> Result<(Pipeline, Vec<Finding>)> {
        let baseline = Baseline::load(&self.root, Some(&self.git_dir))?;
        let pipeline = Pipeline::new(&self.config, baseline)?;
        let findings = pipeline.check_changes(&self.repo, changes)?.findings;
        Ok((pipeline, findings))
    }

    /// Adds an entry for each chosen finding, under the lock. `salt` is the
    /// one the findings' fingerprints were computed with; if the baseline on
    /// disk now has another (it was created or replaced meanwhile, e.g. by a
    /// pull), the changes are scanned again under the file's salt and the
    /// chosen findings found again by position. Returns the findings now
    /// accepted and how many entries were new.
    fn accept(
        &self,
        changes: &[Change],
        salt: &str,
        chosen: Vec<(Finding, Option<String>)>,
    ) -> Result<(Vec<Finding>, usize)> {
        if chosen.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let stamp = Stamp::now(&self.repo);
        store::edit(&self.root, Some(&self.git_dir), |current| {
            let chosen = if current.salt() == salt {
                chosen
            } else {
                let pipeline = Pipeline::new(&self.config, current.without_entries())?;
                let fresh = pipeline.check_changes(&self.repo, changes)?.findings;
                chosen
                    .into_iter()
                    .filter_map(|(f, reason)| {
                        fresh
                            .iter()
                            .find(|g| g.sort_key() == f.sort_key())
                            .map(|g| (g.clone(), reason))
                    })
                    .collect()
            };
            let mut new = 0;
            let mut accepted = Vec::with_capacity(chosen.len());
            for (f, reason) in chosen {
                if current.add(Entry::accept(&f, &stamp, reason.as_deref())) {
                    new += 1;
                }
                accepted.push(f);
            }
            Ok((accepted, new))
        })
    }
}

/// Prints the accepted findings and the summary line.
fn print_accepted(accepted: &[Finding], new: usize) -> Result<()> {
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for f in accepted {
        writeln!(
            w,
            "accepted  {}:{}:{}  {}  {}",
            f.path, f.line, f.column, f.rule, f.redacted
        )?;
    }
    writeln!(
        w,
        "keyhook: added {} to {FILE_NAME} (commit it with your change)",
        plural(new, "entry", "entries")
    )?;
    Ok(())
}

/// `keyhook baseline update [--all] [--reason TEXT]`.
fn update(ctx: &Ctx, all: bool, reason: Option<&str>) -> Result<Outcome> {
    let changes = ctx.changes(all)?;
    let (pipeline, findings) = ctx.unaccepted(&changes)?;
    if findings.is_empty() {
        let scope = if all {
            "the tracked files"
        } else {
            "the staged diff"
        };
        println!("keyhook: nothing to accept: no finding in {scope} that the baseline does not already accept");
        return Ok(Outcome::Clean);
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let chosen = findings
        .into_iter()
        .map(|f| (f, reason.map(str::to_string)))
        .collect();
    let (accepted, new) = ctx.accept(&changes, &pipeline.ctx.salt, chosen)?;
    print_accepted(&accepted, new)?;
    Ok(Outcome::Clean)
}

/// `keyhook baseline review [--all]`: exit 0 when every finding was accepted,
/// 1 when some still block.
fn review(ctx: &Ctx, all: bool) -> Result<Outcome> {
    let changes = ctx.changes(all)?;
    let (pipeline, findings) = ctx.unaccepted(&changes)?;
    if findings.is_empty() {
        println!("keyhook: nothing to review: every finding is already accepted");
        return Ok(Outcome::Clean);
    }
    let items = findings
        .into_iter()
        .map(|finding| {
            let data = blob_of(&ctx.repo, &changes, &finding.path)?;
            let context = review::context(&pipeline.scanner, &data, &finding);
            Ok(Item { finding, context })
        })
        .collect::<Result<Vec<_>>>()?;
    let decisions = {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        review::ask(&items, &mut stdin.lock(), &mut stdout.lock())?
    };
    let chosen: Vec<(Finding, Option<String>)> = items
        .iter()
        .zip(&decisions)
        .filter_map(|(item, d)| match d {
            Decision::Accept(reason) => Some((item.finding.clone(), Some(reason.clone()))),
            Decision::Leave => None,
        })
        .collect();
    let left = items.len() - chosen.len();
    if !chosen.is_empty() {
        let (accepted, new) = ctx.accept(&changes, &pipeline.ctx.salt, chosen)?;
        print_accepted(&accepted, new)?;
    }
    if left == 0 {
        return Ok(Outcome::Clean);
    }
    println!(
        "keyhook: {} still {}",
        plural(left, "finding", "findings"),
        if left == 1 { "blocks" } else { "block" }
    );
    Ok(Outcome::Findings)
}

/// The staged content of `path` (the blob the finding was read from).
fn blob_of(repo: &Repository, changes: &[Change], path: &str) -> Result<Vec<u8>> {
    let change = changes
        .iter()
        .find(|c| c.path == path)
        .with_context(|| format!("{path}: no longer staged"))?;
    let blob = repo
        .find_blob(change.new_id)
        .with_context(|| format!("{path}: cannot read the staged blob"))?;
    Ok(blob.content().to_vec())
}

/// `keyhook baseline prune`: scans every tracked file under the file's salt
/// (with the lock held, so an entry added meanwhile is judged too) and drops
/// the entries matching no finding. Entries for files skipped as too large
/// are kept: they could not be checked.
fn prune(ctx: &Ctx) -> Result<Outcome> {
    if !Path::new(&ctx.root.join(FILE_NAME)).exists() {
        println!("keyhook: no {FILE_NAME} here; nothing to prune");
        return Ok(Outcome::Clean);
    }
    let changes = ctx.changes(true)?;
    let removed = store::edit(&ctx.root, Some(&ctx.git_dir), |current| {
        let pipeline = Pipeline::new(&ctx.config, current.without_entries())?;
        let report = pipeline.check_changes(&ctx.repo, &changes)?;
        let live: HashSet<(&str, &str, &str)> = report
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.rule.as_str(), f.fingerprint.as_str()))
            .collect();
        let unchecked: HashSet<&str> = report.too_large.iter().map(|(p, _)| p.as_str()).collect();
        Ok(current.retain(|e| live.contains(&e.key()) || unchecked.contains(e.path.as_str())))
    })?;
    if removed.is_empty() {
        println!("keyhook: every entry still matches a finding; nothing pruned");
        return Ok(Outcome::Clean);
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for e in &removed {
        writeln!(
            w,
            "pruned  {}  {}  (accepted by {} on {})",
            e.path, e.rule, e.accepted_by, e.accepted_at
        )?;
    }
    writeln!(
        w,
        "keyhook: removed {} from {FILE_NAME} (commit it)",
        plural(removed.len(), "entry", "entries")
    )?;
    Ok(Outcome::Clean)
}
