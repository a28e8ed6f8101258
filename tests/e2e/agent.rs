//! The agent guard end to end: recorded hook payloads (fixtures/agents/)
//! piped into the real binary, asserting the exit code, the JSON on stdout
//! and the redacted reason; the bypass commands; malformed input; and
//! install/uninstall round trips on settings files that hold other hooks.

use crate::harness::{fake, run_with_stdin, Run, TestRepo, KEYHOOK};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/agents");

/// A fixture with `@ROOT@`, `@KEY@` and `@COMMAND@` filled in (JSON-escaped).
fn payload(name: &str, root: &str, key: &str, command: &str) -> String {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap();
    let esc = |s: &str| {
        let q = serde_json::to_string(s).unwrap();
        q[1..q.len() - 1].to_string()
    };
    text.replace("@ROOT@", &esc(root))
        .replace("@KEY@", &esc(key))
        .replace("@COMMAND@", &esc(command))
}

fn agent(repo: &TestRepo, which: &str, input: &str) -> Run {
    let mut c = repo.command(KEYHOOK, repo.path());
    c.args(["agent", which]);
    run_with_stdin(c, input.as_bytes())
}

fn event(repo: &TestRepo, which: &str, fixture: &str, key: &str, command: &str) -> Run {
    let root = repo.path().to_str().unwrap().to_string();
    agent(repo, which, &payload(fixture, &root, key, command))
}

fn json(r: &Run) -> Value {
    serde_json::from_str(r.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {:?}", r.stdout))
}

fn repo_with_config() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "src/config.ts",
        "export const config = {\n  retries: 1,\n  token: process.env.GITHUB_TOKEN,\n};\n",
    );
    repo
}

const REDACTED: &str = "ghp_R8xZ****************";

#[test]
fn a_prompt_holding_a_key_is_refused_by_every_agent_with_the_key_redacted() {
    let repo = repo_with_config();
    let key = fake::github_pat();
    let claude = event(&repo, "claude", "claude/user-prompt-submit.json", &key, "");
    assert_eq!(claude.code, 2, "{claude:?}");
    assert_eq!(claude.stdout, "");
    assert!(claude.stderr.starts_with(
        "keyhook: prompt blocked before it reached the model: it holds 1 secret\n  prompt line 1:25  GitHub personal access token  ghp_R8xZ****************\n"
    ), "{}", claude.stderr);
    assert!(claude.stderr.contains("rotate it now"));
    claude.assert_no_secret(&key);

    let cursor = event(
        &repo,
        "cursor",
        "cursor/before-submit-prompt.json",
        &key,
        "",
    );
    assert_eq!(cursor.code, 2);
    let v = json(&cursor);
    assert_eq!(v["continue"], false);
    assert!(v["user_message"].as_str().unwrap().contains(REDACTED));
    cursor.assert_no_secret(&key);

    let gemini = event(&repo, "gemini", "gemini/before-agent.json", &key, "");
    assert_eq!(gemini.code, 2);
    let v = json(&gemini);
    assert_eq!(v["decision"], "deny");
    assert!(v["reason"].as_str().unwrap().contains(REDACTED));
    assert!(gemini.stderr.contains(REDACTED));
    gemini.assert_no_secret(&key);
}

#[test]
fn placeholders_pass_in_prompts_and_files() {
    let repo = repo_with_config();
    for placeholder in ["ghp_your_token_here", "<YOUR_GITHUB_TOKEN>", "xxxxxxxxxxxx"] {
        let r = event(
            &repo,
            "claude",
            "claude/user-prompt-submit.json",
            placeholder,
            "",
        );
        assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{placeholder}: {r:?}");
        let r = event(
            &repo,
            "cursor",
            "cursor/before-submit-prompt.json",
            placeholder,
            "",
        );
        assert_eq!(
            (r.code, json(&r)),
            (0, serde_json::json!({"continue": true}))
        );
        let r = event(
            &repo,
            "gemini",
            "gemini/before-tool-write-file.json",
            placeholder,
            "",
        );
        assert_eq!((r.code, r.stdout.trim()), (0, "{}"), "{r:?}");
    }
}

