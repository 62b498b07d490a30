//! Looking up one place name: candidates from the name index, ranked by match quality and by how
//! important the place is (feature rank, population).

use serde::Serialize;

use crate::gazetteer::{format, Gazetteer, NameKind, Place};
use crate::normalize::name_key;
use crate::Result;

/// Hints and limits for a lookup.
#[derive(Debug, Clone)]
pub struct LookupOptions {
    /// Keep only these ISO country codes (upper case); empty keeps all.
    pub countries: Vec<String>,
    /// Keep only these feature classes; empty keeps all.
    pub feature_classes: Vec<char>,
    pub limit: usize,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            countries: Vec::new(),
            feature_classes: Vec::new(),
            limit: 5,
        }
    }
}

/// One ranked answer. Field names are part of the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub geonameid: u32,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub feature_class: String,
    pub feature_code: String,
    pub country_code: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub population: u64,
    /// 0–1; higher is better.
    pub score: f64,
    /// The gazetteer's spelling that matched the query.
    pub matched_name: String,
    /// How it matched: exact, alternate, short, abbreviation, colloquial or historic.
    pub matched: &'static str,
    pub country: Option<String>,
    pub admin1_code: String,
    pub admin2_code: String,
}

/// A query's answer, as printed by `lookup --format json|jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct LookupResult {
    pub query: String,
    pub results: Vec<Candidate>,
}

/// How good a name match is, 0–1. An admin division reached through another of its names is a
/// weaker match: "Kharkiv" alone means the city, though the oblast lists it as a short name.
fn match_quality(kind: NameKind, class: &str, code: &str) -> f64 {
    let division = class == "A" && code.starts_with("ADM");
    match kind {
        NameKind::Name | NameKind::Ascii => 1.0,
        _ if division => 0.7,
        NameKind::Preferred => 0.97,
        NameKind::Alternate | NameKind::Short => 0.92,
        NameKind::Abbreviation => 0.85,
        NameKind::Historic => 0.85,
        NameKind::Colloquial => 0.8,
    }
}

/// How prominent a feature type is, 0–1: capitals and countries over admin seats over villages.
pub fn feature_rank(class: &str, code: &str) -> f64 {
    match (class, code) {
        ("A", "PCLI") | ("A", "PCLD") | ("A", "PCLF") | ("A", "PCL") => 1.0,
        ("P", "PPLC") => 0.97,
        ("A", "ADM1") => 0.9,
        ("P", "PPLA") => 0.88,
        ("L", "CONT") | ("L", "RGN") => 0.8,
        ("P", "PPLA2") => 0.75,
        ("A", "ADM2") => 0.72,
        ("H", "STM") | ("H", "LK") | ("H", "SEA") | ("H", "OCN") => 0.6,
        ("P", "PPLA3") | ("P", "PPLA4") | ("P", "PPLG") => 0.6,
        ("P", "PPL") => 0.5,
        ("A", _) if code.ends_with('H') => 0.2,
        ("P", "PPLH") | ("P", "PPLQ") | ("P", "PPLW") => 0.2,
        ("P", _) => 0.45,
        ("A", _) => 0.5,
        _ => 0.4,
    }
}

/// Importance of a place, 0–1, from feature rank and population (log scale, 10 M and more is 1).
/// GeoNames gives rivers, regions and terrain no population; they get a nominal one (about a
/// small town's) so that a river is not outranked by every hamlet that shares its name.
pub fn importance(class: &str, code: &str, population: u64) -> f64 {
    let pop = match class {
        "H" | "L" | "T" | "U" | "V" if population == 0 => 0.35,
        _ => ((population as f64) + 1.0).log10() / 7.0,
    };
    0.55 * feature_rank(class, code) + 0.45 * pop.min(1.0)
}

/// The score of a candidate: importance dominates, so "Moscow" is the Russian capital (an alternate
/// name) before the Idaho town of that exact name; the match kind breaks near-ties.
fn score(kind: NameKind, class: &str, code: &str, population: u64) -> f64 {
    0.3 * match_quality(kind, class, code) + 0.7 * importance(class, code, population)
}

