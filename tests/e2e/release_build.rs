//! Building keyhook the way users' tooling does, from this repository: the CI
//! files' `cargo install --git` step and the pre-commit framework's
//! `language: rust` (`cargo install --path`). Both are release builds, which
//! would cost minutes each; they share one target directory
//! (`target/install-tests`), so the dependencies are built once per checkout,
//! and the release profile is made cheap (no LTO, no optimisation): these tests
//! check that the install works and the installed binary judges correctly,
//! not how fast it runs. Every child process has a deadline: a hung pip or
//! cargo fails the test with its output instead of hanging the suite.

use crate::harness::Run;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// This checkout.
pub const HERE: &str = env!("CARGO_MANIFEST_DIR");

/// The branch the source clone is on (what `--branch "$KEYHOOK_REV"` names).
pub const BRANCH: &str = "keyhook-under-test";

/// The shared build directory of these tests.
pub fn target_dir() -> PathBuf {
    Path::new(HERE).join("target/install-tests")
}

/// Points `cmd` at the real toolchain and crate cache (tests run with a
/// private HOME), the shared target directory, and a cheap release profile.
pub fn cargo_env(cmd: &mut Command) -> &mut Command {
    let real_home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    for (v, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        let x = std::env::var_os(v).map_or_else(|| real_home.join(default), Into::into);
        cmd.env(v, x);
    }
    cmd.env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_TERM_COLOR", "never")
}

/// Held while a child runs cargo on [`target_dir`]. Cargo locks the target
/// directory only while it builds: `cargo install` then copies the binary out
/// of it, and another test's cargo relinking the same binary at that moment
/// made the copy fail ("failed to copy .../release/keyhook"). Tests run on
/// threads of one process, so a process-wide lock serialises them.
pub fn cargo_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed while holding it leaves nothing half-done to guard.
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A clone of this checkout's HEAD at a fixed place, on [`BRANCH`], made
/// once per test run: the `KEYHOOK_GIT` the CI files install from. Its path
/// is stable so cargo's git cache and "already installed" check carry over
/// between tests and runs. (Uncommitted changes are not in it.)
pub fn source_repo() -> &'static Path {
    static SRC: OnceLock<PathBuf> = OnceLock::new();
    SRC.get_or_init(|| {
        let dir = Path::new(HERE).join("target/install-tests-src");
        let _ = std::fs::remove_dir_all(&dir);
        let git = |args: &[&str]| {
            let out = Command::new("git")
                .args(args)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        git(&["clone", "-q", "--no-hardlinks", HERE, dir.to_str().unwrap()]);
        git(&["-C", dir.to_str().unwrap(), "checkout", "-q", "-B", BRANCH]);
        dir
    })
}

/// `file://` URL of [`source_repo`].
pub fn source_url() -> String {
    format!("file://{}", source_repo().display())
}

/// Where the CI tests' `cargo install` puts the binary (`CARGO_INSTALL_ROOT`).
pub fn install_root() -> PathBuf {
    Path::new(HERE).join("target/install-tests-root")
}

/// PATH with the installed binary first and without the binary under test,
/// so a step that runs `keyhook` runs what the install step built.
pub fn path_with_installed() -> std::ffi::OsString {
    let test_bin = Path::new(crate::harness::KEYHOOK).parent().unwrap();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(install_root().join("bin"))
        .chain(std::env::split_paths(&rest).filter(|d| d != test_bin));
    std::env::join_paths(dirs).unwrap()
}

/// Runs `cmd` to completion, or kills it after `limit` and fails the test
/// with what it printed. Output goes to files, so a chatty child cannot
/// block on a full pipe.
pub fn run_with_deadline(mut cmd: Command, what: &str, limit: Duration, scratch: &Path) -> Run {
    let out_path = scratch.join(format!("{what}.stdout"));
    let err_path = scratch.join(format!("{what}.stderr"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        code: status.and_then(|s| s.code()).unwrap_or(-1),
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    assert!(
        status.is_some(),
        "{what}: still running after {} s, killed:\n{}{}",
        limit.as_secs(),
        run.stdout,
        run.stderr
    );
    run
}
