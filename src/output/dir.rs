//! Where results go when the user names no directory.

use super::UtcTime;
use std::path::{Path, PathBuf};

/// The directory a run writes to when the user names none:
/// `<parent>/<scenario name>-<UTC time, basic ISO 8601>`, with `-2`, `-3`, ... appended
/// if that name is already taken (two runs in the same second).
pub fn default_dir(parent: &Path, scenario_name: &str, time: UtcTime) -> PathBuf {
    let stem = stem(scenario_name);
    next_free(&parent.join(format!("{stem}-{}", time.compact())))
}

/// `base`, or the first of `base-2`, `base-3`, ... that is free: neither it nor its
/// `.partial` exists. A default directory lost to a process that took the same name at
/// the same moment moves on to the next one.
pub fn next_free(base: &Path) -> PathBuf {
    let mut candidate = base.to_path_buf();
    let mut k = 2;
    while candidate.exists() || partial_of(&candidate).exists() {
        let mut name = base.as_os_str().to_owned();
        name.push(format!("-{k}"));
        candidate = PathBuf::from(name);
        k += 1;
    }
    candidate
}

/// The results directory of the most recent interrupted run of `scenario_name` under
/// `parent` (the one whose `<DIR>.partial` has the latest time in its name), for
/// `--resume` without `--out`.
pub fn latest_interrupted(parent: &Path, scenario_name: &str) -> Option<PathBuf> {
    let prefix = format!("{}-", stem(scenario_name));
    let mut found: Vec<String> = std::fs::read_dir(parent)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".partial").map(str::to_string))
        .filter(|n| {
            n.strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    found.sort();
    found.pop().map(|name| parent.join(name))
}

fn partial_of(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Most characters of a scenario's name in a default directory's name: with the time
/// and a suffix it stays far below the 255 bytes file systems allow.
const STEM_CHARS: usize = 64;

/// A name safe in a file name: letters and digits of any script (a Chinese name stays
/// Chinese), `-` and `_`; anything else is `_`; at most [`STEM_CHARS`] characters.
fn stem(scenario_name: &str) -> String {
    let stem: String = scenario_name
        .chars()
        .take(STEM_CHARS)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "run".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_dated_and_never_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let t = UtcTime::from_unix_seconds(0);
        let a = default_dir(tmp.path(), "my scenario", t);
        assert_eq!(a, tmp.path().join("my_scenario-19700101T000000Z"));
        std::fs::create_dir(partial_of(&a)).unwrap();
        let b = default_dir(tmp.path(), "my scenario", t);
        assert_eq!(b, tmp.path().join("my_scenario-19700101T000000Z-2"));
    }

    #[test]
    fn long_and_non_ascii_names_give_usable_directory_names() {
        let t = UtcTime::from_unix_seconds(0);
        let tmp = tempfile::tempdir().unwrap();
        let long = default_dir(tmp.path(), &"n".repeat(256), t);
        let name = long.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name, format!("{}-19700101T000000Z", "n".repeat(64)));
        std::fs::create_dir(&long).unwrap();
        let chinese = default_dir(tmp.path(), "桐乡 基线/改革", t);
        assert_eq!(chinese, tmp.path().join("桐乡_基线_改革-19700101T000000Z"));
        std::fs::create_dir(&chinese).unwrap();
        // Three-byte characters: 64 of them stay under 255 bytes with the time.
        let wide = default_dir(tmp.path(), &"桐".repeat(300), t);
        assert!(wide.file_name().unwrap().len() < 255);
        assert_eq!(
            next_free(&long),
            tmp.path()
                .join(format!("{}-19700101T000000Z-2", "n".repeat(64)))
        );
    }

    #[test]
    fn the_latest_interrupted_run_is_found_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(latest_interrupted(tmp.path(), "s"), None);
        for name in [
            "s-20260101T000000Z.partial",
            "s-20260301T000000Z.partial",
            "s-20260201T000000Z",
        ] {
            std::fs::create_dir(tmp.path().join(name)).unwrap();
        }
        std::fs::create_dir(tmp.path().join("s_other-20270101T000000Z.partial")).unwrap();
        assert_eq!(
            latest_interrupted(tmp.path(), "s"),
            Some(tmp.path().join("s-20260301T000000Z"))
        );
    }
}
