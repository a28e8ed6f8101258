//! File changes that either all happen or none do. `install` and `uninstall`
//! touch several files (hook shims, renamed foreign hooks, husky scripts, the
//! manifest); a [`Transaction`] records how to undo each step, so a failure
//! half-way (a read-only directory, a full disk) rolls everything back instead
//! of leaving a repository whose hooks are half keyhook's.

use anyhow::{anyhow, Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How to undo one completed step.
#[derive(Debug)]
enum Undo {
    /// Delete a file the transaction created.
    RemoveFile(PathBuf),
    /// Delete a directory the transaction created.
    RemoveDir(PathBuf),
    /// Move a file back from `to` to `from`.
    Unrename { from: PathBuf, to: PathBuf },
    /// Put back a file's previous content and mode.
    Restore {
        path: PathBuf,
        content: Vec<u8>,
        mode: Option<u32>,
    },
}

/// A list of completed file changes that can be rolled back.
#[derive(Debug, Default)]
pub struct Transaction {
    undo: Vec<Undo>,
}

impl Transaction {
    /// An empty transaction.
    pub fn new() -> Transaction {
        Transaction::default()
    }

    /// Creates `dir` and any missing parents; returns the directories created,
    /// deepest first.
    pub fn create_dir_all(&mut self, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        for d in missing.iter().rev() {
            fs::create_dir(d).map_err(|e| {
                anyhow!(
                    "{}: cannot create the directory: {e} (check the permissions of its parent)",
                    d.display()
                )
            })?;
            self.undo.push(Undo::RemoveDir(d.clone()));
        }
        Ok(missing)
    }

    /// Writes `content` to `path` atomically (temporary file in the same
    /// directory, then rename), with `mode` on Unix. Replaces an existing file,
    /// whose content is kept for rollback.
    pub fn write(&mut self, path: &Path, content: &[u8], mode: Option<u32>) -> Result<()> {
        let previous = super::read_optional(path)?.map(|c| (c, file_mode(path)));
        write_atomic(path, content, mode)?;
        self.undo.push(match previous {
            Some((content, mode)) => Undo::Restore {
                path: path.to_path_buf(),
                content,
                mode,
            },
            None => Undo::RemoveFile(path.to_path_buf()),
        });
        Ok(())
    }

    /// Renames `from` to `to`; `to` must not exist.
    pub fn rename(&mut self, from: &Path, to: &Path) -> Result<()> {
        if to.symlink_metadata().is_ok() {
            return Err(anyhow!(
                "{}: already exists (move it away, then run this again)",
                to.display()
            ));
        }
        fs::rename(from, to)
            .map_err(|e| anyhow!("{}: cannot rename to {}: {e}", from.display(), to.display()))?;
        self.undo.push(Undo::Unrename {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
        });
        Ok(())
    }

    /// Moves `from` over `to`, replacing it (the replaced file is kept for rollback).
    pub fn replace_with(&mut self, from: &Path, to: &Path) -> Result<()> {
        let previous = fs::read(to).ok().map(|c| (c, file_mode(to)));
        fs::rename(from, to).map_err(|e| {
            anyhow!(
                "{}: cannot move back to {}: {e}",
                from.display(),
                to.display()
            )
        })?;
        // Undo runs newest first: move the file back to `from`, then give `to`
        // its old content.
        if let Some((content, mode)) = previous {
            self.undo.push(Undo::Restore {
                path: to.to_path_buf(),
                content,
                mode,
            });
        }
        self.undo.push(Undo::Unrename {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
        });
        Ok(())
    }

    /// Deletes a file (its content is kept for rollback).
    pub fn remove(&mut self, path: &Path) -> Result<()> {
        let content = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        let mode = file_mode(path);
        fs::remove_file(path).map_err(|e| anyhow!("{}: cannot delete: {e}", path.display()))?;
        self.undo.push(Undo::Restore {
            path: path.to_path_buf(),
            content,
            mode,
        });
        Ok(())
    }

    /// Keeps every change.
    pub fn commit(self) {}

    /// Undoes every change, newest first. Returns the steps that could not be
    /// undone, as messages (empty when the rollback was complete).
    pub fn rollback(self) -> Vec<String> {
        let mut failed = Vec::new();
        for step in self.undo.into_iter().rev() {
            let r = match &step {
                Undo::RemoveFile(p) => fs::remove_file(p),
                Undo::RemoveDir(p) => fs::remove_dir(p),
                Undo::Unrename { from, to } => fs::rename(to, from),
                Undo::Restore {
                    path,
                    content,
                    mode,
                } => write_atomic(path, content, *mode)
                    .map_err(|e| std::io::Error::other(e.to_string())),
            };
            if let Err(e) = r {
                failed.push(format!("{step:?}: {e}"));
            }
        }
        failed
    }
}

/// Runs `f` inside a transaction: commits on success, rolls back on error and
/// says in the error whether the rollback left everything as it was.
pub fn all_or_nothing<T>(f: impl FnOnce(&mut Transaction) -> Result<T>) -> Result<T> {
    let mut tx = Transaction::new();
    match f(&mut tx) {
        Ok(v) => {
            tx.commit();
            Ok(v)
        }
        Err(e) => {
            // One line, the cause first and the state of the repository last.
            let cause = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            let failed = tx.rollback();
            if failed.is_empty() {
                Err(anyhow!("{cause}; nothing was changed"))
            } else {
                Err(anyhow!(
                    "{cause}; could not undo every step, check these by hand: {}",
                    failed.join("; ")
                ))
            }
        }
    }
}

/// Writes a file atomically: a temporary file in the same directory, then a rename.
pub fn write_atomic(path: &Path, content: &[u8], mode: Option<u32>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.keyhook-tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        drop(f);
        if let Some(m) = mode {
            set_mode(&tmp, m)?;
        }
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        anyhow!(
            "{}: cannot write: {e} (make {} writable, then try again)",
            path.display(),
            dir.display()
        )
    })
}

/// The Unix permission bits of a file, if it has any.
pub fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// True for a regular file git would run as a hook (executable on Unix).
pub fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_restores_every_step() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        fs::write(&a, "old a").unwrap();
        let mut tx = Transaction::new();
        tx.create_dir_all(&dir.path().join("x/y")).unwrap();
        tx.rename(&a, &b).unwrap();
        tx.write(&a, b"new a", Some(0o755)).unwrap();
        tx.write(&b, b"changed b", None).unwrap();
        assert!(tx.rollback().is_empty());
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a"]);
        assert_eq!(fs::read(&a).unwrap(), b"old a");
    }

    #[test]
    fn rolling_back_a_replace_puts_both_files_back() {
        let dir = tempfile::tempdir().unwrap();
        let (shim, kept) = (dir.path().join("pre-push"), dir.path().join("kept"));
        fs::write(&shim, "shim").unwrap();
        fs::write(&kept, "foreign").unwrap();
        let mut tx = Transaction::new();
        tx.replace_with(&kept, &shim).unwrap();
        assert_eq!(fs::read(&shim).unwrap(), b"foreign");
        assert!(!kept.exists());
        assert!(tx.rollback().is_empty());
        assert_eq!(fs::read(&shim).unwrap(), b"shim");
        assert_eq!(fs::read(&kept).unwrap(), b"foreign");
    }

    #[test]
    fn rename_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        let mut tx = Transaction::new();
        assert!(tx.rename(&a, &b).is_err());
        assert_eq!(fs::read(&b).unwrap(), b"b");
    }
}
