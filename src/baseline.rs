//! `.keyhook-baseline.toml`: findings a reviewer accepted as not-a-secret.
//! Entries match by rule + path + salted fingerprint, never by line number.

use crate::finding::Finding;
use anyhow::Result;
use std::path::Path;

/// File name of the baseline, at the repository root.
pub const FILE_NAME: &str = ".keyhook-baseline.toml";

/// Salt used when a repository has no baseline yet.
const DEFAULT_SALT: &str = "keyhook-default-salt-v1";

/// The accepted findings of a repository.
#[derive(Debug, Default)]
pub struct Baseline {
    salt: String,
}

impl Baseline {
    /// Loads the baseline at `root`, or an empty one.
    pub fn load(_root: &Path, _git_dir: Option<&Path>) -> Result<Baseline> {
        Ok(Baseline {
            salt: DEFAULT_SALT.to_string(),
        })
    }

    /// The fingerprint salt.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// True when `finding` was accepted.
    pub fn accepts(&self, _finding: &Finding) -> bool {
        false
    }
}
