//! A well-mixed population playing Sigmund, De Silva, Traulsen and Hauert's (2010,
//! Nature 466:861-863) voluntary public-goods game with peer and pool punishment, by
//! social learning: the setting of their paper, driven over the city's own rule
//! functions (`rules::public_goods::participant_payoff` and `fermi`), so that the
//! validation of the punishment result (VALIDATION.md, result 7; examples/validate/
//! punishment.rs and its fast test) exercises the rules the district uses.
//!
//! M individuals; an update picks one at random, who with probability `mutation`
//! adopts a random allowed strategy, or else compares its payoff with a random other's
//! and copies it with the Fermi probability at selection strength `selection` (noise
//! 1/s). A payoff is the mean over `games` games, each with N - 1 co-players drawn at
//! random (without replacement) from the others; loners among them do not play, the
//! pool's fine on a target is B x the pool punishers among its co-players, and a free
//! rider among them exposes plain contributors to second-order peer punishment.
//!
//! The district does not use this file; it is a reference driver, like the Epstein
//! model of `model::civil_violence`.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use super::rules::public_goods::{self, Others, Sanctions, Strategy};

/// The game and learning parameters of one population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setting {
    /// Population size M.
    pub population: usize,
    /// Group size N (the focal and N - 1 co-players).
    pub group: usize,
    pub multiplier: f64,
    pub cost: f64,
    pub loner: f64,
    /// beta and gamma of peer punishment.
    pub peer_fine: f64,
    pub peer_cost: f64,
    /// G and B of pool punishment.
    pub pool_fee: f64,
    pub pool_fine: f64,
    pub second_order: bool,
    /// Which punishing strategies exist (`Strategy::PeerPunish`, `PoolPunish`).
    pub peer: bool,
    pub pool: bool,
    /// Whether loners exist (voluntary participation).
    pub voluntary: bool,
    /// Mutation (exploration) probability per update.
    pub mutation: f64,
    /// Selection strength s of the Fermi rule.
    pub selection: f64,
    /// Games sampled per payoff evaluation.
    pub games: usize,
}

impl Setting {
    /// The paper's setting as we read it: M = 100, N = 5, r = 3, c = 1, sigma = 1,
    /// beta = gamma = B = G = 0.7, voluntary participation, both punishing strategies,
    /// without second-order punishment; mutation 10^-3 and selection strength 10 (the
    /// learning parameters are ours where the paper's caption could not be checked).
    pub fn sigmund_2010() -> Setting {
        Setting {
            population: 100,
            group: 5,
            multiplier: 3.0,
            cost: 1.0,
            loner: 1.0,
            peer_fine: 0.7,
            peer_cost: 0.7,
            pool_fee: 0.7,
            pool_fine: 0.7,
            second_order: false,
            peer: true,
            pool: true,
            voluntary: true,
            mutation: 1e-3,
            selection: 10.0,
            games: 8,
        }
    }

    fn allowed(&self) -> ([Strategy; 5], usize) {
        let mut list = [Strategy::Contribute; 5];
        let mut n = 0;
        for s in 0..Strategy::COUNT {
            let s = Strategy::from_u8(s);
            let ok = match s {
                Strategy::StayOut => self.voluntary,
                Strategy::PeerPunish => self.peer,
                Strategy::PoolPunish => self.pool,
                _ => true,
            };
            if ok {
                list[n] = s;
                n += 1;
            }
        }
        (list, n)
    }
}

/// Time-averaged shares of each strategy (in `Strategy` order) over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shares(pub [f64; 5]);

impl Shares {
    /// Share of the population contributing (X, V and W).
    pub fn contributing(&self) -> f64 {
        self.0[Strategy::Contribute as usize]
            + self.0[Strategy::PeerPunish as usize]
            + self.0[Strategy::PoolPunish as usize]
    }

    pub fn of(&self, s: Strategy) -> f64 {
        self.0[s as usize]
    }
}

