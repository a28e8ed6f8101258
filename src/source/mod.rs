//! Where added lines come from. Each source yields [`Change`]s: a path, the blob
//! holding the new content, and what it is compared with. Reading the blob and
//! scanning it is the caller's job, so sources stay small and testable.

pub mod commit;
pub mod hook_input;
pub mod index_diff;
pub mod index_file;
pub mod push;
pub mod receive;
pub mod staged;
pub mod tree;
pub mod worktree;

use crate::repo::path_str;
use crate::scan::Added;
use git2::{Delta, Diff, DiffOptions, Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One file's new content in a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Repository-relative path (new side).
    pub path: String,
    /// Blob id of the new content.
    pub new_id: Oid,
    /// What the new content is compared with.
    pub base: Base,
    /// A work-tree file proven to hold the new content (staged changes only):
    /// reading it is cheaper than inflating the blob.
    pub copy: Option<worktree::Copy>,
}

impl Change {
    /// A change whose content is read from the object database.
    pub fn new(path: String, new_id: Oid, base: Base) -> Change {
        Change {
            path,
            new_id,
            base,
            copy: None,
        }
    }

    /// The new content: the work-tree copy when it is still the staged
    /// content, otherwise the blob.
    pub fn content<'r>(&self, repo: &'r Repository) -> Result<Content<'r>, git2::Error> {
        if let Some(data) = self.copy.as_ref().and_then(worktree::Copy::read) {
            return Ok(Content::Copy(data));
        }
        repo.find_blob(self.new_id).map(Content::Blob)
    }
}

/// A change's new bytes, from the work tree or the object database.
pub enum Content<'r> {
    /// Read from a work-tree file proven identical to the blob.
    Copy(Vec<u8>),
    /// The blob itself.
    Blob(git2::Blob<'r>),
}

impl Content<'_> {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Content::Copy(v) => v,
            Content::Blob(b) => b.content(),
        }
    }
}

/// The old side of a change: which lines of the new blob count as added.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Base {
    /// The file is new: every line is added.
    None,
    /// Modified, renamed or copied: lines not in this blob are added.
    Blob(Oid),
    /// A merge commit: only lines that are in none of these blobs (one per
    /// parent that has the file) are added, i.e. what a conflict resolution
    /// wrote. Scanners built on `git log -p` never see these lines.
    Merge(Vec<Oid>),
}

/// Options for every tree diff keyhook makes: submodules are not content.
pub fn diff_options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    opts.include_typechange(true)
        .ignore_submodules(true)
        .skip_binary_check(true);
    opts
}

/// Turns a diff's deltas into changes. Deletions and submodules carry no added
/// text and are left out; a symlink's content is its target, one line. Renames
/// and copies keep their old blob so that only changed lines count. Call
/// `find_similar` first for renames; the pairing is then corrected to git's
/// where libgit2's differs (type changes, symlinks).
pub fn collect(diff: &Diff<'_>) -> Vec<Change> {
    let renamed = |d: &git2::DiffDelta<'_>| matches!(d.status(), Delta::Renamed | Delta::Copied);
    // Only a diff with renames needs the new side's paths.
    let new_paths: HashSet<&[u8]> = if diff.deltas().any(|d| renamed(&d)) {
        diff.deltas()
            .filter(|d| d.status() != Delta::Deleted)
            .filter_map(|d| d.new_file().path_bytes())
            .collect()
    } else {
        HashSet::new()
    };
    let mut out = Vec::with_capacity(diff.deltas().len());
    let (mut added_links, mut deleted_links) = (Vec::new(), Vec::new());
    for delta in diff.deltas() {
        let (old, new) = (delta.old_file(), delta.new_file());
        if delta.status() == Delta::Deleted && is_link_mode(old.mode().into()) {
            deleted_links.push(old.id());
        }
        let Some(base) = base_of(&delta, &new_paths) else {
            continue;
        };
        if !is_content_mode(new.mode().into()) || new.id().is_zero() {
            continue;
        }
        let Some(path) = new.path_bytes() else {
            continue;
        };
        if delta.status() == Delta::Added && is_link_mode(new.mode().into()) {
            added_links.push(out.len());
        }
        out.push(Change::new(path_str(path), new.id(), base));
    }
    pair_link_renames(&mut out, &added_links, &deleted_links);
    out
}

