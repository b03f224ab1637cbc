//! `cogov analyse` and `cogov compare --uncertainty` end to end: the files they write,
//! what the numbers must be where they are known exactly, determinism, and refusals.
//!
//! Known exactly: `costs.officer_hour` only prices officer time, so with common random
//! numbers every run's incidents are the same whatever its value. Its Sobol indices
//! and Morris effects on incidents are then exactly 0, and a "reform" that changes
//! only it has an effect of exactly 0 on incidents in every world, while it moves the
//! public cost.

use crate::util::{SMALL_SCENARIO, assert_same_data, cogov, read, write};
use std::collections::BTreeMap;
use std::path::Path;

/// (metric, parameter, index): a row's key in `sensitivity.csv`; an S2's parameter is
/// `a*b`.
type Key = (String, String, String);
/// (value, ci95_low, ci95_high, n) as written.
type Row = (f64, String, String, String);

/// `sensitivity.csv` as a map from each row's key to its numbers.
fn indices(dir: &Path) -> BTreeMap<Key, Row> {
    let text = read(&dir.join("sensitivity.csv"));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("metric,parameter,index,value,ci95_low,ci95_high,parameter2,n")
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let parameter = if f[6].is_empty() {
                f[1].to_string()
            } else {
                format!("{}*{}", f[1], f[6])
            };
            (
                (f[0].to_string(), parameter, f[2].to_string()),
                (
                    f[3].parse().unwrap_or(f64::NAN),
                    f[4].to_string(),
                    f[5].to_string(),
                    f[7].to_string(),
                ),
            )
        })
        .collect()
}

fn value(map: &BTreeMap<Key, Row>, metric: &str, parameter: &str, index: &str) -> f64 {
    map.get(&(metric.into(), parameter.into(), index.into()))
        .unwrap_or_else(|| panic!("no {index} of {parameter} for {metric}"))
        .0
}

/// A sweep of the small scenario over two parameters that matter and one that only
/// prices officer time.
fn sweep_file(design: &str) -> String {
    format!(
        r#"name = "s"
scenario = "base.toml"
{design}
replications = 2
[parameters]
"residents.offence_propensity" = {{ min = 0.0002, max = 0.0008 }}
"logistics.level" = {{ min = 0.2, max = 1.0 }}
"costs.officer_hour" = {{ min = 60, max = 200 }}
"#
    )
}

#[test]
fn a_sobol_sweep_writes_indices_that_analyse_prints_and_recomputes_alike() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "sobol.toml",
        &sweep_file("design = \"sobol\"\nsamples = 8\nsecond_order = true"),
    );
    cogov(tmp.path())
        .args(["sweep", "sobol.toml", "-q", "--out", "s"])
        .assert()
        .success();
    let dir = tmp.path().join("s");
    // The sweep analysed itself with the default settings.
    let auto = read(&dir.join("sensitivity.csv"));
    let map = indices(&dir);
    let incidents = "incidents_per_1000";
    for index in ["S1", "ST"] {
        assert_eq!(value(&map, incidents, "costs.officer_hour", index), 0.0);
        assert!(value(&map, "public_cost_per_1000", "costs.officer_hour", index) > 0.1);
    }
    assert!(value(&map, incidents, "residents.offence_propensity", "ST") > 0.1);
    // A second-order index with a parameter that has no effect is 0 in expectation
    // only (the estimator differences two estimates of S1): its interval covers 0.
    let (_, low, high, _) = &map[&(
        incidents.to_string(),
        "residents.offence_propensity*costs.officer_hour".to_string(),
        "S2".to_string(),
    )];
    assert!(low.parse::<f64>().unwrap() <= 0.0 && high.parse::<f64>().unwrap() >= 0.0);
    let (_, low, high, n) = &map[&(
        incidents.to_string(),
        "logistics.level".to_string(),
        "ST".to_string(),
    )];
    assert!(low.parse::<f64>().unwrap() < high.parse::<f64>().unwrap());
    assert_eq!(n, "8", "eight base rows");
    assert!(map.contains_key(&(incidents.into(), String::new(), "noise_share".into())));

    // The command prints the ranking and writes the same file again.
    let out = cogov(tmp.path())
        .args(["analyse", "s", "--metric", incidents])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("S1 [95% CI]") && text.contains("ST [95% CI]"),
        "{text}"
    );
    let ranked: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.contains('.') && !w.contains('/'))
        .collect();
    assert_eq!(ranked.last(), Some(&"costs.officer_hour"), "{text}");
    assert!(text.contains("strongest interaction"), "{text}");
    cogov(tmp.path())
        .args(["sensitivity", "s", "-q"])
        .assert()
        .success();
    assert_eq!(read(&dir.join("sensitivity.csv")), auto, "deterministic");
    // Another bootstrap seed moves the intervals, never the estimates.
    cogov(tmp.path())
        .args(["analyse", "s", "-q", "--seed", "99"])
        .assert()
        .success();
    let reseeded = indices(&dir);
    assert_ne!(read(&dir.join("sensitivity.csv")), auto);
    for (key, (v, ..)) in &map {
        assert_eq!(reseeded[key].0.to_bits(), v.to_bits(), "{key:?}");
    }
    assert!(read(&dir.join("report.html")).contains("sensitivity"));
}

