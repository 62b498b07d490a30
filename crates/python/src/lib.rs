//! `geoevents._native`: the thin Rust side of the Python package. Each function takes plain
//! Python values already checked by `geoevents/__init__.py`, runs the library (`geoevents::run`,
//! `geoevents::lookup`) with the GIL released, and hands back the library's own JSON (layer
//! properties, place mentions, lookup candidates) as Python dicts through `pythonize`.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use geoevents::batch::Outcome;
use geoevents::input::{Document, InputError};
use geoevents::layers::{self, FieldType, Origin, FIELDS};
use geoevents::lookup::{lookup as lookup_name, LookupOptions};
use geoevents::run::{self, Settings};
use geoevents::theatre::{Near, Prior, Theatre, SAMPLE_BYTES, SAMPLE_DOCS};
use geoevents::Gazetteer;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError};
use pyo3::prelude::*;
use pythonize::pythonize;

create_exception!(
    _native,
    GeoeventsError,
    PyException,
    "An error the geoevents library reports."
);
create_exception!(
    _native,
    GazetteerError,
    GeoeventsError,
    "A gazetteer index that cannot be opened: missing, damaged or of another format version."
);

/// What `make` makes for `key`, made once per process and kept (leaked: a handful of
/// gazetteers and pools at most, alive as long as the module).
fn kept<K: Eq + Hash, V: Sync>(
    cache: &'static OnceLock<Mutex<HashMap<K, &'static V>>>,
    key: K,
    make: impl FnOnce(&K) -> PyResult<V>,
) -> PyResult<&'static V> {
    let mut kept = cache
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = kept.get(&key) {
        return Ok(v);
    }
    let v: &'static V = Box::leak(Box::new(make(&key)?));
    kept.insert(key, v);
    Ok(v)
}

/// `path`, else `GEOEVENTS_GAZETTEER`, else the embedded gazetteer (as the CLI's `--gazetteer`).
/// A gazetteer file is opened once per process and path (an index is memory-mapped and
/// read-only, so every call and thread shares it); the embedded one is the library's static.
fn gazetteer(path: Option<PathBuf>) -> PyResult<&'static Gazetteer> {
    static OPENED: OnceLock<Mutex<HashMap<PathBuf, &'static Gazetteer>>> = OnceLock::new();
    let path = path.or_else(|| {
        std::env::var_os("GEOEVENTS_GAZETTEER")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    });
    let Some(path) = path else {
        return geoevents::embedded::gazetteer()
            .map_err(|e| GazetteerError::new_err(e.to_string()));
    };
    // The library's messages name the file and, for a damaged index, the rebuild command.
    kept(&OPENED, path, |p| {
        Gazetteer::open(p).map_err(|e| GazetteerError::new_err(e.to_string()))
    })
}

/// One worker pool per thread count asked for (0: one per core), kept for the process.
fn pool(threads: usize) -> PyResult<&'static rayon::ThreadPool> {
    static POOLS: OnceLock<Mutex<HashMap<usize, &'static rayon::ThreadPool>>> = OnceLock::new();
    kept(&POOLS, threads, |&n| {
        geoevents::batch::pool(n)
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start worker threads: {e}")))
    })
}

fn day(text: &str) -> PyResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        pyo3::exceptions::PyValueError::new_err(format!("`{text}` is not a date (YYYY-MM-DD)"))
    })
}

/// The documents of a batch call: texts with their ids and own dates (already checked).
fn documents(
    texts: Vec<String>,
    ids: Vec<String>,
    dates: Vec<Option<String>>,
) -> Vec<Result<Document, InputError>> {
    texts
        .into_iter()
        .zip(ids)
        .zip(dates)
        .map(|((text, id), date)| {
            let mut doc = run::text_document(id, text);
            doc.date = date;
            Ok(doc)
        })
        .collect()
}

