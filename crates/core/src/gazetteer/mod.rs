//! The gazetteer: a compiled, memory-mapped index of GeoNames places.
//!
//! `GazetteerBuilder` writes it (see `builder`), `Gazetteer` reads it. The layout is in `format`.

mod builder;
mod extsort;
pub mod format;
mod fuzzy;
mod reader;
mod sources;

pub use builder::{
    parse_geonames_line, BuildMeta, BuildOptions, BuildSummary, Counts, GazetteerBuilder,
    SourceFacts,
};
pub use format::NameKind;
pub use reader::{panic_is_contained, AltName, FuzzyKey, Gazetteer, Place};
pub use sources::{Source, SourceKind};
