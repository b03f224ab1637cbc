//! `report.html` and `plots/*.svg` of every kind of result: written by each command,
//! rebuilt by `cogov report`, self-contained, well-formed, every chart titled and
//! labelled; the SVG text of small fixed-seed runs pinned by snapshots.

use crate::util::{SMALL_SCENARIO, cogov, data_files, read, write};
use std::path::{Path, PathBuf};

/// A reform of [`SMALL_SCENARIO`] that clearly changes things: many more officers.
const SMALL_REFORM: &str = r#"name = "more_officers"
description = "The small district with twice the officers"
extends = "small.toml"

[police]
officers_per_10k = 20.0
"#;

/// Runs `cogov args...` in `dir` (quiet) and returns the results directory.
fn results(dir: &Path, args: &[&str], out: &str) -> PathBuf {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--quiet", "--out", out]);
    cogov(dir).args(&all).assert().success();
    dir.join(out)
}

/// Every SVG under `dir/plots`, by file name.
pub(crate) fn plots(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect();
    out.sort();
    out
}

/// Checks one chart: it parses as XML, is an accessible image with a title and a
/// description, and shows a title and both axis labels.
fn check_chart(name: &str, svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{name}");
    assert_eq!(root.attribute("role"), Some("img"), "{name}");
    let first = root.children().find(|n| n.is_element()).unwrap();
    assert_eq!(
        first.tag_name().name(),
        "title",
        "{name}: the first child is the title"
    );
    assert!(
        !first.text().unwrap_or("").trim().is_empty(),
        "{name}: empty title"
    );
    assert!(
        root.children()
            .any(|n| n.has_tag_name("desc") && n.text().is_some_and(|t| t.len() > 20)),
        "{name}: no alt text"
    );
    for class in ["chart-title", "x-label", "y-label"] {
        let found = root.descendants().any(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|k| k == class))
                && n.descendants()
                    .filter_map(|d| d.text())
                    .any(|t| !t.trim().is_empty())
        });
        assert!(found, "{name}: no {class}");
    }
    assert_external_free(name, &doc);
}

/// No `src` or `href` may leave the file (fragments and relative paths may).
fn assert_external_free(name: &str, doc: &roxmltree::Document) {
    for node in doc.descendants() {
        for attr in node.attributes() {
            let local = attr.name();
            if local == "src" || local == "href" {
                let v = attr.value();
                assert!(
                    !v.contains("://") && !v.starts_with("//") && !v.starts_with("data:text"),
                    "{name}: external reference {local}=\"{v}\""
                );
            }
        }
    }
}

/// Checks a report page: well-formed, self-contained, no script, a policy that
/// forbids requests, and every inline chart as good as its file.
pub(crate) fn check_page(dir: &Path) -> String {
    let html = read(&dir.join("report.html"));
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{}: report.html is not well-formed: {e}", dir.display()));
    assert_external_free("report.html", &doc);
    assert!(!html.contains("<script"), "the report needs no script");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(!html.contains("@import"), "no style may load anything");
    for (at, _) in html.match_indices("url(") {
        assert!(
            html[at..].starts_with("url(#"),
            "only the page's own fragments: {}",
            &html[at..at + 40]
        );
    }
    let inline = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    let files = plots(dir);
    assert_eq!(inline, files.len(), "every chart is inline and a file");
    for (name, svg) in &files {
        check_chart(name, svg);
        let link = format!("plots/{name}");
        assert!(html.contains(&link), "no link to {link}");
    }
    html
}

#[test]
fn a_run_gets_its_table_series_and_map_and_report_rebuilds_it_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    let dir = results(tmp.path(), &["run", "small.toml", "-n", "3"], "run");
    let html = check_page(&dir);
    let names: Vec<String> = plots(&dir).into_iter().map(|(n, _)| n).collect();
    assert!(names.len() >= 3, "{names:?}");
    assert!(
        names.contains(&"run-map-incidents_per_1000.svg".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"run-series-incidents.svg".to_string()),
        "{names:?}"
    );
    for key in [
        "incidents_per_1000",
        "trust_in_police",
        "cost_per_resolved_incident",
    ] {
        assert!(
            html.contains(&format!("<code>{key}</code>")),
            "{key} missing from the table"
        );
    }
    // grids.csv: tidy, one row per replication, grid and metric.
    let grids = read(&dir.join("grids.csv"));
    let mut lines = grids.lines();
    assert_eq!(lines.next(), Some("run,grid,x,y,metric,value"));
    assert_eq!(lines.count(), 3 * 9 * 4);
    assert!(grids.contains("\n2,8,2,2,participation_rate,"));

    // Rebuilt from the files alone, the report is the same.
    let before = (read(&dir.join("report.html")), plots(&dir));
    std::fs::remove_file(dir.join("report.html")).unwrap();
    std::fs::remove_dir_all(dir.join("plots")).unwrap();
    cogov(tmp.path())
        .args(["report", "run"])
        .assert()
        .success()
        .stdout(predicates::str::contains("report.html"));
    assert_eq!((read(&dir.join("report.html")), plots(&dir)), before);
    insta::assert_snapshot!(
        "run_map_small",
        read(&dir.join("plots/run-map-incidents_per_1000.svg"))
    );
}

