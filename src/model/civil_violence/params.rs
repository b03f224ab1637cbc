//! The civil-violence model's parameters: the paper's inputs (Epstein 2002, Table 2),
//! the switches that select between the paper, NetLogo *Rebellion* and Mesa 3.x where
//! they differ, the schedules of runs 3 to 5, and the rules that tie them together.
//!
//! This file owns the values and their validation; it does not parse files (the
//! scenario loader will) and does not simulate (see `world`).
//!
//! The presets:
//! - [`CivilViolenceParams::default`] is the paper's run 2 (punctuated equilibrium),
//!   with the floored arrest rule (see [`ArrestRule`]).
//! - [`paper_run`] gives runs 1 to 5 as the paper describes them.
//! - [`mesa_parity`] matches Mesa 3.x's bundled example, departures included.

use std::fmt;

/// How the ratio of cops to actives in view becomes the estimated arrest probability
/// P = 1 - exp(-k r).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrestRule {
    /// r = C / A, the formula printed in the paper (Epstein 2002, eq. 1). With it the
    /// paper's runs show no outbursts: a crowd outnumbering the cops three to one still
    /// faces P = 1 - exp(-2.3/3) = 0.54.
    Printed,
    /// r = floor(C / A), NetLogo *Rebellion*'s `estimated-arrest-probability`, whose Info
    /// tab says: "Without this change, the model does not exhibit punctuated
    /// equilibrium." P is 0 once actives (counting oneself) outnumber the cops in view
    /// and at least 1 - e^-2.3 = 0.90 otherwise.
    Floored,
    /// r = round(C / A) with ties to even, Mesa 3.x's `round(cops_in_vision /
    /// actives_in_vision)` (Python's `round`; `agents.py` line 120), so 1/2 gives 0 and
    /// 3/2 gives 2.
    Rounded,
}

/// Which cells an agent with vision v sees (its own cell is never part of its view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbourhood {
    /// Cells within Euclidean distance v: dx² + dy² <= v². NetLogo's `patches in-radius
    /// vision`, and the only reading under which the paper's vision of 1.7 (runs 1 and
    /// 6 to 8 of Table 2) means something: the eight neighbours. Vision 7 sees 148
    /// cells.
    Euclidean,
    /// Cells within Manhattan distance floor(v): Mesa 3.x's `OrthogonalVonNeumannGrid`
    /// and `cell.get_neighborhood(radius=vision)` (`agents.py` line 18, `model.py` line
    /// 56). Vision 7 sees 112 cells.
    VonNeumann,
    /// Cells within Chebyshev distance floor(v) (a square). Vision 7 sees 224 cells.
    Moore,
    /// The Sugarscape reading of the paper's "number of lattice positions (north,
    /// south, east, and west)": floor(v) cells along each of the four axes only. Vision
    /// 7 sees 28 cells.
    Cross,
}

/// How agents are placed at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// round(density x cells) citizens and cops on distinct uniformly random cells
    /// (NetLogo's `create-cops round (initial-cop-density * .01 * count patches)`).
    Exact,
    /// Each cell independently holds a citizen with probability `citizen_density`, else
    /// a cop with probability `cop_density`, else nobody, so the counts are binomial
    /// (Mesa 3.x, `model.py` lines 75-78: `random.choices` with `cum_weights`).
    PerCell,
}

/// What an agent does first on its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnOrder {
    /// Move (rule M), then act (rule A or C) from the new cell: the paper's "moves to a
    /// random site within his vision, where he acts in accord with rule C (if a cop) or
    /// A (if an agent)", and NetLogo's `go`.
    MoveThenAct,
    /// Act, then move: Mesa 3.x (`Citizen.step` decides then calls `self.move()`,
    /// `agents.py` lines 94-101; `Cop.step` arrests then moves, lines 155-164).
    ActThenMove,
}

