//! Where added lines come from. Each source yields [`Change`]s: a path, the blob
//! holding the new content, and which of its lines are new. Reading the blob and
//! scanning it is the caller's job, so sources stay small and testable.

pub mod staged;

use crate::scan::Added;
use git2::{DiffOptions, Oid, Patch, Repository};

/// One file's new content in a diff.
#[derive(Debug, Clone)]
pub struct Change {
    /// Repository-relative path (new side).
    pub path: String,
    /// Blob id of the new content.
    pub new_id: Oid,
    /// Blob id of the old content, when the file existed before (modified,
    /// renamed, copied): only lines not in it count as added.
    pub old_id: Option<Oid>,
}

/// Which lines of `new` are not in `old`, computed by libgit2's diff with no
/// context lines. `None` for `old` means every line is new.
pub fn added_lines(
    repo: &Repository,
    change: &Change,
    new: &git2::Blob<'_>,
) -> Result<Added, git2::Error> {
    let Some(old_id) = change.old_id else {
        return Ok(Added::All);
    };
    let old = repo.find_blob(old_id)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    let patch = Patch::from_blobs(&old, None, new, None, Some(&mut opts))?;
    let mut ranges = Vec::with_capacity(patch.num_hunks());
    for i in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(i)?;
        if hunk.new_lines() > 0 {
            ranges.push(hunk.new_start()..hunk.new_start() + hunk.new_lines());
        }
    }
    Ok(Added::Lines(ranges))
}

/// True for tree entries that hold no scannable text: submodules (gitlinks) and symlinks.
pub fn is_unscannable_mode(mode: git2::FileMode) -> bool {
    matches!(mode, git2::FileMode::Commit | git2::FileMode::Link)
}
