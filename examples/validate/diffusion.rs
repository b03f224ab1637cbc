//! Result 1, diffusion of responsibility (Darley and Latane 1968; Diekmann 1985): each
//! actor present at a call decides by its own volunteer's-dilemma rule, so the
//! individual act rate by the number of actors present, the share of calls anyone acts
//! on, and the share nobody acts on are outputs. They are read against the closed form
//! of `rules/liability.rs` with motivation fixed, and against the clarity of liability.
//! The number present is moved by the numbers of grid workers and community
//! enterprises (whose guards are among the actors). Writes `diffusion.csv` (one row per variant, clarity and
//! enterprises per grid) and `bystander.csv` (one row per point and number present).

use std::path::Path;

use cogov::model::co_governance::metrics::{Metric, PRESENT_BIN_METRICS, Series};
use cogov::model::co_governance::rules::liability;
use cogov::model::{ModelParams, RunOutput};
use cogov::output::csv::CsvTable;
use cogov::schema::ParamValue;
use cogov::stats::Summary;

use crate::report::{Finding, Report, holds_if};
use crate::runs::{column, mean, metric, real, replicate, scenario, with};
use crate::tables::{na, num, show, text, write};

/// Replications per point.
const DIFFUSION_RUNS: u64 = 40;
/// Tolerance of the closed-form checks, in binomial standard errors.
const TOLERANCE_SE: f64 = 4.0;
/// Grid workers and community enterprises per grid: with the police post and the
/// engaged NGOs they set how many actors are present (no grid worker and no
/// enterprise leaves the post alone at some calls).
const LEVELS: [(f64, f64); 6] = [
    (0.0, 0.0),
    (1.0, 0.0),
    (1.0, 1.0),
    (1.0, 2.0),
    (1.0, 4.0),
    (1.0, 8.0),
];
/// The bins of the number present, as the metrics name them (the last is 5 or more).
const PRESENT: [&str; 5] = ["1", "2", "3", "4", "5+"];

/// Calls, decisions, acts and calls anyone acted on in one bin, pooled over runs.
/// Decisions are exact for bins 1 to 4 (calls x n); for 5 or more they are the calls
/// weighted by the run's act rate, so the pooled act rate there is call-weighted.
#[derive(Debug, Clone, Copy, Default)]
struct Bin {
    calls: f64,
    decisions: f64,
    acts: f64,
    anyone: f64,
}

impl Bin {
    fn act_rate(&self) -> f64 {
        self.acts / self.decisions
    }
    fn anyone_rate(&self) -> f64 {
        self.anyone / self.calls
    }
}

/// A count in the window from a metric annualised per 1,000 residents.
fn count(p: &ModelParams, per_1000_year: f64) -> f64 {
    let residents = p.co_governance().expect("co-governance").residents() as f64;
    let days = p.ticks() as f64;
    (per_1000_year * residents * days / (1000.0 * 365.0)).round()
}

/// One point: a variant at one clarity and one number of enterprises per grid.
struct CallPoint {
    variant: &'static str,
    clarity: f64,
    workers: f64,
    enterprises: f64,
    nobody: Summary,
    /// Nobody-acted calls over all calls of all runs (fixed variants, where every
    /// dispute gets exactly one call), and the calls.
    pooled: f64,
    calls: f64,
    motivation: f64,
    bins: [Bin; 5],
}

fn call_point(
    variant: &'static str,
    base: &ModelParams,
    clarity: f64,
    (workers, enterprises): (f64, f64),
    fixed: bool,
) -> CallPoint {
    let p = with(base, "liability.clarity", ParamValue::Real(clarity));
    let p = with(
        &p,
        "community.grid_workers_per_grid",
        ParamValue::Real(workers),
    );
    let p = with(
        &p,
        "community.enterprises_per_grid",
        ParamValue::Real(enterprises),
    );
    let runs: Vec<RunOutput> = replicate(&p, DIFFUSION_RUNS);
    let warmup = p.warmup_ticks() as usize;
    let mut bins = [Bin::default(); 5];
    let (mut nobody, mut calls) = (0.0, 0.0);
    for o in &runs {
        for (b, &(c, act, anyone)) in PRESENT_BIN_METRICS.iter().enumerate() {
            let n = count(&p, metric(o, c));
            if n == 0.0 {
                continue;
            }
            let decisions = if b < 4 { n * (b + 1) as f64 } else { n };
            bins[b].calls += n;
            bins[b].decisions += decisions;
            bins[b].acts += (metric(o, act) * decisions).round();
            bins[b].anyone += (metric(o, anyone) * n).round();
        }
        let c = count(&p, metric(o, Metric::PublicOrderPer1000))
            + column(o, Series::DisputesNew)[warmup..].iter().sum::<f64>();
        nobody += (metric(o, Metric::NobodyActedShare) * c).round();
        calls += c;
    }
    let shares: Vec<f64> = runs
        .iter()
        .map(|o| metric(o, Metric::NobodyActedShare))
        .collect();
    let motivations: Vec<f64> = runs
        .iter()
        .map(|o| mean(&column(o, Series::Motivation)[warmup..]))
        .collect();
    CallPoint {
        variant,
        clarity,
        workers,
        enterprises,
        nobody: Summary::of(&shares),
        pooled: if fixed { nobody / calls } else { f64::NAN },
        calls: if fixed { calls } else { f64::NAN },
        motivation: mean(&motivations),
        bins,
    }
}

