//! Near-repeat victimisation, disorder and collective efficacy (mechanism 11 of
//! docs/model.md), and fear of crime and perceived safety.
//!
//! - Near repeat (Short et al. 2008, Math Models Methods Appl Sci 18(suppl.):1249-1267): each grid's
//!   dynamic attractiveness B follows B <- (1 - omega)((1 - eta) B + eta mean(B of
//!   neighbours)) + theta E, with E the grid's incidents that day. Offending in the grid
//!   is scaled by (1 + B).
//! - Disorder (Keizer, Lindenberg and Steg 2008, Science 322:1681-1685; broken
//!   windows): an unhandled public-order incident raises the grid's disorder D by gain
//!   (1 - D); D decays daily by a share. Offending is scaled by (1 + effect D).
//! - Collective efficacy (Sampson, Raudenbush and Earls 1997, Science 277:918-924): the
//!   grid's mean trust in community organisations times its participation share;
//!   offending is scaled by (1 - effect CE).
//! - Fear (Skogan 1990; Hinkle and Weisburd 2008, J Crim Justice 36:503): a grid's fear
//!   is 1 - exp(-(recent incident rate / scale + disorder_fear D)); a resident feels
//!   safe with probability (1 - fear)(0.7 + 0.3 trust in police): trust in police
//!   reassures (Skogan 2009), but less than the absence of crime and disorder. The
//!   weights 0.7 and 0.3 are a modelling choice ([`SAFETY_WITHOUT_TRUST`],
//!   [`SAFETY_FROM_TRUST`]).

/// Share of a fearless resident's sense of safety that does not depend on trust in
/// police (modelling choice).
pub const SAFETY_WITHOUT_TRUST: f64 = 0.7;

/// Weight of trust in police in a fearless resident's sense of safety (modelling
/// choice; with [`SAFETY_WITHOUT_TRUST`] it sums to 1, so full trust means safe).
pub const SAFETY_FROM_TRUST: f64 = 0.3;

/// A grid's collective efficacy: its residents' mean trust in community
/// organisations times the share of them contributing.
#[inline]
pub fn collective_efficacy(sum_trust_community: f64, contributors: u64, residents: f64) -> f64 {
    (sum_trust_community / residents) * (contributors as f64 / residents)
}

/// Disorder after a day's decay.
#[inline]
pub fn decay_disorder(disorder: f64, decay: f64) -> f64 {
    disorder * (1.0 - decay)
}

/// Expected residents of a grid who feel safe: the sum over its `residents` of
/// (1 - fear)(0.7 + 0.3 trust in police), from the sum of their trust in police.
#[inline]
pub fn residents_feeling_safe(fear: f64, residents: f64, sum_trust_police: f64) -> f64 {
    (1.0 - fear) * (SAFETY_WITHOUT_TRUST * residents + SAFETY_FROM_TRUST * sum_trust_police)
}

/// The multiplier on a motivated resident's daily offending propensity in a grid.
#[inline]
pub fn opportunity_multiplier(
    base_opportunity: f64,
    near_repeat: f64,
    disorder: f64,
    disorder_effect: f64,
    collective_efficacy: f64,
    efficacy_effect: f64,
) -> f64 {
    base_opportunity
        * (1.0 + near_repeat)
        * (1.0 + disorder_effect * disorder)
        * (1.0 - efficacy_effect * collective_efficacy).max(0.0)
}

/// One day of Short et al.'s attractiveness dynamics on a `width` x `height` lattice
/// (Moore neighbourhood, no wrap). `events` are the day's incidents per grid; `next`
/// is scratch space of the same length, left holding the old values.
pub fn step_near_repeat(
    boost: &mut [f64],
    next: &mut [f64],
    events: &[u32],
    width: usize,
    height: usize,
    p: &crate::model::co_governance::params::Contagion,
) {
    let (omega, eta, theta) = (
        p.near_repeat_decay,
        p.near_repeat_spread,
        p.near_repeat_boost,
    );
    for y in 0..height {
        for x in 0..width {
            let g = y * width + x;
            let mut sum = 0.0;
            let mut n = 0u32;
            for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    if nx != x || ny != y {
                        sum += boost[ny * width + nx];
                        n += 1;
                    }
                }
            }
            let mean = if n > 0 { sum / f64::from(n) } else { boost[g] };
            next[g] = (1.0 - omega) * ((1.0 - eta) * boost[g] + eta * mean)
                + theta * f64::from(events[g]);
        }
    }
    boost.swap_with_slice(next);
}

