//! The gazetteer engine of geoevents, in its own crate so that the main crate's build script can
//! compile the embedded default gazetteer with the same code that reads it.
//!
//! `normalize` (name keys) and `translit` (Cyrillic to Latin) → `gazetteer` (`GazetteerBuilder` writes an index, `Gazetteer` reads it).

pub mod error;
pub mod gazetteer;
pub mod geo;
pub mod normalize;
pub mod translit;

pub use error::{Error, Result};
pub use gazetteer::{Gazetteer, GazetteerBuilder};
