//! `keyhook install`, `uninstall` and `status` with real git: the installed
//! hooks run on real commits, foreign hooks keep running, a failed install
//! leaves nothing behind, and uninstall puts back exactly what was there.

use crate::harness::{fake, Run, TestRepo, KEYHOOK};
use std::path::{Path, PathBuf};

const PRE_COMMIT_SHIM: &str = include_str!("../../hooks/pre-commit");
const PRE_PUSH_SHIM: &str = include_str!("../../hooks/pre-push");

/// Every file under `dir` except git's `.sample` hooks: relative path,
/// permission bits, content.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, u32, String)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, u32, String)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.extension().is_none_or(|x| x != "sample") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                let content = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
                out.push((rel, mode(&p), content));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// What install may change inside `.git`: the hooks and keyhook's own directory.
/// What install and uninstall own: the hooks directory and keyhook's install
/// record. The hook's own runtime state in `.git/keyhook` (the fingerprint salt,
/// the ledger) is created by running the hook, not by installing it, and is left
/// out on purpose.
pub(crate) fn git_state(repo: &TestRepo) -> Vec<(String, u32, String)> {
    let mut s = snapshot(&repo.path().join(".git/hooks"));
    s.extend(
        snapshot(&repo.path().join(".git/keyhook"))
            .into_iter()
            .filter(|(name, _, _)| !is_runtime_state(name)),
    );
    s
}

fn is_runtime_state(name: &str) -> bool {
    name == "salt" || name.starts_with("ledger")
}

pub(crate) fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

pub(crate) fn write_exec(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A foreign pre-commit hook that records each run in `foreign-ran` and fails
/// (exit 3) while a file `foreign-fails` exists.
const FOREIGN_HOOK: &str =
    "#!/bin/sh\necho run >> foreign-ran\n[ -f foreign-fails ] && exit 3\nexit 0\n";

pub(crate) fn git_commit(repo: &TestRepo, msg: &str) -> Run {
    repo.git_run(&["commit", "-q", "-m", msg])
}

pub(crate) fn head(repo: &TestRepo) -> Option<String> {
    let r = repo.git_run(&["rev-parse", "-q", "--verify", "HEAD"]);
    (r.code == 0).then(|| r.stdout.trim().to_string())
}

fn key_report(path: &str, col: u32) -> String {
    format!(
        "\
{path}:1:{col}  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 1 secret in 1 file
"
    )
}

#[test]
fn installed_hook_refuses_a_commit_with_a_key_and_no_commit_is_created() {
    let repo = TestRepo::new();
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: installed .git/hooks/pre-commit\nkeyhook: pre-push: installed .git/hooks/pre-push\n"
    );
    assert_eq!(run.stderr, "");
    let hooks = repo.path().join(".git/hooks");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        PRE_COMMIT_SHIM
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push")).unwrap(),
        PRE_PUSH_SHIM
    );
    assert_eq!(mode(&hooks.join("pre-commit")), 0o755);
    assert_eq!(mode(&hooks.join("pre-push")), 0o755);

    let key = fake::github_pat();
    repo.stage("app.env", format!("GITHUB_TOKEN={key}\n"));
    let commit = git_commit(&repo, "add settings");
    assert_eq!(commit.code, 1, "{}", commit.stderr);
    assert_eq!(commit.stderr, key_report("app.env", 14));
    commit.assert_no_secret(&key);
    assert_eq!(head(&repo), None, "a commit was created");
}

#[test]
fn a_clean_commit_goes_through_the_installed_hook() {
    let repo = TestRepo::new();
    repo.keyhook(&["install", "--no-gitignore"]);
    repo.stage("src/lib.rs", "pub fn answer() -> u32 { 42 }\n");
    let commit = git_commit(&repo, "answer");
    assert_eq!((commit.code, commit.stderr.as_str()), (0, ""));
    assert!(head(&repo).is_some());
}

