//! `keyhook install --global` and `keyhook uninstall --global`: keyhook in
//! every repository of this user, including ones cloned later, with no
//! per-repository step.
//!
//! The mechanism is `core.hooksPath` in the user's global git config, pointing
//! at keyhook's own hooks directory: it covers existing repositories too, and
//! its shims run each repository's own `.git/hooks/<hook>` after keyhook (and
//! pass every other hook name straight through), so nothing a repository
//! installed stops running. When `core.hooksPath` is already set globally or
//! system-wide by another tool, keyhook does not take it over (that tool's
//! hooks would stop running everywhere): it sets `init.templateDir` instead,
//! so new clones get keyhook's hooks in `.git/hooks`, and says so.
//!
//! The config file is edited through libgit2 (locked, atomic). The record of
//! the edit (the inserted bytes, never a copy of the file) lets uninstall
//! restore the file byte for byte when nothing else changed it since.

use crate::atomic;
use crate::hooks::global::{self, Mechanism, Record};
use crate::hooks::{fsops, read_optional};
use crate::outcome::Outcome;
use anyhow::{anyhow, bail, Context, Result};
use git2::Config;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

const RECORD_VERSION: u32 = 1;

/// `~/...` for a path under the home directory, for messages.
fn show(p: &Path) -> String {
    match global::home().and_then(|h| p.strip_prefix(h).ok().map(Path::to_path_buf)) {
        Some(rel) => format!("~/{}", rel.display()),
        None => p.display().to_string(),
    }
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The user's global and system settings (no repository's local config).
fn user_config() -> Result<Config> {
    Config::open_default()
        .and_then(|mut c| c.snapshot())
        .context(
            "cannot read the global git configuration (check that `git config --global -l` works)",
        )
}

/// A path-valued setting as git would use it (`~/` expanded).
fn path_setting(c: &Config, key: &str) -> Option<PathBuf> {
    match c.get_string(key) {
        Ok(v) if !v.is_empty() => Some(c.get_path(key).unwrap_or_else(|_| PathBuf::from(v))),
        _ => None,
    }
}

