//! The languages events are read in. English is read by the patterns of this module's siblings,
//! whose words come from `lang/en/events_*`; Ukrainian and Russian by language packs, the files
//! `lang/uk/events_*` and `lang/ru/events_*` compiled in here: the rule table, the actors, the words that tie a place to
//! an event, that cancel one, that report one, the number words and the words of deaths. The code
//! holds the rules and the packs hold the words, so a pack grows without a code change.
//!
//! Each sentence is read in its own language, told by its letters (a document may mix them).

use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon;

pub use crate::lang::{has_cyrillic, Lang};

/// The language of `text` by its letters: English unless most letters are Cyrillic; then
/// Ukrainian for і ї є ґ, Russian for ы э ё ъ. Russian text of some length without them is
/// still Russian (Ukrainian text of twenty letters nearly always has an і); a shorter one, or as
/// many of each, is `None`.
pub fn detect(text: &str) -> Option<Lang> {
    let (mut latin, mut cyrillic, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if crate::lang::is_cyrillic(c) {
            cyrillic += 1;
            match c {
                'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => uk += 1,
                'ы' | 'э' | 'ё' | 'ъ' | 'Ы' | 'Э' | 'Ё' | 'Ъ' => ru += 1,
                _ => {}
            }
        }
    }
    if cyrillic == 0 || cyrillic < latin {
        return Some(Lang::En);
    }
    match uk.cmp(&ru) {
        std::cmp::Ordering::Greater => Some(Lang::Uk),
        std::cmp::Ordering::Less => Some(Lang::Ru),
        std::cmp::Ordering::Equal if uk == 0 && cyrillic >= RUSSIAN_WITHOUT_MARKS => Some(Lang::Ru),
        std::cmp::Ordering::Equal => None,
    }
}

/// How many Cyrillic letters without і ї є ґ make a text Russian.
const RUSSIAN_WITHOUT_MARKS: usize = 20;

/// The languages to read a sentence in, the first for its cues: the document's language when
/// the run or the document names it (`told`) and the sentence is Cyrillic; else the sentence's
/// own, else the document's (`document`), else Ukrainian then Russian (a short Cyrillic sentence
/// often shows neither's letters).
pub fn of_sentence(sentence: &str, told: Option<Lang>, document: Option<Lang>) -> &'static [Lang] {
    let own = detect(sentence);
    let told = told.filter(|t| *t != Lang::En && own != Some(Lang::En));
    match told.or(own).or(document) {
        Some(Lang::En) => &[Lang::En],
        Some(Lang::Uk) => &[Lang::Uk],
        Some(Lang::Ru) => &[Lang::Ru],
        None => &[Lang::Uk, Lang::Ru],
    }
}

/// One language's files.
pub struct Pack {
    pub lang: Lang,
    pub rules: &'static str,
    pub actors: &'static str,
    pub fatalities: &'static str,
    pub numbers: &'static str,
    locatives: &'static str,
    near: &'static str,
    objects: &'static str,
    place_words: &'static str,
    subject_after: &'static str,
    clause_breaks: &'static str,
    circumstance: &'static str,
    conjunctions: &'static str,
    unrealised: &'static str,
    unrealised_not: &'static str,
    pub reporting: &'static str,
    attribution: &'static str,
    country_wide: &'static str,
    not_sites: &'static str,
    not_sites_before: &'static str,
    denied: &'static str,
    country_acts: &'static str,
    regains: &'static str,
    intercepts: &'static str,
    pub abbreviations: &'static str,
    cues: OnceLock<Cues>,
}

