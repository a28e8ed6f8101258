//! `keyhook pre-receive` as a real server hook: a bare repository with
//! `hooks/pre-receive` running the binary, and real `git push`es to it from a
//! clone. git shows the hook's stderr as `remote:` lines and leaves every ref
//! where it was when the hook refuses.

use crate::harness::{fake, Run, TestRepo, KEYHOOK};

/// A clone pushing to a bare `origin` whose pre-receive hook runs keyhook.
struct Server {
    client: TestRepo,
    server: TestRepo,
}

impl Server {
    /// One clean commit on `main`, already on the server.
    fn new() -> Server {
        let server = TestRepo::empty_dir();
        server.git(&["init", "-q", "--bare"]);
        let client = TestRepo::new();
        client.git(&["remote", "add", "origin", server.path().to_str().unwrap()]);
        let s = Server { client, server };
        s.arm();
        s.client.stage("README", "hello\n");
        s.client.commit("init");
        s.client.git(&["push", "-q", "origin", "main"]);
        s
    }

    fn hook(&self) -> std::path::PathBuf {
        self.server.path().join("hooks/pre-receive")
    }

    /// Installs the hook as the README tells a server admin to.
    fn arm(&self) {
        std::fs::write(
            self.hook(),
            format!("#!/bin/sh\nexec '{KEYHOOK}' pre-receive\n"),
        )
        .unwrap();
        chmod_x(&self.hook());
    }

    /// Removes it, to give the server history that got there before keyhook.
    fn disarm(&self) {
        std::fs::remove_file(self.hook()).unwrap();
    }

    fn commit_file(&self, path: &str, contents: &str, msg: &str) -> String {
        self.client.stage(path, contents);
        self.client.commit(msg);
        self.rev("HEAD")
    }

    fn rev(&self, rev: &str) -> String {
        self.client
            .git(&["rev-parse", "--short=10", rev])
            .trim()
            .to_string()
    }

    fn push(&self, args: &[&str]) -> Run {
        let mut a = vec!["push"];
        a.extend_from_slice(args);
        self.client.git_run(&a)
    }

    /// The server's `rev`, if it exists.
    fn server_rev(&self, rev: &str) -> Option<String> {
        let r = self
            .server
            .git_run(&["rev-parse", "-q", "--verify", &format!("{rev}^{{commit}}")]);
        (r.code == 0).then(|| r.stdout.trim().to_string())
    }

    fn client_rev(&self, rev: &str) -> String {
        self.client.git(&["rev-parse", rev]).trim().to_string()
    }
}

fn chmod_x(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn key_line() -> String {
    format!("GITHUB_TOKEN={}\n", fake::github_pat())
}

/// What the hook printed: the `remote:` lines without the prefix and git's
/// end-of-line padding.
fn remote_lines(run: &Run) -> String {
    let mut out = String::new();
    for l in run.stderr.lines() {
        if let Some(rest) = l.strip_prefix("remote:") {
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest).trim_end());
            out.push('\n');
        }
    }
    out
}

/// The report for the fake GitHub token at `path:line:14` in one commit,
/// pushed to `refs`.
fn rejected(path: &str, line: u32, short: &str, subject: &str, refs: &str) -> String {
    format!(
        "\
{path}:{line}:14  GitHub personal access token  ghp_R8xZ****************
    in: commit {short} {subject}
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: push blocked: 1 secret in 1 file
    the server rejected the whole push (no ref was updated); the findings are in commits pushed to {refs}
    fix: rewrite those commits without the secret (`git commit --amend`, or `git rebase -i <commit>~1`, mark them `edit`), then push again; `git push --no-verify` does not skip this check, it runs on the server
         the key has left your machine only as far as this rejected push, but rotate it if it was shared anywhere else
"
    )
}

#[test]
fn a_key_in_a_new_branch_is_rejected_with_its_path_and_line() {
    let s = Server::new();
    s.client.git(&["checkout", "-q", "-b", "feature"]);
    s.commit_file("a.txt", "a\n", "clean work");
    let id = s.commit_file("k.env", &format!("X=1\n{}", key_line()), "add settings");
    let run = s.push(&["origin", "feature"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 2, &id, "add settings", "refs/heads/feature")
    );
    assert!(
        run.stderr
            .contains(" ! [remote rejected] feature -> feature (pre-receive hook declined)"),
        "{}",
        run.stderr
    );
    run.assert_no_secret(&fake::github_pat());
    assert_eq!(s.server_rev("feature"), None);
}

