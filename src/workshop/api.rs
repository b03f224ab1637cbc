//! The workshop's JSON API, without the HTTP: what `GET /api/params` and
//! `GET /api/setup` answer, and how a `POST /api/run` body becomes a checked
//! comparison (docs/workshop.md is the reference).
//!
//! A request's changes go through [`Scenario::with_changes`], so a value is refused
//! with exactly the message `cogov check` gives for the same line in a file, and the
//! text that was checked is the scenario the page offers for download. On top of
//! the scenario's own rules, workshop mode bounds the work one request may ask for
//! ([`Limits`]).

use crate::model::{Model, ModelParams};
use crate::scenario::Scenario;
use crate::schema::json::{ParamJson, value_json};
use crate::schema::levers::{Lever, LeverKind};
use crate::schema::metrics::MetricDef;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The work one request may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Most replications (pairs) a request may ask for.
    pub max_replications: u64,
    /// Most residents in the district.
    pub max_residents: u64,
    /// Most simulated days (warm-up and measured window).
    pub max_days: u64,
}

impl Default for Limits {
    /// 200 pairs, 250,000 residents (about nine times the default district), ten
    /// years of days: a request of the most takes a few minutes here, never hours.
    fn default() -> Limits {
        Limits {
            max_replications: 200,
            max_residents: 250_000,
            max_days: 3_650,
        }
    }
}

/// Pairs a request gets when it does not say.
pub const DEFAULT_REPLICATIONS: u64 = 20;

/// Why the workshop cannot start on a baseline.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("workshop mode shows the levers of the co_governance model; {0} is a {1} scenario")]
    NoLevers(String, &'static str),
    #[error("{0}")]
    TooBig(String),
    #[error("{name}: a scenario for the workshop must use the baseline's model ({model})")]
    OtherModel { name: String, model: &'static str },
}

/// A refused request: the HTTP status, the message, and the parameter it is about
/// when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            error: message.into(),
            path: None,
        }
    }

    fn unprocessable(message: impl Into<String>, path: Option<&str>) -> ApiError {
        ApiError {
            status: 422,
            error: message.into(),
            path: path.map(str::to_string),
        }
    }
}

/// A set of lever values the page offers with one click: the baseline, each reform,
/// their union, the teaching scenarios and any scenario given on the command line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preset {
    pub name: String,
    /// "baseline", "reform", "union", "teaching" or "scenario".
    pub kind: &'static str,
    pub description: String,
    /// What it changes from the workshop's baseline: dotted path to value.
    pub changes: BTreeMap<String, Value>,
}

/// A parameter as `cogov params --format json` prints it, with what the workshop
/// adds: the baseline's value, the plain label and levers of a lever's parameter,
/// and the range its slider spans.
#[derive(Debug, Clone, Serialize)]
pub struct ParamEntry {
    #[serde(flatten)]
    pub def: ParamJson,
    /// The value in the workshop's baseline.
    pub baseline: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'static str>,
    /// The ids of the levers that move it (empty: no lever does).
    pub levers: Vec<&'static str>,
    /// The slider's range: the plausible range when the parameter is free, else the
    /// valid one, widened to the baseline's and every preset's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slider: Option<[f64; 2]>,
}

/// A metric the page shows, as `cogov metrics` describes it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricEntry {
    pub name: &'static str,
    pub unit: &'static str,
    pub better: &'static str,
    pub doc: String,
}

impl MetricEntry {
    fn of(def: &MetricDef) -> MetricEntry {
        MetricEntry {
            name: def.name,
            unit: def.unit,
            better: def.better.word(),
            doc: crate::schema::json::one_line(def.doc),
        }
    }
}

/// What the page needs before the first run: `GET /api/setup`.
#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    pub baseline: String,
    pub description: String,
    pub model: &'static str,
    pub levers: &'static [Lever],
    pub presets: Vec<Preset>,
    pub limits: Limits,
    pub default_replications: u64,
    /// The cards' metrics, the series drawn over time, the map's layers.
    pub cards: Vec<MetricEntry>,
    pub series: Vec<MetricEntry>,
    pub map: Vec<MetricEntry>,
    /// The map's colour scale: viridis at 0, 0.1, ..., 1, as the reports' maps.
    pub palette: Vec<String>,
    pub width: usize,
    pub height: usize,
}

