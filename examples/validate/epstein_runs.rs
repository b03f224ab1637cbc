//! The runs of result 4 (Epstein 2002): the configurations, each a scenario file of
//! `scenarios/reference/` or `scenarios/validation/` with at most one parameter set by
//! path, run on seeds 1 to 40 through the library's runner, and the statistics of one
//! run that the tables need, read from its metrics and series.

use cogov::experiment::{Experiment, Kind, Point, base_seed_for};
use cogov::model::civil_violence::{CvMetric, CvSeries};
use cogov::model::{Model, ModelParams, RunOutput};
use cogov::schema::ParamValue;

use crate::runs::{cv_column, cv_metric, int, run, scenario, with};

/// Seeds per configuration: seeds 1 to 40.
pub const EPSTEIN_SEEDS: u64 = 40;

/// Statistics of one civil-violence run that the table needs.
pub struct CvRun {
    pub outbursts: f64,
    pub calm_share: f64,
    pub mean_active: f64,
    pub max_active: f64,
    pub mean_peak: f64,
    pub tip: f64,
    /// Cops on the lattice in the tick of tipping (NaN if the run did not tip).
    pub cops_at_tip: f64,
    /// Largest number of actives from tick 77 on (runs 3 and 4).
    pub peak_after_77: f64,
    /// Calm ticks between consecutive outbursts.
    pub waits: Vec<f64>,
    /// Actives summed over each outburst's ticks.
    pub activations: Vec<f64>,
}

/// Outbursts in a series of actives: maximal runs of ticks strictly above `level`, as
/// `civil_violence::metrics` defines them. Returns the waits between consecutive
/// outbursts and each outburst's total activation.
fn outburst_lists(actives: &[f64], level: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut waits, mut activations) = (Vec::new(), Vec::new());
    let mut current: Option<f64> = None;
    let mut calm: Option<f64> = None;
    for &a in actives {
        if a > level {
            if current.is_none()
                && let Some(w) = calm.take()
            {
                waits.push(w);
            }
            *current.get_or_insert(0.0) += a;
        } else {
            if let Some(total) = current.take() {
                activations.push(total);
                calm = Some(0.0);
            }
            if let Some(w) = calm.as_mut() {
                *w += 1.0;
            }
        }
    }
    if let Some(total) = current {
        activations.push(total);
    }
    (waits, activations)
}

/// The statistics of run `o` of the configuration `p`.
fn cv_run(p: &ModelParams, o: &RunOutput) -> CvRun {
    let m = |x| cv_metric(o, x);
    let actives = cv_column(o, CvSeries::Active);
    // The scenario's outburst level is a number of actives.
    let level = int(p, "outbursts.level") as f64;
    let warmup = p.warmup_ticks() as usize;
    let (waits, activations) = outburst_lists(&actives[warmup..], level);
    assert_eq!(
        activations.len() as f64,
        m(CvMetric::Outbursts),
        "the outburst lists disagree with the model's count"
    );
    let tip = m(CvMetric::TimeToTipping);
    let cops_at_tip = if tip.is_nan() {
        f64::NAN
    } else {
        cv_column(o, CvSeries::Cops)
            .get(tip as usize - 1)
            .copied()
            .unwrap_or(f64::NAN)
    };
    CvRun {
        outbursts: m(CvMetric::Outbursts),
        calm_share: m(CvMetric::CalmShare),
        mean_active: m(CvMetric::MeanActive),
        max_active: m(CvMetric::MaxActive),
        mean_peak: m(CvMetric::OutburstMeanPeak),
        tip,
        cops_at_tip,
        peak_after_77: actives.iter().skip(76).copied().fold(0.0, f64::max),
        waits,
        activations,
    }
}

/// One configuration of the Epstein model and what the paper shows for it.
pub struct CvConfig {
    pub name: &'static str,
    pub params: ModelParams,
    pub paper: &'static str,
}

impl CvConfig {
    /// The arrest rule's name, capitalised: `Floored`, `Printed` or `Rounded`.
    pub fn arrest_rule(&self) -> String {
        let Some(ParamValue::Choice(rule)) = self.params.get("arrest.rule") else {
            panic!("a civil-violence scenario has an arrest rule");
        };
        let mut chars = rule.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }
}

