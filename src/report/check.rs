//! What checking a set of changes produced: the findings, what the baseline
//! accepted, and what was skipped or unreadable. Every source and command
//! fills one [`CheckReport`]; the renderers beside this module read it.

use crate::baseline::Baseline;
use crate::finding::Finding;
use crate::scan::{FileResult, Skipped};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What checking a set of changes produced.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Findings not excluded by the baseline, sorted by path and line.
    pub findings: Vec<Finding>,
    /// Files larger than the size limit: (path, size).
    pub too_large: Vec<(String, u64)>,
    /// Number of binary files skipped.
    pub binary: usize,
    /// Number of files scanned.
    pub scanned: usize,
    /// Findings the baseline accepted.
    pub accepted: usize,
    /// What could not be read at all: (path or commit, the OS or git error).
    /// Any entry makes the scan incomplete (exit 2).
    pub unreadable: Vec<(String, String)>,
    /// Where findings came from, for sources that know more than a path.
    pub provenance: Provenance,
    /// The accepted findings themselves: the ledger still needs them (an
    /// accepted test key arriving in a production file is a new problem).
    pub accepted_findings: Vec<Finding>,
}

/// What history and AI-session scans know about a finding's origin beyond the
/// [`Finding`] itself; machine-readable reports include it.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Ids of commits already on a remote-tracking branch (history scans).
    pub pushed: BTreeSet<String>,
    /// Session files by their report path (AI-session scans).
    pub sessions: BTreeMap<String, SessionFile>,
    /// Fingerprints of secrets also committed in the repository, with the
    /// paths holding them (AI-session scans).
    pub in_repository: BTreeMap<String, String>,
}

impl CheckReport {
    /// Number of distinct files with findings.
    pub fn files_with_findings(&self) -> usize {
        let mut paths: Vec<&str> = self.findings.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len()
    }

    /// True when something could not be read, so a clean result proves nothing.
    pub fn incomplete(&self) -> bool {
        !self.unreadable.is_empty()
    }

    /// Records one file's result, applying the baseline.
    pub fn absorb(&mut self, path: &str, result: FileResult, baseline: &Baseline) {
        match result.skipped {
            Some(Skipped::Binary) => self.binary += 1,
            Some(Skipped::TooLarge(size)) => self.too_large.push((path.to_string(), size)),
            None => self.scanned += 1,
        }
        for f in result.findings {
            if baseline.accepts(&f) {
                self.accepted += 1;
                self.accepted_findings.push(f);
            } else {
                self.findings.push(f);
            }
        }
    }

    /// Sorts findings into report order.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.accepted_findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.too_large.sort();
        self.too_large.dedup();
        self.unreadable.sort();
    }
}

/// What a report says about a session file a finding is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFile {
    /// The tool that wrote it.
    pub tool: String,
    /// Last modification date, `YYYY-MM-DD` (UTC).
    pub modified: String,
    /// Absolute path.
    pub file: PathBuf,
}
