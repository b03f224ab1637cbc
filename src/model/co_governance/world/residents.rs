//! Phase 3 of the day, the hot loop: every resident's trust drifts (spillover, and
//! trust in police back toward the resident's prior), and
//! grievance against net risk decides who is motivated (a resident held for a cleared
//! offence is not). Keeps the per-grid sums of trust, the motivated counts and lists
//! the other phases read. The formulas are
//! `rules::trust::drift` and `settle` and `rules::offending`'s legitimacy, grievance
//! and activation.
//!
//! The loop is written for the compiler to compute several residents at once in vector
//! registers (no resident's values depend on another's), and on processors with AVX2
//! it is compiled a second time for them and chosen at run time (issue 17). Every
//! resident's values come from the same operations in the same order as one resident
//! at a time, and the grid's sums add in resident order, so the results are the same
//! to the bit on every processor. [`Motivation::list`] gives the offences phase a
//! grid's free motivated residents the same way.

use super::World;
use crate::model::co_governance::rules::{offending, trust};

/// Residents the hot loop takes at a time: first every resident's drift and
/// motivation, then the grid's two sums over the same residents, in resident order.
/// Short chunks let the processor work on the next chunk's drift while the sums,
/// chains of additions that cannot be reordered, finish; of 16 to 256, 32 gave both
/// the fewest instructions and the fastest run.
const CHUNK: usize = 32;

/// Residents whose motivation [`Motivation::list`] decides before it lists them.
const LIST_CHUNK: usize = 64;

/// Runs `$body` compiled twice, for AVX2 and for the baseline of the target, choosing
/// the AVX2 one where the processor has it. The two compute the same values: the
/// same additions, multiplications and comparisons in the same order, four residents
/// at a time in 256-bit registers instead of two (fused multiply-adds are never used,
/// as Rust does not contract floating-point operations). A macro rather than a
/// function taking a closure: each branch gets a closure of its own, called once, so
/// the compiler inlines it into the AVX2 function (one closure called from both
/// branches stays out of line, compiled without AVX2).
macro_rules! with_avx2 {
    ($body:block) => {{
        #[inline(always)]
        fn run<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2")]
            fn avx2<R>(f: impl FnOnce() -> R) -> R {
                f()
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, checked just above.
                unsafe { avx2(|| $body) }
            } else {
                run(|| $body)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            run(|| $body)
        }
    }};
}

/// A whole chunk of `N` residents' values.
#[inline(always)]
fn whole<T, const N: usize>(values: &[T]) -> &[T; N] {
    values.try_into().expect("a whole chunk")
}

/// A whole chunk of `N` residents' values, to change.
#[inline(always)]
fn whole_mut<T, const N: usize>(values: &mut [T]) -> &mut [T; N] {
    values.try_into().expect("a whole chunk")
}

/// The motivation rule of one grid today (`rules::offending::resident_is_motivated`).
#[derive(Clone, Copy)]
pub(super) struct Motivation {
    legitimacy: offending::Legitimacy,
    /// The grid's perceived arrest probability.
    arrest_p: f64,
    threshold: f64,
}

impl Motivation {
    /// Grid `k`'s rule today.
    pub(super) fn of_grid(w: &World<'_>, k: usize) -> Self {
        let p = &w.p.residents;
        Motivation {
            legitimacy: offending::Legitimacy::new(p.system_legitimacy, p.legitimacy_trust_weight),
            arrest_p: w.arrest_p[k],
            threshold: p.offending_threshold,
        }
    }

    /// Whether a resident of hardship `h`, risk aversion `r` and trust in police `t`
    /// is motivated.
    #[inline(always)]
    fn holds(&self, h: f64, r: f64, t: f64) -> bool {
        offending::resident_is_motivated(h, r, t, &self.legitimacy, self.arrest_p, self.threshold)
    }

    /// Replaces `out` with the residents `base + j` (in `j` order) who are motivated
    /// (trust in police `tp[j]`, hardship `h[j]`, risk aversion `r[j]`) and free
    /// (`held_until[j] <= today`). `out` needs room for every resident given, or it
    /// allocates.
    pub(super) fn list(
        &self,
        base: usize,
        (tp, h, r): (&[f64], &[f64], &[f64]),
        held_until: &[u32],
        today: u32,
        out: &mut Vec<u32>,
    ) {
        let n = tp.len();
        let (h, r, held_until) = (&h[..n], &r[..n], &held_until[..n]);
        out.clear();
        with_avx2!({
            let mut start = 0;
            while start < n {
                let end = (start + LIST_CHUNK).min(n);
                let (tp, h, r) = (&tp[start..end], &h[start..end], &r[start..end]);
                let held = &held_until[start..end];
                let mut listed = if end - start == LIST_CHUNK {
                    // A whole chunk: a loop of known length, which the compiler
                    // vectorises without a remainder.
                    self.listed_bits(
                        whole::<_, LIST_CHUNK>(tp),
                        whole::<_, LIST_CHUNK>(h),
                        whole::<_, LIST_CHUNK>(r),
                        whole::<_, LIST_CHUNK>(held),
                        today,
                    )
                } else {
                    self.listed_bits(tp, h, r, held, today)
                };
                while listed != 0 {
                    let j = start + listed.trailing_zeros() as usize;
                    out.push((base + j) as u32);
                    listed &= listed - 1;
                }
                start = end;
            }
        });
    }

