//! The generic judgement on whole files: references, identifiers, versions
//! and weak `key` names pass the hook, and a random value in the same place
//! of the same file still blocks at its exact line and column.

use crate::harness::{fake, TestRepo};

/// `path:line:col` of the first `value` in `text`.
fn location(path: &str, text: &str, value: &str) -> String {
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(value))
        .expect("value in text");
    format!("{path}:{}:{}", n + 1, line.find(value).unwrap() + 1)
}

/// Stages `files` (path, contents with `{}` where a value goes) filled with
/// the stand-ins, which must pass, then with a random value, which must block
/// on every file.
fn stand_ins_pass_random_values_block(files: &[(&str, &str, &str)]) {
    let repo = TestRepo::new();
    for (path, template, stand_in) in files {
        repo.stage(path, template.replace("{}", stand_in));
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let repo = TestRepo::new();
    let v = fake::generic_value();
    let mut expected = Vec::new();
    for (path, template, _) in files {
        let text = template.replace("{}", &v);
        repo.stage(path, &text);
        expected.push(location(path, &text, &v));
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    expected.sort();
    // One location may carry findings of two generic rules (a YAML
    // `token: value` is both an assignment and a labelled token).
    let mut found = run.locations();
    found.dedup();
    assert_eq!(found, expected);
}

#[test]
fn references_in_config_languages_pass() {
    stand_ins_pass_random_values_block(&[
        (
            "infra/main.tf",
            "resource \"x\" \"y\" {\n  agent_auth = {}\n}\n",
            "var.agent_auth",
        ),
        (
            "infra/db.tf",
            "locals {\n  password = {}\n}\n",
            "local.db_password",
        ),
        (
            "stack.yaml",
            "Props:\n  MasterUserPassword: {}\n",
            "!Ref DbPassword",
        ),
    ]);
}

#[test]
fn identifiers_and_versions_pass() {
    stand_ins_pass_random_values_block(&[
        (
            "lib/streams.py",
            "import sys\nCONFIG_KEY_STREAM = \"{}\"\n",
            "__channel_v3",
        ),
        (
            "api/openapi.yaml",
            "components:\n  token: {}\n",
            "TokenGrantSchema",
        ),
        ("stdlib/VERSIONS", "os: 3.0-\nspwd: {}\n", "3.0-3.12"),
        ("labels.yml", "bug:\n  keys: [\"{}\"]\n", "queue-watcher"),
    ]);
}

#[test]
fn substituted_and_foreign_word_passwords_pass() {
    stand_ins_pass_random_values_block(&[
        (
            "tests/test_login.py",
            "def test_login():\n    login(password=\"{}\")\n",
            "p@ssw0rd",
        ),
        (
            "docs/de/setup.py",
            "# Beispiel\nconnect(passwd=\"{}\")\n",
            "geheim$parole",
        ),
        ("conf/app.yml", "db:\n  password: {}\n", "s3cr3t"),
    ]);
}

#[test]
fn credentials_in_go_json_html_docs_and_powershell_block() {
    // Each file holds a stand-in or reference on its first line and the
    // random value, in the same syntax, on its second.
    let v = fake::generic_value();
    let files = [
        ("cmd/main.go", "\ttoken := os.Getenv(\"API_TOKEN\")\n\tapiToken := \"{}\"\n"),
        ("internal/db.go", "\tcfg := Config{Password: \"p@ssw0rd\"}\n\tcfg2 := Config{Password: \"{}\"}\n"),
        ("data/users.json", "{\"token\": \"${API_TOKEN}\",\n \"access_token\": \"{}\"}\n"),
        ("web/index.html", "<meta name=\"api-token\" content=\"{{ api_token }}\">\n<meta name=\"api-token\" content=\"{}\">\n"),
        ("docs/api.md", "Run `curl -u admin:admin http://localhost`, then\n`curl -u deploy:{} https://api.example.com`.\n"),
        ("docs/cache.md", "Use `redis://:password@localhost:6379` locally;\nproduction is `redis://:{}@cache.internal:6379`.\n"),
        ("cmd/env.go", "\tos.Setenv(\"API_TOKEN\", os.Getenv(\"CI_TOKEN\"))\n\treq.Header.Set(\"X-Api-Key\", \"{}\")\n"),
        ("cmd/http.go", "\treq.SetBasicAuth(\"admin\", \"admin\")\n\treq.SetBasicAuth(\"deploy\", \"{}\")\n"),
        ("deploy/run.ps1", "$a = ConvertTo-SecureString $env:PW -AsPlainText -Force\n$b = ConvertTo-SecureString \"{}\" -AsPlainText -Force\n"),
    ];
    let repo = TestRepo::new();
    let mut expected = Vec::new();
    for (path, template) in files {
        let text = template.replace("{}", &v);
        repo.stage(path, &text);
        expected.push(location(path, &text, &v));
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    expected.sort();
    let mut found = run.locations();
    found.dedup();
    assert_eq!(found, expected);
}

#[test]
fn nats_seeds_and_twilio_tokens_beside_their_sid_block() {
    let seed = [
        "SUAOKUJWHCLRTPSVQG2UBRB4J25RW5",
        "O6HOGZXG774XGQ7CIMAVVCF6W57M",
    ]
    .concat();
    let sid = ["AC0f3c9a7e2b4d6f", "8a1c3e5b7d9f1a3c5e"].concat();
    let hex32 = ["9f3c2a7e5b1d4f8a", "6c0e2b4d6f8a1c3e"].concat();
    let repo = TestRepo::new();
    repo.stage("nats/user.creds", format!("# public: UAB3\nseed: {seed}\n"));
    let ruby = format!(
        "# env: TWILIO_AUTH_TOKEN\n@client = Twilio::REST::Client.new('{sid}', '{hex32}')\n"
    );
    repo.stage("app/sms.rb", &ruby);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&seed).assert_no_secret(&hex32);
    assert_eq!(
        run.locations(),
        [
            location("app/sms.rb", &ruby, &hex32),
            "nats/user.creds:2:7".into()
        ]
    );
    assert_eq!(
        run.rules(),
        ["twilio.auth-token-after-sid", "nats.nkey-seed"]
    );
}
