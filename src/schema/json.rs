//! A parameter as JSON: the one shape `cogov params --format json` prints and the
//! workshop's `GET /api/params` serves, so the two cannot drift apart.

use super::{ParamDef, ParamType, ParamValue};
use serde::Serialize;
use serde_json::Value;

/// A parameter as a JSON object, fields in the order a reader scans them: name, type,
/// default, the valid minimum and maximum (null for booleans and choices, which list
/// their `options`), for a free parameter the `plausible` range `[low, high]` to
/// sweep, unit, meaning and source.
#[derive(Debug, Clone, Serialize)]
pub struct ParamJson {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub default: Value,
    pub min: Value,
    pub max: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plausible: Option<[Value; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<&'static [&'static str]>,
    pub unit: &'static str,
    pub doc: String,
    pub source: &'static str,
}

impl ParamJson {
    /// The JSON of `def`.
    pub fn of(def: &'static ParamDef) -> ParamJson {
        let numeric = matches!(def.ty, ParamType::Real | ParamType::Int);
        let bound = |x: f64| match def.ty {
            ParamType::Int => serde_json::json!(x as i64),
            _ => serde_json::json!(x),
        };
        let limit = |x: f64| if numeric { bound(x) } else { Value::Null };
        ParamJson {
            name: def.path,
            ty: def.ty.name(),
            default: value_json(&def.default),
            min: limit(def.min),
            max: limit(def.max),
            plausible: def.plausible.map(|(lo, hi)| [bound(lo), bound(hi)]),
            options: match def.ty {
                ParamType::Choice(options) => Some(options),
                _ => None,
            },
            unit: def.unit,
            doc: one_line(def.doc),
            source: def.source,
        }
    }
}

/// A parameter value as JSON: a number, a boolean or a choice's name.
pub fn value_json(value: &ParamValue) -> Value {
    match *value {
        ParamValue::Real(x) => serde_json::json!(x),
        ParamValue::Int(i) => serde_json::json!(i),
        ParamValue::Bool(b) => serde_json::json!(b),
        ParamValue::Choice(name) => serde_json::json!(name),
    }
}

/// Doc comments arrive as lines; a reference wants one paragraph.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
