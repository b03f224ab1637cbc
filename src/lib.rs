//! cogov: an agent-based simulator of collaborative governance in urban community
//! policing. See `ARCHITECTURE.md` for the map.

pub mod experiment;
pub mod metrics;
pub mod model;
pub mod output;
pub mod params;
pub mod runner;
pub mod scenario;
pub mod stats;
