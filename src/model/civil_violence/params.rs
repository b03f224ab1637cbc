//! The civil-violence model's parameters, declared once: the table of every parameter
//! a scenario with `model = "civil_violence"` may set (type, default, range, unit,
//! meaning and source; Epstein 2002, PNAS 99 suppl. 3:7243-7250, Table 2, and the
//! switches that select between the paper, NetLogo *Rebellion* and Mesa 3.x where
//! they differ), the choices its switches name, the rules that tie parameters
//! together ([`CvParams::validate`]) and the presets.
//!
//! The table's struct, [`CvParams`], is the model's input: the world reads its
//! sections, and `simulate` runs only parameters that pass `validate`. This file does
//! not parse files (the scenario loader does) and does not simulate (see `world`); the
//! schedules' formulas are rules (`rules.rs`).
//!
//! The presets, all of type [`CvParams`]:
//! - [`CvParams::default`] is the paper's run 2 (punctuated equilibrium), with the
//!   floored arrest rule (see [`ArrestRule`]).
//! - [`paper_run`] gives runs 1 to 5 as the paper describes them.
//! - [`mesa_parity`] matches Mesa 3.x's bundled example, departures included.
//!
//! `scenarios/reference/` holds the same presets as scenario files; an integration
//! test holds them equal.

use crate::schema::{ConstraintError, choice_field, define_params};

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
choice_field!(ArrestRule {
    Printed => "printed",
    Floored => "floored",
    Rounded => "rounded",
});

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
choice_field!(Neighbourhood {
    Euclidean => "euclidean",
    VonNeumann => "von_neumann",
    Moore => "moore",
    Cross => "cross",
});

/// How agents are placed at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// round(density x cells) citizens and cops on distinct uniformly random cells
    /// (NetLogo's `create-cops round (initial-cop-density * .01 * count patches)`).
    Exact,
    /// Each cell independently holds a citizen with probability `citizens.density`,
    /// else a cop with probability `cops.density`, else nobody, so the counts are
    /// binomial (Mesa 3.x, `model.py` lines 75-78: `random.choices` with
    /// `cum_weights`).
    PerCell,
}
choice_field!(Placement {
    Exact => "exact",
    PerCell => "per_cell",
});

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
choice_field!(TurnOrder {
    MoveThenAct => "move_then_act",
    ActThenMove => "act_then_move",
});

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
choice_field!(JailRule {
    OffGrid => "off_grid",
    InPlace => "in_place",
});

/// How legitimacy changes over a run (the `legitimacy` section's fields say by how
/// much and when). Ticks count from 1; a change "at tick t" applies before anyone
/// acts in tick t.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegitimacySchedule {
    /// Legitimacy stays at `level`.
    Constant,
    /// Falls by `per_tick` at every tick from `change_tick` on, never below `floor`
    /// (the paper's run 3: "in small increments").
    Decline,
    /// Drops by `drop` at `change_tick` and stays there (the paper's run 4: "in one
    /// jump").
    Drop,
}
choice_field!(LegitimacySchedule {
    Constant => "constant",
    Decline => "decline",
    Drop => "drop",
});

/// How the number of cops changes over a run (the paper's run 5; the `cops`
/// section's fields say by how much and when).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopSchedule {
    /// The cops placed at the start stay.
    Constant,
    /// From `change_tick` on, `per_tick` cops (fractions accumulate) are withdrawn each
    /// tick, chosen uniformly at random, until round(`target_density` x cells) remain.
    Reduce,
    /// At `change_tick`, uniformly random cops are withdrawn, or new ones placed on
    /// uniformly random empty cells (as many as fit), until round(`target_density` x
    /// cells) remain.
    SetDensity,
}
choice_field!(CopSchedule {
    Constant => "constant",
    Reduce => "reduce",
    SetDensity => "set_density",
});

/// The tick of the legitimacy jump in runs 3 and 4 (the jump of the paper's Fig. 10 is
/// reported at t = 77), and `legitimacy.change_tick`'s default. At L = 0.9 nobody can
/// be active (G <= 0.1 = T), so this tick only shifts the run.
pub const LEGITIMACY_CHANGE_TICK: u32 = 77;

