//! The civil-violence model's outputs: its end-of-run metrics and per-tick series
//! columns (defined once here, in the same [`crate::schema::metrics::MetricDef`] shape as the co-governance
//! model's tables in [`crate::metrics`]), and the outburst bookkeeping that turns the
//! series of actives into them.
//!
//! An outburst is a maximal run of ticks with actives strictly above the outburst
//! level (the paper's "exceeds 50"). An outburst still under way when the run ends is
//! counted, with the duration it had reached. The wait between two outbursts is the
//! number of ticks from the last tick of one to the first tick of the next, exclusive
//! (the length of the calm between them).

use crate::schema::metrics::metric_table;

const INF: f64 = f64::INFINITY;

metric_table! {
    pub static CV_METRICS; pub enum CvMetric {
        Outbursts => "outbursts", "count", [0.0, INF],
            "Outbursts in the measured window: maximal runs of ticks with actives above the outburst level (one still under way at the end counts).";
        OutburstMeanPeak => "outburst_mean_peak", "actives", [0.0, INF],
            "Mean over outbursts of the largest number of actives in each (NA without an outburst).";
        OutburstMeanDuration => "outburst_mean_duration", "ticks", [0.0, INF],
            "Mean over outbursts of their length in ticks (NA without an outburst).";
        OutburstMeanActivation => "outburst_mean_activation", "active-ticks", [0.0, INF],
            "Mean over outbursts of the actives summed over their ticks, the paper's total activation per outburst (NA without an outburst).";
        OutburstMeanWait => "outburst_mean_wait", "ticks", [0.0, INF],
            "Mean number of calm ticks between the end of one outburst and the start of the next (NA with fewer than two outbursts).";
        CalmShare => "calm_share", "share of ticks", [0.0, 1.0],
            "Share of measured ticks outside any outburst.";
        MeanActive => "mean_active", "actives", [0.0, INF],
            "Mean number of active citizens over the measured ticks.";
        MaxActive => "max_active", "actives", [0.0, INF],
            "Largest number of active citizens in any measured tick.";
        MaxJailed => "max_jailed", "citizens", [0.0, INF],
            "Largest number of jailed citizens in any measured tick.";
        WatchedActiveShare => "deterrable_active_watched", "share", [0.0, 1.0],
            "Deception, with cops in view: over the measured decisions (rule A) of deterrable citizens (aggrieved, G > T, but G - R <= T, so the arrest risk decides) who had at least one cop in view, the share who were active (NA without such a decision).";
        UnwatchedActiveShare => "deterrable_active_unwatched", "share", [0.0, 1.0],
            "Deception, with no cop in view: the same share over the decisions of deterrable citizens who saw no cop; under every arrest rule P = 0 then, so it is 1 (NA without such a decision).";
        TimeToTipping => "time_to_tipping", "tick", [1.0, INF],
            "First measured tick (counted from the start of the run, warm-up included) whose actives exceed the tipping level (NA if none does).";
        FinalQuiet => "final_quiet", "citizens", [0.0, INF],
            "Quiet citizens at the end of the run.";
        FinalActive => "final_active", "citizens", [0.0, INF],
            "Active citizens at the end of the run.";
        FinalJailed => "final_jailed", "citizens", [0.0, INF],
            "Jailed citizens at the end of the run.";
    }
}

metric_table! {
    pub static CV_SERIES; pub enum CvSeries {
        Quiet => "quiet", "citizens", [0.0, INF],
            "Free citizens who are quiet at the end of the tick.";
        Active => "active", "citizens", [0.0, INF],
            "Free citizens who are active (openly rebelling) at the end of the tick.";
        Jailed => "jailed", "citizens", [0.0, INF],
            "Citizens in jail at the end of the tick.";
        Cops => "cops", "cops", [0.0, INF],
            "Cops on the lattice during the tick.";
        Legitimacy => "legitimacy", "legitimacy (0-1)", [0.0, 1.0],
            "Legitimacy L during the tick.";
    }
}

/// What the outburst bookkeeping found in a series of actives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outbursts {
    pub count: u32,
    /// NaN when there is no outburst.
    pub mean_peak: f64,
    pub mean_duration: f64,
    pub mean_activation: f64,
    /// NaN with fewer than two outbursts.
    pub mean_wait: f64,
    /// Share of ticks outside any outburst (NaN for an empty series).
    pub calm_share: f64,
}

