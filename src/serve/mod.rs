//! `geoevents serve`: the library over HTTP, for web maps, notebooks and newsroom tools.
//!
//! `GET /lookup`, `POST /places`, `POST /map`, `GET /` (a live map page) and `GET /healthz`; see
//! `docs/serve.md`. axum on one tokio thread takes the connections and answers lookups (microseconds
//! each); the pipeline runs off it: each request's documents are read on a blocking thread, which
//! hands them to one rayon pool of `threads` workers shared by every request
//! (`run::each_document`), so the answers are the CLI's.
//!
//! Limits: a request waits for one of `max_concurrent` slots (at most `max_waiting` wait; beyond
//! that it gets 503 with `Retry-After`), its body may hold `max_body_bytes` (413 beyond), and it
//! is answered within `timeout` of arriving (else 503, and its documents not yet read are
//! dropped; 408 when its body has not arrived by then). Everything a client sends that cannot be
//! read gets a 4xx with `{"error": "..."}` saying what to fix; a panic in one request's work is
//! caught and answered 500 without taking the server down.

mod params;
mod reply;
mod routes;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::{Error, Gazetteer, Result};

pub use reply::Reply;

/// How the server runs. `Config::default()` is what `geoevents serve` does without flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; a port of 0 takes a free one (the bound address goes to `on_ready`).
    pub addr: SocketAddr,
    /// Pipeline worker threads; 0 uses one per core.
    pub threads: usize,
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long a request may take from arrival to answer, waiting included.
    pub timeout: Duration,
    /// Requests worked on at once (each holds its body and a blocking thread).
    pub max_concurrent: usize,
    /// Requests waiting for a slot; one more gets 503 with `Retry-After`.
    pub max_waiting: usize,
}

/// `--max-body-mb`'s default.
pub const DEFAULT_MAX_BODY_MB: usize = 10;
/// `--timeout-secs`' default.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// `--max-concurrent`'s default.
pub const DEFAULT_MAX_CONCURRENT: usize = 32;
/// `--max-waiting`'s default.
pub const DEFAULT_MAX_WAITING: usize = 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            threads: 0,
            max_body_bytes: DEFAULT_MAX_BODY_MB << 20,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            max_waiting: DEFAULT_MAX_WAITING,
        }
    }
}

/// What every request shares.
struct Shared {
    gaz: &'static Gazetteer,
    pool: rayon::ThreadPool,
    /// The gazetteer in a line, for `/healthz`.
    description: String,
    config: Config,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
}

type State = Arc<Shared>;

/// Serves until the process is stopped; `on_ready` is told the address once it listens. Fails
/// only when the address cannot be bound or the workers cannot start.
pub fn serve(
    config: Config,
    gaz: &'static Gazetteer,
    on_ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> Result<()> {
    let failed = |detail: String| Error::Serve {
        addr: config.addr.to_string(),
        detail,
    };
    let pool = crate::batch::pool(config.threads)
        .map_err(|e| failed(format!("cannot start the worker threads: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // Connections, their I/O and lookups; the pipeline has its own threads. One is enough
        // (over 35,000 lookups a second on this project's machine) and keeps the tail short.
        .worker_threads(1)
        .max_blocking_threads(config.max_concurrent.max(1) + 8)
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start the async runtime: {e}")))?;
    let shared = Arc::new(Shared {
        gaz,
        pool,
        description: describe(gaz),
        slots: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
        waiting: AtomicUsize::new(0),
        config: config.clone(),
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| {
                failed(format!(
                    "{e} (is another server on that port? try --addr 127.0.0.1:0 for a free one)"
                ))
            })?;
        let bound = listener.local_addr().map_err(|e| failed(e.to_string()))?;
        on_ready(bound);
        axum::serve(listener, routes::router(shared))
            .await
            .map_err(|e| failed(e.to_string()))
    })
}

/// The gazetteer in one line: `GeoNames … (N places, built …)`.
fn describe(gaz: &Gazetteer) -> String {
    match gaz.meta() {
        Ok(meta) => {
            let sources: Vec<&str> = meta.sources.iter().map(|s| s.file.as_str()).collect();
            format!(
                "gazetteer: {}, {} places from {}; built {} by {}",
                gaz.path().display(),
                meta.counts.places,
                sources.join(", "),
                meta.built_at,
                meta.generator
            )
        }
        Err(e) => format!(
            "gazetteer: {} (its description cannot be read: {e})",
            gaz.path().display()
        ),
    }
}

/// A slot to work in, held until the work ends; waits (counted) until `deadline` when all are
/// taken, or is refused at once when `max_waiting` requests already wait.
async fn admit(
    state: &Shared,
    deadline: Instant,
) -> std::result::Result<OwnedSemaphorePermit, Reply> {
    if let Ok(permit) = state.slots.clone().try_acquire_owned() {
        return Ok(permit);
    }
    struct Waiting<'a>(&'a AtomicUsize);
    impl Drop for Waiting<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let before = state.waiting.fetch_add(1, Ordering::SeqCst);
    let _waiting = Waiting(&state.waiting);
    if before >= state.config.max_waiting {
        return Err(Reply::busy(format!(
            "the server is busy: {} requests are being worked on and {before} are waiting \
             (--max-concurrent, --max-waiting); retry in a moment",
            state.config.max_concurrent
        )));
    }
    match tokio::time::timeout_at(deadline, state.slots.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(Reply::busy(format!(
            "the server stayed busy for the whole request time ({} s, --timeout-secs); retry \
             in a moment",
            state.config.timeout.as_secs()
        ))),
    }
}
