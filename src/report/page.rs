//! The HTML around the charts: one self-contained page, inline CSS, no script, no
//! request. The page is also well-formed XML (every element closed, no named entity
//! but XML's own), so a test can read it with an XML parser.

use crate::chart::escape;

/// A Content-Security-Policy that forbids every request: the page cannot load a
/// script, a font, an image or a style sheet from anywhere, not even from its own
/// directory; inline styles and inline SVG are all it has.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The style sheet: readable on a screen, A4 on paper.
const CSS: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --rule: #ddd; --better: #0072B2; --worse: #D55E00; --unclear: #777; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
header, .headline, td, figcaption { overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.meta, p.note, figcaption, footer { color: var(--muted); font-size: .9rem; }
nav ol { columns: 2; font-size: .95rem; }
.headline { font-size: 1.05rem; border-left: 4px solid var(--better); padding: .3rem .8rem; margin: .6rem 0; background: #f6f9fc; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
.panel { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: .5rem 1rem; }
.panel figure { margin: .3rem 0; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .45rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
thead th { border-bottom: 2px solid #999; }
tr.group th { text-align: left; background: #f3f3f3; }
.better { color: var(--better); font-weight: 600; }
.worse { color: var(--worse); font-weight: 600; }
.unclear { color: var(--unclear); }
.flag { color: var(--worse); }
code { font-size: .9em; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .panel { grid-template-columns: 1fr 1fr; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A page being written: sections of HTML appended in order.
#[derive(Debug, Default)]
pub struct Page {
    sections: Vec<(String, String, String)>,
}

impl Page {
    /// Adds a section with an anchor `id`, a heading and its HTML body.
    pub fn section(&mut self, id: &str, heading: &str, body: String) {
        self.sections
            .push((id.to_string(), heading.to_string(), body));
    }

    /// The whole document.
    pub fn render(&self, title: &str, meta: &str, footer: &str) -> String {
        let mut out = String::with_capacity(64 * 1024);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        out.push_str(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\"/>\n"
        ));
        out.push_str(&format!("<title>{}</title>\n", escape(title)));
        out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));
        out.push_str(&format!(
            "<header>\n<h1>{}</h1>\n<p class=\"meta\">{meta}</p>\n</header>\n",
            escape(title)
        ));
        out.push_str("<nav aria-label=\"Contents\"><ol>\n");
        for (id, heading, _) in &self.sections {
            out.push_str(&format!(
                "<li><a href=\"#{id}\">{}</a></li>\n",
                escape(heading)
            ));
        }
        out.push_str("</ol></nav>\n<main>\n");
        for (id, heading, body) in &self.sections {
            out.push_str(&format!(
                "<section id=\"{id}\">\n<h2>{}</h2>\n{body}\n</section>\n",
                escape(heading)
            ));
        }
        out.push_str(&format!(
            "</main>\n<footer>\n<p>{footer}</p>\n</footer>\n</body>\n</html>\n"
        ));
        out
    }
}

/// A chart as the page shows it: the inline SVG, a caption, and a link to its file
/// under `plots/`.
pub fn figure(name: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure id=\"fig-{name}\">\n{svg}\n<figcaption>{} <a href=\"plots/{name}.svg\">SVG file</a>.</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// An HTML table: a header row and body rows of already-escaped cells; the columns
/// in `text` are aligned left (numbers align right). A row whose first cell starts
/// with `#group ` is a group heading across the table.
pub fn table(header: &[&str], text: &[usize], rows: &[Vec<String>]) -> String {
    let class = |i: usize| {
        if text.contains(&i) {
            " class=\"text\""
        } else {
            ""
        }
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        if let Some(group) = row.first().and_then(|c| c.strip_prefix("#group ")) {
            out.push_str(&format!(
                "<tr class=\"group\"><th colspan=\"{}\">{group}</th></tr>\n",
                header.len()
            ));
            continue;
        }
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            out.push_str(&format!("<td{}>{cell}</td>", class(i)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A paragraph of escaped text with a CSS class.
pub fn paragraph(class: &str, text: &str) -> String {
    format!("<p class=\"{class}\">{}</p>\n", escape(text))
}
