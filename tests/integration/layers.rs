//! The layering ARCHITECTURE.md states holds in the source: each module of `src/`
//! imports only the modules its layer may use, so no import goes up a layer and no
//! import circle can form. The check reads the production code of every file (test
//! modules and comments aside) for `crate::<module>` and `cogov::<module>` paths.

use crate::util::repo_path;
use std::collections::BTreeSet;
use std::path::Path;

/// Each library module and the modules it may import, lowest layer first. A model's
/// folder is named `model/<model>`; the binary (`main.rs`, `cli/`, `progress.rs`)
/// may import anything and is not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    ("stats", &[]),
    ("provenance", &[]),
    ("chart", &[]),
    ("sensitivity", &[]),
    ("schema", &[]),
    ("model/civil_violence", &["schema"]),
    ("model/co_governance", &["schema", "model/civil_violence"]),
    ("model", &["schema"]),
    ("experiment", &["model", "schema", "stats"]),
    ("runner", &["experiment", "model"]),
    ("input", &["model", "schema"]),
    ("scenario", &["input", "model", "schema"]),
    (
        "sweep",
        &["experiment", "input", "model", "scenario", "schema"],
    ),
    (
        "output",
        &[
            "experiment",
            "model",
            "provenance",
            "runner",
            "schema",
            "stats",
        ],
    ),
    ("driver", &["experiment", "output", "runner"]),
    (
        "budget",
        &["experiment", "model", "output", "runner", "stats"],
    ),
    (
        "report",
        &["chart", "experiment", "model", "output", "schema", "stats"],
    ),
    (
        "analysis",
        &[
            "experiment",
            "model",
            "output",
            "report",
            "schema",
            "sensitivity",
        ],
    ),
    (
        "workshop",
        &[
            "chart",
            "experiment",
            "model",
            "output",
            "runner",
            "scenario",
            "schema",
            "stats",
        ],
    ),
];

/// The module a source file belongs to, as named in [`ALLOWED`]; `None` for the
/// binary and the crate root.
fn module_of(relative: &str) -> Option<String> {
    let parts: Vec<&str> = relative.trim_end_matches(".rs").split('/').collect();
    match parts[0] {
        "main" | "lib" | "cli" | "progress" => None,
        // A folder of `model/` is a model; a file beside `mod.rs` is part of `model`.
        "model" if parts.len() > 2 => Some(format!("model/{}", parts[1])),
        first => Some(first.to_string()),
    }
}

/// The modules a file's production code names, in the same naming.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // The test module (`mod tests`, whatever its visibility) closes the production code.
    let code = text
        .lines()
        .take_while(|l| !(l.starts_with("mod tests") || l.contains(" mod tests {")));
    for line in code {
        let line = line.split("//").next().unwrap_or("");
        for prefix in ["crate::", "cogov::"] {
            for (at, _) in line.match_indices(prefix) {
                let rest = &line[at + prefix.len()..];
                let mut names = rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or("")
                    .split("::");
                let first = names.next().unwrap_or("");
                let name = match (first, names.next()) {
                    ("model", Some(m @ ("co_governance" | "civil_violence"))) => {
                        format!("model/{m}")
                    }
                    _ => first.to_string(),
                };
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_module_imports_above_its_layer() {
    let src = repo_path("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(module) = module_of(&relative) else {
            continue;
        };
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| panic!("{relative}: module `{module}` is not in ALLOWED"))
            .1;
        let text = std::fs::read_to_string(&file).unwrap();
        for import in imports(&text) {
            let own = import == module || module.starts_with(&format!("{import}/"));
            if !own && !allowed.contains(&import.as_str()) {
                wrong.push(format!("{relative} ({module}) imports {import}"));
            }
        }
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(
        wrong.is_empty(),
        "imports above their layer:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_imports_and_ignores_tests_and_comments() {
    let text = "use crate::model::co_governance::Params;\n// crate::cli\nfn f() { cogov::output::x(); }\n#[cfg(test)]\nmod tests {\n use crate::driver;\n}\n";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["model/co_governance", "output"]);
    let shared =
        "use crate::stats;\n#[cfg(test)]\npub(crate) mod tests {\n use crate::driver;\n}\n";
    let found: Vec<String> = imports(shared).into_iter().collect();
    assert_eq!(found, ["stats"]);
    assert_eq!(module_of("model/mod.rs").as_deref(), Some("model"));
    assert_eq!(
        module_of("model/civil_violence/world/torus.rs").as_deref(),
        Some("model/civil_violence")
    );
    assert_eq!(module_of("cli/merge.rs"), None);
}
