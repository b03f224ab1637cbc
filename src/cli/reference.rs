//! `cogov params` and `cogov metrics`: the parameter and output-column references,
//! printed from the tables that define them so the documentation cannot drift.
//!
//! Text is for the terminal; Markdown (one table per section) is what docs/ embeds;
//! JSON (one object per parameter or column) is for tools: a sweep generator reads
//! each free parameter's `plausible` range from it.

use super::Format;
use cogov::model::Model;
use cogov::schema::ParamDef;
use cogov::schema::json::{ParamJson, one_line};
use cogov::schema::metrics::MetricDef;

/// Width text is wrapped to.
const WIDTH: usize = 88;

/// The parameter reference of `model`, grouped by section.
pub fn params(model: Model, format: Format) -> String {
    let write_section: fn(&mut String, &str, &[&ParamDef]) = match format {
        Format::Json => {
            let all: Vec<ParamJson> = model.param_defs().iter().map(ParamJson::of).collect();
            return json_text(&all);
        }
        Format::Text => text_section,
        Format::Markdown => markdown_section,
    };
    let mut out = String::new();
    for (i, section) in model.sections().into_iter().enumerate() {
        let defs: Vec<&ParamDef> = model
            .param_defs()
            .iter()
            .filter(|d| d.path.split('.').next() == Some(section))
            .collect();
        if i > 0 {
            out.push('\n');
        }
        write_section(&mut out, section, &defs);
    }
    out
}

/// One section of the plain-text parameter reference.
fn text_section(out: &mut String, section: &str, defs: &[&ParamDef]) {
    out.push_str(&format!("[{section}]\n"));
    for def in defs {
        let plausible = def
            .plausible_text()
            .map_or(String::new(), |p| format!(", plausible {p}"));
        out.push_str(&format!(
            "\n  {}  ({}, default {}, range {}{plausible}, {})\n",
            def.path,
            def.ty.name(),
            def.default,
            def.range_text(),
            def.unit
        ));
        out.push_str(&wrap(&one_line(def.doc), 6));
        out.push_str(&wrap(&format!("Source: {}", one_line(def.source)), 6));
    }
}

/// One section of the Markdown parameter reference: a table.
fn markdown_section(out: &mut String, section: &str, defs: &[&ParamDef]) {
    out.push_str(&format!("### `[{section}]`\n\n"));
    out.push_str("| Parameter | Type | Default | Range | Plausible | Unit | Meaning | Source |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for def in defs {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            def.path,
            def.ty.name(),
            def.default,
            cell(&def.range_text()),
            def.plausible_text().unwrap_or_default(),
            cell(def.unit),
            cell(def.doc),
            cell(def.source)
        ));
    }
}

/// A column in `cogov metrics --format json`.
#[derive(serde::Serialize)]
struct ColumnJson<'a> {
    name: &'a str,
    file: &'a str,
    unit: &'a str,
    /// Null when unbounded.
    min: Option<f64>,
    max: Option<f64>,
    /// "higher", "lower" or "neither": which direction is an improvement.
    better: &'a str,
    /// "public order", "cooperation", "cost" or "other".
    group: &'a str,
    doc: &'a str,
}

/// A JSON array, pretty-printed, ending with a newline.
fn json_text(items: &[impl serde::Serialize]) -> String {
    // Values built from numbers and strings always serialise.
    serde_json::to_string_pretty(items).unwrap_or_default() + "\n"
}

/// The output-column reference of `model`: the files' fixed columns, then every
/// metric and time-series column.
pub fn metrics(model: Model, format: Format) -> String {
    let (metrics, series) = (model.metrics(), model.series());
    let fixed_runs = [
        ("run", "Replication index, from 0."),
        (
            "seed",
            "The replication's own seed, derived from (base seed, run) only.",
        ),
    ];
    let fixed_series = [
        ("run", "Replication index, as in runs.csv."),
        (
            "tick",
            "Tick (a day in the co-governance model), from 1, counting the warm-up.",
        ),
        (
            "warmup",
            "1 for warm-up ticks (not measured), 0 for the measured window.",
        ),
    ];
    let summary = "summary.csv has one row per metric with columns metric, mean, sd \
        (sample standard deviation), ci95_low and ci95_high (95% confidence interval of the \
        mean, Student's t) and n (replications where the metric was defined). NA marks an \
        undefined value (for example a rate whose denominator was zero). The leading \
        columns below are those of `cogov run`; a sweep's files start with point, \
        replication (and the swept parameters), a comparison's with scenario, run; summary \
        rows of a sweep or comparison start with the point or scenario (see \
        docs/output-files.md). Each metric names which direction of change is better (higher, \
        lower, or neither: a change that is neither good nor bad in itself) and the group \
        reports file it under (public order, cooperation, cost, other); report.html \
        colours changes by it.";
    let mut out = String::new();
    match format {
        Format::Text => {
            out.push_str(
                "End-of-run metrics: runs.csv (one row per replication) and summary.csv\n\n",
            );
            out.push_str(&wrap(summary, 2));
            for (name, doc) in fixed_runs {
                out.push_str(&format!("\n  {name}\n"));
                out.push_str(&wrap(doc, 6));
            }
            for def in metrics {
                text_column(&mut out, def);
            }
            out.push_str("\nTime series: timeseries.csv (one row per replication and day)\n\n");
            for (name, doc) in fixed_series {
                out.push_str(&format!("\n  {name}\n"));
                out.push_str(&wrap(doc, 6));
            }
            for def in series {
                text_column(&mut out, def);
            }
        }
        Format::Markdown => {
            out.push_str("### End-of-run metrics (`runs.csv`, `summary.csv`)\n\n");
            out.push_str(&format!("{summary}\n\n"));
            markdown_columns(&mut out, &fixed_runs, metrics);
            out.push_str("\n### Time series (`timeseries.csv`)\n\n");
            markdown_columns(&mut out, &fixed_series, series);
        }
        Format::Json => {
            let column = |file, def: &'static MetricDef| ColumnJson {
                name: def.name,
                file,
                unit: def.unit,
                min: def.min.is_finite().then_some(def.min),
                max: def.max.is_finite().then_some(def.max),
                better: def.better.word(),
                group: def.group.name(),
                doc: def.doc,
            };
            let all: Vec<ColumnJson> = metrics
                .iter()
                .map(|d| column("runs.csv", d))
                .chain(series.iter().map(|d| column("timeseries.csv", d)))
                .collect();
            return json_text(&all);
        }
    }
    out
}

