//! Events: what happened where and when, per clause, in ACLED's terms.
//!
//! Each sentence is cut into clauses ("…meeting in Brussels on February 14 | after a gathering in
//! Germany…"). A clause holds an event when one of the `rules` names one and nothing says it did
//! not happen ("trying to capture"). The site is the place the clause says it happened at ("in",
//! "into the village of", "Bakhmut, which endured…"), not any place it mentions; the date is the
//! nearest date the clause (else the sentence) states that is not when a statement was made; the
//! actors come from `actors`.

pub mod acled;
pub mod actors;
pub mod fatalities;
pub mod lang;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::dates::{find_dates, DateMention};
use crate::gazetteer::{Gazetteer, Place};
use crate::lookup::{lookup, LookupOptions};
use crate::places::{places, PlaceMention, PlacesOptions};
use crate::Result;
use actors::Kind;
use lang::Lang;
use rules::{Rule, BATTLES, EXPLOSIONS, PROTESTS, RIOTS, TERRITORY, VIOLENCE};

/// How to read a document's events.
#[derive(Debug, Clone, Default)]
pub struct EventOptions {
    /// The document's date, which "yesterday" and "on February 13" are read against.
    pub doc_date: Option<NaiveDate>,
    /// What the run knows beyond the document (`theatre::Prior`), for its places.
    pub prior: crate::theatre::Prior,
    /// The document's language when the run or the document names it (`--lang`, the JSONL
    /// `lang`): its Cyrillic sentences are read in it. Else each sentence's letters tell.
    pub lang: Option<Lang>,
}

/// One event: ACLED's fields, and where in the text it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event_date: Option<NaiveDate>,
    /// ACLED's: 1 the day, 2 within a week or a range of days, 3 the month.
    pub time_precision: u8,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    /// Other actors on actor1's side ("FAMa and Wagner troops": Wagner Group), "; "-joined.
    pub assoc_actor_1: Option<String>,
    /// Other actors on actor2's side.
    pub assoc_actor_2: Option<String>,
    /// The site: its gazetteer record.
    pub place: Place,
    /// ACLED's: 1 the named place, 2 near or part of it, 3 a region or country.
    pub geo_precision: u8,
    /// The sentence the event was read from.
    pub notes: String,
    /// 0-based index of that sentence in the document.
    pub sentence: usize,
    /// The site as written, and its character offsets (end exclusive) into the document text.
    pub mention: String,
    pub start: usize,
    pub end: usize,
    /// 0–1: how sure the site, the type and the date are, together.
    pub confidence: f64,
    /// People killed, the most conservative figure the text states for this event (0 when it
    /// states none), shared evenly among the events of one sentence.
    pub fatalities: u32,
}

/// How the clause ties a place to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd)]
enum Cue {
    /// The district or region after a town the gazetteer does not know ("Katari (Kachia),
    /// Kaduna"): the event is somewhere in it.
    Qualifier,
    /// The only place of the clause, with nothing to tie it.
    Alone,
    /// "of Bakhmut", "shelled Kupiansk", "Bakhmut, which endured…".
    Object,
    /// "near", "outskirts of", "north of".
    Near,
    /// "in", "at", "into".
    Locative,
}

impl Cue {
    fn strength(self) -> f64 {
        match self {
            Cue::Qualifier => 0.3,
            Cue::Alone => 0.4,
            Cue::Near => 0.8,
            Cue::Object | Cue::Locative => 1.0,
        }
    }
}

/// English's cue words (`lang/en/events_*.txt`), each list as one alternation.
mod en {
    pub static PLACE_WORDS: &str = include_str!("../../lang/en/events_place_words.txt");
    pub static NEAR: &str = include_str!("../../lang/en/events_near.txt");
    pub static LOCATIVES: &str = include_str!("../../lang/en/events_locatives.txt");
    pub static OBJECTS: &str = include_str!("../../lang/en/events_objects.txt");
    pub static SUBJECT_AFTER: &str = include_str!("../../lang/en/events_subject_after.txt");
    pub static REPORTING: &str = include_str!("../../lang/en/events_reporting.txt");
    pub static COUNTRY_WIDE: &str = include_str!("../../lang/en/events_country_wide.txt");
    pub static CLAUSE_BREAKS: &str = include_str!("../../lang/en/events_clause_breaks.txt");
    pub static ABBREVIATIONS: crate::lexicon::WordSet =
        crate::lexicon::WordSet::new(include_str!("../../lang/en/events_abbreviations.txt"));
}

fn regex(cell: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| {
        regex::RegexBuilder::new(&pattern())
            .dfa_size_limit(32 << 20)
            .build()
            .expect("event pattern compiles")
    })
}

fn near_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        let (near, place_words) = (
            lang::alternation(en::NEAR),
            lang::alternation(en::PLACE_WORDS),
        );
        format!(
            r"(?i)(?-u:\b)(?:{near})\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,2}}?(?:(?:{place_words})\s+of\s+(?:the\s+)?)?$"
        )
    })
}

fn locative_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        let (locatives, place_words) = (
            lang::alternation(en::LOCATIVES),
            lang::alternation(en::PLACE_WORDS),
        );
        format!(
            r"(?i)(?-u:\b)(?:{locatives})\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,2}}?(?:(?:{place_words})\s+of\s+(?:the\s+)?)?$"
        )
    })
}

fn object_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        let (objects, place_words) = (
            lang::alternation(en::OBJECTS),
            lang::alternation(en::PLACE_WORDS),
        );
        format!(
            r"(?i)(?-u:\b)(?:{objects})\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,2}}?(?:(?:{place_words})\s+of\s+(?:the\s+)?)?$"
        )
    })
}

fn subject_after() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        format!(
            r"(?i)^(?:['’]s\s+\w+)?\s*(?:,\s*(?:which|where)(?-u:\b)|(?:{})(?-u:\b))",
            lang::alternation(en::SUBJECT_AFTER)
        )
    })
}

/// The break before a clause that tells an event's circumstances ("… after raiding his house
/// in Maaraba", "… while trying to capture Rubizhne").
fn circumstance() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || r"(?i)^,?\s+(?:after|while)\s+$".into())
}

