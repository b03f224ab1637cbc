//! `report.html` and `plots/*.svg`: the pictures of a finished results directory.
//!
//! A report is rebuilt from the directory's files alone (the manifest and the CSV
//! files, read a line at a time), so it works for any finished run, comparison,
//! sweep or merge of shards, old or new. Building it is pure ([`build`]: a
//! directory's files in, the page and the SVG files out as text); [`write()`] puts
//! them on disk, each file written aside and renamed, so a crash never leaves half
//! a report.
//!
//! What each kind of result gets:
//! - **run** (`run.rs`): the metric table with 95% intervals, the headline series
//!   over time with 95% bands across replications, and the district map (each
//!   grid's incidents per 1,000 residents and trust in police, averaged over the
//!   replications); for the civil-violence model, Epstein's figure (quiet, active
//!   and jailed over time) and a snapshot of the lattice.
//! - **compare** (`compare.rs`): a sentence per reform, a forest plot of the paired
//!   relative changes (grouped into public order, cooperation and cost, coloured by
//!   better or worse), the cost per incident prevented with Fieller's interval, the
//!   headline series of the baseline against each reform, and the table.
//! - **sweep** (`sweep.rs`): when the directory has `sensitivity.csv`
//!   (`sensitivity.rs`), each key metric's indices with their 95% intervals,
//!   parameters ranked: S1 and ST bars (Sobol), PRCC and SRC bars (Latin hypercube,
//!   random, grid) or the Morris plot of μ* against σ; then, for one swept parameter
//!   a line per key metric with its band; for two on a full grid a heat map per key
//!   metric; otherwise (sampled designs) a panel of scatter plots, key metric against
//!   parameter, with a LOWESS trend. Points with a run flagged as a runaway are
//!   marked.
//! - **robustness comparison** (`robustness.rs`, a sweep of worlds × scenarios from
//!   `compare --uncertainty`): the share of worlds in which each reform improves each
//!   headline metric with its Wilson interval, the effect's spread and the regret,
//!   and the PRIM boxes of the worlds where a reform fails, in words.
//!
//! The page is self-contained: inline CSS and SVG, no script, no font, and a
//! Content-Security-Policy that forbids any request.

mod compare;
pub mod data;
mod page;
pub mod read;
mod robustness;
mod run;
mod sensitivity;
mod sweep;
pub mod words;

use crate::experiment::Kind;
use read::Results;
use std::fs;
use std::path::{Path, PathBuf};

/// The report's file name in a results directory.
pub const REPORT_FILE: &str = "report.html";
pub use robustness::{PRIM_COLUMNS, PRIM_FILE, ROBUSTNESS_COLUMNS, ROBUSTNESS_FILE};
pub use sensitivity::{SENSITIVITY_COLUMNS, SENSITIVITY_FILE};

/// The folder of the report's charts as SVG files.
pub const PLOTS_DIR: &str = "plots";

/// Why a report could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "`{}` holds no finished results (no manifest.json): give the directory a run, sweep, compare or merge wrote",
        .0.display()
    )]
    NotResults(PathBuf),
    #[error("cannot {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "`{}` holds shard {} of an experiment: `cogov merge` the shards, then report on the merged directory",
        .0.display(),
        .1
    )]
    Shard(PathBuf, String),
    #[error("`{}` is damaged: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
}

/// One chart: its file name under `plots/` (without `.svg`) and its SVG text.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub name: String,
    pub svg: String,
}

/// A built report: the page and every chart it shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub html: String,
    pub plots: Vec<Plot>,
}

/// What the kind-specific builders add to: the page's sections and its charts.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    page: page::Page,
    plots: Vec<Plot>,
}

impl Builder {
    /// Keeps a chart and returns its figure's HTML.
    fn figure(&mut self, name: &str, svg: String, caption: &str) -> String {
        let html = page::figure(name, &svg, caption);
        self.plots.push(Plot {
            name: name.to_string(),
            svg,
        });
        html
    }
}

