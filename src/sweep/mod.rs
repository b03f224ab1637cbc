//! Experiment files: reading a sweep and turning it into an [`Experiment`].
//!
//! A sweep is a TOML file that *names a scenario* and says which of its parameters
//! to vary, and how:
//!
//! ```toml
//! scenario = "../tongxiang_baseline.toml"   # relative to this file; required
//! design = "grid"                           # grid | random | lhs | sobol | morris
//! replications = 10                         # optional
//! [parameters]
//! "liability.clarity" = [0.1, 0.5, 0.9]
//! "incentives.enterprise_fine" = { min = 0, max = 5000, steps = 6 }
//! ```
//!
//! Naming a scenario, rather than extending one or embedding parameters, keeps the
//! two files' jobs apart: the scenario says what is held fixed (and is checked,
//! hashed and recorded as any scenario is); the experiment file says only what
//! varies. Any scenario can be swept without editing it, and one scenario can serve
//! many sweeps. See `docs/experiment-format.md`.
//!
//! Loading goes raw, then validated, like [`crate::scenario`]: every problem in the
//! file is reported at once, each with file, line, column, the key, what was expected
//! and what was found, a caret under the offending text and "did you mean" hints; the
//! named scenario's own problems follow, as its loader reports them. The rules that
//! tie parameters together are *not* checked here: a design point that breaks one
//! becomes a point whose runs fail (see [`SweepSpec::experiment`]).
//!
//! Scenario files and experiment files are the two file formats, both built on
//! [`crate::input`] (reading a file, walking its TOML with spans, reading parameter
//! values, rendering diagnostics). This module owns the experiment file: its keys,
//! what they mean and the problems they can have. It is the only I/O of an
//! experiment; which points a design makes belongs to [`crate::experiment::design`],
//! and loading the named scenario to [`crate::scenario`].
//!
//! - `mod.rs`: [`SweepSpec`], loading it and turning it into an [`Experiment`].
//! - `read.rs`: the walk over the file's top level, and loading the named scenario.
//! - `factors.rs`: one swept parameter under `[parameters]` and its levels.
//! - `checks.rs`: the checks that need the whole file (required keys, the design
//!   against `samples` and the factors, the size of the design).

mod checks;
mod factors;
mod read;

use std::path::{Path, PathBuf};

use crate::experiment::design::{self, Design, Factor};
use crate::experiment::{Experiment, Kind, Point};
use crate::input::read::{FileKind, read_text, strip_bom};
use crate::model::ModelParams;
use crate::scenario::{Diagnostic, Scenario, ScenarioError};
use crate::schema::ParamValue;
use read::parse_text;

/// How an experiment file that cannot be read is reported.
const EXPERIMENT_FILE: FileKind = FileKind {
    noun: "experiment",
    example: "scenarios/sweeps/sweep_liability_x_incentives.toml",
};

/// Most replications one point may have (as `run.replications`).
const MAX_REPLICATIONS: u64 = 10_000_000;

/// A validated experiment file: a scenario, a design and the factors it varies.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// The top-level `name`, else the file stem.
    pub name: String,
    /// The top-level `description`, else `""`.
    pub description: String,
    /// The experiment file as named (or the `origin` given to [`SweepSpec::parse`]).
    pub file: PathBuf,
    /// The scenario the sweep varies, loaded and validated.
    pub scenario: Scenario,
    pub design: Design,
    /// The swept parameters in file order: the columns of the design.
    pub factors: Vec<Factor>,
    /// `replications`, if the file sets it; else the scenario's `run.replications`.
    pub replications: Option<u64>,
    /// `design_seed`, if the file sets it; else the scenario's `run.seed`.
    pub design_seed: Option<u64>,
    /// `timeseries_every`: 0 writes no time series; K writes every K-th day.
    pub timeseries_every: u64,
    /// `common_random_numbers` (default true): replication r has the same seed at
    /// every point; false gives every point its own streams.
    pub common_random_numbers: bool,
}

