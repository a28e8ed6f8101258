//! HEAD's tree against the index, the way `git diff --cached` computes it:
//! directory by directory, skipping every directory whose cache-tree entry is
//! valid and names the same tree as HEAD (nothing under it is staged), so a
//! commit touching three directories reads three trees, not the whole of HEAD.
//!
//! Renames are paired as libgit2's `find_similar` pairs them by default:
//! identical content first, then, within git's rename limit, the most similar
//! deleted file when at least half of the lines are shared. A renamed file
//! then has only its changed lines counted as added. A symlink (its target is
//! its content) pairs only with a deleted symlink of the same target, as git
//! pairs it; the old side of a type change is no rename source.

use super::index_file::{Dir, IndexFile};
use super::{Base, Change};
use crate::repo::path_str;
use git2::{Oid, Repository};
use std::collections::HashMap;
use std::ops::Range;

const TREE: i32 = 0o040000;

/// Rename pairing considers at most this many added or deleted files, as
/// libgit2's default `rename_limit`; past it, additions stay additions.
const RENAME_LIMIT: usize = 200;

/// Files sharing at least this fraction of their lines pair as a rename
/// (libgit2's and git's default threshold is 50%).
const RENAME_THRESHOLD: f64 = 0.5;

/// Every staged file with new content, in path order (see [`super::collect`]
/// for what a change is): additions, modifications, type changes and renames.
pub fn changes(
    repo: &Repository,
    head: Option<Oid>,
    index: &IndexFile,
) -> Result<Vec<Change>, git2::Error> {
    let mut walk = Walk {
        repo,
        index,
        out: Vec::new(),
        additions: Vec::new(),
        link_additions: Vec::new(),
        deleted: Vec::new(),
        deleted_links: Vec::new(),
        deleted_trees: Vec::new(),
    };
    walk.dir(
        b"",
        head,
        index.tree.as_ref().and_then(|t| t.root()),
        0..index.entries.len(),
    )?;
    let Walk {
        mut out,
        additions,
        link_additions,
        mut deleted,
        mut deleted_links,
        deleted_trees,
        ..
    } = walk;
    let nothing_added = additions.is_empty() && link_additions.is_empty();
    let nothing_deleted =
        deleted.is_empty() && deleted_links.is_empty() && deleted_trees.is_empty();
    if !nothing_added && !nothing_deleted {
        for (prefix, oid) in deleted_trees {
            deleted_files(repo, &prefix, oid, &mut deleted, &mut deleted_links)?;
        }
        pair_renames(repo, &mut out, &additions, deleted)?;
        super::pair_link_renames(&mut out, &link_additions, &deleted_links);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

struct Walk<'a> {
    repo: &'a Repository,
    index: &'a IndexFile,
    out: Vec<Change>,
    /// Indices into `out` of new regular files (not type changes): what renames may explain.
    additions: Vec<usize>,
    /// Indices into `out` of new symlinks (not type changes).
    link_additions: Vec<usize>,
    /// Regular files of HEAD that the index no longer has: (path, blob).
    deleted: Vec<(Vec<u8>, Oid)>,
    /// Symlinks of HEAD that the index no longer has: their blobs.
    deleted_links: Vec<Oid>,
    /// Whole directories of HEAD the index no longer has: (prefix with `/`, tree).
    deleted_trees: Vec<(Vec<u8>, Oid)>,
}

impl Walk<'_> {
    /// Compares the directory `prefix` (empty, or ending in `/`) of HEAD, whose
    /// tree is `tree`, with the index entries in `range` (all under `prefix`).
    fn dir(
        &mut self,
        prefix: &[u8],
        tree: Option<Oid>,
        cache: Option<Dir<'_>>,
        range: Range<usize>,
    ) -> Result<(), git2::Error> {
        if tree.is_some() && cache.and_then(|c| c.oid(range.len())) == tree {
            return Ok(());
        }
        let index = self.index;
        // A sparse index's directory entry (`dir/`, mode 040000) stands for
        // its whole tree: unchanged against HEAD it is skipped, else the two
        // trees are compared.
        if let Some(entry) = index.entries.get(range.start) {
            if range.len() == 1 && entry.mode == TREE as u32 && index.path(entry) == prefix {
                let new = index.oid(entry);
                if tree != Some(new) {
                    self.trees(prefix, tree, new)?;
                }
                return Ok(());
            }
        }
        let mut old: HashMap<Vec<u8>, (Oid, i32), Fnv> = HashMap::default();
        if let Some(oid) = tree {
            let t = self.repo.find_tree(oid)?;
            old.reserve(t.len());
            for e in t.iter() {
                old.insert(e.name_bytes().to_vec(), (e.id(), e.filemode()));
            }
        }
        let mut i = range.start;
        while i < range.end {
            let entry = &index.entries[i];
            let path = index.path(entry);
            let rest = &path[prefix.len()..];
            if let Some(slash) = memchr::memchr(b'/', rest) {
                let name = &rest[..slash];
                let sub = &path[..prefix.len() + slash + 1];
                let end = i + index.entries[i..range.end]
                    .partition_point(|e| index.path(e).starts_with(sub));
                let subtree = match old.remove(name) {
                    Some((oid, TREE)) => Some(oid),
                    Some((oid, mode)) => {
                        self.gone(path[..prefix.len() + slash].to_vec(), oid, mode);
                        None
                    }
                    None => None,
                };
                self.dir(sub, subtree, cache.and_then(|c| c.child(name)), i..end)?;
                i = end;
                continue;
            }
            let previous = old.remove(rest);
            if entry.stage == 0 {
                self.file(path, entry.mode, index.oid(entry), previous);
            }
            i += 1;
        }
        for (name, (oid, mode)) in old {
            let mut p = prefix.to_vec();
            p.extend_from_slice(&name);
            self.gone(p, oid, mode);
        }
        Ok(())
    }

    /// Records HEAD's entry at `path` (`mode`, object `oid`), which the index
    /// no longer has, as a possible rename source.
    fn gone(&mut self, mut path: Vec<u8>, oid: Oid, mode: i32) {
        if mode == TREE {
            path.push(b'/');
            self.deleted_trees.push((path, oid));
        } else if is_regular(mode) {
            self.deleted.push((path, oid));
        } else if super::is_link_mode(mode as u32) {
            self.deleted_links.push(oid);
        }
    }

    /// HEAD's tree `old` at `prefix` (ending in `/`) against the tree `new`
    /// that a sparse directory entry records there.
    fn trees(&mut self, prefix: &[u8], old: Option<Oid>, new: Oid) -> Result<(), git2::Error> {
        let mut before: HashMap<Vec<u8>, (Oid, i32), Fnv> = HashMap::default();
        if let Some(oid) = old {
            for e in self.repo.find_tree(oid)?.iter() {
                before.insert(e.name_bytes().to_vec(), (e.id(), e.filemode()));
            }
        }
        for e in self.repo.find_tree(new)?.iter() {
            let mut path = prefix.to_vec();
            path.extend_from_slice(e.name_bytes());
            let previous = before.remove(e.name_bytes());
            if e.filemode() == TREE {
                path.push(b'/');
                let sub = match previous {
                    Some((oid, TREE)) => Some(oid),
                    Some((oid, mode)) => {
                        self.gone(path[..path.len() - 1].to_vec(), oid, mode);
                        None
                    }
                    None => None,
                };
                if sub != Some(e.id()) {
                    self.trees(&path, sub, e.id())?;
                }
            } else {
                self.file(&path, e.filemode() as u32, e.id(), previous);
            }
        }
        for (name, (oid, mode)) in before {
            let mut p = prefix.to_vec();
            p.extend_from_slice(&name);
            self.gone(p, oid, mode);
        }
        Ok(())
    }

    /// One staged file or symlink (`mode`, blob `id`) against what HEAD had
    /// at its path. A symlink's target is its content: git diffs and commits
    /// it as one line. Submodules hold no text of this repository.
    fn file(&mut self, path: &[u8], mode: u32, id: Oid, previous: Option<(Oid, i32)>) {
        let link = super::is_link_mode(mode);
        if !(link || super::is_regular_mode(mode)) {
            return;
        }
        let base = match previous {
            None => Base::None,
            Some((oid, old_mode)) if link && super::is_link_mode(old_mode as u32) => {
                if oid == id {
                    return;
                }
                Base::Blob(oid)
            }
            Some((oid, old_mode)) if !link && is_regular(old_mode) => {
                if oid == id && (old_mode as u32 & 0o111 != 0) == (mode & 0o111 != 0) {
                    return;
                }
                Base::Blob(oid)
            }
            Some((oid, old_mode)) => {
                // A type change (a directory, symlink, submodule or file
                // became a file or a symlink): all of it is new, as git shows
                // it, and the old side is no rename source.
                if old_mode == TREE {
                    let mut p = path.to_vec();
                    p.push(b'/');
                    self.deleted_trees.push((p, oid));
                }
                self.out.push(Change::new(path_str(path), id, Base::None));
                return;
            }
        };
        if base == Base::None {
            let additions = if link {
                &mut self.link_additions
            } else {
                &mut self.additions
            };
            additions.push(self.out.len());
        }
        self.out.push(Change::new(path_str(path), id, base));
    }
}

