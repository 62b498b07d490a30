//! Common given names and surnames (US Census 1990, through PyPI `names`; see
//! `gazetteer/person_names.tsv`), so the recogniser can tell "Mitch Lewis" or "Dyer said" from the
//! small towns that share those names.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

static TABLE: &str = include_str!("../gazetteer/person_names.tsv");

#[derive(Debug, Default, Clone, Copy)]
struct Kinds {
    given: bool,
    surname: bool,
}

fn table() -> &'static FxHashMap<String, Kinds> {
    static MAP: OnceLock<FxHashMap<String, Kinds>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: FxHashMap<String, Kinds> = FxHashMap::default();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let Some((name, kind)) = line.split_once('\t') else {
                continue;
            };
            let k = map.entry(name.to_lowercase()).or_default();
            match kind.trim() {
                "given" => k.given = true,
                "surname" => k.surname = true,
                _ => {}
            }
        }
        map
    })
}

/// A common given name ("Mitch", "Taylor"); `word` in lower case.
pub fn is_given(word: &str) -> bool {
    table().get(word).is_some_and(|k| k.given)
}

/// A common surname ("Lewis", "Dyer"); `word` in lower case.
pub fn is_surname(word: &str) -> bool {
    table().get(word).is_some_and(|k| k.surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn census_names_of_both_kinds() {
        assert!(is_given("mitchell") && is_given("marsha") && !is_given("dyer"));
        assert!(is_surname("lewis") && is_surname("dyer") && is_surname("smith"));
        assert!(!is_surname("kharkiv") && !is_given("bakhmut"));
        assert!(table().len() > 3000);
    }
}
