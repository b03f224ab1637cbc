//! Phase 6 of the day: participation. Residents revise their strategy in their grid's
//! public-goods game, enterprises and NGOs theirs in the district, by imitation with
//! exploration; returns the incentives paid. Owns [`Organisations`], the enterprises'
//! and NGOs' state. The payoffs and the Fermi rule are `rules::public_goods`; this
//! file draws who revises and whom they imitate, and keeps the counts in step.
//!
//! Punishment (issue 11, item 2): each grid's punishment pool buys inspections, drawn
//! as events (how many: Poisson; whom: a resident of the grid at random), and the
//! authority inspects enterprises for their security duty (each with
//! `participation.inspection_probability` a day); a party found in breach is fined when
//! liability is clear. The day's inspections and fines are kept in [`Sanctioning`] for
//! the record. Residents learn the pool's deterrence from their grid's observed
//! inspection rate, enterprises from the fines they paid themselves.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use super::World;
use super::draw::{binomial, poisson};
use crate::model::co_governance::params::Participation;
use crate::model::co_governance::rules::observation::{self, RESIDENT_MEMORY};
use crate::model::co_governance::rules::public_goods::{self, Others, Strategy};

/// The day's inspections and fines (issue 11, item 2), for the record.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sanctioning {
    /// Inspections of residents paid for by the grids' punishment pools.
    pub(super) resident_inspections: u64,
    /// Inspections of enterprises by the authority.
    pub(super) enterprise_inspections: u64,
    /// Fines levied (residents and enterprises).
    pub(super) fines: u64,
    /// Fines levied, in yuan.
    pub(super) fines_yuan: f64,
    /// Paid into the punishment pools today, in yuan.
    pub(super) pool_fees: f64,
}

/// Community organisations of one kind (enterprises or NGOs), each either
/// contributing (engaged) or not, with its own cost multiplier and grid.
pub(super) struct Organisations {
    pub(super) grid: Vec<u32>,
    pub(super) cost: Vec<f64>,
    pub(super) on: Vec<bool>,
    /// Engaged organisations per grid, kept in step with `on`.
    pub(super) on_in_grid: Vec<u32>,
    /// Fines each paid of late: a day's mean over a memory of `RESIDENT_MEMORY`
    /// (issue 11: the enterprises' fines are events, learnt as they fall).
    pub(super) recent_fines: Vec<f64>,
}

impl Organisations {
    pub(super) fn new(grid: Vec<u32>, cost: Vec<f64>, on: Vec<bool>, grids: usize) -> Self {
        let mut on_in_grid = vec![0u32; grids];
        for (k, &engaged) in on.iter().enumerate() {
            on_in_grid[grid[k] as usize] += u32::from(engaged);
        }
        let recent_fines = vec![0.0; on.len()];
        Organisations {
            grid,
            cost,
            on,
            on_in_grid,
            recent_fines,
        }
    }

    fn engaged(&self) -> u32 {
        self.on_in_grid.iter().sum()
    }

    /// One day of strategy revision: a share `revision_rate` of organisations revise;
    /// each explores a random strategy with probability `exploration`, or else copies
    /// a random peer's with the Fermi probability on their payoffs
    /// `payoff(engaged, cost multiplier, grid, recent fines)`.
    fn revise(
        &mut self,
        rng: &mut Xoshiro256PlusPlus,
        q: &Participation,
        payoff: impl Fn(bool, f64, u32, f64) -> f64,
    ) {
        let n = self.on.len();
        let revisions = binomial(n as u64, q.revision_rate, rng);
        for _ in 0..revisions {
            let i = rng.random_range(0..n);
            let old = self.on[i];
            let new = if rng.random::<f64>() < q.exploration {
                rng.random::<bool>()
            } else {
                let j = rng.random_range(0..n);
                let mine = payoff(old, self.cost[i], self.grid[i], self.recent_fines[i]);
                let theirs = payoff(self.on[j], self.cost[j], self.grid[j], self.recent_fines[j]);
                if rng.random::<f64>() < public_goods::fermi(mine, theirs, q.organisation_noise) {
                    self.on[j]
                } else {
                    old
                }
            };
            if new != old {
                self.on[i] = new;
                let g = self.grid[i] as usize;
                if new {
                    self.on_in_grid[g] += 1;
                } else {
                    self.on_in_grid[g] -= 1;
                }
            }
        }
    }
}

