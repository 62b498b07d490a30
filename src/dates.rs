//! Dates in report text: "on February 13", "14 February 2023", "yesterday", "over the past day",
//! "in the last three days", weekdays, months. Each becomes a day with ACLED's `time_precision`:
//! 1 the day itself, 2 a day within a week or a range of days (the range's middle day), 3 only the
//! month (its 15th). Relative forms need the document's date; without it they are skipped.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

/// A date the text states, with byte offsets into the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    /// ACLED's `time_precision`: 1 day, 2 week or range of days, 3 month.
    pub precision: u8,
    /// The date a statement was made ("said on February 14"), not when something happened.
    pub reporting: bool,
}

/// English's words for dates (`lang/en/dates_*.txt`): month and weekday names with their
/// numbers, the count words of "the past three days", the words of relative days and of
/// reporting.
struct English {
    months: Vec<(String, u32)>,
    weekdays: Vec<(String, u32)>,
    counts: Vec<(String, u32)>,
}

fn english() -> &'static English {
    use crate::events::lang::numbered_forms;
    static E: OnceLock<English> = OnceLock::new();
    E.get_or_init(|| English {
        months: numbered_forms(include_str!("../lang/en/dates_months.txt")),
        weekdays: numbered_forms(include_str!("../lang/en/dates_weekdays.txt")),
        counts: numbered_forms(include_str!("../lang/en/dates_counts.txt")),
    })
}

static ENGLISH_WORDS: &str = include_str!("../lang/en/dates_words.txt");

fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let en = english();
        let lists = crate::events::lang::named_lists(ENGLISH_WORDS);
        let l = |name: &str| {
            *lists
                .get(name)
                .unwrap_or_else(|| panic!("lang/en/dates_words.txt lists {name}"))
        };
        // Longest forms first, so that "September" is read whole, not as "Sep".
        let (months, weekdays) = (forms_pattern(&en.months), forms_pattern(&en.weekdays));
        let (months, weekdays) = (months.as_str(), weekdays.as_str());
        let counts = forms_pattern(&en.counts) + r"|\d{1,2}";
        let (b0, b1, b2, in_month) = (l("BACK_0"), l("BACK_1"), l("BACK_2"), l("IN_MONTH"));
        let p = format!(
            r"(?xi)
            (?-u:\b)(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))(?-u:\b)
          | (?-u:\b)(?P<dm>(?P<dmd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmm>{months})\.?(?:,?\s+(?P<dmy>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<bt>(?:between|from)\s+(?P<bt1>\d{{1,2}})\s+(?:and|to|-|–)\s+(?P<bt2>\d{{1,2}})\s+(?P<btm>{months})\.?(?:,?\s+(?P<bty>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<mr>(?P<mr1>{months})\.?\s*[-–]\s*(?P<mr2>{months})\.?\s+(?P<mry>\d{{4}}))(?-u:\b)
          | (?-u:\b)(?P<md>(?P<mdm>{months})\.?\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<mdy>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<my>(?:in\s+|early\s+|late\s+|mid-?)?(?P<mym>{months})\.?\s+(?P<myy>\d{{4}}))(?-u:\b)
          | (?-u:\b)(?P<wr>(?:from|between)\s+(?P<wr1>{weekdays})\s+(?:to|and|until)\s+(?P<wr2>{weekdays}))(?-u:\b)
          | (?-u:\b)(?P<wd>(?:last\s+|this\s+past\s+)?(?P<wdn>{weekdays}))(?:'s)?(?-u:\b)
          | (?-u:\b)(?P<rel>(?P<b2>{b2})|(?P<b0>{b0})|(?P<b1>{b1}))(?-u:\b)
          | (?-u:\b)(?P<span>(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:(?P<sn>{counts})\s+)?(?P<su>day|days|24\s+hours|48\s+hours|72\s+hours|week|weekend))(?-u:\b)
          | (?-u:\b)(?P<wk>(?P<wkw>this|last)\s+week(?:end)?)(?-u:\b)
          | (?-u:\b)(?P<mo>(?P<mow>earlier\s+this|this|last)\s+month)(?-u:\b)
          | (?-u:\b)(?P<mn>in\s+(?P<mnm>{in_month}))(?-u:\b)
            "
        );
        Regex::new(&p).expect("date patterns compile")
    })
}

fn reporting_cue() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)(?:{})(?-u:\b)[^.;]{{0,30}}$",
            crate::events::lang::alternation(include_str!("../lang/en/dates_reporting.txt"))
        ))
        .expect("cue compiles")
    })
}

