//! `keyhook install`: put keyhook's pre-commit and pre-push hooks where git
//! runs them, without breaking the hooks a team already has.
//!
//! Every change is decided first and then made in one transaction (see
//! [`fsops`]), so an error leaves the repository as it was. A foreign hook is
//! never overwritten: it is chained (renamed to `<hook>.keyhook-chained` and run
//! by keyhook's shim afterwards), or, with `--force`, backed up. husky scripts
//! get a marked block; lefthook gets a snippet to paste. What was changed is
//! recorded in the manifest so `uninstall` can put it back exactly.

use crate::hooks::manifest::{self, Change, Entry, Manifest};
use crate::hooks::{
    find_binary, fsops, gitignore, husky, is_pre_commit_framework, is_shim, read_optional, sibling,
    HookKind, Layout, Manager, BACKUP_SUFFIX, CHAINED_SUFFIX,
};
use crate::outcome::Outcome;
use crate::repo;
use anyhow::{anyhow, Context, Result};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What to do about `.gitignore` coverage of env files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitignoreMode {
    /// Offer it on a terminal; otherwise say what is missing.
    Ask,
    /// Add the missing lines without asking.
    Add,
    /// Do not look at `.gitignore`.
    Skip,
}

/// `keyhook install` options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Install only this hook.
    pub hook: Option<HookKind>,
    /// Replace a foreign hook (backed up) instead of chaining it.
    pub force: bool,
    /// `.gitignore` handling.
    pub gitignore: GitignoreMode,
}

/// Runs `keyhook install` in the current repository.
pub fn run(opts: Options) -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    let layout = Layout::discover(&repo, &root)?;
    if crate::hooks::global::is_managed_dir(&layout.dir) {
        // Writing per-repository shims there would break every other repository.
        println!("keyhook: this repository already runs keyhook's global hooks (core.hooksPath={}, from `keyhook install --global`): nothing to install here", layout.hooks_path.as_deref().unwrap_or(""));
        return Ok(Outcome::Clean);
    }
    let hooks = HookKind::selected(opts.hook);
    let lines = match &layout.manager {
        Manager::Git => install_plain(&layout, &hooks, opts.force)?,
        Manager::Husky { scripts } => install_husky(&layout, scripts, &hooks)?,
        Manager::Lefthook { config } => lefthook(&layout, config, &hooks)?,
    };
    let mut out = std::io::stdout().lock();
    for l in lines {
        writeln!(out, "{l}")?;
    }
    if find_binary().is_none() {
        writeln!(
            out,
            "keyhook: warning: the keyhook binary is not on PATH, so these hooks will refuse every commit and push until it is (run `./install.sh` in a keyhook checkout, or `cargo install --path .`)"
        )?;
    }
    out.flush()?;
    drop(out);
    if opts.gitignore != GitignoreMode::Skip {
        ensure_gitignore(&repo, &layout, opts.gitignore)?;
    }
    Ok(Outcome::Clean)
}

/// What install does to one hook file in a plain hooks directory.
#[derive(Debug)]
enum Action {
    /// keyhook's current shim is already there.
    Current,
    /// An older or non-executable keyhook shim: rewrite it.
    Update,
    /// Nothing there: write the shim.
    Create,
    /// A foreign hook: move it here and run it after keyhook.
    Chain(PathBuf),
    /// `--force`: move the foreign hook here; it no longer runs.
    Replace(PathBuf),
}

