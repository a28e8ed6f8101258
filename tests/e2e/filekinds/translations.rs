//! `keyhook.reuse` counts a docs page and its translations as one file.

use crate::harness::{fake, TestRepo};

#[test]
fn one_value_across_translated_docs_pages_is_not_reuse_but_across_pages_it_is() {
    let repo = TestRepo::new();
    let value = fake::generic_value();
    let page = format!("Set it:\n\n    api_secret = \"{value}\"\n");
    for lang in ["en", "fr", "de", "zh-CN"] {
        repo.stage(&format!("docs/{lang}/setup.md"), &page);
    }
    repo.commit("translated pages, committed with --no-verify");
    repo.stage("docs/setup.ja.md", &page);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&value);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        !run.rules().contains(&"keyhook.reuse".to_string()),
        "{}",
        run.stderr
    );

    // Four different pages holding it are reuse.
    for name in ["a", "b", "c"] {
        repo.stage(&format!("docs/en/{name}.md"), &page);
    }
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&value);
    assert!(
        run.rules().contains(&"keyhook.reuse".to_string()),
        "{}",
        run.stderr
    );
}
