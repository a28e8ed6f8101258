//! `keyhook doctor` on each way keyhook can silently not run: the exact
//! lines, the fix command, and the exit code.

use crate::harness::{fake, Run, TestRepo, KEYHOOK};
use std::path::Path;

/// Runs doctor with the binary also in the private ~/.cargo/bin, where the
/// shims (and GUI clients) find it.
fn doctor(r: &TestRepo) -> Run {
    let bin = r.home().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    let link = bin.join("keyhook");
    if !link.exists() {
        std::os::unix::fs::symlink(KEYHOOK, &link).unwrap();
    }
    let cargo = r.home().join(".cargo");
    r.keyhook_env(&["doctor"], &[("CARGO_HOME", cargo.to_str().unwrap())])
}

/// Runs doctor in `dir` with `CARGO_HOME` in the private home and `env`.
fn doctor_in(r: &TestRepo, dir: &Path, env: &[(&str, &str)]) -> Run {
    let cargo = r.home().join(".cargo");
    let mut c = r.command(KEYHOOK, dir);
    c.arg("doctor")
        .env("CARGO_HOME", &cargo)
        .envs(env.iter().copied());
    Run::from_output(c.output().unwrap())
}

/// Runs a doctor `fix:` command line with sh in `dir`, as a user would paste it.
fn apply_fix(r: &TestRepo, dir: &Path, fix: &str) {
    let cmd = fix
        .trim_start_matches("    fix: ")
        .trim_matches('`')
        .to_string();
    let run = Run::from_output(
        r.command("sh", dir)
            .args(["-c", &cmd])
            .env("CARGO_HOME", r.home().join(".cargo"))
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{cmd}: {}{}", run.stdout, run.stderr);
}

/// No `keyhook` where GUI clients look, so the outcome depends on the test only.
fn assert_no_system_keyhook() {
    for d in keyhook::cmd::doctor::GUI_PATH {
        let p = Path::new(d).join("keyhook");
        assert!(
            !p.exists(),
            "this test needs a machine without {}",
            p.display()
        );
    }
}

/// A staged key, committed with the hooks: the commit must be refused.
fn assert_commit_blocked(r: &TestRepo, dir: &Path) {
    let key = fake::github_pat();
    std::fs::write(dir.join("k.env"), format!("GITHUB_TOKEN={key}\n")).unwrap();
    let add = r
        .command("git", dir)
        .args(["add", "k.env"])
        .output()
        .unwrap();
    assert!(add.status.success());
    let run = Run::from_output(
        r.command("git", dir)
            .args(["commit", "-q", "-m", "add key"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("keyhook: commit blocked: 1 secret in 1 file"),
        "{}",
        run.stderr
    );
    run.assert_no_secret(&key);
}

fn installed() -> TestRepo {
    let r = TestRepo::new();
    assert_eq!(r.keyhook(&["install", "--no-gitignore"]).code, 0);
    r
}

fn problems(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with("problem: ") || l.starts_with("    fix: "))
        .collect()
}

#[test]
fn all_good_when_both_hooks_run() {
    let r = installed();
    let run = doctor(&r);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let bin = r.home().join(".cargo/bin/keyhook");
    assert_eq!(
        run.stdout,
        format!(
            "ok: git runs hooks from .git/hooks (no core.hooksPath)
ok: on commit, keyhook runs (pre-commit: installed)
ok: on push, keyhook runs (pre-push: installed)
ok: keyhook binary {} (GUI git clients find {})
keyhook doctor: all good: keyhook runs on commit and push
",
            crate::harness::KEYHOOK,
            bin.display()
        )
    );
}

#[test]
fn a_repository_core_hooks_path_shadows_the_installed_hooks() {
    let r = installed();
    r.git(&["config", "core.hooksPath", ".githooks"]);
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("note: core.hooksPath=.githooks (repository config) makes git run hooks from .githooks and ignore .git/hooks\n"), "{}", run.stdout);
    assert_eq!(problems(&run), [
        "problem: on commit, keyhook does not run (pre-commit: shadowed: keyhook's hook is in .git/hooks/pre-commit, but core.hooksPath=.githooks makes git run hooks from .githooks (run `keyhook install` to install it there))",
        "    fix: `keyhook install`",
        "problem: on push, keyhook does not run (pre-push: shadowed: keyhook's hook is in .git/hooks/pre-push, but core.hooksPath=.githooks makes git run hooks from .githooks (run `keyhook install` to install it there))",
        "    fix: `keyhook install`",
    ]);
}

#[test]
fn a_global_core_hooks_path_of_another_tool_shadows_them() {
    let r = installed();
    r.git(&[
        "config",
        "--global",
        "core.hooksPath",
        "/opt/other-tool/hooks",
    ]);
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("note: core.hooksPath=/opt/other-tool/hooks (global config) makes git run hooks from /opt/other-tool/hooks and ignore .git/hooks\n"), "{}", run.stdout);
    // `keyhook install` would write into the other tool's directory, which
    // every repository uses: the fix says what to do instead.
    assert_eq!(problems(&run), [
        "problem: on commit, keyhook does not run (pre-commit: shadowed: keyhook's hook is in .git/hooks/pre-commit, but core.hooksPath=/opt/other-tool/hooks makes git run hooks from /opt/other-tool/hooks)",
        "    fix: for this repository: `git config core.hooksPath .git/hooks && keyhook install` (the hooks in /opt/other-tool/hooks then stop running here); for every repository: add `keyhook pre-commit` to /opt/other-tool/hooks/pre-commit",
        "problem: on push, keyhook does not run (pre-push: shadowed: keyhook's hook is in .git/hooks/pre-push, but core.hooksPath=/opt/other-tool/hooks makes git run hooks from /opt/other-tool/hooks)",
        "    fix: for this repository: `git config core.hooksPath .git/hooks && keyhook install` (the hooks in /opt/other-tool/hooks then stop running here); for every repository: add `keyhook pre-push` to /opt/other-tool/hooks/pre-push",
    ]);
    assert!(
        run.stdout.ends_with("keyhook doctor: 2 problems found\n"),
        "{}",
        run.stdout
    );
    // The fix for this repository fixes it, and a key is then refused.
    apply_fix(
        &r,
        r.path(),
        "`git config core.hooksPath .git/hooks && keyhook install`",
    );
    let after = doctor(&r);
    assert_eq!(after.code, 0, "{}", after.stdout);
    assert!(after.stdout.starts_with("ok: git runs hooks from .git/hooks (core.hooksPath=.git/hooks, repository config, names it)\n"), "{}", after.stdout);
    assert_commit_blocked(&r, r.path());
}

