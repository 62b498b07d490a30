//! `geoevents gazetteer build|info` through the real binary, on hand-written GeoNames fixtures.

mod common;

use std::io::Write;

use common::*;
use predicates::prelude::*;

#[test]
fn builds_fixtures_and_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), "fx.gaz", &all_fixture_sources(), &[]);
    let info = info_json(&index);
    assert_eq!(info["format_version"], 3);
    assert_eq!(info["checksum"], "ok");
    assert_eq!(info["counts"]["places"], 38);
    assert_eq!(info["counts"]["by_country"]["UA"], 35);
    assert_eq!(info["counts"]["by_country"]["PL"], 3);
    assert_eq!(info["counts"]["by_feature_class"]["H"], 2);
    let kinds: Vec<&str> = info["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    for k in [
        "main_dump",
        "alternate_names",
        "admin1_codes",
        "admin2_codes",
        "country_info",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    // Historic names are kept and marked (Artemivsk, Dnipropetrovsk, Kirovohrad, ...).
    assert!(info["counts"]["historic_names"].as_u64().unwrap() >= 8);
    assert!(info["built_at"].as_str().unwrap().starts_with("20"));
    // The output folder holds the index and nothing half-written.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("fx.gaz")]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&index).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o044,
            0o044,
            "index should be readable by others: {mode:o}"
        );
    }
}

#[test]
fn info_text_names_sources_and_classes() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), "fx.gaz", &all_fixture_sources(), &[]);
    geoevents()
        .args(["gazetteer", "info"])
        .arg(&index)
        .assert()
        .success()
        .stdout(predicate::str::contains("places           38"))
        .stdout(predicate::str::contains(
            "UA.txt (main dump, 35 rows, 35 kept",
        ))
        .stdout(predicate::str::contains("format 3, checksum ok"));
}

#[test]
fn the_first_dump_with_a_place_wins_and_duplicates_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let ua = fixture("UA.txt");
    let copy = dir.path().join("cities500.txt");
    std::fs::copy(&ua, &copy).unwrap();
    let index = build(dir.path(), "dup.gaz", &[ua, copy], &[]);
    let info = info_json(&index);
    assert_eq!(info["counts"]["places"], 35);
    assert_eq!(info["sources"][1]["kept"], 0);
    assert_eq!(info["sources"][1]["rows"], 35);
}

#[test]
fn filters_by_country_class_and_population() {
    let dir = tempfile::tempdir().unwrap();
    let only_pl = build(
        dir.path(),
        "pl.gaz",
        &all_fixture_sources(),
        &["--countries", "pl"],
    );
    assert_eq!(info_json(&only_pl)["counts"]["places"], 3);
    let rivers = build(
        dir.path(),
        "h.gaz",
        &all_fixture_sources(),
        &["--feature-classes", "H"],
    );
    assert_eq!(info_json(&rivers)["counts"]["places"], 2);
    assert!(lookup_json(&rivers, "Bakhmut", &[])
        .iter()
        .all(|c| c["feature_class"] == "H"));
    let big = build(
        dir.path(),
        "big.gaz",
        &all_fixture_sources(),
        &["--min-population", "1000000"],
    );
    let counts = &info_json(&big)["counts"]["by_feature_class"];
    // Kyiv, Kharkiv, Odesa and Warsaw are the places of a million or more; other classes stay.
    assert_eq!(counts["P"], 4);
    assert_eq!(counts["H"], 2);
}

#[test]
fn reads_dumps_inside_zip_archives() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("UA.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("readme.txt", opts).unwrap();
    zip.write_all(b"GeoNames readme, not data\n").unwrap();
    zip.start_file("UA.txt", opts).unwrap();
    zip.write_all(&std::fs::read(fixture("UA.txt")).unwrap())
        .unwrap();
    zip.finish().unwrap();
    let index = build(dir.path(), "zip.gaz", &[zip_path], &[]);
    assert_eq!(info_json(&index)["counts"]["places"], 35);
    assert_eq!(
        lookup_json(&index, "Krasna Hora", &[])[0]["geonameid"],
        704463
    );
}

#[test]
fn unknown_and_mislabelled_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.gaz");
    geoevents()
        .args(["gazetteer", "build"])
        .arg(fixture("README.md"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "README.md: cannot tell what kind of GeoNames file",
        ));
    let liar = dir.path().join("admin1CodesASCII.txt");
    std::fs::copy(fixture("alternateNamesV2.txt"), &liar).unwrap();
    geoevents()
        .args(["gazetteer", "build"])
        .arg(fixture("UA.txt"))
        .arg(&liar)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the name says admin1 codes but the content looks like alternate names",
        ));
    geoevents()
        .args(["gazetteer", "build"])
        .arg(fixture("admin1CodesASCII.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no main GeoNames dump"));
    assert!(!out.exists());
}

