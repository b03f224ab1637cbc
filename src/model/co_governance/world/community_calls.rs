//! Calls on the community's actors: who acts under the liability rules
//! (`rules::liability`), and the clean-up after a public-order incident, whose
//! success follows the rights rule (`rules::rights`) and whose failure adds disorder
//! (`rules::contagion`). Disputes (`disputes.rs`) make the same call.
//!
//! A call, in order: with probability `liability.clarity` one actor is named (the
//! grid's grid worker with time left, else the police post) and decides alone on its
//! duty; otherwise every actor present (`actors.rs`, [`World::gather_present`])
//! decides for itself by the volunteer's-dilemma rule, perceiving the others present.
//! One of those who acted, drawn at random, does the work; after the outcome, each
//! actor who acted learns from it (`World::settle_call`). This file draws and keeps
//! the books (calls, decisions and acts by the number present); the probabilities are
//! rules.

use rand::RngExt;

use super::actors::Present;
use super::units::CallKind;
use super::{Day, World, trace};
use crate::model::co_governance::accounts::{self, PRESENT_BINS};
use crate::model::co_governance::rules::liability::{self, Actor};
use crate::model::co_governance::rules::{contagion, rights};

/// The burden group (`accounts::BURDEN_GROUPS`) whose hours an actor's work adds to.
pub(super) fn burden_group(actor: Actor) -> usize {
    match actor {
        Actor::GridWorker => accounts::GRID_WORKERS,
        Actor::Ngo => accounts::NGOS,
        Actor::Enterprise => accounts::ENTERPRISES,
        Actor::Police => accounts::POLICE,
        Actor::Volunteer | Actor::Witness => accounts::VOLUNTEERS,
    }
}

impl World<'_> {
    /// A call on the community's actors in grid `k` whose work takes `hours` (for
    /// actors other than the police). Returns the actor who does the work, if anybody
    /// acted; `self.present` holds everyone present and whether they acted until the
    /// next call, for [`World::settle_call`]. A traced run records that actor's work in
    /// the grid (`trace.rs`).
    pub(super) fn community_call(
        &mut self,
        k: usize,
        day: &Day,
        hours: f64,
        measured: bool,
    ) -> Option<Present> {
        let p = self.p;
        let named = self.rng.random::<f64>() < p.liability.clarity;
        let lead = if named {
            self.present.clear();
            match self.named_present(k, day.police_available, hours) {
                Some(mut a) => {
                    let c = self.cost_benefit_of(a.kind);
                    let q = liability::named_act_probability(c, self.motivation_of(a));
                    a.acted = self.rng.random::<f64>() < q;
                    self.present.push(a);
                    a.acted.then_some(a)
                }
                None => None,
            }
        } else {
            self.volunteers_dilemma(k, day.police_available, hours, measured)
        };
        if measured {
            self.accounts.community_calls += 1;
            self.accounts.nobody_acted += u64::from(lead.is_none());
        }
        if let Some(a) = lead
            && let Some(t) = self.trace.as_deref_mut()
        {
            t.moved(self.today, k, k, trace::actor_mover(a.kind));
        }
        lead
    }

    /// The call under unclear liability: every actor present decides alone, at its own
    /// cost, benefit and motivation, perceiving the others present; one of those who
    /// acted, drawn at random, does the work.
    fn volunteers_dilemma(
        &mut self,
        k: usize,
        police_available: bool,
        hours: f64,
        measured: bool,
    ) -> Option<Present> {
        let lone = self.p.liability.lone_act_probability;
        self.gather_present(k, police_available, hours);
        let n = self.present.len();
        let mut acted = 0usize;
        for j in 0..n {
            let a = self.present[j];
            let ratio =
                liability::effective_ratio(self.cost_benefit_of(a.kind), self.motivation_of(a));
            let q = liability::act_probability(ratio, n as u32, lone);
            let acts = self.rng.random::<f64>() < q;
            self.present[j].acted = acts;
            acted += usize::from(acts);
        }
        if measured && n > 0 {
            let bin = n.min(PRESENT_BINS) - 1;
            let a = &mut self.accounts;
            a.present_calls[bin] += 1;
            a.present_decisions[bin] += n as u64;
            a.present_acts[bin] += acted as u64;
            a.present_anyone[bin] += u64::from(acted > 0);
        }
        if acted == 0 {
            return None;
        }
        let pick = if acted > 1 {
            self.rng.random_range(0..acted)
        } else {
            0
        };
        self.present.iter().filter(|a| a.acted).nth(pick).copied()
    }

    /// The clean-up after a public-order incident in grid `k`: somebody must clear up;
    /// unclear liability diffuses the duty, and an unhandled incident adds disorder.
    pub(super) fn clean_up(&mut self, k: usize, day: &mut Day, measured: bool) {
        let p = self.p;
        let hours = p.contagion.cleanup_hours;
        let mut handled = false;
        if let Some(lead) = self.community_call(k, day, hours, measured) {
            day.burden[burden_group(lead.kind)] += hours;
            if lead.kind == Actor::Police {
                self.police_call(k, CallKind::CleanUp, hours);
            }
            self.spend(lead, hours);
            let s = rights::success_probability(
                p.disputes.grid_worker_success,
                self.authority_of(lead),
                p.rights.unmatched_success_factor,
            );
            handled = self.rng.random::<f64>() < s;
            self.settle_call(handled);
        }
        if !handled {
            self.disorder[k] = contagion::add_disorder(self.disorder[k], p.contagion.disorder_gain);
        }
    }
}