/// What joins the places of a list: a comma, "and", "or", perhaps "near" again, perhaps a
/// bracket around a region between them ("near Bilohorivka, Spirne and Vyimka (Luhansk Oblast)
/// and near Terny").
fn list_separator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        r"(?i)^\s*\)?\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:(?:near|around|outside)\s+)?\(?\s*$".into()
    })
}

/// The site `first` and the places listed after it in its clause, in order: each joined to the
/// one before by a list separator. A region in a bracket or after a comma that holds the place
/// before it ("Vyimka (Luhansk Oblast)", "Krasna Hora, Donetsk") is that place's region, not a
/// member, and the list goes on past it.
fn listed_with<'a>(
    text: &str,
    first: &'a Located<'a>,
    inside: &[&'a Located<'a>],
    acting: &[&'a Located<'a>],
    language: Lang,
) -> Vec<&'a Located<'a>> {
    let cues = lang::pack(language).map(|p| p.cues());
    let separates = |gap: &str| match cues {
        Some(c) => c.list_separator.is_match(gap),
        None => list_separator().is_match(gap),
    };
    let mut members = vec![first];
    let mut prev = first;
    let mut end = first.end;
    let mut later: Vec<&Located> = inside
        .iter()
        .copied()
        .filter(|l| l.start >= first.end && !acting.iter().any(|a| a.start == l.start))
        .collect();
    later.sort_by_key(|l| l.start);
    let mut in_bracket = false;
    let mut conjoined = false;
    for l in later {
        // (Mentions never overlap; should one ever start inside the last, the list ends there.)
        let Some(gap) = text.get(end..l.start) else {
            break;
        };
        if gap.len() > LIST_GAP || !separates(gap) || gap.trim().is_empty() {
            break;
        }
        end = l.end;
        // "Rigui (Oula, Yatenga)": what a bracket after a place holds is where that place lies.
        if gap.contains(')') {
            in_bracket = false;
        }
        if gap.contains('(') {
            in_bracket = true;
        }
        // "Khotin (Sumy), Sumy": after a bracket, a comma alone goes on to the region, as notes
        // write "Town (District), Region"; a list goes on with "and".
        let joined = match cues {
            Some(c) => c.conjunction.is_match(gap),
            None => gap.contains(" and ") || gap.contains(" or ") || gap.ends_with("and "),
        };
        if in_bracket || (gap.contains(')') && !joined) {
            continue;
        }
        let division = matches!(l.m.place.feature_code.as_str(), "ADM1" | "ADM2");
        let region_of_prev = division
            && (gap.contains('(')
                || (l.m.place.country_code == prev.m.place.country_code
                    && l.m.place.admin1_code == prev.m.place.admin1_code
                    && prev.m.place.feature_code != l.m.place.feature_code));
        if region_of_prev || is_country(&l.m.place) {
            continue;
        }
        members.push(l);
        prev = l;
        conjoined |= joined;
    }
    // "Klintsy, Bryansk" is a town and its region; a list ends with "and" or "or" ("A, B and C").
    if !conjoined {
        members.truncate(1);
    }
    members
}

/// What a list's later places keep of the confidence its head would have.
const LISTED_CONFIDENCE: f64 = 0.99;

/// The longest text between two places of one list.
const LIST_GAP: usize = 16;

/// How many names back a chain of divisions is followed to the words that tie its first name.
const CHAIN_HOPS: usize = 4;

/// How far beyond a clause, in bytes either way within its sentence, a rule's `with` words are
/// looked for: more than any real sentence, and a bound for a text with no full stops.
const CONTEXT_BYTES: usize = 600;

/// A name of up to three words (the first capitalised, "Nahri Saraj district"), perhaps with a
/// bracket, and a comma or an opening bracket: the previous link of a chain of divisions
/// ("in Hlaingbwe town (Hlaingbwe township, Hpa-an district, Kayin State)").
fn chain_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        r"\p{Lu}[\w’'-]*(?:\s+[\w’'-]+){0,2}\s*(?:\([^()]*\))?\s*[,(]\s*$".into()
    })
}

/// "(coded to Zelenodolsk)", ", location coded to Mopti (Mopti, Mopti)": ACLED's notes say where
/// their coder put the event; the place named there is the site. (Possibly after a town the
/// gazetteer does not know: "coded to Znob-Novhorodsle, Sumy region".)
fn coded_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        r"(?i)(?:^|[^\w\s]\s*|\s)(?:\w+\s+)?coded\s+(?:to|as)\s+(?:the\s+)?(?:\p{Lu}[\w’'-]*(?:\s+\p{Lu}[\w’'-]*)*\s*,\s*)?$".into()
    })
}

fn qualifier_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        r"\p{Lu}[\w’'-]*\s*(?:\([^()]*\))?\s*[,(]\s*$".into()
    })
}

/// ", residents said.", ", according to local sources": who told it, not who took part.
fn attribution() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        format!(
            r#"(?i),\s*(?:according\s+to\s+[^,;]+|(?:[\w’'-]+\s+){{0,6}}?(?:{})(?:\s+[^,;]*)?)[.!?"”’]*\s*$"#,
            lang::alternation(en::REPORTING)
        )
    })
}

fn country_wide() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || {
        format!(
            r"(?i)(?-u:\b)(?:{})(?-u:\b)",
            lang::alternation(en::COUNTRY_WIDE)
        )
    })
}

fn clause_breaks() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || lang::alternation(en::CLAUSE_BREAKS))
}

/// A language pack's abbreviation ("обл", "вул"): Cyrillic words only, so English is unchanged.
fn pack_abbreviation(word: &str) -> bool {
    static SETS: [crate::lexicon::WordSet; 2] = [
        crate::lexicon::WordSet::new(lang::UK.abbreviations),
        crate::lexicon::WordSet::new(lang::RU.abbreviations),
    ];
    if !lang::has_cyrillic(word) {
        return false;
    }
    let w = word.to_lowercase();
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    SETS.iter().any(|s| s.contains(w))
}

