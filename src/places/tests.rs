use super::*;

#[test]
fn a_mention_serialises_with_every_field_of_its_place_in_order() {
    let gaz = crate::embedded::gazetteer().unwrap();
    let opts = PlacesOptions::default();
    let found = places(gaz, "Shelling hit Bakhmut.", &opts).unwrap();
    let keys =
        |v: serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut want = vec!["mention".to_string(), "start".into(), "end".into()];
    want.extend(keys(serde_json::to_value(&found[0].place).unwrap()));
    want.extend(["score".into(), "matched".into(), "metonymy".into()]);
    assert_eq!(keys(serde_json::to_value(&found[0]).unwrap()), want);
}

/// (mention, GeoNames name, feature code, country code) of every place `text` names.
fn resolved(text: &str) -> Vec<(String, String, String, String)> {
    let gaz = crate::embedded::gazetteer().unwrap();
    let opts = PlacesOptions {
        demonyms: true,
        ..PlacesOptions::default()
    };
    places(gaz, text, &opts)
        .unwrap()
        .into_iter()
        .map(|p| {
            (
                p.mention,
                p.place.name,
                p.place.feature_code,
                p.place.country_code,
            )
        })
        .collect()
}

fn mentions(found: &[(String, String, String, String)]) -> Vec<&str> {
    found.iter().map(|f| f.0.as_str()).collect()
}

/// (mention, country code) of each place.
fn countries(found: &[(String, String, String, String)]) -> Vec<(&str, &str)> {
    found.iter().map(|f| (f.0.as_str(), f.3.as_str())).collect()
}

#[test]
fn country_names_that_begin_with_a_demonym_or_hold_of_the() {
    let found = resolved(
        "Envoys of Saudi Arabia and the Democratic Republic of the Congo met in the \
         Dominican Republic.",
    );
    assert_eq!(
        mentions(&found),
        [
            "Saudi Arabia",
            "Democratic Republic of the Congo",
            "Dominican Republic"
        ]
    );
    let codes: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(codes, ["SA", "CD", "DO"]);
}

#[test]
fn state_abbreviations_after_a_comma_are_the_states() {
    let found =
        resolved("School boards in Lexington, Ky., and Charleston, W.Va., voted to delay classes.");
    let expect = [
        ("Lexington", "PPLA2"),
        ("Ky.", "ADM1"),
        ("Charleston", "PPLA"),
        ("W.Va.", "ADM1"),
    ];
    assert_eq!(found.len(), 4, "{found:?}");
    for ((mention, _, code, cc), (want, want_code)) in found.iter().zip(expect) {
        assert_eq!(
            (mention.as_str(), code.as_str(), cc.as_str()),
            (want, want_code, "US")
        );
    }
    assert_eq!(found[1].1, "Kentucky");
    assert_eq!(found[3].1, "West Virginia");
}

#[test]
fn a_state_after_a_comma_is_the_state_not_its_city() {
    let found = resolved("Lawmakers gathered in Albany, New York, on Monday.");
    assert_eq!(found[1].0, "New York");
    assert_eq!(
        (found[1].2.as_str(), found[1].1.as_str()),
        ("ADM1", "New York")
    );
}

#[test]
fn a_citys_respelling_beats_the_hamlet_that_bears_it() {
    let found = resolved("Bombs fell on Zaporizhzhia overnight.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].1.as_str(), found[0].2.as_str()),
        ("Zaporizhzhya", "PPLA")
    );
    // A translation is not a respelling: the White House is not Casablanca.
    let found = resolved("Aides at the White House said the trip was off.");
    assert!(found.iter().all(|f| f.1 != "Casablanca"), "{found:?}");
}

#[test]
fn a_town_whose_own_name_ends_in_city_is_that_town() {
    let found = resolved("Crews from Boulder City and Henderson fought the brush fire.");
    assert_eq!(found[0].0, "Boulder City");
    assert_eq!(
        (found[0].1.as_str(), found[0].3.as_str()),
        ("Boulder City", "US")
    );
    // Without a town of that whole name, "city" still only qualifies the name.
    let found = resolved("Traffic in Vinnytsia city was halted.");
    assert_eq!(
        (found[0].1.as_str(), found[0].2.as_str()),
        ("Vinnytsya", "PPLA")
    );
}

