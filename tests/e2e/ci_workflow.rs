//! The CI files users copy: the GitHub Actions workflow in
//! ci/github/keyhook.yml and the GitLab CI job in ci/gitlab/keyhook.yml. Their
//! shell commands are taken from the YAML itself (so the tests and the files
//! cannot drift) and run against a temporary repository as the CI would run
//! them, including the install step: `cargo install --git` from a clone of
//! this checkout instead of the public URL ([`crate::release_build`]).

use crate::harness::{fake, Run, TestRepo};
use crate::release_build::{
    cargo_env, cargo_lock, install_root, path_with_installed, run_with_deadline, source_url, BRANCH,
};
use std::path::Path;
use std::time::Duration;

const WORKFLOW: &str = include_str!("../../ci/github/keyhook.yml");
const GITLAB: &str = include_str!("../../ci/gitlab/keyhook.yml");
const README: &str = include_str!("../../README.md");

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// The shell text of the step named `name`: its `run: |` block unindented,
/// or its one-line `run:`.
fn run_block(name: &str) -> String {
    let lines: Vec<&str> = WORKFLOW.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step {name:?} in the workflow"));
    let run = (start..lines.len())
        .find(|&i| lines[i].trim_start().starts_with("run:"))
        .expect("a run key");
    if let Some(one) = lines[run].trim().strip_prefix("run: ") {
        if one != "|" {
            return format!("{one}\n");
        }
    }
    let body_indent = indent(lines[run + 1]);
    lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) >= body_indent)
        .map(|l| format!("{}\n", l.get(body_indent..).unwrap_or("")))
        .collect()
}

/// A repository with a key committed after `base`; returns (repo, base, key).
fn repo_with_new_key() -> (TestRepo, String, String) {
    let r = TestRepo::new();
    r.stage("README", "hi\n");
    r.commit("init");
    let base = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let key = fake::github_pat();
    r.stage("src/config.env", format!("A=1\nGITHUB_TOKEN={key}\n"));
    r.commit("add config");
    (r, base, key)
}

/// The one finding in keyhook.sarif: src/config.env line 2, no raw key.
fn assert_sarif_has_the_key(r: &TestRepo, key: &str) {
    let sarif = std::fs::read_to_string(r.path().join("keyhook.sarif")).unwrap();
    assert!(!sarif.contains(key));
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif}");
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/config.env");
    assert_eq!(loc["region"]["startLine"], 2);
}

/// Runs the scan step as Actions does (`bash -e`), with `BASE` and a
/// `GITHUB_OUTPUT` file; returns the run and what the step wrote there.
fn scan_step(r: &TestRepo, base: &str, path: Option<&std::ffi::OsStr>) -> (Run, String) {
    let output = r.home().join("github_output");
    std::fs::write(&output, "").unwrap();
    let mut c = r.command("bash", r.path());
    c.args(["-e", "-c", &run_block("Scan with keyhook")])
        .env("BASE", base)
        .env("GITHUB_OUTPUT", &output);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    let run = Run::from_output(c.output().unwrap());
    (run, std::fs::read_to_string(&output).unwrap())
}

#[test]
fn the_workflows_scan_step_reports_a_new_key_as_sarif_and_fails() {
    let (r, base, key) = repo_with_new_key();
    let (run, output) = scan_step(&r, &base, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(output, "exit=1\n");
    run.assert_no_secret(&key);
    assert_sarif_has_the_key(&r, &key);

    // Nothing new since the base: clean, exit 0.
    let head = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let (_, output) = scan_step(&r, &head, None);
    assert_eq!(output, "exit=0\n");
    // A base the clone does not have (a new branch: zeros) scans everything.
    let (_, output) = scan_step(&r, "0000000000000000000000000000000000000000", None);
    assert_eq!(output, "exit=1\n");
}

#[test]
fn the_workflow_uploads_sarif_and_fails_on_findings() {
    assert!(WORKFLOW.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(WORKFLOW.contains("sarif_file: keyhook.sarif"));
    assert!(run_block("Fail on findings").contains("exit 1"));
}

/// Runs an install line (`cargo install --git "$KEYHOOK_GIT" ...`) with
/// `KEYHOOK_GIT` a clone of this checkout and `KEYHOOK_REV` its branch.
fn install(r: &TestRepo, shell: &str, what: &str) -> Run {
    let mut c = r.command("bash", r.path());
    c.args(["-e", "-o", "pipefail", "-c", shell])
        .env("KEYHOOK_GIT", source_url())
        .env("KEYHOOK_REV", BRANCH)
        .env("CARGO_INSTALL_ROOT", install_root());
    cargo_env(&mut c);
    let _cargo = cargo_lock();
    let run = run_with_deadline(c, what, Duration::from_secs(900), r.home());
    assert_eq!(run.code, 0, "{what}:\n{}{}", run.stdout, run.stderr);
    assert!(install_root().join("bin/keyhook").is_file());
    run
}

/// The `keyhook` a step finds on `path`.
fn which_keyhook(r: &TestRepo, path: &std::ffi::OsStr) -> String {
    let mut c = r.command("sh", r.path());
    c.args(["-c", "command -v keyhook"]).env("PATH", path);
    Run::from_output(c.output().unwrap())
        .stdout
        .trim()
        .to_string()
}

#[test]
fn the_workflows_install_step_builds_keyhook_that_the_scan_step_runs() {
    let (r, base, key) = repo_with_new_key();
    let step = run_block("Install keyhook");
    assert!(
        step.starts_with("cargo install --locked --git \"$KEYHOOK_GIT\""),
        "{step}"
    );
    install(&r, &step, "github-install");
    let path = path_with_installed();
    assert_eq!(
        which_keyhook(&r, &path),
        install_root().join("bin/keyhook").display().to_string()
    );
    let (run, output) = scan_step(&r, &base, Some(&path));
    assert_eq!(
        (run.code, output.as_str()),
        (0, "exit=1\n"),
        "{}",
        run.stderr
    );
    run.assert_no_secret(&key);
    assert_sarif_has_the_key(&r, &key);
}

/// The GitLab job's `script:` entries, each as the shell text GitLab runs.
fn gitlab_script() -> Vec<String> {
    let lines: Vec<&str> = GITLAB.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "script:")
        .expect("a script");
    let item = indent(lines[start + 1]);
    let mut items = Vec::new();
    let mut i = start + 1;
    while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) >= item) {
        let l = lines[i];
        i += 1;
        let Some(entry) = l.trim_start().strip_prefix("- ") else {
            continue;
        };
        if indent(l) != item {
            continue;
        }
        if entry != "|" {
            items.push(format!("{entry}\n"));
            continue;
        }
        let body = indent(lines[i]);
        let mut text = String::new();
        while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) >= body) {
            text.push_str(lines[i].get(body..).unwrap_or(""));
            text.push('\n');
            i += 1;
        }
        items.push(text.trim_end().to_string() + "\n");
    }
    items
}

