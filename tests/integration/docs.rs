//! The generated reference documents match what the code prints today, so the docs
//! cannot drift from the parameter and metric tables.

use crate::util::{cogov, read, repo_path};

/// Checks that `doc` is its two header lines followed by exactly the output of
/// `cogov <args>`; on failure says how to regenerate it.
fn check_generated(doc: &str, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = cogov(dir.path()).args(args).output().unwrap();
    assert!(out.status.success());
    let live = String::from_utf8(out.stdout).unwrap();
    let text = read(&repo_path(doc));
    let body = text.splitn(3, '\n').nth(2).unwrap_or("");
    assert!(
        body == live,
        "{doc} is out of date: keep its first two lines and replace the rest with the output of `cargo run --release -q -- {}`",
        args.join(" ")
    );
}

#[test]
fn parameter_reference_is_current() {
    check_generated("docs/parameters.md", &["params", "--format", "markdown"]);
}

#[test]
fn metric_reference_is_current() {
    check_generated("docs/metrics.md", &["metrics", "--format", "markdown"]);
}

#[test]
fn civil_violence_references_are_current() {
    check_generated(
        "docs/civil-violence-parameters.md",
        &[
            "params",
            "--model",
            "civil_violence",
            "--format",
            "markdown",
        ],
    );
    check_generated(
        "docs/civil-violence-metrics.md",
        &[
            "metrics",
            "--model",
            "civil_violence",
            "--format",
            "markdown",
        ],
    );
}
