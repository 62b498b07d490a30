//! The endpoints: what each reads from a request, and the answer it makes with the library.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State as Extract};
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::params::Params;
use super::reply::{Reply, ERRORS_HEADER, WARNINGS_HEADER};
use super::{admit, Shared, State};
use crate::batch::Outcome;
use crate::input::{self, Document, InputError};
use crate::layers::{LayerFormat, Origin, Writer};
use crate::lookup::{lookup as lookup_name, LookupOptions, LookupResult};
use crate::run::{self, Settings};
use crate::theatre::{Near, Prior};

pub fn router(state: State) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/lookup", get(lookup))
        .route("/places", post(places))
        .route("/map", post(map))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// The query string's pairs, or a 400 saying why they cannot be read.
fn pairs(query: Pairs) -> Result<Vec<(String, String)>, Reply> {
    query
        .map(|Query(p)| p)
        .map_err(|e| Reply::bad_request(format!("the query string cannot be read: {e}")))
}

/// A reply either way.
fn either(r: Result<Reply, Reply>) -> Reply {
    r.unwrap_or_else(|e| e)
}

async fn not_found() -> Reply {
    Reply::error(
        StatusCode::NOT_FOUND,
        "no such endpoint; there are GET /, GET /healthz, GET /lookup, POST /places and POST /map",
    )
}

async fn method_not_allowed() -> Reply {
    Reply::error(
        StatusCode::METHOD_NOT_ALLOWED,
        "wrong method: GET /, /healthz and /lookup; POST /places and /map (with a body)",
    )
}

async fn healthz(Extract(state): Extract<State>) -> Reply {
    Reply::ok(
        "text/plain; charset=utf-8",
        format!("ok\n{}\n", state.description).into_bytes(),
    )
}

async fn page() -> Reply {
    let mut reply = Reply::ok(
        "text/html; charset=utf-8",
        crate::layers::html::live_page().into_bytes(),
    );
    reply.headers.push((
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(crate::layers::html::LIVE_CSP),
    ));
    reply
}

/// The longest name `/lookup` takes, in characters.
const LONGEST_QUERY: usize = 1000;
/// The most candidates `/lookup` gives.
const MOST_CANDIDATES: usize = 100;

async fn lookup(Extract(state): Extract<State>, query: Pairs) -> Reply {
    either(lookup_reply(state, query).await)
}

async fn lookup_reply(state: State, query: Pairs) -> Result<Reply, Reply> {
    let mut p = Params::new(
        pairs(query)?,
        &["q", "country", "feature_class", "near", "limit"],
    )?;
    let q = p
        .text("q")
        .ok_or_else(|| Reply::bad_request("give the name to look up as `q`: /lookup?q=Bakhmut"))?;
    if q.chars().count() > LONGEST_QUERY {
        return Err(Reply::bad_request(format!(
            "`q` is longer than {LONGEST_QUERY} characters; a place name is shorter"
        )));
    }
    let near = p.parsed("near", |v| match v.split(',').count() {
        2 => Near::parse(v),
        _ => Err(format!(
            "`{v}` is not LAT,LON (degrees, e.g. 48.59,38.0); /lookup takes no distance"
        )),
    })?;
    let opts = LookupOptions {
        countries: p.countries("country")?,
        feature_classes: p
            .parsed("feature_class", |v| {
                v.split(',')
                    .map(|c| match c.trim().chars().collect::<Vec<_>>()[..] {
                        [c] if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
                        _ => Err(format!(
                            "`{c}` is not a GeoNames feature class (one letter: P, A, H, L, T, S, R, V, U)"
                        )),
                    })
                    .collect()
            })?
            .unwrap_or_default(),
        limit: p.number("limit", 1..=MOST_CANDIDATES)?.unwrap_or(5),
        near: near.map(|n| (n.lat, n.lon)),
    };
    // A lookup takes microseconds: it runs here, where handing it to another thread would cost
    // more than it does; a panic in it is caught all the same.
    let found = std::panic::catch_unwind(AssertUnwindSafe(|| lookup_name(state.gaz, &q, &opts)));
    let result = match found {
        Ok(Ok(results)) => LookupResult { query: q, results },
        Ok(Err(e)) => {
            return Err(Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the lookup failed: {e}"),
            ))
        }
        Err(_) => return Err(bug()),
    };
    let mut body = serde_json::to_vec_pretty(&result).unwrap_or_default();
    body.push(b'\n');
    Ok(Reply::ok("application/json", body))
}

