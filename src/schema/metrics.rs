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
    pub doc: &'static str,
}

/// Defines a table of [`MetricDef`]s and an enum indexing it by name; every model's
/// output tables are declared with it.
macro_rules! metric_table {
    ($vis:vis static $table:ident; $vis2:vis enum $Enum:ident {
        $( $variant:ident => $name:literal, $unit:literal, [$min:expr, $max:expr], $doc:literal; )*
    }) => {
        /// Index of each column in its table, so the model writes by name, not number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        $vis2 enum $Enum { $( $variant, )* }

        $vis static $table: &[$crate::schema::metrics::MetricDef] = &[
            $( $crate::schema::metrics::MetricDef { name: $name, unit: $unit, min: $min, max: $max, doc: $doc }, )*
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
