//! Designs of experiments: which combinations of parameter values a sweep runs.
//!
//! A [`Design`] and a list of [`Factor`]s (a parameter and its levels) give rows of
//! parameter values, one row per design point, columns in factor order
//! ([`points`]). Four designs:
//!
//! - **Grid** (full factorial): every combination of every factor's levels (a list,
//!   or a range of `steps` equally spaced values including both ends). The *last*
//!   factor varies fastest, like nested loops in declaration order: with factors
//!   `a = [1, 2]` and `b = [x, y, z]` the rows are `(1,x) (1,y) (1,z) (2,x) (2,y)
//!   (2,z)`.
//! - **Random** (simple Monte Carlo): `samples` rows; every coordinate is uniform
//!   between the factor's bounds. The stream is `Xoshiro256PlusPlus::seed_from_u64
//!   (seed)`, drawn row by row and, within a row, column by column: one `f64` in
//!   `[0, 1)` per coordinate.
//! - **Latin hypercube** (McKay, Beckman and Conover 1979, Technometrics 21:239):
//!   `n = samples` rows; for each factor, the unit interval is cut into `n` equal
//!   strata and every stratum holds exactly one row: row `i` takes
//!   `u = (perm[i] + U) / n` for a random permutation `perm` of `0..n` and a uniform
//!   `U` in `[0, 1)`. The stream is `Xoshiro256PlusPlus::seed_from_u64(seed)`, used
//!   factor by factor: first the permutation (Fisher-Yates from the last position
//!   down: for `i = n-1, ..., 1` swap `i` with `j = random_range(0..=i)`), then the
//!   `n` positions `U` in row order.
//! - **Sobol with the Saltelli scheme** (Sobol 1967; Joe and Kuo 2008 direction
//!   numbers `new-joe-kuo-6.21201`; Saltelli 2002, Comput Phys Commun 145:280;
//!   Saltelli et al. 2010, Comput Phys Commun 181:259): for `k` factors, an
//!   unscrambled Sobol sequence of dimension `2k` in Gray-code order (Joe and Kuo's
//!   `sobol.cc`, 32 bits). Its first point (all zeros) is skipped and points
//!   `1..=N` (`N = samples`) are the base rows; row `j` splits into
//!   `A_j` (the first `k` coordinates) and `B_j` (the last `k`). For every base row,
//!   in this order, the design emits `k + 2` rows:
//!
//!   ```text
//!   A_j
//!   AB_j^(1)   = A_j with column 1 taken from B_j
//!   ...
//!   AB_j^(k)   = A_j with column k taken from B_j
//!   B_j
//!   ```
//!
//!   so `N (k + 2)` rows in all, row `j (k + 2) + i` being `AB_j^(i)` for
//!   `1 <= i <= k`. This is the layout of SALib's `saltelli.sample` /
//!   `sobol.sample` with `calc_second_order=False`, and SALib's `sobol.analyze(...,
//!   calc_second_order=False)` reads the outputs in that order. The Sobol design
//!   takes no seed: it is the same for every seed.
//!
//! Sampled designs (random, Latin hypercube, Sobol) turn a unit coordinate `u` in
//! `[0, 1)` into a value: a real parameter takes `min + u (max - min)`; an integer
//! parameter `floor(min + u (max - min + 1))`, clamped to `max`, so every integer
//! from `min` to `max` is equally likely; a factor given as a list of values takes
//! value number `floor(u len)` (a boolean factor `[false, true]` is `false` when
//! `u < 0.5`). Grids take a factor's levels as given.
//!
//! Every value produced is checked with [`ParamDef::check`]. The rules that tie
//! parameters together ([`crate::model::co_governance::params::Params::validate`]) are *not* checked here:
//! a point that breaks one becomes a failed point of the experiment, not an error of
//! the design (see [`crate::sweep`]).
//!
//! This module is pure: no I/O, no clock, no thread-local generator. Reading
//! experiment files and locating their errors belong to [`crate::sweep`]. The Sobol
//! sequence and its direction numbers live in `sobol.rs`; making a grid's rows in
//! `grid.rs`; the sampled designs' rows (random, Latin hypercube, Saltelli) in
//! `sampled.rs`.

use std::fmt;

use crate::schema::{ParamDef, ParamType, ParamValue, ValueError};

