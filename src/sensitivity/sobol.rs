//! First-order and total Sobol indices from the outputs of a Saltelli design.
//!
//! The outputs are in the design's order (`experiment::design`, as SALib's
//! `sobol.sample(..., calc_second_order=False)`): for each of `N` base rows, `k + 2`
//! values `f(A_j)`, `f(AB_j^(1))`, ..., `f(AB_j^(k))`, `f(B_j)`. As SALib's
//! `sobol.analyze` does, the outputs are first standardised (mean 0, population
//! standard deviation 1), and with `V` the population variance of the `2N` values of
//! `f(A)` and `f(B)`:
//!
//! - first order (Saltelli et al. 2010, Comput Phys Commun 181:259, table 2 (b)):
//!   `S1_i = mean_j(f(B_j) (f(AB_j^(i)) - f(A_j))) / V`;
//! - total (Jansen 1999, Comput Phys Commun 117:35; Saltelli et al. 2010 table 2 (f)):
//!   `ST_i = mean_j((f(A_j) - f(AB_j^(i)))^2) / 2V`.
//!
//! The 95% intervals are SALib's: the estimate recomputed on `resamples` bootstrap
//! resamples of the base rows (Efron and Tibshirani 1993), and the interval the
//! estimate ± 1.96 times their standard deviation (`ddof = 1`).

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The indices of one factor, with their 95% bootstrap intervals as half-widths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndices {
    pub s1: f64,
    pub s1_conf: f64,
    pub st: f64,
    pub st_conf: f64,
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The indices of each of `k` factors from `outputs` (`N (k + 2)` values in the
/// design's order), with `resamples` bootstrap resamples drawn from `seed`. `None`
/// when the outputs are not `N (k + 2)` finite values with `N >= 2`, or all equal.
pub fn sobol_indices(
    outputs: &[f64],
    k: usize,
    resamples: usize,
    seed: u64,
) -> Option<Vec<SobolIndices>> {
    let width = k + 2;
    if k == 0 || !outputs.len().is_multiple_of(width) || outputs.iter().any(|y| !y.is_finite()) {
        return None;
    }
    let n = outputs.len() / width;
    if n < 2 {
        return None;
    }
    let count = outputs.len() as f64;
    let mean = outputs.iter().sum::<f64>() / count;
    let sd = (outputs.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / count).sqrt();
    if sd == 0.0 {
        return None;
    }
    let y: Vec<f64> = outputs.iter().map(|v| (v - mean) / sd).collect();
    let a = |j: usize| y[j * width];
    let b = |j: usize| y[j * width + width - 1];
    let ab = |j: usize, i: usize| y[j * width + 1 + i];
    // The estimates on a list of base rows (all of them, or a resample).
    let estimate = |rows: &[usize], i: usize| -> (f64, f64) {
        let m = rows.len() as f64;
        let both: Vec<f64> = rows.iter().flat_map(|&j| [a(j), b(j)]).collect();
        let mu = both.iter().sum::<f64>() / both.len() as f64;
        let v = both.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / both.len() as f64;
        let s1 = rows.iter().map(|&j| b(j) * (ab(j, i) - a(j))).sum::<f64>() / m / v;
        let st = rows.iter().map(|&j| (a(j) - ab(j, i)).powi(2)).sum::<f64>() / m / (2.0 * v);
        (s1, st)
    };
    let all: Vec<usize> = (0..n).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let samples: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    let spread = |values: &[f64]| -> f64 {
        if values.len() < 2 {
            return f64::NAN;
        }
        let m = values.iter().sum::<f64>() / values.len() as f64;
        (values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
    };
    Some(
        (0..k)
            .map(|i| {
                let (s1, st) = estimate(&all, i);
                let boot: Vec<(f64, f64)> = samples.iter().map(|r| estimate(r, i)).collect();
                let s1s: Vec<f64> = boot.iter().map(|p| p.0).collect();
                let sts: Vec<f64> = boot.iter().map(|p| p.1).collect();
                SobolIndices {
                    s1,
                    s1_conf: Z95 * spread(&s1s),
                    st,
                    st_conf: Z95 * spread(&sts),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::saltelli_unit_rows;
    use std::f64::consts::PI;

    /// The Sobol design's unit rows for `k` factors and `n` base rows, SALib's order.
    fn saltelli(k: usize, n: u64) -> Vec<Vec<f64>> {
        saltelli_unit_rows(k, n).unwrap()
    }

    fn check(name: &str, got: f64, conf: f64, expected: f64) {
        // Within the bootstrap interval, widened by half for the estimator's own bias
        // at this size, and never looser than 0.03.
        let tolerance = (1.5 * conf).min(0.03);
        assert!(
            (got - expected).abs() <= tolerance.max(0.005),
            "{name}: {got} ± {conf}, expected {expected}"
        );
    }

    #[test]
    fn ishigami_indices_match_their_analytic_values() {
        // Ishigami and Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3; the analytic
        // variances from Sobol' and Levitan (1999).
        let (a, b) = (7.0, 0.1);
        let y: Vec<f64> = saltelli(3, 8192)
            .iter()
            .map(|u| {
                let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
                x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
            })
            .collect();
        let pi4 = PI.powi(4);
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
        let v = v1 + v2 + v13;
        let got = sobol_indices(&y, 3, 200, 1).unwrap();
        let expected = [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)];
        for (i, (g, (s1, st))) in got.iter().zip(expected).enumerate() {
            check(&format!("S1_{}", i + 1), g.s1, g.s1_conf, s1);
            check(&format!("ST_{}", i + 1), g.st, g.st_conf, st);
        }
    }

    #[test]
    fn g_function_indices_match_their_analytic_values() {
        // Sobol's G function, g = prod (|4x - 2| + a_i) / (1 + a_i): V_i = 1/(3 (1 + a_i)^2),
        // V = prod (1 + V_i) - 1, ST_i = V_i prod_{j != i} (1 + V_j) / V.
        let coefficients = [0.0, 1.0, 4.5, 9.0, 99.0];
        let k = coefficients.len();
        let y: Vec<f64> = saltelli(k, 8192)
            .iter()
            .map(|u| {
                u.iter()
                    .zip(&coefficients)
                    .map(|(x, c)| ((4.0 * x - 2.0).abs() + c) / (1.0 + c))
                    .product()
            })
            .collect();
        let vi: Vec<f64> = coefficients
            .iter()
            .map(|c| 1.0 / (3.0 * (1.0 + c) * (1.0 + c)))
            .collect();
        let v = vi.iter().map(|x| 1.0 + x).product::<f64>() - 1.0;
        let got = sobol_indices(&y, k, 200, 2).unwrap();
        for i in 0..k {
            let others: f64 = (0..k).filter(|&j| j != i).map(|j| 1.0 + vi[j]).product();
            check(&format!("S1_{i}"), got[i].s1, got[i].s1_conf, vi[i] / v);
            check(
                &format!("ST_{i}"),
                got[i].st,
                got[i].st_conf,
                vi[i] * others / v,
            );
        }
    }

    #[test]
    fn outputs_of_the_wrong_shape_or_constant_have_no_indices() {
        assert!(
            sobol_indices(&[1.0; 9], 2, 10, 0).is_none(),
            "not N (k + 2)"
        );
        assert!(sobol_indices(&[1.0; 8], 2, 10, 0).is_none(), "constant");
        assert!(sobol_indices(&[1.0, 2.0, 3.0, f64::NAN, 1.0, 2.0, 3.0, 4.0], 2, 10, 0).is_none());
        assert!(
            sobol_indices(&[1.0, 2.0, 3.0, 4.0], 2, 10, 0).is_none(),
            "one base row"
        );
    }
}
