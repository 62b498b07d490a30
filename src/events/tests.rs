use super::*;

fn gaz() -> &'static Gazetteer {
    crate::embedded::gazetteer().expect("embedded gazetteer")
}

fn read(text: &str, date: &str) -> Vec<Event> {
    let opts = EventOptions {
        doc_date: crate::dates::parse_doc_date(date),
        ..EventOptions::default()
    };
    events(gaz(), text, &opts).expect("events")
}

#[test]
fn sentences_end_at_full_stops_and_blank_lines_but_not_abbreviations_or_wraps() {
    let text =
        "Headline Without Stop\n\nShelling hit Kupiansk on Feb. 13. The U.S. sent\naid.\nDone!";
    let got: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
    assert_eq!(
        got,
        [
            "Headline Without Stop",
            "Shelling hit Kupiansk on Feb. 13.",
            "The U.S. sent\naid.",
            "Done!"
        ]
    );
}

#[test]
fn the_site_is_where_it_happened() {
    let text = "Speaking in Kyiv, the governor said Russian shelling hit Kupiansk on Sunday.";
    let got = read(text, "2023-02-14");
    assert_eq!(got.len(), 1, "{got:?}");
    let e = &got[0];
    assert_eq!(
        (e.event_type, e.sub_event_type),
        (EXPLOSIONS, "Shelling/artillery/missile attack")
    );
    assert_eq!(e.place.name, "Kupyansk");
    assert_eq!(e.event_date.unwrap().to_string(), "2023-02-12");
    assert_eq!(e.actor1.as_deref(), Some("Military Forces of Russia"));
    assert_eq!(e.geo_precision, 1);
}

#[test]
fn a_meeting_and_a_gathering_are_two_events_at_their_own_sites() {
    let text = "Defence ministers will hold a meeting in Brussels on March 2 after a gathering in Poland of donor countries.";
    let got = read(text, "2023-03-01");
    let sites: Vec<(&str, &str)> = got
        .iter()
        .map(|e| (e.place.name.as_str(), e.sub_event_type))
        .collect();
    assert_eq!(sites, [("Brussels", "Other"), ("Poland", "Other")]);
    assert_eq!(got[0].event_date.unwrap().to_string(), "2023-03-02");
    assert_eq!(got[1].geo_precision, 3);
}

#[test]
fn captures_are_split_by_who_takes_the_place() {
    let regained = read(
        "Ukrainian troops recaptured the city of Kherson on Friday.",
        "2023-09-18",
    );
    assert_eq!(regained[0].sub_event_type, "Government regains territory");
    let taken = read(
        "Russian forces captured the town of Soledar on Friday.",
        "2023-09-18",
    );
    assert_eq!(
        taken[0].sub_event_type,
        "Non-state actor overtakes territory"
    );
}

#[test]
fn plans_and_metonymy_give_no_events() {
    assert!(read(
        "Capturing Bakhmut would give Russian forces a bridgehead.",
        "2023-02-14"
    )
    .is_empty());
    assert!(read("Kyiv said talks were useful.", "2023-02-14").is_empty());
}

#[test]
fn no_country_wide_fallback_for_protests() {
    assert!(read("Thousands protested across the country.", "2023-02-14").is_empty());
}

#[test]
fn the_agent_after_by_is_actor1() {
    let got = read(
        "Kupiansk was shelled by Russian forces on Sunday.",
        "2023-02-14",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].actor1.as_deref(), Some("Military Forces of Russia"));
    let got = read(
        "Ukrainian troops were attacked by the Wagner Group near Soledar on Sunday.",
        "2023-02-14",
    );
    assert_eq!(got[0].actor1.as_deref(), Some("Wagner Group"));
    assert_eq!(got[0].actor2.as_deref(), Some("Military Forces of Ukraine"));
}

