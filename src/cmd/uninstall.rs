//! `keyhook uninstall`: put back exactly what `keyhook install` changed. A
//! chained or backed-up foreign hook returns to its place, a husky script loses
//! only keyhook's block (or is deleted when keyhook created it), directories
//! keyhook created go when empty. A hook file that is no longer keyhook's is
//! left alone. `.gitignore` lines are kept: they protect env files either way.

use crate::hooks::manifest::{self, Change, Entry, Manifest};
use crate::hooks::{fsops, husky, is_shim, read_optional, Layout};
use crate::outcome::Outcome;
use crate::repo;
use anyhow::Result;
use std::io::Write;

/// Runs `keyhook uninstall` in the current repository.
pub fn run() -> Result<Outcome> {
    let (repo, root) = repo::open_with_worktree()?;
    let layout = Layout::discover(&repo, &root)?;
    if crate::hooks::global::is_managed_dir(&layout.dir) {
        println!("keyhook: this repository runs keyhook's global hooks (core.hooksPath={}); `keyhook uninstall --global` removes them for every repository", layout.hooks_path.as_deref().unwrap_or(""));
        return Ok(Outcome::Clean);
    }
    let manifest_path = layout.manifest_path();
    let recorded = Manifest::load(&manifest_path)?;
    let entries = if recorded.entries.is_empty() {
        manifest::infer(&layout)
    } else {
        recorded.entries.clone()
    };
    let mut out = std::io::stdout().lock();
    if entries.is_empty() && recorded.is_empty() {
        writeln!(
            out,
            "keyhook: nothing to uninstall (no keyhook hooks in {})",
            layout.show(&layout.dir)
        )?;
        return Ok(Outcome::Clean);
    }
    let lines = fsops::all_or_nothing(|tx| {
        let mut lines = Vec::new();
        for e in &entries {
            lines.push(undo(tx, &layout, e)?);
        }
        if manifest_path.exists() {
            tx.remove(&manifest_path)?;
        }
        Ok(lines)
    })?;
    // Only empty directories go; anything else put there since stays.
    for d in &recorded.created_dirs {
        let _ = std::fs::remove_dir(d);
    }
    if let Some(d) = manifest_path.parent() {
        let _ = std::fs::remove_dir(d);
    }
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(Outcome::Clean)
}

/// Reverses one entry; returns the line saying what was done.
fn undo(tx: &mut fsops::Transaction, layout: &Layout, e: &Entry) -> Result<String> {
    let name = e.hook.name();
    let shown = layout.show(&e.path);
    let current = read_optional(&e.path)?;
    let ours = current.as_deref().is_some_and(is_shim);
    Ok(match &e.change {
        Change::Created => match current {
            Some(_) if ours => {
                tx.remove(&e.path)?;
                format!("keyhook: {name}: removed {shown}")
            }
            Some(_) => {
                format!("keyhook: {name}: left {shown} alone (it is no longer keyhook's hook)")
            }
            None => format!("keyhook: {name}: {shown} was already gone"),
        },
        Change::Chained { moved_to } | Change::Replaced { moved_to } => {
            let kept = layout.show(moved_to);
            if current.is_some() && !ours {
                format!(
                    "keyhook: {name}: left {shown} alone (it is no longer keyhook's hook); the hook keyhook moved away is still at {kept}"
                )
            } else if moved_to.symlink_metadata().is_ok() {
                tx.replace_with(moved_to, &e.path)?;
                format!("keyhook: {name}: restored the previous hook to {shown}")
            } else {
                if ours {
                    tx.remove(&e.path)?;
                }
                format!(
                    "keyhook: {name}: removed {shown}; the previous hook was no longer at {kept}, so there was nothing to restore"
                )
            }
        }
        Change::HuskyBlock { created_file } => {
            let Some(content) = current else {
                return Ok(format!("keyhook: {name}: {shown} was already gone"));
            };
            match husky::remove_block(&content) {
                Some(rest)
                    if *created_file
                        && (rest.is_empty() || rest == husky::NEW_FILE_HEADER.as_bytes()) =>
                {
                    tx.remove(&e.path)?;
                    format!("keyhook: {name}: removed {shown} (keyhook created it)")
                }
                Some(rest) => {
                    tx.write(&e.path, &rest, fsops::file_mode(&e.path))?;
                    format!("keyhook: {name}: removed keyhook's block from {shown}")
                }
                None => format!("keyhook: {name}: {shown} has no keyhook block (nothing to do)"),
            }
        }
    })
}