/// The paper's runs 1 to 5 as `scenarios/reference/` holds them.
const PAPER_RUNS: [&str; 5] = [
    "scenarios/reference/epstein_run1_deception.toml",
    "scenarios/reference/epstein_run2_punctuated_equilibrium.toml",
    "scenarios/reference/epstein_run3_gradual_decline.toml",
    "scenarios/reference/epstein_run4_sudden_drop.toml",
    "scenarios/reference/epstein_run5_cop_reduction.toml",
];

/// Every configuration of the table, in its order. Each scenario file runs with its
/// own arrest rule (floored, or rounded for Mesa parity), or with `arrest.rule` set.
pub fn cv_configs() -> Vec<CvConfig> {
    let run = |n: usize| scenario(PAPER_RUNS[n - 1]);
    let rule =
        |p: &ModelParams, name: &'static str| with(p, "arrest.rule", ParamValue::Choice(name));
    let gradual_same_size = scenario("scenarios/validation/epstein_run3_gradual_to_0.7.toml");
    let cops_kept = scenario("scenarios/validation/epstein_run5_cops_kept.toml");
    let run1 = "Fig. 2: local outbursts; agents turn active where no cop is in view (deception)";
    let run2 = "Figs. 3-7: long quiet periods broken by outbursts; mean wait about 60 (sd about 55), mean total activation about 708 per outburst (transcription, unverified)";
    let run3 = "Fig. 9: a large legitimacy fall in small increments, no outburst";
    let run4 = "Fig. 10: a smaller fall in one jump at t = 77, a large outburst";
    let run5 = "Fig. 11: cops reduced in increments, rebellion past a critical density";
    let same_size = "(not in the paper) the gradual fall stopped at the jump's level";
    let control = "(control) no cop withdrawn";
    let config = |name: &'static str, params: ModelParams, paper: &'static str| CvConfig {
        name,
        params,
        paper,
    };
    vec![
        config("run 1, floored", run(1), run1),
        config("run 1, printed", rule(&run(1), "printed"), run1),
        config("run 2, floored", run(2), run2),
        config("run 2, printed", rule(&run(2), "printed"), run2),
        config("run 2, rounded", rule(&run(2), "rounded"), run2),
        config("run 3, floored", run(3), run3),
        config(
            "run 3 to 0.7, floored",
            gradual_same_size.clone(),
            same_size,
        ),
        config("run 3, printed", rule(&run(3), "printed"), run3),
        config(
            "run 3 to 0.7, printed",
            rule(&gradual_same_size, "printed"),
            same_size,
        ),
        config("run 4, floored", run(4), run4),
        config("run 4, printed", rule(&run(4), "printed"), run4),
        config("run 5, floored", run(5), run5),
        config("run 5, printed", rule(&run(5), "printed"), run5),
        config("run 5 cops kept, floored", cops_kept.clone(), control),
        config(
            "run 5 cops kept, printed",
            rule(&cops_kept, "printed"),
            control,
        ),
        config(
            "Mesa 3.x parity",
            scenario("scenarios/reference/mesa_parity.toml"),
            "Mesa's bundled example (departures from the paper documented in the module)",
        ),
    ]
}

/// The runs of every configuration on seeds 1 to [`EPSTEIN_SEEDS`]: `runs[c][s - 1]`
/// is configuration c on seed s.
///
/// The runs use the seeds themselves, as `VALIDATION.md` records, rather than
/// `run_seed(run.seed, r)`. Seed s is one experiment with a point per configuration
/// and one replication, on common random numbers, whose base seed is the one whose
/// replication 0 runs on s (see [`base_seed_for`]).
pub fn run_configs(configs: &[CvConfig]) -> Vec<Vec<CvRun>> {
    let mut runs: Vec<Vec<CvRun>> = configs.iter().map(|_| Vec::new()).collect();
    for seed in 1..=EPSTEIN_SEEDS {
        let experiment = Experiment {
            kind: Kind::Compare,
            model: Model::CivilViolence,
            columns: Vec::new(),
            points: configs
                .iter()
                .map(|c| Point {
                    label: c.name.to_string(),
                    values: Vec::new(),
                    params: Ok(c.params.clone()),
                })
                .collect(),
            replications: 1,
            seed: base_seed_for(seed),
            common_random_numbers: true,
        };
        for job in 0..experiment.job_count() {
            assert_eq!(
                experiment.job(job).seed,
                seed,
                "every run is on seed {seed}"
            );
        }
        for ((c, output), config) in run(&experiment).iter().enumerate().zip(configs) {
            runs[c].push(cv_run(&config.params, output));
        }
    }
    runs
}
