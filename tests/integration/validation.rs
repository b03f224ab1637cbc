//! Fast versions of the validation results in `VALIDATION.md` (the full versions are
//! `cargo run --release --example validate`).
//!
//! Each test runs fixed seeds on small districts or short runs, and its tolerance is
//! derived from the number of calls or runs behind it (a binomial standard error, or
//! a 95% t interval over paired replications), so an innocent change of the random
//! stream should not break it while a broken rule will. Result 4 (Epstein 2002) has
//! no test here: its module, `model::civil_violence`, tests the paper's runs itself.

use std::path::Path;
use std::sync::OnceLock;

use cogov::experiment::Experiment;
use cogov::model::co_governance::metrics::{METRICS, Metric, PRESENT_BIN_METRICS, SERIES, Series};
use cogov::model::co_governance::rules::liability;
use cogov::model::{ModelParams, RunOutput};
use cogov::scenario::Scenario;
use cogov::schema::ParamValue;
use cogov::stats::Summary;

const SEED: u64 = 20_261_126;

fn scenario(relative: &str) -> ModelParams {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let params = Scenario::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .params;
    assert!(params.co_governance().is_some(), "a co-governance scenario");
    params
}

/// Sets each `(path, value)` of `settings` in `p`.
fn set(p: &mut ModelParams, settings: &[(&str, ParamValue)]) {
    for &(path, value) in settings {
        p.set(path, value)
            .unwrap_or_else(|e| panic!("{path} = {value}: {e}"));
    }
}

/// Replications `0..runs` of `p` on `run_seed(SEED, r)`, in run order, through the
/// library's runner.
fn runs(p: &ModelParams, runs: u64) -> Vec<RunOutput> {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    let pool = POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().build().unwrap());
    let experiment = Experiment::single("validation", p.clone(), runs, SEED);
    cogov::runner::replicate(&experiment, pool).unwrap_or_else(|e| panic!("{e}"))
}

fn metric(o: &RunOutput, m: Metric) -> f64 {
    o.metrics[m as usize]
}

/// The summary of `f(reform run, baseline run)` over pairs.
fn paired(
    x: &[RunOutput],
    base: &[RunOutput],
    f: impl Fn(&RunOutput, &RunOutput) -> f64,
) -> Summary {
    let values: Vec<f64> = x.iter().zip(base).map(|(a, b)| f(a, b)).collect();
    Summary::of(&values)
}

fn paired_metric(x: &[RunOutput], base: &[RunOutput], m: Metric) -> Summary {
    paired(x, base, |a, b| metric(a, m) - metric(b, m))
}

// --- Result 1: diffusion of responsibility --------------------------------------

/// A 3 x 3 district of the fixed-motivation scenario (every actor present faces
/// c/(b m) = 0.2/0.7 and never lapses; no resident is present), one measured year,
/// with `(grid workers, enterprises)` per grid.
fn fixed_motivation(clarity: f64, (workers, enterprises): (f64, f64)) -> ModelParams {
    let mut p = scenario("scenarios/validation/diffusion_fixed_motivation.toml");
    set(
        &mut p,
        &[
            ("district.width", ParamValue::Int(3)),
            ("district.height", ParamValue::Int(3)),
            ("run.warmup_ticks", ParamValue::Int(30)),
            ("run.ticks", ParamValue::Int(365)),
            ("liability.clarity", ParamValue::Real(clarity)),
            ("community.grid_workers_per_grid", ParamValue::Real(workers)),
            (
                "community.enterprises_per_grid",
                ParamValue::Real(enterprises),
            ),
        ],
    );
    p
}

/// A count in the window from a metric annualised per 1,000 residents.
fn count(p: &ModelParams, per_1000_year: f64) -> f64 {
    let residents = p.co_governance().expect("co-governance").residents() as f64;
    (per_1000_year * residents * p.ticks() as f64 / (1000.0 * 365.0)).round()
}

