//! Where `keyhook install --global` puts things and what it writes: a hooks
//! directory of keyhook's own (`$XDG_CONFIG_HOME/keyhook/hooks`, by default
//! `~/.config/keyhook/hooks`) that becomes the user's `core.hooksPath`, or,
//! when another tool already holds that setting, a template directory for
//! `init.templateDir`. A hooks directory replaces `.git/hooks` for every hook
//! git runs, so it holds a shim for every hook name git knows: keyhook's two
//! run keyhook and then the repository's own hook, the others only run the
//! repository's own hook. The record of what was changed lives next to them.

use super::HookKind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Every hook git may run from a hooks directory (githooks(5)), keyhook's
/// two included. The others get a pass-through shim.
pub const GIT_HOOKS: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
];

/// The line that marks a pass-through shim.
pub const PASS_THROUGH_MARKER: &str = "# keyhook-global-hook";

/// Where the binary may be when a GUI client runs hooks with a short PATH;
/// the global shims try these in this order (`~` is `$HOME`).
pub const FALLBACK_BINARIES: &[&str] = &[
    "~/.cargo/bin/keyhook",
    "~/.local/bin/keyhook",
    "/usr/local/bin/keyhook",
    "/opt/homebrew/bin/keyhook",
];

/// The shim `install --global` writes for the hook `name`.
pub fn shim(name: &str) -> String {
    match name {
        "pre-commit" => include_str!("../../hooks/global/pre-commit").to_string(),
        "pre-push" => include_str!("../../hooks/global/pre-push").to_string(),
        _ => include_str!("../../hooks/global/pass-through").replace("@HOOK@", name),
    }
}

/// True when `content` is one of the shims `install --global` writes.
pub fn is_global_shim(content: &[u8]) -> bool {
    let head: Vec<&[u8]> = content.split(|&b| b == b'\n').take(3).collect();
    head.iter().any(|l| {
        l.starts_with(PASS_THROUGH_MARKER.as_bytes())
            || (l.starts_with(super::SHIM_MARKER.as_bytes()) && l.ends_with(b" (global)"))
    })
}

/// keyhook's per-user directory: `$XDG_CONFIG_HOME/keyhook`, else
/// `~/.config/keyhook`. `None` without a home directory.
pub fn base_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let config = xdg.or_else(|| home().map(|h| h.join(".config")))?;
    Some(config.join("keyhook"))
}

/// The user's home directory.
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The hooks directory that becomes `core.hooksPath`.
pub fn hooks_dir(base: &Path) -> PathBuf {
    base.join("hooks")
}

/// The template directory used when `core.hooksPath` is taken.
pub fn template_dir(base: &Path) -> PathBuf {
    base.join("template")
}

/// The record of what `install --global` changed.
pub fn record_path(base: &Path) -> PathBuf {
    base.join("global.json")
}

/// The user's global git config file, chosen as `git config --global` does:
/// `~/.gitconfig`, unless only `$XDG_CONFIG_HOME/git/config` exists.
pub fn git_config_file(home: &Path) -> PathBuf {
    let dot = home.join(".gitconfig");
    if dot.exists() {
        return dot;
    }
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| home.join(".config"))
        .join("git")
        .join("config");
    if xdg.exists() {
        xdg
    } else {
        dot
    }
}

/// True when `dir` is keyhook's global hooks directory.
pub fn is_managed_dir(dir: &Path) -> bool {
    let Some(base) = base_dir() else { return false };
    same_path(dir, &hooks_dir(&base))
}

/// Path equality after resolving symlinks where the paths exist.
pub fn same_path(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(a) == canon(b)
}

/// Which setting `install --global` used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mechanism {
    /// `core.hooksPath` = keyhook's hooks directory: every repository, at once.
    HooksPath,
    /// `init.templateDir` = keyhook's template: repositories created or
    /// cloned from now on get keyhook's hooks in `.git/hooks`.
    TemplateDir,
}

