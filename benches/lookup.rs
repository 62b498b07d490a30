//! Criterion benches: opening an index and looking names up, on the hand-written fixtures and, when
//! `../shared` is present, on an index built from the shared Ukraine dump plus cities15000.

use std::path::{Path, PathBuf};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use geoevents::gazetteer::{BuildOptions, GazetteerBuilder};
use geoevents::lookup::{lookup, LookupOptions};
use geoevents::Gazetteer;

fn build(dir: &Path, sources: &[PathBuf]) -> PathBuf {
    let mut b = GazetteerBuilder::new(BuildOptions::default());
    for s in sources {
        b.add_source(s).unwrap();
    }
    let out = dir.join("bench.gaz");
    b.build(&out).unwrap();
    out
}

fn sources() -> (&'static str, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/geonames");
    if shared.join("UA.txt").is_file() {
        let files = [
            "UA.txt",
            "cities15000.zip",
            "admin1CodesASCII.txt",
            "admin2Codes.txt",
            "countryInfo.txt",
        ];
        (
            "shared UA + cities15000",
            files.iter().map(|f| shared.join(f)).collect(),
        )
    } else {
        eprintln!("*** ../shared is missing: benchmarking the small test fixtures instead ***");
        let fx = root.join("tests/fixtures/geonames");
        let files = [
            "UA.txt",
            "PL.txt",
            "alternateNamesV2.txt",
            "admin1CodesASCII.txt",
            "countryInfo.txt",
        ];
        ("fixtures", files.iter().map(|f| fx.join(f)).collect())
    }
}

const QUERIES: &[&str] = &[
    "Bakhmut",
    "Krasna Hora",
    "Kharkiv",
    "Donetska Oblast",
    "Харків",
    "Moscow",
    "Lyman",
    "Nowhere",
];

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (label, files) = sources();
    let index = build(dir.path(), &files);
    let opts = LookupOptions::default();
    c.bench_function(&format!("open + first lookup ({label})"), |b| {
        b.iter(|| {
            let g = Gazetteer::open(&index).unwrap();
            black_box(lookup(&g, "Bakhmut", &opts).unwrap())
        })
    });
    let g = Gazetteer::open(&index).unwrap();
    c.bench_function(
        &format!("lookup, {} mixed queries ({label})", QUERIES.len()),
        |b| {
            b.iter(|| {
                for q in QUERIES {
                    black_box(lookup(&g, q, &opts).unwrap());
                }
            })
        },
    );
}

criterion_group!(lookup_benches, benches);
criterion_main!(lookup_benches);
