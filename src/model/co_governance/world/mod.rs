//! The state of one district and the order in which the rules run each day.
//!
//! Residents live in flat vectors (struct of arrays), grouped by grid: grid g holds
//! residents `g * per_grid .. (g + 1) * per_grid`, so no resident stores its grid.
//! Every buffer is allocated in [`World::new`]; a day allocates nothing.
//!
//! A day (tick), in order:
//! 1. Police time: on-duty hours split into admin, community work and response
//!    capacity; community work makes procedurally just contacts (trust) and presence.
//! 2. Guardianship and perceived arrest probability per grid (offending rules).
//! 3. Residents: trust drifts (spillover), grievance against net risk decides who is
//!    motivated; per-grid sums for collective efficacy, safety and metrics.
//! 4. Offences: motivated residents offend with a propensity scaled by opportunity,
//!    near repeat, disorder and collective efficacy; victims report or not; police
//!    respond (response time, clearance), possibly jointly with the community; victims'
//!    trust learns from the contact; public-order incidents call for a clean-up under
//!    the liability rules or add disorder.
//! 5. Disputes: new and pending disputes are mediated under the liability and rights
//!    rules, or escalate into incidents, or lapse.
//! 6. Participation: residents, enterprises and NGOs revise strategies by imitation.
//! 7. Collaborative process, near repeat, disorder decay, fear, and the day's
//!    accounts.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Binomial, Distribution, Normal, Poisson};

use super::RunOutput;
use super::accounts::{self, Accounts};
use super::rules::collaboration::{Process, dialogue};
use super::rules::public_goods::{self, Strategy};
use super::rules::{contagion, liability, offending, operations, reporting, rights, trust};
use crate::model::co_governance::metrics::{SERIES, Series};
use crate::model::co_governance::params::Params;

/// Incident types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Property,
    Violent,
    PublicOrder,
}

/// Who acts on a call to the community (a dispute, a clean-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    GridWorker,
    Ngo,
    Enterprise,
    Police,
}

/// Smoothing weight of the exponential moving averages residents observe (clearance,
/// grids' incident rates): about a month.
const EMA: f64 = 1.0 / 30.0;

/// Smoothing weight of the recent utilisation dispatchers plan with: about five days.
const UTILISATION_EMA: f64 = 0.2;

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
    contributors: Vec<u64>,
    free_riders: Vec<u64>,
    sum_trust_police: Vec<f64>,
    sum_trust_community: Vec<f64>,
    events: Vec<u32>,
    incident_rate: Vec<f64>,
    pending: Vec<u32>,
    wins: Vec<u32>,
    failures: Vec<u32>,
    grid_incidents: Vec<u64>,

    // Organisations.
    enterprises: Organisations,
    ngos: Organisations,
    gw_motivation: f64,
    ngo_motivation: f64,

    // District-level observed state.
    clearance_seen: f64,
    utilisation_seen: f64,

    // Output.
    accounts: Accounts,
    series: Vec<f64>,
}

/// Draws a value from a Beta distribution with the given mean and concentration.
fn beta_sampler(mean: f64, concentration: f64) -> Beta<f64> {
    let m = mean.clamp(1e-6, 1.0 - 1e-6);
    Beta::new(m * concentration, (1.0 - m) * concentration).expect("positive Beta shape parameters")
}

/// Rounds a fractional count by expectation: `floor(x)` plus one with probability
/// equal to the fraction.
fn stochastic_round(x: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    let base = x.floor();
    let extra = if rng.random::<f64>() < x - base { 1 } else { 0 };
    base as u64 + extra
}

fn binomial(n: u64, p: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map_or(0, |d| d.sample(rng))
}

