//! Paired comparison of reforms against a baseline: `cogov compare BASE REFORM...`.
//!
//! Every scenario runs with common random numbers (replication `r` of every scenario
//! uses the same seed), so the natural estimate of a reform's effect on a metric is
//! the mean of the *paired* differences `reform - baseline`, replication by
//! replication. Random variation shared by the two runs of a pair (the same residents,
//! the same offenders, the same dice) cancels in the difference, so its confidence
//! interval is usually far narrower than the two scenarios' separate intervals
//! suggest: overlapping separate intervals do not mean "no detectable effect".
//!
//! [`PairedAccumulator`] takes one replication at a time, in replication order, and
//! keeps a fixed number of [`Accumulator`]s whatever the number of replications; sums
//! run in arrival order, so the result is bit-for-bit the same whatever the thread
//! count of the run that produced the values. [`Adaptive`] decides, at batch
//! boundaries only, whether the paired intervals are narrow enough to stop.
//!
//! NaN means "undefined for that run" (see [`crate::schema::metrics`]): a pair with NaN on
//! either side is skipped for that metric, so each metric counts its own pairs.
//!
//! This module is pure: no I/O, no clock. Writing the comparison belongs to
//! [`crate::output::comparison`].

use crate::stats::{Accumulator, Summary};

/// Paired results of a comparison, streamed one replication at a time.
///
/// Scenario 0 is the baseline and scenarios `1..S` are the reforms. For every reform
/// and metric it keeps three accumulators over the pairs where both values are
/// defined: the differences, the baseline's values and the reform's values. Keeping
/// the means over the same pairs as the differences makes every row consistent: its
/// reform mean minus its baseline mean is its mean difference (up to rounding), even
/// when some runs left a metric undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedAccumulator {
    scenarios: usize,
    /// Metrics per scenario (the model's [`crate::model::Model::metrics`]).
    metrics: usize,
    replications: u64,
    /// Indexed `(reform - 1) * metrics + metric`, as are the two below.
    differences: Vec<Accumulator>,
    baseline: Vec<Accumulator>,
    reform: Vec<Accumulator>,
}

impl PairedAccumulator {
    /// An empty accumulator for `scenarios` scenarios (the baseline and
    /// `scenarios - 1` reforms), each reporting `metrics` metrics (in the model's
    /// [`crate::model::Model::metrics`] order).
    ///
    /// # Panics
    /// If `scenarios < 2`: a comparison needs a baseline and at least one reform.
    pub fn new(scenarios: usize, metrics: usize) -> PairedAccumulator {
        assert!(
            scenarios >= 2,
            "a comparison needs a baseline and at least one reform, got {scenarios} scenario(s)"
        );
        let cells = (scenarios - 1) * metrics;
        PairedAccumulator {
            scenarios,
            metrics,
            replications: 0,
            differences: vec![Accumulator::new(); cells],
            baseline: vec![Accumulator::new(); cells],
            reform: vec![Accumulator::new(); cells],
        }
    }

    /// Adds one replication: `per_scenario[s]` holds scenario `s`'s end-of-run metrics
    /// in the model's order (baseline first). Call once per replication, in
    /// replication order.
    ///
    /// A pair whose difference is undefined (NaN on either side, or `Inf - Inf`) is
    /// skipped for that metric.
    ///
    /// # Panics
    /// If there is not one slice per scenario or a slice is not one value per metric:
    /// the caller mixed up its buffers.
    pub fn push(&mut self, per_scenario: &[&[f64]]) {
        assert_eq!(
            per_scenario.len(),
            self.scenarios,
            "one slice of metrics per scenario"
        );
        for values in per_scenario {
            assert_eq!(values.len(), self.metrics, "one value per metric");
        }
        let base = per_scenario[0];
        for (reform, values) in per_scenario[1..].iter().enumerate() {
            for (metric, (&b, &x)) in base.iter().zip(values.iter()).enumerate() {
                let difference = x - b;
                if difference.is_nan() {
                    continue;
                }
                let cell = reform * self.metrics + metric;
                self.differences[cell].push(difference);
                self.baseline[cell].push(b);
                self.reform[cell].push(x);
            }
        }
        self.replications += 1;
    }

