//! Phase 5 of the day: disputes. New disputes arrive in each grid; every open dispute
//! gets one mediation attempt (a community call, then the attempt of the actor who
//! took the case, at its own authority, the parties' contact with the mediator); an unsettled one escalates into an incident
//! (handled by `offences.rs`), lapses or stays open. The formulas are
//! `rules::disputes`, `rules::liability`, `rules::rights` and `rules::trust`; this
//! file draws, picks the parties, and counts.

use rand::RngExt;
use rand_distr::Distribution;

use super::community_calls::burden_group;
use super::draw::poisson;
use super::units::CallKind;
use super::{Day, World};
use crate::model::co_governance::accounts;
use crate::model::co_governance::rules::disputes::{self, Unsettled};
use crate::model::co_governance::rules::liability::Actor;
use crate::model::co_governance::rules::trust;

impl World<'_> {
    /// Phase 5: arrivals, mediation and the fate of unsettled disputes, grid by grid.
    pub(super) fn disputes(&mut self, day: &mut Day, measured: bool) {
        let p = self.p;
        let arrivals = disputes::expected_arrivals(p.disputes.rate_per_1000, self.per_grid as f64);
        for k in 0..self.grids {
            let new = poisson(arrivals, &mut self.rng);
            day.disputes_new += new;
            let open = u64::from(self.pending[k]) + new;
            let mut still = 0u32;
            for _ in 0..open {
                if self.mediate(k, day, measured) {
                    continue;
                }
                let u = self.rng.random::<f64>();
                match disputes::unsettled(u, &p.disputes) {
                    Unsettled::Escalates => {
                        day.escalated += 1;
                        if measured {
                            self.accounts.disputes_escalated += 1;
                        }
                        let kind = disputes::escalated_offence(
                            self.rng.random::<f64>(),
                            p.disputes.violent_share,
                        );
                        self.incident(k, kind, None, day, measured);
                    }
                    Unsettled::Lapses => {
                        if measured {
                            self.accounts.disputes_lapsed += 1;
                        }
                    }
                    Unsettled::StaysOpen => still += 1,
                }
            }
            self.pending[k] = still;
        }
    }

    /// One mediation attempt on a dispute in grid `k`; true when settled locally.
    fn mediate(&mut self, k: usize, day: &mut Day, measured: bool) -> bool {
        let p = self.p;
        let Some(lead) = self.community_call(k, day, p.disputes.mediation_hours, measured) else {
            return false;
        };
        let actor = lead.kind;
        let base = disputes::base_success(actor, &p.disputes);
        // A police mediator always works jointly; another works with the police with
        // the grid's capacity for joint action.
        let joint =
            actor == Actor::Police || self.rng.random::<f64>() < self.process[k].joint_capacity();
        let bonus = if joint && actor != Actor::Police {
            day.joint_bonus
        } else {
            0.0
        };
        let s = disputes::settle_probability(
            base,
            self.authority_of(lead),
            p.rights.unmatched_success_factor,
            bonus,
        );
        let ok = self.rng.random::<f64>() < s;
        let hours = disputes::mediator_hours(actor, &p.disputes);
        day.burden[burden_group(actor)] += hours;
        self.spend(lead, hours);
        if joint {
            self.police_call(k, CallKind::Mediation, p.disputes.police_hours);
            if actor != Actor::Police {
                day.burden[accounts::POLICE] += p.disputes.police_hours;
            }
        }
        self.settle_call(ok);
        if joint && actor != Actor::Police {
            if ok {
                self.wins[k] += 1;
            } else {
                self.failures[k] += 1;
            }
        }
        // Both parties meet the mediator; trust in the mediator's side learns from it.
        for _ in 0..2 {
            let i = k * self.per_grid + self.rng.random_range(0..self.per_grid);
            if actor == Actor::Police {
                // The post's officer mediates (issue 11, item 1: contacts by units).
                if let Some(officer) = self.units.grid_officer(k, self.grids) {
                    self.police_contact(i, officer, Some(ok));
                }
            } else {
                let j = day.community_quality.sample(&mut self.rng).clamp(0.0, 1.0);
                let q = trust::contact_quality(j, ok, p.trust.outcome_weight);
                self.trust_community[i] =
                    trust::toward(self.trust_community[i], q, p.trust.contact_rate);
            }
        }
        if ok {
            day.resolved += 1;
            if measured {
                self.accounts.disputes_resolved_locally += 1;
                self.accounts.disputes_joint += u64::from(joint);
            }
        }
        ok
    }
}
