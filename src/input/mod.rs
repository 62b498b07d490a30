//! Document input for `places` and `map`: text, Markdown and HTML files, JSON Lines, CSV,
//! directories and standard input, streamed one document at a time. Bad input becomes an [`InputError`] naming the
//! file (and line) and the run goes on with the next item; nothing here panics.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::iter;
use std::path::{Path, PathBuf};

use serde_json::{error::Category, Map, Value};

/// Bytes inspected for a NUL byte to tell a binary file, as git and grep do.
const SNIFF_LEN: u64 = 8192;
/// A UTF-8 byte order mark, which some Windows tools put before JSON Lines.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// The only files taken from a directory; a file named explicitly may have any extension.
const DIR_EXTENSIONS: [&str; 6] = ["txt", "md", "jsonl", "csv", "html", "htm"];

mod html;
mod table;

pub use html::strip as strip_html;
pub use table::Columns;

/// One document to geoparse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// From the JSONL `id` (a string or a number, kept as its text), else the file path as given
    /// (for directory inputs: the path joined under the directory), `-` for plain stdin.
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    /// The country the document is about, as its JSONL `country` or CSV country column gives
    /// it: an ISO 3166 alpha-2 code or a country's name. A prior for its places, not a filter.
    pub country: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Where it came from, for messages: `path` or `path:line`.
    pub source: String,
    /// Problems that did not stop the document from being read, e.g.
    /// `invalid UTF-8 at byte offset 12 replaced with U+FFFD`.
    pub warnings: Vec<String>,
}

/// A document that could not be read; the run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// `path`, `path:line`, or `-:line`.
    pub location: String,
    pub message: String,
}

impl InputError {
    fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InputError {}

/// Every document of `inputs`, in order: files in the order given, a directory's files sorted by
/// path (recursively; only .txt, .md, .jsonl files; hidden files and directories skipped).
///
/// `-` is standard input: JSON Lines when its first non-whitespace byte is `{`, else one plain-text
/// document. A `.jsonl` file is JSON Lines; any other file given explicitly is plain text.
/// Files are opened only when the iterator reaches them, and JSON Lines are read line by line.
pub fn documents(inputs: &[PathBuf]) -> impl Iterator<Item = Result<Document, InputError>> {
    documents_with(inputs, Columns::default())
}

/// As [`documents`], with CSV files' text, id and date read from `columns`. A `.csv` file is one
/// document per row; an `.html` or `.htm` file one document with its tags blanked out (see
/// `html`: character offsets into the text are offsets into the file).
pub fn documents_with(
    inputs: &[PathBuf],
    columns: Columns,
) -> impl Iterator<Item = Result<Document, InputError>> {
    Documents {
        pending: inputs.iter().cloned().map(Ok).collect(),
        current: Box::new(iter::empty()),
        stdin_read: false,
        columns,
    }
}

/// What one input still has to give. `Send`, so a caller may read on another thread.
type Items = Box<dyn Iterator<Item = Result<Document, InputError>> + Send>;

struct Documents {
    /// Paths still to open (a directory's files take its place here), or errors met while
    /// listing a directory, kept in their sorted place.
    pending: VecDeque<Result<PathBuf, InputError>>,
    current: Items,
    stdin_read: bool,
    columns: Columns,
}

impl Iterator for Documents {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            match self.pending.pop_front()? {
                Err(e) => return Some(Err(e)),
                Ok(path) => self.current = self.open(&path),
            }
        }
    }
}

impl Documents {
    fn open(&mut self, path: &Path) -> Items {
        let name = path.display().to_string();
        let fail = |e: io::Error| -> Items { one(Err(io_error(&name, e))) };
        if path.as_os_str() == "-" {
            if std::mem::replace(&mut self.stdin_read, true) {
                let message = "standard input given more than once; it was read the first time";
                return one(Err(InputError::new(name, message)));
            }
            return read_stream(BufReader::new(io::stdin()), "-");
        }
        match fs::metadata(path) {
            Err(e) => return fail(e),
            Ok(meta) if meta.is_dir() => {
                for item in walk(path).into_iter().rev() {
                    self.pending.push_front(item);
                }
                return Box::new(iter::empty());
            }
            Ok(_) => {}
        }
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return fail(e),
        };
        if has_extension(path, "html") || has_extension(path, "htm") {
            return one(read_text(file, &name).map(|mut d| {
                d.text = html::strip(&d.text);
                d
            }));
        }
        let table = has_extension(path, "csv");
        if !table && !has_extension(path, "jsonl") {
            return one(read_text(file, &name));
        }
        match sniff(&mut file) {
            Err(e) => fail(e),
            Ok(head) if head.contains(&0) => one(Err(binary(name))),
            Ok(head) if table => table::csv_rows(
                Cursor::new(head).chain(BufReader::new(file)),
                name,
                &self.columns,
            ),
            Ok(head) => json_lines(Cursor::new(head).chain(BufReader::new(file)), name),
        }
    }
}

