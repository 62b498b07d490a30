//! ACLED's derived fields, by its codebook: each actor's category (`inter1`, `inter2`), the pair
//! of them (`interaction`), whether civilians were the target (`civilian_targeting`) and the kind
//! of disorder (`disorder_type`). They follow from the event's type and its actors' names.

use std::sync::OnceLock;

use super::rules::{BATTLES, EXPLOSIONS, PROTESTS, RIOTS, STRATEGIC, VIOLENCE};

static COUNTRIES: &str = include_str!("acled_countries.tsv");

/// `acled_countries.tsv`: (GeoNames' name, ACLED's name, whether its forces take "the").
fn countries() -> &'static [(&'static str, &'static str, bool)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        COUNTRIES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t').map(str::trim);
                let (g, a) = (cols.next()?, cols.next()?);
                Some((g, a, cols.next() == Some("the")))
            })
            .collect()
    })
}

/// ACLED's name for a country that GeoNames names `geonames`: the same, but for the few in
/// `acled_countries.tsv` ("Palestinian Territory" is "Palestine").
pub fn country_name(geonames: &str) -> &str {
    countries()
        .iter()
        .find(|(g, _, _)| *g == geonames)
        .map_or(geonames, |&(_, a, _)| a)
}

/// A state's forces by ACLED's name for them: `kind` "Military" or "Police", `country` ACLED's
/// name of the country ("Military Forces of the Democratic Republic of Congo").
pub fn forces(kind: &str, country: &str) -> String {
    let the = countries().iter().any(|&(_, a, the)| the && a == country);
    format!(
        "{kind} Forces of {}{country}",
        if the { "the " } else { "" }
    )
}

/// ACLED's actor categories, in its codebook's words.
pub const STATE: &str = "State forces";
pub const REBELS: &str = "Rebel group";
pub const POLITICAL_MILITIA: &str = "Political militia";
pub const IDENTITY_MILITIA: &str = "Identity militia";
pub const RIOTERS: &str = "Rioters";
pub const PROTESTERS: &str = "Protesters";
pub const CIVILIANS: &str = "Civilians";
pub const EXTERNAL: &str = "External/Other forces";

/// The category of an actor by its ACLED-style name; `None` for no actor.
pub fn inter(actor: Option<&str>) -> Option<&'static str> {
    let a = actor?;
    if let Some(c) = super::actors::category_of(a) {
        return Some(c);
    }
    Some(
        if a.starts_with("Military Forces of") || a.starts_with("Police Forces of") {
            STATE
        } else if a.starts_with("Protesters") {
            PROTESTERS
        } else if a.starts_with("Rioters") {
            RIOTERS
        } else if a.starts_with("Civilians") {
            CIVILIANS
        } else if a.starts_with("Unidentified Armed Group") {
            // ACLED's unnamed armed men are a political militia until known otherwise.
            POLITICAL_MILITIA
        } else if a.contains("Communal Militia")
            || a.contains("Ethnic Militia")
            || a.contains("Clan Militia")
        {
            IDENTITY_MILITIA
        } else {
            REBELS
        },
    )
}

/// "State forces-Civilians", or "Protesters only" when there is no second actor.
pub fn interaction(inter1: Option<&str>, inter2: Option<&str>) -> Option<String> {
    match (inter1, inter2) {
        (Some(a), Some(b)) => Some(format!("{a}-{b}")),
        (Some(a), None) | (None, Some(a)) => Some(format!("{a} only")),
        (None, None) => None,
    }
}

/// "Civilian targeting" when civilians are the side acted upon of a violent event.
pub fn civilian_targeting(event_type: &str, actor2: Option<&str>) -> Option<&'static str> {
    let violent = [VIOLENCE, EXPLOSIONS, RIOTS, BATTLES].contains(&event_type);
    (violent && inter(actor2) == Some(CIVILIANS)).then_some("Civilian targeting")
}

/// ACLED's `disorder_type`: political violence, demonstrations, both (force against
/// protesters), or strategic developments.
pub fn disorder_type(event_type: &str, sub_event_type: &str) -> &'static str {
    match (event_type, sub_event_type) {
        (PROTESTS, "Excessive force against protesters") => "Political violence; Demonstrations",
        (RIOTS, "Mob violence") => "Political violence",
        (PROTESTS | RIOTS, _) => "Demonstrations",
        (STRATEGIC, _) => "Strategic developments",
        _ => "Political violence",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_as_acled_writes_them() {
        assert_eq!(country_name("Palestinian Territory"), "Palestine");
        assert_eq!(country_name("Cabo Verde"), "Cape Verde");
        assert_eq!(country_name("Ukraine"), "Ukraine");
        assert_eq!(
            forces("Military", "Democratic Republic of Congo"),
            "Military Forces of the Democratic Republic of Congo"
        );
        assert_eq!(forces("Police", "Kenya"), "Police Forces of Kenya");
    }

    #[test]
    fn categories_by_the_codebook() {
        assert_eq!(inter(Some("Military Forces of Russia")), Some(STATE));
        assert_eq!(inter(Some("Police Forces of Kenya")), Some(STATE));
        assert_eq!(inter(Some("Protesters (Kenya)")), Some(PROTESTERS));
        assert_eq!(inter(Some("Civilians (Mali)")), Some(CIVILIANS));
        assert_eq!(
            inter(Some("Unidentified Armed Group (Mali)")),
            Some(POLITICAL_MILITIA)
        );
        assert_eq!(inter(Some("Wagner Group")), Some(EXTERNAL));
        assert_eq!(inter(Some("Al Shabaab")), Some(REBELS));
        assert_eq!(inter(None), None);
        assert_eq!(
            interaction(Some(STATE), Some(CIVILIANS)).as_deref(),
            Some("State forces-Civilians")
        );
        assert_eq!(
            interaction(Some(PROTESTERS), None).as_deref(),
            Some("Protesters only")
        );
    }

    #[test]
    fn disorder_and_civilian_targeting() {
        assert_eq!(disorder_type(BATTLES, "Armed clash"), "Political violence");
        assert_eq!(
            disorder_type(PROTESTS, "Peaceful protest"),
            "Demonstrations"
        );
        assert_eq!(
            disorder_type(PROTESTS, "Excessive force against protesters"),
            "Political violence; Demonstrations"
        );
        assert_eq!(
            disorder_type(STRATEGIC, "Arrests"),
            "Strategic developments"
        );
        assert_eq!(
            civilian_targeting(EXPLOSIONS, Some("Civilians (Ukraine)")),
            Some("Civilian targeting")
        );
        assert_eq!(
            civilian_targeting(STRATEGIC, Some("Civilians (Ukraine)")),
            None
        );
        assert_eq!(
            civilian_targeting(BATTLES, Some("Military Forces of Ukraine")),
            None
        );
    }
}
