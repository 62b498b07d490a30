//! The language of a text: English, Ukrainian or Russian, told apart by script and by the letters
//! only one of the two Cyrillic languages uses (і ї є ґ in Ukrainian; ы э ё ъ in Russian).
//! Recognition itself goes by script, word by word, so a document that mixes languages is read
//! in each; the language reported is the one most of its letters are in.

use std::fmt;
use std::str::FromStr;

/// A language geoevents reads. `--lang` and the JSONL `lang` field name one by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Uk,
    Ru,
}

impl Lang {
    /// ISO 639-1 code, as written in `x_lang` and `lang` fields.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Uk => "uk",
            Lang::Ru => "ru",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "eng" | "english" => Ok(Lang::En),
            "uk" | "ukr" | "ua" | "ukrainian" => Ok(Lang::Uk),
            "ru" | "rus" | "russian" => Ok(Lang::Ru),
            other => Err(format!(
                "unknown language {other:?}: geoevents reads en, uk and ru"
            )),
        }
    }
}

/// A Cyrillic letter (the basic block, which holds all of Ukrainian's and Russian's).
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Whether the text has any Cyrillic letter: a byte scan, since their UTF-8 forms start with
/// 0xD0–0xD3 and nothing else does.
pub fn has_cyrillic(text: &str) -> bool {
    text.bytes().any(|b| (0xD0..=0xD3).contains(&b))
}

/// The language most of the text's letters are in (English for a text with no letters). A
/// Cyrillic text with no letter particular to either language counts as Ukrainian, whose
/// reports are the ones this tool is most often given.
pub fn detect(text: &str) -> Lang {
    if !has_cyrillic(text) {
        return Lang::En;
    }
    let (mut latin, mut cyrillic, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if is_cyrillic(c) {
            cyrillic += 1;
            match c {
                'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => uk += 1,
                'ы' | 'э' | 'ё' | 'ъ' | 'Ы' | 'Э' | 'Ё' | 'Ъ' => ru += 1,
                _ => {}
            }
        }
    }
    if latin > cyrillic {
        Lang::En
    } else if ru > uk {
        Lang::Ru
    } else {
        Lang::Uk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_three_apart() {
        assert_eq!(detect("Russian forces shelled Kupiansk."), Lang::En);
        assert_eq!(
            detect("Окупанти обстріляли Нікополь і Марганець."),
            Lang::Uk
        );
        assert_eq!(detect("Силы ПВО сбили беспилотник над Брянском."), Lang::Ru);
        assert_eq!(detect(""), Lang::En);
        assert_eq!(detect("12:30"), Lang::En);
    }

    #[test]
    fn the_letters_most_of_the_text_is_in_win() {
        // An English report quoting one Ukrainian word is English.
        assert_eq!(
            detect("The governor of Zaporizhzhia said on Telegram: «Тривога»."),
            Lang::En
        );
        // A Ukrainian text quoting a Russian phrase stays Ukrainian.
        assert_eq!(
            detect("Він написав, що «всё будет хорошо», але вночі знову були вибухи у Києві."),
            Lang::Uk
        );
    }

    #[test]
    fn codes_parse_and_print() {
        assert_eq!("UK".parse::<Lang>(), Ok(Lang::Uk));
        assert_eq!("ru".parse::<Lang>().map(|l| l.to_string()), Ok("ru".into()));
        assert!("de".parse::<Lang>().unwrap_err().contains("en, uk and ru"));
    }
}