/// The body of `POST /api/run`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunBody {
    #[serde(default)]
    changes: BTreeMap<String, Value>,
    replications: Option<u64>,
    /// Who asks: a new request of the same client cancels its run in flight.
    client: Option<String>,
    /// Also send each update's series as SVG charts (the page does).
    #[serde(default)]
    charts: bool,
    /// Also send the map of the current settings' first replication.
    #[serde(default)]
    map: bool,
}

/// A checked request, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub current: Scenario,
    /// The current settings as a scenario file: what "Download scenario" saves.
    pub text: String,
    pub replications: u64,
    pub seed: u64,
    pub client: String,
    pub charts: bool,
    pub map: bool,
    /// What differs from the baseline, in the parameter table's order.
    pub changed: Vec<Changed>,
}

/// One parameter the request changes from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    pub path: &'static str,
    pub label: Option<&'static str>,
    pub unit: &'static str,
    pub baseline: Value,
    pub current: Value,
}

/// The workshop: its baseline, presets and limits, and the answers that do not
/// change while it runs.
#[derive(Debug)]
pub struct Workshop {
    pub base: Scenario,
    pub limits: Limits,
    /// The bodies of `GET /api/params` and `GET /api/setup`.
    pub params_json: String,
    pub setup_json: String,
}

/// The longest client id a request may give.
const MAX_CLIENT: usize = 64;
/// The name of the current settings' scenario.
pub const CURRENT_NAME: &str = "workshop";

impl Workshop {
    /// The workshop on `base`, with `scenarios` (given on the command line) as
    /// presets after the shipped ones.
    ///
    /// # Errors
    /// A baseline of a model without levers, or bigger than `limits`; a scenario of
    /// another model.
    pub fn new(
        base: Scenario,
        scenarios: &[Scenario],
        limits: Limits,
    ) -> Result<Workshop, SetupError> {
        let model = base.params.model();
        let (levers, labels) = model.levers();
        if levers.is_empty() {
            return Err(SetupError::NoLevers(base.name.clone(), model.name()));
        }
        if let Some(why) = too_big(&base.params, &limits) {
            return Err(SetupError::TooBig(format!(
                "the baseline {}: {why}",
                base.name
            )));
        }
        let mut presets = vec![Preset {
            name: base.name.clone(),
            kind: "baseline",
            description: "The baseline: every lever as the workshop started.".to_string(),
            changes: BTreeMap::new(),
        }];
        let shipped_base = Scenario::builtin().params;
        for (file, kind) in shipped_presets(levers) {
            // Every shipped file loads (a test says so); one that did not would only
            // lose its button.
            if let Some(Ok(s)) = Scenario::builtin_file(&file) {
                presets.push(preset(&s, &shipped_base, kind));
            }
        }
        for s in scenarios {
            if s.params.model() != model {
                return Err(SetupError::OtherModel {
                    name: s.name.clone(),
                    model: model.name(),
                });
            }
            presets.push(preset(s, &base.params, "scenario"));
        }
        let params: Vec<ParamEntry> = model
            .param_defs()
            .iter()
            .map(|def| {
                let baseline = base
                    .params
                    .get(def.path)
                    .map_or(Value::Null, |v| value_json(&v));
                let lever_ids: Vec<&'static str> = levers
                    .iter()
                    .filter(|l| l.params.contains(&def.path))
                    .map(|l| l.id)
                    .collect();
                let label = labels.iter().find(|l| l.path == def.path).map(|l| l.label);
                let slider = (label.is_some()).then(|| {
                    let (lo, hi) = def.plausible.unwrap_or((def.min, def.max));
                    let values = presets
                        .iter()
                        .filter_map(|p| p.changes.get(def.path))
                        .chain([&baseline])
                        .filter_map(Value::as_f64);
                    values.fold([lo, hi], |[lo, hi], x| [lo.min(x), hi.max(x)])
                });
                ParamEntry {
                    def: ParamJson::of(def),
                    baseline,
                    label,
                    levers: lever_ids,
                    slider,
                }
            })
            .collect();
        let (width, height) = base.params.map_size();
        let entries = |defs: &[MetricDef], which: Vec<usize>| -> Vec<MetricEntry> {
            which
                .into_iter()
                .map(|i| MetricEntry::of(&defs[i]))
                .collect()
        };
        let setup = Setup {
            baseline: base.name.clone(),
            description: base.description.clone(),
            model: model.name(),
            levers,
            presets,
            limits,
            default_replications: DEFAULT_REPLICATIONS.min(limits.max_replications),
            cards: entries(model.metrics(), model.key_metrics()),
            series: entries(model.series(), model.headline_series()),
            map: model.trace_metrics().iter().map(MetricEntry::of).collect(),
            palette: (0..=10)
                .map(|i| crate::chart::viridis(f64::from(i) / 10.0))
                .collect(),
            width,
            height,
        };
        // Serialising these plain structs cannot fail.
        let params_json = serde_json::to_string(&params).unwrap_or_default();
        let setup_json = serde_json::to_string(&setup).unwrap_or_default();
        Ok(Workshop {
            base,
            limits,
            params_json,
            setup_json,
        })
    }