define_params! {
    /// Every parameter of a civil-violence run, the model's input: typed and
    /// range-checked by `set`, tied together by [`CvParams::validate`].
    pub struct CvParams;
    /// Every civil-violence parameter's definition, in declaration order.
    pub static CV_PARAM_DEFS;

    /// Length of a run and the replication defaults.
    run: CvRun {
        /// Measured ticks; the end-of-run metrics cover them.
        ticks: u32 = 1000, range 1 => 1_000_000, unit "ticks",
            source "Epstein 2002, Fig. 4: run 2 is shown over 1,000 cycles";
        /// Ticks simulated before measuring; they appear in the time series, not in
        /// the metrics.
        warmup_ticks: u32 = 0, range 0 => 1_000_000, unit "ticks",
            source "convention: the paper measures from the first cycle";
        /// Monte Carlo replications `cogov run` performs unless `--replications` says
        /// otherwise.
        replications: u32 = 20, range 1 => 10_000_000, unit "runs",
            source "convention: 20 gives 95% intervals about 0.45 standard deviations wide";
        /// Base seed. Replication i uses a stream derived from (seed, i) only.
        seed: u64 = 20_261_126, range 0 => 9_007_199_254_740_991u64, unit "integer",
            source "convention";
    }

    /// The torus and the order of a tick.
    lattice: Lattice {
        /// Torus width in cells.
        width: u32 = 40, range 1 => 10_000, unit "cells",
            source "Epstein 2002, Table 2: a 40 x 40 lattice in every run";
        /// Torus height in cells.
        height: u32 = 40, range 1 => 10_000, unit "cells",
            source "Epstein 2002, Table 2";
        /// Which cells an agent with vision v sees: `euclidean` (dx^2 + dy^2 <= v^2;
        /// NetLogo's in-radius), `von_neumann` (Manhattan distance <= floor(v); Mesa
        /// 3.x), `moore` (a square) or `cross` (floor(v) cells along each axis; the
        /// paper's "north, south, east, and west").
        neighbourhood: Neighbourhood = Neighbourhood::Euclidean, range 0 => 0, unit "choice",
            source "Epstein 2002, Table 2: vision 1.7 only means something as a Euclidean radius; NetLogo Rebellion uses in-radius";
        /// How agents are placed: `exact` (round(density x cells) of each on distinct
        /// random cells; NetLogo) or `per_cell` (each cell draws a citizen, else a
        /// cop, else nobody, so counts are binomial; Mesa 3.x `model.py` lines 75-78).
        placement: Placement = Placement::Exact, range 0 => 0, unit "choice",
            source "NetLogo Rebellion: create-cops round (initial-cop-density * .01 * count patches)";
        /// What an agent does first on its turn: `move_then_act` (the paper: "moves to a
        /// random site within his vision, where he acts") or `act_then_move` (Mesa 3.x,
        /// `agents.py` lines 94-101 and 155-164).
        turn_order: TurnOrder = TurnOrder::MoveThenAct, range 0 => 0, unit "choice",
            source "Epstein 2002, p. 7244 (movement rule M)";
    }

    /// Citizens: rule A (activation) and movement.
    citizens: Citizens {
        /// Citizens per cell at the start; citizen plus cop density is at most 1.
        density: f64 = 0.7, range 0.0 => 1.0, unit "share of cells",
            source "Epstein 2002, Table 2: initial population density 0.7";
        /// Citizens' vision v: how far they see cops and actives (see
        /// `lattice.neighbourhood`); 2 floor(v) + 1 must fit the torus's shorter side.
        vision: f64 = 7.0, range 1.0 => 5_000.0, unit "cells",
            source "Epstein 2002, Table 2: 7 (runs 2 to 5), 1.7 (run 1)";
        /// Activation threshold T: a citizen is active iff G - R P > T.
        threshold: f64 = 0.1, range -1.0 => 1.0, unit "grievance",
            source "Epstein 2002, Table 2: T = 0.1";
        /// Whether citizens move (rule M). Off in the paper's run 1; cops always move.
        movement: bool = true, range 0 => 1, unit "switch",
            source "Epstein 2002, run 1 (no movement); NetLogo Rebellion movement?";
    }

    /// Cops: rule C (arrest), movement and the cop schedule of run 5.
    cops: Cops {
        /// Cops per cell at the start.
        density: f64 = 0.04, range 0.0 => 1.0, unit "share of cells",
            source "Epstein 2002, Table 2: 0.04 (runs 1, 2), 0.074 (runs 3 to 5)";
        /// Cops' vision v* (same neighbourhood and limit as citizens').
        vision: f64 = 7.0, range 1.0 => 5_000.0, unit "cells",
            source "Epstein 2002, Table 2: 7 (runs 2 to 5), 1.7 (run 1)";
        /// Whether an arresting cop steps onto its arrestee's cell (NetLogo's `move-to
        /// suspect`; only with `jail.rule = "off_grid"`, which vacates the cell).
        moves_to_arrest: bool = true, range 0 => 1, unit "switch",
            source "NetLogo Rebellion (move-to suspect); the paper does not say";
        /// How the number of cops changes: `constant`; `reduce` (from `change_tick`,
        /// `per_tick` cops withdrawn each tick, fractions accumulating, down to
        /// `target_density`: the paper's run 5); `set_density` (at `change_tick` cops
        /// are withdrawn or added until `target_density` x cells remain).
        schedule: CopSchedule = CopSchedule::Constant, range 0 => 0, unit "choice",
            source "Epstein 2002, run 5: cops reduced in increments";
        /// The tick at which the cop schedule starts (ticks count from 1; a change at
        /// tick t applies before anyone acts in it).
        change_tick: u32 = 50, range 1 => 1_000_000, unit "tick",
            plausible 1 => 1000,
            source "free parameter: any tick of the run (1 to run.ticks; the paper's runs last 1000 ticks or less)";
        /// Cops withdrawn per tick under `reduce` (0.25: one every four ticks).
        per_tick: f64 = 0.25, range 0.0 => 1_000_000.0, unit "cops per tick",
            plausible 0.05 => 5,
            source "free parameter: the paper gives no pace";
        /// Cop density the schedule ends at (`reduce`) or sets (`set_density`).
        target_density: f64 = 0.0, range 0.0 => 1.0, unit "share of cells",
            source "Epstein 2002, run 5";
    }

    /// Legitimacy L, common to all citizens, and its schedule (runs 3 and 4).
    legitimacy: Legitimacy {
        /// Legitimacy at the start; grievance G = H (1 - L).
        level: f64 = 0.82, range 0.0 => 1.0, unit "legitimacy (0-1)",
            source "Epstein 2002, Table 2: 0.82 (run 2), 0.89 (run 1), 0.9 (runs 3, 4), 0.8 (run 5)";
        /// How legitimacy changes: `constant`; `decline` (by `per_tick` each tick from
        /// `change_tick`, never below `floor`: run 3); `drop` (by `drop` at
        /// `change_tick`: run 4).
        schedule: LegitimacySchedule = LegitimacySchedule::Constant, range 0 => 0, unit "choice",
            source "Epstein 2002, runs 3 and 4";
        /// The tick at which the schedule starts (the jump of the paper's Fig. 10 is
        /// at t = 77).
        change_tick: u32 = LEGITIMACY_CHANGE_TICK, range 1 => 1_000_000, unit "tick",
            source "Epstein 2002, Fig. 10";
        /// Fall per tick under `decline` ("of a percent per cycle").
        per_tick: f64 = 0.01, range 0.0 => 1.0, unit "legitimacy per tick",
            source "Epstein 2002, run 3";
        /// Lowest legitimacy a `decline` reaches; at most `level`.
        floor: f64 = 0.2, range 0.0 => 1.0, unit "legitimacy (0-1)",
            plausible 0.0 => 0.8,
            source "free parameter: at most legitimacy.level (0.8 in run 3, which falls well past run 4's 0.7)";
        /// Size of the jump under `drop`; at most `level`.
        drop: f64 = 0.2, range 0.0 => 1.0, unit "legitimacy",
            source "Epstein 2002, run 4: 0.9 to 0.7 in one jump";
    }

    /// Rule C's arrest probability estimate P = 1 - exp(-k r).
    arrest: Arrest {
        /// Arrest constant k (P = 0.9 when one cop faces one active).
        k: f64 = 2.3, range 0.0 => 100.0, unit "constant",
            source "Epstein 2002, Table 2: k = 2.3";
        /// The ratio r of cops C to actives A in view (A counts the citizen itself):
        /// `printed` (C/A, the paper's eq. 1), `floored` (floor(C/A), NetLogo
        /// Rebellion, whose Info tab says the paper's punctuated equilibrium needs it)
        /// or `rounded` (round(C/A), ties to even, Mesa 3.x `agents.py` line 120).
        rule: ArrestRule = ArrestRule::Floored, range 0 => 0, unit "choice",
            source "NetLogo Rebellion (Wilensky 2004), estimated-arrest-probability";
    }

    /// Jail terms and where jailed citizens are.
    jail: Jail {
        /// J_max: an arrest draws a term of 0..=J_max whole ticks.
        max_term: u32 = 30, range 0 => 1_000_000, unit "ticks",
            source "Epstein 2002, Table 2: 30 (run 2), 15 (run 1); Mesa 3.x 1000";
        /// Life terms: arrested citizens are never released (the paper's J_max =
        /// infinity, runs 3 to 5); `max_term` is then unused.
        life: bool = false, range 0 => 1, unit "switch",
            source "Epstein 2002, Table 2: J_max infinite in runs 3 to 5";
        /// `off_grid` (the paper: the jailed leave the lattice and are released, quiet,
        /// to a random empty cell) or `in_place` (Mesa 3.x: they keep their cell and
        /// serve their term on their own turns, `agents.py` lines 89-91).
        rule: JailRule = JailRule::OffGrid, range 0 => 0, unit "choice",
            source "Epstein 2002, p. 7244; Mesa 3.x agents.py";
    }

    /// The levels of actives the run's metrics count by.
    outbursts: Outbursts {
        /// An outburst is a maximal run of ticks with actives strictly above this.
        level: u32 = 50, range 0 => 100_000_000, unit "actives",
            source "Epstein 2002, p. 7245: outbursts exceeding 50 actives";
        /// Society has tipped into rebellion (time_to_tipping) once actives exceed this
        /// share of the citizens placed at the start.
        tipping_share: f64 = 0.1, range 0.0 => 1.0, unit "share of citizens",
            plausible 0.05 => 0.5,
            source "free parameter";
    }
}

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
pub fn paper_run(n: u8) -> CvParams {
    let mut p = CvParams::default();
    match n {
        1 => {
            p.citizens.vision = 1.7;
            p.cops.vision = 1.7;
            p.legitimacy.level = 0.89;
            p.jail.max_term = 15;
            p.citizens.movement = false;
            p.run.ticks = 500;
        }
        2 => {}
        3 | 4 => {
            p.legitimacy.level = 0.9;
            p.cops.density = 0.074;
            p.jail.life = true;
            let l = &mut p.legitimacy;
            l.change_tick = LEGITIMACY_CHANGE_TICK;
            if n == 3 {
                l.schedule = LegitimacySchedule::Decline;
                l.per_tick = 0.01;
                l.floor = 0.2;
            } else {
                l.schedule = LegitimacySchedule::Drop;
                l.drop = 0.2;
            }
            p.run.ticks = 300;
        }
        5 => {
            p.legitimacy.level = 0.8;
            p.cops.density = 0.074;
            p.jail.life = true;
            let c = &mut p.cops;
            c.schedule = CopSchedule::Reduce;
            c.change_tick = 50;
            c.per_tick = 0.25;
            c.target_density = 0.0;
            p.run.ticks = 700;
        }
        _ => panic!("the paper has runs 1 to 5 of model I, not {n}"),
    }
    p
}

