//! Officers and auxiliaries as units (mechanism 9 of docs/model.md, "The officer and
//! auxiliary agents"): how many there are, their rota and shifts, the blocks of
//! administration and community work in a shift, their state at a time, when a unit
//! is next free, the distance and travel time to a call, and the handling-time
//! distribution. The world (`world/units.rs`) keeps each unit's state, draws, and
//! runs the day's calls in time order; every formula it applies is here.
//!
//! - **Shifts.** Three shifts a day (Larson and Odoni 1981, *Urban Operations
//!   Research*, ch. 5: patrol forces work in tours of duty, typically three 8-hour
//!   shifts). A unit works its shift on a share min(1, hours_per_officer_day / 8) of
//!   days by a fixed rota that keeps every shift staffed; above 8 hours a day every
//!   unit works every day a shift of `hours_per_officer_day` (overtime), the three
//!   shifts then overlapping.
//! - **Time off the radio.** Within its shift an officer spends
//!   `admin_burden_share` of the shift in administration and `community_role_share` in
//!   community work (PA Consulting Group 2001, *Diary of a Police Officer*, Home Office
//!   Police Research Series Paper 149, found English officers spent 43% of their shift
//!   in the station), in `BLOCKS_PER_SHIFT` equal blocks, one per quarter of the shift
//!   at a phase drawn uniformly: administration first, then community work. An
//!   auxiliary is on call for `auxiliary_response_share` of its shift and on guard and
//!   community duty the rest, in blocks likewise.
//! - **Priority.** A property or violent offence that finds no officer free pulls the
//!   nearest officer out of administration (the paperwork waits); nothing pulls a unit
//!   out of community work, and no other call pulls anyone.
//! - **Displaced blocks are made up.** Block time a call overlaps (a call runs on
//!   into a block, or pulled an officer out of one) is done straight after the call, so
//!   administration and community work take their share of the shift however busy
//!   the unit is.
//! - **Distance.** Manhattan distance: travel in a city follows the street grid, whose
//!   right-angle metric is the standard model of urban travel distance (Larson and
//!   Odoni 1981, ch. 3). The dispatcher picks the nearest unit by the grids' distance
//!   on the lattice; the travel itself runs between a point of the unit's grid (where
//!   its patrol has taken it) and a point of the call's grid, each uniform in its grid.
//! - **Handling time.** Log-normal with the mean `operations.handling_hours` times the
//!   logistics factor and coefficient of variation `operations.handling_cv`: time on
//!   scene and after is strongly right-skewed (a few calls take many hours), which a
//!   log-normal reproduces (Larson and Odoni 1981, ch. 5, use it for service times).

use super::operations::OFFICERS_PER;
use super::space::MINUTES_PER_HOUR;
use crate::model::co_governance::params::Operations;

/// Minutes in a day; a call's time is absolute minutes since the run began.
pub const MINUTES_PER_DAY: f64 = 1440.0;
/// Length of a shift when `hours_per_officer_day` is at most 8.
pub const SHIFT_MINUTES: f64 = 480.0;
/// Shifts in a day.
pub const SHIFTS: usize = 3;
/// Blocks of administration and community work in a shift: one every two hours of
/// an 8-hour shift (modelling choice).
pub const BLOCKS_PER_SHIFT: usize = 4;
/// A call still waiting this long after it came in is closed unattended: the caller
/// gives up or the matter is taken by phone (modelling choice: one day).
pub const ABANDON_MINUTES: f64 = 1440.0;

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A sworn officer: takes every call.
    Officer,
    /// An auxiliary: takes non-crime calls only (auxiliaries assist but cannot enforce
    /// alone).
    Auxiliary,
}

/// What a unit is doing at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitState {
    /// On duty and free: can be dispatched.
    Patrol,
    /// Community work (officers) or guard and community duty (auxiliaries).
    Community,
    Administration,
    /// On the way to a call.
    Travelling,
    /// At a call or writing it up.
    Handling,
    OffDuty,
}

