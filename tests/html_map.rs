//! `map --format html` and `places --format html` through the real binary: where the page goes,
//! and the page itself loaded in headless Chromium with the network blocked: no console message,
//! no request from the page, and as many points drawn as there are events (or places). The
//! screenshots stay in `target/tmp/html-map/` (Cargo's CARGO_TARGET_TMPDIR) for a person to see.
//!
//! Chromium is Debian's `chromium` (`.ci/run` installs it). Without it these browser tests fail
//! under CI (`CI` set) and are skipped, loudly, elsewhere.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use browser::{chromium, count_in, points_drawn, Loaded};
use common::{geoevents, ok_stdout};
use geoevents::layers::html::events_page;
use serde_json::{json, Value};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report-2024-03-02.txt")
}

/// A document whose text, id and title try to break out of the page's data and markup.
const HOSTILE: &str = r#"{"id": "doc</script><b>", "title": "<img src=x onerror=alert(2)>", "text": "On 3 March 2023, Russian forces shelled Kupiansk </script><script>document.documentElement.dataset.pwned=1</script> in Kharkiv oblast, killing 2 civilians & more.", "date": "2023-03-03"}
"#;

/// Where the screenshots are kept.
fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-map");
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Loads a page from a file, whose own requests Chromium keys to `file://`.
fn load(browser: &Path, page: &Path, screenshot: Option<&Path>) -> Loaded {
    let url = format!("file://{}", fs::canonicalize(page).unwrap().display());
    browser::load(browser, &url, "file://", screenshot)
}

fn assert_clean(loaded: &Loaded) {
    assert!(
        loaded.console.is_empty(),
        "console messages: {:#?}",
        loaded.console
    );
    assert!(
        loaded.requests.is_empty(),
        "the page asked the network for {:?}",
        loaded.requests
    );
    assert!(
        loaded
            .dom
            .contains("<div id=\"page-errors\" role=\"alert\" hidden=\"\">"),
        "the page reports an error"
    );
}

#[test]
fn the_events_page_draws_every_event_offline_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.jsonl");
    fs::write(&hostile, HOSTILE).unwrap();
    let page = dir.path().join("events.html");
    geoevents()
        .args(["map", "--date", "2024-03-02", "--format", "html", "-o"])
        .arg(&page)
        .arg(example())
        .arg(&hostile)
        .assert()
        .success();
    let events = ok_stdout(
        geoevents()
            .args("map --date 2024-03-02 --format geojsonseq -o -".split(' '))
            .arg(example())
            .arg(&hostile),
    )
    .lines()
    .count();
    assert!(events >= 6, "{events}");
    let html = fs::read_to_string(&page).unwrap();
    assert!(!html.contains("dataset.pwned=1</script>"));
    let Some(browser) = chromium() else {
        return;
    };
    let loaded = load(&browser, &page, Some(&artefacts().join("events.png")));
    assert_clean(&loaded);
    assert_eq!(count_in(&loaded.dom, "event-count"), Some(events));
    assert_eq!(points_drawn(&loaded.dom), events);
    // The note's script stayed text.
    assert!(!loaded.dom.contains("data-pwned"));
    assert!(!loaded.dom.contains("<b>"));
}

#[test]
fn the_places_page_draws_a_point_per_place_offline_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("places.html");
    geoevents()
        .args(["places", "--format", "html", "-o"])
        .arg(&page)
        .arg(example())
        .assert()
        .success();
    let collection: Value = serde_json::from_str(&ok_stdout(
        geoevents()
            .args(["places", "--format", "geojson"])
            .arg(example()),
    ))
    .unwrap();
    let places: BTreeSet<u64> = collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["geonameid"].as_u64().unwrap())
        .collect();
    assert!(places.len() >= 10, "{places:?}");
    let Some(browser) = chromium() else {
        return;
    };
    let loaded = load(&browser, &page, Some(&artefacts().join("places.png")));
    assert_clean(&loaded);
    assert_eq!(count_in(&loaded.dom, "place-count"), Some(places.len()));
    assert_eq!(points_drawn(&loaded.dom), places.len());
}

