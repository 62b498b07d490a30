//! Hostile and odd input through the real binary (issue 19): HTML that fooled the old stripper or
//! took it quadratic time, UTF-16 and BOM-marked files, JSON Lines ids no `f64` holds, ragged CSV
//! rows, FIFOs, and lines and documents too long to hold. Each is told on stderr naming the item,
//! the run goes on, memory stays bounded and the exit status says how it went.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::geoevents;
use serde_json::Value;

/// No case here should take long; a hang fails the test instead of stalling the suite.
const TIMEOUT: Duration = Duration::from_secs(120);

fn jsonl(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
}

/// (mention, start, end) of each place of a `places` JSONL document.
fn mentions(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mention"].as_str().unwrap().to_string(),
                p["start"].as_u64().unwrap(),
                p["end"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The character offset of `needle` in `text`.
fn char_at(text: &str, needle: &str) -> u64 {
    text[..text.find(needle).unwrap()].chars().count() as u64
}

fn places(args: &[&Path]) -> std::process::Output {
    geoevents()
        .args(["places", "--no-progress"])
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .unwrap()
}

#[test]
fn html_script_with_a_less_than_does_not_hide_the_text_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let html =
        "<script>for(var i=0;i<n;i++){}</script><p>Russian forces shelled Kharkiv on Monday.</p>";
    write(&page, html.as_bytes());
    let out = places(&[&page]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = jsonl(&out.stdout);
    let at = char_at(html, "Kharkiv");
    assert!(
        mentions(&docs[0]).contains(&("Kharkiv".into(), at, at + 7)),
        "{:?}",
        mentions(&docs[0])
    );
}

#[test]
fn html_with_200_000_unclosed_brackets_is_read_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("brackets.html");
    // No `>` after the brackets: a stripper that looks for each one's end reads to the end of
    // the file 200,000 times (minutes); one pass takes well under a second.
    let html = "<p>Russian forces shelled Kharkiv on Monday &amp; Tuesday.</p>".to_string()
        + &"<".repeat(200_000)
        + " Shelling hit Kherson &#8217;s port.";
    write(&page, html.as_bytes());
    let out = geoevents()
        .args(["places", "--no-progress"])
        .arg(&page)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = mentions(&jsonl(&out.stdout)[0]);
    // Offsets are character offsets into the file itself, after the entities too.
    for name in ["Kharkiv", "Kherson"] {
        let at = char_at(&html, name);
        assert!(
            found.contains(&(name.into(), at, at + name.len() as u64)),
            "{name}: {found:?}"
        );
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

#[test]
fn utf16_with_a_byte_order_mark_and_utf8_with_one_are_decoded_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Ракети влучили — Russian forces shelled Kharkiv on Monday.\n";
    let le = dir.path().join("le.txt");
    let be = dir.path().join("be.txt");
    let bom = dir.path().join("bom.txt");
    let lines = dir.path().join("feed.jsonl");
    write(&le, &utf16(text, false));
    write(&be, &utf16(text, true));
    write(
        &bom,
        &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    let record = "{\"id\": \"u\", \"text\": \"Shelling hit Kherson.\"}\n";
    write(&lines, &utf16(record, false));
    let out = places(&[&le, &be, &bom, &lines]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("binary"), "{err}");
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 4, "{docs:?}");
    // The byte order mark is not part of the text: offsets count from the character after it.
    let at = char_at(text, "Kharkiv");
    for doc in &docs[..3] {
        assert!(
            mentions(doc).contains(&("Kharkiv".into(), at, at + 7)),
            "{doc}"
        );
    }
    assert_eq!(docs[3]["id"], "u");
    assert_eq!(mentions(&docs[3])[0].0, "Kherson");
}

#[test]
fn a_jsonl_id_no_number_type_holds_is_kept_as_its_json_text_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ids.jsonl");
    write(
        &file,
        b"{\"id\": 1e400, \"text\": \"Russian forces shelled Kharkiv.\"}\n{\"id\": 12345678901234567890123, \"text\": \"Clashes in Kherson.\"}\n",
    );
    let out = places(&[&file]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "1e400");
    assert_eq!(mentions(&docs[0])[0].0, "Kharkiv");
    // A plain integer, however long, is its own text, with no warning.
    assert_eq!(docs[1]["id"], "12345678901234567890123");
    assert!(
        err.contains("ids.jsonl:1: `id` is a number, not a string or an integer; kept as its JSON text 1e400"),
        "{err}"
    );
    assert!(!err.contains("ids.jsonl:2"), "{err}");
}

#[test]
fn ragged_csv_rows_are_named_by_file_and_line_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    write(
        &file,
        b"id,text\n1,Russian forces shelled Kharkiv.\n2,Clashes in Kherson, officials said.\n3\n4,Protesters gathered in Lviv.\n",
    );
    let out = places(&[&file]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("export.csv:3: the row has 3 fields, the header 2; skipped"),
        "{err}"
    );
    assert!(
        err.contains("export.csv:4: the row has 1 field, the header 2; skipped"),
        "{err}"
    );
    assert!(err.contains("2 documents failed"), "{err}");
    let ids: Vec<Value> = jsonl(&out.stdout).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, ["1", "4"]);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_inside_a_directory_is_skipped_with_a_warning_and_the_run_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    write(&corpus.join("a.txt"), b"Russian forces shelled Kharkiv.");
    // No writer will ever come: opening it would block the run forever.
    mkfifo(&corpus.join("b.txt"));
    write(&corpus.join("c.md"), b"Clashes in Kherson.");
    let out = places(&[&corpus]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning:")
            && err.contains("b.txt: a FIFO (named pipe), not a regular file; skipped"),
        "{err}"
    );
    assert_eq!(jsonl(&out.stdout).len(), 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, b"Russian forces shelled Kharkiv.").unwrap())
    };
    let out = places(&[&fifo]);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(mentions(&jsonl(&out.stdout)[0])[0].0, "Kharkiv");
}

