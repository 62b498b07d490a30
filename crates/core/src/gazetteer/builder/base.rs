//! Layering sources onto a compiled index (`gazetteer build --base`).
//!
//! The base is read as one more source, the last of the places: after every main dump, so that a
//! place a dump has keeps the dump's row (and gains the base's names as alternate names), and before
//! the alternate-name files, so that those reach the base's places too. Its places and names go
//! through the same queues as a dump's, so every key (transliterations included) is derived once,
//! as in any build, and none is doubled.

use std::path::Path;

use serde::Serialize;

use super::{alt_value, format, io_in, GazetteerBuilder, GeoRow, SourceFacts, State};
use crate::gazetteer::format::alt_flags;
use crate::gazetteer::{Gazetteer, Source, SourceKind};
use crate::geo::distance_km;
use crate::{Error, Result};

/// A place a dump shares with the base is reported when the two points lie farther apart.
pub const BASE_CONFLICT_KM: f64 = 1.0;
/// How many ids a conflict report names.
const CONFLICT_IDS: usize = 5;
/// Flags only an alternateNames row gives: a stored name with one of them had a vote on "historic".
const FROM_ALTERNATES: u8 = alt_flags::PREFERRED
    | alt_flags::SHORT
    | alt_flags::COLLOQUIAL
    | alt_flags::HISTORIC
    | alt_flags::ABBREVIATION;

/// The places of one main dump that the base has at other coordinates; the dump's rows were kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseConflicts {
    pub file: String,
    pub count: u64,
    /// The first few geonameids, in the dump's order.
    pub first_ids: Vec<u32>,
}

impl GazetteerBuilder {
    /// Layers the sources onto `base`, an index built before: its places, names and admin names
    /// stay, except where a source has its own (see `BuildSummary::base_conflicts`). The base's
    /// checksum is verified first.
    pub fn set_base(&mut self, base: Gazetteer) -> Result<()> {
        base.verify().map_err(|e| e.in_base(base.path()))?;
        self.base = Some(base);
        Ok(())
    }

    /// `set_base` with the index file at `path`.
    pub fn set_base_file(&mut self, path: &Path) -> Result<()> {
        let base = Gazetteer::open(path).map_err(|e| e.in_base(path))?;
        self.set_base(base)
    }
}

/// The base while a build reads it.
pub(super) struct BaseLayer<'b> {
    gaz: &'b Gazetteer,
    /// (geonameid, record) of every base place, sorted.
    by_id: Vec<(u32, u32)>,
    /// Conflicts of the main dump being read.
    conflicts: u64,
    first_ids: Vec<u32>,
}

impl<'b> BaseLayer<'b> {
    pub(super) fn new(gaz: &'b Gazetteer) -> Result<BaseLayer<'b>> {
        let in_base = |e: Error| e.in_base(gaz.path());
        let n = u32::try_from(gaz.len())
            .map_err(|_| in_base(Error::corrupt(gaz.path(), "too many records")))?;
        let mut by_id = Vec::with_capacity(n as usize);
        for idx in 0..n {
            by_id.push((gaz.raw_record(idx).map_err(in_base)?.geonameid, idx));
        }
        by_id.sort_unstable();
        Ok(BaseLayer {
            gaz,
            by_id,
            conflicts: 0,
            first_ids: Vec::new(),
        })
    }
}

impl State<'_> {
    /// After a dump's row was kept as the last record: when the base has the same place, its names
    /// join the row's, and points more than `BASE_CONFLICT_KM` apart are counted.
    pub(super) fn merge_base_place(&mut self, row: &GeoRow) -> Result<()> {
        let Some(base) = &mut self.base else {
            return Ok(());
        };
        let Ok(at) = base.by_id.binary_search_by_key(&row.id, |&(id, _)| id) else {
            return Ok(());
        };
        let gaz = base.gaz;
        let place = gaz
            .stored_place(base.by_id[at].1)
            .map_err(|e| e.in_base(gaz.path()))?;
        let (lat, lon) = (
            f64::from(place.record.lat_e6) / 1e6,
            f64::from(place.record.lon_e6) / 1e6,
        );
        if distance_km(row.lat, row.lon, lat, lon) > BASE_CONFLICT_KM {
            base.conflicts += 1;
            if base.first_ids.len() < CONFLICT_IDS {
                base.first_ids.push(row.id);
            }
        }
        let idx = self.record_count - 1;
        for own in [Some(place.name.as_str()), place.ascii.as_deref()]
            .into_iter()
            .flatten()
        {
            if own != row.name && own != row.ascii {
                self.queue_base_alt(idx, own, "", alt_flags::FROM_DUMP)?;
            }
        }
        for a in &place.alt_names {
            self.queue_base_alt(idx, &a.name, &a.lang, a.flags)?;
        }
        Ok(())
    }

