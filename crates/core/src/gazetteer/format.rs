//! The on-disk layout of a compiled gazetteer, shared by the builder and the reader.
//!
//! ```text
//! header   HEADER_LEN bytes: magic, version, header crc, data crc, record count, section table
//! sections each 8-byte aligned, in the order of `Section`:
//!   meta       JSON build facts (sources, options, counts); parsed only by `gazetteer info`
//!   names      fst map: name key -> posting (inline when single, else offset into `postings`)
//!   postings   varint count, then u32 LE postings (record index << 4 | match kind)
//!   records    fixed RECORD_LEN-byte rows, one per place
//!   strings    varint length + UTF-8, addressed by byte offset
//!   alt_index  u64 LE offsets into alt_names, one per record plus one
//!   alt_names  per name: flags u8, language length u8, language, varint length, name
//!   admin      fst map: "CC" / "CC.A1" / "CC.A1.A2" / "CC.A1~A3" -> strings offset of the
//!              country/admin name (admin3, the level below a district, is keyed by its code within
//!              admin1: GeoNames' third-level rows often leave their district code empty)
//! ```
//! All integers little-endian. Nothing is parsed at open beyond the header: the reader slices the map.

pub const MAGIC: &[u8; 8] = b"GEOEVGAZ";
/// Bump on any layout change; readers refuse other versions with a rebuild hint.
pub const FORMAT_VERSION: u32 = 3;
pub const SECTION_COUNT: usize = 8;
pub const HEADER_LEN: usize = 8 + 4 + 4 + 4 + 4 + 8 + SECTION_COUNT * 16;
pub const RECORD_LEN: usize = 44;
/// Records are addressed by 28 bits in a posting.
pub const MAX_RECORDS: u64 = 1 << 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Meta = 0,
    Names = 1,
    Postings = 2,
    Records = 3,
    Strings = 4,
    AltIndex = 5,
    AltNames = 6,
    Admin = 7,
}

/// The parsed fixed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub data_crc: u32,
    pub record_count: u64,
    /// (offset, length) of each section, indexed by `Section as usize`.
    pub sections: [(u64, u64); SECTION_COUNT],
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..8].copy_from_slice(MAGIC);
        b[8..12].copy_from_slice(&self.version.to_le_bytes());
        // 12..16 header crc, filled below over the rest with this field zeroed
        b[16..20].copy_from_slice(&self.data_crc.to_le_bytes());
        // 20..24 reserved
        b[24..32].copy_from_slice(&self.record_count.to_le_bytes());
        for (i, (off, len)) in self.sections.iter().enumerate() {
            let at = 32 + i * 16;
            b[at..at + 8].copy_from_slice(&off.to_le_bytes());
            b[at + 8..at + 16].copy_from_slice(&len.to_le_bytes());
        }
        let crc = crc32fast::hash(&b);
        b[12..16].copy_from_slice(&crc.to_le_bytes());
        b
    }

    /// Decodes and checks a header. Errors are plain strings; the reader adds the path.
    pub fn decode(b: &[u8]) -> Result<Header, HeaderError> {
        if b.len() < 8 || &b[0..8] != MAGIC {
            return Err(HeaderError::Magic);
        }
        if b.len() < HEADER_LEN {
            return Err(HeaderError::Corrupt(format!(
                "file is {} bytes, shorter than the {HEADER_LEN}-byte header",
                b.len()
            )));
        }
        let version = u32_at(b, 8);
        if version != FORMAT_VERSION {
            return Err(HeaderError::Version(version));
        }
        let mut copy = [0u8; HEADER_LEN];
        copy.copy_from_slice(&b[..HEADER_LEN]);
        copy[12..16].fill(0);
        if crc32fast::hash(&copy) != u32_at(b, 12) {
            return Err(HeaderError::Corrupt("header checksum mismatch".into()));
        }
        let mut sections = [(0u64, 0u64); SECTION_COUNT];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = 32 + i * 16;
            *s = (u64_at(b, at), u64_at(b, at + 8));
        }
        Ok(Header {
            version,
            data_crc: u32_at(b, 16),
            record_count: u64_at(b, 24),
            sections,
        })
    }
}