/// Runs script entries as GitLab's bash runner does (`set -eo pipefail`,
/// then each entry in one shell), with the job's CI variables.
fn gitlab_job(
    r: &TestRepo,
    entries: &[String],
    vars: &[(&str, &str)],
    path: Option<&std::ffi::OsStr>,
) -> Run {
    let script = format!("set -eo pipefail\n{}", entries.concat());
    let mut c = r.command("bash", r.path());
    c.args(["-c", &script]).envs(vars.iter().copied());
    if let Some(p) = path {
        c.env("PATH", p);
    }
    Run::from_output(c.output().unwrap())
}

#[test]
fn the_gitlab_job_fails_on_a_new_key_and_keeps_the_sarif_report() {
    let script = gitlab_script();
    assert_eq!(script.len(), 3, "{script:?}");
    assert!(script[0].starts_with("cargo install "), "{}", script[0]);
    let scan = &script[1..];
    let (r, base, key) = repo_with_new_key();
    let head = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    let zeros = "0000000000000000000000000000000000000000";

    // A branch pipeline: the commits since the previous pipeline's commit.
    let run = gitlab_job(&r, scan, &[("CI_COMMIT_BEFORE_SHA", &base)], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&key);
    assert_sarif_has_the_key(&r, &key);
    let run = gitlab_job(&r, scan, &[("CI_COMMIT_BEFORE_SHA", &head)], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A new branch (zeros) scans every commit.
    let run = gitlab_job(&r, scan, &[("CI_COMMIT_BEFORE_SHA", zeros)], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // A merge request pipeline: its diff base wins over the before-SHA.
    let run = gitlab_job(
        &r,
        scan,
        &[
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", &head),
            ("CI_COMMIT_BEFORE_SHA", &base),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = gitlab_job(
        &r,
        scan,
        &[
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base),
            ("CI_COMMIT_BEFORE_SHA", &head),
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_sarif_has_the_key(&r, &key);

    // The report is kept whatever the outcome, and linked from the merge request.
    assert!(GITLAB.contains("  artifacts:\n    when: always\n    expose_as: keyhook SARIF report\n    paths:\n      - keyhook.sarif\n"));
    // No claim that GitLab's security widgets show SARIF.
    assert!(!GITLAB.contains("reports:"));
}

#[test]
fn the_gitlab_jobs_install_entry_builds_keyhook_that_the_scan_runs() {
    let script = gitlab_script();
    let (r, base, key) = repo_with_new_key();
    install(&r, &script[0], "gitlab-install");
    let path = path_with_installed();
    let run = gitlab_job(
        &r,
        &script[1..],
        &[("CI_COMMIT_BEFORE_SHA", &base)],
        Some(&path),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&key);
    assert_sarif_has_the_key(&r, &key);
    assert!(Path::new(&install_root().join("bin/keyhook")).is_file());
}

#[test]
fn the_readme_shows_the_gitlab_job_verbatim() {
    let block = format!("```yaml\n{GITLAB}```\n");
    assert!(
        README.contains(&block),
        "README.md must include ci/gitlab/keyhook.yml verbatim in a ```yaml block"
    );
    assert!(!README.contains("SAST widget"));
}
