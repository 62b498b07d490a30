//! `GazetteerBuilder`: streams GeoNames files into one compiled index file.
//!
//! Rows are streamed; everything that grows with the dump goes through an external sort or a temporary
//! file, so memory stays bounded (see `BuildOptions::sort_memory`). The output is written to a temporary
//! file beside the target and renamed into place only when complete. With a base index (`set_base`,
//! see `base`), the sources are layered onto an index built before.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

mod base;

pub use base::{BaseConflicts, BASE_CONFLICT_KM};

use super::extsort::ExternalSorter;
use super::format::{self, alt_flags, NameKind, RawRecord, Section, HEADER_LEN, SECTION_COUNT};
use super::reader::Gazetteer;
use super::sources::{Source, SourceKind, TsvLines};
use crate::normalize::name_key;
use crate::translit;
use crate::{Error, Result};

/// What to keep from the sources.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// ISO country codes to keep (upper case); `None` keeps all.
    pub countries: Option<BTreeSet<String>>,
    /// GeoNames feature classes to keep (`P`, `A`, `H`, ...); `None` keeps all.
    pub feature_classes: Option<BTreeSet<char>>,
    /// Populated places (class P) below this population are dropped; other classes are kept.
    pub min_population: u64,
    /// Bytes each of the two external sorts may hold before spilling to disk.
    pub sort_memory: usize,
    /// Receives progress in bytes of input; hidden by default.
    pub progress: indicatif::ProgressBar,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            countries: None,
            feature_classes: None,
            min_population: 0,
            sort_memory: 256 << 20,
            progress: indicatif::ProgressBar::hidden(),
        }
    }
}