#[test]
fn a_bloc_is_no_site_beside_a_town() {
    let got = read(
        "Thousands of protesters waving EU flags gathered outside parliament in Tbilisi on Monday.",
        "2024-12-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Tbilisi");
}

#[test]
fn a_coders_note_says_where_the_event_is() {
    let text = "On 3 May 2022, Russian forces shelled the Zelenodolska community (coded to \
                Zelenodolsk), Dnipropetrovsk. Casualties unknown.";
    let got = read(text, "2022-05-03");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Zelenodolsk");
    // Fatalities coded to another event say nothing of this one's site.
    let text = "On 3 May 2022, Russian forces shelled Kupiansk (fatalities coded to Izium).";
    let got = read(text, "2022-05-03");
    assert_eq!(got[0].mention, "Kupiansk", "{got:?}");
}

#[test]
fn a_region_after_an_unknown_village_stands_for_it() {
    // No Dykanka in Donetsk oblast: the region is the site, as precise as a region is, and the
    // words before the village ("protested in") tie it to the event over "of Ukraine".
    let text = "On 8 March 2022, locals protested in Dykanka, Donetsk, against the invasion of \
                Ukraine.";
    let got = read(text, "2022-03-08");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.feature_code, "ADM1");
    assert_eq!(got[0].place.admin1_code, "05");
    assert_eq!(got[0].geo_precision, 3);
}

#[test]
fn a_chain_of_divisions_is_tied_by_the_words_before_its_first_name() {
    // The village is unknown; the first division the gazetteer knows is the site.
    let text = "On 2 May 2021, in Taungbo village (Kyaukse township, Mandalay region), a bomb \
                exploded near the market. No casualties.";
    let got = read(text, "2021-05-02");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].event_type, EXPLOSIONS);
    assert_ne!(got[0].place.feature_code, "PCLI");
}

#[test]
fn a_clause_after_after_lends_the_event_its_place() {
    let text = "On 4 June 2023, police detained two men after searching their house in Mombasa.";
    let got = read(text, "2023-06-04");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Mombasa");
    // Not the other way round: the drone attacks happened somewhere the sentence does not say.
    let text = "The ministry was weighing options to reinforce its troops in eastern Chad after a \
                spate of drone attacks.";
    assert!(read(text, "2023-06-04").is_empty());
}

#[test]
fn a_list_of_places_gives_one_event_each() {
    let text = "On 3 May 2023, troops shelled Kupiansk, Kindrashivka and Petropavlivka. Three \
                civilians were killed.";
    let got = read(text, "2023-05-03");
    let sites: Vec<&str> = got.iter().map(|e| e.mention.as_str()).collect();
    assert_eq!(sites, ["Kupiansk", "Kindrashivka", "Petropavlivka"]);
    // The toll is shared as ACLED shares it.
    let deaths: Vec<u32> = got.iter().map(|e| e.fatalities).collect();
    assert_eq!(deaths, [1, 1, 1]);
    // The regions in brackets are where the villages lie, not more sites; "and near" goes on.
    let text = "On 3 May 2023, the army repelled assaults near Spirne and Vyimka (Donetsk Oblast) \
                and near Terny (Donetsk Oblast).";
    let got = read(text, "2023-05-03");
    let sites: Vec<&str> = got.iter().map(|e| e.mention.as_str()).collect();
    assert_eq!(sites, ["Spirne", "Vyimka", "Terny"]);
    // A town and its region is one place.
    let got = read(
        "On 3 May 2023, troops shelled Krasna Hora, Donetsk.",
        "2023-05-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn a_strike_that_kills_civilians_is_by_its_attacker_on_them() {
    let got = read(
        "A Russian drone strike hit an apartment block in Kherson, killing two civilians.",
        "2024-01-05",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].actor1.as_deref(), Some("Military Forces of Russia"));
    assert_eq!(got[0].actor2.as_deref(), Some("Civilians (Ukraine)"));
    assert_eq!(got[0].fatalities, 2);
    // No attacker named: an unidentified armed group, as ACLED codes it; the civilians are still
    // the side acted upon.
    let got = read(
        "Two civilians were wounded by shelling in Kupiansk.",
        "2024-01-05",
    );
    assert_eq!(
        got[0].actor1.as_deref(),
        Some("Unidentified Armed Group (Ukraine)")
    );
    assert_eq!(got[0].actor2.as_deref(), Some("Civilians (Ukraine)"));
}

