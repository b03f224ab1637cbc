//! Heat maps of two swept parameters, and district maps coloured by a value: cells on
//! the viridis scale with a colour bar. Cells without data are hatched and named in the
//! legend, never coloured as if they were zero; flagged cells carry a mark.

use super::draw::{
    Anchor, INK, LABEL_SIZE, LEGEND_ROW, LEGEND_SIZE, LINE_GAP, Marker, Rect, SWATCH_WIDTH, Svg,
    Swatch, TICK_SIZE, finite_range, no_data, swatch, text_lines, text_width, wrap_words,
};
use super::grid::{Grid, grid_axes, grid_layout, row_runs};
use super::ticks::{counted, format_tick, nice_ticks, num, padded, short_number};
use super::{Frame, contrast_ink, escape, viridis};

/// Values on a grid of labelled columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// Column tick labels, left to right.
    pub xs: Vec<String>,
    /// Row tick labels; `ys[0]` is the top row unless `flip`.
    pub ys: Vec<String>,
    /// Row-major, `ys.len() * xs.len()` values; NaN (or a missing value) is no data.
    pub values: Vec<f64>,
    /// Empty, or one flag per value: flagged cells get a cross.
    pub flagged: Vec<bool>,
    /// Label of the colour bar, with units.
    pub legend_label: String,
    /// Writes each value in its cell when the cells are big enough for the text.
    pub annotate: bool,
    /// Puts `ys[0]` at the bottom, as on a y axis that grows upwards.
    pub flip: bool,
}

impl HeatMap {
    /// A heat map with no flags, no annotations and `ys[0]` at the top.
    pub fn new(
        xs: Vec<String>,
        ys: Vec<String>,
        values: Vec<f64>,
        legend_label: impl Into<String>,
    ) -> HeatMap {
        HeatMap {
            xs,
            ys,
            values,
            flagged: Vec::new(),
            legend_label: legend_label.into(),
            annotate: false,
            flip: false,
        }
    }

    fn value(&self, row: usize, col: usize) -> f64 {
        self.values
            .get(row * self.xs.len() + col)
            .copied()
            .unwrap_or(f64::NAN)
    }

    fn is_flagged(&self, row: usize, col: usize) -> bool {
        self.flagged
            .get(row * self.xs.len() + col)
            .copied()
            .unwrap_or(false)
    }
}

