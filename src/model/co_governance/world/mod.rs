//! The state of one district and the order in which the rules run each day.
//!
//! Residents live in flat vectors (struct of arrays), grouped by grid: grid g holds
//! residents `g * per_grid .. (g + 1) * per_grid`, so no resident stores its grid.
//! Every buffer is allocated in [`World::new`] (`setup.rs`); a day allocates nothing.
//! Every formula is a rule (`super::rules`); the world holds the state, decides which
//! agents and grids a rule applies to and in which order, draws from the run's one
//! generator, and keeps the books.
//!
//! A day (tick), in order (`World::step`), with the file that runs each phase:
//! 1. Police time: the day's hours (`rules::operations::police_time`); each officer's
//!    and auxiliary's shift and block of administration or community work
//!    (`units.rs`); the grids that meet today hold their meetings, attended agent
//!    by agent, the officers' meeting time taken from their community work
//!    (`meetings.rs`); officers' community work and patrols make contacts with
//!    residents of their post, each of the officer's own procedural justice and heard
//!    of by neighbours (`police.rs`, `contacts.rs`).
//! 2. Guardianship, offending probability and perceived arrest probability per grid
//!    (`police.rs`).
//! 3. Residents (`residents.rs`): trust drifts (spillover, the prior), grievance against net risk
//!    decides who is motivated; per-grid sums for collective efficacy, safety and
//!    metrics.
//! 4. Offences (`offences.rs`): motivated residents offend; victims report or not;
//!    an incident known to police becomes a call on the police; a cleared
//!    offence's offender is held for a while and cannot offend; public-order
//!    incidents call for a clean-up under the liability rules or add disorder
//!    (`community_calls.rs`, on the responsibility actors of `actors.rs`).
//! 5. Disputes (`disputes.rs`): new and pending disputes are mediated under the
//!    liability and rights rules, or escalate into incidents, or lapse.
//!    5b. Dispatch (`units.rs`): the day's calls on the police (incidents, service
//!    calls, mediations, clean-ups) in time order go to the nearest free unit or wait;
//!    an incident's clearance follows its own response time, possibly jointly with
//!    the community, and the reporter's (or victim's) and a cleared offender's trust
//!    learn from their contact with the unit (`offences.rs`, `respond`; `contacts.rs`).
//! 6. Participation (`participation.rs`): the punishment pools' inspections of
//!    residents and the authority's of enterprises, with their fines, then residents,
//!    enterprises and NGOs revise strategies by imitation.
//! 7. Collaborative process, disorder, near repeat and what agents observe
//!    (`process_and_contagion.rs`), then the day's record and accounts (`record.rs`).
//!
//! A traced run ([`World::with_trace`]) also records, at the end of each day and at
//! each call a unit or a community actor takes, the trace of an animated map
//! (`trace.rs`); the recorder only reads the world, so the run is unchanged.
//!
//! `draw.rs` holds the sampling helpers.

mod actors;
mod community_calls;
mod contacts;
mod disputes;
mod draw;
mod meetings;
mod offences;
mod participation;
mod police;
mod process_and_contagion;
mod record;
mod residents;
mod setup;
mod trace;
mod units;

use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::Normal;

use super::RunOutput;
use super::accounts::{self, Accounts};
use super::rules::collaboration::{self, Process};
use super::rules::operations::{self, PoliceTime};
use super::rules::{public_goods, reporting};
use crate::model::Trace;
use crate::model::co_governance::params::Params;
use participation::Organisations;

