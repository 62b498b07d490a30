//! `geoevents map --format gpkg` through the real binary: the GeoPackage as GDAL reads it, its
//! rows against the GeoJSON features of the same input, `--append`, the QGIS styles inside, and
//! the refusals.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::geoevents;
use geoevents::layers::{qml, FIELDS};
use rusqlite::Connection;
use serde_json::Value;

/// Three reports of three event types, in three sentences.
const REPORT: &str = "Russian forces shelled Kherson on 14 February 2023, killing two civilians.\n\
                      Ukrainian troops repelled an assault near Bakhmut on 13 February 2023.\n\
                      Protesters rallied in Lviv on 2 March 2023.\n";

fn report(dir: &Path) -> PathBuf {
    let path = dir.join("report.txt");
    fs::write(&path, REPORT).unwrap();
    path
}

/// `map --format gpkg ARGS -o OUTPUT INPUT`.
fn map_command(args: &[&str], output: &Path, input: &Path) -> assert_cmd::Command {
    let mut cmd = geoevents();
    cmd.args(["map", "--format", "gpkg"])
        .args(args)
        .arg("-o")
        .arg(output)
        .arg(input);
    cmd
}

/// Another report, of one protest.
fn odesa(dir: &Path) -> PathBuf {
    let path = dir.join("odesa.txt");
    fs::write(&path, "Protesters gathered in Odesa on 3 March 2023.\n").unwrap();
    path
}

/// Runs `map --format gpkg ARGS -o OUTPUT INPUT`, asserts success, returns stderr.
fn map_gpkg(args: &[&str], output: &Path, input: &Path) -> String {
    let out = common::ok_output(&mut map_command(args, output, input));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `map --format gpkg ARGS -o OUTPUT INPUT`, asserts it fails with status 2, returns stderr.
fn map_gpkg_refused(args: &[&str], output: &Path, input: &Path) -> String {
    let out = map_command(args, output, input).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A file's bytes and modification time.
fn snapshot(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        fs::read(path).unwrap(),
        fs::metadata(path).unwrap().modified().unwrap(),
    )
}

fn rows(path: &Path, table: &str) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Per layer of `ogrinfo -so -al`: its name and its lines.
fn ogrinfo_layers(path: &Path) -> Option<BTreeMap<String, Vec<String>>> {
    let (text, stderr) = common::ogrinfo(&["-so".as_ref(), "-al".as_ref(), path.as_os_str()])?;
    // GDAL says nothing about a GeoPackage it finds in order.
    assert!(stderr.trim().is_empty(), "ogrinfo warned: {stderr}");
    let mut layers = BTreeMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("Layer name: ") {
            layers.extend(current.take());
            current = Some((name.to_string(), Vec::new()));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line.to_string());
        }
    }
    layers.extend(current);
    Some(layers)
}

#[test]
fn gdal_reads_a_table_per_event_type_with_typed_fields_in_epsg_4326() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("events.gpkg");
    let err = map_gpkg(&[], &gpkg, &report(dir.path()));
    assert!(
        err.contains(&format!(
            "wrote 1 event to {} (table explosions_remote_violence)",
            gpkg.display()
        )),
        "{err}"
    );
    // Nothing but the GeoPackage (no temporary file, no style file) is left beside it.
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["events.gpkg", "report.txt"]);
    let Some(layers) = ogrinfo_layers(&gpkg) else {
        return;
    };
    let names: Vec<&str> = layers.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "battles",
            "explosions_remote_violence",
            "layer_styles",
            "protests"
        ]
    );
    for (name, lines) in layers.iter().filter(|(n, _)| *n != "layer_styles") {
        let has = |l: &str| lines.iter().any(|x| x == l);
        assert!(has("Geometry: Point"), "{name}: {lines:#?}");
        assert!(has("Feature Count: 1"), "{name}");
        assert!(has("    ID[\"EPSG\",4326]]"), "{name}: {lines:#?}");
        assert!(
            has("FID Column = fid") && has("Geometry Column = geom"),
            "{name}"
        );
        for (field, kind) in FIELDS {
            let want = format!("{field}: {} (0.0)", kind.gdal_name());
            assert!(has(&want), "{name}: no `{want}` in {lines:#?}");
        }
        // The contract's examples, spelt out.
        for want in [
            "event_date: Date (0.0)",
            "fatalities: Integer (0.0)",
            "latitude: Real (0.0)",
        ] {
            assert!(has(want), "{name}: {want}");
        }
    }
}

