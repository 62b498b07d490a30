//! `geoevents gazetteer build|info`.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use geoevents::gazetteer::{
    BaseConflicts, BuildOptions, GazetteerBuilder, SourceKind, BASE_CONFLICT_KM,
};

use super::thousands;

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Compile GeoNames dumps into one index file
    ///
    /// SOURCE files are recognised by name and content: main dumps (allCountries, a country file such
    /// as UA, citiesNNNN), alternateNamesV2, admin1CodesASCII, admin2Codes and countryInfo, as .txt or
    /// .zip as downloaded from GeoNames. The first main dump that has a place wins when several do.
    /// With --base, the sources are layered onto an existing index and win over it.
    #[command(after_help = super::EXIT_CODES)]
    Build {
        /// GeoNames files to read
        #[arg(required = true, value_name = "SOURCE")]
        sources: Vec<PathBuf>,
        /// Index file to write (replaced atomically)
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Layer the sources onto an index: `default` (the embedded gazetteer) or a FILE written by
        /// `gazetteer build`. Its places, names and admin names are kept; where a source has the same
        /// place (geonameid), the source's row wins and the alternate names are merged; the sources'
        /// code tables win over its admin names. (A file called `default`: write ./default.)
        #[arg(long, value_name = "default|FILE")]
        base: Option<PathBuf>,
        /// Keep only these countries (ISO 3166 alpha-2, comma-separated), e.g. UA,PL
        #[arg(long, value_delimiter = ',', value_name = "CC,...")]
        countries: Vec<String>,
        /// Keep only these GeoNames feature classes (comma-separated): A admin, H water, L area,
        /// P populated place, R road, S spot, T terrain, U undersea, V vegetation
        #[arg(long, value_delimiter = ',', value_name = "CLASS,...")]
        feature_classes: Vec<String>,
        /// Drop populated places (class P) with fewer inhabitants; other classes are kept
        #[arg(long, default_value_t = 0, value_name = "N")]
        min_population: u64,
        /// Memory for each of the build's two external sorts, in MiB (bounds peak memory; fractions
        /// allowed)
        #[arg(long, default_value_t = 256.0, value_name = "MIB")]
        sort_memory_mb: f64,
    },
    /// Describe an index: counts by feature class and country, sources, format version, build date
    #[command(after_help = super::EXIT_CODES)]
    Info {
        /// Index file; defaults to --gazetteer, GEOEVENTS_GAZETTEER or the embedded one
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = InfoFormat::Text)]
        format: InfoFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InfoFormat {
    Text,
    Json,
}

pub fn run(cmd: GazetteerCommand, global: Option<&Path>) -> anyhow::Result<ExitCode> {
    match cmd {
        GazetteerCommand::Build {
            sources,
            output,
            base,
            countries,
            feature_classes,
            min_population,
            sort_memory_mb,
        } => {
            let opts = BuildOptions {
                countries: parse_countries(&countries)?,
                feature_classes: parse_classes(&feature_classes)?,
                min_population,
                sort_memory: sort_memory_bytes(sort_memory_mb)?,
                progress: progress_bar(),
            };
            build(opts, &sources, base.as_deref(), &output)
        }
        GazetteerCommand::Info { file, format } => info(file.as_deref().or(global), format),
    }
}

fn parse_countries(list: &[String]) -> anyhow::Result<Option<BTreeSet<String>>> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut out = BTreeSet::new();
    for c in list {
        out.insert(super::country_code("--countries", c)?);
    }
    Ok(Some(out))
}

fn parse_classes(list: &[String]) -> anyhow::Result<Option<BTreeSet<char>>> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut out = BTreeSet::new();
    for c in list {
        let c = c.trim().to_ascii_uppercase();
        match c.as_str() {
            "A" | "H" | "L" | "P" | "R" | "S" | "T" | "U" | "V" => out.insert(c.chars().next().unwrap()),
            _ => bail!("--feature-classes: `{c}` is not a GeoNames feature class (A, H, L, P, R, S, T, U or V)"),
        };
    }
    Ok(Some(out))
}

fn sort_memory_bytes(mib: f64) -> anyhow::Result<usize> {
    if !(mib > 0.0 && mib <= 2048.0) {
        bail!("--sort-memory-mb: {mib} is not between 0 and 2048 MiB");
    }
    Ok((mib * (1u64 << 20) as f64) as usize)
}

fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn build(
    opts: BuildOptions,
    sources: &[PathBuf],
    base: Option<&Path>,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let mut builder = GazetteerBuilder::new(opts);
    if let Some(base) = base {
        set_base(&mut builder, base)?;
    }
    for s in sources {
        let src = builder.add_source(s)?;
        eprintln!("geoevents: {} ({})", s.display(), src.kind.label());
    }
    let summary = builder
        .build(output)
        .with_context(|| format!("gazetteer build into {} failed", output.display()))?;
    let mut err = std::io::stderr().lock();
    for w in &summary.warnings {
        writeln!(err, "geoevents: warning: {w}")?;
    }
    for c in &summary.base_conflicts {
        writeln!(err, "geoevents: warning: {}", conflict_report(c))?;
    }
    let listed = (summary.warnings.len() + summary.base_conflicts.len()) as u64;
    if summary.warning_count > listed {
        writeln!(
            err,
            "geoevents: ... and {} more warnings",
            summary.warning_count - listed
        )?;
    }
    let c = &summary.meta.counts;
    let rows_of = |kind: SourceKind| -> u64 {
        let of_kind = summary.meta.sources.iter().filter(|s| s.kind == kind);
        of_kind.map(|s| s.rows).sum()
    };
    let (rows, base_rows) = (
        rows_of(SourceKind::MainDump),
        rows_of(SourceKind::BaseIndex),
    );
    let read = if base.is_some() {
        format!(
            "{} dump rows and {} base places",
            thousands(rows),
            thousands(base_rows)
        )
    } else {
        format!("{} dump rows", thousands(rows))
    };
    let secs = summary.elapsed.as_secs_f64();
    writeln!(
        err,
        "geoevents: built {}: {} places, {} name keys, {} alternate names from {read} in {:.1} s \
         ({} rows/s), {:.1} MB, {} warnings",
        summary.output.display(),
        thousands(c.places),
        thousands(c.name_keys),
        thousands(c.alternate_names),
        secs,
        thousands(((rows + base_rows) as f64 / secs.max(1e-9)) as u64),
        summary.output_bytes as f64 / 1e6,
        summary.warning_count
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `--base default` (the embedded index) or `--base FILE`; the library's errors name the file and
/// say how to rebuild it.
fn set_base(builder: &mut GazetteerBuilder, base: &Path) -> anyhow::Result<()> {
    if base == Path::new("default") {
        builder.set_base(geoevents::embedded::open_owned()?)?;
    } else {
        builder.set_base_file(base)?;
    }
    if let Some(b) = builder.base() {
        eprintln!(
            "geoevents: {} (base index, {} places)",
            b.path().display(),
            thousands(b.len() as u64)
        );
    }
    Ok(())
}

/// One line for all the places of a dump whose base row lies elsewhere.
fn conflict_report(c: &BaseConflicts) -> String {
    let ids: Vec<String> = c.first_ids.iter().map(u32::to_string).collect();
    let more = if c.count > ids.len() as u64 {
        ", ..."
    } else {
        ""
    };
    let (places, differ) = if c.count == 1 {
        ("place", "differs")
    } else {
        ("places", "differ")
    };
    format!(
        "{} {places} of {} {differ} from the base's coordinates by more than {BASE_CONFLICT_KM} km \
         (ids {}{more}); the source's rows were kept",
        thousands(c.count),
        c.file,
        ids.join(", ")
    )
}

fn info(path: Option<&Path>, format: InfoFormat) -> anyhow::Result<ExitCode> {
    let gaz = super::open_gazetteer(path)?;
    gaz.verify()?;
    let meta = gaz.meta()?;
    let size = gaz.size_bytes();
    let mut out = std::io::stdout().lock();
    match format {
        InfoFormat::Json => {
            let v = serde_json::json!({
                "path": gaz.path().display().to_string(),
                "size_bytes": size,
                "format_version": meta.format_version,
                "checksum": "ok",
                "built_at": meta.built_at,
                "generator": meta.generator,
                "sources": meta.sources,
                "options": meta.options,
                "counts": meta.counts,
            });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        InfoFormat::Text => {
            let c = &meta.counts;
            writeln!(
                out,
                "gazetteer        {} ({:.1} MB, format {}, checksum ok)",
                gaz.path().display(),
                size as f64 / 1e6,
                meta.format_version
            )?;
            writeln!(
                out,
                "built            {} by {}",
                meta.built_at, meta.generator
            )?;
            for s in &meta.sources {
                writeln!(
                    out,
                    "source           {} ({}, {} rows, {} kept, {} rejected)",
                    s.file,
                    s.kind.label(),
                    thousands(s.rows),
                    thousands(s.kept),
                    thousands(s.rejected)
                )?;
            }
            writeln!(out, "places           {}", thousands(c.places))?;
            writeln!(out, "name keys        {}", thousands(c.name_keys))?;
            writeln!(
                out,
                "alternate names  {} ({} historic)",
                thousands(c.alternate_names),
                thousands(c.historic_names)
            )?;
            writeln!(out, "admin names      {}", thousands(c.admin_names))?;
            let classes: Vec<String> = c
                .by_feature_class
                .iter()
                .map(|(k, v)| format!("{k} {}", thousands(*v)))
                .collect();
            writeln!(out, "feature classes  {}", classes.join(" · "))?;
            let mut countries: Vec<(&String, &u64)> = c.by_country.iter().collect();
            countries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = countries
                .iter()
                .take(15)
                .map(|(k, v)| format!("{k} {}", thousands(**v)))
                .collect();
            let more = countries.len().saturating_sub(15);
            let tail = if more > 0 {
                format!(" · and {more} more")
            } else {
                String::new()
            };
            writeln!(
                out,
                "countries        {} ({}{tail})",
                countries.len(),
                top.join(" · ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_are_one_line_with_the_first_ids() {
        let c = BaseConflicts {
            file: "UA.txt".into(),
            count: 1234,
            first_ids: vec![703448, 706483],
        };
        assert_eq!(
            conflict_report(&c),
            "1,234 places of UA.txt differ from the base's coordinates by more than 1 km \
             (ids 703448, 706483, ...); the source's rows were kept"
        );
    }

    #[test]
    fn country_and_class_lists_are_validated() {
        assert_eq!(
            parse_countries(&["ua".into(), "PL".into()])
                .unwrap()
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>(),
            ["PL", "UA"]
        );
        assert!(parse_countries(&["UKR".into()]).is_err());
        assert!(parse_countries(&[]).unwrap().is_none());
        assert!(parse_classes(&["p".into(), "H".into()])
            .unwrap()
            .unwrap()
            .contains(&'P'));
        assert!(parse_classes(&["X".into()]).is_err());
    }
}
