//! The tables: CSV files through the library's writer ([`CsvTable`]) and the numbers
//! of the printed tables.

use std::path::Path;

use cogov::output::csv::{Cell, CsvTable};

/// A number cell of a CSV table, written as every results file writes numbers: the
/// shortest decimal that reads back to the same value, `NA` for undefined.
pub fn num(x: f64) -> Cell {
    Cell::Number(x)
}

/// A cell of text.
pub fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The undefined cell, `NA`.
pub fn na() -> Cell {
    Cell::Number(f64::NAN)
}

/// Writes `table` as `dir/name` and says so.
///
/// # Errors
/// If the file cannot be written.
pub fn write(table: &CsvTable, dir: &Path, name: &str) -> std::io::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, table.text())?;
    println!("(wrote {})", path.display());
    Ok(())
}

/// A number for a printed table: `digits` decimals, `-` for undefined.
pub fn show(x: f64, digits: usize) -> String {
    if x.is_nan() {
        "-".to_string()
    } else {
        format!("{x:.digits$}")
    }
}

/// A mean with its 95% interval, "m [low, high]", for a check's detail.
pub fn show_ci(s: &cogov::stats::Summary, digits: usize) -> String {
    format!(
        "{} [{}, {}]",
        show(s.mean, digits),
        show(s.ci95_low, digits),
        show(s.ci95_high, digits)
    )
}

/// A relative change for a printed table, as a signed percentage.
pub fn pct(x: f64) -> String {
    if x.is_nan() {
        "-".to_string()
    } else {
        format!("{:+.1}%", 100.0 * x)
    }
}
