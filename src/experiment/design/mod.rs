//! Designs of experiments: which combinations of parameter values a sweep runs.
//!
//! A [`Design`] and a list of [`Factor`]s (a parameter and its levels) give rows of
//! parameter values, one row per design point, columns in factor order
//! ([`points`]). Five designs:
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
//!   calc_second_order=False)` reads the outputs in that order.
//!
//!   With `second_order` (for second-order indices, Saltelli 2002) every base row
//!   emits `2k + 2` rows, the `k` rows `BA_j^(i)` inserted before `B_j`:
//!
//!   ```text
//!   A_j
//!   AB_j^(1), ..., AB_j^(k)
//!   BA_j^(1)   = B_j with column 1 taken from A_j
//!   ...
//!   BA_j^(k)   = B_j with column k taken from A_j
//!   B_j
//!   ```
//!
//!   so `N (2k + 2)` rows, row `j (2k + 2) + k + i` being `BA_j^(i)`: the layout of
//!   SALib 1.6's `sobol.sample(problem, N, calc_second_order=True, scramble=False,
//!   skip_values=1)` and the order `sobol.analyze(..., calc_second_order=True)`
//!   reads. The Sobol design takes no seed: it is the same for every seed.
//! - **Morris** (Morris 1991, Technometrics 33:161-174; Campolongo, Cariboni and
//!   Saltelli 2007, Environmental Modelling & Software 22:1509-1518): `r = samples`
//!   trajectories of `k + 1` rows each on a grid of `p = levels` levels, one after
//!   another, `r (k + 1)` rows; consecutive rows of a trajectory differ in one factor
//!   by `±Δ`, `Δ = p / (2 (p - 1))`, and each factor changes once per trajectory.
//!   With `candidates = M > r`, `M` trajectories are drawn and the `r` that spread
//!   most are kept (Ruano et al.'s local search, as SALib's). The stream is
//!   `Xoshiro256PlusPlus::seed_from_u64(seed)`; the construction, the order of its
//!   draws and the choice are documented in `morris.rs` ([`morris_unit_rows`]).
//!
//! Sampled designs (random, Latin hypercube, Sobol, Morris) turn a unit coordinate
//! `u` in `[0, 1)` (`[0, 1]` for Morris, whose grid includes 1) into a value: a real
//! parameter takes `min + u (max - min)`; an integer parameter
//! `floor(min + u (max - min + 1))`, clamped to `max`, so every integer from `min`
//! to `max` is equally likely; a factor given as a list of values takes value number
//! `floor(u len)`, clamped to the last (a boolean factor `[false, true]` is `false`
//! when `u < 0.5`). Grids take a factor's levels as given.
//!
//! Every value produced is checked with [`ParamDef::check`]. The rules that tie
//! parameters together ([`crate::model::co_governance::params::Params::validate`]) are *not* checked here:
//! a point that breaks one becomes a failed point of the experiment, not an error of
//! the design (see [`crate::sweep`]).
//!
//! This module is pure: no I/O, no clock, no thread-local generator. Reading
//! experiment files and locating their errors belong to [`crate::sweep`]. The Sobol
//! sequence and its direction numbers live in `sobol.rs`; making a grid's rows in
//! `grid.rs`; Morris's trajectories and their choice in `morris.rs`; the sampled
//! designs' rows scaled to values (random, Latin hypercube, Saltelli, Morris) in
//! `sampled.rs`.

use std::fmt;

use crate::schema::{ParamDef, ParamType, ParamValue, ValueError};

mod grid;
mod morris;
mod sampled;
mod sobol;

pub use morris::{morris_delta, morris_spread, morris_unit_rows};
pub use sampled::saltelli_unit_rows;
pub use sobol::{SOBOL_DIMENSIONS, SobolSequence};

/// Most points one design may make.
pub const MAX_POINTS: u64 = 10_000_000;

/// Most factors of a Sobol (Saltelli) design: it uses a sequence of twice as many
/// dimensions.
pub const MAX_SOBOL_FACTORS: usize = SOBOL_DIMENSIONS / 2;

/// Most levels of a Morris design's grid.
pub const MAX_MORRIS_LEVELS: u32 = 1000;