    /// The model the workshop runs.
    pub fn model(&self) -> Model {
        self.base.params.model()
    }

    /// Reads and checks a `POST /api/run` body; `peer` names the connection, so
    /// clients that give no id are told apart by address.
    ///
    /// # Errors
    /// 400 for a body that is not the documented JSON, 422 (naming the parameter) for
    /// a value `cogov check` would refuse or work beyond the [`Limits`].
    pub fn plan(&self, body: &[u8], peer: &str) -> Result<Plan, ApiError> {
        let body: RunBody = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad(format!("the request is not the expected JSON: {e}")))?;
        let replications = body
            .replications
            .unwrap_or(DEFAULT_REPLICATIONS.min(self.limits.max_replications));
        if !(1..=self.limits.max_replications).contains(&replications) {
            return Err(ApiError::unprocessable(
                format!(
                    "`replications` must be 1 to {} in workshop mode (found {replications}); \
                     run larger comparisons with `cogov compare`",
                    self.limits.max_replications
                ),
                None,
            ));
        }
        let client = body.client.unwrap_or_default();
        if client.len() > MAX_CLIENT {
            return Err(ApiError::bad(format!(
                "`client` is longer than {MAX_CLIENT} bytes"
            )));
        }
        let mut changes = Vec::with_capacity(body.changes.len());
        for (path, value) in &body.changes {
            let text = toml_literal(value).ok_or_else(|| {
                ApiError::unprocessable(
                    format!(
                        "`{path}`: expected a number, true or false, or a string, found {value}"
                    ),
                    Some(path),
                )
            })?;
            changes.push((path.clone(), text));
        }
        let (current, text) = self
            .base
            .with_changes(CURRENT_NAME, &changes, "request")
            .map_err(|e| {
                let message = e.to_string();
                let path = body
                    .changes
                    .keys()
                    .find(|p| message.contains(&format!("`{p}`")));
                ApiError::unprocessable(message, path.map(String::as_str))
            })?;
        if let Some(why) = too_big(&current.params, &self.limits) {
            return Err(ApiError::unprocessable(why, None));
        }
        let model = self.model();
        let (_, labels) = model.levers();
        let changed = model
            .param_defs()
            .iter()
            .filter_map(|def| {
                let (b, c) = (
                    self.base.params.get(def.path)?,
                    current.params.get(def.path)?,
                );
                (b != c).then(|| Changed {
                    path: def.path,
                    label: labels.iter().find(|l| l.path == def.path).map(|l| l.label),
                    unit: def.unit,
                    baseline: value_json(&b),
                    current: value_json(&c),
                })
            })
            .collect();
        let seed = self.base.params.seed();
        let header = format!(
            "# The workshop's settings against the baseline {:?}. Reproduce its numbers with\n\
             #   cogov compare BASELINE.toml THIS.toml --replications {replications}\n\
             # where BASELINE.toml is that baseline (the built-in one is\n\
             # scenarios/tongxiang_baseline.toml); both use run.seed = {seed}.\n",
            self.base.name
        );
        Ok(Plan {
            current,
            text: header + &text,
            replications,
            seed,
            client: format!("{peer}/{client}"),
            charts: body.charts,
            map: body.map,
            changed,
        })
    }
}

/// The shipped scenarios offered as presets: each reform's file in the levers'
/// order, their union, then the teaching scenarios.
fn shipped_presets(levers: &[Lever]) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = levers
        .iter()
        .filter(|l| l.kind == LeverKind::Reform)
        .filter_map(|l| l.scenario.map(|f| (f.to_string(), "reform")))
        .collect();
    files.push(("reform_combined.toml".to_string(), "union"));
    files.extend(
        crate::scenario::builtin_names()
            .filter(|name| name.starts_with("teach_"))
            .map(|name| (name.to_string(), "teaching")),
    );
    files
}

