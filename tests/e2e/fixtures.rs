//! The realistic fixtures in `fixtures/realistic/`: files shaped like what AI
//! tools scaffold, each staged into a fresh repository. Every fake key is
//! reported at its exact place; every placeholder next to it stays quiet.

use crate::harness::TestRepo;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/realistic");

/// Stages the fixture files under `fixtures/realistic/` at the same paths.
fn staged(files: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    for f in files {
        let data = std::fs::read(format!("{ROOT}/{f}")).unwrap();
        repo.write(f, data);
        repo.git(&["add", "-f", "--", f]);
    }
    repo
}

fn located(repo: &TestRepo) -> Vec<(String, String)> {
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for secret in [
        "FAKE2FJiqN8fBU5phvOPsrWS14",
        "FAKEvgMzldyNd0ktmgFQHh8nKilpC8Opf8uE",
        "Qv7FAKEx9LmT2pWz",
    ] {
        run.assert_no_secret(secret);
    }
    run.locations().into_iter().zip(run.rules()).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_generated_next_app_reports_its_keys_and_the_env_file() {
    let repo = staged(&[
        "webapp/.env.local",
        "webapp/next.config.js",
        "webapp/docker-compose.yml",
    ]);
    assert_eq!(
        located(&repo),
        pairs(&[
            ("webapp/.env.local:1:1", "keyhook.env-file"),
            ("webapp/.env.local:4:16", "openai.project-key"),
            ("webapp/.env.local:6:14", "github.pat"),
            ("webapp/docker-compose.yml:10:37", "postgres.url-password"),
            ("webapp/next.config.js:6:25", "stripe.live-secret-key"),
        ])
    );
}

#[test]
fn kubernetes_and_django_settings_report_only_the_literals() {
    let repo = staged(&["k8s/deployment.yaml", "django/settings.py"]);
    assert_eq!(
        located(&repo),
        pairs(&[
            ("django/settings.py:11:22", "aws.access-key-id"),
            ("django/settings.py:12:26", "aws.secret-access-key"),
            ("k8s/deployment.yaml:13:22", "github.pat"),
        ])
    );
}
