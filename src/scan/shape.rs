//! Shapes of values that are not secrets even when a secret-named variable
//! holds them: UUIDs, versions, URLs, e-mail addresses, host and file names,
//! paths, environment-variable names, digests (`sha512-...`), dotted
//! identifiers, and base64 that decodes to ordinary text.

/// Base64 of the DER header of a SubjectPublicKeyInfo, the standard encoding
/// of a public key: the algorithm identifier comes first, so the first
/// characters say "EC P-256 public key", "RSA public key", "Ed25519 public
/// key". Private keys (PKCS#8) start with a version number and do not match.
const PUBLIC_KEY_DER_PREFIXES: &[&str] = &[
    "MFkwEwYHKoZIzj0CAQ",           // EC P-256
    "MHYwEAYHKoZIzj0CAQ",           // EC P-384
    "MIGbMBAGByqGSM49AgE",          // EC P-521
    "MCowBQYDK2Vw",                 // Ed25519
    "MCowBQYDK2Vu",                 // X25519
    "MEMwBQYDK2Vx",                 // Ed448
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GN", // RSA 1024
    "MIIBIjANBgkqhkiG9w0BAQEFAAOC", // RSA 2048
    "MIIBojANBgkqhkiG9w0BAQEFAAOC", // RSA 3072
    "MIICIjANBgkqhkiG9w0BAQEFAAOC", // RSA 4096
];

/// True when `v` is a base64 public key (see [`PUBLIC_KEY_DER_PREFIXES`]).
pub fn is_public_key_der(v: &[u8]) -> bool {
    PUBLIC_KEY_DER_PREFIXES
        .iter()
        .any(|p| v.starts_with(p.as_bytes()))
}

/// The DER of an X.500 attribute type (`06 03 55 04`: the OID 2.5.4.x of
/// countryName, commonName, ...), which certificates and certificate
/// requests hold in their subject and issuer names and private keys never do.
const NAME_ATTRIBUTE_DER: &[u8] = &[0x06, 0x03, 0x55, 0x04];

/// The OID arc of PKCS #12 (1.2.840.113549.1.12): a key store, which may
/// hold a private key beside the certificate.
const PKCS12_DER: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c];

/// Fewest decoded bytes judged as certificate material.
const MIN_DER: usize = 32;

/// True when `v`, base64 (at any offset in its stream: a fragment cut from
/// a longer value) or hex, decodes to DER that names a subject or issuer
/// (certificates, certificate chains, signed data): public material, not a
/// secret. A random value holds the four bytes by a chance of about one in
/// 2^32 per position; a key store (PKCS #12) is excluded.
pub fn is_certificate_der(v: &[u8]) -> bool {
    let der = |bytes: &[u8]| {
        bytes.len() >= MIN_DER
            && find(bytes, NAME_ATTRIBUTE_DER).is_some()
            && find(bytes, PKCS12_DER).is_none()
    };
    if v.len() >= 2 * MIN_DER && v.iter().all(u8::is_ascii_hexdigit) {
        let bytes: Vec<u8> = v
            .chunks_exact(2)
            .map(|p| {
                let h = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
                h(p[0]) << 4 | h(p[1])
            })
            .collect();
        return der(&bytes);
    }
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    if !body
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
    {
        return false;
    }
    (0..4).any(|skip| {
        let part = body.get(skip..).unwrap_or_default();
        let whole = &part[..part.len() / 4 * 4];
        base64_decode(whole).is_some_and(|bytes| der(&bytes))
    })
}

/// `8-4-4-4-12` hex digits.
pub fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `1.2.3`, `v2.0`, `^0.4.1`, `~1.2`, `>=3.1`: digits joined by dots.
pub fn is_version(v: &[u8]) -> bool {
    let v = trim_start(v, b"^~>=<v");
    !v.is_empty()
        && v.contains(&b'.')
        && v.iter().all(|&b| b.is_ascii_digit() || b == b'.')
        && v[0].is_ascii_digit()
}

/// `regex-automata/dfa-onepass`, `customer/account/reset`: lowercase names
/// joined by `/` (a path, a package or a route); base64 always mixes case.
pub fn is_lowercase_path(v: &[u8]) -> bool {
    v.contains(&b'/')
        && v.split(|&b| b == b'/').all(|p| {
            p.iter().all(|&b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            })
        })
}