/// Where a jailed citizen is and when its term counts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailRule {
    /// The paper's jail: the citizen leaves the lattice, its term counts down once at
    /// the end of each tick, and when it ends the citizen is released, quiet, to a
    /// uniformly random empty cell (it waits while the lattice is full). The paper does
    /// not say where a released agent goes; NetLogo leaves it on its arrest patch.
    OffGrid,
    /// Mesa 3.x: the citizen keeps its cell (blocking it) while jailed; its term counts
    /// down in its own turn (`agents.py` lines 89-91), so a citizen arrested earlier in
    /// the same tick already serves one tick of it; it stays "arrested" until its first
    /// free turn.
    InPlace,
}

/// The jail term an arrest draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailTerm {
    /// A whole number of ticks drawn uniformly from 0..=J_max (J_max at most
    /// 1,000,000): the paper's U(0, J_max) in whole ticks, and Mesa's `random.randint(0, max_jail_term)` (`agents.py` line
    /// 161). A term of j ticks keeps the citizen out of the next j ticks.
    UpTo(u32),
    /// Never released: the paper's J_max = infinity (Table 2, runs 3 to 5).
    Life,
}

/// A level of actives: a count, or a share of all citizens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    Actives(u32),
    /// Share of the citizens placed at the start (0-1).
    Share(f64),
}

impl Level {
    /// The level as a number of actives, for a population of `citizens`.
    pub fn resolve(self, citizens: usize) -> f64 {
        match self {
            Level::Actives(n) => f64::from(n),
            Level::Share(s) => s * citizens as f64,
        }
    }
}

/// How legitimacy changes over the run. Ticks count from 1; a change "at tick t"
/// applies before anyone acts in tick t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LegitimacySchedule {
    Constant,
    /// Falls by `per_tick` at every tick from `start_tick` on, never below `to` (the
    /// paper's run 3: "in small increments").
    Decline {
        start_tick: u32,
        per_tick: f64,
        to: f64,
    },
    /// Drops by `amount` at `tick` and stays there (the paper's run 4: "in one jump").
    Drop {
        tick: u32,
        amount: f64,
    },
}

/// How the number of cops changes over the run (the paper's run 5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CopSchedule {
    Constant,
    /// From `start_tick` on, `per_tick` cops (fractions accumulate) are withdrawn each
    /// tick, chosen uniformly at random, until round(`to_density` x cells) remain.
    Reduce {
        start_tick: u32,
        per_tick: f64,
        to_density: f64,
    },
    /// At `tick`, uniformly random cops are withdrawn, or new ones placed on uniformly
    /// random empty cells (as many as fit), until round(`density` x cells) remain.
    SetDensity {
        tick: u32,
        density: f64,
    },
}

/// Everything one run of the civil-violence model needs besides its seed.
#[derive(Debug, Clone, PartialEq)]
pub struct CivilViolenceParams {
    /// Torus width in cells (1-10,000).
    pub width: u32,
    /// Torus height in cells (1-10,000).
    pub height: u32,
    /// Citizens per cell at the start (0-1); the paper's "initial population density".
    pub citizen_density: f64,
    /// Cops per cell at the start (0-1); citizen plus cop density is at most 1.
    pub cop_density: f64,
    pub placement: Placement,
    /// Citizens' vision v in cells (at least 1, and 2 floor(v) + 1 at most the shorter
    /// side so no cell is seen twice).
    pub citizen_vision: f64,
    /// Cops' vision v* in cells (same limits).
    pub cop_vision: f64,
    pub neighbourhood: Neighbourhood,
    /// Legitimacy L at the start (0-1), common to all citizens.
    pub legitimacy: f64,
    pub legitimacy_schedule: LegitimacySchedule,
    pub cop_schedule: CopSchedule,
    /// Activation threshold T: active iff G - R P > T (the paper's 0.1; -1 to 1).
    pub threshold: f64,
    /// Arrest constant k (the paper's 2.3, so that P = 0.9 when C = A = 1; 0-100).
    pub k: f64,
    pub arrest_rule: ArrestRule,
    pub jail_term: JailTerm,
    pub jail_rule: JailRule,
    pub turn_order: TurnOrder,
    /// Whether citizens move (rule M); cops always move. Off in the paper's run 1.
    pub citizens_move: bool,
    /// Whether an arresting cop steps onto its arrestee's cell (NetLogo's `move-to
    /// suspect`; the paper does not say). Only possible when the arrest vacates the
    /// cell ([`JailRule::OffGrid`]); a cop that moved there makes no other move that
    /// turn.
    pub cop_moves_to_arrest: bool,
    /// Actives above which an outburst is under way (the paper counts outbursts
    /// "exceeding 50").
    pub outburst_level: Level,
    /// Actives above which society has tipped into rebellion (time to tipping).
    pub tipping_level: Level,
    /// Measured ticks (1-1,000,000).
    pub ticks: u32,
    /// Ticks simulated before measurement starts (0-1,000,000); they appear in the
    /// series but not in the metrics.
    pub warmup_ticks: u32,
}

