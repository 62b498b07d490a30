//! Headless Chromium for the page tests (`html_map.rs`, `serve.rs`): a page loaded with the
//! network blocked, what it drew, logged and asked for.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The browser, or None (said loudly) when it is missing outside CI; under CI its absence fails.
pub fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new(name).arg("--version").output() {
            if out.status.success() {
                return Some(PathBuf::from(name));
            }
        }
    }
    let msg =
        "*** CHROMIUM MISSING: the HTML page is not checked in a browser; `.ci/run` installs \
               Debian's chromium (apt-get install chromium) ***";
    if std::env::var_os("CI").is_some() {
        panic!("{msg} (CI is set, so this fails)");
    }
    eprintln!("{msg} (skipped: CI is not set)");
    None
}

/// What Chromium saw of a page.
pub struct Loaded {
    pub dom: String,
    /// Console messages (Chromium logs every level as `INFO:CONSOLE`).
    pub console: Vec<String>,
    /// URLs the page itself asked the network for (from Chromium's net log).
    pub requests: Vec<String>,
}

/// Runs Chromium on `page` with the network blocked (every host name unresolvable, every request
/// sent to a proxy on a closed local port), `extra` flags added; kills it after a minute.
fn run_chromium(browser: &Path, url: &str, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Chromium's own autofill queries carry the page's site as their key.
            "--disable-features=AutofillServerCommunication",
            "--hide-scrollbars",
            // Loopback stays reachable, for a page `geoevents serve` gives; its requests are logged.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=127.0.0.1:9",
            "--window-size=1200,800",
            "--virtual-time-budget=5000",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes while it runs, so a full pipe never stalls it.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium took over a minute on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// Loads `url`: its DOM once the scripts ran, its console, the network requests of pages whose
/// network isolation key holds `origin` (`file://`, `http://127.0.0.1:PORT`); and keeps a
/// screenshot at `screenshot` when given.
pub fn load(browser: &Path, url: &str, origin: &str, screenshot: Option<&Path>) -> Loaded {
    let logs = tempfile::tempdir().unwrap();
    let net_log = logs.path().join("net-log.json");
    let (dom, stderr) = run_chromium(
        browser,
        url,
        &[
            format!("--log-net-log={}", net_log.display()),
            "--dump-dom".to_string(),
        ],
    );
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let requests = page_requests(&fs::read_to_string(&net_log).unwrap_or_default(), origin);
    if let Some(png) = screenshot {
        let _ = fs::remove_file(png);
        run_chromium(browser, url, &[format!("--screenshot={}", png.display())]);
        let size = fs::metadata(png).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "no screenshot at {}", png.display());
        eprintln!("screenshot: {}", png.display());
    }
    Loaded {
        dom,
        console,
        requests,
    }
}

/// The URLs in a net log that a page of `origin` asked for. Chromium's own requests (updates,
/// time) have another network isolation key; they too meet the blocked network.
fn page_requests(net_log: &str, origin: &str) -> Vec<String> {
    // A net log stopped mid-write may lack its closing brackets.
    let log: Value = serde_json::from_str(net_log)
        .or_else(|_| {
            serde_json::from_str(&format!("{}]}}", net_log.trim_end().trim_end_matches(',')))
        })
        .unwrap_or(Value::Null);
    let mut urls = BTreeSet::new();
    for e in log["events"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let p = &e["params"];
        let key = p["network_isolation_key"].as_str().unwrap_or("");
        if let (Some(url), true) = (p["url"].as_str(), key.contains(origin)) {
            urls.insert(url.to_string());
        }
    }
    urls.into_iter().collect()
}

/// The number in the element with this id.
pub fn count_in(dom: &str, id: &str) -> Option<usize> {
    let open = format!("id=\"{id}\">");
    let at = dom.find(&open)? + open.len();
    dom[at..].split('<').next()?.trim().parse().ok()
}

/// Leaflet's interactive paths: the points (the outlines are not interactive).
pub fn points_drawn(dom: &str) -> usize {
    dom.matches("<path class=\"leaflet-interactive\"").count()
}
