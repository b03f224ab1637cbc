//! cogov's one integration-test binary (`autotests = false`). Each module covers one
//! area; helpers shared between them live in `util`.
//!
//! - `analyse`: `cogov analyse` on Sobol, Morris and Latin hypercube sweeps, and
//!   `cogov compare --uncertainty`: the files, the indices and effects known to be
//!   exactly 0, determinism across threads, shards and bootstrap seeds, refusals.
//! - `browser`: headless Chromium renders the reports of a comparison, a run and a
//!   sweep without a console message and with the charts on screen.
//! - `cli`: the `cogov` command line end to end: help, references, `run`'s files,
//!   refusals, determinism across thread counts, error messages and exit codes.
//! - `commands`: `--set`, `check` of experiment files and `--diff`, the horizon
//!   warning of `compare`, `sweep --seed`, `merge -q`, completions and the manual
//!   page, and the build the manifest records.
//! - `directions`: each reform moves its metrics the way its mechanisms say, by
//!   paired comparison with common random numbers.
//! - `experiments`: sweeps, paired comparisons, shards and merge, killed and resumed
//!   runs, failed runs: data files independent of threads, shards and interruptions.
//! - `docs`: the generated references in `docs/` match the code's tables.
//! - `layers`: every module of `src/` imports only the layers ARCHITECTURE.md allows
//!   it, so no import goes up a layer and no import circle forms.
//! - `golden`: fixed-seed runs of both models pinned to a hash of their outputs, so an
//!   optimisation cannot change a result unnoticed.
//! - `properties`: properties of the model core on random small districts (proptest):
//!   values inside their documented ranges, NaN only for its documented reason,
//!   determinism, series shape, conservation of the population.
//! - `reference`: the civil-violence reference model through the same commands: its
//!   scenario files are the model's presets, and its runs, sweeps and comparisons are
//!   deterministic across threads and shards.
//! - `reliability`: a second process on a results directory is refused naming the
//!   first, runs racing for a default directory take distinct ones, named pipes are
//!   refused without blocking, a line of megabytes gives a short error.
//! - `report`: `report.html` and `plots/*.svg` of runs, comparisons, sweeps and
//!   merges: self-contained, well-formed, every chart titled and labelled, rebuilt
//!   byte for byte by `cogov report`; snapshots of small fixed-seed charts.
//! - `report_analysis`: the analysis in the reports: a sweep's sensitivity indices
//!   (Sobol S1 and ST bars, PRCC and SRC bars, the Morris plot) ranked with their
//!   intervals, an uncertainty comparison's robustness report (shares of worlds
//!   improved, PRIM boxes in words), and reports without their analysis files.
//! - `scenarios`: every file in `scenarios/` passes `cogov check`, every file in
//!   `tests/data/malformed/` is refused with its expected message, and the reform
//!   files add up to `reform_combined.toml`.
//! - `stability`: a Latin hypercube over every free parameter's plausible range (read
//!   from `cogov params --format json`) gives no implausible incident rate and no
//!   runaway; districts of different sizes give the same per-capita results.
//! - `validation`: fast versions of VALIDATION.md's results (diffusion of
//!   responsibility against the volunteer's-dilemma closed form, concentration of
//!   incidents, the community-policing signature), fixed seeds, tolerances from the
//!   number of calls or runs.
//! - `workshop`: `cogov workshop` on an ephemeral port: the JSON API on good and bad
//!   input, twenty clients at once, cancellation, a client that leaves, the
//!   downloaded scenario reproducing the numbers with `cogov compare`; the levers
//!   against the reform files and docs/levers.md.

mod analyse;
mod browser;
mod cli;
mod commands;
mod directions;
mod docs;
mod experiments;
mod golden;
mod layers;
mod properties;
mod reference;
mod reliability;
mod report;
mod report_analysis;
mod scenarios;
mod stability;
mod util;
mod validation;
mod workshop;
mod workshop_browser;
