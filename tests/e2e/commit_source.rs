//! `source::commit`: which lines a commit added, merges included.

use crate::harness::{fake, TestRepo};
use keyhook::pipeline::Pipeline;
use keyhook::source::commit;

/// Findings (path:line) for the commit at `rev`.
fn findings_at(repo: &TestRepo, rev: &str) -> Vec<String> {
    let git = git2::Repository::open(repo.path()).unwrap();
    let c = git.revparse_single(rev).unwrap().peel_to_commit().unwrap();
    let changes = commit::changes(&git, &c).unwrap();
    let pipeline = Pipeline::load(repo.path(), Some(git.commondir())).unwrap();
    let report = pipeline.check_changes(&git, &changes).unwrap();
    report
        .findings
        .iter()
        .map(|f| format!("{}:{}", f.path, f.line))
        .collect()
}

#[test]
fn root_and_ordinary_commits_report_their_added_lines() {
    let repo = TestRepo::new();
    repo.stage("a.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("root");
    repo.stage(
        "a.env",
        format!(
            "GITHUB_TOKEN={}\nX=1\nOTHER={}\n",
            fake::github_pat(),
            fake::github_pat2()
        ),
    );
    repo.commit("second");
    assert_eq!(findings_at(&repo, "HEAD~1"), ["a.env:1"]);
    assert_eq!(findings_at(&repo, "HEAD"), ["a.env:3"]);
}

#[test]
fn a_merge_reports_only_what_the_conflict_resolution_added() {
    let repo = TestRepo::new();
    repo.stage("conf.txt", "one\nvalue = base\nthree\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.stage(
        "conf.txt",
        format!("one\nvalue = side {}\nthree\n", fake::github_pat2()),
    );
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("conf.txt", "one\nvalue = main\nthree\n");
    repo.commit("main");
    let merge = repo.git_run(&["merge", "-q", "side"]);
    assert_ne!(merge.code, 0, "expected a conflict");
    repo.stage(
        "conf.txt",
        format!("one\nvalue = merged {}\nthree\n", fake::github_pat()),
    );
    repo.git(&["commit", "-q", "--no-verify", "-m", "merge side"]);
    // The resolution's line is new; the side branch's key is in a parent, so it
    // belongs to that parent's commit, not the merge.
    assert_eq!(findings_at(&repo, "HEAD"), ["conf.txt:2"]);
    assert_eq!(findings_at(&repo, "side"), ["conf.txt:2"]);
}

#[test]
fn a_clean_merge_adds_nothing() {
    let repo = TestRepo::new();
    repo.stage("a.txt", "a\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.stage("b.env", format!("GITHUB_TOKEN={}\n", fake::github_pat()));
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("c.txt", "c\n");
    repo.commit("main");
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    assert_eq!(findings_at(&repo, "HEAD"), Vec::<String>::new());
}
