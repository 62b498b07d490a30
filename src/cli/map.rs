//! `geoevents map`: reports to event layers.

use std::collections::{BTreeMap, HashSet};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use geoevents::dates::parse_doc_date;
use geoevents::input::Document;
use geoevents::layers::gpkg::{self, Store};
use geoevents::layers::{self, Layer, LayerFormat, Origin, Writer};
use geoevents::output;
use geoevents::run::{document_date, events_of, Settings};

#[derive(Debug, Args)]
pub struct MapArgs {
    /// Documents, as for `places`: .txt/.md/.html files, .jsonl and .csv files, directories, or `-`
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The reports' date (YYYY-MM-DD), which "yesterday" and "on February 13" are read against;
    /// a JSONL document's own `date` comes first
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// Output: a folder (default `output/`), a file, or `-` for standard output (not for gpkg)
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Layer format
    #[arg(long, value_enum, default_value_t = MapFormat::Geojson)]
    format: MapFormat,
    /// One layer per event type, or all events in one layer (not for `html`: a page holds all)
    #[arg(long, value_enum, default_value_t = SplitBy::EventType)]
    split_by: SplitBy,
    /// In CSV layers, put a `'` before text that a spreadsheet would run as a formula (starting
    /// with = + - @): for files opened in Excel or LibreOffice rather than QGIS or pandas
    #[arg(long)]
    csv_formula_guard: bool,
    /// Only with `--format gpkg`: add the events to the GeoPackage already there (made if
    /// missing) instead of replacing it; events whose x_event_id a table holds are skipped
    #[arg(long)]
    append: bool,
    #[command(flatten)]
    batch: super::BatchArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    /// RFC 7946 FeatureCollection (.geojson)
    Geojson,
    /// One GeoJSON Feature per line (.geojsonl)
    Geojsonseq,
    /// CSV with latitude and longitude columns, and a .csvt naming column types
    Csv,
    /// OGC GeoPackage (.gpkg): one file, a table per event type (or `events`), with a spatial
    /// index and the QGIS style inside
    Gpkg,
    /// One self-contained page (.html) that shows every event of the run on a map, offline: by
    /// type, with a date range and a popup per event; `--split-by` does not apply. Into a folder:
    /// `<input>.html` per input
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitBy {
    /// A layer per ACLED event type (battles, protests, ...); also spelt `event_type`
    #[value(alias = "event_type")]
    EventType,
    /// One layer with every event
    None,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2023-02-14"))
}

impl MapFormat {
    /// The format of layer files; None for a GeoPackage (a store of its own) or the page.
    fn layer(self) -> Option<LayerFormat> {
        match self {
            MapFormat::Geojson => Some(LayerFormat::Geojson),
            MapFormat::Geojsonseq => Some(LayerFormat::Geojsonseq),
            MapFormat::Csv => Some(LayerFormat::Csv),
            MapFormat::Gpkg | MapFormat::Html => None,
        }
    }
}

/// Where layers go: standard output, one file (all inputs together), or a folder (one set of
/// layers per input, named after it).
enum Target {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

fn target(output: Option<&Path>) -> Target {
    match output {
        None => Target::Folder(PathBuf::from("output")),
        Some(p) if p.as_os_str() == "-" => Target::Stdout,
        Some(p)
            if p.is_dir()
                || p.to_string_lossy().ends_with(['/', '\\'])
                || p.extension().is_none() =>
        {
            Target::Folder(p.to_path_buf())
        }
        Some(p) => Target::File(p.to_path_buf()),
    }
}

/// A file-name stem for an input: the file's stem, the folder's name, `stdin` for `-`.
fn stem(input: &Path) -> String {
    if input.as_os_str() == "-" {
        return "stdin".into();
    }
    let s = if input.is_dir() {
        input.file_name()
    } else {
        input.file_stem()
    };
    s.map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| "events".into())
}

/// How many undated documents the end-of-run warning names.
const UNDATED_NAMED: usize = 3;

pub fn run(args: MapArgs, gazetteer: Option<&Path>) -> anyhow::Result<ExitCode> {
    let gaz = super::open_gazetteer(gazetteer)?;
    let format = args.format.layer();
    let target = target(args.output.as_deref());
    // A layer or page written onto `-o FILE` never replaces a GeoPackage (or other database)
    // there: it may hold the only copy of events gathered with --append.
    if let Target::File(f) = &target {
        let replaces_it = args.split_by == SplitBy::None || args.format == MapFormat::Html;
        if args.format != MapFormat::Gpkg && replaces_it && gpkg::is_sqlite(f) {
            anyhow::bail!(
                "{} is a GeoPackage or another SQLite database, which this --format would \
                 replace; write to another file, or add to it with --format gpkg --append",
                f.display()
            );
        }
    }
    if args.append && args.format != MapFormat::Gpkg {
        anyhow::bail!(
            "--append is only for --format gpkg (a GeoPackage is added to; layer files are \
             replaced); drop --append or add --format gpkg"
        );
    }
    if args.format == MapFormat::Gpkg && matches!(target, Target::Stdout) {
        anyhow::bail!(
            "a GeoPackage cannot go to standard output; give a file (-o events.gpkg) or a folder \
             (-o DIR), or choose another --format"
        );
    }
    let settings = Settings {
        date: args.date,
        ..args.batch.settings()?
    };
    let mut failed = 0u64;
    // Documents with no date of their own, no dateline and no --date: counted, the first few
    // named, in one warning at the end.
    let mut undated: (u64, Vec<String>) = (0, Vec::new());
    let mut stdout = match (&target, format) {
        (Target::Stdout, Some(format)) => Some(
            Writer::start(BufWriter::new(std::io::stdout().lock()), format)?
                .guard_formulas(args.csv_formula_guard),
        ),
        _ => None,
    };
    // A file target gathers every input; a folder target gets a set of layers per input.
    let groups: Vec<(String, Vec<PathBuf>)> = match &target {
        Target::Folder(_) => {
            let mut used = HashSet::new();
            args.inputs
                .iter()
                .map(|i| {
                    let base = stem(i);
                    let mut name = base.clone();
                    let mut n = 2;
                    while !used.insert(name.clone()) {
                        name = format!("{base}-{n}");
                        n += 1;
                    }
                    (name, vec![i.clone()])
                })
                .collect()
        }
        _ => vec![(String::new(), args.inputs.clone())],
    };
    // An input can be an .html file: a page never takes its place.
    if args.format == MapFormat::Html {
        for (name, _) in &groups {
            if let Some(path) = group_file(&target, name, "html") {
                super::refuse_to_overwrite_an_input(&path, &args.inputs)?;
            }
        }
    }
    // The folder the layers go to is made if missing, and held for this run: a second run into
    // it waits for nobody and is refused, so two runs never interleave their layers. Temporary
    // files a stopped run left there are removed.
    let folder = match &target {
        Target::Folder(dir) => Some(dir.clone()),
        Target::File(f) => Some(match f.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }),
        Target::Stdout => None,
    };
    let _lock = match &folder {
        Some(dir) => {
            layers::ensure_dir(dir).context("cannot make the output folder")?;
            let lock = output::FolderLock::acquire(dir)?;
            for stale in output::remove_stale_temps(dir) {
                eprintln!(
                    "geoevents: removed {}, left by a run that was stopped",
                    stale.display()
                );
            }
            Some(lock)
        }
        None => None,
    };
    for (name, inputs) in groups {
        let mut open: BTreeMap<String, Layer> = BTreeMap::new();
        // A GeoPackage takes every table of the group (see `group_file`; standard output was
        // refused above).
        let mut store = match (args.format, group_file(&target, &name, "gpkg")) {
            (MapFormat::Gpkg, Some(path)) => Some(
                Store::open(&path, args.append).context("cannot write events to a GeoPackage")?,
            ),
            _ => None,
        };
        // The page's events, held until the group is read.
        let mut page: Vec<serde_json::Value> = Vec::new();
        let date_of = |doc: &Document| document_date(doc, args.date);
        let mut failed_docs = 0u64;
        let failed_before = failed;
        // Sentences in the parts already read of a document read in parts.
        let mut sentences_before = 0usize;
        super::each_document(
            &gaz,
            &inputs,
            &args.batch,
            &settings,
            &mut failed,
            |doc, prior| events_of(&gaz, doc, prior, &settings),
            |doc, found| {
                if let (Some(d), None) = (&doc.date, doc.date.as_deref().and_then(parse_doc_date)) {
                    eprintln!(
                        "geoevents: warning: {}: date `{d}` is not YYYY-MM-DD; using --date",
                        doc.source
                    );
                }
                if doc.part.index == 0 && date_of(&doc).is_none() {
                    undated.0 += 1;
                    if undated.1.len() < UNDATED_NAMED {
                        undated.1.push(doc.source.clone());
                    }
                }
                if doc.part.index == 0 {
                    sentences_before = 0;
                }
                let found = match found {
                    Ok((mut found, sentences)) => {
                        for e in &mut found {
                            e.sentence += sentences_before;
                        }
                        sentences_before += sentences;
                        found
                    }
                    Err(e) => {
                        eprintln!("geoevents: error: {}: {e}", doc.source);
                        failed_docs += 1;
                        return Ok(());
                    }
                };
                let origin = Origin::of(&doc, args.batch.lang);
                for e in &found {
                    if let Some(out) = stdout.as_mut() {
                        out.push(e, &origin)?;
                        continue;
                    }
                    if let Some(store) = store.as_mut() {
                        let table = match args.split_by {
                            SplitBy::EventType => gpkg::table_name(e.event_type),
                            SplitBy::None => gpkg::ONE_TABLE.to_string(),
                        };
                        store
                            .push(&table, e, &origin)
                            .context("cannot write events to a GeoPackage")?;
                        continue;
                    }
                    let Some(format) = format else {
                        page.push(layers::feature(e, &origin));
                        continue;
                    };
                    let layer = match args.split_by {
                        SplitBy::EventType => layers::slug(e.event_type),
                        SplitBy::None => "events".to_string(),
                    };
                    if !open.contains_key(&layer) {
                        let path = layer_path(&target, &name, &layer, args.split_by, format);
                        let l = Layer::create(&path, format)
                            .with_context(|| format!("cannot write a layer at {}", path.display()))?
                            .guard_formulas(args.csv_formula_guard);
                        open.insert(layer.clone(), l);
                    }
                    let l = open.get_mut(&layer).expect("layer opened above");
                    l.push(e, &origin).context("cannot write a layer")?;
                }
                Ok(())
            },
        )?;
        failed += failed_docs;
        // A page stands beside an input's layers, neither replacing them nor replaced by them.
        if args.format == MapFormat::Html {
            let title = page_title(&target, &name, &inputs);
            write_page(group_file(&target, &name, "html").as_deref(), &page, &title)?;
            continue;
        }
        // A single-layer request always gets its file (or table), even with nothing in it.
        let single = args.split_by == SplitBy::None && stdout.is_none();
        if let (Some(store), true) = (store.as_mut(), single) {
            store
                .table(gpkg::ONE_TABLE)
                .context("cannot write events to a GeoPackage")?;
        }
        if let (Some(format), true) = (format, single && open.is_empty()) {
            let path = layer_path(&target, &name, "events", args.split_by, format);
            let l = Layer::create(&path, format)
                .with_context(|| format!("cannot write a layer at {}", path.display()))?;
            open.insert("events".into(), l);
        }
        let mut written = Vec::new();
        for (_, l) in open {
            let (path, n) = l.finish().context("cannot finish a layer")?;
            eprintln!(
                "geoevents: wrote {n} event{} to {}",
                if n == 1 { "" } else { "s" },
                path.display()
            );
            written.push(path);
        }
        if let Some(store) = store {
            let path = store.path().to_path_buf();
            let tables = store
                .finish()
                .context("cannot finish writing a GeoPackage")?;
            if tables.is_empty() {
                eprintln!("geoevents: wrote 0 events to {}", path.display());
            }
            for t in tables {
                eprintln!(
                    "geoevents: wrote {} event{} to {} (table {}{})",
                    t.added,
                    if t.added == 1 { "" } else { "s" },
                    path.display(),
                    t.name,
                    if args.append {
                        format!("; {} already there", t.skipped)
                    } else {
                        String::new()
                    }
                );
            }
            written.push(path);
        }
        // A run replaces an input's set of layers as a whole: its layers of event types (or
        // formats) this run did not write are an earlier run's, and go.
        // (Not when a document of the input failed: its events may be in the layers that stay.)
        let complete = failed == failed_before && failed_docs == 0;
        if let (Target::Folder(dir), true) = (&target, complete) {
            for old in output::remove_other_layers(dir, &name, &written, &args.inputs) {
                eprintln!(
                    "geoevents: removed {}, an earlier run's layer this run did not write",
                    old.display()
                );
            }
        }
    }
    if let Some(out) = stdout {
        out.end()?;
    }
    if undated.0 > 0 {
        let more = if undated.0 > undated.1.len() as u64 {
            ", …"
        } else {
            ""
        };
        eprintln!(
            "geoevents: warning: {} document{} with no date ({}{more}): no `date` field, no \
             dateline at the top and no --date, so relative dates (\"yesterday\", \"on February 13\") \
             stay unset; pass --date YYYY-MM-DD as a fallback",
            undated.0,
            if undated.0 == 1 { "" } else { "s" },
            undated.1.join(", ")
        );
    }
    if failed > 0 {
        eprintln!(
            "geoevents: {failed} document{} failed (see above)",
            if failed == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn layer_path(
    target: &Target,
    group: &str,
    layer: &str,
    split: SplitBy,
    format: LayerFormat,
) -> PathBuf {
    let ext = format.extension();
    match target {
        Target::File(f) if split == SplitBy::None => f.clone(),
        Target::File(f) => {
            let stem = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.with_file_name(format!("{stem}-{layer}.{ext}"))
        }
        Target::Folder(d) => d.join(format!("{group}-{layer}.{ext}")),
        Target::Stdout => PathBuf::from("-"),
    }
}

/// The one file of an input group in a format that holds all its events (a GeoPackage, a page):
/// the file target itself (every input in it), `<group>.<ext>` in the folder target, or None for
/// standard output.
fn group_file(target: &Target, group: &str, ext: &str) -> Option<PathBuf> {
    match target {
        Target::File(f) => Some(f.clone()),
        Target::Folder(d) => Some(d.join(format!("{group}.{ext}"))),
        Target::Stdout => None,
    }
}

/// A page's title: its input's name, or the file's, or the inputs' for standard output.
fn page_title(target: &Target, group: &str, inputs: &[PathBuf]) -> String {
    let what = match target {
        Target::Folder(_) => group.to_string(),
        Target::File(f) => stem(f),
        Target::Stdout => super::inputs_named(inputs),
    };
    format!("Events: {what}")
}

/// Writes the page of `events` to `path` (through a temporary file and a rename), or to standard
/// output.
fn write_page(
    path: Option<&Path>,
    events: &[serde_json::Value],
    title: &str,
) -> anyhow::Result<()> {
    let page = layers::html::events_page(events, title);
    super::write_page(path, &page)?;
    if let Some(path) = path {
        let n = events.len();
        eprintln!(
            "geoevents: wrote {n} event{} to {}",
            if n == 1 { "" } else { "s" },
            path.display()
        );
    }
    Ok(())
}
