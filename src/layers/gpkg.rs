//! An OGC GeoPackage (version 1.3) event store: one SQLite file that QGIS and GDAL open as it is,
//! with a point table per event type (or one `events` table), an R-tree spatial index on each,
//! and the QGIS style in `layer_styles` as QGIS itself saves it.
//!
//! A table's columns are [`FIELDS`], in order and with the same values as the GeoJSON properties
//! ([`properties`]), after `fid` and the point geometry `geom` (EPSG:4326, `[lon, lat]` with 6
//! decimals). Column types: TEXT, MEDIUMINT (a 32-bit integer, which GDAL reads as `Integer`;
//! SQLite's INTEGER would be `Integer64`), REAL and DATE.
//!
//! A new file is written to a temporary file beside the target and renamed onto it when complete.
//! Appending to an existing file is one SQLite transaction for the whole run, so a run that stops
//! half-way leaves the file as it was; events whose `x_event_id` the table held before the run
//! are skipped, so running the same input twice adds nothing the second time.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};
use serde_json::Value;

use super::{properties, qml, slug, FieldType, Origin, FIELDS};
use crate::events::Event;
use crate::{Error, Result};

/// `PRAGMA application_id` of a GeoPackage: "GPKG".
pub const APPLICATION_ID: u32 = 0x4750_4B47;
/// The application ids of GeoPackage 1.0 ("GP10") and 1.1 ("GP11"), which are read too.
const OLD_APPLICATION_IDS: [u32; 2] = [0x4750_3130, 0x4750_3131];
/// `PRAGMA user_version`: GeoPackage 1.3.0.
pub const USER_VERSION: i32 = 10300;
/// The geometry column of every event table.
pub const GEOMETRY_COLUMN: &str = "geom";
/// The table of `--split-by none`.
pub const ONE_TABLE: &str = "events";
const SRS_ID: i32 = 4326;
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,\
298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,\
AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],\
AUTHORITY[\"EPSG\",\"4326\"]]";
const RTREE_DEFINITION: &str = "http://www.geopackage.org/spec120/#extension_rtree";
/// SQLite's time stamp in the form GeoPackage asks for.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

/// The table for an event type: its [`slug`] with underscores, so it needs no quoting in SQL:
/// "Explosions/Remote violence" → `explosions_remote_violence`.
pub fn table_name(event_type: &str) -> String {
    slug(event_type).replace('-', "_")
}

/// A column's type in the table: GDAL reads them back as [`FieldType::gdal_name`].
fn sql_type(t: FieldType) -> &'static str {
    match t {
        FieldType::String => "TEXT",
        FieldType::Integer => "MEDIUMINT",
        FieldType::Real => "REAL",
        FieldType::Date => "DATE",
    }
}

/// `name` as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A point as GeoPackageBinary: the header ("GP", version 0, little-endian with an envelope of
/// minx, maxx, miny, maxy, srs_id 4326) and the point as little-endian WKB.
pub fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut b = Vec::with_capacity(61);
    b.extend_from_slice(b"GP");
    b.push(0);
    // Bit 0: little-endian; bits 1-3: envelope kind 1 (minx, maxx, miny, maxy).
    b.push(0b0000_0011);
    b.extend_from_slice(&SRS_ID.to_le_bytes());
    for v in [lon, lon, lat, lat] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.push(1);
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&lon.to_le_bytes());
    b.extend_from_slice(&lat.to_le_bytes());
    b
}

fn f64_at(bytes: &[u8], at: usize, little: bool) -> Option<f64> {
    let raw: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(if little {
        f64::from_le_bytes(raw)
    } else {
        f64::from_be_bytes(raw)
    })
}

