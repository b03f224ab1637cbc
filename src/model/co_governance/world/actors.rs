//! Responsibility actors as agents (docs/model.md, "Responsibility actors"): the
//! grid workers, the NGOs, the enterprises' security staff and the grids' police
//! posts, each with its own grid, motivation, authority, hours left today and success
//! record ([`Responders`]); and who is present at a call in a grid ([`World::gather_present`]):
//! those agents of the grid with time left (an NGO if engaged, an enterprise's staff if
//! it contributes, the post if the police have response capacity today), volunteers on
//! patrol drawn from the grid's contributing residents, and witnesses drawn from the
//! grid's residents. A resident's motivation is its trust in community organisations.
//! The decisions and their formulas are `rules::liability` and `rules::rights`; the call
//! itself is `community_calls.rs`. Everything here is allocated in `setup.rs`; a call
//! costs time in the number of agents in its grid.

use std::ops::Range;

use rand::RngExt;

use super::World;
use super::draw::poisson;
use crate::model::co_governance::rules::liability::{self, Actor};
use crate::model::co_governance::rules::public_goods::Strategy;
use crate::model::co_governance::rules::{guardianship, rights};

/// Tries to find a contributing resident of a grid for each volunteer on patrol before
/// giving up on that volunteer (contributors are about half the residents).
const VOLUNTEER_TRIES: u32 = 32;

/// Agents of one kind (grid workers, NGOs, enterprises' security staff, police
/// posts), grouped by grid: the agents of grid k are `in_grid(k)`.
pub(super) struct Responders {
    pub(super) grid: Vec<u32>,
    /// Agents of grid k are `start[k]..start[k + 1]`.
    start: Vec<u32>,
    pub(super) motivation: Vec<f64>,
    /// Share of the agent's responsibilities that come with the authority to act.
    pub(super) authority: Vec<f64>,
    /// Hours left today for calls.
    pub(super) hours_left: Vec<f64>,
    /// Calls acted on and calls that succeeded, since the start of the run.
    pub(super) attempts: Vec<u32>,
    pub(super) successes: Vec<u32>,
}

impl Responders {
    /// Agents in the given grids (`grid` must be sorted), all starting at the same
    /// motivation and authority.
    pub(super) fn new(grid: Vec<u32>, grids: usize, motivation: f64, authority: f64) -> Self {
        let n = grid.len();
        let mut start = vec![0u32; grids + 1];
        for &g in &grid {
            start[g as usize + 1] += 1;
        }
        for k in 0..grids {
            start[k + 1] += start[k];
        }
        debug_assert!(
            grid.windows(2).all(|w| w[0] <= w[1]),
            "agents sorted by grid"
        );
        Responders {
            grid,
            start,
            motivation: vec![motivation; n],
            authority: vec![authority; n],
            hours_left: vec![0.0; n],
            attempts: vec![0; n],
            successes: vec![0; n],
        }
    }

    pub(super) fn len(&self) -> usize {
        self.grid.len()
    }

    pub(super) fn in_grid(&self, k: usize) -> Range<usize> {
        self.start[k] as usize..self.start[k + 1] as usize
    }

    /// The most agents any one grid holds.
    pub(super) fn most_in_a_grid(&self) -> usize {
        self.start
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(0)
    }

    fn new_day(&mut self, hours: f64) {
        self.hours_left.fill(hours);
    }

    fn learn(&mut self, i: usize, succeeded: bool, rate: f64) {
        self.motivation[i] = rights::update_motivation(self.motivation[i], succeeded, rate);
        self.attempts[i] += 1;
        self.successes[i] += u32::from(succeeded);
    }
}

/// One actor present at a call: its kind, its index (in its `Responders`, or the
/// resident's index for volunteers and witnesses) and whether it acted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Present {
    pub(super) kind: Actor,
    pub(super) index: u32,
    pub(super) acted: bool,
}

