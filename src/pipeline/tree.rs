//! Checks a work tree listed by [`crate::source::tree`]: every listed file is
//! read from disk and scanned on every core, and every line counts as added. A
//! file that cannot be read is reported with the OS error and the scan goes on.

use super::Pipeline;
use crate::progress::Progress;
use crate::report::CheckReport;
use crate::scan::{FileResult, Skipped};
use crate::source::tree::{link_target, Listing};
use std::path::Path;

/// Reads and scans every listed file in parallel.
pub fn check(pipeline: &Pipeline, listing: &Listing, progress: &Progress) -> CheckReport {
    let wanted: Vec<&String> = listing
        .files
        .iter()
        .filter(|p| !pipeline.skip.is_match(p))
        .collect();
    progress.set_total(wanted.len() as u64);
    let results = progress.run(|| {
        crate::workers::map(&wanted, |p| {
            let r = check_one(pipeline, &listing.root, p);
            if let Ok(Some((_, n))) = &r {
                progress.add_bytes(*n);
            }
            progress.add_items(1);
            r
        })
    });
    let mut report = CheckReport {
        unreadable: listing.unreadable.clone(),
        ..CheckReport::default()
    };
    for (path, result) in wanted.into_iter().zip(results) {
        match result {
            Ok(Some((r, _))) => report.absorb(path, r, &pipeline.baseline),
            Ok(None) => {}
            Err(e) => report.unreadable.push((path.clone(), e)),
        }
    }
    report.sort();
    report
}

/// One file: `None` when there is nothing to scan (deleted), an error string
/// when it exists but cannot be read. A symlink is judged on its target text.
fn check_one(
    pipeline: &Pipeline,
    root: &Path,
    path: &str,
) -> Result<Option<(FileResult, u64)>, String> {
    let abs = root.join(path);
    let meta = match std::fs::symlink_metadata(&abs) {
        Ok(m) => m,
        // A tracked file deleted from the work tree has no content to scan.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let ft = meta.file_type();
    if ft.is_symlink() {
        let target = link_target(&abs).map_err(|e| e.to_string())?;
        let n = target.len() as u64;
        return Ok(Some((pipeline.check_file(path, &target), n)));
    }
    if !ft.is_file() && !ft.is_dir() {
        // Opening a FIFO would block the scan forever.
        return Err("not a regular file (a FIFO, socket or device)".to_string());
    }
    if ft.is_file() && meta.len() > pipeline.scanner.max_file_size() {
        let skipped = FileResult {
            findings: vec![],
            skipped: Some(Skipped::TooLarge(meta.len())),
        };
        return Ok(Some((skipped, 0)));
    }
    // A directory where the index has a file fails here with the OS error.
    let data = std::fs::read(&abs).map_err(|e| e.to_string())?;
    let n = data.len() as u64;
    Ok(Some((pipeline.check_file(path, &data), n)))
}
