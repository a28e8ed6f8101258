//! Differential test (issue 10): seeded random repository states built with
//! the git command line; keyhook's findings must be exactly the planted keys
//! on the lines `git diff --cached --no-color -U0` shows as added. States
//! cover nested directories, edits with repeated lines, renames, deletions,
//! mode changes, symlinks (some with a key as target, some retargeted),
//! CRLF with `.gitattributes`, intent-to-add, assume-unchanged, racy
//! rewrites, index versions 2/3/4, split indexes and unborn HEAD.
//! `KEYHOOK_DIFF_STATES=N` runs N states instead of the default; a failing
//! state prints its seed and a shell script that rebuilds it.

use crate::harness::TestRepo;
use std::collections::BTreeSet;

/// xorshift64*: a tiny seeded generator, so a seed reproduces a state.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A repository under test and the commands that built it.
struct State {
    repo: TestRepo,
    log: Vec<String>,
    rng: Rng,
    keys: usize,
}

/// Lines drawn from a small vocabulary, so files repeat lines (where diff
/// algorithms disagree most).
const WORDS: &[&str] = &[
    "}",
    "",
    "return x;",
    "fn f() {",
    "    y += 1;",
    "# note",
    "a = 1",
    "end",
];

impl State {
    /// Runs git; a refused operation (a mode change on a symlink, ...) leaves
    /// the state as it was and is logged as refused.
    fn git(&mut self, args: &[&str]) -> String {
        let run = self.repo.git_run(args);
        let note = if run.code == 0 {
            ""
        } else {
            " || true  # refused"
        };
        let args: Vec<String> = args.iter().map(|a| sh_quote(a)).collect();
        self.log.push(format!("git {}{note}", args.join(" ")));
        run.stdout
    }

    fn write(&mut self, rel: &str, data: &str) {
        self.log.push(format!(
            "{}printf '%b' {} > {}",
            mkdir_for(rel),
            printf_b(data),
            sh_quote(rel)
        ));
        self.repo.write(rel, data);
    }

    /// A symlink at `rel` pointing to `target`, replacing what is there.
    fn link(&mut self, rel: &str, target: &str) {
        let (q_rel, q_target) = (sh_quote(rel), sh_quote(target));
        self.log
            .push(format!("{}ln -sfn {q_target} {q_rel}", mkdir_for(rel)));
        let path = self.repo.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(target, &path).unwrap();
    }