#[test]
fn the_atlantic_is_the_ocean_and_the_dnipro_the_river() {
    let found = resolved(
        "Forecasters in Iowa expect storms over the tropical Atlantic, a farmer near \
         Atlantic said. In Ukraine, boats crossed the Dnipro at night.",
    );
    let got: Vec<(&str, &str)> = found.iter().map(|f| (f.0.as_str(), f.2.as_str())).collect();
    assert_eq!(
        got,
        [
            ("Iowa", "ADM1"),
            ("Atlantic", "OCN"),
            ("Atlantic", "PPLA2"),
            ("Ukraine", "PCLI"),
            ("Dnipro", "STM")
        ],
        "{found:?}"
    );
}

#[test]
fn saint_names_keep_their_abbreviation() {
    let found = resolved("The driver was flown to St. Cloud Hospital in fair condition.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "St. Cloud");
    assert_eq!(found[0].1, "Saint Cloud");
}

#[test]
fn surnames_and_institutions_named_after_small_towns_are_not_places() {
    let found = resolved(
        "Wrestling coach Darren Ripley praised the team from Memphis, and Ripley High \
         School sent its band.",
    );
    assert_eq!(mentions(&found), ["Memphis"]);
}

#[test]
fn common_given_names_and_surnames_are_people() {
    let found = resolved(
        "Two Mansfield aldermen, Mitchell Lewis and Marsha Dyer, were not told. Later Dyer \
         was all smiles at the fair in Tennessee.",
    );
    assert_eq!(mentions(&found), ["Mansfield", "Tennessee"]);
}

#[test]
fn a_country_is_not_outvoted_by_a_village_of_its_name() {
    let found =
        resolved("Tariffs on soybeans shipped to China worried farmers in Iowa, Ohio and Maine.");
    assert_eq!(found[0].0, "China");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("PCLI", "CN"));
}

#[test]
fn short_words_start_longer_names() {
    let found =
        resolved("Flights from El Paso and La Paz reached Da Nang and Ho Chi Minh City on Monday.");
    assert_eq!(
        countries(&found),
        [
            ("El Paso", "US"),
            ("La Paz", "BO"),
            ("Da Nang", "VN"),
            ("Ho Chi Minh City", "VN")
        ]
    );
}

#[test]
fn a_state_or_province_alone_is_not_a_small_town_of_its_name() {
    let found = resolved(
        "The recalled peanut butter was sold in California, Oregon, Nevada, Ohio, Missouri \
         and Wyoming.",
    );
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(
        found.iter().all(|f| f.2 == "ADM1" && f.3 == "US"),
        "{found:?}"
    );
    let found = resolved(
        "Canada now has 51 cases: fifteen in British Columbia, twelve in Ontario and eight \
         in Alberta.",
    );
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| (f.0.as_str(), f.2.as_str(), f.3.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Canada", "PCLI", "CA"),
            ("British Columbia", "ADM1", "CA"),
            ("Ontario", "ADM1", "CA"),
            ("Alberta", "ADM1", "CA")
        ]
    );
    // Alone, too: not California in Brazil or Missouri, nor Delaware, Ohio.
    for (text, name) in [
        ("Sales rose in California.", "California"),
        ("The storm hit Delaware.", "Delaware"),
    ] {
        let found = resolved(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (
                found[0].1.as_str(),
                found[0].2.as_str(),
                found[0].3.as_str()
            ),
            (name, "ADM1", "US")
        );
    }
    // A city of the name inside the division, or the seat of any division, keeps a bare
    // name: Kharkiv is the city in Kharkiv oblast, Gaza the city, not Mozambique's province.
    let found = resolved("Shelling hit Kharkiv overnight.");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("PPLA", "UA"));
    let found = resolved("Airstrikes hit Gaza on Monday.");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("PPLA", "PS"));
    // A list of countries keeps a capital a capital.
    let found = resolved("Talks linked France, Germany, Italy and Berlin.");
    assert_eq!(
        (found[3].0.as_str(), found[3].2.as_str()),
        ("Berlin", "PPLC")
    );
}