fn poisson(lambda: f64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    if lambda <= 0.0 {
        return 0;
    }
    Poisson::new(lambda).map_or(0, |d: Poisson<f64>| d.sample(rng) as u64)
}

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
        let tp = beta_sampler(r.initial_trust_police, p.trust.initial_concentration);
        let tc = beta_sampler(r.initial_trust_community, p.trust.initial_concentration);
        for _ in 0..n {
            hardship.push(rng.random::<f64>() * r.hardship_scale);
            risk_aversion.push(rng.random::<f64>());
            trust_police.push(tp.sample(&mut rng));
            trust_community.push(tc.sample(&mut rng));
            let u = rng.random::<f64>();
            let s = if u < r.initial_participation {
                Strategy::Contribute
            } else if u < r.initial_participation + r.initial_free_riders {
                Strategy::FreeRide
            } else {
                Strategy::StayOut
            };
            strategy.push(s as u8);
        }

        // Grid opportunity: log-normal with mean 1.
        let sigma = p.district.opportunity_heterogeneity;
        let normal = Normal::new(0.0, 1.0).expect("unit normal");
        let opportunity: Vec<f64> = (0..grids)
            .map(|_| (sigma * normal.sample(&mut rng) - sigma * sigma / 2.0).exp())
            .collect();

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
                match Strategy::from_u8(s) {
                    Strategy::Contribute => contributors[g] += 1,
                    Strategy::FreeRide => free_riders[g] += 1,
                    Strategy::StayOut => {}
                }
            }
        }

        // Organisations, spread evenly over the grids, each with its own cost.
        let het = p.participation.cost_heterogeneity;
        let cost_multiplier =
            |rng: &mut Xoshiro256PlusPlus| (het * normal.sample(rng) - het * het / 2.0).exp();
        let n_ent = (p.community.enterprises_per_grid * grids as f64).round() as usize;
        let n_ngo = (p.community.ngos_per_grid * grids as f64).round() as usize;
        let spread = |k: usize, total: usize| ((k * grids) / total.max(1)) as u32;
        let enterprise_grid: Vec<u32> = (0..n_ent).map(|k| spread(k, n_ent)).collect();
        let ngo_grid: Vec<u32> = (0..n_ngo).map(|k| spread(k, n_ngo)).collect();
        let enterprise_cost: Vec<f64> = (0..n_ent).map(|_| cost_multiplier(&mut rng)).collect();
        let ngo_cost: Vec<f64> = (0..n_ngo).map(|_| cost_multiplier(&mut rng)).collect();
        let enterprise_on: Vec<bool> = (0..n_ent)
            .map(|_| rng.random::<f64>() < r.initial_participation)
            .collect();
        let ngo_on: Vec<bool> = (0..n_ngo)
            .map(|_| rng.random::<f64>() < r.initial_participation)
            .collect();
        let enterprises =
            Organisations::new(enterprise_grid, enterprise_cost, enterprise_on, grids);
        let ngos = Organisations::new(ngo_grid, ngo_cost, ngo_on, grids);

        let rows = p.run.warmup_ticks as usize + p.run.ticks as usize;
        let base_clearance = p.residents.property_share * p.operations.clearance_property
            + p.residents.violent_share * p.operations.clearance_violent
            + (1.0 - p.residents.property_share - p.residents.violent_share).max(0.0)
                * p.operations.clearance_public_order;
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
            victimised: vec![false; n],
            opportunity,
            near_repeat: vec![0.0; grids],
            scratch: vec![0.0; grids],
            disorder: vec![0.0; grids],
            process: vec![Process::new(p.collaboration.initial_level); grids],
            motivated: vec![0; grids],
            guardians: vec![0.0; grids],
            offend_prob: vec![0.0; grids],
            arrest_p: vec![0.0; grids],
            contributors,
            free_riders,
            sum_trust_police,
            sum_trust_community,
            events: vec![0; grids],
            incident_rate: vec![0.0; grids],
            pending: vec![0; grids],
            wins: vec![0; grids],
            failures: vec![0; grids],
            grid_incidents: vec![0; grids],
            enterprises,
            ngos,
            gw_motivation: p.rights.initial_motivation,
            ngo_motivation: p.rights.initial_motivation,
            clearance_seen: base_clearance,
            utilisation_seen: 0.5,
            accounts: Accounts {
                residents: n as u64,
                ..Accounts::default()
            },
            series: vec![0.0; rows * SERIES.len()],
        }
    }

    fn residents(&self) -> usize {
        self.grids * self.per_grid
    }

    /// Runs warm-up and measured window, then computes the metrics.
    pub fn run(mut self) -> RunOutput {
        let total = self.p.run.warmup_ticks as usize + self.p.run.ticks as usize;
        for tick in 0..total {
            let measured = tick >= self.p.run.warmup_ticks as usize;
            self.step(tick, measured);
        }
        let victims = self.victimised.iter().filter(|&&v| v).count() as u64;
        let metrics = self.accounts.metrics(victims, &self.grid_incidents);
        RunOutput {
            metrics,
            series: self.series,
        }
    }

    /// The day's police time budget.
    fn police_day(&self) -> PoliceDay {
        let p = self.p;
        let officers = p.police.officers_per_10k * self.residents() as f64 / 10_000.0;
        let on_duty = officers * p.police.hours_per_officer_day;
        let community = on_duty * p.police.community_role_share;
        let admin = on_duty * p.police.admin_burden_share;
        let auxiliary_hours =
            officers * p.police.auxiliaries_per_officer * p.police.hours_per_officer_day;
        let officer_response = (on_duty - community - admin).max(0.0);
        let response = officer_response + auxiliary_hours * p.police.auxiliary_response_share;
        let logistics = operations::logistics_factor(p.logistics.level, p.logistics.penalty);
        let service =
            p.operations.service_hours_per_1000 * self.residents() as f64 / 1000.0 * logistics;
        PoliceDay {
            officers,
            on_duty,
            community,
            officer_response,
            response,
            logistics,
            handling: p.operations.handling_hours * logistics,
            service,
        }
    }

    fn step(&mut self, tick: usize, measured: bool) {
        let p = self.p;
        let police = self.police_day();
        let access = reporting::channel_access(p.channels.count);
        let mut burden = [0.0; accounts::BURDEN_GROUPS];
        let mut incentives = 0.0;
        burden[accounts::POLICE] += police.community;

        // 1. Community contacts by police in the remodelled role (procedural justice).
        let contacts =
            stochastic_round(police.community / p.police.hours_per_contact, &mut self.rng);
        let pj = Normal::new(p.police.procedural_justice, p.trust.quality_sd).expect("finite sd");
        let n = self.residents();
        for _ in 0..contacts {
            let i = self.rng.random_range(0..n);
            let q = pj.sample(&mut self.rng).clamp(0.0, 1.0);
            self.trust_police[i] = trust::toward(self.trust_police[i], q, p.trust.contact_rate);
        }

        // 2. Guardianship in each grid and the perceived arrest probability.
        let auxiliaries = police.officers * p.police.auxiliaries_per_officer;
        // Officers out in the grids: on duty, not at a desk, not busy with a call.
        // Community work counts: the community officer is in the neighbourhood.
        // Only officers' own response hours count here; auxiliaries are counted below
        // at their own weight for all their hours.
        let idle = police.officer_response * (1.0 - self.utilisation_seen.min(1.0));
        let officers_present = (police.community + idle) / 24.0 / self.grids as f64;
        let aux_present = auxiliaries * p.police.hours_per_officer_day / 24.0 / self.grids as f64;
        let gw_present = p.community.grid_workers_per_grid * p.community.grid_worker_hours / 24.0;
        let cameras = p.it.cameras_per_grid * p.it.level;
        let g = &p.guardians;
        for k in 0..self.grids {
            let volunteers = self.contributors[k] as f64
                * p.community.volunteer_share
                * p.community.volunteer_hours
                / 24.0;
            let security = f64::from(self.enterprises.on_in_grid[k])
                * p.community.security_staff_per_enterprise;
            self.guardians[k] = officers_present
                + g.auxiliary_weight * aux_present
                + g.grid_worker_weight * gw_present
                + g.volunteer_weight * volunteers
                + g.enterprise_security_weight * security
                + g.camera_weight * cameras;
        }
        burden[accounts::AUXILIARIES] += auxiliaries * p.police.hours_per_officer_day;
        let volunteer_hours: f64 = self.contributors.iter().map(|&c| c as f64).sum::<f64>()
            * p.community.volunteer_share
            * p.community.volunteer_hours;
        burden[accounts::VOLUNTEERS] += volunteer_hours;
        let guard_hours: f64 = self
            .enterprises
            .on_in_grid
            .iter()
            .map(|&e| f64::from(e))
            .sum::<f64>()
            * p.community.security_staff_per_enterprise
            * 24.0;
        burden[accounts::ENTERPRISES] += guard_hours;
        // Today's offending probability of a motivated resident in each grid, from
        // opportunity, near repeat, disorder and yesterday's collective efficacy.
        for k in 0..self.grids {
            let ce = (self.sum_trust_community[k] / self.per_grid as f64)
                * (self.contributors[k] as f64 / self.per_grid as f64);
            let mult = contagion::opportunity_multiplier(
                self.opportunity[k],
                self.near_repeat[k],
                self.disorder[k],
                p.contagion.disorder_effect,
                ce,
                p.contagion.efficacy_effect,
            );
            self.offend_prob[k] = (p.residents.offence_propensity * mult).min(1.0);
        }
        let nw = p.district.neighbour_weight;
        for y in 0..self.height {
            for x in 0..self.width {
                let k = y * self.width + x;
                let mut gv = self.guardians[k];
                let mut av = f64::from(self.motivated[k]) * self.offend_prob[k];
                for ny in y.saturating_sub(1)..=(y + 1).min(self.height - 1) {
                    for nx in x.saturating_sub(1)..=(x + 1).min(self.width - 1) {
                        if nx != x || ny != y {
                            let j = ny * self.width + nx;
                            gv += nw * self.guardians[j];
                            av += nw * f64::from(self.motivated[j]) * self.offend_prob[j];
                        }
                    }
                }
                self.arrest_p[k] = offending::perceived_arrest_probability(
                    p.residents.arrest_constant,
                    gv,
                    av,
                    self.clearance_seen,
                );
            }
        }

        // 3. Residents: trust drift and motivation (the hot loop).
        let threshold = p.residents.offending_threshold;
        let lw = p.residents.legitimacy_trust_weight;
        let l0 = (1.0 - lw) * p.residents.system_legitimacy;
        let cs = p.trust.collaboration_spillover;
        let ps = p.trust.community_spillover;
        let mut motivated_total = 0u64;
        for k in 0..self.grids {
            let range = k * self.per_grid..(k + 1) * self.per_grid;
            let ct = self.process[k].trust;
            let pk = self.arrest_p[k];
            let tp = &mut self.trust_police[range.clone()];
            let tc = &mut self.trust_community[range.clone()];
            let h = &self.hardship[range.clone()];
            let r = &self.risk_aversion[range];
            let (mut stp, mut stc, mut m) = (0.0, 0.0, 0u32);
            for i in 0..tp.len() {
                let c = tc[i] + cs * (ct - tc[i]);
                let t = tp[i] + ps * (c - tp[i]);
                tc[i] = c;
                tp[i] = t;
                stp += t;
                stc += c;
                let grievance = h[i] * (1.0 - (l0 + lw * t));
                m += u32::from(grievance - r[i] * pk > threshold);
            }
            self.sum_trust_police[k] = stp;
            self.sum_trust_community[k] = stc;
            self.motivated[k] = m;
            motivated_total += u64::from(m);
        }

        // 4. Offences, reports, police response and clean-up.
        let dispatch =
            p.operations.dispatch_minutes * (1.0 - p.operations.dispatch_it_gain * p.it.level);
        let travel = p.operations.travel_minutes * police.logistics;
        let servers = police.response / 24.0;
        let queue =
            operations::queueing_delay(police.handling * 60.0, servers, self.utilisation_seen);
        let response_minutes = dispatch + travel + queue;
        let report_cost = reporting::reporting_cost(
            p.reporting.base_cost,
            p.channels.reporting_cost_gain,
            access,
            p.it.reporting_cost_gain,
            p.it.level,
        );
        let climate = reporting::ReportingClimate::new(
            &p.reporting,
            self.clearance_seen,
            report_cost,
            p.incentives.report_reward,
        );
        let joint_bonus = p.collaboration.joint_bonus * (0.5 + 0.5 * p.it.level);
        let mut day = Day {
            response_minutes,
            police_available: police.response > 0.0,
            climate,
            joint_bonus,
            pj,
            community_quality: Normal::new(p.trust.community_contact_quality, p.trust.quality_sd)
                .expect("finite sd"),
            used_hours: police.service,
            burden,
            ..Day::default()
        };
        for k in 0..self.grids {
            self.events[k] = 0;
            self.wins[k] = 0;
            self.failures[k] = 0;
        }
        for k in 0..self.grids {
            let offences = binomial(
                u64::from(self.motivated[k]),
                self.offend_prob[k],
                &mut self.rng,
            );
            for _ in 0..offences {
                let u = self.rng.random::<f64>();
                let kind = if u < p.residents.property_share {
                    Kind::Property
                } else if u < p.residents.property_share + p.residents.violent_share {
                    Kind::Violent
                } else {
                    Kind::PublicOrder
                };
                self.incident(k, kind, &police, &mut day, measured);
            }
        }

        // 5. Disputes.
        let dispute_rate = p.disputes.rate_per_1000 / 1000.0 / 365.0 * self.per_grid as f64;
        for k in 0..self.grids {
            let new = poisson(dispute_rate, &mut self.rng);
            day.disputes_new += new;
            let open = u64::from(self.pending[k]) + new;
            let mut still = 0u32;
            for _ in 0..open {
                match self.mediate(k, &mut day, measured) {
                    true => {}
                    false => {
                        let u = self.rng.random::<f64>();
                        if u < p.disputes.escalation_probability {
                            day.escalated += 1;
                            if measured {
                                self.accounts.disputes_escalated += 1;
                            }
                            let kind = if self.rng.random::<f64>() < p.disputes.violent_share {
                                Kind::Violent
                            } else {
                                Kind::PublicOrder
                            };
                            self.incident(k, kind, &police, &mut day, measured);
                        } else if u < p.disputes.escalation_probability
                            + p.disputes.lapse_probability
                        {
                            if measured {
                                self.accounts.disputes_lapsed += 1;
                            }
                        } else {
                            still += 1;
                        }
                    }
                }
            }
            self.pending[k] = still;
        }

        // 6. Participation: imitation in the public-goods games.
        incentives += self.revise_residents(access);
        incentives += self.revise_organisations();
        incentives += p.incentives.report_reward * day.reported as f64;

        // 7. Collaborative process, contagion, fear, accounts.
        let d = dialogue(
            p.collaboration.meetings_per_month,
            access,
            p.police.community_role_share,
        );
        let meeting_hours = p.collaboration.meetings_per_month / 30.0
            * p.collaboration.meeting_hours
            * self.grids as f64;
        day.burden[accounts::POLICE] += meeting_hours;
        day.burden[accounts::GRID_WORKERS] += meeting_hours;
        day.burden[accounts::NGOS] += meeting_hours * f64::from(u8::from(!self.ngos.on.is_empty()));
        day.burden[accounts::ENTERPRISES] +=
            meeting_hours * f64::from(u8::from(!self.enterprises.on.is_empty()));
        for k in 0..self.grids {
            self.process[k].step(&p.collaboration, d, self.wins[k], self.failures[k]);
            self.disorder[k] *= 1.0 - p.contagion.disorder_decay;
            let today = f64::from(self.events[k]) * 1000.0 * 365.0 / self.per_grid as f64;
            self.incident_rate[k] += EMA * (today - self.incident_rate[k]);
            if measured {
                self.grid_incidents[k] += u64::from(self.events[k]);
            }
        }
        contagion::step_near_repeat(
            &mut self.near_repeat,
            &mut self.scratch,
            &self.events,
            self.width,
            self.height,
            &p.contagion,
        );
        if day.known > 0 {
            let c = day.cleared as f64 / day.known as f64;
            self.clearance_seen += EMA * (c - self.clearance_seen);
        }
        let utilisation = if police.response > 0.0 {
            day.used_hours / police.response
        } else {
            f64::NAN
        };
        let load = if police.response > 0.0 {
            utilisation
        } else {
            1.0
        };
        self.utilisation_seen += UTILISATION_EMA * (load - self.utilisation_seen);

        self.record(
            tick,
            measured,
            &police,
            &day,
            motivated_total,
            utilisation,
            incentives,
        );
    }

    /// One incident in grid `k`: victim, report, response, clearance, trust, clean-up.
    fn incident(
        &mut self,
        k: usize,
        kind: Kind,
        police: &PoliceDay,
        day: &mut Day,
        measured: bool,
    ) {
        let p = self.p;
        self.events[k] += 1;
        day.incidents += 1;
        let base = k * self.per_grid;
        // The reporter is the victim, or for a public-order incident a witness.
        let reporter = base + self.rng.random_range(0..self.per_grid);
        if measured {
            match kind {
                Kind::Property => self.accounts.property += 1,
                Kind::Violent => self.accounts.violent += 1,
                Kind::PublicOrder => self.accounts.public_order += 1,
            }
            if kind != Kind::PublicOrder {
                self.victimised[reporter] = true;
            }
        }
        let reported =
            self.rng.random::<f64>() < day.climate.probability(self.trust_police[reporter]);
        let detected = reported
            || self.rng.random::<f64>()
                < 1.0 - (-p.operations.detection_per_guardian * self.guardians[k]).exp();
        if reported {
            day.reported += 1;
        }
        if detected && day.police_available {
            day.known += 1;
            day.used_hours += police.handling;
            day.burden[accounts::POLICE] += police.handling;
            let base_clear = match kind {
                Kind::Property => p.operations.clearance_property,
                Kind::Violent => p.operations.clearance_violent,
                Kind::PublicOrder => p.operations.clearance_public_order,
            };
            // A reported incident waits for the response; one found by patrol does not.
            let response = if reported {
                day.response_sum += day.response_minutes;
                day.responses += 1;
                day.response_minutes
            } else {
                p.operations.reference_response_minutes
            };
            let joint = self.rng.random::<f64>() < self.process[k].joint_capacity();
            let bonus = if joint { day.joint_bonus } else { 0.0 };
            if joint {
                day.burden[accounts::GRID_WORKERS] += police.handling / 2.0;
            }
            let pc = operations::clearance_probability(
                base_clear,
                p.operations.clearance_response_slope,
                response,
                p.operations.reference_response_minutes,
                bonus,
            );
            let cleared = self.rng.random::<f64>() < pc;
            if cleared {
                day.cleared += 1;
            }
            if joint {
                if cleared {
                    self.wins[k] += 1;
                } else {
                    self.failures[k] += 1;
                }
            }
            if measured {
                self.accounts.known += 1;
                self.accounts.cleared += u64::from(cleared);
                self.accounts.joint_cleared += u64::from(cleared && joint);
            }
            if reported {
                // The reporter meets the police: procedural justice and outcome.
                let j = day.pj.sample(&mut self.rng).clamp(0.0, 1.0);
                let q = trust::contact_quality(j, cleared, p.trust.outcome_weight);
                self.trust_police[reporter] =
                    trust::toward(self.trust_police[reporter], q, p.trust.contact_rate);
            }
        }
        if measured && reported {
            self.accounts.reported += 1;
        }
        if kind == Kind::PublicOrder {
            // Somebody must clear up; unclear liability diffuses the duty.
            let actor = self.community_call(k, self.gw_motivation, measured);
            let mut handled = false;
            if let Some(actor) = actor {
                let hours = p.contagion.cleanup_hours;
                day.burden[burden_group(actor)] += hours;
                if actor == Actor::Police {
                    day.used_hours += hours;
                }
                let s = rights::success_probability(
                    p.disputes.grid_worker_success,
                    p.rights.authority_match,
                    p.rights.unmatched_success_factor,
                );
                handled = self.rng.random::<f64>() < s;
                if actor == Actor::GridWorker {
                    self.gw_motivation = rights::update_motivation(
                        self.gw_motivation,
                        handled,
                        p.rights.motivation_rate,
                    );
                }
            }
            if !handled {
                self.disorder[k] =
                    contagion::add_disorder(self.disorder[k], p.contagion.disorder_gain);
            }
        }
    }

    /// A call on the community's actors in grid `k` under the liability rules. Returns
    /// who acted, if anybody did.
    fn community_call(&mut self, k: usize, motivation: f64, measured: bool) -> Option<Actor> {
        let p = self.p;
        let named = self.rng.random::<f64>() < p.liability.clarity;
        let ratio = p.liability.cost_benefit_ratio;
        let acts = if named {
            self.rng.random::<f64>() < liability::named_act_probability(ratio, motivation)
        } else {
            let effective = liability::effective_ratio(ratio, motivation);
            self.rng.random::<f64>()
                >= liability::probability_nobody_acts(p.liability.co_responsible_actors, effective)
        };
        if measured {
            self.accounts.community_calls += 1;
            self.accounts.nobody_acted += u64::from(!acts);
        }
        if !acts {
            return None;
        }
        let has_gw = p.community.grid_workers_per_grid > 0.0;
        let actor = if named {
            if has_gw {
                Actor::GridWorker
            } else {
                Actor::Police
            }
        } else {
            // Whoever volunteers among the groups present in the grid.
            let mut present = [Actor::Police; 4];
            let mut n = 0;
            for (cond, a) in [
                (has_gw, Actor::GridWorker),
                (self.ngos.on_in_grid[k] > 0, Actor::Ngo),
                (self.enterprises.on_in_grid[k] > 0, Actor::Enterprise),
                (true, Actor::Police),
            ] {
                if cond {
                    present[n] = a;
                    n += 1;
                }
            }
            present[self.rng.random_range(0..n)]
        };
        Some(actor)
    }

    /// One mediation attempt on a dispute in grid `k`; true when settled locally.
    fn mediate(&mut self, k: usize, day: &mut Day, measured: bool) -> bool {
        let p = self.p;
        // The natural mediator: an engaged NGO in the grid, else the grid worker.
        let ngo = self.ngos.on_in_grid[k] > 0;
        let motivation = if ngo {
            self.ngo_motivation
        } else {
            self.gw_motivation
        };
        let actor = self.community_call(k, motivation, measured);
        let Some(actor) = actor else {
            return false;
        };
        let actor = if actor == Actor::Enterprise {
            Actor::GridWorker
        } else {
            actor
        };
        let base = match actor {
            Actor::Ngo => p.disputes.ngo_success,
            _ => p.disputes.grid_worker_success,
        };
        let joint =
            actor == Actor::Police || self.rng.random::<f64>() < self.process[k].joint_capacity();
        let bonus = if joint && actor != Actor::Police {
            day.joint_bonus
        } else {
            0.0
        };
        let s = rights::success_probability(
            base,
            p.rights.authority_match,
            p.rights.unmatched_success_factor,
        ) + bonus;
        let ok = self.rng.random::<f64>() < s.min(1.0);
        day.burden[burden_group(actor)] += if actor == Actor::Police {
            p.disputes.police_hours
        } else {
            p.disputes.mediation_hours
        };
        if joint {
            day.used_hours += p.disputes.police_hours;
            if actor != Actor::Police {
                day.burden[accounts::POLICE] += p.disputes.police_hours;
            }
        }
        match actor {
            Actor::Ngo => {
                self.ngo_motivation =
                    rights::update_motivation(self.ngo_motivation, ok, p.rights.motivation_rate)
            }
            Actor::GridWorker => {
                self.gw_motivation =
                    rights::update_motivation(self.gw_motivation, ok, p.rights.motivation_rate)
            }
            _ => {}
        }
        if joint && actor != Actor::Police {
            if ok {
                self.wins[k] += 1;
            } else {
                self.failures[k] += 1;
            }
        }
        // Both parties meet the mediator; community trust learns from it.
        for _ in 0..2 {
            let i = k * self.per_grid + self.rng.random_range(0..self.per_grid);
            if actor == Actor::Police {
                let j = day.pj.sample(&mut self.rng).clamp(0.0, 1.0);
                let q = trust::contact_quality(j, ok, p.trust.outcome_weight);
                self.trust_police[i] = trust::toward(self.trust_police[i], q, p.trust.contact_rate);
            } else {
                let j = day.community_quality.sample(&mut self.rng).clamp(0.0, 1.0);
                let q = trust::contact_quality(j, ok, p.trust.outcome_weight);
                self.trust_community[i] =
                    trust::toward(self.trust_community[i], q, p.trust.contact_rate);
            }
        }
        if ok {
            day.resolved += 1;
            if measured {
                self.accounts.disputes_resolved_locally += 1;
                self.accounts.disputes_joint += u64::from(joint);
            }
        }
        ok
    }

    /// Residents' strategy revisions; returns the rewards paid today.
    fn revise_residents(&mut self, access: f64) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let cost = q.contribution_cost * (1.0 - p.channels.participation_cost_gain * access);
        let reward = p.incentives.contribution_reward;
        let awareness = p.residents.cooperation_awareness;
        let mut paid = 0.0;
        for k in 0..self.grids {
            let pay = public_goods::resident_payoffs(
                self.contributors[k],
                self.free_riders[k],
                cost,
                q.multiplier,
                q.loner_payoff,
                reward,
            );
            let base = k * self.per_grid;
            let payoff = |s: u8, tc: f64| match Strategy::from_u8(s) {
                Strategy::Contribute => pay.contribute + awareness * tc,
                Strategy::FreeRide => pay.free_ride,
                Strategy::StayOut => pay.stay_out,
            };
            let revisions = binomial(self.per_grid as u64, q.revision_rate, &mut self.rng);
            for _ in 0..revisions {
                let i = base + self.rng.random_range(0..self.per_grid);
                let old = self.strategy[i];
                let new = if self.rng.random::<f64>() < q.exploration {
                    self.rng.random_range(0..3u8)
                } else {
                    let j = base + self.rng.random_range(0..self.per_grid);
                    let mine = payoff(old, self.trust_community[i]);
                    let theirs = payoff(self.strategy[j], self.trust_community[j]);
                    if self.rng.random::<f64>()
                        < public_goods::fermi(mine, theirs, q.imitation_noise)
                    {
                        self.strategy[j]
                    } else {
                        old
                    }
                };
                if new != old {
                    self.strategy[i] = new;
                    match Strategy::from_u8(old) {
                        Strategy::Contribute => self.contributors[k] -= 1,
                        Strategy::FreeRide => self.free_riders[k] -= 1,
                        Strategy::StayOut => {}
                    }
                    match Strategy::from_u8(new) {
                        Strategy::Contribute => self.contributors[k] += 1,
                        Strategy::FreeRide => self.free_riders[k] += 1,
                        Strategy::StayOut => {}
                    }
                }
            }
            paid += reward * self.contributors[k] as f64;
        }
        paid
    }

    /// Enterprises' and NGOs' revisions; returns subsidies and funding paid today.
    fn revise_organisations(&mut self) -> f64 {
        let p = self.p;
        let q = &p.participation;
        let inc = &p.incentives;
        let terms = public_goods::EnterpriseTerms {
            private_benefit: q.enterprise_private_benefit,
            subsidy: inc.enterprise_subsidy,
            fine: inc.enterprise_fine,
            inspection: q.inspection_probability,
            clarity: p.liability.clarity,
        };
        let enterprise_payoff = |on: bool, cost_mult: f64, _grid: u32| {
            public_goods::enterprise_payoff(on, q.enterprise_cost * cost_mult, &terms)
        };
        self.enterprises.revise(&mut self.rng, q, enterprise_payoff);
        let process = &self.process;
        let ngo_payoff = |on: bool, cost_mult: f64, grid: u32| {
            if on {
                inc.ngo_funding - q.ngo_cost * cost_mult
                    + q.ngo_partnership_value * process[grid as usize].trust
            } else {
                0.0
            }
        };
        self.ngos.revise(&mut self.rng, q, ngo_payoff);
        let enterprises_on = self.enterprises.engaged();
        let ngos_on = self.ngos.engaged();
        inc.enterprise_subsidy * f64::from(enterprises_on) + inc.ngo_funding * f64::from(ngos_on)
    }

    /// Writes the day's time-series row and, in the window, adds to the accounts.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        tick: usize,
        measured: bool,
        police: &PoliceDay,
        day: &Day,
        motivated: u64,
        utilisation: f64,
        incentives: f64,
    ) {
        let p = self.p;
        let n = self.residents() as f64;
        let grids = self.grids as f64;
        let trust_police = self.sum_trust_police.iter().sum::<f64>() / n;
        let trust_community = self.sum_trust_community.iter().sum::<f64>() / n;
        let collab = self.process.iter().map(|s| s.trust).sum::<f64>() / grids;
        let commitment = self.process.iter().map(|s| s.commitment).sum::<f64>() / grids;
        let understanding = self.process.iter().map(|s| s.understanding).sum::<f64>() / grids;
        let joint = self
            .process
            .iter()
            .map(Process::joint_capacity)
            .sum::<f64>()
            / grids;
        let contributors = self.contributors.iter().sum::<u64>() as f64 / n;
        let free_riders = self.free_riders.iter().sum::<u64>() as f64 / n;
        let enterprises = self.enterprises.on.len();
        let enterprise_rate = if enterprises > 0 {
            self.enterprises
                .on_in_grid
                .iter()
                .map(|&e| f64::from(e))
                .sum::<f64>()
                / enterprises as f64
        } else {
            f64::NAN
        };
        let ngos = self.ngos.on.len();
        let ngo_rate = if ngos > 0 {
            self.ngos
                .on_in_grid
                .iter()
                .map(|&e| f64::from(e))
                .sum::<f64>()
                / ngos as f64
        } else {
            f64::NAN
        };
        let disorder = self.disorder.iter().sum::<f64>() / grids;
        let arrest = self.arrest_p.iter().sum::<f64>() / grids;
        let mut safety = 0.0;
        for k in 0..self.grids {
            let f = contagion::fear(
                self.incident_rate[k],
                p.safety.fear_scale,
                self.disorder[k],
                p.safety.disorder_fear,
            );
            safety += (1.0 - f) * (0.7 * self.per_grid as f64 + 0.3 * self.sum_trust_police[k]);
        }
        safety /= n;
        let response = if day.responses > 0 {
            day.response_sum / day.responses as f64
        } else {
            f64::NAN
        };

        let row = &mut self.series[tick * SERIES.len()..(tick + 1) * SERIES.len()];
        let mut put = |s: Series, v: f64| row[s as usize] = v;
        put(Series::Incidents, day.incidents as f64);
        put(Series::Reported, day.reported as f64);
        put(Series::Cleared, day.cleared as f64);
        put(Series::DisputesNew, day.disputes_new as f64);
        put(Series::DisputesResolved, day.resolved as f64);
        put(Series::DisputesEscalated, day.escalated as f64);
        put(Series::MotivatedShare, motivated as f64 / n);
        put(Series::ArrestProbability, arrest);
        put(Series::TrustInPolice, trust_police);
        put(Series::TrustInCommunity, trust_community);
        put(Series::CollaborationTrust, collab);
        put(Series::JointCapacity, joint);
        put(Series::ParticipationRate, contributors);
        put(Series::FreeRiderShare, free_riders);
        put(Series::EnterpriseContributionRate, enterprise_rate);
        put(Series::NgoEngagementRate, ngo_rate);
        put(
            Series::Motivation,
            0.5 * (self.gw_motivation + self.ngo_motivation),
        );
        put(Series::DisorderIndex, disorder);
        put(Series::ResponseTime, response);
        put(Series::OfficerUtilisation, utilisation);

        if !measured {
            return;
        }
        let a = &mut self.accounts;
        a.days += 1;
        a.response_minutes += day.response_sum;
        a.responses += day.responses;
        for (total, b) in a.burden_hours.iter_mut().zip(day.burden) {
            *total += b;
        }
        a.response_hours_used += day.used_hours;
        a.response_hours_available += police.response;
        a.officer_hours += police.on_duty;
        a.incentives += incentives;
        let aux_hours =
            police.officers * p.police.auxiliaries_per_officer * p.police.hours_per_officer_day;
        let gw_hours = p.community.grid_workers_per_grid * p.community.grid_worker_hours * grids;
        a.staff_cost +=
            police.on_duty * p.costs.officer_hour + (aux_hours + gw_hours) * p.costs.auxiliary_hour;
        a.disorder += disorder;
        a.safety += safety;
        a.participation += contributors;
        a.free_riders += free_riders;
        if enterprises > 0 {
            a.enterprise_contribution += enterprise_rate;
            a.enterprise_days += 1;
        }
        if ngos > 0 {
            a.ngo_engagement += ngo_rate;
            a.ngo_days += 1;
        }
        a.trust_police += trust_police;
        a.trust_community += trust_community;
        a.collaboration_trust += collab;
        a.commitment += commitment;
        a.understanding += understanding;
    }
}

