//! The whole history: every commit reachable from any ref, oldest first, each
//! commit's added lines (merges: only what no parent had, i.e. conflict
//! resolutions). Each (blob, base) pair is scanned once, and a blob already
//! scanned as entirely new is never scanned again, so a file that lives on
//! unchanged through thousands of commits costs nothing after the first.
//! Which lines of a modified file are new is decided by `lines` rather than
//! by a diff, and a blob holding no rule keyword needs neither.
//!
//! Work runs on every core: worker threads, each with its own
//! `git2::Repository`, take jobs from one queue — "diff commit i" and "scan
//! this blob" — while the calling thread consumes the diffs in commit order
//! (so that "seen before" means "in an older commit") and queues the scans.
//! Diffs are handed out at most a window ahead of the ordered consumer, which
//! bounds memory however long the history is.

mod lines;
mod recent;

use super::Pipeline;
use crate::finding::{CommitRef, Finding};
use crate::progress::Progress;
use crate::report::CheckReport;
use crate::scan::{looks_binary, Added, FileResult, Skipped};
use crate::source::{added_lines, Base, Change};
use anyhow::{Context, Result};
use git2::{Oid, Repository, Sort};
use lines::new_lines;
use recent::Recent;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Mutex};

/// Commits diffed ahead of the in-order consumer, per worker thread.
const WINDOW_PER_THREAD: usize = 16;

/// Every commit to scan, oldest first: reachable from any ref or HEAD, minus
/// the ancestors of `since` (and `since` itself).
pub fn commits(repo: &Repository, since: Option<&str>) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk().context("cannot walk the history")?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    // Non-commit refs (a tag of a blob) are skipped by libgit2 for globs.
    walk.push_glob("*").context("cannot read the refs")?;
    // A detached HEAD is not under refs/; an unborn one has nothing to add.
    let _ = walk.push_head();
    if let Some(rev) = since {
        let obj = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .with_context(|| {
                format!("--since {rev}: not a commit here (give a branch, tag or commit id)")
            })?;
        walk.hide(obj.id())?;
    }
    walk.collect::<Result<Vec<_>, _>>()
        .context("cannot walk the history (is the repository complete?)")
}

/// A blob to scan and the commit that brought it.
struct Item {
    commit: usize,
    change: Change,
}

enum Job {
    Diff(usize),
    Scan(Item),
}

enum Done {
    Diffed(usize, Result<Vec<Change>, String>),
    Scanned(Item, Result<(FileResult, u64), String>),
}

/// Scans the commits (from [`commits`]) of the repository at `git_dir`.
pub fn check(
    git_dir: &std::path::Path,
    commits: &[Oid],
    pipeline: &Pipeline,
    progress: &Progress,
) -> Result<CheckReport> {
    let open = || Repository::open(git_dir);
    let (mut report, _) = check_until(&open, commits, pipeline, progress, None)?;
    let repo = open().context("cannot open the repository")?;
    mark_pushed(&repo, &mut report)?;
    report.sort();
    Ok(report)
}

