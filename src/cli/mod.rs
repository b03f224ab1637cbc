//! The command line: flags (clap), the commands, and how failures are reported.
//!
//! `cogov` with no command compares the built-in Tongxiang baseline with each of the
//! study's five reforms and their union, so `cargo run --release` answers the study's
//! question. Every failure ends here as one message on stderr starting with
//! `error:`, and an exit code: 2 when the input was wrong (a scenario, a flag, a
//! results directory that is taken, shards that do not belong together), 3 when some
//! runs failed but the others completed (see failures.csv), 130 when Ctrl-C
//! interrupted an experiment (resume it with --resume), 1 when something failed while
//! working (I/O). A scenario error is printed exactly as the loader wrote it: it
//! already names the file, line, column and key.

mod analyse;
mod check;
mod compare;
mod exec;

mod merge;
mod reference;
mod report;
mod run;
mod sweep;
mod uncertainty;
mod workshop;

use anyhow::Context as _;
use clap::{Args, CommandFactory as _, Parser, Subcommand, ValueEnum};
use cogov::driver::DriverError;
use cogov::experiment::Shard;
use cogov::model::Model;
use cogov::output::OutputError;
use cogov::report::ReportError;
use cogov::scenario::ScenarioError;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cogov",
    version,
    about = "Agent-based simulator of collaborative governance in urban community policing",
    long_about = "Agent-based simulator of collaborative governance in urban community policing.\n\n\
        Without a command, `cogov` compares the built-in Tongxiang baseline with each of \
        the study's five reforms and with all five together (paired, common random \
        numbers), prints the table and writes the results under output/."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run Monte Carlo replications of a scenario and write the results
    ///
    /// Writes runs.csv (one row per replication), summary.csv (mean, sd and 95%
    /// confidence interval per metric), timeseries.csv (one row per replication and
    /// day), grids.csv (each replication's map, one row per grid and metric),
    /// failures.csv (runs that failed, with their error), manifest.json (version,
    /// scenario, parameters, seed, times) and report.html with plots/*.svg (the
    /// metric table, the series over time, the district map) into the results
    /// directory, and prints a summary table.
    ///
    /// Files are written into DIR.partial and renamed to DIR only when complete, so
    /// DIR never holds half a run. Ctrl-C finishes the runs in flight and stops;
    /// the same command with --resume continues where it stopped, and the final
    /// files are the same as an uninterrupted run's.
    Run(RunArgs),
    /// Run a parameter sweep declared in an experiment file (grid, random, Latin
    /// hypercube or Sobol design)
    ///
    /// Writes points.csv (the design), runs.csv (one row per run: point, replication,
    /// seed, the swept values, every metric), summary.csv (per point and metric),
    /// failures.csv, manifest.json, report.html with plots/*.svg (the key metrics
    /// against the swept parameters), and timeseries.csv when the file asks for it.
    /// Replication r uses the same seed at every point (common random numbers).
    Sweep(SweepArgs),
    /// Compare reform scenarios with a baseline, run by run (common random numbers)
    ///
    /// Per reform and metric: baseline and reform means, the paired difference with
    /// its 95% confidence interval, relative change and effect size, marked where the
    /// interval excludes zero. Writes comparison.csv next to runs.csv and summary.csv,
    /// every 7th day of each run to timeseries.csv, and report.html with plots/*.svg:
    /// a sentence per reform, forest plots, the cost per incident prevented and the
    /// series over time.
    Compare(CompareArgs),
    /// Combine the results directories of shards (--shard K/N) into one
    ///
    /// The merged files are byte-identical to those of the same experiment run on one
    /// machine (manifest.json aside). Shards of different experiments, seeds or cogov
    /// versions are refused.
    Merge(MergeArgs),
    /// Build (or rebuild) report.html and plots/*.svg of a finished results directory
    ///
    /// Reads the directory's CSV files and manifest only, so it works for the results
    /// of any run, sweep, compare or merge, including directories written before
    /// reports existed. Every command writes the report itself when it finishes.
    Report {
        /// A finished results directory
        dir: PathBuf,
    },
    /// Sensitivity indices of a finished sweep (Sobol, Morris, or regression and rank
    /// correlation, with 95% intervals), or the robustness of an uncertainty comparison
    ///
    /// Reads the sweep's manifest, points.csv and runs.csv, takes each point's mean
    /// over its replications and computes what its design was made for: S1, ST (and
    /// S2) for a sobol design, μ, μ* and σ for morris, standardised regression and
    /// partial rank correlation coefficients for lhs, random and grid. Writes
    /// sensitivity.csv (one row per metric, parameter and index), rebuilds
    /// report.html, and prints the parameters ranked for the key metrics. Points with
    /// a run that failed or ran away are left out (with their Sobol base row, or the
    /// Morris effects that end there) and reported. For the results of `compare
    /// --uncertainty` it writes robustness.csv and prim_boxes.csv instead.
    /// docs/sensitivity.md has the formulas.
    #[command(visible_alias = "sensitivity")]
    Analyse(AnalyseArgs),
    /// Serve the workshop page: the study's levers as sliders, the baseline against
    /// the current settings live, a district map
    ///
    /// Starts a web server on 127.0.0.1 (this machine only) and prints the page's
    /// address. Each press of Run compares the current settings with the baseline,
    /// paired (common random numbers), and the page shows the numbers as the
    /// replications finish. Everything the page needs is inside cogov: it works
    /// without a network. docs/workshop.md describes the page and its JSON API.
    Workshop(workshop::WorkshopArgs),
    /// Validate a scenario or experiment file, estimate what running it costs, and
    /// print what the model will see
    ///
    /// For a scenario: its resolved parameters (with --diff, only those it changes
    /// from the scenario it extends, or from the defaults). For an experiment file:
    /// the design, its points and runs, and the first points.
    Check {
        /// Scenario or experiment file (TOML)
        file: PathBuf,
        /// Print only the parameters the scenario changes from the one it extends
        #[arg(long)]
        diff: bool,
    },
    /// Print the reference of every scenario parameter of a model
    Params {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The model whose parameters to list (a scenario chooses with `model = "..."`)
        #[arg(long, value_enum, default_value_t = ModelArg::CoGovernance)]
        model: ModelArg,
    },
    /// Print the reference of every output column of a model (metrics and time series)
    Metrics {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The model whose output columns to list
        #[arg(long, value_enum, default_value_t = ModelArg::CoGovernance)]
        model: ModelArg,
    },
    /// Print a shell completion script
    ///
    /// For bash: `cogov completions bash > ~/.local/share/bash-completion/completions/cogov`;
    /// for zsh, a file `_cogov` in a directory of your `fpath`; for fish,
    /// `~/.config/fish/completions/cogov.fish`.
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `cogov manpage > cogov.1; man ./cogov.1`
    Manpage,
}

