//! Legitimacy and trust (mechanism 3 of docs/model.md).
//!
//! Tyler (1990, Why People Obey the Law, Yale UP; 2006, Annu Rev Psychol 57:375) and
//! the Mazerolle et al. 2013 meta-analysis (J Exp Criminol 9:245-274) find that the
//! procedural justice of police contacts (voice, neutrality, respect, trustworthy
//! motives) shapes trust and legitimacy more than the outcome. cogov gives each contact
//! a quality q = (1 - w) j + w o, with j the procedural-justice quality of this contact,
//! drawn around the style of the officer who makes it ([`around`]; each officer's style
//! is drawn once around the force's mean), and o = 1 when the case was cleared in the
//! resident's favour (0 otherwise, w = `trust.outcome_weight`). The resident's trust
//! moves a share a of the way toward q: T <- T + a (q - T) (exponential smoothing, the
//! usual learning rule for trust, e.g. Macy and Flache 2002). The share is the
//! resident's own: `trust.contact_rate` times their susceptibility, times
//! `trust.negative_weight` when the contact was worse than their trust (bad
//! experiences weigh more: Skogan 2006, Policing and Society 16(2):99-126), at most 1
//! ([`learning_rate`], [`learn`]). Residents who hear of a contact second-hand learn
//! from it the same way at a share `trust.vicarious_weight` of the rate (Rosenbaum,
//! Schuck, Costello, Hawkins and Ring 2005, Police Quarterly 8(3):343-365).
//!
//! Between contacts trust drifts: trust in community organisations toward the grid's
//! collaboration trust ([`drift`]), and trust in police toward trust in community
//! organisations (spillover, the Tongxiang study, docs/model.md) and back toward the
//! resident's own prior ([`settle`]), a share of each gap each day and without clamping
//! (a drift between values in [0, 1] stays in [0, 1] while the shares sum to at most 1).

/// Moves `trust` a share `rate` of the way toward `target`, staying in [0, 1].
#[inline]
pub fn toward(trust: f64, target: f64, rate: f64) -> f64 {
    (trust + rate * (target - trust)).clamp(0.0, 1.0)
}

/// One day's drift of `trust` a share `rate` of the way toward `target` (spillover).
#[inline]
pub fn drift(trust: f64, target: f64, rate: f64) -> f64 {
    trust + rate * (target - trust)
}

/// One day's drift of trust in police: a share `spillover` of the way toward trust in
/// community organisations and a share `pull` toward the resident's `prior`
/// (T <- T + s (Tc - T) + r (prior - T)); stays in [0, 1] when s + r <= 1.
#[inline]
pub fn settle(trust: f64, community: f64, spillover: f64, prior: f64, pull: f64) -> f64 {
    trust + spillover * (community - trust) + pull * (prior - trust)
}

/// A value drawn around `mean` with spread `sd` from a standard normal deviate `z`,
/// clipped to [0, 1]: an officer's style around the force's procedural justice, or a
/// contact's procedural justice around its officer's style.
#[inline]
pub fn around(mean: f64, sd: f64, z: f64) -> f64 {
    (mean + sd * z).clamp(0.0, 1.0)
}

/// The share of the gap a contact closes for a resident of `susceptibility`: the base
/// `rate`, times `negative_weight` when the contact was worse than the resident's
/// trust, at most 1.
#[inline]
pub fn learning_rate(rate: f64, susceptibility: f64, negative_weight: f64, worse: bool) -> f64 {
    let asymmetry = if worse { negative_weight } else { 1.0 };
    (rate * susceptibility * asymmetry).min(1.0)
}

/// Trust after a contact (or hearing of one) of `quality`: [`toward`] at the
/// resident's [`learning_rate`].
#[inline]
pub fn learn(
    trust: f64,
    quality: f64,
    rate: f64,
    susceptibility: f64,
    negative_weight: f64,
) -> f64 {
    let a = learning_rate(rate, susceptibility, negative_weight, quality < trust);
    toward(trust, quality, a)
}

