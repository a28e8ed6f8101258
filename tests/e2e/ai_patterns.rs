//! Issue 5: how AI coding tools leak keys. Realistic fixtures from
//! `fixtures/ai_patterns/` are copied into temporary repositories and staged;
//! each test asserts exact `path:line:col`, rule and pattern, and that the raw
//! key never appears in the output.

use crate::harness::{fixture_keys, Run, TestRepo};
use std::path::{Path, PathBuf};

pub(crate) fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ai_patterns")
        .join(name)
}

/// Copies `fixtures/ai_patterns/<name>` into the repository and stages every
/// file, even ones a `.gitignore` would hide.
pub(crate) fn stage_fixture(repo: &TestRepo, name: &str) {
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
        let rel = f.strip_prefix(&root).unwrap().to_str().unwrap().to_string();
        repo.write(&rel, std::fs::read(&f).unwrap());
        rels.push(rel);
    }
    let mut args = vec!["add", "-f", "--"];
    args.extend(rels.iter().map(String::as_str));
    repo.git(&args);
}

/// `(location, rule, pattern)` of every finding, in report order.
pub(crate) fn found(run: &Run) -> Vec<(String, String, String)> {
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

pub(crate) fn f(loc: &str, rule: &str, pattern: &str) -> (String, String, String) {
    (loc.into(), rule.into(), pattern.into())
}

/// The `why:` lines, in report order.
pub(crate) fn whys(run: &Run) -> Vec<String> {
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
            "generic.secret-assignment",
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
            f("svc/Dockerfile:5:23", "generic.labelled-token", "manifest"),
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
        [f(
            "compose.yaml:4:21",
            "generic.secret-assignment",
            "manifest"
        )]
    );
    run.assert_no_secret(&value);
}

#[test]
fn disabled_pattern_rules_do_not_run() {
    let repo = TestRepo::new();
    repo.write(".keyhook.toml", "disable_rules = [\"keyhook.env-file\"]\n");
    repo.stage(".env", "DEBUG=true\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}