/// Community organisations of one kind (enterprises or NGOs), each either
/// contributing (engaged) or not, with its own cost multiplier and grid.
struct Organisations {
    grid: Vec<u32>,
    cost: Vec<f64>,
    on: Vec<bool>,
    /// Engaged organisations per grid, kept in step with `on`.
    on_in_grid: Vec<u32>,
}

impl Organisations {
    fn new(grid: Vec<u32>, cost: Vec<f64>, on: Vec<bool>, grids: usize) -> Self {
        let mut on_in_grid = vec![0u32; grids];
        for (k, &engaged) in on.iter().enumerate() {
            on_in_grid[grid[k] as usize] += u32::from(engaged);
        }
        Organisations {
            grid,
            cost,
            on,
            on_in_grid,
        }
    }

    fn engaged(&self) -> u32 {
        self.on_in_grid.iter().sum()
    }

    /// One day of strategy revision: a share `revision_rate` of organisations revise;
    /// each explores a random strategy with probability `exploration`, or else copies
    /// a random peer's with the Fermi probability on their payoffs
    /// `payoff(engaged, cost multiplier, grid)`.
    fn revise(
        &mut self,
        rng: &mut Xoshiro256PlusPlus,
        q: &crate::model::co_governance::params::Participation,
        payoff: impl Fn(bool, f64, u32) -> f64,
    ) {
        let n = self.on.len();
        let revisions = binomial(n as u64, q.revision_rate, rng);
        for _ in 0..revisions {
            let i = rng.random_range(0..n);
            let old = self.on[i];
            let new = if rng.random::<f64>() < q.exploration {
                rng.random::<bool>()
            } else {
                let j = rng.random_range(0..n);
                let mine = payoff(old, self.cost[i], self.grid[i]);
                let theirs = payoff(self.on[j], self.cost[j], self.grid[j]);
                if rng.random::<f64>() < public_goods::fermi(mine, theirs, q.organisation_noise) {
                    self.on[j]
                } else {
                    old
                }
            };
            if new != old {
                self.on[i] = new;
                let g = self.grid[i] as usize;
                if new {
                    self.on_in_grid[g] += 1;
                } else {
                    self.on_in_grid[g] -= 1;
                }
            }
        }
    }
}

