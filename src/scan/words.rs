//! Does a value read as language? A small embedded vocabulary (`words.txt`:
//! the most frequent English words, the most widespread words of identifiers
//! in open-source code, and configuration terms) and a
//! list of well-known weak passwords. Identifiers (`GameTitle`, `on_create`,
//! `LET_ME_IN`), phrases (`top_secret`) and default passwords (`admin123`) are
//! made of words; keys and real passwords are not. A random string of eight or
//! more letters splits into vocabulary words about once in 10,000 tries, so the
//! test costs real secrets almost nothing.

/// Longest vocabulary word considered when splitting a run of letters.
const MAX_WORD: usize = 24;

/// Longest run of digits an identifier or a default password carries
/// (`RSA_4096`, `admin2020`); longer runs are data.
const MAX_DIGIT_RUN: usize = 4;

/// Default and famously weak passwords: docs and examples use them as
/// stand-ins, and a scanner that blocks `admin123` teaches people to ignore it.
/// Matched case-insensitively, optionally followed by up to four digits and
/// `!` (`password123`, `letmein1!`). Plain dictionary words (`secret`) are
/// caught by the vocabulary instead, so `secret123` still counts as chosen.
const WEAK_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "admin",
    "administrator",
    "root",
    "toor",
    "guest",
    "user",
    "test",
    "tester",
    "demo",
    "default",
    "changeme",
    "changeit",
    "letmein",
    "welcome",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "zxcvbnm",
    "abc",
    "abcd",
    "iloveyou",
    "trustno",
    "monkey",
    "dragon",
    "master",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "batman",
    "shadow",
    "hunter",
    "1qaz2wsx",
    "zaq12wsx",
    "mypassword",
];

include!(concat!(env!("OUT_DIR"), "/embedded_words.rs"));

