//! Phase 6 of the day: participation. Residents revise their strategy in their grid's
//! public-goods game, enterprises and NGOs theirs in the district, by imitation with
//! exploration; returns the incentives paid. Owns [`Organisations`], the enterprises'
//! and NGOs' state. The payoffs and the Fermi rule are `rules::public_goods`; this
//! file draws who revises and whom they imitate, and keeps the counts in step.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use super::World;
use super::draw::binomial;
use crate::model::co_governance::params::Participation;
use crate::model::co_governance::rules::public_goods::{self, Strategy};

/// Community organisations of one kind (enterprises or NGOs), each either
/// contributing (engaged) or not, with its own cost multiplier and grid.
pub(super) struct Organisations {
    pub(super) grid: Vec<u32>,
    pub(super) cost: Vec<f64>,
    pub(super) on: Vec<bool>,
    /// Engaged organisations per grid, kept in step with `on`.
    pub(super) on_in_grid: Vec<u32>,
}

impl Organisations {
    pub(super) fn new(grid: Vec<u32>, cost: Vec<f64>, on: Vec<bool>, grids: usize) -> Self {
        let mut on_in_grid = vec![0u32; grids];
        for (k, &engaged) in on.iter().enumerate() {
            on_in_grid[grid[k] as usize] += u32::from(engaged);
        }
        Organisations {
            grid,
            cost,
            on,
            on_in_grid,
        }
    }

    fn engaged(&self) -> u32 {
        self.on_in_grid.iter().sum()
    }

    /// One day of strategy revision: a share `revision_rate` of organisations revise;
    /// each explores a random strategy with probability `exploration`, or else copies
    /// a random peer's with the Fermi probability on their payoffs
    /// `payoff(engaged, cost multiplier, grid)`.
    fn revise(
        &mut self,
        rng: &mut Xoshiro256PlusPlus,
        q: &Participation,
        payoff: impl Fn(bool, f64, u32) -> f64,
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
                let mine = payoff(old, self.cost[i], self.grid[i]);
                let theirs = payoff(self.on[j], self.cost[j], self.grid[j]);
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
    /// Residents' strategy revisions, grid by grid; returns the rewards paid today.
    pub(super) fn revise_residents(&mut self, access: f64) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let cost = public_goods::contribution_cost(
            q.contribution_cost,
            p.channels.participation_cost_gain,
            access,
        );
        let reward = p.incentives.contribution_reward;
        let awareness = p.residents.cooperation_awareness;
        let mut paid = 0.0;
        for k in 0..self.grids {
            let pay = public_goods::resident_payoffs(
                self.contributors[k],
                self.free_riders[k],
                cost,
                q.multiplier,
                q.loner_payoff,
                reward,
            );
            let base = k * self.per_grid;
            let payoff = |s: u8, tc: f64| pay.of(Strategy::from_u8(s), awareness, tc);
            let revisions = binomial(self.per_grid as u64, q.revision_rate, &mut self.rng);
            for _ in 0..revisions {
                let i = base + self.rng.random_range(0..self.per_grid);
                let old = self.strategy[i];
                let new = if self.rng.random::<f64>() < q.exploration {
                    self.rng.random_range(0..Strategy::COUNT)
                } else {
                    let j = base + self.rng.random_range(0..self.per_grid);
                    let mine = payoff(old, self.trust_community[i]);
                    let theirs = payoff(self.strategy[j], self.trust_community[j]);
                    if self.rng.random::<f64>()
                        < public_goods::fermi(mine, theirs, q.imitation_noise)
                    {
                        self.strategy[j]
                    } else {
                        old
                    }
                };
                if new != old {
                    self.strategy[i] = new;
                    match Strategy::from_u8(old) {
                        Strategy::Contribute => self.contributors[k] -= 1,
                        Strategy::FreeRide => self.free_riders[k] -= 1,
                        Strategy::StayOut => {}
                    }
                    match Strategy::from_u8(new) {
                        Strategy::Contribute => self.contributors[k] += 1,
                        Strategy::FreeRide => self.free_riders[k] += 1,
                        Strategy::StayOut => {}
                    }
                }
            }
            paid += public_goods::payments(reward, self.contributors[k] as f64);
        }
        paid
    }

    /// Enterprises' and NGOs' revisions; returns subsidies and funding paid today.
    pub(super) fn revise_organisations(&mut self) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let inc = &p.incentives;
        let terms = public_goods::EnterpriseTerms {
            private_benefit: q.enterprise_private_benefit,
            subsidy: inc.enterprise_subsidy,
            fine: inc.enterprise_fine,
            inspection: q.inspection_probability,
            clarity: p.liability.clarity,
        };
        let enterprise_payoff = |on: bool, cost_mult: f64, _grid: u32| {
            public_goods::enterprise_payoff(on, q.enterprise_cost * cost_mult, &terms)
        };
        self.enterprises.revise(&mut self.rng, q, enterprise_payoff);
        let process = &self.process;
        let ngo_payoff = |on: bool, cost_mult: f64, grid: u32| {
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
