//! The co-governance model's outputs: end-of-run metrics, per-tick time-series
//! columns, each grid's figures over the window and, for a trace, day by day.
//!
//! Each metric is defined once here (name, unit, range, meaning); the model fills them
//! in this order, the CSV writers use these names as columns, and the column reference
//! (`cogov metrics`, docs/metrics.md) is printed from this table. A value of NaN means "undefined for this run"
//! (its denominator was zero, say no incident reached the police) and is written as
//! `NA`; it is never a stand-in for a value the model cannot compute.

use crate::schema::metrics::metric_table;

const INF: f64 = f64::INFINITY;

metric_table! {
    pub static METRICS; pub enum Metric {
        IncidentsPer1000 => "incidents_per_1000", "incidents per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "Offences (property, violent, public order) plus escalated disputes in the measured window, per 1,000 residents, annualised (x 365 / window days).";
        PropertyPer1000 => "property_offences_per_1000", "per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "Property offences, per 1,000 residents, annualised.";
        ViolentPer1000 => "violent_offences_per_1000", "per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "Violent offences including escalated disputes that turned violent, per 1,000 residents, annualised.";
        PublicOrderPer1000 => "public_order_incidents_per_1000", "per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "Public-order incidents including escalated disputes that became disorder, per 1,000 residents, annualised.";
        VictimisationRate => "victimisation_rate", "share of residents", [0.0, 1.0], Lower, PublicOrder,
            "Share of residents who were the victim of at least one property or violent incident during the measured window.";
        ClearanceRate => "clearance_rate", "share", [0.0, 1.0], Higher, PublicOrder,
            "Cleared incidents over incidents known to police (reported or detected) in the window.";
        DisputesResolvedLocallyShare => "disputes_resolved_locally_share", "share", [0.0, 1.0], Higher, PublicOrder,
            "Disputes settled by local mediation (grid worker, NGO, or jointly with police) over disputes closed in the window (mediated, escalated or lapsed).";
        EscalationRate => "escalation_rate", "share", [0.0, 1.0], Lower, PublicOrder,
            "Disputes that escalated into an incident over disputes closed in the window.";
        MeanResponseTime => "mean_response_time", "minutes", [0.0, INF], Lower, PublicOrder,
            "Mean time from a report to a unit at the scene (wait for a free unit + dispatch delay + travel), over reported incidents that got a response in the window; a call closed unattended after a day counts as 1,440 minutes.";
        // Officers as agents (issue 10, item 1): the response-time distribution.
        MedianResponseTime => "median_response_time", "minutes", [0.0, INF], Lower, PublicOrder,
            "Median response time over the same incidents as mean_response_time, to the nearest 0.25-minute bin's midpoint (1,440 when it is a day or more).";
        P90ResponseTime => "p90_response_time", "minutes", [0.0, INF], Lower, PublicOrder,
            "90th percentile of response time over the same incidents as mean_response_time, to the nearest 0.25-minute bin's midpoint (1,440 when it is a day or more).";
        DisorderIndex => "disorder_index", "index (0-1)", [0.0, 1.0], Lower, PublicOrder,
            "Mean over grids and window days of the grids' visible-disorder index.";
        PerceivedSafety => "perceived_safety", "share of residents", [0.0, 1.0], Higher, PublicOrder,
            "Expected share of residents who feel safe: (1 - grid fear) x (0.7 + 0.3 x trust in police), averaged over residents and window days.";
        IncidentConcentration => "incident_concentration", "share", [0.0, 1.0], Neither, Other,
            "Share of the window's incidents that fell in the top 10% of grids (at least one grid) by incident count.";
        IncidentTop5Share => "incident_top5_share", "share", [0.0, 1.0], Neither, Other,
            "Share of the window's incidents that fell in the top 5% of grids (at least one grid) by incident count.";
        IncidentRateGridSd => "incident_rate_grid_sd", "incidents per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Standard deviation across grids of each grid's incidents per 1,000 of its residents, annualised over the window: the spread a comparison of areas sees, the denominator of an area-level standardised effect.";
        ReportingRate => "reporting_rate", "share", [0.0, 1.0], Higher, Cooperation,
            "Incidents reported to police by a victim or witness over all incidents in the window.";
        ParticipationRate => "participation_rate", "share of residents", [0.0, 1.0], Higher, Cooperation,
            "Mean over window days of the share of residents contributing to public-safety work.";
        EnterpriseContributionRate => "enterprise_contribution_rate", "share of enterprises", [0.0, 1.0], Higher, Cooperation,
            "Mean over window days of the share of community enterprises contributing security.";
        NgoEngagementRate => "ngo_engagement_rate", "share of NGOs", [0.0, 1.0], Higher, Cooperation,
            "Mean over window days of the share of community organisations engaged in public-safety work.";
        TrustInPolice => "trust_in_police", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over residents and window days of trust in police (perceived legitimacy).";
        TrustInPoliceSd => "trust_in_police_sd", "trust (0-1)", [0.0, 0.5], Neither, Other,
            "Standard deviation of trust in police across residents on the last day: the spread a survey of residents sees, the denominator of a resident-level standardised effect.";
        SatisfiedWithPoliceShare => "satisfied_with_police_share", "share of residents", [0.0, 1.0], Higher, Cooperation,
            "Share of residents whose trust in police is at least 0.5 (the scale's midpoint) on the last day: the model's counterpart of a survey's share satisfied with the police.";
        TrustInCommunity => "trust_in_community", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over residents and window days of trust in community organisations.";
        // Trust through contacts (issue 11, item 1).
        PoliceContactsPerResident => "police_contacts_per_resident", "contacts per resident per year", [0.0, INF], Neither, Other,
            "Residents' direct contacts with a police unit (community work, grid meetings with an officer, patrol stops, reporters and victims, cleared offenders, police mediations) in the window, per resident, annualised; second-hand experience not counted.";
        StopContactsPerResident => "stop_contacts_per_resident", "contacts per resident per year", [0.0, INF], Neither, Other,
            "Of police_contacts_per_resident, the stops and talks of officers on patrol (police-initiated contacts), per resident, annualised.";
        CollaborationTrust => "collaboration_trust", "index (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over grids and window days of collaboration trust among the governance partners.";
        Commitment => "commitment", "index (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over grids and window days of commitment to the collaborative process.";
        SharedUnderstanding => "shared_understanding", "index (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over grids and window days of shared understanding.";
        // The collaborative process in the agents (issue 11, item 3): the meetings and
        // who came.
        MeetingsPerGridMonth => "meetings_per_grid_month", "meetings per grid per 30 days", [0.0, 30.0], Neither, Cooperation,
            "Grid meetings held in the window, per grid per 30 days (a grid meets at most once a day).";
        MeetingBreadth => "meeting_breadth", "share", [0.0, 1.0], Higher, Cooperation,
            "Mean over the window's meetings of the share of the grid's partner groups (police, grid workers, NGOs, enterprises, residents: those the grid has) with at least one attendee (NA without a meeting).";
        PoliceAtMeetings => "police_at_meetings", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of the window's meetings attended by at least one officer (NA without a meeting).";
        JointResolutionShare => "joint_resolution_share", "share", [0.0, 1.0], Higher, Cooperation,
            "Cleared incidents and locally resolved disputes in which police and a community actor acted together, over all cleared incidents and locally resolved disputes.";
        NobodyActedShare => "nobody_acted_share", "share", [0.0, 1.0], Lower, Cooperation,
            "Calls on community actors (disputes, disorder clean-up), under clear or unclear liability, on which no actor acted, over all such calls in the window.";
        CallsWith1Present => "calls_with_1_present", "calls per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Calls on community actors under unclear liability (no named actor) at which 1 actor (agents of the grid with time left, the police post, volunteers, witnesses) was present, per 1,000 residents, annualised.";
        ActRate1Present => "act_rate_1_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Individual act rate at calls under unclear liability with 1 actor present: actors who acted over actors present, pooled over the window's calls (NA without such a call).";
        AnyoneActed1Present => "anyone_acted_1_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of calls under unclear liability with 1 actor present on which at least one actor acted (NA without such a call).";
        CallsWith2Present => "calls_with_2_present", "calls per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Calls on community actors under unclear liability (no named actor) at which 2 actors (agents of the grid with time left, the police post, volunteers, witnesses) were present, per 1,000 residents, annualised.";
        ActRate2Present => "act_rate_2_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Individual act rate at calls under unclear liability with 2 actors present: actors who acted over actors present, pooled over the window's calls (NA without such a call).";
        AnyoneActed2Present => "anyone_acted_2_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of calls under unclear liability with 2 actors present on which at least one actor acted (NA without such a call).";
        CallsWith3Present => "calls_with_3_present", "calls per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Calls on community actors under unclear liability (no named actor) at which 3 actors (agents of the grid with time left, the police post, volunteers, witnesses) were present, per 1,000 residents, annualised.";
        ActRate3Present => "act_rate_3_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Individual act rate at calls under unclear liability with 3 actors present: actors who acted over actors present, pooled over the window's calls (NA without such a call).";
        AnyoneActed3Present => "anyone_acted_3_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of calls under unclear liability with 3 actors present on which at least one actor acted (NA without such a call).";
        CallsWith4Present => "calls_with_4_present", "calls per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Calls on community actors under unclear liability (no named actor) at which 4 actors (agents of the grid with time left, the police post, volunteers, witnesses) were present, per 1,000 residents, annualised.";
        ActRate4Present => "act_rate_4_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Individual act rate at calls under unclear liability with 4 actors present: actors who acted over actors present, pooled over the window's calls (NA without such a call).";
        AnyoneActed4Present => "anyone_acted_4_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of calls under unclear liability with 4 actors present on which at least one actor acted (NA without such a call).";
        CallsWith5PlusPresent => "calls_with_5plus_present", "calls per 1,000 residents per year", [0.0, INF], Neither, Other,
            "Calls on community actors under unclear liability (no named actor) at which 5 or more actors (agents of the grid with time left, the police post, volunteers, witnesses) were present, per 1,000 residents, annualised.";
        ActRate5PlusPresent => "act_rate_5plus_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Individual act rate at calls under unclear liability with 5 or more actors present: actors who acted over actors present, pooled over the window's calls (NA without such a call).";
        AnyoneActed5PlusPresent => "anyone_acted_5plus_present", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of calls under unclear liability with 5 or more actors present on which at least one actor acted (NA without such a call).";
        FreeRiderShare => "free_rider_share", "share of residents", [0.0, 1.0], Lower, Cooperation,
            "Mean over window days of the share of residents who free-ride (take part in the benefits without contributing).";
        BurdenGini => "burden_gini", "Gini (0-1)", [0.0, 1.0], Lower, Cooperation,
            "Gini coefficient of public-safety work hours in the window across the six actor groups: police, auxiliaries, grid workers, NGOs, enterprise security, volunteers (0 even; 5/6 one group does everything; NA when nobody worked at all).";
        OfficerUtilisation => "officer_utilisation", "ratio", [0.0, INF], Neither, Cost,
            "Busy hours of officers and auxiliaries (travel to and handling of service calls, incidents, mediations and police clean-ups) over their available hours (on-duty hours outside administration and community work; an auxiliary's on-call share of its shift), in the window. It can exceed 1 only by overtime: a unit finishes a call after its shift ends.";
        OfficerHoursPer1000 => "officer_hours_per_1000", "hours per 1,000 residents per year", [0.0, INF], Lower, Cost,
            "On-duty officer hours, per 1,000 residents, annualised.";
        IncentivesPaid => "incentives_paid", "yuan per year", [0.0, INF], Lower, Cost,
            "Rewards, subsidies and funding paid to residents, enterprises and NGOs in the window, annualised, for the whole district.";
        HeldShare => "held_share", "share of residents", [0.0, 1.0], Neither, Other,
            "Mean over window days of the share of residents held after a cleared offence (incapacitated: they cannot offend).";
        UnattendedCallsPer1000 => "unattended_calls_per_1000", "per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "Calls on the police (incidents, service calls, mediations, clean-ups) closed unattended after waiting a day, per 1,000 residents, annualised; above 0 the response-time cap was hit and the run is flagged as a runaway.";
        OffendingCappedShare => "offending_capped_share", "share of grid-days", [0.0, 1.0], Neither, Other,
            "Grid-days of the window on which a grid's offending probability was held at its cap of 1; above 0 the run is flagged as a runaway.";
        // Participation with punishment (issue 11, item 2).
        PeerPunisherShare => "peer_punisher_share", "share of residents", [0.0, 1.0], Neither, Cooperation,
            "Mean over window days of the share of residents who contribute and fine the free riders they meet at a cost to themselves (peer punishers; counted in participation_rate too).";
        PoolPunisherShare => "pool_punisher_share", "share of residents", [0.0, 1.0], Neither, Cooperation,
            "Mean over window days of the share of residents who contribute and pay into their grid's punishment pool (pool punishers; counted in participation_rate too).";
        InspectionsPer1000 => "inspections_per_1000", "per 1,000 residents per year", [0.0, INF], Neither, Cost,
            "Inspections drawn in the window (of residents, paid by the grids' punishment pools, and of enterprises' security duty, by the authority), per 1,000 residents, annualised.";
        FinesPer1000 => "fines_per_1000", "per 1,000 residents per year", [0.0, INF], Neither, Cost,
            "Fines levied in the window (an inspected free rider, or under second-order punishment an inspected plain contributor, where liability was clear), per 1,000 residents, annualised.";
        FinesCollected => "fines_collected", "yuan per year", [0.0, INF], Neither, Cost,
            "Fines levied on residents and enterprises in the window, annualised, for the whole district (set against incentives_paid in the cost accounts).";
        PoolFeesPaid => "pool_fees_paid", "yuan per year", [0.0, INF], Neither, Cost,
            "Paid by pool punishers into the grids' punishment pools in the window, annualised, for the whole district; it pays for the residents' inspections.";
        InspectionHours => "inspection_hours", "hours per year", [0.0, INF], Lower, Cost,
            "Hours of every inspection in the window (participation.inspection_hours each), annualised, for the whole district.";
        InspectionCost => "inspection_cost", "yuan per year", [0.0, INF], Lower, Cost,
            "Cost of the authority's inspections of enterprises in the window (participation.inspection_cost each), annualised, for the whole district; the residents' inspections are paid from the punishment pools (pool_fees_paid).";
        CostPerResolvedIncident => "cost_per_resolved_incident", "yuan", [0.0, INF], Lower, Cost,
            "Public cost over cleared incidents plus locally resolved disputes, in the window: officer, auxiliary and grid-worker hours at their unit costs, plus incentives paid, plus the authority's inspections of enterprises (inspection_cost). Not included: fines collected (a transfer, not a saving) and the residents' own pool fees and contribution costs.";
        // The report's cost-effectiveness (issue 12): the cost side of the cost per
        // incident prevented.
        PublicCostPer1000 => "public_cost_per_1000", "yuan per 1,000 residents per year", [0.0, INF], Lower, Cost,
            "The public cost of cost_per_resolved_incident's numerator (officer, auxiliary and grid-worker hours at their unit costs, incentives paid, the authority's inspections of enterprises) in the window, per 1,000 residents, annualised; a comparison's report divides its paired change by the change in incidents_per_1000 for the cost per incident prevented.";
    }
}