#[test]
fn a_page_of_odd_features_draws_those_it_can() {
    let point = |lon: Value, lat: Value| json!({"type": "Point", "coordinates": [lon, lat]});
    let features = [
        json!({"type": "Feature", "geometry": point(json!(30.5), json!(50.45)),
               "properties": {"event_type": "Battles", "event_date": "2023-02-13"}}),
        json!({"type": "Feature", "geometry": point(json!(31.0), json!(50.0)),
               "properties": {"event_type": "Not a type", "event_date": "2023-02-30"}}),
        json!({"type": "Feature", "geometry": point(json!(31.5), json!(49.5)), "properties": null}),
        json!({"type": "Feature", "geometry": point(json!(32.0), json!(49.0)),
               "properties": {"event_type": "Riots", "notes": {"nested": [1]}, "actor1": 7}}),
        json!({"type": "Feature", "geometry": null, "properties": {}}),
        json!({"type": "Feature", "geometry": point(json!("30"), json!("50"))}),
        json!({"type": "Feature", "geometry": point(json!(200.0), json!(95.0))}),
        json!("not a feature"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("odd.html");
    fs::write(&page, events_page(&features, "odd")).unwrap();
    let Some(browser) = chromium() else {
        return;
    };
    let loaded = load(&browser, &page, None);
    assert_clean(&loaded);
    assert_eq!(count_in(&loaded.dom, "event-count"), Some(4));
    assert_eq!(points_drawn(&loaded.dom), 4);
    assert!(loaded
        .dom
        .contains("4 events without a valid point not drawn"));
    // Three undated (no date, no such day), shown whatever the range.
    assert_eq!(count_in(&loaded.dom, "undated-count"), Some(3));
}

/// The checks above would see a page that fetched something or logged a message.
#[test]
fn the_browser_check_sees_a_request_and_a_console_message() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("fetches.html");
    fs::write(
        &page,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/probe.png\">\
         <script>console.error('probe')</script></body></html>",
    )
    .unwrap();
    let loaded = load(&browser, &page, None);
    assert_eq!(loaded.requests, ["http://127.0.0.1:9/probe.png"]);
    assert!(
        loaded.console.iter().any(|l| l.contains("probe")),
        "{:?}",
        loaded.console
    );
}

#[test]
fn an_empty_run_still_gets_its_page_and_a_folder_gets_one_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("quiet.txt");
    fs::write(&other, "Nothing happened anywhere today.\n").unwrap();
    let out = dir.path().join("maps");
    geoevents()
        .args("map --date 2024-03-02 --format html --split-by event-type -o".split(' '))
        .arg(&out)
        .arg(example())
        .arg(&other)
        .assert()
        .success();
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".geoevents"))
        .collect();
    names.sort();
    assert_eq!(names, ["quiet.html", "report-2024-03-02.html"]);
    let quiet = fs::read_to_string(out.join("quiet.html")).unwrap();
    assert!(quiet.contains("<script type=\"application/json\" id=\"page-data\">[]</script>"));
    // To standard output: one page.
    let page = ok_stdout(
        geoevents()
            .args("map --date 2024-03-02 --format html -o -".split(' '))
            .arg(example()),
    );
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("</html>").count(), 1);
}

#[test]
fn a_page_never_replaces_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("report.html");
    let text = "<html><body><p>On 3 March 2023, Russian forces shelled Kupiansk.</p></body></html>";
    fs::write(&input, text).unwrap();
    // Into the folder the input is in, the page would be `report.html`.
    let out = geoevents()
        .args(["map", "--format", "html", "-o"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is an input"));
    let out = geoevents()
        .args(["places", "--format", "html", "-o"])
        .arg(&input)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&input).unwrap(), text);
}

#[test]
fn places_writes_any_format_to_a_file_as_it_would_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["jsonl", "csv", "geojson"] {
        let file = dir.path().join(format!("sub/places.{format}"));
        geoevents()
            .args(["places", "--format", format, "-o"])
            .arg(&file)
            .arg(example())
            .assert()
            .success();
        let stdout = ok_stdout(
            geoevents()
                .args(["places", "--format", format])
                .arg(example()),
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), stdout, "{format}");
    }
    let out = geoevents()
        .args(["places", "-o"])
        .arg(dir.path())
        .arg(example())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a folder"));
}
