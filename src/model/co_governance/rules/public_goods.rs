//! Participation as an optional public-goods game with rewards, subsidies and fines
//! (mechanism 7 of docs/model.md; Fehr and Gachter 2000, Am Econ Rev 90(4):980-994;
//! Sigmund, De Silva, Traulsen and Hauert 2010, Nature 466:861-863).
//!
//! Residents of a grid play Hauert's optional public-goods game: contributors pay c and
//! every participant (contributor or free rider) receives r c n_C / (n_C + n_F); loners
//! stay out for a fixed sigma. Policies change payoffs: contributors earn a reward, and
//! their own warm glow scales with their trust in community organisations (awareness,
//! problem 1 of the Tongxiang study, docs/model.md); participation channels lower the
//! contribution cost. Enterprises choose between contributing security (cost, the value of
//! their own premises being guarded, subsidy) and free riding (a fine when inspected,
//! enforceable only when liability is clear).
//! NGOs choose between engaging (cost, funding, value of the partnership with the
//! grid's collaborative process) and not.
//!
//! Strategies spread by imitation: a revising agent compares its payoff with a random
//! peer's and copies the peer with the Fermi probability 1/(1 + exp(-(pi_peer -
//! pi_self)/kappa)) (Szabo and Toke 1998, Phys Rev E 58:69); with a small probability
//! it explores a random strategy instead.

/// A resident's strategy in the participation game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Strategy {
    Contribute = 0,
    FreeRide = 1,
    StayOut = 2,
}

impl Strategy {
    /// Number of strategies; `from_u8` of a uniform draw below it is a random strategy.
    pub const COUNT: u8 = 3;

    #[inline]
    pub fn from_u8(x: u8) -> Strategy {
        match x {
            0 => Strategy::Contribute,
            1 => Strategy::FreeRide,
            _ => Strategy::StayOut,
        }
    }
}

/// A resident's initial strategy from a uniform draw `u`: contribute below
/// `participation`, free-ride below `participation + free_riders`, else stay out.
#[inline]
pub fn initial_strategy(u: f64, participation: f64, free_riders: f64) -> Strategy {
    if u < participation {
        Strategy::Contribute
    } else if u < participation + free_riders {
        Strategy::FreeRide
    } else {
        Strategy::StayOut
    }
}

/// A resident's contribution cost after participation channels: c (1 - g access).
#[inline]
pub fn contribution_cost(base: f64, channel_gain: f64, access: f64) -> f64 {
    base * (1.0 - channel_gain * access)
}

/// The Fermi imitation probability.
#[inline]
pub fn fermi(payoff_self: f64, payoff_peer: f64, noise: f64) -> f64 {
    1.0 / (1.0 + (-(payoff_peer - payoff_self) / noise).exp())
}

/// Payoffs in one grid's optional public-goods game, before the individual warm glow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GamePayoffs {
    pub contribute: f64,
    pub free_ride: f64,
    pub stay_out: f64,
}

impl GamePayoffs {
    /// A resident's payoff for strategy `s`: a contributor adds the warm glow
    /// `awareness` x its trust in community organisations.
    #[inline]
    pub fn of(&self, s: Strategy, awareness: f64, trust_community: f64) -> f64 {
        match s {
            Strategy::Contribute => self.contribute + awareness * trust_community,
            Strategy::FreeRide => self.free_ride,
            Strategy::StayOut => self.stay_out,
        }
    }
}

/// Hauert's optional public-goods payoffs for a group with `contributors` and
/// `free_riders` participants. With fewer than two participants the game does not
/// take place and participants get the loner payoff, as in Hauert et al. 2002.
pub fn resident_payoffs(
    contributors: u64,
    free_riders: u64,
    cost: f64,
    multiplier: f64,
    loner: f64,
    reward: f64,
) -> GamePayoffs {
    let participants = contributors + free_riders;
    if participants < 2 {
        return GamePayoffs {
            contribute: loner + reward,
            free_ride: loner,
            stay_out: loner,
        };
    }
    let share = multiplier * cost * contributors as f64 / participants as f64;
    GamePayoffs {
        contribute: share - cost + reward,
        free_ride: share,
        stay_out: loner,
    }
}

/// The terms of an enterprise's daily payoff. The safety every enterprise enjoys
/// whether or not it contributes is common to both strategies and left out.
#[derive(Debug, Clone, Copy)]
pub struct EnterpriseTerms {
    /// Value of its own premises being guarded, which only a contributor gets.
    pub private_benefit: f64,
    pub subsidy: f64,
    pub fine: f64,
    pub inspection: f64,
    /// A fine is levied only on a party that can be named liable.
    pub clarity: f64,
}