/// The highest incident rate, per 1,000 residents a year, that cogov treats as
/// plausible for a residential district; a run above it is flagged as a runaway.
///
/// The highest rates recorded for whole districts are in city centres: Westminster,
/// the highest of England and Wales' districts with a real resident population,
/// records about 430 crimes and anti-social behaviour incidents per 1,000 residents
/// a year (police.uk and Office for National Statistics, year to mid-2025), a figure
/// inflated by the daily visitors its resident count leaves out; no large US city
/// records more than about 100 Part I offences per 1,000 residents a year (FBI,
/// Crime in the United States). The ceiling allows more than twice Westminster's rate:
/// above it every resident would meet an incident every year, which no recorded urban
/// district comes near.
pub const PLAUSIBLE_MAX_INCIDENTS_PER_1000: f64 = 1_000.0;

/// The bystander metrics by the number of actors present at a call under unclear
/// liability, one bin per entry (1, 2, 3, 4, then 5 or more): calls, the individual
/// act rate and the "anyone acted" rate. `accounts::PRESENT_BINS` counts into them.
pub const PRESENT_BIN_METRICS: [(Metric, Metric, Metric); 5] = [
    (
        Metric::CallsWith1Present,
        Metric::ActRate1Present,
        Metric::AnyoneActed1Present,
    ),
    (
        Metric::CallsWith2Present,
        Metric::ActRate2Present,
        Metric::AnyoneActed2Present,
    ),
    (
        Metric::CallsWith3Present,
        Metric::ActRate3Present,
        Metric::AnyoneActed3Present,
    ),
    (
        Metric::CallsWith4Present,
        Metric::ActRate4Present,
        Metric::AnyoneActed4Present,
    ),
    (
        Metric::CallsWith5PlusPresent,
        Metric::ActRate5PlusPresent,
        Metric::AnyoneActed5PlusPresent,
    ),
];

