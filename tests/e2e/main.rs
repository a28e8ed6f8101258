//! End-to-end tests: real temporary repositories, real `git`, the real binary.

mod ai_ledger;
mod ai_patterns;
mod baseline;
mod commit_source;
mod dogfood;
mod fixtures;
mod harness;
mod hook_managers;
mod install;
mod judgement;
mod keyhook_toml;
mod pre_commit;
mod pre_push;
mod scan;
mod selftest;
