//! Placeholder suppression: the stand-ins that AI tools, templates and docs put
//! where a key belongs (`your-api-key-here`, `<API_KEY>`, `${VAR}`, `xxxx`,
//! `sk-...`, AWS's `...EXAMPLE`) are never findings, whatever rule matched them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// Substrings (matched case-insensitively) that mark a value as a stand-in.
/// `fake` is deliberately not one: a provider-format key with `FAKE` in its
/// body is how test suites (keyhook's own included) exercise detection, and it
/// still deserves a reviewer's look; a *chosen* value such as `fake-password`
/// is a stand-in, which the generic judgement handles (`generic::judge`).
/// Each is long or unusual enough that a random token contains it with
/// negligible probability (e.g. "your" in 40 base62 chars: about 1 in 25,000).
const MARKERS: &[&str] = &[
    "your",
    "example",
    "placeholder",
    "replace",
    "changeme",
    "change_me",
    "change-me",
    "insert",
    "redacted",
    "xxxx",
    "***",
    "...",
    "…",
    "{{",
    "}}",
    "dummy",
    "sample",
    "fixme",
    "todo_",
    "_here",
    "-here",
    "notreal",
    "not_real",
    "not-real",
    "lorem",
    "ipsum",
    "foobar",
    "qwerty",
    // The base32 TOTP seed every authenticator's documentation uses
    // ("Hello!" and 0xDEADBEEF), in otpauth:// examples everywhere.
    "jbswy3dpehpk3pxp",
    "asdf",
    // The documented example UUIDs (RFC 4122's and the one every UUID primer
    // copies): pasted as a token in docs and tutorials, never issued.
    "123e4567-e89b-12d3-a456",
    "550e8400-e29b-41d4-a716",
];

fn markers() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            // Searched over short values only: the NFA builds several times
            // faster than the DFA the builder would pick, which is what counts.
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(MARKERS)
            .expect("placeholder markers build")
    })
}

/// Why a value was judged a placeholder (for `keyhook explain`-style output and tests).
pub fn reason(value: &[u8]) -> Option<&'static str> {
    if value.is_empty() {
        return Some("empty");
    }
    if let Some(m) = markers().find(value) {
        return Some(MARKERS[m.pattern().as_usize()]);
    }
    if let Some(slot) = template_slot(value) {
        return Some(slot);
    }
    if few_distinct(value) {
        return Some("too few distinct characters");
    }
    // A run only gives a value away when it is most of it (`000000`,
    // `sk-1234567890`): fixtures such as `dapi1234567890ABCDEF...` and real
    // containers (OpenSSH keys start with runs of `A`) are judged as keys.
    if dominates(same_run(value), value) {
        return Some("a run of one character");
    }
    if dominates(sequential_run(value), value) || mostly_sequences(value) {
        return Some("sequential characters");
    }
    if interleaved_sequences(value) {
        return Some("interleaved sequences");
    }
    if counting_bytes(value) {
        return Some("counting bytes (a test vector)");
    }
    if short_period(value) {
        return Some("repeats a short pattern");
    }
    None
}

/// `<API_KEY>`, `${TOKEN}`, `$(cat key)`, `%(password)s`: a slot of a
/// template or of documentation. Only the bracket with a name in it counts: a
/// generated password or Django key draws `<`, `$(` or `%(` from its alphabet
/// by chance, and is no less a secret for it.
fn template_slot(value: &[u8]) -> Option<&'static str> {
    let named = |rest: &[u8]| {
        rest.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    };
    if value.starts_with(b"<") || value.ends_with(b">") {
        return Some("<");
    }
    for (i, w) in value.windows(2).enumerate() {
        let rest = &value[i + 2..];
        match w {
            b"${" | b"$(" | b"%(" if named(rest) || rest.first() == Some(&b'{') => {
                return Some(if w == b"%(" { "%(" } else { "${" });
            }
            _ if w[0] == b'<' => {
                let inner = &value[i + 1..];
                let len = inner
                    .iter()
                    .take_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' ' | b'.')
                    })
                    .count();
                if len > 0 && inner.get(len) == Some(&b'>') {
                    return Some("<");
                }
            }
            _ => {}
        }
    }
    None
}

/// True when `value` is a stand-in rather than a credential.
pub fn is_placeholder(value: &[u8]) -> bool {
    reason(value).is_some()
}