/// Officers and auxiliaries in a district of `residents`. A district with any
/// strength has at least one officer; auxiliaries are rounded from the unrounded
/// officer count.
pub fn unit_counts(
    officers_per_10k: f64,
    auxiliaries_per_officer: f64,
    residents: f64,
) -> (usize, usize) {
    let officers = officers_per_10k * residents / OFFICERS_PER;
    if officers <= 0.0 {
        return (0, 0);
    }
    let auxiliaries = (officers * auxiliaries_per_officer).round() as usize;
    ((officers.round() as usize).max(1), auxiliaries)
}

/// The rota: shift length and the share of days a unit is on duty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rota {
    pub shift_minutes: f64,
    pub on_duty_share: f64,
}

/// The rota that gives `hours_per_day` on-duty hours a calendar day on average.
pub fn rota(hours_per_day: f64) -> Rota {
    let minutes = hours_per_day * MINUTES_PER_HOUR;
    Rota {
        shift_minutes: minutes.max(SHIFT_MINUTES),
        on_duty_share: (minutes / SHIFT_MINUTES).min(1.0),
    }
}

/// Start of shift `shift` (0, 1, 2) in minutes of the day: 0, 8 and 16 hours for
/// 8-hour shifts; longer shifts start earlier so none runs past midnight.
#[inline]
pub fn shift_start(shift: usize, shift_minutes: f64) -> f64 {
    shift as f64 * (MINUTES_PER_DAY - shift_minutes).max(0.0) / (SHIFTS - 1) as f64
}

/// The rota phase of the `j`-th of `m` units that share a shift: evenly spaced, so
/// that on every day the number of them on duty is the share of `m` rounded down or
/// up (a rota keeps every shift staffed).
#[inline]
pub fn rota_phase(j: usize, m: usize) -> f64 {
    j as f64 / m.max(1) as f64
}

/// Whether a unit with rota `phase` works on day `day`: exactly a share `share` of
/// days over any long stretch, spread evenly.
#[inline]
pub fn on_duty(day: u64, phase: f64, share: f64) -> bool {
    let d = day as f64;
    ((d + 1.0) * share + phase).floor() > (d * share + phase).floor()
}

/// A unit's day: its shift and its blocks of time off the radio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// Start and end of the shift in absolute minutes (equal when off duty).
    pub start: f64,
    pub end: f64,
    /// Where the first block starts, in minutes after the shift's start; blocks repeat
    /// every `(end - start) / BLOCKS_PER_SHIFT` minutes and wrap within the shift.
    pub phase: f64,
    /// Length of each block: administration first, then community work.
    pub block: f64,
    /// Administration in each block.
    pub admin: f64,
}

impl Shift {
    /// A day off.
    pub const OFF: Shift = Shift {
        start: 0.0,
        end: 0.0,
        phase: 0.0,
        block: 0.0,
        admin: 0.0,
    };

    /// A shift from `start` (absolute minutes) lasting `length`, with `admin` minutes of
    /// administration and `other` minutes of community work in all, spread over
    /// `BLOCKS_PER_SHIFT` equal blocks, the first `offset_share` of a period into the
    /// shift.
    pub fn new(start: f64, length: f64, offset_share: f64, admin: f64, other: f64) -> Shift {
        let blocks = BLOCKS_PER_SHIFT as f64;
        let total = (admin + other).min(length);
        Shift {
            start,
            end: start + length,
            phase: offset_share * length / blocks,
            block: total / blocks,
            admin: admin.min(total) / blocks,
        }
    }

    /// Whether the unit is on duty at `t`.
    #[inline]
    pub fn on_duty(&self, t: f64) -> bool {
        self.start <= t && t < self.end
    }

    /// Minutes into the current block at `t`, if `t` is inside a block (`t` on duty).
    #[inline]
    fn minutes_into_block(&self, t: f64) -> Option<f64> {
        let period = (self.end - self.start) / BLOCKS_PER_SHIFT as f64;
        let pos = (t - self.start - self.phase).rem_euclid(period);
        (pos < self.block).then_some(pos)
    }

