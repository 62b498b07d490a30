//! Places in a document: every mention `recognize` finds, resolved to one gazetteer place using
//! the whole document — the countries and regions it names, the counties its places lie in, and
//! how close its places lie to each other — besides each name's own ranking.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::gazetteer::{Gazetteer, Place};
use crate::lookup::{distance_km, lookup, Candidate, LookupOptions, Want};
use crate::memo::{remember, Memo, Shared};
use crate::person_names;
use crate::recognize::{recognize, Mention};
use crate::theatre::Prior;
use crate::{lexicon, Result};

/// The words that end GeoNames' names of counties and their like ("Brown County"), from
/// lang/en/county_name_endings.txt.
fn county_name_endings() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        lexicon::entries(include_str!("../../lang/en/county_name_endings.txt")).collect()
    })
}

/// How to read a document.
#[derive(Debug, Clone, Default)]
pub struct PlacesOptions {
    /// Map demonyms ("Russian forces") to their country; off by default, since a people is not a
    /// place.
    pub demonyms: bool,
    /// What the run knows beyond the document: hinted countries and points, the batch's
    /// theatre. Weighs between readings; never filters.
    pub prior: Prior,
}

/// One resolved mention: where it is, the place (its fields flattened into the JSON object), and
/// how sure. Field names are part of the JSON contract.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub mention: String,
    /// Character offsets (Unicode scalar values) into the document text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub place: Place,
    /// 0–1: the name's own ranking adjusted by the document's context.
    pub score: f64,
    /// How the name matched the gazetteer (see `lookup`), or `demonym`.
    pub matched: String,
    /// The place stands for an institution or group ("Britain's Ministry of Defence").
    pub metonymy: bool,
    /// A town or city read without doubt: the only settlement of its name among the readings,
    /// or a large one. A batch's theatre is drawn from these (not part of the JSON output).
    pub sure: bool,
}

/// By hand rather than `#[serde(flatten)]`, which goes through serde's map machinery and cost a
/// tenth of the JSON output; the fields and their order are the same.
impl Serialize for PlaceMention {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let p = &self.place;
        let mut o = s.serialize_struct("PlaceMention", 21)?;
        o.serialize_field("mention", &self.mention)?;
        o.serialize_field("start", &self.start)?;
        o.serialize_field("end", &self.end)?;
        o.serialize_field("geonameid", &p.geonameid)?;
        o.serialize_field("name", &p.name)?;
        o.serialize_field("latitude", &p.latitude)?;
        o.serialize_field("longitude", &p.longitude)?;
        o.serialize_field("feature_class", &p.feature_class)?;
        o.serialize_field("feature_code", &p.feature_code)?;
        o.serialize_field("country_code", &p.country_code)?;
        o.serialize_field("country", &p.country)?;
        o.serialize_field("admin1_code", &p.admin1_code)?;
        o.serialize_field("admin1", &p.admin1)?;
        o.serialize_field("admin2_code", &p.admin2_code)?;
        o.serialize_field("admin2", &p.admin2)?;
        o.serialize_field("admin3_code", &p.admin3_code)?;
        o.serialize_field("admin3", &p.admin3)?;
        o.serialize_field("population", &p.population)?;
        o.serialize_field("score", &self.score)?;
        o.serialize_field("matched", &self.matched)?;
        o.serialize_field("metonymy", &self.metonymy)?;
        o.end()
    }
}

/// The query that asks the gazetteer for a mention: the name with its qualifier word.
fn query_for(m: &Mention) -> String {
    let word = match m.want {
        Some(Want::Admin1) => "region",
        Some(Want::Admin2) => "district",
        Some(Want::River) => "river",
        Some(Want::Reservoir) => "reservoir",
        Some(Want::Lake) => "lake",
        Some(Want::Island) => "island",
        Some(Want::Spit) => "spit",
        Some(Want::Airport) => "airport",
        Some(Want::Bridge) => "bridge",
        Some(Want::Populated) => return format!("village of {}", m.name),
        None => {
            return m
                .name
                .trim_end_matches("'s")
                .trim_end_matches("’s")
                .to_string()
        }
    };
    format!("{} {word}", m.name)
}

/// One mention's candidate readings, best first.
type Readings = Arc<Vec<Candidate>>;

/// `a` and `b` lie within `km` of each other. A degree of latitude is over 110 km everywhere, so
/// most pairs are told apart by their latitudes before any trigonometry.
fn within_km(a: &Place, b: &Place, km: f64) -> bool {
    (a.latitude - b.latitude).abs() * 110.5 < km
        && distance_km(a.latitude, a.longitude, b.latitude, b.longitude) < km
}

/// `lookup` with the options every mention is looked up with, remembered (`memo`).
/// Shared, not copied: a document's readings are only changed in the few places that narrow them.
fn cached_lookup(gaz: &Gazetteer, query: &str, lo: &LookupOptions) -> Result<Readings> {
    thread_local! {
        static LOOKUPS: RefCell<Memo<Readings>> = const { RefCell::new(Memo::new()) };
    }
    static SHARED: Shared<Readings> = Mutex::new(Memo::new());
    remember(&LOOKUPS, &SHARED, gaz, query, || {
        lookup(gaz, query, lo).map(Arc::new)
    })
}

