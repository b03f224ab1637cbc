//! Scenario files: reading them, following `extends`, and turning them into a
//! validated [`Scenario`] or a [`ScenarioError`] that says where each problem is.
//!
//! A scenario file is TOML: top-level `name`, `description`, `extends` and `model`,
//! and one `[section]` table per parameter group whose keys are parameters of that
//! model. Loading goes raw, then validated, and refuses in this order: the file cannot
//! be read; TOML syntax; an unknown model, or files of one chain naming different
//! models; unknown keys, wrong types and values out of range (all of them, per file);
//! broken rules that tie parameters together. See `docs/scenario-format.md`.
//!
//! Scenario files and experiment files are the two file formats, both built on
//! [`crate::input`] (reading a file, walking its TOML with spans, reading parameter
//! values, rendering diagnostics). This module owns the scenario file: its keys, the
//! `extends` chain (the only I/O here besides reading the named file) and merging the
//! chain; `raw.rs` walks one file. It does not own the parameters: their names,
//! types, ranges, units and cross-parameter rules live with each model (reached
//! through [`crate::model::Model`]), and nothing here knows a parameter by name.

pub(crate) mod raw;

pub use crate::input::diagnostic::{
    Diagnostic, ErrorKind, MAX_DIAGNOSTICS, Position, ScenarioError,
};
pub use crate::input::read::MAX_FILE_BYTES;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::input::diagnostic::place;
use crate::input::read::{FileKind, ReadError, read_text, strip_bom};
use crate::model::{Model, ModelParams};
use crate::schema::ParamValue;
use raw::ScenarioFile;

/// Longest `extends` chain, counting the named file.
pub const MAX_EXTENDS_DEPTH: usize = 32;

/// How a scenario file that cannot be read is reported.
const SCENARIO_FILE: FileKind = FileKind {
    noun: "scenario",
    example: "scenarios/tongxiang_baseline.toml",
};

/// One embedded scenario file: its name and text.
macro_rules! builtin_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/", $name)),
        )
    };
}

/// Scenario files embedded in the binary, so the default jobs work from any
/// directory: the baseline, the five reforms and their union, in the order of the
/// default comparison (baseline first). Names are file names in `scenarios/`; an
/// embedded file's `extends` is resolved among these.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    builtin_file!("tongxiang_baseline.toml"),
    builtin_file!("reform_change_concept.toml"),
    builtin_file!("reform_clarify_responsibility.toml"),
    builtin_file!("reform_define_rights.toml"),
    builtin_file!("reform_optimise_operations.toml"),
    builtin_file!("reform_improve_logistics.toml"),
    builtin_file!("reform_combined.toml"),
];

/// The teaching scenarios, embedded too: each moves one lever to make one point
/// (docs/levers.md), and the workshop page offers them as presets.
pub const TEACHING_FILES: &[(&str, &str)] = &[
    builtin_file!("teach_bystanders.toml"),
    builtin_file!("teach_fines_unclear_liability.toml"),
    builtin_file!("teach_fines_clear_liability.toml"),
    builtin_file!("teach_more_channels.toml"),
    builtin_file!("teach_more_officers.toml"),
];

/// Every embedded scenario file: the default job's, then the teaching ones.
fn embedded() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    BUILTIN_FILES.iter().chain(TEACHING_FILES)
}

/// The names of every embedded scenario file ([`Scenario::builtin_file`] loads one).
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    embedded().map(|(name, _)| *name)
}

/// How an embedded file is named in messages.
const BUILTIN_PREFIX: &str = "<builtin>/scenarios/";

/// A validated scenario: every parameter in range and every cross-parameter rule met.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The top-level `name` of the named file, else its file stem; `"builtin"` for the
    /// built-in default without a name. Not inherited through `extends`.
    pub name: String,
    /// The top-level `description` of the named file, else `""`. Not inherited.
    pub description: String,
    /// The model's defaults, overridden by the last base in the chain, ..., then the
    /// named file. The model is the one the files name (`model = "..."`; they must
    /// agree), else the co-governance model.
    pub params: ModelParams,
    /// The files read: the named file first, then what it extends, in order. Text
    /// given to [`Scenario::parse`] is not a file, so only its bases are listed.
    pub files: Vec<PathBuf>,
}

