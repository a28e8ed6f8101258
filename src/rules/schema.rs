//! The schema of a rules file, shared by `build.rs` (which parses and validates
//! the built-in rules at build time) and the library (which parses extra rules
//! from `.keyhook.toml`). One definition, so the two can never disagree.

use serde::Deserialize;

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

/// One `[[rule]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Stable identifier, `provider.kind`.
    pub id: String,
    /// Human name shown in reports.
    pub name: String,
    /// Literal strings (case-insensitive); one must occur for the regex to run.
    pub keywords: Vec<String>,
    /// Regex with exactly one capture group: the secret.
    pub pattern: String,
    /// Minimum Shannon entropy (bits per byte) of the captured secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// What the secret grants and how to rotate it.
    #[serde(default)]
    pub description: String,
    /// What to do about a finding, when the general advice (move the value to
    /// the environment or a secret manager, rotate it) does not fit.
    #[serde(default)]
    pub fix: Option<String>,
    /// How matches are judged.
    #[serde(default)]
    pub kind: RuleKind,
    /// Overlapping matches go to the higher priority.
    #[serde(default)]
    pub priority: i32,
    /// Bytes past the keyword's line the match may extend (multi-line secrets).
    #[serde(default)]
    pub multiline: usize,
    /// Lines that must give exactly one finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Lines that must give no finding at all.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A rules file: `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// The rules, in file order.
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

/// Checks what can be checked without compiling the regex: the pattern parses
/// (bytes, no Unicode classes, as `compile` builds it), it has exactly one
/// capture group, and there is at least one keyword, each at least 3 bytes.
pub fn validate(rule: &RawRule) -> Result<(), String> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(&rule.pattern)
        .map_err(|e| {
            format!(
                "rule {}: invalid regex: {} (fix the `pattern`)",
                rule.id,
                e.to_string()
                    .lines()
                    .last()
                    .unwrap_or("syntax error")
                    .trim()
            )
        })?;
    let groups = hir.properties().explicit_captures_len();
    if groups != 1 {
        return Err(format!(
            "rule {}: pattern must have exactly one capture group (the secret), found {groups}",
            rule.id
        ));
    }
    if rule.keywords.is_empty() {
        return Err(format!("rule {}: needs at least one keyword", rule.id));
    }
    if let Some(k) = rule.keywords.iter().find(|k| k.len() < 3) {
        return Err(format!(
            "rule {}: keyword {k:?} is shorter than 3 bytes (the prefilter indexes keywords by their first three)",
            rule.id
        ));
    }
    Ok(())
}
