//! The collaborative process (mechanism 8 of docs/model.md; Ansell and Gash 2008, J
//! Public Adm Res Theory 18(4):543-571; Emerson, Nabatchi and Balogh 2012, J Public Adm
//! Res Theory 22(1):1-29).
//!
//! Each grid holds a partnership ([`Process`]) of up to five partner groups
//! ([`Partner`]): the police (the officers posted to the grid), the grid workers, the
//! NGOs, the enterprises and the residents. Each partner group g that the grid has
//! carries its own trust in the partnership T_g in [0, 1]; the grid carries commitment
//! M and shared understanding U. Ansell and Gash's cycle runs face-to-face dialogue ->
//! trust building -> commitment -> shared understanding -> intermediate outcomes
//! ("small wins") -> back to trust. cogov's rules:
//!
//! - a grid meets on a day with probability min(1, meetings a month / 30)
//!   ([`meeting_probability`]); who attends is decided agent by agent (the world's
//!   `meetings.rs`): an officer on duty with probability min(1, community minutes left
//!   / meeting minutes) ([`officer_attends`]); a grid worker, an engaged NGO, an
//!   engaged enterprise's representative, or an invited resident who contributes, with
//!   its own motivation (a resident's is its trust in community organisations) times
//!   0.5 + 0.5 M, the grid's commitment ([`actor_attends`]);
//! - the meeting's quality is q = breadth x (0.5 + 0.5 access) x (0.5 + 0.5 f) with
//!   breadth the share of the grid's partner groups at the table and f the police's
//!   facilitation (`police.community_role_share` / 0.5, at most 1) when an officer is at
//!   the table, 0 otherwise ([`meeting_quality`]): a meeting missing the police or the
//!   NGOs does less, and the remodelled police role drives the cycle;
//! - a meeting's weight w = gap / (gap + 15) falls when the last meeting was only `gap`
//!   days ago ([`meeting_weight`]): a meeting soon after the last has less new to work
//!   on. With meetings at regular gaps, m a month give (m / 30) w = (1 / 15) m / (m + 2)
//!   a day, the saturation of the earlier daily dialogue;
//! - at a meeting each partner group present builds trust:
//!   T_g <- T_g + meeting_gain w q (1 - T_g), and understanding moves toward trust:
//!   U <- U + understanding_gain w q (C - U), with C the mean of the grid's T_g
//!   ([`Process::meet`]);
//! - every day every partner's trust decays and learns from the grid's joint actions:
//!   T_g <- T_g - decay T_g + win_gain wins - failure_loss failures; commitment follows
//!   trust, M <- M + commitment_rate (C - M); understanding erodes, U <- U - decay U
//!   ([`Process::step`]);
//! - capacity for joint action J = M U, the chance that police and community act
//!   together on an incident or dispute; joint action adds a bonus to the clearance or
//!   settlement probability, half of it regardless of IT and half scaled by the IT
//!   level (shared information), and the community partner (the grid worker) puts in
//!   half the officer's handling hours.
//!
//! The half-saturation at 2 meetings a month (15 days between meetings), the floors of
//! one half and the saturation of facilitation at a community share of 0.5 are
//! modelling choices; so is counting a partner group present when one of its agents is.

use super::space::DAYS_PER_MONTH;

/// Meetings a month that give half the meeting effect on dialogue (modelling choice).
pub const MEETINGS_HALF_SATURATION: f64 = 2.0;

/// Days since the last meeting at which a meeting has half its full weight:
/// `DAYS_PER_MONTH / MEETINGS_HALF_SATURATION`.
pub const HALF_WEIGHT_GAP_DAYS: f64 = DAYS_PER_MONTH / MEETINGS_HALF_SATURATION;

/// Share of the police's time in community work at which their facilitation of the
/// process is full (modelling choice).
pub const FULL_FACILITATION_SHARE: f64 = 0.5;

/// Share of an enabled effect (a meeting's quality by channels and facilitation, the
/// joint bonus by IT) that remains without the enabler (modelling choice).
pub const ENABLER_FLOOR: f64 = 0.5;

