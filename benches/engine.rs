//! Throughput of the co-governance engine, in resident-steps (residents x ticks) per
//! second, on the default parameters at 10,000 and 100,000 residents, one thread.
//!
//! Run with `cargo bench --bench engine`. Fixed seed; the district is 1,000 residents
//! per grid (400 households of 2.5 persons), 10 or 100 grids, 100 measured days after
//! no warm-up, so every figure is the model's steady per-day cost. Results and the
//! target (10 million resident-steps per second per core) are in BENCHMARKS.md.

use cogov::model::simulate;
use cogov::params::Params;
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

const TICKS: u32 = 100;

fn district(residents: usize) -> Params {
    let mut p = Params::default();
    p.district.households_per_grid = 400;
    p.district.persons_per_household = 2.5;
    let grids = residents / 1_000;
    p.district.width = 10.min(grids as u32);
    p.district.height = (grids as u32).div_ceil(10);
    p.run.warmup_ticks = 0;
    p.run.ticks = TICKS;
    assert_eq!(p.residents() as usize, residents, "district size");
    p
}

#[divan::bench(args = [10_000, 100_000], sample_count = 10, sample_size = 1)]
fn resident_steps(bencher: Bencher, residents: usize) {
    let p = district(residents);
    bencher
        .counter(ItemsCount::new(residents * TICKS as usize))
        .bench(|| simulate(black_box(&p), black_box(42)));
}

fn main() {
    divan::main();
}
