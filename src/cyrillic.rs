//! Finding place names in Ukrainian and Russian text, where names change their endings with
//! their role in the sentence: "у Бахмуті", "під Бахмутом", "Харківської області", "в России".
//!
//! Each capitalised Cyrillic word (and each run of up to four) is taken back to the nominative
//! forms it may have — by stripping the case endings of `lang/{uk,ru}/endings.tsv` and, in the
//! last syllable, undoing the vowel changes of `lang/uk/alternations.tsv` (Львова → Львів) — and
//! each is asked of the gazetteer, whose alternate names hold most places' Ukrainian and
//! Russian nominatives, and of the language packs' own name tables (`names.tsv`, `names_iso.tsv`:
//! countries, regions such as Донеччина). This costs the index nothing and a few memoised key
//! lookups per capitalised word; a form can only propose a name the gazetteer holds.
//!
//! The rules a reader applies decide which of those names are places: a word after a title or a
//! given name is a person ("президент Зеленський", "Володимир Сальдо"); a word of
//! `common_words.txt` is a word ("Сили оборони"); an abbreviation counts only when the name
//! tables list it (США, РФ); a place-type word binds to the name ("Донецької області", "село
//! Кліщіївка"), so does one shared by two names ("Донецької та Луганської областей"); and a small
//! place needs a word that marks a site before it ("у", "під", "біля", "в районі").

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::gazetteer::Gazetteer;
use crate::lang::is_cyrillic;
use crate::lexicon::entries;
use crate::lookup::Want;
use crate::recognize::{known, Mention, Token};
use crate::Result;

/// Both languages' files: a word is read with the rules of either, since one text may quote the
/// other and a wrong ending can only propose a name the gazetteer then has to hold.
macro_rules! both {
    ($file:literal) => {
        [
            include_str!(concat!("../lang/uk/", $file)),
            include_str!(concat!("../lang/ru/", $file)),
        ]
    };
}

/// Most runs of capitalised words tried as one name ("Автономна Республіка Крим").
const LONGEST_NAME_WORDS: usize = 4;
/// Most nominative combinations tried for one run of words.
const MOST_COMBINATIONS: usize = 64;
/// How important a place must be to count without a word that marks a site: at a sentence's
/// start, and elsewhere.
const SENTENCE_START_IMPORTANCE: f64 = 0.7;
const BARE_IMPORTANCE: f64 = 0.5;
/// A place this important after a title is the place the office is of ("мер Києва").
const WELL_KNOWN: f64 = 0.7;

fn tsv_rows<'a>(texts: &'a [&'static str]) -> impl Iterator<Item = Vec<&'static str>> + 'a {
    texts
        .iter()
        .flat_map(|t| entries(t))
        .map(|l| l.split('\t').collect::<Vec<_>>())
}

/// Raw lines rather than `entries`: an empty nominative ending is a line that ends in a tab.
fn endings() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<(&str, &str)> = Vec::new();
        for text in both!("endings.tsv") {
            for line in text.lines() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let (oblique, nominative) = line.split_once('\t').unwrap_or((line, ""));
                let row = (oblique.trim(), nominative.trim());
                if !row.0.is_empty() && !rows.contains(&row) {
                    rows.push(row);
                }
            }
        }
        rows
    })
}

fn alternations() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        tsv_rows(&[include_str!("../lang/uk/alternations.tsv")])
            .filter_map(|r| {
                let from = r.first()?.chars().next()?;
                let to = r.get(1)?.chars().next()?;
                Some((from, to))
            })
            .collect()
    })
}

/// Nominative (lower case) → the name the gazetteer knows the place by.
fn names() -> &'static FxHashMap<String, &'static str> {
    static TABLE: OnceLock<FxHashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        let files = [both!("names.tsv"), both!("names_iso.tsv")].concat();
        for row in tsv_rows(&files) {
            if let [local, known_as, ..] = row[..] {
                map.entry(local.to_lowercase()).or_insert(known_as);
            }
        }
        map
    })
}

/// A place-type word's form (lower case) → its nominative and the kind of place it asks for.
fn place_types() -> &'static FxHashMap<&'static str, (&'static str, Want)> {
    static TABLE: OnceLock<FxHashMap<&'static str, (&'static str, Want)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        for row in tsv_rows(&both!("place_types.tsv")) {
            if let [form, nominative, kind, ..] = row[..] {
                let want = match kind {
                    "admin1" => Want::Admin1,
                    "admin2" => Want::Admin2,
                    "populated" => Want::Populated,
                    "river" => Want::River,
                    "island" => Want::Island,
                    _ => continue,
                };
                map.entry(form).or_insert((nominative, want));
            }
        }
        map
    })
}

