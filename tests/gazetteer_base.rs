//! `geoevents gazetteer build --base default|FILE` through the real binary, on small fixtures.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Runs `gazetteer build --base BASE SOURCES -o dir/name`; returns the index and stderr.
fn build_on(base: &str, dir: &Path, name: &str, sources: &[PathBuf]) -> (PathBuf, String) {
    let out = dir.join(name);
    let run = geoevents()
        .args(["gazetteer", "build", "--base", base])
        .args(sources)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "build on {base} failed: {stderr}");
    (out, stderr)
}

/// The (feature code, country code) of the best candidate for `query`.
fn top(index: &Path, query: &str) -> (String, String) {
    let results = lookup_json(index, query, &[]);
    let c = results
        .first()
        .unwrap_or_else(|| panic!("no candidate for {query}"));
    (
        c["feature_code"].as_str().unwrap().to_string(),
        c["country_code"].as_str().unwrap().to_string(),
    )
}

/// The build's stderr has exactly one line about coordinates that differ, and it says `count` and `ids`.
fn assert_one_conflict_report(stderr: &str, count: &str, ids: &str) {
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("from the base's coordinates"))
        .collect();
    assert_eq!(reports.len(), 1, "{stderr}");
    let r = reports[0];
    assert!(r.contains(count) && r.contains(ids), "{r}");
    assert!(r.contains("the source's rows were kept"), "{r}");
}

fn base_source(info: &serde_json::Value) -> serde_json::Value {
    info["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "base_index")
        .cloned()
        .unwrap_or_else(|| panic!("no base_index source in {info}"))
}

#[test]
fn a_country_file_on_the_default_adds_its_villages_and_keeps_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let villages = fixture("UA-villages.txt");
    // (The embedded gazetteer now holds all of Ukraine, these villages included: what this test
    // shows is that the layered index keeps them, with the world around them.)
    let (index, stderr) = build_on("default", dir.path(), "ua.gaz", &[villages]);

    for (village, id) in [
        ("Svistuny", 485524),
        ("Frolivske", 477085),
        ("Kovske", 543444),
    ] {
        // Pinned to Ukraine: a Polish town of 20,000 one letter from "Kovske" outranks a hamlet.
        let results = lookup_json(&index, village, &["--country", "UA"]);
        assert!(
            results.iter().any(|r| r["geonameid"] == id),
            "{village}: {results:?}"
        );
    }
    // Cyrillic-only names get their Latin spellings once: "Vaniushkyne" is Frolivske's old name.
    assert_eq!(
        lookup_json(&index, "Ванюшкине", &[])[0]["geonameid"],
        477085
    );
    // The world of the default is still there, with its countries and admin names.
    assert_eq!(top(&index, "Germany"), ("PCLI".into(), "DE".into()));
    assert_eq!(top(&index, "Paris"), ("PPLC".into(), "FR".into()));
    let kyiv = &lookup_json(&index, "Kyiv", &["--country", "UA"])[0];
    assert_eq!(kyiv["geonameid"], 703448);

    // Donetsk oblast's point in the default is derived; UA.txt's own lies elsewhere: one report.
    // The embedded default now carries the same dump rows: nothing differs from the base.
    assert!(!stderr.contains("from the base's coordinates"), "{stderr}");
    let oblast = &lookup_json(&index, "Donetska Oblast", &["--feature-class", "A"])[0];
    assert_eq!(oblast["geonameid"], 709716);
    assert!((oblast["latitude"].as_f64().unwrap() - 48.0).abs() > 0.01);

    let info = info_json(&index);
    let base = base_source(&info);
    assert_eq!(base["file"], "(embedded default gazetteer)");
    let default_places = info_json_default()["counts"]["places"].as_u64().unwrap();
    assert_eq!(base["rows"], default_places);
    // The default holds all of Ukraine now: the fixture's rows add no place, and lose none.
    assert_eq!(info["counts"]["places"], default_places);
}