/// Share of the officer's handling hours the community partner puts into a joint case
/// (modelling choice).
pub const JOINT_PARTNER_SHARE: f64 = 0.5;

/// Partner groups of a grid's partnership.
pub const PARTNERS: usize = 5;

/// A partner group of a grid's partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partner {
    /// The officers posted to the grid (or, for a grid without one, to the nearest grid
    /// that has one).
    Police = 0,
    GridWorkers = 1,
    Ngos = 2,
    Enterprises = 3,
    Residents = 4,
}

/// An effect scaled by an enabler x in [0, 1]: floor + (1 - floor) x.
#[inline]
fn enabled(x: f64) -> f64 {
    ENABLER_FLOOR + (1.0 - ENABLER_FLOOR) * x
}

/// Chance that a grid holds a meeting on a given day, at `meetings_per_month`.
#[inline]
pub fn meeting_probability(meetings_per_month: f64) -> f64 {
    (meetings_per_month / DAYS_PER_MONTH).min(1.0)
}

/// Chance that an officer on duty attends a meeting of `meeting_minutes` with
/// `community_minutes` of community work left today: the meeting is held in the
/// officer's community work, so an officer with less community time today than the
/// meeting lasts can come only sometimes.
#[inline]
pub fn officer_attends(community_minutes: f64, meeting_minutes: f64) -> f64 {
    if meeting_minutes <= 0.0 {
        return 1.0;
    }
    (community_minutes / meeting_minutes).clamp(0.0, 1.0)
}

/// Chance that a community partner (a grid worker, an engaged NGO, an engaged
/// enterprise's representative, or an invited contributing resident, whose motivation
/// is its trust in community organisations) attends: its own motivation times
/// 0.5 + 0.5 M, with M the grid's commitment to the process (Ansell and Gash 2008:
/// commitment is the partners' willingness to take part).
#[inline]
pub fn actor_attends(motivation: f64, commitment: f64) -> f64 {
    (motivation * enabled(commitment)).clamp(0.0, 1.0)
}

/// The police's facilitation at a community role share: min(1, share / 0.5).
#[inline]
pub fn facilitation(community_role_share: f64) -> f64 {
    (community_role_share / FULL_FACILITATION_SHARE).min(1.0)
}

/// A meeting's quality: the share `breadth` of the grid's partner groups at the table,
/// times the channels' and, when the police are at the table, the police's
/// facilitation enablers.
#[inline]
pub fn meeting_quality(
    breadth: f64,
    channel_access: f64,
    police_present: bool,
    facilitation: f64,
) -> f64 {
    let f = if police_present { facilitation } else { 0.0 };
    breadth * enabled(channel_access) * enabled(f)
}

/// A meeting's weight when the grid last met `gap_days` ago: gap / (gap + 15).
#[inline]
pub fn meeting_weight(gap_days: f64) -> f64 {
    gap_days / (gap_days + HALF_WEIGHT_GAP_DAYS)
}

/// The clearance or settlement bonus of joint action at this IT level.
#[inline]
pub fn joint_bonus(bonus: f64, it_level: f64) -> f64 {
    bonus * enabled(it_level)
}

/// Hours the community partner puts into a joint case the officer handles in
/// `handling` hours.
#[inline]
pub fn partner_hours(handling: f64) -> f64 {
    handling * JOINT_PARTNER_SHARE
}

/// One grid's partnership: each partner group's trust, commitment and shared
/// understanding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    /// Collaboration trust C: the mean of the member groups' trust in the partnership
    /// (kept in step with `partner_trust`).
    pub trust: f64,
    pub commitment: f64,
    pub understanding: f64,
    /// Each partner group's trust in the partnership, indexed by [`Partner`]; a group
    /// the grid lacks stays at its initial level and does not count.
    pub partner_trust: [f64; PARTNERS],
    /// Which partner groups the grid has.
    pub member: [bool; PARTNERS],
}

impl Process {
    /// A partnership of the groups in `member` (at least one), every state at `level`.
    pub fn new(level: f64, member: [bool; PARTNERS]) -> Self {
        debug_assert!(member.iter().any(|&m| m), "a partnership has a member");
        Process {
            trust: level,
            commitment: level,
            understanding: level,
            partner_trust: [level; PARTNERS],
            member,
        }
    }