/// Runs `keyhook install --global`.
pub fn install() -> Result<Outcome> {
    let home = global::home().ok_or_else(|| {
        anyhow!("HOME is not set: cannot find the global git configuration (set HOME)")
    })?;
    let base = global::base_dir().ok_or_else(|| anyhow!("cannot find ~/.config (set HOME)"))?;
    let hooks_dir = global::hooks_dir(&base);
    let record_path = global::record_path(&base);
    let existing = load_record(&record_path)?;
    let config = user_config()?;
    let mut out = std::io::stdout().lock();

    let hooks_path = path_setting(&config, "core.hooksPath");
    let mechanism = match (&existing, &hooks_path) {
        (Some(r), _) => r.mechanism,
        (None, Some(p)) if !global::same_path(p, &hooks_dir) => Mechanism::TemplateDir,
        _ => Mechanism::HooksPath,
    };
    let (dir, files) = match mechanism {
        Mechanism::HooksPath => {
            let files: Vec<(PathBuf, String)> = global::GIT_HOOKS
                .iter()
                .map(|n| (hooks_dir.join(n), global::shim(n)))
                .collect();
            (hooks_dir.clone(), files)
        }
        Mechanism::TemplateDir => {
            let t = global::template_dir(&base);
            let files = global::template_hooks()
                .iter()
                .map(|(h, s)| (t.join("hooks").join(h.name()), s.to_string()))
                .collect();
            (t, files)
        }
    };
    let key = mechanism.key();
    let value = dir.to_string_lossy().into_owned();
    if mechanism == Mechanism::TemplateDir && existing.is_none() {
        if let Some(t) = path_setting(&config, "init.templateDir") {
            bail!(
                "core.hooksPath is set globally to {} and init.templateDir to {}, both by something else: keyhook takes over neither (add `keyhook pre-commit` and `keyhook pre-push` to the hooks in {}, or unset core.hooksPath and run `keyhook install --global` again)",
                show(hooks_path.as_deref().unwrap_or(Path::new(""))),
                show(&t),
                show(hooks_path.as_deref().unwrap_or(Path::new("")))
            );
        }
    }

    // Files first (so the setting never points at a half-written directory),
    // then the config edit, then the record.
    let created_dirs = fsops::all_or_nothing(|tx| {
        let mut created = Vec::new();
        for (path, content) in &files {
            if let Some(parent) = path.parent() {
                created.extend(tx.create_dir_all(parent)?);
            }
            if read_optional(path)?.as_deref() != Some(content.as_bytes())
                || !fsops::is_executable(path)
            {
                tx.write(path, content.as_bytes(), Some(0o755))?;
            }
        }
        Ok(created)
    })?;

    let fresh = existing.is_none();
    let record = match existing {
        Some(mut r) => {
            r.created_dirs.extend(created_dirs);
            r.files = files.iter().map(|(p, _)| p.clone()).collect();
            writeln!(
                out,
                "keyhook: already installed globally ({key}={} in {}); hooks refreshed",
                show(&dir),
                show(&r.config_file)
            )?;
            r
        }
        None => {
            let file = global::git_config_file(&home);
            let edit = set_key(&file, key, &value)?;
            Record {
                version: RECORD_VERSION,
                mechanism,
                config_file: file,
                // A lost record: the key already named keyhook's directory.
                previous: edit.previous.filter(|p| p != &value),
                value: value.clone(),
                created_file: edit.created_file,
                inserted: edit.inserted,
                after_sha256: edit.after_sha256,
                files: files.iter().map(|(p, _)| p.clone()).collect(),
                created_dirs,
            }
        }
    };
    save_record(&record_path, &record)?;

    match mechanism {
        _ if !fresh => {}
        Mechanism::HooksPath => {
            writeln!(
                out,
                "keyhook: installed globally: {key}={} in {}",
                show(&dir),
                show(&record.config_file)
            )?;
            writeln!(out, "keyhook: every repository of this user, existing and future, runs keyhook on commit and push; each repository's own .git/hooks still run after it ({} pass-through hooks for git's other hook names)", global::GIT_HOOKS.len() - 2)?;
            writeln!(out, "keyhook: a repository that sets its own core.hooksPath (husky, lefthook) does not use these: run `keyhook install` there; `keyhook doctor` checks a repository")?;
        }
        Mechanism::TemplateDir => {
            let taken = show(hooks_path.as_deref().unwrap_or(Path::new("?")));
            writeln!(
                out,
                "keyhook: installed in git's template directory: {key}={} in {}",
                show(&dir),
                show(&record.config_file)
            )?;
            writeln!(out, "keyhook: why not core.hooksPath: it is already set to {taken} by another tool, and replacing it would stop that tool's hooks in every repository")?;
            writeln!(out, "keyhook: repositories cloned or created from now on get keyhook's hooks in .git/hooks; git runs them only where {taken}'s hooks run .git/hooks too, or where a repository sets its own core.hooksPath; for an existing repository run `git init` in it (copies the hooks) or `keyhook install`; `keyhook doctor` says whether they run")?;
        }
    }
    if crate::hooks::find_binary().is_none() {
        writeln!(out, "keyhook: warning: the keyhook binary is not on PATH, so these hooks will refuse every commit and push until it is (run `./install.sh` in a keyhook checkout, or `cargo install --path .`)")?;
    }
    Ok(Outcome::Clean)
}

/// Runs `keyhook uninstall --global`.
pub fn uninstall() -> Result<Outcome> {
    let base = global::base_dir().ok_or_else(|| anyhow!("cannot find ~/.config (set HOME)"))?;
    let record_path = global::record_path(&base);
    let mut out = std::io::stdout().lock();
    let record = match load_record(&record_path)? {
        Some(r) => r,
        None => match inferred(&base)? {
            Some(r) => r,
            None => {
                writeln!(
                    out,
                    "keyhook: nothing to uninstall globally (no record in {}, and core.hooksPath is not keyhook's)",
                    show(&record_path)
                )?;
                return Ok(Outcome::Clean);
            }
        },
    };
    let key = record.mechanism.key();
    writeln!(out, "{}", restore_key(&record)?)?;
    for f in &record.files {
        // Only keyhook's own files go; one someone edited stays.
        let ours = read_optional(f)?.is_some_and(|c| {
            global::is_global_shim(&c)
                || global::template_hooks()
                    .iter()
                    .any(|(_, s)| c == s.as_bytes())
        });
        if ours {
            std::fs::remove_file(f).with_context(|| format!("{}: cannot remove", f.display()))?;
        }
    }
    for d in &record.created_dirs {
        let _ = std::fs::remove_dir(d);
    }
    if record_path.exists() {
        std::fs::remove_file(&record_path)
            .with_context(|| format!("{}: cannot remove", record_path.display()))?;
    }
    for d in [
        global::hooks_dir(&base),
        global::template_dir(&base).join("hooks"),
        global::template_dir(&base),
        base.clone(),
    ] {
        let _ = std::fs::remove_dir(d);
    }
    writeln!(
        out,
        "keyhook: removed keyhook's global hooks ({key}); repositories run their own .git/hooks again"
    )?;
    Ok(Outcome::Clean)
}

