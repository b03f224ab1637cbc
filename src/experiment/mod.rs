//! Experiments: many scenarios' worth of runs with stable identities.
//!
//! An [`Experiment`] is a list of design points (each a full set of parameters) and a
//! number of replications. `cogov run` is an experiment with one point, `cogov sweep`
//! one with a point per row of a design (grid, random, Latin hypercube, Sobol), and
//! `cogov compare` one with a point per scenario. Every run is a [`Job`] whose
//! identity is `(point, replication, seed)`:
//!
//! - jobs are numbered replication-major: job `r * points + p` is replication `r` of
//!   point `p`, so an experiment grows by whole replications (adaptive comparisons add
//!   batches of replications; an interrupted experiment has its early replications of
//!   every point);
//! - replication `r` runs on seed [`run_seed`]`(seed, r)` at every point:
//!   common random numbers, so differences between points are not drowned by
//!   differences between random streams (a sweep may turn this off, giving each point
//!   its own streams, `run_seed(run_seed(seed, r), point + 1)`);
//! - a shard `K/N` runs the jobs whose number is `K - 1` modulo `N`.
//!
//! - [`design`] turns factors into design points (grid, random, Latin hypercube,
//!   Sobol with the Saltelli scheme); [`compare`] holds the paired statistics of a
//!   comparison and the adaptive stopping rule. Both are pure: no files, no clock, no
//!   thread-local generator.
//!
//! This module is pure and sits below the runner: it knows what a job is, not how
//! jobs run. Reading an experiment file is `crate::sweep`; running the jobs is
//! `crate::runner::run_jobs`; writing, resuming and merging their results is
//! `crate::output`.

pub mod compare;
pub mod design;
mod seed;

pub use seed::{base_seed_for, run_seed};

use crate::model::{Model, ModelParams};
use crate::schema::ParamValue;

/// What kind of experiment produced a results directory; it decides the leading
/// columns of `runs.csv`. Written to `plan.json` and the manifest by its [`Kind::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `cogov run`: one point; rows start `run,seed`.
    Run,
    /// `cogov sweep`: rows start `point,replication,seed,<swept parameters>`.
    Sweep,
    /// `cogov compare`: rows start `scenario,run,seed`.
    Compare,
}

impl Kind {
    /// The command that makes this kind of experiment, as files write it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
            Kind::Compare => "compare",
        }
    }
}

/// One design point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// How the point is named in output: the scenario name for a comparison, the
    /// point number for a sweep.
    pub label: String,
    /// The swept parameters' values at this point, in [`Experiment::columns`] order
    /// (empty for runs and comparisons).
    pub values: Vec<ParamValue>,
    /// The point's parameters, or why this combination is invalid; every run of an
    /// invalid point fails with that message and is recorded in `failures.csv`.
    pub params: Result<ModelParams, String>,
}

/// A set of runs with stable identities.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    pub kind: Kind,
    /// The model every point runs (its output tables give the files' columns).
    pub model: Model,
    /// Dotted paths of the swept parameters (sweeps only).
    pub columns: Vec<String>,
    pub points: Vec<Point>,
    /// Replications per point (for an adaptive comparison: the most it may run).
    pub replications: u64,
    /// Base seed; replication r uses `run_seed(seed, r)`.
    pub seed: u64,
    /// Common random numbers: replication r has the same seed at every point. When
    /// false, every point has its own independent streams.
    pub common_random_numbers: bool,
}

/// One run's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Position in the experiment's job order.
    pub index: u64,
    pub point: usize,
    pub replication: u64,
    pub seed: u64,
}

