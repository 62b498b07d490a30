//! GeoNames input files: what kind each one is (by name and by content), and streaming their rows,
//! from plain `.txt`/`.tsv` or from inside a `.zip`, never holding a whole file in memory.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// `allCountries`, a country file such as `UA`, or `citiesNNNN`: the 19-column geoname table.
    MainDump,
    /// `alternateNamesV2` (10 columns) or the older `alternateNames` (8 columns).
    AlternateNames,
    Admin1Codes,
    Admin2Codes,
    CountryInfo,
    /// A compiled index the sources are layered onto (`gazetteer build --base`); never detected
    /// from a file, only given as the base.
    BaseIndex,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::MainDump => "main dump",
            SourceKind::AlternateNames => "alternate names",
            SourceKind::Admin1Codes => "admin1 codes",
            SourceKind::Admin2Codes => "admin2 codes",
            SourceKind::CountryInfo => "country info",
            SourceKind::BaseIndex => "base index",
        }
    }
}

/// A recognised input file.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
    /// For a `.zip`, the entry holding the data.
    pub zip_entry: Option<String>,
    /// Uncompressed size in bytes, for progress.
    pub size: u64,
}

/// What the file name alone suggests, if anything.
fn kind_from_name(stem: &str) -> Option<SourceKind> {
    let lower = stem.to_ascii_lowercase();
    // `supplement`: a curated dump such as gazetteer/supplement.tsv.
    if lower == "allcountries"
        || lower == "supplement"
        || (stem.len() == 2 && stem.bytes().all(|b| b.is_ascii_uppercase()))
        || (lower.starts_with("cities")
            && lower.len() > 6
            && lower[6..].bytes().all(|b| b.is_ascii_digit()))
    {
        Some(SourceKind::MainDump)
    } else if lower.starts_with("alternatenames") {
        Some(SourceKind::AlternateNames)
    } else if lower.starts_with("admin1codes") {
        Some(SourceKind::Admin1Codes)
    } else if lower.starts_with("admin2codes") {
        Some(SourceKind::Admin2Codes)
    } else if lower.starts_with("countryinfo") {
        Some(SourceKind::CountryInfo)
    } else {
        None
    }
}

/// What the first data line says. `None` when it matches no GeoNames table.
fn kind_from_content(first_line: &str) -> Option<SourceKind> {
    let cols: Vec<&str> = first_line.split('\t').collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match cols.len() {
        // 20 columns: a curated dump with a trailing `source` column.
        19 | 20 if numeric(cols[0]) => Some(SourceKind::MainDump),
        8 | 10 if numeric(cols[0]) && numeric(cols[1]) => Some(SourceKind::AlternateNames),
        4 if numeric(cols[3]) || cols[3].is_empty() => match cols[0].split('.').count() {
            2 => Some(SourceKind::Admin1Codes),
            3 => Some(SourceKind::Admin2Codes),
            _ => None,
        },
        n if n >= 17 && cols[0].len() == 2 && cols[1].len() == 3 => Some(SourceKind::CountryInfo),
        _ => None,
    }
}

fn file_stem_without_ext(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for ext in [".txt", ".tsv", ".zip"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    name
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Chooses the data entry of a GeoNames zip: `STEM.txt` when present, else its only other `.txt`.
fn choose_zip_entry(path: &Path, names: &[String]) -> Result<String> {
    let stem = file_stem_without_ext(path);
    let wanted = format!("{stem}.txt");
    if let Some(n) = names
        .iter()
        .find(|n| n.rsplit('/').next() == Some(wanted.as_str()))
    {
        return Ok(n.clone());
    }
    let txt: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.to_ascii_lowercase().ends_with(".txt")
                && !n.to_ascii_lowercase().ends_with("readme.txt")
        })
        .collect();
    match txt.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(Error::Zip {
            path: path.to_path_buf(),
            detail: format!("expected {wanted} or a single .txt entry, found {names:?}"),
        }),
    }
}

