//! The command-line conveniences around the experiments: `--set`, `check` of
//! experiment files and `--diff`, the horizon warning of `compare`, `sweep --seed`,
//! `merge -q`, shell completions and the manual page, and the build recorded in the
//! manifest.

use crate::util::{SMALL_SCENARIO, cogov, read, write};
use predicates::prelude::*;
use std::path::Path;

/// A grid sweep of the small scenario over two officer levels.
const SMALL_SWEEP: &str = r#"name = "two"
scenario = "small.toml"
design = "grid"
replications = 2
[parameters]
"police.officers_per_10k" = [5.0, 15.0]
"#;

/// A scratch directory holding `files` (name, text).
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(tmp.path(), name, text);
    }
    tmp
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap()
}

#[test]
fn set_changes_a_parameter_as_a_file_would_and_refuses_what_a_file_would() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    cogov(tmp.path())
        .args(["run", "small.toml", "-n", "2", "-q", "--out", "a"])
        .args([
            "--set",
            "police.officers_per_10k=25",
            "--set",
            "run.ticks=20",
        ])
        .assert()
        .success();
    let m = manifest(&tmp.path().join("a"));
    assert_eq!(m["parameters"]["police"]["officers_per_10k"], 25.0);
    assert_eq!(m["parameters"]["run"]["ticks"], 20);
    assert_eq!(m["scenario"]["name"], "small");
    // A typo, a value out of range, a rule broken only by the two together, and a
    // setting that is not one: each refused with exit 2, nothing run.
    for (set, expected) in [
        (
            vec!["police.oficers_per_10k=25"],
            "did you mean `police.officers_per_10k`?",
        ),
        (
            vec!["police.officers_per_10k=2000"],
            "expected a value from 0 to 200",
        ),
        (
            vec![
                "police.community_role_share=0.7",
                "police.admin_burden_share=0.5",
            ],
            "must leave at least 5% of officer time",
        ),
        (vec!["officers"], "expected SECTION.KEY=VALUE"),
    ] {
        let mut cmd = cogov(tmp.path());
        cmd.args(["run", "small.toml", "-n", "1", "--out", "bad"]);
        for s in &set {
            cmd.args(["--set", s]);
        }
        cmd.assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
        assert!(!tmp.path().join("bad").exists(), "{set:?}");
    }
    // Together, two values that break the rule alone on defaults are fine.
    cogov(tmp.path())
        .args(["run", "small.toml", "-n", "1", "-q", "--out", "b"])
        .args(["--set", "police.community_role_share=0.7"])
        .args(["--set", "police.admin_burden_share=0.2"])
        .assert()
        .success();
}

#[test]
fn set_reaches_every_compared_scenario_and_the_sweep_s_scenario() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    write(
        tmp.path(),
        "reform.toml",
        "extends = \"small.toml\"\nname = \"reform\"\n[liability]\nclarity = 0.9\n",
    );
    cogov(tmp.path())
        .args(["compare", "small.toml", "reform.toml", "-n", "2", "-q"])
        .args(["--set", "run.ticks=12", "--out", "c"])
        .assert()
        .success();
    let m = manifest(&tmp.path().join("c"));
    assert_eq!(m["parameters"]["run"]["ticks"], 12);
    assert_eq!(m["reforms"][0]["parameters"]["run"]["ticks"], 12);
    assert_eq!(m["reforms"][0]["parameters"]["liability"]["clarity"], 0.9);

    write(tmp.path(), "sweep.toml", SMALL_SWEEP);
    cogov(tmp.path())
        .args([
            "sweep",
            "sweep.toml",
            "-q",
            "--set",
            "run.ticks=12",
            "--out",
            "s",
        ])
        .assert()
        .success();
    assert_eq!(
        manifest(&tmp.path().join("s"))["parameters"]["run"]["ticks"],
        12
    );
    cogov(tmp.path())
        .args(["sweep", "sweep.toml", "--set", "police.officers_per_10k=9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("varies `police.officers_per_10k`"));
}

#[test]
fn sweep_seed_sets_the_runs_seed_and_is_recorded() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO), ("sweep.toml", SMALL_SWEEP)]);
    for (out, seed) in [("a", "1"), ("b", "2")] {
        cogov(tmp.path())
            .args(["sweep", "sweep.toml", "-q", "--seed", seed, "--out", out])
            .assert()
            .success();
    }
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_ne!(read(&a.join("runs.csv")), read(&b.join("runs.csv")));
    assert_eq!(manifest(&b)["seed"], 2);
    assert_eq!(manifest(&b)["sweep"]["settings"]["design_seed"], 2);
    cogov(tmp.path())
        .args(["sweep", "sweep.toml", "--seed", "18446744073709551615"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("found 18446744073709551615"));
}

