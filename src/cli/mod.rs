//! Command-line interface: one file per subcommand. Exit status: 0 all well, 1 some items failed,
//! 2 usage or fatal error.

mod gazetteer;
mod lookup;
mod map;
mod places;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::IsTerminal;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use geoevents::batch::Outcome;
use geoevents::input::{documents_with, Columns, Document};
use geoevents::Gazetteer;
use indicatif::{ProgressBar, ProgressStyle};

/// Turn news text into maps: find the places a report names and resolve them against GeoNames.
#[derive(Debug, Parser)]
#[command(name = "geoevents", version, about, max_term_width = 100)]
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
    #[command(subcommand)]
    Gazetteer(gazetteer::GazetteerCommand),
    /// Look up place names, best match first
    Lookup(lookup::LookupArgs),
    /// List every place a document names, resolved against the gazetteer
    Places(places::PlacesArgs),
    /// Turn reports into event layers (GeoJSON, GeoJSON sequence or CSV) with a QGIS style
    Map(map::MapArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Gazetteer(cmd) => gazetteer::run(cmd, cli.gazetteer.as_deref()),
        Command::Lookup(args) => lookup::run(args, cli.gazetteer.as_deref()),
        Command::Places(args) => places::run(args, cli.gazetteer.as_deref()),
        Command::Map(args) => map::run(args, cli.gazetteer.as_deref()),
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
    /// No progress bar, even on a terminal
    #[arg(long)]
    pub no_progress: bool,
}

/// Runs `work` on every document of `inputs` in parallel and hands each result to `sink` in input
/// order. Unreadable inputs and documents are told on stderr and counted in `failed`; a progress
/// bar (documents, MB/s, ETA) shows on stderr when it is a terminal.
pub fn each_document<T: Send>(
    inputs: &[PathBuf],
    batch: &BatchArgs,
    failed: &mut u64,
    work: impl Fn(&Document) -> T + Sync,
    mut sink: impl FnMut(Document, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let pool = geoevents::batch::pool(batch.threads).context("cannot start worker threads")?;
    let columns = Columns {
        text: batch.text_column.clone(),
        id: batch.id_column.clone(),
        date: batch.date_column.clone(),
    };
    let bar = progress(inputs, batch.no_progress);
    let docs = documents_with(inputs, columns);
    let mut count = 0u64;
    let result = geoevents::batch::run(&pool, docs, work, |outcome| match outcome {
        Outcome::Done(doc, t) => {
            for w in &doc.warnings {
                bar.suspend(|| eprintln!("geoevents: warning: {}: {w}", doc.source));
            }
            count += 1;
            bar.inc(doc.text.len() as u64);
            bar.set_message(format!("{count} documents"));
            sink(doc, t)
        }
        Outcome::Unreadable(e) => {
            bar.suspend(|| eprintln!("geoevents: error: {}: {}", e.location, e.message));
            *failed += 1;
            Ok(())
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