/// A model, as the command line names it (the names scenario files use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// Collaborative governance of urban community policing (the default)
    #[value(name = "co_governance")]
    CoGovernance,
    /// Epstein's civil-violence model (2002), the reference model
    #[value(name = "civil_violence")]
    CivilViolence,
}

impl From<ModelArg> for Model {
    fn from(m: ModelArg) -> Model {
        match m {
            ModelArg::CoGovernance => Model::CoGovernance,
            ModelArg::CivilViolence => Model::CivilViolence,
        }
    }
}

/// How a reference is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for the terminal
    Text,
    /// Markdown tables, for documentation
    Markdown,
    /// JSON, one object per parameter or column, for tools
    Json,
}

/// Flags every experiment shares: where results go and how the runs are executed.
#[derive(Debug, Default, Clone, Args)]
pub struct ExecArgs {
    /// Results directory; must not exist or be empty (results are never overwritten)
    /// [default: output/<name>-<UTC time>]
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads [default: one per logical CPU]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Print only the results directory: no progress bar, no table
    #[arg(long, short)]
    pub quiet: bool,
    /// Continue the interrupted experiment in DIR.partial (the same command; without
    /// --out, the latest interrupted one of that name under output/); finished runs
    /// are not redone
    #[arg(long)]
    pub resume: bool,
    /// Run only shard K of N (jobs K-1, K-1+N, ...); combine shards with `cogov merge`
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Write every K-th day of each run to timeseries.csv; 0 writes none
    /// [default: 1 for run, the file's setting for sweep, 7 (weekly) for compare]
    #[arg(long, value_name = "K")]
    pub timeseries_every: Option<u64>,
    /// Set a scenario parameter for this job, as a scenario file would
    /// (repeatable): `--set police.officers_per_10k=20`; for compare, in every
    /// scenario; for sweep, in the file's scenario
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE", value_parser = parse_setting)]
    pub set: Vec<(String, String)>,
    /// Refuse a job whose estimated peak memory is above SIZE (8G, 512M, bytes)
    /// [default: the memory available now]
    #[arg(long, value_name = "SIZE", value_parser = cogov::budget::parse_size)]
    pub max_memory: Option<u64>,
    /// Refuse a job whose estimated files are above SIZE [default: the free space
    /// where the results go]
    #[arg(long, value_name = "SIZE", value_parser = cogov::budget::parse_size)]
    pub max_disk: Option<u64>,
    /// Run even when the estimate of memory or files is above the limit
    #[arg(long)]
    pub allow_large: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Experiment file (TOML) naming a scenario, a design and the swept parameters
    pub file: PathBuf,
    /// Replications per design point [default: the file's, else the scenario's]
    #[arg(long, short = 'n', value_name = "N")]
    pub replications: Option<u64>,
    /// Base seed of the runs [default: the scenario's run.seed]; also the design's
    /// seed unless the file sets `design_seed`
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline scenario
    pub base: PathBuf,
    /// One or more reform scenarios
    #[arg(required = true)]
    pub reforms: Vec<PathBuf>,
    /// Replications per scenario [default: the baseline's run.replications]
    #[arg(long, short = 'n', value_name = "N", conflicts_with = "precision")]
    pub replications: Option<u64>,
    /// Base seed, shared by every scenario [default: the baseline's run.seed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Add replications in batches until every chosen metric's paired 95% CI
    /// half-width is at most X (in the metric's unit)
    #[arg(long, value_name = "X")]
    pub precision: Option<f64>,
    /// A metric for --precision and the table (repeatable) [default: the headline
    /// metrics]
    #[arg(long, value_name = "M")]
    pub metric: Vec<String>,
    /// Replications per batch with --precision
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub batch: u64,
    /// Most replications with --precision
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_replications: u64,
    /// Show every metric in the table, not only the headline ones
    #[arg(long)]
    pub all_metrics: bool,
    /// Compare in every world an experiment file samples (`design = "lhs"` or
    /// `"random"` over uncertain parameters), paired, and write robustness.csv (share
    /// of worlds improved, effect quantiles, regret) and prim_boxes.csv (where each
    /// reform fails)
    #[arg(long, value_name = "FILE", conflicts_with = "precision")]
    pub uncertainty: Option<PathBuf>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// A finished sweep's results directory
    pub dir: PathBuf,
    /// A metric to analyse and show (repeatable) [default: all in sensitivity.csv,
    /// the key metrics in the table]
    #[arg(long, value_name = "M")]
    pub metric: Vec<String>,
    /// Show every metric in the table, not only the key ones
    #[arg(long)]
    pub all_metrics: bool,
    /// Bootstrap resamples for the intervals of Sobol indices and of μ*
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..=100_000))]
    pub resamples: usize,
    /// Seed of the bootstrap [default: the experiment's seed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Keep points (worlds, for an uncertainty comparison) with a run flagged as a
    /// runaway; they are left out by default
    #[arg(long)]
    pub include_runaways: bool,
    /// Print only the path of the file written (sensitivity.csv, or robustness.csv)
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' results directories
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where the merged results go; must not exist or be empty
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Print only the merged results directory
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Scenario file (TOML); the built-in Tongxiang baseline when omitted
    pub scenario: Option<PathBuf>,
    /// Number of replications [default: the scenario's run.replications]
    #[arg(long, short = 'n', value_name = "N")]
    pub replications: Option<u64>,
    /// Base seed; replication i uses a seed derived from (seed, i) only
    /// [default: the scenario's run.seed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub exec: ExecArgs,
}

