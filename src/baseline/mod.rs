//! `.keyhook-baseline.toml`: findings a reviewer accepted as not-a-secret.
//!
//! An entry matches a finding by rule + path + salted fingerprint of the
//! secret, never by line number, so edits above an accepted line don't bring it
//! back, and the same key in another file is a different finding. The file is
//! committed and shared, so it holds nothing that churns (no line numbers, no
//! generation stamp), is written in one sorted, stable layout so two people's
//! updates merge cleanly, and only `keyhook baseline update|review|prune`
//! write it: the hooks only read it.

mod format;
pub mod salt;
pub mod stamp;
pub mod store;

use crate::finding::Finding;
use anyhow::{Context, Result};
use std::path::Path;

/// File name of the baseline, at the repository root.
pub const FILE_NAME: &str = ".keyhook-baseline.toml";

/// The baseline format this keyhook reads and writes. A file with a higher
/// `version` is refused (with "upgrade keyhook"), never half-understood.
pub const FORMAT_VERSION: u32 = 1;

/// The salt used when there is no repository at all (a plain directory scan):
/// no baseline can exist there, and fixed fingerprints let two scans of the same
/// directory be compared.
pub const NO_REPO_SALT: &str = "keyhook-default-salt-v1";

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// Salted fingerprint of the secret (see [`crate::fingerprint`]).
    pub fingerprint: String,
    /// Who accepted it (`Name <email>` from git config, or the login name).
    pub accepted_by: String,
    /// When it was accepted (`YYYY-MM-DD`); set once, never rewritten.
    pub accepted_at: String,
    /// Why it is not a secret.
    pub reason: Option<String>,
}

impl Entry {
    /// An entry accepting `finding`.
    pub fn accept(finding: &Finding, stamp: &stamp::Stamp, reason: Option<&str>) -> Entry {
        Entry {
            path: finding.path.clone(),
            rule: finding.rule.clone(),
            fingerprint: finding.fingerprint.clone(),
            accepted_by: stamp.by.clone(),
            accepted_at: stamp.at.clone(),
            reason: reason.map(str::to_string),
        }
    }

    /// Identity and sort order: path, rule, fingerprint.
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.path, &self.rule, &self.fingerprint)
    }
}

/// The identity of a finding in the baseline's terms.
fn finding_key(f: &Finding) -> (&str, &str, &str) {
    (&f.path, &f.rule, &f.fingerprint)
}

/// The accepted findings of a repository and the salt their fingerprints use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    salt: String,
    /// Sorted by [`Entry::key`], no duplicates.
    entries: Vec<Entry>,
    /// Whether this came from a file (false: no baseline yet).
    from_file: bool,
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline::with_salt(NO_REPO_SALT)
    }
}

