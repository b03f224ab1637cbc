//! The civil-violence model's outputs: its end-of-run metrics and per-tick series
//! columns (defined once here, in the same [`crate::schema::metrics::MetricDef`] shape
//! as the co-governance model's tables), the outburst bookkeeping, and [`summarise`],
//! which turns a run's series into its metrics. The world writes the series; every
//! formula of a metric is here.
//!
//! An outburst is a maximal run of ticks with actives strictly above the outburst
//! level (the paper's "exceeds 50"). An outburst still under way when the run ends is
//! counted, with the duration it had reached. The wait between two outbursts is the
//! number of ticks from the last tick of one to the first tick of the next, exclusive
//! (the length of the calm between them).

use super::params::CvParams;
use crate::schema::metrics::metric_table;

const INF: f64 = f64::INFINITY;

metric_table! {
    pub static CV_METRICS; pub enum CvMetric {
        Outbursts => "outbursts", "count", [0.0, INF], Lower, PublicOrder,
            "Outbursts in the measured window: maximal runs of ticks with actives above the outburst level (one still under way at the end counts).";
        OutburstMeanPeak => "outburst_mean_peak", "actives", [0.0, INF], Lower, PublicOrder,
            "Mean over outbursts of the largest number of actives in each (NA without an outburst).";
        OutburstMeanDuration => "outburst_mean_duration", "ticks", [0.0, INF], Lower, PublicOrder,
            "Mean over outbursts of their length in ticks (NA without an outburst).";
        OutburstMeanActivation => "outburst_mean_activation", "active-ticks", [0.0, INF], Lower, PublicOrder,
            "Mean over outbursts of the actives summed over their ticks, the paper's total activation per outburst (NA without an outburst).";
        OutburstMeanWait => "outburst_mean_wait", "ticks", [0.0, INF], Higher, PublicOrder,
            "Mean number of calm ticks between the end of one outburst and the start of the next (NA with fewer than two outbursts).";
        CalmShare => "calm_share", "share of ticks", [0.0, 1.0], Higher, PublicOrder,
            "Share of measured ticks outside any outburst.";
        MeanActive => "mean_active", "actives", [0.0, INF], Lower, PublicOrder,
            "Mean number of active citizens over the measured ticks.";
        MaxActive => "max_active", "actives", [0.0, INF], Lower, PublicOrder,
            "Largest number of active citizens in any measured tick.";
        MaxJailed => "max_jailed", "citizens", [0.0, INF], Neither, PublicOrder,
            "Largest number of jailed citizens in any measured tick.";
        WatchedActiveShare => "deterrable_active_watched", "share", [0.0, 1.0], Neither, Other,
            "Deception, with cops in view: over the measured decisions (rule A) of deterrable citizens (aggrieved, G > T, but G - R <= T, so the arrest risk decides) who had at least one cop in view, the share who were active (NA without such a decision).";
        UnwatchedActiveShare => "deterrable_active_unwatched", "share", [0.0, 1.0], Neither, Other,
            "Deception, with no cop in view: the same share over the decisions of deterrable citizens who saw no cop; under every arrest rule P = 0 then, so it is 1 (NA without such a decision).";
        TimeToTipping => "time_to_tipping", "tick", [1.0, INF], Higher, PublicOrder,
            "First measured tick (counted from the start of the run, warm-up included) whose actives exceed the tipping level (NA if none does).";
        FinalQuiet => "final_quiet", "citizens", [0.0, INF], Higher, PublicOrder,
            "Quiet citizens at the end of the run.";
        FinalActive => "final_active", "citizens", [0.0, INF], Lower, PublicOrder,
            "Active citizens at the end of the run.";
        FinalJailed => "final_jailed", "citizens", [0.0, INF], Neither, PublicOrder,
            "Jailed citizens at the end of the run.";
    }
}

/// The metrics a comparison's table shows unless `--metric` says otherwise.
pub const CV_HEADLINE: &[CvMetric] = &[
    CvMetric::Outbursts,
    CvMetric::OutburstMeanPeak,
    CvMetric::OutburstMeanWait,
    CvMetric::CalmShare,
    CvMetric::MeanActive,
    CvMetric::MaxActive,
    CvMetric::TimeToTipping,
    CvMetric::FinalQuiet,
    CvMetric::FinalActive,
    CvMetric::FinalJailed,
];

/// The metrics a report shows first.
pub const CV_KEY: &[CvMetric] = &[
    CvMetric::MeanActive,
    CvMetric::Outbursts,
    CvMetric::MaxJailed,
    CvMetric::FinalQuiet,
];

/// The series of Epstein's figures: quiet, active and jailed citizens over time.
pub const CV_HEADLINE_SERIES: &[CvSeries] = &[CvSeries::Quiet, CvSeries::Active, CvSeries::Jailed];

/// The codes of [`CvCell::State`], in order: what a lattice cell holds at the end of
/// the last tick.
pub const CELL_STATES: [&str; 5] = ["empty", "quiet", "active", "jailed", "cop"];

metric_table! {
    pub static CV_CELLS; pub enum CvCell {
        State => "state", "code: 0 empty, 1 quiet, 2 active, 3 jailed in place, 4 cop", [0.0, 4.0], Neither, PublicOrder,
            "What the cell holds at the end of the last tick: 0 empty, 1 a quiet citizen, 2 an active citizen, 3 a citizen jailed in place (jail.rule = \"in_place\"; jailed citizens who leave the lattice leave their cell empty), 4 a cop.";
    }
}

