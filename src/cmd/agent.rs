//! `keyhook agent <claude|cursor|gemini>`: the agent guard's hook command
//! (see [`crate::agent`]), and `install --agents` / `uninstall --agents` /
//! the agent lines of `status`, which manage the agents' settings files.
//!
//! `--global` with `--agents` means the user-level agent files
//! (`~/.claude/settings.json`, `~/.cursor/hooks.json`, `~/.gemini/settings.json`)
//! and nothing else; `--agents` never touches git hooks, and the git-hook
//! install never touches agent files, so the two flags stay orthogonal.

use crate::agent::settings::{self, State};
use crate::agent::{self, Agent};
use crate::outcome::Outcome;
use anyhow::{anyhow, bail, Context, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The agent-related flags of `install` and `uninstall`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AgentFlags {
    /// Install keyhook as an AI coding agent hook instead of a git hook:
    /// `--agents` alone for every agent whose directory (.claude, .cursor,
    /// .gemini) exists, or name them: `--agents claude,cursor`.
    #[arg(long, value_enum, value_delimiter = ',', num_args = 0..=1, value_name = "AGENTS")]
    pub agents: Option<Vec<Agent>>,
    /// For the user, not this repository. Alone: keyhook's hooks directory
    /// becomes the global core.hooksPath (each repository's own .git/hooks
    /// still run) or, when another tool holds core.hooksPath, git's template
    /// directory (init.templateDir) is used. With --agents: the user-level
    /// agent settings files in the home directory.
    #[arg(long = "global")]
    pub global: bool,
}

/// Runs the hook: reads the event on stdin, answers as `agent` expects.
pub fn run(agent: Agent) -> Result<Outcome> {
    let mut input = Vec::new();
    let response = match std::io::stdin().lock().read_to_end(&mut input) {
        Ok(_) => agent::respond::guarded(agent, || agent::handle(agent, &input)),
        Err(e) => agent::respond::error(agent, &format!("stdin: cannot read the hook event ({e})")),
    };
    // Output errors cannot be reported any better than by the exit code.
    let _ = std::io::stdout()
        .lock()
        .write_all(response.stdout.as_bytes());
    let _ = std::io::stdout().lock().flush();
    let _ = std::io::stderr()
        .lock()
        .write_all(response.stderr.as_bytes());
    Ok(if response.code == 0 {
        Outcome::Clean
    } else {
        Outcome::Refused
    })
}

/// Where the agent files live: the home directory, or the project root (the
/// work tree holding the current directory, or the directory itself).
fn base(global: bool) -> Result<PathBuf> {
    if global {
        return std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
            .ok_or_else(|| anyhow!("cannot find the home directory (set HOME)"));
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    Ok(match git2::Repository::discover(&cwd) {
        Ok(r) => r.workdir().map_or(cwd.clone(), Path::to_path_buf),
        Err(_) => cwd,
    })
}

/// The agents to act on: the named ones, or those whose directory exists.
fn selected(flags: &AgentFlags, base: &Path) -> Result<Vec<Agent>> {
    let named = flags.agents.clone().unwrap_or_default();
    if !named.is_empty() {
        let mut n = named;
        n.sort();
        n.dedup();
        return Ok(n);
    }
    let found: Vec<Agent> = Agent::ALL
        .into_iter()
        .filter(|a| settings::location(*a, base).1.is_dir())
        .collect();
    if found.is_empty() {
        bail!(
            "{}: no .claude, .cursor or .gemini directory (name the agents: `keyhook install --agents claude,cursor,gemini`)",
            base.display()
        );
    }
    Ok(found)
}

fn show(path: &Path, base: &Path, global: bool) -> String {
    match path.strip_prefix(base) {
        Ok(rel) if global => format!("~/{}", rel.display()),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(b) => String::from_utf8(b).map(Some).map_err(|_| {
            anyhow!(
                "{}:1: not UTF-8 text (fix the file by hand)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("{}: cannot read", path.display())),
    }
}

/// `keyhook install --agents`.
pub fn install(flags: &AgentFlags) -> Result<Outcome> {
    let base = base(flags.global)?;
    let agents = selected(flags, &base)?;
    // Decide every change first, so a file that does not parse changes nothing.
    let mut plan = Vec::new();
    for a in &agents {
        let (file, dir) = settings::location(*a, &base);
        let current = read(&file)?;
        let new = settings::add(*a, &file, current.as_deref())?;
        plan.push((*a, file, dir, new));
    }
    let mut out = std::io::stdout().lock();
    for (a, file, dir, new) in plan {
        let shown = show(&file, &base, flags.global);
        match new {
            None => writeln!(out, "{}: already installed in {shown}", a.name())?,
            Some(text) => {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("{}: cannot create", dir.display()))?;
                crate::atomic::write(&file, text.as_bytes())?;
                writeln!(
                    out,
                    "{}: installed in {shown} (`keyhook agent {}`)",
                    a.name(),
                    a.name()
                )?;
            }
        }
    }
    Ok(Outcome::Clean)
}

/// `keyhook uninstall --agents`.
pub fn uninstall(flags: &AgentFlags) -> Result<Outcome> {
    let base = base(flags.global)?;
    let agents = match &flags.agents {
        Some(n) if !n.is_empty() => n.clone(),
        _ => Agent::ALL.to_vec(),
    };
    let mut plan = Vec::new();
    for a in agents {
        let (file, _) = settings::location(a, &base);
        if let Some(current) = read(&file)? {
            plan.push((a, file.clone(), settings::remove(a, &file, &current)?));
        }
    }
    let mut out = std::io::stdout().lock();
    let mut any = false;
    for (a, file, new) in plan {
        let shown = show(&file, &base, flags.global);
        match new {
            None => {}
            Some(t) if t.is_empty() => {
                std::fs::remove_file(&file)
                    .with_context(|| format!("{}: cannot remove", file.display()))?;
                writeln!(
                    out,
                    "{}: removed {shown} (it held only keyhook's hooks)",
                    a.name()
                )?;
                any = true;
            }
            Some(t) => {
                crate::atomic::write(&file, t.as_bytes())?;
                writeln!(out, "{}: removed keyhook's hooks from {shown}", a.name())?;
                any = true;
            }
        }
    }
    if !any {
        writeln!(out, "keyhook: no agent hooks to remove")?;
    }
    Ok(Outcome::Clean)
}

/// The agent lines of `keyhook status`: one per agent whose file or
/// directory exists, project and user level. Returns false when an agent
/// that is set up lacks some of keyhook's entries.
pub fn status_lines(out: &mut dyn Write) -> Result<bool> {
    let mut ok = true;
    for global in [false, true] {
        let Ok(base) = base(global) else { continue };
        for a in Agent::ALL {
            let (file, dir) = settings::location(a, &base);
            if !dir.is_dir() {
                continue;
            }
            let shown = show(&file, &base, global);
            let text = match settings::state(a, &file) {
                Ok(State::Installed) => format!("installed in {shown}"),
                Ok(State::Partial(missing)) => {
                    ok = false;
                    format!("partly installed in {shown} (missing: {}; run `keyhook install --agents {}{}`)", missing.join(", "), a.name(), if global { " --global" } else { "" })
                }
                Ok(State::Missing) => format!("not installed in {shown}"),
                Err(e) => {
                    ok = false;
                    format!("cannot read: {e}")
                }
            };
            writeln!(out, "agent {}: {text}", a.name())?;
        }
    }
    Ok(ok)
}