impl Baseline {
    /// Loads the baseline at `root`. Without one, the salt is the repository's
    /// local salt in `git_dir` (created on first use) so that fingerprints stay
    /// the same when `baseline update` later creates the file, or the fixed
    /// [`NO_REPO_SALT`] when there is no repository.
    pub fn load(root: &Path, git_dir: Option<&Path>) -> Result<Baseline> {
        let path = root.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| anyhow::anyhow!("{FILE_NAME}:1: not UTF-8 text (restore it from git: `git checkout -- {FILE_NAME}`)"))?;
                Baseline::parse(&text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let salt = match git_dir {
                    Some(dir) => salt::local(dir),
                    None => NO_REPO_SALT.to_string(),
                };
                Ok(Baseline::with_salt(&salt))
            }
            Err(e) => Err(e).with_context(|| format!("{FILE_NAME}: cannot read")),
        }
    }

    /// An empty baseline (no file) using `salt`.
    pub fn with_salt(salt: &str) -> Baseline {
        Baseline {
            salt: salt.to_string(),
            entries: Vec::new(),
            from_file: false,
        }
    }

    /// Parses baseline text; errors name `.keyhook-baseline.toml` and the line.
    pub fn parse(text: &str) -> Result<Baseline> {
        let (salt, entries) = format::parse(text)?;
        Ok(Baseline {
            salt,
            entries,
            from_file: true,
        })
    }

    /// The file's content: the stable layout every writer produces.
    pub fn render(&self) -> String {
        format::render(&self.salt, &self.entries)
    }

    /// The fingerprint salt.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// Whether this baseline was read from a file.
    pub fn from_file(&self) -> bool {
        self.from_file
    }

    /// The entries, sorted by path, rule and fingerprint.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The same salt, no entries: a pipeline built on it reports every
    /// finding, accepted or not (what `prune` needs).
    pub fn without_entries(&self) -> Baseline {
        Baseline {
            entries: Vec::new(),
            ..self.clone()
        }
    }

    /// True when `finding` was accepted.
    pub fn accepts(&self, finding: &Finding) -> bool {
        let key = finding_key(finding);
        self.entries.binary_search_by(|e| e.key().cmp(&key)).is_ok()
    }

    /// Adds `entry` in sorted position; false (and no change) when an entry
    /// with the same rule, path and fingerprint exists: its original
    /// `accepted_by`/`accepted_at` stay.
    pub fn add(&mut self, entry: Entry) -> bool {
        match self.entries.binary_search_by(|e| e.key().cmp(&entry.key())) {
            Ok(_) => false,
            Err(i) => {
                self.entries.insert(i, entry);
                true
            }
        }
    }

    /// Keeps the entries for which `keep` is true; returns the removed ones.
    pub fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) -> Vec<Entry> {
        let (kept, removed) = std::mem::take(&mut self.entries)
            .into_iter()
            .partition(|e| keep(e));
        self.entries = kept;
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Pattern;

    fn finding(path: &str, rule: &str, fp: &str) -> Finding {
        Finding {
            path: path.into(),
            line: 7,
            column: 3,
            rule: rule.into(),
            rule_name: "R".into(),
            pattern: Pattern::ProviderFormat,
            redacted: "x****".into(),
            fingerprint: fp.into(),
            entropy: None,
            why: String::new(),
            fix: String::new(),
            commit: None,
        }
    }

    fn stamp() -> stamp::Stamp {
        stamp::Stamp {
            by: "A <a@example.com>".into(),
            at: "2026-01-02".into(),
        }
    }

    #[test]
    fn matches_by_rule_path_and_fingerprint_only() {
        let fp = "0123456789abcdef0123456789abcdef";
        let mut b = Baseline::with_salt("s");
        assert!(b.add(Entry::accept(
            &finding("a.env", "github.pat", fp),
            &stamp(),
            None
        )));
        let mut moved = finding("a.env", "github.pat", fp);
        moved.line = 99;
        assert!(b.accepts(&moved));
        assert!(!b.accepts(&finding("b.env", "github.pat", fp)));
        assert!(!b.accepts(&finding("a.env", "other.rule", fp)));
        assert!(!b.accepts(&finding(
            "a.env",
            "github.pat",
            "ffffffffffffffffffffffffffffffff"
        )));
    }

    #[test]
    fn add_keeps_order_and_the_first_acceptance() {
        let mut b = Baseline::with_salt("s");
        let fp = "0123456789abcdef0123456789abcdef";
        b.add(Entry::accept(&finding("z", "r", fp), &stamp(), None));
        b.add(Entry::accept(
            &finding("a", "r", fp),
            &stamp(),
            Some("first"),
        ));
        assert!(!b.add(Entry::accept(
            &finding("a", "r", fp),
            &stamp(),
            Some("again")
        )));
        let paths: Vec<&str> = b.entries().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["a", "z"]);
        assert_eq!(b.entries()[0].reason.as_deref(), Some("first"));
    }

    #[test]
    fn no_repository_uses_the_documented_fixed_salt() {
        let dir = tempfile::tempdir().unwrap();
        let b = Baseline::load(dir.path(), None).unwrap();
        assert_eq!(b.salt(), NO_REPO_SALT);
        assert!(!b.from_file());
    }

    #[test]
    fn without_a_baseline_the_local_salt_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir(&git).unwrap();
        let a = Baseline::load(dir.path(), Some(&git)).unwrap();
        let b = Baseline::load(dir.path(), Some(&git)).unwrap();
        assert_eq!(a.salt(), b.salt());
        assert_ne!(a.salt(), NO_REPO_SALT);
        assert_eq!(
            std::fs::read_to_string(git.join("keyhook/salt")).unwrap(),
            format!("{}\n", a.salt())
        );
    }
}
