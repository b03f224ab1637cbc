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
//! themselves (types, ranges, units) live in [`crate::params`].

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::input::diagnostic::{Diagnostic, ErrorKind};
use crate::model::Model;
use crate::schema::{ParamDef, ParamType, ParamValue, ValueError};

/// Keys allowed at the top level besides the parameter sections.
const TOP_LEVEL_KEYS: [&str; 4] = ["name", "description", "extends", "model"];

/// A string value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub value: String,
    pub span: Range<usize>,
}

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
        let root = DeTable::parse(text).map_err(|e| {
            let message = format!("invalid TOML: {}", e.message().trim());
            Box::new(match e.span() {
                Some(span) => Diagnostic::at(ErrorKind::Syntax, file, text, span, None, message),
                None => Diagnostic::in_file(ErrorKind::Syntax, file, None, message),
            })
        })?;
        let mut walker = Walker {
            file,
            text,
            model: Model::CoGovernance,
            out: ScenarioFile::default(),
        };
        for (key, value) in root.get_ref().iter() {
            let name = key.get_ref().as_ref();
            if TOP_LEVEL_KEYS.contains(&name) {
                walker.top_level_string(name, value);
            }
        }
        Ok(walker.out)
    }

    /// Reads the file's sections and any other top-level key against `model`'s
    /// parameter table (the file's own model, else the one it inherits).
    pub(crate) fn read_parameters(&mut self, text: &str, file: &str, model: Model) {
        // `parse` already parsed this text, so this cannot fail.
        let Ok(root) = DeTable::parse(text) else {
            return;
        };
        let mut walker = Walker {
            file,
            text,
            model,
            out: std::mem::take(self),
        };
        for (key, value) in root.get_ref().iter() {
            if !TOP_LEVEL_KEYS.contains(&key.get_ref().as_ref()) {
                walker.top_level(key, value);
            }
        }
        *self = walker.out;
        self.values.sort_by_key(|v| v.span.start);
        self.problems
            .sort_by_key(|d| d.position.map(|p| (p.line, p.column)));
    }
}

struct Walker<'a> {
    file: &'a str,
    text: &'a str,
    /// Whose parameter table the sections are read against.
    model: Model,
    out: ScenarioFile,
}