/// A preset of scenario `s`: what it changes from `base`, the run's length and
/// replications aside (the workshop's own).
fn preset(s: &Scenario, base: &ModelParams, kind: &'static str) -> Preset {
    let changes = s
        .params
        .values()
        .into_iter()
        .zip(base.values())
        .filter(|((path, v), (_, b))| v != b && !matches!(*path, "run.replications" | "run.seed"))
        .map(|((path, v), _)| (path.to_string(), value_json(&v)))
        .collect();
    Preset {
        name: s.name.clone(),
        kind,
        description: s.description.clone(),
        changes,
    }
}

/// Why `params` is more work than workshop mode allows, if it is.
fn too_big(params: &ModelParams, limits: &Limits) -> Option<String> {
    let days = params.warmup_ticks() + params.ticks();
    if days > limits.max_days {
        return Some(format!(
            "`run.warmup_ticks` + `run.ticks` is {days} days, more than workshop mode's \
             {} (start it with --max-days to allow more)",
            limits.max_days
        ));
    }
    let residents = params.co_governance().map_or(0, |p| p.residents());
    (residents > limits.max_residents).then(|| {
        format!(
            "the district has {residents} residents (`district.width` x `district.height` x \
             `district.households_per_grid` x `district.persons_per_household`), more than \
             workshop mode's {} (start it with --max-residents to allow more)",
            limits.max_residents
        )
    })
}

