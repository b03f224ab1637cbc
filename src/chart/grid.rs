//! The square-cell grid shared by heat maps, district maps and lattices: where the
//! cells go, which row and column labels show, and cells written as merged runs.
//!
//! Cells are square: the plot keeps the grid's aspect ratio, as large as the frame
//! allows beside a legend column, and the chart is no wider than it needs to be.
//! Horizontal runs of cells with the same fill are one `<rect>`, so a 200 × 200 grid
//! stays small.

use super::Frame;
use super::draw::{
    Anchor, LABEL_SIZE, PLOT_TOP, Rect, Svg, TICK_SIZE, TITLE_SIZE, Y_LABEL_X, text_width, x_label,
    y_label, y_label_extra,
};
use super::ticks::{num, round2};

/// At most this many tick labels on a grid axis.
pub(super) const MAX_LABELS: usize = 20;

/// Where a grid's cells go.
pub(super) struct Grid {
    pub(super) plot: Rect,
    pub(super) cell: f64,
    /// Width of the whole chart, shrunk to its content.
    pub(super) width: f64,
    pub(super) height: f64,
}

/// Square cells for `cols` × `rows` labelled by `ys` on the left, as large as fit
/// beside a right-hand legend column `legend_width` wide that needs `legend_height`.
pub(super) fn grid_layout(
    frame: &Frame,
    cols: usize,
    rows: usize,
    ys: &[String],
    legend_width: f64,
    legend_height: f64,
) -> Grid {
    let label_width = ys
        .iter()
        .map(|y| text_width(y, TICK_SIZE))
        .fold(0.0, f64::max);
    let available_h = (frame.height() - PLOT_TOP - 44.0).max(40.0);
    let place = |wrap: f64| {
        let left = Y_LABEL_X + 10.0 + wrap + label_width;
        let available_w = (frame.width() - left - legend_width - 12.0).max(40.0);
        let cell = (available_w / cols as f64).min(available_h / rows as f64);
        let plot = Rect {
            x: left,
            y: PLOT_TOP,
            w: cell * cols as f64,
            h: cell * rows as f64,
        };
        (plot, cell)
    };
    // Room for a y label wrapped into two lines shrinks the plot, so it still wraps.
    let (plot, cell) = place(0.0);
    let wrap = y_label_extra(&frame.y_label, plot.h);
    let (plot, cell) = if wrap > 0.0 {
        place(wrap)
    } else {
        (plot, cell)
    };
    let title = text_width(&frame.title, TITLE_SIZE) + 24.0;
    let width = (plot.right() + legend_width + 12.0)
        .max(title)
        .min(frame.width());
    let height = frame.height().max(PLOT_TOP + legend_height + 10.0);
    Grid {
        plot,
        cell,
        width,
        height,
    }
}

/// Show every `k`-th of `n` labels, so at most [`MAX_LABELS`] show and each has `room`
/// in `k` cells of size `cell`.
pub(super) fn label_step(n: usize, cell: f64, room: f64) -> usize {
    let by_count = n.div_ceil(MAX_LABELS).max(1);
    let by_room = if cell > 0.0 {
        (room / cell).ceil().max(1.0) as usize
    } else {
        n.max(1)
    };
    by_count.max(by_room)
}

/// Column labels under the grid, row labels (`ys`, top to bottom) left of it, and the
/// frame's axis labels.
pub(super) fn grid_axes(svg: &mut Svg, frame: &Frame, grid: &Grid, xs: &[String], ys: &[&str]) {
    let plot = grid.plot;
    svg.push("<g class=\"x-axis\">\n");
    let widest = xs
        .iter()
        .map(|x| text_width(x, TICK_SIZE))
        .fold(0.0, f64::max);
    let step = label_step(xs.len(), grid.cell, widest + 6.0);
    for (i, x) in xs.iter().enumerate().step_by(step) {
        let cx = plot.x + (i as f64 + 0.5) * grid.cell;
        svg.text(
            "tick",
            cx,
            plot.bottom() + 16.0,
            Anchor::Middle,
            TICK_SIZE,
            x,
            "",
        );
    }
    let half_label = text_width(&frame.x_label, LABEL_SIZE) / 2.0 + 4.0;
    let centre = (plot.x + plot.w / 2.0).max(half_label);
    x_label(svg, centre, plot.bottom() + 36.0, &frame.x_label);
    svg.push("</g>\n<g class=\"y-axis\">\n");
    let step = label_step(ys.len(), grid.cell, TICK_SIZE + 3.0);
    for (j, y) in ys.iter().enumerate().step_by(step) {
        let cy = plot.y + (j as f64 + 0.5) * grid.cell;
        svg.text(
            "tick",
            plot.x - 6.0,
            cy + 4.0,
            Anchor::End,
            TICK_SIZE,
            y,
            "",
        );
    }
    y_label(svg, plot.y + plot.h / 2.0, &frame.y_label, plot.h);
    svg.push("</g>\n");
}

/// Writes one row of cells as `<rect>`s, merging horizontal runs of equal fill; `fill`
/// gives a column's fill, or `None` to leave it out.
pub(super) fn row_runs(
    out: &mut String,
    grid: &Grid,
    row: usize,
    cols: usize,
    fill: impl Fn(usize) -> Option<String>,
) {
    let plot = grid.plot;
    let edge = |k: usize| round2(plot.x + k as f64 * grid.cell);
    let (top, bottom) = (
        round2(plot.y + row as f64 * grid.cell),
        round2(plot.y + (row + 1) as f64 * grid.cell),
    );
    let mut start = 0;
    while start < cols {
        let colour = fill(start);
        let mut end = start + 1;
        while end < cols && fill(end) == colour {
            end += 1;
        }
        if let Some(colour) = colour {
            out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>\n",
                num(edge(start)),
                num(top),
                num(edge(end) - edge(start)),
                num(bottom - top)
            ));
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_axes_show_every_kth_label() {
        // 60 labels: every 3rd by count; 13 px labels in 2 px cells: every 7th by room.
        assert_eq!(label_step(60, 5.0, 13.0), 3);
        assert_eq!(label_step(10, 2.0, 13.0), 7);
        assert_eq!(label_step(10, 30.0, 13.0), 1);
        assert_eq!(label_step(10, 0.0, 13.0), 10);
    }
}
