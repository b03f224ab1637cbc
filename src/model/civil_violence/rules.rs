//! Every formula of the civil-violence model as a pure function (Epstein 2002, PNAS
//! 99:7243): the estimated arrest probability under each [`ArrestRule`] and the
//! activation test (rules A and C), the decisions the view cannot change, and the
//! schedules of legitimacy and cops (runs 3 to 5). The world calls them in the order
//! of a tick; the output's formulas are in `metrics.rs`.
//!
//! Grievance G = H (1 - L) and the test G - R P > T are also the co-governance
//! model's offending rule, which takes them from here: the reference model that
//! implements the paper owns one definition for both models, and depends on no other
//! model.

use super::params::{ArrestRule, CopSchedule, Cops, Legitimacy, LegitimacySchedule};

/// Epstein's grievance G = H (1 - L), with hardship H and legitimacy L.
#[inline]
pub fn grievance(hardship: f64, legitimacy: f64) -> f64 {
    hardship * (1.0 - legitimacy)
}

/// Epstein's estimated arrest probability P = 1 - exp(-k C / A), with A already
/// including the agent itself (so A >= 1).
#[inline]
pub fn epstein_arrest_probability(k: f64, guardians: f64, actives_including_self: f64) -> f64 {
    1.0 - (-k * guardians / actives_including_self.max(1.0)).exp()
}

/// Epstein's activation rule (rule A): active when G - R P > T, with risk aversion R,
/// estimated arrest probability P and threshold T. The comparison is strict, as in
/// the paper.
#[inline]
pub fn is_active(
    grievance: f64,
    risk_aversion: f64,
    arrest_probability: f64,
    threshold: f64,
) -> bool {
    grievance - risk_aversion * arrest_probability > threshold
}

