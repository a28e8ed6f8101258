//! What git hands a push hook on stdin: one line per ref, object ids in full
//! hex. Shared by the pre-push ([`super::push`]) and pre-receive
//! ([`super::receive`]) readers, which differ only in the fields of a line.

use git2::{Oid, Repository};

/// The non-blank lines of `input`, each with its 1-based line number and
/// without a trailing CR.
pub fn lines(input: &str) -> impl Iterator<Item = (usize, &str)> {
    input
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty())
}

/// A full 40-digit hex object id, as git writes them to hooks.
pub fn full_oid(s: &str) -> Option<Oid> {
    (s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Oid::from_str(s).ok())
        .flatten()
}

/// The commit an object id names (peeling tags), if it is in the repository
/// and is or points to a commit.
pub fn commit_of(repo: &Repository, id: Oid) -> Option<Oid> {
    let obj = repo.find_object(id, None).ok()?;
    obj.peel_to_commit().ok().map(|c| c.id())
}

/// A bad stdin line, quoted (at most 200 characters) in a one-line error that
/// says which line git gives the hook.
pub fn bad_line(no: usize, expected: &str, line: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "stdin:{no}: expected {expected}, got {:?}",
        line.chars().take(200).collect::<String>()
    )
}
