//! Throughput benchmarks of cogov's models and experiments, with fixed seeds.
//!
//! Run with `cargo bench --bench engine` (all of them take about two minutes), or one
//! group with a filter, e.g. `cargo bench --bench engine -- epstein`. Results, the
//! targets and the machine are in BENCHMARKS.md.
//!
//! - `resident_steps`: one co-governance run, one thread, default parameters at
//!   10,000, 100,000 and 1,000,000 residents (1,000 residents per grid: 400
//!   households of 2.5 persons), 100 measured days and no warm-up, so every figure is
//!   the model's steady per-day cost; counted in resident-steps (residents x days).
//! - `default_comparison`: the default job of `cargo run --release` (the embedded
//!   baseline, the five reforms and their union, 20 replications each: 140 runs of
//!   28,296 residents for 730 days) on 2 threads, without writing files; counted in
//!   runs.
//! - `small_run_sweep`: 200 runs of a 3 x 3 district (7,074 residents, 100 warm-up and
//!   365 measured days), a sweep's typical job, on 1 and 2 threads; counted in runs,
//!   so the two figures give the parallel efficiency.
//! - `epstein_mesa_parity`: the civil-violence model's Mesa-parity preset
//!   (`scenarios/reference/mesa_parity.toml`) for 200 steps, one run on one thread and
//!   10 replications on 1 and 2 threads (the side-by-side with Mesa in
//!   `benches/peer/`); counted in agent-steps (citizens and cops x steps).
//! - `report`: building `report.html` and its charts (`cogov::report::build`, no
//!   disk writes) from finished results the `cogov` binary writes once before the
//!   samples: two 10,000-run Latin hypercube sweeps of a tiny district (2,000 points
//!   x 5 replications, and 10,000 points x 1: the largest scatter panel), and the
//!   default job's comparison (140 runs, weekly time series); counted in runs.
//! - `writer`: one run's rows rendered as text (on its worker) and appended with
//!   their checksums and a checkpoint (the writing thread's share), for a default
//!   co-governance run and a Mesa-parity run; counted in runs.
//! - `workshop`: the workshop's first numbers without the HTTP (one pair of the
//!   default district on 2 threads, with and without the map), and one default run
//!   untraced against traced.

use cogov::experiment::{Experiment, Kind, Point, Shard};
use cogov::model::ModelParams;
use cogov::model::civil_violence::{self, mesa_parity};
use cogov::model::co_governance::params::Params;
use cogov::model::co_governance::simulate;
use cogov::runner::{JobRecord, run_jobs};
use cogov::scenario::{BUILTIN_FILES, Scenario};
use cogov::schema::ParamValue;
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

const TICKS: u32 = 100;