fn text_column(out: &mut String, def: &MetricDef) {
    out.push_str(&format!(
        "\n  {}  ({}, {}; better: {}; {})\n",
        def.name,
        def.unit,
        metric_range(def),
        def.better.word(),
        def.group.name()
    ));
    out.push_str(&wrap(def.doc, 6));
}

fn markdown_columns(out: &mut String, fixed: &[(&str, &str)], defs: &[MetricDef]) {
    out.push_str(
        "| Column | Unit | Range | Better | Group | Meaning |\n|---|---|---|---|---|---|\n",
    );
    for (name, doc) in fixed {
        out.push_str(&format!("| `{name}` | | | | | {} |\n", cell(doc)));
    }
    for def in defs {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            def.name,
            cell(def.unit),
            metric_range(def),
            def.better.word(),
            def.group.name(),
            cell(def.doc)
        ));
    }
}

fn metric_range(def: &MetricDef) -> String {
    if def.max.is_infinite() {
        format!("{} or more", def.min)
    } else {
        format!("{} to {}", def.min, def.max)
    }
}

/// A Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// Wraps `text` to [`WIDTH`] columns, each line indented by `indent` spaces.
fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > WIDTH {
            out.push_str(&format!("{:indent$}{line}\n", ""));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{:indent$}{line}\n", ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cogov::schema::ParamType;

    #[test]
    fn every_parameter_appears_in_both_formats() {
        for model in Model::ALL {
            for format in [Format::Text, Format::Markdown] {
                let text = params(model, format);
                for def in model.param_defs() {
                    assert!(text.contains(def.path), "{} missing", def.path);
                }
            }
        }
    }

    #[test]
    fn markdown_has_one_table_per_section_with_whole_rows() {
        for model in Model::ALL {
            let text = params(model, Format::Markdown);
            assert_eq!(
                text.matches("| Parameter |").count(),
                model.sections().len()
            );
            let rows = text.lines().filter(|l| l.starts_with("| `")).count();
            assert_eq!(rows, model.param_defs().len());
            for line in text.lines().filter(|l| l.starts_with('|')) {
                let cells = line.replace("\\|", "").matches('|').count();
                assert_eq!(cells, 9, "{line}");
            }
        }
    }

    #[test]
    fn every_column_appears_in_both_formats() {
        for model in Model::ALL {
            for format in [Format::Text, Format::Markdown] {
                let text = metrics(model, format);
                for def in model.metrics().iter().chain(model.series()) {
                    assert!(text.contains(def.name), "{} missing", def.name);
                }
            }
        }
    }

    #[test]
    fn json_lists_every_parameter_with_its_plausible_range_when_free() {
        for model in Model::ALL {
            let all: Vec<serde_json::Value> =
                serde_json::from_str(&params(model, Format::Json)).unwrap();
            assert_eq!(all.len(), model.param_defs().len());
            for (json, def) in all.iter().zip(model.param_defs()) {
                assert_eq!(json["name"], def.path);
                assert_eq!(json["source"], def.source);
                match def.plausible {
                    Some((lo, hi)) => {
                        let range = json["plausible"].as_array().unwrap();
                        assert_eq!(range[0].as_f64(), Some(lo), "{}", def.path);
                        assert_eq!(range[1].as_f64(), Some(hi), "{}", def.path);
                    }
                    None => assert!(json.get("plausible").is_none(), "{}", def.path),
                }
                if matches!(def.ty, ParamType::Real | ParamType::Int) {
                    assert_eq!(json["min"].as_f64(), Some(def.min), "{}", def.path);
                    assert_eq!(json["max"].as_f64(), Some(def.max), "{}", def.path);
                }
            }
        }
        let cg: Vec<serde_json::Value> =
            serde_json::from_str(&params(Model::CoGovernance, Format::Json)).unwrap();
        let het = cg
            .iter()
            .find(|p| p["name"] == "district.opportunity_heterogeneity")
            .unwrap();
        assert_eq!(het["plausible"], serde_json::json!([0.0, 2.0]));
        assert_eq!(het["default"], serde_json::json!(0.8));
        let columns: Vec<serde_json::Value> =
            serde_json::from_str(&metrics(Model::CoGovernance, Format::Json)).unwrap();
        assert_eq!(
            columns.len(),
            Model::CoGovernance.metrics().len() + Model::CoGovernance.series().len()
        );
    }

    #[test]
    fn wrap_respects_width_and_indent() {
        let text = "word ".repeat(60);
        let wrapped = wrap(&text, 4);
        assert!(wrapped.lines().count() > 1);
        assert!(
            wrapped
                .lines()
                .all(|l| l.len() <= WIDTH && l.starts_with("    word"))
        );
        assert_eq!(wrap("", 4), "");
    }
}
