//! Finding the place names in running text, without a neural model: gazetteer names found among
//! the capitalised words, with the rules a careful reader applies — place-type words bind to the
//! name ("Donetsk region", "the village of Krasna Hora"), coordination shares them ("Donetsk and
//! Luhansk regions"), first names and organisations are not places ("Vladimir Putin", "Wagner
//! group"), demonyms are told apart ("Russian forces"), and metonymy is flagged ("Britain's
//! Ministry of Defence", "the Ramstein group").

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::{Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::gazetteer::{format, Gazetteer};
use crate::lexicon::{self, WordSet};
use crate::lookup::{importance, want_rows, Want};
use crate::memo::{remember, Memo, Shared};
use crate::normalize::name_key;
use crate::{demonyms, person_names, Result};

// The words the rules below ask about, one list a file in lang/en/; each file's header says what
// it is for. The recogniser asks most of them about every capitalised word of every document.
static COMMON_WORDS: WordSet = WordSet::new(include_str!("../lang/en/common_words.txt"));
static FIRST_NAMES: WordSet = WordSet::new(include_str!("../lang/en/given_names.txt"));
static PERSON_TITLES: WordSet = WordSet::new(include_str!("../lang/en/person_titles.txt"));
static ORGANISATIONS: WordSet = WordSet::new(include_str!("../lang/en/organisations.txt"));
static LOCATIVES: WordSet = WordSet::new(include_str!("../lang/en/locatives.txt"));
static METONYMY_NOUNS: WordSet = WordSet::new(include_str!("../lang/en/metonymy_nouns.txt"));
static INSTITUTION_WORDS: WordSet = WordSet::new(include_str!("../lang/en/institution_words.txt"));
static AREA_WORDS: WordSet = WordSet::new(include_str!("../lang/en/area_words.txt"));
static HYPHEN_SUFFIXES: WordSet = WordSet::new(include_str!("../lang/en/hyphen_suffixes.txt"));
static CONNECTORS: WordSet = WordSet::new(include_str!("../lang/en/connectors.txt"));
static NAME_ABBREVIATIONS: WordSet =
    WordSet::new(include_str!("../lang/en/name_abbreviations.txt"));
static SPEECH_VERBS: WordSet = WordSet::new(include_str!("../lang/en/speech_verbs.txt"));
static DISEASE_WORDS: WordSet = WordSet::new(include_str!("../lang/en/disease_words.txt"));
static WEAPON_NOUNS: WordSet = WordSet::new(include_str!("../lang/en/weapon_nouns.txt"));
static ATTACK_NOUNS: WordSet = WordSet::new(include_str!("../lang/en/attack_nouns.txt"));
static CITY_WORDS: WordSet = WordSet::new(include_str!("../lang/en/city_words.txt"));
/// "and", "or": the words that join names into a list (resolution asks it too).
pub(crate) static COORDINATORS: WordSet = WordSet::new(include_str!("../lang/en/coordinators.txt"));
static CONTRACTION_ENDINGS: &str = include_str!("../lang/en/contraction_endings.txt");
static QUALIFIERS: &str = include_str!("../lang/en/qualifiers.tsv");
static OF_QUALIFIERS: &str = include_str!("../lang/en/of_qualifiers.tsv");

/// The endings of contractions ("’ve", "n't"), as a slice to run through.
fn contraction_endings() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| lexicon::entries(CONTRACTION_ENDINGS).collect())
}

/// The name abbreviations without their dot ("St" of "St."), as the tokeniser meets them.
fn abbreviation_stems() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        NAME_ABBREVIATIONS
            .iter()
            .map(|a| a.strip_suffix('.').unwrap_or(a))
            .collect()
    })
}

/// A stretch of text that names a place (or, for demonyms, a people).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Character offsets into the text, end exclusive; the span includes a bound qualifier word.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The name to look up, without qualifier words ("Donetsk" of "Donetsk and Luhansk regions").
    pub name: String,
    pub want: Option<Want>,
    /// "Russian", "Ukrainians": names a country through its people.
    pub demonym: bool,
    /// The place stands for an institution or group ("Britain's Ministry of Defence").
    pub metonymy: bool,
    /// A locative word comes before it ("in", "near", "outside"...): a reader expects a place.
    pub cue: bool,
    /// "the" comes before it, perhaps with a lower-case word between ("the tropical Atlantic"):
    /// a sea, a river or a region, rarely a town.
    pub definite: bool,
}

