//! Issue 5, the same key in many places: the secret ledger in the git
//! directory, the cross-environment and reuse findings, and the ledger's bad
//! input (corrupt, old, unwritable). Uses the `config/keys.{dev,test,prod}.js`
//! trio from `fixtures/ai_patterns/keys-trio/`.

use crate::ai_patterns::{f, fixture_dir, found, stage_fixture, whys};
use crate::harness::{fixture_keys, Run, TestRepo};

/// Stages `config/keys.<env>.js` from the trio fixture.
fn stage_trio(repo: &TestRepo, envs: &[&str]) {
    for e in envs {
        let rel = format!("config/keys.{e}.js");
        repo.stage(
            &rel,
            std::fs::read(fixture_dir("keys-trio").join(&rel)).unwrap(),
        );
    }
}

/// The cross-environment findings' explanations.
fn cross_whys(run: &Run) -> Vec<(String, String)> {
    found(run)
        .into_iter()
        .zip(whys(run))
        .filter(|((_, rule, _), _)| rule == "keyhook.cross-environment")
        .map(|((loc, _, _), why)| (loc, why))
        .collect()
}

#[test]
fn one_key_staged_into_three_environments_in_one_commit() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "keys-trio");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::trio_github_pat());
    assert_eq!(
        found(&run),
        [
            f("config/keys.dev.js:4:17", "github.pat", "provider-format"),
            f("config/keys.prod.js:4:17", "github.pat", "provider-format"),
            f(
                "config/keys.prod.js:4:17",
                "keyhook.cross-environment",
                "cross-environment"
            ),
            f("config/keys.test.js:4:17", "github.pat", "provider-format"),
        ]
    );
    assert_eq!(
        cross_whys(&run),
        [(
            "config/keys.prod.js:4:17".to_string(),
            "the same key is in config/keys.dev.js, config/keys.test.js and config/keys.prod.js: a development key has become a production key".to_string()
        )]
    );
}

#[test]
fn a_test_key_arriving_in_a_production_file_names_both_files() {
    let repo = TestRepo::new();
    stage_trio(&repo, &["test"]);
    repo.commit("test settings, committed with --no-verify");
    stage_trio(&repo, &["prod"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::trio_github_pat());
    assert_eq!(
        cross_whys(&run),
        [(
            "config/keys.prod.js:4:17".to_string(),
            "the same key is in config/keys.test.js and config/keys.prod.js: a test key has become a production key".to_string()
        )]
    );
    // The ledger lives in the git directory and holds no key.
    let ledger = std::fs::read_to_string(repo.path().join(".git/keyhook/ledger")).unwrap();
    assert!(
        ledger.contains("\"config/keys.prod.js\"") && ledger.contains("\"config/keys.test.js\"")
    );
    assert!(!ledger.contains(&fixture_keys::trio_github_pat()));
    assert!(!ledger.contains("Wq4Lz8Xk1Pn6Rt3Vb9Yc2Md7F"));
}

#[test]
fn a_base64_key_in_a_production_secret_matches_the_plain_key_in_a_test_file() {
    let repo = TestRepo::new();
    repo.stage(
        "tests/fixtures/github.env",
        format!("GITHUB_TOKEN={}\n", fixture_keys::github_pat()),
    );
    repo.commit("test fixture, committed with --no-verify");
    repo.stage(
        "deploy/prod/secret.yaml",
        std::fs::read(fixture_dir("k8s-secret").join("k8s/api.yaml")).unwrap(),
    );
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&fixture_keys::github_pat());
    assert_eq!(
        cross_whys(&run),
        [(
            "deploy/prod/secret.yaml:31:17".to_string(),
            "the same key is in tests/fixtures/github.env and deploy/prod/secret.yaml: a test key has become a production key".to_string()
        )]
    );
}