/// Byte ranges of the sentences of `text`: a blank line ends one (headlines), a line break after
/// its punctuation does, a wrapped line does not; a full stop, ! or ? ends one when a capital,
/// digit or quote follows and the word is not an abbreviation.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let push = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            out.push((s + lead, s + lead + trimmed.len()));
        }
    };
    for (i, ch) in text.char_indices() {
        if i < start {
            continue;
        }
        if ch == '\n' {
            // A wrapped line goes on with its sentence; a blank line, or a line ended by its
            // punctuation, ends it (as the recogniser reads lines).
            let prev = text[start..i]
                .trim_end_matches([' ', '\t', '\r'])
                .chars()
                .last();
            let next_line = text[i + 1..].split('\n').next().unwrap_or("");
            if prev.is_none_or(|p| matches!(p, '.' | '!' | '?' | ':'))
                || next_line.trim().is_empty()
            {
                push(start, i, &mut out);
                start = i + 1;
            }
            continue;
        }
        if !matches!(ch, '.' | '!' | '?') {
            continue;
        }
        let rest = &text[i + 1..];
        let closed = rest.trim_start_matches(['"', '”', '’', '\'', ')']);
        let end = i + 1 + (rest.len() - closed.len());
        let spaced = closed.trim_start_matches([' ', '\t']);
        if spaced.len() == closed.len() && !closed.is_empty() {
            continue;
        }
        let next = spaced.chars().next();
        let starts_new = next.is_none_or(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\n' | '(')
        });
        let word: String = text[start..i]
            .chars()
            .rev()
            .take_while(|c| !c.is_whitespace())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let abbreviation = ch == '.'
            && (word.chars().count() == 1
                || word.contains('.')
                || en::ABBREVIATIONS.contains(&word.to_lowercase())
                || pack_abbreviation(&word));
        if starts_new && !abbreviation {
            push(start, end, &mut out);
            start = end;
        }
    }
    push(start, text.len(), &mut out);
    out
}

/// Byte ranges (into `text`) of the clauses of the sentence `s`.
fn clauses(text: &str, s: (usize, usize), language: Lang) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = s.0;
    let breaks = lang::pack(language).map_or(clause_breaks(), |p| &p.cues().clause_breaks);
    for m in breaks.find_iter(&text[s.0..s.1]) {
        let (a, b) = (s.0 + m.start(), s.0 + m.end());
        if a > from {
            out.push((from, a));
        }
        from = b;
    }
    if from < s.1 {
        out.push((from, s.1));
    }
    out
}

/// Who acts, roughly: a clause's first eight words ("RSF fighters looted…", "Clashes between
/// ELN guerrillas…"; not the victims in "residents set upon a group of suspected gang members,
/// beating…").
fn subject(clause: &str) -> &str {
    let end = clause
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace())
        .nth(7)
        .map_or(clause.len(), |(i, _)| i);
    &clause[..end]
}

/// The first rule that names an event of `clause` that happened, and where its trigger is.
///
/// `context` is the sentence without its attribution (", residents said"): the rules' company
/// words are looked for there. `follow_up` reads a protest's next clause, which
/// need not repeat who protests ("Police fired tear gas to disperse them").
fn classify(
    clause: &str,
    context: &str,
    follow_up: bool,
    languages: &[Lang],
) -> Option<(&'static Rule, usize, usize)> {
    for rule in languages.iter().flat_map(|&l| rules::rules_for(l)) {
        if follow_up && ![PROTESTS, RIOTS].contains(&rule.event_type) {
            continue;
        }
        if !follow_up && rule.with.as_ref().is_some_and(|w| !w.is_match(context)) {
            continue;
        }

        for m in rule.trigger.find_iter(clause) {
            // "RSF fighters looted homes" is no riot; "protesters looted shops, clashing with
            // troops" is: the armed group has to be the one acting, named at the clause's start.
            if rule
                .unarmed
                .as_ref()
                .is_some_and(|a| a.is_match(subject(clause)))
            {
                continue;
            }
            if rules::realised(rule, &clause[..m.start()], m.as_str(), &clause[m.end()..]) {
                return Some((rule, m.start(), m.end()));
            }
        }
    }
    None
}

/// The place a sentence consists of, as a post's heading ("⚡️Липці."): its one place, and
/// nothing else but marks, emoji and digits.
fn heading_place<'a>(
    text: &str,
    sentence: (usize, usize),
    located: &'a [Located<'a>],
) -> Option<&'a Located<'a>> {
    let mut inside = located
        .iter()
        .filter(|l| l.start >= sentence.0 && l.end <= sentence.1 && !l.m.metonymy);
    let l = inside.next()?;
    if inside.next().is_some() {
        return None;
    }
    let rest = text[sentence.0..l.start]
        .chars()
        .chain(text[l.end..sentence.1].chars());
    rest.clone().all(|c| !c.is_alphabetic()).then_some(l)
}

/// A place mention with byte offsets into the document.
struct Located<'a> {
    m: &'a PlaceMention,
    start: usize,
    end: usize,
}

fn is_country(p: &Place) -> bool {
    crate::gazetteer::format::is_country_code(&p.feature_code)
}

/// A date for an event triggered at `at`: the nearest stated one in the clause, else in the
/// sentence, that is not a statement's date; then a statement's date; then the document's.
fn event_date(
    dates: &[DateMention],
    clause: (usize, usize),
    sentence: (usize, usize),
    at: usize,
    doc: Option<NaiveDate>,
) -> (Option<NaiveDate>, u8, f64) {
    let within = |r: (usize, usize), reporting: bool| {
        dates
            .iter()
            .filter(|d| d.start >= r.0 && d.end <= r.1 && d.reporting == reporting)
            .min_by_key(|d| d.start.abs_diff(at))
    };
    let found = within(clause, false)
        .or_else(|| within(sentence, false))
        .or_else(|| within(clause, true))
        .or_else(|| within(sentence, true));
    match found {
        Some(d) => (Some(d.date), d.precision, 1.0),
        // A report's undated news is of the last few days.
        None => (doc, 2, 0.5),
    }
}

/// Every event of `text`, in order, one per clause that reports one, each at its site.
pub fn events(gaz: &Gazetteer, text: &str, opts: &EventOptions) -> Result<Vec<Event>> {
    events_counted(gaz, text, opts).map(|(found, _)| found)
}

