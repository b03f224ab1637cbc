//! Morris's elementary-effects measures from the outputs of a Morris design.
//!
//! The design (`experiment::design`, `design = "morris"`) is `r` trajectories of
//! `k + 1` rows one after another; between consecutive rows of a trajectory one
//! factor moves by `±Δ` on a grid of `p` levels, `Δ = p / (2 (p - 1))` (Morris 1991,
//! Technometrics 33:161-174). The measures are those of SALib 1.6's
//! `SALib.analyze.morris.analyze(problem, X, Y, num_resamples, conf_level=0.95,
//! num_levels=p)` (unscaled, without groups), computed as it computes them:
//!
//! - the **elementary effect** of factor `i` in trajectory `t`: for every step
//!   `s -> s + 1` of the trajectory where column `i` of `X` changes, the output's
//!   change `y_{s+1} - y_s` with the sign of the column's change (so it is always
//!   "output at the upper point minus output at the lower point"), summed over such
//!   steps and divided by `Δ`. Only the signs of `X`'s changes are read, never their
//!   size: `X` may be the unit rows or the parameter values (any increasing map of
//!   the unit rows gives the same effects), exactly as SALib, which divides by the
//!   `Δ` of `num_levels` rather than by the step in `X`. A factor that does not change
//!   in a trajectory (a one-value list) has effect 0 there;
//! - `mu`, the mean of the `r` effects, and `mu_star`, the mean of their absolute
//!   values (Campolongo, Cariboni and Saltelli 2007, Environmental Modelling &
//!   Software 22:1509-1518);
//! - `sigma`, their sample standard deviation (`ddof = 1`, as SALib's
//!   `np.std(..., ddof=1)`);
//! - `mu_star_conf`, the half-width of a 95% bootstrap interval of `mu_star`
//!   (Efron and Tibshirani 1993): `resamples` resamples of the `r` effects with
//!   replacement, and `z_0.975 = 1.959963984540054` times the standard deviation
//!   (`ddof = 1`) of the resamples' means of absolute values. As SALib, each factor
//!   draws its own resamples. The draws are `Xoshiro256PlusPlus::seed_from_u64(seed)`,
//!   factor by factor, resample by resample, then position by position within a
//!   resample: `random_range(0..r)` each, an index among the trajectories used (SALib
//!   draws `rng.integers(r, size=(resamples, r))` per factor in the same order, from
//!   its own generator, so its intervals differ from these by sampling noise only).
//!   With fewer than 2 resamples the half-width is NaN, as numpy's.
//!
//! An effect whose two points do not both have a finite output (a failed run, or one
//! the caller left out as implausible) is skipped, and only that one: the factor's
//! measures use its other effects, so each factor may have its own count
//! ([`MorrisIndices::effects`]). With every output finite this is exactly SALib's
//! computation. Pure functions: no I/O, no clock.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Morris's measures of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndices {
    /// The mean elementary effect.
    pub mu: f64,
    /// The mean absolute elementary effect: the factor's importance.
    pub mu_star: f64,
    /// The standard deviation of the elementary effects (`ddof = 1`): nonlinearity
    /// or interactions.
    pub sigma: f64,
    /// The half-width of the 95% bootstrap interval of `mu_star`.
    pub mu_star_conf: f64,
    /// The elementary effects the measures use.
    pub effects: usize,
}

/// z for a two-sided 95% interval (SALib's `norm.ppf(0.5 + 0.95 / 2)`).
const Z95: f64 = 1.959_963_984_540_054;

/// The measures of each of `k` factors from a Morris design's rows `x` (`r (k + 1)`
/// rows of `k` columns, unit coordinates or values) and its `outputs` (one per row,
/// in the design's order), on a grid of `levels` levels, with `resamples` bootstrap
/// resamples drawn from `seed`.
///
/// `None` when the shapes do not fit (no factor, rows not whole trajectories, a row
/// not `k` wide, not one output per row), `levels < 2`, fewer than 2 trajectories,
/// or a row holds a value that is not finite. A factor with fewer than 2 effects
/// whose outputs are finite has NaN measures.
///
/// # Examples
/// ```
/// use cogov::experiment::design::morris_unit_rows;
/// use cogov::sensitivity::morris_indices;
/// // y = 3 x1 - x2: the elementary effects are the slopes.
/// let x = morris_unit_rows(2, 10, 4, 10, 1).unwrap();
/// let y: Vec<f64> = x.iter().map(|u| 3.0 * u[0] - u[1]).collect();
/// let m = morris_indices(&x, &y, 2, 4, 100, 7).unwrap();
/// assert!((m[0].mu - 3.0).abs() < 1e-9 && (m[1].mu_star - 1.0).abs() < 1e-9);
/// ```
pub fn morris_indices(
    x: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    levels: u32,
    resamples: usize,
    seed: u64,
) -> Option<Vec<MorrisIndices>> {
    let all: Vec<usize> = (0..x.len() / (k + 1)).collect();
    morris_indices_of(x, outputs, k, levels, &all, resamples, seed)
}

