//! Officers and auxiliaries as agents, and the day's calls on them (docs/model.md,
//! "The officer and auxiliary agents"). Each unit has a kind, a post (a grid), a shift
//! class and a rota phase, today's shift with its block of administration or
//! community work, and the times it reaches its current call and is free again.
//!
//! The day's calls (incidents known to police, police mediations and clean-ups, and
//! non-crime service calls) are collected during the day with a time of day drawn
//! uniformly, then run in time order by [`World::dispatch`]: each goes to the nearest
//! free unit of the right kind, or waits in a first-in first-out queue until a unit
//! frees. Finding that unit, and the unit that frees first, looks at the units on duty
//! near the call and at a heap of when units are next free (`units/search.rs`), not
//! at every unit. Calls still waiting at midnight carry over to the next day, and so do units
//! still busy. The formulas are `rules::dispatch`; the clearance and contact of an
//! incident once a unit arrives are `World::respond` (`offences.rs`).

mod search;

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, LogNormal, StandardNormal};

use super::draw::poisson;
use super::{Day, World, trace};
use crate::model::co_governance::rules::dispatch::{
    self, ABANDON_MINUTES, MINUTES_PER_DAY, Shift, UnitKind,
};
use crate::model::co_governance::rules::offending::Offence;
use crate::model::co_governance::rules::operations::PoliceTime;
use crate::model::co_governance::rules::space::MINUTES_PER_HOUR;
use crate::model::co_governance::rules::trust;

/// What a call is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CallKind {
    /// An incident known to police (reported, or found by patrol).
    Incident(Offence),
    /// A non-crime call (110 service call, traffic, assistance).
    Service,
    /// Police joining a mediation.
    Mediation,
    /// Police clearing up after a public-order incident.
    CleanUp,
}

/// A call waiting for, or getting, a unit.
#[derive(Debug, Clone, Copy)]
pub(super) struct Call {
    /// When the call came in, in absolute minutes.
    pub arrival: f64,
    pub grid: u32,
    pub kind: CallKind,
    /// The resident who reported an incident.
    pub reporter: u32,
    /// Whether an incident was reported (else found by patrol).
    pub reported: bool,
    /// Handling hours fixed by the call's kind; NaN when drawn.
    pub hours: f64,
    /// The resident who committed an incident, held if it is cleared;
    /// [`Call::NO_OFFENDER`] for other calls and escalated disputes.
    pub offender: u32,
}

impl Call {
    /// `offender` of a call with no listed offender.
    pub const NO_OFFENDER: u32 = u32::MAX;

    /// The incident's offender, if one is listed.
    pub fn offender(&self) -> Option<usize> {
        (self.offender != Self::NO_OFFENDER).then_some(self.offender as usize)
    }

    /// Property and violent offences need a sworn officer; auxiliaries take the rest.
    fn needs_officer(&self) -> bool {
        matches!(
            self.kind,
            CallKind::Incident(Offence::Property | Offence::Violent)
        )
    }
}

/// The district's officers and auxiliaries (struct of arrays, officers first) and the
/// day's calls.
pub(super) struct Units {
    kind: Vec<UnitKind>,
    post: Vec<u32>,
    shift_class: Vec<u8>,
    phase: Vec<f64>,
    plan: Vec<Shift>,
    arrive_at: Vec<f64>,
    busy_until: Vec<f64>,
    officers: usize,
    /// Start of today in absolute minutes.
    day_start: f64,
    /// Today's calls, in the order they were made.
    calls: Vec<Call>,
    /// Calls waiting for a unit, first come first served: those that need an officer
    /// and those an auxiliary can take, each in the order they began to wait (the
    /// number: how many calls waited before).
    waiting_officer: VecDeque<(u64, Call)>,
    waiting_open: VecDeque<(u64, Call)>,
    waited: u64,
    /// The lattice, and the units by post: those posted in grid g are
    /// `by_post[by_post_start[g]..by_post_start[g + 1]]`, in index order.
    width: usize,
    height: usize,
    by_post: Vec<u32>,
    by_post_start: Vec<u32>,
    /// Trust through contacts (issue 11, item 1): each unit's own procedural-justice
    /// style, drawn once at setup ([`Units::draw_styles`]).
    style: Vec<f64>,
    // The collaborative process (issue 11, item 3): minutes of today's community work
    // each unit spends in grid meetings (`meetings.rs`).
    meeting: Vec<f64>,
    /// Today's units on duty by shift, row and column, and when units are next free,
    /// for finding a call's unit without looking at every unit (`units/search.rs`).
    on_shift: search::OnShift,
    free_times: search::FreeTimes,
    /// Searches that ran out of budget, and of those answered from the free units or
    /// finding none free (tests only).
    #[cfg(test)]
    paths: [u64; 3],
}