/// [`events`], and how many sentences `text` has (which a text read in parts numbers on from).
pub fn events_counted(
    gaz: &Gazetteer,
    text: &str,
    opts: &EventOptions,
) -> Result<(Vec<Event>, usize)> {
    let mut out = Vec::new();
    let mut sentences_before = 0;
    for (_, char_start, piece) in crate::window::windows(text) {
        let (found, sentence_count) = events_in(gaz, piece, opts)?;
        for mut e in found {
            e.start += char_start;
            e.end += char_start;
            e.sentence += sentences_before;
            out.push(e);
        }
        sentences_before += sentence_count;
    }
    Ok((out, sentences_before))
}

/// `events` of one window, and how many sentences it has.
fn events_in(gaz: &Gazetteer, text: &str, opts: &EventOptions) -> Result<(Vec<Event>, usize)> {
    let found = places(
        gaz,
        text,
        &PlacesOptions {
            demonyms: false,
            prior: opts.prior.clone(),
        },
    )?;
    let mut byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_of.push(text.len());
    let located: Vec<Located> = found
        .iter()
        .filter(|m| m.end < byte_of.len())
        .map(|m| Located {
            m,
            start: byte_of[m.start],
            end: byte_of[m.end],
        })
        .collect();
    let home = home_country(gaz, &found)?;
    let dates = find_dates(text, opts.doc_date);
    let country_of_word = |w: &str| -> Option<String> {
        let code = crate::demonyms::lookup(w)
            .map(|d| d.country_code.to_string())
            .filter(|c| !c.is_empty())
            .or_else(|| {
                located
                    .iter()
                    .find(|l| is_country(&l.m.place) && l.m.mention == w)
                    .map(|l| l.m.place.country_code.clone())
            })?;
        gaz.admin_name(&code)
            .ok()
            .flatten()
            .map(|n| acled::country_name(n).to_string())
    };
    let mut out: Vec<Event> = Vec::new();
    let mut seen = HashSet::new();
    let sentences = sentences(text);
    // The document's language, for its sentences too short to tell theirs.
    let doc_lang = lang::detect(text);
    for (si, &sentence) in sentences.iter().enumerate() {
        let languages = lang::of_sentence(&text[sentence.0..sentence.1], opts.lang, doc_lang);
        let language = languages[0];
        let cues = lang::pack(language).map(|p| p.cues());
        // The sentence's coder's note, if it has one ("fatalities coded to the Horlivka event"
        // speaks of another event). Most sentences have none, and are not searched place by place.
        let has_note = text.as_bytes()[sentence.0..sentence.1]
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"coded"));
        let coded = located.iter().find(|l| {
            has_note
                && l.start >= sentence.0
                && l.end <= sentence.1
                && coded_before()
                    .find(&text[sentence.0..l.start])
                    .is_some_and(|m| !m.as_str().to_lowercase().contains("fatalit"))
        });
        let sentence_clauses = clauses(text, sentence, language);
        for (ci, &clause) in sentence_clauses.iter().enumerate() {
            let ctext = &text[clause.0..clause.1];
            let stext = &text[sentence.0..sentence.1];
            // The words a rule needs beside its trigger ("protesters" for tear gas) are looked
            // for in the sentence, as far as CONTEXT_BYTES either side of the clause: a sentence
            // with no full stop can run for a whole window, and reading all of it for each of
            // its clauses would be quadratic.
            let near = |at: usize, up: bool| {
                let mut b = at;
                while !text.is_char_boundary(b) {
                    b = if up { b + 1 } else { b - 1 };
                }
                b
            };
            let around = (
                near(clause.0.saturating_sub(CONTEXT_BYTES).max(sentence.0), true),
                near((clause.1 + CONTEXT_BYTES).min(sentence.1), false),
            );
            let context = cues
                .map_or(attribution(), |c| &c.attribution)
                .replace(&text[around.0..around.1], "");
            let inside: Vec<&Located> = located
                .iter()
                .filter(|l| l.start >= clause.0 && l.end <= clause.1 && !l.m.metonymy)
                // "на Авдіївському напрямку", "Харківської ОВА": a front's sector or an
                // authority, not a site.
                .filter(|l| cues.is_none_or(|c| !c.not_site.is_match(&text[l.end..clause.1])))
                // "під прапором Панами", "в сторону Москвы": a flag, a course, a border.
                .filter(|l| {
                    cues.is_none_or(|c| {
                        !c.not_site_before
                            .is_match(rules::last_words(&text[clause.0..l.start], 5))
                    })
                })
                .collect();
            // A clause that names no place right after a protest says more about that protest.
            let follows_protest = out
                .last()
                .is_some_and(|p| [PROTESTS, RIOTS].contains(&p.event_type) && si <= p.sentence + 1);
            if inside.is_empty() && follows_protest {
                if let Some((rule, _, t1)) = classify(ctext, &context, true, languages) {
                    refine_protest(&mut out, rule, ctext, t1, &country_of_word);
                    continue;
                }
            }
            let Some((rule, t0, t1)) = classify(ctext, &context, false, languages) else {
                continue;
            };
            let acting: Vec<&Located> = inside
                .iter()
                .copied()
                .filter(|l| {
                    let after = &text[l.end..clause.1];
                    is_country(&l.m.place)
                        && cues.map_or_else(
                            || actors::country_acts(after),
                            |c| c.country_acts.is_match(after),
                        )
                })
                .collect();
            // "members of the Military Forces of Ukraine", "the Rapid Support Forces": a place
            // inside an actor's name is not where anything happened.
            let spans: Vec<(usize, usize)> =
                actors::actors_in(language, ctext, &country_of_word, &[], None)
                    .into_iter()
                    .map(|a| (clause.0 + a.start, clause.0 + a.end))
                    .collect();
            let inside: Vec<&Located> = inside
                .into_iter()
                .filter(|l| !spans.iter().any(|&(s, e)| l.start < e && s < l.end))
                .collect();
            // "in Belem, … in the Guama neighborhood": a neighbourhood, street or square is part
            // of the town the sentence names, not a namesake elsewhere; with such a town in the
            // sentence, the town is the site.
            let town_in_sentence = located.iter().any(|l| {
                l.start >= sentence.0
                    && l.end <= sentence.1
                    && l.m.place.feature_class == "P"
                    && !part_of_town(text, l)
            });
            let inside: Vec<&Located> = inside
                .into_iter()
                .filter(|l| !(town_in_sentence && part_of_town(text, l)))
                .collect();
            let trigger_at = (clause.0 + t0, clause.0 + t1);
            // "удару КАБом": a word of the trigger read as a place is none.
            let inside: Vec<&Located> = inside
                .into_iter()
                .filter(|l| {
                    cues.is_none()
                        || !(l.start <= trigger_at.0 && trigger_at.0 < l.end
                            || l.start < trigger_at.1 && trigger_at.1 <= l.end)
                })
                .collect();
            // "On 20 May, in Daw Nyein village (Pyapon township), a bomb exploded at the office",
            // "forces detained a man after raiding his house in rural Damascus": the clause after
            // "after" or "while" tells the event's circumstances, and lends it its places (not
            // the other way round: "troops in eastern Syria after a spate of drone attacks").
            let neighbours: Vec<(usize, usize)> = sentence_clauses
                .get(ci + 1)
                .filter(|&&(next, _)| {
                    cues.map_or(circumstance(), |c| &c.circumstance)
                        .is_match(&text[clause.1..next])
                })
                .copied()
                .into_iter()
                .collect();
            let in_sentence: Vec<&Located> = if inside.is_empty() && !neighbours.is_empty() {
                let spans = actors::actors_in(language, stext, &country_of_word, &[], None);
                located
                    .iter()
                    .filter(|l| {
                        neighbours.iter().any(|&(s, e)| l.start >= s && l.end <= e) && !l.m.metonymy
                    })
                    .filter(|l| {
                        !spans
                            .iter()
                            .any(|a| l.start < sentence.0 + a.end && sentence.0 + a.start < l.end)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let site = coded.map(|l| (l, Cue::Locative)).or_else(|| {
                choose_site(text, clause, &inside, &acting, trigger_at, language)
                    .or_else(|| {
                        choose_site(text, sentence, &in_sentence, &acting, trigger_at, language)
                            .filter(|(_, cue)| *cue >= Cue::Object)
                    })
                    // "⚡️Липці. Триває стрілецький бій на околицях селища": a post headed by a
                    // place alone is about that place.
                    .or_else(|| {
                        let heading = sentences.get(si.checked_sub(1)?)?;
                        heading_place(text, *heading, &located)
                            .filter(|_| cues.is_some())
                            .map(|l| (l, Cue::Locative))
                    })
            });
            let from_list = site.is_some_and(|(l, _)| inside.iter().any(|i| i.start == l.start))
                && coded.is_none();
            let site = match site {
                Some((l, cue)) if !rule.locative_only || cue >= Cue::Near => Some((l, cue)),
                Some(_) => None,
                None => None,
            };
            let as_site = |l: &Located, cue: Cue| {
                (
                    l.m.place.clone(),
                    l.m.mention.clone(),
                    (l.m.start, l.m.end),
                    l.m.score,
                    cue,
                )
            };
            let sites = match site {
                // "shelled Kupiansk, Kindrashivka and Petropavlivka": one event per place of the
                // list the site heads, as ACLED codes one event per location.
                Some((l, cue)) if from_list => listed_with(text, l, &inside, &acting, language)
                    .into_iter()
                    .map(|m| as_site(m, cue))
                    .collect::<Vec<_>>(),
                Some((l, cue)) => vec![as_site(l, cue)],
                None => {
                    let violent = [BATTLES, EXPLOSIONS, VIOLENCE].contains(&rule.event_type);
                    let wide = cues.map_or(country_wide(), |c| &c.country_wide);
                    let Some(m) = wide.find(ctext).filter(|_| violent) else {
                        continue;
                    };
                    let Some(place) = home.clone() else { continue };
                    let s = text[..clause.0 + m.start()].chars().count();
                    let e = s + m.as_str().chars().count();
                    vec![(place, m.as_str().to_string(), (s, e), 0.5, Cue::Alone)]
                }
            };
            for (nth, (place, mention, (start, end), place_score, cue)) in
                sites.into_iter().enumerate()
            {
                let acting_names: Vec<(usize, usize, String)> = acting
                    .iter()
                    .filter_map(|l| {
                        let name =
                            l.m.place
                                .country
                                .clone()
                                .or_else(|| Some(l.m.place.name.clone()))?;
                        Some((l.start - clause.0, l.end - clause.0, name))
                    })
                    .collect();
                let site_country = place
                    .country
                    .clone()
                    .or_else(|| {
                        gaz.admin_name(&place.country_code)
                            .ok()
                            .flatten()
                            .map(str::to_string)
                    })
                    .map(|c| acled::country_name(&c).to_string());
                let mut named = actors::actors_in(
                    language,
                    ctext,
                    &country_of_word,
                    &acting_names,
                    site_country.as_deref(),
                );
                // "Russian forces carried out air strikes as well as fired at Novodanylivka": a
                // clause with no actor of its own has the sentence's subject before it.
                let (mut atext, mut at1) = (ctext, t1);
                if named.is_empty() && sentence.0 < clause.0 {
                    let wide = &text[sentence.0..clause.1];
                    let shift = clause.0 - sentence.0;
                    let shifted: Vec<(usize, usize, String)> = acting_names
                        .iter()
                        .map(|(s, e, n)| (s + shift, e + shift, n.clone()))
                        .collect();
                    named = actors::actors_in(
                        language,
                        wide,
                        &country_of_word,
                        &shifted,
                        site_country.as_deref(),
                    );
                    (atext, at1) = (wide, t1 + shift);
                }
                let (mut actor1, mut actor2) =
                    roles(rule, atext, at1, &named, site_country.as_deref());
                // "Hamas fired rockets at Ashkelon. Three of them fell near Sderot.": a sentence
                // that names no side goes on with the sides of the fighting just told.
                let armed = [BATTLES, EXPLOSIONS, VIOLENCE];
                if named.is_empty() && armed.contains(&rule.event_type) {
                    if let Some(prev) = out.iter().rev().find(|p| {
                        si <= p.sentence + 1
                            && armed.contains(&p.event_type)
                            && p.actor1
                                .as_deref()
                                .is_some_and(|a| !a.starts_with("Unidentified"))
                    }) {
                        actor1 = prev.actor1.clone();
                        if rule.event_type != VIOLENCE {
                            actor2 = prev.actor2.clone().or(actor2);
                        }
                    }
                }
                let (assoc_actor_1, assoc_actor_2) =
                    associates(&named, at1, actor1.as_deref(), actor2.as_deref());
                let sub_event_type = if rule.sub_event_type == TERRITORY {
                    territory(
                        &ctext[t0..t1],
                        actor1.as_deref(),
                        site_country.as_deref(),
                        rule.lang,
                    )
                } else {
                    rule.sub_event_type
                };
                let (event_date, time_precision, date_strength) =
                    event_date(&dates, clause, sentence, clause.0 + t0, opts.doc_date);
                let geo_precision = if cue == Cue::Qualifier && place.feature_class != "P" {
                    3
                } else if cue == Cue::Near || cue == Cue::Qualifier || place.feature_class == "H" {
                    2
                } else if matches!(place.feature_class.as_str(), "A" | "L") {
                    3
                } else {
                    1
                };
                // A site known only as a region, or as a whole country, says less of where the event
                // was than a town does: of a document's events, those come last.
                let precision = match geo_precision {
                    1 => 1.0,
                    2 => 0.95,
                    _ if is_country(&place) => 0.6,
                    _ => 0.8,
                };
                // The places after the first of a list share its cue rather than having their own:
                // a shade less sure, so the list's head stays the clause's primary event.
                let listed = if nth == 0 { 1.0 } else { LISTED_CONFIDENCE };
                let confidence = (listed
                    * precision
                    * (0.45 * place_score + 0.35 * cue.strength() + 0.2 * date_strength))
                    .clamp(0.0, 1.0);
                let key = (
                    rule.event_type,
                    sub_event_type,
                    place.geonameid,
                    event_date,
                    actor1.clone(),
                );
                if !seen.insert(key) {
                    continue;
                }
                out.push(Event {
                    event_date,
                    time_precision,
                    event_type: rule.event_type,
                    sub_event_type,
                    actor1,
                    actor2,
                    assoc_actor_1,
                    assoc_actor_2,
                    place,
                    geo_precision,
                    // One line, as ACLED's notes are, however the text was wrapped.
                    notes: stext.split_whitespace().collect::<Vec<_>>().join(" "),
                    sentence: si,
                    mention,
                    start,
                    end,
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    fatalities: 0,
                });
            }
        }
    }
    count_fatalities(text, &sentences, (opts.lang, doc_lang), &mut out);
    Ok((out, sentences.len()))
}

/// Deaths: the events of a sentence take what it says, and what the sentences after it say
/// until the next sentence with an event ("Russian forces shelled Krasnohorivka. 2 civilians were
/// killed."). Of several statements, the largest; ACLED's own figure ("Fatalities coded as 3")
/// before any; a figure is shared evenly among one sentence's events.
fn count_fatalities(
    text: &str,
    sentences: &[(usize, usize)],
    (told, doc_lang): (Option<Lang>, Option<Lang>),
    out: &mut [Event],
) {
    use fatalities::Stated;
    let mut first = 0;
    while first < out.len() {
        let si = out[first].sentence;
        let end = out[first..]
            .iter()
            .position(|e| e.sentence != si)
            .map_or(out.len(), |p| first + p);
        let next_si = out.get(end).map_or(sentences.len(), |e| e.sentence);
        let (mut coded, mut each, mut killed, mut across) = (None, None, 0, 1);
        for &(s, e) in &sentences[si..next_si.max(si + 1).min(sentences.len())] {
            let language = lang::of_sentence(&text[s..e], told, doc_lang)[0];
            match fatalities::stated_in(language, &text[s..e]) {
                Stated::Coded(v) => {
                    coded.get_or_insert(v);
                }
                Stated::Each(v) => {
                    each.get_or_insert(v);
                }
                Stated::Killed(v) => killed = killed.max(v),
                Stated::Across(n) => across = n,
                Stated::Nothing => {}
            }
        }
        let shares = match (coded, each) {
            (Some(v), _) => fatalities::split(v, end - first),
            (None, Some(v)) => vec![v; end - first],
            (None, None) => fatalities::split(killed / across, end - first),
        };
        for (e, n) in out[first..end].iter_mut().zip(shares) {
            e.fatalities = n;
        }
        first = end;
    }
}

/// How far a protest went: peaceful, met with force, met with lethal force, a riot.
fn severity(event_type: &str, sub_event_type: &str) -> u8 {
    match (event_type, sub_event_type) {
        (RIOTS, _) => 3,
        (_, "Excessive force against protesters") => 2,
        (_, "Protest with intervention") => 1,
        _ => 0,
    }
}

/// "Demonstrators protested in Eldoret. Police fired tear gas to disperse them.": a protest or
/// riot clause that names no place tells more about the protest just before it, which becomes
/// the more specific kind (with intervention, a riot) and gains the police as actor2.
fn refine_protest(
    out: &mut [Event],
    rule: &'static Rule,
    clause: &str,
    trigger_end: usize,
    country_of_word: &dyn Fn(&str) -> Option<String>,
) {
    let Some(prev) = out.last_mut() else {
        return;
    };
    if severity(rule.event_type, rule.sub_event_type)
        <= severity(prev.event_type, prev.sub_event_type)
    {
        return;
    }
    let country = prev.place.country.clone();
    let named = actors::actors_in(rule.lang, clause, country_of_word, &[], country.as_deref());
    let (actor1, actor2) = roles(rule, clause, trigger_end, &named, country.as_deref());
    prev.event_type = rule.event_type;
    prev.sub_event_type = rule.sub_event_type;
    if rule.event_type == RIOTS {
        prev.actor1 = actor1;
    }
    if actor2.is_some() {
        prev.actor2 = actor2;
    }
}

/// The place of the clause the event happened at, and how the clause ties it to the event.
fn choose_site<'a>(
    text: &str,
    clause: (usize, usize),
    inside: &[&'a Located<'a>],
    acting: &[&'a Located<'a>],
    trigger: (usize, usize),
    language: Lang,
) -> Option<(&'a Located<'a>, Cue)> {
    let cues = lang::pack(language).map(|p| p.cues());
    // "Krasna Hora, Donetsk", "Beryslav (Beryslav), Kherson": a place after a name and a comma
    // or a bracket names that town's district or region.
    let (qualifiers, candidates): (Vec<&Located>, Vec<&Located>) = inside
        .iter()
        .copied()
        .filter(|l| !acting.iter().any(|a| a.start == l.start))
        .partition(|l| qualifier_before().is_match(&text[clause.0..l.start]));
    // "protested in Syvaske, Luhansk" with no Syvaske of Luhansk oblast known: the region takes
    // the town's place, and the words that tied the town to the event.
    let orphans: Vec<(&Located, usize)> = qualifiers
        .iter()
        .filter_map(|q| {
            let m = qualifier_before().find(&text[clause.0..q.start])?;
            let town = clause.0 + m.start();
            let resolved = inside.iter().any(|c| c.end > town && c.end <= q.start);
            (!resolved).then_some((*q, town))
        })
        .collect();
    let mut best: Option<(&Located, Cue, f64)> = None;
    let tied = candidates
        .iter()
        .map(|l| (*l, l.start))
        .chain(orphans.iter().copied());
    let cue_before = |head: usize| {
        let before = &text[clause.0..head];
        if let Some(c) = cues {
            return c.tie(before).map(|t| match t {
                lang::Tie::Near => Cue::Near,
                lang::Tie::Locative => Cue::Locative,
                lang::Tie::Object => Cue::Object,
            });
        }
        if near_before().is_match(before) {
            Some(Cue::Near)
        } else if locative_before().is_match(before) {
            Some(Cue::Locative)
        } else if object_before().is_match(before) {
            Some(Cue::Object)
        } else {
            None
        }
    };
    for (l, head) in tied {
        let after = &text[l.end..clause.1];
        let subject = cues.map_or(subject_after(), |c| &c.subject_after);
        let mut cue = cue_before(head).or_else(|| subject.is_match(after).then_some(Cue::Object));
        // "in Tugujaya subdistrict, Cihideung district, Tasikmalaya city": each division of a
        // chain the gazetteer knows is tied by the words before the chain's first name.
        let mut h = head;
        for _ in 0..CHAIN_HOPS {
            if cue.is_some() {
                break;
            }
            let Some(m) = chain_before().find(&text[clause.0..h]) else {
                break;
            };
            h = clause.0 + m.start();
            cue = cue_before(h);
        }
        if cue.is_none() && candidates.len() == 1 && head == l.start {
            cue = Some(Cue::Alone);
        }
        let Some(cue) = cue else { continue };
        let distance = if l.end <= trigger.0 {
            trigger.0 - l.end
        } else {
            l.start.saturating_sub(trigger.1)
        };
        // A town before a region; a bloc or a continent ("waving EU flags") is a site only when
        // the clause names nothing else.
        let place = &l.m.place;
        let specific = if place.country_code.is_empty()
            && matches!(place.feature_code.as_str(), "RGN" | "CONT")
        {
            -0.5
        } else if matches!(
            place.feature_code.as_str(),
            "ADM2" | "ADM3" | "ADM4" | "ADM5"
        ) {
            // The smallest division of a chain ("Hpa-an district, Kayin State").
            0.1
        } else if matches!(place.feature_class.as_str(), "A" | "L") {
            0.0
        } else {
            0.2
        };
        // Ukrainian and Russian reports put the region beside the town ("на Харківщині
        // поблизу Балаклії"): a town tied by "near" comes before a region tied by "in".
        let specific = if cues.is_some() && matches!(place.feature_class.as_str(), "A" | "L") {
            f64::min(specific, 0.0) - 0.15
        } else {
            specific
        };
        let score = cue.strength() + specific - 0.001 * distance as f64;
        if best.is_none_or(|(_, _, s)| score > s) {
            best = Some((l, cue, score));
        }
    }
    best.map(|(l, cue, _)| (l, cue))
        .or_else(|| qualifiers.first().map(|l| (*l, Cue::Qualifier)))
}