fn install_plain(layout: &Layout, hooks: &[HookKind], force: bool) -> Result<Vec<String>> {
    let manifest_path = layout.manifest_path();
    let before = Manifest::load(&manifest_path)?;
    let mut lines = Vec::new();
    if let Some(raw) = &layout.hooks_path {
        lines.push(format!(
            "keyhook: core.hooksPath is {raw}, so the hooks go to {} (git does not look in .git/hooks while it is set)",
            layout.show(&layout.dir)
        ));
    }

    // Decide everything before changing anything: a conflict is an error with
    // nothing touched.
    let mut plan = Vec::new();
    for &hook in hooks {
        let path = layout.hook_path(hook);
        let exists = path.symlink_metadata().is_ok();
        if path.is_dir() {
            return Err(anyhow!(
                "{}: is a directory, not a hook file (move it away, then run `keyhook install` again)",
                path.display()
            ));
        }
        let content = read_optional(&path)?;
        let action = match &content {
            Some(c) if is_shim(c) => {
                if c.as_slice() == hook.shim().as_bytes() && fsops::is_executable(&path) {
                    Action::Current
                } else {
                    Action::Update
                }
            }
            None if !exists => Action::Create,
            _ => {
                let suffix = if force { BACKUP_SUFFIX } else { CHAINED_SUFFIX };
                let to = sibling(&path, suffix);
                if to.symlink_metadata().is_ok() {
                    return Err(anyhow!(
                        "{}: already exists, so the hook in {} cannot be moved there (an earlier install left it; run `keyhook uninstall` first, or move it away); nothing was changed",
                        to.display(),
                        path.display()
                    ));
                }
                if force {
                    Action::Replace(to)
                } else {
                    Action::Chain(to)
                }
            }
        };
        plan.push((hook, path, content, action));
    }

    let mut manifest = before.clone();
    let messages = fsops::all_or_nothing(|tx| {
        let created = tx.create_dir_all(&layout.dir)?;
        manifest.created_dirs.extend(created);
        let mut msgs = Vec::new();
        for (hook, path, content, action) in &plan {
            let (hook, name) = (*hook, hook.name());
            let shown = layout.show(path);
            let msg = match action {
                Action::Current => {
                    format!("keyhook: {name}: already installed in {shown} (nothing changed)")
                }
                Action::Update => {
                    tx.write(path, hook.shim().as_bytes(), Some(0o755))?;
                    format!("keyhook: {name}: updated keyhook's hook in {shown}")
                }
                Action::Create => {
                    tx.write(path, hook.shim().as_bytes(), Some(0o755))?;
                    manifest.record(entry(hook, path, Change::Created));
                    format!("keyhook: {name}: installed {shown}")
                }
                Action::Chain(to) => {
                    tx.rename(path, to)?;
                    tx.write(path, hook.shim().as_bytes(), Some(0o755))?;
                    manifest.record(entry(
                        hook,
                        path,
                        Change::Chained {
                            moved_to: to.clone(),
                        },
                    ));
                    let what = describe_foreign(content.as_deref());
                    let note = if fsops::is_executable(to) {
                        "it still runs after keyhook, and its exit status still counts"
                    } else {
                        "it is not executable, so git did not run it before and keyhook does not either"
                    };
                    format!(
                        "keyhook: {name}: installed {shown}; {what} is kept as {} ({note})",
                        file_name(to)
                    )
                }
                Action::Replace(to) => {
                    tx.rename(path, to)?;
                    tx.write(path, hook.shim().as_bytes(), Some(0o755))?;
                    manifest.record(entry(
                        hook,
                        path,
                        Change::Replaced {
                            moved_to: to.clone(),
                        },
                    ));
                    format!(
                        "keyhook: {name}: installed {shown}, replacing {} (--force); it is backed up as {} and no longer runs (`keyhook uninstall` puts it back)",
                        describe_foreign(content.as_deref()),
                        file_name(to)
                    )
                }
            };
            // A shim found without a record (the record was lost): remember it now.
            if matches!(action, Action::Current | Action::Update) && manifest.entry(path).is_none()
            {
                manifest.record(entry(hook, path, manifest::infer_change(path)));
            }
            msgs.push(msg);
        }
        save_manifest(tx, &manifest_path, &before, &manifest)?;
        Ok(msgs)
    })?;
    lines.extend(messages);
    Ok(lines)
}

fn install_husky(layout: &Layout, scripts: &Path, hooks: &[HookKind]) -> Result<Vec<String>> {
    let manifest_path = layout.manifest_path();
    let before = Manifest::load(&manifest_path)?;
    let mut manifest = before.clone();
    let how = layout.hooks_path.as_deref().unwrap_or(".husky");
    fsops::all_or_nothing(|tx| {
        let mut msgs = Vec::new();
        let created = tx.create_dir_all(scripts)?;
        manifest.created_dirs.extend(created);
        for &hook in hooks {
            let path = scripts.join(hook.name());
            let shown = layout.show(&path);
            let name = hook.name();
            let content = read_optional(&path)?;
            let block = hook.husky_block();
            let (new, created_file) = match &content {
                Some(c) => match husky::find_block(c) {
                    Some(r) if &c[r.clone()] == block.as_bytes() => {
                        msgs.push(format!(
                            "keyhook: {name}: {shown} already runs keyhook (nothing changed)"
                        ));
                        continue;
                    }
                    Some(r) => {
                        let mut n = c[..r.start].to_vec();
                        n.extend_from_slice(block.as_bytes());
                        n.extend_from_slice(&c[r.end..]);
                        (n, false)
                    }
                    None => (husky::insert_block(c, block), false),
                },
                None => (
                    format!("{}{block}", husky::NEW_FILE_HEADER).into_bytes(),
                    true,
                ),
            };
            let mode = fsops::file_mode(&path).or(Some(0o755));
            tx.write(&path, &new, mode)?;
            if manifest.entry(&path).is_none() {
                manifest.record(entry(hook, &path, Change::HuskyBlock { created_file }));
            }
            msgs.push(format!(
                "keyhook: {name}: husky runs the hooks (core.hooksPath={how}), so keyhook was added to {shown} instead of touching husky's directory; commit {shown} so everyone runs it"
            ));
        }
        save_manifest(tx, &manifest_path, &before, &manifest)?;
        Ok(msgs)
    })
}

