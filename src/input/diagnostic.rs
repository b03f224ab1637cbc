//! Locating and rendering the errors of input files: byte spans become 1-based line
//! and column numbers (columns count characters, not bytes), each problem becomes one
//! rustc-style block with a source snippet and a caret under the span, and
//! [`ScenarioError`] gathers the blocks into the message the user reads.
//!
//! This file decides nothing about what is valid: the parameter tables and their
//! checks live with each model, and the walks over scenario and experiment files in
//! [`crate::scenario`] and [`crate::sweep`].

use std::fmt;
use std::ops::Range;

/// Most problems one [`ScenarioError`] shows; the rest are counted in a closing note.
pub const MAX_DIAGNOSTICS: usize = 20;

/// What kind of problem a [`Diagnostic`] reports, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is missing, unreadable, a directory, too large or not UTF-8.
    Read,
    /// The text is not valid TOML.
    Syntax,
    /// A top-level key, section or parameter that does not exist.
    UnknownKey,
    /// A value of the wrong TOML type (a string where a number is expected, ...).
    WrongType,
    /// A value of the right type outside its parameter's range.
    OutOfRange,
    /// An `extends` that cannot be followed: missing target, cycle, chain too deep.
    Extends,
    /// A rule tying several parameters together is broken.
    Constraint,
    /// A required key is absent (an experiment file without `scenario`, ...).
    Missing,
}

/// A 1-based line and column in a file; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem in one file, rendered as one block of the error message.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    /// The file as the user named it (or the `origin` given to `Scenario::parse`).
    pub file: String,
    /// Where in the file, when the problem has a place.
    pub position: Option<Position>,
    /// The key involved, as a full dotted path (`police.officers_per_10k`), if any.
    pub key: Option<String>,
    /// The headline after `file:line:column: `.
    pub message: String,
    /// The source line with carets under the span, already rendered.
    pub snippet: Option<String>,
    /// `help: ...` and `note: ...` lines shown after the snippet.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A problem at `span` (byte offsets into `text`) of `file`.
    pub(crate) fn at(
        kind: ErrorKind,
        file: &str,
        text: &str,
        span: Range<usize>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            file: file.to_string(),
            position: Some(position(text, span.start)),
            key: key.map(str::to_string),
            message: message.into(),
            snippet: Some(snippet(text, span)),
            notes: Vec::new(),
        }
    }

    /// A problem with the file as a whole, or with values no line sets.
    pub(crate) fn in_file(
        kind: ErrorKind,
        file: &str,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            file: file.to_string(),
            position: None,
            key: key.map(str::to_string),
            message: message.into(),
            snippet: None,
            notes: Vec::new(),
        }
    }

    /// Adds a `help: ...` line.
    pub(crate) fn help(mut self, text: impl fmt::Display) -> Self {
        self.notes.push(format!("help: {text}"));
        self
    }

    /// Adds `` help: did you mean `close`? `` when there is a close name.
    pub(crate) fn did_you_mean(&mut self, close: Option<&str>) {
        if let Some(close) = close {
            self.notes.push(format!("help: did you mean `{close}`?"));
        }
    }

    /// Adds a `note: ...` line.
    pub(crate) fn note(mut self, text: impl fmt::Display) -> Self {
        self.notes.push(format!("note: {text}"));
        self
    }
}

/// Most characters of a message, a note or a quoted source line shown: a key or a
/// value of megabytes must not print megabytes.
pub const MAX_SHOWN_CHARS: usize = 400;

/// `text` cut to [`MAX_SHOWN_CHARS`] characters, saying how much was left out.
pub(crate) fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        None => text.into(),
        Some((cut, _)) => {
            let left = text[cut..].chars().count();
            format!("{}... ({left} more characters)", &text[..cut]).into()
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = shortened(&self.message);
        match self.position {
            Some(p) => write!(f, "error: {}:{}:{}: {message}", self.file, p.line, p.column)?,
            None => write!(f, "error: {}: {message}", self.file)?,
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        for note in &self.notes {
            write!(f, "\n{}", shortened(note))?;
        }
        Ok(())
    }
}

/// Why a scenario was refused: every problem found, one block each.
///
/// Its `Display` is the whole user-facing message (no trailing newline); print it as
/// it is. Problems are in file order: the named file first, then the files it
/// extends, then the rules that tie parameters together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render_all(.diagnostics, *.omitted, .subject))]
pub struct ScenarioError {
    diagnostics: Vec<Diagnostic>,
    omitted: usize,
    /// What was refused, for the closing line: "scenario", "experiment".
    subject: &'static str,
}

