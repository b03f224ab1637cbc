//! Near-repeat victimisation, disorder and collective efficacy (mechanism 11 of
//! docs/model.md), and fear of crime and perceived safety.
//!
//! - Near repeat (Short et al. 2008, Math Models Methods Appl Sci 18(suppl.):1249-1267): each grid's
//!   dynamic attractiveness B follows B <- (1 - omega)((1 - eta) B + eta mean(B of
//!   neighbours)) + theta E, with E the grid's incidents that day *per 1,000 of its
//!   residents*, so a grid of twice the residents needs twice the incidents for the
//!   same boost (Short et al.'s lattice sites are single houses; cogov's grids hold
//!   hundreds). Offending in the grid is scaled by 1 + M (1 - exp(-B / M)): about
//!   1 + B while the boost is small, never above 1 + M (`contagion.near_repeat_cap`).
//!   The cap is the area-level elevation the near-repeat studies observe: after a
//!   burglary, the risk to homes within 100 to 200 m is about doubled for two weeks
//!   and fades within a month or two (Townsley, Homel and Chaseling 2003, Br J
//!   Criminol 43:615-633; Bowers and Johnson 2004, Western Criminol Rev 5(3):12-24;
//!   Johnson et al. 2007, J Quant Criminol 23:201-219). Without it the boost feeds
//!   the incidents that feed it, and a hot grid runs away until every motivated
//!   resident offends every day.
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

/// The near-repeat multiplier on offending from a grid's boost `b`, saturating at
/// `1 + cap`: 1 + cap (1 - exp(-b / cap)), which is 1 + b for a small boost. A cap of
/// 0 turns near repeat off.
#[inline]
pub fn near_repeat_multiplier(b: f64, cap: f64) -> f64 {
    if cap > 0.0 {
        1.0 + cap * -(-b / cap).exp_m1()
    } else {
        1.0
    }
}

/// The multiplier on a motivated resident's daily offending propensity in a grid;
/// `near_repeat` is the grid's boost B, saturated at `near_repeat_cap`.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn opportunity_multiplier(
    base_opportunity: f64,
    near_repeat: f64,
    near_repeat_cap: f64,
    disorder: f64,
    disorder_effect: f64,
    collective_efficacy: f64,
    efficacy_effect: f64,
) -> f64 {
    base_opportunity
        * near_repeat_multiplier(near_repeat, near_repeat_cap)
        * (1.0 + disorder_effect * disorder)
        * (1.0 - efficacy_effect * collective_efficacy).max(0.0)
}

/// One day of Short et al.'s attractiveness dynamics on a `width` x `height` lattice
/// (Moore neighbourhood, no wrap). `events` are the day's incidents per grid, each
/// grid holding `residents` residents; `next` is scratch space of the same length,
/// left holding the old values.
pub fn step_near_repeat(
    boost: &mut [f64],
    next: &mut [f64],
    events: &[u32],
    residents: f64,
    width: usize,
    height: usize,
    p: &crate::model::co_governance::params::Contagion,
) {
    let (omega, eta) = (p.near_repeat_decay, p.near_repeat_spread);
    // The boost per incident, per 1,000 residents of the grid.
    let theta = p.near_repeat_boost * super::space::RATE_BASE / residents;
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
        // 500 residents a grid: one incident is 2 per 1,000.
        step_near_repeat(&mut b, &mut scratch, &events, 500.0, 3, 3, &p);
        let theta = 2.0 * p.near_repeat_boost;
        assert!((b[4] - theta).abs() < 1e-12);
        assert_eq!(b[0], 0.0);
        events[4] = 0;
        step_near_repeat(&mut b, &mut scratch, &events, 500.0, 3, 3, &p);
        let keep = (1.0 - p.near_repeat_decay) * (1.0 - p.near_repeat_spread) * theta;
        assert!((b[4] - keep).abs() < 1e-12);
        // A corner has 3 neighbours; the centre is one of them.
        let corner = (1.0 - p.near_repeat_decay) * p.near_repeat_spread * theta / 3.0;
        assert!((b[0] - corner).abs() < 1e-12);
        // Without events the boost dies away.
        for _ in 0..500 {
            step_near_repeat(&mut b, &mut scratch, &[0; 9], 500.0, 3, 3, &p);
        }
        assert!(b.iter().all(|&x| x < 1e-12));
    }

    #[test]
    fn single_grid_lattice_keeps_its_own_boost() {
        let p = Params::default().contagion;
        let mut b = vec![1.0];
        let mut s = vec![0.0];
        step_near_repeat(&mut b, &mut s, &[0], 500.0, 1, 1, &p);
        assert!((b[0] - (1.0 - p.near_repeat_decay)).abs() < 1e-12);
    }

    #[test]
    fn the_same_incident_rate_gives_the_same_boost_whatever_the_grid_size() {
        let p = Params::default().contagion;
        let (mut small, mut large) = (vec![0.0; 4], vec![0.0; 4]);
        let mut s = vec![0.0; 4];
        step_near_repeat(&mut small, &mut s, &[1, 0, 0, 2], 400.0, 2, 2, &p);
        step_near_repeat(&mut large, &mut s, &[3, 0, 0, 6], 1200.0, 2, 2, &p);
        for (a, b) in small.iter().zip(&large) {
            assert!((a - b).abs() < 1e-12, "{a} against {b}");
        }
    }

    #[test]
    fn near_repeat_is_linear_when_small_and_saturates_at_its_cap() {
        assert_eq!(near_repeat_multiplier(0.0, 1.0), 1.0);
        // Small boosts act as 1 + B.
        assert!((near_repeat_multiplier(0.01, 1.0) - 1.01).abs() < 1e-4);
        // 1 + M (1 - e^-1) at B = M.
        let at_cap = 1.0 + 2.0 * (1.0 - (-1.0f64).exp());
        assert!((near_repeat_multiplier(2.0, 2.0) - at_cap).abs() < 1e-12);
        // No boost, however large, lifts offending above 1 + M.
        assert!(near_repeat_multiplier(1e6, 1.0) <= 2.0);
        assert!(near_repeat_multiplier(50.0, 1.0) > 1.999);
        // A cap of 0 switches near repeat off.
        assert_eq!(near_repeat_multiplier(5.0, 0.0), 1.0);
    }

    #[test]
    fn opportunity_rises_with_disorder_and_falls_with_efficacy() {
        let base = opportunity_multiplier(1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.5);
        assert_eq!(base, 1.0);
        assert_eq!(
            opportunity_multiplier(1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.5),
            2.0
        );
        assert_eq!(
            opportunity_multiplier(1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.5),
            0.5
        );
        let boosted = opportunity_multiplier(2.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.5);
        assert!((boosted - 2.0 * near_repeat_multiplier(1.0, 1.0)).abs() < 1e-12);
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
