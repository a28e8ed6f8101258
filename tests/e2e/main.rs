//! End-to-end tests: real temporary repositories, real `git`, the real binary.

mod ai_ledger;
mod ai_patterns;
mod commit_source;
mod harness;
mod pre_commit;