#[test]
fn a_morris_screening_ranks_by_mu_star_and_a_price_has_no_effect_on_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "morris.toml",
        &sweep_file("design = \"morris\"\nsamples = 6\nlevels = 4"),
    );
    cogov(tmp.path())
        .args(["sweep", "morris.toml", "-q", "--out", "m"])
        .assert()
        .success();
    let map = indices(&tmp.path().join("m"));
    let incidents = "incidents_per_1000";
    for index in ["mu", "mu_star", "sigma"] {
        assert_eq!(value(&map, incidents, "costs.officer_hour", index), 0.0);
    }
    assert!(value(&map, incidents, "residents.offence_propensity", "mu_star") > 0.0);
    assert!(value(&map, "public_cost_per_1000", "costs.officer_hour", "mu") > 0.0);
    let (_, _, _, n) = &map[&(
        incidents.to_string(),
        "logistics.level".to_string(),
        "mu_star".to_string(),
    )];
    assert_eq!(n, "6", "one elementary effect per trajectory");
    let out = cogov(tmp.path())
        .args(["analyse", "m", "--metric", incidents])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("μ* [95% CI]") && text.contains("6 trajectories"),
        "{text}"
    );
}

#[test]
fn a_latin_hypercube_gives_regression_and_rank_correlation_with_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "lhs.toml",
        &sweep_file("design = \"lhs\"\nsamples = 24\ndesign_seed = 3"),
    );
    cogov(tmp.path())
        .args(["sweep", "lhs.toml", "-q", "--out", "l"])
        .assert()
        .success();
    let map = indices(&tmp.path().join("l"));
    let cost = "public_cost_per_1000";
    let r2 = value(&map, cost, "", "R2");
    assert!((0.0..=1.0).contains(&r2), "{r2}");
    // The price of an officer hour drives the public cost, in the same direction; the
    // cost's ranks follow the price's exactly, so the other parameters' partial rank
    // correlations are 0/0: NA.
    assert!(value(&map, cost, "costs.officer_hour", "SRC") > 0.9);
    assert_eq!(value(&map, cost, "costs.officer_hour", "PRCC"), 1.0);
    assert!(value(&map, cost, "logistics.level", "PRCC").is_nan());
    for parameter in ["logistics.level", "costs.officer_hour"] {
        let (v, low, high, n) = &map[&(cost.to_string(), parameter.to_string(), "SRC".into())];
        let (low, high): (f64, f64) = (low.parse().unwrap(), high.parse().unwrap());
        assert!(
            low <= *v && *v <= high,
            "{parameter}: {v} in [{low}, {high}]"
        );
        assert_eq!(n, "24");
    }
    let incidents = "incidents_per_1000";
    assert!(value(&map, incidents, "residents.offence_propensity", "PRCC") > 0.5);
}