impl ScenarioError {
    /// Keeps the first [`MAX_DIAGNOSTICS`] problems and counts the rest.
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        let omitted = diagnostics.len().saturating_sub(MAX_DIAGNOSTICS);
        diagnostics.truncate(MAX_DIAGNOSTICS);
        ScenarioError {
            diagnostics,
            omitted,
            subject: "scenario",
        }
    }

    /// As [`ScenarioError::new`], for another kind of file (an experiment file's
    /// errors close with "experiment refused because of N errors"); `omitted` counts
    /// problems already left out before these.
    pub(crate) fn refusing(
        subject: &'static str,
        diagnostics: Vec<Diagnostic>,
        omitted: usize,
    ) -> Self {
        let mut error = ScenarioError::new(diagnostics);
        error.omitted += omitted;
        error.subject = subject;
        error
    }

    /// The problems shown, in the order they are printed.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Problems found beyond the [`MAX_DIAGNOSTICS`] shown.
    pub fn omitted(&self) -> usize {
        self.omitted
    }
}

fn render_all(diagnostics: &[Diagnostic], omitted: usize, subject: &str) -> String {
    let mut out = diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n");
    if omitted > 0 {
        out.push_str(&format!("\n\nnote: {omitted} more errors not shown"));
    }
    let total = diagnostics.len() + omitted;
    if total > 1 {
        out.push_str(&format!(
            "\n\nerror: {subject} refused because of {total} errors"
        ));
    }
    out
}

/// The largest char boundary at or before `offset` (clamped to the text).
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The 1-based line and character column of byte `offset` in `text`.
///
/// Offsets past the end or inside a multibyte character are moved back to the
/// nearest character boundary, so any offset is safe.
pub fn position(text: &str, offset: usize) -> Position {
    let before = &text[..floor_boundary(text, offset)];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// `file:line:column` of byte `offset` in `text`, for notes that point at another
/// place ("first given at f.toml:4:1").
pub fn place(file: &str, text: &str, offset: usize) -> String {
    let p = position(text, offset);
    format!("{file}:{}:{}", p.line, p.column)
}

/// Columns a character takes in a terminal: 2 for East Asian wide characters, 4 for
/// a tab (shown as four spaces), 0 for other control characters, else 1.
fn width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_control() => 0,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F300}'..='\u{1F64F}'
        | '\u{1F900}'..='\u{1F9FF}'
        | '\u{20000}'..='\u{3FFFD}' => 2,
        _ => 1,
    }
}

/// Most characters of a source line a snippet quotes; a longer line is shown as a
/// window around the span, `...` marking what is cut.
pub const SNIPPET_CHARS: usize = 120;

/// Characters of the line kept before the span when the line is cut.
const SNIPPET_LEAD: usize = 40;