/// What the R-tree needs of a GeoPackageBinary geometry: whether it is empty and its bounds
/// (minx, maxx, miny, maxy), from its envelope or, without one, from its WKB point. None for
/// bytes that are not such a geometry (and for geometries other than points without an envelope).
fn bounds(blob: &[u8]) -> Option<(bool, [f64; 4])> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return None;
    }
    let flags = blob[3];
    let little = flags & 1 == 1;
    let envelope_len = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    let empty = flags & 0b1_0000 != 0;
    if envelope_len > 0 {
        let e = [0, 1, 2, 3].map(|i| f64_at(blob, 8 + 8 * i, little));
        if let [Some(a), Some(b), Some(c), Some(d)] = e {
            return Some((empty, [a, b, c, d]));
        }
        return None;
    }
    let wkb = blob.get(8..)?;
    let little = *wkb.first()? == 1;
    let kind: [u8; 4] = wkb.get(1..5)?.try_into().ok()?;
    let kind = if little {
        u32::from_le_bytes(kind)
    } else {
        u32::from_be_bytes(kind)
    };
    // ISO WKB's 1001/2001/3001 and the high-bit flags of extended WKB are points too.
    if (kind & 0x0fff_ffff) % 1000 != 1 {
        return None;
    }
    let (x, y) = (f64_at(wkb, 5, little)?, f64_at(wkb, 13, little)?);
    Some((empty || x.is_nan() || y.is_nan(), [x, x, y, y]))
}

/// The SQL functions GeoPackage's R-tree triggers call (ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY,
/// ST_MaxY), so that rows inserted here keep the index in step as rows inserted by GDAL do.
fn add_rtree_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let of = |ctx: &rusqlite::functions::Context| match ctx.get_raw(0) {
        ValueRef::Blob(b) => bounds(b),
        _ => None,
    };
    conn.create_scalar_function("ST_IsEmpty", 1, flags, move |ctx| {
        Ok(of(ctx).map(|(empty, _)| empty))
    })?;
    for (name, i) in [
        ("ST_MinX", 0),
        ("ST_MaxX", 1),
        ("ST_MinY", 2),
        ("ST_MaxY", 3),
    ] {
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            Ok(of(ctx).and_then(|(empty, b)| (!empty).then_some(b[i])))
        })?;
    }
    Ok(())
}

/// A JSON property as an SQL value.
fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => n.as_f64().map_or(Sql::Null, Sql::Real),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// How many events a run added to one table, and how many it skipped as already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub name: String,
    pub added: u64,
    pub skipped: u64,
}

/// A table the run writes to.
struct Table {
    /// Its name as the file spells it.
    name: String,
    /// Rows up to this rowid were there before the run; an event whose id one of them holds is
    /// skipped. (Events of one run may share an id: two events of a document that differ only
    /// by their actors. Both are kept.)
    before: i64,
    /// Made by this run.
    created: bool,
    insert: String,
    lookup: String,
    added: u64,
    skipped: u64,
}

/// A GeoPackage being written: see the module's documentation.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The temporary file written instead of `path` and renamed onto it by [`Store::finish`];
    /// None when appending to `path` itself. Dropped unfinished, it is removed.
    tmp: Option<tempfile::NamedTempFile>,
    tables: BTreeMap<String, Table>,
}

/// The first 100 bytes of an SQLite file hold its header.
const HEADER_LEN: usize = 100;

/// Whether a file is an SQLite database (a GeoPackage, or any other): its first bytes say so. A
/// layer or page is never written over one (see `map`).
pub fn is_sqlite(path: &Path) -> bool {
    let mut head = Vec::with_capacity(16);
    fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .is_ok_and(|_| head == b"SQLite format 3\0")
}

/// Whether `path` holds a GeoPackage to append to or replace: Ok(false) when it is missing or
/// empty, an error naming the file when it is something else.
fn existing_geopackage(path: &Path) -> Result<bool> {
    let not = |detail: &str| Error::NotAGeoPackage {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(cause) => {
            return Err(Error::Io {
                path: path.to_path_buf(),
                cause,
            })
        }
    };
    if !meta.is_file() {
        return Err(not("not a regular file"));
    }
    if meta.len() == 0 {
        return Ok(false);
    }
    let mut head = Vec::with_capacity(HEADER_LEN);
    fs::File::open(path)
        .and_then(|f| f.take(HEADER_LEN as u64).read_to_end(&mut head))
        .map_err(|cause| Error::Io {
            path: path.to_path_buf(),
            cause,
        })?;
    if head.len() < HEADER_LEN || !head.starts_with(b"SQLite format 3\0") {
        return Err(not("not an SQLite database"));
    }
    let id = u32::from_be_bytes([head[68], head[69], head[70], head[71]]);
    if id != APPLICATION_ID && !OLD_APPLICATION_IDS.contains(&id) {
        return Err(not(&format!(
            "an SQLite database whose application_id is {id:#010x}, not 0x47504b47 (\"GPKG\")"
        )));
    }
    Ok(true)
}

