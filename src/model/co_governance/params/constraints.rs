//! The rules that tie co-governance parameters together (`Params::validate`), and
//! the district's sizes derived from its parameters. A scenario or sweep point that
//! breaks a rule is refused before anything runs, naming the parameters involved.

use super::Params;
use crate::schema::ConstraintError;

/// Fewest grids a district may have along each side.
///
/// Smaller districts are refused, not modelled: their few officers leave shifts with
/// no unit nearby, calls wait hours for the next one, and per-resident results stop
/// matching larger districts (at default settings the 90th percentile response is 730
/// minutes on 2 x 2 grids and 1,390 on 1 x 1, against about 17 on 3 x 3, 6 x 6 and
/// 12 x 12, whose incident rates agree within 3%; docs/model.md, Stability).
pub const MIN_SIDE: u32 = 3;

/// Largest number of agents one run may hold: residents, enterprises, NGOs, grid
/// workers and police units together (about 3 GB of agent state; each agent's
/// number fits the world's 32-bit indices many times over).
pub const MAX_AGENTS: u64 = 50_000_000;

/// How many agents of each kind a district holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentCounts {
    pub residents: u64,
    pub enterprises: u64,
    pub ngos: u64,
    pub grid_workers: u64,
    /// Officers and auxiliaries.
    pub units: u64,
}

impl AgentCounts {
    pub fn total(&self) -> u64 {
        self.residents
            .saturating_add(self.enterprises)
            .saturating_add(self.ngos)
            .saturating_add(self.grid_workers)
            .saturating_add(self.units)
    }
}
/// Bytes of state a resident occupies in a run (the per-resident vectors of
/// `model::co_governance::world::World`).
/// Issue 11 added 20: each resident's trust prior (`f64`) and susceptibility, cost
/// multiplier and warm glow (`f32` each).
pub const BYTES_PER_RESIDENT: u64 = 60;

impl Params {
    /// Residents in one grid.
    pub fn residents_per_grid(&self) -> u64 {
        let per =
            f64::from(self.district.households_per_grid) * self.district.persons_per_household;
        per.round().max(1.0) as u64
    }

    /// Grids in the district.
    pub fn grid_count(&self) -> u64 {
        u64::from(self.district.width) * u64::from(self.district.height)
    }

    /// Residents in the district.
    pub fn residents(&self) -> u64 {
        self.grid_count().saturating_mul(self.residents_per_grid())
    }

    /// The district's agents of each kind, as the world makes them.
    pub fn agent_counts(&self) -> AgentCounts {
        let grids = self.grid_count() as f64;
        let per_grid = |x: f64| (x * grids).round() as u64;
        let c = &self.community;
        let residents = self.residents();
        let (officers, auxiliaries) = crate::model::co_governance::rules::dispatch::unit_counts(
            self.police.officers_per_10k,
            self.police.auxiliaries_per_officer,
            residents as f64,
        );
        AgentCounts {
            residents,
            enterprises: per_grid(c.enterprises_per_grid),
            ngos: per_grid(c.ngos_per_grid),
            grid_workers: per_grid(c.grid_workers_per_grid),
            units: (officers + auxiliaries) as u64,
        }
    }

    /// Checks the rules that tie parameters together; returns every broken rule.
    pub fn validate(&self) -> Vec<ConstraintError> {
        let mut errors = Vec::new();
        let r = &self.residents;
        if r.property_share + r.violent_share > 1.0 + 1e-12 {
            errors.push(ConstraintError {
                paths: vec!["residents.property_share", "residents.violent_share"],
                message: format!(
                    "property_share + violent_share must be at most 1 (the rest are public-order offences), found {} + {} = {}",
                    r.property_share,
                    r.violent_share,
                    r.property_share + r.violent_share
                ),
            });
        }
        if r.initial_participation + r.initial_free_riders > 1.0 + 1e-12 {
            errors.push(ConstraintError {
                paths: vec!["residents.initial_participation", "residents.initial_free_riders"],
                message: format!(
                    "initial_participation + initial_free_riders must be at most 1 (the rest stay out), found {}",
                    r.initial_participation + r.initial_free_riders
                ),
            });
        }
        let p = &self.police;
        if p.community_role_share + p.admin_burden_share > 0.95 + 1e-12 {
            errors.push(ConstraintError {
                paths: vec!["police.community_role_share", "police.admin_burden_share"],
                message: format!(
                    "community_role_share + admin_burden_share must leave at least 5% of officer time for response, found {}",
                    p.community_role_share + p.admin_burden_share
                ),
            });
        }
        // Trust through contacts (issue 11, item 1): a day's pulls on trust in police
        // toward trust in community organisations and toward the prior are shares of
        // one gap each; together they must not overshoot.
        let t = &self.trust;
        if t.community_spillover + t.prior_pull > 1.0 + 1e-12 {
            errors.push(ConstraintError {
                paths: vec!["trust.community_spillover", "trust.prior_pull"],
                message: format!(
                    "community_spillover + prior_pull must be at most 1 (each is a share of a gap closed per day), found {}",
                    t.community_spillover + t.prior_pull
                ),
            });
        }
        let (w, h) = (self.district.width, self.district.height);
        if w < MIN_SIDE || h < MIN_SIDE {
            errors.push(ConstraintError {
                paths: vec!["district.width", "district.height"],
                message: format!(
                    "the district must be at least {MIN_SIDE} x {MIN_SIDE} grids, found {w} x {h}: in a smaller one the few officers leave shifts with no unit nearby and calls wait hours (90th percentile response 730 minutes on 2 x 2, against 17 on 3 x 3 and larger), so results per resident would not be comparable; model a small area as part of a 3 x 3 district with fewer households per grid"
                ),
            });
        }
        let agents = self.agent_counts();
        if agents.total() > MAX_AGENTS {
            let a = agents;
            let gib = self.footprint().world_bytes() as f64 / (1u64 << 30) as f64;
            // The kinds that make the number, most numerous first, so the error
            // points at what to reduce.
            let mut kinds: Vec<(u64, &[&'static str])> = vec![
                (
                    a.residents,
                    &[
                        "district.width",
                        "district.height",
                        "district.households_per_grid",
                        "district.persons_per_household",
                    ],
                ),
                (a.enterprises, &["community.enterprises_per_grid"]),
                (a.ngos, &["community.ngos_per_grid"]),
                (a.grid_workers, &["community.grid_workers_per_grid"]),
                (
                    a.units,
                    &["police.officers_per_10k", "police.auxiliaries_per_officer"],
                ),
            ];
            kinds.sort_by_key(|&(count, _)| std::cmp::Reverse(count));
            let mut paths: Vec<&'static str> = kinds
                .iter()
                .filter(|&&(count, _)| count > MAX_AGENTS / 10)
                .flat_map(|&(_, paths)| paths.iter().copied())
                .collect();
            for path in ["district.width", "district.height"] {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
            errors.push(ConstraintError {
                paths,
                message: format!(
                    "the district would hold {} agents ({} residents, {} enterprises, {} NGOs, {} grid workers, {} police units; about {gib:.1} GiB per run); at most {MAX_AGENTS} are allowed",
                    a.total(), a.residents, a.enterprises, a.ngos, a.grid_workers, a.units
                ),
            });
        }
        let ticks = u64::from(self.run.ticks) + u64::from(self.run.warmup_ticks);
        if ticks > 200_000 {
            errors.push(ConstraintError {
                paths: vec!["run.ticks", "run.warmup_ticks"],
                message: format!("ticks + warmup_ticks must be at most 200000, found {ticks}"),
            });
        }
        errors
    }
}