/// Build facts stored in the index's `meta` section and shown by `gazetteer info`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildMeta {
    pub format_version: u32,
    pub generator: String,
    pub built_at: String,
    pub sources: Vec<SourceFacts>,
    pub options: OptionFacts,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceFacts {
    pub file: String,
    pub kind: SourceKind,
    pub rows: u64,
    pub kept: u64,
    pub rejected: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OptionFacts {
    pub countries: Option<Vec<String>>,
    pub feature_classes: Option<Vec<String>>,
    pub min_population: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counts {
    pub places: u64,
    pub name_keys: u64,
    pub alternate_names: u64,
    pub historic_names: u64,
    pub admin_names: u64,
    pub by_feature_class: BTreeMap<String, u64>,
    pub by_country: BTreeMap<String, u64>,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildSummary {
    pub output: PathBuf,
    pub meta: BuildMeta,
    pub elapsed: Duration,
    pub output_bytes: u64,
    /// The first warnings (bad rows and the like); `warning_count` counts all of them.
    pub warnings: Vec<String>,
    pub warning_count: u64,
    /// Per main dump, the places it shares with the base index at other coordinates (counted
    /// among the warnings, but never cut from this list).
    pub base_conflicts: Vec<BaseConflicts>,
}

/// Collects sources, then compiles them with `build`.
pub struct GazetteerBuilder {
    opts: BuildOptions,
    sources: Vec<Source>,
    base: Option<Gazetteer>,
}

const MAX_KEPT_WARNINGS: usize = 50;
/// GeoNames ids are below 2·10^7; this bound keeps the seen-ids bitset under 125 MB whatever a
/// malformed row says.
const MAX_GEONAMEID: u32 = 1_000_000_000;
/// Alternate-name "languages" that are not names: links, postal codes, ids, pronunciations.
const SKIPPED_LANGS: &[&str] = &[
    "link", "post", "wkdt", "unlc", "tcid", "phon", "iata", "icao", "faac", "fr_1793",
];

impl GazetteerBuilder {
    pub fn new(opts: BuildOptions) -> GazetteerBuilder {
        GazetteerBuilder {
            opts,
            sources: Vec::new(),
            base: None,
        }
    }

    /// Recognises and queues one input file.
    pub fn add_source(&mut self, path: &Path) -> Result<&Source> {
        let source = Source::detect(path)?;
        self.sources.push(source);
        Ok(self.sources.last().unwrap())
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The index the sources are layered onto, if any (see `set_base`).
    pub fn base(&self) -> Option<&Gazetteer> {
        self.base.as_ref()
    }

    /// Compiles the queued sources into `output`.
    pub fn build(self, output: &Path) -> Result<BuildSummary> {
        let started = Instant::now();
        let has_dump = self.sources.iter().any(|s| s.kind == SourceKind::MainDump);
        if !has_dump && self.base.is_none() {
            return Err(Error::NoMainDump);
        }
        // The finished index is renamed over `output`, so a reader of the old file keeps its
        // bytes; still, writing over an input of this very build is refused: over the base it
        // is almost always a slip of `-o`, and over a GeoNames source it would lose the dump.
        let inputs = self.base.iter().map(Gazetteer::path);
        for input in inputs.chain(self.sources.iter().map(|s| s.path.as_path())) {
            if same_file(input, output) {
                return Err(Error::OutputIsInput {
                    output: output.to_path_buf(),
                    input: input.to_path_buf(),
                });
            }
        }
        let out_dir = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&out_dir).map_err(|e| Error::io(&out_dir, e))?;
        let tmp = tempfile::Builder::new()
            .prefix(".geoevents-build-")
            .tempdir_in(&out_dir)
            .map_err(|e| Error::io(&out_dir, e))?;
        let total: u64 = self.sources.iter().map(Source::data_size).sum();
        let base_bytes = self.base.as_ref().map_or(0, Gazetteer::size_bytes);
        self.opts.progress.set_length(total + base_bytes);

        let mut st = State::new(tmp.path(), &self.opts)?;
        if let Some(base) = &self.base {
            st.base = Some(base::BaseLayer::new(base)?);
        }
        let by_kind = |k: SourceKind| self.sources.iter().filter(move |s| s.kind == k);
        for s in by_kind(SourceKind::CountryInfo)
            .chain(by_kind(SourceKind::Admin1Codes))
            .chain(by_kind(SourceKind::Admin2Codes))
        {
            st.read_table(s)?;
        }
        st.keep_ids = by_kind(SourceKind::AlternateNames).next().is_some();
        for s in by_kind(SourceKind::MainDump) {
            st.read_dump(s)?;
            st.report_base_conflicts(s);
        }
        // Last among the places, so that every source's row of a place wins over the base's.
        st.read_base()?;
        if st.keep_ids {
            st.ids.sort_unstable();
            for s in by_kind(SourceKind::AlternateNames) {
                st.read_alternates(s)?;
            }
        }
        st.merge_alternate_names()?;
        st.write_names()?;
        st.write_admin()?;
        let meta = st.meta(&self.opts);
        let output_bytes = st.assemble(&meta, output, &out_dir)?;
        self.opts.progress.finish_and_clear();
        Ok(BuildSummary {
            output: output.to_path_buf(),
            meta,
            elapsed: started.elapsed(),
            output_bytes,
            warnings: st.warnings,
            warning_count: st.warning_count,
            base_conflicts: st.base_conflicts,
        })
    }
}

/// An alternate name being merged: (record, name, lang, flags, historic verdict).
type PendingAlt = (u32, Vec<u8>, Vec<u8>, u8, Option<bool>);

/// What a reader made of one row.
enum RowOutcome {
    Kept,
    /// Well-formed but not wanted (filtered out, a duplicate, an orphan alternate name).
    Skipped,
    Rejected(String),
}

/// The alternate-name sorter's value: name, NUL, language, NUL, flags (NULs inside are dropped).
fn alt_value(buf: &mut Vec<u8>, name: &str, lang: &str, flags: u8) {
    buf.clear();
    buf.extend(name.bytes().filter(|&b| b != 0));
    buf.push(0);
    buf.extend(lang.bytes().filter(|&b| b != 0).take(255));
    buf.extend_from_slice(&[0, flags]);
}

/// A temporary section file, written through a buffer.
struct Spool {
    w: BufWriter<File>,
    len: u64,
}

impl Spool {
    fn new(dir: &Path) -> Result<Spool> {
        let f = tempfile::tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
        Ok(Spool {
            w: BufWriter::with_capacity(1 << 20, f),
            len: 0,
        })
    }

    fn write(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.len += b.len() as u64;
        self.w.write_all(b)
    }

    fn into_file(self) -> std::io::Result<(File, u64)> {
        let mut f = self.w.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        Ok((f, self.len))
    }
}

struct State<'o> {
    dir: PathBuf,
    opts: &'o BuildOptions,
    records: Spool,
    strings: Spool,
    alt_index: Spool,
    alt_names: Spool,
    postings: Spool,
    names_fst: Option<(File, u64)>,
    admin_fst: Vec<u8>,
    names: Option<ExternalSorter>,
    alts: Option<ExternalSorter>,
    record_count: u32,
    /// Bitset of geonameids already kept: the first source that has a place wins.
    seen: Vec<u64>,
    keep_ids: bool,
    /// (geonameid, record index), to attach alternate names; only when such a file is given.
    ids: Vec<(u32, u32)>,
    interned: HashMap<String, u32>,
    table_admin: BTreeMap<String, String>,
    dump_admin: BTreeMap<String, String>,
    counts: Counts,
    class_counts: [u64; 256],
    country_counts: HashMap<[u8; 2], u64>,
    facts: Vec<SourceFacts>,
    warnings: Vec<String>,
    warning_count: u64,
    base: Option<base::BaseLayer<'o>>,
    /// The base's country and admin names: below the code tables, above the dumps' own rows.
    base_admin: BTreeMap<String, String>,
    base_conflicts: Vec<BaseConflicts>,
}

fn io_in(dir: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(dir, e)
}

/// The 19 columns of a geoname row, borrowed from the line.
#[derive(Debug)]
struct GeoRow<'a> {
    id: u32,
    name: &'a str,
    ascii: &'a str,
    alternates: &'a str,
    lat: f64,
    lon: f64,
    class: &'a str,
    code: &'a str,
    country: &'a str,
    feature_code: [u8; 5],
    country_code: [u8; 2],
    admin1: &'a str,
    admin2: &'a str,
    admin3: &'a str,
    population: u64,
}

/// The admin-index key of a third-level division: its code within its first-level one.
/// GeoNames' third-level rows often leave the second-level code empty, so it is not part of the key.
pub(crate) fn admin3_key(country: &str, admin1: &str, admin3: &str) -> String {
    format!("{country}.{admin1}~{admin3}")
}

/// Reads one row of a GeoNames dump, for the fuzz target (`fuzz/`): true when it is a valid row.
/// Never panics, whatever the line.
#[doc(hidden)]
pub fn parse_geonames_line(line: &str) -> bool {
    parse_geoname(line).is_ok()
}

fn parse_geoname(line: &str) -> std::result::Result<GeoRow<'_>, String> {
    let mut cols = [""; 19];
    let mut n = 0;
    for c in line.split('\t') {
        if n < 19 {
            cols[n] = c;
        }
        n += 1;
    }
    // A 20th column is a curated file's `source` citation (see gazetteer/supplement.tsv).
    if n != 19 && n != 20 {
        return Err(format!("expected 19 tab-separated columns, found {n}"));
    }
    let id = cols[0]
        .parse::<u32>()
        .ok()
        .filter(|&id| id < MAX_GEONAMEID)
        .ok_or_else(|| {
            format!(
                "geonameid `{}` is not a number below {MAX_GEONAMEID}",
                cols[0]
            )
        })?;
    let coord = |s: &str, what: &str, max: f64| -> std::result::Result<f64, String> {
        match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= max => Ok(v),
            _ => Err(format!("{what} `{s}` is not a number within ±{max}")),
        }
    };
    let lat = coord(cols[4], "latitude", 90.0)?;
    let lon = coord(cols[5], "longitude", 180.0)?;
    if cols[1].trim().is_empty() {
        return Err("empty name".into());
    }
    // Checked here, before the row claims its id, so a bad row cannot hide a good one later.
    let feature_code = format::fixed_ascii::<5>(cols[7])
        .ok_or_else(|| format!("feature code `{}` is not 1–5 ASCII letters", cols[7]))?;
    let country_code = format::fixed_ascii::<2>(cols[8])
        .ok_or_else(|| format!("country code `{}` is not two ASCII letters", cols[8]))?;
    Ok(GeoRow {
        id,
        feature_code,
        country_code,
        name: cols[1].trim(),
        ascii: cols[2].trim(),
        alternates: cols[3],
        lat,
        lon,
        class: cols[6],
        code: cols[7],
        country: cols[8],
        admin1: cols[10],
        admin2: cols[11],
        admin3: cols[12].trim(),
        population: cols[14].trim().parse().unwrap_or(0),
    })
}