    /// Bit `j` set when resident `j` of at most 64 (trust in police `tp[j]`, hardship
    /// `h[j]`, risk aversion `r[j]`, held until `held_until[j]`) is free and motivated.
    #[inline(always)]
    fn listed_bits(&self, tp: &[f64], h: &[f64], r: &[f64], held_until: &[u32], today: u32) -> u64 {
        let n = tp.len().min(LIST_CHUNK);
        let (tp, h, r, held_until) = (&tp[..n], &h[..n], &r[..n], &held_until[..n]);
        let mut listed = 0u64;
        for j in 0..n {
            let free = held_until[j] <= today;
            listed |= u64::from(free & self.holds(h[j], r[j], tp[j])) << j;
        }
        listed
    }
}

/// What every resident of one grid shares in today's drift and motivation.
struct ResidentsDay {
    /// The grid's collaboration trust, which trust in community organisations drifts
    /// toward.
    community_target: f64,
    collaboration_spillover: f64,
    community_spillover: f64,
    prior_pull: f64,
    motivation: Motivation,
}

/// One grid's residents: trust in police and in community organisations (drifted in
/// place), priors, hardship and risk aversion.
struct GridResidents<'a> {
    tp: &'a mut [f64],
    tc: &'a mut [f64],
    prior: &'a [f64],
    h: &'a [f64],
    r: &'a [f64],
}

impl ResidentsDay {
    /// Drifts the trust of every resident of `g` and returns the grid's sums of trust
    /// in police and in community organisations and its motivated residents.
    fn grid(&self, g: GridResidents<'_>) -> (f64, f64, u32) {
        with_avx2!({
            let n = g.tp.len();
            let mut sums = (0.0, 0.0, 0u32);
            let mut start = 0;
            while start < n {
                let end = (start + CHUNK).min(n);
                let (tp, tc) = (&mut g.tp[start..end], &mut g.tc[start..end]);
                let rest = (&g.prior[start..end], &g.h[start..end], &g.r[start..end]);
                if end - start == CHUNK {
                    // A whole chunk: loops of known length, without remainders.
                    let rest: (&[f64], &[f64], &[f64]) = (
                        whole::<_, CHUNK>(rest.0),
                        whole::<_, CHUNK>(rest.1),
                        whole::<_, CHUNK>(rest.2),
                    );
                    let (tp, tc) = (whole_mut::<_, CHUNK>(tp), whole_mut::<_, CHUNK>(tc));
                    self.chunk(tp, tc, rest, &mut sums);
                } else {
                    self.chunk(tp, tc, rest, &mut sums);
                }
                start = end;
            }
            sums
        })
    }

    /// Drifts the trust of one chunk of residents (see [`ResidentsDay::drift_and_count`])
    /// and adds their trust and motivated count to `sums`.
    #[inline(always)]
    fn chunk(
        &self,
        tp: &mut [f64],
        tc: &mut [f64],
        rest: (&[f64], &[f64], &[f64]),
        sums: &mut (f64, f64, u32),
    ) {
        sums.2 += self.drift_and_count(tp, tc, rest);
        // Both sums in one pass: each is a chain of additions in resident order, and
        // the two chains run side by side.
        for (&t, &c) in tp.iter().zip(tc.iter()) {
            sums.0 += t;
            sums.1 += c;
        }
    }

    /// Drifts the trust of the residents whose trust in police and in community
    /// organisations are `tp` and `tc` (priors `prior`, hardship `h`, risk aversion
    /// `r`), and returns how many of them are motivated.
    #[inline(always)]
    fn drift_and_count(
        &self,
        tp: &mut [f64],
        tc: &mut [f64],
        (prior, h, r): (&[f64], &[f64], &[f64]),
    ) -> u32 {
        let n = tp.len();
        let (tc, prior, h, r) = (&mut tc[..n], &prior[..n], &h[..n], &r[..n]);
        let mut m = 0u32;
        for i in 0..n {
            let c = trust::drift(tc[i], self.community_target, self.collaboration_spillover);
            let t = trust::settle(
                tp[i],
                c,
                self.community_spillover,
                prior[i],
                self.prior_pull,
            );
            tc[i] = c;
            tp[i] = t;
            m += u32::from(self.motivation.holds(h[i], r[i], t));
        }
        m
    }
}

impl World<'_> {
    /// Phase 3: trust drift and motivation of every resident, grid by grid; returns
    /// the district's motivated residents.
    pub(super) fn residents_day(&mut self) -> u64 {
        let p = self.p;
        let cs = p.trust.collaboration_spillover;
        let ps = p.trust.community_spillover;
        let pull = p.trust.prior_pull;
        let mut motivated_total = 0u64;
        for k in 0..self.grids {
            let range = k * self.per_grid..(k + 1) * self.per_grid;
            let day = ResidentsDay {
                community_target: self.process[k].trust,
                collaboration_spillover: cs,
                community_spillover: ps,
                prior_pull: pull,
                motivation: Motivation::of_grid(self, k),
            };
            let (stp, stc, m) = day.grid(GridResidents {
                tp: &mut self.trust_police[range.clone()],
                tc: &mut self.trust_community[range.clone()],
                prior: &self.trust_prior[range.clone()],
                h: &self.hardship[range.clone()],
                r: &self.risk_aversion[range],
            });
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
            let was_counted = Motivation::of_grid(self, k).holds(
                self.hardship[i],
                self.risk_aversion[i],
                self.trust_police[i],
            );
            self.motivated[k] -= u32::from(was_counted);
            motivated_total -= u64::from(was_counted);
            j += 1;
        }
        motivated_total
    }
}