/// The parameters `/places` and `/map` share, read into the run's settings.
fn settings(p: &mut Params) -> Result<Settings, Reply> {
    Ok(Settings {
        prior: Prior {
            countries: p.countries("country")?,
            near: p.near("near")?,
            theatre: None,
        },
        theatre: p.flag("theatre")?.unwrap_or(true),
        lang: p.lang("lang")?,
        ..Settings::default()
    })
}

/// Whether a body is JSON Lines (true) or one plain-text document (false), from its content type.
fn json_lines(headers: &HeaderMap) -> Result<bool, Reply> {
    let unsupported = |found: &str| {
        Reply::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "{found}; send one document as `Content-Type: text/plain` (UTF-8), or one JSON \
                 object per line ({{\"id\", \"text\", \"date\"}}) as `application/x-ndjson` \
                 (curl: -H 'Content-Type: text/plain' --data-binary @report.txt)"
            ),
        )
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported("no Content-Type"));
    };
    let value = value
        .to_str()
        .map_err(|_| unsupported("a Content-Type that is not text"))?;
    let mut parts = value.split(';').map(|s| s.trim().to_ascii_lowercase());
    let kind = parts.next().unwrap_or_default();
    for param in parts {
        if let Some(charset) = param.strip_prefix("charset=") {
            let charset = charset.trim_matches('"');
            if !matches!(charset, "utf-8" | "utf8" | "us-ascii") {
                return Err(unsupported(&format!("charset {charset}")));
            }
        }
    }
    match kind.as_str() {
        "text/plain" => Ok(false),
        "application/x-ndjson"
        | "application/jsonl"
        | "application/json-lines"
        | "application/x-jsonlines" => Ok(true),
        other => Err(unsupported(&format!("Content-Type {other}"))),
    }
}

/// What `/places` and `/map` do once their parameters are read: tell the body's kind, wait for a
/// slot, read the body, and run `work` on its documents on a blocking thread (told to stop at the
/// deadline), the slot held until it ends.
async fn with_documents(
    state: &State,
    headers: &HeaderMap,
    body: &mut Option<Body>,
    deadline: Instant,
    id: Option<String>,
    work: impl FnOnce(&Shared, Vec<Result<Document, InputError>>, &AtomicBool) -> Reply + Send + 'static,
) -> Result<Reply, Reply> {
    let json_lines = json_lines(headers)?;
    id_fits(&id, json_lines)?;
    let permit = admit(state, deadline).await?;
    let body = read_body(state, headers, body.take().unwrap_or_default(), deadline).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    let (shared, stop) = (state.clone(), cancel.clone());
    blocking(deadline, state.config.timeout, Some(cancel), move || {
        let _permit = permit;
        work(&shared, documents(body, json_lines, id), &stop)
    })
    .await
}

/// `?id=` names a text body's one document; JSON Lines carry their own ids.
fn id_fits(id: &Option<String>, json_lines: bool) -> Result<(), Reply> {
    if json_lines && id.is_some() {
        return Err(Reply::bad_request(
            "parameter `id` names a text/plain body's document; in JSON Lines each line gives its \
             own `id`",
        ));
    }
    Ok(())
}