#[test]
fn killing_people_not_named_as_armed_is_violence_against_civilians() {
    let got = read(
        "On 3 May 2024, gunmen shot and killed a shopkeeper in Kaduna.",
        "2024-05-04",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].event_type, got[0].sub_event_type),
        (VIOLENCE, "Attack")
    );
    assert_eq!(got[0].actor2.as_deref(), Some("Civilians (Nigeria)"));
    // Security forces are armed: killing them is a battle.
    let got = read(
        "Bandits killed two policemen at a checkpoint in Kaduna.",
        "2024-05-04",
    );
    assert_eq!(
        (got[0].event_type, got[0].sub_event_type),
        (BATTLES, "Armed clash")
    );
    assert_eq!(got[0].actor2.as_deref(), Some("Police Forces of Nigeria"));
}

#[test]
fn an_explosion_with_no_weapon_or_side_named() {
    let got = read("An explosion hit a bus station in Kaduna.", "2024-05-04");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].event_type, got[0].sub_event_type),
        (EXPLOSIONS, "Remote explosive/landmine/IED")
    );
    assert_eq!(
        got[0].actor1.as_deref(),
        Some("Unidentified Armed Group (Nigeria)")
    );
}

#[test]
fn an_interception_is_by_the_defending_forces() {
    let got = read(
        "Rockets fired by Hamas were intercepted over Sderot.",
        "2024-05-04",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].sub_event_type, "Disrupted weapons use");
    assert_eq!(got[0].actor1.as_deref(), Some("Military Forces of Israel"));
    assert_eq!(got[0].actor2.as_deref(), Some("Hamas Movement"));
}

#[test]
fn a_clause_without_a_subject_has_its_sentences() {
    let got = read(
        "Russian forces took up positions near the river; later shelled Vovchansk.",
        "2024-05-04",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].actor1.as_deref(), Some("Military Forces of Russia"));
}

#[test]
fn state_forces_by_their_abbreviations() {
    let got = read("SAF warplanes bombed a market in Omdurman.", "2024-05-04");
    assert_eq!(got[0].actor1.as_deref(), Some("Military Forces of Sudan"));
    // "FDS" is the forces of the country where it happened.
    let got = read(
        "FDS soldiers clashed with JNIM militants near Djibo.",
        "2024-05-04",
    );
    assert_eq!(
        got[0].actor1.as_deref(),
        Some("Military Forces of Burkina Faso")
    );
    assert_eq!(
        got[0].actor2.as_deref(),
        Some("JNIM: Group for Support of Islam and Muslims")
    );
}

