//! Result 1, diffusion of responsibility (Darley and Latane 1968; Diekmann 1985):
//! the share of calls nobody acts on, against the number of co-responsible actors
//! and the clarity of liability, and against the volunteer's-dilemma closed form
//! of `rules/liability.rs`. Writes `diffusion.csv` and `diffusion_steps.csv`.

use std::fmt::Write as _;
use std::path::Path;

use cogov::model::co_governance::metrics::{Metric, Series};
use cogov::model::co_governance::rules::liability;
use cogov::model::{ModelParams, RunOutput};
use cogov::output::csv::CsvTable;
use cogov::schema::ParamValue;
use cogov::stats::Summary;

use crate::report::{Finding, Report, above_zero, holds_if};
use crate::runs::{column, int, mean, metric, paired, real, replicate, scenario, with};
use crate::tables::{na, num, show, text, write};

/// Replications per point of the diffusion grids.
const DIFFUSION_RUNS: u64 = 40;
/// Tolerance of the closed-form check, in binomial standard errors.
const TOLERANCE_SE: f64 = 4.0;

/// What one run of a diffusion point contributes.
struct CallRun {
    share: f64,
    /// Calls on the community in the window; exact only when every dispute gets one
    /// call (the fixed-motivation scenarios), a lower bound otherwise.
    calls: f64,
    /// Mean over window days of the grid workers' and NGOs' mean motivation.
    motivation: f64,
}

fn call_run(p: &ModelParams, o: &RunOutput) -> CallRun {
    let warmup = p.warmup_ticks() as usize;
    let days = p.ticks() as f64;
    let residents = p
        .co_governance()
        .expect("a co-governance scenario")
        .residents();
    // public_order_incidents_per_1000 = count x 1000 x 365 / (residents x days).
    let public_order = (metric(o, Metric::PublicOrderPer1000) * residents as f64 * days
        / (1000.0 * 365.0))
        .round();
    let new_disputes: f64 = column(o, Series::DisputesNew)[warmup..].iter().sum();
    CallRun {
        share: metric(o, Metric::NobodyActedShare),
        calls: public_order + new_disputes,
        motivation: mean(&column(o, Series::Motivation)[warmup..]),
    }
}

/// Probability that nobody acts on a call, from `liability.rs`'s rules, at motivation
/// `m`: a named actor with probability `clarity`, else the volunteer's dilemma.
fn closed_form(p: &ModelParams, m: f64) -> f64 {
    let actors = int(p, "liability.co_responsible_actors");
    1.0 - liability::probability_someone_acts(
        real(p, "liability.clarity"),
        u32::try_from(actors).expect("a count of actors"),
        real(p, "liability.cost_benefit_ratio"),
        m,
    )
}

/// One point of a diffusion grid, summarised.
struct CallPoint {
    variant: &'static str,
    clarity: f64,
    n: u32,
    runs: Vec<CallRun>,
    /// Mean of the runs' shares, with its t interval.
    share: Summary,
    /// Nobody-acted calls over all calls of all runs (fixed variants).
    pooled: f64,
    calls: f64,
    motivation: f64,
    closed: f64,
    /// Binomial standard error of the pooled share under the closed form.
    se: f64,
}

fn call_point(
    variant: &'static str,
    base: &ModelParams,
    clarity: f64,
    n: u32,
    fixed: bool,
) -> CallPoint {
    let p = with(base, "liability.clarity", ParamValue::Real(clarity));
    let p = with(
        &p,
        "liability.co_responsible_actors",
        ParamValue::Int(i64::from(n)),
    );
    let runs: Vec<CallRun> = replicate(&p, DIFFUSION_RUNS)
        .iter()
        .map(|o| call_run(&p, o))
        .collect();
    let share = Summary::of(&runs.iter().map(|r| r.share).collect::<Vec<_>>());
    let calls: f64 = runs.iter().map(|r| r.calls).sum();
    let nobody: f64 = runs.iter().map(|r| (r.share * r.calls).round()).sum();
    let motivation = mean(&runs.iter().map(|r| r.motivation).collect::<Vec<_>>());
    let m = if fixed {
        real(&p, "rights.initial_motivation")
    } else {
        motivation
    };
    let closed = closed_form(&p, m);
    CallPoint {
        variant,
        clarity,
        n,
        share,
        pooled: if fixed { nobody / calls } else { f64::NAN },
        calls: if fixed { calls } else { f64::NAN },
        motivation,
        closed,
        se: if fixed {
            (closed * (1.0 - closed) / calls).sqrt()
        } else {
            f64::NAN
        },
        runs,
    }
}