/// Rewrites the data and header checksums of an index image in place, so that its bytes pass
/// every checksum whatever they hold. For tests and fuzzing, which need damaged data to get past
/// the checks to the decoders behind them. Does nothing to bytes without the magic and a full header.
pub fn reseal(b: &mut [u8]) {
    if b.len() < HEADER_LEN || &b[0..8] != MAGIC {
        return;
    }
    let data_crc = crc32fast::hash(&b[HEADER_LEN..]);
    b[16..20].copy_from_slice(&data_crc.to_le_bytes());
    b[12..16].fill(0);
    let crc = crc32fast::hash(&b[..HEADER_LEN]);
    b[12..16].copy_from_slice(&crc.to_le_bytes());
}

/// The valid range of a stored latitude, in millionths of a degree.
pub const LAT_E6_RANGE: std::ops::RangeInclusive<i32> = -90_000_000..=90_000_000;
/// The valid range of a stored longitude, in millionths of a degree.
pub const LON_E6_RANGE: std::ops::RangeInclusive<i32> = -180_000_000..=180_000_000;

#[derive(Debug)]
pub enum HeaderError {
    Magic,
    Version(u32),
    Corrupt(String),
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

pub fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// How a name key reached a place. Lower is a better match; the builder keeps the best per (key, place).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    Name = 0,
    Ascii = 1,
    Preferred = 2,
    Alternate = 3,
    Short = 4,
    Abbreviation = 5,
    Colloquial = 6,
    Historic = 7,
    /// A Latin spelling of a Cyrillic name (see `translit`), indexed so "Avdeevka" finds Авдеевка.
    Transliterated = 8,
}

impl NameKind {
    pub fn from_u8(v: u8) -> Option<NameKind> {
        use NameKind::*;
        Some(match v {
            0 => Name,
            1 => Ascii,
            2 => Preferred,
            3 => Alternate,
            4 => Short,
            5 => Abbreviation,
            6 => Colloquial,
            7 => Historic,
            8 => Transliterated,
            _ => return None,
        })
    }

    /// The word used for this kind in JSON (`matched`) and text output.
    pub fn label(self) -> &'static str {
        match self {
            NameKind::Name | NameKind::Ascii => "exact",
            NameKind::Preferred | NameKind::Alternate => "alternate",
            NameKind::Short => "short",
            NameKind::Abbreviation => "abbreviation",
            NameKind::Colloquial => "colloquial",
            NameKind::Historic => "historic",
            NameKind::Transliterated => "transliterated",
        }
    }
}

/// Whether a class-A feature code names a country or dependent territory.
pub fn is_country_code(code: &str) -> bool {
    matches!(
        code,
        "PCLI" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "PCL" | "TERR"
    )
}

/// Flags of an alternate name, as stored in `alt_names`.
pub mod alt_flags {
    pub const PREFERRED: u8 = 1;
    pub const SHORT: u8 = 2;
    pub const COLLOQUIAL: u8 = 4;
    pub const HISTORIC: u8 = 8;
    pub const ABBREVIATION: u8 = 16;
    /// The name came from the main dump's `alternatenames` column.
    pub const FROM_DUMP: u8 = 32;
}

/// The best `NameKind` an alternate name with these flags earns.
pub fn kind_for_alt_flags(flags: u8) -> NameKind {
    use alt_flags::*;
    if flags & HISTORIC != 0 {
        NameKind::Historic
    } else if flags & PREFERRED != 0 {
        NameKind::Preferred
    } else if flags & ABBREVIATION != 0 {
        NameKind::Abbreviation
    } else if flags & SHORT != 0 {
        NameKind::Short
    } else if flags & COLLOQUIAL != 0 {
        NameKind::Colloquial
    } else {
        NameKind::Alternate
    }
}

pub fn posting(record: u32, kind: NameKind) -> u32 {
    (record << 4) | kind as u32
}

pub fn split_posting(p: u32) -> (u32, Option<NameKind>) {
    (p >> 4, NameKind::from_u8((p & 0xF) as u8))
}

/// An fst value for a key with exactly one posting has this bit set and carries the posting inline.
pub const INLINE_POSTING: u64 = 1 << 63;

pub fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `at`; returns the value and the offset after it, or None when it runs off the end.
pub fn read_varint(b: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(at)?;
        at += 1;
        if shift > 63 {
            return None;
        }
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some((v, at));
        }
        shift += 7;
    }
}

/// One fixed-size place row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RawRecord {
    pub geonameid: u32,
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub name_ref: u32,
    pub population: u64,
    pub admin1_ref: u32,
    pub admin2_ref: u32,
    /// Offset of the admin3 code (empty string when the row has none). Added in format 3.
    pub admin3_ref: u32,
    pub feature_class: u8,
    pub feature_code: [u8; 5],
    pub country: [u8; 2],
}

