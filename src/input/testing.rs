//! Test helpers both file formats' tests use: judging a load against the
//! substrings its message must hold, and the expectation a test-data file states
//! on its first line.

use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

use super::diagnostic::ScenarioError;

/// With no `expect`ed substrings, `result` must be a success, which is returned;
/// otherwise it must be refused with a message holding every one of them (and no
/// trace of a panic).
pub(crate) fn verdict<T: Debug>(result: Result<T, ScenarioError>, expect: &[&str]) -> Option<T> {
    match (result, expect.is_empty()) {
        (Ok(s), true) => Some(s),
        (Ok(s), false) => panic!("expected an error holding {expect:?}, got {s:?}"),
        (Err(e), true) => panic!("expected success, got:\n{e}"),
        (Err(e), false) => {
            let text = e.to_string();
            for want in expect {
                assert!(text.contains(want), "missing {want:?} in:\n{text}");
            }
            assert!(!text.contains("panicked"));
            None
        }
    }
}

/// `result`, the load of `path`, must be refused with a message holding the
/// expectation `path` states on its first line.
pub(crate) fn refused_as_it_expects<T>(path: &Path, result: Result<T, ScenarioError>) {
    let want = expectation(path);
    match result {
        Ok(_) => panic!("{} loaded but should fail with {want:?}", path.display()),
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.contains(&want),
                "{}: missing {want:?} in:\n{text}",
                path.display()
            );
        }
    }
}

/// The `# expect: ...` substring on the first line of a test-data file.
pub(crate) fn expectation(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let first = text.lines().next().unwrap_or("");
    first
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{} must start with `# expect: `", path.display()))
        .trim()
        .to_string()
}

/// The `.toml` files under `tests/data/<folder>`, subfolders included, sorted.
pub(crate) fn data_files(folder: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(folder),
        &mut files,
    );
    files.sort();
    files
}
