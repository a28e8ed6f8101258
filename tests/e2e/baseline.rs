//! The baseline of accepted findings: `keyhook baseline update|review|prune`,
//! what the hook does with the file, and the file's bad-input cases.

use crate::harness::{fake, Run, TestRepo};
use std::io::Write;
use std::process::Stdio;

const BASELINE: &str = ".keyhook-baseline.toml";

/// `SOURCE_DATE_EPOCH` for 2026-01-01, so `accepted_at` is known.
const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1767225600");

fn kh(repo: &TestRepo, args: &[&str]) -> Run {
    repo.keyhook_env(args, &[EPOCH])
}

fn baseline(repo: &TestRepo) -> String {
    std::fs::read_to_string(repo.path().join(BASELINE)).unwrap()
}

/// The repository's local salt (the baseline header copies it).
fn salt(repo: &TestRepo) -> String {
    std::fs::read_to_string(repo.path().join(".git/keyhook/salt"))
        .unwrap()
        .trim()
        .to_string()
}

fn fp(repo: &TestRepo, secret: &str) -> String {
    keyhook::fingerprint::fingerprint(&salt(repo), secret.as_bytes())
}

/// A staged file whose third line holds `key` at column 14.
fn stage_app_env(repo: &TestRepo, key: &str) {
    repo.stage(
        "config/app.env",
        format!("# app settings\nLOG_LEVEL=info\nGITHUB_TOKEN={key}\n"),
    );
}

/// Asserts a one-line `keyhook: error: ...` with exit 2.
fn assert_error(run: &Run, expected: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr, format!("keyhook: error: {expected}\n"));
}