/// round(n / d) with ties to the even neighbour (Python's `round`), in integers so
/// the ties are exact. `d` must be positive.
fn round_half_even(n: u32, d: u32) -> u32 {
    let (q, r) = (n / d, n % d);
    match (2 * u64::from(r)).cmp(&u64::from(d)) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// The whole-number ratio r of `rule` for a citizen who sees `cops` cops and
/// `actives_including_self` actives (at least 1): floor(C/A) or round(C/A); `None`
/// under the printed rule, whose ratio is C/A itself. The world looks the probability
/// of a whole-number ratio up in a table of [`ratio_arrest_probability`].
#[inline]
pub fn whole_ratio(rule: ArrestRule, cops: u32, actives_including_self: u32) -> Option<u32> {
    let a = actives_including_self.max(1);
    match rule {
        ArrestRule::Printed => None,
        // Most views hold no other active: no division.
        _ if a == 1 => Some(cops),
        ArrestRule::Floored => Some(cops / a),
        ArrestRule::Rounded => Some(round_half_even(cops, a)),
    }
}

/// P = 1 - exp(-k r) for a whole-number ratio r (see [`whole_ratio`]).
#[inline]
pub fn ratio_arrest_probability(k: f64, ratio: u32) -> f64 {
    1.0 - (-k * f64::from(ratio)).exp()
}

/// The estimated arrest probability P = 1 - exp(-k r) of a citizen who sees `cops`
/// cops and `actives_including_self` actives, counting itself (the paper: "A is
/// always at least 1, because the agent always counts himself as active"), with the
/// ratio r of `rule`.
///
/// # Examples
/// ```
/// use cogov::model::civil_violence::{ArrestRule, arrest_probability};
/// // The paper's calibration: one cop, one active (oneself), k = 2.3: P = 0.90.
/// let p = arrest_probability(ArrestRule::Printed, 2.3, 1, 1);
/// assert!((p - 0.9).abs() < 0.001);
/// // Floored: two actives and one cop give floor(1/2) = 0, so no risk at all.
/// assert_eq!(arrest_probability(ArrestRule::Floored, 2.3, 1, 2), 0.0);
/// ```
pub fn arrest_probability(rule: ArrestRule, k: f64, cops: u32, actives_including_self: u32) -> f64 {
    let a = actives_including_self.max(1);
    match whole_ratio(rule, cops, a) {
        Some(ratio) => ratio_arrest_probability(k, ratio),
        None => epstein_arrest_probability(k, f64::from(cops), f64::from(a)),
    }
}

/// Rule A's answer when the view cannot change it: G - R P > T falls as P rises and P
/// lies in [0, 1], so a citizen with G - R 0 <= T is quiet (`Some(false)`) and one
/// with G - R 1 > T active (`Some(true)`) whatever it sees. `None` for a deterrable
/// citizen (G > T >= G - R), whose arrest risk decides.
pub fn settled(grievance: f64, risk_aversion: f64, threshold: f64) -> Option<bool> {
    if !is_active(grievance, risk_aversion, 0.0, threshold) {
        Some(false)
    } else if is_active(grievance, risk_aversion, 1.0, threshold) {
        Some(true)
    } else {
        None
    }
}

/// Legitimacy during tick `tick` (ticks count from 1) under the section's schedule.
pub fn legitimacy_at(l: &Legitimacy, tick: u32) -> f64 {
    let l0 = l.level;
    match l.schedule {
        LegitimacySchedule::Constant => l0,
        LegitimacySchedule::Decline => {
            if tick < l.change_tick {
                l0
            } else {
                (l0 - l.per_tick * f64::from(tick - l.change_tick + 1)).max(l.floor)
            }
        }
        LegitimacySchedule::Drop => {
            if tick < l.change_tick {
                l0
            } else {
                l0 - l.drop
            }
        }
    }
}

/// The number of cops the section's schedule asks for during tick `tick` on a torus
/// of `cells` cells, given the number placed at the start; `None` when the schedule
/// does not act at this tick.
pub fn cops_wanted(c: &Cops, cells: usize, tick: u32, initial_cops: usize) -> Option<usize> {
    let cells = cells as f64;
    match c.schedule {
        CopSchedule::Constant => None,
        CopSchedule::Reduce => {
            if tick < c.change_tick {
                return None;
            }
            let floor = (c.target_density * cells).round() as usize;
            let withdrawn = (c.per_tick * f64::from(tick - c.change_tick + 1)).floor() as usize;
            Some(
                initial_cops
                    .saturating_sub(withdrawn)
                    .max(floor)
                    .min(initial_cops),
            )
        }
        CopSchedule::SetDensity => {
            (tick == c.change_tick).then(|| (c.target_density * cells).round() as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::civil_violence::params::paper_run;

    const K: f64 = 2.3;

    fn p(rule: ArrestRule, c: u32, a: u32) -> f64 {
        arrest_probability(rule, K, c, a)
    }

    #[test]
    fn the_printed_rule_is_the_paper_s_formula() {
        assert!((p(ArrestRule::Printed, 1, 1) - (1.0 - (-2.3f64).exp())).abs() < 1e-15);
        assert!((p(ArrestRule::Printed, 1, 3) - (1.0 - (-2.3f64 / 3.0).exp())).abs() < 1e-15);
        assert_eq!(p(ArrestRule::Printed, 0, 5), 0.0, "no cops, no risk");
        // A lone agent counts itself: A is never below 1.
        assert_eq!(p(ArrestRule::Printed, 2, 0), p(ArrestRule::Printed, 2, 1));
    }

    #[test]
    fn the_floored_rule_gives_no_risk_once_actives_outnumber_cops() {
        for (c, a) in [(0, 1), (1, 2), (2, 3), (10, 11)] {
            assert_eq!(p(ArrestRule::Floored, c, a), 0.0, "C = {c}, A = {a}");
        }
        // C >= A: at least 1 - e^-2.3 = 0.90; C = 2A: 1 - e^-4.6 = 0.99.
        assert_eq!(p(ArrestRule::Floored, 3, 3), p(ArrestRule::Printed, 1, 1));
        assert_eq!(p(ArrestRule::Floored, 5, 2), p(ArrestRule::Printed, 2, 1));
        assert_eq!(p(ArrestRule::Floored, 1, 0), p(ArrestRule::Floored, 1, 1));
    }

    #[test]
    fn the_rounded_rule_rounds_ties_to_even_as_python_does() {
        assert_eq!(round_half_even(1, 2), 0, "round(0.5) == 0");
        assert_eq!(round_half_even(3, 2), 2, "round(1.5) == 2");
        assert_eq!(round_half_even(5, 2), 2, "round(2.5) == 2");
        assert_eq!(round_half_even(2, 3), 1, "round(0.667) == 1");
        assert_eq!(round_half_even(1, 3), 0);
        assert_eq!(round_half_even(7, 7), 1);
        assert_eq!(p(ArrestRule::Rounded, 1, 2), 0.0);
        assert_eq!(p(ArrestRule::Rounded, 2, 3), p(ArrestRule::Printed, 1, 1));
        // A lone active: the ratio is the cops, under either whole-number rule.
        for rule in [ArrestRule::Floored, ArrestRule::Rounded] {
            assert_eq!(whole_ratio(rule, 5, 1), Some(5));
            assert_eq!(whole_ratio(rule, 5, 0), Some(5));
        }
        assert_eq!(whole_ratio(ArrestRule::Floored, 5, 2), Some(2));
        assert_eq!(whole_ratio(ArrestRule::Rounded, 5, 2), Some(2));
        assert_eq!(whole_ratio(ArrestRule::Rounded, 7, 2), Some(4));
        assert_eq!(whole_ratio(ArrestRule::Printed, 5, 1), None);
    }

    #[test]
    fn activation_is_strictly_above_the_threshold() {
        // G = 0.5 (1 - 0.6) = 0.2; with P = 0, G - N = 0.2 > 0.1: active.
        let g = grievance(0.5, 0.6);
        assert!((g - 0.2).abs() < 1e-12);
        assert!(is_active(g, 0.9, 0.0, 0.1));
        // A cop in view and no other active: P = 0.9, N = 0.81: quiet.
        assert!(!is_active(g, 0.9, p(ArrestRule::Floored, 1, 1), 0.1));
        assert!(!is_active(0.1, 0.0, 0.0, 0.1), "G - N = T is quiet");
    }

    #[test]
    fn only_deterrable_citizens_need_to_look() {
        // G = 0.05 <= T: quiet whatever P; G - R = 0.5 - 0.2 > T: active whatever P.
        assert_eq!(settled(0.05, 0.0, 0.1), Some(false));
        assert_eq!(settled(0.5, 0.2, 0.1), Some(true));
        // G = 0.5 > T >= G - R = 0.0: P decides, and the answers at P = 0 and 1 differ.
        assert_eq!(settled(0.5, 0.5, 0.1), None);
        assert!(is_active(0.5, 0.5, 0.0, 0.1) && !is_active(0.5, 0.5, 1.0, 0.1));
    }

    #[test]
    fn legitimacy_schedules_follow_their_definitions() {
        let l = paper_run(3).legitimacy;
        assert_eq!(legitimacy_at(&l, 76), 0.9);
        assert!((legitimacy_at(&l, 77) - 0.89).abs() < 1e-12);
        assert!((legitimacy_at(&l, 96) - 0.7).abs() < 1e-12);
        assert_eq!(legitimacy_at(&l, 500), 0.2, "floored at `floor`");
        let l = paper_run(4).legitimacy;
        assert_eq!(legitimacy_at(&l, 76), 0.9);
        assert!((legitimacy_at(&l, 77) - 0.7).abs() < 1e-12);
        assert!((legitimacy_at(&l, 300) - 0.7).abs() < 1e-12);
        let constant = paper_run(2).legitimacy;
        assert_eq!(legitimacy_at(&constant, 1_000), 0.82);
    }

    #[test]
    fn cop_schedules_follow_their_definitions() {
        let c = paper_run(5).cops;
        assert_eq!(cops_wanted(&c, 1600, 49, 118), None);
        assert_eq!(
            cops_wanted(&c, 1600, 50, 118),
            Some(118),
            "a quarter cop is no cop"
        );
        assert_eq!(cops_wanted(&c, 1600, 53, 118), Some(117));
        assert_eq!(cops_wanted(&c, 1600, 10_000, 118), Some(0));
        let set = Cops {
            schedule: CopSchedule::SetDensity,
            change_tick: 10,
            target_density: 0.01,
            ..Cops::default()
        };
        assert_eq!(cops_wanted(&set, 1600, 9, 64), None);
        assert_eq!(cops_wanted(&set, 1600, 10, 64), Some(16));
        assert_eq!(cops_wanted(&set, 1600, 11, 64), None);
        assert_eq!(cops_wanted(&Cops::default(), 1600, 50, 64), None);
    }
}
