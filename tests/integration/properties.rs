//! Properties of `cogov::model::simulate` that hold for any valid parameters, checked
//! on small random districts (proptest) and on the defaults.
//!
//! Each property is one `check_*` function from parameters and output to the list of
//! what it found wrong, so the random cases and the fixed examples share it. The
//! properties: every value is NaN (undefined) or finite and inside its documented range;
//! NaN appears only for the reason its definition gives, checked from outside the model;
//! a run is a function of (parameters, seed), bit for bit; the series has one row per
//! day and one column per series; participants and free riders never add up to more
//! than the population.
//!
//! Cases are small (at most 4 x 4 grids of 200 households, 50 days) so the tests stay
//! quick without an optimised test profile.

use cogov::model::RunOutput;
use cogov::model::co_governance::metrics::{METRICS, SERIES, Series};
use cogov::model::co_governance::params::Params;
use cogov::model::co_governance::simulate;
use cogov::scenario::Scenario;
use cogov::schema::metrics::MetricDef;
use cogov::schema::{ParamDef, ParamType, ParamValue};
use proptest::prelude::*;

/// Model parameters drawn anywhere in their documented range, ends included (0 officers,
/// NGOs, enterprises and grid workers among them).
const SWEPT: &[&str] = &[
    "liability.clarity",
    "community.witnesses_per_1000",
    "community.security_call_hours",
    "rights.authority_match",
    "police.officers_per_10k",
    "police.community_role_share",
    "police.admin_burden_share",
    "logistics.level",
    "it.level",
    "channels.count",
    "incentives.contribution_reward",
    "incentives.enterprise_subsidy",
    "incentives.enterprise_fine",
    "incentives.ngo_funding",
    "incentives.report_reward",
    "residents.cooperation_awareness",
    "residents.hardship_scale",
    "district.opportunity_heterogeneity",
    "contagion.near_repeat_boost",
    "contagion.near_repeat_decay",
    "contagion.near_repeat_spread",
    "contagion.disorder_gain",
    "contagion.disorder_decay",
    "contagion.cleanup_hours",
    "contagion.disorder_effect",
    "contagion.efficacy_effect",
    "disputes.rate_per_1000",
    "collaboration.meetings_per_month",
    "community.ngos_per_grid",
    "community.enterprises_per_grid",
    "community.grid_workers_per_grid",
];

/// Size parameters drawn from small ranges rather than their documented ones.
const SIZES: &[(&str, i64, i64)] = &[
    ("district.width", 3, 4),
    ("district.height", 3, 4),
    ("district.households_per_grid", 20, 200),
    ("run.ticks", 5, 40),
    ("run.warmup_ticks", 0, 10),
];

/// The rule `Params::validate` enforces on the officers' time: community work plus
/// administration leave at least 5% for response.
const MAX_ROLE_PLUS_ADMIN: f64 = 0.95;

/// Rounding slack allowed at the ends of a documented range.
const SLACK: f64 = 1e-9;

