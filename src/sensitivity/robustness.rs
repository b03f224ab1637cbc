//! How well each policy holds up across sampled worlds: the share of worlds in which
//! it improves a metric, the spread of its effect, and its regret.
//!
//! The input is, for each reform and each sampled world (a point in the space of the
//! parameters nobody can pin down), the reform's effect on one metric: its paired
//! difference from the baseline in that world, in the metric's units. `direction`
//! says which way is better (+1 higher, -1 lower). In the spirit of robust decision
//! making (Lempert, Popper and Bankes 2003, Shaping the Next One Hundred Years, RAND
//! MR-1626; Kwakkel 2017, Environ Model Softw 96:239):
//!
//! - **share of worlds improved**: the worlds where `direction * effect > 0`, over the
//!   worlds where the effect is defined, with Wilson's 95% score interval (Wilson
//!   1927, J Am Stat Assoc 22:209), which stays inside [0, 1] and behaves at 0 and 1;
//! - **effect quantiles**: the 10th, 50th and 90th percentiles across worlds, by
//!   linear interpolation between order statistics (Hyndman and Fan 1996, Am Stat
//!   50:361, definition 7);
//! - **regret** (Savage 1951, J Am Stat Assoc 46:55): in each world, how far the
//!   policy falls short of the best of all policies there, doing nothing (effect 0)
//!   included: `max(0, max_r direction * effect_r) - direction * effect`, always
//!   `>= 0` and in the metric's units; summarised by its median, 90th percentile and
//!   maximum across worlds. A world where some reform's effect is undefined takes the
//!   best of the others.

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One policy's robustness on one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Robustness {
    /// Worlds where the effect is defined.
    pub worlds: usize,
    /// Share of those worlds where the policy improves the metric, with its 95%
    /// Wilson interval; NaN when the metric has no better direction.
    pub share_improved: f64,
    pub share_ci95: (f64, f64),
    /// The effect's 10th, 50th and 90th percentiles across worlds.
    pub effect_p10: f64,
    pub effect_median: f64,
    pub effect_p90: f64,
    /// Regret's median, 90th percentile and maximum across worlds; NaN when the
    /// metric has no better direction.
    pub regret_median: f64,
    pub regret_p90: f64,
    pub regret_max: f64,
}

/// The robustness of each policy from `effects[policy][world]`. `direction` is +1
/// when higher is better, -1 when lower is, 0 when neither (then only the effect's
/// quantiles are defined). The last entry of the result is doing nothing: its effect
/// is 0 in every world and its share of worlds improved NaN, so only its regret says
/// something.
pub fn robustness(effects: &[Vec<f64>], direction: f64) -> Vec<Robustness> {
    let worlds = effects.first().map_or(0, Vec::len);
    let gain = |e: f64| direction * e;
    // The best outcome in each world, doing nothing included.
    let best: Vec<f64> = (0..worlds)
        .map(|w| {
            effects
                .iter()
                .map(|policy| gain(policy[w]))
                .filter(|g| g.is_finite())
                .fold(0.0, f64::max)
        })
        .collect();
    let nothing = vec![0.0; worlds];
    effects
        .iter()
        .chain(std::iter::once(&nothing))
        .enumerate()
        .map(|(i, policy)| {
            let defined: Vec<f64> = policy.iter().copied().filter(|e| e.is_finite()).collect();
            let n = defined.len();
            let improved = defined.iter().filter(|&&e| gain(e) > 0.0).count();
            let mut sorted = defined.clone();
            sorted.sort_by(f64::total_cmp);
            let mut regrets: Vec<f64> = policy
                .iter()
                .zip(&best)
                .filter(|(e, _)| e.is_finite())
                .map(|(&e, &b)| b - gain(e))
                .collect();
            regrets.sort_by(f64::total_cmp);
            let directed = direction != 0.0;
            let (share, ci) = if directed && n > 0 && i < effects.len() {
                (improved as f64 / n as f64, wilson(improved, n))
            } else {
                (f64::NAN, (f64::NAN, f64::NAN))
            };
            let regret = |q: f64| {
                if directed {
                    quantile(&regrets, q)
                } else {
                    f64::NAN
                }
            };
            Robustness {
                worlds: n,
                share_improved: share,
                share_ci95: ci,
                effect_p10: quantile(&sorted, 0.1),
                effect_median: quantile(&sorted, 0.5),
                effect_p90: quantile(&sorted, 0.9),
                regret_median: regret(0.5),
                regret_p90: regret(0.9),
                regret_max: regret(1.0),
            }
        })
        .collect()
}