/// The label of cells without data.
const NO_DATA: &str = "no data";
/// The label of flagged cells.
const FLAGGED: &str = "flagged";
/// The shortest colour bar.
const MIN_BAR: f64 = 80.0;
/// A heat map: each cell coloured by its value on the viridis scale, a colour bar with
/// nice ticks under the `legend_label`, hatched cells for no data and marks on flagged
/// cells (a cross, or an outline when values are written in the cells), each named in
/// the legend when present. With `annotate`, values are written in cells big enough for
/// them, in black or white for contrast.
pub fn heat_map(frame: &Frame, map: &HeatMap) -> String {
    let (cols, rows) = (map.xs.len(), map.ys.len());
    let cells = cols * rows;
    let Some((lo, hi)) = finite_range((0..cells).map(|k| map.value(k / cols, k % cols))) else {
        return no_data(frame);
    };
    let (d0, d1) = padded(lo, hi);
    let bar_ticks = colour_bar_ticks(lo, hi);
    let missing = (0..cells)
        .filter(|&k| !map.value(k / cols, k % cols).is_finite())
        .count();
    let flagged = (0..cells)
        .filter(|&k| map.is_flagged(k / cols, k % cols))
        .count();

    // The legend column: its label, the colour bar with ticks, then "no data" and
    // "flagged" entries.
    let label_lines = wrap_words(&map.legend_label, LABEL_SIZE, LEGEND_LABEL_WIDTH);
    let label_width = label_lines
        .iter()
        .map(|l| text_width(l.trim_end(), LABEL_SIZE))
        .fold(0.0, f64::max);
    let label_height = label_lines.len() as f64 * LINE_GAP + 8.0;
    let tick_width = bar_ticks
        .iter()
        .map(|(_, t)| text_width(t, TICK_SIZE))
        .fold(0.0, f64::max);
    let extras: Vec<&str> = [(missing > 0, NO_DATA), (flagged > 0, FLAGGED)]
        .into_iter()
        .filter_map(|(shown, label)| shown.then_some(label))
        .collect();
    let extras_width = extras
        .iter()
        .map(|label| SWATCH_WIDTH + 2.0 + text_width(label, LEGEND_SIZE))
        .fold(0.0, f64::max);
    let legend_width = 16.0
        + label_width
            .max(BAR_WIDTH + 9.0 + tick_width)
            .max(extras_width);
    let extras_height = match extras.len() {
        0 => 0.0,
        n => 10.0 + n as f64 * LEGEND_ROW,
    };
    let legend_height = label_height + MIN_BAR + extras_height;
    let grid = grid_layout(frame, cols, rows, &map.ys, legend_width, legend_height);
    let plot = grid.plot;

    let mut summary = format!(
        "{rows} × {cols} grid; values from {} to {}",
        short_number(lo),
        short_number(hi)
    );
    if missing > 0 {
        let cells = counted(missing, "cell", "cells");
        summary.push_str(&format!("; {cells} without data"));
    }
    if flagged > 0 {
        let cells = counted(flagged, "cell", "cells");
        summary.push_str(&format!("; {cells} {FLAGGED}"));
    }
    summary.push('.');
    let mut svg = Svg::begin(frame, grid.width, grid.height, &summary);
    let hatch = format!("url(#{})", svg.id("nodata"));
    if missing > 0 {
        svg.push(&format!(
            "<defs><pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
             <rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/>\
             <path d=\"M0 6L6 0M-1 1L1 -1M5 7L7 5\" stroke=\"#9a9a9a\" stroke-width=\"1\"/></pattern></defs>\n",
            svg.id("nodata")
        ));
    }
    let shade = Shade {
        map,
        lo: d0,
        hi: d1,
        hatch,
    };

    let mut cells_markup = String::new();
    for shown in 0..rows {
        let r = shade.data_row(shown);
        row_runs(&mut cells_markup, &grid, shown, cols, |c| {
            Some(shade.fill(map.value(r, c)))
        });
    }
    svg.push(&format!(
        "<g class=\"cells\" shape-rendering=\"crispEdges\">\n{cells_markup}</g>\n"
    ));
    let annotated = map.annotate && annotate(&mut svg, &grid, &shade);
    if flagged > 0 {
        flags(&mut svg, &grid, &shade, annotated);
    }
    let ys: Vec<&str> = (0..rows)
        .map(|shown| map.ys[shade.data_row(shown)].as_str())
        .collect();
    grid_axes(&mut svg, frame, &grid, &map.xs, &ys);

    let left = plot.right() + 16.0;
    svg.push("<g class=\"legend\">\n");
    text_lines(
        &mut svg,
        "legend-label",
        left,
        plot.y + 10.0,
        Anchor::Start,
        LABEL_SIZE,
        &label_lines,
        "",
    );
    let bar = Rect {
        x: left,
        y: plot.y + label_height,
        w: BAR_WIDTH,
        h: (plot.h.min(240.0) - label_height - extras_height).max(MIN_BAR),
    };
    colour_bar(&mut svg, bar, (d0, d1), &bar_ticks);
    for (i, label) in extras.iter().enumerate() {
        let sample = match (*label == NO_DATA, annotated) {
            (true, _) => Swatch::Block {
                fill: shade.hatch.clone(),
            },
            (false, true) => Swatch::Outline {
                colour: INK.to_string(),
            },
            (false, false) => Swatch::Marker {
                marker: Marker::Cross,
                colour: INK.to_string(),
            },
        };
        let mid = bar.bottom() + 10.0 + i as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        swatch(&mut svg, &sample, left - 4.0, mid);
        svg.text(
            "legend-item",
            left - 2.0 + SWATCH_WIDTH,
            mid + 4.0,
            Anchor::Start,
            LEGEND_SIZE,
            label,
            "",
        );
    }
    svg.push("</g>\n");
    svg.finish()
}

/// Width of the colour bar.
const BAR_WIDTH: f64 = 14.0;
/// Width at which the colour bar's label wraps.
const LEGEND_LABEL_WIDTH: f64 = 150.0;

/// How a heat map's cells are shaded and where its rows go.
struct Shade<'a> {
    map: &'a HeatMap,
    /// The colour scale's domain.
    lo: f64,
    hi: f64,
    /// The fill of cells without data.
    hatch: String,
}

