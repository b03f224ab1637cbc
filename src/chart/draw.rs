//! The drawing kit every chart shares: the SVG writer (root, `<title>`, `<desc>`,
//! visible title), numeric axes with grid lines, axis labels, legends, markers, the
//! standard plot layout and the "no data" chart. Layout estimates text width as 0.58 ×
//! the font size per character.

use super::ticks::{format_tick, nice_ticks, num, padded, short_number, tick_plan};
use super::{Frame, escape, xml_id};

/// Text, axes and zero lines.
pub(super) const INK: &str = "#222222";
/// Grid lines: light enough to recede behind the data.
pub(super) const GRID: &str = "#e3e3e3";
pub(super) const BACKGROUND: &str = "#ffffff";
pub(super) const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

pub(super) const TITLE_SIZE: f64 = 14.0;
pub(super) const LABEL_SIZE: f64 = 12.0;
pub(super) const TICK_SIZE: f64 = 11.0;
/// Estimated width of one character as a fraction of the font size, for layout.
pub(super) const CHAR_WIDTH: f64 = 0.58;
/// Height of one legend row.
pub(super) const LEGEND_ROW: f64 = 18.0;
/// Baseline of the visible title.
pub(super) const TITLE_BASELINE: f64 = 22.0;
/// Top of the plot area in charts with a title only above it.
pub(super) const PLOT_TOP: f64 = 40.0;
/// Baseline of the rotated y label (its glyphs extend to the left of it).
pub(super) const Y_LABEL_X: f64 = 16.0;

/// Estimated width of `text` at font size `size`.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH * size
}

/// A rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

impl Rect {
    pub(super) fn right(&self) -> f64 {
        self.x + self.w
    }

