//! End-to-end tests: real temporary repositories, real `git`, the real binary.

mod baseline;
mod commit_source;
mod harness;
mod keyhook_toml;
mod pre_commit;
mod scan;
mod selftest;
