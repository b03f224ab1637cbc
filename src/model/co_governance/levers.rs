//! The Tongxiang study's levers as groups of this model's parameters: the four
//! mechanisms that brought about collaborative governance, the seven problems that
//! remain and the five reforms the study suggests (docs/levers.md has the rules each
//! parameter feeds and the metrics it should move), with a plain-language label for
//! every parameter a lever moves. The workshop page builds its sliders from these and
//! the parameter table; the tests check them against the table, and
//! tests/integration/workshop.rs each reform against its shipped file.

use crate::schema::levers::{Label, Lever, LeverKind};

use LeverKind::{Mechanism, Problem, Reform};

/// Every lever, mechanisms first, in the study's order.
pub static LEVERS: &[Lever] = &[
    Lever {
        id: "M1",
        kind: Mechanism,
        title: "Role remodelling",
        summary: "Officers work as organisers and facilitators of the community, not only as enforcers.",
        params: &[
            "police.community_role_share",
            "police.procedural_justice",
            "police.hours_per_contact",
            "trust.contact_rate",
            "trust.officer_style_sd",
            "trust.stops_per_patrol_hour",
            "trust.vicarious_listeners",
        ],
        scenario: None,
    },
    Lever {
        id: "M2",
        kind: Mechanism,
        title: "IT enabling",
        summary: "Cameras, app and online reporting, integrated dispatch and shared information.",
        params: &[
            "it.level",
            "it.cameras_per_grid",
            "it.reporting_cost_gain",
            "operations.dispatch_it_gain",
            "guardians.camera_weight",
        ],
        scenario: None,
    },
    Lever {
        id: "M3",
        kind: Mechanism,
        title: "Absorbing community forces",
        summary: "Auxiliaries, grid workers, volunteers, enterprise security and NGOs join public-safety work.",
        params: &[
            "police.auxiliaries_per_officer",
            "police.auxiliary_response_share",
            "community.grid_workers_per_grid",
            "community.grid_worker_hours",
            "community.volunteer_share",
            "community.volunteer_hours",
            "community.ngos_per_grid",
            "community.enterprises_per_grid",
            "community.security_staff_per_enterprise",
            "guardians.auxiliary_weight",
            "guardians.grid_worker_weight",
            "guardians.volunteer_weight",
            "guardians.enterprise_security_weight",
        ],
        scenario: None,
    },
    Lever {
        id: "M4",
        kind: Mechanism,
        title: "Policy encouragement",
        summary: "Rewards, subsidies, fines and NGO funding make taking part worth it.",
        params: &[
            "incentives.contribution_reward",
            "incentives.enterprise_subsidy",
            "incentives.enterprise_fine",
            "incentives.ngo_funding",
            "incentives.report_reward",
            "participation.inspection_probability",
        ],
        scenario: None,
    },
    Lever {
        id: "P1",
        kind: Problem,
        title: "Weak awareness of cooperation and participation",
        summary: "Residents value taking part in public-safety work only a little.",
        params: &["residents.cooperation_awareness"],
        scenario: None,
    },
    Lever {
        id: "P2",
        kind: Problem,
        title: "Unclear subject of liability",
        summary: "Nobody is named responsible for a problem, so everyone present waits for someone else.",
        params: &[
            "liability.clarity",
            "liability.cost_benefit_ratio",
            "liability.bystander_cost_benefit_ratio",
            "liability.lone_act_probability",
            "community.grid_workers_per_grid",
        ],
        scenario: None,
    },
    Lever {
        id: "P3",
        kind: Problem,
        title: "Confused rights and responsibilities",
        summary: "Those who must act lack the authority to settle matters, so they fail and lose heart.",
        params: &[
            "rights.authority_match",
            "rights.unmatched_success_factor",
            "rights.motivation_rate",
        ],
        scenario: None,
    },
    Lever {
        id: "P4",
        kind: Problem,
        title: "Inefficient policing mechanism",
        summary: "Paperwork and slow dispatch keep officers from answering calls.",
        params: &["police.admin_burden_share", "operations.dispatch_it_gain"],
        scenario: None,
    },
    Lever {
        id: "P5",
        kind: Problem,
        title: "Weak police logistics",
        summary: "Vehicles, equipment and support are short, so travel and handling take longer.",
        params: &["logistics.level", "logistics.penalty"],
        scenario: None,
    },
    Lever {
        id: "P6",
        kind: Problem,
        title: "Too few channels for many actors to take part",
        summary: "Few ways to report or join in make both costly.",
        params: &[
            "channels.count",
            "channels.reporting_cost_gain",
            "channels.participation_cost_gain",
        ],
        scenario: None,
    },
    Lever {
        id: "P7",
        kind: Problem,
        title: "Little motivation for police-public cooperation",
        summary: "Few rewards and rare meetings give police and community little reason to work together.",
        params: &[
            "incentives.contribution_reward",
            "incentives.enterprise_subsidy",
            "incentives.ngo_funding",
            "collaboration.meetings_per_month",
        ],
        scenario: None,
    },
    Lever {
        id: "R1",
        kind: Reform,
        title: "Change the managerial concept of community policing",
        summary: "More community work, fairer contacts and more frequent meetings.",
        params: &[
            "police.community_role_share",
            "police.procedural_justice",
            "collaboration.meetings_per_month",
        ],
        scenario: Some("reform_change_concept.toml"),
    },
    Lever {
        id: "R2",
        kind: Reform,
        title: "Clarify each stakeholder's responsibility",
        summary: "Name who must act on each problem.",
        params: &["liability.clarity"],
        scenario: Some("reform_clarify_responsibility.toml"),
    },
    Lever {
        id: "R3",
        kind: Reform,
        title: "Define rights and responsibilities together",
        summary: "Give those responsible the authority to settle what they are responsible for.",
        params: &["rights.authority_match"],
        scenario: Some("reform_define_rights.toml"),
    },
    Lever {
        id: "R4",
        kind: Reform,
        title: "Optimise the police operation mechanism",
        summary: "Less paperwork and IT-integrated dispatch.",
        params: &["police.admin_burden_share", "operations.dispatch_it_gain"],
        scenario: Some("reform_optimise_operations.toml"),
    },
    Lever {
        id: "R5",
        kind: Reform,
        title: "Improve police logistics",
        summary: "Better vehicles, equipment and support.",
        params: &["logistics.level"],
        scenario: Some("reform_improve_logistics.toml"),
    },
];