/// A record for an install whose record was lost: `core.hooksPath` in the
/// global file still names keyhook's directory.
fn inferred(base: &Path) -> Result<Option<Record>> {
    let Some(home) = global::home() else {
        return Ok(None);
    };
    let file = global::git_config_file(&home);
    let Ok(c) = Config::open(&file) else {
        return Ok(None);
    };
    let dir = global::hooks_dir(base);
    match path_setting(&c, "core.hooksPath") {
        Some(p) if global::same_path(&p, &dir) => Ok(Some(Record {
            version: RECORD_VERSION,
            mechanism: Mechanism::HooksPath,
            config_file: file,
            previous: None,
            value: c.get_string("core.hooksPath").unwrap_or_default(),
            created_file: false,
            inserted: None,
            after_sha256: String::new(),
            files: global::GIT_HOOKS.iter().map(|n| dir.join(n)).collect(),
            created_dirs: vec![dir],
        })),
        _ => Ok(None),
    }
}

/// What setting the key changed.
struct Edit {
    previous: Option<String>,
    created_file: bool,
    inserted: Option<(usize, String)>,
    after_sha256: String,
}

/// Sets `key` in the config file `file` through libgit2.
fn set_key(file: &Path, key: &str, value: &str) -> Result<Edit> {
    let before = read_optional(file)?;
    let shown = show(file);
    let mut c = Config::open(file).with_context(|| format!("{shown}: cannot open"))?;
    let previous = c.get_string(key).ok();
    c.set_str(key, value)
        .with_context(|| format!("{shown}: cannot set {key}"))?;
    drop(c);
    let after = std::fs::read(file).with_context(|| format!("{shown}: cannot read it back"))?;
    let inserted = global::insertion(before.as_deref().unwrap_or_default(), &after)
        .filter(|(_, bytes)| !bytes.is_empty())
        .and_then(|(at, bytes)| String::from_utf8(bytes).ok().map(|s| (at, s)));
    Ok(Edit {
        previous,
        created_file: before.is_none(),
        inserted,
        after_sha256: sha256_hex(&after),
    })
}

/// Puts the config key back as it was; returns the line saying what was done.
fn restore_key(r: &Record) -> Result<String> {
    let key = r.mechanism.key();
    let shown = show(&r.config_file);
    let Some(now) = read_optional(&r.config_file)? else {
        return Ok(format!(
            "keyhook: {shown} is gone; nothing to restore there"
        ));
    };
    // Byte for byte, when the file is exactly as keyhook left it.
    if let Some((at, bytes)) = &r.inserted {
        if sha256_hex(&now) == r.after_sha256
            && now.get(*at..at + bytes.len()) == Some(bytes.as_bytes())
        {
            let mut restored = now[..*at].to_vec();
            restored.extend_from_slice(&now[at + bytes.len()..]);
            if r.created_file && restored.is_empty() {
                std::fs::remove_file(&r.config_file)
                    .with_context(|| format!("{shown}: cannot remove"))?;
                return Ok(format!("keyhook: removed {shown} (keyhook created it)"));
            }
            atomic::write(&r.config_file, &restored)?;
            return Ok(format!(
                "keyhook: restored {shown} as it was before `keyhook install --global`"
            ));
        }
    }
    // Edited since: change only the key, and only if it is still keyhook's.
    let mut c = Config::open(&r.config_file).with_context(|| format!("{shown}: cannot open"))?;
    match c.get_string(key) {
        Ok(v) if v == r.value => {}
        Ok(v) => {
            return Ok(format!(
                "keyhook: {key} in {shown} is now {v}, not keyhook's: left alone"
            ))
        }
        Err(_) => return Ok(format!("keyhook: {key} is no longer set in {shown}")),
    }
    match &r.previous {
        Some(p) => c
            .set_str(key, p)
            .with_context(|| format!("{shown}: cannot set {key}"))?,
        None => c
            .remove(key)
            .with_context(|| format!("{shown}: cannot unset {key}"))?,
    }
    Ok(match &r.previous {
        Some(p) => format!("keyhook: {key} in {shown} is {p} again"),
        None => format!("keyhook: unset {key} in {shown}"),
    })
}

fn load_record(path: &Path) -> Result<Option<Record>> {
    let Some(data) = read_optional(path)? else {
        return Ok(None);
    };
    let r: Record = serde_json::from_slice(&data).map_err(|e| {
        anyhow!(
            "{}:{}: not a keyhook global install record: {e} (remove it, then run `keyhook install --global` again)",
            path.display(),
            e.line()
        )
    })?;
    Ok(Some(r))
}

fn save_record(path: &Path, r: &Record) -> Result<()> {
    let mut json = serde_json::to_string_pretty(r)?;
    json.push('\n');
    atomic::write(path, json.as_bytes())
}