#[test]
fn failed_points_are_left_out_with_their_base_rows_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    // community_role_share + admin_burden_share must stay at or below 0.95: part of
    // this design breaks the rule and fails.
    write(
        tmp.path(),
        "sobol.toml",
        r#"scenario = "base.toml"
design = "sobol"
samples = 8
replications = 2
[parameters]
"police.community_role_share" = { min = 0.3, max = 0.7 }
"police.admin_burden_share" = { min = 0.2, max = 0.4 }
"#,
    );
    cogov(tmp.path())
        .args(["sweep", "sobol.toml", "-q", "--out", "s"])
        .assert()
        .code(3);
    let out = cogov(tmp.path())
        .args(["analyse", "s", "--metric", "incidents_per_1000"])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("have no finished run (failures.csv)")
            && stderr.contains("their base rows are left out"),
        "{stderr}"
    );
    let map = indices(&tmp.path().join("s"));
    let n: usize = map[&(
        "incidents_per_1000".to_string(),
        "police.community_role_share".to_string(),
        "S1".to_string(),
    )]
        .3
        .parse()
        .unwrap();
    assert!((2..8).contains(&n), "{n} of 8 base rows kept");
}

#[test]
fn analyse_refuses_what_it_cannot_analyse() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    cogov(tmp.path())
        .args(["run", "base.toml", "-n", "2", "-q", "--out", "r"])
        .assert()
        .success();
    let cases: &[(&[&str], &str)] = &[
        (&["analyse", "r"], "holds a run, not a sweep"),
        (&["analyse", "nowhere"], "holds no finished results"),
        (&["analyse", "r", "--resamples", "1"], "--resamples"),
    ];
    for (args, expected) in cases {
        let out = cogov(tmp.path()).args(*args).assert().code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    write(
        tmp.path(),
        "lhs.toml",
        &sweep_file("design = \"lhs\"\nsamples = 6"),
    );
    cogov(tmp.path())
        .args(["sweep", "lhs.toml", "-q", "--out", "l"])
        .assert()
        .success();
    let out = cogov(tmp.path())
        .args(["analyse", "l", "--metric", "incidents_per_100"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("did you mean `incidents_per_1000`"),
        "{stderr}"
    );
}

/// Two uncertain parameters, six worlds.
const WORLDS: &str = r#"name = "worlds"
scenario = "base.toml"
design = "lhs"
samples = 6
replications = 2
design_seed = 5
[parameters]
"residents.offence_propensity" = { min = 0.0002, max = 0.0008 }
"trust.contact_rate" = { min = 0.05, max = 0.3 }
"#;

/// The baseline, a reform that matters and one that only prices officer time, and
/// `worlds.toml` ([`WORLDS`]).
pub(crate) fn uncertainty_files(dir: &Path) {
    write(dir, "base.toml", SMALL_SCENARIO);
    write(dir, "worlds.toml", WORLDS);
    write(
        dir,
        "logistics.toml",
        "extends = \"base.toml\"\nname = \"logistics\"\n[logistics]\nlevel = 0.9\n",
    );
    write(
        dir,
        "price.toml",
        "extends = \"base.toml\"\nname = \"price\"\n[costs]\nofficer_hour = 180.0\n",
    );
}

/// The comparison of those files in those worlds.
pub(crate) const COMPARE: [&str; 6] = [
    "compare",
    "base.toml",
    "logistics.toml",
    "price.toml",
    "--uncertainty",
    "worlds.toml",
];

#[test]
fn an_uncertainty_comparison_pairs_every_scenario_in_every_world() {
    let tmp = tempfile::tempdir().unwrap();
    uncertainty_files(tmp.path());
    let out = cogov(tmp.path())
        .args(COMPARE)
        .args(["--out", "u"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("improved in [95% CI]"), "{text}");
    let dir = tmp.path().join("u");
    let points = read(&dir.join("points.csv"));
    assert!(
        points.starts_with(
            "point,world,scenario,residents.offence_propensity,trust.contact_rate\n0,0,small,"
        ),
        "{points}"
    );
    assert_eq!(points.lines().count(), 1 + 6 * 3);
    let runs = read(&dir.join("runs.csv"));
    assert!(runs.starts_with("point,replication,seed,world,scenario,"));
    // robustness.csv: each reform and doing nothing, per headline metric.
    let robustness = read(&dir.join("robustness.csv"));
    let header: Vec<&str> = robustness.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = |reform: &str, metric: &str| -> Vec<String> {
        robustness
            .lines()
            .find(|l| l.starts_with(&format!("{reform},{metric},")))
            .unwrap_or_else(|| panic!("no {reform} {metric} in {robustness}"))
            .split(',')
            .map(str::to_string)
            .collect()
    };
    // Pricing officer time cannot change incidents: effect exactly 0 in every world,
    // so no world improves and it has the regret of doing nothing.
    let price = row("price", "incidents_per_1000");
    assert_eq!(price[column("worlds")], "6");
    assert_eq!(price[column("share_improved")], "0");
    for q in ["effect_p10", "effect_median", "effect_p90"] {
        assert_eq!(price[column(q)], "0", "{q}");
    }
    let nothing = row("(no reform)", "incidents_per_1000");
    assert_eq!(price[column("regret_max")], nothing[column("regret_max")]);
    // Better logistics answers calls sooner in every world.
    let logistics = row("logistics", "mean_response_time");
    assert_eq!(logistics[column("share_improved")], "1");
    let low: f64 = logistics[column("share_ci95_low")].parse().unwrap();
    assert!(low > 0.5 && low < 1.0, "Wilson interval below 1: {low}");
    assert!(read(&dir.join("prim_boxes.csv")).starts_with("reform,metric,box,parameter,min,max,"));
    assert!(read(&dir.join("report.html")).contains("robustness"));
}

#[test]
fn an_uncertainty_comparison_is_the_same_on_any_threads_and_shards() {
    let tmp = tempfile::tempdir().unwrap();
    uncertainty_files(tmp.path());
    for j in ["1", "2"] {
        cogov(tmp.path())
            .args(COMPARE)
            .args(["-q", "-j", j, "--out", &format!("u{j}")])
            .assert()
            .success();
    }
    assert_same_data(&tmp.path().join("u1"), &tmp.path().join("u2"));
    for k in 1..=2 {
        cogov(tmp.path())
            .args(COMPARE)
            .args([
                "-q",
                "--shard",
                &format!("{k}/2"),
                "--out",
                &format!("s{k}"),
            ])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "s2", "s1", "--out", "merged"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("u1"), &tmp.path().join("merged"));
}

#[test]
fn an_uncertainty_file_is_refused_when_it_cannot_give_paired_worlds() {
    let tmp = tempfile::tempdir().unwrap();
    uncertainty_files(tmp.path());
    write(
        tmp.path(),
        "sobol.toml",
        &WORLDS.replace("design = \"lhs\"", "design = \"sobol\""),
    );
    write(
        tmp.path(),
        "trusting.toml",
        "extends = \"base.toml\"\nname = \"trusting\"\n[trust]\ncontact_rate = 0.2\n",
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "compare",
                "base.toml",
                "logistics.toml",
                "--uncertainty",
                "sobol.toml",
            ],
            "give it `design = \"lhs\"` or `design = \"random\"` (found sobol)",
        ),
        (
            &[
                "compare",
                "base.toml",
                "trusting.toml",
                "--uncertainty",
                "worlds.toml",
            ],
            "`trusting` sets `trust.contact_rate`, which worlds.toml samples as an uncertainty",
        ),
        (
            &[
                "compare",
                "base.toml",
                "logistics.toml",
                "--uncertainty",
                "worlds.toml",
                "--precision",
                "1",
            ],
            "cannot be used with",
        ),
        (
            &[
                "compare",
                "base.toml",
                "logistics.toml",
                "--uncertainty",
                "none.toml",
            ],
            "none.toml",
        ),
    ];
    for (args, expected) in cases {
        let out = cogov(tmp.path()).args(*args).assert().code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_killed_uncertainty_comparison_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    uncertainty_files(tmp.path());
    write(
        tmp.path(),
        "worlds.toml",
        &WORLDS.replace("samples = 6", "samples = 100"),
    );
    cogov(tmp.path())
        .args(COMPARE)
        .args(["-q", "--out", "whole"])
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin!("cogov");
    let mut child = std::process::Command::new(bin)
        .current_dir(tmp.path())
        .args(COMPARE)
        .args(["-q", "-j", "2", "--out", "k"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let runs = tmp.path().join("k.partial/runs.csv");
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        let rows = std::fs::read_to_string(&runs).map_or(0, |t| t.lines().count());
        if rows > 60 || start.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.wait().unwrap();
    assert!(
        tmp.path().join("k.partial").exists(),
        "killed before it finished its 600 runs"
    );
    cogov(tmp.path())
        .args(COMPARE)
        .args(["-q", "--resume", "--out", "k"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("whole"), &tmp.path().join("k"));
}