fn burden_group(actor: Actor) -> usize {
    match actor {
        Actor::GridWorker => accounts::GRID_WORKERS,
        Actor::Ngo => accounts::NGOS,
        Actor::Enterprise => accounts::ENTERPRISES,
        Actor::Police => accounts::POLICE,
    }
}

/// The police's time budget for a day.
struct PoliceDay {
    officers: f64,
    on_duty: f64,
    community: f64,
    /// Officers' hours left for response after admin and community work.
    officer_response: f64,
    /// Response capacity: officers' response hours plus auxiliaries' call hours.
    response: f64,
    /// Logistics multiplier on travel and handling.
    logistics: f64,
    /// Officer hours one incident takes.
    handling: f64,
    /// Hours of non-crime service calls today.
    service: f64,
}

/// The day's running counts and shared inputs.
struct Day {
    response_minutes: f64,
    police_available: bool,
    climate: reporting::ReportingClimate,
    joint_bonus: f64,
    /// Quality of a police contact: procedural justice around the force's mean.
    pj: Normal<f64>,
    /// Quality of a contact with an NGO or grid worker.
    community_quality: Normal<f64>,
    /// Response-capacity hours used today (service calls, incidents, mediations).
    used_hours: f64,
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

impl Default for Day {
    fn default() -> Self {
        Day {
            response_minutes: 0.0,
            police_available: false,
            climate: reporting::ReportingClimate {
                base_logit: 0.0,
                trust_weight: 0.0,
            },
            joint_bonus: 0.0,
            pj: Normal::new(0.5, 0.0).expect("finite"),
            community_quality: Normal::new(0.5, 0.0).expect("finite"),
            used_hours: 0.0,
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
                let f = grid
                    .iter()
                    .filter(|&&s| s == Strategy::FreeRide as u8)
                    .count() as u64;
                assert_eq!(self.contributors[k], c, "contributors in grid {k}");
                assert_eq!(self.free_riders[k], f, "free riders in grid {k}");
                assert!(self.motivated[k] as usize <= self.per_grid);
                assert!((0.0..=1.0).contains(&self.disorder[k]));
                let s = self.process[k];
                for x in [s.trust, s.commitment, s.understanding] {
                    assert!((0.0..=1.0).contains(&x));
                }
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
            assert!((0.0..=1.0).contains(&self.gw_motivation));
            assert!((0.0..=1.0).contains(&self.ngo_motivation));
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
