//! Guardianship: who watches over a grid, in officer-equivalents present on average
//! over the day (docs/model.md, "A day, in order", step 2; mechanisms 2 and 9).
//!
//! Guardians are Epstein's cops C (Epstein 2002, PNAS 99(suppl. 3):7243-7250) widened
//! to everyone whose presence deters: officers out in the grids (community work plus
//! the idle share of their response hours), auxiliaries, grid workers, volunteers,
//! enterprises' security staff and cameras, each at its weight
//! (`guardians.*_weight`, free parameters). Of the officers' and auxiliaries' patrol
//! presence, a share `guardians.hot_spot_share` goes to grids in proportion to their
//! recently observed incident rates (hot-spot policing: Sherman and Weisburd 1995,
//! Justice Q 12:625-648; Braga, Papachristos and Hureau 2014, Justice Q 31:633-663),
//! the rest evenly; the district's total is unchanged. A grid whose crime rises draws
//! patrols, which raise the perceived arrest risk there: negative feedback on a hot
//! spot. Volunteers and guards are where the contributors and contributing
//! enterprises are. This file owns the presence and weighting formulas;
//! the world decides which grid's counts go in.

use super::operations::PoliceTime;
use super::space::HOURS_PER_DAY;
use crate::model::co_governance::params::{Community, Guardians, InformationTechnology};

/// Presence that is the same in every grid of the district.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Presence {
    /// Officers out in a grid: community work plus the idle share of officers' own
    /// response hours (auxiliaries' call hours are counted in their own term).
    pub officers: f64,
    pub auxiliaries: f64,
    pub grid_workers: f64,
    /// Camera coverage: cameras per grid times the IT level.
    pub cameras: f64,
}

impl Presence {
    /// The day's presence per grid, given yesterday's observed utilisation of response
    /// capacity (busy officers are not out on patrol).
    pub fn new(
        time: &PoliceTime,
        utilisation_seen: f64,
        grids: usize,
        community: &Community,
        it: &InformationTechnology,
    ) -> Self {
        let idle = time.officer_response * (1.0 - utilisation_seen.min(1.0));
        Presence {
            officers: (time.community + idle) / HOURS_PER_DAY / grids as f64,
            auxiliaries: time.auxiliary_hours / HOURS_PER_DAY / grids as f64,
            grid_workers: community.grid_workers_per_grid * community.grid_worker_hours
                / HOURS_PER_DAY,
            cameras: it.cameras_per_grid * it.level,
        }
    }

    /// A grid's guardianship from the shared presence, the grid's hot-spot weight on
    /// police patrols (see [`hot_spot_weight`]) and its own volunteers and security
    /// staff.
    #[inline]
    pub fn guardians(
        &self,
        w: &Guardians,
        patrol_weight: f64,
        volunteers: f64,
        security: f64,
    ) -> f64 {
        patrol_weight * (self.officers + w.auxiliary_weight * self.auxiliaries)
            + w.grid_worker_weight * self.grid_workers
            + w.volunteer_weight * volunteers
            + w.enterprise_security_weight * security
            + w.camera_weight * self.cameras
    }
}

/// The factor on a grid's share of police patrols: (1 - h) + h rate / mean rate, with
/// `h` the hot-spot share and `rate` the grid's observed incident rate. Its mean over
/// the grids is 1, so patrols are moved, not added; with no incidents seen anywhere
/// patrols stay even.
#[inline]
pub fn hot_spot_weight(share: f64, rate: f64, mean_rate: f64) -> f64 {
    if mean_rate > 0.0 {
        (1.0 - share) + share * rate / mean_rate
    } else {
        1.0
    }
}

/// Volunteers present in a grid on average over the day, from its contributors.
#[inline]
pub fn volunteers_present(contributors: u64, volunteer_share: f64, volunteer_hours: f64) -> f64 {
    contributors as f64 * volunteer_share * volunteer_hours / HOURS_PER_DAY
}

