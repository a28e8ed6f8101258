//! Stand-in passwords disguised with digit and symbol substitutions:
//! `s3cr3t`, `p@ssw0rd`, `P4ssw0rd!`, `super$ecret`, `s3cr3t_k3y`. Undo the
//! usual substitutions (0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, @→a, $→s, !→i)
//! and the value is a word or two of the vocabulary (any language it
//! covers), or a famous default password: what docs and test fixtures write
//! when they need a password that looks like one. A chosen password with
//! letters, digits and symbols that do not undo into words still blocks.

use super::words;

/// Longest value undone: stand-ins are short; a long value of words is a
/// passphrase or an identifier, which other checks judge.
const MAX_LEN: usize = 24;

/// The letter a substituted byte stands for; `1` is tried as `i`, then `l`.
fn letter(b: u8, one: u8) -> Option<u8> {
    Some(match b {
        b'0' => b'o',
        b'1' => one,
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'7' => b't',
        b'!' => b'i',
        _ => return None,
    })
}

/// True when `value` undoes into one or two words or a default password,
/// with at least one substitution inside a run of letters (`s3cr3t`, not
/// `secret123`, which people do choose).
pub(super) fn leet_stand_in(value: &[u8]) -> bool {
    // Capitals past the first (`s3cr3tP4ss`, `str0ngP4ss`) are a person
    // composing a password from parts, not a stand-in typed for a slot.
    if value.len() < 4 || value.len() > MAX_LEN || value[1..].iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    // Digits and `!` at the end are a suffix, not substitutions.
    let end = value.len()
        - value
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit() || **b == b'!')
            .count()
            .min(value.len() - 1);
    let body = &value[..end];
    let inside = body.iter().enumerate().any(|(i, &b)| {
        letter(b, b'i').is_some()
            && i > 0
            && body[i - 1].is_ascii_alphabetic()
            && body
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || letter(*n, b'i').is_some())
    }) || (body.first().is_some_and(|&b| matches!(b, b'@' | b'$'))
        && body.get(1).is_some_and(u8::is_ascii_alphabetic));
    if !inside {
        return false;
    }
    [b'i', b'l'].iter().any(|&one| {
        let undone: Option<Vec<u8>> = body
            .iter()
            .map(|&b| match b {
                b'_' | b'-' => Some(b'_'),
                _ if b.is_ascii_alphabetic() => Some(b.to_ascii_lowercase()),
                _ => letter(b, one),
            })
            .collect();
        undone.is_some_and(|u| {
            u.split(|&b| b == b'_')
                .filter(|p| !p.is_empty())
                .all(|p| words::is_weak_password(p) || few_words(p))
        })
    })
}

/// One or two vocabulary words (`secret`, `supersecret`, `key`).
fn few_words(lower: &[u8]) -> bool {
    words::fewest_words(lower).is_some_and(|w| w.len() <= 2)
}

#[cfg(test)]
mod tests {
    use super::leet_stand_in;

    #[test]
    fn substituted_words_are_stand_ins() {
        for v in [
            "s3cr3t",
            "p@ssw0rd",
            "P4ssw0rd!",
            "super$ecret",
            "s3cr3t_k3y",
            "g3h3im",
            "l3tm31n",
            "adm1n123",
        ] {
            assert!(leet_stand_in(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn chosen_and_random_values_are_not() {
        for v in [
            "secret123",
            "hq7Vd2mXr9",
            "Tr0ub4dor&3",
            "kx3vq7zt",
            "s3",
            "Zq8Lm2Xv9TbK4p",
        ] {
            assert!(!leet_stand_in(v.as_bytes()), "{v}");
        }
    }
}
