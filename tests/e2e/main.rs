//! End-to-end tests: real temporary repositories, real `git`, the real binary.

mod agent;
mod ai_ledger;
mod ai_patterns;
mod baseline;
mod commit_source;
mod differential;
mod dogfood;
mod filekinds;
mod fixtures;
mod harness;
mod hook_managers;
mod index_formats;
mod install;
mod keyhook_toml;
mod pre_commit;
mod pre_push;
mod scan;
mod selftest;
mod staged_bytes;
