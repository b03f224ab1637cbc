//! Diffusion of responsibility (mechanism 5 of docs/model.md): who acts when several
//! actors could.
//!
//! Darley and Latane 1968 (J Pers Soc Psychol 8(4):377-383) showed that bystanders
//! help less when more could; Diekmann 1985 (J Conflict Resolut 29(4):605-610)
//! formalised it as the volunteer's dilemma: n actors
//! each gain b if at least one acts, acting costs c < b. In the symmetric mixed
//! equilibrium each acts with p = 1 - (c/b)^(1/(n-1)), and nobody acts with probability
//! (c/b)^(n/(n-1)), which rises with n.
//!
//! Motivation m (see `rights`) scales every actor's benefit, so the ratio that matters
//! is c/(b m). Clear liability names one responsible actor, who does not wait for
//! others: it acts whenever its benefit exceeds its cost. cogov smooths that step into
//! a ramp, acting with probability min(1, b m / c), so a demotivated named actor acts
//! less, but the number of co-responsible actors no longer matters. With unclear
//! liability the n actors play the volunteer's dilemma with ratio c/(b m); a ratio of 1
//! or more means acting never pays and nobody acts.
//!
//! Who acts (docs/model.md, "The liability rule"): the named actor is the grid worker
//! (the police where a district has no grid workers); under unclear liability the
//! actor is drawn, each group with the same chance, from the groups present in the
//! grid: grid workers (if any), NGOs and enterprises (if one there is engaged or
//! contributing) and the police, who are always there.

/// Who acts on a call to the community (a dispute, a clean-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    GridWorker,
    Ngo,
    Enterprise,
    Police,
}

/// The actor named liable under clear liability.
#[inline]
pub fn named_actor(has_grid_workers: bool) -> Actor {
    if has_grid_workers {
        Actor::GridWorker
    } else {
        Actor::Police
    }
}

/// The groups present in a grid, in a fixed order, and how many there are; under
/// unclear liability one of the first `n` is drawn uniformly to act.
#[inline]
pub fn groups_present(has_grid_workers: bool, ngo: bool, enterprise: bool) -> ([Actor; 4], usize) {
    let mut present = [Actor::Police; 4];
    let mut n = 0;
    for (cond, a) in [
        (has_grid_workers, Actor::GridWorker),
        (ngo, Actor::Ngo),
        (enterprise, Actor::Enterprise),
        (true, Actor::Police),
    ] {
        if cond {
            present[n] = a;
            n += 1;
        }
    }
    (present, n)
}

/// Equilibrium probability that none of `n` actors acts: (c/b)^(n/(n-1)), or 0 for a
/// single actor with c < b.
pub fn probability_nobody_acts(n: u32, ratio: f64) -> f64 {
    if ratio.is_nan() || ratio >= 1.0 {
        return 1.0;
    }
    if n <= 1 {
        return 0.0;
    }
    let n = f64::from(n);
    ratio.max(0.0).powf(n / (n - 1.0))
}

/// The effective cost-benefit ratio c/(b m) of an actor with motivation `motivation`.
pub fn effective_ratio(cost_benefit_ratio: f64, motivation: f64) -> f64 {
    if motivation > 0.0 {
        cost_benefit_ratio / motivation
    } else {
        f64::INFINITY
    }
}

/// Probability that a named responsible actor acts: min(1, b m / c).
pub fn named_act_probability(cost_benefit_ratio: f64, motivation: f64) -> f64 {
    (1.0 / effective_ratio(cost_benefit_ratio, motivation)).min(1.0)
}

