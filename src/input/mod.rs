//! What the two file formats (scenario files and experiment files) share: reading a
//! file, walking its TOML by hand with spans, reading parameter values, and locating
//! each problem and telling the user how to fix it. Walking by hand, rather than
//! deserialising, lets a reader go on after a problem and report every one at once.
//!
//! - [`diagnostic`]: byte spans to line and column, rustc-style messages, and the
//!   error that carries every problem found in a file.
//! - `read.rs`: a file into UTF-8 text (size limit, no directories, the place of a
//!   bad byte, no byte-order mark), and how a failure is reported.
//! - `toml.rs`: text into a spanned TOML table (a syntax error located), entries in
//!   file order, found values in words, exact integers, the rules for a `name` and
//!   a scenario path.
//! - `walk.rs`: a `Walk` over one file that records located problems; its
//!   `expect_*` methods read a string, boolean, table or bounded integer at a key.
//! - `value.rs`: a TOML value as a parameter's value, checked against its
//!   definition, and the "did you mean" for an unknown parameter path.
//! - `testing.rs` (tests only): judging a load against the message it must give.
//! - [`best_match`]: the "did you mean" suggestion for a misspelt name.
//!
//! This module knows no file format: which keys a scenario or an experiment file
//! holds, what they mean, and which problems they can have belong to
//! [`crate::scenario`] and [`crate::sweep`], the two formats built on top of it. It
//! knows no parameter either: the tables of parameters belong to the models.

pub mod diagnostic;
pub(crate) mod read;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod toml;
pub(crate) mod value;
pub(crate) mod walk;

/// Longest word [`best_match`] compares; longer ones match nothing.
const MAX_SUGGESTED_LEN: usize = 200;

/// The candidate closest to `word` by Jaro-Winkler similarity, if it is close enough
/// to be a likely typo.
pub fn best_match<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // No name is this long: a key of megabytes gets no suggestion, and costs nothing.
    if word.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let names = ["grid", "random", "lhs", "sobol"];
        assert_eq!(best_match("rnadom", names.into_iter()), Some("random"));
        assert_eq!(best_match("sobl", names.into_iter()), Some("sobol"));
        assert_eq!(best_match("factorial", names.into_iter()), None);
        assert_eq!(best_match("x", std::iter::empty()), None);
        assert_eq!(best_match(&"grid".repeat(1000), names.into_iter()), None);
    }
}