fn one(item: Result<Document, InputError>) -> Items {
    Box::new(iter::once(item))
}

/// The documents of a byte stream named `name` (standard input is `-`): JSON Lines when its first
/// non-whitespace byte (after any byte order mark) is `{`, else one plain-text document.
/// The stream is read once; the bytes peeked at are put back in front of it.
fn read_stream<R: BufRead + Send + 'static>(mut reader: R, name: &str) -> Items {
    let (prefix, first) = match peek_first(&mut reader) {
        Ok(peeked) => peeked,
        Err(e) => return one(Err(io_error(name, e))),
    };
    let whole = Cursor::new(prefix).chain(reader);
    if first == Some(b'{') {
        json_lines(whole, name.to_string())
    } else {
        one(read_text(whole, name))
    }
}

/// Consumes leading whitespace (and a byte order mark), returning it and the byte after it.
fn peek_first(reader: &mut impl BufRead) -> io::Result<(Vec<u8>, Option<u8>)> {
    let mut prefix = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((prefix, None));
        }
        let skip = if prefix.is_empty() && buf.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let (taken, first) = match buf[skip..].iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => (skip + i, Some(buf[skip + i])),
            None => (buf.len(), None),
        };
        prefix.extend_from_slice(&buf[..taken]);
        reader.consume(taken);
        if first.is_some() {
            return Ok((prefix, first));
        }
    }
}

/// One plain-text document: the whole stream, exactly, untrimmed (later offsets index into it).
fn read_text(mut reader: impl Read, name: &str) -> Result<Document, InputError> {
    let failed = |e| io_error(name, e);
    // Look before reading everything, so a large binary file given by mistake is not loaded.
    let mut bytes = sniff(&mut reader).map_err(failed)?;
    if bytes.contains(&0) {
        return Err(binary(name));
    }
    reader.read_to_end(&mut bytes).map_err(failed)?;
    let mut warnings = Vec::new();
    let text = decode(bytes, "", &mut warnings);
    Ok(Document {
        id: name.to_string(),
        text,
        date: None,
        country: None,
        title: None,
        url: None,
        source: name.to_string(),
        warnings,
    })
}

/// JSON Lines, one document per non-blank line, read one line at a time.
struct JsonLines {
    reader: Box<dyn BufRead + Send>,
    name: String,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

fn json_lines(reader: impl BufRead + Send + 'static, name: String) -> Items {
    Box::new(JsonLines {
        reader: Box::new(reader),
        name,
        line: 0,
        buf: Vec::new(),
        done: false,
    })
}

impl Iterator for JsonLines {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    let mut warnings = Vec::new();
                    let line = decode(std::mem::take(&mut self.buf), " of the line", &mut warnings);
                    // Without its line ending, a cut-off record reads as cut off, not as a
                    // string holding a control character.
                    let line = line.strip_suffix('\n').unwrap_or(&line);
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    let json = match line.strip_prefix('\u{FEFF}') {
                        Some(rest) if self.line == 1 => rest,
                        _ => line,
                    };
                    if !json.trim_ascii().is_empty() {
                        let location = format!("{}:{}", self.name, self.line);
                        return Some(parse_line(json, location, warnings));
                    }
                }
                // A failing read may fail forever: report it once and give up on this input.
                Err(e) => {
                    self.done = true;
                    let location = format!("{}:{}", self.name, self.line);
                    return Some(Err(io_error(&location, e)));
                }
            }
        }
        None
    }
}

