//! The model's rules, one file per mechanism of the model (docs/model.md), each a set
//! of pure functions with its source cited and its known answers tested. The world
//! (`super::world`) decides when each rule runs and on whom; the rules decide what
//! happens. Every formula of the day is here: `space` (lattice, units), `offending`,
//! `guardianship`, `trust`, `reporting`, `liability`, `rights`, `public_goods`,
//! `collaboration`, `operations`, `dispatch` (officers and auxiliaries as units),
//! `disputes`, `contagion` (with perceived safety) and
//! `observation` (what agents remember).

pub mod collaboration;
pub mod contagion;
pub mod dispatch;
pub mod disputes;
pub mod guardianship;
pub mod liability;
pub mod observation;
pub mod offending;
pub mod operations;
pub mod public_goods;
pub mod reporting;
pub mod rights;
pub mod space;
pub mod trust;