/// Opens the GeoPackage at `path`, refusing an SQLite file that says it is one but has no
/// `gpkg_contents`. Opened for writing (unless the file is write-protected), so that SQLite can
/// undo what a killed run left in its journal before it reads.
fn open_existing(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::NotAGeoPackage {
        path: path.to_path_buf(),
        detail: format!("SQLite cannot open it: {e}"),
    })?;
    has_contents(&conn, path)?;
    Ok(conn)
}

/// Refuses an SQLite file that says it is a GeoPackage but has no `gpkg_contents`.
fn has_contents(conn: &Connection, path: &Path) -> Result<()> {
    let found: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::NotAGeoPackage {
            path: path.to_path_buf(),
            detail: format!("SQLite cannot read it: {e}"),
        })?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotAGeoPackage {
            path: path.to_path_buf(),
            detail: "no gpkg_contents table".into(),
        }),
    }
}

impl Store {
    /// Opens a GeoPackage to write events to. Without `append`, a new file replaces `path` when
    /// [`Store::finish`] renames it into place; with it, events are added to the GeoPackage at
    /// `path` (made when missing). A file that is not a GeoPackage is refused and left untouched.
    pub fn open(path: &Path, append: bool) -> Result<Store> {
        let existing = existing_geopackage(path)?;
        let sql = |e: rusqlite::Error| sqlite_error(path, e);
        if append && existing {
            let conn = open_existing(path)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))
                .map_err(sql)?;
            add_rtree_functions(&conn).map_err(sql)?;
            conn.execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| match e.sqlite_error_code() {
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                        Error::GeoPackage {
                            path: path.to_path_buf(),
                            detail: "another program is writing to it (QGIS editing a layer?); \
                             save or close it there and run again"
                                .into(),
                        }
                    }
                    _ => sqlite_error(path, e),
                })?;
            return Ok(Store {
                conn,
                path: path.to_path_buf(),
                tmp: None,
                tables: BTreeMap::new(),
            });
        }
        if existing {
            // To be replaced: still only when it is a GeoPackage.
            open_existing(path)?;
        }
        let tmp = crate::output::temp_beside(path).map_err(|cause| Error::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        let conn = Connection::open(tmp.path()).map_err(sql)?;
        // A file of our own until it is renamed: its rollback journal need not be on disk.
        conn.pragma_update(None, "journal_mode", "MEMORY")
            .map_err(sql)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID as i32)
            .map_err(sql)?;
        conn.pragma_update(None, "user_version", USER_VERSION)
            .map_err(sql)?;
        add_rtree_functions(&conn).map_err(sql)?;
        conn.execute_batch("BEGIN").map_err(sql)?;
        make_core_tables(&conn).map_err(sql)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            tmp: Some(tmp),
            tables: BTreeMap::new(),
        })
    }

    /// The file the store ends up in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes sure `table` is there: made with its index and style when missing; when present,
    /// checked to have every column of ours.
    pub fn table(&mut self, table: &str) -> Result<()> {
        if self.tables.contains_key(table) {
            return Ok(());
        }
        let t = open_table(&self.conn, &self.path, table)?;
        self.tables.insert(table.to_string(), t);
        Ok(())
    }

    /// Adds an event to `table` (made if missing). Returns false, adding nothing, when the table
    /// held an event of the same `x_event_id` before this run.
    pub fn push(&mut self, table: &str, e: &Event, origin: &Origin) -> Result<bool> {
        self.table(table)?;
        let path = &self.path;
        let sql = |e: rusqlite::Error| sqlite_error(path, e);
        let Some(t) = self.tables.get_mut(table) else {
            return Ok(false);
        };
        let props = properties(e, origin);
        if t.before > 0 {
            let id = props.get("x_event_id").map(to_sql).unwrap_or(Sql::Null);
            let there = self
                .conn
                .prepare_cached(&t.lookup)
                .and_then(|mut s| s.exists(params![id, t.before]))
                .map_err(sql)?;
            if there {
                t.skipped += 1;
                return Ok(false);
            }
        }
        let coordinate = |k: &str| props.get(k).and_then(Value::as_f64);
        let geom = match (coordinate("longitude"), coordinate("latitude")) {
            (Some(lon), Some(lat)) => Sql::Blob(point_blob(lon, lat)),
            _ => Sql::Null,
        };
        let values = std::iter::once(geom).chain(props.values().map(to_sql));
        self.conn
            .prepare_cached(&t.insert)
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
            .map_err(sql)?;
        t.added += 1;
        Ok(true)
    }

    /// Sets each written table's extent, commits, and (unless appending) renames the file into
    /// place. Returns, per table, what was added and skipped.
    pub fn finish(self) -> Result<Vec<TableCount>> {
        let Store {
            conn,
            path,
            tmp,
            tables,
        } = self;
        let sql = |e: rusqlite::Error| sqlite_error(&path, e);
        for t in tables.values().filter(|t| t.added > 0 || t.created) {
            let g = ident(GEOMETRY_COLUMN);
            let from = ident(&t.name);
            conn.execute(
                &format!(
                    "UPDATE gpkg_contents SET \
                     min_x = (SELECT min(ST_MinX({g})) FROM {from}), \
                     min_y = (SELECT min(ST_MinY({g})) FROM {from}), \
                     max_x = (SELECT max(ST_MaxX({g})) FROM {from}), \
                     max_y = (SELECT max(ST_MaxY({g})) FROM {from}), \
                     last_change = {NOW} \
                     WHERE lower(table_name) = lower(?1)"
                ),
                params![t.name],
            )
            .map_err(sql)?;
        }
        conn.execute_batch("COMMIT").map_err(sql)?;
        conn.close().map_err(|(_, e)| sql(e))?;
        if let Some(tmp) = tmp {
            crate::output::persist(tmp, &path).map_err(|cause| Error::Io {
                path: path.clone(),
                cause,
            })?;
        }
        Ok(tables
            .into_values()
            .map(|t| TableCount {
                name: t.name,
                added: t.added,
                skipped: t.skipped,
            })
            .collect())
    }
}