#[test]
fn the_province_of_x_is_the_division() {
    let found =
        resolved("Babies will be sent to other hospitals in the province of Ontario or abroad.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("ADM1", "CA"));
    // Alone, Washington is the capital; "the state of" makes it the state...
    let found = resolved("Wildfires burned across the state of Washington.");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("ADM1", "US"));
    // ...but not where a country bears the name.
    let found = resolved("The state of Iraq after the war was grim.");
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("PCLI", "IQ"));
}

#[test]
fn a_capital_needs_more_than_the_storys_country_to_become_a_namesake_town() {
    let found =
        resolved("An airline flew a woman from Newark, N.J., to San Francisco instead of Paris.");
    let paris = found.iter().find(|f| f.0 == "Paris").expect("Paris");
    assert_eq!((paris.2.as_str(), paris.3.as_str()), ("PPLC", "FR"));
    // With a place of its own state beside it, the town it is.
    let found = resolved("Storms hit Paris and Sulphur Springs in northeast Texas.");
    let paris = found.iter().find(|f| f.0 == "Paris").expect("Paris");
    assert_eq!(paris.3, "US", "{found:?}");
}

#[test]
fn a_person_with_a_middle_initial_is_one_name() {
    let found =
        resolved("Who would have wanted Matthew D. Flores dead? Flores, 26, had left the Army.");
    assert!(found.is_empty(), "{found:?}");
    // A capital letter and a stop after a word that is no given name end a sentence.
    let found = resolved("Voters backed Plan B. Bakhmut fell on Monday.");
    assert_eq!(mentions(&found), ["Bakhmut"]);
}

#[test]
fn a_word_that_is_no_place_sways_no_other() {
    // "Johnson" of Johnson & Johnson is left out; it must not make Washington a town in the
    // Kansas county of that name.
    let found = resolved(
        "The Washington Post reported the boycott. Johnson & Johnson and Nestle pulled ads.",
    );
    assert_eq!(mentions(&found), ["Washington"]);
    assert_eq!(found[0].2, "PPLC");
}

#[test]
fn codes_and_stray_variants_are_not_places_but_romanisations_are() {
    // "DAC" is Dhaka's airport code, "Ken" a variant of Kenya, "Brown" one of Belton's and
    // of Brown County's.
    let found = resolved("Ken Brown of DAC Holdings said the farmers were paid.");
    assert!(found.is_empty(), "{found:?}");
    let found = resolved("Farmers in Brown County were paid.");
    assert_eq!(mentions(&found), ["Brown County"], "{found:?}");
    // Ukrainian romanisations that GeoNames lists as variants still count, as do a
    // place's abbreviation and the head of its own name.
    let found = resolved(
        "Shelling hit Kupiansk, Izium and Jabalia; EU envoys met in Acapulco, then in D.C.",
    );
    assert_eq!(
        countries(&found),
        [
            ("Kupiansk", "UA"),
            ("Izium", "UA"),
            ("Jabalia", "PS"),
            ("EU", ""),
            ("Acapulco", "MX"),
            ("D.C.", "US")
        ]
    );
}

#[test]
fn a_misspelt_river_is_a_river_or_nothing() {
    // The embedded gazetteer has no Neches River; Natchez is one letter away but a town.
    let found = resolved("Flood water rose along the Neches River on Tuesday.");
    assert!(found.is_empty(), "{found:?}");
    let found = resolved("Troops crossed the Zherberets River near Kreminna.");
    assert_eq!(found[0].2, "STM", "{found:?}");
}

