//! The `cogov` command line, end to end.

use crate::util::{SMALL_SCENARIO, SMALL_TICKS, cogov, read, write};
use cogov::model::co_governance::metrics::{METRICS, SERIES};
use cogov::model::co_governance::params::PARAM_DEFS;
use predicates::prelude::*;
use std::path::Path;

/// Runs the small scenario into `dir/out` and checks that it succeeded.
fn run_small(dir: &Path, out: &str, threads: &str, replications: &str) {
    write(dir, "small.toml", SMALL_SCENARIO);
    cogov(dir)
        .args(["run", "small.toml", "--replications", replications])
        .args(["--threads", threads, "--out", out])
        .assert()
        .success();
}

#[test]
fn help_lists_the_commands() {
    let tmp = tempfile::tempdir().unwrap();
    cogov(tmp.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("run"))
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("params"))
        .stdout(predicate::str::contains("metrics"));
    cogov(tmp.path())
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--replications"))
        .stdout(predicate::str::contains("--out"));
}

#[test]
fn params_prints_every_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["text", "markdown"] {
        let output = cogov(tmp.path())
            .args(["params", "--format", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        for def in PARAM_DEFS.iter() {
            assert!(stdout.contains(def.path), "{format}: {} missing", def.path);
        }
    }
}

#[test]
fn metrics_prints_every_column() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["text", "markdown"] {
        let output = cogov(tmp.path())
            .args(["metrics", "--format", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        for def in METRICS.iter().chain(SERIES) {
            assert!(stdout.contains(def.name), "{format}: {} missing", def.name);
        }
    }
}

#[test]
fn run_writes_four_files_with_the_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    cogov(tmp.path())
        .args([
            "run",
            "small.toml",
            "--replications",
            "4",
            "--out",
            "results",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("incidents_per_1000"))
        .stdout(predicate::str::contains("results"));
    let dir = tmp.path().join("results");

    let runs = read(&dir.join("runs.csv"));
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let expected: Vec<&str> = ["run", "seed"]
        .into_iter()
        .chain(METRICS.iter().map(|m| m.name))
        .collect();
    assert_eq!(header, expected);
    assert_eq!(runs.lines().count(), 1 + 4);
    let first_columns: Vec<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(first_columns, ["0", "1", "2", "3"]);

    let summary = read(&dir.join("summary.csv"));
    assert_eq!(
        summary.lines().next().unwrap(),
        "metric,mean,sd,ci95_low,ci95_high,n"
    );
    assert_eq!(summary.lines().count(), 1 + METRICS.len());

    let series = read(&dir.join("timeseries.csv"));
    let header: Vec<&str> = series.lines().next().unwrap().split(',').collect();
    let expected: Vec<&str> = ["run", "tick", "warmup"]
        .into_iter()
        .chain(SERIES.iter().map(|m| m.name))
        .collect();
    assert_eq!(header, expected);
    assert_eq!(series.lines().count(), 1 + 4 * SMALL_TICKS);
    let warmup_rows = series
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(2) == Some("1"))
        .count();
    assert_eq!(warmup_rows, 4 * 10);

    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    assert_eq!(manifest["scenario"]["name"], "small");
    assert_eq!(manifest["replications"], 4);
    assert_eq!(manifest["parameters"]["district"]["width"], 3);
    assert_eq!(manifest["parameters"]["run"]["ticks"], 30);

    // Nothing half-written is left next to the results.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn quiet_run_prints_only_the_results_directory() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    cogov(tmp.path())
        .args(["run", "small.toml", "-n", "2", "--out", "q", "--quiet"])
        .assert()
        .success()
        .stdout("q\n")
        .stderr("");
}

#[test]
fn run_refuses_an_existing_non_empty_out_directory() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    std::fs::create_dir(tmp.path().join("taken")).unwrap();
    write(&tmp.path().join("taken"), "notes.txt", "keep me");
    cogov(tmp.path())
        .args(["run", "small.toml", "-n", "2", "--out", "taken"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("--out"))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(read(&tmp.path().join("taken/notes.txt")), "keep me");
    assert_eq!(
        std::fs::read_dir(tmp.path().join("taken")).unwrap().count(),
        1
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    run_small(tmp.path(), "one", "1", "12");
    run_small(tmp.path(), "two", "2", "12");
    for file in ["runs.csv", "summary.csv", "timeseries.csv"] {
        let one = std::fs::read(tmp.path().join("one").join(file)).unwrap();
        let two = std::fs::read(tmp.path().join("two").join(file)).unwrap();
        assert!(one == two, "{file} differs between 1 and 2 threads");
    }
}

#[test]
fn seed_flag_changes_results_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    for (out, seed) in [("a", "1"), ("b", "2")] {
        cogov(tmp.path())
            .args([
                "run",
                "small.toml",
                "-n",
                "2",
                "--seed",
                seed,
                "--out",
                out,
                "-q",
            ])
            .assert()
            .success();
    }
    let a = read(&tmp.path().join("a/runs.csv"));
    let b = read(&tmp.path().join("b/runs.csv"));
    assert_ne!(a, b);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&tmp.path().join("b/manifest.json"))).unwrap();
    assert_eq!(manifest["seed"], 2);
}

