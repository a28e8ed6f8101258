//! The same key in many places. A staged secret whose fingerprint is already
//! in a file of another environment (from the ledger), or that this commit puts
//! into files of two environments, becomes a test-key-turned-production-key
//! finding naming the files; a key in more than `reuse_threshold` files is
//! reuse. Staged occurrences the baseline accepted count too: accepting a test
//! key in a test file must not hide it arriving in a production file.
//!
//! Ledger entries can be stale (the key was removed later), so every entry a
//! finding would rely on is first confirmed by scanning that file in the index.

use super::env::Env;
use super::{load_or_rebuild, Ledger, Scans};
use crate::finding::{Finding, Pattern};
use crate::report::CheckReport;
use crate::source::{Base, Change};
use git2::Repository;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Rule id of the cross-environment finding.
pub const CROSS_RULE: &str = "keyhook.cross-environment";
/// Rule id of the reuse finding.
pub const REUSE_RULE: &str = "keyhook.reuse";

/// Most files named in one explanation.
const MAX_NAMED: usize = 4;
/// Most ledger entries confirmed per secret (each costs a file scan).
const MAX_CONFIRM: usize = 16;

/// True for findings about a secret (not a file, not another ledger finding).
pub fn is_secret_finding(f: &Finding) -> bool {
    !crate::detect::is_file_level(f) && f.rule != CROSS_RULE && f.rule != REUSE_RULE
}

/// Adds cross-environment and reuse findings for the staged `changes` to
/// `report`, and records the staged secrets in the ledger of `git_dir`. Returns
/// lines for stderr (notes and warnings); ledger trouble never fails the check.
pub fn check(
    pipeline: &impl Scans,
    repo: &Repository,
    git_dir: &Path,
    changes: &[Change],
    report: &mut CheckReport,
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut staged: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for f in report.findings.iter().chain(&report.accepted_findings) {
        if is_secret_finding(f) {
            staged
                .entry(f.fingerprint.clone())
                .or_default()
                .push(f.clone());
        }
    }
    if staged.is_empty() {
        // Nothing to compare or record: a clean commit never reads, builds or
        // writes the ledger. Entries made stale meanwhile are caught by
        // confirmation when they matter.
        return notes;
    }
    let (mut ledger, mut dirty) = match load_or_rebuild(pipeline, repo, git_dir, &mut notes) {
        Ok(l) => l,
        Err(e) => {
            notes.push(format!(
                "keyhook: warning: cannot build the secret ledger ({e:#}); cross-environment checks skipped"
            ));
            (Ledger::new(pipeline.salt()), false)
        }
    };
    // A new file was scanned whole: what the ledger had for its path is replaced.
    for c in changes.iter().filter(|c| c.base == Base::None) {
        ledger.forget_path(&c.path);
        dirty = true;
    }
    let mut confirm = Confirmer::new(pipeline, repo);
    let mut new = Vec::new();
    for (fp, occurrences) in &staged {
        let staged_paths: BTreeSet<&str> = occurrences.iter().map(|f| f.path.as_str()).collect();
        let recorded: Vec<String> = ledger
            .paths(fp)
            .filter(|p| !staged_paths.contains(p))
            .map(str::to_string)
            .collect();
        let mut others = Vec::new();
        for p in recorded.iter().take(MAX_CONFIRM) {
            if confirm.holds(p, fp) {
                others.push(p.clone());
            } else {
                ledger.forget(fp, p);
                dirty = true;
            }
        }
        if let Some(f) = cross_environment(pipeline, occurrences, &others) {
            new.push(f);
        } else if let Some(f) = reuse(pipeline, occurrences, &staged_paths, &others) {
            new.push(f);
        }
        for p in &staged_paths {
            ledger.record(fp, p);
            dirty = true;
        }
    }
    for f in new {
        if pipeline.accepts(&f) {
            report.accepted += 1;
            report.accepted_findings.push(f);
        } else {
            report.findings.push(f);
        }
    }
    report.sort();
    if dirty {
        if let Err(e) = ledger.save(git_dir) {
            notes.push(format!(
                "keyhook: warning: cannot update the secret ledger ({e:#}); this commit was checked, but later ones will not see its keys"
            ));
        }
    }
    notes
}

