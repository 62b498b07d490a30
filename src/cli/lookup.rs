//! `geoevents lookup`: one or many place names, best match first.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use geoevents::input::Line;
use geoevents::lookup::{lookup, Candidate, LookupOptions, LookupResult};
use geoevents::theatre::{self, Prior};
use geoevents::Gazetteer;

use super::thousands;

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Place names to look up (quote names with spaces: "Krasna Hora")
    #[arg(value_name = "NAME")]
    names: Vec<String>,
    /// Read one query per line from FILE, or `-` for standard input; one answer per line, in order
    #[arg(long, value_name = "FILE|-")]
    batch: Option<PathBuf>,
    /// Keep only places in this country (ISO 3166 alpha-2, e.g. UA); repeat or comma-separate
    #[arg(long = "country", value_delimiter = ',', value_name = "CC")]
    countries: Vec<String>,
    /// Keep only these GeoNames feature classes (P populated place, A admin area, H water, ...)
    #[arg(long = "feature-class", value_delimiter = ',', value_name = "CLASS")]
    feature_classes: Vec<char>,
    /// Prefer places near this point, in degrees: --near 48.6,38.0
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    near: Option<String>,
    /// After the answers, print on stderr how long the lookups took (mean, p50, p99, max)
    #[arg(long)]
    stats: bool,
    /// Most candidates per query
    #[arg(long, default_value_t = 5, value_name = "N")]
    limit: usize,
    /// Lean each ambiguous name towards where the batch's unambiguous answers lie (its theatre,
    /// drawn from the NAMEs and the first 1,024 lines or 4 MB of --batch); scores then include
    /// that lean. Off by default: each answer stands on its own
    #[arg(long)]
    theatre: bool,
    /// Output format [default: text, or jsonl with --batch]
    #[arg(long, value_enum)]
    format: Option<LookupFormat>,
    /// --batch: the longest line read, in MB (2^20 bytes); a longer line is reported as
    /// `file:line`, read past without being held in memory, and answered empty
    #[arg(long, default_value_t = geoevents::input::DEFAULT_MAX_LINE_MB as u64, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_line_mb: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LookupFormat {
    /// Readable lines
    Text,
    /// One pretty-printed {"query", "results"} object per query
    Json,
    /// One compact {"query", "results"} object per line
    Jsonl,
}

