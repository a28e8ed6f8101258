//! The secret ledger: which secrets appear in which tracked files, kept in
//! `<common git dir>/keyhook/ledger` (never committed). It holds salted
//! fingerprints and paths only, never a secret or anything reversible to one.
//! It is what lets a commit see that the key it adds to `config/keys.prod.js`
//! is already in `config/keys.test.js` ([`cross`]).
//!
//! The file is JSON with a format name, a version and the identity of the salt
//! the fingerprints were made with. A missing ledger is built from the tracked
//! files; a corrupt one, one from another version or one made with another salt
//! is rebuilt (the first two with a note). Writes are atomic (a temporary file
//! in the same directory, then a rename); a git directory that cannot be
//! written is a warning, never a reason to skip checking the commit.

pub mod cross;
pub mod env;

use crate::finding::Finding;
use crate::report::CheckReport;
use crate::scan::FileResult;
use crate::source::Change;
use anyhow::{Context, Result};
use git2::Repository;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Ledger format version; bump when the layout changes (old ledgers are rebuilt).
pub const VERSION: u32 = 1;

const FORMAT: &str = "keyhook-ledger";

/// Fingerprint → the paths holding that secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    format: String,
    version: u32,
    /// Identity of the fingerprint salt (a hash of it), so a ledger made with
    /// another salt is recognised and rebuilt rather than silently never matching.
    salt_id: String,
    secrets: BTreeMap<String, BTreeSet<String>>,
}

/// What loading found.
#[derive(Debug)]
pub enum Loaded {
    /// A usable ledger.
    Ready(Ledger),
    /// No ledger yet.
    Missing,
    /// A ledger that must be rebuilt, and why (for the note on stderr).
    Unusable(String),
    /// Made with another salt: rebuilt without a note (the baseline changed it).
    OtherSalt,
}

/// Where the ledger lives inside the common git directory.
pub fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("keyhook").join("ledger")
}

fn salt_id(salt: &str) -> String {
    crate::fingerprint::fingerprint("keyhook-ledger-salt-id", salt.as_bytes())
}

impl Ledger {
    /// An empty ledger for fingerprints made with `salt`.
    pub fn new(salt: &str) -> Ledger {
        Ledger {
            format: FORMAT.into(),
            version: VERSION,
            salt_id: salt_id(salt),
            secrets: BTreeMap::new(),
        }
    }

    /// Reads the ledger of `git_dir`, checking format, version and salt.
    pub fn load(git_dir: &Path, salt: &str) -> Loaded {
        let text = match std::fs::read(path(git_dir)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
            Err(e) => return Loaded::Unusable(format!("unreadable: {e}")),
        };
        let value: serde_json::Value = match serde_json::from_slice(&text) {
            Ok(v) => v,
            Err(e) => return Loaded::Unusable(format!("corrupt: {e}")),
        };
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Loaded::Unusable("corrupt: not a keyhook ledger".into());
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version != u64::from(VERSION) {
            return Loaded::Unusable(format!(
                "written by another keyhook version (format {version}, expected {VERSION})"
            ));
        }
        let ledger: Ledger = match serde_json::from_value(value) {
            Ok(l) => l,
            Err(e) => return Loaded::Unusable(format!("corrupt: {e}")),
        };
        if ledger.salt_id != salt_id(salt) {
            return Loaded::OtherSalt;
        }
        Loaded::Ready(ledger)
    }

    /// Writes the ledger atomically: a temporary file next to it, then a rename.
    pub fn save(&self, git_dir: &Path) -> Result<()> {
        let target = path(git_dir);
        let dir = target.parent().expect("ledger path has a parent");
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        let tmp = dir.join(format!("ledger.tmp-{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec(self).map_err(std::io::Error::other)?)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &target)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow::anyhow!("{}: {e}", target.display())
        })
    }

    /// Records that `path` holds the secret with fingerprint `fp`.
    pub fn record(&mut self, fp: &str, path: &str) {
        self.secrets
            .entry(fp.to_string())
            .or_default()
            .insert(path.to_string());
    }

    /// Forgets that `path` holds `fp` (it was removed since).
    pub fn forget(&mut self, fp: &str, path: &str) {
        if let Some(paths) = self.secrets.get_mut(fp) {
            paths.remove(path);
            if paths.is_empty() {
                self.secrets.remove(fp);
            }
        }
    }

    /// Forgets everything recorded for `path` (it was just rescanned in full).
    pub fn forget_path(&mut self, path: &str) {
        self.secrets.retain(|_, paths| {
            paths.remove(path);
            !paths.is_empty()
        });
    }

