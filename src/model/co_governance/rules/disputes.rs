//! Disputes and escalation (mechanism 10 of docs/model.md, "A day, in order", step 5).
//!
//! The Fengqiao practice of settling disputes locally, as the Tongxiang study
//! (docs/model.md) describes it: disputes arrive at a yearly rate per 1,000 residents;
//! every open dispute gets one mediation attempt a day under the liability rule (see
//! `liability`). The actor who takes the case mediates it: an NGO with its own
//! success rate, anyone else with the grid worker's, put through the rights rule at
//! the mediator's own authority (see `rights`) plus the joint-action bonus when the
//! mediator works with the police. A dispute that is not settled escalates into an incident (violent
//! or public order), lapses, or stays open; the daily probabilities are free
//! parameters. This file owns these formulas; the world draws and counts.

use super::liability::Actor;
use super::offending::Offence;
use super::rights;
use super::space;
use crate::model::co_governance::params::Disputes;

/// Expected new disputes a day in a grid of `residents`.
#[inline]
pub fn expected_arrivals(rate_per_1000_year: f64, residents: f64) -> f64 {
    space::daily_expected(rate_per_1000_year, residents)
}

/// A mediator's base success: the NGOs' own, the grid worker's for anyone else.
#[inline]
pub fn base_success(mediator: Actor, d: &Disputes) -> f64 {
    match mediator {
        Actor::Ngo => d.ngo_success,
        _ => d.grid_worker_success,
    }
}

/// Probability that a mediation settles the dispute: the rights rule on the base
/// success at the mediator's `authority`, plus the joint-action bonus, at most 1.
#[inline]
pub fn settle_probability(
    base: f64,
    authority: f64,
    unmatched_success_factor: f64,
    joint_bonus: f64,
) -> f64 {
    (rights::success_probability(base, authority, unmatched_success_factor) + joint_bonus).min(1.0)
}

/// Hours a mediation takes the mediator: police hours for the police, mediation hours
/// for anyone else.
#[inline]
pub fn mediator_hours(mediator: Actor, d: &Disputes) -> f64 {
    if mediator == Actor::Police {
        d.police_hours
    } else {
        d.mediation_hours
    }
}

/// What becomes of a dispute that was not settled today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsettled {
    Escalates,
    Lapses,
    StaysOpen,
}

/// The fate of an unsettled dispute from a uniform draw `u`.
#[inline]
pub fn unsettled(u: f64, d: &Disputes) -> Unsettled {
    if u < d.escalation_probability {
        Unsettled::Escalates
    } else if u < d.escalation_probability + d.lapse_probability {
        Unsettled::Lapses
    } else {
        Unsettled::StaysOpen
    }
}

/// The incident an escalating dispute becomes, from a uniform draw `u`.
#[inline]
pub fn escalated_offence(u: f64, violent_share: f64) -> Offence {
    if u < violent_share {
        Offence::Violent
    } else {
        Offence::PublicOrder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn mediators_and_their_success() {
        let p = Params::default();
        let mut d = p.disputes;
        d.ngo_success = 0.7;
        d.grid_worker_success = 0.5;
        d.police_hours = 1.0;
        d.mediation_hours = 3.0;
        assert_eq!(base_success(Actor::Ngo, &d), 0.7);
        assert_eq!(base_success(Actor::Police, &d), 0.5);
        assert_eq!(mediator_hours(Actor::Police, &d), 1.0);
        assert_eq!(mediator_hours(Actor::GridWorker, &d), 3.0);
        assert_eq!(mediator_hours(Actor::Witness, &d), 3.0);
        assert_eq!(base_success(Actor::Enterprise, &d), 0.5);
        // 0.5 x (0.5 + 0.5 x 0.4) = 0.35, plus the bonus; capped at 1.
        assert!((settle_probability(0.5, 0.5, 0.4, 0.1) - 0.45).abs() < 1e-12);
        assert_eq!(settle_probability(1.0, 0.5, 0.4, 0.9), 1.0);
    }

    #[test]
    fn unsettled_disputes_escalate_lapse_or_stay_open() {
        let mut d = Params::default().disputes;
        d.escalation_probability = 0.125;
        d.lapse_probability = 0.25;
        assert_eq!(unsettled(0.1, &d), Unsettled::Escalates);
        assert_eq!(unsettled(0.125, &d), Unsettled::Lapses);
        assert_eq!(unsettled(0.37, &d), Unsettled::Lapses);
        assert_eq!(unsettled(0.375, &d), Unsettled::StaysOpen);
        assert_eq!(escalated_offence(0.3, 0.4), Offence::Violent);
        assert_eq!(escalated_offence(0.4, 0.4), Offence::PublicOrder);
        // 25 a year per 1,000 among 730 residents: 0.05 a day.
        assert!((expected_arrivals(25.0, 730.0) - 0.05).abs() < 1e-15);
    }
}