/// What a delta's new side is compared with; `None` for a delta that brings
/// no new content (a deletion, an unmodified or ignored entry).
fn base_of(delta: &git2::DiffDelta<'_>, new_paths: &HashSet<&[u8]>) -> Option<Base> {
    let old = delta.old_file();
    match delta.status() {
        Delta::Added | Delta::Untracked | Delta::Typechange => Some(Base::None),
        Delta::Modified | Delta::Renamed | Delta::Copied => {
            let unpaired = old.id().is_zero()
                || !is_content_mode(old.mode().into())
                || not_git_rename(delta, new_paths);
            Some(if unpaired {
                Base::None
            } else {
                Base::Blob(old.id())
            })
        }
        _ => None,
    }
}

/// True for a rename or copy whose source path is still in the new tree.
/// libgit2's `find_similar` takes the old side of a type change (a file that
/// became a symlink) as a rename source; git does not (it shows a type change
/// as a deletion and a creation, and only deleted files are rename sources),
/// so the renamed file's lines are all new in `git diff`.
fn not_git_rename(delta: &git2::DiffDelta<'_>, new_paths: &HashSet<&[u8]>) -> bool {
    let renamed = matches!(delta.status(), Delta::Renamed | Delta::Copied);
    let from = delta.old_file().path_bytes();
    renamed && from.is_some_and(|p| new_paths.contains(p)) && from != delta.new_file().path_bytes()
}

/// Gives the symlinks in `out` at `added` (new files) whose target equals a
/// deleted symlink's (`deleted`) their own blob as base: a moved link adds
/// nothing. git pairs symlinks as renames only when both are symlinks with
/// identical targets (diffcore-rename's exact pass; its similarity pass takes
/// regular files only), first added path first; libgit2 never pairs them.
pub fn pair_link_renames(out: &mut [Change], added: &[usize], deleted: &[Oid]) {
    if added.is_empty() || deleted.is_empty() {
        return;
    }
    let mut left: HashMap<Oid, usize> = HashMap::new();
    for id in deleted {
        *left.entry(*id).or_default() += 1;
    }
    let mut added = added.to_vec();
    added.sort_by(|a, b| out[*a].path.cmp(&out[*b].path));
    for i in added {
        let id = out[i].new_id;
        if let Some(n) = left.get_mut(&id).filter(|n| **n > 0) {
            *n -= 1;
            out[i].base = Base::Blob(id);
        }
    }
}

/// Which lines of `new` count as added for `change`, computed by libgit2's
/// diff with no context lines.
pub fn added_lines(repo: &Repository, change: &Change, new: &[u8]) -> Result<Added, git2::Error> {
    match &change.base {
        Base::None => Ok(Added::All),
        Base::Blob(old) => Ok(Added::Lines(diff_ranges(repo, *old, new)?)),
        Base::Merge(parents) => {
            let mut acc: Option<Vec<Range<u32>>> = None;
            for old in parents {
                let r = diff_ranges(repo, *old, new)?;
                acc = Some(match acc {
                    None => r,
                    Some(a) => intersect(&a, &r),
                });
            }
            Ok(acc.map_or(Added::All, Added::Lines))
        }
    }
}

/// 1-based, end-exclusive ranges of lines in `new` that are not in blob `old`:
/// the `+` lines of `git diff` (Myers, as git computes it by default).
fn diff_ranges(repo: &Repository, old: Oid, new: &[u8]) -> Result<Vec<Range<u32>>, git2::Error> {
    let old = repo.find_blob(old)?;
    match inserted_lines(old.content(), new) {
        Some(ranges) => Ok(ranges),
        None => line_diff(old.content(), new),
    }
}