    /// Capacity for joint action, J = commitment x understanding.
    #[inline]
    pub fn joint_capacity(&self) -> f64 {
        self.commitment * self.understanding
    }

    /// Partner groups the grid has.
    pub fn members(&self) -> usize {
        self.member.iter().filter(|&&m| m).count()
    }

    /// Share of the grid's partner groups among `present`.
    pub fn breadth(&self, present: [bool; PARTNERS]) -> f64 {
        let at_table = (0..PARTNERS)
            .filter(|&g| self.member[g] && present[g])
            .count();
        at_table as f64 / self.members() as f64
    }

    fn refresh_trust(&mut self) {
        let mut sum = 0.0;
        for g in 0..PARTNERS {
            if self.member[g] {
                sum += self.partner_trust[g];
            }
        }
        self.trust = sum / self.members() as f64;
    }

    /// A meeting with the groups in `present` at the table, of quality `quality` and
    /// weight `weight`: each group present builds trust, then understanding moves
    /// toward the partnership's trust.
    pub fn meet(
        &mut self,
        p: &crate::model::co_governance::params::Collaboration,
        present: [bool; PARTNERS],
        quality: f64,
        weight: f64,
    ) {
        let dialogue = weight * quality;
        let groups = self.partner_trust.iter_mut().zip(self.member).zip(present);
        for ((t, member), at_table) in groups {
            if member && at_table {
                *t = (*t + p.meeting_gain * dialogue * (1.0 - *t)).clamp(0.0, 1.0);
            }
        }
        self.refresh_trust();
        self.understanding = (self.understanding
            + p.understanding_gain * dialogue * (self.trust - self.understanding))
            .clamp(0.0, 1.0);
    }

