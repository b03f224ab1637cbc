//! Experiments end to end: sweeps, paired comparisons, shards and merge, interrupted
//! and resumed runs, failed runs. The promise under test is byte-identity: the data
//! files of an experiment do not depend on threads, shards or interruptions.

use crate::util::{SMALL_SCENARIO, assert_same_data, cogov, read, write};
use std::path::Path;
use std::time::{Duration, Instant};

/// A small scenario and a reform of it (better logistics).
fn scenarios(dir: &Path) {
    write(dir, "base.toml", SMALL_SCENARIO);
    write(
        dir,
        "logistics.toml",
        "extends = \"base.toml\"\nname = \"logistics\"\n[logistics]\nlevel = 0.9\n",
    );
}

/// A 3 x 2 grid sweep of the small scenario, 3 replications per point.
const GRID_SWEEP: &str = r#"name = "grid"
scenario = "base.toml"
design = "grid"
replications = 3
timeseries_every = 10
[parameters]
"liability.clarity" = [0.1, 0.5, 0.9]
"channels.count" = { min = 1, max = 5, steps = 2 }
"#;

#[test]
fn a_sweep_writes_its_design_and_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    write(tmp.path(), "grid.toml", GRID_SWEEP);
    cogov(tmp.path())
        .args(["sweep", "grid.toml", "--out", "s", "-q"])
        .assert()
        .success();
    let dir = tmp.path().join("s");
    let points = read(&dir.join("points.csv"));
    assert_eq!(points.lines().count(), 1 + 6, "{points}");
    assert!(points.starts_with("point,liability.clarity,channels.count\n0,0.1,1\n1,0.1,5\n"));
    let runs = read(&dir.join("runs.csv"));
    assert_eq!(runs.lines().count(), 1 + 18);
    assert!(runs.starts_with("point,replication,seed,liability.clarity,channels.count,"));
    // Replication-major order with common random numbers: rows 1..=6 are replication
    // 0 of points 0..5 and share a seed.
    let seeds: Vec<&str> = runs
        .lines()
        .skip(1)
        .take(6)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert!(seeds.iter().all(|s| *s == seeds[0]));
    let summary = read(&dir.join("summary.csv"));
    assert!(summary.starts_with("point,liability.clarity,channels.count,metric,mean,"));
    assert_eq!(read(&dir.join("failures.csv")).lines().count(), 1);
    // Every 10th day of 40: 4 rows per run.
    assert_eq!(
        read(&dir.join("timeseries.csv")).lines().count(),
        1 + 18 * 4
    );
}

#[test]
fn sweeps_and_comparisons_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    write(tmp.path(), "grid.toml", GRID_SWEEP);
    for j in ["1", "2"] {
        cogov(tmp.path())
            .args([
                "sweep",
                "grid.toml",
                "-q",
                "-j",
                j,
                "--out",
                &format!("s{j}"),
            ])
            .assert()
            .success();
        cogov(tmp.path())
            .args([
                "compare",
                "base.toml",
                "logistics.toml",
                "-n",
                "5",
                "-q",
                "-j",
                j,
            ])
            .args(["--out", &format!("c{j}")])
            .assert()
            .success();
    }
    assert_same_data(&tmp.path().join("s1"), &tmp.path().join("s2"));
    assert_same_data(&tmp.path().join("c1"), &tmp.path().join("c2"));
}

