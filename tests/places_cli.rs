//! `geoevents places` through the real binary, on reports written for these tests and, when
//! `../shared` is present, on the canonical Bakhmut-front report.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

fn report() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report-2024-03-02.txt")
}

fn places_of(args: &[&str]) -> Vec<Value> {
    let out = geoevents().arg("places").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["places"].as_array().unwrap().clone()
}

#[test]
fn every_place_of_the_report_with_its_type_and_offsets() {
    let path = report();
    let text: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
    let found = places_of(&[path.to_str().unwrap()]);
    let ids: Vec<u64> = found
        .iter()
        .map(|p| p["geonameid"].as_u64().unwrap())
        .collect();
    for (id, what) in [
        (710915, "Chasiv Yar"),
        (706483, "Kharkiv"),
        (713122, "Avdiivka"),
        (704463, "Krasna Hora"),
        (687176, "Zherebets River"),
        (704204, "Lyman"),
        (709716, "Donetsk (region)"),
        (702657, "Luhansk regions"),
        (706757, "Soledar"),
        (703656, "Kupiansk"),
        (703448, "Kyiv"),
        (756135, "Warsaw"),
        (2800866, "Brussels"),
    ] {
        assert!(ids.contains(&id), "{what} ({id}) missing from {ids:?}");
    }
    assert_eq!(found.len(), 13, "nothing else is a place: {found:?}");
    for p in &found {
        let (s, e) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            p["mention"].as_str().unwrap()
        );
    }
    let donetsk = found.iter().find(|p| p["geonameid"] == 709716).unwrap();
    assert_eq!(
        (
            donetsk["mention"].as_str(),
            donetsk["feature_code"].as_str()
        ),
        (Some("Donetsk"), Some("ADM1"))
    );
}

#[test]
fn demonyms_are_places_only_when_asked() {
    let path = report();
    let plain = places_of(&[path.to_str().unwrap()]);
    assert!(plain.iter().all(|p| p["matched"] != "demonym"));
    let with = places_of(&[path.to_str().unwrap(), "--demonyms"]);
    let russian = with
        .iter()
        .find(|p| p["mention"] == "Russian")
        .expect("Russian as a demonym");
    assert_eq!(
        (
            russian["country_code"].as_str(),
            russian["matched"].as_str()
        ),
        (Some("RU"), Some("demonym"))
    );
}

#[test]
fn people_and_organisations_are_not_places() {
    let text = "NATO Secretary-General Jens Stoltenberg met President Vladimir Putin's envoy in Brussels. \
                Stoltenberg said the Wagner group had moved east of Bakhmut. David Jones reported from Lyman.";
    let found = geoevents()
        .args(["places", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&found.stdout).unwrap();
    let mentions: Vec<&str> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["mention"].as_str().unwrap())
        .collect();
    assert_eq!(mentions, ["Brussels", "Bakhmut", "Lyman"]);
}

#[test]
fn metonymy_is_flagged() {
    let found = geoevents()
        .args(["places", "-"])
        .write_stdin("Britain's Ministry of Defence said the Ramstein group will meet in Germany.")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&found.stdout).unwrap();
    let by: Vec<(String, bool)> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mention"].as_str().unwrap().to_string(),
                p["metonymy"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by,
        [
            ("Britain".to_string(), true),
            ("Ramstein".to_string(), true),
            ("Germany".to_string(), false)
        ]
    );
}

#[test]
fn formats_and_jsonl_input_with_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        "{\"id\": \"a\", \"text\": \"Shelling hit Kharkiv.\"}\nnot json\n{\"id\": 7, \"text\": \"Quiet in Lviv.\"}\n",
    )
    .unwrap();
    let out = geoevents()
        .args(["places", "--format", "jsonl"])
        .arg(&docs)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad line makes the exit status 1"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("docs.jsonl:2"));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (
            lines[1]["id"].as_str(),
            lines[1]["places"][0]["geonameid"].as_u64()
        ),
        (Some("7"), Some(702550))
    );

    let geo = geoevents()
        .args(["places", "--format", "geojson"])
        .arg(&docs)
        .output()
        .unwrap();
    let fc: Value = serde_json::from_slice(&geo.stdout).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let f = &fc["features"][0];
    assert_eq!(f["geometry"]["coordinates"][0], 36.25475, "[lon, lat]");
    assert_eq!(f["properties"]["id"], "a");

    geoevents()
        .args(["places", "--format", "csv"])
        .arg(&docs)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "id,mention,start,end,geonameid,name,latitude,longitude",
        ))
        .stdout(predicate::str::contains("a,Kharkiv,13,20,706483,Kharkiv"));
    let json = geoevents()
        .args(["places", "--format", "json"])
        .arg(&docs)
        .output()
        .unwrap();
    let arr: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 2);
}

#[test]
fn the_bakhmut_front_report_is_mapped_without_people() {
    let Some(path) = common::ukraine_report() else {
        return;
    };
    let found = places_of(&[path.to_str().unwrap()]);
    let has = |id: u64, code: &str| {
        found
            .iter()
            .any(|p| p["geonameid"] == id && p["feature_code"] == code)
    };
    for (id, code, what) in [
        (713174, "PPLA2", "Bakhmut"),
        (704463, "PPL", "Krasna Hora"),
        (709718, "RGN", "Donbas"),
        (709716, "ADM1", "Donetsk region"),
        (702657, "ADM1", "Luhansk region"),
        (706482, "ADM1", "Kharkhiv region"),
        (687699, "ADM1", "Zaporizhzhya region"),
        (687176, "STM", "Zherberets River"),
        (2800866, "PPLC", "Brussels"),
        (2921044, "PCLI", "Germany"),
        (703448, "PPLC", "Kyiv"),
        (698740, "PPLA", "Odesa"),
        (690791, "PCLI", "Ukraine"),
        (2017370, "PCLI", "Russia"),
        (2635167, "PCLI", "Britain"),
    ] {
        assert!(has(id, code), "{what} ({id} {code}) missing");
    }
    for p in &found {
        let m = p["mention"].as_str().unwrap();
        for not_a_place in [
            "Stoltenberg",
            "Putin",
            "Zelenskiy",
            "Reznikov",
            "Jens",
            "Wagner",
            "NATO",
            "Vladimir",
            "Volodymyr",
        ] {
            assert!(!m.contains(not_a_place), "{m} is not a place");
        }
    }
}
