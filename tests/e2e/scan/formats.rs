//! `--format json` and `--format sarif`, for `scan` and `pre-commit`: valid
//! against the documented schema / SARIF's required structure, on stdout, with
//! secrets redacted.

use super::schema::{report_schema, violations};
use crate::harness::{fake, TestRepo};
use serde_json::Value;

/// A repository with two findings in two files and a binary file.
fn repo_with_findings() -> TestRepo {
    let repo = TestRepo::new();
    repo.stage(
        "config/app.env",
        format!("LOG=1\nGITHUB_TOKEN={}\n", fake::github_pat()),
    );
    repo.stage(
        "src/client name.py",
        format!("client = OpenAI(api_key=\"{}\")\n", fake::openai_project()),
    );
    repo.stage("logo.png", b"\x89PNG\x00\x00\x00");
    repo
}

fn assert_redacted(run: &crate::harness::Run) {
    run.assert_no_secret(&fake::github_pat());
    run.assert_no_secret(&fake::openai_project());
}

#[test]
fn json_matches_the_documented_schema_and_content() {
    let repo = repo_with_findings();
    let run = repo.keyhook(&["scan", "--format", "json"]);
    assert_redacted(&run);
    assert_eq!((run.code, run.stderr.as_str()), (1, ""));
    let doc = super::json(&run);
    assert_eq!(violations(&report_schema(), &doc), Vec::<String>::new());
    assert_eq!(
        super::json_locations(&doc),
        ["config/app.env:2:14", "src/client name.py:1:26"]
    );
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "github.pat");
    assert_eq!(f["rule_name"], "GitHub personal access token");
    assert_eq!(f["pattern"], "provider-format");
    assert_eq!(f["redacted"], "ghp_R8xZ****************");
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    assert_eq!(f["entropy"], 5.12);
    assert!(f.get("commit").is_none() && f.get("session").is_none());
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["subject"], "scan");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"findings": 2, "files_with_findings": 2, "scanned": 2, "accepted": 0, "complete": true})
    );
    assert_eq!(doc["skipped"]["binary"], 1);
}

#[test]
fn a_clean_json_report_is_still_a_full_document() {
    let repo = TestRepo::new();
    repo.stage("a.txt", "hi\n");
    let run = repo.keyhook(&["scan", "--format", "json"]);
    assert_eq!(run.code, 0);
    let doc = super::json(&run);
    assert_eq!(violations(&report_schema(), &doc), Vec::<String>::new());
    assert_eq!(doc["findings"], serde_json::json!([]));
}

/// The parts of SARIF 2.1.0 that the spec requires and GitHub code scanning reads.
fn assert_valid_sarif(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "keyhook");
    let rules = driver["rules"].as_array().expect("driver.rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in rules {
        assert!(r["shortDescription"]["text"].is_string(), "{r}");
        assert!(r["fullDescription"]["text"].is_string(), "{r}");
        assert!(r["help"]["text"].is_string(), "{r}");
        assert!(r["name"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
    }
    for res in run["results"].as_array().expect("results") {
        let id = res["ruleId"].as_str().expect("ruleId");
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[idx], id);
        assert!(res["message"]["text"].is_string());
        assert_eq!(res["level"], "error");
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string(), "{res}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert_eq!(
            res["partialFingerprints"]["keyhookFingerprint/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
    }
    assert!(run["invocations"][0]["executionSuccessful"].is_boolean());
}

#[test]
fn sarif_has_the_required_structure() {
    let repo = repo_with_findings();
    let run = repo.keyhook(&["scan", "--format", "sarif"]);
    assert_redacted(&run);
    assert_eq!((run.code, run.stderr.as_str()), (1, ""));
    let doc = super::json(&run);
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["config/app.env", "src/client%20name.py"]);
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 2, "startColumn": 14})
    );
    let rules: Vec<&str> = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["github.pat", "openai.project-key"]);
}

#[test]
fn sarif_marks_an_incomplete_scan_and_history_commits() {
    let repo = TestRepo::new();
    repo.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("key");
    let run = repo.keyhook(&["scan", "--history", "--format", "sarif"]);
    let doc = super::json(&run);
    assert_valid_sarif(&doc);
    let props = &doc["runs"][0]["results"][0]["properties"];
    assert_eq!(props["pushed"], false);
    assert_eq!(props["commit"].as_str().unwrap().len(), 40);
    repo.remove("a.env");
    std::fs::create_dir(repo.path().join("a.env")).unwrap();
    let run = repo.keyhook(&["scan", "--format", "sarif"]);
    assert_eq!(run.code, 2);
    let doc = super::json(&run);
    assert_valid_sarif(&doc);
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["message"]["text"],
        "a.env: could not be read: Is a directory (os error 21)"
    );
}

#[test]
fn pre_commit_speaks_every_format() {
    let repo = repo_with_findings();
    let json = repo.keyhook(&["pre-commit", "--format", "json"]);
    assert_redacted(&json);
    assert_eq!((json.code, json.stderr.as_str()), (1, ""));
    let doc = super::json(&json);
    assert_eq!(violations(&report_schema(), &doc), Vec::<String>::new());
    assert_eq!(doc["subject"], "commit");
    assert_eq!(
        super::json_locations(&doc),
        ["config/app.env:2:14", "src/client name.py:1:26"]
    );
    let sarif = repo.keyhook(&["pre-commit", "--format", "sarif"]);
    assert_redacted(&sarif);
    assert_eq!(sarif.code, 1);
    assert_valid_sarif(&super::json(&sarif));
    let human = repo.keyhook(&["pre-commit"]);
    assert_eq!(human.stdout, "");
    assert!(human
        .stderr
        .ends_with("keyhook: commit blocked: 2 secrets in 2 files\n"));
}

#[test]
fn pre_push_speaks_json_too() {
    let remote = TestRepo::empty_dir();
    remote.git(&["init", "-q", "--bare", "r.git"]);
    let repo = TestRepo::new();
    let url = remote.path().join("r.git");
    repo.git(&["remote", "add", "origin", url.to_str().unwrap()]);
    repo.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("key");
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let input = format!(
        "refs/heads/main {head} refs/heads/main {}\n",
        "0".repeat(40)
    );
    let mut c = repo.command(crate::harness::KEYHOOK, repo.path());
    c.args([
        "pre-push",
        "origin",
        url.to_str().unwrap(),
        "--format",
        "json",
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let run = crate::harness::Run::from_output(child.wait_with_output().unwrap());
    run.assert_no_secret(&fake::github_pat());
    assert_eq!((run.code, run.stderr.as_str()), (1, ""));
    let doc = super::json(&run);
    assert_eq!(violations(&report_schema(), &doc), Vec::<String>::new());
    assert_eq!(doc["subject"], "push");
    assert_eq!(super::json_locations(&doc), ["a.env:1:14"]);
    assert_eq!(doc["findings"][0]["commit"]["subject"], "key");
}