/// Whether a name stands in the brackets after a capitalised name, first or after commas: the
/// divisions that place the name before them ("Sambalgou (Kantchari, Tapoa)", "Markaba
/// (Marjayoun)"), which a reader takes for places even when the first name is unknown.
/// `before` is the text up to the name.
fn in_division_brackets(before: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"\p{Lu}[\p{L}\p{M}'’.-]*\s?\((?:\s*\p{Lu}[^(),;]{0,40},)*\s*$")
            .expect("pattern compiles")
    });
    // Only the last few words matter; a bounded tail keeps the regex's work per name small.
    let tail = crate::window::tail(before, 120);
    tail.ends_with(['(', ' ', ',']) && tail.contains('(') && re.is_match(tail)
}

/// "the Atlantic", "the eastern Pacific": "the" right before the name, or before one lower-case
/// word before it, in the same clause.
fn definite(tokens: &[Token], i: usize) -> bool {
    let the = |t: &Token| t.text.eq_ignore_ascii_case("the");
    match i {
        0 => false,
        1 => the(&tokens[0]) && tokens[1].joined,
        _ => {
            let (a, b) = (&tokens[i - 2], &tokens[i - 1]);
            tokens[i].joined
                && (the(b)
                    || (the(a)
                        && b.joined
                        && !b.capital
                        && b.text.chars().all(char::is_alphabetic)))
        }
    }
}

/// A word of the text with its character and byte offsets.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
    /// The word as written: a slice of the text, so tokenising allocates nothing per word.
    pub(crate) text: &'a str,
    /// The word in lower case, made once; borrowed when it is already lower case.
    pub(crate) lower: Cow<'a, str>,
    /// First letter upper case.
    pub(crate) capital: bool,
    /// First word of a sentence, a line or a heading in title case: capitals say little there.
    pub(crate) sentence_start: bool,
    /// Only a space separates it from the previous token (no comma, stop or line break).
    pub(crate) joined: bool,
    /// Followed by a possessive 's, which the token leaves out ("Britain" of "Britain's").
    pub(crate) possessive: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Splits text into words: letters and digits, with apostrophes and hyphens inside a word
/// (Kam'ianske, Ivano-Frankivsk) and dotted abbreviations (U.S., W.Va.) kept whole.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    thread_local! {
        // A document's characters, kept between documents: a fresh buffer each time costs fresh
        // pages from the allocator, a tenth of the run on a batch.
        static CHARS: Cell<Vec<(usize, char)>> = const { Cell::new(Vec::new()) };
    }
    let mut chars = CHARS.take();
    chars.clear();
    chars.extend(text.char_indices());
    let tokens = tokenize_chars(text, &chars);
    // A huge document's buffer is let go rather than held for the rest of the run.
    if chars.capacity() <= 1 << 20 {
        CHARS.set(chars);
    }
    tokens
}

