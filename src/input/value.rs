//! Parameter values in input files: a spanned TOML value converted to a
//! [`ParamValue`] and checked against its [`ParamDef`], with the wording both file
//! formats use when it is refused (what the parameter accepts, with its range and
//! unit, and hints such as "remove the quotes"), and the "did you mean" for an
//! unknown parameter path.
//!
//! The parameter tables themselves (types, ranges, units) live in each model's
//! `params.rs`, reached through [`crate::model::Model`]; this file only reads values
//! against them.

use toml::Spanned;
use toml::de::DeValue;

use super::diagnostic::ErrorKind;
use super::toml::{describe, integer, quote, whole_number_help};
use super::walk::Walk;
use crate::model::Model;
use crate::schema::{ParamDef, ParamType, ParamValue, ValueError};

/// Where a parameter value is written, which decides its hints and headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written<'k> {
    /// On its own `key = value` line of a section (a scenario file): hints quote the
    /// whole line, and a nested table is explained.
    OnKeyLine,
    /// Standing alone, as an item of a list or as `part` of a table (`min`, `max`):
    /// hints quote the value only, and the headline names the part.
    Alone { part: Option<&'k str> },
}

/// A refused value: the headline and any help lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadValue {
    pub kind: ErrorKind,
    pub message: String,
    pub notes: Vec<String>,
}

impl Walk<'_> {
    /// The value of parameter `def` at `value`, checked against its definition;
    /// when refused, the problem is recorded at the value under the parameter's path
    /// and the result is `None`.
    pub(crate) fn expect_param(
        &mut self,
        def: &ParamDef,
        value: &Spanned<DeValue<'_>>,
        written: Written<'_>,
    ) -> Option<ParamValue> {
        match read_value(def, value.get_ref(), written) {
            Ok(v) => Some(v),
            Err(bad) => {
                let d = self.at(bad.kind, value.span(), def.path, bad.message);
                d.notes.extend(bad.notes);
                None
            }
        }
    }
}

