//! The analysis in the reports: a sweep's sensitivity indices from `sensitivity.csv`
//! (S1 and ST bars of a Sobol design, PRCC and SRC bars of a Latin hypercube, the
//! Morris plot of μ* against σ), ranked and with their intervals, and an uncertainty
//! comparison's robustness report (shares of worlds improved with their Wilson
//! intervals, the PRIM boxes in words); a missing or damaged analysis file costs its
//! section, never the report.

use crate::analyse::{COMPARE, uncertainty_files};
use crate::report::{check_page, plots};
use crate::util::{SMALL_SCENARIO, cogov, read, write};
use std::path::{Path, PathBuf};

/// Runs `cogov sweep FILE` (quiet) in `dir` with `text` as the experiment file.
fn sweep(dir: &Path, text: &str, out: &str) -> PathBuf {
    write(dir, "small.toml", SMALL_SCENARIO);
    write(dir, "sweep.toml", text);
    cogov(dir)
        .args(["sweep", "sweep.toml", "--quiet", "--out", out])
        .assert()
        .success();
    dir.join(out)
}

/// One row of `sensitivity.csv`.
struct Index {
    metric: String,
    parameter: String,
    index: String,
    value: f64,
    low: f64,
    high: f64,
}

fn number(text: &str) -> f64 {
    if text == "NA" {
        f64::NAN
    } else {
        text.parse().unwrap()
    }
}

/// `sensitivity.csv`'s rows.
fn indices(dir: &Path) -> Vec<Index> {
    let text = read(&dir.join("sensitivity.csv"));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("metric,parameter,index,value,ci95_low,ci95_high,parameter2,n")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Index {
                metric: f[0].to_string(),
                parameter: f[1].to_string(),
                index: f[2].to_string(),
                value: number(f[3]),
                low: number(f[4]),
                high: number(f[5]),
            }
        })
        .collect()
}

/// The parameters of `metric`, ranked by |`index`| as the report ranks them
/// (undefined last).
fn ranked(rows: &[Index], metric: &str, index: &str) -> Vec<String> {
    let mut found: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.metric == metric && r.index == index && !r.parameter.is_empty())
        .map(|r| {
            let v = r.value.abs();
            (
                r.parameter.clone(),
                if v.is_finite() { v } else { f64::NEG_INFINITY },
            )
        })
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.into_iter().map(|(p, _)| p).collect()
}

/// The texts of the elements of class `class` in `svg`, in document order.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|k| k == class))
        })
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect()
        })
        .collect()
}

/// How many elements have exactly the class attribute `class`.
fn count(svg: &str, class: &str) -> usize {
    svg.matches(&format!("class=\"{class}\"")).count()
}

/// The figure of chart `name` in the page: the inline SVG and its caption.
fn figure<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html
        .find(&format!("<figure id=\"fig-{name}\">"))
        .unwrap_or_else(|| panic!("no figure {name}"));
    let end = start + html[start..].find("</figure>").unwrap();
    &html[start..end]
}

fn plot(dir: &Path, name: &str) -> String {
    read(&dir.join(format!("plots/{name}.svg")))
}

/// The names of the charts under `plots/`.
fn plot_names(dir: &Path) -> Vec<String> {
    plots(dir).into_iter().map(|(n, _)| n).collect()
}

/// An experiment file of `design` (with its `settings` lines) over offending,
/// liability and logistics, 2 replications, named as its design.
fn three_parameters(design: &str, settings: &str) -> String {
    format!(
        "name = \"{design}\"\nscenario = \"small.toml\"\ndesign = \"{design}\"\n{settings}\nreplications = 2\n\
         [parameters]\n\
         \"residents.offence_propensity\" = {{ min = 0.0001, max = 0.001 }}\n\
         \"liability.clarity\" = {{ min = 0.1, max = 0.9 }}\n\
         \"logistics.level\" = {{ min = 0.4, max = 0.8 }}\n"
    )
}

const SOBOL: &str = r#"name = "sobol"
scenario = "small.toml"
design = "sobol"
samples = 8
replications = 2
[parameters]
"liability.clarity" = { min = 0.3, max = 0.9 }
"logistics.level" = { min = 0.4, max = 0.8 }
"police.community_role_share" = { min = 0.15, max = 0.35 }
"#;

