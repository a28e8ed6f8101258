//! Stand-ins in docs and tests (issue 11). Example passwords there are weak
//! defaults or made of words, with digits or symbols between them
//! (`TopSecret1`, `segreto$chiave`, `newpassword99`, `Pass@Word1`); a
//! generated or hand-mashed value is not, however short (`vsginrvg`,
//! `aexodGuvt`), and keys leak through fixtures and READMEs. The evidence is
//! the vocabulary (English and the Latin-script languages of `words_intl.txt`),
//! never length or a letter pattern alone: a random lowercase string often has
//! vowels and few consonant clusters, so "pronounceable" is no proof of a word.

use crate::scan::{placeholder, words};

/// Shortest letter run counted as a word.
const MIN_WORD_RUN: usize = 3;

/// True when `value` (percent escapes decoded) is a well-known weak password,
/// a word with digits or symbols for letters (`s3cr3t`), the alphabet typed
/// with digits or capitals sprinkled in (`A1b2c3d4`), or at least half of its
/// letters are in runs that are vocabulary words.
pub fn is_stand_in(value: &[u8]) -> bool {
    let value = super::value::percent_decoded(value);
    if words::is_weak_password(&value)
        || super::stand_ins::leet_stand_in(&value)
        || placeholder::sprinkled_sequences(&value)
        || split_word(&value)
        || word_and_field(&value)
    {
        return true;
    }
    let (word_letters, letters) = word_letters(&value);
    word_letters > 0 && word_letters * 2 >= letters
}

/// How far either side of a value [`example_marked_line`] looks.
const MARKER_REACH: usize = 256;

