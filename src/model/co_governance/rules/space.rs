//! Space and time (mechanism 1 of docs/model.md: section 7.1, "Space and time"; the
//! lattice and its scales are in section 2, "Entities, state variables and scales").
//!
//! A district is a `width` x `height` lattice of grids without wrap, the grids of
//! Chinese grid management; what a resident sees is its own grid plus each of the 8
//! neighbouring grids (Moore neighbourhood) at a weight below one. A grid on the
//! district's edge has fewer neighbours inside it; their weights are scaled up so that
//! every grid's view weighs 1 + 8 w, as if the city beyond the edge were like the
//! neighbours inside (a reflecting boundary). Without it, edge grids would see fewer
//! guardians and relatively more offenders, and a small district, mostly edge, would
//! have more crime per resident than a large one. Grids differ in
//! criminal opportunity, log-normal with mean 1. One tick is one day, and rates given
//! a year per 1,000 residents are converted here. This file owns the lattice
//! arithmetic and the unit conversions; it does not own what is summed over a view
//! (see `offending`) or the near-repeat spread (see `contagion`).

/// Hours in a day: presence is hours on duty spread over the day.
pub const HOURS_PER_DAY: f64 = 24.0;
/// Minutes in an hour.
pub const MINUTES_PER_HOUR: f64 = 60.0;
/// Days in a year, for annual rates.
pub const DAYS_PER_YEAR: f64 = 365.0;
/// Days in a month, for monthly rates (a modelling convention).
pub const DAYS_PER_MONTH: f64 = 30.0;
/// Residents per rate unit: rates are given per 1,000 residents.
pub const RATE_BASE: f64 = 1000.0;

/// The view from grid (`x`, `y`): `term(own grid, 1.0)` plus `term(neighbour, w)`
/// for each Moore neighbour in row-major order, with w = `weight` x 8 / (neighbours
/// inside the district): an edge grid's fewer neighbours stand for the 8 it would
/// have. `term(j, w)` returns grid j's contribution at weight w, so the caller decides
/// where the weight multiplies.
#[inline]
pub fn in_view(
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    weight: f64,
    term: impl Fn(usize, f64) -> f64,
) -> f64 {
    let mut sum = term(y * width + x, 1.0);
    let (x0, x1) = (x.saturating_sub(1), (x + 1).min(width - 1));
    let (y0, y1) = (y.saturating_sub(1), (y + 1).min(height - 1));
    let neighbours = (x1 - x0 + 1) * (y1 - y0 + 1) - 1;
    if neighbours == 0 {
        return sum;
    }
    let weight = weight * 8.0 / neighbours as f64;
    for ny in y0..=y1 {
        for nx in x0..=x1 {
            if nx != x || ny != y {
                sum += term(ny * width + nx, weight);
            }
        }
    }
    sum
}

/// A log-normal draw with mean 1 from a standard normal draw `z`: exp(sigma z -
/// sigma^2 / 2). Used for grids' opportunity and organisations' cost multipliers.
#[inline]
pub fn log_normal_mean_one(sigma: f64, z: f64) -> f64 {
    (sigma * z - sigma * sigma / 2.0).exp()
}

/// Scales non-negative `values` so that their mean is exactly 1 (left alone when they
/// sum to zero).
pub fn scale_to_mean_one(values: &mut [f64]) {
    let sum: f64 = values.iter().sum();
    if sum > 0.0 {
        let f = values.len() as f64 / sum;
        for v in values {
            *v *= f;
        }
    }
}

/// Expected events a day among `residents` from a rate per 1,000 residents a year.
#[inline]
pub fn daily_expected(rate_per_1000_year: f64, residents: f64) -> f64 {
    rate_per_1000_year / RATE_BASE / DAYS_PER_YEAR * residents
}

/// A day's `events` among `residents` as a rate per 1,000 residents a year.
#[inline]
pub fn annual_rate_per_1000(events: u32, residents: f64) -> f64 {
    f64::from(events) * RATE_BASE * DAYS_PER_YEAR / residents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_keeps_proportions_and_makes_the_mean_one() {
        let mut v = [1.0, 3.0, 4.0, 0.0];
        scale_to_mean_one(&mut v);
        assert_eq!(v, [0.5, 1.5, 2.0, 0.0]);
        let mut zeros = [0.0; 3];
        scale_to_mean_one(&mut zeros);
        assert_eq!(zeros, [0.0; 3]);
    }

    #[test]
    fn view_weighs_own_grid_fully_and_neighbours_by_weight() {
        // 3 x 3 lattice, grid j holds the value j.
        let value = |j: usize, w: f64| w * j as f64;
        // Centre: 4 + 0.5 x (0 + 1 + 2 + 3 + 5 + 6 + 7 + 8) = 4 + 16 = 20.
        assert_eq!(in_view(1, 1, 3, 3, 0.5, value), 20.0);
        // Corner (0, 0): 3 neighbours stand for 8: 0 + 0.5 x 8/3 x (1 + 3 + 4) = 32/3.
        assert!((in_view(0, 0, 3, 3, 0.5, value) - 32.0 / 3.0).abs() < 1e-12);
        // Edge (2, 1) = grid 5: 5 neighbours: 5 + 0.5 x 8/5 x (1 + 2 + 4 + 7 + 8) = 22.6.
        assert!((in_view(2, 1, 3, 3, 0.5, value) - 22.6).abs() < 1e-12);
        // Every grid's view of a uniform field weighs 1 + 8 w.
        for (x, y) in [(0, 0), (1, 0), (1, 1), (2, 2)] {
            assert!((in_view(x, y, 3, 3, 0.5, |_, w| w) - 5.0).abs() < 1e-12);
        }
        // A single grid sees only itself; a 1 x 2 strip sees its one neighbour as 8.
        assert_eq!(in_view(0, 0, 1, 1, 0.5, |_, w| w * 3.0), 3.0);
        assert_eq!(in_view(0, 0, 2, 1, 0.5, |_, w| w), 5.0);
    }

    #[test]
    fn log_normal_has_mean_one() {
        assert_eq!(log_normal_mean_one(0.0, 1.7), 1.0);
        assert!((log_normal_mean_one(0.5, 0.0) - (-0.125f64).exp()).abs() < 1e-15);
        // Mean over a fine quadrature of the normal density is 1.
        let sigma = 0.8;
        let (mut sum, mut mass) = (0.0, 0.0);
        let dz = 0.001;
        let mut z = -10.0;
        while z < 10.0 {
            let density = (-z * z / 2.0f64).exp();
            sum += log_normal_mean_one(sigma, z) * density;
            mass += density;
            z += dz;
        }
        assert!((sum / mass - 1.0).abs() < 1e-9, "{}", sum / mass);
    }

    #[test]
    fn rates_round_trip_between_days_and_years() {
        // 365 events per 1,000 a year among 1,000 residents: one a day.
        assert!((daily_expected(365.0, 1000.0) - 1.0).abs() < 1e-12);
        assert_eq!(annual_rate_per_1000(1, 1000.0), 365.0);
        assert!((daily_expected(annual_rate_per_1000(3, 786.0), 786.0) - 3.0).abs() < 1e-12);
    }
}
