//! The default gazetteer compiled into the binary: what a user gets with no download.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::*;
use geoevents::embedded;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Rows of a committed TSV file, comments skipped.
fn rows(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(repo(path))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn feature_codes() -> HashMap<(String, String), u64> {
    let g = embedded::gazetteer().unwrap();
    let mut counts = HashMap::new();
    for i in 0..g.len() as u32 {
        let p = g.place(i).unwrap();
        *counts.entry((p.feature_class, p.feature_code)).or_default() += 1;
    }
    counts
}

#[test]
fn info_reports_the_embedded_index() {
    let out = geoevents()
        .args(["gazetteer", "info", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["checksum"], "ok");
    assert!(info["counts"]["by_feature_class"]["P"].as_u64().unwrap() >= 230_000);
    assert!(info["size_bytes"].as_u64().unwrap() > 1_000_000);
    let files: Vec<&str> = info["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"gazetteer/supplement.tsv"), "{files:?}");
}

#[test]
fn has_the_world_down_to_villages_with_subdivisions() {
    let codes = feature_codes();
    let count = |class: &str, pred: &dyn Fn(&str) -> bool| -> u64 {
        codes
            .iter()
            .filter(|((c, f), _)| c == class && pred(f))
            .map(|(_, n)| n)
            .sum()
    };
    assert!(count("P", &|_| true) >= 230_000);
    assert!(count("A", &|f| f.starts_with("ADM")) >= 50_000);
}

#[test]
fn every_country_has_a_place_of_its_own() {
    let g = embedded::gazetteer().unwrap();
    let mut ids = HashSet::new();
    for i in 0..g.len() as u32 {
        ids.insert(g.raw_record(i).unwrap().geonameid);
    }
    let countries = rows("gazetteer/extracts/countryInfo.txt");
    assert!(countries.len() >= 250);
    let missing: Vec<&str> = countries
        .iter()
        .filter(|c| !ids.contains(&c[16].parse::<u32>().unwrap()))
        .map(|c| c[0].as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "countries without a record: {missing:?}"
    );
}

#[test]
fn every_supplement_row_is_in_the_index_where_it_says() {
    let g = embedded::gazetteer().unwrap();
    let mut by_id = HashMap::new();
    for i in 0..g.len() as u32 {
        let r = g.raw_record(i).unwrap();
        by_id.insert(r.geonameid, (r.lat_e6, r.lon_e6));
    }
    let supplement = rows("gazetteer/supplement.tsv");
    assert!(supplement.len() >= 100);
    for row in &supplement {
        assert_eq!(row.len(), 20, "{row:?}");
        assert!(!row[19].trim().is_empty(), "{} cites no source", row[1]);
        let id: u32 = row[0].parse().unwrap();
        let (lat, lon) = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("{} ({id}) missing", row[1]));
        // The supplement comes first among the dumps, so its coordinates are the ones kept.
        let want = (
            (row[4].parse::<f64>().unwrap() * 1e6).round() as i32,
            (row[5].parse::<f64>().unwrap() * 1e6).round() as i32,
        );
        assert_eq!((*lat, *lon), want, "{} ({id})", row[1]);
    }
}

#[test]
fn krasna_hora_and_donetsk_oblast_in_every_spelling() {
    let r = &lookup_results(None, &["Krasna Hora", "--country", "UA"])[0];
    assert_eq!(r["geonameid"], 704463);
    for q in ["Donetsk Oblast", "Donetska oblast", "Донецька область"] {
        let r = &lookup_results(None, &[q])[0];
        assert_eq!(
            (r["geonameid"].as_u64(), r["feature_code"].as_str()),
            (Some(709716), Some("ADM1")),
            "{q}"
        );
        let d = distance_km(
            r["latitude"].as_f64().unwrap(),
            r["longitude"].as_f64().unwrap(),
            48.05,
            37.67,
        );
        assert!(d <= 75.0, "{q}: {d:.0} km from 48.05 N 37.67 E");
    }
}

#[test]
fn short_forms_regions_rivers_and_infrastructure_resolve() {
    let first = |q: &str| lookup_results(None, &[q])[0].clone();
    assert_eq!(first("U.S.")["geonameid"], 6252001);
    assert_eq!(first("Britain")["geonameid"], 2635167);
    assert_eq!(first("W.Va.")["geonameid"], 4826850);
    assert_eq!(first("Donbas")["feature_code"], "RGN");
    assert_eq!(first("Europe")["feature_code"], "CONT");
    assert_eq!(first("Siverskyi Donets")["feature_class"], "H");
    assert_eq!(first("Kerch Bridge")["feature_code"], "BDG");
    assert_eq!(first("Artemivsk")["geonameid"], 713174);
    assert_eq!(first("Артемівськ")["geonameid"], 713174);
    assert_eq!(first("Kiev")["geonameid"], 703448);
}

#[test]
fn country_points_land_near_the_middle() {
    // GeoNames' own country points; benchmarks score within 161 km of them.
    for (q, lat, lon) in [
        ("United States", 39.76, -98.5),
        ("Ukraine", 49.0, 32.0),
        ("France", 46.0, 2.0),
        ("Germany", 51.5, 10.5),
    ] {
        let r = &lookup_results(None, &[q, "--feature-class", "A"])[0];
        let d = distance_km(
            r["latitude"].as_f64().unwrap(),
            r["longitude"].as_f64().unwrap(),
            lat,
            lon,
        );
        assert!(d < 161.0, "{q}: {d:.0} km");
    }
}
