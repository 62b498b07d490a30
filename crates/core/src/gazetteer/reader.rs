//! `Gazetteer`: opens a compiled index by memory-mapping it; nothing is parsed beyond the header.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::builder::BuildMeta;
use super::format::{
    self, alt_flags, Header, HeaderError, NameKind, RawRecord, Section, RECORD_LEN,
};
use crate::{Error, Result};

/// The bytes behind an index: a file mapping, or a slice compiled into the binary.
enum Backing {
    Mapped(memmap2::Mmap),
    Static(&'static [u8]),
}

impl AsRef<[u8]> for Backing {
    fn as_ref(&self) -> &[u8] {
        match self {
            Backing::Mapped(m) => m,
            Backing::Static(s) => s,
        }
    }
}

/// A section of the backing bytes, shareable with `fst::Map` without copying.
#[derive(Clone)]
struct SectionBytes {
    backing: Arc<Backing>,
    range: Range<usize>,
}

impl AsRef<[u8]> for SectionBytes {
    fn as_ref(&self) -> &[u8] {
        &self.backing.as_ref().as_ref()[self.range.clone()]
    }
}

thread_local! {
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread reads an fst under `contained`: a panic hook may then stay quiet,
/// since the panic becomes an `Error::Corrupt`.
pub fn panic_is_contained() -> bool {
    CONTAINED.with(|c| c.get())
}

/// Runs an fst read. The fst crate trusts its bytes and can panic on damaged ones; checking the
/// checksum at every open would read the whole file, so damage is caught here instead.
fn contained<T>(path: &Path, what: &str, f: impl FnOnce() -> T) -> Result<T> {
    let was = CONTAINED.with(|c| c.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(was));
    r.map_err(|_| Error::corrupt(path, format!("{what}: the index structure is damaged")))
}

/// An open gazetteer.
pub struct Gazetteer {
    /// Unique within the process, so caches of its answers never serve another index.
    instance: u64,
    path: PathBuf,
    backing: Arc<Backing>,
    header: Header,
    names: fst::Map<SectionBytes>,
    admin: fst::Map<SectionBytes>,
    /// The data checksum has been verified (`open` does it; `verify` remembers it).
    verified: AtomicBool,
}

/// The CRC-32 of `data`; a large index is hashed in pieces on several threads and the pieces'
/// CRCs combined, which is the same number as hashing it whole.
fn data_crc(data: &[u8]) -> u32 {
    /// Below this, one thread is about as fast as starting others.
    const PARALLEL_MIN: usize = 8 << 20;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if data.len() < PARALLEL_MIN || threads < 2 {
        return crc32fast::hash(data);
    }
    let hash = |piece: &[u8]| {
        let mut h = crc32fast::Hasher::new();
        h.update(piece);
        h
    };
    std::thread::scope(|s| {
        let pieces: Vec<_> = data
            .chunks(data.len().div_ceil(threads))
            .map(|piece| (piece, s.spawn(move || hash(piece))))
            .collect();
        let mut total = crc32fast::Hasher::new();
        for (piece, handle) in pieces {
            total.combine(&handle.join().unwrap_or_else(|_| hash(piece)));
        }
        total.finalize()
    })
}

/// What a file that is not a regular file is, for the message that refuses it.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

/// One place, with its codes resolved to names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub geonameid: u32,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub feature_class: String,
    pub feature_code: String,
    pub country_code: String,
    pub country: Option<String>,
    pub admin1_code: String,
    pub admin1: Option<String>,
    pub admin2_code: String,
    pub admin2: Option<String>,
    /// The third-level division (in Ukraine the hromada), where the row carries its code.
    pub admin3_code: String,
    pub admin3: Option<String>,
    pub population: u64,
}

/// A place as stored in the index, for building a new index on top of this one.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlace {
    pub record: RawRecord,
    pub name: String,
    /// The dump's ASCII name, when it was indexed apart from `name`.
    pub ascii: Option<String>,
    pub admin1: String,
    pub admin2: String,
    pub admin3: String,
    pub alt_names: Vec<StoredAltName>,
}

