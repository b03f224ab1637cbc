//! The command line: flags (clap), the commands, and how failures are reported.
//!
//! `cogov` with no command runs the built-in scenario with its defaults, so
//! `cargo run --release` does something useful. Every failure ends here as one message
//! on stderr starting with `error:`, and an exit code: 2 when the input was wrong (a
//! scenario, a flag, a results directory that is taken), 1 when something failed
//! while working (I/O). A scenario error is printed exactly as the loader wrote it: it
//! already names the file, line, column and key.

mod reference;
mod run;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cogov::output::OutputError;
use cogov::scenario::{Scenario, ScenarioError};
use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cogov",
    version,
    about = "Agent-based simulator of collaborative governance in urban community policing",
    long_about = "Agent-based simulator of collaborative governance in urban community policing.\n\n\
        Without a command, `cogov` runs the built-in Tongxiang baseline scenario with its \
        default replications and writes the results under output/."
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
    /// day) and manifest.json (version, scenario, parameters, seed, times) into the
    /// results directory, and prints a summary table.
    ///
    /// Files are written into DIR.partial-<pid> and renamed to DIR only when complete,
    /// so DIR never holds half a run. A run that fails or is interrupted (Ctrl-C)
    /// leaves the .partial-<pid> directory with the replications finished so far; it
    /// does not get in the way of later runs and can be deleted.
    Run(RunArgs),
    /// Validate a scenario file and print its resolved parameters
    Check {
        /// Scenario file (TOML)
        scenario: PathBuf,
    },
    /// Print the reference of every scenario parameter
    Params {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the reference of every output column (metrics and time series)
    Metrics {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// How a reference is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for the terminal
    Text,
    /// Markdown tables, for documentation
    Markdown,
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
    /// Results directory; must not exist or be empty (results are never overwritten)
    /// [default: output/<scenario name>-<UTC time>]
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads [default: one per logical CPU]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Print only the results directory: no progress bar, no summary table
    #[arg(long, short)]
    pub quiet: bool,
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
        None => run::run(RunArgs::default(), command_line),
        Some(Command::Run(args)) => run::run(args, command_line),
        Some(Command::Check { scenario }) => check(&scenario),
        Some(Command::Params { format }) => print_stdout(&reference::params(format)),
        Some(Command::Metrics { format }) => print_stdout(&reference::metrics(format)),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            report(&err);
            exit_code(&err)
        }
    }
}

/// `cogov check`: validate and show what the model will see.
fn check(path: &std::path::Path) -> anyhow::Result<()> {
    let scenario = Scenario::load(path)?;
    let files: Vec<String> = scenario
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    print_stdout(&format!(
        "ok: {} ({})\n\n{}",
        scenario.name,
        files.join(", "),
        scenario.resolved_toml()
    ))
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
fn report(err: &anyhow::Error) {
    match err.downcast_ref::<ScenarioError>() {
        // Already complete, `error:` prefix included.
        Some(scenario_error) => eprintln!("{scenario_error}"),
        None => eprintln!("error: {err:#}"),
    }
}

/// 2 for input the user can fix, 1 for failures while working.
fn exit_code(err: &anyhow::Error) -> i32 {
    let bad_input = err.chain().any(|cause| {
        cause.is::<ScenarioError>()
            || cause.is::<InputError>()
            || cause
                .downcast_ref::<OutputError>()
                .is_some_and(OutputError::is_user_error)
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
    fn no_command_means_run_with_defaults() {
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
            (args.replications, args.seed, args.threads),
            (Some(4), Some(9), Some(2))
        );
        assert_eq!(args.out, Some(PathBuf::from("d")));
        assert!(args.quiet);
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
