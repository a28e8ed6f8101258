//! The layer map in `lib.rs` is the truth about dependencies: a module may use
//! only modules listed below it. This test reads every `crate::` path in the
//! code of `src/` (comments and string literals left out) and fails on one
//! that points up or sideways, naming the file, so a newcomer's change that
//! closes a cycle is caught in review rather than months later.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The modules of the `lib.rs` map, top first: `//! - [`name`]: job`.
fn declared_order(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.strip_prefix("//! - [`"))
        .filter_map(|l| l.split_once("`]"))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The modules `lib.rs` declares with `pub mod` / `mod`, tests aside: a
/// module declared under `#[cfg(test)]` (this one, the tests' generator)
/// is no layer of the library.
fn declared_modules(lib: &str) -> Vec<String> {
    let lines: Vec<&str> = lib
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .collect();
    let mut names: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| i == 0 || lines[i - 1] != "#[cfg(test)]")
        .filter_map(|(_, l)| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
                .and_then(|r| r.strip_suffix(';'))
        })
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// Rust source with comments, string literals and char literals blanked, so
/// that only code is searched for `crate::` paths.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(comment) = rest.strip_prefix("/*") {
            i += comment.find("*/").map_or(rest.len(), |e| e + 4);
        } else if let Some(len) = raw_string_len(rest, i == 0 || is_ident(b[i - 1])) {
            out.push_str("\"\"");
            i += len;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if let Some(len) = char_literal_len(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let ch = rest.chars().next().expect("not at the end");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Length of a raw string (`r"…"`, `br#"…"#`) starting at `s`, if one does.
fn raw_string_len(s: &str, at_word_start: bool) -> Option<usize> {
    if !at_word_start {
        return None;
    }
    let body = s.strip_prefix('b').unwrap_or(s).strip_prefix('r')?;
    let hashes = body.len() - body.trim_start_matches('#').len();
    let body = body[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(s.len() - body.len() + end + close.len())
}

/// Length of a char literal (`'x'`, `'\n'`, `'\u{1F600}'`) starting at `s`;
/// `None` for a lifetime.
fn char_literal_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('\'')?;
    if let Some(esc) = body.strip_prefix('\\') {
        return esc.find('\'').map(|e| e + 3);
    }
    let ch = body.chars().next()?;
    body[ch.len_utf8()..]
        .starts_with('\'')
        .then_some(ch.len_utf8() + 2)
}

/// The top-level modules a piece of code names through `crate::`, including
/// each name of a `crate::{a, b::c}` group.
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && is_ident(code.as_bytes()[at - 1]) {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.push(first_ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(first_ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(first_ident(rest));
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

fn first_ident(s: &str) -> String {
    s.trim_start()
        .bytes()
        .take_while(|&c| is_ident(c))
        .map(char::from)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`None` for the roots).
fn owner(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

#[test]
fn every_module_uses_only_modules_below_it_in_the_lib_rs_map() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let order = declared_order(&lib);
    let mut mapped = order.clone();
    mapped.sort();
    assert_eq!(
        mapped,
        declared_modules(&lib),
        "the lib.rs map must list every module exactly once"
    );
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = owner(&src, file) else {
            continue;
        };
        let code = code_only(&std::fs::read_to_string(file).expect("source file"));
        for used in crate_paths(&code) {
            // The tests' own modules (the seeded generator) serve every layer.
            if used == module || used == "testrng" {
                continue;
            }
            match (rank.get(module.as_str()), rank.get(used.as_str())) {
                (Some(me), Some(it)) if it > me => {}
                (Some(_), Some(_)) => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which the lib.rs map lists above it",
                    file.strip_prefix(&src).unwrap_or(file).display()
                )),
                _ => wrong.push(format!(
                    "{}: `{module}` or `{used}` is missing from the lib.rs map",
                    file.strip_prefix(&src).unwrap_or(file).display()
                )),
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_code_and_skips_comments_and_strings() {
    let code = code_only(concat!(
        "use crate::scan::Added; // crate::cli\n",
        "/* crate::cmd */ let s = \"crate::agent\";\n",
        "let r = r#\"crate::hooks \"quoted\"\"#; let c = '\"';\n",
        "fn f<'a>(x: &'a str) { crate::{report::Format, finding}; }\n",
    ));
    assert_eq!(crate_paths(&code), ["scan", "report", "finding"]);
    assert_eq!(
        declared_order("//! - [`cli`]: x\n//! - [`cmd`]: y\n//! text [`z`]\n"),
        ["cli", "cmd"]
    );
}
