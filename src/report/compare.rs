//! The report of `cogov compare`: what each reform does, in words and pictures.

use super::data;
use super::read::Results;
use super::run::{band_of, warmup_mark};
use super::words::{self, Change, number, signed_percent};
// The chart draws its own `Verdict`; the metric tables judge with this one.
use super::{Builder, ReportError, page};
use crate::chart::{self, ForestGroup, ForestRow, Frame, Verdict};
use crate::schema::metrics::Group;
use crate::schema::metrics::Verdict as Judgement;
use crate::stats::{Summary, fieller};

/// A file-name-safe form of a scenario's label.
pub(super) fn slug(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "scenario".into() } else { s }
}

/// The (baseline, reform) pairs of metric `m`, replication by replication.
fn pairs(values: &[Vec<Vec<f64>>], reform: usize, m: usize) -> Vec<(f64, f64)> {
    values[0]
        .iter()
        .zip(&values[reform])
        .map(|(b, r)| (b[m], r[m]))
        .collect()
}

fn verdict(j: Judgement) -> Verdict {
    match j {
        Judgement::Better => Verdict::Better,
        Judgement::Worse => Verdict::Worse,
        Judgement::Unclear => Verdict::Unclear,
        Judgement::Changed => Verdict::Neutral,
    }
}

fn judgement_cell(j: Judgement) -> String {
    match j {
        Judgement::Better => "<span class=\"better\">better</span>".into(),
        Judgement::Worse => "<span class=\"worse\">worse</span>".into(),
        Judgement::Unclear => "<span class=\"unclear\">unclear</span>".into(),
        Judgement::Changed => "changed".into(),
    }
}

pub(super) fn build(results: &Results, b: &mut Builder) -> Result<(), ReportError> {
    let model = results.model;
    let defs = model.metrics();
    let values = results.runs()?;
    let headline = model.headline_metrics();
    let key = model.key_metrics();
    let reforms = 1..results.labels.len();
    let change = |r: usize, m: usize| Change::of(&defs[m], &pairs(&values, r, m));

    // Headlines.
    let mut html = page::paragraph(
        "note",
        &format!(
            "Each reform against the baseline `{}`, replication by replication on the same seeds (common random numbers). Changes are paired; a change counts only when its 95% interval excludes zero. Shares change in points (0.01 is one point), other metrics in per cent of the baseline.",
            results.labels[0]
        ),
    );
    for r in reforms.clone() {
        let key_changes: Vec<Change> = key.iter().map(|&m| change(r, m)).collect();
        let others: Vec<Change> = headline
            .iter()
            .filter(|m| !key.contains(m))
            .map(|&m| change(r, m))
            .collect();
        html.push_str(&page::paragraph(
            "headline",
            &words::headline(&results.labels[r], &key_changes, &others),
        ));
    }
    b.page.section("headlines", "What each reform does", html);

    // Forest plots.
    let mut html = page::paragraph(
        "note",
        "Relative change of each headline metric, reform against baseline, with its 95% interval (Fieller's, for the ratio of the paired means). Blue: better; vermillion: worse; grey: the interval includes no change.",
    );
    for r in reforms.clone() {
        let mut groups: Vec<ForestGroup> = Vec::new();
        for group in [
            Group::PublicOrder,
            Group::Cooperation,
            Group::Cost,
            Group::Other,
        ] {
            let rows: Vec<ForestRow> = headline
                .iter()
                .filter(|&&m| defs[m].group == group)
                .map(|&m| {
                    let c = change(r, m);
                    let (est, low, high) = c.relative();
                    let note = if est.is_nan() {
                        "NA".to_string()
                    } else if low.is_nan() {
                        format!("{} (interval unbounded)", signed_percent(est))
                    } else {
                        format!(
                            "{} ({} to {})",
                            signed_percent(est),
                            signed_percent(low),
                            signed_percent(high)
                        )
                    };
                    ForestRow {
                        label: words::label(&defs[m]),
                        estimate: est * 100.0,
                        low: low * 100.0,
                        high: high * 100.0,
                        verdict: verdict(c.judgement()),
                        note,
                    }
                })
                .collect();
            if !rows.is_empty() {
                groups.push(ForestGroup {
                    name: group.name().to_string(),
                    rows,
                });
            }
        }
        let name = format!("compare-forest-{r}-{}", slug(&results.labels[r]));
        let frame = Frame::new(
            &name,
            format!("{}: change against the baseline", results.labels[r]),
            format!(
                "Forest plot for the reform {}: the paired relative change of each headline metric against the baseline {}, in per cent, with 95% intervals, grouped into public order, cooperation and cost; each marked better, worse or unclear.",
                results.labels[r], results.labels[0]
            ),
            "change relative to baseline (%)",
            "metric",
        )
        .size(760.0, 0.0);
        let svg = chart::forest(&frame, &groups);
        html.push_str(&b.figure(
            &name,
            svg,
            &format!(
                "{}: relative changes with 95% intervals.",
                results.labels[r]
            ),
        ));
    }
    b.page
        .section("forest", "Changes with their intervals", html);

    if let Some(html) = cost_section(results, &values) {
        b.page.section("cost", "Cost per incident prevented", html);
    }

    // Time series.
    let series = model.headline_series();
    if let Some(bands) = data::series_bands(results, &series)? {
        let sdefs = model.series();
        let marks = warmup_mark(&bands);
        let every = bands
            .ticks
            .get(1)
            .zip(bands.ticks.first())
            .map_or(1, |(a, b)| a - b);
        let tick = super::run::tick_word(model);
        let sampled = if every == 1 {
            format!("every {tick}")
        } else {
            format!("one {tick} in {every}")
        };
        let mut html = page::paragraph(
            "note",
            &format!(
                "Mean over {} replications at {sampled} (as written to timeseries.csv), with 95% bands, the baseline against each reform.",
                results.replications
            ),
        );
        for (i, &s) in series.iter().enumerate() {
            let def = &sdefs[s];
            let lines: Vec<_> = (0..results.labels.len())
                .map(|p| {
                    let mut band = band_of(&results.labels[p], def, &bands, p, i);
                    band.dashed = p == 0;
                    band
                })
                .collect();
            let name = format!("compare-series-{}", def.name);
            let title = format!("{} over time", words::label(def));
            let frame = Frame::new(
                &name,
                &title,
                format!(
                    "{} ({}) over time for the baseline (dashed) and each reform: mean over {} replications with 95% bands.",
                    def.name, def.unit, results.replications
                ),
                super::run::tick_label(model),
                def.unit,
            )
            .size(760.0, 380.0);
            let svg = chart::lines(&frame, &lines, &marks);
            html.push_str(&b.figure(
                &name,
                svg,
                &format!("{title}: baseline (dashed) and reforms."),
            ));
        }
        b.page.section("time", "Over time", html);
    }

    // The table.
    let mut rows = Vec::new();
    for r in reforms {
        rows.push(vec![format!(
            "#group {}",
            chart::escape(&results.labels[r])
        )]);
        for &m in &headline {
            let c = change(r, m);
            let d = &c.difference;
            let (rel, low, high) = c.relative();
            rows.push(vec![
                format!("<code>{}</code>", defs[m].name),
                number(c.baseline),
                number(c.reform),
                format!(
                    "{} ({} to {})",
                    number(d.mean),
                    number(d.ci95_low),
                    number(d.ci95_high)
                ),
                if low.is_nan() {
                    signed_percent(rel)
                } else {
                    format!(
                        "{} ({} to {})",
                        signed_percent(rel),
                        signed_percent(low),
                        signed_percent(high)
                    )
                },
                judgement_cell(c.judgement()),
            ]);
        }
    }
    let html = format!(
        "{}{}",
        page::paragraph(
            "note",
            "The headline metrics; comparison.csv has every metric, with the effect size.",
        ),
        page::table(
            &[
                "metric",
                "baseline",
                "reform",
                "difference (95% CI)",
                "relative (95% CI)",
                "verdict"
            ],
            &[5],
            &rows,
        )
    );
    b.page.section("table", "Table", html);
    Ok(())
}

