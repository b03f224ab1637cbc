//! Calls on the community's actors: who acts under the liability rules
//! (`rules::liability`), and the clean-up after a public-order incident, whose
//! success follows the rights rule (`rules::rights`) and whose failure adds disorder
//! (`rules::contagion`). Disputes (`disputes.rs`) make the same call. This file draws
//! and decides who is asked; the probabilities are rules.

use rand::RngExt;

use super::units::CallKind;
use super::{Day, World};
use crate::model::co_governance::accounts;
use crate::model::co_governance::rules::liability::{self, Actor};
use crate::model::co_governance::rules::{contagion, rights};

/// The burden group (`accounts::BURDEN_GROUPS`) whose hours an actor's work adds to.
pub(super) fn burden_group(actor: Actor) -> usize {
    match actor {
        Actor::GridWorker => accounts::GRID_WORKERS,
        Actor::Ngo => accounts::NGOS,
        Actor::Enterprise => accounts::ENTERPRISES,
        Actor::Police => accounts::POLICE,
    }
}

impl World<'_> {
    /// A call on the community's actors in grid `k` under the liability rules, with
    /// the called group's `motivation`. Returns who acted, if anybody did.
    pub(super) fn community_call(
        &mut self,
        k: usize,
        motivation: f64,
        measured: bool,
    ) -> Option<Actor> {
        let p = self.p;
        let named = self.rng.random::<f64>() < p.liability.clarity;
        let ratio = p.liability.cost_benefit_ratio;
        let acts = if named {
            self.rng.random::<f64>() < liability::named_act_probability(ratio, motivation)
        } else {
            let effective = liability::effective_ratio(ratio, motivation);
            self.rng.random::<f64>()
                >= liability::probability_nobody_acts(p.liability.co_responsible_actors, effective)
        };
        if measured {
            self.accounts.community_calls += 1;
            self.accounts.nobody_acted += u64::from(!acts);
        }
        if !acts {
            return None;
        }
        let has_gw = p.community.grid_workers_per_grid > 0.0;
        let actor = if named {
            liability::named_actor(has_gw)
        } else {
            // Whoever volunteers among the groups present in the grid.
            let (present, n) = liability::groups_present(
                has_gw,
                self.ngos.on_in_grid[k] > 0,
                self.enterprises.on_in_grid[k] > 0,
            );
            present[self.rng.random_range(0..n)]
        };
        Some(actor)
    }

    /// The clean-up after a public-order incident in grid `k`: somebody must clear up;
    /// unclear liability diffuses the duty, and an unhandled incident adds disorder.
    pub(super) fn clean_up(&mut self, k: usize, day: &mut Day, measured: bool) {
        let p = self.p;
        let actor = self.community_call(k, self.gw_motivation, measured);
        let mut handled = false;
        if let Some(actor) = actor {
            let hours = p.contagion.cleanup_hours;
            day.burden[burden_group(actor)] += hours;
            if actor == Actor::Police {
                self.police_call(k, CallKind::CleanUp, hours);
            }
            let s = rights::success_probability(
                p.disputes.grid_worker_success,
                p.rights.authority_match,
                p.rights.unmatched_success_factor,
            );
            handled = self.rng.random::<f64>() < s;
            if actor == Actor::GridWorker {
                self.gw_motivation = rights::update_motivation(
                    self.gw_motivation,
                    handled,
                    p.rights.motivation_rate,
                );
            }
        }
        if !handled {
            self.disorder[k] = contagion::add_disorder(self.disorder[k], p.contagion.disorder_gain);
        }
    }
}
