//! Committed env files. `.env`, `.env.local`, `.env.production`, any `.env.*`
//! holds the real values of a deployment's variables, so staging one is a
//! finding by itself, whatever its values look like. Example files
//! (`.env.example`, `.env.sample`, `.env.template`, ...) are meant to be
//! committed: they are scanned like everything else, and a real-looking key in
//! one gets an explanation of its own.

use super::transcripts::shell_quote;
use super::File;
use crate::finding::{Finding, Pattern};

/// Rule id of the file-level finding.
pub const RULE: &str = "keyhook.env-file";

/// Starts of name parts that mark a committed-on-purpose env file
/// (`.env.example`, `.env.examples`, `.env.sample-dev`). `vault` is dotenv-vault's
/// encrypted file, made to be committed.
const EXAMPLE_PARTS: &[&str] = &[
    "example", "sample", "template", "tpl", "dist", "default", "schema", "vault",
];

/// What a path is, as env files go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvFile {
    /// `.env`, `.env.local`, `.env.production`: real values.
    Local,
    /// `.env.example` and friends: stand-ins, committed on purpose.
    Example,
}

/// Classifies `path` by its file name alone.
pub fn classify(path: &str) -> Option<EnvFile> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let rest = name.strip_prefix(".env")?;
    if rest.is_empty() {
        return Some(EnvFile::Local);
    }
    let rest = rest.strip_prefix('.')?;
    let example = rest
        .split(['.', '-', '_'])
        .map(str::to_ascii_lowercase)
        .any(|p| EXAMPLE_PARTS.iter().any(|e| p.starts_with(e)));
    Some(if example {
        EnvFile::Example
    } else {
        EnvFile::Local
    })
}

/// The file-level finding for a local env file.
pub fn file_finding(file: &File<'_>) -> Finding {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    file.whole_file_finding(
        RULE,
        "env file staged for commit".into(),
        Pattern::EnvFile,
        format!(
            "`{name}` is a local env file: it holds the real values of the environment's variables, and once committed they are in every clone and in the history for good (keyhook flags the file itself, whatever its values look like)"
        ),
        format!(
            "unstage it (`git rm --cached {}`), add `.env*` and `!.env.example` to .gitignore, and commit a `.env.example` with stand-in values instead; rotate every real key it held",
            shell_quote(file.path)
        ),
    )
}

/// Explains secrets found in an example env file.
pub fn relabel_example(file: &File<'_>, findings: &mut [Finding]) {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    for f in findings.iter_mut() {
        f.pattern = Pattern::EnvFile;
        f.why = format!(
            "`{name}` is an example env file, copied and published as documentation, yet this value looks real; {}",
            f.why
        );
        f.fix = "replace the value with a stand-in such as `your-key-here` (keep the real one in the untracked `.env`), and rotate the key".into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_env_files() {
        for p in [
            ".env",
            ".env.local",
            "apps/web/.env.production",
            ".env.development.local",
            ".env.staging",
        ] {
            assert_eq!(classify(p), Some(EnvFile::Local), "{p}");
        }
    }

    #[test]
    fn example_env_files() {
        for p in [
            ".env.example",
            "web/.env.sample",
            ".env.local.example",
            ".env.template",
            ".env.dist",
            ".env.defaults",
            ".env.vault",
            ".env.example2",
        ] {
            assert_eq!(classify(p), Some(EnvFile::Example), "{p}");
        }
    }

    #[test]
    fn not_env_files() {
        for p in [
            "app.env",
            ".envrc",
            "env.ts",
            ".environment",
            "src/.env_loader.py",
        ] {
            assert_eq!(classify(p), None, "{p}");
        }
    }
}