/// `gazetteer info --format json` of the embedded gazetteer.
fn info_json_default() -> serde_json::Value {
    let out = geoevents()
        .args(["gazetteer", "info", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_dump_on_a_file_wins_where_both_have_a_place_and_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path(), "base.gaz", &all_fixture_sources(), &[]);
    let base_places = info_json(&base)["counts"]["places"].as_u64().unwrap();
    // Warsaw, Rzeszów and Przemyśl moved 50 km north, Kyiv unmoved, and a village the base lacks.
    let pl = std::fs::read_to_string(fixture("PL.txt")).unwrap();
    let mut rows: Vec<String> = pl
        .lines()
        .map(|l| {
            let mut cols: Vec<String> = l.split('\t').map(str::to_string).collect();
            let lat: f64 = cols[4].parse().unwrap();
            cols[4] = format!("{:.5}", lat + 0.45);
            cols.join("\t")
        })
        .collect();
    let ua = std::fs::read_to_string(fixture("UA.txt")).unwrap();
    // Kyiv with none of its alternate names.
    let mut kyiv: Vec<&str> = ua.lines().next().unwrap().split('\t').collect();
    kyiv[3] = "";
    rows.push(kyiv.join("\t"));
    rows.push(
        "485524\tSvistuny\tSvistuny\t\t47.72639\t38.40694\tP\tPPL\tUA\t\t05\t1408\t\t\t0\t\t98\tEurope/Kyiv\t2022-10-27"
            .into(),
    );
    let layer = dir.path().join("moved.txt");
    std::fs::write(&layer, rows.join("\n") + "\n").unwrap();

    let base_arg = base.to_str().unwrap();
    let (index, stderr) = build_on(base_arg, dir.path(), "layered.gaz", &[layer]);
    assert_one_conflict_report(&stderr, "3 places of", "(ids 756135, 759734, 761168)");
    let warsaw = &lookup_json(&index, "Warsaw", &[])[0];
    assert_eq!(warsaw["geonameid"], 756135);
    assert!((warsaw["latitude"].as_f64().unwrap() - 52.67977).abs() < 1e-6);
    // Kyiv keeps the base's alternate names and their flags; the base's own places keep theirs.
    let kiev = &lookup_json(&index, "Kiev", &[])[0];
    assert_eq!(
        (&kiev["geonameid"], &kiev["matched"]),
        (&703448.into(), &"colloquial".into())
    );
    assert_eq!(lookup_json(&index, "Київ", &[])[0]["geonameid"], 703448);
    assert_eq!(
        lookup_json(&index, "Artemivsk", &[])[0]["matched"],
        "historic"
    );
    assert_eq!(lookup_json(&index, "Svistuny", &[])[0]["geonameid"], 485524);

    let info = info_json(&index);
    assert_eq!(info["counts"]["places"], base_places + 1);
    let b = base_source(&info);
    assert_eq!(b["file"], base_arg);
    assert_eq!(b["rows"], base_places);
    // Warsaw, Rzeszów, Przemyśl and Kyiv came from the layer.
    assert_eq!(b["kept"], base_places - 4);
    // Admin names of the base stay: Svistuny's oblast is the base's "Donetsk".
    let s = &lookup_json(&index, "Svistuny", &[])[0];
    assert_eq!(s["admin1"], "Donetsk");
}

#[test]
fn code_tables_of_the_sources_win_over_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let base = build(dir.path(), "base.gaz", &all_fixture_sources(), &[]);
    let info = std::fs::read_to_string(fixture("countryInfo.txt"))
        .unwrap()
        .replace("\tUkraine\t", "\tUkraina\t");
    let table = dir.path().join("countryInfo.txt");
    std::fs::write(&table, info).unwrap();
    // No main dump: the base has the places.
    let (index, _) = build_on(base.to_str().unwrap(), dir.path(), "renamed.gaz", &[table]);
    let kyiv = &lookup_json(&index, "Kyiv", &[])[0];
    assert_eq!(kyiv["country"], "Ukraina");
    assert_eq!(kyiv["admin1"], "Kyiv City");
}

/// Runs a build on `base` that must fail with exit status 2; returns stderr.
fn failing_build(base: &Path, dir: &Path) -> String {
    let out = geoevents()
        .args(["gazetteer", "build", "--base"])
        .arg(base)
        .arg(fixture("PL.txt"))
        .arg("-o")
        .arg(dir.join("never.gaz"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("never.gaz").exists());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_damaged_base_fails_with_the_rebuild_recipe() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(build(dir.path(), "base.gaz", &all_fixture_sources(), &[])).unwrap();
    let mut flipped = good.clone();
    let at = flipped.len() * 2 / 3;
    flipped[at] ^= 0x5a;
    let mut old_version = good.clone();
    old_version[8] = 1;
    for (name, bytes) in [
        ("flipped.gaz", flipped),
        ("truncated.gaz", good[..good.len() / 2].to_vec()),
        ("version.gaz", old_version),
        ("text.gaz", b"Kyiv\t50.45\t30.52\n".to_vec()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let stderr = failing_build(&path, dir.path());
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(
            stderr.contains("rebuild it with `geoevents gazetteer build SOURCE... -o"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_missing_base_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.gaz");
    let stderr = failing_build(&missing, dir.path());
    assert!(
        stderr.contains(&format!("base index {} cannot be read", missing.display())),
        "{stderr}"
    );
    assert!(stderr.contains("No such file"), "{stderr}");
}
