//! A run over documents, as `map` and `places` make one: each document's prior (the run's hints,
//! the country it names for itself, the batch's theatre), its date, and its events or places, in
//! input order. The CLI, `serve` and the Python package all go through here, so the same
//! documents get the same answers whichever way they come in.

use chrono::NaiveDate;

use crate::batch::{self, Outcome};
use crate::dates::{dateline, parse_doc_date};
use crate::events::{events_counted, Event, EventOptions};
use crate::input::{Document, InputError, Part};
use crate::lang::Lang;
use crate::places::{places, sure_sites, PlaceMention, PlacesOptions};
use crate::theatre::{Prior, Theatre, SAMPLE_BYTES, SAMPLE_DOCS};
use crate::{Gazetteer, Result};

/// What a run knows beyond its documents, and how it reads them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Hinted countries and point (`--country`, `--near`); the theatre is drawn by the run.
    pub prior: Prior,
    /// Draw the batch's theatre from its first documents (`--no-theatre` turns it off).
    pub theatre: bool,
    /// The documents' language when the caller names it (`--lang`).
    pub lang: Option<Lang>,
    /// The date relative dates are read against when a document has none of its own (`--date`).
    pub date: Option<NaiveDate>,
    /// Map demonyms ("Russian forces") to their country (`places --demonyms`).
    pub demonyms: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            prior: Prior::default(),
            theatre: true,
            lang: None,
            date: None,
            demonyms: false,
        }
    }
}

impl Settings {
    fn places_options(&self, prior: &Prior) -> PlacesOptions {
        PlacesOptions {
            demonyms: self.demonyms,
            prior: prior.clone(),
        }
    }
}

/// One whole document held in memory, with no date, country or language of its own.
pub fn text_document(id: impl Into<String>, text: impl Into<String>) -> Document {
    Document::plain(&id.into(), text.into(), Part::default())
}

/// A document's prior: the run's, and the country the document names for itself (an ISO code,
/// or a country's name the gazetteer knows; a name it does not know adds nothing).
pub fn document_prior(gaz: &Gazetteer, run: &Prior, doc: &Document) -> Prior {
    let Some(c) = doc.country.as_deref().map(str::trim) else {
        return run.clone();
    };
    let code = if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
        Some(c.to_ascii_uppercase())
    } else {
        crate::lookup::country_code_of(gaz, c)
    };
    run.with_country(code.as_deref())
}

/// The date a document's relative dates are read against: its own `date`, else the dateline at
/// its head, else `fallback` (`--date`: a fallback, never an override).
pub fn document_date(doc: &Document, fallback: Option<NaiveDate>) -> Option<NaiveDate> {
    doc.date
        .as_deref()
        .and_then(parse_doc_date)
        .or_else(|| dateline(doc.opening(), fallback))
        .or(fallback)
}

