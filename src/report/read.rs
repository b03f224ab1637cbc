//! Reading a finished results directory back: its manifest and, a line at a time,
//! its CSV files. Nothing here keeps a whole file in memory.

use super::ReportError;
use crate::experiment::{Kind, unique_labels};
use crate::model::Model;
use crate::output::layout::parse_number;
use crate::output::{MANIFEST_FILE, RUNS_FILE};
use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};

/// What the manifest says about the results in a directory.
#[derive(Debug, Clone)]
pub struct Results {
    pub dir: PathBuf,
    pub kind: Kind,
    pub model: Model,
    /// The scenario run or swept, or a comparison's baseline.
    pub name: String,
    pub description: String,
    /// Each point's label as the files write it: the scenario name of a run, the
    /// scenarios of a comparison (baseline first), the point numbers of a sweep.
    pub labels: Vec<String>,
    pub replications: u64,
    pub seed: u64,
    pub version: String,
    /// Runs that failed (their errors are in `failures.csv`).
    pub failures: u64,
    /// The scenario's (a comparison's baseline's) warm-up in ticks, when the
    /// manifest records it.
    pub warmup_ticks: Option<u64>,
    /// A sweep's name, design and description as its experiment file gave them.
    pub sweep: Option<(String, String, String)>,
    /// The sweep's design, as its file named it ("grid", "lhs", ...), or empty.
    pub design: String,
    /// The whole manifest, for what only some kinds of results record (a sweep's
    /// design settings, an uncertainty comparison's worlds).
    pub manifest: serde_json::Value,
}

impl Results {
    /// Reads `dir/manifest.json`.
    ///
    /// # Errors
    /// The directory holds no finished results (no manifest, or one cogov did not
    /// write).
    pub fn read(dir: &Path) -> Result<Results, ReportError> {
        if !dir.is_dir() {
            return Err(ReportError::NotResults(dir.to_path_buf()));
        }
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ReportError::NotResults(dir.to_path_buf()));
            }
            Err(source) => {
                return Err(ReportError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        };
        let corrupt = |reason: &str| ReportError::Corrupt {
            path: path.clone(),
            reason: reason.to_string(),
        };
        let m: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| corrupt(&format!("not JSON: {e}")))?;
        let experiment = &m["experiment"];
        let shard = experiment["shard"].as_str().unwrap_or("1/1");
        if shard != "1/1" {
            return Err(ReportError::Shard(dir.to_path_buf(), shard.to_string()));
        }
        let kind: Kind = serde_json::from_value(experiment["kind"].clone())
            .map_err(|_| corrupt("no experiment kind"))?;
        let model = experiment["model"]
            .as_str()
            .and_then(Model::from_name)
            .ok_or_else(|| corrupt("no model"))?;
        let text_of = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let name = text_of(&m["scenario"]["name"]);
        let points = experiment["points"].as_u64().unwrap_or(1) as usize;
        let labels = match kind {
            Kind::Run => vec![name.clone()],
            Kind::Sweep => (0..points).map(|p| p.to_string()).collect(),
            Kind::Compare => {
                let reforms = m["reforms"].as_array().cloned().unwrap_or_default();
                let names: Vec<String> = std::iter::once(name.clone())
                    .chain(reforms.iter().map(|r| text_of(&r["name"])))
                    .collect();
                unique_labels(names.iter().map(String::as_str))
            }
        };
        Ok(Results {
            dir: dir.to_path_buf(),
            kind,
            model,
            description: text_of(&m["scenario"]["description"]),
            name,
            labels,
            replications: m["replications"].as_u64().unwrap_or(0),
            seed: m["seed"].as_u64().unwrap_or(0),
            version: text_of(&m["cogov_version"]),
            failures: m["failures"].as_u64().unwrap_or(0),
            warmup_ticks: m["parameters"]["run"]["warmup_ticks"].as_u64(),
            sweep: m["sweep"].is_object().then(|| {
                (
                    text_of(&m["sweep"]["name"]),
                    text_of(&m["sweep"]["design"]),
                    text_of(&m["sweep"]["description"]),
                )
            }),
            design: text_of(&m["sweep"]["design"]),
            manifest: m,
        })
    }

    /// The path of one of the directory's files.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Each point's metric values, replication by replication, from `runs.csv`:
    /// `values[point][replication][metric]` in the model's metric order (NaN for a
    /// failed run, an undefined value, or a metric the file has no column for: an
    /// older cogov wrote it). Columns are found by name.
    ///
    /// # Errors
    /// An unreadable file or row.
    pub fn runs(&self) -> Result<Vec<Vec<Vec<f64>>>, ReportError> {
        let defs = self.model.metrics();
        let width = defs.len();
        let points = self.labels.len();
        let mut values: Vec<Vec<Vec<f64>>> = vec![Vec::new(); points];
        let mut columns: Vec<Option<usize>> = Vec::new();
        let path = self.file(RUNS_FILE);
        rows(&path, |header, fields| {
            if columns.is_empty() {
                columns = column_positions(header, defs.iter().map(|d| d.name));
            }
            let (point, replication) = match self.kind {
                Kind::Run => (0, fields[0].parse::<usize>().ok()?),
                Kind::Compare => (
                    self.labels.iter().position(|l| *l == fields[0])?,
                    fields[1].parse::<usize>().ok()?,
                ),
                Kind::Sweep => (
                    fields[0].parse::<usize>().ok()?,
                    fields[1].parse::<usize>().ok()?,
                ),
            };
            let runs = values.get_mut(point)?;
            if runs.len() <= replication {
                runs.resize(replication + 1, vec![f64::NAN; width]);
            }
            runs[replication] = columns
                .iter()
                .map(|c| c.map_or(Some(f64::NAN), |c| parse_number(&fields[c])))
                .collect::<Option<Vec<f64>>>()?;
            Some(())
        })
        .and_then(|found| {
            expect_rows(
                &path,
                found,
                (self.replications * self.labels.len() as u64).saturating_sub(self.failures),
                "a row per finished run",
            )
        })?;
        Ok(values)
    }
}

