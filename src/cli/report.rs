//! `cogov report DIR`, and the analysis and report every command writes into its
//! results directory before moving it into place.

use super::print_stdout;
use cogov::output::{OutputError, Store};
use std::path::{Path, PathBuf};

/// `cogov report DIR`: rebuilds the report and prints its path.
pub fn run(dir: &Path) -> anyhow::Result<()> {
    let page = cogov::report::write(dir)?;
    print_stdout(&format!("report: {}\n", page.display()))
}

/// Finishes `store` (see [`Store::finish`]) and, unless `shard` (a shard's runs are
/// only part of the experiment), writes the report into the complete results just
/// before they move into place.
pub fn finish(
    store: Store,
    manifest: &[u8],
    extra: &[(&str, Vec<u8>)],
    shard: bool,
) -> Result<PathBuf, OutputError> {
    let target = store.target().to_path_buf();
    store.finish_with(manifest, extra, |partial| {
        if !shard {
            write_into(partial, &target);
        }
    })
}

/// Writes the analysis (a sweep's `sensitivity.csv`, an uncertainty comparison's
/// `robustness.csv` and `prim_boxes.csv`) and then the report into the finished
/// results in `dir`. Neither costs the results when it fails: each is a warning
/// naming the command that retries.
fn write_into(dir: &Path, target: &Path) {
    if let Err(err) = super::analyse::write_into(dir) {
        eprintln!(
            "warning: the results are complete but could not be analysed: {err:#}; `cogov analyse {}` retries",
            target.display()
        );
    }
    if let Err(err) = cogov::report::write(dir) {
        eprintln!(
            "warning: the results are complete but report.html could not be written: {err:#}; `cogov report {}` retries",
            target.display()
        );
    }
}
