//! Lockfiles (issue 11): their integrity and checksum values are digests of
//! published packages, not secrets, and their hash grammars are exact:
//! `sha512-<base64>` (npm, pnpm, yarn v1, bun), `h1:<base64>=` (go.sum),
//! `sha256:<hex>` (poetry, uv, Pipfile.lock), `"narHash": "sha256-<base64>"`
//! (flake.lock), bare hex digests (`checksum = "<64 hex>"` in Cargo.lock,
//! composer's `shasum`, git revisions), yarn berry's `10c0/<hex>` and NuGet's
//! base64 `contentHash`. A hit whose token has one of these shapes is dropped;
//! everything else in a lockfile is scanned as usual, so a registry token in a
//! `resolved` URL or an `_authToken` still blocks.

/// File names of lockfiles.
const NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "cargo.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "pipfile.lock",
    "composer.lock",
    "gemfile.lock",
    "go.sum",
    "flake.lock",
    "packages.lock.json",
    "mix.lock",
    "pubspec.lock",
    "podfile.lock",
    "package.resolved",
    "gradle.lockfile",
    "conan.lock",
];

/// True when `path` names a lockfile.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Byte lengths of the digests lockfiles record (MD5 to SHA-512).
const DIGEST_BYTES: &[usize] = &[16, 20, 28, 32, 48, 64];

/// True when the token around `secret` in `text` is a checksum in one of the
/// lockfile hash grammars.
pub fn is_checksum(text: &[u8], secret: &std::ops::Range<usize>) -> bool {
    let part =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b':' | b'_');
    let start = text[..secret.start]
        .iter()
        .rposition(|&b| !part(b))
        .map_or(0, |p| p + 1);
    let end = text[secret.end..]
        .iter()
        .position(|&b| !part(b))
        .map_or(text.len(), |p| secret.end + p);
    digest_token(&text[start..end])
}

fn digest_token(token: &[u8]) -> bool {
    let lower = token.to_ascii_lowercase();
    for prefix in [
        &b"sha512-"[..],
        b"sha384-",
        b"sha256-",
        b"sha1-",
        b"md5-",
        b"h1:",
        b"sha512:",
        b"sha384:",
        b"sha256:",
        b"sha1:",
        b"md5:",
    ] {
        if lower.starts_with(prefix) {
            let body = &token[prefix.len()..];
            return hex_digest(body) || base64_digest(body);
        }
    }
    // yarn berry: `<cache key>/<hex>`, e.g. `10c0/<128 hex>`.
    if let Some((key, hex)) = token.split_once_byte(b'/') {
        if key.len() <= 6 && key.iter().all(u8::is_ascii_alphanumeric) && hex_digest(hex) {
            return true;
        }
    }
    hex_digest(token) || (token.ends_with(b"=") && base64_digest(token))
}

fn hex_digest(s: &[u8]) -> bool {
    DIGEST_BYTES.contains(&(s.len() / 2)) && s.len() % 2 == 0 && s.iter().all(u8::is_ascii_hexdigit)
}

fn base64_digest(s: &[u8]) -> bool {
    let body = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    let ok = body
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'));
    ok && DIGEST_BYTES
        .iter()
        .any(|n| n.div_ceil(3) * 4 == s.len() || (n * 4).div_ceil(3) == body.len())
}

trait SplitOnce {
    fn split_once_byte(&self, b: u8) -> Option<(&[u8], &[u8])>;
}

impl SplitOnce for [u8] {
    fn split_once_byte(&self, b: u8) -> Option<(&[u8], &[u8])> {
        let p = self.iter().position(|&x| x == b)?;
        Some((&self[..p], &self[p + 1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(t: &str) -> bool {
        is_checksum(t.as_bytes(), &(0..t.len()))
    }

    #[test]
    fn hash_grammars_are_checksums() {
        let b64_64 = "A".repeat(86) + "==";
        let hex64 = "0123456789abcdef".repeat(4);
        assert!(token(&format!("sha512-{b64_64}")));
        assert!(token(&format!("sha256:{hex64}")));
        assert!(token(&format!("h1:{}=", "B".repeat(43))));
        assert!(token(&hex64));
        assert!(token(&format!("10c0/{}", hex64.repeat(2))));
        assert!(token(&format!("sha256-{}=", "C".repeat(43))));
    }

    #[test]
    fn tokens_are_not() {
        assert!(!token(
            &["npm_", "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE"].concat()
        ));
        assert!(!token("sha512-short"));
        assert!(!token(&"0123456789abcdef".repeat(3)[..45]));
    }

    #[test]
    fn lockfile_names() {
        assert!(is_lockfile("web/package-lock.json"));
        assert!(is_lockfile("Cargo.lock"));
        assert!(is_lockfile("go.sum"));
        assert!(!is_lockfile("package.json"));
    }
}