/// The line holding `span.start`, with carets under the span (cut at the line's end),
/// in rustc's layout:
///
/// ```text
///    |
/// 12 | officers_per_10k = 900
///    |                    ^^^
/// ```
///
/// A line longer than [`SNIPPET_CHARS`] is shown as that many characters around the
/// span's start, and the carets stop at the window's end.
pub fn snippet(text: &str, span: Range<usize>) -> String {
    let start = floor_boundary(text, span.start);
    let end = floor_boundary(text, span.end.max(start));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let before = text[line_start..start].chars().count();
    // The window of the line shown, in characters.
    let (from, cut_left) = if line.chars().nth(SNIPPET_CHARS).is_some() {
        let from = before.saturating_sub(SNIPPET_LEAD);
        (from, from > 0)
    } else {
        (0, false)
    };
    let window: Vec<char> = line.chars().skip(from).take(SNIPPET_CHARS).collect();
    let cut_right = line.chars().nth(from + window.len()).is_some();
    let shown: String = window
        .iter()
        .map(|&c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect();
    let (left, right) = (
        if cut_left { "..." } else { "" },
        if cut_right { "..." } else { "" },
    );
    let in_window = before - from;
    let pad = left.len()
        + window[..in_window.min(window.len())]
            .iter()
            .copied()
            .map(width)
            .sum::<usize>();
    let span_chars = text[start..end.min(line_end)].chars().count();
    let carets: usize = window
        .iter()
        .skip(in_window)
        .take(span_chars)
        .copied()
        .map(width)
        .sum();
    let number = position(text, start).line.to_string();
    let gutter = " ".repeat(number.len());
    format!(
        "{gutter} |\n{number} | {left}{shown}{right}\n{gutter} | {}{}",
        " ".repeat(pad),
        "^".repeat(carets.max(1))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "a\nbb\n名前 = 1\n";
        assert_eq!(position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position(text, 2), Position { line: 2, column: 1 });
        let eq = text.find('=').unwrap();
        assert_eq!(position(text, eq), Position { line: 3, column: 4 });
        // Inside a multibyte character and past the end are both safe.
        assert_eq!(position(text, 6), Position { line: 3, column: 1 });
        assert_eq!(position(text, 1000), Position { line: 4, column: 1 });
    }

    #[test]
    fn places_name_the_file_line_and_column() {
        assert_eq!(place("f.toml", "a = 1\nb = 2\n", 10), "f.toml:2:5");
        assert_eq!(place("f.toml", "", 3), "f.toml:1:1");
    }

    #[test]
    fn snippet_puts_carets_under_the_span() {
        let text = "[police]\nofficers_per_10k = 900\n";
        let start = text.find("900").unwrap();
        assert_eq!(
            snippet(text, start..start + 3),
            "  |\n2 | officers_per_10k = 900\n  |                    ^^^"
        );
    }

    #[test]
    fn snippet_handles_wide_characters_tabs_and_odd_spans() {
        let text = "x = \"名\"\t# 注\ny = 1";
        let start = text.find('#').unwrap();
        let s = snippet(text, start..start + 1);
        // `x = "` is 5 columns, the wide character 2, `"` 1 and the tab 4.
        assert!(s.ends_with(&format!("{}^", " ".repeat(12))), "{s}");
        // Reversed, oversized and mid-character spans never panic.
        for (a, b) in [(5, 2), (0, 10_000), (10_000, 10_001), (6, 7)] {
            let _ = snippet(text, a..b);
        }
        assert!(snippet("", 0..0).ends_with('^'));
    }

    #[test]
    fn a_huge_line_is_shown_as_a_window_around_the_span() {
        let key = "k".repeat(10_000_000);
        let text = format!("a = 1\n{key} = 2\n");
        let start = 6 + 5_000_000;
        let s = snippet(&text, start..start + 3);
        assert!(s.len() < 400, "{} bytes", s.len());
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[1], format!("2 | ...{}...", "k".repeat(SNIPPET_CHARS)));
        // The carets sit under the span, 40 characters into the window.
        assert_eq!(lines[2], format!("  | {}^^^", " ".repeat(3 + 40)));
        // A span to the end of a long line: the carets stop at the window's end.
        let whole = snippet(&text, 6..6 + key.len());
        assert!(whole.ends_with(&format!(" | {}", "^".repeat(SNIPPET_CHARS))));
        assert!(whole.lines().nth(1).unwrap().ends_with("..."));
        // A message of megabytes is cut too.
        let d = Diagnostic::in_file(
            ErrorKind::UnknownKey,
            "f.toml",
            None,
            format!("unknown `{key}`"),
        );
        let shown = d.to_string();
        assert!(shown.len() < 600, "{}", shown.len());
        assert!(
            shown.ends_with("... (9999610 more characters)"),
            "{}",
            &shown[shown.len() - 40..]
        );
    }

    #[test]
    fn a_close_name_is_suggested_and_no_name_adds_nothing() {
        let mut d = Diagnostic::in_file(ErrorKind::UnknownKey, "f.toml", None, "unknown `stpes`");
        d.did_you_mean(None);
        assert!(d.notes.is_empty());
        d.did_you_mean(Some("steps"));
        assert_eq!(
            d.to_string(),
            "error: f.toml: unknown `stpes`\nhelp: did you mean `steps`?"
        );
    }

    #[test]
    fn errors_are_capped_and_counted() {
        let d = Diagnostic::in_file(ErrorKind::Syntax, "f.toml", None, "bad");
        let err = ScenarioError::new(vec![d; MAX_DIAGNOSTICS + 3]);
        assert_eq!(err.diagnostics().len(), MAX_DIAGNOSTICS);
        assert_eq!(err.omitted(), 3);
        let text = err.to_string();
        assert!(text.contains("note: 3 more errors not shown"), "{text}");
        assert!(text.ends_with("refused because of 23 errors"), "{text}");
    }
}