#[test]
fn a_possessive_inside_a_name_does_not_cut_it() {
    let found = resolved(
        "Officials of the People's Republic of China met envoys of the Democratic Republic \
         of Congo; Britain's Ministry of Defence sent none.",
    );
    assert_eq!(
        countries(&found),
        [
            ("People's Republic of China", "CN"),
            ("Democratic Republic of Congo", "CD"),
            ("Britain", "GB")
        ]
    );
    // The possessive must be followed by the name's next word, not by a stop.
    let found = resolved("Farmers in Queen Anne's. County officials met.");
    assert!(found.iter().all(|f| f.2 != "ADM2"), "{found:?}");
}

#[test]
fn a_county_and_its_seat_settle_each_other() {
    let gaz = crate::embedded::gazetteer().unwrap();
    let opts = PlacesOptions::default();
    let text = "The burn ban issued for Walker County was lifted. Residents of Huntsville \
                may burn again.";
    let found = places(gaz, text, &opts).unwrap();
    let admin1: Vec<(&str, &str)> = found
        .iter()
        .map(|p| (p.mention.as_str(), p.place.admin1_code.as_str()))
        .collect();
    // Alabama has a Walker County and the larger Huntsville, but not one inside the other.
    assert_eq!(admin1, [("Walker County", "TX"), ("Huntsville", "TX")]);
}

/// (mention, geonameid, feature code) of every place `text` names, read with `prior`.
fn ids_with(text: &str, prior: Prior) -> Vec<(String, u32, String)> {
    let gaz = crate::embedded::gazetteer().unwrap();
    let opts = PlacesOptions {
        prior,
        ..PlacesOptions::default()
    };
    places(gaz, text, &opts)
        .unwrap()
        .into_iter()
        .map(|p| (p.mention, p.place.geonameid, p.place.feature_code))
        .collect()
}

#[test]
fn a_village_named_with_its_region_is_the_settlement_of_that_region() {
    // Chepil is both a stream and a village of Kharkiv oblast; a lone small name with no
    // locative word before it would otherwise be left out.
    let found = ids_with(
        "Artillery struck Chepil, Kharkiv, overnight.",
        Prior::default(),
    );
    assert_eq!(found[0], ("Chepil".into(), 710857, "PPL".into()));
    assert_eq!(found[1].2, "ADM1");
}

#[test]
fn a_village_not_known_in_the_region_named_is_not_its_namesake_elsewhere() {
    // Dykanka is a town of Poltava oblast only: "Dykanka, Donetsk" is some place the gazetteer
    // lacks, so only the region stands.
    let found = ids_with("Troops shelled Dykanka, Donetsk.", Prior::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1, found[0].2.as_str()), (709716, "ADM1"));
    // In a list of regions the first name is no town named with its region.
    let found = ids_with(
        "Alerts sounded in Kharkiv, Sumy and Poltava.",
        Prior::default(),
    );
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn a_weapon_named_after_a_small_place_is_no_place() {
    let found = ids_with(
        "Troops fired Grad rockets and Iskander missiles at Kupiansk.",
        Prior::default(),
    );
    let names: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["Kupiansk"]);
}

#[test]
fn the_theatre_and_the_hints_lean_an_ambiguous_village_towards_them() {
    let text = "Troops shelled Novoselivka, Donetsk.";
    // Eleven villages of the name in Donetsk oblast; on its own the name reads as the largest.
    let alone = ids_with(text, Prior::default());
    assert_eq!(alone[0].1, 699185);
    // A batch whose sure sites lie around the one near Volnovakha (47.40 N 37.73 E).
    let sites = (0..30).map(|i| (47.35 + i as f64 * 0.004, 37.70 + i as f64 * 0.002));
    let theatre = crate::theatre::Theatre::of(sites).map(Arc::new);
    let leaned = ids_with(
        text,
        Prior {
            theatre,
            ..Prior::default()
        },
    );
    assert_eq!(leaned[0].1, 699208);
    // `--near` does the same for one run.
    let near = ids_with(
        text,
        Prior {
            near: Some(crate::theatre::Near {
                lat: 47.40,
                lon: 37.73,
                km: 20.0,
            }),
            ..Prior::default()
        },
    );
    assert_eq!(near[0].1, 699208);
    // A prior, not a filter: a name with one reading keeps it however far away.
    let far = ids_with(
        "Troops shelled Dykanka.",
        Prior {
            countries: vec!["FR".into()],
            ..Prior::default()
        },
    );
    assert_eq!(far[0].1, 710041);
}

