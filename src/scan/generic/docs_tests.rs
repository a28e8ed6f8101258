//! Stand-ins in docs and tests (issue 11). Example passwords there are short
//! or made of words with a digit or symbol (`s3cr3t`, `TopSecret1`,
//! `segreto$chiave`, `newpassword99`); generated keys are long and their letters
//! do not form words. The test is on the value's shape only, so it holds in
//! any human language whose words have vowels.

/// Values this short are examples wherever docs or tests hold them.
const MAX_STAND_IN_LEN: usize = 8;

/// Shortest letter run counted as a word.
const MIN_WORD_RUN: usize = 4;

/// True when `value` (percent escapes decoded) is at most 8 bytes long or at
/// least half of it is word-like letter runs.
pub fn is_stand_in(value: &[u8]) -> bool {
    let value = percent_decoded(value);
    if value.len() <= MAX_STAND_IN_LEN {
        return true;
    }
    word_like_bytes(&value) * 2 >= value.len()
}

/// Bytes in letter runs (split at non-letters and at a lower-to-upper case
/// step, as in `TopSecret`) that read as words: four letters or more, a vowel,
/// and no more than three consonants together.
fn word_like_bytes(value: &[u8]) -> usize {
    let mut total = 0;
    let mut start = 0;
    for i in 0..=value.len() {
        let boundary = i == value.len()
            || !value[i].is_ascii_alphabetic()
            || (i > start && value[i].is_ascii_uppercase() && value[i - 1].is_ascii_lowercase());
        if boundary {
            let run = &value[start..i];
            if run.len() >= MIN_WORD_RUN && readable(run) {
                total += run.len();
            }
            start = if i < value.len() && value[i].is_ascii_alphabetic() {
                i
            } else {
                i + 1
            };
        }
    }
    total
}

fn readable(run: &[u8]) -> bool {
    let vowel = |b: u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let mut consonants = 0;
    let mut longest = 0;
    for &b in run {
        consonants = if vowel(b) { 0 } else { consonants + 1 };
        longest = longest.max(consonants);
    }
    run.iter().any(|&b| vowel(b)) && longest <= 3
}

fn percent_decoded(value: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        match (value[i], value.get(i + 1), value.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_passwords_are_stand_ins() {
        for v in [
            "s3cr3t",
            "TopSecret1",
            "Pass@Word1",
            "segreto$chiave",
            "newpassword99",
            "A1b2c3d4",
            "foo(b%5Dc",
        ] {
            assert!(is_stand_in(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn generated_values_are_not() {
        for v in [
            "Xq7#vK2m@Lp9Zr",
            "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE",
            "9f3b2c7d1e8a4f60b5c2",
        ] {
            assert!(!is_stand_in(v.as_bytes()), "{v}");
        }
    }
}
