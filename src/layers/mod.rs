//! Event layers: GeoJSON (RFC 7946), GeoJSON sequences and CSV that QGIS, GDAL and web maps
//! open as they are, and GeoPackage event stores ([`gpkg`]). Properties are flat, each field keeps one type (see [`FIELDS`]), coordinates
//! are `[lon, lat]` with 6 decimals, and a QGIS style (`.qml`) colours events by type.
//!
//! Files are written to a temporary file beside the target and renamed into place when complete,
//! so an interrupted run never leaves a half-written layer.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::events::rules::EVENT_TYPES;
use crate::events::{acled, Event};

pub mod gpkg;
pub mod html;

/// The type each field keeps, in GDAL's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Real,
    Date,
}

impl FieldType {
    pub fn gdal_name(self) -> &'static str {
        match self {
            FieldType::String => "String",
            FieldType::Integer => "Integer",
            FieldType::Real => "Real",
            FieldType::Date => "Date",
        }
    }
}

/// Every property of an event feature, in order: ACLED's names for ACLED's meanings, then the
/// `x_` extras. Part of the output contract.
pub const FIELDS: &[(&str, FieldType)] = &[
    ("event_date", FieldType::Date),
    ("time_precision", FieldType::Integer),
    ("event_type", FieldType::String),
    ("sub_event_type", FieldType::String),
    ("actor1", FieldType::String),
    ("actor2", FieldType::String),
    ("assoc_actor_1", FieldType::String),
    ("assoc_actor_2", FieldType::String),
    ("inter1", FieldType::String),
    ("inter2", FieldType::String),
    ("interaction", FieldType::String),
    ("civilian_targeting", FieldType::String),
    ("disorder_type", FieldType::String),
    ("country", FieldType::String),
    ("admin1", FieldType::String),
    ("admin2", FieldType::String),
    ("admin3", FieldType::String),
    ("location", FieldType::String),
    ("latitude", FieldType::Real),
    ("longitude", FieldType::Real),
    ("geo_precision", FieldType::Integer),
    ("source", FieldType::String),
    ("notes", FieldType::String),
    ("fatalities", FieldType::Integer),
    ("x_doc_id", FieldType::String),
    ("x_geonameid", FieldType::Integer),
    ("x_mention", FieldType::String),
    ("x_sentence", FieldType::Integer),
    ("x_start", FieldType::Integer),
    ("x_end", FieldType::Integer),
    ("x_confidence", FieldType::Real),
    ("x_event_id", FieldType::String),
    ("x_lang", FieldType::String),
];

/// A layer's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerFormat {
    /// One FeatureCollection per file.
    Geojson,
    /// One Feature per line (newline-delimited, which GDAL's GeoJSONSeq driver reads).
    Geojsonseq,
    /// A header and one row per event, with a `.csvt` beside it naming each column's type.
    Csv,
}

impl LayerFormat {
    pub fn extension(self) -> &'static str {
        match self {
            LayerFormat::Geojson => "geojson",
            LayerFormat::Geojsonseq => "geojsonl",
            LayerFormat::Csv => "csv",
        }
    }
}

/// Where an event came from: its document's id and source.
pub struct Origin<'a> {
    pub doc_id: &'a str,
    /// The article's URL or title, else the input file.
    pub source: &'a str,
    /// The document's language code (`en`, `uk`, `ru`): `--lang`, its JSONL `lang`, or detected.
    pub lang: &'a str,
}