#[test]
fn the_village_before_a_region_is_not_the_city_the_region_is_named_after() {
    // Donetsk city lists "Oleksandrivka" among its former names; a village of that name in
    // Donetsk oblast is what the writer meant.
    let found = ids_with("Mortars hit Oleksandrivka, Donetsk.", Prior::default());
    assert_eq!(found[0].0, "Oleksandrivka");
    assert_ne!(found[0].1, 709717, "{found:?}");
    assert!(found[0].2.starts_with("PPL"), "{found:?}");
}

#[test]
fn a_village_of_kyiv_lies_in_the_city_or_in_the_oblast_around_it() {
    // Skybyn is a village of Kyiv oblast (Brovary raion), not of the city that is a region of
    // its own; other Skybyns lie in Vinnytsia and Cherkasy oblasts.
    let found = ids_with("Shelling hit Skybyn, Kyiv.", Prior::default());
    assert_eq!(found[0], ("Skybyn".into(), 8524507, "PPL".into()));
}

#[test]
fn a_name_placed_in_its_region_keeps_that_place_when_repeated() {
    let gaz = crate::embedded::gazetteer().unwrap();
    let text = "Troops were repelled near Novomykhaylivka, Donetsk. Artillery shelled \
                Novomykhaylivka again.";
    let found = places(gaz, text, &PlacesOptions::default()).unwrap();
    let ids: Vec<(String, String)> = found
        .iter()
        .filter(|p| p.mention == "Novomykhaylivka")
        .map(|p| (p.place.name.clone(), p.place.admin1_code.clone()))
        .collect();
    assert_eq!(ids.len(), 2, "{found:?}");
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0].1, "05");
}

#[test]
fn a_city_a_dash_and_a_name_is_a_district_of_that_city() {
    // Kirovskyi is a former name of Rutchenkivskyi, a quarter of Donetsk; villages of the name
    // lie all over the former Soviet Union.
    let found = ids_with(
        "Mortars hit positions in Donetsk - Kirovskyi on Tuesday.",
        Prior::default(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Kirovskyi");
    let gaz = crate::embedded::gazetteer().unwrap();
    let p = places(
        gaz,
        "Mortars hit Donetsk - Kirovskyi.",
        &PlacesOptions::default(),
    )
    .unwrap();
    let donetsk = (48.023, 37.802);
    let km = distance_km(
        donetsk.0,
        donetsk.1,
        p[0].place.latitude,
        p[0].place.longitude,
    );
    assert!(km < DISTRICT_KM, "{km} km: {:?}", p[0].place);
}

#[test]
fn a_bracketed_list_of_divisions_places_the_village_before_it() {
    // Two Stepoves in Donetsk oblast: one in Mariupol raion, one in Pokrovsk raion.
    let found = ids_with(
        "Drones struck Stepove (Avdiivka hromada, Pokrovsk raion, Donetsk oblast) at dawn.",
        Prior::default(),
    );
    assert_eq!(found[0], ("Stepove".into(), 9113132, "PPL".into()));
    let found = ids_with(
        "Drones struck Stepove (Mariupol raion, Donetsk oblast) at dawn.",
        Prior::default(),
    );
    assert_eq!(found[0].0, "Stepove");
    assert_ne!(found[0].1, 9113132, "{found:?}");
}

#[test]
fn the_region_a_writer_names_outweighs_the_kind_of_division() {
    // No Kamianske raion in Zaporizhzhia oblast: the town of Kamianske there, not the raion of
    // that name in Dnipropetrovsk oblast.
    let gaz = crate::embedded::gazetteer().unwrap();
    let found = places(
        gaz,
        "Shelling hit Kamianske district, Zaporizhia.",
        &PlacesOptions::default(),
    )
    .unwrap();
    assert_eq!(found[0].place.admin1_code, "26", "{found:?}");
    assert_eq!(found[0].place.feature_class, "P");
}
