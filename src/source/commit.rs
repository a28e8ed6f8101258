//! The lines a commit added: diffed against its first parent (the empty tree
//! for a root commit). A merge commit is diffed against every parent, and only
//! lines found in no parent count: the lines a conflict resolution introduced.

use super::{collect, diff_options, Base, Change};
use anyhow::{Context, Result};
use git2::{Commit, DiffFindOptions, ObjectType, Repository, Tree};

/// Every file with added content in `commit`.
pub fn changes(repo: &Repository, commit: &Commit<'_>) -> Result<Vec<Change>> {
    let tree = commit
        .tree()
        .with_context(|| format!("commit {}: cannot read its tree", commit.id()))?;
    let parents: Vec<Tree<'_>> = commit
        .parents()
        .map(|p| p.tree())
        .collect::<Result<_, _>>()
        .with_context(|| {
            format!(
                "commit {}: cannot read a parent (shallow clone?)",
                commit.id()
            )
        })?;
    let mut opts = diff_options();
    let mut diff = repo
        .diff_tree_to_tree(parents.first(), Some(&tree), Some(&mut opts))
        .with_context(|| format!("commit {}: cannot diff against its parent", commit.id()))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .context("rename detection failed")?;
    let mut changes = collect(&diff);
    if parents.len() < 2 {
        return Ok(changes);
    }
    changes.retain_mut(|change| merge_base_for(change, &parents[1..]));
    Ok(changes)
}

/// Widens a first-parent change to all parents of a merge. Returns false when
/// some parent already has exactly this content (nothing is new).
fn merge_base_for(change: &mut Change, other_parents: &[Tree<'_>]) -> bool {
    let mut blobs: Vec<git2::Oid> = match &change.base {
        Base::Blob(id) => vec![*id],
        _ => vec![],
    };
    for tree in other_parents {
        let Ok(entry) = tree.get_path(std::path::Path::new(&change.path)) else {
            continue;
        };
        if entry.kind() != Some(ObjectType::Blob) {
            continue;
        }
        if entry.id() == change.new_id {
            return false;
        }
        blobs.push(entry.id());
    }
    change.base = match blobs.len() {
        0 => Base::None,
        _ => Base::Merge(blobs),
    };
    true
}
