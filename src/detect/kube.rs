//! Kubernetes `Secret` manifests. Values under `data:` are base64, which hides
//! a key from every line-based scanner but from nobody else: they are decoded
//! and the decoded bytes go through the rule scanner, reported at the YAML
//! line. `stringData:` values are plain and scanned as they are.
//!
//! YAML is read line by line (documents split at `---`, top-level keys at
//! column 0), so a manifest that would not parse is still scanned, and nothing
//! here can fail on bad input: an undecodable value is simply not a finding.

use super::assign::{self, Strictness};
use super::lines;
use super::{covered, File, Label};
use crate::finding::{Finding, Pattern};
use std::ops::Range;

/// Rule id for a secret-named Secret value that no provider rule matched.
pub const RULE: &str = "keyhook.k8s-secret";

/// A `key: value` line: indentation, key and value ranges (within the line).
struct YamlPair {
    indent: usize,
    key: Range<usize>,
    value: Range<usize>,
}

/// Parses a simple YAML mapping line; block scalars (`|`, `>`) have no value here.
fn yaml_pair(line: &[u8]) -> Option<YamlPair> {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    let rest = &line[indent..];
    if rest.is_empty() || rest[0] == b'#' || rest[0] == b'-' {
        return None;
    }
    let colon = memchr::memchr(b':', rest)?;
    let key = indent..indent + colon;
    let after = &rest[colon + 1..];
    if !after.is_empty() && after[0] != b' ' && after[0] != b'\t' {
        return None; // `a:b` is not a mapping
    }
    let mut v0 = indent + colon + 1;
    while v0 < line.len() && (line[v0] == b' ' || line[v0] == b'\t') {
        v0 += 1;
    }
    let mut v1 = line.len();
    if let Some(p) = memchr::memmem::find(&line[v0..], b" #") {
        v1 = v0 + p;
    }
    while v1 > v0 && line[v1 - 1].is_ascii_whitespace() {
        v1 -= 1;
    }
    if v1 > v0 + 1 && matches!(line[v0], b'"' | b'\'') && line[v1 - 1] == line[v0] {
        v0 += 1;
        v1 -= 1;
    }
    let value = if line.get(v0).is_some_and(|b| matches!(b, b'|' | b'>')) {
        v0..v0
    } else {
        v0..v1
    };
    let k = &line[key.clone()];
    let k = k.trim_ascii();
    let key = if k.len() >= 2 && matches!(k[0], b'"' | b'\'') && k[k.len() - 1] == k[0] {
        key.start + 1..key.end - 1
    } else {
        key
    };
    Some(YamlPair { indent, key, value })
}

/// Scans every `kind: Secret` document of a YAML file.
pub fn detect(file: &File<'_>, findings: &mut Vec<Finding>) {
    let data = file.data;
    if memchr::memmem::find(data, b"Secret").is_none() {
        return;
    }
    let all: Vec<(u32, Range<usize>)> = lines::all(data).collect();
    for doc in all.split(|(_, r)| data[r.clone()].starts_with(b"---")) {
        let is_secret = doc.iter().any(|(_, r)| {
            yaml_pair(&data[r.clone()]).is_some_and(|p| {
                p.indent == 0
                    && &data[r.start + p.key.start..r.start + p.key.end] == b"kind"
                    && &data[r.start + p.value.start..r.start + p.value.end] == b"Secret"
            })
        });
        if is_secret {
            secret_document(file, doc, findings);
        }
    }
}

