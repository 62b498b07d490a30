//! Who took part: ACLED-style actor names from a clause ("Russian forces" → Military Forces of
//! Russia, "Wagner" → Wagner Group, "protesters" → Protesters (Kenya)).

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::lang::{self, Lang};
use crate::lexicon;

/// An actor named in a clause; offsets are bytes into the clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    State,
    Police,
    Group,
    Protesters,
    Rioters,
    Civilians,
    Unidentified,
}

static TABLE: &str = include_str!("../../lang/en/events_actors.tsv");

/// One row of `lang/en/events_actors.tsv`: a named actor, its category and the words that name it.
struct Named {
    name: &'static str,
    category: &'static str,
    kind: Kind,
    pattern: Regex,
}

/// An actor table and a set of its patterns that finds in one pass which rows a clause names.
type Table = (Vec<Named>, RegexSet);

/// The rows of an actor table (`lang/en/events_actors.tsv`, a pack's `events_actors.tsv`), each pattern
/// wrapped by `wrap` (its word boundaries).
fn read_table(text: &'static str, file: &str, wrap: impl Fn(&str) -> String) -> Table {
    let rows: Vec<Named> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let (name, category, pattern) = (
                cols.next().unwrap_or_default(),
                cols.next().unwrap_or_default(),
                cols.next().unwrap_or_default(),
            );
            let kind = match category {
                "state" => Kind::State,
                "police" => Kind::Police,
                "protesters" => Kind::Protesters,
                "rioters" => Kind::Rioters,
                "civilians" => Kind::Civilians,
                "unidentified" => Kind::Unidentified,
                _ => Kind::Group,
            };
            let pattern = regex::RegexBuilder::new(&wrap(pattern))
                .build()
                .unwrap_or_else(|e| panic!("{file}, {name}: {e}"));
            Named {
                name,
                category,
                kind,
                pattern,
            }
        })
        .collect();
    let set = RegexSet::new(rows.iter().map(|r| r.pattern.as_str()))
        .expect("the patterns compiled one by one");
    (rows, set)
}

/// `lang/en/events_actors.tsv`.
fn named() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        read_table(TABLE, "lang/en/events_actors.tsv", |p| {
            format!(r"(?-u:\b)(?:{p})(?-u:\b)")
        })
    })
}

/// The actors a table names in `clause`, each stretch of text once (the first row that names it),
/// added to `out`. A row's `$COUNTRY` is the site's country: forces by ACLED's form of the name,
/// other parties by the row's ("Civilians ($COUNTRY)"); unknown without a site.
fn push_named(table: &Table, clause: &str, site_country: Option<&str>, out: &mut Vec<Actor>) {
    let (rows, set) = table;
    for i in set.matches(clause).iter() {
        let row = &rows[i];
        let name = if row.name.contains("$COUNTRY") {
            let Some(country) = site_country else {
                continue;
            };
            match row.kind {
                Kind::Police => super::acled::forces("Police", country),
                Kind::State | Kind::Group => super::acled::forces("Military", country),
                _ => row.name.replace("$COUNTRY", country),
            }
        } else {
            row.name.to_string()
        };
        for m in row.pattern.find_iter(clause) {
            if !taken(out, m.start(), m.end()) {
                out.push(Actor {
                    start: m.start(),
                    end: m.end(),
                    name: name.clone(),
                    kind: row.kind,
                });
            }
        }
    }
}

/// Whether an actor of `out` already covers part of `start..end`.
fn taken(out: &[Actor], start: usize, end: usize) -> bool {
    out.iter().any(|a| start < a.end && a.start < end)
}

/// The countries that act ("Russia launched…"), by their forces, where no actor is named.
fn push_countries(countries_acting: &[(usize, usize, String)], out: &mut Vec<Actor>) {
    for (s, e, country) in countries_acting {
        if !taken(out, *s, *e) {
            out.push(Actor {
                start: *s,
                end: *e,
                name: super::acled::forces("Military", country),
                kind: Kind::State,
            });
        }
    }
}

