//! `geoevents map` through the real binary: layer files, their styles and types as GDAL reads
//! them, and the three events the Bakhmut-front report must give (when `../shared` is present).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::geoevents;
use serde_json::{json, Value};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/report-2024-03-02.txt")
}

/// The fields every event feature carries, with the type GDAL must read for each.
const FIELD_TYPES: &[(&str, &str)] = &[
    ("event_date", "Date"),
    ("time_precision", "Integer"),
    ("event_type", "String"),
    ("sub_event_type", "String"),
    ("actor1", "String"),
    ("actor2", "String"),
    ("assoc_actor_1", "String"),
    ("assoc_actor_2", "String"),
    ("inter1", "String"),
    ("inter2", "String"),
    ("interaction", "String"),
    ("civilian_targeting", "String"),
    ("disorder_type", "String"),
    ("country", "String"),
    ("admin1", "String"),
    ("admin2", "String"),
    ("admin3", "String"),
    ("location", "String"),
    ("latitude", "Real"),
    ("longitude", "Real"),
    ("geo_precision", "Integer"),
    ("source", "String"),
    ("notes", "String"),
    ("fatalities", "Integer"),
    ("x_doc_id", "String"),
    ("x_geonameid", "Integer"),
    ("x_mention", "String"),
    ("x_sentence", "Integer"),
    ("x_start", "Integer"),
    ("x_end", "Integer"),
    ("x_confidence", "Real"),
    ("x_event_id", "String"),
    ("x_lang", "String"),
];

fn features_of(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one Feature per line"))
        .collect()
}

#[test]
fn layers_land_in_output_one_per_event_type_with_a_style_beside_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = geoevents()
        .current_dir(dir.path())
        .args(["map", "--date", "2024-03-02"])
        .arg(example())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.path().join("output");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    let layers: Vec<&String> = names.iter().filter(|n| n.ends_with(".geojson")).collect();
    assert!(layers.len() >= 2, "{names:?}");
    for layer in layers {
        assert!(layer.starts_with("report-2024-03-02-"), "{layer}");
        let style = layer.replace(".geojson", ".qml");
        assert!(names.contains(&style), "no style beside {layer}");
        let fc: Value =
            serde_json::from_str(&fs::read_to_string(folder.join(layer)).unwrap()).unwrap();
        assert_eq!(fc["type"], "FeatureCollection");
        let features = fc["features"].as_array().unwrap();
        assert!(!features.is_empty());
        let kinds: Vec<&str> = features
            .iter()
            .map(|f| f["properties"]["event_type"].as_str().unwrap())
            .collect();
        assert!(
            kinds.windows(2).all(|w| w[0] == w[1]),
            "one event type per layer: {kinds:?}"
        );
        for f in features {
            let c = f["geometry"]["coordinates"].as_array().unwrap();
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            // [lon, lat], the report's places are all in Ukraine or its neighbours.
            assert!(
                (22.0..41.0).contains(&lon) && (44.0..53.0).contains(&lat),
                "{c:?}"
            );
            assert_eq!(f["properties"]["longitude"].as_f64().unwrap(), lon);
            let keys: Vec<&str> = f["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            let want: Vec<&str> = FIELD_TYPES.iter().map(|(n, _)| *n).collect();
            assert_eq!(keys, want);
        }
    }
}

#[test]
fn the_example_report_gives_its_shelling_strikes_and_meeting() {
    let out = geoevents()
        .args([
            "map",
            "--date",
            "2024-03-02",
            "-o",
            "-",
            "--format",
            "geojsonseq",
        ])
        .arg(example())
        .output()
        .unwrap();
    assert!(out.status.success());
    let events: Vec<(String, String, String)> = features_of(&out.stdout)
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
            (s("event_type"), s("x_mention"), s("event_date"))
        })
        .collect();
    let has = |t: &str, at: &str, date: &str| {
        events
            .iter()
            .any(|(a, b, c)| a == t && b == at && c == date)
    };
    assert!(
        has("Explosions/Remote violence", "Chasiv Yar", "2024-03-01"),
        "{events:?}"
    );
    assert!(
        has("Explosions/Remote violence", "Kharkiv", "2024-03-01"),
        "{events:?}"
    );
    assert!(has("Battles", "Avdiivka", "2024-03-02"), "{events:?}");
    // "in Donetsk and Luhansk regions reported shelling of Soledar": the shelling is at Soledar.
    assert!(
        has("Explosions/Remote violence", "Soledar", "2024-03-01"),
        "{events:?}"
    );
    assert!(
        has("Strategic developments", "Kyiv", "2024-03-02"),
        "{events:?}"
    );
    // The minister's meeting was in Kyiv; Warsaw is where his guest came from.
    assert!(events.iter().all(|(_, at, _)| at != "Warsaw"), "{events:?}");
}

