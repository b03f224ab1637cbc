//! cogov: an agent-based simulator of collaborative governance in urban community
//! policing. See `ARCHITECTURE.md` for the map.

pub mod analysis;
pub mod budget;
pub mod chart;
pub mod driver;
pub mod experiment;
pub mod input;
pub mod model;
pub mod output;
pub mod provenance;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod schema;
pub mod sensitivity;
pub mod stats;
pub mod sweep;
pub mod workshop;