impl Shade<'_> {
    /// The fill of a cell holding `value`.
    fn fill(&self, value: f64) -> String {
        if value.is_finite() {
            viridis((value - self.lo) / (self.hi - self.lo))
        } else {
            self.hatch.clone()
        }
    }

    /// The data row shown at display row `shown` (flipping is its own inverse).
    fn data_row(&self, shown: usize) -> usize {
        if self.map.flip {
            self.map.ys.len() - 1 - shown
        } else {
            shown
        }
    }

    /// Black or white, whichever reads better on a cell holding `value`.
    fn ink(&self, value: f64) -> &'static str {
        if value.is_finite() {
            contrast_ink(&self.fill(value))
        } else {
            "#000000"
        }
    }
}

/// The colour bar's labelled ticks: nice ticks inside `lo..=hi`, or the two ends if
/// fewer than two nice ticks fall inside.
fn colour_bar_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let ticks = nice_ticks(lo, hi, 5);
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        0.0
    };
    let slack = step * 1e-9;
    let inside: Vec<(f64, String)> = ticks
        .into_iter()
        .filter(|t| *t >= lo - slack && *t <= hi + slack)
        .map(|t| (t, format_tick(t, step)))
        .collect();
    if inside.len() >= 2 || lo == hi {
        inside
    } else {
        vec![(lo, short_number(lo)), (hi, short_number(hi))]
    }
}

/// A vertical viridis gradient in `bar` (low at the bottom) for the domain `d0..d1`,
/// with its ticks on the right.
fn colour_bar(svg: &mut Svg, bar: Rect, (d0, d1): (f64, f64), ticks: &[(f64, String)]) {
    let gradient = svg.id("scale");
    let stops: String = (0..=16)
        .map(|i| {
            let t = i as f64 / 16.0;
            format!(
                "<stop offset=\"{}\" stop-color=\"{}\"/>",
                num(t),
                viridis(t)
            )
        })
        .collect();
    svg.push(&format!(
        "<g class=\"colour-bar\">\n<defs><linearGradient id=\"{gradient}\" x1=\"0\" y1=\"1\" x2=\"0\" \
         y2=\"0\">{stops}</linearGradient></defs>\n"
    ));
    svg.push(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{gradient})\" stroke=\"#999999\" \
         stroke-width=\"0.5\"/>\n",
        num(bar.x),
        num(bar.y),
        num(bar.w),
        num(bar.h)
    ));
    for (value, text) in ticks {
        let y = bar.bottom() - (value - d0) / (d1 - d0) * bar.h;
        svg.line("tick-mark", bar.right(), y, bar.right() + 3.0, y, INK, "");
        svg.text(
            "tick",
            bar.right() + 6.0,
            y + 4.0,
            Anchor::Start,
            TICK_SIZE,
            text,
            "",
        );
    }
    svg.push("</g>\n");
}

/// Writes each value in its cell if every value fits its cell; says whether it did.
fn annotate(svg: &mut Svg, grid: &Grid, shade: &Shade) -> bool {
    let map = shade.map;
    let size = (grid.cell * 0.3).clamp(8.0, 11.0);
    let texts: Vec<(usize, usize, f64, String)> = (0..map.ys.len())
        .flat_map(|shown| (0..map.xs.len()).map(move |c| (shown, c)))
        .map(|(shown, c)| (shown, c, map.value(shade.data_row(shown), c)))
        .filter(|(_, _, v)| v.is_finite())
        .map(|(shown, c, v)| (shown, c, v, short_number(v)))
        .collect();
    let widest = texts
        .iter()
        .map(|t| text_width(&t.3, size))
        .fold(0.0, f64::max);
    if grid.cell < 14.0 || widest > grid.cell - 4.0 {
        return false;
    }
    svg.push("<g class=\"cell-values\">\n");
    for (shown, c, v, text) in texts {
        let x = grid.plot.x + (c as f64 + 0.5) * grid.cell;
        let y = grid.plot.y + (shown as f64 + 0.5) * grid.cell + size * 0.35;
        svg.push(&format!(
            "<text class=\"cell-value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" \
             fill=\"{}\">{}</text>\n",
            num(x),
            num(y),
            num(size),
            shade.ink(v),
            escape(&text)
        ));
    }
    svg.push("</g>\n");
    true
}

