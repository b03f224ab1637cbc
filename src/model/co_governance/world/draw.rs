//! Random draws the world makes from its one generator: stochastic rounding, binomial
//! and Poisson counts, and Beta draws by mean and concentration. These are sampling
//! helpers, not model formulas; each keeps its draws in a fixed order so that a run
//! is a function of its seed.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Beta, Binomial, Distribution, Poisson};

/// A Beta distribution with the given mean and concentration (the mean is kept off
/// 0 and 1 so both shape parameters are positive).
pub(super) fn beta_sampler(mean: f64, concentration: f64) -> Beta<f64> {
    let m = mean.clamp(1e-6, 1.0 - 1e-6);
    Beta::new(m * concentration, (1.0 - m) * concentration).expect("positive Beta shape parameters")
}

/// Rounds a fractional count by expectation: `floor(x)` plus one with probability
/// equal to the fraction.
pub(super) fn stochastic_round(x: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    let base = x.floor();
    let extra = if rng.random::<f64>() < x - base { 1 } else { 0 };
    base as u64 + extra
}

/// Binomial(n, p), with the degenerate cases decided without a draw.
pub(super) fn binomial(n: u64, p: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map_or(0, |d| d.sample(rng))
}

/// Poisson(lambda), zero without a draw when lambda is not positive.
pub(super) fn poisson(lambda: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    if lambda <= 0.0 {
        return 0;
    }
    Poisson::new(lambda).map_or(0, |d: Poisson<f64>| d.sample(rng) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn degenerate_counts_need_no_draw() {
        let mut a = Xoshiro256PlusPlus::seed_from_u64(1);
        let b = a.clone();
        assert_eq!(binomial(0, 0.5, &mut a), 0);
        assert_eq!(binomial(7, 0.0, &mut a), 0);
        assert_eq!(binomial(7, 1.0, &mut a), 7);
        assert_eq!(poisson(0.0, &mut a), 0);
        // The generator did not move.
        assert_eq!(a.random::<u64>(), b.clone().random::<u64>());
    }

    #[test]
    fn stochastic_rounding_keeps_the_mean() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        assert_eq!(stochastic_round(3.0, &mut rng), 3);
        let n = 100_000;
        let total: u64 = (0..n).map(|_| stochastic_round(2.25, &mut rng)).sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 2.25).abs() < 0.01, "{mean}");
        let beta = beta_sampler(0.3, 10.0);
        let m: f64 = (0..n).map(|_| beta.sample(&mut rng)).sum::<f64>() / n as f64;
        assert!((m - 0.3).abs() < 0.01, "{m}");
    }
}
