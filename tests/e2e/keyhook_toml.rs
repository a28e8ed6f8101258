//! `.keyhook.toml` end to end: every key changes what the hook reports, and
//! every kind of bad configuration is a one-line error that blocks.

use crate::harness::{fake, TestRepo};

/// A value for the custom rule below: `corp_` and 24 random-looking characters.
fn corp_token() -> String {
    format!("{}_{}", "corp", "q8zr2lmx9vtb4kpw7nyc3hd6")
}

const CORP_RULE: &str = r#"
[[rule]]
id = "corp.token"
name = "Corp internal token"
keywords = ["corp_"]
pattern = '''\b(corp_[a-z0-9]{24})\b'''
description = "Grants access to Corp's internal API; rotate it in the admin console."
"#;

#[test]
fn an_extra_rule_detects() {
    let repo = TestRepo::new();
    let token = corp_token();
    repo.stage("svc/client.py", format!("\nclient = Client(\"{token}\")\n"));
    assert_eq!(repo.keyhook(&["pre-commit"]).code, 0);
    repo.write(".keyhook.toml", CORP_RULE);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = "\
svc/client.py:2:18  Corp internal token  corp_****************
    rule: corp.token (provider-format)
    why: matches the Corp internal token format; entropy 4.7 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 1 secret in 1 file
";
    assert_eq!(run.stderr, expected);
    run.assert_no_secret(&token);
}

#[test]
fn a_disabled_rule_is_silent() {
    let repo = TestRepo::new();
    // No secret-named variable: only the GitHub rule can see this key.
    repo.stage(
        "docs/notes.md",
        format!("clone with {} as the password\n", fake::github_pat()),
    );
    assert_eq!(
        repo.keyhook(&["pre-commit"]).locations(),
        ["docs/notes.md:1:12"]
    );
    repo.write(".keyhook.toml", "disable_rules = [\"github.pat\"]\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn skip_paths_are_not_scanned() {
    let repo = TestRepo::new();
    let line = format!("GITHUB_TOKEN={}\n", fake::github_pat());
    for p in [
        "fixtures/keys/a.env",
        "ui/__snapshots__/x.snap",
        "src/a.env",
    ] {
        repo.stage(p, &line);
    }
    repo.write(
        ".keyhook.toml",
        "skip_paths = [\"fixtures/**\", \"*.snap\"]\n",
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["src/a.env:1:14"]);
}

#[test]
fn the_size_limit_skips_larger_files_and_names_them() {
    let repo = TestRepo::new();
    let line = format!("GITHUB_TOKEN={}\n", fake::github_pat());
    repo.stage("small.env", &line);
    repo.stage("large.env", format!("{line}{}", "#".repeat(200)));
    repo.write(".keyhook.toml", "max_file_size = 100\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["small.env:1:14"]);
    assert!(
        run.stderr.contains("keyhook: not scanned: large.env (0.0 MiB, over the size limit; raise `max_file_size` in .keyhook.toml to scan it)\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_generic_entropy_threshold_is_configurable() {
    let repo = TestRepo::new();
    // 20 distinct characters: log2(20) = 4.32 bits per character.
    repo.stage("app.cfg", format!("api_key = {}\n", fake::generic_value()));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.rules(), ["generic.secret-assignment"]);
    repo.write(".keyhook.toml", "generic_min_entropy = 4.5\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    repo.write(".keyhook.toml", "generic_min_entropy = 4.2\n");
    assert_eq!(repo.keyhook(&["pre-commit"]).locations(), ["app.cfg:1:11"]);
}

#[test]
fn an_unknown_key_is_an_error_not_ignored() {
    let repo = TestRepo::new();
    let config = "max_file_size = 1000\nskip_path = [\"vendor\"]\n";
    repo.write(".keyhook.toml", config);
    repo.stage("a.txt", "hi\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "keyhook: error: .keyhook.toml:2: unknown field `skip_path`, expected one of "
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn a_custom_rule_with_an_invalid_regex_names_the_rule() {
    let repo = TestRepo::new();
    let config = CORP_RULE.replace(r"\b(corp_[a-z0-9]{24})\b", r"(corp_[a-z0-9]{24}");
    repo.write(".keyhook.toml", &config);
    repo.stage("a.txt", "hi\n");
    for args in [&["pre-commit"][..], &["baseline", "update"]] {
        let run = repo.keyhook(args);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .starts_with("keyhook: error: .keyhook.toml: rule corp.token: invalid regex: ")
                && run.stderr.ends_with(" (fix the `pattern`)\n"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1);
    }
    assert!(!repo.path().join(".keyhook-baseline.toml").exists());
}
