//! Charts as SVG text: data in, a `String` of SVG out.
//!
//! This module owns every picture cogov draws: lines with 95% bands ([`lines`]), forest
//! plots of paired changes ([`forest`]), heat maps and district maps ([`heat_map`],
//! [`district_map`]), categorical lattice snapshots ([`lattice`]), scatter plots with a
//! LOWESS trend ([`scatter`], [`lowess`]), horizontal bars with 95% whiskers ([`bars`])
//! and labelled points with horizontal whiskers, the Morris plot ([`labelled_points`]).
//! It also owns the pieces a report needs around them: nice tick values ([`nice_ticks`],
//! [`format_tick`]), XML escaping ([`escape`]) and the palettes ([`OKABE_ITO`],
//! [`viridis`], [`Verdict::colour`]).
//!
//! It deliberately does not read results, write files or know any model: it imports
//! nothing from the rest of the crate (a leaf layer, like `stats`). The report writer
//! decides what to draw and where the bytes go; the same functions can serve a workshop
//! web page later.
//!
//! # Files
//!
//! `ticks.rs` computes tick values and formats numbers; `draw.rs` is the kit every chart
//! shares (the SVG writer, axes, legends, markers, layout, the "no data" chart);
//! `grid.rs` lays out square cells for `heat.rs` (heat and district maps) and
//! `lattice.rs`; `lines.rs`, `forest.rs`, `scatter.rs` (with LOWESS), `bars.rs` (bars
//! with whiskers) and `labelled.rs` (labelled points, the Morris plot) draw one kind of
//! chart each. Palettes, escaping and [`Frame`] live here.
//!
//! # Why hand-written SVG rather than a plotting crate
//!
//! - **Accessible markup.** Every chart is `role="img"` with `aria-labelledby` pointing at
//!   its `<title>` and a `<desc>` holding the caller's alt text plus a generated summary.
//!   Axis labels, tick labels and legends are real `<text>`, so screen readers and text
//!   search see them. Plotting crates emit paths without these hooks.
//! - **Semantic classes.** Elements carry classes (`chart-title`, `x-label`, `tick`,
//!   `ci-band`, `estimate better`, ...) so a page can restyle them, and they also carry
//!   explicit `fill` and `stroke` attributes so a standalone file looks right without CSS.
//! - **Byte-stable output.** Numbers are written with a fixed short format (at most two
//!   decimals for coordinates) and nothing iterates a hash map, so the same data gives the
//!   same bytes on every machine and snapshot tests can pin them.
//! - **No compile cost.** A few hundred lines of string formatting instead of a plotting
//!   stack with font and raster dependencies.
//!
//! # What every chart guarantees
//!
//! Well-formed XML with no external references (no web fonts, no `<image>`, no links
//! other than `#fragment` references to the chart's own patterns); ids prefixed by the
//! caller's [`Frame::id`] so several charts can share one HTML page; a visible title and
//! visible axis labels that carry the units; colour-blind-safe colours, with shape or text
//! as a second cue wherever colour carries meaning; confidence intervals drawn whenever
//! they are given. NaN values are gaps, never zeros; empty data gives a chart that says
//! "no data"; all-equal values get a padded domain. Nothing here panics on data.

mod bars;
mod draw;
mod forest;
mod grid;
mod heat;
mod labelled;
mod lattice;
mod lines;
mod scatter;
mod ticks;

pub use bars::{Bar, BarRow, Bars, bars};
pub use forest::{ForestGroup, ForestRow, ForestSeries, Verdict, forest, forest_series};
pub use heat::{HeatMap, district_map, heat_map};
pub use labelled::{LabelledPoint, LabelledPoints, labelled_points};
pub use lattice::{Category, lattice};
pub use lines::{Band, BandPoint, lines};
pub use scatter::{Scatter, lowess, lowess_delta, scatter};
pub use ticks::{format_tick, nice_ticks};

/// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable
/// under the common colour-vision deficiencies; series `i` uses `OKABE_ITO[i % 8]`.
pub const OKABE_ITO: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

/// The colour of a change in the better direction (Okabe–Ito blue).
pub const BETTER_COLOUR: &str = "#0072B2";
/// The colour of a change in the worse direction (Okabe–Ito vermillion).
pub const WORSE_COLOUR: &str = "#D55E00";
/// The colour of a change whose confidence interval spans zero.
pub const UNCLEAR_COLOUR: &str = "#999999";

