//! Any line, as a row of a GeoNames dump: the parser must reject or read it, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        let _ = geoevents::gazetteer::parse_geonames_line(line);
    }
});