/// Reads and drops a body a request was answered without (a bad parameter, a busy server), up
/// to the limit and for at most the request time, so a client still sending it reads the answer
/// rather than a reset connection.
async fn unread(state: &State, body: Option<Body>) {
    use http_body_util::BodyExt;
    let Some(mut body) = body else { return };
    let limit = state.config.max_body_bytes;
    let mut seen = 0usize;
    let drain = async {
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > limit {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(state.config.timeout, drain).await;
}

/// The body, up to the limit (413 beyond it), read before the deadline (408 after it).
async fn read_body(
    state: &State,
    headers: &HeaderMap,
    body: Body,
    deadline: Instant,
) -> Result<Vec<u8>, Reply> {
    let limit = state.config.max_body_bytes;
    let too_large = || {
        Reply::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is over {} (--max-body-mb); send fewer documents per request",
                size(limit)
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout_at(deadline, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Reply::error(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the body did not arrive in full within {} s of the request (--timeout-secs)",
                state.config.timeout.as_secs()
            ),
        )),
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(e)) => {
            let over = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if over {
                Err(too_large())
            } else {
                Err(Reply::bad_request(format!(
                    "the body could not be read: {e}"
                )))
            }
        }
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// 503: the request took longer than `limit`.
fn timed_out(limit: Duration) -> Reply {
    Reply::error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the request took longer than {} s (--timeout-secs); send fewer or shorter documents \
             per request",
            limit.as_secs()
        ),
    )
}

/// Runs `job` on a blocking thread and waits for it until
/// `deadline`; then `cancel` is raised and the request answered 503. A panic in `job` is caught
/// and answered 500, the server goes on.
async fn blocking<T: Send + 'static>(
    deadline: Instant,
    limit: Duration,
    cancel: Option<Arc<AtomicBool>>,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Reply> {
    let handle =
        tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(job)));
    match tokio::time::timeout_at(deadline, handle).await {
        Err(_) => {
            if let Some(c) = cancel {
                c.store(true, Ordering::Relaxed);
            }
            Err(timed_out(limit))
        }
        Ok(Ok(Ok(t))) => Ok(t),
        Ok(_) => Err(bug()),
    }
}

/// 500: a panic, caught.
fn bug() -> Reply {
    Reply::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "geoevents failed on this request (a bug, not the request's fault: the server goes on; \
         please report it with the request)",
    )
}

/// A request's documents, read from its body as standard input is read: ids `-` for a text body
/// (or `?id=`), `-:LINE` for JSON Lines without their own.
fn documents(
    body: Vec<u8>,
    json_lines: bool,
    id: Option<String>,
) -> Vec<Result<Document, InputError>> {
    let name = id.unwrap_or_else(|| "-".to_string());
    // The body is within its limit already; so is each of its lines.
    let longest = body.len().max(1);
    input::from_bytes(body, &name, json_lines, longest)
}

/// What went wrong with a request's lines and what was read with a warning, for the headers; a
/// request none of whose lines could be read is a 400.
#[derive(Default)]
struct Problems {
    errors: Vec<Value>,
    warnings: Vec<Value>,
    answered: usize,
}

/// How many problems the headers list; the count is always whole.
const PROBLEMS_LISTED: usize = 20;

impl Problems {
    fn unreadable(&mut self, e: &InputError) -> Value {
        let line = e
            .location
            .rsplit(':')
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        let v = json!({"line": line, "error": e.message});
        self.errors.push(v.clone());
        v
    }

    fn failed(&mut self, doc: &Document, e: &crate::Error) -> Value {
        let v = json!({"id": doc.id, "error": e.to_string()});
        self.errors.push(v.clone());
        v
    }

    fn read(&mut self, doc: &Document) {
        self.answered += 1;
        for w in &doc.warnings {
            self.warnings.push(json!({"id": doc.id, "warning": w}));
        }
    }

    /// The reply with the headers, or a 400 when nothing could be read.
    fn finish(self, reply: Reply) -> Reply {
        if self.answered == 0 && !self.errors.is_empty() {
            let said: Vec<String> = self.errors.iter().take(PROBLEMS_LISTED).map(told).collect();
            return Reply::bad_request(format!(
                "no document could be read: {}{}",
                said.join("; "),
                if self.errors.len() > PROBLEMS_LISTED {
                    "; …"
                } else {
                    ""
                }
            ));
        }
        let mut reply = reply;
        for (name, list) in [
            (ERRORS_HEADER, &self.errors),
            (WARNINGS_HEADER, &self.warnings),
        ] {
            if !list.is_empty() {
                reply = reply.with_header(HeaderName::from_static(name), listed(list));
            }
        }
        reply
    }
}

