//! keyhook: a git hook that stops API keys and other secrets from entering a
//! repository. The library holds everything; `main.rs` only parses arguments
//! and maps the outcome to an exit code, so tests and benches call the same code.
//!
//! Data flows source → prefilter → rule → filters → baseline → report:
//! [`source`] yields changed blobs and their added lines, [`scan`] finds and
//! judges candidate secrets, [`pipeline`] applies config and baseline, and
//! [`report`] renders [`finding::Finding`]s, which never hold a raw secret.

pub mod agent;
pub mod atomic;
pub mod base64;
pub mod baseline;
pub mod canary;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod detect;
pub mod finding;
pub mod fingerprint;
pub mod hooks;
pub mod ledger;
pub mod outcome;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod redact;
pub mod repo;
pub mod report;
pub mod review;
pub mod rules;
pub mod scan;
pub mod sessions;
pub mod source;
pub mod workers;
