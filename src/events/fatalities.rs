//! How many people an event killed: the figures a sentence states ("killing two civilians", "at
//! least 5 were killed", "One Separatist was killed"), read conservatively. Wounded people are not
//! fatalities; "at least five" is five; vague counts ("dozens", "heavy losses") are no figure.
//! ACLED's own notes say it outright ("Fatalities coded as 3", "1 fatality", "[300 fatalities
//! split among 5 events]"), and then that figure is the answer. The words are in
//! `lang/en/events_fatalities.txt`.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::lang::{self, Lang, Pack};

static TABLE: &str = include_str!("../../lang/en/events_fatalities.txt");

/// The lists of `lang/en/events_fatalities.txt` by name.
fn lists() -> &'static HashMap<&'static str, &'static str> {
    static L: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    L.get_or_init(|| lang::named_lists(TABLE))
}

fn list(name: &str) -> &'static str {
    lists().get(name).copied().unwrap_or_else(|| {
        panic!("lang/en/events_fatalities.txt lists {name} (a unit test checks)")
    })
}

/// A figure: digits or number words up to ninety-nine.
fn number() -> String {
    format!(
        r"(?:\d{{1,5}}|(?:{tens})(?:[\s-](?:{ones}))?|{ones})",
        tens = list("TENS"),
        ones = list("ONES")
    )
}

struct Patterns {
    /// One figure.
    figure: Regex,
    /// Figures, then the words that they died ("Five VDP and one civilian were killed").
    died: Regex,
    /// A figure and at most one word, then "dead" or "killed" ("5 dead", "two soldiers killed").
    bare: Regex,
    /// Dead or hurt, which is no count of the dead ("25 soldiers were killed or injured").
    or_hurt: Regex,
    /// A word that makes a "figure" a date.
    not_people: Regex,
    /// Separators between the figures of one statement.
    conjunct: Regex,
    /// "Fatalities spread across 3 events": the sentence's figure is shared.
    across: Regex,
    /// Killing, then a figure ("killing two civilians").
    killed: Regex,
    /// Killing one person ("killed a man", "killed her husband").
    killed_one: Regex,
    /// One person died ("A civilian was killed", "He died").
    one_died: Regex,
    /// ACLED's own statement: "Fatalities coded as 3", "1 fatality", "3 fatalities".
    coded: Regex,
    /// "[300 fatalities split among 5 events]".
    split: Regex,
    /// Nobody died.
    none: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let n = number();
        let about = list("ABOUT");
        let who = list("WHO");
        let build = |p: String| {
            regex::RegexBuilder::new(&p)
                .case_insensitive(true)
                .build()
                .expect("lang/en/events_fatalities.txt patterns compile (a unit test checks)")
        };
        let one_fig = format!(r"(?:(?:{about})\s+)?{n}(?:\s+{who}){{0,3}}?");
        Patterns {
            figure: build(format!(r"(?-u:\b){n}(?-u:\b)")),
            died: build(format!(
                r"(?-u:\b)(?:{one_fig}(?:\s*,\s+and\s+|\s*,\s*|\s+and\s+)){{0,3}}{one_fig}\s+(?:{died})(?-u:\b)",
                died = list("DIED")
            )),
            bare: build(format!(
                r"(?-u:\b)(?:(?:{about})\s+)?{n}(?:\s+{who})?\s+(?:{bare})(?-u:\b)",
                bare = list("BARE")
            )),
            or_hurt: build(r"^\s*(?:or|and/or)\s+(?:\w+\s+)?(?:injured|wounded|hurt)".into()),
            not_people: build(format!(r"(?-u:\b)(?:{})(?-u:\b)", list("NOT_PEOPLE"))),
            conjunct: build(r"\s*,\s+and\s+|\s*,\s*|\s+and\s+".into()),
            across: build(format!(
                r"fatalities\s+(?:were\s+)?(?:split|spread|divided|shared)\s+(?:among|between|across|over)\s+({n})\s+events"
            )),
            killed: build(format!(
                r"(?-u:\b)(?:{killed})\s+(?:(?:{about})\s+)?({n})(?-u:\b)",
                killed = list("KILLED")
            )),
            killed_one: build(format!(
                r"(?-u:\b)(?:{killed})\s+(?:{one})\s+(?:[\w’'-]+\s+){{0,3}}?(?:{person})(?-u:\b)",
                killed = list("KILLED"),
                one = list("ONE_PERSON"),
                person = list("PERSON")
            )),
            one_died: build(format!(
                r"(?-u:\b)(?:(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,2}}?(?:{person})|he|she)\s+(?:was\s+(?:reportedly\s+)?(?:killed|shot\s+dead|executed|murdered|beheaded|found\s+dead)|died)(?-u:\b)",
                person = list("PERSON")
            )),
            coded: build(format!(
                r"(?-u:\b)(?:fatalities\s+(?:were\s+)?coded\s+as\s+({n})|({n})\s+fatalit(?:y|ies)\s*(?:\.|$|\)|\]|,|;))"
            )),
            split: build(format!(
                r"({n})\s+fatalities\s+(?:were\s+)?split\s+(?:among|between|across|over)\s+({n})\s+events"
            )),
            none: build(format!(r"(?-u:\b)(?:{})(?-u:\b)", list("NONE"))),
        }
    })
}

