//! Tick values and number formatting: Heckbert's nice ticks, tick labels without float
//! noise, and the short fixed formats that keep chart bytes stable.

/// The "nice" number near `x` > 0: 1, 2, 5 or 10 times a power of ten (Heckbert 1990,
/// "Nice numbers for graph labels", Graphics Gems). `round` picks the nearest; otherwise
/// the smallest nice number not below `x`.
fn nice_number(x: f64, round: bool) -> f64 {
    let exponent = x.log10().floor();
    let power = 10f64.powf(exponent);
    let fraction = x / power;
    let nice = if round {
        match fraction {
            f if f < 1.5 => 1.0,
            f if f < 3.0 => 2.0,
            f if f < 7.0 => 5.0,
            _ => 10.0,
        }
    } else {
        match fraction {
            f if f <= 1.0 => 1.0,
            f if f <= 2.0 => 2.0,
            f if f <= 5.0 => 5.0,
            _ => 10.0,
        }
    };
    nice * power
}

/// The ends a degenerate range is widened to: ±10% of the value, or ±1 around zero.
pub(super) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (-1.0, 1.0)
    } else {
        (lo - lo.abs() * 0.1, hi + hi.abs() * 0.1)
    }
}

/// First tick, step and tick count of Heckbert's loose labelling of `lo..hi`.
pub(super) fn tick_plan(lo: f64, hi: f64, target: usize) -> Option<(f64, f64, usize)> {
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let (lo, hi) = padded(lo, hi);
    let range = nice_number(hi - lo, false);
    let step = nice_number(range / (target.max(2) - 1) as f64, true);
    if !step.is_finite() || step <= 0.0 {
        return None;
    }
    // The tolerance keeps an end that is already a multiple of the step from gaining a
    // tick through rounding noise.
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let count = (last - first) as usize + 1;
    Some((first * step, step, count))
}

/// About `target` "nice" tick values covering `lo..hi`, spaced 1, 2 or 5 × 10^k apart,
/// the first at or below `lo` and the last at or above `hi` (Heckbert 1990). Equal ends
/// are padded; non-finite ends give no ticks. Values are rounded to the step's decimals,
/// so no float noise reaches a label.
///
/// # Examples
/// ```
/// assert_eq!(cogov::chart::nice_ticks(0.0, 97.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
/// ```
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let Some((first, step, count)) = tick_plan(lo, hi, target) else {
        return Vec::new();
    };
    let decimals = decimals(step) as i32;
    let unit = 10f64.powi(decimals);
    (0..count)
        .map(|i| {
            let value = first + i as f64 * step;
            let value = (value * unit).round() / unit;
            if value == 0.0 { 0.0 } else { value }
        })
        .collect()
}

/// The fewest decimals (at most 15) that write multiples of `step` exactly.
fn decimals(step: f64) -> usize {
    let step = step.abs();
    if !step.is_finite() || step == 0.0 {
        return 0;
    }
    (0..=15)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(15)
}

/// Inserts thousands separators into a formatted number ("-12345.5" -> "-12,345.5").
fn group_thousands(formatted: &str) -> String {
    let (sign, unsigned) = match formatted.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", formatted),
    };
    let (int, fraction) = match unsigned.find('.') {
        Some(at) => unsigned.split_at(at),
        None => (unsigned, ""),
    };
    let mut grouped = String::with_capacity(formatted.len() + int.len() / 3);
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{fraction}")
}

/// `formatted` without a minus sign if it is all zeros ("-0.0" -> "0.0").
fn without_negative_zero(formatted: String) -> String {
    match formatted.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => formatted,
    }
}

/// A tick label for `x` on an axis whose ticks are `step` apart: as many decimals as the
/// step needs (so one axis has one number of decimals), no float noise, and thousands
/// separators when |x| ≥ 10,000. Non-finite values print as "NA".
///
/// # Examples
/// ```
/// use cogov::chart::format_tick;
/// assert_eq!(format_tick(0.1 + 0.2, 0.1), "0.3");
/// assert_eq!(format_tick(12000.0, 2000.0), "12,000");
/// ```
pub fn format_tick(x: f64, step: f64) -> String {
    if !x.is_finite() {
        return "NA".to_string();
    }
    let formatted = if step.is_finite() && step != 0.0 {
        format!("{:.*}", decimals(step), x)
    } else {
        trim_zeros(format!("{x:.2}"))
    };
    let formatted = without_negative_zero(formatted);
    if x.abs() >= 10_000.0 {
        group_thousands(&formatted)
    } else {
        formatted
    }
}

/// Drops trailing zeros after a decimal point, and the point if nothing follows it.
fn trim_zeros(formatted: String) -> String {
    if formatted.contains('.') {
        formatted
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        formatted
    }
}