/// A subset of the jobs: shard `index` (1-based) of `count`. Read from and written
/// as `K/N` (`--shard 2/8`, `"shard": "2/8"` in `plan.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole experiment.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// True when job number `index` belongs to this shard.
    pub fn owns(self, index: u64) -> bool {
        index % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Why a text is not a shard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected K/N with 1 <= K <= N (for example 2/8), found `{0}`")]
pub struct ShardError(pub String);

impl std::str::FromStr for Shard {
    type Err = ShardError;

    /// Parses `K/N` with 1 <= K <= N.
    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(text.to_string());
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl serde::Serialize for Shard {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Shard {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Shard, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Labels for points named `names`, in order: a name that is already taken gets
/// `#2`, `#3`, ... (a comparison of two scenarios with the same name).
pub fn unique_labels<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for name in names {
        let mut label = name.to_string();
        let mut k = 2;
        while labels.contains(&label) {
            label = format!("{name}#{k}");
            k += 1;
        }
        labels.push(label);
    }
    labels
}

impl Experiment {
    /// An experiment of one scenario: `cogov run`.
    pub fn single(label: &str, params: ModelParams, replications: u64, seed: u64) -> Experiment {
        Experiment {
            kind: Kind::Run,
            model: params.model(),
            columns: Vec::new(),
            points: vec![Point {
                label: label.to_string(),
                values: Vec::new(),
                params: Ok(params),
            }],
            replications,
            seed,
            common_random_numbers: true,
        }
    }

    /// Total number of jobs (points x replications).
    pub fn job_count(&self) -> u64 {
        self.points.len() as u64 * self.replications
    }

    /// The job at position `index` in the job order.
    pub fn job(&self, index: u64) -> Job {
        let points = self.points.len().max(1) as u64;
        let replication = index / points;
        let point = (index % points) as usize;
        let shared = run_seed(self.seed, replication);
        let seed = if self.common_random_numbers {
            shared
        } else {
            run_seed(shared, point as u64 + 1)
        };
        Job {
            index,
            point,
            replication,
            seed,
        }
    }

    /// The job number of replication `replication` of point `point`.
    pub fn job_index(&self, point: usize, replication: u64) -> u64 {
        replication * self.points.len() as u64 + point as u64
    }

    /// The longest run any point makes, in days (for sizing time series).
    pub fn max_ticks(&self) -> u64 {
        self.points
            .iter()
            .filter_map(|p| p.params.as_ref().ok())
            .map(|p| p.ticks() + p.warmup_ticks())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn experiment(points: usize, replications: u64) -> Experiment {
        let point = |i: usize| Point {
            label: i.to_string(),
            values: Vec::new(),
            params: Ok(ModelParams::CoGovernance(
                crate::model::co_governance::params::Params::default(),
            )),
        };
        Experiment {
            kind: Kind::Sweep,
            model: Model::CoGovernance,
            columns: Vec::new(),
            points: (0..points).map(point).collect(),
            replications,
            seed: 7,
            common_random_numbers: true,
        }
    }

    #[test]
    fn jobs_are_replication_major_with_common_seeds() {
        let e = experiment(3, 4);
        assert_eq!(e.job_count(), 12);
        let j = e.job(7);
        assert_eq!((j.point, j.replication), (1, 2));
        assert_eq!(e.job_index(1, 2), 7);
        // Replication 2 has the same seed at every point.
        assert_eq!(e.job(6).seed, e.job(8).seed);
        assert_ne!(e.job(6).seed, e.job(9).seed);
        // Without common random numbers every job has its own seed.
        let mut independent = e.clone();
        independent.common_random_numbers = false;
        let mut seeds: Vec<u64> = (0..12).map(|i| independent.job(i).seed).collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), 12);
        assert!((0..12).all(|i| independent.job(i).seed != e.job(i).seed));
        for i in 0..e.job_count() {
            let j = e.job(i);
            assert_eq!(e.job_index(j.point, j.replication), i);
        }
    }

    #[test]
    fn shards_partition_the_jobs() {
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for i in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.owns(i)).count(), 1);
        }
        assert!(Shard::ALL.owns(17));
    }

    #[test]
    fn shard_parsing() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        let shard: Shard = serde_json::from_str("\"3/4\"").unwrap();
        assert_eq!(serde_json::to_string(&shard).unwrap(), "\"3/4\"");
        assert!(serde_json::from_str::<Shard>("\"5/4\"").is_err());
        assert_eq!(
            serde_json::to_string(&Kind::Compare).unwrap(),
            "\"compare\""
        );
        assert_eq!(
            unique_labels(["a", "b", "a", "a"]),
            ["a", "b", "a#2", "a#3"]
        );
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
