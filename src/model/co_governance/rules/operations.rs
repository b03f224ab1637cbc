//! Police operations and logistics (mechanism 9 of docs/model.md, section 7.9; "A day,
//! in order", steps 1 and 5b).
//!
//! Officers have limited hours. Of their on-duty hours, a share goes to administration
//! (problem 4) and a share to community work (the remodelled role); the rest is
//! response capacity, with the auxiliaries' call-response hours. This file keeps the
//! day's budget of hours (for presence, burden and cost); the officers and
//! auxiliaries who spend them, and the response time of each call, are units
//! (`rules::dispatch`, `world/units.rs`).
//! Weak logistics (problem 5) stretches travel and handling by 1 + penalty (1 - level).
//!
//! Clearance: Blanes i Vidal and Kirchmaier 2018 (Rev Econ Stud 85:855) find that a
//! 10% longer response lowers the clearance probability by 4.7 percentage points.
//! cogov uses p = base - slope ln(response / reference), slope 0.493 = 0.047/ln 1.1,
//! but never below `operations.clearance_floor_share` x base, plus the joint-action
//! bonus, kept within [0, 1], with each incident's own response time. The floor is
//! the clearance that later investigation brings whatever the response: slow
//! responses cost the on-scene arrest and the named suspect (Blanes i Vidal and
//! Kirchmaier's two channels), not every clearance; in the Kansas City response-time
//! study only a few per cent of serious crimes led to an arrest that depended on the
//! response (Spelman and Brown 1984, Calling the Police, Police Executive Research
//! Forum). The log-linear estimate was made on response times of minutes; without
//! the floor, an overloaded force answering in hours would clear nothing, and
//! deterrence would collapse without limit.

use super::offending::Offence;
use crate::model::co_governance::params::{Logistics, Operations, Police, Residents};

/// Residents per unit of the police's strength: officers are given per 10,000
/// residents.
pub const OFFICERS_PER: f64 = 10_000.0;

/// Residents per unit of the service-call load: service hours are given per 1,000
/// residents.
pub const SERVICE_PER: f64 = 1000.0;

/// The police's time budget for a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoliceTime {
    pub officers: f64,
    pub on_duty: f64,
    /// Officers' hours of community work (the remodelled role).
    pub community: f64,
    /// Auxiliaries' hours on duty.
    pub auxiliary_hours: f64,
    /// Officers' hours left for response after admin and community work.
    pub officer_response: f64,
    /// Response capacity: officers' response hours plus auxiliaries' call hours.
    pub response: f64,
    /// Logistics multiplier on travel and handling.
    pub logistics: f64,
    /// Officer hours one incident takes.
    pub handling: f64,
    /// Hours of non-crime service calls today.
    pub service: f64,
}

/// Splits the day's police hours for a district of `residents`: on-duty hours into
/// community work, administration and response, plus the auxiliaries' call hours.
pub fn police_time(
    police: &Police,
    logistics: &Logistics,
    ops: &Operations,
    residents: f64,
) -> PoliceTime {
    let officers = police.officers_per_10k * residents / OFFICERS_PER;
    let on_duty = officers * police.hours_per_officer_day;
    let community = on_duty * police.community_role_share;
    let admin = on_duty * police.admin_burden_share;
    let auxiliary_hours = officers * police.auxiliaries_per_officer * police.hours_per_officer_day;
    let officer_response = (on_duty - community - admin).max(0.0);
    let response = officer_response + auxiliary_hours * police.auxiliary_response_share;
    let factor = logistics_factor(logistics.level, logistics.penalty);
    let service = ops.service_hours_per_1000 * residents / SERVICE_PER * factor;
    PoliceTime {
        officers,
        on_duty,
        community,
        auxiliary_hours,
        officer_response,
        response,
        logistics: factor,
        handling: ops.handling_hours * factor,
        service,
    }
}

/// Expected community contacts from community hours, one per `hours_per_contact`.
#[inline]
pub fn expected_contacts(community_hours: f64, hours_per_contact: f64) -> f64 {
    community_hours / hours_per_contact
}

/// Probability that patrol finds an unreported incident: 1 - exp(-rate x guardians).
#[inline]
pub fn detection_probability(rate_per_guardian: f64, guardians: f64) -> f64 {
    1.0 - (-rate_per_guardian * guardians).exp()
}

/// Clearance probability of an incident of this kind at the reference response time.
#[inline]
pub fn base_clearance(kind: Offence, ops: &Operations) -> f64 {
    match kind {
        Offence::Property => ops.clearance_property,
        Offence::Violent => ops.clearance_violent,
        Offence::PublicOrder => ops.clearance_public_order,
    }
}

/// Base clearance weighted by the offence mix: what residents expect before they have
/// seen any case.
pub fn expected_clearance(residents: &Residents, ops: &Operations) -> f64 {
    residents.property_share * ops.clearance_property
        + residents.violent_share * ops.clearance_violent
        + (1.0 - residents.property_share - residents.violent_share).max(0.0)
            * ops.clearance_public_order
}

/// Share of response capacity used; undefined (NaN) without capacity.
#[inline]
pub fn utilisation(used_hours: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        used_hours / capacity
    } else {
        f64::NAN
    }
}

/// The load dispatchers plan with: the utilisation, or full load without capacity.
#[inline]
pub fn planning_load(used_hours: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        utilisation(used_hours, capacity)
    } else {
        1.0
    }
}

/// Grid workers' hours on duty in the district.
#[inline]
pub fn grid_worker_hours(per_grid: f64, hours: f64, grids: f64) -> f64 {
    per_grid * hours * grids
}

