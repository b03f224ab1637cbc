//! `manifest.json`: everything needed to reproduce a results directory and to tell
//! which program and scenario made it.
//!
//! Layout (keys in this order):
//!
//! ```text
//! {
//!   "cogov_version": "0.1.0",
//!   "build": { "version", "source_hash", "git_commit", "git_dirty", "rustc", "target" },
//!   "scenario": { "name": ..., "description": ..., "model": "co_governance", "files": [...], "hash": <hex sha256> },
//!   "parameters": { "<section>": { "<key>": value, ... }, ... },
//!   "reforms": [ { "name": ..., ..., "parameters": {...} }, ... ],   (comparisons only)
//!   "experiment": { kind, model, experiment_hash, seed, replications, points, shard, ... },
//!   "sweep": { name, description, file, design, parameters, points },   (sweeps only)
//!   "seed": <base seed>, "replications": n, "failures": n,
//!   "stopped": "precision reached: ...",   (adaptive comparisons only)
//!   "threads": n,
//!   "started_at": "2026-03-21T09:05:00Z", "finished_at": "...",
//!   "command_line": ["cogov", "run", ...]
//! }
//! ```
//!
//! `experiment` is the plan the runs were made under; `cogov merge` checks that
//! shards share it (all but `shard`).
//!
//! `parameters` are the scenario's resolved parameters (the text `hash` is computed
//! from); `seed` and `replications` are what actually ran, after any `--seed` or
//! `--replications` flag.

use super::UtcTime;
use crate::model::ModelParams;
use crate::schema::ParamValue;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::path::PathBuf;

/// One scenario of an experiment, as the manifest records it.
#[derive(Debug, Clone)]
pub struct ScenarioEntry {
    pub name: String,
    pub description: String,
    /// The scenario files read, in the order they were read (empty for a built-in).
    pub files: Vec<PathBuf>,
    /// Hex SHA-256 of the scenario's resolved text.
    pub hash: String,
    pub params: ModelParams,
}

/// The facts a manifest records.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The scenario run, swept or compared against (the baseline of a comparison).
    pub scenario: ScenarioEntry,
    /// A comparison's reforms, in order.
    pub reforms: Vec<ScenarioEntry>,
    /// The experiment's identity (`plan.json`): kind, hash, seed, design, shard.
    pub experiment: super::Plan,
    /// A sweep's design as read from its file.
    pub sweep: Option<serde_json::Value>,
    pub seed: u64,
    /// Replications per point actually run.
    pub replications: u64,
    /// Runs that failed (listed in `failures.csv`).
    pub failures: usize,
    /// How an adaptive comparison ended, in words.
    pub stopped: Option<String>,
    pub threads: usize,
    pub started: UtcTime,
    pub finished: UtcTime,
    pub command_line: Vec<String>,
}

#[derive(Serialize)]
struct Document<'a> {
    cogov_version: &'static str,
    build: crate::provenance::Build,
    scenario: ScenarioDoc<'a>,
    parameters: Sections<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reforms: Vec<ReformDoc<'a>>,
    experiment: &'a super::Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    sweep: Option<&'a serde_json::Value>,
    seed: u64,
    replications: u64,
    failures: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped: Option<&'a str>,
    threads: usize,
    started_at: String,
    finished_at: String,
    command_line: &'a [String],
}

#[derive(Serialize)]
struct ScenarioDoc<'a> {
    name: &'a str,
    description: &'a str,
    model: &'static str,
    files: Vec<String>,
    hash: &'a str,
}

#[derive(Serialize)]
struct ReformDoc<'a> {
    #[serde(flatten)]
    scenario: ScenarioDoc<'a>,
    parameters: Sections<'a>,
}

fn scenario_doc(entry: &ScenarioEntry) -> ScenarioDoc<'_> {
    ScenarioDoc {
        name: &entry.name,
        description: &entry.description,
        model: entry.params.model().name(),
        files: entry
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        hash: &entry.hash,
    }
}

/// Parameters as `{"section": {"key": value}}`, in declaration order.
struct Sections<'a>(&'a ModelParams);

/// The keys and values of one section.
struct Section(Vec<(&'static str, ParamValue)>);

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut grouped: Vec<(&str, Section)> = Vec::new();
        for (path, value) in self.0.values() {
            let (section, key) = path.split_once('.').unwrap_or(("", path));
            match grouped.last_mut() {
                Some((name, entries)) if *name == section => entries.0.push((key, value)),
                _ => grouped.push((section, Section(vec![(key, value)]))),
            }
        }
        let mut map = serializer.serialize_map(Some(grouped.len()))?;
        for (name, entries) in &grouped {
            map.serialize_entry(name, entries)?;
        }
        map.end()
    }
}

impl Serialize for Section {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            match *value {
                ParamValue::Real(x) => map.serialize_entry(key, &x)?,
                ParamValue::Int(i) => map.serialize_entry(key, &i)?,
                ParamValue::Bool(b) => map.serialize_entry(key, &b)?,
                ParamValue::Choice(name) => map.serialize_entry(key, name)?,
            }
        }
        map.end()
    }
}