/// One district in one replication.
pub struct World<'a> {
    p: &'a Params,
    rng: Xoshiro256PlusPlus,
    width: usize,
    height: usize,
    grids: usize,
    per_grid: usize,

    // Residents (struct of arrays, grouped by grid).
    hardship: Vec<f64>,
    risk_aversion: Vec<f64>,
    trust_police: Vec<f64>,
    trust_community: Vec<f64>,
    strategy: Vec<u8>,
    victimised: Vec<bool>,
    /// The first day a resident is free again after being held for a cleared offence
    /// (0: never held).
    held_until: Vec<u32>,
    // Trust through contacts (issue 11, item 1): each resident's prior (disposition)
    // that trust in police returns to, and susceptibility to contacts (mean 1).
    trust_prior: Vec<f64>,
    susceptibility: Vec<f32>,
    // Participation with punishment (issue 11, item 2): each resident's own multiplier
    // of the contribution cost and warm glow of giving, drawn once.
    cost_multiplier: Vec<f32>,
    warm_glow: Vec<f32>,

    /// The residents held today (capacity for everyone, so it never reallocates).
    held: Vec<u32>,
    /// Scratch list of one grid's free motivated residents, the day's candidate
    /// offenders (capacity one grid).
    candidates: Vec<u32>,
    today: u32,
    /// Grids whose offending probability is held at 1 today.
    capped_today: u32,

    // Grids.
    opportunity: Vec<f64>,
    near_repeat: Vec<f64>,
    scratch: Vec<f64>,
    disorder: Vec<f64>,
    process: Vec<Process>,
    motivated: Vec<u32>,
    guardians: Vec<f64>,
    offend_prob: Vec<f64>,
    arrest_p: Vec<f64>,
    /// Residents contributing (plain contributors and both kinds of punisher).
    contributors: Vec<u64>,
    free_riders: Vec<u64>,
    // Punishment (issue 11, item 2): punishers per grid (counted in `contributors`
    // too) and the grid's observed rate of pool inspections per resident a day.
    peer_punishers: Vec<u64>,
    pool_punishers: Vec<u64>,
    inspection_rate: Vec<f64>,
    sum_trust_police: Vec<f64>,
    sum_trust_community: Vec<f64>,
    events: Vec<u32>,
    incident_rate: Vec<f64>,
    pending: Vec<u32>,
    wins: Vec<u32>,
    failures: Vec<u32>,
    grid_incidents: Vec<u64>,
    /// Each grid's window sums of disorder, mean trust in police and participation
    /// share, for the per-grid output.
    grid_window: Vec<[f64; 3]>,

    // Organisations.
    enterprises: Organisations,
    ngos: Organisations,

    // Responsibility actors as agents (`actors.rs`): NGO i and enterprise i of
    // `ngo_actors` and `security` are `ngos` and `enterprises` i; one post per grid.
    grid_workers: actors::Responders,
    ngo_actors: actors::Responders,
    security: actors::Responders,
    posts: actors::Responders,
    /// The actors present at the current call (capacity allocated in `setup.rs`).
    present: Vec<actors::Present>,

    // District-level observed state.
    clearance_seen: f64,
    utilisation_seen: f64,

    // Officers and auxiliaries, and the day's calls on them (`units.rs`).
    units: units::Units,

    // The collaborative process (issue 11, item 3): each grid's liaison officers and
    // days since its last meeting (`meetings.rs`); the partnerships are `process`.
    meetings: meetings::Meetings,

    // Output.
    /// The day's inspections and fines (issue 11, item 2).
    sanctioning: participation::Sanctioning,
    accounts: Accounts,
    series: Vec<f64>,
    /// The trace's recorder in a traced run ([`World::with_trace`]), else `None`.
    trace: Option<Box<trace::TraceRecorder>>,
}

