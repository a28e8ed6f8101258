//! Path globs from `.keyhook.toml` (`skip_paths`, environment patterns), matched
//! against repository-relative paths with `/` separators.

use anyhow::{Context, Result};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// A compiled set of path globs. A pattern without a `/` matches the file name
/// at any depth (as in `.gitignore`); `**` crosses directories.
#[derive(Debug, Clone)]
pub struct PathMatcher {
    set: GlobSet,
    empty: bool,
}

/// Compiles one pattern with `.gitignore` conventions: without a `/` it matches
/// the file name at any depth, `**` crosses directories, `*` does not.
pub fn glob(pattern: &str) -> Result<Glob> {
    let p = pattern.trim_start_matches('/');
    let full = if p.contains('/') {
        p.to_string()
    } else {
        format!("**/{p}")
    };
    GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .with_context(|| format!("invalid glob `{pattern}`"))
}

impl PathMatcher {
    /// Compiles `patterns`; an invalid glob names itself in the error.
    pub fn new(patterns: &[String]) -> Result<PathMatcher> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let glob = glob(p)?;
            let full = glob.glob().to_string();
            b.add(glob);
            // `dir/` or `dir/**` should also match everything below `dir`.
            if !full.ends_with("/**") {
                let below = GlobBuilder::new(&format!("{}/**", full.trim_end_matches('/')))
                    .literal_separator(true)
                    .build()
                    .with_context(|| format!("invalid glob `{p}`"))?;
                b.add(below);
            }
        }
        Ok(PathMatcher {
            set: b.build()?,
            empty: patterns.is_empty(),
        })
    }

    /// True when `path` matches any pattern.
    pub fn is_match(&self, path: &str) -> bool {
        !self.empty && self.set.is_match(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &[&str]) -> PathMatcher {
        PathMatcher::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn basename_patterns_match_at_any_depth() {
        assert!(m(&["*.lock"]).is_match("a/b/Cargo.lock"));
        assert!(!m(&["*.lock"]).is_match("a/lock.rs"));
    }

    #[test]
    fn directory_patterns_match_below() {
        assert!(m(&["vendor"]).is_match("vendor/x/y.js"));
        assert!(m(&["tests/fixtures/**"]).is_match("tests/fixtures/a.env"));
        assert!(!m(&["tests/fixtures/**"]).is_match("src/tests/fixtures/a.env"));
    }
}