/// A mark on each flagged cell in black or white for contrast with the cell: an inset
/// outline when the cell holds its value as text, which a cross would hide, else a cross.
fn flags(svg: &mut Svg, grid: &Grid, shade: &Shade, outline: bool) {
    let map = shade.map;
    let (mut black, mut white) = (String::new(), String::new());
    let arm = (grid.cell * 0.3).max(1.0);
    let inset = (grid.cell * 0.12).max(1.0);
    for shown in 0..map.ys.len() {
        let r = shade.data_row(shown);
        for c in (0..map.xs.len()).filter(|&c| map.is_flagged(r, c)) {
            let x = grid.plot.x + (c as f64 + 0.5) * grid.cell;
            let y = grid.plot.y + (shown as f64 + 0.5) * grid.cell;
            let d = match shade.ink(map.value(r, c)) {
                "#000000" => &mut black,
                _ => &mut white,
            };
            if outline {
                let side = num(grid.cell - 2.0 * inset);
                d.push_str(&format!(
                    "M{} {}h{side}v{side}h-{side}z",
                    num(x - grid.cell / 2.0 + inset),
                    num(y - grid.cell / 2.0 + inset)
                ));
            } else {
                d.push_str(&format!(
                    "M{} {}L{} {}M{} {}L{} {}",
                    num(x - arm),
                    num(y - arm),
                    num(x + arm),
                    num(y + arm),
                    num(x - arm),
                    num(y + arm),
                    num(x + arm),
                    num(y - arm)
                ));
            }
        }
    }
    let width = if outline { 2.0 } else { 1.5 };
    for (d, ink) in [(black, "#000000"), (white, "#ffffff")] {
        if !d.is_empty() {
            svg.push(&format!(
                "<path class=\"flag\" d=\"{d}\" fill=\"none\" stroke=\"{ink}\" stroke-width=\"{}\"/>\n",
                num(width)
            ));
        }
    }
}

/// A district map: a `width` × `height` grid (row-major `values`, row 0 at the top)
/// coloured by value on the viridis scale; ticks are column and row numbers from 0.
/// Missing values count as no data.
pub fn district_map(
    frame: &Frame,
    width: usize,
    height: usize,
    values: &[f64],
    legend_label: &str,
) -> String {
    let numbers = |n: usize| -> Vec<String> { (0..n).map(|i| i.to_string()).collect() };
    let map = HeatMap::new(
        numbers(width),
        numbers(height),
        values.to_vec(),
        legend_label,
    );
    heat_map(frame, &map)
}

