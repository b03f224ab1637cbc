//! Trust through contacts (issue 11, item 1): every contact of a resident with the
//! police, who makes it, and who hears of it. A contact is made by an actual unit
//! (the officer or auxiliary dispatched to the call, the post's officer at a
//! mediation, the officer doing community work or on patrol); its procedural justice
//! is drawn around that unit's own style (drawn once per unit at setup, `units.rs`),
//! its quality weighs in the outcome where there is one, and the resident's trust
//! learns from it at their own susceptibility, bad experiences weighing more. Then a
//! few other residents of the same grid (household, neighbours) hear of it and learn
//! from it at a smaller rate: second-hand experience. Patrol stops are here too:
//! officers on patrol stop or talk to residents of their post grid at
//! `trust.stops_per_patrol_hour`. The formulas are `rules::trust`; this file draws,
//! picks the residents and counts.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use super::World;
use super::draw::stochastic_round;
use crate::model::co_governance::rules::space::MINUTES_PER_HOUR;
use crate::model::co_governance::rules::trust;

impl World<'_> {
    /// Resident `i` has a contact with unit `unit`: procedural justice drawn around the
    /// unit's style, the outcome (`Some(true)` in the resident's favour, `Some(false)`
    /// against, `None` for a contact without one) weighed in, trust learns; then the
    /// contact is heard of second-hand in the grid.
    pub(super) fn police_contact(&mut self, i: usize, unit: usize, outcome: Option<bool>) {
        let t = &self.p.trust;
        let z: f64 = StandardNormal.sample(&mut self.rng);
        let j = trust::around(self.units.style(unit), t.quality_sd, z);
        let q = match outcome {
            Some(favourable) => trust::contact_quality(j, favourable, t.outcome_weight),
            None => j,
        };
        self.trust_police[i] = trust::learn(
            self.trust_police[i],
            q,
            t.contact_rate,
            f64::from(self.susceptibility[i]),
            t.negative_weight,
        );
        if self.today >= self.p.run.warmup_ticks {
            self.accounts.police_contacts += 1;
        }
        self.hear_of(i, q);
    }

    /// Residents of `i`'s grid other than `i` (about `trust.vicarious_listeners` of
    /// them, stochastically rounded, with replacement) hear of a contact of quality `q`
    /// and learn from it at `trust.vicarious_weight` of the direct rate.
    fn hear_of(&mut self, i: usize, q: f64) {
        let t = &self.p.trust;
        if self.per_grid < 2 {
            return;
        }
        let rate = t.contact_rate * t.vicarious_weight;
        let base = i - i % self.per_grid;
        let own = i - base;
        for _ in 0..stochastic_round(t.vicarious_listeners, &mut self.rng) {
            let r = self.rng.random_range(0..self.per_grid - 1);
            let l = base + if r >= own { r + 1 } else { r };
            self.trust_police[l] = trust::learn(
                self.trust_police[l],
                q,
                rate,
                f64::from(self.susceptibility[l]),
                t.negative_weight,
            );
        }
    }

    /// Phase 1d: patrol stops. Each officer on duty today patrols its post grid in the
    /// hours it is neither in administration or community work nor, by yesterday's
    /// observed utilisation, on calls, and stops or talks to a resident of the grid per
    /// `1 / trust.stops_per_patrol_hour` of them (stochastically rounded).
    pub(super) fn patrol_contacts(&mut self) {
        let rate = self.p.trust.stops_per_patrol_hour;
        let idle = 1.0 - self.utilisation_seen.clamp(0.0, 1.0);
        for u in 0..self.units.officers() {
            let (post, minutes) = self.units.patrol_work(u);
            if minutes <= 0.0 {
                continue;
            }
            let expected = minutes * idle / MINUTES_PER_HOUR * rate;
            let base = post * self.per_grid;
            for _ in 0..stochastic_round(expected, &mut self.rng) {
                let i = base + self.rng.random_range(0..self.per_grid);
                if self.today >= self.p.run.warmup_ticks {
                    self.accounts.stop_contacts += 1;
                }
                self.police_contact(i, u, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    fn small() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.district.households_per_grid = 40;
        p.run.warmup_ticks = 0;
        p
    }

    #[test]
    fn a_contact_learns_from_its_own_officer_s_style() {
        let mut p = small();
        p.trust.quality_sd = 0.0;
        p.trust.officer_style_sd = 0.2;
        p.trust.susceptibility_sd = 0.0;
        p.trust.vicarious_listeners = 0.0;
        p.trust.negative_weight = 1.0;
        p.police.officers_per_10k = 60.0;
        let mut w = World::new(&p, 4);
        // Styles differ between units, are drawn around the force's mean and are the
        // same for the same seed.
        let styles: Vec<f64> = (0..w.units.len()).map(|u| w.units.style(u)).collect();
        assert!(styles.len() > 3);
        assert!(styles.iter().any(|&s| (s - styles[0]).abs() > 1e-6));
        let again = World::new(&p, 4);
        assert!((0..styles.len()).all(|u| again.units.style(u) == styles[u]));
        // With no spread within an officer, a contact moves trust exactly
        // `contact_rate` of the way toward that officer's style, whoever else exists.
        for u in [0, styles.len() - 1] {
            let i = 7;
            w.trust_police[i] = 0.5;
            w.police_contact(i, u, None);
            let want = 0.5 + p.trust.contact_rate * (styles[u] - 0.5);
            assert!((w.trust_police[i] - want).abs() < 1e-12, "unit {u}");
        }
        // With an outcome, the quality weighs it in (an arrest is against the arrestee).
        w.trust_police[7] = 0.5;
        w.police_contact(7, 0, Some(false));
        let q = trust::contact_quality(styles[0], false, p.trust.outcome_weight);
        let want = 0.5 + p.trust.contact_rate * (q - 0.5);
        assert!((w.trust_police[7] - want).abs() < 1e-12);
    }

    #[test]
    fn second_hand_experience_reaches_others_of_the_same_grid_only() {
        let mut p = small();
        p.trust.quality_sd = 0.0;
        p.trust.officer_style_sd = 0.0;
        p.police.procedural_justice = 1.0;
        p.trust.vicarious_listeners = 3.0;
        let mut w = World::new(&p, 9);
        let per = w.per_grid;
        let i = per + 5; // grid 1
        let before = w.trust_police.clone();
        w.trust_police[i] = 0.0;
        let own_after = trust::learn(
            0.0,
            1.0,
            p.trust.contact_rate,
            f64::from(w.susceptibility[i]),
            p.trust.negative_weight,
        );
        w.police_contact(i, 0, None);
        assert!((w.trust_police[i] - own_after).abs() < 1e-12);
        let moved: Vec<usize> = (0..w.trust_police.len())
            .filter(|&j| j != i && w.trust_police[j] != before[j])
            .collect();
        // Three listeners (with replacement, so up to three residents), all in grid 1,
        // each moved up toward the contact's quality 1 by less than the contacted one.
        assert!(!moved.is_empty() && moved.len() <= 3, "{moved:?}");
        for &j in &moved {
            assert_eq!(j / per, 1);
            let gain = w.trust_police[j] - before[j];
            let most = p.trust.contact_rate
                * p.trust.vicarious_weight
                * f64::from(w.susceptibility[j])
                * (1.0 - before[j]);
            assert!(gain > 0.0 && (gain - most).abs() < 1e-12, "{gain} {most}");
        }
    }

    /// Correlation over residents between their trust in police at the start and
    /// after `days` days of `p`.
    fn correlation_after(p: &Params, days: usize) -> f64 {
        let mut w = World::new(p, 21);
        let initial = w.trust_police.clone();
        for tick in 0..days {
            w.step(tick, true);
        }
        let n = initial.len() as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
        let (ma, mb) = (mean(&initial), mean(&w.trust_police));
        let cov: f64 = initial
            .iter()
            .zip(&w.trust_police)
            .map(|(a, b)| (a - ma) * (b - mb))
            .sum();
        let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
        cov / (var(&initial, ma) * var(&w.trust_police, mb)).sqrt()
    }

    #[test]
    fn residents_initial_differences_persist_beyond_a_year() {
        // Grids of the default size, so that most have an officer posted.
        let mut p = small();
        p.district.households_per_grid = 300;
        p.run.ticks = 5 * 365;
        let year = correlation_after(&p, 365);
        let five = correlation_after(&p, 5 * 365);
        let mut q = p;
        q.trust.prior_pull = 0.0;
        let five_without = correlation_after(&q, 5 * 365);
        // A year on, residents keep most of their ordering (0.92 on this seed); five
        // years on, the prior still holds it (0.86 on the merged model of issue 11)
        // where contacts and spillover alone wear it down (0.35).
        assert!(year > 0.8, "after a year {year}");
        assert!(five > 0.6, "after five years {five}");
        assert!(
            five_without < 0.5,
            "five years without the prior {five_without}, with {five}"
        );
    }

    #[test]
    fn patrol_stops_follow_the_patrol_hours() {
        let mut p = small();
        p.trust.stops_per_patrol_hour = 0.0;
        let mut w = World::new(&p, 2);
        w.plan_shifts(0);
        w.patrol_contacts();
        assert_eq!(w.accounts.stop_contacts, 0);
        p.trust.stops_per_patrol_hour = 2.0;
        let mut w = World::new(&p, 2);
        let mut expected = 0.0;
        for tick in 0..50 {
            w.today = tick as u32;
            w.plan_shifts(tick);
            let idle = 1.0 - w.utilisation_seen.clamp(0.0, 1.0);
            for u in 0..w.units.officers() {
                expected += w.units.patrol_work(u).1 * idle / MINUTES_PER_HOUR * 2.0;
            }
            w.patrol_contacts();
        }
        // Stochastic rounding keeps the mean: within 5 sd of a sum of Bernoulli parts.
        let got = w.accounts.stop_contacts as f64;
        assert!(expected > 100.0);
        assert!(
            (got - expected).abs() < 5.0 * expected.sqrt(),
            "{got} vs {expected}"
        );
    }
}
