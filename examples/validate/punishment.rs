//! Result 7, pool and peer punishment with voluntary participation (Sigmund, De Silva,
//! Traulsen and Hauert 2010, Nature 466:861-863): a well-mixed population of 100
//! playing the optional public-goods game by social learning
//! (`cogov::model::co_governance::sigmund`, over the district's own rule functions
//! `rules::public_goods::participant_payoff` and `fermi`), in six settings: peer
//! punishment alone, pool punishment alone and both in competition, each without and
//! with second-order punishment. Writes `punishment.csv`.
//!
//! Each setting runs `SEEDS` populations of `UPDATES` individual updates from all free
//! riders; shares are time averages after `BURN_IN` updates. Seed s runs on the same
//! seed in every setting, so differences between settings are paired.

use std::path::Path;

use cogov::model::co_governance::rules::public_goods::Strategy;
use cogov::model::co_governance::sigmund::{Setting, Shares, run};
use cogov::output::csv::CsvTable;
use cogov::stats::Summary;

use crate::report::{Finding, Report, above, above_zero, below};
use crate::tables::{num, show, show_ci, text, write};

/// Populations per setting.
const SEEDS: u64 = 20;
/// Individual updates per population (100,000 per individual).
const UPDATES: u64 = 10_000_000;
/// Updates before the time average starts.
const BURN_IN: u64 = 1_000_000;

pub fn punishment(out: &Path) -> std::io::Result<Report> {
    let mut report = Report::new("7. Pool and peer punishment (Sigmund et al. 2010)");
    let base = Setting::sigmund_2010();
    let settings = [
        (
            "peer only",
            false,
            Setting {
                pool: false,
                ..base
            },
        ),
        (
            "peer only",
            true,
            Setting {
                pool: false,
                second_order: true,
                ..base
            },
        ),
        (
            "pool only",
            false,
            Setting {
                peer: false,
                ..base
            },
        ),
        (
            "pool only",
            true,
            Setting {
                peer: false,
                second_order: true,
                ..base
            },
        ),
        ("peer and pool", false, base),
        (
            "peer and pool",
            true,
            Setting {
                second_order: true,
                ..base
            },
        ),
    ];
    let mut table = CsvTable::new(&[
        "punishment",
        "second_order",
        "seeds",
        "contributing",
        "ci95_low",
        "ci95_high",
        "cooperators",
        "free_riders",
        "loners",
        "peer_punishers",
        "pool_punishers",
    ]);
    println!(
        "{:<14} {:>6} {:>13} {:>18} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "punishment", "2nd", "contributing", "95% CI", "X", "Y", "Z", "V", "W"
    );
    let mut runs: Vec<Vec<Shares>> = Vec::new();
    for (name, second, s) in &settings {
        let shares: Vec<Shares> = (0..SEEDS)
            .map(|seed| run(s, UPDATES, BURN_IN, seed))
            .collect();
        let c = Summary::of(&shares.iter().map(Shares::contributing).collect::<Vec<_>>());
        let mean = |k: Strategy| shares.iter().map(|x| x.of(k)).sum::<f64>() / shares.len() as f64;
        table.push(&[
            text(*name),
            text(if *second { "yes" } else { "no" }),
            SEEDS.into(),
            num(c.mean),
            num(c.ci95_low),
            num(c.ci95_high),
            num(mean(Strategy::Contribute)),
            num(mean(Strategy::FreeRide)),
            num(mean(Strategy::StayOut)),
            num(mean(Strategy::PeerPunish)),
            num(mean(Strategy::PoolPunish)),
        ]);
        println!(
            "{:<14} {:>6} {:>13} {:>18} {:>6} {:>6} {:>6} {:>6} {:>6}",
            name,
            if *second { "yes" } else { "no" },
            show(c.mean, 3),
            format!("[{}, {}]", show(c.ci95_low, 3), show(c.ci95_high, 3)),
            show(mean(Strategy::Contribute), 3),
            show(mean(Strategy::FreeRide), 3),
            show(mean(Strategy::StayOut), 3),
            show(mean(Strategy::PeerPunish), 3),
            show(mean(Strategy::PoolPunish), 3),
        );
        runs.push(shares);
    }
    write(&table, out, "punishment.csv")?;

    let paired = |a: usize, b: usize, f: &dyn Fn(&Shares) -> f64| {
        Summary::of(
            &runs[a]
                .iter()
                .zip(&runs[b])
                .map(|(x, y)| f(x) - f(y))
                .collect::<Vec<_>>(),
        )
    };
    let evidence = |d: &Summary| format!("paired difference {} over {} seeds", show_ci(d, 3), d.n);
    // Pool punishment is stable only with second-order punishment (the paper's Fig. 2).
    let d = paired(3, 2, &Shares::contributing);
    report.check(
        "pool punishment alone: second-order punishment raises the share contributing",
        above_zero(&d),
        Finding::Holds,
        evidence(&d),
    );
    // In competition, peer punishers prevail without second-order punishment, pool
    // punishers with it (the paper's Figs. 1 and 3).
    let peer_minus_pool = |x: &Shares| x.of(Strategy::PeerPunish) - x.of(Strategy::PoolPunish);
    let d = Summary::of(&runs[4].iter().map(peer_minus_pool).collect::<Vec<_>>());
    report.check(
        "peer and pool, no second-order punishment: peer punishers outnumber pool punishers",
        above_zero(&d),
        Finding::Holds,
        format!("V - W {}", show_ci(&d, 3)),
    );
    let d = Summary::of(
        &runs[5]
            .iter()
            .map(|x| -peer_minus_pool(x))
            .collect::<Vec<_>>(),
    );
    report.check(
        "peer and pool, second-order punishment: pool punishers outnumber peer punishers",
        above_zero(&d),
        Finding::Holds,
        format!("W - V {}", show_ci(&d, 3)),
    );
    // The reading: pool punishment with second-order punishment sustains
    // cooperation where peer punishment alone does not. Peer punishment alone (with
    // loners) sustains it too here, as in Hauert et al. 2007 (Science 316:1905).
    let c = Summary::of(&runs[3].iter().map(Shares::contributing).collect::<Vec<_>>());
    report.check(
        "pool punishment with second-order punishment sustains cooperation (most contribute)",
        above(&c, 0.5),
        Finding::Holds,
        format!("contributing {}", show_ci(&c, 3)),
    );
    let p = Summary::of(&runs[0].iter().map(Shares::contributing).collect::<Vec<_>>());
    report.check(
        "peer punishment alone does not sustain cooperation (at most half contribute)",
        below(&p, 0.5),
        Finding::Fails,
        format!("contributing {}", show_ci(&p, 3)),
    );
    Ok(report)
}