impl Units {
    /// `officers` then `auxiliaries`, each kind spread evenly over `grids` posts (the
    /// k-th of n in grid floor(k grids / n)) and over the shifts in turn, with room
    /// for `calls` calls a day.
    pub(super) fn new(
        officers: usize,
        auxiliaries: usize,
        (width, height): (usize, usize),
        calls: usize,
    ) -> Self {
        let grids = width * height;
        let n = officers + auxiliaries;
        let mut units = Units {
            kind: Vec::with_capacity(n),
            post: Vec::with_capacity(n),
            shift_class: Vec::with_capacity(n),
            phase: Vec::with_capacity(n),
            plan: vec![Shift::OFF; n],
            arrive_at: vec![0.0; n],
            busy_until: vec![0.0; n],
            officers,
            day_start: 0.0,
            calls: Vec::with_capacity(calls),
            waiting_officer: VecDeque::with_capacity(calls),
            waiting_open: VecDeque::with_capacity(calls),
            waited: 0,
            width,
            height,
            by_post: Vec::with_capacity(n),
            by_post_start: vec![0; grids + 1],
            style: Vec::with_capacity(n),
            meeting: vec![0.0; n],
            on_shift: search::OnShift::new(n, officers, height),
            free_times: search::FreeTimes::new(officers, auxiliaries),
            #[cfg(test)]
            paths: [0; 3],
        };
        for (kind, count) in [
            (UnitKind::Officer, officers),
            (UnitKind::Auxiliary, auxiliaries),
        ] {
            for k in 0..count {
                units.kind.push(kind);
                units.post.push(((k * grids) / count) as u32);
                let class = k % dispatch::SHIFTS;
                let sharing = (count - class).div_ceil(dispatch::SHIFTS);
                units.shift_class.push(class as u8);
                units
                    .phase
                    .push(dispatch::rota_phase(k / dispatch::SHIFTS, sharing));
            }
        }
        for &g in &units.post {
            units.by_post_start[g as usize + 1] += 1;
        }
        for g in 0..grids {
            units.by_post_start[g + 1] += units.by_post_start[g];
        }
        // Counting sort by post; units keep index order within a grid.
        let mut next: Vec<u32> = units.by_post_start[..grids].to_vec();
        units.by_post.resize(n, 0);
        for u in 0..n {
            let g = units.post[u] as usize;
            units.by_post[next[g] as usize] = u as u32;
            next[g] += 1;
        }
        units
    }

    pub(super) fn len(&self) -> usize {
        self.kind.len()
    }

    /// Officers in the district.
    pub(super) fn officers(&self) -> usize {
        self.officers
    }

    /// Officer `u`'s post and minutes of community work today, less the minutes it
    /// spent in grid meetings.
    pub(super) fn community_work(&self, u: usize) -> (usize, f64) {
        let left = (self.plan[u].community_minutes() - self.meeting[u]).max(0.0);
        (self.post[u] as usize, left)
    }

    // The collaborative process (issue 11, item 3): officers at grid meetings.

    /// The officers posted in grid `g` are `self.posted_officer(g, j)` for `j` in
    /// `0..self.officers_posted(g)` (officers come first in a grid's units).
    pub(super) fn officers_posted(&self, g: usize) -> usize {
        let posted = self.by_post_start[g] as usize..self.by_post_start[g + 1] as usize;
        self.by_post[posted]
            .iter()
            .take_while(|&&u| self.kind[u as usize] == UnitKind::Officer)
            .count()
    }

    /// The `j`-th officer posted in grid `g`.
    pub(super) fn posted_officer(&self, g: usize, j: usize) -> usize {
        self.by_post[self.by_post_start[g] as usize + j] as usize
    }

    /// Officer `u`'s minutes of community work left today, or `None` when off duty.
    pub(super) fn community_left(&self, u: usize) -> Option<f64> {
        let plan = &self.plan[u];
        (plan.end > plan.start).then(|| (plan.community_minutes() - self.meeting[u]).max(0.0))
    }

