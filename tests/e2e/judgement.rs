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
    let with_plain_literal: Vec<(&str, &str, &str, &str)> = files
        .iter()
        .map(|&(path, template, stand_in)| (path, template, stand_in, "{}"))
        .collect();
    references_pass_quoted_values_block(&with_plain_literal);
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

/// Like [`stand_ins_pass_random_values_block`], for places where the
/// reference is an expression and the literal that replaces it is quoted:
/// (path, template, reference, how the random value is written there).
fn references_pass_quoted_values_block(files: &[(&str, &str, &str, &str)]) {
    let repo = TestRepo::new();
    for (path, template, reference, _) in files {
        repo.stage(path, template.replace("{}", reference));
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let repo = TestRepo::new();
    let v = fake::generic_value();
    let mut expected = Vec::new();
    for (path, template, _, literal) in files {
        let text = template.replace("{}", &literal.replace("{}", &v));
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
fn references_in_every_config_language_pass() {
    references_pass_quoted_values_block(&[
        (
            "infra/users.tf",
            "resource \"db_user\" \"u\" {\n  for_each = var.users\n  password = {}\n}\n",
            "each.value.password",
            "\"{}\"",
        ),
        (
            "infra/app.tf",
            "module \"app\" {\n  api_token = {}\n}\n",
            "data.vault_generic_secret.app.data[\"token\"]",
            "\"{}\"",
        ),
        (
            "infra/stack.yaml",
            "Resources:\n  Db:\n    Properties:\n      MasterUserPassword: {}\n",
            "!Sub \"{{resolve:secretsmanager:${DbSecret}:SecretString:password}}\"",
            "{}",
        ),
        (
            ".github/workflows/deploy.yml",
            "jobs:\n  deploy:\n    env:\n      API_TOKEN: {}\n",
            "${{ secrets.API_TOKEN }}",
            "{}",
        ),
        (
            "scripts/deploy.sh",
            "#!/bin/sh\nexport API_TOKEN={}\n",
            "$(vault read -field=token secret/deploy)",
            "{}",
        ),
        (
            "app/settings.py",
            "import config\nAPI_KEY = {}\n",
            "config[\"api_key\"]",
            "\"{}\"",
        ),
        (
            "app/db.py",
            "from django.conf import settings\npassword = {}\n",
            "settings.DB_PASSWORD",
            "\"{}\"",
        ),
        (
            "src/main/resources/application.yml",
            "spring:\n  datasource:\n    password: {}\n",
            "${DB_PASSWORD}",
            "{}",
        ),
        (
            "src/main/java/app/Client.java",
            "class Client {\n  @Value(\"${api.token}\") private String apiToken = {};\n}\n",
            "null",
            "\"{}\"",
        ),
    ]);
}

#[test]
fn stand_ins_never_count_as_reuse_or_a_key_shared_across_environments() {
    let repo = TestRepo::new();
    for env in ["dev", "test", "staging", "prod", "qa"] {
        repo.stage(
            &format!("config/app.{env}.yml"),
            "db:\n  user: app\n  password: changeme\napi:\n  token: your-api-token-here\n",
        );
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    // The same file with one real-looking value is a finding in each file,
    // and the shared value is named across environments.
    let repo = TestRepo::new();
    let v = fake::generic_value();
    for env in ["test", "prod"] {
        repo.stage(
            &format!("config/app.{env}.yml"),
            format!("db:\n  user: app\n  password: {v}\n"),
        );
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    assert!(
        run.rules().iter().any(|r| r == "keyhook.cross-environment"),
        "{}",
        run.stderr
    );
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
        (
            "compat/MODULES",
            "json: 2.6-\npasswd_tools: {}\n",
            "2.7-3.11",
        ),
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
            "docs/nl/setup.py",
            "# Voorbeeld\nconnect(passwd=\"{}\")\n",
            "wachtwoord!",
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

#[test]
fn method_parameters_and_identifier_cased_keys_are_not_values() {
    references_pass_quoted_values_block(&[
        (
            "app/auth.py",
            "def hash(password):\n    password = {}\n",
            "password.encode(\"utf-8\")",
            "\"{}\"",
        ),
        (
            "app/headers.py",
            "def read(request):\n    token = {}\n",
            "request.headers.get(\"X-Auth-Token\")",
            "\"{}\"",
        ),
        (
            "api/paginators.json",
            "{\n  \"result_key\": {}\n}\n",
            "\"VpnConcentrators\"",
            "\"{}\"",
        ),
    ]);
}

#[test]
fn a_keyword_table_continues_a_list_and_a_call_still_blocks() {
    let table = "KEYWORDS = [\n    'open', 'page', 'pass', 'poke', 'print',\n]\n";
    let repo = TestRepo::new();
    repo.stage("lexers/basic.py", table);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let v = fake::generic_value();
    let call = format!("login(\n    'user', 'pass', '{v}')\n");
    let repo = TestRepo::new();
    repo.stage("app/login.py", &call);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    assert_eq!(run.locations(), [location("app/login.py", &call, &v)]);
}

#[test]
fn doc_comments_and_docstrings_are_docs() {
    // Weak example passwords in documentation inside product code pass as
    // they do in a README; the random value in the same place blocks.
    stand_ins_pass_random_values_block(&[
        (
            "src/url.rs",
            "/// let url = Url::parse(\"ftp://rms:{}@example.com\")?;\npub fn parse() {}\n",
            "secret123",
        ),
        (
            "src/lib.rs",
            "//! let db = connect(\"postgres://user1:{}@db/app\");\npub mod db;\n",
            "secret1",
        ),
        (
            "src/main/java/app/Client.java",
            "/**\n * Example:\n *   String password = \"{}\";\n */\nclass Client {}\n",
            "secret123",
        ),
        (
            "app/client.py",
            "def connect():\n    \"\"\"Connect.\n\n    >>> connect(password=\"{}\")\n    \"\"\"\n    return None\n",
            "secret123",
        ),
    ]);
}

#[test]
fn the_same_weak_password_in_code_beside_a_doc_comment_blocks() {
    let doc = "/// connect(\"ftp://rms:secret123@example.com\")\n";
    let code = "let url = \"ftp://rms:secret123@example.com\";\n";
    let text = format!("{doc}pub fn f() {{\n    {code}}}\n");
    let py = "def f():\n    \"\"\"Doc.\"\"\"\n    connect(password=\"secret123\")\n";
    let repo = TestRepo::new();
    repo.stage("src/net.rs", &text);
    repo.stage("app/net.py", py);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app/net.py:3:23", "src/net.rs:3:26"]);
}

#[test]
fn sprinkled_alphabet_fillers_in_docs_pass() {
    // The alphabet typed with digits or capitals sprinkled in, assembled so
    // that this source holds none whole.
    let filler = ["AB1C2defGHij", "kLMNo3PqRstUvwxyz"].concat();
    let short = ["A1b2", "c3d4"].concat();
    stand_ins_pass_random_values_block(&[
        ("docs/channel.rst", "  \"passphrase\": \"{}\"\n", &filler),
        (
            "tests/test_stage.py",
            "STAGE = {\"token\": \"{}\"}\n",
            "a1b2c3d4567890ab",
        ),
        (
            "docs/cluster.md",
            "    \"MasterUserPassword\": \"{}\",\n",
            &short,
        ),
    ]);
}

#[test]
fn pagination_and_concurrency_tokens_are_handles_and_credentials_beside_them_block() {
    // The same random value under handle names passes and under credential
    // names (Vault's `client_token` among them) blocks.
    let v = fake::generic_value();
    let json = format!(
        "{{\n  \"nextSequenceToken\": \"{v}\",\n  \"PolicyUpdateToken\": \"{v}\",\n  \"LifecycleActionToken\": \"{v}\",\n  \"SessionToken\": \"{v}\"\n}}\n"
    );
    let vault = format!("{{\"auth\": {{\"client_token\": \"{v}\"}}}}\n");
    let sh = format!("aws dynamodb list-tables --starting-token {v}\n");
    let repo = TestRepo::new();
    repo.stage("api/examples.json", &json);
    repo.stage("api/vault.json", &vault);
    repo.stage("scripts/list.sh", &sh);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    let session = json.lines().nth(4).unwrap().find(&v).unwrap() + 1;
    assert_eq!(
        run.locations(),
        [
            format!("api/examples.json:5:{session}"),
            location("api/vault.json", &vault, &v)
        ]
    );
}

#[test]
fn tuple_assignments_pair_names_with_values_by_position() {
    // The match takes the first value (the user's); the password is the
    // second, which decides, and which is reported at its own column.
    stand_ins_pass_random_values_block(&[
        (
            "tests/test_auth.py",
            r#"def test_auth():
    user, password = 'wile', '{}'
"#,
            "topsecret",
        ),
        (
            "internal/auth_test.go",
            r#"func TestAuth(t *testing.T) {
	user, password := "wile", "{}"
}
"#,
            "topsecret",
        ),
        (
            "test/auth.test.js",
            r#"const [user, password] = ['wile', '{}'];
"#,
            "topsecret",
        ),
    ]);
}

#[test]
fn data_files_mechanism_names_and_labels_pass() {
    stand_ins_pass_random_values_block(&[
        (
            "docs/export.json",
            "{\n  \"S3Key\": \"{}\"\n}\n",
            "RHEL7export-i-ab12cd34.ova",
        ),
        (
            "mail/capabilities.py",
            "def supports_cram(caps):\n    return 'AUTH={}' in caps\n",
            "CRAM-MD5",
        ),
        (
            "events/detector.json",
            "{\n  \"keyValue\": \"{}\"\n}\n",
            "Fulton-B17",
        ),
        (
            "payments/export.json",
            "{\n  \"ExportToken\": \"{}\"\n}\n",
            "export-token-q7vk29mdxr4tplwz",
        ),
    ]);
}

#[test]
fn an_elided_private_key_passes_and_the_whole_one_blocks() {
    let head = "MIIEowIBAAKCAQEAq9Zr2LmX9vTb4KpW7nYc";
    let tail = [
        "3Rs8Qm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5Ty",
        "Kd8Nw2Pq5Rt7Vx3Zb6Mc9Lf4Hj1Gs0Ae7Uy",
    ]
    .concat();
    let json = |body: &str| {
        format!("{{\n  \"PrivateKey\": \"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\\n\"\n}}\n")
    };
    let repo = TestRepo::new();
    repo.stage("docs/core.json", json(&format!("{head}{tail}...fvY4")));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let repo = TestRepo::new();
    repo.stage("docs/core.json", json(&format!("{head}{tail}")));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&tail);
    assert_eq!(run.locations(), ["docs/core.json:2:18"]);
}

#[test]
fn strings_that_are_code_pass_and_literals_beside_them_block() {
    // A format template, a getter's lookup name and a call written as a
    // string hold the random value and pass; the same value as a plain
    // literal and as a getter's default blocks.
    let v = fake::generic_value();
    let py = format!(
        "signing_key = \"{v}%s\" % version\nauth = self._get_param('{v}')\ncheck = {{'password': \"run_all()\"}}\napi_key = os.getenv(\"API_KEY\", \"{v}\")\nsigning_key = \"{v}\"\n"
    );
    let repo = TestRepo::new();
    repo.stage("app/settings.py", &py);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    let col = |n: usize| py.lines().nth(n - 1).unwrap().find(&v).unwrap() + 1;
    assert_eq!(
        run.locations(),
        [
            format!("app/settings.py:4:{}", col(4)),
            format!("app/settings.py:5:{}", col(5))
        ]
    );
}

#[test]
fn self_labelled_keys_versioned_schema_names_and_split_words_pass() {
    stand_ins_pass_random_values_block(&[
        (
            "k8s/nodegroup.json",
            "{\n  \"taints\": [{\"key\": \"{}\", \"effect\": \"NO_EXECUTE\"}]\n}\n",
            "taint-key-1",
        ),
        (
            "api/paginators.json",
            "{\n  \"result_key\": \"{}\"\n}\n",
            "AggregatorsV2",
        ),
        (
            "tests/test_quoting.py",
            "def test_quoting():\n    parse(password=\"{}\")\n",
            "pa#ss",
        ),
    ]);
}

#[test]
fn what_is_read_from_a_token_passes_and_the_token_blocks() {
    let v = fake::generic_value();
    let json = format!(
        "{{\n  \"SubjectFromWebIdentityToken\": \"{v}\",\n  \"WebIdentityToken\": \"{v}\"\n}}\n"
    );
    let repo = TestRepo::new();
    repo.stage("sts/assume.json", &json);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    let col = json.lines().nth(2).unwrap().find(&v).unwrap() + 1;
    assert_eq!(run.locations(), [format!("sts/assume.json:3:{col}")]);
}

#[test]
fn files_named_as_examples_are_docs() {
    // A chosen-looking stand-in passes in files whose names say they are
    // examples, as in docs; a random value there blocks, and the same
    // stand-in in product configuration blocks.
    stand_ins_pass_random_values_block(&[
        (
            "data/iam/examples-1.json",
            "{\n  \"Password\": \"{}\"\n}\n",
            "CorrectHorse42!",
        ),
        (".env.example", "DB_PASSWORD={}\n", "CorrectHorse42!"),
    ]);
    let repo = TestRepo::new();
    repo.stage(
        "config/app.json",
        "{\n  \"Password\": \"CorrectHorse42!\"\n}\n",
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["config/app.json:2:16"]);
}

#[test]
fn certificate_material_passes_and_a_random_value_blocks() {
    // Base64 of DER naming a subject (CN=keyhook-test-ca), cut from its
    // stream at an offset as docs paste it: public, not a secret.
    let cert = [
        "CgIBATANBgkqhkiG9w0BAQsFADAaMRgwFgYDVQQDEw9rZXlob29rLXRlc3QtY2Ew",
        "HhcNMjYwMTAxMDAwMDAwWkFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9g",
    ]
    .concat();
    stand_ins_pass_random_values_block(&[(
        "docs/job.json",
        "{\n  \"authToken\": \"{}\"\n}\n",
        &cert,
    )]);
}

#[test]
fn a_tuple_of_two_secret_names_keeps_the_first_value_judged() {
    // The match takes the token's value; pairing it away to the password
    // would leave the token unjudged.
    let v = fake::generic_value();
    let py = format!("token, password = \"{v}\", \"topsecret\"\n");
    let repo = TestRepo::new();
    repo.stage("app/client.py", &py);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    assert_eq!(run.locations(), [location("app/client.py", &py, &v)]);
}

#[test]
fn a_service_named_with_a_secret_word_passes_and_a_password_path_blocks() {
    // `secretsmanager` names a service; a parameter path ending in
    // `password` maps to the password itself.
    let v = fake::generic_value();
    let json = format!(
        "{{\n  \"alias/aws/secretsmanager\": \"{v}\",\n  \"/prod/db/password\": \"{v}\"\n}}\n"
    );
    let repo = TestRepo::new();
    repo.stage("kms/aliases.json", &json);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    let col = json.lines().nth(2).unwrap().find(&v).unwrap() + 1;
    assert_eq!(run.locations(), [format!("kms/aliases.json:3:{col}")]);
}