impl SweepSpec {
    /// Reads and validates an experiment file and the scenario it names.
    ///
    /// The `scenario` path is relative to the directory of the experiment file.
    ///
    /// # Errors
    /// [`ScenarioError`] listing every problem found (up to
    /// [`crate::scenario::MAX_DIAGNOSTICS`]), each with file, line, column, key, what
    /// was expected and what was found, closing with "experiment refused because of N
    /// errors" when there are several: the file cannot be read; TOML syntax; an unknown
    /// key or parameter; a missing `scenario`, `design` or `samples`; `samples` for a
    /// grid; `levels` or `candidates` for a design other than morris, `second_order`
    /// for one other than sobol; odd `levels`; fewer `candidates` than `samples`, or
    /// too many to compare; an unknown design; a level of the wrong type or outside its parameter's
    /// range; `min > max`; `steps < 2`; an empty list; a parameter swept twice; no
    /// parameters; a design of more than [`design::MAX_POINTS`] points; and the named
    /// scenario's own problems, as [`Scenario::load`] reports them.
    ///
    /// # Examples
    /// ```
    /// use std::path::Path;
    /// let path = concat!(
    ///     env!("CARGO_MANIFEST_DIR"),
    ///     "/scenarios/sweeps/sweep_liability_x_incentives.toml"
    /// );
    /// let spec = cogov::sweep::SweepSpec::load(Path::new(path)).unwrap();
    /// assert_eq!(spec.design.name(), "grid");
    /// assert_eq!(spec.experiment(None).unwrap().points.len(), 25);
    /// ```
    pub fn load(path: &Path) -> Result<SweepSpec, ScenarioError> {
        let shown = path.display().to_string();
        let text =
            read_text(path).map_err(|e| refuse(vec![e.diagnostic(&shown, EXPERIMENT_FILE)], 0))?;
        let base_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        parse_text(&text, &shown, Some(&base_dir), path)
    }

    /// Whether `path` is an experiment file rather than a scenario: a TOML file with
    /// a top-level `design` or `[parameters]`, which no scenario has. False when it
    /// cannot be read or parsed (loading it as a scenario then says why).
    pub fn looks_like_experiment(path: &Path) -> bool {
        read_text(path)
            .ok()
            .and_then(|text| strip_bom(&text).parse::<toml::Table>().ok())
            .is_some_and(|table| table.contains_key("design") || table.contains_key("parameters"))
    }

    /// Reads an experiment from text already in memory.
    ///
    /// `origin` names the text in messages and gives the default name; `base_dir` is
    /// where the `scenario` path is resolved (`None` refuses it, saying why).
    ///
    /// # Errors
    /// As [`SweepSpec::load`], without the errors of reading the file.
    ///
    /// # Examples
    /// ```
    /// use cogov::sweep::SweepSpec;
    /// let err = SweepSpec::parse("design = \"grid\"\n", "inline.toml", None).unwrap_err();
    /// assert!(err.to_string().contains("missing `scenario`"));
    /// ```
    pub fn parse(
        text: &str,
        origin: &str,
        base_dir: Option<&Path>,
    ) -> Result<SweepSpec, ScenarioError> {
        parse_text(strip_bom(text), origin, base_dir, Path::new(origin))
    }

