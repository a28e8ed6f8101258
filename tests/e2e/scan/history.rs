//! `keyhook scan --history`: every commit of every ref, each finding once at
//! the oldest commit that introduced it, pushed or not; bad repositories.

use crate::harness::{fake, TestRepo};

fn rev(repo: &TestRepo, r: &str) -> String {
    repo.git(&["rev-parse", r]).trim().to_string()
}

/// The `in: commit` lines of a human report, in order.
fn commits(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("    in: commit "))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_key_added_then_deleted_is_found_naming_the_commit_that_added_it() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("app.env", "LOG=1\n");
    repo.commit("init");
    repo.stage("app.env", format!("LOG=1\nGITHUB_TOKEN={key}\n"));
    repo.commit("add token");
    let added = rev(&repo, "HEAD");
    repo.stage("app.env", format!("LOG=2\nGITHUB_TOKEN={key}\n"));
    repo.commit("more logging");
    repo.git(&["rm", "-q", "app.env"]);
    repo.commit("remove the token");
    let run = repo.keyhook(&["scan", "--history"]);
    run.assert_no_secret(&key);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "\
app.env:2:14  GitHub personal access token  ghp_R8xZ****************
    in: commit {} add token
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder; commit {} is on no remote-tracking branch yet
    fix: before pushing, rewrite the local commits to drop it (`git rebase -i`), move the value to an environment variable or a secret manager, and rotate the key if it was shared in any other way
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: found 1 secret in 1 file
",
        &added[..10],
        &added[..10]
    );
    assert_eq!(run.stderr, expected);
    // The work tree is clean: a tree scan finds nothing.
    assert_eq!(repo.keyhook(&["scan"]).code, 0);
}

/// A symlink's target is the content git commits for it: the history scan
/// finds a key there at the commit that added the link, once, even after the
/// link moved and was deleted.
#[cfg(unix)]
#[test]
fn a_key_in_a_symlink_target_is_found_at_the_commit_that_added_it() {
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    let target = format!("GITHUB_TOKEN={}", fake::github_pat());
    std::os::unix::fs::symlink(&target, repo.path().join("link")).unwrap();
    repo.git(&["add", "link"]);
    repo.commit("add link");
    let added = rev(&repo, "HEAD");
    repo.git(&["mv", "link", "moved"]);
    repo.commit("move link");
    repo.git(&["rm", "-q", "moved"]);
    repo.commit("remove link");
    let run = repo.keyhook(&["scan", "--history"]);
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["link:1:14"]);
    assert_eq!(commits(&run.stderr), [format!("{} add link", &added[..10])]);
}

