//! Categorical lattice snapshots (Epstein's civil violence model): each cell drawn in
//! its state's colour, the legend naming each state with its count of cells.

use super::draw::{
    Anchor, LABEL_SIZE, LEGEND_ROW, LEGEND_SIZE, SWATCH_WIDTH, Svg, Swatch, no_data, swatch,
    text_width,
};
use super::grid::{grid_axes, grid_layout, row_runs};
use super::ticks::{count, num};
use super::{Frame, escape};

/// One state of a lattice cell and its colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub name: String,
    /// Any SVG colour, e.g. one of [`super::OKABE_ITO`].
    pub colour: String,
}

/// The legend heading of a lattice.
const STATE: &str = "state (cells)";
/// The legend label of empty lattice cells.
const EMPTY: &str = "empty";

/// A lattice snapshot: each of `width` × `height` cells (row-major, row 0 at the top)
/// holds an index into `categories`, drawn in that category's colour; 255, any other
/// index without a category, and missing cells are empty and left white. The legend
/// names each category with its count of cells ("quiet (1,203)").
pub fn lattice(
    frame: &Frame,
    width: usize,
    height: usize,
    cells: &[u8],
    categories: &[Category],
) -> String {
    if width == 0 || height == 0 {
        return no_data(frame);
    }
    let state = |k: usize| {
        cells
            .get(k)
            .map(|&s| s as usize)
            .filter(|&s| s < categories.len())
    };
    let mut counts = vec![0usize; categories.len()];
    let mut empty = 0;
    for k in 0..width * height {
        match state(k) {
            Some(s) => counts[s] += 1,
            None => empty += 1,
        }
    }
    let mut entries: Vec<(String, String)> = categories
        .iter()
        .zip(&counts)
        .map(|(c, n)| (escape(&c.colour), format!("{} ({})", c.name, count(*n))))
        .collect();
    if empty > 0 {
        entries.push(("#ffffff".to_string(), format!("{EMPTY} ({})", count(empty))));
    }
    let legend_width = 16.0
        + entries
            .iter()
            .map(|(_, label)| SWATCH_WIDTH + 6.0 + text_width(label, LEGEND_SIZE))
            .chain([text_width(STATE, LABEL_SIZE)])
            .fold(0.0, f64::max);
    let legend_height = (entries.len() + 1) as f64 * LEGEND_ROW + 10.0;
    let numbers = |n: usize| -> Vec<String> { (0..n).map(|i| i.to_string()).collect() };
    let (xs, ys) = (numbers(width), numbers(height));
    let grid = grid_layout(frame, width, height, &ys, legend_width, legend_height);
    let plot = grid.plot;

    let mut parts: Vec<String> = categories
        .iter()
        .zip(&counts)
        .map(|(c, n)| format!("{} {}", c.name, count(*n)))
        .collect();
    if empty > 0 {
        parts.push(format!("{EMPTY} {}", count(empty)));
    }
    let summary = format!("{width} × {height} cells: {}.", parts.join(", "));
    let mut svg = Svg::begin(frame, grid.width, grid.height, &summary);
    svg.push(&format!(
        "<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n",
        num(plot.x),
        num(plot.y),
        num(plot.w),
        num(plot.h)
    ));
    let mut markup = String::new();
    for row in 0..height {
        row_runs(&mut markup, &grid, row, width, |c| {
            state(row * width + c).map(|s| escape(&categories[s].colour))
        });
    }
    svg.push(&format!(
        "<g class=\"cells\" shape-rendering=\"crispEdges\">\n{markup}</g>\n"
    ));
    let ys: Vec<&str> = ys.iter().map(String::as_str).collect();
    grid_axes(&mut svg, frame, &grid, &xs, &ys);

    let left = plot.right() + 16.0;
    svg.push("<g class=\"legend\">\n");
    svg.text(
        "legend-label",
        left,
        plot.y + 12.0,
        Anchor::Start,
        LABEL_SIZE,
        STATE,
        "",
    );
    for (i, (colour, label)) in entries.iter().enumerate() {
        let mid = plot.y + (i + 1) as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        // The colour is escaped already; the swatch writes it as given.
        swatch(
            &mut svg,
            &Swatch::Block {
                fill: colour.clone(),
            },
            left - 4.0,
            mid,
        );
        svg.text(
            "legend-item",
            left - 4.0 + SWATCH_WIDTH + 6.0,
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

#[cfg(test)]
mod tests {
    use super::super::tests::{cell_fills, check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new("lat", "Civil violence", "Agents by state.", "column", "row")
    }

    fn categories() -> Vec<Category> {
        vec![
            Category {
                name: "quiet".to_string(),
                colour: "#56B4E9".to_string(),
            },
            Category {
                name: "active".to_string(),
                colour: "#D55E00".to_string(),
            },
        ]
    }

    #[test]
    fn lattice_merges_runs_and_counts_states() {
        let (w, h) = (40, 3);
        let mut cells = vec![0u8; w * h];
        // Row 1: 10 active in the middle; row 2: empty from column 30 on.
        cells[w + 15..w + 25].fill(1);
        cells[2 * w + 30..].fill(255);
        let frame = Frame::new(
            "lat",
            "Civil violence",
            "Agents by state.",
            "grid column (east)",
            "grid row (south)",
        );
        let svg = lattice(&frame, w, h, &cells, &categories());
        let texts = check_chart(&svg, &frame);
        let fills = cell_fills(&svg);
        // Row 0 is one run, row 1 three, row 2 one (its empty tail is not drawn).
        assert_eq!(
            fills,
            ["#56B4E9", "#56B4E9", "#D55E00", "#56B4E9", "#56B4E9"]
        );
        assert_eq!(
            texts_of(&texts, "legend-item"),
            ["quiet (100)", "active (10)", "empty (10)"]
        );
        assert_eq!(texts_of(&texts, "legend-label"), [STATE]);
    }

    #[test]
    fn lattice_counts_use_thousands_separators_and_stay_small() {
        let (w, h) = (200, 200);
        let cells: Vec<u8> = (0..w * h).map(|k| ((k / 7) % 2) as u8).collect();
        let frame = Frame::new("big", "Big", "A big lattice.", "column", "row");
        let svg = lattice(&frame, w, h, &cells, &categories());
        let texts = check_chart(&svg, &frame);
        let quiet = cells.iter().filter(|&&c| c == 0).count();
        assert_eq!(
            texts_of(&texts, "legend-item"),
            [
                format!("quiet ({})", count(quiet)),
                format!("active ({})", count(w * h - quiet))
            ]
        );
        assert!(quiet > 10_000 && texts_of(&texts, "legend-item")[0].contains(','));
        // One rect per run of equal state in each row.
        let runs: usize = cells
            .chunks(w)
            .map(|row| 1 + row.windows(2).filter(|p| p[0] != p[1]).count())
            .sum();
        assert_eq!(cell_fills(&svg).len(), runs);
        assert!(runs < w * h / 6);
    }

    #[test]
    fn lattice_without_cells_says_no_data() {
        let texts = check_chart(&lattice(&frame(), 0, 5, &[], &categories()), &frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
    }

    #[test]
    fn snapshot() {
        let cells = [0, 0, 1, 1, 255, 0, 1, 1, 0, 0, 0, 255];
        let frame = Frame::new(
            "lat",
            "Civil violence",
            "Agents by state.",
            "grid column (east)",
            "grid row (south)",
        )
        .size(420.0, 220.0);
        insta::assert_snapshot!(lattice(&frame, 4, 3, &cells, &categories()));
    }
}
