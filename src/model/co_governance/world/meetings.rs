//! Phase 1c of the day: the grids' meetings, the events of the collaborative process
//! (issue 11, item 3; docs/model.md, mechanism 8). Each grid meets on a day drawn with
//! probability min(1, `collaboration.meetings_per_month` / 30); who attends is decided
//! agent by agent:
//!
//! - the officers of the grid's liaison post (the officers posted to the grid, or for a
//!   grid without one those of the nearest grid that has one, `Meetings::new`): an
//!   officer on duty comes with probability min(1, community minutes left / meeting
//!   minutes), and the meeting takes its time out of that community work, so it makes
//!   fewer resident contacts that day (`Units::community_work`);
//! - the grid's grid workers and engaged NGOs with the meeting's hours left today, each
//!   with its own motivation times 0.5 + 0.5 M (M the grid's commitment); the meeting
//!   takes its hours from their day;
//! - a representative of each engaged enterprise of the grid, with the enterprise's
//!   agent's motivation times 0.5 + 0.5 M (management's time: the guards' call hours
//!   are untouched);
//! - Poisson(`collaboration.residents_invited`) residents of the grid are invited; one
//!   comes if it contributes, with its trust in community organisations times
//!   0.5 + 0.5 M. A resident at a meeting with an officer has a police contact with
//!   the first officer who came (`contacts.rs`), as in the officers' community work.
//!
//! Each attendee's `collaboration.meeting_hours` go to its group's burden (an officer's
//! are part of the police's community hours, already counted). The meeting's quality
//! and weight and what it does to the partnership are `rules::collaboration`; the
//! daily step of the partnership is `process_and_contagion.rs`. This file draws, picks
//! the attendees and keeps the books; everything is allocated in `setup.rs`.

use std::collections::VecDeque;

use rand::RngExt;

use super::draw::poisson;
use super::units::Units;
use super::{Day, World};
use crate::model::co_governance::accounts;
use crate::model::co_governance::rules::collaboration::{self, PARTNERS, Partner};
use crate::model::co_governance::rules::public_goods::Strategy;
use crate::model::co_governance::rules::space::{DAYS_PER_MONTH, MINUTES_PER_HOUR};

/// Per grid: whose officers represent the police at its meetings, and the days since
/// its last meeting.
pub(super) struct Meetings {
    /// The grid whose posted officers attend grid k's meetings; [`Meetings::NONE`]
    /// without officers.
    liaison: Vec<u32>,
    days_since: Vec<u32>,
}

impl Meetings {
    /// `liaison` of a district without officers.
    const NONE: u32 = u32::MAX;

    /// Each grid's liaison grid: itself if officers are posted there, else the first
    /// grid with officers that a breadth-first search over the lattice (von Neumann
    /// neighbours, from every grid with officers at once, in index order) reaches it
    /// from, which is a nearest one. Every grid starts a month after its last meeting.
    pub(super) fn new(units: &Units, (width, height): (usize, usize)) -> Self {
        let grids = width * height;
        let mut liaison = vec![Self::NONE; grids];
        let mut queue = VecDeque::with_capacity(grids);
        for (g, l) in liaison.iter_mut().enumerate() {
            if units.officers_posted(g) > 0 {
                *l = g as u32;
                queue.push_back(g);
            }
        }
        while let Some(g) = queue.pop_front() {
            let (x, y) = (g % width, g / width);
            let neighbours = [
                (x > 0).then(|| g - 1),
                (x + 1 < width).then(|| g + 1),
                (y > 0).then(|| g - width),
                (y + 1 < height).then(|| g + width),
            ];
            for n in neighbours.into_iter().flatten() {
                if liaison[n] == Self::NONE {
                    liaison[n] = liaison[g];
                    queue.push_back(n);
                }
            }
        }
        Meetings {
            liaison,
            days_since: vec![DAYS_PER_MONTH as u32; grids],
        }
    }

    /// Whether the police take part in the grids' partnerships (there are officers).
    pub(super) fn police_partner(&self) -> bool {
        self.liaison.first().is_some_and(|&l| l != Self::NONE)
    }
}