fn secret_document(file: &File<'_>, doc: &[(u32, Range<usize>)], findings: &mut Vec<Finding>) {
    let data = file.data;
    let (first, last) = (doc[0].0, doc[doc.len() - 1].0);
    let name = secret_name(data, doc);
    let mut section: &[u8] = b"";
    for (no, r) in doc {
        let line = &data[r.clone()];
        let Some(p) = yaml_pair(line) else { continue };
        let key = &line[p.key.clone()];
        if p.indent == 0 {
            section = key;
            continue;
        }
        let in_data = section == b"data";
        if !(in_data || section == b"stringData")
            || p.value.is_empty()
            || !lines::reportable_line(file.added, *no, line)
        {
            continue;
        }
        let key = String::from_utf8_lossy(key).into_owned();
        let value = &line[p.value.clone()];
        let col = lines::column(data, r.start, r.start + p.value.start);
        let end = lines::column(data, r.start, r.start + p.value.end);
        let place = if in_data {
            format!("`data.{key}` of Secret `{name}`, base64-decoded (base64 is an encoding, not encryption)")
        } else {
            format!("`stringData.{key}` of Secret `{name}`")
        };
        let mut secret: Vec<u8> = value.to_vec();
        if in_data {
            // The encoded text is not what leaks: judge the decoded value only.
            findings.retain(|f| {
                !(f.line == *no && f.pattern == Pattern::GenericAssignment && f.column >= col)
            });
            let Some(decoded) = crate::base64::decode(value) else {
                continue;
            };
            let mut inside = Vec::new();
            for hit in file.scanner.scan_text(&decoded) {
                let s = &decoded[hit.secret.clone()];
                let mut f = file.scanner.finding(file.path, *no, col, &hit, s, file.ctx);
                f.why = format!("{place}; {}", f.why);
                inside.push(f);
            }
            if !inside.is_empty() {
                // What the decoded value holds is the finding; a rule that also
                // knows the encoded form (a base64 PEM) would report it twice.
                findings.retain(|f| !(f.line == *no && f.column >= col));
                findings.append(&mut inside);
                continue;
            }
            secret = decoded;
        }
        if covered(findings, *no, col..end.max(col + 1)) {
            continue;
        }
        let printable = secret.iter().all(|b| b.is_ascii_graphic());
        if printable
            && assign::is_secret_name(&key)
            && assign::is_literal_secret(&secret, Strictness::Random, file.scanner.policy())
        {
            let why = format!(
                "{place}: a secret-named value with entropy {:.1} bits/char",
                crate::scan::entropy::shannon(&secret)
            );
            let label = Label {
                rule: RULE,
                name: "Literal value in a Kubernetes Secret".into(),
                pattern: Pattern::Manifest,
                why,
                fix: String::new(),
            };
            findings.push(file.finding(*no, col, &secret, label));
        }
    }
    for f in findings.iter_mut() {
        if f.line >= first && f.line <= last {
            f.pattern = Pattern::Manifest;
            if !f.why.contains("of Secret `") {
                f.why = format!("in Kubernetes Secret `{name}`; {}", f.why);
            }
            f.fix = FIX.into();
        }
    }
}

/// Advice for a committed Secret manifest.
const FIX: &str = "keep values out of Secret manifests in git: create the Secret at deploy time (`kubectl create secret`, External Secrets, a CSI secret store) or commit it encrypted (Sealed Secrets, SOPS); rotate the key";

/// `metadata.name` of the document, or `?`.
fn secret_name(data: &[u8], doc: &[(u32, Range<usize>)]) -> String {
    let mut in_meta = false;
    for (_, r) in doc {
        let line = &data[r.clone()];
        let Some(p) = yaml_pair(line) else { continue };
        if p.indent == 0 {
            in_meta = &line[p.key.clone()] == b"metadata";
        } else if in_meta && &line[p.key.clone()] == b"name" {
            return String::from_utf8_lossy(&line[p.value]).into_owned();
        }
    }
    "?".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(line: &str) -> Option<(usize, &str, &str)> {
        yaml_pair(line.as_bytes()).map(|p| (p.indent, &line[p.key], &line[p.value]))
    }

    #[test]
    fn a_value_found_decoded_is_not_reported_again_encoded() {
        use crate::scan::{Added, FindingContext};
        let scanner = crate::scan::check::builtin_scanner().unwrap();
        let ctx = FindingContext { salt: "s".into() };
        // A base64 PEM private key: a rule matches the encoded line, and the
        // decoded PEM matches the PEM rule; one finding must remain.
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut state = 0x2545_f491_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            B64[(state >> 58) as usize]
        };
        let body: String = (0..400).map(|_| next() as char).collect();
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow{body}\n-----END RSA PRIVATE KEY-----\n"
        );
        let encoded = encode(pem.as_bytes());
        let yaml = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.key: {encoded}\n"
        );
        let added = Added::All;
        let mut findings = scanner
            .scan_file("k8s/tls.yaml", yaml.as_bytes(), &added, &ctx)
            .findings;
        assert!(findings.iter().any(|f| f.rule == "pem.base64-private-key"));
        let file = File {
            path: "k8s/tls.yaml",
            data: yaml.as_bytes(),
            added: &added,
            scanner: &scanner,
            ctx: &ctx,
        };
        detect(&file, &mut findings);
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["pem.rsa-private-key"]);
    }

    /// Standard base64 with padding (test input only).
    fn encode(data: &[u8]) -> String {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn yaml_pairs() {
        assert_eq!(pair("kind: Secret"), Some((0, "kind", "Secret")));
        assert_eq!(pair("  token: \"abc\"  # c"), Some((2, "token", "abc")));
        assert_eq!(pair("  'a.b': x"), Some((2, "a.b", "x")));
        assert_eq!(pair("  key: |"), Some((2, "key", "")));
        assert_eq!(pair("data:"), Some((0, "data", "")));
        assert_eq!(pair("- item"), None);
        assert_eq!(pair("http://x"), None);
    }
}
