//! Entry point: parse arguments, run, map the outcome to an exit code.

use clap::Parser;
use keyhook::cli::{self, Cli};
use keyhook::outcome::EXIT_ERROR;

fn main() {
    let cli = Cli::parse();
    let code = match cli::run(cli) {
        Ok(outcome) => outcome.code(),
        Err(e) => {
            // One line: the context chain joined, most specific last.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("keyhook: error: {}", msg.join(": "));
            EXIT_ERROR
        }
    };
    std::process::exit(code);
}
