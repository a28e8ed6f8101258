//! The repository's local fingerprint salt, used until a baseline file exists
//! (after that, the salt in the file's header wins). It lives in
//! `<git dir>/keyhook/salt`, outside the work tree, is created once, and is
//! copied into the baseline header when `baseline update` creates the file, so
//! a finding's fingerprint is the same before and after.

use crate::atomic;
use crate::fingerprint::new_salt;
use std::path::Path;

/// The local salt for the repository whose (common) git directory is `git_dir`.
/// Created on first use; two processes racing to create it agree on one value.
/// When the git directory cannot be written (a read-only checkout), a fresh
/// in-memory salt is used: fingerprints then differ between runs, which only
/// matters for a baseline, and a baseline cannot be written there either.
pub fn local(git_dir: &Path) -> String {
    let dir = git_dir.join("keyhook");
    let path = dir.join("salt");
    if let Some(s) = read(&path) {
        return s;
    }
    let fresh = new_salt();
    if std::fs::create_dir_all(&dir).is_err() {
        return fresh;
    }
    match atomic::create_new(&path, format!("{fresh}\n").as_bytes()) {
        Ok(true) => fresh,
        // Someone else created it first: theirs is the salt.
        Ok(false) => read(&path).unwrap_or(fresh),
        Err(_) => fresh,
    }
}

/// The salt stored at `path`, if it holds one.
fn read(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let s = text.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_git_dir_falls_back_to_a_fresh_salt() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the directory should be: creating it fails, as it does
        // in a read-only git directory, whatever user runs the test.
        let git = dir.path().join("git");
        std::fs::write(&git, "not a directory").unwrap();
        let a = local(&git);
        let b = local(&git);
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
