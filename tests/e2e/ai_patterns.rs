//! Issue 5: how AI coding tools leak keys. Realistic fixtures from
//! `fixtures/ai_patterns/` are copied into temporary repositories and staged;
//! each test asserts exact `path:line:col`, rule and pattern, and that the raw
//! key never appears in the output.

use crate::harness::{fixture_keys, Run, TestRepo};
use std::path::{Path, PathBuf};

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ai_patterns")
        .join(name)
}

/// Copies `fixtures/ai_patterns/<name>` into the repository (under `prefix`)
/// and stages every file, even ones a `.gitignore` would hide.
fn stage_fixture_at(repo: &TestRepo, name: &str, prefix: &str) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = fixture_dir(name);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut rels = Vec::new();
    for f in files {
        let rel = format!(
            "{prefix}{}",
            f.strip_prefix(&root).unwrap().to_str().unwrap()
        );
        repo.write(&rel, std::fs::read(&f).unwrap());
        rels.push(rel);
    }
    let mut args = vec!["add", "-f", "--"];
    args.extend(rels.iter().map(String::as_str));
    repo.git(&args);
}

fn stage_fixture(repo: &TestRepo, name: &str) {
    stage_fixture_at(repo, name, "");
}

/// `(location, rule, pattern)` of every finding, in report order.
fn found(run: &Run) -> Vec<(String, String, String)> {
    let rules: Vec<(String, String)> = run
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("    rule: "))
        .map(|l| {
            let (rule, pattern) = l.split_once(" (").unwrap();
            (rule.to_string(), pattern.trim_end_matches(')').to_string())
        })
        .collect();
    run.locations()
        .into_iter()
        .zip(rules)
        .map(|(loc, (rule, pattern))| (loc, rule, pattern))
        .collect()
}

fn f(loc: &str, rule: &str, pattern: &str) -> (String, String, String) {
    (loc.into(), rule.into(), pattern.into())
}

/// The `why:` lines, in report order.
fn whys(run: &Run) -> Vec<String> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("    why: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn nextjs_app_with_env_local_reports_the_file_and_the_public_key() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "nextjs-app");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::openai_project());
    let expected = "\
.env.local:1:1  env file staged for commit  (whole file)
    rule: keyhook.env-file (env-file)
    why: `.env.local` is a local env file: it holds the real values of the environment's variables, and once committed they are in every clone and in the history for good (keyhook flags the file itself, whatever its values look like)
    fix: unstage it (`git rm --cached .env.local`), add `.env*` and `!.env.example` to .gitignore, and commit a `.env.example` with stand-in values instead; rotate every real key it held
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

.env.local:2:16  OpenAI project API key  sk-proj-****************
    rule: openai.project-key (provider-format)
    why: matches the OpenAI project API key format; entropy 5.5 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

.env.local:3:28  OpenAI project API key  sk-proj-****************
    rule: openai.project-key (public-env)
    why: `NEXT_PUBLIC_OPENAI_API_KEY` has Next.js's public prefix `NEXT_PUBLIC_`: its value is inlined into the JavaScript bundle at build time and ships to every visitor's browser; matches the OpenAI project API key format; entropy 5.5 bits/char, not a known placeholder
    fix: drop the `NEXT_PUBLIC_` prefix and use the key only on the server (an API route, server action or edge function that calls the provider for the browser); rotate the key, since every bundle built with it contains it
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 3 secrets in 1 file
";
    assert_eq!(run.stderr, expected);
}