/// What every chart has: an id prefix, a title, alt text, axis labels and a size.
///
/// Axis labels carry their units ("incidents per 1,000 residents per year"); the chart
/// prints them as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Prefix of every id in the chart; sanitised into a valid XML name.
    pub id: String,
    pub title: String,
    /// A plain-language sentence saying what the chart shows, for screen readers; the
    /// chart appends a generated summary (ranges, counts).
    pub alt: String,
    pub x_label: String,
    pub y_label: String,
    /// Width in pixels (user units); at least 200 is used.
    pub width: f64,
    /// Height in pixels; some charts grow it to fit rows or legends.
    pub height: f64,
}

impl Frame {
    /// A 640 × 360 frame.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        alt: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Frame {
        Frame {
            id: id.into(),
            title: title.into(),
            alt: alt.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            width: 640.0,
            height: 360.0,
        }
    }

    /// The same frame with another size.
    pub fn size(self, width: f64, height: f64) -> Frame {
        Frame {
            width,
            height,
            ..self
        }
    }

    /// The width used for layout: finite and at least 200.
    fn width(&self) -> f64 {
        if self.width.is_finite() {
            self.width.max(200.0)
        } else {
            640.0
        }
    }

    /// The height used for layout: finite and at least 150.
    fn height(&self) -> f64 {
        if self.height.is_finite() {
            self.height.max(150.0)
        } else {
            360.0
        }
    }
}

/// Anchors of matplotlib's viridis (van der Walt & Smith 2015): entries 0, 16, ..., 240
/// and 255 of its 256-colour table, with their index.
const VIRIDIS: [(f64, [u8; 3]); 17] = [
    (0.0, [0x44, 0x01, 0x54]),
    (16.0, [0x48, 0x18, 0x6a]),
    (32.0, [0x47, 0x2d, 0x7b]),
    (48.0, [0x42, 0x40, 0x86]),
    (64.0, [0x3b, 0x52, 0x8b]),
    (80.0, [0x33, 0x63, 0x8d]),
    (96.0, [0x2c, 0x72, 0x8e]),
    (112.0, [0x26, 0x82, 0x8e]),
    (128.0, [0x21, 0x91, 0x8c]),
    (144.0, [0x1f, 0xa0, 0x88]),
    (160.0, [0x28, 0xae, 0x80]),
    (176.0, [0x3f, 0xbc, 0x73]),
    (192.0, [0x5e, 0xc9, 0x62]),
    (208.0, [0x84, 0xd4, 0x4b]),
    (224.0, [0xad, 0xdc, 0x30]),
    (240.0, [0xd8, 0xe2, 0x19]),
    (255.0, [0xfd, 0xe7, 0x25]),
];

