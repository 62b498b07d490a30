//! The `geoevents` binary: parses flags into a validated config and hands it to the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            if cli::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("geoevents: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
