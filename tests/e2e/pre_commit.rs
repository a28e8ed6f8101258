//! `keyhook pre-commit` on real staged diffs.

use crate::harness::{fake, TestRepo};

#[test]
fn staged_key_blocks_with_exact_location_and_full_report() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage(
        "config/app.env",
        format!("# app settings\nLOG_LEVEL=info\nGITHUB_TOKEN={key}\n"),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&key);
    let expected = "\
config/app.env:3:14  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 1 secret in 1 file
";
    assert_eq!(run.stderr, expected);
    assert_eq!(run.stdout, "");
}

#[test]
fn clean_commit_passes_silently() {
    let repo = TestRepo::new();
    repo.stage("src/main.rs", "fn main() { println!(\"hello\"); }\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn key_only_in_work_tree_is_not_reported() {
    let repo = TestRepo::new();
    repo.stage("app.env", "TOKEN_NAME=none\n");
    repo.write(
        "app.env",
        format!("TOKEN_NAME=none\nGITHUB_TOKEN={}\n", fake::github_pat()),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn key_staged_then_removed_from_work_tree_still_blocks() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("app.env", format!("GITHUB_TOKEN={key}\n"));
    repo.write("app.env", "GITHUB_TOKEN=\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["app.env:1:14"]);
    run.assert_no_secret(&key);
}

#[test]
fn same_size_rewrite_with_restored_mtime_still_scans_the_staged_blob() {
    // keyhook reads an unchanged work-tree file instead of inflating its blob
    // (as `git diff --cached` does). A rewrite that keeps size and mtime must
    // not fool it: the inode change time still differs.
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("app.env", format!("GITHUB_TOKEN={key}\n"));
    let file = repo.path().join("app.env");
    let staged_mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    let clean = format!("GITHUB_TOKEN={}\n", "x".repeat(key.len()));
    std::fs::write(&file, &clean).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(staged_mtime)
        .unwrap();
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app.env:1:14"]);
}

#[test]
fn a_clean_filter_is_honoured_the_staged_blob_is_scanned() {
    // The blob is what gets committed: a clean filter that writes a key into it
    // (or any filter: git-crypt, LFS) makes the work-tree file a different text.
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.git(&[
        "config",
        "filter.inject.clean",
        &format!("sed s/PLACEHOLDER/{key}/"),
    ]);
    repo.git(&["config", "filter.inject.smudge", "cat"]);
    repo.write(".gitattributes", "*.env filter=inject\n");
    repo.stage("app.env", "GITHUB_TOKEN=PLACEHOLDER\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app.env:1:14"]);
    run.assert_no_secret(&key);
}

#[test]
fn a_partially_staged_file_is_judged_on_the_staged_hunks_only() {
    // `git add -p` writes the staged blob through `git apply --cached`, as here:
    // the work-tree file then differs from the blob, and only the blob counts.
    let repo = TestRepo::new();
    let key = fake::github_pat();
    let body: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    repo.stage("app.cfg", &body);
    repo.commit("base");
    let with_key = body.replacen("line 2\n", &format!("line 2\ntoken = \"{key}\"\n"), 1);
    let edited = with_key.replacen("line 29\n", "line 29\nretries = 3\n", 1);
    repo.write("app.cfg", &edited);
    // Stage only the second hunk (the harmless one).
    let diff = repo.git(&["diff", "-U0", "app.cfg"]);
    let second = diff.find("@@ -29").expect("second hunk");
    let header_end = diff.find("@@ -").expect("first hunk");
    let patch = format!("{}{}", &diff[..header_end], &diff[second..]);
    std::fs::write(repo.path().join("part.patch"), patch).unwrap();
    repo.git(&["apply", "--cached", "--unidiff-zero", "part.patch"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Now stage the hunk with the key too: the commit is blocked at its line.
    repo.git(&["add", "app.cfg"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["app.cfg:3:10"]);
}

#[test]
fn only_added_lines_count_in_a_modified_file() {
    let repo = TestRepo::new();
    let old = fake::github_pat();
    repo.stage("a.txt", format!("one\ntoken {old}\nthree\n"));
    repo.commit("old key, committed with --no-verify");
    let new = fake::github_pat2();
    repo.stage(
        "a.txt",
        format!("zero\none\ntoken {old}\nthree\nnew {new}\n"),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["a.txt:5:5"]);
}

#[test]
fn renames_and_deletions_add_nothing() {
    let repo = TestRepo::new();
    repo.stage(
        "old/name.txt",
        format!("token {}\nmore text\nand more\n", fake::github_pat()),
    );
    repo.stage("gone.txt", format!("token {}\n", fake::github_pat2()));
    repo.commit("keys, committed with --no-verify");
    std::fs::create_dir(repo.path().join("new")).unwrap();
    repo.git(&["mv", "old/name.txt", "new/name.txt"]);
    repo.git(&["rm", "-q", "gone.txt"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn works_from_a_subdirectory_and_before_the_first_commit() {
    let repo = TestRepo::new();
    repo.stage(
        "deep/er/x.py",
        format!("\n\nGITHUB_TOKEN = \"{}\"\n", fake::github_pat()),
    );
    let run = repo.keyhook_in(&repo.path().join("deep/er"), &["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["deep/er/x.py:3:17"]);
}

#[test]
fn works_in_a_linked_worktree() {
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    let wt = repo.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    std::fs::write(
        wt.join("k.env"),
        format!("GITHUB_TOKEN={}\n", fake::github_pat()),
    )
    .unwrap();
    let add = repo
        .command("git", &wt)
        .args(["add", "k.env"])
        .output()
        .unwrap();
    assert!(add.status.success());
    let run = repo.keyhook_in(&wt, &["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["k.env:1:14"]);
    // The main work tree's index is untouched and clean.
    assert_eq!(repo.keyhook(&["pre-commit"]).code, 0);
}

#[test]
fn reads_the_index_git_hands_to_the_hook() {
    // `git commit <path>` and `git commit -a` run the hook against a temporary
    // index named by GIT_INDEX_FILE; the normal index holds nothing.
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    repo.write("k.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    let tmp_index = repo.path().join(".git/next-index");
    std::fs::copy(repo.path().join(".git/index"), &tmp_index).unwrap();
    let add = repo
        .command("git", repo.path())
        .env("GIT_INDEX_FILE", &tmp_index)
        .args(["add", "k.env"])
        .output()
        .unwrap();
    assert!(add.status.success());
    assert_eq!(repo.keyhook(&["pre-commit"]).code, 0);
    let out = repo
        .command(crate::harness::KEYHOOK, repo.path())
        .env("GIT_INDEX_FILE", &tmp_index)
        .arg("pre-commit")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn crlf_line_endings_keep_line_numbers_and_values_clean() {
    let repo = TestRepo::new();
    let key = fake::github_pat();
    repo.stage("win.env", format!("A=1\r\nB=2\r\nGITHUB_TOKEN={key}\r\n"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.locations(), ["win.env:3:14"]);
    run.assert_no_secret(&key);
}

/// A generated password with symbols, quoted to the end of its line, is read
/// whole before a CRLF line end as before an LF one (generic.quoted-secret).
#[test]
fn a_quoted_password_with_symbols_is_read_whole_before_crlf() {
    // Assembled at run time: an obviously fake password with symbols that end
    // an unquoted value.
    let generated = ["Zq8Lm2Xv9T", ";bK4pWn7Yc", "3Rs]q"].concat();
    for (path, eol) in [("unix.yml", "\n"), ("windows.yml", "\r\n")] {
        let repo = TestRepo::new();
        repo.stage(path, format!("db:{eol}  password: \"{generated}\"{eol}"));
        let run = repo.keyhook(&["pre-commit"]);
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        assert_eq!(run.locations(), [format!("{path}:2:14")], "{path}");
        assert_eq!(run.rules(), ["generic.quoted-secret"], "{path}");
        run.assert_no_secret(&generated);
    }
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let repo = TestRepo::new();
    let mut data = b"\x00\x01\x02GITHUB_TOKEN=".to_vec();
    data.extend(fake::github_pat().as_bytes());
    repo.stage("blob.bin", &data);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "keyhook: 1 file not scanned (binary content)\n");
}

#[test]
fn invalid_utf8_is_scanned_lossily() {
    let repo = TestRepo::new();
    let mut data = b"caf\xe9 \xff\xfe\n".to_vec();
    data.extend(format!("GITHUB_TOKEN={}\n", fake::github_pat()).as_bytes());
    repo.stage("latin1.txt", &data);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.locations(), ["latin1.txt:2:14"]);
}

#[test]
fn a_huge_single_line_file_is_scanned_to_the_end() {
    let repo = TestRepo::new();
    let mut line = String::with_capacity(20 << 20);
    while line.len() < 20 << 20 {
        line.push_str("var a=function(b){return b.key+b.token};");
    }
    let col = line.chars().count() + 1;
    line.push_str(&format!("x=\"{}\"", fake::github_pat()));
    repo.stage("dist/app.min.js", &line);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), [format!("dist/app.min.js:1:{}", col + 3)]);
}

#[test]
fn files_over_the_size_limit_are_named_never_silently_skipped() {
    let repo = TestRepo::new();
    repo.write(".keyhook.toml", "max_file_size = 1000\n");
    repo.stage("big.txt", "x".repeat(2048));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "keyhook: not scanned: big.txt (0.0 MiB, over the size limit; raise `max_file_size` in .keyhook.toml to scan it)\n"
    );
}

/// A symlink at `rel` whose target is `target`, staged.
#[cfg(unix)]
fn stage_link(repo: &TestRepo, rel: &str, target: &str) {
    let path = repo.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, &path).unwrap();
    repo.git(&["add", "--", rel]);
}

/// git commits a symlink's target as the link's content and diffs it as one
/// added line: a key written as a link target leaves with the commit. A
/// submodule is another repository's content.
#[cfg(unix)]
#[test]
fn a_symlink_target_is_content_but_a_submodule_is_not() {
    let repo = TestRepo::new();
    let sub = TestRepo::new();
    sub.stage("f", "x\n");
    sub.commit("sub");
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.path().to_str().unwrap(),
        "vendor/sub",
    ]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let key = fake::github_pat();
    stage_link(&repo, "link", &format!("GITHUB_TOKEN={key}"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&key);
    let expected = "\
link:1:14  GitHub personal access token  ghp_R8xZ****************
    rule: github.pat (provider-format)
    why: matches the GitHub personal access token format; entropy 5.1 bits/char, not a known placeholder
    fix: move the value to an environment variable or a secret manager and read it at run time; rotate the key if it was ever shared or pushed
         not a secret? accept it after review with `keyhook baseline update`, or add `keyhook:allow` to the line

keyhook: commit blocked: 1 secret in 1 file
";
    assert_eq!(run.stderr, expected);
}

/// An unchanged or moved link target adds nothing, as in `git diff --cached`;
/// a changed target is compared with the old one, and a file that became a
/// symlink (a type change) is all new.
#[cfg(unix)]
#[test]
fn a_symlink_target_counts_only_when_git_shows_it_added() {
    let repo = TestRepo::new();
    let (old, new) = (fake::github_pat(), fake::github_pat2());
    stage_link(&repo, "links/old", &format!("GITHUB_TOKEN={old}"));
    repo.stage("conf.env", format!("GITHUB_TOKEN={new}\n"));
    repo.commit("keys, committed with --no-verify");
    repo.stage("README", "unrelated\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    repo.git(&["mv", "links/old", "moved"]);
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // Moved and retargeted: git pairs symlinks only when their targets are
    // identical, so this target is new.
    repo.remove("moved");
    stage_link(&repo, "moved", &format!("TOKEN={old}"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["moved:1:7"]);
    repo.git(&["reset", "-q", "--hard"]);
    // A file turned symlink: its target is new even though the key was there.
    repo.remove("conf.env");
    stage_link(&repo, "conf.env", &format!("GITHUB_TOKEN={new}"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["conf.env:1:14"]);
    run.assert_no_secret(&new);
}

/// The line `git diff --cached -U0` adds when a file repeats the key's line:
/// git's diff keeps one copy as context and adds the others, and keyhook must
/// report exactly git's added lines (issue 10: a Myers diff with other
/// preprocessing marked the context copy as added).
#[test]
fn a_repeated_key_line_is_reported_where_git_adds_it() {
    let repo = TestRepo::new();
    let line = format!("GITHUB_TOKEN={}", fake::github_pat());
    repo.stage("k.env", format!("a\n{line}\nb\nc\n"));
    repo.commit("key, committed with --no-verify");
    repo.stage("k.env", format!("{line}\na\n{line}\nb\n{line}\nc\n"));
    let diff = repo.git(&["diff", "--cached", "--no-color", "-U0"]);
    let mut added = Vec::new();
    let mut at = 0;
    for l in diff.lines() {
        if let Some(h) = l.strip_prefix("@@ -") {
            let plus = h.split(' ').nth(1).unwrap().trim_start_matches('+');
            at = plus.split(',').next().unwrap().parse().unwrap();
        } else if l.starts_with('+') && !l.starts_with("+++") {
            if l.contains(&line) {
                added.push(format!("k.env:{at}:14"));
            }
            at += 1;
        }
    }
    // Two of the three copies are added; one is context.
    assert_eq!(added.len(), 2, "{diff}");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), added);
}

#[test]
fn outside_a_repository_is_a_one_line_error() {
    let dir = TestRepo::empty_dir();
    let run = dir.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("keyhook: error: ") && run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bare_repository_is_a_one_line_error() {
    let dir = TestRepo::empty_dir();
    dir.git(&["init", "-q", "--bare", "b.git"]);
    let run = dir.keyhook_in(&dir.path().join("b.git"), &["pre-commit"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a bare repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_config_is_an_error_naming_file_and_line() {
    let repo = TestRepo::new();
    repo.write(".keyhook.toml", "max_file_size = 10\nmax_file_size = 20\n");
    repo.stage("a.txt", "hi\n");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("keyhook: error: .keyhook.toml:2: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn placeholders_in_realistic_files_are_quiet() {
    let repo = TestRepo::new();
    repo.stage(
        ".env.example",
        "OPENAI_API_KEY=sk-proj-your-key-here\nGITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nAPI_KEY=${API_KEY}\nSECRET=<YOUR_SECRET>\n",
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn a_hardcoded_fallback_key_in_a_test_script_blocks() {
    let repo = TestRepo::new();
    let v = fake::generic_value();
    repo.stage(
        "tests/test_api.py",
        format!(
            "import os\nAPI_KEY = os.environ.get(\"API_KEY\", \"{v}\")\nURL = os.getenv(\"API_URL\", \"https://api.acme.test\")\nOTHER = os.getenv(\"API_TOKEN\", \"your-token-here\")\n"
        ),
    );
    repo.stage(
        "web/client.test.js",
        format!("const key = process.env.API_KEY || \"{v}\";\nconst k2 = process.env.API_KEY || \"test\";\n"),
    );
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_no_secret(&v);
    assert_eq!(
        run.locations(),
        ["tests/test_api.py:2:38", "web/client.test.js:1:37"]
    );
    assert_eq!(
        run.rules(),
        ["fallback.env-default", "fallback.js-env-default"]
    );
    assert!(run
        .stderr
        .contains("fix: remove the default so the code fails when the variable is missing"));
}
