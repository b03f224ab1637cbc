//! Counting during the measured window, and turning the counts into metrics.
//!
//! Every metric of [`crate::model::co_governance::metrics::METRICS`] is computed here from plain counts and
//! sums, so its definition in `metrics.rs` can be checked against one function.

use crate::model::co_governance::metrics::{METRICS, Metric, PRESENT_BIN_METRICS};
use crate::model::co_governance::rules::space::DAYS_PER_MONTH;

/// Actor groups whose public-safety work hours make up the burden (see `burden_gini`).
pub const BURDEN_GROUPS: usize = 6;
pub const POLICE: usize = 0;
pub const AUXILIARIES: usize = 1;
pub const GRID_WORKERS: usize = 2;
pub const NGOS: usize = 3;
pub const ENTERPRISES: usize = 4;
pub const VOLUNTEERS: usize = 5;

/// Calls under unclear liability are counted by the number of actors present:
/// 1, 2, 3, 4, and 5 or more (the last bin).
pub const PRESENT_BINS: usize = PRESENT_BIN_METRICS.len();

/// Window totals. Sums of daily shares are divided by the window length at the end.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub days: u64,
    pub residents: u64,
    pub property: u64,
    pub violent: u64,
    pub public_order: u64,
    pub reported: u64,
    pub known: u64,
    pub cleared: u64,
    pub joint_cleared: u64,
    pub disputes_resolved_locally: u64,
    pub disputes_joint: u64,
    pub disputes_escalated: u64,
    pub disputes_lapsed: u64,
    pub response_minutes: f64,
    pub responses: u64,
    pub community_calls: u64,
    pub nobody_acted: u64,
    // Bystander output (issue 10 item 2): calls under unclear liability by the number
    // of actors present (`PRESENT_BINS`), actors' decisions and acts, and calls on
    // which anyone acted.
    pub present_calls: [u64; PRESENT_BINS],
    pub present_decisions: [u64; PRESENT_BINS],
    pub present_acts: [u64; PRESENT_BINS],
    pub present_anyone: [u64; PRESENT_BINS],
    pub burden_hours: [f64; BURDEN_GROUPS],
    pub response_hours_used: f64,
    pub response_hours_available: f64,
    pub officer_hours: f64,
    pub incentives: f64,
    pub staff_cost: f64,
    // Sums of daily means.
    pub disorder: f64,
    pub held: f64,
    /// Calls on the police closed unattended after waiting a day.
    pub unattended_calls: u64,
    /// Grid-days whose offending probability was held at 1.
    pub capped_grid_days: u64,
    pub grids: u64,
    pub safety: f64,
    pub participation: f64,
    pub free_riders: f64,
    pub enterprise_contribution: f64,
    pub enterprise_days: u64,
    pub ngo_engagement: f64,
    pub ngo_days: u64,
    pub trust_police: f64,
    pub trust_community: f64,
    pub collaboration_trust: f64,
    pub commitment: f64,
    pub understanding: f64,
    // Trust through contacts (issue 11, item 1): direct police contacts and patrol
    // stops in the window.
    pub police_contacts: u64,
    pub stop_contacts: u64,
    // --- The collaborative process in the agents (issue 11, item 3): meetings held,
    // the sum of their breadths, and those an officer attended.
    pub meetings: u64,
    pub meeting_breadth: f64,
    pub meetings_with_police: u64,
    // --- Officers as agents (issue 10, item 1): every reported incident's response
    // time, for the median and 90th percentile.
    pub response_times: Histogram,
    // --- Participation with punishment (issue 11, item 2): sums of daily shares of
    // punishers, and the window's inspections, fines and pool fees.
    pub peer_punishers: f64,
    pub pool_punishers: f64,
    pub resident_inspections: u64,
    pub enterprise_inspections: u64,
    pub fines: u64,
    pub fines_yuan: f64,
    pub pool_fees: f64,
    /// Hours of every inspection.
    pub inspection_hours: f64,
    /// Cost of the authority's inspections of enterprises.
    pub inspection_cost: f64,
}

/// Width of a response-time bin, in minutes.
pub const RESPONSE_BIN_MINUTES: f64 = 0.25;
/// Response times at or above this many minutes share one overflow bin; a quantile
/// that falls there is reported as this value (at least a day).
pub const RESPONSE_CAP_MINUTES: f64 = 1440.0;