mod grid;
mod sampled;
mod sobol;

pub use sampled::saltelli_unit_rows;
pub use sobol::{SOBOL_DIMENSIONS, SobolSequence};

/// Most points one design may make.
pub const MAX_POINTS: u64 = 10_000_000;

/// Most factors of a Sobol (Saltelli) design: it uses a sequence of twice as many
/// dimensions.
pub const MAX_SOBOL_FACTORS: usize = SOBOL_DIMENSIONS / 2;

/// One swept parameter and its levels.
#[derive(Debug, Clone)]
pub struct Factor {
    /// Dotted path, as written in the experiment file.
    pub path: String,
    pub def: &'static ParamDef,
    pub levels: Levels,
}

impl PartialEq for Factor {
    fn eq(&self, other: &Factor) -> bool {
        self.path == other.path && self.def.path == other.def.path && self.levels == other.levels
    }
}

/// The values a factor may take.
#[derive(Debug, Clone, PartialEq)]
pub enum Levels {
    /// These values (a grid takes each; a sampled design picks among them uniformly).
    List(Vec<ParamValue>),
    /// Grids only: `steps >= 2` equally spaced values from `min` to `max`, both ends
    /// included (integers are rounded to the nearest whole number).
    Range { min: f64, max: f64, steps: u32 },
    /// Sampled designs only: values drawn between `min` and `max`.
    Bounds { min: f64, max: f64 },
}

/// How design points are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Full factorial product of the factors' levels.
    Grid,
    /// `samples` independent uniform points.
    Random { samples: u64 },
    /// `samples` points, one in each stratum of every factor.
    LatinHypercube { samples: u64 },
    /// `samples` base points of a Sobol sequence in Saltelli's scheme:
    /// `samples (k + 2)` points for `k` factors.
    Sobol { samples: u64 },
}

/// The names of the designs as written in experiment files.
pub const DESIGN_NAMES: [&str; 4] = ["grid", "random", "lhs", "sobol"];

impl Design {
    /// The name written in experiment files: `grid`, `random`, `lhs` or `sobol`.
    pub fn name(&self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Random { .. } => "random",
            Design::LatinHypercube { .. } => "lhs",
            Design::Sobol { .. } => "sobol",
        }
    }

    /// The design called `name` with `samples` (ignored by a grid).
    pub fn from_name(name: &str, samples: u64) -> Option<Design> {
        match name {
            "grid" => Some(Design::Grid),
            "random" => Some(Design::Random { samples }),
            "lhs" => Some(Design::LatinHypercube { samples }),
            "sobol" => Some(Design::Sobol { samples }),
            _ => None,
        }
    }

    /// `samples` of a sampled design; `None` for a grid.
    pub fn samples(&self) -> Option<u64> {
        match *self {
            Design::Grid => None,
            Design::Random { samples }
            | Design::LatinHypercube { samples }
            | Design::Sobol { samples } => Some(samples),
        }
    }
}

impl fmt::Display for Design {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.samples() {
            None => f.write_str(self.name()),
            Some(n) => write!(f, "{} ({n} samples)", self.name()),
        }
    }
}

/// Which end of a range or bounds a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Min,
    Max,
}

impl End {
    pub fn key(self) -> &'static str {
        match self {
            End::Min => "min",
            End::Max => "max",
        }
    }
}

