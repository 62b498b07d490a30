//! Bad input through the real binary: each case is told on stderr with the item it concerns, the
//! run goes on with the rest, and the exit status says how it went (0 all well, 1 some documents
//! failed, 2 usage or fatal errors).

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::geoevents;
use serde_json::Value;

fn jsonl(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning_naming_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.txt");
    write(
        &file,
        b"Shelling hit Kharkiv. Caf\xe9 owners in Kyiv closed early.",
    );
    let out = geoevents().args(["places"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("latin1.txt") && err.contains("invalid UTF-8 at byte offset 25"),
        "{err}"
    );
    let docs = jsonl(&out.stdout);
    let names: Vec<&str> = docs[0]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["mention"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Kharkiv") && names.contains(&"Kyiv"),
        "{names:?}"
    );
}

#[test]
fn binary_and_missing_inputs_are_skipped_by_name_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (bin, good) = (dir.path().join("photo.txt"), dir.path().join("good.txt"));
    write(&bin, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(&good, b"Protesters gathered in Tbilisi.");
    let missing = dir.path().join("gone.txt");
    let out = geoevents()
        .args(["places"])
        .arg(&bin)
        .arg(&missing)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("photo.txt: looks like a binary file; skipped"),
        "{err}"
    );
    assert!(err.contains("gone.txt"), "{err}");
    assert!(err.contains("2 documents failed"), "{err}");
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["places"][0]["name"], "Tbilisi");
}

#[test]
fn an_empty_file_is_an_empty_document() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    write(&empty, b"");
    let out = geoevents().args(["places"]).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let docs = jsonl(&out.stdout);
    assert_eq!(docs[0]["places"].as_array().unwrap().len(), 0);
}

#[test]
fn a_malformed_jsonl_line_is_named_by_file_and_line_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.jsonl");
    write(
        &file,
        b"{\"id\": \"a\", \"text\": \"Shelling hit Kherson.\"}\n{\"id\": \"b\", \"text\": \"cut off\n{\"id\": \"c\", \"text\": \"Clashes in Sudan.\"}\n",
    );
    let out = geoevents().args(["places"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("feed.jsonl:2:"), "{err}");
    let ids: Vec<String> = jsonl(&out.stdout)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "c"]);
}