pub fn run(args: LookupArgs, gazetteer: Option<&Path>) -> anyhow::Result<ExitCode> {
    if args.names.is_empty() && args.batch.is_none() {
        bail!("nothing to look up: give one or more NAMEs or --batch FILE (see `geoevents lookup --help`)");
    }
    let countries = args
        .countries
        .iter()
        .map(|c| super::country_code("--country", c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let near = args.near.as_deref().map(parse_near).transpose()?;
    let opts = LookupOptions {
        near,
        countries,
        feature_classes: args
            .feature_classes
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        limit: args.limit,
    };
    let format = args.format.unwrap_or(if args.batch.is_some() {
        LookupFormat::Jsonl
    } else {
        LookupFormat::Text
    });
    let gaz = super::open_gazetteer(gazetteer)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut timings = Vec::new();
    let mut failed = 0u64;
    let mut batch = args
        .batch
        .as_ref()
        .map(|path| BatchLines::open(path, (args.max_line_mb as usize) << 20))
        .transpose()?;
    // With --theatre, the names and the head of the batch are read first (a bounded sample, so
    // memory stays bounded and the answers do not depend on how long the batch is).
    let mut held: Vec<String> = Vec::new();
    let mut ask = Ask {
        opts,
        prior: None,
        limit: args.limit,
    };
    if args.theatre {
        if let Some(b) = &mut batch {
            let mut bytes = 0;
            while held.len() < theatre::SAMPLE_DOCS && bytes < theatre::SAMPLE_BYTES {
                let Some(line) = b.next_line()? else { break };
                bytes += line.len();
                held.push(line);
            }
        }
        let sample = args.names.iter().chain(&held).map(String::as_str);
        ask.prior = theatre::of_queries(&gaz, sample).map(|t| Prior {
            theatre: Some(std::sync::Arc::new(t)),
            ..Prior::default()
        });
        ask.opts.limit = ask.opts.limit.max(THEATRE_READINGS);
    }
    for name in args.names.iter().chain(&held) {
        failed += answer(&gaz, name, &ask, format, &mut out, &mut timings)?;
    }
    if let Some(b) = &mut batch {
        while let Some(line) = b.next_line()? {
            // Every input line gets an answer line, so outputs stay aligned with inputs.
            failed += answer(&gaz, &line, &ask, format, &mut out, &mut timings)?;
        }
    }
    out.flush()?;
    failed += batch.as_ref().map_or(0, |b| b.too_long);
    if args.stats {
        eprintln!("geoevents: {}", latency_summary(&mut timings));
    }
    if failed > 0 {
        eprintln!("geoevents: {failed} queries failed (see above); their answers are empty");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// How many readings a query's theatre lean chooses among before `--limit` cuts them.
const THEATRE_READINGS: usize = 24;

/// How each query is asked: the options, the batch's prior (with --theatre) and `--limit`.
struct Ask {
    opts: LookupOptions,
    prior: Option<Prior>,
    limit: usize,
}

/// The lines of a `--batch` file or of standard input, invalid UTF-8 replaced (and reported), a
/// line over `max_line` bytes reported, never held, and asked as an empty query (so every line
/// still gets its answer line).
struct BatchLines {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    line_no: u64,
    buf: Vec<u8>,
    max_line: usize,
    /// Lines too long to read so far.
    too_long: u64,
}

impl BatchLines {
    fn open(path: &Path, max_line: usize) -> anyhow::Result<BatchLines> {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot read --batch {}", path.display()))?;
            Box::new(std::io::BufReader::new(f))
        };
        Ok(BatchLines {
            path: path.to_path_buf(),
            reader,
            line_no: 0,
            buf: Vec::new(),
            max_line,
            too_long: 0,
        })
    }

    /// The next query, without its line ending; `None` at the end.
    fn next_line(&mut self) -> anyhow::Result<Option<String>> {
        let read = geoevents::input::read_line(&mut self.reader, &mut self.buf, self.max_line)
            .with_context(|| format!("reading --batch {}", self.path.display()))?;
        if read == Line::End {
            return Ok(None);
        }
        self.line_no += 1;
        if let Line::TooLong(n) = read {
            eprintln!(
                "geoevents: error: {}:{}: {}; answered empty",
                self.path.display(),
                self.line_no,
                geoevents::input::too_long(n, self.max_line)
            );
            self.too_long += 1;
            return Ok(Some(String::new()));
        }
        let text = match std::str::from_utf8(&self.buf) {
            Ok(s) => s.to_string(),
            Err(_) => {
                eprintln!(
                    "geoevents: warning: {}, line {}: invalid UTF-8 replaced",
                    self.path.display(),
                    self.line_no
                );
                String::from_utf8_lossy(&self.buf).into_owned()
            }
        };
        Ok(Some(text.trim_end_matches(['\n', '\r']).to_string()))
    }
}

fn parse_near(text: &str) -> anyhow::Result<(f64, f64)> {
    let bad = || anyhow::anyhow!("--near: `{text}` is not LAT,LON in degrees, such as 48.6,38.0");
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let (lat, lon): (f64, f64) = (
        lat.trim().parse().map_err(|_| bad())?,
        lon.trim().parse().map_err(|_| bad())?,
    );
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad());
    }
    Ok((lat, lon))
}

/// `N queries: mean X µs, p50 Y µs, p99 Z µs, max W µs` (lookup time only, not output).
fn latency_summary(timings: &mut [f64]) -> String {
    if timings.is_empty() {
        return "0 queries".into();
    }
    timings.sort_by(f64::total_cmp);
    let pct = |p: f64| timings[((timings.len() - 1) as f64 * p).round() as usize];
    let mean = timings.iter().sum::<f64>() / timings.len() as f64;
    format!(
        "{} queries: mean {mean:.1} µs, p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        timings.len(),
        pct(0.5),
        pct(0.99),
        timings[timings.len() - 1]
    )
}

fn answer(
    gaz: &Gazetteer,
    query: &str,
    ask: &Ask,
    format: LookupFormat,
    out: &mut impl Write,
    timings: &mut Vec<f64>,
) -> anyhow::Result<u64> {
    let started = std::time::Instant::now();
    // A query that fails (a damaged record, say) is reported and answered empty, so every input
    // line still gets its answer line and the run goes on; the exit status then says 1.
    let (mut results, failed) = match lookup(gaz, query, &ask.opts) {
        Ok(r) => (r, 0),
        Err(e) => {
            eprintln!("geoevents: error: looking up `{query}`: {e}");
            (Vec::new(), 1)
        }
    };
    if let Some(prior) = &ask.prior {
        theatre::lean(&mut results, prior);
    }
    results.truncate(ask.limit);
    timings.push(started.elapsed().as_secs_f64() * 1e6);
    let result = LookupResult {
        query: query.to_string(),
        results,
    };
    match format {
        LookupFormat::Jsonl => {
            serde_json::to_writer(&mut *out, &result)?;
            writeln!(out)?;
        }
        LookupFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &result)?;
            writeln!(out)?;
        }
        LookupFormat::Text => write_text(&result, out)?,
    }
    Ok(failed)
}