impl World<'_> {
    /// The start of a day's calls: every agent's hours for calls are renewed.
    pub(super) fn responders_new_day(&mut self) {
        let c = &self.p.community;
        self.grid_workers.new_day(c.grid_worker_hours);
        self.ngo_actors.new_day(c.ngo_call_hours);
        let guards = if c.security_staff_per_enterprise > 0.0 {
            c.security_call_hours
        } else {
            0.0
        };
        self.security.new_day(guards);
        // A post's work is a call on the police's units (`units.rs`), which queue it;
        // the post itself has no hours to run out of.
        self.posts.new_day(f64::INFINITY);
    }

    /// Fills `self.present` with the actors present at a call in grid `k` whose work
    /// takes `hours` (for actors other than the police): the grid's agents with that
    /// much time left, the police post when `police_available`, volunteers on patrol
    /// and witnesses.
    pub(super) fn gather_present(&mut self, k: usize, police_available: bool, hours: f64) {
        let p = self.p;
        self.present.clear();
        let push = |present: &mut Vec<Present>, kind, index: usize| {
            present.push(Present {
                kind,
                index: index as u32,
                acted: false,
            });
        };
        for i in self.grid_workers.in_grid(k) {
            if self.grid_workers.hours_left[i] >= hours {
                push(&mut self.present, Actor::GridWorker, i);
            }
        }
        for i in self.ngo_actors.in_grid(k) {
            if self.ngos.on[i] && self.ngo_actors.hours_left[i] >= hours {
                push(&mut self.present, Actor::Ngo, i);
            }
        }
        for i in self.security.in_grid(k) {
            if self.enterprises.on[i] && self.security.hours_left[i] >= hours {
                push(&mut self.present, Actor::Enterprise, i);
            }
        }
        if police_available {
            push(&mut self.present, Actor::Police, k);
        }
        let base = k * self.per_grid;
        let c = &p.community;
        let patrolling = guardianship::volunteers_present(
            self.contributors[k],
            c.volunteer_share,
            c.volunteer_hours,
        );
        let volunteers = poisson(patrolling, &mut self.rng).min(self.contributors[k]);
        for _ in 0..volunteers {
            for _ in 0..VOLUNTEER_TRIES {
                let i = base + self.rng.random_range(0..self.per_grid);
                if Strategy::from_u8(self.strategy[i]).contributes() {
                    push(&mut self.present, Actor::Volunteer, i);
                    break;
                }
            }
        }
        let expected = liability::expected_witnesses(c.witnesses_per_1000, self.per_grid as f64);
        let witnesses = poisson(expected, &mut self.rng).min(self.per_grid as u64);
        for _ in 0..witnesses {
            let i = base + self.rng.random_range(0..self.per_grid);
            push(&mut self.present, Actor::Witness, i);
        }
    }

    /// The actor named responsible for a call in grid `k` whose work takes `hours`: the
    /// grid's first grid worker with that much time left, else the police post when
    /// `police_available`, else nobody.
    pub(super) fn named_present(
        &self,
        k: usize,
        police_available: bool,
        hours: f64,
    ) -> Option<Present> {
        let worker = self
            .grid_workers
            .in_grid(k)
            .find(|&i| self.grid_workers.hours_left[i] >= hours);
        let (kind, index) = match worker {
            Some(i) => (Actor::GridWorker, i),
            None if police_available => (Actor::Police, k),
            None => return None,
        };
        Some(Present {
            kind,
            index: index as u32,
            acted: false,
        })
    }

    /// The agents of `kind` (residents have none).
    fn responders(&self, kind: Actor) -> Option<&Responders> {
        match kind {
            Actor::GridWorker => Some(&self.grid_workers),
            Actor::Ngo => Some(&self.ngo_actors),
            Actor::Enterprise => Some(&self.security),
            Actor::Police => Some(&self.posts),
            Actor::Volunteer | Actor::Witness => None,
        }
    }

    fn responders_mut(&mut self, kind: Actor) -> Option<&mut Responders> {
        match kind {
            Actor::GridWorker => Some(&mut self.grid_workers),
            Actor::Ngo => Some(&mut self.ngo_actors),
            Actor::Enterprise => Some(&mut self.security),
            Actor::Police => Some(&mut self.posts),
            Actor::Volunteer | Actor::Witness => None,
        }
    }

    /// An actor's own motivation: its agent's, or a resident's trust in community
    /// organisations.
    pub(super) fn motivation_of(&self, a: Present) -> f64 {
        let i = a.index as usize;
        match a.kind {
            Actor::Volunteer | Actor::Witness => self.trust_community[i],
            kind => self.responders(kind).map_or(0.0, |r| r.motivation[i]),
        }
    }

    /// An actor's authority: its agent's; a resident acts with the authority the
    /// arrangement gives the community's actors (`rights.authority_match`).
    pub(super) fn authority_of(&self, a: Present) -> f64 {
        let matched = self.p.rights.authority_match;
        let i = a.index as usize;
        self.responders(a.kind).map_or(matched, |r| r.authority[i])
    }

    /// An actor's cost-benefit ratio at full motivation: lay bystanders' for residents,
    /// the institutional actors' otherwise.
    pub(super) fn cost_benefit_of(&self, kind: Actor) -> f64 {
        let l = &self.p.liability;
        if kind.is_resident() {
            l.bystander_cost_benefit_ratio
        } else {
            l.cost_benefit_ratio
        }
    }

    /// The actor who does the work spends `hours` of its day (the police's hours are
    /// booked on the day's response capacity by the caller).
    pub(super) fn spend(&mut self, a: Present, hours: f64) {
        if a.kind == Actor::Police {
            return;
        }
        if let Some(r) = self.responders_mut(a.kind) {
            r.hours_left[a.index as usize] -= hours;
        }
    }

    /// After a call's outcome is known: every actor present who acted learns from it,
    /// alone (motivation, success record); a resident's trust in community
    /// organisations is its motivation.
    pub(super) fn settle_call(&mut self, succeeded: bool) {
        let rate = self.p.rights.motivation_rate;
        for j in 0..self.present.len() {
            let a = self.present[j];
            if !a.acted {
                continue;
            }
            let i = a.index as usize;
            match self.responders_mut(a.kind) {
                Some(r) => r.learn(i, succeeded, rate),
                None => {
                    self.trust_community[i] =
                        rights::update_motivation(self.trust_community[i], succeeded, rate);
                }
            }
        }
    }

    /// Mean motivation over every grid worker, NGO, enterprise's security staff and
    /// police post (there is a post in every grid, so never empty).
    pub(super) fn mean_actor_motivation(&self) -> f64 {
        let mut sum = 0.0;
        let mut n = 0usize;
        for r in [
            &self.grid_workers,
            &self.ngo_actors,
            &self.security,
            &self.posts,
        ] {
            sum += r.motivation.iter().sum::<f64>();
            n += r.len();
        }
        sum / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    /// A 3 x 3 district where every organisation is engaged: 2 grid workers, 1 NGO
    /// and 2 enterprises per grid, no volunteer, no witness.
    fn params() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.district.households_per_grid = 50;
        p.residents.initial_participation = 1.0;
        p.residents.initial_free_riders = 0.0;
        p.community.grid_workers_per_grid = 2.0;
        p.community.ngos_per_grid = 1.0;
        p.community.enterprises_per_grid = 2.0;
        p.community.volunteer_share = 0.0;
        p.community.witnesses_per_1000 = 0.0;
        p
    }

    fn kinds(w: &World<'_>) -> Vec<Actor> {
        w.present.iter().map(|a| a.kind).collect()
    }

    #[test]
    fn the_agents_of_the_grid_with_time_left_are_present() {
        let p = params();
        let mut w = World::new(&p, 1);
        w.responders_new_day();
        w.gather_present(3, true, 2.0);
        use Actor::*;
        assert_eq!(
            kinds(&w),
            [GridWorker, GridWorker, Ngo, Enterprise, Enterprise, Police]
        );
        // Every agent present is one of grid 3's.
        for a in &w.present {
            let i = a.index as usize;
            let grid = match a.kind {
                GridWorker => w.grid_workers.grid[i],
                Ngo => w.ngo_actors.grid[i],
                Enterprise => w.security.grid[i],
                _ => i as u32,
            };
            assert_eq!(grid, 3);
        }
        // A grid worker who spent its day is not present; guards with 2 hours a day
        // cannot take a 3-hour call; without police hours there is no post.
        let first = w.present[0];
        w.spend(first, p.community.grid_worker_hours);
        w.gather_present(3, false, 3.0);
        assert_eq!(kinds(&w), [GridWorker, Ngo]);
        // The named actor is the first grid worker with time left, else the post.
        assert_eq!(
            w.named_present(3, true, 3.0).unwrap().index,
            first.index + 1
        );
        let second = w.named_present(3, true, 3.0).unwrap();
        w.spend(second, p.community.grid_worker_hours);
        assert_eq!(w.named_present(3, true, 3.0).unwrap().kind, Police);
        assert_eq!(w.named_present(3, false, 3.0), None);
        // A new day renews everyone's hours.
        w.responders_new_day();
        w.gather_present(3, true, 2.0);
        assert_eq!(w.present.len(), 6);
    }

    #[test]
    fn only_the_actors_who_acted_learn_each_for_itself() {
        let p = params();
        let mut w = World::new(&p, 2);
        w.responders_new_day();
        w.gather_present(0, true, 1.0);
        let m0 = p.rights.initial_motivation;
        // The second grid worker and the post act; the call fails.
        w.present[1].acted = true;
        w.present[5].acted = true;
        w.settle_call(false);
        let failed = rights::update_motivation(m0, false, p.rights.motivation_rate);
        assert_eq!(w.grid_workers.motivation[0], m0);
        assert_eq!(w.grid_workers.motivation[1], failed);
        assert_eq!(w.posts.motivation[0], failed);
        assert_eq!(w.posts.motivation[1], m0);
        assert_eq!(w.ngo_actors.motivation[0], m0);
        assert_eq!(
            (w.grid_workers.attempts[1], w.grid_workers.successes[1]),
            (1, 0)
        );
        assert_eq!(w.grid_workers.attempts[0], 0);
        // A resident who acted learns through its trust in community organisations.
        let i = 7;
        let before = w.trust_community[i];
        w.present.clear();
        w.present.push(Present {
            kind: Actor::Witness,
            index: i as u32,
            acted: true,
        });
        w.settle_call(true);
        assert_eq!(
            w.trust_community[i],
            rights::update_motivation(before, true, p.rights.motivation_rate)
        );
        assert_eq!(w.motivation_of(w.present[0]), w.trust_community[i]);
    }
}
