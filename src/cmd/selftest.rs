//! `keyhook selftest`: proves the hook blocks keys, end to end. In a
//! throwaway repository under the system temp directory it runs `keyhook
//! install` (the real installer and hook shims, with this very binary first on
//! the PATH the shims search), then for each provider family commits a freshly
//! generated fake key with real `git commit` (the one place keyhook runs git:
//! the point is to test what git does with the hook), checks that each attempt
//! is blocked and that a placeholder file is not, and prints one line per
//! attempt with how long it took.

use crate::canary::{Canary, Rng, CANARIES, PLACEHOLDER, PLACEHOLDER_FILE};
use crate::outcome::Outcome;
use crate::redact::redact;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Variables a surrounding git (selftest run from a hook) may set; they would
/// point the child git at the wrong repository.
const GIT_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
];

/// Runs the self-test; exit 1 when any canary got through or the placeholder
/// was blocked.
pub fn run() -> Result<Outcome> {
    let exe = std::env::current_exe().context("cannot find the keyhook binary")?;
    let mut repo = Scratch::new()?;
    repo.git(&["init", "-q"])?;
    for (k, v) in [
        ("user.name", "keyhook selftest"),
        ("user.email", "selftest@keyhook.invalid"),
        ("commit.gpgsign", "false"),
    ] {
        repo.git(&["config", k, v])?;
    }
    // A global core.hooksPath would send the installer (and git) elsewhere.
    let hooks = repo.path.join(".git").join("hooks");
    repo.git(&["config", "core.hooksPath", &hooks.to_string_lossy()])?;
    install_hooks(&mut repo, &exe)?;
    println!(
        "keyhook selftest: a fresh fake key per provider family, one real commit each, in {}",
        repo.path.display()
    );
    repo.write("README.md", "# selftest\n")?;
    let (first, _) = repo.commit("README.md", "initial commit")?;
    if !first.status.success() {
        bail!(
            "the first, clean commit failed: {}",
            first_line(&first.stderr)
        );
    }
    let mut rng = Rng::new();
    let mut missed = 0;
    for canary in CANARIES {
        if !attempt(&repo, canary, &mut rng)? {
            missed += 1;
        }
    }
    repo.write(PLACEHOLDER_FILE, PLACEHOLDER)?;
    let (out, took) = repo.commit(PLACEHOLDER_FILE, "placeholders only")?;
    let placeholder_ok = out.status.success();
    if placeholder_ok {
        println!(
            "  allowed  {:<26} {:>5}  placeholders are not secrets",
            PLACEHOLDER_FILE,
            ms(took)
        );
    } else {
        println!(
            "  BLOCKED  {:<26} {:>5}  a false positive: {}",
            PLACEHOLDER_FILE,
            ms(took),
            rules_in(&out).join(", ")
        );
    }
    let n = CANARIES.len();
    if missed == 0 && placeholder_ok {
        println!(
            "keyhook selftest: {n} of {n} canaries blocked, placeholder allowed: the hook works"
        );
        Ok(Outcome::Clean)
    } else {
        println!(
            "keyhook selftest: FAILED: {} of {n} canaries blocked{}",
            n - missed,
            if placeholder_ok {
                ""
            } else {
                ", and the placeholder was blocked"
            }
        );
        Ok(Outcome::Findings)
    }
}

/// Tries to commit one canary; true when the hook blocked it.
fn attempt(repo: &Scratch, canary: &Canary, rng: &mut Rng) -> Result<bool> {
    let planted = (canary.make)(rng);
    repo.write(canary.file, &planted.content)?;
    let (out, took) = repo.commit(canary.file, &format!("canary: {}", canary.family))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let blocked = !out.status.success() && stderr.contains("keyhook: commit blocked");
    let rules = rules_in(&out);
    if blocked {
        let note = if rules.iter().any(|r| r.starts_with(canary.rule_prefix)) {
            String::new()
        } else {
            format!(" (no {}* rule matched)", canary.rule_prefix)
        };
        println!(
            "  blocked  {:<26} {:>5}  {}  {}{note}",
            canary.family,
            ms(took),
            redact(planted.secret.as_bytes()),
            rules.join(", "),
        );
        // Unstage and delete, so the next attempt commits only its own file.
        repo.git(&["rm", "-q", "--cached", "--", canary.file])?;
        std::fs::remove_file(repo.path.join(canary.file)).ok();
    } else if out.status.success() {
        println!(
            "  MISSED   {:<26} {:>5}  {}  the commit went through",
            canary.family,
            ms(took),
            redact(planted.secret.as_bytes()),
        );
    } else {
        println!(
            "  ERROR    {:<26} {:>5}  the commit failed without a keyhook verdict: {}",
            canary.family,
            ms(took),
            first_line(&out.stderr)
        );
    }
    Ok(blocked)
}

