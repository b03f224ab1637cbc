//! The models a scenario can choose, and the one place the engine learns which one
//! runs.
//!
//! Each model is a pure core, in its own folder with its parameters, metrics, rules
//! and world. It never reads files, prints, reads the clock or uses
//! a thread-local random generator: everything random comes from the one
//! `Xoshiro256PlusPlus` stream seeded by the caller, so a run is a function of
//! `(params, seed)`.
//!
//! [`Model`] lists the models a scenario can choose (`model = "..."`) with each one's
//! parameter table and output tables, and [`ModelParams`] holds one scenario's
//! parameters for whichever model it chose; everything above this module (scenario
//! files, experiments, the runner, the output files, the CLI) sees the models only
//! through these two.
//!
//! - [`co_governance`]: collaborative governance of urban community policing, the
//!   model cogov exists for.
//! - [`civil_violence`]: Epstein's civil-violence model, a reference model beside it.
//!
//! [`ModelParams::simulate_traced`] runs a replication as [`ModelParams::simulate`]
//! does and also returns its [`Trace`] (`trace.rs`), the map day by day for an
//! animation, when the model records one.
//!
//! Adding a model means one folder and one variant in [`Model`] and [`ModelParams`].

pub mod civil_violence;
pub mod co_governance;
pub mod footprint;
mod trace;

pub use trace::{Mover, Trace, TraceMove};

use crate::schema::levers::{Label, Lever};
use crate::schema::metrics::MetricDef;
use crate::schema::{ConstraintError, ParamDef, ParamValue, SetError};
use civil_violence::{CV_PARAM_DEFS, CvParams};
use co_governance::{METRICS, PARAM_DEFS, Params, SERIES};

/// What one replication produces.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// End-of-run metrics in [`Model::metrics`] order; NaN means undefined.
    pub metrics: Vec<f64>,
    /// Row-major time series: `run.warmup_ticks + run.ticks` rows (row t is tick t+1,
    /// warm-up first) by [`Model::series`] columns.
    pub series: Vec<f64>,
    /// The map at the end of the run: one row per cell of the model's map
    /// ([`ModelParams::map_size`], row-major) by [`Model::cell_metrics`] columns.
    pub cells: Vec<f64>,
}

/// A model a scenario can choose with its top-level `model` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    /// Collaborative governance of urban community policing (docs/model.md); the default.
    CoGovernance,
    /// Epstein's civil-violence model (PNAS 2002), the reference model
    /// ([`civil_violence`]).
    CivilViolence,
}

/// A metric watched for runaway runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Watch {
    /// Its index in the model's metrics.
    pub metric: usize,
    /// A run above it is flagged whatever its point's median.
    pub ceiling: f64,
    /// Whether a run more than [`crate::stats::RUNAWAY_FACTOR`] times its point's
    /// median is flagged too.
    pub relative: bool,
}

const CO_GOVERNANCE_WATCHES: [Watch; 3] = [
    Watch {
        metric: co_governance::Metric::IncidentsPer1000 as usize,
        ceiling: co_governance::metrics::PLAUSIBLE_MAX_INCIDENTS_PER_1000,
        relative: true,
    },
    Watch {
        metric: co_governance::Metric::UnattendedCallsPer1000 as usize,
        ceiling: 0.0,
        relative: false,
    },
    Watch {
        metric: co_governance::Metric::OffendingCappedShare as usize,
        ceiling: 0.0,
        relative: false,
    },
];

impl Model {
    /// Every model, the default first.
    pub const ALL: [Model; 2] = [Model::CoGovernance, Model::CivilViolence];