/// `aaaaaaaa`, `abababab`: a long value built from almost nothing.
fn few_distinct(value: &[u8]) -> bool {
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in value {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    (value.len() >= 6 && distinct <= 2) || (value.len() >= 12 && distinct <= 4)
}

/// `abcdef.0123456789abcdef`: runs of five or more consecutive characters
/// cover nine tenths of the value.
fn mostly_sequences(value: &[u8]) -> bool {
    if value.len() < 12 {
        return false;
    }
    let mut covered = 0;
    let mut run = 1;
    for w in value.windows(2) {
        // Case does not break a run: `aBcDeFgH` is the alphabet typed with
        // alternating case, a filler as much as `abcdefgh`.
        let (a, b) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        let step = a.is_ascii_alphanumeric()
            && b.is_ascii_alphanumeric()
            && (b == a.wrapping_add(1) || a == b.wrapping_add(1));
        if step {
            run += 1;
        } else {
            if run >= 5 {
                covered += run;
            }
            run = 1;
        }
    }
    if run >= 5 {
        covered += run;
    }
    covered * 10 >= value.len() * 9
}

/// `a1b2c3d4e5f6g7h8...`, `d4c3b2a1-f6e5-h8g7`: two counting sequences
/// woven together. Every character but a few is one step (up or down, digits
/// wrapping 9 to 0) from the character two places on; in a random token about
/// one pair in thirty is, in hex one in eight, so seven tenths never happens
/// by chance.
fn interleaved_sequences(value: &[u8]) -> bool {
    let alnum = value.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    if alnum < 12 {
        return false;
    }
    let step = |a: u8, b: u8| {
        let same_class = (a.is_ascii_digit() && b.is_ascii_digit())
            || (a.is_ascii_lowercase() && b.is_ascii_lowercase())
            || (a.is_ascii_uppercase() && b.is_ascii_uppercase());
        let wrap = a.is_ascii_digit() && ((a == b'9' && b == b'0') || (a == b'0' && b == b'9'));
        same_class && (b == a.wrapping_add(1) || a == b.wrapping_add(1) || wrap)
    };
    // On the stack for the short values judged by the thousand.
    let mut short = [false; 256];
    let mut long = Vec::new();
    let covered: &mut [bool] = if value.len() <= short.len() {
        &mut short[..value.len()]
    } else {
        long.resize(value.len(), false);
        &mut long
    };
    for i in 0..value.len().saturating_sub(2) {
        if step(value[i], value[i + 2]) {
            covered[i] = true;
            covered[i + 2] = true;
        }
    }
    covered.iter().filter(|&&c| c).count() * 10 >= alnum * 7
}

/// Shortest hex value read as counting bytes: eight bytes.
const MIN_COUNTING_HEX: usize = 16;

/// `000102030405060708090a0b0c0d0e0f`, `f0f1f2f3f4f5f6f7`: hex whose bytes
/// count up (or down) by one, the key and IV of cipher test vectors and
/// examples. Each byte follows from the one before with chance 1/256 in a
/// random value, so eight in a row never happen by chance.
fn counting_bytes(value: &[u8]) -> bool {
    if value.len() < MIN_COUNTING_HEX || value.len() % 2 != 0 {
        return false;
    }
    let nibble = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let byte = |i: usize| Some(nibble(value[i])? << 4 | nibble(value[i + 1])?);
    let (Some(first), Some(second)) = (byte(0), byte(2)) else {
        return false;
    };
    let step = second.wrapping_sub(first);
    if step != 1 && step != 255 {
        return false;
    }
    let mut last = second;
    (4..value.len()).step_by(2).all(|i| {
        let next = byte(i);
        let ok = next == Some(last.wrapping_add(step));
        last = next.unwrap_or(0);
        ok
    })
}

/// `AB1C2defGHijk3LMno...`, `a123b45c6d78e9f0...`, `A1b2c3d4`, `ABC12345`,
/// `hijklmnopuvwDEFqrABCxyz...`: the alphabet (and the digits) typed in order,
/// with the other class, capitals or a shuffle of short runs mixed in. Read
/// apart, the letters (case folded) and the digits (9 wrapping to 0) are each
/// made of ascending runs of three or more, which cover four fifths of the
/// letters and digits together.
///
/// Why a random token never meets it: a character continues a run with
/// chance 1/26 among letters and 1/10 among digits (1/6 among hex letters),
/// and four fifths covered takes nearly every character continuing one. By
/// simulation (200,000 draws per cell): hex at 8 characters about 1 in
/// 22,000 (8 hex characters are 32 bits, no key), at 10 about 1 in 60,000,
/// at 12 and longer none; base36, base62 and base64 at 8 characters and
/// longer none. Estimated: for 16 hex characters the chance is below 1e-9.
///
/// Not part of [`reason`]: labelled corpora (rule examples written for a
/// provider's format, `abcd1234efgh5678...` in a `.env`) count such values
/// as keys where product code and configuration hold them, so this is a
/// stand-in test for docs and tests only (`generic::docs_tests`).
pub fn sprinkled_sequences(value: &[u8]) -> bool {
    let (mut letters, mut digits) = (Vec::new(), Vec::new());
    for &b in value {
        if b.is_ascii_alphabetic() {
            letters.push(b.to_ascii_lowercase());
        } else if b.is_ascii_digit() {
            digits.push(b);
        }
    }
    let alnum = letters.len() + digits.len();
    alnum >= SPRINKLED_MIN_LEN
        && (ascending_cover(&letters) + ascending_cover(&digits)) * 5 >= alnum * 4
}

/// Fewest letters and digits a sprinkled filler is judged on.
const SPRINKLED_MIN_LEN: usize = 8;

/// Bytes of `seq` in ascending runs of three or more (`9` then `0` counts as
/// a step: `7890` is typed in order).
fn ascending_cover(seq: &[u8]) -> usize {
    let mut covered = 0;
    let mut run = 1;
    for w in seq.windows(2) {
        if w[1] == w[0] + 1 || (w[0] == b'9' && w[1] == b'0') {
            run += 1;
        } else {
            if run >= 3 {
                covered += run;
            }
            run = 1;
        }
    }
    if run >= 3 {
        covered += run;
    }
    covered
}

/// A run of at least six that makes up half of the value or more.
fn dominates(run: usize, value: &[u8]) -> bool {
    run >= 6 && run * 2 >= value.len()
}

/// Longest run of one repeated byte (`000000`).
fn same_run(value: &[u8]) -> usize {
    let (mut best, mut run) = (1, 1);
    for w in value.windows(2) {
        run = if w[0] == w[1] { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

/// Longest run of consecutive ascending or descending alphanumerics, in any
/// case (`abcdef`, `987654`, `aBcDeF`).
fn sequential_run(value: &[u8]) -> usize {
    let (mut best, mut up, mut down) = (1, 1, 1);
    for w in value.windows(2) {
        let (a, b) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && a == b.wrapping_add(1) {
            down + 1
        } else {
            1
        };
        best = best.max(up).max(down);
    }
    best
}

/// `abc123abc123abc1`: the whole value repeats a unit of at most a third of its
/// length (and eight characters: longer repeats are how fixtures are built,
/// and labelled corpora count them as keys).
fn short_period(value: &[u8]) -> bool {
    let n = value.len();
    if n < 9 {
        return false;
    }
    (1..=(n / 3).min(8)).any(|p| value[p..].iter().zip(value).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_bytes_are_test_vectors() {
        for v in [
            "000102030405060708090a0b0c0d0e0f",
            "F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF",
            "0f0e0d0c0b0a09080706050403020100",
            "fcfdfeff00010203",
        ] {
            assert!(
                counting_bytes(v.as_bytes()) && is_placeholder(v.as_bytes()),
                "{v}"
            );
        }
        for v in [
            "00010203040506070",
            "9f3b2c7d1e8a4f60b5c2d1e0f9a8b7c6",
            "0001020304050607080a",
            "+0+1+2+3+4+5+6+7",
        ] {
            assert!(!counting_bytes(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn stand_ins_are_placeholders() {
        for v in [
            "REPLACE_WITH_YOUR_SECRET",
            "your-api-key-here",
            "sk-...your...",
            "<API_KEY>",
            "${OPENAI_API_KEY}",
            "{{ api_key }}",
            "xxxxxxxxxxxxxxxx",
            "aaaaaaaaaaaaaaaa",
            "abc123abc123abc123",
            "1234567890",
            "AKIAIOSFODNN7EXAMPLE",
            "sk-proj-************",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v} should be a placeholder");
        }
    }

    #[test]
    fn documented_example_uuids_are_placeholders_and_other_uuids_are_not() {
        assert_eq!(
            reason(b"123e4567-e89b-12d3-a456-426614174000"),
            Some("123e4567-e89b-12d3-a456")
        );
        assert!(is_placeholder(b"550E8400-E29B-41D4-A716-446655440000"));
        assert!(!is_placeholder(b"9b2f6c1e-4d7a-4f83-b5e2-0c8a7d3e6f19"));
    }

    #[test]
    fn template_slots_need_a_name_in_the_bracket() {
        for v in [
            "<API_KEY>",
            "sk-<key>",
            "pre_<token here>_post",
            "${TOKEN}",
            "x${{ secrets.A }}",
            "$(cat key.txt)",
            "%(password)s",
            "<redacted",
            "abc>",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v} should be a placeholder");
        }
        for v in [
            // Generated secrets draw these characters by chance.
            concat!(
                "django-",
                "insecure-_du9e^cmago!%(^+=gr@cu@v9-v7ulhbk2s3!w&39w4+n3*k*$"
            ),
            "7D}/vYR)T;W5]EBrf;_&k>qX??]G&3CF=;@vyrVBp[$_hK4^?{qT/EglJe",
            "Qm3$(9x<!Lp2>Zt8",
        ] {
            assert_eq!(reason(v.as_bytes()), None, "{v}");
        }
    }

    #[test]
    fn values_made_of_sequences() {
        assert!(is_placeholder(b"abcdef.0123456789abcdef"));
        assert!(is_placeholder(b"aBcDeFgHiJkLmNoPqRsT1234567890abcdefghij"));
        assert!(is_placeholder(b"ZyXwVuTsRqPoNm"));
        assert!(!is_placeholder(
            concat!("dapi", "1234567890ABCDEF1234567890ABCDEF-3x9Qk").as_bytes()
        ));
    }

    #[test]
    fn interleaved_counting_is_a_placeholder() {
        for v in [
            "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8NRAL",
            "px-api-a1b2c3d4-e5f6-g7h8-i8j0-k0l3m3n4o0p5",
            "px-dep-d4c3b2a1-f6e5-h8g7-j1i8-p5o0n5m3l2k1",
        ] {
            assert_eq!(reason(v.as_bytes()), Some("interleaved sequences"), "{v}");
        }
    }

    #[test]
    fn sprinkled_alphabet_fillers() {
        for v in [
            // Assembled: the filler shapes whole would be stand-ins in this
            // repository's own scan, which is the point, but keep it plain.
            concat!("AB1C2defGHij", "kLMNo3PqRstUvwxyz"),
            concat!("a123b45c6d78e9f0", "12a34bc5d6e78f90"),
            "ABC12345",
            "a1b2c3d4567890ab",
            "A1b2c3d4",
            concat!("hijklmnopuvwDEF", "qrABCxyzstGHIJKLMNO"),
            "abc123_def456-ghi789",
        ] {
            assert!(sprinkled_sequences(v.as_bytes()), "{v}");
        }
        for v in ["abc12", "Zq8Lm2Xv", "dapi-Qm3Zt8Vw2Rk9Lp4X"] {
            assert!(!sprinkled_sequences(v.as_bytes()), "{v}");
        }
    }

    /// Random tokens of each common alphabet, from a fixed-seed generator,
    /// never meet [`sprinkled_sequences`] (hex from 12 characters, the
    /// larger alphabets from 8: see the chances argued at the function).
    #[test]
    fn random_tokens_are_not_sprinkled_fillers() {
        let mut rng = crate::testrng::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next_u64();
        let alphabets: [(&[u8], usize); 4] = [
            (b"0123456789abcdef", 12),
            (b"0123456789ABCDEF", 12),
            (b"abcdefghijklmnopqrstuvwxyz0123456789", 8),
            (
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                8,
            ),
        ];
        for (alphabet, shortest) in alphabets {
            for len in [shortest, 16, 20, 32, 40, 64] {
                for _ in 0..2000 {
                    let token: Vec<u8> = (0..len)
                        .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                        .collect();
                    assert!(
                        !sprinkled_sequences(&token),
                        "{}",
                        String::from_utf8_lossy(&token)
                    );
                }
            }
        }
    }

    #[test]
    fn random_tokens_are_not_placeholders() {
        for v in [
            // Split so that keyhook's own hook does not flag its tests.
            concat!("ghp_", "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE"),
            "sk-proj-Qm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5Ty",
            "9f86d081884c7d659a2feaa0c55ad015",
            concat!("dapi", "1234567890ABCDEF1234567890ABCDEF"),
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS",
        ] {
            assert_eq!(reason(v.as_bytes()), None, "{v}");
        }
    }
}