    /// Replications pushed so far.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// The comparison so far: reforms `1..S` in order, each with every metric in
    /// the model's order.
    pub fn rows(&self) -> Vec<ComparisonRow> {
        let mut rows = Vec::with_capacity(self.differences.len());
        for reform in 1..self.scenarios {
            for metric in 0..self.metrics {
                rows.push(self.row(reform, metric));
            }
        }
        rows
    }

    /// The row of one reform (`1..S`) and metric.
    fn row(&self, reform: usize, metric: usize) -> ComparisonRow {
        let cell = (reform - 1) * self.metrics + metric;
        let difference = self.differences[cell].summary();
        let baseline_mean = self.baseline[cell].summary().mean;
        let reform_mean = self.reform[cell].summary().mean;
        ComparisonRow {
            reform,
            metric,
            baseline_mean,
            reform_mean,
            difference,
            relative_change: relative_change(baseline_mean, difference.mean),
            effect_size: effect_size(&difference),
        }
    }

    /// The largest 95% CI half-width (half the interval's width) of the paired
    /// differences of `metrics` (indices into the model's metrics) over all reforms.
    ///
    /// NaN if any of them is undefined (fewer than two pairs, for instance a metric
    /// that is NA in every run) or if `metrics` is empty: an interval that cannot be
    /// measured is never narrow enough.
    ///
    /// # Panics
    /// If an index is not below the number of metrics.
    pub fn max_half_width(&self, metrics: &[usize]) -> f64 {
        if metrics.is_empty() {
            return f64::NAN;
        }
        let mut widest = 0.0_f64;
        for reform in 1..self.scenarios {
            for &metric in metrics {
                assert!(metric < self.metrics, "metric index {metric} out of range");
                let s = self.differences[(reform - 1) * self.metrics + metric].summary();
                let half_width = 0.5 * (s.ci95_high - s.ci95_low);
                if half_width.is_nan() {
                    return f64::NAN;
                }
                widest = widest.max(half_width);
            }
        }
        widest
    }
}

/// `reform / baseline - 1` for means over the same pairs, computed as
/// `mean difference / baseline` (the same quantity, without the cancellation of
/// subtracting 1, so a reform that changes nothing shows exactly 0); NaN when the
/// baseline mean is 0 (no relative scale) or undefined.
fn relative_change(baseline: f64, mean_difference: f64) -> f64 {
    if baseline == 0.0 {
        return f64::NAN;
    }
    mean_difference / baseline
}

/// Cohen's d_z: mean paired difference over the standard deviation of the differences.
///
/// NaN when the spread is undefined (fewer than two pairs) or zero. With zero spread
/// and a zero mean, 0/0 has no value. With zero spread and a nonzero mean (every pair
/// moved by exactly the same amount, as when a reform pins a metric), the ratio would
/// be an infinity, which reads as "infinitely large effect" and would swamp any
/// average or ranking of effect sizes; the difference and its (zero-width) interval
/// already say everything, so the standardised effect is reported as undefined.
fn effect_size(difference: &Summary) -> f64 {
    if difference.sd == 0.0 || difference.sd.is_nan() {
        return f64::NAN;
    }
    difference.mean / difference.sd
}

/// One reform's effect on one metric, from the paired replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComparisonRow {
    /// Scenario index of the reform (1 or more; 0 is the baseline).
    pub reform: usize,
    /// Index into the model's metrics ([`crate::model::Model::metrics`]).
    pub metric: usize,
    /// Mean of the baseline's values over the pairs counted in `difference.n`.
    pub baseline_mean: f64,
    /// Mean of the reform's values over the same pairs.
    pub reform_mean: f64,
    /// The paired differences `reform - baseline`: mean, sd, 95% CI (Student's t on
    /// the differences) and `n`, the number of pairs where both values are defined.
    pub difference: Summary,
    /// `reform_mean / baseline_mean - 1`, computed as `difference.mean /
    /// baseline_mean` (the same over the same pairs, without cancellation); NaN when
    /// the baseline mean is 0.
    pub relative_change: f64,
    /// Cohen's d_z, `difference.mean / difference.sd`; NaN when the sd is undefined or
    /// 0 (never an infinity).
    pub effect_size: f64,
}

impl ComparisonRow {
    /// True when the 95% CI of the paired difference lies wholly above or wholly
    /// below zero; false when it contains zero or is undefined.
    pub fn excludes_zero(&self) -> bool {
        self.difference.ci95_low > 0.0 || self.difference.ci95_high < 0.0
    }
}