fn tokenize_chars<'a>(text: &'a str, chars: &[(usize, char)]) -> Vec<Token<'a>> {
    // Prose has about one word in six bytes, more in lists and tables: sized to hold most
    // documents at once rather than grown by doubling.
    let mut tokens = Vec::with_capacity(text.len() / 5 + 16);
    let mut i = 0;
    let mut sentence_start = true;
    let mut joined = false;
    while i < chars.len() {
        let c = chars[i].1;
        if !c.is_alphanumeric() {
            if c == '\n' {
                // A wrapped line goes on with the sentence; a blank line or a line after a full
                // stop starts a new one.
                let blank = chars[..i]
                    .iter()
                    .rev()
                    .take_while(|&&(_, p)| p == ' ' || p == '\t' || p == '\r')
                    .count();
                let before = i.checked_sub(blank + 1).map(|k| chars[k].1);
                if before.is_none_or(|p| matches!(p, '\n' | '.' | '!' | '?' | ':')) {
                    sentence_start = true;
                    joined = false;
                }
            } else if matches!(c, '.' | '!' | '?' | ':' | ';' | '"' | '“' | '”' | '(' | ')') {
                // "Matthew D. Flores": the dot of an initial ends no sentence.
                let initial = c == '.'
                    && tokens
                        .last()
                        .is_some_and(|t: &Token| t.end == i && t.end - t.start == 1 && t.capital);
                sentence_start |= matches!(c, '.' | '!' | '?' | ':' | '“' | '"') && !initial;
                // ...nor parts the name's words, when a given name comes before it ("Plan B.
                // Bakhmut fell" is two sentences).
                let given_before = initial && tokens.len() >= 2 && {
                    let g = &tokens[tokens.len() - 2];
                    g.capital
                        && g.end + 1 == i - 1
                        && (FIRST_NAMES.contains(&g.lower) || person_names::is_given(&g.lower))
                };
                joined &= initial && given_before;
            } else if c != ' ' && c != '\t' && c != '\r' {
                joined = false;
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < chars.len() {
            let cj = chars[j].1;
            // Most characters of a word are letters: nothing more to ask of them.
            if cj.is_alphanumeric() {
                j += 1;
                continue;
            }
            let next_is_letter = chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphabetic());
            // "Texas-based", "Kremlin-backed": the place ends at the hyphen.
            let adjective_suffix = cj == '-' && {
                let letters = chars[j + 1..]
                    .iter()
                    .take_while(|&&(_, c)| c.is_alphabetic())
                    .count();
                let from = chars.get(j + 1).map_or(text.len(), |&(b, _)| b);
                let to = chars.get(j + 1 + letters).map_or(text.len(), |&(b, _)| b);
                HYPHEN_SUFFIXES.contains(&text[from..to])
            };
            if adjective_suffix {
                break;
            }
            let inner = (is_apostrophe(cj) || cj == '-') && j > start && next_is_letter;
            // U.S., W.Va.: a dot between short pieces, the next one closed by a dot or ending the
            // word
            let abbreviation_dot = !inner && cj == '.' && next_is_letter && j - start <= 3 && {
                let run = chars[j + 1..]
                    .iter()
                    .take_while(|&&(_, n)| n.is_alphabetic())
                    .count();
                run == 1 || (run <= 3 && chars.get(j + 1 + run).is_some_and(|&(_, n)| n == '.'))
            };
            if !(inner || abbreviation_dot) {
                break;
            }
            j += 1;
        }
        // Keep the closing dot of an abbreviation with inner dots ("U.S." not "U.S").
        let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
        let word = &text[chars[start].0..byte_at(j)];
        if word.contains('.') && chars.get(j).is_some_and(|&(_, c)| c == '.') {
            j += 1;
        }
        // "St. Paul", "Mt. Pleasant", "Ft. Worth": the abbreviation's dot belongs to the name.
        // (The list is asked last: most words are followed by no dot.)
        let name_abbreviation = chars.get(j).is_some_and(|&(_, c)| c == '.')
            && chars.get(j + 1).is_some_and(|&(_, c)| c == ' ')
            && chars.get(j + 2).is_some_and(|&(_, c)| c.is_uppercase())
            && abbreviation_stems().contains(word);
        // "Lexington, Ky.", "Boston, Mass.": a short capitalised word after a comma, closed by a
        // dot, is a state's abbreviation and keeps its dot.
        let after_comma = chars[..start]
            .iter()
            .rev()
            .find(|&&(_, c)| c != ' ')
            .is_some_and(|&(_, c)| c == ',');
        let state_abbreviation = after_comma
            && word.is_ascii()
            && (2..=4).contains(&(j - start))
            && word.chars().next().is_some_and(char::is_uppercase)
            && chars.get(j).is_some_and(|&(_, c)| c == '.');
        if name_abbreviation || state_abbreviation {
            j += 1;
        }
        // A possessive 's is not part of the name.
        let possessive = j - start > 2 && is_apostrophe(chars[j - 2].1) && chars[j - 1].1 == 's';
        let next = j;
        if possessive {
            j -= 2;
        }
        let byte_end = byte_at(j);
        let text_word = &text[chars[start].0..byte_end];
        tokens.push(Token {
            start,
            end: j,
            byte_start: chars[start].0,
            byte_end,
            capital: text_word.chars().next().is_some_and(char::is_uppercase),
            text: text_word,
            lower: lower_case(text_word),
            sentence_start,
            joined,
            possessive,
        });
        sentence_start = false;
        joined = !possessive;
        i = next;
    }
    mark_title_lines(&mut tokens, text);
    tokens
}

