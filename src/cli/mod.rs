//! Command-line interface: one file per subcommand. Exit status: 0 all well, 1 some items failed,
//! 2 usage or fatal error.

mod gazetteer;
mod lookup;
mod map;
mod places;
#[cfg(feature = "serve")]
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::IsTerminal;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use geoevents::batch::Outcome;
use geoevents::input::{self, Columns, Document};
use geoevents::run::Settings;
use geoevents::theatre::{Near, Prior};
use geoevents::Gazetteer;
use indicatif::{ProgressBar, ProgressStyle};

/// The exit codes, shown under every command's help.
const EXIT_CODES: &str = "Exit status: 0 all well; 1 some items failed (each named on stderr, the \
rest written); 2 usage or fatal error; 130 stopped by Ctrl-C, SIGTERM or SIGHUP.";

/// Turn news text into maps: find the places a report names and resolve them against GeoNames.
#[derive(Debug, Parser)]
#[command(
    name = "geoevents",
    version,
    about,
    max_term_width = 100,
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// Gazetteer index to use (built with `geoevents gazetteer build`); defaults to the embedded one
    #[arg(long, global = true, env = "GEOEVENTS_GAZETTEER", value_name = "FILE")]
    pub gazetteer: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or inspect a gazetteer index
    #[command(subcommand, after_help = EXIT_CODES)]
    Gazetteer(gazetteer::GazetteerCommand),
    /// Look up place names, best match first
    #[command(after_help = EXIT_CODES)]
    Lookup(lookup::LookupArgs),
    /// List every place a document names, resolved against the gazetteer
    #[command(after_help = EXIT_CODES)]
    Places(places::PlacesArgs),
    /// Turn reports into event layers (GeoJSON, GeoJSON sequence, CSV or a GeoPackage) with a QGIS
    /// style, or a map page (HTML)
    #[command(after_help = EXIT_CODES)]
    Map(map::MapArgs),
    /// Serve lookups, places and event layers over HTTP, with a live map page, on this machine
    #[cfg(feature = "serve")]
    #[command(after_help = EXIT_CODES)]
    Serve(serve::ServeArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Gazetteer(cmd) => gazetteer::run(cmd, cli.gazetteer.as_deref()),
        Command::Lookup(args) => lookup::run(args, cli.gazetteer.as_deref()),
        Command::Places(args) => places::run(args, cli.gazetteer.as_deref()),
        Command::Map(args) => map::run(args, cli.gazetteer.as_deref()),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args, cli.gazetteer.as_deref()),
    }
}

/// A gazetteer opened from a file, or the embedded default.
pub enum OpenGazetteer {
    File(Box<Gazetteer>),
    Embedded(&'static Gazetteer),
}

impl std::ops::Deref for OpenGazetteer {
    type Target = Gazetteer;
    fn deref(&self) -> &Gazetteer {
        match self {
            OpenGazetteer::File(g) => g,
            OpenGazetteer::Embedded(g) => g,
        }
    }
}

/// Opens `--gazetteer FILE` (or `GEOEVENTS_GAZETTEER`), else the embedded default.
pub fn open_gazetteer(path: Option<&Path>) -> anyhow::Result<OpenGazetteer> {
    match path {
        // The library's errors already name the file.
        Some(p) => Ok(OpenGazetteer::File(Box::new(Gazetteer::open(p)?))),
        None => Ok(OpenGazetteer::Embedded(geoevents::embedded::gazetteer()?)),
    }
}

/// How `places` and `map` read many documents.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Worker threads; 0 uses one per core
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// CSV inputs: the column holding each document's text
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// CSV inputs: the column holding each document's id (else `file:line`)
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_column: String,
    /// CSV inputs: the column holding each document's date (YYYY-MM-DD)
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_column: String,
    /// CSV inputs: the column holding each document's country (an ISO code or a name), if any
    #[arg(long, default_value = "country", value_name = "NAME")]
    pub country_column: String,
    /// The documents' language (en, uk, ru), reported as `lang`/`x_lang`; by default each
    /// document's JSONL `lang`, else the one most of its letters are in. Recognition reads each
    /// word by its script whatever this says
    #[arg(long, value_name = "LANG", value_parser = clap::value_parser!(geoevents::lang::Lang))]
    pub lang: Option<geoevents::lang::Lang>,
    /// No progress bar, even on a terminal
    #[arg(long)]
    pub no_progress: bool,
    /// The documents are about these countries (ISO 3166 alpha-2, comma-separated): their places
    /// are preferred among a name's readings, never required. A JSONL `country` or the CSV
    /// country column adds a document's own
    #[arg(long, value_delimiter = ',', value_name = "CC[,CC]")]
    pub country: Vec<String>,
    /// The documents are about the area around this point (degrees; KM defaults to 100): places
    /// there are preferred among a name's readings, never required
    #[arg(long, value_name = "LAT,LON[,KM]", value_parser = Near::parse, allow_hyphen_values = true)]
    pub near: Option<Near>,
    /// Do not draw the batch's theatre (the first documents' unambiguous places, which ambiguous
    /// names lean towards)
    #[arg(long)]
    pub no_theatre: bool,
    /// The longest JSON Lines line (skipped when longer) and CSV row (ends its file when longer)
    /// read, in MB (2^20 bytes): either is reported as `file:line`, never held in memory whole
    #[arg(long, default_value_t = geoevents::input::DEFAULT_MAX_LINE_MB as u64, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_line_mb: u64,
    /// The largest .html/.htm input read, in MB (2^20 bytes): HTML is read whole to find its
    /// markup, so a larger file is reported and skipped
    #[arg(long, default_value_t = geoevents::input::DEFAULT_MAX_HTML_MB as u64, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_html_mb: u64,
}