/// True when `lower` is listed in `words.txt`.
fn listed(lower: &[u8]) -> bool {
    let word = |i: usize| {
        let start = if i == 0 { 0 } else { WORD_ENDS[i - 1] as usize };
        &WORDS.as_bytes()[start..WORD_ENDS[i] as usize]
    };
    let (mut lo, mut hi) = (0, WORD_ENDS.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match word(mid).cmp(lower) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Reads as a word might: a vowel (or `y`) and never four consonants in a
/// row (`Fulton`, `Concentrators`), which random letters rarely manage.
pub fn reads(piece: &[u8]) -> bool {
    let vowel = |b: u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let mut run = 0;
    for &b in piece {
        run = if vowel(b) { 0 } else { run + 1 };
        if run >= 4 {
            return false;
        }
    }
    piece.iter().any(|&b| vowel(b))
}

/// True when `lower` (lowercase ASCII letters) is a vocabulary word.
pub fn is_word(lower: &[u8]) -> bool {
    if listed(lower) {
        return true;
    }
    // Inflections of a listed word: plurals, tenses, agents (`repositories`,
    // `managed`, `authorizer`, `settings`).
    let n = lower.len();
    for (suffix, extra) in INFLECTIONS {
        if n >= suffix.len() + 3 && lower.ends_with(suffix.as_bytes()) {
            let stem = &lower[..n - suffix.len()];
            let mut buf = [0u8; 32];
            if stem.len() + extra.len() > buf.len() {
                continue;
            }
            buf[..stem.len()].copy_from_slice(stem);
            buf[stem.len()..stem.len() + extra.len()].copy_from_slice(extra.as_bytes());
            if listed(&buf[..stem.len() + extra.len()]) {
                return true;
            }
        }
    }
    false
}

/// Suffixes stripped (and what replaces them) to find a listed stem.
const INFLECTIONS: &[(&str, &str)] = &[
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("er", "e"),
    ("ers", ""),
    ("ers", "e"),
    ("ly", ""),
];

/// True when `lower` (lowercase ASCII letters) splits entirely into vocabulary
/// words (`topsecret` = top + secret, `letmein` = let + me + in).
pub fn splits_into_words(lower: &[u8]) -> bool {
    let n = lower.len();
    if n == 0 || n > 128 {
        return false;
    }
    let mut ok = [false; 129];
    ok[0] = true;
    let mut last_ok = 0;
    for end in 1..=n {
        // No split reaches past a stretch longer than any word.
        if end - last_ok > MAX_WORD {
            return false;
        }
        ok[end] = (end.saturating_sub(MAX_WORD)..end)
            .rev()
            .any(|start| ok[start] && is_word(&lower[start..end]));
        if ok[end] {
            last_ok = end;
        }
    }
    ok[n]
}

/// The split of `lower` (lowercase ASCII letters) into the fewest vocabulary
/// words (`thisismypassword` → this, is, my, password), or `None` when it
/// does not split.
pub fn fewest_words(lower: &[u8]) -> Option<Vec<&[u8]>> {
    let n = lower.len();
    if n == 0 || n > 128 {
        return None;
    }
    // best[end] = (words in the best split of lower[..end], where its last word starts)
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    let mut last = 0;
    for end in 1..=n {
        // No split reaches past a stretch longer than any word.
        if end - last > MAX_WORD {
            return None;
        }
        for start in end.saturating_sub(MAX_WORD)..end {
            if let Some((count, _)) = best[start] {
                let better = best[end].is_none_or(|(c, _)| count + 1 < c);
                if better && is_word(&lower[start..end]) {
                    best[end] = Some((count + 1, start));
                }
            }
        }
        if best[end].is_some() {
            last = end;
        }
    }
    best[n]?;
    let mut out = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        out.push(&lower[start..end]);
        end = start;
    }
    out.reverse();
    Some(out)
}

/// True for a well-known weak or default password, with up to four trailing
/// digits and `!` (`Password123!`).
pub fn is_weak_password(value: &[u8]) -> bool {
    let mut end = value.len();
    while end > 0 && value[end - 1] == b'!' {
        end -= 1;
    }
    let digits = value[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if end == digits && (6..=10).contains(&digits) {
        // All digits: 123456, 000000, 654321 and friends are caught as
        // sequences or runs by the placeholder filter; other short PINs too.
        return true;
    }
    if digits > MAX_DIGIT_RUN {
        return false;
    }
    let stem = value[..end - digits].to_ascii_lowercase();
    WEAK_PASSWORDS
        .iter()
        .any(|w| w.as_bytes() == stem.as_slice())
}

/// A piece of a value: a run of letters (split at camelCase humps) or of digits.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Letters(&'a [u8]),
    Digits(usize),
}

/// Splits `value` at separators, letter/digit changes and camelCase humps
/// (`JSONOutputType` → JSON, Output, Type).
fn pieces(value: &[u8]) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < value.len() && value[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Piece::Digits(i - start));
        } else if b.is_ascii_alphabetic() {
            let start = i;
            i += 1;
            while i < value.len() && value[i].is_ascii_alphabetic() {
                let (prev, cur) = (value[i - 1], value[i]);
                let next_lower = value.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                // A hump: aB, or the last capital of an acronym before a word (JSONOutput).
                if (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
                    || (prev.is_ascii_uppercase() && cur.is_ascii_uppercase() && next_lower)
                {
                    break;
                }
                i += 1;
            }
            out.push(Piece::Letters(&value[start..i]));
        } else {
            i += 1;
        }
    }
    out
}

/// True when `value` is made of words: every run of two or more letters splits
/// into vocabulary words, digit runs are short, and at least one real word
/// (three letters or more) is present. `GameTitle`, `on_create`, `RSA_4096`,
/// `ThisIsBadJSON`, `customer/account/forgotpassword` are; `nsdrdrfdy`,
/// `laradock_hgkhzbpiry`, `LLBF4QQXCW2G4OQ` are not.
pub fn is_wordy(value: &[u8]) -> bool {
    let mut has_word = false;
    let mut splits = Splits::default();
    for piece in pieces(value) {
        match piece {
            Piece::Digits(n) if n > MAX_DIGIT_RUN => return false,
            Piece::Digits(_) => {}
            Piece::Letters(l) if l.len() == 1 => {}
            Piece::Letters(l) => {
                if !splits.of(l) {
                    return false;
                }
                has_word |= l.len() >= 3;
            }
        }
    }
    has_word
}

/// [`splits_into_words`] of a piece's lower case, remembering the last piece:
/// a long repetitive value (`passwordpasswordpassword...`) repeats one piece
/// dozens of times.
#[derive(Default)]
struct Splits<'a> {
    last: Option<(&'a [u8], bool)>,
}

impl<'a> Splits<'a> {
    fn of(&mut self, piece: &'a [u8]) -> bool {
        match self.last {
            Some((last, splits)) if last == piece => splits,
            _ => {
                let splits = splits_into_words(&piece.to_ascii_lowercase());
                self.last = Some((piece, splits));
                splits
            }
        }
    }
}