/// In a heading where most words are capitalised, capitals carry no information: treat every
/// word as if it began a sentence.
fn mark_title_lines(tokens: &mut [Token], text: &str) {
    let mut line_start = 0;
    while line_start < tokens.len() {
        let line_end_byte = text[tokens[line_start].byte_start..]
            .find('\n')
            .map_or(text.len(), |n| n + tokens[line_start].byte_start);
        let mut k = line_start;
        while k < tokens.len() && tokens[k].byte_start < line_end_byte {
            k += 1;
        }
        let words = &tokens[line_start..k];
        // Offsets are in characters, so a word's length is their difference.
        let long = words.iter().filter(|t| t.end - t.start > 3).count();
        let caps = words
            .iter()
            .filter(|t| t.end - t.start > 3 && t.capital)
            .count();
        if long >= 4 && caps * 10 >= long * 8 {
            for t in &mut tokens[line_start..k] {
                t.sentence_start = true;
            }
        }
        line_start = k.max(line_start + 1);
    }
}

/// A table of place-type words: what each wants, and whether it is plural as written.
type Qualifiers = FxHashMap<&'static str, (Want, bool)>;

fn qualifier_table(text: &'static str) -> Qualifiers {
    want_rows(text, "plural")
        .map(|(word, want, plural)| (word, (want, plural)))
        .collect()
}

/// The place-type word `word`, if it is one (plural forms count for coordination).
fn qualifier(word: &str) -> Option<(Want, bool)> {
    static TABLE: OnceLock<Qualifiers> = OnceLock::new();
    qualifier_in(TABLE.get_or_init(|| qualifier_table(QUALIFIERS)), word)
}

/// The place-type word `word` by `table`: a form the table lists, or else the plural in -s of a
/// word it lists ("regions").
fn qualifier_in(table: &Qualifiers, word: &str) -> Option<(Want, bool)> {
    let w = word.to_lowercase();
    if let Some(&found) = table.get(w.as_str()) {
        return Some(found);
    }
    let plural = w.ends_with('s') && !w.ends_with("ss");
    if !plural {
        return None;
    }
    table.get(&w[..w.len() - 1]).map(|&(want, _)| (want, true))
}

/// What the word before "of" makes the name after it ("the village of X").
fn of_qualifier(word: &str) -> Option<Want> {
    static TABLE: OnceLock<FxHashMap<&'static str, Want>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            want_rows(OF_QUALIFIERS, "")
                .map(|(word, want, _)| (word, want))
                .collect()
        })
        .get(word)
        .copied()
}

/// What the gazetteer says of a candidate name: whether it names anything, and how important
/// the most important place of that name is.
pub(crate) fn known(gaz: &Gazetteer, text: &str) -> Result<Option<f64>> {
    thread_local! {
        static KNOWN: RefCell<Memo<Option<f64>>> = const { RefCell::new(Memo::new()) };
    }
    static SHARED: Shared<Option<f64>> = Mutex::new(Memo::new());
    remember(&KNOWN, &SHARED, gaz, text, || known_uncached(gaz, text))
}

fn known_uncached(gaz: &Gazetteer, text: &str) -> Result<Option<f64>> {
    let key = name_key(text);
    if key.is_empty() {
        return Ok(None);
    }
    let postings = gaz.postings(&key)?;
    if postings.is_empty() {
        return Ok(None);
    }
    let mut best = 0.0f64;
    for (idx, _) in postings.iter().take(64) {
        let r = gaz.raw_record(*idx)?;
        let mut buf = [0u8; 4];
        let class = (r.feature_class as char).encode_utf8(&mut buf);
        best = best.max(importance(
            class,
            format::trim_fixed(&r.feature_code),
            r.population,
        ));
    }
    Ok(Some(best))
}

/// Some country bears `text` as a name.
fn names_country(gaz: &Gazetteer, text: &str) -> Result<bool> {
    for (idx, _) in gaz.postings(&name_key(text))? {
        if format::is_country_code(format::trim_fixed(&gaz.raw_record(idx)?.feature_code)) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lower<'t>(t: &'t Token) -> &'t str {
    &t.lower
}

fn lower_case(word: &str) -> Cow<'_, str> {
    if !word.is_ascii() {
        Cow::Owned(word.to_lowercase())
    } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Every place mention of `text`, in order.