fn write_text(r: &LookupResult, out: &mut impl Write) -> std::io::Result<()> {
    if r.results.is_empty() {
        return writeln!(out, "{}: no match", r.query);
    }
    writeln!(out, "{}:", r.query)?;
    for (i, c) in r.results.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, describe(c))?;
    }
    Ok(())
}

/// `Bakhmut [713174] seat of a second-order division (PPLA2) · Donetsk, Ukraine · 48.59419, 37.99886 · ...`
fn describe(c: &Candidate) -> String {
    let mut place = Vec::new();
    if let Some(a3) = &c.place.admin3 {
        place.push(a3.as_str());
    }
    if let Some(a2) = &c.place.admin2 {
        place.push(a2.as_str());
    }
    if let Some(a1) = &c.place.admin1 {
        place.push(a1.as_str());
    }
    place.push(c.place.country.as_deref().unwrap_or(&c.place.country_code));
    // Seas and multi-country regions have no country.
    place.retain(|p| !p.is_empty());
    let place = if place.is_empty() {
        "no country".to_string()
    } else {
        place.join(", ")
    };
    let mut why = if c.matched_name == c.place.name {
        c.matched.to_string()
    } else {
        format!("{} \"{}\"", c.matched, c.matched_name)
    };
    if c.edit_distance > 0 {
        why.push_str(&format!(
            ", {} edit{}",
            c.edit_distance,
            if c.edit_distance == 1 { "" } else { "s" }
        ));
    }
    let pop = if c.place.population > 0 {
        format!(" · pop {}", thousands(c.place.population))
    } else {
        String::new()
    };
    format!(
        "{} [{}] {} ({}) · {} · {:.5}, {:.5}{pop} · score {:.3} · {why}",
        c.place.name,
        c.place.geonameid,
        feature_label(&c.place.feature_class, &c.place.feature_code),
        c.place.feature_code,
        place,
        c.place.latitude,
        c.place.longitude,
        c.score,
    )
}

/// Plain words for the feature codes news mentions most; others fall back to their class.
fn feature_label(class: &str, code: &str) -> &'static str {
    match code {
        "PPLC" => "capital",
        "PPLA" => "first-order admin seat",
        "PPLA2" => "second-order admin seat",
        "PPLA3" | "PPLA4" | "PPLA5" => "local admin seat",
        "PPL" => "populated place",
        "PPLX" => "section of populated place",
        "PPLH" | "PPLQ" => "former or abandoned place",
        "PCLI" | "PCLD" | "PCLF" | "PCL" => "country",
        "ADM1" => "first-order admin division",
        "ADM2" => "second-order admin division",
        "ADM3" | "ADM4" | "ADM5" => "local admin division",
        "STM" => "stream",
        "LK" => "lake",
        "RSV" => "reservoir",
        "RGN" => "region",
        "ISL" => "island",
        "SPIT" => "spit",
        "BDG" => "bridge",
        _ => match class {
            "A" => "admin area",
            "H" => "water feature",
            "L" => "area",
            "P" => "populated place",
            "R" => "road or railway",
            "S" => "spot or building",
            "T" => "terrain feature",
            "U" => "undersea feature",
            "V" => "vegetation",
            _ => "feature",
        },
    }
}
