//! The `geoevents` binary: parses flags into a validated config and hands it to the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// The pipeline makes many small, short-lived strings per document; mimalloc's thread-local
// free lists serve them at a fraction of the system allocator's cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A damaged index can make the fst reader panic; the library turns that into an error.
        if !geoevents::gazetteer::panic_is_contained() {
            default_hook(info);
        }
    }));
    // Stopped by Ctrl-C, SIGTERM or SIGHUP: remove this run's temporary files and folder locks
    // (finished layers stay), then exit as a stopped process does. The handler runs on its own
    // thread.
    let _ = ctrlc::set_handler(|| geoevents::output::remove_live_files_and_exit(130));
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