#[test]
fn the_rows_hold_the_geojson_properties_and_point() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    let gpkg = dir.path().join("all.gpkg");
    map_gpkg(&["--split-by", "none"], &gpkg, &input);
    let out = geoevents()
        .args(["map", "--format", "geojsonseq", "-o", "-"])
        .arg(&input)
        .output()
        .unwrap();
    let features: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(features.len(), 3);
    let conn = Connection::open(&gpkg).unwrap();
    let columns: Vec<String> = FIELDS.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT geom, {} FROM events ORDER BY fid",
            columns.join(", ")
        ))
        .unwrap();
    let got: Vec<(Vec<u8>, Vec<Value>)> = stmt
        .query_map([], |r| {
            let geom: Vec<u8> = r.get(0)?;
            let mut values = Vec::new();
            for i in 1..=FIELDS.len() {
                values.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(v) => Value::from(v),
                    rusqlite::types::ValueRef::Real(v) => Value::from(v),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::from(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(_) => Value::from("blob"),
                });
            }
            Ok((geom, values))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(got.len(), features.len());
    for ((geom, values), f) in got.iter().zip(&features) {
        let props: Vec<Value> = f["properties"]
            .as_object()
            .unwrap()
            .values()
            .cloned()
            .collect();
        assert_eq!(values, &props);
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        // GeoPackageBinary: "GP", version 0, little-endian with an envelope, EPSG:4326, then
        // the envelope and the WKB point [lon, lat].
        assert_eq!(&geom[..8], b"GP\x00\x03\xe6\x10\x00\x00");
        let at = |i: usize| f64::from_le_bytes(geom[i..i + 8].try_into().unwrap());
        assert_eq!((at(8), at(24)), (lon, lat));
        assert_eq!((at(45), at(53)), (lon, lat));
    }
    // The extent in gpkg_contents spans the points.
    let (min_x, max_y): (f64, f64) = conn
        .query_row(
            "SELECT min_x, max_y FROM gpkg_contents WHERE table_name = 'events'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let lons = features
        .iter()
        .map(|f| f["geometry"]["coordinates"][0].as_f64().unwrap());
    let lats = features
        .iter()
        .map(|f| f["geometry"]["coordinates"][1].as_f64().unwrap());
    assert_eq!(min_x, lons.fold(f64::INFINITY, f64::min));
    assert_eq!(max_y, lats.fold(f64::NEG_INFINITY, f64::max));
}

#[test]
fn appending_the_same_input_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    let gpkg = dir.path().join("store.gpkg");
    // A missing file is made.
    let first = map_gpkg(&["--append"], &gpkg, &input);
    assert!(
        first.contains(&format!(
            "wrote 1 event to {} (table battles; 0 already there)",
            gpkg.display()
        )),
        "{first}"
    );
    let again = map_gpkg(&["--append"], &gpkg, &input);
    for table in ["battles", "explosions_remote_violence", "protests"] {
        assert!(
            again.contains(&format!(
                "wrote 0 events to {} (table {table}; 1 already there)",
                gpkg.display()
            )),
            "{again}"
        );
        assert_eq!(rows(&gpkg, table), 1, "{table}");
        assert_eq!(rows(&gpkg, &format!("rtree_{table}_geom")), 1, "{table}");
    }
    // A new report adds its own events only.
    let more = odesa(dir.path());
    map_gpkg(&["--append"], &gpkg, &more);
    assert_eq!(rows(&gpkg, "protests"), 2);
    assert_eq!(rows(&gpkg, "battles"), 1);
    assert_eq!(rows(&gpkg, "layer_styles"), 3);
    // Without --append the file is replaced: nothing doubles either.
    map_gpkg(&[], &gpkg, &input);
    assert_eq!(rows(&gpkg, "protests"), 1);
    if let Some(layers) = ogrinfo_layers(&gpkg) {
        assert!(layers["protests"].iter().any(|l| l == "Feature Count: 1"));
    }
}

