//! Looking up one place name in any spelling: candidates from the name index (exact, then
//! transliterated, then within one or two edits), narrowed by the query's qualifier and context
//! (`query`), ranked by match quality and by how important the place is (feature rank,
//! population), and by distance when the caller gives a point.

mod query;

use serde::Serialize;

use crate::gazetteer::{format, Gazetteer, NameKind, Place};
use crate::normalize::name_key;
use crate::{translit, Result};

pub use geoevents_core::geo::distance_km;
pub(crate) use query::want_rows;
pub use query::{parse, Parsed, Want};

/// Hints and limits for a lookup.
#[derive(Debug, Clone)]
pub struct LookupOptions {
    /// Keep only these ISO country codes (upper case); empty keeps all.
    pub countries: Vec<String>,
    /// Keep only these feature classes; empty keeps all.
    pub feature_classes: Vec<char>,
    pub limit: usize,
    /// Prefer places near this point (latitude, longitude in degrees).
    pub near: Option<(f64, f64)>,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            countries: Vec::new(),
            feature_classes: Vec::new(),
            limit: 5,
            near: None,
        }
    }
}

/// One ranked answer: the place (its fields flattened into the JSON object) and how it matched.
/// Field names are part of the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    #[serde(flatten)]
    pub place: Place,
    /// 0–1; higher is better.
    pub score: f64,
    /// The gazetteer's spelling that matched the query.
    pub matched_name: String,
    /// How it matched: exact, alternate, short, abbreviation, colloquial, historic,
    /// transliterated or fuzzy.
    pub matched: &'static str,
    /// Edits (characters) between the query and `matched_name`'s key; 0 unless `matched` is fuzzy.
    pub edit_distance: u32,
}

/// A query's answer, as printed by `lookup --format json|jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct LookupResult {
    pub query: String,
    pub results: Vec<Candidate>,
}

/// How good a name match is, 0–1. Without a qualifier, an admin division is a weaker match than
/// a place of the same name: "Kharkiv", "Wien" or "Washington" alone mean the city, though the
/// oblast, the Land or the state carry the name too.
fn match_quality(kind: NameKind, class: &str, code: &str, qualified: bool) -> f64 {
    let division = class == "A" && code.starts_with("ADM");
    let q = match kind {
        NameKind::Name | NameKind::Ascii => 1.0,
        NameKind::Preferred => 0.97,
        NameKind::Alternate | NameKind::Short | NameKind::Transliterated => 0.92,
        NameKind::Abbreviation => 0.85,
        NameKind::Historic => 0.85,
        NameKind::Colloquial => 0.8,
    };
    if division && !qualified {
        q * 0.7
    } else {
        q
    }
}

/// How prominent a feature type is, 0–1: capitals and countries over admin seats over villages.
pub fn feature_rank(class: &str, code: &str) -> f64 {
    match (class, code) {
        ("A", _) if format::is_country_code(code) => 1.0,
        ("P", "PPLC") => 0.97,
        ("A", "ADM1") => 0.9,
        ("P", "PPLA") => 0.88,
        ("L", "CONT") => 1.0,
        ("L", "RGN") => 0.8,
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
        // A continent or an ocean is as big as names get: "the Atlantic" is the ocean before
        // Atlantic, Iowa.
        "L" if code == "CONT" => 1.0,
        "H" if code == "OCN" => 1.0,
        "H" | "L" | "T" | "U" | "V" if population == 0 => 0.35,
        _ => (((population as f64) + 1.0).log10() / 7.0).min(1.0),
    };
    let mut rank = feature_rank(class, code);
    // New York City is a PPL: a city of a million ranks like a first-order seat, seat or not.
    if class == "P" && population >= 1_000_000 {
        rank = rank.max(0.9);
    }
    0.45 * rank + 0.55 * pop
}

/// The score of a candidate: importance dominates, so "Moscow" is the Russian capital (an alternate
/// name) before the Idaho town of that exact name; the match quality breaks near-ties. With a
/// point to be near (`distance_km` from it), closeness takes a share.
fn combine(quality: f64, importance: f64, distance_km: Option<f64>) -> f64 {
    match distance_km {
        None => 0.4 * quality + 0.6 * importance,
        Some(d) => 0.25 * quality + 0.45 * importance + 0.3 / (1.0 + d / 100.0),
    }
}