#[test]
fn publishable_keys_under_public_prefixes_and_example_stand_ins_are_quiet() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "nextjs-clean");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_secret_named_public_variable_with_a_random_value_is_public_env() {
    let repo = TestRepo::new();
    let value = ["Vq8Zr2", "LmX9vT", "b4KpW7nY"].concat();
    repo.stage(
        "web/vite.env.ts",
        format!(
            "// injected at build time\nexport const env = {{\n  VITE_SUPABASE_SERVICE_ROLE_KEY: \"{value}\",\n}};\n"
        ),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&value);
    assert_eq!(
        found(&run),
        [f(
            "web/vite.env.ts:3:36",
            "keyhook.public-env",
            "public-env"
        )]
    );
    assert!(
        whys(&run)[0]
            .starts_with("`VITE_SUPABASE_SERVICE_ROLE_KEY` has Vite's public prefix `VITE_`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_env_file_is_a_finding_by_itself_and_example_files_are_scanned() {
    let repo = TestRepo::new();
    repo.stage("services/api/.env.production", "DEBUG=false\nPORT=8080\n");
    repo.stage(
        ".env.example",
        format!("GITHUB_TOKEN={}\n", fixture_keys::github_pat()),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    assert_eq!(
        found(&run),
        [
            f(".env.example:1:14", "github.pat", "env-file"),
            f(
                "services/api/.env.production:1:1",
                "keyhook.env-file",
                "env-file"
            ),
        ]
    );
    assert!(whys(&run)[0].starts_with("`.env.example` is an example env file"));
}

#[test]
fn aider_history_with_a_pasted_key_names_the_tool() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "aider-history");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    let expected = "\
.aider.chat.history.md:1:1  aider chat history staged for commit  (whole file)
    rule: keyhook.ai-transcript (ai-transcript)
    why: this file is aider's chat history: AI tools write every prompt, pasted key and command output into such files, which are meant to stay on the machine that wrote them
    fix: unstage it (`git rm --cached .aider.chat.history.md`) and add `.aider.chat.history.md` to .gitignore; rotate any key that was ever pasted into the chat
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

.aider.chat.history.md:17:26  GitHub personal access token  ghp_Keyh****************
    rule: github.pat (ai-transcript)
    why: in aider's chat history (keys pasted into a chat are kept verbatim); matches the GitHub personal access token format; entropy 5.0 bits/char, not a known placeholder
    fix: rotate this key: it was shared with aider and written into its chat history; then unstage the file and add it to .gitignore
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 2 secrets in 1 file
";
    assert_eq!(run.stderr, expected);
}

#[test]
fn configured_ai_files_are_transcripts_too() {
    let repo = TestRepo::new();
    repo.write(
        ".keyhook.toml",
        "[ai_files]\n\"Acme Copilot\" = [\".acme/chats/**\"]\n",
    );
    repo.stage("tools/.acme/chats/2025-01-02.json", "{\"messages\": []}\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        found(&run),
        [f(
            "tools/.acme/chats/2025-01-02.json:1:1",
            "keyhook.ai-transcript",
            "ai-transcript"
        )]
    );
    assert!(run
        .stderr
        .contains("  Acme Copilot transcript staged for commit  (whole file)"));
}

#[test]
fn a_huge_transcript_is_scanned_to_the_end() {
    let repo = TestRepo::new();
    let mut text = String::with_capacity(5 << 20);
    let mut lines = 0;
    while text.len() < 4 << 20 {
        text.push_str("> Tokens: 2.1k sent, 61 received. Cost: $0.0072 message, $0.0072 session.  \n#### please refactor the key handling in auth.py, the token refresh is flaky  \n");
        lines += 2;
    }
    text.push_str(&format!(
        "#### here is the token {}\n",
        fixture_keys::github_pat()
    ));
    repo.stage("notes/.aider.chat.history.md", &text);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    assert_eq!(
        found(&run),
        [
            f(
                "notes/.aider.chat.history.md:1:1",
                "keyhook.ai-transcript",
                "ai-transcript"
            ),
            f(
                &format!("notes/.aider.chat.history.md:{}:24", lines + 1),
                "github.pat",
                "ai-transcript"
            ),
        ]
    );
}

#[test]
fn mcp_json_with_a_literal_github_token_and_a_literal_password() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "mcp-literal");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    run.assert_no_secret("correct-horse-battery");
    assert_eq!(
        found(&run),
        [
            f(".mcp.json:7:42", "github.pat", "mcp-config"),
            f(".mcp.json:15:24", "keyhook.mcp-literal", "mcp-config"),
        ]
    );
    assert_eq!(
        whys(&run)[1],
        "in Claude Code's agent configuration, which is committed and shared with every clone; `PGPASSWORD` under `env` holds a literal value, not a reference"
    );
    assert!(run.stderr.contains(
        "    fix: reference it instead of writing it (`${env:NAME}` in VS Code and Cursor, `${NAME}` in Claude Code's .mcp.json, `${input:id}` to prompt for it) and set the value outside the repository; rotate the key\n"
    ));
}