/// Staff cost of a day: officers' hours at the officer rate, auxiliaries' and grid
/// workers' hours at the auxiliary rate.
#[inline]
pub fn staff_cost(
    officer_hours: f64,
    officer_rate: f64,
    auxiliary_hours: f64,
    grid_worker_hours: f64,
    auxiliary_rate: f64,
) -> f64 {
    officer_hours * officer_rate + (auxiliary_hours + grid_worker_hours) * auxiliary_rate
}

/// Logistics multiplier on travel and handling times: 1 + penalty (1 - level).
#[inline]
pub fn logistics_factor(level: f64, penalty: f64) -> f64 {
    1.0 + penalty * (1.0 - level)
}

/// Clearance probability at a given response time.
#[inline]
pub fn clearance_probability(
    base: f64,
    slope: f64,
    response: f64,
    reference: f64,
    bonus: f64,
    floor_share: f64,
) -> f64 {
    let response = response.max(1e-6);
    let prompt = base - slope * (response / reference).ln();
    (prompt.max(floor_share * base) + bonus).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_percent_slower_costs_four_point_seven_points() {
        let slope = 0.047 / 1.1f64.ln();
        let at_ref = clearance_probability(0.4, slope, 20.0, 20.0, 0.0, 0.0);
        let slower = clearance_probability(0.4, slope, 22.0, 20.0, 0.0, 0.0);
        assert!((at_ref - 0.4).abs() < 1e-12);
        assert!((at_ref - slower - 0.047).abs() < 1e-12);
        assert!((slope - 0.493).abs() < 1e-3);
        assert_eq!(clearance_probability(0.4, slope, 1e6, 20.0, 0.0, 0.0), 0.0);
        assert_eq!(clearance_probability(0.9, slope, 0.01, 20.0, 0.1, 0.0), 1.0);
    }

    #[test]
    fn investigation_keeps_a_floor_under_slow_responses() {
        let slope = 0.493;
        // Near the reference the floor does not bind.
        let near = clearance_probability(0.4, slope, 22.0, 20.0, 0.0, 0.5);
        assert!((near - (0.4 - slope * 1.1f64.ln())).abs() < 1e-12);
        // Hours late: half the base is still cleared, plus any joint bonus.
        assert_eq!(
            clearance_probability(0.4, slope, 600.0, 20.0, 0.0, 0.5),
            0.2
        );
        assert!((clearance_probability(0.4, slope, 1e6, 20.0, 0.1, 0.5) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn police_time_splits_the_day() {
        let p = crate::model::co_governance::params::Params::default();
        let mut police = p.police;
        police.officers_per_10k = 10.0;
        police.hours_per_officer_day = 8.0;
        police.community_role_share = 0.25;
        police.admin_burden_share = 0.25;
        police.auxiliaries_per_officer = 2.0;
        police.auxiliary_response_share = 0.5;
        let mut logistics = p.logistics;
        logistics.level = 0.5;
        logistics.penalty = 1.0;
        let mut ops = p.operations;
        ops.service_hours_per_1000 = 2.0;
        ops.handling_hours = 2.0;
        let t = police_time(&police, &logistics, &ops, 20_000.0);
        assert_eq!(t.officers, 20.0);
        assert_eq!(t.on_duty, 160.0);
        assert_eq!(t.community, 40.0);
        assert_eq!(t.officer_response, 80.0);
        assert_eq!(t.auxiliary_hours, 320.0);
        assert_eq!(t.response, 80.0 + 160.0);
        assert_eq!(t.logistics, 1.5);
        assert_eq!(t.handling, 3.0);
        assert_eq!(t.service, 60.0);
        // Admin and community work beyond the day leave no response hours of officers.
        police.admin_burden_share = 0.9;
        assert_eq!(
            police_time(&police, &logistics, &ops, 20_000.0).officer_response,
            0.0
        );
    }

    #[test]
    fn detection_clearance_and_utilisation() {
        assert_eq!(detection_probability(0.3, 0.0), 0.0);
        assert!((detection_probability(0.5, 2.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
        let p = crate::model::co_governance::params::Params::default();
        let mut r = p.residents;
        let mut ops = p.operations;
        ops.clearance_property = 0.2;
        ops.clearance_violent = 0.6;
        ops.clearance_public_order = 0.8;
        assert_eq!(base_clearance(Offence::Violent, &ops), 0.6);
        r.property_share = 0.5;
        r.violent_share = 0.25;
        assert!((expected_clearance(&r, &ops) - (0.1 + 0.15 + 0.2)).abs() < 1e-15);
        assert_eq!(utilisation(3.0, 4.0), 0.75);
        assert!(utilisation(3.0, 0.0).is_nan());
        assert_eq!(planning_load(3.0, 4.0), 0.75);
        assert_eq!(planning_load(3.0, 0.0), 1.0);
        assert_eq!(expected_contacts(6.0, 1.5), 4.0);
        assert_eq!(grid_worker_hours(2.0, 8.0, 9.0), 144.0);
        assert_eq!(staff_cost(10.0, 50.0, 20.0, 4.0, 25.0), 500.0 + 600.0);
    }

    #[test]
    fn logistics_stretch_times() {
        assert_eq!(logistics_factor(1.0, 1.0), 1.0);
        assert_eq!(logistics_factor(0.0, 1.0), 2.0);
        assert!((logistics_factor(0.4, 1.0) - 1.6).abs() < 1e-12);
    }
}
