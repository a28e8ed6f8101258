//! Scanning a stream of any size in fixed chunks, binary or not. AI tools keep
//! state in SQLite files (NUL bytes everywhere, few newlines) and transcripts
//! that grow to hundreds of megabytes; neither may be skipped as binary or
//! too large, and neither should be read into memory whole.
//!
//! Each window holds one chunk plus `OVERLAP` bytes of context on both
//! sides; a hit is reported by the window whose chunk holds its first byte, so
//! every secret shorter than the overlap is seen whole, with the text before
//! it, exactly once.

use crate::finding::Finding;
use crate::scan::{FileKind, FindingContext, Hit, Scanner};
use std::io::{self, Read};

/// Bytes reported per window.
const CHUNK: usize = 4 << 20;
/// Context kept on each side of a chunk: longer than any secret, PEM keys
/// included.
const OVERLAP: usize = 16 << 10;

/// Scans everything `input` yields; returns the findings and the byte count.
pub fn scan_stream(
    scanner: &Scanner,
    path: &str,
    input: impl Read,
    ctx: &FindingContext,
) -> io::Result<(Vec<Finding>, u64)> {
    scan_stream_with(scanner, path, input, ctx, CHUNK, OVERLAP)
}

fn scan_stream_with(
    scanner: &Scanner,
    path: &str,
    mut input: impl Read,
    ctx: &FindingContext,
    chunk: usize,
    overlap: usize,
) -> io::Result<(Vec<Finding>, u64)> {
    let mut buf: Vec<u8> = Vec::with_capacity(chunk + 2 * overlap);
    let mut consumed = 0u64; // bytes dropped from the front of `buf`
    let mut line = 1u32; // line number at buf[0]
    let mut column = 0u32; // characters before buf[0] on that line
    let mut from = 0usize; // start of the chunk not yet reported, in `buf`
    let mut findings = Vec::new();
    let kind = FileKind::of(path);
    loop {
        let want = from + chunk + overlap;
        let need = want.saturating_sub(buf.len()) as u64;
        let got = input.by_ref().take(need).read_to_end(&mut buf)? as u64;
        let eof = got < need;
        let to = if eof { buf.len() } else { from + chunk };
        let hits: Vec<Hit> = scanner
            .scan_text_as(&buf, kind)
            .into_iter()
            .filter(|h| (from..to).contains(&h.secret.start))
            .collect();
        let mut found = scanner.findings_for_hits(path, &buf, hits, line, ctx);
        for f in &mut found {
            if f.line == line {
                f.column += column;
            }
        }
        findings.extend(found);
        if eof {
            return Ok((findings, consumed + buf.len() as u64));
        }
        let cut = to - overlap;
        let dropped = &buf[..cut];
        match memchr::memrchr(b'\n', dropped) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', dropped).count() as u32;
                column = chars(&dropped[last + 1..]);
            }
            None => column += chars(dropped),
        }
        buf.drain(..cut);
        consumed += cut as u64;
        from = overlap;
    }
}

fn chars(bytes: &[u8]) -> u32 {
    String::from_utf8_lossy(bytes).chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::GenericPolicy;

    fn key(n: u8) -> String {
        let body: String = "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2a"
            .chars()
            .chain(std::iter::once((b'A' + n) as char))
            .collect();
        format!("{}_{body}", "ghp")
    }

    fn scan(data: &[u8], chunk: usize, overlap: usize) -> Vec<(u32, u32)> {
        let scanner = Scanner::new(RuleSet::builtin().unwrap(), GenericPolicy::default(), 1);
        let ctx = FindingContext { salt: "s".into() };
        let (f, n) = scan_stream_with(&scanner, "p", data, &ctx, chunk, overlap).unwrap();
        assert_eq!(n, data.len() as u64);
        f.iter().map(|f| (f.line, f.column)).collect()
    }

    #[test]
    fn every_secret_once_with_true_positions_whatever_the_chunking() {
        let mut data = Vec::new();
        let mut want = Vec::new();
        for i in 0..20u8 {
            data.extend(b"\x00\x01 binary junk ");
            data.extend(vec![b'x'; 37 * i as usize]);
            if i % 3 == 0 {
                data.push(b'\n');
            }
            let line = memchr::memchr_iter(b'\n', &data).count() as u32 + 1;
            let start = memchr::memrchr(b'\n', &data).map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&data[start..]).chars().count() as u32 + 1;
            data.extend(format!(" token {} ", key(i)).as_bytes());
            want.push((line, col + 7));
        }
        for (chunk, overlap) in [(64, 48), (100, 50), (1000, 64), (1 << 20, 1024)] {
            assert_eq!(scan(&data, chunk, overlap), want, "chunk {chunk}");
        }
    }

    #[test]
    fn empty_and_binary_input_is_fine() {
        assert!(scan(b"", 64, 48).is_empty());
        assert!(scan(&[0u8; 1000], 64, 48).is_empty());
    }
}
