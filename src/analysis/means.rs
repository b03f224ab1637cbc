//! Each design point's mean over its replications, the share of their variance that
//! is replication noise, and which groups of points an analysis must leave out.
//!
//! A sensitivity index is a property of the model's expected output at each point,
//! so the analysis works on each point's mean over its replications. What the
//! replications leave uncertain in those means is *noise*, and the noise share of a
//! metric is the noise variance of a point's mean divided by the (population)
//! variance of the point means, capped at 1. The noise variance depends on how the
//! points' random streams relate:
//!
//! - with common random numbers (a sweep's default) replication `r` runs on the same
//!   seed at every point, so part of each run's noise is shared by every point and
//!   moves all the means together, which no index sees. What differs between points
//!   is the point-by-replication interaction: with `y_pr` the value of point `p` in
//!   replication `r`, the residual of the two-way layout `y_pr = m + a_p + b_r + e_pr`
//!   (Montgomery 2017, Design and Analysis of Experiments, 9th ed., Wiley, ch. 4),
//!   `s^2 = sum (y_pr - y_p. - y_.r + y_..)^2 / ((P - 1)(R - 1))` over the `P` points
//!   whose `R` replications are all defined, and the noise variance of a mean is
//!   `s^2 / R`;
//! - with independent streams, the noise variance of point `p`'s mean is `s_p^2 / n_p`
//!   (its `n_p` defined runs' sample variance over their number), averaged over the
//!   points.
//!
//! The variance-based indices are computed on the total variance of the means: noise
//! shrinks S1 by up to that share and, because Jansen's estimator also counts the
//! noise of a difference, lifts ST by up to it (with common random numbers the noise
//! of a difference is smaller, so the share is an upper bound on the bias). Morris's
//! elementary effects and the regression measures are diluted the same way: R² is
//! at most one minus the share.
//!
//! Groups: the estimators read points in fixed groups (a Sobol base row is `k + 2` or
//! `2k + 2` points, a Morris trajectory `k + 1`, a sampled point is a group of one).
//! A group that holds a point with no finished run, or a run flagged as a runaway,
//! is left out whole, for every metric, and reported; a group whose mean is undefined
//! (NaN) for one metric is left out for that metric only.

use std::collections::BTreeSet;

/// Noise shares above this are worth a warning: they bias the indices by about as
/// much as the intervals of a well-sized design are wide.
pub const NOISE_WARNING: f64 = 0.05;

/// Each point's mean of one metric, and the noise share, from the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct PointMeans {
    /// `means[p]`: the mean of the finished, defined runs of point `p` (NaN when
    /// there are none).
    pub means: Vec<f64>,
    /// The share of the variance of the means that is replication noise, `None`
    /// when no point has two defined runs.
    pub noise_share: Option<f64>,
}

/// The means of metric `metric` at each point from `runs[point][replication][metric]`
/// (NaN for a failed run or an undefined value), and the noise share over the
/// `kept` points, as the module documentation describes for `common_random_numbers`
/// or independent streams.
pub fn point_means(
    runs: &[Vec<Vec<f64>>],
    metric: usize,
    kept: &[bool],
    common_random_numbers: bool,
) -> PointMeans {
    let defined = |point: &Vec<Vec<f64>>| -> Vec<f64> {
        point
            .iter()
            .map(|run| run[metric])
            .filter(|x| x.is_finite())
            .collect()
    };
    let means: Vec<f64> = runs
        .iter()
        .map(|point| {
            let values = defined(point);
            if values.is_empty() {
                f64::NAN
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        })
        .collect();
    let noise = if common_random_numbers {
        interaction_noise(runs, metric, kept)
    } else {
        let per_point: Vec<f64> = runs
            .iter()
            .zip(kept)
            .filter(|(_, k)| **k)
            .filter_map(|(point, _)| {
                let values = defined(point);
                let n = values.len() as f64;
                (values.len() >= 2).then(|| {
                    let m = values.iter().sum::<f64>() / n;
                    values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0) / n
                })
            })
            .collect();
        (!per_point.is_empty()).then(|| per_point.iter().sum::<f64>() / per_point.len() as f64)
    };
    let used: Vec<f64> = means
        .iter()
        .zip(kept)
        .filter(|(m, k)| **k && m.is_finite())
        .map(|(m, _)| *m)
        .collect();
    let noise_share = noise.filter(|_| used.len() >= 2).map(|noise| {
        let mu = used.iter().sum::<f64>() / used.len() as f64;
        let total = used.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / used.len() as f64;
        if total > 0.0 {
            (noise / total).min(1.0)
        } else if noise > 0.0 {
            1.0
        } else {
            0.0
        }
    });
    PointMeans { means, noise_share }
}