/// The metrics a comparison's table shows unless `--metric` says otherwise: the
/// study's public-order and cooperation headline figures and the cost, in order.
pub const HEADLINE: &[Metric] = &[
    Metric::IncidentsPer1000,
    Metric::VictimisationRate,
    Metric::ClearanceRate,
    Metric::MeanResponseTime,
    Metric::EscalationRate,
    Metric::DisputesResolvedLocallyShare,
    Metric::PerceivedSafety,
    Metric::ReportingRate,
    Metric::ParticipationRate,
    Metric::TrustInPolice,
    Metric::CollaborationTrust,
    Metric::JointResolutionShare,
    Metric::NobodyActedShare,
    Metric::CostPerResolvedIncident,
];

/// The few metrics a report or a workshop shows first, one per question a policy
/// designer asks: how much crime, how many victims, trust, participation, how fast
/// the police come, at what cost.
pub const KEY: &[Metric] = &[
    Metric::IncidentsPer1000,
    Metric::VictimisationRate,
    Metric::TrustInPolice,
    Metric::ParticipationRate,
    Metric::MeanResponseTime,
    Metric::CostPerResolvedIncident,
];

/// The series a report draws over time, baseline against reforms.
pub const HEADLINE_SERIES: &[Series] = &[
    Series::Incidents,
    Series::TrustInPolice,
    Series::ParticipationRate,
    Series::DisorderIndex,
    Series::ResponseTime,
    Series::CollaborationTrust,
];