impl World<'_> {
    fn residents(&self) -> usize {
        self.grids * self.per_grid
    }

    /// Runs warm-up and measured window, then computes the metrics.
    pub fn run(self) -> RunOutput {
        self.run_traced().0
    }

    /// Runs as [`World::run`] does, and returns the trace too if one was asked for
    /// ([`World::with_trace`]).
    pub fn run_traced(mut self) -> (RunOutput, Option<Trace>) {
        let total = self.p.run.warmup_ticks as usize + self.p.run.ticks as usize;
        for tick in 0..total {
            let measured = tick >= self.p.run.warmup_ticks as usize;
            self.step(tick, measured);
        }
        let victims = self.victimised.iter().filter(|&&v| v).count() as u64;
        let metrics = self
            .accounts
            .metrics(victims, &self.grid_incidents, &self.trust_police);
        let cells = self.grid_output();
        let trace = self.trace.take().map(|t| t.into_trace());
        let out = RunOutput {
            metrics,
            series: self.series,
            cells,
        };
        (out, trace)
    }

    /// Each grid's [`GRID_METRICS`](super::GRID_METRICS), grid by grid (row-major,
    /// `width` grids a row): the window's incidents per 1,000 of its residents a
    /// year and its window means.
    fn grid_output(&self) -> Vec<f64> {
        let days = self.accounts.days as f64;
        let per_grid = self.per_grid as f64;
        let mut out = Vec::with_capacity(self.grids * super::GRID_METRICS.len());
        for (&incidents, sums) in self.grid_incidents.iter().zip(&self.grid_window) {
            let rate = incidents as f64 * 1000.0 * 365.0 / (per_grid * days);
            out.extend([rate, sums[0] / days, sums[1] / days, sums[2] / days]);
        }
        out
    }

    /// One day: the phases in order (see the module documentation).
    fn step(&mut self, tick: usize, measured: bool) {
        let p = self.p;
        self.today = tick as u32;
        let police = operations::police_time(
            &p.police,
            &p.logistics,
            &p.operations,
            self.residents() as f64,
        );
        let access = reporting::channel_access(p.channels.count);
        let mut day = Day::new(p, &police, self.clearance_seen, access);

        // 1. Police time: today's shifts of officers and auxiliaries, community work
        //    and its contacts.
        day.burden[accounts::POLICE] += police.community;
        day.capacity_hours = self.plan_shifts(tick);
        // The responsibility actors' hours for the day are renewed before the
        // meetings take theirs (issue 11, item 3).
        self.responders_new_day();
        self.meetings(access, &mut day, measured);
        self.police_contacts();
        self.patrol_contacts();

        // 2. Guardianship, offending probability, perceived arrest probability.
        self.guardianship(&police, &mut day.burden);
        self.offending_probabilities();
        self.arrest_probabilities();

        // 3. Residents: trust drift and motivation (the hot loop).
        let motivated = self.residents_day();

        // 4. Offences, reports, calls on the police and clean-up.
        self.offences(&mut day, measured);

        // 5. Disputes.
        self.disputes(&mut day, measured);

        // 5b. The day's calls on the police, in time order: dispatch, response,
        //     clearance.
        self.dispatch(&police, &mut day, measured);

        // 6. Participation: inspections and fines drawn as events (issue 11), then
        //    imitation in the public-goods games.
        self.sanctioning = participation::Sanctioning::default();
        self.pool_inspections();
        self.enterprise_inspections();
        let mut incentives = 0.0;
        incentives += self.revise_residents(access);
        incentives += self.revise_organisations();
        incentives += public_goods::payments(p.incentives.report_reward, day.reported as f64);

        // 7. Collaborative process, contagion, observation, the day's record.
        self.collaborative_process();
        self.contagion_and_observation(&day, measured);
        self.record(tick, measured, &police, &day, motivated, incentives);
        if measured {
            self.record_grids();
        }
        self.record_trace(tick);
    }
}

/// The day's running counts and the inputs every incident and dispute of the day
/// shares.
struct Day {
    police_available: bool,
    climate: reporting::ReportingClimate,
    joint_bonus: f64,
    /// Quality of a contact with an NGO or grid worker.
    community_quality: Normal<f64>,
    /// Busy hours of officers and auxiliaries today: travel to and handling of the
    /// calls dispatched today (service calls, incidents, mediations, clean-ups).
    used_hours: f64,
    /// Hours officers and auxiliaries can be dispatched today: on duty outside
    /// administration and community work (`World::plan_shifts`).
    capacity_hours: f64,
    /// Public-safety work hours today, per actor group (`accounts::BURDEN_GROUPS`).
    burden: [f64; accounts::BURDEN_GROUPS],
    incidents: u64,
    reported: u64,
    known: u64,
    cleared: u64,
    responses: u64,
    response_sum: f64,
    disputes_new: u64,
    resolved: u64,
    escalated: u64,
}