#[test]
fn a_run_s_shards_merge_into_the_same_map_and_report_as_one_machine() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    let whole = results(tmp.path(), &["run", "small.toml", "-n", "5"], "whole");
    for k in ["1/2", "2/2"] {
        let out = format!("shard{}", &k[..1]);
        results(
            tmp.path(),
            &["run", "small.toml", "-n", "5", "--shard", k],
            &out,
        );
    }
    cogov(tmp.path())
        .args(["merge", "shard1", "shard2", "--out", "merged"])
        .assert()
        .success();
    let merged = data_files(&tmp.path().join("merged"));
    assert!(merged.iter().any(|(name, _)| name == "grids.csv"));
    assert!(merged.iter().any(|(name, _)| name == "report.html"));
    assert_eq!(merged, data_files(&whole), "every file but the manifest");
}

#[test]
fn a_comparison_says_what_each_reform_does_and_draws_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    write(tmp.path(), "reform.toml", SMALL_REFORM);
    let dir = results(
        tmp.path(),
        &["compare", "small.toml", "reform.toml", "-n", "6"],
        "cmp",
    );
    let html = check_page(&dir);
    assert!(
        html.contains("<p class=\"headline\">More officers "),
        "no headline"
    );
    assert!(html.contains("(95% CI "));
    assert!(html.contains("Cost per incident prevented"));
    assert!(html.contains("Fieller"));
    let names: Vec<String> = plots(&dir).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"compare-forest-1-more-officers.svg".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"compare-series-incidents.svg".to_string()),
        "{names:?}"
    );
    // compare keeps every 7th day of every run for the bands.
    let series = read(&dir.join("timeseries.csv"));
    assert!(series.lines().skip(1).all(|l| {
        let tick: u64 = l.split(',').nth(2).unwrap().parse().unwrap();
        tick.is_multiple_of(7)
    }));
    let forest = read(&dir.join("plots/compare-forest-1-more-officers.svg"));
    insta::assert_snapshot!("compare_forest_small", forest);

    // A directory an older cogov wrote: no public_cost_per_1000 column, no time
    // series. Columns are read by name, so the sentences stay the same; the sections
    // without data are left out.
    let headline = |html: &str| {
        let at = html.find("<p class=\"headline\">").unwrap();
        html[at..at + html[at..].find("</p>").unwrap()].to_string()
    };
    let runs = read(&dir.join("runs.csv"));
    let column = runs
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "public_cost_per_1000")
        .unwrap();
    let old: String = runs
        .lines()
        .map(|l| {
            let mut fields: Vec<&str> = l.split(',').collect();
            fields.remove(column);
            format!("{}\n", fields.join(","))
        })
        .collect();
    std::fs::write(dir.join("runs.csv"), old).unwrap();
    std::fs::remove_file(dir.join("timeseries.csv")).unwrap();
    cogov(tmp.path()).args(["report", "cmp"]).assert().success();
    let rebuilt = read(&dir.join("report.html"));
    assert_eq!(headline(&rebuilt), headline(&html));
    assert!(!rebuilt.contains("Cost per incident prevented"));
    assert!(!rebuilt.contains("Over time"));
}

#[test]
fn sweeps_get_lines_heat_maps_or_scatter_panels_by_design() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "one.toml",
        r#"name = "one"
