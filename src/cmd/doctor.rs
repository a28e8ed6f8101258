//! `keyhook doctor`: for the current repository, plain lines on whether
//! keyhook will really run on commit and push, and for each problem the
//! command that fixes it. It starts from `status` (which hook file git runs,
//! honouring core.hooksPath, husky and lefthook) and adds what status does
//! not look at: where core.hooksPath comes from and what it shadows, the
//! PATH that GUI git clients run hooks with, the pre-commit framework's
//! config, and the AI agent guard's hook files. Exit 0 when all is well.

use crate::cmd::status;
use crate::hooks::{global, is_pre_commit_framework, read_optional, HookKind, Layout, Manager};
use crate::outcome::Outcome;
use crate::repo;
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The PATH macOS and most desktop launchers give GUI apps (and so the git
/// hooks that GUI git clients run).
pub const GUI_PATH: &[&str] = &["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/// Agent configuration files the agent guard writes its hooks into.
pub const AGENT_FILES: &[&str] = &[
    ".claude/settings.json",
    ".cursor/hooks.json",
    ".gemini/settings.json",
];

/// Runs `keyhook doctor` in the current repository.
pub fn run() -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    let layout = Layout::discover(&repo, &root)?;
    let mut out = std::io::stdout().lock();
    let mut problems = 0usize;
    let mut problem = |out: &mut dyn Write, what: String, fix: &str| -> Result<()> {
        problems += 1;
        writeln!(out, "problem: {what}")?;
        writeln!(out, "    fix: {fix}")?;
        Ok(())
    };

    // Where git looks, and who set that.
    let level = hooks_path_level(&repo);
    match (&layout.hooks_path, level) {
        (None, _) => writeln!(out, "ok: git runs hooks from {} (no core.hooksPath)", layout.show(&layout.dir))?,
        (Some(raw), lvl) if layout.dir == layout.default_dir => writeln!(
            out,
            "ok: git runs hooks from {} (core.hooksPath={raw}, {lvl} config, names it)",
            layout.show(&layout.dir)
        )?,
        (Some(raw), lvl) if global::is_managed_dir(&layout.dir) => writeln!(
            out,
            "ok: git runs keyhook's global hooks (core.hooksPath={raw}, {lvl} config), which also run this repository's .git/hooks"
        )?,
        (Some(raw), lvl) => writeln!(
            out,
            "note: core.hooksPath={raw} ({lvl} config{}) makes git run hooks from {} and ignore .git/hooks",
            match &layout.manager {
                Manager::Husky { .. } => ", husky",
                _ => "",
            },
            layout.show(&layout.dir)
        )?,
    }

    let global_hooks = global::is_managed_dir(&layout.dir);
    let shared_foreign =
        layout.hooks_path.is_some() && matches!(level, "global" | "system") && !global_hooks;
    for hook in HookKind::ALL {
        let (ok, text) = status::state(&layout, hook)?;
        let verb = match hook {
            HookKind::PreCommit => "commit",
            HookKind::PrePush => "push",
        };
        if ok {
            writeln!(out, "ok: on {verb}, keyhook runs ({}: {text})", hook.name())?;
            continue;
        }
        let fix = match &layout.manager {
            Manager::Lefthook { config } => format!(
                "`keyhook install` prints the lines to add to {}, then run `lefthook install`",
                layout.show(config)
            ),
            // Another tool's directory, shared by every repository through
            // the global or system config: `keyhook install` would write
            // into it, changing that tool's hooks everywhere.
            Manager::Git if shared_foreign => format!(
                "for this repository: `git config core.hooksPath .git/hooks && keyhook install` (the hooks in {dir} then stop running here); for every repository: add `keyhook {name}` to {hook}",
                dir = layout.show(&layout.dir),
                name = hook.name(),
                hook = layout.show(&layout.hook_path(hook)),
            ),
            _ => "`keyhook install`".to_string(),
        };
        // status's own hint suggests `keyhook install` there, which the
        // fix above advises against for another tool's shared directory.
        let text = if shared_foreign {
            without_install_hint(&text)
        } else {
            &text
        };
        problem(
            &mut out,
            format!("on {verb}, keyhook does not run ({}: {text})", hook.name()),
            &fix,
        )?;
    }

    // The pre-commit framework owns the hook file and runs only what its
    // config lists.
    let pc_config = root.join(".pre-commit-config.yaml");
    if let Some(text) = read_optional(&pc_config)? {
        let framework_hook = read_optional(&layout.hook_path(HookKind::PreCommit))?
            .is_some_and(|c| is_pre_commit_framework(&c));
        if !String::from_utf8_lossy(&text).contains("keyhook") {
            problem(
                &mut out,
                format!(
                    ".pre-commit-config.yaml does not list keyhook{}",
                    if framework_hook { ", and the pre-commit framework's hook is what git runs" } else { "" }
                ),
                "add the keyhook repository with `- id: keyhook` and `- id: keyhook-pre-push` to .pre-commit-config.yaml, then `pre-commit install --hook-type pre-commit --hook-type pre-push` (or run `keyhook install`, which keeps the framework's hook and runs it after keyhook)",
            )?;
        } else {
            writeln!(out, "ok: .pre-commit-config.yaml lists keyhook")?;
        }
    }

    // The binary, as a GUI client would find it.
    match crate::hooks::find_binary() {
        None => problem(
            &mut out,
            "the keyhook binary is not on PATH or in ~/.cargo/bin, so the hooks refuse every commit and push".into(),
            "`./install.sh` in a keyhook checkout, or `cargo install --path .`",
        )?,
        Some(found) => match gui_binary(global_hooks) {
            Some(gui) => writeln!(out, "ok: keyhook binary {} (GUI git clients find {})", found.display(), gui.display())?,
            None => problem(
                &mut out,
                format!(
                    "keyhook is at {}, which GUI git clients (PATH={}) do not search, nor do the hooks' fallbacks ({}): commits from a GUI client are refused",
                    found.display(),
                    GUI_PATH.join(":"),
                    fallbacks(global_hooks).join(", ")
                ),
                &format!("`mkdir -p ~/.cargo/bin && ln -s {} ~/.cargo/bin/keyhook`", found.display()),
            )?,
        },
    }

    // The agent guard, when an agent's hook file is there.
    for rel in AGENT_FILES {
        let path = root.join(rel);
        let Some(text) = read_optional(&path)? else {
            continue;
        };
        if String::from_utf8_lossy(&text).contains("keyhook agent") {
            writeln!(out, "ok: agent hooks: {rel} runs `keyhook agent`")?;
        } else {
            writeln!(out, "note: agent hooks: {rel} does not run keyhook, so that agent's tool calls are not checked (to guard it: `keyhook install --agents`)")?;
        }
    }

    if problems == 0 {
        writeln!(
            out,
            "keyhook doctor: all good: keyhook runs on commit and push"
        )?;
        Ok(Outcome::Clean)
    } else {
        writeln!(
            out,
            "keyhook doctor: {} found",
            crate::report::plural(problems, "problem", "problems")
        )?;
        Ok(Outcome::Findings)
    }
}

/// Which config level sets core.hooksPath: `local`, `global`, `system`, ...
fn hooks_path_level(repo: &git2::Repository) -> &'static str {
    let Ok(c) = repo.config() else {
        return "unknown";
    };
    let Ok(mut entries) = c.entries(Some("core.hookspath")) else {
        return "unknown";
    };
    let mut level = "unknown";
    // The last entry wins in git, as it is the most specific level.
    while let Some(Ok(e)) = entries.next() {
        level = match e.level() {
            git2::ConfigLevel::Local | git2::ConfigLevel::Worktree => "repository",
            git2::ConfigLevel::Global | git2::ConfigLevel::XDG => "global",
            git2::ConfigLevel::System | git2::ConfigLevel::ProgramData => "system",
            _ => "other",
        };
    }
    level
}