/// Indexes the Latin spellings of a Cyrillic name (Ukrainian 2010, Russian BGN/PCGN and press).
/// A spelling is derived, so it yields to any name GeoNames lists under the same key (unflagged),
/// and a historic name's spellings stay historic.
fn push_transliterations(
    names: &mut ExternalSorter,
    record: u32,
    name: &str,
    key: &str,
    historic: bool,
) -> std::io::Result<()> {
    let kind = if historic {
        NameKind::Historic
    } else {
        NameKind::Transliterated
    };
    for latin in translit::latin_spellings(name) {
        let k = name_key(&latin);
        if !k.is_empty() && k != key {
            names.push(k.as_bytes(), &posting_value(record, kind, false))?;
        }
    }
    Ok(())
}

/// The name sorter's value: record, then whether alternateNames flags back the kind, then the kind.
/// Sorted, the first value of a record is its best flagged kind, so a name the dump lists without
/// flags ("Artemivs'k") cannot hide what alternateNamesV2 says of the same key ("Artemivsk", historic).
fn posting_value(record: u32, kind: NameKind, flagged: bool) -> [u8; 6] {
    let r = record.to_be_bytes();
    [r[0], r[1], r[2], r[3], u8::from(!flagged), kind as u8]
}

impl<'o> State<'o> {
    fn new(dir: &Path, opts: &'o BuildOptions) -> Result<State<'o>> {
        let mut st = State {
            dir: dir.to_path_buf(),
            opts,
            records: Spool::new(dir)?,
            strings: Spool::new(dir)?,
            alt_index: Spool::new(dir)?,
            alt_names: Spool::new(dir)?,
            postings: Spool::new(dir)?,
            names_fst: None,
            admin_fst: Vec::new(),
            names: Some(ExternalSorter::new(dir, opts.sort_memory)),
            alts: Some(ExternalSorter::new(dir, opts.sort_memory)),
            record_count: 0,
            seen: Vec::new(),
            keep_ids: false,
            ids: Vec::new(),
            interned: HashMap::new(),
            table_admin: BTreeMap::new(),
            dump_admin: BTreeMap::new(),
            counts: Counts::default(),
            class_counts: [0; 256],
            country_counts: HashMap::new(),
            facts: Vec::new(),
            warnings: Vec::new(),
            warning_count: 0,
            base: None,
            base_admin: BTreeMap::new(),
            base_conflicts: Vec::new(),
        };
        // Offset 0 is the empty string, so an absent admin code is ref 0.
        st.append_string("")?;
        Ok(st)
    }

    fn warn(&mut self, msg: String) {
        self.warning_count += 1;
        if self.warnings.len() < MAX_KEPT_WARNINGS {
            self.warnings.push(msg);
        }
    }

    fn append_string(&mut self, s: &str) -> Result<u32> {
        let at = self.strings.len;
        let at =
            u32::try_from(at).map_err(|_| Error::Build("string table exceeds 4 GiB".into()))?;
        let mut buf = Vec::with_capacity(s.len() + 5);
        format::write_varint(&mut buf, s.len() as u64);
        buf.extend_from_slice(s.as_bytes());
        self.strings.write(&buf).map_err(io_in(&self.dir))?;
        Ok(at)
    }

    fn intern(&mut self, s: &str) -> Result<u32> {
        if s.is_empty() {
            return Ok(0);
        }
        if let Some(&r) = self.interned.get(s) {
            return Ok(r);
        }
        let r = self.append_string(s)?;
        self.interned.insert(s.to_string(), r);
        Ok(r)
    }

    fn first_seen(&mut self, id: u32) -> bool {
        let (word, bit) = ((id / 64) as usize, id % 64);
        if word >= self.seen.len() {
            self.seen.resize(word + 1 + word / 4, 0);
        }
        let fresh = self.seen[word] & (1 << bit) == 0;
        self.seen[word] |= 1 << bit;
        fresh
    }

    fn source_facts(&mut self, s: &Source, rows: u64, kept: u64, rejected: u64, bytes: u64) {
        self.facts.push(SourceFacts {
            file: s.path.display().to_string(),
            kind: s.kind,
            rows,
            kept,
            rejected,
            bytes,
        });
    }

    /// Streams the rows of `s` through `each`, counting them, warning with file and line about
    /// rejected rows and invalid UTF-8, and recording the source's facts.
    fn read_rows(
        &mut self,
        s: &Source,
        mut each: impl FnMut(&mut Self, &str) -> Result<RowOutcome>,
    ) -> Result<()> {
        let (mut rows, mut kept, mut rejected, mut bytes) = (0u64, 0u64, 0u64, 0u64);
        let opts = self.opts;
        s.with_reader(|r| {
            let mut lines = TsvLines::new(r, &opts.progress);
            while let Some((line, lossy, line_no)) =
                lines.next_line().map_err(|e| Error::io(&s.path, e))?
            {
                rows += 1;
                if lossy {
                    self.warn(format!(
                        "{}, line {line_no}: invalid UTF-8 replaced with U+FFFD",
                        s.path.display()
                    ));
                }
                match each(self, line)? {
                    RowOutcome::Kept => kept += 1,
                    RowOutcome::Skipped => {}
                    RowOutcome::Rejected(detail) => {
                        rejected += 1;
                        self.warn(format!(
                            "{}, line {line_no}: {detail}; row skipped",
                            s.path.display()
                        ));
                    }
                }
            }
            bytes = lines.bytes_read;
            Ok(())
        })?;
        self.source_facts(s, rows, kept, rejected, bytes);
        Ok(())
    }

    /// countryInfo, admin1CodesASCII, admin2Codes: small tables of code -> name.
    fn read_table(&mut self, s: &Source) -> Result<()> {
        let kind = s.kind;
        self.read_rows(s, |st, line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let col = |i: usize| cols.get(i).map_or("", |c| c.trim());
            let (code, name) = match kind {
                SourceKind::CountryInfo => (col(0), col(4)),
                // Admin names in ASCII form (the tables' third column); a row without one gives
                // its name as written.
                _ => (col(0), if col(2).is_empty() { col(1) } else { col(2) }),
            };
            if code.is_empty() || name.is_empty() {
                return Ok(RowOutcome::Rejected("no code or no name".into()));
            }
            st.table_admin
                .entry(code.to_string())
                .or_insert_with(|| name.to_string());
            Ok(RowOutcome::Kept)
        })
    }