/// The cross-environment finding for one secret, if its files span two
/// environments and a staged occurrence is in one of them.
fn cross_environment(
    pipeline: &impl Scans,
    occurrences: &[Finding],
    others: &[String],
) -> Option<Finding> {
    let envs = pipeline.environments();
    let mut files: Vec<(String, Env)> = Vec::new();
    for p in occurrences
        .iter()
        .map(|f| &f.path)
        .chain(others)
        .collect::<BTreeSet<_>>()
    {
        if let Some(e) = envs.of(p) {
            files.push((p.clone(), e));
        }
    }
    let names: BTreeSet<String> = files.iter().map(|(_, e)| e.name.clone()).collect();
    if names.len() < 2 {
        return None;
    }
    // Report at the staged occurrence in the most protected environment.
    let rank = |e: &Env| e.rank.map_or(-1, i32::from);
    let at = occurrences
        .iter()
        .filter_map(|f| envs.of(&f.path).map(|e| (f, e)))
        .max_by_key(|(f, e)| (rank(e), std::cmp::Reverse(f.sort_key())))?;
    files.sort_by(|a, b| rank(&a.1).cmp(&rank(&b.1)).then(a.0.cmp(&b.0)));
    let (lo, hi) = (&files[0].1, &files[files.len() - 1].1);
    let list = name_list(files.iter().map(|(p, _)| p.as_str()));
    let (why, fix) = match (lo.rank, hi.rank) {
        (Some(l), Some(h)) if l != h => {
            let story = if at.1.name == hi.name {
                format!("a {} key has become a {} key", lo.name, hi.name)
            } else {
                format!(
                    "a {} key has been copied into a {} file",
                    hi.name, at.1.name
                )
            };
            (
                format!("the same key is in {list}: {story}"),
                format!(
                    "give each environment its own key: rotate the {} key now (copies sit in less protected {} files), issue separate keys for the others, and keep the {} one only in the deployment's secret store",
                    hi.name, lo.name, hi.name
                ),
            )
        }
        _ => (
            format!(
                "the same key is in {list}: one key serves the {} environments",
                name_list(names.iter().map(String::as_str))
            ),
            "give each environment its own key, rotate this one, and keep each in that environment's secret store".to_string(),
        ),
    };
    Some(derived(
        at.0,
        CROSS_RULE,
        "Same key in two environments",
        Pattern::CrossEnvironment,
        why,
        fix,
    ))
}

/// The reuse finding for one secret in more than `reuse_threshold` files.
fn reuse(
    pipeline: &impl Scans,
    occurrences: &[Finding],
    staged_paths: &BTreeSet<&str>,
    others: &[String],
) -> Option<Finding> {
    let all: BTreeSet<&str> = staged_paths
        .iter()
        .copied()
        .chain(others.iter().map(String::as_str))
        .collect();
    // Translated copies of one docs page (docs/en/x.md, docs/fr/x.md) are
    // one page: the same example in each is not reuse.
    let pages: BTreeSet<String> = all.iter().map(|p| translation_key(p)).collect();
    if pages.len() <= pipeline.reuse_threshold() {
        return None;
    }
    let why = format!(
        "the same key is in {} files ({}): one leak exposes every copy, and rotating it means finding them all",
        all.len(),
        name_list(all.iter().copied())
    );
    let fix = "keep the key in one place (an environment variable or secret store every user of it reads), remove the copies, and rotate it".to_string();
    Some(derived(
        &occurrences[0],
        REUSE_RULE,
        "Same key in many files",
        Pattern::Reuse,
        why,
        fix,
    ))
}

