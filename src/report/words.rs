//! Numbers in words: how a report names metrics, rounds figures, and states a
//! reform's effect in one plain sentence.

use crate::schema::metrics::{Better, MetricDef, Verdict};
use crate::stats::{Ratio, Summary, fieller};

/// A metric's name as a sentence says it: `incidents_per_1000` is "incidents",
/// `trust_in_police` "trust in police".
pub fn label(def: &MetricDef) -> String {
    let mut name = def.name;
    for suffix in ["_per_1000", "_rate"] {
        name = name.strip_suffix(suffix).unwrap_or(name);
    }
    name.replace('_', " ")
}

/// A scenario's name as a sentence's subject: `clarify_responsibility` is "Clarify
/// responsibility", and so is `reform_clarify_responsibility` (the word "reform"
/// adds nothing to a sentence about a reform).
pub fn subject(name: &str) -> String {
    let name = name
        .strip_prefix("reform_")
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name);
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Whether a change of a metric whose baseline is `baseline` reads best in points:
/// a 0-1 share or index that is not rare (at least 0.1). A rare share (victimisation
/// at 2%) reads better in per cent of itself: half a point is a quarter of it.
pub fn in_points(def: &MetricDef, baseline: f64) -> bool {
    def.min == 0.0 && def.max == 1.0 && baseline >= 0.1
}

/// `x` to three significant digits, with thousands separators; "NA" for NaN.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "NA".to_string();
    }
    let magnitude = x.abs();
    let decimals = if magnitude >= 100.0 || magnitude == 0.0 {
        0
    } else {
        (2 - magnitude.log10().floor() as i32).clamp(0, 6) as usize
    };
    let text = format!("{:.*}", decimals, x);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, format!(".{f}")),
        None => (digits, String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) && whole.len() > 4 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if grouped.chars().all(|c| c == '0' || c == ',')
        && fraction.chars().all(|c| c == '0' || c == '.')
    {
        return format!("{grouped}{fraction}");
    }
    format!("{sign}{grouped}{fraction}")
}

/// A percentage of a fraction: 0.153 is "15%", 0.042 "4.2%".
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "NA".to_string();
    }
    let p = fraction * 100.0;
    let text = if p.abs() >= 10.0 {
        format!("{p:.0}")
    } else {
        short(p)
    };
    format!("{}%", unsigned_zero(text))
}

/// A small figure with enough digits to show it: one decimal from about 1 up, two
/// significant digits below (0.2 is "0.20", 0.0123 is "0.012"), so a change judged
/// clear never reads as zero.
fn short(v: f64) -> String {
    let magnitude = v.abs();
    if magnitude >= 0.95 || magnitude == 0.0 || !magnitude.is_finite() {
        return format!("{v:.1}");
    }
    let decimals = (1 - magnitude.log10().floor() as i32).clamp(1, 9) as usize;
    format!("{v:.decimals$}")
}

/// Whether a rounded number shows a digit other than 0.
fn nonzero(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// A rounded number that reads "-0.0" (a tiny negative) as "0.0".
fn unsigned_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A signed percentage: "+9%", "-15%".
pub fn signed_percent(fraction: f64) -> String {
    let text = percent(fraction);
    if fraction > 0.0 && nonzero(&text) {
        format!("+{text}")
    } else {
        text
    }
}

/// One metric's paired change between a baseline and a reform.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub def: &'static MetricDef,
    pub baseline: f64,
    pub reform: f64,
    /// Reform minus baseline, replication by replication, with its t interval.
    pub difference: Summary,
    /// Reform mean over baseline mean, with Fieller's interval.
    pub ratio: Ratio,
}