/// A contact's quality from its procedural-justice draw and outcome.
#[inline]
pub fn contact_quality(procedural_justice: f64, cleared: bool, outcome_weight: f64) -> f64 {
    let outcome = if cleared { 1.0 } else { 0.0 };
    ((1.0 - outcome_weight) * procedural_justice + outcome_weight * outcome).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_moves_the_stated_share_toward_contact_quality() {
        assert!((toward(0.5, 1.0, 0.2) - 0.6).abs() < 1e-12);
        assert!((toward(0.5, 0.0, 0.2) - 0.4).abs() < 1e-12);
        assert!((toward(0.3, 0.9, 1.0) - 0.9).abs() < 1e-12);
        assert_eq!(toward(0.3, 0.9, 0.0), 0.3);
        // Repeated contacts of quality q converge to q geometrically.
        let mut t = 0.2;
        for _ in 0..200 {
            t = toward(t, 0.8, 0.1);
        }
        assert!((t - 0.8).abs() < 1e-8);
        // After n contacts the gap is (1 - a)^n of the original.
        let mut t = 0.0;
        for _ in 0..5 {
            t = toward(t, 1.0, 0.1);
        }
        assert!((1.0 - t - 0.9f64.powi(5)).abs() < 1e-12);
    }

    #[test]
    fn drift_moves_the_stated_share_without_clamping() {
        assert_eq!(drift(0.5, 1.0, 0.2), 0.6);
        assert_eq!(drift(0.5, 0.0, 0.0), 0.5);
        assert!((drift(0.2, 0.8, 0.003) - 0.2018).abs() < 1e-15);
        // Out of range inputs are not clamped (unlike `toward`).
        assert_eq!(drift(1.0, 2.0, 0.5), 1.5);
    }

    #[test]
    fn settling_pulls_toward_community_trust_and_the_prior() {
        // 0.5 + 0.1 (0.9 - 0.5) + 0.2 (0.2 - 0.5) = 0.5 + 0.04 - 0.06.
        assert!((settle(0.5, 0.9, 0.1, 0.2, 0.2) - 0.48).abs() < 1e-15);
        assert_eq!(settle(0.5, 0.9, 0.0, 0.2, 0.0), 0.5);
        // With no contacts, trust settles at the weighted mean of its two targets.
        let mut t = 0.9;
        for _ in 0..20_000 {
            t = settle(t, 0.4, 0.001, 0.7, 0.003);
        }
        assert!((t - (0.001 * 0.4 + 0.003 * 0.7) / 0.004).abs() < 1e-9);
        // Shares summing to 1 land exactly on their weighted mean, in range.
        assert!((settle(0.0, 1.0, 0.5, 1.0, 0.5) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn draws_around_a_mean_are_clipped() {
        assert!((around(0.7, 0.1, 1.0) - 0.8).abs() < 1e-15);
        assert!((around(0.7, 0.1, -2.0) - 0.5).abs() < 1e-15);
        assert_eq!(around(0.7, 0.0, 5.0), 0.7);
        assert_eq!(around(0.9, 0.2, 3.0), 1.0);
        assert_eq!(around(0.1, 0.2, -3.0), 0.0);
    }

    #[test]
    fn bad_experiences_weigh_more_and_susceptibility_scales_learning() {
        assert!((learning_rate(0.15, 1.0, 2.0, false) - 0.15).abs() < 1e-15);
        assert!((learning_rate(0.15, 1.0, 2.0, true) - 0.30).abs() < 1e-15);
        assert!((learning_rate(0.15, 2.0, 1.0, false) - 0.30).abs() < 1e-15);
        assert_eq!(learning_rate(0.5, 3.0, 4.0, true), 1.0);
        // A contact 0.2 better moves trust 0.2 x 0.1; one 0.2 worse, twice as far.
        assert!((learn(0.5, 0.7, 0.1, 1.0, 2.0) - 0.52).abs() < 1e-15);
        assert!((learn(0.5, 0.3, 0.1, 1.0, 2.0) - 0.46).abs() < 1e-15);
        // A susceptible resident moves more, an immune one not at all.
        assert!((learn(0.5, 0.7, 0.1, 1.5, 2.0) - 0.53).abs() < 1e-15);
        assert_eq!(learn(0.5, 0.1, 0.1, 0.0, 2.0), 0.5);
        // Asymmetry lowers where repeated contacts of spread quality settle: half at
        // 0.4 and half at 0.8 settle at 0.6 when symmetric, below it when bad ones
        // weigh double (at 4/6 = 0.667 of the way from 0.8 to 0.4 in the limit of
        // small steps: 0.8 - 0.4 x 2/3 = 0.533).
        let run = |neg: f64| {
            let mut t = 0.6;
            let mut sum = 0.0;
            for k in 0..200_000 {
                let q = if k % 2 == 0 { 0.4 } else { 0.8 };
                t = learn(t, q, 0.001, 1.0, neg);
                if k >= 100_000 {
                    sum += t;
                }
            }
            sum / 100_000.0
        };
        assert!((run(1.0) - 0.6).abs() < 1e-3);
        assert!((run(2.0) - (0.8 - 0.4 * 2.0 / 3.0)).abs() < 2e-3);
    }

    #[test]
    fn quality_weighs_process_against_outcome() {
        assert!((contact_quality(0.8, false, 0.3) - 0.56).abs() < 1e-12);
        assert!((contact_quality(0.8, true, 0.3) - 0.86).abs() < 1e-12);
        assert_eq!(contact_quality(0.8, false, 0.0), 0.8);
        assert_eq!(contact_quality(1.5, true, 0.0), 1.0);
    }
}
