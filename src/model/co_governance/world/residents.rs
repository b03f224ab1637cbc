//! Phase 3 of the day, the hot loop: every resident's trust drifts (spillover, and
//! trust in police back toward the resident's prior), and
//! grievance against net risk decides who is motivated (a resident held for a cleared
//! offence is not). Keeps the per-grid sums of trust, the motivated counts and lists
//! the other phases read. The formulas are
//! `rules::trust::drift` and `settle` and `rules::offending`'s legitimacy, grievance
//! and activation.

use super::World;
use crate::model::co_governance::rules::{offending, trust};

impl World<'_> {
    /// Phase 3: trust drift and motivation of every resident, grid by grid; returns
    /// the district's motivated residents.
    pub(super) fn residents_day(&mut self) -> u64 {
        let p = self.p;
        let threshold = p.residents.offending_threshold;
        let legitimacy = offending::Legitimacy::new(
            p.residents.system_legitimacy,
            p.residents.legitimacy_trust_weight,
        );
        let cs = p.trust.collaboration_spillover;
        let ps = p.trust.community_spillover;
        let pull = p.trust.prior_pull;
        let mut motivated_total = 0u64;
        for k in 0..self.grids {
            let range = k * self.per_grid..(k + 1) * self.per_grid;
            let ct = self.process[k].trust;
            let pk = self.arrest_p[k];
            let tp = &mut self.trust_police[range.clone()];
            let tc = &mut self.trust_community[range.clone()];
            let prior = &self.trust_prior[range.clone()];
            let h = &self.hardship[range.clone()];
            let r = &self.risk_aversion[range];
            let (mut stp, mut stc, mut m) = (0.0, 0.0, 0u32);
            for i in 0..tp.len() {
                let c = trust::drift(tc[i], ct, cs);
                let t = trust::settle(tp[i], c, ps, prior[i], pull);
                tc[i] = c;
                tp[i] = t;
                stp += t;
                stc += c;
                m += u32::from(offending::resident_is_motivated(
                    h[i],
                    r[i],
                    t,
                    &legitimacy,
                    pk,
                    threshold,
                ));
            }
            self.sum_trust_police[k] = stp;
            self.sum_trust_community[k] = stc;
            self.motivated[k] = m;
            motivated_total += u64::from(m);
        }
        // The few residents held today are taken out of the counts afterwards, so
        // the loop over everyone stays as lean as before incapacitation.
        let today = self.today;
        let mut j = 0;
        while j < self.held.len() {
            let i = self.held[j] as usize;
            if self.held_until[i] <= today {
                self.held.swap_remove(j);
                continue;
            }
            let k = i / self.per_grid;
            let was_counted = offending::resident_is_motivated(
                self.hardship[i],
                self.risk_aversion[i],
                self.trust_police[i],
                &legitimacy,
                self.arrest_p[k],
                threshold,
            );
            self.motivated[k] -= u32::from(was_counted);
            motivated_total -= u64::from(was_counted);
            j += 1;
        }
        motivated_total
    }
}