/// The spelling that matched: the query's own spelling when the gazetteer has it, else the first
/// name under the same key.
fn matched_name(
    gaz: &Gazetteer,
    idx: u32,
    query: &str,
    key: &str,
    place: &Place,
) -> Result<String> {
    let query = query.trim();
    if place.name == query
        || name_key(&place.name) == key && gaz.alt_names(idx)?.iter().all(|a| a.name != query)
    {
        return Ok(place.name.clone());
    }
    let alts = gaz.alt_names(idx)?;
    let same_key = || alts.iter().find(|a| name_key(&a.name) == key);
    Ok(alts
        .iter()
        .find(|a| a.name == query)
        .or_else(same_key)
        .map_or_else(|| place.name.clone(), |a| a.name.clone()))
}

/// Ranked candidates for `query`, best first.
pub fn lookup(gaz: &Gazetteer, query: &str, opts: &LookupOptions) -> Result<Vec<Candidate>> {
    let key = name_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    // Rank on the fixed-size records alone; names and admin names are resolved for the few kept.
    let mut scored = Vec::new();
    for (idx, kind) in gaz.postings(&key)? {
        let r = gaz.raw_record(idx)?;
        let country = format::trim_fixed(&r.country);
        if !opts.countries.is_empty() && !opts.countries.iter().any(|c| c == country) {
            continue;
        }
        let class = r.feature_class as char;
        if !opts.feature_classes.is_empty() && !opts.feature_classes.contains(&class) {
            continue;
        }
        let mut buf = [0u8; 4];
        let s = score(
            kind,
            class.encode_utf8(&mut buf),
            format::trim_fixed(&r.feature_code),
            r.population,
        );
        scored.push((s, idx, kind, r));
    }
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.3.population.cmp(&a.3.population))
            .then(a.3.geonameid.cmp(&b.3.geonameid))
    });
    scored.truncate(opts.limit);
    scored
        .into_iter()
        .map(|(score, idx, kind, _)| (score, idx, kind, gaz.place(idx)))
        .map(|(score, idx, kind, p)| {
            let p = p?;
            Ok(Candidate {
                matched_name: matched_name(gaz, idx, query, &key, &p)?,
                matched: kind.label(),
                score: (score * 1000.0).round() / 1000.0,
                geonameid: p.geonameid,
                name: p.name,
                latitude: p.latitude,
                longitude: p.longitude,
                feature_class: p.feature_class,
                feature_code: p.feature_code,
                country_code: p.country_code,
                admin1: p.admin1,
                admin2: p.admin2,
                population: p.population,
                country: p.country,
                admin1_code: p.admin1_code,
                admin2_code: p.admin2_code,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(
        class: &'static str,
        code: &'static str,
        population: u64,
    ) -> (&'static str, &'static str, u64) {
        (class, code, population)
    }

    fn score(kind: NameKind, (class, code, population): (&str, &str, u64)) -> f64 {
        super::score(kind, class, code, population)
    }

    #[test]
    fn a_capital_by_alternate_name_beats_a_small_town_by_exact_name() {
        let capital = score(NameKind::Alternate, place("P", "PPLC", 12_000_000));
        let town = score(NameKind::Name, place("P", "PPLA2", 25_000));
        assert!(capital > town, "{capital} <= {town}");
    }

    #[test]
    fn an_admin_seat_beats_a_village_and_a_river_of_the_same_name() {
        let seat = score(NameKind::Name, place("P", "PPLA2", 73_000));
        let village = score(NameKind::Name, place("P", "PPL", 0));
        let river = score(NameKind::Name, place("H", "STM", 0));
        assert!(seat > village && seat > river);
    }

    #[test]
    fn a_bare_city_name_means_the_city_not_its_oblast() {
        let city = score(NameKind::Name, place("P", "PPLA", 1_421_125));
        let oblast = score(NameKind::Short, place("A", "ADM1", 4_482_240));
        let oblast_alt = score(NameKind::Alternate, place("A", "ADM1", 4_482_240));
        assert!(
            city > oblast && city > oblast_alt,
            "{city} {oblast} {oblast_alt}"
        );
        // Countries keep their short forms: "Britain" is the United Kingdom.
        let country = score(NameKind::Short, place("A", "PCLI", 66_000_000));
        assert!(country > score(NameKind::Name, place("P", "PPL", 5_000)));
    }

    #[test]
    fn scores_stay_between_zero_and_one() {
        for (c, f, p) in [("A", "PCLI", u64::MAX), ("P", "PPLQ", 0), ("S", "CH", 5)] {
            for k in [NameKind::Name, NameKind::Colloquial] {
                let s = score(k, place(c, f, p));
                assert!((0.0..=1.0).contains(&s), "{s}");
            }
        }
    }
}