impl Default for CivilViolenceParams {
    /// The paper's run 2 (Table 2: vision 7, L = 0.82, J_max = 30, cop density 0.04),
    /// with the floored arrest rule, over 1,000 ticks.
    fn default() -> Self {
        CivilViolenceParams {
            width: 40,
            height: 40,
            citizen_density: 0.7,
            cop_density: 0.04,
            placement: Placement::Exact,
            citizen_vision: 7.0,
            cop_vision: 7.0,
            neighbourhood: Neighbourhood::Euclidean,
            legitimacy: 0.82,
            legitimacy_schedule: LegitimacySchedule::Constant,
            cop_schedule: CopSchedule::Constant,
            threshold: 0.1,
            k: 2.3,
            arrest_rule: ArrestRule::Floored,
            jail_term: JailTerm::UpTo(30),
            jail_rule: JailRule::OffGrid,
            turn_order: TurnOrder::MoveThenAct,
            citizens_move: true,
            cop_moves_to_arrest: true,
            outburst_level: Level::Actives(50),
            tipping_level: Level::Share(0.1),
            ticks: 1000,
            warmup_ticks: 0,
        }
    }
}

/// The tick of the legitimacy jump in runs 3 and 4 (the jump of the paper's Fig. 10 is
/// reported at t = 77). At L = 0.9 nobody can be active (G <= 0.1 = T), so this tick
/// only shifts the run.
pub const LEGITIMACY_CHANGE_TICK: u32 = 77;

/// The paper's runs 1 to 5 (Epstein 2002, Table 2; all on a 40 x 40 torus with
/// citizen density 0.7, k = 2.3, T = 0.1), with the floored arrest rule (without it
/// none of them shows its result; see [`ArrestRule`]):
///
/// 1. Deceptive behaviour: vision 1.7, L = 0.89, J_max = 15, cop density 0.04,
///    citizens do not move (cops do). 500 ticks.
/// 2. Punctuated equilibrium: vision 7, L = 0.82, J_max = 30, cop density 0.04.
///    1,000 ticks.
/// 3. Gradual decline: vision 7, L = 0.9 falling by 0.01 a tick ("of a percent per
///    cycle") to 0.2 from tick 77, life terms, cop density 0.074. 300 ticks.
/// 4. Sudden drop: as run 3, but L drops from 0.9 to 0.7 "in one jump" at tick 77.
/// 5. Cop reduction: vision 7, L = 0.8, life terms, cop density 0.074, a quarter of a
///    cop withdrawn per tick from tick 50 until none is left (the pace is ours; the
///    paper reduces cops "in increments"). 700 ticks.
///
/// # Panics
/// If `n` is not 1 to 5.
pub fn paper_run(n: u8) -> CivilViolenceParams {
    let base = CivilViolenceParams::default();
    match n {
        1 => CivilViolenceParams {
            citizen_vision: 1.7,
            cop_vision: 1.7,
            legitimacy: 0.89,
            jail_term: JailTerm::UpTo(15),
            citizens_move: false,
            ticks: 500,
            ..base
        },
        2 => base,
        3 | 4 => CivilViolenceParams {
            legitimacy: 0.9,
            cop_density: 0.074,
            jail_term: JailTerm::Life,
            legitimacy_schedule: if n == 3 {
                LegitimacySchedule::Decline {
                    start_tick: LEGITIMACY_CHANGE_TICK,
                    per_tick: 0.01,
                    to: 0.2,
                }
            } else {
                LegitimacySchedule::Drop {
                    tick: LEGITIMACY_CHANGE_TICK,
                    amount: 0.2,
                }
            },
            ticks: 300,
            ..base
        },
        5 => CivilViolenceParams {
            legitimacy: 0.8,
            cop_density: 0.074,
            jail_term: JailTerm::Life,
            cop_schedule: CopSchedule::Reduce {
                start_tick: 50,
                per_tick: 0.25,
                to_density: 0.0,
            },
            ticks: 700,
            ..base
        },
        _ => panic!("the paper has runs 1 to 5 of model I, not {n}"),
    }
}

