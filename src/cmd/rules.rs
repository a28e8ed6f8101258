//! `keyhook rules list|check`.

use crate::outcome::Outcome;
use crate::rules::RuleSet;
use crate::scan::check::check_rules;
use crate::scan::{GenericPolicy, Scanner};
use anyhow::Result;
use clap::Subcommand;

/// `keyhook rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List every rule: id and name.
    List,
    /// Run every rule's examples through the scanner; exit 1 on any problem.
    Check,
}

/// Lists or checks the rules in force here (built-in plus `.keyhook.toml`).
pub fn run(action: RulesAction) -> Result<Outcome> {
    let rules = match crate::repo::open()
        .ok()
        .and_then(|r| r.workdir().map(|p| p.to_path_buf()))
    {
        Some(root) => crate::config::Config::load(&root)?.rule_set()?,
        None => RuleSet::builtin()?,
    };
    match action {
        RulesAction::List => {
            for r in rules.rules() {
                println!("{:<40} {}", r.id, r.name);
            }
            Ok(Outcome::Clean)
        }
        RulesAction::Check => {
            let n = rules.rules().len();
            let scanner = Scanner::new(rules, GenericPolicy::default(), u64::MAX);
            let problems = check_rules(&scanner);
            for p in &problems {
                eprintln!("keyhook: rule {}: {}", p.rule, p.problem);
            }
            if problems.is_empty() {
                println!("keyhook: {n} rules, every example behaves");
                Ok(Outcome::Clean)
            } else {
                eprintln!("keyhook: {} problems", problems.len());
                Ok(Outcome::Findings)
            }
        }
    }
}
