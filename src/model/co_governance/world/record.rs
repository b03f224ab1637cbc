//! The day's record: district means written to the time-series row every day and,
//! in the measured window, added to the run's accounts. Perceived safety is
//! `rules::contagion::residents_feeling_safe` over every grid's fear; staff costs are
//! `rules::operations::staff_cost`. Turning the accounts into metrics is
//! `accounts::Accounts::metrics`, not this file.

use super::{Day, World};
use crate::model::co_governance::metrics::{SERIES, Series};
use crate::model::co_governance::rules::collaboration::Process;
use crate::model::co_governance::rules::contagion;
use crate::model::co_governance::rules::operations::{self, PoliceTime};

impl World<'_> {
    /// Adds the day's grid by grid disorder, mean trust in police and participation
    /// share to the window's sums of the per-grid output (measured days only).
    pub(super) fn record_grids(&mut self) {
        let per_grid = self.per_grid as f64;
        for (k, sums) in self.grid_window.iter_mut().enumerate() {
            sums[0] += self.disorder[k];
            sums[1] += self.sum_trust_police[k] / per_grid;
            sums[2] += self.contributors[k] as f64 / per_grid;
        }
    }

    /// Writes the day's time-series row and, in the window, adds to the accounts.
    pub(super) fn record(
        &mut self,
        tick: usize,
        measured: bool,
        police: &PoliceTime,
        day: &Day,
        motivated: u64,
        incentives: f64,
    ) {
        let p = self.p;
        let n = self.residents() as f64;
        let grids = self.grids as f64;
        let utilisation = operations::utilisation(day.used_hours, day.capacity_hours);
        let trust_police = self.sum_trust_police.iter().sum::<f64>() / n;
        let trust_community = self.sum_trust_community.iter().sum::<f64>() / n;
        let collab = self.process.iter().map(|s| s.trust).sum::<f64>() / grids;
        let commitment = self.process.iter().map(|s| s.commitment).sum::<f64>() / grids;
        let understanding = self.process.iter().map(|s| s.understanding).sum::<f64>() / grids;
        let joint = self
            .process
            .iter()
            .map(Process::joint_capacity)
            .sum::<f64>()
            / grids;
        let contributors = self.contributors.iter().sum::<u64>() as f64 / n;
        let free_riders = self.free_riders.iter().sum::<u64>() as f64 / n;
        let enterprises = self.enterprises.on.len();
        let enterprise_rate = if enterprises > 0 {
            self.enterprises
                .on_in_grid
                .iter()
                .map(|&e| f64::from(e))
                .sum::<f64>()
                / enterprises as f64
        } else {
            f64::NAN
        };
        let ngos = self.ngos.on.len();
        let ngo_rate = if ngos > 0 {
            self.ngos
                .on_in_grid
                .iter()
                .map(|&e| f64::from(e))
                .sum::<f64>()
                / ngos as f64
        } else {
            f64::NAN
        };
        let disorder = self.disorder.iter().sum::<f64>() / grids;
        let arrest = self.arrest_p.iter().sum::<f64>() / grids;
        let mut safety = 0.0;
        for k in 0..self.grids {
            let f = contagion::fear(
                self.incident_rate[k],
                p.safety.fear_scale,
                self.disorder[k],
                p.safety.disorder_fear,
            );
            safety += contagion::residents_feeling_safe(
                f,
                self.per_grid as f64,
                self.sum_trust_police[k],
            );
        }
        safety /= n;
        let response = if day.responses > 0 {
            day.response_sum / day.responses as f64
        } else {
            f64::NAN
        };

        let motivation = self.mean_actor_motivation();
        let row = &mut self.series[tick * SERIES.len()..(tick + 1) * SERIES.len()];
        let mut put = |s: Series, v: f64| row[s as usize] = v;
        put(Series::Incidents, day.incidents as f64);
        put(Series::Reported, day.reported as f64);
        put(Series::Cleared, day.cleared as f64);
        put(Series::DisputesNew, day.disputes_new as f64);
        put(Series::DisputesResolved, day.resolved as f64);
        put(Series::DisputesEscalated, day.escalated as f64);
        put(Series::MotivatedShare, motivated as f64 / n);
        put(Series::HeldShare, self.held.len() as f64 / n);
        put(Series::ArrestProbability, arrest);
        put(Series::TrustInPolice, trust_police);
        put(Series::TrustInCommunity, trust_community);
        put(Series::CollaborationTrust, collab);
        put(Series::JointCapacity, joint);
        put(Series::ParticipationRate, contributors);
        put(Series::FreeRiderShare, free_riders);
        put(Series::EnterpriseContributionRate, enterprise_rate);
        put(Series::NgoEngagementRate, ngo_rate);
        put(Series::Motivation, motivation);
        put(Series::DisorderIndex, disorder);
        put(Series::Responses, day.responses as f64);
        put(Series::UnitHoursAvailable, day.capacity_hours);
        put(Series::ResponseTime, response);
        // Participation with punishment (issue 11, item 2).
        let peer = self.peer_punishers.iter().sum::<u64>() as f64 / n;
        let pool = self.pool_punishers.iter().sum::<u64>() as f64 / n;
        let sanctioning = self.sanctioning;
        let inspections = sanctioning.resident_inspections + sanctioning.enterprise_inspections;
        put(Series::PeerPunisherShare, peer);
        put(Series::PoolPunisherShare, pool);
        put(Series::Inspections, inspections as f64);
        put(Series::Fines, sanctioning.fines as f64);
        put(Series::OfficerUtilisation, utilisation);

        if !measured {
            return;
        }
        let a = &mut self.accounts;
        a.days += 1;
        a.response_minutes += day.response_sum;
        a.responses += day.responses;
        for (total, b) in a.burden_hours.iter_mut().zip(day.burden) {
            *total += b;
        }
        a.response_hours_used += day.used_hours;
        a.response_hours_available += day.capacity_hours;
        a.officer_hours += police.on_duty;
        a.incentives += incentives;
        let gw_hours = operations::grid_worker_hours(
            p.community.grid_workers_per_grid,
            p.community.grid_worker_hours,
            grids,
        );
        a.staff_cost += operations::staff_cost(
            police.on_duty,
            p.costs.officer_hour,
            police.auxiliary_hours,
            gw_hours,
            p.costs.auxiliary_hour,
        );
        a.disorder += disorder;
        a.held += self.held.len() as f64 / n;
        a.capped_grid_days += u64::from(self.capped_today);
        a.safety += safety;
        a.participation += contributors;
        a.free_riders += free_riders;
        if enterprises > 0 {
            a.enterprise_contribution += enterprise_rate;
            a.enterprise_days += 1;
        }
        if ngos > 0 {
            a.ngo_engagement += ngo_rate;
            a.ngo_days += 1;
        }
        a.trust_police += trust_police;
        a.trust_community += trust_community;
        a.collaboration_trust += collab;
        a.commitment += commitment;
        a.understanding += understanding;
        // Participation with punishment (issue 11, item 2).
        let q = &p.participation;
        a.peer_punishers += peer;
        a.pool_punishers += pool;
        a.resident_inspections += sanctioning.resident_inspections;
        a.enterprise_inspections += sanctioning.enterprise_inspections;
        a.fines += sanctioning.fines;
        a.fines_yuan += sanctioning.fines_yuan;
        a.pool_fees += sanctioning.pool_fees;
        a.inspection_hours += inspections as f64 * q.inspection_hours;
        a.inspection_cost += sanctioning.enterprise_inspections as f64 * q.inspection_cost;
    }
}
