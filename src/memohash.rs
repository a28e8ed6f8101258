//! The hash of the scanner's memo tables (repeated placeholders, captures,
//! judgements on one long line): keyed per table with a random seed, like
//! std's SipHash, but a folded multiply per eight bytes instead of SipHash's
//! rounds. On a minified bundle the memos are asked tens of thousands of
//! times per megabyte, and SipHash was a twentieth of the scan (issue 10).
//!
//! The tables are bounded (a few thousand entries, then cleared), the input
//! is what the committer stages, and the seed is random per table: a memo
//! needs a well-mixed hash that a text cannot aim at, not a cryptographic one.

use std::hash::{BuildHasher, Hasher};

/// Odd constants with well-spread bits (from the fractional part of pi).
const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;

/// The high and low halves of the 128-bit product, folded together.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Builds [`MemoHasher`]s with a seed drawn when the table is made.
#[derive(Debug, Clone)]
pub struct MemoHash {
    seed: u64,
}

impl Default for MemoHash {
    fn default() -> MemoHash {
        // std's RandomState is seeded from the OS once per thread and
        // advanced per instance: a fresh random key, at the cost of one hash.
        let seed = std::collections::hash_map::RandomState::new().hash_one(K0);
        MemoHash { seed }
    }
}

impl BuildHasher for MemoHash {
    type Hasher = MemoHasher;

    fn build_hasher(&self) -> MemoHasher {
        MemoHasher(self.seed)
    }
}

/// The running state of one hash.
#[derive(Debug, Clone)]
pub struct MemoHasher(u64);

impl Hasher for MemoHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().expect("eight bytes"));
            h = fold(h ^ word, K0);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps `ab` and `ab\0` apart.
            h = fold(h ^ u64::from_le_bytes(last), K0 ^ rest.len() as u64);
        }
        self.0 = h;
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = fold(self.0 ^ n, K0);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold(self.0, K1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn equal_inputs_hash_equal_and_near_inputs_apart() {
        let b = MemoHash::default();
        let h = |x: &[u8]| b.hash_one(x);
        assert_eq!(h(b"e.password||"), h(b"e.password||"));
        // Every one-byte change of a few keys, and every prefix, hashes apart.
        let mut seen = HashSet::new();
        let base = b"password:e.password||\"\",token:t.token".to_vec();
        for i in 0..base.len() {
            assert!(seen.insert(h(&base[..i])), "prefix {i}");
            for d in [1u8, 2, 32, 128] {
                let mut v = base.clone();
                v[i] ^= d;
                assert!(seen.insert(h(&v)), "byte {i} ^ {d}");
            }
        }
    }

    #[test]
    fn each_table_has_its_own_seed() {
        let (a, b) = (MemoHash::default(), MemoHash::default());
        assert_ne!(a.hash_one(b"same"), b.hash_one(b"same"));
    }

    #[test]
    fn bucket_bits_spread_over_sequential_keys() {
        // hashbrown takes the low bits for the bucket and the top seven for
        // its tag: both must vary over keys that differ in one digit.
        let b = MemoHash::default();
        let mut low = HashSet::new();
        let mut top = HashSet::new();
        for i in 0..4096u32 {
            let x = b.hash_one(format!("value{i}").as_bytes());
            low.insert(x & 0xfff);
            top.insert(x >> 57);
        }
        assert!(low.len() > 2400, "{} of 4096 low values", low.len());
        assert_eq!(top.len(), 128);
    }
}