#[test]
fn every_ref_is_walked_and_a_shared_key_is_reported_once_at_the_oldest_commit() {
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.stage("k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("feature key");
    let first = rev(&repo, "HEAD");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("x.txt", "x\n");
    repo.commit("main work");
    repo.git(&["merge", "-q", "--no-edit", "feature"]);
    // A tag-only commit, not on any branch.
    repo.git(&["checkout", "-q", "--detach"]);
    repo.stage("t.env", format!("TOKEN={}\n", fake::github_pat2()));
    repo.commit("tagged only");
    let tagged = rev(&repo, "HEAD");
    repo.git(&["tag", "v1"]);
    repo.git(&["checkout", "-q", "main"]);
    let run = repo.keyhook(&["scan", "--history"]);
    assert_eq!(run.locations(), ["k.env:1:14", "t.env:1:7"]);
    assert_eq!(
        commits(&run.stderr),
        [
            format!("{} feature key", &first[..10]),
            format!("{} tagged only", &tagged[..10])
        ]
    );
}

#[test]
fn a_conflict_resolution_in_a_merge_commit_is_scanned() {
    let repo = TestRepo::new();
    repo.stage("conf.txt", "one\nvalue = base\nthree\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.stage("conf.txt", "one\nvalue = side\nthree\n");
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("conf.txt", "one\nvalue = main\nthree\n");
    repo.commit("main");
    assert_ne!(repo.git_run(&["merge", "-q", "side"]).code, 0);
    repo.stage(
        "conf.txt",
        format!("one\nvalue = merged {}\nthree\n", fake::github_pat()),
    );
    repo.git(&["commit", "-q", "--no-verify", "-m", "merge side"]);
    let merge = rev(&repo, "HEAD");
    let run = repo.keyhook(&["scan", "--history"]);
    assert_eq!(run.locations(), ["conf.txt:2:16"]);
    assert_eq!(
        commits(&run.stderr),
        [format!("{} merge side", &merge[..10])]
    );
}

#[test]
fn a_pushed_commit_says_rotate_and_an_unpushed_one_does_not() {
    let remote = TestRepo::empty_dir();
    remote.git(&["init", "-q", "--bare", "r.git"]);
    let repo = TestRepo::new();
    repo.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("pushed key");
    let url = remote.path().join("r.git");
    repo.git(&["remote", "add", "origin", url.to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo.stage("b.env", format!("GITHUB_TOKEN={}\n", fake::github_pat2()));
    repo.commit("local key");
    let run = repo.keyhook(&["scan", "--history", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fake::github_pat());
    let doc = super::json(&run);
    let f = doc["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["commit"]["subject"], "pushed key");
    assert_eq!(f[0]["commit"]["pushed"], true);
    assert!(f[0]["fix"]
        .as_str()
        .unwrap()
        .starts_with("this key has been pushed: removing it is not enough, rotate it"));
    assert_eq!(f[1]["commit"]["subject"], "local key");
    assert_eq!(f[1]["commit"]["pushed"], false);
    let v = super::schema::violations(&super::schema::report_schema(), &doc);
    assert_eq!(v, Vec::<String>::new());
}

#[test]
fn since_hides_the_revision_and_its_ancestors() {
    let repo = TestRepo::new();
    repo.stage("old.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("old");
    repo.git(&["tag", "reviewed"]);
    repo.stage("new.env", format!("GITHUB_TOKEN={}\n", fake::github_pat2()));
    repo.commit("new");
    let run = repo.keyhook(&["scan", "--history", "--since", "reviewed"]);
    assert_eq!(run.locations(), ["new.env:1:14"]);
    let bad = repo.keyhook(&["scan", "--history", "--since", "nope"]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("--since nope: not a commit here"),
        "{}",
        bad.stderr
    );
}

#[test]
fn a_100_mb_blob_is_named_not_read_and_binaries_are_counted() {
    let repo = TestRepo::new();
    let line = "let value = compute(alpha, beta, gamma); // generated filler\n";
    let mut big = line.repeat(100 * 1024 * 1024 / line.len() + 1);
    big.push_str(&format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.stage("data/huge.txt", &big);
    drop(big);
    let mut bin = b"\x00\x01\x02GITHUB_TOKEN=".to_vec();
    bin.extend(fake::github_pat2().as_bytes());
    repo.stage("img/logo.bin", &bin);
    repo.stage("ok.txt", "fine\n");
    repo.commit("big and binary");
    let run = repo.keyhook(&["scan", "--history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "keyhook: not scanned: data/huge.txt (100.0 MiB, over the size limit; raise `max_file_size` in .keyhook.toml to scan it)\nkeyhook: 1 file not scanned (binary content)\nkeyhook: no secrets found (1 file scanned)\n"
    );
}

#[test]
fn a_lowered_size_limit_names_each_oversized_version() {
    let repo = TestRepo::new();
    repo.write(".keyhook.toml", "max_file_size = 1000\n");
    repo.stage("log.txt", "z".repeat(2000));
    repo.commit("one");
    repo.stage("log.txt", "w".repeat(3000));
    repo.commit("two");
    let run = repo.keyhook(&["scan", "--history", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        super::json(&run)["skipped"]["too_large"],
        serde_json::json!([{"path": "log.txt", "size": 2000}, {"path": "log.txt", "size": 3000}])
    );
}

#[test]
fn thousands_of_refs_are_fine() {
    let repo = TestRepo::new();
    repo.stage("k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("key");
    repo.stage("a.txt", "a\n");
    repo.commit("more");
    let (a, b) = (rev(&repo, "HEAD~1"), rev(&repo, "HEAD"));
    let mut stdin = String::new();
    for i in 0..3000 {
        let target = if i % 2 == 0 { &a } else { &b };
        stdin.push_str(&format!("create refs/heads/branch-{i} {target}\n"));
        stdin.push_str(&format!("create refs/tags/t{i} {target}\n"));
    }
    let mut c = repo.command("git", repo.path());
    c.args(["update-ref", "--stdin"])
        .stdin(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let run = repo.keyhook(&["scan", "--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["k.env:1:14"]);
}

#[test]
fn a_shallow_clone_scans_what_it_has() {
    let src = TestRepo::new();
    src.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    src.commit("one");
    src.stage("b.env", format!("GITHUB_TOKEN={}\n", fake::github_pat2()));
    src.commit("two");
    src.stage("c.txt", "c\n");
    src.commit("three");
    let dst = TestRepo::empty_dir();
    let url = format!("file://{}", src.path().display());
    dst.git(&["clone", "-q", "--depth", "1", &url, "clone"]);
    let clone = dst.path().join("clone");
    let run = dst.keyhook_in(&clone, &["scan", "--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The boundary commit has no parent here: everything in it is new to us.
    assert_eq!(run.locations(), ["a.env:1:14", "b.env:1:14"]);
    assert!(commits(&run.stderr).iter().all(|c| c.ends_with(" three")));
    let deeper = TestRepo::empty_dir();
    deeper.git(&["clone", "-q", "--depth", "2", &url, "clone"]);
    let run = deeper.keyhook_in(&deeper.path().join("clone"), &["scan", "--history"]);
    assert_eq!(run.locations(), ["a.env:1:14", "b.env:1:14"]);
    let subjects: Vec<String> = commits(&run.stderr)
        .iter()
        .map(|c| c.split_once(' ').unwrap().1.to_string())
        .collect();
    assert_eq!(subjects, ["two", "two"]);
}

#[test]
fn a_bare_repository_and_an_empty_one_work() {
    let src = TestRepo::new();
    src.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    src.commit("one");
    let dir = TestRepo::empty_dir();
    dir.git(&[
        "clone",
        "-q",
        "--bare",
        src.path().to_str().unwrap(),
        "b.git",
    ]);
    let run = dir.keyhook_in(&dir.path().join("b.git"), &["scan", "--history"]);
    assert_eq!(run.locations(), ["a.env:1:14"]);
    let empty = TestRepo::new();
    let run = empty.keyhook(&["scan", "--history"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "keyhook: no secrets found (0 files scanned)\n")
    );
}