/// As [`morris_indices`], from the listed trajectories only (numbered from 0 in
/// design order; trajectory `t` is rows `t (k + 1)` to `t (k + 1) + k`), for example
/// those without a failed point. Rows and outputs of the other trajectories are not
/// read, so they may be NaN. The bootstrap resamples among the listed trajectories.
///
/// `None` as [`morris_indices`], or when a listed trajectory does not exist, or
/// fewer than 2 are listed.
pub fn morris_indices_of(
    x: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    levels: u32,
    trajectories: &[usize],
    resamples: usize,
    seed: u64,
) -> Option<Vec<MorrisIndices>> {
    let effects = elementary_effects(x, outputs, k, levels, trajectories)?;
    if trajectories.len() < 2 {
        return None;
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    Some(
        effects
            .iter()
            .map(|ee| measures(ee, resamples, &mut rng))
            .collect(),
    )
}

/// The elementary effects of the listed trajectories: one `Vec` per factor, one
/// effect per listed trajectory in the order listed, skipping those whose outputs
/// are not finite (module documentation). `None` as [`morris_indices_of`], except
/// that one trajectory is enough.
pub fn elementary_effects(
    x: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    levels: u32,
    trajectories: &[usize],
) -> Option<Vec<Vec<f64>>> {
    let width = k + 1;
    if k == 0
        || levels < 2
        || x.len() != outputs.len()
        || !x.len().is_multiple_of(width)
        || x.iter().any(|row| row.len() != k)
    {
        return None;
    }
    let count = x.len() / width;
    let delta = f64::from(levels) / (2.0 * (f64::from(levels) - 1.0));
    let mut effects = vec![Vec::with_capacity(trajectories.len()); k];
    for &t in trajectories {
        if t >= count {
            return None;
        }
        let rows = &x[t * width..(t + 1) * width];
        let y = &outputs[t * width..(t + 1) * width];
        if rows.iter().flatten().any(|v| !v.is_finite()) {
            return None;
        }
        for (i, effect) in effects.iter_mut().enumerate() {
            let mut sum = 0.0;
            for s in 0..k {
                let change = rows[s + 1][i] - rows[s][i];
                if change > 0.0 {
                    sum += y[s + 1] - y[s];
                } else if change < 0.0 {
                    sum += y[s] - y[s + 1];
                }
            }
            // A step with an undefined end makes the sum undefined: skip the effect.
            if sum.is_finite() {
                effect.push(sum / delta);
            }
        }
    }
    Some(effects)
}

/// `mu`, `mu_star`, `sigma` and the bootstrap half-width of one factor's effects,
/// drawing its resamples from `rng`; NaN for fewer than 2 effects (and no draws).
fn measures(ee: &[f64], resamples: usize, rng: &mut Xoshiro256PlusPlus) -> MorrisIndices {
    let r = ee.len();
    if r < 2 {
        return MorrisIndices {
            mu: f64::NAN,
            mu_star: f64::NAN,
            sigma: f64::NAN,
            mu_star_conf: f64::NAN,
            effects: r,
        };
    }
    let mean = |values: &mut dyn Iterator<Item = f64>| values.sum::<f64>() / r as f64;
    let mu = mean(&mut ee.iter().copied());
    let mu_star = mean(&mut ee.iter().map(|e| e.abs()));
    let sigma = sample_sd(ee);
    let boot: Vec<f64> = (0..resamples)
        .map(|_| mean(&mut (0..r).map(|_| ee[rng.random_range(0..r)].abs())))
        .collect();
    MorrisIndices {
        mu,
        mu_star,
        sigma,
        mu_star_conf: Z95 * sample_sd(&boot),
        effects: r,
    }
}

/// The standard deviation with `n - 1` in the denominator; NaN for fewer than 2
/// values.
fn sample_sd(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return f64::NAN;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::morris_unit_rows;

    /// Saltelli et al. (2008, *Global Sensitivity Analysis: The Primer*), exercise 4
    /// (p. 138): six trajectories of two factors on four levels, as SALib's
    /// `test_analysis_of_morris_results` uses them.
    fn primer_exercise_4() -> (Vec<Vec<f64>>, Vec<f64>) {
        let third = 1.0 / 3.0;
        let two = 2.0 / 3.0;
        let x = vec![
            vec![0.0, third],
            vec![0.0, 1.0],
            vec![two, 1.0],
            vec![0.0, third],
            vec![two, third],
            vec![two, 1.0],
            vec![two, 0.0],
            vec![two, two],
            vec![0.0, two],
            vec![third, 1.0],
            vec![1.0, 1.0],
            vec![1.0, third],
            vec![third, 1.0],
            vec![third, third],
            vec![1.0, third],
            vec![third, two],
            vec![third, 0.0],
            vec![1.0, 0.0],
        ];
        let y = vec![
            0.97, 0.71, 2.39, 0.97, 2.30, 2.39, 1.87, 2.40, 0.87, 2.15, 1.71, 1.54, 2.15, 2.17,
            1.54, 2.20, 1.87, 1.0,
        ];
        (x, y)
    }

    fn close(got: f64, want: f64, tolerance: f64, what: &str) {
        assert!(
            (got - want).abs() <= tolerance,
            "{what}: {got}, expected {want}"
        );
    }

    #[test]
    fn the_primers_exercise_gives_salibs_effects_and_measures() {
        let (x, y) = primer_exercise_4();
        let all: Vec<usize> = (0..6).collect();
        let ee = elementary_effects(&x, &y, 2, 4, &all).unwrap();
        // By hand: (upper output - lower output) / (2/3) at each step, e.g.
        // trajectory 1 moves x2 up then x1 up: (0.71 - 0.97) 1.5 and (2.39 - 0.71) 1.5.
        let exact = [
            [2.52, 1.995, 2.295, -0.66, -0.945, -1.305],
            [-0.39, 0.135, 0.795, 0.255, -0.03, 0.495],
        ];
        // SALib's test_compute_elementary_effects_small (the Primer's rounded values).
        let book = [
            [2.52, 2.01, 2.30, -0.66, -0.93, -1.30],
            [-0.39, 0.13, 0.80, 0.25, -0.02, 0.51],
        ];
        for i in 0..2 {
            for t in 0..6 {
                let what = format!("EE factor {i} trajectory {t}");
                close(ee[i][t], exact[i][t], 1e-12, &what);
                close(ee[i][t], book[i][t], 0.02, &what);
            }
        }
        // SALib's test_analysis_of_morris_results: mu to 10%, mu* and sigma to 1%.
        let m = morris_indices(&x, &y, 2, 4, 1000, 1).unwrap();
        for (i, (mu, mu_star, sigma)) in [(0.66, 1.62, 1.79), (0.21, 0.35, 0.41)]
            .into_iter()
            .enumerate()
        {
            close(m[i].mu, mu, 0.1 * mu, &format!("mu_{i}"));
            close(m[i].mu_star, mu_star, 0.01 * mu_star, &format!("mu*_{i}"));
            close(m[i].sigma, sigma, 0.01 * sigma, &format!("sigma_{i}"));
        }
        // Exactly: mean, mean of absolute values, sample sd of the effects.
        let e0: Vec<f64> = ee[0].clone();
        let mean = e0.iter().sum::<f64>() / 6.0;
        close(m[0].mu, mean, 1e-12, "mu_0 exact");
        let sd = (e0.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / 5.0).sqrt();
        close(m[0].sigma, sd, 1e-12, "sigma_0 exact");
    }

    #[test]
    fn the_bootstrap_half_width_is_salibs() {
        // SALib's test_compute_mu_star_confidence: these effects, 1000 resamples,
        // a half-width of 0.5 within 0.1.
        let ee = [2.52, 2.01, 2.30, 0.66, 0.93, 1.3];
        for seed in 0..5 {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let m = measures(&ee, 1000, &mut rng);
            close(m.mu_star_conf, 0.5, 0.1, &format!("seed {seed}"));
        }
        // The documented draws: factor by factor, resample by resample.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let means: Vec<f64> = (0..50)
            .map(|_| {
                (0..6)
                    .map(|_| ee[rng.random_range(0..6)].abs())
                    .sum::<f64>()
                    / 6.0
            })
            .collect();
        let m = measures(&ee, 50, &mut Xoshiro256PlusPlus::seed_from_u64(9));
        close(m.mu_star_conf, Z95 * sample_sd(&means), 1e-12, "draws");
        assert!(measures(&ee, 1, &mut rng).mu_star_conf.is_nan());
        assert!(measures(&ee, 0, &mut rng).mu_star_conf.is_nan());
    }

    #[test]
    fn a_linear_function_has_its_slopes_as_effects() {
        let slopes = [4.0, -2.0, 0.5, 0.0, 1.0];
        let k = slopes.len();
        for levels in [2, 4, 8] {
            let x = morris_unit_rows(k, 20, levels, 20, 3).unwrap();
            let y: Vec<f64> = x
                .iter()
                .map(|u| u.iter().zip(&slopes).map(|(a, b)| a * b).sum())
                .collect();
            let m = morris_indices(&x, &y, k, levels, 100, 4).unwrap();
            for (i, &a) in slopes.iter().enumerate() {
                let what = format!("p = {levels}, factor {i}");
                close(m[i].mu, a, 1e-9, &what);
                close(m[i].mu_star, a.abs(), 1e-9, &what);
                close(m[i].sigma, 0.0, 1e-9, &what);
                close(m[i].mu_star_conf, 0.0, 1e-9, &what);
            }
        }
        // The values of the parameters in place of the unit rows give the same
        // effects: only the signs of the changes are read.
        let x = morris_unit_rows(2, 10, 4, 10, 5).unwrap();
        let y: Vec<f64> = x.iter().map(|u| u[0] - 3.0 * u[1]).collect();
        let values: Vec<Vec<f64>> = x
            .iter()
            .map(|u| vec![8.0 + 6.0 * u[0], (2.0 + 3.0 * u[1]).round()])
            .collect();
        assert_eq!(
            morris_indices(&x, &y, 2, 4, 100, 1),
            morris_indices(&values, &y, 2, 4, 100, 1)
        );
    }

    #[test]
    fn an_interaction_shows_in_sigma() {
        // y = x1 x2 + x3: the effect of x1 is x2 and of x2 is x1, which vary; x3's is 1.
        let x = morris_unit_rows(3, 40, 4, 40, 8).unwrap();
        let y: Vec<f64> = x.iter().map(|u| u[0] * u[1] + u[2]).collect();
        let m = morris_indices(&x, &y, 3, 4, 200, 2).unwrap();
        assert!(m[0].sigma > 0.1 && m[1].sigma > 0.1, "{m:?}");
        close(m[2].sigma, 0.0, 1e-9, "sigma of the additive factor");
        close(m[2].mu, 1.0, 1e-9, "mu of the additive factor");
        // The effect of x1 is x2 at the step, between 0 and 1.
        assert!(m[0].mu > 0.2 && m[0].mu < 0.8, "{m:?}");
        assert_eq!(m[0].mu, m[0].mu_star, "every effect is positive");
    }

    #[test]
    fn the_g_function_ranks_its_factors_by_importance() {
        // Sobol's G function: the smaller a_i, the more important factor i.
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];
        let k = a.len();
        let x = morris_unit_rows(k, 50, 4, 200, 6).unwrap();
        let y: Vec<f64> = x
            .iter()
            .map(|u| {
                u.iter()
                    .zip(&a)
                    .map(|(x, c)| ((4.0 * x - 2.0).abs() + c) / (1.0 + c))
                    .product()
            })
            .collect();
        let m = morris_indices(&x, &y, k, 4, 200, 3).unwrap();
        for i in 0..3 {
            assert!(
                m[i].mu_star > m[i + 1].mu_star + m[i].mu_star_conf,
                "factor {i} should clearly beat factor {}: {m:?}",
                i + 1
            );
        }
        assert!(m[3].mu_star > m[4].mu_star && m[3].mu_star > m[5].mu_star);
        assert!(m[4].mu_star < 0.05 && m[5].mu_star < 0.05, "{m:?}");
    }

    #[test]
    fn a_subset_of_trajectories_skips_the_failed_ones() {
        let x = morris_unit_rows(3, 8, 4, 8, 2).unwrap();
        let mut y: Vec<f64> = x.iter().map(|u| u[0] * u[1] + 2.0 * u[2]).collect();
        let full = morris_indices(&x, &y, 3, 4, 100, 1).unwrap();
        // Trajectory 5 holds a failed point.
        y[5 * 4 + 2] = f64::NAN;
        let kept: Vec<usize> = (0..8).filter(|&t| t != 5).collect();
        let part = morris_indices_of(&x, &y, 3, 4, &kept, 100, 1).unwrap();
        // The same as a design without trajectory 5.
        let x7: Vec<Vec<f64>> = x
            .chunks(4)
            .enumerate()
            .filter(|(t, _)| *t != 5)
            .flat_map(|(_, c)| c.to_vec())
            .collect();
        let y7: Vec<f64> = y
            .chunks(4)
            .enumerate()
            .filter(|(t, _)| *t != 5)
            .flat_map(|(_, c)| c.to_vec())
            .collect();
        assert_eq!(Some(part.clone()), morris_indices(&x7, &y7, 3, 4, 100, 1));
        assert_ne!(part, full);
        assert!(
            morris_indices_of(&x, &y, 3, 4, &[0], 100, 1).is_none(),
            "one"
        );
        assert!(
            morris_indices_of(&x, &y, 3, 4, &[0, 8], 100, 1).is_none(),
            "no 8"
        );
    }

    #[test]
    fn an_undefined_point_costs_only_the_two_effects_it_ends() {
        let x = morris_unit_rows(3, 8, 4, 8, 2).unwrap();
        let mut y: Vec<f64> = x.iter().map(|u| u[0] * u[1] + 2.0 * u[2]).collect();
        let all: Vec<usize> = (0..8).collect();
        let before = elementary_effects(&x, &y, 3, 4, &all).unwrap();
        // Row 2 of trajectory 5 is undefined: the factors that move into it (step 1)
        // and out of it (step 2) lose trajectory 5's effect; the third keeps all 8.
        y[5 * 4 + 2] = f64::NAN;
        let after = elementary_effects(&x, &y, 3, 4, &all).unwrap();
        let moved = |step: usize| {
            (0..3)
                .find(|&i| x[5 * 4 + step + 1][i] != x[5 * 4 + step][i])
                .unwrap()
        };
        let (into, out, other) = (moved(1), moved(2), moved(0));
        for i in [into, out] {
            let mut expected = before[i].clone();
            expected.remove(5);
            assert_eq!(after[i], expected, "factor {i}");
        }
        assert_eq!(after[other], before[other]);
        let m = morris_indices(&x, &y, 3, 4, 100, 1).unwrap();
        assert_eq!(
            (m[into].effects, m[out].effects, m[other].effects),
            (7, 7, 8)
        );
        assert!(m.iter().all(|f| f.mu_star.is_finite()));
    }

    #[test]
    fn wrong_shapes_have_no_measures() {
        let x = morris_unit_rows(2, 4, 4, 4, 1).unwrap();
        let y: Vec<f64> = x.iter().map(|u| u[0]).collect();
        assert!(morris_indices(&x, &y, 2, 4, 10, 0).is_some());
        assert!(
            morris_indices(&x, &y[..11], 2, 4, 10, 0).is_none(),
            "outputs"
        );
        assert!(
            morris_indices(&x[..11], &y[..11], 2, 4, 10, 0).is_none(),
            "rows"
        );
        assert!(morris_indices(&x, &y, 3, 4, 10, 0).is_none(), "k");
        assert!(morris_indices(&x, &y, 0, 4, 10, 0).is_none(), "no factor");
        assert!(morris_indices(&x, &y, 2, 1, 10, 0).is_none(), "levels");
        assert!(
            morris_indices(&x[..3], &y[..3], 2, 4, 10, 0).is_none(),
            "one trajectory"
        );
        let mut bad = x.clone();
        bad[4][1] = f64::INFINITY;
        assert!(
            morris_indices(&bad, &y, 2, 4, 10, 0).is_none(),
            "infinite x"
        );
    }
}