/// Adaptive replication: run batches of replications until the paired intervals of
/// the chosen metrics are narrow enough, or the maximum is reached.
///
/// The decision depends only on the replications' values, taken at fixed counts
/// (`batch`, `2 * batch`, ..., and `max`), so a rerun with the same seed stops at the
/// same replication whatever the thread count.
#[derive(Debug, Clone, PartialEq)]
pub struct Adaptive {
    /// Stop when every chosen metric's 95% CI half-width is at most this, in the
    /// metric's own unit.
    pub precision: f64,
    /// Indices into the model's metrics whose intervals must reach `precision`.
    pub metrics: Vec<usize>,
    /// Replications between decisions (0 is taken as 1).
    pub batch: u64,
    /// The most replications to run.
    pub max: u64,
}

/// Why a comparison stopped adding replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StopReason {
    /// Every chosen interval reached the precision; `half_width` is the widest.
    Precision { half_width: f64 },
    /// The maximum number of replications was reached first; `half_width` is the
    /// widest chosen interval then (NaN if one was undefined).
    Maximum { half_width: f64 },
    /// A fixed number of replications was asked for (no adaptive rule); [`Adaptive`]
    /// never returns this.
    Fixed,
}

impl Adaptive {
    /// Whether to stop after the replications pushed so far: `None` means run
    /// another batch.
    ///
    /// Decisions are made only at batch boundaries and at `max`; in between this
    /// returns `None`. Precision wins when both hold at once.
    pub fn decide(&self, acc: &PairedAccumulator) -> Option<StopReason> {
        let done = acc.replications();
        let at_max = done >= self.max;
        if !at_max && (done == 0 || !done.is_multiple_of(self.batch.max(1))) {
            return None;
        }
        let half_width = acc.max_half_width(&self.metrics);
        if half_width <= self.precision {
            Some(StopReason::Precision { half_width })
        } else if at_max {
            Some(StopReason::Maximum { half_width })
        } else {
            None
        }
    }

