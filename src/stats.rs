//! Summary statistics over replications: mean, sample standard deviation and the 95%
//! confidence interval of the mean from Student's t distribution.
//!
//! Values arrive one replication at a time, in run order, through an [`Accumulator`],
//! so a summary needs no more memory than one accumulator per metric. NaN means
//! "undefined for that run" and is skipped: `n` counts only defined values. Sums run in
//! arrival order on one thread, so a summary is bit-for-bit the same whatever the
//! thread count of the run that produced the values.
//!
//! [`median`] and [`runaways`] judge a point's runs after the fact: a run more than
//! [`RUNAWAY_FACTOR`] times its point's median is flagged.
//!
//! The t quantile is computed here rather than taken from a statistics crate: it is
//! the only distribution function cogov needs. This module does no I/O.

use std::cell::Cell;
use std::f64::consts::PI;

/// Mean, spread and 95% confidence interval of one metric over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    /// Sample standard deviation (divisor n - 1); NaN when n < 2.
    pub sd: f64,
    /// Lower end of the 95% confidence interval of the mean; NaN when n < 2.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval of the mean; NaN when n < 2.
    pub ci95_high: f64,
    /// Number of defined (non-NaN) values.
    pub n: u64,
}

impl Summary {
    /// Summarises `values`, skipping NaN, in index order.
    ///
    /// # Examples
    /// ```
    /// let s = cogov::stats::Summary::of(&[1.0, 2.0, f64::NAN, 3.0]);
    /// assert_eq!((s.mean, s.sd, s.n), (2.0, 1.0, 3));
    /// ```
    pub fn of(values: &[f64]) -> Summary {
        let mut acc = Accumulator::new();
        for &x in values {
            acc.push(x);
        }
        acc.summary()
    }
}

/// Running sums for one metric, fed one value at a time in run order.
///
/// The mean is the plain sum over n; the spread uses Welford's update, which does not
/// lose precision when the mean is large next to the standard deviation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accumulator {
    n: u64,
    sum: f64,
    /// Welford's running mean and sum of squared deviations from it.
    running_mean: f64,
    m2: f64,
}

impl Accumulator {
    pub fn new() -> Accumulator {
        Accumulator::default()
    }

    /// Adds one value; NaN (undefined) is skipped.
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        self.sum += x;
        let delta = x - self.running_mean;
        self.running_mean += delta / self.n as f64;
        self.m2 += delta * (x - self.running_mean);
    }

    /// The summary of the values pushed so far.
    pub fn summary(&self) -> Summary {
        let n = self.n;
        if n == 0 {
            return Summary {
                mean: f64::NAN,
                sd: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                n,
            };
        }
        let mean = self.sum / n as f64;
        if n == 1 {
            return Summary {
                mean,
                sd: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                n,
            };
        }
        let sd = (self.m2.max(0.0) / (n - 1) as f64).sqrt();
        let half_width = t_quantile(0.975, n - 1) * sd / (n as f64).sqrt();
        Summary {
            mean,
            sd,
            ci95_low: mean - half_width,
            ci95_high: mean + half_width,
            n,
        }
    }
}

/// Degrees of freedom above which the quantile comes from the Cornish-Fisher
/// expansion instead of inverting the exact distribution function; at this size the
/// expansion's error is below 1e-12.
const EXPANSION_DF: u64 = 1000;

