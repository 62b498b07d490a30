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
    parse_geonames_line, BaseConflicts, BuildMeta, BuildOptions, BuildSummary, Counts,
    GazetteerBuilder, SourceFacts, BASE_CONFLICT_KM,
};
pub use format::NameKind;
pub use reader::{
    panic_is_contained, AltName, FuzzyKey, Gazetteer, Place, StoredAltName, StoredPlace,
};
pub use sources::{Source, SourceKind};