fn is_regular(mode: i32) -> bool {
    super::is_regular_mode(mode as u32)
}

/// Every regular file under the tree `oid`, with `prefix` prepended, into
/// `out`, and every symlink's blob into `links`.
fn deleted_files(
    repo: &Repository,
    prefix: &[u8],
    oid: Oid,
    out: &mut Vec<(Vec<u8>, Oid)>,
    links: &mut Vec<Oid>,
) -> Result<(), git2::Error> {
    let tree = repo.find_tree(oid)?;
    for e in tree.iter() {
        let mut p = prefix.to_vec();
        p.extend_from_slice(e.name_bytes());
        match e.filemode() {
            TREE => {
                p.push(b'/');
                deleted_files(repo, &p, e.id(), out, links)?;
            }
            m if is_regular(m) => out.push((p, e.id())),
            m if super::is_link_mode(m as u32) => links.push(e.id()),
            _ => {}
        }
    }
    Ok(())
}

/// Pairs added files with deleted ones: identical content first, then by
/// shared lines. A paired file's base becomes the deleted blob.
fn pair_renames(
    repo: &Repository,
    out: &mut [Change],
    additions: &[usize],
    deleted: Vec<(Vec<u8>, Oid)>,
) -> Result<(), git2::Error> {
    let empty = Oid::hash_object(git2::ObjectType::Blob, b"")?;
    // Exact renames, one deleted file per added file.
    let mut by_id: HashMap<Oid, usize> = HashMap::new();
    for (n, (_, oid)) in deleted.iter().enumerate() {
        by_id.entry(*oid).or_insert(n);
    }
    let mut used = vec![false; deleted.len()];
    let mut targets = Vec::new();
    for &i in additions {
        let c = &mut out[i];
        if c.new_id == empty {
            continue;
        }
        match by_id.get(&c.new_id) {
            Some(&n) if !used[n] => {
                used[n] = true;
                c.base = Base::Blob(c.new_id);
            }
            _ => targets.push(i),
        }
    }
    // Similar content, within the rename limit.
    let sources: Vec<usize> = (0..deleted.len())
        .filter(|&n| !used[n] && deleted[n].1 != empty)
        .collect();
    if sources.is_empty()
        || targets.is_empty()
        || sources.len() > RENAME_LIMIT
        || targets.len() > RENAME_LIMIT
    {
        return Ok(());
    }
    let old: Vec<LineSet> = sources
        .iter()
        .map(|&n| Ok(LineSet::of(repo.find_blob(deleted[n].1)?.content())))
        .collect::<Result<_, git2::Error>>()?;
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for &t in &targets {
        let new = LineSet::of(out[t].content(repo)?.bytes());
        for (s, o) in old.iter().enumerate() {
            let score = o.similarity(&new);
            if score >= RENAME_THRESHOLD {
                pairs.push((score, t, s));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken_source = vec![false; old.len()];
    let mut taken_target = vec![false; out.len()];
    for (_, t, s) in pairs {
        if !taken_source[s] && !taken_target[t] {
            taken_source[s] = true;
            taken_target[t] = true;
            out[t].base = Base::Blob(deleted[sources[s]].1);
        }
    }
    Ok(())
}

/// A file's lines as a multiset of hashes, for rename similarity.
struct LineSet {
    counts: HashMap<u64, u32>,
    lines: usize,
}

impl LineSet {
    fn of(data: &[u8]) -> LineSet {
        let mut counts = HashMap::new();
        let mut lines = 0;
        for line in data.split_inclusive(|&b| b == b'\n') {
            *counts.entry(fnv1a(line)).or_insert(0) += 1;
            lines += 1;
        }
        LineSet { counts, lines }
    }

    /// Shared lines over the average line count: 1.0 for identical files.
    fn similarity(&self, other: &LineSet) -> f64 {
        if self.lines + other.lines == 0 {
            return 0.0;
        }
        let (small, large) = if self.counts.len() <= other.counts.len() {
            (self, other)
        } else {
            (other, self)
        };
        let common: u32 = small
            .counts
            .iter()
            .map(|(h, &n)| n.min(large.counts.get(h).copied().unwrap_or(0)))
            .sum();
        2.0 * f64::from(common) / (self.lines + other.lines) as f64
    }
}

/// FNV-1a for the walk's small maps of path names and line hashes: SipHash's
/// resistance to chosen keys buys nothing for a tree's own names.
#[derive(Default)]
struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        self.0 = bytes
            .iter()
            .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    }
}

type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    //! Differential tests: on real repositories built with the git command
    //! line, this diff must give exactly the changes libgit2's full diff with
    //! rename detection gives, whatever state the index's cache-tree is in.

    use super::*;
    use crate::source::staged::changes_libgit2;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(dir: &Path, rel: &str, data: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    fn lines(prefix: &str, n: usize) -> String {
        (0..n).map(|i| format!("{prefix} line {i}\n")).collect()
    }

    /// A change as (path, new blob, base), for comparison.
    type Key = (String, Oid, Base);

    /// Both diffs of the repository at `dir`: this module's, then libgit2's.
    fn both(dir: &Path) -> (Vec<Key>, Vec<Key>) {
        let repo = Repository::open(dir).unwrap();
        let head = repo.head().ok().map(|h| h.peel_to_tree().unwrap());
        let index = IndexFile::read(&dir.join(".git/index"), &dir.join(".git"))
            .unwrap()
            .unwrap();
        let key = |c: Change| (c.path, c.new_id, c.base);
        let mine = changes(&repo, head.as_ref().map(|t| t.id()), &index)
            .unwrap()
            .into_iter()
            .map(key)
            .collect();
        let mut theirs: Vec<_> = changes_libgit2(&repo, head.as_ref())
            .unwrap()
            .into_iter()
            .map(key)
            .collect();
        theirs.sort_by(|a, b| a.0.cmp(&b.0));
        (mine, theirs)
    }

    fn assert_same(dir: &Path, what: &str) {
        let (mine, theirs) = both(dir);
        assert_eq!(mine, theirs, "{what}");
    }

    #[test]
    fn matches_libgit2_on_every_kind_of_change_and_index_state() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q", "-b", "main"]);
        write(dir, "a/x.txt", &lines("x", 5));
        write(dir, "a/b/y.txt", &lines("y", 5));
        write(dir, "c/z.txt", &lines("z", 5));
        write(dir, "d/keep.txt", &lines("keep", 8));
        write(dir, "e/old.txt", &lines("old", 20));
        write(dir, "f/tree/inner.txt", &lines("inner", 3));
        write(dir, "g/gone/deep.txt", &lines("deep", 30));
        write(dir, "same/untouched.txt", &lines("u", 3));
        write(dir, "run.sh", "echo hi\n");
        std::os::unix::fs::symlink("a/x.txt", dir.join("link")).unwrap();
        std::fs::create_dir_all(dir.join("l")).unwrap();
        std::os::unix::fs::symlink("TOKEN=moved unchanged", dir.join("l/moved")).unwrap();
        std::os::unix::fs::symlink("../same/untouched.txt", dir.join("l/kept")).unwrap();
        std::os::unix::fs::symlink("run.sh", dir.join("lf")).unwrap();
        write(dir, "tc.txt", &lines("tc", 10));
        git(dir, &["add", "-A"]);
        // Nothing staged yet against an unborn HEAD: everything is new.
        assert_same(dir, "first commit");
        git(dir, &["commit", "-q", "-m", "base"]);
        assert_same(dir, "nothing staged");
        assert!(both(dir).0.is_empty());

        write(dir, "a/b/y.txt", &(lines("y", 5) + "added\n"));
        write(dir, "a/new.txt", "new\n");
        write(dir, "h/i/new2.txt", "new2\n");
        std::fs::remove_file(dir.join("c/z.txt")).unwrap();
        std::fs::create_dir_all(dir.join("d2")).unwrap();
        std::fs::rename(dir.join("d/keep.txt"), dir.join("d2/keep.txt")).unwrap();
        std::fs::remove_file(dir.join("e/old.txt")).unwrap();
        write(dir, "e/renamed.txt", &(lines("old", 19) + "changed\n"));
        std::fs::remove_dir_all(dir.join("f/tree")).unwrap();
        write(dir, "f/tree", "now a file\n");
        std::fs::remove_dir_all(dir.join("g/gone")).unwrap();
        write(dir, "g2/moved.txt", &(lines("deep", 29) + "edited\n"));
        git(dir, &["update-index", "--chmod=+x", "run.sh"]);
        std::fs::remove_file(dir.join("link")).unwrap();
        std::os::unix::fs::symlink("a/new.txt", dir.join("link")).unwrap();
        // A symlink moved unchanged, a symlink that became a file, and a file
        // that became a symlink while its content moved away: git shows the
        // type changes as all new and the moved content as a new file.
        std::fs::create_dir_all(dir.join("l2")).unwrap();
        std::fs::rename(dir.join("l/moved"), dir.join("l2/moved")).unwrap();
        std::fs::remove_file(dir.join("lf")).unwrap();
        write(dir, "lf", "a link no more\n");
        std::fs::rename(dir.join("tc.txt"), dir.join("tc2.txt")).unwrap();
        std::os::unix::fs::symlink("tc2.txt", dir.join("tc.txt")).unwrap();
        git(dir, &["add", "-A"]);
        git(dir, &["update-index", "--chmod=+x", "run.sh"]);
        let head = String::from_utf8(
            Command::new("git")
                .args(["rev-parse", "HEAD"])
                .current_dir(dir)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        git(
            dir,
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("160000,{},sub", head.trim()),
            ],
        );

        assert_same(dir, "staged: cache-tree partly invalid");
        let (mine, _) = both(dir);
        let paths: Vec<&str> = mine.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a/b/y.txt",
                "a/new.txt",
                "d2/keep.txt",
                "e/renamed.txt",
                "f/tree",
                "g2/moved.txt",
                "h/i/new2.txt",
                "l2/moved",
                "lf",
                "link",
                "run.sh",
                "tc.txt",
                "tc2.txt"
            ]
        );
        let base = |path: &str| &mine.iter().find(|c| c.0 == path).unwrap().2;
        // Renames keep their old blob: only changed lines will count.
        assert!(matches!(base("e/renamed.txt"), Base::Blob(_)));
        // A changed link target is diffed against the old target; a moved
        // link adds nothing; type changes and what they displaced are new.
        assert!(matches!(base("link"), Base::Blob(_)));
        let moved = mine.iter().find(|c| c.0 == "l2/moved").unwrap();
        assert_eq!(moved.2, Base::Blob(moved.1));
        for path in ["lf", "tc.txt", "tc2.txt"] {
            assert_eq!(base(path), &Base::None, "{path}");
        }

        git(dir, &["write-tree"]);
        assert_same(dir, "cache-tree fully valid");
        git(dir, &["update-index", "--index-version", "4"]);
        assert_same(dir, "index version 4");
        git(dir, &["update-index", "--index-version", "3"]);
        git(dir, &["update-index", "--skip-worktree", "a/x.txt"]);
        assert_same(dir, "index version 3 with extended flags");
        git(dir, &["read-tree", "HEAD"]);
        assert_same(dir, "index reset to HEAD, no cache-tree");
    }

    #[test]
    fn a_conflicted_path_gives_no_change() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q", "-b", "main"]);
        write(dir, "f.txt", "base\n");
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-q", "-m", "base"]);
        git(dir, &["checkout", "-q", "-b", "other"]);
        write(dir, "f.txt", "other\n");
        git(dir, &["commit", "-q", "-am", "other"]);
        git(dir, &["checkout", "-q", "main"]);
        write(dir, "f.txt", "main\n");
        write(dir, "g.txt", "staged beside the conflict\n");
        git(dir, &["add", "g.txt"]);
        git(dir, &["commit", "-q", "-am", "main"]);
        let _ = Command::new("git")
            .args(["merge", "-q", "other"])
            .current_dir(dir)
            .output();
        let (mine, theirs) = both(dir);
        assert!(mine.is_empty(), "{mine:?}");
        assert_eq!(mine, theirs);
    }
}
