//! The page's charts over time, drawn by the same chart code as the reports: each
//! headline series, the baseline (dashed) against the current settings, with 95%
//! bands across the pairs so far.

use super::compare::{SeriesPair, Snapshot};
use crate::chart::{self, Band, BandPoint, Frame};

/// One SVG per series of `snapshot`, in its order; `warmup` marks where the measured
/// window starts.
pub fn series_charts(snapshot: &Snapshot, names: [&str; 2], warmup: u64) -> Vec<String> {
    snapshot
        .series
        .iter()
        .map(|s| series_chart(s, names, warmup, snapshot.replications))
        .collect()
}

fn series_chart(s: &SeriesPair, names: [&str; 2], warmup: u64, pairs: u64) -> String {
    let band = |name: &str, values: &[[f64; 3]], dashed: bool| Band {
        name: name.to_string(),
        points: s
            .ticks
            .iter()
            .zip(values)
            .map(|(&t, &[mean, low, high])| BandPoint {
                x: t as f64,
                mean,
                low,
                high,
                flagged: false,
            })
            .collect(),
        dashed,
    };
    let label = s.series.replace('_', " ");
    let frame = Frame::new(
        format!("workshop-{}", s.series),
        format!("{label} over time"),
        format!(
            "{} ({}) by day, the baseline (dashed) against the current settings: mean over {pairs} replications with 95% bands.",
            s.series, s.unit
        ),
        "day",
        s.unit,
    )
    .size(560.0, 300.0);
    let marks = if warmup > 0 {
        vec![(warmup as f64, "measuring starts".to_string())]
    } else {
        vec![]
    };
    chart::lines(
        &frame,
        &[
            band(names[0], &s.baseline, true),
            band(names[1], &s.current, false),
        ],
        &marks,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_per_series_with_both_lines() {
        let pair = SeriesPair {
            series: "incidents",
            unit: "count",
            ticks: vec![7, 14, 21],
            baseline: vec![[3.0, 2.0, 4.0], [3.5, 2.5, 4.5], [3.0, 2.0, 4.0]],
            current: vec![[2.0, 1.5, 2.5], [2.2, 1.6, 2.8], [2.1, 1.5, 2.7]],
        };
        let snapshot = Snapshot {
            replications: 3,
            target: 20,
            cards: vec![],
            series: vec![
                pair.clone(),
                SeriesPair {
                    series: "trust_in_police",
                    ..pair
                },
            ],
        };
        let svgs = series_charts(&snapshot, ["baseline", "workshop"], 10);
        assert_eq!(svgs.len(), 2);
        for svg in &svgs {
            roxmltree::Document::parse(svg).unwrap();
            assert!(svg.contains("baseline") && svg.contains("workshop"));
            assert!(svg.contains("measuring starts"));
        }
        assert!(svgs[1].contains("trust in police over time"));
    }
}