/// `1979-05-27T07:32:00Z`, `2024-01-31`: a date or a timestamp.
pub fn is_date(v: &[u8]) -> bool {
    v.len() >= 10
        && v[..4].iter().all(u8::is_ascii_digit)
        && v[4] == b'-'
        && v[5..7].iter().all(u8::is_ascii_digit)
        && v[7] == b'-'
        && v[8..10].iter().all(u8::is_ascii_digit)
}

/// `lgpl-3.0`, `python-3.11`: a name with a version after it.
pub fn is_versioned_name(v: &[u8]) -> bool {
    match v.iter().rposition(|&b| b == b'-' || b == b'_' || b == b'@') {
        Some(p) if p > 0 => {
            v[..p]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && is_version(&v[p + 1..])
        }
        _ => false,
    }
}

/// `contributor_covenant`, `ik_max_word`: lowercase words joined by `_` or
/// `-` where dictionary words make up at least half of the letters.
pub fn is_snake_identifier(v: &[u8], is_word: impl Fn(&[u8]) -> bool) -> bool {
    let v = v.trim_ascii();
    let trimmed = v
        .iter()
        .position(|&b| b != b'_')
        .map_or(&v[..0], |p| &v[p..]);
    let parts: Vec<&[u8]> = trimmed.split(|&b| b == b'_' || b == b'-').collect();
    if parts.len() < 2
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_lowercase))
    {
        return false;
    }
    let letters: usize = parts.iter().map(|p| p.len()).sum();
    let in_words: usize = parts
        .iter()
        .filter(|p| p.len() >= 2 && is_word(p))
        .map(|p| p.len())
        .sum();
    in_words * 2 >= letters
}

/// Anything with a scheme (`https://`, `file://`).
pub fn is_url(v: &[u8]) -> bool {
    find(v, b"://").is_some()
}

/// `name@domain.tld`.
pub fn is_email(v: &[u8]) -> bool {
    match v.iter().position(|&b| b == b'@') {
        Some(at) if at > 0 => is_hostname(&v[at + 1..]),
        _ => false,
    }
}

/// `api.example.com`, `db.internal`: lowercase labels joined by dots, the last
/// all letters.
pub fn is_hostname(v: &[u8]) -> bool {
    let v = v.strip_suffix(b".").unwrap_or(v);
    let labels: Vec<&[u8]> = v.split(|&b| b == b'.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        })
        && labels
            .last()
            .is_some_and(|l| l.len() >= 2 && l.iter().all(u8::is_ascii_lowercase))
}

/// Extensions that make a value the name of a file holding the secret.
const FILE_EXTENSIONS: &[&str] = &[
    "pem",
    "key",
    "crt",
    "cer",
    "der",
    "p12",
    "pfx",
    "jks",
    "keystore",
    "json",
    "yml",
    "yaml",
    "toml",
    "txt",
    "env",
    "ini",
    "conf",
    "cfg",
    "xml",
    "gpg",
    "asc",
    "pub",
    "enc",
    "age",
    "secret",
    "secrets",
    "properties",
    "js",
    "ts",
    "py",
    "rb",
    "go",
    "sh",
    "html",
    "php",
    // Files named as data (issue 11: an export's `name.ova`, an upload's
    // `report.csv`): archives, disk images, packages, media and documents.
    // A random token's last dot-separated part is one of these only by the
    // rare chance that it is three or four letters long and spells one.
    "zip",
    "tar",
    "tgz",
    "gz",
    "bz2",
    "xz",
    "7z",
    "rar",
    "jar",
    "war",
    "whl",
    "deb",
    "rpm",
    "apk",
    "dmg",
    "iso",
    "img",
    "ova",
    "ovf",
    "vmdk",
    "vhd",
    "vhdx",
    "qcow2",
    "exe",
    "dll",
    "csv",
    "tsv",
    "log",
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "mp4",
    "mp3",
    "wav",
    "sql",
    "sqlite",
    "parquet",
];

/// `server.key`, `./creds.json`, `/etc/secret`, `~/.ssh/id_rsa`, `C:\keys`.
pub fn is_file_reference(v: &[u8]) -> bool {
    if v.starts_with(b"/") || v.starts_with(b"./") || v.starts_with(b"../") || v.starts_with(b"~/")
    {
        return true;
    }
    if v.len() > 2 && v[1] == b':' && (v[2] == b'\\' || v[2] == b'/') {
        return true;
    }
    match v.iter().rposition(|&b| b == b'.') {
        Some(dot) if dot > 0 => {
            let ext = v[dot + 1..].to_ascii_lowercase();
            FILE_EXTENSIONS
                .iter()
                .any(|e| e.as_bytes() == ext.as_slice())
        }
        _ => false,
    }
}

/// `GCM_TRACE_MSAUTH`, `SECRET_KEY`: an environment-variable or constant
/// name, capitals joined by underscores.
pub fn is_constant_name(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&b| b == b'_').collect();
    parts.len() >= 2
        && v[0].is_ascii_uppercase()
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && p.iter().filter(|b| b.is_ascii_digit()).count() <= 2
        })
}