fn sqlite_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::GeoPackage {
        path: path.to_path_buf(),
        detail: format!("SQLite: {e}"),
    }
}

/// The tables every GeoPackage has (and those an R-tree index needs), with the three spatial
/// reference systems the standard requires. Present ones are left as they are.
fn make_core_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL,
            srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL,
            definition TEXT NOT NULL,
            description TEXT
         );
         CREATE TABLE IF NOT EXISTS gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY,
            data_type TEXT NOT NULL,
            identifier TEXT UNIQUE,
            description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE,
            min_y DOUBLE,
            max_x DOUBLE,
            max_y DOUBLE,
            srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
         );
         CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
            table_name TEXT NOT NULL,
            column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL,
            m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
         );
         CREATE TABLE IF NOT EXISTS gpkg_extensions (
            table_name TEXT,
            column_name TEXT,
            extension_name TEXT NOT NULL,
            definition TEXT NOT NULL,
            scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
         );",
    )?;
    let srs: [(&str, i32, &str, i32, &str, &str); 3] = [
        (
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system",
        ),
        (
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system",
        ),
        (
            "WGS 84 geodetic",
            SRS_ID,
            "EPSG",
            SRS_ID,
            WGS84_WKT,
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
        ),
    ];
    for (name, id, org, org_id, definition, description) in srs {
        conn.execute(
            "INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, \
             organization_coordsys_id, definition, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, id, org, org_id, definition, description],
        )?;
    }
    Ok(())
}

