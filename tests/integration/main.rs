//! cogov's one integration-test binary (`autotests = false`). Each module covers one
//! area; helpers shared between them live in `util`.
//!
//! - `cli`: the `cogov` command line end to end: help, references, `run`'s files,
//!   refusals, determinism across thread counts, error messages and exit codes.

mod cli;
mod util;
