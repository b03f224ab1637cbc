//! UTC timestamps for the manifest and default directory names, formatted without a
//! date-time crate.
//!
//! The clock is read by the caller (`std::time::SystemTime` at the edge); this file
//! only turns seconds since the Unix epoch into text.

use std::time::{Duration, SystemTime};

/// An instant, to the second, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_seconds: u64,
}

impl UtcTime {
    pub fn from_unix_seconds(unix_seconds: u64) -> UtcTime {
        UtcTime { unix_seconds }
    }

    /// Converts a system time; times before 1970 become the epoch.
    pub fn from_system_time(time: SystemTime) -> UtcTime {
        let since = time
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        UtcTime::from_unix_seconds(since.as_secs())
    }

    /// ISO 8601 extended form, `2026-03-21T09:05:00Z`.
    pub fn iso8601(self) -> String {
        let (y, mo, d, h, mi, s) = self.fields();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// ISO 8601 basic form, `20260321T090500Z`, safe in file names on every system.
    pub fn compact(self) -> String {
        let (y, mo, d, h, mi, s) = self.fields();
        format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
    }

    /// (year, month, day, hour, minute, second).
    fn fields(self) -> (i64, u32, u32, u64, u64, u64) {
        let days = (self.unix_seconds / 86_400) as i64;
        let secs = self.unix_seconds % 86_400;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, http://howardhinnant.github.io/date_algorithms.html).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(unix_seconds: u64, expected: &str) {
        assert_eq!(UtcTime::from_unix_seconds(unix_seconds).iso8601(), expected);
    }

    #[test]
    fn known_instants() {
        check(0, "1970-01-01T00:00:00Z");
        check(951_782_400, "2000-02-29T00:00:00Z");
        check(1_709_251_199, "2024-02-29T23:59:59Z");
        check(1_735_689_600, "2025-01-01T00:00:00Z");
        check(4_102_444_800, "2100-01-01T00:00:00Z");
        check(4_107_542_400, "2100-03-01T00:00:00Z");
    }

    #[test]
    fn compact_form_has_no_separators() {
        let t = UtcTime::from_unix_seconds(1_709_251_199);
        assert_eq!(t.compact(), "20240229T235959Z");
    }

    #[test]
    fn system_time_before_the_epoch_is_clamped() {
        let before = SystemTime::UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(UtcTime::from_system_time(before).unix_seconds, 0);
    }
}
