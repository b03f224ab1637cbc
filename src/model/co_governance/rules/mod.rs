//! The model's rules, one file per mechanism of BRIEF.md, each a set of pure functions
//! with its source cited and its known answers tested. The world (`super::world`)
//! decides when each rule runs and on whom; the rules decide what happens.

pub mod collaboration;
pub mod contagion;
pub mod liability;
pub mod offending;
pub mod operations;
pub mod public_goods;
pub mod reporting;
pub mod rights;
pub mod trust;
