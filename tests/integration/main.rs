//! cogov's one integration-test binary (`autotests = false`). Each module covers one
//! area; helpers shared between them live in `util`.
//!
//! - `cli`: the `cogov` command line end to end: help, references, `run`'s files,
//!   refusals, determinism across thread counts, error messages and exit codes.
//! - `directions`: each reform moves its metrics the way its mechanisms say, by
//!   paired comparison with common random numbers.

mod cli;
mod directions;
mod util;