/// ACLED's category of an actor `lang/en/events_actors.tsv` names, in the codebook's words.
pub fn category_of(name: &str) -> Option<&'static str> {
    let row = named().0.iter().find(|r| r.name == name)?;
    Some(match row.category {
        "state" | "police" => super::acled::STATE,
        "political" => super::acled::POLITICAL_MILITIA,
        "identity" => super::acled::IDENTITY_MILITIA,
        "external" => super::acled::EXTERNAL,
        _ => super::acled::REBELS,
    })
}

fn military() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?-u:\b)(?P<w>[A-Z][\w’'-]*?)(?:['’]s)?\s+(?:(?i:armed|security|government|special|ground|naval|air|occupying|occupation|proxy)\s+|[a-z]+\s+)?(?i:forces|troops|army|military|soldiers|servicemen|artillery|air\s+force|air\s+defen[cs]es?|navy|marines|paratroopers|units|warplanes|jets|aircraft|drones?|border\s+guards|shelling|strikes?|airstrikes?|attacks?|missiles?|offensive|assault|gunboats|tanks|bombardment|barrage|shelled|bombed|struck|attacked|launched)(?-u:\b)")
            .expect("military compiles")
    })
}

/// ACLED's own form, which notes use: "the Military Forces of Ukraine".
fn forces_of() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?-u:\b)(?P<k>Military|Police)\s+Forces\s+of\s+(?P<c>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
        )
        .expect("forces compiles")
    })
}

/// Actors named without a country: the site's country is theirs.
const GENERIC: &[(&str, Kind)] = &[
    (
        r"(?i)(?-u:\b)(?:the\s+(?:military|army|junta)|government\s+(?:forces|troops|soldiers)|security\s+forces|soldiers|troops|Tatmadaw)(?-u:\b)",
        Kind::State,
    ),
    (
        r"(?i)(?-u:\b)(?:riot\s+)?(?:police(?:\s+officers)?|policemen|gendarm\w*)(?-u:\b)",
        Kind::Police,
    ),
    (
        r"(?i)(?-u:\b)(?:protesters|demonstrators|marchers|strikers)(?-u:\b)",
        Kind::Protesters,
    ),
    (
        r"(?i)(?-u:\b)(?:rioters|mobs?|vigilantes)(?-u:\b)",
        Kind::Rioters,
    ),
    (
        r"(?i)(?-u:\b)(?:civilians?|villagers|residents|farmers|worshippers|passengers|herders|traders|pilgrims)(?-u:\b)",
        Kind::Civilians,
    ),
    (
        r"(?i)(?-u:\b)(?:gunmen|bandits|(?:unidentified|unknown)\s+(?:armed\s+)?(?:men|group|gunmen|assailants|attackers|individuals|shooters|persons|militants?)|armed\s+individuals|militants|jihadists|insurgents|assailants|attackers|armed\s+men|rebels|fighters|guerrillas)(?-u:\b)",
        Kind::Unidentified,
    ),
];

fn generic() -> &'static [(Regex, Kind)] {
    static G: OnceLock<Vec<(Regex, Kind)>> = OnceLock::new();
    G.get_or_init(|| {
        GENERIC
            .iter()
            .map(|(p, k)| (Regex::new(p).expect("actor compiles"), *k))
            .collect()
    })
}

/// A country acting: "Russia launched 32 air strikes".
pub fn country_acts(after_place: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:['’]s\s+\w+\s+\w+|\s+(?:has\s+|had\s+)?(?:launched|struck|shelled|fired|attacked|bombed|hit|carried\s+out|pounded|targeted|invaded|seized|captured|sent|deployed))(?-u:\b)")
            .expect("cue compiles")
    })
    .is_match(after_place)
}