impl Manifest {
    /// The bytes of `manifest.json`: pretty-printed, ending in a newline.
    pub fn to_json(&self) -> Vec<u8> {
        let document = Document {
            cogov_version: env!("CARGO_PKG_VERSION"),
            build: crate::provenance::build(),
            scenario: scenario_doc(&self.scenario),
            parameters: Sections(&self.scenario.params),
            reforms: self
                .reforms
                .iter()
                .map(|r| ReformDoc {
                    scenario: scenario_doc(r),
                    parameters: Sections(&r.params),
                })
                .collect(),
            experiment: &self.experiment,
            sweep: self.sweep.as_ref(),
            seed: self.seed,
            replications: self.replications,
            failures: self.failures,
            stopped: self.stopped.as_deref(),
            threads: self.threads,
            started_at: self.started.iso8601(),
            finished_at: self.finished.iso8601(),
            command_line: &self.command_line,
        };
        // Parameters are finite numbers, so serialising to memory cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::{PARAM_DEFS, Params};
    use serde_json::Value;

    fn sample() -> Manifest {
        Manifest {
            scenario: ScenarioEntry {
                name: "small".into(),
                description: "A small test district.".into(),
                files: vec![
                    PathBuf::from("scenarios/base.toml"),
                    PathBuf::from("small.toml"),
                ],
                hash: "ab12".into(),
                params: Params::default().into(),
            },
            reforms: vec![],
            experiment: crate::output::Plan::new(
                &crate::experiment::Experiment::single("small", Params::default().into(), 4, 42),
                crate::experiment::Shard::ALL,
                1,
                None,
            ),
            sweep: None,
            seed: 42,
            replications: 4,
            failures: 0,
            stopped: None,
            threads: 2,
            started: UtcTime::from_unix_seconds(1_735_689_600),
            finished: UtcTime::from_unix_seconds(1_735_689_661),
            command_line: vec!["cogov".into(), "run".into(), "small.toml".into()],
        }
    }

    #[test]
    fn a_comparison_lists_its_reforms_with_their_parameters() {
        let mut m = sample();
        let mut reform = m.scenario.clone();
        reform.name = "reform".into();
        let mut params = Params::default();
        params.liability.clarity = 0.9;
        reform.params = params.into();
        m.reforms.push(reform);
        m.stopped = Some("precision reached".into());
        let json: Value = serde_json::from_slice(&m.to_json()).unwrap();
        assert_eq!(json["reforms"][0]["name"], "reform");
        assert_eq!(
            json["reforms"][0]["parameters"]["liability"]["clarity"],
            0.9
        );
        assert_eq!(json["stopped"], "precision reached");
        assert_eq!(json["experiment"]["kind"], "run");
    }

    #[test]
    fn records_the_run_and_its_provenance() {
        let bytes = sample().to_json();
        assert!(bytes.ends_with(b"}\n"));
        let json: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["cogov_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["scenario"]["name"], "small");
        assert_eq!(json["scenario"]["files"][1], "small.toml");
        assert_eq!(json["scenario"]["hash"], "ab12");
        assert_eq!(json["seed"], 42);
        assert_eq!(json["replications"], 4);
        assert_eq!(json["threads"], 2);
        assert_eq!(json["started_at"], "2025-01-01T00:00:00Z");
        assert_eq!(json["finished_at"], "2025-01-01T00:01:01Z");
        assert_eq!(json["command_line"][2], "small.toml");
    }

    #[test]
    fn every_parameter_appears_with_its_type() {
        let json: Value = serde_json::from_slice(&sample().to_json()).unwrap();
        for def in PARAM_DEFS.iter() {
            let (section, key) = def.path.split_once('.').unwrap();
            let value = &json["parameters"][section][key];
            match def.default {
                ParamValue::Real(x) => assert_eq!(value.as_f64(), Some(x), "{}", def.path),
                ParamValue::Int(i) => assert_eq!(value.as_i64(), Some(i), "{}", def.path),
                ParamValue::Bool(b) => assert_eq!(value.as_bool(), Some(b), "{}", def.path),
                ParamValue::Choice(name) => assert_eq!(value.as_str(), Some(name), "{}", def.path),
            }
        }
    }

    #[test]
    fn sections_and_keys_keep_declaration_order() {
        let text = String::from_utf8(sample().to_json()).unwrap();
        let first = PARAM_DEFS[0].path.split_once('.').unwrap();
        let last = PARAM_DEFS.last().unwrap().path.split_once('.').unwrap();
        let first_at = text.find(&format!("\"{}\": {{", first.0)).unwrap();
        let last_at = text.find(&format!("\"{}\": {{", last.0)).unwrap();
        assert!(first_at < last_at);
        // Real parameters keep a decimal point so they read back as floats.
        assert!(text.contains("\"persons_per_household\": 2.62"));
        assert!(text.contains("\"ticks\": 365,"));
    }
}