#[test]
fn a_bad_scenario_is_reported_with_its_location_and_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bad.toml",
        "[police]\nofficers_per_10k = \"many\"\n",
    );
    for command in ["run", "check"] {
        cogov(tmp.path())
            .args([command, "bad.toml"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("error:"))
            .stderr(predicate::str::contains("bad.toml:2:"))
            .stderr(predicate::str::contains("officers_per_10k"))
            .stderr(predicate::str::contains("error: error:").not())
            .stderr(predicate::str::contains("panicked").not());
    }
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    cogov(tmp.path())
        .args(["run", "no-such-file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("no-such-file.toml"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn bad_flags_exit_with_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    cogov(tmp.path())
        .args(["run", "small.toml", "--replications", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("--replications"));
    cogov(tmp.path())
        .args(["run", "--no-such-flag"])
        .assert()
        .code(2);
    cogov(tmp.path())
        .args(["run", "--threads", "0"])
        .assert()
        .code(2);
}

#[test]
fn check_prints_ok_and_the_resolved_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    cogov(tmp.path())
        .args(["check", "small.toml"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: small (small.toml)"))
        .stdout(predicate::str::contains("[district]\nwidth = 3\n"))
        .stdout(predicate::str::contains("ticks = 30"));
}

#[test]
fn runaway_runs_are_flagged_on_the_terminal_and_listed_in_runaways_csv() {
    // An offending propensity of 0.02 a day (valid, but 80 times the calibrated one
    // and far outside its plausible range) gives more incidents than any real
    // district records.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "hot.toml",
        &format!(
            "name = \"hot\"\nextends = {:?}\n[district]\nwidth = 3\nheight = 3\n[run]\nwarmup_ticks = 60\nticks = 60\n[residents]\noffence_propensity = 0.02\n",
            crate::util::repo_path("scenarios/tongxiang_baseline.toml")
        ),
    );
    cogov(dir.path())
        .args(["run", "-q", "-n", "3", "--out", "hot"])
        .arg(&path)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("look like runaways").and(predicate::str::contains(
                "incidents_per_1000 above 10 times its point's median or above 1000; \
                 unattended_calls_per_1000 above 0; offending_capped_share above 0",
            )),
        );
    let text = read(&dir.path().join("hot/runaways.csv"));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("run,metric,value,point_median,limit"));
    let rows: Vec<&str> = lines.collect();
    let incidents = rows
        .iter()
        .filter(|r| r.contains(",incidents_per_1000,"))
        .count();
    assert_eq!(incidents, 3, "every run is above the ceiling:\n{text}");
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        let (value, limit): (f64, f64) = (cells[2].parse().unwrap(), cells[4].parse().unwrap());
        assert!(value > limit, "{row}");
        if cells[1] == "incidents_per_1000" {
            assert_eq!(limit, 1000.0, "{row}");
        } else {
            // A cap hit: any positive value is flagged.
            assert_eq!(limit, 0.0, "{row}");
        }
    }
    // The default district runs no runaway and writes no such file.
    run_small(dir.path(), "calm", "1", "5");
    assert!(!dir.path().join("calm/runaways.csv").exists());
}
