//! A civil-violence run's memory and work from its parameters (`model::footprint`).
//!
//! Bytes per thing are the sizes of the world's vectors (`world::World`,
//! `world::torus::View`), checked against one-run processes (BENCHMARKS.md,
//! section 8): a 2,000 x 2,000 torus peaked at 141 MB with 2.8
//! million citizens and 83 MB with 0.4 million, which gives 24.5 B a citizen (26 B
//! since the citizen's class and a packed block were added) and about 16 B a cell (its
//! kind and occupant, and its row of the final map).

use super::params::{CvParams, Neighbourhood};
use crate::model::civil_violence::metrics::{CV_CELLS, CV_SERIES};
use crate::model::footprint::{CACHED_BYTES, Footprint, Part, series_bytes};

const BYTES_PER_CELL: u64 = 16;
/// Hardship, risk aversion, cell and jail term (24 B), state and class (1 B each).
const BYTES_PER_CITIZEN: u64 = 26;
const BYTES_PER_COP: u64 = 8;
/// A cell of a view: its offset (a `u32`) and its slot in the scan's scratch (`u32`).
const BYTES_PER_VIEW_CELL: u64 = 8;
/// A stored cell of the running row sums that count views when the torus is narrow
/// against them (`world::torus::RowSums`): a 16-bit sum of cops and one of actives.
const BYTES_PER_ROW_SUM: u64 = 4;

/// CPU nanoseconds per agent, tick and cell of its view, plus per agent and tick, when
/// views are counted by scanning (a wide torus: a 2,000 x 2,000 torus took 12 s for
/// 20 ticks of 2.8 million citizens, its world beyond the caches), and per agent and
/// tick when they are counted from row sums, whose cost hardly depends on the view
/// (the Mesa-parity run: 9.1 ms for 200 ticks of about 1,238 agents, 37 ns an
/// agent-tick). Twice as much once the world no longer fits in the caches.
const NS_PER_VIEW_CELL: f64 = 0.6;
const NS_PER_AGENT_TICK: f64 = 20.0;
const NS_PER_AGENT_TICK_ROW_SUMS: f64 = 37.0;

/// Cells in a view of `vision` (the agent's own included): exact for Moore, von
/// Neumann and cross neighbourhoods, an upper bound for the Euclidean disc.
fn view_cells(neighbourhood: Neighbourhood, vision: f64) -> u64 {
    let r = vision.floor().max(0.0) as u64;
    match neighbourhood {
        Neighbourhood::Moore => (2 * r + 1).pow(2),
        Neighbourhood::VonNeumann => 2 * r * r + 2 * r + 1,
        Neighbourhood::Cross => 4 * r + 1,
        Neighbourhood::Euclidean => ((std::f64::consts::PI * vision * vision + 4.0 * vision + 1.0)
            .ceil() as u64)
            .min((2 * r + 1).pow(2)),
    }
}

impl CvParams {
    /// One run's memory and work (`model::footprint`).
    pub fn footprint(&self) -> Footprint {
        let cells = self.cells() as u64;
        let at = |density: f64| (density * cells as f64).round() as u64;
        let citizens = at(self.citizens.density);
        // The schedule may add cops up to its target.
        let cops = at(self.cops.density.max(self.cops.target_density));
        let neighbourhood = self.lattice.neighbourhood;
        let citizen_view = view_cells(neighbourhood, self.citizens.vision);
        let cop_view = view_cells(neighbourhood, self.cops.vision);
        let ticks = u64::from(self.run.warmup_ticks) + u64::from(self.run.ticks);
        // Views are counted from row sums when the torus is at most as wide as the
        // citizens' view and no view holds more than 65,535 cells (the world's rule,
        // `world::torus::ViewCounts`): each row is stored with the views' reach of
        // halo on either side.
        let width = u64::from(self.lattice.width);
        let row_sums = if width <= citizen_view && citizen_view.max(cop_view) <= 65_535 {
            let reach = self.citizens.vision.max(self.cops.vision).floor() as u64;
            u64::from(self.lattice.height) * (width + 2 * reach + 1)
        } else {
            0
        };
        let parts = vec![
            Part {
                what: "cells",
                params: &["lattice.width", "lattice.height"],
                count: cells,
                bytes_each: BYTES_PER_CELL,
            },
            Part {
                what: "citizens",
                params: &["citizens.density", "lattice.width", "lattice.height"],
                count: citizens,
                bytes_each: BYTES_PER_CITIZEN,
            },
            Part {
                what: "cops",
                params: &[
                    "cops.density",
                    "cops.target_density",
                    "lattice.width",
                    "lattice.height",
                ],
                count: cops,
                bytes_each: BYTES_PER_COP,
            },
            Part {
                what: "cells of the two views",
                params: &["citizens.vision", "cops.vision", "lattice.neighbourhood"],
                count: citizen_view + cop_view,
                bytes_each: BYTES_PER_VIEW_CELL,
            },
            Part {
                what: "row sums counting the views",
                params: &[
                    "lattice.width",
                    "lattice.height",
                    "citizens.vision",
                    "cops.vision",
                    "lattice.neighbourhood",
                ],
                count: row_sums,
                bytes_each: BYTES_PER_ROW_SUM,
            },
            Part {
                what: "ticks of the daily record",
                params: &["run.warmup_ticks", "run.ticks"],
                count: ticks,
                bytes_each: series_bytes(1, CV_SERIES.len()),
            },
        ];
        let memory_bound = if parts.iter().map(Part::bytes).sum::<u64>() > CACHED_BYTES {
            2.0
        } else {
            1.0
        };
        let per_agent = |view: u64| {
            if row_sums > 0 {
                NS_PER_AGENT_TICK_ROW_SUMS
            } else {
                NS_PER_AGENT_TICK + NS_PER_VIEW_CELL * view as f64
            }
        };
        let per_tick = memory_bound
            * (citizens as f64 * per_agent(citizen_view) + cops as f64 * per_agent(cop_view));
        Footprint {
            parts,
            output_bytes: series_bytes(ticks, CV_SERIES.len())
                + series_bytes(cells, CV_CELLS.len()),
            cpu_seconds: ticks as f64 * per_tick * 1e-9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_count_their_cells() {
        for (n, v, cells) in [
            (Neighbourhood::Moore, 1.0, 9),
            (Neighbourhood::VonNeumann, 1.0, 5),
            (Neighbourhood::Cross, 2.0, 9),
        ] {
            assert_eq!(view_cells(n, v), cells, "{n:?}");
        }
        // The disc of radius 7 has 149 cells; the bound is above it and below the square.
        let disc = view_cells(Neighbourhood::Euclidean, 7.0);
        assert!((149..=225).contains(&disc), "{disc}");
    }

    #[test]
    fn the_lattice_and_the_views_scale_the_footprint() {
        let base = CvParams::default();
        let mut big = base.clone();
        big.lattice.width *= 10;
        big.lattice.height *= 10;
        let (b, f) = (base.footprint(), big.footprint());
        assert!(f.world_bytes() > 50 * b.world_bytes());
        assert!(f.cpu_seconds > 50.0 * b.cpu_seconds);
        let cells = f.parts.iter().find(|p| p.what == "cells").unwrap().count;
        assert_eq!(cells, 400 * 400);
    }
}
