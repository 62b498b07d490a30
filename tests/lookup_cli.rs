//! `geoevents lookup` through the real binary, on the hand-written fixtures.

mod common;

use std::sync::OnceLock;

use common::*;
use predicates::prelude::*;

/// One fixture index shared by the tests of this file.
fn index() -> &'static std::path::Path {
    static INDEX: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = build(dir.path(), "fx.gaz", &all_fixture_sources(), &[]);
        (dir, path)
    });
    path
}

#[test]
fn candidates_carry_every_contract_field() {
    let r = &lookup_json(index(), "Bakhmut", &[])[0];
    for field in [
        "geonameid",
        "name",
        "latitude",
        "longitude",
        "feature_class",
        "feature_code",
        "country_code",
        "admin1",
        "admin2",
        "population",
        "score",
        "matched_name",
        "matched",
        "edit_distance",
        "country",
        "admin1_code",
        "admin2_code",
    ] {
        assert!(r.get(field).is_some(), "{field} missing from {r}");
    }
    assert_eq!(r["geonameid"], 713174);
    assert_eq!(r["feature_code"], "PPLA2");
    assert_eq!(
        (r["admin1_code"].as_str(), r["admin2_code"].as_str()),
        (Some("05"), Some("1402"))
    );
    assert_eq!(
        (r["country"].as_str(), r["matched"].as_str()),
        (Some("Ukraine"), Some("exact"))
    );
    assert_eq!(r["edit_distance"], 0);
    assert_eq!(r["latitude"], 48.59419);
    assert_eq!(r["longitude"], 37.99886);
    let score = r["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
}

#[test]
fn the_city_ranks_above_the_river_and_the_village_of_the_same_name() {
    let ids: Vec<u64> = lookup_json(index(), "Bakhmut", &[])
        .iter()
        .map(|c| c["geonameid"].as_u64().unwrap())
        .collect();
    assert_eq!(ids[0], 713174);
    assert!(ids.contains(&712958) && ids.contains(&712959), "{ids:?}");
    let scores: Vec<f64> = lookup_json(index(), "Bakhmut", &[])
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn folds_case_diacritics_apostrophes_and_hyphens() {
    for q in ["krasna hora", "KRASNA HORA", "Krasna-Hora", "Krásna Hora"] {
        assert_eq!(lookup_json(index(), q, &[])[0]["geonameid"], 704463, "{q}");
    }
    for q in ["Ivanivs'ke", "Ivanivs’ke", "Ivanivske"] {
        let ids: Vec<u64> = lookup_json(index(), q, &[])
            .iter()
            .map(|c| c["geonameid"].as_u64().unwrap())
            .collect();
        assert!(ids.contains(&704285), "{q}: {ids:?}");
    }
}

#[test]
fn alternate_historic_and_cyrillic_names_say_how_they_matched() {
    let a = &lookup_json(index(), "Artemivsk", &[])[0];
    assert_eq!(
        (a["geonameid"].as_u64(), a["matched"].as_str()),
        (Some(713174), Some("historic"))
    );
    assert_eq!(a["matched_name"], "Artemivsk");
    let d = &lookup_json(index(), "Dnipropetrovsk", &[])[0];
    assert_eq!(
        (d["geonameid"].as_u64(), d["matched"].as_str()),
        (Some(709930), Some("historic"))
    );
    let k = &lookup_json(index(), "Kiev", &[])[0];
    assert_eq!(
        (k["geonameid"].as_u64(), k["matched"].as_str()),
        (Some(703448), Some("colloquial"))
    );
    let h = &lookup_json(index(), "Харків", &[])[0];
    assert_eq!(
        (h["geonameid"].as_u64(), h["matched"].as_str()),
        (Some(706483), Some("alternate"))
    );
    assert_eq!(h["matched_name"], "Харків");
    let o = &lookup_json(index(), "Donetska Oblast", &[])[0];
    assert_eq!(
        (o["geonameid"].as_u64(), o["feature_code"].as_str()),
        (Some(709716), Some("ADM1"))
    );
}

#[test]
fn ignores_links_postcodes_ids_and_orphans() {
    for q in [
        "84500",
        "Q1899",
        "London",
        "https://en.wikipedia.org/wiki/Kyiv",
    ] {
        assert!(
            lookup_json(index(), q, &[]).is_empty(),
            "{q} should not match"
        );
    }
}

#[test]
fn country_feature_class_and_limit_narrow_results() {
    assert!(lookup_json(index(), "Bakhmut", &["--country", "PL"]).is_empty());
    let ua = lookup_json(index(), "Bakhmut", &["--country", "ua"]);
    assert_eq!(ua.len(), 4);
    let h = lookup_json(index(), "Bakhmut", &["--feature-class", "H"]);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["geonameid"], 712958);
    assert_eq!(lookup_json(index(), "Bakhmut", &["--limit", "2"]).len(), 2);
    let w = lookup_json(index(), "Warsaw", &["--country", "UA,PL"]);
    assert_eq!(w[0]["geonameid"], 756135);
}

#[test]
fn batch_answers_every_line_in_order() {
    let out = geoevents()
        .arg("--gazetteer")
        .arg(index())
        .args(["lookup", "--batch", "-"])
        .write_stdin("Kyiv\n\nnowhere at all\nKrasna Hora\r\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["results"][0]["geonameid"], 703448);
    assert_eq!(lines[1]["query"], "");
    assert_eq!(lines[2]["results"].as_array().unwrap().len(), 0);
    assert_eq!(lines[3]["query"], "Krasna Hora");
    assert_eq!(lines[3]["results"][0]["geonameid"], 704463);
}

#[test]
fn batch_reads_files_and_names_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queries.txt");
    std::fs::write(&file, "Lviv\nOdesa\n").unwrap();
    let out = geoevents()
        .env("GEOEVENTS_GAZETTEER", index())
        .args(["lookup", "Kherson", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let queries: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["query"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(queries, ["Kherson", "Lviv", "Odesa"]);
}

#[test]
fn json_format_prints_one_object_per_query() {
    let out = geoevents()
        .arg("--gazetteer")
        .arg(index())
        .args(["lookup", "Lviv", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "Lviv");
    assert_eq!(v["results"][0]["geonameid"], 702550);
}

#[test]
fn text_output_reads_at_a_glance() {
    geoevents()
        .arg("--gazetteer")
        .arg(index())
        .args(["lookup", "Artemivsk", "Nowhereville"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Bakhmut [713174] second-order admin seat (PPLA2)",
        ))
        .stdout(predicate::str::contains("Bakhmut Raion, Donetsk, Ukraine"))
        .stdout(predicate::str::contains("historic \"Artemivsk\""))
        .stdout(predicate::str::contains("Nowhereville: no match"));
}

#[test]
fn usage_errors_exit_2_with_advice() {
    geoevents()
        .arg("--gazetteer")
        .arg(index())
        .arg("lookup")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "give one or more NAMEs or --batch",
        ));
    geoevents()
        .arg("--gazetteer")
        .arg(index())
        .args(["lookup", "Kyiv", "--country", "UKR"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two-letter ISO country code"));
    geoevents()
        .arg("--gazetteer")
        .arg(index())
        .args(["lookup", "Kyiv", "--batch", "/nonexistent/queries.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/queries.txt"));
    geoevents()
        .args(["lookup", "Kyiv", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_gazetteer_says_what_to_pass() {
    geoevents()
        .args(["--gazetteer", "/nonexistent/world.gaz", "lookup", "Kyiv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/world.gaz"));
}
