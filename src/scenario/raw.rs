//! One scenario file, raw: TOML text parsed with spans into a [`ScenarioFile`] whose
//! parameter values have each passed their own type and range check, plus every
//! key-level problem found on the way (unknown keys with "did you mean" hints, wrong
//! types, values out of range), each located at its key or value.
//!
//! A file is read in two passes, because which parameters exist depends on the model
//! and a file may inherit its model from its base: [`ScenarioFile::parse`] reads the
//! top-level strings (`name`, `description`, `extends`, `model`), and once `mod.rs`
//! knows the chain's model, [`ScenarioFile::read_parameters`] reads the sections
//! against that model's parameter table.
//!
//! This file sees one file at a time: following `extends`, merging files and the
//! rules that tie parameters together belong to `mod.rs`; the parameter tables
//! themselves (types, ranges, units) live with each model, reached through
//! [`crate::model::Model`]. The primitives of the walk (parsing with spans, expecting
//! a string or a table at a key, reading a parameter value) are shared with the
//! experiment file's reader in [`crate::input`].

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeString, DeValue};

use crate::input::diagnostic::{Diagnostic, ErrorKind};
use crate::input::toml::Located;
use crate::input::toml::{self as input_toml, name_problem, quote, scenario_path_problem};
use crate::input::value::{Written, def_with_key, params_help, suggestion};
use crate::input::walk::Walk;
use crate::model::Model;
use crate::schema::ParamValue;

/// Keys allowed at the top level besides the parameter sections.
const TOP_LEVEL_KEYS: [&str; 4] = ["name", "description", "extends", "model"];

/// A parameter value that passed [`ParamDef::check`], and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawValue {
    pub path: &'static str,
    pub value: ParamValue,
    pub span: Range<usize>,
}

/// What one scenario file says, before `extends` is followed and before the
/// cross-parameter rules are checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ScenarioFile {
    pub name: Option<Located>,
    pub description: Option<Located>,
    pub extends: Option<Located>,
    /// The model the file names, checked to be one; `None` when it names none (or a
    /// bad one, which is among `problems`).
    pub model: Option<(Model, Range<usize>)>,
    /// The parameters the file sets, in file order.
    pub values: Vec<RawValue>,
    /// Key-level problems, in file order.
    pub problems: Vec<Diagnostic>,
}

impl ScenarioFile {
    /// Parses `text`, the contents of the file shown as `file` in messages, and reads
    /// its top-level strings; the sections wait for [`ScenarioFile::read_parameters`].
    ///
    /// # Errors
    /// A TOML syntax error, located at the span the TOML parser reports. Key-level
    /// problems do not fail the parse; they are collected in `problems`.
    pub(crate) fn parse(text: &str, file: &str) -> Result<ScenarioFile, Box<Diagnostic>> {
        let root = input_toml::parse(text, file)?;
        let mut walker = Walker::new(file, text, Model::CoGovernance, ScenarioFile::default());
        for (key, value) in root.get_ref().iter() {
            let name = key.get_ref().as_ref();
            if TOP_LEVEL_KEYS.contains(&name) {
                walker.top_level_string(name, value);
            }
        }
        Ok(walker.finish())
    }

    /// Reads the file's sections and any other top-level key against `model`'s
    /// parameter table (the file's own model, else the one it inherits).
    pub(crate) fn read_parameters(&mut self, text: &str, file: &str, model: Model) {
        // `parse` already parsed this text, so this cannot fail.
        let Ok(root) = input_toml::parse(text, file) else {
            return;
        };
        let mut walker = Walker::new(file, text, model, std::mem::take(self));
        for (key, value) in root.get_ref().iter() {
            if !TOP_LEVEL_KEYS.contains(&key.get_ref().as_ref()) {
                walker.top_level(key, value);
            }
        }
        *self = walker.finish();
        self.values.sort_by_key(|v| v.span.start);
        self.problems
            .sort_by_key(|d| d.position.map(|p| (p.line, p.column)));
    }
}

struct Walker<'a> {
    /// The file and the problems found in it (those of `out` first).
    walk: Walk<'a>,
    /// Whose parameter table the sections are read against.
    model: Model,
    out: ScenarioFile,
}

impl<'a> Walker<'a> {
    fn new(file: &'a str, text: &'a str, model: Model, mut out: ScenarioFile) -> Self {
        let mut walk = Walk::new(file, text);
        walk.problems = std::mem::take(&mut out.problems);
        Walker { walk, model, out }
    }

