//! `--format json`: one versioned document per run, described by
//! `schemas/report-v1.schema.json` and the README. Built from findings, which
//! hold only the redacted secret and its salted fingerprint.
//!
//! Compatibility: within `"version": 1`, fields are only ever added; a
//! removal or a change of meaning bumps the version.

use super::CheckReport;
use super::Subject;
use crate::finding::Finding;
use serde::Serialize;
use std::io::{self, Write};

/// The schema version this module writes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    subject: &'static str,
    findings: Vec<JsonFinding<'a>>,
    skipped: Skipped<'a>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    rule: &'a str,
    rule_name: &'a str,
    pattern: &'static str,
    redacted: &'a str,
    fingerprint: &'a str,
    entropy: Option<f64>,
    why: &'a str,
    fix: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<Commit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<Session<'a>>,
}

#[derive(Serialize)]
struct Commit<'a> {
    id: &'a str,
    subject: &'a str,
    pushed: bool,
}

#[derive(Serialize)]
struct Session<'a> {
    tool: &'a str,
    file: String,
    modified: &'a str,
    rotate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_repository: Option<&'a str>,
}

#[derive(Serialize)]
struct Skipped<'a> {
    too_large: Vec<TooLarge<'a>>,
    binary: usize,
    unreadable: Vec<Unreadable<'a>>,
}

#[derive(Serialize)]
struct TooLarge<'a> {
    path: &'a str,
    size: u64,
}

#[derive(Serialize)]
struct Unreadable<'a> {
    path: &'a str,
    error: &'a str,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    files_with_findings: usize,
    scanned: usize,
    accepted: usize,
    complete: bool,
}

fn finding<'a>(f: &'a Finding, report: &'a CheckReport) -> JsonFinding<'a> {
    let prov = &report.provenance;
    let commit = f.commit.as_ref().map(|c| Commit {
        id: &c.id,
        subject: &c.subject,
        pushed: prov.pushed.contains(&c.id),
    });
    let session = prov.sessions.get(&f.path).map(|s| {
        let in_repository = prov.in_repository.get(&f.fingerprint).map(String::as_str);
        Session {
            tool: &s.tool,
            file: s.file.to_string_lossy().into_owned(),
            modified: &s.modified,
            rotate: in_repository.is_some(),
            in_repository,
        }
    });
    JsonFinding {
        path: &f.path,
        line: f.line,
        column: f.column,
        rule: &f.rule,
        rule_name: &f.rule_name,
        pattern: f.pattern.as_str(),
        redacted: &f.redacted,
        fingerprint: &f.fingerprint,
        entropy: f.entropy,
        why: &f.why,
        fix: &f.fix,
        commit,
        session,
    }
}

/// Writes the report as one pretty-printed JSON document and a newline.
pub fn write(w: &mut dyn Write, report: &CheckReport, subject: Subject) -> io::Result<()> {
    let doc = Doc {
        version: VERSION,
        tool: Tool {
            name: "keyhook",
            version: env!("CARGO_PKG_VERSION"),
        },
        subject: subject.as_str(),
        findings: report.findings.iter().map(|f| finding(f, report)).collect(),
        skipped: Skipped {
            too_large: report
                .too_large
                .iter()
                .map(|(path, size)| TooLarge { path, size: *size })
                .collect(),
            binary: report.binary,
            unreadable: report
                .unreadable
                .iter()
                .map(|(path, error)| Unreadable { path, error })
                .collect(),
        },
        summary: Summary {
            findings: report.findings.len(),
            files_with_findings: report.files_with_findings(),
            scanned: report.scanned,
            accepted: report.accepted,
            complete: !report.incomplete(),
        },
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