/// The noise variance of a point's mean under common random numbers: the residual
/// mean square of the points-by-replications layout over the kept points whose
/// replications are all defined, divided by the replications. `None` with fewer than
/// two such points or replications.
fn interaction_noise(runs: &[Vec<Vec<f64>>], metric: usize, kept: &[bool]) -> Option<f64> {
    let replications = runs.iter().map(Vec::len).max().unwrap_or(0);
    let complete: Vec<Vec<f64>> = runs
        .iter()
        .zip(kept)
        .filter(|(point, k)| **k && point.len() == replications)
        .map(|(point, _)| point.iter().map(|run| run[metric]).collect::<Vec<f64>>())
        .filter(|values| values.iter().all(|x| x.is_finite()))
        .collect();
    let (p, r) = (complete.len(), replications);
    if p < 2 || r < 2 {
        return None;
    }
    let point_means: Vec<f64> = complete
        .iter()
        .map(|v| v.iter().sum::<f64>() / r as f64)
        .collect();
    let replication_means: Vec<f64> = (0..r)
        .map(|j| complete.iter().map(|v| v[j]).sum::<f64>() / p as f64)
        .collect();
    let grand = point_means.iter().sum::<f64>() / p as f64;
    let residual: f64 = complete
        .iter()
        .zip(&point_means)
        .map(|(v, pm)| {
            v.iter()
                .zip(&replication_means)
                .map(|(y, rm)| (y - pm - rm + grand).powi(2))
                .sum::<f64>()
        })
        .sum();
    Some(residual / ((p - 1) * (r - 1)) as f64 / r as f64)
}

/// Why groups were left out of every metric's analysis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exclusions {
    /// Points none of whose runs finished (their errors are in `failures.csv`).
    pub failed_points: Vec<usize>,
    /// Points with a run flagged as a runaway (in `runaways.csv`).
    pub runaway_points: Vec<usize>,
    /// Whether runaway points were kept in, as asked.
    pub runaways_included: bool,
    /// The groups left out, by number.
    pub groups: BTreeSet<usize>,
}

impl Exclusions {
    /// The groups of `size` points to leave out of `points` points: those holding a
    /// point with no finished run, or one in `runaway_points` unless
    /// `include_runaways`.
    pub fn find(
        runs: &[Vec<Vec<f64>>],
        runaway_points: BTreeSet<usize>,
        include_runaways: bool,
        size: usize,
    ) -> Exclusions {
        let failed_points: Vec<usize> = runs
            .iter()
            .enumerate()
            .filter(|(_, point)| point.iter().all(|run| run.iter().all(|x| x.is_nan())))
            .map(|(p, _)| p)
            .collect();
        let mut groups: BTreeSet<usize> = failed_points.iter().map(|p| p / size).collect();
        if !include_runaways {
            groups.extend(runaway_points.iter().map(|p| p / size));
        }
        Exclusions {
            failed_points,
            runaway_points: runaway_points.into_iter().collect(),
            runaways_included: include_runaways,
            groups,
        }
    }

    /// Whether each of `points` points belongs to a kept group of `size`.
    pub fn kept_points(&self, points: usize, size: usize) -> Vec<bool> {
        (0..points)
            .map(|p| !self.groups.contains(&(p / size)))
            .collect()
    }
}