#[test]
fn csv_layers_have_coordinates_and_a_csvt_naming_each_columns_type() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.csv");
    geoevents()
        .args([
            "map",
            "--date",
            "2024-03-02",
            "--format",
            "csv",
            "--split-by",
            "none",
            "-o",
        ])
        .arg(&target)
        .arg(example())
        .assert()
        .success();
    let mut rows = csv_rows(&fs::read_to_string(&target).unwrap());
    let header = rows.remove(0);
    assert_eq!(
        header,
        FIELD_TYPES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
    );
    assert!(!rows.is_empty());
    let lat = header.iter().position(|h| h == "latitude").unwrap();
    assert!(rows.iter().all(|r| r[lat]
        .parse::<f64>()
        .is_ok_and(|v| (44.0..53.0).contains(&v))));
    let csvt = fs::read_to_string(dir.path().join("events.csvt")).unwrap();
    let types: Vec<String> = FIELD_TYPES
        .iter()
        .map(|(n, t)| match *n {
            "latitude" => "\"CoordY\"".to_string(),
            "longitude" => "\"CoordX\"".to_string(),
            _ => format!("\"{t}\""),
        })
        .collect();
    assert_eq!(csvt.trim(), types.join(","));
    assert!(dir.path().join("events.qml").is_file());
}

/// A small CSV reader for the test: quoted fields may hold commas.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => out.push(std::mem::take(&mut cur)),
                    c => cur.push(c),
                }
            }
            out.push(cur);
            out
        })
        .collect()
}

/// What GDAL reads in a layer: its fields with their types, its geometry type, and whether its
/// coordinate system is EPSG:4326.
struct GdalLayer {
    fields: BTreeMap<String, String>,
    geometry: Option<String>,
    wgs84: bool,
}

fn ogrinfo_fields(path: &Path) -> GdalLayer {
    let Some((text, _)) = common::ogrinfo(&["-al".as_ref(), "-so".as_ref(), path.as_os_str()])
    else {
        return GdalLayer {
            fields: BTreeMap::new(),
            geometry: None,
            wgs84: false,
        };
    };
    let geometry = text
        .lines()
        .find_map(|l| l.strip_prefix("Geometry: "))
        .map(str::to_string);
    // Field lines look like `event_date: Date (0.0)` or `x_start: Integer (0.0)`.
    let fields = text
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let kind = rest.split_whitespace().next()?;
            let known = ["String", "Integer", "Integer64", "Real", "Date", "DateTime"];
            (known.contains(&kind) && rest.contains('('))
                .then(|| (name.trim().to_string(), kind.to_string()))
        })
        .collect();
    let wgs84 = text.contains("ID[\"EPSG\",4326]") || text.contains("AUTHORITY[\"EPSG\",\"4326\"]");
    GdalLayer {
        fields,
        geometry,
        wgs84,
    }
}

#[test]
fn gdal_reads_every_field_with_its_one_type_event_date_as_a_date_and_wgs84() {
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [
        ("geojson", "events.geojson"),
        ("geojsonseq", "events.geojsonl"),
        ("csv", "events.csv"),
    ] {
        let target = dir.path().join(file);
        geoevents()
            .args([
                "map",
                "--date",
                "2024-03-02",
                "--split-by",
                "none",
                "--format",
                format,
                "-o",
            ])
            .arg(&target)
            .arg(example())
            .assert()
            .success();
        let GdalLayer {
            fields,
            geometry,
            wgs84,
        } = ogrinfo_fields(&target);
        if fields.is_empty() {
            return;
        }
        assert_eq!(geometry.as_deref(), Some("Point"), "{format}");
        // GeoJSON is WGS 84 by definition; the CSV says so in the `.prj` beside it.
        assert!(wgs84, "{format}: GDAL sees no EPSG:4326");
        for (name, want) in FIELD_TYPES {
            // GDAL reads CSV coordinates into columns of their own as well; the typed ones stay.
            assert_eq!(
                fields.get(*name).map(String::as_str),
                Some(*want),
                "{format}: {name} in {fields:?}"
            );
        }
    }
}

