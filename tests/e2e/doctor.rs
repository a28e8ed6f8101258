//! `keyhook doctor` on each way keyhook can silently not run: the exact
//! lines, the fix command, and the exit code.

use crate::harness::{Run, TestRepo, KEYHOOK};

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
    assert!(run.stdout.starts_with("note: core.hooksPath=/opt/other-tool/hooks (global config) makes git run hooks from /opt/other-tool/hooks"), "{}", run.stdout);
    assert_eq!(problems(&run).len(), 4, "{}", run.stdout);
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
