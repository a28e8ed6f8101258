//! The files of a work tree, read from disk: the index gives the list of
//! tracked files (`--all-files` adds everything else on disk), or, outside a
//! repository, every file under the directory. Every line counts as added.
//! [`crate::pipeline::tree`] reads and scans them. Symlinks are never
//! followed: a symlink's content is its target text, one line, as git commits
//! it and as the staged and history scans read it ([`link_target`]).

use crate::repo::path_str;
use anyhow::{bail, Context, Result};
use git2::Repository;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a tree scan covers.
#[derive(Debug)]
pub struct Listing {
    /// Where `.keyhook.toml` is read and paths are relative to: the work tree
    /// root, or the scanned directory outside a repository.
    pub root: PathBuf,
    /// The repository's common git directory, when there is a repository.
    pub git_dir: Option<PathBuf>,
    /// Root-relative paths with `/` separators, sorted.
    pub files: Vec<String>,
    /// Directories that could not be listed: (path, error).
    pub unreadable: Vec<(String, String)>,
}

/// Lists the files to scan under `path`: tracked files when `path` is in a
/// repository (plus untracked and ignored ones with `all_files`), every file
/// otherwise. `.git` is never entered, symlinks are listed but never followed.
pub fn list(path: &Path, all_files: bool) -> Result<Listing> {
    let path =
        std::fs::canonicalize(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let repo = match Repository::discover(&path) {
        Ok(r) => Some(r),
        Err(e) if e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => bail!(
            "{}: cannot open the repository: {} (check that `git status` works here)",
            path.display(),
            e.message()
        ),
    };
    let Some(repo) = repo else {
        let (root, start) = if path.is_dir() {
            (path.clone(), path.clone())
        } else {
            (path.parent().unwrap_or(&path).to_path_buf(), path.clone())
        };
        let mut listing = Listing {
            root,
            git_dir: None,
            files: vec![],
            unreadable: vec![],
        };
        walk(&listing.root.clone(), &start, &mut listing);
        listing.files.sort();
        return Ok(listing);
    };
    let Some(workdir) = repo.workdir() else {
        bail!(
            "{}: is a bare repository (it has no files on disk; use `keyhook scan --history`)",
            repo.path().display()
        )
    };
    let root = std::fs::canonicalize(workdir)
        .with_context(|| format!("{}: cannot open", workdir.display()))?;
    let prefix = rel(&root, &path);
    let index = repo
        .index()
        .context("cannot read the index (is another git process running?)")?;
    let mut files = BTreeSet::new();
    for entry in index.iter() {
        // Gitlinks (submodules) hold no content of this repository.
        if entry.mode >> 12 == 0o16 {
            continue;
        }
        let p = path_str(&entry.path);
        if under(&p, &prefix) {
            files.insert(p);
        }
    }
    let mut listing = Listing {
        root: root.clone(),
        git_dir: Some(repo.commondir().to_path_buf()),
        files: vec![],
        unreadable: vec![],
    };
    if all_files {
        walk(&root, &path, &mut listing);
    }
    files.extend(listing.files.drain(..));
    listing.files = files.into_iter().collect();
    Ok(listing)
}

/// `path` relative to `root` with `/` separators ("" for the root itself).
fn rel(root: &Path, path: &Path) -> String {
    let r = path.strip_prefix(root).unwrap_or(Path::new(""));
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True when `path` is `prefix` or below it.
fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Adds every regular file and symlink under `start` (or `start` itself) to
/// the listing.
fn walk(root: &Path, start: &Path, listing: &mut Listing) {
    if start.is_file() {
        listing.files.push(rel(root, start));
        return;
    }
    let mut stack = vec![start.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                listing.unreadable.push((rel(root, &dir), e.to_string()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let p = entry.path();
            if ft.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(p);
                }
            } else if ft.is_file() || ft.is_symlink() {
                listing.files.push(rel(root, &p));
            }
            // FIFOs, sockets and devices are not files to scan.
        }
    }
}

/// A symlink's target as the bytes git stores as its blob, without following it.
pub fn link_target(link: &Path) -> std::io::Result<Vec<u8>> {
    let target = std::fs::read_link(link)?;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(target.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = target.to_string_lossy().replace('\\', "/").into_bytes();
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_matches_whole_components() {
        assert!(under("src/a.rs", ""));
        assert!(under("src/a.rs", "src"));
        assert!(under("src", "src"));
        assert!(!under("srcx/a.rs", "src"));
    }
}
