//! CSV input: one document per row, its text, id and date taken from named columns (spreadsheet
//! and database exports). A row that cannot be read, or that has more or fewer fields than the
//! header, is an error naming `file:line`; the rows after it are still read.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{decode, Document, InputError, Items, Part};

/// Which columns of a CSV file hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub text: String,
    pub id: String,
    pub date: String,
    /// Optional: the country each row is about (a code or a name).
    pub country: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            text: "text".into(),
            id: "id".into(),
            date: "date".into(),
            country: "country".into(),
        }
    }
}

/// Counts the bytes read since the last row ended (`since`, which the reader of rows resets); past
/// `max`, a read fails, so a row that never ends (a quote never closed in a huge file) is not
/// held in memory whole.
struct Guard<R> {
    inner: R,
    since: Arc<AtomicU64>,
    max: u64,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since.load(Ordering::Relaxed) > self.max {
            return Err(io::Error::other(too_long_row(self.max)));
        }
        let n = self.inner.read(buf)?;
        self.since.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn too_long_row(max: u64) -> String {
    format!(
        "a row longer than the limit of {} MB (raise with --max-line-mb); the rest of the file \
         is skipped",
        max >> 20
    )
}

/// The documents of CSV `reader`, named `name`. A row (with its quoted line breaks) over
/// `max_row` bytes ends the file with an error naming its line.
pub fn csv_rows(
    reader: impl Read + Send + 'static,
    name: String,
    columns: &Columns,
    max_row: usize,
) -> Items {
    let since = Arc::new(AtomicU64::new(0));
    let reader = Guard {
        inner: reader,
        since: since.clone(),
        max: max_row as u64,
    };
    let mut rows = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = match rows.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Box::new(std::iter::once(Err(InputError::new(
                format!("{name}:1"),
                e.to_string(),
            ))))
        }
    };
    let find = |col: &str| {
        header
            .iter()
            .position(|h| String::from_utf8_lossy(h).trim() == col)
    };
    let Some(text) = find(&columns.text) else {
        let found: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let message = format!(
            "no column `{}` (columns: {}); name the text column with --text-column",
            columns.text,
            found.join(", ")
        );
        return Box::new(std::iter::once(Err(InputError::new(name, message))));
    };
    let (id, date) = (find(&columns.id), find(&columns.date));
    let country = find(&columns.country);
    since.store(0, Ordering::Relaxed);
    let mut done = false;
    let file = name.clone();
    let records = std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut record = csv::ByteRecord::new();
        let read = rows.read_byte_record(&mut record);
        since.store(0, Ordering::Relaxed);
        match read {
            Ok(true) => Some(Ok(record)),
            Ok(false) => None,
            Err(e) => {
                // A read that failed (or a row too long) may fail again: the file ends here.
                let line = match e.position() {
                    Some(p) => p.line(),
                    None => rows.position().line(),
                };
                done = matches!(e.kind(), csv::ErrorKind::Io(_));
                Some(Err(InputError::new(
                    format!("{file}:{line}"),
                    e.to_string(),
                )))
            }
        }
    });
    Box::new(records.map(move |record| {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let location = format!("{name}:{line}");
        // A ragged row has lost or gained a cell, and which one is anyone's guess: its text may
        // be another column's. It is told and skipped, never read silently.
        if record.len() != header.len() {
            return Err(InputError::new(
                location,
                format!(
                    "the row has {} field{}, the header {}; skipped (a field holding a comma, \
                     quote or line break must be in double quotes)",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    header.len()
                ),
            ));
        }
        let mut warnings = Vec::new();
        let mut cell = |i: Option<usize>, what: &str| {
            i.and_then(|i| record.get(i))
                .map(|b| decode(b.to_vec(), &format!(" of the {what} column"), &mut warnings))
        };
        let Some(text) = cell(Some(text), "text") else {
            return Err(InputError::new(location, "the row has no text column"));
        };
        let id = cell(id, "id").filter(|s| !s.trim().is_empty());
        let date = cell(date, "date").filter(|s| !s.trim().is_empty());
        let country = cell(country, "country").filter(|s| !s.trim().is_empty());
        Ok(Document {
            id: id.unwrap_or_else(|| location.clone()),
            text,
            date,
            country,
            title: None,
            url: None,
            lang: None,
            source: location,
            warnings,
            part: Part::default(),
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &'static str, columns: &Columns) -> Vec<Result<Document, InputError>> {
        csv_rows(csv.as_bytes(), "a.csv".into(), columns, 1 << 20).collect()
    }

    #[test]
    fn rows_become_documents_with_their_id_and_date() {
        let docs = read(
            "id,date,text\n7,2023-02-14,\"Shelling hit Kupiansk, again.\"\n,,No id here\n",
            &Columns::default(),
        );
        let d: Vec<&Document> = docs.iter().map(|d| d.as_ref().unwrap()).collect();
        assert_eq!(
            (d[0].id.as_str(), d[0].text.as_str()),
            ("7", "Shelling hit Kupiansk, again.")
        );
        assert_eq!(d[0].date.as_deref(), Some("2023-02-14"));
        assert_eq!((d[1].id.as_str(), d[1].date.as_deref()), ("a.csv:3", None));
    }

    #[test]
    fn named_columns_and_a_missing_one() {
        let cols = Columns {
            text: "body".into(),
            id: "article_id".into(),
            date: "published".into(),
            country: "country".into(),
        };
        let docs = read("article_id,published,body\nx1,2024-01-02,Text\n", &cols);
        assert_eq!(docs[0].as_ref().unwrap().id, "x1");
        let err = read("a,b\n1,2\n", &Columns::default());
        let e = err[0].as_ref().unwrap_err();
        assert_eq!(e.location, "a.csv");
        assert!(
            e.message.contains("no column `text` (columns: a, b)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_short_row_and_invalid_utf8_do_not_stop_the_rest() {
        let bytes: &'static [u8] = b"id,text\n1\n2,caf\xe9 in Lviv\n3,ok\n";
        let docs: Vec<_> = csv_rows(bytes, "b.csv".into(), &Columns::default(), 1 << 20).collect();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].as_ref().unwrap_err().location, "b.csv:2");
        let d = docs[1].as_ref().unwrap();
        assert!(d.text.contains('\u{FFFD}'));
        assert!(
            d.warnings[0].contains("of the text column"),
            "{:?}",
            d.warnings
        );
        assert_eq!(docs[2].as_ref().unwrap().text, "ok");
    }
}