/// The added lines when `new` is `old` with whole lines inserted in one
/// place (appended, prepended or in between) and no choice where git's diff
/// puts them; `None` otherwise (the caller runs the diff). libgit2 hashes
/// both buffers before it diffs them, which with the diff itself was an
/// eighth of a small commit's time, and inserting lines is the commonest edit.
///
/// Why this is git's answer: xdiff first trims the lines both files share at
/// the start, then those they share at the end (`xdl_trim_ends`). When that
/// leaves no line of `old`, what remains is one insertion of the lines in
/// between, and git's hunk sliding could only move it down (its first line
/// equal to the line after it) or up (its last line equal to the line before
/// it): both excluded here, so the insertion has one place. A unit test
/// compares this with the diff on every insertion into every small file over
/// a two-line alphabet.
fn inserted_lines(old: &[u8], new: &[u8]) -> Option<Vec<Range<u32>>> {
    if new.len() < old.len() {
        return None;
    }
    let (old, new) = (lines(old), lines(new));
    let lead = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - lead;
    let trail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    if lead + trail != old.len() {
        return None;
    }
    let group = lead..new.len() - trail;
    if group.is_empty() {
        return Some(Vec::new());
    }
    let slides_down = trail > 0 && new[group.start] == new[group.end];
    let slides_up = lead > 0 && new[group.end - 1] == new[lead - 1];
    if slides_down || slides_up {
        return None;
    }
    let (first, end) = (
        u32::try_from(group.start + 1).ok()?,
        u32::try_from(group.end + 1).ok()?,
    );
    Some(std::iter::once(first..end).collect())
}

/// The lines of `text`, each with its newline (the last one may have none),
/// as xdiff's records hold them.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(text.len() / 32 + 1);
    let mut at = 0;
    for nl in memchr::memchr_iter(b'\n', text) {
        out.push(&text[at..=nl]);
        at = nl + 1;
    }
    if at < text.len() {
        out.push(&text[at..]);
    }
    out
}

/// The lines of `new` that `git diff` marks as added against `old` (1-based,
/// end-exclusive ranges). This is libgit2's copy of git's own xdiff: Myers
/// with git's record cleanup (`xdl_cleanup_records`), its cost heuristics and
/// its hunk sliding with the indent heuristic (`diff.indentHeuristic`, on by
/// default since git 2.14). Sliding moves which line numbers a hunk covers
/// when a file repeats a line, so only git's own algorithm gives git's added
/// lines: imara-diff's Myers differs in its preprocessing of repeated lines
/// and marked unchanged lines as added (issue 10, part 4).
pub fn line_diff(old: &[u8], new: &[u8]) -> Result<Vec<Range<u32>>, git2::Error> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .interhunk_lines(0)
        .indent_heuristic(true)
        .force_text(true)
        .skip_binary_check(true);
    let patch = git2::Patch::from_buffers(old, None, new, None, Some(&mut opts))?;
    let mut out: Vec<Range<u32>> = Vec::with_capacity(patch.num_hunks());
    for i in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(i)?;
        if hunk.new_lines() > 0 {
            let start = hunk.new_start();
            out.push(start..start + hunk.new_lines());
        }
    }
    Ok(out)
}