impl<'a> Origin<'a> {
    /// Where a document's events come from: its URL, else its title, else its input (`path` or
    /// `path:line`); its language as `forced` (`--lang`), its own `lang` or detection say.
    pub fn of(doc: &'a crate::input::Document, forced: Option<crate::lang::Lang>) -> Origin<'a> {
        Origin {
            doc_id: &doc.id,
            source: doc
                .url
                .as_deref()
                .or(doc.title.as_deref())
                .unwrap_or(&doc.source),
            lang: doc.language(forced).code(),
        }
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// A stable id for an event: the same on every run and every machine for the same document id,
/// site, date and type, so layers can be joined and appended. 16 hex digits of FNV-1a (64-bit)
/// over those fields, each ended by a NUL.
pub fn event_id(e: &Event, origin: &Origin) -> String {
    let date = e
        .event_date
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let site = e.place.geonameid.to_string();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for field in [
        origin.doc_id,
        site.as_str(),
        date.as_str(),
        e.event_type,
        e.sub_event_type,
    ] {
        for b in field.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The event's properties, in [`FIELDS`] order.
pub fn properties(e: &Event, origin: &Origin) -> Map<String, Value> {
    let p = &e.place;
    let (inter1, inter2) = (
        acled::inter(e.actor1.as_deref()),
        acled::inter(e.actor2.as_deref()),
    );
    let values: [Value; 33] = [
        json!(e.event_date.map(|d| d.format("%Y-%m-%d").to_string())),
        json!(e.time_precision),
        json!(e.event_type),
        json!(e.sub_event_type),
        json!(e.actor1),
        json!(e.actor2),
        json!(e.assoc_actor_1),
        json!(e.assoc_actor_2),
        json!(inter1),
        json!(inter2),
        json!(acled::interaction(inter1, inter2)),
        json!(acled::civilian_targeting(e.event_type, e.actor2.as_deref())),
        json!(acled::disorder_type(e.event_type, e.sub_event_type)),
        json!(p.country.as_deref().map_or_else(
            || p.country_code.clone(),
            |c| acled::country_name(c).to_string()
        )),
        json!(p.admin1),
        json!(p.admin2),
        json!(p.admin3),
        json!(p.name),
        json!(round6(p.latitude)),
        json!(round6(p.longitude)),
        json!(e.geo_precision),
        json!(origin.source),
        json!(e.notes),
        json!(e.fatalities),
        json!(origin.doc_id),
        json!(p.geonameid),
        json!(e.mention),
        json!(e.sentence),
        json!(e.start),
        json!(e.end),
        json!(e.confidence),
        json!(event_id(e, origin)),
        json!(origin.lang),
    ];
    FIELDS
        .iter()
        .zip(values)
        .map(|((name, _), v)| (name.to_string(), v))
        .collect()
}

/// A GeoJSON Feature: a Point at `[lon, lat]` (6 decimals) with flat properties.
pub fn geojson_feature(e: &Event, origin: &Origin) -> geojson::Feature {
    geojson::Feature {
        geometry: Some(geojson::Geometry::new_point([
            round6(e.place.longitude),
            round6(e.place.latitude),
        ])),
        properties: Some(properties(e, origin)),
        ..geojson::Feature::default()
    }
}

/// [`geojson_feature`] as a JSON value, for pages and tests.
pub fn feature(e: &Event, origin: &Origin) -> Value {
    serde_json::to_value(geojson_feature(e, origin)).expect("a feature is plain JSON")
}

/// The CSV header line, without a line break.
pub fn csv_header() -> String {
    FIELDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(",")
}

/// GDAL's `.csvt`: the type of each CSV column, so the CSV opens typed (event_date as a Date)
/// and as points: `CoordX`/`CoordY` make longitude and latitude the geometry, still Real fields.
pub fn csvt() -> String {
    FIELDS
        .iter()
        .map(|(name, t)| match *name {
            "longitude" => "\"CoordX\"".to_string(),
            "latitude" => "\"CoordY\"".to_string(),
            _ => format!("\"{}\"", t.gdal_name()),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The CSV layer's coordinate system, WGS 84 (EPSG:4326), as OGC WKT in a `.prj` beside it:
/// GDAL's CSV driver reads it (as the GeoCSV convention has it), so QGIS, `ogrinfo` and
/// GeoPandas-through-GDAL see EPSG:4326 instead of an unknown SRS.
pub const PRJ: &str = concat!(
    r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,"#,
    r#"AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,"#,
    r#"AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,"#,
    r#"AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#
);

/// One CSV row's cells in [`FIELDS`] order, unquoted: empty for null, numbers as JSON writes
/// them. With `guard`, a text cell that a spreadsheet would run as a formula (one that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP advises for
/// files opened in spreadsheets. Numbers and dates are never changed.
pub fn csv_cells(e: &Event, origin: &Origin, guard: bool) -> Vec<String> {
    properties(e, origin)
        .into_iter()
        .map(|(_, v)| match v {
            Value::Null => String::new(),
            Value::String(s) if guard && s.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                format!("'{s}")
            }
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect()
}

/// A file name part for an event type: "Explosions/Remote violence" → `explosions-remote-violence`.
pub fn slug(event_type: &str) -> String {
    let mut out = String::new();
    for c in event_type.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Colours for the six event types (ColorBrewer-like, told apart in print and by most colour
/// blind readers), as "r,g,b".
const COLOURS: [&str; 6] = [
    "215,25,28",  // Battles
    "253,141,60", // Explosions/Remote violence
    "123,50,148", // Violence against civilians
    "44,123,182", // Protests
    "166,97,26",  // Riots
    "26,150,65",  // Strategic developments
];

/// The outline of every event's point, as "r,g,b".
pub const OUTLINE: &str = "35,35,35";

/// Each ACLED event type with its colour as "r,g,b", in [`EVENT_TYPES`] order: the colours of the
/// QGIS style and of the HTML page.
pub fn type_colours() -> impl Iterator<Item = (&'static str, &'static str)> {
    EVENT_TYPES.iter().copied().zip(COLOURS)
}

/// A QGIS style: points coloured by `event_type`, one category per ACLED type.
pub fn qml() -> String {
    let mut categories = String::new();
    let mut symbols = String::new();
    for (i, (t, colour)) in type_colours().enumerate() {
        categories.push_str(&format!(
            "      <category render=\"true\" symbol=\"{i}\" value=\"{t}\" label=\"{t}\"/>\n"
        ));
        symbols.push_str(&format!(
            r#"      <symbol type="marker" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="name" value="circle"/>
            <Option type="QString" name="color" value="{colour},255"/>
            <Option type="QString" name="outline_color" value="{OUTLINE},255"/>
            <Option type="QString" name="outline_width" value="0.2"/>
            <Option type="QString" name="size" value="3"/>
            <Option type="QString" name="size_unit" value="MM"/>
          </Option>
        </layer>
      </symbol>
"#
        ));
    }
    format!(
        r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="categorizedSymbol" attr="event_type" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
{categories}    </categories>
    <symbols>
{symbols}    </symbols>
  </renderer-v2>
</qgis>
"#
    )
}

/// Where features go, by format: the `geojson` crate's streaming collection writer, a line per
/// feature, or the `csv` crate's writer.
enum Sink<W: Write> {
    Collection(geojson::FeatureWriter<Gate<W>>),
    Sequence(W),
    Csv(Box<csv::Writer<W>>),
}

fn geojson_error(e: geojson::Error) -> io::Error {
    match e {
        geojson::Error::Io(e) => e,
        other => io::Error::other(other),
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            _ => unreachable!("is_io_error said so"),
        }
    } else {
        io::Error::other(e)
    }
}

/// A writer that can be shut, after which what is written to it is dropped. The `geojson` crate's
/// collection writer closes its collection when it is dropped; shut first, the output of a run
/// that stopped half-way stays visibly unfinished rather than a complete-looking collection.
struct Gate<W> {
    inner: W,
    shut: Arc<AtomicBool>,
}

impl<W: Write> Write for Gate<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.shut.load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Features written one after another in a format, to any writer.
pub struct Writer<W: Write> {
    /// None once ended.
    sink: Option<Sink<W>>,
    /// Shuts the collection's gate when the writer is dropped unended.
    shut: Arc<AtomicBool>,
    format: LayerFormat,
    count: u64,
    /// CSV text cells that spreadsheets would read as formulas get a leading `'`.
    guard_formulas: bool,
}

impl<W: Write> Writer<W> {
    pub fn start(out: W, format: LayerFormat) -> io::Result<Self> {
        let shut = Arc::new(AtomicBool::new(false));
        let sink = match format {
            LayerFormat::Geojson => Sink::Collection(geojson::FeatureWriter::from_writer(Gate {
                inner: out,
                shut: Arc::clone(&shut),
            })),
            LayerFormat::Geojsonseq => Sink::Sequence(out),
            LayerFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(out);
                w.write_record(FIELDS.iter().map(|(n, _)| *n))
                    .map_err(csv_error)?;
                Sink::Csv(Box::new(w))
            }
        };
        Ok(Writer {
            sink: Some(sink),
            shut,
            format,
            count: 0,
            guard_formulas: false,
        })
    }

    /// Guards CSV cells against formula injection (see [`csv_cells`]).
    pub fn guard_formulas(mut self, on: bool) -> Self {
        self.guard_formulas = on;
        self
    }

    pub fn push(&mut self, e: &Event, origin: &Origin) -> io::Result<()> {
        let Some(sink) = self.sink.as_mut() else {
            return Err(io::Error::other("a layer written to after it ended"));
        };
        match sink {
            Sink::Collection(w) => w
                .write_feature(&geojson_feature(e, origin))
                .map_err(geojson_error)?,
            Sink::Sequence(w) => {
                serde_json::to_writer(&mut *w, &geojson_feature(e, origin))?;
                w.write_all(b"\n")?;
            }
            Sink::Csv(w) => w
                .write_record(csv_cells(e, origin, self.guard_formulas))
                .map_err(csv_error)?,
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the collection and flushes; returns the number of features.
    pub fn end(mut self) -> io::Result<u64> {
        match self.sink.take() {
            None => {}
            Some(Sink::Collection(mut w)) => {
                w.finish().map_err(geojson_error)?;
                w.flush().map_err(geojson_error)?;
            }
            Some(Sink::Sequence(mut w)) => w.flush()?,
            Some(Sink::Csv(mut w)) => w.flush()?,
        }
        Ok(self.count)
    }
}

impl<W: Write> Drop for Writer<W> {
    fn drop(&mut self) {
        if self.sink.is_some() {
            self.shut.store(true, Ordering::Relaxed);
        }
    }
}

/// A layer file being written: a temporary file beside `path`, renamed onto it by
/// [`Layer::finish`]. Dropped unfinished, the temporary file is removed and `path` is untouched.
pub struct Layer {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    /// Writes through a second handle on the temporary file.
    writer: Writer<BufWriter<fs::File>>,
}

impl Layer {
    pub fn create(path: &Path, format: LayerFormat) -> io::Result<Layer> {
        let tmp = crate::output::temp_beside(path)?;
        let handle = tmp.as_file().try_clone()?;
        Ok(Layer {
            path: path.to_path_buf(),
            tmp,
            writer: Writer::start(BufWriter::new(handle), format)?,
        })
    }

    /// Guards CSV cells against formula injection (see [`csv_cells`]).
    pub fn guard_formulas(mut self, on: bool) -> Self {
        self.writer = self.writer.guard_formulas(on);
        self
    }

    pub fn push(&mut self, e: &Event, origin: &Origin) -> io::Result<()> {
        self.writer.push(e, origin)
    }

    /// Completes the file, renames it into place and writes its style (and for CSV its `.csvt`
    /// and `.prj`) beside it.
    pub fn finish(self) -> io::Result<(PathBuf, u64)> {
        let format = self.writer.format;
        let count = self.writer.end()?;
        self.tmp.as_file().sync_all()?;
        crate::output::persist(self.tmp, &self.path)?;
        write_atomic(&self.path.with_extension("qml"), qml().as_bytes())?;
        if format == LayerFormat::Csv {
            write_atomic(&self.path.with_extension("csvt"), csvt().as_bytes())?;
            write_atomic(&self.path.with_extension("prj"), PRJ.as_bytes())?;
        }
        Ok((self.path, count))
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = crate::output::temp_beside(path)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    crate::output::persist(tmp, path)
}

/// Makes `dir` if it is missing, with an error that names it.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(
            slug("Explosions/Remote violence"),
            "explosions-remote-violence"
        );
        assert_eq!(slug("Battles"), "battles");
    }

    #[test]
    fn csvt_names_a_type_per_column() {
        assert_eq!(csvt().split(',').count(), csv_header().split(',').count());
        assert!(csvt().starts_with("\"Date\",\"Integer\""));
    }

    #[test]
    fn the_style_has_a_category_per_event_type() {
        let q = qml();
        for t in EVENT_TYPES {
            assert!(q.contains(&format!("value=\"{t}\"")), "{t}");
        }
        assert_eq!(q.matches("<symbol ").count(), 6);
    }

    #[test]
    fn a_collection_dropped_unended_stays_unclosed() {
        let mut buf = Vec::new();
        drop(Writer::start(&mut buf, LayerFormat::Geojson).unwrap());
        assert!(!String::from_utf8_lossy(&buf).contains("]}"));
        let mut buf = Vec::new();
        Writer::start(&mut buf, LayerFormat::Geojson)
            .unwrap()
            .end()
            .unwrap();
        let closed: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(closed["features"], serde_json::json!([]));
    }

    #[test]
    fn an_unfinished_layer_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.geojson");
        let layer = Layer::create(&path, LayerFormat::Geojson).unwrap();
        drop(layer);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
