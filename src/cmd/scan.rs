//! `keyhook scan`: what is already there. The work tree (default), the whole
//! history (`--history`) or local AI tool session stores (`--ai-sessions`),
//! through the same pipeline as the hooks, rendered in the chosen format.

use crate::config::Config;
use crate::outcome::Outcome;
use crate::pipeline::{CheckReport, Pipeline};
use crate::progress::Progress;
use crate::report::{self, Format, Subject};
use crate::sessions;
use crate::source::{history, tree};
use anyhow::{bail, Context, Result};
use git2::Repository;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The command line of `keyhook scan`.
#[derive(Debug)]
pub struct Options {
    /// Directory (or repository) to scan; the current directory by default.
    pub path: Option<PathBuf>,
    /// Include untracked and ignored files.
    pub all_files: bool,
    /// Scan the history instead of the work tree.
    pub history: bool,
    /// With `history`: skip the ancestors of this revision.
    pub since: Option<String>,
    /// Scan AI session stores instead of the work tree.
    pub ai_sessions: bool,
    /// With `ai_sessions`: the directory standing for the home directory.
    pub root: Option<PathBuf>,
    /// Output format.
    pub format: Format,
}

/// Runs a scan and reports it.
pub fn run(o: Options) -> Result<Outcome> {
    let path = o.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let (report, pipeline) = if o.history {
        scan_history(&path, o.since.as_deref())?
    } else if o.ai_sessions {
        scan_sessions(&path, o.root.as_deref())?
    } else {
        let listing = tree::list(&path, o.all_files)?;
        let pipeline = Pipeline::load(&listing.root, listing.git_dir.as_deref())?;
        let report = tree::check(&pipeline, &listing, &Progress::new("files"));
        (report, pipeline)
    };
    report::render(&report, Subject::Scan, o.format, pipeline.scanner.rules())?;
    Ok(if report.incomplete() {
        Outcome::Incomplete
    } else if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn discover(path: &Path) -> Result<Repository> {
    Repository::discover(path).map_err(|e| {
        if e.code() == git2::ErrorCode::NotFound {
            anyhow::anyhow!(
                "{}: not a git repository (--history needs one; run it inside a repository)",
                path.display()
            )
        } else {
            anyhow::anyhow!(
                "{}: cannot open the repository: {} (check that `git status` works here)",
                path.display(),
                e.message()
            )
        }
    })
}

fn scan_history(path: &Path, since: Option<&str>) -> Result<(CheckReport, Pipeline)> {
    let repo = discover(path)?;
    // A bare repository has no work tree to hold .keyhook.toml: defaults apply.
    let root = repo.workdir().unwrap_or(repo.path()).to_path_buf();
    let pipeline = Pipeline::load(&root, Some(repo.commondir()))?;
    let commits = history::commits(&repo, since)?;
    let report = history::check(repo.path(), &commits, &pipeline, &Progress::new("commits"))?;
    Ok((report, pipeline))
}

fn scan_sessions(path: &Path, root: Option<&Path>) -> Result<(CheckReport, Pipeline)> {
    let home = match root {
        Some(r) => r.to_path_buf(),
        None => match std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
            Some(h) => PathBuf::from(h),
            None => bail!("cannot find the home directory (set HOME, or pass --root DIR)"),
        },
    };
    if !home.is_dir() {
        bail!(
            "{}: not a directory (--root must name a directory)",
            home.display()
        );
    }
    // Inside a repository: its config, salt and committed secrets; outside: defaults.
    // The whole work tree, whatever subdirectory we run in: a key committed
    // anywhere in the repository counts.
    let listing = match Repository::discover(path) {
        Ok(r) => match r.workdir() {
            Some(w) => Some(tree::list(w, false)?),
            None => None,
        },
        Err(_) => None,
    };
    let (pipeline, extra) = match &listing {
        Some(l) => (
            Pipeline::load(&l.root, l.git_dir.as_deref())?,
            Config::load(&l.root)?.ai_session_stores,
        ),
        None => (
            Pipeline::new(&Config::default(), Default::default())?,
            vec![],
        ),
    };
    let in_repo = match &listing {
        Some(l) => committed_secrets(&pipeline, l),
        None => BTreeMap::new(),
    };
    let stores = sessions::stores(&extra);
    let found = sessions::discover(&home, &stores)
        .with_context(|| format!("{}: cannot search for AI session stores", home.display()))?;
    let report = sessions::check(
        &pipeline,
        &stores,
        &found,
        &in_repo,
        &Progress::new("files"),
    );
    Ok((report, pipeline))
}

/// Fingerprint → `path:line` of every secret in the repository's tracked files.
/// (When the ledger of committed fingerprints exists, it can answer this
/// without a scan; until then the tree scan is the source of truth.)
fn committed_secrets(pipeline: &Pipeline, listing: &tree::Listing) -> BTreeMap<String, String> {
    let quiet = Progress::with_display("files", false);
    let report = tree::check(pipeline, listing, &quiet);
    let mut out = BTreeMap::new();
    for f in report.findings {
        out.entry(f.fingerprint)
            .or_insert_with(|| format!("{}:{}", f.path, f.line));
    }
    out
}
