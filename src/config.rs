//! `.keyhook.toml`: optional per-repository configuration. Unknown keys are
//! errors (a typo must not silently disable a check), and every error names the
//! file and line.

use crate::rules::{RawRule, RuleSet};
use crate::toml_error::toml_error;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the configuration, at the repository root.
pub const FILE_NAME: &str = ".keyhook.toml";

/// Default size limit: larger files are skipped and named in the report.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Default for `reuse_threshold`: a key in more files than this is reuse.
pub const DEFAULT_REUSE_THRESHOLD: usize = 3;

/// Default for `generic_min_entropy`: the entropy (bits per byte) a long
/// secret-named value must reach to be reported by the generic rules.
pub const DEFAULT_GENERIC_MIN_ENTROPY: f64 = 3.0;

/// Parsed `.keyhook.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule ids that never run.
    #[serde(default)]
    pub disable_rules: Vec<String>,
    /// Glob patterns (gitignore-style `**` allowed) of paths never scanned.
    #[serde(default)]
    pub skip_paths: Vec<String>,
    /// Files larger than this many bytes are skipped and named.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Minimum entropy (bits per character) for the generic secret-assignment rule.
    #[serde(default = "default_generic_entropy")]
    pub generic_min_entropy: f64,
    /// A key found in more than this many files is reported as reuse.
    #[serde(default = "default_reuse_threshold")]
    pub reuse_threshold: usize,
    /// Extra AI transcript files: tool name → globs (`[ai_files]`).
    #[serde(default)]
    pub ai_files: BTreeMap<String, Vec<String>>,
    /// Environments by path: name → globs (`[environments]`), checked before
    /// the built-in names (`dev`, `test`, `staging`, `prod`, ...).
    #[serde(default)]
    pub environments: BTreeMap<String, Vec<String>>,
    /// Extra rules, in the same schema as `rules/*.toml`.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RawRule>,
    /// Extra places `keyhook scan --ai-sessions` looks, in the schema of
    /// `src/sessions/stores.toml`.
    #[serde(default, rename = "ai_session_store")]
    pub ai_session_stores: Vec<StoreSpec>,
}

/// One place where an AI tool keeps sessions (`[[ai_session_store]]`, and the
/// built-in list in `src/sessions/stores.toml`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StoreSpec {
    /// Tool name shown in reports.
    pub tool: String,
    /// Directory under the home directory.
    pub dir: String,
    /// Globs matched against paths relative to `dir` (`**` crosses directories).
    pub globs: Vec<String>,
    /// Directory levels to descend below `dir` (default: no limit).
    #[serde(default)]
    pub max_depth: Option<usize>,
    /// Do not descend into directories whose name starts with a dot.
    #[serde(default)]
    pub skip_hidden: bool,
}

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}

fn default_reuse_threshold() -> usize {
    DEFAULT_REUSE_THRESHOLD
}

fn default_generic_entropy() -> f64 {
    DEFAULT_GENERIC_MIN_ENTROPY
}

impl Default for Config {
    fn default() -> Self {
        toml::from_str("").expect("empty config is valid")
    }
}

impl Config {
    /// Reads `.keyhook.toml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("{FILE_NAME}: cannot read")),
        };
        Config::parse(&text)
    }

    /// Parses configuration text.
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}", toml_error(FILE_NAME, text, &e)))?;
        // Validate the extra rules now, so a bad regex is reported as a config error.
        config.rule_set()?;
        crate::paths::PathMatcher::new(&config.skip_paths)
            .with_context(|| format!("{FILE_NAME}: skip_paths"))?;
        // A bad glob is reported at the line of its table entry.
        for (table, map) in [
            ("ai_files", &config.ai_files),
            ("environments", &config.environments),
        ] {
            for (name, globs) in map {
                for g in globs {
                    if let Err(e) = globset::Glob::new(g) {
                        let line = text
                            .lines()
                            .position(|l| l.contains(g.as_str()))
                            .map_or(1, |i| i + 1);
                        anyhow::bail!(
                            "{FILE_NAME}:{line}: {table}: {name}: invalid glob `{g}`: {} (fix the pattern)",
                            e.kind()
                        );
                    }
                }
            }
        }
        Ok(config)
    }

    /// The built-in rules plus this config's extra rules, minus the disabled ones.
    pub fn rule_set(&self) -> Result<RuleSet> {
        let mut set = RuleSet::builtin()?;
        for rule in &self.rules {
            set.add(FILE_NAME, rule.clone())?;
        }
        set.disable(&self.disable_rules);
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_a_line() {
        let err = Config::parse("max_file_size = 10\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(".keyhook.toml:2: unknown field `bogus`"),
            "{err}"
        );
    }

    #[test]
    fn defaults() {
        let c = Config::default();
        assert_eq!(c.max_file_size, DEFAULT_MAX_FILE_SIZE);
        assert!(c.disable_rules.is_empty());
    }

    #[test]
    fn ai_pattern_keys_have_defaults_and_are_validated() {
        let c = Config::default();
        assert_eq!(c.reuse_threshold, 3);
        assert!(c.ai_files.is_empty() && c.environments.is_empty());
        let c = Config::parse(
            "reuse_threshold = 5\n[ai_files]\nAcme = ['.acme/chats/**']\n[environments]\nproduction = ['deploy/live/**']\n",
        )
        .unwrap();
        assert_eq!(c.reuse_threshold, 5);
        assert_eq!(c.environments["production"], ["deploy/live/**"]);
        let err = format!(
            "{:#}",
            Config::parse("[environments]\nprod = ['a[']\n").unwrap_err()
        );
        assert!(
            err.starts_with(".keyhook.toml:2: environments: prod: invalid glob `a[`"),
            "{err}"
        );
    }

    #[test]
    fn extra_rule_with_bad_regex_names_the_rule() {
        let err = Config::parse(
            "[[rule]]\nid='corp.key'\nname='Corp'\nkeywords=['corp']\npattern='corp_(['\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("rule corp.key: invalid regex"), "{err}");
    }
}