/// Runs `work` on every document of `docs` on `pool` and hands each outcome to `sink` in input
/// order; stops early when `sink` fails. Each document is worked on with its prior
/// (`document_prior`): the run's hints and, when `settings.theatre`, the theatre drawn from a
/// first pass over the first documents (`SAMPLE_DOCS` or `SAMPLE_BYTES`), which are held and then
/// worked on as the rest.
pub fn each_document<T: Send, E>(
    gaz: &Gazetteer,
    pool: &rayon::ThreadPool,
    docs: impl Iterator<Item = std::result::Result<Document, InputError>>,
    settings: &Settings,
    work: impl Fn(&Document, &Prior) -> T + Sync,
    sink: impl FnMut(Outcome<T>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut docs = docs;
    let mut prior = settings.prior.clone();
    let mut sample = Vec::new();
    if settings.theatre {
        sample = batch::take(&mut docs, SAMPLE_DOCS, SAMPLE_BYTES);
        let points = sample_points(gaz, pool, &sample, settings);
        prior.theatre = Theatre::of(points).map(std::sync::Arc::new);
    }
    let prior = &prior;
    let work = |doc: &Document| work(doc, &document_prior(gaz, prior, doc));
    batch::run(pool, sample.into_iter().chain(docs), work, sink)
}

/// The sure sites of a batch's sample (its first `SAMPLE_DOCS` documents or `SAMPLE_BYTES` of
/// text, as `batch::take` holds them), each read with its document's prior: the points the
/// batch's theatre is drawn from (`Theatre::of`). Public so that a run split across processes
/// (Spark) draws them once and hands the same theatre to every part.
pub fn sample_points(
    gaz: &Gazetteer,
    pool: &rayon::ThreadPool,
    sample: &[std::result::Result<Document, InputError>],
    settings: &Settings,
) -> Vec<(f64, f64)> {
    let points: Vec<Vec<(f64, f64)>> = pool.install(|| {
        use rayon::prelude::*;
        sample
            .par_iter()
            .map(|d| match d {
                Ok(doc) => {
                    let prior = document_prior(gaz, &settings.prior, doc);
                    sure_sites(gaz, &doc.text, &settings.places_options(&prior))
                }
                Err(_) => Vec::new(),
            })
            .collect()
    });
    points.into_iter().flatten().collect()
}

/// A document's (or a part's) events, with the number of its sentences; offsets shifted into the
/// whole document's.
pub fn events_of(
    gaz: &Gazetteer,
    doc: &Document,
    prior: &Prior,
    settings: &Settings,
) -> Result<(Vec<Event>, usize)> {
    let opts = EventOptions {
        doc_date: document_date(doc, settings.date),
        prior: prior.clone(),
        lang: settings.lang.or(doc.lang),
    };
    let (mut found, sentences) = events_counted(gaz, &doc.text, &opts)?;
    for e in &mut found {
        e.start += doc.part.char_offset;
        e.end += doc.part.char_offset;
    }
    Ok((found, sentences))
}

/// A document's (or a part's) places; offsets shifted into the whole document's.
pub fn places_of(
    gaz: &Gazetteer,
    doc: &Document,
    prior: &Prior,
    settings: &Settings,
) -> Result<Vec<PlaceMention>> {
    let mut found = places(gaz, &doc.text, &settings.places_options(prior))?;
    for m in &mut found {
        m.start += doc.part.char_offset;
        m.end += doc.part.char_offset;
    }
    Ok(found)
}

/// The events of documents held in memory (whole documents, not parts), in order.
pub fn events(
    gaz: &Gazetteer,
    pool: &rayon::ThreadPool,
    docs: Vec<std::result::Result<Document, InputError>>,
    settings: &Settings,
) -> Vec<Outcome<Result<Vec<Event>>>> {
    gather(gaz, pool, docs, settings, |doc, prior| {
        events_of(gaz, doc, prior, settings).map(|(found, _)| found)
    })
}

/// The places of documents held in memory (whole documents, not parts), in order.
pub fn places_in(
    gaz: &Gazetteer,
    pool: &rayon::ThreadPool,
    docs: Vec<std::result::Result<Document, InputError>>,
    settings: &Settings,
) -> Vec<Outcome<Result<Vec<PlaceMention>>>> {
    gather(gaz, pool, docs, settings, |doc, prior| {
        places_of(gaz, doc, prior, settings)
    })
}

fn gather<T: Send>(
    gaz: &Gazetteer,
    pool: &rayon::ThreadPool,
    docs: Vec<std::result::Result<Document, InputError>>,
    settings: &Settings,
    work: impl Fn(&Document, &Prior) -> T + Sync,
) -> Vec<Outcome<T>> {
    let mut out = Vec::with_capacity(docs.len());
    let done: std::result::Result<(), std::convert::Infallible> =
        each_document(gaz, pool, docs.into_iter(), settings, work, |o| {
            out.push(o);
            Ok(())
        });
    match done {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_date_comes_before_its_dateline_and_the_fallback() {
        let fallback = NaiveDate::from_ymd_opt(2020, 1, 1);
        let mut doc = text_document("a", "KYIV, March 3, 2023 — Shelling hit the city.");
        assert_eq!(
            document_date(&doc, fallback),
            NaiveDate::from_ymd_opt(2023, 3, 3)
        );
        doc.date = Some("2024-05-06".into());
        assert_eq!(
            document_date(&doc, fallback),
            NaiveDate::from_ymd_opt(2024, 5, 6)
        );
        let bare = text_document("b", "Shelling hit the city.");
        assert_eq!(document_date(&bare, fallback), fallback);
    }

    #[test]
    fn documents_in_memory_come_back_in_order_with_their_events() {
        let gaz = crate::embedded::gazetteer().unwrap();
        let pool = batch::pool(2).unwrap();
        let docs = vec![
            Ok(text_document(
                "1",
                "Russian forces shelled Kharkiv on Monday.",
            )),
            Err(InputError {
                location: "body:2".into(),
                message: "invalid JSON".into(),
                warning: false,
            }),
            Ok(text_document("3", "Nothing happened anywhere.")),
        ];
        let settings = Settings {
            date: NaiveDate::from_ymd_opt(2023, 2, 14),
            ..Settings::default()
        };
        let out = events(gaz, &pool, docs, &settings);
        assert_eq!(out.len(), 3);
        match &out[0] {
            Outcome::Done(doc, Ok(found)) => {
                assert_eq!(doc.id, "1");
                assert!(found.iter().any(|e| e.place.name == "Kharkiv"), "{found:?}");
            }
            _ => panic!("the first document has events"),
        }
        assert!(matches!(&out[1], Outcome::Unreadable(e) if e.location == "body:2"));
        assert!(
            matches!(&out[2], Outcome::Done(doc, Ok(found)) if doc.id == "3" && found.is_empty())
        );
    }
}