impl Day {
    /// The day's shared inputs from the police's time, yesterday's observed clearance
    /// and channel access; counts start at zero.
    fn new(p: &Params, police: &PoliceTime, clearance_seen: f64, access: f64) -> Self {
        let report_cost = reporting::reporting_cost(
            p.reporting.base_cost,
            p.channels.reporting_cost_gain,
            access,
            p.it.reporting_cost_gain,
            p.it.level,
        );
        let climate = reporting::ReportingClimate::new(
            &p.reporting,
            clearance_seen,
            report_cost,
            p.incentives.report_reward,
        );
        Day {
            police_available: police.response > 0.0,
            climate,
            joint_bonus: collaboration::joint_bonus(p.collaboration.joint_bonus, p.it.level),
            community_quality: Normal::new(p.trust.community_contact_quality, p.trust.quality_sd)
                .expect("finite sd"),
            used_hours: 0.0,
            capacity_hours: 0.0,
            burden: [0.0; accounts::BURDEN_GROUPS],
            incidents: 0,
            reported: 0,
            known: 0,
            cleared: 0,
            responses: 0,
            response_sum: 0.0,
            disputes_new: 0,
            resolved: 0,
            escalated: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::rules::public_goods::Strategy;

    impl World<'_> {
        /// Checks that every running count agrees with the agents it counts and that
        /// every bounded state stays in its range.
        fn check_invariants(&self) {
            let n = self.residents();
            assert_eq!(self.hardship.len(), n);
            assert_eq!(self.trust_police.len(), n);
            assert_eq!(self.strategy.len(), n);
            for k in 0..self.grids {
                let grid = &self.strategy[k * self.per_grid..(k + 1) * self.per_grid];
                let c = grid
                    .iter()
                    .filter(|&&s| s == Strategy::Contribute as u8)
                    .count() as u64;
                let c = c + grid
                    .iter()
                    .filter(|&&s| s >= Strategy::PeerPunish as u8)
                    .count() as u64;
                let f = grid
                    .iter()
                    .filter(|&&s| s == Strategy::FreeRide as u8)
                    .count() as u64;
                let v = grid
                    .iter()
                    .filter(|&&s| s == Strategy::PeerPunish as u8)
                    .count() as u64;
                assert_eq!(self.peer_punishers[k], v, "peer punishers in grid {k}");
                assert!(self.pool_punishers[k] + v <= c);
                assert!(self.inspection_rate[k] >= 0.0);
                assert_eq!(self.contributors[k], c, "contributors in grid {k}");
                assert_eq!(self.free_riders[k], f, "free riders in grid {k}");
                assert!(self.motivated[k] as usize <= self.per_grid);
                assert!((0.0..=1.0).contains(&self.disorder[k]));
                let s = self.process[k];
                for x in [s.trust, s.commitment, s.understanding] {
                    assert!((0.0..=1.0).contains(&x));
                }
                // The partnership's trust is its member groups' mean.
                assert!(s.partner_trust.iter().all(|t| (0.0..=1.0).contains(t)));
                let members = s.member.iter().filter(|&&m| m).count();
                let mean = (0..s.member.len())
                    .filter(|&g| s.member[g])
                    .map(|g| s.partner_trust[g])
                    .sum::<f64>()
                    / members as f64;
                assert!((s.trust - mean).abs() < 1e-12, "grid {k}");
            }
            let mut ent = vec![0u32; self.grids];
            for (i, &on) in self.enterprises.on.iter().enumerate() {
                ent[self.enterprises.grid[i] as usize] += u32::from(on);
            }
            assert_eq!(ent, self.enterprises.on_in_grid);
            let mut ngo = vec![0u32; self.grids];
            for (i, &on) in self.ngos.on.iter().enumerate() {
                ngo[self.ngos.grid[i] as usize] += u32::from(on);
            }
            assert_eq!(ngo, self.ngos.on_in_grid);
            for t in self.trust_police.iter().chain(&self.trust_community) {
                assert!((0.0..=1.0).contains(t));
            }
            for &i in &self.held {
                assert!(
                    self.held_until[i as usize] > self.today,
                    "resident {i} held"
                );
            }
            let mut listed = self.held.clone();
            listed.sort_unstable();
            listed.dedup();
            assert_eq!(listed.len(), self.held.len(), "a resident is listed twice");
            // Responsibility actors: one NGO and enterprise agent per organisation,
            // one post per grid, motivations in range, successes within attempts.
            assert_eq!(self.ngo_actors.len(), self.ngos.on.len());
            assert_eq!(self.security.len(), self.enterprises.on.len());
            assert_eq!(self.posts.len(), self.grids);
            for r in [
                &self.grid_workers,
                &self.ngo_actors,
                &self.security,
                &self.posts,
            ] {
                for i in 0..r.len() {
                    assert!((0.0..=1.0).contains(&r.motivation[i]));
                    assert!((0.0..=1.0).contains(&r.authority[i]));
                    assert!(r.successes[i] <= r.attempts[i]);
                    assert!(r.in_grid(r.grid[i] as usize).contains(&i));
                }
            }
        }
    }

    fn stressed() -> Params {
        let mut p = Params::default();
        p.district.width = 4;
        p.district.height = 3;
        p.district.households_per_grid = 60;
        p.run.warmup_ticks = 20;
        p.run.ticks = 200;
        // Fast strategy turnover and many events, so the counts are exercised.
        p.participation.revision_rate = 0.3;
        p.participation.exploration = 0.2;
        p.residents.offence_propensity = 0.01;
        p.disputes.rate_per_1000 = 2_000.0;
        p.community.ngos_per_grid = 0.7;
        p
    }

    #[test]
    fn the_grids_add_up_to_the_district() {
        use crate::model::co_governance::{GRID_METRICS, GridMetric, METRICS, Metric};
        let p = stressed();
        let out = World::new(&p, 9).run();
        let k = GRID_METRICS.len();
        let grids = (p.district.width * p.district.height) as usize;
        assert_eq!(out.cells.len(), grids * k);
        // Every grid has as many residents, so the district's figure is the mean of
        // its grids'.
        let mean =
            |g: GridMetric| out.cells.chunks(k).map(|c| c[g as usize]).sum::<f64>() / grids as f64;
        let district = |m: Metric| out.metrics[m as usize];
        for (g, m) in [
            (GridMetric::IncidentsPer1000, Metric::IncidentsPer1000),
            (GridMetric::DisorderIndex, Metric::DisorderIndex),
            (GridMetric::TrustInPolice, Metric::TrustInPolice),
            (GridMetric::ParticipationRate, Metric::ParticipationRate),
        ] {
            let (a, b) = (mean(g), district(m));
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{}: {a} vs {b}",
                METRICS[m as usize].name
            );
        }
        // And the grids differ: the map is not one value repeated.
        let rates: Vec<f64> = out.cells.chunks(k).map(|c| c[0]).collect();
        assert!(rates.iter().any(|&r| r != rates[0]));
    }

