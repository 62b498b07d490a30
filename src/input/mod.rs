//! Document input for `places` and `map`: text, Markdown and HTML files, JSON Lines, CSV,
//! directories and standard input, streamed one document at a time. Bad input becomes an [`InputError`] naming the
//! file (and line) and the run goes on with the next item; nothing here panics, and memory stays
//! bounded whatever the input:
//!
//! - a plain-text document (a file, or standard input) is read as it streams, in parts of about
//!   [`PART_BYTES`] cut where `window` cuts its windows (a line break, else a space), each part a
//!   [`Document`] of its own whose [`Part`] says where it lies in the whole;
//! - a JSON Lines line longer than the limit (`Options::max_line_bytes`, `--max-line-mb`) is read
//!   past, not into memory, and reported as `file:line: line too long (...)`; a CSV row longer
//!   than it ends its file with an error naming its line;
//! - an HTML file, read whole to find its markup, is read only up to `Options::max_html_bytes`
//!   (`--max-html-mb`): a larger one is skipped with an error naming it.
//!
//! Every input is decoded as ripgrep does, with `encoding_rs_io`: a UTF-16 file with its byte
//! order mark (LE or BE) is transcoded to UTF-8, a UTF-8 byte order mark is dropped, and anything
//! else is read as UTF-8 (invalid sequences become U+FFFD, the first one reported with its byte
//! offset, counted after any byte order mark).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::iter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use serde_json::{error::Category, value::RawValue, Value};

use crate::window::{self, WINDOW_BYTES};

/// Bytes inspected for a NUL byte to tell a binary file, as git and grep do.
const SNIFF_LEN: u64 = 8192;
/// A UTF-8 byte order mark, which some Windows tools put before JSON Lines.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// The only files taken from a directory; a file named explicitly may have any extension.
const DIR_EXTENSIONS: [&str; 6] = ["txt", "md", "jsonl", "csv", "html", "htm"];
/// A long plain-text document is read in parts of about this many bytes of text (at most this,
/// unless a single window is longer): whole windows (see `window`), so each part's windows are
/// the windows the whole document would have.
pub const PART_BYTES: usize = 1 << 20;
/// Bytes read from a stream at a time.
const BLOCK_BYTES: usize = 64 << 10;
/// How much of a document's first line a later part carries, for its dateline.
const OPENING_BYTES: usize = 1024;
/// The default longest JSON Lines line (and `lookup --batch` line), in MB of 2^20 bytes.
pub const DEFAULT_MAX_LINE_MB: usize = 64;
/// The default largest HTML file, in MB of 2^20 bytes: HTML is read whole to find its markup.
pub const DEFAULT_MAX_HTML_MB: usize = 256;
const MB: u64 = 1 << 20;

mod html;
mod table;

pub use html::strip as strip_html;
pub use table::Columns;

/// One document to geoparse, or one part of a long plain-text document.
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
    /// The language its JSONL `lang` names (`en`, `uk`, `ru`); else it is detected.
    pub lang: Option<crate::lang::Lang>,
    /// Where it came from, for messages: `path` or `path:line`.
    pub source: String,
    /// Problems that did not stop the document from being read, e.g.
    /// `invalid UTF-8 at byte offset 12 replaced with U+FFFD`.
    pub warnings: Vec<String>,
    /// Where `text` lies in the whole document: all of it (the default), or one of its parts.
    pub part: Part,
}

/// Which part of its document a [`Document`]'s text is. A long plain-text document comes as
/// several `Document`s with the same `id`, in order: `index` 0, 1, ..., the last with `more`
/// false. Offsets into a part's text plus `char_offset` are offsets into the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    /// 0 for the first (or only) part.
    pub index: usize,
    /// Characters of the document before this part.
    pub char_offset: usize,
    /// Parts of the same document follow.
    pub more: bool,
    /// For a part after the first: the document's first line (up to 1 KB), where a dateline is.
    pub head: Option<Arc<str>>,
}

/// How much of a document its language is told from.
const DETECT_BYTES: usize = 64 << 10;