#[test]
fn bad_rows_are_skipped_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("UA.txt");
    let mut text = std::fs::read(fixture("UA.txt")).unwrap();
    text.extend_from_slice(b"999\tBroken row with too few columns\n");
    text.extend_from_slice(
        b"1000\tBad\xffName\tBadName\t\t50.0\t30.0\tP\tPPL\tUA\t\t12\t\t\t\t10\t\t\t\t2024-01-01\n",
    );
    text.extend_from_slice(
        b"1001\tNowhere\tNowhere\t\t95.0\t30.0\tP\tPPL\tUA\t\t12\t\t\t\t10\t\t\t\t2024-01-01\n",
    );
    text.extend_from_slice(
        b"4294967295\tHuge\tHuge\t\t50.0\t30.0\tP\tPPL\tUA\t\t12\t\t\t\t10\t\t\t\t2024-01-01\n",
    );
    std::fs::write(&dump, text).unwrap();
    let out = dir.path().join("bad.gaz");
    geoevents()
        .args(["gazetteer", "build"])
        .arg(&dump)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "UA.txt, line 36: expected 19 tab-separated columns, found 2",
        ))
        .stderr(predicate::str::contains("UA.txt, line 37: invalid UTF-8"))
        .stderr(predicate::str::contains("UA.txt, line 38: latitude `95.0`"))
        .stderr(predicate::str::contains(
            "UA.txt, line 39: geonameid `4294967295` is not a number below",
        ))
        .stderr(predicate::str::contains("4 warnings"));
    let info = info_json(&out);
    // The line with invalid UTF-8 is kept, its bad bytes replaced; the other three are skipped.
    assert_eq!(info["counts"]["places"], 36);
    assert_eq!(info["sources"][0]["rejected"], 3);
}

#[test]
fn a_malformed_row_does_not_hide_a_good_row_of_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    // A curated file with a broken copy of Bakhmut comes first; UA.txt's row must still win.
    let bad = dir.path().join("supplement.tsv");
    std::fs::write(
        &bad,
        "713174\tBakhmut\tBakhmut\t\t48.59\t37.99\tP\tPPLA2X\tUA\t\t05\t\t\t\t0\t\t\t\t\tmy notes\n",
    )
    .unwrap();
    let out = dir.path().join("s.gaz");
    geoevents()
        .args(["gazetteer", "build"])
        .arg(&bad)
        .arg(fixture("UA.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("feature code `PPLA2X`"));
    let info = info_json(&out);
    assert_eq!(
        (
            info["sources"][0]["kept"].as_u64(),
            info["sources"][0]["rejected"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(
        lookup_json(&out, "Bakhmut", &["--feature-class", "P"])[0]["geonameid"],
        713174
    );
}

#[test]
fn a_query_that_fails_is_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), "fx.gaz", &[fixture("UA.txt")], &[]);
    // Point the first record's name (Kyiv, the first row of UA.txt) past the string table, and
    // rewrite the checksums to match (as a crafted file would), so the index still opens.
    let mut bytes = std::fs::read(&index).unwrap();
    let records_at =
        u64::from_le_bytes(bytes[32 + 3 * 16..32 + 3 * 16 + 8].try_into().unwrap()) as usize;
    bytes[records_at + 12..records_at + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    geoevents::gazetteer::format::reseal(&mut bytes);
    std::fs::write(&index, bytes).unwrap();
    let out = geoevents()
        .arg("--gazetteer")
        .arg(&index)
        .args(["lookup", "--batch", "-"])
        .write_stdin("Kyiv\nBakhmut\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("looking up `Kyiv`") && err.contains("1 queries failed"),
        "{err}"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(lines[1]["results"][0]["geonameid"], 713174);
}

#[test]
fn admin_names_come_from_tables_first_then_from_the_dump() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), "fx.gaz", &all_fixture_sources(), &[]);
    // 05.1402 is absent from admin2Codes.txt: the ADM2 row in UA.txt names it.
    let krasna = &lookup_json(&index, "Krasna Hora", &[])[0];
    assert_eq!(krasna["admin1"], "Donetsk");
    assert_eq!(krasna["admin2"], "Bakhmut Raion");
    assert_eq!(krasna["admin2_code"], "1402");
    assert_eq!(krasna["country"], "Ukraine");

    // A table entry wins over the dump's own ADM2 row for the same code.
    let table = dir.path().join("admin2Codes.txt");
    std::fs::write(
        &table,
        "UA.12.697796\tPecherskyi district\tPecherskyi district\t697796\n",
    )
    .unwrap();
    let mut sources = vec![fixture("UA.txt"), table];
    sources.push(fixture("admin1CodesASCII.txt"));
    let index = build(dir.path(), "t.gaz", &sources, &[]);
    let pechersk = &lookup_json(&index, "Pechersk Raion", &[])[0];
    assert_eq!(pechersk["admin2"], "Pecherskyi district");
}