    /// Queues a stored alternate name for record `idx`. One with GeoNames' flags came from an
    /// alternateNames row; queued without `FROM_DUMP`, it votes again, so a historic name stays so.
    fn queue_base_alt(&mut self, idx: u32, name: &str, lang: &str, flags: u8) -> Result<()> {
        let flags = if flags & FROM_ALTERNATES != 0 {
            flags & !alt_flags::FROM_DUMP
        } else {
            flags
        };
        let mut value = Vec::with_capacity(name.len() + lang.len() + 3);
        alt_value(&mut value, name, lang, flags);
        let alts = self
            .alts
            .as_mut()
            .ok_or_else(|| Error::Build("alternate names queued after the merge".into()))?;
        alts.push(&idx.to_be_bytes(), &value)
            .map_err(io_in(&self.dir))
    }

    /// Records the conflicts of main dump `s`, once, and starts counting afresh.
    pub(super) fn report_base_conflicts(&mut self, s: &Source) {
        let Some(base) = &mut self.base else {
            return;
        };
        if base.conflicts > 0 {
            self.base_conflicts.push(BaseConflicts {
                file: s.path.display().to_string(),
                count: std::mem::take(&mut base.conflicts),
                first_ids: std::mem::take(&mut base.first_ids),
            });
            self.warning_count += 1;
        }
    }

    /// Adds the base's places that no dump had, with their names, and takes its admin names.
    pub(super) fn read_base(&mut self) -> Result<()> {
        let Some(gaz) = self.base.as_ref().map(|b| b.gaz) else {
            return Ok(());
        };
        let in_base = |e: Error| e.in_base(gaz.path());
        let n = self.base.as_ref().map_or(0, |b| b.by_id.len() as u32);
        let (size, mut reported, mut kept) = (gaz.size_bytes(), 0u64, 0u64);
        for idx in 0..n {
            let place = gaz.stored_place(idx).map_err(in_base)?;
            let r = &place.record;
            let class = [r.feature_class];
            let row = GeoRow {
                id: r.geonameid,
                name: &place.name,
                ascii: place.ascii.as_deref().unwrap_or(""),
                alternates: "",
                lat: f64::from(r.lat_e6) / 1e6,
                lon: f64::from(r.lon_e6) / 1e6,
                class: std::str::from_utf8(&class[..usize::from(r.feature_class != 0)])
                    .unwrap_or(""),
                code: format::trim_fixed(&r.feature_code),
                country: format::trim_fixed(&r.country),
                feature_code: r.feature_code,
                country_code: r.country,
                admin1: &place.admin1,
                admin2: &place.admin2,
                admin3: &place.admin3,
                population: r.population,
            };
            if self.keeps(&row) && self.first_seen(row.id) {
                self.add_place(&row)?;
                let rec = self.record_count - 1;
                for a in &place.alt_names {
                    self.queue_base_alt(rec, &a.name, &a.lang, a.flags)?;
                }
                kept += 1;
            }
            let done = size * u64::from(idx + 1) / u64::from(n);
            if done - reported >= 1 << 20 || idx + 1 == n {
                self.opts.progress.inc(done - reported);
                reported = done;
            }
        }
        self.base_admin = gaz.admin_names().map_err(in_base)?.into_iter().collect();
        self.facts.push(SourceFacts {
            file: gaz.path().display().to_string(),
            kind: SourceKind::BaseIndex,
            rows: u64::from(n),
            kept,
            rejected: 0,
            bytes: size,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