#[test]
fn check_of_an_experiment_file_prints_its_design_points_runs_and_estimate() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO), ("sweep.toml", SMALL_SWEEP)]);
    cogov(tmp.path())
        .args(["check", "sweep.toml"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "ok: two (sweep.toml; scenario small.toml)",
        ))
        .stdout(predicate::str::contains(
            "design: grid, 2 points x 2 replications = 4 runs",
        ))
        .stdout(predicate::str::contains(
            "estimate for `cogov sweep`: about ",
        ))
        .stdout(predicate::str::contains(
            "point,police.officers_per_10k\n0,5.0\n1,15.0\n",
        ));
    // An experiment file's problems are refused as the sweep would refuse them.
    write(
        tmp.path(),
        "bad.toml",
        &SMALL_SWEEP.replace("officers_per_10k", "oficers_per_10k"),
    );
    cogov(tmp.path())
        .args(["check", "bad.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:6:"));
}

#[test]
fn check_diff_prints_only_what_a_scenario_changes() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    write(
        tmp.path(),
        "reform.toml",
        "extends = \"small.toml\"\nname = \"reform\"\n[liability]\nclarity = 0.9\n",
    );
    let out = cogov(tmp.path())
        .args(["check", "--diff", "reform.toml"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("# reform differs from `small.toml` in 1 parameter\n\n[liability]\nclarity = 0.9  # was "),
        "{text}"
    );
    assert!(!text.contains("[district]"), "{text}");
    // Against the defaults for a scenario that extends nothing.
    cogov(tmp.path())
        .args(["check", "--diff", "small.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "differs from the co_governance model's defaults",
        ))
        .stdout(predicate::str::contains("width = 3  # was 6"));
}

#[test]
fn compare_warns_when_the_horizons_differ() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    write(
        tmp.path(),
        "short.toml",
        "extends = \"small.toml\"\nname = \"short\"\n[run]\nticks = 20\n",
    );
    write(
        tmp.path(),
        "same.toml",
        "extends = \"small.toml\"\nname = \"same\"\n[liability]\nclarity = 0.9\n",
    );
    cogov(tmp.path())
        .args(["compare", "small.toml", "short.toml", "same.toml", "-n", "2", "-q"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the scenarios' horizons differ: the baseline `small` has 10 warm-up and 30 measured days, but `short` (10 and 20) has",
        ));
    cogov(tmp.path())
        .args(["compare", "small.toml", "same.toml", "-n", "2", "-q"])
        .assert()
        .success()
        .stderr(predicate::str::contains("horizons").not());
}

#[test]
fn merge_quiet_prints_only_the_directory() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    for k in ["1/2", "2/2"] {
        let out = format!("s{}", &k[..1]);
        cogov(tmp.path())
            .args([
                "run",
                "small.toml",
                "-n",
                "4",
                "-q",
                "--shard",
                k,
                "--out",
                &out,
            ])
            .assert()
            .success();
    }
    cogov(tmp.path())
        .args(["merge", "s1", "s2", "-q", "--out", "m"])
        .assert()
        .success()
        .stdout("m\n");
}

#[test]
fn completions_and_the_manual_page_cover_the_commands() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = cogov(tmp.path())
            .args(["completions", shell])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for word in ["cogov", "sweep", "max-memory", "allow-large"] {
            assert!(text.contains(word), "{shell} lacks {word}");
        }
    }
    cogov(tmp.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
    let out = cogov(tmp.path()).arg("manpage").assert().success();
    let man = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(man.contains(".TH cogov 1"), "{}", &man[..200]);
    for command in ["run", "sweep", "compare", "merge", "check", "analyse"] {
        assert!(man.contains(&format!("cogov\\-{command}")), "{command}");
    }
}

#[test]
fn the_manifest_records_the_build_and_a_resume_by_another_build_is_refused() {
    let tmp = dir_with(&[("small.toml", SMALL_SCENARIO)]);
    cogov(tmp.path())
        .args(["run", "small.toml", "-n", "2", "-q", "--out", "a"])
        .assert()
        .success();
    let m = manifest(&tmp.path().join("a"));
    let build = &m["build"];
    assert_eq!(build["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(build["source_hash"].as_str().unwrap().len(), 16);
    assert!(build["rustc"].as_str().unwrap().starts_with("rustc "));
    assert!(!build["target"].as_str().unwrap().is_empty());
    assert_eq!(
        m["experiment"]["build"],
        format!(
            "{}+{}",
            build["version"].as_str().unwrap(),
            build["source_hash"].as_str().unwrap()
        )
    );
    // An interrupted run whose plan was written by another build is not continued.
    std::fs::create_dir(tmp.path().join("b.partial")).unwrap();
    let mut plan = m["experiment"].clone();
    plan["build"] = "0.1.0+0000000000000000".into();
    std::fs::write(
        tmp.path().join("b.partial/plan.json"),
        serde_json::to_string(&plan).unwrap(),
    )
    .unwrap();
    std::fs::write(tmp.path().join("b.partial/checkpoint.json"), "{}").unwrap();
    cogov(tmp.path())
        .args([
            "run",
            "small.toml",
            "-n",
            "2",
            "-q",
            "--out",
            "b",
            "--resume",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the program's code changed"));
}