/// One population's run: `updates` individual updates from a population of free
/// riders (the hardest start), with shares averaged over the updates after `burn_in`.
pub fn run(setting: &Setting, updates: u64, burn_in: u64, seed: u64) -> Shares {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let m = setting.population;
    let (allowed, n_allowed) = setting.allowed();
    let mut strategy = vec![Strategy::FreeRide; m];
    let mut counts = [0u64; 5];
    counts[Strategy::FreeRide as usize] = m as u64;
    let mut sums = [0u64; 5];
    let mut measured = 0u64;
    let sanctions = Sanctions {
        peer_fine: setting.peer_fine,
        peer_cost: setting.peer_cost,
        pool_fee: setting.pool_fee,
        pool_fine: 0.0,
        second_order: setting.second_order,
        free_rider_present: 0.0,
    };
    let mut scratch: Vec<usize> = Vec::with_capacity(setting.group);
    for t in 0..updates {
        let i = rng.random_range(0..m);
        let old = strategy[i];
        let new = if rng.random::<f64>() < setting.mutation {
            allowed[rng.random_range(0..n_allowed)]
        } else {
            let mut j = rng.random_range(0..m - 1);
            if j >= i {
                j += 1;
            }
            let theirs = strategy[j];
            if theirs == old {
                old
            } else {
                let mine = payoff(setting, &sanctions, &strategy, i, &mut scratch, &mut rng);
                let peer = payoff(setting, &sanctions, &strategy, j, &mut scratch, &mut rng);
                if rng.random::<f64>() < public_goods::fermi(mine, peer, 1.0 / setting.selection) {
                    theirs
                } else {
                    old
                }
            }
        };
        if new != old {
            strategy[i] = new;
            counts[old as usize] -= 1;
            counts[new as usize] += 1;
        }
        if t >= burn_in {
            for (s, c) in sums.iter_mut().zip(counts) {
                *s += c;
            }
            measured += 1;
        }
    }
    let total = (measured * m as u64).max(1) as f64;
    Shares(sums.map(|s| s as f64 / total))
}

/// Individual `i`'s payoff: the mean over `setting.games` games with co-players drawn
/// from the others.
fn payoff(
    setting: &Setting,
    sanctions: &Sanctions,
    strategy: &[Strategy],
    i: usize,
    scratch: &mut Vec<usize>,
    rng: &mut Xoshiro256PlusPlus,
) -> f64 {
    let s = strategy[i];
    if s == Strategy::StayOut {
        return setting.loner;
    }
    let m = strategy.len();
    let mut total = 0.0;
    for _ in 0..setting.games {
        // N - 1 distinct co-players other than i, drawn by rejection.
        scratch.clear();
        let draws = (setting.group - 1).min(m - 1);
        let mut others = Others::default();
        while scratch.len() < draws {
            let k = rng.random_range(0..m);
            if k == i || scratch.contains(&k) {
                continue;
            }
            scratch.push(k);
            match strategy[k] {
                Strategy::Contribute => others.contribute += 1.0,
                Strategy::FreeRide => others.free_ride += 1.0,
                Strategy::PeerPunish => others.peer += 1.0,
                Strategy::PoolPunish => others.pool += 1.0,
                Strategy::StayOut => {}
            }
        }
        let k = Sanctions {
            pool_fine: setting.pool_fine * others.pool,
            free_rider_present: if others.free_ride > 0.0 { 1.0 } else { 0.0 },
            ..*sanctions
        };
        total += public_goods::participant_payoff(
            s,
            &others,
            setting.cost,
            setting.multiplier,
            setting.loner,
            &k,
        );
    }
    total / setting.games as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_punishment_or_loners_free_riders_take_over() {
        // The compulsory game without punishment: cooperation cannot persist.
        let s = Setting {
            peer: false,
            pool: false,
            voluntary: false,
            ..Setting::sigmund_2010()
        };
        let shares = run(&s, 200_000, 50_000, 1);
        assert!(shares.of(Strategy::FreeRide) > 0.9, "{shares:?}");
        let sum: f64 = shares.0.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn runs_are_reproducible() {
        let s = Setting::sigmund_2010();
        assert_eq!(run(&s, 20_000, 0, 3), run(&s, 20_000, 0, 3));
    }
}