#[test]
fn with_fixed_motivation_each_actor_acts_as_the_volunteers_dilemma_predicts() {
    // Unclear liability, c/(b m) = 0.2/0.7 for everyone present: at calls with n
    // present each actor acts with p = 1 - (2/7)^(1/(n-1)) (1 alone) and someone acts
    // with 1 - (2/7)^(n/(n-1)). Pooled over 12 runs at each of five districts (no grid
    // worker and no enterprise, where the police post may be alone; then one grid
    // worker and 0 to 3 enterprises per grid),
    // each bin with at least 200 calls must lie within 4 binomial standard errors of
    // both; the individual rate must fall from each bin to the next by more than 2
    // standard errors of the difference.
    let ratio = liability::effective_ratio(0.2, 0.7);
    let mut pooled = [(0.0f64, 0.0f64, 0.0f64); 4]; // calls, acts, anyone
    for actors in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (1.0, 2.0), (1.0, 3.0)] {
        let p = fixed_motivation(0.0, actors);
        for o in runs(&p, 12) {
            for (b, &(calls, act, anyone)) in PRESENT_BIN_METRICS[..4].iter().enumerate() {
                let n = b as u32 + 1;
                let c = count(&p, metric(&o, calls));
                if c > 0.0 {
                    pooled[b].0 += c;
                    pooled[b].1 += (metric(&o, act) * c * f64::from(n)).round();
                    pooled[b].2 += (metric(&o, anyone) * c).round();
                }
            }
        }
    }
    let mut last: Option<(u32, f64, f64)> = None;
    for (b, &(calls, acts, anyone)) in pooled.iter().enumerate() {
        let n = b as u32 + 1;
        assert!(calls >= 200.0, "{n} present: only {calls} calls");
        let decisions = calls * f64::from(n);
        let p = liability::act_probability(ratio, n, 1.0);
        let q = 1.0 - (1.0 - p).powi(n as i32);
        let rate = acts / decisions;
        let se = (p * (1.0 - p) / decisions).sqrt();
        if se == 0.0 {
            assert_eq!(rate, p, "{n} present: a certain outcome must be exact");
        } else {
            assert!(
                (rate - p).abs() <= 4.0 * se,
                "{n} present: act rate {rate:.4}, closed form {p:.4}, SE {se:.4}"
            );
        }
        let share = anyone / calls;
        let se_q = (q * (1.0 - q) / calls).sqrt();
        assert!(
            (share - q).abs() <= 4.0 * se_q.max(1e-12),
            "{n} present: anyone acted {share:.4}, closed form {q:.4}, SE {se_q:.4}"
        );
        if let Some((m, prev, prev_se)) = last {
            let se_diff = (se * se + prev_se * prev_se).sqrt();
            assert!(
                prev - rate > 2.0 * se_diff,
                "{m} -> {n} present: {prev:.4} -> {rate:.4} (SE of the difference {se_diff:.4})"
            );
        }
        last = Some((n, rate, se));
    }
}

#[test]
fn under_clear_liability_the_actors_present_do_not_matter() {
    // The named actor decides alone: a motivated one (m = 0.7 > c/b = 0.2) always
    // acts; one stuck at m = 0.1 acts on b m / c = half the calls, with 0 or 8
    // enterprises' guards present alike. Every dispute gets exactly one call here, so
    // the calls are the public-order incidents plus the new disputes.
    for (motivation, expected) in [(0.7, 0.0), (0.1, 0.5)] {
        for enterprises in [0.0, 8.0] {
            let mut p = fixed_motivation(1.0, (1.0, enterprises));
            set(
                &mut p,
                &[("rights.initial_motivation", ParamValue::Real(motivation))],
            );
            let warmup = p.warmup_ticks() as usize;
            let (mut nobody, mut calls) = (0.0, 0.0);
            for o in runs(&p, 12) {
                let disputes: f64 = o
                    .series
                    .chunks_exact(SERIES.len())
                    .skip(warmup)
                    .map(|row| row[Series::DisputesNew as usize])
                    .sum();
                let c = count(&p, metric(&o, Metric::PublicOrderPer1000)) + disputes;
                nobody += (metric(&o, Metric::NobodyActedShare) * c).round();
                calls += c;
            }
            assert!(calls > 2_000.0, "too few calls to test: {calls}");
            let share = nobody / calls;
            let se = (expected * (1.0 - expected) / calls).sqrt();
            if se == 0.0 {
                assert_eq!(
                    share, expected,
                    "m = {motivation}, {enterprises} enterprises"
                );
            } else {
                assert!(
                    (share - expected).abs() <= 4.0 * se,
                    "m = {motivation}, {enterprises} enterprises: {share:.4}, expected {expected}, SE {se:.4}"
                );
            }
        }
    }
}