/// True when `value` is an identifier made mostly of words: at least two
/// word pieces, at most one piece that is not a word, and words covering
/// three quarters of the letters (`EmrManagedSlaveSecurityGroup`).
pub fn is_mostly_words(value: &[u8]) -> bool {
    let (mut word_letters, mut other_letters, mut words, mut others) = (0, 0, 0, 0);
    let mut splits = Splits::default();
    for piece in pieces(value) {
        match piece {
            Piece::Digits(n) if n > MAX_DIGIT_RUN => return false,
            Piece::Digits(_) => {}
            Piece::Letters(l) if l.len() == 1 => {}
            Piece::Letters(l) if splits.of(l) => {
                words += 1;
                word_letters += l.len();
            }
            Piece::Letters(l) => {
                others += 1;
                other_letters += l.len();
            }
        }
    }
    words >= 2 && others <= 1 && word_letters >= 3 * other_letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_of_listed_words() {
        assert!(is_word(b"repositories"));
        assert!(is_word(b"managed"));
        assert!(is_word(b"settings"));
        assert!(!is_word(b"xqzvs"));
    }

    #[test]
    fn mostly_words() {
        assert!(is_mostly_words(b"EmrManagedSlaveSecurityGroup"));
        assert!(!is_mostly_words(b"nextcloud-craq"));
        assert!(!is_mostly_words(b"HJdmKXV87DsmC9zSWB"));
        assert!(!is_mostly_words(b"Secret"));
    }

    #[test]
    fn vocabulary_loads() {
        assert!(is_word(b"secret"));
        assert!(is_word(b"json"));
        assert!(!is_word(b"nsdrdrfdy"));
        assert!(!is_word(b"# words"));
    }

    #[test]
    fn compounds_split_into_words() {
        assert!(splits_into_words(b"topsecret"));
        assert!(splits_into_words(b"letmein"));
        assert!(!splits_into_words(b"ofrjvevtwqno"));
        assert!(!splits_into_words(b""));
    }

    #[test]
    fn identifiers_and_phrases_are_wordy() {
        for v in [
            "GameTitle",
            "on_create",
            "RSA_4096",
            "ThisIsBadJSON",
            "JSONOutputType",
            "customer/account/forgotpassword",
            "LET_ME_IN-1",
            "super_secret_password",
            "states/route53/state1",
            "Token生成失败",
        ] {
            assert!(is_wordy(v.as_bytes()), "{v} should be wordy");
        }
    }

    #[test]
    fn random_values_are_not_wordy() {
        for v in [
            "nsdrdrfdy",
            "laradock_hgkhzbpiry",
            "LLBF4QQXCW2G4OQWNPHF4EN2XUCK4",
            "HJdmKXV87DsmC9zSWB",
            "super$ecret",
            "nzpamajq222",
            "api_key_1234567",
            "a1b2c3d4",
            "",
        ] {
            assert!(!is_wordy(v.as_bytes()), "{v} should not be wordy");
        }
    }

    #[test]
    fn weak_passwords() {
        for v in [
            "admin123",
            "Password123!",
            "letmein123",
            "changeme",
            "123456",
        ] {
            assert!(is_weak_password(v.as_bytes()), "{v} is weak");
        }
        for v in [
            "secret123",
            "passW0rd!",
            "admin123456",
            "hzymoehuw",
            "12345",
        ] {
            assert!(!is_weak_password(v.as_bytes()), "{v} is not on the list");
        }
    }

    #[test]
    fn fewest_words_split() {
        let split = |v: &str| {
            fewest_words(v.as_bytes()).map(|w| {
                w.iter()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            split("thisismypassword"),
            Some(vec![
                "this".into(),
                "is".into(),
                "my".into(),
                "password".into()
            ])
        );
        assert_eq!(split("topsecret").map(|w| w.len()), Some(2));
        assert_eq!(split("secret").map(|w| w.len()), Some(1));
        assert_eq!(split("braksha"), None);
        assert_eq!(split(""), None);
    }

    #[test]
    fn pieces_split_at_humps() {
        assert_eq!(
            pieces(b"JSONOutput42x"),
            vec![
                Piece::Letters(b"JSON"),
                Piece::Letters(b"Output"),
                Piece::Digits(2),
                Piece::Letters(b"x"),
            ]
        );
    }
}
