//! The machinery that defines a model's inputs and outputs; it knows no model.
//!
//! A model declares each scenario parameter once, with `define_params!`, giving its
//! type, default, valid range, unit, meaning and source. The declaration generates the
//! typed struct the model reads and the table of [`ParamDef`]s that the scenario
//! loader checks files against and `cogov params` prints, so the documentation cannot
//! drift from the code. [`metrics`] does the same for output columns.
//!
//! This module owns no I/O: reading files, resolving `extends` and locating errors in a
//! file belong to `scenario` and `input`.

pub mod json;
pub mod levers;
pub mod metrics;

use std::fmt;

/// The type of a parameter as written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A real number (TOML float, or an integer that is read as a float).
    Real,
    /// A whole number (TOML integer).
    Int,
    /// `true` or `false`.
    Bool,
    /// One of a fixed set of names, written as a TOML string (`rule = "floored"`).
    Choice(&'static [&'static str]),
}

impl ParamType {
    /// How the type is named in messages and in the parameter reference.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::Real => "number",
            ParamType::Int => "integer",
            ParamType::Bool => "boolean",
            ParamType::Choice(_) => "choice",
        }
    }
}

/// One parameter value, before it is stored in its typed field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    Real(f64),
    Int(i64),
    Bool(bool),
    /// One of a [`ParamType::Choice`]'s names.
    Choice(&'static str),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Real(x) => {
                // Always show a decimal point so the value reads back as a float.
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    write!(f, "{x:.1}")
                } else {
                    write!(f, "{x}")
                }
            }
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Bool(b) => write!(f, "{b}"),
            // Quoted, as TOML writes a string.
            ParamValue::Choice(name) => write!(f, "\"{name}\""),
        }
    }
}

/// The documentation and checks of one parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    /// Dotted path, `section.name`, as written in scenario files and sweeps.
    pub path: &'static str,
    pub ty: ParamType,
    pub default: ParamValue,
    /// Smallest valid value (inclusive); ignored for booleans and choices.
    pub min: f64,
    /// Largest valid value (inclusive); ignored for booleans and choices.
    pub max: f64,
    pub unit: &'static str,
    /// What the parameter means and which rules read it.
    pub doc: &'static str,
    /// Published source of the rule or level, or "free parameter: ..." for one that no
    /// publication pins.
    pub source: &'static str,
    /// For a free parameter, the range documented as worth sweeping: plausible values,
    /// narrower than the valid `min..=max` the checks accept.
    pub plausible: Option<(f64, f64)>,
}

impl ParamDef {
    /// The plausible range in words (`"0.1 to 0.6"`), if the parameter is free.
    pub fn plausible_text(&self) -> Option<String> {
        self.plausible.map(|(lo, hi)| match self.ty {
            ParamType::Int => format!("{} to {}", lo as i64, hi as i64),
            _ => format!("{lo} to {hi}"),
        })
    }

    /// The valid range in words, for messages and the reference.
    pub fn range_text(&self) -> String {
        match self.ty {
            ParamType::Bool => "true or false".to_string(),
            ParamType::Choice(options) => one_of(options),
            ParamType::Int => format!("{} to {}", self.min as i64, self.max as i64),
            ParamType::Real => format!("{} to {}", self.min, self.max),
        }
    }

    /// Checks a value's type and range against this definition.
    ///
    /// Integers are accepted where a real number is expected (`3` reads as `3.0`);
    /// a real number is refused where an integer is expected.
    ///
    /// # Errors
    /// [`ValueError`] says what was expected and what was found.
    pub fn check(&self, value: ParamValue) -> Result<ParamValue, ValueError> {
        let value = match (self.ty, value) {
            (ParamType::Real, ParamValue::Int(i)) => ParamValue::Real(i as f64),
            (ParamType::Choice(options), ParamValue::Choice(name)) => {
                // Hand back the table's own name, whatever string the caller built.
                return match options.iter().find(|o| **o == name) {
                    Some(option) => Ok(ParamValue::Choice(option)),
                    None => Err(ValueError::NotAnOption {
                        options: one_of(options),
                        found: name.to_string(),
                    }),
                };
            }
            (ParamType::Real, v @ ParamValue::Real(_))
            | (ParamType::Int, v @ ParamValue::Int(_))
            | (ParamType::Bool, v @ ParamValue::Bool(_)) => v,
            (_, found) => {
                return Err(ValueError::WrongType {
                    expected: self.ty,
                    found: found.to_string(),
                });
            }
        };
        let x = match value {
            ParamValue::Real(x) => x,
            ParamValue::Int(i) => i as f64,
            ParamValue::Bool(_) | ParamValue::Choice(_) => return Ok(value),
        };
        if !x.is_finite() || x < self.min || x > self.max {
            return Err(ValueError::OutOfRange {
                range: self.range_text(),
                unit: self.unit,
                found: value.to_string(),
            });
        }
        Ok(value)
    }
}

