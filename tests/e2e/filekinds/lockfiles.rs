//! Lockfiles: integrity and checksum values pass; a registry token in a
//! lockfile URL still blocks at its line.

use crate::harness::TestRepo;

/// A random-looking npm access token, assembled at run time.
fn npm_token() -> String {
    ["npm", "_", "Xk7Qp2Lm9Rv4Tn8Wc3Yb6Hd1Jf5Gs0Ka2EzU"].concat()
}

fn lock(resolved: &str) -> String {
    let sri = [
        "sha512-",
        &"Qm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5TyU2iO8pA3s".repeat(3)[..86],
        "==",
    ]
    .concat();
    format!(
        "{{\n  \"name\": \"app\",\n  \"lockfileVersion\": 3,\n  \"packages\": {{\n    \"node_modules/left-pad\": {{\n      \"version\": \"1.3.0\",\n      \"resolved\": \"{resolved}\",\n      \"integrity\": \"{sri}\"\n    }}\n  }}\n}}\n"
    )
}

#[test]
fn integrity_and_checksums_pass() {
    let repo = TestRepo::new();
    repo.stage(
        "package-lock.json",
        lock("https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"),
    );
    let hex = "9a3f1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    repo.stage(
        "Cargo.lock",
        format!("[[package]]\nname = \"left-pad\"\nversion = \"1.3.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{hex}\"\n"),
    );
    repo.stage(
        "go.sum",
        "example.com/pad v1.3.0 h1:Zx4Qp8Lm2Rv6Tn0Wc5Yb9Hd3Jf7Gs1Ka4EzUoPq2s=\n",
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn registry_token_in_a_lockfile_url_blocks() {
    let token = npm_token();
    let repo = TestRepo::new();
    repo.stage(
        "package-lock.json",
        lock(&format!(
            "https://ci:{token}@npm.example.org/left-pad/-/left-pad-1.3.0.tgz"
        )),
    );
    let run = repo.keyhook(&["pre-commit"]);
    run.assert_no_secret(&token);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["package-lock.json:7:31"]);
}
