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

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const COUNTS: &str = r"two|three|four|five|six|seven|ten|several|few|\d{1,2}";

fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let p = format!(
            r"(?xi)
            (?-u:\b)(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))(?-u:\b)
          | (?-u:\b)(?P<dm>(?P<dmd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmm>{MONTHS})\.?(?:,?\s+(?P<dmy>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<bt>(?:between|from)\s+(?P<bt1>\d{{1,2}})\s+(?:and|to|-|–)\s+(?P<bt2>\d{{1,2}})\s+(?P<btm>{MONTHS})\.?(?:,?\s+(?P<bty>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<mr>(?P<mr1>{MONTHS})\.?\s*[-–]\s*(?P<mr2>{MONTHS})\.?\s+(?P<mry>\d{{4}}))(?-u:\b)
          | (?-u:\b)(?P<md>(?P<mdm>{MONTHS})\.?\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<mdy>\d{{4}}))?)(?-u:\b)
          | (?-u:\b)(?P<my>(?:in\s+|early\s+|late\s+|mid-?)?(?P<mym>{MONTHS})\.?\s+(?P<myy>\d{{4}}))(?-u:\b)
          | (?-u:\b)(?P<wr>(?:from|between)\s+(?P<wr1>{WEEKDAYS})\s+(?:to|and|until)\s+(?P<wr2>{WEEKDAYS}))(?-u:\b)
          | (?-u:\b)(?P<wd>(?:last\s+|this\s+past\s+)?(?P<wdn>{WEEKDAYS}))(?:'s)?(?-u:\b)
          | (?-u:\b)(?P<rel>day\s+before\s+yesterday|yesterday|today|tonight|this\s+morning|this\s+evening|last\s+night|overnight)(?-u:\b)
          | (?-u:\b)(?P<span>(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:(?P<sn>{COUNTS})\s+)?(?P<su>day|days|24\s+hours|48\s+hours|72\s+hours|week|weekend))(?-u:\b)
          | (?-u:\b)(?P<wk>(?P<wkw>this|last)\s+week(?:end)?)(?-u:\b)
          | (?-u:\b)(?P<mo>(?P<mow>earlier\s+this|this|last)\s+month)(?-u:\b)
          | (?-u:\b)(?P<mn>in\s+(?P<mnm>january|february|march|april|june|july|august|september|october|november|december))(?-u:\b)
            "
        );
        Regex::new(&p).expect("date patterns compile")
    })
}

fn reporting_cue() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:said|says|say|reported|reports|announced|told|stated|claimed|wrote|posted|report|bulletin|statement|update|briefing|address|telegram)(?-u:\b)[^.;]{0,30}$")
            .expect("cue compiles")
    })
}

/// A month's number; news text capitalises month names, which keeps "may" the verb out.
fn month_number(m: &str) -> Option<u32> {
    if !m.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let m = m.to_ascii_lowercase();
    let i = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|p| m.starts_with(p))?;
    Some(i as u32 + 1)
}

fn count(word: Option<&str>) -> Option<i64> {
    let w = word?.to_ascii_lowercase();
    Some(match w.as_str() {
        "two" => 2,
        "three" | "few" | "several" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "ten" => 10,
        n => n.parse().ok()?,
    })
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
    name.to_ascii_lowercase().parse().ok()
}

/// The middle day of the `n` days before `doc`.
fn span_middle(doc: NaiveDate, n: i64) -> NaiveDate {
    doc - Duration::days((n + 1) / 2)
}

/// Every date in `text`, in order. `doc` is the document's date, which relative forms and dates
/// without a year are read against.
pub fn find_dates(text: &str, doc: Option<NaiveDate>) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::new();
    for c in patterns().captures_iter(text) {
        let whole = c.get(0).expect("match");
        // "On 4 December, overnight, …", "Around 30 November (between 16 - 30 November)": a
        // word or a bracket right after a stated day elaborates that day; it is not another.
        if let Some(last) = out.last().filter(|d| d.precision == 1) {
            let gap = &text[last.end..whole.start()];
            let elaborates = gap.trim_matches(|c: char| c == ',' || c == ' ').is_empty()
                && c.name("rel").is_some();
            let bracketed = gap.trim_start_matches(' ').starts_with('(') && !gap.contains(')');
            if elaborates || bracketed {
                continue;
            }
        }
        if let Some((date, precision)) = read(&c, doc) {
            out.push(DateMention {
                start: whole.start(),
                end: whole.end(),
                date,
                precision,
                reporting: reporting_cue().is_match(&text[..whole.start()]),
            });
        }
    }
    out
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
    } else if let (Some(rel), Some(doc)) = (g("rel"), doc) {
        let rel = rel.to_ascii_lowercase();
        let back = if rel.starts_with("day") {
            2
        } else if rel == "yesterday" || rel.starts_with("last") || rel == "overnight" {
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
    fn may_the_verb_is_not_a_month() {
        assert!(find_dates("they may 2 weeks", Some(d("2023-03-01"))).is_empty());
        assert!(find_dates("Russia may strike again", Some(d("2023-03-01"))).is_empty());
    }
}