#[test]
fn admin_names_are_ascii_and_a_third_level_comes_from_the_dumps_adm3_rows() {
    let dir = tempfile::tempdir().unwrap();
    // A made-up country file: a first-level table whose name has diacritics, a hromada (ADM3)
    // and two villages, one carrying the hromada's code and one not.
    let table = dir.path().join("admin1CodesASCII.txt");
    std::fs::write(&table, "ZZ.07\tVál Ország\tVal Orszag\t9000001\n").unwrap();
    let dump = dir.path().join("ZZ.txt");
    let row = |id: u32, name: &str, ascii: &str, class: &str, code: &str, a3: &str| {
        format!(
            "{id}\t{name}\t{ascii}\t\t47.1\t19.2\t{class}\t{code}\tZZ\t\t07\t0101\t{a3}\t\t0\t\t\t\t2026-01-01\n"
        )
    };
    let text = [
        row(
            9000002,
            "Hídvég Közösség",
            "Hidveg Kozosseg",
            "A",
            "ADM3",
            "9000002",
        ),
        row(9000003, "Hídvég", "Hidveg", "P", "PPL", "9000002"),
        row(9000004, "Kisfalu", "Kisfalu", "P", "PPL", ""),
    ]
    .concat();
    std::fs::write(&dump, text).unwrap();
    let index = build(dir.path(), "zz.gaz", &[table, dump], &[]);
    let village = &lookup_json(&index, "Hidveg", &["--feature-class", "P"])[0];
    assert_eq!(village["admin1"], "Val Orszag");
    assert_eq!(village["admin3_code"], "9000002");
    assert_eq!(village["admin3"], "Hidveg Kozosseg");
    let other = &lookup_json(&index, "Kisfalu", &[])[0];
    assert_eq!(other["admin3_code"], "");
    assert!(other["admin3"].is_null());
}

#[test]
fn output_folders_are_created_and_existing_indexes_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    let index = build(&nested, "fx.gaz", &[fixture("PL.txt")], &[]);
    assert_eq!(info_json(&index)["counts"]["places"], 3);
    build(&nested, "fx.gaz", &[fixture("UA.txt")], &[]);
    assert_eq!(info_json(&index)["counts"]["places"], 35);
    assert_eq!(std::fs::read_dir(&nested).unwrap().count(), 1);
}

#[test]
fn a_small_sort_budget_spills_and_gives_the_same_index() {
    let dir = tempfile::tempdir().unwrap();
    let a = build(dir.path(), "a.gaz", &all_fixture_sources(), &[]);
    let b = build(
        dir.path(),
        "b.gaz",
        &all_fixture_sources(),
        &["--sort-memory-mb", "0.002"],
    );
    let (ia, ib) = (info_json(&a), info_json(&b));
    assert_eq!(ia["counts"], ib["counts"]);
    for q in ["Bakhmut", "Artemivsk", "Kiev", "Warszawa", "Ivanivske"] {
        assert_eq!(lookup_json(&a, q, &[]), lookup_json(&b, q, &[]), "{q}");
    }
}

#[test]
fn damaged_indexes_name_the_rebuild_command() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path(), "fx.gaz", &all_fixture_sources(), &[]);
    let bytes = std::fs::read(&index).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.gaz",
            bytes[..bytes.len() / 2].to_vec(),
            "truncated",
        ),
        ("tiny.gaz", bytes[..20].to_vec(), "shorter than the"),
        (
            "foreign.gaz",
            b"PK\x03\x04 this is a zip, not an index".to_vec(),
            "not a geoevents gazetteer",
        ),
        (
            "version.gaz",
            {
                let mut b = bytes.clone();
                b[8] = 99;
                b
            },
            "format version 99",
        ),
        (
            "header.gaz",
            {
                let mut b = bytes.clone();
                b[40] ^= 0x55;
                b
            },
            "header checksum",
        ),
    ];
    for (name, data, expect) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        geoevents()
            .arg("--gazetteer")
            .arg(&p)
            .args(["lookup", "Bakhmut"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expect))
            .stderr(predicate::str::contains("geoevents gazetteer build"));
    }
    // Damage past the header is caught by the data checksum that `info` verifies.
    let mut data = bytes.clone();
    let last = data.len() - 3;
    data[last] ^= 0xff;
    let p = dir.path().join("data.gaz");
    std::fs::write(&p, data).unwrap();
    geoevents()
        .args(["gazetteer", "info"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("data checksum mismatch"))
        .stderr(predicate::str::contains("geoevents gazetteer build"));
}

#[test]
fn help_documents_every_flag() {
    let out = geoevents()
        .args(["gazetteer", "build", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--output",
        "--countries",
        "--feature-classes",
        "--min-population",
        "--sort-memory-mb",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
    let out = geoevents().args(["lookup", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--batch",
        "--country",
        "--feature-class",
        "--near",
        "--stats",
        "--limit",
        "--format",
        "--gazetteer",
        "GEOEVENTS_GAZETTEER",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}
