//! Writing shared files safely: atomic replacement (temporary file in the same
//! directory, then rename, so a reader or a crash never sees half a file) and a
//! lock file (`create_new`, as git's `index.lock`) so that two writers racing
//! read-modify-write lose nothing.

use anyhow::{bail, Context, Result};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Replaces `path` with `data` atomically. The temporary file lives next to
/// `path` (a rename across file systems is not atomic) and is removed on error.
pub fn write(path: &Path, data: &[u8]) -> Result<()> {
    let tmp = sibling(path, &format!("tmp.{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("{}: cannot write", display_name(path)));
    }
    Ok(())
}

/// Creates `path` holding `data` unless it already exists; never replaces an
/// existing file, so two processes racing to create it agree on one content.
/// Returns false when the file was already there.
pub fn create_new(path: &Path, data: &[u8]) -> std::io::Result<bool> {
    let tmp = sibling(path, &format!("tmp.{}", std::process::id()));
    let result = (|| -> std::io::Result<bool> {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        // A hard link, unlike a rename, fails when the target exists: the
        // first writer wins and everyone else reads its content.
        match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    })();
    let _ = fs::remove_file(&tmp);
    result
}

/// An exclusive lock held while a file is read, changed and written back.
/// Removed when dropped.
#[derive(Debug)]
pub struct FileLock {
    path: PathBuf,
}

impl FileLock {
    /// Takes the lock at `path`, retrying with short sleeps for up to `wait`.
    /// A lock left by a crashed run is not broken automatically (that could
    /// break a live one): the error names the file to delete.
    pub fn acquire(path: &Path, wait: Duration) -> Result<FileLock> {
        let start = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut f) => {
                    // Who holds it, for a person looking at a stale lock.
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(FileLock {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if start.elapsed() >= wait {
                        let name = display_name(path);
                        bail!(
                            "{name}: another keyhook is changing the baseline (wait for it and retry; if no keyhook is running, delete {name})"
                        );
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("{}: cannot create the lock", display_name(path)))
                }
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// `dir/.name.suffix` for `dir/name`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// The file name alone: errors name files relative to the repository root,
/// where all of keyhook's shared files live.
fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.toml");
        fs::write(&p, "old").unwrap();
        write(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn create_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("salt");
        assert!(create_new(&p, b"first").unwrap());
        assert!(!create_new(&p, b"second").unwrap());
        assert_eq!(fs::read(&p).unwrap(), b"first");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.toml.lock");
        let held = FileLock::acquire(&p, Duration::ZERO).unwrap();
        let err = FileLock::acquire(&p, Duration::from_millis(50))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "b.toml.lock: another keyhook is changing the baseline (wait for it and retry; if no keyhook is running, delete b.toml.lock)"
        );
        drop(held);
        assert!(!p.exists());
        FileLock::acquire(&p, Duration::ZERO).unwrap();
    }
}