/// Converts and checks one value against its definition.
///
/// # Errors
/// A [`BadValue`] whose headline starts with `` `path`: `` (and `` `part`: `` for a
/// part of a table): a value of the wrong type, an integer beyond 64 bits, a choice
/// not among the options, or a value outside the parameter's range.
pub(crate) fn read_value(
    def: &ParamDef,
    value: &DeValue<'_>,
    written: Written<'_>,
) -> Result<ParamValue, BadValue> {
    let path = def.path;
    let label = match written {
        Written::Alone { part: Some(part) } => format!("`{path}`: `{part}`"),
        _ => format!("`{path}`"),
    };
    let wrong_type = |found: String, notes: Vec<String>| BadValue {
        kind: ErrorKind::WrongType,
        message: format!("{label}: expected {}, found {found}", expected(def)),
        notes,
    };
    let candidate = match value {
        DeValue::Integer(i) => match integer(i) {
            Some(n) => ParamValue::Int(n),
            None => {
                return Err(BadValue {
                    kind: ErrorKind::OutOfRange,
                    message: format!(
                        "{label}: expected {}, found {i}, which does not fit in 64 bits",
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
                    if let Some(close) = super::best_match(s, options.iter().copied()) {
                        notes.push(format!("help: did you mean \"{close}\"?"));
                    }
                    return Err(BadValue {
                        kind: ErrorKind::OutOfRange,
                        message: format!("{label}: expected {}, found {}", expected(def), quote(s)),
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
                notes.push(match written {
                    Written::OnKeyLine => format!(
                        "help: remove the quotes: `{} = {unquoted}`",
                        path.split_once('.').map_or(path, |(_, k)| k)
                    ),
                    Written::Alone { .. } => format!("help: remove the quotes: `{unquoted}`"),
                });
            }
            return Err(wrong_type(describe(value), notes));
        }
        other => {
            let mut notes = Vec::new();
            if matches!(other, DeValue::Table(_)) && written == Written::OnKeyLine {
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
            {
                notes.extend(whole_number_help(x));
            }
            wrong_type(describe(value), notes)
        }
        ValueError::OutOfRange { .. } | ValueError::NotAnOption { .. } => BadValue {
            kind: ErrorKind::OutOfRange,
            message: format!("{label}: {e}"),
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

/// The help line that points at the parameter reference of `model`.
pub(crate) fn params_help(model: Model) -> String {
    match model {
        Model::CoGovernance => "help: `cogov params` lists every parameter".to_string(),
        other => format!("help: `cogov params --model {other}` lists every parameter"),
    }
}

/// The parameter whose key, without its section, is `key` (the first, in table
/// order): what a key written outside its section probably means.
pub(crate) fn def_with_key(defs: &'static [ParamDef], key: &str) -> Option<&'static ParamDef> {
    defs.iter()
        .find(|d| d.path.split_once('.').is_some_and(|(_, k)| k == key))
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
    let close = super::best_match(key, in_section.map(|(_, k)| k)).or_else(|| {
        let everywhere = defs.iter().map(|d| split(d.path).1);
        super::best_match(key, everywhere)
    })?;
    // The same key may be in several sections: prefer the one the user wrote.
    let candidates = || defs.iter().map(|d| d.path).filter(|p| split(p).1 == close);
    candidates()
        .find(|p| split(p).0 == section)
        .or_else(|| candidates().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::toml::{in_file_order, parse};

    fn def(path: &str) -> &'static ParamDef {
        Model::CoGovernance.find_def(path).unwrap()
    }

    /// Reads the value of `v = ...` in `text` against `path`.
    fn read(path: &str, text: &str, written: Written<'_>) -> Result<ParamValue, BadValue> {
        let root = parse(text, "f.toml").unwrap();
        let (_, value) = in_file_order(root.get_ref())[0];
        read_value(def(path), value.get_ref(), written)
    }

    #[test]
    fn values_in_range_are_converted_to_the_parameter_type() {
        let line = Written::OnKeyLine;
        assert_eq!(
            read("liability.clarity", "v = 0.5", line).unwrap(),
            ParamValue::Real(0.5)
        );
        // An integer is a valid real: the check converts it.
        assert!(read("liability.clarity", "v = 1", line).is_ok());
        assert_eq!(
            read("channels.count", "v = 3", line).unwrap(),
            ParamValue::Int(3)
        );
    }

    #[test]
    fn refusals_say_what_was_expected_and_what_was_found() {
        let bad = read("liability.clarity", "v = 1.5", Written::OnKeyLine).unwrap_err();
        assert_eq!(bad.kind, ErrorKind::OutOfRange);
        assert_eq!(
            bad.message,
            "`liability.clarity`: expected a value from 0 to 1 (probability), found 1.5"
        );
        let bad = read("channels.count", "v = 2.0", Written::OnKeyLine).unwrap_err();
        assert_eq!(bad.kind, ErrorKind::WrongType);
        assert_eq!(
            bad.notes,
            ["help: write a whole number without a decimal point: `2`"]
        );
        let part = Written::Alone { part: Some("max") };
        let bad = read("liability.clarity", "v = 1.5", part).unwrap_err();
        assert!(
            bad.message
                .starts_with("`liability.clarity`: `max`: expected"),
            "{}",
            bad.message
        );
    }

    #[test]
    fn hints_depend_on_where_the_value_is_written() {
        let bad = read("liability.clarity", "v = \"0.5\"", Written::OnKeyLine).unwrap_err();
        assert_eq!(bad.notes, ["help: remove the quotes: `clarity = 0.5`"]);
        let alone = Written::Alone { part: None };
        let bad = read("liability.clarity", "v = \"0.5\"", alone).unwrap_err();
        assert_eq!(bad.notes, ["help: remove the quotes: `0.5`"]);
        let bad = read("liability.clarity", "v = { a = 1 }", Written::OnKeyLine).unwrap_err();
        assert!(bad.notes[0].starts_with("note: tables nested deeper"));
        let bad = read("liability.clarity", "v = { a = 1 }", alone).unwrap_err();
        assert!(bad.notes.is_empty());
    }

    #[test]
    fn unknown_paths_get_the_closest_parameter() {
        let defs = Model::CoGovernance.param_defs();
        assert_eq!(
            suggestion(defs, "liability", "clarty"),
            Some("liability.clarity")
        );
        assert_eq!(
            suggestion(defs, "police", "clarity"),
            Some("liability.clarity")
        );
        assert_eq!(suggestion(defs, "police", "zzzzzz"), None);
        assert_eq!(
            def_with_key(defs, "clarity").map(|d| d.path),
            Some("liability.clarity")
        );
        assert!(def_with_key(defs, "liability").is_none());
        assert_eq!(
            params_help(Model::CoGovernance),
            "help: `cogov params` lists every parameter"
        );
    }
}
