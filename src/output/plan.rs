//! `plan.json`: the identity of an experiment, typed.
//!
//! A [`Plan`] says what an experiment is: its kind, model, a hash of every point's
//! parameters, seed, replications, shard, time-series step and adaptive settings.
//! `Store::create` writes it into `DIR.partial`, `--resume` refuses a plan that
//! differs, the manifest records it under `experiment`, and `cogov merge` reads it
//! back from each shard's manifest to check that the shards belong together. It
//! round-trips through serde, so no one reads it by string keys.

use crate::experiment::{Experiment, Kind, Shard};
use crate::model::Model;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The adaptive stopping settings of a comparison, part of its identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptivePlan {
    /// The widest 95% half-width allowed, in each watched metric's own unit.
    pub precision: f64,
    /// The metrics the rule watches.
    pub metrics: Vec<String>,
    /// Replications per batch.
    pub batch: u64,
    /// The most replications it may run.
    pub max: u64,
}

/// What an experiment is; equal plans give equal result files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub cogov_version: String,
    /// The build's identity ([`crate::provenance::identity`]): version and source
    /// hash. Absent (empty) in plans written before it was recorded.
    #[serde(default)]
    pub build: String,
    pub kind: Kind,
    pub model: Model,
    /// Hex SHA-256 of the kind, seed, replications, swept columns, common random
    /// numbers and every point's label, swept values and parameters.
    pub experiment_hash: String,
    pub seed: u64,
    pub replications: u64,
    pub points: usize,
    pub shard: Shard,
    pub timeseries_every: u64,
    /// An adaptive comparison's stopping rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<AdaptivePlan>,
}

impl Plan {
    /// The plan of `experiment`'s shard `shard`, writing every `timeseries_every`-th
    /// day.
    pub fn new(
        experiment: &Experiment,
        shard: Shard,
        timeseries_every: u64,
        adaptive: Option<AdaptivePlan>,
    ) -> Plan {
        Plan {
            cogov_version: env!("CARGO_PKG_VERSION").to_string(),
            build: crate::provenance::identity(),
            kind: experiment.kind,
            model: experiment.model,
            experiment_hash: experiment_hash(experiment),
            seed: experiment.seed,
            replications: experiment.replications,
            points: experiment.points.len(),
            shard,
            timeseries_every,
            adaptive,
        }
    }

    /// The same plan for the whole experiment (what merged shards add up to).
    pub fn whole(&self) -> Plan {
        Plan {
            shard: Shard::ALL,
            ..self.clone()
        }
    }

    /// `plan.json`'s text.
    pub fn to_json(&self) -> String {
        // A plan holds only strings, integers and finite numbers: it always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// What differs between `self` (the plan found) and `other` (the plan asked for),
    /// in words, naming the settings a user chooses before the hash that stands for
    /// the scenario and design; `None` when they are equal.
    pub fn difference(&self, other: &Plan) -> Option<String> {
        fn was<T: std::fmt::Display + PartialEq>(key: &str, a: T, b: T) -> Option<String> {
            (a != b).then(|| format!("{key} was {a}, now {b}"))
        }
        let adaptive = |plan: &Plan| {
            plan.adaptive
                .as_ref()
                .map_or("none".to_string(), |a| a.to_string())
        };
        was("seed", self.seed, other.seed)
            .or_else(|| was("replications", self.replications, other.replications))
            .or_else(|| was("shard", self.shard, other.shard))
            .or_else(|| was("kind", self.kind.name(), other.kind.name()))
            .or_else(|| was("model", self.model, other.model))
            .or_else(|| was("points", self.points, other.points))
            .or_else(|| {
                was(
                    "timeseries_every",
                    self.timeseries_every,
                    other.timeseries_every,
                )
            })
            .or_else(|| was("the adaptive rule", adaptive(self), adaptive(other)))
            .or_else(|| was("cogov_version", &self.cogov_version, &other.cogov_version))
            .or_else(|| {
                was("the cogov build", &self.build, &other.build).map(|d| {
                    format!(
                        "{d}: the program's code changed; finish with the binary that started it"
                    )
                })
            })
            .or_else(|| {
                (self.experiment_hash != other.experiment_hash)
                    .then(|| "the scenario's parameters or the design differ".to_string())
            })
            .or_else(|| (self != other).then(|| "the plans differ".to_string()))
    }
}

impl std::fmt::Display for AdaptivePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {} on {}, batches of {}, at most {}",
            self.precision,
            self.metrics.join(", "),
            self.batch,
            self.max
        )
    }
}

