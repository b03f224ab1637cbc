//! The parameter table: every scenario parameter with its default, valid range,
//! plausible range (free parameters), unit, meaning and source. The rules that tie
//! parameters together are in `constraints.rs`.
//!
//! Defaults describe a Tongxiang-like district "as found" by the study (all seven
//! problems present) at the documented levels (docs/model.md, Levels); a source naming
//! "free parameter" is not pinned by any publication and comes with the plausible range
//! worth sweeping.

mod constraints;
mod footprint;

pub use constraints::{BYTES_PER_RESIDENT, MAX_AGENTS};

use crate::schema::define_params;

define_params! {
    /// Every parameter of a co-governance scenario, typed. The loaders build it only
    /// from checked values (`Params::set`, then `Params::validate`), so the model can
    /// rely on the documented ranges.
    pub struct Params;
    /// Every co-governance parameter's definition, in declaration order.
    pub static PARAM_DEFS;

    /// Length of a run and the replication defaults.
    run: Run {
        /// Ticks (days) in the measured window; end-of-run metrics average over it.
        ticks: u32 = 365, range 1 => 100_000, unit "days",
            source "convention: one year, the period of annual crime statistics";
        /// Ticks simulated before measuring, so trust, strategies and near-repeat state
        /// settle from their initial values.
        warmup_ticks: u32 = 365, range 0 => 100_000, unit "days",
            plausible 0 => 1000,
            source "free parameter: a year lets strategies, collaboration trust and near-repeat state settle from their initial values";
        /// Monte Carlo replications `cogov run` performs unless `--replications` says
        /// otherwise.
        replications: u32 = 20, range 1 => 10_000_000, unit "runs",
            source "convention: 20 gives 95% intervals about 0.45 standard deviations wide";
        /// Base seed. Replication i uses a stream derived from (seed, i) only.
        seed: u64 = 20_261_126, range 0 => 9_007_199_254_740_991u64, unit "integer",
            source "convention";
    }

    /// Space: a district of grid cells ("grids" of Chinese grid management) on a
    /// lattice (mechanism 1 of docs/model.md).
    district: District {
        /// Grid columns of the district lattice; a district has at least 3 x 3 grids
        /// (`params::constraints::MIN_SIDE` says why).
        width: u32 = 6, range 1 => 2_000, unit "grids",
            plausible 4 => 8,
            source "free parameter: a Tongxiang urban community is 20 to 60 grids, about 4 x 5 to 8 x 8";
        /// Grid rows of the district lattice.
        height: u32 = 6, range 1 => 2_000, unit "grids",
            plausible 4 => 8,
            source "free parameter: see district.width";
        /// Households in each grid.
        households_per_grid: u32 = 300, range 1 => 100_000, unit "households",
            source "documented level (docs/model.md, Levels): grids of 200 to 500 households";
        /// Mean persons per household; residents per grid = households x this, rounded.
        persons_per_household: f64 = 2.62, range 1.0 => 10.0, unit "persons",
            source "China 2020 census: 2.62 persons per family household";
        /// Spread (log-normal sigma) of the grids' criminal opportunity (markets, bars,
        /// transit): 0 makes all grids alike; larger values concentrate incidents.
        opportunity_heterogeneity: f64 = 0.8, range 0.0 => 3.0, unit "log-sd",
            plausible 0 => 2,
            source "free parameter: heterogeneous opportunity is what concentrates crime (Weisburd 2015)";
        /// Weight of each of the 8 neighbouring grids (Moore neighbourhood, no wrap) in
        /// what a resident sees: guardians and motivated offenders nearby.
        neighbour_weight: f64 = 0.25, range 0.0 => 1.0, unit "weight",
            plausible 0 => 1,
            source "free parameter: Epstein 2002 vision reaches beyond the agent's cell";
    }

    /// Residents: hardship, legitimacy and offending (mechanism 2 of docs/model.md; Epstein 2002, PNAS 99(suppl. 3):7243-7250).
    residents: Residents {
        /// Hardship H is drawn U(0, 1) x this scale (Epstein 2002 draws U(0, 1)).
        hardship_scale: f64 = 1.0, range 0.0 => 1.0, unit "fraction",
            plausible 0.5 => 1,
            source "Epstein 2002, PNAS 99:7243 (H ~ U(0,1)); scale is a free parameter 0.5 to 1";
        /// Perceived legitimacy of the wider system (government, courts), the part of
        /// Epstein's L that local policing does not move.
        system_legitimacy: f64 = 0.6, range 0.0 => 1.0, unit "legitimacy (0-1)",
            plausible 0.4 => 0.9,
            source "free parameter";
        /// Weight of trust in police in perceived legitimacy:
        /// L = (1 - w) system_legitimacy + w trust_in_police.
        legitimacy_trust_weight: f64 = 0.25, range 0.0 => 1.0, unit "weight",
            plausible 0.1 => 0.6,
            source "free parameter: Tyler 2006 (legitimacy rests in part on experience of police)";
        /// Epstein's threshold T: a resident is motivated to offend when G - N > T.
        offending_threshold: f64 = 0.1, range 0.0 => 1.0, unit "grievance units",
            source "Epstein 2002 (T = 0.1)";
        /// Epstein's k in P = (1 - exp(-k guardians / (offenders + 1))) x clearance, with
        /// guardians in officer-equivalents and offenders those expected to offend that
        /// day, both in view. Recalibrated for these units.
        arrest_constant: f64 = 0.3, range 0.0 => 100.0, unit "1/ratio",
            plausible 0.1 => 1,
            source "form from Epstein 2002 (k = 2.3 for per-agent counts); value free parameter 0.1 to 1";
        /// Chance per day that a motivated resident offends, at average opportunity and
        /// no near-repeat boost.
        offence_propensity: f64 = 0.0003, range 0.0 => 1.0, unit "per day",
            plausible 0.0001 => 0.001,
            source "free parameter: calibrated to about 35 incidents per 1,000 residents a year; the plausible range gives, all else at default, about 10 to 290 a year, from quiet residential districts to near the busiest recorded (Westminster, about 430: police.uk and ONS)";
        /// Mean days an offender whose offence is cleared is held (custody, detention,
        /// prison), during which they cannot offend; each term is drawn exponential.
        incapacitation_days: f64 = 30.0, range 0.0 => 3650.0, unit "days",
            plausible 5 => 180,
            source "free parameter: administrative detention runs 1 to 20 days (PRC Public Security Administration Punishments Law 2005, arts. 10 and 16), custodial sentences months to years; incapacitation as in Blumstein, Cohen, Roth and Visher 1986, Criminal Careers and Career Criminals, National Academy Press";
        /// Share of offences against property.
        property_share: f64 = 0.6, range 0.0 => 1.0, unit "share",
            plausible 0.4 => 0.8,
            source "free parameter: property crime dominates recorded crime in Chinese cities";
        /// Share of offences that are violent (against the person).
        violent_share: f64 = 0.15, range 0.0 => 1.0, unit "share",
            plausible 0.05 => 0.3,
            source "free parameter: the rest (1 - property - violent) are public-order offences";
        /// Mean initial trust in police (0 none, 1 full); drawn Beta with
        /// concentration `trust.initial_concentration`.
        initial_trust_police: f64 = 0.75, range 0.0 => 1.0, unit "trust (0-1)",
            plausible 0.5 => 0.8,
            source "free parameter, calibrated (issue 11): each resident's prior, set so that about 95% of residents end with trust of at least 0.5, as the Zhejiang surveys' satisfaction above 95% (docs/model.md, Levels); high trust in police among Chinese citizens: Wu and Sun 2009, Police Quarterly 12(2):170-191";
        /// Mean initial trust in community organisations.
        initial_trust_community: f64 = 0.55, range 0.0 => 1.0, unit "trust (0-1)",
            plausible 0.4 => 0.8,
            source "free parameter";
        /// Problem 1, weak awareness of cooperation: the intrinsic value a resident puts
        /// on contributing, per day, scaled by their trust in community organisations.
        cooperation_awareness: f64 = 2.3, range 0.0 => 20.0, unit "yuan-equivalent per day",
            plausible 0 => 5,
            source "free parameter: warm glow of contributing (Andreoni 1990) as a payoff term";
        /// Share of residents who contribute to public-safety work at the start; also the
        /// chance that each enterprise and NGO starts out contributing or engaged.
        initial_participation: f64 = 0.55, range 0.0 => 1.0, unit "share",
            source "documented level (docs/model.md, Levels): Zhejiang surveys report about 60% participation";
        /// Share of residents who free-ride at the start; the rest stay out (loners).
        initial_free_riders: f64 = 0.3, range 0.0 => 1.0, unit "share",
            plausible 0.1 => 0.4,
            source "free parameter";
    }

    /// Police strength, time use and the remodelled role (Tongxiang mechanism 1;
    /// reform 1).
    police: Police {
        /// Police officers per 10,000 residents.
        officers_per_10k: f64 = 10.0, range 0.0 => 200.0, unit "officers per 10,000 residents",
            source "documented level (docs/model.md, Levels): 9 to 11 per 10,000 in Chinese cities";
        /// Tongxiang mechanism 3 (absorbing community forces): auxiliary police per officer.
        auxiliaries_per_officer: f64 = 2.5, range 0.0 => 20.0, unit "auxiliaries per officer",
            source "documented level (docs/model.md, Levels): about 2.5 auxiliaries per officer";
        /// Share of auxiliaries' hours spent answering calls alongside officers (second
        /// crew member, minor calls); it adds to response capacity, hour for hour.
        auxiliary_response_share: f64 = 0.25, range 0.0 => 1.0, unit "share of hours",
            plausible 0 => 0.5,
            source "free parameter: Chinese auxiliaries assist in call response but cannot enforce alone";
        /// On-duty hours per officer (and per auxiliary) per calendar day.
        hours_per_officer_day: f64 = 6.0, range 0.0 => 24.0, unit "hours per day",
            plausible 5 => 9,
            source "free parameter: 8-hour shifts, 5 to 6 days a week, plus overtime";
        /// Share of officer time spent as organiser and facilitator in the community
        /// (visits, meetings): the remodelled role. It drives police contacts, the
        /// collaborative process and presence.
        community_role_share: f64 = 0.15, range 0.0 => 0.9, unit "share of hours",
            plausible 0.05 => 0.5,
            source "free parameter: Tongxiang remodelled the role from enforcer to organiser";
        /// Mean procedural-justice quality of a police contact (voice, neutrality,
        /// respect, trustworthy motives).
        procedural_justice: f64 = 0.7, range 0.0 => 1.0, unit "quality (0-1)",
            plausible 0.3 => 0.9,
            source "Tyler 2006; Mazerolle et al. 2013 (contacts of higher quality raise trust); level free 0.3 to 0.9";
        /// Problem 4, inefficient policing mechanism: share of officer time lost to
        /// paperwork, meetings upward and duplicate reporting.
        admin_burden_share: f64 = 0.35, range 0.0 => 0.9, unit "share of hours",
            plausible 0.1 => 0.5,
            source "free parameter: Chinese front-line officers report heavy administrative load; English officers spent 43% of their shift in the station (PA Consulting Group 2001, Diary of a Police Officer, Home Office Police Research Series 149)";
        /// Community-work hours a single resident contact takes.
        hours_per_contact: f64 = 0.5, range 0.01 => 24.0, unit "hours",
            plausible 0.25 => 2,
            source "free parameter";
    }

    /// Dispatch, response and clearance (mechanism 9 of docs/model.md; problem 4; reform 4).
    operations: Operations {
        /// Call-handling and dispatch delay before an officer is assigned, with no IT.
        dispatch_minutes: f64 = 5.0, range 0.0 => 600.0, unit "minutes",
            plausible 3 => 20,
            source "free parameter";
        /// Share of the dispatch delay that integrated IT dispatch removes at
        /// `it.level` = 1 (problem 4 when low).
        dispatch_it_gain: f64 = 0.3, range 0.0 => 1.0, unit "share",
            plausible 0 => 0.8,
            source "free parameter";
        /// Travel time to a call in the unit's own grid (to the car, through the
        /// grid, to the door) with full logistics; each grid further adds
        /// `operations.grid_crossing_minutes`.
        travel_minutes: f64 = 4.0, range 0.0 => 600.0, unit "minutes",
            plausible 5 => 20,
            source "free parameter";
        /// Mean officer hours a call takes at the scene and after (report, evidence);
        /// each call's time is drawn log-normal around it.
        handling_hours: f64 = 1.5, range 0.01 => 100.0, unit "hours",
            plausible 1 => 5,
            source "free parameter";
        // --- Officers as agents (issue 10, item 1): travel between grids and the
        // spread of handling times.
        /// Travel minutes per grid of Manhattan distance between a unit's grid and the
        /// call's, with full logistics.
        grid_crossing_minutes: f64 = 1.0, range 0.0 => 600.0, unit "minutes per grid",
            plausible 0.5 => 3,
            source "free parameter: a grid of about 800 residents at urban densities of 10,000 to 20,000 per km2 is 200 to 300 m across, about a minute at urban response speeds; travel time grows with Manhattan distance (Larson and Odoni 1981, Urban Operations Research)";
        /// Coefficient of variation (sd over mean) of a call's handling time, drawn
        /// log-normal.
        handling_cv: f64 = 1.0, range 0.0 => 10.0, unit "ratio",
            plausible 0.5 => 1.5,
            source "free parameter: time spent on calls is strongly right-skewed (Larson and Odoni 1981, ch. 5, log-normal service times)";
        // --- end of the officers' block.
        /// Base clearance probability of a property offence at the reference response
        /// time.
        clearance_property: f64 = 0.25, range 0.0 => 1.0, unit "probability",
            plausible 0.1 => 0.4,
            source "free parameter: property clearance is low everywhere";
        /// Base clearance probability of a violent offence at the reference response time.
        clearance_violent: f64 = 0.6, range 0.0 => 1.0, unit "probability",
            plausible 0.4 => 0.9,
            source "free parameter";
        /// Base clearance probability of a public-order incident at the reference
        /// response time.
        clearance_public_order: f64 = 0.5, range 0.0 => 1.0, unit "probability",
            plausible 0.3 => 0.8,
            source "free parameter";
        /// Response time at which the base clearance probabilities hold.
        reference_response_minutes: f64 = 25.0, range 1.0 => 600.0, unit "minutes",
            plausible 10 => 30,
            source "free parameter";
        /// Fall in clearance probability per unit rise in ln(response time): 0.493 makes
        /// a 10% slower response cost 4.7 percentage points.
        clearance_response_slope: f64 = 0.493, range 0.0 => 5.0, unit "probability per ln(minutes)",
            source "Blanes i Vidal and Kirchmaier 2018, Rev Econ Stud 85:855 (10% slower, 4.7 pp lower clearance)";
        /// Share of a base clearance probability that no delay removes: clearance by
        /// later investigation, the floor under the response-time effect.
        clearance_floor_share: f64 = 0.5, range 0.0 => 1.0, unit "share of base clearance",
            plausible 0.3 => 0.8,
            source "free parameter: Spelman and Brown 1984, Calling the Police, PERF (few clearances depend on the response); Blanes i Vidal and Kirchmaier 2018 (the response effect runs through on-scene arrests and named suspects)";
        /// Officer hours per day per 1,000 residents spent on non-crime calls (110
        /// service calls, traffic, assistance), before the logistics multiplier.
        service_hours_per_1000: f64 = 0.5, range 0.0 => 1_000.0, unit "officer hours per 1,000 residents per day",
            plausible 0.2 => 2,
            source "free parameter: most 110 calls are not crimes";
        /// Chance per unit of weighted guardianship in a grid that an unreported offence
        /// comes to police notice anyway (patrol, cameras).
        detection_per_guardian: f64 = 0.05, range 0.0 => 1.0, unit "probability per guardian",
            plausible 0.01 => 0.2,
            source "free parameter";
    }

    /// Police logistics: vehicles, equipment, budget (problem 5; reform 5).
    logistics: Logistics {
        /// Logistics level (0 none, 1 fully equipped).
        level: f64 = 0.4, range 0.0 => 1.0, unit "level (0-1)",
            plausible 0.2 => 1,
            source "free parameter: the study found weak police logistics";
        /// Relative slowdown of travel and handling at logistics 0: times are multiplied
        /// by 1 + penalty x (1 - level).
        penalty: f64 = 1.0, range 0.0 => 10.0, unit "factor",
            plausible 0.5 => 2,
            source "free parameter";
    }

    /// Information technology (Tongxiang mechanism 2): cameras, app reporting,
    /// integrated dispatch, information sharing.
    it: InformationTechnology {
        /// IT level (0 none, 1 fully integrated platform).
        level: f64 = 0.6, range 0.0 => 1.0, unit "level (0-1)",
            plausible 0.3 => 1,
            source "free parameter: Tongxiang invested in cameras and platforms";
        /// Cameras per grid at IT level 1.
        cameras_per_grid: f64 = 20.0, range 0.0 => 10_000.0, unit "cameras",
            plausible 5 => 100,
            source "free parameter";
        /// Share of the reporting cost that app and online reporting remove at IT level 1.
        reporting_cost_gain: f64 = 0.4, range 0.0 => 1.0, unit "share",
            plausible 0 => 0.8,
            source "free parameter";
    }

    /// Guardianship weights of each kind of guardian, relative to an officer on
    /// patrol (mechanism 2 of docs/model.md).
    guardians: Guardians {
        /// Weight of an auxiliary police officer on duty.
        auxiliary_weight: f64 = 0.6, range 0.0 => 10.0, unit "officer-equivalents",
            plausible 0.3 => 1,
            source "free parameter";
        /// Weight of a grid worker at work.
        grid_worker_weight: f64 = 0.4, range 0.0 => 10.0, unit "officer-equivalents",
            plausible 0.2 => 0.8,
            source "free parameter";
        /// Weight of a volunteer on patrol.
        volunteer_weight: f64 = 0.2, range 0.0 => 10.0, unit "officer-equivalents",
            plausible 0.1 => 0.5,
            source "free parameter";
        /// Weight of an enterprise security guard on duty.
        enterprise_security_weight: f64 = 0.5, range 0.0 => 10.0, unit "officer-equivalents",
            plausible 0.2 => 0.8,
            source "free parameter";
        /// Share of officers' and auxiliaries' patrol presence sent to grids in
        /// proportion to their recently observed incident rates (hot-spot policing); the
        /// rest is spread evenly.
        hot_spot_share: f64 = 0.3, range 0.0 => 1.0, unit "share",
            plausible 0 => 0.8,
            source "free parameter: Sherman and Weisburd 1995, Justice Q 12:625; Braga, Papachristos and Hureau 2014, Justice Q 31:633 (hot-spot patrols cut crime there without displacing it)";
        /// Weight of one working camera.
        camera_weight: f64 = 0.03, range 0.0 => 10.0, unit "officer-equivalents",
            plausible 0.01 => 0.1,
            source "free parameter: Welsh and Farrington 2009 find modest CCTV effects";
    }

    /// Absorbed community forces (Tongxiang mechanism 3).
    community: Community {
        /// Full-time grid workers per grid.
        grid_workers_per_grid: f64 = 1.0, range 0.0 => 100.0, unit "workers per grid",
            plausible 0.5 => 3,
            source "free parameter: grid management assigns about one worker per grid";
        /// Hours a grid worker is on the street per day.
        grid_worker_hours: f64 = 8.0, range 0.0 => 24.0, unit "hours per day",
            source "convention: a working day";
        /// Share of contributing residents who also patrol as volunteers.
        volunteer_share: f64 = 0.017, range 0.0 => 1.0, unit "share of contributors",
            source "documented level (docs/model.md, Levels): volunteers about 1% of residents (0.017 x 60% participation)";
        /// Hours a volunteer patrols per day.
        volunteer_hours: f64 = 2.0, range 0.0 => 24.0, unit "hours per day",
            plausible 1 => 4,
            source "free parameter";
        /// Community organisations and NGOs per grid (fractions spread over the grids).
        ngos_per_grid: f64 = 0.5, range 0.0 => 100.0, unit "organisations per grid",
            plausible 0.2 => 2,
            source "free parameter";
        /// Community enterprises per grid (shops, property managers, factories).
        enterprises_per_grid: f64 = 4.0, range 0.0 => 1_000.0, unit "enterprises per grid",
            plausible 1 => 20,
            source "free parameter";
        /// Security staff a contributing enterprise puts on duty around the clock.
        security_staff_per_enterprise: f64 = 0.5, range 0.0 => 100.0, unit "guards on duty",
            plausible 0.2 => 2,
            source "free parameter";
        // Responsibility actors as agents (world/actors.rs; issue 10 item 2).
        /// Residents who witness a call (a public-order incident or a dispute) in their
        /// grid, per 1,000 residents of the grid: the number present is Poisson with
        /// this mean times the grid's residents / 1,000.
        witnesses_per_1000: f64 = 2.0, range 0.0 => 1_000.0, unit "witnesses per 1,000 residents",
            plausible 0.5 => 12,
            source "free parameter: CCTV studies of public conflicts in city centres count several to about 9 bystanders per incident (Philpot et al. 2020, Am Psychol 75:66; Liebst et al. 2019, Aggress Behav 45:598), about 12 per 1,000 residents of a grid; a residential grid sees fewer";
        /// Hours a day an engaged NGO can give to calls (mediations, clean-ups).
        ngo_call_hours: f64 = 4.0, range 0.0 => 24.0, unit "hours per day",
            plausible 1 => 8,
            source "free parameter: a small community organisation with one or two part-time staff";
        /// Hours a day the security staff of a contributing enterprise can leave the
        /// premises for calls in the grid.
        security_call_hours: f64 = 2.0, range 0.0 => 24.0, unit "hours per day",
            plausible 1 => 4,
            source "free parameter: guards' first duty is their own premises; at 2 hours a guard can take one mediation (disputes.mediation_hours) a day";
    }

    /// Who answers for an incident (mechanism 5 of docs/model.md, volunteer's dilemma; problem 2;
    /// reform 2).
    liability: Liability {
        /// Problem 2: probability that an incident or dispute has one named responsible
        /// actor (the grid's grid worker, or the police post where no grid worker has
        /// time). Otherwise every actor present faces a volunteer's dilemma.
        clarity: f64 = 0.3, range 0.0 => 1.0, unit "probability",
            plausible 0 => 1,
            source "Darley and Latane 1968; Diekmann 1985; level free 0 to 1";
        /// Cost of acting over the benefit of the incident being handled, c/b, for a
        /// fully motivated actor. Motivation m scales the benefit: c/(b m).
        cost_benefit_ratio: f64 = 0.2, range 0.001 => 10.0, unit "ratio",
            plausible 0.1 => 0.9,
            source "Diekmann 1985 (equilibrium p = 1 - (c/b)^(1/(n-1))); level free 0.1 to 0.9";
        // Responsibility actors as agents (world/actors.rs; issue 10 item 2).
        /// Cost of intervening over its benefit, c/b, for a resident who witnesses a
        /// call or is on volunteer patrol (a lay bystander), at full motivation; a
        /// resident's motivation is its trust in community organisations.
        bystander_cost_benefit_ratio: f64 = 0.085, range 0.001 => 10.0, unit "ratio",
            source "calibrated: with liability.lone_act_probability 0.85 and residents' default trust it gives 85% acting alone and 31% with 4 others present (Darley and Latane 1968, J Pers Soc Psychol 8:377; test lay_bystanders_reproduce_darley_and_latane_1968)";
        /// Chance that a lone actor for whom acting pays notices an unassigned call and
        /// acts in time; it scales every actor's volunteer's-dilemma probability under
        /// unclear liability (a named actor is called, so it needs no noticing).
        lone_act_probability: f64 = 0.85, range 0.0 => 1.0, unit "probability",
            source "Darley and Latane 1968, J Pers Soc Psychol 8:377 (85% of lone subjects helped before the end of the seizure); Latane and Nida 1981, Psychol Bull 89:308 (about 75% alone across studies)";
    }

    /// Rights matched to responsibilities (mechanism 6 of docs/model.md; problem 3; reform 3).
    rights: Rights {
        /// Problem 3: share of assigned responsibilities that come with the authority and
        /// resources to act on them.
        authority_match: f64 = 0.4, range 0.0 => 1.0, unit "share",
            plausible 0 => 1,
            source "free parameter: the study found rights and responsibilities confused";
        /// Success of an action taken without matching authority, relative to one with it.
        unmatched_success_factor: f64 = 0.4, range 0.0 => 1.0, unit "factor",
            plausible 0.2 => 0.8,
            source "free parameter";
        /// How fast an actor's motivation moves toward its own recent success rate.
        motivation_rate: f64 = 0.02, range 0.0 => 1.0, unit "per attempt",
            plausible 0.005 => 0.1,
            source "free parameter";
        /// Initial motivation of every grid worker, NGO, enterprise's security staff and
        /// police post.
        initial_motivation: f64 = 0.7, range 0.0 => 1.0, unit "level (0-1)",
            plausible 0.5 => 0.9,
            source "free parameter";
    }

    /// Participation as an optional public-goods game with rewards and fines
    /// (mechanism 7 of docs/model.md; Tongxiang mechanism 4).
    participation: Participation {
        /// Daily cost of contributing to public-safety work (time, effort), with no
        /// participation channel.
        contribution_cost: f64 = 5.5, range 0.0 => 1_000.0, unit "yuan-equivalent per day",
            plausible 2 => 10,
            source "free parameter: calibrated (issue 11) so that about 60% of residents contribute, as Zhejiang surveys report, with the warm glow and reward at their defaults and a group of 5 returning r c / 5 of each contribution to its contributor";
        /// Public-goods multiplier r: the value contributions create for participants.
        multiplier: f64 = 3.0, range 0.0 => 100.0, unit "factor",
            source "Sigmund et al. 2010, Nature 466:861 (optional public goods game, r = 3)";
        /// Payoff of staying out (loner), sigma.
        loner_payoff: f64 = 1.0, range 0.0 => 1_000.0, unit "yuan-equivalent per day",
            source "Sigmund et al. 2010 (loner payoff sigma between 0 and r - 1)";
        /// Fermi-rule noise kappa: imitation probability 1/(1 + exp(-(pi_peer - pi_self)/kappa)).
        imitation_noise: f64 = 1.5, range 0.001 => 1_000.0, unit "yuan-equivalent",
            plausible 0.5 => 3,
            source "Szabo and Toke 1998; Sigmund et al. 2010 (Fermi rule); level free 0.5 to 3, set so participation sits near the 60% Zhejiang surveys report";
        /// Share of residents, enterprises and NGOs who revise their strategy per day.
        revision_rate: f64 = 0.02, range 0.0 => 1.0, unit "per day",
            plausible 0.005 => 0.1,
            source "free parameter";
        /// Chance that a revision picks a random strategy instead of imitating.
        exploration: f64 = 0.02, range 0.0 => 1.0, unit "probability",
            plausible 0 => 0.05,
            source "free parameter: mutation keeps every strategy present (Sigmund et al. 2010)";
        /// Daily cost of providing security for an enterprise that contributes.
        enterprise_cost: f64 = 60.0, range 0.0 => 100_000.0, unit "yuan per day",
            plausible 20 => 200,
            source "free parameter";
        /// Chance per day that each enterprise is inspected for its security duty
        /// (drawn as events); a free rider found is fined `incentives.enterprise_fine`
        /// when liability is clear (probability `liability.clarity`).
        inspection_probability: f64 = 0.02, range 0.0 => 1.0, unit "per day",
            plausible 0 => 0.1,
            source "free parameter";
        /// Log-sd of each enterprise's and NGO's own cost multiplier (log-normal, mean 1):
        /// organisations differ, so imitation settles on a mix rather than all or none.
        cost_heterogeneity: f64 = 0.5, range 0.0 => 3.0, unit "log-sd",
            plausible 0.2 => 1,
            source "free parameter";
        /// Daily value to an enterprise of its own premises being guarded (losses
        /// avoided), which a free rider does not get.
        enterprise_private_benefit: f64 = 40.0, range 0.0 => 100_000.0, unit "yuan per day",
            plausible 0 => 100,
            source "free parameter";
        /// Fermi-rule noise for enterprises and NGOs, whose payoffs are in yuan per day.
        organisation_noise: f64 = 10.0, range 0.001 => 100_000.0, unit "yuan per day",
            plausible 2 => 50,
            source "free parameter";
        /// Daily operating cost of an engaged NGO.
        ngo_cost: f64 = 50.0, range 0.0 => 100_000.0, unit "yuan per day",
            plausible 20 => 200,
            source "free parameter";
        /// Value an engaged NGO draws from a working partnership, per day, times the
        /// grid's collaboration trust.
        ngo_partnership_value: f64 = 70.0, range 0.0 => 100_000.0, unit "yuan-equivalent per day",
            plausible 0 => 200,
            source "free parameter";
        // --- Punishment and heterogeneity (issue 11, item 2; rules::public_goods) ---
        /// Whether residents can be peer punishers (Sigmund's V): contribute, and pay
        /// `peer_cost` to fine `peer_fine` each free rider met.
        peer_punishment: bool = true, range 0 => 1, unit "switch",
            source "Fehr and Gachter 2000, Am Econ Rev 90:980; Sigmund et al. 2010, Nature 466:861 (peer punishment)";
        /// Whether residents can be pool punishers (Sigmund's W): contribute, and pay
        /// `pool_fee` a day into a punishment pool that pays for inspections of the grid.
        pool_punishment: bool = true, range 0 => 1, unit "switch",
            source "Sigmund et al. 2010, Nature 466:861 (pool punishment)";
        /// Second-order punishment: plain contributors, who pay for no sanction, are
        /// fined too, by the pool's inspections whenever inspected and by peer punishers
        /// when a free rider in the group exposes them (off: only free riders are fined).
        second_order_punishment: bool = false, range 0 => 1, unit "switch",
            source "Sigmund et al. 2010, Nature 466:861 (second-order punishment stabilises pool punishment); off as found: no rule of the Tongxiang study fines residents for not paying into a joint fund";
        /// Residents a resident meets in its grid's game a day, itself included
        /// (Sigmund's sample N): the co-players a peer punisher can fine.
        group_size: u32 = 5, range 2 => 1_000, unit "residents",
            plausible 3 => 10,
            source "Sigmund et al. 2010 (N = 5); level free 3 to 10";
        /// beta: fine a peer punisher imposes on each free rider it meets (reproach,
        /// loss of face, exclusion), per day.
        peer_fine: f64 = 0.5, range 0.0 => 1_000.0, unit "yuan-equivalent per day",
            plausible 0 => 2,
            source "Sigmund et al. 2010 (beta = 0.7 c); free parameter 0 to 2 (c = contribution_cost is 2)";
        /// gamma: what fining one free rider costs a peer punisher, per day.
        peer_cost: f64 = 0.3, range 0.0 => 1_000.0, unit "yuan-equivalent per day",
            plausible 0 => 1,
            source "Sigmund et al. 2010 (gamma = 0.7 c, less than beta); Fehr and Gachter 2000 (1 token cost per 3 fined); free parameter 0 to 1";
        /// G: what a pool punisher pays into its grid's punishment pool a day.
        pool_fee: f64 = 0.2, range 0.0 => 1_000.0, unit "yuan per day",
            plausible 0 => 1,
            source "Sigmund et al. 2010 (G = 0.7 c); free parameter 0 to 1";
        /// Fine on a resident an inspection finds in breach (a free rider; with
        /// second-order punishment also a plain contributor), levied with probability
        /// `liability.clarity`.
        pool_fine: f64 = 200.0, range 0.0 => 1_000_000.0, unit "yuan",
            plausible 0 => 500,
            source "free parameter: PRC Public Security Administration Punishments Law 2005 fines for minor breaches run up to 200 to 500 yuan";
        /// Cost of one inspection (an auxiliary's or grid worker's visit with its
        /// paperwork): turns the pool's fees into inspections, and prices the authority's
        /// inspections of enterprises in the cost accounts.
        inspection_cost: f64 = 60.0, range 0.0 => 100_000.0, unit "yuan per inspection",
            plausible 20 => 200,
            source "free parameter: about two hours of an auxiliary (costs.auxiliary_hour 30 yuan)";
        /// Hours one inspection takes, counted in the inspection hours metric.
        inspection_hours: f64 = 2.0, range 0.0 => 24.0, unit "hours per inspection",
            plausible 0.5 => 4,
            source "free parameter";
        /// Log-sd of each resident's own multiplier of the contribution cost
        /// (log-normal, mean 1, drawn once): residents differ in time and effort.
        resident_cost_heterogeneity: f64 = 0.6, range 0.0 => 3.0, unit "log-sd",
            plausible 0.3 => 1,
            source "free parameter: heterogeneous costs make participation respond to incentives gradually (issue 11)";
        /// Log-sd of each resident's own warm glow of giving (log-normal, mean
        /// `residents.cooperation_awareness`, drawn once).
        warm_glow_heterogeneity: f64 = 0.6, range 0.0 => 3.0, unit "log-sd",
            plausible 0.3 => 1,
            source "Andreoni 1990, Econ J 100:464 (warm glow differs between givers); level free 0.3 to 1";
    }

    /// Policies and institutions that encourage taking part (Tongxiang mechanism 4;
    /// problem 7 when low).
    incentives: Incentives {
        /// Reward per contributing resident per day (points, vouchers).
        contribution_reward: f64 = 0.2, range 0.0 => 1_000.0, unit "yuan per day",
            plausible 0 => 3,
            source "free parameter";
        /// Subsidy per contributing enterprise per day.
        enterprise_subsidy: f64 = 10.0, range 0.0 => 100_000.0, unit "yuan per day",
            plausible 0 => 100,
            source "free parameter";
        /// Fine on a free-riding enterprise when inspected and liable.
        enterprise_fine: f64 = 500.0, range 0.0 => 10_000_000.0, unit "yuan",
            plausible 0 => 5000,
            source "free parameter";
        /// Funding per engaged NGO per day.
        ngo_funding: f64 = 20.0, range 0.0 => 100_000.0, unit "yuan per day",
            plausible 0 => 150,
            source "free parameter";
        /// Reward per report of an incident.
        report_reward: f64 = 0.0, range 0.0 => 100_000.0, unit "yuan per report",
            plausible 0 => 200,
            source "free parameter";
    }

    /// Participation channels (problem 6): hotline, app, WeChat groups, meetings,
    /// mailboxes.
    channels: Channels {
        /// Number of working channels for reporting and taking part. Access is
        /// 1 - exp(-count / 2): the first channels matter most.
        count: u32 = 2, range 0 => 50, unit "channels",
            plausible 0 => 8,
            source "free parameter: the study found too few channels";
        /// Share of the contribution cost that full channel access removes.
        participation_cost_gain: f64 = 0.5, range 0.0 => 1.0, unit "share",
            plausible 0 => 0.8,
            source "free parameter";
        /// Share of the reporting cost that full channel access removes.
        reporting_cost_gain: f64 = 0.5, range 0.0 => 1.0, unit "share",
            plausible 0 => 0.8,
            source "free parameter";
    }

    /// Reporting as co-production (mechanism 4 of docs/model.md): logit p = intercept
    /// + trust_weight (trust - 0.5) + efficacy_weight (clearance - 0.5)
    /// - cost_weight cost + reward_weight ln(1 + reward).
    reporting: Reporting {
        /// Log-odds of reporting for a resident of middling trust, at middling clearance
        /// and no cost.
        intercept: f64 = -0.2, range -20.0 => 20.0, unit "log-odds",
            plausible -1 => 1,
            source "free parameter, calibrated (issue 11) to about 42% of incidents reported, inside 30-50% (US NCVS 2021: 46% of violent victimisations, property crime less often; Thompson and Tapp 2022, Criminal Victimization 2021, BJS NCJ 305101)";
        /// Effect of the reporter's trust in police.
        trust_weight: f64 = 2.0, range 0.0 => 20.0, unit "log-odds per trust unit",
            plausible 0.5 => 4,
            source "Tyler and Fagan 2008 (trust predicts cooperation); size free 0.5 to 4";
        /// Effect of expected efficacy (perceived clearance rate).
        efficacy_weight: f64 = 1.0, range 0.0 => 20.0, unit "log-odds per unit",
            plausible 0 => 3,
            source "free parameter";
        /// Effect of the cost of reporting (0 to 1 before channels and IT lower it).
        cost_weight: f64 = 1.5, range 0.0 => 20.0, unit "log-odds per cost unit",
            plausible 0.5 => 3,
            source "free parameter";
        /// Cost of reporting with no channel and no IT (0 free, 1 prohibitive).
        base_cost: f64 = 0.8, range 0.0 => 1.0, unit "cost (0-1)",
            plausible 0.3 => 1,
            source "free parameter";
        /// Effect of a reward, per unit of ln(1 + reward in yuan).
        reward_weight: f64 = 0.3, range 0.0 => 20.0, unit "log-odds per ln(yuan)",
            plausible 0 => 1,
            source "free parameter";
    }

    /// Trust and legitimacy (mechanism 3 of docs/model.md; Tyler 1990; Mazerolle et al. 2013).
    trust: Trust {
        /// Share of the gap between trust and a contact's quality closed per contact.
        contact_rate: f64 = 0.15, range 0.0 => 1.0, unit "per contact",
            plausible 0.05 => 0.3,
            source "free parameter: Mazerolle et al. 2013, Campbell Syst Rev 9:1";
        /// Weight of the outcome (case cleared or not) in a contact's quality, against
        /// procedural justice.
        outcome_weight: f64 = 0.3, range 0.0 => 1.0, unit "weight",
            plausible 0.1 => 0.5,
            source "Tyler 2006 (process outweighs outcome); level free 0.1 to 0.5";
        /// Spread (sd) of a contact's quality around its mean, for police and community
        /// contacts alike.
        quality_sd: f64 = 0.15, range 0.0 => 1.0, unit "quality units",
            plausible 0.05 => 0.3,
            source "free parameter";
        /// Daily drift of trust in police toward trust in community organisations
        /// (spillover), a secondary channel beside contacts (issue 11 item 1).
        community_spillover: f64 = 0.0005, range 0.0 => 1.0, unit "per day",
            plausible 0 => 0.002,
            source "free parameter: the Tongxiang study (docs/model.md) describes trust in community organisations spilling over to police; no publication gives a rate. 0.0005 a day (0.18 a year) keeps it below the contacts' pull (about 0.25 a year at baseline) as a secondary channel; the range runs from none to as strong as the contacts";
        /// Daily drift of trust in community organisations toward the grid's
        /// collaboration trust.
        collaboration_spillover: f64 = 0.005, range 0.0 => 1.0, unit "per day",
            plausible 0 => 0.02,
            source "free parameter";
        /// Mean quality of a contact with an NGO or grid worker (mediation, activities);
        /// each contact's quality is drawn around it with sd `trust.quality_sd`.
        community_contact_quality: f64 = 0.7, range 0.0 => 1.0, unit "quality (0-1)",
            plausible 0.4 => 0.9,
            source "free parameter";
        /// Concentration of the Beta distribution of initial trust.
        initial_concentration: f64 = 10.0, range 0.1 => 10_000.0, unit "alpha + beta",
            plausible 2 => 50,
            source "free parameter";
        // --- Trust through contacts (issue 11, item 1): officers' styles, patrol
        // stops, second-hand experience, asymmetry, priors and susceptibility.
        /// Spread (sd) between officers (and auxiliaries) of their own procedural-justice
        /// style, drawn once per unit around `police.procedural_justice`; each contact's
        /// quality is then drawn around its officer's style with sd `trust.quality_sd`.
        officer_style_sd: f64 = 0.1, range 0.0 => 1.0, unit "quality units",
            plausible 0 => 0.2,
            source "free parameter: observed procedural justice in action varies between officers and encounters (Worden and McLean 2017, Mirage of Police Reform, University of California Press: video-coded Schenectady encounters); size free 0 to 0.2";
        /// Residents an officer on patrol stops or talks to per patrol hour (on duty,
        /// outside administration, community work and calls), in the grid it is posted
        /// to; each is a police-initiated contact.
        stops_per_patrol_hour: f64 = 0.11, range 0.0 => 100.0, unit "contacts per patrol hour",
            plausible 0.05 => 0.5,
            source "calibrated: gives about 0.10 patrol stops per resident a year at baseline (stop_contacts_per_resident), the level of the US Police-Public Contact Survey (Davis, Whyde and Langton 2018, Contacts Between Police and the Public 2015, BJS NCJ 251145: 10.8% of residents 16+ had a police-initiated contact in 2015, 21% any contact); a level to start from, not a Chinese figure: level free 0.05 to 0.5";
        /// Residents of the same grid (household members, neighbours) who hear of each
        /// police contact: second-hand (vicarious) experience; the count is this mean,
        /// stochastically rounded.
        vicarious_listeners: f64 = 2.0, range 0.0 => 50.0, unit "residents per contact",
            plausible 0 => 5,
            source "free parameter: 1.6 other household members at 2.62 persons per household (China 2020 census) plus a neighbour; Rosenbaum, Schuck, Costello, Hawkins and Ring 2005, Police Quarterly 8(3):343-365 (vicarious experience changes attitudes toward the police)";
        /// A listener's learning rate from a second-hand contact, as a share of the
        /// direct `trust.contact_rate`.
        vicarious_weight: f64 = 0.5, range 0.0 => 1.0, unit "share of contact_rate",
            plausible 0.25 => 1,
            source "free parameter: Rosenbaum et al. 2005, Police Quarterly 8(3):343-365 find vicarious experience moves attitudes (direct contact in a year did not, significantly); taken smaller per listener than direct experience, 0.25 to 1";
        /// How much more a contact worse than the resident's trust moves it than one
        /// better (multiplier on the learning rate for bad experiences).
        negative_weight: f64 = 2.0, range 1.0 => 20.0, unit "ratio",
            plausible 1 => 4,
            source "Skogan 2006, Policing and Society 16(2):99-126 (a bad experience moves confidence 4 to 14 times as much as a good one, whose effect was not distinguishable from zero); the model's qualities are continuous, so its default 2 is below that range, free 1 to 4";
        /// Daily pull of a resident's trust in police back toward their own prior
        /// (disposition, drawn at setup as their initial trust).
        prior_pull: f64 = 0.001, range 0.0 => 0.5, unit "per day",
            plausible 0.0002 => 0.005,
            source "free parameter: initial attitudes shape how later experiences are judged and resist change (Rosenbaum et al. 2005, Police Quarterly 8(3):343-365); 0.001 a day is a time constant of 2.7 years";
        /// Spread (log-normal sigma) between residents of their susceptibility, the
        /// multiplier (mean 1) on the learning rate of each contact they have or hear of.
        susceptibility_sd: f64 = 0.5, range 0.0 => 3.0, unit "log-sd",
            plausible 0 => 1,
            source "free parameter: the same encounter moves some people's views more than others' (Rosenbaum et al. 2005; Skogan 2006)";
        // --- end of the contacts' block.
    }

    /// The collaborative process (mechanism 8 of docs/model.md; Ansell and Gash 2008; Emerson,
    /// Nabatchi and Balogh 2012).
    collaboration: Collaboration {
        /// Joint meetings (police, grid workers, NGOs, enterprises, residents) per grid per
        /// month; each grid meets on a day with probability min(1, this / 30), and who
        /// attends is decided agent by agent.
        meetings_per_month: f64 = 1.0, range 0.0 => 31.0, unit "meetings per month",
            plausible 0 => 8,
            source "free parameter";
        /// Share of the gap to full trust in the partnership that a partner group at the
        /// table closes at a meeting of full quality and weight (every group present,
        /// full channels and police facilitation, a long gap since the last meeting).
        meeting_gain: f64 = 1.0, range 0.0 => 1.0, unit "per meeting",
            plausible 0.2 => 1,
            source "free parameter: Ansell and Gash 2008 (face-to-face dialogue builds trust); size free";
        /// Speed at which commitment follows collaboration trust.
        commitment_rate: f64 = 0.02, range 0.0 => 1.0, unit "per day",
            plausible 0.005 => 0.05,
            source "free parameter";
        /// Share of the gap between shared understanding and collaboration trust closed
        /// at a meeting of full quality and weight.
        understanding_gain: f64 = 0.5, range 0.0 => 1.0, unit "per meeting",
            plausible 0.1 => 1,
            source "free parameter: Ansell and Gash 2008 (understanding grows in dialogue among partners who trust each other); size free";
        /// Mean residents invited to a meeting (Poisson); an invited resident comes if it
        /// contributes, with its trust in community organisations.
        residents_invited: f64 = 10.0, range 0.0 => 1_000.0, unit "residents per meeting",
            plausible 0 => 30,
            source "free parameter: a residents' council or building heads at a grid meeting";
        /// Rise in every partner group's trust per joint success (small win).
        win_gain: f64 = 0.02, range 0.0 => 1.0, unit "trust units per win",
            plausible 0.005 => 0.05,
            source "Ansell and Gash 2008 (small wins); size free 0.005 to 0.05";
        /// Fall in every partner group's trust per failed joint action.
        failure_loss: f64 = 0.03, range 0.0 => 1.0, unit "trust units per failure",
            plausible 0.005 => 0.05,
            source "free parameter";
        /// Daily erosion of each partner group's trust and of shared understanding
        /// without dialogue.
        decay: f64 = 0.003, range 0.0 => 1.0, unit "per day",
            plausible 0 => 0.01,
            source "free parameter";
        /// Initial trust of every partner group, commitment and shared understanding.
        initial_level: f64 = 0.3, range 0.0 => 1.0, unit "level (0-1)",
            plausible 0.1 => 0.6,
            source "free parameter";
        /// Hours each attendee (grid worker, NGO, enterprise representative, resident)
        /// spends per meeting; an officer's come out of its community work that day.
        meeting_hours: f64 = 2.0, range 0.0 => 24.0, unit "hours per attendee per meeting",
            source "convention: a two-hour meeting";
        /// Added clearance and mediation success when police and community act jointly
        /// (times 0.5 + 0.5 `it.level`: IT shares the information joint action needs).
        joint_bonus: f64 = 0.15, range 0.0 => 1.0, unit "probability",
            plausible 0 => 0.3,
            source "free parameter";
    }

    /// Neighbourhood disputes and the Fengqiao practice of resolving them locally
    /// (mechanism 10 of docs/model.md).
    disputes: Disputes {
        /// New disputes per 1,000 residents per year.
        rate_per_1000: f64 = 25.0, range 0.0 => 10_000.0, unit "per 1,000 residents per year",
            plausible 5 => 60,
            source "free parameter: people's mediation handles about 6 per 1,000 a year nationally, plus disputes police handle";
        /// Success probability of a mediation by an NGO with matching authority.
        ngo_success: f64 = 0.65, range 0.0 => 1.0, unit "probability",
            plausible 0.4 => 0.9,
            source "free parameter";
        /// Success probability of a mediation by a grid worker with matching authority;
        /// also the base success of a police mediation and of every clean-up of a
        /// public-order incident, whoever does it.
        grid_worker_success: f64 = 0.55, range 0.0 => 1.0, unit "probability",
            plausible 0.3 => 0.8,
            source "free parameter";
        /// Officer hours a mediation takes when police join it.
        police_hours: f64 = 1.0, range 0.0 => 100.0, unit "hours",
            plausible 0.5 => 3,
            source "free parameter";
        /// Hours a mediation takes a grid worker or NGO.
        mediation_hours: f64 = 2.0, range 0.0 => 100.0, unit "hours",
            plausible 1 => 5,
            source "free parameter";
        /// Chance per day that an unresolved dispute escalates into an incident.
        escalation_probability: f64 = 0.03, range 0.0 => 1.0, unit "per day",
            plausible 0.01 => 0.1,
            source "free parameter";
        /// Chance per day that an unresolved dispute lapses on its own.
        lapse_probability: f64 = 0.05, range 0.0 => 1.0, unit "per day",
            plausible 0.02 => 0.1,
            source "free parameter";
        /// Share of escalated disputes that become violent incidents (the rest are
        /// public-order incidents).
        violent_share: f64 = 0.4, range 0.0 => 1.0, unit "share",
            plausible 0.2 => 0.6,
            source "free parameter";
    }

    /// Near-repeat victimisation, disorder and collective efficacy (mechanism 11 of docs/model.md).
    contagion: Contagion {
        /// Rise in a grid's attractiveness per incident per 1,000 of its residents
        /// (Short et al.'s theta, per resident so that a grid's size does not change it).
        near_repeat_boost: f64 = 0.04, range 0.0 => 100.0, unit "per incident per 1,000 residents",
            plausible 0.008 => 0.16,
            source "Short et al. 2008, Math Models Methods Appl Sci 18:1249; size free 0.008 to 0.16 (0.01 to 0.2 per incident in a default grid of 786 residents)";
        /// Highest rise in a grid's offending from near repeat: the multiplier
        /// 1 + M (1 - exp(-B / M)) saturates at 1 + M.
        near_repeat_cap: f64 = 1.0, range 0.0 => 100.0, unit "relative rise",
            plausible 0.5 => 2,
            source "Townsley, Homel and Chaseling 2003, Br J Criminol 43:615; Johnson et al. 2007, J Quant Criminol 23:201 (risk near a burgled home about doubles for weeks); size free 0.5 to 2";
        /// Daily decay of the near-repeat boost (omega).
        near_repeat_decay: f64 = 0.1, range 0.0 => 1.0, unit "per day",
            source "Short et al. 2008; Johnson 2008 (near-repeat risk fades within weeks)";
        /// Share of a grid's boost that spreads to its neighbours per day (eta).
        near_repeat_spread: f64 = 0.2, range 0.0 => 1.0, unit "share per day",
            source "Short et al. 2008";
        /// Rise in a grid's disorder index per unhandled public-order incident, times
        /// (1 - disorder).
        disorder_gain: f64 = 0.1, range 0.0 => 1.0, unit "per incident",
            plausible 0.02 => 0.3,
            source "free parameter";
        /// Daily decay of disorder without intervention.
        disorder_decay: f64 = 0.01, range 0.0 => 1.0, unit "per day",
            plausible 0.005 => 0.05,
            source "free parameter";
        /// Hours a clean-up of a public-order incident takes the actor who acts.
        cleanup_hours: f64 = 1.0, range 0.0 => 100.0, unit "hours",
            plausible 0.5 => 3,
            source "free parameter";
        /// Relative rise in offending at full disorder (broken windows).
        disorder_effect: f64 = 1.0, range 0.0 => 100.0, unit "factor",
            source "Keizer, Lindenberg and Steg 2008, Science 322:1681 (disorder doubled norm violations)";
        /// Relative fall in offending at full collective efficacy (mean community trust x
        /// participation share of the grid).
        efficacy_effect: f64 = 0.3, range 0.0 => 1.0, unit "factor",
            plausible 0.1 => 0.6,
            source "Sampson, Raudenbush and Earls 1997, Science 277:918; size free 0.1 to 0.6";
    }

    /// Perceived safety (fear of crime, Skogan 1990; Hinkle and Weisburd 2008).
    safety: Safety {
        /// Grid incident rate, per 1,000 residents a year, at which fear reaches
        /// 1 - 1/e if nothing else frightens.
        fear_scale: f64 = 300.0, range 0.001 => 100_000.0, unit "incidents per 1,000 per year",
            plausible 50 => 300,
            source "free parameter";
        /// Fear added by full disorder.
        disorder_fear: f64 = 0.5, range 0.0 => 10.0, unit "fear units",
            plausible 0.5 => 2,
            source "Hinkle and Weisburd 2008 (disorder raises fear of crime); size free 0.5 to 2";
    }

    /// Unit costs, for cost per resolved incident.
    costs: Costs {
        /// Cost of an officer hour (salary, overheads).
        officer_hour: f64 = 120.0, range 0.0 => 100_000.0, unit "yuan per hour",
            plausible 60 => 200,
            source "free parameter";
        /// Cost of an auxiliary or grid-worker hour.
        auxiliary_hour: f64 = 40.0, range 0.0 => 100_000.0, unit "yuan per hour",
            plausible 25 => 80,
            source "free parameter";
    }
}