/// Where each of `names` stands in `header` (`None`: no such column).
pub fn column_positions<'a>(
    header: &[String],
    names: impl Iterator<Item = &'a str>,
) -> Vec<Option<usize>> {
    names
        .map(|name| header.iter().position(|h| h == name))
        .collect()
}

/// Splits one CSV line into fields, unquoting quoted ones.
pub fn split(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    split_into(line, &mut fields);
    fields
}

/// [`split`] into `fields`, reusing its strings: reading a file row by row then
/// allocates only for rows longer than any before.
fn split_into(line: &str, fields: &mut Vec<String>) {
    let mut n = 0;
    let mut next = |fields: &mut Vec<String>| -> usize {
        if fields.len() == n {
            fields.push(String::new());
        }
        fields[n].clear();
        n += 1;
        n - 1
    };
    if !line.contains('"') {
        // What cogov writes but for quoted scenario names: plain fields.
        for text in line.split(',') {
            let i = next(fields);
            fields[i].push_str(text);
        }
    } else {
        let mut i = next(fields);
        let mut chars = line.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    fields[i].push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (false, '"') if fields[i].is_empty() => quoted = true,
                (false, ',') => i = next(fields),
                (_, c) => fields[i].push(c),
            }
        }
    }
    fields.truncate(n);
}

/// Streams the rows of the CSV file at `path` to `row(header, fields)`, one line at a
/// time, and returns how many rows there were. A row `row` cannot read (it returns
/// `None`) is an error naming the line, and so is a last line without its line
/// break: cogov ends every line with one, so the file was cut short.
///
/// # Errors
/// The file cannot be opened or read, a row is unreadable, or the file is cut short.
pub fn rows(
    path: &Path,
    mut row: impl FnMut(&[String], &[String]) -> Option<()>,
) -> Result<u64, ReportError> {
    let file = File::open(path).map_err(|source| ReportError::Io {
        action: "open",
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::new(file);
    let corrupt = |reason: String| ReportError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let mut line = String::new();
    let mut read = |line: &mut String| -> Result<bool, ReportError> {
        line.clear();
        let n = reader.read_line(line).map_err(|source| ReportError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
        Ok(n > 0)
    };
    if !read(&mut line)? {
        return Ok(0);
    }
    let header = split(line.trim_end_matches(['\n', '\r']));
    let mut count = 0;
    let mut number = 1;
    let mut fields = Vec::new();
    while read(&mut line)? {
        number += 1;
        let Some(text) = line.strip_suffix('\n') else {
            return Err(corrupt(format!(
                "line {number} ends without a line break: the file was cut short"
            )));
        };
        if text.is_empty() {
            continue;
        }
        split_into(text, &mut fields);
        if fields.len() != header.len() || row(&header, &fields).is_none() {
            return Err(corrupt(format!("line {number} cannot be read: {text}")));
        }
        count += 1;
    }
    Ok(count)
}

/// Refuses a file whose row count is not what the manifest implies.
///
/// # Errors
/// [`ReportError::Corrupt`] naming both counts.
pub fn expect_rows(path: &Path, found: u64, expected: u64, what: &str) -> Result<(), ReportError> {
    if found == expected {
        Ok(())
    } else {
        Err(ReportError::Corrupt {
            path: path.to_path_buf(),
            reason: format!("{found} rows, but the manifest implies {expected} ({what})"),
        })
    }
}

/// Like [`rows`], but a missing file is no rows (`Ok(false)`).
///
/// # Errors
/// As [`rows`], except a missing file.
pub fn rows_if_present(
    path: &Path,
    row: impl FnMut(&[String], &[String]) -> Option<()>,
) -> Result<Option<u64>, ReportError> {
    if !path.is_file() {
        return Ok(None);
    }
    rows(path, row).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_unquotes_as_the_writers_quote() {
        assert_eq!(split("a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(split("\"odd, \"\"name\"\"\",1"), ["odd, \"name\"", "1"]);
        assert_eq!(split(""), [""]);
        assert_eq!(split("\"\","), ["", ""]);
        // Reused strings keep nothing of the row before.
        let mut fields = Vec::new();
        for (line, expected) in [
            ("a,b,c,d", vec!["a", "b", "c", "d"]),
            ("x,\"y,z\"", vec!["x", "y,z"]),
            ("1,22,333", vec!["1", "22", "333"]),
            ("", vec![""]),
        ] {
            split_into(line, &mut fields);
            assert_eq!(fields, expected, "{line}");
        }
    }
}