    /// The swept parameters' paths, in column order.
    pub fn columns(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.path.clone()).collect()
    }

    /// How many points the design makes.
    pub fn point_count(&self) -> u64 {
        // Checked when the file was read.
        design::point_count(&self.design, &self.factors).unwrap_or(0)
    }

    /// Replications per point: `replications_override` (the command line), else the
    /// file's `replications`, else the scenario's `run.replications`.
    pub fn replications(&self, replications_override: Option<u64>) -> u64 {
        replications_override
            .or(self.replications)
            .unwrap_or_else(|| self.scenario.params.replications())
    }

    /// The seed of the random, Latin hypercube and Morris designs: `design_seed`, else
    /// the scenario's `run.seed`.
    pub fn design_seed(&self) -> u64 {
        self.design_seed.unwrap_or(self.scenario.params.seed())
    }

    /// Builds the experiment: one [`Point`] per design row, labelled by its number
    /// from 0, with the row's values, and the scenario's parameters with the row
    /// applied. A row that breaks a rule tying parameters together (for example
    /// `police.community_role_share + police.admin_burden_share <= 0.95`) gives a
    /// point whose `params` is `Err`, naming the parameters and their values: its runs
    /// are recorded as failures, and the other points run.
    ///
    /// Every point runs replication `r` on the same seed, derived from the scenario's
    /// `run.seed` (common random numbers).
    ///
    /// # Errors
    /// A message when the replications are 0 or more than 10,000,000, or the design
    /// cannot be made (which [`SweepSpec::load`] has already ruled out).
    pub fn experiment(&self, replications_override: Option<u64>) -> Result<Experiment, String> {
        let replications = self.replications(replications_override);
        if replications == 0 || replications > MAX_REPLICATIONS {
            return Err(format!(
                "replications: expected an integer from 1 to {MAX_REPLICATIONS}, found {replications}"
            ));
        }
        let rows = design::points(&self.design, &self.factors, self.design_seed())
            .map_err(|e| format!("{}: {e}", self.file.display()))?;
        let points = rows
            .into_iter()
            .enumerate()
            .map(|(i, values)| Point {
                label: i.to_string(),
                params: self.point_params(&values),
                values,
            })
            .collect();
        Ok(Experiment {
            kind: Kind::Sweep,
            model: self.scenario.model(),
            columns: self.columns(),
            points,
            replications,
            seed: self.scenario.params.seed(),
            common_random_numbers: self.common_random_numbers,
        })
    }

    /// The sweep's entry in `manifest.json` for a design of `points` points: name,
    /// description, file, design (in words), the swept parameters, the number of
    /// points, and `settings`, the design's full settings, for `cogov analyse` and for
    /// whoever repeats the sweep: the design and its sizes, the design seed, whether
    /// the points share random numbers, and each factor's levels as the file gave
    /// them.
    pub fn manifest_entry(&self, points: usize) -> serde_json::Value {
        use crate::schema::json::value_json;
        use design::Levels;
        let mut settings = serde_json::json!({ "design": self.design.name() });
        match self.design {
            Design::Grid => {}
            Design::Random { samples } | Design::LatinHypercube { samples } => {
                settings["samples"] = samples.into();
            }
            Design::Sobol {
                samples,
                second_order,
            } => {
                settings["samples"] = samples.into();
                settings["second_order"] = second_order.into();
            }
            Design::Morris {
                trajectories,
                levels,
                candidates,
            } => {
                settings["trajectories"] = trajectories.into();
                settings["levels"] = levels.into();
                settings["candidates"] = candidates.into();
            }
        }
        settings["design_seed"] = self.design_seed().into();
        settings["common_random_numbers"] = self.common_random_numbers.into();
        settings["factors"] = self
            .factors
            .iter()
            .map(|f| match &f.levels {
                Levels::List(values) => serde_json::json!({
                    "path": f.path,
                    "values": values.iter().map(value_json).collect::<Vec<_>>(),
                }),
                Levels::Range { min, max, steps } => serde_json::json!({
                    "path": f.path, "min": min, "max": max, "steps": steps,
                }),
                Levels::Bounds { min, max } => serde_json::json!({
                    "path": f.path, "min": min, "max": max,
                }),
            })
            .collect();
        serde_json::json!({
            "name": self.name,
            "description": self.description,
            "file": self.file.display().to_string(),
            "design": self.design.to_string(),
            "parameters": self.columns(),
            "points": points,
            "settings": settings,
        })
    }

    /// The scenario's parameters with one design row applied, or why the combination
    /// is invalid.
    ///
    /// # Errors
    /// A message naming each broken rule and the values of its parameters.
    pub fn point_params(&self, values: &[ParamValue]) -> Result<ModelParams, String> {
        self.point_params_on(&self.scenario.params, values)
    }

    /// Another scenario's parameters with one design row applied (`cogov compare
    /// --uncertainty` runs every scenario in every world of its file), or why the
    /// combination is invalid.
    ///
    /// # Errors
    /// As [`SweepSpec::point_params`].
    pub fn point_params_on(
        &self,
        base: &ModelParams,
        values: &[ParamValue],
    ) -> Result<ModelParams, String> {
        let mut params = base.clone();
        for (factor, &value) in self.factors.iter().zip(values) {
            params
                .set(&factor.path, value)
                .map_err(|e| format!("`{}` = {value}: {e}", factor.path))?;
        }
        let broken = params.validate();
        if broken.is_empty() {
            return Ok(params);
        }
        let reasons: Vec<String> = broken
            .iter()
            .map(|rule| {
                let values: Vec<String> = rule
                    .paths
                    .iter()
                    .map(|path| {
                        let value = params.get(path).map_or_else(String::new, |v| v.to_string());
                        format!("`{path}` = {value}")
                    })
                    .collect();
                format!("{} ({})", rule.message, values.join(", "))
            })
            .collect();
        Err(format!("invalid combination: {}", reasons.join("; ")))
    }
}