metric_table! {
    pub static GRID_METRICS; pub enum GridMetric {
        IncidentsPer1000 => "incidents_per_1000", "incidents per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "The grid's offences plus escalated disputes in the measured window, per 1,000 of its residents, annualised (the district's incidents_per_1000, grid by grid).";
        DisorderIndex => "disorder_index", "index (0-1)", [0.0, 1.0], Lower, PublicOrder,
            "Mean over window days of the grid's visible-disorder index.";
        TrustInPolice => "trust_in_police", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over the grid's residents and window days of trust in police.";
        ParticipationRate => "participation_rate", "share of residents", [0.0, 1.0], Higher, Cooperation,
            "Mean over window days of the share of the grid's residents contributing to public-safety work.";
    }
}

// Each grid's values on one day of a trace (`crate::model::Trace`, for an animated
// map): GRID_METRICS' columns, day by day instead of over the window.
metric_table! {
    pub static TRACE_METRICS; pub enum TraceMetric {
        IncidentsPer1000 => "incidents_per_1000", "incidents per 1,000 residents per year", [0.0, INF], Lower, PublicOrder,
            "The grid's offences plus escalated disputes over the trailing 28 days up to this day (warm-up days included; over the days so far while a run has had fewer than 28), per 1,000 of its residents, annualised (x 365 / days).";
        DisorderIndex => "disorder_index", "index (0-1)", [0.0, 1.0], Lower, PublicOrder,
            "The grid's visible-disorder index at the end of this day.";
        TrustInPolice => "trust_in_police", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean over the grid's residents of trust in police at the end of this day.";
        ParticipationRate => "participation_rate", "share of residents", [0.0, 1.0], Higher, Cooperation,
            "Share of the grid's residents contributing to public-safety work at the end of this day.";
    }
}

