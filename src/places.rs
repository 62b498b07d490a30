//! Places in a document: every mention `recognize` finds, resolved to one gazetteer place using
//! the whole document — the countries it names and how close its places lie to each other —
//! besides each name's own ranking.

use serde::Serialize;

use crate::gazetteer::{Gazetteer, Place};
use crate::lookup::{distance_km, lookup, Candidate, LookupOptions, Want};
use crate::recognize::{recognize, Mention};
use crate::Result;

/// How to read a document.
#[derive(Debug, Clone, Default)]
pub struct PlacesOptions {
    /// Map demonyms ("Russian forces") to their country; off by default, since a people is not a
    /// place.
    pub demonyms: bool,
}

/// One resolved mention: where it is, the place (its fields flattened into the JSON object), and
/// how sure. Field names are part of the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceMention {
    pub mention: String,
    /// Character offsets (Unicode scalar values) into the document text, end exclusive.
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub place: Place,
    /// 0–1: the name's own ranking adjusted by the document's context.
    pub score: f64,
    /// How the name matched the gazetteer (see `lookup`), or `demonym`.
    pub matched: String,
    /// The place stands for an institution or group ("Britain's Ministry of Defence").
    pub metonymy: bool,
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

/// The country record a demonym names: the top country of that country's own name.
fn demonym_country(gaz: &Gazetteer, m: &Mention) -> Result<Vec<Candidate>> {
    let Some(d) = crate::demonyms::lookup(&m.name) else {
        return Ok(Vec::new());
    };
    let Some(country) = gaz.admin_name(d.country_code)?.map(str::to_string) else {
        return Ok(Vec::new());
    };
    let opts = LookupOptions {
        countries: vec![d.country_code.to_string()],
        feature_classes: vec!['A'],
        limit: 1,
        near: None,
    };
    lookup(gaz, &country, &opts)
}

/// Every place mention of `text`, resolved, in order.
pub fn places(gaz: &Gazetteer, text: &str, opts: &PlacesOptions) -> Result<Vec<PlaceMention>> {
    let mentions: Vec<Mention> = recognize(gaz, text)?
        .into_iter()
        .filter(|m| opts.demonyms || !m.demonym)
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let lo = LookupOptions {
        limit: 8,
        ..LookupOptions::default()
    };
    // Each name on its own first.
    let mut readings = Vec::with_capacity(mentions.len());
    for m in &mentions {
        readings.push(if m.demonym {
            demonym_country(gaz, m)?
        } else {
            lookup(gaz, &query_for(m), &lo)?
        });
    }
    // "Paris, Texas": a division or country right after a comma narrows the place before it
    // (not in a list of states: "Iowa, Kansas and Missouri").
    let is_area = |c: &[Candidate]| {
        c.first().is_some_and(|c| {
            c.place.feature_code == "ADM1"
                || crate::gazetteer::format::is_country_code(&c.place.feature_code)
        })
    };
    for k in 0..mentions.len().saturating_sub(1) {
        let (m, next) = (&mentions[k], &mentions[k + 1]);
        let between: String = chars[m.end.min(chars.len())..next.start.min(chars.len())]
            .iter()
            .collect();
        if !m.demonym
            && !next.demonym
            && between == ", "
            && !is_area(&readings[k])
            && is_area(&readings[k + 1])
        {
            readings[k] = lookup(gaz, &format!("{}, {}", query_for(m), next.name), &lo)?;
        }
    }
    let found: Vec<(Mention, Vec<Candidate>)> = mentions
        .into_iter()
        .zip(readings)
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let names: Vec<String> = found
        .iter()
        .map(|(m, _)| crate::normalize::name_key(&m.name))
        .collect();
    // The document's countries, weighted by how confidently each mention's best reading lies in
    // them; a mention whose reading is clear anchors the places near it. A name never votes for
    // itself: four mentions of "Alexandria" say nothing about which Alexandria it is.
    let votes: Vec<(&str, &str, f64)> = found
        .iter()
        .zip(&names)
        .map(|((_, c), name)| {
            let margin = c[0].score - c.get(1).map_or(0.0, |s| s.score);
            (
                name.as_str(),
                c[0].place.country_code.as_str(),
                0.5 + margin.min(0.5),
            )
        })
        .collect();
    let share_for = |name: &str, cc: &str| -> f64 {
        let others = votes.iter().filter(|(n, _, _)| *n != name);
        let total: f64 = others.clone().map(|(_, _, w)| w).sum();
        if total <= 0.0 {
            return 0.0;
        }
        others
            .filter(|(_, c, _)| *c == cc)
            .map(|(_, _, w)| w)
            .sum::<f64>()
            / total
    };
    // First-order divisions the document names or lies in ("Alexandria" in a story about Virginia).
    let regions: Vec<(usize, String, String)> = found
        .iter()
        .enumerate()
        .filter(|(_, (_, c))| !c[0].place.admin1_code.is_empty())
        .map(|(k, (_, c))| {
            (
                k,
                c[0].place.country_code.clone(),
                c[0].place.admin1_code.clone(),
            )
        })
        .collect();
    // (mention index, point) of each clear reading; a name never supports itself.
    let anchors: Vec<(usize, f64, f64, String)> = found
        .iter()
        .enumerate()
        .filter(|(_, (_, c))| c.len() == 1 || c[0].score - c[1].score > 0.1)
        .map(|(k, (_, c))| {
            (
                k,
                c[0].place.latitude,
                c[0].place.longitude,
                c[0].place.country_code.clone(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(found.len());
    for (k, (m, candidates)) in found.iter().enumerate() {
        let mut best: Option<(f64, &Candidate, bool)> = None;
        for c in candidates {
            let share = share_for(&names[k], &c.place.country_code);
            // A country is near whatever lies in it: its point says little of its extent.
            let country = crate::gazetteer::format::is_country_code(&c.place.feature_code);
            let near =
                anchors
                    .iter()
                    .filter(|(a, ..)| names[*a] != names[k])
                    .any(|(_, lat, lon, cc)| {
                        (country && *cc == c.place.country_code)
                            || distance_km(*lat, *lon, c.place.latitude, c.place.longitude) < 150.0
                    });
            // A country holds every region of its own: "Mexico" beside "Mexico City" is the country.
            let in_region = regions.iter().any(|(a, cc, a1)| {
                names[*a] != names[k]
                    && *cc == c.place.country_code
                    && (country || *a1 == c.place.admin1_code)
            });
            let s = 0.6 * c.score
                + 0.2 * share
                + if near { 0.1 } else { 0.0 }
                + if in_region { 0.1 } else { 0.0 };
            if best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, c, near));
            }
        }
        let Some((score, c, near)) = best else {
            continue;
        };
        // A minor place named by a lone capitalised word, with nothing around it that says
        // "place" (a locative word, a qualifier, a nearby place of the document), is more often
        // a surname or a company than that hamlet.
        let minor = crate::lookup::importance(
            &c.place.feature_class,
            &c.place.feature_code,
            c.place.population,
        ) < 0.55;
        let supported =
            m.cue || m.want.is_some() || m.demonym || m.metonymy || m.name.contains(' ') || near;
        if minor && !supported {
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
        });
    }
    Ok(out)
}
