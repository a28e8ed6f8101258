//! Which commits a push sends. Git gives the pre-push hook one stdin line per
//! ref, `<local ref> <local oid> <remote ref> <remote oid>`; every line counts
//! (other scanners stop after the first, and guess "the last 50 commits" for a
//! new branch). The commits to check are those reachable from a pushed oid and
//! not from anything the remote already has: the remote oids of the updated
//! refs and, for a new branch or an unknown remote state, every remote-tracking
//! ref of that remote. One revision walk covers all refs, so a commit reachable
//! from several pushed refs is checked once. Shallow clones work: libgit2 knows
//! the shallow boundary and does not look for the missing parents.

use super::hook_input::{self, commit_of};
use anyhow::{bail, Context, Result};
use git2::{Oid, Repository, Sort};

/// One stdin line of the pre-push hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    /// The local ref (or expression) being pushed; `(delete)` for a deletion.
    pub local_ref: String,
    /// What is pushed; zero for a deletion.
    pub local_oid: Oid,
    /// The ref updated on the remote.
    pub remote_ref: String,
    /// What the remote has now; zero when the ref is new there.
    pub remote_oid: Oid,
}

impl RefUpdate {
    /// A branch or tag deletion: nothing is sent.
    pub fn is_deletion(&self) -> bool {
        self.local_oid.is_zero()
    }
}

/// Parses the hook's stdin. Blank lines are ignored; anything else that is not
/// four fields with two object ids is an error naming the line.
pub fn parse(input: &str) -> Result<Vec<RefUpdate>> {
    let mut out = Vec::new();
    for (no, line) in hook_input::lines(input) {
        let bad = || {
            hook_input::bad_line(
                no,
                "`<local ref> <local oid> <remote ref> <remote oid>` (the line git gives a pre-push hook)",
                line,
            )
        };
        // The local ref is whatever the user typed and comes first; the other
        // three fields never contain spaces.
        let mut fields = line.rsplitn(4, ' ');
        let remote_oid = fields.next().ok_or_else(bad)?;
        let remote_ref = fields.next().ok_or_else(bad)?;
        let local_oid = fields.next().ok_or_else(bad)?;
        let local_ref = fields.next().ok_or_else(bad)?;
        let oid = |s: &str| hook_input::full_oid(s).ok_or_else(bad);
        out.push(RefUpdate {
            local_ref: local_ref.to_string(),
            local_oid: oid(local_oid)?,
            remote_ref: remote_ref.to_string(),
            remote_oid: oid(remote_oid)?,
        });
    }
    Ok(out)
}

/// Every commit the push sends, oldest first, each once. `remote` is the
/// hook's first argument (the remote's name, or its URL when pushing to one).
pub fn commits(repo: &Repository, updates: &[RefUpdate], remote: Option<&str>) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk().context("cannot walk the history")?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut pushed = false;
    let mut hide_tracking = false;
    for u in updates.iter().filter(|u| !u.is_deletion()) {
        if repo.find_object(u.local_oid, None).is_err() {
            bail!(
                "{}: object {} is not in this repository (git names it as being pushed; run `git fsck`)",
                u.local_ref,
                u.local_oid
            );
        }
        // A tag of a tree or blob sends no commit.
        let Some(local) = commit_of(repo, u.local_oid) else {
            continue;
        };
        walk.push(local)
            .with_context(|| format!("{}: cannot walk from {local}", u.local_ref))?;
        pushed = true;
        match (u.remote_oid.is_zero(), commit_of(repo, u.remote_oid)) {
            (false, Some(theirs)) => walk.hide(theirs)?,
            // A new ref, or a force push over commits this clone never saw:
            // judge by what the remote-tracking refs say the remote has.
            _ => hide_tracking = true,
        }
    }
    if !pushed {
        return Ok(Vec::new());
    }
    if let Some(name) = remote.filter(|r| hide_tracking && git2::Remote::is_valid_name(r)) {
        let glob = format!("refs/remotes/{name}/*");
        for r in repo.references_glob(&glob)?.flatten() {
            if let Ok(c) = r.peel_to_commit() {
                walk.hide(c.id())?;
            }
        }
    }
    walk.collect::<Result<Vec<Oid>, _>>()
        .context("cannot walk the commits being pushed (a missing object? run `git fsck`)")
}

/// The pre-commit framework runs pre-push hooks with stdin already consumed
/// and passes one range in the environment instead. Builds the equivalent
/// update from `PRE_COMMIT_TO_REF` / `PRE_COMMIT_FROM_REF` (or
/// `PRE_COMMIT_LOCAL_BRANCH` when it pushes a whole new history), with the
/// remote from `PRE_COMMIT_REMOTE_NAME`. `None` outside the framework.
pub fn from_pre_commit_framework(
    repo: &Repository,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(Vec<RefUpdate>, Option<String>)>> {
    let set = |k: &str| var(k).filter(|v| !v.is_empty());
    let Some(to) = set("PRE_COMMIT_TO_REF").or_else(|| set("PRE_COMMIT_LOCAL_BRANCH")) else {
        return Ok(None);
    };
    let resolve = |spec: &str| -> Result<Oid> {
        repo.revparse_single(spec)
            .map(|o| o.id())
            .with_context(|| format!("pre-commit framework: cannot resolve {spec:?}"))
    };
    let local_oid = resolve(&to)?;
    let remote_oid = match set("PRE_COMMIT_FROM_REF") {
        Some(from) => resolve(&from)?,
        None => Oid::zero(),
    };
    let update = RefUpdate {
        local_ref: to,
        local_oid,
        remote_ref: set("PRE_COMMIT_REMOTE_BRANCH").unwrap_or_default(),
        remote_oid,
    };
    Ok(Some((vec![update], set("PRE_COMMIT_REMOTE_NAME"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const Z: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn parses_every_line_including_deletions() {
        let input = format!(
            "refs/heads/main {A} refs/heads/main {Z}\n\n(delete) {Z} refs/heads/old {A}\r\n"
        );
        let u = parse(&input).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].local_ref, "refs/heads/main");
        assert!(u[0].remote_oid.is_zero() && !u[0].is_deletion());
        assert!(u[1].is_deletion());
        assert_eq!(u[1].remote_ref, "refs/heads/old");
    }

    #[test]
    fn malformed_lines_name_their_line_number() {
        for bad in [
            format!("refs/heads/main {A} refs/heads/main\n"),
            format!("refs/heads/main {A} refs/heads/main xyz{}\n", &A[3..]),
            format!("refs/heads/main {} refs/heads/main {A}\n", &A[1..]),
        ] {
            let input = format!("refs/heads/a {A} refs/heads/a {Z}\n{bad}");
            let err = parse(&input).unwrap_err().to_string();
            assert!(err.starts_with("stdin:2: expected"), "{err}");
        }
    }
}