    /// A fake, format-valid GitHub token, fresh each time (random base62).
    fn key(&mut self) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let body: String = (0..36).map(|_| ALNUM[self.rng.below(62)] as char).collect();
        self.keys += 1;
        format!("{}_{body}", "ghp")
    }

    fn line(&mut self) -> String {
        if self.rng.chance(12) {
            let key = self.key();
            format!("token_{} = {key}", self.keys)
        } else {
            WORDS[self.rng.below(WORDS.len())].to_string()
        }
    }

    fn content(&mut self, lines: usize, crlf: bool) -> String {
        let eol = if crlf { "\r\n" } else { "\n" };
        (0..lines).map(|_| self.line() + eol).collect()
    }

    fn tracked(&mut self) -> Vec<String> {
        self.repo
            .git(&["ls-files"])
            .lines()
            .filter(|p| !p.ends_with(".gitattributes"))
            .map(str::to_string)
            .collect()
    }

    /// An edit of `rel`'s work-tree content: lines inserted, removed, replaced.
    fn edit(&mut self, rel: &str) {
        let path = self.repo.path().join(rel);
        let Ok(old) = std::fs::read_to_string(&path) else {
            return;
        };
        let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
        for _ in 0..1 + self.rng.below(4) {
            let at = self.rng.below(lines.len() + 1);
            match self.rng.below(3) {
                0 => lines.insert(at, self.line()),
                1 if at < lines.len() => {
                    lines.remove(at);
                }
                _ if at < lines.len() => lines[at] = self.line(),
                _ => lines.push(self.line()),
            }
        }
        let mut data = lines.join("\n");
        if !lines.is_empty() && self.rng.chance(90) {
            data.push('\n');
        }
        self.write(rel, &data);
    }

    /// One random change to the work tree and the index.
    fn step(&mut self) {
        let files = self.tracked();
        let pick = |s: &mut State| files.get(s.rng.below(files.len().max(1))).cloned();
        match self.rng.below(12) {
            0..=4 => {
                if let Some(f) = pick(self) {
                    self.edit(&f);
                    self.git(&["add", "--", &f]);
                }
            }
            5 => {
                let rel = format!(
                    "d{}/s{}/n{}.txt",
                    self.rng.below(4),
                    self.rng.below(3),
                    self.rng.below(1000)
                );
                let n = 1 + self.rng.below(12);
                let data = self.content(n, false);
                self.write(&rel, &data);
                self.git(&["add", "--", &rel]);
            }
            6 => {
                if let Some(f) = pick(self) {
                    self.git(&["rm", "-q", "--cached", "--", &f]);
                }
            }
            7 => {
                if let Some(f) = pick(self) {
                    let to = format!("moved/{}", f.replace('/', "_"));
                    if self.repo.path().join(&to).exists() {
                        return;
                    }
                    self.git(&["mv", "-k", "--", &f, &to]);
                    let moved = self.repo.git(&["ls-files", "--", &to]);
                    if !moved.is_empty() && self.rng.chance(50) {
                        self.edit(&to);
                        self.git(&["add", "--", &to]);
                    }
                }
            }
            8 => {
                if let Some(f) = pick(self) {
                    self.git(&["update-index", "--chmod=+x", "--", &f]);
                }
            }
            9 => {
                // A new link, or a tracked one retargeted: git diffs the
                // target as the link's one line, and a key there is content.
                let rel = format!("links/l{}", self.rng.below(20));
                let path = self.repo.path().join(&rel);
                let exists = path.symlink_metadata().is_ok();
                if !exists || path.is_symlink() {
                    let target = if self.rng.chance(40) {
                        let key = self.key();
                        format!("token_{} = {key}", self.keys)
                    } else {
                        "../README".to_string()
                    };
                    self.link(&rel, &target);
                    self.git(&["add", "--", &rel]);
                }
            }
            10 => {
                // Staged, then the work tree changes (and may be hidden from git).
                if let Some(f) = pick(self) {
                    self.edit(&f);
                    self.git(&["add", "--", &f]);
                    self.edit(&f);
                    if self.rng.chance(50) {
                        self.git(&["update-index", "--assume-unchanged", "--", &f]);
                    }
                }
            }
            _ => {
                let rel = format!("ita/i{}.txt", self.rng.below(100));
                if !self.repo.path().join(&rel).exists() {
                    let data = self.content(3, false);
                    self.write(&rel, &data);
                    self.git(&["add", "-N", "--", &rel]);
                }
            }
        }
    }

    /// The planted keys `git diff --cached` shows as added, as `path:line`.
    fn expected(&mut self) -> BTreeSet<String> {
        let diff = self.repo.git(&["diff", "--cached", "--no-color", "-U0"]);
        let mut out = BTreeSet::new();
        let (mut path, mut line) = (String::new(), 0u32);
        for l in diff.lines() {
            if let Some(p) = l.strip_prefix("+++ ") {
                path = p.strip_prefix("b/").unwrap_or(p).to_string();
            } else if let Some(h) = l.strip_prefix("@@ ") {
                let plus = h.split(' ').nth(1).unwrap().trim_start_matches('+');
                line = plus.split(',').next().unwrap().parse().unwrap();
            } else if let Some(added) = l.strip_prefix('+') {
                if added.contains("ghp_") && path != "/dev/null" {
                    out.insert(format!("{path}:{line}"));
                }
                line += 1;
            }
        }
        out
    }

    /// keyhook's GitHub-token findings, as `path:line`.
    fn actual(&self) -> BTreeSet<String> {
        let run = self.repo.keyhook(&["pre-commit", "--format", "json"]);
        assert!(
            run.code == 0 || run.code == 1,
            "exit {}: {}",
            run.code,
            run.stderr
        );
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json report");
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "github.pat")
            .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
            .collect()
    }
}

/// `s` as one shell word: as it is when it is safe, else single-quoted.
fn sh_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./=+:,@%".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return s.to_string();
    }
    sh_quote_always(s)
}