    pub(super) fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// An SVG document being written: the root, `<title>`, `<desc>`, background and visible
/// title come first, then whatever the chart adds.
pub(super) struct Svg {
    out: String,
    id: String,
}

impl Svg {
    /// Opens a `width` × `height` chart for `frame`; `summary` follows the alt text in
    /// `<desc>`.
    pub(super) fn begin(frame: &Frame, width: f64, height: f64, summary: &str) -> Svg {
        let id = xml_id(&frame.id);
        let (w, h) = (num(width), num(height));
        let alt = frame.alt.trim();
        let desc = match (alt.is_empty(), summary.is_empty()) {
            (true, _) => summary.to_string(),
            (false, true) => alt.to_string(),
            (false, false) => format!("{alt} {summary}"),
        };
        let mut out = String::with_capacity(8 * 1024);
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             class=\"chart\" font-family=\"{FONT_FAMILY}\">\n"
        ));
        out.push_str(&format!(
            "<title id=\"{id}-title\">{}</title>\n",
            escape(&frame.title)
        ));
        out.push_str(&format!(
            "<desc id=\"{id}-desc\">{}</desc>\n",
            escape(&desc)
        ));
        out.push_str(&format!(
            "<rect class=\"background\" width=\"{w}\" height=\"{h}\" fill=\"{BACKGROUND}\"/>\n"
        ));
        let mut svg = Svg { out, id };
        // A title too long for the chart gets smaller, down to 9 px, and is then
        // squeezed to the width rather than cut off at the edge.
        let room = (width - 24.0).max(1.0);
        let size = (TITLE_SIZE * room / text_width(&frame.title, TITLE_SIZE).max(1.0))
            .clamp(9.0, TITLE_SIZE);
        let squeeze = if text_width(&frame.title, size) > room {
            format!(
                " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
                num(room)
            )
        } else {
            String::new()
        };
        svg.text(
            "chart-title",
            12.0,
            TITLE_BASELINE,
            Anchor::Start,
            size,
            &frame.title,
            &format!(" font-weight=\"bold\"{squeeze}"),
        );
        svg
    }

    /// `{id}-{suffix}`: an id unique to this chart.
    pub(super) fn id(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.id)
    }

    pub(super) fn push(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A `<text>` element; `content` is escaped, `extra` is raw attributes.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
        content: &str,
        extra: &str,
    ) {
        self.out.push_str(&format!(
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" \
             fill=\"{INK}\"{extra}>{}</text>\n",
            num(x),
            num(y),
            anchor.as_str(),
            num(size),
            escape(content)
        ));
    }

    /// A `<line>` element.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn line(
        &mut self,
        class: &str,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        extra: &str,
    ) {
        self.out.push_str(&format!(
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"{extra}/>\n",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        ));
    }

    pub(super) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Horizontal alignment of a `<text>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The visible x-axis label, centred at `cx` on baseline `y`.
pub(super) fn x_label(svg: &mut Svg, cx: f64, y: f64, label: &str) {
    svg.text(
        "axis-label x-label",
        cx,
        y,
        Anchor::Middle,
        LABEL_SIZE,
        label,
        "",
    );
}

/// Gap between the two lines of a wrapped label.
pub(super) const LINE_GAP: f64 = 14.0;

/// Whether a y label needs two lines to fit beside a plot `room` high.
fn y_label_wraps(label: &str, room: f64) -> bool {
    text_width(label, LABEL_SIZE) > room && label.trim().contains(' ')
}

/// Extra left margin a y label needs beside a plot `room` high.
pub(super) fn y_label_extra(label: &str, room: f64) -> f64 {
    if y_label_wraps(label, room) {
        LINE_GAP
    } else {
        0.0
    }
}

/// `label` split at the space nearest its middle (the space stays on the first line,
/// so the lines joined are the label).
fn halves(label: &str) -> Vec<String> {
    let middle = label.len() / 2;
    let split = label
        .match_indices(' ')
        .map(|(at, _)| at)
        .min_by_key(|at| at.abs_diff(middle));
    match split {
        Some(at) => vec![label[..=at].to_string(), label[at + 1..].to_string()],
        None => vec![label.to_string()],
    }
}

/// `text` broken at spaces into lines at most `max_width` wide at font size `size`
/// (a longer word gets a line of its own); each line but the last keeps its trailing
/// space, so the lines joined are the text.
pub(super) fn wrap_words(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && text_width(&format!("{line}{word}"), size) > max_width {
            lines.push(line);
            line = String::new();
        }
        line.push_str(word);
        line.push(' ');
    }
    line.pop();
    lines.push(line);
    lines
}

/// A `<text>` of several lines, one `<tspan>` each, the first on baseline `y`.
#[allow(clippy::too_many_arguments)]
pub(super) fn text_lines(
    svg: &mut Svg,
    class: &str,
    x: f64,
    y: f64,
    anchor: Anchor,
    size: f64,
    lines: &[String],
    extra: &str,
) {
    if let [line] = lines {
        svg.text(class, x, y, anchor, size, line, extra);
        return;
    }
    let spans: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let dy = if i == 0 { 0.0 } else { LINE_GAP };
            format!(
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                num(x),
                num(dy),
                escape(line)
            )
        })
        .collect();
    svg.push(&format!(
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" \
         fill=\"{INK}\"{extra}>{spans}</text>\n",
        num(x),
        num(y),
        anchor.as_str(),
        num(size)
    ));
}

/// The visible y-axis label, rotated to read upwards, centred at `cy` beside a plot
/// `room` high; a label longer than that takes two lines.
pub(super) fn y_label(svg: &mut Svg, cy: f64, label: &str, room: f64) {
    let extra = format!(" transform=\"rotate(-90 {} {})\"", num(Y_LABEL_X), num(cy));
    let lines = if y_label_wraps(label, room) {
        halves(label)
    } else {
        vec![label.to_string()]
    };
    text_lines(
        svg,
        "axis-label y-label",
        Y_LABEL_X,
        cy,
        Anchor::Middle,
        LABEL_SIZE,
        &lines,
        &extra,
    );
}

/// A numeric axis: nice ticks, their labels (one number of decimals) and the domain
/// they span.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
    pub(super) labels: Vec<String>,
}

impl Axis {
    /// An axis covering `lo..hi` with about five nice ticks; its domain runs from the
    /// first tick to the last. Equal ends are padded.
    pub(super) fn covering(lo: f64, hi: f64) -> Axis {
        match tick_plan(lo, hi, 5) {
            Some((_, step, _)) => {
                let ticks = nice_ticks(lo, hi, 5);
                let labels = ticks.iter().map(|&t| format_tick(t, step)).collect();
                Axis {
                    lo: ticks[0],
                    hi: ticks[ticks.len() - 1],
                    ticks,
                    labels,
                }
            }
            // Ends too far apart for f64 arithmetic: label the ends themselves.
            None => {
                let (lo, hi) = if lo.is_finite() && hi.is_finite() {
                    padded(lo, hi)
                } else {
                    (0.0, 1.0)
                };
                Axis {
                    lo,
                    hi,
                    ticks: vec![lo, hi],
                    labels: vec![short_number(lo), short_number(hi)],
                }
            }
        }
    }

    /// Width of the widest tick label at font size `size`.
    pub(super) fn widest(&self, size: f64) -> f64 {
        self.labels
            .iter()
            .map(|l| text_width(l, size))
            .fold(0.0, f64::max)
    }

    /// Where `value` falls in `from..to` (screen coordinates).
    pub(super) fn map(&self, value: f64, from: f64, to: f64) -> f64 {
        from + (value - self.lo) / (self.hi - self.lo) * (to - from)
    }

    pub(super) fn x(&self, value: f64, plot: Rect) -> f64 {
        self.map(value, plot.x, plot.right())
    }

    pub(super) fn y(&self, value: f64, plot: Rect) -> f64 {
        self.map(value, plot.bottom(), plot.y)
    }
}

/// The finite range of `values`, or `None` if none is finite.
pub(super) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |range, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

/// Vertical grid lines, tick labels below the plot and the x label.
pub(super) fn x_axis(svg: &mut Svg, plot: Rect, axis: &Axis, label: &str) {
    svg.push("<g class=\"x-axis\">\n");
    for (tick, text) in axis.ticks.iter().zip(&axis.labels) {
        let x = axis.x(*tick, plot);
        svg.line("grid", x, plot.y, x, plot.bottom(), GRID, "");
        svg.text(
            "tick",
            x,
            plot.bottom() + 16.0,
            Anchor::Middle,
            TICK_SIZE,
            text,
            "",
        );
    }
    x_label(svg, plot.x + plot.w / 2.0, plot.bottom() + 36.0, label);
    svg.push("</g>\n");
}

/// Horizontal grid lines, tick labels left of the plot and the y label.
pub(super) fn y_axis(svg: &mut Svg, plot: Rect, axis: &Axis, label: &str) {
    svg.push("<g class=\"y-axis\">\n");
    for (tick, text) in axis.ticks.iter().zip(&axis.labels) {
        let y = axis.y(*tick, plot);
        svg.line("grid", plot.x, y, plot.right(), y, GRID, "");
        svg.text(
            "tick",
            plot.x - 6.0,
            y + 4.0,
            Anchor::End,
            TICK_SIZE,
            text,
            "",
        );
    }
    y_label(svg, plot.y + plot.h / 2.0, label, plot.h);
    svg.push("</g>\n");
}

/// The left and bottom axis lines, drawn over the data.
pub(super) fn axis_lines(svg: &mut Svg, plot: Rect) {
    svg.push(&format!(
        "<path class=\"axis-line\" d=\"M{} {}V{}H{}\" fill=\"none\" stroke=\"{INK}\"/>\n",
        num(plot.x),
        num(plot.y),
        num(plot.bottom()),
        num(plot.right())
    ));
}

/// The plot area of a chart with a numeric y axis, x tick labels and x label below, and
/// `legend_rows` rows of legend under them; the chart's height grows if the plot would
/// be shorter than 80.
pub(super) fn standard_layout(
    frame: &Frame,
    x: &Axis,
    y: &Axis,
    legend_rows: usize,
) -> (Rect, f64) {
    let width = frame.width();
    let below = if legend_rows == 0 {
        44.0
    } else {
        50.0 + legend_rows as f64 * LEGEND_ROW
    };
    let height = frame.height().max(PLOT_TOP + 80.0 + below);
    let plot_height = height - PLOT_TOP - below;
    let left = Y_LABEL_X + 10.0 + y_label_extra(&frame.y_label, plot_height) + y.widest(TICK_SIZE);
    let last_label = x.labels.last().map_or(0.0, |l| text_width(l, TICK_SIZE));
    let right = width - (last_label / 2.0 + 4.0).max(16.0);
    let plot = Rect {
        x: left,
        y: PLOT_TOP,
        w: (right - left).max(40.0),
        h: plot_height,
    };
    (plot, height)
}

/// Where a legend starts under a standard plot.
pub(super) fn legend_top(plot: Rect) -> f64 {
    plot.bottom() + 46.0
}

/// A mark drawn at one data point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    /// A filled circle.
    Dot,
    /// An open circle.
    Ring,
    /// A filled square.
    Square,
    /// An open diamond.
    Diamond,
    /// A diagonal cross.
    Cross,
}

impl Marker {
    /// The marker centred at (`x`, `y`) with radius `r`.
    pub(super) fn svg(self, class: &str, x: f64, y: f64, r: f64, colour: &str) -> String {
        let (cx, cy) = (num(x), num(y));
        match self {
            Marker::Dot => format!(
                "<circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{}\" fill=\"{colour}\"/>\n",
                num(r)
            ),
            Marker::Ring => format!(
                "<circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{}\" fill=\"{BACKGROUND}\" \
                 stroke=\"{colour}\" stroke-width=\"1.5\"/>\n",
                num(r)
            ),
            Marker::Square => format!(
                "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"{colour}\"/>\n",
                num(x - r),
                num(y - r),
                s = num(2.0 * r)
            ),
            Marker::Diamond => format!(
                "<path class=\"{class}\" d=\"M{cx} {}L{} {cy}L{cx} {}L{} {cy}Z\" fill=\"{BACKGROUND}\" \
                 stroke=\"{colour}\" stroke-width=\"1.5\"/>\n",
                num(y - r * 1.2),
                num(x + r * 1.2),
                num(y + r * 1.2),
                num(x - r * 1.2)
            ),
            Marker::Cross => format!(
                "<path class=\"{class}\" d=\"M{} {}L{} {}M{} {}L{} {}\" fill=\"none\" \
                 stroke=\"{colour}\" stroke-width=\"1.5\"/>\n",
                num(x - r),
                num(y - r),
                num(x + r),
                num(y + r),
                num(x - r),
                num(y + r),
                num(x + r),
                num(y - r)
            ),
        }
    }
}

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Swatch {
    /// A line segment, optionally dashed, optionally over a pale band.
    Line {
        colour: String,
        dashed: bool,
        band: bool,
    },
    /// One marker.
    Marker { marker: Marker, colour: String },
    /// A small square filled with `fill` (a colour or a `url(#...)` pattern).
    Block { fill: String },
    /// A small open square drawn in `colour`.
    Outline { colour: String },
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LegendItem {
    pub(super) swatch: Swatch,
    pub(super) label: String,
}

pub(super) const LEGEND_SIZE: f64 = 11.0;
pub(super) const SWATCH_WIDTH: f64 = 20.0;

/// Legend entries flowed left to right in rows no wider than `width`: each entry's row
/// and x offset.
fn legend_flow(items: &[LegendItem], width: f64) -> Vec<(usize, f64)> {
    let mut placed = Vec::with_capacity(items.len());
    let (mut row, mut x) = (0, 0.0);
    for item in items {
        let w = SWATCH_WIDTH + 6.0 + text_width(&item.label, LEGEND_SIZE);
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        placed.push((row, x));
        x += w + 18.0;
    }
    placed
}

/// How many rows `items` take in a legend `width` wide.
pub(super) fn legend_rows(items: &[LegendItem], width: f64) -> usize {
    legend_flow(items, width)
        .last()
        .map_or(0, |(row, _)| row + 1)
}

/// Draws `items` as a flowed legend whose first row starts at (`x`, `y`).
pub(super) fn legend(svg: &mut Svg, items: &[LegendItem], x: f64, y: f64, width: f64) {
    if items.is_empty() {
        return;
    }
    svg.push("<g class=\"legend\">\n");
    for (item, (row, dx)) in items.iter().zip(legend_flow(items, width)) {
        let left = x + dx;
        let mid = y + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        swatch(svg, &item.swatch, left, mid);
        svg.text(
            "legend-item",
            left + SWATCH_WIDTH + 6.0,
            mid + 4.0,
            Anchor::Start,
            LEGEND_SIZE,
            &item.label,
            "",
        );
    }
    svg.push("</g>\n");
}

/// A legend swatch `SWATCH_WIDTH` wide, vertically centred on `mid`.
pub(super) fn swatch(svg: &mut Svg, swatch: &Swatch, left: f64, mid: f64) {
    match swatch {
        Swatch::Line {
            colour,
            dashed,
            band,
        } => {
            if *band {
                svg.push(&format!(
                    "<rect class=\"swatch\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{colour}\" \
                     fill-opacity=\"0.2\"/>\n",
                    num(left),
                    num(mid - 5.0),
                    num(SWATCH_WIDTH)
                ));
            }
            let dash = if *dashed {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            };
            let extra = format!(" stroke-width=\"2\"{dash}");
            svg.line(
                "swatch",
                left,
                mid,
                left + SWATCH_WIDTH,
                mid,
                colour,
                &extra,
            );
        }
        Swatch::Marker { marker, colour } => {
            svg.push(&marker.svg("swatch", left + SWATCH_WIDTH / 2.0, mid, 4.0, colour));
        }
        Swatch::Block { fill } => {
            svg.push(&format!(
                "<rect class=\"swatch\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{fill}\" \
                 stroke=\"#999999\" stroke-width=\"0.5\"/>\n",
                num(left + 4.0),
                num(mid - 6.0)
            ));
        }
        Swatch::Outline { colour } => {
            svg.push(&format!(
                "<rect class=\"swatch\" x=\"{}\" y=\"{}\" width=\"11\" height=\"11\" fill=\"none\" \
                 stroke=\"{colour}\" stroke-width=\"2\"/>\n",
                num(left + 4.5),
                num(mid - 5.5)
            ));
        }
    }
}

/// A chart with no data to draw: title, empty plot, axis labels and the words "no data".
pub(super) fn no_data(frame: &Frame) -> String {
    let (width, height) = (frame.width(), frame.height());
    let mut svg = Svg::begin(frame, width, height, "No data to show.");
    let room = height - PLOT_TOP - 44.0;
    let left = 40.0 + y_label_extra(&frame.y_label, room);
    let plot = Rect {
        x: left,
        y: PLOT_TOP,
        w: width - left - 16.0,
        h: room,
    };
    svg.push(&format!(
        "<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" \
         stroke=\"{GRID}\"/>\n",
        num(plot.x),
        num(plot.y),
        num(plot.w),
        num(plot.h)
    ));
    svg.text(
        "no-data",
        plot.x + plot.w / 2.0,
        plot.y + plot.h / 2.0 + 5.0,
        Anchor::Middle,
        LABEL_SIZE,
        "no data",
        "",
    );
    x_label(
        &mut svg,
        plot.x + plot.w / 2.0,
        plot.bottom() + 36.0,
        &frame.x_label,
    );
    y_label(&mut svg, plot.y + plot.h / 2.0, &frame.y_label, plot.h);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_chart, texts_of};
    use super::*;

    fn frame() -> Frame {
        Frame::new("t", "Title", "Alt.", "x (units)", "y (units)")
    }

    #[test]
    fn long_labels_wrap_into_lines_that_join_back() {
        let label = "incidents per 1,000 residents per year";
        assert_eq!(
            halves(label),
            ["incidents per 1,000 ", "residents per year"]
        );
        assert_eq!(halves("metric"), ["metric"]);
        assert!(y_label_wraps(label, 200.0) && !y_label_wraps(label, 300.0));
        let lines = wrap_words(label, 12.0, 150.0);
        assert_eq!(lines, ["incidents per 1,000 ", "residents per year"]);
        assert_eq!(wrap_words("a", 12.0, 1.0), ["a"]);
        assert_eq!(wrap_words("long words", 12.0, 1.0), ["long ", "words"]);
    }

    #[test]
    fn a_wrapped_y_label_reads_as_one_label() {
        let frame = frame().size(400.0, 160.0);
        let frame = Frame {
            y_label: "incidents per 1,000 residents per year".to_string(),
            ..frame
        };
        let svg = no_data(&frame);
        assert!(svg.contains("<tspan"));
        check_chart(&svg, &frame);
    }

    #[test]
    fn legend_flows_into_rows() {
        let item = |label: &str| LegendItem {
            swatch: Swatch::Block {
                fill: "#000000".to_string(),
            },
            label: label.to_string(),
        };
        let items = [item("aaaaaaaaaa"), item("bbbbbbbbbb"), item("cccccccccc")];
        // Each entry is 20 + 6 + 10 × 6.38 = 89.8 wide, plus an 18 gap.
        assert_eq!(legend_rows(&items, 1000.0), 1);
        assert_eq!(legend_rows(&items, 200.0), 2);
        assert_eq!(legend_rows(&items, 50.0), 3);
        assert_eq!(legend_rows(&[], 50.0), 0);
    }

    #[test]
    fn the_empty_chart_keeps_the_promises_and_says_no_data() {
        let svg = no_data(&frame());
        let texts = check_chart(&svg, &frame());
        assert_eq!(texts_of(&texts, "no-data"), ["no data"]);
    }

    #[test]
    fn caller_text_is_escaped_and_round_trips() {
        let frame = Frame::new("a b", "<&>\"' title", "alt & more", "x <1>", "y \"q\"");
        let svg = no_data(&frame);
        check_chart(&svg, &frame);
        assert!(svg.contains("&lt;&amp;&gt;&quot;&apos; title"));
    }

    #[test]
    fn frame_size_overrides_the_default() {
        let frame = frame().size(800.0, 500.0);
        assert_eq!((frame.width, frame.height), (800.0, 500.0));
        let svg = no_data(&frame);
        assert!(svg.contains("viewBox=\"0 0 800 500\" width=\"800\" height=\"500\""));
    }
}
