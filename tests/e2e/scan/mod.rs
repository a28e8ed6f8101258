//! `keyhook scan`: the work tree, the history, AI session stores, and the
//! machine-readable formats.

mod formats;
mod history;
mod schema;
mod sessions;
mod tree;

use crate::harness::Run;

/// The JSON document a run printed on stdout.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// `path:line:col` of every finding in a JSON report.
pub fn json_locations(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["column"]
            )
        })
        .collect()
}
