//! `keyhook status`: per hook, whether git will actually run keyhook: installed,
//! chained with a foreign hook, missing, or shadowed by `core.hooksPath` (a
//! keyhook hook in `.git/hooks` that git never runs). Exit 0 when both hooks
//! are active and the binary is found, 1 otherwise, so scripts can check.

use crate::cmd::install::lefthook_runs;
use crate::hooks::{
    find_binary, fsops, husky, is_pre_commit_framework, is_shim, read_optional, sibling, HookKind,
    Layout, Manager, CHAINED_SUFFIX,
};
use crate::outcome::Outcome;
use crate::repo;
use anyhow::Result;
use std::io::Write;

/// Runs `keyhook status` in the current repository.
pub fn run() -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    let layout = Layout::discover(&repo, &root)?;
    let mut out = std::io::stdout().lock();
    let origin = match &layout.hooks_path {
        Some(raw) => format!(" (core.hooksPath={raw})"),
        None => String::new(),
    };
    writeln!(out, "hooks directory: {}{origin}", layout.show(&layout.dir))?;
    let mut all_ok = true;
    for hook in HookKind::ALL {
        let (ok, text) = state(&layout, hook)?;
        all_ok &= ok;
        writeln!(out, "{}: {text}", hook.name())?;
    }
    match find_binary() {
        Some(p) => writeln!(out, "keyhook binary: {}", p.display())?,
        None => {
            all_ok = false;
            writeln!(
                out,
                "keyhook binary: not found on PATH, so the hooks refuse every commit and push (run `./install.sh` in a keyhook checkout, or `cargo install --path .`)"
            )?;
        }
    }
    // AI agent hooks: reported where an agent is set up, never required.
    all_ok &= crate::cmd::agent::status_lines(&mut out)?;
    Ok(if all_ok {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Whether `hook` runs keyhook, and a line saying so.
/// Whether git runs keyhook for `hook`, and a line saying so (with the fix).
pub fn state(layout: &Layout, hook: HookKind) -> Result<(bool, String)> {
    let name = hook.name();
    match &layout.manager {
        Manager::Husky { scripts } => {
            let path = scripts.join(name);
            let shown = layout.show(&path);
            let has = read_optional(&path)?.is_some_and(|c| husky::find_block(&c).is_some());
            Ok(if has {
                (true, format!("installed in {shown} (husky runs it)"))
            } else {
                (
                    false,
                    format!("missing: husky runs {shown}, which does not call keyhook (run `keyhook install`)"),
                )
            })
        }
        Manager::Lefthook { config } => {
            let shown = layout.show(config);
            let text = std::fs::read_to_string(config).unwrap_or_default();
            Ok(if lefthook_runs(&text, hook) {
                (true, format!("installed in {shown} (lefthook runs it)"))
            } else {
                (
                    false,
                    format!("missing: lefthook manages the hooks and {shown} does not run keyhook (`keyhook install` prints the lines to add)"),
                )
            })
        }
        Manager::Git => plain_state(layout, hook),
    }
}

fn plain_state(layout: &Layout, hook: HookKind) -> Result<(bool, String)> {
    let path = layout.hook_path(hook);
    let shown = layout.show(&path);
    match read_optional(&path)? {
        Some(c) if is_shim(&c) => {
            if !fsops::is_executable(&path) {
                return Ok((
                    false,
                    format!("not active: {shown} is keyhook's but not executable, so git skips it (run `keyhook install` again)"),
                ));
            }
            let chained = sibling(&path, CHAINED_SUFFIX);
            let chained_name = format!("{name}{CHAINED_SUFFIX}", name = hook.name());
            Ok(if fsops::is_executable(&chained) {
                (
                    true,
                    format!("installed; {chained_name} runs after keyhook"),
                )
            } else if chained.exists() {
                (
                    true,
                    format!(
                        "installed; {chained_name} is kept but not executable, so it does not run"
                    ),
                )
            } else {
                (true, "installed".to_string())
            })
        }
        Some(c) => {
            let what = if is_pre_commit_framework(&c) {
                "the pre-commit framework's hook"
            } else {
                "another tool's hook"
            };
            Ok((
                false,
                format!("missing: {shown} is {what} (`keyhook install` keeps it and runs it after keyhook)"),
            ))
        }
        None => {
            let default = layout.default_dir.join(hook.name());
            let shadowed = layout.dir != layout.default_dir
                && read_optional(&default)?.is_some_and(|c| is_shim(&c));
            Ok(if shadowed {
                (
                    false,
                    format!(
                        "shadowed: keyhook's hook is in {}, but core.hooksPath={} makes git run hooks from {} (run `keyhook install` to install it there)",
                        layout.show(&default),
                        layout.hooks_path.as_deref().unwrap_or(""),
                        layout.show(&layout.dir)
                    ),
                )
            } else {
                (false, "missing (run `keyhook install`)".to_string())
            })
        }
    }
}
