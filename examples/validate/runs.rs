//! Running the models through the library: scenario files, parameters set by path,
//! replications as an [`Experiment`] run by [`cogov::runner`], and reading a run's
//! metrics and series by the models' own indices. Also the plain statistics over
//! runs that several results share.
//!
//! Nothing here writes files or prints.

use std::path::Path;
use std::sync::OnceLock;

use cogov::experiment::Experiment;
use cogov::model::civil_violence::{CV_SERIES, CvMetric, CvSeries};
use cogov::model::co_governance::metrics::{Metric, SERIES, Series};
use cogov::model::{ModelParams, RunOutput};
use cogov::scenario::Scenario;
use cogov::schema::ParamValue;
use cogov::stats::Summary;

/// Loads a scenario file of this repository (path relative to its root).
///
/// # Panics
/// With the loader's diagnostic if the file does not load.
pub fn scenario(relative: &str) -> ModelParams {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    match Scenario::load(&path) {
        Ok(s) => s.params,
        Err(e) => panic!("{e}"),
    }
}

/// `params` with parameter `path` set to `value`.
///
/// # Panics
/// If the model has no such parameter or refuses the value.
pub fn with(params: &ModelParams, path: &str, value: ParamValue) -> ModelParams {
    let mut p = params.clone();
    set(&mut p, path, value);
    p
}

/// Sets parameter `path` to `value`.
///
/// # Panics
/// If the model has no such parameter or refuses the value.
pub fn set(params: &mut ModelParams, path: &str, value: ParamValue) {
    if let Err(e) = params.set(path, value) {
        panic!("{path} = {value}: {e}");
    }
}

/// The real-valued parameter `path`.
///
/// # Panics
/// If the model has no such parameter or it is not a real number.
pub fn real(params: &ModelParams, path: &str) -> f64 {
    match params.get(path) {
        Some(ParamValue::Real(x)) => x,
        other => panic!("{path} is not a real parameter: {other:?}"),
    }
}

/// The integer parameter `path`.
///
/// # Panics
/// If the model has no such parameter or it is not an integer.
pub fn int(params: &ModelParams, path: &str) -> i64 {
    match params.get(path) {
        Some(ParamValue::Int(n)) => n,
        other => panic!("{path} is not an integer parameter: {other:?}"),
    }
}

/// The pool every experiment runs on: rayon's default size (one thread per core,
/// or `RAYON_NUM_THREADS`).
pub fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .build()
            .expect("a thread pool")
    })
}

/// The outputs of `experiment`'s jobs, in job order.
///
/// # Panics
/// If a run fails (the runner's message names the job).
pub fn run(experiment: &Experiment) -> Vec<RunOutput> {
    cogov::runner::replicate(experiment, pool()).unwrap_or_else(|e| panic!("{e}"))
}

/// Replications `0..runs` of `params`, in run order: replication r runs on
/// `run_seed(params' run.seed, r)`, as in `cogov run`.
pub fn replicate(params: &ModelParams, runs: u64) -> Vec<RunOutput> {
    run(&Experiment::single(
        "validation",
        params.clone(),
        runs,
        params.seed(),
    ))
}

/// Co-governance metric `m` of a run.
pub fn metric(o: &RunOutput, m: Metric) -> f64 {
    o.metrics[m as usize]
}

/// Column `s` of a co-governance run's series, one value per day, warm-up first.
pub fn column(o: &RunOutput, s: Series) -> Vec<f64> {
    o.series
        .chunks_exact(SERIES.len())
        .map(|row| row[s as usize])
        .collect()
}

/// Civil-violence metric `m` of a run.
pub fn cv_metric(o: &RunOutput, m: CvMetric) -> f64 {
    o.metrics[m as usize]
}

/// Column `s` of a civil-violence run's series, one value per tick, warm-up first.
pub fn cv_column(o: &RunOutput, s: CvSeries) -> Vec<f64> {
    o.series
        .chunks_exact(CV_SERIES.len())
        .map(|row| row[s as usize])
        .collect()
}

/// Summary of `f(pair)` over pairs.
pub fn paired<T>(a: &[T], b: &[T], f: impl Fn(&T, &T) -> f64) -> Summary {
    let values: Vec<f64> = a.iter().zip(b).map(|(x, y)| f(x, y)).collect();
    Summary::of(&values)
}

pub fn mean(values: &[f64]) -> f64 {
    Summary::of(values).mean
}

/// The median of the defined values (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|x| !x.is_nan());
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => 0.5 * (values[n / 2 - 1] + values[n / 2]),
    }
}
