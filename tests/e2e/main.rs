//! End-to-end tests: real temporary repositories, real `git`, the real binary.

mod agent;
mod ai_ledger;
mod ai_patterns;
mod baseline;
mod ci_workflow;
mod commit_source;
mod differential;
mod doctor;
mod dogfood;
mod filekinds;
mod fixtures;
mod global_install;
mod harness;
mod hook_managers;
mod index_formats;
mod install;
mod judgement;
mod keyhook_toml;
mod pre_commit;
mod pre_commit_framework;
mod pre_push;
mod pre_receive;
mod release_build;
mod scan;
mod selftest;
mod staged_bytes;