    /// The replication count at which to decide next, after `done`: the next batch
    /// boundary, capped at `max`.
    pub fn next_checkpoint(&self, done: u64) -> u64 {
        let batch = self.batch.max(1);
        let next = (done / batch + 1).saturating_mul(batch);
        next.min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::metrics::METRICS;

    const M: usize = 0;

    /// An accumulator fed `scenarios[s][r]` as metric `M` of scenario `s` in
    /// replication `r`; every other metric is 0.
    fn paired(scenarios: &[&[f64]]) -> PairedAccumulator {
        let mut acc = PairedAccumulator::new(scenarios.len(), METRICS.len());
        let replications = scenarios[0].len();
        for r in 0..replications {
            let rows: Vec<Vec<f64>> = scenarios
                .iter()
                .map(|values| {
                    let mut row = vec![0.0; METRICS.len()];
                    row[M] = values[r];
                    row
                })
                .collect();
            let slices: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
            acc.push(&slices);
        }
        acc
    }

    /// The row of reform 1, metric `M`, for a baseline and one reform.
    fn row(baseline: &[f64], reform: &[f64]) -> ComparisonRow {
        paired(&[baseline, reform]).rows()[M]
    }

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    #[test]
    fn hand_computed_case() {
        // Differences [1, 0, 2, 1]: mean 1, sd sqrt(2/3) = 0.8165, t(0.975, 3) =
        // 3.182446, half-width 3.182446 * 0.8165 / 2 = 1.299228.
        let r = row(&[1.0, 2.0, 3.0, 4.0], &[2.0, 2.0, 5.0, 5.0]);
        assert_eq!((r.reform, r.metric), (1, M));
        assert_eq!((r.baseline_mean, r.reform_mean), (2.5, 3.5));
        assert_eq!((r.difference.mean, r.difference.n), (1.0, 4));
        assert!(close(r.difference.sd, (2.0_f64 / 3.0).sqrt(), 1e-15));
        assert!(close(r.difference.ci95_low, -0.299_228_264, 1e-8));
        assert!(close(r.difference.ci95_high, 2.299_228_264, 1e-8));
        assert!(close(r.relative_change, 0.4, 1e-15));
        assert!(close(r.effect_size, 1.0 / (2.0_f64 / 3.0).sqrt(), 1e-15));
        assert!(!r.excludes_zero());
    }

    #[test]
    fn pairing_detects_what_separate_intervals_miss() {
        // Replications differ a lot from each other (shared noise) but the reform
        // adds about 1 in every one of them.
        let baseline = [10.0, 20.0, 30.0, 40.0, 50.0];
        let reform = [11.0, 21.2, 30.8, 41.1, 50.9];
        let r = row(&baseline, &reform);
        assert!(r.excludes_zero());
        assert!(close(r.difference.mean, 1.0, 1e-12));
        let (b, x) = (Summary::of(&baseline), Summary::of(&reform));
        assert!(
            b.ci95_high > x.ci95_low && x.ci95_high > b.ci95_low,
            "separate intervals overlap"
        );
        assert!(r.difference.ci95_high - r.difference.ci95_low < 1.0);
    }

    #[test]
    fn pairs_with_nan_on_either_side_are_skipped() {
        let nan = f64::NAN;
        let r = row(&[1.0, nan, 3.0, 4.0, 5.0], &[2.0, 7.0, nan, 5.0, 6.0]);
        assert_eq!(r.difference.n, 3);
        assert_eq!(r.difference.mean, 1.0);
        // The means are over the same three pairs, so they differ by the mean difference.
        assert_eq!((r.baseline_mean, r.reform_mean), (10.0 / 3.0, 13.0 / 3.0));
        // Infinity minus infinity is no difference either.
        let inf = f64::INFINITY;
        assert_eq!(row(&[inf, 1.0, 2.0], &[inf, 1.0, 3.0]).difference.n, 2);
        // Nothing defined: everything NA, not a panic.
        let none = row(&[nan, nan], &[1.0, 2.0]);
        assert_eq!(none.difference.n, 0);
        assert!(none.baseline_mean.is_nan() && none.reform_mean.is_nan());
        assert!(none.relative_change.is_nan() && none.effect_size.is_nan());
        assert!(!none.excludes_zero());
    }

    #[test]
    fn relative_change_and_effect_size_edge_cases() {
        // (baseline, reform, relative change, effect size); NaN compares via is_nan.
        let nan = f64::NAN;
        let cases: [(&[f64], &[f64], f64, f64); 6] = [
            // Baseline mean 0: no relative scale.
            (&[0.0, 0.0, 0.0], &[1.0, 2.0, 3.0], nan, 2.0),
            (&[-1.0, 1.0], &[-1.0, 1.0], nan, nan),
            // Identical runs: no change, 0/0 effect.
            (&[2.0, 4.0], &[2.0, 4.0], 0.0, nan),
            // Every pair moves by exactly 1: zero spread, effect undefined, not Inf.
            (&[2.0, 4.0, 6.0], &[3.0, 5.0, 7.0], 0.25, nan),
            // One pair: sd undefined.
            (&[2.0], &[3.0], 0.5, nan),
            // A halving.
            (&[4.0, 6.0], &[2.0, 3.0], -0.5, -2.5 / 0.5_f64.sqrt()),
        ];
        for (baseline, reform, change, effect) in cases {
            let r = row(baseline, reform);
            let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || close(a, b, 1e-12);
            assert!(
                same(r.relative_change, change),
                "{baseline:?} {reform:?}: {r:?}"
            );
            assert!(
                same(r.effect_size, effect),
                "{baseline:?} {reform:?}: {r:?}"
            );
            assert!(!r.effect_size.is_infinite());
        }
        // Zero spread with a nonzero mean: a zero-width interval away from 0.
        assert!(row(&[2.0, 4.0, 6.0], &[3.0, 5.0, 7.0]).excludes_zero());
    }

    #[test]
    fn rows_cover_every_reform_and_metric_in_order() {
        let acc = paired(&[&[1.0, 2.0], &[2.0, 3.0], &[0.0, 0.0]]);
        let rows = acc.rows();
        assert_eq!(rows.len(), 2 * METRICS.len());
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                (r.reform, r.metric),
                (1 + i / METRICS.len(), i % METRICS.len())
            );
        }
        assert_eq!(rows[M].difference.mean, 1.0);
        assert_eq!(rows[METRICS.len() + M].difference.mean, -1.5);
        assert_eq!(acc.replications(), 2);
    }

    #[test]
    fn max_half_width_takes_the_widest_and_nan_wins() {
        // Reform 1: differences [1, 0, 2, 1] (half-width 1.299228); reform 2:
        // differences [0, 0, 0, 0] (half-width 0). Other metrics are 0 throughout.
        let acc = paired(&[
            &[1.0, 2.0, 3.0, 4.0],
            &[2.0, 2.0, 5.0, 5.0],
            &[1.0, 2.0, 3.0, 4.0],
        ]);
        let expected = 3.182_446_305 * (2.0_f64 / 3.0).sqrt() / 2.0;
        assert!(close(acc.max_half_width(&[M]), expected, 1e-8));
        assert!(close(acc.max_half_width(&[M, 1, 2]), expected, 1e-8));
        assert_eq!(acc.max_half_width(&[1, 2]), 0.0);
        assert!(acc.max_half_width(&[]).is_nan());
        // One replication: no interval yet.
        assert!(paired(&[&[1.0], &[2.0]]).max_half_width(&[M]).is_nan());
        // A metric undefined in one scenario throughout.
        let nan = f64::NAN;
        let undefined = paired(&[&[1.0, 2.0, 3.0], &[nan, nan, nan], &[1.0, 2.0, 4.0]]);
        assert!(undefined.max_half_width(&[M]).is_nan());
        assert_eq!(undefined.max_half_width(&[1]), 0.0);
    }

    /// Replication `r`'s baseline and reform values of metric `M`: shared noise, an
    /// effect of 1 and a pair-level wobble that shrinks the interval as 1/sqrt(n).
    fn replication(r: u64) -> [f64; 2] {
        let noise = ((r * 7919) % 101) as f64;
        let wobble = if r.is_multiple_of(2) { 0.5 } else { -0.5 };
        [noise, noise + 1.0 + wobble]
    }

    /// Runs `rule` as a runner would: batches up to each checkpoint, then a decision.
    /// Returns the replications done and why it stopped.
    fn run(rule: &Adaptive) -> (u64, StopReason) {
        let mut acc = PairedAccumulator::new(2, METRICS.len());
        loop {
            let target = rule.next_checkpoint(acc.replications());
            while acc.replications() < target {
                let [b, x] = replication(acc.replications());
                let (mut base, mut reform) = (vec![0.0; METRICS.len()], vec![0.0; METRICS.len()]);
                base[M] = b;
                reform[M] = x;
                acc.push(&[&base, &reform]);
            }
            if let Some(reason) = rule.decide(&acc) {
                return (acc.replications(), reason);
            }
        }
    }

    #[test]
    fn adaptive_stops_at_precision_on_a_batch_boundary() {
        let rule = Adaptive {
            precision: 0.25,
            metrics: vec![M],
            batch: 10,
            max: 1000,
        };
        let (done, reason) = run(&rule);
        // Half-width ~ 2.0 * 0.5 / sqrt(n) <= 0.25 needs n >= 16 or so: 20 replications.
        assert_eq!(done, 20);
        let StopReason::Precision { half_width } = reason else {
            panic!("{reason:?}")
        };
        assert!(half_width <= 0.25);
        // Deterministic: the same answer again.
        assert_eq!(run(&rule), (done, reason));
        // No decision between boundaries.
        let acc = paired(&[&[1.0; 15], &[1.0; 15]]);
        assert_eq!(rule.decide(&acc), None);
    }

    #[test]
    fn adaptive_stops_at_max_even_off_a_boundary() {
        let rule = Adaptive {
            precision: 0.001,
            metrics: vec![M],
            batch: 10,
            max: 25,
        };
        assert_eq!(
            (
                rule.next_checkpoint(0),
                rule.next_checkpoint(10),
                rule.next_checkpoint(20)
            ),
            (10, 20, 25)
        );
        let (done, reason) = run(&rule);
        assert_eq!(done, 25);
        let StopReason::Maximum { half_width } = reason else {
            panic!("{reason:?}")
        };
        assert!(half_width > 0.001);
        // An undefined interval never meets the precision: it runs to the maximum.
        let nan_rule = Adaptive {
            precision: 1e9,
            metrics: vec![],
            batch: 1,
            max: 3,
        };
        let (done, reason) = run(&nan_rule);
        assert_eq!(done, 3);
        assert!(matches!(reason, StopReason::Maximum { half_width } if half_width.is_nan()));
    }

    #[test]
    #[should_panic(expected = "at least one reform")]
    fn a_comparison_needs_a_reform() {
        PairedAccumulator::new(1, METRICS.len());
    }
}
