//! How a run ended, and the exit code each outcome maps to.

/// The result of a command, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing found: exit 0.
    Clean,
    /// Findings: the commit or push is blocked, exit 1.
    Findings,
    /// A scan could not read everything it was asked to (an unreadable file, a
    /// commit whose objects are missing): exit 2, even when there are findings,
    /// because "no findings" would not mean "no secrets".
    Incomplete,
    /// An AI agent hook refused the action (`keyhook agent`): exit 2, the
    /// only code the agents read as "block".
    Refused,
}

/// Exit code for an error (not a repository, unreadable config, ...). It also blocks.
pub const EXIT_ERROR: i32 = 2;

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Incomplete | Outcome::Refused => EXIT_ERROR,
        }
    }
}

/// The exit code of `run`: its outcome's, or [`EXIT_ERROR`] for an error
/// (printed on one line) and for a panic, which is a bug but must block like
/// an error: Rust's own exit code for it, 101, is one an agent reads as "go
/// ahead", and a hook that fails open on a bug is a hook that can be fooled.
pub fn exit_code(run: impl FnOnce() -> anyhow::Result<Outcome>) -> i32 {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(outcome)) => outcome.code(),
        Ok(Err(e)) => {
            // One line: the context chain joined, most specific last.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("keyhook: error: {}", msg.join(": "));
            EXIT_ERROR
        }
        // The panic hook has said what happened.
        Err(_) => EXIT_ERROR,
    }
}

/// Prints a panic as one line that says it is keyhook's bug, instead of
/// Rust's two lines about backtraces. Only the first is printed: a worker
/// thread's panic comes back as a second one where the thread is joined.
pub fn report_panics() {
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        if REPORTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "keyhook: error: internal error ({}{at}): a bug in keyhook, please report it; the check did not finish, so this exits 2 (a hook blocks)",
            what.replace('\n', " ")
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_errors_and_panics_map_to_their_codes() {
        assert_eq!(exit_code(|| Ok(Outcome::Clean)), 0);
        assert_eq!(exit_code(|| Ok(Outcome::Findings)), 1);
        assert_eq!(
            exit_code(|| Err(anyhow::anyhow!("not a repository"))),
            EXIT_ERROR
        );
        assert_eq!(exit_code(|| panic!("a bug")), EXIT_ERROR);
    }
}