    #[test]
    fn counts_are_conserved_and_states_stay_in_range_every_day() {
        let p = stressed();
        let mut w = World::new(&p, 5);
        w.check_invariants();
        let total = (p.run.warmup_ticks + p.run.ticks) as usize;
        for tick in 0..total {
            w.step(tick, tick >= p.run.warmup_ticks as usize);
            w.check_invariants();
        }
        // The stressed district really had events to count.
        assert!(w.accounts.property + w.accounts.violent + w.accounts.public_order > 100);
        assert!(w.accounts.disputes_resolved_locally > 10);
    }

    #[test]
    fn no_police_means_nothing_is_cleared_and_no_response_time() {
        let mut p = stressed();
        p.police.officers_per_10k = 0.0;
        let out = World::new(&p, 3).run();
        use crate::model::co_governance::metrics::Metric;
        assert_eq!(
            out.metrics[Metric::ClearanceRate as usize].to_bits(),
            f64::NAN.to_bits()
        );
        assert!(out.metrics[Metric::MeanResponseTime as usize].is_nan());
        assert!(out.metrics[Metric::IncidentsPer1000 as usize] > 0.0);
    }

    /// Counts heap allocations made by the current thread, so a test can prove that a
    /// simulated day allocates nothing.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        pub struct Counting;

        thread_local! {
            pub static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
        }

        // SAFETY: defers to the system allocator; only counts calls.
        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
                // SAFETY: same contract as the caller's.
                unsafe { System.alloc(layout) }
            }
            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                // SAFETY: same contract as the caller's.
                unsafe { System.dealloc(ptr, layout) }
            }
            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
                // SAFETY: same contract as the caller's.
                unsafe { System.realloc(ptr, layout, new_size) }
            }
        }

        #[global_allocator]
        static GLOBAL: Counting = Counting;
    }

    #[test]
    fn a_simulated_day_allocates_nothing() {
        // The counter does see allocations.
        let start = counting::ALLOCATIONS.with(|c| c.get());
        let probe = std::hint::black_box(Box::new(1u8));
        assert!(counting::ALLOCATIONS.with(|c| c.get()) > start);
        drop(probe);

        let p = stressed();
        let mut w = World::new(&p, 8);
        // Warm up so every code path (incidents, disputes, revisions) has run.
        for tick in 0..30 {
            w.step(tick, tick >= 10);
        }
        let before = counting::ALLOCATIONS.with(|c| c.get());
        for tick in 30..130 {
            w.step(tick, true);
        }
        let after = counting::ALLOCATIONS.with(|c| c.get());
        assert_eq!(after - before, 0, "allocations during 100 simulated days");
        assert!(w.accounts.property + w.accounts.violent > 0);
    }

    #[test]
    fn runs_depend_only_on_params_and_seed() {
        let p = stressed();
        let a = World::new(&p, 11).run();
        let b = World::new(&p, 11).run();
        let c = World::new(&p, 12).run();
        let bits = |o: &RunOutput| o.series.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b));
        assert_ne!(bits(&a), bits(&c));
    }
}