pub fn recognize(gaz: &Gazetteer, text: &str) -> Result<Vec<Mention>> {
    let tokens = tokenize(text);
    let mut mentions: Vec<Mention> = Vec::new();
    // Words seen as parts of a person's name; later on their own ("Stoltenberg said") they are
    // still the person.
    let mut person_words: FxHashSet<String> = FxHashSet::default();
    // Where the last mention ends when it was a lone minor place ("Darren" of "Darren Ripley").
    let mut minor_end: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // Cyrillic words are read by `cyrillic`, with the rules of their languages.
        if !t.capital
            || t.text.chars().all(|c| c.is_ascii_digit())
            || t.text.starts_with(crate::lang::is_cyrillic)
        {
            i += 1;
            continue;
        }
        let lw = lower(t);
        let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
        let contraction = contraction_endings().iter().any(|c| lw.ends_with(c));
        let roman = lw.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) && letters <= 4;
        // "Weâ€™re": an apostrophe decoded as the wrong charset ends the word in â.
        let mojibake = lw.ends_with('â') && text[t.byte_end..].starts_with('€');
        let contraction = contraction || mojibake;
        // Two-letter words count only in capitals ("US", "UK"): "Li", "La", "Al" are names and articles.
        let short_word = letters < 3
            && !t.text.ends_with('.')
            && !t
                .text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        // "MPs", "CEOs": plural acronyms are people.
        let plural_acronym = letters >= 3
            && t.text.ends_with('s')
            && t.text[..t.text.len() - 1]
                .chars()
                .all(|c| c.is_ascii_uppercase());
        // ...unless they start a longer name: "El Paso", "La Paz", "Ho Chi Minh City".
        let early = if short_word {
            Some(longest_known(gaz, text, &tokens, i)?)
        } else {
            None
        };
        let short_word =
            short_word && !matches!(early, Some(Some((end, imp))) if end > i && imp >= 0.55);
        if ORGANISATIONS.contains(lw)
            || letters < 2
            || short_word
            || plural_acronym
            || contraction
            || roman
        {
            i += 1;
            continue;
        }
        // A first name and a capitalised word after it: a person ("David Jones").
        let next_capital = tokens
            .get(i + 1)
            .is_some_and(|n| n.joined && n.capital && qualifier(n.text).is_none());
        // (Unless the two name a place together: "Beverly Hills", "Charlotte Amalie".)
        // A census given name counts only where it is no notable place itself ("Austin",
        // "Florence").
        let given = FIRST_NAMES.contains(lw)
            || (person_names::is_given(lw) && known(gaz, t.text)?.is_none_or(|imp| imp < 0.7));
        // The longest gazetteer name here, looked for first: "Saudi Arabia" and "Dominican Republic"
        // start with a demonym but are places.
        let best = match early {
            Some(best) => best,
            None => longest_known(gaz, text, &tokens, i)?,
        };
        if given && next_capital && best.is_none_or(|(end, _)| end == i) {
            i = skip_person(&tokens, i, &mut person_words);
            continue;
        }
        // A title makes the following capitalised words a person.
        if i > 0 && PERSON_TITLES.contains(lower(&tokens[i - 1]).trim_end_matches('.')) {
            i = skip_person(&tokens, i, &mut person_words);
            continue;
        }
        if person_words.contains(lw) {
            i += 1;
            continue;
        }
        // Demonyms of one or two words ("Russian", "Sri Lankan").
        let pair = tokens
            .get(i + 1)
            .filter(|n| n.joined && n.capital)
            .map(|n| (n, &text[t.byte_start..n.byte_end]));
        let demonym = match pair {
            Some((n, both)) if demonyms::lookup(both).is_some() => Some((n.end, n.byte_end, 2)),
            _ if demonyms::lookup(t.text).is_some() => Some((t.end, t.byte_end, 1)),
            _ => None,
        };
        let place_is_longer = best.is_some_and(|(end, _)| end + 1 - i > demonym.map_or(0, |d| d.2));
        if let (Some((end, byte_end, words)), false) = (demonym, place_is_longer) {
            let span = text[t.byte_start..byte_end].to_string();
            mentions.push(Mention {
                start: t.start,
                end,
                text: span.clone(),
                name: span,
                want: None,
                demonym: true,
                metonymy: false,
                cue: false,
                definite: false,
            });
            i += words;
            continue;
        }
        let Some((end, imp)) = best else {
            // An unknown word bound to a place-type word is a place, perhaps misspelt
            // ("Zherberets River", "Kharkhiv region"): the lookup will search for it.
            // ("Nassriya city" too: "city" binds an unknown name the same way. Not "village":
            // villages the gazetteer lacks are many, and a near spelling is another village.)
            let q = tokens.get(i + 1).filter(|q| q.joined).and_then(|q| {
                qualifier(q.text)
                    .or_else(|| {
                        CITY_WORDS
                            .contains(lower(q))
                            .then_some((Want::Populated, false))
                    })
                    .map(|w| (q, w))
            });
            if let (Some((q, (want, _))), false) = (q, COMMON_WORDS.contains(lw)) {
                mentions.push(Mention {
                    start: t.start,
                    end: q.end,
                    text: text[t.byte_start..q.byte_end].to_string(),
                    name: t.text.to_string(),
                    want: Some(want),
                    demonym: false,
                    metonymy: false,
                    cue: true,
                    definite: false,
                });
                i += 2;
                continue;
            }
            i += 1;
            continue;
        };
        let span_text = text[tokens[i].byte_start..tokens[end].byte_end].to_string();
        let single = end == i;
        // A known first name followed by a capitalised word that names nothing: a person.
        let next = tokens.get(end + 1);
        let next_is_unknown_name = next.is_some_and(|n| {
            n.joined
                && n.capital
                && qualifier(n.text).is_none()
                && !METONYMY_NOUNS.contains(lower(n))
        });
        // (Not in headings, where every word is capitalised: "Kyiv Says".)
        // "Welch said": a minor place before a verb of speech is a person.
        let speech = next.is_some_and(|n| n.joined && SPEECH_VERBS.contains(lower(n)));
        let cue = (i > 0 && LOCATIVES.contains(lower(&tokens[i - 1])))
            || in_division_brackets(&text[..t.byte_start]);
        // "Welch said", and a common surname alone that would only be a small town: a person.
        let surname = person_names::is_surname(lw) && !t.sentence_start && !acronym_like(t);
        if single && imp < 0.66 && (speech || surname) && !t.possessive && !cue {
            person_words.insert(lw.to_string());
            i += 1;
            continue;
        }
        // Only a minor place passes for a first name: "Texas Department" is an agency of Texas.
        if single && imp < 0.6 && next_is_unknown_name && !next.unwrap().sentence_start {
            let n = next.unwrap();
            if known(gaz, n.text)?.is_none() {
                i = skip_person(&tokens, i, &mut person_words);
                continue;
            }
        }
        // "Darren Ripley", "Matthew D. Flores": a minor place after a capitalised word that is
        // not itself a place, nor a word that starts sentences or place names, is a surname.
        if single && imp < 0.66 && t.joined && i > 0 {
            let p = &tokens[i - 1];
            let pl = lower(p);
            let word = pl.trim_end_matches('.');
            let last_end = mentions.last().map(|m| m.end);
            let minor_before = last_end == Some(p.end) && minor_end == Some(p.end);
            let was_place = last_end == Some(p.end) && !minor_before;
            if p.capital
                && !was_place
                && ![&AREA_WORDS, &LOCATIVES, &COMMON_WORDS]
                    .iter()
                    .any(|list| list.contains(word))
                && qualifier(p.text).is_none()
            {
                if minor_before {
                    mentions.pop();
                    person_words.insert(pl.to_string());
                }
                person_words.insert(lw.to_string());
                i += 1;
                continue;
            }
        }
        // "Ripley High School", "Brown Motor Company": a minor place that names an institution.
        if imp < 0.65
            && tokens
                .get(end + 1)
                .is_some_and(|n| n.joined && n.capital && INSTITUTION_WORDS.contains(lower(n)))
        {
            i = end + 1;
            continue;
        }
        // "St." alone is no place; "St. Patrick's Day" is a feast.
        let holiday =
            tokens[end].possessive && tokens.get(end + 1).is_some_and(|n| n.text == "Day");
        if (single && NAME_ABBREVIATIONS.contains(t.text)) || holiday {
            i = end + 1;
            continue;
        }
        if single && COMMON_WORDS.contains(lw) {
            i += 1;
            continue;
        }
        // "West Nile virus", "Marburg fever": a disease named after a place is not that place.
        if tokens
            .get(end + 1)
            .is_some_and(|n| n.joined && DISEASE_WORDS.contains(lower(n)))
        {
            i = end + 1;
            continue;
        }
        // "Grad rockets", "Iskander missiles": a name before a weapon's noun names the weapon
        // ("the Odesa missile strike" still names Odesa, and so does a major place).
        let weapon = tokens
            .get(end + 1)
            .is_some_and(|n| n.joined && WEAPON_NOUNS.contains(lower(n)));
        let attack = tokens
            .get(end + 2)
            .is_some_and(|n| n.joined && ATTACK_NOUNS.contains(lower(n)));
        if imp < 0.8 && weapon && !attack {
            i = end + 1;
            continue;
        }
        // At a sentence start or in a heading, only a well-known place counts; so for an acronym
        // ("KBR"), which is more often an organisation than a place.
        // (Longer words in capitals are datelines and headlines: "CHARLESTON, W.Va.")
        let acronym = (2..=5).contains(&letters)
            && t.text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            && !t.text.contains('.');
        if single && ((t.sentence_start && imp < 0.55) || (acronym && imp < 0.8)) {
            i += 1;
            continue;
        }
        let mut m = Mention {
            start: tokens[i].start,
            end: tokens[end].end,
            text: span_text.clone(),
            name: span_text,
            want: None,
            demonym: false,
            metonymy: false,
            cue,
            definite: definite(&tokens, i),
        };
        let mut next_i = end + 1;
        // A place-type word after the name binds to it ("Donetsk region", "Zherberets River").
        if let Some(q) = tokens.get(end + 1).filter(|q| q.joined) {
            if let Some((want, _)) = qualifier(q.text) {
                m.want = Some(want);
                m.end = q.end;
                m.text = text[tokens[i].byte_start..q.byte_end].to_string();
                next_i = end + 2;
            }
        }
        // "the village of X", "the city of X", "the province of X", "the state of X" (but "the
        // state of Iraq" and the "Islamic State of Iraq" name a country, or nothing)
        if i >= 2 && lower(&tokens[i - 1]) == "of" && m.want.is_none() {
            m.want = match of_qualifier(lower(&tokens[i - 2])) {
                Some(Want::Admin1) if names_country(gaz, &m.name)? => None,
                want => want,
            };
        }
        // Metonymy: "Britain's Ministry", "Ramstein group", "Kyiv says".
        let possessive = tokens[next_i - 1].possessive;
        if let Some(n) = tokens.get(next_i).filter(|n| n.joined || possessive) {
            let nl = lower(n);
            if METONYMY_NOUNS.contains(nl) || (possessive && n.capital) {
                m.metonymy = true;
            }
        }
        minor_end = (single && imp < 0.6 && m.want.is_none()).then_some(m.end);
        mentions.push(m);
        i = next_i;
    }
    share_coordinated_qualifiers(&tokens, &mut mentions);
    if crate::lang::has_cyrillic(text) {
        mentions.extend(crate::cyrillic::recognize(gaz, text, &tokens)?);
        mentions.sort_by_key(|m| m.start);
    }
    Ok(mentions)
}