/// True when another token near the value on its line is marked as example
/// data: `AKIAIOSFODNN7EXAMPLE`, `EXAMPLEKEY`, `example-bucket`,
/// `sample_token`, `ExampleCorp`. A documentation line that marks one value
/// as an example is an illustration, and the values beside it are made up
/// with it (AWS's docs pair `AccessKeyId=AKIAIOSFODNN7EXAMPLE` with a
/// random-looking secret). The prose word alone (`For example, set
/// TOKEN=...`, `see the sample below`) and a host (`api.example.com`) do not
/// count: a marker is glued to another word or to digits. Only the bytes
/// within [`MARKER_REACH`] of the value are read.
pub fn example_marked_line(line: &[u8], value: std::ops::Range<usize>) -> bool {
    let lo = value.start.saturating_sub(MARKER_REACH);
    let hi = (value.end + MARKER_REACH).min(line.len());
    let token_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-');
    let mut i = lo;
    while i < hi {
        if !token_byte(&line[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < hi && token_byte(&line[i]) {
            i += 1;
        }
        // The value's own token is judged by the placeholder filter.
        if start < value.end && i > value.start {
            continue;
        }
        if marks_example(&line[start..i]) {
            return true;
        }
    }
    false
}

/// `AKIAIOSFODNN7EXAMPLE`, `example-key`, `SampleToken`: `EXAMPLE` in
/// capitals, or `example`/`sample` in any case, glued to something more.
fn marks_example(token: &[u8]) -> bool {
    let lower = token.to_ascii_lowercase();
    [&b"example"[..], b"sample"].iter().any(|m| {
        crate::scan::shape::find(&lower, m).is_some_and(|at| {
            let glued = lower.len() > m.len();
            let capitals = &token[at..at + m.len()];
            let shouted = capitals.iter().all(u8::is_ascii_uppercase);
            // `Example`/`example` alone is prose; joined to another part
            // (`example-key`, `ExampleCorp`, `my_sample`) it names made-up data.
            glued && (shouted || lower.len() > m.len() + 1)
        })
    })
}

/// Abbreviations of what a value is, which tests append to a word to make
/// one (`testpw`, `adminpass`, `demokey`).
const FIELD_SUFFIXES: &[&str] = &["pw", "pwd", "pass", "passwd", "key", "token", "secret"];

/// `testpw`, `adminpass`, `demotoken`: vocabulary words followed by the
/// abbreviation of the field they fill, letters only.
fn word_and_field(value: &[u8]) -> bool {
    if !value.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    FIELD_SUFFIXES.iter().any(|f| {
        lower
            .strip_suffix(f.as_bytes())
            .is_some_and(|lead| lead.len() >= MIN_WORD_RUN && words::splits_into_words(lead))
    })
}

/// Longest value whose letters are read together by [`split_word`].
const MAX_SPLIT_WORD: usize = 12;

/// `pa#ss`, `pas s`, `se-cr-et`: a short value whose letters, read without
/// the symbols and spaces put between them, are one vocabulary word or a
/// well-known password (tests of quoting and escaping write these).
fn split_word(value: &[u8]) -> bool {
    if value.len() > MAX_SPLIT_WORD || value.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let letters: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    letters.len() > MIN_WORD_RUN
        && letters.len() + 2 >= value.len()
        && (words::is_word(&letters) || words::is_weak_password(&letters))
}

/// (letters in runs that split into vocabulary words, all letters). Runs are
/// split at non-letters and at a lower-to-upper case step, as in `TopSecret`.
fn word_letters(value: &[u8]) -> (usize, usize) {
    let mut words_total = 0;
    let mut letters = 0;
    let mut start = 0;
    for i in 0..=value.len() {
        let boundary = i == value.len()
            || !value[i].is_ascii_alphabetic()
            || (i > start && value[i].is_ascii_uppercase() && value[i - 1].is_ascii_lowercase());
        if boundary {
            let run = &value[start..i.max(start)];
            letters += run.len();
            if run.len() >= MIN_WORD_RUN {
                let lower = run.to_ascii_lowercase();
                words_total += if words::splits_into_words(&lower) {
                    run.len()
                } else {
                    covered_by_long_words(&lower)
                };
            }
            start = if i < value.len() && value[i].is_ascii_alphabetic() {
                i
            } else {
                i + 1
            };
        }
    }
    (words_total, letters)
}

/// Shortest word counted inside a run that does not split into words
/// entirely (`generatedwebdavpassword`): five letters, so that a random string
/// rarely covers half of itself with chance short words (`omit` in `mjpeomit`).
const MIN_INNER_WORD: usize = 5;

/// Longest vocabulary word looked for inside a run.
const MAX_INNER_WORD: usize = 16;

/// Letters of `lower` covered by non-overlapping vocabulary words of five
/// letters or more (`generated` + `password` in `generatedwebdavpassword`):
/// the most such words can cover, by dynamic programming over end positions,
/// so bounded work per letter.
fn covered_by_long_words(lower: &[u8]) -> usize {
    let mut best = vec![0usize; lower.len() + 1];
    for end in 1..=lower.len() {
        best[end] = best[end - 1];
        for len in MIN_INNER_WORD..=MAX_INNER_WORD.min(end) {
            let start = end - len;
            if words::is_word(&lower[start..end]) {
                best[end] = best[end].max(best[start] + len);
            }
        }
    }
    best[lower.len()]
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
            "foo(b%5Dc",
            "changeme",
            "admin123",
            "webdavgeneratedpassword2",
            // The alphabet typed with digits sprinkled in.
            "A1b2c3d4",
            "abc123def456ghi789",
            // A word with symbols put between its letters.
            "pa#ss",
            "pas s",
            "testpw",
            "adminpass",
            "demotoken",
        ] {
            assert!(is_stand_in(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn lines_that_mark_another_value_as_an_example() {
        let marked = |line: &str, value: &str| {
            let at = line.find(value).unwrap();
            example_marked_line(line.as_bytes(), at..at + value.len())
        };
        let v = ["q8Zr2", "LmX9v", "Tb4Kp", "W7nYc"].concat();
        for line in [
            format!("--credential \"AccessKeyId=AKIAIOSFODNN7EXAMPLE, RawSecretAccessKey={v}\""),
            format!("aws s3 presign s3://example-bucket/key --token {v}"),
            format!("token: {v}  # sample_token"),
        ] {
            assert!(marked(&line, &v), "{line}");
        }
        for line in [
            format!("For example, set API_TOKEN={v} before running."),
            format!("curl -H 'X-Api-Key: {v}' https://api.example.com/v1"),
            format!("See the sample: token={v}"),
            format!("AccessKeyId=AKIA{v}, SecretAccessKey={v}"),
        ] {
            assert!(!marked(&line, &v), "{line}");
        }
    }

    #[test]
    fn generated_values_are_not() {
        for v in [
            "Xq7#vK2m@Lp9Zr",
            "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE",
            "9f3b2c7d1e8a4f60b5c2",
            "vsginrvg",
            "aexodGuvt",
            "upqjeo",
            "x7#Qa!z",
            "Tr0ub4dor&3",
            "xqzvkpw",
        ] {
            assert!(!is_stand_in(v.as_bytes()), "{v}");
        }
    }
}