impl Change {
    /// The paired change of metric `def` from `(baseline, reform)` value pairs, one per
    /// replication (NaN pairs left out).
    pub fn of(def: &'static MetricDef, pairs: &[(f64, f64)]) -> Change {
        let defined: Vec<(f64, f64)> = pairs
            .iter()
            .copied()
            .filter(|(b, r)| !b.is_nan() && !r.is_nan())
            .collect();
        let mean = |f: fn(&(f64, f64)) -> f64| {
            Summary::of(&defined.iter().map(f).collect::<Vec<_>>()).mean
        };
        let differences: Vec<f64> = defined.iter().map(|(b, r)| r - b).collect();
        let swapped: Vec<(f64, f64)> = defined.iter().map(|&(b, r)| (r, b)).collect();
        Change {
            def,
            baseline: mean(|p| p.0),
            reform: mean(|p| p.1),
            difference: Summary::of(&differences),
            ratio: fieller(&swapped),
        }
    }

    /// Whether the 95% interval of the difference excludes zero.
    pub fn clear(&self) -> bool {
        self.difference.ci95_low > 0.0 || self.difference.ci95_high < 0.0
    }

    pub fn judgement(&self) -> Verdict {
        let d = &self.difference;
        self.def.better.verdict(d.mean, d.ci95_low, d.ci95_high)
    }

    /// The relative change `reform / baseline - 1` and its interval (Fieller's, on
    /// the ratio of the means); NaN bounds when unbounded.
    pub fn relative(&self) -> (f64, f64, f64) {
        (
            self.ratio.estimate - 1.0,
            self.ratio.low - 1.0,
            self.ratio.high - 1.0,
        )
    }

    /// The change in words with its interval, as a clause whose subject is the
    /// reform: "cuts incidents by 15% (95% CI 11% to 19%)", "raises trust in police
    /// by 4.1 points (95% CI 3.2 to 5.0)", "has no clear effect on participation
    /// (95% CI -1.2 to +0.8 points)".
    pub fn clause(&self) -> String {
        let name = label(self.def);
        if let Some(text) = self.without_interval() {
            return format!("cannot tell its effect on {name} ({text})");
        }
        let (size, low, high, unit) = self.magnitudes();
        if !self.clear() {
            return format!("has no clear effect on {name} (95% CI {low} to {high}{unit})");
        }
        let verb = if self.difference.mean > 0.0 {
            "raises"
        } else {
            "cuts"
        };
        let (a, b) = ordered(low, high, self.difference.mean < 0.0);
        format!("{verb} {name} by {size}{unit} (95% CI {a} to {b})")
    }

    /// The change as an intransitive clause: "cost per resolved incident rises 9%
    /// (95% CI 5% to 13%)".
    pub fn intransitive(&self) -> String {
        let name = label(self.def);
        if let Some(text) = self.without_interval() {
            return format!("{name} cannot be judged ({text})");
        }
        let (size, low, high, unit) = self.magnitudes();
        if !self.clear() {
            return format!("{name} shows no clear change (95% CI {low} to {high}{unit})");
        }
        let verb = if self.difference.mean > 0.0 {
            "rises"
        } else {
            "falls"
        };
        let (a, b) = ordered(low, high, self.difference.mean < 0.0);
        format!("{name} {verb} {size}{unit} (95% CI {a} to {b})")
    }

    /// Why there is no interval, when there is none: fewer than two pairs.
    fn without_interval(&self) -> Option<String> {
        let d = &self.difference;
        (d.ci95_low.is_nan() || d.ci95_high.is_nan()).then(|| match d.n {
            0 => "no run pairs where it is defined".to_string(),
            1 => "one run pair: no interval".to_string(),
            n => format!("{n} run pairs without a finite interval"),
        })
    }

    /// The size of the change and its interval's ends as text, and the unit word that
    /// follows the size: for shares the numbers are points and the word " points";
    /// otherwise each number carries its own "%" and the word is empty. The ends are
    /// signed when the interval includes zero, magnitudes otherwise.
    fn magnitudes(&self) -> (String, String, String, &'static str) {
        let d = &self.difference;
        let signed = !self.clear();
        if in_points(self.def, self.baseline) {
            let points = |x: f64| {
                let v = if signed { x * 100.0 } else { (x * 100.0).abs() };
                let text = unsigned_zero(short(v));
                if signed && v > 0.0 && nonzero(&text) {
                    format!("+{text}")
                } else {
                    text
                }
            };
            return (
                points(d.mean),
                points(d.ci95_low),
                points(d.ci95_high),
                " points",
            );
        }
        let (mean, low, high) = self.relative();
        let pct = |x: f64| {
            if signed {
                signed_percent(x)
            } else {
                percent(x.abs())
            }
        };
        let bound = |x: f64| {
            if x.is_nan() {
                "unbounded".to_string()
            } else {
                pct(x)
            }
        };
        (pct(mean), bound(low), bound(high), "")
    }
}