#[test]
fn a_sobol_sweep_shows_s1_and_st_bars_ranked_by_st_with_their_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep(tmp.path(), SOBOL, "sobol");
    let rows = indices(&dir);
    let html = check_page(&dir);
    assert!(html.contains("Which parameters matter: Sobol indices"));
    let names = plot_names(&dir);
    for key in [
        "incidents_per_1000",
        "victimisation_rate",
        "trust_in_police",
        "participation_rate",
        "mean_response_time",
        "cost_per_resolved_incident",
    ] {
        let has_indices = rows.iter().any(|r| r.metric == key && r.index == "ST");
        assert_eq!(
            names.contains(&format!("sensitivity-{key}.svg")),
            has_indices,
            "a chart for each key metric with indices: {names:?}"
        );
    }
    let metric = "incidents_per_1000";
    let svg = plot(&dir, &format!("sensitivity-{metric}"));
    // A row per parameter, ranked by ST, each with S1 and ST bars and whiskers.
    assert_eq!(texts(&svg, "row-label"), ranked(&rows, metric, "ST"));
    assert_eq!(texts(&svg, "legend-item"), ["S1", "ST"]);
    let of = |index: &str| {
        rows.iter()
            .filter(|r| r.metric == metric && r.index == index)
            .collect::<Vec<_>>()
    };
    let finite = |index: &str| of(index).iter().filter(|r| r.value.is_finite()).count();
    assert_eq!(of("ST").len(), 3);
    assert_eq!(count(&svg, "bar series-0"), finite("S1"));
    assert_eq!(count(&svg, "bar series-1"), finite("ST"));
    let intervals = ["S1", "ST"]
        .iter()
        .flat_map(|i| of(i))
        .filter(|r| r.value.is_finite() && r.low.is_finite() && r.high.is_finite())
        .count();
    assert!(intervals > 0);
    assert_eq!(
        count(&svg, "ci-whisker"),
        intervals,
        "a whisker per interval"
    );
    // Each bar's note is its value with its interval, two decimals.
    let top = &ranked(&rows, metric, "ST")[0];
    let st = of("ST").into_iter().find(|r| r.parameter == *top).unwrap();
    let notes = texts(&svg, "bar-note");
    assert_eq!(
        notes[1],
        format!("{:.2} ({:.2} to {:.2})", st.value, st.low, st.high)
    );
    let caption = figure(&html, &format!("sensitivity-{metric}"));
    assert!(caption.contains("from 8 of 8 base rows × 2 replications"));
    assert!(caption.contains("biases S1 down and ST up by up to that share"));
    assert!(caption.contains("Replication noise is "));
    assert!(html.contains("a run flagged as a runaway are left out"));

    // The sweep's own charts follow.
    assert!(names.iter().any(|n| n.starts_with("sweep-")));

    // Without the file, or with a damaged one, the report has no such section but is
    // still built; the stale charts go.
    let text = read(&dir.join("sensitivity.csv"));
    for damaged in [None, Some(&text[..text.len() - 5])] {
        match damaged {
            None => std::fs::remove_file(dir.join("sensitivity.csv")).unwrap(),
            Some(cut) => std::fs::write(dir.join("sensitivity.csv"), cut).unwrap(),
        }
        cogov(tmp.path())
            .args(["report", "sobol"])
            .assert()
            .success();
        let html = check_page(&dir);
        assert!(!html.contains("Which parameters matter"));
        assert!(
            plot_names(&dir)
                .iter()
                .all(|n| !n.starts_with("sensitivity-"))
        );
        assert!(html.contains("Key metrics against each parameter"));
    }
}

