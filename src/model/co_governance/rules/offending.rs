//! Offending and deterrence (mechanism 2 of docs/model.md), after Epstein 2002, PNAS
//! 99(suppl. 3):7243-7250.
//!
//! A resident's grievance is G = H (1 - L) with hardship H and perceived legitimacy L.
//! cogov blends L = (1 - w) L0 + w T from the legitimacy of the wider system L0 and the
//! resident's trust in police T (`residents.legitimacy_trust_weight`), so local
//! policing moves legitimacy without owning all of it. Their net risk is N = R P with risk aversion
//! R and estimated arrest probability P. They are *motivated* (Epstein's "active")
//! when G - N > T. Epstein's P = 1 - exp(-k (C/A)_v) counts cops C and actives A in
//! vision, the agent counting itself among the actives.
//!
//! Choices made here (Epstein works on a lattice of single agents; cogov's cells are
//! grids of hundreds of households):
//! - C is the weighted guardianship in view (own grid plus neighbours at
//!   `district.neighbour_weight`). A is the number of residents in view expected to be
//!   *offending* that day (yesterday's motivated residents times today's offending
//!   probability), plus one for the resident itself: Epstein's actives are agents
//!   acting now, not agents who might. k is recalibrated for these units.
//! - P is split into being confronted and being cleared: P = (1 - exp(-k C/(A+1)))
//!   x clearance, where clearance is the recently observed clearance rate. This is how
//!   clearance feeds back into perceived arrest probability (mechanism 9).
//! - Motivation is a disposition; a motivated resident offends on a given day with a
//!   small propensity scaled by the grid's opportunity (see `contagion`), capped at 1.
//! - An offence is property, violent or public order by the district's offence mix.
//! - Incapacitation: the offender of a cleared offence is held (custody, detention,
//!   prison) for a term drawn exponential with mean `residents.incapacitation_days`,
//!   and cannot offend meanwhile (Blumstein, Cohen, Roth and Visher 1986, Criminal
//!   Careers and "Career Criminals", National Academy Press). The more offending, the
//!   more offenders are held: one of the brakes on a crime wave.

/// Epstein's grievance G = H (1 - L), arrest probability P = 1 - exp(-k C / A) and
/// activation rule G - R P > T, as the
/// reference model implements them from the paper: one definition for both models.
pub use crate::model::civil_violence::rules::{
    epstein_arrest_probability, grievance, is_active as is_motivated,
};

/// Kinds of incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offence {
    Property,
    Violent,
    PublicOrder,
}

/// The kind of an offence from a uniform draw `u`: property below `property_share`,
/// violent below `property_share + violent_share`, public order otherwise.
#[inline]
pub fn offence_kind(u: f64, property_share: f64, violent_share: f64) -> Offence {
    if u < property_share {
        Offence::Property
    } else if u < property_share + violent_share {
        Offence::Violent
    } else {
        Offence::PublicOrder
    }
}

/// Perceived legitimacy L = (1 - w) L0 + w T: the wider system's legitimacy L0 blended
/// with the resident's trust in police T at weight w.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Legitimacy {
    /// (1 - w) L0, the same for every resident.
    system_part: f64,
    trust_weight: f64,
}

impl Legitimacy {
    pub fn new(system_legitimacy: f64, trust_weight: f64) -> Self {
        Legitimacy {
            system_part: (1.0 - trust_weight) * system_legitimacy,
            trust_weight,
        }
    }

    /// The legitimacy perceived by a resident with this trust in police.
    #[inline]
    pub fn of(&self, trust_police: f64) -> f64 {
        self.system_part + self.trust_weight * trust_police
    }
}

/// Epstein's rule for one resident of cogov: grievance from hardship `h` and the
/// legitimacy they perceive at trust in police `trust`, against net risk at risk
/// aversion `r` and the grid's perceived arrest probability `p`.
#[inline]
pub fn resident_is_motivated(
    h: f64,
    r: f64,
    trust: f64,
    legitimacy: &Legitimacy,
    p: f64,
    threshold: f64,
) -> bool {
    is_motivated(grievance(h, legitimacy.of(trust)), r, p, threshold)
}

/// A motivated resident's probability of offending today: the propensity scaled by
/// the grid's opportunity multiplier (see `contagion`), at most 1.
#[inline]
pub fn daily_offending_probability(propensity: f64, opportunity_multiplier: f64) -> f64 {
    (propensity * opportunity_multiplier).min(1.0)
}

/// Whether [`daily_offending_probability`] is held at its cap of 1.
#[inline]
pub fn offending_capped(propensity: f64, opportunity_multiplier: f64) -> bool {
    propensity * opportunity_multiplier >= 1.0
}