/// One JSON Lines record. Only a missing or non-string `text` loses the line; an `id` or optional
/// field of the wrong type is dropped with a warning so the text still gets read.
fn parse_line(
    json: &str,
    location: String,
    mut warnings: Vec<String>,
) -> Result<Document, InputError> {
    let mut map: Map<String, Value> =
        serde_json::from_str(json).map_err(|e| InputError::new(&location, json_message(&e)))?;
    let text = match map.remove("text") {
        Some(Value::String(text)) => text,
        None => return Err(InputError::new(location, "no `text` field")),
        Some(other) => {
            let found = kind(&other);
            return Err(InputError::new(
                location,
                format!("`text` is {found}, not a string"),
            ));
        }
    };
    let id = match map.remove("id") {
        None | Some(Value::Null) => location.clone(),
        Some(Value::String(id)) => id,
        Some(Value::Number(n)) => {
            // serde_json keeps integers exact, but other numbers only as an f64.
            if n.is_f64() {
                warnings.push(format!("`id` is not an integer; read as {n}"));
            }
            n.to_string()
        }
        Some(other) => {
            let found = kind(&other);
            warnings.push(format!(
                "`id` is {found}, not a string or number; using {location}"
            ));
            location.clone()
        }
    };
    let date = take_string(&mut map, "date", &mut warnings);
    let country = take_string(&mut map, "country", &mut warnings);
    let title = take_string(&mut map, "title", &mut warnings);
    let url = take_string(&mut map, "url", &mut warnings);
    Ok(Document {
        id,
        text,
        date,
        country,
        title,
        url,
        source: location,
        warnings,
    })
}

fn take_string(
    map: &mut Map<String, Value>,
    key: &str,
    warnings: &mut Vec<String>,
) -> Option<String> {
    match map.remove(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            warnings.push(format!(
                "`{key}` is {}, not a string; ignored",
                kind(&other)
            ));
            None
        }
    }
}

/// serde's message without its "at line 1 column N": the line is always 1 here, which would
/// contradict the `path:line` in front of it, so only the column is kept.
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let bare = full.strip_suffix(&position).unwrap_or(&full);
    match e.classify() {
        Category::Data => format!("not a JSON object: {bare}"),
        _ => format!("invalid JSON: {bare} (column {})", e.column()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// UTF-8 text of `bytes`; invalid sequences become U+FFFD and the first one's offset a warning.
fn decode(bytes: Vec<u8>, within: &str, warnings: &mut Vec<String>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| {
        let at = e.utf8_error().valid_up_to();
        warnings.push(format!(
            "invalid UTF-8 at byte offset {at}{within} replaced with U+FFFD"
        ));
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    })
}

/// Up to the first `SNIFF_LEN` bytes of `reader`.
fn sniff(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    reader.take(SNIFF_LEN).read_to_end(&mut head)?;
    Ok(head)
}

fn binary(location: impl Into<String>) -> InputError {
    InputError::new(location, "looks like a binary file; skipped")
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn io_error(location: &str, e: io::Error) -> InputError {
    InputError::new(location, e.to_string())
}

/// The .txt, .md and .jsonl files under `root`, sorted by path (component by component), with
/// an error in its place for each directory or file that could not be listed or inspected.
/// Hidden entries (a name starting with `.`) are skipped; symlinks are followed, and each real
/// directory is listed once, so a link back up the tree does not loop.
fn walk(root: &Path) -> Vec<Result<PathBuf, InputError>> {
    let mut found = Vec::new();
    let mut listed = HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    let error = |path: &Path, e| Err(io_error(&path.display().to_string(), e));
    while let Some(dir) = stack.pop() {
        if fs::canonicalize(&dir).is_ok_and(|real| !listed.insert(real)) {
            continue;
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                found.push(error(&dir, e));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    found.push(error(&dir, e));
                    continue;
                }
            };
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let wanted = DIR_EXTENSIONS.iter().any(|ext| has_extension(&path, ext));
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => stack.push(path),
                Ok(meta) if meta.is_file() && wanted => found.push(Ok(path)),
                // A broken link named like a document is worth a word; anything else is not ours.
                Err(e) if wanted => found.push(error(&path, e)),
                _ => {}
            }
        }
    }
    found.sort_by(|a, b| sort_key(a).cmp(sort_key(b)));
    found
}

