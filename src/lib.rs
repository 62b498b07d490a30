//! geoevents: news text to maps.
//!
//! The pipeline, one module per stage: `normalize` (name keys) → `gazetteer` (the compiled GeoNames
//! index: `GazetteerBuilder` writes it, `Gazetteer` reads it) → `lookup` (ranked candidates for a name).
//! Recognition in running text and event layers build on these.

pub mod error;
pub mod gazetteer;
pub mod lookup;
pub mod normalize;

pub use error::{Error, Result};
pub use gazetteer::{Gazetteer, GazetteerBuilder};