    /// What the file says, with every problem found.
    fn finish(self) -> ScenarioFile {
        let mut out = self.out;
        out.problems = self.walk.problems;
        out
    }

    /// A top-level key other than the strings: a section of the model's parameters,
    /// or a mistake.
    fn top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        let model = self.model;
        let sections = model.sections();
        if sections.contains(&name) {
            let expected = format!("a table of parameters (`[{name}]`)");
            if let Some(table) = self.walk.expect_table(name, value, &expected) {
                for (k, v) in table.iter() {
                    self.parameter(name, k, v);
                }
            }
            return;
        }
        let d = if matches!(value.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
            let other = Model::ALL
                .into_iter()
                .find(|m| *m != model && m.sections().contains(&name));
            let d = self.walk.at(
                ErrorKind::UnknownKey,
                key.span(),
                name,
                format!("unknown section `[{name}]` for the {model} model"),
            );
            if let Some(s) = crate::input::best_match(name, sections.iter().copied()) {
                d.notes.push(format!("help: did you mean `[{s}]`?"));
            }
            if let Some(other) = other {
                d.notes.push(format!(
                    "note: `[{name}]` belongs to the {other} model; choose it with `model = \"{other}\"` at the top of the file"
                ));
            }
            d
        } else {
            let misplaced = def_with_key(model.param_defs(), name);
            let d = self.walk.at(
                ErrorKind::UnknownKey,
                key.span(),
                name,
                format!("unknown top-level key `{name}`"),
            );
            if let Some(def) = misplaced {
                let section = def.path.split_once('.').map_or("", |(s, _)| s);
                d.notes.push(format!(
                    "help: parameters belong in their section: write `{name} = ...` under `[{section}]`, or `{}` at the top",
                    def.path
                ));
            } else if let Some(s) =
                crate::input::best_match(name, TOP_LEVEL_KEYS.into_iter().chain(sections))
            {
                d.notes.push(format!("help: did you mean `{s}`?"));
            } else {
                d.notes.push(format!(
                    "help: the top level holds only {} and `[section]` tables",
                    TOP_LEVEL_KEYS.map(|k| format!("`{k}`")).join(", ")
                ));
            }
            d
        };
        d.notes.push(params_help(model));
    }

    /// `name`, `description`, `extends` or `model`: strings with a few extra rules.
    fn top_level_string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) {
        let span = value.span();
        let check: fn(&str) -> Option<&'static str> = match key {
            "name" => name_problem,
            "extends" => scenario_path_problem,
            _ => |_: &str| None,
        };
        let Some(s) = self.walk.expect_string(key, value, "a string", check) else {
            return;
        };
        if key == "model" {
            match Model::from_name(s) {
                Some(model) => self.out.model = Some((model, span)),
                None => {
                    let names = Model::ALL.map(Model::name);
                    let close = crate::input::best_match(s, names.into_iter());
                    let d = self.walk.at(
                        ErrorKind::OutOfRange,
                        span,
                        key,
                        format!(
                            "`model`: expected {}, found {}",
                            crate::schema::one_of(&names),
                            quote(s)
                        ),
                    );
                    if let Some(close) = close {
                        d.notes.push(format!("help: did you mean \"{close}\"?"));
                    }
                }
            }
            return;
        }
        let located = Some(Located {
            value: s.to_string(),
            span,
        });
        match key {
            "name" => self.out.name = located,
            "description" => self.out.description = located,
            _ => self.out.extends = located,
        }
    }

    fn parameter(
        &mut self,
        section: &str,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
    ) {
        let name = key.get_ref().as_ref();
        let path = format!("{section}.{name}");
        let model = self.model;
        let Some(def) = model.find_def(&path) else {
            let hint = suggestion(model.param_defs(), section, name);
            let nested = matches!(value.get_ref(), DeValue::Table(_));
            let d = self.walk.at(
                ErrorKind::UnknownKey,
                key.span(),
                &path,
                format!("unknown parameter `{path}`"),
            );
            match model.removed_note(&path) {
                Some(why) => d.notes.push(format!("note: {why}")),
                None => d.did_you_mean(hint),
            }
            if nested {
                d.notes.push(format!(
                    "note: tables nested deeper than `[{section}]` are not allowed; each parameter is one value"
                ));
            }
            d.notes.push(params_help(model));
            return;
        };
        if let Some(v) = self.walk.expect_param(def, value, Written::OnKeyLine) {
            self.out.values.push(RawValue {
                path: def.path,
                value: v,
                span: value.span(),
            });
        }
    }
}
