//! Reading staged content from the work tree instead of inflating its blob,
//! when the file's bytes provably are the blob's. `git diff --cached` does the
//! same (`reuse_worktree_file`): a file staged a moment ago is a loose object,
//! and reading the file costs less than inflating it.
//!
//! The proof is the object id itself: the file's bytes are hashed as git
//! hashes a blob (`blob <len>\0` and the content, SHA-1) and must give the
//! index entry's id. Nothing else is trusted: a clean filter, `ident`,
//! `working-tree-encoding` or end-of-line conversion, an attribute that comes
//! from `attr.tree` or from a `.gitattributes` removed since `git add`, or an
//! index holding two entries for one path, all make the bytes differ from the
//! blob, and the hash then differs too (issue 10). Stat data is only a cheap
//! pre-check that skips files changed since they were staged, whose hash
//! would not match anyway. A repository whose objects are not SHA-1
//! (`extensions.objectFormat`) never takes the shortcut.
//!
//! The hash is plain SHA-1 on the CPU's SHA instructions where it has them
//! (the `sha1` crate), not libgit2's collision-detecting SHA-1, which costs
//! about four times as much and was a tenth of a small commit's time. What
//! collision detection guards against is a crafted pair of files; here both
//! the staged blob and the work-tree file are the committer's own, and a
//! committer who wants a key past the hook has `--no-verify`.

use super::index_file::IndexFile;
use git2::{Oid, Repository};
use sha1::{Digest, Sha1};
use std::path::PathBuf;

/// A staged file's work-tree copy, which may hold the blob's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Absolute path of the work-tree file.
    pub file: PathBuf,
    /// The blob the bytes must hash to.
    pub id: Oid,
}

impl Copy {
    /// The file's bytes when they hash to the blob's id, else `None` (the
    /// caller then reads the blob).
    pub fn read(&self) -> Option<Vec<u8>> {
        let data = std::fs::read(&self.file).ok()?;
        (blob_id(&data) == self.id.as_bytes()).then_some(data)
    }
}

/// The SHA-1 object id git gives `data` as a blob: `blob <len>\0` then the bytes.
fn blob_id(data: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", data.len()).as_bytes());
    hasher.update(data);
    hasher.finalize().into()
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

/// Finds, per staged path, the work-tree file that may stand in for its blob.
pub struct Finder {
    root: PathBuf,
}

impl Finder {
    /// A finder for `repo`; `None` when the shortcut does not apply at all
    /// (no work tree, or object ids that are not SHA-1).
    pub fn new(repo: &Repository) -> Option<Finder> {
        let root = repo.workdir()?.to_path_buf();
        let config = repo.config().ok()?;
        match config.get_string("extensions.objectformat") {
            Ok(f) if !f.eq_ignore_ascii_case("sha1") => return None,
            _ => {}
        }
        Some(Finder { root })
    }

    /// The work-tree copy of the staged blob `id` at `path`, when the file's
    /// stat data still matches what the index recorded (the hash in
    /// [`Copy::read`] is the proof; this only skips files edited since).
    #[cfg(unix)]
    pub fn copy(&self, index: &IndexFile, path: &str, id: Oid) -> Option<Copy> {
        let entry = index.find(path.as_bytes())?;
        if entry.worktree_unreliable {
            return None;
        }
        let file = self.root.join(path);
        let meta = std::fs::symlink_metadata(&file).ok()?;
        if !meta.file_type().is_file() || index.stat(entry) != Stat::of_file(&meta) {
            return None;
        }
        Some(Copy { file, id })
    }

    /// Without Unix stat data there is no cheap pre-check: always the blob.
    #[cfg(not(unix))]
    pub fn copy(&self, _index: &IndexFile, _path: &str, _id: Oid) -> Option<Copy> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::ObjectType;

    #[test]
    fn blob_ids_are_the_ones_git_computes() {
        let mut big = Vec::new();
        for i in 0..100_000u32 {
            big.extend_from_slice(&i.to_le_bytes());
        }
        for data in [&b""[..], b"a", b"a\r\nb\n", &[0u8; 64], &[0xff; 65], &big] {
            let git = Oid::hash_object(ObjectType::Blob, data).unwrap();
            assert_eq!(&blob_id(data)[..], git.as_bytes(), "{} bytes", data.len());
        }
    }

    #[test]
    fn a_copy_is_trusted_only_when_it_hashes_to_the_blob() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"a\r\nb\n").unwrap();
        let id = |data: &[u8]| Oid::hash_object(ObjectType::Blob, data).unwrap();
        let copy = |id| Copy {
            file: file.clone(),
            id,
        };
        assert_eq!(
            copy(id(b"a\r\nb\n")).read().as_deref(),
            Some(&b"a\r\nb\n"[..])
        );
        // The same text after end-of-line conversion, or a filter's output.
        assert_eq!(copy(id(b"a\nb\n")).read(), None);
        assert_eq!(copy(id(b"a\r\nb\nkey\n")).read(), None);
    }
}
