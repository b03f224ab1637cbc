//! Experiment files: reading a sweep and turning it into an [`Experiment`].
//!
//! A sweep is a TOML file that *names a scenario* and says which of its parameters
//! to vary, and how:
//!
//! ```toml
//! scenario = "../tongxiang_baseline.toml"   # relative to this file; required
//! design = "grid"                           # grid | random | lhs | sobol
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
//! This module owns reading experiment files (the only I/O in [`crate::experiment`]).
//! Which points a design makes belongs to [`super::design`]; rendering diagnostics
//! and reading scenarios to [`crate::scenario`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::experiment::design::{
    self, DESIGN_NAMES, Design, DesignError, End, Factor, Levels, MAX_POINTS,
};
use crate::experiment::{Experiment, Kind, Point};
use crate::model::{Model, ModelParams};
use crate::scenario::raw;
use crate::scenario::{
    Diagnostic, ErrorKind, Position, ReadError, Scenario, ScenarioError, read_text,
};
use crate::schema::{ParamDef, ParamType, ParamValue};

/// The keys an experiment file may hold at its top level.
const TOP_LEVEL_KEYS: [&str; 10] = [
    "name",
    "description",
    "scenario",
    "design",
    "samples",
    "replications",
    "design_seed",
    "timeseries_every",
    "common_random_numbers",
    "parameters",
];

/// The keys of a factor's levels table.
const LEVEL_KEYS: [&str; 3] = ["min", "max", "steps"];

/// Most replications one point may have (as `run.replications`).
const MAX_REPLICATIONS: u64 = 10_000_000;

/// Largest `design_seed` (as `run.seed`: integers exact in a double).
const MAX_SEED: u64 = 9_007_199_254_740_991;

/// Largest `timeseries_every`: the longest run (`ticks + warmup_ticks`), in days.
const MAX_TIMESERIES_EVERY: u64 = 200_000;

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
    /// grid; an unknown design; a level of the wrong type or outside its parameter's
    /// range; `min > max`; `steps < 2`; an empty list; a parameter swept twice; no
    /// parameters; a design of more than [`MAX_POINTS`] points; and the named
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
        let text = read_text(path).map_err(|e| refuse(vec![read_problem(&e, &shown)], 0))?;
        let base_dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        parse_text(&text, &shown, Some(&base_dir), path)
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
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        parse_text(text, origin, base_dir, Path::new(origin))
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

    /// The seed of the random and Latin hypercube designs: `design_seed`, else the
    /// scenario's `run.seed`.
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

    /// The scenario's parameters with one design row applied, or why the combination
    /// is invalid.
    ///
    /// # Errors
    /// A message naming each broken rule and the values of its parameters.
    pub fn point_params(&self, values: &[ParamValue]) -> Result<ModelParams, String> {
        let mut params = self.scenario.params.clone();
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

/// Why the experiment file itself could not be read.
fn read_problem(error: &ReadError, shown: &str) -> Diagnostic {
    match error {
        ReadError::NotUtf8 { prefix, byte } => {
            let mut d = Diagnostic::in_file(
                ErrorKind::Read,
                shown,
                None,
                format!("not valid UTF-8: byte 0x{byte:02X} cannot start or continue a character"),
            )
            .help("experiment files must be saved as UTF-8");
            d.position = Some(Position::of(prefix, prefix.len()));
            d
        }
        ReadError::Directory => Diagnostic::in_file(
            ErrorKind::Read,
            shown,
            None,
            "cannot read experiment file: it is a directory, not a file",
        )
        .help("give the path of a `.toml` file, such as `scenarios/sweeps/sweep_liability_x_incentives.toml`"),
        other => Diagnostic::in_file(
            ErrorKind::Read,
            shown,
            None,
            format!("cannot read experiment file: {}", other.reason()),
        ),
    }
}

/// Parses `text`, shown as `shown`, whose `scenario` is resolved against `base_dir`.
fn parse_text(
    text: &str,
    shown: &str,
    base_dir: Option<&Path>,
    file: &Path,
) -> Result<SweepSpec, ScenarioError> {
    let root = DeTable::parse(text).map_err(|e| {
        let message = format!("invalid TOML: {}", e.message().trim());
        refuse(
            vec![match e.span() {
                Some(span) => Diagnostic::at(ErrorKind::Syntax, shown, text, span, None, message),
                None => Diagnostic::in_file(ErrorKind::Syntax, shown, None, message),
            }],
            0,
        )
    })?;
    let mut reader = Reader {
        file: shown,
        text,
        problems: Vec::new(),
        raw: RawSpec::default(),
        model: None,
    };
    let mut entries: Vec<_> = root.get_ref().iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    // The scenario first: its model decides which parameters can be swept.
    let (first, rest): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(key, _)| key.get_ref().as_ref() == "scenario");
    for (key, value) in first {
        reader.top_level(key, value);
    }
    let mut scenario_problems = Vec::new();
    let mut omitted = 0;
    let scenario = load_scenario(
        reader.raw.scenario.as_ref(),
        text,
        shown,
        base_dir,
        &mut scenario_problems,
        &mut omitted,
    );
    reader.model = match (&reader.raw.scenario, &scenario) {
        (_, Some(scenario)) => Some(scenario.model()),
        // No scenario named (reported as missing): check against the default model.
        (None, None) => Some(Model::CoGovernance),
        // A scenario that cannot be loaded has no model to check the factors
        // against; its own problems are reported instead.
        (Some(_), None) => {
            reader.raw.refused = true;
            None
        }
    };
    for (key, value) in rest {
        reader.top_level(key, value);
    }
    reader.check_whole();
    let Reader {
        mut problems, raw, ..
    } = reader;
    problems.sort_by_key(|d| match d.position {
        Some(p) => (false, p.line, p.column),
        None => (true, 0, 0),
    });
    // The named scenario's problems, reported as its loader reports them.
    problems.append(&mut scenario_problems);
    if !problems.is_empty() {
        return Err(refuse(problems, omitted));
    }
    let (Some(scenario), Some(design)) = (scenario, raw.design) else {
        // Both are reported as missing when absent, so this is not reached.
        return Err(refuse(
            vec![Diagnostic::in_file(
                ErrorKind::Missing,
                shown,
                None,
                "missing `scenario` or `design`",
            )],
            0,
        ));
    };
    let name = match raw.name {
        Some(name) => name,
        None => file
            .file_stem()
            .map_or_else(|| shown.to_string(), |s| s.to_string_lossy().into_owned()),
    };
    Ok(SweepSpec {
        name,
        description: raw.description.unwrap_or_default(),
        file: file.to_path_buf(),
        scenario,
        design,
        factors: raw.factors.into_iter().map(|f| f.factor).collect(),
        replications: raw.replications,
        design_seed: raw.design_seed,
        timeseries_every: raw.timeseries_every.unwrap_or(0),
        common_random_numbers: raw.common_random_numbers.unwrap_or(true),
    })
}

