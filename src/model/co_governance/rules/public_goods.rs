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
//!
//! Punishment (issue 11, item 2; Sigmund, De Silva, Traulsen and Hauert 2010, Nature
//! 466:861-863; Fehr and Gachter 2000). Besides contributing (X), free riding (Y) and
//! staying out (Z), a resident can be a peer punisher (V), who contributes and pays
//! gamma to fine beta each free rider it meets, or a pool punisher (W), who contributes
//! and pays G into a punishment pool in advance; the pool pays for inspections that fine
//! the free riders found (only where liability is clear). With second-order punishment
//! (a switch), those who contribute to the good but not to the pool are punished as
//! well: plain contributors by the pool whenever inspected and by a peer punisher when
//! a free rider in the group exposes them, peer punishers by the pool (they pay into no
//! pool; only so do Sigmund et al.'s pool punishers beat peer punishers). [`participant_payoff`] is Sigmund et al.'s
//! payoff of a focal participant given its co-players; the city uses it with expected
//! co-players in a group of `participation.group_size` drawn from the grid, the
//! validation driver (examples/validate/punishment.rs) with counted ones.
//!
//! Heterogeneity (issue 11): each resident has its own cost multiplier and warm glow
//! (Andreoni 1990, Econ J 100:464-477), and judges a peer's strategy by what it would
//! earn itself ([`ResidentTraits`]), so participation responds to incentives gradually.

/// A resident's strategy in the participation game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Strategy {
    Contribute = 0,
    FreeRide = 1,
    StayOut = 2,
    /// Contributes, and fines each free rider met at a cost to itself (Sigmund's V).
    PeerPunish = 3,
    /// Contributes, and pays into the punishment pool in advance (Sigmund's W).
    PoolPunish = 4,
}

impl Strategy {
    /// Number of strategies; `from_u8` of a uniform draw below it is a random strategy.
    pub const COUNT: u8 = 5;
    /// The strategies without punishment (the game before issue 11).
    pub const PLAIN: u8 = 3;

    #[inline]
    pub fn from_u8(x: u8) -> Strategy {
        match x {
            0 => Strategy::Contribute,
            1 => Strategy::FreeRide,
            2 => Strategy::StayOut,
            3 => Strategy::PeerPunish,
            _ => Strategy::PoolPunish,
        }
    }

    /// Whether this strategy contributes to the public good (X, V and W).
    #[inline]
    pub fn contributes(self) -> bool {
        matches!(
            self,
            Strategy::Contribute | Strategy::PeerPunish | Strategy::PoolPunish
        )
    }
}

/// Co-players of a focal participant in one game, by strategy (participants only:
/// loners do not play). Counted in a sampled group, or expected in a grid.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Others {
    pub contribute: f64,
    pub free_ride: f64,
    pub peer: f64,
    pub pool: f64,
}

impl Others {
    /// Co-players who contribute to the good.
    #[inline]
    pub fn contributing(&self) -> f64 {
        self.contribute + self.peer + self.pool
    }

    /// All co-players who take part.
    #[inline]
    pub fn participants(&self) -> f64 {
        self.contributing() + self.free_ride
    }

    /// The expected co-players of a resident among `group - 1` drawn at random from
    /// the other `residents - 1` of its grid, whose counts by strategy are given: each
    /// count x (1 less for the focal's own strategy) scaled by (group - 1)/(residents - 1).
    pub fn expected(counts: &[u64; 5], focal: Strategy, group: u32, residents: u64) -> Others {
        let scale = if residents > 1 {
            f64::from(group.saturating_sub(1)) / (residents - 1) as f64
        } else {
            0.0
        };
        let n = |s: Strategy| {
            let c = counts[s as usize] as f64 - f64::from(u8::from(s == focal));
            c.max(0.0) * scale
        };
        Others {
            contribute: n(Strategy::Contribute),
            free_ride: n(Strategy::FreeRide),
            peer: n(Strategy::PeerPunish),
            pool: n(Strategy::PoolPunish),
        }
    }
}