/// The viridis colour at `t` in [0, 1] (clamped; NaN counts as 0) as lower-case hex,
/// interpolated linearly between 17 anchors of matplotlib's table.
///
/// # Examples
/// ```
/// assert_eq!(cogov::chart::viridis(0.0), "#440154");
/// assert_eq!(cogov::chart::viridis(1.0), "#fde725");
/// ```
pub fn viridis(t: f64) -> String {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let position = t * 255.0;
    let i = VIRIDIS
        .iter()
        .rposition(|(at, _)| *at <= position)
        .unwrap_or(0)
        .min(VIRIDIS.len() - 2);
    let (at0, c0) = VIRIDIS[i];
    let (at1, c1) = VIRIDIS[i + 1];
    let f = (position - at0) / (at1 - at0);
    let mix = |k: usize| (c0[k] as f64 + (c1[k] as f64 - c0[k] as f64) * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Relative luminance (WCAG 2) of a `#rrggbb` colour; 0 for anything else.
fn luminance(hex: &str) -> f64 {
    let channel = |k: usize| {
        let byte = hex
            .get(1 + 2 * k..3 + 2 * k)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0);
        let c = byte as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

/// Black or white, whichever reads better on `fill`.
fn contrast_ink(fill: &str) -> &'static str {
    // The luminance where black and white text have equal contrast ratios.
    if luminance(fill) > 0.179 {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// `text` escaped for XML text and attribute values (`&`, `<`, `>`, `"`, `'`); control
/// characters that XML 1.0 forbids are dropped.
///
/// # Examples
/// ```
/// assert_eq!(cogov::chart::escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `id` as a valid XML name: characters other than `[A-Za-z0-9_-]` become `-`, and a
/// name that does not start with a letter or `_` gets the prefix `c-`.
fn xml_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match clean.chars().next() {
        None => "chart".to_string(),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => clean,
        Some(_) => format!("c-{clean}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks what every chart promises and returns the chart's text elements' classes
    /// and contents, in document order.
    pub(crate) fn check_chart(svg: &str, frame: &Frame) -> Vec<(String, String)> {
        let doc = roxmltree::Document::parse(svg)
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
        let root = doc.root_element();
        let id = xml_id(&frame.id);
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("class"), Some("chart"));
        let labelled = format!("{id}-title {id}-desc");
        assert_eq!(root.attribute("aria-labelledby"), Some(labelled.as_str()));
        let (w, h) = (
            root.attribute("width").unwrap(),
            root.attribute("height").unwrap(),
        );
        assert_eq!(
            root.attribute("viewBox"),
            Some(format!("0 0 {w} {h}").as_str())
        );
        let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert_eq!(children[0].tag_name().name(), "title");
        assert_eq!(
            children[0].attribute("id"),
            Some(format!("{id}-title").as_str())
        );
        assert_eq!(children[0].text(), Some(frame.title.as_str()));
        assert_eq!(children[1].tag_name().name(), "desc");
        assert_eq!(
            children[1].attribute("id"),
            Some(format!("{id}-desc").as_str())
        );
        assert!(
            children[1].text().unwrap().starts_with(frame.alt.trim()),
            "desc starts with the alt text"
        );

        let mut ids = std::collections::BTreeSet::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert_ne!(node.tag_name().name(), "image");
            assert_ne!(node.tag_name().name(), "style");
            for attribute in node.attributes() {
                let value = attribute.value();
                assert!(!value.starts_with("http"), "{}={value}", attribute.name());
                assert!(!value.contains("url(http"), "{value}");
                if attribute.name() == "href" {
                    assert!(value.starts_with('#'), "external href {value}");
                }
                if attribute.name() == "id" {
                    assert!(value.starts_with(&format!("{id}-")), "id {value}");
                    assert!(ids.insert(value.to_string()), "duplicate id {value}");
                }
            }
        }

        let texts: Vec<(String, String)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                (
                    n.attribute("class").unwrap_or("").to_string(),
                    n.descendants()
                        .filter(|d| d.is_text())
                        .map(|d| d.text().unwrap_or(""))
                        .collect::<String>(),
                )
            })
            .collect();
        let with_class = |class: &str| -> Vec<&String> {
            texts
                .iter()
                .filter(|(c, _)| c.split(' ').any(|part| part == class))
                .map(|(_, t)| t)
                .collect()
        };
        assert_eq!(with_class("chart-title"), [&frame.title]);
        assert_eq!(with_class("x-label"), [&frame.x_label]);
        assert_eq!(with_class("y-label"), [&frame.y_label]);
        let y = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("axis-label y-label"))
            .unwrap();
        assert!(y.attribute("transform").unwrap().starts_with("rotate(-90"));
        texts
    }

    /// The texts of class `class` among `texts`.
    pub(crate) fn texts_of<'a>(texts: &'a [(String, String)], class: &str) -> Vec<&'a str> {
        texts
            .iter()
            .filter(|(c, _)| c.split(' ').any(|part| part == class))
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// The fills of the cell rectangles (`g.cells`) of a grid chart, in document order.
    pub(crate) fn cell_fills(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let cells = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("cells"))
            .unwrap();
        cells
            .children()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| n.attribute("fill").unwrap().to_string())
            .collect()
    }

    #[test]
    fn ids_are_valid_xml_names() {
        assert_eq!(xml_id("fig-1"), "fig-1");
        assert_eq!(xml_id("2024 report/a"), "c-2024-report-a");
        assert_eq!(xml_id("-x"), "c--x");
        assert_eq!(xml_id(""), "chart");
        assert_eq!(xml_id("été"), "c--t-");
        assert_eq!(xml_id("_a.b"), "_a-b");
    }

    #[test]
    fn escape_covers_the_five_xml_characters() {
        assert_eq!(escape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
        assert_eq!(escape("a\u{1}b\tc"), "ab\tc");
        assert_eq!(escape("ünïcode"), "ünïcode");
    }

    #[test]
    fn viridis_ends_anchors_and_lightness() {
        assert_eq!(viridis(0.0), "#440154");
        assert_eq!(viridis(1.0), "#fde725");
        assert_eq!(viridis(128.0 / 255.0), "#21918c");
        assert_eq!(viridis(-3.0), "#440154");
        assert_eq!(viridis(7.0), "#fde725");
        assert_eq!(viridis(f64::NAN), "#440154");
        // Viridis was designed to rise steadily in lightness.
        let lightness: Vec<f64> = (0..=20)
            .map(|i| luminance(&viridis(i as f64 / 20.0)))
            .collect();
        assert!(lightness.windows(2).all(|w| w[1] > w[0]), "{lightness:?}");
    }

    #[test]
    fn contrast_picks_white_on_dark_and_black_on_light() {
        assert_eq!(contrast_ink(&viridis(0.0)), "#ffffff");
        assert_eq!(contrast_ink(&viridis(1.0)), "#000000");
        assert_eq!(contrast_ink("#ffffff"), "#000000");
    }
}