/// How a place was reached before ranking.
#[derive(Debug, Clone)]
struct Hit {
    idx: u32,
    kind: NameKind,
    /// The index key that matched.
    key: String,
    /// Edits from the query's key, for fuzzy hits.
    distance: u32,
    /// The query was Cyrillic and matched through its Latin spelling.
    via_translit: bool,
    /// Matched by the name without its qualifier ("Kyiv" of "Kyiv region").
    from_base: bool,
    /// For a division found through a place in it ("Belgorod region" through Belgorod), that
    /// place: its prominence, not the division's size, says how likely the reading is.
    via: Option<u32>,
}

impl Hit {
    fn matched(&self) -> &'static str {
        if self.distance > 0 {
            "fuzzy"
        } else if self.via_translit {
            "transliterated"
        } else {
            self.kind.label()
        }
    }

    /// Quality of the match, 0–1: a fuzzy hit keeps part of its kind's quality by similarity.
    fn quality(&self, class: &str, code: &str, qualified: bool) -> f64 {
        let base = match_quality(self.kind, class, code, qualified);
        if self.distance == 0 {
            return if self.via_translit {
                base.min(0.85)
            } else {
                base
            };
        }
        // The search already knows the distance; the matched key stands in for the length.
        let similarity = 1.0 - f64::from(self.distance) / self.key.chars().count().max(1) as f64;
        base * similarity * (0.9 - 0.1 * f64::from(self.distance))
    }
}

/// Most edits tolerated for a key of `chars` characters: none for very short names, whose
/// one-letter neighbours are other real places.
fn max_edits(chars: usize) -> u32 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Index keys to try for `text`: its own key and, for Cyrillic, its Latin spellings.
fn exact_hits(gaz: &Gazetteer, text: &str, from_base: bool, hits: &mut Vec<Hit>) -> Result<()> {
    let key = name_key(text);
    if key.is_empty() {
        return Ok(());
    }
    for (idx, kind) in gaz.postings(&key)? {
        hits.push(Hit {
            idx,
            kind,
            key: key.clone(),
            distance: 0,
            via_translit: false,
            from_base,
            via: None,
        });
    }
    if !hits.iter().any(|h| h.from_base == from_base) {
        for latin in translit::latin_spellings(text) {
            let k = name_key(&latin);
            for (idx, kind) in gaz.postings(&k)? {
                hits.push(Hit {
                    idx,
                    kind,
                    key: k.clone(),
                    distance: 0,
                    via_translit: true,
                    from_base,
                    via: None,
                });
            }
        }
    }
    Ok(())
}

