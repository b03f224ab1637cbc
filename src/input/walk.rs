//! Walking one file's TOML by hand and recording every problem on the way, so a file
//! is refused with all its problems at once.
//!
//! A [`Walk`] is the file being walked (its name and text) and the problems found so
//! far. Its `expect_*` methods read a value of one TOML type at a key and, when the
//! value is of another type or out of range, record a located problem in the shared
//! wording (`` `key`: expected ..., found ... ``) and give `None`. Which keys a format
//! allows, and what they mean, belong to the format's reader.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, ErrorKind, place};
use super::toml::{describe, integer, quote, whole_number_help};

/// One file being walked and the problems found in it, in the order found.
#[derive(Debug)]
pub(crate) struct Walk<'a> {
    /// The file as shown in messages.
    pub file: &'a str,
    pub text: &'a str,
    pub problems: Vec<Diagnostic>,
}

impl<'a> Walk<'a> {
    /// A walk over `text`, shown as `file`, with no problems yet.
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Walk {
            file,
            text,
            problems: Vec::new(),
        }
    }

    /// Records a problem at `span`, about `key`; add notes to what it returns.
    pub(crate) fn at(
        &mut self,
        kind: ErrorKind,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::at(kind, self.file, self.text, span, Some(key), message);
        self.push(d)
    }

    /// Records that `key` is missing from the file (a problem with no place).
    pub(crate) fn missing(&mut self, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::in_file(ErrorKind::Missing, self.file, Some(key), message);
        self.push(d)
    }

    /// Records `d`.
    pub(crate) fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.problems.push(d);
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    /// `file:line:column` of byte `offset`, for notes that point elsewhere.
    pub(crate) fn place(&self, offset: usize) -> String {
        place(self.file, self.text, offset)
    }

    /// The string at `key`. Not a string: `` `key`: expected {expected}, found ... ``.
    /// A string `check` refuses: `` `key`: {refusal}, found "..." ``. Both are wrong
    /// types, and give `None`.
    pub(crate) fn expect_string<'v>(
        &mut self,
        key: &str,
        value: &'v Spanned<DeValue<'_>>,
        expected: &str,
        check: impl FnOnce(&str) -> Option<&'static str>,
    ) -> Option<&'v str> {
        let span = value.span();
        let DeValue::String(s) = value.get_ref() else {
            let found = describe(value.get_ref());
            self.at(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: expected {expected}, found {found}"),
            );
            return None;
        };
        if let Some(refusal) = check(s) {
            self.at(
                ErrorKind::WrongType,
                span,
                key,
                format!("`{key}`: {refusal}, found {}", quote(s)),
            );
            return None;
        }
        Some(s.as_ref())
    }

    /// The boolean at `key`, else `` `key`: expected true or false, found ... ``.
    pub(crate) fn expect_bool(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<bool> {
        if let DeValue::Boolean(b) = value.get_ref() {
            return Some(*b);
        }
        let found = describe(value.get_ref());
        self.at(
            ErrorKind::WrongType,
            value.span(),
            key,
            format!("`{key}`: expected true or false, found {found}"),
        );
        None
    }

    /// The table at `key`, else `` `key`: expected {expected}, found ... ``.
    pub(crate) fn expect_table<'v, 'de>(
        &mut self,
        key: &str,
        value: &'v Spanned<DeValue<'de>>,
        expected: &str,
    ) -> Option<&'v DeTable<'de>> {
        if let DeValue::Table(table) = value.get_ref() {
            return Some(table);
        }
        let found = describe(value.get_ref());
        self.at(
            ErrorKind::WrongType,
            value.span(),
            key,
            format!("`{key}`: expected {expected}, found {found}"),
        );
        None
    }

    /// A whole number from `min` to `max` at `key`; `label` names it in messages
    /// and `unit` says what it counts: `{label}: expected an integer from {min} to
    /// {max} ({unit}), found ...`. A whole float or a quoted number gets a help line.
    pub(crate) fn expect_integer(
        &mut self,
        key: &str,
        label: &str,
        value: &Spanned<DeValue<'_>>,
        (min, max): (u64, u64),
        unit: &str,
    ) -> Option<u64> {
        let expected = format!("expected an integer from {min} to {max} ({unit})");
        let span = value.span();
        match value.get_ref() {
            DeValue::Integer(i) => match integer(i) {
                Some(n) if n >= 0 && (min..=max).contains(&(n as u64)) => Some(n as u64),
                Some(n) => {
                    self.at(
                        ErrorKind::OutOfRange,
                        span,
                        key,
                        format!("{label}: {expected}, found {n}"),
                    );
                    None
                }
                None => {
                    self.at(
                        ErrorKind::OutOfRange,
                        span,
                        key,
                        format!("{label}: {expected}, found {i}, which does not fit in 64 bits"),
                    );
                    None
                }
            },
            other => {
                let found = describe(other);
                let help = match other {
                    DeValue::Float(x) => x.as_str().parse::<f64>().ok().and_then(whole_number_help),
                    DeValue::String(s) if s.trim().parse::<u64>().is_ok() => {
                        Some(format!("help: remove the quotes: `{}`", s.trim()))
                    }
                    _ => None,
                };
                let d = self.at(
                    ErrorKind::WrongType,
                    span,
                    key,
                    format!("{label}: {expected}, found {found}"),
                );
                d.notes.extend(help);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::toml::{in_file_order, parse};

    /// Walks `text` with `read` applied to each top-level value, and gives the
    /// problems as the user reads them.
    fn problems(
        text: &str,
        mut read: impl FnMut(&mut Walk<'_>, &str, &Spanned<DeValue<'_>>),
    ) -> Vec<String> {
        let root = parse(text, "f.toml").unwrap();
        let mut walk = Walk::new("f.toml", text);
        for (key, value) in in_file_order(root.get_ref()) {
            read(&mut walk, key.get_ref().as_ref(), value);
        }
        walk.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn strings_are_read_or_refused_where_they_are_written() {
        let got = problems("a = \"x\"\nb = 1\nc = \"\"\n", |w, key, v| {
            let s = w.expect_string(key, v, "a string", |s| {
                s.is_empty().then_some("expected a non-empty string")
            });
            assert_eq!(s.is_some(), key == "a");
        });
        assert_eq!(
            got,
            [
                "error: f.toml:2:5: `b`: expected a string, found the integer 1\n  |\n2 | b = 1\n  |     ^",
                "error: f.toml:3:5: `c`: expected a non-empty string, found \"\"\n  |\n3 | c = \"\"\n  |     ^^",
            ]
        );
    }

    #[test]
    fn booleans_and_tables_say_what_they_found() {
        let got = problems(
            "a = true\nb = \"yes\"\nc = {}\nd = [1]\n",
            |w, key, v| match key {
                "a" | "b" => {
                    assert_eq!(w.expect_bool(key, v), (key == "a").then_some(true));
                }
                _ => {
                    assert_eq!(
                        w.expect_table(key, v, "a table (`[x]`)").is_some(),
                        key == "c"
                    );
                }
            },
        );
        assert_eq!(got.len(), 2);
        assert!(
            got[0].contains("f.toml:2:5: `b`: expected true or false, found the string \"yes\"")
        );
        assert!(got[1].contains("f.toml:4:5: `d`: expected a table (`[x]`), found an array"));
    }

    #[test]
    fn integers_are_checked_against_their_range_with_help() {
        let got = problems(
            "a = 3\nb = 0\nc = 4.0\nd = \"5\"\ne = 99999999999999999999\n",
            |w, key, v| {
                let n = w.expect_integer(key, &format!("`{key}`"), v, (1, 10), "things");
                assert_eq!(n, (key == "a").then_some(3));
            },
        );
        let want = [
            "`b`: expected an integer from 1 to 10 (things), found 0",
            "`c`: expected an integer from 1 to 10 (things), found the float 4.0",
            "help: write a whole number without a decimal point: `4`",
            "`d`: expected an integer from 1 to 10 (things), found the string \"5\"",
            "help: remove the quotes: `5`",
            "found 99999999999999999999, which does not fit in 64 bits",
        ];
        let all = got.join("\n");
        for w in want {
            assert!(all.contains(w), "missing {w:?} in:\n{all}");
        }
    }

    #[test]
    fn missing_keys_have_no_place_and_places_are_file_line_column() {
        let mut walk = Walk::new("f.toml", "a = 1\nb = 2\n");
        walk.missing("c", "missing `c`")
            .notes
            .push("help: add it".to_string());
        assert_eq!(
            walk.problems[0].to_string(),
            "error: f.toml: missing `c`\nhelp: add it"
        );
        assert_eq!(walk.problems[0].kind, ErrorKind::Missing);
        assert_eq!(walk.place(8), "f.toml:2:3");
    }
}
