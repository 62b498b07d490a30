//! Name keys: the folded form under which every gazetteer name is indexed and every query is looked up.
//!
//! Folding: Unicode compatibility decomposition with combining marks dropped (diacritics), lower case,
//! apostrophes of every style removed, hyphens, dots, commas and runs of white space collapsed to one
//! space. Scripts are kept: Cyrillic stays Cyrillic (transliteration is a separate, later step).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters deleted outright: apostrophes and their look-alikes, so "Kam'ianske", "Kam’ianske" and
/// "Kamianske" share one key.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{2018}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{0060}'
            | '\u{00B4}'
            | '\u{2032}'
    )
}

/// Characters that separate words like a space does.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                ..='\u{2015}'
                    | '.'
                    | ','
                    | '/'
                    | '('
                    | ')'
                    | '"'
                    | '\u{201C}'
                    | '\u{201D}'
                    | '_'
                    | ';'
                    | ':'
        )
}

/// Returns the index key for `name`. Empty when the name has no letters or digits left.
pub fn name_key(name: &str) -> String {
    // Decomposition changes no ASCII text, and most names in English news are ASCII: the
    // recogniser keys every capitalised word, so skipping it there is worth the branch.
    if name.is_ascii() {
        ascii_key(name)
    } else {
        unicode_key(name)
    }
}

fn ascii_key(name: &str) -> String {
    fold(name.chars(), name.len(), |c, out| {
        out.push(c.to_ascii_lowercase())
    })
}

fn unicode_key(name: &str) -> String {
    // ß lowercases to itself; everything else to its (possibly multi-char) lower form.
    fold(name.nfkd(), name.len(), |c, out| {
        out.extend(c.to_lowercase())
    })
}

fn fold(
    chars: impl Iterator<Item = char>,
    capacity: usize,
    lower: impl Fn(char, &mut String),
) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if is_combining_mark(c) || is_apostrophe(c) {
            continue;
        }
        if is_separator(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        lower(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(name_key("Kraków"), "krakow");
        assert_eq!(name_key("  Krasna   Hora "), "krasna hora");
        assert_eq!(name_key("Kam’ianske"), "kamianske");
        assert_eq!(name_key("Kam'ianske"), "kamianske");
        assert_eq!(name_key("Chasiv-Yar"), "chasiv yar");
        assert_eq!(name_key("St. Louis"), "st louis");
        assert_eq!(name_key("Bila Tserkva"), name_key("Bila-Tserkva"));
    }

    #[test]
    fn keeps_cyrillic_but_folds_its_case() {
        assert_eq!(name_key("Харків"), "харків");
        assert_eq!(name_key("Запоріжжя"), "запоріжжя");
        assert_eq!(name_key("ХАРКІВ"), name_key("Харків"));
        assert_ne!(name_key("Харків"), name_key("Kharkiv"));
    }

    #[test]
    fn the_ascii_path_folds_as_the_unicode_path_does() {
        for name in [
            "St. Louis",
            "  Krasna   Hora ",
            "Kam'ianske",
            "W.Va.",
            "O`Hare",
            "Bila-Tserkva/Fastiv",
            "A\tB\x0bC\x0cD\r\nE",
            "(\"Quoted\"); next_one: x,y",
            "123 Main St",
            "",
        ] {
            assert_eq!(super::ascii_key(name), super::unicode_key(name), "{name:?}");
        }
    }

    #[test]
    fn empty_when_nothing_is_left() {
        assert_eq!(name_key(""), "");
        assert_eq!(name_key(" - ' . "), "");
    }
}
