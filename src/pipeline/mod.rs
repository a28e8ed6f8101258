//! The shared path from changes to findings, used by the pre-commit hook, the
//! pre-push hook and scans: read the blob → added lines → scan → drop what
//! `skip_paths`, the baseline and inline allows exclude. The drivers that run
//! it over a whole work tree ([`tree`]) or history ([`history`]) live here too.

pub mod history;
pub mod tree;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::detect::Detectors;
use crate::ledger::env::Environments;
use crate::paths::PathMatcher;
use crate::report::CheckReport;
use crate::scan::{Added, FileResult, FindingContext, GenericPolicy, Scanner};
use crate::source::{added_lines, Change, Content};
use anyhow::{Context, Result};
use git2::Repository;
use std::path::Path;

/// Scanner plus the repository's configuration and baseline.
#[derive(Debug)]
pub struct Pipeline {
    /// The compiled rules.
    pub scanner: Scanner,
    /// `skip_paths` from the config.
    pub skip: PathMatcher,
    /// Accepted findings.
    pub baseline: Baseline,
    /// Fingerprint salt and other per-finding context.
    pub ctx: FindingContext,
    /// Path-aware detectors (AI transcripts, MCP configs, env files, ...).
    pub detect: Detectors,
    /// Environment names by path, for the ledger's cross-environment check.
    pub environments: Environments,
    /// A key in more files than this is reported as reuse.
    pub reuse_threshold: usize,
}

impl Pipeline {
    /// Builds the pipeline for the tree rooted at `root` (a work tree, or a plain
    /// directory for `scan`); `git_dir` is the repository's common git directory
    /// when there is one (local state such as the fingerprint salt lives there).
    pub fn load(root: &Path, git_dir: Option<&Path>) -> Result<Pipeline> {
        let config = Config::load(root)?;
        let baseline = Baseline::load(root, git_dir)?;
        Pipeline::new(&config, baseline)
    }

    /// Builds the pipeline from an already-loaded config and baseline.
    pub fn new(config: &Config, baseline: Baseline) -> Result<Pipeline> {
        let policy = GenericPolicy {
            min_entropy: config.generic_min_entropy,
            ..GenericPolicy::default()
        };
        let scanner = Scanner::new(config.rule_set()?, policy, config.max_file_size);
        let skip = PathMatcher::new(&config.skip_paths)?;
        let ctx = FindingContext {
            salt: baseline.salt().to_string(),
        };
        Ok(Pipeline {
            scanner,
            skip,
            baseline,
            ctx,
            detect: Detectors::new(config).context(crate::config::FILE_NAME)?,
            environments: Environments::new(&config.environments)
                .context(crate::config::FILE_NAME)?,
            reuse_threshold: config.reuse_threshold,
        })
    }

    /// Scans a whole file's content (work-tree scans: every line counts).
    pub fn check_file(&self, path: &str, data: &[u8]) -> FileResult {
        self.scanner
            .scan_file(path, data, &crate::scan::Added::All, &self.ctx)
    }

    /// Checks content that is not in the repository yet (an AI agent's file
    /// write, prompt or command: see [`crate::agent`]) as if it were staged at
    /// `path` with `added` lines new: rules, detectors, `skip_paths`, baseline.
    pub fn check_content(&self, path: &str, data: &[u8], added: &Added) -> CheckReport {
        let mut report = CheckReport::default();
        if !self.skip.is_match(path) {
            let result = self.scan_change(path, data, added);
            report.absorb(path, result, &self.baseline);
        }
        report.sort();
        report
    }

    /// Scans one change's added lines.
    pub fn check_change(&self, repo: &Repository, change: &Change) -> Result<FileResult> {
        let (content, added) = self.read_change(repo, change)?;
        Ok(self.scan_change(&change.path, content.bytes(), &added))
    }

