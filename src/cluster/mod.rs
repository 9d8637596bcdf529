//! The cluster as pio understands it: who leads, which workers exist, which are active and where
//! they are. Pure data and decisions; reading and writing config.ini lives in `crate::config`.

pub mod name;
pub mod nodeset;
pub mod plan;

pub use name::{NameError, UnitName, parse_address};

use crate::config::ini::key_eq;

/// One line of the inventory, with its static address if `[cluster.addresses]` has one.
/// Borrowed from config.ini's text: a leader may list thousands of workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Worker<'a> {
    /// The key as written in the inventory (it may predate pio's validation, e.g. `testing_unit`).
    pub name: &'a str,
    pub active: bool,
    pub address: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster<'a> {
    /// `[cluster.topology] leader_hostname`, or this host when the file leaves it empty.
    pub leader: &'a str,
    pub leader_address: Option<&'a str>,
    /// In inventory order.
    pub workers: Vec<Worker<'a>>,
    /// `[cluster.addresses]` entries of units that are not workers (such as a leader that is not
    /// one), in file order. Workers carry their own address.
    pub other_addresses: Vec<(&'a str, &'a str)>,
}

impl<'a> Cluster<'a> {
    /// The worker with this name; hostnames compare as Python lower-cases them (`str.lower`).
    pub fn worker(&self, name: &str) -> Option<&Worker<'a>> {
        self.workers.iter().find(|w| key_eq(w.name, name))
    }

    /// The unit's static address from `[cluster.addresses]`, if it has one.
    pub fn address_of(&self, name: &str) -> Option<&'a str> {
        match self.worker(name) {
            Some(w) => w.address,
            None => self
                .other_addresses
                .iter()
                .find(|(n, _)| key_eq(n, name))
                .map(|(_, a)| *a),
        }
    }

    pub fn is_leader(&self, name: &str) -> bool {
        key_eq(self.leader, name)
    }
}

/// One edit of the cluster's membership; applied to config.ini by `crate::config`, and reported
/// to the operator as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    AddWorker {
        name: String,
        active: bool,
    },
    SetActive {
        name: String,
        active: bool,
    },
    SetAddress {
        name: String,
        old: Option<String>,
        new: String,
    },
    RemoveWorker {
        name: String,
    },
    RemoveAddress {
        name: String,
        address: String,
    },
    /// The worker's model, kept by the leader's database (the config.ini era has none).
    SetModel {
        name: String,
        model_name: String,
        model_version: String,
    },
    /// The worker's inventory key (and address key) renamed in place.
    RenameWorker {
        old: String,
        new: String,
    },
}

pub fn yes_no(active: bool) -> &'static str {
    if active { "active" } else { "inactive" }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::AddWorker { name, active } => {
                write!(f, "Added {name} to the inventory ({})", yes_no(*active))
            }
            Change::SetActive { name, active } => write!(
                f,
                "Made {name} {} (was {})",
                yes_no(*active),
                yes_no(!*active)
            ),
            Change::SetAddress {
                name,
                old: None,
                new,
            } => {
                write!(f, "Set {name}'s address to {new}")
            }
            Change::SetAddress {
                name,
                old: Some(old),
                new,
            } => write!(f, "Changed {name}'s address from {old} to {new}"),
            Change::RemoveWorker { name } => write!(f, "Removed {name} from the inventory"),
            Change::RemoveAddress { name, address } => {
                write!(f, "Removed {name}'s address ({address})")
            }
            Change::RenameWorker { old, new } => {
                write!(f, "Renamed {old} to {new} in the inventory")
            }
            Change::SetModel {
                name,
                model_name,
                model_version,
            } => write!(f, "Set {name}'s model to {model_name} {model_version}"),
        }
    }
}