/// The longest run of capitalised words from `i` (with connectors inside: "Republic of the
/// Congo") that the gazetteer knows: its last token and the importance of its best place.
fn longest_known(
    gaz: &Gazetteer,
    text: &str,
    tokens: &[Token],
    i: usize,
) -> Result<Option<(usize, f64)>> {
    let mut best = None;
    let mut j = i;
    while j < tokens.len() && j - i < 6 {
        // "People's Republic of China": a possessive inside a name does not end it (the whole
        // span must still be a known name, so "Britain's Ministry" stays apart).
        // ("'s " exactly: a stop after the possessive still ends the name.)
        let after_possessive =
            j > i && tokens[j - 1].possessive && tokens[j].start == tokens[j - 1].end + 3;
        if j > i && !tokens[j].joined && !after_possessive {
            break;
        }
        let is_connector = j > i && CONNECTORS.contains(lower(&tokens[j]));
        if j > i && !tokens[j].capital && !is_connector {
            break;
        }
        if tokens[j].capital {
            let span = &text[tokens[i].byte_start..tokens[j].byte_end];
            if let Some(imp) = known(gaz, span)? {
                best = Some((j, imp));
            }
        }
        j += 1;
    }
    Ok(best)
}

/// Written in capitals ("DYER", "KBR"): a heading, a dateline or an acronym, not a name in prose.
fn acronym_like(t: &Token) -> bool {
    t.text
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

/// Skips the run of capitalised words starting at `i` (a person's name), remembering its words.
fn skip_person(tokens: &[Token], i: usize, person_words: &mut FxHashSet<String>) -> usize {
    let mut j = i;
    while j < tokens.len() && tokens[j].capital && (j == i || tokens[j].joined) {
        person_words.insert(lower(&tokens[j]).to_string());
        j += 1;
    }
    j.max(i + 1)
}

/// "Donetsk and Luhansk regions": the plural qualifier after the last name applies to every name
/// joined to it by commas and "and".
fn share_coordinated_qualifiers(tokens: &[Token], mentions: &mut [Mention]) {
    for k in (1..mentions.len()).rev() {
        let Some(want) = mentions[k].want else {
            continue;
        };
        let plural = tokens
            .iter()
            .find(|t| t.end == mentions[k].end)
            .and_then(|t| qualifier(t.text))
            .is_some_and(|(_, plural)| plural);
        if !plural {
            continue;
        }
        let mut j = k;
        while j > 0 {
            let (prev_end, this_start) = (mentions[j - 1].end, mentions[j].start);
            let between: Vec<&Token> = tokens
                .iter()
                .filter(|t| t.start >= prev_end && t.end <= this_start)
                .collect();
            let joined_by_and =
                between.len() <= 1 && between.iter().all(|t| COORDINATORS.contains(t.text));
            if !joined_by_and || mentions[j - 1].want.is_some() {
                break;
            }
            mentions[j - 1].want = Some(want);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_apostrophes_hyphens_and_abbreviations() {
        let toks = tokenize("In Kam'ianske and Ivano-Frankivsk, U.S. officials.");
        let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            [
                "In",
                "Kam'ianske",
                "and",
                "Ivano-Frankivsk",
                "U.S.",
                "officials"
            ]
        );
        assert!(toks[0].sentence_start && !toks[1].sentence_start);
        assert!(
            !toks[4].joined,
            "a comma separates U.S. from Ivano-Frankivsk"
        );
        let toks = tokenize("a Texas-based firm");
        assert_eq!(toks[1].text, "Texas");
        let toks = tokenize("Britain’s Ministry");
        assert_eq!(
            (toks[0].text, toks[0].end, toks[0].possessive),
            ("Britain", 7, true)
        );
    }

    #[test]
    fn a_wrapped_line_continues_the_sentence() {
        let toks = tokenize("shelling of\nSoledar and\n\nKupiansk");
        assert!(!toks[2].sentence_start && toks[2].joined);
        assert!(toks[4].sentence_start);
    }

    #[test]
    fn offsets_are_characters() {
        let toks = tokenize("Київ і Харків");
        assert_eq!((toks[2].start, toks[2].end), (7, 13));
    }

    #[test]
    fn title_lines_count_as_sentence_starts() {
        let toks = tokenize("Ukrainian Forces Repel Attacks Near Bakhmut\nTroops held Bakhmut.");
        assert!(toks[4].sentence_start, "`Near` in a heading");
        assert!(!toks[7].sentence_start, "`Bakhmut` inside a sentence");
    }

    #[test]
    fn qualifiers_and_plurals() {
        assert_eq!(qualifier("regions"), Some((Want::Admin1, true)));
        assert_eq!(qualifier("River"), Some((Want::River, false)));
        assert_eq!(qualifier("Ross"), None);
        assert_eq!(qualifier("Oblast'"), Some((Want::Admin1, false)));
        assert_eq!(qualifier("области"), Some((Want::Admin1, false)));
        assert_eq!(of_qualifier("village"), Some(Want::Populated));
        assert_eq!(of_qualifier("state"), Some(Want::Admin1));
        assert_eq!(of_qualifier("county"), Some(Want::Admin2));
        assert_eq!(of_qualifier("republic"), None);
    }

    #[test]
    fn a_table_may_list_a_form_that_is_plural_as_written() {
        let table = qualifier_table("# test\nобласть\tadmin1\nобласті\tadmin1\tplural\n");
        assert_eq!(qualifier_in(&table, "Області"), Some((Want::Admin1, true)));
        assert_eq!(qualifier_in(&table, "область"), Some((Want::Admin1, false)));
        assert_eq!(qualifier_in(&table, "областьs"), Some((Want::Admin1, true)));
        assert_eq!(qualifier_in(&table, "областю"), None);
    }

    #[test]
    #[should_panic(expected = "reads wrong")]
    fn a_row_with_an_unknown_want_is_refused() {
        qualifier_table("# test\nregion\tadmin9\n");
    }

    #[test]
    fn the_small_lists_are_read() {
        assert!(contraction_endings().contains(&"n’t"));
        assert!(abbreviation_stems().contains("St") && !abbreviation_stems().contains("St."));
        for (set, word) in [
            (&SPEECH_VERBS, "said"),
            (&DISEASE_WORDS, "virus"),
            (&WEAPON_NOUNS, "launchers"),
            (&ATTACK_NOUNS, "strikes"),
            (&CITY_WORDS, "city"),
            (&COORDINATORS, "or"),
            (&CONNECTORS, "ez"),
            (&HYPHEN_SUFFIXES, "based"),
        ] {
            assert!(set.contains(word), "{word}");
        }
    }
}