/// `x` to three significant digits (all integer digits kept), trailing zeros trimmed,
/// thousands separated from 10,000: for summaries in `<desc>` and for cell values.
pub(super) fn short_number(x: f64) -> String {
    if !x.is_finite() {
        return "NA".to_string();
    }
    let magnitude = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i32
    };
    let decimals = (2 - magnitude).clamp(0, 12) as usize;
    let formatted = without_negative_zero(trim_zeros(format!("{x:.decimals$}")));
    if x.abs() >= 10_000.0 {
        group_thousands(&formatted)
    } else {
        formatted
    }
}

/// A count with thousands separators ("1,203").
pub(super) fn count(n: usize) -> String {
    group_thousands(&n.to_string())
}

/// `x` rounded to two decimals, as [`num`] writes it.
pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// "1 point", "3 points", "1,203 cells": a count with its noun.
pub(super) fn counted(n: usize, singular: &str, plural: &str) -> String {
    format!("{} {}", count(n), if n == 1 { singular } else { plural })
}

/// A coordinate: at most two decimals, trailing zeros trimmed. Non-finite values, which
/// the charts never pass, print as 0 so the XML stays valid.
pub(super) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    without_negative_zero(trim_zeros(format!("{x:.2}")))
}

/// A coordinate with at most one decimal, for charts with thousands of marks.
pub(super) fn num1(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    without_negative_zero(trim_zeros(format!("{x:.1}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_known_answers() {
        let cases: &[(f64, f64, &[f64])] = &[
            (0.0, 1.0, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
            (0.0, 97.0, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            (-13.0, 27.0, &[-20.0, -10.0, 0.0, 10.0, 20.0, 30.0]),
            (0.0, 5e-5, &[0.0, 1e-5, 2e-5, 3e-5, 4e-5, 5e-5]),
            (
                3.2e-5,
                4.1e-5,
                &[3.2e-5, 3.4e-5, 3.6e-5, 3.8e-5, 4.0e-5, 4.2e-5],
            ),
            (1000.0, 26000.0, &[0.0, 10000.0, 20000.0, 30000.0]),
            (0.0, 0.0, &[-1.0, -0.5, 0.0, 0.5, 1.0]),
            (5.0, 5.0, &[4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
            (1.0, 0.0, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        ];
        for (lo, hi, want) in cases {
            assert_eq!(nice_ticks(*lo, *hi, 5), *want, "{lo}..{hi}");
        }
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
    }

    #[test]
    fn nice_ticks_cover_the_range_with_about_the_target_count() {
        for &(lo, hi) in &[
            (0.13, 0.91),
            (-7.5, 2.25),
            (123.0, 9876.0),
            (1e6, 1.3e6),
            (-2e-3, -1e-3),
        ] {
            let ticks = nice_ticks(lo, hi, 5);
            assert!(
                ticks[0] <= lo && *ticks.last().unwrap() >= hi,
                "{lo}..{hi}: {ticks:?}"
            );
            assert!((3..=11).contains(&ticks.len()), "{lo}..{hi}: {ticks:?}");
            assert!(ticks.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn format_tick_known_answers() {
        let cases: &[(f64, f64, &str)] = &[
            (0.1 + 0.2, 0.1, "0.3"),
            (0.30000000000000004, 0.2, "0.3"),
            (0.4, 0.2, "0.4"),
            (1.0, 0.2, "1.0"),
            (12000.0, 2000.0, "12,000"),
            (5000.0, 5000.0, "5000"),
            (-12000.0, 2000.0, "-12,000"),
            (1234567.0, 500000.0, "1,234,567"),
            (-0.5, 0.5, "-0.5"),
            (-20.0, 10.0, "-20"),
            (-0.0, 0.1, "0.0"),
            (-1e-17, 0.2, "0.0"),
            (2.5e-5, 5e-6, "0.000025"),
            (0.25, 0.25, "0.25"),
            (-12345.5, 0.5, "-12,345.5"),
            (f64::NAN, 1.0, "NA"),
            (1.005, f64::NAN, "1"),
        ];
        for (x, step, want) in cases {
            assert_eq!(format_tick(*x, *step), *want, "format_tick({x}, {step})");
        }
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.234567), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num1(12.46), "12.5");
        assert_eq!(short_number(0.012345), "0.0123");
        assert_eq!(short_number(123.456), "123");
        assert_eq!(short_number(12345.6), "12,346");
        assert_eq!(short_number(-2.5), "-2.5");
        assert_eq!(short_number(0.0), "0");
        assert_eq!(count(1203), "1,203");
        assert_eq!(count(12), "12");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(counted(1, "point", "points"), "1 point");
        assert_eq!(counted(1203, "cell", "cells"), "1,203 cells");
    }
}
