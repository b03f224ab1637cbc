//! The grid (full factorial) design's rows: each factor's levels, a list as given or
//! a range of equally spaced values including both ends, combined with the last
//! factor varying fastest. Which designs exist and their checks belong to
//! `mod.rs`.

use super::{DesignError, Factor, Levels};
use crate::schema::{ParamType, ParamValue};

/// A checked factor's grid levels, each checked against the parameter.
fn grid_levels(factor: &Factor) -> Result<Vec<ParamValue>, DesignError> {
    let check = |value: ParamValue| {
        factor.def.check(value).map_err(|error| DesignError::Value {
            path: factor.path.clone(),
            error,
        })
    };
    match &factor.levels {
        Levels::List(values) => values.iter().map(|&v| check(v)).collect(),
        Levels::Range { min, max, steps } => {
            let (min, max, steps) = (*min, *max, *steps);
            let last = steps - 1;
            let at = |i: u32| {
                if i == last {
                    max
                } else {
                    min + (max - min) * f64::from(i) / f64::from(last)
                }
            };
            let mut out: Vec<ParamValue> = Vec::with_capacity(steps as usize);
            for i in 0..steps {
                let value = match factor.def.ty {
                    ParamType::Int => ParamValue::Int(at(i).round() as i64),
                    _ => ParamValue::Real(at(i)),
                };
                if factor.def.ty == ParamType::Int && out.last() == Some(&value) {
                    return Err(DesignError::StepsRepeatIntegers {
                        path: factor.path.clone(),
                        steps,
                        min: min as i64,
                        max: max as i64,
                        most: (max - min) as u64 + 1,
                    });
                }
                out.push(check(value)?);
            }
            Ok(out)
        }
        Levels::Bounds { .. } => Err(DesignError::BoundsInGrid {
            path: factor.path.clone(),
        }),
    }
}

/// Full factorial: the last factor varies fastest.
pub(super) fn grid(factors: &[Factor]) -> Result<Vec<Vec<ParamValue>>, DesignError> {
    let levels: Vec<Vec<ParamValue>> = factors.iter().map(grid_levels).collect::<Result<_, _>>()?;
    let total: usize = levels.iter().map(Vec::len).product();
    let mut rows = Vec::with_capacity(total);
    // A mixed-radix counter over the level indices, last digit fastest.
    let mut index = vec![0usize; levels.len()];
    for _ in 0..total {
        rows.push(
            index
                .iter()
                .zip(&levels)
                .map(|(&i, values)| values[i])
                .collect(),
        );
        for digit in (0..index.len()).rev() {
            index[digit] += 1;
            if index[digit] < levels[digit].len() {
                break;
            }
            index[digit] = 0;
        }
    }
    Ok(rows)
}
