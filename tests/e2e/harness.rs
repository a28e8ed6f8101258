//! A real, isolated git repository in a temporary directory, and the real
//! `keyhook` binary run inside it. Git sees no system or user configuration
//! (`GIT_CONFIG_NOSYSTEM`, a private `HOME`), so tests behave the same on every
//! machine and inside git hooks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

/// Path of the binary under test.
pub const KEYHOOK: &str = env!("CARGO_BIN_EXE_keyhook");

/// Environment variables a surrounding git (e.g. running these tests from a
/// hook) would set and that must not leak into the test repository.
const GIT_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "NO_COLOR",
];

/// What a process printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// What a finished process printed (for commands built with [`TestRepo::command`]).
    pub fn from_output(out: Output) -> Run {
        Run::from(out)
    }

    /// Fails when `secret` appears anywhere in the output.
    pub fn assert_no_secret(&self, secret: &str) -> &Run {
        assert!(
            !self.stdout.contains(secret),
            "secret leaked to stdout:\n{}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(secret),
            "secret leaked to stderr:\n{}",
            self.stderr
        );
        self
    }

    /// The `path:line:col` locations of the findings reported on stderr, in order.
    pub fn locations(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with("keyhook:") && l.contains("  "))
            .map(|l| l.split("  ").next().unwrap().to_string())
            .collect()
    }

    /// The rule ids reported, in order.
    pub fn rules(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("    rule: "))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    }
}

/// A temporary repository with its own `HOME`.
pub struct TestRepo {
    dir: TempDir,
    home: TempDir,
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

impl TestRepo {
    /// `git init` in a fresh temporary directory, with an identity configured.
    pub fn new() -> TestRepo {
        let repo = TestRepo::empty_dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A fresh temporary directory that is not (yet) a repository.
    pub fn empty_dir() -> TestRepo {
        let repo = TestRepo {
            dir: TempDir::new().unwrap(),
            home: TempDir::new().unwrap(),
        };
        std::fs::write(
            repo.home.path().join(".gitconfig"),
            "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        )
        .unwrap();
        repo
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The private home directory.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Writes `contents` to `rel`, creating directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Removes a file from the work tree.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// A command with the isolated environment, in `dir`.
    pub fn command(&self, program: &str, dir: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(dir)
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .env("PATH", path_with_keyhook())
            .stdin(Stdio::null());
        for v in GIT_ENV {
            c.env_remove(v);
        }
        c
    }

    /// Runs git and returns what it did, whatever the exit code.
    pub fn git_run(&self, args: &[&str]) -> Run {
        Run::from(
            self.command("git", self.path())
                .args(args)
                .output()
                .unwrap(),
        )
    }

    /// Runs git and fails the test if git fails; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let r = self.git_run(args);
        assert_eq!(r.code, 0, "git {args:?} failed:\n{}{}", r.stdout, r.stderr);
        r.stdout
    }

    /// Writes and stages a file.
    pub fn stage(&self, rel: &str, contents: impl AsRef<[u8]>) {
        self.write(rel, contents);
        self.git(&["add", "--", rel]);
    }

    /// Commits what is staged, bypassing hooks.
    pub fn commit(&self, msg: &str) {
        self.git(&["commit", "-q", "--no-verify", "-m", msg]);
    }

    /// Runs `keyhook args` at the repository root.
    pub fn keyhook(&self, args: &[&str]) -> Run {
        self.keyhook_in(self.path(), args)
    }

    /// Runs `keyhook args` at the root with extra environment variables.
    pub fn keyhook_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.command(KEYHOOK, self.path());
        c.args(args).envs(env.iter().copied());
        Run::from(c.output().unwrap())
    }

    /// Runs `keyhook args` in `dir`.
    pub fn keyhook_in(&self, dir: &Path, args: &[&str]) -> Run {
        Run::from(self.command(KEYHOOK, dir).args(args).output().unwrap())
    }
}

/// PATH with the binary under test first, so that installed hooks (which look
/// `keyhook` up on PATH) run this build.
pub fn path_with_keyhook() -> std::ffi::OsString {
    let bin = Path::new(KEYHOOK).parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

/// Runs a prepared command, feeding it `stdin`, and captures what it did.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A child that exits before reading (an early error) closes the pipe; its
    // output still says what happened.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    Run::from(child.wait_with_output().unwrap())
}

/// Realistic fake keys, assembled at run time so that this source file holds no
/// literal key (keyhook's own hook stays quiet on its tests). The bodies are
/// random-looking but fixed; none of them is a real credential.
pub mod fake {
    /// 36 base62 characters that pass every placeholder and entropy check.
    const BODY: &str = "R8xZ2kQv7LmN4pT1wY6sB3dF9hJ0cV5gK2aE";

    /// A GitHub personal access token.
    pub fn github_pat() -> String {
        format!("{}_{}", "ghp", BODY)
    }

    /// A second, different GitHub token.
    pub fn github_pat2() -> String {
        format!("{}_{}", "ghp", "Wq4Lz8Xk1Pn6Rt3Vb9Yc2Md7Fh5Js0Ga4TeU")
    }

    /// An OpenAI project key.
    pub fn openai_project() -> String {
        format!(
            "sk-{}-Qm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0Fg5TyU2iO8pA3s{}Jq1W2e3R4t5Y6u7I8o9P0aS1dF2gH3jK",
            "proj", "T3BlbkF"
        )
        .replacen("T3BlbkF", "T3BlbkFJ", 1)
    }

    /// A random-looking value for a secret-named variable (generic rule).
    pub fn generic_value() -> String {
        ["q8Zr2", "LmX9v", "Tb4Kp", "W7nYc"].concat()
    }
}

/// The fake keys written literally in `fixtures/ai_patterns/` (obviously fake:
/// every body starts with `KeyhookFAKE`), assembled here so that test sources
/// hold none of them; tests use them to check the raw key never reaches output.
pub mod fixture_keys {
    /// The GitHub token in the aider, MCP and Kubernetes fixtures.
    pub fn github_pat() -> String {
        format!("{}_{}{}", "ghp", "KeyhookFAKE", "0r8xZ2kQv7LmN4pT1wY6sB3dF")
    }

    /// The GitHub token shared by `config/keys.{dev,test,prod}.js`.
    pub fn trio_github_pat() -> String {
        format!("{}_{}{}", "ghp", "KeyhookFAKE", "Wq4Lz8Xk1Pn6Rt3Vb9Yc2Md7F")
    }

    /// The OpenAI project key in the Next.js and Kubernetes fixtures.
    pub fn openai_project() -> String {
        format!(
            "sk-{}-KeyhookFAKEQm3Zt8Vw2Rk9Lp4Xn7Bc1Hd6Js0{}q1W2e3R4t5Y6u7I8o9P0aS1dF2gH3jK",
            "proj", "T3BlbkFJ"
        )
    }
}