/// Why a design cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    #[error("no parameters to vary: a design needs at least one factor")]
    NoFactors,
    #[error("`samples` must be at least 1, found 0")]
    NoSamples,
    #[error(
        "the {design} design would make {points} points{detail}; at most {MAX_POINTS} are allowed"
    )]
    TooManyPoints {
        design: &'static str,
        points: u128,
        /// How the count arises, for example ` (5 x 6 x 400000)`.
        detail: String,
    },
    #[error(
        "a sobol design takes at most {MAX_SOBOL_FACTORS} parameters (it needs a Sobol sequence of twice as many dimensions, and {SOBOL_DIMENSIONS} are embedded), found {factors}"
    )]
    TooManySobolFactors { factors: usize },
    #[error("`{path}`: a grid needs levels: give a list of values or add `steps`")]
    BoundsInGrid { path: String },
    #[error(
        "`{path}`: `steps` is for grids; a {design} design draws values between `min` and `max`"
    )]
    RangeInSampled { path: String, design: &'static str },
    #[error(
        "`{path}`: a boolean or choice parameter takes a list of values (`[false, true]`, `[\"a\", \"b\"]`), not `min` and `max`"
    )]
    BooleanRange { path: String },
    #[error("`{path}`: the list of values is empty")]
    EmptyList { path: String },
    #[error("`{path}`: the value {value} is listed twice")]
    RepeatedValue {
        path: String,
        /// Position of the repeat in the list.
        index: usize,
        value: String,
    },
    #[error("`{path}`: `min` ({min}) is greater than `max` ({max})")]
    MinAboveMax {
        path: String,
        min: String,
        max: String,
    },
    #[error("`{path}`: `steps` must be at least 2 (the two ends of the range), found {steps}")]
    TooFewSteps { path: String, steps: u32 },
    #[error(
        "`{path}`: {steps} steps from {min} to {max} would repeat integers; at most {most} fit"
    )]
    StepsRepeatIntegers {
        path: String,
        steps: u32,
        min: i64,
        max: i64,
        most: u64,
    },
    #[error("`{path}`: `{}`: {error}", .end.key())]
    End {
        path: String,
        end: End,
        error: ValueError,
    },
    #[error("`{path}`: {error}")]
    Value { path: String, error: ValueError },
}

/// The rows of the design: one `Vec` per point, columns in factor order.
///
/// `seed` drives the random and Latin hypercube designs; grids and Sobol designs do
/// not depend on it.
///
/// # Errors
/// [`DesignError`] when a factor's levels do not suit the design or the parameter
/// (see [`check_factor`]), when there are no factors, when a Sobol design has more
/// than [`MAX_SOBOL_FACTORS`] factors, or when the design would make more than
/// [`MAX_POINTS`] points.
///
/// # Examples
/// ```
/// use cogov::experiment::design::{points, Design, Factor, Levels};
/// use cogov::model::Model;
/// use cogov::schema::ParamValue;
///
/// let factor = |path: &str, levels| Factor {
///     path: path.to_string(),
///     def: Model::CoGovernance.find_def(path).unwrap(),
///     levels,
/// };
/// let factors = [
///     factor("liability.clarity", Levels::List(vec![ParamValue::Real(0.1), ParamValue::Real(0.9)])),
///     factor("channels.count", Levels::Range { min: 0.0, max: 8.0, steps: 3 }),
/// ];
/// let rows = points(&Design::Grid, &factors, 0).unwrap();
/// assert_eq!(rows.len(), 6);
/// assert_eq!(rows[1], [ParamValue::Real(0.1), ParamValue::Int(4)]);
/// ```
pub fn points(
    design: &Design,
    factors: &[Factor],
    seed: u64,
) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    point_count(design, factors)?;
    match *design {
        Design::Grid => grid::grid(factors),
        Design::Random { samples } => sampled::random(factors, samples, seed),
        Design::LatinHypercube { samples } => sampled::latin_hypercube(factors, samples, seed),
        Design::Sobol { samples } => sampled::saltelli(factors, samples),
    }
}

/// The number of points the design makes, after checking every factor.
///
/// # Errors
/// As [`points`].
pub fn point_count(design: &Design, factors: &[Factor]) -> Result<u64, DesignError> {
    if factors.is_empty() {
        return Err(DesignError::NoFactors);
    }
    for factor in factors {
        check_factor(design, factor)?;
    }
    let (points, detail): (u128, String) = match *design {
        Design::Grid => {
            let counts: Vec<u128> = factors.iter().map(|f| level_count(&f.levels)).collect();
            let product = counts.iter().fold(1u128, |acc, &c| acc.saturating_mul(c));
            let shown: Vec<String> = counts.iter().map(u128::to_string).collect();
            let detail = if counts.len() > 1 {
                format!(" ({})", shown.join(" x "))
            } else {
                String::new()
            };
            (product, detail)
        }
        Design::Random { samples } | Design::LatinHypercube { samples } => {
            (u128::from(samples), String::new())
        }
        Design::Sobol { samples } => {
            if factors.len() > MAX_SOBOL_FACTORS {
                return Err(DesignError::TooManySobolFactors {
                    factors: factors.len(),
                });
            }
            let k = factors.len() as u128;
            (
                u128::from(samples) * (k + 2),
                format!(" ({samples} samples x ({k} parameters + 2))"),
            )
        }
    };
    if design.samples() == Some(0) {
        return Err(DesignError::NoSamples);
    }
    if points > u128::from(MAX_POINTS) {
        return Err(DesignError::TooManyPoints {
            design: design.name(),
            points,
            detail,
        });
    }
    Ok(points as u64)
}