impl Source {
    /// Recognises `path` by its name and its first data line. A name that promises one table while the
    /// content is another, or content that is no GeoNames table, is an error naming the file.
    pub fn detect(path: &Path) -> Result<Source> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::UnknownSource {
                path: path.to_path_buf(),
                detail: "it is a directory".into(),
            });
        }
        let mut source = Source {
            path: path.to_path_buf(),
            kind: SourceKind::MainDump,
            zip_entry: None,
            size: meta.len(),
        };
        if is_zip(path) {
            let file = File::open(path).map_err(|e| Error::io(path, e))?;
            let archive = zip::ZipArchive::new(file).map_err(|e| zip_err(path, e))?;
            let names: Vec<String> = archive.file_names().map(str::to_string).collect();
            source.zip_entry = Some(choose_zip_entry(path, &names)?);
        }
        let mut first = None;
        source.with_reader(|r| {
            let mut line = Vec::new();
            loop {
                line.clear();
                if r.read_until(b'\n', &mut line)
                    .map_err(|e| Error::io(path, e))?
                    == 0
                {
                    break;
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\n', '\r']);
                if text.is_empty() || text.starts_with('#') {
                    continue;
                }
                first = Some(text.to_string());
                break;
            }
            Ok(())
        })?;
        let Some(first) = first else {
            return Err(Error::UnknownSource {
                path: path.to_path_buf(),
                detail: "it holds no data lines".into(),
            });
        };
        let by_content = kind_from_content(&first);
        let stem = match &source.zip_entry {
            Some(entry) => file_stem_without_ext(Path::new(entry)),
            None => file_stem_without_ext(path),
        };
        let by_name = kind_from_name(&stem);
        source.kind = match (by_name, by_content) {
            (_, None) => {
                let cols = first.split('\t').count();
                return Err(Error::UnknownSource {
                    path: path.to_path_buf(),
                    detail: format!("its first data line has {cols} tab-separated columns"),
                });
            }
            // GeoNames' per-country alternate-name files are also called `XX.txt`: trust the content.
            (Some(SourceKind::MainDump), Some(SourceKind::AlternateNames)) if stem.len() == 2 => {
                SourceKind::AlternateNames
            }
            (Some(n), Some(c)) if n != c => {
                return Err(Error::UnknownSource {
                    path: path.to_path_buf(),
                    detail: format!(
                        "the name says {} but the content looks like {}",
                        n.label(),
                        c.label()
                    ),
                })
            }
            (_, Some(c)) => c,
        };
        Ok(source)
    }

    /// Runs `f` on a buffered reader of the data (the zip entry, or the file).
    pub fn with_reader<T>(&self, f: impl FnOnce(&mut dyn BufRead) -> Result<T>) -> Result<T> {
        let path = &self.path;
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        match &self.zip_entry {
            None => f(&mut BufReader::with_capacity(1 << 20, file)),
            Some(entry) => {
                let mut archive = zip::ZipArchive::new(file).map_err(|e| zip_err(path, e))?;
                let zf = archive.by_name(entry).map_err(|e| zip_err(path, e))?;
                // Bound to a local so the reader borrowing `archive` drops before it.
                #[allow(clippy::let_and_return)]
                let out = f(&mut BufReader::with_capacity(1 << 20, zf));
                out
            }
        }
    }

    /// Uncompressed size of the data, for progress bars.
    pub fn data_size(&self) -> u64 {
        let Some(entry) = &self.zip_entry else {
            return self.size;
        };
        File::open(&self.path)
            .ok()
            .and_then(|f| zip::ZipArchive::new(f).ok())
            .and_then(|mut a| a.by_name(entry).ok().map(|e| e.size()))
            .unwrap_or(self.size)
    }
}