#[test]
fn blocked_commit_passes_after_update_and_the_baseline_holds_no_key() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    stage_app_env(&repo, &key);
    assert_eq!(kh(&repo, &["pre-commit"]).code, 1);

    let up = kh(&repo, &["baseline", "update", "--reason", "test fixture"]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    up.assert_no_secret(&key);
    assert_eq!(
        up.stdout,
        "accepted  config/app.env:3:14  github.pat  ghp_R8xZ****************\n\
         keyhook: added 1 entry to .keyhook-baseline.toml (commit it with your change)\n"
    );
    assert_eq!(up.stderr, "");

    let again = kh(&repo, &["pre-commit"]);
    assert_eq!((again.code, again.stderr.as_str()), (0, ""));

    let text = baseline(&repo);
    assert!(!text.contains(&key));
    let expected = format!(
        "\
# keyhook baseline: findings reviewed and accepted as not secrets.
# An entry matches by rule + path + a salted fingerprint of the value; the value
# itself is never stored. Change this file with `keyhook baseline update`,
# `keyhook baseline review` or `keyhook baseline prune`, and commit it.

version = 1
salt = \"{}\"

[[accepted]]
path = \"config/app.env\"
rule = \"github.pat\"
fingerprint = \"{}\"
accepted_by = \"Test <test@example.com>\"
accepted_at = \"2026-01-01\"
reason = \"test fixture\"
",
        salt(&repo),
        fp(&repo, &key)
    );
    assert_eq!(text, expected);

    // Nothing left to accept; the file is not rewritten.
    let before = std::fs::metadata(repo.path().join(BASELINE))
        .unwrap()
        .modified()
        .unwrap();
    let none = kh(&repo, &["baseline", "update"]);
    assert_eq!(none.code, 0);
    assert_eq!(
        none.stdout,
        "keyhook: nothing to accept: no finding in the staged diff that the baseline does not already accept\n"
    );
    assert_eq!(baseline(&repo), expected);
    let after = std::fs::metadata(repo.path().join(BASELINE))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn inserting_lines_above_the_accepted_line_still_passes() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    stage_app_env(&repo, &key);
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    repo.stage(
        "config/app.env",
        format!("# new header\n\n\n# app settings\nLOG_LEVEL=info\nGITHUB_TOKEN={key}\n"),
    );
    let run = kh(&repo, &["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_second_different_key_in_the_same_file_still_blocks() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    stage_app_env(&repo, &key);
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    let other = fake::github_pat2();
    repo.stage(
        "config/app.env",
        format!("# app settings\nLOG_LEVEL=info\nGITHUB_TOKEN={key}\nBACKUP_TOKEN={other}\n"),
    );
    let run = kh(&repo, &["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["config/app.env:4:14"]);
    assert_eq!(run.rules(), ["github.pat"]);
    run.assert_no_secret(&key).assert_no_secret(&other);
}

#[test]
fn the_accepted_key_copied_to_another_file_still_blocks() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    stage_app_env(&repo, &key);
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    repo.stage("deploy/prod.env", format!("GITHUB_TOKEN={key}\n"));
    let run = kh(&repo, &["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["deploy/prod.env:1:14"]);
    run.assert_no_secret(&key);
}

#[test]
fn prune_removes_the_entry_once_the_line_is_deleted() {
    let repo = TestRepo::new();
    let (k1, k2) = (fake::github_pat(), fake::github_pat2());
    repo.stage("a.env", format!("A=1\nGITHUB_TOKEN={k1}\n"));
    repo.stage("b.env", format!("GITHUB_TOKEN={k2}\n"));
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    repo.git(&["add", BASELINE]);
    repo.commit("fixtures, accepted");

    let kept = kh(&repo, &["baseline", "prune"]);
    assert_eq!(
        (kept.code, kept.stdout.as_str()),
        (
            0,
            "keyhook: every entry still matches a finding; nothing pruned\n"
        )
    );

    repo.stage("a.env", "A=1\n");
    let before = baseline(&repo);
    let run = kh(&repo, &["baseline", "prune"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "pruned  a.env  github.pat  (accepted by Test <test@example.com> on 2026-01-01)\n\
         keyhook: removed 1 entry from .keyhook-baseline.toml (commit it)\n"
    );
    let after = baseline(&repo);
    let a_block = format!(
        "\n[[accepted]]\npath = \"a.env\"\nrule = \"github.pat\"\nfingerprint = \"{}\"\naccepted_by = \"Test <test@example.com>\"\naccepted_at = \"2026-01-01\"\n",
        fp(&repo, &k1)
    );
    assert_eq!(after, before.replace(&a_block, ""));
    assert!(after.contains("path = \"b.env\""));
    assert!(!after.contains(&k1) && !after.contains(&k2));
}

#[test]
fn keyhook_allow_suppresses_exactly_one_line() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage(
        "src/settings.py",
        format!(
            "EXAMPLE = \"{key}\"  # keyhook:allow documented sample\nTOKEN = \"{key}\"\n// keyhook:allow\nOTHER = \"{key}\"\n"
        ),
    );
    let run = kh(&repo, &["pre-commit"]);
    assert_eq!(run.code, 1);
    // Line 1 is allowed; line 2 is not; the marker on line 3 does not reach line 4.
    assert_eq!(
        run.locations(),
        ["src/settings.py:2:10", "src/settings.py:4:10"]
    );
    run.assert_no_secret(&key);
}

#[test]
fn update_all_accepts_every_tracked_finding() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("old/legacy.env", format!("GITHUB_TOKEN={key}\n"));
    repo.commit("legacy key, committed with --no-verify");
    let staged = kh(&repo, &["baseline", "update"]);
    assert_eq!(
        staged.stdout,
        "keyhook: nothing to accept: no finding in the staged diff that the baseline does not already accept\n"
    );
    assert!(!repo.path().join(BASELINE).exists());
    let all = kh(
        &repo,
        &["baseline", "update", "--all", "--reason", "revoked"],
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(
        all.stdout,
        "accepted  old/legacy.env:1:14  github.pat  ghp_R8xZ****************\n\
         keyhook: added 1 entry to .keyhook-baseline.toml (commit it with your change)\n"
    );
    assert!(baseline(&repo).contains("reason = \"revoked\"\n"));
    let again = kh(&repo, &["baseline", "update", "--all"]);
    assert_eq!(
        again.stdout,
        "keyhook: nothing to accept: no finding in the tracked files that the baseline does not already accept\n"
    );
}

#[test]
fn the_fingerprint_uses_the_local_salt_before_and_after_the_file_exists() {
    // The pre-commit run creates the local salt; update copies it into the
    // header, so the fingerprint does not change when the file appears.
    let repo = TestRepo::new();
    let key = fake::github_pat();
    stage_app_env(&repo, &key);
    assert_eq!(kh(&repo, &["pre-commit"]).code, 1);
    let local = salt(&repo);
    assert_eq!(local.len(), 32);
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    assert!(baseline(&repo).contains(&format!("salt = \"{local}\"\n")));
    assert_eq!(salt(&repo), local);
}

#[test]
fn a_malformed_baseline_is_refused_and_left_untouched() {
    let repo = TestRepo::new();
    let bad = "version = 1\nsalt = \"abc\"\n[[accepted]\npath = \"a.env\"\n";
    repo.write(BASELINE, bad);
    stage_app_env(&repo, &fake::github_pat());
    let expected = ".keyhook-baseline.toml:3: invalid table header (fix the file, or restore it with `git checkout -- .keyhook-baseline.toml`)";
    for args in [
        &["pre-commit"][..],
        &["baseline", "update"],
        &["baseline", "update", "--all"],
        &["baseline", "prune"],
    ] {
        assert_error(&kh(&repo, args), expected);
        assert_eq!(baseline(&repo), bad, "{args:?} touched the file");
    }
    assert!(!repo.path().join(".keyhook-baseline.toml.lock").exists());
}

#[test]
fn a_malformed_config_stops_update_before_anything_is_written() {
    let repo = TestRepo::new();
    let config = "disable_rules = [\"github.pat\"\nmax_file_size = 10\n";
    repo.write(".keyhook.toml", config);
    stage_app_env(&repo, &fake::github_pat());
    let run = kh(&repo, &["baseline", "update"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("keyhook: error: .keyhook.toml:2: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
    assert!(!repo.path().join(BASELINE).exists());
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".keyhook.toml")).unwrap(),
        config
    );
}

#[test]
fn a_duplicate_entry_is_an_error_naming_the_line() {
    let repo = TestRepo::new();
    stage_app_env(&repo, &fake::github_pat());
    assert_eq!(kh(&repo, &["baseline", "update"]).code, 0);
    let text = baseline(&repo);
    let block = &text[text.find("[[accepted]]").unwrap()..];
    let doubled = format!("{text}\n{block}");
    repo.write(BASELINE, &doubled);
    let expected = ".keyhook-baseline.toml:16: duplicate entry for rule github.pat in config/app.env (same fingerprint as line 9; delete one of the two [[accepted]] blocks)";
    assert_error(&kh(&repo, &["pre-commit"]), expected);
    assert_error(&kh(&repo, &["baseline", "update", "--all"]), expected);
    assert_eq!(baseline(&repo), doubled);
}

#[test]
fn a_newer_format_version_says_upgrade_keyhook() {
    let repo = TestRepo::new();
    let newer = "version = 2\nsalt = \"abc\"\nsigned_by = \"someone\"\n";
    repo.write(BASELINE, newer);
    stage_app_env(&repo, &fake::github_pat());
    let expected = ".keyhook-baseline.toml:1: baseline format version 2 is newer than this keyhook reads (version 1) (upgrade keyhook)";
    assert_error(&kh(&repo, &["pre-commit"]), expected);
    assert_error(&kh(&repo, &["baseline", "update"]), expected);
    assert_eq!(baseline(&repo), newer);
}

#[test]
fn racing_updates_lose_no_entry() {
    // Each process stages a different file in its own index (GIT_INDEX_FILE),
    // so each has exactly one finding to add; all start at once.
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    const N: usize = 4;
    let keys = [
        fake::github_pat(),
        fake::github_pat2(),
        fake::openai_project(),
        format!("{}_{}", "ghp", "Zx9Kq2Lm7Np4Rt8Vw3Yb6Cd1Fg5Hj0Ks2MuE"),
    ];
    let mut children = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let index = repo.path().join(format!(".git/index-{i}"));
        std::fs::copy(repo.path().join(".git/index"), &index).unwrap();
        let name = format!("k{i}.env");
        repo.write(&name, format!("SECRET_TOKEN={key}\n"));
        let add = repo
            .command("git", repo.path())
            .env("GIT_INDEX_FILE", &index)
            .args(["add", &name])
            .output()
            .unwrap();
        assert!(add.status.success());
        let child = repo
            .command(crate::harness::KEYHOOK, repo.path())
            .env("GIT_INDEX_FILE", &index)
            .env(EPOCH.0, EPOCH.1)
            .args(["baseline", "update"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        children.push(child);
    }
    for child in children {
        let run = Run::from_output(child.wait_with_output().unwrap());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.ends_with(
                "keyhook: added 1 entry to .keyhook-baseline.toml (commit it with your change)\n"
            ),
            "{}",
            run.stdout
        );
    }
    let text = baseline(&repo);
    assert_eq!(text.matches("[[accepted]]").count(), N, "{text}");
    for i in 0..N {
        assert!(text.contains(&format!("path = \"k{i}.env\"")), "{text}");
    }
    assert!(!repo.path().join(".keyhook-baseline.toml.lock").exists());
}

#[test]
fn review_without_a_terminal_exits_2_and_points_to_update() {
    let repo = TestRepo::new();
    stage_app_env(&repo, &fake::github_pat());
    assert_error(
        &kh(&repo, &["baseline", "review"]),
        "baseline review needs a terminal to ask questions (run `keyhook baseline update --reason \"...\"` to accept every current finding instead)",
    );
    assert!(!repo.path().join(BASELINE).exists());
}

/// Runs `keyhook baseline review` on a pseudo-terminal (util-linux `script`)
/// with `answers` typed in. `None` when `script` is not available.
fn review_on_a_pty(repo: &TestRepo, answers: &str) -> Option<Run> {
    // Probe with a real run: `script` may be missing, be the BSD one, or find
    // no pseudo-terminal in a container.
    let probe = repo
        .command("script", repo.path())
        .args(["-qec", "test -t 0", "/dev/null"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("note: no util-linux `script` with a pseudo-terminal here; the review loop is covered by unit tests only");
        return None;
    }
    let mut child = repo
        .command("script", repo.path())
        .args(["-qec"])
        .arg(format!("'{}' baseline review", crate::harness::KEYHOOK))
        .arg("/dev/null")
        .env(EPOCH.0, EPOCH.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    Some(Run::from_output(child.wait_with_output().unwrap()))
}

#[test]
fn review_on_a_terminal_accepts_with_a_reason_and_leaves_the_rest() {
    let repo = TestRepo::new();
    let (k1, k2) = (fake::github_pat(), fake::github_pat2());
    repo.stage(
        "config/app.env",
        format!("# app settings\nLOG_LEVEL=info\nGITHUB_TOKEN={k1}\n# rotated {k2}\nPORT=80\n"),
    );
    let Some(run) = review_on_a_pty(&repo, "y\nsample from the docs\nn\n") else {
        return;
    };
    run.assert_no_secret(&k1).assert_no_secret(&k2);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = run.stdout.replace("\r\n", "\n");
    for expected in [
        "[1/2] config/app.env:3:14  GitHub personal access token  ghp_R8xZ****************\n\
         \x20   rule: github.pat (provider-format)\n",
        "    1 | # app settings\n    2 | LOG_LEVEL=info\n  > 3 | GITHUB_TOKEN=ghp_R8xZ****************\n    4 | # rotated ghp_Wq4L****************\n    5 | PORT=80\n",
        "[2/2] config/app.env:4:11  GitHub personal access token  ghp_Wq4L****************\n",
        "accepted  config/app.env:3:14  github.pat  ghp_R8xZ****************\n\
         keyhook: added 1 entry to .keyhook-baseline.toml (commit it with your change)\n\
         keyhook: 1 finding still blocks\n",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    let text = baseline(&repo);
    assert_eq!(text.matches("[[accepted]]").count(), 1);
    assert!(
        text.contains("reason = \"sample from the docs\"\n"),
        "{text}"
    );
    assert!(text.contains(&fp(&repo, &k1)));
    let hook = kh(&repo, &["pre-commit"]);
    assert_eq!(hook.locations(), ["config/app.env:4:11"]);
}