impl Scenario {
    /// Reads, resolves `extends` chains and validates a scenario file.
    ///
    /// `extends` paths are relative to the directory of the file that contains them.
    ///
    /// # Errors
    /// [`ScenarioError`] listing every problem found (up to [`MAX_DIAGNOSTICS`]), each
    /// with file, line, column, key, what was expected and what was found: a file
    /// missing, unreadable, a directory or not UTF-8; TOML syntax; unknown keys; values
    /// of the wrong type or out of range; an `extends` target missing, a cycle or a
    /// chain deeper than [`MAX_EXTENDS_DEPTH`]; a broken cross-parameter rule.
    ///
    /// # Examples
    /// ```
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tongxiang_baseline.toml");
    /// let scenario = cogov::scenario::Scenario::load(std::path::Path::new(path)).unwrap();
    /// assert_eq!(scenario.name, "tongxiang_baseline");
    /// ```
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let shown = path.display().to_string();
        let text = read_text(path)
            .map_err(|e| ScenarioError::new(vec![e.diagnostic(&shown, SCENARIO_FILE)]))?;
        let root = Input {
            named_at: None,
            shown,
            path: Some(path.to_path_buf()),
            canonical: std::fs::canonicalize(path).ok(),
            dir: Some(parent_dir(path)),
            text,
        };
        resolve(root, &stem_or(path, "scenario"))
    }

    /// Reads a scenario from text already in memory.
    ///
    /// `origin` names the text in messages (a path, `<stdin>`, ...) and gives the
    /// default name; `base_dir` is where `extends` is resolved (`None` refuses
    /// `extends` with a message saying why).
    ///
    /// # Errors
    /// As [`Scenario::load`], without the errors of reading the named file.
    ///
    /// # Examples
    /// ```
    /// use cogov::scenario::Scenario;
    /// let s = Scenario::parse("[police]\nofficers_per_10k = 12\n", "inline.toml", None).unwrap();
    /// assert_eq!(s.params.co_governance().unwrap().police.officers_per_10k, 12.0);
    /// assert_eq!(s.name, "inline");
    ///
    /// let err = Scenario::parse("[police]\nofficers_per_10k = 900\n", "inline.toml", None)
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("error: inline.toml:2:20: `police.officers_per_10k`"));
    /// ```
    pub fn parse(
        text: &str,
        origin: &str,
        base_dir: Option<&Path>,
    ) -> Result<Scenario, ScenarioError> {
        let root = Input {
            named_at: None,
            shown: origin.to_string(),
            path: None,
            canonical: None,
            dir: base_dir.map(Path::to_path_buf),
            text: strip_bom(text).to_string(),
        };
        resolve(root, &stem_or(Path::new(origin), origin))
    }

    /// The built-in default: `scenarios/tongxiang_baseline.toml`, embedded in the binary.
    ///
    /// # Panics
    /// Only if the embedded file is invalid, which a unit test rules out.
    pub fn builtin() -> Scenario {
        match Scenario::builtin_file("tongxiang_baseline.toml") {
            Some(Ok(scenario)) => scenario,
            Some(Err(e)) => panic!("the built-in scenario is invalid:\n{e}"),
            None => panic!("the built-in baseline is not embedded"),
        }
    }

    /// One of the embedded files ([`BUILTIN_FILES`], [`TEACHING_FILES`]) by file
    /// name, or `None` if no such file is embedded.
    ///
    /// # Errors
    /// As [`Scenario::parse`]; a unit test checks every embedded file loads.
    pub fn builtin_file(name: &str) -> Option<Result<Scenario, ScenarioError>> {
        let (name, text) = embedded().find(|(n, _)| *n == name)?;
        let root = Input {
            named_at: None,
            shown: format!("{BUILTIN_PREFIX}{name}"),
            path: None,
            canonical: None,
            dir: None,
            text: strip_bom(text).to_string(),
        };
        Some(resolve(root, &stem_or(Path::new(name), name)))
    }

    /// The model the scenario runs.
    pub fn model(&self) -> Model {
        self.params.model()
    }

    /// Canonical text of the resolved scenario: `name`, `description`, `model`, then
    /// every parameter (see [`ModelParams::to_toml`]). `extends` is already applied, so
    /// the text stands alone and parses back to the same scenario.
    pub fn resolved_toml(&self) -> String {
        format!(
            "name = {}\ndescription = {}\nmodel = {}\n\n{}",
            toml_string(&self.name),
            toml_string(&self.description),
            toml_string(self.model().name()),
            self.params.to_toml()
        )
    }

    /// This scenario with some parameters changed, checked exactly as a file is:
    /// returns the new scenario and its standalone text (what `cogov check` accepts
    /// and what reproduces it), or the same messages `cogov check` would give,
    /// located in that text under the name `origin`.
    ///
    /// `changes` are (dotted path, value written as TOML: `0.9`, `true`,
    /// `"printed"`). The text is [`Scenario::resolved_toml`] with each changed line
    /// rewritten in place; a path the model does not have is added to its section (or
    /// a new one), so the check refuses it with its usual "did you mean". `name`
    /// renames the scenario. This is how a caller that is not a file (the workshop
    /// page's levers) builds a scenario without a second set of checks.
    ///
    /// # Errors
    /// Any value out of range or of the wrong type, an unknown path, a broken
    /// cross-parameter rule: a [`ScenarioError`] naming the path.
    ///
    /// # Examples
    /// ```
    /// use cogov::scenario::Scenario;
    /// let base = Scenario::builtin();
    /// let (s, text) = base
    ///     .with_changes("clear", &[("liability.clarity".into(), "0.9".into())], "request.toml")
    ///     .unwrap();
    /// assert_eq!(s.params.get("liability.clarity").unwrap().to_string(), "0.9");
    /// assert_eq!(Scenario::parse(&text, "again.toml", None).unwrap().params, s.params);
    /// let err = base
    ///     .with_changes("bad", &[("liability.clarity".into(), "7".into())], "request.toml")
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("`liability.clarity`"));
    /// ```
    pub fn with_changes(
        &self,
        name: &str,
        changes: &[(String, String)],
        origin: &str,
    ) -> Result<(Scenario, String), ScenarioError> {
        let mut lines: Vec<String> = format!(
            "name = {}\ndescription = {}\nmodel = {}\n\n{}",
            toml_string(name),
            toml_string(&self.description),
            toml_string(self.model().name()),
            self.params.to_toml()
        )
        .lines()
        .map(str::to_string)
        .collect();
        for (path, value) in changes {
            let (section, key) = path.rsplit_once('.').unwrap_or(("", path));
            let value = value.replace(['\n', '\r'], " ");
            let header = format!("[{section}]");
            let start = lines.iter().position(|l| *l == header);
            let Some(start) = start else {
                lines.push(String::new());
                lines.push(header);
                lines.push(format!("{} = {value}", toml_key(key)));
                continue;
            };
            let end = lines[start + 1..]
                .iter()
                .position(|l| l.starts_with('['))
                .map_or(lines.len(), |k| start + 1 + k);
            let prefix = format!("{key} = ");
            match (start + 1..end).find(|&i| lines[i].starts_with(&prefix)) {
                Some(i) => lines[i] = format!("{key} = {value}"),
                None => lines.insert(end, format!("{} = {value}", toml_key(key))),
            }
        }
        let mut text = lines.join("\n");
        text.push('\n');
        let scenario = Scenario::parse(&text, origin, None)?;
        Ok((scenario, text))
    }

    /// The scenario with command-line settings applied (`--set section.key=VALUE`,
    /// each a dotted path and a TOML value; a value that is not TOML, such as `moore`,
    /// is read as a string). Each setting is first checked alone, as a one-line
    /// scenario named after it, so a typo or a value out of range is refused naming
    /// the setting; then all are applied together to the scenario and the rules that
    /// tie parameters together are checked (an error then points into the scenario's
    /// resolved text, named `--set`). The name, description and files stay the scenario's.
    ///
    /// # Errors
    /// A [`ScenarioError`] as a scenario file would give, its origin the `--set`.
    ///
    /// # Examples
    /// ```
    /// use cogov::scenario::Scenario;
    /// let base = Scenario::builtin();
    /// let s = base.with_settings(&[("police.officers_per_10k".into(), "20".into())]).unwrap();
    /// assert_eq!(s.params.get("police.officers_per_10k").unwrap().to_string(), "20.0");
    /// assert_eq!(s.name, base.name);
    /// let err = base.with_settings(&[("police.oficers_per_10k".into(), "20".into())]).unwrap_err();
    /// assert!(err.to_string().contains("did you mean `police.officers_per_10k`?"));
    /// ```
    pub fn with_settings(&self, settings: &[(String, String)]) -> Result<Scenario, ScenarioError> {
        let literal = |value: &str| {
            if format!("v = {value}").parse::<toml::Table>().is_ok() {
                value.to_string()
            } else {
                toml_string(value)
            }
        };
        let mut problems = Vec::new();
        for (path, value) in settings {
            let origin = format!("--set {path}={value}");
            // The setting on line 1, where the message will point.
            let text = format!(
                "{path} = {}\nmodel = {}\n",
                literal(value),
                toml_string(self.model().name())
            );
            // Rules between parameters are checked below, with every setting and the
            // scenario's own values; alone, on defaults, they would mislead.
            if let Err(e) = Scenario::parse(&text, &origin, None) {
                problems.extend(
                    e.diagnostics()
                        .iter()
                        .filter(|d| d.kind != ErrorKind::Constraint)
                        .cloned(),
                );
            }
        }
        if !problems.is_empty() {
            return Err(ScenarioError::new(problems));
        }
        let changes: Vec<(String, String)> = settings
            .iter()
            .map(|(path, value)| (path.clone(), literal(value)))
            .collect();
        let (mut scenario, _) = self.with_changes(&self.name, &changes, "--set")?;
        scenario.files.clone_from(&self.files);
        Ok(scenario)
    }

    /// Hex SHA-256 of [`Scenario::resolved_toml`] (name, description and every
    /// parameter): equal for scenarios with the same name, description and values,
    /// whatever files and `extends` produced them.
    pub fn hash(&self) -> String {
        let digest = Sha256::digest(self.resolved_toml().as_bytes());
        let mut out = String::with_capacity(64);
        for byte in digest.iter() {
            let _ = write!(out, "{byte:02x}");
        }
        out
    }
}