fn zip_err(path: &Path, e: zip::result::ZipError) -> Error {
    Error::Zip {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Reads tab-separated lines, skipping `#` comments and blank lines, with their 1-based line numbers.
/// Invalid UTF-8 is decoded lossily and the line says so.
/// Bytes read are reported to `progress` about every MiB and at the end.
pub struct TsvLines<'a> {
    reader: &'a mut dyn BufRead,
    progress: &'a indicatif::ProgressBar,
    reported: u64,
    buf: Vec<u8>,
    text: String,
    pub line_no: u64,
    pub bytes_read: u64,
}

impl<'a> TsvLines<'a> {
    pub fn new(reader: &'a mut dyn BufRead, progress: &'a indicatif::ProgressBar) -> TsvLines<'a> {
        TsvLines {
            reader,
            progress,
            reported: 0,
            buf: Vec::with_capacity(4096),
            text: String::new(),
            line_no: 0,
            bytes_read: 0,
        }
    }

    fn report(&mut self, at_least: u64) {
        if self.bytes_read - self.reported >= at_least {
            self.progress.inc(self.bytes_read - self.reported);
            self.reported = self.bytes_read;
        }
    }

    /// The next data line with its line number, or None at the end. The bool is true when the line
    /// was not valid UTF-8.
    pub fn next_line(&mut self) -> std::io::Result<Option<(&str, bool, u64)>> {
        loop {
            self.buf.clear();
            let n = self.reader.read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                self.report(0);
                return Ok(None);
            }
            self.line_no += 1;
            self.bytes_read += n as u64;
            self.report(1 << 20);
            let lossy = match std::str::from_utf8(&self.buf) {
                Ok(s) => {
                    self.text.clear();
                    self.text.push_str(s);
                    false
                }
                Err(_) => {
                    self.text = String::from_utf8_lossy(&self.buf).into_owned();
                    true
                }
            };
            let line = self.text.trim_end_matches(['\n', '\r']);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let len = line.len();
            return Ok(Some((&self.text[..len], lossy, self.line_no)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_suggest_kinds() {
        assert_eq!(kind_from_name("allCountries"), Some(SourceKind::MainDump));
        assert_eq!(kind_from_name("UA"), Some(SourceKind::MainDump));
        assert_eq!(kind_from_name("cities15000"), Some(SourceKind::MainDump));
        assert_eq!(
            kind_from_name("alternateNamesV2"),
            Some(SourceKind::AlternateNames)
        );
        assert_eq!(
            kind_from_name("admin1CodesASCII"),
            Some(SourceKind::Admin1Codes)
        );
        assert_eq!(kind_from_name("admin2Codes"), Some(SourceKind::Admin2Codes));
        assert_eq!(kind_from_name("countryInfo"), Some(SourceKind::CountryInfo));
        assert_eq!(kind_from_name("supplement"), Some(SourceKind::MainDump));
        assert_eq!(kind_from_name("report"), None);
        assert_eq!(kind_from_name("citiesX"), None);
    }

    #[test]
    fn content_tells_tables_apart() {
        let dump = "704463\tKrasna Hora\tKrasna Hora\t\t48.66\t38.02\tP\tPPL\tUA\t\t05\t1402\t\t\t0\t\t100\tEurope/Kyiv\t2024-01-01";
        assert_eq!(kind_from_content(dump), Some(SourceKind::MainDump));
        assert_eq!(
            kind_from_content("1\t713174\tuk\tАртемівськ\t\t\t\t1\t\t"),
            Some(SourceKind::AlternateNames)
        );
        assert_eq!(
            kind_from_content("UA.05\tDonetsk\tDonetsk\t709716"),
            Some(SourceKind::Admin1Codes)
        );
        assert_eq!(
            kind_from_content("UA.05.1402\tBakhmut\tBakhmut\t12"),
            Some(SourceKind::Admin2Codes)
        );
        assert_eq!(
            kind_from_content(&format!("{dump}\tGeoNames 704463")),
            Some(SourceKind::MainDump)
        );
        assert_eq!(kind_from_content("Bakhmut is a city"), None);
    }
}
