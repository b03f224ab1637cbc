//! The collaborative process (BRIEF mechanism 8; Ansell and Gash 2008, J Public Adm
//! Res Theory 18:543; Emerson, Nabatchi and Balogh 2012, J Public Adm Res Theory 22:1).
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
//!   together on an incident or dispute.

/// One grid's process state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    pub trust: f64,
    pub commitment: f64,
    pub understanding: f64,
}

/// Dialogue intensity of a day.
pub fn dialogue(meetings_per_month: f64, channel_access: f64, community_role_share: f64) -> f64 {
    let facilitation = (community_role_share / 0.5).min(1.0);
    meetings_per_month / (meetings_per_month + 2.0)
        * (0.5 + 0.5 * channel_access)
        * (0.5 + 0.5 * facilitation)
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