impl BatchArgs {
    /// The run's settings from `--country`, `--near`, `--no-theatre` and `--lang`, checked.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let countries = self
            .country
            .iter()
            .map(|c| country_code("--country", c))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Settings {
            prior: Prior {
                countries,
                near: self.near,
                theatre: None,
            },
            theatre: !self.no_theatre,
            lang: self.lang,
            ..Settings::default()
        })
    }
}

/// Runs `work` on every document of `inputs` in parallel and hands each result to `sink` in input
/// order (`geoevents::run::each_document`, which gives each its prior and draws the batch's
/// theatre). A long plain-text document comes as several parts (`Document::part`), in order.
/// Unreadable inputs and documents are told on stderr and counted in `failed`; a progress bar
/// (documents, MB/s, ETA) shows on stderr when it is a terminal.
pub fn each_document<T: Send>(
    gaz: &Gazetteer,
    inputs: &[PathBuf],
    batch: &BatchArgs,
    settings: &Settings,
    failed: &mut u64,
    work: impl Fn(&Document, &Prior) -> T + Sync,
    mut sink: impl FnMut(Document, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let pool = geoevents::batch::pool(batch.threads).context("cannot start worker threads")?;
    let options = input::Options {
        columns: Columns {
            text: batch.text_column.clone(),
            id: batch.id_column.clone(),
            date: batch.date_column.clone(),
            country: batch.country_column.clone(),
        },
        max_line_bytes: (batch.max_line_mb as usize) << 20,
        max_html_bytes: (batch.max_html_mb as usize) << 20,
    };
    let bar = progress(inputs, batch.no_progress);
    let docs = input::read(inputs, options);
    let mut count = 0u64;
    let result = geoevents::run::each_document(gaz, &pool, docs, settings, work, |outcome| {
        match outcome {
            Outcome::Done(doc, t) => {
                for w in &doc.warnings {
                    bar.suspend(|| eprintln!("geoevents: warning: {}: {w}", doc.source));
                }
                // A long plain-text document comes in parts; it counts once.
                count += u64::from(doc.is_last_part());
                bar.inc(doc.text.len() as u64);
                bar.set_message(format!("{count} documents"));
                sink(doc, t)
            }
            // Skipped on purpose (a FIFO inside a directory): told, not failed.
            Outcome::Unreadable(e) if e.warning => {
                bar.suspend(|| eprintln!("geoevents: warning: {}: {}", e.location, e.message));
                Ok(())
            }
            Outcome::Unreadable(e) => {
                bar.suspend(|| eprintln!("geoevents: error: {}: {}", e.location, e.message));
                *failed += 1;
                Ok(())
            }
        }
    });
    bar.finish_and_clear();
    result
}

/// A progress bar over the inputs' bytes when stderr is a terminal, else a hidden one.
fn progress(inputs: &[PathBuf], off: bool) -> ProgressBar {
    if off || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs.iter().map(|p| size_of(p)).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg}  {bytes}/{total_bytes}  {binary_bytes_per_sec}  ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Bytes under `path` (a file, or a directory's files); 0 for standard input.
fn size_of(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// A closed stdout (`geoevents ... | head`) ends the run quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            // serde_json wraps the write error in its own type.
            || c.downcast_ref::<serde_json::Error>().is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}

/// An ISO 3166 alpha-2 code from a flag's value, upper-cased.
pub fn country_code(flag: &str, value: &str) -> anyhow::Result<String> {
    let c = value.trim().to_ascii_uppercase();
    if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        anyhow::bail!("{flag}: `{c}` is not a two-letter ISO country code such as UA");
    }
    Ok(c)
}

/// `12345678` as `12,345,678`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Refuses to write `output` when it is one of the `inputs` (a page named like an `.html` input,
/// `-o report.html report.html`): the run would replace what it reads.
pub fn refuse_to_overwrite_an_input(output: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let Ok(out) = std::fs::canonicalize(output) else {
        // Not there yet: no input can be it.
        return Ok(());
    };
    if inputs
        .iter()
        .any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == out))
    {
        anyhow::bail!(
            "{} is an input: writing there would replace it; choose another output (-o)",
            output.display()
        );
    }
    Ok(())
}

/// The inputs' names for a title: `a.txt, b.jsonl` (three at the most, then `…`), `standard
/// input` for `-`.
pub fn inputs_named(inputs: &[PathBuf]) -> String {
    let mut names: Vec<String> = inputs
        .iter()
        .take(3)
        .map(|i| match i.file_name() {
            _ if i.as_os_str() == "-" => "standard input".to_string(),
            Some(n) => n.to_string_lossy().into_owned(),
            None => i.display().to_string(),
        })
        .collect();
    if inputs.len() > 3 {
        names.push("…".into());
    }
    names.join(", ")
}

/// Writes a page to `path` through a temporary file and a rename, or to standard output (None).
pub fn write_page(path: Option<&Path>, page: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        Some(path) => geoevents::layers::write_atomic(path, page.as_bytes())
            .with_context(|| format!("cannot write the page at {}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(page.as_bytes())?;
            Ok(out.flush()?)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(12345678), "12,345,678");
    }
}
