//! Demonyms ("Russian", "Syrians") and the one country each names, from `gazetteer/demonyms.tsv`.
//! The recogniser uses them when asked to map demonyms to countries.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

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

fn table() -> &'static FxHashMap<String, Demonym> {
    static MAP: OnceLock<FxHashMap<String, Demonym>> = OnceLock::new();
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
    // The recogniser asks about every capitalised word and pair of words. Plain ASCII words with
    // single spaces between them have their lower case as their key, folded on the stack instead
    // of allocated.
    let mut buf = [0u8; 32];
    let b = word.as_bytes();
    let plain = b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && !word.contains("  ");
    if word.len() <= buf.len() && plain {
        let key = &mut buf[..word.len()];
        key.copy_from_slice(word.as_bytes());
        key.make_ascii_lowercase();
        let key = std::str::from_utf8(key).ok()?;
        return table().get(key).copied();
    }
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
    fn every_spelling_of_a_word_meets_the_same_key() {
        // Plain words and pairs take the stack path; doubled or edge spaces, hyphens and
        // apostrophes the general one.
        for word in [
            "UKRAINIANS",
            "Ukrainians",
            "Middle Eastern",
            "MIDDLE EASTERN",
            "Sri Lankan",
            "Sri  Lankan",
            " Sri Lankan",
            "Sri Lankan ",
            "Sri-Lankan",
            "Sri Lankan’s",
        ] {
            assert_eq!(
                lookup(word),
                table().get(&name_key(word)).copied(),
                "{word}"
            );
        }
        assert_eq!(lookup("UKRAINIANS").map(|d| d.country_code), Some("UA"));
        assert!(lookup("Middle Eastern").is_some());
        assert_eq!(lookup("Sri Lankan").map(|d| d.country_code), Some("LK"));
        assert_eq!(lookup("Ukrainian's"), lookup("Ukrainians"));
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
