//! The scenario files shipped in `scenarios/` and the refusals in
//! `tests/data/malformed/`.
//!
//! Every shipped scenario passes `cogov check`; every malformed file is refused by both
//! `cogov check` and `cogov run` with exit code 2 and the message its first line
//! announces (`# expect: <substring>`), without a panic and without leaving results
//! behind. The reform files each change their own levers, `reform_combined.toml` is
//! exactly their union, and the built-in default is the baseline file.

use crate::util::{cogov, file_name, repo_path, toml_files};
use cogov::scenario::Scenario;
use cogov::schema::ParamValue;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scenario every reform and teaching file extends, and the built-in default.
const BASELINE: &str = "scenarios/tongxiang_baseline.toml";

/// Fewer files than this in `scenarios/` means the directory was not found or lost
/// files: the baseline, five reforms, their union and five teaching scenarios.
const MIN_SHIPPED_SCENARIOS: usize = 12;

/// Text that must never reach a user: signs of a panic instead of a message.
const PANIC_SIGNS: &[&str] = &["panicked", "RUST_BACKTRACE", "stack backtrace"];

/// The parameters a scenario changes from a reference, by path.
type Changes = BTreeMap<&'static str, ParamValue>;

fn load(path: &Path) -> Scenario {
    Scenario::load(path).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()))
}

/// The parameters whose values in `scenario` differ from those in `reference`.
fn changes(scenario: &Scenario, reference: &Scenario) -> Changes {
    scenario
        .params
        .values()
        .into_iter()
        .zip(reference.params.values())
        .filter(|((_, value), (_, base))| value != base)
        .map(|((path, value), _)| (path, value))
        .collect()
}

/// The shipped scenario files whose names start with `prefix`.
fn shipped(prefix: &str) -> Vec<PathBuf> {
    toml_files(&repo_path("scenarios"))
        .into_iter()
        .filter(|path| file_name(path).starts_with(prefix))
        .collect()
}

/// The substring a malformed file's first line, `# expect: <substring>`, announces.
fn expected_message(path: &Path) -> String {
    // Read bytes: a malformed file may not be UTF-8 after its first line.
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    match first_line.trim_end().strip_prefix("# expect: ") {
        Some(expect) if !expect.is_empty() => expect.to_string(),
        _ => panic!(
            "{}: the first line must be `# expect: <substring>`",
            path.display()
        ),
    }
}

/// What is wrong with a refusal of `file`: the exit code, stdout or stderr.
fn refusal_problems(file: &Path, output: &std::process::Output) -> Vec<String> {
    let name = file_name(file);
    let expect = expected_message(file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    if output.status.code() != Some(2) {
        problems.push(format!(
            "{name}: exit {:?}, expected 2",
            output.status.code()
        ));
    }
    if !stderr.contains(&expect) {
        problems.push(format!("{name}: stderr lacks `{expect}`:\n{stderr}"));
    }
    if !stderr.contains("error:") {
        problems.push(format!("{name}: stderr lacks `error:`:\n{stderr}"));
    }
    for sign in PANIC_SIGNS {
        if stderr.contains(sign) {
            problems.push(format!("{name}: stderr contains `{sign}`:\n{stderr}"));
        }
    }
    problems
}

#[test]
fn every_shipped_scenario_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let files = toml_files(&repo_path("scenarios"));
    for file in &files {
        let output = cogov(tmp.path()).arg("check").arg(file).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stdout.starts_with("ok:"),
            "{}: exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            file.display(),
            output.status.code()
        );
    }
    assert!(
        files.len() >= MIN_SHIPPED_SCENARIOS,
        "checked only {} scenario files",
        files.len()
    );
}

#[test]
fn check_refuses_every_malformed_file_with_its_expected_message() {
    let tmp = tempfile::tempdir().unwrap();
    let files = toml_files(&repo_path("tests/data/malformed"));
    assert!(!files.is_empty(), "no malformed files found");
    let mut problems = Vec::new();
    for file in &files {
        let output = cogov(tmp.path()).arg("check").arg(file).output().unwrap();
        problems.extend(refusal_problems(file, &output));
        if !output.stdout.is_empty() {
            let stdout = String::from_utf8_lossy(&output.stdout);
            problems.push(format!("{}: stdout not empty:\n{stdout}", file_name(file)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn run_refuses_every_malformed_file_and_writes_nothing() {
    let files = toml_files(&repo_path("tests/data/malformed"));
    assert!(!files.is_empty(), "no malformed files found");
    let mut problems = Vec::new();
    for file in &files {
        let tmp = tempfile::tempdir().unwrap();
        let results = tmp.path().join("res");
        let output = cogov(tmp.path())
            .arg("run")
            .arg(file)
            .args(["--replications", "1", "--out"])
            .arg(&results)
            .output()
            .unwrap();
        problems.extend(refusal_problems(file, &output));
        if results.exists() {
            problems.push(format!("{}: `res` was created", file_name(file)));
        }
        // Not even a `.partial-<pid>` directory: the scenario is refused first.
        let left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|entry| file_name(&entry.unwrap().path()))
            .collect();
        if !left.is_empty() {
            problems.push(format!("{}: left {left:?} behind", file_name(file)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn reform_combined_is_exactly_the_union_of_the_five_reforms() {
    let baseline = load(&repo_path(BASELINE));
    let reforms: Vec<PathBuf> = shipped("reform_")
        .into_iter()
        .filter(|path| file_name(path) != "reform_combined.toml")
        .collect();
    assert_eq!(reforms.len(), 5, "expected five reform files: {reforms:?}");

    let mut union = Changes::new();
    let mut owner: BTreeMap<&str, String> = BTreeMap::new();
    for path in &reforms {
        let name = file_name(path);
        for (param, value) in changes(&load(path), &baseline) {
            if let Some(other) = owner.insert(param, name.clone()) {
                panic!("{param} is changed by both {other} and {name}");
            }
            union.insert(param, value);
        }
    }
    let combined = changes(
        &load(&repo_path("scenarios/reform_combined.toml")),
        &baseline,
    );
    assert_eq!(
        combined, union,
        "reform_combined.toml (left) is not the union of the reform files (right)"
    );
}

#[test]
fn every_reform_changes_at_least_one_parameter() {
    let baseline = load(&repo_path(BASELINE));
    let reforms = shipped("reform_");
    assert!(!reforms.is_empty());
    for path in reforms {
        assert!(
            !changes(&load(&path), &baseline).is_empty(),
            "{} changes nothing",
            path.display()
        );
    }
}

#[test]
fn every_teaching_scenario_changes_something_and_says_what() {
    let baseline = load(&repo_path(BASELINE));
    let teaching = shipped("teach_");
    assert!(!teaching.is_empty());
    for path in teaching {
        let scenario = load(&path);
        assert!(
            !changes(&scenario, &baseline).is_empty(),
            "{} changes nothing",
            path.display()
        );
        assert!(
            !scenario.description.trim().is_empty(),
            "{} has no description",
            path.display()
        );
    }
}

#[test]
fn the_builtin_default_is_the_baseline_file() {
    assert_eq!(
        Scenario::builtin().params,
        load(&repo_path(BASELINE)).params
    );
}
