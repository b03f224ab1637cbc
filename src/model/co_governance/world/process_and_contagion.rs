//! Phase 7 of the day, the slow state: each grid's collaborative process (dialogue,
//! meetings, small wins), disorder decay, the near-repeat boost, and what residents
//! and dispatchers observe (grids' incident rates, clearance, utilisation). The
//! formulas are `rules::collaboration`, `rules::contagion`, `rules::observation` and
//! `rules::operations`; this file applies them to every grid and adds the meetings to
//! the day's burden.

use super::{Day, World};
use crate::model::co_governance::accounts;
use crate::model::co_governance::rules::collaboration::{self, dialogue};
use crate::model::co_governance::rules::observation::{self, DISPATCH_MEMORY, RESIDENT_MEMORY};
use crate::model::co_governance::rules::operations;
use crate::model::co_governance::rules::{contagion, space};

impl World<'_> {
    /// Phase 7a: the day's dialogue and meetings move every grid's process state with
    /// its joint wins and failures; meeting hours go to the burden of each group at the
    /// table.
    pub(super) fn collaborative_process(&mut self, access: f64, day: &mut Day) {
        let p = self.p;
        let c = &p.collaboration;
        let d = dialogue(c.meetings_per_month, access, p.police.community_role_share);
        let meeting_hours =
            collaboration::meeting_hours(c.meetings_per_month, c.meeting_hours, self.grids as f64);
        day.burden[accounts::POLICE] += meeting_hours;
        day.burden[accounts::GRID_WORKERS] += meeting_hours;
        day.burden[accounts::NGOS] += meeting_hours * f64::from(u8::from(!self.ngos.on.is_empty()));
        day.burden[accounts::ENTERPRISES] +=
            meeting_hours * f64::from(u8::from(!self.enterprises.on.is_empty()));
        for k in 0..self.grids {
            self.process[k].step(c, d, self.wins[k], self.failures[k]);
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
