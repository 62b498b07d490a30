//! geoevents: news text to maps.
//!
//! The pipeline, one module per stage: `normalize` (name keys) → `gazetteer` (the compiled GeoNames
//! index; `GazetteerBuilder` writes it, `Gazetteer` reads it, both from the `geoevents-core` crate)
//! → `lookup` (ranked candidates for a name). `embedded` is the default gazetteer compiled into the
//! binary, `demonyms` the table that maps "Russian" or "Syrian" to a country, `person_names` the
//! common given names and surnames that tell people from small towns.
//! Recognition in running text and event layers build on these; `run` takes a run's documents
//! through them in order, as the CLI, `serve` and the Python package do.

pub mod batch;
pub mod cyrillic;
pub mod dates;
pub mod demonyms;
pub mod embedded;
pub mod events;
pub mod input;
pub mod lang;
pub mod layers;
pub mod lexicon;
pub mod lookup;
pub mod memo;
pub mod output;
pub mod person_names;
pub mod places;
pub mod recognize;
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
pub mod theatre;
pub mod window;

pub use geoevents_core::{
    error, gazetteer, normalize, translit, Error, Gazetteer, GazetteerBuilder, Result,
};
