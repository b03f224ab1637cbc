//! Checks and verdicts: what the model showed for each published claim, against what
//! `VALIDATION.md` records, and the verdict of a result. No runs, no files.

use cogov::stats::Summary;

/// Whether the model shows a published claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The model shows it (an interval on the claimed side, or every seed agrees).
    Holds,
    /// The model shows the opposite, or not at all.
    Fails,
    /// The interval straddles the claim: no decision at this number of runs.
    Undecided,
}

/// One published claim under one setting, what the model showed, and what
/// `VALIDATION.md` records.
struct Check {
    claim: String,
    found: Finding,
    recorded: Finding,
    evidence: String,
}

/// One result: its checks and the tables printed for it.
pub struct Report {
    pub title: &'static str,
    checks: Vec<Check>,
}

impl Report {
    /// A report for the result `title`, whose heading is printed now.
    pub fn new(title: &'static str) -> Report {
        println!("\n== {title}\n");
        Report {
            title,
            checks: Vec::new(),
        }
    }

    pub fn check(
        &mut self,
        claim: impl Into<String>,
        found: Finding,
        recorded: Finding,
        evidence: String,
    ) {
        self.checks.push(Check {
            claim: claim.into(),
            found,
            recorded,
            evidence,
        });
    }

    /// The number of checks that came out otherwise than recorded.
    pub fn changed(&self) -> usize {
        self.checks.iter().filter(|c| c.found != c.recorded).count()
    }

    /// Reproduced when every claim holds, not reproduced when none does, partly
    /// otherwise.
    pub fn verdict(&self) -> String {
        let holds = self
            .checks
            .iter()
            .filter(|c| c.found == Finding::Holds)
            .count();
        let word = if holds == self.checks.len() {
            "reproduced"
        } else if holds == 0 {
            "not reproduced"
        } else {
            "partly reproduced"
        };
        format!("{word} ({holds} of {} claims hold)", self.checks.len())
    }

    pub fn print(&self) {
        println!("\nChecks:");
        for c in &self.checks {
            let mark = if c.found == c.recorded {
                ""
            } else {
                "  CHANGED"
            };
            println!(
                "  [{:?}, recorded {:?}]{mark} {}\n      {}",
                c.found, c.recorded, c.claim, c.evidence
            );
        }
        println!("Verdict: {}", self.verdict());
    }
}

/// The finding of "the true value is above zero" from a 95% interval.
pub fn above_zero(s: &Summary) -> Finding {
    above(s, 0.0)
}

/// The finding of "the true value is above `x`" from a 95% interval.
pub fn above(s: &Summary, x: f64) -> Finding {
    if s.ci95_low > x {
        Finding::Holds
    } else if s.ci95_high < x {
        Finding::Fails
    } else {
        Finding::Undecided
    }
}

/// The finding of "the true value is below `x`" from a 95% interval.
pub fn below(s: &Summary, x: f64) -> Finding {
    match above(s, x) {
        Finding::Holds => Finding::Fails,
        Finding::Fails => Finding::Holds,
        undecided => undecided,
    }
}

pub fn holds_if(condition: bool) -> Finding {
    if condition {
        Finding::Holds
    } else {
        Finding::Fails
    }
}