/// Disorder after an unhandled public-order incident.
#[inline]
pub fn add_disorder(disorder: f64, gain: f64) -> f64 {
    disorder + gain * (1.0 - disorder)
}

/// A grid's fear of crime.
#[inline]
pub fn fear(
    incident_rate_per_1000_year: f64,
    scale: f64,
    disorder: f64,
    disorder_fear: f64,
) -> f64 {
    1.0 - (-(incident_rate_per_1000_year / scale + disorder_fear * disorder)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn near_repeat_decays_spreads_and_is_boosted() {
        let p = Params::default().contagion;
        let mut b = vec![0.0; 9];
        let mut scratch = vec![0.0; 9];
        let mut events = vec![0; 9];
        events[4] = 1;
        step_near_repeat(&mut b, &mut scratch, &events, 3, 3, &p);
        assert!((b[4] - p.near_repeat_boost).abs() < 1e-12);
        assert_eq!(b[0], 0.0);
        events[4] = 0;
        step_near_repeat(&mut b, &mut scratch, &events, 3, 3, &p);
        let theta = p.near_repeat_boost;
        let keep = (1.0 - p.near_repeat_decay) * (1.0 - p.near_repeat_spread) * theta;
        assert!((b[4] - keep).abs() < 1e-12);
        // A corner has 3 neighbours; the centre is one of them.
        let corner = (1.0 - p.near_repeat_decay) * p.near_repeat_spread * theta / 3.0;
        assert!((b[0] - corner).abs() < 1e-12);
        // Without events the boost dies away.
        for _ in 0..500 {
            step_near_repeat(&mut b, &mut scratch, &[0; 9], 3, 3, &p);
        }
        assert!(b.iter().all(|&x| x < 1e-12));
    }

    #[test]
    fn single_grid_lattice_keeps_its_own_boost() {
        let p = Params::default().contagion;
        let mut b = vec![1.0];
        let mut s = vec![0.0];
        step_near_repeat(&mut b, &mut s, &[0], 1, 1, &p);
        assert!((b[0] - (1.0 - p.near_repeat_decay)).abs() < 1e-12);
    }

    #[test]
    fn opportunity_rises_with_disorder_and_falls_with_efficacy() {
        let base = opportunity_multiplier(1.0, 0.0, 0.0, 1.0, 0.0, 0.5);
        assert_eq!(base, 1.0);
        assert_eq!(opportunity_multiplier(1.0, 0.0, 1.0, 1.0, 0.0, 0.5), 2.0);
        assert_eq!(opportunity_multiplier(1.0, 0.0, 0.0, 1.0, 1.0, 0.5), 0.5);
        assert_eq!(opportunity_multiplier(2.0, 1.0, 0.0, 1.0, 0.0, 0.5), 4.0);
    }

    #[test]
    fn collective_efficacy_is_trust_times_participation() {
        // 10 residents with trust summing to 6 (mean 0.6), 5 contributing: 0.3.
        assert!((collective_efficacy(6.0, 5, 10.0) - 0.3).abs() < 1e-15);
        assert_eq!(collective_efficacy(6.0, 0, 10.0), 0.0);
        assert_eq!(collective_efficacy(10.0, 10, 10.0), 1.0);
    }

    #[test]
    fn safety_weighs_absence_of_fear_and_trust() {
        // No fear, no trust: 70% of residents feel safe; full trust: all.
        assert_eq!(residents_feeling_safe(0.0, 100.0, 0.0), 70.0);
        assert_eq!(residents_feeling_safe(0.0, 100.0, 100.0), 100.0);
        assert!((residents_feeling_safe(0.5, 100.0, 50.0) - 0.5 * 85.0).abs() < 1e-12);
        assert_eq!(residents_feeling_safe(1.0, 100.0, 100.0), 0.0);
        assert_eq!(decay_disorder(0.5, 0.1), 0.45);
    }

    #[test]
    fn disorder_and_fear_stay_in_range() {
        let mut d = 0.0;
        for _ in 0..100 {
            d = add_disorder(d, 0.1);
        }
        assert!(d <= 1.0 && d > 0.99);
        assert_eq!(fear(0.0, 100.0, 0.0, 1.0), 0.0);
        assert!((fear(100.0, 100.0, 0.0, 1.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert!(fear(50.0, 100.0, 0.5, 1.0) > fear(50.0, 100.0, 0.0, 1.0));
    }
}