/// An enterprise's daily payoff: contributing costs `cost` and earns the private
/// benefit and the subsidy; free riding risks the expected fine
/// (fine x inspection x clarity).
pub fn enterprise_payoff(contributes: bool, cost: f64, t: &EnterpriseTerms) -> f64 {
    if contributes {
        -cost + t.private_benefit + t.subsidy
    } else {
        -t.fine * t.inspection * t.clarity
    }
}

/// An NGO's daily payoff: engaging earns the funding less its cost plus the value of
/// the partnership, which grows with the grid's collaboration trust; staying out 0.
#[inline]
pub fn ngo_payoff(
    engaged: bool,
    cost: f64,
    funding: f64,
    partnership_value: f64,
    trust: f64,
) -> f64 {
    if engaged {
        funding - cost + partnership_value * trust
    } else {
        0.0
    }
}

/// Incentives paid a day to `count` recipients at `rate` each.
#[inline]
pub fn payments(rate: f64, count: f64) -> f64 {
    rate * count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fermi_rule_known_values() {
        assert_eq!(fermi(1.0, 1.0, 0.5), 0.5);
        // Peer one noise unit better: 1 / (1 + e^-1) = 0.731.
        assert!((fermi(0.0, 0.5, 0.5) - 0.731_058_578_6).abs() < 1e-9);
        assert!((fermi(0.5, 0.0, 0.5) - 0.268_941_421_4).abs() < 1e-9);
        // Low noise: imitation of the better peer becomes certain.
        assert!(fermi(0.0, 1.0, 0.001) > 0.999_999);
        assert!(fermi(1.0, 0.0, 0.001) < 1e-6);
    }

    #[test]
    fn public_goods_payoffs_follow_hauert() {
        // 3 contributors, 1 free rider, c = 1, r = 3: share = 3 x 3 / 4 = 2.25.
        let p = resident_payoffs(3, 1, 1.0, 3.0, 1.0, 0.0);
        assert!((p.free_ride - 2.25).abs() < 1e-12);
        assert!((p.contribute - 1.25).abs() < 1e-12);
        assert_eq!(p.stay_out, 1.0);
        // A reward closes the gap exactly by its amount.
        let rewarded = resident_payoffs(3, 1, 1.0, 3.0, 1.0, 0.4);
        assert!((rewarded.free_ride - rewarded.contribute - 0.6).abs() < 1e-12);
        // Too few participants: everyone gets the loner payoff.
        let lone = resident_payoffs(1, 0, 1.0, 3.0, 1.0, 0.0);
        assert_eq!(lone.contribute, 1.0);
    }

    #[test]
    fn strategies_costs_and_individual_payoffs() {
        assert_eq!(initial_strategy(0.1, 0.5, 0.2), Strategy::Contribute);
        assert_eq!(initial_strategy(0.5, 0.5, 0.2), Strategy::FreeRide);
        assert_eq!(initial_strategy(0.7, 0.5, 0.2), Strategy::StayOut);
        for x in 0..Strategy::COUNT {
            assert_eq!(Strategy::from_u8(x) as u8, x);
        }
        assert_eq!(contribution_cost(2.0, 0.5, 0.5), 1.5);
        let pay = resident_payoffs(3, 1, 1.0, 3.0, 1.0, 0.0);
        assert!((pay.of(Strategy::Contribute, 0.5, 0.8) - 1.65).abs() < 1e-12);
        assert_eq!(pay.of(Strategy::FreeRide, 0.5, 0.8), pay.free_ride);
        assert_eq!(pay.of(Strategy::StayOut, 0.5, 0.8), 1.0);
        assert_eq!(ngo_payoff(true, 30.0, 20.0, 40.0, 0.5), 10.0);
        assert_eq!(ngo_payoff(false, 30.0, 20.0, 40.0, 0.5), 0.0);
        assert_eq!(payments(2.5, 4.0), 10.0);
    }

    #[test]
    fn fines_need_clear_liability() {
        let mut t = EnterpriseTerms {
            private_benefit: 20.0,
            subsidy: 10.0,
            fine: 500.0,
            inspection: 0.1,
            clarity: 0.0,
        };
        assert_eq!(enterprise_payoff(true, 60.0, &t), -30.0);
        // Unclear liability: the fine is never levied.
        assert_eq!(enterprise_payoff(false, 60.0, &t), 0.0);
        t.clarity = 1.0;
        assert_eq!(enterprise_payoff(false, 60.0, &t), -50.0);
        t.clarity = 0.5;
        assert_eq!(enterprise_payoff(false, 60.0, &t), -25.0);
    }
}