#[test]
fn mcp_configs_with_env_and_input_references_are_quiet() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "mcp-references");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn malformed_mcp_json_is_still_scanned_line_by_line() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "mcp-malformed");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    assert_eq!(
        found(&run),
        [
            f(".cursor/mcp.json:11:42", "github.pat", "mcp-config"),
            f(
                ".cursor/mcp.json:17:17",
                "keyhook.mcp-literal",
                "mcp-config"
            ),
        ]
    );
}

#[test]
fn kubernetes_secret_data_is_decoded_and_string_data_scanned() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "k8s-secret");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&fixture_keys::github_pat());
    run.assert_no_secret(&fixture_keys::openai_project());
    assert_eq!(
        found(&run),
        [
            f("k8s/api.yaml:31:17", "github.pat", "manifest"),
            f("k8s/api.yaml:32:19", "keyhook.k8s-secret", "manifest"),
            f("k8s/api.yaml:34:20", "openai.project-key", "manifest"),
        ]
    );
    let w = whys(&run);
    assert!(
        w[0].starts_with("`data.GITHUB_TOKEN` of Secret `api-credentials`, base64-decoded"),
        "{}",
        w[0]
    );
    assert!(w[2].starts_with("in Kubernetes Secret `api-credentials`; matches"));
}

#[test]
fn invalid_base64_under_data_is_neither_a_crash_nor_a_finding() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "k8s-secret");
    repo.git(&["rm", "-q", "--cached", "k8s/api.yaml"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn dockerfile_compose_ci_and_terraform_literals() {
    let repo = TestRepo::new();
    stage_fixture(&repo, "deploy");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        found(&run),
        [
            f(
                ".github/workflows/deploy.yml:9:22",
                "generic.secret-assignment",
                "manifest"
            ),
            f(
                "docker-compose.yml:8:24",
                "generic.secret-assignment",
                "manifest"
            ),
            f(
                "docker-compose.yml:13:26",
                "generic.secret-assignment",
                "manifest"
            ),
            f(
                "infra/prod.tfvars:3:16",
                "generic.secret-assignment",
                "manifest"
            ),
            f(
                "infra/variables.tf:4:16",
                "keyhook.terraform-secret",
                "manifest"
            ),
            f(
                "svc/Dockerfile:5:23",
                "keyhook.dockerfile-secret",
                "manifest"
            ),
        ]
    );
    assert!(run.stderr.contains(
        "    fix: store it as a CI secret and reference it (`${{ secrets.NAME }}` in GitHub Actions, a masked variable `$NAME` in GitLab CI); rotate the key\n"
    ));
}

#[test]
fn pipelines_that_reference_secrets_and_malformed_yaml_are_fine() {
    let repo = TestRepo::new();
    repo.stage(
        ".github/workflows/ci.yml",
        "jobs:\n  test:\n    env:\n      FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}\n      NPM_TOKEN: $NPM_TOKEN\n",
    );
    // Unbalanced quotes and a tab-indented block: not YAML, still scanned.
    repo.stage(
        "compose.yaml",
        "services:\n  api:\n\tenvironment:\n      - \"API_KEY=${API_KEY}\n      - DB_PASSWORD: [unclosed\n",
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let value = ["Hv4Jq8", "Zr2LmX", "9vTb4KpW"].concat();
    repo.stage(
        "compose.yaml",
        format!("services:\n  api:\n\tenvironment: [\n      - \"STRIPE_KEY={value}\n"),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(
        found(&run),
        [f("compose.yaml:4:21", "keyhook.compose-secret", "manifest")]
    );
    run.assert_no_secret(&value);
}

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
    assert!(!repo.path().join(".git/keyhook").exists());
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

#[test]
fn disabled_pattern_rules_do_not_run() {
    let repo = TestRepo::new();
    repo.write(".keyhook.toml", "disable_rules = [\"keyhook.env-file\"]\n");
    repo.stage(".env", "DEBUG=true\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}