metric_table! {
    pub static CV_SERIES; pub enum CvSeries {
        Quiet => "quiet", "citizens", [0.0, INF], Higher, PublicOrder,
            "Free citizens who are quiet at the end of the tick.";
        Active => "active", "citizens", [0.0, INF], Lower, PublicOrder,
            "Free citizens who are active (openly rebelling) at the end of the tick.";
        Jailed => "jailed", "citizens", [0.0, INF], Neither, PublicOrder,
            "Citizens in jail at the end of the tick.";
        Cops => "cops", "cops", [0.0, INF], Neither, Other,
            "Cops on the lattice during the tick.";
        Legitimacy => "legitimacy", "legitimacy (0-1)", [0.0, 1.0], Higher, Cooperation,
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

/// The end-of-run metrics, in [`CV_METRICS`] order, of a run of `p`: `series` is its
/// row-major series (warm-up rows first, [`CV_SERIES`] columns), `citizens` the number
/// placed at the start, and `deterrable` the measured decisions of deterrable citizens
/// and how many were active, with at least one cop in view (`[0]`) and with none
/// (`[1]`).
pub fn summarise(
    p: &CvParams,
    series: &[f64],
    citizens: usize,
    deterrable: [(u64, u64); 2],
) -> Vec<f64> {
    let cols = CV_SERIES.len();
    let warmup = p.run.warmup_ticks as usize;
    let column = |col: CvSeries| {
        series[warmup * cols..]
            .chunks_exact(cols)
            .map(move |row| row[col as usize])
    };
    let bursts = outbursts(column(CvSeries::Active), f64::from(p.outbursts.level));
    let tipping = p.outbursts.tipping_share * citizens as f64;
    let measured = p.run.ticks as f64;
    let last = &series[series.len() - cols..];
    let mut m = vec![f64::NAN; CV_METRICS.len()];
    let mut set = |metric: CvMetric, value: f64| m[metric as usize] = value;
    set(CvMetric::Outbursts, f64::from(bursts.count));
    set(CvMetric::OutburstMeanPeak, bursts.mean_peak);
    set(CvMetric::OutburstMeanDuration, bursts.mean_duration);
    set(CvMetric::OutburstMeanActivation, bursts.mean_activation);
    set(CvMetric::OutburstMeanWait, bursts.mean_wait);
    set(CvMetric::CalmShare, bursts.calm_share);
    set(
        CvMetric::MeanActive,
        column(CvSeries::Active).sum::<f64>() / measured,
    );
    set(
        CvMetric::MaxActive,
        column(CvSeries::Active).fold(0.0, f64::max),
    );
    set(
        CvMetric::MaxJailed,
        column(CvSeries::Jailed).fold(0.0, f64::max),
    );
    let share = |(decisions, active): (u64, u64)| {
        if decisions == 0 {
            f64::NAN
        } else {
            active as f64 / decisions as f64
        }
    };
    set(CvMetric::WatchedActiveShare, share(deterrable[0]));
    set(CvMetric::UnwatchedActiveShare, share(deterrable[1]));
    set(
        CvMetric::TimeToTipping,
        column(CvSeries::Active)
            .position(|a| a > tipping)
            .map_or(f64::NAN, |row| (warmup + row + 1) as f64),
    );
    set(CvMetric::FinalQuiet, last[CvSeries::Quiet as usize]);
    set(CvMetric::FinalActive, last[CvSeries::Active as usize]);
    set(CvMetric::FinalJailed, last[CvSeries::Jailed as usize]);
    m
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

    #[test]
    fn summarise_reads_the_measured_rows_only() {
        // Three ticks, the first a warm-up tick with 90 actives; measured: 60 then 10.
        let mut p = CvParams::default();
        p.run.warmup_ticks = 1;
        p.run.ticks = 2;
        p.outbursts.tipping_share = 0.05;
        let row = |quiet: f64, active: f64, jailed: f64| [quiet, active, jailed, 4.0, 0.8];
        let series: Vec<f64> = [
            row(10.0, 90.0, 0.0),
            row(30.0, 60.0, 10.0),
            row(85.0, 10.0, 5.0),
        ]
        .concat();
        let m = summarise(&p, &series, 100, [(4, 1), (0, 0)]);
        let get = |x: CvMetric| m[x as usize];
        assert_eq!(
            get(CvMetric::Outbursts),
            1.0,
            "60 > 50; the warm-up 90 is not measured"
        );
        assert_eq!(get(CvMetric::MeanActive), 35.0);
        assert_eq!(get(CvMetric::MaxActive), 60.0);
        assert_eq!(get(CvMetric::MaxJailed), 10.0);
        assert_eq!(get(CvMetric::CalmShare), 0.5);
        assert_eq!(get(CvMetric::WatchedActiveShare), 0.25);
        assert!(get(CvMetric::UnwatchedActiveShare).is_nan());
        // Tipping above 5 of 100 citizens: the first measured row, tick 2 of the run.
        assert_eq!(get(CvMetric::TimeToTipping), 2.0);
        assert_eq!(
            (
                get(CvMetric::FinalQuiet),
                get(CvMetric::FinalActive),
                get(CvMetric::FinalJailed)
            ),
            (85.0, 10.0, 5.0)
        );
    }
}
