//! Result 3, concentration of incidents (Weisburd 2015): the share of incidents in
//! the top 5% of grids, against the heterogeneity of the grids' opportunity, on the
//! shipped 6 x 6 district and on a 20 x 20 lattice of small grids. Writes
//! `concentration.csv`.

use std::path::Path;

use cogov::model::co_governance::metrics::{Metric, PLAUSIBLE_MAX_INCIDENTS_PER_1000};
use cogov::output::csv::CsvTable;
use cogov::schema::ParamValue;
use cogov::stats::Summary;

use crate::report::{Finding, Report, above_zero};
use crate::runs::{mean, median, paired, replicate, scenario, with};
use crate::tables::{num, show, text, write};

/// Replications per heterogeneity level.
const CONCENTRATION_RUNS: u64 = 100;

pub fn concentration(out: &Path) -> std::io::Result<Report> {
    let mut report = Report::new("3. Concentration of incidents (Weisburd 2015)");
    let lattices = [
        (
            "6x6 grids of 300 households",
            "scenarios/tongxiang_baseline.toml",
        ),
        (
            "20x20 grids of 50 households",
            "scenarios/validation/concentration_lattice.toml",
        ),
    ];
    let levels = [0.0, 0.8, 1.5];
    let mut table = CsvTable::new(&[
        "lattice",
        "grids",
        "top5_grids",
        "heterogeneity",
        "runs",
        "incident_top5_share",
        "ci95_low",
        "ci95_high",
        "incident_concentration_top10",
        "difference_vs_0",
        "difference_ci95_low",
        "difference_ci95_high",
        "incidents_per_1000",
        "incidents_per_1000_median",
        "incidents_per_1000_max",
        "incident_top5_share_median",
        "runaway_runs",
    ]);
    println!(
        "{:<30} {:>5} {:>13} {:>22} {:>7} {:>8} {:>26} {:>8}",
        "lattice",
        "sigma",
        "top 5% share",
        "95% CI",
        "median",
        "top 10%",
        "minus sigma 0 [95% CI]",
        "runaway"
    );
    let mut large = Vec::new();
    for (lattice, file) in lattices {
        let base = scenario(file);
        let grids = base
            .co_governance()
            .expect("a co-governance scenario")
            .grid_count();
        let top5 = (grids as f64 * 0.05).ceil();
        let runs: Vec<Vec<Vec<f64>>> = levels
            .iter()
            .map(|&h| {
                let p = with(
                    &base,
                    "district.opportunity_heterogeneity",
                    ParamValue::Real(h),
                );
                replicate(&p, CONCENTRATION_RUNS)
                    .into_iter()
                    .map(|o| o.metrics)
                    .collect()
            })
            .collect();
        let get = |k: usize, m: Metric| runs[k].iter().map(|o| o[m as usize]).collect::<Vec<_>>();
        // A run has run away when its incident rate exceeds ten times the median run
        // with identical grids, or the plausibility bound that `cogov run` flags
        // (docs/model.md, Stability). Near repeat saturates since issue 10, so none
        // is expected; the count shows it (see VALIDATION.md).
        let runaway_rate =
            (10.0 * median(get(0, Metric::IncidentsPer1000))).min(PLAUSIBLE_MAX_INCIDENTS_PER_1000);
        let mut summaries = Vec::new();
        for (k, &h) in levels.iter().enumerate() {
            let s = Summary::of(&get(k, Metric::IncidentTop5Share));
            let median_share = median(get(k, Metric::IncidentTop5Share));
            let runaway = get(k, Metric::IncidentsPer1000)
                .iter()
                .filter(|&&x| x > runaway_rate)
                .count();
            let d = paired(&runs[k], &runs[0], |a, b| {
                a[Metric::IncidentTop5Share as usize] - b[Metric::IncidentTop5Share as usize]
            });
            let top10 = mean(&get(k, Metric::IncidentConcentration));
            let rate = mean(&get(k, Metric::IncidentsPer1000));
            table.push(&[
                text(lattice),
                grids.into(),
                top5.into(),
                num(h),
                runs[k].len().into(),
                num(s.mean),
                num(s.ci95_low),
                num(s.ci95_high),
                num(top10),
                num(d.mean),
                num(d.ci95_low),
                num(d.ci95_high),
                num(rate),
                num(median(get(k, Metric::IncidentsPer1000))),
                num(get(k, Metric::IncidentsPer1000)
                    .into_iter()
                    .fold(f64::NEG_INFINITY, f64::max)),
                num(median_share),
                runaway.into(),
            ]);
            println!(
                "{:<30} {:>5} {:>13} {:>22} {:>7} {:>8} {:>26} {:>8}",
                lattice,
                h,
                show(s.mean, 4),
                format!("[{}, {}]", show(s.ci95_low, 4), show(s.ci95_high, 4)),
                show(median_share, 4),
                show(top10, 4),
                if k == 0 {
                    String::new()
                } else {
                    format!(
                        "{} [{}, {}]",
                        show(d.mean, 4),
                        show(d.ci95_low, 4),
                        show(d.ci95_high, 4)
                    )
                },
                format!("{runaway}/{}", runs[k].len()),
            );
            summaries.push((h, s, d));
        }
        if file.contains("concentration_lattice") {
            large = summaries;
        }
    }
    write(&table, out, "concentration.csv")?;
    for (h, s, d) in &large[1..] {
        report.check(
            format!(
                "20 x 20 grids, heterogeneity {h}: the top 5% of grids hold more incidents than with identical grids"
            ),
            above_zero(d),
            Finding::Holds,
            format!(
                "top 5% share {} vs {} at 0; paired difference {} [{}, {}]",
                show(s.mean, 3),
                show(large[0].1.mean, 3),
                show(d.mean, 3),
                show(d.ci95_low, 3),
                show(d.ci95_high, 3)
            ),
        );
    }
    // Weisburd's magnitude: about half of crime on 2-6% of street segments. The top
    // 5% of grids holding at least 40% is read as matching it.
    for (h, s, _) in &large[1..] {
        let recorded = if *h > 1.0 {
            Finding::Holds
        } else {
            Finding::Fails
        };
        report.check(
            format!(
                "20 x 20 grids, heterogeneity {h}: about half of incidents in the top 5% of grids (share at least 0.4)"
            ),
            if s.ci95_low >= 0.4 {
                Finding::Holds
            } else if s.ci95_high < 0.4 {
                Finding::Fails
            } else {
                Finding::Undecided
            },
            recorded,
            format!(
                "top 5% share {} [{}, {}]",
                show(s.mean, 3),
                show(s.ci95_low, 3),
                show(s.ci95_high, 3)
            ),
        );
    }
    Ok(report)
}
