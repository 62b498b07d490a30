//! `geoevents places`: every place a document names, resolved.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use geoevents::input::Document;
use geoevents::layers::html::places_page;
use geoevents::places::{places, places_by_window, PlaceMention, PlacesOptions};
use geoevents::run::Settings;

#[derive(Debug, Args)]
pub struct PlacesArgs {
    /// Documents: .txt, .md or .html files, .jsonl files ({"id", "text", "date"?, "title"?, "url"?,
    /// "country"?} per line), .csv files (a row per document), directories (recursively), or `-`
    /// for standard input
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlacesFormat::Jsonl)]
    format: PlacesFormat,
    /// Output: a file, written whole through a temporary file and a rename, or `-` for standard
    /// output
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
    /// Map demonyms ("Russian forces") to their country; off by default
    #[arg(long)]
    demonyms: bool,
    #[command(flatten)]
    batch: super::BatchArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlacesFormat {
    /// One {"id", "lang", "places"} object per document per line
    Jsonl,
    /// One JSON array of {"id", "lang", "places"} objects
    Json,
    /// A GeoJSON FeatureCollection of the mentions
    Geojson,
    /// One row per mention, with a header
    Csv,
    /// One self-contained page (.html) that shows every place named on a map, offline, with a
    /// popup per place listing its mentions
    Html,
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "mention",
    "start",
    "end",
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1",
    "admin2",
    "admin3",
    "score",
    "matched",
    "metonymy",
];

