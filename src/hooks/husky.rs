//! Adding keyhook to husky's hook scripts. With husky, `core.hooksPath` points
//! at husky's own generated directory (`.husky/_`), which husky rewrites on
//! every `npm install`; the team's scripts are `.husky/pre-commit` etc., and are
//! committed. So keyhook adds a marked block to those scripts (at the top, so a
//! script that exits early cannot skip it) instead of fighting the managed
//! directory, and `uninstall` removes exactly that block.

use std::ops::Range;

/// First line of a script keyhook creates (husky v9 runs scripts with `sh -e`;
/// husky v5–8 execs them, which needs the interpreter line).
pub const NEW_FILE_HEADER: &str = "#!/usr/bin/env sh\n";

const BEGIN: &[u8] = b"# >>> keyhook >>>";
const END: &[u8] = b"# <<< keyhook <<<";

/// Byte range of keyhook's block (whole lines, markers included), if present.
pub fn find_block(script: &[u8]) -> Option<Range<usize>> {
    let mut start = None;
    let mut pos = 0;
    for line in script.split_inclusive(|&b| b == b'\n') {
        let end = pos + line.len();
        if start.is_none() && line.starts_with(BEGIN) {
            start = Some(pos);
        } else if let Some(s) = start {
            if line.starts_with(END) {
                return Some(s..end);
            }
        }
        pos = end;
    }
    None
}

/// `script` with `block` inserted after its leading interpreter line and
/// husky's own `husky.sh` source line (v5–8), before any command.
pub fn insert_block(script: &[u8], block: &str) -> Vec<u8> {
    let mut at = 0;
    for line in script.split_inclusive(|&b| b == b'\n') {
        let keep_above = line.starts_with(b"#!")
            || String::from_utf8_lossy(line).contains("husky.sh")
            || (at > 0 && line.trim_ascii().is_empty());
        if !keep_above || !line.ends_with(b"\n") {
            break;
        }
        at += line.len();
    }
    let mut out = Vec::with_capacity(script.len() + block.len());
    out.extend_from_slice(&script[..at]);
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(&script[at..]);
    out
}

/// `script` without keyhook's block; `None` when it has none.
pub fn remove_block(script: &[u8]) -> Option<Vec<u8>> {
    let r = find_block(script)?;
    let mut out = script[..r.start].to_vec();
    out.extend_from_slice(&script[r.end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hooks::HookKind;

    #[test]
    fn block_goes_below_the_interpreter_and_husky_lines_and_comes_out_exactly() {
        let block = HookKind::PreCommit.husky_block();
        for script in [
            "npm test\n",
            "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\nnpx lint-staged\n",
            "",
            "#!/bin/sh",
        ] {
            let with = insert_block(script.as_bytes(), block);
            let r = find_block(&with).expect("block present");
            assert_eq!(&with[r], block.as_bytes());
            assert_eq!(remove_block(&with).unwrap(), script.as_bytes());
        }
        let v8 = insert_block(
            b"#!/bin/sh\n. \"$(dirname \"$0\")/_/husky.sh\"\nnpm test\n",
            block,
        );
        assert!(String::from_utf8(v8)
            .unwrap()
            .ends_with("# <<< keyhook <<<\nnpm test\n"));
        assert_eq!(remove_block(b"npm test\n"), None);
    }
}
