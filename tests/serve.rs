//! `geoevents serve` through the real binary on a free loopback port: every endpoint answers as
//! the CLI does on the same documents, every bad request gets a 4xx with a JSON error, 500
//! requests at once are all answered, the limits answer 413 and 503, and the live page draws a
//! posted report's events in headless Chromium (its screenshot stays in `target/tmp/serve/`).

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{geoevents, ok_stdout};
use serde_json::Value;

/// A server on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("geoevents");
        let mut child = Command::new(bin)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().expect("a line on stderr").unwrap();
        let base = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(|addr| format!("http://{addr}"))
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        // Keep reading stderr, so a full pipe never stalls the server.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers we look at, body.
struct Answer {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    errors: Option<String>,
    warnings: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The message of a 4xx/5xx answer, which must be `{"error": "..."}`.
    fn error(&self) -> String {
        assert!(
            self.content_type.starts_with("application/json"),
            "{}",
            self.content_type
        );
        self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message: {}", self.body))
            .to_string()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let status = r.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let errors = header("x-geoevents-errors");
    let warnings = header("x-geoevents-warnings");
    let body = r
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_string()
        .unwrap();
    Answer {
        status,
        content_type,
        retry_after,
        errors,
        warnings,
        body,
    }
}

fn get(url: &str) -> Answer {
    answer(agent().get(url).call().unwrap())
}

fn post(url: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(
        agent()
            .post(url)
            .header("Content-Type", content_type)
            .send(body)
            .unwrap_or_else(|e| panic!("POST {url} ({content_type}): {e}")),
    )
}

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report-2024-03-02.txt")
}

/// JSON Lines of our own: two reports, a line that is not JSON, a line without text.
const LINES: &str = r#"{"id": "a", "text": "Russian forces shelled Kupiansk in Kharkiv oblast on 3 March 2023, killing 2 civilians.", "date": "2023-03-04"}
{"id": "b", "text": "Protesters gathered in Lviv yesterday.", "date": "2023-05-02"}
{"id": "c", "text": "cut off
{"id": "d", "title": "no text"}
"#;

#[test]
fn every_endpoint_answers_as_the_cli_does() {
    let server = Server::start(&[]);
    let health = get(&server.url("/healthz"));
    assert_eq!(health.status, 200);
    assert!(health.body.starts_with("ok\n"), "{}", health.body);
    assert!(health.body.contains("places from"), "{}", health.body);

    // /lookup: the object `lookup --format json` prints.
    let looked = get(&server.url("/lookup?q=Kupiansk&country=UA&limit=3"));
    assert_eq!(looked.status, 200);
    let cli: Value = serde_json::from_str(&ok_stdout(geoevents().args([
        "lookup",
        "--format",
        "json",
        "--country",
        "UA",
        "--limit",
        "3",
        "Kupiansk",
    ])))
    .unwrap();
    assert_eq!(looked.json(), cli);
    assert_eq!(cli["results"][0]["name"], "Kupyansk");

    // /map and /places on a text body: what the CLI writes for the same text on standard input.
    let text = std::fs::read(example()).unwrap();
    for (format, content_type) in [
        ("geojson", "application/geo+json"),
        ("geojsonseq", "application/x-ndjson"),
        ("csv", "text/csv; charset=utf-8"),
    ] {
        let served = post(
            &server.url(&format!("/map?date=2024-03-02&format={format}")),
            "text/plain",
            &text,
        );
        assert_eq!(served.status, 200, "{}", served.body);
        assert_eq!(served.content_type, content_type);
        let cli = ok_stdout(
            geoevents()
                .args([
                    "map",
                    "--date",
                    "2024-03-02",
                    "--format",
                    format,
                    "-o",
                    "-",
                    "-",
                ])
                .write_stdin(text.clone()),
        );
        assert_eq!(served.body, cli, "{format}");
    }
    let events = post(
        &server.url("/map?date=2024-03-02&id=report-1"),
        "text/plain",
        &text,
    )
    .json();
    let features = events["features"].as_array().unwrap();
    assert!(features.len() >= 6);
    assert!(features
        .iter()
        .all(|f| f["properties"]["x_doc_id"] == "report-1"));
    let places = post(&server.url("/places?demonyms=true"), "text/plain", &text);
    assert_eq!(places.content_type, "application/x-ndjson");
    let cli = ok_stdout(
        geoevents()
            .args(["places", "--demonyms", "-"])
            .write_stdin(text.clone()),
    );
    assert_eq!(places.body, cli);

    // JSON Lines: each line a document; the two bad lines named, the others answered.
    let served = post(
        &server.url("/map?format=geojsonseq"),
        "application/x-ndjson",
        LINES.as_bytes(),
    );
    assert_eq!(served.status, 200);
    let errors: Value = serde_json::from_str(served.errors.as_deref().unwrap()).unwrap();
    assert_eq!(errors[0]["line"], 3, "{errors}");
    assert!(errors[0]["error"]
        .as_str()
        .unwrap()
        .contains("invalid JSON"));
    assert_eq!(errors[1]["line"], 4);
    assert!(errors[1]["error"].as_str().unwrap().contains("no `text`"));
    let cli = geoevents()
        .args(["map", "--format", "geojsonseq", "-o", "-", "-"])
        .write_stdin(LINES)
        .output()
        .unwrap();
    assert_eq!(
        cli.status.code(),
        Some(1),
        "the CLI counts the bad lines as failed"
    );
    assert_eq!(served.body, String::from_utf8(cli.stdout).unwrap());
    let ids: Vec<String> = served
        .body
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["properties"]["x_doc_id"].to_string())
        .collect();
    assert!(
        ids.contains(&"\"a\"".to_string()) && ids.contains(&"\"b\"".to_string()),
        "{ids:?}"
    );
    // /places puts each bad line's error where its answer would be.
    let served = post(
        &server.url("/places"),
        "application/x-ndjson",
        LINES.as_bytes(),
    );
    let lines: Vec<Value> = served
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[2]["line"], 3);
    assert!(lines[3]["error"].as_str().unwrap().contains("no `text`"));

    // The page, with its policy: nothing but this server.
    let page = answer(agent().get(&server.url("/")).call().unwrap());
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("id=\"report-form\""));
    assert!(page.body.contains("connect-src 'self'"));
}