/// Why a value does not fit its parameter.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("expected {}, found {found}", expected.name())]
    WrongType { expected: ParamType, found: String },
    #[error("expected a value from {range} ({unit}), found {found}")]
    OutOfRange {
        range: String,
        unit: &'static str,
        found: String,
    },
    #[error("expected {options}, found \"{found}\"")]
    NotAnOption { options: String, found: String },
}

/// A choice's names in words: `"a", "b" or "c"`.
pub fn one_of(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
    match quoted.split_last() {
        None => "nothing".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// A rule that ties several parameters together was broken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ConstraintError {
    /// The parameters involved; the loader points at the first one a file sets.
    pub paths: Vec<&'static str>,
    pub message: String,
}

/// The section names of a parameter table, in declaration order.
pub fn sections_of(defs: &[ParamDef]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for def in defs {
        let section = def.path.split('.').next().unwrap_or(def.path);
        if !out.contains(&section) {
            out.push(section);
        }
    }
    out
}

/// Converts between a field's Rust type and [`ParamValue`].
pub trait FieldType: Copy {
    const TYPE: ParamType;
    fn to_value(self) -> ParamValue;
    /// Called only with a value that [`ParamDef::check`] accepted.
    fn from_value(value: ParamValue) -> Self;
}

impl FieldType for f64 {
    const TYPE: ParamType = ParamType::Real;
    fn to_value(self) -> ParamValue {
        ParamValue::Real(self)
    }
    fn from_value(value: ParamValue) -> Self {
        match value {
            ParamValue::Real(x) => x,
            ParamValue::Int(i) => i as f64,
            ParamValue::Bool(b) => f64::from(u8::from(b)),
            ParamValue::Choice(_) => f64::NAN,
        }
    }
}

impl FieldType for u32 {
    const TYPE: ParamType = ParamType::Int;
    fn to_value(self) -> ParamValue {
        ParamValue::Int(i64::from(self))
    }
    fn from_value(value: ParamValue) -> Self {
        match value {
            ParamValue::Int(i) => i.clamp(0, i64::from(u32::MAX)) as u32,
            ParamValue::Real(x) => x as u32,
            ParamValue::Bool(b) => u32::from(b),
            ParamValue::Choice(_) => 0,
        }
    }
}

impl FieldType for u64 {
    const TYPE: ParamType = ParamType::Int;
    fn to_value(self) -> ParamValue {
        ParamValue::Int(self.min(i64::MAX as u64) as i64)
    }
    fn from_value(value: ParamValue) -> Self {
        match value {
            ParamValue::Int(i) => i.max(0) as u64,
            ParamValue::Real(x) => x as u64,
            ParamValue::Bool(b) => u64::from(b),
            ParamValue::Choice(_) => 0,
        }
    }
}

impl FieldType for bool {
    const TYPE: ParamType = ParamType::Bool;
    fn to_value(self) -> ParamValue {
        ParamValue::Bool(self)
    }
    fn from_value(value: ParamValue) -> Self {
        match value {
            ParamValue::Bool(b) => b,
            ParamValue::Int(i) => i != 0,
            ParamValue::Real(x) => x != 0.0,
            ParamValue::Choice(_) => false,
        }
    }
}

/// Declares an enum whose values a scenario names with strings (a
/// [`ParamType::Choice`]): each variant and the name a file writes for it.
macro_rules! choice_field {
    ($Enum:ty { $( $variant:ident => $name:literal ),+ $(,)? }) => {
        impl $crate::schema::FieldType for $Enum {
            const TYPE: $crate::schema::ParamType =
                $crate::schema::ParamType::Choice(&[$( $name ),+]);
            fn to_value(self) -> $crate::schema::ParamValue {
                match self {
                    $( <$Enum>::$variant => $crate::schema::ParamValue::Choice($name), )+
                }
            }
            fn from_value(value: $crate::schema::ParamValue) -> Self {
                match value {
                    $( $crate::schema::ParamValue::Choice($name) => <$Enum>::$variant, )+
                    // Only checked values reach here; the first variant is unreachable
                    // in practice and keeps the function total.
                    _ => [$( <$Enum>::$variant ),+][0],
                }
            }
        }
    };
}
pub(crate) use choice_field;

/// Declares a model's parameter sections: generates one struct per section, the
/// struct holding them all (for the co-governance model `Params`), its `Default`,
/// path-based `get`/`set`/`values`/`to_toml`, and the table of
/// definitions (for the co-governance model `PARAM_DEFS`). The struct's
/// cross-parameter rules are its hand-written `validate`.
macro_rules! define_params {
    (
        $(#[doc = $pdoc:literal])*
        pub struct $Params:ident;
        $(#[doc = $ddoc:literal])*
        pub static $DEFS:ident;
        $(
        $(#[doc = $sdoc:literal])*
        $section:ident : $Section:ident {
            $(
                $(#[doc = $doc:literal])*
                $field:ident : $ty:ty = $default:expr,
                    range $min:expr => $max:expr,
                    unit $unit:literal,
                    $(plausible $plo:expr => $phi:expr,)?
                    source $source:literal;
            )*
        }
    )*) => {
        $(
            $(#[doc = $sdoc])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct $Section {
                $( $(#[doc = $doc])* pub $field: $ty, )*
            }

            impl Default for $Section {
                fn default() -> Self {
                    Self { $( $field: $default, )* }
                }
            }
        )*

        $(#[doc = $pdoc])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $Params {
            $( pub $section: $Section, )*
        }

        $(#[doc = $ddoc])*
        pub static $DEFS: std::sync::LazyLock<Vec<$crate::schema::ParamDef>> = std::sync::LazyLock::new(|| vec![
            $($(
                $crate::schema::ParamDef {
                    path: concat!(stringify!($section), ".", stringify!($field)),
                    ty: <$ty as $crate::schema::FieldType>::TYPE,
                    default: <$ty as $crate::schema::FieldType>::to_value($default),
                    min: $min as f64,
                    max: $max as f64,
                    unit: $unit,
                    doc: concat!($($doc, "\n"),*),
                    source: $source,
                    plausible: None $( .or(Some(($plo as f64, $phi as f64))) )?,
                },
            )*)*
        ]);

        impl $Params {
            /// The value of the parameter at `path`, or `None` for an unknown path.
            pub fn get(&self, path: &str) -> Option<$crate::schema::ParamValue> {
                match path {
                    $($(
                        concat!(stringify!($section), ".", stringify!($field)) =>
                            Some(<$ty as $crate::schema::FieldType>::to_value(self.$section.$field)),
                    )*)*
                    _ => None,
                }
            }

            /// Sets one parameter after checking its type and range.
            ///
            /// # Errors
            /// `SetError::Unknown` for an unknown path, `SetError::Value` for a value
            /// of the wrong type or out of range. Cross-parameter rules are checked by
            /// `validate`.
            pub fn set(&mut self, path: &str, value: $crate::schema::ParamValue) -> Result<(), $crate::schema::SetError> {
                let def = $DEFS
                    .iter()
                    .find(|d| d.path == path)
                    .ok_or_else(|| $crate::schema::SetError::Unknown(path.to_string()))?;
                let value = def.check(value)?;
                match path {
                    $($(
                        concat!(stringify!($section), ".", stringify!($field)) => {
                            self.$section.$field = <$ty as $crate::schema::FieldType>::from_value(value);
                        }
                    )*)*
                    _ => return Err($crate::schema::SetError::Unknown(path.to_string())),
                }
                Ok(())
            }

            /// Every parameter as `(path, value)`, in declaration order.
            pub fn values(&self) -> Vec<(&'static str, $crate::schema::ParamValue)> {
                $DEFS
                    .iter()
                    .map(|d| (d.path, self.get(d.path).unwrap_or(d.default)))
                    .collect()
            }

            /// The parameters as a TOML document (sections and keys in declaration order), as
            /// `cogov check` prints them and the manifest hashes them.
            pub fn to_toml(&self) -> String {
                let mut out = String::new();
                let mut current = "";
                for (path, value) in self.values() {
                    let (section, key) = path.split_once('.').unwrap_or(("", path));
                    if section != current {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(&format!("[{section}]\n"));
                        current = section;
                    }
                    out.push_str(&format!("{key} = {value}\n"));
                }
                out
            }
        }
    };
}
pub(crate) use define_params;

/// Why a parameter struct's `set` refused a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetError {
    #[error("unknown parameter `{0}`")]
    Unknown(String),
    #[error(transparent)]
    Value(#[from] ValueError),
}
