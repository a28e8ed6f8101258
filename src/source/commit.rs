//! The lines a commit added: diffed against its first parent (the empty tree
//! for a root commit). A merge commit is diffed against every parent, and only
//! lines found in no parent count: the lines a conflict resolution introduced.
//!
//! Most commits only add and modify files. Those are found by walking the two
//! trees and skipping every subtree whose id did not change, as git does;
//! libgit2's tree diff flattens both trees and compares every entry, which in
//! a history or a push costs a whole-tree walk per commit (issue 13). When a
//! path was deleted or changed kind, rename detection decides what the new
//! side is compared with, and the commit goes through libgit2's diff and
//! `find_similar` as before.

use super::{collect, diff_options, is_content_mode, Base, Change};
use crate::repo::path_str;
use anyhow::{Context, Result};
use git2::{Commit, DiffFindOptions, ObjectType, Oid, Repository, Tree};
use std::cmp::Ordering;

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
    let in_place = in_place(repo, parents.first(), &tree)
        .with_context(|| format!("commit {}: cannot diff against its parent", commit.id()))?;
    let mut changes = match in_place {
        Some(changes) => changes,
        None => diffed(repo, parents.first(), &tree)
            .with_context(|| format!("commit {}: cannot diff against its parent", commit.id()))?,
    };
    if parents.len() < 2 {
        return Ok(changes);
    }
    changes.retain_mut(|change| merge_base_for(change, &parents[1..]));
    Ok(changes)
}