scenario = "small.toml"
design = "grid"
replications = 2
[parameters]
"liability.clarity" = [0.2, 0.5, 0.8]
"#,
    );
    write(
        tmp.path(),
        "two.toml",
        r#"name = "two"
scenario = "small.toml"
design = "grid"
replications = 2
[parameters]
"liability.clarity" = [0.2, 0.8]
"channels.count" = [1, 2, 3]
"#,
    );
    write(
        tmp.path(),
        "lhs.toml",
        r#"name = "lhs"
scenario = "small.toml"
design = "lhs"
samples = 8
design_seed = 3
replications = 1
[parameters]
"liability.clarity" = { min = 0.1, max = 0.9 }
"channels.count" = { min = 1, max = 4 }
"#,
    );
    let one = results(tmp.path(), &["sweep", "one.toml"], "one");
    check_page(&one);
    let names: Vec<String> = plots(&one).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 6, "a line per key metric: {names:?}");
    assert!(names.contains(&"sweep-liability-clarity-incidents_per_1000.svg".to_string()));

    let two = results(tmp.path(), &["sweep", "two.toml"], "two");
    check_page(&two);
    let heat =
        read(&two.join("plots/sweep-liability-clarity-channels-count-incidents_per_1000.svg"));
    let doc = roxmltree::Document::parse(&heat).unwrap();
    let cells = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("cells"))
        .expect("a group of cells");
    assert_eq!(
        cells.children().filter(|n| n.has_tag_name("rect")).count(),
        6,
        "one cell per grid point"
    );

    // A point whose parameters break a rule: its run fails, the report says so and
    // leaves the cell empty.
    write(
        tmp.path(),
        "overload.toml",
        r#"name = "overload"
scenario = "small.toml"
design = "grid"
replications = 1
[parameters]
"police.community_role_share" = [0.15, 0.7]
"police.admin_burden_share" = [0.2, 0.35]
"#,
    );
    cogov(tmp.path())
        .args(["sweep", "overload.toml", "--quiet", "--out", "overload"])
        .assert()
        .code(3);
    let overload = tmp.path().join("overload");
    assert!(check_page(&overload).contains("<strong>1 run failed</strong>"));
    let cell = read(&overload.join(
        "plots/sweep-police-community-role-share-police-admin-burden-share-incidents_per_1000.svg",
    ));
    assert!(cell.contains("no data"));

    let lhs = results(tmp.path(), &["sweep", "lhs.toml"], "lhs");
    check_page(&lhs);
    let names: Vec<String> = plots(&lhs).into_iter().map(|(n, _)| n).collect();
    let count = |prefix: &str| names.iter().filter(|n| n.starts_with(prefix)).count();
    assert_eq!(
        count("sweep-"),
        6 * 2,
        "a scatter per key metric and parameter: {names:?}"
    );
    // The sweep analysed itself: PRCC and SRC bars per key metric (report_analysis
    // tests them).
    assert_eq!(count("sensitivity-"), 6, "{names:?}");
}

#[test]
fn a_civil_violence_run_shows_epstein_s_figure_and_the_lattice() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "cv.toml",
        r#"name = "cv"
model = "civil_violence"
[run]
ticks = 40
replications = 2
[lattice]
width = 20
height = 20
"#,
    );
    let dir = results(tmp.path(), &["run", "cv.toml"], "cv");
    check_page(&dir);
    let epstein = read(&dir.join("plots/run-epstein.svg"));
    for series in ["quiet", "active", "jailed"] {
        assert!(
            epstein.contains(&format!(">{series}<")),
            "no {series} in the legend"
        );
    }
    let lattice = read(&dir.join("plots/run-lattice.svg"));
    assert!(lattice.contains("quiet ("), "the legend counts the cells");
}