/// A plain-language label for every parameter a lever moves, and for the police
/// strength the teaching scenarios change.
pub static LABELS: &[Label] = &[
    label(
        "police.community_role_share",
        "Officers' hours in community work",
    ),
    label("police.procedural_justice", "Fairness of police contacts"),
    label(
        "police.hours_per_contact",
        "Community work per resident contact",
    ),
    label("trust.contact_rate", "How much one contact moves trust"),
    label("trust.officer_style_sd", "How much officers' styles differ"),
    label("trust.stops_per_patrol_hour", "Stops per patrol hour"),
    label(
        "trust.vicarious_listeners",
        "Neighbours who hear of a contact",
    ),
    label("it.level", "IT level"),
    label("it.cameras_per_grid", "Cameras per grid"),
    label("it.reporting_cost_gain", "How much IT eases reporting"),
    label("operations.dispatch_it_gain", "How much IT speeds dispatch"),
    label("guardians.camera_weight", "A camera's worth as a guardian"),
    label(
        "police.auxiliaries_per_officer",
        "Auxiliary police per officer",
    ),
    label(
        "police.auxiliary_response_share",
        "Auxiliaries' hours answering calls",
    ),
    label("community.grid_workers_per_grid", "Grid workers per grid"),
    label("community.grid_worker_hours", "A grid worker's hours a day"),
    label(
        "community.volunteer_share",
        "Contributors who patrol as volunteers",
    ),
    label("community.volunteer_hours", "A volunteer's hours a day"),
    label("community.ngos_per_grid", "NGOs per grid"),
    label("community.enterprises_per_grid", "Enterprises per grid"),
    label(
        "community.security_staff_per_enterprise",
        "Guards per enterprise",
    ),
    label(
        "guardians.auxiliary_weight",
        "An auxiliary's worth as a guardian",
    ),
    label(
        "guardians.grid_worker_weight",
        "A grid worker's worth as a guardian",
    ),
    label(
        "guardians.volunteer_weight",
        "A volunteer's worth as a guardian",
    ),
    label(
        "guardians.enterprise_security_weight",
        "A guard's worth as a guardian",
    ),
    label(
        "incentives.contribution_reward",
        "Reward to a contributing resident",
    ),
    label(
        "incentives.enterprise_subsidy",
        "Subsidy to a contributing enterprise",
    ),
    label(
        "incentives.enterprise_fine",
        "Fine on a free-riding enterprise",
    ),
    label("incentives.ngo_funding", "Funding of an engaged NGO"),
    label("incentives.report_reward", "Reward per report"),
    label(
        "participation.inspection_probability",
        "Inspections of enterprises",
    ),
    label(
        "residents.cooperation_awareness",
        "Residents' awareness of cooperation",
    ),
    label("liability.clarity", "Clarity of who is liable"),
    label(
        "liability.cost_benefit_ratio",
        "Cost of acting against its benefit",
    ),
    label(
        "liability.bystander_cost_benefit_ratio",
        "A bystander's cost against benefit",
    ),
    label(
        "liability.lone_act_probability",
        "Chance a lone witness acts",
    ),
    label(
        "rights.authority_match",
        "Authority matched to responsibility",
    ),
    label(
        "rights.unmatched_success_factor",
        "Success without the authority",
    ),
    label("rights.motivation_rate", "How fast success motivates"),
    label("police.admin_burden_share", "Officers' hours of paperwork"),
    label("logistics.level", "Police logistics level"),
    label("logistics.penalty", "Cost of poor logistics"),
    label("channels.count", "Channels to report and take part"),
    label(
        "channels.reporting_cost_gain",
        "How much channels ease reporting",
    ),
    label(
        "channels.participation_cost_gain",
        "How much channels ease taking part",
    ),
    label(
        "collaboration.meetings_per_month",
        "Police-community meetings a month",
    ),
    label("police.officers_per_10k", "Officers per 10,000 residents"),
];

const fn label(path: &'static str, label: &'static str) -> Label {
    Label { path, label }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::co_governance::params::PARAM_DEFS;

    #[test]
    fn every_lever_parameter_exists_and_has_a_label() {
        for lever in LEVERS {
            for path in lever.params {
                assert!(
                    PARAM_DEFS.iter().any(|d| d.path == *path),
                    "{}: {path}",
                    lever.id
                );
                assert!(LABELS.iter().any(|l| l.path == *path), "{path}");
            }
        }
        for l in LABELS {
            assert!(PARAM_DEFS.iter().any(|d| d.path == l.path), "{}", l.path);
        }
        let mut ids: Vec<_> = LEVERS.iter().map(|l| l.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 16);
        let count = |k| LEVERS.iter().filter(|l| l.kind == k).count();
        assert_eq!((count(Mechanism), count(Problem), count(Reform)), (4, 7, 5));
    }
}