impl Walker<'_> {
    fn problem(
        &mut self,
        kind: ErrorKind,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::at(kind, self.file, self.text, span, Some(key), message);
        self.out.problems.push(d);
        let last = self.out.problems.len() - 1;
        &mut self.out.problems[last]
    }

    /// A top-level key other than the strings: a section of the model's parameters,
    /// or a mistake.
    fn top_level(&mut self, key: &Spanned<DeString<'_>>, value: &Spanned<DeValue<'_>>) {
        let name = key.get_ref().as_ref();
        let model = self.model;
        let sections = model.sections();
        if sections.contains(&name) {
            match value.get_ref() {
                DeValue::Table(table) => {
                    for (k, v) in table.iter() {
                        self.parameter(name, k, v);
                    }
                }
                other => {
                    let found = describe(other);
                    self.problem(
                        ErrorKind::WrongType,
                        value.span(),
                        name,
                        format!(
                            "`{name}`: expected a table of parameters (`[{name}]`), found {found}"
                        ),
                    );
                }
            }
            return;
        }
        let d = if matches!(value.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
            let other = Model::ALL
                .into_iter()
                .find(|m| *m != model && m.sections().contains(&name));
            let d = self.problem(
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
            let misplaced = model
                .param_defs()
                .iter()
                .find(|def| def.path.split_once('.').is_some_and(|(_, k)| k == name));
            let d = self.problem(
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
        let DeValue::String(s) = value.get_ref() else {
            let found = describe(value.get_ref());
            self.problem(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: expected a string, found {found}"),
            );
            return;
        };
        if key == "model" {
            match Model::from_name(s) {
                Some(model) => self.out.model = Some((model, span)),
                None => {
                    let names = Model::ALL.map(Model::name);
                    let close = crate::input::best_match(s, names.into_iter());
                    let d = self.problem(
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
        let problem = match key {
            "name" => name_problem(s),
            "extends" if s.trim().is_empty() => Some("expected the path of a scenario file"),
            _ => None,
        };
        if let Some(expected) = problem {
            self.problem(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: {expected}, found {}", quote(s)),
            );
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
            let d = self.problem(
                ErrorKind::UnknownKey,
                key.span(),
                &path,
                format!("unknown parameter `{path}`"),
            );
            if let Some(hint) = hint {
                d.notes.push(format!("help: did you mean `{hint}`?"));
            }
            if nested {
                d.notes.push(format!(
                    "note: tables nested deeper than `[{section}]` are not allowed; each parameter is one value"
                ));
            }
            d.notes.push(params_help(model));
            return;
        };
        match read_value(def, value.get_ref()) {
            Ok(v) => self.out.values.push(RawValue {
                path: def.path,
                value: v,
                span: value.span(),
            }),
            Err(bad) => {
                let d = self.problem(bad.kind, value.span(), def.path, bad.message);
                d.notes.extend(bad.notes);
            }
        }
    }
}

/// The help line that points at the parameter reference of `model`.
pub(crate) fn params_help(model: Model) -> String {
    match model {
        Model::CoGovernance => "help: `cogov params` lists every parameter".to_string(),
        other => format!("help: `cogov params --model {other}` lists every parameter"),
    }
}

/// A refused value: the headline and any help lines.
pub(crate) struct BadValue {
    pub kind: ErrorKind,
    pub message: String,
    pub notes: Vec<String>,
}

/// Converts and checks one value against its definition.
pub(crate) fn read_value(def: &ParamDef, value: &DeValue<'_>) -> Result<ParamValue, BadValue> {
    let path = def.path;
    let wrong_type = |found: String, notes: Vec<String>| BadValue {
        kind: ErrorKind::WrongType,
        message: format!("`{path}`: expected {}, found {found}", expected(def)),
        notes,
    };
    let candidate = match value {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => ParamValue::Int(n),
            Err(_) => {
                return Err(BadValue {
                    kind: ErrorKind::OutOfRange,
                    message: format!(
                        "`{path}`: expected {}, found {i}, which does not fit in 64 bits",
                        expected(def)
                    ),
                    notes: Vec::new(),
                });
            }
        },
        DeValue::Float(x) => match x.as_str().parse::<f64>() {
            Ok(x) => ParamValue::Real(x),
            Err(_) => return Err(wrong_type(format!("the float {x}"), Vec::new())),
        },
        DeValue::Boolean(b) => ParamValue::Bool(*b),
        DeValue::String(s) if matches!(def.ty, ParamType::Choice(_)) => {
            let ParamType::Choice(options) = def.ty else {
                unreachable!("guarded by the match arm")
            };
            match options.iter().find(|o| **o == s.as_ref()) {
                Some(option) => ParamValue::Choice(option),
                None => {
                    let mut notes = Vec::new();
                    if let Some(close) = crate::input::best_match(s, options.iter().copied()) {
                        notes.push(format!("help: did you mean \"{close}\"?"));
                    }
                    return Err(BadValue {
                        kind: ErrorKind::OutOfRange,
                        message: format!(
                            "`{path}`: expected {}, found {}",
                            expected(def),
                            quote(s)
                        ),
                        notes,
                    });
                }
            }
        }
        DeValue::String(s) => {
            let mut notes = Vec::new();
            let unquoted = s.trim();
            let numeric = def.ty != ParamType::Bool && unquoted.parse::<f64>().is_ok();
            let boolean = def.ty == ParamType::Bool && matches!(unquoted, "true" | "false");
            if numeric || boolean {
                notes.push(format!(
                    "help: remove the quotes: `{} = {unquoted}`",
                    path.split_once('.').map_or(path, |(_, k)| k)
                ));
            }
            return Err(wrong_type(describe(value), notes));
        }
        other => {
            let mut notes = Vec::new();
            if matches!(other, DeValue::Table(_)) {
                notes.push(
                    "note: tables nested deeper than `[section]` are not allowed; each parameter is one value"
                        .to_string(),
                );
            }
            return Err(wrong_type(describe(other), notes));
        }
    };
    def.check(candidate).map_err(|e| match e {
        ValueError::WrongType { .. } => {
            let mut notes = Vec::new();
            if let ParamValue::Real(x) = candidate
                && def.ty == ParamType::Int
                && x.fract() == 0.0
                && x.abs() < 1e15
            {
                notes.push(format!(
                    "help: write a whole number without a decimal point: `{}`",
                    x as i64
                ));
            }
            wrong_type(describe(value), notes)
        }
        ValueError::OutOfRange { .. } | ValueError::NotAnOption { .. } => BadValue {
            kind: ErrorKind::OutOfRange,
            message: format!("`{path}`: {e}"),
            notes: Vec::new(),
        },
    })
}

/// What a parameter accepts, with its range and unit.
pub(crate) fn expected(def: &ParamDef) -> String {
    match def.ty {
        ParamType::Real => format!("a number from {} ({})", def.range_text(), def.unit),
        ParamType::Int => format!("an integer from {} ({})", def.range_text(), def.unit),
        ParamType::Bool => "true or false".to_string(),
        ParamType::Choice(_) => format!("one of {}", def.range_text()),
    }
}

/// A found value in words: "the string \"ten\"", "an array", ...
pub(crate) fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string {}", quote(s)),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(x) => format!("the float {x}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date-time {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// A string quoted and escaped for a message, cut after 40 characters.
pub(crate) fn quote(s: &str) -> String {
    const LIMIT: usize = 40;
    if s.chars().count() > LIMIT {
        let head: String = s.chars().take(LIMIT).collect();
        format!("{head:?}...")
    } else {
        format!("{s:?}")
    }
}

/// The likely intended path for an unknown `section.key`: a close key in the same
/// section, else the same or a close key in another section. Keys are compared
/// without their section, whose shared prefix would make every path look close.
pub(crate) fn suggestion(
    defs: &'static [ParamDef],
    section: &str,
    key: &str,
) -> Option<&'static str> {
    let split = |path: &'static str| path.split_once('.').unwrap_or(("", path));
    let in_section = defs
        .iter()
        .map(|d| split(d.path))
        .filter(|(s, _)| *s == section);
    let close = crate::input::best_match(key, in_section.map(|(_, k)| k)).or_else(|| {
        let everywhere = defs.iter().map(|d| split(d.path).1);
        crate::input::best_match(key, everywhere)
    })?;
    // The same key may be in several sections: prefer the one the user wrote.
    let candidates = || defs.iter().map(|d| d.path).filter(|p| split(p).1 == close);
    candidates()
        .find(|p| split(p).0 == section)
        .or_else(|| candidates().next())
}

/// What is wrong with a scenario or experiment `name`, if anything: it must be
/// non-empty and on one line.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("expected a non-empty name")
    } else if name.chars().any(char::is_control) {
        Some("expected a name on one line, without control characters")
    } else {
        None
    }
}
