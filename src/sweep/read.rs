//! The walk over an experiment file's top level: its keys read in file order (the
//! `scenario` first, whose model decides which parameters can be swept), the named
//! scenario loaded, and what the file says gathered in a [`RawSpec`] for the checks
//! that need the whole file (`checks.rs`). One swept parameter is read in
//! `factors.rs`; the primitives of the walk are [`crate::input`]'s.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeString, DeValue};

use super::factors::RawFactor;
use super::{MAX_REPLICATIONS, SweepSpec, refuse};
use crate::experiment::design::{
    DESIGN_NAMES, Design, MAX_MORRIS_CANDIDATES, MAX_MORRIS_LEVELS, MAX_POINTS,
};
use crate::input::diagnostic::{Diagnostic, ErrorKind, place};
use crate::input::toml::scenario_path_problem;
use crate::input::toml::{self as input_toml, Located, in_file_order, name_problem, quote};
use crate::input::value::{def_with_key, params_help};
use crate::input::walk::Walk;
use crate::model::Model;
use crate::scenario::{Scenario, ScenarioError};

/// The keys an experiment file may hold at its top level.
const TOP_LEVEL_KEYS: [&str; 13] = [
    "name",
    "description",
    "scenario",
    "design",
    "samples",
    "levels",
    "candidates",
    "second_order",
    "replications",
    "design_seed",
    "timeseries_every",
    "common_random_numbers",
    "parameters",
];

/// The keys of a factor's levels table.
pub(super) const LEVEL_KEYS: [&str; 3] = ["min", "max", "steps"];

/// Largest `design_seed` (as `run.seed`: integers exact in a double).
const MAX_SEED: u64 = 9_007_199_254_740_991;

/// Largest `timeseries_every`: the longest run (`ticks + warmup_ticks`), in days.
const MAX_TIMESERIES_EVERY: u64 = 200_000;

/// Parses `text`, shown as `shown`, whose `scenario` is resolved against `base_dir`.
pub(super) fn parse_text(
    text: &str,
    shown: &str,
    base_dir: Option<&Path>,
    file: &Path,
) -> Result<SweepSpec, ScenarioError> {
    let root = input_toml::parse(text, shown).map_err(|d| refuse(vec![*d], 0))?;
    let mut reader = Reader {
        walk: Walk::new(shown, text),
        raw: RawSpec::default(),
        model: None,
        scenario_refused: false,
    };
    let entries = in_file_order(root.get_ref());
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
            reader.scenario_refused = true;
            None
        }
    };
    for (key, value) in rest {
        reader.top_level(key, value);
    }
    reader.check_whole();
    let Reader { walk, raw, .. } = reader;
    let mut problems = walk.problems;
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
            let named_at = place(shown, text, located.span.start);
            let mut theirs = e.diagnostics().to_vec();
            if let Some(first) = theirs.first_mut() {
                first
                    .notes
                    .push(format!("note: in the scenario named at {named_at}"));
            }
            *omitted = e.omitted();
            problems.extend(theirs);
            None
        }
    }
}

/// What the file says, before the checks that need the whole file.
#[derive(Debug, Default)]
pub(super) struct RawSpec {
    pub name: Option<String>,
    pub description: Option<String>,
    pub scenario: Option<Located>,
    /// The design, once its name and `samples` are known to fit.
    pub design: Option<Design>,
    pub design_name: Option<Located>,
    pub samples: Option<(u64, Range<usize>)>,
    pub samples_key: Option<Range<usize>>,
    /// `levels` (a morris design's grid), once known to be even and in range.
    pub levels: Option<(u32, Range<usize>)>,
    /// Where the key `levels` is written, refused or not.
    pub levels_key: Option<Range<usize>>,
    /// `candidates` (the trajectories a morris design chooses among).
    pub candidates: Option<(u64, Range<usize>)>,
    pub candidates_key: Option<Range<usize>>,
    /// `second_order` (a sobol design's `BA` rows).
    pub second_order: Option<bool>,
    pub second_order_key: Option<Range<usize>>,
    pub replications: Option<u64>,
    pub design_seed: Option<u64>,
    pub timeseries_every: Option<u64>,
    pub common_random_numbers: Option<bool>,
    /// Where `[parameters]` is written.
    pub parameters: Option<Range<usize>>,
    pub factors: Vec<RawFactor>,
}

/// The reader of one experiment file: the walk, what it found, and the model the
/// factors are read against.
pub(super) struct Reader<'a> {
    /// The file and the problems found in it (the named scenario's are kept apart).
    pub walk: Walk<'a>,
    pub raw: RawSpec,
    /// The scenario's model, whose parameters can be swept; `None` when the scenario
    /// could not be loaded (its problems are reported, and no factor is checked).
    pub model: Option<Model>,
    /// The named scenario could not be loaded.
    pub scenario_refused: bool,
}