impl RawRecord {
    pub fn encode(&self) -> [u8; RECORD_LEN] {
        let mut b = [0u8; RECORD_LEN];
        b[0..4].copy_from_slice(&self.geonameid.to_le_bytes());
        b[4..8].copy_from_slice(&self.lat_e6.to_le_bytes());
        b[8..12].copy_from_slice(&self.lon_e6.to_le_bytes());
        b[12..16].copy_from_slice(&self.name_ref.to_le_bytes());
        b[16..24].copy_from_slice(&self.population.to_le_bytes());
        b[24..28].copy_from_slice(&self.admin1_ref.to_le_bytes());
        b[28..32].copy_from_slice(&self.admin2_ref.to_le_bytes());
        b[32] = self.feature_class;
        b[33..38].copy_from_slice(&self.feature_code);
        b[38..40].copy_from_slice(&self.country);
        b[40..44].copy_from_slice(&self.admin3_ref.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8; RECORD_LEN]) -> RawRecord {
        RawRecord {
            geonameid: u32_at(b, 0),
            lat_e6: u32_at(b, 4) as i32,
            lon_e6: u32_at(b, 8) as i32,
            name_ref: u32_at(b, 12),
            population: u64_at(b, 16),
            admin1_ref: u32_at(b, 24),
            admin2_ref: u32_at(b, 28),
            feature_class: b[32],
            feature_code: b[33..38].try_into().unwrap(),
            country: b[38..40].try_into().unwrap(),
            admin3_ref: u32_at(b, 40),
        }
    }
}

/// Fixed-width ASCII field padded with NULs; `None` when the text does not fit.
pub fn fixed_ascii<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() > N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    out[..s.len()].copy_from_slice(s.as_bytes());
    Some(out)
}

pub fn trim_fixed(b: &[u8]) -> &str {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    std::str::from_utf8(&b[..end]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_detects_damage() {
        let h = Header {
            version: FORMAT_VERSION,
            data_crc: 7,
            record_count: 42,
            sections: [(160, 5); SECTION_COUNT],
        };
        let mut b = h.encode().to_vec();
        assert_eq!(Header::decode(&b).unwrap(), h);
        b[40] ^= 1;
        assert!(matches!(Header::decode(&b), Err(HeaderError::Corrupt(_))));
        b[0] = b'X';
        assert!(matches!(Header::decode(&b), Err(HeaderError::Magic)));
    }

    #[test]
    fn other_versions_are_refused() {
        let mut h = Header {
            version: FORMAT_VERSION,
            data_crc: 0,
            record_count: 0,
            sections: [(0, 0); SECTION_COUNT],
        };
        h.version = FORMAT_VERSION + 1;
        let b = h.encode();
        assert!(
            matches!(Header::decode(&b), Err(HeaderError::Version(v)) if v == FORMAT_VERSION + 1)
        );
        assert!(matches!(
            Header::decode(&b[..20]),
            Err(HeaderError::Corrupt(_))
        ));
    }

    #[test]
    fn record_round_trips() {
        let r = RawRecord {
            geonameid: 704463,
            lat_e6: 48_662_820,
            lon_e6: -38_022_170,
            name_ref: 9,
            population: 6_800_000_000,
            admin1_ref: 1,
            admin2_ref: 2,
            admin3_ref: 7,
            feature_class: b'P',
            feature_code: fixed_ascii("PPLA2").unwrap(),
            country: fixed_ascii("UA").unwrap(),
        };
        assert_eq!(RawRecord::decode(&r.encode()), r);
        assert_eq!(trim_fixed(&r.feature_code), "PPLA2");
        assert!(fixed_ascii::<5>("TOOLONG").is_none());
    }

    #[test]
    fn varints_round_trip_and_stop_at_the_end() {
        let mut b = Vec::new();
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            b.clear();
            write_varint(&mut b, v);
            assert_eq!(read_varint(&b, 0), Some((v, b.len())));
        }
        assert_eq!(read_varint(&[0x80, 0x80], 0), None);
    }

    #[test]
    fn postings_pack_record_and_kind() {
        let p = posting(123_456, NameKind::Historic);
        assert_eq!(split_posting(p), (123_456, Some(NameKind::Historic)));
    }
}
