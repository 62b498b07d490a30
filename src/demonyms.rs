//! Demonyms ("Russian", "Syrians") and the one country each names, from `gazetteer/demonyms.tsv`.
//! The recogniser uses them when asked to map demonyms to countries.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalize::name_key;

static TABLE: &str = include_str!("../gazetteer/demonyms.tsv");

/// The country a demonym names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demonym {
    /// The country's ISO code; empty for a continent's or world region's people ("European").
    pub country_code: &'static str,
    pub geonameid: u32,
    /// The continent's or region's name ("Middle East"), for its people; None for a country's.
    pub place: Option<&'static str>,
}

fn table() -> &'static HashMap<String, Demonym> {
    static MAP: OnceLock<HashMap<String, Demonym>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let (word, cc, id) = (
                    cols.next()?,
                    cols.next()?,
                    cols.next()?.trim().parse().ok()?,
                );
                let place = cols.next().map(str::trim).filter(|p| !p.is_empty());
                Some((
                    name_key(word),
                    Demonym {
                        country_code: cc,
                        geonameid: id,
                        place,
                    },
                ))
            })
            .collect()
    })
}

/// The country `word` is the demonym of, if any ("Ukrainian" → UA), in any case.
pub fn lookup(word: &str) -> Option<Demonym> {
    table().get(&name_key(word)).copied()
}

/// Number of demonym forms in the table.
pub fn len() -> usize {
    table().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_adjectives_and_plurals_to_one_country() {
        assert_eq!(lookup("Russian").map(|d| d.country_code), Some("RU"));
        assert_eq!(lookup("Ukrainians").map(|d| d.geonameid), Some(690791));
        assert_eq!(lookup("syrian").map(|d| d.country_code), Some("SY"));
        assert_eq!(lookup("British").map(|d| d.country_code), Some("GB"));
    }

    #[test]
    fn continents_peoples_name_their_continent() {
        let d = lookup("Europeans").unwrap();
        assert_eq!(
            (d.country_code, d.geonameid, d.place),
            ("", 6255148, Some("Europe"))
        );
        assert_eq!(lookup("African").and_then(|d| d.place), Some("Africa"));
    }

    #[test]
    fn leaves_out_words_that_name_no_single_country() {
        assert_eq!(lookup("Arab"), None);
        assert_eq!(lookup("Congolese"), None);
        assert_eq!(lookup("Bakhmut"), None);
    }

    #[test]
    fn every_row_parses() {
        let rows: Vec<&str> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert!(rows.len() > 300);
        for l in &rows {
            let cols: Vec<&str> = l.split('\t').collect();
            // A country's people: three columns; a continent's: no country, and its name fourth.
            let ok = match cols.as_slice() {
                [_, cc, _] => cc.len() == 2,
                [_, "", _, name] => !name.is_empty(),
                _ => false,
            };
            assert!(ok, "malformed row {l:?}");
        }
        let keys: std::collections::HashSet<String> = rows
            .iter()
            .map(|l| name_key(l.split('\t').next().unwrap()))
            .collect();
        assert_eq!(len(), keys.len());
    }
}
