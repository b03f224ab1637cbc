//! Morris's elementary-effects design: trajectories on a `p`-level grid, and the
//! choice of the trajectories that spread most among more candidates.
//!
//! **Trajectories** (Morris 1991, Technometrics 33:161-174, the `B*` construction;
//! Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, ch. 3). For `k`
//! factors and `p` levels (`p` even, at least 2) the unit grid is
//! `{0, 1/(p-1), ..., 1}` and the step is `Δ = p / (2 (p - 1))`, so that every
//! coordinate and its partner `Δ` away are both on the grid. A trajectory is `k + 1`
//! rows; consecutive rows differ in exactly one factor, by `+Δ` or `-Δ`, and each
//! factor changes exactly once. It is made of three random parts:
//!
//! - a base point `x*`, each coordinate drawn uniformly from the lower half of the
//!   grid `{0, 1/(p-1), ..., 1 - Δ}` (`p / 2` values);
//! - a direction `D*_i`, up or down with equal probability, per factor;
//! - an order `P*`, a uniform random permutation of the factors.
//!
//! Row 0 is `x*` with `Δ` added to every factor that moves down; at step `s` (from
//! row `s - 1` to row `s`, `1 <= s <= k`) factor `P*[s - 1]` moves: from `x*_i` to
//! `x*_i + Δ` if it moves up, from `x*_i + Δ` to `x*_i` if down. This is
//! `B* = (J x* + (Δ/2) ((2B - J) D* + J)) P*` of Morris (1991), row for row, as SALib's
//! `morris.sample` builds it. Every coordinate is `j / (p - 1)` for a whole `j` from
//! `0` to `p - 1`, computed from `j`, so it lies on the grid exactly and in `[0, 1]`
//! (1 included).
//!
//! **Order of draws.** One stream, `Xoshiro256PlusPlus::seed_from_u64(design_seed)`,
//! trajectory by trajectory (all `candidates` of them, in order); within a trajectory:
//!
//! 1. the base point, factor by factor: `random_range(0..p/2)` gives `j`, and
//!    `x*_i = j / (p - 1)`;
//! 2. the directions, factor by factor: `random::<bool>()`, `true` meaning up;
//! 3. the order: Fisher-Yates from the last position down over `0..k` (for
//!    `i = k-1, ..., 1` swap positions `i` and `random_range(0..=i)`), as the Latin
//!    hypercube's permutations are drawn.
//!
//! So the first `r` trajectories of a stream do not depend on how many candidates
//! follow them: with `candidates = r` (no selection) the design is those `r`.
//!
//! **Choosing the trajectories that spread most** (Campolongo, Cariboni and Saltelli
//! 2007, Environmental Modelling & Software 22:1509-1518). With `M = candidates`
//! greater than `r`, `M` trajectories are drawn and `r` of them kept. The distance
//! between two trajectories `m` and `l` is the sum, over every pair of a point of one
//! and a point of the other, of their Euclidean distance,
//! `d_ml = Σ_a Σ_b ||X_a(m) - X_b(l)||` (Campolongo et al. 2007, eq. 3), taken as 0
//! for two identical trajectories (as SALib does). The spread of a set of
//! trajectories is `sqrt(Σ d_ml²)` over its pairs, the quantity Campolongo et al.
//! maximise and SALib's `morris.sample` scores. Trying every set of `r` is
//! combinatorial; the design uses instead the local search of Ruano, Ribes, Seco and
//! Ferrer (2012, Environmental Modelling & Software 37:103-109), as SALib 1.6's
//! `LocalOptimisation` (`local_optimization=True`) implements it: for each
//! `i = 1, ..., r - 1`,
//!
//! 1. each candidate with its `i` farthest candidates is a seed set of `i + 1`; the
//!    seed with the largest spread is kept;
//! 2. it grows one trajectory at a time, each time by the candidate that gives the
//!    largest spread, until it holds `r`;
//!
//! and of these `r - 1` sets, the one with the largest spread is the design. Ties go
//! to the earliest (the nearer candidate index, the smaller `i`): where SALib's
//! `argsort` leaves ties to its sort, this order is fixed. Distances are computed in
//! `f64` (SALib stores them in `f32`), and the search compares sums of squares, not
//! their roots (the same order). The kept trajectories are emitted in draw order,
//! as SALib emits them (it sorts the chosen indices). With `r < 2` there is nothing
//! to spread and the first `r` candidates are kept; [`super::point_count`] refuses
//! that case before it gets here.
//!
//! The cost is `M (M - 1) / 2 (k + 1)²` distances between points for the matrix,
//! then about `r² M` additions for the search; [`super::MAX_MORRIS_CANDIDATES`] and
//! [`super::MAX_SPREAD_DISTANCES`] bound it.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Morris's step on the unit grid of `levels` levels: `p / (2 (p - 1))`.
pub fn morris_delta(levels: u32) -> f64 {
    let p = f64::from(levels);
    p / (2.0 * (p - 1.0))
}