/// `sha512-...` (npm/yarn integrity), `sha256:...` (image digests), `md5:...`.
pub fn is_digest(v: &[u8]) -> bool {
    let lower = v
        .get(..8)
        .map(<[u8]>::to_ascii_lowercase)
        .unwrap_or_default();
    ["sha1", "sha256", "sha384", "sha512", "md5"]
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()) && matches!(lower.get(p.len()), Some(b'-' | b':')))
}

/// `foo.bar.baz`, `cfg.Passwd`: identifiers joined by dots (a member access).
pub fn is_dotted_identifier(v: &[u8]) -> bool {
    let colons = v.windows(2).any(|w| w == b"::");
    let parts: Vec<&[u8]> = v
        .split(|&b| b == b'.' || (colons && b == b':'))
        .filter(|p| !(colons && p.is_empty()))
        .collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p[0].is_ascii_alphabetic() || p[0] == b'_')
                && p.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// Decodes standard or URL-safe base64 (padding optional); `None` when `v` is
/// not base64. A token holds no whitespace, so the decoder's tolerance of it
/// changes nothing here.
pub fn base64_decode(v: &[u8]) -> Option<Vec<u8>> {
    crate::base64::decode(v)
}

/// When `v` is base64 of printable ASCII text (at least 12 bytes decoded),
/// returns the text: `ZHVtbXkgdGV4dA==` is "dummy text", not a key. Random key
/// bytes are printable with negligible probability.
pub fn base64_text(v: &[u8]) -> Option<Vec<u8>> {
    if v.len() < 16 {
        return None;
    }
    let decoded = base64_decode(v)?;
    let printable = decoded.len() >= 12
        && decoded
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t');
    printable.then_some(decoded)
}

fn trim_start<'a>(v: &'a [u8], chars: &[u8]) -> &'a [u8] {
    let n = v.iter().take_while(|b| chars.contains(b)).count();
    &v[n..]
}

/// Position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    // The judgement asks this of names and short values thousands of times
    // per minified line: there a plain scan beats building a memmem searcher.
    if hay.len() <= SHORT_HAY && !needle.is_empty() {
        return hay.windows(needle.len()).position(|w| w == needle);
    }
    memchr::memmem::find(hay, needle)
}

