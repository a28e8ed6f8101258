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
