//! The civil-violence reference model through the same machinery as the
//! co-governance model: its scenario files in `scenarios/reference/` are the model's
//! presets, and `run`, `sweep`, `compare` and `merge` write its metrics, with the
//! same determinism across threads and shards.

use crate::util::{assert_same_data, cogov, read, repo_path, write};
use cogov::experiment::run_seed;
use cogov::model::Model;
use cogov::model::civil_violence::{self, CV_METRICS, CvParams, mesa_parity, paper_run};
use cogov::scenario::Scenario;
use std::path::Path;

fn preset(file: &str) -> CvParams {
    let path = repo_path(&format!("scenarios/reference/{file}"));
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.model(), Model::CivilViolence, "{file}");
    scenario.params.civil_violence().unwrap().clone()
}

#[test]
fn reference_scenarios_are_the_model_s_presets() {
    let files = [
        "epstein_run1_deception.toml",
        "epstein_run2_punctuated_equilibrium.toml",
        "epstein_run3_gradual_decline.toml",
        "epstein_run4_sudden_drop.toml",
        "epstein_run5_cop_reduction.toml",
    ];
    for (n, file) in (1..=5).zip(files) {
        assert_eq!(
            preset(file),
            paper_run(n),
            "{file} is not the paper's run {n}"
        );
    }
    assert_eq!(preset("mesa_parity.toml"), mesa_parity());
}

/// Mesa parity over 30 ticks: a small, fast civil-violence scenario.
fn short_mesa(dir: &Path) {
    let base = repo_path("scenarios/reference/mesa_parity.toml");
    write(
        dir,
        "mesa.toml",
        &format!(
            "extends = {:?}\n[run]\nticks = 30\n",
            base.display().to_string()
        ),
    );
}

#[test]
fn run_writes_the_model_s_columns_and_the_model_s_own_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    short_mesa(tmp.path());
    for threads in ["1", "2"] {
        cogov(tmp.path())
            .args([
                "run",
                "mesa.toml",
                "-n",
                "4",
                "--seed",
                "11",
                "-q",
                "-j",
                threads,
            ])
            .args(["--out", &format!("j{threads}")])
            .assert()
            .success();
    }
    assert_same_data(&tmp.path().join("j1"), &tmp.path().join("j2"));
    let runs = read(&tmp.path().join("j1/runs.csv"));
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let names: Vec<&str> = CV_METRICS.iter().map(|m| m.name).collect();
    assert_eq!(header[..2], ["run", "seed"]);
    assert_eq!(header[2..], names[..]);
    // Each row is the library's run of the preset on the replication's seed.
    let mut p = mesa_parity();
    p.run.ticks = 30;
    for (r, line) in lines.enumerate() {
        let out = civil_violence::simulate(&p, run_seed(11, r as u64));
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[1], run_seed(11, r as u64).to_string());
        for (field, x) in fields[2..].iter().zip(&out.metrics) {
            let written = if x.is_nan() {
                "NA".to_string()
            } else {
                x.to_string()
            };
            assert_eq!(*field, written, "run {r}: {line}");
        }
    }
    let series = read(&tmp.path().join("j1/timeseries.csv"));
    assert!(series.starts_with("run,tick,warmup,quiet,active,jailed,cops,legitimacy\n"));
    assert_eq!(series.lines().count(), 1 + 4 * 30);
    let manifest = read(&tmp.path().join("j1/manifest.json"));
    assert!(
        manifest.contains("\"model\": \"civil_violence\""),
        "{manifest}"
    );
    assert!(manifest.contains("\"rule\": \"rounded\""), "{manifest}");
}

#[test]
fn a_sweep_varies_choices_and_numbers_and_merges_from_shards() {
    let tmp = tempfile::tempdir().unwrap();
    short_mesa(tmp.path());
    write(
        tmp.path(),
        "sweep.toml",
        "scenario = \"mesa.toml\"\ndesign = \"grid\"\nreplications = 2\n[parameters]\n\"legitimacy.level\" = [0.6, 0.8]\n\"arrest.rule\" = [\"printed\", \"floored\", \"rounded\"]\n",
    );
    cogov(tmp.path())
        .args(["sweep", "sweep.toml", "-q", "--out", "whole"])
        .assert()
        .success();
    let points = read(&tmp.path().join("whole/points.csv"));
    assert_eq!(
        points.lines().next(),
        Some("point,legitimacy.level,arrest.rule")
    );
    assert_eq!(points.lines().nth(1), Some("0,0.6,printed"));
    assert_eq!(points.lines().count(), 1 + 6);
    for k in 1..=2 {
        cogov(tmp.path())
            .args(["sweep", "sweep.toml", "-q", "--shard", &format!("{k}/2")])
            .args(["--out", &format!("s{k}")])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "s2", "s1", "--out", "merged"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("whole"), &tmp.path().join("merged"));
}

#[test]
fn compare_pairs_two_runs_of_the_paper_and_merges_from_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let run3 = repo_path("scenarios/reference/epstein_run3_gradual_decline.toml");
    let run4 = repo_path("scenarios/reference/epstein_run4_sudden_drop.toml");
    let (run3, run4) = (run3.to_str().unwrap(), run4.to_str().unwrap());
    cogov(tmp.path())
        .args(["compare", run3, run4, "-n", "4", "-q", "--out", "whole"])
        .assert()
        .success();
    let comparison = read(&tmp.path().join("whole/comparison.csv"));
    let metrics: Vec<&str> = comparison
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let names: Vec<&str> = CV_METRICS.iter().map(|m| m.name).collect();
    assert_eq!(metrics, names);
    for k in 1..=2 {
        cogov(tmp.path())
            .args(["compare", run3, run4, "-n", "4", "-q"])
            .args(["--shard", &format!("{k}/2"), "--out", &format!("c{k}")])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "c1", "c2", "--out", "merged"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("whole"), &tmp.path().join("merged"));
    // The table names the model's own headline metrics; an unknown one is refused.
    cogov(tmp.path())
        .args(["compare", run3, run4, "-n", "2", "--metric", "outburts"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `outbursts`?"));
}

#[test]
fn scenarios_of_two_models_cannot_be_compared() {
    let tmp = tempfile::tempdir().unwrap();
    let base = repo_path("scenarios/tongxiang_baseline.toml");
    let mesa = repo_path("scenarios/reference/mesa_parity.toml");
    cogov(tmp.path())
        .args(["compare", base.to_str().unwrap(), mesa.to_str().unwrap()])
        .args(["-n", "2", "--out", "never"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a comparison pairs runs of one model",
        ));
    assert!(!tmp.path().join("never").exists());
    assert!(!tmp.path().join("never.partial").exists());
}

#[test]
fn a_sweep_may_only_vary_its_scenario_s_model_s_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    short_mesa(tmp.path());
    write(
        tmp.path(),
        "sweep.toml",
        "scenario = \"mesa.toml\"\ndesign = \"grid\"\n[parameters]\n\"police.officers_per_10k\" = [1, 2]\n\"arrest.rule\" = [\"floored\", \"round\"]\n",
    );
    cogov(tmp.path())
        .args(["sweep", "sweep.toml", "--out", "never"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`police.officers_per_10k` is a parameter of the co_governance model",
        ))
        .stderr(predicates::str::contains("did you mean \"rounded\"?"));
}