#[test]
fn a_comparison_reports_paired_differences_with_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    let out = cogov(tmp.path())
        .args([
            "compare",
            "base.toml",
            "logistics.toml",
            "-n",
            "8",
            "--out",
            "c",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("logistics vs small"), "{table}");
    let csv = read(&tmp.path().join("c/comparison.csv"));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "reform,metric,baseline_mean,reform_mean,difference,ci95_low,ci95_high,relative_change,effect_size,n,excludes_zero,verdict"
    );
    // Better logistics shortens the typical response (travel time). The median, not
    // the mean: in 20 days of a 3 x 3 district a run's mean can be carried by one
    // call that waited hours for a free unit (a mean of 77 minutes against a median
    // of 14), which widens the mean's paired interval across zero in 8 pairs.
    let response = lines
        .find(|l| l.starts_with("logistics,median_response_time,"))
        .unwrap();
    let fields: Vec<&str> = response.split(',').collect();
    let high: f64 = fields[6].parse().unwrap();
    assert!(high < 0.0, "{response}");
    assert_eq!(fields[10], "true");
    let runs = read(&tmp.path().join("c/runs.csv"));
    assert!(runs.starts_with("scenario,run,seed,"));
    assert_eq!(runs.lines().count(), 1 + 16);
}

#[test]
fn adaptive_replication_stops_at_the_precision_or_the_maximum_and_says_which() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    let loose = cogov(tmp.path())
        .args([
            "compare",
            "base.toml",
            "logistics.toml",
            "--precision",
            "1000",
        ])
        .args([
            "--metric",
            "incidents_per_1000",
            "--batch",
            "4",
            "--out",
            "a",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(loose.stdout).unwrap();
    assert!(text.contains("precision reached"), "{text}");
    assert!(text.contains("after 4 replications"), "{text}");
    let tight = cogov(tmp.path())
        .args([
            "compare",
            "base.toml",
            "logistics.toml",
            "--precision",
            "0.000001",
        ])
        .args(["--metric", "incidents_per_1000", "--batch", "3"])
        .args(["--max-replications", "6", "--out", "b"])
        .output()
        .unwrap();
    let text = String::from_utf8(tight.stdout).unwrap();
    assert!(text.contains("maximum reached: 6 replications"), "{text}");
    assert_eq!(read(&tmp.path().join("b/runs.csv")).lines().count(), 1 + 12);
}

#[test]
fn shards_merge_into_the_files_one_machine_writes() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    write(tmp.path(), "grid.toml", GRID_SWEEP);
    cogov(tmp.path())
        .args(["sweep", "grid.toml", "-q", "--out", "whole"])
        .assert()
        .success();
    for k in 1..=3 {
        cogov(tmp.path())
            .args(["sweep", "grid.toml", "-q", "--shard", &format!("{k}/3")])
            .args(["--out", &format!("shard{k}")])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "shard3", "shard1", "shard2", "--out", "merged"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("whole"), &tmp.path().join("merged"));

    // The same for a comparison.
    cogov(tmp.path())
        .args([
            "compare",
            "base.toml",
            "logistics.toml",
            "-n",
            "5",
            "-q",
            "--out",
            "cw",
        ])
        .assert()
        .success();
    for k in 1..=2 {
        cogov(tmp.path())
            .args(["compare", "base.toml", "logistics.toml", "-n", "5", "-q"])
            .args(["--shard", &format!("{k}/2"), "--out", &format!("c{k}")])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "c1", "c2", "--out", "cm"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("cw"), &tmp.path().join("cm"));
}

