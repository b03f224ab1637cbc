//! The checks of an experiment file that need the whole file: the required keys,
//! the design against `samples`, its own settings (`levels` and `candidates` for
//! morris, `second_order` for sobol) and the factors, and the size of the design.
//! Each problem a design finds is located at the part of the file that causes it.

use std::ops::Range;

use super::factors::RawFactor;
use super::read::{Reader, design_list};
use crate::experiment::design::{
    self, DEFAULT_MORRIS_LEVELS, Design, DesignError, End, Factor, Levels,
};
use crate::input::diagnostic::{Diagnostic, ErrorKind};

impl Reader<'_> {
    /// The checks that need the whole file: required keys, the design against
    /// `samples` and the factors, and the size of the design.
    pub(super) fn check_whole(&mut self) {
        if self.raw.scenario.is_none() && !self.refused_key("scenario") {
            self.walk.missing(
                "scenario",
                "missing `scenario`: the scenario file this experiment varies",
            )
            .notes
            .push(
                "help: for example `scenario = \"../tongxiang_baseline.toml\"`, relative to this file"
                    .to_string(),
            );
        }
        let design_name = self.raw.design_name.clone();
        if design_name.is_none() && !self.refused_key("design") {
            self.walk.missing(
                "design",
                format!("missing `design`: expected one of {}", design_list()),
            );
        }
        if self.raw.factors.is_empty() && !self.refused() {
            let message = "no parameters to sweep: expected at least one parameter and its levels under `[parameters]`";
            let d = match self.raw.parameters.clone() {
                Some(span) => self
                    .walk
                    .at(ErrorKind::Missing, span, "parameters", message),
                None => self.walk.missing("parameters", message),
            };
            d.notes.push(
                "help: for example `\"liability.clarity\" = [0.1, 0.5, 0.9]` under `[parameters]`"
                    .to_string(),
            );
        }
        // The design the file names, and whether its `samples` are known; without
        // `samples` the factors are still checked against the kind of design.
        let samples = self.raw.samples.clone();
        if let Some(named) = &design_name {
            self.settings_suit(&named.value);
        }
        let design: Option<(Design, bool)> = match &design_name {
            None => None,
            Some(named) if named.value == "grid" => {
                if let Some(key) = self.raw.samples_key.clone() {
                    let d = self.walk.at(
                        ErrorKind::Constraint,
                        key,
                        "samples",
                        "`samples`: a grid takes no `samples`: its points are every combination of the levels",
                    );
                    d.notes.push(
                        "help: remove `samples`, or draw points with a sampled design: `design = \"lhs\"`"
                            .to_string(),
                    );
                }
                Some((Design::Grid, true))
            }
            Some(named) => {
                if samples.is_none() && self.raw.samples_key.is_none() {
                    let what = match named.value.as_str() {
                        "sobol" if self.raw.second_order == Some(true) => {
                            "the number of base samples N (the design makes N (2k + 2) points for k parameters)"
                        }
                        "sobol" => {
                            "the number of base samples N (the design makes N (k + 2) points for k parameters)"
                        }
                        "morris" => {
                            "the number of trajectories r (the design makes r (k + 1) points for k parameters)"
                        }
                        _ => "the number of points to draw",
                    };
                    let d = self.walk.at(
                        ErrorKind::Missing,
                        named.span.clone(),
                        "samples",
                        format!("`design = \"{}\"` needs `samples`: {what}", named.value),
                    );
                    d.notes
                        .push("help: add for example `samples = 64` at the top level".to_string());
                }
                let n = samples.as_ref().map_or(1, |(n, _)| *n);
                let design = match Design::from_name(&named.value, n) {
                    Some(Design::Sobol { samples, .. }) => Some(Design::Sobol {
                        samples,
                        second_order: self.raw.second_order.unwrap_or(false),
                    }),
                    Some(Design::Morris { trajectories, .. }) => Some(Design::Morris {
                        trajectories,
                        levels: self
                            .raw
                            .levels
                            .as_ref()
                            .map_or(DEFAULT_MORRIS_LEVELS, |(p, _)| *p),
                        candidates: self.raw.candidates.as_ref().map_or(n, |(m, _)| *m),
                    }),
                    other => other,
                };
                design.map(|d| (d, samples.is_some()))
            }
        };
        let mut located = Vec::new();
        for f in &self.raw.factors {
            // Without a design, check what the levels say on their own.
            let against = match (design, &f.factor.levels) {
                (Some((design, _)), _) => design,
                (None, Levels::Bounds { .. }) => Design::Random { samples: 1 },
                (None, _) => Design::Grid,
            };
            if let Err(e) = design::check_factor(&against, &f.factor) {
                located.push(self.locate(&e, f));
            }
        }
        let fine = located.is_empty();
        for d in located {
            self.walk.push(d);
        }
        let (Some((design, true)), Some(named)) = (design, design_name) else {
            return;
        };
        if !fine || self.refused() {
            return;
        }
        let factors: Vec<Factor> = self.raw.factors.iter().map(|f| f.factor.clone()).collect();
        match design::point_count(&design, &factors) {
            Ok(_) => self.raw.design = Some(design),
            Err(e) => {
                let candidates = self.raw.candidates.as_ref().map(|(_, span)| span.clone());
                let (key, span) = match (&e, &self.raw.samples) {
                    (DesignError::TooManySobolFactors { .. }, _) => ("design", named.span.clone()),
                    (
                        DesignError::TooFewCandidates { .. }
                        | DesignError::CandidatesForOneTrajectory { .. }
                        | DesignError::TooManyCandidates { .. }
                        | DesignError::SpreadTooCostly { .. },
                        _,
                    ) => (
                        "candidates",
                        candidates.unwrap_or_else(|| named.span.clone()),
                    ),
                    (_, Some((_, span))) => ("design", span.clone()),
                    _ => (
                        "design",
                        self.raw.parameters.clone().unwrap_or(named.span.clone()),
                    ),
                };
                let mut d = Diagnostic::at(
                    ErrorKind::OutOfRange,
                    self.walk.file,
                    self.walk.text,
                    span,
                    Some(key),
                    e.to_string(),
                );
                if matches!(e, DesignError::SpreadTooCostly { .. }) {
                    d.notes.push(
                        "help: lower `candidates`; Campolongo et al. (2007) choose among 500 to 1000 for a few parameters"
                            .to_string(),
                    );
                }
                self.walk.push(d);
            }
        }
    }

    /// The settings that belong to one design (`levels`, `candidates`,
    /// `second_order`), refused at their key when the file names another design.
    fn settings_suit(&mut self, design: &str) {
        let settings = [
            (
                "levels",
                self.raw.levels_key.clone(),
                "morris",
                "it is the number of grid levels of a morris design",
            ),
            (
                "candidates",
                self.raw.candidates_key.clone(),
                "morris",
                "it is the number of trajectories a morris design chooses among",
            ),
            (
                "second_order",
                self.raw.second_order_key.clone(),
                "sobol",
                "it adds the rows a sobol design needs for second-order indices",
            ),
        ];
        for (key, span, owner, what) in settings {
            let Some(span) = span else { continue };
            if design == owner {
                continue;
            }
            let d = self.walk.at(
                ErrorKind::Constraint,
                span,
                key,
                format!("`{key}`: a {design} design takes no `{key}`: {what}"),
            );
            d.notes.push(format!(
                "help: remove `{key}`, or use `design = \"{owner}\"`"
            ));
        }
    }

    /// True when `key` was written but refused (so it is not also "missing").
    fn refused_key(&self, key: &str) -> bool {
        self.walk
            .problems
            .iter()
            .any(|d| d.key.as_deref() == Some(key) && d.position.is_some())
    }

    /// A design problem with one factor, at the part of the file that causes it.
    fn locate(&self, error: &DesignError, f: &RawFactor) -> Diagnostic {
        let path = f.factor.path.as_str();
        let (kind, span, notes): (ErrorKind, Range<usize>, Vec<String>) = match error {
            DesignError::BoundsInGrid { .. } => (
                ErrorKind::Constraint,
                f.levels.clone(),
                vec![
                    "help: or draw values between `min` and `max` with a sampled design: `design = \"lhs\"` and `samples = ..`"
                        .to_string(),
                ],
            ),
            DesignError::RangeInSampled { .. } => (
                ErrorKind::Constraint,
                f.steps.clone().unwrap_or(f.levels.clone()),
                vec![
                    "help: remove `steps` to draw values between `min` and `max`, or use `design = \"grid\"`"
                        .to_string(),
                ],
            ),
            DesignError::RepeatedValue { index, .. } => (
                ErrorKind::OutOfRange,
                f.items.get(*index).cloned().unwrap_or(f.levels.clone()),
                Vec::new(),
            ),
            DesignError::MinAboveMax { .. } => (
                ErrorKind::OutOfRange,
                f.min.clone().unwrap_or(f.levels.clone()),
                f.max
                    .as_ref()
                    .map(|m| format!("note: `max` is set at {}", self.walk.place(m.start)))
                    .into_iter()
                    .collect(),
            ),
            DesignError::TooFewSteps { .. } | DesignError::StepsRepeatIntegers { .. } => (
                ErrorKind::OutOfRange,
                f.steps.clone().unwrap_or(f.levels.clone()),
                Vec::new(),
            ),
            DesignError::End { end, .. } => (
                ErrorKind::OutOfRange,
                match end {
                    End::Min => f.min.clone(),
                    End::Max => f.max.clone(),
                }
                .unwrap_or(f.levels.clone()),
                Vec::new(),
            ),
            _ => (ErrorKind::OutOfRange, f.levels.clone(), Vec::new()),
        };
        let mut d = Diagnostic::at(
            kind,
            self.walk.file,
            self.walk.text,
            span,
            Some(path),
            error.to_string(),
        );
        d.notes = notes;
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::SweepSpec;
    use crate::sweep::tests::{check, scenarios_dir};

    #[test]
    fn samples_must_suit_the_design() {
        check(
            "design = \"grid\"\nsamples = 8\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:3:1: `samples`: a grid takes no `samples`",
                "help: remove `samples`",
            ],
        );
        check(
            "design = \"lhs\"\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &["test.toml:2:10: `design = \"lhs\"` needs `samples`: the number of points to draw"],
        );
        check(
            "design = \"sobol\"\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &["needs `samples`: the number of base samples N"],
        );
        check(
            "design = \"random\"\nsamples = 0\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &[
                "test.toml:3:11: `samples`: expected an integer from 1 to 10000000 (points), found 0",
            ],
        );
        check(
            "design = \"sobol\"\nsamples = 3000000\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n\"logistics.level\" = { min = 0, max = 1 }\n",
            &[
                "test.toml:3:11: the sobol design would make 12000000 points (3000000 samples x (2 parameters + 2)); at most 10000000 are allowed",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1, steps = 5000 }\n\"logistics.level\" = { min = 0, max = 1, steps = 5000 }\n",
            &["test.toml:3:2: the grid design would make 25000000 points (5000 x 5000)"],
        );
    }

    #[test]
    fn morris_settings_are_checked() {
        let params = "[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n\"logistics.level\" = { min = 0, max = 1 }\n";
        let morris = |settings: &str, expect: &[&str]| {
            check(&format!("design = \"morris\"\n{settings}{params}"), expect)
        };
        let spec = morris("samples = 10\nlevels = 8\ncandidates = 50\n", &[]).unwrap();
        assert_eq!(
            spec.design,
            Design::Morris {
                trajectories: 10,
                levels: 8,
                candidates: 50
            }
        );
        assert_eq!(spec.point_count(), 30);
        morris(
            "",
            &[
                "test.toml:2:10: `design = \"morris\"` needs `samples`: the number of trajectories r (the design makes r (k + 1) points for k parameters)",
            ],
        );
        morris(
            "samples = 10\nlevels = 5\n",
            &[
                "test.toml:4:10: `levels`: expected an even number of levels, found 5",
                "help: Morris's step of p / (2 (p - 1))",
                "use 4 or 6",
            ],
        );
        morris(
            "samples = 10\nlevels = 1\n",
            &[
                "test.toml:4:10: `levels`: expected an integer from 2 to 1000 (grid levels of a morris design, an even number), found 1",
            ],
        );
        morris(
            "samples = 10\nlevels = 4.0\n",
            &["`levels`", "found the float 4.0"],
        );
        morris(
            "samples = 10\ncandidates = 5\n",
            &[
                "test.toml:4:14: `candidates`: expected at least `samples` (10) trajectories to choose from, found 5",
            ],
        );
        morris(
            "samples = 1\ncandidates = 5\n",
            &[
                "test.toml:4:14: `candidates`: choosing trajectories by their spread needs `samples` of at least 2, found 1",
            ],
        );
        morris(
            "samples = 10\ncandidates = 1001\n",
            &[
                "test.toml:4:14: `candidates`: expected an integer from 1 to 1000 (trajectories a morris design chooses `samples` among), found 1001",
            ],
        );
        morris(
            "samples = 5000000\n",
            &[
                "test.toml:3:11: the morris design would make 15000000 points (5000000 trajectories x (2 parameters + 1)); at most 10000000 are allowed",
            ],
        );
        // The cost of choosing: 1000 candidates of 21 points.
        let many: String = crate::model::co_governance::params::PARAM_DEFS
            .iter()
            .filter(|d| d.ty == crate::schema::ParamType::Real)
            .take(20)
            .map(|d| {
                format!(
                    "\"{}\" = {{ min = {:?}, max = {:?} }}\n",
                    d.path, d.min, d.max
                )
            })
            .collect();
        check(
            &format!("design = \"morris\"\nsamples = 10\ncandidates = 1000\n[parameters]\n{many}"),
            &[
                "test.toml:4:14: `candidates`: choosing among 1000 trajectories of 21 points would compute 220279500 distances between points; at most 100000000 are allowed",
                "help: lower `candidates`",
            ],
        );
    }

    #[test]
    fn design_settings_belong_to_their_design() {
        check(
            "design = \"lhs\"\nsamples = 8\nlevels = 4\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &[
                "test.toml:4:1: `levels`: a lhs design takes no `levels`: it is the number of grid levels of a morris design",
                "help: remove `levels`, or use `design = \"morris\"`",
            ],
        );
        check(
            "design = \"grid\"\nlevels = 4\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &["test.toml:3:1: `levels`: a grid design takes no `levels`"],
        );
        check(
            "design = \"sobol\"\nsamples = 8\ncandidates = 40\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &["test.toml:4:1: `candidates`: a sobol design takes no `candidates`"],
        );
        check(
            "design = \"morris\"\nsamples = 8\nsecond_order = true\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &[
                "test.toml:4:1: `second_order`: a morris design takes no `second_order`: it adds the rows a sobol design needs for second-order indices",
                "help: remove `second_order`, or use `design = \"sobol\"`",
            ],
        );
        check(
            "design = \"sobol\"\nsamples = 8\nsecond_order = \"yes\"\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &["test.toml:4:16", "expected true or false"],
        );
        check(
            "design = \"sobol\"\nsecond_order = true\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n",
            &["needs `samples`: the number of base samples N (the design makes N (2k + 2) points"],
        );
        check(
            "design = \"sobol\"\nsamples = 2000000\nsecond_order = true\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1 }\n\"logistics.level\" = { min = 0, max = 1 }\n",
            &[
                "test.toml:3:11: the sobol design would make 12000000 points (2000000 samples x (2 x 2 parameters + 2))",
            ],
        );
    }

    #[test]
    fn levels_must_suit_the_design() {
        check(
            "design = \"grid\"\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14 }\n",
            &[
                "test.toml:4:29: `police.officers_per_10k`: a grid needs levels: give a list of values or add `steps`",
                "help: or draw values between `min` and `max` with a sampled design",
            ],
        );
        check(
            "design = \"lhs\"\nsamples = 4\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14, steps = 4 }\n",
            &[
                "test.toml:5:58: `police.officers_per_10k`: `steps` is for grids; a lhs design draws values between `min` and `max`",
                "help: remove `steps`",
            ],
        );
        // Without `samples`, the levels are still checked against the kind of design.
        check(
            "design = \"lhs\"\n[parameters]\n\"police.officers_per_10k\" = { min = 8, max = 14, steps = 4 }\n",
            &[
                "test.toml:2:10: `design = \"lhs\"` needs `samples`",
                "test.toml:4:58: `police.officers_per_10k`: `steps` is for grids",
                "experiment refused because of 2 errors",
            ],
        );
        // With an unknown design, the levels are still checked on their own.
        check(
            "design = \"lhc\"\nsamples = 4\n[parameters]\n\"incentives.enterprise_fine\" = { min = 5000, max = 0 }\n",
            &[
                "unknown design \"lhc\"",
                "test.toml:5:40: `incentives.enterprise_fine`: `min` (5000.0) is greater than `max` (0.0)",
            ],
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_and_counted() {
        let err = SweepSpec::parse(
            "design = \"grid\"\nsample = 3\n[parameters]\n\"liability.clarty\" = [0.1]\n\"logistics.level\" = [2]\n",
            "test.toml",
            Some(&scenarios_dir()),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("missing `scenario`"), "{text}");
        assert!(
            text.ends_with("error: experiment refused because of 4 errors"),
            "{text}"
        );
        let kinds: Vec<ErrorKind> = err.diagnostics().iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                ErrorKind::UnknownKey,
                ErrorKind::UnknownKey,
                ErrorKind::OutOfRange,
                ErrorKind::Missing
            ]
        );
    }
}