/// A month's number; news text capitalises month names, which keeps "may" the verb out.
fn month_number(m: &str) -> Option<u32> {
    if !m.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let m = m.to_ascii_lowercase();
    english()
        .months
        .iter()
        .find(|(f, _)| m.starts_with(f.as_str()))
        .map(|(_, n)| *n)
}

fn count(word: Option<&str>) -> Option<i64> {
    let w = word?.to_ascii_lowercase();
    match english().counts.iter().find(|(f, _)| *f == w) {
        Some((_, n)) => Some(*n as i64),
        None => w.parse().ok(),
    }
}

/// A day and month without a year: the latest such day not more than a month after the document.
fn infer_year(month: u32, day: u32, doc: Option<NaiveDate>) -> Option<NaiveDate> {
    let doc = doc?;
    let this = NaiveDate::from_ymd_opt(doc.year(), month, day)?;
    if this > doc + Duration::days(31) {
        NaiveDate::from_ymd_opt(doc.year() - 1, month, day)
    } else {
        Some(this)
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    let n = form_value(&english().weekdays, name)?;
    Weekday::try_from(n.checked_sub(1)? as u8).ok()
}

/// The middle day of the `n` days before `doc`.
fn span_middle(doc: NaiveDate, n: i64) -> NaiveDate {
    doc - Duration::days((n + 1) / 2)
}

/// Every date in `text`, in order. `doc` is the document's date, which relative forms and dates
/// without a year are read against.
pub fn find_dates(text: &str, doc: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found: Vec<Found> = patterns()
        .captures_iter(text)
        .map(|c| {
            let whole = c.get(0).expect("match");
            Found {
                start: whole.start(),
                end: whole.end(),
                read: read(&c, doc),
                relative: c.name("rel").is_some(),
            }
        })
        .collect();
    // Ukrainian and Russian dates, where the text has Cyrillic letters at all.
    let cyrillic = crate::events::lang::has_cyrillic(text);
    if cyrillic {
        for pack in cyrillic_packs() {
            found.extend(pack.find(text, doc));
        }
        found.sort_by_key(|f| f.start);
    }
    let mut out: Vec<DateMention> = Vec::new();
    let mut last_end = 0;
    for f in found {
        // Two languages' patterns may read one stretch ("14.02.2023"): the first reading holds.
        if f.start < last_end {
            continue;
        }
        last_end = f.end;
        // "On 4 December, overnight, …", "Around 30 November (between 16 - 30 November)": a
        // word or a bracket right after a stated day elaborates that day; it is not another.
        if let Some(last) = out.last().filter(|d| d.precision == 1) {
            let gap = &text[last.end..f.start];
            let elaborates =
                gap.trim_matches(|c: char| c == ',' || c == ' ').is_empty() && f.relative;
            let bracketed = gap.trim_start_matches(' ').starts_with('(') && !gap.contains(')');
            if elaborates || bracketed {
                continue;
            }
        }
        if let Some((date, precision)) = f.read {
            let before = &text[..f.start];
            // A reporting word and at most 30 letters after it: the last 200 bytes hold them.
            let near = crate::window::tail(before, 200);
            out.push(DateMention {
                start: f.start,
                end: f.end,
                date,
                precision,
                reporting: reporting_cue().is_match(before)
                    || (cyrillic && cyrillic_packs().iter().any(|p| p.reporting.is_match(near))),
            });
        }
    }
    out
}

/// A date pattern's match: where it is, what day it stands for, and whether it is a relative
/// word ("overnight", "вночі") that a stated day just before it would elaborate.
struct Found {
    start: usize,
    end: usize,
    read: Option<(NaiveDate, u8)>,
    relative: bool,
}

/// How many days back from `doc` the last `day` is (0 on that day itself); "last Monday" in a
/// Monday report (`last`) is a week back.
fn days_back_to(doc: NaiveDate, day: Weekday, last: bool) -> i64 {
    let back = (doc.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    if back == 0 && last {
        7
    } else {
        back as i64
    }
}

/// A language pack's dates: its month and weekday names in every case, its words for relative
/// days (`lang/<code>/dates_*.txt`), compiled into one pattern.
struct DatePack {
    pattern: Regex,
    reporting: Regex,
    months: Vec<(String, u32)>,
    weekdays: Vec<(String, u32)>,
    numbers: Vec<(String, u32)>,
}

fn cyrillic_packs() -> &'static [DatePack; 2] {
    static P: OnceLock<[DatePack; 2]> = OnceLock::new();
    P.get_or_init(|| {
        use crate::events::lang::{RU, UK};
        [
            DatePack::new(
                &UK,
                include_str!("../lang/uk/dates_months.txt"),
                include_str!("../lang/uk/dates_weekdays.txt"),
                include_str!("../lang/uk/dates_words.txt"),
            ),
            DatePack::new(
                &RU,
                include_str!("../lang/ru/dates_months.txt"),
                include_str!("../lang/ru/dates_weekdays.txt"),
                include_str!("../lang/ru/dates_words.txt"),
            ),
        ]
    })
}

/// The forms as one alternation, an apostrophe standing for any of Ukrainian's.
fn forms_pattern(forms: &[(String, u32)]) -> String {
    forms
        .iter()
        .map(|(f, _)| regex::escape(f).replace('\'', crate::events::lang::APOSTROPHES))
        .collect::<Vec<_>>()
        .join("|")
}

/// The number a form stands for.
fn form_value(forms: &[(String, u32)], word: &str) -> Option<u32> {
    let w = word.to_lowercase().replace(['’', 'ʼ'], "'");
    forms.iter().find(|(f, _)| *f == w).map(|(_, n)| *n)
}

impl DatePack {
    fn new(
        pack: &'static crate::events::lang::Pack,
        months: &'static str,
        weekdays: &'static str,
        words: &'static str,
    ) -> DatePack {
        let lists = crate::events::lang::named_lists(words);
        let l = |name: &str| {
            *lists
                .get(name)
                .unwrap_or_else(|| panic!("dates_words.txt lists {name} (a unit test checks)"))
        };
        let (months, weekdays) = (
            crate::events::lang::numbered_forms(months),
            crate::events::lang::numbered_forms(weekdays),
        );
        let numbers = crate::events::fatalities::number_words(pack);
        let (m, w) = (forms_pattern(&months), forms_pattern(&weekdays));
        let n = crate::events::fatalities::pack_number(&numbers);
        let (night_to, night_from, in_, last) =
            (l("NIGHT_TO"), l("NIGHT_FROM_TO"), l("IN"), l("LAST"));
        let (range, to, year_word) = (l("RANGE"), l("TO"), l("YEAR_WORD"));
        let year = format!(r"(?:\s+(?P<Y>\d{{4}})(?:\s*(?:{year_word}))?)?");
        let with_year = |g: &str| year.replace("P<Y>", &format!("P<{g}>"));
        let pattern = format!(
            r"(?i)\b(?:(?P<nft>(?:{night_from})\s+(?P<nft1>\d{{1,2}})\s+(?:на|по)\s+\d{{1,2}}\s+(?P<nftm>{m}){nfty})|(?P<nt>(?:{night_to})\s+(?P<ntd>\d{{1,2}})\s+(?P<ntm>{m}){nty})|(?P<ntw>(?:{night_to})\s+(?P<ntwd>{w}))|(?P<num>(?P<numd>\d{{1,2}})\.(?P<numm>\d{{1,2}})\.(?P<numy>\d{{4}}|\d{{2}}))|(?P<rg>(?:{range})\s+(?P<rg1>\d{{1,2}})\s+(?:{to})\s+(?P<rg2>\d{{1,2}})\s+(?P<rgm>{m}){rgy})|(?P<rgd>(?P<rgd1>\d{{1,2}})\s*[-–]\s*(?P<rgd2>\d{{1,2}})\s+(?P<rgdm>{m}){rgdy})|(?P<dm>(?P<dmd>\d{{1,2}})(?:-?(?:го|е|ого))?\s+(?P<dmm>{m}){dmy})|(?P<my>(?:(?:{in_})\s+)?(?P<mym>{m})\s+(?P<myy>\d{{4}}))|(?P<mn>(?:{in_})\s+(?P<mnm>{m}))|(?P<wd>(?:{in_})\s+(?:(?P<wdl>{last})\s+)?(?P<wdn>{w}))|(?P<wd2>(?P<wdl2>{last})\s+(?P<wdn2>{w}))|(?P<b1>{b1})|(?P<b0>{b0})|(?P<b2>{b2})|(?P<pd>{pd})|(?P<ld>(?:{ld})\s+(?P<ldn>{n})\s+(?:{days}))|(?P<lw>{lw})|(?P<wk>{wk})|(?P<tw>{tw})|(?P<lm>{lm})|(?P<tm>{tm}))(?:\b|$)",
            nfty = with_year("nfty"),
            nty = with_year("nty"),
            rgy = with_year("rgy"),
            rgdy = with_year("rgdy"),
            dmy = with_year("dmy"),
            b0 = l("BACK_0"),
            b1 = l("BACK_1"),
            b2 = l("BACK_2"),
            pd = l("PAST_DAY"),
            ld = l("LAST_DAYS"),
            days = l("DAYS"),
            lw = l("LAST_WEEK"),
            wk = l("WEEK"),
            tw = l("THIS_WEEK"),
            lm = l("LAST_MONTH"),
            tm = l("THIS_MONTH"),
        );
        DatePack {
            pattern: crate::events::lang::build(&pattern),
            reporting: crate::events::lang::build(&format!(
                r"(?i)\b(?:{})\b[^.;]{{0,30}}$",
                crate::events::lang::alternation(pack.reporting)
            )),
            months,
            weekdays,
            numbers,
        }
    }

    /// The dates of `text` in this pack's language.
    fn find(&self, text: &str, doc: Option<NaiveDate>) -> Vec<Found> {
        let mut out = Vec::new();
        for c in self.pattern.captures_iter(text) {
            let whole = c.get(0).expect("match");
            // "14.02.2023" is a date in any language: taken here only beside Cyrillic words.
            if c.name("num").is_some() {
                let near = crate::window::tail(&text[..whole.start()], 80).to_string()
                    + crate::window::head(&text[whole.end()..], 80);
                if !crate::events::lang::has_cyrillic(&near)
                    || text[whole.end()..].starts_with(|c: char| c == '.' || c.is_ascii_digit())
                {
                    continue;
                }
            }
            out.push(Found {
                start: whole.start(),
                end: whole.end(),
                read: self.read(&c, doc),
                relative: ["b0", "b1", "b2"].iter().any(|g| c.name(g).is_some()),
            });
        }
        out
    }

    fn read(&self, c: &regex::Captures, doc: Option<NaiveDate>) -> Option<(NaiveDate, u8)> {
        let g = |n: &str| c.name(n).map(|m| m.as_str());
        let num = |n: &str| g(n).and_then(|v| v.parse::<u32>().ok());
        let month = |n: &str| g(n).and_then(|m| form_value(&self.months, m));
        let weekday = |n: &str| {
            g(n).and_then(|d| form_value(&self.weekdays, d))
                .and_then(|d| Weekday::try_from(d.checked_sub(1)? as u8).ok())
        };
        // A day and month, of the stated year or else of the document's.
        let day = |d: Option<u32>, m: Option<u32>, y: &str| -> Option<NaiveDate> {
            let (d, m) = (d?, m?);
            match g(y).and_then(|y| y.parse().ok()) {
                Some(year) => NaiveDate::from_ymd_opt(year, m, d),
                None => infer_year(m, d, doc),
            }
        };
        if g("nft").is_some() {
            // "у ніч з 2 на 3 березня": the night that began on the 2nd.
            day(num("nft1"), month("nftm"), "nfty").map(|d| (d, 1))
        } else if g("nt").is_some() {
            // "у ніч на 3 березня": the night that began the day before.
            day(num("ntd"), month("ntm"), "nty").map(|d| (d - Duration::days(1), 1))
        } else if g("num").is_some() {
            let y: i32 = g("numy")?.parse().ok()?;
            let y = if y < 100 { 2000 + y } else { y };
            NaiveDate::from_ymd_opt(y, num("numm")?, num("numd")?).map(|d| (d, 1))
        } else if g("rg").is_some() || g("rgd").is_some() {
            let (a, b, m, y) = if g("rg").is_some() {
                (num("rg1")?, num("rg2")?, month("rgm"), "rgy")
            } else {
                (num("rgd1")?, num("rgd2")?, month("rgdm"), "rgdy")
            };
            day(Some((a + b) / 2), m, y)
                .filter(|_| a <= b)
                .map(|d| (d, 2))
        } else if g("dm").is_some() {
            day(num("dmd"), month("dmm"), "dmy").map(|d| (d, 1))
        } else if g("my").is_some() {
            let y: i32 = g("myy")?.parse().ok()?;
            NaiveDate::from_ymd_opt(y, month("mym")?, 15).map(|d| (d, 3))
        } else {
            self.read_relative(c, doc?, &weekday, &month)
        }
    }

    /// The forms read against the document's date: weekdays, "yesterday", "the last three days".
    fn read_relative(
        &self,
        c: &regex::Captures,
        doc: NaiveDate,
        weekday: &dyn Fn(&str) -> Option<Weekday>,
        month: &dyn Fn(&str) -> Option<u32>,
    ) -> Option<(NaiveDate, u8)> {
        let has = |n: &str| c.name(n).is_some();
        let monday = doc - Duration::days(doc.weekday().num_days_from_monday() as i64);
        let first = doc.with_day(1).expect("day 1 exists");
        if has("ntw") {
            // "в ніч на неділю": the night before that day.
            let w = weekday("ntwd")?;
            Some((doc - Duration::days(days_back_to(doc, w, false) + 1), 1))
        } else if has("wd") || has("wd2") {
            let (w, last) = if has("wd") {
                (weekday("wdn")?, has("wdl"))
            } else {
                (weekday("wdn2")?, true)
            };
            Some((doc - Duration::days(days_back_to(doc, w, last)), 1))
        } else if has("mn") {
            let m = month("mnm")?;
            let y = if m > doc.month() {
                doc.year() - 1
            } else {
                doc.year()
            };
            NaiveDate::from_ymd_opt(y, m, 15).map(|d| (d.min(doc), 3))
        } else if has("b0") {
            Some((doc, 1))
        } else if has("b1") || has("pd") {
            Some((doc - Duration::days(1), 1))
        } else if has("b2") {
            Some((doc - Duration::days(2), 1))
        } else if has("ld") {
            let n = crate::events::fatalities::pack_value(&self.numbers, c.name("ldn")?.as_str())?;
            Some((span_middle(doc, (n as i64).min(31)), 2))
        } else if has("wk") {
            Some((span_middle(doc, 7), 2))
        } else if has("lw") {
            Some(((monday - Duration::days(5)).min(doc), 2))
        } else if has("tw") {
            Some(((monday + Duration::days(2)).min(doc), 2))
        } else if has("lm") {
            let prev = (first - Duration::days(1))
                .with_day(1)
                .expect("day 1 exists");
            Some(((prev + Duration::days(14)).min(doc), 3))
        } else if has("tm") {
            Some(((first + Duration::days(14)).min(doc), 3))
        } else {
            None
        }
    }
}

/// The day and precision one match of `patterns` stands for.
fn read(c: &regex::Captures, doc: Option<NaiveDate>) -> Option<(NaiveDate, u8)> {
    let g = |n: &str| c.name(n).map(|m| m.as_str());
    if g("iso").is_some() {
        let (y, m, d) = (g("iy"), g("im"), g("id"));
        NaiveDate::from_ymd_opt(y?.parse().ok()?, m?.parse().ok()?, d?.parse().ok()?)
            .map(|d| (d, 1))
    } else if g("dm").is_some() || g("md").is_some() {
        let (d, m, y) = if g("dm").is_some() {
            (g("dmd"), g("dmm"), g("dmy"))
        } else {
            (g("mdd"), g("mdm"), g("mdy"))
        };
        let (day, month) = (d.and_then(|d| d.parse().ok()), m.and_then(month_number));
        match (day, month, y.and_then(|y| y.parse().ok())) {
            (Some(day), Some(month), Some(year)) => {
                NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, 1))
            }
            (Some(day), Some(month), None) => infer_year(month, day, doc).map(|d| (d, 1)),
            _ => None,
        }
    } else if g("bt").is_some() {
        // "between 10 and 12 March", "from 5 to 7 January": the middle day, a range of days.
        let (a, b): (u32, u32) = (g("bt1")?.parse().ok()?, g("bt2")?.parse().ok()?);
        let month = g("btm").and_then(month_number)?;
        let mid = (a + b) / 2;
        let day = match g("bty").and_then(|y| y.parse().ok()) {
            Some(year) => NaiveDate::from_ymd_opt(year, month, mid),
            None => infer_year(month, mid, doc),
        };
        day.filter(|_| a <= b).map(|d| (d, 2))
    } else if g("mr").is_some() {
        let (a, b) = (
            g("mr1").and_then(month_number),
            g("mr2").and_then(month_number),
        );
        let year: Option<i32> = g("mry").and_then(|y| y.parse().ok());
        match (a, b, year) {
            (Some(a), Some(b), Some(y)) if a <= b => {
                NaiveDate::from_ymd_opt(y, (a + b) / 2, 15).map(|d| (d, 3))
            }
            _ => None,
        }
    } else if g("my").is_some() {
        let m = g("mym").and_then(month_number);
        let y: Option<i32> = g("myy").and_then(|y| y.parse().ok());
        m.zip(y)
            .and_then(|(m, y)| NaiveDate::from_ymd_opt(y, m, 15))
            .map(|d| (d, 3))
    } else if let (Some(a), Some(b), Some(doc)) = (g("wr1"), g("wr2"), doc) {
        // "from Friday to Sunday": the days back to each, the middle one.
        let back = |name: &str| {
            weekday(name)
                .map(|w| (doc.weekday().num_days_from_monday() + 7 - w.num_days_from_monday()) % 7)
        };
        let (from, to) = (back(a)?, back(b)?);
        let from = if from < to { from + 7 } else { from };
        Some((doc - Duration::days(((from + to) / 2) as i64), 2))
    } else if let (Some(name), Some(doc)) = (g("wdn"), doc) {
        weekday(name).map(|w| {
            let back = (doc.weekday().num_days_from_monday() + 7 - w.num_days_from_monday()) % 7;
            // "last Monday" in a Monday report is a week ago; "on Monday" is the same day.
            let back = if back == 0 && g("wd").is_some_and(|s| s.len() > name.len()) {
                7
            } else {
                back
            };
            (doc - Duration::days(back as i64), 1)
        })
    } else if let (Some(_), Some(doc)) = (g("rel"), doc) {
        let back = if g("b2").is_some() {
            2
        } else if g("b1").is_some() {
            1
        } else {
            0
        };
        Some((doc - Duration::days(back), 1))
    } else if let (Some(unit), Some(doc)) = (g("su"), doc) {
        let unit = unit.to_ascii_lowercase();
        let n = count(g("sn"));
        match unit.as_str() {
            "day" | "24 hours" if n.is_none() => Some((doc - Duration::days(1), 1)),
            "48 hours" => Some((span_middle(doc, 2), 2)),
            "72 hours" => Some((span_middle(doc, 3), 2)),
            "days" => Some((span_middle(doc, n.unwrap_or(3).min(31)), 2)),
            "week" | "weekend" => Some((span_middle(doc, 7), 2)),
            _ => None,
        }
    } else if let (Some(which), Some(doc)) = (g("wkw"), doc) {
        let monday = doc - Duration::days(doc.weekday().num_days_from_monday() as i64);
        let monday = if which.eq_ignore_ascii_case("last") {
            monday - Duration::days(7)
        } else {
            monday
        };
        Some(((monday + Duration::days(2)).min(doc), 2))
    } else if let (Some(which), Some(doc)) = (g("mow"), doc) {
        let first = doc.with_day(1).expect("day 1 exists");
        let first = if which.eq_ignore_ascii_case("last") {
            (first - Duration::days(1))
                .with_day(1)
                .expect("day 1 exists")
        } else {
            first
        };
        Some(((first + Duration::days(14)).min(doc), 3))
    } else if let (Some(m), Some(doc)) = (g("mnm"), doc) {
        month_number(m).and_then(|m| {
            let y = if m > doc.month() {
                doc.year() - 1
            } else {
                doc.year()
            };
            NaiveDate::from_ymd_opt(y, m, 15).map(|d| (d.min(doc), 3))
        })
    } else {
        None
    }
}