/// Distance of a pooled share from its closed form `q` over `n` trials, in binomial
/// standard errors (0 when equal, infinite when `q` is certain and the share differs).
fn z(share: f64, q: f64, n: f64) -> f64 {
    let se = (q * (1.0 - q) / n).sqrt();
    let gap = share - q;
    if gap == 0.0 {
        0.0
    } else if se > 0.0 {
        gap / se
    } else {
        f64::INFINITY
    }
}

pub fn diffusion(out: &Path) -> std::io::Result<Report> {
    let mut report = Report::new("1. Diffusion of responsibility");
    let shipped = scenario("scenarios/tongxiang_baseline.toml");
    let fixed = scenario("scenarios/validation/diffusion_fixed_motivation.toml");
    let demotivated = scenario("scenarios/validation/diffusion_demotivated_named_actor.toml");
    // The fixed variant's actors all face c/(b m) = 0.2/0.7 and never lapse.
    let ratio = liability::effective_ratio(
        real(&fixed, "liability.cost_benefit_ratio"),
        real(&fixed, "rights.initial_motivation"),
    );
    let lone = real(&fixed, "liability.lone_act_probability");
    let mut points = Vec::new();
    for (variant, base, clarities, is_fixed) in [
        ("free_motivation", &shipped, &[0.0, 1.0][..], false),
        ("fixed_motivation", &fixed, &[0.0, 1.0][..], true),
        ("demotivated_named_actor", &demotivated, &[1.0][..], true),
    ] {
        for &clarity in clarities {
            for &level in &LEVELS {
                points.push(call_point(variant, base, clarity, level, is_fixed));
            }
        }
    }

    let mut table = CsvTable::new(&[
        "variant",
        "clarity",
        "grid_workers_per_grid",
        "enterprises_per_grid",
        "nobody_acted_share",
        "ci95_low",
        "ci95_high",
        "pooled_share",
        "calls",
        "mean_motivation",
    ]);
    let mut by_n = CsvTable::new(&[
        "variant",
        "clarity",
        "grid_workers_per_grid",
        "enterprises_per_grid",
        "present",
        "calls",
        "act_rate",
        "anyone_acted",
        "closed_form_act_rate",
        "closed_form_anyone",
        "z_act_rate",
        "z_anyone",
    ]);
    println!(
        "{:<24} {:>7} {:>3} {:>4} {:>8} {:>8}   act rate by number present 1, 2, 3, 4, 5+",
        "variant", "clarity", "gw", "ent.", "nobody", "pooled"
    );
    let mut worst: f64 = 0.0;
    let mut tested = 0;
    for pt in &points {
        table.push(&[
            text(pt.variant),
            num(pt.clarity),
            num(pt.workers),
            num(pt.enterprises),
            num(pt.nobody.mean),
            num(pt.nobody.ci95_low),
            num(pt.nobody.ci95_high),
            num(pt.pooled),
            if pt.calls.is_nan() {
                na()
            } else {
                pt.calls.into()
            },
            num(pt.motivation),
        ]);
        let mut rates = String::new();
        for (b, bin) in pt.bins.iter().enumerate() {
            rates.push_str(&format!(" {:>6}", show(bin.act_rate(), 3)));
            if bin.calls == 0.0 {
                continue;
            }
            // The closed form holds call by call where every actor has the same ratio
            // and the number present is known (bins 1 to 4, fixed motivation,
            // unclear liability).
            let closed = pt.variant == "fixed_motivation" && pt.clarity == 0.0 && b < 4;
            let n = (b + 1) as u32;
            let (qa, qn) = if closed {
                (
                    liability::act_probability(ratio, n, lone),
                    1.0 - lone_nobody(ratio, n, lone),
                )
            } else {
                (f64::NAN, f64::NAN)
            };
            let (za, zn) = if closed {
                (
                    z(bin.act_rate(), qa, bin.decisions),
                    z(bin.anyone_rate(), qn, bin.calls),
                )
            } else {
                (f64::NAN, f64::NAN)
            };
            if closed && bin.calls >= 100.0 {
                worst = worst.max(za.abs()).max(zn.abs());
                tested += 1;
            }
            by_n.push(&[
                text(pt.variant),
                num(pt.clarity),
                num(pt.workers),
                num(pt.enterprises),
                text(PRESENT[b]),
                bin.calls.into(),
                num(bin.act_rate()),
                num(bin.anyone_rate()),
                num(qa),
                num(qn),
                num(za),
                num(zn),
            ]);
        }
        println!(
            "{:<24} {:>7} {:>3} {:>4} {:>8} {:>8}  {rates}",
            pt.variant,
            pt.clarity,
            pt.workers,
            pt.enterprises,
            show(pt.nobody.mean, 4),
            show(pt.pooled, 4),
        );
    }
    write(&table, out, "diffusion.csv")?;
    write(&by_n, out, "bystander.csv")?;

    report.check(
        "With motivation fixed and liability unclear, the act rate and the anyone-acted rate by number present equal the closed form (within 4 binomial SE)",
        holds_if(worst <= TOLERANCE_SE),
        Finding::Holds,
        format!("largest |z| = {worst:.2} over {tested} bins of at least 100 calls"),
    );
    for variant in ["free_motivation", "fixed_motivation"] {
        // Pool every enterprise level: the individual act rate falls from 2 present
        // to 5 or more.
        let mut pooled = [Bin::default(); 5];
        for pt in points
            .iter()
            .filter(|p| p.variant == variant && p.clarity == 0.0)
        {
            for (total, b) in pooled.iter_mut().zip(pt.bins) {
                total.calls += b.calls;
                total.decisions += b.decisions;
                total.acts += b.acts;
                total.anyone += b.anyone;
            }
        }
        let rates: Vec<f64> = pooled.iter().map(Bin::act_rate).collect();
        let falls = rates
            .windows(2)
            .filter(|w| !w[0].is_nan() && !w[1].is_nan())
            .all(|w| w[1] < w[0]);
        report.check(
            format!(
                "Unclear liability ({variant}): each actor acts less the more actors are present"
            ),
            holds_if(falls),
            Finding::Holds,
            format!(
                "pooled act rate at 1, 2, 3, 4, 5+ present: {}",
                rates
                    .iter()
                    .map(|r| show(*r, 3))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    for (variant, expected) in [
        ("free_motivation", f64::NAN),
        ("fixed_motivation", 0.0),
        ("demotivated_named_actor", 0.5),
    ] {
        let at: Vec<&CallPoint> = points
            .iter()
            .filter(|p| p.variant == variant && p.clarity == 1.0)
            .collect();
        let shares: Vec<String> = at.iter().map(|p| show(p.nobody.mean, 4)).collect();
        let (holds, detail) = if expected.is_nan() {
            // Motivation moves with outcomes, so only the spread is read.
            let lo = at
                .iter()
                .map(|p| p.nobody.mean)
                .fold(f64::INFINITY, f64::min);
            let hi = at.iter().map(|p| p.nobody.mean).fold(0.0, f64::max);
            (hi - lo < 0.02, format!("spread {}", show(hi - lo, 4)))
        } else {
            let worst = at
                .iter()
                .map(|p| z(p.pooled, expected, p.calls).abs())
                .fold(0.0, f64::max);
            (
                worst <= TOLERANCE_SE,
                format!("largest |z| against {expected}: {worst:.2}"),
            )
        };
        report.check(
            format!("Clear liability ({variant}): nobody_acted_share does not change with the actors present"),
            holds_if(holds),
            Finding::Holds,
            format!("share at (grid workers, enterprises) per grid {LEVELS:?}: {}; {detail}", shares.join(", ")),
        );
    }
    Ok(report)
}

/// Probability that none of `n` actors with the same ratio acts when each acts with
/// `liability::act_probability` (independent decisions).
fn lone_nobody(ratio: f64, n: u32, lone: f64) -> f64 {
    (1.0 - liability::act_probability(ratio, n, lone)).powi(n as i32)
}
