//! A CSV table of any columns, for results that are not an experiment's standard
//! files (those are [`super::layout`]'s): the tables of `examples/validate`, for
//! example.
//!
//! A table is plain data turned into text: a header and rows of [`Cell`]s. Numbers are
//! written as every results file writes them ([`super::push_number`]: the shortest
//! decimal that reads back, `NA` for NaN), text is quoted when CSV requires it
//! ([`super::layout::csv_field`]). Writing the text to a file is the caller's business.

use super::layout::csv_field;
use super::push_number;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, quoted if it holds a comma, a quote or a line break.
    Text(String),
    /// A number, as [`super::push_number`] writes it.
    Number(f64),
    /// A whole number (a count or an identifier), as an integer.
    Count(u64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Number(x)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Count(n)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Count(n as u64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Count(u64::from(n))
    }
}

/// A CSV table: a header line and one line per row, each ending in `\n`.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    columns: usize,
    rows: usize,
    text: String,
}

impl CsvTable {
    /// An empty table with these column names.
    pub fn new(header: &[&str]) -> CsvTable {
        let mut text = String::new();
        push_line(&mut text, header.iter().map(|name| csv_field(name)));
        CsvTable {
            columns: header.len(),
            rows: 0,
            text,
        }
    }

    /// Appends a row.
    ///
    /// # Panics
    /// If the row does not have one cell per column.
    pub fn push(&mut self, row: &[Cell]) {
        assert_eq!(row.len(), self.columns, "one cell per column");
        push_line(
            &mut self.text,
            row.iter().map(|cell| match cell {
                Cell::Text(text) => csv_field(text),
                Cell::Number(x) => {
                    let mut s = String::new();
                    push_number(&mut s, *x);
                    s
                }
                Cell::Count(n) => n.to_string(),
            }),
        );
        self.rows += 1;
    }

    /// The number of rows pushed (the header aside).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The table as CSV text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Appends `cells` joined by commas, and a line break.
fn push_line(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_as_the_results_files_write_them() {
        let mut t = CsvTable::new(&["name", "value", "count"]);
        t.push(&["plain".into(), 0.1.into(), 3_u64.into()]);
        t.push(&["a, \"b\"".into(), f64::NAN.into(), 0_usize.into()]);
        t.push(&[
            String::from("x").into(),
            (1.0 / 3.0).into(),
            Cell::Number(f64::INFINITY),
        ]);
        assert_eq!(t.rows(), 3);
        assert_eq!(
            t.text(),
            "name,value,count\nplain,0.1,3\n\"a, \"\"b\"\"\",NA,0\nx,0.3333333333333333,Inf\n"
        );
    }

    #[test]
    fn an_empty_table_is_its_header() {
        let t = CsvTable::new(&["a", "b"]);
        assert_eq!(t.text(), "a,b\n");
        assert_eq!(t.rows(), 0);
    }

    #[test]
    #[should_panic(expected = "one cell per column")]
    fn a_short_row_is_refused() {
        CsvTable::new(&["a", "b"]).push(&[Cell::Count(1)]);
    }
}