impl Document {
    /// Plain text named `name` (its id and source), with no date, country or language of its
    /// own: a text file's document, or `part` of it.
    pub fn plain(name: &str, text: String, part: Part) -> Document {
        Document {
            id: name.to_string(),
            text,
            date: None,
            country: None,
            title: None,
            url: None,
            lang: None,
            source: name.to_string(),
            warnings: Vec::new(),
            part,
        }
    }

    /// The start of the whole document (for a later part, its first line): what a dateline is
    /// read from.
    pub fn opening(&self) -> &str {
        self.part.head.as_deref().unwrap_or(&self.text)
    }

    /// Its language: `forced` (`--lang`), else its JSONL `lang`, else the one most letters of its
    /// opening 64 KB are in (every part of a long document gets its first part's).
    pub fn language(&self, forced: Option<crate::lang::Lang>) -> crate::lang::Lang {
        forced.or(self.lang).unwrap_or_else(|| {
            crate::lang::detect(crate::window::head(self.opening(), DETECT_BYTES))
        })
    }

    /// The last (or only) part of its document.
    pub fn is_last_part(&self) -> bool {
        !self.part.more
    }
}

/// A document that could not be read, or an item skipped on purpose; the run goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// `path`, `path:line`, or `-:line`.
    pub location: String,
    pub message: String,
    /// Only a warning: the item was skipped on purpose (a FIFO found in a directory), nothing
    /// failed.
    pub warning: bool,
}

impl InputError {
    fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            location: location.into(),
            message: message.into(),
            warning: false,
        }
    }

    fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            warning: true,
            ..InputError::new(location, message)
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InputError {}

/// How inputs are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Which columns of CSV inputs hold what.
    pub columns: Columns,
    /// The longest JSON Lines line read, in bytes; a longer one is skipped with an error. Also the
    /// longest CSV row: a longer one ends its file with an error.
    pub max_line_bytes: usize,
    /// The largest HTML file read, in bytes (it is read whole, and its markup then blanked out,
    /// which holds about three times its size); a larger one is skipped with an error.
    pub max_html_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            columns: Columns::default(),
            max_line_bytes: DEFAULT_MAX_LINE_MB << 20,
            max_html_bytes: DEFAULT_MAX_HTML_MB << 20,
        }
    }
}

/// Every document of `inputs`, in order: files in the order given, a directory's files sorted by
/// path (recursively; only .txt, .md, .jsonl, .csv, .html, .htm files; hidden files and
/// directories skipped, and so are FIFOs, sockets and devices, with a warning).
///
/// `-` is standard input: JSON Lines when its first non-whitespace byte is `{`, else one plain-text
/// document. A `.jsonl` file is JSON Lines; any other file given explicitly is plain text (a FIFO
/// named explicitly is read too: opening it waits for a writer).
/// Files are opened only when the iterator reaches them, and JSON Lines are read line by line.
pub fn documents(inputs: &[PathBuf]) -> impl Iterator<Item = Result<Document, InputError>> {
    read(inputs, Options::default())
}

/// As [`documents`], with CSV files' text, id and date read from `columns`. A `.csv` file is one
/// document per row; an `.html` or `.htm` file one document with its tags blanked out (see
/// `html`: character offsets into the text are offsets into the file).
pub fn documents_with(
    inputs: &[PathBuf],
    columns: Columns,
) -> impl Iterator<Item = Result<Document, InputError>> {
    read(
        inputs,
        Options {
            columns,
            ..Options::default()
        },
    )
}