static ETHNIC: lexicon::WordSet =
    lexicon::WordSet::new(include_str!("../../lang/en/events_ethnic_groups.txt"));

/// Whether reports name an ethnic group by `name` (`lang/en/events_ethnic_groups.txt`).
fn ethnic_group(name: &str) -> bool {
    ETHNIC.contains(name)
}

/// Capitalised words before "militia" that are not whom it comes from.
const NOT_COMMUNITIES: &[&str] = &[
    "A",
    "An",
    "The",
    "Local",
    "Government",
    "Pro-Government",
    "Armed",
    "Islamist",
    "Communal",
    "Ethnic",
    "Tribal",
    "Clan",
    "Village",
    "Self-Defense",
    "Self-Defence",
    "Defense",
    "Defence",
    "Youth",
    "Rival",
    "Allied",
    "Suspected",
];

/// A named militia: the name, and whether it is a sub-clan's.
fn militia() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?-u:\b)(?P<n>[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*)\s+(?:(?P<clan>(?i:sub-?clan))\s+|(?i:communal|ethnic|clan)\s+)?(?i:militia(?:s|men)?|militiamen|raiders)(?-u:\b)")
            .expect("militia compiles")
    })
}

/// A pack's actor table (`lang/<code>/events_actors.tsv`): case-blind, Unicode words.
fn pack_table(language: Lang) -> Option<&'static Table> {
    static UK: OnceLock<Table> = OnceLock::new();
    static RU: OnceLock<Table> = OnceLock::new();
    let cell = match language {
        Lang::En => return None,
        Lang::Uk => &UK,
        Lang::Ru => &RU,
    };
    let pack = lang::pack(language)?;
    Some(cell.get_or_init(|| {
        read_table(pack.actors, "events_actors.tsv", |p| {
            format!(r"(?i)\b(?:{p})\b")
        })
    }))
}

/// Every actor of a clause in `language`: English by [`actors`], another language by its pack's
/// table (`lang/<code>/events_actors.tsv`), whose `$COUNTRY` is the site's country.
pub fn actors_in(
    language: Lang,
    clause: &str,
    country_of_word: &dyn Fn(&str) -> Option<String>,
    countries_acting: &[(usize, usize, String)],
    site_country: Option<&str>,
) -> Vec<Actor> {
    let Some(table) = pack_table(language) else {
        return actors(clause, country_of_word, countries_acting, site_country);
    };
    let mut out: Vec<Actor> = Vec::new();
    push_named(table, clause, site_country, &mut out);
    push_countries(countries_acting, &mut out);
    out.sort_by_key(|a| a.start);
    out
}

