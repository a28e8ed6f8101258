//! Who accepted a finding and when: `accepted_by` from git's `user.name` and
//! `user.email` (the identity the commit will carry), falling back to the login
//! name; `accepted_at` as a date (a day is precise enough for review, and a
//! coarser stamp means fewer differences between two people's entries).

use git2::Repository;

/// The `accepted_by` and `accepted_at` values for new entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `Name <email>`, `Name`, `email` or the login name.
    pub by: String,
    /// `YYYY-MM-DD` (UTC).
    pub at: String,
}

impl Stamp {
    /// The stamp for the current user in `repo`, today. `SOURCE_DATE_EPOCH`
    /// (seconds), when set, replaces the clock, for reproducible output.
    pub fn now(repo: &Repository) -> Stamp {
        Stamp {
            by: identity(repo),
            at: date(epoch_seconds()),
        }
    }
}

/// `Name <email>` from git config, else `$USER`/`$USERNAME`, else `unknown`.
fn identity(repo: &Repository) -> String {
    let (name, email) = match repo.config() {
        Ok(c) => (
            c.get_string("user.name").ok().filter(|s| !s.is_empty()),
            c.get_string("user.email").ok().filter(|s| !s.is_empty()),
        ),
        Err(_) => (None, None),
    };
    match (name, email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n,
        (None, Some(e)) => e,
        (None, None) => ["USER", "USERNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "unknown".to_string()),
    }
}

fn epoch_seconds() -> i64 {
    if let Some(s) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return s;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The UTC calendar date of `secs` since the epoch, `YYYY-MM-DD`
/// (Howard Hinnant's days-to-civil algorithm).
fn date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_767_225_599), "2025-12-31");
        assert_eq!(date(1_767_225_600), "2026-01-01");
    }
}