#[test]
fn output_to_a_file_inside_a_file_fails_with_status_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "x").unwrap();
    let out = geoevents()
        .args(["map", "--date", "2024-03-02", "-o"])
        .arg(blocker.join("layers/"))
        .arg(example())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-a-folder"), "{err}");
}

#[test]
fn a_malformed_date_is_a_usage_error() {
    geoevents()
        .args(["map", "--date", "14/02/2023", "-o", "-"])
        .arg(example())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a date like 2023-02-14"));
}

#[test]
fn the_bakhmut_front_report_gives_the_shelling_the_gains_and_the_meeting() {
    let Some(path) = common::ukraine_report() else {
        return;
    };
    let out = geoevents()
        .args([
            "map",
            "--date",
            "2023-02-14",
            "-o",
            "-",
            "--format",
            "geojsonseq",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let events = features_of(&out.stdout);
    let find = |event_type: &str, geonameid: u64| {
        events
            .iter()
            .map(|f| &f["properties"])
            .find(|p| p["event_type"] == event_type && p["x_geonameid"] == geonameid)
            .unwrap_or_else(|| panic!("no {event_type} event at {geonameid}: {events:#?}"))
    };
    let shelling = find("Explosions/Remote violence", 713174); // Bakhmut
    assert_eq!(
        shelling["sub_event_type"],
        "Shelling/artillery/missile attack"
    );
    assert_eq!(shelling["event_date"], "2023-02-13");
    assert_eq!(shelling["geo_precision"], 1);
    let gains = find("Battles", 704463); // Krasna Hora
    assert_eq!(gains["actor1"], "Wagner Group");
    let meeting = find("Strategic developments", 2800866); // Brussels
    assert_eq!(meeting["event_date"], "2023-02-14");
    assert_eq!(meeting["actor1"], "NATO");
    // The Ramstein group's gathering was in Germany, not at Ramstein, and Kyiv only speaks.
    find("Strategic developments", 2921044);
    assert!(events
        .iter()
        .all(|f| f["properties"]["x_mention"] != "Kyiv"));
}

#[test]
fn an_event_keeps_its_id_from_run_to_run() {
    let doc = "{\"id\": \"note-1\", \"text\": \"On 3 March 2023, Russian forces shelled Kupiansk, \
               Kharkiv.\", \"date\": \"2023-03-03\"}\n";
    let run = || {
        let out = geoevents()
            .args(["map", "--format", "geojsonseq", "-o", "-", "-"])
            .write_stdin(doc)
            .output()
            .unwrap();
        features_of(&out.stdout)
            .iter()
            .map(|f| f["properties"]["x_event_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    // The id is part of the output contract: FNV-1a over the document id, the site's GeoNames
    // id, the date and the type (see layers::event_id); a change here breaks users' joins.
    assert_eq!(first, ["d0f8ae94d88309a9"]);
}

#[test]
fn a_documents_own_date_comes_first_then_its_dateline_then_the_date_flag() {
    let dir = tempfile::tempdir().unwrap();
    let dated = dir.path().join("update.txt");
    fs::write(
        &dated,
        "Frontline update, 2 March 2024\n\nYesterday troops shelled Kupiansk.\n",
    )
    .unwrap();
    let bare = dir.path().join("bare.txt");
    fs::write(&bare, "Yesterday troops shelled Izium.\n").unwrap();
    let run = |extra: &[&str]| {
        geoevents()
            .args(["map", "--format", "geojsonseq", "-o", "-"])
            .args(extra)
            .arg(&dated)
            .arg(&bare)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let dates: Vec<Value> = features_of(&out.stdout)
        .iter()
        .map(|f| f["properties"]["event_date"].clone())
        .collect();
    assert_eq!(dates, [json!("2024-03-01"), Value::Null]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 document with no date"), "{err}");
    assert!(err.contains("bare.txt"), "{err}");
    // --date is a fallback: the dateline still wins where there is one.
    let out = run(&["--date", "2024-05-05"]);
    let dates: Vec<Value> = features_of(&out.stdout)
        .iter()
        .map(|f| f["properties"]["event_date"].clone())
        .collect();
    assert_eq!(dates, [json!("2024-03-01"), json!("2024-05-04")]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no date"));
}