/// Installs keyhook's hooks in the scratch repository with `keyhook install`,
/// and puts a `keyhook` that is this very binary first on the PATH the hook
/// shims search, so the commits below test this build and its installer.
fn install_hooks(repo: &mut Scratch, exe: &Path) -> Result<()> {
    let bin = repo.root.join("bin");
    std::fs::create_dir_all(&bin).with_context(|| format!("{}: cannot create", bin.display()))?;
    let name = format!("keyhook{}", std::env::consts::EXE_SUFFIX);
    link_or_copy(exe, &bin.join(name))?;
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    repo.path_env = Some(std::env::join_paths(paths).context("PATH")?);
    let out = repo.run(exe, &["install", "--no-gitignore"])?;
    if !out.status.success() {
        bail!("keyhook install failed: {}", first_line(&out.stderr));
    }
    Ok(())
}

fn link_or_copy(exe: &Path, to: &Path) -> Result<()> {
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(exe, to);
    #[cfg(not(unix))]
    let made = std::fs::copy(exe, to).map(|_| ());
    made.with_context(|| format!("{}: cannot link the keyhook binary", to.display()))
}

/// The rule ids a hook run reported (`    rule: id (pattern)` lines).
fn rules_in(out: &Output) -> Vec<String> {
    let mut rules: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("    rule: "))
        .filter_map(|l| l.split(' ').next())
        .map(str::to_string)
        .collect();
    rules.dedup();
    rules
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

fn ms(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// A temporary directory holding the repository (`repo/`) and the `bin/`
/// directory put on the hooks' PATH; removed when dropped.
struct Scratch {
    root: PathBuf,
    path: PathBuf,
    path_env: Option<std::ffi::OsString>,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let name = format!(
            "keyhook-selftest-{}-{:08x}",
            std::process::id(),
            Rng::new().next_u64() as u32
        );
        let root = std::env::temp_dir().join(name);
        let path = root.join("repo");
        std::fs::create_dir_all(&path)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        Ok(Scratch {
            root,
            path,
            path_env: None,
        })
    }

    fn write(&self, rel: &str, content: &str) -> Result<()> {
        let p = self.path.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&p, content).with_context(|| format!("{}: cannot write", p.display()))
    }

    /// Runs `program` in the repository, with no surrounding git's variables.
    fn run(&self, program: &Path, args: &[&str]) -> Result<Output> {
        let mut c = Command::new(program);
        c.args(args).current_dir(&self.path).stdin(Stdio::null());
        for v in GIT_ENV {
            c.env_remove(v);
        }
        if let Some(p) = &self.path_env {
            c.env("PATH", p);
        }
        c.output()
            .with_context(|| format!("cannot run {}", program.display()))
    }

    fn run_git(&self, args: &[&str]) -> Result<Output> {
        self.run(Path::new("git"), args)
            .context("the self-test makes real commits: put git on PATH")
    }

    fn git(&self, args: &[&str]) -> Result<()> {
        let out = self.run_git(args)?;
        if !out.status.success() {
            bail!("git {}: {}", args.join(" "), first_line(&out.stderr));
        }
        Ok(())
    }

    /// Stages `rel` and tries to commit it; returns git's output and the time taken.
    fn commit(&self, rel: &str, msg: &str) -> Result<(Output, Duration)> {
        self.git(&["add", "--", rel])?;
        let start = Instant::now();
        let out = self.run_git(&["commit", "-q", "-m", msg])?;
        Ok((out, start.elapsed()))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
