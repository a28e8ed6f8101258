//! Which commits a push brings to a server. git gives the pre-receive hook one
//! stdin line per ref, `<old oid> <new oid> <ref name>`, before any ref moves,
//! with the pushed objects still in a quarantine directory. A commit is new
//! when no ref the repository already has reaches it: that covers a new branch
//! or tag (its commits that are on no existing branch), a fast-forward (the
//! `old..new` range, minus anything another branch already had), and a force
//! push (the replacement commits only). A deletion brings nothing. A commit
//! reachable from several pushed refs is checked once, with the first ref.
//!
//! The quarantine: git sets `GIT_OBJECT_DIRECTORY` to it and lists the real
//! object directory in `GIT_ALTERNATE_OBJECT_DIRECTORIES` (plus
//! `GIT_QUARANTINE_PATH`). `Repository::open_from_env` honours the first two,
//! but the scan opens a handle per worker thread by path, so [`open`] adds
//! every one of those directories to each handle's object database itself.

use super::hook_input::{self, commit_of};
use anyhow::{bail, Context, Result};
use git2::{Oid, Repository, Sort};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One stdin line of the pre-receive hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// What the ref points to now; zero when it is created.
    pub old: Oid,
    /// What the push sets it to; zero for a deletion.
    pub new: Oid,
    /// The full ref name (`refs/heads/main`, `refs/tags/v1`).
    pub name: String,
}

/// Parses the hook's stdin. Blank lines are ignored; anything else that is not
/// `<oid> <oid> <ref>` is an error naming the line.
pub fn parse(input: &str) -> Result<Vec<Update>> {
    let mut out = Vec::new();
    for (no, line) in hook_input::lines(input) {
        let bad = || {
            hook_input::bad_line(
                no,
                "`<old oid> <new oid> <ref name>` (the line git gives a pre-receive hook)",
                line,
            )
        };
        let mut fields = line.splitn(3, ' ');
        let mut oid = || {
            let s = fields.next().ok_or_else(bad)?;
            hook_input::full_oid(s).ok_or_else(bad)
        };
        let old = oid()?;
        let new = oid()?;
        let name = fields.next().filter(|n| !n.is_empty()).ok_or_else(bad)?;
        out.push(Update {
            old,
            new,
            name: name.to_string(),
        });
    }
    Ok(out)
}

/// The object directories of the push in progress, from git's environment:
/// the quarantine and its alternates. Empty outside a receive.
pub fn quarantine_dirs(var: impl Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for key in ["GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY"] {
        if let Some(v) = var(key).filter(|v| !v.is_empty()) {
            dirs.push(PathBuf::from(v));
        }
    }
    if let Some(v) = var("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        // git's list separator is `:` (`;` on Windows), as in PATH.
        dirs.extend(std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()));
    }
    dirs.dedup();
    dirs
}

/// Opens the repository at `git_dir` with `extra` object directories added
/// to its object database, so objects still in the quarantine are found.
pub fn open(git_dir: &Path, extra: &[PathBuf]) -> Result<Repository, git2::Error> {
    let repo = Repository::open(git_dir)?;
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let own = canonical(&git_dir.join("objects"));
    let odb = repo.odb()?;
    for dir in extra {
        // The repository's own directory is already the first backend; a
        // relative path is relative to the git directory, as git means it.
        let dir = canonical(&git_dir.join(dir));
        if dir != own && dir.is_dir() {
            odb.add_disk_alternate(&dir.to_string_lossy())?;
        }
    }
    drop(odb);
    Ok(repo)
}

/// For each update, the commits it brings, oldest first; each commit appears
/// under the first update that brings it and nowhere else.
pub fn new_commits(repo: &Repository, updates: &[Update]) -> Result<Vec<Vec<Oid>>> {
    // Every ref the repository has before this push; the refs being updated
    // still point at their old values (git moves them after the hook).
    let mut existing = Vec::new();
    for r in repo.references().context("cannot read the refs")? {
        let r = r.context("cannot read a ref")?;
        if let Ok(c) = r.peel_to_commit() {
            existing.push(c.id());
        }
    }
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut out = Vec::with_capacity(updates.len());
    for u in updates {
        if u.new.is_zero() {
            out.push(Vec::new());
            continue;
        }
        if repo.find_object(u.new, None).is_err() {
            bail!(
                "{}: object {} is not in the repository or the push's quarantine (git names it as pushed; is GIT_OBJECT_DIRECTORY passed through to the hook?)",
                u.name,
                u.new
            );
        }
        // A tag of a tree or blob brings no commit.
        let Some(tip) = commit_of(repo, u.new) else {
            out.push(Vec::new());
            continue;
        };
        let mut walk = repo.revwalk().context("cannot walk the history")?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
        walk.push(tip)
            .with_context(|| format!("{}: cannot walk from {tip}", u.name))?;
        for &id in &existing {
            walk.hide(id)?;
        }
        let mut mine = Vec::new();
        for id in walk {
            let id = id.with_context(|| {
                format!(
                    "{}: cannot walk the pushed commits (a missing object?)",
                    u.name
                )
            })?;
            if seen.insert(id) {
                mine.push(id);
            }
        }
        out.push(mine);
    }
    Ok(out)
}

/// A file at the top of the tree of the commit `tip` names, if it is there.
/// `None` also for a tip that is not a commit (a tag of a blob).
pub fn file_at(repo: &Repository, tip: Oid, name: &str) -> Result<Option<Vec<u8>>> {
    let Some(commit) = commit_of(repo, tip) else {
        return Ok(None);
    };
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .with_context(|| format!("commit {commit}: cannot read its tree"))?;
    let Some(entry) = tree.get_name(name) else {
        return Ok(None);
    };
    if !super::is_regular_mode(entry.filemode() as u32) {
        return Ok(None);
    }
    let blob = repo
        .find_blob(entry.id())
        .with_context(|| format!("commit {commit}: {name}: cannot read it"))?;
    Ok(Some(blob.content().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const Z: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn parses_every_line_including_deletions() {
        let input = format!("{Z} {A} refs/heads/new\n\n{A} {Z} refs/tags/old\r\n");
        let u = parse(&input).unwrap();
        assert_eq!(u.len(), 2);
        assert!(u[0].old.is_zero() && !u[0].new.is_zero());
        assert_eq!(u[0].name, "refs/heads/new");
        assert!(u[1].new.is_zero());
        assert_eq!(u[1].name, "refs/tags/old");
    }

    #[test]
    fn malformed_lines_name_their_line_number() {
        for bad in [
            format!("{A} {A}\n"),
            format!("{A} {} refs/heads/x\n", &A[1..]),
            format!("{A} {A} \n"),
        ] {
            let input = format!("{Z} {A} refs/heads/a\n{bad}");
            let err = parse(&input).unwrap_err().to_string();
            assert!(err.starts_with("stdin:2: expected"), "{err}");
        }
    }

    #[test]
    fn quarantine_dirs_come_from_gits_environment() {
        let env = |k: &str| match k {
            "GIT_QUARANTINE_PATH" => Some("/r/objects/incoming-1".to_string()),
            "GIT_OBJECT_DIRECTORY" => Some("/r/objects/incoming-1".to_string()),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES" => Some("/r/objects:/shared/objects".to_string()),
            _ => None,
        };
        let dirs: Vec<String> = quarantine_dirs(env)
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            dirs,
            ["/r/objects/incoming-1", "/r/objects", "/shared/objects"]
        );
        assert!(quarantine_dirs(|_| None).is_empty());
    }
}
