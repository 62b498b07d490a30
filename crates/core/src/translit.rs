//! Cyrillic to Latin transliteration, in the systems that news about Ukraine and Russia uses:
//! the Ukrainian national system of 2010 (Kharkiv, Zaporizhzhia), Russian BGN/PCGN (Khar'kov,
//! Zaporozh'ye) and the plainer Russian spellings of the English press (Kharkov, Zaporozhye,
//! Avdeevka). Each gives a spelling; callers fold it with `name_key`.
//!
//! Ukrainian text is recognised by і ї є ґ, Russian by ы э ё ъ; text with neither gets both.

/// Which transliteration systems apply to `text`, judged by its letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Ukrainian,
    Russian,
    /// Cyrillic without letters that tell the language apart.
    Cyrillic,
    /// No Cyrillic letters at all.
    Other,
}

pub fn detect(text: &str) -> Script {
    let (mut cyr, mut uk, mut ru) = (false, false, false);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'і' | 'ї' | 'є' | 'ґ' => uk = true,
            'ы' | 'э' | 'ё' | 'ъ' => ru = true,
            '\u{0400}'..='\u{04FF}' => cyr = true,
            _ => {}
        }
    }
    match (uk, ru, cyr) {
        (true, false, _) => Script::Ukrainian,
        (false, true, _) => Script::Russian,
        (false, false, false) => Script::Other,
        _ => Script::Cyrillic,
    }
}

/// True at the start of a word: where є ї й ю я take their initial forms (Ye, Yi, Y, Yu, Ya).
fn word_start(prev: Option<char>) -> bool {
    prev.is_none_or(|p| !p.is_alphabetic() && p != '\'' && p != '’' && p != 'ʼ')
}

fn is_vowel_ru(c: char) -> bool {
    "аеёиоуыэюяaeiou".contains(c)
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Letters that both systems write the same way.
fn shared(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'ґ' => "g",
        'д' => "d",
        'ж' => "zh",
        'з' => "z",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        _ => return None,
    })
}

/// Runs `letter` over each character (lower-cased, with the previous one and whether a word
/// starts there); characters it has no spelling for are copied, case is carried over.
fn transliterate(
    text: &str,
    letter: impl Fn(char, Option<char>, bool) -> Option<&'static str>,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &orig) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| lower(chars[j]));
        match letter(lower(orig), prev, word_start(prev)) {
            Some(lat) => push_cased(&mut out, lat, orig),
            None => out.push(orig),
        }
    }
    out
}

/// Ukrainian national transliteration (Cabinet of Ministers resolution 55 of 2010).
pub fn ukrainian_2010(text: &str) -> String {
    transliterate(text, |c, prev, start| {
        Some(match c {
            // зг is written zgh to keep it apart from the digraph zh.
            'г' if prev == Some('з') => "gh",
            'г' => "h",
            'е' => "e",
            'є' if start => "ye",
            'є' => "ie",
            'и' => "y",
            'і' => "i",
            'ї' if start => "yi",
            'ї' => "i",
            'й' if start => "y",
            'й' => "i",
            '\'' | '’' | 'ʼ' => "",
            'ю' if start => "yu",
            'ю' => "iu",
            'я' if start => "ya",
            'я' => "ia",
            // Russian letters in Ukrainian text get their Russian spellings.
            'ы' => "y",
            'э' => "e",
            'ё' => "yo",
            _ => return shared(c),
        })
    })
}

/// Russian BGN/PCGN (1947), diacritics dropped: Zaporozh'ye, Khar'kov, Artëmovsk as Artemovsk.
pub fn russian_bgn(text: &str) -> String {
    russian(text, false)
}

/// Russian as the English-language press usually writes it: е is always e, й after и or ы is
/// dropped, ь and ъ vanish (Avdeevka, Zaporozhe, Krasnoarmeysk, Lisichansk).
pub fn russian_press(text: &str) -> String {
    russian(text, true)
}