/// actor1 and actor2 by the event's kind: the one who acts first, the civilians, protesters and
/// police where ACLED puts them.
fn roles(
    rule: &Rule,
    clause: &str,
    trigger_end: usize,
    named: &[actors::Actor],
    country: Option<&str>,
) -> (Option<String>, Option<String>) {
    let mut order: Vec<&actors::Actor> = named.iter().collect();
    // "...was shelled by Russian forces": the agent comes after "by".
    if let Some(pos) = order.iter().position(|a| {
        let before = clause[..a.start].trim_end();
        a.start >= trigger_end && (before.ends_with(" by") || before.ends_with(" by the"))
    }) {
        let agent = order.remove(pos);
        order.insert(0, agent);
    }
    let first_of = |kinds: &[Kind]| {
        order
            .iter()
            .find(|a| kinds.contains(&a.kind))
            .map(|a| a.name.clone())
    };
    let site_country = country;
    let country = country.unwrap_or("International");
    match rule.event_type {
        PROTESTS => (
            Some(
                first_of(&[Kind::Protesters]).unwrap_or_else(|| format!("Protesters ({country})")),
            ),
            first_of(&[Kind::Police, Kind::State]),
        ),
        RIOTS => (
            Some(format!("Rioters ({country})")),
            first_of(&[Kind::Police, Kind::State, Kind::Civilians]),
        ),
        VIOLENCE => (
            first_of(&[
                Kind::State,
                Kind::Police,
                Kind::Group,
                Kind::Unidentified,
                Kind::Rioters,
            ])
            .or_else(|| Some(format!("Unidentified Armed Group ({country})"))),
            Some(first_of(&[Kind::Civilians]).unwrap_or_else(|| format!("Civilians ({country})"))),
        ),
        _ => {
            // Civilians are what a strike or a battle hits, never who fights it: "a Russian drone
            // strike hit a building, killing two civilians". (They are actor1 of what they do
            // themselves: "civilians were evacuated".)
            let hit = [BATTLES, EXPLOSIONS].contains(&rule.event_type);
            if let Some(pos) = order.iter().position(|a| hit && a.kind == Kind::Civilians) {
                let victims = order.remove(pos);
                order.push(victims);
            }
            let mut names: Vec<String> = Vec::new();
            for a in order {
                if !names.contains(&a.name) {
                    names.push(a.name.clone());
                }
            }
            let civilians = |n: &String| n.starts_with("Civilians");
            // A strike or a battle whose side the clause does not name: ACLED's unidentified
            // armed group, of the country where it happened.
            if hit && names.iter().all(civilians) {
                return (
                    Some(format!("Unidentified Armed Group ({country})")),
                    names.pop(),
                );
            }
            // An interception is the act of the forces defending the country it happened over
            // ("rockets fired by Hamas were intercepted over Sderot"), named or not.
            // (Not over the open sea or a place of no country: no one's forces defend it.)
            if rule.sub_event_type == "Disrupted weapons use" && site_country.is_some() {
                let defender = acled::forces("Military", country);
                if intercepted(&clause[..trigger_end], rule.lang)
                    && names.first().is_none_or(|n| *n != defender)
                {
                    names.retain(|n| *n != defender);
                    return (Some(defender), names.into_iter().next());
                }
            }
            let mut it = names.into_iter();
            (it.next(), it.next())
        }
    }
}

