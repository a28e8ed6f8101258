//! The staged diff: HEAD's tree (or the empty tree before the first commit)
//! against the index, through libgit2. Content comes from the index blobs, so a
//! partially staged file is judged on what will be committed, not on the work tree.

use super::index_file::IndexFile;
use super::Change;
use anyhow::{Context, Result};
use git2::{DiffFindOptions, Index, Repository, Tree};
use std::path::PathBuf;

/// The index a hook must read: git points `GIT_INDEX_FILE` at a temporary
/// index for `git commit <paths>` and `git commit -a`.
pub fn index(repo: &Repository) -> Result<Index> {
    let path = index_path(repo);
    Index::open(&path).with_context(|| format!("{}: cannot read the index", path.display()))
}

/// Where the index a hook must read lives: `GIT_INDEX_FILE` when git set it
/// (`git commit <paths>`, `git commit -a`), else the repository's own.
pub fn index_path(repo: &Repository) -> PathBuf {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) => {
            let path = PathBuf::from(path);
            match repo.workdir() {
                Some(w) if path.is_relative() => w.join(path),
                _ => path,
            }
        }
        None => repo.path().join("index"),
    }
}

/// Every file with added content in the staged diff (see [`super::collect`]).
/// keyhook's own index reader and cache-tree-aware diff do this for every
/// index git writes (split and sparse indexes included); libgit2 is asked
/// only for a layout that reader does not know (an unknown version or
/// mandatory extension), and fails closed on what it cannot read either.
pub fn changes(repo: &Repository) -> Result<Vec<Change>> {
    let head = head_tree(repo)?;
    let path = index_path(repo);
    let index = IndexFile::read(&path, repo.path())
        .with_context(|| format!("{}: cannot read the index", path.display()))?;
    let Ok(index) = index else {
        return changes_libgit2(repo, head.as_ref());
    };
    let mut changes = super::index_diff::changes(repo, head.as_ref().map(Tree::id), &index)
        .context("cannot diff HEAD against the index")?;
    if let Some(finder) = super::worktree::Finder::new(repo) {
        for c in &mut changes {
            c.copy = finder.copy(&index, &c.path, c.new_id);
        }
    }
    Ok(changes)
}

/// HEAD's tree, or `None` before the first commit.
fn head_tree(repo: &Repository) -> Result<Option<Tree<'_>>> {
    match repo.head() {
        Ok(head) => Ok(Some(
            head.peel_to_tree()
                .context("HEAD does not point to a commit")?,
        )),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e).context("cannot read HEAD"),
    }
}

/// The staged diff through libgit2: HEAD's whole tree against the index, with
/// rename detection.
pub fn changes_libgit2(repo: &Repository, head: Option<&Tree<'_>>) -> Result<Vec<Change>> {
    let index = index(repo)?;
    let mut opts = super::diff_options();
    let mut diff = repo
        .diff_tree_to_index(head, Some(&index), Some(&mut opts))
        .context("cannot diff HEAD against the index")?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .context("rename detection failed")?;
    Ok(super::collect(&diff))
}

/// The index as keyhook reads it: its own parser where it can, libgit2's for
/// a layout that parser does not know.
pub enum Staged {
    /// Parsed by [`IndexFile`].
    Own(IndexFile),
    /// Read by libgit2.
    Libgit2(Index),
}

impl Staged {
    /// Reads the index a hook must read (see [`index_path`]).
    pub fn open(repo: &Repository) -> Result<Staged> {
        let path = index_path(repo);
        let read = IndexFile::read(&path, repo.path())
            .with_context(|| format!("{}: cannot read the index", path.display()))?;
        Ok(match read {
            Ok(own) => Staged::Own(own),
            Err(_) => Staged::Libgit2(index(repo)?),
        })
    }

    /// The staged blob at `path` (stage 0).
    pub fn blob(&self, path: &str) -> Option<git2::Oid> {
        match self {
            Staged::Own(i) => i.find(path.as_bytes()).map(|e| i.oid(e)),
            Staged::Libgit2(i) => i.get_path(std::path::Path::new(path), 0).map(|e| e.id),
        }
    }

    /// Every staged regular file and symlink (whose target is its content)
    /// as (path, blob), in index order: no conflict stages (not what will be
    /// committed) and no submodules.
    pub fn files(&self) -> Vec<(String, git2::Oid)> {
        let content = super::is_content_mode;
        match self {
            Staged::Own(i) => i
                .entries
                .iter()
                .filter(|e| e.stage == 0 && content(e.mode))
                .map(|e| (crate::repo::path_str(i.path(e)), i.oid(e)))
                .collect(),
            Staged::Libgit2(i) => i
                .iter()
                .filter(|e| (e.flags >> 12) & 0x3 == 0 && content(e.mode))
                .map(|e| (crate::repo::path_str(&e.path), e.id))
                .collect(),
        }
    }
}

/// Every tracked file in the index as a change with every line added: the
/// whole tree as the next commit will hold it (`baseline update --all`,
/// `baseline prune`, the ledger's rebuild).
pub fn tracked(repo: &Repository) -> Result<Vec<Change>> {
    Ok(Staged::open(repo)?
        .files()
        .into_iter()
        .map(|(path, oid)| Change::new(path, oid, super::Base::None))
        .collect())
}
