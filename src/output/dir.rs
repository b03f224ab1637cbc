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

/// The results directory of the most recent interrupted run of this experiment under
/// `parent`, for `--resume` without `--out`: among the `<DIR>.partial` directories
/// named as [`default_dir`] names `scenario_name`'s (the name, a time, perhaps `-N`),
/// the latest whose `plan.json` records the experiment `identity`
/// ([`super::plan::identity`]). Another scenario's directory whose name starts the
/// same, or a run of this scenario with other settings, is never picked.
pub fn latest_interrupted(parent: &Path, scenario_name: &str, identity: &str) -> Option<PathBuf> {
    let prefix = format!("{}-", stem(scenario_name));
    let mut found: Vec<String> = std::fs::read_dir(parent)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".partial").map(str::to_string))
        .filter(|n| n.strip_prefix(&prefix).is_some_and(is_time_and_suffix))
        .filter(|n| {
            super::plan::recorded_identity(&parent.join(format!("{n}.partial")))
                .is_some_and(|recorded| recorded == identity)
        })
        .collect();
    // The time sorts as text; `-10` after `-9` needs the suffix as a number.
    found.sort_by_key(|n| {
        let (time, suffix) = n[prefix.len()..].split_at(16);
        (
            time.to_string(),
            suffix.trim_start_matches('-').parse().unwrap_or(1u64),
        )
    });
    found.pop().map(|name| parent.join(name))
}

/// Whether `rest` is what follows the name in a default directory: a basic ISO 8601
/// time (`20260101T000000Z`), then perhaps `-N`.
fn is_time_and_suffix(rest: &str) -> bool {
    let (time, suffix) = rest.split_at_checked(16).unwrap_or((rest, "x"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let time_ok = time.len() == 16
        && digits(&time[..8])
        && &time[8..9] == "T"
        && digits(&time[9..15])
        && &time[15..] == "Z";
    time_ok && (suffix.is_empty() || suffix.strip_prefix('-').is_some_and(digits))
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
    fn the_latest_interrupted_run_of_the_same_experiment_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let ours = "a".repeat(64);
        assert_eq!(latest_interrupted(tmp.path(), "s", &ours), None);
        let partial = |name: &str, identity: Option<&str>| {
            let dir = tmp.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            if let Some(identity) = identity {
                let e = crate::output::store::tests::experiment(1, 1);
                let mut plan = crate::output::Plan::new(&e, crate::experiment::Shard::ALL, 0, None);
                plan.experiment_hash = identity.to_string();
                std::fs::write(dir.join(super::super::plan::PLAN_FILE), plan.to_json()).unwrap();
            }
        };
        partial("s-20260101T000000Z.partial", Some(&ours));
        partial("s-20260301T000000Z.partial", Some(&ours));
        partial("s-20260301T000000Z-2.partial", Some(&ours));
        // Later, but not ours: finished, another experiment, no plan, another
        // scenario whose name starts the same (`s-1`), a name cogov never makes.
        partial("s-20260501T000000Z", Some(&ours));
        partial("s-20260401T000000Z.partial", Some(&"b".repeat(64)));
        partial("s-20260402T000000Z.partial", None);
        partial("s-1-20270101T000000Z.partial", Some(&ours));
        partial("s-20270101T000000Zx.partial", Some(&ours));
        partial("s_other-20270101T000000Z.partial", Some(&ours));
        assert_eq!(
            latest_interrupted(tmp.path(), "s", &ours),
            Some(tmp.path().join("s-20260301T000000Z-2"))
        );
        partial("s-20260301T000000Z-10.partial", Some(&ours));
        assert_eq!(
            latest_interrupted(tmp.path(), "s", &ours),
            Some(tmp.path().join("s-20260301T000000Z-10")),
            "-10 comes after -2"
        );
        assert_eq!(
            latest_interrupted(tmp.path(), "s-1", &ours),
            Some(tmp.path().join("s-1-20270101T000000Z"))
        );
    }
}
