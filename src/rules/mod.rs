//! Rules are data: each `rules/<provider>.toml` file holds `[[rule]]` tables with
//! an id, a regex whose single capture group is the secret, the literal keywords
//! that must occur for the rule to be worth running, and inline examples.
//!
//! Built-in files are embedded at build time (see `build.rs`); `.keyhook.toml`
//! can add rules in the same schema. Regexes compile lazily, the first time one of
//! the rule's keywords appears, so a small commit never pays for two hundred of them.

mod check;

pub use check::{builtin_scanner, check_rules, RuleProblem};

use anyhow::{bail, Result};
use regex_automata::meta::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// How a rule's matches are judged after the regex matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A provider's documented token format: the shape itself is the evidence.
    #[default]
    Format,
    /// A secret-named assignment: the value must also look random (entropy and
    /// character classes) and must not be a reference to somewhere else.
    Generic,
}

/// One detection rule, as written in a rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable identifier, `provider.kind` (used by the baseline and config).
    pub id: String,
    /// Human name shown in reports.
    pub name: String,
    /// Literal strings (matched case-insensitively); one must occur for the regex to run.
    pub keywords: Vec<String>,
    /// Regex with exactly one capture group: the secret.
    pub pattern: String,
    /// Minimum Shannon entropy (bits per byte) of the captured secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// What the secret grants and how to rotate it.
    #[serde(default)]
    pub description: String,
    /// How matches are judged.
    #[serde(default)]
    pub kind: RuleKind,
    /// Overlapping matches are resolved in favour of the higher priority.
    #[serde(default)]
    pub priority: i32,
    /// How many bytes past the keyword's line the match may extend (multi-line secrets).
    #[serde(default)]
    pub multiline: usize,
    /// Lines that must give exactly one finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Lines that must give no finding of this rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    #[serde(skip)]
    compiled: OnceLock<Regex>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Rule>,
}

impl Rule {
    /// The compiled regex. Patterns are validated when the rule set is built, so
    /// compiling here cannot fail.
    pub fn regex(&self) -> &Regex {
        self.compiled
            .get_or_init(|| compile(&self.pattern).expect("pattern validated at load"))
    }
}

/// An ordered set of rules with unique ids.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in rules embedded from `rules/*.toml`.
    pub fn builtin() -> Result<RuleSet> {
        let mut set = RuleSet::default();
        for (name, text) in RULE_FILES {
            set.add_toml(&format!("rules/{name}"), text)?;
        }
        Ok(set)
    }

    /// Adds rules from TOML text (`[[rule]]` tables); `origin` names the file in errors.
    pub fn add_toml(&mut self, origin: &str, text: &str) -> Result<()> {
        let file: RuleFile = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}", crate::config::toml_error(origin, text, &e)))?;
        for rule in file.rule {
            self.add(origin, rule)?;
        }
        Ok(())
    }

    /// Adds one rule; its regex is checked now but kept lazily compiled.
    pub fn add(&mut self, origin: &str, rule: Rule) -> Result<()> {
        if self.rules.iter().any(|r| r.id == rule.id) {
            bail!("{origin}: rule {}: duplicate rule id", rule.id);
        }
        // Syntax is checked cheaply by the parser only; full compilation is
        // deferred to first use, but a broken pattern must fail at load.
        regex_syntax_check(origin, &rule)?;
        self.rules.push(rule);
        Ok(())
    }

    /// Drops the rules whose ids are listed (from `.keyhook.toml`).
    pub fn disable(&mut self, ids: &[String]) {
        self.rules.retain(|r| !ids.contains(&r.id));
    }

    /// All rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Finds a rule by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Compiles a rule pattern with regex-automata's meta engine, tuned for how
/// keyhook runs it: only on short windows the keyword prefilter already chose.
/// So the regex gets no literal prefilter of its own (extracting one from a
/// case-insensitive alternation dominated compile time, ~300 µs a rule, paid on
/// every commit that mentions a keyword), and no Unicode classes (secrets are
/// ASCII; `\s`, `\w` and `[^...]` stay small byte automata). `(?u)` re-enables
/// Unicode inside a pattern that needs it.
pub fn compile(pattern: &str) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
    use regex_automata::{meta, util::syntax};
    meta::Builder::new()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(meta::Config::new().utf8_empty(false).auto_prefilter(false))
        .build(pattern)
        .map_err(Box::new)
}

/// Parses the pattern (fast) and checks the capture-group count without building
/// the automaton, so loading 100+ rules stays cheap on every commit.
fn regex_syntax_check(origin: &str, rule: &Rule) -> Result<()> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(&rule.pattern)
        .map_err(|e| {
            anyhow::anyhow!(
                "{origin}: rule {}: invalid regex: {} (fix the `pattern`)",
                rule.id,
                e.to_string().lines().last().unwrap_or("syntax error")
            )
        })?;
    let groups = hir.properties().explicit_captures_len();
    if groups != 1 {
        bail!(
            "{origin}: rule {}: pattern must have exactly one capture group (the secret), found {groups}",
            rule.id
        );
    }
    if rule.keywords.is_empty() || rule.keywords.iter().any(|k| k.trim().is_empty()) {
        bail!(
            "{origin}: rule {}: needs at least one non-empty keyword",
            rule.id
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_and_ids_are_unique() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.rules().len() >= 100, "only {} rules", set.rules().len());
    }

    #[test]
    fn every_rules_file_is_embedded() {
        let mut on_disk: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect();
        on_disk.sort();
        let embedded: Vec<String> = RULE_FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn invalid_regex_names_the_rule() {
        let mut set = RuleSet::default();
        let err = set
            .add_toml(
                "x.toml",
                "[[rule]]\nid='a.b'\nname='A'\nkeywords=['k']\npattern='(unclosed'\n",
            )
            .unwrap_err();
        assert!(err.to_string().contains("rule a.b: invalid regex"), "{err}");
    }

    #[test]
    fn pattern_needs_one_capture_group() {
        let mut set = RuleSet::default();
        let err = set
            .add_toml(
                "x.toml",
                "[[rule]]\nid='a.b'\nname='A'\nkeywords=['k']\npattern='k[0-9]+'\n",
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("exactly one capture group"),
            "{err}"
        );
    }
}
