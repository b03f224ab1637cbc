//! TOML with spans, in the words of the messages: parsing text into a spanned table
//! (a syntax error becomes a located diagnostic), a found value described
//! ("the string \"ten\"", "an array"), strings quoted for messages, whole numbers
//! read exactly, and the rules every `name` and scenario path obey.
//!
//! These are plain functions with no state; recording problems while walking a
//! table belongs to `walk.rs`, and parameter values to `value.rs`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeInteger, DeString, DeTable, DeValue};

use super::diagnostic::{Diagnostic, ErrorKind};

/// One key of a table and its value, both with their spans.
pub(crate) type Entry<'t, 'de> = (&'t Spanned<DeString<'de>>, &'t Spanned<DeValue<'de>>);

/// A string value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub value: String,
    pub span: Range<usize>,
}

/// Parses `text`, shown as `file` in messages, into a table with spans.
///
/// # Errors
/// A TOML syntax error, located at the span the TOML parser reports (or at the
/// file as a whole when it reports none): "invalid TOML: ...".
pub(crate) fn parse<'de>(
    text: &'de str,
    file: &str,
) -> Result<Spanned<DeTable<'de>>, Box<Diagnostic>> {
    DeTable::parse(text).map_err(|e| {
        let message = format!("invalid TOML: {}", e.message().trim());
        Box::new(match e.span() {
            Some(span) => Diagnostic::at(ErrorKind::Syntax, file, text, span, None, message),
            None => Diagnostic::in_file(ErrorKind::Syntax, file, None, message),
        })
    })
}

/// The entries of `table` in the order they are written in the file.
pub(crate) fn in_file_order<'t, 'de>(table: &'t DeTable<'de>) -> Vec<Entry<'t, 'de>> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// The value of a TOML integer, or `None` when it does not fit in 64 bits.
pub(crate) fn integer(i: &DeInteger) -> Option<i64> {
    i64::from_str_radix(i.as_str(), i.radix()).ok()
}

/// The help for a float where a whole number is expected (`12.0`), if it is one.
pub(crate) fn whole_number_help(x: f64) -> Option<String> {
    (x.fract() == 0.0 && x.abs() < 1e15).then(|| {
        format!(
            "help: write a whole number without a decimal point: `{}`",
            x as i64
        )
    })
}

/// A found value in words: "the string \"ten\"", "an array", ...
pub(crate) fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string {}", quote(s)),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(x) => format!("the float {x}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date-time {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// A string quoted and escaped for a message, cut after 40 characters.
pub(crate) fn quote(s: &str) -> String {
    const LIMIT: usize = 40;
    if s.chars().count() > LIMIT {
        let head: String = s.chars().take(LIMIT).collect();
        format!("{head:?}...")
    } else {
        format!("{s:?}")
    }
}

/// What is wrong with a scenario or experiment `name`, if anything: it must be
/// non-empty and on one line.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("expected a non-empty name")
    } else if name.chars().any(char::is_control) {
        Some("expected a name on one line, without control characters")
    } else {
        None
    }
}

/// What is wrong with the path of a scenario file (a scenario's `extends`, an
/// experiment's `scenario`), if anything: it must not be blank.
pub(crate) fn scenario_path_problem(path: &str) -> Option<&'static str> {
    path.trim()
        .is_empty()
        .then_some("expected the path of a scenario file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_located() {
        let d = parse("a = 1\nb = [\n", "f.toml").unwrap_err();
        assert_eq!(d.kind, ErrorKind::Syntax);
        assert!(
            d.to_string()
                .starts_with("error: f.toml:2:6: invalid TOML: unclosed array"),
            "{d}"
        );
        assert!(parse("a = 1\n", "f.toml").is_ok());
    }

    #[test]
    fn entries_come_in_file_order() {
        let root = parse("b = 1\na = 2\n[c]\nx = 3\n", "f.toml").unwrap();
        let keys: Vec<&str> = in_file_order(root.get_ref())
            .into_iter()
            .map(|(k, _)| k.get_ref().as_ref())
            .collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }

    #[test]
    fn values_are_described_and_quoted() {
        let root = parse(
            "s = \"ten\"\ni = 0x10\nf = 1.5\nb = true\na = [1]\nt = {}\n",
            "f.toml",
        )
        .unwrap();
        let found: Vec<String> = in_file_order(root.get_ref())
            .into_iter()
            .map(|(_, v)| describe(v.get_ref()))
            .collect();
        assert_eq!(
            found,
            [
                "the string \"ten\"",
                "the integer 0x10",
                "the float 1.5",
                "the boolean true",
                "an array",
                "a table"
            ]
        );
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote(&"x".repeat(50)), format!("\"{}\"...", "x".repeat(40)));
    }

    #[test]
    fn integers_are_read_exactly_or_not_at_all() {
        let text = "a = 0x10\nb = -7\nc = 9223372036854775808\n";
        let root = parse(text, "f.toml").unwrap();
        let values: Vec<Option<i64>> = in_file_order(root.get_ref())
            .into_iter()
            .map(|(_, v)| match v.get_ref() {
                DeValue::Integer(i) => integer(i),
                _ => Some(0),
            })
            .collect();
        assert_eq!(values, [Some(16), Some(-7), None]);
    }

    #[test]
    fn whole_numbers_names_and_paths() {
        assert_eq!(
            whole_number_help(12.0).as_deref(),
            Some("help: write a whole number without a decimal point: `12`")
        );
        assert_eq!(whole_number_help(12.5), None);
        assert_eq!(whole_number_help(1e16), None);
        assert_eq!(name_problem(" "), Some("expected a non-empty name"));
        assert!(name_problem("a\nb").is_some());
        assert_eq!(name_problem("baseline"), None);
        assert!(scenario_path_problem("  ").is_some());
        assert_eq!(scenario_path_problem("a.toml"), None);
    }
}