/// Intersection of two sorted, disjoint range lists.
fn intersect(a: &[Range<u32>], b: &[Range<u32>]) -> Vec<Range<u32>> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let lo = a[i].start.max(b[j].start);
        let hi = a[i].end.min(b[j].end);
        if lo < hi {
            out.push(lo..hi);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// True for a git file mode (`0o100644`, `0o100755`, legacy `0o100664`) of a
/// regular file: not a tree, symlink or submodule (gitlink).
pub fn is_regular_mode(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// True for a symlink's git file mode (`0o120000`).
pub fn is_link_mode(mode: u32) -> bool {
    mode & 0o170000 == 0o120000
}

/// True for the entries whose blob is content that leaves with a commit: a
/// regular file, or a symlink, whose target git diffs and commits as its one
/// line. Submodules (gitlinks) and trees are not.
pub fn is_content_mode(mode: u32) -> bool {
    is_regular_mode(mode) || is_link_mode(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_diff_marks_the_plus_lines() {
        let line_diff = |a: &[u8], b: &[u8]| line_diff(a, b).unwrap();
        assert_eq!(line_diff(b"a\nb\nc\n", b"a\nb\nc\n"), vec![]);
        assert_eq!(
            line_diff(b"a\nb\nc\n", b"a\nX\nb\nc\nY\nZ\n"),
            vec![2..3, 5..7]
        );
        assert_eq!(line_diff(b"a\nb\nc\n", b"a\nB\nc\n"), vec![2..3]);
        assert_eq!(line_diff(b"", b"a\nb\n"), vec![1..3]);
        assert_eq!(line_diff(b"a\nb\n", b""), vec![]);
        // A last line that gains its newline is a changed line, as in git.
        assert_eq!(line_diff(b"a\nb", b"a\nb\n"), vec![2..3]);
        // CRLF and LF versions of a line differ.
        assert_eq!(line_diff(b"a\nb\n", b"a\r\nb\n"), vec![1..2]);
    }

    #[test]
    fn a_repeated_line_is_added_where_git_adds_it() {
        // git diff --cached -U0 (git 2.47): `@@ -0,0 +1 @@` and `@@ -3,0 +5 @@`.
        assert_eq!(
            line_diff(b"a\nK\nb\nc\n", b"K\na\nK\nb\nK\nc\n").unwrap(),
            vec![1..2, 5..6]
        );
    }

    /// Every old file of up to four lines over `a`/`b` (with and without a
    /// last newline, CRLF too) and every insertion of up to three lines at
    /// every line of it: where the fast path answers, it answers what the
    /// diff does, and it answers for most insertions.
    #[test]
    fn inserted_lines_agree_with_the_diff() {
        let pieces: [&[u8]; 4] = [b"a\n", b"b\n", b"a\r\n", b"b"];
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let next: Vec<Vec<u8>> = texts
                .iter()
                .filter(|t| t.is_empty() || t.ends_with(b"\n"))
                .flat_map(|t| {
                    pieces.iter().map(move |p| {
                        let mut t = t.clone();
                        t.extend_from_slice(p);
                        t
                    })
                })
                .collect();
            texts.extend(next);
        }
        texts.sort();
        texts.dedup();
        let inserts: Vec<&Vec<u8>> = texts
            .iter()
            .filter(|t| t.ends_with(b"\n") && t.iter().filter(|&&b| b == b'\n').count() <= 3)
            .collect();
        let (mut answered, mut compared) = (0, 0);
        for old in &texts {
            let at: Vec<usize> = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', old).map(|p| p + 1))
                .collect();
            for &cut in &at {
                for tail in texts.iter().chain(inserts.iter().copied()) {
                    // Whole lines only: at the end any tail, elsewhere whole lines.
                    if cut < old.len() && !inserts.contains(&tail) {
                        continue;
                    }
                    let new = [&old[..cut], tail.as_slice(), &old[cut..]].concat();
                    compared += 1;
                    if let Some(fast) = inserted_lines(old, &new) {
                        answered += 1;
                        let slow = line_diff(old, &new).unwrap();
                        assert_eq!(
                            fast,
                            slow,
                            "old {:?} new {:?}",
                            String::from_utf8_lossy(old),
                            String::from_utf8_lossy(&new)
                        );
                    }
                }
            }
        }
        assert!(answered * 3 > compared, "{answered} of {compared}");
        // Ambiguous insertions go to the diff: `b` next to `b` could be either line.
        assert_eq!(inserted_lines(b"a\nb\n", b"a\nb\nb\n"), None);
        assert_eq!(inserted_lines(b"b\na\n", b"b\nb\na\n"), None);
        // A changed line is no insertion.
        assert_eq!(inserted_lines(b"a\nb", b"a\nbc\n"), None);
        assert_eq!(
            inserted_lines(b"a\n", b"a\nb\nc"),
            Some(std::iter::once(2..4).collect())
        );
        assert_eq!(
            inserted_lines(b"a\nc\n", b"a\nb\nc\n"),
            Some(std::iter::once(2..3).collect())
        );
        assert_eq!(inserted_lines(b"a\nb\n", b"a\n"), None);
    }

    #[test]
    fn intersect_keeps_only_common_lines() {
        assert_eq!(intersect(&[1..5, 8..10], &[3..6, 6..9]), vec![3..5, 8..9]);
        assert_eq!(intersect(&[1..3, 5..6], &[3..4, 7..8]), vec![]);
    }
}