#[test]
fn file_writes_and_edits_are_judged_by_path_and_added_lines() {
    let repo = repo_with_config();
    let key = fake::github_pat();
    for (which, fixture) in [
        ("claude", "claude/pre-tool-use-write.json"),
        ("claude", "claude/pre-tool-use-edit.json"),
        ("claude", "claude/pre-tool-use-multiedit.json"),
        ("gemini", "gemini/before-tool-write-file.json"),
        ("gemini", "gemini/before-tool-replace.json"),
        ("cursor", "cursor/pre-tool-use-write.json"),
    ] {
        let r = event(&repo, which, fixture, &key, "");
        assert_eq!(r.code, 2, "{fixture}: {r:?}");
        assert!(
            r.stderr.starts_with("keyhook: write to src/config.ts blocked: the new content holds 1 secret\n  src/config.ts:3:11  GitHub personal access token  ghp_R8xZ****************\n"),
            "{fixture}: {}",
            r.stderr
        );
        r.assert_no_secret(&key);
    }
    let cursor = event(&repo, "cursor", "cursor/pre-tool-use-write.json", &key, "");
    let v = json(&cursor);
    assert_eq!(v["permission"], "deny");
    assert_eq!(
        v["user_message"],
        "keyhook: write to src/config.ts blocked: the new content holds 1 secret"
    );
    assert!(v["agent_message"]
        .as_str()
        .unwrap()
        .contains("process.env.NAME"));

    let nb = event(
        &repo,
        "claude",
        "claude/pre-tool-use-notebookedit.json",
        &key,
        "",
    );
    assert_eq!(nb.code, 2, "{nb:?}");
    assert!(
        nb.stderr
            .contains("analysis.ipynb:2:10  GitHub personal access token  ghp_R8xZ"),
        "{}",
        nb.stderr
    );
}

#[test]
fn an_edit_counts_only_the_lines_it_adds() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    // A key already in the file is not the edit's doing: only added lines count.
    repo.write(
        "src/config.ts",
        format!("export const config = {{\n  retries: 1,\n  legacy: \"{key}\",\n  token: process.env.GITHUB_TOKEN,\n}};\n"),
    );
    let root = repo.path().to_str().unwrap();
    let edit = payload("claude/pre-tool-use-multiedit.json", root, "ignored", "")
        .replace("token: \\\"ignored\\\",", "token: process.env.GH_TOKEN,");
    let r = agent(&repo, "claude", &edit);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{r:?}");
    // A write that keeps the old key line but adds nothing secret passes too.
    let current = std::fs::read_to_string(repo.path().join("src/config.ts")).unwrap();
    let write = serde_json::json!({
        "hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write",
        "tool_input": {"file_path": repo.path().join("src/config.ts"), "content": current.replace("retries: 1", "retries: 2")}
    });
    let r = agent(&repo, "claude", &write.to_string());
    assert_eq!(r.code, 0, "{r:?}");
    // An added key line is refused, unless it carries `keyhook:allow`.
    for (line, code) in [("", 2), (" // keyhook:allow", 0)] {
        let content = current.replace(
            "retries: 1,",
            &format!("retries: 1,\n  other: \"{key}\",{line}"),
        );
        let write = serde_json::json!({
            "hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write",
            "tool_input": {"file_path": repo.path().join("src/config.ts"), "content": content}
        });
        let r = agent(&repo, "claude", &write.to_string());
        assert_eq!(r.code, code, "{line:?}: {r:?}");
        if code == 2 {
            assert!(r.stderr.contains("src/config.ts:3:"), "{}", r.stderr);
        }
        r.assert_no_secret(&key);
    }
}

#[test]
fn env_examples_pass_and_public_prefixes_and_mcp_literals_are_explained() {
    let repo = TestRepo::new();
    let root = repo.path().to_str().unwrap();
    let write = |path: &str, content: &str| {
        serde_json::json!({
            "hook_event_name": "PreToolUse", "cwd": root, "tool_name": "Write",
            "tool_input": {"file_path": format!("{root}/{path}"), "content": content}
        })
        .to_string()
    };
    let r = agent(
        &repo,
        "claude",
        &write(
            ".env.example",
            "GITHUB_TOKEN=your-token-here\nOPENAI_API_KEY=sk-...\n",
        ),
    );
    assert_eq!(r.code, 0, "{r:?}");
    let value = fake::generic_value();
    let r = agent(
        &repo,
        "claude",
        &write(
            ".env.local",
            &format!("NEXT_PUBLIC_STRIPE_SECRET_KEY={value}\n"),
        ),
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("NEXT_PUBLIC_"), "{}", r.stderr);
    r.assert_no_secret(&value);
    let key = fake::github_pat();
    let mcp = format!("{{\n  \"mcpServers\": {{\n    \"github\": {{\n      \"command\": \"npx\",\n      \"env\": {{ \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"{key}\" }}\n    }}\n  }}\n}}\n");
    let r = agent(&repo, "claude", &write(".mcp.json", &mcp));
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(".mcp.json:5:"), "{}", r.stderr);
    assert!(r.stderr.to_lowercase().contains("mcp"), "{}", r.stderr);
    r.assert_no_secret(&key);
}

