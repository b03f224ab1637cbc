//! A day-by-day trace of one replication's map, for an animated district map: each
//! grid's per-day values ([`Model::trace_metrics`](super::Model::trace_metrics)) and
//! who went where on the recorded days.
//!
//! These are plain data, filled by a model that records a trace
//! ([`ModelParams::simulate_traced`](super::ModelParams::simulate_traced)); what a
//! value or a move means is the model's (for the co-governance model,
//! `co_governance::simulate_traced`). Recording a trace never changes a run: a
//! traced run draws the same random numbers and returns the same
//! [`RunOutput`](super::RunOutput) as an untraced one.

/// One replication's district, day by day (the measured window), for an animated map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trace {
    pub width: usize,
    pub height: usize,
    /// The days recorded, numbered as timeseries.csv's `tick` column (the same numbering as
    /// `RunOutput::series` rows, 1-based, warm-up included), every `every`-th measured day.
    pub days: Vec<u64>,
    /// `days.len() × grids × Model::trace_metrics().len()` values: day-major, then grid
    /// (row-major, `width` grids a row, as RunOutput::cells), then metric.
    pub values: Vec<f32>,
    /// Who went where on the recorded days, in the day's order.
    pub moves: Vec<TraceMove>,
}

/// One move on a recorded day: a unit sent to a call, or a community actor at work.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TraceMove {
    /// Index into `days`.
    pub day: u32,
    /// Grid the mover came from (an officer's or auxiliary's post; for a community actor, the grid it acted in) and the grid of the incident or call.
    pub from: u32,
    pub to: u32,
    pub who: Mover,
}

/// Who moved: a police unit or a community actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mover {
    /// A sworn officer sent to a call.
    Officer,
    /// An auxiliary officer sent to a call.
    Auxiliary,
    /// A grid worker who did the work of a community call.
    GridWorker,
    /// An NGO that did the work of a community call.
    Ngo,
    /// An enterprise's security staff who did the work of a community call.
    Enterprise,
    /// A grid's police post that did the work of a community call.
    PolicePost,
    /// A resident on volunteer patrol who did the work of a community call.
    Volunteer,
    /// A resident witness who did the work of a community call.
    Witness,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movers_serialize_in_snake_case() {
        let m = TraceMove {
            day: 2,
            from: 0,
            to: 5,
            who: Mover::PolicePost,
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"day":2,"from":0,"to":5,"who":"police_post"}"#
        );
        assert_eq!(
            serde_json::to_string(&Mover::GridWorker).unwrap(),
            r#""grid_worker""#
        );
    }
}
