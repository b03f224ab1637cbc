//! Reporting as co-production (mechanism 4 of docs/model.md).
//!
//! Whether a victim or witness reports depends on their trust in police (Tyler and
//! Fagan 2008, Ohio St J Crim Law 6:231: legitimacy predicts cooperation), the expected
//! efficacy of reporting (the clearance rate they observe), the cost of reporting
//! (which participation channels and IT lower) and any reward (Tarling and Morris 2010
//! review these drivers of reporting). cogov combines them in a logistic model:
//!
//! logit p = intercept + w_t (trust - 0.5) + w_e (efficacy - 0.5) - w_c cost
//!           + w_r ln(1 + reward)
//!
//! with cost = base (1 - g_c access) (1 - g_it it_level), and channel access
//! 1 - exp(-channels / 2). Reports bring the police to the scene (see `operations`).

/// Channels that give 1 - 1/e (63%) access: the scale of the saturating access curve
/// (modelling choice).
pub const CHANNEL_SCALE: f64 = 2.0;

/// The reference level of trust and of observed clearance at which the logit is the
/// intercept: a middling resident in a middling district (modelling choice).
pub const REFERENCE_LEVEL: f64 = 0.5;

/// Access to participation channels: 1 - exp(-count / 2). The first channels matter
/// most; eight channels give 98% access.
#[inline]
pub fn channel_access(count: u32) -> f64 {
    1.0 - (-f64::from(count) / CHANNEL_SCALE).exp()
}

/// The logistic function.
#[inline]
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The inputs of the reporting decision that are the same for every resident on a day.
#[derive(Debug, Clone, Copy)]
pub struct ReportingClimate {
    /// Log-odds before the reporter's own trust is added.
    pub base_logit: f64,
    /// Weight of the reporter's trust.
    pub trust_weight: f64,
}

impl ReportingClimate {
    /// Builds the climate from the rule's weights and today's conditions.
    pub fn new(
        p: &crate::model::co_governance::params::Reporting,
        efficacy: f64,
        cost: f64,
        reward: f64,
    ) -> Self {
        let base_logit = p.intercept - p.trust_weight * REFERENCE_LEVEL
            + p.efficacy_weight * (efficacy - REFERENCE_LEVEL)
            - p.cost_weight * cost
            + p.reward_weight * reward.max(0.0).ln_1p();
        ReportingClimate {
            base_logit,
            trust_weight: p.trust_weight,
        }
    }

    /// Probability that a resident with this trust reports.
    #[inline]
    pub fn probability(&self, trust: f64) -> f64 {
        logistic(self.base_logit + self.trust_weight * trust)
    }
}

/// Cost of reporting after channels and IT: base (1 - g_c access) (1 - g_it it).
pub fn reporting_cost(
    base: f64,
    channel_gain: f64,
    access: f64,
    it_gain: f64,
    it_level: f64,
) -> f64 {
    base * (1.0 - channel_gain * access) * (1.0 - it_gain * it_level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn channel_access_saturates() {
        assert_eq!(channel_access(0), 0.0);
        assert!((channel_access(2) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert!(channel_access(8) > 0.98 && channel_access(8) < 1.0);
    }

    #[test]
    fn reporting_probability_is_the_stated_logit() {
        let p = Params::default().reporting;
        let climate = ReportingClimate::new(&p, 0.5, 0.0, 0.0);
        // At trust 0.5, efficacy 0.5, no cost, no reward: logistic(intercept).
        assert!((climate.probability(0.5) - logistic(p.intercept)).abs() < 1e-12);
        // Trust, efficacy and reward raise it; cost lowers it.
        assert!(climate.probability(0.9) > climate.probability(0.5));
        let efficacious = ReportingClimate::new(&p, 0.9, 0.0, 0.0);
        assert!(efficacious.probability(0.5) > climate.probability(0.5));
        let costly = ReportingClimate::new(&p, 0.5, 0.8, 0.0);
        let expected = logistic(p.intercept - p.cost_weight * 0.8);
        assert!((costly.probability(0.5) - expected).abs() < 1e-12);
        let rewarded = ReportingClimate::new(&p, 0.5, 0.0, 50.0);
        assert!(rewarded.probability(0.5) > climate.probability(0.5));
    }

    #[test]
    fn channels_and_it_lower_the_cost() {
        assert_eq!(reporting_cost(0.8, 0.5, 0.0, 0.4, 0.0), 0.8);
        assert!((reporting_cost(0.8, 0.5, 1.0, 0.4, 1.0) - 0.8 * 0.5 * 0.6).abs() < 1e-12);
    }
}