/// The sanctions in force in one game.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sanctions {
    /// beta: fine a peer punisher imposes on each target it meets.
    pub peer_fine: f64,
    /// gamma: what imposing one peer fine costs the punisher.
    pub peer_cost: f64,
    /// G: what a pool punisher pays into the pool in advance.
    pub pool_fee: f64,
    /// The fine the pool imposes on a target (Sigmund: B x the pool punishers among
    /// the co-players; the city: the grid's inspection rate x fine x clarity).
    pub pool_fine: f64,
    /// Second-order punishment: contributors who pay for no sanction are fined too.
    pub second_order: bool,
    /// Chance that a free rider is among the co-players, which exposes plain
    /// contributors to peer punishers (1 or 0 in a counted group).
    pub free_rider_present: f64,
}

impl Sanctions {
    /// No sanction at all: the optional public-goods game of Hauert et al. 2002.
    pub const NONE: Sanctions = Sanctions {
        peer_fine: 0.0,
        peer_cost: 0.0,
        pool_fee: 0.0,
        pool_fine: 0.0,
        second_order: false,
        free_rider_present: 0.0,
    };
}

/// Chance that at least one of `draws` co-players drawn from `residents - 1` others is
/// one of `free_riders` (draws with replacement, a close approximation for a grid).
#[inline]
pub fn free_rider_present(free_riders: u64, draws: u32, residents: u64) -> f64 {
    if residents < 2 {
        return 0.0;
    }
    let q = (free_riders as f64 / (residents - 1) as f64).min(1.0);
    1.0 - (1.0 - q).powi(draws as i32)
}

/// Sigmund et al. 2010's payoff of a focal participant playing `s` (not a loner) with
/// co-players `others`: the share r c n_contributing / S of the good among the S
/// participants (the focal included), less its contribution c, less the sanctions. A
/// free rider pays beta per peer punisher and the pool's fine; a peer punisher pays
/// gamma per free rider; a pool punisher pays G; with second-order punishment a plain
/// contributor pays the pool's fine and, when a free rider exposes it, beta per peer
/// punisher, whom each such fine costs gamma, and a peer punisher pays the pool's
/// fine. With no co-player the game does not take
/// place and the focal gets the loner payoff `loner`.
pub fn participant_payoff(
    s: Strategy,
    others: &Others,
    cost: f64,
    multiplier: f64,
    loner: f64,
    k: &Sanctions,
) -> f64 {
    let participants = 1.0 + others.participants();
    if others.participants() <= 0.0 {
        return loner;
    }
    let contributing = others.contributing() + f64::from(u8::from(s.contributes()));
    let share = multiplier * cost * contributing / participants;
    let exposed = if k.second_order {
        k.free_rider_present
    } else {
        0.0
    };
    match s {
        Strategy::FreeRide => share - k.peer_fine * others.peer - k.pool_fine,
        Strategy::Contribute => {
            let second = if k.second_order {
                k.pool_fine + exposed * k.peer_fine * others.peer
            } else {
                0.0
            };
            share - cost - second
        }
        Strategy::PeerPunish => {
            let pool = if k.second_order { k.pool_fine } else { 0.0 };
            share - cost - k.peer_cost * (others.free_ride + exposed * others.contribute) - pool
        }
        Strategy::PoolPunish => share - cost - k.pool_fee,
        Strategy::StayOut => loner,
    }
}

/// A resident's own, persisting terms of the game: a multiplier of the contribution
/// cost and a warm glow of giving (Andreoni 1990, Econ J 100:464-477), a value per day
/// of contributing that scales with its trust in community organisations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidentTraits {
    pub cost_multiplier: f64,
    pub warm_glow: f64,
}