/// Parameters that existed once and were removed, with what replaced them, so that an
/// old scenario or sweep file that still sets one is refused with a note that says why
/// rather than only "unknown parameter".
pub const REMOVED_PARAMS: &[(&str, &str)] = &[
    (
        "liability.co_responsible_actors",
        "`liability.co_responsible_actors` was removed: the actors present at a call are now the agents in the grid (grid workers, NGOs, enterprises' security staff, the police post, volunteers and witnesses; docs/model.md, \"Responsibility actors\"); to change how many there are, set `community.grid_workers_per_grid`, `community.ngos_per_grid`, `community.enterprises_per_grid`, `community.volunteer_share` or `community.witnesses_per_1000`",
    ),
    // The collaborative process in the agents (issue 11, item 3): dialogue happens at
    // meetings, so its rates are per meeting.
    (
        "collaboration.dialogue_rate",
        "`collaboration.dialogue_rate` (per day of dialogue) was removed: dialogue now happens at meetings that actual agents attend, and each partner group at the table builds trust by `collaboration.meeting_gain` (per meeting)",
    ),
    (
        "collaboration.understanding_rate",
        "`collaboration.understanding_rate` (per day) was removed: shared understanding now grows at meetings, by `collaboration.understanding_gain` (per meeting), and erodes by `collaboration.decay`",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::best_match;
    use crate::schema::{ParamValue, SetError, ValueError};

    fn find_def(path: &str) -> &'static crate::schema::ParamDef {
        PARAM_DEFS.iter().find(|d| d.path == path).unwrap()
    }

    #[test]
    fn every_default_is_inside_its_own_range() {
        for def in PARAM_DEFS.iter() {
            assert_eq!(
                def.check(def.default),
                Ok(def.default),
                "default of {} is out of range",
                def.path
            );
        }
    }

    #[test]
    fn defaults_satisfy_the_cross_parameter_rules() {
        assert_eq!(Params::default().validate(), vec![]);
    }

    #[test]
    fn every_parameter_is_documented_with_unit_and_source() {
        for def in PARAM_DEFS.iter() {
            assert!(
                def.doc.trim().len() > 20,
                "{} needs a doc comment",
                def.path
            );
            assert!(!def.unit.is_empty(), "{} needs a unit", def.path);
            assert!(!def.source.is_empty(), "{} needs a source", def.path);
            assert!(def.min <= def.max, "{} has an empty range", def.path);
        }
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<_> = PARAM_DEFS.iter().map(|d| d.path).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n);
    }

    #[test]
    fn set_then_get_round_trips_and_checks_range() {
        let mut p = Params::default();
        p.set("liability.clarity", ParamValue::Real(0.9)).unwrap();
        assert_eq!(p.liability.clarity, 0.9);
        assert_eq!(p.get("liability.clarity"), Some(ParamValue::Real(0.9)));
        let err = p
            .set("liability.clarity", ParamValue::Real(1.3))
            .unwrap_err();
        assert!(matches!(
            err,
            SetError::Value(ValueError::OutOfRange { .. })
        ));
        let err = p.set("district.width", ParamValue::Real(2.5)).unwrap_err();
        assert!(matches!(err, SetError::Value(ValueError::WrongType { .. })));
        assert!(matches!(
            p.set("liability.clarty", ParamValue::Real(0.5)),
            Err(SetError::Unknown(_))
        ));
    }

    #[test]
    fn integers_are_accepted_as_reals() {
        let def = find_def("police.officers_per_10k");
        assert_eq!(def.check(ParamValue::Int(12)), Ok(ParamValue::Real(12.0)));
    }

    #[test]
    fn closest_path_suggests_typo_fix() {
        let closest_path = |path| best_match(path, PARAM_DEFS.iter().map(|d| d.path));
        assert_eq!(closest_path("liability.clarty"), Some("liability.clarity"));
        assert_eq!(closest_path("zzzz"), None);
    }

    #[test]
    fn to_toml_parses_back_to_the_same_values() {
        let p = Params::default();
        let table: toml::Table = toml::from_str(&p.to_toml()).unwrap();
        let mut count = 0;
        for (section, keys) in table {
            for (key, value) in keys.as_table().unwrap() {
                let path = format!("{section}.{key}");
                let v = match value {
                    toml::Value::Float(x) => ParamValue::Real(*x),
                    toml::Value::Integer(i) => ParamValue::Int(*i),
                    toml::Value::Boolean(b) => ParamValue::Bool(*b),
                    other => panic!("unexpected {other:?}"),
                };
                assert_eq!(p.get(&path), Some(v), "{path}");
                count += 1;
            }
        }
        assert_eq!(count, PARAM_DEFS.len());
    }
}
