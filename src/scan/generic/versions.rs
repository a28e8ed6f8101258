//! Version strings and ranges in the places a secret word can name them:
//! typeshed's `stdlib/VERSIONS` maps modules such as `pwd` and `spwd` to the
//! Python versions that have them (`3.0-`, `3.0-3.12`), and dependency specs
//! write ranges (`>=1.2,<2`, `~=3.4.0`, `^1.2 || ^2.0`). A value built only of
//! dotted numbers and range operators is a version, whatever the name says.

/// Bytes that join or qualify versions in a range: comparison operators,
/// the range dash, list separators, wildcards and blanks.
fn range_byte(b: u8) -> bool {
    matches!(
        b,
        b'<' | b'>' | b'=' | b'!' | b'~' | b'^' | b'-' | b',' | b'|' | b'*' | b' ' | b'x' | b'v'
    )
}

/// `3.0-`, `3.0-3.12`, `>=1.2,<2`, `~=3.4.0`, `^1.2 || ^2.0`, `1.x`: at least
/// one dotted number (`3.0`), nothing but digits, dots and range bytes, and
/// no dot outside a number. A password or key made of these bytes alone
/// would need a dotted number in it and nothing else; random values mix in
/// letters.
pub(super) fn is_version_range(v: &[u8]) -> bool {
    if v.is_empty()
        || !v
            .iter()
            .all(|&b| b.is_ascii_digit() || b == b'.' || range_byte(b))
    {
        return false;
    }
    let mut dotted = false;
    for (i, &b) in v.iter().enumerate() {
        if b != b'.' {
            continue;
        }
        let before = i > 0 && v[i - 1].is_ascii_digit();
        let after = v
            .get(i + 1)
            .is_some_and(|n| n.is_ascii_digit() || matches!(n, b'x' | b'*'));
        if !before || !after {
            return false;
        }
        dotted = true;
    }
    // `x` and `v` only as a wildcard after a dot or a prefix before a digit.
    let letters_placed = v.iter().enumerate().all(|(i, &b)| match b {
        b'x' => i > 0 && v[i - 1] == b'.',
        b'v' => v.get(i + 1).is_some_and(u8::is_ascii_digit),
        _ => true,
    });
    dotted && letters_placed
}

#[cfg(test)]
mod tests {
    use super::is_version_range;

    #[test]
    fn ranges_and_open_ends_are_versions() {
        for v in [
            "3.0-",
            "3.0-3.12",
            ">=1.2,<2",
            "~=3.4.0",
            "^1.2 || ^2.0",
            "1.x",
            "v2.1-v3",
            "2.7",
        ] {
            assert!(is_version_range(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn values_with_more_than_numbers_are_not() {
        for v in [
            "3-12",
            "1234-5678",
            "a1.2",
            "3.0-beta7",
            "1..2",
            ".5",
            "x.1",
            "9x7.2q",
        ] {
            assert!(!is_version_range(v.as_bytes()), "{v}");
        }
    }
}