pub fn run(args: PlacesArgs, gazetteer: Option<&Path>) -> anyhow::Result<ExitCode> {
    let gaz = super::open_gazetteer(gazetteer)?;
    let settings = Settings {
        demonyms: args.demonyms,
        ..args.batch.settings()?
    };
    // A page gathers the places as a GeoJSON FeatureCollection in memory, made into the page at
    // the end.
    let format = args.format;
    let html = format == PlacesFormat::Html;
    let file = (args.output.as_os_str() != "-").then_some(args.output.as_path());
    if let Some(path) = file {
        prepare_output_file(path, &args.inputs)?;
    }
    let mut out = BufWriter::new(match file {
        _ if html => Sink::Memory(Vec::new()),
        Some(path) => Sink::File(geoevents::output::temp_beside(path)?),
        None => Sink::Stdout(std::io::stdout().lock()),
    });
    let mut failed = 0u64;
    // Documents that were read but could not be geoparsed.
    let mut failed_docs = 0u64;
    let mut first = true;
    // Whether the document being written (which may come in parts) has written a place yet.
    let mut has_items = false;
    match format {
        PlacesFormat::Json => write!(out, "[")?,
        PlacesFormat::Geojson | PlacesFormat::Html => {
            write!(out, "{{\"type\":\"FeatureCollection\",\"features\":[")?
        }
        PlacesFormat::Csv => writeln!(out, "{}", CSV_COLUMNS.join(","))?,
        PlacesFormat::Jsonl => {}
    }
    // Each document's places are formatted on the worker that read it; the writer only frames.
    super::each_document(
        &gaz,
        &args.inputs,
        &args.batch,
        &settings,
        &mut failed,
        |doc, prior| {
            let opts = PlacesOptions {
                demonyms: settings.demonyms,
                prior: prior.clone(),
            };
            // A part of a long document: its offsets are shifted into the whole document's.
            let shift = |mut found: Vec<PlaceMention>| {
                for m in &mut found {
                    m.start += doc.part.char_offset;
                    m.end += doc.part.char_offset;
                }
                found
            };
            // A huge document is formatted window by window: its output is held, its mentions
            // (several times larger) are not.
            let parts = if doc.text.len() > RENDER_BY_WINDOW_MIN {
                places_by_window(&gaz, &doc.text, &opts, |found| {
                    render_items(format, &doc.id, &shift(found))
                })
                .map_err(|e| e.to_string())?
            } else {
                let found = places(&gaz, &doc.text, &opts).map_err(|e| e.to_string())?;
                vec![render_items(format, &doc.id, &shift(found))]
            };
            parts
                .into_iter()
                .collect::<std::io::Result<Vec<_>>>()
                .map_err(|e| e.to_string())
        },
        |doc, parts| {
            let parts = parts.unwrap_or_else(|e| {
                eprintln!("geoevents: error: {}: {e}", doc.source);
                failed_docs += 1;
                // A part of a longer document still opens or closes its output.
                Vec::new()
            });
            Ok(write_parts(
                &mut out,
                format,
                args.batch.lang,
                &doc,
                &parts,
                &mut first,
                &mut has_items,
            )?)
        },
    )?;
    failed += failed_docs;
    match format {
        PlacesFormat::Json => writeln!(out, "]")?,
        PlacesFormat::Geojson | PlacesFormat::Html => writeln!(out, "]}}")?,
        _ => {}
    }
    match out.into_inner().map_err(|e| e.into_error())? {
        Sink::Stdout(mut stdout) => stdout.flush()?,
        Sink::File(tmp) => {
            tmp.as_file().sync_all()?;
            let path = file.unwrap_or(Path::new("-"));
            geoevents::output::persist(tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Sink::Memory(gathered) => {
            let collection: serde_json::Value = serde_json::from_slice(&gathered)?;
            let features = collection["features"]
                .as_array()
                .map_or(&[][..], Vec::as_slice);
            let title = format!("Places: {}", super::inputs_named(&args.inputs));
            super::write_page(file, &places_page(features, &title))?;
        }
    }
    if failed > 0 {
        eprintln!("geoevents: {failed} documents failed (see above)");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the output goes: standard output, a temporary file renamed onto the output file at the
/// end, or memory (a page's places).
enum Sink {
    Stdout(std::io::StdoutLock<'static>),
    File(tempfile::NamedTempFile),
    Memory(Vec<u8>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(o) => o.write(buf),
            Sink::File(f) => f.write(buf),
            Sink::Memory(v) => v.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(o) => o.flush(),
            Sink::File(f) => f.flush(),
            Sink::Memory(_) => Ok(()),
        }
    }
}

/// Checks an output file before the run: not a folder, not an input; makes its folder if missing.
/// (Temporary files a stopped run left there are `map`'s to remove, under its folder lock.)
fn prepare_output_file(path: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    if path.is_dir() || path.to_string_lossy().ends_with(['/', '\\']) {
        anyhow::bail!(
            "{} is a folder: `places` writes one file, name it (e.g. places.html)",
            path.display()
        );
    }
    super::refuse_to_overwrite_an_input(path, inputs)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    geoevents::layers::ensure_dir(dir).context("cannot make the output folder")?;
    Ok(())
}

/// Documents over this size (bytes of text) are formatted window by window.
const RENDER_BY_WINDOW_MIN: usize = 4 << 20;

/// The places as items of `format`, comma-separated (JSON, GeoJSON) or one row a line (CSV).
fn render_items(
    format: PlacesFormat,
    id: &str,
    found: &[PlaceMention],
) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for (i, p) in found.iter().enumerate() {
        match format {
            PlacesFormat::Jsonl
            | PlacesFormat::Json
            | PlacesFormat::Geojson
            | PlacesFormat::Html => {
                if i > 0 {
                    out.push(b',');
                }
                if matches!(format, PlacesFormat::Geojson | PlacesFormat::Html) {
                    serde_json::to_writer(&mut out, &feature(id, p))?;
                } else {
                    serde_json::to_writer(&mut out, p)?;
                }
            }
            PlacesFormat::Csv => writeln!(out, "{}", csv_row(id, p))?,
        }
    }
    Ok(out)
}

/// One document's output from its parts (one per window, or one in all): its JSON line or array
/// element, its features, or its CSV rows, with the comma JSON arrays need between documents. A
/// long document read in parts (`doc.part`) opens its JSON object with its first part and closes
/// it with its last, so it is one line, one element, however many parts it came in.
fn write_parts(
    out: &mut impl Write,
    format: PlacesFormat,
    lang: Option<geoevents::lang::Lang>,
    doc: &Document,
    parts: &[Vec<u8>],
    first: &mut bool,
    has_items: &mut bool,
) -> std::io::Result<()> {
    let items = parts.iter().filter(|p| !p.is_empty());
    match format {
        PlacesFormat::Jsonl | PlacesFormat::Json => {
            if doc.part.index == 0 {
                if format == PlacesFormat::Json && !std::mem::take(first) {
                    out.write_all(b",")?;
                }
                out.write_all(b"{\"id\":")?;
                serde_json::to_writer(&mut *out, &doc.id)?;
                write!(out, ",\"lang\":\"{}\"", doc.language(lang))?;
                out.write_all(b",\"places\":[")?;
                *has_items = false;
            }
            let mut items = items.peekable();
            if items.peek().is_some() && std::mem::replace(has_items, true) {
                out.write_all(b",")?;
            }
            join(out, &mut items)?;
            if doc.is_last_part() {
                out.write_all(b"]}")?;
                if format == PlacesFormat::Jsonl {
                    out.write_all(b"\n")?;
                }
            }
        }
        PlacesFormat::Geojson | PlacesFormat::Html => {
            let mut items = items.peekable();
            if items.peek().is_some() && !std::mem::take(first) {
                out.write_all(b",")?;
            }
            join(out, &mut items)?;
        }
        PlacesFormat::Csv => {
            for p in items {
                out.write_all(p)?;
            }
        }
    }
    Ok(())
}

fn join<'a>(
    out: &mut impl Write,
    items: &mut impl Iterator<Item = &'a Vec<u8>>,
) -> std::io::Result<()> {
    for (i, p) in items.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(p)?;
    }
    Ok(())
}

/// A GeoJSON Feature: `[lon, lat]` with 6 decimals, flat properties.
fn feature(id: &str, p: &PlaceMention) -> serde_json::Value {
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let mut props = serde_json::to_value(p).unwrap_or_default();
    if let Some(obj) = props.as_object_mut() {
        obj.insert("id".into(), id.into());
    }
    serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(p.place.longitude), round(p.place.latitude)]},
        "properties": props,
    })
}

/// One CSV row in `CSV_COLUMNS` order, quoted where needed.
fn csv_row(id: &str, p: &PlaceMention) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    [
        quote(id),
        quote(&p.mention),
        p.start.to_string(),
        p.end.to_string(),
        p.place.geonameid.to_string(),
        quote(&p.place.name),
        p.place.latitude.to_string(),
        p.place.longitude.to_string(),
        p.place.feature_class.clone(),
        p.place.feature_code.clone(),
        p.place.country_code.clone(),
        quote(p.place.admin1.as_deref().unwrap_or("")),
        quote(p.place.admin2.as_deref().unwrap_or("")),
        quote(p.place.admin3.as_deref().unwrap_or("")),
        p.score.to_string(),
        p.matched.clone(),
        p.metonymy.to_string(),
    ]
    .join(",")
}
