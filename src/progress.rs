//! The progress bar of the experiments (`run`, `sweep`, `compare`): runs done out of
//! the total, rate and time left, drawn on stderr.
//!
//! The runner knows nothing of this file: it reports progress through a plain
//! callback, which [`Progress::update`] serves. The bar is only drawn when asked for
//! (stderr is a terminal and `--quiet` is absent), so piped and logged output stays
//! clean.

use cogov::output::table;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Progress of a run, safe to update from worker threads.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Highest count seen: worker threads may report out of order.
    done: AtomicU64,
}

impl Progress {
    /// A bar over `total` replications, drawn only when `visible`.
    pub fn new(total: u64, visible: bool) -> Progress {
        let bar = visible.then(|| {
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} runs  {rate}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
                let _ = write!(w, "{}/s", table::round(state.per_sec()));
            })
            .progress_chars("=> ");
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(style)
        });
        Progress {
            bar,
            done: AtomicU64::new(0),
        }
    }

    /// Records that `done` replications have finished.
    pub fn update(&self, done: u64) {
        let previous = self.done.fetch_max(done, Ordering::Relaxed);
        if done > previous
            && let Some(bar) = &self.bar
        {
            bar.set_position(done);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_move_forward() {
        let progress = Progress::new(10, false);
        progress.update(3);
        progress.update(2);
        assert_eq!(progress.done.load(Ordering::Relaxed), 3);
        progress.finish();
    }
}