/// A run's settings: hinted countries and point, the theatre (drawn from the batch, handed in as
/// points drawn elsewhere, or none), the fallback date, demonyms.
fn settings(
    countries: Vec<String>,
    near: Option<(f64, f64, f64)>,
    theatre: bool,
    theatre_points: Option<Vec<(f64, f64)>>,
    date: Option<String>,
    demonyms: bool,
) -> PyResult<Settings> {
    let given = theatre_points.map(|p| Theatre::of(p).map(Arc::new));
    Ok(Settings {
        prior: Prior {
            countries,
            near: near.map(|(lat, lon, km)| Near { lat, lon, km }),
            theatre: given.clone().flatten(),
        },
        // Points drawn elsewhere stand for the batch's own theatre.
        theatre: theatre && given.is_none(),
        date: date.as_deref().map(day).transpose()?,
        demonyms,
        ..Settings::default()
    })
}

/// The layer's fields and their types (`string`, `integer`, `real`, `date`), in order.
#[pyfunction]
fn fields() -> Vec<(&'static str, &'static str)> {
    FIELDS
        .iter()
        .map(|(name, t)| {
            let t = match t {
                FieldType::String => "string",
                FieldType::Integer => "integer",
                FieldType::Real => "real",
                FieldType::Date => "date",
            };
            (*name, t)
        })
        .collect()
}

/// Opens the gazetteer (raising `GazetteerError` when it cannot), so a caller can fail early.
#[pyfunction]
#[pyo3(signature = (gazetteer_path=None))]
fn check_gazetteer(py: Python<'_>, gazetteer_path: Option<PathBuf>) -> PyResult<()> {
    py.detach(|| gazetteer(gazetteer_path).map(|_| ()))
}

/// Ranked candidates for a name: the `results` of `geoevents lookup --format json`.
#[pyfunction]
#[pyo3(signature = (name, countries, near, limit, gazetteer_path=None))]
fn lookup<'py>(
    py: Python<'py>,
    name: String,
    countries: Vec<String>,
    near: Option<(f64, f64)>,
    limit: usize,
    gazetteer_path: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = LookupOptions {
        countries,
        near,
        limit,
        ..LookupOptions::default()
    };
    let found = py.detach(|| {
        let gaz = gazetteer(gazetteer_path)?;
        lookup_name(gaz, &name, &opts)
            .map_err(|e| GeoeventsError::new_err(format!("looking up `{name}`: {e}")))
    })?;
    Ok(pythonize(py, &found)?)
}

/// Each document's answer: its items, or the library's message when it could not be read.
fn answers<'py, T>(
    py: Python<'py>,
    outcomes: Vec<Outcome<geoevents::Result<T>>>,
    convert: impl Fn(&Document, T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    outcomes
        .into_iter()
        .map(|o| match o {
            Outcome::Done(doc, Ok(found)) => convert(&doc, found),
            Outcome::Done(doc, Err(e)) => {
                Ok(format!("{}: {e}", doc.id).into_pyobject(py)?.into_any())
            }
            Outcome::Unreadable(e) => Ok(format!("{}: {}", e.location, e.message)
                .into_pyobject(py)?
                .into_any()),
        })
        .collect()
}

/// The places of each text, in order: a list of place dicts (the fields of
/// `geoevents places`), or a str saying why that text failed.
#[pyfunction]
#[pyo3(signature = (texts, ids, demonyms, countries, near, theatre, threads, gazetteer_path=None))]
#[allow(clippy::too_many_arguments)]
fn places<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    ids: Vec<String>,
    demonyms: bool,
    countries: Vec<String>,
    near: Option<(f64, f64, f64)>,
    theatre: bool,
    threads: usize,
    gazetteer_path: Option<PathBuf>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let settings = settings(countries, near, theatre, None, None, demonyms)?;
    let dates = vec![None; texts.len()];
    let docs = documents(texts, ids, dates);
    let outcomes = py.detach(|| -> PyResult<_> {
        let gaz = gazetteer(gazetteer_path)?;
        Ok(run::places_in(gaz, pool(threads)?, docs, &settings))
    })?;
    answers(py, outcomes, |_, found| Ok(pythonize(py, &found)?))
}