/// The `p` quantile of Student's t distribution with `df` degrees of freedom.
///
/// For `df` up to 1000 the exact distribution function (Abramowitz and Stegun 26.7.3
/// and 26.7.4, a finite trigonometric series for whole degrees of freedom) is inverted
/// by bisection on the angle `atan(t / sqrt(df))`, to full double precision. Above
/// that, the Cornish-Fisher expansion around the normal quantile (Abramowitz and
/// Stegun 26.7.5, four terms) is used.
///
/// Returns NaN when `df` is 0 or `p` is outside (0, 1).
///
/// # Examples
/// ```
/// let t = cogov::stats::t_quantile(0.975, 10);
/// assert!((t - 2.228139).abs() < 1e-6);
/// ```
pub fn t_quantile(p: f64, df: u64) -> f64 {
    thread_local! {
        /// The last quantile computed on this thread, `(p's bits, df, value)`:
        /// summaries ask for the same one (0.975 at n - 1) many times in a row, a
        /// report once for every day of every series and every grid of a map, and
        /// each bisection costs about 60 evaluations of the distribution function.
        static LAST: Cell<(u64, u64, f64)> = const { Cell::new((u64::MAX, 0, f64::NAN)) };
    }
    LAST.with(|last| {
        let (bits, last_df, value) = last.get();
        if bits == p.to_bits() && last_df == df {
            return value;
        }
        let value = t_quantile_uncached(p, df);
        last.set((p.to_bits(), df, value));
        value
    })
}

/// [`t_quantile`], computed.
fn t_quantile_uncached(p: f64, df: u64) -> f64 {
    if df == 0 || p.is_nan() || p <= 0.0 || p >= 1.0 {
        return f64::NAN;
    }
    if p < 0.5 {
        return -t_quantile_uncached(1.0 - p, df);
    }
    if p == 0.5 {
        return 0.0;
    }
    if df > EXPANSION_DF {
        return cornish_fisher(p, df as f64);
    }
    // P(|T| <= t) = 2p - 1 is increasing in theta = atan(t / sqrt(df)) on [0, pi/2).
    let target = 2.0 * p - 1.0;
    let (mut lo, mut hi) = (0.0_f64, PI / 2.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if central_probability(mid, df) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (df as f64).sqrt() * (0.5 * (lo + hi)).tan()
}

/// P(|T| <= sqrt(df) tan(theta)) for Student's t with whole `df` (Abramowitz and
/// Stegun 26.7.3 for odd and 26.7.4 for even degrees of freedom).
fn central_probability(theta: f64, df: u64) -> f64 {
    let (s, c) = theta.sin_cos();
    let c2 = c * c;
    if df % 2 == 1 {
        // (2/pi) [theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ...)], df - 2 terms' power.
        let mut series = 0.0;
        if df > 1 {
            let mut term = c;
            series = term;
            let mut k = 3;
            while k <= df - 2 {
                term *= c2 * (k - 1) as f64 / k as f64;
                series += term;
                k += 2;
            }
        }
        (2.0 / PI) * (theta + s * series)
    } else {
        // sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ...), up to cos^(df-2).
        let mut term = 1.0;
        let mut series = term;
        let mut k = 2;
        while k <= df - 2 {
            term *= c2 * (k - 1) as f64 / k as f64;
            series += term;
            k += 2;
        }
        s * series
    }
}

/// Cornish-Fisher expansion of the t quantile in powers of 1/df (Abramowitz and
/// Stegun 26.7.5).
fn cornish_fisher(p: f64, df: f64) -> f64 {
    let x = normal_quantile(p);
    let x2 = x * x;
    let x3 = x2 * x;
    let x5 = x3 * x2;
    let x7 = x5 * x2;
    let x9 = x7 * x2;
    let g1 = (x3 + x) / 4.0;
    let g2 = (5.0 * x5 + 16.0 * x3 + 3.0 * x) / 96.0;
    let g3 = (3.0 * x7 + 19.0 * x5 + 17.0 * x3 - 15.0 * x) / 384.0;
    let g4 = (79.0 * x9 + 776.0 * x7 + 1482.0 * x5 - 1920.0 * x3 - 945.0 * x) / 92160.0;
    x + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df)
}

/// The `p` quantile of the standard normal distribution (Wichura 1988, algorithm
/// AS 241, PPND16: relative error about 1e-16).
fn normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * polynomial(&AS241_A, r) / polynomial(&AS241_B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let value = if r <= 5.0 {
        polynomial(&AS241_C, r - 1.6) / polynomial(&AS241_D, r - 1.6)
    } else {
        polynomial(&AS241_E, r - 5.0) / polynomial(&AS241_F, r - 5.0)
    };
    if q < 0.0 { -value } else { value }
}