/// Whether a place is named as a part of a town: "the Guama neighborhood", "Minto Street",
/// "colonia Atasta", "Al Karama square".
fn part_of_town(text: &str, l: &Located) -> bool {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let after = AFTER.get_or_init(|| {
        Regex::new(r"(?i)^\s+(?:neighbou?rhoods?|streets?|avenues?|squares?|markets?|junctions?|roundabouts?|malls?|universit(?:y|ies)|hospitals?|mosques?|church(?:es)?|schools?|sectors?|highways?|roads?|quarters?|districts?\s+of\s+the\s+city)(?-u:\b)")
            .expect("pattern compiles")
    });
    let before = BEFORE.get_or_init(|| {
        Regex::new(r"(?i)(?:colonia|barrio|bairro|favela|neighbou?rhood(?:\s+of)?|street|avenida|avenue|rua)\s+(?:of\s+)?(?:the\s+)?$")
            .expect("pattern compiles")
    });
    after.is_match(&text[l.end..]) || before.is_match(crate::window::tail(&text[..l.start], 40))
}

/// Whether the text up to a trigger ends in an interception: "intercepted", "shot down".
fn intercepted(up_to_trigger: &str, language: Lang) -> bool {
    if let Some(p) = lang::pack(language) {
        // Cyrillic letters are two bytes each: as many letters as English's 24 bytes hold.
        let tail = crate::window::tail(up_to_trigger, 48).to_lowercase();
        return p.cues().intercepts.iter().any(|w| tail.contains(w));
    }
    let tail = crate::window::tail(up_to_trigger, 24).to_lowercase();
    [
        "intercept",
        "shot down",
        "shooting down",
        "shoot down",
        "downed",
    ]
    .iter()
    .any(|w| tail.contains(w))
}