    /// Advances one day given the grid's joint successes and failures: every partner's
    /// trust decays and learns from them, commitment follows trust, understanding
    /// erodes.
    pub fn step(
        &mut self,
        p: &crate::model::co_governance::params::Collaboration,
        wins: u32,
        failures: u32,
    ) {
        let outcome = p.win_gain * f64::from(wins) - p.failure_loss * f64::from(failures);
        for g in 0..PARTNERS {
            let t = self.partner_trust[g];
            self.partner_trust[g] = (t - p.decay * t + outcome).clamp(0.0, 1.0);
        }
        self.refresh_trust();
        self.commitment =
            (self.commitment + p.commitment_rate * (self.trust - self.commitment)).clamp(0.0, 1.0);
        self.understanding = (self.understanding * (1.0 - p.decay)).clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    const ALL: [bool; PARTNERS] = [true; PARTNERS];

    #[test]
    fn attendance_rules() {
        assert_eq!(meeting_probability(0.0), 0.0);
        assert_eq!(meeting_probability(3.0), 0.1);
        assert_eq!(meeting_probability(31.0), 1.0);
        // 72 minutes of community work for a 120-minute meeting: 3 times in 5.
        assert!((officer_attends(72.0, 120.0) - 0.6).abs() < 1e-15);
        assert_eq!(officer_attends(168.0, 120.0), 1.0);
        assert_eq!(officer_attends(0.0, 120.0), 0.0);
        assert_eq!(officer_attends(0.0, 0.0), 1.0);
        assert_eq!(actor_attends(0.7, 1.0), 0.7);
        assert_eq!(actor_attends(0.7, 0.0), 0.35);
        assert!((actor_attends(0.8, 0.5) - 0.6).abs() < 1e-15);
        assert_eq!(facilitation(0.15), 0.3);
        assert_eq!(facilitation(0.9), 1.0);
    }

    #[test]
    fn a_meeting_missing_the_police_or_a_partner_does_less() {
        // Everyone, full channels and facilitation: quality 1.
        assert_eq!(meeting_quality(1.0, 1.0, true, 1.0), 1.0);
        // Without the police the facilitation falls to its floor.
        assert_eq!(meeting_quality(1.0, 1.0, false, 1.0), 0.5);
        assert_eq!(meeting_quality(1.0, 0.0, false, 1.0), 0.25);
        // Breadth scales it: 3 of 4 groups.
        assert!((meeting_quality(0.75, 1.0, true, 0.3) - 0.75 * 0.65).abs() < 1e-15);
        let mut grid = Process::new(0.5, [true, true, false, true, true]);
        assert_eq!(grid.members(), 4);
        assert_eq!(grid.breadth([true, false, true, true, false]), 0.5);
        assert_eq!(grid.breadth(ALL), 1.0);
        // Only the groups at the table build trust; a group the grid lacks never counts.
        let p = Params::default().collaboration;
        grid.meet(&p, [false, true, true, false, false], 0.8, 0.5);
        let gained = 0.5 + p.meeting_gain * 0.4 * 0.5;
        assert_eq!(grid.partner_trust, [0.5, gained, 0.5, 0.5, 0.5]);
        assert!((grid.trust - (3.0 * 0.5 + gained) / 4.0).abs() < 1e-15);
        assert!(
            (grid.understanding - (0.5 + p.understanding_gain * 0.4 * (grid.trust - 0.5))).abs()
                < 1e-15
        );
    }

    #[test]
    fn meeting_weight_reproduces_the_saturation_of_meetings() {
        assert_eq!(meeting_weight(0.0), 0.0);
        assert_eq!(meeting_weight(15.0), 0.5);
        // m meetings a month at regular gaps: (m / 30) w(30 / m) = (1 / 15) m / (m + 2).
        for m in [0.5, 1.0, 2.0, 4.0, 8.0] {
            let daily = m / DAYS_PER_MONTH * meeting_weight(DAYS_PER_MONTH / m);
            assert!((daily - m / (m + 2.0) / 15.0).abs() < 1e-15, "{m}");
        }
        assert_eq!(joint_bonus(0.1, 0.0), 0.05);
        assert_eq!(joint_bonus(0.1, 1.0), 0.1);
        assert!((joint_bonus(0.2, 0.5) - 0.15).abs() < 1e-15);
        assert_eq!(partner_hours(3.0), 1.5);
    }

    #[test]
    fn trust_settles_where_meetings_balance_decay() {
        let p = Params::default().collaboration;
        let mut s = Process::new(0.1, ALL);
        // A full meeting of weight w every 10 days.
        let (w, q) = (meeting_weight(10.0), 0.6);
        for day in 0..50_000 {
            if day % 10 == 0 {
                s.meet(&p, ALL, q, w);
            }
            s.step(&p, 0, 0);
        }
        // Fixed point over a cycle, just before a meeting: the meeting gives
        // T + a (1 - T), then ten days of decay: T = (1 - decay)^10 (T + a (1 - T)).
        let a = p.meeting_gain * w * q;
        let r = (1.0 - p.decay).powi(10);
        let after_cycle = r * a / (1.0 - r * (1.0 - a));
        assert!(
            (s.trust - after_cycle).abs() < 1e-9,
            "{} vs {after_cycle}",
            s.trust
        );
        assert!(s.partner_trust.iter().all(|&t| (t - s.trust).abs() < 1e-12));
        // Commitment follows trust within a cycle's swing; understanding stays below it.
        assert!((s.commitment - s.trust).abs() < 0.05);
        assert!(s.understanding < s.trust && s.understanding > 0.0);
    }

    #[test]
    fn small_wins_build_trust_and_failures_erode_it() {
        let p = Params::default().collaboration;
        let mut won = Process::new(0.4, ALL);
        let mut lost = Process::new(0.4, ALL);
        won.step(&p, 2, 0);
        lost.step(&p, 0, 2);
        assert!(won.trust > 0.4 && lost.trust < 0.4);
        assert!((won.trust - lost.trust - 2.0 * (p.win_gain + p.failure_loss)).abs() < 1e-12);
        // Commitment follows; understanding only erodes between meetings.
        assert!(won.commitment > lost.commitment);
        assert_eq!(won.understanding, 0.4 * (1.0 - p.decay));
    }
}