/// Keys within a few edits of `text`'s key: one edit first, two only when one finds nothing.
fn fuzzy_hits(gaz: &Gazetteer, text: &str, from_base: bool, hits: &mut Vec<Hit>) -> Result<()> {
    let key = name_key(text);
    let max = max_edits(key.chars().count());
    for d in 1..=max {
        for fk in gaz.fuzzy_postings(&key, d, 64)? {
            for (idx, kind) in fk.postings {
                hits.push(Hit {
                    idx,
                    kind,
                    key: fk.key.clone(),
                    distance: fk.distance,
                    via_translit: false,
                    from_base,
                    via: None,
                });
            }
        }
        if !hits.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Every place the query could mean, before ranking: exact and transliterated matches of the
/// whole head, then of the name without its qualifier; fuzzy matches only when those find nothing.
fn gather(gaz: &Gazetteer, parsed: &Parsed, opts: &LookupOptions) -> Result<Vec<Hit>> {
    // The caller's country and class limits apply before deciding whether to look for typos:
    // an exact match elsewhere must not hide a one-edit match where the caller is looking.
    let admitted = |hits: &mut Vec<Hit>| -> Result<()> {
        if opts.countries.is_empty() && opts.feature_classes.is_empty() {
            return Ok(());
        }
        let mut keep = Vec::with_capacity(hits.len());
        for h in hits.drain(..) {
            if admits(gaz, opts, h.idx)? {
                keep.push(h);
            }
        }
        *hits = keep;
        Ok(())
    };
    let mut hits = Vec::new();
    exact_hits(gaz, &parsed.head, false, &mut hits)?;
    if let Some(want) = parsed.want {
        // "Kyiv region" is listed as "Kyiv Oblast": try the qualifier's synonyms too.
        for word in want.synonyms() {
            exact_hits(gaz, &format!("{} {word}", parsed.base), false, &mut hits)?;
        }
    }
    if parsed.base != parsed.head {
        exact_hits(gaz, &parsed.base, true, &mut hits)?;
    }
    admitted(&mut hits)?;
    if hits.is_empty() {
        // The bare name first: shorter, so cheaper to search, and the likelier key.
        if parsed.base != parsed.head {
            fuzzy_hits(gaz, &parsed.base, true, &mut hits)?;
        }
        // "Dnoetska oblast": the bare name found only the city; the whole phrase is an oblast.
        let unmet = |hits: &[Hit]| match parsed.want {
            None => false,
            Some(w) => !hits.iter().any(|h| {
                gaz.raw_record(h.idx).is_ok_and(|r| {
                    w.accepts(r.feature_class as char, format::trim_fixed(&r.feature_code))
                })
            }),
        };
        if hits.is_empty() || (parsed.base != parsed.head && unmet(&hits)) {
            fuzzy_hits(gaz, &parsed.head, false, &mut hits)?;
        }
    } else {
        add_weighty_neighbours(gaz, parsed, &mut hits)?;
    }
    admitted(&mut hits)?;
    if let Some(level @ (Want::Admin1 | Want::Admin2)) = parsed.want {
        add_divisions_of_places(gaz, level, &mut hits)?;
    }
    // One hit per place: the best way it was reached.
    let order = |h: &Hit| (h.idx, h.distance, h.from_base, h.via_translit, h.kind);
    hits.sort_by_key(order);
    hits.dedup_by_key(|h| h.idx);
    Ok(hits)
}

fn record_importance(gaz: &Gazetteer, idx: u32) -> Result<f64> {
    let r = gaz.raw_record(idx)?;
    let mut buf = [0u8; 4];
    let class = (r.feature_class as char).encode_utf8(&mut buf);
    Ok(importance(
        class,
        format::trim_fixed(&r.feature_code),
        r.population,
    ))
}

/// When every exact match is minor (a hamlet called "Mnich", "Suma" or "Rosa"), a typo of a much
/// more important place one edit away (Munich, Sumy, Roma) is the likelier meaning: such places
/// join the candidates, and ranking weighs the weaker match against the greater importance.
fn add_weighty_neighbours(gaz: &Gazetteer, parsed: &Parsed, hits: &mut Vec<Hit>) -> Result<()> {
    let mut best = 0.0f64;
    for h in hits.iter() {
        best = best.max(record_importance(gaz, h.idx)?);
    }
    if best >= 0.5 || name_key(&parsed.head).chars().count() < 4 {
        return Ok(());
    }
    let mut near = Vec::new();
    for fk in gaz.fuzzy_postings(&name_key(&parsed.head), 1, 64)? {
        for (idx, kind) in fk.postings {
            if fk.distance == 1 && record_importance(gaz, idx)? >= best + 0.3 {
                near.push(Hit {
                    idx,
                    kind,
                    key: fk.key.clone(),
                    distance: 1,
                    via_translit: false,
                    from_base: false,
                    via: None,
                });
            }
        }
    }
    hits.extend(near);
    Ok(())
}

/// "Belgorod region" when only the city is called Belgorod: the division the place lies in.
fn add_divisions_of_places(gaz: &Gazetteer, level: Want, hits: &mut Vec<Hit>) -> Result<()> {
    let code = if level == Want::Admin1 {
        "ADM1"
    } else {
        "ADM2"
    };
    let has_division = |gaz: &Gazetteer, h: &Hit| {
        gaz.raw_record(h.idx)
            .map(|r| level.accepts(r.feature_class as char, format::trim_fixed(&r.feature_code)))
    };
    for h in hits.iter() {
        if has_division(gaz, h)? {
            return Ok(());
        }
    }
    // Codes from the fixed records; each distinct area is resolved once.
    let area_code = |idx: u32| -> Result<(String, String, String)> {
        let r = gaz.raw_record(idx)?;
        let (cc, a1) = (
            format::trim_fixed(&r.country).to_string(),
            gaz.string(r.admin1_ref)?.to_string(),
        );
        let a2 = if level == Want::Admin1 {
            String::new()
        } else {
            gaz.string(r.admin2_ref)?.to_string()
        };
        Ok((cc, a1, a2))
    };
    // Only a division's seat names it: "Belgorod region" is the oblast Belgorod is the capital
    // of, but "Pacific region" is not Missouri because a town called Pacific lies there.
    let seats: &[&str] = if level == Want::Admin1 {
        &["PPLA", "PPLC"]
    } else {
        &["PPLA", "PPLA2", "PPLC"]
    };
    let mut areas: Vec<((String, String, String), usize)> = Vec::new();
    for (n, h) in hits.iter().enumerate() {
        let r = gaz.raw_record(h.idx)?;
        if r.feature_class != b'P' || !seats.contains(&format::trim_fixed(&r.feature_code)) {
            continue;
        }
        let area = area_code(h.idx)?;
        if !areas.iter().any(|(a, _)| *a == area) {
            areas.push((area, n));
        }
    }
    let mut found = Vec::new();
    for ((cc, a1, a2), n) in areas {
        let h = &hits[n];
        let code_key = if level == Want::Admin1 {
            format!("{cc}.{a1}")
        } else {
            format!("{cc}.{a1}.{a2}")
        };
        let Some(area_name) = gaz.admin_name(&code_key)? else {
            continue;
        };
        let key = name_key(area_name);
        for (idx, kind) in gaz.postings(&key)? {
            let d = gaz.raw_record(idx)?;
            let same = format::trim_fixed(&d.feature_code) == code
                && area_code(idx)? == (cc.clone(), a1.clone(), a2.clone());
            if same {
                found.push(Hit {
                    idx,
                    kind,
                    key: h.key.clone(),
                    distance: h.distance,
                    via_translit: false,
                    from_base: true,
                    via: Some(h.idx),
                });
            }
        }
    }
    hits.extend(found);
    Ok(())
}

/// Whether the record passes the caller's `--country` and `--feature-class` limits.
fn admits(gaz: &Gazetteer, opts: &LookupOptions, idx: u32) -> Result<bool> {
    let r = gaz.raw_record(idx)?;
    let country = format::trim_fixed(&r.country);
    Ok(
        (opts.countries.is_empty() || opts.countries.iter().any(|c| c == country))
            && (opts.feature_classes.is_empty()
                || opts.feature_classes.contains(&(r.feature_class as char))),
    )
}

/// The area a context phrase names: a country, or first-order divisions of one (any of them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Area {
    country: String,
    /// Empty for the whole country.
    admin1: Vec<String>,
}

/// "Skybyn, Kyiv": the phrase's best reading, a city, names its own region (Kyiv City); when
/// the same name is also a first-order division of that country (Kyiv Oblast, around the city),
/// a place qualified by it may lie in either, and notes mostly mean the oblast.
fn resolve_area(gaz: &Gazetteer, text: &str) -> Result<Option<Area>> {
    let opts = LookupOptions {
        limit: 5,
        ..LookupOptions::default()
    };
    let ranked = rank(gaz, &parse(text), &opts, None)?;
    let Some(top) = ranked.first() else {
        return Ok(None);
    };
    let r = gaz.raw_record(top.1.idx)?;
    let country = format::trim_fixed(&r.country).to_string();
    let code = format::trim_fixed(&r.feature_code);
    if format::is_country_code(code) {
        return Ok(Some(Area {
            country,
            admin1: Vec::new(),
        }));
    }
    let mut admin1: Vec<String> = Some(gaz.string(r.admin1_ref)?.to_string())
        .filter(|a| !a.is_empty())
        .into_iter()
        .collect();
    if r.feature_class == b'P' && !admin1.is_empty() {
        for (_, hit) in &ranked[1..] {
            let o = gaz.raw_record(hit.idx)?;
            if hit.distance == 0
                && format::trim_fixed(&o.feature_code) == "ADM1"
                && format::trim_fixed(&o.country) == country
            {
                let a1 = gaz.string(o.admin1_ref)?.to_string();
                if !a1.is_empty() && !admin1.contains(&a1) {
                    admin1.push(a1);
                }
            }
        }
    }
    Ok(Some(Area { country, admin1 }))
}

/// The ISO code of the country `name` names ("Ukraine", "Burkina Faso", "Україна"), if a
/// country's reading is among its first few; `None` for anything else (a failed lookup included).
pub fn country_code_of(gaz: &Gazetteer, name: &str) -> Option<String> {
    let opts = LookupOptions {
        feature_classes: vec!['A'],
        limit: 3,
        ..LookupOptions::default()
    };
    lookup(gaz, name, &opts)
        .ok()?
        .into_iter()
        .find(|c| format::is_country_code(&c.place.feature_code))
        .map(|c| c.place.country_code)
}

/// Scores and orders the hits for a parsed query; `areas` narrows them to the context's places.
fn rank(
    gaz: &Gazetteer,
    parsed: &Parsed,
    opts: &LookupOptions,
    areas: Option<&[Area]>,
) -> Result<Vec<(f64, Hit)>> {
    let mut scored = Vec::new();
    let hits = gather(gaz, parsed, opts)?;
    // "Boulder City" is the Nevada town of that name before it is Boulder, the city.
    let whole_name_is_own = hits.iter().any(|h| {
        !h.from_base && h.distance == 0 && matches!(h.kind, NameKind::Name | NameKind::Ascii)
    });
    // An unqualified first-order division yields to a city of its name only when that city is
    // a town of its name inside it ("Kharkiv", "New York"), a capital of a country or of a
    // first-order division ("Washington", "Gaza") or a city of millions, and to a country of its
    // name. California, Ontario or Delaware alone are the state or province, not a small town;
    // a division of under 100,000 people (a parish of Jersey, a district of Lesotho) never
    // stands firmer than the towns of its name.
    let mut town_areas: Vec<([u8; 2], u32)> = Vec::new();
    let mut outranked = false;
    for hit in hits.iter().filter(|h| h.distance == 0) {
        let r = gaz.raw_record(hit.idx)?;
        let code = format::trim_fixed(&r.feature_code);
        if r.feature_class == b'P' {
            town_areas.push((r.country, r.admin1_ref));
            outranked |= matches!(code, "PPLC" | "PPLA") || r.population >= 1_000_000;
        }
        // Niger the country before Niger State.
        outranked |= format::is_country_code(code);
    }
    for hit in hits {
        let r = gaz.raw_record(hit.idx)?;
        let country = format::trim_fixed(&r.country);
        let class = r.feature_class as char;
        let code = format::trim_fixed(&r.feature_code);
        let mut buf = [0u8; 4];
        let class_str = class.encode_utf8(&mut buf);
        let division_stands = code == "ADM1"
            && r.population >= 100_000
            && hit.distance == 0
            && !outranked
            && !town_areas.contains(&(r.country, r.admin1_ref));
        let quality = hit.quality(class_str, code, parsed.want.is_some() || division_stands);
        let importance = match hit.via {
            Some(place) => record_importance(gaz, place)?,
            None => importance(class_str, code, r.population),
        };
        let near = opts.near.map(|(lat, lon)| {
            distance_km(
                lat,
                lon,
                f64::from(r.lat_e6) / 1e6,
                f64::from(r.lon_e6) / 1e6,
            )
        });
        let mut s = combine(quality, importance, near);
        // "Kyiv region" is the oblast around Kyiv, not the city that is a region of its own:
        // a division named by the whole query, or by another of its names, is the closer match.
        // So for other features named as written: "Zherebets River" is the river that bears that
        // whole name, not a stream merely called Zherebets.
        let whole_name_counts = match parsed.want {
            Some(Want::Admin1 | Want::Admin2) => true,
            Some(Want::Populated) | None => false,
            Some(_) => hit.distance == 0,
        };
        if whole_name_counts && hit.from_base {
            let own_name = hit.kind == NameKind::Name || hit.kind == NameKind::Ascii;
            s *= if own_name { 0.9 } else { 0.95 };
        } else if parsed.want == Some(Want::Populated) && hit.from_base && whole_name_is_own {
            s *= 0.8;
        }
        let wanted = parsed.want.is_none_or(|w| w.accepts(class, code));
        let in_areas = match areas {
            None => true,
            Some(areas) => areas.iter().all(|a| {
                a.country == country
                    && (a.admin1.is_empty()
                        || gaz
                            .string(r.admin1_ref)
                            .is_ok_and(|x| a.admin1.iter().any(|a1| a1 == x)))
            }),
        };
        scored.push((s, wanted, in_areas, r.population, r.geonameid, hit));
    }
    // Context and qualifier narrow the field when anything satisfies them; otherwise they are
    // ignored rather than answering nothing. The region a writer names comes first: a
    // "Kamianske district, Zaporizhia" with no raion of the name there is the town of Kamianske
    // in Zaporizhzhia oblast, not a Kamianskyi raion in another oblast.
    if scored.iter().any(|c| c.2) {
        scored.retain(|c| c.2);
    }
    if scored.iter().any(|c| c.1) {
        scored.retain(|c| c.1);
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.3.cmp(&a.3)).then(a.4.cmp(&b.4)));
    scored.truncate(opts.limit);
    Ok(scored.into_iter().map(|c| (c.0, c.5)).collect())
}

