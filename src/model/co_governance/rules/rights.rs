//! Rights matched to responsibilities (mechanism 6 of docs/model.md).
//!
//! An actor made responsible without the authority or resources to act fails more
//! often and loses motivation. The Tongxiang study (docs/model.md) found rights and
//! responsibilities "confused"; the reform "define rights and responsibilities together" raises the
//! match. cogov's rule: an action succeeds with probability
//! base x (match + (1 - match) x f) where f is the relative success of an action taken
//! without authority. Each actor (a grid worker, an NGO, an enterprise's security
//! staff, a police post; a resident, whose motivation is its trust in community
//! organisations) holds its own authority, set by the arrangement, and its own
//! motivation m, which moves toward that actor's own outcomes after every call it
//! acted on, m <- m + r (success - m), a reinforcement-learning rule (Bush and
//! Mosteller 1955; Macy and Flache 2002); motivation in turn sets how readily that
//! actor acts (see `liability`). An actor that did not act learns nothing.

/// Success probability of an action given the actor's base skill and the share of
/// responsibilities that come with authority.
#[inline]
pub fn success_probability(base: f64, authority_match: f64, unmatched_factor: f64) -> f64 {
    (base * (authority_match + (1.0 - authority_match) * unmatched_factor)).clamp(0.0, 1.0)
}

/// Motivation after one attempt with the given outcome.
#[inline]
pub fn update_motivation(motivation: f64, succeeded: bool, rate: f64) -> f64 {
    let outcome = if succeeded { 1.0 } else { 0.0 };
    (motivation + rate * (outcome - motivation)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_raises_success() {
        assert!((success_probability(0.6, 1.0, 0.4) - 0.6).abs() < 1e-12);
        assert!((success_probability(0.6, 0.0, 0.4) - 0.24).abs() < 1e-12);
        assert!((success_probability(0.6, 0.5, 0.4) - 0.42).abs() < 1e-12);
    }

    #[test]
    fn motivation_tracks_the_success_rate() {
        // Expected motivation converges to the success probability.
        let mut m = 0.9;
        for i in 0..10_000 {
            m = update_motivation(m, i % 4 == 0, 0.01);
        }
        assert!((m - 0.25).abs() < 0.02, "{m}");
        assert_eq!(update_motivation(0.5, true, 0.0), 0.5);
        assert!((update_motivation(0.5, false, 0.1) - 0.45).abs() < 1e-12);
    }
}
