//! Any bytes, as a gazetteer index file given with `--gazetteer`: opening it (the real
//! `Gazetteer::open`, from a file) and looking names up through it must give answers or errors,
//! never a panic, and no answer may carry a coordinate off the globe.
//!
//! The first byte is a mode: with its low bit set, the data and header checksums of the rest are
//! rewritten to match (`format::reseal`) before it is written, so mutations get past the checksum
//! into the decoders behind it; otherwise the bytes are written as they are.
#![no_main]

use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use geoevents::gazetteer::format;
use geoevents::lookup::{lookup, LookupOptions};
use geoevents::Gazetteer;
use libfuzzer_sys::fuzz_target;

const QUERIES: &[&str] = &[
    "Bakhmut",
    "Krasna Hora, Donetsk",
    "Kyiv",
    "Харків",
    "Warsaw",
    "Artemivsk",
    "Bakhmutt",
    "UA",
];

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("geoevents-fuzz-index-{}.gaz", std::process::id()))
    })
}

fn check_coords(lat: f64, lon: f64) {
    assert!(
        (-90.0..=90.0).contains(&lat),
        "latitude {lat} passed the reader"
    );
    assert!(
        (-180.0..=180.0).contains(&lon),
        "longitude {lon} passed the reader"
    );
}

fuzz_target!(|data: &[u8]| {
    // libFuzzer's hook aborts on any panic; the reader contains the fst crate's panics on damaged
    // bytes (turning them into errors), as the binary's hook does, so those are let through.
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !geoevents::gazetteer::panic_is_contained() {
                fuzzer_hook(info);
            }
        }));
    });
    let Some((&mode, image)) = data.split_first() else {
        return;
    };
    let mut image = image.to_vec();
    if mode & 1 == 1 {
        format::reseal(&mut image);
    }
    let path = scratch();
    std::fs::write(path, &image).expect("write the scratch index");
    let Ok(gaz) = Gazetteer::open(path) else {
        return;
    };
    let _ = gaz.meta();
    let opts = LookupOptions::default();
    for q in QUERIES {
        if let Ok(found) = lookup(&gaz, q, &opts) {
            for c in &found {
                check_coords(c.place.latitude, c.place.longitude);
            }
        }
    }
    let _ = gaz.fuzzy_postings("bakhmot", 2, 5);
    let _ = gaz.admin_names();
    for i in 0..gaz.len().min(64) as u32 {
        if let Ok(p) = gaz.place(i) {
            check_coords(p.latitude, p.longitude);
        }
        let _ = gaz.alt_names(i);
        let _ = gaz.stored_place(i);
    }
    let text = "Shelling hit Bakhmut and Krasna Hora near Kyiv, Ukraine, on 3 March.";
    let _ = geoevents::places::places(
        &gaz,
        text,
        &geoevents::places::PlacesOptions {
            demonyms: true,
            prior: Default::default(),
        },
    );
    // The next run writes the same path: unmap this one first.
    drop(gaz);
});