    /// The name a scenario file writes: `model = "civil_violence"`.
    pub fn name(self) -> &'static str {
        match self {
            Model::CoGovernance => "co_governance",
            Model::CivilViolence => "civil_violence",
        }
    }

    /// The model called `name`, if any.
    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The model's parameter table.
    pub fn param_defs(self) -> &'static [ParamDef] {
        match self {
            Model::CoGovernance => &PARAM_DEFS,
            Model::CivilViolence => &CV_PARAM_DEFS,
        }
    }

    /// The definition of parameter `path`, if the model has it.
    pub fn find_def(self, path: &str) -> Option<&'static ParamDef> {
        self.param_defs().iter().find(|d| d.path == path)
    }

    /// Why parameter `path` no longer exists and what replaced it, if it was removed.
    pub fn removed_note(self, path: &str) -> Option<&'static str> {
        let removed: &[(&str, &str)] = match self {
            Model::CoGovernance => co_governance::params::REMOVED_PARAMS,
            Model::CivilViolence => &[],
        };
        removed
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, why)| *why)
    }

    /// The section names of the parameter table, in declaration order.
    pub fn sections(self) -> Vec<&'static str> {
        crate::schema::sections_of(self.param_defs())
    }

    /// The end-of-run metrics a run reports, in [`RunOutput::metrics`] order.
    pub fn metrics(self) -> &'static [MetricDef] {
        match self {
            Model::CoGovernance => METRICS,
            Model::CivilViolence => civil_violence::CV_METRICS,
        }
    }

    /// The metrics a comparison shows by default, as indices into
    /// [`Model::metrics`], in the order the model names them.
    pub fn headline_metrics(self) -> Vec<usize> {
        match self {
            Model::CoGovernance => co_governance::metrics::HEADLINE
                .iter()
                .map(|&m| m as usize)
                .collect(),
            Model::CivilViolence => civil_violence::metrics::CV_HEADLINE
                .iter()
                .map(|&m| m as usize)
                .collect(),
        }
    }

    /// The metrics watched for runaway runs (see [`crate::stats::runaways`]): the
    /// co-governance model's incident rate, against its plausible ceiling and its
    /// point's median, and the two caps of its rules (calls closed unattended after a
    /// day, offending probabilities held at 1), each flagged when hit at all. None for
    /// the reference model, whose outbursts are what it is meant to show.
    pub fn runaway_watches(self) -> &'static [Watch] {
        match self {
            Model::CoGovernance => &CO_GOVERNANCE_WATCHES,
            Model::CivilViolence => &[],
        }
    }

    /// The per-tick series columns, in [`RunOutput::series`] order.
    pub fn series(self) -> &'static [MetricDef] {
        match self {
            Model::CoGovernance => SERIES,
            Model::CivilViolence => civil_violence::CV_SERIES,
        }
    }

    /// The few metrics reports show first (as indices into [`Model::metrics`]): for
    /// the co-governance model incidents, victimisation, trust in police,
    /// participation, response time and cost.
    pub fn key_metrics(self) -> Vec<usize> {
        match self {
            Model::CoGovernance => co_governance::metrics::KEY
                .iter()
                .map(|&m| m as usize)
                .collect(),
            Model::CivilViolence => civil_violence::metrics::CV_KEY
                .iter()
                .map(|&m| m as usize)
                .collect(),
        }
    }

    /// The series reports draw over time (as indices into [`Model::series`]).
    pub fn headline_series(self) -> Vec<usize> {
        match self {
            Model::CoGovernance => co_governance::metrics::HEADLINE_SERIES
                .iter()
                .map(|&m| m as usize)
                .collect(),
            Model::CivilViolence => civil_violence::metrics::CV_HEADLINE_SERIES
                .iter()
                .map(|&m| m as usize)
                .collect(),
        }
    }

    /// The columns of the per-cell map output (`RunOutput::cells`): the
    /// co-governance model's grids, the civil-violence model's lattice cells.
    pub fn cell_metrics(self) -> &'static [MetricDef] {
        match self {
            Model::CoGovernance => co_governance::GRID_METRICS,
            Model::CivilViolence => civil_violence::CV_CELLS,
        }
    }

    /// The per-grid, per-day values of a [`Trace`] ([`ModelParams::simulate_traced`]),
    /// in [`Trace::values`] order: the co-governance model's grids' incident rate,
    /// disorder, trust in police and participation; empty for the civil-violence
    /// model, which records no trace.
    pub fn trace_metrics(self) -> &'static [MetricDef] {
        match self {
            Model::CoGovernance => co_governance::TRACE_METRICS,
            Model::CivilViolence => &[],
        }
    }

    /// The names of the codes of a categorical map (the civil-violence lattice's
    /// [`civil_violence::CELL_STATES`], code 0 first); empty for a numeric map.
    pub fn cell_states(self) -> &'static [&'static str] {
        match self {
            Model::CoGovernance => &[],
            Model::CivilViolence => &civil_violence::CELL_STATES,
        }
    }

    /// The study's levers (groups of parameters in plain words) and a label for each
    /// parameter they move: the co-governance model's mechanisms, problems and
    /// reforms; none for the civil-violence model.
    pub fn levers(self) -> (&'static [Lever], &'static [Label]) {
        match self {
            Model::CoGovernance => (co_governance::levers::LEVERS, co_governance::levers::LABELS),
            Model::CivilViolence => (&[], &[]),
        }
    }

    /// The model's default parameters.
    pub fn default_params(self) -> ModelParams {
        match self {
            Model::CoGovernance => ModelParams::CoGovernance(Params::default()),
            Model::CivilViolence => ModelParams::CivilViolence(CvParams::default()),
        }
    }
}

