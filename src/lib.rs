//! cogov: an agent-based simulator of collaborative governance in urban community
//! policing. See `ARCHITECTURE.md` for the map.

pub mod metrics;
pub mod output;
pub mod params;
pub mod scenario;
pub mod stats;