    /// The paths recorded for `fp`.
    pub fn paths(&self, fp: &str) -> impl Iterator<Item = &str> {
        self.secrets
            .get(fp)
            .into_iter()
            .flat_map(|p| p.iter().map(String::as_str))
    }

    /// Number of distinct secrets recorded.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

/// What the ledger needs from the pipeline that feeds it. The ledger is one of
/// the pipeline's stages and sits below it, so it reaches the scanner, the
/// baseline and the configuration through this trait instead of naming the
/// pipeline ([`crate::pipeline::Pipeline`] implements it).
pub trait Scans {
    /// The fingerprint salt.
    fn salt(&self) -> &str;
    /// Environment names by path (`[environments]` and the built-in names).
    fn environments(&self) -> &env::Environments;
    /// A key in more files than this is reported as reuse.
    fn reuse_threshold(&self) -> usize;
    /// True when the baseline accepts `finding`.
    fn accepts(&self, finding: &Finding) -> bool;
    /// True when `skip_paths` excludes `path`.
    fn skips(&self, path: &str) -> bool;
    /// Scans one change's added lines.
    fn check_change(&self, repo: &Repository, change: &Change) -> Result<FileResult>;
    /// Scans every change, the baseline applied.
    fn check_changes(&self, repo: &Repository, changes: &[Change]) -> Result<CheckReport>;
}

/// Builds the ledger from scratch by scanning every tracked file with the
/// pipeline (baseline-accepted findings included: an accepted test key is
/// still a key). `keyhook scan` and `keyhook ledger rebuild` call this.
pub fn rebuild(pipeline: &impl Scans, repo: &Repository) -> Result<Ledger> {
    let changes = crate::source::staged::tracked(repo)?;
    let report = pipeline.check_changes(repo, &changes)?;
    let mut ledger = Ledger::new(pipeline.salt());
    for f in report.findings.iter().chain(&report.accepted_findings) {
        if cross::is_secret_finding(f) {
            ledger.record(&f.fingerprint, &f.path);
        }
    }
    Ok(ledger)
}

/// The ledger of `git_dir`, rebuilt when missing or unusable. Notes for stderr
/// (a rebuilt corrupt or old ledger) are pushed to `notes`.
pub fn load_or_rebuild(
    pipeline: &impl Scans,
    repo: &Repository,
    git_dir: &Path,
    notes: &mut Vec<String>,
) -> Result<(Ledger, bool)> {
    match Ledger::load(git_dir, pipeline.salt()) {
        Loaded::Ready(l) => Ok((l, false)),
        Loaded::Missing | Loaded::OtherSalt => Ok((rebuild(pipeline, repo)?, true)),
        Loaded::Unusable(why) => {
            notes.push(format!(
                "keyhook: note: the secret ledger (keyhook/ledger in the git directory) was {why}; rebuilt it from the tracked files"
            ));
            Ok((rebuild(pipeline, repo)?, true))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_salt_check() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::new("s1");
        l.record("fp1", "a/prod.js");
        l.record("fp1", "a/test.js");
        l.save(dir.path()).unwrap();
        match Ledger::load(dir.path(), "s1") {
            Loaded::Ready(back) => assert_eq!(back, l),
            other => panic!("{other:?}"),
        }
        assert!(matches!(Ledger::load(dir.path(), "s2"), Loaded::OtherSalt));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("keyhook"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["ledger"]);
    }

    #[test]
    fn corrupt_and_old_ledgers_are_unusable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("keyhook")).unwrap();
        std::fs::write(path(dir.path()), "{not json").unwrap();
        assert!(
            matches!(Ledger::load(dir.path(), "s"), Loaded::Unusable(w) if w.starts_with("corrupt"))
        );
        std::fs::write(
            path(dir.path()),
            r#"{"format":"keyhook-ledger","version":0,"salt_id":"x","secrets":{}}"#,
        )
        .unwrap();
        assert!(
            matches!(Ledger::load(dir.path(), "s"), Loaded::Unusable(w) if w.contains("format 0"))
        );
        assert!(matches!(
            Ledger::load(&dir.path().join("none"), "s"),
            Loaded::Missing
        ));
    }

    #[test]
    fn forgetting() {
        let mut l = Ledger::new("s");
        l.record("a", "x");
        l.record("a", "y");
        l.record("b", "x");
        l.forget_path("x");
        assert_eq!(l.paths("a").collect::<Vec<_>>(), ["y"]);
        assert_eq!(l.len(), 1);
        l.forget("a", "y");
        assert!(l.is_empty());
    }
}