/// Haystacks up to this long are searched byte by byte.
const SHORT_HAY: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    /// Standard base64 with padding, for building test values.
    fn b64(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn public_keys_by_their_der_header() {
        let ec = concat!(
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
            "q8Zr2LmX9vTb4KpW7nYcR8xZ2kQv7LmN"
        );
        assert!(is_public_key_der(ec.as_bytes()));
        // PKCS#8 private keys start with a version, not an algorithm.
        assert!(!is_public_key_der(
            b"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg"
        ));
    }

    #[test]
    fn uuids() {
        assert!(is_uuid(b"5d765f32-bfdc-4610-b6ab-f82db5d0601b"));
        assert!(!is_uuid(b"199836bf-335029198ec6c3550971abfd"));
    }

    #[test]
    fn paths_and_dates() {
        assert!(is_lowercase_path(b"regex-automata/dfa-onepass"));
        assert!(!is_lowercase_path(b"kNH+LFFF1O47IPC8/JJCjuYNMre5"));
        assert!(is_date(b"1979-05-27T07:32:00Z"));
        assert!(!is_date(b"2016080500172713"));
    }

    #[test]
    fn versioned_and_snake_names() {
        assert!(is_versioned_name(b"lgpl-3.0"));
        assert!(is_versioned_name(b"node@18.2"));
        assert!(!is_versioned_name(b"3.0"));
        let words = |w: &[u8]| matches!(w, b"contributor" | b"max" | b"word");
        assert!(is_snake_identifier(b"contributor_covenant", words));
        assert!(is_snake_identifier(b"ik_max_word", words));
        assert!(!is_snake_identifier(b"laradock_hgkhzbpiry", words));
        assert!(!is_snake_identifier(b"api_pnrqgxyl", words));
    }

    #[test]
    fn versions() {
        assert!(is_version(b"^0.4.1"));
        assert!(is_version(b"v2.10"));
        assert!(!is_version(b"2016080500172713"));
        assert!(!is_version(b"a1.2"));
    }

    #[test]
    fn addresses() {
        assert!(is_url(b"https://x.example.com/a"));
        assert!(is_email(b"donjuandemarco@example.com"));
        assert!(!is_email(b"@Xgkstptt04"));
        assert!(is_hostname(b"fecshop.appserver.fancyecommerce.com"));
        assert!(is_hostname(b"_acme-challenge.foo.com."));
        assert!(!is_hostname(b"3lod6s.awt423r4127xjan2"));
        assert!(!is_hostname(b"Zt8.Vw2"));
    }

    #[test]
    fn file_references() {
        for v in [
            "server.key",
            "./creds.json",
            "/etc/ssl/key",
            "~/.ssh/id_rsa",
            "C:\\keys\\a",
        ] {
            assert!(is_file_reference(v.as_bytes()), "{v}");
        }
        assert!(!is_file_reference(b"kNH+LFFF1O47IPC8/JJCjuYNMre5"));
        assert!(!is_file_reference(b"mF_9.B5f-4.1JqM"));
        // DER naming a subject, as base64 from any offset or as hex, is a
        // certificate; random bytes and key stores are not.
        let name = [
            0x30, 0x0b, 0x31, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, b'U',
            b'S',
        ];
        let mut der = b"0\x82\x02\x8bsome certificate body bytes here".to_vec();
        der.extend_from_slice(&name);
        der.extend_from_slice(b" and more of the tbsCertificate");
        let encoded = b64(&der);
        assert!(is_certificate_der(encoded.as_bytes()));
        assert!(is_certificate_der(&encoded.as_bytes()[4..]));
        assert!(is_certificate_der(&encoded.as_bytes()[5..]));
        let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
        assert!(is_certificate_der(hex.as_bytes()));
        let mut store = der.clone();
        store.extend_from_slice(PKCS12_DER);
        assert!(!is_certificate_der(b64(&store).as_bytes()));
        assert!(!is_certificate_der(
            b"Zq8Lm2Xv9TbK4pWn7Yc3RsQm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5TyKd8Nw2Pq"
        ));
        // Data files by their extension; a token whose last part is no
        // extension is not one.
        for v in [
            "RHEL7export-i-ab12cd34.ova",
            "backup-2024.tar.gz",
            "report.csv",
        ] {
            assert!(is_file_reference(v.as_bytes()), "{v}");
        }
        assert!(!is_file_reference(b"Zq8Lm2Xv9.TbK4pWn7"));
    }

    #[test]
    fn constants_digests_members() {
        assert!(is_constant_name(b"GCM_TRACE_MSAUTH"));
        assert!(is_constant_name(b"LEGO_ENV_TC"));
        assert!(!is_constant_name(b"LLBF4QQXCW2G4OQWNPHF4EN2XUCK4"));
        assert!(!is_constant_name(b"AKIA_2BVVZVQ44ILU7CMGV8"));
        assert!(is_digest(b"sha512-abcDEF=="));
        assert!(is_digest(b"sha256:9f86d0"));
        assert!(!is_digest(b"shaq12-x"));
        assert!(is_dotted_identifier(b"cfg.Passwd"));
        assert!(is_dotted_identifier(b"string.Empty"));
        assert!(is_dotted_identifier(b"crate::net::SendAncillaryMessage"));
        assert!(!is_dotted_identifier(b"3lod6s.awt423r4127xjan2"));
        assert!(!is_dotted_identifier(b"abc"));
    }

    #[test]
    fn base64_of_text_is_recognised() {
        assert_eq!(
            base64_text(b"ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==").as_deref(),
            Some(&b"dummy text data data data"[..])
        );
        assert_eq!(
            base64_text(b"R6WCNd0erkAuZyD+Fe8C4IwjpYQtniKqnHAzE7Pk"),
            None
        );
        assert_eq!(base64_text(b"not base64 at all!!"), None);
        assert_eq!(base64_decode(b"QQ==").as_deref(), Some(&b"A"[..]));
    }
}