#[test]
fn each_table_has_one_default_qgis_style_in_layer_styles() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    let gpkg = dir.path().join("styled.gpkg");
    map_gpkg(&["--append"], &gpkg, &input);
    map_gpkg(&["--append"], &gpkg, &input);
    let conn = Connection::open(&gpkg).unwrap();
    let styles: Vec<(String, String, String, i64, String)> = conn
        .prepare(
            "SELECT f_table_name, f_geometry_column, styleName, useAsDefault, styleQML \
             FROM layer_styles ORDER BY f_table_name",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let tables: Vec<&str> = styles.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        tables,
        ["battles", "explosions_remote_violence", "protests"]
    );
    for (table, geom, name, default, style) in &styles {
        assert_eq!((geom.as_str(), name, *default), ("geom", table, 1));
        assert_eq!(style, &qml());
    }
    let kind: String = conn
        .query_row(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "attributes");
    // GDAL reads it as QGIS wrote it.
    let Some((text, _)) = common::ogrinfo(&[
        gpkg.as_os_str(),
        "-sql".as_ref(),
        "SELECT styleName, useAsDefault FROM layer_styles WHERE f_table_name = 'protests'".as_ref(),
    ]) else {
        return;
    };
    assert!(text.contains("styleName (String) = protests"), "{text}");
    assert!(
        text.contains("useAsDefault (Integer(Boolean)) = 1"),
        "{text}"
    );
}

#[test]
fn a_folder_target_gets_a_geopackage_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let first = report(dir.path());
    let second = odesa(dir.path());
    let out = dir.path().join("layers");
    geoevents()
        .args(["map", "--format", "gpkg", "--split-by", "none", "-o"])
        .arg(format!("{}/", out.display()))
        .arg(&first)
        .arg(&second)
        .assert()
        .success();
    assert_eq!(rows(&out.join("report.gpkg"), "events"), 3);
    assert_eq!(rows(&out.join("odesa.gpkg"), "events"), 1);
}

#[test]
fn a_file_that_is_not_a_geopackage_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    let notes = dir.path().join("notes.gpkg");
    fs::write(&notes, "my notes, not a GeoPackage\n").unwrap();
    let before = snapshot(&notes);
    for extra in [&[][..], &["--append"][..]] {
        let err = map_gpkg_refused(extra, &notes, &input);
        assert!(
            err.contains(&format!("{}: not a GeoPackage", notes.display())),
            "{err}"
        );
        assert!(before == snapshot(&notes), "{} changed", notes.display());
    }
    // A GeoPackage whose table of that name lacks our columns: refused, untouched.
    let other = dir.path().join("other.gpkg");
    map_gpkg(&["--split-by", "none"], &other, &input);
    Connection::open(&other)
        .unwrap()
        .execute_batch("DROP INDEX events_x_event_id; ALTER TABLE events DROP COLUMN x_event_id")
        .unwrap();
    let before = snapshot(&other);
    let err = map_gpkg_refused(&["--split-by", "none", "--append"], &other, &input);
    assert!(
        err.contains("table events lacks column x_event_id") && err.contains("write to a new file"),
        "{err}"
    );
    assert!(before == snapshot(&other), "{} changed", other.display());
}

#[test]
fn a_geopackage_needs_a_file_and_append_needs_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    geoevents()
        .args(["map", "--format", "gpkg", "-o", "-"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a GeoPackage cannot go to standard output",
        ));
    geoevents()
        .args(["map", "--format", "geojson", "--append", "-o"])
        .arg(dir.path().join("x.geojson"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--append is only for --format gpkg",
        ));
    assert!(!dir.path().join("x.geojson").exists());
}

#[test]
fn another_format_never_replaces_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let input = report(dir.path());
    let store = dir.path().join("store.gpkg");
    geoevents()
        .args(["map", "--format", "gpkg", "-o"])
        .arg(&store)
        .arg(&input)
        .assert()
        .success();
    let before = std::fs::read(&store).unwrap();
    for format in ["geojson", "html"] {
        geoevents()
            .args(["map", "--split-by", "none", "--format", format, "-o"])
            .arg(&store)
            .arg(&input)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("store.gpkg is a GeoPackage"));
        assert_eq!(std::fs::read(&store).unwrap(), before, "{format}");
    }
}
