//! The initial district: [`World::new`] draws residents, grids and organisations from
//! the run's generator, in a fixed order, and allocates every buffer the days will
//! use. The formulas of the draws are rules (`space`, `public_goods`, `operations`);
//! this file decides what is drawn for whom and in which order.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

use super::World;
use super::actors::Responders;
use super::draw::beta_sampler;
use super::meetings::Meetings;
use super::participation::Organisations;
use super::trace::TraceRecorder;
use super::units::Units;
use crate::model::co_governance::accounts::{Accounts, Histogram};
use crate::model::co_governance::metrics::SERIES;
use crate::model::co_governance::params::Params;
use crate::model::co_governance::rules::collaboration::{PARTNERS, Partner, Process};
use crate::model::co_governance::rules::public_goods::{self, Strategy};
use crate::model::co_governance::rules::{dispatch, operations, space};

/// Observed utilisation of response capacity dispatchers assume before the first day.
const INITIAL_UTILISATION: f64 = 0.5;

/// Residents per call a day the call buffers are first sized for.
const CALLS_PER: usize = 200;

impl<'a> World<'a> {
    /// Builds the initial district.
    pub fn new(p: &'a Params, seed: u64) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let width = p.district.width as usize;
        let height = p.district.height as usize;
        let grids = width * height;
        let per_grid = p.residents_per_grid() as usize;
        let n = grids * per_grid;
        let r = &p.residents;

        let mut hardship = Vec::with_capacity(n);
        let mut risk_aversion = Vec::with_capacity(n);
        let mut trust_police = Vec::with_capacity(n);
        let mut trust_community = Vec::with_capacity(n);
        let mut strategy = Vec::with_capacity(n);
        let mut susceptibility = Vec::with_capacity(n);
        let mut cost_multiplier = Vec::with_capacity(n);
        let mut warm_glow = Vec::with_capacity(n);
        let tp = beta_sampler(r.initial_trust_police, p.trust.initial_concentration);
        let tc = beta_sampler(r.initial_trust_community, p.trust.initial_concentration);
        for _ in 0..n {
            hardship.push(rng.random::<f64>() * r.hardship_scale);
            risk_aversion.push(rng.random::<f64>());
            trust_police.push(tp.sample(&mut rng));
            trust_community.push(tc.sample(&mut rng));
            let u = rng.random::<f64>();
            let s =
                public_goods::initial_strategy(u, r.initial_participation, r.initial_free_riders);
            strategy.push(s as u8);
        }
        // Trust through contacts (issue 11, item 1): each resident's prior is their
        // initial trust in police; susceptibility is log-normal with mean 1.
        let trust_prior = trust_police.clone();
        let normal = Normal::new(0.0, 1.0).expect("unit normal");
        for _ in 0..n {
            let s = space::log_normal_mean_one(p.trust.susceptibility_sd, normal.sample(&mut rng));
            susceptibility.push(s as f32);
        }
        // Each resident's own cost multiplier and warm glow (issue 11, item 2), drawn
        // after the other traits so that those keep their draws.
        let q = &p.participation;
        for _ in 0..n {
            let m =
                space::log_normal_mean_one(q.resident_cost_heterogeneity, normal.sample(&mut rng));
            let g = space::log_normal_mean_one(q.warm_glow_heterogeneity, normal.sample(&mut rng));
            cost_multiplier.push(m as f32);
            warm_glow.push((r.cooperation_awareness * g) as f32);
        }

        // Grid opportunity: log-normal, scaled so the district's mean is exactly 1:
        // heterogeneity shares out a fixed total, so one extreme draw cannot lift the
        // whole district's crime (and a larger district does not draw more extremes).
        let sigma = p.district.opportunity_heterogeneity;
        let mut opportunity: Vec<f64> = (0..grids)
            .map(|_| space::log_normal_mean_one(sigma, normal.sample(&mut rng)))
            .collect();
        space::scale_to_mean_one(&mut opportunity);

        let mut contributors = vec![0u64; grids];
        let mut free_riders = vec![0u64; grids];
        let mut sum_trust_police = vec![0.0; grids];
        let mut sum_trust_community = vec![0.0; grids];
        for g in 0..grids {
            sum_trust_police[g] = trust_police[g * per_grid..(g + 1) * per_grid].iter().sum();
            sum_trust_community[g] = trust_community[g * per_grid..(g + 1) * per_grid]
                .iter()
                .sum();
            for &s in &strategy[g * per_grid..(g + 1) * per_grid] {
                let s = Strategy::from_u8(s);
                contributors[g] += u64::from(s.contributes());
                free_riders[g] += u64::from(s == Strategy::FreeRide);
            }
        }

        // Organisations, spread evenly over the grids, each with its own cost.
        let het = p.participation.cost_heterogeneity;
        let org_cost_multiplier =
            |rng: &mut Xoshiro256PlusPlus| space::log_normal_mean_one(het, normal.sample(rng));
        let n_ent = (p.community.enterprises_per_grid * grids as f64).round() as usize;
        let n_ngo = (p.community.ngos_per_grid * grids as f64).round() as usize;
        let spread = |k: usize, total: usize| ((k * grids) / total.max(1)) as u32;
        let enterprise_grid: Vec<u32> = (0..n_ent).map(|k| spread(k, n_ent)).collect();
        let ngo_grid: Vec<u32> = (0..n_ngo).map(|k| spread(k, n_ngo)).collect();
        let enterprise_cost: Vec<f64> = (0..n_ent).map(|_| org_cost_multiplier(&mut rng)).collect();
        let ngo_cost: Vec<f64> = (0..n_ngo).map(|_| org_cost_multiplier(&mut rng)).collect();
        let enterprise_on: Vec<bool> = (0..n_ent)
            .map(|_| rng.random::<f64>() < r.initial_participation)
            .collect();
        let ngo_on: Vec<bool> = (0..n_ngo)
            .map(|_| rng.random::<f64>() < r.initial_participation)
            .collect();
        // Responsibility actors (`actors.rs`): grid workers spread as organisations
        // are; an agent for each NGO and enterprise; a police post per grid.
        let motivation = p.rights.initial_motivation;
        let authority = p.rights.authority_match;
        let n_gw = (p.community.grid_workers_per_grid * grids as f64).round() as usize;
        let gw_grid: Vec<u32> = (0..n_gw).map(|k| spread(k, n_gw)).collect();
        let grid_workers = Responders::new(gw_grid, grids, motivation, authority);
        let ngo_actors = Responders::new(ngo_grid.clone(), grids, motivation, authority);
        let security = Responders::new(enterprise_grid.clone(), grids, motivation, authority);
        let posts = Responders::new((0..grids as u32).collect(), grids, motivation, authority);
        // The most that can be present at a call: the agents of the fullest grid, the
        // post, and at most a grid's residents as volunteers and as witnesses.
        let present_capacity = grid_workers.most_in_a_grid()
            + ngo_actors.most_in_a_grid()
            + security.most_in_a_grid()
            + 1
            + 2 * per_grid;

        let enterprises =
            Organisations::new(enterprise_grid, enterprise_cost, enterprise_on, grids);
        let ngos = Organisations::new(ngo_grid, ngo_cost, ngo_on, grids);

        // Officers and auxiliaries (issue 10, item 1), with room for the day's calls:
        // one per 200 residents is many times the default load.
        let (officers, auxiliaries) = dispatch::unit_counts(
            p.police.officers_per_10k,
            p.police.auxiliaries_per_officer,
            n as f64,
        );
        let mut units = Units::new(officers, auxiliaries, (width, height), n / CALLS_PER + 256);
        // Each unit's own procedural-justice style (issue 11, item 1).
        units.draw_styles(
            p.police.procedural_justice,
            p.trust.officer_style_sd,
            &mut rng,
        );

        // The collaborative process (issue 11, item 3): each grid's partnership has the
        // partner groups the grid has agents of (the police if there are officers,
        // residents always), each at the initial level.
        let meetings = Meetings::new(&units, (width, height));
        let process: Vec<Process> = (0..grids)
            .map(|k| {
                let mut member = [false; PARTNERS];
                member[Partner::Police as usize] = meetings.police_partner();
                member[Partner::GridWorkers as usize] = !grid_workers.in_grid(k).is_empty();
                member[Partner::Ngos as usize] = !ngo_actors.in_grid(k).is_empty();
                member[Partner::Enterprises as usize] = !security.in_grid(k).is_empty();
                member[Partner::Residents as usize] = true;
                Process::new(p.collaboration.initial_level, member)
            })
            .collect();

        let rows = p.run.warmup_ticks as usize + p.run.ticks as usize;
        World {
            p,
            rng,
            width,
            height,
            grids,
            per_grid,
            hardship,
            risk_aversion,
            trust_police,
            trust_community,
            strategy,
            cost_multiplier,
            warm_glow,
            victimised: vec![false; n],
            held_until: vec![0; n],
            trust_prior,
            susceptibility,
            held: Vec::with_capacity(n),
            candidates: Vec::with_capacity(per_grid),
            capped_today: 0,
            today: 0,
            opportunity,
            near_repeat: vec![0.0; grids],
            scratch: vec![0.0; grids],
            disorder: vec![0.0; grids],
            process,
            motivated: vec![0; grids],
            guardians: vec![0.0; grids],
            offend_prob: vec![0.0; grids],
            arrest_p: vec![0.0; grids],
            contributors,
            free_riders,
            peer_punishers: vec![0; grids],
            pool_punishers: vec![0; grids],
            inspection_rate: vec![0.0; grids],
            sum_trust_police,
            sum_trust_community,
            events: vec![0; grids],
            incident_rate: vec![0.0; grids],
            pending: vec![0; grids],
            wins: vec![0; grids],
            failures: vec![0; grids],
            grid_incidents: vec![0; grids],
            grid_window: vec![[0.0; 3]; grids],
            enterprises,
            ngos,
            grid_workers,
            ngo_actors,
            security,
            posts,
            present: Vec::with_capacity(present_capacity),
            clearance_seen: operations::expected_clearance(&p.residents, &p.operations),
            utilisation_seen: INITIAL_UTILISATION,
            units,
            sanctioning: Default::default(),
            meetings,
            accounts: Accounts {
                residents: n as u64,
                grids: grids as u64,
                response_times: Histogram::new(),
                ..Accounts::default()
            },
            series: vec![0.0; rows * SERIES.len()],
            trace: None,
        }
    }

    /// The same district, recording the trace of its run (`crate::model::Trace`,
    /// returned by [`World::run_traced`]): every `every`-th measured day (0 counts as
    /// 1), the first measured day first, with at most `max_moves_per_day` moves a day
    /// (`trace.rs`).
    pub fn with_trace(mut self, every: u64, max_moves_per_day: usize) -> Self {
        let run = &self.p.run;
        self.trace = Some(Box::new(TraceRecorder::new(
            (self.width, self.height),
            (u64::from(run.warmup_ticks), u64::from(run.ticks)),
            every,
            max_moves_per_day,
        )));
        self
    }
}
