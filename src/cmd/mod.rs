//! One module per subcommand; each returns an [`Outcome`](crate::outcome::Outcome).

pub mod agent;
pub mod baseline;
pub mod doctor;
pub mod global;
pub mod install;
pub mod ledger;
pub mod pre_commit;
pub mod pre_push;
pub mod pre_receive;
pub mod rules;
pub mod scan;
pub mod selftest;
pub mod status;
pub mod uninstall;
