//! The run's prior through the real binary: `--country`, `--near`, a document's own `country`,
//! and the batch's theatre, which must not depend on `--threads`.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

/// The geonameid each document's first place resolves to, in order.
fn first_ids(args: &[&str], stdin: &str) -> Vec<u64> {
    ok_stdout(
        geoevents()
            .arg("places")
            .args(args)
            .arg("-")
            .write_stdin(stdin.to_string()),
    )
    .lines()
    .map(|l| {
        let v: Value = serde_json::from_str(l).unwrap();
        v["places"][0]["geonameid"].as_u64().unwrap_or(0)
    })
    .collect()
}

/// A batch of front-line notes written for this test: forty on villages south of Volnovakha,
/// then a note on a village of a name that eleven villages of Donetsk oblast bear.
fn batch() -> String {
    let towns = ["Chermalyk", "Pavlopil", "Kalchyk", "Afiny"];
    let mut s = String::new();
    for i in 0..40 {
        let t = towns[i % towns.len()];
        s.push_str(&format!(
            "{{\"id\": \"n{i}\", \"text\": \"Troops shelled {t}, Donetsk, on day {i}.\"}}\n"
        ));
    }
    s.push_str("{\"id\": \"last\", \"text\": \"Troops shelled Novoselivka, Donetsk.\"}\n");
    s
}

#[test]
fn the_batch_theatre_leans_a_namesake_towards_the_batch_and_ignores_threads() {
    let one = first_ids(&["--threads", "1"], &batch());
    let two = first_ids(&["--threads", "2"], &batch());
    assert_eq!(
        one, two,
        "the same input gives the same output whatever --threads"
    );
    // The Novoselivka near Volnovakha, not the largest one, by Kramatorsk.
    assert_eq!(one.last(), Some(&699208));
    let alone = first_ids(&["--no-theatre"], &batch());
    assert_eq!(alone.last(), Some(&699185));
}

#[test]
fn near_and_country_are_priors() {
    let doc = "{\"id\": \"a\", \"text\": \"Troops entered Novoselivka, Donetsk.\"}\n";
    assert_eq!(first_ids(&[], doc), vec![699185]);
    assert_eq!(first_ids(&["--near", "47.40,37.73,20"], doc), vec![699208]);
    // A prior, not a filter: a place of another country is still found.
    let paris = "{\"id\": \"p\", \"text\": \"Talks were held in Paris.\"}\n";
    assert_eq!(first_ids(&["--country", "UA"], paris), vec![2988507]);
}

#[test]
fn a_document_names_its_own_country() {
    // "Alexandria" alone is the Egyptian city; a document about the United States reads it as
    // the Virginian one when nothing else in it says which.
    let plain = "{\"id\": \"a\", \"text\": \"Protesters gathered in Alexandria.\"}\n";
    let us = "{\"id\": \"a\", \"text\": \"Protesters gathered in Alexandria.\", \"country\": \"United States\"}\n";
    let us_code =
        "{\"id\": \"a\", \"text\": \"Protesters gathered in Alexandria.\", \"country\": \"us\"}\n";
    let egypt = first_ids(&[], plain);
    let virginia = first_ids(&[], us);
    assert_ne!(egypt, virginia);
    assert_eq!(first_ids(&[], us_code), virginia);
    assert_eq!(first_ids(&["--country", "US"], plain), virginia);
}

#[test]
fn bad_hints_are_usage_errors() {
    for bad in [
        ["--near", "91,0"],
        ["--near", "48.5"],
        ["--near", "48.5,37.9,-5"],
        ["--country", "Ukraine"],
    ] {
        geoevents()
            .arg("places")
            .args(bad)
            .arg("-")
            .write_stdin("Kyiv")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(bad[0]).or(predicate::str::contains("not")));
    }
}

#[test]
fn lookup_leans_on_the_batch_theatre_only_when_asked() {
    // The same villages south of Volnovakha, then the Novoselivka of Donetsk oblast.
    let mut queries = String::new();
    for i in 0..40 {
        let t = ["Chermalyk", "Pavlopil", "Kalchyk", "Afiny"][i % 4];
        queries.push_str(&format!("{t}, Donetsk\n"));
    }
    queries.push_str("Novoselivka, Donetsk\n");
    let first = |args: &[&str]| -> u64 {
        let out = ok_stdout(
            geoevents()
                .args(["lookup", "--batch", "-"])
                .args(args)
                .write_stdin(queries.clone()),
        );
        let last: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        last["results"][0]["geonameid"].as_u64().unwrap()
    };
    assert_eq!(first(&[]), 699185, "each answer stands alone by default");
    assert_eq!(first(&["--theatre"]), 699208);
    assert_eq!(first(&["--theatre", "--limit", "1"]), 699208);
}
