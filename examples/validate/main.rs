//! The full versions of the validation experiments recorded in `VALIDATION.md`.
//!
//! ```text
//! cargo run --release --example validate -- --out output/validation
//! ```
//!
//! runs the results of `VALIDATION.md` with many replications (about five minutes
//! on two cores), writes one CSV per table into `--out`, prints a summary table per
//! result and the checks behind each verdict, and exits with status 1 when a check
//! comes out otherwise than `VALIDATION.md` records it (the verdict changed: read the
//! new numbers and update `VALIDATION.md`), or 2 when an output file cannot be written
//! (a scenario file that fails to load stops the program with its diagnostic).
//! `--only diffusion|gill|concentration|epstein|calibration|punishment` runs one
//! result.
//!
//! 1. Diffusion of responsibility (Darley and Latane 1968; Diekmann 1985):
//!    `diffusion.csv`, `bystander.csv`.
//! 2. Community-policing signature (Gill et al. 2014): `gill_effects.csv`, `gill_standardised.csv`,
//!    `gill_timing.csv`, `gill_curves.csv`, `gill_mechanisms.csv`.
//! 3. Concentration of incidents (Weisburd 2015): `concentration.csv`.
//! 4. Epstein 2002, the reference model: `epstein.csv`, `epstein_seeds.csv`,
//!    `epstein_waits.csv`.
//! 6. Calibration of the baseline against surveys' and studies' levels:
//!    `calibration.csv`.
//! 7. Pool and peer punishment with voluntary participation (Sigmund et al. 2010):
//!    `punishment.csv`.
//!
//! Every run goes through the library, as in `cogov run`, `cogov sweep` and `cogov
//! compare`: parameters come from the scenario files in `scenarios/`,
//! `scenarios/reference/` and `scenarios/validation/`, changed by parameter path;
//! replications are an [`cogov::experiment::Experiment`] run by
//! [`cogov::runner::replicate`], so replication r of a co-governance scenario runs on
//! `run_seed(scenario seed, r)` and those commands reproduce every such run (the
//! Epstein runs use seeds 1 to 40 themselves: see `epstein_runs.rs`). Runs execute in
//! parallel and are collected in run order, and every sum runs in that order on one
//! thread, so the CSVs do not depend on the thread count. The CSV files are
//! [`cogov::output::csv::CsvTable`]s, numbers written as in every results file.
//!
//! - `report.rs`: checks, findings and verdicts.
//! - `runs.rs`: scenarios, parameters by path, replications, reading outputs.
//! - `tables.rs`: CSV cells and files, numbers in printed tables.
//! - `diffusion.rs`, `gill.rs`, `concentration.rs`, `epstein.rs` (with
//!   `epstein_runs.rs`), `calibration.rs`, `punishment.rs`: one result each.
//!
//! The fast versions of the same checks are tests in
//! `tests/integration/validation.rs`.

mod calibration;
mod concentration;
mod diffusion;
mod epstein;
mod epstein_runs;
mod gill;
mod punishment;
mod report;
mod runs;
mod tables;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use report::Report;

#[derive(Parser)]
#[command(about = "Full versions of the validation experiments in VALIDATION.md")]
struct Args {
    /// Directory for the CSV files (created if missing).
    #[arg(long, default_value = "output/validation")]
    out: PathBuf,
    /// Run only this result.
    #[arg(long, value_enum)]
    only: Option<Part>,
}

/// One result's full version: runs it, writes its CSV files into the directory.
type RunPart = fn(&Path) -> std::io::Result<Report>;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    Diffusion,
    Gill,
    Concentration,
    Epstein,
    Calibration,
    Punishment,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: cannot create {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let parts: [(Part, RunPart); 6] = [
        (Part::Diffusion, diffusion::diffusion),
        (Part::Gill, gill::gill),
        (Part::Concentration, concentration::concentration),
        (Part::Epstein, epstein::epstein),
        (Part::Calibration, calibration::calibration),
        (Part::Punishment, punishment::punishment),
    ];
    let mut reports = Vec::new();
    for (part, run) in parts {
        if args.only.is_some_and(|only| only != part) {
            continue;
        }
        match run(&args.out) {
            Ok(report) => {
                report.print();
                reports.push(report);
            }
            Err(e) => {
                eprintln!("error: writing to {}: {e}", args.out.display());
                return ExitCode::from(2);
            }
        }
    }
    println!("\n== Verdicts\n");
    let mut changed = 0;
    for r in &reports {
        println!("{:<48} {}", r.title, r.verdict());
        changed += r.changed();
    }
    if changed > 0 {
        println!(
            "\n{changed} check(s) came out otherwise than VALIDATION.md records (marked CHANGED above): update VALIDATION.md."
        );
        return ExitCode::from(1);
    }
    println!(
        "\nEvery check came out as VALIDATION.md records. CSV files in {}.",
        args.out.display()
    );
    ExitCode::SUCCESS
}