/// Mesa 3.x's bundled example (`mesa/examples/advanced/epstein_civil_violence`,
/// `model.py` defaults, lines 38-51): a 40 x 40 torus, citizen density 0.7, cop
/// density 0.074, vision 7, legitimacy 0.8, J_max = 1000, T = 0.1, k = 2.3, movement
/// on, 1,000 steps (`max_iters`), with Mesa's departures from the paper: the rounded
/// ratio, a von Neumann view, per-cell placement, act-then-move turns and jail in
/// place (see each switch for its source line).
pub fn mesa_parity() -> CvParams {
    let mut p = CvParams::default();
    p.cops.density = 0.074;
    p.lattice.placement = Placement::PerCell;
    p.lattice.neighbourhood = Neighbourhood::VonNeumann;
    p.legitimacy.level = 0.8;
    p.arrest.rule = ArrestRule::Rounded;
    p.jail.max_term = 1000;
    p.jail.rule = JailRule::InPlace;
    p.lattice.turn_order = TurnOrder::ActThenMove;
    p.cops.moves_to_arrest = false;
    p
}

/// Largest torus side.
const MAX_SIDE: u32 = 10_000;

/// Longest run (measured plus warm-up ticks).
const MAX_TICKS: u64 = 1_000_000;

/// Longest finite jail term, in ticks.
const MAX_JAIL_TERM: u32 = 1_000_000;