    fn keeps(&self, row: &GeoRow) -> bool {
        if let Some(cs) = &self.opts.countries {
            if !cs.contains(row.country) {
                return false;
            }
        }
        let class = row.class.chars().next().unwrap_or(' ');
        if let Some(fc) = &self.opts.feature_classes {
            if !fc.contains(&class) {
                return false;
            }
        }
        !(class == 'P' && row.population < self.opts.min_population)
    }

    fn read_dump(&mut self, s: &Source) -> Result<()> {
        self.read_rows(s, |st, line| match parse_geoname(line) {
            Err(detail) => Ok(RowOutcome::Rejected(detail)),
            Ok(row) if st.keeps(&row) && st.first_seen(row.id) => {
                st.add_place(&row)?;
                st.merge_base_place(&row)?;
                Ok(RowOutcome::Kept)
            }
            Ok(_) => Ok(RowOutcome::Skipped),
        })
    }

    fn add_place(&mut self, row: &GeoRow) -> Result<()> {
        let idx = self.record_count;
        if u64::from(idx) + 1 >= format::MAX_RECORDS {
            return Err(Error::Build(format!(
                "more than {} places",
                format::MAX_RECORDS - 1
            )));
        }
        let (feature_code, country) = (row.feature_code, row.country_code);
        let class = row.class.bytes().next().unwrap_or(0);
        let rec = RawRecord {
            geonameid: row.id,
            lat_e6: (row.lat * 1e6).round() as i32,
            lon_e6: (row.lon * 1e6).round() as i32,
            name_ref: self.append_string(row.name)?,
            population: row.population,
            admin1_ref: self.intern(row.admin1)?,
            admin2_ref: self.intern(row.admin2)?,
            admin3_ref: self.intern(row.admin3)?,
            feature_class: class,
            feature_code,
            country,
        };
        self.records
            .write(&rec.encode())
            .map_err(io_in(&self.dir))?;
        self.record_count += 1;
        if self.keep_ids {
            self.ids.push((row.id, idx));
        }

        let names = self.names.as_mut().unwrap();
        let alts = self.alts.as_mut().unwrap();
        let io = io_in(&self.dir);
        let key = name_key(row.name);
        if !key.is_empty() {
            names
                .push(key.as_bytes(), &posting_value(idx, NameKind::Name, true))
                .map_err(&io)?;
        }
        push_transliterations(names, idx, row.name, &key, false).map_err(&io)?;
        let mut value = Vec::new();
        let mut push_alt = |name: &str, alts: &mut ExternalSorter| {
            alt_value(&mut value, name, "", alt_flags::FROM_DUMP);
            alts.push(&idx.to_be_bytes(), &value)
        };
        if !row.ascii.is_empty() && row.ascii != row.name {
            let akey = name_key(row.ascii);
            if !akey.is_empty() && akey != key {
                names
                    .push(akey.as_bytes(), &posting_value(idx, NameKind::Ascii, true))
                    .map_err(&io)?;
                push_alt(row.ascii, alts).map_err(&io)?;
            }
        }
        for alt in row.alternates.split(',') {
            let alt = alt.trim();
            if !alt.is_empty() && alt != row.name && alt != row.ascii {
                push_alt(alt, alts).map_err(&io)?;
            }
        }

        if row.class == "A" {
            let key = match row.code {
                "ADM1" => Some(format!("{}.{}", row.country, row.admin1)),
                "ADM2" => Some(format!("{}.{}.{}", row.country, row.admin1, row.admin2)),
                "ADM3" if !row.admin3.is_empty() => {
                    Some(admin3_key(row.country, row.admin1, row.admin3))
                }
                code if format::is_country_code(code) => Some(row.country.to_string()),
                _ => None,
            };
            if let Some(k) = key {
                // Admin names are given in ASCII form, as GeoNames' admin code tables give them.
                let name = if row.ascii.is_empty() {
                    row.name
                } else {
                    row.ascii
                };
                self.dump_admin.entry(k).or_insert_with(|| name.to_string());
            }
        }
        self.class_counts[class as usize] += 1;
        *self.country_counts.entry(country).or_default() += 1;
        Ok(())
    }

