//! Diffusion of responsibility (mechanism 5 of docs/model.md): how each actor present
//! at a call decides whether to act.
//!
//! Darley and Latane 1968 (J Pers Soc Psychol 8(4):377-383) showed that bystanders
//! help less when more could; Diekmann 1985 (J Conflict Resolut 29(4):605-610)
//! formalised it as the volunteer's dilemma: n actors each gain b if at least one
//! acts, acting costs c < b. In the symmetric mixed equilibrium each acts with
//! p = 1 - (c/b)^(1/(n-1)), and nobody acts with probability (c/b)^(n/(n-1)), which
//! rises with n.
//!
//! cogov lets every actor present at a call play its own side of that game
//! ([`act_probability`]): an actor with cost-benefit ratio c_i/b and motivation m_i
//! (see `rights`), which perceives the n - 1 others present, acts with probability
//! h x (1 - (c_i/(b m_i))^(1/(n-1))): Diekmann's equilibrium probability at its own
//! ratio. Alone (n = 1) it acts with probability h x min(1, b m_i / c_i), the smoothed
//! "act iff b m > c". A ratio of 1 or more means acting never pays. The factor h
//! (`liability.lone_act_probability`) is the chance that a lone actor for whom acting
//! pays notices the call and acts in time: Latane and Darley's (1970) steps of
//! noticing and interpreting before deciding; Darley and Latane 1968 found 85% of
//! lone subjects helped before the end of the seizure. With lay bystanders'
//! cost-benefit ratio (`liability.bystander_cost_benefit_ratio` 0.085) and residents'
//! motivation as the model draws it (trust in community organisations, Beta with mean
//! 0.55 and concentration 10), the rule gives 85% alone and 31% with 4 others present,
//! the two figures of Darley and Latane 1968 (tested below); their middle group
//! (1 other present, 62%) comes out at 71%.
//!
//! Clear liability names one responsible actor ([`named_act_probability`]): it does
//! not wait for others and acts whenever its benefit exceeds its cost, smoothed into a
//! ramp min(1, b m / c), so a demotivated named actor acts less, but nobody else
//! present matters. It is called by the dispatcher, so it needs no noticing.
//!
//! Who is present, who is named and who does the work is the world's business
//! (`world/community_calls.rs`); this file holds the formulas.

/// The kinds of actor that can be present at a call to the community (a dispute, a
/// clean-up after a public-order incident).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A grid worker (one agent each).
    GridWorker,
    /// An engaged NGO (one agent each).
    Ngo,
    /// The security staff of a contributing enterprise (one agent per enterprise).
    Enterprise,
    /// The police post of the grid (one agent per grid).
    Police,
    /// A contributing resident on volunteer patrol.
    Volunteer,
    /// A resident who witnesses the incident or dispute.
    Witness,
}

impl Actor {
    /// True for the residents (volunteers, witnesses), whose cost of acting is the lay
    /// bystanders' and whose motivation is their trust in community organisations.
    #[inline]
    pub fn is_resident(self) -> bool {
        matches!(self, Actor::Volunteer | Actor::Witness)
    }
}

/// Expected witnesses of a call in a grid of `residents`, at `per_1000` witnesses per
/// 1,000 residents (`community.witnesses_per_1000`); the number present is Poisson
/// with this mean.
#[inline]
pub fn expected_witnesses(per_1000: f64, residents: f64) -> f64 {
    per_1000 * residents / 1000.0
}

/// The effective cost-benefit ratio c/(b m) of an actor with motivation `motivation`.
pub fn effective_ratio(cost_benefit_ratio: f64, motivation: f64) -> f64 {
    if motivation > 0.0 {
        cost_benefit_ratio / motivation
    } else {
        f64::INFINITY
    }
}

/// Probability that a named responsible actor acts: min(1, b m / c).
pub fn named_act_probability(cost_benefit_ratio: f64, motivation: f64) -> f64 {
    (1.0 / effective_ratio(cost_benefit_ratio, motivation)).min(1.0)
}

/// Probability that one actor present at a call under unclear liability acts, given
/// its own effective ratio c/(b m), the number `present` of actors present (itself
/// included) and the lone actor's chance `lone` of acting in time:
/// `lone` x (1 - ratio^(1/(n-1))) for n >= 2, `lone` x min(1, 1/ratio) alone, 0 when
/// the ratio is 1 or more (or NaN).
pub fn act_probability(ratio: f64, present: u32, lone: f64) -> f64 {
    if ratio.is_nan() || present == 0 {
        return 0.0;
    }
    if present == 1 {
        return lone * (1.0 / ratio).min(1.0);
    }
    if ratio >= 1.0 {
        return 0.0;
    }
    lone * (1.0 - ratio.max(0.0).powf(1.0 / f64::from(present - 1)))
}

