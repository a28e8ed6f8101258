//! Reading staged content from the work tree instead of inflating its blob,
//! when git's own bookkeeping proves the two are the same bytes. This is what
//! `git diff --cached` does (`reuse_worktree_file`): a file staged a moment ago
//! is a loose object, and reading the file costs far less than inflating it.
//!
//! The proof, for one index entry:
//! - the file's `lstat` matches the entry's stat data (size, mtime and ctime to
//!   the nanosecond, inode, owner): nothing wrote to it since `git add`;
//! - the entry is not *racily clean*: its mtime is older than the index file's,
//!   so a write in the same clock tick as `git add` cannot hide behind equal stat data;
//! - the entry is an ordinary staged file (no assume-unchanged, skip-worktree or
//!   intent-to-add flag);
//! - no clean filter, `ident` or `working-tree-encoding` attribute rewrites it
//!   on the way into the object database (asked of libgit2 only when some
//!   attributes file exists at all);
//! - and, read back, the file has the entry's size; if it holds a carriage
//!   return while end-of-line conversion could apply, the blob is read instead.
//!
//! Whenever any of this is unknown, the blob is read: correctness never
//! depends on the shortcut.

use super::index_file::IndexFile;
use git2::Repository;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A staged file's work-tree copy, proven identical to its blob when the
/// changes were collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Absolute path of the work-tree file.
    pub file: PathBuf,
    /// The size the index recorded; a file of any other size is not the blob.
    pub size: u64,
    /// True when end-of-line conversion may apply (`core.autocrlf`, or some
    /// attributes file exists): content with a carriage return is then read
    /// from the blob instead.
    pub eol_sensitive: bool,
}

impl Copy {
    /// The file's bytes, or `None` when they cannot be trusted to be the blob's.
    pub fn read(&self) -> Option<Vec<u8>> {
        let data = std::fs::read(&self.file).ok()?;
        if data.len() as u64 != self.size {
            return None;
        }
        if self.eol_sensitive && data.contains(&b'\r') {
            return None;
        }
        Some(data)
    }
}

/// The stat data git keeps per index entry, and the same fields of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    /// Modification time: seconds, nanoseconds.
    pub mtime: (i64, u32),
    /// Inode change time: seconds, nanoseconds.
    pub ctime: (i64, u32),
    /// Inode number (git keeps the low 32 bits).
    pub ino: u32,
    /// Owner (git keeps the low 32 bits).
    pub uid: u32,
    /// Group (git keeps the low 32 bits).
    pub gid: u32,
    /// Size in bytes (git keeps the low 32 bits).
    pub size: u32,
}

impl Stat {
    /// The same fields of a file's metadata (truncated the way git truncates them).
    #[cfg(unix)]
    pub fn of_file(m: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            mtime: (m.mtime(), m.mtime_nsec() as u32),
            ctime: (m.ctime(), m.ctime_nsec() as u32),
            ino: m.ino() as u32,
            uid: m.uid(),
            gid: m.gid(),
            size: m.size() as u32,
        }
    }
}

/// True when a file whose stat data is `file` still holds what was staged for
/// an entry with stat data `entry`, in an index written at `index_mtime`.
/// Equal stat data proves nothing for an entry as new as the index itself (a
/// second write in the same tick keeps size and times), so those are refused.
pub fn unchanged(entry: Stat, file: Stat, index_mtime: (i64, u32)) -> bool {
    entry == file && entry.mtime < index_mtime && entry.mtime != (0, 0)
}

/// Decides, per staged path, whether its work-tree copy may stand in for the blob.
pub struct Finder<'r> {
    repo: &'r Repository,
    root: PathBuf,
    index_mtime: (i64, u32),
    /// Some attributes file exists: filters must be asked of libgit2 per path.
    attributes_anywhere: bool,
    /// Directories known to hold (true) or not hold a `.gitattributes`.
    dirs: HashMap<PathBuf, bool>,
    eol_sensitive: bool,
}