#[test]
fn template_directory_mode_hooks_are_shadowed_until_the_repository_opts_in() {
    // Another tool holds the global core.hooksPath, so `install --global`
    // uses git's template directory: new repositories get keyhook's hooks in
    // .git/hooks, where git does not look while that setting stands.
    let r = TestRepo::empty_dir();
    r.git(&[
        "config",
        "--global",
        "core.hooksPath",
        "/opt/other-tool/hooks",
    ]);
    let g = r.keyhook(&["install", "--global"]);
    assert_eq!(g.code, 0, "{g:?}");
    assert!(
        g.stdout
            .starts_with("keyhook: installed in git's template directory"),
        "{}",
        g.stdout
    );
    r.git(&["init", "-q", "fresh"]);
    let fresh = r.path().join("fresh");
    assert!(
        fresh.join(".git/hooks/pre-commit").exists(),
        "the template's hooks were copied"
    );
    let bin = r.home().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(KEYHOOK, bin.join("keyhook")).unwrap();
    let run = doctor_in(&r, &fresh, &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        format!(
            "note: core.hooksPath=/opt/other-tool/hooks (global config) makes git run hooks from /opt/other-tool/hooks and ignore .git/hooks
problem: on commit, keyhook does not run (pre-commit: shadowed: keyhook's hook is in .git/hooks/pre-commit, but core.hooksPath=/opt/other-tool/hooks makes git run hooks from /opt/other-tool/hooks)
    fix: for this repository: `git config core.hooksPath .git/hooks && keyhook install` (the hooks in /opt/other-tool/hooks then stop running here); for every repository: add `keyhook pre-commit` to /opt/other-tool/hooks/pre-commit
problem: on push, keyhook does not run (pre-push: shadowed: keyhook's hook is in .git/hooks/pre-push, but core.hooksPath=/opt/other-tool/hooks makes git run hooks from /opt/other-tool/hooks)
    fix: for this repository: `git config core.hooksPath .git/hooks && keyhook install` (the hooks in /opt/other-tool/hooks then stop running here); for every repository: add `keyhook pre-push` to /opt/other-tool/hooks/pre-push
ok: keyhook binary {KEYHOOK} (GUI git clients find {})
keyhook doctor: 2 problems found
",
            bin.join("keyhook").display()
        )
    );
    apply_fix(
        &r,
        &fresh,
        "`git config core.hooksPath .git/hooks && keyhook install`",
    );
    let after = doctor_in(&r, &fresh, &[]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    assert_commit_blocked(&r, &fresh);
}

#[test]
fn the_binary_outside_the_gui_clients_path_is_a_problem() {
    assert_no_system_keyhook();
    // keyhook is on this shell's PATH (the test build), but not in
    // ~/.cargo/bin nor in any directory of a GUI client's PATH.
    let r = installed();
    let run = doctor_in(&r, r.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        format!(
            "ok: git runs hooks from .git/hooks (no core.hooksPath)
ok: on commit, keyhook runs (pre-commit: installed)
ok: on push, keyhook runs (pre-push: installed)
problem: keyhook is at {KEYHOOK}, which GUI git clients (PATH=/usr/bin:/bin:/usr/sbin:/sbin) do not search, nor do the hooks' fallbacks (~/.cargo/bin/keyhook): commits from a GUI client are refused
    fix: `mkdir -p ~/.cargo/bin && ln -s {KEYHOOK} ~/.cargo/bin/keyhook`
keyhook doctor: 1 problem found
"
        )
    );
    apply_fix(&r, r.path(), problems(&run)[1]);
    let after = doctor_in(&r, r.path(), &[]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    // What GUI clients see: PATH without keyhook; the hook finds it in ~/.cargo/bin.
    let gui_path = format!(
        "{}:/usr/local/bin",
        keyhook::cmd::doctor::GUI_PATH.join(":")
    );
    let key = fake::github_pat();
    r.stage("k.env", format!("GITHUB_TOKEN={key}\n"));
    let commit = Run::from_output(
        r.command("git", r.path())
            .args(["commit", "-q", "-m", "gui"])
            .env("PATH", &gui_path)
            .env_remove("CARGO_HOME")
            .output()
            .unwrap(),
    );
    assert_eq!(commit.code, 1, "{}", commit.stderr);
    assert!(
        commit.stderr.contains("keyhook: commit blocked"),
        "{}",
        commit.stderr
    );
    commit.assert_no_secret(&key);
}

#[test]
fn the_global_hooks_find_the_binary_in_their_own_fallbacks() {
    assert_no_system_keyhook();
    // ~/.local/bin is a fallback of the global shims only.
    let r = TestRepo::new();
    assert_eq!(r.keyhook(&["install", "--global"]).code, 0);
    let local = r.home().join(".local/bin");
    std::fs::create_dir_all(&local).unwrap();
    std::os::unix::fs::symlink(KEYHOOK, local.join("keyhook")).unwrap();
    let run = doctor_in(&r, r.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "ok: keyhook binary {KEYHOOK} (GUI git clients find {})\n",
            local.join("keyhook").display()
        )),
        "{}",
        run.stdout
    );
    // The per-repository hooks do not look there: the same binary is a problem.
    let other = installed();
    let local = other.home().join(".local/bin");
    std::fs::create_dir_all(&local).unwrap();
    std::os::unix::fs::symlink(KEYHOOK, local.join("keyhook")).unwrap();
    let run = doctor_in(&other, other.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("nor do the hooks' fallbacks (~/.cargo/bin/keyhook)"),
        "{}",
        run.stdout
    );
    // Without the global hooks' shim list in doctor, this would pass unseen:
    // the global shim itself finds ~/.local/bin/keyhook with a GUI PATH.
    let key = fake::github_pat();
    r.stage("k.env", format!("GITHUB_TOKEN={key}\n"));
    let commit = Run::from_output(
        r.command("git", r.path())
            .args(["commit", "-q", "-m", "gui"])
            .env(
                "PATH",
                format!(
                    "{}:/usr/local/bin",
                    keyhook::cmd::doctor::GUI_PATH.join(":")
                ),
            )
            .env("CARGO_HOME", r.home().join(".cargo"))
            .output()
            .unwrap(),
    );
    assert_eq!(commit.code, 1, "{}", commit.stderr);
    assert!(
        commit.stderr.contains("keyhook: commit blocked"),
        "{}",
        commit.stderr
    );
}

#[test]
fn without_the_binary_every_commit_is_refused_and_doctor_says_so() {
    assert_no_system_keyhook();
    let r = installed();
    let path = "/usr/local/bin:/usr/bin:/bin";
    assert!(!Path::new("/usr/local/bin/keyhook").exists());
    let run = doctor_in(&r, r.path(), &[("PATH", path)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        problems(&run),
        [
            "problem: the keyhook binary is not on PATH or in ~/.cargo/bin, so the hooks refuse every commit and push",
            "    fix: `./install.sh` in a keyhook checkout, or `cargo install --path .`",
        ]
    );
    // And the hook does refuse (exit 2, fail closed), as doctor says.
    r.stage("a.txt", "hello\n");
    let commit = Run::from_output(
        r.command("git", r.path())
            .args(["commit", "-q", "-m", "x"])
            .env("PATH", path)
            .env("CARGO_HOME", r.home().join(".cargo"))
            .output()
            .unwrap(),
    );
    assert_eq!(commit.code, 1, "{}", commit.stderr);
    assert!(
        commit
            .stderr
            .contains("the pre-commit hook cannot find the keyhook binary"),
        "{}",
        commit.stderr
    );
}

#[test]
fn a_missing_shim_is_a_problem() {
    let r = installed();
    r.remove(".git/hooks/pre-commit");
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        problems(&run),
        [
            "problem: on commit, keyhook does not run (pre-commit: missing (run `keyhook install`))",
            "    fix: `keyhook install`",
        ]
    );
    apply_fix(&r, r.path(), problems(&run)[1]);
    assert_eq!(doctor(&r).code, 0);
    assert_commit_blocked(&r, r.path());
}

#[test]
fn husky_without_keyhook_is_a_problem() {
    let r = TestRepo::new();
    r.write(".husky/pre-commit", "npm test\n");
    r.write(".husky/_/pre-commit", "#!/bin/sh\n");
    r.git(&["config", "core.hooksPath", ".husky/_"]);
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with("note: core.hooksPath=.husky/_ (repository config, husky)"),
        "{}",
        run.stdout
    );
    assert_eq!(problems(&run)[0], "problem: on commit, keyhook does not run (pre-commit: missing: husky runs .husky/pre-commit, which does not call keyhook (run `keyhook install`))");
    // The fix fixes it.
    assert_eq!(r.keyhook(&["install", "--no-gitignore"]).code, 0);
    assert_eq!(doctor(&r).code, 0);
}

#[test]
fn lefthook_without_keyhook_is_a_problem() {
    let r = TestRepo::new();
    r.write(
        "lefthook.yml",
        "pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n",
    );
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(problems(&run)[1], "    fix: `keyhook install` prints the lines to add to lefthook.yml, then run `lefthook install`");
}

#[test]
fn a_pre_commit_framework_config_without_keyhook_is_a_problem() {
    let r = installed();
    r.write(".pre-commit-config.yaml", "repos: []\n");
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        problems(&run)[0],
        "problem: .pre-commit-config.yaml does not list keyhook"
    );
}