/// Days an offender is held from a uniform draw `u` in [0, 1): an exponential term with
/// mean `mean_days`, rounded up to whole days (at least 1 when the mean is positive,
/// 0 when it is 0).
#[inline]
pub fn incapacitation_days(mean_days: f64, u: f64) -> u32 {
    let days = (-mean_days * (-u).ln_1p()).ceil();
    days.min(f64::from(u32::MAX / 2)) as u32
}

/// cogov's perceived arrest probability: confrontation (Epstein's form) times the
/// observed clearance rate.
#[inline]
pub fn perceived_arrest_probability(
    k: f64,
    guardians_in_view: f64,
    offenders_in_view: f64,
    clearance: f64,
) -> f64 {
    epstein_arrest_probability(k, guardians_in_view, offenders_in_view + 1.0) * clearance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epstein_arrest_probability_matches_the_paper_s_formula() {
        // k = 2.3 and one cop per active gives P = 1 - e^-2.3 = 0.8997 (Epstein 2002).
        let p = epstein_arrest_probability(2.3, 1.0, 1.0);
        assert!((p - 0.899_741_9).abs() < 1e-6, "{p}");
        // No cops: no risk. Many actives dilute the risk.
        assert_eq!(epstein_arrest_probability(2.3, 0.0, 5.0), 0.0);
        let diluted = epstein_arrest_probability(2.3, 1.0, 10.0);
        assert!((diluted - (1.0 - (-0.23f64).exp())).abs() < 1e-12);
        // A lone agent counts itself, so A is never below 1.
        assert_eq!(
            epstein_arrest_probability(2.3, 2.0, 0.0),
            epstein_arrest_probability(2.3, 2.0, 1.0)
        );
    }

    #[test]
    fn perceived_probability_scales_with_clearance_and_counts_self() {
        let p = perceived_arrest_probability(2.3, 1.0, 0.0, 0.5);
        assert!((p - 0.5 * 0.899_741_9).abs() < 1e-6);
        assert_eq!(perceived_arrest_probability(2.3, 1.0, 3.0, 0.0), 0.0);
    }

    #[test]
    fn legitimacy_blends_system_and_trust() {
        let l = Legitimacy::new(0.6, 0.25);
        assert!((l.of(0.2) - (0.75 * 0.6 + 0.25 * 0.2)).abs() < 1e-15);
        assert_eq!(Legitimacy::new(0.6, 0.0).of(0.9), 0.6);
        assert_eq!(Legitimacy::new(0.6, 1.0).of(0.9), 0.9);
    }

    #[test]
    fn incapacitation_is_exponential_in_whole_days() {
        assert_eq!(incapacitation_days(0.0, 0.7), 0);
        // The median of an exponential is mean x ln 2: 30 ln 2 = 20.8, so 21 days.
        assert_eq!(incapacitation_days(30.0, 0.5), 21);
        assert_eq!(incapacitation_days(30.0, 0.0), 0);
        assert!(incapacitation_days(30.0, 1e-9) >= 1);
        // The mean of the rounded-up term is the mean plus about half a day.
        let n = 100_000;
        let mean = (0..n)
            .map(|i| f64::from(incapacitation_days(30.0, (i as f64 + 0.5) / n as f64)))
            .sum::<f64>()
            / n as f64;
        assert!((mean - 30.5).abs() < 0.1, "{mean}");
        // An absurd mean cannot overflow the day counter.
        assert!(incapacitation_days(1e300, 0.99) <= u32::MAX / 2);
    }

    #[test]
    fn offence_mix_and_daily_probability() {
        assert_eq!(offence_kind(0.1, 0.5, 0.2), Offence::Property);
        assert_eq!(offence_kind(0.5, 0.5, 0.2), Offence::Violent);
        assert_eq!(offence_kind(0.69, 0.5, 0.2), Offence::Violent);
        assert_eq!(offence_kind(0.7, 0.5, 0.2), Offence::PublicOrder);
        assert_eq!(daily_offending_probability(0.01, 3.0), 0.03);
        assert_eq!(daily_offending_probability(0.5, 3.0), 1.0);
        assert!(offending_capped(0.5, 3.0) && offending_capped(0.5, 2.0));
        assert!(!offending_capped(0.01, 3.0));
    }

    #[test]
    fn activation_follows_g_minus_n_over_t() {
        // G = 0.8 (1 - 0.5) = 0.4; N = 0.5 x 0.4 = 0.2; G - N = 0.2 > 0.1.
        let g = grievance(0.8, 0.5);
        assert!((g - 0.4).abs() < 1e-12);
        assert!(is_motivated(g, 0.5, 0.4, 0.1));
        // Raising legitimacy to 0.8 gives G = 0.16, G - N = -0.04: quiet.
        assert!(!is_motivated(grievance(0.8, 0.8), 0.5, 0.4, 0.1));
        // Exactly at the threshold stays quiet (strict inequality, as in the paper).
        assert!(!is_motivated(0.3, 0.0, 0.0, 0.3));
    }
}