#[test]
fn a_merge_of_shards_gets_the_report_of_the_whole_and_bad_directories_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    write(tmp.path(), "reform.toml", SMALL_REFORM);
    let base = ["compare", "small.toml", "reform.toml", "-n", "4"];
    let whole = results(tmp.path(), &base, "whole");
    for k in ["1/2", "2/2"] {
        let mut args = base.to_vec();
        args.extend(["--shard", k]);
        let out = format!("shard{}", &k[..1]);
        let dir = results(tmp.path(), &args, &out);
        assert!(!dir.join("report.html").exists(), "a shard has no report");
        // A shard's directory is refused with the way out.
        cogov(tmp.path())
            .args(["report", &out])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("`cogov merge` the shards"));
    }
    cogov(tmp.path())
        .args(["merge", "shard1", "shard2", "--out", "merged"])
        .assert()
        .success();
    let merged = tmp.path().join("merged");
    check_page(&merged);
    assert_eq!(
        plots(&merged),
        plots(&whole),
        "merged charts equal one machine's"
    );
    cogov(tmp.path())
        .args(["report", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds no finished results"));
}

#[test]
fn a_choice_parameter_gets_a_cell_per_level_and_the_warm_up_mark_sits_at_its_end() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "switch.toml",
        r#"name = "switch"
scenario = "small.toml"
design = "grid"
replications = 2
[parameters]
"participation.peer_punishment" = [false, true]
"#,
    );
    let dir = results(tmp.path(), &["sweep", "switch.toml"], "switch");
    let html = check_page(&dir);
    assert!(
        html.contains("Sweep report: switch"),
        "the sweep's own name"
    );
    let svg = read(&dir.join("plots/sweep-participation-peer-punishment-incidents_per_1000.svg"));
    for level in [">false<", ">true<"] {
        assert!(svg.contains(level), "the level {level} names its cell");
    }
    assert!(
        !svg.contains("class=\"band"),
        "no line between the levels of a choice"
    );
    // The cells show means; the table under them gives each level's interval.
    assert!(
        html.contains("<td><code>true</code></td><td>"),
        "no interval table"
    );

    // compare writes every 7th day; the warm-up (10 days) ends at 10.5, not at the
    // last warm-up day written (7).
    write(tmp.path(), "reform.toml", SMALL_REFORM);
    let cmp = results(
        tmp.path(),
        &["compare", "small.toml", "reform.toml", "-n", "2"],
        "cmp",
    );
    let series = read(&cmp.join("plots/compare-series-incidents.svg"));
    let doc = roxmltree::Document::parse(&series).unwrap();
    let class = |n: &roxmltree::Node, c: &str| n.attribute("class") == Some(c);
    let number = |n: &roxmltree::Node, a: &str| -> f64 { n.attribute(a).unwrap().parse().unwrap() };
    // The x axis's ticks: (day, x) pairs, to read the mark's x back into days.
    let axis = doc.descendants().find(|n| class(n, "x-axis")).unwrap();
    let ticks: Vec<(f64, f64)> = axis
        .children()
        .filter(|n| class(n, "tick"))
        .map(|n| (n.text().unwrap().parse().unwrap(), number(&n, "x")))
        .collect();
    let ((d0, x0), (d1, x1)) = (ticks[0], ticks[ticks.len() - 1]);
    let mark = doc.descendants().find(|n| class(n, "mark-line")).unwrap();
    let day = d0 + (number(&mark, "x1") - x0) * (d1 - d0) / (x1 - x0);
    assert!(
        (day - 10.5).abs() < 0.05,
        "the warm-up mark is at day {day}"
    );
    assert!(read(&cmp.join("report.html")).contains("one day in 7"));
}

#[test]
fn damaged_files_are_refused_and_stale_charts_removed() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    let dir = results(tmp.path(), &["run", "small.toml", "-n", "3"], "run");
    // A grids.csv cut in the middle of its last line.
    let grids = read(&dir.join("grids.csv"));
    std::fs::write(dir.join("grids.csv"), &grids[..grids.len() - 3]).unwrap();
    cogov(tmp.path())
        .args(["report", "run"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("grids.csv` is damaged: line"))
        .stderr(predicates::str::contains("cut short"));
    // A grid number no map can have is a damaged row, not a reason to allocate.
    let mut huge = grids.clone();
    let second = huge.find('\n').unwrap() + 1;
    let field = second + huge[second..].find(',').unwrap() + 1;
    let end = field + huge[field..].find(',').unwrap();
    huge.replace_range(field..end, "900000000000");
    std::fs::write(dir.join("grids.csv"), &huge).unwrap();
    cogov(tmp.path())
        .args(["report", "run"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("line 2 cannot be read"));
    // Cut at a line break: a row is missing, which the counts catch.
    let cut = grids[..grids.len() - 1].rfind('\n').unwrap() + 1;
    std::fs::write(dir.join("grids.csv"), &grids[..cut]).unwrap();
    cogov(tmp.path())
        .args(["report", "run"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("the manifest implies"));
    // Without its map and its series, the report drops those charts, files too.
    std::fs::remove_file(dir.join("grids.csv")).unwrap();
    std::fs::remove_file(dir.join("timeseries.csv")).unwrap();
    cogov(tmp.path()).args(["report", "run"]).assert().success();
    assert!(plots(&dir).is_empty(), "{:?}", plots(&dir));
    assert!(!read(&dir.join("report.html")).contains("<svg"));
}
