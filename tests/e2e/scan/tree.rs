//! `keyhook scan [PATH]`: tracked files read from disk, `--all-files`, plain
//! directories, unreadable files.

use crate::harness::{fake, TestRepo};

const ACCEPT: &str = "         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line\n";

fn block(place: &str, name: &str, redacted: &str, rule: &str, entropy: &str) -> String {
    format!(
        "{place}  {name}  {redacted}\n    rule: {rule} (provider-format)\n    why: matches the {name} format; entropy {entropy} bits/char, not a known placeholder\n    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed\n{ACCEPT}\n"
    )
}

fn pat_block(place: &str) -> String {
    block(
        place,
        "GitHub personal access token",
        "ghp_R8xZ****************",
        "github.pat",
        "5.1",
    )
}

#[test]
fn tracked_files_are_read_from_disk_with_a_full_report() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("src/config.py", "import os\nDEBUG = False\n");
    repo.stage("README.md", "# app\n");
    repo.commit("init");
    // Changed on disk, neither staged nor committed: the scan reads the disk.
    repo.write(
        "src/config.py",
        format!("import os\nGITHUB_TOKEN = \"{key}\"\n"),
    );
    let run = repo.keyhook(&["scan"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "{}keyhook: found 1 secret in 1 file\n",
        pat_block("src/config.py:2:17")
    );
    assert_eq!(run.stderr, expected);
    assert_eq!(run.stdout, "");
}

#[test]
fn untracked_and_ignored_files_only_with_all_files() {
    let repo = TestRepo::new();
    repo.stage(".gitignore", "build/\n");
    repo.stage(
        "src/app.env",
        format!("GITHUB_TOKEN={}\n", fake::github_pat()),
    );
    repo.write("notes/todo.txt", format!("token {}\n", fake::github_pat2()));
    repo.write(
        "build/out.env",
        format!("OPENAI_API_KEY={}\n", fake::openai_project()),
    );
    let run = repo.keyhook(&["scan"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["src/app.env:1:14"]);
    let all = repo.keyhook(&["scan", "--all-files"]);
    assert_eq!(all.code, 1);
    assert_eq!(
        all.locations(),
        [
            "build/out.env:1:16",
            "notes/todo.txt:1:7",
            "src/app.env:1:14"
        ]
    );
    all.assert_no_secret(&fake::openai_project());
}

#[test]
fn a_subdirectory_limits_the_scan_and_keeps_repository_paths() {
    let repo = TestRepo::new();
    repo.stage("a/k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.stage("b/k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat2()));
    let run = repo.keyhook(&["scan", "b"]);
    assert_eq!(run.locations(), ["b/k.env:1:14"]);
}

/// A symlink is scanned as what git commits for it, its target text (line
/// 1 of the link's path), and is never followed: a key in the file it points
/// to is that file's, reported only when that file is scanned itself.
#[cfg(unix)]
#[test]
fn a_symlink_is_scanned_as_its_target_text_and_never_followed() {
    let repo = TestRepo::new();
    let outside = TestRepo::empty_dir();
    let secret_file = outside.write(
        "secret.env",
        format!("GITHUB_TOKEN={}\n", fake::github_pat2()),
    );
    let link = |target: &str, rel: &str| {
        std::os::unix::fs::symlink(target, repo.path().join(rel)).unwrap();
    };
    link(
        &format!("GITHUB_TOKEN={}", fake::github_pat()),
        "tracked-link",
    );
    link(secret_file.to_str().unwrap(), "to-outside");
    repo.git(&["add", "tracked-link", "to-outside"]);
    link(&format!("token {}", fake::github_pat()), "untracked-link");
    let run = repo.keyhook(&["scan"]);
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "{}keyhook: found 1 secret in 1 file\n",
        pat_block("tracked-link:1:14")
    );
    assert_eq!(run.stderr, expected);
    let all = repo.keyhook(&["scan", "--all-files"]);
    assert_eq!(all.locations(), ["tracked-link:1:14", "untracked-link:1:7"]);
    all.assert_no_secret(&fake::github_pat2());
}