impl Reader<'_> {
    /// A key or value was refused somewhere (every such problem has a place), or the
    /// scenario could not be loaded: checks of the whole file would only repeat it.
    pub(super) fn refused(&self) -> bool {
        self.scenario_refused || self.walk.problems.iter().any(|d| d.position.is_some())
    }

    /// One top-level key and its value.
    pub(super) fn top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        let walk = &mut self.walk;
        match name {
            "name" | "description" | "scenario" | "design" => self.string(name, value),
            "samples" => {
                self.raw.samples_key = Some(key.span());
                let n = walk.expect_integer(name, "`samples`", value, (1, MAX_POINTS), "points");
                self.raw.samples = n.map(|n| (n, value.span()));
            }
            "levels" => {
                self.raw.levels_key = Some(key.span());
                let p = walk.expect_integer(
                    name,
                    "`levels`",
                    value,
                    (2, u64::from(MAX_MORRIS_LEVELS)),
                    "grid levels of a morris design, an even number",
                );
                match p {
                    Some(p) if p % 2 == 1 => {
                        let d = walk.at(
                            ErrorKind::OutOfRange,
                            value.span(),
                            name,
                            format!("`levels`: expected an even number of levels, found {p}"),
                        );
                        d.notes.push(format!(
                            "help: Morris's step of p / (2 (p - 1)) moves a factor from the lower half of the grid to the upper half only when p is even: use {} or {}",
                            p - 1,
                            p + 1
                        ));
                    }
                    // In range, so it fits in 32 bits.
                    Some(p) => self.raw.levels = Some((p as u32, value.span())),
                    None => {}
                }
            }
            "candidates" => {
                self.raw.candidates_key = Some(key.span());
                let m = walk.expect_integer(
                    name,
                    "`candidates`",
                    value,
                    (1, MAX_MORRIS_CANDIDATES),
                    "trajectories a morris design chooses `samples` among",
                );
                self.raw.candidates = m.map(|m| (m, value.span()));
            }
            "second_order" => {
                self.raw.second_order_key = Some(key.span());
                if let Some(b) = walk.expect_bool(name, value) {
                    self.raw.second_order = Some(b);
                }
            }
            "replications" => {
                self.raw.replications = walk.expect_integer(
                    name,
                    "`replications`",
                    value,
                    (1, MAX_REPLICATIONS),
                    "runs per point",
                );
            }
            "design_seed" => {
                self.raw.design_seed =
                    walk.expect_integer(name, "`design_seed`", value, (0, MAX_SEED), "integer");
            }
            "timeseries_every" => {
                self.raw.timeseries_every = walk.expect_integer(
                    name,
                    "`timeseries_every`",
                    value,
                    (0, MAX_TIMESERIES_EVERY),
                    "days; 0 writes no time series",
                );
            }
            "common_random_numbers" => {
                if let Some(b) = walk.expect_bool(name, value) {
                    self.raw.common_random_numbers = Some(b);
                }
            }
            "parameters" => self.parameters(key, value),
            _ => self.unknown_top_level(key, value),
        }
    }

    fn unknown_top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        let model = self.model.unwrap_or(Model::CoGovernance);
        let is_section = model.sections().contains(&name);
        let param = def_with_key(model.param_defs(), name);
        let close = crate::input::best_match(name, TOP_LEVEL_KEYS.into_iter());
        let d = self.walk.at(
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
        let (expected, check): (String, fn(&str) -> Option<&'static str>) = match key {
            "design" => (format!("one of {}", design_list()), |_| None),
            "scenario" => (
                "the path of a scenario file".to_string(),
                scenario_path_problem,
            ),
            "name" => ("a string".to_string(), name_problem),
            _ => ("a string".to_string(), |_| None),
        };
        let Some(s) = self.walk.expect_string(key, value, &expected, check) else {
            return;
        };
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
                    let d = self.walk.at(
                        ErrorKind::UnknownKey,
                        span,
                        key,
                        format!(
                            "`design`: unknown design {}: expected one of {}",
                            quote(s),
                            design_list()
                        ),
                    );
                    d.did_you_mean(hint);
                }
            }
        }
    }

    /// `[parameters]`: the swept parameters, each read by `factors.rs`.
    fn parameters(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let expected = "a table of parameters to sweep (`[parameters]`)";
        let Some(table) = self.walk.expect_table("parameters", value, expected) else {
            return;
        };
        self.raw.parameters = Some(key.span());
        for (k, v) in in_file_order(table) {
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
                for (ik, iv) in in_file_order(inner) {
                    self.factor(format!("{name}.{}", ik.get_ref().as_ref()), ik.span(), iv);
                }
                continue;
            }
            let full = def_with_key(model.param_defs(), name).map(|d| d.path);
            let d = self.walk.at(
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
            d.notes.push(params_help(model));
        }
    }
}

/// `grid`, `random`, `lhs`, `sobol` or `morris`, quoted, for messages.
pub(super) fn design_list() -> String {
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
    const ALIASES: [(&str, &str); 10] = [
        ("latin", "lhs"),
        ("hypercube", "lhs"),
        ("lhc", "lhs"),
        ("saltelli", "sobol"),
        ("elementary", "morris"),
        ("screening", "morris"),
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
    use crate::sweep::SweepSpec;
    use crate::sweep::tests::{check, check_text};

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
            &["missing `design`: expected one of `grid`, `random`, `lhs`, `sobol` or `morris`"],
        );
        check(
            "design = \"latin_hypercube\"\nsamples = 4\n[parameters]\n\"liability.clarity\" = [0.1]\n",
            &[
                "test.toml:2:10: `design`: unknown design \"latin_hypercube\": expected one of `grid`, `random`, `lhs`, `sobol` or `morris`",
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
            &[
                "`design`: expected one of `grid`, `random`, `lhs`, `sobol` or `morris`, found the integer 3",
            ],
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
}