/// Builds the report of the finished results in `dir`.
///
/// # Errors
/// `dir` holds no finished results, or a file is unreadable or damaged.
pub fn build(dir: &Path) -> Result<Report, ReportError> {
    let results = Results::read(dir)?;
    let mut b = Builder::default();
    let what = match results.kind {
        Kind::Run => {
            run::build(&results, &mut b)?;
            format!(
                "{} replications of <code>{}</code>",
                results.replications,
                crate::chart::escape(&results.name)
            )
        }
        Kind::Compare => {
            compare::build(&results, &mut b)?;
            format!(
                "<code>{}</code> against {} reform{}, {} paired replications each",
                crate::chart::escape(&results.name),
                results.labels.len() - 1,
                if results.labels.len() == 2 { "" } else { "s" },
                results.replications
            )
        }
        Kind::Sweep if robustness::is_robustness(&results) => {
            robustness::build(&results, &mut b)?;
            robustness::what(&results)
        }
        Kind::Sweep => {
            sweep::build(&results, &mut b)?;
            let design = results
                .sweep
                .as_ref()
                .map_or(String::new(), |(_, design, _)| {
                    format!(" ({design} design)")
                });
            format!(
                "a sweep of <code>{}</code>{design}: {} points × {} replications",
                crate::chart::escape(&results.name),
                results.labels.len(),
                results.replications
            )
        }
    };
    let title = match results.kind {
        Kind::Run => format!("Run report: {}", results.name),
        Kind::Compare => format!("Comparison report: {}", results.name),
        Kind::Sweep if robustness::is_robustness(&results) => robustness::title(&results),
        Kind::Sweep => format!(
            "Sweep report: {}",
            results
                .sweep
                .as_ref()
                .map_or(results.name.as_str(), |(name, _, _)| name.as_str())
        ),
    };
    // No time or machine: equivalent results (threads, shards, resume) give the same
    // report, as they give the same data files.
    let meta = format!(
        "{what}; {} model; base seed {}; cogov {}.{}",
        results.model,
        results.seed,
        crate::chart::escape(&results.version),
        {
            // A sweep's own description says what it asks; a run's or a comparison's
            // is the scenario's.
            let description = match &results.sweep {
                Some((_, _, d)) if !d.is_empty() => d,
                _ => &results.description,
            };
            if description.is_empty() {
                String::new()
            } else {
                format!(" {}", crate::chart::escape(description))
            }
        }
    );
    let meta = match results.failures {
        0 => meta,
        1 => format!(
            "{meta} <strong>1 run failed</strong>: its error is in failures.csv, and it is left out of every figure."
        ),
        n => format!(
            "{meta} <strong>{n} runs failed</strong>: their errors are in failures.csv, and they are left out of every figure."
        ),
    };
    let footer = "Built by cogov from the CSV files in this directory; <code>cogov report DIR</code> \
        rebuilds it. Every chart is also a file under <code>plots/</code>. Intervals are 95%: \
        Student's t over replications for means and paired differences, Fieller's for ratios.";
    let html = b.page.render(&title, &meta, footer);
    Ok(Report {
        html,
        plots: b.plots,
    })
}

/// Builds the report of `dir` and writes `dir/report.html` and `dir/plots/*.svg`,
/// each file written aside and renamed into place. Returns the page's path.
///
/// # Errors
/// As [`build`], or a file cannot be written.
pub fn write(dir: &Path) -> Result<PathBuf, ReportError> {
    let report = build(dir)?;
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io {
            action,
            path,
            source,
        }
    };
    let plots = dir.join(PLOTS_DIR);
    fs::create_dir_all(&plots).map_err(io("create directory", &plots))?;
    for plot in &report.plots {
        replace(&plots.join(format!("{}.svg", plot.name)), &plot.svg)?;
    }
    // A chart an earlier build of the report drew and this one does not (its data
    // is gone) would mislead: remove it.
    let current: std::collections::BTreeSet<String> = report
        .plots
        .iter()
        .map(|p| format!("{}.svg", p.name))
        .collect();
    for entry in fs::read_dir(&plots).map_err(io("read directory", &plots))? {
        let path = entry.map_err(io("read directory", &plots))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.ends_with(".svg") && !current.contains(&n)) {
            fs::remove_file(&path).map_err(io("remove", &path))?;
        }
    }
    let page = dir.join(REPORT_FILE);
    replace(&page, &report.html)?;
    Ok(page)
}

/// Writes `text` beside `path`, then renames it over `path`.
fn replace(path: &Path, text: &str) -> Result<(), ReportError> {
    let tmp = path.with_extension("tmp");
    let io = |action| {
        move |source| ReportError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    };
    fs::write(&tmp, text).map_err(io("write"))?;
    fs::rename(&tmp, path).map_err(io("replace"))
}
