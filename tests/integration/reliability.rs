//! What cogov does when it is crossed: a second process on the same results
//! directory, two runs that pick the same default directory, files that are not
//! regular files, input of megabytes on one line, jobs larger than the machine.

use crate::util::{SMALL_SCENARIO, cogov, write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `cogov run base.toml` with many replications into `out` and waits until
/// its partial directory holds some rows.
fn start_long_run(dir: &Path, out: &str) -> Child {
    let bin = assert_cmd::cargo::cargo_bin!("cogov");
    let child = Command::new(bin)
        .current_dir(dir)
        .args([
            "run",
            "base.toml",
            "-n",
            "100000",
            "-q",
            "-j",
            "1",
            "--out",
            out,
            // Its estimate of files may be above a small disk's free space; it is
            // stopped long before.
            "--allow-large",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let runs = dir.join(format!("{out}.partial/runs.csv"));
    let start = Instant::now();
    while std::fs::read_to_string(&runs).map_or(0, |t| t.lines().count()) < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

#[test]
fn a_second_writer_is_refused_naming_the_first_and_the_first_is_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    let mut first = start_long_run(tmp.path(), "d");
    let pid = first.id();
    for extra in [&["--resume"][..], &[][..]] {
        let out = cogov(tmp.path())
            .args(["run", "base.toml", "-n", "100000", "-q", "--out", "d"])
            .args(extra)
            .assert()
            .code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(&format!(
                "another cogov process (pid {pid}) is writing into `d.partial`"
            )),
            "{extra:?}: {stderr}"
        );
        assert!(!stderr.contains("interrupted"), "{stderr}");
    }
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first writer still runs"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    // Its lock died with it: the directory is now an interrupted run.
    let out = cogov(tmp.path())
        .args(["run", "base.toml", "-n", "100000", "-q", "--out", "d"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("add --resume") || stderr.contains("adding --resume"),
        "{stderr}"
    );
}

#[test]
fn runs_that_pick_the_same_default_directory_take_distinct_ones() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    // Started together, they compute the same dated name; the ones that lose the race
    // to create it move to the next name instead of failing or joining the winner.
    let bin = assert_cmd::cargo::cargo_bin!("cogov");
    let children: Vec<Child> = (0..3)
        .map(|_| {
            Command::new(bin)
                .current_dir(tmp.path())
                .args(["run", "base.toml", "-n", "2", "-q"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut dirs: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 3, "{dirs:?}");
    for d in &dirs {
        assert!(tmp.path().join(d).join("runs.csv").is_file(), "{d}");
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_input_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let made = Command::new("mkfifo")
        .arg(tmp.path().join("pipe.toml"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "child.toml",
        "extends = \"pipe.toml\"\nname = \"c\"\n",
    );
    write(
        tmp.path(),
        "sweep.toml",
        "scenario = \"pipe.toml\"\ndesign = \"grid\"\n[parameters]\n\"liability.clarity\" = [0.1]\n",
    );
    for args in [
        &["check", "pipe.toml"][..],
        &["run", "pipe.toml"],
        &["check", "child.toml"],
        &["sweep", "sweep.toml"],
        &["compare", "base.toml", "pipe.toml"],
    ] {
        let out = cogov(tmp.path())
            .args(args)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("it is a named pipe (FIFO), not a regular file"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_line_of_megabytes_gives_a_short_error_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "k".repeat(9_000_000);
    write(
        tmp.path(),
        "huge.toml",
        &format!("name = \"h\"\n{key} = 1\n"),
    );
    let out = cogov(tmp.path())
        .args(["check", "huge.toml"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2);
    let stderr = out.get_output().stderr.clone();
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());
    let text = String::from_utf8(stderr).unwrap();
    assert!(text.contains("unknown top-level key"), "{text}");
    assert!(text.contains("more characters)"), "{text}");
}

#[test]
fn a_long_scenario_name_runs_without_out() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "n".repeat(256);
    write(
        tmp.path(),
        "long.toml",
        &SMALL_SCENARIO.replace("name = \"small\"", &format!("name = \"{name}\"")),
    );
    cogov(tmp.path())
        .args(["check", "long.toml"])
        .assert()
        .success();
    let out = cogov(tmp.path())
        .args(["run", "long.toml", "-n", "1", "-q"])
        .assert()
        .success();
    let dir = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let dir = Path::new(dir.trim());
    assert!(
        tmp.path().join(dir).join("runs.csv").is_file(),
        "{}",
        dir.display()
    );
    assert!(dir.file_name().unwrap().len() < 100);
}

/// 4 million residents and 1,000 enterprises a grid: about 650 MB on two threads.
const MEMORY_BOMB: &str = r#"name = "bomb"
[district]
width = 40
height = 40
households_per_grid = 954
[community]
enterprises_per_grid = 1000.0
"#;

#[test]
fn a_job_above_the_memory_budget_is_refused_before_it_allocates_naming_what_to_reduce() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "bomb.toml", MEMORY_BOMB);
    let start = Instant::now();
    let out = cogov(tmp.path())
        .args([
            "run",
            "bomb.toml",
            "-j",
            "2",
            "--max-memory",
            "400M",
            "--out",
            "d",
        ])
        .assert()
        .code(2);
    assert!(start.elapsed() < Duration::from_secs(30));
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for part in [
        "more than --max-memory (419 MB)",
        "residents",
        "`district.households_per_grid`",
        // Organisations count, not only residents.
        "enterprises",
        "`community.enterprises_per_grid`",
        "--threads",
        "--allow-large",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(!tmp.path().join("d").exists() && !tmp.path().join("d.partial").exists());
    // A size that is not one is a usage error.
    cogov(tmp.path())
        .args(["run", "bomb.toml", "--max-memory", "lots"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected a size such as 8G"));
}

#[test]
fn a_huge_design_is_refused_before_its_points_are_made() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "huge.toml",
        r#"name = "huge"
scenario = "base.toml"
design = "grid"
[parameters]
"police.officers_per_10k" = { min = 1.0, max = 100.0, steps = 1000 }
"residents.system_legitimacy" = { min = 0.1, max = 0.9, steps = 100 }
"police.procedural_justice" = { min = 0.1, max = 0.9, steps = 100 }
"#,
    );
    let start = Instant::now();
    let out = cogov(tmp.path())
        .args(["sweep", "huge.toml", "--max-memory", "8G"])
        .assert()
        .code(2);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "refused before the design is made"
    );
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("the design's 10000000 points"), "{text}");
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn files_above_the_disk_budget_are_refused_and_allow_large_goes_ahead() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "long.toml",
        &SMALL_SCENARIO.replace("ticks = 30", "ticks = 20000"),
    );
    let out = cogov(tmp.path())
        .args([
            "run",
            "long.toml",
            "-n",
            "2",
            "--max-disk",
            "5M",
            "--out",
            "d",
        ])
        .assert()
        .code(2);
    let text = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("more than --max-disk (5.2 MB)"), "{text}");
    assert!(
        text.contains("timeseries.csv") && text.contains("--timeseries-every"),
        "{text}"
    );
    // Without the time series it fits; with --allow-large it runs as asked.
    for (extra, out) in [
        (&["--timeseries-every", "0"][..], "e"),
        (&["--allow-large"][..], "d"),
    ] {
        cogov(tmp.path())
            .args(["run", "long.toml", "-n", "2", "--max-disk", "5M", "-q"])
            .args(extra)
            .args(["--out", out])
            .assert()
            .success();
    }
    assert!(
        tmp.path()
            .join("d/timeseries.csv")
            .metadata()
            .unwrap()
            .len()
            > 5 << 20
    );
}
