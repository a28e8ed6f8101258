//! The bytes judged are the bytes git commits: states where the work tree
//! still looks staged (equal stat data) but holds other bytes than the blob
//! (issue 10, part 1). Each of these passed with exit 0 before the work-tree
//! shortcut required the file to hash to the staged blob id.

use crate::harness::{fake, TestRepo};

/// A clean filter that writes `key` into `*.env` files as they are staged.
fn inject_filter(repo: &TestRepo, key: &str) {
    repo.git(&[
        "config",
        "filter.inject.clean",
        &format!("sed s/PLACEHOLDER/{key}/"),
    ]);
    repo.git(&["config", "filter.inject.smudge", "cat"]);
}

/// The staged blob at `path` holds `key` (the state under test is real).
fn assert_staged_holds(repo: &TestRepo, path: &str, key: &str) {
    let blob = repo.git(&["cat-file", "-p", &format!(":{path}")]);
    assert!(blob.contains(key), "the filter did not run on {path}");
}

#[test]
fn a_clean_filter_whose_gitattributes_is_gone_still_scans_the_blob() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    inject_filter(&repo, &key);
    repo.stage(".gitattributes", "*.env filter=inject\n");
    repo.stage("app.env", "GITHUB_TOKEN=PLACEHOLDER\n");
    // The attributes leave the work tree and the index; the blob keeps the
    // filtered bytes and the work-tree file its stat data.
    repo.git(&["rm", "-q", "--cached", ".gitattributes"]);
    repo.remove(".gitattributes");
    assert_staged_holds(&repo, "app.env", &key);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app.env:1:14"]);
    run.assert_no_secret(&key);
}

#[test]
fn a_clean_filter_from_attr_tree_still_scans_the_blob() {
    let repo = TestRepo::new();
    let version = repo.git(&["version"]);
    let (major, minor) = git_version(&version);
    if (major, minor) < (2, 42) {
        println!("skipped: attr.tree needs git 2.42 or later, this is {version}");
        return;
    }
    let key = fake::github_pat();
    inject_filter(&repo, &key);
    // A tree holding the attributes, and no .gitattributes anywhere else.
    repo.stage(".gitattributes", "*.env filter=inject\n");
    let tree = repo.git(&["write-tree"]);
    repo.git(&["rm", "-q", "--cached", ".gitattributes"]);
    repo.remove(".gitattributes");
    repo.git(&["config", "attr.tree", tree.trim()]);
    repo.stage("app.env", "GITHUB_TOKEN=PLACEHOLDER\n");
    assert_staged_holds(&repo, "app.env", &key);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app.env:1:14"]);
    run.assert_no_secret(&key);
}

#[test]
fn two_stage0_entries_for_one_path_are_both_judged_as_git_diffs_them() {
    // git diff --cached shows both entries (the first as a modification, the
    // second as a new file) and write-tree commits both: the second one's
    // key must block although the work-tree file matches the first's stat.
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("a", "base\n");
    repo.commit("base");
    repo.stage("a", "clean\n");
    repo.stage("b", format!("GITHUB_TOKEN={key}\n"));
    let index = repo.path().join(".git/index");
    let mut bytes = std::fs::read(&index).unwrap();
    // The second entry's one-byte path `b` becomes `a`; entries stay sorted.
    let at = (12 + 62..bytes.len())
        .find(|&i| bytes[i - 2..i] == [0, 1] && bytes[i..i + 2] == *b"b\0")
        .expect("entry b");
    bytes[at] = b'a';
    // A zero checksum: git (and keyhook) do not verify it (index.skipHash).
    let n = bytes.len();
    bytes[n - 20..].fill(0);
    std::fs::write(&index, bytes).unwrap();
    repo.remove("b");
    let diff = repo.git(&["diff", "--cached", "--no-color"]);
    assert!(diff.contains("new file mode"), "{diff}");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["a:1:14"]);
    run.assert_no_secret(&key);
}

/// `git version 2.47.3` → (2, 47).
pub fn git_version(version: &str) -> (u32, u32) {
    let mut parts = version
        .split_whitespace()
        .nth(2)
        .unwrap_or("0.0")
        .split('.')
        .map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}