macro_rules! pack {
    ($lang:expr, $code:literal) => {
        Pack {
            lang: $lang,
            rules: include_str!(concat!("../../lang/", $code, "/events_rules.txt")),
            actors: include_str!(concat!("../../lang/", $code, "/events_actors.tsv")),
            fatalities: include_str!(concat!("../../lang/", $code, "/events_fatalities.txt")),
            numbers: include_str!(concat!("../../lang/", $code, "/events_numbers.txt")),
            locatives: include_str!(concat!("../../lang/", $code, "/events_locatives.txt")),
            near: include_str!(concat!("../../lang/", $code, "/events_near.txt")),
            objects: include_str!(concat!("../../lang/", $code, "/events_objects.txt")),
            place_words: include_str!(concat!("../../lang/", $code, "/events_place_words.txt")),
            subject_after: include_str!(concat!("../../lang/", $code, "/events_subject_after.txt")),
            clause_breaks: include_str!(concat!("../../lang/", $code, "/events_clause_breaks.txt")),
            circumstance: include_str!(concat!("../../lang/", $code, "/events_circumstance.txt")),
            conjunctions: include_str!(concat!("../../lang/", $code, "/events_conjunctions.txt")),
            unrealised: include_str!(concat!("../../lang/", $code, "/events_unrealised.txt")),
            unrealised_not: include_str!(concat!(
                "../../lang/",
                $code,
                "/events_unrealised_not.txt"
            )),
            reporting: include_str!(concat!("../../lang/", $code, "/events_reporting.txt")),
            attribution: include_str!(concat!("../../lang/", $code, "/events_attribution.txt")),
            country_wide: include_str!(concat!("../../lang/", $code, "/events_country_wide.txt")),
            country_acts: include_str!(concat!("../../lang/", $code, "/events_country_acts.txt")),
            not_sites: include_str!(concat!("../../lang/", $code, "/events_not_sites.txt")),
            denied: include_str!(concat!("../../lang/", $code, "/events_denied.txt")),
            not_sites_before: include_str!(concat!(
                "../../lang/",
                $code,
                "/events_not_sites_before.txt"
            )),
            regains: include_str!(concat!("../../lang/", $code, "/events_regains.txt")),
            intercepts: include_str!(concat!("../../lang/", $code, "/events_intercepts.txt")),
            abbreviations: include_str!(concat!("../../lang/", $code, "/events_abbreviations.txt")),
            cues: OnceLock::new(),
        }
    };
}

pub static UK: Pack = pack!(Lang::Uk, "uk");
pub static RU: Pack = pack!(Lang::Ru, "ru");

/// The pack of a language read by one (`None` for English, which the code reads).
pub fn pack(lang: Lang) -> Option<&'static Pack> {
    match lang {
        Lang::En => None,
        Lang::Uk => Some(&UK),
        Lang::Ru => Some(&RU),
    }
}

/// The packs there are.
pub fn packs() -> [&'static Pack; 2] {
    [&UK, &RU]
}

/// A list file's entries as one alternation.
pub fn alternation(text: &'static str) -> String {
    lexicon::entries(text).collect::<Vec<_>>().join("|")
}

/// The `list NAME words…` lines of a file, by name.
pub fn named_lists(text: &'static str) -> std::collections::HashMap<&'static str, &'static str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("list "))
        .filter_map(|l| l.split_once(' '))
        .map(|(name, words)| (name, words.trim()))
        .collect()
}

/// A list of "N form form …" lines (number words, month and weekday names): each form, in lower
/// case, with its number; longest forms first, so that an alternation of them prefers them.
pub fn numbered_forms(text: &'static str) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for line in lexicon::entries(text) {
        let mut parts = line.split_whitespace();
        if let Some(n) = parts.next().and_then(|n| n.parse().ok()) {
            out.extend(parts.map(|f| (f.to_lowercase(), n)));
        }
    }
    out.sort_by_key(|(f, _)| std::cmp::Reverse(f.chars().count()));
    out
}

/// A pattern of a pack: Unicode word boundaries and classes (Cyrillic letters are word letters),
/// with the lazy DFA's room that the triggers have.
pub fn build(pattern: &str) -> Regex {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(32 << 20)
        .build()
        .unwrap_or_else(|e| panic!("a language pack's pattern compiles: {e}"))
}

/// How a place's preceding words tie it to the event, from the nearest word back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    Near,
    Locative,
    Object,
}

/// A pack's cue patterns, compiled.
pub struct Cues {
    near: Regex,
    locative: Regex,
    object: Regex,
    pub subject_after: Regex,
    pub clause_breaks: Regex,
    pub circumstance: Regex,
    pub list_separator: Regex,
    pub conjunction: Regex,
    pub attribution: Regex,
    pub country_wide: Regex,
    pub country_acts: Regex,
    /// Right after a place: it names no site ("на Авдіївському напрямку").
    pub not_site: Regex,
    /// Right before a place: it names no site ("під прапором Панами", "в сторону Москвы").
    pub not_site_before: Regex,
    /// Right before a trigger, and right after it: the trigger is the topic of a report that
    /// says there was none ("про вибухи … не повідомлялося").
    topic_before: Regex,
    denied_after: Regex,
    pub unrealised: Regex,
    pub unrealised_not: Regex,
    pub regains: Vec<&'static str>,
    pub intercepts: Vec<&'static str>,
}

/// An apostrophe as Ukrainian writes it: ' ’ or ʼ.
pub const APOSTROPHES: &str = "['’ʼ]";