/// Checks that a factor's levels suit the design and the parameter: lists are
/// non-empty, without repeats, and every value fits the parameter; ranges and
/// bounds have `min <= max` inside the parameter's range; ranges have `steps >= 2`
/// and belong to grids; bounds belong to sampled designs; booleans take lists.
///
/// # Errors
/// The first problem found, naming the factor's path.
pub fn check_factor(design: &Design, factor: &Factor) -> Result<(), DesignError> {
    let path = || factor.path.clone();
    match &factor.levels {
        Levels::List(values) => {
            if values.is_empty() {
                return Err(DesignError::EmptyList { path: path() });
            }
            let mut seen: Vec<ParamValue> = Vec::with_capacity(values.len());
            for &value in values {
                let value = factor
                    .def
                    .check(value)
                    .map_err(|error| DesignError::Value {
                        path: path(),
                        error,
                    })?;
                if seen.contains(&value) {
                    return Err(DesignError::RepeatedValue {
                        path: path(),
                        index: seen.len(),
                        value: value.to_string(),
                    });
                }
                seen.push(value);
            }
        }
        Levels::Range { min, max, steps } => {
            if design.samples().is_some() {
                return Err(DesignError::RangeInSampled {
                    path: path(),
                    design: design.name(),
                });
            }
            check_ends(factor, *min, *max)?;
            if *steps < 2 {
                return Err(DesignError::TooFewSteps {
                    path: path(),
                    steps: *steps,
                });
            }
            // Rounded steps of an integer range are distinct exactly when they are at
            // least one apart.
            let most = (max - min) as u64 + 1;
            if factor.def.ty == ParamType::Int && u64::from(*steps) > most {
                return Err(DesignError::StepsRepeatIntegers {
                    path: path(),
                    steps: *steps,
                    min: *min as i64,
                    max: *max as i64,
                    most,
                });
            }
        }
        Levels::Bounds { min, max } => {
            if *design == Design::Grid {
                return Err(DesignError::BoundsInGrid { path: path() });
            }
            check_ends(factor, *min, *max)?;
        }
    }
    Ok(())
}

/// `min` and `max` of a range or bounds: each a valid value, and `min <= max`.
fn check_ends(factor: &Factor, min: f64, max: f64) -> Result<(), DesignError> {
    if matches!(factor.def.ty, ParamType::Bool | ParamType::Choice(_)) {
        return Err(DesignError::BooleanRange {
            path: factor.path.clone(),
        });
    }
    for (end, x) in [(End::Min, min), (End::Max, max)] {
        factor
            .def
            .check(number(factor.def, x))
            .map_err(|error| DesignError::End {
                path: factor.path.clone(),
                end,
                error,
            })?;
    }
    if min > max {
        return Err(DesignError::MinAboveMax {
            path: factor.path.clone(),
            min: number(factor.def, min).to_string(),
            max: number(factor.def, max).to_string(),
        });
    }
    Ok(())
}

/// `x` as a value of the parameter's type: a whole number for an integer parameter
/// becomes [`ParamValue::Int`], anything else [`ParamValue::Real`] (which
/// [`ParamDef::check`] refuses for an integer parameter).
fn number(def: &ParamDef, x: f64) -> ParamValue {
    if def.ty == ParamType::Int && x.fract() == 0.0 && x.abs() < 9.0e15 {
        ParamValue::Int(x as i64)
    } else {
        ParamValue::Real(x)
    }
}