/// The events of each text, in order: a list of the layer's properties (dicts, `latitude` and
/// `longitude` among them), or a str saying why that text failed. `dates` are the documents' own
/// (JSONL `date`), `date` the run's fallback (`--date`).
#[pyfunction]
#[pyo3(signature = (texts, ids, dates, date, countries, near, theatre, theatre_points, threads, gazetteer_path=None))]
#[allow(clippy::too_many_arguments)]
fn events<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    ids: Vec<String>,
    dates: Vec<Option<String>>,
    date: Option<String>,
    countries: Vec<String>,
    near: Option<(f64, f64, f64)>,
    theatre: bool,
    theatre_points: Option<Vec<(f64, f64)>>,
    threads: usize,
    gazetteer_path: Option<PathBuf>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let settings = settings(countries, near, theatre, theatre_points, date, false)?;
    let docs = documents(texts, ids, dates);
    let lang = settings.lang;
    // The properties are made on the workers too, so only the conversion holds the GIL.
    let outcomes = py.detach(|| -> PyResult<_> {
        let gaz = gazetteer(gazetteer_path)?;
        let pool = pool(threads)?;
        let found = run::events(gaz, pool, docs, &settings);
        Ok(found
            .into_iter()
            .map(|o| match o {
                Outcome::Done(doc, Ok(events)) => {
                    let origin = Origin::of(&doc, lang);
                    let props: Vec<_> = events
                        .iter()
                        .map(|e| layers::properties(e, &origin))
                        .collect();
                    Outcome::Done(doc, Ok(props))
                }
                Outcome::Done(doc, Err(e)) => Outcome::Done(doc, Err(e)),
                Outcome::Unreadable(e) => Outcome::Unreadable(e),
            })
            .collect::<Vec<_>>())
    })?;
    answers(py, outcomes, |_, props| Ok(pythonize(py, &props)?))
}

/// The points a batch's theatre is drawn from, read from its first documents (as many as the
/// CLI samples): drawn once on a Spark driver and handed to every task, so the answers do not
/// depend on how the documents are partitioned.
#[pyfunction]
#[pyo3(signature = (texts, ids, countries, near, threads, gazetteer_path=None))]
fn theatre_points(
    py: Python<'_>,
    texts: Vec<String>,
    ids: Vec<String>,
    countries: Vec<String>,
    near: Option<(f64, f64, f64)>,
    threads: usize,
    gazetteer_path: Option<PathBuf>,
) -> PyResult<Vec<(f64, f64)>> {
    let settings = settings(countries, near, true, None, None, false)?;
    let dates = vec![None; texts.len()];
    let docs = documents(texts, ids, dates);
    py.detach(|| {
        let gaz = gazetteer(gazetteer_path)?;
        let sample = geoevents::batch::take(&mut docs.into_iter(), SAMPLE_DOCS, SAMPLE_BYTES);
        Ok(run::sample_points(gaz, pool(threads)?, &sample, &settings))
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("GeoeventsError", m.py().get_type::<GeoeventsError>())?;
    m.add("GazetteerError", m.py().get_type::<GazetteerError>())?;
    m.add("SAMPLE_DOCS", SAMPLE_DOCS)?;
    m.add("SAMPLE_BYTES", SAMPLE_BYTES)?;
    m.add("DEFAULT_NEAR_KM", geoevents::theatre::DEFAULT_NEAR_KM)?;
    m.add_function(wrap_pyfunction!(fields, m)?)?;
    m.add_function(wrap_pyfunction!(check_gazetteer, m)?)?;
    m.add_function(wrap_pyfunction!(lookup, m)?)?;
    m.add_function(wrap_pyfunction!(places, m)?)?;
    m.add_function(wrap_pyfunction!(events, m)?)?;
    m.add_function(wrap_pyfunction!(theatre_points, m)?)?;
    Ok(())
}