/// Mesa 3.x's bundled example (`mesa/examples/advanced/epstein_civil_violence`,
/// `model.py` defaults, lines 38-51): a 40 x 40 torus, citizen density 0.7, cop
/// density 0.074, vision 7, legitimacy 0.8, J_max = 1000, T = 0.1, k = 2.3, movement
/// on, 1,000 steps (`max_iters`), with Mesa's departures from the paper: the rounded
/// ratio, a von Neumann view, per-cell placement, act-then-move turns and jail in
/// place (see each switch for its source line).
pub fn mesa_parity() -> CivilViolenceParams {
    CivilViolenceParams {
        cop_density: 0.074,
        placement: Placement::PerCell,
        neighbourhood: Neighbourhood::VonNeumann,
        legitimacy: 0.8,
        arrest_rule: ArrestRule::Rounded,
        jail_term: JailTerm::UpTo(1000),
        jail_rule: JailRule::InPlace,
        turn_order: TurnOrder::ActThenMove,
        cop_moves_to_arrest: false,
        ..CivilViolenceParams::default()
    }
}

/// A broken rule, naming the fields that break it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsError {
    pub fields: Vec<&'static str>,
    pub message: String,
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.fields.join(", "), self.message)
    }
}

impl std::error::Error for ParamsError {}

/// Largest torus side.
const MAX_SIDE: u32 = 10_000;

/// Longest run (measured plus warm-up ticks).
const MAX_TICKS: u64 = 1_000_000;

/// Longest finite jail term, in ticks.
const MAX_JAIL_TERM: u32 = 1_000_000;