#[test]
fn with_motivation_free_to_move_each_actor_acts_less_when_more_are_present() {
    // The model as shipped (motivation learns from outcomes; residents witness), liability
    // unclear: the individual act rate at calls with 2 present is above that at 5 or
    // more, paired over 10 seeds.
    let mut p = scenario("scenarios/tongxiang_baseline.toml");
    set(
        &mut p,
        &[
            ("district.width", ParamValue::Int(3)),
            ("district.height", ParamValue::Int(3)),
            ("run.warmup_ticks", ParamValue::Int(100)),
            ("run.ticks", ParamValue::Int(365)),
            ("liability.clarity", ParamValue::Real(0.0)),
        ],
    );
    let out = runs(&p, 10);
    let d = paired(&out, &out, |a, _| {
        metric(a, Metric::ActRate2Present) - metric(a, Metric::ActRate5PlusPresent)
    });
    assert!(
        d.ci95_low > 0.0,
        "act rate at 2 present minus at 5 or more: {:.4} [{:.4}, {:.4}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}

// --- Result 3: concentration -------------------------------------------------------

#[test]
fn heterogeneous_grids_concentrate_incidents_in_the_top_5_percent() {
    // 10 x 10 grids of 50 households (the top 5% is 5 grids), 200 measured days, 10
    // paired seeds: replication r draws the same opportunity scores at both levels, so
    // the same grids are the hot ones. The full version (20 x 20 grids) finds 0.12 at
    // heterogeneity 0 and 0.22 at 0.8.
    let at = |sigma| {
        let mut p = scenario("scenarios/validation/concentration_lattice.toml");
        set(
            &mut p,
            &[
                ("district.width", ParamValue::Int(10)),
                ("district.height", ParamValue::Int(10)),
                ("run.warmup_ticks", ParamValue::Int(50)),
                ("run.ticks", ParamValue::Int(200)),
                (
                    "district.opportunity_heterogeneity",
                    ParamValue::Real(sigma),
                ),
            ],
        );
        runs(&p, 10)
    };
    let flat = at(0.0);
    let d = paired_metric(&at(0.8), &flat, Metric::IncidentTop5Share);
    assert!(
        d.ci95_low > 0.0,
        "top 5% share, heterogeneity 0.8 minus 0: {:.4} [{:.4}, {:.4}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}

// --- Result 2: the community-policing signature -------------------------------------

/// The mean over pairs of the per-day difference of a series.
fn mean_difference(x: &[RunOutput], base: &[RunOutput], s: Series) -> Vec<f64> {
    let days = x[0].series.len() / SERIES.len();
    let mut m = vec![0.0; days];
    for (a, b) in x.iter().zip(base) {
        for (t, v) in m.iter_mut().enumerate() {
            let k = t * SERIES.len() + s as usize;
            *v += a.series[k] - b.series[k];
        }
    }
    m.iter().map(|v| v / x.len() as f64).collect()
}

/// The first day (from 1) on which the 31-day centred moving average of `curve`
/// reaches half of its mean over the last 365 days.
fn half_time(curve: &[f64]) -> usize {
    let n = curve.len();
    let last = curve[n - 365..].iter().sum::<f64>() / 365.0;
    (0..n)
        .find(|&t| {
            let (lo, hi) = (t.saturating_sub(15), (t + 15).min(n - 1));
            let s = curve[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64;
            s / last >= 0.5
        })
        .map_or(usize::MAX, |t| t + 1)
}

#[test]
fn changing_the_managerial_concept_moves_perceptions_and_crime_as_the_full_version_records() {
    // 16 pairs of the shipped scenarios (two years, the first a warm-up; the reform acts
    // from day 1). VALIDATION.md result 2 has the full version (100 pairs).
    let base_p = scenario("scenarios/tongxiang_baseline.toml");
    let reform_p = scenario("scenarios/reform_change_concept.toml");
    let (base, x) = (runs(&base_p, 16), runs(&reform_p, 16));

    // Gill et al.: community policing raises satisfaction, legitimacy and trust.
    for m in [
        Metric::TrustInPolice,
        Metric::CollaborationTrust,
        Metric::PerceivedSafety,
    ] {
        let d = paired_metric(&x, &base, m);
        assert!(d.ci95_low > 0.0, "{}: {d:?}", METRICS[m as usize].name);
    }

    // Characterisation, pinned: unlike Gill et al.'s "limited effects on crime", the
    // model's reform cuts incidents by about a quarter (the full version: -24.5% in
    // year 2 on the merged model of issue 11; -32% before it),
    // through legitimacy in grievance, collective efficacy, volunteers and disorder.
    let d = paired_metric(&x, &base, Metric::IncidentsPer1000);
    assert!(d.ci95_high < 0.0, "incidents: {d:?}");

    // Characterisation, pinned: "more than crime" in relative terms fails for
    // perceived safety (+5.3% against -24.5%; per-pair gap -18.8% [-20.1%, -17.5%]
    // over 100 pairs, issue 11's merged model). The other two are not asserted here:
    // collaboration trust moves more (+58%; gap +34.5% [+32.9%, +36.1%]) and trust in
    // police less (+10.9%; gap -13.2% [-14.7%, -11.8%]); before issue 11 their gaps
    // were too small for 16 pairs to settle.
    let relative =
        |a: &RunOutput, b: &RunOutput, m: Metric| (metric(a, m) - metric(b, m)) / metric(b, m);
    let safety = paired(&x, &base, |a, b| {
        relative(a, b, Metric::PerceivedSafety) + relative(a, b, Metric::IncidentsPer1000)
    });
    assert!(safety.ci95_high < 0.0, "{safety:?}");

    // Characterisation, pinned: "sooner" holds for collaboration trust and fails for
    // trust in police. On the merged, calibrated model of issue 11 the full version
    // (100 pairs, year 2) gives collaboration trust 24 days [23, 26], incidents 208
    // [181, 235] and trust in police 243 [242, 244]; these 16 pairs give 24, 204 and
    // 241. Trust in police moves through contacts now (issue 11, item 1) but its
    // learning rate per contact keeps it last; incidents are the least precise (in
    // blocks of 16 pairs before issue 11 they ranged from 73 to 243 days).
    let incidents = half_time(&mean_difference(&x, &base, Series::Incidents));
    let collaboration = half_time(&mean_difference(&x, &base, Series::CollaborationTrust));
    let police = half_time(&mean_difference(&x, &base, Series::TrustInPolice));
    assert!(
        collaboration < incidents && incidents < police,
        "days to half: collaboration trust {collaboration}, incidents {incidents}, trust in police {police}"
    );
}

// --- Result 7: pool and peer punishment (Sigmund et al. 2010) ----------------------

#[test]
fn pool_punishment_needs_second_order_punishment_and_peer_punishers_win_without_it() {
    // The full version (examples/validate/punishment.rs) runs 20 populations of 10^7
    // updates per setting; here 8 of 10^6 (10,000 per individual), on the same rule
    // functions. Pool punishment alone: with second-order punishment most contribute
    // and more than without (paired over seeds, 95% intervals). In competition without
    // it, peer punishers outnumber pool punishers. (That pool punishers win with it
    // needs the full version's long runs: single populations stay with peer
    // punishers for long spells, so a few short runs do not decide it.)
    use cogov::model::co_governance::rules::public_goods::Strategy;
    use cogov::model::co_governance::sigmund::{Setting, Shares, run};
    let base = Setting::sigmund_2010();
    let seeds = 0..8u64;
    let (updates, burn_in) = (1_000_000, 200_000);
    let shares = |s: Setting| -> Vec<Shares> {
        seeds
            .clone()
            .map(|k| run(&s, updates, burn_in, k))
            .collect()
    };
    let pool = shares(Setting {
        peer: false,
        ..base
    });
    let pool_so = shares(Setting {
        peer: false,
        second_order: true,
        ..base
    });
    let sustained = Summary::of(&pool_so.iter().map(Shares::contributing).collect::<Vec<_>>());
    assert!(
        sustained.ci95_low > 0.9,
        "pool with second order {sustained:?}"
    );
    let gain = Summary::of(
        &pool_so
            .iter()
            .zip(&pool)
            .map(|(a, b)| a.contributing() - b.contributing())
            .collect::<Vec<_>>(),
    );
    assert!(gain.ci95_low > 0.0, "second-order punishment gain {gain:?}");
    let both = shares(base);
    let d = Summary::of(
        &both
            .iter()
            .map(|x| x.of(Strategy::PeerPunish) - x.of(Strategy::PoolPunish))
            .collect::<Vec<_>>(),
    );
    assert!(d.ci95_low > 0.0, "without second order, V - W {d:?}");
}
