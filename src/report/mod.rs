//! Rendering findings. Reports read [`Finding`](crate::finding::Finding)s only;
//! the raw secret never reaches this module.

pub mod human;

/// What was being checked, which decides the summary wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// `keyhook pre-commit`.
    Commit,
    /// `keyhook pre-push`.
    Push,
    /// `keyhook scan`.
    Scan,
}

/// Whether to colour human output: only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `1 secret`, `2 secrets`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