impl<'r> Finder<'r> {
    /// A finder for an index in `repo` written at `index_mtime`; `None` when
    /// the shortcut cannot be justified at all (no work tree, no index file).
    pub fn new(repo: &'r Repository, index_mtime: Option<(i64, u32)>) -> Option<Finder<'r>> {
        let root = repo.workdir()?.to_path_buf();
        let index_mtime = index_mtime?;
        let config = repo.config().ok()?;
        let autocrlf = match config.get_string("core.autocrlf") {
            Ok(v) => !matches!(
                v.to_ascii_lowercase().as_str(),
                "false" | "no" | "off" | "0"
            ),
            Err(_) => false,
        };
        let attributes_anywhere = global_attributes_exist(repo, &config);
        Some(Finder {
            repo,
            root,
            index_mtime,
            attributes_anywhere,
            dirs: HashMap::new(),
            eol_sensitive: autocrlf || attributes_anywhere,
        })
    }

    /// The work-tree copy of the staged file at `path`, when it provably holds
    /// the staged bytes.
    #[cfg(unix)]
    pub fn copy(&mut self, index: &IndexFile, path: &str) -> Option<Copy> {
        let entry = index.find(path.as_bytes())?;
        if entry.worktree_unreliable {
            return None;
        }
        let file = self.root.join(path);
        let meta = std::fs::symlink_metadata(&file).ok()?;
        if !meta.file_type().is_file()
            || !unchanged(index.stat(entry), Stat::of_file(&meta), self.index_mtime)
        {
            return None;
        }
        if self.has_attributes(index, path) && self.rewritten(path) {
            return None;
        }
        Some(Copy {
            file,
            size: meta.len(),
            eol_sensitive: self.eol_sensitive,
        })
    }

    /// Without Unix stat data there is nothing to compare: always the blob.
    #[cfg(not(unix))]
    pub fn copy(&mut self, _index: &IndexFile, _path: &str) -> Option<Copy> {
        None
    }

    /// True when some attributes file could apply to `path`: a repository-wide
    /// or user-wide one, or a `.gitattributes` (staged or in the work tree) in
    /// the file's directory or any above it.
    fn has_attributes(&mut self, index: &IndexFile, path: &str) -> bool {
        if self.attributes_anywhere {
            return true;
        }
        let mut dir = Path::new(path).parent();
        let mut found = false;
        while let Some(d) = dir {
            let known = match self.dirs.get(d) {
                Some(&k) => k,
                None => {
                    let rel = d.join(".gitattributes");
                    let k = index.find(rel.to_string_lossy().as_bytes()).is_some()
                        || self.root.join(&rel).exists();
                    self.dirs.insert(d.to_path_buf(), k);
                    k
                }
            };
            if known {
                found = true;
                break;
            }
            dir = d.parent();
        }
        if found {
            // End-of-line attributes may apply to this file and others.
            self.eol_sensitive = true;
        }
        found
    }

    /// True when an attribute makes git rewrite `path`'s content on its way
    /// into the object database (other than end-of-line conversion, which
    /// [`Copy::read`] handles).
    fn rewritten(&self, path: &str) -> bool {
        ["filter", "ident", "working-tree-encoding"]
            .iter()
            .any(|name| {
                !matches!(
                    self.repo.get_attr_bytes(
                        Path::new(path),
                        name,
                        git2::AttrCheckFlags::FILE_THEN_INDEX
                    ),
                    Ok(None) | Ok(Some(b"false"))
                )
            })
    }
}

/// True when `$GIT_DIR/info/attributes`, `core.attributesFile`, the default
/// user attributes file or a system one exists.
fn global_attributes_exist(repo: &Repository, config: &git2::Config) -> bool {
    let mut candidates = vec![repo.commondir().join("info").join("attributes")];
    if let Ok(p) = config.get_path("core.attributesFile") {
        candidates.push(p);
    }
    match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(x) => candidates.push(PathBuf::from(x).join("git").join("attributes")),
        None => {
            if let Some(h) = std::env::var_os("HOME") {
                candidates.push(
                    PathBuf::from(h)
                        .join(".config")
                        .join("git")
                        .join("attributes"),
                );
            }
        }
    }
    if std::env::var_os("GIT_ATTR_NOSYSTEM").is_none() {
        candidates.push(PathBuf::from("/etc/gitattributes"));
        candidates.push(PathBuf::from("/usr/local/etc/gitattributes"));
    }
    candidates.iter().any(|p| p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mtime: (i64, u32)) -> Stat {
        Stat {
            mtime,
            ctime: mtime,
            ino: 42,
            uid: 1000,
            gid: 1000,
            size: 120,
        }
    }

    #[test]
    fn equal_stat_data_older_than_the_index_proves_the_content() {
        let e = stat((100, 5));
        assert!(unchanged(e, e, (100, 6)));
        assert!(unchanged(e, e, (200, 0)));
    }

    #[test]
    fn an_entry_as_new_as_the_index_is_racy_and_refused() {
        let e = stat((100, 5));
        assert!(!unchanged(e, e, (100, 5)));
        assert!(!unchanged(e, e, (100, 4)));
        assert!(!unchanged(e, e, (99, 999)));
    }

    #[test]
    fn any_differing_field_refuses() {
        let e = stat((100, 5));
        let idx = (500, 0);
        for f in [
            Stat { size: 121, ..e },
            Stat { ino: 43, ..e },
            Stat { uid: 0, ..e },
            Stat { gid: 0, ..e },
            Stat {
                ctime: (101, 0),
                ..e
            },
            Stat {
                mtime: (100, 6),
                ..e
            },
        ] {
            assert!(!unchanged(e, f, idx), "{f:?}");
        }
    }

    #[test]
    fn an_entry_without_times_is_refused() {
        let e = stat((0, 0));
        assert!(!unchanged(e, e, (500, 0)));
    }

    #[test]
    fn a_copy_of_another_size_or_with_cr_when_eol_matters_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"a\r\nb\n").unwrap();
        let copy = |size, eol_sensitive| Copy {
            file: file.clone(),
            size,
            eol_sensitive,
        };
        assert_eq!(copy(5, false).read().as_deref(), Some(&b"a\r\nb\n"[..]));
        assert_eq!(copy(4, false).read(), None);
        assert_eq!(copy(5, true).read(), None);
    }
}