/// Probability that somebody acts on a call, given the liability arrangement:
/// with probability `clarity` a named actor acts (see [`named_act_probability`]);
/// otherwise `n` co-responsible actors play the volunteer's dilemma with ratio
/// c/(b m).
pub fn probability_someone_acts(
    clarity: f64,
    n: u32,
    cost_benefit_ratio: f64,
    motivation: f64,
) -> f64 {
    let named = named_act_probability(cost_benefit_ratio, motivation);
    let diffuse = 1.0 - probability_nobody_acts(n, effective_ratio(cost_benefit_ratio, motivation));
    clarity * named + (1.0 - clarity) * diffuse
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Diekmann's equilibrium probability that each of `n` actors acts,
    /// p = 1 - (c/b)^(1/(n-1)); the day needs only its consequence,
    /// [`probability_nobody_acts`], which the tests check against it.
    fn equilibrium_act_probability(n: u32, ratio: f64) -> f64 {
        if ratio.is_nan() || ratio >= 1.0 {
            return 0.0;
        }
        if n <= 1 {
            return 1.0;
        }
        1.0 - ratio.max(0.0).powf(1.0 / f64::from(n - 1))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn equilibrium_matches_diekmann_closed_form() {
        // n = 2, c/b = 0.25: p = 1 - 0.25 = 0.75; nobody = 0.25^2 = 0.0625.
        assert!(close(equilibrium_act_probability(2, 0.25), 0.75));
        assert!(close(probability_nobody_acts(2, 0.25), 0.0625));
        // n = 3, c/b = 0.25: p = 1 - 0.5 = 0.5; nobody = 0.25^1.5 = 0.125 = (1 - p)^3.
        assert!(close(equilibrium_act_probability(3, 0.25), 0.5));
        assert!(close(probability_nobody_acts(3, 0.25), 0.125));
        // Consistency: nobody acts = (1 - p)^n for any n.
        for n in 2..10 {
            let p = equilibrium_act_probability(n, 0.4);
            assert!(close(
                probability_nobody_acts(n, 0.4),
                (1.0 - p).powi(n as i32)
            ));
        }
    }

    #[test]
    fn nobody_acts_more_often_as_actors_are_added() {
        let mut last = 0.0;
        for n in 1..20 {
            let q = probability_nobody_acts(n, 0.4);
            assert!(q >= last, "n = {n}");
            last = q;
        }
        // The limit is c/b itself.
        assert!((probability_nobody_acts(10_000, 0.4) - 0.4).abs() < 1e-3);
    }

    #[test]
    fn single_actor_and_costly_action_edge_cases() {
        assert_eq!(equilibrium_act_probability(1, 0.9), 1.0);
        assert_eq!(probability_nobody_acts(1, 0.9), 0.0);
        assert_eq!(equilibrium_act_probability(4, 1.0), 0.0);
        assert_eq!(probability_nobody_acts(4, 2.0), 1.0);
        assert_eq!(probability_nobody_acts(4, f64::INFINITY), 1.0);
        assert_eq!(probability_nobody_acts(4, f64::NAN), 1.0);
    }

    #[test]
    fn the_named_actor_and_the_groups_present() {
        assert_eq!(named_actor(true), Actor::GridWorker);
        assert_eq!(named_actor(false), Actor::Police);
        let (all, n) = groups_present(true, true, true);
        assert_eq!(n, 4);
        assert_eq!(
            all,
            [
                Actor::GridWorker,
                Actor::Ngo,
                Actor::Enterprise,
                Actor::Police
            ]
        );
        let (some, n) = groups_present(false, false, true);
        assert_eq!(&some[..n], &[Actor::Enterprise, Actor::Police]);
        let (none, n) = groups_present(false, false, false);
        assert_eq!(&none[..n], &[Actor::Police]);
    }

    #[test]
    fn clear_liability_does_not_depend_on_the_number_of_actors() {
        let a = probability_someone_acts(1.0, 2, 0.4, 0.8);
        let b = probability_someone_acts(1.0, 12, 0.4, 0.8);
        assert!(close(a, 1.0) && close(b, 1.0));
        // A demotivated named actor (b m < c) acts on a share b m / c of calls.
        assert!(close(probability_someone_acts(1.0, 12, 0.4, 0.2), 0.5));
        let c = probability_someone_acts(0.0, 2, 0.4, 0.8);
        let d = probability_someone_acts(0.0, 12, 0.4, 0.8);
        assert!(c > d);
        assert!(close(c, 1.0 - 0.5f64.powi(2)));
    }
}