/// `text` without a trailing "(run `keyhook install` ...)" hint.
fn without_install_hint(text: &str) -> &str {
    match text.rfind(" (run `keyhook install`") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => text,
    }
}

/// The places a hook tries when `keyhook` is not on PATH: `~/.cargo/bin`
/// for the per-repository shims; the global shims try more (issue 13).
fn fallbacks(global_hooks: bool) -> Vec<&'static str> {
    if global_hooks {
        global::FALLBACK_BINARIES.to_vec()
    } else {
        vec![global::FALLBACK_BINARIES[0]]
    }
}

/// The binary a hook finds with the PATH GUI clients use, or through the
/// shims' fallbacks ([`fallbacks`]; `$CARGO_HOME` stands for `~/.cargo`
/// when set, as in the shims).
fn gui_binary(global_hooks: bool) -> Option<PathBuf> {
    let home = global::home();
    let mut candidates: Vec<PathBuf> = GUI_PATH
        .iter()
        .map(|d| Path::new(d).join("keyhook"))
        .collect();
    let cargo = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".cargo")));
    candidates.extend(cargo.map(|c| c.join("bin/keyhook")));
    for f in fallbacks(global_hooks).into_iter().skip(1) {
        match f.strip_prefix("~/") {
            Some(rel) => candidates.extend(home.as_ref().map(|h| h.join(rel))),
            None => candidates.push(PathBuf::from(f)),
        }
    }
    candidates
        .into_iter()
        .find(|p| crate::hooks::fsops::is_executable(p))
}
