//! Any bytes, as a document: input decoding, HTML stripping, recognition, resolution, events and
//! layer serialisation must not panic.
//!
//! Long documents: an input that starts with the byte 0xFF is `0xFF, n, body`, and the document is
//! `body` repeated n·64 times, up to `LONG_MAX` bytes, so that a short input reaches the window
//! splitting and long-document paths that libFuzzer's length limit would keep it from.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;

/// The longest document the repeat mode builds.
const LONG_MAX: usize = 1 << 20;

fn document(data: &[u8]) -> Cow<'_, [u8]> {
    match data {
        [0xFF, n, body @ ..] if !body.is_empty() => {
            let times = (usize::from(*n) * 64).min(LONG_MAX / body.len()).max(1);
            Cow::Owned(body.repeat(times))
        }
        _ => Cow::Borrowed(data),
    }
}

fuzz_target!(|data: &[u8]| {
    let gaz = geoevents::embedded::gazetteer().expect("embedded gazetteer");
    let data = document(data);
    let data = &data[..];
    let text = String::from_utf8_lossy(data);
    let text = if data.first() == Some(&b'<') {
        geoevents::input::strip_html(&text)
    } else {
        text.into_owned()
    };
    let opts = geoevents::places::PlacesOptions {
        demonyms: data.len() % 2 == 0,
        prior: Default::default(),
    };
    let found = geoevents::places::places(gaz, &text, &opts).expect("places");
    let n = text.chars().count();
    for p in &found {
        assert!(p.start <= p.end && p.end <= n, "offsets within the text");
    }
    let doc_date = chrono::NaiveDate::from_ymd_opt(2023, 2, 14);
    let events = geoevents::events::events(
        gaz,
        &text,
        &geoevents::events::EventOptions {
            doc_date,
            prior: Default::default(),
        },
    )
    .expect("events");
    let origin = geoevents::layers::Origin {
        doc_id: "fuzz",
        source: "fuzz",
    };
    for e in &events {
        let _ = geoevents::layers::feature(e, &origin);
        let _ = geoevents::layers::csv_row(e, &origin);
    }
});
