//! The collaborative process (mechanism 8 of docs/model.md; Ansell and Gash 2008, J
//! Public Adm Res Theory 18(4):543-571; Emerson, Nabatchi and Balogh 2012, J Public Adm
//! Res Theory 22(1):1-29).
//!
//! Each grid carries three process states in [0, 1]: collaboration trust C, commitment
//! M and shared understanding U. Ansell and Gash's cycle runs face-to-face dialogue ->
//! trust building -> commitment -> shared understanding -> intermediate outcomes
//! ("small wins") -> back to trust. cogov's daily rules:
//!
//! - dialogue d = meetings/(meetings + 2) x (0.5 + 0.5 access) x (0.5 + 0.5 f), with f
//!   the police's facilitation (`police.community_role_share`, saturating at 0.5): the
//!   remodelled police role drives the cycle;
//! - C <- C + a d (1 - C) - decay C + win_gain wins - failure_loss failures;
//! - M <- M + b (C - M): commitment follows trust;
//! - U <- U + g (sqrt(d C) - U): understanding needs both dialogue and trust;
//! - capacity for joint action J = M U, the chance that police and community act
//!   together on an incident or dispute; joint action adds a bonus to the clearance or
//!   settlement probability, half of it regardless of IT and half scaled by the IT
//!   level (shared information), and the community partner (the grid worker) puts in
//!   half the officer's handling hours;
//! - each meeting takes its hours from each group at the table.
//!
//! The half-saturation at 2 meetings a month, the floors of one half and the
//! saturation of facilitation at a community share of 0.5 are modelling choices.

use super::space::DAYS_PER_MONTH;

/// Meetings a month that give half the meeting effect on dialogue (modelling choice).
pub const MEETINGS_HALF_SATURATION: f64 = 2.0;

/// Share of the police's time in community work at which their facilitation of the
/// process is full (modelling choice).
pub const FULL_FACILITATION_SHARE: f64 = 0.5;

/// Share of an enabled effect (dialogue by channels and facilitation, the joint bonus
/// by IT) that remains without the enabler (modelling choice).
pub const ENABLER_FLOOR: f64 = 0.5;

/// Share of the officer's handling hours the community partner puts into a joint case
/// (modelling choice).
pub const JOINT_PARTNER_SHARE: f64 = 0.5;

/// An effect scaled by an enabler x in [0, 1]: floor + (1 - floor) x.
#[inline]
fn enabled(x: f64) -> f64 {
    ENABLER_FLOOR + (1.0 - ENABLER_FLOOR) * x
}

/// One grid's process state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    pub trust: f64,
    pub commitment: f64,
    pub understanding: f64,
}

/// Dialogue intensity of a day.
pub fn dialogue(meetings_per_month: f64, channel_access: f64, community_role_share: f64) -> f64 {
    let facilitation = (community_role_share / FULL_FACILITATION_SHARE).min(1.0);
    meetings_per_month / (meetings_per_month + MEETINGS_HALF_SATURATION)
        * enabled(channel_access)
        * enabled(facilitation)
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

/// Hours each group at the table spends in meetings a day, over `grids` grids.
#[inline]
pub fn meeting_hours(meetings_per_month: f64, hours_per_meeting: f64, grids: f64) -> f64 {
    meetings_per_month / DAYS_PER_MONTH * hours_per_meeting * grids
}

impl Process {
    pub fn new(level: f64) -> Self {
        Process {
            trust: level,
            commitment: level,
            understanding: level,
        }
    }

    /// Capacity for joint action, J = commitment x understanding.
    #[inline]
    pub fn joint_capacity(&self) -> f64 {
        self.commitment * self.understanding
    }

    /// Advances one day given the day's dialogue and the grid's joint successes and
    /// failures.
    pub fn step(
        &mut self,
        p: &crate::model::co_governance::params::Collaboration,
        dialogue: f64,
        wins: u32,
        failures: u32,
    ) {
        let c = self.trust;
        let c = c + p.dialogue_rate * dialogue * (1.0 - c) - p.decay * c
            + p.win_gain * f64::from(wins)
            - p.failure_loss * f64::from(failures);
        self.trust = c.clamp(0.0, 1.0);
        self.commitment =
            (self.commitment + p.commitment_rate * (self.trust - self.commitment)).clamp(0.0, 1.0);
        let target = (dialogue * self.trust).sqrt();
        self.understanding = (self.understanding
            + p.understanding_rate * (target - self.understanding))
            .clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn dialogue_grows_with_meetings_channels_and_facilitation() {
        assert_eq!(dialogue(0.0, 1.0, 0.5), 0.0);
        assert!((dialogue(2.0, 1.0, 0.5) - 0.5).abs() < 1e-12);
        assert!(dialogue(4.0, 0.5, 0.2) > dialogue(1.0, 0.5, 0.2));
        assert!(dialogue(2.0, 0.5, 0.4) > dialogue(2.0, 0.5, 0.1));
        assert!(dialogue(2.0, 0.9, 0.2) > dialogue(2.0, 0.1, 0.2));
    }

    #[test]
    fn joint_action_terms() {
        assert_eq!(joint_bonus(0.1, 0.0), 0.05);
        assert_eq!(joint_bonus(0.1, 1.0), 0.1);
        assert!((joint_bonus(0.2, 0.5) - 0.15).abs() < 1e-15);
        assert_eq!(partner_hours(3.0), 1.5);
        // Two meetings a month of 3 hours in 5 grids: 2 / 30 x 3 x 5 = 1 hour a day.
        assert!((meeting_hours(2.0, 3.0, 5.0) - 1.0).abs() < 1e-15);
        // Facilitation saturates at a community share of 0.5.
        assert_eq!(dialogue(2.0, 1.0, 0.5), dialogue(2.0, 1.0, 0.9));
        assert_eq!(dialogue(2.0, 0.0, 0.0), 0.5 * 0.5 * 0.5);
    }

    #[test]
    fn trust_settles_where_dialogue_balances_decay() {
        let p = Params::default().collaboration;
        let mut s = Process::new(0.1);
        for _ in 0..20_000 {
            s.step(&p, 0.5, 0, 0);
        }
        // Fixed point of C: a d (1 - C) = decay C.
        let expected = p.dialogue_rate * 0.5 / (p.dialogue_rate * 0.5 + p.decay);
        assert!(
            (s.trust - expected).abs() < 1e-9,
            "{} vs {expected}",
            s.trust
        );
        assert!((s.commitment - s.trust).abs() < 1e-9);
        assert!((s.understanding - (0.5 * s.trust).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn small_wins_build_trust_and_failures_erode_it() {
        let p = Params::default().collaboration;
        let mut won = Process::new(0.4);
        let mut lost = Process::new(0.4);
        won.step(&p, 0.3, 2, 0);
        lost.step(&p, 0.3, 0, 2);
        assert!(won.trust > 0.4 && lost.trust < 0.4);
        assert!((won.trust - lost.trust - 2.0 * (p.win_gain + p.failure_loss)).abs() < 1e-12);
    }
}