/// A JSON Lines line of about `mb` MB.
fn long_line(mb: usize) -> Vec<u8> {
    let mut line = b"{\"id\": \"long\", \"text\": \"".to_vec();
    line.resize(mb << 20, b'a');
    line.extend_from_slice(b"\"}\n");
    line
}

#[test]
fn a_jsonl_line_over_the_limit_is_skipped_by_file_and_line_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.jsonl");
    let mut bytes = b"{\"id\": \"a\", \"text\": \"Russian forces shelled Kharkiv.\"}\n".to_vec();
    bytes.extend_from_slice(&long_line(3));
    bytes.extend_from_slice(b"{\"id\": \"c\", \"text\": \"Clashes in Kherson.\"}\n");
    write(&file, &bytes);
    let out = geoevents()
        .args(["places", "--no-progress", "--max-line-mb", "1"])
        .arg(&file)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "feed.jsonl:2: line too long (4 MB; limit 1 MB, raise with --max-line-mb); skipped"
        ),
        "{err}"
    );
    let ids: Vec<Value> = jsonl(&out.stdout).iter().map(|d| d["id"].clone()).collect();
    assert_eq!(ids, ["a", "c"]);
    // Raised, the line is read.
    let out = geoevents()
        .args(["places", "--no-progress", "--max-line-mb", "8"])
        .arg(&file)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(jsonl(&out.stdout).len(), 3);
    // Out of range is a usage error.
    let out = geoevents()
        .args(["places", "--max-line-mb", "0"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_lookup_batch_line_over_the_limit_is_answered_empty_and_told() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.txt");
    let mut bytes = b"Kharkiv\n".to_vec();
    bytes.resize(bytes.len() + (2 << 20), b'x');
    bytes.extend_from_slice(b"\nLviv\n");
    write(&file, &bytes);
    let out = geoevents()
        .args(["lookup", "--max-line-mb", "1", "--batch"])
        .arg(&file)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("names.txt:2: line too long (3 MB; limit 1 MB, raise with --max-line-mb)"),
        "{err}"
    );
    let answers = jsonl(&out.stdout);
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["query"], "Kharkiv");
    assert_eq!(answers[1]["results"].as_array().unwrap().len(), 0);
    assert_eq!(answers[2]["query"], "Lviv");
}

/// About `bytes` of report text with a few events in it, and multi-byte characters, so character
/// and byte offsets differ.
fn long_report(bytes: usize) -> String {
    let filler = [
        "Nothing of note happened on the quiet road — locals said. ",
        "Officials met to discuss the budget and the schools.\n",
        "Weather was mild for the season, a spokesman said. ",
    ];
    let events = [
        "Russian forces shelled Kharkiv on Monday. ",
        "Protesters gathered in Lviv on Tuesday.\n",
        "Shelling hit Kherson overnight. ",
    ];
    let mut text = String::new();
    let mut k = 0;
    while text.len() < bytes {
        k += 1;
        if k % 97 == 0 {
            text.push_str(events[(k / 97) % 3]);
        } else {
            text.push_str(filler[k % 3]);
        }
    }
    text
}