/// An alternate name as stored: `flags` are `format::alt_flags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAltName {
    pub name: String,
    pub lang: String,
    pub flags: u8,
}

/// A name key found by `fuzzy_postings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyKey {
    pub key: String,
    pub distance: u32,
    pub postings: Vec<(u32, NameKind)>,
}

/// An alternate name of a place, with its GeoNames flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AltName {
    pub name: String,
    pub lang: String,
    pub preferred: bool,
    pub short: bool,
    pub colloquial: bool,
    pub historic: bool,
    pub abbreviation: bool,
}

impl Gazetteer {
    /// Opens the index at `path`: checks the header and section bounds, then verifies the data
    /// checksum over the whole file, so that no command trusts a damaged byte of a file given with
    /// `--gazetteer` (a CRC-32 of the data; see `verify`). Only regular files are opened: a FIFO,
    /// a device or a directory is refused before it is opened, which could block forever.
    pub fn open(path: &Path) -> Result<Gazetteer> {
        // `metadata` follows symlinks, so a link to an index file is fine.
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_file() {
            return Err(Error::NotAFile {
                path: path.to_path_buf(),
                kind: file_kind(&meta.file_type()),
            });
        }
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        // Safety: the index is read-only for us. A file truncated or rewritten in place under us can
        // still fault (SIGBUS), the documented limitation of every mmap reader: indexes are replaced
        // by rename (as `gazetteer build -o` does), which leaves the mapped file intact.
        // Every page is read by the checksum below: map them all at once rather than fault them
        // in one by one.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }
            .map_err(|e| Error::io(path, e))?;
        let g = Self::from_backing(path.to_path_buf(), Backing::Mapped(map))?;
        g.verify()?;
        g.verified.store(true, Ordering::Relaxed);
        Ok(g)
    }

    /// Opens an index compiled into the binary; `label` names it in messages. Only the header and
    /// section bounds are checked: the bytes are part of the executable, checked when the build
    /// script wrote them, so they are trusted without reading them all (`verify` still can).
    pub fn from_static(label: &str, bytes: &'static [u8]) -> Result<Gazetteer> {
        Self::from_backing(PathBuf::from(label), Backing::Static(bytes))
    }