/// The interval's ends in reading order: for a fall, the magnitudes swap.
fn ordered(low: String, high: String, fall: bool) -> (String, String) {
    if fall { (high, low) } else { (low, high) }
}

/// The report's headline for one reform: its effect on the first key metric of
/// public order and the first of cooperation (or the first two key metrics that are
/// not costs), then the first cost, in one sentence; then the other clear
/// improvements and deteriorations among the other key metrics and `others`.
pub fn headline(reform: &str, key: &[Change], others: &[Change]) -> String {
    use crate::schema::metrics::Group;
    let first = |g: Group| key.iter().position(|c| c.def.group == g);
    let mut chosen: Vec<usize> = [first(Group::PublicOrder), first(Group::Cooperation)]
        .into_iter()
        .flatten()
        .collect();
    for (i, c) in key.iter().enumerate() {
        if chosen.len() < 2 && c.def.group != Group::Cost && !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    let effects: Vec<String> = chosen.iter().map(|&i| key[i].clause()).collect();
    let mut sentence = format!("{} {}", subject(reform), effects.join(" and "));
    if let Some(cost) = key.iter().find(|c| c.def.group == Group::Cost) {
        sentence.push_str("; ");
        sentence.push_str(&cost.intransitive());
    }
    sentence.push('.');
    let cost = key.iter().position(|c| c.def.group == Group::Cost);
    let rest: Vec<&Change> = key
        .iter()
        .enumerate()
        .filter(|(i, _)| !chosen.contains(i) && Some(*i) != cost)
        .map(|(_, c)| c)
        .chain(others)
        .collect();
    let list = |j: Verdict| -> Vec<String> {
        rest.iter()
            .filter(|c| c.judgement() == j && c.def.better != Better::Neither)
            .map(|c| {
                if in_points(c.def, c.baseline) {
                    format!(
                        "{} ({:+.1} points)",
                        label(c.def),
                        c.difference.mean * 100.0
                    )
                } else {
                    format!("{} ({})", label(c.def), signed_percent(c.relative().0))
                }
            })
            .collect()
    };
    let (better, worse) = (list(Verdict::Better), list(Verdict::Worse));
    if !better.is_empty() {
        sentence.push_str(&format!(" Also better: {}.", better.join(", ")));
    }
    if !worse.is_empty() {
        sentence.push_str(&format!(" Worse: {}.", worse.join(", ")));
    }
    sentence
}

/// Limits of a PRIM box with a quasi-p-value at or above this are not named in words
/// (`prim_boxes.csv` has them): the box's density does not clearly depend on them.
pub const QUASI_P_SHOWN: f64 = 0.05;

/// One restricted parameter of a PRIM box: its limits, and the quasi-p-value of each
/// end the box restricts (`None`: that end is the data's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxLimit<'a> {
    pub parameter: &'a str,
    pub min: f64,
    pub max: f64,
    pub lower_p: Option<f64>,
    pub upper_p: Option<f64>,
}