/// A problem in words: `line 3: invalid JSON ...`, `document a: ...`, or the message alone (a
/// text body).
fn told(v: &Value) -> String {
    let message = v["error"].as_str().unwrap_or_default();
    match (v["line"].as_u64(), v["id"].as_str()) {
        (Some(line), _) => format!("line {line}: {message}"),
        (None, Some(id)) => format!("document {id}: {message}"),
        _ => message.to_string(),
    }
}

/// The first `PROBLEMS_LISTED` of `list` as a JSON array, then `{"more": N}`.
fn listed(list: &[Value]) -> String {
    let mut shown: Vec<Value> = list.iter().take(PROBLEMS_LISTED).cloned().collect();
    if list.len() > PROBLEMS_LISTED {
        shown.push(json!({"more": list.len() - PROBLEMS_LISTED}));
    }
    Value::Array(shown).to_string()
}

async fn places(
    Extract(state): Extract<State>,
    query: Pairs,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let mut body = Some(body);
    let reply = either(places_reply(state.clone(), query, headers, &mut body).await);
    unread(&state, body).await;
    reply
}

async fn places_reply(
    state: State,
    query: Pairs,
    headers: HeaderMap,
    body: &mut Option<Body>,
) -> Result<Reply, Reply> {
    let deadline = Instant::now() + state.config.timeout;
    let mut p = Params::new(
        pairs(query)?,
        &["id", "demonyms", "country", "near", "lang", "theatre"],
    )?;
    let settings = Settings {
        demonyms: p.flag("demonyms")?.unwrap_or(false),
        ..settings(&mut p)?
    };
    let id = p.text("id");
    with_documents(
        &state,
        &headers,
        body,
        deadline,
        id,
        move |shared, docs, stop| {
            let mut out = Vec::new();
            let mut problems = Problems::default();
            let gaz = shared.gaz;
            let _: Result<(), ()> = run::each_document(
                gaz,
                &shared.pool,
                docs.into_iter(),
                &settings,
                |doc, prior| {
                    if stop.load(Ordering::Relaxed) {
                        return Ok(Vec::new());
                    }
                    run::places_of(gaz, doc, prior, &settings)
                },
                |outcome| {
                    let line = match outcome {
                        Outcome::Done(doc, Ok(found)) => {
                            problems.read(&doc);
                            json!({
                                "id": doc.id,
                                "lang": doc.language(settings.lang).code(),
                                "places": found,
                            })
                        }
                        Outcome::Done(doc, Err(e)) => problems.failed(&doc, &e),
                        Outcome::Unreadable(e) => problems.unreadable(&e),
                    };
                    // Serialising a Value cannot fail.
                    let _ = serde_json::to_writer(&mut out, &line);
                    out.push(b'\n');
                    if stop.load(Ordering::Relaxed) {
                        return Err(());
                    }
                    Ok(())
                },
            );
            problems.finish(Reply::ok("application/x-ndjson", out))
        },
    )
    .await
}

async fn map(
    Extract(state): Extract<State>,
    query: Pairs,
    headers: HeaderMap,
    body: Body,
) -> Reply {
    let mut body = Some(body);
    let reply = either(map_reply(state.clone(), query, headers, &mut body).await);
    unread(&state, body).await;
    reply
}