/// One random case: parameter values set over the defaults, and the seed.
#[derive(Debug, Clone)]
struct Case {
    values: Vec<(&'static str, ParamValue)>,
    seed: u64,
}

impl Case {
    fn params(&self) -> Params {
        let mut p = Params::default();
        for &(path, value) in &self.values {
            p.set(path, value)
                .unwrap_or_else(|e| panic!("the strategy drew a bad {path}: {e}"));
        }
        p
    }
}

/// A value of `def` in its documented range, with each end drawn as often as the
/// interior, since ends (zero officers, no NGO) are where undefined ratios live.
fn in_range(def: &'static ParamDef) -> BoxedStrategy<ParamValue> {
    match def.ty {
        ParamType::Real => prop_oneof![
            1 => Just(def.min),
            1 => Just(def.max),
            2 => def.min..=def.max,
        ]
        .prop_map(ParamValue::Real)
        .boxed(),
        ParamType::Int => int_in(def.min as i64, def.max as i64),
        ParamType::Bool => any::<bool>().prop_map(ParamValue::Bool).boxed(),
        ParamType::Choice(options) => proptest::sample::select(options)
            .prop_map(ParamValue::Choice)
            .boxed(),
    }
}

fn int_in(min: i64, max: i64) -> BoxedStrategy<ParamValue> {
    prop_oneof![Just(min), Just(max), min..=max]
        .prop_map(ParamValue::Int)
        .boxed()
}

/// Lowers `police.community_role_share` so that it and `police.admin_burden_share`
/// leave officers time for response, as `Params::validate` requires.
fn leave_response_time(
    mut values: Vec<(&'static str, ParamValue)>,
) -> Vec<(&'static str, ParamValue)> {
    let real = |values: &[(&str, ParamValue)], path: &str| {
        values.iter().find_map(|&(p, v)| match v {
            ParamValue::Real(x) if p == path => Some(x),
            _ => None,
        })
    };
    let admin = real(&values, "police.admin_burden_share").unwrap_or(0.0);
    for (path, value) in &mut values {
        if let (&mut "police.community_role_share", ParamValue::Real(role)) = (path, *value) {
            *value = ParamValue::Real(role.min(MAX_ROLE_PLUS_ADMIN - admin));
        }
    }
    values
}

fn small_case() -> impl Strategy<Value = Case> {
    let mut values: Vec<BoxedStrategy<(&'static str, ParamValue)>> = SWEPT
        .iter()
        .map(|&path| {
            let def = cogov::model::Model::CoGovernance
                .find_def(path)
                .unwrap_or_else(|| panic!("unknown parameter {path}"));
            in_range(def).prop_map(move |v| (path, v)).boxed()
        })
        .collect();
    values.extend(
        SIZES
            .iter()
            .map(|&(path, min, max)| int_in(min, max).prop_map(move |v| (path, v)).boxed()),
    );
    (values.prop_map(leave_response_time), any::<u64>())
        .prop_map(|(values, seed)| Case { values, seed })
}

/// Why a column may be undefined (NaN), from its definition in `metrics.rs`. Each
/// reason is checked from outside the model: from the parameters and the run's
/// other outputs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Undefined {
    /// Its denominator is residents or window days, which are never zero.
    Never,
    /// No incident in the window.
    NoIncident,
    /// No incident known to police: none cleared, and none reported or no police.
    NothingKnown,
    /// No dispute closed in the window: none settled locally and none escalated (lapses
    /// are not visible from outside).
    NoDisputeClosed,
    /// No reported incident got a response on any day of the window.
    NoResponse,
    /// No cleared incident and no dispute settled locally in the window.
    NothingResolved,
    /// No call on community actors: no public-order incident and no dispute settled
    /// locally in the window.
    NoCommunityCall,
    /// No call under unclear liability with that many actors present: the named
    /// `calls_with_*_present` column is 0.
    NoCallPresent(&'static str),
    /// No public-safety work hours at all, which needs at least no auxiliary on duty
    /// and no officer in community work.
    NoWork,
    /// No enterprise in the district.
    NoEnterprise,
    /// No NGO in the district.
    NoNgo,
    /// No unit could be dispatched at any time of the window (`unit_hours_available`
    /// is zero every day).
    NoCapacity,
    /// No grid meeting in the window (`meetings_per_grid_month` is 0).
    NoMeeting,
    /// Series only: no reported incident got a response that day (`responses` is 0).
    NoResponseToday,
    /// Series only: no unit could be dispatched that day (`unit_hours_available` is 0).
    NoCapacityToday,
}

/// Every end-of-run metric and the reason it may be undefined.
const METRIC_REASONS: &[(&str, Undefined)] = &[
    ("incidents_per_1000", Undefined::Never),
    ("property_offences_per_1000", Undefined::Never),
    ("violent_offences_per_1000", Undefined::Never),
    ("public_order_incidents_per_1000", Undefined::Never),
    ("victimisation_rate", Undefined::Never),
    ("clearance_rate", Undefined::NothingKnown),
    (
        "disputes_resolved_locally_share",
        Undefined::NoDisputeClosed,
    ),
    ("escalation_rate", Undefined::NoDisputeClosed),
    ("mean_response_time", Undefined::NoResponse),
    ("median_response_time", Undefined::NoResponse),
    ("p90_response_time", Undefined::NoResponse),
    ("disorder_index", Undefined::Never),
    ("held_share", Undefined::Never),
    ("unattended_calls_per_1000", Undefined::Never),
    ("offending_capped_share", Undefined::Never),
    ("perceived_safety", Undefined::Never),
    ("incident_concentration", Undefined::NoIncident),
    ("incident_top5_share", Undefined::NoIncident),
    ("incident_rate_grid_sd", Undefined::Never),
    ("reporting_rate", Undefined::NoIncident),
    ("participation_rate", Undefined::Never),
    ("enterprise_contribution_rate", Undefined::NoEnterprise),
    ("ngo_engagement_rate", Undefined::NoNgo),
    ("trust_in_police", Undefined::Never),
    ("trust_in_police_sd", Undefined::Never),
    ("satisfied_with_police_share", Undefined::Never),
    ("trust_in_community", Undefined::Never),
    // Trust through contacts (issue 11, item 1).
    ("police_contacts_per_resident", Undefined::Never),
    ("stop_contacts_per_resident", Undefined::Never),
    ("collaboration_trust", Undefined::Never),
    ("commitment", Undefined::Never),
    ("shared_understanding", Undefined::Never),
    ("meetings_per_grid_month", Undefined::Never),
    ("meeting_breadth", Undefined::NoMeeting),
    ("police_at_meetings", Undefined::NoMeeting),
    ("joint_resolution_share", Undefined::NothingResolved),
    ("nobody_acted_share", Undefined::NoCommunityCall),
    ("calls_with_1_present", Undefined::Never),
    (
        "act_rate_1_present",
        Undefined::NoCallPresent("calls_with_1_present"),
    ),
    (
        "anyone_acted_1_present",
        Undefined::NoCallPresent("calls_with_1_present"),
    ),
    ("calls_with_2_present", Undefined::Never),
    (
        "act_rate_2_present",
        Undefined::NoCallPresent("calls_with_2_present"),
    ),
    (
        "anyone_acted_2_present",
        Undefined::NoCallPresent("calls_with_2_present"),
    ),
    ("calls_with_3_present", Undefined::Never),
    (
        "act_rate_3_present",
        Undefined::NoCallPresent("calls_with_3_present"),
    ),
    (
        "anyone_acted_3_present",
        Undefined::NoCallPresent("calls_with_3_present"),
    ),
    ("calls_with_4_present", Undefined::Never),
    (
        "act_rate_4_present",
        Undefined::NoCallPresent("calls_with_4_present"),
    ),
    (
        "anyone_acted_4_present",
        Undefined::NoCallPresent("calls_with_4_present"),
    ),
    ("calls_with_5plus_present", Undefined::Never),
    (
        "act_rate_5plus_present",
        Undefined::NoCallPresent("calls_with_5plus_present"),
    ),
    (
        "anyone_acted_5plus_present",
        Undefined::NoCallPresent("calls_with_5plus_present"),
    ),
    ("free_rider_share", Undefined::Never),
    ("burden_gini", Undefined::NoWork),
    ("officer_utilisation", Undefined::NoCapacity),
    ("officer_hours_per_1000", Undefined::Never),
    ("incentives_paid", Undefined::Never),
    // Participation with punishment (issue 11, item 2).
    ("peer_punisher_share", Undefined::Never),
    ("pool_punisher_share", Undefined::Never),
    ("inspections_per_1000", Undefined::Never),
    ("fines_per_1000", Undefined::Never),
    ("fines_collected", Undefined::Never),
    ("pool_fees_paid", Undefined::Never),
    ("inspection_hours", Undefined::Never),
    ("inspection_cost", Undefined::Never),
    ("cost_per_resolved_incident", Undefined::NothingResolved),
    ("public_cost_per_1000", Undefined::Never),
];

/// Every series column and the reason it may be undefined on a day.
const SERIES_REASONS: &[(&str, Undefined)] = &[
    ("incidents", Undefined::Never),
    ("reported", Undefined::Never),
    ("cleared", Undefined::Never),
    ("disputes_new", Undefined::Never),
    ("disputes_resolved_locally", Undefined::Never),
    ("disputes_escalated", Undefined::Never),
    ("motivated_share", Undefined::Never),
    ("held_share", Undefined::Never),
    ("perceived_arrest_probability", Undefined::Never),
    ("trust_in_police", Undefined::Never),
    ("trust_in_community", Undefined::Never),
    ("collaboration_trust", Undefined::Never),
    ("joint_capacity", Undefined::Never),
    ("participation_rate", Undefined::Never),
    ("free_rider_share", Undefined::Never),
    ("enterprise_contribution_rate", Undefined::NoEnterprise),
    ("ngo_engagement_rate", Undefined::NoNgo),
    ("actor_motivation", Undefined::Never),
    ("disorder_index", Undefined::Never),
    ("responses", Undefined::Never),
    ("unit_hours_available", Undefined::Never),
    ("mean_response_time", Undefined::NoResponseToday),
    // Participation with punishment (issue 11, item 2).
    ("peer_punisher_share", Undefined::Never),
    ("pool_punisher_share", Undefined::Never),
    ("inspections", Undefined::Never),
    ("fines", Undefined::Never),
    ("officer_utilisation", Undefined::NoCapacityToday),
];

fn reason(table: &[(&str, Undefined)], def: &MetricDef) -> Undefined {
    table
        .iter()
        .find(|(name, _)| *name == def.name)
        .map(|&(_, reason)| reason)
        .unwrap_or_else(|| panic!("say in properties.rs when `{}` may be NaN", def.name))
}

/// The rows of the series, each `SERIES.len()` long.
fn rows(out: &RunOutput) -> std::slice::Chunks<'_, f64> {
    out.series.chunks(SERIES.len())
}

/// The rows of the measured window, after the warm-up.
fn window<'a>(p: &Params, out: &'a RunOutput) -> impl Iterator<Item = &'a [f64]> {
    rows(out).skip(p.run.warmup_ticks as usize)
}

