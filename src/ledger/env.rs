//! Which environment a file belongs to, from its path: `config/keys.prod.js`,
//! `.env.staging`, `values-dev.yaml`, `application-test.yml`,
//! `deploy/production/app.yaml`. Configured `[environments]` globs are checked
//! first; otherwise the deepest path component naming an environment wins
//! (so the file name beats its directory), and within a component the first
//! name (`.env.production.local` is production).

use anyhow::{Context, Result};
use globset::{GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;

/// Built-in environment names: (word in a path, canonical name, rank). Rank
/// orders environments from least to most protected, which decides the wording
/// ("a test key has become a production key").
const WORDS: &[(&str, &str, u8)] = &[
    ("dev", "development", 0),
    ("develop", "development", 0),
    ("development", "development", 0),
    ("local", "development", 0),
    ("test", "test", 1),
    ("testing", "test", 1),
    ("tests", "test", 1),
    ("qa", "test", 1),
    ("staging", "staging", 2),
    ("stage", "staging", 2),
    ("stg", "staging", 2),
    ("uat", "staging", 2),
    ("preprod", "staging", 2),
    ("prod", "production", 3),
    ("production", "production", 3),
    ("prd", "production", 3),
];

/// An environment: its name and, for built-in names, its rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// Canonical name (`production`), or the configured one.
    pub name: String,
    /// 0 development, 1 test, 2 staging, 3 production; `None` for configured
    /// names that are none of these.
    pub rank: Option<u8>,
}

/// The environment map: configured globs, then the built-in words.
#[derive(Debug)]
pub struct Environments {
    set: GlobSet,
    owner: Vec<String>,
}

impl Environments {
    /// Compiles `[environments]` (name → globs).
    pub fn new(config: &BTreeMap<String, Vec<String>>) -> Result<Environments> {
        let mut b = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (name, globs) in config {
            for g in globs {
                b.add(crate::paths::glob(g).with_context(|| format!("environments: {name}"))?);
                owner.push(name.clone());
            }
        }
        Ok(Environments {
            set: b.build()?,
            owner,
        })
    }

    /// The environment of `path`, if its path names one.
    pub fn of(&self, path: &str) -> Option<Env> {
        if let Some(i) = self.set.matches(path).into_iter().min() {
            let name = self.owner[i].clone();
            let rank = builtin(&name.to_ascii_lowercase()).map(|(_, r)| r);
            return Some(Env { name, rank });
        }
        for component in path.rsplit('/') {
            let found = component
                .split(['.', '-', '_'])
                .find_map(|w| builtin(&w.to_ascii_lowercase()));
            if let Some((name, rank)) = found {
                return Some(Env {
                    name: name.to_string(),
                    rank: Some(rank),
                });
            }
        }
        None
    }
}

fn builtin(word: &str) -> Option<(&'static str, u8)> {
    WORDS
        .iter()
        .find(|(w, _, _)| *w == word)
        .map(|(_, name, rank)| (*name, *rank))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(p: &str) -> Option<String> {
        let mut cfg = BTreeMap::new();
        cfg.insert("production".to_string(), vec!["deploy/live/**".to_string()]);
        cfg.insert("blue".to_string(), vec!["*.blue.json".to_string()]);
        Environments::new(&cfg).unwrap().of(p).map(|e| e.name)
    }

    #[test]
    fn names_from_paths() {
        let cases = [
            ("config/keys.prod.js", Some("production")),
            ("config/keys.test.js", Some("test")),
            ("config/keys.dev.js", Some("development")),
            (".env.staging", Some("staging")),
            (".env.production.local", Some("production")),
            ("helm/values-prod.yaml", Some("production")),
            (
                "src/main/resources/application-dev.yml",
                Some("development"),
            ),
            ("deploy/production/app.yaml", Some("production")),
            ("config/prod/db.yml", Some("production")),
            ("src/test/resources/app.yml", Some("test")),
            ("deploy/live/app.yaml", Some("production")),
            ("a.blue.json", Some("blue")),
            ("src/latest/protest.js", None),
            ("devtools/product.js", None),
            (".env", None),
        ];
        for (p, want) in cases {
            assert_eq!(env(p).as_deref(), want, "{p}");
        }
    }

    #[test]
    fn configured_names_keep_a_rank_when_they_are_known() {
        let mut cfg = BTreeMap::new();
        cfg.insert("canary".to_string(), vec!["live/**".to_string()]);
        let e = Environments::new(&cfg).unwrap();
        assert_eq!(e.of("live/x").unwrap().rank, None);
        cfg.insert("prod".to_string(), vec!["p/**".to_string()]);
        let e = Environments::new(&cfg).unwrap();
        assert_eq!(e.of("p/x").unwrap().rank, Some(3));
    }
}