#[test]
fn the_baseline_applies_to_agent_writes() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage(
        "src/config.ts",
        format!("export const config = {{\n  retries: 1,\n  token: \"{key}\",\n}};\n"),
    );
    let accepted = repo.keyhook(&["baseline", "update", "--reason", "test fixture"]);
    assert_eq!(accepted.code, 0, "{accepted:?}");
    repo.remove("src/config.ts");
    let r = event(&repo, "claude", "claude/pre-tool-use-write.json", &key, "");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{r:?}");
}

/// Commands that switch keyhook's hooks off, each refused by every agent.
const BYPASSES: &[&str] = &[
    "git commit --no-verify -m wip",
    "git commit -nm wip",
    "git commit -a -n -m wip",
    "git push --no-verify origin main",
    "git -c core.hooksPath=/dev/null commit -m wip",
    "git config core.hooksPath /dev/null",
    "HUSKY=0 git commit -m wip",
    "SKIP=keyhook git commit -m wip",
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null git commit -m wip",
    "rm -f .git/hooks/pre-commit",
    "chmod -x .git/hooks/pre-push",
    "npm test && git commit --no-verify -m wip",
    "bash -c 'git commit -n -m wip'",
    "(cd src; git commit --no-verify -m wip)",
];

/// Commands that look close but leave the hooks alone.
const NEAR_MISSES: &[&str] = &[
    "git log -n 5",
    "git commit -m 'do not use --no-verify'",
    "git commit -am wip",
    "git push -n origin main",
    "grep -rn -- --no-verify docs",
    "git config --get core.hooksPath",
    "chmod +x .git/hooks/pre-commit",
    "echo git commit --no-verify",
];

#[test]
fn every_bypass_command_is_refused_and_near_misses_pass() {
    let repo = TestRepo::new();
    for (which, fixture) in [
        ("claude", "claude/pre-tool-use-bash.json"),
        ("cursor", "cursor/before-shell-execution.json"),
        ("cursor", "cursor/pre-tool-use-shell.json"),
        ("gemini", "gemini/before-tool-run-shell-command.json"),
    ] {
        for cmd in BYPASSES {
            let r = event(&repo, which, fixture, "", cmd);
            assert_eq!(r.code, 2, "{which}: not refused: {cmd}: {r:?}");
            assert!(
                r.stderr.starts_with("keyhook: command blocked: it switches keyhook's git hooks off\n  switches keyhook's git hooks off: "),
                "{which}: {cmd}: {}",
                r.stderr
            );
            assert!(r.stderr.contains("Do not skip or disable the hook"));
            if which == "cursor" {
                assert_eq!(json(&r)["permission"], "deny");
            }
        }
        for cmd in NEAR_MISSES {
            let r = event(&repo, which, fixture, "", cmd);
            assert_eq!(r.code, 0, "{which}: refused: {cmd}: {r:?}");
            assert_eq!(r.stderr, "");
        }
    }
}

#[test]
fn a_command_carrying_a_literal_key_is_refused() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let cmd = format!("curl -H 'Authorization: token {key}' https://api.github.com/user");
    let r = event(&repo, "claude", "claude/pre-tool-use-bash.json", "", &cmd);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .starts_with("keyhook: command blocked: it holds a secret\n  command line 1:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(REDACTED));
    r.assert_no_secret(&key);
}