/// Counts of values in fixed bins of `RESPONSE_BIN_MINUTES` from 0 to
/// `RESPONSE_CAP_MINUTES`, plus an overflow count: allocated once per run, so adding a
/// value allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    bins: Vec<u32>,
    overflow: u64,
    total: u64,
}

impl Histogram {
    /// An empty histogram with every bin allocated.
    pub fn new() -> Self {
        let bins = (RESPONSE_CAP_MINUTES / RESPONSE_BIN_MINUTES).round() as usize;
        Histogram {
            bins: vec![0; bins],
            overflow: 0,
            total: 0,
        }
    }

    /// Counts one value (negative values count in the first bin).
    pub fn add(&mut self, x: f64) {
        self.total += 1;
        let i = (x.max(0.0) / RESPONSE_BIN_MINUTES) as usize;
        match self.bins.get_mut(i) {
            Some(b) => *b += 1,
            None => self.overflow += 1,
        }
    }

    /// The `q` quantile: the midpoint of the bin holding the value of rank
    /// ceil(q n) (at least 1) in ascending order, accurate to half a bin;
    /// `RESPONSE_CAP_MINUTES` when that value is in the overflow; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (i, &c) in self.bins.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank {
                return (i as f64 + 0.5) * RESPONSE_BIN_MINUTES;
            }
        }
        RESPONSE_CAP_MINUTES
    }
}

fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}

/// Gini coefficient of non-negative values (mean absolute difference over twice the
/// mean); NaN when all are zero.
pub fn gini(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    if total <= 0.0 || values.is_empty() {
        return f64::NAN;
    }
    let mut diff = 0.0;
    for a in values {
        for b in values {
            diff += (a - b).abs();
        }
    }
    diff / (2.0 * n * total)
}

/// Population standard deviation of `values` (two passes); NaN when there are none.
pub fn standard_deviation(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let (n, sum) = values
        .clone()
        .fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    if n == 0 {
        return f64::NAN;
    }
    let mean = sum / n as f64;
    let squares: f64 = values.map(|x| (x - mean) * (x - mean)).sum();
    (squares / n as f64).sqrt()
}

/// Share of `total` held by the `top` largest of `counts`.
pub fn top_share(counts: &[u64], top: usize, scratch: &mut Vec<u64>) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    scratch.clear();
    scratch.extend_from_slice(counts);
    scratch.sort_unstable_by(|a, b| b.cmp(a));
    let top: u64 = scratch.iter().take(top.max(1)).sum();
    top as f64 / total as f64
}

