//! Seed derivation: every replication's stream comes from (base seed, replication)
//! alone, so results do not depend on the thread count, the order runs finish in, or
//! which machine ran which shard.

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective mix of 64 bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of replication `run` under base seed `base_seed`.
///
/// # Examples
/// ```
/// use cogov::experiment::run_seed;
/// assert_eq!(run_seed(42, 3), run_seed(42, 3));
/// assert_ne!(run_seed(42, 3), run_seed(42, 4));
/// assert_ne!(run_seed(42, 3), run_seed(43, 3));
/// ```
pub fn run_seed(base_seed: u64, run: u64) -> u64 {
    mix64(mix64(base_seed).wrapping_add(run.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_seeds_are_distinct() {
        let mut seeds: Vec<u64> = (0..10_000).map(|i| run_seed(1, i)).collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), 10_000);
    }
}