/// The clause's other actors, each on the side of the actor it is named with: before the
/// trigger, with actor1 ("FAMa and Wagner troops attacked"); after it, with actor2.
fn associates(
    named: &[actors::Actor],
    trigger_end: usize,
    actor1: Option<&str>,
    actor2: Option<&str>,
) -> (Option<String>, Option<String>) {
    let (mut one, mut two): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for a in named {
        let name = a.name.as_str();
        let known =
            [actor1, actor2].contains(&Some(name)) || one.contains(&name) || two.contains(&name);
        if known {
            continue;
        }
        if a.start < trigger_end && actor1.is_some() {
            one.push(name);
        } else if actor2.is_some() {
            two.push(name);
        }
    }
    let join = |v: Vec<&str>| (!v.is_empty()).then(|| v.join("; "));
    (join(one), join(two))
}

/// ACLED splits territory changing hands by who takes it: the country's own forces regain it,
/// anyone else (rebels, a foreign army) overtakes it.
fn territory(
    trigger: &str,
    actor1: Option<&str>,
    country: Option<&str>,
    language: Lang,
) -> &'static str {
    let own = match (actor1, country) {
        (Some(a), Some(c)) => a == acled::forces("Military", c) || a == acled::forces("Police", c),
        (None, _) => {
            let t = trigger.to_lowercase();
            if let Some(p) = lang::pack(language) {
                return if p.cues().regains.iter().any(|w| t.starts_with(w)) {
                    "Government regains territory"
                } else {
                    "Non-state actor overtakes territory"
                };
            }
            [
                "recaptur",
                "retook",
                "retaken",
                "regained",
                "liberat",
                "reclaimed",
                "took back",
            ]
            .iter()
            .any(|p| t.starts_with(p))
        }
        _ => false,
    };
    if own {
        "Government regains territory"
    } else {
        "Non-state actor overtakes territory"
    }
}

/// The country a document is about: the one its (literal) places lie in most often.
fn home_country(gaz: &Gazetteer, found: &[PlaceMention]) -> Result<Option<Place>> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in found
        .iter()
        .filter(|m| !m.metonymy && !m.place.country_code.is_empty())
    {
        *counts.entry(m.place.country_code.as_str()).or_default() += 1;
    }
    let Some((code, _)) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
    else {
        return Ok(None);
    };
    if let Some(m) = found
        .iter()
        .find(|m| m.place.country_code == code && is_country(&m.place))
    {
        return Ok(Some(m.place.clone()));
    }
    let Some(name) = gaz.admin_name(code)?.map(str::to_string) else {
        return Ok(None);
    };
    let opts = LookupOptions {
        countries: vec![code.to_string()],
        feature_classes: vec!['A'],
        limit: 5,
        near: None,
    };
    Ok(lookup(gaz, &name, &opts)?
        .into_iter()
        .find(|c| is_country(&c.place))
        .map(|c| c.place))
}

#[cfg(test)]
mod tests;
