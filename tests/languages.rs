//! Ukrainian and Russian reports through the real binary (issue 20): the language each document
//! is read as and reported in (`lang` in `places`, `x_lang` in layers), `--lang` and the JSONL
//! `lang` field, and place names found in their case forms but reported under GeoNames' names.

mod common;

use common::{geoevents, ok_output};
use serde_json::Value;

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const INPUT: &str = concat!(
    r#"{"id":"uk","text":"Ворог уночі обстріляв Херсон, а вдень тривали бої під Бахмутом і в Харківській області."}"#,
    "\n",
    r#"{"id":"ru","text":"Силы ПВО сбили беспилотник над Брянской областью, бои продолжаются возле Купянска."}"#,
    "\n",
    r#"{"id":"en","text":"Russian artillery shelled Nikopol overnight."}"#,
    "\n",
    r#"{"id":"told","text":"Russian artillery shelled Nikopol overnight.","lang":"uk"}"#,
    "\n",
);

#[test]
fn places_reports_each_documents_language_and_latin_names() {
    let out = ok_output(geoevents().args(["places", "-"]).write_stdin(INPUT));
    let docs = lines(&out.stdout);
    let langs: Vec<&str> = docs.iter().map(|d| d["lang"].as_str().unwrap()).collect();
    // The JSONL `lang` wins over what the letters say.
    assert_eq!(langs, ["uk", "ru", "en", "uk"]);
    let names = |d: &Value| -> Vec<(String, String)> {
        d["places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["mention"].as_str().unwrap().to_string(),
                    p["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let uk = names(&docs[0]);
    let mentions: Vec<&str> = uk.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(mentions, ["Херсон", "Бахмутом", "Харківській області"]);
    // The text as written in `mention`, GeoNames' Latin name in `name`.
    assert_eq!(uk[1].1, "Bakhmut");
    let ru = names(&docs[1]);
    assert!(ru.iter().any(|(m, _)| m == "Купянска"), "{ru:?}");
}

#[test]
fn forced_language_is_reported_in_layers() {
    let out = ok_output(
        geoevents()
            .args([
                "map",
                "--format",
                "geojsonseq",
                "-o",
                "-",
                "--lang",
                "ru",
                "--date",
                "2024-03-05",
                "-",
            ])
            .write_stdin(r#"{"id":"a","text":"Russian artillery shelled Nikopol overnight."}"#),
    );
    let features = lines(&out.stdout);
    assert!(!features.is_empty());
    assert!(features.iter().all(|f| f["properties"]["x_lang"] == "ru"));
}

#[test]
fn an_unknown_language_is_refused_by_name() {
    let out = geoevents()
        .args(["places", "--lang", "de", "-"])
        .write_stdin("x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("en, uk and ru"));
}

#[test]
fn a_ukrainian_text_leans_its_namesakes_to_ukraine() {
    // Tokmak (Zaporizhzhia) and Tokmok (Kyrgyzstan) share the Cyrillic name Токмак.
    let out = ok_output(geoevents().args(["places", "-"]).write_stdin(
        r#"{"id":"a","text":"Окупанти облаштували штаб у школі в Токмаку, розповів мер."}"#,
    ));
    let doc = &lines(&out.stdout)[0];
    assert_eq!(doc["places"][0]["mention"], "Токмаку");
    assert_eq!(doc["places"][0]["country_code"], "UA");
}