/// A document date as YYYY-MM-DD, or the date part of an RFC 3339 timestamp.
/// The date a document's own head gives: a dateline or date line on its first line ("Frontline
/// update, 2 March 2024", "2024-03-02", "KYIV, Feb 14 (Reuters) -"). A day of a stated year
/// only, or a day and month read against `fallback` (the run's `--date`) for its year; relative
/// words ("yesterday") and months alone are no dateline.
pub fn dateline(text: &str, fallback: Option<NaiveDate>) -> Option<NaiveDate> {
    let line = text.trim_start().lines().next().unwrap_or("");
    let head = crate::window::head(line, DATELINE_BYTES);
    let stated_year = |m: &DateMention| {
        head[m.start..m.end]
            .bytes()
            .filter(u8::is_ascii_digit)
            .count()
            >= 4
    };
    find_dates(head, None)
        .into_iter()
        .chain(
            find_dates(head, fallback)
                .into_iter()
                .filter(|m| !stated_year(m)),
        )
        .find(|m| m.precision == 1 && !is_relative(&head[m.start..m.end]))
        .map(|m| m.date)
}

/// How far into a document's first line a dateline is looked for.
const DATELINE_BYTES: usize = 200;

/// "yesterday", "Monday", "last week": words that need a date to mean one.
fn is_relative(text: &str) -> bool {
    !text.bytes().any(|b| b.is_ascii_digit())
}