fn russian(text: &str, press: bool) -> String {
    transliterate(text, |c, prev, start| {
        // BGN writes ye after vowels, ь and ъ, and at the start of a word.
        let ye = start || prev.is_some_and(|p| is_vowel_ru(p) || p == 'ь' || p == 'ъ');
        Some(match c {
            'г' => "g",
            'е' if start || (ye && !press) => "ye",
            'е' => "e",
            'ё' if ye => "yo",
            'ё' => "e",
            'и' => "i",
            'й' if press && prev.is_some_and(|p| p == 'и' || p == 'ы') => "",
            'й' => "y",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            // Ukrainian letters in Russian text get their Ukrainian spellings.
            'і' => "i",
            'ї' => "yi",
            'є' => "ye",
            _ => return shared(c),
        })
    })
}

/// Writes `lat` capitalised when the Cyrillic letter was upper case.
fn push_cased(out: &mut String, lat: &str, orig: char) {
    if orig.is_uppercase() {
        let mut cs = lat.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
    } else {
        out.push_str(lat);
    }
}

/// Every Latin spelling of `text` worth indexing or looking up, without duplicates; empty when
/// `text` has no Cyrillic.
pub fn latin_spellings(text: &str) -> Vec<String> {
    let mut out: Vec<String> = match detect(text) {
        Script::Other => return Vec::new(),
        Script::Ukrainian => vec![ukrainian_2010(text)],
        Script::Russian => vec![russian_bgn(text), russian_press(text)],
        Script::Cyrillic => vec![ukrainian_2010(text), russian_bgn(text), russian_press(text)],
    };
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_national_system() {
        assert_eq!(ukrainian_2010("Харків"), "Kharkiv");
        assert_eq!(ukrainian_2010("Запоріжжя"), "Zaporizhzhia");
        assert_eq!(ukrainian_2010("Миколаїв"), "Mykolaiv");
        assert_eq!(ukrainian_2010("Сєвєродонецьк"), "Sievierodonetsk");
        assert_eq!(ukrainian_2010("Кропивницький"), "Kropyvnytskyi");
        assert_eq!(ukrainian_2010("Згурівка"), "Zghurivka");
        assert_eq!(ukrainian_2010("Ївано"), "Yivano");
        assert_eq!(ukrainian_2010("Юрій Яготин"), "Yurii Yahotyn");
        assert_eq!(ukrainian_2010("Красна Гора"), "Krasna Hora");
        assert_eq!(ukrainian_2010("Кам'янське"), "Kamianske");
    }

    #[test]
    fn russian_bgn_and_press() {
        assert_eq!(russian_bgn("Запорожье"), "Zaporozhye");
        assert_eq!(russian_press("Запорожье"), "Zaporozhe");
        assert_eq!(russian_bgn("Харьков"), "Khar'kov".replace('\'', ""));
        assert_eq!(russian_bgn("Авдеевка"), "Avdeyevka");
        assert_eq!(russian_press("Авдеевка"), "Avdeevka");
        assert_eq!(russian_press("Красноармейск"), "Krasnoarmeysk");
        assert_eq!(russian_press("Лисичанский"), "Lisichanski");
        assert_eq!(russian_bgn("Лисичанский"), "Lisichanskiy");
        assert_eq!(russian_bgn("Ёлки"), "Yolki");
        assert_eq!(russian_bgn("Артёмовск"), "Artemovsk");
    }

    #[test]
    fn detects_the_language_by_its_letters() {
        assert_eq!(detect("Київ"), Script::Ukrainian);
        assert_eq!(detect("Электросталь"), Script::Russian);
        assert_eq!(detect("Бахмут"), Script::Cyrillic);
        assert_eq!(detect("Bakhmut"), Script::Other);
        assert_eq!(latin_spellings("Bakhmut"), Vec::<String>::new());
        assert_eq!(latin_spellings("Бахмут"), vec!["Bakhmut".to_string()]);
    }
}