#[test]
fn install_twice_changes_nothing() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-commit"), FOREIGN_HOOK);
    repo.keyhook(&["install", "--no-gitignore"]);
    let before = git_state(&repo);
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: already installed in .git/hooks/pre-commit (nothing changed)\nkeyhook: pre-push: already installed in .git/hooks/pre-push (nothing changed)\n"
    );
    assert_eq!(git_state(&repo), before);
}

#[test]
fn a_foreign_hook_is_chained_still_runs_and_its_failure_still_blocks() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-commit"), FOREIGN_HOOK);
    let run = repo.keyhook(&["install", "--no-gitignore", "--hook", "pre-commit"]);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: installed .git/hooks/pre-commit; the existing hook is kept as pre-commit.keyhook-chained (it still runs after keyhook, and its exit status still counts)\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit.keyhook-chained")).unwrap(),
        FOREIGN_HOOK
    );
    assert!(!repo.path().join(".git/hooks/pre-push").exists());

    // Clean commit: keyhook passes, the foreign hook runs (marker) and passes.
    repo.stage("a.txt", "a\n");
    assert_eq!(git_commit(&repo, "a").code, 0);
    let marker = repo.path().join("foreign-ran");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "run\n");
    let first = head(&repo);

    // The foreign hook fails: the commit is refused although keyhook passed.
    repo.write("foreign-fails", "");
    repo.stage("b.txt", "b\n");
    let refused = git_commit(&repo, "b");
    assert_ne!(refused.code, 0);
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "run\nrun\n");
    assert_eq!(head(&repo), first);
}

#[test]
fn uninstall_after_chaining_restores_exactly_what_was_there() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-commit"), FOREIGN_HOOK);
    let before = git_state(&repo);
    repo.keyhook(&["install", "--no-gitignore"]);
    assert!(repo.path().join(".git/keyhook/install.json").exists());
    let run = repo.keyhook(&["uninstall"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: restored the previous hook to .git/hooks/pre-commit\nkeyhook: pre-push: removed .git/hooks/pre-push\n"
    );
    assert_eq!(git_state(&repo), before);
    assert!(!repo.path().join(".git/keyhook").exists());
    let again = repo.keyhook(&["uninstall"]);
    assert_eq!(
        again.stdout,
        "keyhook: nothing to uninstall (no keyhook hooks in .git/hooks)\n"
    );
}

#[test]
fn uninstall_without_the_install_record_works_from_the_hook_files() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-push"), FOREIGN_HOOK);
    let before = git_state(&repo);
    repo.keyhook(&["install", "--no-gitignore"]);
    std::fs::remove_dir_all(repo.path().join(".git/keyhook")).unwrap();
    let run = repo.keyhook(&["uninstall"]);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: removed .git/hooks/pre-commit\nkeyhook: pre-push: restored the previous hook to .git/hooks/pre-push\n"
    );
    assert_eq!(git_state(&repo), before);
}

#[test]
fn force_backs_up_the_foreign_hook_which_stops_running_until_uninstall() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-commit"), FOREIGN_HOOK);
    let before = git_state(&repo);
    let run = repo.keyhook(&[
        "install",
        "--no-gitignore",
        "--force",
        "--hook",
        "pre-commit",
    ]);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: installed .git/hooks/pre-commit, replacing the existing hook (--force); it is backed up as pre-commit.keyhook-backup and no longer runs (`keyhook uninstall` puts it back)\n"
    );
    repo.stage("a.txt", "a\n");
    assert_eq!(git_commit(&repo, "a").code, 0);
    assert!(!repo.path().join("foreign-ran").exists());
    repo.keyhook(&["uninstall"]);
    assert_eq!(git_state(&repo), before);
}

#[test]
fn an_earlier_chained_hook_in_the_way_is_an_error_and_nothing_changes() {
    let repo = TestRepo::new();
    let hooks = repo.path().join(".git/hooks");
    write_exec(&hooks.join("pre-commit"), FOREIGN_HOOK);
    write_exec(
        &hooks.join("pre-commit.keyhook-chained"),
        "#!/bin/sh\nexit 0\n",
    );
    let before = git_state(&repo);
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "keyhook: error: {0}/pre-commit.keyhook-chained: already exists, so the hook in {0}/pre-commit cannot be moved there (an earlier install left it; run `keyhook uninstall` first, or move it away); nothing was changed\n",
            hooks.display()
        )
    );
    assert_eq!(git_state(&repo), before);
}