/// The record a demonym names: its country (the top country of that country's own name) or, for
/// a continent's people, its continent.
fn demonym_place(gaz: &Gazetteer, m: &Mention) -> Result<Vec<Candidate>> {
    let Some(d) = crate::demonyms::lookup(&m.name) else {
        return Ok(Vec::new());
    };
    let (name, opts) = match d.place {
        Some(continent) => (
            continent.to_string(),
            LookupOptions {
                feature_classes: vec!['L'],
                limit: 5,
                ..LookupOptions::default()
            },
        ),
        None => {
            let Some(country) = gaz.admin_name(d.country_code)?.map(str::to_string) else {
                return Ok(Vec::new());
            };
            let opts = LookupOptions {
                countries: vec![d.country_code.to_string()],
                feature_classes: vec!['A'],
                limit: 1,
                near: None,
            };
            (country, opts)
        }
    };
    let mut found = lookup(gaz, &name, &opts)?;
    if d.place.is_some() {
        found.retain(|c| c.place.geonameid == d.geonameid);
    }
    Ok(found)
}

/// A country or first-order division: what "X, Y" names as Y.
fn is_area(c: &Candidate) -> bool {
    c.place.feature_code == "ADM1"
        || crate::gazetteer::format::is_country_code(&c.place.feature_code)
}

/// The area `area` (a country or first-order division) contains `place`.
fn holds(area: &Place, place: &Place) -> bool {
    area.country_code == place.country_code
        && (area.feature_code != "ADM1" || area.admin1_code == place.admin1_code)
}

/// A populated place or an administrative division: what a note places in a region.
fn settled(c: &Candidate) -> bool {
    matches!(c.place.feature_class.as_str(), "P" | "A")
}

/// Whether the text between two names joins them into a list: ", ", or a word of
/// lang/en/coordinators.txt with a space after it and a space or ", " before it (" and ",
/// ", or ").
fn list_separator(between: &str) -> bool {
    between == ", "
        || between
            .strip_prefix(", ")
            .or_else(|| between.strip_prefix(' '))
            .and_then(|rest| rest.strip_suffix(' '))
            .is_some_and(|word| crate::recognize::COORDINATORS.contains(word))
}

/// "Maksymivka, Donetsk" is a town named with its region, not a list ("Kharkiv, Sumy and
/// Chernihiv") nor the first of a series of regions: the name is no area or well-known city
/// itself, and the list does not go on past the region.
fn town_in_region(m: &Mention, readings: &[Candidate], k: usize, listed: &[bool]) -> bool {
    let after_list = k > 0 && listed[k - 1];
    let goes_on = listed.get(k + 1).copied().unwrap_or(false);
    m.want.is_none_or(|w| w == Want::Populated)
        && !after_list
        && !goes_on
        && !readings.iter().any(is_area)
        && !readings
            .first()
            .is_some_and(|c| importance_of(&c.place) >= PROMINENT)
}

/// The points of the settlements `text` names without doubt (`PlaceMention::sure`): what a batch's
/// theatre is drawn from. A document that fails to read gives none.
pub fn sure_sites(gaz: &Gazetteer, text: &str, opts: &PlacesOptions) -> Vec<(f64, f64)> {
    places(gaz, text, opts)
        .map(|found| {
            found
                .iter()
                .filter(|m| m.sure && !m.metonymy)
                .map(|m| (m.place.latitude, m.place.longitude))
                .collect()
        })
        .unwrap_or_default()
}

/// Every place mention of `text`, resolved, in order.
pub fn places(gaz: &Gazetteer, text: &str, opts: &PlacesOptions) -> Result<Vec<PlaceMention>> {
    if text.len() <= crate::window::WINDOW_BYTES {
        return places_in(gaz, text, opts);
    }
    let found = places_by_window(gaz, text, opts, |found| found)?;
    Ok(found.into_iter().flatten().collect())
}

/// A long document's places window by window (see `window`), each window's mentions (offsets
/// into the whole text) turned by `keep` into what the caller holds on to, in order. The windows
/// are read in parallel on the current rayon pool; only `keep`'s results are held, so a caller
/// that formats them (`places --format jsonl` on a 100 MB line) need not hold every mention.
pub fn places_by_window<T: Send>(
    gaz: &Gazetteer,
    text: &str,
    opts: &PlacesOptions,
    keep: impl Fn(Vec<PlaceMention>) -> T + Sync,
) -> Result<Vec<T>> {
    crate::window::windows(text)
        .par_iter()
        .map(|&(_, char_start, piece)| {
            let mut found = places_in(gaz, piece, opts)?;
            for m in &mut found {
                m.start += char_start;
                m.end += char_start;
            }
            Ok(keep(found))
        })
        .collect()
}

