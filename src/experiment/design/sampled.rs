//! The sampled designs' rows: random (simple Monte Carlo), Latin hypercube, the
//! Saltelli layout over a Sobol sequence and Morris's trajectories, each drawing unit
//! coordinates and scaling them to the factors' values. The streams and layouts are
//! documented in `mod.rs`; the Sobol sequence itself is in `sobol.rs`, Morris's
//! trajectories in `morris.rs`.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use super::{DesignError, Factor, Levels, SobolSequence, morris_unit_rows};
use crate::schema::{ParamType, ParamValue};

/// The value of a sampled design's coordinate `u` in `[0, 1]` for this factor,
/// checked against the parameter (`u = 1`, which only Morris's grid reaches, gives
/// the top value).
pub(super) fn value_at(factor: &Factor, u: f64) -> Result<ParamValue, DesignError> {
    let value = match &factor.levels {
        Levels::List(values) => {
            let i = ((u * values.len() as f64) as usize).min(values.len() - 1);
            values[i]
        }
        Levels::Bounds { min, max } | Levels::Range { min, max, .. } => match factor.def.ty {
            ParamType::Int => {
                let x = (min + u * (max - min + 1.0)).floor().min(*max);
                ParamValue::Int(x as i64)
            }
            ParamType::Real => ParamValue::Real(min + u * (max - min)),
            ParamType::Bool => ParamValue::Bool(u >= 0.5),
            // check_ends refuses bounds on a choice, so a choice only has a list.
            ParamType::Choice(options) => ParamValue::Choice(options[0]),
        },
    };
    factor.def.check(value).map_err(|error| DesignError::Value {
        path: factor.path.clone(),
        error,
    })
}

/// Turns rows of unit coordinates into rows of values.
fn scale(factors: &[Factor], unit: Vec<Vec<f64>>) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    unit.into_iter()
        .map(|row| {
            row.iter()
                .zip(factors)
                .map(|(&u, factor)| value_at(factor, u))
                .collect()
        })
        .collect()
}

/// Simple Monte Carlo: every coordinate uniform, row by row, column by column.
pub(super) fn random(
    factors: &[Factor],
    samples: u64,
    seed: u64,
) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let unit: Vec<Vec<f64>> = (0..samples)
        .map(|_| factors.iter().map(|_| rng.random::<f64>()).collect())
        .collect();
    scale(factors, unit)
}

/// A Latin hypercube: per factor a permutation of the strata, then the positions.
pub(super) fn latin_hypercube(
    factors: &[Factor],
    samples: u64,
    seed: u64,
) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    let n = samples as usize;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut unit = vec![Vec::with_capacity(factors.len()); n];
    let mut perm: Vec<usize> = Vec::with_capacity(n);
    for _ in factors {
        perm.clear();
        perm.extend(0..n);
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            perm.swap(i, j);
        }
        for (row, &stratum) in unit.iter_mut().zip(&perm) {
            let position = rng.random::<f64>();
            row.push((stratum as f64 + position) / n as f64);
        }
    }
    scale(factors, unit)
}

/// Saltelli's layout over a Sobol sequence of twice the factors' dimensions.
pub(super) fn saltelli(
    factors: &[Factor],
    samples: u64,
    second_order: bool,
) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    let k = factors.len();
    let unit = saltelli_unit_rows(k, samples, second_order)
        .ok_or(DesignError::TooManySobolFactors { factors: k })?;
    scale(factors, unit)
}

/// The unit coordinates of Saltelli's layout for `k` factors and `samples` base
/// rows, in SALib's order: for each base row `A_j`, `AB_j^(1)`, ..., `AB_j^(k)`,
/// then with `second_order` `BA_j^(1)`, ..., `BA_j^(k)`, then `B_j` (see the module
/// documentation); `None` when `2k` dimensions are more than the embedded direction
/// numbers have.
///
/// # Examples
/// ```
/// use cogov::experiment::design::saltelli_unit_rows;
/// let first = saltelli_unit_rows(3, 4, false).unwrap();
/// let second = saltelli_unit_rows(3, 4, true).unwrap();
/// assert_eq!((first.len(), second.len()), (4 * (3 + 2), 4 * (2 * 3 + 2)));
/// ```
pub fn saltelli_unit_rows(k: usize, samples: u64, second_order: bool) -> Option<Vec<Vec<f64>>> {
    let sequence = SobolSequence::new(2 * k)?;
    let width = if second_order { 2 * k + 2 } else { k + 2 };
    let mut unit = Vec::with_capacity(samples as usize * width);
    for base in sequence.skip(1).take(samples as usize) {
        let (a, b) = base.split_at(k);
        unit.push(a.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            unit.push(ab);
        }
        if second_order {
            for i in 0..k {
                let mut ba = b.to_vec();
                ba[i] = a[i];
                unit.push(ba);
            }
        }
        unit.push(b.to_vec());
    }
    Some(unit)
}

/// Morris's trajectories, chosen among `candidates` when there are more.
pub(super) fn morris(
    factors: &[Factor],
    trajectories: u64,
    levels: u32,
    candidates: u64,
    seed: u64,
) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    // `point_count` has checked `levels` and `candidates`.
    let unit = morris_unit_rows(factors.len(), trajectories, levels, candidates, seed)
        .ok_or(DesignError::MorrisLevels { levels })?;
    scale(factors, unit)
}