    /// Whether the unit is on duty and in administration at `t`.
    #[inline]
    pub fn in_administration(&self, t: f64) -> bool {
        self.on_duty(t)
            && self
                .minutes_into_block(t)
                .is_some_and(|pos| pos < self.admin)
    }

    /// The earliest time at or after `t` when the unit is on duty outside its blocks;
    /// infinity if that is not before the shift ends.
    pub fn free_from(&self, t: f64) -> f64 {
        if t >= self.end {
            return f64::INFINITY;
        }
        let t = self.unblocked_from(t);
        if t < self.end { t } else { f64::INFINITY }
    }

    /// The earliest time at or after `t` and the shift's start that is outside the
    /// unit's blocks, whether or not the shift has ended by then: what
    /// [`Shift::free_from`] finds before it checks the end of the shift.
    #[inline]
    pub fn unblocked_from(&self, t: f64) -> f64 {
        let mut t = t.max(self.start);
        if let Some(pos) = self.minutes_into_block(t) {
            t += self.block - pos;
        }
        t
    }

    /// Minutes of block time in the shift between `a` and `b` (absolute minutes).
    pub fn block_minutes_between(&self, a: f64, b: f64) -> f64 {
        let length = self.end - self.start;
        if length <= 0.0 || self.block <= 0.0 {
            return 0.0;
        }
        let rel = |t: f64| (t - self.start).clamp(0.0, length);
        (self.blocks_before(rel(b)) - self.blocks_before(rel(a))).max(0.0)
    }

    /// Block minutes in the first `r` minutes of the shift. The blocks start at
    /// `phase + k period`; the last wraps to the shift's start, which is block k = -1.
    fn blocks_before(&self, r: f64) -> f64 {
        let length = self.end - self.start;
        let period = length / BLOCKS_PER_SHIFT as f64;
        (-1..BLOCKS_PER_SHIFT as i32)
            .map(|k| {
                let from = (self.phase + f64::from(k) * period).max(0.0);
                let to = (self.phase + f64::from(k) * period + self.block)
                    .min(length)
                    .min(r);
                (to - from).max(0.0)
            })
            .sum()
    }

    /// Minutes of the shift the unit can be dispatched.
    #[inline]
    pub fn available_minutes(&self) -> f64 {
        (self.end - self.start - BLOCKS_PER_SHIFT as f64 * self.block).max(0.0)
    }

    /// Minutes of community work in the shift.
    #[inline]
    pub fn community_minutes(&self) -> f64 {
        BLOCKS_PER_SHIFT as f64 * (self.block - self.admin)
    }
}

/// A unit's state at `t`, from its shift and the call it is on (`arrive_at`, when it
/// reaches the scene; `busy_until`, when it is free again). A call runs on past the
/// end of a shift: a unit finishes what it started.
pub fn state(shift: &Shift, t: f64, arrive_at: f64, busy_until: f64) -> UnitState {
    if t < busy_until {
        return if t < arrive_at {
            UnitState::Travelling
        } else {
            UnitState::Handling
        };
    }
    if !shift.on_duty(t) {
        return UnitState::OffDuty;
    }
    match shift.minutes_into_block(t) {
        Some(pos) if pos < shift.admin => UnitState::Administration,
        Some(_) => UnitState::Community,
        None => UnitState::Patrol,
    }
}

/// Manhattan distance in grids between grids `a` and `b` of a lattice `width` wide.
#[inline]
pub fn manhattan(a: usize, b: usize, width: usize) -> usize {
    let (ax, ay) = (a % width, a / width);
    let (bx, by) = (b % width, b / width);
    ax.abs_diff(bx) + ay.abs_diff(by)
}

/// Street distance in grid widths from a unit in grid `a` to a call in grid `b`:
/// Manhattan distance between points placed in their grids by `offsets` (the unit's
/// x and y, then the call's, each uniform in [-0.5, 0.5) of a grid width around the
/// grid's centre).
#[inline]
pub fn street_distance(a: usize, b: usize, width: usize, offsets: [f64; 4]) -> f64 {
    let (ax, ay) = ((a % width) as f64, (a / width) as f64);
    let (bx, by) = ((b % width) as f64, (b / width) as f64);
    (ax + offsets[0] - bx - offsets[2]).abs() + (ay + offsets[1] - by - offsets[3]).abs()
}

