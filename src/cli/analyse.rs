//! `cogov analyse DIR`: the sensitivity indices of a finished sweep, written to
//! `DIR/sensitivity.csv` and printed as a ranked table, or the robustness of an
//! uncertainty comparison's reforms (`robustness.csv`, `prim_boxes.csv`); the report
//! is rebuilt to show them. Sweeps and uncertainty comparisons also write their
//! analysis with the default settings when they finish ([`write_into`]).

use super::{AnalyseArgs, InputError, print_stdout};
use cogov::analysis::{
    self, Analysis, AnalysisError, Options, PRIM_FILE, ROBUSTNESS_FILE, RobustnessAnalysis,
    SENSITIVITY_FILE,
};
use cogov::model::Model;
use cogov::report::read::Results;
use cogov::sensitivity::PrimOptions;
use std::path::Path;

/// The metrics named on the command line, as indices into the model's metrics.
pub fn metric_indices(model: Model, names: &[String]) -> Result<Vec<usize>, InputError> {
    names
        .iter()
        .map(|name| super::compare::metric_index(model, name))
        .collect()
}

pub fn run(args: AnalyseArgs) -> anyhow::Result<()> {
    let results = Results::read(&args.dir)?;
    let metrics = metric_indices(results.model, &args.metric)?;
    if analysis::is_robustness(&results) {
        let found = analysis::analyse_robustness(
            &results,
            &metrics,
            &PrimOptions::default(),
            args.include_runaways,
        )?;
        write_robustness(&args.dir, &found)?;
        rebuild_report(&args.dir);
        if args.quiet {
            print_stdout(&format!("{}\n", args.dir.join(ROBUSTNESS_FILE).display()))?;
        } else {
            print_stdout(&robustness_text(
                &found,
                &shown_metrics(&results, &metrics, args.all_metrics),
                &args.dir,
            ))?;
        }
        for warning in found.warnings() {
            eprintln!("warning: {warning}");
        }
        return Ok(());
    }
    let options = Options {
        metrics: metrics.clone(),
        resamples: args.resamples,
        seed: args.seed,
        include_runaways: args.include_runaways,
    };
    let analysis = analysis::analyse(&results, &options)?;
    write(&args.dir, &analysis)?;
    rebuild_report(&args.dir);
    let path = args.dir.join(SENSITIVITY_FILE);
    let warn = || {
        for warning in analysis.warnings() {
            eprintln!("warning: {warning}");
        }
    };
    if args.quiet {
        warn();
        return print_stdout(&format!("{}\n", path.display()));
    }
    let shown = shown_metrics(&results, &metrics, args.all_metrics);
    print_stdout(&format!(
        "{}{}\nsensitivity: {} ({} rows)\n",
        heading(&analysis, &results),
        analysis.table(&shown),
        path.display(),
        analysis.csv().lines().count() - 1
    ))?;
    warn();
    Ok(())
}

/// The metrics a table shows: those named, else every one with `all`, else the
/// model's key metrics.
pub fn shown_metrics(results: &Results, named: &[usize], all: bool) -> Vec<usize> {
    if !named.is_empty() || all {
        named.to_vec()
    } else {
        results.model.key_metrics()
    }
}

fn heading(analysis: &Analysis, results: &Results) -> String {
    let method = match analysis.method {
        analysis::Method::Sobol { second_order } => format!(
            "Sobol indices (Saltelli 2010 S1, Jansen ST{}), 95% bootstrap intervals from {} resamples",
            if second_order { ", Saltelli 2002 S2" } else { "" },
            analysis.resamples
        ),
        analysis::Method::Morris { levels } => format!(
            "Morris elementary effects ({levels} levels), 95% bootstrap interval of μ* from {} resamples",
            analysis.resamples
        ),
        analysis::Method::Regression => {
            "standardised regression coefficients (95% t intervals) and partial rank correlations (95% Fisher intervals)".to_string()
        }
    };
    format!(
        "sweep `{}`: {} {} of {} parameters, {} replications per point\n{method}\n",
        results
            .sweep
            .as_ref()
            .map_or(results.name.as_str(), |s| s.0.as_str()),
        analysis.groups,
        analysis.method.group_name(),
        analysis.parameters.len(),
        analysis.replications
    )
}

pub fn rebuild_report(dir: &Path) {
    if let Err(err) = cogov::report::write(dir) {
        eprintln!(
            "warning: the analysis is written but report.html could not be rebuilt: {err:#}; `cogov report {}` retries",
            dir.display()
        );
    }
}

/// The robustness table of `shown` metrics (empty: all analysed) with the paths of
/// its files.
pub fn robustness_text(found: &RobustnessAnalysis, shown: &[usize], dir: &Path) -> String {
    format!(
        "{} reforms against `{}` in {} sampled worlds of {} uncertain parameters, {} replications each, paired\n(a reform with no effect improves about half of the worlds by chance)\n{}\nrobustness: {} and {}\n",
        found.scenarios.len() - 1,
        found.scenarios[0],
        found.worlds,
        found.parameters.len(),
        found.replications,
        found.table(shown),
        dir.join(ROBUSTNESS_FILE).display(),
        dir.join(PRIM_FILE).display()
    )
}

/// Writes `text` into `dir/name`, aside first and then renamed, so a crash never
/// leaves half a file.
fn replace(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", path.display()))
}

/// Writes `sensitivity.csv` beside the results.
pub fn write(dir: &Path, analysis: &Analysis) -> anyhow::Result<()> {
    replace(dir, SENSITIVITY_FILE, &analysis.csv())
}

/// Writes `robustness.csv` and `prim_boxes.csv` beside the results.
pub fn write_robustness(dir: &Path, found: &RobustnessAnalysis) -> anyhow::Result<()> {
    replace(dir, ROBUSTNESS_FILE, &found.csv())?;
    replace(dir, PRIM_FILE, &found.prim_csv())
}

/// The analysis a finished directory's kind calls for, with the default settings:
/// an uncertainty comparison's robustness, a sweep's sensitivity; nothing for a run
/// or a comparison.
///
/// # Errors
/// Unreadable results, or a file that cannot be written.
pub fn write_into(dir: &Path) -> anyhow::Result<()> {
    let results = Results::read(dir)?;
    if analysis::is_robustness(&results) {
        let found = analysis::analyse_robustness(&results, &[], &PrimOptions::default(), false)?;
        return write_robustness(dir, &found);
    }
    if results.kind == cogov::experiment::Kind::Sweep {
        let found = analysis::analyse(&results, &Options::default())?;
        return write(dir, &found);
    }
    Ok(())
}

/// Whether `err` is an analysis refusing its input (exit code 2).
pub fn is_user_error(err: &AnalysisError) -> bool {
    !matches!(err, AnalysisError::Read(_))
}
