//! Compiles the default gazetteer from the committed extracts in `gazetteer/` (see its README) into
//! `$OUT_DIR/default.gaz`, which `src/embedded.rs` embeds in the binary.

use std::path::{Path, PathBuf};

use geoevents_core::gazetteer::{BuildOptions, GazetteerBuilder};

/// Order matters: for a place in several main dumps the first wins, so the curated supplement
/// overrides the others, and GeoNames' full Ukraine dump (current points, every feature class and
/// all its alternate names) overrides the package-derived world extracts for Ukraine.
const SOURCES: &[&str] = &[
    "gazetteer/extracts/countryInfo.txt",
    "gazetteer/extracts/admin1Codes.txt",
    "gazetteer/extracts/admin2Codes.txt",
    "gazetteer/supplement.tsv",
    "gazetteer/extracts/UA.zip",
    "gazetteer/extracts/countries.zip",
    "gazetteer/extracts/subdivisions.zip",
    "gazetteer/extracts/cities500.zip",
    "gazetteer/aliases.tsv",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
    }
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("default.gaz");
    let mut builder = GazetteerBuilder::new(BuildOptions::default());
    for s in SOURCES {
        if let Err(e) = builder.add_source(Path::new(s)) {
            panic!("embedded gazetteer: {e}\n(regenerate the extracts with `python3 gazetteer/make_extracts.py`)");
        }
    }
    let summary = builder
        .build(&out)
        .unwrap_or_else(|e| panic!("embedded gazetteer: {e}"));
    for w in &summary.warnings {
        println!("cargo:warning=embedded gazetteer: {w}");
    }
}
