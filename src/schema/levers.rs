//! Levers: the named groups of parameters a study pulls, in plain words.
//!
//! A model may name its levers (the co-governance model: the Tongxiang study's four
//! mechanisms, seven problems and five reforms, docs/levers.md). A lever lists the
//! dotted paths of its parameters; each parameter's type, default, range and unit
//! stay in the parameter table, so the workshop page's sliders are built from that
//! table alone, grouped and labelled by these.

use serde::Serialize;

/// What a lever stands for in the study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LeverKind {
    /// A mechanism that brought about collaborative governance.
    Mechanism,
    /// A problem that remains.
    Problem,
    /// A reform the study suggests.
    Reform,
}

/// One lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lever {
    /// Short identifier, as the study's tables number them: `M1`, `P2`, `R5`.
    pub id: &'static str,
    pub kind: LeverKind,
    /// The lever's name in the study.
    pub title: &'static str,
    /// One sentence on what moving it means.
    pub summary: &'static str,
    /// The parameters it moves, as dotted paths of the parameter table.
    pub params: &'static [&'static str],
    /// For a reform: the shipped scenario file that pulls it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<&'static str>,
}

/// A plain-language label of a parameter, for a slider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub path: &'static str,
    pub label: &'static str,
}