/// Every actor of `clause`. `country_of_word` turns a demonym or country name into the country's
/// name; `countries_acting` are country mentions (byte range in the clause, name) that act;
/// `site_country` names the country of the generic actors.
pub fn actors(
    clause: &str,
    country_of_word: &dyn Fn(&str) -> Option<String>,
    countries_acting: &[(usize, usize, String)],
    site_country: Option<&str>,
) -> Vec<Actor> {
    let mut out: Vec<Actor> = Vec::new();
    // "FDS": the forces of the country where it happened; unknown without a site.
    push_named(named(), clause, site_country, &mut out);
    for c in forces_of().captures_iter(clause) {
        let (m, w) = (c.get(0).expect("match"), c.name("c").expect("country"));
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        let country = country_of_word(w.as_str()).unwrap_or_else(|| w.as_str().to_string());
        let (name, kind) = if c.name("k").is_some_and(|k| k.as_str() == "Police") {
            (super::acled::forces("Police", &country), Kind::Police)
        } else {
            (super::acled::forces("Military", &country), Kind::State)
        };
        out.push(Actor {
            start: m.start(),
            end: m.end(),
            name,
            kind,
        });
    }
    for c in military().captures_iter(clause) {
        let (m, w) = (c.get(0).expect("match"), c.name("w").expect("word"));
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        // "Syria was attacked by Israeli warplanes": a country that undergoes is not one that acts.
        let passive = m.as_str().split_whitespace().any(|word| {
            matches!(
                word,
                "was" | "were" | "is" | "are" | "been" | "being" | "be" | "got" | "gets"
            )
        });
        if passive {
            continue;
        }
        if let Some(country) = country_of_word(w.as_str()) {
            out.push(Actor {
                start: m.start(),
                end: m.end(),
                name: super::acled::forces("Military", &country),
                kind: Kind::State,
            });
        }
    }
    push_countries(countries_acting, &mut out);
    // "a Zamfara militia", "Fulani militiamen", "Hawiye sub-clan militia": militias by the
    // community, people or clan they come from, as ACLED names them.
    if let Some(country) = site_country {
        for c in militia().captures_iter(clause) {
            let (m, n) = (c.get(0).expect("match"), c.name("n").expect("name"));
            if taken(&out, m.start(), m.end()) {
                continue;
            }
            let name = n.as_str();
            let kind = if c.name("clan").is_some() {
                "Sub-Clan"
            } else if ethnic_group(name) {
                "Ethnic"
            } else if country_of_word(name).is_some() || NOT_COMMUNITIES.contains(&name) {
                continue;
            } else {
                "Communal"
            };
            out.push(Actor {
                start: m.start(),
                end: m.end(),
                name: format!("{name} {kind} Militia ({country})"),
                kind: Kind::Group,
            });
        }
    }
    for (re, kind) in generic() {
        for m in re.find_iter(clause) {
            if taken(&out, m.start(), m.end()) {
                continue;
            }
            // "FAMa troops", "SAF soldiers": the word names the forces just named.
            let same_forces = out.iter().any(|a| {
                matches!(a.kind, Kind::State | Kind::Police)
                    && a.end <= m.start()
                    && clause[a.end..m.start()].trim().is_empty()
            });
            if same_forces {
                continue;
            }
            let Some(country) = site_country else {
                continue;
            };
            let name = match kind {
                Kind::State => super::acled::forces("Military", country),
                Kind::Police => super::acled::forces("Police", country),
                Kind::Protesters => format!("Protesters ({country})"),
                Kind::Rioters => format!("Rioters ({country})"),
                Kind::Civilians => format!("Civilians ({country})"),
                _ => format!("Unidentified Armed Group ({country})"),
            };
            out.push(Actor {
                start: m.start(),
                end: m.end(),
                name,
                kind: *kind,
            });
        }
    }
    out.sort_by_key(|a| a.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(clause: &str) -> Vec<String> {
        let country = |w: &str| match w {
            "Russian" | "Russia" => Some("Russia".to_string()),
            "Ukrainian" | "Ukraine" => Some("Ukraine".to_string()),
            _ => None,
        };
        actors(clause, &country, &[], Some("Ukraine"))
            .into_iter()
            .map(|a| a.name)
            .collect()
    }

    #[test]
    fn forces_take_their_countrys_name() {
        assert_eq!(
            names("Ukrainian forces repelled Russian attacks"),
            ["Military Forces of Ukraine", "Military Forces of Russia"]
        );
        assert_eq!(
            names("Russia's armed forces shelled the town"),
            ["Military Forces of Russia"]
        );
    }

    #[test]
    fn groups_by_the_names_acled_gives_them() {
        assert_eq!(
            names("IS Sahel ambushed a patrol"),
            ["Islamic State Sahel Province (ISSP)"]
        );
        assert_eq!(
            names("Ambazonian separatists attacked the checkpoint"),
            ["Ambazonian Separatists (Cameroon)"]
        );
        assert_eq!(names("Hamas fired rockets"), ["Hamas Movement"]);
    }

    #[test]
    fn named_groups_and_generic_actors() {
        assert_eq!(
            names("the Russian mercenary group Wagner made gains"),
            ["Wagner Group"]
        );
        assert_eq!(
            names("police fired tear gas at protesters"),
            ["Police Forces of Ukraine", "Protesters (Ukraine)"]
        );
    }

    #[test]
    fn every_row_of_the_table_reads() {
        let (rows, _) = named();
        assert!(rows.len() > 40);
        for r in rows {
            assert!(
                [
                    "state",
                    "police",
                    "rebel",
                    "political",
                    "identity",
                    "external"
                ]
                .contains(&r.category),
                "{}: category {}",
                r.name,
                r.category
            );
        }
        assert_eq!(
            category_of("VDP: Volunteer for Defense of Homeland"),
            Some(super::super::acled::POLITICAL_MILITIA)
        );
        assert_eq!(
            names("FAMa troops entered the town"),
            ["Military Forces of Mali"]
        );
        // Forces named by an abbreviation several countries use: the site's country, or none.
        assert_eq!(
            names("FDS troops entered the town"),
            ["Military Forces of Ukraine"]
        );
        let none = |_: &str| None;
        assert!(actors("FDS troops entered the town", &none, &[], None)
            .iter()
            .all(|a| !a.name.contains('$')));
    }

    #[test]
    fn a_country_attacked_is_not_the_attacker() {
        assert_eq!(
            names("Russian shelled the town"),
            ["Military Forces of Russia"]
        );
        assert!(names("Russia was attacked by drones").is_empty());
    }

    fn names_in(language: Lang, clause: &str) -> Vec<String> {
        let none = |_: &str| None;
        actors_in(language, clause, &none, &[], Some("Ukraine"))
            .into_iter()
            .map(|a| a.name)
            .collect()
    }

    #[test]
    fn ukrainian_and_russian_parties_by_acleds_names() {
        assert_eq!(
            names_in(Lang::Uk, "Російські окупанти обстріляли позиції ЗСУ"),
            ["Military Forces of Russia", "Military Forces of Ukraine"]
        );
        assert_eq!(
            names_in(Lang::Uk, "Сили оборони відбили атаку ворога"),
            ["Military Forces of Ukraine", "Military Forces of Russia"]
        );
        assert_eq!(
            names_in(Lang::Uk, "СБУ затримала агента ФСБ"),
            ["Police Forces of Ukraine", "Police Forces of Russia"]
        );
        assert_eq!(
            names_in(Lang::Uk, "поліція розігнала протестувальників"),
            ["Police Forces of Ukraine", "Protesters (Ukraine)"]
        );
        assert_eq!(
            names_in(Lang::Uk, "внаслідок удару загинули мирні жителі"),
            ["Civilians (Ukraine)"]
        );
        assert_eq!(
            names_in(Lang::Ru, "ВСУ отразили атаку ВС РФ"),
            ["Military Forces of Ukraine", "Military Forces of Russia"]
        );
        assert_eq!(
            names_in(
                Lang::Ru,
                "россияне обстреляли город, полиция эвакуировала жителей"
            ),
            [
                "Military Forces of Russia",
                "Police Forces of Ukraine",
                "Civilians (Ukraine)"
            ]
        );
        assert_eq!(
            names_in(Lang::Ru, "силы ПВО сбили 12 беспилотников"),
            ["Military Forces of Ukraine"]
        );
    }

    #[test]
    fn russian_groups_of_forces_by_their_names() {
        assert_eq!(
            names_in(Lang::Ru, "бойцы группировки войск «Восток» отбили атаку"),
            ["Military Forces of Russia"]
        );
        assert_eq!(
            names_in(Lang::Uk, "угруповання «Центр» штурмувало село"),
            ["Military Forces of Russia"]
        );
    }

    #[test]
    fn a_country_that_acts() {
        assert!(country_acts(" launched 32 air strikes"));
        assert!(!country_acts(" and Belarus"));
    }
}
