//! A damaged index must give errors, never a panic, whatever byte is wrong.

use std::path::Path;

use geoevents::gazetteer::{BuildOptions, GazetteerBuilder};
use geoevents::lookup::{lookup, LookupOptions};
use geoevents::Gazetteer;

fn fixture_index(dir: &Path) -> Vec<u8> {
    let mut b = GazetteerBuilder::new(BuildOptions::default());
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geonames");
    for f in [
        "UA.txt",
        "PL.txt",
        "alternateNamesV2.txt",
        "admin1CodesASCII.txt",
        "countryInfo.txt",
    ] {
        b.add_source(&fx.join(f)).unwrap();
    }
    let out = dir.join("fx.gaz");
    b.build(&out).unwrap();
    std::fs::read(out).unwrap()
}

/// Everything a reader does with an index; errors are fine, panics are not.
fn exercise(g: &Gazetteer) {
    let _ = g.verify();
    let _ = g.meta();
    for q in [
        "Bakhmut",
        "Kyiv",
        "Artemivsk",
        "Харків",
        "Warsaw",
        "Ivanivske",
    ] {
        let _ = lookup(g, q, &LookupOptions::default());
    }
    for i in 0..g.len() as u32 {
        let _ = g.place(i);
        let _ = g.alt_names(i);
    }
}

#[test]
fn every_flipped_byte_is_an_error_or_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture_index(dir.path());
    let clean =
        Gazetteer::from_static("fixture", Box::leak(good.clone().into_boxed_slice())).unwrap();
    assert!(clean.verify().is_ok());
    // The library contains fst panics on damaged bytes; keep their messages out of the test log.
    std::panic::set_hook(Box::new(|info| {
        if !geoevents::gazetteer::panic_is_contained() {
            eprintln!("{info}");
        }
    }));
    let mut opened = 0;
    // Every byte of the header and a stride through the rest keeps this quick in debug builds.
    let positions = (0..200.min(good.len())).chain((200..good.len()).step_by(3));
    for pos in positions {
        for mask in [0x01u8, 0xff] {
            let mut bad = good.clone();
            bad[pos] ^= mask;
            let leaked: &'static [u8] = Box::leak(bad.into_boxed_slice());
            if let Ok(g) = Gazetteer::from_static("damaged", leaked) {
                opened += 1;
                assert!(
                    g.verify().is_err(),
                    "byte {pos} ^ {mask:#x} passed the data checksum"
                );
                exercise(&g);
            }
        }
    }
    assert!(
        opened > 0,
        "damage past the header should still open (and fail the checksum)"
    );
}

#[test]
fn every_truncation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture_index(dir.path());
    for len in (0..good.len()).step_by(7) {
        let leaked: &'static [u8] = Box::leak(good[..len].to_vec().into_boxed_slice());
        assert!(
            Gazetteer::from_static("short", leaked).is_err(),
            "a {len}-byte prefix opened"
        );
    }
}