/// A `--set` value: `SECTION.KEY=VALUE`, split at the first `=`.
fn parse_setting(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((path, value)) if !path.trim().is_empty() && !value.trim().is_empty() => {
            Ok((path.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!(
            "expected SECTION.KEY=VALUE (for example police.officers_per_10k=20), found `{text}`"
        )),
    }
}

/// Bad input found after parsing: a flag value out of range. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Runs the command line `args` and returns the process exit code.
pub fn main(args: Vec<OsString>) -> i32 {
    let command_line: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with code 0; usage errors to stderr with 2.
            let _ = err.print();
            return err.exit_code();
        }
    };
    let result = match cli.command {
        None => compare::default_job(command_line),
        Some(Command::Run(args)) => run::run(args, command_line),
        Some(Command::Sweep(args)) => sweep::run(args, command_line),
        Some(Command::Compare(args)) => compare::run(args, command_line),
        Some(Command::Merge(args)) => merge::run(args, command_line),
        Some(Command::Workshop(args)) => workshop::run(args),
        Some(Command::Check { file, diff }) => check::run(&file, diff),
        Some(Command::Report { dir }) => report::run(&dir),
        Some(Command::Analyse(args)) => analyse::run(args),
        Some(Command::Params { format, model }) => {
            print_stdout(&reference::params(model.into(), format))
        }
        Some(Command::Metrics { format, model }) => {
            print_stdout(&reference::metrics(model.into(), format))
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cogov", &mut out);
            print_stdout(&String::from_utf8_lossy(&out))
        }
        Some(Command::Manpage) => manpage(),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            print_error(&err);
            exit_code(&err)
        }
    }
}