/// A box's limit: three significant digits, without trailing zeros.
fn limit(x: f64) -> String {
    let text = number(x);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A box's limits in words, `a.b in [0.1, 0.3] and c.d >= 2`, naming only those
/// with a quasi-p-value below [`QUASI_P_SHOWN`] (Bryant and Lempert 2010), or all
/// when none is, and counting the others.
pub fn box_limits(limits: &[BoxLimit]) -> String {
    let strong = |l: &&BoxLimit| {
        [l.lower_p, l.upper_p]
            .iter()
            .flatten()
            .any(|&p| p < QUASI_P_SHOWN)
    };
    let shown: Vec<&BoxLimit> = if limits.iter().any(|l| strong(&l)) {
        limits.iter().filter(strong).collect()
    } else {
        limits.iter().collect()
    };
    let words = shown
        .iter()
        .map(|l| match (l.lower_p.is_some(), l.upper_p.is_some()) {
            (true, false) => format!("{} >= {}", l.parameter, limit(l.min)),
            (false, true) => format!("{} <= {}", l.parameter, limit(l.max)),
            _ => format!("{} in [{}, {}]", l.parameter, limit(l.min), limit(l.max)),
        })
        .collect::<Vec<_>>()
        .join(" and ");
    match limits.len() - shown.len() {
        0 => words,
        hidden => format!("{words} (and {hidden} weaker limit(s), in prim_boxes.csv)"),
    }
}

/// A PRIM box as a sentence: "R fails to improve M in F of W worlds; C of those
/// (density D) where LIMITS".
pub fn box_sentence(
    reform: &str,
    metric: &str,
    failing: u64,
    worlds: u64,
    coverage: f64,
    density: f64,
    limits: &[BoxLimit],
) -> String {
    format!(
        "{reform} fails to improve {metric} in {failing} of {worlds} worlds; {} of those (density {}) where {}",
        percent(coverage),
        percent(density),
        box_limits(limits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::Metric;

    fn pairs(base: f64, change: f64, noise: f64) -> Vec<(f64, f64)> {
        (0..20)
            .map(|i| {
                let e = noise * (f64::from(i % 5) - 2.0);
                (base + e, base + change + e * 1.1 + noise * f64::from(i % 2))
            })
            .collect()
    }

    #[test]
    fn a_clear_fall_is_a_cut_with_magnitudes_in_order() {
        let c = Change::of(Metric::IncidentsPer1000.def(), &pairs(30.0, -4.5, 0.5));
        assert_eq!(c.judgement(), Verdict::Better);
        let text = c.clause();
        assert!(text.starts_with("cuts incidents by 14"), "{text}");
        // The reform adds 0.25 on average to -4.5: -4.25 / 30 is a 14.2% cut, and
        // the interval's ends read smaller first.
        let ci = text.split("95% CI ").nth(1).unwrap();
        let (a, b) = ci.trim_end_matches("%)").split_once("% to ").unwrap();
        let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
        assert!(
            0.0 < a && a <= 14.2 && 14.2 <= b + 0.5 && b < 20.0,
            "{text}"
        );
    }

    #[test]
    fn shares_change_in_points_and_an_unclear_change_says_so() {
        let c = Change::of(Metric::TrustInPolice.def(), &pairs(0.6, 0.04, 0.01));
        assert_eq!(
            c.clause(),
            "raises trust in police by 4.5 points (95% CI 4.3 to 4.7)"
        );
        let wobble: Vec<(f64, f64)> = (0..20)
            .map(|i| (0.6, 0.6 + if i % 2 == 0 { 0.01 } else { -0.012 }))
            .collect();
        let flat = Change::of(Metric::TrustInPolice.def(), &wobble);
        assert_eq!(flat.judgement(), Verdict::Unclear);
        let text = flat.clause();
        assert!(
            text.starts_with("has no clear effect on trust in police (95% CI -"),
            "{text}"
        );
        assert!(text.ends_with(" points)"), "{text}");
        let cost = Change::of(
            Metric::CostPerResolvedIncident.def(),
            &pairs(200.0, 18.0, 2.0),
        );
        assert_eq!(cost.judgement(), Verdict::Worse);
        assert!(
            cost.intransitive()
                .starts_with("cost per resolved incident rises 9")
        );
    }

    #[test]
    fn the_headline_names_the_reform_and_its_effects() {
        let key = [
            Change::of(Metric::IncidentsPer1000.def(), &pairs(30.0, -4.5, 0.5)),
            Change::of(Metric::TrustInPolice.def(), &pairs(0.6, 0.04, 0.01)),
            Change::of(
                Metric::CostPerResolvedIncident.def(),
                &pairs(200.0, 18.0, 2.0),
            ),
        ];
        let others = [Change::of(
            Metric::ReportingRate.def(),
            &pairs(0.4, 0.03, 0.005),
        )];
        let text = headline("clarify_responsibility", &key, &others);
        assert!(
            text.starts_with("Clarify responsibility cuts incidents by 14% (95% CI 1"),
            "{text}"
        );
        assert!(text.contains(" and raises trust in police by 4.5 points (95% CI 4.3 to 4.7)"));
        assert!(text.contains("; cost per resolved incident rises 9.5% (95% CI 9.3% to 9.7%)"));
        assert!(
            text.ends_with("Also better: reporting (+3.3 points)."),
            "{text}"
        );
    }

    #[test]
    fn a_tiny_clear_change_shows_its_size_and_one_pair_says_it_has_no_interval() {
        // +0.002 in trust, very precise: clear, and not "0.0 points".
        let pairs: Vec<(f64, f64)> = (0..20)
            .map(|i| (0.6, 0.602 + if i % 2 == 0 { 1e-5 } else { -1e-5 }))
            .collect();
        let c = Change::of(Metric::TrustInPolice.def(), &pairs);
        assert_eq!(
            c.clause(),
            "raises trust in police by 0.20 points (95% CI 0.20 to 0.20)"
        );
        let one = Change::of(Metric::IncidentsPer1000.def(), &[(30.0, 25.0)]);
        assert_eq!(one.judgement(), Verdict::Unclear);
        assert_eq!(
            one.clause(),
            "cannot tell its effect on incidents (one run pair: no interval)"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(12345.6), "12,346");
        assert_eq!(number(1234.6), "1235");
        assert_eq!(number(0.04213), "0.0421");
        assert_eq!(number(-27.94), "-27.9");
        assert_eq!(number(f64::NAN), "NA");
        assert_eq!(percent(0.153), "15%");
        assert_eq!(signed_percent(0.042), "+4.2%");
        assert_eq!(percent(-0.0004), "-0.040%");
        assert_eq!(signed_percent(0.0004), "+0.040%");
        assert_eq!(percent(-0.0), "0.0%");
        assert_eq!(signed_percent(0.0), "0.0%");
        assert_eq!(unsigned_zero("-0.0".into()), "0.0");
        assert_eq!(unsigned_zero("-0.1".into()), "-0.1");
        assert_eq!(short(0.2), "0.20");
        assert_eq!(short(-0.0123), "-0.012");
        assert_eq!(short(4.46), "4.5");
        assert_eq!(percent(0.00123), "0.12%");
    }

    #[test]
    fn box_limits_name_the_ends_a_box_restricts_and_the_strong_ones_only() {
        let l = |parameter, min, max, lower_p, upper_p| BoxLimit {
            parameter,
            min,
            max,
            lower_p,
            upper_p,
        };
        assert_eq!(
            box_limits(&[l("a.b", 0.2, 1.0, Some(0.01), None)]),
            "a.b >= 0.2"
        );
        assert_eq!(
            box_limits(&[l("a.b", 0.0, 0.35, None, Some(0.01))]),
            "a.b <= 0.35"
        );
        assert_eq!(
            box_limits(&[l("a.b", 0.1, 0.3, Some(0.01), Some(0.2))]),
            "a.b in [0.1, 0.3]"
        );
        // A weak limit beside a strong one is counted, not named.
        assert_eq!(
            box_limits(&[
                l("a.b", 0.1, 1.0, Some(0.001), None),
                l("c.d", 0.0, 0.9, None, Some(0.3)),
            ]),
            "a.b >= 0.1 (and 1 weaker limit(s), in prim_boxes.csv)"
        );
        // All weak: all named.
        assert_eq!(
            box_limits(&[
                l("a.b", 0.1, 1.0, Some(0.2), None),
                l("c.d", 0.0, 0.9, None, Some(0.3)),
            ]),
            "a.b >= 0.1 and c.d <= 0.9"
        );
        assert_eq!(
            box_sentence(
                "r",
                "m",
                12,
                100,
                1.0,
                0.86,
                &[l("a.b", 0.76, 0.9, Some(0.0), None)]
            ),
            "r fails to improve m in 12 of 100 worlds; 100% of those (density 86%) where a.b >= 0.76"
        );
    }
}