impl serde::Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Model {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Model, D::Error> {
        let name = String::deserialize(deserializer)?;
        Model::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown model `{name}`, expected {}",
                crate::schema::one_of(&Model::ALL.map(Model::name))
            ))
        })
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One scenario's parameters, for the model it chose.
// An experiment holds one of these per design point, so the 1 KB of the larger
// variant costs nothing worth a box and an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ModelParams {
    CoGovernance(Params),
    CivilViolence(CvParams),
}

/// Applies `$body` to the parameters inside `$self`, whichever model they are for.
macro_rules! each_model {
    ($self:expr, $p:ident => $body:expr) => {
        match $self {
            ModelParams::CoGovernance($p) => $body,
            ModelParams::CivilViolence($p) => $body,
        }
    };
}

impl From<Params> for ModelParams {
    fn from(p: Params) -> Self {
        ModelParams::CoGovernance(p)
    }
}

impl From<CvParams> for ModelParams {
    fn from(p: CvParams) -> Self {
        ModelParams::CivilViolence(p)
    }
}

impl ModelParams {
    /// The model these parameters are for.
    pub fn model(&self) -> Model {
        match self {
            ModelParams::CoGovernance(_) => Model::CoGovernance,
            ModelParams::CivilViolence(_) => Model::CivilViolence,
        }
    }

    /// The co-governance parameters, if these are for that model.
    pub fn co_governance(&self) -> Option<&Params> {
        match self {
            ModelParams::CoGovernance(p) => Some(p),
            ModelParams::CivilViolence(_) => None,
        }
    }

    /// The civil-violence parameters, if these are for that model.
    pub fn civil_violence(&self) -> Option<&CvParams> {
        match self {
            ModelParams::CivilViolence(p) => Some(p),
            ModelParams::CoGovernance(_) => None,
        }
    }

    /// The value of parameter `path`, or `None` if the model has no such parameter.
    pub fn get(&self, path: &str) -> Option<ParamValue> {
        each_model!(self, p => p.get(path))
    }

    /// Sets one parameter after checking its type and range.
    ///
    /// # Errors
    /// As [`Params::set`].
    pub fn set(&mut self, path: &str, value: ParamValue) -> Result<(), SetError> {
        each_model!(self, p => p.set(path, value))
    }

    /// Every parameter as `(path, value)`, in declaration order.
    pub fn values(&self) -> Vec<(&'static str, ParamValue)> {
        each_model!(self, p => p.values())
    }

    /// The rules that tie parameters together; empty when the parameters can run.
    pub fn validate(&self) -> Vec<ConstraintError> {
        each_model!(self, p => p.validate())
    }

    /// The parameters as a TOML document (see [`Params::to_toml`]).
    pub fn to_toml(&self) -> String {
        each_model!(self, p => p.to_toml())
    }

    /// One run's memory and work, from the parameters alone ([`footprint`]).
    pub fn footprint(&self) -> footprint::Footprint {
        each_model!(self, p => p.footprint())
    }

    /// `run.ticks`: the measured ticks.
    pub fn ticks(&self) -> u64 {
        each_model!(self, p => u64::from(p.run.ticks))
    }

    /// `run.warmup_ticks`: the ticks simulated before measuring.
    pub fn warmup_ticks(&self) -> u64 {
        each_model!(self, p => u64::from(p.run.warmup_ticks))
    }

    /// `run.replications`: the scenario's default number of replications.
    pub fn replications(&self) -> u64 {
        each_model!(self, p => u64::from(p.run.replications))
    }

    /// The map's size in cells, (width, height): the district's grids or the
    /// torus's cells; `RunOutput::cells` has `width * height` rows.
    pub fn map_size(&self) -> (usize, usize) {
        match self {
            ModelParams::CoGovernance(p) => (p.district.width as usize, p.district.height as usize),
            ModelParams::CivilViolence(p) => (p.lattice.width as usize, p.lattice.height as usize),
        }
    }

    /// `run.seed`: the scenario's default base seed.
    pub fn seed(&self) -> u64 {
        each_model!(self, p => p.run.seed)
    }