/// A JSON value as the TOML literal a scenario file would have: a number, a boolean
/// or a string; `None` for null, arrays and objects.
fn toml_literal(value: &Value) -> Option<String> {
    match value {
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Value::Number(n) => {
            let x = n.as_f64()?;
            // Never an integer-looking float, never a 300-digit one.
            Some(if x != 0.0 && !(1e-4..1e15).contains(&x.abs()) {
                format!("{x:e}")
            } else if x.fract() == 0.0 {
                format!("{x:.1}")
            } else {
                format!("{x}")
            })
        }
        Value::String(s) => Some(toml::Value::String(s.clone()).to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workshop() -> Workshop {
        Workshop::new(Scenario::builtin(), &[], Limits::default()).unwrap()
    }

    #[test]
    fn a_good_request_becomes_the_scenario_it_names() {
        let w = workshop();
        let plan = w
            .plan(br#"{"changes": {"liability.clarity": 0.9, "channels.count": 6}, "replications": 4}"#, "p")
            .unwrap();
        assert_eq!(plan.replications, 4);
        assert_eq!(
            plan.current
                .params
                .get("liability.clarity")
                .unwrap()
                .to_string(),
            "0.9"
        );
        assert_eq!(
            plan.current
                .params
                .get("channels.count")
                .unwrap()
                .to_string(),
            "6"
        );
        let paths: Vec<&str> = plan.changed.iter().map(|c| c.path).collect();
        assert_eq!(paths, ["liability.clarity", "channels.count"]);
        assert_eq!(plan.changed[0].label, Some("Clarity of who is liable"));
        // The download is a scenario `cogov check` accepts, with these values.
        let again = Scenario::parse(&plan.text, "download.toml", None).unwrap();
        assert_eq!(again.params, plan.current.params);
        assert_eq!(plan.seed, Scenario::builtin().params.seed());
    }

    #[test]
    fn a_bad_value_gets_the_message_check_gives_naming_the_path() {
        let w = workshop();
        let err = w
            .plan(br#"{"changes": {"liability.clarity": 7}}"#, "p")
            .unwrap_err();
        assert_eq!(err.status, 422);
        assert_eq!(err.path.as_deref(), Some("liability.clarity"));
        assert!(err.error.contains("`liability.clarity`"), "{}", err.error);
        assert!(
            err.error.contains("0 to 1") || err.error.contains("0.0 to 1.0"),
            "{}",
            err.error
        );
        let err = w
            .plan(br#"{"changes": {"liability.clarty": 0.5}}"#, "p")
            .unwrap_err();
        assert_eq!(err.status, 422);
        assert!(
            err.error.contains("liability.clarity"),
            "did you mean: {}",
            err.error
        );
        let err = w
            .plan(br#"{"changes": {"liability.clarity": [1]}}"#, "p")
            .unwrap_err();
        assert_eq!(
            (err.status, err.path.as_deref()),
            (422, Some("liability.clarity"))
        );
        let err = w
            .plan(br#"{"changes": {"liability.clarity": "0.5"}}"#, "p")
            .unwrap_err();
        assert_eq!(err.status, 422, "{}", err.error);
    }

    #[test]
    fn malformed_bodies_and_too_much_work_are_refused() {
        let w = workshop();
        for body in [
            &b"not json"[..],
            b"{\"changes\": 3}",
            b"{\"replicas\": 3}",
            b"[]",
            b"\xff",
        ] {
            assert_eq!(w.plan(body, "p").unwrap_err().status, 400, "{body:?}");
        }
        let err = w.plan(br#"{"replications": 201}"#, "p").unwrap_err();
        assert_eq!(err.status, 422);
        assert!(err.error.contains("1 to 200"), "{}", err.error);
        assert_eq!(
            w.plan(br#"{"replications": 0}"#, "p").unwrap_err().status,
            422
        );
        let err = w
            .plan(
                br#"{"changes": {"district.width": 40, "district.height": 40}}"#,
                "p",
            )
            .unwrap_err();
        assert!(err.error.contains("--max-residents"), "{}", err.error);
        let err = w
            .plan(br#"{"changes": {"run.ticks": 5000}}"#, "p")
            .unwrap_err();
        assert!(err.error.contains("--max-days"), "{}", err.error);
    }

    #[test]
    fn floats_become_toml_floats() {
        let lit = |v: Value| toml_literal(&v).unwrap();
        assert_eq!(lit(serde_json::json!(0.9)), "0.9");
        assert_eq!(lit(serde_json::json!(2.0)), "2.0");
        assert_eq!(lit(serde_json::json!(3)), "3");
        assert_eq!(lit(serde_json::json!(1e300)), "1e300");
        assert_eq!(lit(serde_json::json!(1.5e-7)), "1.5e-7");
        assert_eq!(lit(serde_json::json!("floored")), "\"floored\"");
        assert_eq!(toml_literal(&Value::Null), None);
    }

    #[test]
    fn setup_lists_levers_presets_and_sliders_from_the_table() {
        let w = workshop();
        let setup: Value = serde_json::from_str(&w.setup_json).unwrap();
        assert_eq!(setup["levers"].as_array().unwrap().len(), 16);
        let presets = setup["presets"].as_array().unwrap();
        let kinds: Vec<&str> = presets
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "reform").count(), 5);
        assert_eq!(kinds.iter().filter(|k| **k == "union").count(), 1);
        assert!(
            kinds.iter().filter(|k| **k == "teaching").count() >= 5,
            "{kinds:?}"
        );
        let clear = presets
            .iter()
            .find(|p| p["name"] == "reform_clarify_responsibility")
            .unwrap();
        assert_eq!(
            clear["changes"],
            serde_json::json!({"liability.clarity": 0.9})
        );
        let params: Vec<Value> = serde_json::from_str(&w.params_json).unwrap();
        assert_eq!(params.len(), Model::CoGovernance.param_defs().len());
        let clarity = params
            .iter()
            .find(|p| p["name"] == "liability.clarity")
            .unwrap();
        assert_eq!(clarity["levers"], serde_json::json!(["P2", "R2"]));
        assert_eq!(clarity["slider"], serde_json::json!([0.0, 1.0]));
        assert_eq!(clarity["baseline"], serde_json::json!(0.3));
        // A fine the teaching scenarios raise to 5,000: the slider reaches it.
        let fine = params
            .iter()
            .find(|p| p["name"] == "incentives.enterprise_fine")
            .unwrap();
        assert_eq!(fine["slider"][1], serde_json::json!(5000.0));
        let ticks = params.iter().find(|p| p["name"] == "run.ticks").unwrap();
        assert!(ticks.get("slider").is_none() && ticks["levers"] == serde_json::json!([]));
    }

    #[test]
    fn a_baseline_without_levers_or_too_big_is_refused() {
        let cv = Scenario::parse("model = \"civil_violence\"\n", "cv.toml", None).unwrap();
        let err = Workshop::new(cv, &[], Limits::default()).unwrap_err();
        assert!(err.to_string().contains("co_governance"), "{err}");
        let small = Limits {
            max_residents: 1000,
            ..Limits::default()
        };
        let err = Workshop::new(Scenario::builtin(), &[], small).unwrap_err();
        assert!(err.to_string().contains("--max-residents"), "{err}");
    }
}