impl Pack {
    pub fn cues(&self) -> &Cues {
        self.cues.get_or_init(|| {
            let place_words = alternation(self.place_words);
            // A cue word, up to two words (an adjective, "місті"), perhaps a word for a kind of
            // place, then the place: anchored at both ends of the words before the place.
            let tie = |words: &'static str| {
                build(&format!(
                    r"(?i)^(?:{})\s+(?:[\w'’ʼ-]+\s+){{0,2}}?(?:(?:{place_words})\s+)?$",
                    alternation(words)
                ))
            };
            let conjunctions = alternation(self.conjunctions);
            let lists = named_lists(self.denied);
            let ties = format!(
                "{}|{}",
                alternation(self.locatives),
                alternation(self.near)
            );
            Cues {
                near: tie(self.near),
                locative: tie(self.locatives),
                object: tie(self.objects),
                subject_after: build(&format!(
                    r"(?i)^\s*(?:{})",
                    alternation(self.subject_after)
                )),
                clause_breaks: build(&alternation(self.clause_breaks)),
                circumstance: build(&format!(r"(?i)^(?:{})$", alternation(self.circumstance))),
                list_separator: build(&format!(
                    r"(?i)^\s*\)?\s*(?:,\s*)?(?:(?:{conjunctions})\s+)?(?:(?:{ties})\s+)?\(?\s*$"
                )),
                conjunction: build(&format!(r"(?i)(?:^|\s)(?:{conjunctions})\s")),
                attribution: build(&format!(
                    r#"(?i)(?:,\s*[—–-]?|\s[—–-])\s*(?:(?:{})\s+[^,;]+|(?:[\w’'ʼ-]+\s+){{0,6}}?(?:{})\b(?:\s+[^,;]*)?)[.!?"”’»]*\s*$"#,
                    alternation(self.attribution),
                    alternation(self.reporting)
                )),
                country_wide: build(&format!(
                    r"(?i)\b(?:{})\b",
                    alternation(self.country_wide)
                )),
                country_acts: build(&format!(r"(?i)^(?:{})\b", alternation(self.country_acts))),
                not_site: build(&format!(r"(?i)^\s+(?:{})\b", alternation(self.not_sites))),
                topic_before: build(&format!(
                    r"(?i)(?:^|\s)(?:{})\s+$",
                    lists.get("TOPIC").copied().unwrap_or("про")
                )),
                denied_after: build(&format!(
                    r"(?i)^(?:\W+\w+){{0,3}}?\W+(?:{})\b",
                    lists.get("DENIED").copied().unwrap_or("не повідомля\\w*")
                )),
                not_site_before: build(&format!(
                    r#"(?i)(?:^|\W)(?:{})\s+[«"]?$"#,
                    alternation(self.not_sites_before)
                )),
                unrealised: build(&format!(
                    r"(?i)\b(?:{})\b(?:\W+\w+){{0,5}}\W*$",
                    alternation(self.unrealised)
                )),
                unrealised_not: build(&format!(
                    r"(?i)\b(?:{})\b",
                    alternation(self.unrealised_not)
                )),
                regains: lexicon::entries(self.regains).collect(),
                intercepts: lexicon::entries(self.intercepts).collect(),
            }
        })
    }
}

impl Cues {
    /// How the words before a place (`before`, up to the place) tie it to the event: the cue
    /// nearest the place wins, and of cues as near, "near" before "in" before an object.
    pub fn tie(&self, before: &str) -> Option<Tie> {
        let tail = super::rules::last_words(before, 7);
        let base = before.len() - tail.len();
        let mut starts: Vec<usize> = tail
            .char_indices()
            .filter(|&(i, c)| {
                c.is_alphanumeric()
                    && tail[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| !(p.is_alphanumeric() || p == '-' || "'’ʼ".contains(p)))
            })
            .map(|(i, _)| base + i)
            .collect();
        starts.reverse();
        for s in starts {
            let piece = &before[s..];
            if self.near.is_match(piece) {
                return Some(Tie::Near);
            }
            if self.locative.is_match(piece) {
                return Some(Tie::Locative);
            }
            if self.object.is_match(piece) {
                return Some(Tie::Object);
            }
        }
        None
    }

    /// Whether the words before a trigger cancel it ("не обстрілювали", "можуть атакувати").
    pub fn cancels(&self, before: &str) -> bool {
        let blanked = self.unrealised_not.replace_all(before, " ");
        self.unrealised.is_match(&blanked)
    }