#[test]
fn a_latin_hypercube_shows_prcc_and_src_ranked_with_r2_in_the_caption() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep(
        tmp.path(),
        &three_parameters("lhs", "samples = 12\ndesign_seed = 3"),
        "lhs",
    );
    let rows = indices(&dir);
    let html = check_page(&dir);
    assert!(html.contains("Which parameters matter: rank correlations and regression"));
    let metric = "incidents_per_1000";
    let svg = plot(&dir, &format!("sensitivity-{metric}"));
    let order = ranked(&rows, metric, "PRCC");
    assert_eq!(texts(&svg, "row-label"), order);
    assert_eq!(
        order[0], "residents.offence_propensity",
        "offending drives incidents"
    );
    assert_eq!(texts(&svg, "legend-item"), ["PRCC", "SRC"]);
    assert_eq!(count(&svg, "bar series-0") + count(&svg, "bar series-1"), 6);
    assert_eq!(count(&svg, "ci-whisker"), 6, "both have intervals");
    // One axis for every chart, at least the coefficients' range -1 to 1.
    let ticks = texts(&svg, "tick");
    let end = |t: &String| t.parse::<f64>().unwrap();
    assert!(end(&ticks[0]) <= -1.0 && end(ticks.last().unwrap()) >= 1.0);
    for (name, other) in plots(&dir) {
        if name.starts_with("sensitivity-") {
            assert_eq!(texts(&other, "tick"), ticks, "{name}");
        }
    }
    let r2 = rows
        .iter()
        .find(|r| r.metric == metric && r.index == "R2")
        .unwrap()
        .value;
    let caption = figure(&html, &format!("sensitivity-{metric}"));
    assert!(
        caption.contains(&format!("R² = {r2:.2}")),
        "R² {r2} in {caption}"
    );
    assert!(caption.contains("from 12 of 12 points × 2 replications"));
    assert!(caption.contains("pulls SRC and PRCC towards zero"));
}

#[test]
fn a_morris_sweep_names_each_parameter_on_a_mu_star_sigma_plot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = sweep(
        tmp.path(),
        &three_parameters("morris", "samples = 4\nlevels = 4\ndesign_seed = 1"),
        "morris",
    );
    let rows = indices(&dir);
    let html = check_page(&dir);
    assert!(html.contains("Which parameters matter: Morris screening"));
    let metric = "incidents_per_1000";
    let svg = plot(&dir, &format!("sensitivity-{metric}"));
    // Every parameter named, the largest μ* first; its interval a horizontal whisker.
    let labels = texts(&svg, "point-label");
    assert_eq!(labels, ranked(&rows, metric, "mu_star"));
    let with_interval = rows
        .iter()
        .filter(|r| r.metric == metric && r.index == "mu_star" && r.low.is_finite())
        .count();
    assert_eq!(with_interval, 3);
    assert_eq!(count(&svg, "ci-whisker"), with_interval);
    assert_eq!(count(&svg, "point"), 3);
    assert_eq!(texts(&svg, "guide-label"), ["σ = μ*"]);
    assert!(texts(&svg, "x-label")[0].starts_with("μ*"));
    assert!(texts(&svg, "y-label")[0].starts_with("σ"));
    // Whiskers are horizontal: each starts and ends on its point's height.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let ys: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("point"))
        .map(|n| n.attribute("cy").unwrap().to_string())
        .collect();
    for whisker in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("ci-whisker"))
    {
        let d = whisker.attribute("d").unwrap();
        let y = d[1..d.find('H').unwrap()].split(' ').nth(1).unwrap();
        assert!(ys.iter().any(|p| p == y), "{d} at no point's height");
    }
    let caption = figure(&html, &format!("sensitivity-{metric}"));
    assert!(caption.contains("from 4 of 4 trajectories × 2 replications"));
    assert!(caption.contains(&format!("Largest μ*: {}", labels[0])));
}

