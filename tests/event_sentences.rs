//! The project's labelled sentences (tests/fixtures/events/*.tsv, written for it): how often the
//! events read from them agree with their labels. Floors sit a little under the figures
//! `python3 benches/events_eval.py` reports, so a change that loses events fails here.

use std::path::Path;

use geoevents::dates::parse_doc_date;
use geoevents::events::{events, EventOptions};

struct Labelled {
    text: String,
    doc_date: String,
    event_type: String,
    site: String,
    event_date: String,
}

fn read(name: &str) -> Vec<Labelled> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |row: &[&str], name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .map(|i| row[i].to_string())
            .unwrap_or_default()
    };
    lines
        .map(|l| {
            let row: Vec<&str> = l.split('\t').collect();
            assert_eq!(row.len(), header.len(), "{name}: {l}");
            let event_date = col(&row, "event_date");
            let doc_date = Some(col(&row, "doc_date"))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| event_date.clone());
            Labelled {
                text: col(&row, "text"),
                doc_date,
                event_type: col(&row, "event_type"),
                site: col(&row, "site"),
                event_date,
            }
        })
        .collect()
}

fn agreement(name: &str) -> Scores {
    let gaz = geoevents::embedded::gazetteer().unwrap();
    let rows = read(name);
    let (mut labelled, mut agree, mut detected, mut site, mut real, mut dated) = (0, 0, 0, 0, 0, 0);
    for r in &rows {
        let opts = EventOptions {
            doc_date: parse_doc_date(&r.doc_date),
            ..EventOptions::default()
        };
        let found = events(gaz, &r.text, &opts).unwrap();
        let best = found
            .iter()
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence));
        if r.event_type != "none" {
            labelled += 1;
        }
        let Some(e) = best else { continue };
        detected += 1;
        if r.event_type == "none" {
            continue;
        }
        real += 1;
        if e.event_type == r.event_type {
            agree += 1;
        }
        let wanted = r.site.to_lowercase();
        let wanted = wanted.trim_end_matches(" region");
        if e.mention.to_lowercase() == wanted || e.place.name.to_lowercase() == wanted {
            site += 1;
        }
        if e.event_date.map(|d| d.to_string()).as_deref() == Some(r.event_date.as_str()) {
            dated += 1;
        }
    }
    let ratio = |a: i32, b: i32| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Scores {
        types: ratio(agree, labelled),
        sites: ratio(site, real),
        dates: ratio(dated, real),
        precision: ratio(real, detected),
    }
}

struct Scores {
    /// event_type agreement over the labelled events.
    types: f64,
    /// Of the labelled events found: the site is the labelled one.
    sites: f64,
    /// Of the labelled events found: the event_date is the labelled one.
    dates: f64,
    /// Of the sentences with an event found: the share that are labelled with one.
    precision: f64,
}

/// Every set's event_type agreement at least its floor; sites, dates and detection precision at
/// least the floors given for that kind of set.
fn check(sets: &[(&str, f64)], sites: f64, dates: f64, precision: f64) {
    for &(set, floor) in sets {
        let s = agreement(set);
        assert!(
            s.types >= floor,
            "{set}: event_type agreement {:.3} < {floor}",
            s.types
        );
        assert!(s.sites >= sites, "{set}: site right {:.3}", s.sites);
        assert!(s.dates >= dates, "{set}: event_date right {:.3}", s.dates);
        assert!(
            s.precision >= precision,
            "{set}: detection precision {:.3}",
            s.precision
        );
    }
}

#[test]
fn acled_style_notes_agree_with_their_labels() {
    let sets = [
        ("acled_notes.tsv", 0.95),
        ("heldout_notes.tsv", 0.93),
        ("test_notes.tsv", 0.88),
        ("final_notes.tsv", 0.85),
    ];
    check(&sets, 0.7, 0.95, 0.95);
}

#[test]
fn report_sentences_agree_with_their_labels() {
    let sets = [
        ("reports.tsv", 0.9),
        ("heldout_reports.tsv", 0.83),
        ("test_reports.tsv", 0.88),
        ("final_reports.tsv", 0.8),
    ];
    check(&sets, 0.65, 0.9, 0.9);
}

#[test]
fn osint_captions_agree_with_their_labels() {
    // Short captions of the civilian-harm databases' kind, often without a verb.
    check(&[("captions.tsv", 0.85)], 0.85, 0.9, 0.9);
}
