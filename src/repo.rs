//! Opening the repository keyhook runs in, with errors that say what to do.

use anyhow::{bail, Result};
use git2::Repository;
use std::path::{Path, PathBuf};

/// Opens the repository the way git would for a hook: honouring `GIT_DIR` and
/// friends, searching upwards from the current directory (subdirectories and
/// linked worktrees work).
pub fn open() -> Result<Repository> {
    // keyhook only reads objects git already wrote; re-hashing every object on
    // read (libgit2's default, SHA-1DC) costs ~12% of a scan and protects nothing here.
    tune_libgit2();
    match Repository::open_from_env() {
        Ok(r) => Ok(r),
        Err(e) if e.code() == git2::ErrorCode::NotFound => {
            let cwd = std::env::current_dir().unwrap_or_default();
            bail!(
                "{}: not a git repository (run keyhook inside a repository, or `git init` first)",
                cwd.display()
            )
        }
        Err(e) => bail!(
            "cannot open the repository: {} (check that `git status` works here)",
            e.message()
        ),
    }
}

/// Opens the repository and insists on a work tree.
pub fn open_with_worktree() -> Result<(Repository, PathBuf)> {
    let repo = open()?;
    let Some(root) = repo.workdir().map(Path::to_path_buf) else {
        bail!(
            "{}: is a bare repository (keyhook checks commits in a work tree; use `keyhook scan --history` for a bare one)",
            repo.path().display()
        )
    };
    Ok((repo, root))
}

/// Converts a git path (bytes) to a display string with `/` separators.
pub fn path_str(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Process-wide libgit2 settings for a read-only scanner.
fn tune_libgit2() {
    git2::opts::strict_hash_verification(false);
}
