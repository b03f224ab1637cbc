//! First-order, total and second-order Sobol indices from the outputs of a Saltelli
//! design.
//!
//! The outputs are in the design's order (`experiment::design`, as SALib's
//! `sobol.sample`): for each of `N` base rows, `f(A_j)`, `f(AB_j^(1))`, ...,
//! `f(AB_j^(k))`, then, when the design has second-order rows, `f(BA_j^(1))`, ...,
//! `f(BA_j^(k))`, and last `f(B_j)`: `k + 2` values a base row, or `2k + 2`. As
//! SALib's `sobol.analyze` does, the outputs are first standardised (mean 0,
//! population standard deviation 1), and with `V` the population variance of the `2N`
//! values of `f(A)` and `f(B)`:
//!
//! - first order (Saltelli et al. 2010, Comput Phys Commun 181:259, table 2 (b)):
//!   `S1_i = mean_j(f(B_j) (f(AB_j^(i)) - f(A_j))) / V`;
//! - total (Jansen 1999, Comput Phys Commun 117:35; Saltelli et al. 2010 table 2 (f)):
//!   `ST_i = mean_j((f(A_j) - f(AB_j^(i)))^2) / 2V`;
//! - second order (Saltelli 2002, Comput Phys Commun 145:280, as SALib computes it):
//!   `V_il = mean_j(f(BA_j^(i)) f(AB_j^(l)) - f(A_j) f(B_j)) / V` and
//!   `S2_il = V_il - S1_i - S1_l`, for `i < l`.
//!
//! The 95% intervals are SALib's: every estimate recomputed on `resamples` bootstrap
//! resamples of the base rows (Efron and Tibshirani 1993, An Introduction to the
//! Bootstrap, Chapman & Hall), the same resamples for every index, and the interval
//! the estimate ± 1.96 times their standard deviation (`ddof = 1`). Where `f(A)` and
//! `f(B)` do not vary (their variance at most `f64::EPSILON` after standardising)
//! every index is 0, as SALib's guard makes it, on the whole sample and on a
//! resample alike. Resample `b` is
//! `N` draws of `random_range(0..N)` from `Xoshiro256PlusPlus::seed_from_u64(seed)`,
//! resample after resample.

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

/// The second-order index of factors `i < l`, with its interval's half-width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairIndex {
    pub i: usize,
    pub l: usize,
    pub s2: f64,
    pub s2_conf: f64,
}

/// Every index a Saltelli design's outputs give.
#[derive(Debug, Clone, PartialEq)]
pub struct Sobol {
    /// S1 and ST of each factor, in factor order.
    pub factors: Vec<SobolIndices>,
    /// S2 of each pair `i < l` in order (0,1), (0,2), ..., (1,2), ...; empty when the
    /// design has no second-order rows.
    pub pairs: Vec<PairIndex>,
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The indices of each of `k` factors from `outputs` (`N (k + 2)` values in the
/// design's order, or `N (2k + 2)` with `second_order`), with `resamples` bootstrap
/// resamples drawn from `seed`. `None` when the outputs are not of that shape with
/// `N >= 2`, hold a value that is not finite, or are all equal.
pub fn sobol_indices(
    outputs: &[f64],
    k: usize,
    second_order: bool,
    resamples: usize,
    seed: u64,
) -> Option<Sobol> {
    let width = if second_order { 2 * k + 2 } else { k + 2 };
    if k == 0 || !outputs.len().is_multiple_of(width) || outputs.iter().any(|y| !y.is_finite()) {
        return None;
    }
    let n = outputs.len() / width;
    if n < 2 {
        return None;
    }
    // All equal: a rounding error in the mean must not pass for variance.
    if outputs.iter().all(|y| *y == outputs[0]) {
        return None;
    }
    let count = outputs.len() as f64;
    let mean = outputs.iter().sum::<f64>() / count;
    let sd = (outputs.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / count).sqrt();
    let y: Vec<f64> = outputs.iter().map(|v| (v - mean) / sd).collect();
    let blocks = Blocks { y: &y, k, width };
    let pairs: Vec<(usize, usize)> = if second_order {
        (0..k)
            .flat_map(|i| (i + 1..k).map(move |l| (i, l)))
            .collect()
    } else {
        Vec::new()
    };
    let all: Vec<usize> = (0..n).collect();
    let point = blocks.estimate(&all, &pairs);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut rows = vec![0usize; n];
    let mut boot: Vec<Estimate> = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for row in rows.iter_mut() {
            *row = rng.random_range(0..n);
        }
        boot.push(blocks.estimate(&rows, &pairs));
    }
    let conf = |pick: &dyn Fn(&Estimate) -> f64| -> f64 {
        let values: Vec<f64> = boot.iter().map(pick).collect();
        Z95 * sample_sd(&values)
    };
    Some(Sobol {
        factors: (0..k)
            .map(|i| SobolIndices {
                s1: point.s1[i],
                s1_conf: conf(&|e| e.s1[i]),
                st: point.st[i],
                st_conf: conf(&|e| e.st[i]),
            })
            .collect(),
        pairs: pairs
            .iter()
            .enumerate()
            .map(|(p, &(i, l))| PairIndex {
                i,
                l,
                s2: point.s2[p],
                s2_conf: conf(&|e| e.s2[p]),
            })
            .collect(),
    })
}

/// The standardised outputs, read by base row.
struct Blocks<'a> {
    y: &'a [f64],
    k: usize,
    width: usize,
}

