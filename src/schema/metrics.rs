//! The definition of an output column and the macro that declares a model's output
//! tables; it knows no model's columns.
//!
//! A value of NaN means "undefined for this run" (its denominator was zero, say no
//! incident reached the police) and is written as `NA`; it is never a stand-in for a
//! value the model cannot compute.

/// The definition of one output column.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    pub name: &'static str,
    pub unit: &'static str,
    /// Smallest possible value.
    pub min: f64,
    /// Largest possible value (`f64::INFINITY` when unbounded).
    pub max: f64,
    /// Which direction of change is an improvement, for the reports' better-or-worse
    /// colours and words.
    pub better: Better,
    /// The family the reports group it in.
    pub group: Group,
    pub doc: &'static str,
}

/// Which direction of a metric's change is an improvement.
///
/// It is a judgement about the metric's meaning for public safety and cooperation,
/// declared once beside the metric: fewer incidents, more trust, lower cost per
/// resolved incident. A metric whose rise is neither good nor bad in itself (the
/// number of inspections, the share of pool punishers, a spread) says `Neither`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

impl Better {
    /// The word `cogov metrics` and the reports print: "higher", "lower" or "neither".
    pub fn word(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::Neither => "neither",
        }
    }

    /// Whether a change of sign `delta` (reform minus baseline) is an improvement:
    /// `Some(true)` better, `Some(false)` worse, `None` when the metric has no better
    /// direction or the change is zero or undefined.
    pub fn judge(self, delta: f64) -> Option<bool> {
        if delta == 0.0 || delta.is_nan() {
            return None;
        }
        match self {
            Better::Higher => Some(delta > 0.0),
            Better::Lower => Some(delta < 0.0),
            Better::Neither => None,
        }
    }

    /// How a paired change with mean `delta` and 95% interval `[low, high]` reads:
    /// the one rule comparison.csv, the tables, the reports and the workshop use.
    pub fn verdict(self, delta: f64, low: f64, high: f64) -> Verdict {
        if !(low > 0.0 || high < 0.0) {
            return Verdict::Unclear;
        }
        match self.judge(delta) {
            Some(true) => Verdict::Better,
            Some(false) => Verdict::Worse,
            None => Verdict::Changed,
        }
    }
}

/// How a paired change of a metric is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The interval excludes zero and the metric is better that way.
    Better,
    Worse,
    /// The interval excludes zero; the metric has no better direction.
    Changed,
    /// The interval includes zero (or there is none).
    Unclear,
}

impl Verdict {
    /// "better", "worse", "changed" or "unclear", as comparison.csv writes it.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Changed => "changed",
            Verdict::Unclear => "unclear",
        }
    }
}

/// The family of outcomes a metric belongs to, as the reports group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Offending, victimisation, disorder, clearance, response, safety.
    PublicOrder,
    /// Trust, reporting, participation, the partnership and who acts.
    Cooperation,
    /// Hours, money and the burden of the work.
    Cost,
    /// Diagnostics and distributions: spreads, caps, counts by bin.
    Other,
}

impl Group {
    /// The group's name in reports and `cogov metrics`.
    pub fn name(self) -> &'static str {
        match self {
            Group::PublicOrder => "public order",
            Group::Cooperation => "cooperation",
            Group::Cost => "cost",
            Group::Other => "other",
        }
    }
}

/// Defines a table of [`MetricDef`]s and an enum indexing it by name; every model's
/// output tables are declared with it.
macro_rules! metric_table {
    ($vis:vis static $table:ident; $vis2:vis enum $Enum:ident {
        $( $variant:ident => $name:literal, $unit:literal, [$min:expr, $max:expr], $better:ident, $group:ident, $doc:literal; )*
    }) => {
        /// Index of each column in its table, so the model writes by name, not number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        $vis2 enum $Enum { $( $variant, )* }

        $vis static $table: &[$crate::schema::metrics::MetricDef] = &[
            $( $crate::schema::metrics::MetricDef {
                name: $name,
                unit: $unit,
                min: $min,
                max: $max,
                better: $crate::schema::metrics::Better::$better,
                group: $crate::schema::metrics::Group::$group,
                doc: $doc,
            }, )*
        ];

        impl $Enum {
            /// This column's definition.
            pub fn def(self) -> &'static $crate::schema::metrics::MetricDef {
                &$table[self as usize]
            }
        }
    };
}
pub(crate) use metric_table;
