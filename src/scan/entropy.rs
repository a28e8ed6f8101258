//! Shannon entropy and character-class measures of a candidate secret.
//!
//! Entropy alone misjudges short strings and hex; the generic rule combines it
//! with how many character classes a value mixes (see `scan::generic`).

/// Shannon entropy in bits per byte.
pub fn shannon(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Which character classes a value uses.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Classes {
    /// `a-z`
    pub lower: bool,
    /// `A-Z`
    pub upper: bool,
    /// `0-9`
    pub digit: bool,
    /// Anything else printable.
    pub symbol: bool,
}

impl Classes {
    /// Classifies every byte of `data`.
    pub fn of(data: &[u8]) -> Classes {
        let mut c = Classes::default();
        for &b in data {
            match b {
                b'a'..=b'z' => c.lower = true,
                b'A'..=b'Z' => c.upper = true,
                b'0'..=b'9' => c.digit = true,
                _ => c.symbol = true,
            }
        }
        c
    }

    /// How many of the four classes occur.
    pub fn count(self) -> usize {
        [self.lower, self.upper, self.digit, self.symbol]
            .iter()
            .filter(|&&x| x)
            .count()
    }
}

/// True when every byte is a hex digit.
pub fn is_hex(data: &[u8]) -> bool {
    !data.is_empty() && data.iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
        assert_eq!(shannon(b""), 0.0);
    }

    #[test]
    fn classes_count() {
        assert_eq!(Classes::of(b"abcD9").count(), 3);
        assert_eq!(Classes::of(b"a-b").count(), 2);
    }
}