#[test]
fn an_mcp_tool_call_carrying_a_key_in_its_arguments_is_refused_by_every_agent() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    for (which, fixture, tool) in [
        (
            "claude",
            "claude/pre-tool-use-mcp.json",
            "mcp__github__create_issue",
        ),
        (
            "cursor",
            "cursor/before-mcp-execution.json",
            "github/create_issue",
        ),
        (
            "gemini",
            "gemini/before-tool-mcp.json",
            "mcp__github__create_issue",
        ),
    ] {
        let r = event(&repo, which, fixture, &key, "");
        assert_eq!(r.code, 2, "{fixture}: {r:?}");
        // The arguments are judged as pretty JSON (keys sorted): `body` is on line 2.
        assert!(
            r.stderr.starts_with(&format!(
                "keyhook: MCP tool call {tool} blocked: its arguments hold 1 secret\n  arguments line 2:36  GitHub personal access token  {REDACTED}\n"
            )),
            "{fixture}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("stay in the transcript"), "{}", r.stderr);
        r.assert_no_secret(&key);
        match which {
            "claude" => assert_eq!(r.stdout, ""),
            "cursor" => {
                let v = json(&r);
                assert_eq!(v["permission"], "deny");
                assert_eq!(
                    v["user_message"],
                    "keyhook: MCP tool call github/create_issue blocked: its arguments hold 1 secret"
                );
            }
            _ => assert_eq!(json(&r)["decision"], "deny"),
        }
        // The same call with a placeholder goes through.
        let r = event(&repo, which, fixture, "ghp_your_token_here", "");
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{fixture}: {r:?}");
    }
    // Cursor's tool_input is a JSON string; one that does not parse is
    // judged as the text it is, and a missing one fails closed.
    let root = repo.path().to_str().unwrap();
    let raw = serde_json::json!({
        "hook_event_name": "beforeMCPExecution", "workspace_roots": [root],
        "tool_name": "query", "tool_input": format!("token={key}"), "mcp_server_name": "db"
    });
    let r = agent(&repo, "cursor", &raw.to_string());
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .starts_with("keyhook: MCP tool call db/query blocked"),
        "{}",
        r.stderr
    );
    r.assert_no_secret(&key);
    let none = serde_json::json!({"hook_event_name": "beforeMCPExecution", "tool_name": "query"});
    let r = agent(&repo, "cursor", &none.to_string());
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr.lines().next().unwrap(),
        "keyhook: error: stdin:1: beforeMCPExecution: no `tool_input` field (keyhook blocks what it cannot check; run `keyhook agent cursor` by hand with the event on stdin to see why)"
    );
}

#[test]
fn events_keyhook_does_not_handle_are_allowed() {
    let repo = TestRepo::new();
    let r = event(&repo, "claude", "claude/post-tool-use.json", "", "");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    for f in ["cursor/after-file-edit.json", "cursor/stop.json"] {
        let r = event(&repo, "cursor", f, "", "");
        assert_eq!((r.code, r.stdout.as_str()), (0, "{}\n"), "{f}");
    }
    let r = event(&repo, "gemini", "gemini/after-tool.json", "", "");
    assert_eq!((r.code, r.stdout.as_str()), (0, "{}\n"));
}

#[test]
fn malformed_or_unknown_input_fails_closed() {
    let repo = TestRepo::new();
    let any = ["not json", "", "[1, 2]", "{\"prompt\": \"no event name\"}"];
    let claude = [
        "{\"hook_event_name\": \"UserPromptSubmit\"}",
        "{\"hook_event_name\": \"UserPromptSubmit\", \"prompt\": 42}",
        "{\"hook_event_name\": \"PreToolUse\", \"tool_name\": \"Write\", \"tool_input\": {\"file_path\": \"a.txt\"}}",
        "{\"version\": 7, \"hook_event_name\": \"UserPromptSubmit\", \"prompt\": \"hi\"}",
    ];
    let cursor = ["{\"hook_event_name\": \"beforeShellExecution\", \"workspace_roots\": []}"];
    let gemini = ["{\"hook_event_name\": \"BeforeTool\", \"tool_name\": \"run_shell_command\", \"tool_input\": {}}"];
    let cases = any
        .iter()
        .flat_map(|i| ["claude", "cursor", "gemini"].map(|w| (w, *i)))
        .chain(claude.iter().map(|i| ("claude", *i)))
        .chain(cursor.iter().map(|i| ("cursor", *i)))
        .chain(gemini.iter().map(|i| ("gemini", *i)));
    for (which, input) in cases {
        {
            let r = agent(&repo, which, input);
            assert_eq!(r.code, 2, "{which}: {input:?}: {r:?}");
            assert_eq!(
                r.stderr.lines().count(),
                1,
                "{which}: {input:?}: {}",
                r.stderr
            );
            assert!(
                r.stderr.starts_with("keyhook: error: stdin:"),
                "{}",
                r.stderr
            );
            if which == "cursor" {
                let v = json(&r);
                assert_eq!(
                    (v["permission"].as_str(), v["continue"].as_bool()),
                    (Some("deny"), Some(false))
                );
            }
        }
    }
}