#[test]
fn an_unknown_village_is_placed_by_its_bracketed_district() {
    let got = read(
        "Israeli artillery shelled the edge of Kfar Zzyx (Marjayoun).",
        "2024-05-04",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Marjayoun");
}

#[test]
fn a_neighbourhood_is_part_of_the_town_the_sentence_names() {
    let got = read(
        "On 2 March 2024, in Belem (Para), gunmen shot and killed a driver in the Santa Rosa neighborhood.",
        "2024-03-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.country_code, "BR");
    assert_eq!(got[0].place.admin1_code, "16", "Pará: {:?}", got[0].place);
}

#[test]
fn crowds_with_placards_and_misspelt_cities() {
    let got = read(
        "Nurses gathered with placards outside the hospital in Nakuru.",
        "2024-05-04",
    );
    assert_eq!(got[0].event_type, PROTESTS);
    let got = read("Teachers protested in Mosoul city.", "2024-05-04");
    assert_eq!(got[0].place.name, "Mosul");
}

#[test]
fn a_rules_company_words_are_looked_for_near_the_clause() {
    // A run-on "sentence" with no full stop (a fuzzer's, or a dump's): "protesters" far away does
    // not make the tear gas a protest, and reading it is linear, not quadratic, in its length.
    let far = "and the long wait went on ".repeat(40);
    let text = format!("Police used tear gas in Kharkiv while {far}protesters sang");
    let got = read(&text, "2024-05-04");
    assert!(
        got.iter()
            .all(|e| e.sub_event_type != "Protest with intervention"),
        "{got:?}"
    );
    let near = "Police used tear gas in Kharkiv while protesters sang";
    let got = read(near, "2024-05-04");
    assert!(
        got.iter()
            .any(|e| e.sub_event_type == "Protest with intervention"),
        "{got:?}"
    );
}

#[test]
fn ukrainian_and_russian_reports_give_their_event_actors_and_dead() {
    for (text, actor2, dead) in [
        (
            "Російські війська обстріляли Харків, загинули двоє людей.",
            None,
            2,
        ),
        (
            "Российские войска обстреляли Харьков, погибли трое мирных жителей.",
            Some("Civilians (Ukraine)"),
            3,
        ),
    ] {
        let got = read(text, "2023-03-03");
        assert_eq!(got.len(), 1, "{got:?}");
        let e = &got[0];
        assert_eq!(
            (e.event_type, e.sub_event_type),
            (EXPLOSIONS, "Shelling/artillery/missile attack")
        );
        assert_eq!(e.place.name, "Kharkiv");
        assert_eq!(e.actor1.as_deref(), Some("Military Forces of Russia"));
        assert_eq!(e.actor2.as_deref(), actor2);
        assert_eq!(e.fatalities, dead);
    }
}

#[test]
fn a_cyrillic_plan_is_no_event() {
    assert!(read("Росіяни можуть знову обстріляти Харків.", "2023-03-03").is_empty());
}

#[test]
fn a_fronts_sector_is_no_site_and_a_town_near_comes_before_its_region() {
    let got = read(
        "На Бахмутському напрямку наші захисники відбили атаку поблизу Часового Яру.",
        "2023-03-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Chasiv Yar");
    assert_eq!(got[0].geo_precision, 2);
    let got = read(
        "Вчора на Харківщині трактор підірвався на міні поблизу Балаклії.",
        "2023-03-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Balakliya");
    assert_eq!(got[0].event_date.unwrap().to_string(), "2023-03-02");
}

#[test]
fn a_post_headed_by_a_place_is_about_that_place() {
    let got = read("Харків. Окупанти обстріляли депо.", "2023-03-03");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Kharkiv");
}

#[test]
fn a_flag_a_course_and_a_border_are_no_sites() {
    let got = read(
        "Танкер під прапором Панами підірвався на міні поблизу Одеси.",
        "2023-03-03",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].place.name, "Odesa");
    let got = read(
        "Беспилотники, летевшие в сторону Москвы, сбиты.",
        "2023-03-03",
    );
    assert!(got.iter().all(|e| e.place.name != "Moscow"), "{got:?}");
}

#[test]
fn explosions_a_report_denies_are_none() {
    let got = read(
        "Тривога у Харкові тривала дві години, про вибухи не повідомляли.",
        "2023-03-03",
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn the_places_under_fire_are_the_sites() {
    let got = read(
        "Вчора під мінометним вогнем перебували Вовчанськ, Старий Салтів і Липці.",
        "2023-03-03",
    );
    let names: Vec<&str> = got.iter().map(|e| e.place.name.as_str()).collect();
    assert_eq!(names, ["Vovchansk", "Staryi Saltiv", "Lyptsi"], "{got:?}");
}
