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

    /// The list files of every language under lang/ (`.txt` and `.tsv`), with their text.
    fn language_files() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lang");
        let mut files = Vec::new();
        for lang in std::fs::read_dir(&root).expect("lang/ is readable") {
            let lang = lang.expect("lang/ is readable").path();
            if !lang.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&lang).expect("a language folder is readable") {
                let path = file.expect("a language folder is readable").path();
                if path.extension().is_some_and(|e| e == "txt" || e == "tsv") {
                    let text = std::fs::read_to_string(&path).expect("a list file is UTF-8");
                    files.push((path, text));
                }
            }
        }
        files.sort();
        files
    }

    fn is_english(path: &std::path::Path) -> bool {
        path.parent().is_some_and(|d| d.ends_with("en"))
    }

    /// Every list file says what it is for and has entries; an English one lists each entry
    /// once. (Other languages' tables may repeat a row on purpose: lang/uk/endings.tsv gives an
    /// ending under each paradigm that has it. A rule table, `events_rules.txt`, is blocks, not a
    /// list: a sub-event type heads several blocks and `flags unarmed` ends many.)
    #[test]
    fn every_list_file_has_a_header_and_each_english_entry_once() {
        let files = language_files();
        let english = files.iter().filter(|(p, _)| is_english(p)).count();
        assert!(english >= 20, "lang/en/ holds the English lists");
        let mut problems = Vec::new();
        for (path, text) in &files {
            let name = path.display();
            if !text.starts_with('#') {
                problems.push(format!("{name}: the first line is no `#` header"));
            }
            if entries(text).next().is_none() {
                problems.push(format!("{name}: no entries"));
            }
            if !is_english(path) || path.ends_with("events_rules.txt") {
                continue;
            }
            let mut seen = FxHashSet::default();
            for entry in rows(text).map(|fields| fields.join("\t")) {
                if !seen.insert(entry.clone()) {
                    problems.push(format!("{name}: {entry:?} is listed twice"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A list file that no code compiles in would be words the recogniser never reads.
    #[test]
    fn every_english_list_file_is_compiled_in() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut code = String::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
                let path = entry.expect("src/ is readable").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    code += &std::fs::read_to_string(&path).expect("source is UTF-8");
                }
            }
        }
        for (path, _) in language_files() {
            if !is_english(&path) {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(
                code.contains(&format!("lang/en/{name}\")")),
                "lang/en/{name} is not compiled in: include_str! it where its rule is"
            );
        }
    }
}