#[cfg(test)]
mod tests {
    use super::super::grid::MAX_LABELS;
    use super::super::tests::{cell_fills, check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            "fig-heat",
            "Incidents by patrol share and NGO budget",
            "Mean incidents for each pair of parameter values.",
            "patrol share",
            "NGO budget (EUR per resident)",
        )
    }

    fn labels(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    fn small() -> HeatMap {
        HeatMap {
            xs: labels(&["0.1", "0.2", "0.3"]),
            ys: labels(&["10", "20"]),
            values: vec![1.0, 2.0, 3.0, 4.0, f64::NAN, 6.0],
            flagged: vec![false, false, false, false, false, true],
            legend_label: "incidents per 1,000 residents".to_string(),
            annotate: true,
            flip: false,
        }
    }

    #[test]
    fn a_heat_map_keeps_the_promises() {
        let svg = heat_map(&frame(), &small());
        let texts = check_chart(&svg, &frame());
        assert_eq!(
            texts_of(&texts, "legend-label"),
            ["incidents per 1,000 residents"]
        );
        assert_eq!(texts_of(&texts, "legend-item"), [NO_DATA, FLAGGED]);
        let ticks = texts_of(&texts, "tick");
        assert!(
            ticks.starts_with(&["0.1", "0.2", "0.3", "10", "20"]),
            "{ticks:?}"
        );
        // The colour bar: ticks inside 1..6.
        assert!(
            ticks.ends_with(&["1", "2", "3", "4", "5", "6"]),
            "{ticks:?}"
        );
        assert_eq!(texts_of(&texts, "cell-value"), ["1", "2", "3", "4", "6"]);
    }

    #[test]
    fn the_extremes_get_the_ends_of_viridis_and_no_data_is_hatched() {
        let svg = heat_map(&frame(), &small());
        let fills = cell_fills(&svg);
        assert_eq!(fills.len(), 6);
        assert_eq!(fills[0], viridis(0.0));
        assert_eq!(fills[5], viridis(1.0));
        assert_eq!(fills[4], "url(#fig-heat-nodata)");
        assert!(svg.contains("<pattern id=\"fig-heat-nodata\""));
    }

    #[test]
    fn a_flagged_cell_gets_a_mark_in_contrasting_ink() {
        let flags = |map: &HeatMap| -> Vec<(String, String)> {
            let svg = heat_map(&frame(), map);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            doc.descendants()
                .filter(|n| n.attribute("class") == Some("flag"))
                .map(|n| {
                    let stroke = n.attribute("stroke").unwrap().to_string();
                    (stroke, n.attribute("d").unwrap().to_string())
                })
                .collect()
        };
        // The flagged cell holds the maximum, bright yellow, so its mark is black: an
        // outline around its written value, or a cross when values are not written.
        let mut map = small();
        let outline = flags(&map);
        assert_eq!(outline.len(), 1);
        assert_eq!(outline[0].0, "#000000");
        assert!(outline[0].1.ends_with('z') && outline[0].1.matches('M').count() == 1);
        map.annotate = false;
        let cross = flags(&map);
        assert_eq!(cross.len(), 1);
        assert_eq!(cross[0].0, "#000000");
        assert_eq!(cross[0].1.matches('M').count(), 2);
        // A flag on a dark cell is white.
        map.flagged = vec![true, false, false, false, false, false];
        assert_eq!(flags(&map)[0].0, "#ffffff");
    }

    #[test]
    fn cells_are_square_and_flip_puts_the_first_row_at_the_bottom() {
        let mut map = small();
        map.flip = true;
        let svg = heat_map(&frame(), &map);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let cells: Vec<_> = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("cells"))
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("rect"))
            .collect();
        let size = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        assert!((size(&cells[0], "width") - size(&cells[0], "height")).abs() < 0.02);
        // Flipped, the top row shows ys[1] = 20 and its values 4, NaN, 6.
        assert_eq!(
            cells[0].attribute("fill"),
            Some(viridis(3.0 / 5.0).as_str())
        );
        let texts = check_chart(&svg, &frame());
        assert_eq!(&texts_of(&texts, "tick")[3..5], ["20", "10"]);
    }

    #[test]
    fn equal_values_do_not_divide_by_zero_and_no_values_say_no_data() {
        let mut map = small();
        map.values = vec![2.0; 6];
        let svg = heat_map(&frame(), &map);
        check_chart(&svg, &frame());
        assert!(!svg.contains("NaN"));
        map.values = vec![f64::NAN; 6];
        let texts = check_chart(&heat_map(&frame(), &map), &frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
        let empty = HeatMap::new(vec![], vec![], vec![], "x");
        check_chart(&heat_map(&frame(), &empty), &frame());
    }

    #[test]
    fn crowded_axes_show_every_kth_label() {
        let n = 60;
        let values: Vec<f64> = (0..n * n).map(|k| k as f64).collect();
        let frame = Frame::new(
            "m",
            "Map",
            "A map.",
            "grid column (east)",
            "grid row (south)",
        );
        let svg = district_map(&frame, n, n, &values, "incidents");
        check_chart(&svg, &frame);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        // Column labels are centred, row labels end-anchored.
        let labels = |anchor: &str| -> Vec<usize> {
            doc.descendants()
                .filter(|t| t.attribute("class") == Some("tick"))
                .filter(|t| t.attribute("text-anchor") == Some(anchor))
                .map(|t| t.text().unwrap().parse().unwrap())
                .collect()
        };
        for shown in [labels("middle"), labels("end")] {
            assert!((3..=MAX_LABELS).contains(&shown.len()), "{shown:?}");
            assert_eq!(shown[0], 0);
            let step = shown[1] - shown[0];
            assert!(
                step > 1 && shown.windows(2).all(|w| w[1] - w[0] == step),
                "{shown:?}"
            );
        }
    }

    #[test]
    fn district_map_numbers_rows_and_columns() {
        let frame = Frame::new(
            "d",
            "Districts",
            "Incidents by district.",
            "grid column (east)",
            "grid row (south)",
        );
        let svg = district_map(
            &frame,
            3,
            2,
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            "incidents per year",
        );
        let texts = check_chart(&svg, &frame);
        assert_eq!(&texts_of(&texts, "tick")[..5], ["0", "1", "2", "0", "1"]);
        // The missing sixth value is no data.
        assert_eq!(texts_of(&texts, "legend-item"), [NO_DATA]);
        assert_eq!(texts_of(&texts, "legend-label"), ["incidents per year"]);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(heat_map(&frame().size(480.0, 260.0), &small()));
    }
}