/// One text to parse, and where it came from.
struct Input {
    /// The name shown in messages.
    shown: String,
    /// The file, if the text was read from one.
    path: Option<PathBuf>,
    /// The canonical path, for cycle detection.
    canonical: Option<PathBuf>,
    /// Where its `extends` is resolved.
    dir: Option<PathBuf>,
    text: String,
    /// For a base, where the file that extends it names it (`child.toml:1:11`).
    named_at: Option<String>,
}

/// One file of the chain, parsed.
struct Parsed {
    input: Input,
    file: ScenarioFile,
}

/// Follows the `extends` chain from `root`, merges it and validates the result.
fn resolve(root: Input, default_name: &str) -> Result<Scenario, ScenarioError> {
    let mut problems = Vec::new();
    let mut chain = read_chain(root, &mut problems);
    if !problems.is_empty() {
        return Err(refused(&chain, problems));
    }
    let model = chain_model(&chain, &mut problems);
    if !problems.is_empty() {
        return Err(refused(&chain, problems));
    }
    for parsed in &mut chain {
        parsed
            .file
            .read_parameters(&parsed.input.text, &parsed.input.shown, model);
        problems.append(&mut parsed.file.problems);
    }
    if !problems.is_empty() {
        return Err(refused(&chain, problems));
    }
    let Some(named) = chain.first() else {
        return Err(refused(&chain, problems));
    };

    // The writer of each path: the child-most file that sets it.
    let mut setters: BTreeMap<&'static str, (usize, ParamValue, Range<usize>)> = BTreeMap::new();
    for (index, parsed) in chain.iter().enumerate().rev() {
        for v in &parsed.file.values {
            setters.insert(v.path, (index, v.value, v.span.clone()));
        }
    }
    let at = |path: &str, message: String, kind: ErrorKind| match setters.get(path) {
        Some((index, _, span)) => {
            let input = &chain[*index].input;
            Diagnostic::at(
                kind,
                &input.shown,
                &input.text,
                span.clone(),
                Some(path),
                message,
            )
        }
        None => Diagnostic::in_file(kind, &named.input.shown, Some(path), message),
    };

    let mut params = model.default_params();
    for (path, (_, value, _)) in &setters {
        // Every value passed its check while the file was read; this cannot fail.
        if let Err(e) = params.set(path, *value) {
            problems.push(at(path, format!("`{path}`: {e}"), ErrorKind::OutOfRange));
        }
    }
    for broken in params.validate() {
        let first_set = broken.paths.iter().find(|p| setters.contains_key(*p));
        let mut d = match first_set {
            Some(path) => at(
                path,
                format!("`{path}`: {}", broken.message),
                ErrorKind::Constraint,
            ),
            None => Diagnostic::in_file(
                ErrorKind::Constraint,
                &named.input.shown,
                broken.paths.first().copied(),
                format!("{} (all default values)", broken.message),
            ),
        };
        for path in broken.paths.iter().filter(|p| Some(*p) != first_set) {
            let value = params.get(path).map_or_else(String::new, |v| v.to_string());
            d = match setters.get(path) {
                Some((index, _, span)) => {
                    let input = &chain[*index].input;
                    let at = place(&input.shown, &input.text, span.start);
                    d.note(format!("`{path}` = {value}, set at {at}"))
                }
                None => d.note(format!("`{path}` = {value} (default)")),
            };
        }
        problems.push(d);
    }
    if !problems.is_empty() {
        return Err(refused(&chain, problems));
    }

    let named_file = &named.file;
    Ok(Scenario {
        name: named_file
            .name
            .as_ref()
            .map_or_else(|| default_name.to_string(), |n| n.value.clone()),
        description: named_file
            .description
            .as_ref()
            .map_or_else(String::new, |d| d.value.clone()),
        params,
        files: chain.iter().filter_map(|p| p.input.path.clone()).collect(),
    })
}

