//! Tests of the review loop and of redacted context, without a terminal.

use super::*;
use crate::finding::Pattern;
use crate::scan::check::builtin_scanner;

/// A GitHub-format fake, assembled so this file holds no literal key.
fn key(body: &str) -> String {
    format!("{}_{}", "ghp", body)
}

const BODY1: &str = "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE";
const BODY2: &str = "Wq4Lz8Xk1Pn6Rt3Vb9Yc2Md7Fh5Js0Ga4TeU";

fn finding(path: &str, line: u32, column: u32) -> Finding {
    Finding {
        path: path.into(),
        line,
        column,
        rule: "github.pat".into(),
        rule_name: "GitHub personal access token".into(),
        pattern: Pattern::ProviderFormat,
        redacted: "ghp_R8xZ****************".into(),
        fingerprint: "0123456789abcdef0123456789abcdef".into(),
        entropy: None,
        why: "looks real".into(),
        fix: String::new(),
        commit: None,
    }
}

fn texts(lines: &[ContextLine]) -> Vec<(u32, &str)> {
    lines.iter().map(|l| (l.number, l.text.as_str())).collect()
}

#[test]
fn context_redacts_the_finding_and_other_secrets_nearby() {
    let scanner = builtin_scanner().unwrap();
    let (k1, k2) = (key(BODY1), key(BODY2));
    let data = format!("a\nb\nc\n# old {k2}\nTOKEN={k1}\nd\ne\nf\n");
    let ctx = context(&scanner, data.as_bytes(), &finding("x", 5, 7));
    assert_eq!(
        texts(&ctx),
        [
            (3, "c"),
            (4, "# old ghp_Wq4L****************"),
            (5, "TOKEN=ghp_R8xZ****************"),
            (6, "d"),
            (7, "e"),
        ]
    );
    for l in &ctx {
        assert!(!l.text.contains(&k1) && !l.text.contains(&k2));
    }
}

#[test]
fn context_masks_the_finding_even_when_the_scanner_does_not_see_it_again() {
    let scanner = builtin_scanner().unwrap();
    // Column 5 of line 1 holds no detectable secret on its own (as with a
    // context-dependent rule): everything from the column on is masked.
    let data = b"let plain_value_here = 1;\nnext\n";
    let ctx = context(&scanner, data, &finding("x", 1, 5));
    assert_eq!(texts(&ctx), [(1, "let plai****************"), (2, "next")]);
}

#[test]
fn context_replaces_control_characters_and_handles_crlf_and_the_first_line() {
    let scanner = builtin_scanner().unwrap();
    let data = format!("x={}\r\n\x1b[31mred\r\n", key(BODY1));
    let ctx = context(&scanner, data.as_bytes(), &finding("x", 1, 3));
    assert_eq!(
        texts(&ctx),
        [(1, "x=ghp_R8xZ****************"), (2, "?[31mred")]
    );
}

#[test]
fn context_cuts_long_lines_around_the_finding() {
    let scanner = builtin_scanner().unwrap();
    let line = format!("{}{} {}", "a".repeat(1000), " t", key(BODY1)) + " " + &"b".repeat(1000);
    let ctx = context(&scanner, line.as_bytes(), &finding("x", 1, 1004));
    let text = &ctx[0].text;
    assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
    assert!(text.contains("ghp_R8xZ****************"), "{text}");
    assert_eq!(text.chars().count(), MAX_COLS + 2);
}

#[test]
fn byte_offsets_count_characters_like_the_scanner() {
    assert_eq!(byte_offset("héllo".as_bytes(), 3), 3);
    assert_eq!(byte_offset(b"\xff\xfeab", 2), 1);
    assert_eq!(byte_offset(b"ab", 9), 2);
}

/// An item at `line`; each line has its own value (fingerprint).
fn item(line: u32) -> Item {
    let mut finding = finding("conf/app.env", line, 7);
    finding.fingerprint = format!("{line:032x}");
    Item {
        finding,
        context: vec![
            ContextLine {
                number: line - 1,
                text: "A=1".into(),
            },
            ContextLine {
                number: line,
                text: "TOKEN=ghp_R8xZ****************".into(),
            },
        ],
    }
}

fn run(items: &[Item], answers: &str) -> (Vec<Decision>, String) {
    let mut out = Vec::new();
    let d = ask(items, &mut answers.as_bytes(), &mut out).unwrap();
    (d, String::from_utf8(out).unwrap())
}

const PROMPT: &str = "accept as not a secret? [y]es / [N]o, leave it blocked / [q]uit: ";
const REASON: &str = "reason (e.g. test fixture, revoked key): ";

#[test]
fn accepts_with_a_reason_and_leaves_on_no() {
    let (d, out) = run(&[item(2), item(10)], "y\ntest fixture\nn\n");
    assert_eq!(
        d,
        [Decision::Accept("test fixture".into()), Decision::Leave]
    );
    let expected = format!(
        "
[1/2] conf/app.env:2:7  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: looks real
    1 | A=1
  > 2 | TOKEN=ghp_R8xZ****************
{PROMPT}{REASON}
[2/2] conf/app.env:10:7  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: looks real
     9 | A=1
  > 10 | TOKEN=ghp_R8xZ****************
{PROMPT}
"
    );
    assert_eq!(out, expected);
}

#[test]
fn a_reason_is_required_and_bad_answers_ask_again() {
    let (d, out) = run(&[item(2)], "maybe\nY\n\n  revoked key \n");
    assert_eq!(d, [Decision::Accept("revoked key".into())]);
    assert!(out.contains(&format!("{PROMPT}please answer y, n or q\n{PROMPT}{REASON}a reason is required (it is kept in the baseline for the next reviewer)\n{REASON}\n")), "{out}");
}

#[test]
fn quit_and_end_of_input_leave_the_rest_blocked() {
    let (d, _) = run(&[item(2), item(3)], "q\ny\nreason\n");
    assert_eq!(d, [Decision::Leave, Decision::Leave]);
    let (d, _) = run(&[item(2), item(3)], "");
    assert_eq!(d, [Decision::Leave, Decision::Leave]);
    let (d, _) = run(&[item(2), item(3)], "y\n");
    assert_eq!(d, [Decision::Leave, Decision::Leave]);
    let (d, _) = run(&[item(2), item(3)], "\ny\nok\n");
    assert_eq!(d, [Decision::Leave, Decision::Accept("ok".into())]);
}

#[test]
fn the_same_value_twice_in_a_file_is_asked_about_once() {
    let mut second = item(9);
    second.finding.column = 1;
    second.finding.fingerprint = item(2).finding.fingerprint;
    let (d, out) = run(&[item(2), second, item(12)], "y\nfixture\nn\n");
    assert_eq!(
        d,
        [
            Decision::Accept("fixture".into()),
            Decision::Accept("fixture".into()),
            Decision::Leave
        ]
    );
    assert!(
        out.contains("\n[2/3] conf/app.env:9:1  same value as [1/3], accepted with it\n\n[3/3] "),
        "{out}"
    );
}