/// Most candidate trajectories a Morris design chooses among.
pub const MAX_MORRIS_CANDIDATES: u64 = 1000;

/// Most distances between points a Morris design may compute to choose its
/// trajectories: `M (M - 1) / 2 (k + 1)²` for `M` candidates and `k` factors.
pub const MAX_SPREAD_DISTANCES: u128 = 100_000_000;

/// The default number of levels of a Morris design.
pub const DEFAULT_MORRIS_LEVELS: u32 = 4;

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
    /// `samples (k + 2)` points for `k` factors, or `samples (2k + 2)` with
    /// `second_order` (the `BA` rows second-order indices need).
    Sobol { samples: u64, second_order: bool },
    /// Morris's elementary-effects design: `trajectories` trajectories of `k + 1`
    /// points on a grid of `levels` levels (even, at least 2), chosen among
    /// `candidates` (at least `trajectories`; equal: no choice) for their spread.
    Morris {
        trajectories: u64,
        levels: u32,
        candidates: u64,
    },
}

/// The names of the designs as written in experiment files.
pub const DESIGN_NAMES: [&str; 5] = ["grid", "random", "lhs", "sobol", "morris"];

impl Design {
    /// The name written in experiment files: `grid`, `random`, `lhs`, `sobol` or
    /// `morris`.
    pub fn name(&self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Random { .. } => "random",
            Design::LatinHypercube { .. } => "lhs",
            Design::Sobol { .. } => "sobol",
            Design::Morris { .. } => "morris",
        }
    }

    /// The design called `name` with `samples` (ignored by a grid; a Morris design's
    /// trajectories) and the defaults of its other settings: no second order for
    /// Sobol; [`DEFAULT_MORRIS_LEVELS`] levels and no choice among candidates for
    /// Morris.
    pub fn from_name(name: &str, samples: u64) -> Option<Design> {
        match name {
            "grid" => Some(Design::Grid),
            "random" => Some(Design::Random { samples }),
            "lhs" => Some(Design::LatinHypercube { samples }),
            "sobol" => Some(Design::Sobol {
                samples,
                second_order: false,
            }),
            "morris" => Some(Design::Morris {
                trajectories: samples,
                levels: DEFAULT_MORRIS_LEVELS,
                candidates: samples,
            }),
            _ => None,
        }
    }

    /// `samples` of a sampled design (a Morris design's trajectories); `None` for a
    /// grid.
    pub fn samples(&self) -> Option<u64> {
        match *self {
            Design::Grid => None,
            Design::Random { samples }
            | Design::LatinHypercube { samples }
            | Design::Sobol { samples, .. }
            | Design::Morris {
                trajectories: samples,
                ..
            } => Some(samples),
        }
    }
}

