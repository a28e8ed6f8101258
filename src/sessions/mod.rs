//! Local AI coding tool stores: transcripts and session state that Claude
//! Code, Codex, Gemini CLI, aider, Continue, Cursor and VS Code keep under the
//! home directory. A key pasted into a chat, or read by an agent from a `.env`
//! file, stays there in plain text after it went to the model provider.
//!
//! Where to look is data ([`BUILTIN`], extendable with `[[ai_session_store]]`
//! in `.keyhook.toml`). Stores that do not exist are skipped without a word.
//! Files are only ever opened for reading, and are scanned as raw bytes in
//! chunks ([`chunk`]): SQLite databases are not skipped as binary, and a
//! truncated file is just shorter input.

pub mod chunk;

use crate::finding::Finding;
use crate::pipeline::Pipeline;
use crate::progress::Progress;
use crate::report::{CheckReport, SessionFile};
use anyhow::{Context, Result};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The built-in store list (`src/sessions/stores.toml`).
pub const BUILTIN: &str = include_str!("stores.toml");

use crate::config::StoreSpec;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreFile {
    store: Vec<StoreSpec>,
}

/// The built-in stores followed by `extra` (from `.keyhook.toml`).
pub fn stores(extra: &[StoreSpec]) -> Vec<StoreSpec> {
    let builtin: StoreFile = toml::from_str(BUILTIN).expect("stores.toml is valid");
    builtin
        .store
        .into_iter()
        .chain(extra.iter().cloned())
        .collect()
}

/// A file found in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index of the store in the list given to [`discover`].
    pub store: usize,
    /// Absolute path.
    pub file: PathBuf,
    /// Shown in reports: `~/` plus the path relative to the home directory.
    pub display: String,
}

/// Every existing file of every store under `home`, each once, sorted.
pub fn discover(home: &Path, stores: &[StoreSpec]) -> Result<Vec<Found>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, spec) in stores.iter().enumerate() {
        let globs = globs(spec)?;
        let base = home.join(&spec.dir);
        let mut stack = vec![(base.clone(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            // Missing or unreadable store directories are not errors: most
            // people use one or two of these tools.
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(ft) = entry.file_type() else { continue };
                let path = entry.path();
                let name = entry.file_name();
                if ft.is_dir() {
                    let hidden = name.to_string_lossy().starts_with('.');
                    let deeper = spec.max_depth.is_none_or(|m| depth < m);
                    if deeper && !(spec.skip_hidden && hidden) && name != ".git" {
                        stack.push((path, depth + 1));
                    }
                } else if ft.is_file() {
                    let rel = slash_path(path.strip_prefix(&base).unwrap_or(&path));
                    if globs.is_match(&rel) && seen.insert(path.clone()) {
                        let display =
                            format!("~/{}", slash_path(path.strip_prefix(home).unwrap_or(&path)));
                        out.push(Found {
                            store: i,
                            file: path,
                            display,
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(out)
}

fn globs(spec: &StoreSpec) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in &spec.globs {
        let glob = GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .with_context(|| format!("AI session store {}: invalid glob `{g}`", spec.tool))?;
        b.add(glob);
    }
    Ok(b.build()?)
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Scans every found file. `in_repo` says where in the current repository a
/// secret (by fingerprint) is committed; a key in both is marked "rotate".
pub fn check(
    pipeline: &Pipeline,
    stores: &[StoreSpec],
    found: &[Found],
    in_repo: &dyn Fn(&str) -> Option<String>,
    progress: &Progress,
) -> CheckReport {
    progress.set_total(found.len() as u64);
    let results = progress.run(|| {
        crate::workers::map(found, |f| {
            let r = scan_file(pipeline, f);
            if let Ok((_, _, n)) = &r {
                progress.add_bytes(*n);
            }
            progress.add_items(1);
            r
        })
    });
    let mut report = CheckReport::default();
    for (f, result) in found.iter().zip(results) {
        let (findings, modified) = match result {
            Ok((findings, modified, _)) => (findings, modified),
            Err(e) => {
                report.unreadable.push((f.display.clone(), e));
                continue;
            }
        };
        report.scanned += 1;
        let tool = &stores[f.store].tool;
        for mut finding in findings {
            if pipeline.baseline.accepts(&finding) {
                report.accepted += 1;
                continue;
            }
            finding.why = format!("{tool} session file, modified {modified}: {}", finding.why);
            match in_repo(&finding.fingerprint) {
                Some(place) => {
                    finding.why = format!(
                        "{}; the same key is committed in this repository at {place}",
                        finding.why
                    );
                    finding.fix = ROTATE_FIX.to_string();
                    report
                        .provenance
                        .in_repository
                        .insert(finding.fingerprint.clone(), place);
                }
                None => finding.fix = SESSION_FIX.to_string(),
            }
            report.provenance.sessions.insert(
                f.display.clone(),
                SessionFile {
                    tool: tool.clone(),
                    modified: modified.clone(),
                    file: f.file.clone(),
                },
            );
            report.findings.push(finding);
        }
    }
    report.sort();
    report
}

/// Reads one file (read-only) and scans it: findings, modification date, size.
fn scan_file(pipeline: &Pipeline, f: &Found) -> Result<(Vec<Finding>, String, u64), String> {
    let file = std::fs::File::open(&f.file).map_err(|e| e.to_string())?;
    let modified = file
        .metadata()
        .and_then(|m| m.modified())
        .map(date)
        .unwrap_or_else(|_| "unknown".to_string());
    let (findings, n) = chunk::scan_stream(&pipeline.scanner, &f.display, file, &pipeline.ctx)
        .map_err(|e| e.to_string())?;
    Ok((findings, modified, n))
}

/// `YYYY-MM-DD` (UTC) of a time.
pub fn date(t: SystemTime) -> String {
    let secs = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Advice for a key found in a session store.
pub const SESSION_FIX: &str = "rotate the key: what an AI coding tool reads or is told goes to its model provider and stays in this file in plain text; delete the session if you do not need it, and keep keys where the tool does not read them";

/// Advice for a key found both in a session store and in the repository.
pub const ROTATE_FIX: &str = "rotate this key now: it is committed in this repository and it went through an AI tool, whose transcript keeps it in plain text; then take it out of the code";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_stores_parse_and_their_globs_compile() {
        let s = stores(&[]);
        assert!(s.iter().any(|s| s.tool == "Claude Code"));
        for spec in &s {
            globs(spec).unwrap();
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date(SystemTime::UNIX_EPOCH), "1970-01-01");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        assert_eq!(date(t), "2026-01-01");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(date(t), "2000-02-29");
    }

    #[test]
    fn discovery_follows_globs_depth_and_hidden_rules() {
        let home = tempfile::TempDir::new().unwrap();
        let w = |rel: &str| {
            let p = home.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        };
        w(".claude/projects/-a-b/s1.jsonl");
        w(".claude/projects/-a-b/notes.txt");
        w(".claude.json");
        w("code/app/.aider.chat.history.md");
        w("a/b/c/d/e/.aider.chat.history.md");
        w(".cache/x/.aider.chat.history.md");
        let found: Vec<_> = discover(home.path(), &stores(&[]))
            .unwrap()
            .into_iter()
            .map(|f| f.display)
            .collect();
        assert_eq!(
            found,
            [
                "~/.claude.json",
                "~/.claude/projects/-a-b/s1.jsonl",
                "~/code/app/.aider.chat.history.md",
            ]
        );
    }
}
