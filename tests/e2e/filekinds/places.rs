//! Docs and tests: stand-in passwords pass there, generated values still
//! block, and the same stand-in in product code blocks.

use crate::harness::{fake, TestRepo};

fn check(path: &str, content: &str) -> crate::harness::Run {
    let repo = TestRepo::new();
    repo.stage(path, content);
    repo.keyhook(&["pre-commit"])
}

#[test]
fn word_and_digit_password_passes_in_test_fixtures_but_blocks_in_source() {
    let stand_in = ["Top", "Secret", "1"].concat();
    let line = format!("password = \"{stand_in}\"\n");
    for path in [
        "tests/fixtures/login.py",
        "pkg/test_login.py",
        "db/conn_test.go",
    ] {
        let run = check(path, &line);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{path}");
    }
    let run = check("app/settings.py", &line);
    run.assert_no_secret(&stand_in);
    assert_eq!(run.locations(), ["app/settings.py:1:13"], "{}", run.stderr);
}

#[test]
fn generated_value_in_a_test_fixture_still_blocks() {
    let value = fake::generic_value();
    let run = check(
        "tests/fixtures/login.py",
        &format!("password = \"{value}\"\n"),
    );
    run.assert_no_secret(&value);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["tests/fixtures/login.py:1:13"]);
}

#[test]
fn example_password_in_docs_passes_but_a_generated_one_blocks() {
    let stand_in = ["gehe", "im$par", "ole"].concat();
    let doc = format!("Connect with:\n\n    db.login(user='klaus', passwd='{stand_in}')\n");
    let run = check("docs/de/connect.md", &doc);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let run = check("README.rst", &doc);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let value = fake::generic_value();
    let doc = format!("Connect with:\n\n    db.login(user='klaus', passwd='{value}')\n");
    let run = check("docs/de/connect.md", &doc);
    run.assert_no_secret(&value);
    assert_eq!(
        run.locations(),
        ["docs/de/connect.md:3:36"],
        "{}",
        run.stderr
    );
}

#[test]
fn a_docs_line_that_marks_a_value_beside_it_as_an_example_passes() {
    let value = fake::generic_value();
    let marker = ["AKIAIOSFODNN7", "EXAMPLE"].concat();
    let marked = format!(
        "Create the store:\n\n    aws kms create-custom-key-store \\\n        --credential \"AccessKeyId={marker}, SecretAccessKey={value}\"\n"
    );
    let run = check("docs/kms/create-store.rst", &marked);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    // The same value without the marker beside it, or with only the prose
    // word, or outside docs, still blocks.
    let cases = [
        (
            "docs/kms/create-store.rst",
            format!(
                "Create the store:\n\n    aws kms create-custom-key-store \\\n        --credential \"SecretAccessKey={value}\"\n"
            ),
            "docs/kms/create-store.rst:4:39",
        ),
        (
            "docs/setup.md",
            format!("For example, set API_TOKEN={value} in your shell.\n"),
            "docs/setup.md:1:28",
        ),
        (
            "scripts/create-store.sh",
            marked.replace("Create the store:\n\n", "#!/bin/sh\n"),
            "scripts/create-store.sh:3:73",
        ),
    ];
    for (path, text, location) in cases {
        let run = check(path, &text);
        run.assert_no_secret(&value);
        assert_eq!(run.locations(), [location], "{}", run.stderr);
    }
}

#[test]
fn a_one_character_url_password_in_test_data_passes() {
    let run = check(
        "tests/urltestdata.json",
        &format!(
            "[{{\"input\": \"http://foo:{}@example.com/bar\"}}]\n",
            '\u{1F4A9}'
        ),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let value = fake::generic_value();
    let run = check(
        "tests/urltestdata.json",
        &format!("[{{\"input\": \"http://foo:{value}@db.internal/bar\"}}]\n"),
    );
    run.assert_no_secret(&value);
    assert_eq!(
        run.locations(),
        ["tests/urltestdata.json:1:24"],
        "{}",
        run.stderr
    );
}

#[test]
fn a_word_and_its_field_passes_in_tests_but_a_random_password_blocks() {
    let stand_in = ["test", "pw"].concat();
    let run = check(
        "tests/test_nntp.py",
        &format!("server.login('testuser', '{stand_in}')\n"),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let value = fake::generic_value();
    let run = check(
        "tests/test_nntp.py",
        &format!("server.login('testuser', '{value}')\n"),
    );
    run.assert_no_secret(&value);
    assert_eq!(
        run.locations(),
        ["tests/test_nntp.py:1:27"],
        "{}",
        run.stderr
    );
}
