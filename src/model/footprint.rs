//! What one run of a model costs before it starts: the memory its world holds, and
//! the work its days take, from its parameters alone.
//!
//! Each model lists its world's parts (residents, grids, organisations, units,
//! cells, the daily record), each as a count of like things times the bytes one of
//! them holds, naming the parameters that set the count. `crate::budget` adds up the
//! parts of every run that can be in memory at once, so a scenario that asks for more
//! than the machine has is refused before it allocates anything, naming what to
//! reduce.
//!
//! The bytes per thing are the sizes of the per-thing vectors of each model's world
//! (struct of arrays), checked against the peak resident memory of one-run processes
//! that vary one count at a time (BENCHMARKS.md, section 8;
//! `benches/commands/footprint.sh` repeats the measurement). The costs per thing and
//! day are median single-thread timings of the same runs; they are estimates to tell
//! minutes from days, not promises.

/// One part of a run's memory: `count` things of `bytes_each` bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// What the things are, in words ("residents").
    pub what: &'static str,
    /// The parameters that set how many there are.
    pub params: &'static [&'static str],
    pub count: u64,
    pub bytes_each: u64,
}

impl Part {
    /// The part's bytes.
    pub fn bytes(&self) -> u64 {
        self.count.saturating_mul(self.bytes_each)
    }
}

/// One run's memory and work.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    /// The world's parts, which live for the whole run.
    pub parts: Vec<Part>,
    /// Bytes of the finished run's output (time series and map), which wait in memory
    /// until they are written.
    pub output_bytes: u64,
    /// Estimated CPU seconds of one run on one core of a machine like the reference
    /// one (2020s x86-64).
    pub cpu_seconds: f64,
}

impl Footprint {
    /// The world's bytes.
    pub fn world_bytes(&self) -> u64 {
        self.parts.iter().map(Part::bytes).sum()
    }
}

/// World state beyond this no longer fits in a processor's caches: each agent's
/// update is then a trip to main memory, and costs about twice as much (measured on
/// both models: 3.3 against 7.0 ns a resident-day, 110 against about 210 ns a
/// citizen-tick).
pub(crate) const CACHED_BYTES: u64 = 32 << 20;

/// Bytes of one row of `series` numbers, as the finished run holds it.
pub(crate) fn series_bytes(days: u64, series: usize) -> u64 {
    days.saturating_mul(series as u64 * 8)
}
