//! `keyhook rules check`: every rule's examples through the whole scanner
//! (prefilter, entropy, placeholder filter, overlap resolution), not just its
//! regex. A positive must give exactly one finding, of that rule; a negative
//! must give none at all.

use super::{Added, FindingContext, GenericPolicy, Scanner};
use crate::rules::RuleSet;

/// One rule whose data is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// The rule.
    pub rule: String,
    /// What is wrong, with the example.
    pub problem: String,
}

/// Path the examples are scanned under: neutral, so no path-based check fires.
const EXAMPLE_PATH: &str = "case.txt";

/// Checks every rule of `set` against its own examples using `scanner`, which
/// must have been built from the same rules.
pub fn check_rules(scanner: &Scanner) -> Vec<RuleProblem> {
    let set: &RuleSet = scanner.rules();
    let ctx = FindingContext {
        salt: "rules-check".into(),
    };
    let mut problems = Vec::new();
    let mut report = |rule: &str, problem: String| {
        problems.push(RuleProblem {
            rule: rule.to_string(),
            problem,
        })
    };
    for rule in set.rules() {
        if rule.examples.is_empty() {
            report(rule.id, "has no examples".into());
        }
        if rule.negative_examples.is_empty() {
            report(rule.id, "has no negative examples".into());
        }
        if let Err(e) = crate::rules::compile(rule.pattern) {
            report(rule.id, format!("regex does not compile: {e}"));
            continue;
        }
        // Each example is scanned as written and as a line in a file (with its
        // newline), the way the hook sees it: trailing context in a pattern
        // must work at the end of the text and before a newline alike.
        let as_line = |ex: &str| [ex.to_string(), format!("{ex}\n")];
        for ex in rule.examples {
            for text in as_line(ex) {
                let found = scanner
                    .scan_file(EXAMPLE_PATH, text.as_bytes(), &Added::All, &ctx)
                    .findings;
                let ids: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
                if ids != [rule.id] {
                    report(
                        rule.id,
                        format!(
                            "example gave {ids:?} instead of exactly one {}: {ex}",
                            rule.id
                        ),
                    );
                    break;
                }
            }
        }
        for ex in rule.negative_examples {
            for text in as_line(ex) {
                let found = scanner
                    .scan_file(EXAMPLE_PATH, text.as_bytes(), &Added::All, &ctx)
                    .findings;
                if !found.is_empty() {
                    let ids: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
                    report(rule.id, format!("negative example gave {ids:?}: {ex}"));
                    break;
                }
            }
        }
    }

    problems
}

/// A scanner over the built-in rules with default thresholds.
pub fn builtin_scanner() -> anyhow::Result<Scanner> {
    Ok(Scanner::new(
        RuleSet::builtin()?,
        GenericPolicy::default(),
        u64::MAX,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in rule's positive and negative examples hold through the whole pipeline.
    #[test]
    fn every_builtin_rule_passes_its_examples() {
        let scanner = builtin_scanner().unwrap();
        let problems = check_rules(&scanner);
        let text: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.rule, p.problem))
            .collect();
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            text.join("\n")
        );
    }
}
