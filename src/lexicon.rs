//! Word lists compiled in from the language packs, `lang/<code>/*.txt` at the repository root.
//!
//! A list file opens with `#` lines that say what it is for; after them, one entry a line
//! (blank lines and further `#` lines are skipped, entries are trimmed). The code holds the rules
//! and these files hold the words, so a list grows without a code change and a new language is a
//! new folder.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// The entries of a list file's text, in order.
pub fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The entries of a table file (`.tsv`), each split at its TABs into trimmed fields.
pub fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    entries(text).map(|e| e.split('\t').map(str::trim).collect())
}

/// A list file looked up as a hash set, built on first use.
pub struct WordSet {
    text: &'static str,
    set: OnceLock<FxHashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(text: &'static str) -> Self {
        WordSet {
            text,
            set: OnceLock::new(),
        }
    }

    fn set(&self) -> &FxHashSet<&'static str> {
        self.set.get_or_init(|| entries(self.text).collect())
    }

    pub fn contains(&self, word: &str) -> bool {
        self.set().contains(word)
    }

    /// The entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> {
        entries(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static LIST: WordSet =
        WordSet::new("# what it is for\n# more\n\nalpha\n  beta  \n# note\ngamma\n");

    #[test]
    fn header_blank_and_comment_lines_are_not_entries() {
        assert_eq!(LIST.iter().collect::<Vec<_>>(), ["alpha", "beta", "gamma"]);
        assert!(LIST.contains("beta"));
        assert!(!LIST.contains("# note"));
        assert!(!LIST.contains(""));
    }

    #[test]
    fn table_rows_split_at_tabs() {
        let rows: Vec<_> =
            rows("# header\nthe village of\tpopulated\noblast' \t admin1\n").collect();
        assert_eq!(
            rows,
            [
                vec!["the village of", "populated"],
                vec!["oblast'", "admin1"]
            ]
        );
    }
}