pub fn parse_doc_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_doc_date(s).unwrap()
    }

    #[test]
    fn a_documents_head_gives_its_date() {
        assert_eq!(
            dateline(
                "Frontline update, 2 March 2024\n\nShelling hit Avdiivka.",
                None
            ),
            Some(d("2024-03-02"))
        );
        assert_eq!(
            dateline("2024-03-02 — morning summary", None),
            Some(d("2024-03-02"))
        );
        // A wire dateline has no year: the run's --date gives it.
        let wire = "KYIV, Feb 14 (Reuters) - Russian forces shelled Kupiansk.";
        assert_eq!(dateline(wire, None), None);
        assert_eq!(dateline(wire, Some(d("2023-03-01"))), Some(d("2023-02-14")));
        // Relative words, months alone and dates further down are not datelines.
        assert_eq!(
            dateline("Yesterday troops shelled Kupiansk.", Some(d("2023-03-01"))),
            None
        );
        assert_eq!(dateline("In March 2024 the front moved.", None), None);
        assert_eq!(
            dateline("Shelling hit Avdiivka.\nOn 2 March 2024 more.", None),
            None
        );
    }

    fn one(text: &str, doc: &str) -> (String, u8, bool) {
        let found = find_dates(text, Some(d(doc)));
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        let f = &found[0];
        (f.date.to_string(), f.precision, f.reporting)
    }

    #[test]
    fn days_without_a_year_take_the_documents_year() {
        assert_eq!(
            one("heavy artillery fire on February 13.", "2023-02-14"),
            ("2023-02-13".into(), 1, false)
        );
        assert_eq!(one("on Dec. 30", "2023-01-02").0, "2022-12-30");
        assert_eq!(
            one("On 14 February 2023, forces shelled", "2024-06-01").0,
            "2023-02-14"
        );
        assert_eq!(one("on the 3rd of March", "2023-03-04").0, "2023-03-03");
    }

    #[test]
    fn relative_days_count_back_from_the_document() {
        assert_eq!(
            one("over the past day", "2023-02-14"),
            ("2023-02-13".into(), 1, false)
        );
        assert_eq!(
            one("in the last three days", "2023-02-14"),
            ("2023-02-12".into(), 2, false)
        );
        assert_eq!(one("yesterday", "2023-02-14").0, "2023-02-13");
        assert_eq!(one("overnight", "2023-02-14").0, "2023-02-13");
        // Right after a stated day, "overnight" is that day's night, and a bracketed range
        // only says how sure the day is.
        let after = |t: &str| {
            let found = find_dates(t, parse_doc_date("2023-03-01"));
            found.iter().map(|d| d.date.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(
            after("On 14 February 2023, overnight, guns fired."),
            ["2023-02-14"]
        );
        assert_eq!(
            after("Around 20 February 2023 (between 10 - 20 February), a raid."),
            ["2023-02-20"]
        );
        assert_eq!(
            after("On 14 February, and overnight"),
            ["2023-02-14", "2023-02-28"]
        );
        // Not across a line: a date line above the news is not the news' day.
        assert_eq!(
            after("Update, 14 February 2023\n\nYesterday guns fired."),
            ["2023-02-14", "2023-02-28"]
        );
        // 2023-02-14 was a Tuesday.
        assert_eq!(one("on Sunday", "2023-02-14").0, "2023-02-12");
        assert_eq!(one("on Tuesday", "2023-02-14").0, "2023-02-14");
        assert_eq!(one("last Tuesday", "2023-02-14").0, "2023-02-07");
        assert_eq!(
            one("last week", "2023-02-14"),
            ("2023-02-08".into(), 2, false)
        );
        assert_eq!(one("between 10 and 12 March", "2024-03-20").0, "2024-03-11");
        assert_eq!(one("from 5 to 7 January", "2024-01-20").1, 2);
        // 2024-03-18 was a Monday: Friday to Sunday before it, the middle day.
        assert_eq!(
            one("from Friday to Sunday", "2024-03-18"),
            ("2024-03-16".into(), 2, false)
        );
    }

    #[test]
    fn months_and_month_ranges_are_precision_three() {
        assert_eq!(
            one("over September-November 2022", "2023-02-14"),
            ("2022-10-15".into(), 3, false)
        );
        assert_eq!(
            one("in January", "2023-02-14"),
            ("2023-01-15".into(), 3, false)
        );
        assert_eq!(
            one("in March 2021", "2023-02-14"),
            ("2021-03-15".into(), 3, false)
        );
    }

    #[test]
    fn a_statements_date_is_marked_as_reporting() {
        assert!(one("the Ukrainian military said on February 14", "2023-02-14").2);
        assert!(one("said in its daily report on February 14 that", "2023-02-14").2);
        assert!(!one("a meeting in Brussels on February 14", "2023-02-14").2);
    }

    #[test]
    fn relative_forms_need_a_document_date() {
        assert!(find_dates("yesterday, on Monday", None).is_empty());
        assert_eq!(find_dates("on 3 March 2022", None).len(), 1);
        assert!(find_dates("on February 30", Some(d("2023-03-01"))).is_empty());
    }

    #[test]
    fn ukrainian_and_russian_dates() {
        // 2023-03-03 was a Friday.
        for (text, want, precision) in [
            ("14 лютого 2023 року росіяни обстріляли", "2023-02-14", 1),
            ("обстріл 14 лютого", "2023-02-14", 1),
            ("14 февраля 2023 года", "2023-02-14", 1),
            ("Вчора ворог атакував", "2023-03-02", 1),
            ("Вчера противник атаковал", "2023-03-02", 1),
            ("сьогодні вранці", "2023-03-03", 1),
            ("сегодня", "2023-03-03", 1),
            ("У ніч на 3 березня ворог атакував", "2023-03-02", 1),
            ("В ночь на 3 марта", "2023-03-02", 1),
            ("у ніч з 1 на 2 березня", "2023-03-01", 1),
            ("Станом на 14.02.2023 загинули", "2023-02-14", 1),
            ("у неділю", "2023-02-26", 1),
            ("в воскресенье", "2023-02-26", 1),
            ("у п’ятницю", "2023-03-03", 1),
            ("минулої п'ятниці", "2023-02-24", 1),
            ("в ночь на пятницу", "2023-03-02", 1),
            ("минулої доби", "2023-03-02", 1),
            ("за минувшие сутки", "2023-03-02", 1),
            ("за останні три доби", "2023-03-01", 2),
            ("за последние 5 дней", "2023-02-28", 2),
            ("з 10 по 12 лютого", "2023-02-11", 2),
            ("у лютому", "2023-02-15", 3),
            ("в феврале 2022 года", "2022-02-15", 3),
            ("минулого тижня", "2023-02-22", 2),
            // The night just past, however it is said, is the day before.
            ("протягом ночі над областю збили дрони", "2023-03-02", 1),
            ("за ніч ворог випустив ракети", "2023-03-02", 1),
            ("за ночь сбиты беспилотники", "2023-03-02", 1),
            ("в течение ночи противник атаковал", "2023-03-02", 1),
        ] {
            let (date, p, _) = one(text, "2023-03-03");
            assert_eq!((date.as_str(), p), (want, precision), "{text}");
        }
        // A stated day's night is that day; "14.02" without a year, and a decimal, are no dates.
        assert_eq!(one("14 лютого вночі", "2023-03-03").0, "2023-02-14");
        assert!(find_dates("зросла на 14.02 відсотка", Some(d("2023-03-03"))).is_empty());
        // "повідомив 14 лютого": when it was said.
        assert!(one("губернатор повідомив 14 лютого, що", "2023-03-03").2);
        assert!(!one("14 лютого окупанти обстріляли", "2023-03-03").2);
        // English text is read by English patterns only.
        assert!(find_dates("14.02.2023", Some(d("2023-03-03"))).is_empty());
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        assert!(find_dates("they may 2 weeks", Some(d("2023-03-01"))).is_empty());
        assert!(find_dates("Russia may strike again", Some(d("2023-03-01"))).is_empty());
    }
}