impl Accounts {
    /// The end-of-run metrics, in [`METRICS`] order.
    /// `trust_police` is every resident's trust in police on the last day.
    pub fn metrics(&self, victims: u64, grid_incidents: &[u64], trust_police: &[f64]) -> Vec<f64> {
        let mut m = vec![f64::NAN; METRICS.len()];
        let days = self.days as f64;
        let per_1000_year =
            |count: u64| ratio(count as f64 * 1000.0 * 365.0, self.residents as f64 * days);
        let incidents = self.property + self.violent + self.public_order;
        let mut set = |k: Metric, v: f64| m[k as usize] = v;
        set(Metric::IncidentsPer1000, per_1000_year(incidents));
        set(Metric::PropertyPer1000, per_1000_year(self.property));
        set(Metric::ViolentPer1000, per_1000_year(self.violent));
        set(Metric::PublicOrderPer1000, per_1000_year(self.public_order));
        set(
            Metric::VictimisationRate,
            ratio(victims as f64, self.residents as f64),
        );
        set(
            Metric::ClearanceRate,
            ratio(self.cleared as f64, self.known as f64),
        );
        let closed = (self.disputes_resolved_locally
            + self.disputes_escalated
            + self.disputes_lapsed) as f64;
        set(
            Metric::DisputesResolvedLocallyShare,
            ratio(self.disputes_resolved_locally as f64, closed),
        );
        set(
            Metric::EscalationRate,
            ratio(self.disputes_escalated as f64, closed),
        );
        set(
            Metric::MeanResponseTime,
            ratio(self.response_minutes, self.responses as f64),
        );
        // Officers as agents (issue 10, item 1): the response-time distribution.
        set(
            Metric::MedianResponseTime,
            self.response_times.quantile(0.5),
        );
        set(Metric::P90ResponseTime, self.response_times.quantile(0.9));
        set(Metric::DisorderIndex, ratio(self.disorder, days));
        set(Metric::HeldShare, ratio(self.held, days));
        set(
            Metric::UnattendedCallsPer1000,
            per_1000_year(self.unattended_calls),
        );
        set(
            Metric::OffendingCappedShare,
            ratio(self.capped_grid_days as f64, (self.grids as f64) * days),
        );
        set(Metric::PerceivedSafety, ratio(self.safety, days));
        let mut scratch = Vec::with_capacity(grid_incidents.len());
        let grids = grid_incidents.len();
        let top10 = (grids as f64 * 0.10).ceil() as usize;
        let top5 = (grids as f64 * 0.05).ceil() as usize;
        set(
            Metric::IncidentConcentration,
            top_share(grid_incidents, top10, &mut scratch),
        );
        set(
            Metric::IncidentTop5Share,
            top_share(grid_incidents, top5, &mut scratch),
        );
        let grid_residents = self.residents as f64 / grids as f64;
        set(
            Metric::IncidentRateGridSd,
            standard_deviation(
                grid_incidents
                    .iter()
                    .map(|&c| ratio(c as f64 * 1000.0 * 365.0, grid_residents * days)),
            ),
        );
        set(
            Metric::ReportingRate,
            ratio(self.reported as f64, incidents as f64),
        );
        set(Metric::ParticipationRate, ratio(self.participation, days));
        set(
            Metric::EnterpriseContributionRate,
            ratio(self.enterprise_contribution, self.enterprise_days as f64),
        );
        set(
            Metric::NgoEngagementRate,
            ratio(self.ngo_engagement, self.ngo_days as f64),
        );
        set(Metric::TrustInPolice, ratio(self.trust_police, days));
        set(
            Metric::TrustInPoliceSd,
            standard_deviation(trust_police.iter().copied()),
        );
        set(
            Metric::SatisfiedWithPoliceShare,
            ratio(
                trust_police.iter().filter(|&&t| t >= 0.5).count() as f64,
                trust_police.len() as f64,
            ),
        );
        set(Metric::TrustInCommunity, ratio(self.trust_community, days));
        // Trust through contacts (issue 11, item 1).
        let per_resident_year = |x: u64| ratio(x as f64 * 365.0, self.residents as f64 * days);
        set(
            Metric::PoliceContactsPerResident,
            per_resident_year(self.police_contacts),
        );
        set(
            Metric::StopContactsPerResident,
            per_resident_year(self.stop_contacts),
        );
        set(
            Metric::CollaborationTrust,
            ratio(self.collaboration_trust, days),
        );
        set(Metric::Commitment, ratio(self.commitment, days));
        set(Metric::SharedUnderstanding, ratio(self.understanding, days));
        // The collaborative process in the agents (issue 11, item 3).
        let meetings = self.meetings as f64;
        set(
            Metric::MeetingsPerGridMonth,
            ratio(meetings * DAYS_PER_MONTH, self.grids as f64 * days),
        );
        set(
            Metric::MeetingBreadth,
            ratio(self.meeting_breadth, meetings),
        );
        set(
            Metric::PoliceAtMeetings,
            ratio(self.meetings_with_police as f64, meetings),
        );
        let resolved = (self.cleared + self.disputes_resolved_locally) as f64;
        set(
            Metric::JointResolutionShare,
            ratio((self.joint_cleared + self.disputes_joint) as f64, resolved),
        );
        set(
            Metric::NobodyActedShare,
            ratio(self.nobody_acted as f64, self.community_calls as f64),
        );
        // Bystander output, by the number of actors present.
        for (b, (calls, act, anyone)) in PRESENT_BIN_METRICS.into_iter().enumerate() {
            set(calls, per_1000_year(self.present_calls[b]));
            set(
                act,
                ratio(
                    self.present_acts[b] as f64,
                    self.present_decisions[b] as f64,
                ),
            );
            set(
                anyone,
                ratio(self.present_anyone[b] as f64, self.present_calls[b] as f64),
            );
        }
        set(Metric::FreeRiderShare, ratio(self.free_riders, days));
        set(Metric::BurdenGini, gini(&self.burden_hours));
        set(
            Metric::OfficerUtilisation,
            ratio(self.response_hours_used, self.response_hours_available),
        );
        let year = |x: f64| ratio(x * 365.0, days);
        set(
            Metric::OfficerHoursPer1000,
            ratio(
                self.officer_hours * 1000.0 * 365.0,
                self.residents as f64 * days,
            ),
        );
        set(Metric::IncentivesPaid, year(self.incentives));
        // Participation with punishment (issue 11, item 2).
        set(Metric::PeerPunisherShare, ratio(self.peer_punishers, days));
        set(Metric::PoolPunisherShare, ratio(self.pool_punishers, days));
        set(
            Metric::InspectionsPer1000,
            per_1000_year(self.resident_inspections + self.enterprise_inspections),
        );
        set(Metric::FinesPer1000, per_1000_year(self.fines));
        set(Metric::FinesCollected, year(self.fines_yuan));
        set(Metric::PoolFeesPaid, year(self.pool_fees));
        set(Metric::InspectionHours, year(self.inspection_hours));
        set(Metric::InspectionCost, year(self.inspection_cost));
        set(
            Metric::CostPerResolvedIncident,
            ratio(
                self.staff_cost + self.incentives + self.inspection_cost,
                resolved,
            ),
        );
        set(
            Metric::PublicCostPer1000,
            ratio(
                (self.staff_cost + self.incentives + self.inspection_cost) * 1000.0 * 365.0,
                self.residents as f64 * days,
            ),
        );
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_deviation_known_values() {
        assert_eq!(
            standard_deviation([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].into_iter()),
            2.0
        );
        assert_eq!(standard_deviation([3.0, 3.0].into_iter()), 0.0);
        assert!(standard_deviation(std::iter::empty()).is_nan());
    }

    #[test]
    fn gini_known_values() {
        assert_eq!(gini(&[1.0, 1.0, 1.0]), 0.0);
        // One of n holds everything: (n - 1)/n.
        assert!((gini(&[0.0, 0.0, 0.0, 4.0]) - 0.75).abs() < 1e-12);
        assert!((gini(&[1.0, 3.0]) - 0.25).abs() < 1e-12);
        assert!(gini(&[0.0, 0.0]).is_nan());
    }

    #[test]
    fn top_share_counts_the_largest() {
        let mut s = Vec::new();
        assert_eq!(top_share(&[1, 5, 2, 2], 1, &mut s), 0.5);
        assert_eq!(top_share(&[1, 5, 2, 2], 2, &mut s), 0.7);
        assert!(top_share(&[0, 0], 1, &mut s).is_nan());
    }

    #[test]
    fn histogram_quantiles_are_bin_midpoints() {
        let mut h = Histogram::new();
        assert!(h.quantile(0.5).is_nan());
        for x in [1.1, 2.6, 3.0, 10.0, 10.1, 2000.0] {
            h.add(x);
        }
        // Rank ceil(0.5 x 6) = 3: 3.0, in the bin [3.0, 3.25).
        assert_eq!(h.quantile(0.5), 3.125);
        // Rank ceil(0.9 x 6) = 6: the overflow.
        assert_eq!(h.quantile(0.9), RESPONSE_CAP_MINUTES);
        // Rank ceil(0.1 x 6) = 1: 1.1, in [1.0, 1.25).
        assert_eq!(h.quantile(0.1), 1.125);
        assert_eq!(h.quantile(0.0), 1.125);
        // A default (empty) histogram counts everything as overflow.
        let mut d = Histogram::default();
        d.add(1.0);
        assert_eq!(d.quantile(0.5), RESPONSE_CAP_MINUTES);
    }

    #[test]
    fn rates_are_annualised_per_thousand() {
        let a = Accounts {
            days: 73,
            residents: 2000,
            property: 10,
            ..Default::default()
        };
        let m = a.metrics(0, &[10, 0], &[0.2, 0.6, 0.8, 0.4]);
        // 10 in 73 days among 2,000 = 10 x 5 / 2 = 25 per 1,000 a year.
        assert!((m[Metric::IncidentsPer1000 as usize] - 25.0).abs() < 1e-12);
        assert!(m[Metric::ClearanceRate as usize].is_nan());
        // Two grids of 1,000: 50 and 0 per 1,000 a year, sd 25.
        assert!((m[Metric::IncidentRateGridSd as usize] - 25.0).abs() < 1e-12);
        // Trust 0.2, 0.4, 0.6, 0.8: sd sqrt(0.05); half at 0.5 or more.
        assert!((m[Metric::TrustInPoliceSd as usize] - 0.05f64.sqrt()).abs() < 1e-12);
        assert_eq!(m[Metric::SatisfiedWithPoliceShare as usize], 0.5);
    }
}