/// The sum of a count column over the measured window.
fn window_sum(p: &Params, out: &RunOutput, column: Series) -> f64 {
    window(p, out).map(|row| row[column as usize]).sum()
}

fn no_police(p: &Params) -> bool {
    p.police.officers_per_10k == 0.0 || p.police.hours_per_officer_day == 0.0
}

/// Fewer than one organisation expected in the whole district.
fn none_expected(per_grid: f64, p: &Params) -> bool {
    per_grid * (p.grid_count() as f64) < 1.0
}

/// Whether `reason` holds for this run (`row` is the series row, for daily reasons).
fn holds(reason: Undefined, p: &Params, out: &RunOutput, row: Option<&[f64]>) -> bool {
    let sum = |column| window_sum(p, out, column);
    match reason {
        Undefined::Never => false,
        Undefined::NoIncident => sum(Series::Incidents) == 0.0,
        Undefined::NothingKnown => {
            sum(Series::Cleared) == 0.0 && (sum(Series::Reported) == 0.0 || no_police(p))
        }
        Undefined::NoDisputeClosed => {
            sum(Series::DisputesResolved) == 0.0 && sum(Series::DisputesEscalated) == 0.0
        }
        Undefined::NoResponse => {
            window(p, out).all(|row| row[Series::ResponseTime as usize].is_nan())
        }
        Undefined::NothingResolved => {
            sum(Series::Cleared) == 0.0 && sum(Series::DisputesResolved) == 0.0
        }
        Undefined::NoCommunityCall => {
            let public_order = out.metrics[metric_index("public_order_incidents_per_1000")];
            public_order == 0.0 && sum(Series::DisputesResolved) == 0.0
        }
        Undefined::NoCallPresent(calls) => out.metrics[metric_index(calls)] == 0.0,
        Undefined::NoWork => {
            let police = &p.police;
            let standing = police.auxiliaries_per_officer + police.community_role_share;
            police.officers_per_10k * police.hours_per_officer_day * standing == 0.0
        }
        Undefined::NoEnterprise => none_expected(p.community.enterprises_per_grid, p),
        Undefined::NoNgo => none_expected(p.community.ngos_per_grid, p),
        Undefined::NoCapacity => sum(Series::UnitHoursAvailable) == 0.0,
        Undefined::NoMeeting => out.metrics[metric_index("meetings_per_grid_month")] == 0.0,
        Undefined::NoResponseToday => {
            let row = row.expect("a daily reason needs its row");
            row[Series::Responses as usize] == 0.0
        }
        Undefined::NoCapacityToday => {
            let row = row.expect("a daily reason needs its row");
            row[Series::UnitHoursAvailable as usize] == 0.0
        }
    }
}

