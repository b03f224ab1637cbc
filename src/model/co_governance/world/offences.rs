//! Phase 4 of the day: offences, and what happens to each incident (also to one a
//! dispute escalates into): the reporter, the report, detection by patrol, the call
//! on the police (dispatched with the day's other calls, `units.rs`) and the clean-up
//! of a public-order incident; then, when a unit arrives (`World::respond`), clearance
//! at the incident's own response time (possibly jointly with the community) and the
//! reporter's contact with the police, and the holding of a cleared offence's
//! offender (`residents.incapacitation_days`). The
//! probabilities are rules (`offending`, `reporting`, `operations`, `collaboration`,
//! `trust`); this file draws, decides who is involved, and counts.

use rand::RngExt;

use super::draw::binomial;
use super::residents::Motivation;
use super::units::Call;
use super::{Day, World};
use crate::model::co_governance::accounts;
use crate::model::co_governance::rules::collaboration;
use crate::model::co_governance::rules::dispatch::ABANDON_MINUTES;
use crate::model::co_governance::rules::offending::{self, Offence};
use crate::model::co_governance::rules::operations;

impl World<'_> {
    /// Phase 4: each grid's motivated residents offend with the grid's probability;
    /// each offence is an incident of a kind drawn from the offence mix, committed by
    /// a distinct motivated resident of the grid.
    pub(super) fn offences(&mut self, day: &mut Day, measured: bool) {
        let p = self.p;
        for k in 0..self.grids {
            self.events[k] = 0;
            self.wins[k] = 0;
            self.failures[k] = 0;
        }
        for k in 0..self.grids {
            let motivated = self.motivated[k] as usize;
            let offences = binomial(motivated as u64, self.offend_prob[k], &mut self.rng);
            if offences > 0 {
                self.list_candidates(k);
            }
            for j in 0..offences as usize {
                // The offenders are distinct motivated residents of the grid, drawn by
                // a partial Fisher-Yates shuffle of its list.
                let pick = self.rng.random_range(j..motivated);
                self.candidates.swap(j, pick);
                let offender = self.candidates[j] as usize;
                let u = self.rng.random::<f64>();
                let kind = offending::offence_kind(
                    u,
                    p.residents.property_share,
                    p.residents.violent_share,
                );
                self.incident(k, kind, Some(offender), day, measured);
            }
        }
    }

    /// Lists grid `k`'s free motivated residents in `candidates`, by the rule the day's
    /// counts used (`residents_day`); nothing has changed their trust since, so the
    /// list has exactly `motivated[k]` entries.
    fn list_candidates(&mut self, k: usize) {
        let range = k * self.per_grid..(k + 1) * self.per_grid;
        Motivation::of_grid(self, k).list(
            range.start,
            (
                &self.trust_police[range.clone()],
                &self.hardship[range.clone()],
                &self.risk_aversion[range.clone()],
            ),
            &self.held_until[range],
            self.today,
            &mut self.candidates,
        );
        debug_assert_eq!(self.candidates.len(), self.motivated[k] as usize);
    }

    /// Holds `offender` for a term drawn with mean `residents.incapacitation_days`
    /// from tomorrow; a resident already held stays held until the later release.
    fn hold(&mut self, offender: usize) {
        let u = self.rng.random::<f64>();
        let term = offending::incapacitation_days(self.p.residents.incapacitation_days, u);
        if term == 0 {
            return;
        }
        let until = self.today + 1 + term.min(u32::MAX / 4);
        if self.held_until[offender] <= self.today {
            self.held.push(offender as u32);
        }
        self.held_until[offender] = self.held_until[offender].max(until);
    }

    /// One incident in grid `k` by `offender` (none for an escalated dispute): victim,
    /// report, detection, the call on the police (answered in phase 5b,
    /// `World::respond`), clean-up.
    pub(super) fn incident(
        &mut self,
        k: usize,
        kind: Offence,
        offender: Option<usize>,
        day: &mut Day,
        measured: bool,
    ) {
        let p = self.p;
        self.events[k] += 1;
        day.incidents += 1;
        let base = k * self.per_grid;
        // The reporter is the victim, or for a public-order incident a witness.
        let reporter = base + self.rng.random_range(0..self.per_grid);
        if measured {
            match kind {
                Offence::Property => self.accounts.property += 1,
                Offence::Violent => self.accounts.violent += 1,
                Offence::PublicOrder => self.accounts.public_order += 1,
            }
            if kind != Offence::PublicOrder {
                self.victimised[reporter] = true;
            }
        }
        let reported =
            self.rng.random::<f64>() < day.climate.probability(self.trust_police[reporter]);
        let detected = reported
            || self.rng.random::<f64>()
                < operations::detection_probability(
                    p.operations.detection_per_guardian,
                    self.guardians[k],
                );
        if reported {
            day.reported += 1;
        }
        if detected && day.police_available {
            // The police response runs with the day's other calls (`units.rs`).
            self.incident_call(k, kind, reporter, reported, offender);
        }
        if measured && reported {
            self.accounts.reported += 1;
        }
        if kind == Offence::PublicOrder {
            self.clean_up(k, day, measured);
        }
    }

    /// The police response to an incident once the call is served (`units.rs`):
    /// `attended` is the response time in minutes, the unit's handling hours,
    /// whether the unit is an officer and which unit it is, or `None` for a call closed
    /// unattended after waiting a day (counted at `ABANDON_MINUTES`). Then joint work
    /// with the community, clearance at the response time, and the contacts of the
    /// reporter or victim and of a cleared offence's offender with the unit.
    pub(super) fn respond(
        &mut self,
        call: &Call,
        kind: Offence,
        attended: Option<(f64, f64, bool, usize)>,
        day: &mut Day,
        measured: bool,
    ) {
        let p = self.p;
        let k = call.grid as usize;
        let (response, hours) = match attended {
            Some((response, hours, officer, _)) => {
                if officer {
                    day.burden[accounts::POLICE] += hours;
                }
                (response, hours)
            }
            None => (ABANDON_MINUTES, 0.0),
        };
        day.known += 1;
        // A reported incident waits for the response; one found by patrol does not.
        let response = if call.reported {
            day.response_sum += response;
            day.responses += 1;
            if measured {
                self.accounts.response_times.add(response);
            }
            response
        } else {
            p.operations.reference_response_minutes
        };
        let joint =
            attended.is_some() && self.rng.random::<f64>() < self.process[k].joint_capacity();
        let bonus = if joint { day.joint_bonus } else { 0.0 };
        if joint {
            day.burden[accounts::GRID_WORKERS] += collaboration::partner_hours(hours);
        }
        let pc = operations::clearance_probability(
            operations::base_clearance(kind, &p.operations),
            p.operations.clearance_response_slope,
            response,
            p.operations.reference_response_minutes,
            bonus,
            p.operations.clearance_floor_share,
        );
        let cleared = self.rng.random::<f64>() < pc;
        if cleared {
            day.cleared += 1;
            if let Some(offender) = call.offender() {
                self.hold(offender);
            }
        }
        // Trust through contacts (issue 11, item 1): the unit that came meets the
        // reporter, or the victim of an incident found by patrol (the outcome in their
        // favour when cleared), and the offender of a cleared offence (arrested: the
        // outcome against them; procedural justice still counts, Tyler 2006).
        if let Some((_, _, _, unit)) = attended {
            if call.reported || kind != Offence::PublicOrder {
                self.police_contact(call.reporter as usize, unit, Some(cleared));
            }
            if cleared && let Some(offender) = call.offender() {
                self.police_contact(offender, unit, Some(false));
            }
        }
        if joint {
            if cleared {
                self.wins[k] += 1;
            } else {
                self.failures[k] += 1;
            }
        }
        if measured {
            self.accounts.known += 1;
            self.accounts.cleared += u64::from(cleared);
            self.accounts.joint_cleared += u64::from(cleared && joint);
        }
    }
}