    fn from_backing(path: PathBuf, backing: Backing) -> Result<Gazetteer> {
        let bytes = backing.as_ref();
        let header = Header::decode(bytes).map_err(|e| match e {
            HeaderError::Magic => Error::NotAGazetteer { path: path.clone() },
            HeaderError::Version(found) => Error::FormatVersion {
                path: path.clone(),
                found,
                expected: format::FORMAT_VERSION,
            },
            HeaderError::Corrupt(detail) => Error::corrupt(&path, detail),
        })?;
        let file_len = bytes.len() as u64;
        for (i, &(off, len)) in header.sections.iter().enumerate() {
            if off.checked_add(len).is_none_or(|end| end > file_len)
                || off < format::HEADER_LEN as u64
            {
                return Err(Error::corrupt(
                    &path,
                    format!("section {i} ({off}+{len}) lies outside the {file_len}-byte file; it may be truncated"),
                ));
            }
        }
        let n = header.record_count;
        let expect = |s: Section, want: u64| -> Result<()> {
            let got = header.sections[s as usize].1;
            if got != want {
                return Err(Error::corrupt(
                    &path,
                    format!("{s:?} section is {got} bytes, expected {want}"),
                ));
            }
            Ok(())
        };
        // A crafted record count must not overflow; the bounds check above caps real ones.
        let records = n.saturating_mul(RECORD_LEN as u64);
        expect(Section::Records, records)?;
        expect(Section::AltIndex, n.saturating_add(1).saturating_mul(8))?;
        let backing = Arc::new(backing);
        let section = |s: Section| {
            let (off, len) = header.sections[s as usize];
            SectionBytes {
                backing: backing.clone(),
                range: off as usize..(off + len) as usize,
            }
        };
        let fst_map = |s: Section| {
            contained(&path, "name index", || fst::Map::new(section(s)))?
                .map_err(|e| Error::corrupt(&path, format!("{s:?} index: {e}")))
        };
        let names = fst_map(Section::Names)?;
        let admin = fst_map(Section::Admin)?;
        static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Gazetteer {
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            path,
            backing,
            header,
            names,
            admin,
            verified: AtomicBool::new(false),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A number no other gazetteer opened by this process has: a key for caches of its answers.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    pub fn len(&self) -> usize {
        self.header.record_count as usize
    }

    /// Size of the index in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.backing.as_ref().as_ref().len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn section(&self, s: Section) -> &[u8] {
        let (off, len) = self.header.sections[s as usize];
        &self.backing.as_ref().as_ref()[off as usize..(off + len) as usize]
    }

    fn corrupt(&self, detail: impl Into<String>) -> Error {
        Error::corrupt(&self.path, detail)
    }

    /// Recomputes the data checksum over every section (reads the whole file, once: an index that
    /// passed is not read again).
    pub fn verify(&self) -> Result<()> {
        if self.verified.load(Ordering::Relaxed) {
            return Ok(());
        }
        let bytes = self.backing.as_ref().as_ref();
        let end = self
            .header
            .sections
            .iter()
            .map(|&(o, l)| o + l)
            .max()
            .unwrap_or(format::HEADER_LEN as u64) as usize;
        if end != bytes.len() {
            return Err(self.corrupt(format!(
                "the file is {} bytes but its sections end at byte {end}",
                bytes.len()
            )));
        }
        let crc = data_crc(&bytes[format::HEADER_LEN..end]);
        if crc != self.header.data_crc {
            return Err(self.corrupt(
                "data checksum mismatch: the file changed after it was built (damaged on disk or in a copy)",
            ));
        }
        self.verified.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The build facts stored at build time.
    pub fn meta(&self) -> Result<BuildMeta> {
        serde_json::from_slice(self.section(Section::Meta))
            .map_err(|e| self.corrupt(format!("build facts are unreadable: {e}")))
    }

    pub fn raw_record(&self, idx: u32) -> Result<RawRecord> {
        let at = idx as usize * RECORD_LEN;
        let b = self
            .section(Section::Records)
            .get(at..at + RECORD_LEN)
            .ok_or_else(|| self.corrupt(format!("record {idx} out of range")))?;
        let r = RawRecord::decode(b.try_into().unwrap());
        // A damaged record must not put a point off the globe into a layer.
        if !format::LAT_E6_RANGE.contains(&r.lat_e6) || !format::LON_E6_RANGE.contains(&r.lon_e6) {
            return Err(self.corrupt(format!(
                "record {idx} (geonameid {}) has coordinates {}, {} outside -90..90, -180..180",
                r.geonameid,
                f64::from(r.lat_e6) / 1e6,
                f64::from(r.lon_e6) / 1e6
            )));
        }
        Ok(r)
    }

    /// The string at `offset` in the string table.
    pub fn string(&self, offset: u32) -> Result<&str> {
        let s = self.section(Section::Strings);
        let (len, at) = format::read_varint(s, offset as usize)
            .ok_or_else(|| self.corrupt(format!("string {offset} out of range")))?;
        let b = at
            .checked_add(len as usize)
            .and_then(|end| s.get(at..end))
            .ok_or_else(|| self.corrupt(format!("string {offset} out of range")))?;
        std::str::from_utf8(b).map_err(|_| self.corrupt(format!("string {offset} is not UTF-8")))
    }

    /// A country or admin name by code: `UA`, `UA.05` or `UA.05.1402`.
    pub fn admin_name(&self, code: &str) -> Result<Option<&str>> {
        match contained(&self.path, "admin index", || self.admin.get(code))? {
            Some(off) => {
                let off = u32::try_from(off).map_err(|_| self.corrupt("admin name offset"))?;
                self.string(off).map(Some)
            }
            None => Ok(None),
        }
    }

    pub fn place(&self, idx: u32) -> Result<Place> {
        let r = self.raw_record(idx)?;
        let cc = format::trim_fixed(&r.country).to_string();
        let a1 = self.string(r.admin1_ref)?.to_string();
        let a2 = self.string(r.admin2_ref)?.to_string();
        let admin1 = if a1.is_empty() {
            None
        } else {
            self.admin_name(&format!("{cc}.{a1}"))?.map(str::to_string)
        };
        let admin2 = if a2.is_empty() {
            None
        } else {
            self.admin_name(&format!("{cc}.{a1}.{a2}"))?
                .map(str::to_string)
        };
        let a3 = self.string(r.admin3_ref)?.to_string();
        let admin3 = if a3.is_empty() {
            None
        } else {
            self.admin_name(&super::builder::admin3_key(&cc, &a1, &a3))?
                .map(str::to_string)
        };
        Ok(Place {
            geonameid: r.geonameid,
            name: self.string(r.name_ref)?.to_string(),
            latitude: f64::from(r.lat_e6) / 1e6,
            longitude: f64::from(r.lon_e6) / 1e6,
            feature_class: (r.feature_class as char).to_string(),
            feature_code: format::trim_fixed(&r.feature_code).to_string(),
            country: if cc.is_empty() {
                None
            } else {
                self.admin_name(&cc)?.map(str::to_string)
            },
            country_code: cc,
            admin1_code: a1,
            admin1,
            admin2_code: a2,
            admin2,
            admin3_code: a3,
            admin3,
            population: r.population,
        })
    }

    /// The alternate names of place `idx`.
    pub fn alt_names(&self, idx: u32) -> Result<Vec<AltName>> {
        Ok(self
            .stored_alt_names(idx)?
            .into_iter()
            .map(|a| AltName {
                preferred: a.flags & alt_flags::PREFERRED != 0,
                short: a.flags & alt_flags::SHORT != 0,
                colloquial: a.flags & alt_flags::COLLOQUIAL != 0,
                historic: a.flags & alt_flags::HISTORIC != 0,
                abbreviation: a.flags & alt_flags::ABBREVIATION != 0,
                name: a.name,
                lang: a.lang,
            })
            .collect())
    }

    /// The alternate names of place `idx` with their stored flags (`format::alt_flags`).
    pub fn stored_alt_names(&self, idx: u32) -> Result<Vec<StoredAltName>> {
        let index = self.section(Section::AltIndex);
        let at = idx as usize * 8;
        let (Some(start), Some(end)) = (index.get(at..at + 8), index.get(at + 8..at + 16)) else {
            return Err(self.corrupt(format!("alternate names of record {idx} out of range")));
        };
        let (start, end) = (
            format::u64_at(start, 0) as usize,
            format::u64_at(end, 0) as usize,
        );
        let blob = self
            .section(Section::AltNames)
            .get(start..end)
            .ok_or_else(|| self.corrupt(format!("alternate names of record {idx} out of range")))?;
        let bad = || self.corrupt(format!("alternate names of record {idx} are malformed"));
        let mut out = Vec::new();
        let mut p = 0;
        while p < blob.len() {
            let flags = blob[p];
            let lang_len = *blob.get(p + 1).ok_or_else(bad)? as usize;
            let lang = blob.get(p + 2..p + 2 + lang_len).ok_or_else(bad)?;
            let (len, name_at) = format::read_varint(blob, p + 2 + lang_len).ok_or_else(bad)?;
            let name_end = name_at.checked_add(len as usize).ok_or_else(bad)?;
            let name = blob.get(name_at..name_end).ok_or_else(bad)?;
            out.push(StoredAltName {
                name: String::from_utf8_lossy(name).into_owned(),
                lang: String::from_utf8_lossy(lang).into_owned(),
                flags,
            });
            p = name_end;
        }
        Ok(out)
    }

    /// Place `idx` as stored, with everything a build needs to index it again: codes, names, and
    /// which alternate name was the dump's ASCII name (the one indexed as `NameKind::Ascii`).
    pub fn stored_place(&self, idx: u32) -> Result<StoredPlace> {
        let record = self.raw_record(idx)?;
        let name = self.string(record.name_ref)?.to_string();
        let alt_names = self.stored_alt_names(idx)?;
        let name_key = crate::normalize::name_key(&name);
        let mut ascii = None;
        for a in alt_names
            .iter()
            .filter(|a| a.flags & alt_flags::FROM_DUMP != 0)
        {
            let key = crate::normalize::name_key(&a.name);
            if key != name_key && self.postings(&key)?.contains(&(idx, NameKind::Ascii)) {
                ascii = Some(a.name.clone());
                break;
            }
        }
        Ok(StoredPlace {
            admin1: self.string(record.admin1_ref)?.to_string(),
            admin2: self.string(record.admin2_ref)?.to_string(),
            admin3: self.string(record.admin3_ref)?.to_string(),
            record,
            name,
            ascii,
            alt_names,
        })
    }

    /// Every country and admin name: (`CC` / `CC.A1` / `CC.A1.A2` / `CC.A1~A3`, name), in key order.
    pub fn admin_names(&self) -> Result<Vec<(String, String)>> {
        use fst::Streamer;
        let pairs = contained(&self.path, "admin index", || {
            let mut out = Vec::new();
            let mut stream = self.admin.stream();
            while let Some((k, v)) = stream.next() {
                out.push((String::from_utf8_lossy(k).into_owned(), v));
            }
            out
        })?;
        pairs
            .into_iter()
            .map(|(code, off)| {
                let off = u32::try_from(off).map_err(|_| self.corrupt("admin name offset"))?;
                Ok((code, self.string(off)?.to_string()))
            })
            .collect()
    }

    /// Every (record index, match kind) indexed under the normalised `key`.
    pub fn postings(&self, key: &str) -> Result<Vec<(u32, NameKind)>> {
        match contained(&self.path, "name index", || self.names.get(key))? {
            Some(v) => self.decode_postings(key, v),
            None => Ok(Vec::new()),
        }
    }

    /// Name keys within `max` edits of `key` (characters; a swap of neighbours is one edit),
    /// nearest first, at most `limit`, each with its distance and postings.
    pub fn fuzzy_postings(&self, key: &str, max: u32, limit: usize) -> Result<Vec<FuzzyKey>> {
        let hits = contained(&self.path, "name index", || {
            super::fuzzy::search(self.names.as_fst(), key, max, limit)
        })?;
        hits.into_iter()
            .map(|h| {
                let postings = self.decode_postings(&h.key, h.value)?;
                Ok(FuzzyKey {
                    key: h.key,
                    distance: h.distance,
                    postings,
                })
            })
            .collect()
    }

    fn decode_postings(&self, key: &str, v: u64) -> Result<Vec<(u32, NameKind)>> {
        let decode = |p: u32| {
            let (rec, kind) = format::split_posting(p);
            match kind {
                Some(k) if u64::from(rec) < self.header.record_count => Ok((rec, k)),
                _ => Err(self.corrupt(format!("posting {p:#x} for `{key}` is invalid"))),
            }
        };
        if v & format::INLINE_POSTING != 0 {
            return Ok(vec![decode(v as u32)?]);
        }
        let postings = self.section(Section::Postings);
        let bad = || self.corrupt(format!("postings for `{key}` out of range"));
        let (count, at) = format::read_varint(postings, v as usize).ok_or_else(bad)?;
        let end = (count as usize)
            .checked_mul(4)
            .and_then(|n| n.checked_add(at))
            .ok_or_else(bad)?;
        let list = postings.get(at..end).ok_or_else(bad)?;
        list.chunks_exact(4)
            .map(|c| decode(format::u32_at(c, 0)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_crc_in_pieces_is_the_crc_of_the_whole() {
        // Past the size that is hashed on several threads, and not a multiple of their count.
        let data: Vec<u8> = (0..(9u32 << 20) + 7)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        assert_eq!(data_crc(&data), crc32fast::hash(&data));
        assert_eq!(data_crc(&data[..1000]), crc32fast::hash(&data[..1000]));
        assert_eq!(data_crc(&[]), crc32fast::hash(&[]));
    }
}