impl CivilViolenceParams {
    /// Cells on the torus.
    pub fn cells(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// Legitimacy during tick `tick` (ticks count from 1).
    pub fn legitimacy_at(&self, tick: u32) -> f64 {
        let l0 = self.legitimacy;
        match self.legitimacy_schedule {
            LegitimacySchedule::Constant => l0,
            LegitimacySchedule::Decline {
                start_tick,
                per_tick,
                to,
            } => {
                if tick < start_tick {
                    l0
                } else {
                    (l0 - per_tick * f64::from(tick - start_tick + 1)).max(to)
                }
            }
            LegitimacySchedule::Drop { tick: at, amount } => {
                if tick < at {
                    l0
                } else {
                    l0 - amount
                }
            }
        }
    }

    /// The number of cops the schedule asks for during tick `tick`, given the number
    /// placed at the start; `None` when the schedule does not act at this tick.
    pub fn cop_target_at(&self, tick: u32, initial_cops: usize) -> Option<usize> {
        let cells = self.cells() as f64;
        match self.cop_schedule {
            CopSchedule::Constant => None,
            CopSchedule::Reduce {
                start_tick,
                per_tick,
                to_density,
            } => {
                if tick < start_tick {
                    return None;
                }
                let floor = (to_density * cells).round() as usize;
                let withdrawn = (per_tick * f64::from(tick - start_tick + 1)).floor() as usize;
                Some(
                    initial_cops
                        .saturating_sub(withdrawn)
                        .max(floor)
                        .min(initial_cops),
                )
            }
            CopSchedule::SetDensity { tick: at, density } => {
                (tick == at).then(|| (density * cells).round() as usize)
            }
        }
    }

    /// Checks every rule; returns each one broken (empty when the parameters can run).
    ///
    /// # Examples
    /// ```
    /// use cogov::model::civil_violence::CivilViolenceParams;
    /// assert!(CivilViolenceParams::default().validate().is_empty());
    /// let crowded = CivilViolenceParams { citizen_density: 0.97, ..Default::default() };
    /// let errors = crowded.validate();
    /// assert_eq!(errors[0].fields, ["citizen_density", "cop_density"]);
    /// ```
    pub fn validate(&self) -> Vec<ParamsError> {
        let mut errors = Vec::new();
        let mut fail = |fields: &[&'static str], message: String| {
            errors.push(ParamsError {
                fields: fields.to_vec(),
                message,
            })
        };
        for (name, side) in [("width", self.width), ("height", self.height)] {
            if side == 0 || side > MAX_SIDE {
                fail(
                    &[name],
                    format!("must be 1 to {MAX_SIDE} cells, found {side}"),
                );
            }
        }
        let unit = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        for (name, d) in [
            ("citizen_density", self.citizen_density),
            ("cop_density", self.cop_density),
        ] {
            if !unit(d) {
                fail(
                    &[name],
                    format!("must be a share of cells (0-1), found {d}"),
                );
            }
        }
        if unit(self.citizen_density) && unit(self.cop_density) {
            let cells = self.cells() as f64;
            let citizens = (self.citizen_density * cells).round();
            let cops = (self.cop_density * cells).round();
            if self.citizen_density + self.cop_density > 1.0 + 1e-12
                || (self.placement == Placement::Exact && citizens + cops > cells)
            {
                fail(
                    &["citizen_density", "cop_density"],
                    format!(
                        "citizens and cops need a cell each: densities {} + {} leave no room on {} cells",
                        self.citizen_density, self.cop_density, cells
                    ),
                );
            }
        }
        let shorter = self.width.min(self.height);
        for (name, v) in [
            ("citizen_vision", self.citizen_vision),
            ("cop_vision", self.cop_vision),
        ] {
            if !v.is_finite() || v < 1.0 {
                fail(&[name], format!("must be at least 1 cell, found {v}"));
            } else if 2.0 * v.floor() + 1.0 > f64::from(shorter) {
                fail(
                    &[name, "width", "height"],
                    format!(
                        "a vision of {v} sees {} cells across, more than the torus's shorter side of {shorter} (a cell would be seen twice)",
                        2.0 * v.floor() + 1.0
                    ),
                );
            }
        }
        if !unit(self.legitimacy) {
            fail(
                &["legitimacy"],
                format!("must be 0 to 1, found {}", self.legitimacy),
            );
        }
        match self.legitimacy_schedule {
            LegitimacySchedule::Constant => {}
            LegitimacySchedule::Decline { per_tick, to, .. } => {
                if !per_tick.is_finite() || !(0.0..=1.0).contains(&per_tick) {
                    fail(
                        &["legitimacy_schedule.per_tick"],
                        format!("must be 0 to 1 per tick, found {per_tick}"),
                    );
                }
                if !unit(to) || to > self.legitimacy {
                    fail(
                        &["legitimacy_schedule.to", "legitimacy"],
                        format!(
                            "a decline must end between 0 and the starting legitimacy {}, found {to}",
                            self.legitimacy
                        ),
                    );
                }
            }
            LegitimacySchedule::Drop { amount, .. } => {
                if !amount.is_finite() || amount < 0.0 || amount > self.legitimacy {
                    fail(
                        &["legitimacy_schedule.amount", "legitimacy"],
                        format!(
                            "a drop must be 0 to the starting legitimacy {}, found {amount}",
                            self.legitimacy
                        ),
                    );
                }
            }
        }
        match self.cop_schedule {
            CopSchedule::Constant => {}
            CopSchedule::Reduce {
                per_tick,
                to_density,
                ..
            } => {
                if !per_tick.is_finite() || per_tick < 0.0 {
                    fail(
                        &["cop_schedule.per_tick"],
                        format!(
                            "must be a number of cops per tick of at least 0, found {per_tick}"
                        ),
                    );
                }
                if !unit(to_density) {
                    fail(
                        &["cop_schedule.to_density"],
                        format!("must be 0 to 1, found {to_density}"),
                    );
                }
            }
            CopSchedule::SetDensity { density, .. } => {
                if !unit(density) {
                    fail(
                        &["cop_schedule.density"],
                        format!("must be 0 to 1, found {density}"),
                    );
                }
            }
        }
        if let JailTerm::UpTo(j) = self.jail_term
            && j > MAX_JAIL_TERM
        {
            fail(
                &["jail_term"],
                format!(
                    "a jail term is at most {MAX_JAIL_TERM} ticks (use a life term beyond), found {j}"
                ),
            );
        }
        if !self.threshold.is_finite() || !(-1.0..=1.0).contains(&self.threshold) {
            fail(
                &["threshold"],
                format!("must be -1 to 1, found {}", self.threshold),
            );
        }
        if !self.k.is_finite() || !(0.0..=100.0).contains(&self.k) {
            fail(&["k"], format!("must be 0 to 100, found {}", self.k));
        }
        for (name, level) in [
            ("outburst_level", self.outburst_level),
            ("tipping_level", self.tipping_level),
        ] {
            if let Level::Share(s) = level
                && !unit(s)
            {
                fail(
                    &[name],
                    format!("a share of citizens must be 0 to 1, found {s}"),
                );
            }
        }
        if self.ticks == 0 {
            fail(&["ticks"], "must be at least 1".to_string());
        }
        if u64::from(self.ticks) + u64::from(self.warmup_ticks) > MAX_TICKS {
            fail(
                &["ticks", "warmup_ticks"],
                format!(
                    "a run is at most {MAX_TICKS} ticks, found {} + {}",
                    self.ticks, self.warmup_ticks
                ),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(p: &CivilViolenceParams) -> Vec<Vec<&'static str>> {
        p.validate().into_iter().map(|e| e.fields).collect()
    }

    #[test]
    fn presets_validate() {
        assert!(CivilViolenceParams::default().validate().is_empty());
        assert!(mesa_parity().validate().is_empty());
        for n in 1..=5 {
            assert!(paper_run(n).validate().is_empty(), "run {n}");
        }
        assert_eq!(paper_run(2), CivilViolenceParams::default());
    }

    #[test]
    fn mesa_parity_has_mesa_s_inputs() {
        let m = mesa_parity();
        assert_eq!((m.width, m.height), (40, 40));
        assert_eq!((m.citizen_density, m.cop_density), (0.7, 0.074));
        assert_eq!((m.citizen_vision, m.cop_vision), (7.0, 7.0));
        assert_eq!((m.legitimacy, m.jail_term), (0.8, JailTerm::UpTo(1000)));
        assert_eq!((m.threshold, m.k), (0.1, 2.3));
    }

    #[test]
    fn impossible_configurations_are_refused_by_field() {
        let base = CivilViolenceParams::default();
        let zero = CivilViolenceParams {
            width: 0,
            ..base.clone()
        };
        assert!(fields(&zero).contains(&vec!["width"]));
        let crowded = CivilViolenceParams {
            citizen_density: 0.9,
            cop_density: 0.2,
            ..base.clone()
        };
        assert_eq!(fields(&crowded), [vec!["citizen_density", "cop_density"]]);
        // Densities that sum to 1 can still overflow once rounded to whole agents.
        let rounded = CivilViolenceParams {
            width: 3,
            height: 3,
            citizen_vision: 1.0,
            cop_vision: 1.0,
            citizen_density: 0.5,
            cop_density: 0.5,
            ..base.clone()
        };
        assert_eq!(fields(&rounded), [vec!["citizen_density", "cop_density"]]);
        let negative = CivilViolenceParams {
            cop_density: -0.1,
            ..base.clone()
        };
        assert_eq!(fields(&negative), [vec!["cop_density"]]);
        let wraps = CivilViolenceParams {
            width: 14,
            ..base.clone()
        };
        assert_eq!(
            fields(&wraps),
            [
                vec!["citizen_vision", "width", "height"],
                vec!["cop_vision", "width", "height"]
            ]
        );
        let blind = CivilViolenceParams {
            cop_vision: 0.5,
            ..base.clone()
        };
        assert_eq!(fields(&blind), [vec!["cop_vision"]]);
        let rising = CivilViolenceParams {
            legitimacy_schedule: LegitimacySchedule::Decline {
                start_tick: 1,
                per_tick: 0.01,
                to: 0.9,
            },
            ..base.clone()
        };
        assert_eq!(
            fields(&rising),
            [vec!["legitimacy_schedule.to", "legitimacy"]]
        );
        let below_zero = CivilViolenceParams {
            legitimacy_schedule: LegitimacySchedule::Drop {
                tick: 1,
                amount: 0.9,
            },
            ..base.clone()
        };
        assert_eq!(
            fields(&below_zero),
            [vec!["legitimacy_schedule.amount", "legitimacy"]]
        );
        let no_ticks = CivilViolenceParams {
            ticks: 0,
            ..base.clone()
        };
        assert_eq!(fields(&no_ticks), [vec!["ticks"]]);
        let nan_k = CivilViolenceParams {
            k: f64::NAN,
            ..base
        };
        assert_eq!(fields(&nan_k), [vec!["k"]]);
    }

    #[test]
    fn legitimacy_schedules_follow_their_definitions() {
        let mut p = paper_run(3);
        assert_eq!(p.legitimacy_at(76), 0.9);
        assert!((p.legitimacy_at(77) - 0.89).abs() < 1e-12);
        assert!((p.legitimacy_at(96) - 0.7).abs() < 1e-12);
        assert_eq!(p.legitimacy_at(500), 0.2, "floored at `to`");
        p = paper_run(4);
        assert_eq!(p.legitimacy_at(76), 0.9);
        assert!((p.legitimacy_at(77) - 0.7).abs() < 1e-12);
        assert!((p.legitimacy_at(300) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn cop_schedules_follow_their_definitions() {
        let p = paper_run(5);
        assert_eq!(p.cop_target_at(49, 118), None);
        assert_eq!(
            p.cop_target_at(50, 118),
            Some(118),
            "a quarter cop is no cop"
        );
        assert_eq!(p.cop_target_at(53, 118), Some(117));
        assert_eq!(p.cop_target_at(10_000, 118), Some(0));
        let set = CivilViolenceParams {
            cop_schedule: CopSchedule::SetDensity {
                tick: 10,
                density: 0.01,
            },
            ..Default::default()
        };
        assert_eq!(set.cop_target_at(9, 64), None);
        assert_eq!(set.cop_target_at(10, 64), Some(16));
        assert_eq!(set.cop_target_at(11, 64), None);
    }

    #[test]
    fn levels_resolve_against_the_population() {
        assert_eq!(Level::Actives(50).resolve(1120), 50.0);
        assert_eq!(Level::Share(0.1).resolve(1120), 112.0);
    }
}