const CLAUDE_SETTINGS: &str = r#"{
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm test)"]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "./scripts/lint-command.sh"
          }
        ]
      }
    ],
    "Stop": [
      {
        "hooks": [{ "type": "command", "command": "say done" }]
      }
    ]
  }
}
"#;

const CURSOR_HOOKS: &str = "{\n    \"version\": 1,\n    \"hooks\": {\n        \"afterFileEdit\": [\n            { \"command\": \"./hooks/format.sh\" }\n        ]\n    }\n}\n";

const GEMINI_SETTINGS: &str = "{\n  // team settings\n  \"theme\": \"GitHub\",\n  \"hooks\": {\n    \"BeforeTool\": [\n      {\n        \"matcher\": \"read_file\",\n        \"hooks\": [{\"type\": \"command\", \"command\": \"audit.sh\"}], // audit reads\n      },\n    ],\n  },\n}\n";

#[test]
fn install_and_uninstall_round_trip_settings_that_hold_other_hooks() {
    let repo = TestRepo::new();
    let files = [
        (".claude/settings.json", CLAUDE_SETTINGS),
        (".cursor/hooks.json", CURSOR_HOOKS),
        (".gemini/settings.json", GEMINI_SETTINGS),
    ];
    for (p, t) in files {
        repo.write(p, t);
    }
    let r = repo.keyhook(&["install", "--agents"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "claude: installed in .claude/settings.json (`keyhook agent claude`)\ncursor: installed in .cursor/hooks.json (`keyhook agent cursor`)\ngemini: installed in .gemini/settings.json (`keyhook agent gemini`)\n"
    );
    let after: Vec<String> = files
        .iter()
        .map(|(p, _)| std::fs::read_to_string(repo.path().join(p)).unwrap())
        .collect();
    // Other hooks, keys and comments stay; keyhook's entries are there.
    assert!(after[0].starts_with("{\n  \"model\": \"opus\",\n  \"permissions\""));
    assert!(after[0].contains("./scripts/lint-command.sh") && after[0].contains("\"UserPromptSubmit\": [\n      {\n        \"hooks\": [\n          {\n            \"type\": \"command\",\n            \"command\": \"keyhook agent claude || exit 2\""), "{}", after[0]);
    let v: Value = serde_json::from_str(&after[0]).unwrap();
    assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
    assert!(after[1].contains("\n        \"beforeSubmitPrompt\": [\n            {\n                \"command\": \"keyhook agent cursor || exit 2\""), "{}", after[1]);
    assert!(after[2].contains("// team settings") && after[2].contains("// audit reads"));
    assert!(after[2].contains("keyhook agent gemini || exit 2"));
    // Idempotent.
    let again = repo.keyhook(&["install", "--agents"]);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("claude: already installed"),
        "{}",
        again.stdout
    );
    for ((p, _), a) in files.iter().zip(&after) {
        assert_eq!(&std::fs::read_to_string(repo.path().join(p)).unwrap(), a);
    }
    let status = repo.keyhook(&["status"]);
    assert!(status.stdout.contains("agent claude: installed in .claude/settings.json\nagent cursor: installed in .cursor/hooks.json\nagent gemini: installed in .gemini/settings.json\n"), "{}", status.stdout);
    // Uninstall gives back the original bytes.
    let r = repo.keyhook(&["uninstall", "--agents"]);
    assert_eq!(r.code, 0, "{r:?}");
    for (p, t) in files {
        assert_eq!(
            std::fs::read_to_string(repo.path().join(p)).unwrap(),
            t,
            "{p}"
        );
    }
}