/// `docs/zh-CN/guide/x.md` → `docs/*/guide/x.md`, `x.fr.md` → `x.md`: the
/// path with locale parts dropped, for docs files only (issue 11).
pub fn translation_key(path: &str) -> String {
    if crate::scan::Place::of(path) != crate::scan::Place::Docs
        || crate::scan::filekind::example_path(path)
    {
        return path.to_string();
    }
    let locale = |s: &str| {
        let mut parts = s.splitn(2, ['-', '_']);
        let lang = parts.next().unwrap_or("");
        let region = parts.next();
        (2..=3).contains(&lang.len())
            && lang.bytes().all(|b| b.is_ascii_lowercase())
            && region.is_none_or(|r| {
                (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
            })
    };
    let mut out: Vec<String> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            // `x.fr.md`: a locale between the stem and the extension.
            let pieces: Vec<&str> = part.split('.').collect();
            if pieces.len() >= 3 && locale(pieces[pieces.len() - 2]) {
                let mut kept = pieces.clone();
                kept.remove(pieces.len() - 2);
                out.push(kept.join("."));
                continue;
            }
            out.push(part.to_string());
        } else if locale(part) && i > 0 {
            out.push("*".to_string());
        } else {
            out.push(part.to_string());
        }
    }
    out.join("/")
}

/// A finding at the same place as `at`, about the same secret.
fn derived(
    at: &Finding,
    rule: &str,
    name: &str,
    pattern: Pattern,
    why: String,
    fix: String,
) -> Finding {
    Finding {
        rule: rule.into(),
        rule_name: name.into(),
        pattern,
        why,
        fix,
        ..at.clone()
    }
}

/// `a`, `a and b`, `a, b and c`, `a, b, c, d and 3 more`.
fn name_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    let shown = &items[..items.len().min(MAX_NAMED)];
    let more = items.len() - shown.len();
    match (shown, more) {
        ([one], 0) => one.to_string(),
        (many, 0) => format!(
            "{} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, n) => format!("{} and {n} more", many.join(", ")),
    }
}

/// Confirms ledger entries by scanning the file as it is in the index, once per file.
struct Confirmer<'a, P: Scans> {
    pipeline: &'a P,
    repo: &'a Repository,
    index: Option<crate::source::staged::Staged>,
    seen: HashMap<String, BTreeSet<String>>,
}

impl<'a, P: Scans> Confirmer<'a, P> {
    fn new(pipeline: &'a P, repo: &'a Repository) -> Self {
        Confirmer {
            pipeline,
            repo,
            index: crate::source::staged::Staged::open(repo).ok(),
            seen: HashMap::new(),
        }
    }

    /// True when `path` still holds the secret `fp`.
    fn holds(&mut self, path: &str, fp: &str) -> bool {
        if !self.seen.contains_key(path) {
            let fps = self.scan(path).unwrap_or_default();
            self.seen.insert(path.to_string(), fps);
        }
        self.seen[path].contains(fp)
    }

    fn scan(&self, path: &str) -> Option<BTreeSet<String>> {
        if self.pipeline.skips(path) {
            return None;
        }
        let blob = self.index.as_ref()?.blob(path)?;
        let change = Change::new(path.to_string(), blob, Base::None);
        let result = self.pipeline.check_change(self.repo, &change).ok()?;
        Some(
            result
                .findings
                .into_iter()
                .filter(is_secret_finding)
                .map(|f| f.fingerprint)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translated_docs_pages_share_a_key() {
        assert_eq!(
            translation_key("docs/en/setup.md"),
            translation_key("docs/zh-CN/setup.md")
        );
        assert_eq!(translation_key("docs/setup.fr.md"), "docs/setup.md");
        assert_eq!(
            translation_key("i18n/pt_BR/docs/setup.md"),
            "i18n/*/docs/setup.md"
        );
        assert_ne!(
            translation_key("docs/en/setup.md"),
            translation_key("docs/en/deploy.md")
        );
        assert_eq!(translation_key("src/en/app.py"), "src/en/app.py");
    }

    #[test]
    fn name_lists() {
        let l = |v: &[&str]| name_list(v.iter().copied());
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b"]), "a and b");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
        assert_eq!(l(&["a", "b", "c", "d", "e", "f"]), "a, b, c, d and 2 more");
    }
}