/// The error of a refused chain: each problem found in a base says where the file
/// that extends it names it.
fn refused(chain: &[Parsed], mut problems: Vec<Diagnostic>) -> ScenarioError {
    for d in &mut problems {
        let named_at = chain
            .iter()
            .find(|p| p.input.shown == d.file)
            .and_then(|p| p.input.named_at.as_ref());
        if let Some(at) = named_at {
            d.notes
                .push(format!("note: `{}` is extended at {at}", d.file));
        }
    }
    ScenarioError::new(problems)
}

/// Parses `root` and every file it extends, child first. Problems go to `problems`;
/// the chain stops at the first file that cannot be read or parsed.
fn read_chain(root: Input, problems: &mut Vec<Diagnostic>) -> Vec<Parsed> {
    let mut chain: Vec<Parsed> = Vec::new();
    let mut next = Some(root);
    while let Some(input) = next.take() {
        let mut file = match ScenarioFile::parse(&input.text, &input.shown) {
            Ok(file) => file,
            Err(d) => {
                problems.push(*d);
                break;
            }
        };
        problems.append(&mut file.problems);
        let extends = file.extends.clone();
        chain.push(Parsed { input, file });
        if let Some(extends) = extends {
            next = follow(&chain, &extends, problems);
        }
    }
    chain
}

/// The model of a chain: the one its files name, else the co-governance model. A file
/// naming a different model from its base's is a problem, located at its `model`.
fn chain_model(chain: &[Parsed], problems: &mut Vec<Diagnostic>) -> Model {
    // Base first, so each file is checked against the model it inherits.
    let mut chosen: Option<(Model, &Parsed)> = None;
    for parsed in chain.iter().rev() {
        let Some((model, span)) = &parsed.file.model else {
            continue;
        };
        match chosen {
            Some((inherited, base)) if inherited != *model => {
                problems.push(
                    Diagnostic::at(
                        ErrorKind::Constraint,
                        &parsed.input.shown,
                        &parsed.input.text,
                        span.clone(),
                        Some("model"),
                        format!(
                            "`model`: this file says \"{model}\" but its base {} says \"{inherited}\"",
                            base.input.shown
                        ),
                    )
                    .help("a scenario runs the model of its bases; remove `model` here or extend a scenario of that model"),
                );
            }
            Some(_) => {}
            None => chosen = Some((*model, parsed)),
        }
    }
    chosen.map_or(Model::CoGovernance, |(model, _)| model)
}