/// Loads the scenario an experiment file names at `located`, reporting its problems as
/// its loader reports them, with a note saying where the experiment names it.
fn load_scenario(
    located: Option<&Located>,
    text: &str,
    shown: &str,
    base_dir: Option<&Path>,
    problems: &mut Vec<Diagnostic>,
    omitted: &mut usize,
) -> Option<Scenario> {
    let located = located?;
    let at = |message: String| {
        Diagnostic::at(
            ErrorKind::Read,
            shown,
            text,
            located.span.clone(),
            Some("scenario"),
            message,
        )
    };
    let Some(dir) = base_dir else {
        problems.push(at(format!(
                "`scenario`: cannot resolve `{}`: this experiment was not read from a file, so there is no directory to resolve it against",
                located.value
            )));
        return None;
    };
    let path = dir.join(&located.value);
    let target = path.display().to_string();
    match std::fs::metadata(&path) {
        Err(e) => {
            problems.push(
                at(format!("`scenario`: cannot read `{target}`: {e}"))
                    .help("the path is relative to the directory of the experiment file"),
            );
            return None;
        }
        Ok(meta) if meta.is_dir() => {
            problems.push(at(format!(
                "`scenario`: cannot read `{target}`: it is a directory, not a file"
            )));
            return None;
        }
        Ok(_) => {}
    }
    match Scenario::load(&path) {
        Ok(scenario) => Some(scenario),
        Err(e) => {
            let p = Position::of(text, located.span.start);
            let mut theirs = e.diagnostics().to_vec();
            if let Some(first) = theirs.first_mut() {
                first.notes.push(format!(
                    "note: in the scenario named at {shown}:{}:{}",
                    p.line, p.column
                ));
            }
            *omitted = e.omitted();
            problems.extend(theirs);
            None
        }
    }
}

/// A string value and where it is written.
#[derive(Debug, Clone)]
struct Located {
    value: String,
    span: Range<usize>,
}

/// A factor and where each part of it is written.
#[derive(Debug)]
struct RawFactor {
    factor: Factor,
    key: Range<usize>,
    levels: Range<usize>,
    /// The span of each list value, in order.
    items: Vec<Range<usize>>,
    min: Option<Range<usize>>,
    max: Option<Range<usize>>,
    steps: Option<Range<usize>>,
}

/// What the file says, before the checks that need the whole file.
#[derive(Debug, Default)]
struct RawSpec {
    name: Option<String>,
    description: Option<String>,
    scenario: Option<Located>,
    /// The design, once its name and `samples` are known to fit.
    design: Option<Design>,
    design_name: Option<Located>,
    samples: Option<(u64, Range<usize>)>,
    samples_key: Option<Range<usize>>,
    replications: Option<u64>,
    design_seed: Option<u64>,
    timeseries_every: Option<u64>,
    common_random_numbers: Option<bool>,
    /// Where `[parameters]` is written.
    parameters: Option<Range<usize>>,
    factors: Vec<RawFactor>,
    /// A key or value was refused somewhere: checks of the whole file would only
    /// repeat it.
    refused: bool,
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Diagnostic>,
    raw: RawSpec,
    /// The scenario's model, whose parameters can be swept; `None` when the scenario
    /// could not be loaded (its problems are reported, and no factor is checked).
    model: Option<Model>,
}