/// The days over which a trace's `incidents_per_1000` counts a grid's incidents
/// ([`TRACE_METRICS`]).
pub const TRACE_INCIDENT_DAYS: usize = 28;

metric_table! {
    pub static SERIES; pub enum Series {
        Incidents => "incidents", "count", [0.0, INF], Lower, PublicOrder,
            "Incidents this day (offences plus escalated disputes).";
        Reported => "reported", "count", [0.0, INF], Neither, Cooperation,
            "Incidents reported to police this day.";
        Cleared => "cleared", "count", [0.0, INF], Neither, PublicOrder,
            "Incidents cleared this day.";
        DisputesNew => "disputes_new", "count", [0.0, INF], Neither, PublicOrder,
            "New disputes this day.";
        DisputesResolved => "disputes_resolved_locally", "count", [0.0, INF], Neither, PublicOrder,
            "Disputes settled by local mediation this day.";
        DisputesEscalated => "disputes_escalated", "count", [0.0, INF], Lower, PublicOrder,
            "Disputes that escalated into an incident this day.";
        MotivatedShare => "motivated_share", "share of residents", [0.0, 1.0], Lower, PublicOrder,
            "Residents whose grievance minus net risk exceeds the threshold (Epstein's active state), not counting those held.";
        HeldShare => "held_share", "share of residents", [0.0, 1.0], Neither, Other,
            "Residents held (custody, detention, prison) after a cleared offence, who cannot offend.";
        ArrestProbability => "perceived_arrest_probability", "probability", [0.0, 1.0], Neither, PublicOrder,
            "Resident-weighted mean of the grids' perceived arrest probability P.";
        TrustInPolice => "trust_in_police", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean trust in police.";
        TrustInCommunity => "trust_in_community", "trust (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean trust in community organisations.";
        CollaborationTrust => "collaboration_trust", "index (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean collaboration trust over grids.";
        JointCapacity => "joint_capacity", "index (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean capacity for joint action (commitment x shared understanding) over grids.";
        ParticipationRate => "participation_rate", "share of residents", [0.0, 1.0], Higher, Cooperation,
            "Share of residents contributing.";
        FreeRiderShare => "free_rider_share", "share of residents", [0.0, 1.0], Lower, Cooperation,
            "Share of residents free-riding.";
        EnterpriseContributionRate => "enterprise_contribution_rate", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of enterprises contributing (NA when there is none).";
        NgoEngagementRate => "ngo_engagement_rate", "share", [0.0, 1.0], Higher, Cooperation,
            "Share of NGOs engaged (NA when there is none).";
        Motivation => "actor_motivation", "level (0-1)", [0.0, 1.0], Higher, Cooperation,
            "Mean motivation of the responsibility actors that are agents: every grid worker, NGO, enterprise's security staff and police post (rights and responsibilities).";
        DisorderIndex => "disorder_index", "index (0-1)", [0.0, 1.0], Lower, PublicOrder,
            "Mean disorder index over grids.";
        // Officers as agents (issue 10, item 1): the day's responses and capacity.
        Responses => "responses", "count", [0.0, INF], Neither, Cost,
            "Reported incidents that got a response this day (a unit arrived, or the call was closed unattended after waiting a day); a call can wait past midnight, so this is not the day's reports.";
        UnitHoursAvailable => "unit_hours_available", "hours", [0.0, INF], Neither, Cost,
            "Hours officers and auxiliaries could be dispatched this day: on duty outside administration and community work.";
        ResponseTime => "mean_response_time", "minutes", [0.0, INF], Lower, PublicOrder,
            "Mean response time of the reported incidents that got a response this day (NA when none did).";
        // Participation with punishment (issue 11, item 2).
        PeerPunisherShare => "peer_punisher_share", "share of residents", [0.0, 1.0], Neither, Cooperation,
            "Share of residents who are peer punishers.";
        PoolPunisherShare => "pool_punisher_share", "share of residents", [0.0, 1.0], Neither, Cooperation,
            "Share of residents who are pool punishers.";
        Inspections => "inspections", "count", [0.0, INF], Neither, Cost,
            "Inspections this day (residents by the punishment pools, enterprises by the authority).";
        Fines => "fines", "count", [0.0, INF], Neither, Cost,
            "Fines levied this day.";
        OfficerUtilisation => "officer_utilisation", "ratio", [0.0, INF], Neither, Cost,
            "This day's busy hours of officers and auxiliaries (travel and handling of the calls dispatched today) over their available hours today (NA when no unit was available).";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_indices_match_table_rows() {
        assert_eq!(Metric::IncidentsPer1000.def().name, "incidents_per_1000");
        assert_eq!(
            Metric::PublicCostPer1000.def().name,
            METRICS.last().unwrap().name
        );
        assert_eq!(
            Series::OfficerUtilisation.def().name,
            SERIES.last().unwrap().name
        );
    }

    #[test]
    fn every_key_metric_and_headline_series_judges_a_direction() {
        // The report's headlines and colours need a better direction for them.
        for m in KEY {
            assert_ne!(
                m.def().better,
                crate::schema::metrics::Better::Neither,
                "{}",
                m.def().name
            );
        }
        for s in HEADLINE_SERIES {
            assert_ne!(
                s.def().better,
                crate::schema::metrics::Better::Neither,
                "{}",
                s.def().name
            );
        }
        // The grid metrics say what the district metrics of the same name say.
        for g in GRID_METRICS {
            let m = METRICS.iter().find(|m| m.name == g.name).unwrap();
            assert_eq!(
                (m.better, m.group, m.unit),
                (g.better, g.group, g.unit),
                "{}",
                g.name
            );
        }
    }

    #[test]
    fn the_trace_metrics_are_the_grid_metrics_day_by_day() {
        // Same columns, in the same order, saying the same thing (only the period
        // differs), so a map of either reads the same.
        assert_eq!(TRACE_METRICS.len(), GRID_METRICS.len());
        for (t, g) in TRACE_METRICS.iter().zip(GRID_METRICS) {
            assert_eq!(
                (t.name, t.unit, t.better, t.group),
                (g.name, g.unit, g.better, g.group),
                "{}",
                t.name
            );
            assert_eq!((t.min, t.max), (g.min, g.max), "{}", t.name);
        }
        assert_eq!(
            TraceMetric::ParticipationRate.def().name,
            TRACE_METRICS.last().unwrap().name
        );
    }

    #[test]
    fn names_are_unique_and_documented() {
        for table in [METRICS, SERIES, GRID_METRICS, TRACE_METRICS] {
            let mut names: Vec<_> = table.iter().map(|m| m.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.len());
            assert!(table.iter().all(|m| m.doc.len() > 10 && m.min < m.max));
        }
    }

    #[test]
    fn the_issue_s_required_columns_exist() {
        let required = [
            "incidents_per_1000",
            "victimisation_rate",
            "clearance_rate",
            "disputes_resolved_locally_share",
            "escalation_rate",
            "mean_response_time",
            "disorder_index",
            "perceived_safety",
            "incident_concentration",
            "reporting_rate",
            "participation_rate",
            "enterprise_contribution_rate",
            "ngo_engagement_rate",
            "trust_in_police",
            "collaboration_trust",
            "joint_resolution_share",
            "free_rider_share",
            "burden_gini",
            "officer_utilisation",
            "incentives_paid",
            "cost_per_resolved_incident",
        ];
        for name in required {
            assert!(METRICS.iter().any(|m| m.name == name), "{name} missing");
        }
    }
}