    /// Officer `u` spends `minutes` of today's community work in a meeting.
    pub(super) fn spend_meeting(&mut self, u: usize, minutes: f64) {
        self.meeting[u] += minutes;
    }

    // --- Trust through contacts (issue 11, item 1).
    /// Draws every unit's procedural-justice style around `mean` with spread `sd`
    /// (`rules::trust::around`), one standard normal deviate per unit in index order.
    pub(super) fn draw_styles<R: rand::Rng>(&mut self, mean: f64, sd: f64, rng: &mut R) {
        self.style.clear();
        for _ in 0..self.len() {
            let z: f64 = StandardNormal.sample(rng);
            self.style.push(trust::around(mean, sd, z));
        }
    }

    /// Unit `u`'s procedural-justice style.
    pub(super) fn style(&self, u: usize) -> f64 {
        self.style[u]
    }

    /// Officer `u`'s post and minutes on duty today outside administration and
    /// community work (patrol, unless on a call).
    pub(super) fn patrol_work(&self, u: usize) -> (usize, f64) {
        (self.post[u] as usize, self.plan[u].available_minutes())
    }

    /// The officer responsible for grid `k` of `grids` (the k-th share of the
    /// officers, posted in grid `k` or the nearest grid before it with an officer);
    /// `None` without officers.
    pub(super) fn grid_officer(&self, k: usize, grids: usize) -> Option<usize> {
        (self.officers > 0).then(|| k * self.officers / grids)
    }
    // --- end of the contacts' block.

    /// The nearest unit that can take `call` and is free at `now` (Manhattan
    /// distance; on a tie, an auxiliary before an officer for a call an auxiliary can
    /// take, then the lower index). A call that needs an officer and finds none free
    /// takes the nearest officer in administration (the priority rule of
    /// `rules::dispatch`). Looks at the posts ring by ring outward from the call's
    /// grid and stops after the ring where a free unit was found. [`Units::nearest_free`]
    /// (`units/search.rs`) gives the same answer from the units on duty near the call;
    /// this is its definition, and what it falls back on when the day's shifts are not
    /// the rota's.
    fn nearest_free_scan(&self, call: &Call, now: f64) -> Option<usize> {
        let officer_only = call.needs_officer();
        let (width, height) = (self.width, self.height);
        let (cx, cy) = (call.grid as usize % width, call.grid as usize / width);
        let mut best: Option<(u8, usize, u8, usize)> = None;
        for d in 0..width + height - 1 {
            if best.is_some_and(|(tier, _, _, _)| tier == 0) {
                break;
            }
            // The grids at Manhattan distance d from the call's grid.
            for dx in -(d as isize)..=d as isize {
                let x = cx as isize + dx;
                if x < 0 || x >= width as isize {
                    continue;
                }
                let dy = d - dx.unsigned_abs();
                let ys = [cy as isize - dy as isize, cy as isize + dy as isize];
                for (k, &y) in ys.iter().enumerate() {
                    if (k == 1 && dy == 0) || y < 0 || y >= height as isize {
                        continue;
                    }
                    let g = y as usize * width + x as usize;
                    let posted = self.by_post_start[g] as usize..self.by_post_start[g + 1] as usize;
                    for &u in &self.by_post[posted] {
                        self.consider(u as usize, d, officer_only, now, &mut best);
                    }
                }
            }
        }
        best.map(|(_, _, _, u)| u)
    }

    /// Unit `u`, `d` grids from a call (that needs an officer if `officer_only`), as a
    /// candidate at `now`: `best` becomes it if it can take the call and comes before
    /// `best` by (free before in administration, distance, auxiliary before officer
    /// for a call an auxiliary can take, index).
    #[inline]
    fn consider(
        &self,
        u: usize,
        d: usize,
        officer_only: bool,
        now: f64,
        best: &mut Option<(u8, usize, u8, usize)>,
    ) {
        let officer = self.kind[u] == UnitKind::Officer;
        if (officer_only && !officer) || self.busy_until[u] > now {
            return;
        }
        let plan = &self.plan[u];
        if !plan.on_duty(now) {
            return;
        }
        let tier = if plan.free_from(now) == now {
            0
        } else if officer_only && plan.in_administration(now) {
            1
        } else {
            return;
        };
        let key = (tier, d, u8::from(officer && !officer_only), u);
        if best.is_none_or(|b| key < b) {
            *best = Some(key);
        }
    }