/// Call-handling delay before a unit is assigned: the dispatch minutes less what
/// integrated IT dispatch removes at `it_level`.
#[inline]
pub fn dispatch_delay(ops: &Operations, it_level: f64) -> f64 {
    ops.dispatch_minutes * (1.0 - ops.dispatch_it_gain * it_level)
}

/// Travel time in minutes over `distance` grid widths: the fixed time to get under
/// way and to the door plus one grid crossing per grid width, stretched by the
/// logistics factor.
#[inline]
pub fn travel_minutes(distance: f64, ops: &Operations, logistics: f64) -> f64 {
    logistics * (ops.travel_minutes + ops.grid_crossing_minutes * distance)
}

/// The (mu, sigma) of a log-normal with this mean and coefficient of variation.
#[inline]
pub fn log_normal_params(mean: f64, cv: f64) -> (f64, f64) {
    let s2 = (1.0 + cv * cv).ln();
    (mean.ln() - s2 / 2.0, s2.sqrt())
}

/// Expected non-crime service calls a day: the day's service hours over the mean
/// hours a call takes (both before the logistics factor, which cancels).
#[inline]
pub fn service_calls(service_hours: f64, handling_hours: f64) -> f64 {
    if handling_hours > 0.0 {
        service_hours / handling_hours
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn counts_round_and_keep_one_officer() {
        assert_eq!(unit_counts(10.0, 2.5, 28_296.0), (28, 71));
        assert_eq!(unit_counts(10.0, 2.5, 100.0), (1, 0));
        assert_eq!(unit_counts(0.0, 2.5, 28_296.0), (0, 0));
    }

    #[test]
    fn the_rota_gives_the_hours() {
        let r = rota(6.0);
        assert_eq!(r.shift_minutes, 480.0);
        assert_eq!(r.on_duty_share, 0.75);
        assert_eq!(
            rota(12.0),
            Rota {
                shift_minutes: 720.0,
                on_duty_share: 1.0
            }
        );
        assert_eq!(shift_start(0, 480.0), 0.0);
        assert_eq!(shift_start(1, 480.0), 480.0);
        assert_eq!(shift_start(2, 480.0), 960.0);
        assert_eq!(shift_start(2, 720.0), 720.0);
        assert_eq!(shift_start(2, 1440.0), 0.0);
        // Over 400 days a unit works exactly 300 at share 0.75, whatever its phase.
        for j in 0..5 {
            let phase = rota_phase(j, 5);
            assert!((0.0..1.0).contains(&phase));
            let days = (0..400).filter(|&d| on_duty(d, phase, 0.75)).count();
            assert_eq!(days, 300);
        }
        // Two units sharing a shift at 0.75 are never off on the same day; five at
        // 0.5 are two or three on duty every day.
        let pair = |d| on_duty(d, rota_phase(0, 2), 0.75) || on_duty(d, rota_phase(1, 2), 0.75);
        assert!((0..400).all(pair));
        for d in 0..400 {
            let on = (0..5)
                .filter(|&j| on_duty(d, rota_phase(j, 5), 0.5))
                .count();
            assert!((2..=3).contains(&on), "day {d}: {on}");
        }
        assert!((0..10).all(|d| on_duty(d, 0.3, 1.0)));
        assert!((0..10).all(|d| !on_duty(d, 0.3, 0.0)));
    }

    #[test]
    fn a_unit_is_free_outside_its_blocks() {
        // Shift 1000..1480, 60 admin + 60 community in four blocks of 15 + 15 every 120
        // minutes, the first 100 minutes in: blocks at 1100, 1220, 1340 and 1460, the
        // last wrapping to 1000..1010.
        let s = Shift::new(1000.0, 480.0, 100.0 / 120.0, 60.0, 60.0);
        assert_eq!(s.available_minutes(), 360.0);
        assert_eq!(s.community_minutes(), 60.0);
        assert_eq!(s.free_from(900.0), 1010.0);
        assert_eq!(s.free_from(1005.0), 1010.0);
        assert_eq!(s.free_from(1050.0), 1050.0);
        assert_eq!(s.free_from(1100.0), 1130.0);
        assert_eq!(s.free_from(1465.0), f64::INFINITY);
        assert_eq!(s.free_from(1480.0), f64::INFINITY);
        assert!(s.in_administration(1105.0));
        assert!(!s.in_administration(1120.0));
        assert!(!s.in_administration(1500.0));
        assert_eq!(state(&s, 1105.0, 0.0, 0.0), UnitState::Administration);
        assert_eq!(state(&s, 1120.0, 0.0, 0.0), UnitState::Community);
        assert_eq!(state(&s, 1005.0, 0.0, 0.0), UnitState::Community);
        assert_eq!(state(&s, 1200.0, 0.0, 0.0), UnitState::Patrol);
        assert_eq!(state(&s, 1500.0, 0.0, 0.0), UnitState::OffDuty);
        assert_eq!(state(&s, 1500.0, 1510.0, 1600.0), UnitState::Travelling);
        assert_eq!(state(&s, 1550.0, 1510.0, 1600.0), UnitState::Handling);
        // Block time between two times: 1100..1130 and 1220..1250 lie in 1050..1230,
        // 30 + 10 minutes; the wrapped block 1000..1010 and the last one 1460..1480.
        assert!((s.block_minutes_between(1050.0, 1230.0) - 40.0).abs() < 1e-9);
        assert!((s.block_minutes_between(900.0, 1600.0) - 120.0).abs() < 1e-9);
        assert!((s.block_minutes_between(1000.0, 1005.0) - 5.0).abs() < 1e-9);
        assert!((s.block_minutes_between(1470.0, 2000.0) - 10.0).abs() < 1e-9);
        assert_eq!(s.block_minutes_between(1130.0, 1220.0), 0.0);
        assert_eq!(Shift::OFF.block_minutes_between(0.0, 100.0), 0.0);
        // No block: free all shift; a day off: never.
        let open = Shift::new(0.0, 480.0, 0.5, 0.0, 0.0);
        assert_eq!(open.free_from(10.0), 10.0);
        assert_eq!(Shift::OFF.free_from(0.0), f64::INFINITY);
        assert_eq!(Shift::OFF.available_minutes(), 0.0);
    }

    #[test]
    fn distance_travel_and_handling() {
        assert_eq!(manhattan(0, 0, 6), 0);
        assert_eq!(manhattan(0, 35, 6), 10);
        assert_eq!(manhattan(7, 2, 6), 2);
        let mut ops = Params::default().operations;
        ops.dispatch_minutes = 10.0;
        ops.dispatch_it_gain = 0.5;
        ops.travel_minutes = 4.0;
        ops.grid_crossing_minutes = 1.5;
        assert_eq!(dispatch_delay(&ops, 0.4), 8.0);
        assert_eq!(travel_minutes(2.0, &ops, 1.5), 10.5);
        assert_eq!(street_distance(7, 7, 6, [0.0; 4]), 0.0);
        assert_eq!(street_distance(7, 7, 6, [0.25, -0.5, -0.25, 0.0]), 1.0);
        // Grid 0 to grid 8 on a lattice 6 wide: 2 across, 1 down.
        assert_eq!(street_distance(0, 8, 6, [0.0; 4]), 3.0);
        assert_eq!(street_distance(0, 8, 6, [0.5, 0.0, 0.0, 0.25]), 1.5 + 1.25);
        let (mu, sigma) = log_normal_params(2.0, 1.0);
        // Mean exp(mu + sigma^2 / 2) = 2; cv sqrt(exp(sigma^2) - 1) = 1.
        assert!(((mu + sigma * sigma / 2.0).exp() - 2.0).abs() < 1e-12);
        assert!(((sigma * sigma).exp() - 1.0 - 1.0).abs() < 1e-12);
        assert_eq!(service_calls(15.0, 1.5), 10.0);
        assert_eq!(service_calls(15.0, 0.0), 0.0);
    }
}
