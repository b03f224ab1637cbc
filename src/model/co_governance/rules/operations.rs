//! Police operations and logistics (BRIEF mechanism 9).
//!
//! Officers have limited hours. Of their on-duty hours, a share goes to administration
//! (problem 4) and a share to community work (the remodelled role); the rest is
//! response capacity, with the auxiliaries' call-response hours, consumed by non-crime
//! service calls, incidents and mediations.
//! Weak logistics (problem 5) stretches travel and handling by 1 + penalty (1 - level).
//!
//! Response time = dispatch delay (less what integrated IT dispatch removes) + travel +
//! queueing. Queueing uses Sakasegawa's 1977 approximation of the M/M/c mean wait,
//! W_q = s rho^(sqrt(2(c + 1)) - 1) / (c (1 - rho)), with c the officers on response at
//! once, s the mean handling time and rho the recent utilisation (capped at 0.95: above
//! it the queue would not clear within the day; calls then wait as at 0.95).
//!
//! Clearance: Blanes i Vidal and Kirchmaier 2018 (Rev Econ Stud 85:855) find that a
//! 10% longer response lowers the clearance probability by 4.7 percentage points.
//! cogov uses p = base - slope ln(response / reference), slope 0.493 = 0.047/ln 1.1,
//! plus the joint-action bonus, kept within [0, 1].

/// Highest utilisation used in the queueing formula.
pub const MAX_UTILISATION: f64 = 0.95;

/// Mean queueing delay (same unit as `service_time`) for `servers` parallel servers at
/// utilisation `rho` (Sakasegawa 1977).
pub fn queueing_delay(service_time: f64, servers: f64, rho: f64) -> f64 {
    if servers <= 0.0 {
        return f64::INFINITY;
    }
    let rho = rho.clamp(0.0, MAX_UTILISATION);
    let c = servers.max(1.0);
    service_time * rho.powf((2.0 * (c + 1.0)).sqrt() - 1.0) / (c * (1.0 - rho))
}

/// Logistics multiplier on travel and handling times: 1 + penalty (1 - level).
#[inline]
pub fn logistics_factor(level: f64, penalty: f64) -> f64 {
    1.0 + penalty * (1.0 - level)
}

/// Clearance probability at a given response time.
#[inline]
pub fn clearance_probability(
    base: f64,
    slope: f64,
    response: f64,
    reference: f64,
    bonus: f64,
) -> f64 {
    let response = response.max(1e-6);
    (base - slope * (response / reference).ln() + bonus).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_percent_slower_costs_four_point_seven_points() {
        let slope = 0.047 / 1.1f64.ln();
        let at_ref = clearance_probability(0.4, slope, 20.0, 20.0, 0.0);
        let slower = clearance_probability(0.4, slope, 22.0, 20.0, 0.0);
        assert!((at_ref - 0.4).abs() < 1e-12);
        assert!((at_ref - slower - 0.047).abs() < 1e-12);
        assert!((slope - 0.493).abs() < 1e-3);
        assert_eq!(clearance_probability(0.4, slope, 1e6, 20.0, 0.0), 0.0);
        assert_eq!(clearance_probability(0.9, slope, 0.01, 20.0, 0.1), 1.0);
    }

    #[test]
    fn sakasegawa_reduces_to_mm1_for_one_server() {
        // M/M/1: W_q = s rho / (1 - rho); sqrt(2 x 2) - 1 = 1.
        let w = queueing_delay(10.0, 1.0, 0.5);
        assert!((w - 10.0).abs() < 1e-12);
        // More servers at the same utilisation wait less.
        assert!(queueing_delay(10.0, 4.0, 0.5) < w);
        // Waits grow with utilisation and are capped at MAX_UTILISATION.
        assert!(queueing_delay(10.0, 2.0, 0.8) > queueing_delay(10.0, 2.0, 0.5));
        assert_eq!(
            queueing_delay(10.0, 2.0, 5.0),
            queueing_delay(10.0, 2.0, MAX_UTILISATION)
        );
        assert_eq!(queueing_delay(10.0, 0.0, 0.5), f64::INFINITY);
        assert_eq!(queueing_delay(10.0, 3.0, 0.0), 0.0);
    }

    #[test]
    fn logistics_stretch_times() {
        assert_eq!(logistics_factor(1.0, 1.0), 1.0);
        assert_eq!(logistics_factor(0.0, 1.0), 2.0);
        assert!((logistics_factor(0.4, 1.0) - 1.6).abs() < 1e-12);
    }
}