/// Scans `commits` (oldest first) with repository handles from `open`, and
/// stops handing out commits once `deadline` has passed. Returns the report
/// and how many commits were checked: `commits[..n]` completely, none of the
/// rest. Commits already being diffed when the deadline passes are finished,
/// so the overrun is bounded by the diff window. `open` lets the pre-receive
/// hook give every handle the push's quarantine object directory.
pub fn check_until(
    open: &dyn Fn() -> Result<Repository, git2::Error>,
    commits: &[Oid],
    pipeline: &Pipeline,
    progress: &Progress,
    deadline: Option<std::time::Instant>,
) -> Result<(CheckReport, usize)> {
    // libgit2 re-hashes every object it reads by default; git itself does not
    // (that is fsck's job), and over a whole history SHA-1 (with collision
    // detection) cost more than the scan. keyhook only reads.
    git2::opts::strict_hash_verification(false);
    let threads = crate::workers::threads();
    // Open every handle up front so that a failure is one error, not a hang.
    let repos: Vec<Repository> = (0..threads)
        .map(|_| open())
        .collect::<Result<_, _>>()
        .context("cannot open the repository")?;
    progress.set_total(commits.len() as u64);
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let job_rx = Mutex::new(job_rx);
    let recent = Recent::default();
    let mut found: Vec<(usize, Finding)> = Vec::new();
    let mut report = CheckReport::default();
    let checked = progress.run(|| {
        std::thread::scope(|s| {
            for repo in repos {
                let (job_rx, done_tx, recent) = (&job_rx, done_tx.clone(), &recent);
                s.spawn(move || worker(&repo, commits, pipeline, recent, job_rx, done_tx));
            }
            drop(done_tx);
            let mut order = Ordered::default();
            let window = WINDOW_PER_THREAD * threads;
            let mut sent = 0;
            let mut scans = 0usize;
            loop {
                let expired = deadline.is_some_and(|d| std::time::Instant::now() >= d);
                while !expired && sent < commits.len() && sent < order.next + window {
                    job_tx.send(Job::Diff(sent)).expect("workers alive");
                    sent += 1;
                }
                if order.next == sent && scans == 0 && (expired || sent == commits.len()) {
                    break;
                }
                match done_rx.recv().expect("workers alive") {
                    Done::Diffed(i, r) => {
                        // Whatever a commit compares with is worth keeping
                        // when an earlier commit's scan reads it.
                        for change in r.iter().flatten() {
                            if let Base::Blob(old) = change.base {
                                recent.want(old);
                            }
                        }
                        order.pending.insert(i, r);
                        while let Some(r) = order.pending.remove(&order.next) {
                            let i = order.next;
                            order.next += 1;
                            progress.add_items(1);
                            match r {
                                Ok(changes) => {
                                    for change in changes {
                                        if order.is_new(pipeline, &change) {
                                            scans += 1;
                                            job_tx
                                                .send(Job::Scan(Item { commit: i, change }))
                                                .expect("workers alive");
                                        }
                                    }
                                }
                                Err(e) => report
                                    .unreadable
                                    .push((format!("commit {}", commits[i]), e)),
                            }
                        }
                    }
                    Done::Scanned(item, r) => {
                        scans -= 1;
                        let path = &item.change.path;
                        match r {
                            Ok((result, bytes)) => {
                                progress.add_bytes(bytes);
                                found.extend(result.findings.into_iter().map(|f| (item.commit, f)));
                                let counts = FileResult {
                                    findings: vec![],
                                    skipped: result.skipped,
                                };
                                report.absorb(path, counts, &pipeline.baseline);
                            }
                            Err(e) => report
                                .unreadable
                                .push((format!("{path} (commit {})", commits[item.commit]), e)),
                        }
                    }
                }
            }
            drop(job_tx);
            order.next
        })
    });
    let repo = open().context("cannot open the repository")?;
    for (i, mut f) in oldest_first(found) {
        if pipeline.baseline.accepts(&f) {
            report.accepted += 1;
            continue;
        }
        let commit = repo.find_commit(commits[i])?;
        f.commit = Some(CommitRef {
            id: commit.id().to_string(),
            subject: commit.summary().unwrap_or("").to_string(),
        });
        report.findings.push(f);
    }
    report.sort();
    Ok((report, checked))
}

/// Diffs arriving out of order, and what has been scanned already.
#[derive(Default)]
struct Ordered {
    next: usize,
    pending: BTreeMap<usize, Result<Vec<Change>, String>>,
    /// Blobs scanned with every line new: nothing in them can be new again.
    whole: HashSet<Oid>,
    /// (blob, base) pairs scanned.
    pairs: HashSet<(Oid, Base)>,
}

impl Ordered {
    /// True when `change` must be scanned: not skipped by config, not seen.
    fn is_new(&mut self, pipeline: &Pipeline, change: &Change) -> bool {
        if pipeline.skip.is_match(&change.path) || self.whole.contains(&change.new_id) {
            return false;
        }
        match change.base {
            Base::None => self.whole.insert(change.new_id),
            _ => self.pairs.insert((change.new_id, change.base.clone())),
        }
    }
}

/// A worker: takes jobs until the queue closes.
fn worker(
    repo: &Repository,
    commits: &[Oid],
    pipeline: &Pipeline,
    recent: &Recent,
    jobs: &Mutex<mpsc::Receiver<Job>>,
    done: mpsc::Sender<Done>,
) {
    loop {
        let job = jobs.lock().expect("job queue").recv();
        let Ok(job) = job else { return };
        let out = match job {
            Job::Diff(i) => Done::Diffed(
                i,
                caught(catch_unwind(AssertUnwindSafe(|| diff(repo, commits[i])))),
            ),
            Job::Scan(item) => {
                let r = caught(catch_unwind(AssertUnwindSafe(|| {
                    scan(repo, pipeline, recent, &item.change)
                })));
                Done::Scanned(item, r)
            }
        };
        if done.send(out).is_err() {
            return;
        }
    }
}

/// A panic must still answer its job, or the consumer would wait forever.
fn caught<T>(r: std::thread::Result<Result<T, String>>) -> Result<T, String> {
    r.unwrap_or_else(|_| Err("internal error (keyhook panicked here)".to_string()))
}

