//! The human report: one block per finding (where, what, why, fix), the files
//! that were not scanned, and one summary line.

use super::CheckReport;
use super::{plural, Subject};
use crate::finding::Finding;
use std::io::{self, Write};

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Plain or coloured output.
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Advice shown under every finding on how to accept a false positive.
const ACCEPT_HINT: &str =
    "not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line";

/// Writes one finding block.
pub fn write_finding(w: &mut dyn Write, f: &Finding, style: Style) -> io::Result<()> {
    let place = format!("{}:{}:{}", f.path, f.line, f.column);
    writeln!(
        w,
        "{}  {}  {}",
        style.paint("1;31", &place),
        style.paint("1", &f.rule_name),
        f.redacted
    )?;
    if let Some(c) = &f.commit {
        writeln!(
            w,
            "    in: commit {} {}",
            &c.id[..c.id.len().min(10)],
            c.subject
        )?;
    }
    writeln!(w, "    rule: {} ({})", f.rule, f.pattern.as_str())?;
    writeln!(w, "    why: {}", f.why)?;
    writeln!(w, "    fix: {}", f.fix)?;
    writeln!(w, "         {ACCEPT_HINT}")?;
    Ok(())
}

/// Writes the whole report: findings, skipped files, summary.
pub fn write_report(
    w: &mut dyn Write,
    report: &CheckReport,
    subject: Subject,
    style: Style,
) -> io::Result<()> {
    for f in &report.findings {
        write_finding(w, f, style)?;
        writeln!(w)?;
    }
    for (path, size) in &report.too_large {
        writeln!(
            w,
            "keyhook: not scanned: {path} ({:.1} MiB, over the size limit; raise `max_file_size` in .keyhook.toml to scan it)",
            *size as f64 / (1024.0 * 1024.0)
        )?;
    }
    if report.binary > 0 {
        writeln!(
            w,
            "keyhook: {} not scanned (binary content)",
            plural(report.binary, "file", "files")
        )?;
    }
    for (path, error) in &report.unreadable {
        writeln!(w, "keyhook: could not read: {path}: {error}")?;
    }
    let n = report.findings.len();
    if n > 0 {
        let what = plural(n, "secret", "secrets");
        let files = plural(report.files_with_findings(), "file", "files");
        let line = match subject {
            Subject::Commit => format!("keyhook: commit blocked: {what} in {files}"),
            Subject::Push => format!("keyhook: push blocked: {what} in {files}"),
            Subject::Scan => format!("keyhook: found {what} in {files}"),
        };
        writeln!(w, "{}", style.paint("1;31", &line))?;
    } else if subject == Subject::Scan && !report.incomplete() {
        // A hook stays silent when clean; a scan someone ran says what it covered.
        writeln!(
            w,
            "keyhook: no secrets found ({} scanned)",
            plural(report.scanned, "file", "files")
        )?;
    }
    if report.incomplete() {
        let line = format!(
            "keyhook: scan incomplete: {} could not be read (exit code 2)",
            plural(report.unreadable.len(), "path", "paths")
        );
        writeln!(w, "{}", style.paint("1;31", &line))?;
    }
    Ok(())
}