impl CallPoint {
    /// Distance of the pooled share from the closed form, in standard errors (0 when
    /// both are exactly equal, infinite when the closed form is certain and the share
    /// differs).
    fn z(&self) -> f64 {
        let gap = self.pooled - self.closed;
        if gap == 0.0 {
            0.0
        } else if self.se > 0.0 {
            gap / self.se
        } else {
            f64::INFINITY
        }
    }
}

pub fn diffusion(out: &Path) -> std::io::Result<Report> {
    let mut report = Report::new("1. Diffusion of responsibility");
    let shipped = scenario("scenarios/tongxiang_baseline.toml");
    let fixed = scenario("scenarios/validation/diffusion_fixed_motivation.toml");
    let demotivated = scenario("scenarios/validation/diffusion_demotivated_named_actor.toml");
    let ns: Vec<u32> = (1..=8).collect();
    let mut points = Vec::new();
    for (variant, base, clarities, is_fixed) in [
        ("free_motivation", &shipped, &[0.0, 1.0][..], false),
        ("fixed_motivation", &fixed, &[0.0, 1.0][..], true),
        ("demotivated_named_actor", &demotivated, &[1.0][..], true),
    ] {
        for &clarity in clarities {
            for &n in &ns {
                points.push(call_point(variant, base, clarity, n, is_fixed));
            }
        }
    }

    let mut table = CsvTable::new(&[
        "variant",
        "clarity",
        "co_responsible_actors",
        "runs",
        "nobody_acted_share",
        "ci95_low",
        "ci95_high",
        "pooled_share",
        "calls",
        "mean_motivation",
        "closed_form",
        "closed_form_se",
        "z",
    ]);
    println!(
        "{:<24} {:>7} {:>2} {:>8} {:>17} {:>8} {:>8} {:>8} {:>6}",
        "variant", "clarity", "n", "share", "95% CI", "pooled", "closed", "motiv.", "z"
    );
    for pt in &points {
        let fixed = !pt.pooled.is_nan();
        table.push(&[
            text(pt.variant),
            num(pt.clarity),
            pt.n.into(),
            pt.runs.len().into(),
            num(pt.share.mean),
            num(pt.share.ci95_low),
            num(pt.share.ci95_high),
            num(pt.pooled),
            if fixed { pt.calls.into() } else { na() },
            num(pt.motivation),
            num(pt.closed),
            num(pt.se),
            if fixed { num(pt.z()) } else { na() },
        ]);
        println!(
            "{:<24} {:>7} {:>2} {:>8} {:>17} {:>8} {:>8} {:>8} {:>6}",
            pt.variant,
            pt.clarity,
            pt.n,
            show(pt.share.mean, 4),
            format!(
                "[{}, {}]",
                show(pt.share.ci95_low, 4),
                show(pt.share.ci95_high, 4)
            ),
            show(pt.pooled, 4),
            show(pt.closed, 4),
            show(pt.motivation, 3),
            if fixed { show(pt.z(), 2) } else { "-".into() },
        );
    }
    write(&table, out, "diffusion.csv")?;

    // Steps n-1 -> n, paired over replications (the same seed at every n).
    let mut steps = CsvTable::new(&[
        "variant",
        "clarity",
        "from_n",
        "to_n",
        "difference",
        "ci95_low",
        "ci95_high",
    ]);
    let find = |variant: &str, clarity: f64, n: u32| {
        points
            .iter()
            .find(|p| p.variant == variant && p.clarity == clarity && p.n == n)
            .expect("point exists")
    };
    let step = |variant: &str, clarity: f64, from: u32, to: u32| {
        paired(
            &find(variant, clarity, to).runs,
            &find(variant, clarity, from).runs,
            |a, b| a.share - b.share,
        )
    };
    println!("\nPaired steps (share at n minus share at n - 1, same seeds):");
    for variant in ["free_motivation", "fixed_motivation"] {
        for clarity in [0.0, 1.0] {
            let mut line = format!("  {variant:<17} clarity {clarity}:");
            for to in 2..=8 {
                let s = step(variant, clarity, to - 1, to);
                steps.push(&[
                    text(variant),
                    num(clarity),
                    (to - 1).into(),
                    to.into(),
                    num(s.mean),
                    num(s.ci95_low),
                    num(s.ci95_high),
                ]);
                write!(line, " {}", show(s.mean, 3)).expect("write to a String");
            }
            println!("{line}");
        }
    }
    write(&steps, out, "diffusion_steps.csv")?;

    // The checks.
    let fixed_points: Vec<&CallPoint> = points.iter().filter(|p| !p.pooled.is_nan()).collect();
    let worst = fixed_points
        .iter()
        .map(|p| p.z().abs())
        .fold(0.0_f64, f64::max);
    let min_calls = fixed_points
        .iter()
        .map(|p| p.calls)
        .fold(f64::INFINITY, f64::min);
    report.check(
        "With motivation fixed, nobody_acted_share equals the closed form at every n and clarity (within 4 binomial SE)",
        holds_if(worst <= TOLERANCE_SE),
        Finding::Holds,
        format!(
            "largest |z| = {worst:.2} over {} points, each pooling at least {min_calls} calls",
            fixed_points.len()
        ),
    );
    for variant in ["free_motivation", "fixed_motivation"] {
        let all_steps: Vec<Summary> = (2..=8).map(|to| step(variant, 0.0, to - 1, to)).collect();
        // No step may fall (no interval wholly below 0), and n = 8 must be above n = 2.
        let falls = all_steps.iter().filter(|s| s.ci95_high < 0.0).count();
        let significant = all_steps.iter().filter(|s| s.ci95_low > 0.0).count();
        let overall = step(variant, 0.0, 2, 8);
        let found = if falls == 0 {
            above_zero(&overall)
        } else {
            Finding::Fails
        };
        report.check(
            format!(
                "Unclear liability ({variant}): the share rises with n (n = 8 above n = 2, no step n - 1 -> n down)"
            ),
            found,
            Finding::Holds,
            format!(
                "share {} at n = 1, {} at n = 2, {} at n = 8; n = 8 minus n = 2: {} [{}, {}]; {significant} of 7 steps up with 95% CI above 0, {falls} below 0",
                show(find(variant, 0.0, 1).share.mean, 4),
                show(find(variant, 0.0, 2).share.mean, 4),
                show(find(variant, 0.0, 8).share.mean, 4),
                show(overall.mean, 4),
                show(overall.ci95_low, 4),
                show(overall.ci95_high, 4),
            ),
        );
    }
    for variant in [
        "free_motivation",
        "fixed_motivation",
        "demotivated_named_actor",
    ] {
        let shares: Vec<f64> = ns
            .iter()
            .map(|&n| find(variant, 1.0, n).share.mean)
            .collect();
        let spread = shares.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - shares.iter().copied().fold(f64::INFINITY, f64::min);
        // The runs do not consult n at clarity 1, so they are identical: flat exactly.
        let identical = ns.iter().all(|&n| {
            find(variant, 1.0, n)
                .runs
                .iter()
                .zip(&find(variant, 1.0, 1).runs)
                .all(|(a, b)| a.share.to_bits() == b.share.to_bits())
        });
        report.check(
            format!("Clear liability ({variant}): the share does not change with n"),
            holds_if(identical),
            Finding::Holds,
            format!(
                "share {} at every n (spread {spread:e}); runs bit-identical across n: {identical}",
                show(shares[0], 4)
            ),
        );
    }
    Ok(report)
}