    /// Puts `call` at the back of the queue.
    fn enqueue(&mut self, call: Call) {
        let queue = if call.needs_officer() {
            &mut self.waiting_officer
        } else {
            &mut self.waiting_open
        };
        queue.push_back((self.waited, call));
        self.waited += 1;
    }

    /// Calls waiting.
    fn waiting(&self) -> usize {
        self.waiting_officer.len() + self.waiting_open.len()
    }

    /// The call that has waited longest, if any.
    fn front(&self) -> Option<Call> {
        match (self.waiting_officer.front(), self.waiting_open.front()) {
            (Some(a), Some(b)) => Some(if a.0 < b.0 { a.1 } else { b.1 }),
            (a, b) => a.or(b).map(|&(_, call)| call),
        }
    }

    /// Takes the call that has waited longest out of the queue (there is one).
    fn dequeue_front(&mut self) -> Call {
        let officer_first = match (self.waiting_officer.front(), self.waiting_open.front()) {
            (Some(a), Some(b)) => a.0 < b.0,
            (a, _) => a.is_some(),
        };
        let queue = if officer_first {
            &mut self.waiting_officer
        } else {
            &mut self.waiting_open
        };
        queue.pop_front().expect("a waiting call").1
    }

    /// The unit that frees first at or after `now` (only officers unless `any_kind`),
    /// and when; `None` if none does today. Looks at every unit;
    /// [`Units::earliest_free`] (`units/search.rs`) gives the same answer from a heap.
    #[cfg(test)]
    fn earliest_free_scan(&self, now: f64, any_kind: bool) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for u in 0..self.len() {
            if !any_kind && self.kind[u] != UnitKind::Officer {
                continue;
            }
            let t = self.plan[u].free_from(now.max(self.busy_until[u]));
            if t.is_finite() && best.is_none_or(|(_, bt)| t < bt) {
                best = Some((u, t));
            }
        }
        best
    }
}