impl World<'_> {
    /// The strategies residents can choose today: the plain three, and the punishing
    /// strategies the scenario allows.
    fn resident_strategies(q: &Participation) -> ([u8; Strategy::COUNT as usize], usize) {
        let mut list = [0u8; Strategy::COUNT as usize];
        let mut n = 0;
        for s in 0..Strategy::COUNT {
            let allowed = match Strategy::from_u8(s) {
                Strategy::PeerPunish => q.peer_punishment,
                Strategy::PoolPunish => q.pool_punishment,
                _ => true,
            };
            if allowed {
                list[n] = s;
                n += 1;
            }
        }
        (list, n)
    }

    /// Grid `k`'s residents by strategy, in `Strategy` order.
    fn strategy_counts(&self, k: usize) -> [u64; Strategy::COUNT as usize] {
        let contributing = self.contributors[k];
        let punishers = self.peer_punishers[k] + self.pool_punishers[k];
        let participants = contributing + self.free_riders[k];
        [
            contributing - punishers,
            self.free_riders[k],
            self.per_grid as u64 - participants,
            self.peer_punishers[k],
            self.pool_punishers[k],
        ]
    }

    /// Each grid's punishment pool buys inspections today: each inspects a resident
    /// of the grid drawn at random and fines one in breach where liability is clear;
    /// the grid's observed inspection rate learns from them.
    pub(super) fn pool_inspections(&mut self) {
        let p = self.p;
        let q = &p.participation;
        let clarity = p.liability.clarity;
        for k in 0..self.grids {
            let pool = self.pool_punishers[k] as f64;
            let expected = public_goods::pool_inspections(pool, q.pool_fee, q.inspection_cost);
            let inspections = poisson(expected, &mut self.rng);
            let base = k * self.per_grid;
            for _ in 0..inspections {
                let i = base + self.rng.random_range(0..self.per_grid);
                let s = Strategy::from_u8(self.strategy[i]);
                let violates = public_goods::violates_pool_rule(s, q.second_order_punishment);
                if public_goods::inspection_fines(violates, self.rng.random::<f64>(), clarity) {
                    self.sanctioning.fines += 1;
                    self.sanctioning.fines_yuan += q.pool_fine;
                }
            }
            self.sanctioning.resident_inspections += inspections;
            self.sanctioning.pool_fees += public_goods::payments(q.pool_fee, pool);
            self.inspection_rate[k] = observation::smooth(
                self.inspection_rate[k],
                inspections as f64 / self.per_grid as f64,
                RESIDENT_MEMORY,
            );
        }
    }

    /// The authority inspects enterprises for their security duty: each with
    /// `inspection_probability` today, drawn as events; a free rider found is fined
    /// where liability is clear. Every enterprise's memory of its fines moves on a day.
    pub(super) fn enterprise_inspections(&mut self) {
        let p = self.p;
        let q = &p.participation;
        let e = &mut self.enterprises;
        let n = e.on.len();
        for f in &mut e.recent_fines {
            *f = observation::smooth(*f, 0.0, RESIDENT_MEMORY);
        }
        if n == 0 {
            return;
        }
        let inspections = binomial(n as u64, q.inspection_probability, &mut self.rng);
        for _ in 0..inspections {
            let i = self.rng.random_range(0..n);
            let u = self.rng.random::<f64>();
            if public_goods::inspection_fines(!e.on[i], u, p.liability.clarity) {
                let fine = p.incentives.enterprise_fine;
                e.recent_fines[i] += RESIDENT_MEMORY * fine;
                self.sanctioning.fines += 1;
                self.sanctioning.fines_yuan += fine;
            }
        }
        self.sanctioning.enterprise_inspections += inspections;
    }

    /// Residents' strategy revisions, grid by grid; returns the rewards paid today.
    ///
    /// A revising resident meets a random peer of its grid and judges the peer's
    /// strategy by what it would be worth to itself (its own cost and warm glow,
    /// `public_goods::resident_value`), against its own strategy's worth, by the Fermi
    /// rule; the game's co-players are those expected in a group of
    /// `participation.group_size` drawn from the grid, and the pool's fine is the
    /// grid's observed inspection rate x the fine x clarity.
    pub(super) fn revise_residents(&mut self, access: f64) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let cost = public_goods::contribution_cost(
            q.contribution_cost,
            p.channels.participation_cost_gain,
            access,
        );
        let reward = p.incentives.contribution_reward;
        let (allowed, n_allowed) = Self::resident_strategies(q);
        let residents = self.per_grid as u64;
        let draws = q.group_size.saturating_sub(1);
        let mut paid = 0.0;
        for k in 0..self.grids {
            let counts = self.strategy_counts(k);
            let sanctions = public_goods::Sanctions {
                peer_fine: q.peer_fine,
                peer_cost: q.peer_cost,
                pool_fee: q.pool_fee,
                pool_fine: public_goods::expected_pool_fine(
                    self.inspection_rate[k],
                    q.pool_fine,
                    p.liability.clarity,
                ),
                second_order: q.second_order_punishment,
                free_rider_present: public_goods::free_rider_present(
                    counts[Strategy::FreeRide as usize],
                    draws,
                    residents,
                ),
            };
            let mut others = [Others::default(); Strategy::COUNT as usize];
            for (s, o) in others.iter_mut().enumerate() {
                *o = Others::expected(&counts, Strategy::from_u8(s as u8), q.group_size, residents);
            }
            let base = k * self.per_grid;
            let revisions = binomial(self.per_grid as u64, q.revision_rate, &mut self.rng);
            for _ in 0..revisions {
                let i = base + self.rng.random_range(0..self.per_grid);
                let old = self.strategy[i];
                let new = if self.rng.random::<f64>() < q.exploration {
                    allowed[self.rng.random_range(0..n_allowed)]
                } else {
                    let j = base + self.rng.random_range(0..self.per_grid);
                    let theirs = self.strategy[j];
                    if theirs == old {
                        old
                    } else {
                        let traits = public_goods::ResidentTraits {
                            cost_multiplier: f64::from(self.cost_multiplier[i]),
                            warm_glow: f64::from(self.warm_glow[i]),
                        };
                        let value = |s: u8| {
                            public_goods::resident_value(
                                Strategy::from_u8(s),
                                &others[s as usize],
                                cost,
                                q.multiplier,
                                q.loner_payoff,
                                reward,
                                &sanctions,
                                traits,
                                self.trust_community[i],
                            )
                        };
                        let (mine, peer) = (value(old), value(theirs));
                        if self.rng.random::<f64>()
                            < public_goods::fermi(mine, peer, q.imitation_noise)
                        {
                            theirs
                        } else {
                            old
                        }
                    }
                };
                if new != old {
                    self.strategy[i] = new;
                    self.count_strategy(k, old, -1);
                    self.count_strategy(k, new, 1);
                }
            }
            paid += public_goods::payments(reward, self.contributors[k] as f64);
        }
        paid
    }

    /// Adds `delta` (1 or -1) to grid `k`'s counts for strategy `s`.
    fn count_strategy(&mut self, k: usize, s: u8, delta: i64) {
        let add = |x: &mut u64| *x = x.wrapping_add_signed(delta);
        let s = Strategy::from_u8(s);
        if s.contributes() {
            add(&mut self.contributors[k]);
        }
        match s {
            Strategy::FreeRide => add(&mut self.free_riders[k]),
            Strategy::PeerPunish => add(&mut self.peer_punishers[k]),
            Strategy::PoolPunish => add(&mut self.pool_punishers[k]),
            Strategy::Contribute | Strategy::StayOut => {}
        }
    }

    /// Enterprises' and NGOs' revisions; returns subsidies and funding paid today.
    pub(super) fn revise_organisations(&mut self) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let inc = &p.incentives;
        let terms = public_goods::EnterpriseTerms {
            private_benefit: q.enterprise_private_benefit,
            subsidy: inc.enterprise_subsidy,
        };
        let enterprise_payoff = |on: bool, cost_mult: f64, _grid: u32, fines: f64| {
            public_goods::enterprise_payoff(on, q.enterprise_cost * cost_mult, &terms, fines)
        };
        self.enterprises.revise(&mut self.rng, q, enterprise_payoff);
        let process = &self.process;
        let ngo_payoff = |on: bool, cost_mult: f64, grid: u32, _fines: f64| {
            public_goods::ngo_payoff(
                on,
                q.ngo_cost * cost_mult,
                inc.ngo_funding,
                q.ngo_partnership_value,
                process[grid as usize].trust,
            )
        };
        self.ngos.revise(&mut self.rng, q, ngo_payoff);
        let enterprises_on = self.enterprises.engaged();
        let ngos_on = self.ngos.engaged();
        public_goods::payments(inc.enterprise_subsidy, f64::from(enterprises_on))
            + public_goods::payments(inc.ngo_funding, f64::from(ngos_on))
    }
}
