//! Legitimacy and trust (mechanism 3 of docs/model.md).
//!
//! Tyler (1990, Why People Obey the Law, Yale UP) and the Mazerolle et al. 2013
//! meta-analysis (J Exp Criminol 9:245-274) find that the procedural justice of police contacts (voice,
//! neutrality, respect, trustworthy motives) shapes trust and legitimacy more than the
//! outcome. cogov gives each contact a quality q = (1 - w) j + w o, with j the
//! procedural-justice quality drawn around the force's mean and o = 1 when the case was
//! cleared (0 otherwise, w = `trust.outcome_weight`), and moves the resident's trust a
//! share a of the way toward it: T <- T + a (q - T) (exponential smoothing, the usual
//! learning rule for trust, e.g. Macy and Flache 2002).
//!
//! Between contacts trust drifts: trust in community organisations toward the grid's
//! collaboration trust, and trust in police toward trust in community organisations
//! (spillover, the Tongxiang study, docs/model.md), a share of the gap each day and
//! without clamping (a drift between values in [0, 1] stays in [0, 1]).

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
    fn quality_weighs_process_against_outcome() {
        assert!((contact_quality(0.8, false, 0.3) - 0.56).abs() < 1e-12);
        assert!((contact_quality(0.8, true, 0.3) - 0.86).abs() < 1e-12);
        assert_eq!(contact_quality(0.8, false, 0.0), 0.8);
        assert_eq!(contact_quality(1.5, true, 0.0), 1.0);
    }
}