fn metric_index(name: &str) -> usize {
    METRICS
        .iter()
        .position(|m| m.name == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

/// NaN, or finite and inside `def`'s range.
fn in_documented_range(def: &MetricDef, x: f64) -> bool {
    x.is_nan() || (x.is_finite() && x >= def.min - SLACK && x <= def.max + SLACK)
}

/// What one property found wrong with a run; empty when it holds.
type Problems = Vec<String>;

/// A property of one run of the given parameters.
type Check = fn(&Params, &RunOutput) -> Problems;

fn check_metric_ranges(_: &Params, out: &RunOutput) -> Problems {
    METRICS
        .iter()
        .zip(&out.metrics)
        .filter(|&(def, &x)| !in_documented_range(def, x))
        .map(|(def, x)| {
            format!(
                "metric {} = {x}, outside {}..={}",
                def.name, def.min, def.max
            )
        })
        .collect()
}

fn check_series_ranges(_: &Params, out: &RunOutput) -> Problems {
    let mut problems = Problems::new();
    for (tick, row) in rows(out).enumerate() {
        for (def, &x) in SERIES.iter().zip(row) {
            if !in_documented_range(def, x) {
                problems.push(format!(
                    "series {} = {x} at row {tick}, outside {}..={}",
                    def.name, def.min, def.max
                ));
            }
        }
    }
    problems
}

fn check_metric_nan_reasons(p: &Params, out: &RunOutput) -> Problems {
    METRICS
        .iter()
        .zip(&out.metrics)
        .filter(|&(def, x)| x.is_nan() && !holds(reason(METRIC_REASONS, def), p, out, None))
        .map(|(def, _)| {
            let why = reason(METRIC_REASONS, def);
            format!("metric {} is NaN, but not because of {why:?}", def.name)
        })
        .collect()
}

fn check_series_nan_reasons(p: &Params, out: &RunOutput) -> Problems {
    let mut problems = Problems::new();
    for (tick, row) in rows(out).enumerate() {
        for (def, x) in SERIES.iter().zip(row) {
            let why = reason(SERIES_REASONS, def);
            if x.is_nan() && !holds(why, p, out, Some(row)) {
                problems.push(format!(
                    "series {} is NaN at row {tick}, but not because of {why:?}",
                    def.name
                ));
            }
        }
    }
    problems
}

fn check_series_shape(p: &Params, out: &RunOutput) -> Problems {
    let expected_rows = p.run.warmup_ticks as usize + p.run.ticks as usize;
    let mut problems = Problems::new();
    if out.series.len() != expected_rows * SERIES.len() {
        problems.push(format!(
            "series holds {} values, expected {expected_rows} rows x {} columns",
            out.series.len(),
            SERIES.len()
        ));
    }
    if out.metrics.len() != METRICS.len() {
        problems.push(format!(
            "{} metrics, expected {}",
            out.metrics.len(),
            METRICS.len()
        ));
    }
    problems
}

fn check_population_is_conserved(_: &Params, out: &RunOutput) -> Problems {
    let too_many = |participation: f64, free_riders: f64| {
        // NaN fails this too: neither share is ever undefined.
        let total = participation + free_riders;
        total.is_nan() || total > 1.0 + SLACK
    };
    let mut problems = Problems::new();
    for (tick, row) in rows(out).enumerate() {
        let participation = row[Series::ParticipationRate as usize];
        let free_riders = row[Series::FreeRiderShare as usize];
        if too_many(participation, free_riders) {
            problems.push(format!(
                "row {tick}: participation_rate {participation} + free_rider_share {free_riders} > 1"
            ));
        }
    }
    let participation = out.metrics[metric_index("participation_rate")];
    let free_riders = out.metrics[metric_index("free_rider_share")];
    if too_many(participation, free_riders) {
        problems.push(format!(
            "metrics: participation_rate {participation} + free_rider_share {free_riders} > 1"
        ));
    }
    problems
}

/// Every property that needs only one run.
const CHECKS: &[(&str, Check)] = &[
    ("metric ranges", check_metric_ranges),
    ("series ranges", check_series_ranges),
    ("metric NaN reasons", check_metric_nan_reasons),
    ("series NaN reasons", check_series_nan_reasons),
    ("series shape", check_series_shape),
    ("population conserved", check_population_is_conserved),
];

/// Runs `check` on a simulated case and fails the proptest case with what it found.
fn property(case: &Case, check: Check) -> Result<(), TestCaseError> {
    let p = case.params();
    prop_assume!(p.validate().is_empty(), "rejected by Params::validate");
    let problems = check(&p, &simulate(&p, case.seed));
    prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|x| x.to_bits()).collect()
}

proptest! {
    // A fixed seed: CI explores the same cases every time, so a failure reproduces.
    #![proptest_config(ProptestConfig {
        cases: 24,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_126),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn metrics_are_undefined_or_inside_their_range(case in small_case()) {
        property(&case, check_metric_ranges)?;
    }

    #[test]
    fn series_are_undefined_or_inside_their_range(case in small_case()) {
        property(&case, check_series_ranges)?;
    }

    #[test]
    fn metrics_are_undefined_only_for_their_documented_reason(case in small_case()) {
        property(&case, check_metric_nan_reasons)?;
    }

    #[test]
    fn series_are_undefined_only_for_their_documented_reason(case in small_case()) {
        property(&case, check_series_nan_reasons)?;
    }

    #[test]
    fn series_has_a_row_per_day_and_a_column_per_series(case in small_case()) {
        property(&case, check_series_shape)?;
    }

    #[test]
    fn participants_and_free_riders_never_exceed_the_population(case in small_case()) {
        property(&case, check_population_is_conserved)?;
    }

    #[test]
    fn a_run_is_a_function_of_params_and_seed(case in small_case()) {
        let p = case.params();
        prop_assume!(p.validate().is_empty(), "rejected by Params::validate");
        let first = simulate(&p, case.seed);
        let second = simulate(&p, case.seed);
        prop_assert_eq!(bits(&first.metrics), bits(&second.metrics));
        prop_assert_eq!(bits(&first.series), bits(&second.series));
    }
}

