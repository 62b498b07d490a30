//! Builds from the real GeoNames files in `../shared/data/geonames` and checks places a war report
//! names. Needs `../shared` beside the repository; without it these tests fail loudly, unless
//! GEOEVENTS_ALLOW_MISSING_SHARED=1 says to skip them (and they still print why).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

fn shared_geonames() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/geonames");
    if dir.join("UA.txt").is_file() {
        return Some(dir);
    }
    let msg = format!(
        "\n\n*** SHARED DATA MISSING: {} not found. These tests need the GeoNames files of ../shared \
         (UA.txt, cities15000.zip, admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt). ***\n",
        dir.display()
    );
    if std::env::var_os("GEOEVENTS_ALLOW_MISSING_SHARED").is_some_and(|v| v == "1") {
        eprintln!("{msg}*** SKIPPED because GEOEVENTS_ALLOW_MISSING_SHARED=1 ***\n");
        None
    } else {
        panic!("{msg}Set GEOEVENTS_ALLOW_MISSING_SHARED=1 to skip them knowingly.");
    }
}

/// The index built once from the shared files, for all tests in this file.
fn index() -> Option<&'static Path> {
    static INDEX: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let src = shared_geonames()?;
            let dir = tempfile::tempdir().unwrap();
            let files: Vec<PathBuf> = [
                "UA.txt",
                "cities15000.zip",
                "admin1CodesASCII.txt",
                "admin2Codes.txt",
                "countryInfo.txt",
            ]
            .iter()
            .map(|f| src.join(f))
            .collect();
            let path = build(dir.path(), "ua.gaz", &files, &[]);
            Some((dir, path))
        })
        .as_ref()
        .map(|(_, p)| p.as_path())
}

#[test]
fn counts_match_the_dumps() {
    let Some(index) = index() else { return };
    let info = info_json(index);
    // Every UA.txt row is kept; cities15000's Ukrainian rows are the same places and add none.
    assert_eq!(info["sources"][3]["rows"], 45086);
    assert_eq!(
        info["counts"]["by_country"]["UA"].as_u64().unwrap(),
        45086 + 1
    );
    let cities = &info["sources"][4];
    assert_eq!(cities["rows"], 32847);
    assert!(cities["kept"].as_u64().unwrap() < 32847);
    assert!(info["counts"]["by_country"].as_object().unwrap().len() > 200);
    assert_eq!(info["counts"]["by_feature_class"]["A"], 2605);
}

#[test]
fn krasna_hora_is_the_village_north_of_bakhmut() {
    let Some(index) = index() else { return };
    let r = &lookup_json(index, "Krasna Hora", &["--country", "UA"])[0];
    assert_eq!(r["geonameid"], 704463);
    assert_eq!(r["admin1"], "Donetsk");
    let (lat, lon) = (
        r["latitude"].as_f64().unwrap(),
        r["longitude"].as_f64().unwrap(),
    );
    let bakhmut = &lookup_json(index, "Bakhmut", &[])[0];
    assert_eq!(bakhmut["geonameid"], 713174);
    let d = distance_km(
        lat,
        lon,
        bakhmut["latitude"].as_f64().unwrap(),
        bakhmut["longitude"].as_f64().unwrap(),
    );
    assert!(
        d < 10.0 && lat > bakhmut["latitude"].as_f64().unwrap(),
        "{d} km"
    );
}

#[test]
fn the_zherebets_is_a_river_near_lyman() {
    let Some(index) = index() else { return };
    let lyman = &lookup_json(index, "Lyman", &["--country", "UA"])[0];
    assert_eq!(lyman["geonameid"], 704204);
    let rivers = lookup_json(index, "Zherebets", &["--feature-class", "H"]);
    let near: Vec<&serde_json::Value> = rivers
        .iter()
        .filter(|r| {
            distance_km(
                r["latitude"].as_f64().unwrap(),
                r["longitude"].as_f64().unwrap(),
                lyman["latitude"].as_f64().unwrap(),
                lyman["longitude"].as_f64().unwrap(),
            ) < 30.0
        })
        .collect();
    assert_eq!(near.len(), 1, "{rivers:?}");
    assert_eq!(near[0]["geonameid"], 687176);
    assert_eq!(near[0]["feature_code"], "STM");
    // Unqualified, the Donetsk river still ranks first.
    assert_eq!(lookup_json(index, "Zherebets", &[])[0]["geonameid"], 687176);
}

#[test]
fn donetska_oblast_is_the_first_order_division() {
    let Some(index) = index() else { return };
    for q in ["Donetska Oblast", "Донецька область"] {
        let r = &lookup_json(index, q, &[])[0];
        assert_eq!(r["geonameid"], 709716, "{q}");
        assert_eq!(r["feature_code"], "ADM1");
        let d = distance_km(
            r["latitude"].as_f64().unwrap(),
            r["longitude"].as_f64().unwrap(),
            48.05,
            37.67,
        );
        assert!(d < 75.0, "{q}: {d} km");
    }
}

#[test]
fn world_cities_come_from_cities15000() {
    let Some(index) = index() else { return };
    assert_eq!(lookup_json(index, "Brussels", &[])[0]["geonameid"], 2800866);
    let moscow = &lookup_json(index, "Moscow", &[])[0];
    assert_eq!(
        (
            moscow["geonameid"].as_u64(),
            moscow["country_code"].as_str()
        ),
        (Some(524901), Some("RU"))
    );
    assert_eq!(lookup_json(index, "Харків", &[])[0]["geonameid"], 706483);
}
