//! What the two file formats (scenario files and experiment files) share: locating a
//! problem in a file and telling the user how to fix it.
//!
//! - [`diagnostic`]: byte spans to line and column, rustc-style messages, and the
//!   error that carries every problem found in a file.
//! - [`best_match`]: the "did you mean" suggestion for a misspelt name.

pub mod diagnostic;

/// The candidate closest to `word` by Jaro-Winkler similarity, if it is close enough
/// to be a likely typo.
pub fn best_match<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