    /// Whether a trigger is only the topic of a report that says there was none ("про вибухи та
    /// наслідки не повідомлялося"), read from the words before it and after it.
    pub fn denied(&self, before: &str, after: &str) -> bool {
        self.topic_before.is_match(before) && self.denied_after.is_match(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_their_letters() {
        assert_eq!(detect("Russian forces shelled Kupiansk."), Some(Lang::En));
        assert_eq!(
            detect("Російські війська обстріляли Херсон."),
            Some(Lang::Uk)
        );
        assert_eq!(
            detect("Российские войска обстреляли Херсон."),
            Some(Lang::Ru)
        );
        assert_eq!(detect("Бои под Бахмутом."), None);
        assert_eq!(
            of_sentence("Бои под Бахмутом.", None, Some(Lang::Ru)),
            [Lang::Ru]
        );
        assert_eq!(
            of_sentence("Бои под Бахмутом.", None, None),
            [Lang::Uk, Lang::Ru]
        );
        // A language the run names wins for Cyrillic sentences, not for English ones.
        assert_eq!(
            of_sentence("Російські війська обстріляли Херсон.", Some(Lang::Ru), None),
            [Lang::Ru]
        );
        assert_eq!(
            of_sentence("Troops shelled Kherson.", Some(Lang::Ru), None),
            [Lang::En]
        );
        // A Cyrillic name in English text leaves it English.
        assert_eq!(
            detect("Shelling hit Бахмут overnight, officials said."),
            Some(Lang::En)
        );
    }

    #[test]
    fn every_pack_compiles() {
        for p in packs() {
            let c = p.cues();
            assert!(!c.regains.is_empty() && !c.intercepts.is_empty());
        }
    }

    #[test]
    fn the_nearest_cue_ties_a_place() {
        let uk = UK.cues();
        assert_eq!(uk.tie("Бої тривають під "), Some(Tie::Near));
        assert_eq!(
            uk.tie("Бої тривають під Бахмутом та в "),
            Some(Tie::Locative)
        );
        assert_eq!(uk.tie("Вибухи пролунали в районі "), Some(Tie::Near));
        assert_eq!(uk.tie("Під час обстрілу "), Some(Tie::Object));
        assert_eq!(
            uk.tie("Загинули люди у прифронтовому місті "),
            Some(Tie::Locative)
        );
        assert_eq!(uk.tie("Ворог завдав удару по "), Some(Tie::Object));
        assert_eq!(uk.tie("Генерал "), None);
        let ru = RU.cues();
        assert_eq!(ru.tie("Бои идут под "), Some(Tie::Near));
        assert_eq!(ru.tie("Взрывы прогремели в "), Some(Tie::Locative));
        assert_eq!(ru.tie("ВСУ обстреляли "), Some(Tie::Object));
        // "під вогнем перебували X, Y": the places that came under fire.
        assert_eq!(uk.tie("Під вогнем перебували "), Some(Tie::Object));
        assert_eq!(ru.tie("Под обстрелом оказались "), Some(Tie::Object));
    }

    #[test]
    fn a_trigger_that_a_report_denies_is_none() {
        let uk = UK.cues();
        assert!(uk.denied(
            "Тривога тривала годину, про ",
            " і руйнування не повідомляли"
        ));
        assert!(!uk.denied("Ворог обстріляв село, про ", " жертв відомо"));
        assert!(!uk.denied(
            "Ворог завдав ",
            " по селу, про постраждалих не повідомляється"
        ));
        let ru = RU.cues();
        assert!(ru.denied("Сирены звучали час, о ", " не сообщалось"));
        assert!(!ru.denied("Сообщили о ", " в центре города"));
    }

    #[test]
    fn a_flag_a_course_and_a_border_name_no_site() {
        let uk = UK.cues();
        assert!(uk.not_site_before.is_match("танкер під прапором "));
        assert!(uk.not_site_before.is_match("дрони летіли у бік "));
        assert!(uk.not_site_before.is_match("обстріляли село на кордоні з "));
        assert!(!uk.not_site_before.is_match("вибухи пролунали в "));
        let ru = RU.cues();
        assert!(ru.not_site_before.is_match("сухогруз под флагом "));
        assert!(ru
            .not_site_before
            .is_match("беспилотники, летевшие в сторону "));
        assert!(ru.not_site_before.is_match("обмен прошел на границе с "));
        assert!(!ru.not_site_before.is_match("взрывы прогремели в "));
    }

    #[test]
    fn negation_and_plans_cancel_but_not_ceaseless_shelling() {
        let uk = UK.cues();
        assert!(uk.cancels("Росіяни можуть "));
        assert!(uk.cancels("Ворог планує новий "));
        assert!(uk.cancels("Ворог не "));
        assert!(!uk.cancels("Ворог не припиняє "));
        assert!(!uk.cancels("Ворогу не вдалося "));
        let ru = RU.cues();
        assert!(ru.cancels("Россия готовит новое "));
        assert!(!ru.cancels("Враг не прекращает "));
    }
}