/// The `lefthook.yml` lines that run keyhook.
pub fn lefthook_snippet(hooks: &[HookKind]) -> String {
    let mut s = String::new();
    for &hook in hooks {
        let (args, stdin) = match hook {
            HookKind::PreCommit => ("", ""),
            HookKind::PrePush => (" {1} {2}", "      use_stdin: true\n"),
        };
        s.push_str(&format!(
            "{0}:\n  commands:\n    keyhook:\n      run: keyhook {0}{args}\n{stdin}",
            hook.name()
        ));
    }
    s
}

/// True when the lefthook configuration already runs keyhook for `hook`.
pub fn lefthook_runs(config_text: &str, hook: HookKind) -> bool {
    config_text.contains(&format!("keyhook {}", hook.name()))
}

fn lefthook(layout: &Layout, config: &Path, hooks: &[HookKind]) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(config)
        .with_context(|| format!("{}: cannot read", config.display()))?;
    let shown = layout.show(config);
    let missing: Vec<HookKind> = hooks
        .iter()
        .copied()
        .filter(|&h| !lefthook_runs(&text, h))
        .collect();
    if missing.is_empty() {
        return Ok(vec![format!(
            "keyhook: {shown} already runs keyhook (nothing changed)"
        )]);
    }
    Ok(vec![
        format!(
            "keyhook: lefthook manages the hooks ({shown}), so nothing was installed (renaming its hooks would break `lefthook install`); add this to {shown}, then run `lefthook install`:"
        ),
        String::new(),
        lefthook_snippet(&missing).trim_end().to_string(),
    ])
}

fn entry(hook: HookKind, path: &Path, change: Change) -> Entry {
    Entry {
        hook,
        path: path.to_path_buf(),
        change,
    }
}

/// Writes the manifest when it changed (so a second install writes nothing).
fn save_manifest(
    tx: &mut fsops::Transaction,
    path: &Path,
    before: &Manifest,
    after: &Manifest,
) -> Result<()> {
    if after == before {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        tx.create_dir_all(dir)?;
    }
    tx.write(path, &after.to_bytes(), None)
}

fn describe_foreign(content: Option<&[u8]>) -> &'static str {
    match content {
        Some(c) if is_pre_commit_framework(c) => "the pre-commit framework's hook",
        _ => "the existing hook",
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Checks that local env files are ignored; offers, adds or reports the
/// missing lines according to `mode`.
fn ensure_gitignore(repo: &git2::Repository, layout: &Layout, mode: GitignoreMode) -> Result<()> {
    let missing = gitignore::missing_lines(repo)?;
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(", ");
    let mut out = std::io::stdout().lock();
    let add = match mode {
        GitignoreMode::Skip => false,
        GitignoreMode::Add => true,
        GitignoreMode::Ask if std::io::stdin().is_terminal() => {
            write!(
                out,
                "keyhook: .gitignore does not ignore local env files (.env, .env.local, ...), where real keys usually live. Add {list} to it? [Y/n] "
            )?;
            out.flush()?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            let a = answer.trim().to_ascii_lowercase();
            if !(a.is_empty() || a == "y" || a == "yes") {
                writeln!(out, "keyhook: .gitignore left as it is")?;
            }
            a.is_empty() || a == "y" || a == "yes"
        }
        GitignoreMode::Ask => {
            writeln!(
                out,
                "keyhook: .gitignore does not ignore local env files, where real keys usually live: add {list} to it (or run `keyhook install --gitignore`)"
            )?;
            false
        }
    };
    if add {
        gitignore::append(&layout.root, &missing)?;
        writeln!(
            out,
            "keyhook: .gitignore: added {list} (local env files hold real credentials; the example files stay committable)"
        )?;
    }
    Ok(())
}