impl Mechanism {
    /// The git config key it sets.
    pub fn key(self) -> &'static str {
        match self {
            Mechanism::HooksPath => "core.hooksPath",
            Mechanism::TemplateDir => "init.templateDir",
        }
    }
}

/// What `install --global` changed, so `uninstall --global` restores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Format version.
    pub version: u32,
    /// Which setting was used.
    pub mechanism: Mechanism,
    /// The git config file edited.
    pub config_file: PathBuf,
    /// The value the key had in that file before (none: it was unset).
    pub previous: Option<String>,
    /// The value keyhook set.
    pub value: String,
    /// True when keyhook created the config file.
    pub created_file: bool,
    /// The bytes the edit inserted and where, when the edit was a plain
    /// insertion: removing them restores the file byte for byte.
    pub inserted: Option<(usize, String)>,
    /// SHA-256 (hex) of the config file right after the edit: the insertion is
    /// undone only if nothing else changed the file since.
    pub after_sha256: String,
    /// The hook files keyhook wrote.
    pub files: Vec<PathBuf>,
    /// Directories keyhook created, deepest first.
    pub created_dirs: Vec<PathBuf>,
}

/// The keyhook hooks a template directory holds: the per-repository shims,
/// which git copies into every new repository's `.git/hooks`.
pub fn template_hooks() -> [(HookKind, &'static str); 2] {
    HookKind::ALL.map(|h| (h, h.shim()))
}

/// Where `before` and `after` differ by one inserted run of bytes: its
/// offset and the bytes. `None` when the edit was anything else.
pub fn insertion(before: &[u8], after: &[u8]) -> Option<(usize, Vec<u8>)> {
    if after.len() < before.len() {
        return None;
    }
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let room = before.len() - prefix;
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(room);
    if prefix + suffix != before.len() {
        return None;
    }
    Some((prefix, after[prefix..after.len() - suffix].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_git_hook_has_a_shim_and_keyhooks_run_keyhook() {
        for name in GIT_HOOKS {
            let s = shim(name);
            assert!(s.starts_with("#!/bin/sh\n"), "{name}");
            assert!(is_global_shim(s.as_bytes()), "{name}");
            assert!(s.contains(&format!("/hooks/{name}\"")), "{name}");
            let runs_keyhook = s.contains("\"$keyhook_bin\" ");
            assert_eq!(runs_keyhook, ["pre-commit", "pre-push"].contains(name));
        }
        // The per-repository shims are not global ones.
        for h in HookKind::ALL {
            assert!(!is_global_shim(h.shim().as_bytes()));
        }
    }

    #[test]
    fn the_shims_fallbacks_are_the_ones_doctor_checks() {
        let s = shim("pre-commit");
        for f in FALLBACK_BINARIES {
            let expected = match f.strip_prefix("~/") {
                Some(rest) if rest.starts_with(".cargo/") => {
                    format!("${{CARGO_HOME:-${{HOME:-}}/.cargo}}/{}", &rest[7..])
                }
                Some(rest) => format!("${{HOME:-}}/{rest}"),
                None => f.to_string(),
            };
            assert!(s.contains(&expected), "{expected}");
        }
    }

    #[test]
    fn insertion_finds_one_inserted_run() {
        assert_eq!(
            insertion(b"[a]\n\tx = 1\n", b"[a]\n\tx = 1\n[core]\n\th = 2\n"),
            Some((11, b"[core]\n\th = 2\n".to_vec()))
        );
        assert_eq!(
            insertion(
                b"[core]\n\tx = 1\n[b]\n",
                b"[core]\n\tx = 1\n\th = 2\n[b]\n"
            ),
            Some((14, b"\th = 2\n".to_vec()))
        );
        assert_eq!(insertion(b"", b"x"), Some((0, b"x".to_vec())));
        assert_eq!(insertion(b"abc", b"aXc"), None);
        assert_eq!(insertion(b"abc", b"ab"), None);
    }
}
