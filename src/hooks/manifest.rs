//! The record of what `keyhook install` changed, kept in the common git
//! directory (`.git/keyhook/install.json`), so that `keyhook uninstall` puts
//! back exactly what was there: the foreign hook it chained or replaced, the
//! husky script it added a block to, the directories it created.
//!
//! Without a manifest (installed by hand, or the file was lost) `uninstall`
//! infers the same entries from the files themselves; see [`infer`].

use super::{husky, is_shim, sibling, HookKind, Layout, Manager, BACKUP_SUFFIX, CHAINED_SUFFIX};
use anyhow::{anyhow, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Current manifest format.
const VERSION: u32 = 1;

/// What install changed for one hook file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// Nothing was there; keyhook's shim was written.
    Created,
    /// A foreign hook was moved to `moved_to`; the shim runs it after keyhook.
    Chained {
        /// Where the foreign hook now lives.
        moved_to: PathBuf,
    },
    /// `--force`: a foreign hook was moved to `moved_to` and no longer runs.
    Replaced {
        /// Where the foreign hook now lives.
        moved_to: PathBuf,
    },
    /// A keyhook block was added to a husky script.
    HuskyBlock {
        /// True when keyhook created the script.
        created_file: bool,
    },
}

/// One changed hook file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Which hook.
    pub hook: HookKind,
    /// The hook file (absolute).
    pub path: PathBuf,
    /// What was done to it.
    #[serde(flatten)]
    pub change: Change,
}

/// Everything install changed in one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version.
    pub version: u32,
    /// Changed hook files, in the order they were changed.
    pub entries: Vec<Entry>,
    /// Directories install created, deepest first (removed again when empty).
    #[serde(default)]
    pub created_dirs: Vec<PathBuf>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            version: VERSION,
            entries: Vec::new(),
            created_dirs: Vec::new(),
        }
    }
}

impl Manifest {
    /// Loads the manifest at `path`; an empty one when there is none.
    pub fn load(path: &Path) -> Result<Manifest> {
        let Some(data) = super::read_optional(path)? else {
            return Ok(Manifest::default());
        };
        let m: Manifest = serde_json::from_slice(&data).map_err(|e| {
            anyhow!(
                "{}:{}: cannot parse keyhook's install record: {e} (delete the file; `keyhook uninstall` then works from the hook files themselves)",
                path.display(),
                e.line()
            )
        })?;
        if m.version != VERSION {
            return Err(anyhow!(
                "{}:1: install record version {} is not supported (this keyhook writes version {VERSION}; use the keyhook that installed the hooks, or delete the file)",
                path.display(),
                m.version
            ));
        }
        Ok(m)
    }

    /// The entry for a hook file, if any.
    pub fn entry(&self, path: &Path) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Adds or replaces the entry for `entry.path`.
    pub fn record(&mut self, entry: Entry) {
        self.entries.retain(|e| e.path != entry.path);
        self.entries.push(entry);
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.created_dirs.is_empty()
    }

    /// The manifest as pretty JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_vec_pretty(self).expect("a manifest always serialises");
        s.push(b'\n');
        s
    }
}

/// What install must have done, judged from the files alone: a keyhook shim in
/// the hooks directory (or in `.git/hooks`, shadowed by `core.hooksPath`), with
/// a chained or backed-up foreign hook beside it; a keyhook block in a husky script.
pub fn infer(layout: &Layout) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut dirs = vec![layout.dir.clone()];
    if layout.default_dir != layout.dir {
        dirs.push(layout.default_dir.clone());
    }
    for hook in HookKind::ALL {
        for dir in &dirs {
            let path = dir.join(hook.name());
            let Ok(content) = std::fs::read(&path) else {
                continue;
            };
            if !is_shim(&content) {
                continue;
            }
            let change = infer_change(&path);
            out.push(Entry { hook, path, change });
        }
        if let Manager::Husky { scripts } = &layout.manager {
            let path = scripts.join(hook.name());
            if std::fs::read(&path).is_ok_and(|c| husky::find_block(&c).is_some()) {
                out.push(Entry {
                    hook,
                    path,
                    change: Change::HuskyBlock {
                        created_file: false,
                    },
                });
            }
        }
    }
    out
}

/// What install did to the keyhook shim at `path`, judged by the files beside
/// it: a chained or backed-up foreign hook, or nothing.
pub fn infer_change(path: &Path) -> Change {
    let chained = sibling(path, CHAINED_SUFFIX);
    let backup = sibling(path, BACKUP_SUFFIX);
    if chained.symlink_metadata().is_ok() {
        Change::Chained { moved_to: chained }
    } else if backup.symlink_metadata().is_ok() {
        Change::Replaced { moved_to: backup }
    } else {
        Change::Created
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_bad_json_with_a_line() {
        let mut m = Manifest::default();
        m.record(Entry {
            hook: HookKind::PrePush,
            path: "/r/.git/hooks/pre-push".into(),
            change: Change::Chained {
                moved_to: "/r/.git/hooks/pre-push.keyhook-chained".into(),
            },
        });
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("install.json");
        std::fs::write(&p, m.to_bytes()).unwrap();
        assert_eq!(Manifest::load(&p).unwrap(), m);
        std::fs::write(&p, "{\n  \"version\": 1,\n  \"entries\": [,]\n}\n").unwrap();
        let err = Manifest::load(&p).unwrap_err().to_string();
        assert!(err.contains("install.json:3: cannot parse"), "{err}");
        assert!(Manifest::load(&dir.path().join("none")).unwrap().is_empty());
    }
}