fn lower_set(texts: &[&'static str]) -> FxHashSet<String> {
    texts
        .iter()
        .flat_map(|t| entries(t))
        .map(str::to_lowercase)
        .collect()
}

macro_rules! word_set {
    ($name:ident, $file:literal) => {
        fn $name() -> &'static FxHashSet<String> {
            static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
            SET.get_or_init(|| lower_set(&both!($file)))
        }
    };
}

word_set!(given_names, "given_names.txt");
word_set!(person_titles, "person_titles.txt");
word_set!(common_words, "common_words.txt");
word_set!(locatives, "locatives.txt");
word_set!(conjunctions, "conjunctions.txt");
word_set!(function_words, "function_words.txt");
word_set!(verb_endings, "verb_endings.txt");
word_set!(facility_words, "facility_words.txt");
word_set!(body_words, "body_words.txt");

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е' | 'є' | 'и' | 'і' | 'ї' | 'о' | 'у' | 'ю' | 'я' | 'ы' | 'э' | 'ё'
    )
}

/// The nominative forms a word may stand for, the word itself first: every ending of the
/// endings tables it has, replaced by its nominative, and for a form that ends in consonants,
/// the last syllable's vowel as the nominative has it.
pub fn nominatives(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let letters = word.chars().count();
    for &(oblique, nominative) in endings() {
        if let Some(stem) = word.strip_suffix(oblique) {
            if letters - oblique.chars().count() >= 2 {
                out.push(format!("{stem}{nominative}"));
            }
        }
    }
    // "Ростова-на-Дону", "Івано-Франківська": a hyphenated name whose first part is inflected.
    if let Some((first, rest)) = word.split_once('-') {
        if first.chars().count() >= 3 {
            for &(oblique, nominative) in endings() {
                if let Some(stem) = first.strip_suffix(oblique) {
                    if stem.chars().count() >= 2 {
                        out.push(format!("{stem}{nominative}-{rest}"));
                    }
                }
            }
        }
    }
    let stems = out.len();
    for k in 0..stems {
        let chars: Vec<char> = out[k].chars().collect();
        let Some(v) = chars.iter().rposition(|&c| is_vowel(c)) else {
            continue;
        };
        let tail = chars.len() - v - 1;
        if !(1..=3).contains(&tail) || v == 0 {
            continue;
        }
        for &(from, to) in alternations() {
            if chars[v] == from {
                let mut changed = chars.clone();
                changed[v] = to;
                out.push(changed.into_iter().collect());
            }
        }
    }
    let mut seen = FxHashSet::default();
    out.retain(|w| seen.insert(w.clone()));
    out
}

/// Every combination of the words' nominatives, joined by spaces, at most `MOST_COMBINATIONS`.
fn combinations(words: &[&str]) -> Vec<String> {
    let mut out = vec![String::new()];
    for w in words {
        let forms = nominatives(w);
        let mut next = Vec::with_capacity(out.len() * forms.len());
        'outer: for head in &out {
            for f in &forms {
                if next.len() >= MOST_COMBINATIONS {
                    break 'outer;
                }
                next.push(if head.is_empty() {
                    f.clone()
                } else {
                    format!("{head} {f}")
                });
            }
        }
        out = next;
    }
    out
}

/// The name to look up for a nominative and how important its best place is: the name tables'
/// name when they list it, else the nominative when the gazetteer knows it.
fn resolve(gaz: &Gazetteer, nominative: &str) -> Result<Option<(String, f64)>> {
    if let Some(&known_as) = names().get(&nominative.to_lowercase()) {
        let importance = known(gaz, known_as)?.unwrap_or(0.9);
        return Ok(Some((known_as.to_string(), importance.max(0.7))));
    }
    Ok(known(gaz, nominative)?.map(|imp| (nominative.to_string(), imp)))
}

/// The most important reading of the words' nominative combinations, each followed by `tail`
/// when given (a place-type word's nominative: "Харківська" + "область").
fn best_reading(
    gaz: &Gazetteer,
    words: &[&str],
    tail: Option<&str>,
) -> Result<Option<(String, f64)>> {
    best_of(
        gaz,
        combinations(words).into_iter().map(|c| match tail {
            Some(t) => format!("{c} {t}"),
            None => c,
        }),
    )
}

