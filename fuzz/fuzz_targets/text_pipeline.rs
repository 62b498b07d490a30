//! Any bytes, as a document: input decoding, HTML stripping, recognition, resolution, events and
//! layer serialisation must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let gaz = geoevents::embedded::gazetteer().expect("embedded gazetteer");
    let text = String::from_utf8_lossy(data);
    let text = if data.first() == Some(&b'<') {
        geoevents::input::strip_html(&text)
    } else {
        text.into_owned()
    };
    let opts = geoevents::places::PlacesOptions { demonyms: data.len() % 2 == 0 };
    let found = geoevents::places::places(gaz, &text, &opts).expect("places");
    let n = text.chars().count();
    for p in &found {
        assert!(p.start <= p.end && p.end <= n, "offsets within the text");
    }
    let doc_date = chrono::NaiveDate::from_ymd_opt(2023, 2, 14);
    let events = geoevents::events::events(gaz, &text, &geoevents::events::EventOptions { doc_date })
        .expect("events");
    let origin = geoevents::layers::Origin { doc_id: "fuzz", source: "fuzz" };
    for e in &events {
        let _ = geoevents::layers::feature(e, &origin);
        let _ = geoevents::layers::csv_row(e, &origin);
    }
});