/// Wilson's 95% score interval for `successes` out of `n > 0`.
pub fn wilson(successes: usize, n: usize) -> (f64, f64) {
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The `q` quantile of `sorted` values (Hyndman and Fan's definition 7, numpy's
/// default); NaN for no values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let low = h.floor() as usize;
            let high = (low + 1).min(n - 1);
            sorted[low] + (h - low as f64) * (sorted[high] - sorted[low])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics_as_numpy_does() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.1, 0.5, 0.9]) = [1.4, 3.0, 7.6]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        for (q, want) in [(0.1, 1.4), (0.5, 3.0), (0.9, 7.6), (0.0, 1.0), (1.0, 10.0)] {
            assert!((quantile(&v, q) - want).abs() < 1e-12, "{q}");
        }
        assert!(quantile(&[], 0.5).is_nan());
        assert_eq!(quantile(&[4.0], 0.9), 4.0);
    }

    #[test]
    fn wilson_intervals_match_their_closed_form() {
        // statsmodels proportion_confint(8, 10, method="wilson"):
        // (0.4901625..., 0.9433178...)
        let (low, high) = wilson(8, 10);
        assert!((low - 0.490_162_5).abs() < 1e-6, "{low}");
        assert!((high - 0.943_317_8).abs() < 1e-6, "{high}");
        // At the edges it stays inside [0, 1] and is not degenerate.
        let (low, high) = wilson(0, 20);
        assert_eq!(low, 0.0);
        assert!(high > 0.1 && high < 0.2, "{high}");
        let (low, high) = wilson(20, 20);
        assert!(low > 0.8 && low < 0.9 && high == 1.0, "{low}");
    }

    #[test]
    fn shares_effects_and_regret_per_world() {
        // Lower is better. Reform A cuts the metric by 2 in worlds 0-2 and raises it
        // by 1 in world 3; reform B cuts it by 1 everywhere.
        let effects = vec![vec![-2.0, -2.0, -2.0, 1.0], vec![-1.0, -1.0, -1.0, -1.0]];
        let r = robustness(&effects, -1.0);
        assert_eq!(r.len(), 3, "two reforms and doing nothing");
        assert_eq!(r[0].share_improved, 0.75);
        assert_eq!(r[1].share_improved, 1.0);
        assert_eq!(r[0].share_ci95, wilson(3, 4));
        assert_eq!(r[0].effect_median, -2.0);
        // Best gain per world: 2, 2, 2, 1. Regret of A: 0, 0, 0, 2; of B: 1, 1, 1, 0;
        // of doing nothing: 2, 2, 2, 1.
        assert_eq!((r[0].regret_median, r[0].regret_max), (0.0, 2.0));
        assert_eq!((r[1].regret_median, r[1].regret_max), (1.0, 1.0));
        assert_eq!((r[2].regret_median, r[2].regret_max), (2.0, 2.0));
        assert!(r[2].share_improved.is_nan() && r[2].effect_median == 0.0);
        // Higher is better: the same numbers read the other way round.
        let up = robustness(&effects, 1.0);
        assert_eq!(up[0].share_improved, 0.25);
        assert_eq!(up[1].share_improved, 0.0);
        // Doing nothing is best where both harm (worlds 0-2); A gains 1 in world 3.
        assert_eq!((up[2].regret_median, up[2].regret_max), (0.0, 1.0));
        assert_eq!((up[0].regret_median, up[0].regret_max), (2.0, 2.0));
    }

    #[test]
    fn undefined_effects_and_undirected_metrics() {
        let effects = vec![vec![-1.0, f64::NAN, 3.0], vec![-2.0, -2.0, -2.0]];
        let r = robustness(&effects, -1.0);
        assert_eq!(r[0].worlds, 2);
        assert_eq!(r[0].share_improved, 0.5);
        // World 1's best is reform B's gain of 2; A has no regret there.
        assert_eq!(r[1].regret_max, 0.0);
        let neither = robustness(&effects, 0.0);
        assert!(neither[0].share_improved.is_nan() && neither[0].regret_max.is_nan());
        assert_eq!(neither[0].effect_median, 1.0);
        assert!(robustness(&[], -1.0).len() == 1);
    }
}