/// Finds the outbursts in `actives` (one value per tick, in order): maximal runs of
/// ticks with actives strictly above `level`.
pub fn outbursts(actives: impl IntoIterator<Item = f64>, level: f64) -> Outbursts {
    let mut ticks = 0u64;
    let mut count = 0u32;
    let (mut peak_sum, mut duration_sum, mut activation_sum) = (0.0, 0u64, 0.0);
    let (mut waits, mut wait_sum) = (0u32, 0u64);
    // The running outburst: (peak, duration, activation).
    let mut current: Option<(f64, u64, f64)> = None;
    // Calm ticks since the last outburst ended, if one has.
    let mut calm_since_last: Option<u64> = None;
    let mut calm = 0u64;
    let mut close = |(peak, duration, activation): (f64, u64, f64), count: &mut u32| {
        *count += 1;
        peak_sum += peak;
        duration_sum += duration;
        activation_sum += activation;
    };
    for a in actives {
        ticks += 1;
        if a > level {
            current = Some(match current {
                Some((peak, d, act)) => (peak.max(a), d + 1, act + a),
                None => {
                    if let Some(w) = calm_since_last.take() {
                        waits += 1;
                        wait_sum += w;
                    }
                    (a, 1, a)
                }
            });
        } else {
            calm += 1;
            if let Some(done) = current.take() {
                close(done, &mut count);
                calm_since_last = Some(0);
            }
            if let Some(w) = calm_since_last.as_mut() {
                *w += 1;
            }
        }
    }
    if let Some(done) = current.take() {
        close(done, &mut count);
    }
    let per = |sum: f64, n: u32| if n == 0 { f64::NAN } else { sum / f64::from(n) };
    Outbursts {
        count,
        mean_peak: per(peak_sum, count),
        mean_duration: per(duration_sum as f64, count),
        mean_activation: per(activation_sum, count),
        mean_wait: per(wait_sum as f64, waits),
        calm_share: if ticks == 0 {
            f64::NAN
        } else {
            calm as f64 / ticks as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_indices_match_table_rows_and_names_are_unique() {
        assert_eq!(
            CvMetric::FinalJailed.def().name,
            CV_METRICS.last().unwrap().name
        );
        assert_eq!(
            CvSeries::Legitimacy.def().name,
            CV_SERIES.last().unwrap().name
        );
        for table in [CV_METRICS, CV_SERIES] {
            let mut names: Vec<_> = table.iter().map(|m| m.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.len());
            assert!(table.iter().all(|m| m.doc.len() > 10 && m.min < m.max));
        }
    }

    fn check(actives: &[f64], level: f64) -> Outbursts {
        outbursts(actives.iter().copied(), level)
    }

    #[test]
    fn two_outbursts_with_a_calm_between() {
        // Calm, an outburst of 3 ticks (60, 100, 120 -> activation 280), 2 calm ticks,
        // an outburst of 2 ticks (55, 70), calm to the end. At exactly 50 it is calm.
        let o = check(
            &[10.0, 60.0, 100.0, 120.0, 50.0, 20.0, 55.0, 70.0, 3.0],
            50.0,
        );
        assert_eq!(o.count, 2);
        assert_eq!(o.mean_peak, (120.0 + 70.0) / 2.0);
        assert_eq!(o.mean_duration, 2.5);
        assert_eq!(o.mean_activation, (280.0 + 125.0) / 2.0);
        assert_eq!(o.mean_wait, 2.0);
        assert_eq!(o.calm_share, 4.0 / 9.0);
    }

    #[test]
    fn an_outburst_under_way_at_the_end_counts() {
        let o = check(&[0.0, 80.0, 90.0], 50.0);
        assert_eq!((o.count, o.mean_duration, o.mean_peak), (1, 2.0, 90.0));
        assert!(o.mean_wait.is_nan(), "one outburst has no wait");
    }

    #[test]
    fn no_outburst_leaves_the_outburst_statistics_undefined() {
        let o = check(&[0.0, 10.0, 50.0], 50.0);
        assert_eq!(o.count, 0);
        assert!(o.mean_peak.is_nan() && o.mean_duration.is_nan());
        assert!(o.mean_activation.is_nan() && o.mean_wait.is_nan());
        assert_eq!(o.calm_share, 1.0);
        assert!(check(&[], 50.0).calm_share.is_nan());
    }

    #[test]
    fn a_wait_only_counts_calm_between_outbursts() {
        // Calm before the first outburst and after the last is not a wait.
        let o = check(&[0.0, 0.0, 0.0, 60.0, 0.0, 60.0, 0.0, 0.0, 0.0], 50.0);
        assert_eq!((o.count, o.mean_wait), (2, 1.0));
    }
}