#[test]
fn core_hooks_path_elsewhere_gets_the_hooks_and_git_hooks_is_untouched() {
    let repo = TestRepo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let git_hooks = snapshot(&repo.path().join(".git/hooks"));
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "keyhook: core.hooksPath is .githooks, so the hooks go to .githooks (git does not look in .git/hooks while it is set)\nkeyhook: pre-commit: installed .githooks/pre-commit\nkeyhook: pre-push: installed .githooks/pre-push\n"
    );
    assert_eq!(snapshot(&repo.path().join(".git/hooks")), git_hooks);
    let key = fake::github_pat();
    repo.stage("k.env", format!("GITHUB_TOKEN={key}\n"));
    let commit = git_commit(&repo, "key");
    assert_eq!(commit.code, 1);
    assert_eq!(commit.stderr, key_report("k.env", 14));
    // install created .githooks, so uninstall removes it again.
    repo.keyhook(&["uninstall"]);
    assert!(!repo.path().join(".githooks").exists());
}

#[test]
fn status_says_installed_chained_missing_and_shadowed() {
    let repo = TestRepo::new();
    let binary = format!("keyhook binary: {KEYHOOK}\n");
    let run = repo.keyhook(&["status"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!("hooks directory: .git/hooks\npre-commit: missing (run `keyhook install`)\npre-push: missing (run `keyhook install`)\n{binary}")
    );

    write_exec(&repo.path().join(".git/hooks/pre-commit"), FOREIGN_HOOK);
    write_exec(&repo.path().join(".git/hooks/pre-push"), FOREIGN_HOOK);
    let run = repo.keyhook(&["status"]);
    assert_eq!(
        run.stdout,
        format!("hooks directory: .git/hooks\npre-commit: missing: .git/hooks/pre-commit is another tool's hook (`keyhook install` keeps it and runs it after keyhook)\npre-push: missing: .git/hooks/pre-push is another tool's hook (`keyhook install` keeps it and runs it after keyhook)\n{binary}")
    );

    repo.keyhook(&["install", "--no-gitignore", "--hook", "pre-commit"]);
    std::fs::remove_file(repo.path().join(".git/hooks/pre-push")).unwrap();
    repo.keyhook(&["install", "--no-gitignore", "--hook", "pre-push"]);
    let run = repo.keyhook(&["status"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("hooks directory: .git/hooks\npre-commit: installed; pre-commit.keyhook-chained runs after keyhook\npre-push: installed\n{binary}")
    );

    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let run = repo.keyhook(&["status"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!("hooks directory: .githooks (core.hooksPath=.githooks)\npre-commit: shadowed: keyhook's hook is in .git/hooks/pre-commit, but core.hooksPath=.githooks makes git run hooks from .githooks (run `keyhook install` to install it there)\npre-push: shadowed: keyhook's hook is in .git/hooks/pre-push, but core.hooksPath=.githooks makes git run hooks from .githooks (run `keyhook install` to install it there)\n{binary}")
    );
}

#[test]
fn in_a_linked_worktree_the_hooks_go_to_the_common_git_dir() {
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    let wt = repo.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let run = repo.keyhook_in(&wt, &["install", "--no-gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hooks = repo.path().join(".git/hooks");
    assert_eq!(
        run.stdout,
        format!(
            "keyhook: pre-commit: installed {0}/pre-commit\nkeyhook: pre-push: installed {0}/pre-push\n",
            hooks.display()
        )
    );
    std::fs::write(
        wt.join("k.env"),
        format!("GITHUB_TOKEN={}\n", fake::github_pat()),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let o = repo.command("git", &wt).args(args).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert_eq!(git(&["add", "k.env"]).0, Some(0));
    let (code, stderr) = git(&["commit", "-q", "-m", "key"]);
    assert_eq!(code, Some(1));
    assert_eq!(stderr, key_report("k.env", 14));
}

#[test]
fn in_a_submodule_the_hooks_go_to_its_own_git_dir() {
    let repo = TestRepo::new();
    let sub = TestRepo::new();
    sub.stage("f", "x\n");
    sub.commit("sub");
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.path().to_str().unwrap(),
        "vendor/sub",
    ]);
    let inner = repo.path().join("vendor/sub");
    let run = repo.keyhook_in(
        &inner,
        &["install", "--no-gitignore", "--hook", "pre-commit"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hook = repo.path().join(".git/modules/vendor/sub/hooks/pre-commit");
    assert_eq!(
        run.stdout,
        format!("keyhook: pre-commit: installed {}\n", hook.display())
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), PRE_COMMIT_SHIM);
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

/// Makes a directory unwritable for this process; undone on drop. Root ignores
/// permission bits, so root falls back to the immutable attribute.
struct Unwritable {
    dir: PathBuf,
    immutable: bool,
}

impl Unwritable {
    fn new(dir: &Path) -> Option<Unwritable> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut guard = Unwritable {
            dir: dir.to_path_buf(),
            immutable: false,
        };
        if guard.is_writable() {
            let ok = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            guard.immutable = ok;
        }
        (!guard.is_writable()).then_some(guard)
    }

    fn is_writable(&self) -> bool {
        let probe = self.dir.join(".probe");
        let ok = std::fs::write(&probe, "").is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.dir)
                .status();
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn an_unwritable_hooks_dir_is_a_clear_error_and_nothing_is_written() {
    let repo = TestRepo::new();
    let hooks = repo.path().join(".git/hooks");
    write_exec(&hooks.join("pre-commit"), FOREIGN_HOOK);
    let before = git_state(&repo);
    let Some(_guard) = Unwritable::new(&hooks) else {
        // Only as root on a file system without the immutable attribute;
        // `a_failure_after_the_hooks_are_written_rolls_everything_back` still
        // covers the rollback there.
        eprintln!("skipped: cannot make a directory unwritable here");
        return;
    };
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "keyhook: error: {}/pre-commit: cannot rename to {0}/pre-commit.keyhook-chained: ",
            hooks.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("; nothing was changed\n"),
        "{}",
        run.stderr
    );
    drop(_guard);
    assert_eq!(git_state(&repo), before);
}

#[test]
fn a_failure_after_the_hooks_are_written_rolls_everything_back() {
    let repo = TestRepo::new();
    write_exec(&repo.path().join(".git/hooks/pre-push"), FOREIGN_HOOK);
    // The install record cannot be written: a file where its directory goes.
    repo.write(".git/keyhook", "in the way\n");
    let before = git_state(&repo);
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!(
            "keyhook: error: {}/.git/keyhook/install.json: cannot write: ",
            repo.path().display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("; nothing was changed\n"),
        "{}",
        run.stderr
    );
    assert_eq!(git_state(&repo), before);
}

/// PATH without any directory holding a `keyhook` binary.
fn path_without_keyhook() -> std::ffi::OsString {
    let dirs = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("keyhook").exists())
        .collect::<Vec<_>>();
    std::env::join_paths(dirs).unwrap()
}

#[test]
fn without_the_keyhook_binary_the_hooks_fail_closed_and_say_what_to_do() {
    let repo = TestRepo::new();
    repo.keyhook(&["install", "--no-gitignore"]);
    repo.stage("a.txt", "harmless\n");
    let cargo_home = TestRepo::empty_dir();
    let out = repo
        .command("git", repo.path())
        .env("PATH", path_without_keyhook())
        .env("CARGO_HOME", cargo_home.path())
        .args(["commit", "-q", "-m", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "keyhook: error: the pre-commit hook cannot find the keyhook binary on PATH (install it with `./install.sh` in a keyhook checkout, or `cargo install --path .`; `git commit --no-verify` skips the secret check deliberately)\n"
    );
    assert_eq!(head(&repo), None);

    let mut push = repo.command(
        repo.path().join(".git/hooks/pre-push").to_str().unwrap(),
        repo.path(),
    );
    push.env("PATH", path_without_keyhook())
        .env("CARGO_HOME", cargo_home.path())
        .args(["origin", "/nowhere"]);
    let run = crate::harness::run_with_stdin(push, b"");
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "keyhook: error: the pre-push hook cannot find the keyhook binary on PATH (install it with `./install.sh` in a keyhook checkout, or `cargo install --path .`; `git push --no-verify` skips the secret check deliberately)\n"
    );

    let status = repo
        .command(KEYHOOK, repo.path())
        .env("PATH", path_without_keyhook())
        .env("CARGO_HOME", cargo_home.path())
        .arg("status")
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stdout).ends_with(
        "keyhook binary: not found on PATH, so the hooks refuse every commit and push (run `./install.sh` in a keyhook checkout, or `cargo install --path .`)\n"
    ));
}

#[test]
fn gitignore_lines_are_appended_keeping_the_file_and_example_files_stay_visible() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "/target\nnode_modules");
    let run = repo.keyhook(&["install", "--gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.ends_with(
        "keyhook: .gitignore: added .env, .env.*, !.env.example, !.env.sample, !.env.template (local env files hold real credentials; the example files stay committable)\n"
    ), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitignore")).unwrap(),
        "/target\nnode_modules\n\n# Local env files hold real credentials (added by `keyhook install`).\n.env\n.env.*\n!.env.example\n!.env.sample\n!.env.template\n"
    );
    let ignored = |p: &str| repo.git_run(&["check-ignore", "-q", "--no-index", p]).code == 0;
    for p in [".env", ".env.local", ".env.production", "sub/.env"] {
        assert!(ignored(p), "{p} is not ignored");
    }
    for p in [".env.example", ".env.sample", ".env.template", "env.rs"] {
        assert!(!ignored(p), "{p} is ignored");
    }
    // Covered now: a second install adds nothing and says nothing about it.
    let again = repo.keyhook(&["install", "--gitignore"]);
    assert!(!again.stdout.contains(".gitignore"), "{}", again.stdout);
}