impl World<'_> {
    /// Phase 1c: each grid's meeting, if it meets today: who attends, the meeting's
    /// quality and weight, and its effect on the grid's partnership.
    pub(super) fn meetings(&mut self, access: f64, day: &mut Day, measured: bool) {
        let p = self.p;
        let c = &p.collaboration;
        let chance = collaboration::meeting_probability(c.meetings_per_month);
        let facilitation = collaboration::facilitation(p.police.community_role_share);
        for k in 0..self.grids {
            let since = &mut self.meetings.days_since[k];
            *since = since.saturating_add(1);
            if chance <= 0.0 || self.rng.random::<f64>() >= chance {
                continue;
            }
            let gap = f64::from(*since);
            *since = 0;
            let present = self.attend(k, day);
            let s = &mut self.process[k];
            let breadth = s.breadth(present);
            let police = present[Partner::Police as usize];
            let quality = collaboration::meeting_quality(breadth, access, police, facilitation);
            s.meet(c, present, quality, collaboration::meeting_weight(gap));
            if measured {
                let a = &mut self.accounts;
                a.meetings += 1;
                a.meeting_breadth += breadth;
                a.meetings_with_police += u64::from(police);
            }
        }
    }

    /// Who attends grid `k`'s meeting today, agent by agent; each attendee's time is
    /// spent and booked. Returns the partner groups at the table.
    fn attend(&mut self, k: usize, day: &mut Day) -> [bool; PARTNERS] {
        let p = self.p;
        let hours = p.collaboration.meeting_hours;
        let minutes = hours * MINUTES_PER_HOUR;
        let mut present = [false; PARTNERS];
        // The first officer at the table: each resident who comes has a contact with it.
        let mut officer = None;
        // The grid's commitment to the process.
        let m = self.process[k].commitment;
        let liaison = self.meetings.liaison[k];
        if liaison != Meetings::NONE {
            let g = liaison as usize;
            for j in 0..self.units.officers_posted(g) {
                let u = self.units.posted_officer(g, j);
                let Some(left) = self.units.community_left(u) else {
                    continue;
                };
                if self.rng.random::<f64>() < collaboration::officer_attends(left, minutes) {
                    self.units.spend_meeting(u, minutes.min(left));
                    present[Partner::Police as usize] = true;
                    officer.get_or_insert(u);
                }
            }
        }
        for i in self.grid_workers.in_grid(k) {
            if self.grid_workers.hours_left[i] >= hours
                && self.rng.random::<f64>()
                    < collaboration::actor_attends(self.grid_workers.motivation[i], m)
            {
                self.grid_workers.hours_left[i] -= hours;
                day.burden[accounts::GRID_WORKERS] += hours;
                present[Partner::GridWorkers as usize] = true;
            }
        }
        for i in self.ngo_actors.in_grid(k) {
            if self.ngos.on[i]
                && self.ngo_actors.hours_left[i] >= hours
                && self.rng.random::<f64>()
                    < collaboration::actor_attends(self.ngo_actors.motivation[i], m)
            {
                self.ngo_actors.hours_left[i] -= hours;
                day.burden[accounts::NGOS] += hours;
                present[Partner::Ngos as usize] = true;
            }
        }
        for i in self.security.in_grid(k) {
            if self.enterprises.on[i]
                && self.rng.random::<f64>()
                    < collaboration::actor_attends(self.security.motivation[i], m)
            {
                day.burden[accounts::ENTERPRISES] += hours;
                present[Partner::Enterprises as usize] = true;
            }
        }
        let base = k * self.per_grid;
        for _ in 0..poisson(p.collaboration.residents_invited, &mut self.rng) {
            let i = base + self.rng.random_range(0..self.per_grid);
            if self.strategy[i] == Strategy::Contribute as u8
                && self.rng.random::<f64>()
                    < collaboration::actor_attends(self.trust_community[i], m)
            {
                day.burden[accounts::VOLUNTEERS] += hours;
                present[Partner::Residents as usize] = true;
                if let Some(u) = officer {
                    self.police_contact(i, u, None);
                }
            }
        }
        present
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;
    use crate::model::co_governance::rules::dispatch::manhattan;
    use crate::model::co_governance::rules::operations;

    /// A 3 x 3 district with `officers` officers and no auxiliaries.
    fn district(officers: f64) -> Params {
        let mut p = Params::default();
        p.district.width = 3;
        p.district.height = 3;
        p.district.households_per_grid = 50;
        p.police.officers_per_10k = officers * 10_000.0 / p.residents() as f64;
        p.police.auxiliaries_per_officer = 0.0;
        p
    }

    #[test]
    fn a_grid_without_an_officer_is_represented_by_a_nearest_grid_s_officers() {
        // 5 officers on 9 grids: posted in grids 0, 1, 3, 5 and 7.
        let p = district(5.0);
        let w = World::new(&p, 1);
        let staffed: Vec<usize> = (0..9).filter(|&g| w.units.officers_posted(g) > 0).collect();
        assert_eq!(staffed, [0, 1, 3, 5, 7]);
        for k in 0..9 {
            let l = w.meetings.liaison[k] as usize;
            assert!(staffed.contains(&l), "grid {k}'s liaison {l} has officers");
            let nearest = staffed.iter().map(|&g| manhattan(k, g, 3)).min().unwrap();
            assert_eq!(manhattan(k, l, 3), nearest, "grid {k}");
            if staffed.contains(&k) {
                assert_eq!(l, k);
            }
        }
        assert!(w.process.iter().all(|s| s.member[Partner::Police as usize]));
        // Without officers the police are no partner and nobody represents them.
        let none = district(0.0);
        let w = World::new(&none, 1);
        assert!(!w.meetings.police_partner());
        assert!(
            w.process
                .iter()
                .all(|s| !s.member[Partner::Police as usize])
        );
    }

    #[test]
    fn attendees_spend_their_time_and_the_meeting_is_booked() {
        // Every grid meets every day; every actor is engaged, motivated and committed,
        // and officers have four hours of community work a shift, so everyone who can
        // come does.
        let mut p = district(9.0);
        p.collaboration.meetings_per_month = 31.0;
        p.collaboration.initial_level = 1.0;
        p.rights.initial_motivation = 1.0;
        p.residents.initial_participation = 1.0;
        p.residents.initial_free_riders = 0.0;
        p.community.ngos_per_grid = 1.0;
        p.police.community_role_share = 0.5;
        let mut w = World::new(&p, 3);
        let access = 1.0;
        let police =
            operations::police_time(&p.police, &p.logistics, &p.operations, p.residents() as f64);
        let mut day = Day::new(&p, &police, w.clearance_seen, access);
        w.plan_shifts(0);
        w.responders_new_day();
        let before: Vec<Option<f64>> = (0..9).map(|u| w.units.community_left(u)).collect();
        w.meetings(access, &mut day, true);
        let hours = p.collaboration.meeting_hours;
        // Each officer on duty gave the meeting two hours of its community work.
        for (u, left) in before.iter().enumerate() {
            match left {
                Some(left) => {
                    let now = w.units.community_left(u).unwrap();
                    assert!((left - now - 120.0).abs() < 1e-9, "officer {u}");
                }
                None => assert_eq!(w.units.community_left(u), None),
            }
        }
        // Every grid worker and NGO came and spent the meeting's hours.
        let gw = p.community.grid_worker_hours - hours;
        assert!(w.grid_workers.hours_left.iter().all(|&h| h == gw));
        let ngo = p.community.ngo_call_hours - hours;
        assert!(w.ngo_actors.hours_left.iter().all(|&h| h == ngo));
        let booked = |n: usize| n as f64 * hours;
        assert_eq!(
            day.burden[accounts::GRID_WORKERS],
            booked(w.grid_workers.len())
        );
        assert_eq!(day.burden[accounts::NGOS], booked(w.ngo_actors.len()));
        assert_eq!(day.burden[accounts::ENTERPRISES], booked(w.security.len()));
        assert_eq!(day.burden[accounts::POLICE], 0.0);
        // Nine meetings, counted with their breadth; a meeting with the police had
        // every group but perhaps residents (invited at random).
        assert_eq!(w.accounts.meetings, 9);
        // One officer is posted in each grid: the police came wherever it was on duty.
        let on_duty = before.iter().filter(|c| c.is_some()).count();
        assert!(on_duty > 0 && on_duty < 9);
        assert_eq!(w.accounts.meetings_with_police, on_duty as u64);
        assert!(w.accounts.meeting_breadth >= 9.0 * 3.0 / 5.0);
        // Every grid met today.
        assert!(w.meetings.days_since.iter().all(|&d| d == 0));
    }
}
