//! Where results go when the user names no directory.

use super::UtcTime;
use std::path::{Path, PathBuf};

/// The directory a run writes to when the user names none:
/// `<parent>/<scenario name>-<UTC time, basic ISO 8601>`, with `-2`, `-3`, ... appended
/// if that name is already taken (two runs in the same second).
pub fn default_dir(parent: &Path, scenario_name: &str, time: UtcTime) -> PathBuf {
    let stem: String = scenario_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "run".to_string()
    } else {
        stem
    };
    let base = format!("{stem}-{}", time.compact());
    let mut candidate = parent.join(&base);
    let mut k = 2;
    while candidate.exists() {
        candidate = parent.join(format!("{base}-{k}"));
        k += 1;
    }
    candidate
}