#[test]
fn merge_refuses_shards_of_different_experiments_and_missing_shards() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    for (seed, k) in [("1", "1"), ("2", "2")] {
        cogov(tmp.path())
            .args(["run", "base.toml", "-n", "4", "-q", "--seed", seed])
            .args(["--shard", &format!("{k}/2"), "--out", &format!("r{k}")])
            .assert()
            .success();
    }
    let out = cogov(tmp.path())
        .args(["merge", "r1", "r2", "--out", "m"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not shards of the same experiment"), "{err}");
    let out = cogov(tmp.path())
        .args(["merge", "r1", "--out", "m"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("shard 2/2 is missing")
    );
    assert!(!tmp.path().join("m").exists());
}

#[test]
fn a_failing_run_is_recorded_while_the_rest_complete() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    // property_share 0.7 + violent_share 0.4 > 1: that point is invalid.
    write(
        tmp.path(),
        "bad.toml",
        "scenario = \"base.toml\"\ndesign = \"grid\"\nreplications = 2\n[parameters]\n\"residents.violent_share\" = [0.1, 0.4]\n\"residents.property_share\" = [0.7]\n",
    );
    let out = cogov(tmp.path())
        .args(["sweep", "bad.toml", "--out", "s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("2 run(s) failed"), "{stderr}");
    let failures = read(&tmp.path().join("s/failures.csv"));
    assert_eq!(failures.lines().count(), 1 + 2, "{failures}");
    assert!(failures.contains("property_share"), "{failures}");
    let runs = read(&tmp.path().join("s/runs.csv"));
    assert_eq!(runs.lines().count(), 1 + 2);
    assert!(!stderr.contains("panicked"));
}

/// Starts `cogov run` with many replications, kills it once at least `rows` rows
/// reached the partial directory, and returns whether it was killed mid-way.
fn start_and_kill(dir: &Path, rows: usize) -> bool {
    let bin = assert_cmd::cargo::cargo_bin!("cogov");
    let mut child = std::process::Command::new(bin)
        .current_dir(dir)
        .args([
            "run",
            "base.toml",
            "-n",
            "2000",
            "-q",
            "-j",
            "2",
            "--out",
            "k",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let runs = dir.join("k.partial/runs.csv");
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        let n = std::fs::read_to_string(&runs).map_or(0, |t| t.lines().count());
        if n > rows || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

#[test]
fn a_killed_run_resumes_to_the_same_bytes_as_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    assert!(
        start_and_kill(tmp.path(), 20),
        "the run ended before it could be killed"
    );
    assert!(!tmp.path().join("k").exists());
    assert!(tmp.path().join("k.partial").is_dir());
    // Without --resume the leftover is not overwritten, and the message says how to go on.
    let out = cogov(tmp.path())
        .args(["run", "base.toml", "-n", "2000", "-q", "--out", "k"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--resume"));
    // A resume with other settings is refused.
    let out = cogov(tmp.path())
        .args([
            "run",
            "base.toml",
            "-n",
            "2000",
            "--seed",
            "5",
            "-q",
            "--out",
            "k",
            "--resume",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    cogov(tmp.path())
        .args([
            "run",
            "base.toml",
            "-n",
            "2000",
            "-q",
            "-j",
            "1",
            "--out",
            "k",
            "--resume",
        ])
        .assert()
        .success();
    cogov(tmp.path())
        .args(["run", "base.toml", "-n", "2000", "-q", "--out", "whole"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("whole"), &tmp.path().join("k"));
    // Complete rows only: every line of the resumed runs.csv has every column.
    let runs = read(&tmp.path().join("k/runs.csv"));
    let columns = runs.lines().next().unwrap().split(',').count();
    assert!(runs.lines().all(|l| l.split(',').count() == columns));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_on_a_whole_batch_and_resume_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    scenarios(tmp.path());
    let bin = assert_cmd::cargo::cargo_bin!("cogov");
    let child = std::process::Command::new(bin)
        .current_dir(tmp.path())
        .args(["run", "base.toml", "-n", "2000", "-q", "--out", "i"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let runs = tmp.path().join("i.partial/runs.csv");
    let start = Instant::now();
    while std::fs::read_to_string(&runs).map_or(0, |t| t.lines().count()) < 10
        && start.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        // Finished before the signal arrived; nothing to resume.
        return;
    }
    assert_eq!(out.status.code(), Some(130));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--resume"), "{err}");
    assert!(!err.contains("panicked"));
    cogov(tmp.path())
        .args([
            "run",
            "base.toml",
            "-n",
            "2000",
            "-q",
            "--out",
            "i",
            "--resume",
        ])
        .assert()
        .success();
    cogov(tmp.path())
        .args(["run", "base.toml", "-n", "2000", "-q", "--out", "w"])
        .assert()
        .success();
    assert_same_data(&tmp.path().join("w"), &tmp.path().join("i"));
}