    fn read_alternates(&mut self, s: &Source) -> Result<()> {
        let mut value = Vec::new();
        self.read_rows(s, |st, line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let parsed = (cols.len() >= 8)
                .then(|| cols[1].parse::<u32>().ok())
                .flatten();
            let Some(geonameid) = parsed else {
                return Ok(RowOutcome::Rejected(
                    "expected 8 or 10 columns with a numeric geonameid".into(),
                ));
            };
            let (lang, name) = (cols[2].trim(), cols[3].trim());
            if name.is_empty() || SKIPPED_LANGS.contains(&lang) {
                return Ok(RowOutcome::Skipped);
            }
            let Ok(at) = st.ids.binary_search_by_key(&geonameid, |&(id, _)| id) else {
                return Ok(RowOutcome::Skipped);
            };
            let idx = st.ids[at].1;
            let flag = |c: &str, f: u8| if c.trim() == "1" { f } else { 0 };
            let mut flags = flag(cols[4], alt_flags::PREFERRED)
                | flag(cols[5], alt_flags::SHORT)
                | flag(cols[6], alt_flags::COLLOQUIAL)
                | flag(cols[7], alt_flags::HISTORIC);
            let lang = if lang == "abbr" {
                flags |= alt_flags::ABBREVIATION;
                ""
            } else {
                lang
            };
            alt_value(&mut value, name, lang, flags);
            st.alts
                .as_mut()
                .unwrap()
                .push(&idx.to_be_bytes(), &value)
                .map_err(io_in(&st.dir))?;
            Ok(RowOutcome::Kept)
        })
    }

    /// Groups alternate names by place, merges duplicates, writes them out and indexes them.
    fn merge_alternate_names(&mut self) -> Result<()> {
        let alts = self.alts.take().unwrap();
        let mut names = self.names.take().unwrap();
        let dir = self.dir.clone();
        let io = io_in(&dir);
        // The dump's `alternatenames` column carries no flags, so only alternateNames rows vote on
        // "historic": a name is historic when every such row says so.
        let mut cur: Option<PendingAlt> = None;
        let mut next_rec: u32 = 0;
        let (mut written, mut historic) = (0u64, 0u64);
        let mut flush = |cur: &mut Option<PendingAlt>,
                         st: &mut Self,
                         names: &mut ExternalSorter|
         -> Result<()> {
            let Some((rec, name, lang, flags, historic_vote)) = cur.take() else {
                return Ok(());
            };
            let flags = if historic_vote == Some(true) {
                flags | alt_flags::HISTORIC
            } else {
                flags & !alt_flags::HISTORIC
            };
            let name = String::from_utf8_lossy(&name).into_owned();
            let mut buf = Vec::with_capacity(name.len() + lang.len() + 8);
            buf.push(flags);
            buf.push(lang.len() as u8);
            buf.extend_from_slice(&lang);
            format::write_varint(&mut buf, name.len() as u64);
            buf.extend_from_slice(name.as_bytes());
            st.alt_names.write(&buf).map_err(io_in(&st.dir))?;
            written += 1;
            if flags & alt_flags::HISTORIC != 0 {
                historic += 1;
            }
            let key = name_key(&name);
            if !key.is_empty() {
                let v = posting_value(
                    rec,
                    format::kind_for_alt_flags(flags),
                    historic_vote.is_some(),
                );
                names.push(key.as_bytes(), &v).map_err(io_in(&st.dir))?;
            }
            let historic = flags & alt_flags::HISTORIC != 0;
            push_transliterations(names, rec, &name, &key, historic).map_err(io_in(&st.dir))?;
            Ok(())
        };
        alts.for_each_sorted(|k, v| {
            let rec = u32::from_be_bytes(
                k.try_into()
                    .map_err(|_| Error::Build("bad alternate-name key".into()))?,
            );
            let mut parts = v.splitn(3, |&b| b == 0);
            let (name, lang, rest) = (
                parts.next().unwrap_or(&[]),
                parts.next().unwrap_or(&[]),
                parts.next().unwrap_or(&[]),
            );
            let flags = rest.first().copied().unwrap_or(0);
            let vote =
                (flags & alt_flags::FROM_DUMP == 0).then_some(flags & alt_flags::HISTORIC != 0);
            if let Some((r, n, l, f, h)) = cur.as_mut() {
                if *r == rec && n.as_slice() == name {
                    *f |= flags;
                    if let Some(v) = vote {
                        *h = Some(h.unwrap_or(true) && v);
                    }
                    if l.is_empty() {
                        *l = lang.to_vec();
                    }
                    return Ok(());
                }
            }
            flush(&mut cur, self, &mut names)?;
            while next_rec <= rec {
                let off = self.alt_names.len.to_le_bytes();
                self.alt_index.write(&off).map_err(&io)?;
                next_rec += 1;
            }
            cur = Some((rec, name.to_vec(), lang.to_vec(), flags, vote));
            Ok(())
        })?;
        flush(&mut cur, self, &mut names)?;
        while next_rec <= self.record_count {
            let off = self.alt_names.len.to_le_bytes();
            self.alt_index.write(&off).map_err(&io)?;
            next_rec += 1;
        }
        self.counts.alternate_names = written;
        self.counts.historic_names = historic;
        self.names = Some(names);
        Ok(())
    }

    /// Builds the name fst from the sorted (key, posting) pairs, keeping the best kind per place.
    fn write_names(&mut self) -> Result<()> {
        let names = self.names.take().unwrap();
        let dir = self.dir.clone();
        let fst_file = tempfile::tempfile_in(&dir).map_err(io_in(&dir))?;
        let mut map = fst::MapBuilder::new(BufWriter::with_capacity(1 << 20, fst_file))
            .map_err(|e| Error::Build(e.to_string()))?;
        let mut key: Vec<u8> = Vec::new();
        let mut list: Vec<u32> = Vec::new();
        let mut last_rec: Option<u32> = None;
        let mut keys = 0u64;
        let mut flush = |key: &[u8],
                         list: &mut Vec<u32>,
                         map: &mut fst::MapBuilder<BufWriter<File>>,
                         postings: &mut Spool|
         -> Result<()> {
            if list.is_empty() {
                return Ok(());
            }
            let value = if list.len() == 1 {
                format::INLINE_POSTING | u64::from(list[0])
            } else {
                let at = postings.len;
                let mut buf = Vec::with_capacity(list.len() * 4 + 5);
                format::write_varint(&mut buf, list.len() as u64);
                for p in list.iter() {
                    buf.extend_from_slice(&p.to_le_bytes());
                }
                postings.write(&buf).map_err(io_in(&dir))?;
                at
            };
            map.insert(key, value)
                .map_err(|e| Error::Build(e.to_string()))?;
            keys += 1;
            list.clear();
            Ok(())
        };
        let postings = &mut self.postings;
        names.for_each_sorted(|k, v| {
            let rec = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
            let kind = NameKind::from_u8(v[5]).unwrap_or(NameKind::Alternate);
            if k != key.as_slice() {
                flush(&key, &mut list, &mut map, postings)?;
                key.clear();
                key.extend_from_slice(k);
                last_rec = None;
            }
            // See `posting_value`: the first value of a record is the one to keep.
            if last_rec != Some(rec) {
                list.push(format::posting(rec, kind));
                last_rec = Some(rec);
            }
            Ok(())
        })?;
        flush(&key, &mut list, &mut map, postings)?;
        let w = map.into_inner().map_err(|e| Error::Build(e.to_string()))?;
        let mut f = w
            .into_inner()
            .map_err(|e| Error::io(&dir, e.into_error()))?;
        let len = f.stream_position().map_err(io_in(&dir))?;
        f.seek(SeekFrom::Start(0)).map_err(io_in(&dir))?;
        self.names_fst = Some((f, len));
        self.counts.name_keys = keys;
        Ok(())
    }

    /// Country and admin names: code tables first, then the base index's, then ADM1/ADM2/country
    /// rows of the dumps fill gaps.
    fn write_admin(&mut self) -> Result<()> {
        let mut merged = std::mem::take(&mut self.table_admin);
        let below = [
            std::mem::take(&mut self.base_admin),
            std::mem::take(&mut self.dump_admin),
        ];
        for (k, v) in below.into_iter().flatten() {
            merged.entry(k).or_insert(v);
        }
        let mut pairs = Vec::with_capacity(merged.len());
        for (k, v) in &merged {
            pairs.push((k.clone(), u64::from(self.append_string(v)?)));
        }
        let map = fst::Map::from_iter(pairs).map_err(|e| Error::Build(e.to_string()))?;
        self.admin_fst = map.into_fst().into_inner();
        self.counts.admin_names = merged.len() as u64;
        Ok(())
    }

    fn meta(&mut self, opts: &BuildOptions) -> BuildMeta {
        self.counts.places = u64::from(self.record_count);
        for (c, &n) in self.class_counts.iter().enumerate() {
            if n > 0 {
                let label = if c == 0 {
                    "(none)".to_string()
                } else {
                    (c as u8 as char).to_string()
                };
                self.counts.by_feature_class.insert(label, n);
            }
        }
        for (cc, &n) in &self.country_counts {
            let label = format::trim_fixed(cc);
            let label = if label.is_empty() { "(none)" } else { label };
            self.counts.by_country.insert(label.to_string(), n);
        }
        BuildMeta {
            format_version: format::FORMAT_VERSION,
            generator: format!("geoevents {}", env!("CARGO_PKG_VERSION")),
            built_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            sources: self.facts.clone(),
            options: OptionFacts {
                countries: opts.countries.as_ref().map(|s| s.iter().cloned().collect()),
                feature_classes: opts
                    .feature_classes
                    .as_ref()
                    .map(|s| s.iter().map(|c| c.to_string()).collect()),
                min_population: opts.min_population,
            },
            counts: self.counts.clone(),
        }
    }

    /// Writes header and sections into a temporary file beside `output`, then renames it into place.
    fn assemble(&mut self, meta: &BuildMeta, output: &Path, out_dir: &Path) -> Result<u64> {
        let io = io_in(out_dir);
        let meta_json = serde_json::to_vec(meta).map_err(|e| Error::Build(e.to_string()))?;
        let take = |s: &mut Spool, dir: &Path| -> Result<(File, u64)> {
            let spool = std::mem::replace(s, Spool::new(dir)?);
            spool.into_file().map_err(io_in(dir))
        };
        let dir = self.dir.clone();
        let names = self
            .names_fst
            .take()
            .ok_or_else(|| Error::Build("name index missing".into()))?;
        let mut files: Vec<(File, u64)> = vec![
            names,
            take(&mut self.postings, &dir)?,
            take(&mut self.records, &dir)?,
            take(&mut self.strings, &dir)?,
            take(&mut self.alt_index, &dir)?,
            take(&mut self.alt_names, &dir)?,
        ];
        let mut tmp = tempfile::Builder::new()
            .prefix(".geoevents-gazetteer-")
            .tempfile_in(out_dir)
            .map_err(&io)?;
        let total = {
            let mut w = HashingWriter {
                inner: BufWriter::with_capacity(1 << 20, tmp.as_file_mut()),
                hasher: crc32fast::Hasher::new(),
                pos: HEADER_LEN as u64,
            };
            w.inner.write_all(&[0u8; HEADER_LEN]).map_err(&io)?;
            let mut sections = [(0u64, 0u64); SECTION_COUNT];
            let order = [
                Section::Meta,
                Section::Names,
                Section::Postings,
                Section::Records,
                Section::Strings,
                Section::AltIndex,
                Section::AltNames,
                Section::Admin,
            ];
            let mut file_iter = files.iter_mut();
            for section in order {
                w.align8().map_err(&io)?;
                let start = w.pos;
                match section {
                    Section::Meta => w.write_all(&meta_json).map_err(&io)?,
                    Section::Admin => w.write_all(&self.admin_fst).map_err(&io)?,
                    _ => {
                        let (f, len) = file_iter.next().unwrap();
                        let copied = std::io::copy(f, &mut w).map_err(&io)?;
                        if copied != *len {
                            return Err(Error::Build(format!(
                                "section {section:?}: wrote {copied} of {len} bytes"
                            )));
                        }
                    }
                }
                sections[section as usize] = (start, w.pos - start);
            }
            let header = format::Header {
                version: format::FORMAT_VERSION,
                data_crc: w.hasher.clone().finalize(),
                record_count: u64::from(self.record_count),
                sections,
            };
            let total = w.pos;
            let inner = w
                .inner
                .into_inner()
                .map_err(|e| Error::io(out_dir, e.into_error()))?;
            inner.seek(SeekFrom::Start(0)).map_err(&io)?;
            inner.write_all(&header.encode()).map_err(&io)?;
            // The temporary file is private (0600); the index is for everyone who can read the folder.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                inner
                    .set_permissions(std::fs::Permissions::from_mode(0o644))
                    .map_err(&io)?;
            }
            inner.sync_all().map_err(&io)?;
            total
        };
        tmp.persist(output)
            .map_err(|e| Error::io(output, e.error))?;
        Ok(total)
    }
}

