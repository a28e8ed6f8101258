//! keyhook's own repository passes keyhook: its fake keys live in `fixtures/`
//! and rule examples (skipped by `.keyhook.toml`), test sources assemble theirs
//! at run time, and the few unit-test vectors are accepted in the baseline.

use crate::harness::KEYHOOK;
use std::process::Command;

#[test]
fn this_repository_scans_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    if !std::path::Path::new(root).join(".git").exists() {
        eprintln!(
            "dogfood: {root} is not a git checkout (a packaged source tree); nothing to check"
        );
        return;
    }
    let out = Command::new(KEYHOOK)
        .args(["scan", "--format", "json"])
        .current_dir(root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(
        (out.status.code(), json["findings"].as_array().map(Vec::len)),
        (Some(0), Some(0)),
        "keyhook's own tracked files hold findings:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