#[test]
fn a_long_plain_text_document_read_in_parts_gives_what_it_gives_whole() {
    let dir = tempfile::tempdir().unwrap();
    // Over two parts of 1 MB: read as it streams, in parts.
    let text = long_report(2_600_000);
    let txt = dir.path().join("dump.txt");
    write(&txt, text.as_bytes());
    // The same text as one JSON Lines document, which is read whole.
    let whole = dir.path().join("dump.jsonl");
    let record = serde_json::json!({"id": txt.display().to_string(), "text": text});
    write(&whole, format!("{record}\n").as_bytes());
    let parts = places(&[&txt]);
    assert_eq!(parts.status.code(), Some(0));
    let read_whole = places(&[&whole]);
    // One document, one line, the same places at the same offsets into the whole text.
    assert_eq!(jsonl(&parts.stdout).len(), 1);
    assert_eq!(parts.stdout, read_whole.stdout);
    let found = mentions(&jsonl(&parts.stdout)[0]);
    let last = found.iter().rev().find(|m| m.0 == "Kherson").unwrap();
    assert!(last.1 > 2_000_000, "{last:?}");
    let chars: Vec<char> = text.chars().collect();
    let at: String = chars[last.1 as usize..last.2 as usize].iter().collect();
    assert_eq!(at, "Kherson");
    // Standard input streams the same way.
    let stdin = geoevents()
        .args(["places", "--no-progress", "-"])
        .write_stdin(text.clone())
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(mentions(&jsonl(&stdin.stdout)[0]), found);
    // As JSON, the parts make one array element.
    let json = geoevents()
        .args(["places", "--no-progress", "--format", "json"])
        .arg(&txt)
        .arg(&whole)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let array: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(array.as_array().unwrap().len(), 2);
    assert_eq!(array[0]["places"], array[1]["places"]);
}

#[test]
fn map_of_a_document_read_in_parts_keeps_offsets_sentences_and_dateline() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("KYIV, 14 February 2023\n\n{}", long_report(1_300_000));
    let txt = dir.path().join("dump.txt");
    write(&txt, text.as_bytes());
    let whole = dir.path().join("dump.jsonl");
    let record = serde_json::json!({"id": txt.display().to_string(), "text": text});
    write(&whole, format!("{record}\n").as_bytes());
    let run = |input: &Path| {
        let out = geoevents()
            .args(["map", "--no-progress", "-o", "-", "--format", "geojsonseq"])
            .arg(input)
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        jsonl(&out.stdout)
            .into_iter()
            .map(|f| {
                let p = &f["properties"];
                (
                    p["x_start"].clone(),
                    p["x_sentence"].clone(),
                    p["event_date"].clone(),
                    p["location"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let parts = run(&txt);
    assert!(parts.len() > 10, "{parts:?}");
    assert_eq!(parts, run(&whole));
    // The last events come from the second part, dated by the first part's dateline.
    let last = parts.last().unwrap();
    assert!(last.0.as_u64().unwrap() > 1_048_576, "{last:?}");
    assert!(last.2.as_str().unwrap().starts_with("2023-02"), "{last:?}");
}

#[test]
fn a_csv_row_over_the_limit_ends_the_file_with_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    let mut bytes = b"id,text\n1,Russian forces shelled Kharkiv.\n2,\"".to_vec();
    // A quote never closed: the rest of the file is one field.
    bytes.resize(bytes.len() + (3 << 20), b'a');
    bytes.extend_from_slice(b"\n3,Clashes in Kherson.\n");
    write(&file, &bytes);
    let out = geoevents()
        .args(["places", "--no-progress", "--max-line-mb", "1"])
        .arg(&file)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("export.csv:3: a row longer than the limit of 1 MB (raise with --max-line-mb); the rest of the file is skipped"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "1");
}

#[test]
fn an_html_file_over_its_limit_is_skipped_by_name_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("huge.html");
    let mut html = b"<p>Russian forces shelled Kharkiv.</p>".to_vec();
    html.resize(3 << 20, b' ');
    write(&page, &html);
    let good = dir.path().join("good.txt");
    write(&good, b"Clashes in Kherson.");
    let out = geoevents()
        .args(["places", "--no-progress", "--max-html-mb", "2"])
        .arg(&page)
        .arg(&good)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("huge.html: HTML over 2 MB, which is read whole to find its markup; skipped (raise the limit with --max-html-mb"),
        "{err}"
    );
    assert_eq!(jsonl(&out.stdout).len(), 1);
    let out = places(&[&page]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(mentions(&jsonl(&out.stdout)[0])[0].0, "Kharkiv");
}