/// As [`documents`], read as `options` say.
pub fn read(
    inputs: &[PathBuf],
    options: Options,
) -> impl Iterator<Item = Result<Document, InputError>> {
    Documents {
        pending: inputs.iter().cloned().map(Ok).collect(),
        current: Box::new(iter::empty()),
        stdin_read: false,
        options,
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
    options: Options,
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

/// `reader` decoded as ripgrep decodes: UTF-16 (LE or BE, told by its byte order mark) becomes
/// UTF-8, a UTF-8 byte order mark is dropped, any other bytes pass as they are.
fn decoded<R: Read>(reader: R) -> DecodeReaderBytes<R, Vec<u8>> {
    DecodeReaderBytesBuilder::new()
        .utf8_passthru(true)
        .strip_bom(true)
        .build(reader)
}

impl Documents {
    fn open(&mut self, path: &Path) -> Items {
        let name = path.display().to_string();
        let fail = |e: io::Error| -> Items { one(Err(io_error(&name, e))) };
        let max_line = self.options.max_line_bytes;
        if path.as_os_str() == "-" {
            if std::mem::replace(&mut self.stdin_read, true) {
                let message = "standard input given more than once; it was read the first time";
                return one(Err(InputError::new(name, message)));
            }
            return read_stream(BufReader::new(decoded(io::stdin())), "-", max_line);
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
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return fail(e),
        };
        let mut file = decoded(file);
        if has_extension(path, "html") || has_extension(path, "htm") {
            return match read_whole(file, &name, self.options.max_html_bytes) {
                Ok((text, warnings)) => {
                    let text = html::strip(&text);
                    text_parts(Cursor::new(text.into_bytes()), name, warnings)
                }
                Err(e) => one(Err(e)),
            };
        }
        let table = has_extension(path, "csv");
        if !table && !has_extension(path, "jsonl") {
            return text_parts(file, name, Vec::new());
        }
        match sniff(&mut file) {
            Err(e) => fail(e),
            Ok(head) if head.contains(&0) => one(Err(binary(name))),
            Ok(head) if table => table::csv_rows(
                Cursor::new(head).chain(BufReader::new(file)),
                name,
                &self.options.columns,
                max_line,
            ),
            Ok(head) => json_lines(
                Cursor::new(head).chain(BufReader::new(file)),
                name,
                max_line,
            ),
        }
    }
}

/// The documents of bytes held in memory (an HTTP request's body, named `name` as standard input
/// is named `-`), read as a stream is: JSON Lines (one document per line, each line's problems
/// its own) when `json_lines`, else one whole plain-text document. UTF-16 with a byte order mark
/// is decoded and a UTF-8 one dropped; invalid UTF-8 is replaced with U+FFFD and named in the
/// document's warnings; text with NUL bytes in its first 8 KB is refused as binary.
pub fn from_bytes(
    bytes: Vec<u8>,
    name: &str,
    json_lines: bool,
    max_line: usize,
) -> Vec<Result<Document, InputError>> {
    if json_lines {
        return self::json_lines(
            BufReader::new(decoded(Cursor::new(bytes))),
            name.into(),
            max_line,
        )
        .collect();
    }
    let mut text = Vec::with_capacity(bytes.len());
    if let Err(e) = decoded(Cursor::new(bytes)).read_to_end(&mut text) {
        return vec![Err(io_error(name, e))];
    }
    if text[..text.len().min(SNIFF_LEN as usize)].contains(&0) {
        return vec![Err(binary(name))];
    }
    let mut warnings = Vec::new();
    let text = decode(text, "", &mut warnings);
    vec![Ok(Document {
        warnings,
        ..Document::plain(name, text, Part::default())
    })]
}

fn one(item: Result<Document, InputError>) -> Items {
    Box::new(iter::once(item))
}

/// The documents of a byte stream named `name` (standard input is `-`): JSON Lines when its first
/// non-whitespace byte (after any byte order mark) is `{`, else one plain-text document.
/// The stream is read once; the bytes peeked at are put back in front of it.
fn read_stream<R: BufRead + Send + 'static>(mut reader: R, name: &str, max_line: usize) -> Items {
    let (prefix, first) = match peek_first(&mut reader) {
        Ok(peeked) => peeked,
        Err(e) => return one(Err(io_error(name, e))),
    };
    let whole = Cursor::new(prefix).chain(reader);
    if first == Some(b'{') {
        json_lines(whole, name.to_string(), max_line)
    } else {
        text_parts(whole, name.to_string(), Vec::new())
    }
}

/// Consumes leading whitespace (and a byte order mark), returning it and the byte after it.
/// Whitespace past a part's length stops the peek: such a stream is plain text.
fn peek_first(reader: &mut impl BufRead) -> io::Result<(Vec<u8>, Option<u8>)> {
    let mut prefix = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() || prefix.len() > PART_BYTES {
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

/// A whole stream as text (for HTML, whose markup is read at once), with the warnings decoding
/// gave; a stream over `max` bytes is an error, read no further.
fn read_whole(
    mut reader: impl Read,
    name: &str,
    max: usize,
) -> Result<(String, Vec<String>), InputError> {
    let failed = |e| io_error(name, e);
    // Look before reading everything, so a large binary file given by mistake is not loaded.
    let mut bytes = sniff(&mut reader).map_err(failed)?;
    if bytes.contains(&0) {
        return Err(binary(name));
    }
    let room = (max as u64 + 1).saturating_sub(bytes.len() as u64);
    reader.take(room).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() > max {
        let message = format!(
            "HTML over {} MB, which is read whole to find its markup; skipped (raise the limit \
             with --max-html-mb, or give its text as a .txt file)",
            max as u64 / MB
        );
        return Err(InputError::new(name, message));
    }
    let mut warnings = Vec::new();
    let text = decode(bytes, "", &mut warnings);
    Ok((text, warnings))
}

/// One plain-text document: the whole stream, exactly, untrimmed (later offsets index into it),
/// read as it streams, in parts (see [`Part`]). An empty stream is one empty document.
fn text_parts(
    mut reader: impl Read + Send + 'static,
    name: String,
    warnings: Vec<String>,
) -> Items {
    // Look before reading on, so a large binary file given by mistake is not read.
    let head = match sniff(&mut reader) {
        Ok(head) => head,
        Err(e) => return one(Err(io_error(&name, e))),
    };
    if head.contains(&0) {
        return one(Err(binary(name)));
    }
    let mut parts = TextParts {
        reader: Box::new(reader),
        name,
        raw: head,
        text: String::new(),
        eof: false,
        decoded_bytes: 0,
        bad_utf8: false,
        warnings,
        error: None,
        index: 0,
        chars: 0,
        head: None,
        done: false,
    };
    parts.decode();
    Box::new(parts)
}

/// A plain-text stream in parts of about `PART_BYTES`, decoded as it comes.
struct TextParts {
    reader: Box<dyn Read + Send>,
    name: String,
    /// Bytes read and not yet decoded: the start of a character the next read completes.
    raw: Vec<u8>,
    /// Text decoded and not yet given out.
    text: String,
    eof: bool,
    /// Bytes decoded so far, for the offset of invalid UTF-8.
    decoded_bytes: u64,
    bad_utf8: bool,
    warnings: Vec<String>,
    /// A read that failed: told after the text read before it.
    error: Option<InputError>,
    index: usize,
    /// Characters given out so far.
    chars: usize,
    head: Option<Arc<str>>,
    done: bool,
}

impl TextParts {
    /// Reads until a part and the window after it are decoded, or the stream ends.
    fn fill(&mut self) {
        let mut block = vec![0; BLOCK_BYTES];
        while !self.eof && self.text.len() <= PART_BYTES + WINDOW_BYTES {
            match self.reader.read(&mut block) {
                Ok(0) => self.eof = true,
                Ok(n) => self.raw.extend_from_slice(&block[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(io_error(&self.name, e));
                }
            }
            self.decode();
        }
    }

    /// Moves the complete characters of `raw` to `text`, invalid UTF-8 as U+FFFD (the first one
    /// reported by its byte offset), as `String::from_utf8_lossy` would on the whole stream.
    fn decode(&mut self) {
        let mut start = 0;
        while start < self.raw.len() {
            let rest = &self.raw[start..];
            let (valid, bad) = match std::str::from_utf8(rest) {
                Ok(_) => (rest.len(), None),
                Err(e) => (e.valid_up_to(), Some(e.error_len())),
            };
            self.text.push_str(&String::from_utf8_lossy(&rest[..valid]));
            start += valid;
            let skip = match bad {
                None => break,
                Some(Some(n)) => n,
                // A character cut off by the end of what was read so far.
                Some(None) if !self.eof => break,
                Some(None) => self.raw.len() - start,
            };
            if !std::mem::replace(&mut self.bad_utf8, true) {
                let at = self.decoded_bytes + start as u64;
                self.warnings.push(format!(
                    "invalid UTF-8 at byte offset {at} replaced with U+FFFD"
                ));
            }
            self.text.push('\u{FFFD}');
            start += skip;
        }
        self.decoded_bytes += start as u64;
        self.raw.drain(..start);
    }

    /// The length of the next part: whole windows up to `PART_BYTES` (one at least).
    fn part_len(&self) -> usize {
        if self.eof && self.text.len() <= PART_BYTES {
            return self.text.len();
        }
        let mut len = 0;
        while len < self.text.len() {
            let rest = &self.text[len..];
            if !self.eof && rest.len() <= WINDOW_BYTES {
                break;
            }
            let window = window::cut(rest);
            if len > 0 && len + window > PART_BYTES {
                break;
            }
            len += window;
        }
        len
    }
}

impl Iterator for TextParts {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return self.error.take().map(Err);
        }
        self.fill();
        if self.index == 0 && self.text.is_empty() && self.error.is_some() {
            self.done = true;
            return self.error.take().map(Err);
        }
        let len = self.part_len();
        let rest = self.text.split_off(len);
        let text = std::mem::replace(&mut self.text, rest);
        let more = !(self.eof && self.text.is_empty());
        self.done = !more;
        let part = Part {
            index: self.index,
            char_offset: self.chars,
            more,
            head: self.head.clone(),
        };
        if self.index == 0 && more {
            self.head = Some(Arc::from(opening(&text)));
        }
        self.index += 1;
        self.chars += text.chars().count();
        Some(Ok(Document {
            warnings: std::mem::take(&mut self.warnings),
            ..Document::plain(&self.name, text, part)
        }))
    }
}

/// The first line of `text` after leading whitespace, up to `OPENING_BYTES`.
fn opening(text: &str) -> &str {
    let line = text.trim_start().lines().next().unwrap_or("");
    crate::window::head(line, OPENING_BYTES)
}

/// What [`read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The end of the stream: nothing was read.
    End,
    /// A line, in the buffer, with its line ending.
    Read,
    /// A line longer than the limit, read past and not kept: its length in bytes.
    TooLong(u64),
}

/// The next line of `reader` into `buf` (cleared first), if it is no longer than `max` bytes
/// (without its line ending); a longer one is read to its end and dropped, so memory stays
/// bounded by `max` whatever the line's length.
pub fn read_line(
    reader: &mut (impl BufRead + ?Sized),
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let (mut total, mut over) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (n, ended) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        total += n as u64;
        if !over {
            if buf.len() + n > max + usize::from(ended) {
                over = true;
                *buf = Vec::new();
            } else {
                buf.extend_from_slice(&available[..n]);
            }
        }
        reader.consume(n);
        if ended {
            break;
        }
    }
    Ok(match (total, over) {
        (0, _) => Line::End,
        (_, false) => Line::Read,
        (n, true) => Line::TooLong(n),
    })
}