fn diff(repo: &Repository, id: Oid) -> Result<Vec<Change>, String> {
    let commit = repo.find_commit(id).map_err(|e| e.message().to_string())?;
    crate::source::commit::changes(repo, &commit).map_err(|e| {
        e.chain()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(": ")
    })
}

/// Scans one blob's added lines. An oversized blob is named without being
/// inflated (its size comes from the object header); a blob in which no rule
/// keyword occurs needs neither its old side nor a diff.
fn scan(
    repo: &Repository,
    pipeline: &Pipeline,
    recent: &Recent,
    change: &Change,
) -> Result<(FileResult, u64), String> {
    let git = |e: git2::Error| format!("blob {}: {}", change.new_id, e.message());
    let odb = repo.odb().map_err(git)?;
    let (size, _) = odb.read_header(change.new_id).map_err(git)?;
    let size = size as u64;
    let scanner = &pipeline.scanner;
    if size > scanner.max_file_size() {
        let skipped = FileResult {
            findings: vec![],
            skipped: Some(Skipped::TooLarge(size)),
        };
        return Ok((skipped, 0));
    }
    let blob = repo.find_blob(change.new_id).map_err(git)?;
    let data = blob.content();
    if looks_binary(data) {
        let skipped = FileResult {
            findings: vec![],
            skipped: Some(Skipped::Binary),
        };
        return Ok((skipped, size));
    }
    // A later version of this file may be diffed against this one.
    recent.put(change.new_id, data);
    if !scanner.may_match(data) {
        return Ok((FileResult::default(), size));
    }
    let added = match &change.base {
        Base::None => Added::All,
        Base::Blob(old) => match recent.get(*old) {
            Some(old) => Added::Lines(new_lines(&old, data)),
            None => Added::Lines(new_lines(
                repo.find_blob(*old).map_err(git)?.content(),
                data,
            )),
        },
        Base::Merge(_) => added_lines(repo, change, blob.content()).map_err(git)?,
    };
    let result = scanner.scan_file(&change.path, data, &added, &pipeline.ctx);
    Ok((result, size))
}

/// One finding per (rule, path, fingerprint): the one from the oldest commit.
fn oldest_first(found: Vec<(usize, Finding)>) -> Vec<(usize, Finding)> {
    let mut best: HashMap<(String, String, String), (usize, Finding)> = HashMap::new();
    for (i, f) in found {
        let key = (f.rule.clone(), f.path.clone(), f.fingerprint.clone());
        match best.get(&key) {
            Some((j, old)) if (*j, old.line, old.column) <= (i, f.line, f.column) => {}
            _ => {
                best.insert(key, (i, f));
            }
        }
    }
    let mut out: Vec<_> = best.into_values().collect();
    out.sort_by(|a, b| a.1.sort_key().cmp(&b.1.sort_key()).then(a.0.cmp(&b.0)));
    out
}

/// Marks findings whose commit is on a remote-tracking branch: removing such a
/// key from the code is not enough, it must be rotated.
fn mark_pushed(repo: &Repository, report: &mut CheckReport) -> Result<()> {
    if report.findings.is_empty() {
        return Ok(());
    }
    let mut walk = repo.revwalk()?;
    walk.push_glob("remotes/*")
        .context("cannot read the remote-tracking refs")?;
    let mut on_remote = HashSet::new();
    for id in walk {
        on_remote.insert(id.context("cannot walk the remote-tracking branches")?);
    }
    for f in &mut report.findings {
        let Some(c) = &f.commit else { continue };
        let short = &c.id[..c.id.len().min(10)];
        if on_remote.contains(&Oid::from_str(&c.id)?) {
            report.provenance.pushed.insert(c.id.clone());
            f.why = format!(
                "{}; commit {short} is on a remote-tracking branch: this key has been pushed",
                f.why
            );
            f.fix = PUSHED_FIX.to_string();
        } else {
            f.why = format!(
                "{}; commit {short} is on no remote-tracking branch yet",
                f.why
            );
            f.fix = LOCAL_FIX.to_string();
        }
    }
    Ok(())
}

/// Advice for a key in a commit that has been pushed.
pub const PUSHED_FIX: &str = "this key has been pushed: removing it is not enough, rotate it (revoke it at the provider and issue a new one), then move the new one out of the code";

/// Advice for a key only in local commits.
pub const LOCAL_FIX: &str = "before pushing, rewrite the local commits to drop it (`git rebase -i`), move the value to an environment variable or a secret manager, and rotate the key if it was shared in any other way";
