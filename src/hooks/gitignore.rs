//! Making sure local env files (`.env`, `.env.local`, ...) are ignored, so the
//! most common home of real keys never gets staged at all. Coverage is judged by
//! git's own ignore rules (every `.gitignore`, `info/exclude`, the global
//! excludes file), so a rule the user already has counts. Example files
//! (`.env.example`, `.env.sample`, `.env.template`) hold no secrets and are
//! meant to be committed: the added lines keep them visible.

use super::fsops;
use anyhow::{Context, Result};
use git2::Repository;
use std::path::Path;

/// Example env files that must stay committable.
const EXAMPLES: &[&str] = &[".env.example", ".env.sample", ".env.template"];

/// The lines missing from the repository's ignore rules, in the order they
/// would be added; empty when env files are already covered.
pub fn missing_lines(repo: &Repository) -> Result<Vec<String>> {
    let ignored = |p: &str| {
        repo.is_path_ignored(Path::new(p))
            .with_context(|| format!("cannot evaluate the ignore rules for {p}"))
    };
    let mut lines = Vec::new();
    if !ignored(".env")? {
        lines.push(".env".to_string());
    }
    if !ignored(".env.local")? || !ignored(".env.production")? {
        lines.push(".env.*".to_string());
        lines.extend(EXAMPLES.iter().map(|e| format!("!{e}")));
    }
    Ok(lines)
}

/// The text appended to an existing `.gitignore` holding `existing`.
pub fn addition(existing: &[u8], lines: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    if !existing.is_empty() {
        if !existing.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out.extend_from_slice(
        b"# Local env files hold real credentials (added by `keyhook install`).\n",
    );
    for l in lines {
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Appends `lines` to `<root>/.gitignore` atomically: the existing content is
/// kept byte for byte, the file is replaced in one rename. A symlinked
/// `.gitignore` is written through to its target.
pub fn append(root: &Path, lines: &[String]) -> Result<()> {
    let link = root.join(".gitignore");
    let path = if link
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        std::fs::canonicalize(&link)
            .with_context(|| format!("{}: cannot resolve the symlink", link.display()))?
    } else {
        link
    };
    let existing = super::read_optional(&path)?.unwrap_or_default();
    let mut content = existing.clone();
    content.extend(addition(&existing, lines));
    let mode = fsops::file_mode(&path).or(Some(0o644));
    fsops::write_atomic(&path, &content, mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addition_keeps_a_blank_line_and_fixes_a_missing_newline() {
        let lines = vec![".env".to_string()];
        let header = "# Local env files hold real credentials (added by `keyhook install`).\n";
        assert_eq!(
            addition(b"", &lines),
            format!("{header}.env\n").into_bytes()
        );
        assert_eq!(
            addition(b"target", &lines),
            format!("\n\n{header}.env\n").into_bytes()
        );
        assert_eq!(
            addition(b"target\n", &lines),
            format!("\n{header}.env\n").into_bytes()
        );
    }
}
