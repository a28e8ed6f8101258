//! `.pre-commit-hooks.yaml` through the real pre-commit framework:
//! `pre-commit try-repo <fresh clone of keyhook> keyhook` on a repository with
//! a staged key must block it, and the same on a clean change must pass.
//! pre-commit is pip-installed into a virtualenv (from PyPI, or the wheels pip
//! is configured with); its `language: rust` builds keyhook with
//! `cargo install --path`, in the target directory shared with the CI install
//! tests ([`crate::release_build`]). The test is skipped, with a message, only
//! when `python3 -m venv` does not work; a pip or pre-commit failure or hang
//! fails it with their output.

use crate::harness::{fake, Run, TestRepo};
use crate::release_build::{cargo_env, cargo_lock, run_with_deadline, HERE};
use std::path::Path;
use std::time::Duration;

#[test]
fn pre_commit_try_repo_on_a_fresh_clone_blocks_a_staged_key() {
    let r = TestRepo::new();
    let venv = r.home().join("venv");
    let scratch = r.home();
    // A venv without pip (Debian's python3 without python3-venv fails
    // here) is "venv unavailable" too.
    let made = run_with_deadline(
        {
            let mut c = r.command("python3", r.path());
            c.args(["-m", "venv", venv.to_str().unwrap()]);
            c
        },
        "venv",
        Duration::from_secs(120),
        scratch,
    );
    if made.code != 0 || !venv.join("bin/pip").exists() {
        let why = made
            .stderr
            .lines()
            .last()
            .map_or_else(|| format!("exit code {}", made.code), str::to_string);
        eprintln!(
            "SKIPPED pre_commit_framework: `python3 -m venv` is unavailable here ({why}), so the pre-commit framework cannot be installed; install Python 3 with its venv module to run this test"
        );
        return;
    }
    let mut pip = r.command(venv.join("bin/pip").to_str().unwrap(), r.path());
    pip.args([
        "install",
        "--disable-pip-version-check",
        "--timeout",
        "60",
        "--retries",
        "2",
        "-q",
        "pre-commit",
    ]);
    // pip's cache outlives the private HOME, so later runs download nothing.
    pip.env(
        "PIP_CACHE_DIR",
        Path::new(HERE).join("target/install-tests-pip-cache"),
    );
    let got = run_with_deadline(pip, "pip", Duration::from_secs(300), scratch);
    assert_eq!(
        got.code, 0,
        "pip install pre-commit failed:\n{}{}",
        got.stdout, got.stderr
    );

    // A fresh clone of this keyhook checkout, as a user's `repo:` would be.
    let clone = r.home().join("keyhook");
    let c = r.git_run(&["clone", "-q", HERE, clone.to_str().unwrap()]);
    assert_eq!(c.code, 0, "{}", c.stderr);

    let try_repo = |what: &str| -> Run {
        let mut cmd = r.command(venv.join("bin/pre-commit").to_str().unwrap(), r.path());
        cmd.args(["try-repo", clone.to_str().unwrap(), "keyhook"])
            .env("PRE_COMMIT_HOME", r.home().join("pre-commit-cache"))
            // Every crate is in the local cache already (this test was built
            // from them): do not depend on the registry being reachable.
            .env("CARGO_NET_OFFLINE", "true");
        cargo_env(&mut cmd);
        let _cargo = cargo_lock();
        run_with_deadline(cmd, what, Duration::from_secs(900), scratch)
    };

    let key = fake::github_pat();
    r.stage("k.env", format!("GITHUB_TOKEN={key}\n"));
    let run = try_repo("try-repo-key");
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{all}");
    assert!(
        all.contains("k.env:1:14  GitHub personal access token  ghp_R8xZ****************"),
        "{all}"
    );
    assert!(
        all.contains("keyhook: commit blocked: 1 secret in 1 file"),
        "{all}"
    );
    assert!(!all.contains(&key), "secret leaked:\n{all}");

    // The same hook passes a clean change (the environment is built by now).
    r.git(&["rm", "-q", "--cached", "k.env"]);
    r.stage("README.md", "# hello\n");
    let clean = try_repo("try-repo-clean");
    let all = format!("{}{}", clean.stdout, clean.stderr);
    assert_eq!(clean.code, 0, "{all}");
}
