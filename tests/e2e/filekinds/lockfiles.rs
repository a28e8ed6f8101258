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
    for (path, text) in other_lockfiles() {
        repo.stage(path, text);
    }
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

/// A made-up SHA-512 digest in base64 (88 characters) that happens to hold a
/// Google API key's shape, as one in a few million real digests does: a
/// provider rule matches inside it, and only the lockfile grammar says it is
/// a checksum.
fn digest_with_a_key_shape() -> String {
    [
        "Vd7Kq2Xm9Lp4/",
        "AIza",
        "SyRt8Wn3Yc6Hb1Jg5Fs0Za2EuTo7Pi4Me1N",
        "/6Qr3St8Uv5Yx0Ab9Cd2Ef7Gh4Ij1Kl6Mn==",
    ]
    .concat()
}

#[test]
fn the_same_digest_outside_a_lockfile_is_a_finding() {
    let repo = TestRepo::new();
    let b64 = digest_with_a_key_shape();
    repo.stage("notes.txt", format!("integrity sha512-{b64}\n"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["notes.txt:1:31"]);
}

/// Checksums in the hash grammars of pnpm, yarn, poetry, uv, composer, nix,
/// Gemfile and bun lockfiles (values made up for this test).
fn other_lockfiles() -> Vec<(&'static str, String)> {
    let b64 = digest_with_a_key_shape();
    let hex = "7c4e1a9f3b6d2e8a0c5f7b1d9e3a6c2f8b4d0e7a1c5f9b3d6e2a8c4f0b7d1e5a";
    vec![
        ("pnpm-lock.yaml", format!("packages:\n  /left-pad@1.3.0:\n    resolution: {{integrity: sha512-{b64}}}\n")),
        ("yarn.lock", format!("left-pad@^1.3.0:\n  version \"1.3.0\"\n  integrity sha512-{b64}\n")),
        ("poetry.lock", format!("[[package]]\nname = \"pad\"\nfiles = [\n    {{file = \"pad-1.0.tar.gz\", hash = \"sha256:{hex}\"}},\n]\n")),
        ("uv.lock", format!("[[package]]\nname = \"pad\"\nsdist = {{ url = \"https://files.example.org/pad-1.0.tar.gz\", hash = \"sha256:{hex}\" }}\n")),
        ("composer.lock", format!("{{\n    \"dist\": {{\n        \"shasum\": \"{}\"\n    }}\n}}\n", &hex[..40])),
        ("flake.lock", "{\n  \"nodes\": {\n    \"nixpkgs\": {\n      \"locked\": {\n        \"narHash\": \"sha256-Qm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5TyU2iO8pA3sE=\"\n      }\n    }\n  }\n}\n".to_string()),
        ("Gemfile.lock", format!("CHECKSUMS\n  rake (13.2.1) sha256={hex}\n")),
        ("bun.lock", format!("{{\n  \"packages\": {{\n    \"left-pad\": [\"left-pad@1.3.0\", \"\", {{}}, \"sha512-{b64}\"],\n  }}\n}}\n")),
    ]
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
