//! Who took part: ACLED-style actor names from a clause ("Russian forces" → Military Forces of
//! Russia, "Wagner" → Wagner Group, "protesters" → Protesters (Kenya)).

use std::sync::OnceLock;

use regex::Regex;

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

/// Named armed groups and alliances, and the name ACLED's users know them by.
const GROUPS: &[(&str, &str)] = &[
    (r"Wagner(?:\s+Group)?", "Wagner Group"),
    (r"NATO", "NATO"),
    (r"Hamas(?:\s+Movement)?", "Hamas Movement"),
    (
        r"Islamic\s+State\s+(?:in\s+the\s+)?(?:Sahel|Greater\s+Sahara)(?:\s+Province)?|IS\s+Sahel|ISSP|ISGS",
        "Islamic State Sahel Province",
    ),
    (
        r"Ambazonian\s+(?:Separatists|separatists|Restoration\s+Forces)",
        "Ambazonian Separatists",
    ),
    (
        r"CPC|Coalition\s+of\s+Patriots\s+for\s+Change",
        "CPC: Coalition of Patriots for Change",
    ),
    (r"Hezbollah|Hizbollah", "Hezbollah"),
    (r"Houthis?|Ansar\s+Allah", "Houthi Movement"),
    (
        r"(?:Pakistani\s+Taliban|TTP)",
        "TTP: Tehreek-i-Taliban Pakistan",
    ),
    (r"Taliban", "Taliban"),
    (r"[Aa]l[-\s]Shabaa?b", "Al Shabaab"),
    (r"ISWAP", "Islamic State West Africa Province"),
    (r"Islamic\s+State|ISIS|ISIL", "Islamic State"),
    (r"Boko\s+Haram", "Boko Haram"),
    (r"JNIM", "JNIM: Group for Support of Islam and Muslims"),
    (r"M23", "M23: March 23 Movement"),
    (r"RSF|Rapid\s+Support\s+Forces", "Rapid Support Forces"),
    (
        r"ELN|National\s+Liberation\s+Army",
        "ELN: National Liberation Army",
    ),
    (r"FARC(?:\s+dissidents)?", "FARC dissidents"),
    (r"PKK", "PKK: Kurdistan Workers Party"),
    (
        r"SDF|Syrian\s+Democratic\s+Forces",
        "SDF: Syrian Democratic Forces",
    ),
    (
        r"HTS|Hayat\s+Tahrir\s+al[-\s]Sham",
        "HTS: Hayat Tahrir al Sham",
    ),
    (r"Arakan\s+Army", "AA: Arakan Army"),
    (
        r"People['’]s\s+Defen[cs]e\s+Forces?|PDF",
        "PDF: People's Defense Force",
    ),
    (
        r"Kachin\s+Independence\s+Army|KIA",
        "KIA: Kachin Independence Army",
    ),
    (
        r"ADF|Allied\s+Democratic\s+Forces",
        "ADF: Allied Democratic Forces",
    ),
    (r"CODECO", "CODECO: Cooperative for Development of Congo"),
    (r"Fano(?:\s+militia)?", "Fano Militia"),
    (r"Sinaloa\s+Cartel", "Sinaloa Cartel"),
    (
        r"CJNG|Jalisco\s+(?:New\s+Generation\s+)?Cartel",
        "CJNG: Jalisco New Generation Cartel",
    ),
    (r"al[-\s]Qaeda", "Al Qaeda"),
    // The forces of the self-proclaimed republics of Donetsk and Luhansk, by ACLED's name for
    // them: their names hold a place that is not where anything happened.
    (
        r"(?:Donetsk|Luhansk|Lugansk|Donbass?)\s+People['’]s\s+(?:Militia|Republic)|DPR|LPR|DNR|LNR",
        "NAF: United Armed Forces of Novorossiya",
    ),
    (
        r"MNDAA|Myanmar\s+National\s+Democratic\s+Alliance\s+Army",
        "MNDAA: Myanmar National Democratic Alliance Army",
    ),
    (
        r"TNLA|Ta['’]ang\s+National\s+Liberation\s+Army",
        "TNLA: Ta'ang National Liberation Army",
    ),
    (
        r"Three\s+Brotherhood\s+Alliance",
        "Three Brotherhood Alliance",
    ),
];

fn groups() -> &'static [(Regex, &'static str)] {
    static G: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    G.get_or_init(|| {
        GROUPS
            .iter()
            .map(|(p, n)| {
                (
                    Regex::new(&format!(r"(?-u:\b)(?:{p})(?-u:\b)")).expect("group compiles"),
                    *n,
                )
            })
            .collect()
    })
}

fn military() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?-u:\b)(?P<w>[A-Z][\w’'-]*?)(?:['’]s)?\s+(?:(?i:armed|security|government|special|ground|naval|air|occupying|occupation|proxy)\s+|[a-z]+\s+)?(?i:forces|troops|army|military|soldiers|servicemen|artillery|air\s+force|air\s+defen[cs]es?|navy|marines|paratroopers|units|warplanes|jets|aircraft|drones?|border\s+guards|shelling|strikes?|airstrikes?|attacks?|missiles?|offensive|assault|gunboats|tanks|bombardment|barrage)(?-u:\b)")
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
        r"(?i)(?-u:\b)(?:gunmen|bandits|unidentified\s+(?:armed\s+)?(?:men|group|assailants|attackers)|militants|jihadists|insurgents|assailants|attackers|armed\s+men|rebels|fighters|guerrillas)(?-u:\b)",
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
    let taken = |out: &[Actor], s: usize, e: usize| out.iter().any(|a| s < a.end && a.start < e);
    for (re, name) in groups() {
        for m in re.find_iter(clause) {
            if !taken(&out, m.start(), m.end()) {
                out.push(Actor {
                    start: m.start(),
                    end: m.end(),
                    name: name.to_string(),
                    kind: Kind::Group,
                });
            }
        }
    }
    for c in forces_of().captures_iter(clause) {
        let (m, w) = (c.get(0).expect("match"), c.name("c").expect("country"));
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        let country = country_of_word(w.as_str()).unwrap_or_else(|| w.as_str().to_string());
        let (name, kind) = if c.name("k").is_some_and(|k| k.as_str() == "Police") {
            (format!("Police Forces of {country}"), Kind::Police)
        } else {
            (format!("Military Forces of {country}"), Kind::State)
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
        if let Some(country) = country_of_word(w.as_str()) {
            out.push(Actor {
                start: m.start(),
                end: m.end(),
                name: format!("Military Forces of {country}"),
                kind: Kind::State,
            });
        }
    }
    for (s, e, country) in countries_acting {
        if !taken(&out, *s, *e) {
            out.push(Actor {
                start: *s,
                end: *e,
                name: format!("Military Forces of {country}"),
                kind: Kind::State,
            });
        }
    }
    for (re, kind) in generic() {
        for m in re.find_iter(clause) {
            if taken(&out, m.start(), m.end()) {
                continue;
            }
            let Some(country) = site_country else {
                continue;
            };
            let name = match kind {
                Kind::State => format!("Military Forces of {country}"),
                Kind::Police => format!("Police Forces of {country}"),
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
            ["Islamic State Sahel Province"]
        );
        assert_eq!(
            names("Ambazonian separatists attacked the checkpoint"),
            ["Ambazonian Separatists"]
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
    fn a_country_that_acts() {
        assert!(country_acts(" launched 32 air strikes"));
        assert!(!country_acts(" and Belarus"));
    }
}