async fn map_reply(
    state: State,
    query: Pairs,
    headers: HeaderMap,
    body: &mut Option<Body>,
) -> Result<Reply, Reply> {
    let deadline = Instant::now() + state.config.timeout;
    let mut p = Params::new(
        pairs(query)?,
        &[
            "date",
            "format",
            "id",
            "country",
            "near",
            "lang",
            "theatre",
            "csv_formula_guard",
        ],
    )?;
    let settings = Settings {
        date: p.date("date")?,
        ..settings(&mut p)?
    };
    let (format, content_type) = match p.text("format").as_deref().map(str::trim) {
        None | Some("geojson") => (LayerFormat::Geojson, "application/geo+json"),
        Some("geojsonseq") => (LayerFormat::Geojsonseq, "application/x-ndjson"),
        Some("csv") => (LayerFormat::Csv, "text/csv; charset=utf-8"),
        Some(other) => {
            return Err(Reply::bad_request(format!(
                "parameter `format`: `{other}` is not a format here; give geojson (the default), \
                 geojsonseq or csv"
            )))
        }
    };
    let guard = p.flag("csv_formula_guard")?.unwrap_or(false);
    let id = p.text("id");
    with_documents(
        &state,
        &headers,
        body,
        deadline,
        id,
        move |shared, docs, stop| {
            let mut out = Vec::new();
            let mut problems = Problems::default();
            let gaz = shared.gaz;
            let written: Result<(), std::io::Error> = (|| {
                let mut layer = Writer::start(&mut out, format)?.guard_formulas(guard);
                run::each_document(
                    gaz,
                    &shared.pool,
                    docs.into_iter(),
                    &settings,
                    |doc, prior| {
                        if stop.load(Ordering::Relaxed) {
                            return Ok((Vec::new(), 0));
                        }
                        run::events_of(gaz, doc, prior, &settings)
                    },
                    |outcome| {
                        match outcome {
                            Outcome::Done(doc, Ok((found, _))) => {
                                problems.read(&doc);
                                let origin = Origin::of(&doc, settings.lang);
                                for e in &found {
                                    layer.push(e, &origin)?;
                                }
                            }
                            Outcome::Done(doc, Err(e)) => {
                                problems.failed(&doc, &e);
                            }
                            Outcome::Unreadable(e) => {
                                problems.unreadable(&e);
                            }
                        }
                        if stop.load(Ordering::Relaxed) {
                            return Err(std::io::Error::other("stopped"));
                        }
                        Ok(())
                    },
                )?;
                layer.end()?;
                Ok(())
            })();
            match written {
                Ok(()) => problems.finish(Reply::ok(content_type, out)),
                // Writing into memory fails only when the request was stopped; its 503 has gone.
                Err(e) => Reply::error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            }
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_answered_500_and_the_next_job_runs() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let limit = Duration::from_secs(5);
            let deadline = Instant::now() + limit;
            let failed = blocking(deadline, limit, None, || -> u8 { panic!("a bug") }).await;
            let reply = failed.err().unwrap();
            assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert!(String::from_utf8_lossy(&reply.body).contains("the server goes on"));
            assert_eq!(blocking(deadline, limit, None, || 7).await.ok(), Some(7));
        });
    }

    #[test]
    fn a_job_past_its_deadline_is_answered_503_and_told_to_stop() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let limit = Duration::from_millis(50);
            let cancel = Arc::new(AtomicBool::new(false));
            let seen = Arc::clone(&cancel);
            let slow = blocking(Instant::now() + limit, limit, Some(cancel), move || {
                while !seen.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
            .await;
            let reply = slow.err().unwrap();
            assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
            assert!(String::from_utf8_lossy(&reply.body).contains("--timeout-secs"));
        });
    }

    #[test]
    fn content_types_say_how_a_body_is_read() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, v.parse().unwrap());
            json_lines(&h).map_err(|r| r.status)
        };
        assert_eq!(with("text/plain"), Ok(false));
        assert_eq!(with("Text/Plain; charset=UTF-8"), Ok(false));
        assert_eq!(with("application/x-ndjson"), Ok(true));
        assert_eq!(with("application/jsonl; charset=utf-8"), Ok(true));
        assert_eq!(
            with("text/plain; charset=iso-8859-1"),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(with("text/html"), Err(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        assert_eq!(
            json_lines(&HeaderMap::new()).map_err(|r| r.status),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
    }
}
