//! Changing the baseline file safely: under an exclusive lock, re-read the
//! file, apply the change, write it back atomically, and only if it changed.
//! Two `baseline update` runs racing therefore both land, and a file that does
//! not parse is refused before anything is written.

use super::{Baseline, FILE_NAME};
use crate::atomic::{self, FileLock};
use anyhow::Result;
use std::path::Path;
use std::time::Duration;

/// Name of the lock file, next to the baseline.
pub const LOCK_NAME: &str = ".keyhook-baseline.toml.lock";

/// How long to wait for another run's lock before giving up. Holders only
/// re-read, merge and write, which takes milliseconds.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Locks the baseline of the work tree at `root`, re-reads it (or starts an
/// empty one with the local salt), lets `change` modify it, and writes it back
/// when its entries changed. An empty baseline is never created as a file.
pub fn edit<T>(
    root: &Path,
    git_dir: Option<&Path>,
    change: impl FnOnce(&mut Baseline) -> Result<T>,
) -> Result<T> {
    let _lock = FileLock::acquire(&root.join(LOCK_NAME), LOCK_WAIT)?;
    let mut baseline = Baseline::load(root, git_dir)?;
    let before = baseline.clone();
    let out = change(&mut baseline)?;
    let unchanged = baseline.entries() == before.entries();
    if !unchanged && (baseline.from_file() || !baseline.entries().is_empty()) {
        atomic::write(&root.join(FILE_NAME), baseline.render().as_bytes())?;
    }
    Ok(out)
}