/// The changes from `old` (`None`: the empty tree) to `new` by libgit2's
/// tree diff, with renames paired as git pairs them.
fn diffed(repo: &Repository, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Vec<Change>> {
    let mut opts = diff_options();
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .context("rename detection failed")?;
    Ok(collect(&diff))
}

/// The changes from `old` to `new` when every difference is an added entry
/// or an entry modified in place (the same kind of entry at the same path):
/// then there is nothing to pair as a rename (its sources are deleted and
/// type-changed entries only), and these are exactly the changes [`diffed`]
/// gives, in the same order (path order, which is tree order). `None` as soon
/// as a path was deleted or changed kind. Subtrees with equal ids are skipped.
fn in_place(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
) -> Result<Option<Vec<Change>>, git2::Error> {
    let mut out = Vec::new();
    let mut prefix = Vec::new();
    Ok(walk(repo, old, new, &mut prefix, &mut out)?.then_some(out))
}

/// What kind of entry a tree holds at a path (git's file type bits); a change
/// between kinds is a deletion and an addition, or a type change, for git.
fn kind(mode: i32) -> u32 {
    mode as u32 & 0o170000
}

/// The kind of a subtree.
const TREE: u32 = 0o040000;

/// [`in_place`] for the trees at `prefix`; false when the fast path does not
/// apply. Both trees' entries are in git's tree order, so they are matched by
/// one merge of the two lists: an old entry that sorts before the next new
/// one is gone from the new tree (a file that became a directory, or the
/// other way round, sorts apart from itself and counts as gone too).
fn walk(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Change>,
) -> Result<bool, git2::Error> {
    let mut olds = old.into_iter().flat_map(Tree::iter).peekable();
    for entry in new.iter() {
        let mode = entry.filemode();
        let before = match olds.peek().map(|b| tree_order(b, &entry)) {
            Some(Ordering::Less) => return Ok(false),
            Some(Ordering::Equal) => olds.next(),
            Some(Ordering::Greater) | None => None,
        };
        let base: Option<Oid> = match before {
            None => None,
            Some(b) => {
                if kind(b.filemode()) != kind(mode) {
                    return Ok(false);
                }
                if b.id() == entry.id() && b.filemode() == mode {
                    continue;
                }
                Some(b.id())
            }
        };
        let len = prefix.len();
        prefix.extend_from_slice(entry.name_bytes());
        match kind(mode) {
            TREE => {
                prefix.push(b'/');
                let sub = repo.find_tree(entry.id())?;
                let old_sub = base.map(|id| repo.find_tree(id)).transpose()?;
                if !walk(repo, old_sub.as_ref(), &sub, prefix, out)? {
                    return Ok(false);
                }
            }
            _ if is_content_mode(mode as u32) && !entry.id().is_zero() => out.push(Change::new(
                path_str(prefix),
                entry.id(),
                base.map_or(Base::None, Base::Blob),
            )),
            // Submodules are not content (diff_options ignores them).
            _ => {}
        }
        prefix.truncate(len);
    }
    Ok(olds.next().is_none())
}

/// git's order of tree entries: by name, a subtree's name read as if it
/// ended in `/` (so `a.txt` < `a/` < `a0`).
fn tree_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let n = x.len().min(y.len());
    let after = |name: &[u8], e: &git2::TreeEntry<'_>| match name.get(n) {
        Some(&c) => c,
        None if kind(e.filemode()) == TREE => b'/',
        None => 0,
    };
    x[..n].cmp(&y[..n]).then_with(|| {
        after(x, a)
            .cmp(&after(y, b))
            .then_with(|| x.len().cmp(&y.len()))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree of `files` (path, mode, content), written through an in-memory index.
    fn tree<'r>(repo: &'r Repository, files: &[(&str, u32, &str)]) -> Tree<'r> {
        let mut index = git2::Index::new().unwrap();
        for &(path, mode, content) in files {
            let id = repo.blob(content.as_bytes()).unwrap();
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode,
                uid: 0,
                gid: 0,
                file_size: content.len() as u32,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            index.add(&entry).unwrap();
        }
        let id = index.write_tree_to(repo).unwrap();
        repo.find_tree(id).unwrap()
    }

    #[test]
    fn the_tree_walk_finds_what_libgit2s_diff_finds_or_leaves_it_to_the_diff() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        const F: u32 = 0o100644;
        const X: u32 = 0o100755;
        const L: u32 = 0o120000;
        let base = [
            ("a.txt", F, "one\n"),
            ("a/x", F, "x\n"),
            ("dir/b.rs", F, "two\n"),
            ("dir/sub/c.py", F, "three\n"),
            ("dir/link", L, "b.rs"),
            ("z/keep", F, "keep\n"),
        ];
        let old = tree(&repo, &base);
        let same = |t: Option<&Tree<'_>>, new: &Tree<'_>| {
            let walked = in_place(&repo, t, new).unwrap();
            assert_eq!(walked, Some(diffed(&repo, t, new).unwrap()));
        };
        // A root commit: everything is added.
        same(None, &old);
        // Additions (names that sort around a directory), a modification
        // deep down, a mode change, a new symlink, an untouched subtree.
        let new = tree(
            &repo,
            &[
                ("a-b", F, "new\n"),
                ("a.txt", X, "one\n"),
                ("a/x", F, "x\n"),
                ("a/y", F, "y\n"),
                ("a0", F, "new too\n"),
                ("dir/b.rs", F, "two\n"),
                ("dir/link", L, "b.rs"),
                ("dir/new.md", F, "four\n"),
                ("dir/sub/c.py", F, "three\nmore\n"),
                ("dir/sub2/d.txt", L, "../a.txt"),
                ("new/x/y.txt", F, "five\n"),
                ("z/keep", F, "keep\n"),
            ],
        );
        same(Some(&old), &new);
        let changes = in_place(&repo, Some(&old), &new).unwrap().unwrap();
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a-b",
                "a.txt",
                "a/y",
                "a0",
                "dir/new.md",
                "dir/sub/c.py",
                "dir/sub2/d.txt",
                "new/x/y.txt"
            ]
        );
        // A deletion (a possible rename source), a file that became a
        // symlink, a file that became a directory: left to libgit2's diff.
        let mut deleted = base.to_vec();
        deleted.retain(|f| f.0 != "dir/b.rs");
        deleted.push(("dir/b2.rs", F, "two\n"));
        let mut retyped = base.to_vec();
        retyped[0] = ("a.txt", L, "dir/b.rs");
        let mut into_dir = base.to_vec();
        into_dir[0] = ("a.txt/inner", F, "one\n");
        for files in [deleted, retyped, into_dir] {
            let t = tree(&repo, &files);
            assert_eq!(in_place(&repo, Some(&old), &t).unwrap(), None);
        }
    }
}
