//! `keyhook scan`: what is already there. The work tree (default), the whole
//! history (`--history`) or local AI tool session stores (`--ai-sessions`),
//! through the same pipeline as the hooks, rendered in the chosen format.

use crate::config::Config;
use crate::outcome::Outcome;
use crate::pipeline::{history, tree, Pipeline};
use crate::progress::Progress;
use crate::report::{self, CheckReport, Format, Subject};
use crate::source;
use crate::{ledger, sessions};
use anyhow::{bail, Context, Result};
use clap::Args;
use git2::Repository;
use std::path::{Path, PathBuf};

/// `keyhook scan` options (one struct from the command line to `cmd::scan`).
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory to scan: a repository (its tracked files) or a plain
    /// directory (every file). Default: the current directory.
    pub path: Option<PathBuf>,
    /// Also scan untracked and ignored files.
    #[arg(long, conflicts_with_all = ["history", "ai_sessions"])]
    pub all_files: bool,
    /// Scan every commit reachable from any ref instead of the work tree.
    #[arg(long, conflicts_with = "ai_sessions")]
    pub history: bool,
    /// With --history: only commits not reachable from REV.
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,
    /// Scan local AI coding tool transcripts and session stores (Claude
    /// Code, Codex, Gemini CLI, aider, Continue, Cursor, VS Code).
    #[arg(long)]
    pub ai_sessions: bool,
    /// With --ai-sessions: use DIR instead of the home directory.
    #[arg(long, value_name = "DIR", requires = "ai_sessions")]
    pub root: Option<PathBuf>,
    /// Output format: human (stderr), json or sarif (stdout).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// Runs a scan and reports it.
pub fn run(o: ScanArgs) -> Result<Outcome> {
    let path = o.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let (report, pipeline) = if o.history {
        scan_history(&path, o.since.as_deref())?
    } else if o.ai_sessions {
        scan_sessions(&path, o.root.as_deref())?
    } else {
        let listing = source::tree::list(&path, o.all_files)?;
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
    // Inside a repository: its config and salt, and its ledger of committed
    // secrets to mark keys that must be rotated; outside one: defaults.
    let repo = Repository::discover(path)
        .ok()
        .filter(|r| r.workdir().is_some());
    let (pipeline, extra, ledger) = match &repo {
        Some(repo) => {
            let root = repo.workdir().expect("has a work tree");
            let pipeline = Pipeline::load(root, Some(repo.commondir()))?;
            let extra = Config::load(root)?.ai_session_stores;
            let mut notes = Vec::new();
            // Read only: a rebuilt ledger is used, not saved (the hook saves it).
            let ledger = match ledger::load_or_rebuild(
                &pipeline,
                repo,
                repo.commondir(),
                &mut notes,
            ) {
                Ok((l, _)) => Some(l),
                Err(e) => {
                    notes.push(format!("keyhook: warning: cannot read the secret ledger ({e:#}); keys are not cross-checked with the repository"));
                    None
                }
            };
            for n in notes {
                eprintln!("{n}");
            }
            (pipeline, extra, ledger)
        }
        None => (
            Pipeline::new(&Config::default(), Default::default())?,
            vec![],
            None,
        ),
    };
    let in_repo = |fp: &str| -> Option<String> {
        let paths: Vec<&str> = ledger.as_ref()?.paths(fp).collect();
        (!paths.is_empty()).then(|| paths.join(", "))
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