/// The table path of field `section.field` of [`CvParams`], as `define_params!` spells
/// it; naming a field the table does not have is a compile error.
macro_rules! path {
    ($section:ident . $field:ident) => {{
        fn _exists(p: &CvParams) {
            let _ = &p.$section.$field;
        }
        concat!(stringify!($section), ".", stringify!($field))
    }};
}

impl CvParams {
    /// Cells on the torus.
    pub fn cells(&self) -> usize {
        self.lattice.width as usize * self.lattice.height as usize
    }

    /// Checks every rule that ties parameters together (and every range, for
    /// parameters built in code rather than through `set`); returns each one broken,
    /// naming the table's paths (empty when the parameters can run).
    ///
    /// # Examples
    /// ```
    /// use cogov::model::civil_violence::CvParams;
    /// assert!(CvParams::default().validate().is_empty());
    /// let mut crowded = CvParams::default();
    /// crowded.citizens.density = 0.97;
    /// let errors = crowded.validate();
    /// assert_eq!(errors[0].paths, ["citizens.density", "cops.density"]);
    /// ```
    pub fn validate(&self) -> Vec<ConstraintError> {
        let mut errors = Vec::new();
        let mut fail = |paths: &[&'static str], message: String| {
            errors.push(ConstraintError {
                paths: paths.to_vec(),
                message,
            })
        };
        let (lattice, citizens, cops) = (&self.lattice, &self.citizens, &self.cops);
        for (path, side) in [
            (path!(lattice.width), lattice.width),
            (path!(lattice.height), lattice.height),
        ] {
            if side == 0 || side > MAX_SIDE {
                fail(
                    &[path],
                    format!("must be 1 to {MAX_SIDE} cells, found {side}"),
                );
            }
        }
        let unit = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        for (path, d) in [
            (path!(citizens.density), citizens.density),
            (path!(cops.density), cops.density),
        ] {
            if !unit(d) {
                fail(
                    &[path],
                    format!("must be a share of cells (0-1), found {d}"),
                );
            }
        }
        if unit(citizens.density) && unit(cops.density) {
            let cells = self.cells() as f64;
            let placed_citizens = (citizens.density * cells).round();
            let placed_cops = (cops.density * cells).round();
            if citizens.density + cops.density > 1.0 + 1e-12
                || (lattice.placement == Placement::Exact && placed_citizens + placed_cops > cells)
            {
                fail(
                    &[path!(citizens.density), path!(cops.density)],
                    format!(
                        "citizens and cops need a cell each: densities {} + {} leave no room on {} cells",
                        citizens.density, cops.density, cells
                    ),
                );
            }
        }
        let shorter = lattice.width.min(lattice.height);
        for (path, v) in [
            (path!(citizens.vision), citizens.vision),
            (path!(cops.vision), cops.vision),
        ] {
            if !v.is_finite() || v < 1.0 {
                fail(&[path], format!("must be at least 1 cell, found {v}"));
            } else if 2.0 * v.floor() + 1.0 > f64::from(shorter) {
                fail(
                    &[path, path!(lattice.width), path!(lattice.height)],
                    format!(
                        "a vision of {v} sees {} cells across, more than the torus's shorter side of {shorter} (a cell would be seen twice)",
                        2.0 * v.floor() + 1.0
                    ),
                );
            }
        }
        let l = &self.legitimacy;
        if !unit(l.level) {
            fail(
                &[path!(legitimacy.level)],
                format!("must be 0 to 1, found {}", l.level),
            );
        }
        match l.schedule {
            LegitimacySchedule::Constant => {}
            LegitimacySchedule::Decline => {
                if !l.per_tick.is_finite() || !(0.0..=1.0).contains(&l.per_tick) {
                    fail(
                        &[path!(legitimacy.per_tick)],
                        format!("must be 0 to 1 per tick, found {}", l.per_tick),
                    );
                }
                if !unit(l.floor) || l.floor > l.level {
                    fail(
                        &[path!(legitimacy.floor), path!(legitimacy.level)],
                        format!(
                            "a decline must end between 0 and the starting legitimacy {}, found {}",
                            l.level, l.floor
                        ),
                    );
                }
            }
            LegitimacySchedule::Drop => {
                if !l.drop.is_finite() || l.drop < 0.0 || l.drop > l.level {
                    fail(
                        &[path!(legitimacy.drop), path!(legitimacy.level)],
                        format!(
                            "a drop must be 0 to the starting legitimacy {}, found {}",
                            l.level, l.drop
                        ),
                    );
                }
            }
        }
        match cops.schedule {
            CopSchedule::Constant => {}
            CopSchedule::Reduce => {
                if !cops.per_tick.is_finite() || cops.per_tick < 0.0 {
                    fail(
                        &[path!(cops.per_tick)],
                        format!(
                            "must be a number of cops per tick of at least 0, found {}",
                            cops.per_tick
                        ),
                    );
                }
                if !unit(cops.target_density) {
                    fail(
                        &[path!(cops.target_density)],
                        format!("must be 0 to 1, found {}", cops.target_density),
                    );
                }
            }
            CopSchedule::SetDensity => {
                if !unit(cops.target_density) {
                    fail(
                        &[path!(cops.target_density)],
                        format!("must be 0 to 1, found {}", cops.target_density),
                    );
                }
            }
        }
        let jail = &self.jail;
        if !jail.life && jail.max_term > MAX_JAIL_TERM {
            fail(
                &[path!(jail.max_term)],
                format!(
                    "a jail term is at most {MAX_JAIL_TERM} ticks (use a life term beyond), found {}",
                    jail.max_term
                ),
            );
        }
        if !citizens.threshold.is_finite() || !(-1.0..=1.0).contains(&citizens.threshold) {
            fail(
                &[path!(citizens.threshold)],
                format!("must be -1 to 1, found {}", citizens.threshold),
            );
        }
        let k = self.arrest.k;
        if !k.is_finite() || !(0.0..=100.0).contains(&k) {
            fail(&[path!(arrest.k)], format!("must be 0 to 100, found {k}"));
        }
        let share = self.outbursts.tipping_share;
        if !unit(share) {
            fail(
                &[path!(outbursts.tipping_share)],
                format!("a share of citizens must be 0 to 1, found {share}"),
            );
        }
        let run = &self.run;
        if run.ticks == 0 {
            fail(&[path!(run.ticks)], "must be at least 1".to_string());
        }
        if u64::from(run.ticks) + u64::from(run.warmup_ticks) > MAX_TICKS {
            fail(
                &[path!(run.ticks), path!(run.warmup_ticks)],
                format!(
                    "a run is at most {MAX_TICKS} ticks, found {} + {}",
                    run.ticks, run.warmup_ticks
                ),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ParamValue, SetError, ValueError};

    fn paths(p: &CvParams) -> Vec<Vec<&'static str>> {
        p.validate().into_iter().map(|e| e.paths).collect()
    }

    /// The defaults with `edit` applied.
    fn with(edit: impl FnOnce(&mut CvParams)) -> CvParams {
        let mut p = CvParams::default();
        edit(&mut p);
        p
    }

    #[test]
    fn defaults_are_in_range_and_documented() {
        for def in CV_PARAM_DEFS.iter() {
            assert_eq!(def.check(def.default), Ok(def.default), "{}", def.path);
            assert!(
                def.doc.trim().len() > 20,
                "{} needs a doc comment",
                def.path
            );
            assert!(
                !def.unit.is_empty() && !def.source.is_empty(),
                "{}",
                def.path
            );
        }
    }

    #[test]
    fn presets_validate_and_run_2_is_the_default() {
        assert!(CvParams::default().validate().is_empty());
        assert!(mesa_parity().validate().is_empty());
        for n in 1..=5 {
            assert!(paper_run(n).validate().is_empty(), "run {n}");
        }
        assert_eq!(paper_run(2), CvParams::default());
    }

    #[test]
    fn mesa_parity_has_mesa_s_inputs() {
        let m = mesa_parity();
        assert_eq!((m.lattice.width, m.lattice.height), (40, 40));
        assert_eq!((m.citizens.density, m.cops.density), (0.7, 0.074));
        assert_eq!((m.citizens.vision, m.cops.vision), (7.0, 7.0));
        assert_eq!((m.legitimacy.level, m.jail.max_term), (0.8, 1000));
        assert!(!m.jail.life);
        assert_eq!((m.citizens.threshold, m.arrest.k), (0.1, 2.3));
    }

    #[test]
    fn presets_are_what_their_scenario_paths_set() {
        let mut p = CvParams::default();
        for (path, value) in [
            ("legitimacy.level", ParamValue::Real(0.9)),
            ("legitimacy.schedule", ParamValue::Choice("decline")),
            ("cops.density", ParamValue::Real(0.074)),
            ("jail.life", ParamValue::Bool(true)),
            ("run.ticks", ParamValue::Int(300)),
        ] {
            p.set(path, value).unwrap();
        }
        assert_eq!(p, paper_run(3));
        p.set("legitimacy.schedule", ParamValue::Choice("drop"))
            .unwrap();
        assert_eq!(p, paper_run(4));
    }

    #[test]
    fn choices_round_trip_and_refuse_unknown_names() {
        let mut p = CvParams::default();
        p.set("arrest.rule", ParamValue::Choice("rounded")).unwrap();
        assert_eq!(p.arrest.rule, ArrestRule::Rounded);
        assert_eq!(p.get("arrest.rule"), Some(ParamValue::Choice("rounded")));
        assert!(matches!(
            p.set("arrest.rule", ParamValue::Choice("round")),
            Err(SetError::Value(ValueError::NotAnOption { .. }))
        ));
        assert!(matches!(
            p.set("arrest.rule", ParamValue::Real(1.0)),
            Err(SetError::Value(ValueError::WrongType { .. }))
        ));
    }

    /// Parameters that break every rule `validate` knows, one rule each.
    fn broken() -> Vec<CvParams> {
        vec![
            with(|p| p.lattice.width = 0),
            with(|p| p.lattice.height = MAX_SIDE + 1),
            with(|p| p.citizens.density = -0.1),
            with(|p| p.cops.density = f64::NAN),
            with(|p| p.citizens.density = 0.97),
            with(|p| p.citizens.vision = 0.5),
            with(|p| p.lattice.width = 14),
            with(|p| p.legitimacy.level = 1.5),
            with(|p| {
                p.legitimacy.schedule = LegitimacySchedule::Decline;
                p.legitimacy.per_tick = 2.0;
                p.legitimacy.floor = 0.9;
            }),
            with(|p| {
                p.legitimacy.schedule = LegitimacySchedule::Drop;
                p.legitimacy.drop = 0.9;
            }),
            with(|p| {
                p.cops.schedule = CopSchedule::Reduce;
                p.cops.per_tick = -1.0;
                p.cops.target_density = 2.0;
            }),
            with(|p| {
                p.cops.schedule = CopSchedule::SetDensity;
                p.cops.target_density = -1.0;
            }),
            with(|p| p.jail.max_term = MAX_JAIL_TERM + 1),
            with(|p| p.citizens.threshold = 2.0),
            with(|p| p.arrest.k = f64::NAN),
            with(|p| p.outbursts.tipping_share = 1.5),
            with(|p| p.run.ticks = 0),
            with(|p| p.run.warmup_ticks = 999_999),
        ]
    }

    #[test]
    fn every_broken_rule_names_paths_of_the_table() {
        for p in broken() {
            let errors = p.validate();
            assert!(!errors.is_empty(), "{p:?}");
            for e in errors {
                for path in &e.paths {
                    assert!(
                        CV_PARAM_DEFS.iter().any(|d| d.path == *path),
                        "{path}: {}",
                        e.message
                    );
                }
            }
        }
    }

    #[test]
    fn impossible_configurations_are_refused_by_path() {
        assert!(paths(&with(|p| p.lattice.width = 0)).contains(&vec!["lattice.width"]));
        let crowded = with(|p| {
            p.citizens.density = 0.9;
            p.cops.density = 0.2;
        });
        assert_eq!(paths(&crowded), [vec!["citizens.density", "cops.density"]]);
        // Densities that sum to 1 can still overflow once rounded to whole agents.
        let rounded = with(|p| {
            p.lattice.width = 3;
            p.lattice.height = 3;
            p.citizens.vision = 1.0;
            p.cops.vision = 1.0;
            p.citizens.density = 0.5;
            p.cops.density = 0.5;
        });
        assert_eq!(paths(&rounded), [vec!["citizens.density", "cops.density"]]);
        assert_eq!(
            paths(&with(|p| p.cops.density = -0.1)),
            [vec!["cops.density"]]
        );
        assert_eq!(
            paths(&with(|p| p.lattice.width = 14)),
            [
                vec!["citizens.vision", "lattice.width", "lattice.height"],
                vec!["cops.vision", "lattice.width", "lattice.height"]
            ]
        );
        assert_eq!(paths(&with(|p| p.cops.vision = 0.5)), [vec!["cops.vision"]]);
        let rising = with(|p| {
            p.legitimacy.schedule = LegitimacySchedule::Decline;
            p.legitimacy.change_tick = 1;
            p.legitimacy.floor = 0.9;
        });
        assert_eq!(
            paths(&rising),
            [vec!["legitimacy.floor", "legitimacy.level"]]
        );
        let below_zero = with(|p| {
            p.legitimacy.schedule = LegitimacySchedule::Drop;
            p.legitimacy.drop = 0.9;
        });
        assert_eq!(
            paths(&below_zero),
            [vec!["legitimacy.drop", "legitimacy.level"]]
        );
        // A schedule's fields are checked only when it is chosen.
        assert!(paths(&with(|p| p.legitimacy.drop = 0.9)).is_empty());
        assert_eq!(paths(&with(|p| p.run.ticks = 0)), [vec!["run.ticks"]]);
        assert_eq!(paths(&with(|p| p.arrest.k = f64::NAN)), [vec!["arrest.k"]]);
        // A life term makes the finite term unused.
        let life = with(|p| {
            p.jail.life = true;
            p.jail.max_term = MAX_JAIL_TERM + 1;
        });
        assert!(paths(&life).is_empty());
    }
}
