//! Demonyms ("Russian", "Syrians") and the one country each names, from `gazetteer/demonyms.tsv`.
//! The recogniser uses them when asked to map demonyms to countries.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalize::name_key;

static TABLE: &str = include_str!("../gazetteer/demonyms.tsv");

/// The country a demonym names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demonym {
    pub country_code: &'static str,
    pub geonameid: u32,
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
                Some((
                    name_key(word),
                    Demonym {
                        country_code: cc,
                        geonameid: id,
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
    fn leaves_out_words_that_name_no_single_country() {
        assert_eq!(lookup("European"), None);
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
        assert!(
            rows.iter().all(|l| l.split('\t').count() == 3),
            "a row without three columns"
        );
        let keys: std::collections::HashSet<String> = rows
            .iter()
            .map(|l| name_key(l.split('\t').next().unwrap()))
            .collect();
        assert_eq!(len(), keys.len());
    }
}