/// The indices on one list of base rows.
struct Estimate {
    s1: Vec<f64>,
    st: Vec<f64>,
    s2: Vec<f64>,
}

impl Blocks<'_> {
    fn a(&self, j: usize) -> f64 {
        self.y[j * self.width]
    }
    fn b(&self, j: usize) -> f64 {
        self.y[j * self.width + self.width - 1]
    }
    fn ab(&self, j: usize, i: usize) -> f64 {
        self.y[j * self.width + 1 + i]
    }
    fn ba(&self, j: usize, i: usize) -> f64 {
        self.y[j * self.width + 1 + self.k + i]
    }

    /// The estimates on base rows `rows` (all of them, or a bootstrap resample); all 0
    /// when `f(A)` and `f(B)` do not vary on them, as SALib's guard does.
    fn estimate(&self, rows: &[usize], pairs: &[(usize, usize)]) -> Estimate {
        let m = rows.len() as f64;
        let mu = rows.iter().map(|&j| self.a(j) + self.b(j)).sum::<f64>() / (2.0 * m);
        let v = rows
            .iter()
            .map(|&j| (self.a(j) - mu).powi(2) + (self.b(j) - mu).powi(2))
            .sum::<f64>()
            / (2.0 * m);
        if v <= f64::EPSILON {
            return Estimate {
                s1: vec![0.0; self.k],
                st: vec![0.0; self.k],
                s2: vec![0.0; pairs.len()],
            };
        }
        let s1: Vec<f64> = (0..self.k)
            .map(|i| {
                rows.iter()
                    .map(|&j| self.b(j) * (self.ab(j, i) - self.a(j)))
                    .sum::<f64>()
                    / m
                    / v
            })
            .collect();
        let st = (0..self.k)
            .map(|i| {
                rows.iter()
                    .map(|&j| (self.a(j) - self.ab(j, i)).powi(2))
                    .sum::<f64>()
                    / m
                    / (2.0 * v)
            })
            .collect();
        let s2 = pairs
            .iter()
            .map(|&(i, l)| {
                let vil = rows
                    .iter()
                    .map(|&j| self.ba(j, i) * self.ab(j, l) - self.a(j) * self.b(j))
                    .sum::<f64>()
                    / m
                    / v;
                vil - s1[i] - s1[l]
            })
            .collect();
        Estimate { s1, st, s2 }
    }
}