/// The name `table` has in the file (SQLite's names ignore case), and whether it is a table.
fn existing_table(conn: &Connection, table: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') \
         AND lower(name) = lower(?1)",
        params![table],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

fn open_table(conn: &Connection, path: &Path, table: &str) -> Result<Table> {
    let sql = |e: rusqlite::Error| sqlite_error(path, e);
    let refuse = |detail: String| Error::GeoPackage {
        path: path.to_path_buf(),
        detail,
    };
    let (name, created) = match existing_table(conn, table).map_err(sql)? {
        Some((_, kind)) if kind != "table" => {
            return Err(refuse(format!(
                "{table} is a {kind}, not a table; write to a new file (-o other.gpkg) or drop \
                 that {kind}"
            )))
        }
        Some((name, _)) => {
            let mut stmt = conn
                .prepare(&format!("PRAGMA table_info({})", ident(&name)))
                .map_err(sql)?;
            let columns: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(1))
                .and_then(|rows| rows.collect())
                .map_err(sql)?;
            let has = |c: &str| columns.iter().any(|x| x.eq_ignore_ascii_case(c));
            let missing: Vec<&str> = std::iter::once(GEOMETRY_COLUMN)
                .chain(FIELDS.iter().map(|(n, _)| *n))
                .filter(|c| !has(c))
                .collect();
            if let Some(first) = missing.first() {
                let more = match missing.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                return Err(refuse(format!(
                    "table {name} lacks column {first}{more}, so events cannot be appended to it; \
                     write to a new file (-o other.gpkg), or rename or drop that table"
                )));
            }
            (name, false)
        }
        None => {
            make_core_tables(conn).map_err(sql)?;
            make_table(conn, table).map_err(sql)?;
            (table.to_string(), true)
        }
    };
    let t = ident(&name);
    let index = ident(&format!("{name}_x_event_id"));
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS {index} ON {t} (\"x_event_id\")"
    ))
    .map_err(sql)?;
    add_style(conn, &name).map_err(sql)?;
    let before: i64 = if created {
        0
    } else {
        conn.query_row(
            &format!("SELECT coalesce(max(rowid), 0) FROM {t}"),
            [],
            |r| r.get(0),
        )
        .map_err(sql)?
    };
    let columns: Vec<String> = std::iter::once(GEOMETRY_COLUMN)
        .chain(FIELDS.iter().map(|(n, _)| *n))
        .map(ident)
        .collect();
    let slots: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    Ok(Table {
        insert: format!(
            "INSERT INTO {t} ({}) VALUES ({})",
            columns.join(", "),
            slots.join(", ")
        ),
        lookup: format!("SELECT 1 FROM {t} WHERE \"x_event_id\" = ?1 AND rowid <= ?2 LIMIT 1"),
        name,
        before,
        created,
        added: 0,
        skipped: 0,
    })
}

/// A new feature table: registered in gpkg_contents and gpkg_geometry_columns, with its R-tree
/// (registered in gpkg_extensions) and the triggers that keep it in step.
fn make_table(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    let t = ident(table);
    let g = ident(GEOMETRY_COLUMN);
    let columns: String = FIELDS
        .iter()
        .map(|(n, ty)| format!(",\n  {} {}", ident(n), sql_type(*ty)))
        .collect();
    conn.execute_batch(&format!(
        "CREATE TABLE {t} (\n  \"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n  {g} POINT{columns}\n)"
    ))?;
    conn.execute(
        &format!(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, \
             last_change, srs_id) VALUES (?1, 'features', ?1, ?2, {NOW}, ?3)"
        ),
        params![table, "events read from news text by geoevents", SRS_ID],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, \
         z, m) VALUES (?1, ?2, 'POINT', ?3, 0, 0)",
        params![table, GEOMETRY_COLUMN, SRS_ID],
    )?;
    let rtree_name = format!("rtree_{table}_{GEOMETRY_COLUMN}");
    let rtree = ident(&rtree_name);
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy)"
    ))?;
    conn.execute(
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) \
         VALUES (?1, ?2, 'gpkg_rtree_index', ?3, 'write-only')",
        params![table, GEOMETRY_COLUMN, RTREE_DEFINITION],
    )?;
    // The triggers of the R-tree extension: a row's bounds go in when it is added, follow its
    // geometry and its id when they change, and leave when it is deleted or its geometry emptied.
    let set = |id: &str| {
        format!(
            "INSERT OR REPLACE INTO {rtree} VALUES ({id}, ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}), \
             ST_MinY(NEW.{g}), ST_MaxY(NEW.{g}));"
        )
    };
    let has_geom = format!("(NEW.{g} NOT NULL AND NOT ST_IsEmpty(NEW.{g}))");
    let no_geom = format!("(NEW.{g} IS NULL OR ST_IsEmpty(NEW.{g}))");
    let trigger = |suffix: &str, event: &str, when: &str, body: &str| {
        format!(
            "CREATE TRIGGER {} AFTER {event} ON {t} WHEN {when}\nBEGIN\n  {body}\nEND;\n",
            ident(&format!("{rtree_name}_{suffix}"))
        )
    };
    let triggers = [
        trigger("insert", "INSERT", &has_geom, &set("NEW.\"fid\"")),
        trigger(
            "update1",
            &format!("UPDATE OF {g}"),
            &format!("OLD.\"fid\" = NEW.\"fid\" AND {has_geom}"),
            &set("NEW.\"fid\""),
        ),
        trigger(
            "update2",
            &format!("UPDATE OF {g}"),
            &format!("OLD.\"fid\" = NEW.\"fid\" AND {no_geom}"),
            &format!("DELETE FROM {rtree} WHERE id = OLD.\"fid\";"),
        ),
        trigger(
            "update3",
            "UPDATE",
            &format!("OLD.\"fid\" != NEW.\"fid\" AND {has_geom}"),
            &format!(
                "DELETE FROM {rtree} WHERE id = OLD.\"fid\";\n  {}",
                set("NEW.\"fid\"")
            ),
        ),
        trigger(
            "update4",
            "UPDATE",
            &format!("OLD.\"fid\" != NEW.\"fid\" AND {no_geom}"),
            &format!("DELETE FROM {rtree} WHERE id IN (OLD.\"fid\", NEW.\"fid\");"),
        ),
        trigger(
            "delete",
            "DELETE",
            &format!("OLD.{g} NOT NULL"),
            &format!("DELETE FROM {rtree} WHERE id = OLD.\"fid\";"),
        ),
    ];
    conn.execute_batch(&triggers.concat())
}