    /// Simulates one replication of whichever model these parameters are for.
    ///
    /// # Panics
    /// If the parameters fail [`ModelParams::validate`] (the scenario loader and the
    /// sweep's points never hand out such parameters).
    pub fn simulate(&self, seed: u64) -> RunOutput {
        match self {
            ModelParams::CoGovernance(p) => co_governance::simulate(p, seed),
            ModelParams::CivilViolence(p) => {
                let out = civil_violence::simulate(p, seed);
                RunOutput {
                    metrics: out.metrics,
                    series: out.series,
                    cells: out.cells,
                }
            }
        }
    }

    /// Simulates one replication as [`ModelParams::simulate`] does (the same
    /// [`RunOutput`], bit for bit, from the same random draws) and records its
    /// [`Trace`] when the model records one: every `every`-th measured day (0 counts
    /// as 1), with at most `max_moves_per_day` moves a day, the first ones in the
    /// day's order. The co-governance model returns `Some` (see
    /// [`co_governance::simulate_traced`]); the civil-violence model records none.
    ///
    /// # Panics
    /// As [`ModelParams::simulate`].
    pub fn simulate_traced(
        &self,
        seed: u64,
        every: u64,
        max_moves_per_day: usize,
    ) -> (RunOutput, Option<Trace>) {
        match self {
            ModelParams::CoGovernance(p) => {
                let (out, trace) =
                    co_governance::simulate_traced(p, seed, every, max_moves_per_day);
                (out, Some(trace))
            }
            ModelParams::CivilViolence(_) => (self.simulate(seed), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_round_trip_by_name() {
        for model in Model::ALL {
            let json = serde_json::to_string(&model).unwrap();
            assert_eq!(json, format!("\"{}\"", model.name()));
            assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), model);
        }
        let err = serde_json::from_str::<Model>("\"rebellion\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown model `rebellion`"),
            "{err}"
        );
    }

    #[test]
    fn each_model_names_distinct_headline_metrics_it_has() {
        for model in Model::ALL {
            let headline = model.headline_metrics();
            assert!(headline.len() >= 5, "{model}");
            let mut sorted = headline.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), headline.len(), "{model} repeats a metric");
            assert!(headline.iter().all(|&m| m < model.metrics().len()));
        }
        let first = Model::CoGovernance.headline_metrics()[0];
        assert_eq!(
            Model::CoGovernance.metrics()[first].name,
            "incidents_per_1000"
        );
        let first = Model::CivilViolence.headline_metrics()[0];
        assert_eq!(Model::CivilViolence.metrics()[first].name, "outbursts");
    }

    #[test]
    fn only_the_co_governance_model_records_a_trace() {
        let mut cv = Model::CivilViolence.default_params();
        cv.set("run.ticks", ParamValue::Int(5)).unwrap();
        let (out, trace) = cv.simulate_traced(3, 1, usize::MAX);
        assert_eq!(trace, None);
        let bits = |o: &RunOutput| o.series.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&out), bits(&cv.simulate(3)));
        assert!(Model::CivilViolence.trace_metrics().is_empty());

        let mut co = Model::CoGovernance.default_params();
        for (path, v) in [
            ("district.width", 2),
            ("district.height", 2),
            ("run.warmup_ticks", 2),
            ("run.ticks", 5),
        ] {
            co.set(path, ParamValue::Int(v)).unwrap();
        }
        let (_, trace) = co.simulate_traced(3, 2, usize::MAX);
        let trace = trace.expect("a co-governance trace");
        assert_eq!(trace.days, [3, 5, 7]);
        let metrics = Model::CoGovernance.trace_metrics().len();
        assert_eq!(trace.values.len(), 3 * 4 * metrics);
    }

    #[test]
    fn free_parameters_and_only_they_have_a_plausible_range_inside_the_valid_one() {
        for model in Model::ALL {
            for def in model.param_defs() {
                // Free outright ("free parameter: ...") or in size ("level free a to b").
                let free = def.source.contains("free");
                assert_eq!(
                    def.plausible.is_some(),
                    free,
                    "{}: plausible range iff free",
                    def.path
                );
                if let Some((lo, hi)) = def.plausible {
                    assert!(
                        def.min <= lo && lo <= hi && hi <= def.max,
                        "{}: plausible {lo} to {hi} outside {} to {}",
                        def.path,
                        def.min,
                        def.max
                    );
                }
            }
        }
    }
}
