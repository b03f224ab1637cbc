//! Workshop mode (`cogov workshop`): a local web page where a room moves the study's
//! levers and watches the baseline and the current settings compared, pair by pair.
//!
//! - `compare.rs`: the computation, with no I/O: the paired comparison streamed one
//!   replication at a time ([`stream`]), the map of one replication, the results'
//!   CSV files.
//! - `api.rs`: the JSON API without the HTTP: the answers of `GET /api/params` and
//!   `GET /api/setup`, and a `POST /api/run` body checked into a [`Plan`] exactly as
//!   `cogov check` checks a file, within workshop mode's [`Limits`].
//! - `charts.rs`: the series over time as SVG, by the reports' chart code.
//! - `server.rs`: the HTTP server (tiny_http), its bounds and cancellation.
//! - `page/`: the page (HTML, CSS, JavaScript), compiled into the binary.
//!
//! docs/workshop.md documents the page and the API.

mod api;
mod charts;
mod compare;
mod server;

pub use crate::schema::metrics::Verdict;
pub use api::{
    ApiError, Changed, DEFAULT_REPLICATIONS, Limits, Plan, Preset, SetupError, Workshop,
};
pub use charts::series_charts;
pub use compare::{
    Card, Event, MAP_EVERY, MAP_MOVES_PER_DAY, Request, Results, SeriesPair, Snapshot, stream,
};
pub use server::{MAX_BODY, Options, Server, UPDATE_EVERY};
