//! One swept parameter under `[parameters]`: `path = [values]` or
//! `path = { min, max[, steps] }`, each value checked against the parameter's
//! definition and every part's place kept, so the checks that need the whole file
//! (`checks.rs`) can point at the part that causes a problem.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::read::{LEVEL_KEYS, Reader};
use crate::experiment::design::{DesignError, End, Factor, Levels, MAX_POINTS};
use crate::input::diagnostic::ErrorKind;
use crate::input::toml::{describe, in_file_order};
use crate::input::value::{Written, params_help, suggestion};
use crate::model::Model;
use crate::schema::{ParamDef, ParamType, ParamValue};

/// A factor and where each part of it is written.
#[derive(Debug)]
pub(super) struct RawFactor {
    pub factor: Factor,
    /// The parameter's key.
    pub key: Range<usize>,
    /// The whole of its levels: the list or the table.
    pub levels: Range<usize>,
    /// The span of each list value, in order.
    pub items: Vec<Range<usize>>,
    pub min: Option<Range<usize>>,
    pub max: Option<Range<usize>>,
    pub steps: Option<Range<usize>>,
}

impl Reader<'_> {
    /// One swept parameter: `path = [values]` or `path = { min, max[, steps] }`.
    pub(super) fn factor(&mut self, path: String, key: Range<usize>, value: &Spanned<DeValue<'_>>) {
        let Some(model) = self.model else {
            // The scenario could not be loaded; its problems say why.
            return;
        };
        let Some(def) = model.find_def(&path) else {
            let (section, name) = path.split_once('.').unwrap_or(("", path.as_str()));
            let hint = suggestion(model.param_defs(), section, name).or_else(|| {
                crate::input::best_match(&path, model.param_defs().iter().map(|d| d.path))
            });
            let other = Model::ALL
                .into_iter()
                .find(|m| *m != model && m.find_def(&path).is_some());
            let d = self.walk.at(
                ErrorKind::UnknownKey,
                key,
                &path,
                format!("unknown parameter `{path}`"),
            );
            match model.removed_note(&path) {
                Some(why) => d.notes.push(format!("note: {why}")),
                None => d.did_you_mean(hint),
            }
            if let Some(other) = other {
                d.notes.push(format!(
                    "note: `{path}` is a parameter of the {other} model"
                ));
            }
            d.notes.push(params_help(model));
            return;
        };
        if matches!(path.as_str(), "run.seed" | "run.replications") {
            let d = self.walk.at(
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
            let first = self.walk.place(first.key.start);
            let d = self.walk.at(
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
                let found = describe(other);
                let d = self.walk.at(
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
        for (k, v) in in_file_order(table) {
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
                    let unit = "levels, both ends included";
                    steps = self
                        .walk
                        .expect_integer(path, &label, v, (2, MAX_POINTS), unit);
                    ok &= steps.is_some();
                    out.steps = Some(v.span());
                }
                _ => {
                    let close = crate::input::best_match(name, LEVEL_KEYS.into_iter());
                    let d = self.walk.at(
                        ErrorKind::UnknownKey,
                        k.span(),
                        path,
                        format!("`{path}`: unknown key `{name}` in the levels"),
                    );
                    d.did_you_mean(close);
                    d.notes.push(
                        "help: levels are a list of values, `{ min, max }` (random, lhs, sobol) or `{ min, max, steps }` (grid)"
                            .to_string(),
                    );
                    ok = false;
                }
            }
        }
        if matches!(def.ty, ParamType::Bool | ParamType::Choice(_)) {
            self.walk.at(
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
            let d = self.walk.at(
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
        let part = end.map(End::key);
        self.walk.expect_param(def, value, Written::Alone { part })
    }
}

#[cfg(test)]
mod tests {
    use crate::sweep::tests::check;

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
}
