//! A co-governance run's memory and work from its parameters (`model::footprint`).
//!
//! Bytes per thing are the sizes of the world's per-thing vectors
//! (`world::World`, `world::actors::Responders`, `world::units::Units`), checked
//! against one-run processes varying one count at a time (BENCHMARKS.md,
//! section 8): 1.26 million residents on 40 x 40 grids peaked at
//! 72 MB; 5.03 million at 269 MB (52 B each); 1.6 million more enterprises added
//! 77 MB (48 B), 160,000 NGOs 7 MB (45 B), 160,000 grid workers 5 MB (30 B), 503,000
//! police units 43 MB (86 B); 160,000 grids of 3 residents took 340 B a grid.

use super::constraints::AgentCounts;
use super::{BYTES_PER_RESIDENT, Params};
use crate::model::co_governance::metrics::{GRID_METRICS, SERIES};
use crate::model::footprint::{CACHED_BYTES, Footprint, Part, series_bytes};

/// The district's size.
const DISTRICT: &[&str] = &[
    "district.width",
    "district.height",
    "district.households_per_grid",
    "district.persons_per_household",
];

/// Bytes of a grid's own state (incident rates, processes, counts, the partnership).
const BYTES_PER_GRID: u64 = 340;
/// Bytes of an enterprise: its organisation (grid, cost, participation) and its
/// security staff as a responder (motivation, authority, hours, record).
const BYTES_PER_ENTERPRISE: u64 = 48;
/// Bytes of an NGO (the same two roles).
const BYTES_PER_NGO: u64 = 48;
/// Bytes of a grid worker (a responder only).
const BYTES_PER_GRID_WORKER: u64 = 32;
/// Bytes of a police unit (officer or auxiliary: post, shift, position, style; and
/// since issue 17 its places in the day's dispatch index, `world/units/search.rs`:
/// 530,000 units peaked 4 MB higher than before it).
const BYTES_PER_UNIT: u64 = 100;

/// CPU nanoseconds per resident and day, per grid and day, per organisation or grid
/// worker and day, per police unit and day, and per resident at set-up (single
/// thread; the timings of the runs above, 30 days each, and of whole 730-day runs:
/// the default district took 2.2 ns a resident-day since issue 17 (3.3 before), 5
/// million residents 5.5 ns (7.0 before) once their state no longer fits in the
/// processor's caches, and 1.6 million enterprises 12 ns an enterprise-day).
const NS_PER_RESIDENT_DAY: f64 = 2.2;
const NS_PER_RESIDENT_DAY_UNCACHED: f64 = 5.5;
const NS_PER_GRID_DAY: f64 = 140.0;
const NS_PER_ACTOR_DAY: f64 = 12.0;
const NS_PER_UNIT_DAY: f64 = 38.0;
const NS_PER_RESIDENT_SETUP: f64 = 150.0;

impl Params {
    /// One run's memory and work (`model::footprint`).
    pub fn footprint(&self) -> Footprint {
        let grids = self.grid_count();
        let AgentCounts {
            residents,
            enterprises,
            ngos,
            grid_workers,
            units,
        } = self.agent_counts();
        let days = u64::from(self.run.warmup_ticks) + u64::from(self.run.ticks);
        let parts = vec![
            Part {
                what: "residents",
                params: DISTRICT,
                count: residents,
                bytes_each: BYTES_PER_RESIDENT,
            },
            Part {
                what: "grids",
                params: &["district.width", "district.height"],
                count: grids,
                bytes_each: BYTES_PER_GRID,
            },
            Part {
                what: "enterprises",
                params: &[
                    "community.enterprises_per_grid",
                    "district.width",
                    "district.height",
                ],
                count: enterprises,
                bytes_each: BYTES_PER_ENTERPRISE,
            },
            Part {
                what: "NGOs",
                params: &[
                    "community.ngos_per_grid",
                    "district.width",
                    "district.height",
                ],
                count: ngos,
                bytes_each: BYTES_PER_NGO,
            },
            Part {
                what: "grid workers",
                params: &[
                    "community.grid_workers_per_grid",
                    "district.width",
                    "district.height",
                ],
                count: grid_workers,
                bytes_each: BYTES_PER_GRID_WORKER,
            },
            Part {
                what: "police units",
                params: &[
                    "police.officers_per_10k",
                    "police.auxiliaries_per_officer",
                    "district.width",
                    "district.height",
                    "district.households_per_grid",
                ],
                count: units,
                bytes_each: BYTES_PER_UNIT,
            },
            Part {
                what: "days of the daily record",
                params: &["run.warmup_ticks", "run.ticks"],
                count: days,
                bytes_each: series_bytes(1, SERIES.len()),
            },
        ];
        let actors = enterprises + ngos + grid_workers;
        let cached = parts.iter().map(Part::bytes).sum::<u64>() <= CACHED_BYTES;
        let per_resident_day = if cached {
            NS_PER_RESIDENT_DAY
        } else {
            NS_PER_RESIDENT_DAY_UNCACHED
        };
        let per_day = residents as f64 * per_resident_day
            + grids as f64 * NS_PER_GRID_DAY
            + actors as f64 * NS_PER_ACTOR_DAY
            + units as f64 * NS_PER_UNIT_DAY;
        let nanoseconds = residents as f64 * NS_PER_RESIDENT_SETUP + days as f64 * per_day;
        Footprint {
            parts,
            output_bytes: series_bytes(days, SERIES.len())
                + series_bytes(grids, GRID_METRICS.len()),
            cpu_seconds: nanoseconds * 1e-9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_a_parameter_sets_is_in_the_footprint() {
        let base = Params::default();
        let base_print = base.footprint();
        let part =
            |f: &Footprint, what: &str| f.parts.iter().find(|p| p.what == what).unwrap().count;
        assert_eq!(part(&base_print, "residents"), base.residents());
        assert_eq!(part(&base_print, "grids"), 36);
        assert_eq!(part(&base_print, "enterprises"), 144);
        assert_eq!(part(&base_print, "days of the daily record"), 730);
        // Each knob moves its own part, and only the world grows with it.
        let mut bomb = base.clone();
        bomb.community.enterprises_per_grid = 1000.0;
        let f = bomb.footprint();
        assert_eq!(part(&f, "enterprises"), 36_000);
        assert_eq!(
            f.world_bytes() - base_print.world_bytes(),
            (36_000 - 144) * BYTES_PER_ENTERPRISE
        );
        let mut police = base.clone();
        police.police.auxiliaries_per_officer = 20.0;
        // 21 units an officer against 3.5.
        assert!(part(&police.footprint(), "police units") > 5 * part(&base_print, "police units"));
        // Work grows with days and residents.
        let mut long = base.clone();
        long.run.ticks *= 10;
        assert!(long.footprint().cpu_seconds > 5.0 * base_print.cpu_seconds);
        assert!(long.footprint().output_bytes > 5 * base_print.output_bytes);
    }
}