/// `coefficients[0] + coefficients[1] x + ...`, by Horner's rule.
fn polynomial(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

// Coefficients of AS 241 as published (Wichura 1988, Appl Stat 37:477), lowest power
// first; kept digit for digit so they can be checked against the paper.
#[allow(clippy::excessive_precision)]
const AS241_A: [f64; 8] = [
    3.387132872796366608,
    133.14166789178437745,
    1971.5909503065514427,
    13731.693765509461125,
    45921.953931549871457,
    67265.770927008700853,
    33430.575583588128105,
    2509.0809287301226727,
];
#[allow(clippy::excessive_precision)]
const AS241_B: [f64; 8] = [
    1.0,
    42.313330701600911252,
    687.1870074920579083,
    5394.1960214247511077,
    21213.794301586595867,
    39307.89580009271061,
    28729.085735721942674,
    5226.495278852545925,
];
#[allow(clippy::excessive_precision)]
const AS241_C: [f64; 8] = [
    1.42343711074968357734,
    4.6303378461565452959,
    5.7694972214606914055,
    3.64784832476320460504,
    1.27045825245236838258,
    0.24178072517745061177,
    0.0227238449892691845833,
    7.7454501427834140764e-4,
];
#[allow(clippy::excessive_precision)]
const AS241_D: [f64; 8] = [
    1.0,
    2.05319162663775882187,
    1.6763848301838038494,
    0.68976733498510000455,
    0.14810397642748007459,
    0.0151986665636164571966,
    5.475938084995344946e-4,
    1.05075007164441684324e-9,
];
#[allow(clippy::excessive_precision)]
const AS241_E: [f64; 8] = [
    6.6579046435011037772,
    5.4637849111641143699,
    1.7848265399172913358,
    0.29656057182850489123,
    0.026532189526576123093,
    0.0012426609473880784386,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
#[allow(clippy::excessive_precision)]
const AS241_F: [f64; 8] = [
    1.0,
    0.59983220655588793769,
    0.13692988092273580531,
    0.0148753612908506148525,
    7.868691311456132591e-4,
    1.8463183175100546818e-5,
    1.4215117583164458887e-7,
    2.04426310338993978564e-15,
];

/// How many times its point's median a run's value must exceed to be flagged as a
/// runaway. A modelling convention, not a calibrated figure: an order of magnitude
/// above what the same parameters usually give is a feedback loop gone wild, not
/// chance.
pub const RUNAWAY_FACTOR: f64 = 10.0;

/// The median of the defined (non-NaN) values, NaN when there are none.
pub fn median(values: &[f64]) -> f64 {
    let mut defined: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if defined.is_empty() {
        return f64::NAN;
    }
    defined.sort_by(f64::total_cmp);
    let mid = defined.len() / 2;
    if defined.len() % 2 == 1 {
        defined[mid]
    } else {
        (defined[mid - 1] + defined[mid]) / 2.0
    }
}

/// The indices of `values` that look like runaways: above `ceiling` (the highest
/// value a real system plausibly shows), or more than [`RUNAWAY_FACTOR`] times the
/// median of the values when there are at least three defined values and their
/// median is positive (fewer values have no median to speak of).
///
/// # Examples
/// ```
/// use cogov::stats::runaways;
/// assert_eq!(runaways(&[30.0, 35.0, 40.0, 2_000.0], f64::INFINITY), vec![3]);
/// assert!(runaways(&[30.0, 2_000.0], f64::INFINITY).is_empty());
/// assert_eq!(runaways(&[30.0, 2_000.0], 1_000.0), vec![1]);
/// ```
pub fn runaways(values: &[f64], ceiling: f64) -> Vec<usize> {
    let defined = values.iter().filter(|x| !x.is_nan()).count();
    let m = median(values);
    let relative = if defined < 3 || m.is_nan() || m <= 0.0 {
        f64::INFINITY
    } else {
        RUNAWAY_FACTOR * m
    };
    (0..values.len())
        .filter(|&i| values[i] > relative || values[i] > ceiling)
        .collect()
}

/// A ratio of two means with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// Mean of the numerators over mean of the denominators; NaN when undefined.
    pub estimate: f64,
    /// Lower end of the 95% interval; NaN when the interval is unbounded (the
    /// denominator's own interval reaches zero) or `n < 2`.
    pub low: f64,
    /// Upper end of the 95% interval; NaN as for `low`.
    pub high: f64,
    /// Pairs used (both values defined).
    pub n: u64,
}

/// The ratio of means `mean(a) / mean(b)` over paired observations `(a_i, b_i)`
/// (pairs with a NaN are left out), with Fieller's 95% confidence interval (Fieller
/// 1954, Journal of the Royal Statistical Society B 16:175-185), which allows for
/// the uncertainty of the denominator and the covariance of the pair.
///
/// The interval is the set of ratios `rho` that the data do not reject:
/// `(a - rho b)^2 <= t^2 (v_aa - 2 rho v_ab + rho^2 v_bb)`, with `a`, `b` the means,
/// `v` the variances and covariance of the means (sample moments over `n`) and `t`
/// Student's 97.5% quantile on `n - 1` degrees of freedom. It is bounded only when
/// the denominator differs from zero at that level (`b^2 > t^2 v_bb`); otherwise
/// `low` and `high` are NaN: no finite interval covers the ratio.
///
/// # Examples
/// ```
/// use cogov::stats::fieller;
/// // Cost changes of 10, 12, 14 against 2, 2, 2 incidents prevented: 6 per incident.
/// let r = fieller(&[(10.0, 2.0), (12.0, 2.0), (14.0, 2.0)]);
/// assert!((r.estimate - 6.0).abs() < 1e-12);
/// assert!(r.low < 6.0 && r.high > 6.0);
/// // Incidents prevented that straddle zero: no bounded interval.
/// let r = fieller(&[(10.0, 1.0), (12.0, -1.0), (14.0, 0.5)]);
/// assert!(r.low.is_nan() && r.high.is_nan());
/// ```
pub fn fieller(pairs: &[(f64, f64)]) -> Ratio {
    let defined: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .collect();
    let n = defined.len() as u64;
    let count = defined.len() as f64;
    let (a, b) = defined
        .iter()
        .fold((0.0, 0.0), |(sa, sb), (x, y)| (sa + x, sb + y));
    let (a, b) = (a / count, b / count);
    let estimate = if n == 0 || b == 0.0 { f64::NAN } else { a / b };
    let unbounded = Ratio {
        estimate,
        low: f64::NAN,
        high: f64::NAN,
        n,
    };
    if n < 2 || estimate.is_nan() {
        return unbounded;
    }
    let (mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0);
    for (x, y) in &defined {
        saa += (x - a) * (x - a);
        sbb += (y - b) * (y - b);
        sab += (x - a) * (y - b);
    }
    // Variances and covariance of the means.
    let scale = (count - 1.0) * count;
    let (vaa, vbb, vab) = (saa / scale, sbb / scale, sab / scale);
    let t = t_quantile(0.975, n - 1);
    let t2 = t * t;
    let qa = b * b - t2 * vbb;
    if qa <= 0.0 {
        return unbounded;
    }
    let qb = a * b - t2 * vab;
    let qc = a * a - t2 * vaa;
    let root = (qb * qb - qa * qc).max(0.0).sqrt();
    Ratio {
        estimate,
        low: (qb - root) / qa,
        high: (qb + root) / qa,
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fieller_agrees_with_the_delta_method_when_the_denominator_is_precise() {
        // A nearly exact denominator: Fieller's interval tends to the numerator's
        // t-interval divided by the denominator.
        let pairs: Vec<(f64, f64)> = (0..40)
            .map(|i| (10.0 + f64::from(i % 7) - 3.0, 2.0 + 1e-9 * f64::from(i % 3)))
            .collect();
        let r = fieller(&pairs);
        let s = Summary::of(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
        assert!((r.estimate - s.mean / 2.0).abs() < 1e-6);
        assert!((r.low - s.ci95_low / 2.0).abs() < 1e-6, "{r:?} {s:?}");
        assert!((r.high - s.ci95_high / 2.0).abs() < 1e-6);
        assert_eq!(r.n, 40);
    }

    #[test]
    fn fieller_widens_with_a_noisy_denominator_and_is_asymmetric() {
        let precise: Vec<(f64, f64)> = (0..20).map(|i| (6.0 + f64::from(i % 5), 2.0)).collect();
        let noisy: Vec<(f64, f64)> = (0..20)
            .map(|i| (6.0 + f64::from(i % 5), 2.0 + f64::from(i % 4) - 1.5))
            .collect();
        let (p, q) = (fieller(&precise), fieller(&noisy));
        assert!((p.estimate - q.estimate).abs() < 1e-12);
        assert!(q.high - q.low > p.high - p.low);
        // A ratio's interval is longer on the side where the denominator nears zero.
        assert!(q.high - q.estimate > q.estimate - q.low, "{q:?}");
        // A pair with NaN is left out.
        let mut with_nan = noisy.clone();
        with_nan.push((f64::NAN, 1.0));
        assert_eq!(fieller(&with_nan), q);
    }

    fn close(actual: f64, expected: f64, rel: f64) -> bool {
        (actual - expected).abs() <= rel * expected.abs()
    }

    #[test]
    fn t_quantile_matches_published_tables() {
        // Two-sided 95% critical values (R: qt(0.975, df)).
        let cases = [
            (1, 12.706204736),
            (2, 4.302652730),
            (3, 3.182446305),
            (4, 2.776445105),
            (5, 2.570581836),
            (10, 2.228138852),
            (19, 2.093024054),
            (30, 2.042272456),
            (100, 1.983971519),
            (1000, 1.962339081),
            (1001, 1.962336705),
            (10_000, 1.960201240),
            (1_000_000_000, 1.959963987),
        ];
        for (df, expected) in cases {
            let t = t_quantile(0.975, df);
            assert!(close(t, expected, 1e-8), "df {df}: {t} vs {expected}");
        }
    }

    #[test]
    fn remembered_quantiles_are_the_computed_ones() {
        // Repeated, alternating and interleaved requests: each answer is the one
        // computed afresh for its own (p, df), never the previous request's.
        for df in [1, 2, 9, 9, 30, 2, 1001, 1001] {
            for p in [0.975, 0.975, 0.9, 0.975, 0.025] {
                assert_eq!(
                    t_quantile(p, df).to_bits(),
                    t_quantile_uncached(p, df).to_bits(),
                    "p {p}, df {df}"
                );
            }
        }
    }

    #[test]
    fn t_quantile_other_levels_and_symmetry() {
        // R: qt(0.995, 7), qt(0.9, 3), qt(0.6, 12).
        assert!(close(t_quantile(0.995, 7), 3.499483297, 1e-8));
        assert!(close(t_quantile(0.9, 3), 1.637744354, 1e-8));
        assert!(close(t_quantile(0.6, 12), 0.259032746, 1e-7));
        assert_eq!(t_quantile(0.025, 5), -t_quantile(0.975, 5));
        assert_eq!(t_quantile(0.5, 9), 0.0);
        assert!(t_quantile(0.975, 0).is_nan());
        assert!(t_quantile(1.0, 5).is_nan());
        assert!(t_quantile(f64::NAN, 5).is_nan());
    }

    #[test]
    fn exact_and_expansion_agree_where_they_meet() {
        let exact = {
            // Force the exact series at a large df by calling the inversion directly.
            let target = 2.0 * 0.975 - 1.0;
            let (mut lo, mut hi) = (0.0_f64, PI / 2.0);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if central_probability(mid, 1000) < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            1000f64.sqrt() * (0.5 * (lo + hi)).tan()
        };
        assert!(close(cornish_fisher(0.975, 1000.0), exact, 1e-12));
    }

    #[test]
    fn normal_quantile_known_values() {
        assert!(close(normal_quantile(0.975), 1.959963984540054, 1e-14));
        assert!(close(normal_quantile(0.999999), 4.753424308822899, 1e-9));
        assert!(close(normal_quantile(0.1), -1.2815515655446004, 1e-14));
    }

    #[test]
    fn summary_known_answer() {
        // mean 5, sample variance 32/7, t(0.975, 7) = 2.364624252.
        let s = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.mean, 5.0);
        assert_eq!(s.n, 8);
        let sd = (32.0_f64 / 7.0).sqrt();
        assert!(close(s.sd, sd, 1e-14));
        let half = 2.364624252 * sd / 8f64.sqrt();
        assert!(close(s.ci95_low, 5.0 - half, 1e-9));
        assert!(close(s.ci95_high, 5.0 + half, 1e-9));
    }

    #[test]
    fn nan_is_skipped_and_small_n_is_undefined() {
        let s = Summary::of(&[f64::NAN, 1.0, 3.0, f64::NAN]);
        assert_eq!((s.mean, s.n), (2.0, 2));
        assert!(close(s.sd, 2f64.sqrt(), 1e-15));
        assert!(close(s.ci95_high - s.mean, 12.706204736, 1e-8));

        let one = Summary::of(&[f64::NAN, 4.5]);
        assert_eq!((one.mean, one.n), (4.5, 1));
        assert!(one.sd.is_nan() && one.ci95_low.is_nan() && one.ci95_high.is_nan());

        let none = Summary::of(&[f64::NAN, f64::NAN]);
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan() && none.sd.is_nan());
        assert!(none.ci95_low.is_nan() && none.ci95_high.is_nan());
        assert_eq!(Summary::of(&[]).n, 0);
    }

    #[test]
    fn constant_values_have_zero_spread() {
        let s = Summary::of(&[0.1; 50]);
        assert_eq!(s.sd, 0.0);
        assert_eq!(s.ci95_low, s.mean);
        assert_eq!(s.ci95_high, s.mean);
    }

    #[test]
    fn spread_survives_a_large_mean() {
        let s = Summary::of(&[1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0]);
        assert!(close(s.sd, 1.0, 1e-9));
    }

    #[test]
    fn medians_skip_undefined_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, f64::NAN, 2.0, 3.0]), 2.5);
        assert!(median(&[f64::NAN]).is_nan());
    }

    #[test]
    fn a_runaway_is_an_order_of_magnitude_above_its_point_s_median() {
        let none = f64::INFINITY;
        assert_eq!(runaways(&[30.0, 35.0, 40.0, 401.0, 399.0], none), vec![3]);
        assert_eq!(runaways(&[1.0, 1.0, f64::NAN, 50.0, 2.0], none), vec![3]);
        // Above the ceiling is flagged whatever the median, even for a lone run.
        assert_eq!(
            runaways(&[1_500.0, 1_200.0, 1_400.0], 1_000.0),
            vec![0, 1, 2]
        );
        assert_eq!(runaways(&[1_500.0], 1_000.0), vec![0]);
        assert!(runaways(&[1_000.0], 1_000.0).is_empty());
        assert!(
            runaways(&[0.0, 0.0, 0.0, 5.0], none).is_empty(),
            "no positive median"
        );
        assert!(runaways(&[1.0, 500.0], none).is_empty(), "too few runs");
    }
}