/// The unit rows of a Morris design: `trajectories` trajectories of `k + 1` rows
/// each, one after another, chosen among `candidates` drawn from `seed` (see the
/// module documentation for the construction, the order of draws and the choice).
/// `candidates == trajectories` keeps every trajectory drawn.
///
/// `None` when `levels` is odd or less than 2, or `candidates < trajectories`.
///
/// # Examples
/// ```
/// use cogov::experiment::design::morris_unit_rows;
/// let rows = morris_unit_rows(3, 10, 4, 10, 7).unwrap();
/// assert_eq!(rows.len(), 10 * (3 + 1));
/// // Consecutive rows of a trajectory differ in one factor, by 2/3.
/// let changed: Vec<f64> = rows[0].iter().zip(&rows[1]).map(|(a, b)| (a - b).abs()).collect();
/// assert_eq!(changed.iter().filter(|&&d| d > 0.0).count(), 1);
/// ```
pub fn morris_unit_rows(
    k: usize,
    trajectories: u64,
    levels: u32,
    candidates: u64,
    seed: u64,
) -> Option<Vec<Vec<f64>>> {
    if levels < 2 || !levels.is_multiple_of(2) || candidates < trajectories {
        return None;
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let drawn: Vec<Vec<Vec<f64>>> = (0..candidates)
        .map(|_| trajectory(&mut rng, k, levels))
        .collect();
    let r = trajectories as usize;
    let kept: Vec<usize> = if candidates > trajectories && r >= 2 {
        most_spread(&distance_matrix(&drawn), r)
    } else {
        (0..r).collect()
    };
    let mut rows = Vec::with_capacity(r * (k + 1));
    for t in kept {
        rows.extend(drawn[t].iter().cloned());
    }
    Some(rows)
}

/// The spread of the trajectories in `rows` (consecutive blocks of `k + 1` rows):
/// `sqrt(Σ d_ml²)` over every pair of trajectories, with Campolongo's distance
/// (module documentation). `None` when the rows are not whole trajectories.
pub fn morris_spread(rows: &[Vec<f64>], k: usize) -> Option<f64> {
    if !rows.len().is_multiple_of(k + 1) {
        return None;
    }
    let trajectories: Vec<&[Vec<f64>]> = rows.chunks(k + 1).collect();
    let mut sum = 0.0;
    for (m, a) in trajectories.iter().enumerate() {
        for b in &trajectories[m + 1..] {
            sum += distance(a, b).powi(2);
        }
    }
    Some(sum.sqrt())
}

/// One trajectory of `k + 1` rows (module documentation, in this order of draws).
fn trajectory(rng: &mut Xoshiro256PlusPlus, k: usize, levels: u32) -> Vec<Vec<f64>> {
    let half = levels / 2;
    let top = f64::from(levels - 1);
    let base: Vec<u32> = (0..k).map(|_| rng.random_range(0..half)).collect();
    let up: Vec<bool> = (0..k).map(|_| rng.random::<bool>()).collect();
    let mut order: Vec<usize> = (0..k).collect();
    for i in (1..k).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    // Level numbers: a factor moving up starts at its base, one moving down at the
    // base plus half the grid (Δ).
    let mut level: Vec<u32> = base
        .iter()
        .zip(&up)
        .map(|(&b, &u)| if u { b } else { b + half })
        .collect();
    let row = |level: &[u32]| -> Vec<f64> { level.iter().map(|&j| f64::from(j) / top).collect() };
    let mut rows = Vec::with_capacity(k + 1);
    rows.push(row(&level));
    for &i in &order {
        level[i] = if up[i] { base[i] + half } else { base[i] };
        rows.push(row(&level));
    }
    rows
}

/// Campolongo's distance between two trajectories: the sum of the Euclidean distances
/// of every pair of their points; 0 for identical trajectories.
fn distance(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    if a == b {
        return 0.0;
    }
    let mut sum = 0.0;
    for x in a {
        for y in b {
            let squares: f64 = x.iter().zip(y).map(|(u, v)| (u - v) * (u - v)).sum();
            sum += squares.sqrt();
        }
    }
    sum
}

/// The symmetric matrix of distances between the trajectories, zero on the diagonal.
fn distance_matrix(trajectories: &[Vec<Vec<f64>>]) -> Vec<Vec<f64>> {
    let m = trajectories.len();
    let mut d = vec![vec![0.0; m]; m];
    for i in 0..m {
        for j in i + 1..m {
            let x = distance(&trajectories[i], &trajectories[j]);
            d[i][j] = x;
            d[j][i] = x;
        }
    }
    d
}

/// Ruano et al.'s local search for the `r` (at least 2, fewer than the candidates)
/// trajectories of largest spread, given their distances; the chosen indices in
/// increasing order.
fn most_spread(d: &[Vec<f64>], r: usize) -> Vec<usize> {
    let m = d.len();
    let sq = |a: usize, b: usize| d[a][b] * d[a][b];
    // Every candidate's others, farthest first (ties: the lower index first).
    let farthest: Vec<Vec<usize>> = (0..m)
        .map(|row| {
            let mut others: Vec<usize> = (0..m).filter(|&c| c != row).collect();
            others.sort_by(|&a, &b| d[row][b].total_cmp(&d[row][a]).then(a.cmp(&b)));
            others
        })
        .collect();
    // The sum of squared distances within each seed set, grown with `i`.
    let mut seed_sum = vec![0.0; m];
    let mut best: Option<(f64, Vec<usize>)> = None;
    for i in 1..r {
        for row in 0..m {
            let new = farthest[row][i - 1];
            seed_sum[row] += sq(new, row)
                + farthest[row][..i - 1]
                    .iter()
                    .map(|&f| sq(new, f))
                    .sum::<f64>();
        }
        let seed = first_max(&seed_sum);
        let mut set: Vec<usize> = farthest[seed][..i].to_vec();
        set.push(seed);
        let mut total = seed_sum[seed];
        let mut inside = vec![false; m];
        for &s in &set {
            inside[s] = true;
        }
        // Each candidate's sum of squared distances to the set.
        let mut to_set: Vec<f64> = (0..m)
            .map(|c| set.iter().map(|&s| sq(c, s)).sum())
            .collect();
        while set.len() < r {
            let gains: Vec<f64> = (0..m)
                .map(|c| {
                    if inside[c] {
                        f64::NEG_INFINITY
                    } else {
                        to_set[c]
                    }
                })
                .collect();
            let add = first_max(&gains);
            total += to_set[add];
            inside[add] = true;
            set.push(add);
            for (c, sum) in to_set.iter_mut().enumerate() {
                *sum += sq(c, add);
            }
        }
        if best.as_ref().is_none_or(|(b, _)| total > *b) {
            best = Some((total, set));
        }
    }
    let mut chosen = best.map_or_else(|| (0..r).collect(), |(_, set)| set);
    chosen.sort_unstable();
    chosen
}

/// The index of the first largest value.
fn first_max(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `t`-th trajectory's rows.
    fn trajectory_rows(rows: &[Vec<f64>], k: usize, t: usize) -> &[Vec<f64>] {
        &rows[t * (k + 1)..(t + 1) * (k + 1)]
    }

    #[test]
    fn every_step_moves_one_factor_by_delta_and_every_factor_moves_once() {
        for (k, levels) in [(1, 2), (2, 4), (5, 4), (8, 6), (12, 10)] {
            let r = 30;
            let delta = morris_delta(levels);
            let rows = morris_unit_rows(k, r, levels, r, 11).unwrap();
            assert_eq!(rows.len(), r as usize * (k + 1), "k = {k}, p = {levels}");
            let top = f64::from(levels - 1);
            for t in 0..r as usize {
                let block = trajectory_rows(&rows, k, t);
                let mut moved = vec![0; k];
                for pair in block.windows(2) {
                    let changed: Vec<usize> =
                        (0..k).filter(|&i| pair[0][i] != pair[1][i]).collect();
                    assert_eq!(changed.len(), 1, "k = {k}, p = {levels}: {pair:?}");
                    let i = changed[0];
                    let step = (pair[1][i] - pair[0][i]).abs();
                    assert!((step - delta).abs() < 1e-12, "step {step}, Δ {delta}");
                    moved[i] += 1;
                }
                assert_eq!(moved, vec![1; k], "each factor moves once");
                for row in block {
                    for &u in row {
                        assert!((0.0..=1.0).contains(&u), "{u}");
                        let j = u * top;
                        assert!((j - j.round()).abs() < 1e-9, "{u} is off the grid");
                    }
                }
            }
        }
    }

    #[test]
    fn base_points_directions_and_orders_cover_their_ranges() {
        // p = 4: coordinates 0, 1/3, 2/3, 1; every one appears, both directions and
        // every factor first.
        let (k, r) = (3, 400);
        let rows = morris_unit_rows(k, r, 4, r, 5).unwrap();
        let mut levels_seen = [0u32; 4];
        let mut first_mover = [0u32; 3];
        let (mut ups, mut downs) = (0, 0);
        for t in 0..r as usize {
            let block = trajectory_rows(&rows, k, t);
            for row in block {
                for &u in row {
                    levels_seen[(u * 3.0).round() as usize] += 1;
                }
            }
            let i = (0..k).find(|&i| block[0][i] != block[1][i]).unwrap();
            first_mover[i] += 1;
            if block[1][i] > block[0][i] {
                ups += 1;
            } else {
                downs += 1;
            }
        }
        assert!(levels_seen.iter().all(|&n| n > 0), "{levels_seen:?}");
        assert!(first_mover.iter().all(|&n| n > 80), "{first_mover:?}");
        assert!(ups > 150 && downs > 150, "{ups} up, {downs} down");
    }

    #[test]
    fn the_first_trajectory_follows_the_documented_draws() {
        let (k, levels, seed) = (4, 6u32, 3);
        let rows = morris_unit_rows(k, 1, levels, 1, seed).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let base: Vec<u32> = (0..k).map(|_| rng.random_range(0..3)).collect();
        let up: Vec<bool> = (0..k).map(|_| rng.random::<bool>()).collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
        let start: Vec<f64> = (0..k)
            .map(|i| f64::from(base[i] + if up[i] { 0 } else { 3 }) / 5.0)
            .collect();
        assert_eq!(rows[0], start);
        for (s, &i) in order.iter().enumerate() {
            let want = f64::from(base[i] + if up[i] { 3 } else { 0 }) / 5.0;
            assert_eq!(rows[s + 1][i], want, "step {}", s + 1);
        }
    }

    #[test]
    fn the_design_is_deterministic_per_seed() {
        let a = morris_unit_rows(4, 10, 4, 10, 1).unwrap();
        assert_eq!(a, morris_unit_rows(4, 10, 4, 10, 1).unwrap());
        assert_ne!(a, morris_unit_rows(4, 10, 4, 10, 2).unwrap());
        let chosen = morris_unit_rows(4, 10, 4, 40, 1).unwrap();
        assert_eq!(chosen, morris_unit_rows(4, 10, 4, 40, 1).unwrap());
        // More trajectories extend the stream: the first ten are the same.
        let more = morris_unit_rows(4, 25, 4, 25, 1).unwrap();
        assert_eq!(&more[..a.len()], &a[..]);
    }

    #[test]
    fn bad_levels_and_too_few_candidates_make_no_design() {
        assert!(morris_unit_rows(3, 4, 3, 4, 0).is_none(), "odd");
        assert!(morris_unit_rows(3, 4, 0, 4, 0).is_none(), "zero");
        assert!(morris_unit_rows(3, 4, 1, 4, 0).is_none(), "one");
        assert!(morris_unit_rows(3, 4, 4, 3, 0).is_none(), "candidates < r");
        assert_eq!(morris_unit_rows(3, 4, 2, 4, 0).unwrap().len(), 16);
    }

    #[test]
    fn chosen_trajectories_are_distinct_candidates_and_spread_more() {
        for (k, r, m, seed) in [
            (3, 4, 20, 1),
            (5, 10, 50, 2),
            (2, 6, 100, 3),
            (8, 5, 30, 4),
            (4, 2, 10, 5),
        ] {
            let first = morris_unit_rows(k, r, 4, r, seed).unwrap();
            let all = morris_unit_rows(k, m, 4, m, seed).unwrap();
            let chosen = morris_unit_rows(k, r, 4, m, seed).unwrap();
            assert_eq!(chosen.len(), r as usize * (k + 1));
            // Every chosen trajectory is a candidate, in draw order, none twice.
            let candidates: Vec<&[Vec<f64>]> = all.chunks(k + 1).collect();
            let mut at: Vec<usize> = chosen
                .chunks(k + 1)
                .map(|t| candidates.iter().position(|c| *c == t).unwrap())
                .collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
            at.dedup();
            assert_eq!(at.len(), r as usize);
            let spread = |rows: &[Vec<f64>]| morris_spread(rows, k).unwrap();
            assert!(
                spread(&chosen) >= spread(&first),
                "k = {k}, r = {r}, M = {m}: {} < {}",
                spread(&chosen),
                spread(&first)
            );
        }
    }

    #[test]
    fn the_local_search_finds_the_exhaustive_best_on_a_small_case() {
        // Five candidates of one factor (two points each): some far apart, some
        // bunched; the search finds the set an exhaustive search finds.
        let d = distance_matrix(&[
            vec![vec![0.0], vec![1.0]],
            vec![vec![0.4], vec![0.5]],
            vec![vec![1.0], vec![0.0]],
            vec![vec![0.5], vec![0.4]],
            vec![vec![0.0], vec![0.1]],
        ]);
        assert_eq!(d[0][2], 2.0, "each point of one against each of the other");
        assert_eq!(d[0][0], 0.0);
        let spread_of = |set: &[usize]| -> f64 {
            let mut s = 0.0;
            for (a, &i) in set.iter().enumerate() {
                for &j in &set[a + 1..] {
                    s += d[i][j] * d[i][j];
                }
            }
            s
        };
        // Exhaustive check for every r.
        for r in 2..5 {
            let chosen = most_spread(&d, r);
            let mut best = 0.0f64;
            for mask in 0u32..32 {
                if mask.count_ones() as usize == r {
                    let set: Vec<usize> = (0..5).filter(|i| mask & (1 << i) != 0).collect();
                    best = best.max(spread_of(&set));
                }
            }
            assert_eq!(spread_of(&chosen), best, "r = {r}: {chosen:?}");
        }
    }

    #[test]
    fn identical_trajectories_are_at_distance_zero() {
        let t = vec![vec![0.0, 1.0], vec![1.0, 1.0], vec![1.0, 0.0]];
        assert_eq!(distance(&t, &t), 0.0);
        let rows: Vec<Vec<f64>> = t.iter().chain(&t).cloned().collect();
        assert_eq!(morris_spread(&rows, 2), Some(0.0));
        assert_eq!(morris_spread(&rows[..5], 2), None);
    }
}
