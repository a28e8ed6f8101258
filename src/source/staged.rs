//! The staged diff: HEAD's tree (or the empty tree before the first commit)
//! against the index, through libgit2. Content comes from the index blobs, so a
//! partially staged file is judged on what will be committed, not on the work tree.

use super::Change;
use anyhow::{Context, Result};
use git2::{DiffFindOptions, Index, Repository};

/// The index a hook must read: git points `GIT_INDEX_FILE` at a temporary
/// index for `git commit <paths>` and `git commit -a`.
pub fn index(repo: &Repository) -> Result<Index> {
    match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) => {
            let path = std::path::PathBuf::from(path);
            let path = if path.is_relative() {
                repo.workdir().map(|w| w.join(&path)).unwrap_or(path)
            } else {
                path
            };
            Index::open(&path).with_context(|| format!("{}: cannot read the index", path.display()))
        }
        None => repo
            .index()
            .context("cannot read the index (is another git process running?)"),
    }
}

/// Every file with added content in the staged diff (see [`super::collect`]).
pub fn changes(repo: &Repository) -> Result<Vec<Change>> {
    let index = index(repo)?;
    let head_tree = match repo.head() {
        Ok(head) => Some(
            head.peel_to_tree()
                .context("HEAD does not point to a commit")?,
        ),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(e).context("cannot read HEAD"),
    };
    let mut opts = super::diff_options();
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))
        .context("cannot diff HEAD against the index")?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .context("rename detection failed")?;
    let mut changes = super::collect(&diff);
    if let Some(mut finder) = super::worktree::Finder::new(repo, &index) {
        for c in &mut changes {
            c.copy = finder.copy(&index, &c.path);
        }
    }
    Ok(changes)
}

/// Every tracked file in the index as a change with every line added: the
/// whole tree as the next commit will hold it (`baseline update --all`,
/// `baseline prune`). Submodules and symlinks are left out, as in diffs.
pub fn tracked(repo: &Repository) -> Result<Vec<Change>> {
    let index = index(repo)?;
    let mut out = Vec::with_capacity(index.len());
    for entry in index.iter() {
        // Stage bits (12-13) set: an unmerged entry; its stage-0 version does
        // not exist yet and the conflict stages are not what will be committed.
        if (entry.flags >> 12) & 0x3 != 0 {
            continue;
        }
        // Regular files only (0o100644, 0o100755): not gitlinks or symlinks.
        if entry.mode & 0o170000 != 0o100000 {
            continue;
        }
        out.push(Change::new(
            crate::repo::path_str(&entry.path),
            entry.id,
            super::Base::None,
        ));
    }
    Ok(out)
}