/// The most important of the candidate names the gazetteer or the name tables know (the first
/// of equals).
fn best_of(
    gaz: &Gazetteer,
    candidates: impl IntoIterator<Item = String>,
) -> Result<Option<(String, f64)>> {
    let mut best: Option<(String, f64)> = None;
    for c in candidates {
        if let Some((name, imp)) = resolve(gaz, &c)? {
            if best.as_ref().is_none_or(|b| imp > b.1) {
                best = Some((name, imp));
            }
        }
    }
    Ok(best)
}

fn cyrillic_capital(t: &Token) -> bool {
    t.capital && t.text.chars().next().is_some_and(is_cyrillic)
}

/// All letters capitals: an abbreviation (США, ЗСУ).
fn abbreviation(t: &Token) -> bool {
    t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && t.text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// Only spaces, or an abbreviation's dot after a word of three letters or fewer, between two
/// tokens ("м. Бахмут", "обл. Донецьк"; not "до річки. Вони").
fn adjoining(text: &str, a: &Token, b: &Token) -> bool {
    match text[a.byte_end..b.byte_start].trim() {
        "" => true,
        "." => a.text.chars().count() <= 3,
        _ => false,
    }
}

/// The place-type word at `k`, if it is one and stands right after `prev`.
fn place_type_at(text: &str, tokens: &[Token], k: usize) -> Option<(&'static str, Want)> {
    let t = tokens.get(k)?;
    if k > 0 && !adjoining(text, &tokens[k - 1], t) {
        return None;
    }
    place_types().get(t.lower.as_ref()).copied()
}

/// The index after a person's name that starts at `i`: its capitalised words, at most three.
fn skip_person(tokens: &[Token], i: usize) -> usize {
    let mut j = i;
    while j < tokens.len()
        && j < i + 3
        && tokens[j].capital
        && (j == i || tokens[j].joined)
        && !abbreviation(&tokens[j])
    {
        j += 1;
    }
    j.max(i + 1)
}

/// The place-type word that ends a list of single capitalised words after `end` ("…, Львівська
/// та Чернівецька області", "Полтавській та в Сумській областях"), if the list goes on from
/// `end` by a comma or a conjunction.
fn shared_type_after(text: &str, tokens: &[Token], end: usize) -> Option<(&'static str, Want)> {
    // Only an adjectival name shares a type word: "Донецької та Луганської областей", but not
    // "під Бахмутом і в Харківській області".
    if !adjectival(tokens[end].lower.as_ref()) {
        return None;
    }
    let mut k = end;
    for _ in 0..8 {
        let next = tokens.get(k + 1)?;
        let comma = text[tokens[k].byte_end..next.byte_start].trim() == ",";
        let conjunction = next.joined && conjunctions().contains(next.lower.as_ref());
        // "…, Полтавській та в Сумській областях": a preposition may repeat after the "and".
        let preposition = conjunction
            && tokens
                .get(k + 2)
                .is_some_and(|p| p.joined && locatives().contains(p.lower.as_ref()));
        let name = k + 1 + usize::from(conjunction) + usize::from(preposition);
        if !(comma || conjunction) || !tokens.get(name).is_some_and(cyrillic_capital) {
            return None;
        }
        if conjunction {
            return place_type_at(text, tokens, name + 1);
        }
        k = name;
    }
    None
}

/// Endings only an adjective has (in either language), as opposed to a noun's case endings.
const ADJECTIVE_ENDINGS: &[&str] = &[
    "ому", "ого", "ім", "им", "ій", "ої", "ую", "ий", "ая", "ое", "ых", "их", "ский", "ской",
    "цкий", "цкой",
];

/// Endings no noun has: an adjective's oblique cases and the -ськ-/-цьк- of adjectives made
/// from names.
const ONLY_ADJECTIVE_ENDINGS: &[&str] = &[
    "ого",
    "ому",
    "ої",
    "ська",
    "ське",
    "ську",
    "ський",
    "цька",
    "цьке",
    "цьку",
    "цький",
    "ская",
    "ское",
    "скую",
    "ский",
    "цкая",
    "цкое",
    "цкую",
    "цкий",
];

fn only_adjective(word: &str) -> bool {
    ONLY_ADJECTIVE_ENDINGS.iter().any(|e| word.ends_with(e))
}

/// Whether the word (lower case) may be an adjective: any adjective's ending, or the -ька, -ьке,
/// -ьку of Ukrainian ones made from names (Запорізька, Донецьке).
fn adjectival(word: &str) -> bool {
    only_adjective(word)
        || ADJECTIVE_ENDINGS.iter().any(|e| word.ends_with(e))
        || ["ька", "ьке", "ьку"].iter().any(|e| word.ends_with(e))
}

/// The word has an adjective's ending and a lower-case word follows it directly that is neither a
/// function word, a preposition (three letters or fewer) nor a verb form: "Запорізькому напрямку", "Московского университета" (not
/// "над Раменским сбиты").
fn adjective_before_noun(tokens: &[Token], i: usize) -> bool {
    let word = tokens[i].lower.as_ref();
    if !ADJECTIVE_ENDINGS.iter().any(|e| word.ends_with(e)) {
        return false;
    }
    tokens.get(i + 1).is_some_and(|n| {
        n.joined
            && !n.capital
            && n.text.starts_with(is_cyrillic)
            && !function_words().contains(n.lower.as_ref())
            && !conjunctions().contains(n.lower.as_ref())
            && n.text.chars().count() > 3
            && !verb_endings().iter().any(|e| n.lower.ends_with(e.as_str()))
    })
}

/// Adjective endings made from a town's name (Бурштин → Бурштинська, Кстово → Кстовский), in
/// every case, longest first.
const TOWN_ADJECTIVE_ENDINGS: &[&str] = &[
    "ському",
    "ського",
    "ською",
    "ській",
    "ської",
    "ський",
    "ська",
    "ське",
    "ську",
    "ского",
    "скому",
    "ской",
    "ский",
    "ская",
    "ское",
    "скую",
    "ском",
];

/// The town a capitalised adjective names when a plant, port or depot follows it: the
/// adjective's stem as it is, or with the endings town names take (-о, -е, -а; -са and -сса,
/// whose с the adjective's -ськ- swallows: Одеса → Одеський), whichever the gazetteer knows best.
fn facility_town(gaz: &Gazetteer, tokens: &[Token], i: usize) -> Result<Option<(String, f64)>> {
    let facility = tokens
        .get(i + 1)
        .is_some_and(|n| n.joined && facility_words().contains(n.lower.as_ref()));
    let word = tokens[i].text;
    let Some(stem) = TOWN_ADJECTIVE_ENDINGS
        .iter()
        .find_map(|e| word.strip_suffix(e))
        .filter(|s| facility && s.chars().count() >= 3)
    else {
        return Ok(None);
    };
    best_of(
        gaz,
        ["", "о", "е", "а", "са", "сса"].map(|ending| format!("{stem}{ending}")),
    )
}

/// A single capital letter and a dot right before the word: a person's initial.
fn after_initial(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(p) = i.checked_sub(1).map(|k| &tokens[k]) else {
        return false;
    };
    p.capital && p.text.chars().count() == 1 && text[p.byte_end..tokens[i].byte_start].trim() == "."
}

/// Whether the words before `i` are a body's proper name that `i` ends: a capitalised word,
/// not at a sentence's start and not a place found before, among the three joined words before.
fn in_proper_name(tokens: &[Token], i: usize, last: Option<&Mention>) -> bool {
    let mut k = i;
    while k > 0 && i - k < 3 && tokens[k].joined {
        k -= 1;
        let p = &tokens[k];
        if last.is_some_and(|m| m.end == p.end) || !p.text.starts_with(is_cyrillic) {
            return false;
        }
        if p.capital && !p.sentence_start {
            return true;
        }
    }
    false
}

/// Words a quoted name may hold at most: «Житомирщина», «Міжнародний аеропорт «Бориспіль»»
/// are names of a paper and a firm; a longer quotation is someone's words.
const QUOTED_NAME_WORDS: usize = 6;

/// The byte ranges of short texts in guillemets (« », „ “) that open with a capital, outermost
/// when nested: the names of papers, firms, hotels, units and projects, which a place's name
/// inside does not make a place.
fn quoted_names(text: &str) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    let mut open: Option<usize> = None;
    let mut depth = 0usize;
    for (b, c) in text.char_indices() {
        match c {
            '«' | '„' => {
                if depth == 0 {
                    open = Some(b);
                }
                depth += 1;
            }
            '»' | '“' if depth > 0 => {
                depth -= 1;
                if let (0, Some(start)) = (depth, open) {
                    let opening = text[start..].chars().next().map_or(1, char::len_utf8);
                    let inner = &text[start + opening..b];
                    let words = inner
                        .split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphabetic))
                        .count();
                    // A name opens with a capital; « випаровування Землі » is a phrase.
                    let capital = inner
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c == '«' || c == '„');
                    if capital && words <= QUOTED_NAME_WORDS {
                        names.push((start, b));
                    }
                    open = None;
                }
            }
            '\n' => {
                depth = 0;
                open = None;
            }
            _ => {}
        }
    }
    names
}