impl fmt::Display for Design {
    /// `grid`, `lhs (64 samples)`, `sobol (32 samples, second order)`,
    /// `morris (10 trajectories, 4 levels)`, `morris (10 trajectories of 100
    /// candidates, 4 levels)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Design::Grid => f.write_str(self.name()),
            Design::Sobol {
                samples,
                second_order: true,
            } => write!(f, "sobol ({samples} samples, second order)"),
            Design::Morris {
                trajectories,
                levels,
                candidates,
            } if candidates != trajectories => write!(
                f,
                "morris ({trajectories} trajectories of {candidates} candidates, {levels} levels)"
            ),
            Design::Morris {
                trajectories,
                levels,
                ..
            } => write!(f, "morris ({trajectories} trajectories, {levels} levels)"),
            Design::Random { samples }
            | Design::LatinHypercube { samples }
            | Design::Sobol { samples, .. } => write!(f, "{} ({samples} samples)", self.name()),
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
    #[error(
        "`levels`: expected an even number of levels, at least 2 and at most {MAX_MORRIS_LEVELS}, found {levels}"
    )]
    MorrisLevels { levels: u32 },
    #[error(
        "`candidates`: expected at least `samples` ({trajectories}) trajectories to choose from, found {candidates}"
    )]
    TooFewCandidates { candidates: u64, trajectories: u64 },
    #[error(
        "`candidates`: choosing trajectories by their spread needs `samples` of at least 2, found {trajectories}"
    )]
    CandidatesForOneTrajectory { trajectories: u64 },
    #[error(
        "`candidates`: expected at most {MAX_MORRIS_CANDIDATES} trajectories, found {candidates}"
    )]
    TooManyCandidates { candidates: u64 },
    #[error(
        "`candidates`: choosing among {candidates} trajectories of {points} points would compute {distances} distances between points; at most {MAX_SPREAD_DISTANCES} are allowed"
    )]
    SpreadTooCostly {
        candidates: u64,
        /// Points per trajectory, `k + 1`.
        points: u64,
        distances: u128,
    },
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
/// `seed` drives the random, Latin hypercube and Morris designs; grids and Sobol
/// designs do not depend on it.
///
/// # Errors
/// [`DesignError`] when a factor's levels do not suit the design or the parameter
/// (see [`check_factor`]), when there are no factors, when a Sobol design has more
/// than [`MAX_SOBOL_FACTORS`] factors, when a Morris design's `levels` or
/// `candidates` do not fit (odd levels; fewer candidates than trajectories, or more
/// than [`MAX_MORRIS_CANDIDATES`], or too many distances to compare them), or when
/// the design would make more than [`MAX_POINTS`] points.
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
        Design::Sobol {
            samples,
            second_order,
        } => sampled::saltelli(factors, samples, second_order),
        Design::Morris {
            trajectories,
            levels,
            candidates,
        } => sampled::morris(factors, trajectories, levels, candidates, seed),
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
        Design::Sobol {
            samples,
            second_order,
        } => {
            if factors.len() > MAX_SOBOL_FACTORS {
                return Err(DesignError::TooManySobolFactors {
                    factors: factors.len(),
                });
            }
            let k = factors.len() as u128;
            if second_order {
                (
                    u128::from(samples) * (2 * k + 2),
                    format!(" ({samples} samples x (2 x {k} parameters + 2))"),
                )
            } else {
                (
                    u128::from(samples) * (k + 2),
                    format!(" ({samples} samples x ({k} parameters + 2))"),
                )
            }
        }
        Design::Morris {
            trajectories,
            levels,
            candidates,
        } => {
            check_morris(trajectories, levels, candidates, factors.len())?;
            let k = factors.len() as u128;
            (
                u128::from(trajectories) * (k + 1),
                format!(" ({trajectories} trajectories x ({k} parameters + 1))"),
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

/// A Morris design's `levels` and `candidates` (its `trajectories` are checked as
/// every design's `samples`).
fn check_morris(
    trajectories: u64,
    levels: u32,
    candidates: u64,
    k: usize,
) -> Result<(), DesignError> {
    if levels < 2 || !levels.is_multiple_of(2) || levels > MAX_MORRIS_LEVELS {
        return Err(DesignError::MorrisLevels { levels });
    }
    if trajectories == 0 || candidates == trajectories {
        return Ok(());
    }
    if candidates < trajectories {
        return Err(DesignError::TooFewCandidates {
            candidates,
            trajectories,
        });
    }
    if trajectories < 2 {
        return Err(DesignError::CandidatesForOneTrajectory { trajectories });
    }
    if candidates > MAX_MORRIS_CANDIDATES {
        return Err(DesignError::TooManyCandidates { candidates });
    }
    let points = k as u64 + 1;
    let m = u128::from(candidates);
    let distances = m * (m - 1) / 2 * u128::from(points) * u128::from(points);
    if distances > MAX_SPREAD_DISTANCES {
        return Err(DesignError::SpreadTooCostly {
            candidates,
            points,
            distances,
        });
    }
    Ok(())
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

    /// A first-order Sobol design of `samples` base rows.
    fn sobol(samples: u64) -> Design {
        Design::Sobol {
            samples,
            second_order: false,
        }
    }

    /// A Morris design.
    fn morris(trajectories: u64, levels: u32, candidates: u64) -> Design {
        Design::Morris {
            trajectories,
            levels,
            candidates,
        }
    }

    /// The rows as reals.
    fn reals_of(rows: &[Vec<ParamValue>]) -> Vec<Vec<f64>> {
        rows.iter()
            .map(|r| r.iter().map(|&v| real(v)).collect())
            .collect()
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
        for design in [Design::Grid, sobol(8)] {
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
            let rows = points(&sobol(n), &factors, 0).unwrap();
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
    fn second_order_saltelli_rows_follow_salib_order() {
        for k in [1, 2, 5] {
            let factors = unit_factors(k);
            let n = 16u64;
            let design = Design::Sobol {
                samples: n,
                second_order: true,
            };
            let rows = points(&design, &factors, 0).unwrap();
            assert_eq!(rows.len() as u64, n * (2 * k as u64 + 2));
            assert_eq!(point_count(&design, &factors), Ok(n * (2 * k as u64 + 2)));
            let base: Vec<Vec<f64>> = SobolSequence::new(2 * k)
                .unwrap()
                .skip(1)
                .take(n as usize)
                .collect();
            for (j, block) in reals_of(&rows).chunks(2 * k + 2).enumerate() {
                let (a, b) = base[j].split_at(k);
                assert_eq!(block[0], a, "A_{j}");
                assert_eq!(block[2 * k + 1], b, "B_{j}");
                for i in 0..k {
                    for c in 0..k {
                        let ab = if c == i { b[c] } else { a[c] };
                        let ba = if c == i { a[c] } else { b[c] };
                        assert_eq!(block[1 + i][c], ab, "AB_{j}^({}) column {c}", i + 1);
                        assert_eq!(block[1 + k + i][c], ba, "BA_{j}^({}) column {c}", i + 1);
                    }
                }
            }
            // The first-order design is the same rows without the BA block.
            let first = reals_of(&points(&sobol(n), &factors, 0).unwrap());
            let without_ba: Vec<Vec<f64>> = reals_of(&rows)
                .chunks(2 * k + 2)
                .flat_map(|b| b[..=k].iter().chain(&b[2 * k + 1..]).cloned())
                .collect();
            assert_eq!(without_ba, first);
        }
    }

    #[test]
    fn morris_rows_are_trajectories_scaled_to_the_factors() {
        let factors = [
            factor("police.officers_per_10k", bounds(8.0, 14.0)),
            factor("channels.count", bounds(2.0, 5.0)),
            factor("liability.clarity", reals(&[0.1, 0.5])),
        ];
        let design = morris(12, 4, 12);
        let rows = points(&design, &factors, 9).unwrap();
        assert_eq!(point_count(&design, &factors), Ok(12 * 4));
        let unit = morris_unit_rows(3, 12, 4, 12, 9).unwrap();
        assert_eq!(rows.len(), unit.len());
        for (row, u) in rows.iter().zip(&unit) {
            // Reals scale, the top of the grid is the top of the bounds.
            assert_eq!(row[0], ParamValue::Real(8.0 + u[0] * 6.0));
            // Integers: the four levels 0, 1/3, 2/3, 1 of 2..=5 are 2, 3, 4, 5.
            assert_eq!(row[1], ParamValue::Int(2 + (u[1] * 3.0).round() as i64));
            // A list of two: the lower half of the grid takes the first value.
            let want = if u[2] < 0.5 { 0.1 } else { 0.5 };
            assert_eq!(row[2], ParamValue::Real(want));
        }
        // Every step changes exactly one factor's value.
        for t in rows.chunks(4) {
            for pair in t.windows(2) {
                let changed = (0..3).filter(|&i| pair[0][i] != pair[1][i]).count();
                assert_eq!(changed, 1, "{pair:?}");
            }
        }
        assert_eq!(points(&design, &factors, 9), points(&design, &factors, 9));
        assert_ne!(points(&design, &factors, 9), points(&design, &factors, 10));
        // With candidates, the seed's own trajectories are chosen among.
        let chosen = points(&morris(12, 4, 60), &factors, 9).unwrap();
        assert_eq!(chosen.len(), 48);
        assert_ne!(chosen, rows);
    }

    #[test]
    fn the_first_saltelli_rows_are_the_known_sobol_points() {
        // k = 2 uses dimensions 1..4: base point 1 is (0.5, 0.5 | 0.5, 0.5), base
        // point 2 is (0.75, 0.25 | 0.25, 0.25).
        let rows = points(&sobol(2), &unit_factors(2), 0).unwrap();
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
            sobol(4),
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
        refused(
            morris(0, 4, 0),
            &unit_factors(1),
            &["`samples` must be at least 1"],
        );
        refused(
            morris(4, 4, 4),
            &clarity(range(0.0, 1.0, 3)),
            &["`steps` is for grids; a morris design draws values between `min` and `max`"],
        );
        for levels in [0, 1, 3, 5, MAX_MORRIS_LEVELS + 2] {
            refused(
                morris(4, levels, 4),
                &unit_factors(2),
                &[&format!(
                    "`levels`: expected an even number of levels, at least 2 and at most 1000, found {levels}"
                )],
            );
        }
        refused(
            morris(10, 4, 5),
            &unit_factors(2),
            &[
                "`candidates`: expected at least `samples` (10) trajectories to choose from, found 5",
            ],
        );
        refused(
            morris(1, 4, 5),
            &unit_factors(2),
            &[
                "`candidates`: choosing trajectories by their spread needs `samples` of at least 2, found 1",
            ],
        );
        refused(
            morris(10, 4, 1001),
            &unit_factors(2),
            &["`candidates`: expected at most 1000 trajectories, found 1001"],
        );
        let twenty: Vec<Factor> = crate::model::co_governance::params::PARAM_DEFS
            .iter()
            .filter(|d| d.ty == ParamType::Real)
            .take(20)
            .map(|d| factor(d.path, bounds(d.min, d.max)))
            .collect();
        refused(
            morris(10, 4, 1000),
            &twenty,
            &[
                "`candidates`: choosing among 1000 trajectories of 21 points would compute 220279500 distances between points; at most 100000000 are allowed",
            ],
        );
        assert_eq!(point_count(&morris(10, 4, 1000), &unit_factors(6)), Ok(70));
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
            sobol(2_000_000),
            &unit_factors(4),
            &["the sobol design would make 12000000 points (2000000 samples x (4 parameters + 2))"],
        );
        refused(
            Design::Sobol {
                samples: 1_000_001,
                second_order: true,
            },
            &unit_factors(4),
            &[
                "the sobol design would make 10000010 points (1000001 samples x (2 x 4 parameters + 2))",
            ],
        );
        refused(
            morris(3_000_000, 4, 3_000_000),
            &unit_factors(3),
            &[
                "the morris design would make 12000000 points (3000000 trajectories x (3 parameters + 1))",
            ],
        );
        assert_eq!(
            point_count(&morris(2_500_000, 4, 2_500_000), &unit_factors(3)),
            Ok(MAX_POINTS)
        );
        // Choosing among candidates costs distances, not points.
        assert_eq!(point_count(&morris(10, 6, 300), &unit_factors(6)), Ok(70));
        let many: Vec<Factor> = crate::model::co_governance::params::PARAM_DEFS
            .iter()
            .filter(|d| d.ty == ParamType::Real)
            .take(MAX_SOBOL_FACTORS + 1)
            .map(|d| factor(d.path, bounds(d.min, d.max)))
            .collect();
        refused(
            sobol(4),
            &many,
            &["a sobol design takes at most 32 parameters", "found 33"],
        );
        assert_eq!(
            point_count(&sobol(4), &many[..MAX_SOBOL_FACTORS]),
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
        assert_eq!(sobol(8).to_string(), "sobol (8 samples)");
        assert_eq!(
            Design::Sobol {
                samples: 8,
                second_order: true
            }
            .to_string(),
            "sobol (8 samples, second order)"
        );
        assert_eq!(
            Design::from_name("morris", 10),
            Some(morris(10, DEFAULT_MORRIS_LEVELS, 10))
        );
        assert_eq!(Design::from_name("morris", 10).unwrap().samples(), Some(10));
        assert_eq!(
            morris(10, 4, 10).to_string(),
            "morris (10 trajectories, 4 levels)"
        );
        assert_eq!(
            morris(10, 6, 200).to_string(),
            "morris (10 trajectories of 200 candidates, 6 levels)"
        );
    }
}