/// Volunteers' hours in the district from the district's contributors.
#[inline]
pub fn volunteer_hours(contributors: f64, volunteer_share: f64, volunteer_hours: f64) -> f64 {
    contributors * volunteer_share * volunteer_hours
}

/// Security staff present from contributing enterprises (guards are there all day).
#[inline]
pub fn security_present(enterprises_contributing: u32, staff_per_enterprise: f64) -> f64 {
    f64::from(enterprises_contributing) * staff_per_enterprise
}

/// Security staff's hours in the district from the contributing enterprises.
#[inline]
pub fn security_hours(enterprises_contributing: f64, staff_per_enterprise: f64) -> f64 {
    enterprises_contributing * staff_per_enterprise * HOURS_PER_DAY
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::Params;

    #[test]
    fn presence_spreads_hours_over_the_day_and_the_grids() {
        let p = Params::default();
        let mut community = p.community;
        community.grid_workers_per_grid = 2.0;
        community.grid_worker_hours = 6.0;
        let mut it = p.it;
        it.cameras_per_grid = 4.0;
        it.level = 0.5;
        let time = PoliceTime {
            officers: 4.0,
            on_duty: 32.0,
            community: 8.0,
            auxiliary_hours: 48.0,
            officer_response: 16.0,
            response: 16.0,
            logistics: 1.0,
            handling: 1.0,
            service: 0.0,
        };
        let s = Presence::new(&time, 0.5, 2, &community, &it);
        // (8 + 16 x 0.5) / 24 / 2 = 1/3; 48 / 24 / 2 = 1; 2 x 6 / 24 = 0.5; 4 x 0.5 = 2.
        assert!((s.officers - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(s.auxiliaries, 1.0);
        assert_eq!(s.grid_workers, 0.5);
        assert_eq!(s.cameras, 2.0);
        // Fully busy officers are not out; utilisation above 1 counts as 1.
        let busy = Presence::new(&time, 3.0, 2, &community, &it);
        assert!((busy.officers - 8.0 / 48.0).abs() < 1e-15);
        let mut w = p.guardians;
        w.auxiliary_weight = 0.5;
        w.grid_worker_weight = 0.4;
        w.volunteer_weight = 0.2;
        w.enterprise_security_weight = 0.3;
        w.camera_weight = 0.1;
        let g = s.guardians(&w, 1.0, 10.0, 2.0);
        let expected = 1.0 / 3.0 + 0.5 + 0.2 + 2.0 + 0.6 + 0.2;
        assert!((g - expected).abs() < 1e-12, "{g}");
        // Doubling the patrol weight doubles officers and auxiliaries only.
        let hot = s.guardians(&w, 2.0, 10.0, 2.0);
        assert!((hot - g - (1.0 / 3.0 + 0.5)).abs() < 1e-12, "{hot}");
    }

    #[test]
    fn hot_spots_draw_patrols_without_adding_any() {
        // No hot-spot share, or nothing seen: even patrols.
        assert_eq!(hot_spot_weight(0.0, 90.0, 30.0), 1.0);
        assert_eq!(hot_spot_weight(0.5, 0.0, 0.0), 1.0);
        // Half the patrols by rate: a grid at three times the mean gets 2x.
        assert_eq!(hot_spot_weight(0.5, 90.0, 30.0), 2.0);
        assert_eq!(hot_spot_weight(0.5, 0.0, 30.0), 0.5);
        // The weights over grids average 1.
        let rates = [0.0, 10.0, 20.0, 90.0];
        let mean = rates.iter().sum::<f64>() / 4.0;
        let total: f64 = rates.iter().map(|&r| hot_spot_weight(0.7, r, mean)).sum();
        assert!((total - 4.0).abs() < 1e-12);
    }

    #[test]
    fn volunteers_and_guards() {
        assert_eq!(volunteers_present(100, 0.02, 12.0), 1.0);
        assert_eq!(volunteer_hours(100.0, 0.02, 12.0), 24.0);
        assert_eq!(security_present(3, 1.5), 4.5);
        assert_eq!(security_hours(3.0, 1.5), 108.0);
    }
}
