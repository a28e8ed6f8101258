//! Entry point: parse arguments, run, map the outcome to an exit code.

use clap::Parser;
use keyhook::cli::{self, Cli};
use keyhook::outcome;

fn main() {
    let cli = Cli::parse();
    outcome::report_panics();
    std::process::exit(outcome::exit_code(|| cli::run(cli)));
}
