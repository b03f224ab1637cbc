//! The civil-violence reference model's parameter table: what a scenario with
//! `model = "civil_violence"` may set, with defaults, ranges, units and sources.
//!
//! The table is the file-facing side of
//! [`crate::model::civil_violence::CivilViolenceParams`], the model's typed input:
//! [`CvParams::to_model`] turns the flat sections into its switches, schedules and
//! levels, and [`CvParams::validate`] applies the model's own rules, naming the
//! table's paths. Defaults are the paper's run 2 (punctuated equilibrium) with the
//! floored arrest rule, as [`CivilViolenceParams::default`]; a test holds the two
//! equal, and `scenarios/reference/` holds runs 1 to 5 and the Mesa-parity preset.

use crate::model::civil_violence::{
    ArrestRule, CivilViolenceParams, CopSchedule, JailRule, JailTerm, LegitimacySchedule, Level,
    Neighbourhood, Placement, TurnOrder,
};
use crate::schema::{ConstraintError, choice_field, define_params};

choice_field!(ArrestRule {
    Printed => "printed",
    Floored => "floored",
    Rounded => "rounded",
});
choice_field!(Neighbourhood {
    Euclidean => "euclidean",
    VonNeumann => "von_neumann",
    Moore => "moore",
    Cross => "cross",
});
choice_field!(Placement {
    Exact => "exact",
    PerCell => "per_cell",
});
choice_field!(TurnOrder {
    MoveThenAct => "move_then_act",
    ActThenMove => "act_then_move",
});
choice_field!(JailRule {
    OffGrid => "off_grid",
    InPlace => "in_place",
});

/// How legitimacy changes over a run, as a scenario names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegitimacyPlan {
    Constant,
    Decline,
    Drop,
}
choice_field!(LegitimacyPlan {
    Constant => "constant",
    Decline => "decline",
    Drop => "drop",
});

/// How the number of cops changes over a run, as a scenario names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopPlan {
    Constant,
    Reduce,
    SetDensity,
}
choice_field!(CopPlan {
    Constant => "constant",
    Reduce => "reduce",
    SetDensity => "set_density",
});

define_params! {
    /// Every parameter of a civil-violence scenario, typed and range-checked (see
    /// [`CvParams::from_values`]); [`CvParams::to_model`] gives the model's input.
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
        schedule: CopPlan = CopPlan::Constant, range 0 => 0, unit "choice",
            source "Epstein 2002, run 5: cops reduced in increments";
        /// The tick at which the cop schedule starts (ticks count from 1; a change at
        /// tick t applies before anyone acts in it).
        change_tick: u32 = 50, range 1 => 1_000_000, unit "tick",
            source "free parameter: 1 to the run's length";
        /// Cops withdrawn per tick under `reduce` (0.25: one every four ticks).
        per_tick: f64 = 0.25, range 0.0 => 1_000_000.0, unit "cops per tick",
            source "free parameter: 0.05 to 5; the paper gives no pace";
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
        schedule: LegitimacyPlan = LegitimacyPlan::Constant, range 0 => 0, unit "choice",
            source "Epstein 2002, runs 3 and 4";
        /// The tick at which the schedule starts (the jump of the paper's Fig. 10 is
        /// at t = 77).
        change_tick: u32 = 77, range 1 => 1_000_000, unit "tick",
            source "Epstein 2002, Fig. 10";
        /// Fall per tick under `decline` ("of a percent per cycle").
        per_tick: f64 = 0.01, range 0.0 => 1.0, unit "legitimacy per tick",
            source "Epstein 2002, run 3";
        /// Lowest legitimacy a `decline` reaches; at most `level`.
        floor: f64 = 0.2, range 0.0 => 1.0, unit "legitimacy (0-1)",
            source "free parameter: 0 to level; run 3 falls well past run 4's 0.7";
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
            source "free parameter: 0.05 to 0.5";
    }
}

impl CvParams {
    /// The model's input: the flat sections become its switches, schedules and levels.
    ///
    /// # Examples
    /// ```
    /// use cogov::model::civil_violence::CivilViolenceParams;
    /// use cogov::model::civil_violence::table::CvParams;
    /// assert_eq!(CvParams::default().to_model(), CivilViolenceParams::default());
    /// ```
    pub fn to_model(&self) -> CivilViolenceParams {
        let l = &self.legitimacy;
        let c = &self.cops;
        CivilViolenceParams {
            width: self.lattice.width,
            height: self.lattice.height,
            citizen_density: self.citizens.density,
            cop_density: c.density,
            placement: self.lattice.placement,
            citizen_vision: self.citizens.vision,
            cop_vision: c.vision,
            neighbourhood: self.lattice.neighbourhood,
            legitimacy: l.level,
            legitimacy_schedule: match l.schedule {
                LegitimacyPlan::Constant => LegitimacySchedule::Constant,
                LegitimacyPlan::Decline => LegitimacySchedule::Decline {
                    start_tick: l.change_tick,
                    per_tick: l.per_tick,
                    to: l.floor,
                },
                LegitimacyPlan::Drop => LegitimacySchedule::Drop {
                    tick: l.change_tick,
                    amount: l.drop,
                },
            },
            cop_schedule: match c.schedule {
                CopPlan::Constant => CopSchedule::Constant,
                CopPlan::Reduce => CopSchedule::Reduce {
                    start_tick: c.change_tick,
                    per_tick: c.per_tick,
                    to_density: c.target_density,
                },
                CopPlan::SetDensity => CopSchedule::SetDensity {
                    tick: c.change_tick,
                    density: c.target_density,
                },
            },
            threshold: self.citizens.threshold,
            k: self.arrest.k,
            arrest_rule: self.arrest.rule,
            jail_term: if self.jail.life {
                JailTerm::Life
            } else {
                JailTerm::UpTo(self.jail.max_term)
            },
            jail_rule: self.jail.rule,
            turn_order: self.lattice.turn_order,
            citizens_move: self.citizens.movement,
            cop_moves_to_arrest: c.moves_to_arrest,
            outburst_level: Level::Actives(self.outbursts.level),
            tipping_level: Level::Share(self.outbursts.tipping_share),
            ticks: self.run.ticks,
            warmup_ticks: self.run.warmup_ticks,
        }
    }