/// Whether `a` and `b` name the same existing file (same device and inode on Unix, else the same
/// canonical path); symlinks and `./` spellings are seen through.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(ca), Ok(cb)) if ca == cb
        )
    }
}

/// Feeds everything written after the header into the data checksum.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: crc32fast::Hasher,
    pos: u64,
}

impl<W: Write> HashingWriter<W> {
    fn align8(&mut self) -> std::io::Result<()> {
        let pad = (8 - (self.pos % 8) as usize) % 8;
        self.write_all(&[0u8; 8][..pad])
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.pos += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_geoname_row() {
        let line = "704463\tKrasna Hora\tKrasna Hora\tKrasnaja Gora,Красна Гора\t48.66282\t38.02217\tP\tPPL\tUA\t\t05\t1402\t\t\t0\t\t102\tEurope/Kyiv\t2024-01-01";
        let row = parse_geoname(line).unwrap();
        assert_eq!(row.id, 704463);
        assert_eq!(row.name, "Krasna Hora");
        assert_eq!((row.lat, row.lon), (48.66282, 38.02217));
        assert_eq!(
            (row.class, row.code, row.country, row.admin1, row.admin2),
            ("P", "PPL", "UA", "05", "1402")
        );
    }

    #[test]
    fn rejects_bad_rows_with_a_reason() {
        assert!(parse_geoname("1\tX").unwrap_err().contains("19"));
        let bad_lat = "1\tX\tX\t\t91\t0\tP\tPPL\tUA\t\t\t\t\t\t0\t\t\t\t";
        assert!(parse_geoname(bad_lat).unwrap_err().contains("latitude"));
        let bad_id = "x\tX\tX\t\t1\t0\tP\tPPL\tUA\t\t\t\t\t\t0\t\t\t\t";
        assert!(parse_geoname(bad_id).unwrap_err().contains("geonameid"));
    }
}
