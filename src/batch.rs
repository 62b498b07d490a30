//! Many documents at once: read in chunks, each chunk's documents worked on in parallel (rayon),
//! results handed back in input order. Memory stays bounded whatever the archive's size: at most
//! three chunks (being read, worked on, written) of `CHUNK_DOCS` documents or about `CHUNK_BYTES`
//! of text are held at a time.

use std::sync::mpsc;

use rayon::prelude::*;

use crate::input::{Document, InputError};

/// Documents per chunk: enough to keep every core busy between ordered writes.
const CHUNK_DOCS: usize = 256;
/// Text per chunk, in bytes; a chunk also ends here, so a few huge documents do not pile up.
const CHUNK_BYTES: usize = 16 << 20;

/// One document's outcome, in input order.
pub enum Outcome<T> {
    /// The document and what `work` made of it (its own error, if it failed).
    Done(Document, T),
    /// The input could not be read (named file and line); the run goes on.
    Unreadable(InputError),
}

/// Runs `work` on every document of `docs` on `pool`, calling `sink` with each outcome in input
/// order. Stops early when `sink` returns an error, which it returns.
pub fn run<T, E, W, S>(
    pool: &rayon::ThreadPool,
    docs: impl Iterator<Item = Result<Document, InputError>>,
    work: W,
    mut sink: S,
) -> Result<(), E>
where
    T: Send,
    W: Fn(&Document) -> T + Sync,
    S: FnMut(Outcome<T>) -> Result<(), E>,
{
    type Chunk = Vec<Result<Document, InputError>>;
    let mut docs = docs.peekable();
    let work = &work;
    // While the workers are on one chunk, this thread reads the next and writes the last: reading
    // and writing do not hold the cores up.
    pool.in_place_scope(|scope| {
        let mut pending: Option<mpsc::Receiver<(Chunk, Vec<Option<T>>)>> = None;
        loop {
            let chunk = next_chunk(&mut docs);
            let next = (!chunk.is_empty()).then(|| {
                let (tx, rx) = mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    let results: Vec<Option<T>> = chunk
                        .par_iter()
                        .map(|d| d.as_ref().ok().map(work))
                        .collect();
                    // The receiver is gone only when the sink failed; nothing is left to tell.
                    let _ = tx.send((chunk, results));
                });
                rx
            });
            if let Some(rx) = pending.take() {
                let (chunk, results) = rx.recv().expect("a spawned chunk sends its results");
                for (d, r) in chunk.into_iter().zip(results) {
                    match (d, r) {
                        (Ok(doc), Some(t)) => sink(Outcome::Done(doc, t))?,
                        (Err(e), _) => sink(Outcome::Unreadable(e))?,
                        (Ok(_), None) => unreachable!("every readable document is worked on"),
                    }
                }
            }
            match next {
                Some(rx) => pending = Some(rx),
                None => return Ok(()),
            }
        }
    })
}

/// Up to `CHUNK_DOCS` documents or about `CHUNK_BYTES` of text.
fn next_chunk(
    docs: &mut impl Iterator<Item = Result<Document, InputError>>,
) -> Vec<Result<Document, InputError>> {
    take(docs, CHUNK_DOCS, CHUNK_BYTES)
}

/// The next `max_docs` documents of `docs`, or fewer once they hold `max_bytes` of text.
pub fn take(
    docs: &mut impl Iterator<Item = Result<Document, InputError>>,
    max_docs: usize,
    max_bytes: usize,
) -> Vec<Result<Document, InputError>> {
    let mut chunk = Vec::with_capacity(max_docs.min(CHUNK_DOCS));
    let mut bytes = 0;
    while chunk.len() < max_docs && bytes < max_bytes {
        let Some(d) = docs.next() else { break };
        if let Ok(doc) = &d {
            bytes += doc.text.len();
        }
        chunk.push(d);
    }
    chunk
}

/// A thread pool of `threads` workers (0: one per core).
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: usize) -> Result<Document, InputError> {
        Ok(Document {
            id: id.to_string(),
            text: "x".repeat(id % 7),
            date: None,
            country: None,
            title: None,
            url: None,
            lang: None,
            source: "test".into(),
            warnings: Vec::new(),
            part: Default::default(),
        })
    }

    #[test]
    fn outcomes_come_back_in_input_order_across_chunks_and_threads() {
        let pool = pool(2).unwrap();
        let n = CHUNK_DOCS * 3 + 5;
        let docs = (0..n).map(|i| {
            if i == 300 {
                Err(InputError {
                    location: "bad.jsonl:300".into(),
                    message: "not JSON".into(),
                    warning: false,
                })
            } else {
                doc(i)
            }
        });
        let mut seen = Vec::new();
        run(
            &pool,
            docs,
            |d| d.text.len(),
            |o| -> Result<(), ()> {
                seen.push(match o {
                    Outcome::Done(d, len) => {
                        assert_eq!(d.text.len(), len);
                        d.id
                    }
                    Outcome::Unreadable(e) => e.location,
                });
                Ok(())
            },
        )
        .unwrap();
        let want: Vec<String> = (0..n)
            .map(|i| {
                if i == 300 {
                    "bad.jsonl:300".into()
                } else {
                    i.to_string()
                }
            })
            .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let pool = pool(1).unwrap();
        let mut calls = 0;
        let r = run(
            &pool,
            (0..1000).map(doc),
            |_| (),
            |_| {
                calls += 1;
                if calls == 3 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("disk full"));
        assert_eq!(calls, 3);
    }
}