#[test]
fn a_clean_tree_says_what_it_covered() {
    let repo = TestRepo::new();
    repo.stage("a.txt", "hello\n");
    repo.stage("b.txt", "world\n");
    let run = repo.keyhook(&["scan"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "keyhook: no secrets found (2 files scanned)\n")
    );
}

#[test]
fn a_plain_directory_is_walked_without_entering_git_directories() {
    let dir = TestRepo::empty_dir();
    dir.write("app/.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    // A vendored checkout's own .git holds packed objects, not the project's files.
    dir.write(
        "vendor/lib/.git/packed-refs",
        format!("GITHUB_TOKEN={}\n", fake::github_pat2()),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/target", dir.path().join("dangling")).unwrap();
    let run = dir.keyhook(&["scan"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app/.env:1:14"]);
    assert!(run.stderr.ends_with("keyhook: found 1 secret in 1 file\n"));
    // The same with an explicit path, from elsewhere.
    let other = TestRepo::empty_dir();
    let run = other.keyhook(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(run.locations(), ["app/.env:1:14"]);
}

/// A tracked file that is a directory on disk (someone replaced it without
/// committing) cannot be read: `read` fails with EISDIR. Tests run as root, so
/// permissions cannot make a file unreadable; this is a real OS error that
/// does not depend on privileges.
#[test]
fn an_unreadable_file_is_reported_the_scan_goes_on_and_exits_2() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("config/app.env", "LOG=1\n");
    repo.stage("src/k.env", format!("GITHUB_TOKEN={key}\n"));
    repo.commit("init");
    repo.remove("config/app.env");
    std::fs::create_dir(repo.path().join("config/app.env")).unwrap();
    let run = repo.keyhook(&["scan"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected = format!(
        "{}keyhook: could not read: config/app.env: Is a directory (os error 21)\nkeyhook: found 1 secret in 1 file\nkeyhook: scan incomplete: 1 path could not be read (exit code 2)\n",
        pat_block("src/k.env:1:14")
    );
    assert_eq!(run.stderr, expected);
    let json = repo.keyhook(&["scan", "--format", "json"]);
    assert_eq!(json.code, 2);
    let doc = super::json(&json);
    assert_eq!(doc["summary"]["complete"], false);
    assert_eq!(
        doc["skipped"]["unreadable"],
        serde_json::json!([{"path": "config/app.env", "error": "Is a directory (os error 21)"}])
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_tracked_file_is_reported_not_waited_on() {
    let repo = TestRepo::new();
    repo.stage("pipe", "was a file\n");
    repo.commit("init");
    repo.remove("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(repo.path().join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = repo.keyhook(&["scan"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "keyhook: could not read: pipe: not a regular file (a FIFO, socket or device)\nkeyhook: scan incomplete: 1 path could not be read (exit code 2)\n"
    );
}

#[test]
fn config_skip_paths_and_size_limit_apply() {
    let repo = TestRepo::new();
    repo.write(
        ".keyhook.toml",
        "skip_paths = [\"vendor/**\"]\nmax_file_size = 1000\n",
    );
    repo.stage(
        "vendor/x.env",
        format!("GITHUB_TOKEN={}\n", fake::github_pat()),
    );
    repo.stage("big.txt", "y".repeat(5000));
    let run = repo.keyhook(&["scan", "--all-files"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "keyhook: not scanned: big.txt (0.0 MiB, over the size limit; raise `max_file_size` in .keyhook.toml to scan it)\nkeyhook: no secrets found (1 file scanned)\n"
    );
}

#[test]
fn a_missing_path_is_a_one_line_error() {
    let dir = TestRepo::empty_dir();
    let run = dir.keyhook(&["scan", "no/such/dir"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("keyhook: error: no/such/dir: cannot open"),
        "{}",
        run.stderr
    );
}
