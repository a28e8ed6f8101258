//! keyhook: a git hook that stops API keys and other secrets from entering a
//! repository. The library holds everything; `main.rs` only parses arguments
//! and maps the outcome to an exit code, so tests and benches call the same code.
//!
//! Data flows source → scan → detect → baseline → ledger → report, and the
//! [`pipeline`] is what runs it. The modules are layered: each one, listed
//! here from the top down with its job, may use only modules listed below it
//! (`layering` tests this against every `crate::` path in `src/`):
//!
//! - [`cli`]: the command line (clap; its doc comments are `--help`) and the dispatch to `cmd`
//! - [`cmd`]: one module per subcommand, each returning an [`outcome::Outcome`]
//! - [`agent`]: the AI agent guard: an agent's hook event in, its protocol's answer out
//! - [`sessions`]: finds and scans local AI tool session stores (`scan --ai-sessions`)
//! - [`review`]: the interactive walk through findings for the baseline
//! - [`canary`]: fresh fake keys of each provider family for `selftest`
//! - [`hooks`]: installing, chaining and removing the git hook shims
//! - [`pipeline`]: changes to findings: read, scan, detect, baseline; work-tree and history drivers
//! - [`ledger`]: where each secret already is, and the cross-environment and reuse judgements
//! - [`source`]: what changed and its bytes: git's index, HEAD, pushes, commits, the work tree
//! - [`report`]: what a check produced ([`report::CheckReport`]) and its human, JSON and SARIF forms
//! - [`detect`]: path-aware detectors: AI transcripts, MCP configs, env files, manifests, public env
//! - [`baseline`]: accepted findings: `.keyhook-baseline.toml`, its salt and its atomic store
//! - [`scan`]: the scanner: prefilter, rules, generic judgement, placeholders, file kinds
//! - [`config`]: `.keyhook.toml` as plain data, with its defaults
//! - [`rules`]: the rule schema, the built-in rule set and the compiled matchers
//! - [`finding`]: a finding and its provenance; never holds a raw secret
//! - [`redact`]: the one place that turns a secret into what may be shown
//! - [`fingerprint`]: salted fingerprints of secrets
//! - [`paths`]: path globs (`skip_paths`, environments, AI files)
//! - [`repo`]: opening the repository and its paths
//! - [`workers`]: the work queue that spreads files over the cores
//! - [`progress`]: the progress line of long scans
//! - [`outcome`]: a command's outcome and its exit code
//! - [`atomic`]: atomic file writes (temporary file, then rename)
//! - [`base64`]: base64 decoding for Kubernetes secrets and key shapes
//! - [`memohash`]: the keyed fast hash of the scanner's memo tables
//! - [`toml_error`]: one-line TOML errors naming the file and line

pub mod cli;
pub mod cmd;

pub mod agent;
pub mod canary;
pub mod hooks;
pub mod review;
pub mod sessions;

pub mod pipeline;

pub mod baseline;
pub mod detect;
pub mod ledger;
pub mod report;
pub mod source;

pub mod config;
pub mod rules;
pub mod scan;

pub mod atomic;
pub mod base64;
pub mod finding;
pub mod fingerprint;
pub mod memohash;
pub mod outcome;
pub mod paths;
pub mod progress;
pub mod redact;
pub mod repo;
pub mod toml_error;
pub mod workers;

#[cfg(test)]
mod layering;
#[cfg(test)]
mod testrng;