/// The value of a figure the `number` pattern matched.
fn value(figure: &str) -> Option<u32> {
    let f = figure.trim().to_lowercase();
    if let Ok(v) = f.parse::<u32>() {
        return Some(v);
    }
    let index = |name: &str, w: &str| list(name).split('|').position(|x| x == w);
    let mut total = 0u32;
    for w in f
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if let Some(i) = index("TENS", w) {
            total += 20 + 10 * i as u32;
        } else if let Some(i) = index("ONES", w) {
            total += i as u32 + 1;
        } else {
            return None;
        }
    }
    (total > 0).then_some(total)
}

/// The deaths a sentence's statements add up to, each statement once: a stretch already counted
/// is not read again.
#[derive(Default)]
struct Tally {
    taken: Vec<(usize, usize)>,
    total: u32,
}

impl Tally {
    fn count(&mut self, m: regex::Match, n: u32) {
        if self
            .taken
            .iter()
            .any(|&(s, e)| m.start() < e && s < m.end())
        {
            return;
        }
        self.taken.push((m.start(), m.end()));
        self.total += n;
    }

    fn stated(&self) -> Stated {
        if self.total > 0 {
            Stated::Killed(self.total)
        } else {
            Stated::Nothing
        }
    }
}

/// What one sentence says of deaths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stated {
    /// ACLED's own figure for the event ("Fatalities coded as 3"): the answer, whatever else.
    Coded(u32),
    /// A figure to share among the events it names ("[300 fatalities split among 5 events]").
    Each(u32),
    /// People killed, summed over the sentence's statements.
    Killed(u32),
    /// "Fatalities spread across 3 events": the figure stated nearby is shared among that many.
    Across(u32),
    /// Nothing said, or that nobody died.
    Nothing,
}

/// What `sentence` says of deaths.
pub fn stated(sentence: &str) -> Stated {
    let p = patterns();
    if let Some(c) = p.split.captures(sentence) {
        if let (Some(total), Some(events)) = (value(&c[1]), value(&c[2])) {
            return Stated::Each(total / events.max(1));
        }
    }
    if let Some(v) = p.across.captures(sentence).and_then(|c| value(&c[1])) {
        return Stated::Across(v.max(1));
    }
    if let Some(c) = p.coded.captures(sentence) {
        if let Some(v) = c
            .get(1)
            .or_else(|| c.get(2))
            .and_then(|m| value(m.as_str()))
        {
            return Stated::Coded(v);
        }
    }
    let mut tally = Tally::default();
    for m in p.died.find_iter(sentence).chain(p.bare.find_iter(sentence)) {
        if p.or_hurt.is_match(&sentence[m.end()..]) {
            continue;
        }
        // The leading figure of each conjunct that counts people ("Five VDP and one civilian").
        let sum: u32 = p
            .conjunct
            .split(m.as_str())
            .filter(|part| !p.not_people.is_match(part))
            .filter_map(|part| p.figure.find(part).and_then(|f| value(f.as_str())))
            .sum();
        tally.count(m, sum);
    }
    for c in p.killed.captures_iter(sentence) {
        if let Some(v) = value(&c[1]) {
            tally.count(c.get(0).expect("a match"), v);
        }
    }
    for m in p
        .killed_one
        .find_iter(sentence)
        .chain(p.one_died.find_iter(sentence))
    {
        tally.count(m, 1);
    }
    tally.stated()
}

/// What a sentence in `language` says of deaths: English by [`stated`], another language by its
/// pack's `events_fatalities.txt` and `events_numbers.txt`.
pub fn stated_in(language: Lang, sentence: &str) -> Stated {
    match lang::pack(language) {
        None => stated(sentence),
        Some(pack) => pack_stated(pack, sentence),
    }
}

/// A pack's number words: (regex-ready form, value), longest forms first.
pub fn number_words(pack: &'static Pack) -> Vec<(String, u32)> {
    lang::numbered_forms(pack.numbers)
}