impl Reader<'_> {
    fn problem(
        &mut self,
        kind: ErrorKind,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.raw.refused = true;
        let d = Diagnostic::at(kind, self.file, self.text, span, Some(key), message);
        self.problems.push(d);
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    /// A problem with the file as a whole, not at one place.
    fn missing(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::in_file(ErrorKind::Missing, self.file, Some(key), message);
        self.problems.push(d);
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    /// `file:line:column` of byte `offset`, for notes.
    fn place(&self, offset: usize) -> String {
        let p = Position::of(self.text, offset);
        format!("{}:{}:{}", self.file, p.line, p.column)
    }

    fn top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        match name {
            "name" | "description" | "scenario" | "design" => self.string(name, value),
            "samples" => {
                self.raw.samples_key = Some(key.span());
                let n = self.integer("samples", "`samples`", value, 1, MAX_POINTS, "points");
                self.raw.samples = n.map(|n| (n, value.span()));
            }
            "replications" => {
                self.raw.replications = self.integer(
                    name,
                    "`replications`",
                    value,
                    1,
                    MAX_REPLICATIONS,
                    "runs per point",
                );
            }
            "design_seed" => {
                self.raw.design_seed =
                    self.integer(name, "`design_seed`", value, 0, MAX_SEED, "integer");
            }
            "timeseries_every" => {
                self.raw.timeseries_every = self.integer(
                    name,
                    "`timeseries_every`",
                    value,
                    0,
                    MAX_TIMESERIES_EVERY,
                    "days; 0 writes no time series",
                );
            }
            "common_random_numbers" => match value.get_ref() {
                DeValue::Boolean(b) => self.raw.common_random_numbers = Some(*b),
                other => {
                    let found = raw::describe(other);
                    self.problem(
                        ErrorKind::WrongType,
                        value.span(),
                        "common_random_numbers",
                        format!("`common_random_numbers`: expected true or false, found {found}"),
                    );
                }
            },
            "parameters" => self.parameters(key, value),
            _ => self.unknown_top_level(key, value),
        }
    }

    fn unknown_top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        let model = self.model.unwrap_or(Model::CoGovernance);
        let is_section = model.sections().contains(&name);
        let param = model
            .param_defs()
            .iter()
            .find(|d| d.path.split_once('.').is_some_and(|(_, k)| k == name));
        let close = crate::input::best_match(name, TOP_LEVEL_KEYS.into_iter());
        let d = self.problem(
            ErrorKind::UnknownKey,
            key.span(),
            name,
            format!("unknown top-level key `{name}`"),
        );
        if is_section && matches!(value.get_ref(), DeValue::Table(_)) {
            d.notes.push(format!(
                "help: an experiment file sets no parameters itself: hold `[{name}]` values fixed in the scenario file, and list swept ones under `[parameters]`, as `\"{name}.<parameter>\" = [..]`"
            ));
        } else if let Some(def) = param {
            d.notes.push(format!(
                "help: to sweep `{}`, list it under `[parameters]`: `\"{}\" = [..]`",
                def.path, def.path
            ));
        } else if let Some(close) = close {
            d.notes.push(format!("help: did you mean `{close}`?"));
        } else {
            d.notes.push(format!(
                "help: the top level holds only {}",
                TOP_LEVEL_KEYS.map(|k| format!("`{k}`")).join(", ")
            ));
        }
    }

    /// `name`, `description`, `scenario` or `design`.
    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) {
        let span = value.span();
        let DeValue::String(s) = value.get_ref() else {
            let found = raw::describe(value.get_ref());
            let expected = match key {
                "design" => format!("one of {}", design_list()),
                "scenario" => "the path of a scenario file".to_string(),
                _ => "a string".to_string(),
            };
            self.problem(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: expected {expected}, found {found}"),
            );
            return;
        };
        let s: &str = s.as_ref();
        let refused = match key {
            "name" => raw::name_problem(s),
            "scenario" if s.trim().is_empty() => Some("expected the path of a scenario file"),
            _ => None,
        };
        if let Some(expected) = refused {
            self.problem(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: {expected}, found {}", raw::quote(s)),
            );
            return;
        }
        match key {
            "name" => self.raw.name = Some(s.to_string()),
            "description" => self.raw.description = Some(s.to_string()),
            "scenario" => {
                self.raw.scenario = Some(Located {
                    value: s.to_string(),
                    span,
                });
            }
            _ => {
                if DESIGN_NAMES.contains(&s) {
                    self.raw.design_name = Some(Located {
                        value: s.to_string(),
                        span,
                    });
                } else {
                    let hint = design_hint(s);
                    let d = self.problem(
                        ErrorKind::UnknownKey,
                        span,
                        key,
                        format!(
                            "`design`: unknown design {}: expected one of {}",
                            raw::quote(s),
                            design_list()
                        ),
                    );
                    if let Some(hint) = hint {
                        d.notes.push(format!("help: did you mean `{hint}`?"));
                    }
                }
            }
        }
    }

    /// A whole number from `min` to `max`. `label` names it in messages.
    fn integer(
        &mut self,
        key: &str,
        label: &str,
        value: &Spanned<DeValue<'_>>,
        min: u64,
        max: u64,
        unit: &str,
    ) -> Option<u64> {
        let expected = format!("expected an integer from {min} to {max} ({unit})");
        let span = value.span();
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) if n >= 0 && (min..=max).contains(&(n as u64)) => Some(n as u64),
                Ok(n) => {
                    self.problem(
                        ErrorKind::OutOfRange,
                        span,
                        key,
                        format!("{label}: {expected}, found {n}"),
                    );
                    None
                }
                Err(_) => {
                    self.problem(
                        ErrorKind::OutOfRange,
                        span,
                        key,
                        format!("{label}: {expected}, found {i}, which does not fit in 64 bits"),
                    );
                    None
                }
            },
            other => {
                let found = raw::describe(other);
                let help = match other {
                    DeValue::Float(x) => x
                        .as_str()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.fract() == 0.0 && x.abs() < 1e15)
                        .map(|x| {
                            format!(
                                "help: write a whole number without a decimal point: `{}`",
                                x as i64
                            )
                        }),
                    DeValue::String(s) if s.trim().parse::<u64>().is_ok() => {
                        Some(format!("help: remove the quotes: `{}`", s.trim()))
                    }
                    _ => None,
                };
                let d = self.problem(
                    ErrorKind::WrongType,
                    span,
                    key,
                    format!("{label}: {expected}, found {found}"),
                );
                d.notes.extend(help);
                None
            }
        }
    }

    fn parameters(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let DeValue::Table(table) = value.get_ref() else {
            let found = raw::describe(value.get_ref());
            self.problem(
                ErrorKind::WrongType,
                value.span(),
                "parameters",
                format!(
                    "`parameters`: expected a table of parameters to sweep (`[parameters]`), found {found}"
                ),
            );
            return;
        };
        self.raw.parameters = Some(key.span());
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (k, v) in entries {
            let name = k.get_ref().as_ref();
            if name.contains('.') {
                self.factor(name.to_string(), k.span(), v);
                continue;
            }
            // `[parameters.liability]` with `clarity = [..]`, or the unquoted dotted
            // key `liability.clarity = [..]`: a section table of parameters.
            let model = self.model.unwrap_or(Model::CoGovernance);
            if let DeValue::Table(inner) = v.get_ref()
                && model.sections().contains(&name)
                && !inner
                    .iter()
                    .any(|(ik, _)| LEVEL_KEYS.contains(&ik.get_ref().as_ref()))
            {
                let mut inner: Vec<_> = inner.iter().collect();
                inner.sort_by_key(|(ik, _)| ik.span().start);
                for (ik, iv) in inner {
                    self.factor(format!("{name}.{}", ik.get_ref().as_ref()), ik.span(), iv);
                }
                continue;
            }
            let full = model
                .param_defs()
                .iter()
                .find(|d| d.path.split_once('.').is_some_and(|(_, key)| key == name))
                .map(|d| d.path);
            let d = self.problem(
                ErrorKind::UnknownKey,
                k.span(),
                name,
                format!("unknown parameter `{name}`: expected a dotted path, `section.name`"),
            );
            if let Some(full) = full {
                d.notes.push(format!(
                    "help: write the full path, in quotes: `\"{full}\" = ..`"
                ));
            }
            d.notes.push(raw::params_help(model));
        }
    }

    /// One swept parameter: `path = [values]` or `path = { min, max[, steps] }`.
    fn factor(&mut self, path: String, key: Range<usize>, value: &Spanned<DeValue<'_>>) {
        let Some(model) = self.model else {
            // The scenario could not be loaded; its problems say why.
            return;
        };
        let Some(def) = model.find_def(&path) else {
            let (section, name) = path.split_once('.').unwrap_or(("", path.as_str()));
            let hint = raw::suggestion(model.param_defs(), section, name).or_else(|| {
                crate::input::best_match(&path, model.param_defs().iter().map(|d| d.path))
            });
            let other = Model::ALL
                .into_iter()
                .find(|m| *m != model && m.find_def(&path).is_some());
            let d = self.problem(
                ErrorKind::UnknownKey,
                key,
                &path,
                format!("unknown parameter `{path}`"),
            );
            if let Some(hint) = hint {
                d.notes.push(format!("help: did you mean `{hint}`?"));
            }
            if let Some(other) = other {
                d.notes.push(format!(
                    "note: `{path}` is a parameter of the {other} model"
                ));
            }
            d.notes.push(raw::params_help(model));
            return;
        };
        if matches!(path.as_str(), "run.seed" | "run.replications") {
            let d = self.problem(
                ErrorKind::Constraint,
                key,
                &path,
                format!("`{path}` cannot be swept: every point of a sweep runs the same replications on the same seeds (common random numbers)"),
            );
            d.notes.push(
                "help: set `replications` in this file, and the seed in the scenario's [run] section"
                    .to_string(),
            );
            return;
        }
        if let Some(first) = self.raw.factors.iter().find(|f| f.factor.path == path) {
            let first = self.place(first.key.start);
            let d = self.problem(
                ErrorKind::Constraint,
                key,
                &path,
                format!("`{path}` is swept twice"),
            );
            d.notes.push(format!("note: first given at {first}"));
            d.notes
                .push("help: give each parameter one list or one range".to_string());
            return;
        }
        let mut raw_factor = RawFactor {
            factor: Factor {
                path: path.clone(),
                def,
                levels: Levels::List(Vec::new()),
            },
            key,
            levels: value.span(),
            items: Vec::new(),
            min: None,
            max: None,
            steps: None,
        };
        let ok = match value.get_ref() {
            DeValue::Array(items) => self.list(def, items, &mut raw_factor),
            DeValue::Table(table) => self.levels_table(def, table, &mut raw_factor),
            other => {
                let found = raw::describe(other);
                let d = self.problem(
                    ErrorKind::WrongType,
                    value.span(),
                    &path,
                    format!(
                        "`{path}`: expected a list of values (`[a, b, ..]`) or a table of `min`, `max` and, for a grid, `steps`, found {found}"
                    ),
                );
                d.notes.push(format!(
                    "help: to hold `{path}` at one value, set it in the scenario file (or give a list of one value)"
                ));
                false
            }
        };
        if ok {
            self.raw.factors.push(raw_factor);
        }
    }

    fn list(
        &mut self,
        def: &'static ParamDef,
        items: &[Spanned<DeValue<'_>>],
        out: &mut RawFactor,
    ) -> bool {
        let mut values = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.value(def, None, item) {
                Some(v) => values.push(v),
                None => ok = false,
            }
            out.items.push(item.span());
        }
        out.factor.levels = Levels::List(values);
        ok
    }

    fn levels_table(
        &mut self,
        def: &'static ParamDef,
        table: &DeTable<'_>,
        out: &mut RawFactor,
    ) -> bool {
        let path = def.path;
        let mut ok = true;
        let (mut min, mut max, mut steps) = (None, None, None);
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (k, v) in entries {
            let name = k.get_ref().as_ref();
            match name {
                "min" | "max" => {
                    let end = if name == "min" { End::Min } else { End::Max };
                    let value = self.value(def, Some(end), v).map(|v| match v {
                        ParamValue::Real(x) => x,
                        ParamValue::Int(i) => i as f64,
                        ParamValue::Bool(b) => f64::from(u8::from(b)),
                        ParamValue::Choice(_) => f64::NAN,
                    });
                    ok &= value.is_some();
                    if name == "min" {
                        (min, out.min) = (value, Some(v.span()));
                    } else {
                        (max, out.max) = (value, Some(v.span()));
                    }
                }
                "steps" => {
                    let label = format!("`{path}`: `steps`");
                    steps =
                        self.integer(path, &label, v, 2, MAX_POINTS, "levels, both ends included");
                    ok &= steps.is_some();
                    out.steps = Some(v.span());
                }
                _ => {
                    let close = crate::input::best_match(name, LEVEL_KEYS.into_iter());
                    let d = self.problem(
                        ErrorKind::UnknownKey,
                        k.span(),
                        path,
                        format!("`{path}`: unknown key `{name}` in the levels"),
                    );
                    if let Some(close) = close {
                        d.notes.push(format!("help: did you mean `{close}`?"));
                    }
                    d.notes.push(
                        "help: levels are a list of values, `{ min, max }` (random, lhs, sobol) or `{ min, max, steps }` (grid)"
                            .to_string(),
                    );
                    ok = false;
                }
            }
        }
        if matches!(def.ty, ParamType::Bool | ParamType::Choice(_)) {
            self.problem(
                ErrorKind::WrongType,
                out.levels.clone(),
                path,
                DesignError::BooleanRange {
                    path: path.to_string(),
                }
                .to_string(),
            );
            return false;
        }
        let absent: Vec<&str> = [("min", &out.min), ("max", &out.max)]
            .into_iter()
            .filter(|(_, span)| span.is_none())
            .map(|(k, _)| k)
            .collect();
        if !absent.is_empty() {
            let what = absent
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            let d = self.problem(
                ErrorKind::Missing,
                out.levels.clone(),
                path,
                format!("`{path}`: the levels need `min` and `max`; {what} is missing"),
            );
            d.notes.push(
                "help: levels are a list of values, `{ min, max }` (random, lhs, sobol) or `{ min, max, steps }` (grid)"
                    .to_string(),
            );
            return false;
        }
        let (Some(min), Some(max)) = (min, max) else {
            return false;
        };
        out.factor.levels = match (steps, out.steps.is_some()) {
            (Some(steps), _) => Levels::Range {
                min,
                max,
                steps: steps as u32,
            },
            (None, false) => Levels::Bounds { min, max },
            (None, true) => return false,
        };
        ok
    }

    /// One level value, checked against its parameter; `end` says it is `min` or
    /// `max` of a range. Refusals are recorded and give `None`.
    fn value(
        &mut self,
        def: &'static ParamDef,
        end: Option<End>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<ParamValue> {
        match raw::read_value(def, value.get_ref()) {
            Ok(v) => Some(v),
            Err(bad) => {
                let path = def.path;
                let message = match end {
                    Some(end) => bad.message.replacen(
                        &format!("`{path}`: "),
                        &format!("`{path}`: `{}`: ", end.key()),
                        1,
                    ),
                    None => bad.message,
                };
                // The scenario loader's hints speak of `key = value` lines and nested
                // tables; here a value stands alone.
                let notes: Vec<String> = bad
                    .notes
                    .into_iter()
                    .filter(|n| !n.starts_with("note: tables nested deeper"))
                    .map(|n| match n.strip_prefix("help: remove the quotes: `") {
                        Some(rest) => {
                            let bare = rest.split_once(" = ").map_or(rest, |(_, v)| v);
                            format!("help: remove the quotes: `{}", bare)
                        }
                        None => n,
                    })
                    .collect();
                let d = self.problem(bad.kind, value.span(), path, message);
                d.notes.extend(notes);
                None
            }
        }
    }

    /// The checks that need the whole file: required keys, the design against
    /// `samples` and the factors, and the size of the design.
    fn check_whole(&mut self) {
        if self.raw.scenario.is_none() && !self.refused_key("scenario") {
            self.missing(
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
            self.missing(
                "design",
                format!("missing `design`: expected one of {}", design_list()),
            );
        }
        if self.raw.factors.is_empty() && !self.raw.refused {
            let message = "no parameters to sweep: expected at least one parameter and its levels under `[parameters]`";
            let d = match self.raw.parameters.clone() {
                Some(span) => self.problem(ErrorKind::Missing, span, "parameters", message),
                None => self.missing("parameters", message),
            };
            d.notes.push(
                "help: for example `\"liability.clarity\" = [0.1, 0.5, 0.9]` under `[parameters]`"
                    .to_string(),
            );
        }
        // The design the file names, and whether its `samples` are known; without
        // `samples` the factors are still checked against the kind of design.
        let samples = self.raw.samples.clone();
        let design: Option<(Design, bool)> = match &design_name {
            None => None,
            Some(named) if named.value == "grid" => {
                if let Some(key) = self.raw.samples_key.clone() {
                    let d = self.problem(
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
                    let what = if named.value == "sobol" {
                        "the number of base samples N (the design makes N (k + 2) points for k parameters)"
                    } else {
                        "the number of points to draw"
                    };
                    let d = self.problem(
                        ErrorKind::Missing,
                        named.span.clone(),
                        "samples",
                        format!("`design = \"{}\"` needs `samples`: {what}", named.value),
                    );
                    d.notes
                        .push("help: add for example `samples = 64` at the top level".to_string());
                }
                let n = samples.as_ref().map_or(1, |(n, _)| *n);
                Design::from_name(&named.value, n).map(|d| (d, samples.is_some()))
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
            self.raw.refused = true;
            self.problems.push(d);
        }
        let (Some((design, true)), Some(named)) = (design, design_name) else {
            return;
        };
        if !fine || self.raw.refused {
            return;
        }
        let factors: Vec<Factor> = self.raw.factors.iter().map(|f| f.factor.clone()).collect();
        match design::point_count(&design, &factors) {
            Ok(_) => self.raw.design = Some(design),
            Err(e) => {
                let span = match (&e, &self.raw.samples) {
                    (DesignError::TooManySobolFactors { .. }, _) => named.span.clone(),
                    (_, Some((_, span))) => span.clone(),
                    _ => self.raw.parameters.clone().unwrap_or(named.span.clone()),
                };
                let d = Diagnostic::at(
                    ErrorKind::OutOfRange,
                    self.file,
                    self.text,
                    span,
                    Some("design"),
                    e.to_string(),
                );
                self.problems.push(d);
            }
        }
    }

    /// True when `key` was written but refused (so it is not also "missing").
    fn refused_key(&self, key: &str) -> bool {
        self.problems
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
                    .map(|m| format!("note: `max` is set at {}", self.place(m.start)))
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
            self.file,
            self.text,
            span,
            Some(path),
            error.to_string(),
        );
        d.notes = notes;
        d
    }
}

/// `grid`, `random`, `lhs` or `sobol`, quoted, for messages.
fn design_list() -> String {
    let quoted: Vec<String> = DESIGN_NAMES.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "{} or {}",
        quoted[..quoted.len() - 1].join(", "),
        quoted[quoted.len() - 1]
    )
}

/// The design an unknown name probably means.
fn design_hint(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    const ALIASES: [(&str, &str); 8] = [
        ("latin", "lhs"),
        ("hypercube", "lhs"),
        ("lhc", "lhs"),
        ("saltelli", "sobol"),
        ("factorial", "grid"),
        ("full", "grid"),
        ("monte", "random"),
        ("uniform", "random"),
    ];
    DESIGN_NAMES
        .into_iter()
        .find(|d| *d == lower)
        .or_else(|| {
            ALIASES
                .into_iter()
                .find(|(alias, _)| lower.contains(alias))
                .map(|(_, d)| d)
        })
        .or_else(|| crate::input::best_match(&lower, DESIGN_NAMES.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn scenarios_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }

    const HEAD: &str = "scenario = \"tongxiang_baseline.toml\"\n";

    /// Parses `HEAD` + `body` as `test.toml` against `scenarios/`. With no `expect`ed
    /// substrings it must load; otherwise it must be refused with a message holding
    /// every one of them.
    fn check(body: &str, expect: &[&str]) -> Option<SweepSpec> {
        check_text(&format!("{HEAD}{body}"), expect)
    }

    fn check_text(text: &str, expect: &[&str]) -> Option<SweepSpec> {
        let result = SweepSpec::parse(text, "test.toml", Some(&scenarios_dir()));
        match (result, expect.is_empty()) {
            (Ok(spec), true) => Some(spec),
            (Ok(spec), false) => panic!("expected an error holding {expect:?}, got {spec:?}"),
            (Err(e), true) => panic!("expected success, got:\n{e}"),
            (Err(e), false) => {
                let text = e.to_string();
                for want in expect {
                    assert!(text.contains(want), "missing {want:?} in:\n{text}");
                }
                assert!(!text.contains("panicked"));
                None
            }
        }
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
    fn the_section_table_and_dotted_key_spellings_work() {
        let spec = check(
            "design = \"grid\"\n[parameters.liability]\nclarity = [0.2, 0.4]\n[parameters.channels]\ncount = [1, 3]\n",
            &[],
        )
        .unwrap();
        assert_eq!(spec.columns(), ["liability.clarity", "channels.count"]);
        let spec = check(
            "design = \"grid\"\n[parameters]\nliability.clarity = [0.2, 0.4]\n\"channels.count\" = [1]\n",
            &[],
        )
        .unwrap();
        assert_eq!(spec.columns(), ["liability.clarity", "channels.count"]);
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
    fn top_level_problems_are_refused() {
        check(
            "design = \"grid\"\nsample = 3\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "error: test.toml:3:1: unknown top-level key `sample`",
                "help: did you mean `samples`?",
            ],
        );
        check(
            "design = \"grid\"\n[police]\nofficers_per_10k = 12\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:3:2: unknown top-level key `police`",
                "hold `[police]` values fixed in the scenario file",
            ],
        );
        check(
            "design = \"grid\"\nclarity = 3\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &["to sweep `liability.clarity`, list it under `[parameters]`"],
        );
        check_text(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &["error: test.toml: missing `scenario`: the scenario file this experiment varies"],
        );
        check(
            "[parameters]\n\"liability.clarity\" = [0.1]\n",
            &["missing `design`: expected one of `grid`, `random`, `lhs` or `sobol`"],
        );
        check(
            "design = \"latin_hypercube\"\nsamples = 4\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:2:10: `design`: unknown design \"latin_hypercube\": expected one of `grid`, `random`, `lhs` or `sobol`",
                "help: did you mean `lhs`?",
            ],
        );
        check(
            "design = \"grid\"\n",
            &[
                "error: test.toml: no parameters to sweep",
                "under `[parameters]`",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n",
            &["test.toml:3:2: no parameters to sweep"],
        );
        check(
            "design = \"grid\"\nreplications = 0\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:3:16: `replications`: expected an integer from 1 to 10000000 (runs per point), found 0",
            ],
        );
        check(
            "design = \"grid\"\nreplications = 2.0\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "found the float 2.0",
                "help: write a whole number without a decimal point: `2`",
            ],
        );
        check(
            "design = \"grid\"\ndesign_seed = \"7\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "`design_seed`: expected an integer from 0 to 9007199254740991 (integer), found the string \"7\"",
                "help: remove the quotes: `7`",
            ],
        );
        check(
            "design = 3\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &["`design`: expected one of `grid`, `random`, `lhs` or `sobol`, found the integer 3"],
        );
    }

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
    fn parameter_problems_are_refused_where_they_are_written() {
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarty\" = [0.1]\n",
            &[
                "test.toml:4:1: unknown parameter `liability.clarty`",
                "help: did you mean `liability.clarity`?",
                "help: `cogov params` lists every parameter",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"police.clarity\" = [0.1]\n",
            &["did you mean `liability.clarity`?"],
        );
        check(
            "design = \"grid\"\n[parameters]\nclarity = [0.1]\n",
            &[
                "unknown parameter `clarity`: expected a dotted path",
                "write the full path, in quotes: `\"liability.clarity\" = ..`",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1, 1.5]\n",
            &[
                "error: test.toml:4:29: `liability.clarity`: expected a value from 0 to 1 (probability), found 1.5\n  |\n4 | \"liability.clarity\" = [0.1, 1.5]\n  |                             ^^^",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"channels.count\" = [1, 2.5]\n",
            &[
                "test.toml:4:24: `channels.count`: expected an integer from 0 to 50 (channels), found the float 2.5",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = [\"0.5\"]\n",
            &["found the string \"0.5\"", "help: remove the quotes: `0.5`"],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = 0.5\n",
            &[
                "test.toml:4:23: `liability.clarity`: expected a list of values (`[a, b, ..]`) or a table of `min`, `max` and, for a grid, `steps`, found the float 0.5",
                "help: to hold `liability.clarity` at one value, set it in the scenario file",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = []\n",
            &["test.toml:4:23: `liability.clarity`: the list of values is empty"],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.2, 0.4, 0.2]\n",
            &["test.toml:4:34: `liability.clarity`: the value 0.2 is listed twice"],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.2]\n[parameters.liability]\nclarity = [0.4]\n",
            &[
                "test.toml:6:1: `liability.clarity` is swept twice",
                "note: first given at test.toml:4:1",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"incentives.enterprise_fine\" = { min = 5000, max = 0, steps = 3 }\n",
            &[
                "test.toml:4:40: `incentives.enterprise_fine`: `min` (5000.0) is greater than `max` (0.0)",
                "note: `max` is set at test.toml:4:52",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"incentives.enterprise_fine\" = { min = 0, max = 5000, steps = 1 }\n",
            &[
                "test.toml:4:63: `incentives.enterprise_fine`: `steps`: expected an integer from 2 to 10000000 (levels, both ends included), found 1",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = { min = 0, max = 1.5, steps = 3 }\n",
            &[
                "test.toml:4:40: `liability.clarity`: `max`: expected a value from 0 to 1 (probability), found 1.5",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = { min = 0, stpes = 3, max = 1 }\n",
            &[
                "test.toml:4:34: `liability.clarity`: unknown key `stpes` in the levels",
                "help: did you mean `steps`?",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"liability.clarity\" = { max = 1 }\n",
            &[
                "test.toml:4:23: `liability.clarity`: the levels need `min` and `max`; `min` is missing",
            ],
        );
        check(
            "design = \"grid\"\n[parameters]\n\"channels.count\" = { min = 0, max = 3, steps = 6 }\n",
            &[
                "test.toml:4:48: `channels.count`: 6 steps from 0 to 3 would repeat integers; at most 4 fit",
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

    #[test]
    fn scenario_problems_are_reported_as_the_scenario_loader_reports_them() {
        check_text(
            "scenario = \"no_such.toml\"\ndesign = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:1:12: `scenario`: cannot read `",
                "no_such.toml`: No such file or directory",
                "help: the path is relative to the directory of the experiment file",
            ],
        );
        check_text(
            "scenario = \"../tests/data/malformed/out_of_range.toml\"\ndesign = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "out_of_range.toml:3:20: `police.officers_per_10k`: expected a value from 0 to 200",
                "note: in the scenario named at test.toml:1:12",
            ],
        );
        let err = SweepSpec::parse(
            "scenario = \"x.toml\"\ndesign = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            "inline.toml",
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("inline.toml:1:12: `scenario`: cannot resolve `x.toml`"),
            "{err}"
        );
        check_text(
            "scenario = \"reform_combined.toml\"\ndesign = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[],
        );
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
        assert_eq!((sobol.point_count(), sobol.replications(None)), (32 * 7, 2));
    }

    #[test]
    fn the_free_parameter_ranges_are_the_documented_ones() {
        // Each factor of the LHS sweep spans the "free parameter: a to b" range its
        // definition documents.
        let lhs = SweepSpec::load(&scenarios_dir().join("sweeps/sweep_free_parameters_lhs.toml"))
            .unwrap();
        for f in &lhs.factors {
            let Levels::Bounds { min, max } = f.levels else {
                panic!("{}: expected bounds", f.path);
            };
            let want = format!("{min} to {max}");
            assert!(
                f.def.source.contains(&want),
                "{}: bounds {want} are not in its source {:?}",
                f.path,
                f.def.source
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

    /// The `# expect: ...` substring on the first line of a test-data file.
    fn expectation(path: &Path) -> String {
        let bytes = fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let first = text.lines().next().unwrap_or("");
        first
            .strip_prefix("# expect: ")
            .unwrap_or_else(|| panic!("{} must start with `# expect: `", path.display()))
            .trim()
            .to_string()
    }

    #[test]
    fn every_malformed_sweep_is_refused_as_it_expects() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/malformed_sweeps");
        let mut files: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 6, "only {} malformed sweeps", files.len());
        for path in files {
            let want = expectation(&path);
            match SweepSpec::load(&path) {
                Ok(_) => panic!("{} loaded but should fail with {want:?}", path.display()),
                Err(e) => {
                    let text = e.to_string();
                    assert!(
                        text.contains(&want),
                        "{}: missing {want:?} in:\n{text}",
                        path.display()
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(body in "(\\PC|\n|\\[|\\]|=|\"|\\.|\\{|\\}|,| ){0,80}") {
            let text = format!("{HEAD}{body}");
            let _ = SweepSpec::parse(&text, "p.toml", Some(&scenarios_dir())).map_err(|e| e.to_string());
        }

        #[test]
        fn no_levels_panic(design in "grid|lhs|sobol|random", levels in "[-+0-9a-z_.\"\\[\\]{}=, ]{0,30}") {
            let text = format!("{HEAD}design = \"{design}\"\nsamples = 3\n[parameters]\n\"channels.count\" = {levels}\n");
            let _ = SweepSpec::parse(&text, "p.toml", Some(&scenarios_dir())).map_err(|e| e.to_string());
        }
    }
}
