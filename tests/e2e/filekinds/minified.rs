//! Minified bundles stay scanned, with short mangled names not taken for
//! secrets; a real key in a bundle still blocks.

use crate::harness::{fake, TestRepo};

/// One long minified line around `inner`.
fn bundle(inner: &str) -> String {
    let filler = "function n(e,t){return e.token=t,e.password=t.p,e}".repeat(30);
    format!("!function(){{{filler}var r={{{inner}}};n(r,r)}}();\n")
}

#[test]
fn mangled_short_values_in_a_bundle_pass() {
    let repo = TestRepo::new();
    repo.stage(
        "dist/app.js",
        bundle("secret:\"xY3kQ9\",token:\"aB7cD2eF\""),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_key_in_a_bundle_still_blocks() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let value = fake::generic_value();
    let text = bundle(&format!("gh:\"{key}\",secret:\"{value}\""));
    repo.stage("dist/app.js", &text);
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&key).assert_no_secret(&value);
    let col = |s: &str| text.find(s).unwrap() + 1;
    assert_eq!(
        run.locations(),
        [
            format!("dist/app.js:1:{}", col(&key)),
            format!("dist/app.js:1:{}", col(&value))
        ]
    );
}
