//! `geoevents serve`: the library over HTTP, with a live map page.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use geoevents::serve::{
    self, Config, DEFAULT_MAX_BODY_MB, DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_WAITING,
    DEFAULT_TIMEOUT_SECS,
};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. The default answers this machine only; another address (0.0.0.0)
    /// lets anyone who can reach it send text to geoparse and read the answers (see the README)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: SocketAddr,
    /// Pipeline worker threads, shared by all requests; 0 uses one per core
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    threads: usize,
    /// The largest request body, in MB (2^20 bytes); a larger one gets 413
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_MB as u64, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_body_mb: u64,
    /// How long a request may take, waiting included, in seconds; a slower one gets 503
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECS, value_name = "S",
          value_parser = clap::value_parser!(u64).range(1..=86400))]
    timeout_secs: u64,
    /// Requests worked on at once (each holds its body in memory); more wait for a turn
    #[arg(long, default_value_t = DEFAULT_MAX_CONCURRENT, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    max_concurrent: usize,
    /// Requests that may wait for a turn; one more gets 503 with Retry-After at once
    #[arg(long, default_value_t = DEFAULT_MAX_WAITING, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1_000_000))]
    max_waiting: usize,
}

pub fn run(args: ServeArgs, gazetteer: Option<&Path>) -> anyhow::Result<ExitCode> {
    let gaz: &'static geoevents::Gazetteer = match super::open_gazetteer(gazetteer)? {
        super::OpenGazetteer::Embedded(g) => g,
        // The server runs until the process ends; so does its gazetteer.
        super::OpenGazetteer::File(g) => Box::leak(g),
    };
    let config = Config {
        addr: args.addr,
        threads: args.threads,
        max_body_bytes: (args.max_body_mb as usize) << 20,
        timeout: Duration::from_secs(args.timeout_secs),
        max_concurrent: args.max_concurrent,
        max_waiting: args.max_waiting,
    };
    let loopback = args.addr.ip().is_loopback();
    serve::serve(config, gaz, move |bound| {
        eprintln!("geoevents: serving on http://{bound}/ (Ctrl-C stops)");
        if !loopback {
            eprintln!(
                "geoevents: warning: {} is not a loopback address: anyone who can reach it may \
                 send text to geoparse and read the answers; there is no authentication",
                bound.ip()
            );
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
