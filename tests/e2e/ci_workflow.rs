//! The GitHub Actions workflow in ci/github/keyhook.yml: its scan step's shell
//! commands, taken from the YAML itself (so the test and the file cannot
//! drift), run against a temporary repository as Actions would run them.

use crate::harness::{fake, Run, TestRepo};

const WORKFLOW: &str = include_str!("../../ci/github/keyhook.yml");

/// The `run: |` block of the step named `name`, unindented.
fn run_block(name: &str) -> String {
    let lines: Vec<&str> = WORKFLOW.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step {name:?} in the workflow"));
    let run = (start..lines.len())
        .find(|&i| lines[i].trim() == "run: |")
        .expect("a run block");
    let indent = |l: &str| l.len() - l.trim_start().len();
    let body_indent = indent(lines[run + 1]);
    lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) >= body_indent)
        .map(|l| format!("{}\n", l.get(body_indent..).unwrap_or("")))
        .collect()
}

/// Runs the scan step as Actions does (`bash -e`), with `BASE` and a
/// `GITHUB_OUTPUT` file; returns the run and what the step wrote there.
fn scan_step(r: &TestRepo, base: &str) -> (Run, String) {
    let output = r.home().join("github_output");
    std::fs::write(&output, "").unwrap();
    let mut c = r.command("bash", r.path());
    c.args(["-e", "-c", &run_block("Scan with keyhook")])
        .env("BASE", base)
        .env("GITHUB_OUTPUT", &output);
    let run = Run::from_output(c.output().unwrap());
    (run, std::fs::read_to_string(&output).unwrap())
}

#[test]
fn the_workflows_scan_step_reports_a_new_key_as_sarif_and_fails() {
    let r = TestRepo::new();
    r.stage("README", "hi\n");
    r.commit("init");
    let base = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let key = fake::github_pat();
    r.stage("src/config.env", format!("A=1\nGITHUB_TOKEN={key}\n"));
    r.commit("add config");

    let (run, output) = scan_step(&r, &base);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(output, "exit=1\n");
    run.assert_no_secret(&key);
    let sarif = std::fs::read_to_string(r.path().join("keyhook.sarif")).unwrap();
    assert!(!sarif.contains(&key));
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif}");
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/config.env");
    assert_eq!(loc["region"]["startLine"], 2);

    // Nothing new since the base: clean, exit 0.
    let head = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let (_, output) = scan_step(&r, &head);
    assert_eq!(output, "exit=0\n");
    // A base the clone does not have (a new branch: zeros) scans everything.
    let (_, output) = scan_step(&r, "0000000000000000000000000000000000000000");
    assert_eq!(output, "exit=1\n");
}

#[test]
fn the_workflow_uploads_sarif_and_fails_on_findings() {
    assert!(WORKFLOW.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(WORKFLOW.contains("sarif_file: keyhook.sarif"));
    assert!(run_block("Fail on findings").contains("exit 1"));
}