/// `data` as a single-quoted argument of `printf '%b'`, which expands
/// backslash escapes: newlines, carriage returns and other control bytes are
/// written as escapes, so each command stays one line and replays exactly.
fn printf_b(data: &str) -> String {
    let mut out = String::with_capacity(data.len() + 2);
    for c in data.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\t' => out.push_str(r"\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!(r"\0{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    sh_quote_always(&out)
}

/// `s` single-quoted, whatever it holds.
fn sh_quote_always(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `mkdir -p <dir> && ` for a path with a directory, else nothing.
fn mkdir_for(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((dir, _)) => format!("mkdir -p {} && ", sh_quote(dir)),
        None => String::new(),
    }
}

/// The first lines of a reproducer: the isolated configuration, identity and
/// dates the test harness gives git, in a fresh directory (so the commit ids
/// come out the same).
const REPRO_PREAMBLE: &[&str] = &[
    "set -e",
    "export HOME=\"$(mktemp -d)\" GIT_CONFIG_NOSYSTEM=1",
    "export XDG_CONFIG_HOME=\"$HOME/.config\"",
    "export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z",
    "export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
    "cd \"$(mktemp -d)\"",
];

/// A fresh repository for `seed`: files in nested directories (so the
/// cache-tree matters), CRLF files under `.gitattributes`, and (mostly) a
/// first commit.
fn new_state(seed: u64) -> State {
    let mut s = State {
        repo: TestRepo::new(),
        log: REPRO_PREAMBLE
            .iter()
            .map(|l| l.to_string())
            .chain(["git init -q -b main".to_string()])
            .collect(),
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        keys: 0,
    };
    s.write("README", "readme\n");
    if s.rng.chance(30) {
        s.write(".gitattributes", "*.crlf text eol=crlf\n");
        let data = s.content(6, true);
        s.write("d0/w.crlf", &data);
    }
    for i in 0..24 {
        let rel = format!("d{}/s{}/f{i}.txt", i % 4, i % 3);
        let n = 2 + s.rng.below(14);
        let data = s.content(n, false);
        s.write(&rel, &data);
    }
    s.git(&["add", "-A"]);
    if s.rng.chance(90) {
        s.git(&["commit", "-q", "--no-verify", "-m", "base"]);
    }
    s
}

#[test]
fn findings_equal_the_keys_on_the_lines_git_adds() {
    let states: usize = std::env::var("KEYHOOK_DIFF_STATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    const PER_REPO: usize = 8;
    let (mut run, mut misses, mut extras, mut planted) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut seed = 0u64;
    while run < states {
        seed += 1;
        let mut s = new_state(seed);
        for n in 0..PER_REPO.min(states - run) {
            for _ in 0..1 + s.rng.below(4) {
                s.step();
            }
            match s.rng.below(10) {
                0 => {
                    let v = ["2", "3", "4"][s.rng.below(3)];
                    s.git(&["update-index", "--index-version", v]);
                }
                1 => {
                    s.git(&["update-index", "--split-index"]);
                }
                2 => {
                    s.git(&["update-index", "--no-split-index"]);
                }
                3 => {
                    s.git(&["write-tree"]);
                }
                _ => {}
            }
            let (want, got) = (s.expected(), s.actual());
            run += 1;
            planted += want.len();
            let miss: Vec<_> = want.difference(&got).cloned().collect();
            let extra: Vec<_> = got.difference(&want).cloned().collect();
            misses += miss.len();
            extras += extra.len();
            if !(miss.is_empty() && extra.is_empty()) && failures.len() < 3 {
                failures.push(format!(
                    "seed {seed}, state {n}: missed {miss:?}, extra {extra:?}\nreproduce with this script, then compare `keyhook pre-commit` with `git diff --cached -U0`:\n{}\n",
                    s.log.join("\n")
                ));
            }
            if s.rng.chance(15) {
                s.git(&["commit", "-q", "--no-verify", "-m", "step"]);
            }
        }
    }
    println!(
        "differential: {run} states, {planted} added key lines, {misses} misses, {extras} extras"
    );
    // The states must hold added keys, or the comparison proves nothing.
    assert!(
        planted > run,
        "only {planted} added key lines in {run} states"
    );
    assert!(
        failures.is_empty(),
        "{misses} misses, {extras} extras in {run} states\n{}",
        failures.join("\n\n")
    );
}
