//! A small, tolerant base64 decoder, shared by the Kubernetes `Secret`
//! detector (`data:` values) and the generic judgement (`Basic` credentials,
//! base64 of plain text). Hand-written rather than a crate: it is thirty lines,
//! needs no options beyond "standard or URL-safe alphabet, padding optional,
//! whitespace ignored", and must return `None` (never panic) on anything else.

/// Decodes `text`, or `None` when it is not base64.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut padding = 0usize;
    let mut digits = 0usize;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None; // data after padding
        }
        digits += 1;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // One leftover digit cannot encode a byte; more than two `=` is not base64.
    if digits % 4 == 1 || padding > 2 || digits == 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_standard_and_unpadded_and_url_safe() {
        assert_eq!(decode(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode(b"aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode(b"aGVs\n bG8=").unwrap(), b"hello");
        assert_eq!(decode(b"-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode(b"YWJj").unwrap(), b"abc");
    }

    #[test]
    fn rejects_what_is_not_base64() {
        for bad in [&b"!!!!"[..], b"abc*", b"a", b"ab=c", b"", b"abc===="] {
            assert_eq!(decode(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
