//! The agents' turns: a citizen's (jail in place, rule M, rule A) and a cop's (rule
//! M, rule C), and the end-of-tick jail off the lattice. Each turn changes the
//! lattice through the world's state; every formula it applies (grievance, the
//! arrest probability, the activation test) is in `rules.rs`.

use rand::RngExt;

use super::torus::{ACTIVE, EMPTY, JAILED, QUIET, View, below, collect, random_empty_in_view};
use super::{LIFE, NOBODY, SETTLED_ACTIVE, SETTLED_QUIET, World};
use crate::model::civil_violence::params::{JailRule, TurnOrder};
use crate::model::civil_violence::rules;

impl World<'_> {
    pub(super) fn citizen_turn(&mut self, i: usize) {
        if self.state[i] == JAILED {
            match self.p.jail.rule {
                JailRule::OffGrid => return,
                JailRule::InPlace => {
                    let left = self.citizens[i].jail_left;
                    if left > 0 {
                        if left != LIFE {
                            self.citizens[i].jail_left = left - 1;
                        }
                        return;
                    }
                    // Free from this turn on.
                    self.state[i] = QUIET;
                    self.set_kind(self.citizens[i].pos as usize, QUIET);
                    self.jailed -= 1;
                }
            }
        }
        match self.p.lattice.turn_order {
            TurnOrder::MoveThenAct => {
                if self.p.citizens.movement {
                    self.move_citizen(i);
                }
                self.decide(i);
            }
            TurnOrder::ActThenMove => {
                self.decide(i);
                if self.p.citizens.movement {
                    self.move_citizen(i);
                }
            }
        }
    }

    /// Cops and actives in `view` around `cell`, the cell itself included.
    #[inline]
    fn count_in_view(&self, cell: u32, view: &View) -> (u32, u32) {
        self.counts.count(&self.torus, &self.kind, cell, view)
    }

    /// Cops and other actives in free citizen `i`'s view.
    fn seen_by(&self, i: usize) -> (u32, u32) {
        let (cops, actives) = self.count_in_view(self.citizens[i].pos, &self.citizen_view);
        // The view includes the citizen's own cell.
        (cops, actives - u32::from(self.state[i] == ACTIVE))
    }

    /// The estimated arrest probability of free citizen `i` where it stands, and the
    /// cops it sees.
    #[inline(never)]
    fn arrest_probability(&self, i: usize) -> (f64, u32) {
        let (cops, others) = self.seen_by(i);
        let (rule, k) = (self.p.arrest.rule, self.p.arrest.k);
        let p = match rules::whole_ratio(rule, cops, 1 + others) {
            Some(ratio) => match self.ratio_p.get(ratio as usize) {
                Some(&p) => p,
                None => rules::ratio_arrest_probability(k, ratio),
            },
            None => rules::arrest_probability(rule, k, cops, 1 + others),
        };
        (p, cops)
    }

    /// Rule A. G - R P > T falls as P rises and P lies in [0, 1], so when P = 0 and
    /// P = 1 give the same answer the view is not counted: whoever has G <= T is quiet
    /// and whoever has G - R > T active, whatever they see.
    #[inline(always)]
    fn decide(&mut self, i: usize) {
        // `class` holds `rules::settled` at this tick's legitimacy.
        let active = match self.class[i] {
            SETTLED_QUIET => false,
            SETTLED_ACTIVE => true,
            _ => {
                // Deterrable: the arrest risk decides.
                let g = rules::grievance(self.citizens[i].hardship, self.legitimacy);
                let (r, t) = (self.citizens[i].risk_aversion, self.p.citizens.threshold);
                let (active, cops) = self.deterred(i, g, r, t);
                if self.tick > self.p.run.warmup_ticks {
                    let tally = &mut self.deterrable[usize::from(cops == 0)];
                    tally.0 += 1;
                    tally.1 += u64::from(active);
                }
                active
            }
        };
        let now = if active { ACTIVE } else { QUIET };
        let was = self.state[i];
        if now != was {
            self.state[i] = now;
            self.set_kind(self.citizens[i].pos as usize, now);
            if now == ACTIVE {
                self.active += 1;
            } else {
                self.active -= 1;
            }
        }
    }

    /// Rule A for deterrable citizen `i` (grievance `g`, risk aversion `r`, threshold
    /// `t`): whether it is active, and the cops it sees, which are counted in full
    /// unless it is the only active there can be. Then A = 1, so the ratio is C
    /// under every rule, and P = `ratio_p[C]`, which rises with C (checked in
    /// [`World::new`]): the citizen is quiet from the first C that makes it so, and the
    /// cops are counted only that far (0 still means none in view).
    #[inline(always)]
    fn deterred(&self, i: usize, g: f64, r: f64, t: f64) -> (bool, u32) {
        let alone = self.active == usize::from(self.state[i] == ACTIVE);
        if alone && self.ratio_p_covers_views {
            let quiet_at = |c: usize| !rules::is_active(g, r, self.ratio_p[c], t);
            // Mostly one or two cops make it quiet: those without a branch (the table
            // holds more than the 5 cells of the smallest view).
            let quiet_from = match (quiet_at(1), quiet_at(2)) {
                (true, _) => Some(1),
                (false, true) => Some(2),
                (false, false) => (3..self.ratio_p.len()).find(|&c| quiet_at(c)),
            };
            if let Some(enough) = quiet_from {
                let enough = enough as u32;
                let cops = self.counts.cops_up_to(
                    &self.torus,
                    &self.kind,
                    self.citizens[i].pos,
                    &self.citizen_view,
                    enough,
                );
                return (cops < enough, cops);
            }
        }
        let (p, cops) = self.arrest_probability(i);
        (rules::is_active(g, r, p, t), cops)
    }

    /// Rule M for a citizen.
    #[inline(always)]
    fn move_citizen(&mut self, i: usize) {
        let from = self.citizens[i].pos;
        if let Some(to) = random_empty_in_view(
            &self.torus,
            &self.kind,
            from,
            &self.citizen_view,
            &mut self.rng,
            &mut self.candidates,
        ) {
            self.relocate(from, to);
            self.citizens[i].pos = to;
        }
    }

    pub(super) fn cop_turn(&mut self, c: usize) {
        match self.p.lattice.turn_order {
            TurnOrder::MoveThenAct => {
                self.move_cop(c);
                self.arrest(c);
            }
            TurnOrder::ActThenMove => {
                if !self.arrest(c) {
                    self.move_cop(c);
                }
            }
        }
    }

    /// Rule M for a cop.
    fn move_cop(&mut self, c: usize) {
        let from = self.cop_pos[c];
        if let Some(to) = random_empty_in_view(
            &self.torus,
            &self.kind,
            from,
            &self.cop_view,
            &mut self.rng,
            &mut self.candidates,
        ) {
            self.relocate(from, to);
            self.cop_pos[c] = to;
        }
    }

    /// Rule C. Returns whether the cop stepped onto its arrestee's cell.
    fn arrest(&mut self, c: usize) -> bool {
        let from = self.cop_pos[c];
        // Most views hold no active, and often there is none at all: count first,
        // list only when there is one.
        if self.active == 0
            || !self
                .counts
                .any_active(&self.torus, &self.kind, from, &self.cop_view)
        {
            return false;
        }
        let n = collect(
            &self.torus,
            &self.kind,
            from,
            &self.cop_view,
            ACTIVE,
            &mut self.candidates,
        );
        if n == 0 {
            return false;
        }
        let cell = self.candidates[below(&mut self.rng, n)];
        let i = self.occupant[cell as usize] as usize;
        self.citizens[i].jail_left = if self.p.jail.life {
            LIFE
        } else {
            self.rng.random_range(0..=self.p.jail.max_term)
        };
        self.state[i] = JAILED;
        self.active -= 1;
        self.jailed += 1;
        match self.p.jail.rule {
            JailRule::InPlace => {
                self.set_kind(cell as usize, JAILED);
                false
            }
            JailRule::OffGrid => {
                self.set_kind(cell as usize, EMPTY);
                self.occupant[cell as usize] = NOBODY;
                self.empty += 1;
                if self.p.cops.moves_to_arrest {
                    self.relocate(from, cell);
                    self.cop_pos[c] = cell;
                    true
                } else {
                    false
                }
            }
        }
    }

    /// The end-of-tick jail (off the lattice): release whoever has served their term,
    /// count the others down.
    pub(super) fn serve_terms(&mut self) {
        for i in 0..self.state.len() {
            if self.state[i] != JAILED {
                continue;
            }
            match self.citizens[i].jail_left {
                0 => {
                    if let Some(cell) = self.random_empty_cell() {
                        self.set_kind(cell, QUIET);
                        self.occupant[cell] = i as u32;
                        self.empty -= 1;
                        self.citizens[i].pos = cell as u32;
                        self.state[i] = QUIET;
                        self.jailed -= 1;
                    }
                }
                LIFE => {}
                left => self.citizens[i].jail_left = left - 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::empty;
    use super::*;
    use crate::model::civil_violence::params::ArrestRule;

    #[test]
    fn arrest_probability_counts_itself_once_under_each_rule() {
        for (rule, two_actives_one_cop) in [
            (ArrestRule::Printed, 1.0 - (-2.3f64 / 2.0).exp()),
            (ArrestRule::Floored, 0.0),
            (ArrestRule::Rounded, 0.0),
        ] {
            let p = empty(|p| p.arrest.rule = rule);
            let mut w = World::new(&p, 1);
            let me = w.put_citizen(7, 7, 0.5, 0.5);
            assert_eq!(w.arrest_probability(me).0, 0.0, "no cops, no risk");
            w.put_cop(7, 9);
            let lone = w.arrest_probability(me).0;
            assert!((lone - (1.0 - (-2.3f64).exp())).abs() < 1e-12, "C = A = 1");
            // Being active itself does not count twice.
            w.set_state(me, ACTIVE);
            assert_eq!(w.arrest_probability(me).0, lone);
            let other = w.put_citizen(6, 7, 0.5, 0.5);
            w.set_state(other, ACTIVE);
            let p2 = w.arrest_probability(me).0;
            assert!((p2 - two_actives_one_cop).abs() < 1e-12, "{rule:?}: {p2}");
            // Quiet and jailed citizens and cops out of view do not count.
            let quiet = w.put_citizen(8, 7, 0.5, 0.5);
            let jailed = w.put_citizen(8, 8, 0.5, 0.5);
            w.set_state(jailed, JAILED);
            w.put_cop(0, 0);
            assert_eq!(w.arrest_probability(me).0, p2, "{quiet} {jailed}");
        }
    }

    #[test]
    fn citizens_turn_active_when_the_cop_leaves_their_view() {
        // Run 1's deceptive behaviour at the level of one citizen: G = 0.8 (1 - 0.6)
        // = 0.32, R = 0.5. With a cop in view N = 0.45 and G - N < T: quiet. With the
        // cop out of view N = 0: active.
        let p = empty(|p| {
            p.legitimacy.level = 0.6;
            p.citizens.vision = 1.7;
            p.cops.vision = 1.7;
        });
        let mut w = World::new(&p, 1);
        let me = w.put_citizen(7, 7, 0.8, 0.5);
        let cop = w.put_cop(8, 8);
        w.decide(me);
        assert_eq!(w.state[me], QUIET);
        w.relocate(w.cop_pos[cop], 10);
        w.cop_pos[cop] = 10;
        w.decide(me);
        assert_eq!(w.state[me], ACTIVE);
        w.check();
    }

    #[test]
    fn a_cop_arrests_an_active_in_view_and_steps_onto_its_cell() {
        let p = empty(|p| {
            p.jail.max_term = 5;
            p.cops.vision = 1.7;
            p.citizens.vision = 1.7;
        });
        let mut w = World::new(&p, 3);
        let cop = w.put_cop(0, 0);
        let near = w.put_citizen(14, 14, 0.5, 0.5); // across both seams
        let far = w.put_citizen(3, 3, 0.5, 0.5);
        w.set_state(near, ACTIVE);
        w.set_state(far, ACTIVE);
        assert!(w.arrest(cop));
        assert_eq!(w.state[near], JAILED);
        assert!(w.citizens[near].jail_left <= 5);
        assert_eq!(w.cop_pos[cop], 224, "the cop is on the vacated cell");
        assert_eq!(w.state[far], ACTIVE, "out of view");
        assert!(!w.arrest(cop), "nobody left in view");
        w.check();
    }

    #[test]
    fn jailed_citizens_leave_the_lattice_and_return_after_their_term() {
        let p = empty(|p| p.jail.max_term = 3);
        let mut w = World::new(&p, 5);
        let cop = w.put_cop(0, 0);
        let me = w.put_citizen(1, 0, 0.5, 0.5);
        w.set_state(me, ACTIVE);
        w.arrest(cop);
        let term = w.citizens[me].jail_left;
        // A term of j ticks: jailed at the end of this tick and of the next j - 1.
        for _ in 0..term {
            w.serve_terms();
            assert_eq!(w.state[me], JAILED);
            w.check();
        }
        w.serve_terms();
        assert_eq!(w.state[me], QUIET);
        assert_eq!(w.jailed, 0);
        w.check();
    }

    #[test]
    fn mesa_s_jail_keeps_the_cell_and_counts_down_on_the_citizen_s_turn() {
        let p = empty(|p| {
            p.jail.rule = JailRule::InPlace;
            p.lattice.turn_order = TurnOrder::ActThenMove;
            p.cops.moves_to_arrest = false;
            p.jail.max_term = 2;
        });
        let mut w = World::new(&p, 9);
        let cop = w.put_cop(0, 0);
        let me = w.put_citizen(1, 0, 0.0, 0.5);
        w.set_state(me, ACTIVE);
        assert!(!w.arrest(cop), "the cell stays taken");
        assert_eq!(w.kind[w.citizens[me].pos as usize], JAILED);
        let term = w.citizens[me].jail_left;
        for _ in 0..term {
            w.citizen_turn(me);
            assert_eq!(w.state[me], JAILED);
        }
        w.citizen_turn(me);
        assert_eq!(w.state[me], QUIET, "free, and G = 0 keeps it quiet");
        w.check();
    }
}