/// The sample standard deviation (`ddof = 1`); NaN for fewer than two values.
fn sample_sd(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    let m = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::saltelli_unit_rows;
    use std::f64::consts::PI;

    /// The Sobol design's unit rows for `k` factors and `n` base rows, SALib's order.
    fn saltelli(k: usize, n: u64) -> Vec<Vec<f64>> {
        saltelli_unit_rows(k, n, false).unwrap()
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

    /// Ishigami and Homma's (1990) function with a = 7, b = 0.1 of unit coordinates
    /// scaled to [-pi, pi]^3.
    fn ishigami(u: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Its partial variances V1, V2, V13 and total V (Sobol' and Levitan 1999):
    /// V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225.
    const ISHIGAMI_VARIANCES: (f64, f64, f64, f64) = {
        let pi4 = PI * PI * PI * PI;
        let v1 = 0.5 * (1.0 + 0.1 * pi4 / 5.0) * (1.0 + 0.1 * pi4 / 5.0);
        let v2 = 49.0 / 8.0;
        let v13 = 8.0 * 0.01 * pi4 * pi4 / 225.0;
        (v1, v2, v13, v1 + v2 + v13)
    };

    #[test]
    fn ishigami_indices_match_their_analytic_values() {
        let y: Vec<f64> = saltelli(3, 8192).iter().map(|u| ishigami(u)).collect();
        let (v1, v2, v13, v) = ISHIGAMI_VARIANCES;
        let got = sobol_indices(&y, 3, false, 200, 1).unwrap().factors;
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
        let got = sobol_indices(&y, k, false, 200, 2).unwrap().factors;
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
    fn ishigami_second_order_indices_match_their_analytic_values() {
        // Only x1 and x3 interact: S13 = V13 / V, S12 = S23 = 0.
        let rows = saltelli_unit_rows(3, 8192, true).unwrap();
        let y: Vec<f64> = rows.iter().map(|u| ishigami(u)).collect();
        let (v1, _, v13, v) = ISHIGAMI_VARIANCES;
        let got = sobol_indices(&y, 3, true, 200, 3).unwrap();
        let first = sobol_indices(&y, 3, true, 200, 3).unwrap().factors;
        assert_eq!(got.factors, first, "deterministic per seed");
        check("S1_1", got.factors[0].s1, got.factors[0].s1_conf, v1 / v);
        check("ST_3", got.factors[2].st, got.factors[2].st_conf, v13 / v);
        let pairs: Vec<(usize, usize)> = got.pairs.iter().map(|p| (p.i, p.l)).collect();
        assert_eq!(pairs, [(0, 1), (0, 2), (1, 2)]);
        for (pair, expected) in got.pairs.iter().zip([0.0, v13 / v, 0.0]) {
            check(
                &format!("S2_{}{}", pair.i + 1, pair.l + 1),
                pair.s2,
                pair.s2_conf,
                expected,
            );
        }
        // The first-order layout of the same design is not this one.
        assert!(sobol_indices(&y[..y.len() - 3], 3, true, 10, 0).is_none());
    }

    #[test]
    fn outputs_that_vary_only_off_a_and_b_have_zero_indices_as_salib_gives() {
        // k = 1: A, AB, B per base row; A and B constant, AB varies.
        let y = [1.0, 5.0, 1.0, 1.0, 3.0, 1.0, 1.0, 4.0, 1.0];
        let got = sobol_indices(&y, 1, false, 50, 0).unwrap();
        assert_eq!((got.factors[0].s1, got.factors[0].st), (0.0, 0.0));
        // A constant whose mean rounds: still no indices.
        let constant = [2189.9999999999986; 12];
        assert!(sobol_indices(&constant, 1, false, 50, 0).is_none());
    }

    #[test]
    fn outputs_of_the_wrong_shape_or_constant_have_no_indices() {
        assert!(
            sobol_indices(&[1.0; 9], 2, false, 10, 0).is_none(),
            "not N (k + 2)"
        );
        assert!(
            sobol_indices(&[1.0; 8], 2, false, 10, 0).is_none(),
            "constant"
        );
        assert!(
            sobol_indices(
                &[1.0, 2.0, 3.0, f64::NAN, 1.0, 2.0, 3.0, 4.0],
                2,
                false,
                10,
                0
            )
            .is_none()
        );
        assert!(
            sobol_indices(&[1.0, 2.0, 3.0, 4.0], 2, false, 10, 0).is_none(),
            "one base row"
        );
    }
}