#[test]
fn install_creates_only_named_agents_files_and_uninstall_deletes_them() {
    let repo = TestRepo::new();
    let none = repo.keyhook(&["install", "--agents"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr
            .contains("no .claude, .cursor or .gemini directory"),
        "{}",
        none.stderr
    );
    let r = repo.keyhook(&["install", "--agents", "cursor"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(repo.path().join(".cursor/hooks.json").exists());
    assert!(!repo.path().join(".claude").exists());
    let r = repo.keyhook(&["uninstall", "--agents", "cursor"]);
    assert_eq!(r.code, 0);
    assert!(!repo.path().join(".cursor/hooks.json").exists());
}

#[test]
fn global_install_writes_the_user_level_files() {
    let repo = TestRepo::new();
    std::fs::create_dir_all(repo.home().join(".claude")).unwrap();
    let r = repo.keyhook(&["install", "--agents", "--global"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "claude: installed in ~/.claude/settings.json (`keyhook agent claude`)\n"
    );
    // The file it claims to write is there, and runs keyhook for both events.
    let written = std::fs::read_to_string(repo.home().join(".claude/settings.json")).unwrap();
    let v: Value = serde_json::from_str(&written).unwrap();
    for event in ["UserPromptSubmit", "PreToolUse"] {
        assert_eq!(
            v["hooks"][event][0]["hooks"][0]["command"], "keyhook agent claude || exit 2",
            "{event}: {written}"
        );
    }
    assert_eq!(
        v["hooks"]["PreToolUse"][0]["matcher"],
        "^(Write|Edit|MultiEdit|NotebookEdit|Bash|mcp__.*)$"
    );
    // Only the agent whose user-level directory exists; nothing in the project.
    assert!(!repo.home().join(".cursor").exists());
    assert!(!repo.home().join(".gemini").exists());
    assert!(!repo.path().join(".claude").exists());
    // No git hook was installed by --agents.
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn global_install_and_uninstall_round_trip_the_user_level_files() {
    let repo = TestRepo::new();
    let files = [
        (".claude/settings.json", CLAUDE_SETTINGS),
        (".cursor/hooks.json", CURSOR_HOOKS),
        (".gemini/settings.json", GEMINI_SETTINGS),
    ];
    for (p, t) in files {
        let path = repo.home().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    let r = repo.keyhook(&["install", "--agents", "--global"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "claude: installed in ~/.claude/settings.json (`keyhook agent claude`)\ncursor: installed in ~/.cursor/hooks.json (`keyhook agent cursor`)\ngemini: installed in ~/.gemini/settings.json (`keyhook agent gemini`)\n"
    );
    for ((p, original), (agent, events)) in files.iter().zip([
        ("claude", &["UserPromptSubmit", "PreToolUse"][..]),
        (
            "cursor",
            &[
                "beforeSubmitPrompt",
                "beforeShellExecution",
                "preToolUse",
                "beforeMCPExecution",
            ][..],
        ),
        ("gemini", &["BeforeAgent", "BeforeTool"][..]),
    ]) {
        let text = std::fs::read_to_string(repo.home().join(p)).unwrap();
        assert_ne!(&text, original, "{p}");
        // One keyhook entry per event (the Gemini file is JSONC, so count).
        let command = format!("\"keyhook agent {agent} || exit 2\"");
        assert_eq!(text.matches(&command).count(), events.len(), "{p}: {text}");
        for event in events {
            assert!(
                text.contains(&format!("\"{event}\": [")),
                "{p}: {event}: {text}"
            );
        }
    }
    // The project's files are not touched by --global.
    assert!(!repo.path().join(".claude").exists());
    let r = repo.keyhook(&["uninstall", "--agents", "--global"]);
    assert_eq!(r.code, 0, "{r:?}");
    for (p, t) in files {
        assert_eq!(
            std::fs::read_to_string(repo.home().join(p)).unwrap(),
            t,
            "{p}"
        );
    }
    // A user-level file that keyhook created is removed again.
    std::fs::remove_file(repo.home().join(".cursor/hooks.json")).unwrap();
    assert_eq!(
        repo.keyhook(&["install", "--agents", "cursor", "--global"])
            .code,
        0
    );
    assert!(repo.home().join(".cursor/hooks.json").exists());
    assert_eq!(
        repo.keyhook(&["uninstall", "--agents", "cursor", "--global"])
            .code,
        0
    );
    assert!(!repo.home().join(".cursor/hooks.json").exists());
}

#[test]
fn a_settings_file_that_does_not_parse_is_not_rewritten() {
    let repo = TestRepo::new();
    let broken = "{\n  \"hooks\": {\n    \"PreToolUse\": [\n  }\n}\n";
    repo.write(".claude/settings.json", broken);
    let r = repo.keyhook(&["install", "--agents"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("keyhook: error: "), "{}", r.stderr);
    assert!(
        r.stderr.contains(".claude/settings.json:4: "),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".claude/settings.json")).unwrap(),
        broken
    );
}