fn district(residents: usize) -> Params {
    let mut p = Params::default();
    p.district.households_per_grid = 400;
    p.district.persons_per_household = 2.5;
    let grids = residents / 1_000;
    p.district.width = 10.min(grids as u32);
    p.district.height = (grids as u32).div_ceil(10);
    p.run.warmup_ticks = 0;
    p.run.ticks = TICKS;
    assert_eq!(p.residents() as usize, residents, "district size");
    p
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 10, sample_size = 1)]
fn resident_steps(bencher: Bencher, residents: usize) {
    let p = district(residents);
    bencher
        .counter(ItemsCount::new(residents * TICKS as usize))
        .bench(|| simulate(black_box(&p), black_box(42)));
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

/// Runs every job of `experiment` on `pool`, keeping only a checksum of the metrics
/// so nothing is optimised away and nothing is written.
fn run_all(experiment: &Experiment, pool: &rayon::ThreadPool) -> f64 {
    let mut sum = 0.0;
    let end = run_jobs(
        experiment,
        0..experiment.job_count(),
        Shard::ALL,
        pool,
        |records: &[JobRecord]| -> Result<(), ()> {
            for r in records {
                if let cogov::runner::Outcome::Finished(out) = &r.outcome {
                    sum += out.metrics.iter().filter(|x| x.is_finite()).sum::<f64>();
                }
            }
            Ok(())
        },
        &|_| {},
        &|| false,
    );
    assert!(end.is_ok());
    sum
}

/// The default job's experiment: the embedded baseline, the five reforms and their
/// union, as `cargo run --release` builds it.
fn default_comparison_experiment() -> Experiment {
    let scenarios: Vec<Scenario> = BUILTIN_FILES
        .iter()
        .map(|(n, _)| Scenario::builtin_file(n).expect("embedded").expect("valid"))
        .collect();
    let base = &scenarios[0].params;
    Experiment {
        kind: Kind::Compare,
        model: base.model(),
        columns: vec![],
        points: scenarios
            .iter()
            .map(|s| Point {
                label: s.name.clone(),
                values: vec![],
                params: Ok(s.params.clone()),
            })
            .collect(),
        replications: base.replications(),
        seed: base.seed(),
        common_random_numbers: true,
    }
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn default_comparison(bencher: Bencher) {
    let experiment = default_comparison_experiment();
    let pool = pool(2);
    bencher
        .counter(ItemsCount::new(experiment.job_count() as usize))
        .bench(|| run_all(black_box(&experiment), &pool));
}

/// 200 runs of a 3 x 3 district, as one point replicated (the runs of a sweep).
fn small_runs() -> Experiment {
    let mut p = Params::default();
    p.district.width = 3;
    p.district.height = 3;
    p.run.warmup_ticks = 100;
    p.run.ticks = 365;
    Experiment::single("small", p.into(), 200, 42)
}

#[divan::bench(args = [1, 2], sample_count = 5, sample_size = 1)]
fn small_run_sweep(bencher: Bencher, threads: usize) {
    let experiment = small_runs();
    let pool = pool(threads);
    bencher
        .counter(ItemsCount::new(experiment.job_count() as usize))
        .bench(|| run_all(black_box(&experiment), &pool));
}

const EPSTEIN_STEPS: u32 = 200;

fn mesa_200() -> civil_violence::CvParams {
    let mut p = mesa_parity();
    p.run.ticks = EPSTEIN_STEPS;
    p
}

/// Agents (citizens and cops) the Mesa-parity lattice holds on average: 40 x 40
/// cells x (0.7 + 0.074).
const MESA_AGENTS: usize = 1_238;

mod epstein_mesa_parity {
    use super::*;

    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn one_run(bencher: Bencher) {
        let p = mesa_200();
        bencher
            .counter(ItemsCount::new(MESA_AGENTS * EPSTEIN_STEPS as usize))
            .bench(|| civil_violence::simulate(black_box(&p), black_box(42)));
    }

    #[divan::bench(args = [1, 2], sample_count = 10, sample_size = 1)]
    fn ten_replications(bencher: Bencher, threads: usize) {
        let experiment = Experiment::single("mesa", mesa_parity_scenario(), 10, 42);
        let pool = pool(threads);
        bencher
            .counter(ItemsCount::new(10 * MESA_AGENTS * EPSTEIN_STEPS as usize))
            .bench(|| run_all(black_box(&experiment), &pool));
    }
}

/// `scenarios/reference/mesa_parity.toml` with 200 steps, as `cogov run` would run it.
fn mesa_parity_scenario() -> ModelParams {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/reference/mesa_parity.toml"
    );
    let mut params = Scenario::load(std::path::Path::new(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .params;
    params
        .set("run.ticks", ParamValue::Int(i64::from(EPSTEIN_STEPS)))
        .expect("a valid tick count");
    params
}

/// What one run costs the thread that writes results, against what it costs the
/// worker that ran it: the serial part of an experiment's throughput (BENCHMARKS.md,
/// section 4, "Scaling beyond 2 cores").
mod writer {
    use super::*;
    use cogov::model::Model;
    use cogov::output::{Layout, Plan, Rendered, Store};
    use cogov::runner::Outcome;

    /// Runs of each case written per sample, in batches of 2 (two threads' worth).
    const RUNS: u64 = 40;

    /// The default district (730 days, daily time series) and the Mesa-parity
    /// lattice (200 steps, daily series and the final map).
    fn case(name: &str) -> (Experiment, Layout, Vec<JobRecord>, Vec<Rendered>) {
        let params: ModelParams = match name {
            "co-governance" => Params::default().into(),
            _ => mesa_parity_scenario(),
        };
        let output = params.simulate(7);
        let experiment = Experiment::single("writer", params, RUNS, 7);
        let layout = Layout::of(&experiment, 1);
        let records: Vec<JobRecord> = (0..RUNS)
            .map(|i| JobRecord {
                job: experiment.job(i),
                outcome: Outcome::Finished(output.clone()),
            })
            .collect();
        let rendered = records.iter().map(|r| layout.render(r)).collect();
        (experiment, layout, records, rendered)
    }

    /// Rendering a run's rows as text, on the worker that ran it.
    #[divan::bench(args = ["co-governance", "mesa parity"], sample_count = 10, sample_size = 1)]
    fn render(bencher: Bencher, name: &str) {
        let (_, layout, records, _) = case(name);
        bencher.counter(ItemsCount::new(RUNS)).bench(|| {
            records
                .iter()
                .map(|r| layout.render(r).runs.len())
                .sum::<usize>()
        });
    }

    /// Appending rendered runs to a results directory, with the checksums and a
    /// checkpoint a batch: the writing thread's whole share.
    #[divan::bench(args = ["co-governance", "mesa parity"], sample_count = 10, sample_size = 1)]
    fn write(bencher: Bencher, name: &str) {
        let (experiment, layout, records, rendered) = case(name);
        assert_eq!(
            experiment.model,
            if name == "co-governance" {
                Model::CoGovernance
            } else {
                Model::CivilViolence
            }
        );
        let scratch = tempfile::tempdir().expect("a temporary directory");
        let plan = Plan::new(&experiment, Shard::ALL, 1, None);
        let mut n = 0;
        bencher
            .counter(ItemsCount::new(RUNS))
            .with_inputs(|| {
                n += 1;
                Store::create(&scratch.path().join(format!("r{n}")), layout.clone(), &plan)
                    .expect("a new results directory")
            })
            .bench_local_values(|mut store| {
                for (i, (r, t)) in records.chunks(2).zip(rendered.chunks(2)).enumerate() {
                    store
                        .write_rendered(r, t, 2 * (i as u64 + 1))
                        .expect("written");
                }
                store
            });
    }
}

mod report {
    use divan::Bencher;
    use divan::counter::ItemsCount;
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;

    /// A directory that lives as long as the benchmark process.
    fn scratch() -> &'static Path {
        static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
        DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
            .path()
    }

    /// Runs `cogov args... --quiet --out name` in the scratch directory once.
    fn results(name: &str, files: &[(&str, &str)], args: &[&str]) -> PathBuf {
        let dir = scratch();
        let out = dir.join(name);
        if !out.exists() {
            for (file, text) in files {
                std::fs::write(dir.join(file), text).expect("write an input file");
            }
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_cogov"))
                .args(args)
                .args(["--quiet", "--out", name])
                .current_dir(dir)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("cogov runs");
            assert!(status.success(), "cogov {args:?} failed");
        }
        out
    }

    const TINY: &str = "name = \"tiny\"\n[run]\nticks = 10\nwarmup_ticks = 0\n[district]\nwidth = 3\nheight = 3\nhouseholds_per_grid = 20\n";

    fn lhs(samples: u32, replications: u32) -> String {
        format!(
            "name = \"lhs\"\nscenario = \"tiny.toml\"\ndesign = \"lhs\"\nsamples = {samples}\ndesign_seed = 1\nreplications = {replications}\n[parameters]\n\"liability.clarity\" = {{ min = 0.1, max = 0.9 }}\n\"trust.contact_rate\" = {{ min = 0.05, max = 0.3 }}\n\"channels.count\" = {{ min = 1, max = 6 }}\n"
        )
    }

    #[divan::bench(args = [(2000, 5), (10_000, 1)], sample_count = 5, sample_size = 1)]
    fn sweep_10000_runs(bencher: Bencher, design: (u32, u32)) {
        let (samples, replications) = design;
        let name = format!("lhs-{samples}x{replications}");
        let file = format!("{name}.toml");
        let dir = results(
            &name,
            &[("tiny.toml", TINY), (&file, &lhs(samples, replications))],
            &["sweep", &file],
        );
        bencher
            .counter(ItemsCount::new((samples * replications) as usize))
            .bench(|| cogov::report::build(&dir).expect("a report"));
    }

    /// The default job's results: `cogov` without a command writes them under
    /// `output/` (it takes no flags), once.
    fn default_job() -> PathBuf {
        static DIR: OnceLock<PathBuf> = OnceLock::new();
        DIR.get_or_init(|| {
            let dir = scratch().join("default");
            std::fs::create_dir_all(&dir).expect("a directory");
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_cogov"))
                .current_dir(&dir)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("cogov runs");
            assert!(status.success(), "the default job failed");
            let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("output"))
                .expect("output/")
                .map(|e| e.expect("an entry").path())
                .collect();
            assert_eq!(found.len(), 1, "one results directory");
            found.remove(0)
        })
        .clone()
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn default_comparison(bencher: Bencher) {
        let dir = default_job();
        bencher
            .counter(ItemsCount::new(140usize))
            .bench(|| cogov::report::build(&dir).expect("a report"));
    }
}

mod workshop {
    use cogov::scenario::Scenario;
    use cogov::workshop::{Event, MAP_EVERY, MAP_MOVES_PER_DAY, Request, stream};
    use divan::{Bencher, black_box};

    /// The workshop's first numbers without the HTTP: one pair of the default district
    /// (the baseline against the clarified-responsibility reform) on 2 threads, and
    /// its map, as `POST /api/run` computes them before its first `update` and `map`.
    #[divan::bench(args = [false, true], sample_count = 10, sample_size = 1)]
    fn first_pair(bencher: Bencher, map: bool) {
        let base = Scenario::builtin().params;
        let current = Scenario::builtin_file("reform_clarify_responsibility.toml")
            .expect("embedded")
            .expect("valid")
            .params;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        bencher.bench(|| {
            let request = Request {
                base: &base,
                current: &current,
                names: ["baseline", "workshop"],
                replications: 1,
                seed: base.seed(),
                every: 7,
                map,
            };
            let mut events = 0;
            let results = stream(&request, &pool, &|| false, &mut |e| {
                events += usize::from(matches!(e, Event::Snapshot(_) | Event::Map(_)));
            });
            black_box((events, results))
        });
    }

    /// What tracing costs: one default run, untraced and traced (the map's frames
    /// and moves).
    #[divan::bench(args = [false, true], sample_count = 10, sample_size = 1)]
    fn traced_run(bencher: Bencher, traced: bool) {
        let params = Scenario::builtin().params;
        bencher.bench(|| {
            if traced {
                black_box(params.simulate_traced(7, MAP_EVERY, MAP_MOVES_PER_DAY).1);
            } else {
                black_box(params.simulate(7));
            }
        });
    }
}

fn main() {
    // The scenario file and the library preset must be the same run.
    let file = mesa_parity_scenario();
    assert_eq!(
        file.civil_violence(),
        Some(&mesa_200()),
        "the Mesa-parity file and preset differ"
    );
    divan::main();
}
