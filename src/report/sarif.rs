//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it: one run,
//! `tool.driver` with the rules that fired, one result per finding with a
//! physical location (repository-relative URI under `%SRCROOT%`, start line and
//! column) and the salted fingerprint as a partial fingerprint, so an alert
//! keeps its identity when lines move. What could not be scanned becomes tool
//! notifications, and an incomplete scan is `executionSuccessful: false`.

use super::CheckReport;
use crate::finding::{Finding, Pattern};
use crate::rules::RuleSet;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The SARIF schema this writer targets.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the report as a SARIF log and a newline.
pub fn write(w: &mut dyn Write, report: &CheckReport, rules: &RuleSet) -> io::Result<()> {
    // Rules in first-seen order; results point at them by index.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut driver_rules = Vec::new();
    for f in &report.findings {
        if !index.contains_key(f.rule.as_str()) {
            index.insert(&f.rule, driver_rules.len());
            driver_rules.push(rule(f, rules));
        }
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index[f.rule.as_str()], report))
        .collect();
    let mut notes = Vec::new();
    for (path, error) in &report.unreadable {
        notes.push(json!({
            "level": "error",
            "message": { "text": format!("{path}: could not be read: {error}") },
        }));
    }
    for (path, size) in &report.too_large {
        notes.push(json!({
            "level": "warning",
            "message": { "text": format!("{path}: not scanned: {size} bytes, over the size limit (max_file_size)") },
        }));
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "keyhook",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/keyhook/keyhook",
                "rules": driver_rules,
            }},
            "invocations": [{
                "executionSuccessful": !report.incomplete(),
                "toolExecutionNotifications": notes,
            }],
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root." } } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

/// A `reportingDescriptor` for the rule of `f`.
fn rule(f: &Finding, rules: &RuleSet) -> Value {
    let description = rules
        .get(&f.rule)
        .map(|r| r.description.to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| f.rule_name.clone());
    let precision = if f.pattern == Pattern::GenericAssignment {
        "medium"
    } else {
        "high"
    };
    json!({
        "id": f.rule,
        "name": pascal_case(&f.rule),
        "shortDescription": { "text": f.rule_name },
        "fullDescription": { "text": description },
        "help": { "text": format!("{description}\nFix: {}", f.fix) },
        "defaultConfiguration": { "level": "error" },
        "properties": {
            "tags": ["security", "secret"],
            "precision": precision,
            "security-severity": "9.0",
        },
    })
}

/// A `result` for one finding.
fn result(f: &Finding, rule_index: usize, report: &CheckReport) -> Value {
    let location = match report.provenance.sessions.get(&f.path) {
        // Session files live outside the repository: an absolute file URI.
        Some(s) => json!({ "uri": file_uri(&s.file.to_string_lossy()) }),
        None => json!({ "uri": encode(&f.path), "uriBaseId": "%SRCROOT%" }),
    };
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": "error",
        "message": { "text": format!("{} ({}): {}. Fix: {}", f.rule_name, f.redacted, f.why, f.fix) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": location,
                "region": { "startLine": f.line, "startColumn": f.column },
            },
        }],
        "partialFingerprints": { "keyhookFingerprint/v1": f.fingerprint },
    });
    if let Some(c) = &f.commit {
        r["properties"] = json!({
            "commit": c.id,
            "pushed": report.provenance.pushed.contains(&c.id),
        });
    }
    r
}

/// `github.pat` → `GithubPat`: SARIF rule names are identifiers.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            let first = c.next().unwrap().to_ascii_uppercase();
            std::iter::once(first).chain(c).collect::<String>()
        })
        .collect()
}

/// Percent-encodes a path for a URI reference, keeping `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file://` URI of an absolute path.
fn file_uri(abs: &str) -> String {
    let p = abs.replace('\\', "/");
    let p = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    format!("file://{}", encode(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("github.pat"), "GithubPat");
        assert_eq!(
            pascal_case("generic.secret-assignment"),
            "GenericSecretAssignment"
        );
        assert_eq!(encode("dir name/a+b.env"), "dir%20name/a%2Bb.env");
        assert_eq!(file_uri("/home/u/x y"), "file:///home/u/x%20y");
    }
}
