//! Salted fingerprints: how the baseline and the ledger recognise a secret
//! without storing it. SHA-256 over `salt || 0x00 || secret`, truncated to 128
//! bits. The salt stops a precomputed table of known keys from being matched
//! against a published baseline; it does not stop someone who has the baseline
//! from confirming a guess of a low-entropy password (see the README).

use sha2::{Digest, Sha256};

/// Hex fingerprint of `secret` under `salt` (32 hex characters).
pub fn fingerprint(salt: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(secret);
    let digest = h.finalize();
    let mut out = String::with_capacity(32);
    for b in &digest[..16] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A fresh random salt (hex), from the OS's randomness via std's hasher keys
/// mixed with time and process id: unpredictable enough for a salt, which must be
/// unique, not secret.
pub fn new_salt() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = Sha256::new();
    for _ in 0..4 {
        let mut s = RandomState::new().build_hasher();
        s.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        s.write_u32(std::process::id());
        h.update(s.finish().to_le_bytes());
    }
    let d = h.finalize();
    d[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_salted() {
        assert_eq!(fingerprint("s", b"k"), fingerprint("s", b"k"));
        assert_ne!(fingerprint("s", b"k"), fingerprint("t", b"k"));
        assert_eq!(fingerprint("s", b"k").len(), 32);
    }

    #[test]
    fn salts_differ() {
        assert_ne!(new_salt(), new_salt());
    }
}