/// What strategy `s` is worth to one resident: the game's payoff, in which every
/// contribution adds `cost` to the good but costs this resident `cost` x its own
/// multiplier, plus for a contributing strategy the reward and its warm glow x its
/// trust in community organisations.
#[allow(clippy::too_many_arguments)]
pub fn resident_value(
    s: Strategy,
    others: &Others,
    cost: f64,
    multiplier: f64,
    loner: f64,
    reward: f64,
    sanctions: &Sanctions,
    traits: ResidentTraits,
    trust_community: f64,
) -> f64 {
    let pay = participant_payoff(s, others, cost, multiplier, loner, sanctions);
    if s.contributes() {
        let extra_cost = cost * (traits.cost_multiplier - 1.0);
        pay - extra_cost + reward + traits.warm_glow * trust_community
    } else {
        pay
    }
}

/// The expected pool fine on a target in a grid: inspections per resident a day x the
/// fine x the chance that liability is clear enough to levy it.
#[inline]
pub fn expected_pool_fine(inspection_rate: f64, fine: f64, clarity: f64) -> f64 {
    inspection_rate * fine * clarity
}

/// Inspections a punishment pool pays for in a day: the pool's fees over the cost of
/// one inspection (0 when inspections cost nothing to pay for, none being possible).
#[inline]
pub fn pool_inspections(pool_punishers: f64, fee: f64, inspection_cost: f64) -> f64 {
    if inspection_cost > 0.0 {
        pool_punishers * fee / inspection_cost
    } else {
        0.0
    }
}

/// Whether an inspected party is fined: it broke its duty (a free rider, or under
/// second-order punishment a plain contributor) and liability is clear (`u` < clarity).
#[inline]
pub fn inspection_fines(violates: bool, u: f64, clarity: f64) -> bool {
    violates && u < clarity
}

