//! Helpers shared by the integration tests.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `cogov` binary under test, run in `dir` so nothing lands in the repository.
pub fn cogov(dir: &Path) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("cogov");
    cmd.current_dir(dir);
    cmd
}

/// A scenario small enough to run in a fraction of a second: 3 x 3 grids, 10 warm-up
/// days and 30 measured days.
pub const SMALL_SCENARIO: &str = r#"name = "small"
description = "A 3 x 3 district for tests"

[run]
ticks = 30
warmup_ticks = 10

[district]
width = 3
height = 3
"#;

/// Ticks per replication in [`SMALL_SCENARIO`], warm-up included.
pub const SMALL_TICKS: usize = 40;

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The text of a file, panicking with its path if it cannot be read.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A path inside the repository, whatever directory the test runs in.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The `.toml` files directly inside `dir`, sorted by name so failures read in a
/// stable order.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// The file name of `path`, for messages and name filters.
pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The data files of a results directory (everything but the manifest, which records
/// times and how the run was made), as (name, bytes); the report's charts under
/// `plots/` are named `plots/<file>`.
pub fn data_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for path in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.json")
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for (inner, bytes) in data_files(&path) {
                files.push((format!("{name}/{inner}"), bytes));
            }
        } else {
            files.push((name, std::fs::read(&path).unwrap()));
        }
    }
    files.sort();
    files
}

pub fn assert_same_data(a: &Path, b: &Path) {
    let (fa, fb) = (data_files(a), data_files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb));
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}