/// The file in `<DIR>.partial` that holds the plan.
pub const PLAN_FILE: &str = "plan.json";

/// What identifies an experiment (its kind, seed, replications and points) whatever
/// the shard: the `experiment_hash` its plan records.
pub fn identity(experiment: &Experiment) -> String {
    experiment_hash(experiment)
}

/// The experiment identity recorded in `partial`'s `plan.json`, if it has a readable
/// one.
pub fn recorded_identity(partial: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(partial.join(PLAN_FILE)).ok()?;
    serde_json::from_str::<Plan>(&text)
        .ok()
        .map(|plan| plan.experiment_hash)
}

/// The hash that stands for an experiment's points: equal hashes, equal runs.
fn experiment_hash(experiment: &Experiment) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}\n{}\n{}\n{}\n{}\n",
        experiment.kind.name(),
        experiment.seed,
        experiment.replications,
        experiment.columns.join(","),
        experiment.common_random_numbers
    ));
    for p in &experiment.points {
        hasher.update(format!("point {}\n", p.label));
        for v in &p.values {
            hasher.update(format!("{v},"));
        }
        match &p.params {
            Ok(params) => hasher.update(params.to_toml()),
            Err(e) => hasher.update(format!("invalid: {e}")),
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::Params;

    fn experiment(seed: u64) -> Experiment {
        let mut p = Params::default();
        p.run.ticks = 3;
        Experiment::single("base", p.into(), 4, seed)
    }

    #[test]
    fn a_plan_round_trips_through_its_json() {
        let adaptive = AdaptivePlan {
            precision: 0.05,
            metrics: vec!["incidents_per_1000".into()],
            batch: 10,
            max: 200,
        };
        for plan in [
            Plan::new(&experiment(1), Shard { index: 2, count: 3 }, 1, None),
            Plan::new(&experiment(1), Shard::ALL, 0, Some(adaptive)),
        ] {
            let back: Plan = serde_json::from_str(&plan.to_json()).unwrap();
            assert_eq!(back, plan);
        }
        let json: serde_json::Value =
            serde_json::from_str(&Plan::new(&experiment(1), Shard::ALL, 1, None).to_json())
                .unwrap();
        assert_eq!(json["kind"], "run");
        assert_eq!(json["model"], "co_governance");
        assert_eq!(json["shard"], "1/1");
    }

    #[test]
    fn differences_name_the_setting_that_changed() {
        let a = Plan::new(&experiment(1), Shard::ALL, 1, None);
        assert_eq!(a.difference(&a.clone()), None);
        let b = Plan::new(&experiment(2), Shard::ALL, 1, None);
        assert_eq!(a.difference(&b).unwrap(), "seed was 1, now 2");
        let c = Plan::new(&experiment(1), Shard { index: 1, count: 2 }, 1, None);
        assert_eq!(a.difference(&c).unwrap(), "shard was 1/1, now 1/2");
        let mut e = experiment(1);
        if let Ok(crate::model::ModelParams::CoGovernance(p)) = &mut e.points[0].params {
            p.liability.clarity = 0.9;
        }
        let d = Plan::new(&e, Shard::ALL, 1, None);
        assert_eq!(
            a.difference(&d).unwrap(),
            "the scenario's parameters or the design differ"
        );
        assert_eq!(c.whole(), a);
        let rule = AdaptivePlan {
            precision: 0.5,
            metrics: vec!["incidents_per_1000".into()],
            batch: 10,
            max: 100,
        };
        let e = Plan::new(&experiment(1), Shard::ALL, 1, Some(rule));
        assert_eq!(
            a.difference(&e).unwrap(),
            "the adaptive rule was none, now precision 0.5 on incidents_per_1000, batches of 10, at most 100"
        );
    }

    #[test]
    fn the_hash_depends_on_the_points_not_on_the_shard() {
        let e = experiment(1);
        let one = Plan::new(&e, Shard::ALL, 1, None);
        let two = Plan::new(&e, Shard { index: 2, count: 2 }, 1, None);
        assert_eq!(one.experiment_hash, two.experiment_hash);
        assert_eq!(one.experiment_hash.len(), 64);
    }
}
