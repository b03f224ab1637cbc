//! Phases 1 and 2 of the day: officers' community contacts with residents of their
//! posts (the officers themselves are in `units.rs`), then each grid's
//! guardianship, offending probability and perceived arrest probability. The police's
//! time budget itself is `rules::operations::police_time`; this file decides who is
//! contacted, which grids' counts go into each grid's view, and what goes into the
//! day's burden.

use rand::RngExt;

use super::World;
use super::draw::stochastic_round;
use crate::model::co_governance::accounts::{self, BURDEN_GROUPS};
use crate::model::co_governance::rules::guardianship::{self, Presence};
use crate::model::co_governance::rules::operations::{self, PoliceTime};
use crate::model::co_governance::rules::space::MINUTES_PER_HOUR;
use crate::model::co_governance::rules::{contagion, offending, space};

impl World<'_> {
    /// Phase 1d: community contacts by officers in the remodelled role. Each officer
    /// on duty today meets residents of its post grid, one per
    /// `police.hours_per_contact` of its community work (stochastically rounded); each
    /// is a contact with that officer (`contacts.rs`).
    pub(super) fn police_contacts(&mut self) {
        let p = self.p;
        for u in 0..self.units.officers() {
            let (post, minutes) = self.units.community_work(u);
            if minutes <= 0.0 {
                continue;
            }
            let expected = operations::expected_contacts(
                minutes / MINUTES_PER_HOUR,
                p.police.hours_per_contact,
            );
            let base = post * self.per_grid;
            for _ in 0..stochastic_round(expected, &mut self.rng) {
                let i = base + self.rng.random_range(0..self.per_grid);
                self.police_contact(i, u, None);
            }
        }
    }

    /// Phase 2a: guardianship in each grid (police patrols partly sent to the grids
    /// with the highest observed incident rates), and the hours of auxiliaries, volunteers
    /// and security staff added to the day's burden.
    pub(super) fn guardianship(&mut self, police: &PoliceTime, burden: &mut [f64; BURDEN_GROUPS]) {
        let p = self.p;
        let c = &p.community;
        let presence = Presence::new(police, self.utilisation_seen, self.grids, c, &p.it);
        let mean_rate = self.incident_rate.iter().sum::<f64>() / self.grids as f64;
        for k in 0..self.grids {
            let patrol = guardianship::hot_spot_weight(
                p.guardians.hot_spot_share,
                self.incident_rate[k],
                mean_rate,
            );
            let volunteers = guardianship::volunteers_present(
                self.contributors[k],
                c.volunteer_share,
                c.volunteer_hours,
            );
            let security = guardianship::security_present(
                self.enterprises.on_in_grid[k],
                c.security_staff_per_enterprise,
            );
            self.guardians[k] = presence.guardians(&p.guardians, patrol, volunteers, security);
        }
        burden[accounts::AUXILIARIES] += police.auxiliary_hours;
        let contributors: f64 = self.contributors.iter().map(|&c| c as f64).sum::<f64>();
        burden[accounts::VOLUNTEERS] +=
            guardianship::volunteer_hours(contributors, c.volunteer_share, c.volunteer_hours);
        let engaged: f64 = self
            .enterprises
            .on_in_grid
            .iter()
            .map(|&e| f64::from(e))
            .sum::<f64>();
        burden[accounts::ENTERPRISES] +=
            guardianship::security_hours(engaged, c.security_staff_per_enterprise);
    }

    /// Phase 2b: today's offending probability of a motivated resident in each grid,
    /// from opportunity, near repeat, disorder and yesterday's collective efficacy.
    pub(super) fn offending_probabilities(&mut self) {
        let p = self.p;
        let residents = self.per_grid as f64;
        let mut capped = 0u32;
        for k in 0..self.grids {
            let ce = contagion::collective_efficacy(
                self.sum_trust_community[k],
                self.contributors[k],
                residents,
            );
            let mult = contagion::opportunity_multiplier(
                self.opportunity[k],
                self.near_repeat[k],
                p.contagion.near_repeat_cap,
                self.disorder[k],
                p.contagion.disorder_effect,
                ce,
                p.contagion.efficacy_effect,
            );
            self.offend_prob[k] =
                offending::daily_offending_probability(p.residents.offence_propensity, mult);
            capped += u32::from(offending::offending_capped(
                p.residents.offence_propensity,
                mult,
            ));
        }
        self.capped_today = capped;
    }

    /// Phase 2c: the perceived arrest probability in each grid, from the guardians and
    /// the expected offenders in view (own grid plus Moore neighbours at
    /// `district.neighbour_weight`; yesterday's motivated residents).
    pub(super) fn arrest_probabilities(&mut self) {
        let p = self.p;
        let nw = p.district.neighbour_weight;
        let (width, height) = (self.width, self.height);
        for y in 0..height {
            for x in 0..width {
                let guardians =
                    space::in_view(x, y, width, height, nw, |j, w| w * self.guardians[j]);
                let offenders = space::in_view(x, y, width, height, nw, |j, w| {
                    w * f64::from(self.motivated[j]) * self.offend_prob[j]
                });
                self.arrest_p[y * width + x] = offending::perceived_arrest_probability(
                    p.residents.arrest_constant,
                    guardians,
                    offenders,
                    self.clearance_seen,
                );
            }
        }
    }
}