/// `places` of one window.
fn places_in(gaz: &Gazetteer, text: &str, opts: &PlacesOptions) -> Result<Vec<PlaceMention>> {
    // A text in Ukrainian is about Ukraine more often than not: its namesakes lean there ("у
    // Токмаку" is Tokmak in Zaporizhzhia, not Tokmok in Kyrgyzstan), as with a hinted country.
    let leaning;
    let opts = if opts.prior.countries.is_empty()
        && crate::lang::has_cyrillic(text)
        && crate::lang::detect(crate::window::head(text, LANGUAGE_BYTES)) == crate::lang::Lang::Uk
    {
        leaning = PlacesOptions {
            prior: Prior {
                countries: vec!["UA".to_string()],
                ..opts.prior.clone()
            },
            ..opts.clone()
        };
        &leaning
    } else {
        opts
    };
    let mentions: Vec<Mention> = recognize(gaz, text)?
        .into_iter()
        .filter(|m| opts.demonyms || !m.demonym)
        .collect();
    let lo = LookupOptions {
        limit: 24,
        ..LookupOptions::default()
    };
    // Each name on its own first.
    let mut readings = Vec::with_capacity(mentions.len());
    for m in &mentions {
        readings.push(if m.demonym {
            Arc::new(demonym_place(gaz, m)?)
        } else {
            cached_lookup(gaz, &query_for(m), &lo)?
        });
    }
    // "Paris, Texas", "Albany, New York": a division or country right after a comma narrows the
    // place before it, and is then that division, not a city of its name (not in a list of
    // states: "Iowa, Kansas and Missouri").
    // Mentions come in order, so a cursor moving forward through the text finds where each
    // ends, in bytes (the offsets are in characters).
    let mut cursor = (0, 0);
    let mut byte_of = |offset: usize| {
        // (From the start again should an offset ever go back.)
        let (chars, bytes) = if offset < cursor.0 { (0, 0) } else { cursor };
        let found = text[bytes..]
            .char_indices()
            .nth(offset - chars)
            .map_or(text.len(), |(b, _)| bytes + b);
        cursor = (offset, found);
        found
    };
    // Which neighbours a list separator joins ("Iowa, Kansas and Missouri"), and the text between
    // them, read in one forward pass.
    let mut listed = vec![false; mentions.len()];
    let mut between = vec![""; mentions.len()];
    // Whether a closing bracket follows the name right away.
    let mut closes = vec![false; mentions.len()];
    for k in 0..mentions.len() {
        let m = &mentions[k];
        let from = byte_of(m.end);
        closes[k] = text[from..].starts_with(')');
        let Some(next) = mentions.get(k + 1) else {
            break;
        };
        let gap = next.start - m.end.min(next.start);
        if (2..=DIVISION_GAP).contains(&gap) {
            let to = from
                + text[from..]
                    .char_indices()
                    .nth(gap)
                    .map_or(text.len() - from, |(b, _)| b);
            between[k] = &text[from..to];
        }
        listed[k] = !m.demonym && !next.demonym && list_separator(between[k]);
    }
    // Placed in a region by the name after its comma ("Chepil, Kharkiv"), or by the last of a
    // bracketed list of its divisions ("Stepove (Avdiivka hromada, Pokrovsk raion, Donetsk
    // oblast)", "Sambalgou (Kantchari, Tapoa)"), smallest first as notes write them.
    let region_of = |k: usize| -> Option<usize> {
        match between[k] {
            ", " => Some(k + 1),
            " (" => {
                let mut j = k + 1;
                while j + 1 < mentions.len() && division_comma(between[j]) && !closes[j] {
                    j += 1;
                }
                closes[j].then_some(j)
            }
            _ => None,
        }
    };
    let mut placed = vec![false; mentions.len()];
    for k in 0..mentions.len().saturating_sub(1) {
        let Some(r) = region_of(k) else { continue };
        let (m, next) = (&mentions[k], &mentions[r]);
        let first_is_area = readings[k].first().is_some_and(is_area);
        if m.demonym || next.demonym || first_is_area {
            continue;
        }
        if !readings[r].iter().any(is_area) {
            continue;
        }
        let narrowed = cached_lookup(gaz, &format!("{}, {}", query_for(m), next.name), &lo)?;
        let holding: Vec<Candidate> = match narrowed.first() {
            Some(top) => readings[r]
                .iter()
                .filter(|c| is_area(c) && holds(&c.place, &top.place))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        if !holding.is_empty() {
            // "Chepil, Kharkiv": the writer placed the name in a region, so it is a place (not
            // a surname), and a settlement rather than the stream or hill of its name.
            let mut kept: Vec<Candidate> = narrowed
                .iter()
                .filter(|c| holding.iter().any(|a| holds(&a.place, &c.place)))
                .cloned()
                .collect();
            if m.want.is_none() && kept.iter().any(settled) {
                kept.retain(|c| settled(c) || is_area(c));
            }
            // "Oleksandrivka, Donetsk" is a village of Donetsk oblast, not Donetsk city (which
            // once bore the name): the place before the comma is not the one the region is
            // named after.
            let region_key = crate::normalize::name_key(&next.name);
            let namesake = |c: &Candidate| crate::normalize::name_key(&c.place.name) == region_key;
            if kept.iter().any(|c| !namesake(c)) {
                kept.retain(|c| !namesake(c));
            }
            // "(…, Pokrovsk raion, Donetsk oblast)": a district named in between narrows further.
            for between_names in &readings[k + 1..r] {
                let within = |c: &Candidate| {
                    between_names.iter().any(|d| {
                        d.place.feature_code == "ADM2"
                            && d.place.country_code == c.place.country_code
                            && d.place.admin1_code == c.place.admin1_code
                            && d.place.admin2_code == c.place.admin2_code
                    })
                };
                if kept.iter().any(within) {
                    kept.retain(within);
                }
            }
            readings[k] = Arc::new(kept);
            readings[r] = Arc::new(holding);
            placed[k] = true;
        } else if town_in_region(m, &readings[k], k, &listed) {
            // "Maksymivka, Donetsk" where no Maksymivka of Donetsk oblast is known: the writer
            // put it in that region, so a namesake elsewhere is wrong; the region stands alone.
            readings[k] = Arc::new(Vec::new());
            let areas: Vec<Candidate> =
                readings[r].iter().filter(|c| is_area(c)).cloned().collect();
            readings[r] = Arc::new(areas);
        }
    }
    // "Donetsk - Petrovskyi", "Kyiv – Sviatoshynskyi": a city, a dash and a name is a district of
    // that city (the form ACLED's notes use). The site is the district, found among the city's
    // own divisions and quarters; a district the gazetteer does not know is not a namesake
    // elsewhere, and the city stands alone.
    for k in 0..mentions.len().saturating_sub(1) {
        let (m, next) = (&mentions[k], &mentions[k + 1]);
        if m.demonym || next.demonym || !matches!(between[k], " - " | " – " | " — ") {
            continue;
        }
        let Some(city) = readings[k]
            .first()
            .filter(|c| c.place.feature_class == "P" && c.place.population >= CITY_WITH_DISTRICTS)
            .map(|c| c.place.clone())
        else {
            continue;
        };
        let near_city = LookupOptions {
            limit: 24,
            near: Some((city.latitude, city.longitude)),
            countries: vec![city.country_code.clone()],
            ..LookupOptions::default()
        };
        let as_district = lookup(gaz, &format!("{} district", next.name), &near_city)?;
        let mut inside: Vec<Candidate> = as_district
            .iter()
            .chain(readings[k + 1].iter())
            .filter(|c| {
                c.place.geonameid != city.geonameid && within_km(&c.place, &city, DISTRICT_KM)
            })
            .cloned()
            .collect();
        let mut seen = FxHashSet::default();
        inside.retain(|c| seen.insert(c.place.geonameid));
        if inside.is_empty() {
            readings[k + 1] = Arc::new(Vec::new());
        } else {
            readings[k + 1] = Arc::new(inside);
            readings[k] = Arc::new(Vec::new());
            placed[k + 1] = true;
        }
    }
    // "near Novomykhaylivka, Donetsk. ... shelled Novomykhaylivka": a name placed in its region
    // once keeps that place wherever else the document repeats it.
    for k in 0..mentions.len() {
        if !placed[k] {
            continue;
        }
        let key = crate::normalize::name_key(&mentions[k].name);
        for j in 0..mentions.len() {
            if j != k
                && !placed[j]
                && !mentions[j].demonym
                && mentions[j].want == mentions[k].want
                && crate::normalize::name_key(&mentions[j].name) == key
            {
                readings[j] = readings[k].clone();
            }
        }
    }
    // "California, Oregon, Nevada and Missouri": the names of a list are of one kind. When most
    // of them read first as states or countries, so do the rest, rather than as a cluster of
    // small towns that happen to lie together (California, Nevada and Oregon in Missouri). A
    // prominent city keeps its reading ("France, Germany and Berlin").
    let mut run_start = 0;
    for (k, &joined) in listed.iter().enumerate() {
        if joined {
            continue;
        }
        let run = run_start..k + 1;
        run_start = k + 1;
        if run.len() < 3 {
            continue;
        }
        let areas = run
            .clone()
            .filter(|&i| readings[i].first().is_some_and(is_area))
            .count();
        if areas * 2 <= run.len() {
            continue;
        }
        let kept = |c: &Candidate| is_area(c) || importance_of(&c.place) >= PROMINENT;
        for r in &mut readings[run] {
            if r.iter().any(is_area) && !r.iter().all(kept) {
                Arc::make_mut(r).retain(kept);
            }
        }
    }
    // "the Atlantic", "the Mississippi": with "the", a name that some sea, river or region bears
    // is that feature, not a town or county of its name ("the Georgia delegation" may still be
    // the state or the country).
    for (m, r) in mentions.iter().zip(&mut readings) {
        if !m.definite || m.want.is_some() || m.demonym {
            continue;
        }
        let natural = |c: &Candidate| natural(&c.place);
        let large =
            |c: &Candidate| natural(c) || is_country(&c.place) || c.place.feature_code == "ADM1";
        if r.iter().any(natural) && !r.iter().all(large) {
            Arc::make_mut(r).retain(large);
        }
    }
    // The recogniser found these names as written: a typo reading ("Sahara" as Samara) is only
    // for names nothing in the gazetteer bears.
    for r in &mut readings {
        if r.iter().all(|c| c.edit_distance == 0) {
            continue;
        }
        if r.iter().any(|c| c.edit_distance == 0) {
            Arc::make_mut(r).retain(|c| c.edit_distance == 0);
        }
    }
    // "Neches River" with no river of the name in the gazetteer: a town one letter away
    // (Natchez) is not what the writer meant by a river. (A division's or a town's word still
    // falls back to other places of the name: writers call a town a region and a region a town.)
    for (m, r) in mentions.iter().zip(&mut readings) {
        let Some(want) = m
            .want
            .filter(|w| !matches!(w, Want::Admin1 | Want::Admin2 | Want::Populated))
        else {
            continue;
        };
        let unmet_typo = |c: &Candidate| {
            c.edit_distance > 0
                && !want.accepts(
                    c.place.feature_class.chars().next().unwrap_or(' '),
                    &c.place.feature_code,
                )
        };
        if r.iter().any(unmet_typo) {
            Arc::make_mut(r).retain(|c| !unmet_typo(c));
        }
    }
    // "Brown said": a county is written with its word ("Brown County"). GeoNames lists the bare
    // name as a variant, and when that is a common surname or given name, in prose it is a
    // person ("Oconee" or "Miami-Dade" alone are still the counties).
    for (m, r) in mentions.iter().zip(&mut readings) {
        let bare_county = |c: &Candidate| {
            c.place.feature_code == "ADM2"
                && c.matched != "exact"
                && county_name_endings()
                    .iter()
                    .any(|w| c.place.name.ends_with(w) && !m.name.ends_with(w))
        };
        if m.cue || m.want == Some(Want::Admin2) || !r.iter().any(bare_county) {
            continue;
        }
        let lower = m.name.to_lowercase();
        if person_names::is_surname(&lower) || person_names::is_given(&lower) {
            Arc::make_mut(r).retain(|c| !bare_county(c));
        }
    }
    let found: Vec<(Mention, Readings)> = mentions
        .into_iter()
        .zip(placed)
        .map(|(mut m, placed)| {
            m.cue |= placed;
            m
        })
        .zip(readings)
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let names: Vec<String> = found
        .iter()
        .map(|(m, _)| crate::normalize::name_key(&m.name))
        .collect();
    let nesting = nesting(&found, &names);
    let ids = Ids::of(&found, &names, &opts.prior);
    // Each name's own best reading (a county and its seat preferring each other) gives the
    // document's first picture (its countries, regions and clear places); the readings chosen in
    // one picture give the next, until they settle.
    let first: Vec<Vote> = found
        .iter()
        .enumerate()
        .zip(&nesting)
        .map(|((k, (_, c)), nesting)| {
            let own = |i: usize| c[i].score + nesting[i];
            let mut order: Vec<usize> = (0..c.len()).collect();
            order.sort_by(|&a, &b| own(b).total_cmp(&own(a)));
            let best = order[0];
            Vote::of(
                &ids,
                k,
                &c[best],
                best,
                margin(own(best), order.get(1).map(|&i| own(i))),
            )
        })
        .collect();
    let mut picks = choose_all(&found, &ids, &nesting, &first);
    for _ in 1..ROUNDS {
        let votes: Vec<Vote> = found
            .iter()
            .enumerate()
            .zip(&picks)
            .map(|((k, (_, c)), pick)| match pick {
                Some(p) => Vote::of(&ids, k, &c[p.index], p.index, margin(p.score, p.runner_up))
                    .unless(left_out(
                        &found[k].0,
                        &c[p.index],
                        ids.importance[k][p.index],
                        c,
                        p.near,
                    )),
                None => Vote::of(&ids, k, &c[0], 0, 0.0),
            })
            .collect();
        let next = choose_all(&found, &ids, &nesting, &votes);
        let settled = next
            .iter()
            .zip(&picks)
            .all(|(a, b)| a.map(|p| p.index) == b.map(|p| p.index));
        picks = next;
        if settled {
            break;
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (k, ((m, candidates), pick)) in found.iter().zip(picks).enumerate() {
        let Some(Pick {
            index, score, near, ..
        }) = pick
        else {
            continue;
        };
        let c = &candidates[index];
        if left_out(m, c, ids.importance[k][index], candidates, near) {
            continue;
        }
        out.push(PlaceMention {
            mention: m.text.clone(),
            start: m.start,
            end: m.end,
            place: c.place.clone(),
            score: (score.min(1.0) * 1000.0).round() / 1000.0,
            matched: if m.demonym {
                "demonym".into()
            } else {
                c.matched.to_string()
            },
            metonymy: m.metonymy,
            sure: sure(c, candidates),
        });
    }
    Ok(out)
}

/// A reading not believed to be a place: left out of the output, and from the second picture
/// of the document on it says nothing of the other names ("Johnson" of Johnson & Johnson does
/// not make Washington a town in Kansas). The first picture hears every name, since whether a
/// reading has a place near it is only known once the others are read.
/// `importance` is the reading's `lookup::importance`, worked out once per document in `Ids`.
fn left_out(
    m: &Mention,
    c: &Candidate,
    importance: f64,
    readings: &[Candidate],
    near: bool,
) -> bool {
    unsupported_minor(m, c, importance, near)
        || code_like(m, c, readings)
        || stray_variant(m, c, importance, near)
}

/// A minor place named by a lone capitalised word, with nothing around it that says "place" (a
/// locative word, a qualifier, a place of the document near it), is more often a surname or a
/// company than that hamlet.
fn unsupported_minor(m: &Mention, c: &Candidate, importance: f64, near: bool) -> bool {
    let minor = importance < 0.55;
    // "the Dnipro": a river or a sea with "the" is a reading a writer meant.
    let definite_feature = m.definite && natural(&c.place);
    let supported = m.cue
        || m.want.is_some()
        || m.demonym
        || m.metonymy
        || m.name.contains(' ')
        || near
        || definite_feature;
    minor && !supported
}

/// A word of three letters or fewer that only variant names of places match ("DAC" for Dhaka,
/// "Ken" for Kenya, "Inc." for Yinchuan): airport and country codes, syllables of other
/// scripts' names. A name that some place bears as its own, its short name or its abbreviation
/// ("US", "UK", "D.C.") still counts.
fn code_like(m: &Mention, c: &Candidate, readings: &[Candidate]) -> bool {
    let variant =
        |c: &Candidate| matches!(c.matched, "alternate" | "transliterated" | "colloquial");
    let letters = m.name.chars().filter(|ch| ch.is_alphabetic()).count();
    letters <= 3 && !m.name.contains(' ') && variant(c) && readings.iter().all(variant)
}

/// A lone word that only a variant name of a lesser place matches, with nothing around it that
/// says "place": "Brown" (a variant of Belton), "Northeast" (of North East), "Abbas" (of Fort
/// Abbas). Well-known places keep their variants ("Bombay", "Kiev"), as do other romanisations of
/// the place's own name ("Kupiansk") and renamed places' historic names ("Artemivsk"), which are
/// not `alternate`.
fn stray_variant(m: &Mention, c: &Candidate, importance: f64, near: bool) -> bool {
    let p = &c.place;
    // (A name in Cyrillic is the place's own name in a Ukrainian or Russian text, which
    // GeoNames lists among the alternates.)
    if c.matched != "alternate"
        || m.name.starts_with(crate::lang::is_cyrillic)
        || !matches!(p.feature_class.as_str(), "P" | "A")
        || m.name.contains(' ')
        || m.cue
        || m.want.is_some()
        || m.metonymy
        || near
        || importance >= PROMINENT
    {
        return false;
    }
    // The head of the place's own name is its short form: "Acapulco", "the Mediterranean".
    let head = p
        .name
        .strip_prefix(m.name.as_str())
        .is_some_and(|rest| rest.starts_with([' ', '-']));
    // "Kupiansk" for Kupyansk, "Jabalia" for Jabālyā: the same name in another romanisation.
    let key = crate::normalize::name_key;
    let respelt = strsim::normalized_levenshtein(&key(&m.name), &key(&p.name)) >= 0.75;
    !head && !respelt
}

/// Small numbers for the document's names, and for the country and first-order division of each
/// reading, so that weighing every reading against every vote compares integers, not strings.
struct Ids {
    /// Per mention: its name's number.
    names: Vec<u32>,
    /// Per mention and reading: (country, division); `NO_REGION` when it has no division.
    areas: Vec<Vec<(u32, u32)>>,
    /// Per mention and reading: `lookup::importance`, worked out once, not once per round.
    importance: Vec<Vec<f64>>,
    /// Per mention and reading: what the run's prior adds to it (`theatre::Prior::weights`).
    prior: Vec<Vec<f64>>,
}

const NO_REGION: u32 = u32::MAX;

impl Ids {
    fn of(found: &[(Mention, Readings)], names: &[String], prior: &Prior) -> Ids {
        let mut name_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let names = names
            .iter()
            .map(|n| {
                let next = name_ids.len() as u32;
                *name_ids.entry(n.as_str()).or_insert(next)
            })
            .collect();
        let mut countries: FxHashMap<&str, u32> = FxHashMap::default();
        let mut regions: FxHashMap<(&str, &str), u32> = FxHashMap::default();
        let areas = found
            .iter()
            .map(|(_, candidates)| {
                candidates
                    .iter()
                    .map(|c| {
                        let p = &c.place;
                        let next = countries.len() as u32;
                        let country = *countries.entry(p.country_code.as_str()).or_insert(next);
                        let region = if p.admin1_code.is_empty() {
                            NO_REGION
                        } else {
                            let next = regions.len() as u32;
                            *regions
                                .entry((p.country_code.as_str(), p.admin1_code.as_str()))
                                .or_insert(next)
                        };
                        (country, region)
                    })
                    .collect()
            })
            .collect();
        let importance = found
            .iter()
            .map(|(_, candidates)| candidates.iter().map(|c| importance_of(&c.place)).collect())
            .collect();
        let prior = found
            .iter()
            .map(|(_, candidates)| {
                if prior.is_empty() {
                    vec![0.0; candidates.len()]
                } else {
                    prior.weights(candidates.iter().map(|c| &c.place))
                }
            })
            .collect();
        Ids {
            names,
            areas,
            importance,
            prior,
        }
    }
}

/// What one mention's reading says about the document: a name never votes for itself, since four
/// mentions of "Alexandria" say nothing about which Alexandria it is.
struct Vote<'a> {
    name: u32,
    place: &'a Place,
    country: u32,
    region: u32,
    /// 0.5–1: how clearly the reading beat the next one; 0 for a reading left out as no place.
    weight: f64,
    /// Its point is a division's centre (`spread`), worked out once rather than per reading
    /// weighed against it.
    spread: bool,
}

impl<'a> Vote<'a> {
    /// The vote of mention `k`'s reading `c`, its `index`-th.
    fn of(ids: &Ids, k: usize, c: &'a Candidate, index: usize, margin: f64) -> Vote<'a> {
        let (country, region) = ids.areas[k][index];
        Vote {
            name: ids.names[k],
            place: &c.place,
            country,
            region,
            weight: 0.5 + margin.min(0.5),
            spread: spread(&c.place),
        }
    }

    /// No say at all: the reading is not believed to be a place.
    fn unless(self, silent: bool) -> Vote<'a> {
        Vote {
            weight: if silent { 0.0 } else { self.weight },
            ..self
        }
    }

    /// Clear enough to anchor the places near it.
    fn clear(&self) -> bool {
        self.weight > 0.6
    }
}

fn margin(best: f64, runner_up: Option<f64>) -> f64 {
    best - runner_up.unwrap_or(0.0)
}

/// The reading chosen for a mention.
#[derive(Debug, Clone, Copy)]
struct Pick {
    index: usize,
    score: f64,
    runner_up: Option<f64>,
    /// A clear reading of another name lies near it.
    near: bool,
}

/// How far below a country's importance (in `lookup::importance`) a reading of the same name may
/// lie and still be chosen for the document's context.
const DOMINANCE: f64 = 0.33;

/// How far below the most important reading of its name (in `lookup::importance`) a reading may
/// lie and still draw on the country's share of the document without evidence near it.
const FAR_BELOW: f64 = 0.2;

/// The importance of a reading that a country's share of the document cannot outvote by itself:
/// capitals, cities of some hundreds of thousands, populous first-order divisions.
const PROMINENT: f64 = 0.8;
/// The longest text between two names that `division_comma` reads ("  territorial community, ").
const DIVISION_GAP: usize = 32;
/// How much of a text its language (for the lean of its namesakes) is told from.
const LANGUAGE_BYTES: usize = 16 << 10;

/// ", " or a division's word and a comma ("Avdiivka hromada, Pokrovsk raion"): what separates the
/// divisions of a bracketed list whose words the recogniser did not take into the name.
fn division_comma(between: &str) -> bool {
    let Some(word) = between.strip_suffix(", ") else {
        return false;
    };
    let word = word.trim().to_lowercase();
    word.is_empty()
        || [
            "hromada",
            "community",
            "territorial community",
            "raion",
            "rayon",
            "district",
            "municipality",
            "commune",
            "department",
            "province",
            "region",
            "oblast",
        ]
        .contains(&word.as_str())
}

/// A city large enough to be written with its districts ("Donetsk - Petrovskyi").
const CITY_WITH_DISTRICTS: u64 = 100_000;
/// How far from its city's point a district of it may lie.
const DISTRICT_KM: f64 = 30.0;

/// What a variant-name reading loses beside a place that bears the name itself.
const VARIANT_PENALTY: f64 = 0.15;

/// How many times the document's picture is redrawn from the readings chosen in the last one.
const ROUNDS: usize = 5;

/// What a reading gains when a reading of another name is its county, or a place in it.
const NESTING_BONUS: f64 = 0.1;

type CountyKey<'a> = (&'a str, &'a str, &'a str);

/// For each reading of each mention: `NESTING_BONUS` when another name of the document has a
/// reading that is its second-order division, or lies in it, else 0 ("Huntsville" beside "Walker County" is the
/// Huntsville that is Walker County's seat). Unlike the votes, this looks at every reading, so two
/// ambiguous names can settle each other.
fn nesting(found: &[(Mention, Readings)], names: &[String]) -> Vec<Vec<f64>> {
    fn key(p: &Place) -> Option<CountyKey<'_>> {
        (!p.admin2_code.is_empty()).then_some((
            p.country_code.as_str(),
            p.admin1_code.as_str(),
            p.admin2_code.as_str(),
        ))
    }
    let mut counties: FxHashMap<CountyKey, FxHashSet<&str>> = FxHashMap::default();
    let mut inside: FxHashMap<CountyKey, FxHashSet<&str>> = FxHashMap::default();
    for ((_, candidates), name) in found.iter().zip(names) {
        for c in candidates.iter() {
            if let Some(k) = key(&c.place) {
                let map = if c.place.feature_code == "ADM2" {
                    &mut counties
                } else {
                    &mut inside
                };
                map.entry(k).or_default().insert(name.as_str());
            }
        }
    }
    let by_other = |map: &FxHashMap<CountyKey, FxHashSet<&str>>, k: CountyKey, own: &str| {
        map.get(&k).is_some_and(|s| s.iter().any(|n| *n != own))
    };
    found
        .iter()
        .zip(names)
        .map(|((_, candidates), name)| {
            candidates
                .iter()
                .map(|c| {
                    let nested = match key(&c.place) {
                        Some(k) if c.place.feature_code == "ADM2" => by_other(&inside, k, name),
                        Some(k) => by_other(&counties, k, name),
                        None => false,
                    };
                    if nested {
                        NESTING_BONUS
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Every mention's reading, in the light of the others' `votes`.
fn choose_all(
    found: &[(Mention, Readings)],
    ids: &Ids,
    nesting: &[Vec<f64>],
    votes: &[Vote],
) -> Vec<Option<Pick>> {
    found
        .iter()
        .enumerate()
        .zip(nesting)
        .map(|((k, (_, candidates)), nesting)| {
            let name = ids.names[k];
            let mut others: Vec<&Vote> = Vec::with_capacity(votes.len());
            others.extend(votes.iter().filter(|v| v.name != name));
            choose(
                candidates,
                &ids.areas[k],
                &ids.importance[k],
                nesting,
                &ids.prior[k],
                &others,
            )
        })
        .collect()
}

/// The name matched is a respelling of the place's own name ("Zaporizhzhia" of Zaporizhzhya),
/// long enough that the likeness means something.
fn respelling(c: &Candidate) -> bool {
    let (a, b) = (c.matched_name.to_lowercase(), c.place.name.to_lowercase());
    a.chars().count() >= 7 && strsim::normalized_levenshtein(&a, &b) >= 0.75
}

fn choose(
    candidates: &[Candidate],
    areas: &[(u32, u32)],
    imps: &[f64],
    nesting: &[f64],
    prior: &[f64],
    others: &[&Vote],
) -> Option<Pick> {
    // Context weighs between readings of like standing; it does not turn "China" into a village
    // in Maine because the story is American. Only a country's name is held this firmly: a
    // city's homonyms are what context is for.
    let country_importance = candidates
        .iter()
        .zip(imps)
        .filter(|(c, _)| is_country(&c.place))
        .map(|(_, &i)| i)
        .fold(f64::INFINITY, f64::min);
    // A city's homonyms are what context is for, but a country's worth of other places does not
    // make "Paris" a town in Texas: a reading far below the name's prominent one needs evidence
    // near it (a place of its region or close by, its county).
    let top_importance = imps.iter().copied().fold(0.0, f64::max);
    let total: f64 = others.iter().map(|v| v.weight).sum();
    // Running text uses a place's own name: where some place bears the name itself, a place
    // that merely lists it among its variants (a former name, a neighbour's name) needs more.
    // A spelling of a city's own name far above the hamlet that bears it ("Zaporizhzhia", the
    // city of 700,000, not the village) keeps its lead; other variants (translations, codes,
    // short forms: "White House" for Casablanca) do not.
    let best_exact = candidates
        .iter()
        .filter(|c| c.matched == "exact")
        .map(|c| c.score)
        .fold(None, |a: Option<f64>, s| Some(a.map_or(s, |a| a.max(s))));
    let mut picks: Vec<Pick> = Vec::new();
    for (index, c) in candidates.iter().enumerate() {
        let imp = imps[index];
        if country_importance.is_finite() && country_importance - imp > DOMINANCE {
            continue;
        }
        let p = &c.place;
        let (p_country, p_region) = areas[index];
        let country = is_country(p);
        let division = p.feature_code == "ADM1";
        // One pass over the others' votes: their shares in this reading's country and in its
        // first-order division ("Alexandria" in a story about Virginia; a country holds every
        // region of its own: "Mexico" beside "Mexico City" is the country), whether a clear one
        // lies in its division, and whether one lies near it (a country or a first-order
        // division is near whatever lies in it: its point says little of its extent).
        let (mut in_country, mut in_region) = (0.0, 0.0);
        let (mut region_anchor, mut near) = (false, false);
        for v in others {
            let same_country = v.country == p_country;
            let same_region = same_country && v.region != NO_REGION && v.region == p_region;
            if same_country {
                in_country += v.weight;
                if v.region != NO_REGION && (country || v.region == p_region) {
                    in_region += v.weight;
                }
            }
            if v.clear() {
                region_anchor |= same_region;
                near = near
                    || (country && same_country)
                    || (division && same_region)
                    || (!v.spread && within_km(v.place, p, 150.0));
            }
        }
        if total > 0.0 {
            in_country /= total;
            in_region /= total;
        }
        let local = region_anchor || near || nesting[index] > 0.0;
        let in_country =
            if top_importance >= PROMINENT && top_importance - imp > FAR_BELOW && !local {
                0.0
            } else {
                in_country
            };
        let score = 0.6 * c.score
            + 0.2 * in_country
            + if in_region > 0.0 { 0.1 } else { 0.0 }
            + 0.1 * in_region
            + if near { 0.1 } else { 0.0 }
            + nesting[index]
            + prior[index]
            - if !matches!(c.matched, "exact" | "abbreviation")
                && best_exact.is_some_and(|b| c.score < b + VARIANT_PENALTY || !respelling(c))
            {
                VARIANT_PENALTY
            } else {
                0.0
            };
        picks.push(Pick {
            index,
            score,
            runner_up: None,
            near,
        });
    }
    picks.sort_by(|a, b| b.score.total_cmp(&a.score));
    let runner_up = picks.get(1).map(|p| p.score);
    picks.first().map(|p| Pick { runner_up, ..*p })
}

/// A settlement read without doubt: no other settlement among its name's readings, or one of
/// 50,000 people or more.
pub(crate) fn sure(c: &Candidate, readings: &[Candidate]) -> bool {
    let p = &c.place;
    p.feature_class == "P"
        && (p.population >= 50_000
            || readings
                .iter()
                .filter(|r| r.place.feature_class == "P")
                .count()
                == 1)
}

/// Water, terrain, regions, undersea and vegetation features: the things "the" names.
fn natural(p: &Place) -> bool {
    matches!(p.feature_class.as_str(), "H" | "L" | "T" | "U" | "V")
}

fn importance_of(p: &Place) -> f64 {
    crate::lookup::importance(&p.feature_class, &p.feature_code, p.population)
}

/// A first-order division: its point is a centre, and a town 100 km from the middle of Missouri
/// is no nearer the story than one at its edge, so a vote for a division makes nothing near by
/// distance. (A country's point still counts: beside the small countries of the Levant, "Gaza"
/// near Israel's point is the Gaza of Palestine.)
fn spread(p: &Place) -> bool {
    p.feature_code == "ADM1"
}

fn is_country(p: &Place) -> bool {
    crate::gazetteer::format::is_country_code(&p.feature_code)
}

#[cfg(test)]
mod tests;