fn sort_key(item: &Result<PathBuf, InputError>) -> &Path {
    match item {
        Ok(path) => path,
        Err(e) => Path::new(&e.location),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, bytes: &[u8]) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, bytes).unwrap();
    }

    fn all(inputs: &[PathBuf]) -> Vec<Result<Document, InputError>> {
        documents(inputs).collect()
    }

    fn ok(item: &Result<Document, InputError>) -> &Document {
        item.as_ref().expect("a document")
    }

    fn err(item: &Result<Document, InputError>) -> &InputError {
        item.as_ref().expect_err("an error")
    }

    fn name(path: &Path) -> String {
        path.display().to_string()
    }

    fn stream(bytes: &'static [u8]) -> Vec<Result<Document, InputError>> {
        read_stream(bytes, "-").collect()
    }

    #[test]
    fn txt_file_is_one_document_with_its_exact_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        let text = "  Shelling in Kharkiv.\r\n\r\nMore near Lyman.  \n\n";
        write(&path, text.as_bytes());
        let docs = all(std::slice::from_ref(&path));
        assert_eq!(docs.len(), 1);
        let doc = ok(&docs[0]);
        assert_eq!(doc.text, text);
        assert_eq!(doc.id, name(&path));
        assert_eq!(doc.source, name(&path));
        assert_eq!((&doc.date, &doc.title, &doc.url), (&None, &None, &None));
        assert!(doc.warnings.is_empty());
    }

    #[test]
    fn md_file_is_one_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.md");
        write(&path, "# Avdiivka\n\n* {not json}\n".as_bytes());
        let docs = all(std::slice::from_ref(&path));
        assert_eq!(docs.len(), 1);
        assert_eq!(ok(&docs[0]).text, "# Avdiivka\n\n* {not json}\n");
        assert_eq!(ok(&docs[0]).id, name(&path));
    }

    #[test]
    fn jsonl_ids_optional_fields_blank_and_malformed_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.jsonl");
        let lines = [
            r#"{"id": "a1", "text": " one ", "date": "2024-03-02", "title": "T", "url": "https://x.test/1", "lang": "en"}"#,
            r#"{"id": 42, "text": "two", "date": null}"#,
            r#"{"id": "broken", "text": "thr"#,
            "   ",
            r#"{"text": "five"}"#,
            r#"["not", "an", "object"]"#,
            r#"{"id": "no-text"}"#,
            r#"{"id": "n", "text": 7}"#,
            r#"{"id": "a1", "text": "duplicate id"}"#,
        ];
        write(&path, (lines.join("\r\n") + "\n").as_bytes());
        let docs = all(std::slice::from_ref(&path));
        let p = name(&path);
        assert_eq!(docs.len(), 8);
        assert_eq!(
            ok(&docs[0]),
            &Document {
                id: "a1".into(),
                text: " one ".into(),
                date: Some("2024-03-02".into()),
                country: None,
                title: Some("T".into()),
                url: Some("https://x.test/1".into()),
                source: format!("{p}:1"),
                warnings: vec![],
            }
        );
        assert_eq!(
            (ok(&docs[1]).id.as_str(), ok(&docs[1]).date.as_ref()),
            ("42", None)
        );
        let broken = err(&docs[2]);
        assert_eq!(broken.location, format!("{p}:3"));
        assert!(
            broken
                .message
                .starts_with("invalid JSON: EOF while parsing"),
            "{broken}"
        );
        assert!(!broken.message.contains("line 1"), "{broken}");
        // Line 4 is blank; line 5 has no id, so its location is its id.
        assert_eq!(ok(&docs[3]).id, format!("{p}:5"));
        assert_eq!(ok(&docs[3]).source, format!("{p}:5"));
        assert_eq!(err(&docs[4]).location, format!("{p}:6"));
        assert!(
            err(&docs[4]).message.starts_with("not a JSON object"),
            "{}",
            err(&docs[4])
        );
        assert_eq!(
            err(&docs[5]),
            &InputError::new(format!("{p}:7"), "no `text` field")
        );
        assert_eq!(err(&docs[6]).message, "`text` is a number, not a string");
        assert_eq!(ok(&docs[7]).id, "a1");
    }

    #[test]
    fn jsonl_fields_of_the_wrong_type_warn_and_keep_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd.jsonl");
        let lines = [
            r#"{"id": [1], "text": "Bakhmut", "date": 20240302, "url": "u"}"#,
            r#"{"id": 1.5e3, "text": "float id"}"#,
        ];
        write(&path, lines.join("\n").as_bytes());
        let docs = all(std::slice::from_ref(&path));
        let doc = ok(&docs[0]);
        assert_eq!(
            (doc.text.as_str(), doc.url.as_deref(), doc.date.as_deref()),
            ("Bakhmut", Some("u"), None)
        );
        assert_eq!(doc.id, format!("{}:1", name(&path)));
        assert_eq!(
            doc.warnings,
            vec![
                format!(
                    "`id` is an array, not a string or number; using {}:1",
                    name(&path)
                ),
                "`date` is a number, not a string; ignored".to_string(),
            ]
        );
        assert_eq!(ok(&docs[1]).id, "1500.0");
        assert_eq!(
            ok(&docs[1]).warnings,
            ["`id` is not an integer; read as 1500.0"]
        );
    }

    #[test]
    fn directory_is_read_recursively_in_sorted_order_skipping_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        for (rel, body) in [
            ("z.txt", "z"),
            ("b.md", "b"),
            ("a.txt", "a"),
            (
                "sub/c.jsonl",
                "{\"id\": \"c1\", \"text\": \"c\"}\n{\"id\": \"c2\", \"text\": \"cc\"}\n",
            ),
            ("sub/deep/d.TXT", "d"),
            ("sub/page.xml", "<p>skipped</p>"),
            ("notes.log", "skipped"),
            ("noext", "skipped"),
            (".hidden.txt", "skipped"),
            (".git/x.txt", "skipped"),
            ("sub/.cache/y.md", "skipped"),
        ] {
            write(&root.join(rel), body.as_bytes());
        }
        let docs = all(std::slice::from_ref(&root));
        let texts: Vec<&str> = docs.iter().map(|d| ok(d).text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "cc", "d", "z"]);
        assert_eq!(ok(&docs[0]).id, name(&root.join("a.txt")));
        assert_eq!(ok(&docs[2]).id, "c1");
        assert_eq!(
            ok(&docs[3]).source,
            format!("{}:2", name(&root.join("sub/c.jsonl")))
        );
        assert_eq!(
            ok(&docs[4]).id,
            name(&root.join("sub").join("deep").join("d.TXT"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn directory_symlink_cycle_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a.txt"), b"a");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let docs = all(&[dir.path().to_path_buf()]);
        assert_eq!(docs.len(), 1);
        assert_eq!(ok(&docs[0]).text, "a");
    }

    #[test]
    fn binary_file_is_skipped_with_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (bin, jsonl) = (dir.path().join("image.txt"), dir.path().join("data.jsonl"));
        write(&bin, b"GIF89a\x00\x01\x02 text");
        write(&jsonl, b"{\"text\": \"x\"}\n\x00\x00");
        let docs = all(&[bin.clone(), jsonl.clone()]);
        assert_eq!(docs.len(), 2);
        assert_eq!(
            err(&docs[0]),
            &InputError::new(name(&bin), "looks like a binary file; skipped")
        );
        assert_eq!(err(&docs[1]).location, name(&jsonl));
    }

    #[test]
    fn empty_file_is_an_empty_document() {
        let dir = tempfile::tempdir().unwrap();
        let (txt, jsonl) = (dir.path().join("empty.txt"), dir.path().join("empty.jsonl"));
        write(&txt, b"");
        write(&jsonl, b"");
        let docs = all(&[txt.clone(), jsonl]);
        // An empty JSON Lines file holds no documents at all.
        assert_eq!(docs.len(), 1);
        assert_eq!(ok(&docs[0]).text, "");
        assert_eq!(ok(&docs[0]).id, name(&txt));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_with_its_byte_offset() {
        let dir = tempfile::tempdir().unwrap();
        let (txt, jsonl) = (
            dir.path().join("latin1.txt"),
            dir.path().join("latin1.jsonl"),
        );
        write(&txt, b"Kyiv caf\xe9 and \xff");
        write(&jsonl, b"{\"text\": \"\xe9t\xe9\"}\n");
        let docs = all(&[txt, jsonl]);
        let doc = ok(&docs[0]);
        assert_eq!(doc.text, "Kyiv caf\u{FFFD} and \u{FFFD}");
        assert_eq!(
            doc.warnings,
            ["invalid UTF-8 at byte offset 8 replaced with U+FFFD"]
        );
        let line = ok(&docs[1]);
        assert_eq!(line.text, "\u{FFFD}t\u{FFFD}");
        assert_eq!(
            line.warnings,
            ["invalid UTF-8 at byte offset 10 of the line replaced with U+FFFD"]
        );
    }

    #[test]
    fn missing_path_is_an_error_and_the_next_input_is_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let (missing, present) = (
            dir.path().join("missing.txt"),
            dir.path().join("present.txt"),
        );
        write(&present, b"still here");
        let docs = all(&[missing.clone(), present]);
        assert_eq!(docs.len(), 2);
        assert_eq!(err(&docs[0]).location, name(&missing));
        assert!(!err(&docs[0]).message.is_empty());
        assert_eq!(ok(&docs[1]).text, "still here");
    }

    #[test]
    fn unknown_extension_given_explicitly_is_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        let (xml, log) = (dir.path().join("page.xml"), dir.path().join("feed.log"));
        write(&xml, b"<p>Zherebets</p>");
        write(&log, b"{\"text\": \"stays text\"}\n");
        let docs = all(&[xml, log]);
        assert_eq!(ok(&docs[0]).text, "<p>Zherebets</p>");
        assert_eq!(ok(&docs[1]).text, "{\"text\": \"stays text\"}\n");
    }

    #[test]
    fn mixed_inputs_keep_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(&d.join("one.txt"), b"1");
        write(&d.join("folder/two.md"), b"2");
        write(&d.join("folder/three.txt"), b"3");
        write(
            &d.join("four.jsonl"),
            b"{\"text\": \"4\"}\n{\"text\": \"5\"}\n",
        );
        let inputs = [
            d.join("four.jsonl"),
            d.join("folder"),
            d.join("nope.md"),
            d.join("one.txt"),
        ];
        let docs = all(&inputs);
        let seen: Vec<String> = docs
            .iter()
            .map(|d| match d {
                Ok(doc) => doc.text.clone(),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(seen.len(), 6);
        assert_eq!(&seen[..4], ["4", "5", "3", "2"]);
        assert!(seen[4].starts_with(&format!("{}: ", name(&d.join("nope.md")))));
        assert_eq!(seen[5], "1");
    }

    #[test]
    fn stream_of_json_lines_numbers_lines_from_the_start() {
        let docs = stream(b"\n  \n{\"id\": 7, \"text\": \"Kupiansk\"}\n{\"text\": \"no id\"}\nnot json\n{\"id\": \"x\", \"text\": \"last\"}");
        assert_eq!(docs.len(), 4);
        assert_eq!(
            (ok(&docs[0]).id.as_str(), ok(&docs[0]).source.as_str()),
            ("7", "-:3")
        );
        assert_eq!(ok(&docs[1]).id, "-:4");
        assert_eq!(err(&docs[2]).location, "-:5");
        assert_eq!(ok(&docs[3]).text, "last");
    }

    #[test]
    fn stream_with_byte_order_mark_is_still_json_lines() {
        let docs = stream(b"\xEF\xBB\xBF{\"id\": \"b\", \"text\": \"Soledar\"}\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(ok(&docs[0]).id, "b");
        assert!(ok(&docs[0]).warnings.is_empty());
    }

    #[test]
    fn stream_of_plain_text_is_one_document_kept_exactly() {
        let docs = stream(b"  \n Chasiv Yar {not json}\n");
        assert_eq!(docs.len(), 1);
        let doc = ok(&docs[0]);
        assert_eq!((doc.id.as_str(), doc.source.as_str()), ("-", "-"));
        assert_eq!(doc.text, "  \n Chasiv Yar {not json}\n");
    }

    #[test]
    fn stream_edge_cases_empty_binary_and_invalid_utf8() {
        assert_eq!(ok(&stream(b"")[0]).text, "");
        assert_eq!(ok(&stream(b" \n")[0]).text, " \n");
        assert_eq!(
            err(&stream(b"ab\x00cd")[0]).message,
            "looks like a binary file; skipped"
        );
        let lossy = stream(b"Lyman \xc3");
        assert_eq!(ok(&lossy[0]).text, "Lyman \u{FFFD}");
        assert_eq!(
            ok(&lossy[0]).warnings,
            ["invalid UTF-8 at byte offset 6 replaced with U+FFFD"]
        );
    }

    #[test]
    fn long_whitespace_before_the_first_byte_is_kept() {
        // Larger than BufReader's buffer, so peeking must read past the first fill.
        let mut bytes = vec![b' '; 20_000];
        bytes.extend_from_slice(b"Avdiivka");
        let docs: Vec<_> = read_stream(
            BufReader::with_capacity(64, Cursor::new(bytes.clone())),
            "-",
        )
        .collect();
        assert_eq!(ok(&docs[0]).text.as_bytes(), bytes.as_slice());
    }

    #[test]
    fn documents_iterator_is_send_and_errors_display_their_location() {
        fn is_send<T: Send>(_: &T) {}
        is_send(&documents(&[]));
        assert_eq!(
            InputError::new("a.jsonl:3", "no `text` field").to_string(),
            "a.jsonl:3: no `text` field"
        );
    }
}
