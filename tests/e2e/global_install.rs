//! `keyhook install --global` with a private HOME: a fresh clone runs keyhook
//! with no per-repository step, a repository's own `.git/hooks` still run and
//! count, and `uninstall --global` restores ~/.gitconfig byte for byte.

use crate::harness::{fake, TestRepo};

fn gitconfig(r: &TestRepo) -> Vec<u8> {
    std::fs::read(r.home().join(".gitconfig")).unwrap()
}

fn key_line() -> String {
    format!("GITHUB_TOKEN={}\n", fake::github_pat())
}

/// A repository to clone from, and a fresh clone of it (same HOME).
fn clone_of(origin: &TestRepo) -> std::path::PathBuf {
    let dest = origin.home().join("clone");
    origin.git(&[
        "clone",
        "-q",
        origin.path().to_str().unwrap(),
        dest.to_str().unwrap(),
    ]);
    dest
}

fn git_in(r: &TestRepo, dir: &std::path::Path, args: &[&str]) -> crate::harness::Run {
    crate::harness::Run::from_output(r.command("git", dir).args(args).output().unwrap())
}

#[test]
fn a_fresh_clone_runs_keyhook_and_uninstall_restores_the_config_exactly() {
    let origin = TestRepo::new();
    origin.stage("README", "hi\n");
    origin.commit("init");
    let before = gitconfig(&origin);
    let run = origin.keyhook(&["install", "--global"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "keyhook: installed globally: core.hooksPath=~/.config/keyhook/hooks in ~/.gitconfig\n"
        ),
        "{}",
        run.stdout
    );

    let clone = clone_of(&origin);
    std::fs::write(clone.join("k.env"), key_line()).unwrap();
    git_in(&origin, &clone, &["add", "k.env"]);
    let run = git_in(&origin, &clone, &["commit", "-q", "-m", "key"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("k.env:1:14  GitHub personal access token  ghp_R8xZ****************\n"),
        "{}",
        run.stderr
    );
    run.assert_no_secret(&fake::github_pat());

    let run = origin.keyhook(&["uninstall", "--global"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(gitconfig(&origin), before);
    assert!(!origin.home().join(".config/keyhook").exists());
    // Back to plain git: the commit goes through.
    let run = git_in(&origin, &clone, &["commit", "-q", "-m", "key"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_repositorys_own_hooks_still_run_and_their_exit_code_counts() {
    let repo = TestRepo::new();
    assert_eq!(repo.keyhook(&["install", "--global"]).code, 0);
    let hooks = repo.path().join(".git/hooks");
    for (name, body) in [
        (
            "pre-commit",
            "#!/bin/sh\necho own pre-commit ran >&2\nexit 1\n",
        ),
        ("post-commit", "#!/bin/sh\necho own post-commit ran >&2\n"),
        ("commit-msg", "#!/bin/sh\ngrep -q ok \"$1\"\n"),
    ] {
        let p = hooks.join(name);
        std::fs::write(&p, body).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.stage("a.txt", "clean\n");
    let run = repo.git_run(&["commit", "-q", "-m", "ok"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, "own pre-commit ran\n"));

    std::fs::write(
        hooks.join("pre-commit"),
        "#!/bin/sh\necho own pre-commit ran >&2\n",
    )
    .unwrap();
    // commit-msg (a pass-through shim) still rejects a message without "ok".
    let run = repo.git_run(&["commit", "-q", "-m", "nope"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = repo.git_run(&["commit", "-q", "-m", "ok"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "own pre-commit ran\nown post-commit ran\n")
    );

    // keyhook runs first: a key never reaches the repository's own hook.
    repo.stage("k.env", key_line());
    let run = repo.git_run(&["commit", "-q", "-m", "ok"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("own pre-commit ran"), "{}", run.stderr);
    run.assert_no_secret(&fake::github_pat());
}

#[test]
fn a_core_hooks_path_held_by_another_tool_makes_it_use_the_template_directory() {
    let repo = TestRepo::new();
    repo.git(&[
        "config",
        "--global",
        "core.hooksPath",
        "/opt/other-tool/hooks",
    ]);
    let before = gitconfig(&repo);
    let run = repo.keyhook(&["install", "--global"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("keyhook: installed in git's template directory: init.templateDir=~/.config/keyhook/template in ~/.gitconfig\nkeyhook: why not core.hooksPath: it is already set to /opt/other-tool/hooks by another tool"), "{}", run.stdout);
    assert_eq!(
        repo.git(&["config", "--global", "core.hooksPath"]).trim(),
        "/opt/other-tool/hooks"
    );
    // New repositories get keyhook's hooks in .git/hooks.
    let fresh = repo.home().join("fresh");
    repo.git(&["init", "-q", fresh.to_str().unwrap()]);
    let hook = std::fs::read_to_string(fresh.join(".git/hooks/pre-commit")).unwrap();
    assert!(hook.contains("# keyhook-managed-hook: pre-commit"));
    assert_eq!(repo.keyhook(&["uninstall", "--global"]).code, 0);
    assert_eq!(gitconfig(&repo), before);
}

#[test]
fn per_repository_install_and_uninstall_leave_the_global_hooks_alone() {
    let repo = TestRepo::new();
    assert_eq!(repo.keyhook(&["install", "--global"]).code, 0);
    let shim = repo.home().join(".config/keyhook/hooks/pre-commit");
    let before = std::fs::read(&shim).unwrap();
    let run = repo.keyhook(&["install", "--no-gitignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("already runs keyhook's global hooks"),
        "{}",
        run.stdout
    );
    let run = repo.keyhook(&["uninstall"]);
    assert!(
        run.stdout.contains("`keyhook uninstall --global`"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(&shim).unwrap(), before);
}