/// Every property of [`CHECKS`] on one run of `p`; panics with all that failed.
fn assert_all_properties(p: &Params, seed: u64) -> RunOutput {
    let out = simulate(p, seed);
    let problems: Vec<String> = CHECKS
        .iter()
        .flat_map(|(name, check)| {
            check(p, &out)
                .into_iter()
                .map(move |m| format!("{name}: {m}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    out
}

#[test]
fn every_metric_and_series_column_has_a_stated_nan_reason() {
    for def in METRICS {
        reason(METRIC_REASONS, def);
    }
    for def in SERIES {
        reason(SERIES_REASONS, def);
    }
    assert_eq!(
        METRIC_REASONS.len(),
        METRICS.len(),
        "a reason names no metric"
    );
    assert_eq!(
        SERIES_REASONS.len(),
        SERIES.len(),
        "a reason names no series"
    );
}

#[test]
fn defaults_at_a_small_district_satisfy_every_property() {
    let mut p = Params::default();
    p.district.width = 3;
    p.district.height = 3;
    p.run.ticks = 60;
    p.run.warmup_ticks = 10;
    assert_all_properties(&p, 1);
}

#[test]
fn defaults_at_a_normal_district_define_every_metric_but_lone_actors() {
    let p = Scenario::builtin().params.co_governance().unwrap().clone();
    assert_eq!(
        (p.district.width, p.district.height, p.run.ticks),
        (6, 6, 365)
    );
    let out = assert_all_properties(&p, p.run.seed);
    let undefined: Vec<&str> = METRICS
        .iter()
        .zip(&out.metrics)
        .filter(|(_, x)| x.is_nan())
        .map(|(def, _)| def.name)
        .collect();
    // Every grid has a grid worker and a police post, and with enterprises' guards,
    // witnesses and volunteers most calls have 5 or more actors present: calls with
    // 1 present never happen and calls with 2 rarely. The only undefined metrics are
    // the rates of a number present that no call had, and never those of 5 or more.
    let value = |name: &str| out.metrics[METRICS.iter().position(|m| m.name == name).unwrap()];
    assert_eq!(value("calls_with_1_present"), 0.0);
    assert!(value("calls_with_5plus_present") > 0.0);
    for name in &undefined {
        let bin = name
            .strip_prefix("act_rate_")
            .or_else(|| name.strip_prefix("anyone_acted_"))
            .unwrap_or_else(|| panic!("undefined with defaults: {name}"));
        assert_eq!(value(&format!("calls_with_{bin}")), 0.0, "{name}");
    }
    assert!(undefined.contains(&"act_rate_1_present"));
}
