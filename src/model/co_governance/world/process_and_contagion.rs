//! Phase 7 of the day, the slow state: each grid's collaborative process (the day's
//! decay and small wins; the meetings themselves are phase 1c, `meetings.rs`), disorder
//! decay, the near-repeat boost, and what residents and dispatchers observe (grids'
//! incident rates, clearance, utilisation). The formulas are `rules::collaboration`,
//! `rules::contagion`, `rules::observation` and `rules::operations`; this file applies
//! them to every grid.

use super::{Day, World};
use crate::model::co_governance::rules::observation::{self, DISPATCH_MEMORY, RESIDENT_MEMORY};
use crate::model::co_governance::rules::operations;
use crate::model::co_governance::rules::{contagion, space};

impl World<'_> {
    /// Phase 7a: every grid's partnership takes the day's decay and learns from its
    /// joint wins and failures (`rules::collaboration::Process::step`).
    pub(super) fn collaborative_process(&mut self) {
        let c = &self.p.collaboration;
        for k in 0..self.grids {
            self.process[k].step(c, self.wins[k], self.failures[k]);
        }
    }

    /// Phase 7b: disorder decays, the near-repeat boost follows the day's incidents,
    /// and the observed incident rates, clearance and utilisation are updated.
    pub(super) fn contagion_and_observation(&mut self, day: &Day, measured: bool) {
        let p = self.p;
        let residents = self.per_grid as f64;
        for k in 0..self.grids {
            self.disorder[k] =
                contagion::decay_disorder(self.disorder[k], p.contagion.disorder_decay);
            let today = space::annual_rate_per_1000(self.events[k], residents);
            self.incident_rate[k] =
                observation::smooth(self.incident_rate[k], today, RESIDENT_MEMORY);
            if measured {
                self.grid_incidents[k] += u64::from(self.events[k]);
            }
        }
        contagion::step_near_repeat(
            &mut self.near_repeat,
            &mut self.scratch,
            &self.events,
            residents,
            self.width,
            self.height,
            &p.contagion,
        );
        self.clearance_seen =
            observation::observed_clearance(self.clearance_seen, day.cleared, day.known);
        let load = operations::planning_load(day.used_hours, day.capacity_hours);
        self.utilisation_seen = observation::smooth(self.utilisation_seen, load, DISPATCH_MEMORY);
    }
}
