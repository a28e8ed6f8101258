//! `keyhook pre-receive`: the server-side gate. Runs as a git server's
//! pre-receive hook, checks every commit a push brings that the repository did
//! not have, and rejects the whole push on findings. It runs on the server, so
//! `git push --no-verify` (which only skips the pusher's own hooks) cannot
//! bypass it. Each ref's commits are judged with the `.keyhook.toml` and
//! `.keyhook-baseline.toml` committed in that ref's new tip (a bare repository
//! has no work tree to hold them), the same files every clone's hooks use.
//!
//! Time is bounded: past a deadline no further commit is started; the report
//! names every commit left unchecked, and the push is rejected (default: fail
//! closed) or accepted, as the server's settings say. Those settings come from
//! the server's git config, the environment or the command line, never from
//! the pushed tree: the pusher must not be able to switch the gate off.

use crate::baseline::{self, Baseline};
use crate::config::{self, Config};
use crate::outcome::Outcome;
use crate::pipeline::{history, Pipeline};
use crate::progress::Progress;
use crate::repo;
use crate::report::{human, plural, CheckReport, Subject};
use crate::source::receive;
use anyhow::{bail, Context, Result};
use git2::{Oid, Repository};
use std::io::{IsTerminal, Read, Write};
use std::time::{Duration, Instant};

/// What to do with a push whose commits were not all checked in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDeadline {
    /// Refuse the push (exit 2): an unchecked commit may hold a key.
    Reject,
    /// Let it through, after naming the commits that were not checked.
    Accept,
}

/// Default time budget for one push.
pub const DEFAULT_DEADLINE_SECS: u64 = 60;

/// Command-line settings; unset ones fall back to the environment
/// (`KEYHOOK_DEADLINE`, `KEYHOOK_ON_DEADLINE`), then to the server
/// repository's git config (`keyhook.deadline`, `keyhook.onDeadline`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    /// Seconds the check may take.
    pub deadline: Option<u64>,
    /// What to do when they run out.
    pub on_deadline: Option<OnDeadline>,
}

/// The settings in force for this push.
#[derive(Debug, Clone, Copy)]
struct Settings {
    deadline: Duration,
    on_deadline: OnDeadline,
}

impl Settings {
    fn resolve(o: Options, repo: &Repository) -> Result<Settings> {
        let config = repo.config().ok();
        let git = |key: &str| -> Option<String> { config.as_ref()?.get_string(key).ok() };
        let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
        let secs = match o.deadline {
            Some(s) => s,
            None => match env("KEYHOOK_DEADLINE")
                .map(|v| ("KEYHOOK_DEADLINE", v))
                .or_else(|| git("keyhook.deadline").map(|v| ("git config keyhook.deadline", v)))
            {
                Some((from, v)) => v.trim().parse::<u64>().with_context(|| {
                    format!("{from}: {v:?} is not a number of seconds (set it to e.g. 60)")
                })?,
                None => DEFAULT_DEADLINE_SECS,
            },
        };
        let on_deadline = match o.on_deadline {
            Some(x) => x,
            None => match env("KEYHOOK_ON_DEADLINE")
                .map(|v| ("KEYHOOK_ON_DEADLINE", v))
                .or_else(|| git("keyhook.ondeadline").map(|v| ("git config keyhook.onDeadline", v)))
            {
                Some((from, v)) => match v.trim().to_ascii_lowercase().as_str() {
                    "reject" => OnDeadline::Reject,
                    "accept" => OnDeadline::Accept,
                    _ => bail!("{from}: {v:?} is neither `reject` nor `accept`"),
                },
                None => OnDeadline::Reject,
            },
        };
        Ok(Settings {
            deadline: Duration::from_secs(secs),
            on_deadline,
        })
    }
}

/// A commit the deadline left unchecked, and the ref that brought it.
struct Unchecked<'u> {
    reference: &'u str,
    id: Oid,
}

/// Runs the pre-receive check on git's stdin.
pub fn run(o: Options) -> Result<Outcome> {
    let started = Instant::now();
    // git runs the hook in the repository's git directory with GIT_DIR set.
    let git_dir = repo::open()?.path().to_path_buf();
    let extra = receive::quarantine_dirs(|k| std::env::var(k).ok());
    let open = || receive::open(&git_dir, &extra);
    let repo = open().context("cannot open the repository with the push's objects")?;
    let settings = Settings::resolve(o, &repo)?;
    let deadline = started + settings.deadline;

    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        bail!("stdin: keyhook pre-receive reads `<old oid> <new oid> <ref name>` lines from stdin, as git gives them to a server's pre-receive hook (install it as hooks/pre-receive in the server's repository)");
    }
    let mut input = String::new();
    stdin
        .lock()
        .read_to_string(&mut input)
        .context("stdin: cannot read the refs being pushed")?;
    let updates = receive::parse(&input)?;
    let brought = receive::new_commits(&repo, &updates)?;

    let mut report = CheckReport::default();
    let mut unchecked: Vec<Unchecked<'_>> = Vec::new();
    let mut salt: Option<String> = None;
    for (u, commits) in updates.iter().zip(&brought) {
        if commits.is_empty() {
            continue;
        }
        let done = if Instant::now() >= deadline {
            0
        } else {
            let salt = salt.get_or_insert_with(|| baseline::salt::local(&git_dir));
            let pipeline = pipeline_at(&repo, u, salt)?;
            let quiet = Progress::with_display("commits", false);
            let (r, n) = history::check_until(&open, commits, &pipeline, &quiet, Some(deadline))?;
            merge(&mut report, r);
            n
        };
        unchecked.extend(commits[done..].iter().map(|&id| Unchecked {
            reference: &u.name,
            id,
        }));
    }
    report.sort();

    let stderr = std::io::stderr();
    let mut w = stderr.lock();
    human::write_report(&mut w, &report, Subject::Push, human::Style::new(false))?;
    if !report.findings.is_empty() {
        write_advice(&mut w, &report, &updates, &brought)?;
    }
    let late = !unchecked.is_empty();
    if late {
        write_unchecked(&mut w, &repo, &unchecked, settings)?;
    }
    w.flush()?;
    Ok(
        if report.incomplete() || (late && settings.on_deadline == OnDeadline::Reject) {
            Outcome::Incomplete
        } else if !report.findings.is_empty() {
            Outcome::Findings
        } else {
            Outcome::Clean
        },
    )
}

