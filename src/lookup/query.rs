//! Reading a lookup query the way a reporter writes it: a place-type word bound to the name
//! ("Donetsk region", "Zherebets River", "the village of Krasna Hora") and places after commas
//! that narrow it down ("Kyiv, Ukraine", "Bakhmut, Donetsk"). The words are those of
//! lang/en/query_prefixes.tsv and lang/en/query_qualifiers.tsv.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The kind of place a qualifier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// oblast, region, province, governorate, state
    Admin1,
    /// raion, district, county
    Admin2,
    /// city, town, village, settlement
    Populated,
    River,
    Reservoir,
    Lake,
    Island,
    Spit,
    Airport,
    Bridge,
}

impl Want {
    /// Other words for the same qualifier, under which gazetteers list such places
    /// (lang/en/gazetteer_qualifiers.tsv).
    pub fn synonyms(self) -> &'static [&'static str] {
        static TABLE: OnceLock<Vec<(Want, Vec<&'static str>)>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut table: Vec<(Want, Vec<&'static str>)> = Vec::new();
            let text = include_str!("../../lang/en/gazetteer_qualifiers.tsv");
            for (word, want, _) in want_rows(text, "") {
                match table.iter_mut().find(|(w, _)| *w == want) {
                    Some((_, words)) => words.push(word),
                    None => table.push((want, vec![word])),
                }
            }
            table
        });
        table
            .iter()
            .find(|(w, _)| *w == self)
            .map_or(&[], |(_, words)| words.as_slice())
    }

    /// A want as the language files name it: `admin1`, `admin2`, `populated`, `river`,
    /// `reservoir`, `lake`, `island`, `spit`, `airport`, `bridge`.
    pub fn named(name: &str) -> Option<Want> {
        Some(match name {
            "admin1" => Want::Admin1,
            "admin2" => Want::Admin2,
            "populated" => Want::Populated,
            "river" => Want::River,
            "reservoir" => Want::Reservoir,
            "lake" => Want::Lake,
            "island" => Want::Island,
            "spit" => Want::Spit,
            "airport" => Want::Airport,
            "bridge" => Want::Bridge,
            _ => return None,
        })
    }
    /// Whether a place of this GeoNames class and code is what the qualifier asks for.
    pub fn accepts(self, class: char, code: &str) -> bool {
        match self {
            // "Donbas region", "Kursk region": a first-order division, or a named region.
            Want::Admin1 => code == "ADM1" || code == "RGN" || code == "ADMD",
            Want::Admin2 => code == "ADM2" || code == "ADM3",
            Want::Populated => class == 'P',
            Want::River => code.starts_with("STM") || code == "CNL",
            Want::Reservoir => code == "RSV" || code == "LK",
            Want::Lake => code.starts_with("LK") || code == "RSV",
            Want::Island => code.starts_with("ISL") || code == "SPIT",
            Want::Spit => code == "SPIT" || code.starts_with("ISL") || code == "PEN",
            Want::Airport => code.starts_with("AIR"),
            Want::Bridge => code == "BDG",
        }
    }
}

/// A query taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The name without its qualifier (equal to the query's head when there is none).
    pub base: String,
    /// The query before any comma, qualifier included.
    pub head: String,
    pub want: Option<Want>,
    /// Places named after commas, nearest first: "Bakhmut, Donetsk, Ukraine" → [Donetsk, Ukraine].
    pub context: Vec<String>,
}

/// The rows of a table file of place-type words, `word<TAB>want[<TAB>flag]`, in order, with
/// whether the row carries `flag` (the one word its file may put in the third column). A row
/// that names no want, or another flag, is a mistake in the file: reading the table panics, and
/// the tests read every table.
pub(crate) fn want_rows(
    text: &'static str,
    flag: &'static str,
) -> impl Iterator<Item = (&'static str, Want, bool)> {
    crate::lexicon::rows(text).map(move |row| {
        let want = row.get(1).and_then(|w| Want::named(w));
        let flagged = match row.get(2) {
            None => Some(false),
            Some(f) => (!flag.is_empty() && *f == flag).then_some(true),
        };
        match (want, flagged, row.len() <= 3) {
            (Some(want), Some(flagged), true) => (row[0], want, flagged),
            _ => panic!("a row of a place-type table reads wrong: {row:?}"),
        }
    })
}

/// The phrases before a name that choose its kind ("the village of "), in the order tried
/// (lang/en/query_prefixes.tsv), each with the space that follows it.
fn prefixes() -> &'static [(String, Want)] {
    static TABLE: OnceLock<Vec<(String, Want)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        want_rows(include_str!("../../lang/en/query_prefixes.tsv"), "")
            .map(|(phrase, want, _)| (format!("{phrase} "), want))
            .collect()
    })
}