#[test]
fn without_a_terminal_install_only_says_what_gitignore_lacks() {
    let repo = TestRepo::new();
    repo.write(".gitignore", ".env\n");
    let run = repo.keyhook(&["install"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "keyhook: pre-commit: installed .git/hooks/pre-commit\nkeyhook: pre-push: installed .git/hooks/pre-push\nkeyhook: .gitignore does not ignore local env files, where real keys usually live: add .env.*, !.env.example, !.env.sample, !.env.template to it (or run `keyhook install --gitignore`)\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitignore")).unwrap(),
        ".env\n"
    );
    repo.keyhook(&["uninstall"]);
    let skipped = repo.keyhook(&["install", "--no-gitignore"]);
    assert!(!skipped.stdout.contains(".gitignore"), "{}", skipped.stdout);
}

#[test]
fn install_outside_a_repository_is_a_one_line_error() {
    let dir = TestRepo::empty_dir();
    let run = dir.keyhook(&["install"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_corrupt_install_record_is_an_error_naming_file_and_line() {
    let repo = TestRepo::new();
    repo.keyhook(&["install", "--no-gitignore"]);
    repo.write(
        ".git/keyhook/install.json",
        "{\n  \"version\": 1,\n  oops\n}\n",
    );
    let before = git_state(&repo);
    for cmd in ["uninstall", "install"] {
        let run = repo.keyhook(&[cmd]);
        assert_eq!(run.code, 2, "{cmd}");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!(
                "keyhook: error: {}/.git/keyhook/install.json:3: cannot parse keyhook's install record: ",
                repo.path().display()
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.ends_with(
            "(delete the file; `keyhook uninstall` then works from the hook files themselves)\n"
        ));
    }
    assert_eq!(git_state(&repo), before);
}