#[test]
fn csv_input_reads_the_named_columns_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    write(
        &file,
        "article,published,body\n17,2024-03-02,\"Russian forces shelled Kupiansk on Friday, officials said.\"\n18,2024-03-02,Nothing happened.\n".as_bytes(),
    );
    let out = geoevents()
        .args([
            "map",
            "-o",
            "-",
            "--format",
            "geojsonseq",
            "--text-column",
            "body",
            "--id-column",
            "article",
            "--date-column",
            "published",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = jsonl(&out.stdout);
    assert_eq!(events.len(), 1);
    let p = &events[0]["properties"];
    assert_eq!(
        (p["x_doc_id"].as_str(), p["event_date"].as_str()),
        (Some("17"), Some("2024-03-01"))
    );
    let out = geoevents().args(["places"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("export.csv: no column `text` (columns: article, published, body)"),
        "{err}"
    );
}

#[test]
fn html_is_read_without_its_tags_and_offsets_point_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.html");
    let html = "<html><head><title>Front</title><script>var x = '<b>Paris</b>';</script></head>\
                <body><p>Drone strikes hit <a href=\"/k\">Kharkiv</a> &amp; Sumy.</p></body></html>";
    write(&file, html.as_bytes());
    let out = geoevents().args(["places"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let docs = jsonl(&out.stdout);
    let places = docs[0]["places"].as_array().unwrap();
    let chars: Vec<char> = html.chars().collect();
    let mut names = Vec::new();
    for p in places {
        let (s, e) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        let at: String = chars[s..e].iter().collect();
        assert_eq!(at, p["mention"].as_str().unwrap());
        names.push(at);
    }
    // Paris is inside a script, not text.
    assert_eq!(names, ["Kharkiv", "Sumy"]);
}

#[test]
fn a_single_line_of_megabytes_is_read_in_windows_with_offsets_into_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.txt");
    // About 1.2 MB on one line: many windows. The filler names no place.
    let filler = "the committee met again and talked at length about budgets and roads. ";
    let mut text = filler.repeat(1_200_000 / filler.len());
    let at = text.chars().count();
    text.push_str("Shelling hit Kherson overnight. ");
    text.push_str(&filler.repeat(1000));
    write(&file, text.as_bytes());
    let out = geoevents().args(["places"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let docs = jsonl(&out.stdout);
    let places = docs[0]["places"].as_array().unwrap();
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(
        places[0]["start"].as_u64().unwrap() as usize,
        at + "Shelling hit ".len()
    );
    assert_eq!(places[0]["name"], "Kherson");
}

#[test]
fn a_document_of_several_megabytes_is_written_window_by_window_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.txt");
    // Over 4 MB, so it is formatted window by window; places at its start, middle and end.
    let filler = "the committee met again and talked at length about budgets and roads. ";
    let block = filler.repeat(1_500_000 / filler.len());
    let text = format!(
        "Shelling hit Kherson. {block}Protests in Tbilisi. {block}{block}Clashes near Soledar."
    );
    write(&file, text.as_bytes());
    let run = |format: &str| {
        let out = geoevents()
            .args(["places", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        out.stdout
    };
    let docs = jsonl(&run("jsonl"));
    let json: Value = serde_json::from_slice(&run("json")).unwrap();
    assert_eq!(json, Value::Array(docs.clone()));
    let places = docs[0]["places"].as_array().unwrap();
    let names: Vec<&str> = places.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Kherson", "Tbilisi", "Soledar"]);
    let chars: Vec<char> = text.chars().collect();
    for p in places {
        let (s, e) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            p["mention"].as_str().unwrap()
        );
    }
    let geo: Value = serde_json::from_slice(&run("geojson")).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 3);
    assert_eq!(String::from_utf8(run("csv")).unwrap().lines().count(), 4);
}

#[test]
fn a_foreign_gazetteer_file_is_a_fatal_error_that_says_how_to_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("world.gaz");
    write(&fake, b"PK\x03\x04 this is a zip, not an index");
    let report = dir.path().join("r.txt");
    write(&report, b"Shelling hit Kherson.");
    let out = geoevents()
        .arg("--gazetteer")
        .arg(&fake)
        .arg("places")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("world.gaz") && err.contains("gazetteer build"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    geoevents()
        .args(["places", "--format", "xml", "x.txt"])
        .assert()
        .code(2);
    geoevents()
        .args(["map", "--threads", "many", "x.txt"])
        .assert()
        .code(2);
}

#[test]
fn an_interrupted_run_leaves_no_half_written_layer() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let line = serde_json::json!({"text": fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report-2024-03-02.txt")).unwrap()});
    let layers = dir.path().join("layers");
    // The archive comes through a pipe that stays open, so the run cannot finish: it is killed
    // while its layers are being written, however fast the machine.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("geoevents"))
        .args(["map", "--date", "2024-03-02", "-o"])
        .arg(&layers)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for _ in 0..2000 {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    let listing = || -> Vec<String> {
        fs::read_dir(&layers)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while listing().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended with its input still open"
    );
    child.kill().ok();
    child.wait().unwrap();
    drop(stdin);
    let written = listing();
    assert!(!written.is_empty(), "no layer was being written after 60 s");
    // Layers appear only when complete: all there is are temporary files, and the folder's lock
    // (SIGKILL cannot be caught; the next run removes both, its process being gone).
    assert!(
        written.iter().all(
            |n| (n.starts_with(".geoevents-") && n.ends_with(".tmp")) || n == ".geoevents.lock"
        ),
        "{written:?}"
    );
}
