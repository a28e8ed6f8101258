//! Index layouts git writes besides the default one (issue 10, part 2): each
//! must be read, never lock the repository out with exit 2.

use crate::harness::{fake, TestRepo};

/// A repository with one commit and a key staged in `k.env` line 2.
fn repo_with_staged_key(key: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.stage("README", "hi\n");
    repo.commit("init");
    repo.stage("k.env", format!("# settings\nGITHUB_TOKEN={key}\n"));
    repo
}

fn assert_blocked(repo: &TestRepo, key: &str) {
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["k.env:2:14"]);
    run.assert_no_secret(key);
}

#[test]
fn an_index_written_with_skip_hash_is_read() {
    let key = fake::github_pat();
    let repo = repo_with_staged_key(&key);
    repo.git(&["config", "index.skipHash", "true"]);
    repo.git(&["update-index", "--really-refresh"]);
    repo.stage("other.txt", "x\n");
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    assert!(index.ends_with(&[0; 20]), "git wrote a checksum");
    assert_blocked(&repo, &key);
}

#[test]
fn the_untracked_cache_extension_is_skipped() {
    let key = fake::github_pat();
    let repo = repo_with_staged_key(&key);
    repo.write("untracked.txt", "u\n");
    repo.git(&["update-index", "--untracked-cache"]);
    repo.git(&["status", "--porcelain"]);
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    assert!(index.windows(4).any(|w| w == b"UNTR"), "no untracked cache");
    assert_blocked(&repo, &key);
}

#[test]
fn the_fsmonitor_extension_is_skipped() {
    let key = fake::github_pat();
    let repo = repo_with_staged_key(&key);
    // A hook-protocol fsmonitor that reports a token and every path changed.
    let hook = repo.path().join(".git/fsmon.sh");
    crate::install::write_exec(&hook, "#!/bin/sh\nprintf 'token\\0/\\0'\n");
    repo.git(&["config", "core.fsmonitor", hook.to_str().unwrap()]);
    repo.git(&["config", "core.fsmonitorHookVersion", "2"]);
    repo.git(&["update-index", "--fsmonitor"]);
    repo.git(&["status", "--porcelain"]);
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    assert!(index.windows(4).any(|w| w == b"FSMN"), "no fsmonitor data");
    assert_blocked(&repo, &key);
}