/// How many levels a grid takes from these levels (bounds: none).
fn level_count(levels: &Levels) -> u128 {
    match levels {
        Levels::List(values) => values.len() as u128,
        Levels::Range { steps, .. } => u128::from(*steps),
        Levels::Bounds { .. } => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::sampled::value_at;
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};

    use std::collections::BTreeMap;

    fn factor(path: &str, levels: Levels) -> Factor {
        Factor {
            path: path.to_string(),
            def: crate::model::Model::CoGovernance
                .find_def(path)
                .unwrap_or_else(|| panic!("no parameter {path}")),
            levels,
        }
    }

    fn reals(values: &[f64]) -> Levels {
        Levels::List(values.iter().map(|&x| ParamValue::Real(x)).collect())
    }

    fn bounds(min: f64, max: f64) -> Levels {
        Levels::Bounds { min, max }
    }

    /// Real factors with bounds [0, 1], over the first `k` probability parameters.
    fn unit_factors(k: usize) -> Vec<Factor> {
        let paths = [
            "liability.clarity",
            "rights.authority_match",
            "logistics.level",
            "it.level",
            "trust.contact_rate",
            "trust.outcome_weight",
        ];
        paths[..k]
            .iter()
            .map(|p| factor(p, bounds(0.0, 1.0)))
            .collect()
    }

    fn real(v: ParamValue) -> f64 {
        match v {
            ParamValue::Real(x) => x,
            ParamValue::Int(i) => i as f64,
            ParamValue::Bool(b) => f64::from(u8::from(b)),
            ParamValue::Choice(_) => f64::NAN,
        }
    }

    /// `points`, expected to fail with a message holding every one of `expect`.
    fn refused(design: Design, factors: &[Factor], expect: &[&str]) {
        let message = match points(&design, factors, 1) {
            Ok(rows) => panic!("expected {expect:?}, got {} rows", rows.len()),
            Err(e) => e.to_string(),
        };
        for want in expect {
            assert!(message.contains(want), "missing {want:?} in {message:?}");
        }
    }

    #[test]
    fn a_grid_is_the_full_product_with_the_last_factor_fastest() {
        let factors = [
            factor("liability.clarity", reals(&[0.1, 0.5, 0.9])),
            factor(
                "incentives.enterprise_fine",
                Levels::Range {
                    min: 0.0,
                    max: 5000.0,
                    steps: 5,
                },
            ),
            factor(
                "channels.count",
                Levels::List(vec![ParamValue::Int(1), ParamValue::Int(4)]),
            ),
        ];
        let rows = points(&Design::Grid, &factors, 0).unwrap();
        assert_eq!(rows.len(), 3 * 5 * 2);
        assert_eq!(point_count(&Design::Grid, &factors), Ok(30));
        let fines = [0.0, 1250.0, 2500.0, 3750.0, 5000.0];
        let mut expected = Vec::new();
        for clarity in [0.1, 0.5, 0.9] {
            for fine in fines {
                for count in [1, 4] {
                    expected.push(vec![
                        ParamValue::Real(clarity),
                        ParamValue::Real(fine),
                        ParamValue::Int(count),
                    ]);
                }
            }
        }
        assert_eq!(rows, expected);
        // Every combination exactly once.
        let mut seen: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 30);
    }

    #[test]
    fn grid_ranges_include_both_ends_and_round_integers() {
        let cases: &[(&str, f64, f64, u32, &[f64])] = &[
            ("liability.clarity", 0.1, 0.9, 2, &[0.1, 0.9]),
            (
                "liability.clarity",
                0.0,
                1.0,
                5,
                &[0.0, 0.25, 0.5, 0.75, 1.0],
            ),
            ("channels.count", 0.0, 8.0, 5, &[0.0, 2.0, 4.0, 6.0, 8.0]),
            ("channels.count", 0.0, 8.0, 4, &[0.0, 3.0, 5.0, 8.0]),
            ("channels.count", 2.0, 4.0, 3, &[2.0, 3.0, 4.0]),
        ];
        for &(path, min, max, steps, want) in cases {
            let f = [factor(path, Levels::Range { min, max, steps })];
            let rows = points(&Design::Grid, &f, 0).unwrap();
            let got: Vec<f64> = rows.iter().map(|r| real(r[0])).collect();
            assert_eq!(got, want, "{path} {min}..{max} in {steps}");
        }
        // Every integer range takes up to max - min + 1 distinct steps, ends included.
        for min in 0..4 {
            for span in 1..12 {
                let max = min + span;
                for steps in 2..=span + 2 {
                    let f = [factor(
                        "channels.count",
                        Levels::Range {
                            min: f64::from(min),
                            max: f64::from(max),
                            steps,
                        },
                    )];
                    let Ok(rows) = points(&Design::Grid, &f, 0) else {
                        assert_eq!(steps, span + 2, "{min}..{max} in {steps}");
                        continue;
                    };
                    let got: Vec<f64> = rows.iter().map(|r| real(r[0])).collect();
                    assert_eq!(got.len(), steps as usize);
                    assert_eq!(
                        (got[0], got[got.len() - 1]),
                        (f64::from(min), f64::from(max))
                    );
                    assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}");
                }
            }
        }
    }

    #[test]
    fn a_latin_hypercube_has_one_sample_per_stratum_in_every_dimension() {
        for (n, k) in [(1, 1), (2, 3), (7, 2), (64, 6), (100, 4)] {
            let factors = unit_factors(k);
            let rows = points(&Design::LatinHypercube { samples: n }, &factors, 42).unwrap();
            assert_eq!(rows.len(), n as usize);
            for column in 0..k {
                let mut strata: Vec<u64> = rows
                    .iter()
                    .map(|r| (real(r[column]) * n as f64).floor() as u64)
                    .collect();
                strata.sort_unstable();
                assert_eq!(
                    strata,
                    (0..n).collect::<Vec<_>>(),
                    "n = {n}, k = {k}, column {column}"
                );
            }
        }
    }

    #[test]
    fn random_and_latin_hypercube_are_deterministic_per_seed() {
        let factors = unit_factors(3);
        for design in [
            Design::Random { samples: 50 },
            Design::LatinHypercube { samples: 50 },
        ] {
            let a = points(&design, &factors, 7).unwrap();
            assert_eq!(a, points(&design, &factors, 7).unwrap(), "{design}");
            assert_ne!(a, points(&design, &factors, 8).unwrap(), "{design}");
            for row in &a {
                assert!(row.iter().all(|&v| (0.0..1.0).contains(&real(v))));
            }
        }
        // Grids and Sobol designs do not depend on the seed.
        for design in [Design::Grid, Design::Sobol { samples: 8 }] {
            let f: Vec<Factor> = if design == Design::Grid {
                vec![factor("liability.clarity", reals(&[0.2, 0.4]))]
            } else {
                factors.clone()
            };
            assert_eq!(points(&design, &f, 1), points(&design, &f, 2));
        }
    }

    #[test]
    fn random_draws_point_by_point_then_column_by_column() {
        let factors = unit_factors(2);
        let rows = points(&Design::Random { samples: 3 }, &factors, 9).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        for row in rows {
            for v in row {
                assert_eq!(real(v), rng.random::<f64>());
            }
        }
    }

    #[test]
    fn saltelli_rows_follow_salib_order() {
        for k in [1, 2, 5] {
            let factors = unit_factors(k);
            let n = 16u64;
            let rows = points(&Design::Sobol { samples: n }, &factors, 0).unwrap();
            assert_eq!(rows.len() as u64, n * (k as u64 + 2));
            let base: Vec<Vec<f64>> = SobolSequence::new(2 * k)
                .unwrap()
                .skip(1)
                .take(n as usize)
                .collect();
            for (j, block) in rows.chunks(k + 2).enumerate() {
                let block: Vec<Vec<f64>> = block
                    .iter()
                    .map(|r| r.iter().map(|&v| real(v)).collect())
                    .collect();
                let (a, b) = base[j].split_at(k);
                assert_eq!(block[0], a, "A_{j}");
                assert_eq!(block[k + 1], b, "B_{j}");
                for i in 0..k {
                    for c in 0..k {
                        let want = if c == i { b[c] } else { a[c] };
                        assert_eq!(block[1 + i][c], want, "AB_{j}^({}) column {c}", i + 1);
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_saltelli_rows_are_the_known_sobol_points() {
        // k = 2 uses dimensions 1..4: base point 1 is (0.5, 0.5 | 0.5, 0.5), base
        // point 2 is (0.75, 0.25 | 0.25, 0.25).
        let rows = points(&Design::Sobol { samples: 2 }, &unit_factors(2), 0).unwrap();
        let got: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| r.iter().map(|&v| real(v)).collect())
            .collect();
        let want: Vec<Vec<f64>> = vec![
            vec![0.5, 0.5],
            vec![0.5, 0.5],
            vec![0.5, 0.5],
            vec![0.5, 0.5],
            vec![0.75, 0.25],
            vec![0.25, 0.25],
            vec![0.75, 0.25],
            vec![0.25, 0.25],
        ];
        assert_eq!(got, want);
    }

    /// Counts of each value in column 0.
    fn counts(rows: &[Vec<ParamValue>]) -> BTreeMap<i64, u64> {
        let mut out = BTreeMap::new();
        for row in rows {
            let ParamValue::Int(i) = row[0] else {
                panic!("expected an integer, found {:?}", row[0]);
            };
            *out.entry(i).or_insert(0) += 1;
        }
        out
    }

    #[test]
    fn integer_mapping_covers_every_integer_equally() {
        // channels.count from 2 to 5: four integers.
        let f = [factor("channels.count", bounds(2.0, 5.0))];
        let want: BTreeMap<i64, u64> = (2..=5).map(|i| (i, 10)).collect();
        // A Latin hypercube of 40 points: 10 strata per integer.
        let lhs = points(&Design::LatinHypercube { samples: 40 }, &f, 3).unwrap();
        assert_eq!(counts(&lhs), want);
        // The unit coordinates i / 2^m of a full Sobol stratum map exactly.
        for (u, want) in [
            (0.0, 2),
            (0.2499, 2),
            (0.25, 3),
            (0.5, 4),
            (0.75, 5),
            (0.9999, 5),
        ] {
            assert_eq!(value_at(&f[0], u), Ok(ParamValue::Int(want)), "u = {u}");
        }
        let sobol: Vec<Vec<ParamValue>> = SobolSequence::new(1)
            .unwrap()
            .take(64)
            .map(|p| vec![value_at(&f[0], p[0]).unwrap()])
            .collect();
        assert_eq!(counts(&sobol), (2..=5).map(|i| (i, 16)).collect());
        // A single integer, and the clamp at the top.
        let one = [factor("channels.count", bounds(3.0, 3.0))];
        let rows = points(&Design::Random { samples: 20 }, &one, 1).unwrap();
        assert!(rows.iter().all(|r| r[0] == ParamValue::Int(3)));
        assert_eq!(value_at(&f[0], 1.0), Ok(ParamValue::Int(5)));
    }

    #[test]
    fn lists_in_sampled_designs_pick_each_value_equally() {
        let f = [factor("liability.clarity", reals(&[0.1, 0.2, 0.3, 0.4]))];
        let rows = points(&Design::LatinHypercube { samples: 12 }, &f, 5).unwrap();
        for x in [0.1, 0.2, 0.3, 0.4] {
            let n = rows.iter().filter(|r| r[0] == ParamValue::Real(x)).count();
            assert_eq!(n, 3, "{x}");
        }
    }

    #[test]
    fn real_bounds_scale_the_unit_interval() {
        let f = [factor("police.officers_per_10k", bounds(8.0, 14.0))];
        assert_eq!(value_at(&f[0], 0.0), Ok(ParamValue::Real(8.0)));
        assert_eq!(value_at(&f[0], 0.5), Ok(ParamValue::Real(11.0)));
        let rows = points(&Design::Random { samples: 200 }, &f, 2).unwrap();
        assert!(rows.iter().all(|r| (8.0..14.0).contains(&real(r[0]))));
    }

    #[test]
    fn integer_values_in_lists_are_read_as_reals_for_real_parameters() {
        let f = [factor(
            "incentives.enterprise_fine",
            Levels::List(vec![ParamValue::Int(0), ParamValue::Int(500)]),
        )];
        let rows = points(&Design::Grid, &f, 0).unwrap();
        assert_eq!(rows, [[ParamValue::Real(0.0)], [ParamValue::Real(500.0)]]);
    }

    #[test]
    fn bad_designs_are_refused_naming_the_parameter() {
        let clarity = |levels| [factor("liability.clarity", levels)];
        let range = |min, max, steps| Levels::Range { min, max, steps };
        refused(Design::Grid, &[], &["no parameters to vary"]);
        refused(
            Design::Grid,
            &clarity(bounds(0.0, 1.0)),
            &["`liability.clarity`: a grid needs levels: give a list of values or add `steps`"],
        );
        refused(
            Design::LatinHypercube { samples: 4 },
            &clarity(range(0.0, 1.0, 3)),
            &[
                "`liability.clarity`: `steps` is for grids; a lhs design draws values between `min` and `max`",
            ],
        );
        refused(
            Design::Random { samples: 4 },
            &clarity(bounds(0.0, 1.5)),
            &["`liability.clarity`: `max`: expected a value from 0 to 1 (probability), found 1.5"],
        );
        refused(
            Design::Grid,
            &clarity(range(-0.5, 1.0, 3)),
            &["`min`: expected a value from 0 to 1 (probability), found -0.5"],
        );
        refused(
            Design::Grid,
            &clarity(reals(&[0.5, 2.0])),
            &["`liability.clarity`: expected a value from 0 to 1 (probability), found 2.0"],
        );
        refused(
            Design::Grid,
            &clarity(Levels::List(vec![ParamValue::Bool(true)])),
            &["expected number, found true"],
        );
        refused(
            Design::Grid,
            &clarity(reals(&[])),
            &["the list of values is empty"],
        );
        refused(
            Design::Grid,
            &clarity(reals(&[0.5, 0.2, 0.5])),
            &["`liability.clarity`: the value 0.5 is listed twice"],
        );
        refused(
            Design::Grid,
            &clarity(range(0.9, 0.1, 3)),
            &["`liability.clarity`: `min` (0.9) is greater than `max` (0.1)"],
        );
        refused(
            Design::Sobol { samples: 4 },
            &clarity(bounds(0.9, 0.1)),
            &["`min` (0.9) is greater than `max` (0.1)"],
        );
        refused(
            Design::Grid,
            &clarity(range(0.1, 0.9, 1)),
            &["`steps` must be at least 2 (the two ends of the range), found 1"],
        );
        refused(
            Design::Grid,
            &[factor("channels.count", range(0.0, 3.0, 6))],
            &["`channels.count`: 6 steps from 0 to 3 would repeat integers; at most 4 fit"],
        );
        refused(
            Design::Random { samples: 3 },
            &[factor("channels.count", bounds(0.5, 3.0))],
            &["`channels.count`: `min`: expected integer, found 0.5"],
        );
        refused(
            Design::LatinHypercube { samples: 0 },
            &unit_factors(1),
            &["`samples` must be at least 1"],
        );
    }

    #[test]
    fn designs_beyond_the_limits_are_refused_saying_how_big_they_would_be() {
        let big = |path: &str| {
            factor(
                path,
                Levels::Range {
                    min: 0.0,
                    max: 1.0,
                    steps: 4000,
                },
            )
        };
        refused(
            Design::Grid,
            &[big("liability.clarity"), big("rights.authority_match")],
            &[
                "the grid design would make 16000000 points (4000 x 4000); at most 10000000 are allowed",
            ],
        );
        refused(
            Design::Random {
                samples: MAX_POINTS + 1,
            },
            &unit_factors(1),
            &["would make 10000001 points"],
        );
        refused(
            Design::Sobol { samples: 2_000_000 },
            &unit_factors(4),
            &["the sobol design would make 12000000 points (2000000 samples x (4 parameters + 2))"],
        );
        let many: Vec<Factor> = crate::model::co_governance::params::PARAM_DEFS
            .iter()
            .filter(|d| d.ty == ParamType::Real)
            .take(MAX_SOBOL_FACTORS + 1)
            .map(|d| factor(d.path, bounds(d.min, d.max)))
            .collect();
        refused(
            Design::Sobol { samples: 4 },
            &many,
            &["a sobol design takes at most 32 parameters", "found 33"],
        );
        assert_eq!(
            point_count(&Design::Sobol { samples: 4 }, &many[..MAX_SOBOL_FACTORS]),
            Ok(4 * 34)
        );
        assert_eq!(
            point_count(
                &Design::Random {
                    samples: MAX_POINTS
                },
                &unit_factors(1)
            ),
            Ok(MAX_POINTS)
        );
    }

    #[test]
    fn design_names_round_trip() {
        for name in DESIGN_NAMES {
            let design = Design::from_name(name, 3).unwrap();
            assert_eq!(design.name(), name);
        }
        assert_eq!(Design::from_name("grid", 3).unwrap().samples(), None);
        assert_eq!(Design::from_name("lhc", 3), None);
        assert_eq!(
            Design::Sobol { samples: 8 }.to_string(),
            "sobol (8 samples)"
        );
    }
}