/// Whether a body's name comes right before `i` ("Господарського суду м. Києва", "ГУ ДФС у
/// м. Києві", "прокурор Запорізької області"): a body word, then at most four words that are
/// the body's capitalised name, a preposition or a place-type word, all adjoining.
fn after_body(text: &str, tokens: &[Token], i: usize) -> bool {
    let mut k = i;
    while k > 0 && i - k < 5 && adjoining(text, &tokens[k - 1], &tokens[k]) {
        k -= 1;
        let p = &tokens[k];
        if body_words().contains(p.lower.as_ref()) {
            return true;
        }
        let connector = p.capital
            || p.text.chars().count() <= 2
            || place_types().contains_key(p.lower.as_ref());
        if !connector || !p.text.starts_with(is_cyrillic) {
            return false;
        }
    }
    false
}

/// Whether a person's name starts at `i`: after a title ("президент Зеленський"; but "мер
/// Києва": a well-known place after a title is the place the office is of), after an initial
/// ("Б. Хмельницький"), or a given name in any case ("Володимир Сальдо", "Ларисою").
fn person_at(
    gaz: &Gazetteer,
    text: &str,
    tokens: &[Token],
    i: usize,
    forms: &[String],
) -> Result<bool> {
    let t = &tokens[i];
    let after_title = i.checked_sub(1).is_some_and(|k| {
        adjoining(text, &tokens[k], t) && person_titles().contains(tokens[k].lower.as_ref())
    });
    if after_title && best_reading(gaz, &[t.text], None)?.is_none_or(|(_, imp)| imp < WELL_KNOWN) {
        return Ok(true);
    }
    Ok(after_initial(text, tokens, i)
        || (!abbreviation(t)
            && forms
                .iter()
                .any(|f| given_names().contains(&f.to_lowercase()))))
}