/// An experiment error, closing with "experiment refused because of N errors".
fn refuse(diagnostics: Vec<Diagnostic>, omitted: usize) -> ScenarioError {
    ScenarioError::refusing("experiment", diagnostics, omitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::Levels;
    use crate::input::testing::{data_files, refused_as_it_expects, verdict};
    use std::fs;

    pub(super) fn scenarios_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }

    const HEAD: &str = "scenario = \"tongxiang_baseline.toml\"\n";

    /// Parses `HEAD` + `body` as `test.toml` against `scenarios/`. With no `expect`ed
    /// substrings it must load; otherwise it must be refused with a message holding
    /// every one of them.
    pub(super) fn check(body: &str, expect: &[&str]) -> Option<SweepSpec> {
        check_text(&format!("{HEAD}{body}"), expect)
    }

    pub(super) fn check_text(text: &str, expect: &[&str]) -> Option<SweepSpec> {
        verdict(
            SweepSpec::parse(text, "test.toml", Some(&scenarios_dir())),
            expect,
        )
    }

    #[test]
    fn a_grid_file_becomes_an_experiment_with_a_point_per_combination() {
        let spec = check(
            "name = \"lxf\"\ndescription = \"d\"\ndesign = \"grid\"\nreplications = 3\n\
             [parameters]\n\"liability.clarity\" = [0.1, 0.5, 0.9]\n\
             \"incentives.enterprise_fine\" = { min = 0, max = 5000, steps = 6 }\n",
            &[],
        )
        .unwrap();
        assert_eq!(
            (spec.name.as_str(), spec.description.as_str()),
            ("lxf", "d")
        );
        assert_eq!(spec.design, Design::Grid);
        assert_eq!(spec.scenario.name, "tongxiang_baseline");
        assert_eq!(
            spec.columns(),
            ["liability.clarity", "incentives.enterprise_fine"]
        );
        assert_eq!(spec.point_count(), 18);
        let e = spec.experiment(None).unwrap();
        assert_eq!(e.kind, Kind::Sweep);
        assert_eq!(e.columns, spec.columns());
        assert_eq!(e.points.len(), 18);
        assert_eq!(e.replications, 3);
        assert_eq!(e.seed, spec.scenario.params.seed());
        for (i, p) in e.points.iter().enumerate() {
            assert_eq!(p.label, i.to_string());
            let params = p.params.as_ref().unwrap();
            assert_eq!(params.get("liability.clarity"), Some(p.values[0]));
            assert_eq!(params.get("incentives.enterprise_fine"), Some(p.values[1]));
            // Everything else is the scenario's.
            let (point, scenario) = (
                params.co_governance().unwrap(),
                spec.scenario.params.co_governance().unwrap(),
            );
            assert_eq!(point.police, scenario.police);
        }
        assert_eq!(
            e.points[7].values,
            [ParamValue::Real(0.5), ParamValue::Real(1000.0)]
        );
        assert_eq!(spec.experiment(Some(5)).unwrap().replications, 5);
        assert!(spec.experiment(Some(0)).is_err());
    }

    #[test]
    fn common_random_numbers_are_on_unless_turned_off() {
        let body = "design = \"lhs\"\nsamples = 4\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14 }\n";
        let on = check(body, &[]).unwrap();
        assert!(on.common_random_numbers);
        assert!(on.experiment(None).unwrap().common_random_numbers);
        let off = check(&format!("common_random_numbers = false\n{body}"), &[]).unwrap();
        assert!(!off.experiment(None).unwrap().common_random_numbers);
        check(
            &format!("common_random_numbers = \"no\"\n{body}"),
            &["test.toml:2:25", "expected true or false"],
        );
    }

    #[test]
    fn defaults_come_from_the_scenario() {
        let spec = check(
            "design = \"lhs\"\nsamples = 8\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14 }\n",
            &[],
        )
        .unwrap();
        assert_eq!(spec.name, "test");
        assert_eq!(spec.description, "");
        assert_eq!(spec.timeseries_every, 0);
        assert_eq!(spec.replications(None), 20);
        assert_eq!(spec.design_seed(), spec.scenario.params.seed());
        let e = spec.experiment(None).unwrap();
        assert_eq!((e.points.len(), e.replications), (8, 20));
        // design_seed changes the points, not the run seeds.
        let other = check(
            "design = \"lhs\"\nsamples = 8\ndesign_seed = 3\ntimeseries_every = 7\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14 }\n",
            &[],
        )
        .unwrap();
        assert_eq!(other.timeseries_every, 7);
        let f = other.experiment(None).unwrap();
        assert_eq!(f.seed, e.seed);
        assert_ne!(f.points[0].values, e.points[0].values);
    }

    #[test]
    fn sobol_files_make_saltelli_points() {
        let spec = check(
            "design = \"sobol\"\nsamples = 4\nreplications = 1\n[parameters]\n\
             \"liability.clarity\" = { min = 0.3, max = 0.9 }\n\"logistics.level\" = { min = 0.4, max = 0.8 }\n\
             \"channels.count\" = { min = 2, max = 6 }\n",
            &[],
        )
        .unwrap();
        let e = spec.experiment(None).unwrap();
        assert_eq!(e.points.len(), 4 * (3 + 2));
        assert!(e.points.iter().all(|p| p.params.is_ok()));
        assert!(matches!(e.points[0].values[2], ParamValue::Int(2..=6)));
    }

    #[test]
    fn second_order_sobol_files_add_the_ba_rows() {
        let body = "design = \"sobol\"\nsamples = 4\nsecond_order = true\n[parameters]\n\
             \"liability.clarity\" = { min = 0.3, max = 0.9 }\n\"logistics.level\" = { min = 0.4, max = 0.8 }\n";
        let spec = check(body, &[]).unwrap();
        assert_eq!(
            spec.design,
            Design::Sobol {
                samples: 4,
                second_order: true
            }
        );
        assert_eq!(spec.point_count(), 4 * (2 * 2 + 2));
        assert_eq!(spec.experiment(None).unwrap().points.len(), 24);
        let off = check(&body.replace("true", "false"), &[]).unwrap();
        assert_eq!(off.point_count(), 4 * (2 + 2));
    }

    #[test]
    fn morris_files_make_trajectories() {
        let body = "design = \"morris\"\nsamples = 6\nreplications = 1\n[parameters]\n\
             \"liability.clarity\" = { min = 0.3, max = 0.9 }\n\"logistics.level\" = { min = 0.4, max = 0.8 }\n\
             \"channels.count\" = { min = 2, max = 6 }\n";
        let spec = check(body, &[]).unwrap();
        assert_eq!(
            spec.design,
            Design::Morris {
                trajectories: 6,
                levels: 4,
                candidates: 6
            }
        );
        assert_eq!(spec.design.to_string(), "morris (6 trajectories, 4 levels)");
        let e = spec.experiment(None).unwrap();
        assert_eq!(e.points.len(), 6 * (3 + 1));
        assert!(e.points.iter().all(|p| p.params.is_ok()));
        // Each step of a trajectory changes one parameter.
        for t in e.points.chunks(4) {
            for pair in t.windows(2) {
                let changed = (0..3)
                    .filter(|&i| pair[0].values[i] != pair[1].values[i])
                    .count();
                assert_eq!(changed, 1);
            }
        }
        // `levels`, `candidates` and `design_seed`.
        let spec = check(
            &format!("levels = 6\ncandidates = 40\ndesign_seed = 3\n{body}"),
            &[],
        )
        .unwrap();
        assert_eq!(
            spec.design,
            Design::Morris {
                trajectories: 6,
                levels: 6,
                candidates: 40
            }
        );
        let f = spec.experiment(None).unwrap();
        assert_eq!(f.points.len(), 24);
        assert_ne!(f.points[0].values, e.points[0].values);
    }

    #[test]
    fn invalid_combinations_fail_their_point_not_the_sweep() {
        let spec = check(
            "design = \"grid\"\n[parameters]\n\"police.community_role_share\" = [0.5, 0.7]\n\"police.admin_burden_share\" = [0.3, 0.5]\n",
            &[],
        )
        .unwrap();
        let e = spec.experiment(None).unwrap();
        let ok: Vec<bool> = e.points.iter().map(|p| p.params.is_ok()).collect();
        assert_eq!(ok, [true, false, false, false]);
        let message = e.points[3].params.clone().unwrap_err();
        for want in [
            "invalid combination: community_role_share + admin_burden_share must leave at least 5% of officer time for response",
            "`police.community_role_share` = 0.7",
            "`police.admin_burden_share` = 0.5",
        ] {
            assert!(message.contains(want), "missing {want:?} in {message:?}");
        }
    }

    #[test]
    fn syntax_and_read_errors_are_located() {
        check(
            "design = \"grid\"\n[parameters\n",
            &["error: test.toml:3:12: invalid TOML"],
        );
        let dir = tempfile::tempdir().unwrap();
        let err = SweepSpec::load(&dir.path().join("nope.toml")).unwrap_err();
        assert!(
            err.to_string()
                .contains("nope.toml: cannot read experiment file: No such file or directory"),
            "{err}"
        );
        let err = SweepSpec::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("it is a directory, not a file"));
    }

    #[test]
    fn the_shipped_sweeps_load_and_build() {
        let dir = scenarios_dir().join("sweeps");
        let mut count = 0;
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let spec = SweepSpec::load(&path).unwrap_or_else(|e| panic!("{e}"));
            let e = spec.experiment(None).unwrap();
            assert!(
                e.points.iter().all(|p| p.params.is_ok()),
                "{}: every shipped point should be valid",
                path.display()
            );
            count += 1;
        }
        assert!(count >= 3, "only {count} sweeps in scenarios/sweeps");
        let lhs = SweepSpec::load(&scenarios_dir().join("sweeps/sweep_free_parameters_lhs.toml"))
            .unwrap();
        assert_eq!(
            (lhs.point_count(), lhs.factors.len(), lhs.replications(None)),
            (64, 8, 5)
        );
        let sobol =
            SweepSpec::load(&scenarios_dir().join("sweeps/sweep_sobol_reforms.toml")).unwrap();
        assert_eq!(
            (sobol.point_count(), sobol.replications(None)),
            (128 * 7, 4)
        );
        let morris =
            SweepSpec::load(&scenarios_dir().join("sweeps/screen_free_parameters_morris.toml"))
                .unwrap();
        assert_eq!(
            (morris.point_count(), morris.factors.len()),
            (10 * 135, 134)
        );
    }

    #[test]
    fn the_free_parameter_ranges_are_the_documented_ones() {
        // Each factor of the sweeps over free parameters spans the plausible range its
        // definition documents; the Morris screening narrows two, as its comments say,
        // so that no combination breaks a rule tying parameters together, and leaves
        // out only the run's warm-up and the map's size.
        let narrowed = [
            ("residents.property_share", (0.4, 0.7)),
            ("police.admin_burden_share", (0.1, 0.45)),
        ];
        let morris =
            SweepSpec::load(&scenarios_dir().join("sweeps/screen_free_parameters_morris.toml"))
                .unwrap();
        let free: Vec<&str> = crate::model::Model::CoGovernance
            .param_defs()
            .iter()
            .filter(|d| d.plausible.is_some())
            .map(|d| d.path)
            .filter(|p| !["run.warmup_ticks", "district.width", "district.height"].contains(p))
            .collect();
        let swept: Vec<&str> = morris.factors.iter().map(|f| f.def.path).collect();
        assert_eq!(swept, free, "every free parameter, in the table's order");
        for f in &morris.factors {
            let Levels::Bounds { min, max } = f.levels else {
                panic!("{}: expected bounds", f.path);
            };
            let expected = narrowed
                .iter()
                .find(|(p, _)| *p == f.path)
                .map_or(f.def.plausible, |(_, range)| Some(*range));
            assert_eq!(expected, Some((min, max)), "{}", f.path);
        }
        let lhs = SweepSpec::load(&scenarios_dir().join("sweeps/sweep_free_parameters_lhs.toml"))
            .unwrap();
        let worlds =
            SweepSpec::load(&scenarios_dir().join("sweeps/uncertainty_free_parameters.toml"))
                .unwrap();
        for f in lhs.factors.iter().chain(&worlds.factors) {
            let Levels::Bounds { min, max } = f.levels else {
                panic!("{}: expected bounds", f.path);
            };
            assert_eq!(
                f.def.plausible,
                Some((min, max)),
                "{}: bounds are not its plausible range",
                f.path
            );
        }
    }

    #[test]
    fn the_documented_examples_are_real_output() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = fs::read_to_string(root.join("docs/experiment-format.md")).unwrap();
        let dir = scenarios_dir().join("sweeps");
        for input in [
            "scenario = \"../tongxiang_baseline.toml\"\ndesign = \"lhc\"\nsample = 64\n[parameters]\n\"liability.clarty\" = { min = 0.1, max = 0.9 }\n\"police.officers_per_10k\" = [8, 12, 900]\n",
            "scenario = \"../tongxiang_baseline.toml\"\ndesign = \"grid\"\nsamples = 10\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14 }\n",
        ] {
            let err = SweepSpec::parse(input, "scenarios/sweeps/bad.toml", Some(&dir)).unwrap_err();
            let text = err.to_string();
            assert!(
                docs.contains(&text),
                "docs/experiment-format.md should show:\n{text}"
            );
        }
        let spec = check(
            "design = \"grid\"\n[parameters]\n\"police.community_role_share\" = [0.3, 0.7]\n\"police.admin_burden_share\" = [0.35]\n",
            &[],
        )
        .unwrap();
        let message = spec.experiment(None).unwrap().points[1]
            .params
            .clone()
            .unwrap_err();
        assert!(docs.contains(&message), "docs should show:\n{message}");
    }

    #[test]
    fn every_malformed_sweep_is_refused_as_it_expects() {
        let files = data_files("malformed_sweeps");
        assert!(files.len() >= 6, "only {} malformed sweeps", files.len());
        for path in files {
            refused_as_it_expects(&path, SweepSpec::load(&path));
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(body in "(\\PC|\n|\\[|\\]|=|\"|\\.|\\{|\\}|,| ){0,80}") {
            let text = format!("{HEAD}{body}");
            let _ = SweepSpec::parse(&text, "p.toml", Some(&scenarios_dir())).map_err(|e| e.to_string());
        }

        #[test]
        fn no_levels_panic(design in "grid|lhs|sobol|random|morris", levels in "[-+0-9a-z_.\"\\[\\]{}=, ]{0,30}") {
            let text = format!("{HEAD}design = \"{design}\"\nsamples = 3\n[parameters]\n\"channels.count\" = {levels}\n");
            let _ = SweepSpec::parse(&text, "p.toml", Some(&scenarios_dir())).map_err(|e| e.to_string());
        }

        #[test]
        fn no_design_setting_panics(
            design in "grid|lhs|sobol|random|morris",
            key in "samples|levels|candidates|second_order",
            value in "-?[0-9]{1,7}|true|false|\"[a-z]{0,3}\"|[0-9]\\.[0-9]",
        ) {
            let text = format!("{HEAD}design = \"{design}\"\nsamples = 3\n{key} = {value}\n[parameters]\n\"channels.count\" = {{ min = 1, max = 4 }}\n");
            let _ = SweepSpec::parse(&text, "p.toml", Some(&scenarios_dir())).map_err(|e| e.to_string());
        }
    }
}
