//! `keyhook pre-push` through real `git push` to a bare repository on disk:
//! what `git commit --no-verify` let through is stopped before it leaves, and
//! the remote stays unchanged.

use crate::harness::{fake, run_with_stdin, Run, TestRepo, KEYHOOK};

/// A work repository with keyhook installed, pushing to a bare `origin`.
struct Pushing {
    repo: TestRepo,
    remote: TestRepo,
}

impl Pushing {
    /// One clean commit, already on `origin/main`.
    fn new() -> Pushing {
        let remote = TestRepo::empty_dir();
        remote.git(&["init", "-q", "--bare"]);
        let repo = TestRepo::new();
        let run = repo.keyhook(&["install", "--no-gitignore"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
        repo.stage("README", "hello\n");
        repo.commit("init");
        repo.git(&["push", "-q", "-u", "origin", "main"]);
        Pushing { repo, remote }
    }

    /// Commits `contents` to `path`, bypassing the pre-commit hook.
    fn commit_file(&self, path: &str, contents: &str, msg: &str) -> String {
        self.repo.stage(path, contents);
        self.repo.commit(msg);
        self.short("HEAD")
    }

    fn short(&self, rev: &str) -> String {
        self.repo
            .git(&["rev-parse", "--short=10", rev])
            .trim()
            .to_string()
    }

    fn push(&self, args: &[&str]) -> Run {
        let mut a = vec!["push", "-q"];
        a.extend_from_slice(args);
        self.repo.git_run(&a)
    }

    /// What the remote's `rev` is, if it exists.
    fn remote_rev(&self, rev: &str) -> Option<String> {
        let r = self.remote.git_run(&["rev-parse", "-q", "--verify", rev]);
        (r.code == 0).then(|| r.stdout.trim().to_string())
    }

    fn push_failed_line(&self) -> String {
        format!(
            "error: failed to push some refs to '{}'\n",
            self.remote.path().display()
        )
    }
}

fn key_line() -> String {
    format!("GITHUB_TOKEN={}\n", fake::github_pat())
}

/// One finding block for the fake GitHub token at `path:line:14`.
fn finding(path: &str, line: u32, short: &str, subject: &str) -> String {
    format!(
        "\
{path}:{line}:14  GitHub personal access token  ghp_R8xZ****************
    in: commit {short} {subject}
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

"
    )
}

/// The summary and advice for one secret in one commit.
fn blocked_one(short: &str, subject: &str, rebase: &str) -> String {
    format!(
        "\
keyhook: push blocked: 1 secret in 1 file
    in 1 commit not yet on origin:
      {short} {subject}
    fix: take the secret out of these commits before pushing: `git commit --amend` when it is the last commit, otherwise `{rebase}`, mark them `edit`, remove the secret, amend, `git rebase --continue`; then push again
         if the key ever left this machine (an earlier push, a shared branch, a CI log), rotate it: rewriting history does not revoke it
"
    )
}

#[test]
fn a_key_committed_with_no_verify_blocks_the_push_and_the_remote_is_unchanged() {
    let p = Pushing::new();
    let before = p.remote_rev("main");
    let id = p.commit_file("k.env", &key_line(), "add settings");
    let run = p.push(&["origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "{}{}{}",
            finding("k.env", 1, &id, "add settings"),
            blocked_one(&id, "add settings", &format!("git rebase -i {id}~1")),
            p.push_failed_line()
        )
    );
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(p.remote_rev("main"), before);
}

/// A symlink's target is committed content (its one line): a key there is
/// stopped like any other, and a later commit that only moves the link adds
/// nothing, as `git show` would show it.
#[cfg(unix)]
#[test]
fn a_key_in_a_symlink_target_blocks_the_push_and_a_moved_link_does_not() {
    let p = Pushing::new();
    let before = p.remote_rev("main");
    std::os::unix::fs::symlink(key_line().trim_end(), p.repo.path().join("link")).unwrap();
    p.repo.git(&["add", "link"]);
    p.repo.commit("add link");
    let id = p.short("HEAD");
    let run = p.push(&["origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "{}{}{}",
            finding("link", 1, &id, "add link"),
            blocked_one(&id, "add link", &format!("git rebase -i {id}~1")),
            p.push_failed_line()
        )
    );
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(p.remote_rev("main"), before);
    p.repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    p.repo.git(&["mv", "link", "moved"]);
    p.repo.commit("move link");
    let run = p.push(&["origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_clean_push_succeeds_and_updates_the_remote() {
    let p = Pushing::new();
    p.commit_file("src/lib.rs", "pub fn f() {}\n", "add f");
    let run = p.push(&["origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        p.remote_rev("main"),
        Some(p.repo.git(&["rev-parse", "HEAD"]).trim().to_string())
    );
}

#[test]
fn a_new_branch_checks_only_the_commits_the_remote_lacks() {
    let p = Pushing::new();
    // An old key the remote already has (pushed past the hook) is not new.
    p.commit_file("old.env", &key_line(), "old key");
    p.repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    p.repo.git(&["checkout", "-q", "-b", "feature"]);
    p.commit_file("a.txt", "a\n", "clean work");
    let run = p.push(&["-u", "origin", "feature"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    p.repo.git(&["checkout", "-q", "-b", "feature2"]);
    p.commit_file("b.txt", "b\n", "more work");
    let id = p.commit_file("new.env", &format!("X=1\n{}", key_line()), "new key");
    let run = p.push(&["origin", "feature2"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "{}{}{}",
            finding("new.env", 2, &id, "new key"),
            blocked_one(&id, "new key", &format!("git rebase -i {id}~1")),
            p.push_failed_line()
        )
    );
    assert_eq!(p.remote_rev("feature2"), None);
}

#[test]
fn a_first_push_of_a_whole_history_checks_the_root_commit() {
    let remote = TestRepo::empty_dir();
    remote.git(&["init", "-q", "--bare"]);
    let repo = TestRepo::new();
    repo.keyhook(&["install", "--no-gitignore"]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.stage("k.env", key_line());
    repo.commit("root with key");
    repo.stage("a.txt", "a\n");
    repo.commit("second");
    let root = repo.git(&["rev-parse", "--short=10", "HEAD~1"]);
    let run = repo.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!(run.code, 1);
    assert!(run
        .stderr
        .starts_with(&finding("k.env", 1, root.trim(), "root with key")));
    assert!(
        run.stderr.contains("otherwise `git rebase -i --root`"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_pushed_ref_is_checked_and_a_shared_commit_is_reported_once() {
    let p = Pushing::new();
    p.repo.git(&["checkout", "-q", "-b", "a"]);
    let k1 = p.commit_file("a.env", &key_line(), "key on a");
    p.repo.git(&["checkout", "-q", "-b", "b"]);
    p.commit_file("b.txt", "b\n", "clean on b");
    p.repo.git(&["checkout", "-q", "main"]);
    p.repo.git(&["checkout", "-q", "-b", "c"]);
    let k2 = p.commit_file("c.env", &key_line(), "key on c");
    // main is first and up to date; other tools stop after the first ref.
    let run = p.push(&["origin", "main", "a", "b", "c"]);
    assert_eq!(run.code, 1);
    let mut locations = run.locations();
    locations.sort();
    assert_eq!(locations, ["a.env:1:14", "c.env:1:14"]);
    assert_eq!(run.stderr.matches(&format!("in: commit {k1} ")).count(), 1);
    assert_eq!(run.stderr.matches(&format!("in: commit {k2} ")).count(), 1);
    assert!(
        run.stderr.contains(
            "keyhook: push blocked: 2 secrets in 2 files\n    in 2 commits not yet on origin:\n"
        ),
        "{}",
        run.stderr
    );
    for b in ["a", "b", "c"] {
        assert_eq!(p.remote_rev(b), None);
    }
}

#[test]
fn a_force_push_checks_the_rewritten_commits() {
    let p = Pushing::new();
    p.commit_file("a.txt", "a\n", "work");
    p.push(&["origin", "main"]);
    let before = p.remote_rev("main");
    p.repo.stage("k.env", key_line());
    p.repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--amend",
        "-m",
        "work, amended",
    ]);
    let id = p.short("HEAD");
    let run = p.push(&["--force", "origin", "main"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["k.env:1:14"]);
    assert!(run
        .stderr
        .contains(&format!("    in: commit {id} work, amended\n")));
    assert_eq!(p.remote_rev("main"), before);

    p.repo.git(&["rm", "-q", "k.env"]);
    p.repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--amend",
        "-m",
        "work, clean",
    ]);
    let run = p.push(&["--force", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_ne!(p.remote_rev("main"), before);
}

#[test]
fn a_tag_on_an_unpushed_key_is_checked_and_one_on_pushed_history_is_not() {
    let p = Pushing::new();
    p.repo.git(&["tag", "v0"]);
    let run = p.push(&["origin", "v0"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let id = p.commit_file("k.env", &key_line(), "release settings");
    p.repo.git(&["tag", "-a", "v1", "-m", "release 1"]);
    let run = p.push(&["origin", "v1"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["k.env:1:14"]);
    assert!(run
        .stderr
        .contains(&format!("    in: commit {id} release settings\n")));
    assert_eq!(p.remote_rev("v1"), None);
}

#[test]
fn a_branch_deletion_is_skipped() {
    let p = Pushing::new();
    p.repo.git(&["checkout", "-q", "-b", "leak"]);
    p.commit_file("k.env", &key_line(), "oops");
    p.repo.git(&["push", "-q", "--no-verify", "origin", "leak"]);
    assert!(p.remote_rev("leak").is_some());
    let run = p.push(&["origin", "--delete", "leak"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(p.remote_rev("leak"), None);
}

#[test]
fn a_shallow_clone_is_checked_without_needing_the_missing_history() {
    let p = Pushing::new();
    p.commit_file("old.env", &key_line(), "old key");
    p.commit_file("a.txt", "a\n", "later");
    p.repo.git(&["push", "-q", "--no-verify", "origin", "main"]);

    let clone = TestRepo::empty_dir();
    let url = format!("file://{}", p.remote.path().display());
    clone.git(&["clone", "-q", "--depth", "1", &url, "."]);
    assert_eq!(
        clone.git(&["rev-parse", "--is-shallow-repository"]),
        "true\n"
    );
    clone.keyhook(&["install", "--no-gitignore"]);

    clone.stage("new.env", key_line());
    clone.commit("new key");
    let id = clone.git(&["rev-parse", "--short=10", "HEAD"]);
    let before = p.remote_rev("main");
    let run = clone.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["new.env:1:14"]);
    assert!(run
        .stderr
        .contains(&format!("    in: commit {} new key\n", id.trim())));
    assert_eq!(p.remote_rev("main"), before);

    // Clean work to a new branch, then to main: the shallow boundary commit
    // (a root here, whose whole tree holds the old key) is on the remote and
    // must not be checked again.
    clone.git(&["reset", "-q", "--hard", "HEAD~1"]);
    clone.stage("b.txt", "b\n");
    clone.commit("clean");
    let run = clone.git_run(&["push", "-q", "origin", "main:refs/heads/topic"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(p.remote_rev("topic").is_some());
    let run = clone.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_key_added_by_a_merge_conflict_resolution_is_caught() {
    let p = Pushing::new();
    p.commit_file("conf.txt", "one\nvalue = base\nthree\n", "base");
    p.push(&["origin", "main"]);
    p.repo.git(&["checkout", "-q", "-b", "side"]);
    p.commit_file("conf.txt", "one\nvalue = side\nthree\n", "side");
    p.repo.git(&["checkout", "-q", "main"]);
    p.commit_file("conf.txt", "one\nvalue = main\nthree\n", "main");
    assert_ne!(p.repo.git_run(&["merge", "-q", "side"]).code, 0);
    p.repo.stage(
        "conf.txt",
        format!("one\nvalue = {}\nthree\n", fake::github_pat()),
    );
    p.repo
        .git(&["commit", "-q", "--no-verify", "-m", "merge side"]);
    let id = p.short("HEAD");
    let run = p.push(&["origin", "main"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["conf.txt:2:9"]);
    assert!(run
        .stderr
        .contains(&format!("    in: commit {id} merge side\n")));
}

#[test]
fn an_inline_allow_lets_the_push_through() {
    let p = Pushing::new();
    p.commit_file(
        "k.env",
        &format!("GITHUB_TOKEN={} # keyhook:allow\n", fake::github_pat()),
        "documented test token",
    );
    let run = p.push(&["origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

/// Runs `keyhook pre-push origin <url>` directly with `input` on stdin.
fn pre_push_direct(p: &Pushing, input: &str, env: &[(&str, String)]) -> Run {
    let mut cmd = p.repo.command(KEYHOOK, p.repo.path());
    cmd.args(["pre-push", "origin", p.remote.path().to_str().unwrap()]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_stdin(cmd, input.as_bytes())
}

#[test]
fn malformed_or_unknown_stdin_is_an_error_naming_the_line() {
    let p = Pushing::new();
    let run = pre_push_direct(&p, "refs/heads/main deadbeef\n", &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "keyhook: error: stdin:1: expected `<local ref> <local oid> <remote ref> <remote oid>` (the line git gives a pre-push hook), got \"refs/heads/main deadbeef\"\n"
    );
    let missing = "1234567890123456789012345678901234567890";
    let zero = "0".repeat(40);
    let run = pre_push_direct(
        &p,
        &format!("refs/heads/x {missing} refs/heads/x {zero}\n"),
        &[],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!("keyhook: error: refs/heads/x: object {missing} is not in this repository (git names it as being pushed; run `git fsck`)\n")
    );
    // Deletions only, or nothing at all: nothing to check.
    let head = p.repo.git(&["rev-parse", "HEAD"]);
    let run = pre_push_direct(
        &p,
        &format!("(delete) {zero} refs/heads/old {}", head.trim()),
        &[],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let run = pre_push_direct(&p, "", &[]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn under_the_pre_commit_framework_the_range_comes_from_the_environment() {
    let p = Pushing::new();
    let id = p.commit_file("k.env", &key_line(), "key");
    let env = [
        ("PRE_COMMIT_FROM_REF", "origin/main".to_string()),
        ("PRE_COMMIT_TO_REF", "HEAD".to_string()),
        ("PRE_COMMIT_REMOTE_NAME", "origin".to_string()),
    ];
    let run = pre_push_direct(&p, "", &env);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["k.env:1:14"]);
    assert!(run.stderr.contains(&format!("    in: commit {id} key\n")));
    // A new branch: no FROM_REF, the remote-tracking refs bound the walk.
    let run = pre_push_direct(&p, "", &[env[1].clone(), env[2].clone()]);
    assert_eq!(run.locations(), ["k.env:1:14"]);
}

#[test]
fn a_chained_pre_push_hook_gets_the_same_stdin_and_arguments() {
    let remote = TestRepo::empty_dir();
    remote.git(&["init", "-q", "--bare"]);
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-push");
    std::fs::write(
        &hook,
        "#!/bin/sh\ncat > pushed.txt\necho \"$@\" > args.txt\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    repo.keyhook(&["install", "--no-gitignore"]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.stage("a.txt", "a\n");
    repo.commit("a");
    let run = repo.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        std::fs::read_to_string(repo.path().join("pushed.txt")).unwrap(),
        format!(
            "refs/heads/main {} refs/heads/main {}\n",
            head.trim(),
            "0".repeat(40)
        )
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("args.txt")).unwrap(),
        format!("origin {}\n", remote.path().display())
    );
}

#[test]
fn with_husky_the_rest_of_the_pre_push_script_still_reads_git_stdin() {
    let repo = crate::hook_managers::husky_repo();
    repo.write(".husky/pre-push", "cat > pushed.txt\n");
    repo.keyhook(&["install", "--no-gitignore"]);
    let remote = TestRepo::empty_dir();
    remote.git(&["init", "-q", "--bare"]);
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.stage("a.txt", "a\n");
    repo.commit("a");
    let run = repo.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        std::fs::read_to_string(repo.path().join("pushed.txt")).unwrap(),
        format!(
            "refs/heads/main {} refs/heads/main {}\n",
            head.trim(),
            "0".repeat(40)
        )
    );

    repo.stage("k.env", key_line());
    repo.commit("key");
    let run = repo.git_run(&["push", "-q", "origin", "main"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["k.env:1:14"]);
}