/// The pipeline for one ref: rules and baseline from the files committed in
/// its new tip. Without a baseline there, the server repository's own salt.
fn pipeline_at(repo: &Repository, u: &receive::Update, salt: &str) -> Result<Pipeline> {
    let text = |name: &str| -> Result<Option<String>> {
        match receive::file_at(repo, u.new, name)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
                anyhow::anyhow!(
                    "{}: {name}:1: not UTF-8 text (fix it and push again)",
                    u.name
                )
            }),
        }
    };
    let config = match text(config::FILE_NAME)? {
        Some(t) => Config::parse(&t).with_context(|| format!("{} (as pushed)", u.name))?,
        None => Config::default(),
    };
    let baseline = match text(baseline::FILE_NAME)? {
        Some(t) => Baseline::parse(&t).with_context(|| format!("{} (as pushed)", u.name))?,
        None => Baseline::with_salt(salt),
    };
    Pipeline::new(&config, baseline)
}

/// Adds one ref's report to the push's.
fn merge(all: &mut CheckReport, mut r: CheckReport) {
    all.findings.append(&mut r.findings);
    all.accepted_findings.append(&mut r.accepted_findings);
    all.unreadable.append(&mut r.unreadable);
    all.too_large.append(&mut r.too_large);
    all.binary += r.binary;
    all.scanned += r.scanned;
    all.accepted += r.accepted;
}

/// Which refs bring the findings and what the pusher does about them.
fn write_advice(
    w: &mut dyn Write,
    report: &CheckReport,
    updates: &[receive::Update],
    brought: &[Vec<Oid>],
) -> Result<()> {
    let mut refs: Vec<&str> = Vec::new();
    for f in &report.findings {
        let Some(c) = f.commit.as_ref().and_then(|c| Oid::from_str(&c.id).ok()) else {
            continue;
        };
        if let Some((u, _)) = updates.iter().zip(brought).find(|(_, b)| b.contains(&c)) {
            if !refs.contains(&u.name.as_str()) {
                refs.push(&u.name);
            }
        }
    }
    writeln!(
        w,
        "    the server rejected the whole push (no ref was updated); the findings are in commits pushed to {}",
        refs.join(", ")
    )?;
    writeln!(
        w,
        "    fix: rewrite those commits without the secret (`git commit --amend`, or `git rebase -i <commit>~1`, mark them `edit`), then push again; `git push --no-verify` does not skip this check, it runs on the server"
    )?;
    writeln!(
        w,
        "         the key has left your machine only as far as this rejected push, but rotate it if it was shared anywhere else"
    )?;
    Ok(())
}

/// Lists what the deadline left unchecked (the first few commits by id) and
/// what happens to the push.
fn write_unchecked(
    w: &mut dyn Write,
    repo: &Repository,
    unchecked: &[Unchecked<'_>],
    s: Settings,
) -> Result<()> {
    const SHOWN: usize = 20;
    writeln!(
        w,
        "keyhook: deadline of {} s reached: {} not checked:",
        s.deadline.as_secs(),
        plural(unchecked.len(), "pushed commit", "pushed commits")
    )?;
    for u in unchecked.iter().take(SHOWN) {
        let subject = repo
            .find_commit(u.id)
            .ok()
            .and_then(|c| c.summary().map(str::to_string))
            .unwrap_or_default();
        let id = u.id.to_string();
        writeln!(w, "    {} {} ({subject})", &id[..10], u.reference)?;
    }
    if unchecked.len() > SHOWN {
        writeln!(w, "    ... and {} more", unchecked.len() - SHOWN)?;
    }
    match s.on_deadline {
        OnDeadline::Reject => writeln!(
            w,
            "keyhook: push rejected: not every commit could be checked in time (push fewer commits at once, or the server admin raises `git config keyhook.deadline SECS`; `keyhook.onDeadline accept` lets such pushes through unchecked)"
        )?,
        OnDeadline::Accept => writeln!(
            w,
            "keyhook: push accepted without checking those commits (keyhook.onDeadline is `accept`); run `keyhook scan --history` on a clone to check them"
        )?,
    }
    Ok(())
}