#[test]
fn a_non_executable_shim_is_a_problem() {
    use std::os::unix::fs::PermissionsExt;
    let r = installed();
    let p = r.path().join(".git/hooks/pre-push");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = doctor(&r);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(problems(&run), [
        "problem: on push, keyhook does not run (pre-push: not active: .git/hooks/pre-push is keyhook's but not executable, so git skips it (run `keyhook install` again))",
        "    fix: `keyhook install`",
    ]);
    apply_fix(&r, r.path(), problems(&run)[1]);
    assert_eq!(doctor(&r).code, 0);
}

#[test]
fn a_non_executable_pre_commit_shim_lets_a_key_through_until_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let r = installed();
    r.stage("README", "hi\n");
    r.commit("init");
    let p = r.path().join(".git/hooks/pre-commit");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = doctor(&r);
    assert_eq!(problems(&run), [
        "problem: on commit, keyhook does not run (pre-commit: not active: .git/hooks/pre-commit is keyhook's but not executable, so git skips it (run `keyhook install` again))",
        "    fix: `keyhook install`",
    ]);
    // What doctor warns about is real: git skips the hook and commits the key.
    r.stage("k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    let commit = r.git_run(&["commit", "-q", "-m", "unguarded"]);
    assert_eq!(commit.code, 0, "{}", commit.stderr);
    assert!(
        commit
            .stderr
            .contains("hook was ignored because it's not set as executable"),
        "{}",
        commit.stderr
    );
    r.git(&["reset", "-q", "--soft", "HEAD~1"]);
    apply_fix(&r, r.path(), problems(&run)[1]);
    assert_eq!(doctor(&r).code, 0);
    let blocked = r.git_run(&["commit", "-q", "-m", "guarded"]);
    assert_eq!(blocked.code, 1, "{}", blocked.stderr);
}

#[test]
fn agent_hook_files_are_reported() {
    let r = installed();
    r.write(".claude/settings.json", "{\"hooks\":{\"PreToolUse\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"keyhook agent claude\"}]}]}}\n");
    r.write(".gemini/settings.json", "{}\n");
    let run = doctor(&r);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("ok: agent hooks: .claude/settings.json runs `keyhook agent`\nnote: agent hooks: .gemini/settings.json does not run keyhook, so that agent's tool calls are not checked (to guard it: `keyhook install --agents`)\n"), "{}", run.stdout);
}

#[test]
fn the_global_hooks_are_recognised() {
    let r = TestRepo::new();
    assert_eq!(r.keyhook(&["install", "--global"]).code, 0);
    let run = doctor(&r);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with("ok: git runs keyhook's global hooks"),
        "{}",
        run.stdout
    );
}