/// The groups of `size` points kept for one metric: not excluded, and every mean
/// in the group defined. Returns the group numbers.
pub fn usable_groups(means: &[f64], size: usize, exclusions: &Exclusions) -> Vec<usize> {
    (0..means.len() / size)
        .filter(|g| !exclusions.groups.contains(g))
        .filter(|g| {
            means[g * size..(g + 1) * size]
                .iter()
                .all(|m| m.is_finite())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(points: &[&[f64]]) -> Vec<Vec<Vec<f64>>> {
        points
            .iter()
            .map(|reps| reps.iter().map(|&x| vec![x]).collect())
            .collect()
    }

    #[test]
    fn without_common_random_numbers_the_noise_is_each_point_s_spread() {
        // Means 1, 3, 5 (population variance 8/3); each point's runs differ by 2 (sample
        // variance 2, noise of the mean of two runs 1): share 1 / (8/3) = 0.375.
        let r = runs(&[&[0.0, 2.0], &[2.0, 4.0], &[4.0, 6.0]]);
        let m = point_means(&r, 0, &[true; 3], false);
        assert_eq!(m.means, [1.0, 3.0, 5.0]);
        assert!((m.noise_share.unwrap() - 0.375).abs() < 1e-12);
        // No noise at all.
        let quiet = runs(&[&[1.0, 1.0], &[3.0, 3.0]]);
        assert_eq!(
            point_means(&quiet, 0, &[true; 2], false).noise_share,
            Some(0.0)
        );
        // One replication: noise cannot be told apart from the parameters' effects.
        let single = runs(&[&[1.0], &[3.0]]);
        assert_eq!(point_means(&single, 0, &[true; 2], false).noise_share, None);
        assert_eq!(point_means(&single, 0, &[true; 2], true).noise_share, None);
        // Pure noise, equal means: share 1.
        let pure = runs(&[&[0.0, 2.0], &[2.0, 0.0]]);
        assert_eq!(
            point_means(&pure, 0, &[true; 2], false).noise_share,
            Some(1.0)
        );
        // Undefined values and failed runs are left out of a point's mean.
        let gaps = runs(&[&[f64::NAN, 2.0, 4.0], &[f64::NAN]]);
        let m = point_means(&gaps, 0, &[true; 2], false);
        assert_eq!(m.means[0], 3.0);
        assert!(m.means[1].is_nan());
    }

    #[test]
    fn with_common_random_numbers_a_seed_effect_shared_by_every_point_is_not_noise() {
        // y = a_p + b_r: replication 1 is 10 higher at every point. Within a point
        // the runs differ a lot, but the differences between points are exact.
        let r = runs(&[&[1.0, 11.0], &[2.0, 12.0], &[4.0, 14.0]]);
        let crn = point_means(&r, 0, &[true; 3], true);
        assert!(crn.noise_share.unwrap() < 1e-12, "{:?}", crn.noise_share);
        assert!(point_means(&r, 0, &[true; 3], false).noise_share.unwrap() > 0.9);
        // An interaction: residuals e = +-0.5 in a 2 x 2 layout give s^2 = 1 (one degree
        // of freedom), noise of a mean 1/2. Means 1.5 and 3.5: variance 1, share 0.5.
        let r = runs(&[&[1.0, 2.0], &[4.0, 3.0]]);
        let share = point_means(&r, 0, &[true; 2], true).noise_share.unwrap();
        assert!((share - 0.5).abs() < 1e-12, "{share}");
        // Points left out do not count, nor points with an undefined replication.
        let r = runs(&[&[1.0, 2.0], &[4.0, 3.0], &[100.0, -50.0], &[7.0, f64::NAN]]);
        let share = point_means(&r, 0, &[true, true, false, true], true)
            .noise_share
            .unwrap();
        let means_variance = {
            let m = [1.5, 3.5, 7.0];
            let mu = m.iter().sum::<f64>() / 3.0;
            m.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / 3.0
        };
        assert!((share - 0.5 / means_variance).abs() < 1e-12, "{share}");
    }

    #[test]
    fn a_group_with_a_failed_or_runaway_point_is_left_out_whole() {
        // Six points in groups of three; point 1 failed, point 4 ran away.
        let r = runs(&[
            &[1.0],
            &[f64::NAN],
            &[1.0],
            &[1.0],
            &[9.0],
            &[1.0],
            &[1.0],
            &[1.0],
            &[1.0],
        ]);
        let runaway: BTreeSet<usize> = [4].into();
        let e = Exclusions::find(&r, runaway.clone(), false, 3);
        assert_eq!(e.failed_points, [1]);
        assert_eq!(e.runaway_points, [4]);
        assert_eq!(e.groups, [0, 1].into());
        assert_eq!(
            e.kept_points(9, 3),
            [false, false, false, false, false, false, true, true, true]
        );
        let means: Vec<f64> = (0..9)
            .map(|p| if p == 7 { f64::NAN } else { 1.0 })
            .collect();
        assert!(
            usable_groups(&means, 3, &e).is_empty(),
            "group 2 has an undefined mean"
        );
        // Kept in when asked.
        let with = Exclusions::find(&r, runaway, true, 3);
        assert_eq!(with.groups, [0].into());
        assert_eq!(usable_groups(&[1.0; 9], 3, &with), [1, 2]);
    }
}