#[test]
fn an_uncertainty_comparison_gets_a_robustness_report() {
    let tmp = tempfile::tempdir().unwrap();
    let at = tmp.path();
    uncertainty_files(at);
    cogov(at)
        .args(COMPARE)
        .args(["--quiet", "--out", "u"])
        .assert()
        .success();
    let dir = at.join("u");
    let html = check_page(&dir);
    assert!(html.contains("<title>Robustness comparison report: worlds</title>"));
    assert!(html.contains("against 2 reforms in 6 sampled worlds (lhs design)"));
    let names = plot_names(&dir);
    assert_eq!(
        names,
        ["robustness-share-improved.svg"],
        "no scatter of worlds × scenarios"
    );

    // A row per headline metric, a bar per reform, each with its Wilson interval.
    let robustness = read(&dir.join("robustness.csv"));
    let table: Vec<Vec<&str>> = robustness
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let mut metrics: Vec<&str> = Vec::new();
    for row in &table {
        if !metrics.contains(&row[1]) {
            metrics.push(row[1]);
        }
    }
    let svg = plot(&dir, "robustness-share-improved");
    let labels = texts(&svg, "row-label");
    assert_eq!(labels.len(), metrics.len());
    assert_eq!(labels[0], "incidents");
    assert_eq!(texts(&svg, "legend-item"), ["logistics", "price"]);
    let notes = texts(&svg, "bar-note");
    assert_eq!(notes.len(), 2 * metrics.len());
    let share = |reform: &str, metric: &str| {
        let row = table
            .iter()
            .find(|r| r[0] == reform && r[1] == metric)
            .unwrap();
        let p = |i: usize| 100.0 * number(row[i]);
        format!("{:.0}% ({:.0} to {:.0})", p(3), p(4), p(5))
    };
    for (m, metric) in metrics.iter().enumerate() {
        for (s, reform) in ["logistics", "price"].iter().enumerate() {
            let row = table.iter().find(|r| r[0] == *reform && r[1] == *metric);
            let defined = row.is_some_and(|r| number(r[3]).is_finite());
            let expected = if defined {
                share(reform, metric)
            } else {
                "NA".to_string()
            };
            assert_eq!(notes[2 * m + s], expected, "{reform} {metric}");
        }
    }
    // Pricing officer time changes no incident: no world improves.
    assert_eq!(notes[1], share("price", "incidents_per_1000"));
    assert!(notes[1].starts_with("0% (0 to "), "{}", notes[1]);
    let logistics_response = metrics
        .iter()
        .position(|m| *m == "mean_response_time")
        .unwrap();
    assert!(
        notes[2 * logistics_response].starts_with("100% ("),
        "logistics answers sooner everywhere"
    );
    assert_eq!(
        count(&svg, "ci-whisker"),
        notes.iter().filter(|n| *n != "NA").count()
    );
    assert!(
        html.contains("<em>no reform</em>"),
        "doing nothing's regret"
    );

    // The PRIM boxes in words: a box of known limits, one restricted on both sides,
    // one only from above (no quasi-p-value for its lower end), and a weak one
    // (quasi-p 0.4) that is counted, not named.
    let worlds = table
        .iter()
        .find(|r| r[0] == "logistics" && r[1] == "incidents_per_1000")
        .unwrap()[2];
    std::fs::write(
        dir.join("prim_boxes.csv"),
        "reform,metric,box,parameter,min,max,coverage,density,mass,worlds_in_box,failing_in_box,failing_worlds,min_quasi_p,max_quasi_p\n\
         logistics,incidents_per_1000,1,residents.offence_propensity,0.0003,0.0006,0.8,0.8,0.83,5,4,5,0.01,0.02\n\
         logistics,incidents_per_1000,1,trust.contact_rate,0.05,0.2,0.8,0.8,0.83,5,4,5,NA,0.001\n\
         logistics,incidents_per_1000,1,residents.arrest_constant,0.2,0.9,0.8,0.8,0.83,5,4,5,0.4,NA\n",
    )
    .unwrap();
    cogov(at).args(["report", "u"]).assert().success();
    let html = check_page(&dir);
    assert!(
        html.contains(&format!(
            "logistics fails to improve incidents in 5 of {worlds} worlds; 80% of those (density 80%) where residents.offence_propensity in [0.0003, 0.0006] and trust.contact_rate &lt;= 0.2 (and 1 weaker limit(s), in prim_boxes.csv)."
        )),
        "{}",
        &html[html.find("id=\"prim\"").unwrap()..]
    );
    assert!(html.contains("<td>4 of 5</td>"));

    // Without its analysis the page says so, and is still built.
    std::fs::remove_file(dir.join("robustness.csv")).unwrap();
    std::fs::remove_file(dir.join("prim_boxes.csv")).unwrap();
    cogov(at).args(["report", "u"]).assert().success();
    let html = check_page(&dir);
    assert!(html.contains("robustness.csv is missing or cannot be read"));
    assert!(plot_names(&dir).is_empty());
}