#[test]
fn bad_requests_get_a_4xx_saying_what_to_fix() {
    let mut server = Server::start(&["--max-body-mb", "1"]);
    let cases: Vec<(Answer, u16, &str)> = vec![
        (
            get(&server.url("/lookup")),
            400,
            "give the name to look up as `q`",
        ),
        (
            get(&server.url("/lookup?q=Kyiv&limit=0")),
            400,
            "from 1 to 100",
        ),
        (
            get(&server.url("/lookup?q=Kyiv&near=91,30")),
            400,
            "latitude must lie in -90..90",
        ),
        (
            get(&server.url("/lookup?q=Kyiv&near=50,30,100")),
            400,
            "takes no distance",
        ),
        (
            get(&server.url("/lookup?q=Kyiv&country=Ukraine")),
            400,
            "two-letter ISO country code",
        ),
        (
            get(&server.url("/lookup?name=Kyiv")),
            400,
            "unknown parameter `name`",
        ),
        (
            get(&server.url("/lookup?q=Kyiv&q=Lviv")),
            400,
            "more than once",
        ),
        (
            post(&server.url("/map?date=2023-02-30"), "text/plain", b"x"),
            400,
            "not a date like",
        ),
        (
            post(&server.url("/map?format=kml"), "text/plain", b"x"),
            400,
            "geojson (the default), geojsonseq or csv",
        ),
        (
            post(&server.url("/places?lang=de"), "text/plain", b"x"),
            400,
            "parameter `lang`",
        ),
        (
            post(
                &server.url("/map"),
                "application/x-www-form-urlencoded",
                b"x",
            ),
            415,
            "Content-Type: text/plain",
        ),
        (
            post(
                &server.url("/map"),
                "text/plain; charset=windows-1251",
                b"x",
            ),
            415,
            "charset windows-1251",
        ),
        (
            post(&server.url("/places"), "application/json", b"{}"),
            415,
            "application/x-ndjson",
        ),
        (
            post(
                &server.url("/map"),
                "application/x-ndjson",
                b"{\"text\": 5}\nnot json\n",
            ),
            400,
            "no document could be read",
        ),
        (
            post(&server.url("/map"), "text/plain", b"\0\x01binary"),
            400,
            "binary",
        ),
        (
            post(
                &server.url("/places?id=x"),
                "application/x-ndjson",
                LINES.as_bytes(),
            ),
            400,
            "each line gives its own `id`",
        ),
        // A refused request's body is read and dropped: the client sending it reads the answer.
        (
            post(
                &server.url("/map?format=kml"),
                "text/plain",
                &vec![b'a'; 900 << 10],
            ),
            400,
            "not a format here",
        ),
        (get(&server.url("/nowhere")), 404, "no such endpoint"),
        (get(&server.url("/map")), 405, "wrong method"),
        (
            post(&server.url("/lookup?q=Kyiv"), "text/plain", b""),
            405,
            "wrong method",
        ),
    ];
    for (answer, status, says) in cases {
        assert_eq!(answer.status, status, "{}", answer.body);
        let message = answer.error();
        assert!(message.contains(says), "{message:?} does not say {says:?}");
    }
    // A body with no Content-Type at all.
    let mut raw = TcpStream::connect(server.addr()).unwrap();
    write!(
        raw,
        "POST /map HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"
    )
    .unwrap();
    let mut reply = String::new();
    raw.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 415"), "{reply}");
    assert!(reply.contains("no Content-Type"), "{reply}");
    // A body over the limit: refused as its length is declared, or once a chunked one passes it.
    let mut raw = TcpStream::connect(server.addr()).unwrap();
    write!(raw, "POST /map HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1048577\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    raw.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("over 1 MB (--max-body-mb)"), "{reply}");
    let mut raw = TcpStream::connect(server.addr()).unwrap();
    write!(raw, "POST /places HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").unwrap();
    let chunk = vec![b'a'; 64 << 10];
    for _ in 0..20 {
        // The server may answer and close before the last chunks.
        if write!(raw, "{:x}\r\n", chunk.len()).is_err()
            || raw.write_all(&chunk).is_err()
            || raw.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = raw.write_all(b"0\r\n\r\n");
    let mut reply = Vec::new();
    let _ = raw.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    // Invalid UTF-8 is read as the CLI reads it: replaced, and said in a header.
    let answer = post(
        &server.url("/map?date=2023-03-04"),
        "text/plain",
        b"Russian forces shelled Kupiansk \xff\xfe yesterday.",
    );
    assert_eq!(answer.status, 200);
    assert!(answer
        .warnings
        .as_deref()
        .unwrap()
        .contains("invalid UTF-8 at byte offset 32"));
    assert_eq!(
        answer.json()["features"][0]["properties"]["location"],
        "Kupyansk"
    );
    assert!(server.is_running());
}

#[test]
fn five_hundred_requests_at_once_are_all_answered() {
    let server = Arc::new(Server::start(&[]));
    let text = std::fs::read(example()).unwrap();
    let expected = post(&server.url("/map?date=2024-03-02"), "text/plain", &text).body;
    let looked = get(&server.url("/lookup?q=Odesa")).body;
    let n = 500;
    let start = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (server, start, text) = (Arc::clone(&server), Arc::clone(&start), text.clone());
            std::thread::spawn(move || {
                start.wait();
                if i % 2 == 0 {
                    post(&server.url("/map?date=2024-03-02"), "text/plain", &text)
                } else {
                    get(&server.url("/lookup?q=Odesa"))
                }
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let a = h.join().unwrap();
        assert_eq!(a.status, 200, "request {i}: {}", a.body);
        assert_eq!(
            a.body,
            *if i % 2 == 0 { &expected } else { &looked },
            "request {i}"
        );
    }
}

/// Sends a request's head and half its body, then stalls: the request holds its slot.
fn stall(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /map HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf"
    )
    .unwrap();
    s.flush().unwrap();
    s
}

#[test]
fn the_limits_answer_503_and_the_server_goes_on() {
    // One slot, nobody may wait: a second request while the first stalls is refused at once.
    let mut server = Server::start(&[
        "--max-concurrent",
        "1",
        "--max-waiting",
        "0",
        "--timeout-secs",
        "2",
    ]);
    let mut stalled = stall(server.addr());
    std::thread::sleep(Duration::from_millis(300));
    let refused = post(&server.url("/map"), "text/plain", b"Shelling in Kharkiv.");
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.retry_after.as_deref(), Some("1"));
    assert!(refused.error().contains("busy"));
    // The stalled request runs out of time: 408 (its body never came), its slot freed.
    let started = Instant::now();
    let mut reply = String::new();
    stalled.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("did not arrive in full"), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let after = post(&server.url("/map"), "text/plain", b"Shelling in Kharkiv.");
    assert_eq!(after.status, 200, "{}", after.body);
    assert!(server.is_running());
}

#[test]
fn the_live_page_draws_a_posted_report_in_a_browser() {
    let server = Server::start(&[]);
    let text = std::fs::read_to_string(example()).unwrap();
    let events = post(
        &server.url("/map?date=2024-03-02"),
        "text/plain",
        text.as_bytes(),
    )
    .json();
    let events = events["features"].as_array().unwrap().len();
    assert!(events >= 6);
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let mut encoded = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let url = server.url(&format!("/#date=2024-03-02&text={encoded}"));
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve");
    std::fs::create_dir_all(&shots).unwrap();
    // Chromium keys a page's requests by its site, the port left out.
    let loaded = browser::load(
        &chromium,
        &url,
        "http://127.0.0.1",
        Some(&shots.join("live.png")),
    );
    assert!(loaded.console.is_empty(), "{:#?}", loaded.console);
    assert_eq!(browser::count_in(&loaded.dom, "event-count"), Some(events));
    assert!(
        loaded.dom.contains(&format!("{events} events,")),
        "the status line counts them"
    );
    // It asked this server for the page, /map and /places, and nothing of anyone else.
    assert!(!loaded.requests.is_empty());
    for r in &loaded.requests {
        assert!(r.starts_with(&server.base), "asked {r}");
    }
    assert!(
        loaded.requests.iter().any(|r| r.contains("/map?")),
        "{:?}",
        loaded.requests
    );
}