/// The cost per incident prevented, when the model has both a cost and an incident
/// rate per 1,000 residents.
fn cost_section(results: &Results, values: &[Vec<Vec<f64>>]) -> Option<String> {
    let defs = results.model.metrics();
    let find = |name: &str| defs.iter().position(|d| d.name == name);
    let (incidents, cost) = (find("incidents_per_1000")?, find("public_cost_per_1000")?);
    // Results from before the cost metric existed have no such column.
    if values.iter().flatten().all(|run| run[cost].is_nan()) {
        return None;
    }
    let mut rows = Vec::new();
    for r in 1..results.labels.len() {
        let inc = pairs(values, r, incidents);
        let cst = pairs(values, r, cost);
        // Per replication: extra cost, incidents prevented (both per 1,000 residents).
        let per: Vec<(f64, f64)> = inc
            .iter()
            .zip(&cst)
            .map(|(&(ib, ir), &(cb, cr))| (cr - cb, ib - ir))
            .collect();
        let prevented = Summary::of(&per.iter().map(|p| p.1).collect::<Vec<_>>());
        let extra = Summary::of(&per.iter().map(|p| p.0).collect::<Vec<_>>());
        let ratio = fieller(&per);
        let clear_prevention = prevented.ci95_low > 0.0;
        let reading = if !clear_prevention {
            "not defined: the reform does not clearly prevent incidents".to_string()
        } else if ratio.low.is_nan() {
            format!("{} yuan; the interval is unbounded", number(ratio.estimate))
        } else if ratio.high < 0.0 {
            format!(
                "saves {} yuan per incident prevented (95% CI {} to {}): cheaper and safer",
                number(-ratio.estimate),
                number(-ratio.high),
                number(-ratio.low)
            )
        } else {
            format!(
                "{} yuan (95% CI {} to {})",
                number(ratio.estimate),
                number(ratio.low),
                number(ratio.high)
            )
        };
        let interval = |s: &Summary| {
            format!(
                "{} ({} to {})",
                number(s.mean),
                number(s.ci95_low),
                number(s.ci95_high)
            )
        };
        rows.push(vec![
            chart::escape(&results.labels[r]),
            interval(&prevented),
            interval(&extra),
            chart::escape(&reading),
        ]);
    }
    Some(format!(
        "{}{}",
        page::paragraph(
            "note",
            "Incidents prevented and extra public cost (public_cost_per_1000: staff hours at unit costs, incentives, inspections), both per 1,000 residents a year, paired replication by replication. The cost per incident prevented is the ratio of their means; its 95% interval is Fieller's (1954), which allows for the uncertainty of both and their correlation, and is unbounded when the incidents prevented are not clearly above zero.",
        ),
        page::table(
            &[
                "reform",
                "incidents prevented per 1,000 a year (95% CI)",
                "extra cost per 1,000 a year, yuan (95% CI)",
                "cost per incident prevented"
            ],
            &[3],
            &rows,
        )
    ))
}