/// Equilibrium probability that none of `n` actors with the same ratio acts,
/// (c/b)^(n/(n-1)), or 0 for a single actor with c < b (Diekmann 1985; for analysis:
/// the day decides actor by actor with [`act_probability`]).
pub fn probability_nobody_acts(n: u32, ratio: f64) -> f64 {
    if ratio.is_nan() || ratio >= 1.0 {
        return 1.0;
    }
    if n <= 1 {
        return 0.0;
    }
    let n = f64::from(n);
    ratio.max(0.0).powf(n / (n - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Beta, Distribution};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn with_equal_ratios_and_no_lapse_the_rule_is_diekmanns_equilibrium() {
        // n = 2, c/b = 0.25: p = 0.75, nobody = 0.0625; n = 3: p = 0.5, nobody = 0.125.
        assert!(close(act_probability(0.25, 2, 1.0), 0.75));
        assert!(close(act_probability(0.25, 3, 1.0), 0.5));
        assert!(close(probability_nobody_acts(2, 0.25), 0.0625));
        assert!(close(probability_nobody_acts(3, 0.25), 0.125));
        // Nobody acts = (1 - p)^n for any n: independent individual decisions at the
        // equilibrium probability reproduce the closed form.
        for n in 2..10 {
            let p = act_probability(0.4, n, 1.0);
            assert!(close(
                probability_nobody_acts(n, 0.4),
                (1.0 - p).powi(n as i32)
            ));
        }
        // The lone actor's lapse scales every probability.
        assert!(close(act_probability(0.25, 3, 0.8), 0.4));
    }

    #[test]
    fn each_acts_less_as_others_are_added_and_nobody_acts_more_often() {
        let mut last_p = 1.0;
        let mut last_q = 0.0;
        for n in 1..20 {
            let p = act_probability(0.4, n, 1.0);
            let q = probability_nobody_acts(n, 0.4);
            assert!(p <= last_p && q >= last_q, "n = {n}");
            last_p = p;
            last_q = q;
        }
        // The limit of nobody acting is c/b itself.
        assert!((probability_nobody_acts(10_000, 0.4) - 0.4).abs() < 1e-3);
    }

    #[test]
    fn alone_an_actor_acts_when_acting_pays_smoothed() {
        assert_eq!(act_probability(0.9, 1, 1.0), 1.0);
        assert!(close(act_probability(2.0, 1, 1.0), 0.5));
        assert!(close(act_probability(0.2, 1, 0.85), 0.85));
        assert_eq!(act_probability(1.0, 4, 1.0), 0.0);
        assert_eq!(act_probability(f64::INFINITY, 4, 1.0), 0.0);
        assert_eq!(act_probability(f64::INFINITY, 1, 1.0), 0.0);
        assert_eq!(act_probability(f64::NAN, 3, 1.0), 0.0);
        assert_eq!(act_probability(0.2, 0, 1.0), 0.0);
        assert_eq!(probability_nobody_acts(1, 0.9), 0.0);
        assert_eq!(probability_nobody_acts(4, f64::NAN), 1.0);
        assert_eq!(effective_ratio(0.2, 0.0), f64::INFINITY);
        assert!(close(expected_witnesses(2.0, 786.0), 1.572));
    }

    #[test]
    fn a_named_actor_acts_on_its_own_motivation() {
        assert_eq!(named_act_probability(0.4, 0.8), 1.0);
        // A demotivated named actor (b m < c) acts on a share b m / c of calls.
        assert!(close(named_act_probability(0.4, 0.2), 0.5));
        assert_eq!(named_act_probability(0.4, 0.0), 0.0);
        assert!(Actor::Witness.is_resident() && Actor::Volunteer.is_resident());
        assert!(!Actor::GridWorker.is_resident() && !Actor::Police.is_resident());
    }

    /// Darley and Latane 1968 (J Pers Soc Psychol 8:377-383), the seizure study: 85%
    /// of subjects who believed they alone heard the victim helped before the end of
    /// the fit, 31% of those who believed 4 others heard it too. Lay subjects are
    /// simulated as the model's residents: motivation (trust in community
    /// organisations) drawn Beta with the defaults' mean 0.55 and concentration 10,
    /// cost-benefit ratio `liability.bystander_cost_benefit_ratio`, lapse
    /// `liability.lone_act_probability`. Each subject decides once; the share who act
    /// must lie within 4 binomial standard errors of the study's figure (40,000
    /// subjects per condition: 4 SE is at most 0.01).
    #[test]
    fn lay_bystanders_reproduce_darley_and_latane_1968() {
        let p = crate::model::co_governance::params::Params::default();
        let c = p.liability.bystander_cost_benefit_ratio;
        let lone = p.liability.lone_act_probability;
        let mean = p.residents.initial_trust_community;
        let conc = p.trust.initial_concentration;
        let trust = Beta::new(mean * conc, (1.0 - mean) * conc).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1968);
        let subjects = 40_000;
        for (present, target) in [(1u32, 0.85), (5, 0.31)] {
            let mut acted = 0u32;
            for _ in 0..subjects {
                let m = trust.sample(&mut rng);
                let q = act_probability(effective_ratio(c, m), present, lone);
                acted += u32::from(rng.random::<f64>() < q);
            }
            let share = f64::from(acted) / f64::from(subjects);
            let se = (target * (1.0 - target) / f64::from(subjects)).sqrt();
            assert!(
                (share - target).abs() <= 4.0 * se,
                "{present} present: {share:.4} acted, Darley and Latane {target} (SE {se:.4})"
            );
        }
    }
}