/// The pattern of a number in a pack's language: digits, or number words (tens, then ones).
pub fn pack_number(words: &[(String, u32)]) -> String {
    let form = |(f, _): &(String, u32)| regex::escape(f).replace('\'', lang::APOSTROPHES);
    let tens: Vec<String> = words
        .iter()
        .filter(|(_, v)| *v >= 20 && v % 10 == 0)
        .map(form)
        .collect();
    let ones: Vec<String> = words.iter().filter(|(_, v)| *v < 20).map(form).collect();
    format!(
        r"(?:\d{{1,4}}|(?:{tens})(?:\s+(?:{ones}))?|{ones}|(?:{tens}))",
        tens = tens.join("|"),
        ones = ones.join("|")
    )
}

/// The value of a number `pack_number` matched.
pub fn pack_value(words: &[(String, u32)], figure: &str) -> Option<u32> {
    let f = figure.trim().to_lowercase().replace(['’', 'ʼ'], "'");
    if let Ok(v) = f.parse::<u32>() {
        return Some(v);
    }
    let mut total = 0;
    for w in f.split_whitespace() {
        total += words.iter().find(|(form, _)| form == w)?.1;
    }
    (total > 0).then_some(total)
}

struct PackPatterns {
    words: Vec<(String, u32)>,
    /// Died, then a figure: "загинули двоє", "погибли по меньшей мере 5 человек".
    died_then: Regex,
    /// A figure, then died: "5 людей загинули", "трое погибших".
    then_died: Regex,
    /// Someone killed a figure: "вбили трьох".
    killed: Regex,
    /// The count of the dead rose to a figure.
    total: Regex,
    /// One person died: "загинула жінка", "мужчина погиб".
    one: Regex,
    /// A word after a figure that makes it no count of people (a month, a year).
    not_people: Regex,
    /// "… або поранені": dead or hurt.
    or_hurt: Regex,
}