#[test]
fn a_clean_push_is_accepted_silently() {
    let s = Server::new();
    s.commit_file("src/lib.rs", "pub fn f() {}\n", "add f");
    let run = s.push(&["-q", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(s.server_rev("main"), Some(s.client_rev("HEAD")));
}

#[test]
fn git_push_no_verify_is_still_rejected() {
    let s = Server::new();
    // The client's own hooks are installed; --no-verify skips them, not the server's.
    let run = s.client.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let id = s.commit_file("k.env", &key_line(), "key");
    let run = s.push(&["--no-verify", "origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 1, &id, "key", "refs/heads/main")
    );
    assert_ne!(s.server_rev("main"), Some(s.client_rev("HEAD")));
}

#[test]
fn a_key_written_by_a_merge_resolution_is_rejected() {
    let s = Server::new();
    s.commit_file("conf.txt", "base\n", "base");
    s.client.git(&["checkout", "-q", "-b", "side"]);
    s.commit_file("conf.txt", "side\n", "side");
    s.client.git(&["checkout", "-q", "main"]);
    s.commit_file("conf.txt", "main\n", "main");
    assert_ne!(s.client.git_run(&["merge", "-q", "side"]).code, 0);
    s.client.write("conf.txt", key_line());
    s.client.git(&["add", "conf.txt"]);
    s.client.commit("merge side");
    let id = s.rev("HEAD");
    let run = s.push(&["origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("conf.txt", 1, &id, "merge side", "refs/heads/main")
    );
    run.assert_no_secret(&fake::github_pat());
}

#[test]
fn a_commit_the_server_already_has_is_not_judged_again_on_a_second_branch() {
    let s = Server::new();
    s.client.git(&["checkout", "-q", "-b", "old"]);
    s.commit_file("old.env", &key_line(), "key from before keyhook");
    s.disarm();
    s.client.git(&["push", "-q", "origin", "old"]);
    s.arm();
    // The same commit under a new name, plus clean work on top: only the
    // clean commit is new to the server.
    s.client.git(&["checkout", "-q", "-b", "again"]);
    s.commit_file("b.txt", "b\n", "clean");
    let run = s.push(&["-q", "origin", "again", "old:refs/heads/copy"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(s.server_rev("copy"), Some(s.client_rev("old")));
}

#[test]
fn a_tag_of_a_new_commit_is_checked_and_a_tag_of_an_old_one_is_not() {
    let s = Server::new();
    let id = s.commit_file("k.env", &key_line(), "key");
    s.client.git(&["tag", "-a", "-m", "release", "v1"]);
    let run = s.push(&["origin", "v1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 1, &id, "key", "refs/tags/v1")
    );
    assert_eq!(s.server_rev("v1"), None);

    s.client.git(&["tag", "v0", "HEAD~1"]);
    let run = s.push(&["-q", "origin", "v0"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn deleting_a_branch_that_holds_a_key_is_accepted() {
    let s = Server::new();
    s.client.git(&["checkout", "-q", "-b", "leak"]);
    s.commit_file("k.env", &key_line(), "key from before keyhook");
    s.disarm();
    s.client.git(&["push", "-q", "origin", "leak"]);
    s.arm();
    let run = s.push(&["-q", "origin", "--delete", "leak"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(s.server_rev("leak"), None);
}

#[test]
fn a_force_push_is_judged_by_the_replacement_commits_only() {
    let s = Server::new();
    s.commit_file("a.txt", "a\n", "a");
    s.client.git(&["push", "-q", "origin", "main"]);
    // Rewrite the last commit to add a key: only the rewritten commit is new.
    s.client.stage("k.env", key_line());
    s.client
        .git(&["commit", "-q", "--no-verify", "--amend", "-m", "a again"]);
    let id = s.rev("HEAD");
    let before = s.server_rev("main");
    let run = s.push(&["--force", "origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 1, &id, "a again", "refs/heads/main")
    );
    assert_eq!(s.server_rev("main"), before);

    // A clean rewrite goes through.
    s.client.git(&["rm", "-q", "--cached", "k.env"]);
    s.client
        .git(&["commit", "-q", "--no-verify", "--amend", "-m", "a clean"]);
    let run = s.push(&["-q", "--force", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(s.server_rev("main"), Some(s.client_rev("HEAD")));
}

#[test]
fn the_baseline_committed_in_the_pushed_tree_is_honoured() {
    let s = Server::new();
    s.client.stage("k.env", key_line());
    let run = s
        .client
        .keyhook(&["baseline", "update", "--reason", "test fixture"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    s.client.git(&["add", ".keyhook-baseline.toml"]);
    s.client.commit("key with its baseline entry");
    let run = s.push(&["-q", "origin", "main"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    // A baseline that is only in the work tree is not what the server sees.
    s.client.git(&["checkout", "-q", "-b", "other", "HEAD~1"]);
    s.client.stage("k2.env", key_line());
    let run = s.client.keyhook(&["baseline", "update"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    s.client.commit("key, baseline not committed");
    let id = s.rev("HEAD");
    let run = s.push(&["origin", "other"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected(
            "k2.env",
            1,
            &id,
            "key, baseline not committed",
            "refs/heads/other"
        )
    );
}

#[test]
fn past_the_deadline_the_push_is_rejected_naming_what_was_not_checked() {
    let s = Server::new();
    s.server.git(&["config", "keyhook.deadline", "0"]);
    let id = s.commit_file("a.txt", "a\n", "clean but unchecked");
    let run = s.push(&["origin", "main"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        format!(
            "\
keyhook: deadline of 0 s reached: 1 pushed commit not checked:
    {id} refs/heads/main (clean but unchecked)
keyhook: push rejected: not every commit could be checked in time (push fewer commits at once, or the server admin raises `git config keyhook.deadline SECS`; `keyhook.onDeadline accept` lets such pushes through unchecked)
"
        )
    );
    assert_ne!(s.server_rev("main"), Some(s.client_rev("HEAD")));

    // The admin's choice: let such pushes through, said out loud.
    s.server.git(&["config", "keyhook.onDeadline", "accept"]);
    let run = s.push(&["origin", "main"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        remote_lines(&run).ends_with("keyhook: push accepted without checking those commits (keyhook.onDeadline is `accept`); run `keyhook scan --history` on a clone to check them\n"),
        "{}",
        run.stderr
    );
    assert_eq!(s.server_rev("main"), Some(s.client_rev("HEAD")));
}

#[test]
fn the_deadline_from_the_environment_beats_git_config_and_a_big_one_checks_everything() {
    let s = Server::new();
    s.server.git(&["config", "keyhook.deadline", "0"]);
    let id = s.commit_file("k.env", &key_line(), "key");
    let mut c = s.client.command("git", s.client.path());
    c.args(["push", "origin", "main"])
        .env("KEYHOOK_DEADLINE", "3600");
    let run = Run::from_output(c.output().unwrap());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 1, &id, "key", "refs/heads/main")
    );
}

#[test]
fn a_key_in_two_new_branches_of_one_push_is_reported_once() {
    let s = Server::new();
    s.client.git(&["checkout", "-q", "-b", "a"]);
    let id = s.commit_file("k.env", &key_line(), "key");
    s.client.git(&["branch", "b"]);
    let run = s.push(&["origin", "a", "b"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        remote_lines(&run),
        rejected("k.env", 1, &id, "key", "refs/heads/a")
    );
    assert_eq!((s.server_rev("a"), s.server_rev("b")), (None, None));
}

#[test]
fn bad_input_is_an_error_that_blocks() {
    let s = Server::new();
    let mut c = s.server.command(KEYHOOK, s.server.path());
    c.arg("pre-receive");
    let run = crate::harness::run_with_stdin(c, b"not a line\n");
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "keyhook: error: stdin:1: expected `<old oid> <new oid> <ref name>` (the line git gives a pre-receive hook), got \"not a line\"\n"
    );
}