/// Opens the base named by `extends` in the last file of `chain`, or records why not.
fn follow(
    chain: &[Parsed],
    extends: &crate::input::toml::Located,
    problems: &mut Vec<Diagnostic>,
) -> Option<Input> {
    let from = &chain.last()?.input;
    let refuse = |message: String| {
        Diagnostic::at(
            ErrorKind::Extends,
            &from.shown,
            &from.text,
            extends.span.clone(),
            Some("extends"),
            message,
        )
    };
    let target_text = &extends.value;
    if from.shown.starts_with(BUILTIN_PREFIX) {
        if chain.len() >= MAX_EXTENDS_DEPTH {
            problems.push(refuse(format!(
                "`extends`: the chain is longer than {MAX_EXTENDS_DEPTH} files: {}",
                chain_text(chain)
            )));
            return None;
        }
        let Some((name, text)) = embedded().find(|(n, _)| n == target_text) else {
            problems.push(refuse(format!(
                "`extends`: `{target_text}` is not one of the embedded scenario files"
            )));
            return None;
        };
        return Some(Input {
            shown: format!("{BUILTIN_PREFIX}{name}"),
            path: None,
            canonical: None,
            dir: None,
            text: strip_bom(text).to_string(),
            named_at: Some(place(&from.shown, &from.text, extends.span.start)),
        });
    }
    let Some(dir) = &from.dir else {
        problems.push(
            refuse(format!(
                "`extends`: cannot resolve `{target_text}`: this scenario was not read from a file, so there is no directory to resolve it against"
            ))
            .help("write the scenario to a file and load that, or give a base directory"),
        );
        return None;
    };
    let target = dir.join(target_text);
    let shown = target.display().to_string();
    if chain.len() >= MAX_EXTENDS_DEPTH {
        problems.push(refuse(format!(
            "`extends`: the chain is longer than {MAX_EXTENDS_DEPTH} files: {} -> {shown}",
            chain_text(chain)
        )));
        return None;
    }
    let canonical = std::fs::canonicalize(&target).ok();
    if let Some(canonical) = &canonical
        && chain
            .iter()
            .any(|p| p.input.canonical.as_ref() == Some(canonical))
    {
        problems.push(
            refuse(format!(
                "`extends` forms a cycle: {} -> {shown}",
                chain_text(chain)
            ))
            .help("a scenario cannot extend itself, directly or through its bases"),
        );
        return None;
    }
    let named_at = place(&from.shown, &from.text, extends.span.start);
    let text = match read_text(&target) {
        Ok(text) => text,
        // These are problems of the base file itself: report them there.
        Err(e @ (ReadError::NotUtf8 { .. } | ReadError::TooLarge)) => {
            problems.push(
                e.diagnostic(&shown, SCENARIO_FILE)
                    .note(format!("`{shown}` is extended at {named_at}")),
            );
            return None;
        }
        Err(e) => {
            problems.push(refuse(format!(
                "`extends`: cannot read `{shown}`: {}",
                e.reason()
            )));
            return None;
        }
    };
    Some(Input {
        shown,
        dir: Some(parent_dir(&target)),
        path: Some(target),
        canonical,
        text,
        named_at: Some(named_at),
    })
}

