//! The library's one error type. Every variant carries what the user needs to fix the problem.

use std::path::PathBuf;

/// The command that rebuilds a gazetteer; quoted in every "rebuild it" message.
pub const REBUILD_HINT: &str =
    "`geoevents gazetteer build SOURCE... -o FILE` (its --help lists the GeoNames files it reads)";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The I/O error is part of the message, not a `source`, so chains print it once.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },

    #[error("{path}: not a geoevents gazetteer (bad magic bytes); build one with {hint}", hint = REBUILD_HINT)]
    NotAGazetteer { path: PathBuf },

    #[error(
        "{path}: gazetteer format version {found}, but this geoevents reads version {expected}; \
         rebuild it with {hint}",
        hint = REBUILD_HINT
    )]
    FormatVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    /// A FIFO, device, socket or directory where an index file was expected: refused before it is
    /// opened, since reading a FIFO or a device can block forever.
    #[error("{path}: {kind}, not a regular file; give the path of an index file written by `geoevents gazetteer build`")]
    NotAFile { path: PathBuf, kind: &'static str },

    #[error("{path}: gazetteer is corrupt or truncated ({detail}); rebuild it with {hint}", hint = REBUILD_HINT)]
    Corrupt { path: PathBuf, detail: String },

    #[error("{path}: cannot tell what kind of GeoNames file this is ({detail}); expected allCountries, \
             a country dump like UA, citiesNNNN, alternateNamesV2, admin1CodesASCII, admin2Codes or countryInfo \
             (.txt or .zip)")]
    UnknownSource { path: PathBuf, detail: String },

    #[error("{path}, line {line}: {detail}")]
    BadRow {
        path: PathBuf,
        line: u64,
        detail: String,
    },

    #[error("{path}: zip archive: {detail}")]
    Zip { path: PathBuf, detail: String },

    #[error("no main GeoNames dump among the sources (give allCountries, a country file such as UA.txt, or citiesNNNN)")]
    NoMainDump,

    /// The index to layer new sources onto (`gazetteer build --base FILE`) is damaged or of another
    /// format version.
    #[error(
        "base index {path}: {problem}; rebuild it with `geoevents gazetteer build SOURCE... -o {path}` \
         from the GeoNames files it was built from, or layer onto `--base default`"
    )]
    BadBase { path: PathBuf, problem: String },

    #[error("base index {path} cannot be read: {cause}")]
    BaseUnreadable {
        path: PathBuf,
        cause: std::io::Error,
    },

    /// `gazetteer build -o FILE` where FILE is also read by the build (its base or a source).
    #[error(
        "gazetteer build: the output {output} is the same file as the input {input}; write the new \
         index to another file (`-o new.gaz`), then rename it over the old one (`mv new.gaz old.gaz`)"
    )]
    OutputIsInput { output: PathBuf, input: PathBuf },

    #[error("gazetteer build: {0}")]
    Build(String),

    /// `map --format gpkg` given a file that exists but is not a GeoPackage: it is left as it is.
    #[error(
        "{path}: not a GeoPackage ({detail}); it was left as it is: give a new file name, or a \
         .gpkg written by geoevents, GDAL or QGIS"
    )]
    NotAGeoPackage { path: PathBuf, detail: String },

    /// A GeoPackage that cannot be written as asked; `detail` says what is wrong and what to do.
    #[error("GeoPackage {path}: {detail}")]
    GeoPackage { path: PathBuf, detail: String },

    /// `geoevents serve` could not start on `addr`; `detail` says why and what to try.
    #[error("cannot serve on {addr}: {detail}")]
    Serve { addr: String, detail: String },

    #[error("invalid {what} `{value}`: {expected}")]
    InvalidArgument {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause,
        }
    }

    /// Restates an error met opening or reading `path` as a base index, with the rebuild recipe.
    pub(crate) fn in_base(self, path: &std::path::Path) -> Self {
        let path = path.to_path_buf();
        let problem = match self {
            Error::Io { cause, .. } => return Error::BaseUnreadable { path, cause },
            Error::NotAGazetteer { .. } => {
                "not a geoevents gazetteer (bad magic bytes)".to_string()
            }
            Error::FormatVersion {
                found, expected, ..
            } => format!("format version {found}, but this geoevents reads version {expected}"),
            Error::Corrupt { detail, .. } => format!("corrupt or truncated ({detail})"),
            other => return other,
        };
        Error::BadBase { path, problem }
    }

    pub(crate) fn corrupt(path: impl Into<PathBuf>, detail: impl Into<String>) -> Self {
        Error::Corrupt {
            path: path.into(),
            detail: detail.into(),
        }
    }
}