    /// The rules that tie parameters together: the model's own checks
    /// ([`CivilViolenceParams::validate`]), with its field names turned into this
    /// table's paths.
    pub fn validate(&self) -> Vec<ConstraintError> {
        self.to_model()
            .validate()
            .into_iter()
            .map(|e| ConstraintError {
                paths: e.fields.iter().map(|f| table_path(f)).collect(),
                message: e.message,
            })
            .collect()
    }
}

/// The table path of a [`CivilViolenceParams`] field as its `validate` names it.
fn table_path(field: &'static str) -> &'static str {
    match field {
        "width" => "lattice.width",
        "height" => "lattice.height",
        "citizen_density" => "citizens.density",
        "cop_density" => "cops.density",
        "citizen_vision" => "citizens.vision",
        "cop_vision" => "cops.vision",
        "legitimacy" => "legitimacy.level",
        "legitimacy_schedule.per_tick" => "legitimacy.per_tick",
        "legitimacy_schedule.to" => "legitimacy.floor",
        "legitimacy_schedule.amount" => "legitimacy.drop",
        "cop_schedule.per_tick" => "cops.per_tick",
        "cop_schedule.to_density" | "cop_schedule.density" => "cops.target_density",
        "jail_term" => "jail.max_term",
        "threshold" => "citizens.threshold",
        "k" => "arrest.k",
        "outburst_level" => "outbursts.level",
        "tipping_level" => "outbursts.tipping_share",
        "ticks" => "run.ticks",
        "warmup_ticks" => "run.warmup_ticks",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::civil_violence::{mesa_parity, paper_run};
    use crate::schema::{ParamValue, SetError};

    #[test]
    fn defaults_are_the_model_s_defaults_and_in_range() {
        assert_eq!(
            CvParams::default().to_model(),
            CivilViolenceParams::default()
        );
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
        assert!(CvParams::default().validate().is_empty());
    }

    #[test]
    fn every_field_the_model_validates_maps_to_a_table_path() {
        let fields = [
            "width",
            "height",
            "citizen_density",
            "cop_density",
            "citizen_vision",
            "cop_vision",
            "legitimacy",
            "legitimacy_schedule.per_tick",
            "legitimacy_schedule.to",
            "legitimacy_schedule.amount",
            "cop_schedule.per_tick",
            "cop_schedule.to_density",
            "cop_schedule.density",
            "jail_term",
            "threshold",
            "k",
            "outburst_level",
            "tipping_level",
            "ticks",
            "warmup_ticks",
        ];
        for field in fields {
            let path = table_path(field);
            assert!(
                CV_PARAM_DEFS.iter().any(|d| d.path == path),
                "{field} -> {path}"
            );
        }
    }

    #[test]
    fn choices_round_trip_and_refuse_unknown_names() {
        let mut p = CvParams::default();
        p.set("arrest.rule", ParamValue::Choice("rounded")).unwrap();
        assert_eq!(p.arrest.rule, ArrestRule::Rounded);
        assert_eq!(p.get("arrest.rule"), Some(ParamValue::Choice("rounded")));
        assert!(matches!(
            p.set("arrest.rule", ParamValue::Choice("round")),
            Err(SetError::Value(
                crate::schema::ValueError::NotAnOption { .. }
            ))
        ));
        assert!(matches!(
            p.set("arrest.rule", ParamValue::Real(1.0)),
            Err(SetError::Value(crate::schema::ValueError::WrongType { .. }))
        ));
    }

    #[test]
    fn schedules_map_to_the_model_s_schedules() {
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
        assert_eq!(p.to_model(), paper_run(3));
        p.set("legitimacy.schedule", ParamValue::Choice("drop"))
            .unwrap();
        assert_eq!(p.to_model(), paper_run(4));
    }

    #[test]
    fn broken_rules_name_table_paths() {
        let mut p = CvParams::default();
        p.set("citizens.density", ParamValue::Real(0.97)).unwrap();
        let broken = p.validate();
        assert_eq!(broken[0].paths, ["citizens.density", "cops.density"]);
        let mesa = CvParams {
            lattice: Lattice {
                width: 10,
                ..Lattice::default()
            },
            ..CvParams::default()
        };
        assert!(
            mesa.validate()
                .iter()
                .any(|e| e.paths == ["citizens.vision", "lattice.width", "lattice.height"])
        );
        assert!(mesa_parity().validate().is_empty());
    }
}
