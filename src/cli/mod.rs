//! Command-line interface: one file per subcommand. Exit status: 0 all well, 1 some items failed,
//! 2 usage or fatal error.

mod gazetteer;
mod lookup;
mod map;
mod places;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use geoevents::Gazetteer;

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

/// The document, with its warnings told on stderr; or its error told and counted.
pub fn readable(
    doc: Result<geoevents::input::Document, geoevents::input::InputError>,
    failed: &mut u64,
) -> Option<geoevents::input::Document> {
    match doc {
        Ok(d) => {
            for w in &d.warnings {
                eprintln!("geoevents: warning: {}: {w}", d.source);
            }
            Some(d)
        }
        Err(e) => {
            eprintln!("geoevents: error: {}: {}", e.location, e.message);
            *failed += 1;
            None
        }
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