impl World<'_> {
    /// Phase 1: today's shifts. Each unit on the rota today gets its shift and a block
    /// of administration and community work (officers) or guard and community duty
    /// (auxiliaries) at a time drawn uniformly in the shift. Returns the units'
    /// available hours today.
    pub(super) fn plan_shifts(&mut self, tick: usize) -> f64 {
        let police = &self.p.police;
        let rota = dispatch::rota(police.hours_per_officer_day);
        let length = rota.shift_minutes;
        let day_start = tick as f64 * MINUTES_PER_DAY;
        self.units.day_start = day_start;
        self.units.meeting.fill(0.0);
        let mut available = 0.0;
        for u in 0..self.units.len() {
            if !dispatch::on_duty(tick as u64, self.units.phase[u], rota.on_duty_share) {
                self.units.plan[u] = Shift::OFF;
                continue;
            }
            let class = usize::from(self.units.shift_class[u]);
            let start = day_start + dispatch::shift_start(class, length);
            let (admin, other) = match self.units.kind[u] {
                UnitKind::Officer => (
                    police.admin_burden_share * length,
                    police.community_role_share * length,
                ),
                UnitKind::Auxiliary => (0.0, (1.0 - police.auxiliary_response_share) * length),
            };
            let offset = self.rng.random::<f64>();
            let shift = Shift::new(start, length, offset, admin, other);
            available += shift.available_minutes();
            self.units.plan[u] = shift;
        }
        available / MINUTES_PER_HOUR
    }

    /// A call on the police in grid `k` at a time of today drawn uniformly, taking
    /// `hours` (NaN: drawn at dispatch). Without police nobody comes.
    pub(super) fn police_call(&mut self, k: usize, kind: CallKind, hours: f64) {
        self.queue_call(k, kind, 0, false, hours, None);
    }

    /// An incident in grid `k` by `offender`, known to police, reported by `reporter`
    /// or found by patrol, at a time of today drawn uniformly.
    pub(super) fn incident_call(
        &mut self,
        k: usize,
        kind: Offence,
        reporter: usize,
        reported: bool,
        offender: Option<usize>,
    ) {
        let kind = CallKind::Incident(kind);
        self.queue_call(k, kind, reporter, reported, f64::NAN, offender);
    }

    fn queue_call(
        &mut self,
        k: usize,
        kind: CallKind,
        reporter: usize,
        reported: bool,
        hours: f64,
        offender: Option<usize>,
    ) {
        if self.units.officers == 0 {
            return;
        }
        let arrival = self.units.day_start + self.rng.random::<f64>() * MINUTES_PER_DAY;
        self.units.calls.push(Call {
            arrival,
            grid: k as u32,
            kind,
            reporter: reporter as u32,
            reported,
            hours,
            offender: offender.map_or(Call::NO_OFFENDER, |o| o as u32),
        });
    }

    /// Phase 5b: the day's non-crime service calls join the day's calls, which then run
    /// in time order: each goes to the nearest free unit that can take it or waits;
    /// waiting calls go, first come first served, to units as they free.
    pub(super) fn dispatch(&mut self, police: &PoliceTime, day: &mut Day, measured: bool) {
        if self.units.officers == 0 {
            return;
        }
        let p = self.p;
        self.units.index_shifts();
        let expected = dispatch::service_calls(police.service, police.handling);
        for _ in 0..poisson(expected, &mut self.rng) {
            let k = self.rng.random_range(0..self.grids);
            self.police_call(k, CallKind::Service, f64::NAN);
        }
        self.units
            .calls
            .sort_unstable_by(|a, b| a.arrival.total_cmp(&b.arrival));
        let (mu, sigma) = dispatch::log_normal_params(
            police.handling * MINUTES_PER_HOUR,
            p.operations.handling_cv,
        );
        let handling = LogNormal::new(mu, sigma).expect("finite log-normal parameters");
        let mut now = self.units.day_start;
        for i in 0..self.units.calls.len() {
            let call = self.units.calls[i];
            self.serve_waiting(now, call.arrival, &handling, police, day, measured);
            now = call.arrival;
            let unit = self.units.nearest_free(&call, now);
            #[cfg(test)]
            assert_eq!(unit, self.units.nearest_free_scan(&call, now), "{call:?}");
            match unit {
                Some(u) => self.assign(u, call, now, &handling, police, day, measured),
                None => self.units.enqueue(call),
            }
        }
        let end = self.units.day_start + MINUTES_PER_DAY;
        self.serve_waiting(now, end, &handling, police, day, measured);
        self.units.calls.clear();
    }

    /// Gives waiting calls to units as they free, from `now` up to `until`: the unit
    /// that frees first takes the longest-waiting call it can take. A call that would
    /// wait `ABANDON_MINUTES` is closed unattended.
    fn serve_waiting(
        &mut self,
        mut now: f64,
        until: f64,
        handling: &LogNormal<f64>,
        police: &PoliceTime,
        day: &mut Day,
        measured: bool,
    ) {
        while self.units.waiting() > 0 {
            let any_kind = !self.units.waiting_open.is_empty();
            let next = self.units.earliest_free(now, any_kind);
            #[cfg(test)]
            assert_eq!(next, self.units.earliest_free_scan(now, any_kind));
            let horizon = next.map_or(until, |(_, t)| t.min(until));
            let mut closed = false;
            while let Some(front) = self.units.front()
                && front.arrival + ABANDON_MINUTES <= horizon
            {
                self.units.dequeue_front();
                self.abandon(front, day, measured);
                closed = true;
            }
            if closed {
                continue;
            }
            let Some((u, t)) = next.filter(|&(_, t)| t <= until) else {
                break;
            };
            // An officer takes the call that has waited longest; an auxiliary the
            // longest-waiting one it can take.
            let call = if self.units.kind[u] == UnitKind::Officer {
                self.units.dequeue_front()
            } else {
                let (_, call) = self
                    .units
                    .waiting_open
                    .pop_front()
                    .expect("an auxiliary is chosen only for a call it can take");
                call
            };
            self.assign(u, call, t, handling, police, day, measured);
            now = t;
        }
    }

    /// Unit `u` takes `call` at `t`: the dispatcher's delay, travel from its post,
    /// then handling; the response time is the wait, the delay and the travel. A
    /// traced run records the unit's move from its post to the call (`trace.rs`).
    #[allow(clippy::too_many_arguments)]
    fn assign(
        &mut self,
        u: usize,
        call: Call,
        t: f64,
        handling: &LogNormal<f64>,
        police: &PoliceTime,
        day: &mut Day,
        measured: bool,
    ) {
        let p = self.p;
        if let Some(t) = self.trace.as_deref_mut() {
            let who = trace::unit_mover(self.units.kind[u]);
            t.moved(
                self.today,
                self.units.post[u] as usize,
                call.grid as usize,
                who,
            );
        }
        let offsets: [f64; 4] = std::array::from_fn(|_| self.rng.random::<f64>() - 0.5);
        let d = dispatch::street_distance(
            self.units.post[u] as usize,
            call.grid as usize,
            self.width,
            offsets,
        );
        let delay = dispatch::dispatch_delay(&p.operations, p.it.level);
        let travel = dispatch::travel_minutes(d, &p.operations, police.logistics);
        let minutes = if call.hours.is_nan() {
            handling.sample(&mut self.rng)
        } else {
            call.hours * MINUTES_PER_HOUR
        };
        let done = t + delay + travel + minutes;
        // The administration and community work the call displaced is done next.
        let owed = self.units.plan[u].block_minutes_between(t, done);
        self.units.arrive_at[u] = t + delay + travel;
        self.units.busy_until[u] = done + owed;
        day.used_hours += (travel + minutes) / MINUTES_PER_HOUR;
        if let CallKind::Incident(kind) = call.kind {
            let response = t - call.arrival + delay + travel;
            let officer = self.units.kind[u] == UnitKind::Officer;
            let hours = minutes / MINUTES_PER_HOUR;
            let attended = Some((response, hours, officer, u));
            self.respond(&call, kind, attended, day, measured);
        }
    }

    /// A call that waited too long is closed with nobody sent.
    fn abandon(&mut self, call: Call, day: &mut Day, measured: bool) {
        if measured {
            self.accounts.unattended_calls += 1;
        }
        if let CallKind::Incident(kind) = call.kind {
            self.respond(&call, kind, None, day, measured);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;
    use crate::model::co_governance::rules::operations;

    /// A 3 x 1 district with one officer posted in grid 0, no auxiliaries, no service
    /// calls, no travel between grids and handling of exactly its mean, so every time
    /// is known.
    fn one_officer() -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 1;
        p.police.officers_per_10k = 10_000.0 / p.residents() as f64;
        p.police.auxiliaries_per_officer = 0.0;
        p.operations.service_hours_per_1000 = 0.0;
        p.operations.grid_crossing_minutes = 0.0;
        p.operations.handling_cv = 0.0;
        p
    }

    fn day_for(w: &World<'_>, p: &Params, police: &PoliceTime) -> Day {
        Day::new(p, police, w.clearance_seen, 1.0)
    }

    #[test]
    fn a_second_call_waits_for_the_busy_officer_first_come_first_served() {
        let p = one_officer();
        let mut w = World::new(&p, 1);
        assert_eq!((w.units.len(), w.units.officers()), (1, 1));
        let police =
            operations::police_time(&p.police, &p.logistics, &p.operations, p.residents() as f64);
        w.units.day_start = 0.0;
        w.units.plan[0] = Shift::new(0.0, MINUTES_PER_DAY, 0.0, 0.0, 0.0);
        for (t, grid) in [(110.0, 1), (100.0, 2)] {
            w.units.calls.push(Call {
                arrival: t,
                grid,
                kind: CallKind::Incident(Offence::Violent),
                reporter: 0,
                reported: true,
                hours: f64::NAN,
                offender: Call::NO_OFFENDER,
            });
        }
        let mut day = day_for(&w, &p, &police);
        w.dispatch(&police, &mut day, false);
        let delay = dispatch::dispatch_delay(&p.operations, p.it.level);
        let travel = dispatch::travel_minutes(0.0, &p.operations, police.logistics);
        let handle = police.handling * MINUTES_PER_HOUR;
        // The call at 100 is served first, at once; the one at 110 waits until the
        // officer is free again.
        let first = delay + travel;
        let free = 100.0 + first + handle;
        let second = free - 110.0 + delay + travel;
        assert_eq!(day.responses, 2);
        assert!(
            (day.response_sum - (first + second)).abs() < 1e-6,
            "{}",
            day.response_sum
        );
        // A shift without blocks owes no time after a call.
        assert!((w.units.busy_until[0] - (free + delay + travel + handle)).abs() < 1e-6);
        assert!((day.used_hours - 2.0 * (travel + handle) / 60.0).abs() < 1e-9);
        assert!(w.units.waiting() == 0 && w.units.calls.is_empty());
    }

    #[test]
    fn a_call_nobody_can_take_carries_over_midnight_and_is_closed_after_a_day() {
        let p = one_officer();
        let mut w = World::new(&p, 2);
        let police =
            operations::police_time(&p.police, &p.logistics, &p.operations, p.residents() as f64);
        w.units.day_start = 0.0;
        w.units.plan[0] = Shift::OFF;
        w.units.calls.push(Call {
            arrival: 600.0,
            grid: 0,
            kind: CallKind::Incident(Offence::Property),
            reporter: 0,
            reported: true,
            hours: f64::NAN,
            offender: Call::NO_OFFENDER,
        });
        let mut day = day_for(&w, &p, &police);
        w.dispatch(&police, &mut day, false);
        assert_eq!((day.responses, w.units.waiting()), (0, 1));
        // Next day the officer starts at 700, after the call has waited a day.
        w.units.day_start = MINUTES_PER_DAY;
        w.units.plan[0] = Shift::new(MINUTES_PER_DAY + 700.0, 480.0, 0.0, 0.0, 0.0);
        let mut day = day_for(&w, &p, &police);
        w.dispatch(&police, &mut day, false);
        assert_eq!((day.responses, day.known, w.units.waiting()), (1, 1, 0));
        assert_eq!(day.response_sum, ABANDON_MINUTES);
        assert_eq!(day.used_hours, 0.0);
    }

    #[test]
    fn a_crime_pulls_the_officer_out_of_administration_but_disorder_waits() {
        let p = one_officer();
        let police =
            operations::police_time(&p.police, &p.logistics, &p.operations, p.residents() as f64);
        for (kind, waits) in [(Offence::Violent, false), (Offence::PublicOrder, true)] {
            let mut w = World::new(&p, 3);
            w.units.day_start = 0.0;
            // Four blocks of 60 minutes of administration, the first from 0 to 60.
            w.units.plan[0] = Shift::new(0.0, 480.0, 0.0, 240.0, 0.0);
            assert!(w.units.plan[0].in_administration(30.0));
            w.units.calls.push(Call {
                arrival: 30.0,
                grid: 0,
                kind: CallKind::Incident(kind),
                reporter: 0,
                reported: true,
                hours: f64::NAN,
                offender: Call::NO_OFFENDER,
            });
            let mut day = day_for(&w, &p, &police);
            w.dispatch(&police, &mut day, false);
            let delay = dispatch::dispatch_delay(&p.operations, p.it.level);
            let travel = dispatch::travel_minutes(0.0, &p.operations, police.logistics);
            // Pulled at once, or served when the block ends at 60.
            let wait = if waits { 30.0 } else { 0.0 };
            assert!(
                (day.response_sum - (wait + delay + travel)).abs() < 1e-9,
                "{kind:?}"
            );
            // The administration the call displaced (the rest of the first block, and
            // the second block, 120..180) is made up after it.
            let done = 30.0 + wait + delay + travel + police.handling * MINUTES_PER_HOUR;
            let owed = if waits { 60.0 } else { 90.0 };
            assert!(
                (w.units.busy_until[0] - (done + owed)).abs() < 1e-9,
                "{kind:?}"
            );
        }
    }

    /// Districts of many units, busy enough that calls wait and that searches run out
    /// of their budget (then free units are listed, or none is free), quiet with few
    /// officers, with the rota's shifts and with overlapping ones: on every call the
    /// indexed searches (`units/search.rs`) give what the plain scans give (the
    /// `cfg(test)` checks in `dispatch` and `serve_waiting`).
    #[test]
    fn the_indexed_searches_agree_with_the_plain_scans() {
        let mut paths = [0u64; 3];
        let mut waited = 0;
        for (officers, hours, service) in [
            (60.0, 6.0, 60.0),
            (60.0, 10.0, 60.0),
            (40.0, 6.0, 40.0),
            (3.0, 6.0, 0.5),
        ] {
            let mut p = Params::default();
            p.district.width = 16;
            p.district.height = 12;
            p.district.households_per_grid = 40;
            p.police.officers_per_10k = officers;
            p.police.hours_per_officer_day = hours;
            p.operations.service_hours_per_1000 = service;
            p.operations.handling_hours = 3.0;
            let mut w = World::new(&p, 7);
            for tick in 0..60 {
                w.step(tick, true);
            }
            for (sum, n) in paths.iter_mut().zip(w.units.paths) {
                *sum += n;
            }
            waited += w.units.waited;
        }
        assert!(
            waited > 0 && paths.iter().all(|&n| n > 0),
            "{waited} {paths:?}"
        );
    }
}
