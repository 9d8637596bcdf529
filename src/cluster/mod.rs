//! The cluster as pio understands it: who leads, which workers exist, which are active and where
//! they are. Pure data and decisions; reading and writing config.ini lives in `crate::config`.

pub mod flagged;
pub mod name;
pub mod nodeset;
pub mod plan;

pub use flagged::{Flagged, Flaw, Flaws};
pub use name::{NameError, UnitName, check_static_address, parse_address};

use name::same;

/// One line of the inventory, with its static address if `[cluster.addresses]` has one.
/// Borrowed from config.ini's text: a leader may list thousands of workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Worker<'a> {
    /// The key as written in the inventory: a hostname once Python lower-cases it (`Pio02`).
    pub name: &'a str,
    /// `false` too when the line's state is unreadable: see `flaws`.
    pub active: bool,
    /// `None` too when the address line is unusable: see `flaws`.
    pub address: Option<&'a str>,
    /// What is wrong with the worker's lines, if anything (each in [`Cluster::flagged`]).
    pub flaws: Flaws,
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
    /// Lines pio cannot use, in file order: see [`flagged`].
    pub flagged: Vec<Flagged>,
}

impl<'a> Cluster<'a> {
    /// The worker with this name; hostnames compare as Python lower-cases them (`str.lower`).
    pub fn worker(&self, name: &str) -> Option<&Worker<'a>> {
        self.workers.iter().find(|w| same(w.name, name))
    }

    /// The unit's static address from `[cluster.addresses]`, if it has one.
    pub fn address_of(&self, name: &str) -> Option<&'a str> {
        match self.worker(name) {
            Some(w) => w.address,
            None => self
                .other_addresses
                .iter()
                .find(|(n, _)| same(n, name))
                .map(|(_, a)| *a),
        }
    }

    pub fn is_leader(&self, name: &str) -> bool {
        same(self.leader, name)
    }

    /// Where `name` is reached: see [`Reach`].
    pub fn reach(&self, name: &str) -> Reach<'a> {
        Reach::of_unit(
            name,
            self.address_of(name),
            self.leader,
            self.leader_address,
        )
    }
}

/// Where a unit is reached: pio's one rule, used by every listing, plan and transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach<'a> {
    /// `[cluster.addresses]`: an IPv4, or a name such as `pio02.local` (as 25.8 and later write).
    Static(&'a str),
    /// The leader's `[cluster.topology] leader_address`, when `[cluster.addresses]` has none.
    LeaderAddress(&'a str),
    /// Nothing written: `<name>.local`, looked up by mDNS.
    Mdns,
}

impl<'a> Reach<'a> {
    /// The rule itself: a `[cluster.addresses]` entry first, then (for the leader)
    /// `leader_address`, else mDNS.
    pub fn of(static_address: Option<&'a str>, leader_address: Option<&'a str>) -> Reach<'a> {
        match (static_address, leader_address) {
            (Some(a), _) => Reach::Static(a),
            (None, Some(a)) => Reach::LeaderAddress(a),
            (None, None) => Reach::Mdns,
        }
    }

    /// The rule for unit `name` (its `[cluster.addresses]` entry `static_address`) in a cluster
    /// led by `leader`, reached at `leader_address`: for callers that hold no [`Cluster`].
    pub fn of_unit(
        name: &str,
        static_address: Option<&'a str>,
        leader: &str,
        leader_address: Option<&'a str>,
    ) -> Reach<'a> {
        Reach::of(
            static_address,
            leader_address.filter(|_| same(leader, name)),
        )
    }

    /// The stable word for `--json`: `static`, `leader_address` or `mdns`.
    pub fn source(&self) -> &'static str {
        match self {
            Reach::Static(_) => "static",
            Reach::LeaderAddress(_) => "leader_address",
            Reach::Mdns => "mdns",
        }
    }

    /// The address as written, or `<name>.local`: what `ssh` would be told, and what
    /// known_hosts files the unit under.
    pub fn host(&self, name: &str) -> String {
        match self {
            Reach::Static(a) | Reach::LeaderAddress(a) => a.to_string(),
            Reach::Mdns => format!("{}.local", name.to_ascii_lowercase()),
        }
    }

    /// The name to look up by mDNS, when the address is a `.local` name (written or not).
    pub fn mdns_name(&self, name: &str) -> Option<String> {
        match self {
            Reach::Static(a) | Reach::LeaderAddress(a) => {
                let host = a
                    .strip_suffix(".local")
                    .or_else(|| a.strip_suffix(".local."))?;
                Some(host.to_string())
            }
            Reach::Mdns => Some(name.to_string()),
        }
    }

    /// How the address was found, for the operator.
    pub fn describe(&self, name: &str) -> String {
        match self {
            Reach::Static(a) => format!("[cluster.addresses] {a}"),
            Reach::LeaderAddress(a) => format!("leader_address {a}"),
            Reach::Mdns => format!("{}.local by mDNS", name.to_ascii_lowercase()),
        }
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

impl Change {
    /// The unit a change is about (a rename's old name).
    pub fn unit(&self) -> &str {
        match self {
            Change::AddWorker { name, .. }
            | Change::SetActive { name, .. }
            | Change::SetAddress { name, .. }
            | Change::RemoveWorker { name }
            | Change::RemoveAddress { name, .. }
            | Change::SetModel { name, .. } => name,
            Change::RenameWorker { old, .. } => old,
        }
    }
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