/// The table's QGIS style in `layer_styles`, made as QGIS makes it (and registered as an
/// attributes table) when missing; a table that has a style already keeps it.
fn add_style(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS \"layer_styles\" (
            \"id\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            \"f_table_catalog\" TEXT(256),
            \"f_table_schema\" TEXT(256),
            \"f_table_name\" TEXT(256),
            \"f_geometry_column\" TEXT(256),
            \"styleName\" TEXT(30),
            \"styleQML\" TEXT,
            \"styleSLD\" TEXT,
            \"useAsDefault\" BOOLEAN,
            \"description\" TEXT,
            \"owner\" TEXT(30),
            \"ui\" TEXT(30),
            \"update_time\" DATETIME DEFAULT ({NOW})
         );
         INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
            SELECT 'layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', {NOW}
            WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents
                              WHERE lower(table_name) = 'layer_styles');"
    ))?;
    conn.execute(
        &format!(
            "INSERT INTO \"layer_styles\" (\"f_table_catalog\", \"f_table_schema\", \
             \"f_table_name\", \"f_geometry_column\", \"styleName\", \"styleQML\", \"styleSLD\", \
             \"useAsDefault\", \"description\", \"owner\", \"ui\", \"update_time\") \
             SELECT '', '', ?1, ?2, ?1, ?3, '', 1, ?4, '', NULL, {NOW} \
             WHERE NOT EXISTS (SELECT 1 FROM \"layer_styles\" WHERE \"f_table_name\" = ?1)"
        ),
        params![
            table,
            GEOMETRY_COLUMN,
            qml(),
            "geoevents: points coloured by event_type"
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Place;
    use chrono::NaiveDate;

    fn event(geonameid: u32, lat: f64, lon: f64, event_type: &'static str) -> Event {
        Event {
            event_date: NaiveDate::from_ymd_opt(2023, 2, 14),
            time_precision: 1,
            event_type,
            sub_event_type: "Shelling/artillery/missile attack",
            actor1: Some("Military Forces of Russia".into()),
            actor2: Some("Civilians (Ukraine)".into()),
            assoc_actor_1: None,
            assoc_actor_2: None,
            place: Place {
                geonameid,
                name: "Kherson".into(),
                latitude: lat,
                longitude: lon,
                feature_class: "P".into(),
                feature_code: "PPLA".into(),
                country_code: "UA".into(),
                country: Some("Ukraine".into()),
                admin1_code: "14".into(),
                admin1: Some("Kherson".into()),
                admin2_code: String::new(),
                admin2: None,
                admin3_code: String::new(),
                admin3: None,
                population: 0,
            },
            geo_precision: 1,
            notes: "Russian forces shelled Kherson on 14 February 2023, killing two civilians."
                .into(),
            sentence: 0,
            mention: "Kherson".into(),
            start: 31,
            end: 38,
            confidence: 0.9,
            fatalities: 2,
        }
    }

    fn origin() -> Origin<'static> {
        Origin {
            doc_id: "doc-1",
            source: "report.txt",
            lang: "en",
        }
    }

    const EXPLOSIONS: &str = "Explosions/Remote violence";

    fn write(path: &Path, append: bool, events: &[Event]) -> Vec<TableCount> {
        let mut store = Store::open(path, append).unwrap();
        for e in events {
            store.push(&table_name(e.event_type), e, &origin()).unwrap();
        }
        store.finish().unwrap()
    }

    /// A new GeoPackage in a folder of its own, with the shelling of Kherson.
    fn kherson_store() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.gpkg");
        write(
            &path,
            false,
            &[event(706448, 46.635417, 32.616669, EXPLOSIONS)],
        );
        (dir, path)
    }

    /// A file's bytes and modification time.
    fn snapshot(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
        (
            fs::read(path).unwrap(),
            fs::metadata(path).unwrap().modified().unwrap(),
        )
    }

    /// The one value `query` selects.
    fn one<T: rusqlite::types::FromSql>(path: &Path, query: &str) -> T {
        let conn = Connection::open(path).unwrap();
        conn.query_row(query, [], |r| r.get(0)).unwrap()
    }

    fn count(path: &Path, table: &str) -> i64 {
        one(path, &format!("SELECT count(*) FROM {}", ident(table)))
    }

    #[test]
    fn table_names_are_sql_safe_slugs() {
        assert_eq!(table_name(EXPLOSIONS), "explosions_remote_violence");
        assert_eq!(table_name("Battles"), "battles");
        assert_eq!(
            table_name("Violence against civilians"),
            "violence_against_civilians"
        );
    }

    #[test]
    fn a_point_is_geopackage_binary_with_an_envelope_and_little_endian_wkb() {
        let b = point_blob(32.616_667, 46.633_333);
        assert_eq!(&b[..4], b"GP\x00\x03");
        assert_eq!(&b[4..8], &4326i32.to_le_bytes());
        assert_eq!(b.len(), 8 + 32 + 21);
        assert_eq!(f64_at(&b, 8, true), Some(32.616_667));
        assert_eq!(f64_at(&b, 16, true), Some(32.616_667));
        assert_eq!(f64_at(&b, 24, true), Some(46.633_333));
        assert_eq!(&b[40..45], &[1, 1, 0, 0, 0]);
        assert_eq!(f64_at(&b, 45, true), Some(32.616_667));
        assert_eq!(f64_at(&b, 53, true), Some(46.633_333));
        assert_eq!(
            bounds(&b),
            Some((false, [32.616_667, 32.616_667, 46.633_333, 46.633_333]))
        );
        // GDAL writes points without an envelope, and may write big-endian.
        let mut bare = b"GP\x00\x00".to_vec();
        bare.extend_from_slice(&4326i32.to_le_bytes());
        bare.push(0);
        bare.extend_from_slice(&1u32.to_be_bytes());
        bare.extend_from_slice(&30f64.to_be_bytes());
        bare.extend_from_slice(&50f64.to_be_bytes());
        assert_eq!(bounds(&bare), Some((false, [30.0, 30.0, 50.0, 50.0])));
        assert_eq!(bounds(b"GP"), None);
        assert_eq!(bounds(b"not a geometry at all"), None);
    }

    #[test]
    fn the_file_says_it_is_a_geopackage_and_has_its_tables() {
        let (dir, path) = kherson_store();
        assert_eq!(Store::open(&path, true).unwrap().finish().unwrap(), []);
        let counts = write(
            &path,
            false,
            &[event(706448, 46.635417, 32.616669, EXPLOSIONS)],
        );
        assert_eq!(
            counts,
            [TableCount {
                name: "explosions_remote_violence".into(),
                added: 1,
                skipped: 0
            }]
        );
        let head = fs::read(&path).unwrap();
        assert!(head.starts_with(b"SQLite format 3\0"));
        assert_eq!(&head[68..72], b"GPKG");
        assert_eq!(&head[60..64], &10300u32.to_be_bytes());
        let conn = Connection::open(&path).unwrap();
        let srs: Vec<i64> = conn
            .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(srs, [-1, 0, 4326]);
        let (kind, srs, min_x, max_y): (String, i64, f64, f64) = conn
            .query_row(
                "SELECT data_type, srs_id, min_x, max_y FROM gpkg_contents \
                 WHERE table_name = 'explosions_remote_violence'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), srs), ("features", 4326));
        assert_eq!((min_x, max_y), (32.616669, 46.635417));
        assert_eq!(count(&path, "rtree_explosions_remote_violence_geom"), 1);
        let (date, fatalities): (String, i64) = conn
            .query_row(
                "SELECT event_date, fatalities FROM explosions_remote_violence",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((date.as_str(), fatalities), ("2023-02-14", 2));
        let styles: Vec<(String, i64)> = conn
            .prepare("SELECT f_table_name, useAsDefault FROM layer_styles")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(styles, [("explosions_remote_violence".to_string(), 1)]);
        // Nothing but the GeoPackage is left in the folder.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn appending_skips_the_events_already_there_and_keeps_one_style() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.gpkg");
        let kherson = event(706448, 46.635417, 32.616669, EXPLOSIONS);
        // Two events that differ only by an actor share their id: a run keeps both.
        let mut twin = kherson.clone();
        twin.actor1 = Some("Wagner Group".into());
        write(&path, true, &[kherson.clone(), twin]);
        assert_eq!(count(&path, "explosions_remote_violence"), 2);
        let kyiv = event(703448, 50.45466, 30.5238, EXPLOSIONS);
        let counts = write(&path, true, &[kherson, kyiv]);
        assert_eq!((counts[0].added, counts[0].skipped), (1, 1));
        assert_eq!(count(&path, "explosions_remote_violence"), 3);
        assert_eq!(count(&path, "layer_styles"), 1);
        assert_eq!(count(&path, "rtree_explosions_remote_violence_geom"), 3);
        let max_y: f64 = one(
            &path,
            "SELECT max_y FROM gpkg_contents WHERE table_name = 'explosions_remote_violence'",
        );
        assert_eq!(max_y, 50.45466);
    }

    #[test]
    fn a_file_that_is_not_a_geopackage_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.gpkg");
        fs::write(&text, "Russian forces shelled Kherson.\n").unwrap();
        let sqlite = dir.path().join("other.gpkg");
        Connection::open(&sqlite)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        for path in [&text, &sqlite] {
            let before = snapshot(path);
            for append in [false, true] {
                let err = Store::open(path, append).err().unwrap();
                assert!(matches!(err, Error::NotAGeoPackage { .. }), "{err}");
                assert!(
                    err.to_string().contains(&path.display().to_string()),
                    "{err}"
                );
                assert!(before == snapshot(path), "{} changed", path.display());
            }
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn an_error_half_way_through_an_append_leaves_the_file_as_it_was() {
        let (dir, path) = kherson_store();
        // A table of that name without our columns.
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE battles (fid INTEGER PRIMARY KEY, geom POINT)")
                .unwrap();
        }
        let before = fs::read(&path).unwrap();
        let mut store = Store::open(&path, true).unwrap();
        // More than SQLite's page cache holds, so that pages reach the file before the end.
        let mut kyiv = event(703448, 50.45466, 30.5238, EXPLOSIONS);
        kyiv.notes = "Kyiv was shelled. ".repeat(40);
        for _ in 0..5000 {
            assert!(store
                .push("explosions_remote_violence", &kyiv, &origin())
                .unwrap());
        }
        let err = store
            .push(
                "battles",
                &event(703448, 50.45466, 30.5238, "Battles"),
                &origin(),
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("lacks column event_date (and "),
            "{err}"
        );
        // Pages were written to the file, and the journal to undo them is beside it.
        assert!(fs::metadata(&path).unwrap().len() > before.len() as u64);
        assert!(dir.path().join("events.gpkg-journal").exists());
        drop(store);
        assert!(fs::read(&path).unwrap() == before, "the file changed");
        assert_eq!(count(&path, "explosions_remote_violence"), 1);
        assert!(!dir.path().join("events.gpkg-journal").exists());
    }

    #[test]
    fn a_table_lacking_only_the_id_is_named_in_the_refusal() {
        let (_dir, path) = kherson_store();
        // An indexed column cannot be dropped: the index goes first.
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP INDEX explosions_remote_violence_x_event_id; \
                 ALTER TABLE explosions_remote_violence DROP COLUMN x_event_id",
            )
            .unwrap();
        let mut store = Store::open(&path, true).unwrap();
        let err = store
            .push(
                "explosions_remote_violence",
                &event(703448, 50.45466, 30.5238, EXPLOSIONS),
                &origin(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("table explosions_remote_violence lacks column x_event_id,")
                && err.contains("write to a new file")
                && err.contains(&path.display().to_string()),
            "{err}"
        );
    }
}
