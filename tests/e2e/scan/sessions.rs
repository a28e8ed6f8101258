//! `keyhook scan --ai-sessions --root DIR` on the fixture stores in
//! `fixtures/ai-sessions/home` (regenerate with its `make.py`): transcripts,
//! SQLite files read as raw bytes, truncated files, read-only access, and the
//! "rotate" mark for keys that are also committed in the repository.

use crate::harness::{fake, TestRepo};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// 2026-01-01T00:00:00Z.
const NEW_YEAR: u64 = 1_767_225_600;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ai-sessions/home")
}

/// Copies the fixture home into `dst` with every file's mtime set to
/// 2026-01-01 (a checkout's mtimes are whenever it was checked out).
fn copy_home(dst: &Path) {
    let mut stack = vec![fixture()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(fixture()).unwrap().to_path_buf();
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(dst.join(&rel)).unwrap();
                stack.push(e.path());
            } else {
                std::fs::copy(e.path(), dst.join(&rel)).unwrap();
                let f = std::fs::File::options()
                    .write(true)
                    .open(dst.join(&rel))
                    .unwrap();
                f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(NEW_YEAR))
                    .unwrap();
            }
        }
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let m = e.metadata().unwrap().modified().unwrap();
                out.push((e.path(), std::fs::read(e.path()).unwrap(), m));
            }
        }
    }
    out.sort();
    out
}

const ACCEPT: &str = "         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line";
const SESSION_FIX: &str = "rotate the key: what an AI coding tool reads or is told goes to its model provider and stays in this file in plain text; delete the session if you do not need it, and keep keys where the tool does not read them";

#[test]
fn fixture_stores_are_found_with_tool_file_and_date_and_left_untouched() {
    let home = TestRepo::empty_dir();
    copy_home(home.path());
    let before = snapshot(home.path());
    let cwd = TestRepo::empty_dir();
    let run = cwd.keyhook(&[
        "scan",
        "--ai-sessions",
        "--root",
        home.path().to_str().unwrap(),
    ]);
    run.assert_no_secret(&fake::github_pat());
    run.assert_no_secret(&fake::github_pat2());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let pat = "matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder";
    let pat2 = "matches the GitHub personal access token format; entropy 5.2 bits/char, not a known placeholder";
    let expected = format!(
        "\
~/.claude/projects/-home-dev-webapp/0b7c2a1e.jsonl:3:119  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: Claude Code session file, modified 2026-01-01: {pat}
    fix: {SESSION_FIX}
{ACCEPT}

~/.codex/sessions/2026/01/01/rollout-2026-01-01T10-00-00.jsonl:2:164  OpenAI project API key  sk-proj-****************
    rule: openai.project-key (provider-format)
    why: Codex session file, modified 2026-01-01: matches the OpenAI project API key format; entropy 5.6 bits/char, not a known placeholder
    fix: {SESSION_FIX}
{ACCEPT}

~/.config/Code/User/workspaceStorage/77aa01/state.vscdb:2:4050  GitHub personal access token  ghp_Wq4L****************
    rule: github.pat (provider-format)
    why: VS Code session file, modified 2026-01-01: {pat2}
    fix: {SESSION_FIX}
{ACCEPT}

~/.config/Cursor/User/workspaceStorage/4f1e9a/state.vscdb:2:4050  GitHub personal access token  ghp_Wq4L****************
    rule: github.pat (provider-format)
    why: Cursor session file, modified 2026-01-01: {pat2}
    fix: {SESSION_FIX}
{ACCEPT}

keyhook: found 4 secrets in 4 files
"
    );
    // The whole report: the truncated transcript (cut mid-record) and the
    // truncated VS Code database (cut mid-page, after the key) are read like
    // any other file, without an error; notes.txt is in no store.
    assert_eq!(run.stderr, expected);
    // Read-only: every byte and every modification time is as it was.
    assert_eq!(snapshot(home.path()), before);
}

#[test]
fn a_key_both_in_the_repository_and_a_transcript_is_marked_rotate() {
    let home = TestRepo::empty_dir();
    copy_home(home.path());
    let repo = TestRepo::new();
    repo.stage(
        "deploy/ci.env",
        format!("X=1\nGITHUB_TOKEN={}\n", fake::github_pat()),
    );
    repo.commit("ci");
    let root = home.path().to_str().unwrap();
    std::fs::create_dir(repo.path().join("docs")).unwrap();
    // From a subdirectory: a key committed anywhere in the repository counts.
    let run = repo.keyhook_in(
        &repo.path().join("docs"),
        &["scan", "--ai-sessions", "--root", root],
    );
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(run.code, 1);
    let claude: Vec<&str> = run.stderr.lines().take(4).collect();
    assert_eq!(claude[2], "    why: Claude Code session file, modified 2026-01-01: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder; the same key is committed in this repository at deploy/ci.env");
    assert_eq!(claude[3], "    fix: rotate this key now: it is committed in this repository and it went through an AI tool, whose transcript keeps it in plain text; then take it out of the code");
    let json = repo.keyhook(&["scan", "--ai-sessions", "--root", root, "--format", "json"]);
    let doc = super::json(&json);
    let v = super::schema::violations(&super::schema::report_schema(), &doc);
    assert_eq!(v, Vec::<String>::new());
    let sessions: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["session"].clone())
        .collect();
    let claude_file = home
        .path()
        .join(".claude/projects/-home-dev-webapp/0b7c2a1e.jsonl");
    assert_eq!(
        sessions[0],
        serde_json::json!({
            "tool": "Claude Code",
            "file": claude_file.to_str().unwrap(),
            "modified": "2026-01-01",
            "rotate": true,
            "in_repository": "deploy/ci.env",
        })
    );
    assert_eq!(sessions[3]["tool"], "Cursor");
    assert_eq!(sessions[3]["rotate"], false);
    let sarif = repo.keyhook(&["scan", "--ai-sessions", "--root", root, "--format", "sarif"]);
    let doc = super::json(&sarif);
    let uri = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(
        uri.as_str().unwrap(),
        format!("file://{}", claude_file.display())
    );
}

#[test]
fn stores_that_do_not_exist_are_skipped_silently() {
    let home = TestRepo::empty_dir();
    std::fs::create_dir_all(home.path().join(".claude")).unwrap();
    let run = home.keyhook(&[
        "scan",
        "--ai-sessions",
        "--root",
        home.path().to_str().unwrap(),
    ]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "keyhook: no secrets found (0 files scanned)\n")
    );
}

#[test]
fn keyhook_toml_adds_stores() {
    let home = TestRepo::empty_dir();
    home.write(
        ".mytool/logs/2026/chat.log",
        format!("user: token is {}\n", fake::github_pat()),
    );
    let repo = TestRepo::new();
    repo.write(
        ".keyhook.toml",
        "[[ai_session_store]]\ntool = \"My agent\"\ndir = \".mytool/logs\"\nglobs = [\"**/*.log\"]\n",
    );
    let run = repo.keyhook(&[
        "scan",
        "--ai-sessions",
        "--root",
        home.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["~/.mytool/logs/2026/chat.log:1:16"]);
    assert!(run
        .stderr
        .contains("    why: My agent session file, modified "));
    let bad = TestRepo::new();
    bad.write(".keyhook.toml", "[[ai_session_store]]\ntool = \"x\"\n");
    let run = bad.keyhook(&[
        "scan",
        "--ai-sessions",
        "--root",
        home.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("keyhook: error: .keyhook.toml:1: missing field `dir`"),
        "{}",
        run.stderr
    );
}