/// The chain so far as `a.toml -> b.toml`.
fn chain_text(chain: &[Parsed]) -> String {
    chain
        .iter()
        .map(|p| p.input.shown.as_str())
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// The directory `extends` in `path` is resolved against.
fn parent_dir(path: &Path) -> PathBuf {
    path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
}

/// The file stem of `path`, or `fallback`.
fn stem_or(path: &Path, fallback: &str) -> String {
    path.file_stem().map_or_else(
        || fallback.to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// `s` as a TOML basic string. Written here, not by a TOML library, so the resolved
/// text (and its hash) does not change with a library's formatting choices.
/// A TOML key as written: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::testing::{data_files, refused_as_it_expects, verdict};
    use crate::model::co_governance::params::Params;

    impl Scenario {
        /// The co-governance parameters these tests read.
        fn cg(&self) -> &Params {
            self.params
                .co_governance()
                .expect("a co-governance scenario")
        }
    }
    use std::fs;

    #[test]
    fn changes_are_checked_as_a_file_is_and_the_text_reproduces_the_scenario() {
        let base = Scenario::builtin();
        let change = |path: &str, value: &str| vec![(path.to_string(), value.to_string())];
        // Accepted: the value is set, nothing else moves, the text stands alone.
        let (s, text) = base
            .with_changes(
                "clear \"liability\"",
                &change("liability.clarity", "0.9"),
                "request",
            )
            .unwrap();
        assert_eq!(s.cg().liability.clarity, 0.9);
        assert_eq!(s.name, "clear \"liability\"");
        let mut expected = base.cg().clone();
        expected.liability.clarity = 0.9;
        assert_eq!(s.cg(), &expected);
        let again = Scenario::parse(&text, "download.toml", None).unwrap();
        assert_eq!(
            (again.params, again.name),
            (s.params.clone(), s.name.clone())
        );
        // No changes: the base itself.
        let (same, _) = base.with_changes(&base.name, &[], "request").unwrap();
        assert_eq!(same.hash(), base.hash());
        // Refused with the messages `cogov check` gives, located in the request.
        let refused = |path: &str, value: &str| {
            base.with_changes("x", &change(path, value), "request")
                .unwrap_err()
                .to_string()
        };
        let out_of_range = refused("liability.clarity", "7");
        assert!(out_of_range.contains("request:"), "{out_of_range}");
        assert!(
            out_of_range.contains("`liability.clarity`"),
            "{out_of_range}"
        );
        assert!(refused("liability.clarity", "\"high\"").contains("`liability.clarity`"));
        assert!(refused("liability.clarty", "0.5").contains("did you mean `liability.clarity`?"));
        assert!(refused("nowhere.clarity", "0.5").contains("nowhere"));
        // A value cannot smuggle in more lines.
        assert!(
            base.with_changes(
                "x",
                &change("liability.clarity", "0.5\n[police]\nofficers_per_10k = 900"),
                "request"
            )
            .is_err()
        );
    }

    /// Parses `input` as `test.toml`. With no `expect`ed substrings it must load;
    /// otherwise it must be refused with a message holding every one of them.
    fn check(input: &str, expect: &[&str]) -> Option<Scenario> {
        verdict(Scenario::parse(input, "test.toml", None), expect)
    }

    /// Writes `files` (name, text) into a fresh directory and loads the first one,
    /// then judges as [`check`] does.
    fn check_files(files: &[(&str, &str)], expect: &[&str]) -> Option<Scenario> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        verdict(Scenario::load(&dir.path().join(files[0].0)), expect)
    }

    #[test]
    fn a_valid_file_overrides_defaults() {
        let s = check(
            "name = \"small\"\ndescription = \"d\"\n[police]\nofficers_per_10k = 12.5\n[district]\nwidth = 3\n",
            &[],
        )
        .unwrap();
        assert_eq!(s.name, "small");
        assert_eq!(s.description, "d");
        assert_eq!(s.cg().police.officers_per_10k, 12.5);
        assert_eq!(s.cg().district.width, 3);
        assert_eq!(s.cg().district.height, Params::default().district.height);
        assert!(s.files.is_empty());
    }

    #[test]
    fn name_defaults_to_the_stem_and_description_to_empty() {
        let s = check("", &[]).unwrap();
        assert_eq!((s.name.as_str(), s.description.as_str()), ("test", ""));
        assert_eq!(s.params, ModelParams::CoGovernance(Params::default()));
    }

    #[test]
    fn integers_are_read_as_reals_and_dotted_keys_and_inline_tables_work() {
        let s = check(
            "police.officers_per_10k = 12\nliability = { clarity = 1 }\n",
            &[],
        )
        .unwrap();
        assert_eq!(s.cg().police.officers_per_10k, 12.0);
        assert_eq!(s.cg().liability.clarity, 1.0);
    }

    #[test]
    fn unknown_keys_are_refused_with_suggestions() {
        check(
            "[liability]\nclarty = 0.5\n",
            &[
                "error: test.toml:2:1: unknown parameter `liability.clarty`",
                "help: did you mean `liability.clarity`?",
                "help: `cogov params` lists every parameter",
            ],
        );
        check(
            "[polise]\nofficers_per_10k = 1\n",
            &[
                "test.toml:1:2: unknown section `[polise]`",
                "did you mean `[police]`?",
            ],
        );
        check(
            "[police]\nclarity = 0.5\n",
            &[
                "unknown parameter `police.clarity`",
                "did you mean `liability.clarity`?",
            ],
        );
        check(
            "officers_per_10k = 12\n",
            &[
                "test.toml:1:1: unknown top-level key `officers_per_10k`",
                "under `[police]`, or `police.officers_per_10k` at the top",
            ],
        );
        check(
            "extend = \"a.toml\"\n",
            &["unknown top-level key `extend`", "did you mean `extends`?"],
        );
        check(
            "[police.extra]\nx = 1\n",
            &[
                "unknown parameter `police.extra`",
                "tables nested deeper than `[police]`",
            ],
        );
    }

    #[test]
    fn wrong_types_are_refused_naming_expected_and_found() {
        check(
            "[police]\nofficers_per_10k = \"12\"\n",
            &[
                "test.toml:2:20: `police.officers_per_10k`: expected a number from 0 to 200 (officers per 10,000 residents), found the string \"12\"",
                "help: remove the quotes: `officers_per_10k = 12`",
            ],
        );
        check(
            "[police]\nofficers_per_10k = true\n",
            &["found the boolean true"],
        );
        check(
            "[police]\nofficers_per_10k = [1, 2]\n",
            &["test.toml:2:20:", "found an array"],
        );
        check(
            "[police]\nofficers_per_10k = 1979-05-27\n",
            &["found the date-time 1979-05-27"],
        );
        check(
            "[police]\nofficers_per_10k = { a = 1 }\n",
            &["found a table", "nested deeper"],
        );
        check(
            "[district]\nwidth = 6.5\n",
            &["`district.width`: expected an integer from 1 to 2000 (grids), found the float 6.5"],
        );
        check(
            "[district]\nwidth = 6.0\n",
            &[
                "found the float 6.0",
                "help: write a whole number without a decimal point: `6`",
            ],
        );
        check(
            "police = 3\n",
            &["`police`: expected a table of parameters (`[police]`), found the integer 3"],
        );
        check(
            "name = 3\n",
            &["test.toml:1:8: `name`: expected a string, found the integer 3"],
        );
        check("name = \"\"\n", &["`name`: expected a non-empty name"]);
    }

    #[test]
    fn values_out_of_range_are_refused() {
        check(
            "[police]\nofficers_per_10k = 900\n",
            &[
                "error: test.toml:2:20: `police.officers_per_10k`: expected a value from 0 to 200 (officers per 10,000 residents), found 900.0\n  |\n2 | officers_per_10k = 900\n  |                    ^^^",
            ],
        );
        check(
            "[run]\nticks = -5\n",
            &["`run.ticks`: expected a value from 1 to 100000 (days), found -5"],
        );
        check(
            "[run]\nseed = 99999999999999999999\n",
            &[
                "`run.seed`",
                "found 99999999999999999999, which does not fit in 64 bits",
            ],
        );
        check("[liability]\nclarity = nan\n", &["found NaN"]);
    }

    #[test]
    fn every_key_level_problem_is_reported() {
        let input = "[police]\nofficers_per_10k = 900\nclarty = 1\n[district]\nwidth = 2.5\n";
        let err = Scenario::parse(input, "test.toml", None).unwrap_err();
        let kinds: Vec<_> = err.diagnostics().iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                ErrorKind::OutOfRange,
                ErrorKind::UnknownKey,
                ErrorKind::WrongType
            ]
        );
        assert!(
            err.to_string()
                .ends_with("scenario refused because of 3 errors")
        );
        let many: String = (0..30).map(|i| format!("k{i} = 1\n")).collect();
        let err = Scenario::parse(&many, "test.toml", None).unwrap_err();
        assert_eq!(
            (err.diagnostics().len(), err.omitted()),
            (MAX_DIAGNOSTICS, 10)
        );
    }

    #[test]
    fn constraint_errors_point_at_the_line_that_breaks_them() {
        check(
            "[residents]\nproperty_share = 0.7\nviolent_share = 0.5\n",
            &[
                "error: test.toml:2:18: `residents.property_share`: property_share + violent_share must be at most 1",
                "note: `residents.violent_share` = 0.5, set at test.toml:3:17",
            ],
        );
        check(
            "[residents]\nviolent_share = 0.5\n",
            &[
                "test.toml:2:17: `residents.violent_share`",
                "note: `residents.property_share` = 0.6 (default)",
            ],
        );
    }

    #[test]
    fn an_impossible_district_size_is_refused_naming_the_size() {
        check(
            "[district]\nwidth = 2000\nheight = 2000\nhouseholds_per_grid = 100000\n",
            &[
                "test.toml:2:9: `district.width`: the district would hold 1051690000000 agents (1048000000000 residents,",
                "at most 50000000 are allowed",
            ],
        );
        // Organisations count: a modest district of 4 billion enterprises is refused
        // at the key that asks for them.
        check(
            "[district]\nwidth = 2000\nheight = 2000\nhouseholds_per_grid = 1\n[community]\nenterprises_per_grid = 1000.0\n",
            &[
                "test.toml:6:24: `community.enterprises_per_grid`: the district would hold 4018042000 agents",
                "4000000000 enterprises",
            ],
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        check(
            "[police]\nofficers_per_10k = \n",
            &[
                "error: test.toml:2:20: invalid TOML:",
                "2 | officers_per_10k = ",
            ],
        );
        check("[police\n", &["error: test.toml:1:", "invalid TOML"]);
        check(
            "a = 1\na = 2\n",
            &["test.toml:2:1: invalid TOML: duplicate key"],
        );
    }

    #[test]
    fn columns_count_characters_after_multibyte_text() {
        check(
            "# 同乡\n# 桐乡 community policing\nname = \"桐乡\"\n[police]\n\"officers_per_10k\" = 900 # 警察\n",
            &["test.toml:5:22: `police.officers_per_10k`"],
        );
        check(
            "description = \"社区警务\"\n\n\n\nname = \"社区\"; x = 1\n",
            &["test.toml:5:12: invalid TOML"],
        );
    }

    #[test]
    fn extends_chains_override_in_order() {
        let s = check_files(
            &[
                ("child.toml", "name = \"child\"\nextends = \"mid.toml\"\n[police]\nofficers_per_10k = 3\n"),
                ("mid.toml", "description = \"mid\"\nextends = \"base.toml\"\n[police]\nofficers_per_10k = 2\nprocedural_justice = 0.9\n"),
                ("base.toml", "[police]\nofficers_per_10k = 1\nprocedural_justice = 0.1\nhours_per_contact = 1.5\n"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(s.name, "child");
        assert_eq!(s.description, "", "the description is not inherited");
        assert_eq!(s.cg().police.officers_per_10k, 3.0);
        assert_eq!(s.cg().police.procedural_justice, 0.9);
        assert_eq!(s.cg().police.hours_per_contact, 1.5);
        let names: Vec<_> = s
            .files
            .iter()
            .map(|f| f.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["child.toml", "mid.toml", "base.toml"]);
    }

    #[test]
    fn a_problem_in_a_base_says_where_it_is_extended() {
        check_files(
            &[
                ("child.toml", "name = \"child\"\nextends = \"mid.toml\"\n"),
                ("mid.toml", "extends = \"base.toml\"\n"),
                ("base.toml", "[run]\nticks = \"x\"\n"),
            ],
            &[
                "base.toml:2:9: `run.ticks`: expected an integer",
                "base.toml` is extended at ",
                "mid.toml:1:11",
            ],
        );
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("child.toml"),
            "\n\nextends = \"bad.toml\"\n",
        )
        .unwrap();
        fs::write(dir.path().join("bad.toml"), b"name = 1\n\xff\n").unwrap();
        let err = Scenario::load(&dir.path().join("child.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not valid UTF-8"), "{err}");
        assert!(
            err.contains("note: `") && err.contains("bad.toml` is extended at "),
            "{err}"
        );
        assert!(err.contains("child.toml:3:11"), "{err}");
    }

    #[test]
    fn extends_is_relative_to_the_including_file() {
        let s = check_files(
            &[
                ("top.toml", "extends = \"sub/mid.toml\"\n"),
                (
                    "sub/mid.toml",
                    "extends = \"../common/base.toml\"\n[district]\nwidth = 4\n",
                ),
                ("common/base.toml", "[district]\nwidth = 5\nheight = 7\n"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!((s.cg().district.width, s.cg().district.height), (4, 7));
        assert_eq!(s.name, "top");
    }

    #[test]
    fn extends_problems_are_refused() {
        check_files(
            &[
                ("a.toml", "extends = \"b.toml\"\n"),
                ("b.toml", "extends = \"a.toml\"\n"),
            ],
            &[
                "b.toml:1:11: `extends` forms a cycle: ",
                "a.toml -> ",
                "b.toml -> ",
                "a.toml\n",
            ],
        );
        check_files(
            &[("self.toml", "\nextends = \"self.toml\"\n")],
            &["self.toml:2:11: `extends` forms a cycle"],
        );
        check_files(
            &[("a.toml", "extends = \"missing.toml\"\n")],
            &[
                "a.toml:1:11: `extends`: cannot read `",
                "missing.toml`: No such file or directory",
            ],
        );
        check_files(
            &[("a.toml", "extends = \"sub\"\n"), ("sub/x.toml", "")],
            &["cannot read `", "sub`: it is a directory, not a file"],
        );
        check(
            "extends = \"base.toml\"\n",
            &[
                "test.toml:1:11: `extends`: cannot resolve `base.toml`: this scenario was not read from a file",
            ],
        );
        // Problems in a base are reported in the base.
        check_files(
            &[
                ("a.toml", "extends = \"b.toml\"\n"),
                ("b.toml", "[police]\nofficers_per_10k = -1\n"),
            ],
            &["b.toml:2:20: `police.officers_per_10k`"],
        );
        // A constraint broken by a value in a base points at the base.
        check_files(
            &[
                (
                    "a.toml",
                    "extends = \"b.toml\"\n[residents]\nviolent_share = 0.2\n",
                ),
                ("b.toml", "[residents]\nproperty_share = 0.9\n"),
            ],
            &[
                "b.toml:2:18: `residents.property_share`: property_share + violent_share",
                "a.toml:3:17",
            ],
        );
    }

    #[test]
    fn extends_chains_have_a_depth_limit() {
        let files: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("f{i}.toml"),
                    format!("extends = \"f{}.toml\"\n", i + 1),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        check_files(&refs, &["the chain is longer than 32 files"]);
    }

    #[test]
    fn unreadable_files_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        verdict(
            Scenario::load(&missing),
            &["nope.toml: cannot read scenario file: No such file or directory"],
        );
        verdict(
            Scenario::load(dir.path()),
            &[": cannot read scenario file: it is a directory, not a file"],
        );
        let bad = dir.path().join("bad.toml");
        fs::write(&bad, b"[police]\nofficers_per_10k = \"\xe8\xad\xa6\xff\"\n").unwrap();
        verdict(
            Scenario::load(&bad),
            &[
                "bad.toml:2:22: not valid UTF-8: byte 0xFF",
                "must be saved as UTF-8",
            ],
        );
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        check("\u{feff}[police]\nofficers_per_10k = 12\n", &[]);
        check(
            "\u{feff}[police]\nofficers_per_10k = 900\n",
            &["test.toml:2:20:"],
        );
    }

    #[test]
    fn builtin_loads() {
        let s = Scenario::builtin();
        assert_eq!(s.name, "tongxiang_baseline");
        assert!(s.files.is_empty());
    }

    #[test]
    fn every_embedded_file_loads_and_matches_its_file_on_disk() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for name in builtin_names() {
            let embedded = Scenario::builtin_file(name).unwrap().unwrap();
            let on_disk = Scenario::load(&dir.join(name)).unwrap();
            assert_eq!(embedded.params, on_disk.params, "{name}");
            assert_eq!(embedded.name, on_disk.name, "{name}");
        }
        assert!(Scenario::builtin_file("nope.toml").is_none());
    }

    #[test]
    fn every_file_in_scenarios_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml")
                && let Err(e) = Scenario::load(&path)
            {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn hash_is_stable_and_follows_the_values() {
        let a = check("[police]\nofficers_per_10k = 12\n", &[]).unwrap();
        let b = check(
            "police.officers_per_10k = 12.0 # same value, other spelling\n",
            &[],
        )
        .unwrap();
        assert_eq!(a.hash(), b.hash());
        assert_eq!(a.hash().len(), 64);
        assert!(a.hash().chars().all(|c| c.is_ascii_hexdigit()));
        let c = check("[police]\nofficers_per_10k = 12.5\n", &[]).unwrap();
        assert_ne!(a.hash(), c.hash());
        let d = check("name = \"other\"\n[police]\nofficers_per_10k = 12\n", &[]).unwrap();
        assert_ne!(a.hash(), d.hash());
        // Recomputing, from a fresh parse, gives the same hash.
        assert_eq!(Scenario::builtin().hash(), Scenario::builtin().hash());
    }

    #[test]
    fn resolved_toml_parses_back_to_the_same_scenario() {
        let s = check(
            "name = \"q\\\"uote\"\ndescription = \"tab\\tand\\n桐乡\"\n[district]\nwidth = 3\n",
            &[],
        )
        .unwrap();
        let text = s.resolved_toml();
        assert!(
            text.starts_with("name = \"q\\\"uote\"\ndescription = \"tab\\tand\\n桐乡\"\nmodel = \"co_governance\"\n\n[run]\n"),
            "{text}"
        );
        let back = Scenario::parse(&text, "resolved.toml", None).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.hash(), s.hash());
    }

    #[test]
    fn the_documented_example_is_real_output() {
        let docs = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md"),
        )
        .unwrap();
        for input in [
            "[police]\nofficers_per_10k = 900\nclarty = 1\n[district]\nwidth = 2.5\n",
            "[district]\nwidth = 2000\nheight = 2000\nhouseholds_per_grid = 100000\n",
        ] {
            let err = Scenario::parse(input, "scenarios/bad.toml", None).unwrap_err();
            let text = err.to_string();
            assert!(
                docs.contains(&text),
                "docs/scenario-format.md should show:\n{text}"
            );
        }
    }

    #[test]
    fn every_malformed_test_file_is_refused_as_it_expects() {
        let files = data_files("malformed");
        assert!(files.len() >= 12, "only {} malformed files", files.len());
        for path in files {
            refused_as_it_expects(&path, Scenario::load(&path));
        }
    }

    #[test]
    fn every_valid_test_file_loads() {
        let files = data_files("valid");
        assert!(files.len() >= 4);
        for path in files {
            if let Err(e) = Scenario::load(&path) {
                panic!("{e}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in "(\\PC|\n|\\[|\\]|=|\"|\\.| ){0,80}") {
            let _ = Scenario::parse(&text, "p.toml", None).map_err(|e| e.to_string());
        }

        #[test]
        fn no_value_panics(key in "[a-z_.]{1,30}", value in "[-+0-9a-z_.\"\\[\\]{} ]{0,20}") {
            let text = format!("[police]\n{key} = {value}\n[district]\n{key} = {value}\n");
            let _ = Scenario::parse(&text, "p.toml", None).map_err(|e| e.to_string());
        }
    }
}