/// The place-type words that end a query (lang/en/query_qualifiers.tsv).
struct Suffixes {
    /// Each word's want.
    words: FxHashMap<&'static str, Want>,
    /// The words also recognised with one typing error, in the order tried.
    typo: Vec<(&'static str, Want)>,
}

fn suffixes() -> &'static Suffixes {
    static TABLE: OnceLock<Suffixes> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows: Vec<_> =
            want_rows(include_str!("../../lang/en/query_qualifiers.tsv"), "typo").collect();
        Suffixes {
            words: rows.iter().map(|&(w, want, _)| (w, want)).collect(),
            typo: rows
                .iter()
                .filter(|&&(_, _, typo)| typo)
                .map(|&(w, want, _)| (w, want))
                .collect(),
        }
    })
}

fn suffix_want(word: &str) -> Option<Want> {
    match suffixes().words.get(word) {
        Some(&want) => Some(want),
        None => fuzzy_suffix_want(word),
    }
}

/// Qualifier words of five letters or more, recognised with one typing error ("regoin", "Rievr").
fn fuzzy_suffix_want(word: &str) -> Option<Want> {
    if word.chars().count() < 5 {
        return None;
    }
    suffixes()
        .typo
        .iter()
        .find(|(w, _)| strsim::osa_distance(word, w) == 1)
        .map(|&(_, want)| want)
}

pub fn parse(query: &str) -> Parsed {
    let mut parts = query.split(',').map(str::trim).filter(|p| !p.is_empty());
    let head = parts.next().unwrap_or("").to_string();
    let context: Vec<String> = parts.map(str::to_string).collect();
    let lower = head.to_lowercase();
    for (prefix, want) in prefixes() {
        if lower.starts_with(prefix.as_str()) && lower.len() > prefix.len() {
            let base = head[prefix.len()..].trim().to_string();
            return Parsed {
                base,
                head,
                want: Some(*want),
                context,
            };
        }
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.len() >= 2 {
        let last = words[words.len() - 1].to_lowercase();
        if let Some(want) = suffix_want(&last) {
            let base = words[..words.len() - 1].join(" ");
            return Parsed {
                base,
                head,
                want: Some(want),
                context,
            };
        }
    }
    Parsed {
        base: head.clone(),
        head,
        want: None,
        context,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_place_type_words_to_the_name() {
        let p = parse("Donetsk region");
        assert_eq!((p.base.as_str(), p.want), ("Donetsk", Some(Want::Admin1)));
        let p = parse("Zherberets River");
        assert_eq!((p.base.as_str(), p.want), ("Zherberets", Some(Want::River)));
        let p = parse("the village of Krasna Hora");
        assert_eq!(
            (p.base.as_str(), p.want),
            ("Krasna Hora", Some(Want::Populated))
        );
        let p = parse("Донецька область");
        assert_eq!((p.base.as_str(), p.want), ("Донецька", Some(Want::Admin1)));
        assert_eq!(parse("Kharkiv").want, None);
        assert_eq!(parse("Sumy regoin").want, Some(Want::Admin1));
        assert_eq!(parse("Zaporizhzhia regio").base, "Zaporizhzhia");
        // Short words are never guessed at: "Rivne" is a city, not a river.
        assert_eq!(parse("Velyka Rivne").want, None);
        // A lone qualifier word is a name ("Region" is not an empty region).
        assert_eq!(parse("Region").base, "Region");
    }

    #[test]
    fn commas_give_context() {
        let p = parse("Bakhmut, Donetsk, Ukraine");
        assert_eq!(p.base, "Bakhmut");
        assert_eq!(p.context, ["Donetsk", "Ukraine"]);
        let p = parse("Krasna Hora, Donetsk region");
        assert_eq!(p.context, ["Donetsk region"]);
        assert_eq!(parse("Kyiv,").context, Vec::<String>::new());
    }

    #[test]
    fn wants_accept_the_right_features() {
        assert!(Want::Admin1.accepts('A', "ADM1"));
        assert!(!Want::Admin1.accepts('P', "PPLA"));
        assert!(Want::River.accepts('H', "STM"));
        assert!(!Want::River.accepts('P', "PPL"));
        assert!(Want::Populated.accepts('P', "PPLA2"));
    }

    #[test]
    fn qualifier_words_come_from_the_language_files() {
        assert_eq!(Want::Admin1.synonyms(), ["oblast", "region", "province"]);
        assert_eq!(Want::Admin2.synonyms(), ["raion", "district", "rayon"]);
        assert!(Want::River.synonyms().is_empty());
        assert_eq!(
            parse("the settlement of Soledar").want,
            Some(Want::Populated)
        );
        assert_eq!(parse("river Donets").base, "Donets");
        assert_eq!(parse("Hostomel airfield").want, Some(Want::Airport));
        assert_eq!(parse("Kyiv oblast’").want, Some(Want::Admin1));
        assert_eq!(parse("Kyiv vilage").want, Some(Want::Populated));
        assert_eq!(parse("Сіверський Донець річка").want, Some(Want::River));
    }
}