    /// Reads one change's new content and works out which of its lines are
    /// added: the part of a check that needs the repository.
    fn read_change<'r>(
        &self,
        repo: &'r Repository,
        change: &Change,
    ) -> Result<(Content<'r>, Added)> {
        let content = change
            .content(repo)
            .with_context(|| format!("{}: cannot read the staged blob", change.path))?;
        let data = content.bytes();
        let added = if data.len() as u64 > self.scanner.max_file_size()
            || crate::scan::looks_binary(data)
        {
            Added::All
        } else {
            added_lines(repo, change, data)
                .with_context(|| format!("{}: cannot diff the staged blob", change.path))?
        };
        Ok((content, added))
    }

    /// Scans content already read: rules, then the path-aware detectors.
    fn scan_change(&self, path: &str, data: &[u8], added: &Added) -> FileResult {
        let mut result = self.scanner.scan_file(path, data, added, &self.ctx);
        let file = crate::detect::File {
            path,
            data,
            added,
            scanner: &self.scanner,
            ctx: &self.ctx,
        };
        self.detect.apply(&file, &mut result);
        result
    }

    /// Scans every change, in parallel when there are many.
    pub fn check_changes(&self, repo: &Repository, changes: &[Change]) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let wanted: Vec<&Change> = changes
            .iter()
            .filter(|c| !self.skip.is_match(&c.path))
            .collect();
        if crate::workers::threads() < 2 || wanted.len() < 2 {
            for c in wanted {
                let r = self.check_change(repo, c)?;
                report.absorb(&c.path, r, &self.baseline);
            }
        } else if !worth_parallel(repo, &wanted) {
            for (path, r) in self.check_pipelined(repo, &wanted)? {
                report.absorb(path, r, &self.baseline);
            }
        } else {
            let git_dir = repo.path();
            // A git2 Repository is not Sync: each worker opens its own handle.
            let results = crate::workers::map_on(
                crate::workers::threads(),
                &wanted,
                || Repository::open(git_dir),
                |repo, c| match repo {
                    Ok(repo) => self.check_change(repo, c),
                    Err(e) => Err(anyhow::anyhow!(
                        "cannot reopen the repository: {}",
                        e.message()
                    )),
                },
            );
            for (c, r) in wanted.iter().zip(results) {
                report.absorb(&c.path, r?, &self.baseline);
            }
        }
        report.sort();
        Ok(report)
    }

    /// Checks a small set of changes on two threads: this one reads blobs and
    /// diffs them (libgit2 work, which needs the one repository handle), the
    /// other scans what has been read; once everything is read, this thread
    /// scans too. The commit waits for about half the total work instead of
    /// its sum, without a second repository handle.
    fn check_pipelined<'c>(
        &self,
        repo: &Repository,
        changes: &[&'c Change],
    ) -> Result<Vec<(&'c str, FileResult)>> {
        type Item<'c> = (&'c str, Vec<u8>, Added);
        let (tx, rx) = std::sync::mpsc::channel::<Item<'c>>();
        let rx = std::sync::Mutex::new(rx);
        // Takes the next read file, until the reader is done and all are taken.
        let scan_all = || {
            let mut out = Vec::new();
            loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok((path, data, added))) = next else {
                    break;
                };
                out.push((path, self.scan_change(path, &data, &added)));
            }
            out
        };
        std::thread::scope(|s| {
            let scanner = s.spawn(scan_all);
            let read = changes.iter().try_for_each(|c| -> Result<()> {
                let (content, added) = self.read_change(repo, c)?;
                let data = match content {
                    Content::Copy(v) => v,
                    Content::Blob(b) => b.content().to_vec(),
                };
                // A send fails only if the scanning thread panicked: join reports that.
                let _ = tx.send((c.path.as_str(), data, added));
                Ok(())
            });
            drop(tx);
            let mut results = if read.is_ok() { scan_all() } else { Vec::new() };
            results.extend(scanner.join().expect("scan thread panicked"));
            read.map(|()| results)
        })
    }
}

impl crate::ledger::Scans for Pipeline {
    fn salt(&self) -> &str {
        &self.ctx.salt
    }

    fn environments(&self) -> &Environments {
        &self.environments
    }

    fn reuse_threshold(&self) -> usize {
        self.reuse_threshold
    }

    fn accepts(&self, finding: &crate::finding::Finding) -> bool {
        self.baseline.accepts(finding)
    }

    fn skips(&self, path: &str) -> bool {
        self.skip.is_match(path)
    }

    fn check_change(&self, repo: &Repository, change: &Change) -> Result<FileResult> {
        Pipeline::check_change(self, repo, change)
    }

    fn check_changes(&self, repo: &Repository, changes: &[Change]) -> Result<CheckReport> {
        Pipeline::check_changes(self, repo, changes)
    }
}

/// Threads pay for themselves only on big commits: each one opens its own
/// repository handle and object caches. Decide from the blobs' sizes, which the
/// object database reports without inflating whole objects.
fn worth_parallel(repo: &Repository, changes: &[&Change]) -> bool {
    const MIN_FILES: usize = 32;
    const MIN_BYTES: usize = 4 << 20;
    if changes.len() < MIN_FILES {
        return false;
    }
    let Ok(odb) = repo.odb() else { return false };
    let mut total = 0usize;
    for c in changes {
        total += odb.read_header(c.new_id).map_or(0, |(size, _)| size);
        if total >= MIN_BYTES {
            return true;
        }
    }
    false
}
