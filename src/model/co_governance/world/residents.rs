//! Phase 3 of the day, the hot loop: every resident's trust drifts (spillover), and
//! grievance against net risk decides who is motivated (a resident held for a cleared
//! offence is not). Keeps the per-grid sums of trust, the motivated counts and lists
//! the other phases read. The formulas are
//! `rules::trust::drift` and `rules::offending`'s legitimacy, grievance and activation.

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
        let today = self.today;
        let mut motivated_total = 0u64;
        let mut held = 0u64;
        // Motivated residents' indices are written branch-free: every resident writes
        // its index at the next free slot, and only a motivated one advances it.
        let mut next = 0usize;
        for k in 0..self.grids {
            let base = k * self.per_grid;
            let range = base..base + self.per_grid;
            let ct = self.process[k].trust;
            let pk = self.arrest_p[k];
            let tp = &mut self.trust_police[range.clone()];
            let tc = &mut self.trust_community[range.clone()];
            let h = &self.hardship[range.clone()];
            let r = &self.risk_aversion[range.clone()];
            let until = &self.held_until[range];
            let ids = &mut self.motivated_ids;
            self.motivated_from[k] = next as u32;
            let (mut stp, mut stc, mut m, mut out) = (0.0, 0.0, 0u32, 0u32);
            for i in 0..tp.len() {
                let c = trust::drift(tc[i], ct, cs);
                let t = trust::drift(tp[i], c, ps);
                tc[i] = c;
                tp[i] = t;
                stp += t;
                stc += c;
                let free = until[i] <= today;
                out += u32::from(!free);
                let grievance = offending::grievance(h[i], legitimacy.of(t));
                let active = free && offending::is_motivated(grievance, r[i], pk, threshold);
                // `next` is at most this resident's index: never out of range.
                ids[next] = (base + i) as u32;
                next += usize::from(active);
                m += u32::from(active);
            }
            self.sum_trust_police[k] = stp;
            self.sum_trust_community[k] = stc;
            self.motivated[k] = m;
            motivated_total += u64::from(m);
            held += u64::from(out);
        }
        self.held = held;
        motivated_total
    }
}