#[test]
fn a_production_key_copied_into_a_dev_file_says_so() {
    let repo = TestRepo::new();
    stage_trio(&repo, &["prod"]);
    repo.commit("prod settings, committed with --no-verify");
    assert_eq!(
        repo.keyhook(&["ledger", "rebuild"]).stdout,
        "keyhook: ledger rebuilt: 1 secret\n"
    );
    stage_trio(&repo, &["dev"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(
        cross_whys(&run),
        [(
            "config/keys.dev.js:4:17".to_string(),
            "the same key is in config/keys.dev.js and config/keys.prod.js: a production key has been copied into a development file".to_string()
        )]
    );
}

#[test]
fn a_ledger_entry_whose_key_was_removed_is_not_trusted() {
    let repo = TestRepo::new();
    stage_trio(&repo, &["test"]);
    // Records the test file's key in the ledger (the commit is blocked, not made).
    assert_eq!(repo.keyhook(&["pre-commit"]).code, 1);
    repo.stage("config/keys.test.js", "module.exports = { retries: 3 };\n");
    repo.commit("test settings without the key");
    stage_trio(&repo, &["prod"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(
        found(&run),
        [f(
            "config/keys.prod.js:4:17",
            "github.pat",
            "provider-format"
        )]
    );
}

#[test]
fn configured_environments_are_used() {
    let repo = TestRepo::new();
    repo.write(
        ".keyhook.toml",
        "[environments]\nblue = [\"deploy/blue/**\"]\ngreen = [\"deploy/green/**\"]\n",
    );
    let key = fixture_keys::github_pat();
    repo.stage("deploy/blue/app.cfg", format!("token {key}\n"));
    repo.stage("deploy/green/app.cfg", format!("token {key}\n"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(
        cross_whys(&run),
        [(
            "deploy/blue/app.cfg:1:7".to_string(),
            "the same key is in deploy/blue/app.cfg and deploy/green/app.cfg: one key serves the blue and green environments".to_string()
        )]
    );
}

#[test]
fn a_key_in_more_files_than_the_threshold_is_reuse() {
    let repo = TestRepo::new();
    let key = fixture_keys::github_pat();
    for name in ["a", "b", "c"] {
        repo.stage(&format!("scripts/{name}.sh"), format!("TOKEN={key}\n"));
    }
    repo.commit("three copies, committed with --no-verify");
    repo.stage("scripts/d.sh", format!("TOKEN={key}\n"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        found(&run),
        [
            f("scripts/d.sh:1:7", "github.pat", "provider-format"),
            f("scripts/d.sh:1:7", "keyhook.reuse", "reuse"),
        ]
    );
    assert_eq!(
        whys(&run)[1],
        "the same key is in 4 files (scripts/a.sh, scripts/b.sh, scripts/c.sh and scripts/d.sh): one leak exposes every copy, and rotating it means finding them all"
    );
    // Raising the threshold silences it.
    repo.write(".keyhook.toml", "reuse_threshold = 4\n");
    assert_eq!(repo.keyhook(&["pre-commit"]).rules(), ["github.pat"]);
}

#[test]
fn a_corrupt_ledger_is_rebuilt_with_a_note() {
    let repo = TestRepo::new();
    stage_trio(&repo, &["test"]);
    repo.commit("test settings, committed with --no-verify");
    repo.write(
        ".git/keyhook/ledger",
        "{\"format\": \"keyhook-ledger\", \"vers",
    );
    stage_trio(&repo, &["prod"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap();
    assert!(
        first.starts_with(
            "keyhook: note: the secret ledger (keyhook/ledger in the git directory) was corrupt: "
        ) && first.ends_with("; rebuilt it from the tracked files"),
        "{first}"
    );
    assert_eq!(cross_whys(&run).len(), 1, "{}", run.stderr);
    // Rebuilt and saved: the next run has nothing to note.
    let again = repo.keyhook(&["pre-commit"]);
    assert!(!again.stderr.contains("keyhook: note:"), "{}", again.stderr);
}

#[test]
fn a_ledger_from_an_older_version_is_rebuilt_with_a_note() {
    let repo = TestRepo::new();
    repo.write(
        ".git/keyhook/ledger",
        "{\"format\":\"keyhook-ledger\",\"version\":0,\"salt_id\":\"x\",\"secrets\":{}}",
    );
    stage_trio(&repo, &["dev"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "keyhook: note: the secret ledger (keyhook/ledger in the git directory) was written by another keyhook version (format 0, expected 1); rebuilt it from the tracked files"
    );
    assert_eq!(
        found(&run),
        [f(
            "config/keys.dev.js:4:17",
            "github.pat",
            "provider-format"
        )]
    );
    let ledger = std::fs::read_to_string(repo.path().join(".git/keyhook/ledger")).unwrap();
    assert!(ledger.contains("\"version\":1"), "{ledger}");
}

#[test]
fn a_clean_commit_never_touches_the_ledger() {
    let repo = TestRepo::new();
    repo.stage("src/lib.rs", "pub fn f() {}\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(!repo.path().join(".git/keyhook/ledger").exists());
}

#[test]
fn baseline_accepted_occurrences_still_feed_the_cross_environment_check() {
    use keyhook::pipeline::Pipeline;
    let repo = TestRepo::new();
    stage_trio(&repo, &["test"]);
    repo.commit("test settings, committed with --no-verify");
    stage_trio(&repo, &["prod"]);
    let git = git2::Repository::open(repo.path()).unwrap();
    let pipeline = Pipeline::load(repo.path(), Some(git.commondir())).unwrap();
    let changes = keyhook::source::staged::changes(&git).unwrap();
    let mut report = pipeline.check_changes(&git, &changes).unwrap();
    // As if a reviewer had accepted the production occurrence into the baseline.
    report.accepted_findings = std::mem::take(&mut report.findings);
    report.accepted = report.accepted_findings.len();
    let notes =
        keyhook::ledger::cross::check(&pipeline, &git, git.commondir(), &changes, &mut report);
    assert!(notes.is_empty(), "{notes:?}");
    let got: Vec<(String, u32, String)> = report
        .findings
        .iter()
        .map(|f| (f.path.clone(), f.line, f.why.clone()))
        .collect();
    assert_eq!(
        got,
        [(
            "config/keys.prod.js".to_string(),
            4,
            "the same key is in config/keys.test.js and config/keys.prod.js: a test key has become a production key".to_string()
        )]
    );
}

#[test]
fn an_unwritable_ledger_still_checks_the_commit_with_a_warning() {
    // Tests run as root, for whom a chmod-read-only directory is still
    // writable; a regular file where the `keyhook` directory belongs cannot
    // be written through by anyone, which is the failure that matters.
    let repo = TestRepo::new();
    repo.write(".git/keyhook", "not a directory");
    stage_trio(&repo, &["test", "prod"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::trio_github_pat());
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("keyhook: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("keyhook: warning: cannot update the secret ledger (")
            && warnings[0]
                .ends_with("); this commit was checked, but later ones will not see its keys"),
        "{}",
        warnings[0]
    );
    assert_eq!(run.rules().len(), 3, "{}", run.stderr);
    assert_eq!(cross_whys(&run).len(), 1);
}