fn pack_patterns(pack: &'static Pack) -> &'static PackPatterns {
    static UK: OnceLock<PackPatterns> = OnceLock::new();
    static RU: OnceLock<PackPatterns> = OnceLock::new();
    let cell = if pack.lang == Lang::Ru { &RU } else { &UK };
    cell.get_or_init(|| {
        let lists = lang::named_lists(pack.fatalities);
        let list = |name: &str| {
            *lists.get(name).unwrap_or_else(|| {
                panic!("lang/{:?}/events_fatalities.txt lists {name}", pack.lang)
            })
        };
        let words = number_words(pack);
        let n = pack_number(&words);
        let (died, about, person) = (list("DIED"), list("ABOUT"), list("PERSON"));
        let who = r"[\w'’ʼ-]+";
        let b = |p: String| lang::build(&format!("(?i){p}"));
        PackPatterns {
            died_then: b(format!(
                r"\b(?:{died})\s+(?:(?:{about})\s+)?(?P<n>{n})(?P<after>\s+{who})?\b"
            )),
            then_died: b(format!(
                r"\b(?:(?:{about})\s+)?(?P<n>{n})(?P<after>\s+{who}){{0,2}}?\s+(?:{died})\b"
            )),
            killed: b(format!(
                r"\b(?:{killed})\s+(?:(?:{about})\s+)?(?P<n>{n})(?P<after>\s+{who})?\b",
                killed = list("KILLED")
            )),
            total: b(format!(r"\b(?:{total})\s+(?P<n>{n})\b", total = list("TOTAL"))),
            one: b(format!(
                r"\b(?:(?:{died})\s+(?:[\w'’ʼ-]+\s+){{0,2}}?(?:{person})|(?:{person})\s+(?:[\w'’ʼ-]+\s+){{0,1}}?(?:{died}))\b"
            )),
            not_people: b(format!(r"^\s*(?:{})\b", list("NOT_PEOPLE"))),
            or_hurt: b(format!(
                r"^\s*(?:{})\s+(?:\w+\s+)?(?:{})",
                list("OR_HURT"),
                list("HURT")
            )),
            words,
        }
    })
}

/// What a sentence says of deaths, by a pack's words.
fn pack_stated(pack: &'static Pack, sentence: &str) -> Stated {
    let p = pack_patterns(pack);
    let mut tally = Tally::default();
    for re in [&p.died_then, &p.then_died, &p.killed, &p.total] {
        for c in re.captures_iter(sentence) {
            let (whole, figure) = (c.get(0).expect("a match"), &c["n"]);
            // "3 березня", "2023 року": a date, not people.
            let after = c
                .name("after")
                .map_or(&sentence[figure_end(&c)..], |a| a.as_str());
            if p.not_people.is_match(after) || p.or_hurt.is_match(&sentence[whole.end()..]) {
                continue;
            }
            let Some(v) = pack_value(&p.words, figure) else {
                continue;
            };
            // A bare four-digit figure is a year.
            if figure.len() == 4 && figure.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            tally.count(whole, v);
        }
    }
    for m in p.one.find_iter(sentence) {
        tally.count(m, 1);
    }
    tally.stated()
}

/// Where the figure of a pack pattern's match ends.
fn figure_end(c: &regex::Captures) -> usize {
    c.name("n").map_or(0, |m| m.end())
}

/// True when `sentence` says nobody died ("No casualties", "Casualties unknown").
pub fn says_none(sentence: &str) -> bool {
    patterns().none.is_match(sentence)
}

/// Shares `total` among `n` events as ACLED does: evenly, the remainder to the first ones.
pub fn split(total: u32, n: usize) -> Vec<u32> {
    let n = n.max(1) as u32;
    (0..n)
        .map(|i| total / n + u32::from(i < total % n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_well_formed_and_every_pattern_compiles() {
        for name in [
            "ONES",
            "TENS",
            "ABOUT",
            "WHO",
            "DIED",
            "BARE",
            "NOT_PEOPLE",
            "KILLED",
            "ONE_PERSON",
            "PERSON",
            "NONE",
        ] {
            assert!(!list(name).is_empty(), "{name}");
        }
        let _ = patterns();
    }

    #[test]
    fn figures_in_digits_and_words() {
        assert_eq!(value("12"), Some(12));
        assert_eq!(value("seven"), Some(7));
        assert_eq!(value("Twenty-three"), Some(23));
        assert_eq!(value("forty two"), Some(42));
        assert_eq!(value("dozens"), None);
    }

    #[test]
    fn deaths_as_reports_state_them() {
        let cases = [
            (
                "Shelling hit the market, killing two civilians.",
                Stated::Killed(2),
            ),
            (
                "At least 5 soldiers were killed and 12 wounded.",
                Stated::Killed(5),
            ),
            (
                "Four herders and one trader were killed near the well.",
                Stated::Killed(5),
            ),
            (
                "Gunmen killed a 40-year-old farmer on his land.",
                Stated::Killed(1),
            ),
            (
                "A policeman was shot dead at the checkpoint.",
                Stated::Killed(1),
            ),
            (
                "Three people died and nine were injured.",
                Stated::Killed(3),
            ),
            ("The strike wounded eleven people.", Stated::Nothing),
            ("The troops suffered heavy losses.", Stated::Nothing),
            ("Fatalities coded as 4.", Stated::Coded(4)),
            (
                "Gunmen killed a man in the square. 1 fatality.",
                Stated::Coded(1),
            ),
            (
                "About 90 fighters died [90 fatalities split among 3 events].",
                Stated::Each(30),
            ),
            ("Fatalities spread across 3 events.", Stated::Across(3)),
            (
                "About 25 soldiers were killed or injured, the group said.",
                Stated::Nothing,
            ),
            (
                "As reported on 19 March 2020, 1 militant was killed.",
                Stated::Killed(1),
            ),
            ("Two guards were beaten to death.", Stated::Killed(2)),
            ("Five dead after the blast.", Stated::Killed(5)),
            (
                "The clash claimed the lives of three soldiers.",
                Stated::Killed(3),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(stated(text), want, "{text}");
        }
        assert!(says_none("Casualties unknown."));
        assert!(says_none("No casualties were reported."));
        assert!(!says_none("Two died."));
    }

    #[test]
    fn deaths_in_ukrainian_and_russian() {
        let cases = [
            (Lang::Uk, "Внаслідок обстрілу загинули двоє людей.", 2),
            (Lang::Uk, "5 людей загинули, ще 12 поранені.", 5),
            (Lang::Uk, "Загинула жінка, ще троє поранені.", 1),
            (Lang::Uk, "Є троє загиблих.", 3),
            (Lang::Uk, "Окупанти вбили трьох цивільних.", 3),
            (Lang::Uk, "Загинули щонайменше двадцять п'ять людей.", 25),
            (Lang::Uk, "3 березня загинули військові.", 0),
            (Lang::Uk, "Двоє людей загинули або поранені.", 0),
            (Lang::Uk, "Кількість загиблих зросла до 7.", 7),
            (Lang::Ru, "Погибли трое мирных жителей.", 3),
            (Lang::Ru, "Один человек погиб, четверо ранены.", 1),
            (Lang::Ru, "Мужчина погиб на месте.", 1),
            (Lang::Ru, "В результате удара погибли 12 человек.", 12),
            (Lang::Ru, "Обошлось без жертв.", 0),
        ];
        for (language, text, want) in cases {
            let got = match stated_in(language, text) {
                Stated::Killed(n) => n,
                _ => 0,
            };
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn a_figure_is_shared_evenly_with_the_remainder_first() {
        assert_eq!(split(7, 3), [3, 2, 2]);
        assert_eq!(split(0, 2), [0, 0]);
        assert_eq!(split(5, 1), [5]);
    }
}
