//! `geoevents lookup` in the spellings real reporting uses, on the embedded gazetteer.

mod common;

use common::*;
use serde_json::Value;

fn lookup(args: &[&str]) -> Vec<Value> {
    lookup_results(None, args)
}

fn first(query: &str) -> Value {
    lookup(&[query])
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no result for {query}"))
}

fn assert_first(query: &str, geonameid: u64) -> Value {
    let r = first(query);
    assert_eq!(r["geonameid"], geonameid, "{query}: {r}");
    r
}

#[test]
fn ukrainian_and_russian_romanisations() {
    for (q, id) in [
        ("Kharkiv", 706483),
        ("Kharkov", 706483),
        ("Mykolaiv", 700569),
        ("Nikolaev", 700569),
        ("Zaporizhzhia", 687700),
        ("Zaporozhye", 687700),
        ("Zaporizhzhya", 687700),
        ("Sievierodonetsk", 691999),
        ("Severodonetsk", 691999),
        ("Avdeevka", 713122),
    ] {
        assert_first(q, id);
    }
}

#[test]
fn cyrillic_in_either_language() {
    assert_first("Харків", 706483);
    assert_first("Харьков", 706483);
    assert_first("Запоріжжя", 687700);
    let r = assert_first("Донецьк", 709717);
    assert_eq!(r["country_code"], "UA");
}

#[test]
fn renamed_places_say_they_matched_a_historic_name() {
    for (q, id) in [
        ("Artemivsk", 713174),
        ("Artemovsk", 713174),
        ("Dnipropetrovsk", 709930),
        ("Kirovohrad", 705812),
        ("Krasnoarmiisk", 704422),
    ] {
        let r = assert_first(q, id);
        assert_eq!(r["matched"], "historic", "{q}");
        assert_eq!(r["edit_distance"], 0);
    }
}

#[test]
fn typos_match_with_their_edit_distance() {
    let r = assert_first("Bakhmutt", 713174);
    assert_eq!(
        (r["matched"].as_str(), r["edit_distance"].as_u64()),
        (Some("fuzzy"), Some(1))
    );
    assert_eq!(r["matched_name"], "Bakhmut");
    assert_first("Kharkhiv", 706483);
    assert_first("Bakhumt", 713174);
    let r = assert_first("Zherberets River", 687176);
    assert_eq!(r["edit_distance"], 2);
    // Exact matches never report an edit distance.
    assert_eq!(assert_first("Bakhmut", 713174)["edit_distance"], 0);
}

#[test]
fn qualifiers_choose_the_feature_type() {
    for q in [
        "Donetsk Oblast",
        "Donetsk region",
        "Donetska oblast",
        "Донецька область",
    ] {
        let r = assert_first(q, 709716);
        assert_eq!(r["feature_code"], "ADM1", "{q}");
    }
    assert_first("Kharkiv oblast", 706482);
    assert_first("Kharkhiv region", 706482);
    assert_first("Zherebets River", 687176);
    assert_first("the village of Krasna Hora", 704463);
    // Only the city is called Belgorod: its region is the oblast it lies in.
    let r = assert_first("Belgorod region", 578071);
    assert_eq!(r["feature_code"], "ADM1");
    // Bare names mean the city, not the division that shares its name.
    assert_first("Kharkiv", 706483);
    assert_first("Wien", 2761369);
}

#[test]
fn places_after_commas_narrow_the_choice() {
    assert_first("Kyiv, Ukraine", 703448);
    assert_first("Paris, France", 2988507);
    assert_first("Bakhmut, Donetsk", 713174);
    assert_first("Krasna Hora, Donetsk region", 704463);
    let texas = assert_first("Paris, Texas", 4717560);
    assert_eq!(texas["country_code"], "US");
}

#[test]
fn country_limits_apply_before_typos_are_searched() {
    // "Marika" is exactly a place in Somalia; in Ukraine it is a typo of Mar'yinka.
    let r = &lookup(&["Marika", "--country", "UA"])[0];
    assert_eq!(
        (r["geonameid"].as_u64(), r["matched"].as_str()),
        (Some(701845), Some("fuzzy"))
    );
    let r = &lookup(&["Lyma", "--country", "UA"])[0];
    assert_eq!(r["geonameid"], 704204);
}

#[test]
fn near_prefers_the_candidate_closest_to_a_point() {
    let all = lookup(&["Lyman", "--limit", "5"]);
    assert!(all.len() >= 2, "several Lymans expected");
    let other = &all[1];
    let near = format!("{},{}", other["latitude"], other["longitude"]);
    let r = lookup(&["Lyman", "--near", &near])[0].clone();
    assert_eq!(r["geonameid"], other["geonameid"]);
    geoevents()
        .args(["lookup", "Lyman", "--near", "95,10"])
        .assert()
        .code(2);
}

#[test]
fn stats_report_latency_on_stderr() {
    let out = geoevents()
        .args(["lookup", "--batch", "-", "--stats"])
        .write_stdin("Kyiv\nBakhmutt\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2 queries: mean") && err.contains("p99"),
        "{err}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn text_output_says_how_it_matched() {
    let out = geoevents()
        .args(["lookup", "Kharkhiv", "--limit", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Kharkiv [706483]") && text.contains("fuzzy") && text.contains("1 edit"),
        "{text}"
    );
}

#[test]
fn spelling_families_of_one_village_find_it() {
    // The press writes a village's name in several romanisations; each finds the same place,
    // and says how it matched.
    for family in [
        &["Vodiane, Donetsk", "Vodyane, Donetsk", "Vod'yane, Donetsk"][..],
        &["Pobyeda, Donetsk", "Pobeda, Donetsk", "Pobieda, Donetsk"][..],
        &[
            "Kamianka, Kharkiv",
            "Kamyanka, Kharkiv",
            "Kam'yanka, Kharkiv",
        ][..],
        &["Robotyne", "Rabotino", "Работино", "Роботине"][..],
    ] {
        let ids: Vec<Value> = family
            .iter()
            .map(|q| first(q)["geonameid"].clone())
            .collect();
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{family:?}: {ids:?}");
        for q in family {
            assert!(first(q)["matched"].is_string());
        }
    }
}
