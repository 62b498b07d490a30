//! The default gazetteer, compiled by `build.rs` from the extracts in `gazetteer/` and embedded in
//! the binary, so a fresh clone needs no download.

use std::sync::OnceLock;

use crate::{Gazetteer, Result};

static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.gaz"));

/// The label under which the embedded index appears in messages and `gazetteer info`.
pub const LABEL: &str = "(embedded default gazetteer)";

/// Opens the embedded gazetteer. The bytes are part of the binary, so opening costs only the
/// header checks; the result is shared.
pub fn gazetteer() -> Result<&'static Gazetteer> {
    static OPEN: OnceLock<std::result::Result<Gazetteer, String>> = OnceLock::new();
    OPEN.get_or_init(|| Gazetteer::from_static(LABEL, INDEX).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| crate::Error::Build(format!("the embedded gazetteer does not open: {e}")))
}

/// A handle of its own on the embedded index, e.g. to layer a build onto it
/// (`gazetteer build --base default`).
pub fn open_owned() -> Result<Gazetteer> {
    Gazetteer::from_static(LABEL, INDEX)
}
