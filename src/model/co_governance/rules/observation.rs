//! What residents and dispatchers remember (docs/model.md, section 7.12; "A day, in
//! order", step 7b).
//!
//! Residents do not know the true clearance rate or their grid's crime rate; they
//! remember what they have seen, an exponential moving average updated once a day.
//! Dispatchers plan with the recent utilisation of response capacity likewise. The
//! memory lengths are modelling choices, not published values. This file owns the
//! smoothing rule and its weights; what is observed is counted by the world.

/// Daily weight of what residents observe (clearance, their grid's incident rate):
/// a memory of about a month (modelling choice).
pub const RESIDENT_MEMORY: f64 = 1.0 / 30.0;

/// Daily weight of the utilisation dispatchers plan with: a memory of about five days
/// (modelling choice).
pub const DISPATCH_MEMORY: f64 = 0.2;

/// One step of an exponential moving average: `seen` moves a share `weight` of the way
/// toward today's `value`.
#[inline]
pub fn smooth(seen: f64, value: f64, weight: f64) -> f64 {
    seen + weight * (value - seen)
}

/// The observed clearance rate after a day with `known` incidents known to police, of
/// which `cleared` were cleared; unchanged after a day with none known.
#[inline]
pub fn observed_clearance(seen: f64, cleared: u64, known: u64) -> f64 {
    if known > 0 {
        smooth(seen, cleared as f64 / known as f64, RESIDENT_MEMORY)
    } else {
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_moves_the_stated_share() {
        assert_eq!(smooth(0.5, 1.0, 0.2), 0.6);
        assert_eq!(smooth(0.5, 0.0, 0.0), 0.5);
        assert_eq!(smooth(0.5, 0.9, 1.0), 0.9);
        // A constant signal is approached geometrically: gap (1 - w)^n after n days.
        let mut x = 0.0;
        for _ in 0..30 {
            x = smooth(x, 1.0, RESIDENT_MEMORY);
        }
        assert!((1.0 - x - (1.0 - RESIDENT_MEMORY).powi(30)).abs() < 1e-12);
    }

    #[test]
    fn clearance_is_observed_only_on_days_with_known_incidents() {
        assert_eq!(observed_clearance(0.4, 0, 0), 0.4);
        let seen = observed_clearance(0.4, 1, 1);
        assert!((seen - (0.4 + 0.6 / 30.0)).abs() < 1e-15);
        assert!(observed_clearance(0.4, 0, 5) < 0.4);
    }
}
