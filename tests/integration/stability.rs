//! The co-governance model stays plausible over its whole documented parameter space.
//!
//! The test reads every free parameter's `plausible` range from `cogov params --format
//! json`, the same output a user sweeps from, runs a Latin hypercube over all of them
//! at once through `cogov sweep`, and checks that no run's incident rate is above the
//! highest rate real districts record (`PLAUSIBLE_MAX_INCIDENTS_PER_1000`, sourced in
//! `metrics.rs`), and that nothing is flagged as a runaway.

use std::fmt::Write as _;

use cogov::model::co_governance::metrics::PLAUSIBLE_MAX_INCIDENTS_PER_1000;

use crate::util::{cogov, read, repo_path, write};

/// Points of the hypercube. Independent ranges can break a rule that ties parameters
/// together (`residents.property_share` + `residents.violent_share` at most 1, say),
/// and the model refuses such a point; about 5% of points do, so 120 points leave
/// more than 100 runs.
const POINTS: usize = 120;
/// Runs that must complete.
const MIN_RUNS: usize = 100;

/// The sweep file: every parameter with a `plausible` range, swept over it.
fn sweep_over_every_plausible_range(params_json: &str) -> (String, usize) {
    let params: Vec<serde_json::Value> = serde_json::from_str(params_json).unwrap();
    let mut text = format!(
        "name = \"every_plausible_range\"\nscenario = {:?}\ndesign = \"lhs\"\nsamples = {POINTS}\nreplications = 1\ndesign_seed = 7\n\n[parameters]\n",
        repo_path("scenarios/tongxiang_baseline.toml")
    );
    let mut swept = 0;
    for p in &params {
        let Some(range) = p["plausible"].as_array() else {
            continue;
        };
        let (low, high) = (range[0].as_f64().unwrap(), range[1].as_f64().unwrap());
        let name = p["name"].as_str().unwrap();
        writeln!(text, "{name:?} = {{ min = {low}, max = {high} }}").unwrap();
        swept += 1;
    }
    (text, swept)
}

#[test]
fn no_run_across_every_plausible_range_is_implausible() {
    let dir = tempfile::tempdir().unwrap();
    let json = cogov(dir.path())
        .args(["params", "--format", "json"])
        .output()
        .unwrap();
    assert!(json.status.success());
    let (sweep, swept) = sweep_over_every_plausible_range(&String::from_utf8(json.stdout).unwrap());
    assert!(
        swept > 100,
        "only {swept} parameters have a plausible range"
    );
    let path = write(dir.path(), "every.toml", &sweep);
    // Runs refused for a cross-parameter rule make the exit code 1; the rest must
    // complete.
    let out = cogov(dir.path())
        .args(["sweep", "-q", "--out", "every"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("runaway"),
        "runs flagged as runaways:\n{stderr}"
    );

    let failures = read(&dir.path().join("every/failures.csv"));
    for row in failures.lines().skip(1) {
        assert!(
            row.contains("invalid combination:"),
            "a run failed for another reason: {row}"
        );
    }
    let runs = read(&dir.path().join("every/runs.csv"));
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|&c| c == "incidents_per_1000")
        .unwrap();
    let rates: Vec<f64> = lines
        .map(|row| row.split(',').nth(column).unwrap().parse().unwrap())
        .collect();
    assert!(
        rates.len() >= MIN_RUNS,
        "only {} runs completed",
        rates.len()
    );
    let worst = rates.iter().copied().fold(0.0, f64::max);
    assert!(
        worst <= PLAUSIBLE_MAX_INCIDENTS_PER_1000,
        "a run reached {worst:.0} incidents per 1,000 residents a year"
    );
    assert!(!dir.path().join("every/runaways.csv").exists());
}

/// The mean of `metric` over `runs` runs of the baseline on a `side` x `side`
/// district, by the metric's name.
fn mean_over_runs(side: u32, runs: u64, metrics: &[&str]) -> Vec<f64> {
    use cogov::model::co_governance::metrics::METRICS;
    use rayon::prelude::*;
    let mut p = cogov::model::co_governance::params::Params::default();
    p.district.width = side;
    p.district.height = side;
    let outputs: Vec<Vec<f64>> = (0..runs)
        .into_par_iter()
        .map(|seed| cogov::model::co_governance::simulate(&p, 1_000 + seed).metrics)
        .collect();
    metrics
        .iter()
        .map(|name| {
            let m = METRICS.iter().position(|d| d.name == *name).unwrap();
            let defined: Vec<f64> = outputs
                .iter()
                .map(|o| o[m])
                .filter(|x| !x.is_nan())
                .collect();
            assert!(!defined.is_empty(), "{name} undefined on {side} x {side}");
            defined.iter().sum::<f64>() / defined.len() as f64
        })
        .collect()
}

/// With the same households per grid, districts of 3 x 3, 6 x 6 and 12 x 12 grids give
/// the same per-capita incident rate, response times and act rates within 15% (the
/// issue's "about 15%"). Each size runs the same number of resident-years (9 x 64 =
/// 36 x 16 = 144 x 4 grid-runs). A run's incident rate does not average out over its
/// grids as fast as that suggests: the hottest grid of a larger district is hotter
/// (the tail of the log-normal opportunity), and one such grid lifts its run's rate
/// (on 12 x 12, 30 runs range from 28.9 to 37.6 per 1,000, standard deviation 2.0,
/// against 2.4 on 6 x 6). With 4 runs of 12 x 12 and 16 of 6 x 6 the difference of
/// the means has a standard error of about 4%, so the 15% tolerance is about four of
/// them; with 2 and 8 it was about three, and seeds 1,000 and 1,001 fell outside.
#[test]
fn per_capita_results_do_not_depend_on_the_district_s_size() {
    let metrics = [
        "incidents_per_1000",
        "median_response_time",
        "p90_response_time",
        "act_rate_5plus_present",
        "nobody_acted_share",
    ];
    let reference = mean_over_runs(6, 16, &metrics);
    for (side, runs) in [(3, 64), (12, 4)] {
        let got = mean_over_runs(side, runs, &metrics);
        for ((name, x), r) in metrics.iter().zip(&got).zip(&reference) {
            assert!(
                (x / r - 1.0).abs() <= 0.15,
                "{name}: {x:.3} on {side} x {side} against {r:.3} on 6 x 6"
            );
        }
    }
}