/// The spelling that matched: the query's own spelling when the gazetteer has it, else the first
/// name under the matched key (a Cyrillic name, for a key that is its transliteration).
fn matched_name(gaz: &Gazetteer, hit: &Hit, query: &str, place: &Place) -> Result<String> {
    let query = query.trim();
    if place.name == query || name_key(&place.name) == hit.key {
        return Ok(place.name.clone());
    }
    let alts = gaz.alt_names(hit.idx)?;
    if alts.iter().any(|a| a.name == query) {
        return Ok(query.to_string());
    }
    if let Some(a) = alts.iter().find(|a| name_key(&a.name) == hit.key) {
        return Ok(a.name.clone());
    }
    let spells = |n: &str| {
        translit::latin_spellings(n)
            .iter()
            .any(|l| name_key(l) == hit.key)
    };
    if spells(&place.name) {
        return Ok(place.name.clone());
    }
    Ok(alts
        .into_iter()
        .find(|a| spells(&a.name))
        .map_or_else(|| place.name.clone(), |a| a.name))
}

/// Ranked candidates for `query`, best first.
pub fn lookup(gaz: &Gazetteer, query: &str, opts: &LookupOptions) -> Result<Vec<Candidate>> {
    let parsed = parse(query);
    if name_key(&parsed.head).is_empty() {
        return Ok(Vec::new());
    }
    let mut areas = Vec::new();
    for c in &parsed.context {
        if let Some(a) = resolve_area(gaz, c)? {
            areas.push(a);
        }
    }
    let ranked = rank(
        gaz,
        &parsed,
        opts,
        (!areas.is_empty()).then_some(areas.as_slice()),
    )?;
    ranked
        .into_iter()
        .map(|(score, hit)| {
            let p = gaz.place(hit.idx)?;
            Ok(Candidate {
                matched_name: matched_name(gaz, &hit, &parsed.head, &p)?,
                matched: hit.matched(),
                edit_distance: hit.distance,
                score: (score * 1000.0).round() / 1000.0,
                place: p,
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
        combine(
            match_quality(kind, class, code, false),
            importance(class, code, population),
            None,
        )
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
    fn a_region_is_named_by_its_seat_not_by_any_town_in_it() {
        let gaz = crate::embedded::gazetteer().unwrap();
        let opts = LookupOptions::default();
        let top = |q: &str| {
            lookup(gaz, q, &opts)
                .unwrap()
                .into_iter()
                .next()
                .map(|c| c.place)
        };
        let belgorod = top("Belgorod region").unwrap();
        assert_eq!(
            (
                belgorod.feature_code.as_str(),
                belgorod.country_code.as_str()
            ),
            ("ADM1", "RU")
        );
        // A town called Pacific lies in Missouri; Missouri is not the Pacific region.
        assert!(top("Pacific region").is_none_or(|p| p.name != "Missouri"));
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
    fn near_gives_the_closer_of_two_equal_places_the_higher_score() {
        let (q, imp) = (1.0, 0.5);
        assert!(combine(q, imp, Some(5.0)) > combine(q, imp, Some(500.0)));
        assert!(combine(q, imp, None) > combine(0.5, imp, None));
    }
}