/// `cogov manpage`: the manual page of every command, in roff.
fn manpage() -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .context("cannot render the manual page")?;
    print_stdout(&String::from_utf8_lossy(&out))
}

/// Writes to stdout; a reader that went away (`cogov params | head`) is not an error.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Prints the one message of a failure.
fn print_error(err: &anyhow::Error) {
    match err.downcast_ref::<ScenarioError>() {
        // Already complete, `error:` prefix included.
        Some(scenario_error) => eprintln!("{scenario_error}"),
        None => eprintln!("error: {err:#}"),
    }
}

/// 2 for input the user can fix, 130 for an interrupt, 3 when some runs failed but
/// the rest completed, 1 for failures while working.
fn exit_code(err: &anyhow::Error) -> i32 {
    let driver_error = err.chain().find_map(|c| c.downcast_ref::<DriverError>());
    if let Some(DriverError::Interrupted { .. }) = driver_error {
        return 130;
    }
    if err.chain().any(|c| c.is::<run::RunsFailed>()) {
        return 3;
    }
    let bad_input = err.chain().any(|cause| {
        cause.is::<ScenarioError>()
            || cause.is::<InputError>()
            || cause.is::<cogov::budget::BudgetError>()
            || cause
                .downcast_ref::<DriverError>()
                .is_some_and(DriverError::is_user_error)
            || cause
                .downcast_ref::<OutputError>()
                .is_some_and(OutputError::is_user_error)
            || cause
                .downcast_ref::<cogov::analysis::AnalysisError>()
                .is_some_and(analyse::is_user_error)
            || cause
                .downcast_ref::<ReportError>()
                .is_some_and(|e| matches!(e, ReportError::NotResults(_) | ReportError::Shard(..)))
    });
    if bad_input { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_means_the_default_comparison() {
        let cli = Cli::try_parse_from(["cogov"]).unwrap();
        assert!(cli.command.is_none());
    }

    #[test]
    fn run_flags_parse() {
        let cli = Cli::try_parse_from([
            "cogov", "run", "s.toml", "-n", "4", "--seed", "9", "--out", "d", "-j", "2", "-q",
        ])
        .unwrap();
        let Some(Command::Run(args)) = cli.command else {
            panic!("expected run");
        };
        assert_eq!(args.scenario, Some(PathBuf::from("s.toml")));
        assert_eq!(
            (args.replications, args.seed, args.exec.threads),
            (Some(4), Some(9), Some(2))
        );
        assert_eq!(args.exec.out, Some(PathBuf::from("d")));
        assert!(args.exec.quiet);
        assert!(Cli::try_parse_from(["cogov", "run", "--threads", "0"]).is_err());
    }

    #[test]
    fn exit_codes_separate_input_from_failure() {
        let input = anyhow::Error::new(InputError("bad".into())).context("while starting");
        assert_eq!(exit_code(&input), 2);
        let taken = anyhow::Error::new(OutputError::NotEmpty(PathBuf::from("x")));
        assert_eq!(exit_code(&taken), 2);
        let io = anyhow::Error::new(std::io::Error::other("disk full"));
        assert_eq!(exit_code(&io), 1);
    }
}
