//! `.pre-commit-hooks.yaml` through the real pre-commit framework:
//! `pre-commit try-repo <fresh clone of keyhook> keyhook` on a repository with
//! a staged key must block it. pre-commit is pip-installed into a virtualenv;
//! its `language: rust` builds keyhook with cargo, which takes minutes, so
//! the test runs only with KEYHOOK_TEST_PRE_COMMIT=1 and says so otherwise;
//! without Python's venv or PyPI it says why it skipped.

use crate::harness::{fake, Run, TestRepo};
use std::path::Path;

fn skip(why: &str) {
    eprintln!("SKIPPED pre_commit_framework: {why}");
}

#[test]
fn pre_commit_try_repo_on_a_fresh_clone_blocks_a_staged_key() {
    if std::env::var_os("KEYHOOK_TEST_PRE_COMMIT").is_none() {
        return skip("set KEYHOOK_TEST_PRE_COMMIT=1 to run it (pip-installs pre-commit and builds keyhook through it: minutes)");
    }
    let r = TestRepo::new();
    let venv = r.home().join("venv");
    let run = |program: &str, args: &[&str], dir: &Path| -> Run {
        Run::from_output(r.command(program, dir).args(args).output().unwrap())
    };
    if run("python3", &["-m", "venv", venv.to_str().unwrap()], r.path()).code != 0 {
        return skip("python3 -m venv is unavailable");
    }
    let pip = venv.join("bin/pip");
    let got = run(
        pip.to_str().unwrap(),
        &["install", "-q", "pre-commit"],
        r.path(),
    );
    if got.code != 0 {
        return skip(&format!(
            "cannot pip-install pre-commit (offline?): {}",
            got.stderr.lines().last().unwrap_or("")
        ));
    }
    // A fresh clone of this keyhook checkout, as a user's `repo:` would be.
    let clone = r.home().join("keyhook");
    let here = env!("CARGO_MANIFEST_DIR");
    let c = run(
        "git",
        &["clone", "-q", here, clone.to_str().unwrap()],
        r.path(),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);

    let key = fake::github_pat();
    r.stage("k.env", format!("GITHUB_TOKEN={key}\n"));
    let target = Path::new(here).join("target/pre-commit-try-repo");
    let mut cmd = r.command(venv.join("bin/pre-commit").to_str().unwrap(), r.path());
    cmd.args(["try-repo", clone.to_str().unwrap(), "keyhook"])
        // Reuse one build cache across runs, and skip the release profile's fat LTO.
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("PRE_COMMIT_HOME", r.home().join("pre-commit-cache"));
    // The toolchain and crate cache are the real user's, not the private HOME's.
    let real_home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    for (v, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        let x = std::env::var_os(v).map_or_else(|| real_home.join(default), Into::into);
        cmd.env(v, x);
    }
    let run = Run::from_output(cmd.output().unwrap());
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{all}");
    assert!(
        all.contains("k.env:1:14  GitHub personal access token  ghp_R8xZ****************"),
        "{all}"
    );
    assert!(!all.contains(&key), "secret leaked:\n{all}");
}
