//! Shared helpers for the CLI tests: run the real binary, build fixture indexes.
#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geonames")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The six GeoNames fixture files.
pub fn all_fixture_sources() -> Vec<PathBuf> {
    [
        "UA.txt",
        "PL.txt",
        "alternateNamesV2.txt",
        "admin1CodesASCII.txt",
        "admin2Codes.txt",
        "countryInfo.txt",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect()
}

/// `geoevents` with the environment cleared of a user's gazetteer.
pub fn geoevents() -> Command {
    let mut c = Command::cargo_bin("geoevents").unwrap();
    c.env_remove("GEOEVENTS_GAZETTEER");
    c
}

/// Builds `sources` into `dir/name` through the CLI and returns the index path.
pub fn build(dir: &Path, name: &str, sources: &[PathBuf], extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    geoevents()
        .args(["gazetteer", "build"])
        .args(sources)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    out
}

/// Runs `lookup --format jsonl ARGS` for one query on `index` (the embedded gazetteer when None)
/// and returns the parsed `results`.
pub fn lookup_results(index: Option<&Path>, args: &[&str]) -> Vec<serde_json::Value> {
    let mut cmd = geoevents();
    if let Some(index) = index {
        cmd.arg("--gazetteer").arg(index);
    }
    let out = cmd
        .args(["lookup", "--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lookup {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["results"].as_array().unwrap().clone()
}

/// `lookup_results` for one query on `index`, with extra flags.
pub fn lookup_json(index: &Path, query: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec![query];
    args.extend_from_slice(extra);
    lookup_results(Some(index), &args)
}

pub fn info_json(index: &Path) -> serde_json::Value {
    let out = geoevents()
        .args(["gazetteer", "info"])
        .arg(index)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "info failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub use geoevents::lookup::distance_km;

/// `../shared/examples/ukraine-report-2023-02-14.txt`, or None (said on stderr) when `../shared`
/// is absent and GEOEVENTS_ALLOW_MISSING_SHARED=1 allows skipping; without that, its absence fails
/// the test.
pub fn ukraine_report() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/examples/ukraine-report-2023-02-14.txt");
    if path.is_file() {
        return Some(path);
    }
    let msg = format!("*** SHARED DATA MISSING: {} ***", path.display());
    if std::env::var_os("GEOEVENTS_ALLOW_MISSING_SHARED").is_some_and(|v| v == "1") {
        eprintln!("{msg} (skipped: GEOEVENTS_ALLOW_MISSING_SHARED=1)");
        return None;
    }
    panic!("{msg}; set GEOEVENTS_ALLOW_MISSING_SHARED=1 to skip knowingly");
}

/// Runs `cmd`, asserts it succeeded (showing its stderr if not), and returns its output.
pub fn ok_output(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `cmd`, asserts it succeeded (showing its stderr if not), and returns its stdout.
pub fn ok_stdout(cmd: &mut Command) -> String {
    String::from_utf8(ok_output(cmd).stdout).unwrap()
}

/// Runs GDAL's `ogrinfo ARGS`, asserts it succeeded, and returns (stdout, stderr). None (said on
/// stderr) when ogrinfo cannot run and GEOEVENTS_ALLOW_MISSING_GDAL=1 allows skipping; without
/// that, its absence fails the test.
pub fn ogrinfo(args: &[&std::ffi::OsStr]) -> Option<(String, String)> {
    let out = match std::process::Command::new("ogrinfo").args(args).output() {
        Ok(o) => o,
        Err(e) => {
            let msg = format!("*** GDAL MISSING: ogrinfo could not run ({e}); `.ci/run` installs Debian's gdal-bin ***");
            if std::env::var_os("GEOEVENTS_ALLOW_MISSING_GDAL").is_some_and(|v| v == "1") {
                eprintln!("{msg} (skipped: GEOEVENTS_ALLOW_MISSING_GDAL=1)");
                return None;
            }
            panic!("{msg}; set GEOEVENTS_ALLOW_MISSING_GDAL=1 to skip knowingly");
        }
    };
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}