/// The people a document names, found before its places are.
struct People {
    /// Where a person's name starts.
    starts: FxHashSet<usize>,
    /// The nominatives of the surnames given with a given name, a title or an initial:
    /// elsewhere in the document, without a site word before it, the surname alone is the same
    /// person ("Богдан Хмельницький" … "війська Хмельницького").
    surnames: FxHashSet<String>,
}

fn people(gaz: &Gazetteer, text: &str, tokens: &[Token], forms: &[Vec<String>]) -> Result<People> {
    let mut people = People {
        starts: FxHashSet::default(),
        surnames: FxHashSet::default(),
    };
    for i in 0..tokens.len() {
        if cyrillic_capital(&tokens[i]) && person_at(gaz, text, tokens, i, &forms[i])? {
            people.starts.insert(i);
            for surname in &forms[i + 1..skip_person(tokens, i)] {
                people.surnames.extend(surname.iter().cloned());
            }
        }
    }
    Ok(people)
}

/// Every place mention among the capitalised Cyrillic words of `text`, in order.
pub(crate) fn recognize(gaz: &Gazetteer, text: &str, tokens: &[Token]) -> Result<Vec<Mention>> {
    let mut mentions: Vec<Mention> = Vec::new();
    // The document's words in lower case: a capitalised word the document also writes in lower
    // case is a word that opens a sentence ("Разом з тим"), not a name.
    let lower_words: FxHashSet<&str> = tokens
        .iter()
        .filter(|t| !t.capital && t.text.starts_with(is_cyrillic))
        .map(|t| t.text)
        .collect();
    let quoted = quoted_names(text);
    let mut next_quote = 0;
    // Each capitalised Cyrillic word's nominatives, made once.
    let forms: Vec<Vec<String>> = tokens
        .iter()
        .map(|t| {
            if cyrillic_capital(t) {
                nominatives(t.text)
            } else {
                Vec::new()
            }
        })
        .collect();
    let people = people(gaz, text, tokens, &forms)?;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if !cyrillic_capital(t) {
            i += 1;
            continue;
        }
        // «Житомирщина», ТОВ «Володимирівка Агро»: a name in quotes names something else.
        // (The quotations are in order and apart, so one index walks them with the words.)
        while next_quote < quoted.len() && quoted[next_quote].1 < t.byte_end {
            next_quote += 1;
        }
        if quoted
            .get(next_quote)
            .is_some_and(|&(s, e)| s < t.byte_start && t.byte_end <= e)
        {
            i += 1;
            continue;
        }
        // "Печерського районного суду м. Києва": the place a body serves ends its name.
        if after_body(text, tokens, i) {
            i += 1;
            continue;
        }
        let prev = i.checked_sub(1).map(|k| &tokens[k]);
        let prev_word = prev
            .filter(|p| adjoining(text, p, t))
            .map(|p| p.lower.as_ref());
        let forms = &forms[i];
        if people.starts.contains(&i) {
            i = skip_person(tokens, i);
            continue;
        }
        let type_before = prev
            .filter(|p| adjoining(text, p, t))
            .and_then(|_| place_type_at(text, tokens, i - 1));
        let cue = prev_word.is_some_and(|w| locatives().contains(w)) || type_before.is_some();
        let word = t.lower.as_ref();
        if type_before.is_none()
            && (function_words().contains(word)
                || (!cue && lower_words.contains(word))
                || (!cue && forms.iter().any(|f| people.surnames.contains(f))))
        {
            i += 1;
            continue;
        }
        // "Верховної Ради України", "Кабінету Міністрів України": a name that ends the proper
        // name of a body (a capitalised word not opening the sentence, within the three words
        // before, none of them a place) is part of that name.
        if !cue
            && place_type_at(text, tokens, i + 1).is_none()
            && in_proper_name(tokens, i, mentions.last())
        {
            i += 1;
            continue;
        }
        // The longest run of capitalised words from here that reads as a known name.
        let mut run = i;
        while run + 1 < tokens.len()
            && run + 1 < i + LONGEST_NAME_WORDS
            && cyrillic_capital(&tokens[run + 1])
            && tokens[run + 1].joined
            && !abbreviation(&tokens[run + 1])
        {
            run += 1;
        }
        let mut found: Option<(usize, String, f64, Option<Want>)> = None;
        for end in (i..=run).rev() {
            let words: Vec<&str> = tokens[i..=end].iter().map(|t| t.text).collect();
            // "Харківської області": the name and its type word read as one name first.
            if let Some((nominative, want)) = place_type_at(text, tokens, end + 1) {
                if let Some((name, imp)) = best_reading(gaz, &words, Some(nominative))? {
                    found = Some((end + 1, name, imp, Some(want)));
                    break;
                }
            }
            if end == i && abbreviation(t) {
                // An abbreviation is a place only when the name tables list it.
                found = names()
                    .get(&t.text.to_lowercase())
                    .map(|&n| (i, n.to_string(), 1.0, None));
                break;
            }
            if end == i && common_words().contains(t.lower.as_ref()) && type_before.is_none() {
                break;
            }
            // "Одеська та Львівська області", "Одеська, Львівська та Чернівецька області": a
            // name read with the type word the last of its list has.
            let shared_type = shared_type_after(text, tokens, end);
            if let Some((nominative, want)) = shared_type {
                if let Some((name, imp)) = best_reading(gaz, &words, Some(nominative))? {
                    found = Some((end, name, imp, Some(want)));
                    break;
                }
            }
            if let Some((name, imp)) = best_reading(gaz, &words, None)? {
                // A place-type word after the name binds to it; so does one that a second name
                // shares ("Донецької та Луганської областей").
                let want = place_type_at(text, tokens, end + 1)
                    .or(shared_type)
                    .map(|(_, w)| w)
                    .or(type_before.map(|(_, w)| w));
                found = Some((end, name, imp, want));
                break;
            }
        }
        // "на Бурштинській ТЕС", "Кстовский НПЗ": a town's adjective before a plant, port or
        // depot names the town (rather than a village named like the adjective, Одесское).
        if let Some((name, imp)) = facility_town(gaz, tokens, i)? {
            found = Some((i, name, imp, Some(Want::Populated)));
        }
        let Some((end, name, imp, want)) = found else {
            i += 1;
            continue;
        };
        // "на Запорізькому напрямку", "Київського університету": an adjective before a common
        // noun describes the noun; it names no place unless the noun is a place-type word, or
        // the word reads as a well-known place: after a site word ("у Кропивницькому ракетний
        // удар"), or when its ending could be a noun's ("Китая резко"), not when only an
        // adjective has it ("Донецького опікового центру").
        let well_known = imp >= WELL_KNOWN && (cue || !only_adjective(t.lower.as_ref()));
        if want.is_none() && end == i && !well_known && adjective_before_noun(tokens, i) {
            i += 1;
            continue;
        }
        let needed = if cue || want.is_some() {
            0.0
        } else if t.sentence_start {
            SENTENCE_START_IMPORTANCE
        } else {
            BARE_IMPORTANCE
        };
        if imp < needed {
            i += 1;
            continue;
        }
        let last = &tokens[end];
        mentions.push(Mention {
            start: t.start,
            end: last.end,
            text: text[t.byte_start..last.byte_end].to_string(),
            name,
            want,
            demonym: false,
            metonymy: false,
            cue,
            definite: false,
        });
        i = end + 1;
    }
    Ok(mentions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, nominative: &str) -> bool {
        nominatives(word).iter().any(|f| f == nominative)
    }

    #[test]
    fn case_forms_lead_back_to_the_nominative() {
        assert!(has("Бахмуті", "Бахмут"));
        assert!(has("Бахмутом", "Бахмут"));
        assert!(has("Авдіївці", "Авдіївка"));
        assert!(has("Львова", "Львів"));
        assert!(has("Києві", "Київ"));
        assert!(has("Харківської", "Харківська"));
        assert!(has("Часового", "Часів"));
        assert!(has("Розі", "Ріг"));
        assert!(has("Запоріжжі", "Запоріжжя"));
        assert!(has("Тернополі", "Тернопіль"));
        assert!(has("России", "Россия"));
        assert!(has("Белгородской", "Белгородская"));
        assert!(has("Китае", "Китай"));
        assert!(has("Нидерландах", "Нидерланды"));
        assert!(has("Ростовом-на-Дону", "Ростов-на-Дону"));
        assert!(has("Казани", "Казань"));
        assert!(has("Суджей", "Суджа"));
        assert!(has("Трускавці", "Трускавець"));
        // The word itself comes first; short stems are left alone.
        assert_eq!(nominatives("Лиман")[0], "Лиман");
        assert!(!has("Уа", "У"));
    }

    fn found(text: &str) -> Vec<(String, String)> {
        let gaz = crate::embedded::gazetteer().unwrap();
        crate::recognize::recognize(gaz, text)
            .unwrap()
            .into_iter()
            .map(|m| (m.text, m.name))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn ukrainian_report_in_every_case() {
        let got = texts(
            "Російські війська вчора обстріляли Бахмут і Часів Яр. Бої тривають під Бахмутом \
             та в Харківській області. У Запоріжжі пролунали вибухи. Ворог атакував позиції \
             поблизу Авдіївки на Донеччині, а також біля Великої Новосілки.",
        );
        assert_eq!(
            got,
            [
                "Бахмут",
                "Часів Яр",
                "Бахмутом",
                "Харківській області",
                "Запоріжжі",
                "Авдіївки",
                "Донеччині",
                "Великої Новосілки"
            ]
        );
    }

    #[test]
    fn russian_report_in_every_case() {
        let got = found(
            "Силы ПВО ночью сбили беспилотник над Брянской областью, бои продолжаются под \
             Бахмутом и в районе Авдеевки, сообщили в России.",
        );
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["Брянской областью", "Бахмутом", "Авдеевки", "России"]
        );
        // A country's name is looked up under the name the gazetteer knows it by.
        assert_eq!(got[3].1, "Russia");
    }

    #[test]
    fn people_words_and_bodies_are_not_places() {
        // A given name, a title, a word of the common list, a word that opens a sentence, a
        // place that ends the proper name of a body.
        assert!(texts("Вчора Володимир Зеленський зустрівся з генералом у столиці.").is_empty());
        assert!(texts("Наступного дня президент Сальдо нічого не сказав.").is_empty());
        assert!(texts("Сили оборони тримають позиції, кажуть військові.").is_empty());
        assert!(texts("Разом з тим ми працюємо, разом ми сильні.").is_empty());
        assert!(texts("Закон ухвалила Верховна Рада України минулого тижня.").is_empty());
    }

    #[test]
    fn a_place_type_word_binds_and_is_shared() {
        assert_eq!(
            texts("Тривога лунала в Одеській та Миколаївській областях до ранку."),
            ["Одеській", "Миколаївській областях"]
        );
        assert_eq!(
            texts("Вибух стався поблизу смт Кринки на лівобережжі."),
            ["Кринки"]
        );
    }

    #[test]
    fn abbreviations_count_only_when_listed() {
        assert_eq!(
            texts("Делегація США прибула, а ЗСУ відбили атаку."),
            ["США"]
        );
    }

    #[test]
    fn adjectives_titles_initials_and_verbs() {
        // An adjective before a common noun names no place; before a verb it is the place.
        assert!(texts("Бої тривають на Запорізькому напрямку, кажуть у штабі.").is_empty());
        assert_eq!(
            texts("Вночі над Раменским сбиты беспилотники."),
            ["Раменским"]
        );
        assert_eq!(
            texts("Вчора у Кропивницькому ракетний удар пошкодив склад."),
            ["Кропивницькому"]
        );
        // A well-known place after a title is the office's; a name after an initial a person's.
        assert_eq!(texts("Про це заявив мер Києва на брифінгу."), ["Києва"]);
        assert!(texts("Книгу написав Б. Хмельницький давно.").is_empty());
        // The object of a verb of attack is a site, however small.
        assert_eq!(
            texts("Сили оборони звільнили Роботине минулого тижня."),
            ["Роботине"]
        );
        // A hyphenated name inflects its first part.
        assert_eq!(
            found("Ночью над Ростовом-на-Дону сбили ракету.")[0].1,
            "Ростов-на-Дону"
        );
    }

    #[test]
    fn names_of_papers_firms_and_bodies_hold_no_place() {
        // A short quoted name is a paper's or a firm's, nested quotes and mismatched ones too.
        assert!(texts("Редакція газети «Житомирщина» подала позов до суду.").is_empty());
        assert!(texts("Збори пройшли в ДП «Аеропорт «Бориспіль»» учора.").is_empty());
        assert!(texts("Фірма «Одеса“ закрилася, а газета „Херсон» ні.").is_empty());
        // A quotation in lower case is someone's words, and its places are places.
        assert_eq!(
            texts("Він сказав: «вчора ми були у Львові», і пішов."),
            ["Львові"]
        );
        // The place a court, a prosecutor or a department serves ends the body's name.
        assert!(texts("Рішення Господарського суду м. Києва оскаржили.").is_empty());
        assert!(texts("Справу веде прокурор Запорізької області особисто.").is_empty());
        assert!(texts("Заяву подали до ГУ ДФС у м. Києві минулого тижня.").is_empty());
        // A town's adjective before a common noun, with no site word before it.
        assert!(texts("Керівника Донецького опікового центру звільнили.").is_empty());
    }

    #[test]
    fn a_surname_the_document_gives_stays_a_person() {
        assert_eq!(
            texts("Богдан Хмельницький повів військо. Війська Хмельницького стали біля Збаража."),
            ["Збаража"]
        );
        // After a site word the same word is the town.
        assert_eq!(
            texts("Богдан Хмельницький народився давно. Вчора у Хмельницькому був вибух."),
            ["Хмельницькому"]
        );
    }

    #[test]
    fn a_list_may_repeat_its_preposition() {
        assert_eq!(
            texts("Тривога лунала в Полтавській та в Сумській областях."),
            ["Полтавській", "Сумській областях"]
        );
    }

    #[test]
    fn a_towns_adjective_before_a_plant_or_port_names_the_town() {
        assert_eq!(
            found("Уранці на Бурштинській ТЕС сталася пожежа.")[0].0,
            "Бурштинській"
        );
        assert_eq!(found("Вночі Кстовский НПЗ атаковали дроны.")[0].1, "Кстово");
        // (Одеса and Одесса are both Odesa's names in the gazetteer.)
        for text in [
            "Вибух пролунав в Одеському порту.",
            "Взрыв произошел в Одесском порту.",
        ] {
            let name = &found(text)[0].1;
            assert!(["Одеса", "Одесса"].contains(&name.as_str()), "{name}");
        }
    }
}