#[test]
fn git_commit_all_and_commit_paths_run_the_hook_on_their_temporary_index() {
    let key = fake::github_pat();
    let repo = TestRepo::new();
    repo.stage("k.env", "# settings\nTOKEN=none\n");
    repo.commit("init");
    let install = repo.keyhook(&["install"]);
    assert_eq!(install.code, 0, "{}", install.stderr);
    // Not staged: only `commit -a` / `commit <path>` put it in their index.
    repo.write("k.env", format!("# settings\nGITHUB_TOKEN={key}\n"));
    for args in [
        &["commit", "-q", "-a", "-m", "all"][..],
        &["commit", "-q", "-m", "paths", "k.env"][..],
    ] {
        let run = repo.git_run(args);
        assert_ne!(run.code, 0, "{args:?} committed the key");
        assert!(
            run.stderr.contains("k.env:2:14"),
            "{args:?}: {}",
            run.stderr
        );
        run.assert_no_secret(&key);
    }
    repo.write("k.env", "# settings\nTOKEN=still-none\n");
    let run = repo.git_run(&["commit", "-q", "-a", "-m", "clean"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_split_index_is_read_with_its_shared_index() {
    for how in ["update-index", "config"] {
        let key = fake::github_pat();
        let repo = TestRepo::new();
        for i in 0..30 {
            repo.write(&format!("d{}/f{i}.txt", i % 3), format!("line {i}\n"));
        }
        repo.stage("README", "hi\n");
        repo.git(&["add", "-A"]);
        repo.commit("init");
        match how {
            "update-index" => {
                repo.git(&["update-index", "--split-index"]);
            }
            _ => repo.git(&["config", "core.splitIndex", "true"]).truncate(0),
        }
        // Entries replaced, deleted and added against the shared index.
        repo.stage("d1/f1.txt", "line 1 changed\n");
        repo.git(&["rm", "-q", "d2/f2.txt"]);
        repo.stage("k.env", format!("# settings\nGITHUB_TOKEN={key}\n"));
        let shared = std::fs::read_dir(repo.path().join(".git"))
            .unwrap()
            .any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("sharedindex.")
            });
        assert!(shared, "{how}: git wrote no shared index");
        assert_blocked(&repo, &key);
        repo.git(&["rm", "-q", "--cached", "k.env"]);
        let run = repo.keyhook(&["pre-commit"]);
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{how}");
    }
}

#[test]
fn a_sparse_index_is_read_and_its_directories_diffed() {
    let key = fake::github_pat();
    let repo = TestRepo::new();
    repo.write("in/a.txt", "a\n");
    repo.write("out/b.txt", "b\n");
    repo.write("out/deep/c.txt", "c\n");
    repo.stage("README", "hi\n");
    repo.git(&["add", "-A"]);
    repo.commit("init");
    repo.git(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    repo.git(&["sparse-checkout", "set", "in"]);
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    assert!(index.windows(4).any(|w| w == b"sdir"), "not a sparse index");
    // Clean, with a sparse directory entry for out/.
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // A key inside the cone.
    repo.stage("in/k.env", format!("# settings\nGITHUB_TOKEN={key}\n"));
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["in/k.env:2:14"]);
    run.assert_no_secret(&key);
    // A key outside the cone: its directory entry's tree now differs from HEAD.
    let body = format!("x\nGITHUB_TOKEN={key}\n");
    let path = repo.path().join(".git/out-key");
    std::fs::write(&path, &body).unwrap();
    let id = repo.git(&["hash-object", "-w", path.to_str().unwrap()]);
    let tree = mktree(
        &repo,
        &format!(
            "100644 blob {}\tc.txt\n100644 blob {}\tk.txt\n",
            repo.git(&["rev-parse", "HEAD:out/deep/c.txt"]).trim(),
            id.trim()
        ),
    );
    let out = mktree(
        &repo,
        &format!(
            "100644 blob {}\tb.txt\n040000 tree {tree}\tdeep\n",
            repo.git(&["rev-parse", "HEAD:out/b.txt"]).trim()
        ),
    );
    repo.git(&["rm", "-q", "--cached", "in/k.env"]);
    // git itself expands a sparse directory it has to change: write the
    // changed directory entry into the index bytes, as a tool could, without
    // the cache-tree (which would still name HEAD's tree) and with a zero
    // checksum (index.skipHash).
    let old = repo.git(&["rev-parse", "HEAD:out"]);
    let index_path = repo.path().join(".git/index");
    let mut bytes = std::fs::read(&index_path).unwrap();
    let (old, new) = (hex(old.trim()), hex(&out));
    let at = bytes
        .windows(20)
        .position(|w| w == old)
        .expect("out/ entry");
    bytes[at..at + 20].copy_from_slice(&new);
    let tree = bytes
        .windows(4)
        .position(|w| w == b"TREE")
        .expect("cache-tree");
    let size = u32::from_be_bytes(bytes[tree + 4..tree + 8].try_into().unwrap()) as usize;
    bytes.drain(tree..tree + 8 + size);
    let n = bytes.len();
    bytes[n - 20..].fill(0);
    std::fs::write(&index_path, bytes).unwrap();
    let ls = repo.git(&["ls-files", "-s", "--sparse"]);
    assert!(ls.contains(&format!("040000 {out} 0\tout/")), "{ls}");
    let run = repo.keyhook(&["pre-commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.locations(), ["out/deep/k.txt:2:14"]);
    run.assert_no_secret(&key);
}

/// `git mktree` of `listing`: the new tree's id.
fn mktree(repo: &TestRepo, listing: &str) -> String {
    let mut c = repo.command("git", repo.path());
    c.arg("mktree");
    let r = crate::harness::run_with_stdin(c, listing.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.trim().to_string()
}

/// A hex object id's 20 bytes.
fn hex(id: &str) -> Vec<u8> {
    (0..40)
        .step_by(2)
        .map(|i| u8::from_str_radix(&id[i..i + 2], 16).unwrap())
        .collect()
}