/// Whether an inspected resident playing `s` violates the pool's rule: free riding, or
/// with second-order punishment taking part without paying into the pool (a plain
/// contributor or a peer punisher).
#[inline]
pub fn violates_pool_rule(s: Strategy, second_order: bool) -> bool {
    match s {
        Strategy::FreeRide => true,
        Strategy::Contribute | Strategy::PeerPunish => second_order,
        Strategy::PoolPunish | Strategy::StayOut => false,
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

/// The terms of an enterprise's daily payoff. The safety every enterprise enjoys
/// whether or not it contributes is common to both strategies and left out.
#[derive(Debug, Clone, Copy)]
pub struct EnterpriseTerms {
    /// Value of its own premises being guarded, which only a contributor gets.
    pub private_benefit: f64,
    pub subsidy: f64,
}

/// An enterprise's daily payoff: contributing costs `cost` and earns the private
/// benefit and the subsidy; free riding costs nothing. Both carry the fines it has
/// actually paid of late (`recent_fines`, a day's mean over its memory): since issue 11
/// a free rider learns the fine from inspections drawn as events, not from an
/// expected cost.
pub fn enterprise_payoff(
    contributes: bool,
    cost: f64,
    t: &EnterpriseTerms,
    recent_fines: f64,
) -> f64 {
    let base = if contributes {
        -cost + t.private_benefit + t.subsidy
    } else {
        0.0
    };
    base - recent_fines
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

    fn group(contribute: f64, free_ride: f64, peer: f64, pool: f64) -> Others {
        Others {
            contribute,
            free_ride,
            peer,
            pool,
        }
    }

    #[test]
    fn public_goods_payoffs_follow_hauert() {
        // Focal free rider with 3 contributing co-players, c = 1, r = 3: S = 4,
        // share = 3 x 3 / 4 = 2.25; a focal contributor among 2 contributors and 1 free
        // rider: share = 3 x 3 / 4 = 2.25, less c = 1.25.
        let none = Sanctions::NONE;
        let y = participant_payoff(
            Strategy::FreeRide,
            &group(3.0, 0.0, 0.0, 0.0),
            1.0,
            3.0,
            1.0,
            &none,
        );
        assert!((y - 2.25).abs() < 1e-12);
        let x = participant_payoff(
            Strategy::Contribute,
            &group(2.0, 1.0, 0.0, 0.0),
            1.0,
            3.0,
            1.0,
            &none,
        );
        assert!((x - 1.25).abs() < 1e-12);
        // A loner gets sigma; so does a participant without co-players.
        assert_eq!(
            participant_payoff(
                Strategy::StayOut,
                &group(3.0, 1.0, 0.0, 0.0),
                1.0,
                3.0,
                1.0,
                &none
            ),
            1.0
        );
        assert_eq!(
            participant_payoff(
                Strategy::Contribute,
                &Others::default(),
                1.0,
                3.0,
                1.0,
                &none
            ),
            1.0
        );
    }

    #[test]
    fn sanctions_follow_sigmund_et_al_2010() {
        // Group of 5: focal and co-players 1 X, 1 Y, 1 V, 1 W. c = 1, r = 3, beta =
        // gamma = B = G = 0.7; the pool's fine on a target is B x N_W = 0.7.
        let o = group(1.0, 1.0, 1.0, 1.0);
        let k = Sanctions {
            peer_fine: 0.7,
            peer_cost: 0.7,
            pool_fee: 0.7,
            pool_fine: 0.7,
            second_order: false,
            free_rider_present: 1.0,
        };
        let pay = |s, k: &Sanctions| participant_payoff(s, &o, 1.0, 3.0, 1.0, k);
        // Contributing focal: 4 contributors of 5, share 2.4.
        assert!((pay(Strategy::Contribute, &k) - 1.4).abs() < 1e-12);
        // Free rider: 3 contributors of 5, share 1.8, fined 0.7 by the V and 0.7 by the pool.
        assert!((pay(Strategy::FreeRide, &k) - 0.4).abs() < 1e-12);
        // Peer punisher fines the one free rider at 0.7.
        assert!((pay(Strategy::PeerPunish, &k) - 0.7).abs() < 1e-12);
        // Pool punisher pays G.
        assert!((pay(Strategy::PoolPunish, &k) - 0.7).abs() < 1e-12);
        // Second order: the plain contributor pays the pool's fine and the V's beta
        // (a free rider exposes it); the V pays gamma for it too.
        let so = Sanctions {
            second_order: true,
            ..k
        };
        assert!((pay(Strategy::Contribute, &so) - 0.0).abs() < 1e-12);
        // The V pays gamma for the X, and the pool's fine as one who pays no pool.
        assert!((pay(Strategy::PeerPunish, &so) - (-0.7)).abs() < 1e-12);
        assert!((pay(Strategy::PoolPunish, &so) - 0.7).abs() < 1e-12);
        // Without a free rider to expose it, a contributor escapes peer punishers but
        // not the pool: the asymmetry behind Sigmund et al.'s result.
        let hidden = Sanctions {
            free_rider_present: 0.0,
            ..so
        };
        assert!((pay(Strategy::Contribute, &hidden) - 0.7).abs() < 1e-12);
        assert!(violates_pool_rule(Strategy::Contribute, true));
        assert!(!violates_pool_rule(Strategy::Contribute, false));
        assert!(violates_pool_rule(Strategy::FreeRide, false));
        assert!(!violates_pool_rule(Strategy::PoolPunish, true));
        assert!(violates_pool_rule(Strategy::PeerPunish, true));
        assert!(!violates_pool_rule(Strategy::PeerPunish, false));
    }

    #[test]
    fn expected_co_players_and_exposure() {
        // Grid of 101: 40 X, 20 Y, 21 Z, 10 V, 10 W; a focal V meets 4 of the other 100.
        let counts = [40, 20, 21, 10, 10];
        let o = Others::expected(&counts, Strategy::PeerPunish, 5, 101);
        assert!((o.contribute - 1.6).abs() < 1e-12);
        assert!((o.free_ride - 0.8).abs() < 1e-12);
        assert!((o.peer - 0.36).abs() < 1e-12);
        assert!((o.pool - 0.4).abs() < 1e-12);
        // P(at least one of 4 draws is among 20 of 100) = 1 - 0.8^4.
        assert!((free_rider_present(20, 4, 101) - (1.0 - 0.8f64.powi(4))).abs() < 1e-12);
        assert_eq!(free_rider_present(0, 4, 101), 0.0);
        assert_eq!(free_rider_present(5, 4, 1), 0.0);
        // A pool of 10 punishers paying 0.2 buys 10 x 0.2 / 60 inspections a day.
        assert!((pool_inspections(10.0, 0.2, 60.0) - 1.0 / 30.0).abs() < 1e-12);
        assert_eq!(pool_inspections(10.0, 0.2, 0.0), 0.0);
        assert!((expected_pool_fine(0.001, 200.0, 0.3) - 0.06).abs() < 1e-12);
        assert!(inspection_fines(true, 0.2, 0.3));
        assert!(!inspection_fines(true, 0.4, 0.3));
        assert!(!inspection_fines(false, 0.0, 1.0));
    }

    #[test]
    fn residents_value_strategies_with_their_own_cost_and_warm_glow() {
        let o = group(2.0, 1.0, 0.0, 0.0);
        let cheap = ResidentTraits {
            cost_multiplier: 0.5,
            warm_glow: 1.0,
        };
        let none = Sanctions::NONE;
        // The good: 3 contributions of 1 among 4, share 3 x 3 / 4 = 2.25; own cost
        // 0.5; plus reward 0.2 and warm glow 1.0 x trust 0.8.
        let v = resident_value(
            Strategy::Contribute,
            &o,
            1.0,
            3.0,
            1.0,
            0.2,
            &none,
            cheap,
            0.8,
        );
        assert!((v - (2.25 - 0.5 + 0.2 + 0.8)).abs() < 1e-12);
        // A free rider earns the share of 2 contributions, no reward and no warm glow.
        let f = resident_value(
            Strategy::FreeRide,
            &o,
            1.0,
            3.0,
            1.0,
            0.2,
            &none,
            cheap,
            0.8,
        );
        assert!((f - 3.0 * 2.0 / 4.0).abs() < 1e-12);
        // The more costly the resident, the less contributing is worth to it.
        let dear = ResidentTraits {
            cost_multiplier: 2.0,
            ..cheap
        };
        let w = resident_value(
            Strategy::Contribute,
            &o,
            1.0,
            3.0,
            1.0,
            0.2,
            &none,
            dear,
            0.8,
        );
        assert!(
            w - resident_value(Strategy::FreeRide, &o, 1.0, 3.0, 1.0, 0.2, &none, dear, 0.8)
                < v - f
        );
    }

    #[test]
    fn strategies_costs_and_individual_payoffs() {
        assert_eq!(initial_strategy(0.1, 0.5, 0.2), Strategy::Contribute);
        assert_eq!(initial_strategy(0.5, 0.5, 0.2), Strategy::FreeRide);
        assert_eq!(initial_strategy(0.7, 0.5, 0.2), Strategy::StayOut);
        for x in 0..Strategy::COUNT {
            assert_eq!(Strategy::from_u8(x) as u8, x);
        }
        assert!(Strategy::PeerPunish.contributes() && Strategy::PoolPunish.contributes());
        assert!(!Strategy::FreeRide.contributes() && !Strategy::StayOut.contributes());
        assert_eq!(contribution_cost(2.0, 0.5, 0.5), 1.5);
        assert_eq!(ngo_payoff(true, 30.0, 20.0, 40.0, 0.5), 10.0);
        assert_eq!(ngo_payoff(false, 30.0, 20.0, 40.0, 0.5), 0.0);
        assert_eq!(payments(2.5, 4.0), 10.0);
    }

    #[test]
    fn enterprises_learn_fines_from_what_they_paid() {
        let t = EnterpriseTerms {
            private_benefit: 20.0,
            subsidy: 10.0,
        };
        assert_eq!(enterprise_payoff(true, 60.0, &t, 0.0), -30.0);
        // A free rider never fined pays nothing; one fined of late carries it.
        assert_eq!(enterprise_payoff(false, 60.0, &t, 0.0), 0.0);
        assert_eq!(enterprise_payoff(false, 60.0, &t, 16.5), -16.5);
    }
}