/// `line too long (N MB; limit M MB, raise with --max-line-mb)`.
pub fn too_long(bytes: u64, max: usize) -> String {
    format!(
        "line too long ({} MB; limit {} MB, raise with --max-line-mb)",
        bytes.div_ceil(MB),
        max as u64 / MB
    )
}

/// JSON Lines, one document per non-blank line, read one line at a time.
struct JsonLines {
    reader: Box<dyn BufRead + Send>,
    name: String,
    line: usize,
    buf: Vec<u8>,
    max_line: usize,
    done: bool,
}

fn json_lines(reader: impl BufRead + Send + 'static, name: String, max_line: usize) -> Items {
    Box::new(JsonLines {
        reader: Box::new(reader),
        name,
        line: 0,
        buf: Vec::new(),
        max_line,
        done: false,
    })
}

impl Iterator for JsonLines {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line += 1;
            match read_line(&mut self.reader, &mut self.buf, self.max_line) {
                Ok(Line::End) => self.done = true,
                Ok(Line::TooLong(n)) => {
                    let location = format!("{}:{}", self.name, self.line);
                    let message = format!("{}; skipped", too_long(n, self.max_line));
                    return Some(Err(InputError::new(location, message)));
                }
                Ok(Line::Read) => {
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

/// One JSON Lines record. Only a missing or non-string `text` loses the line; an optional field of
/// the wrong type is dropped with a warning so the text still gets read. Each field is kept as its
/// raw JSON first, so a number no `f64` holds (`"id": 1e400`) does not fail the line.
fn parse_line(
    json: &str,
    location: String,
    mut warnings: Vec<String>,
) -> Result<Document, InputError> {
    let mut map: HashMap<String, &RawValue> =
        serde_json::from_str(json).map_err(|e| InputError::new(&location, json_message(&e)))?;
    let text = match map.remove("text").map(|raw| (raw, string_of(raw))) {
        Some((_, Some(text))) => text,
        None => return Err(InputError::new(location, "no `text` field")),
        Some((raw, None)) => {
            let found = kind_of(raw);
            return Err(InputError::new(
                location,
                format!("`text` is {found}, not a string"),
            ));
        }
    };
    let id = match map.remove("id") {
        None => location.clone(),
        Some(raw) if raw.get() == "null" => location.clone(),
        Some(raw) => match string_of(raw) {
            Some(id) => id,
            None => {
                let json = raw.get().trim();
                let plain_integer = json
                    .strip_prefix('-')
                    .unwrap_or(json)
                    .bytes()
                    .all(|b| b.is_ascii_digit());
                if !plain_integer {
                    warnings.push(format!(
                        "`id` is {}, not a string or an integer; kept as its JSON text {json}",
                        kind_of(raw)
                    ));
                }
                json.to_string()
            }
        },
    };
    let date = take_string(&mut map, "date", &mut warnings);
    let country = take_string(&mut map, "country", &mut warnings);
    let title = take_string(&mut map, "title", &mut warnings);
    let url = take_string(&mut map, "url", &mut warnings);
    let lang = take_string(&mut map, "lang", &mut warnings).and_then(|l| {
        l.parse()
            .map_err(|e: String| warnings.push(format!("`lang`: {e}; detected instead")))
            .ok()
    });
    Ok(Document {
        id,
        text,
        date,
        country,
        title,
        url,
        lang,
        source: location,
        warnings,
        part: Part::default(),
    })
}

/// The string a raw JSON value holds, if it is one.
fn string_of(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}

fn take_string(
    map: &mut HashMap<String, &RawValue>,
    key: &str,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let raw = map.remove(key)?;
    if raw.get() == "null" {
        return None;
    }
    let found = string_of(raw);
    if found.is_none() {
        warnings.push(format!(
            "`{key}` is {}, not a string; ignored",
            kind_of(raw)
        ));
    }
    found
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

/// What kind of JSON value `raw` is, told by its first character (valid JSON: the line parsed).
fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().trim_start().bytes().next() {
        Some(b'n') => kind(&Value::Null),
        Some(b't' | b'f') => kind(&Value::Bool(true)),
        Some(b'"') => kind(&Value::String(String::new())),
        Some(b'[') => kind(&Value::Array(Vec::new())),
        Some(b'{') => "an object",
        _ => "a number",
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

/// The .txt, .md, .jsonl, .csv, .html and .htm files under `root`, sorted by path (component by
/// component), with an error in its place for each directory or file that could not be listed or
/// inspected. Hidden entries (a name starting with `.`) are skipped; symlinks are followed, and
/// each real directory is listed once, so a link back up the tree does not loop. A FIFO, socket or
/// device named like a document is never opened (a FIFO without a writer would block the run
/// forever): it is skipped with a warning.
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
                Ok(meta) if wanted => {
                    let what = special_kind(&meta);
                    found.push(Err(InputError::warning(
                        path.display().to_string(),
                        format!(
                            "{what}, not a regular file; skipped (name it on the command line to \
                             read it)"
                        ),
                    )));
                }
                // A broken link named like a document is worth a word; anything else is not ours.
                Err(e) if wanted => found.push(error(&path, e)),
                _ => {}
            }
        }
    }
    found.sort_by(|a, b| sort_key(a).cmp(sort_key(b)));
    found
}

/// What a file that is neither a regular file nor a directory is.
fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
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
        read_stream(bytes, "-", DEFAULT_MAX_LINE_MB << 20).collect()
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
                lang: Some(crate::lang::Lang::En),
                source: format!("{p}:1"),
                warnings: vec![],
                part: Part::default(),
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
        assert_eq!(doc.id, "[1]");
        assert_eq!(
            doc.warnings,
            vec![
                "`id` is an array, not a string or an integer; kept as its JSON text [1]"
                    .to_string(),
                "`date` is a number, not a string; ignored".to_string(),
            ]
        );
        assert_eq!(ok(&docs[1]).id, "1.5e3");
        assert_eq!(
            ok(&docs[1]).warnings,
            ["`id` is a number, not a string or an integer; kept as its JSON text 1.5e3"]
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
            DEFAULT_MAX_LINE_MB << 20,
        )
        .collect();
        assert_eq!(ok(&docs[0]).text.as_bytes(), bytes.as_slice());
    }

    /// A reader that gives at most `step` bytes a read, so characters are cut between reads.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn parts_of(bytes: Vec<u8>, step: usize) -> Vec<Document> {
        let reader = Trickle { bytes, at: 0, step };
        text_parts(reader, "big.txt".into(), Vec::new())
            .map(|d| d.expect("a part"))
            .collect()
    }

    #[test]
    fn a_long_text_comes_in_parts_of_whole_windows_with_their_offsets() {
        let line = "Shelling hit Kupiansk — again, officials said. ";
        let mut text = String::new();
        for k in 0.. {
            if text.len() > 3 * PART_BYTES + 12_345 {
                break;
            }
            text.push_str(line);
            if k % 50 == 0 {
                text.push('\n');
            }
        }
        let parts = parts_of(text.clone().into_bytes(), 10_000);
        assert_eq!(parts.len(), 4);
        let mut joined = String::new();
        let mut pieces = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(p.part.index, i);
            assert_eq!(p.part.char_offset, joined.chars().count());
            assert_eq!(p.part.more, i < 3);
            assert!(p.text.len() <= PART_BYTES);
            assert_eq!(p.part.head.is_some(), i > 0);
            assert_eq!(p.opening().lines().next(), text.lines().next());
            pieces.extend(window::windows(&p.text).into_iter().map(|w| w.2));
            joined.push_str(&p.text);
        }
        assert_eq!(joined, text);
        // The windows of the parts are the windows of the whole text.
        let whole: Vec<&str> = window::windows(&text).into_iter().map(|w| w.2).collect();
        assert_eq!(pieces, whole);
    }

    #[test]
    fn invalid_utf8_cut_between_reads_decodes_as_the_whole_would() {
        let mut bytes = "Kyiv café ".repeat(20).into_bytes();
        bytes.extend_from_slice(b"\xff\xe9 and ");
        bytes.extend_from_slice("Львів ".repeat(20).as_bytes());
        bytes.extend_from_slice(b"\xe2\x82");
        for step in [1, 2, 3, 7] {
            let parts = parts_of(bytes.clone(), step);
            assert_eq!(parts.len(), 1);
            assert_eq!(parts[0].text, String::from_utf8_lossy(&bytes));
            assert_eq!(
                parts[0].warnings,
                ["invalid UTF-8 at byte offset 220 replaced with U+FFFD"]
            );
        }
        assert_eq!(parts_of(Vec::new(), 1)[0].text, "");
    }

    #[test]
    fn utf16_and_bom_files_are_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let (le, bom) = (dir.path().join("le.txt"), dir.path().join("bom.jsonl"));
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Харків і Kyiv".encode_utf16().flat_map(u16::to_le_bytes));
        write(&le, &bytes);
        write(&bom, b"\xEF\xBB\xBF{\"text\": \"Lviv\"}\n");
        let docs = all(&[le, bom]);
        assert_eq!(ok(&docs[0]).text, "Харків і Kyiv");
        assert_eq!(ok(&docs[1]).text, "Lviv");
    }

    #[test]
    fn read_line_keeps_lines_up_to_the_limit_and_reads_past_longer_ones() {
        let mut reader = BufReader::with_capacity(4, Cursor::new(b"abc\nabcdefgh\nxy".to_vec()));
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 3).unwrap(), Line::Read);
        assert_eq!(buf, b"abc\n");
        assert_eq!(
            read_line(&mut reader, &mut buf, 3).unwrap(),
            Line::TooLong(9)
        );
        assert!(buf.is_empty());
        assert_eq!(read_line(&mut reader, &mut buf, 3).unwrap(), Line::Read);
        assert_eq!(buf, b"xy");
        assert_eq!(read_line(&mut reader, &mut buf, 3).unwrap(), Line::End);
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
