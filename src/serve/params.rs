//! Query parameters, read strictly: an unknown or repeated parameter, or a value that does not
//! parse, is a 400 that names it and says what it takes.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::reply::Reply;
use crate::lang::Lang;
use crate::theatre::Near;

/// A request's parameters, each taken once as it is read; what is left over is unknown.
pub struct Params {
    values: BTreeMap<String, String>,
    known: &'static [&'static str],
}

impl Params {
    /// The pairs of a query string, checked against `known`.
    pub fn new(
        pairs: Vec<(String, String)>,
        known: &'static [&'static str],
    ) -> Result<Params, Reply> {
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            if !known.contains(&k.as_str()) {
                return Err(Reply::bad_request(format!(
                    "unknown parameter `{k}`; this endpoint takes {}",
                    known.join(", ")
                )));
            }
            if values.insert(k.clone(), v).is_some() {
                return Err(Reply::bad_request(format!(
                    "parameter `{k}` given more than once; give it once (a list is comma-separated)"
                )));
            }
        }
        Ok(Params { values, known })
    }

    /// The text of `key`, if given (an empty value counts as not given).
    pub fn text(&mut self, key: &str) -> Option<String> {
        debug_assert!(self.known.contains(&key));
        self.values.remove(key).filter(|v| !v.trim().is_empty())
    }

    /// `key` read by `parse`, whose error says what the value should be.
    pub fn parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Reply> {
        match self.text(key) {
            None => Ok(None),
            Some(v) => parse(v.trim())
                .map(Some)
                .map_err(|e| Reply::bad_request(format!("parameter `{key}`: {e}"))),
        }
    }

    pub fn date(&mut self, key: &str) -> Result<Option<NaiveDate>, Reply> {
        self.parsed(key, |v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| format!("`{v}` is not a date like 2023-02-14 (YYYY-MM-DD)"))
        })
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`).
    pub fn flag(&mut self, key: &str) -> Result<Option<bool>, Reply> {
        self.parsed(key, |v| match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(format!("`{v}` is not true or false")),
        })
    }

    /// Comma-separated ISO 3166 alpha-2 codes, upper-cased.
    pub fn countries(&mut self, key: &str) -> Result<Vec<String>, Reply> {
        Ok(self
            .parsed(key, |v| {
                v.split(',')
                    .map(|c| {
                        let c = c.trim().to_ascii_uppercase();
                        if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                            Ok(c)
                        } else {
                            Err(format!(
                                "`{c}` is not a two-letter ISO country code such as UA"
                            ))
                        }
                    })
                    .collect()
            })?
            .unwrap_or_default())
    }

    pub fn near(&mut self, key: &str) -> Result<Option<Near>, Reply> {
        self.parsed(key, Near::parse)
    }

    pub fn lang(&mut self, key: &str) -> Result<Option<Lang>, Reply> {
        self.parsed(key, |v| v.parse::<Lang>())
    }

    /// A whole number in `range`.
    pub fn number(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<Option<usize>, Reply> {
        self.parsed(key, |v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    format!(
                        "`{v}` is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    )
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn message(r: Reply) -> String {
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        v["error"].as_str().unwrap().to_string()
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let e = Params::new(pairs(&[("dat", "x")]), &["date", "format"])
            .err()
            .unwrap();
        assert_eq!(e.status, 400);
        assert!(message(e).contains("`dat`; this endpoint takes date, format"));
        let e = Params::new(pairs(&[("date", "a"), ("date", "b")]), &["date"])
            .err()
            .unwrap();
        assert!(message(e).contains("more than once"));
    }

    #[test]
    fn values_are_checked() {
        let mut p = Params::new(
            pairs(&[
                ("date", "2023-02-30"),
                ("country", "UA,ukr"),
                ("limit", "0"),
            ]),
            &["date", "country", "limit"],
        )
        .ok()
        .unwrap();
        assert!(message(p.date("date").err().unwrap()).contains("not a date like 2023-02-14"));
        assert!(message(p.countries("country").err().unwrap()).contains("`UKR`"));
        assert!(message(p.number("limit", 1..=100).err().unwrap()).contains("from 1 to 100"));
        let mut p = Params::new(
            pairs(&[("country", "ua, ru"), ("limit", "")]),
            &["country", "limit"],
        )
        .ok()
        .unwrap();
        assert_eq!(p.countries("country").ok().unwrap(), vec!["UA", "RU"]);
        assert_eq!(p.number("limit", 1..=100).ok().unwrap(), None);
    }
}
