//! Every `--json` document pio prints, as types, in one place: README's "JSON output" table
//! documents them, and tests read each command's output back into mirror types that refuse
//! unknown fields. Fields print in the order written here; a field is added, never renamed or
//! removed, within a major version.

use std::borrow::Cow;

use serde::Serialize;

use crate::cluster::Change;
use crate::remote::{Outcome, Used};

/// `workers replace --json`: the worker, its archive, and the host keys forgotten (or, dry, to
/// forget); the add and the restore it ran narrate on stderr.
#[derive(Serialize)]
pub struct Replaced<'a> {
    pub command: &'static str,
    pub dry_run: bool,
    pub unit: &'a str,
    pub file: String,
    pub forgot_host_keys: Vec<String>,
}

/// `cluster update --json`: the order it went in, and each unit's part.
#[derive(Serialize)]
pub struct Updated<'a> {
    pub command: &'static str,
    pub dry_run: bool,
    /// The release asked for (`--version`), else null: the Python CLI's default.
    pub version: Option<&'a str>,
    /// The workers, then the leader: the order of the update.
    pub units: Vec<UnitUpdate<'a>>,
}

#[derive(Serialize)]
pub struct UnitUpdate<'a> {
    pub unit: &'a str,
    /// `worker` or `leader`.
    pub role: &'static str,
    /// `updated`, `failed` or `not tried` (a dry run, or after a failure).
    pub state: &'static str,
    pub release_before: Option<String>,
    pub release_after: Option<String>,
    pub error: Option<&'a str>,
}

/// What happened on one unit (`identify`, `reboot`, `sync-configs`).
#[derive(Serialize)]
pub struct UnitOutcome<'a> {
    pub unit: &'a str,
    pub address: Option<&'a str>,
    /// The transport that carried it (`http`, `ssh`), or null when the unit was not found.
    pub via: Option<Used>,
    pub ok: bool,
    /// What the unit said, or why it failed.
    pub message: &'a str,
}

impl<'a> From<&'a Outcome> for UnitOutcome<'a> {
    fn from(o: &'a Outcome) -> Self {
        UnitOutcome {
            unit: &o.unit,
            address: o.address.as_deref(),
            via: o.via,
            ok: o.ok(),
            message: match &o.result {
                Ok(m) | Err(m) => m,
            },
        }
    }
}

/// `identify --json` (units: [`UnitOutcome`]) and `workers sync-configs --json` (units:
/// [`SyncedUnit`]).
#[derive(Serialize)]
pub struct Outcomes<'a, U> {
    pub command: &'a str,
    pub units: Vec<U>,
    pub failed: Vec<&'a str>,
}

/// One unit of `workers sync-configs --json`: its outcome and the release it runs, if learnt.
#[derive(Serialize)]
pub struct SyncedUnit<'a> {
    #[serde(flatten)]
    pub outcome: UnitOutcome<'a>,
    pub release: Option<String>,
}

/// A unit that did not come back from a reboot in time.
#[derive(Serialize)]
pub struct NotBack<'a> {
    pub unit: &'a str,
    pub why: &'a str,
}

/// `reboot --json`.
#[derive(Serialize)]
pub struct Rebooted<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    pub units: Vec<UnitOutcome<'a>>,
    pub failed: Vec<&'a str>,
    pub not_back: Vec<NotBack<'a>>,
}

/// `shutdown --json`.
#[derive(Serialize)]
pub struct ShutDown<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    pub units: Vec<UnitOutcome<'a>>,
    pub failed: Vec<&'a str>,
}

/// `clock --json`.
#[derive(Serialize)]
pub struct ClockReport<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    /// `--sync` was given.
    pub sync: bool,
    /// Seconds a clock may be off the leader's.
    pub tolerance: f64,
    /// The unit whose clock is the reference: the leader.
    pub leader: &'a str,
    pub units: Vec<ClockRow<'a>>,
    /// With `--sync --dry-run`: what would be done to each unit beyond the tolerance.
    pub plan: Vec<PlannedAction>,
    /// Units whose clock is off the leader's by more than the tolerance (after `--sync`, as read
    /// again).
    pub beyond: Vec<&'a str>,
    /// Units whose clock could not be read, or that `--sync` could not bring to the leader's.
    pub failed: Vec<&'a str>,
}

/// One unit of `clock --json`.
#[derive(Serialize)]
pub struct ClockRow<'a> {
    pub unit: &'a str,
    pub address: Option<&'a str>,
    pub leader: bool,
    /// `http`, `ssh`, or `local` (the leader's clock, when pio runs on it).
    pub via: Option<&'a str>,
    /// The unit's clock minus the leader's, in seconds; null when it could not be read.
    pub offset: Option<f64>,
    /// Seconds the reading's request took: the offset is known to within half of it.
    pub round_trip: Option<f64>,
    /// Whether the unit says its clock is synchronised (its web API, 26.11 and later).
    pub synchronized: Option<bool>,
    pub beyond: bool,
    pub error: Option<&'a str>,
    /// What `--sync` did, when it acted on the unit.
    pub synced: Option<SyncedClock<'a>>,
}

/// What `clock --sync` did to one unit.
#[derive(Serialize)]
pub struct SyncedClock<'a> {
    pub ok: bool,
    pub via: Option<Used>,
    pub message: &'a str,
    /// The offset read before the sync, in seconds.
    pub offset_before: f64,
}

/// One unit of a plan: where the action would go, and how.
#[derive(Serialize)]
pub struct PlannedAction {
    pub unit: String,
    pub address: String,
    pub action: String,
}

/// `reboot --dry-run --json`.
#[derive(Serialize)]
pub struct ActionPlan<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    pub units: Vec<PlannedAction>,
}

/// `rename --dry-run --json`.
#[derive(Serialize)]
pub struct RenamePlan<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    pub old: &'a str,
    pub new: &'a str,
    pub plan: Vec<String>,
}

/// One row of `workers status --json`.
#[derive(Serialize)]
pub struct StatusRow<'a> {
    pub name: &'a str,
    pub reachable: bool,
    pub via: Option<Used>,
    pub address: Option<&'a str>,
    /// What the unit's web API or `pio version` said.
    pub version: Option<&'a str>,
    /// That version, where it is a Pioreactor release.
    pub release: Option<String>,
    pub active: bool,
    pub leader: bool,
    pub error: Option<&'a str>,
    /// Where the unit's web API answered: its monitor job, `running` or `not running` (the web
    /// page's "Lost"); null where it could not be asked.
    pub monitor: Option<&'static str>,
    /// The Raspberry Pi's model, as the unit's monitor reports it.
    pub rpi_model: Option<&'a str>,
    pub wlan_mac: Option<&'a str>,
    pub eth_mac: Option<&'a str>,
}

/// One row of `workers list --json` (model and experiment null in the config.ini era, release
/// null unless `--releases` learnt it).
#[derive(Serialize)]
pub struct WorkerJson<'a> {
    pub name: &'a str,
    pub active: bool,
    pub address: Cow<'a, str>,
    /// `static` (`[cluster.addresses]`), `leader_address` or `mdns`; `flagged` (and the
    /// address `?`) where config.ini's line cannot be used.
    pub address_source: &'static str,
    pub leader: bool,
    pub model_name: Option<&'a str>,
    pub model_version: Option<&'a str>,
    pub experiment: Option<&'a str>,
    pub release: Option<&'a str>,
    /// What is wrong with its lines of config.ini (`name`, `state`, `address`, `duplicate`;
    /// the warnings on stderr say which line and why), else null.
    pub flaw: Option<&'static str>,
}

/// One unit found by `workers discover --json`.
#[derive(Serialize)]
pub struct Discovered<'a> {
    pub name: &'a str,
    pub address: Option<String>,
    pub in_inventory: bool,
}

/// `workers model get --json` (the Python CLI's document).
#[derive(Serialize)]
pub struct Model<'a> {
    pub model_name: Option<&'a str>,
    pub model_version: Option<&'a str>,
}

/// `workers model set --json` and `update-model --json`.
#[derive(Serialize)]
pub struct ModelSet<'a> {
    pub command: &'a str,
    pub unit: &'a str,
    pub model_name: &'a str,
    pub model_version: &'a str,
}

/// `workers assign --json` and `unassign --json`.
#[derive(Serialize)]
pub struct Assigned<'a> {
    pub command: &'a str,
    pub unit: &'a str,
    pub experiment: Option<&'a str>,
    pub changed: bool,
}

/// What an inventory command did (`workers add`, `remove`, `set-active`, `rename`), or with
/// `--dry-run` would do.
#[derive(Serialize)]
pub struct Changes<'a> {
    pub command: &'a str,
    /// `config` or `api`: where the inventory lives.
    pub inventory: &'a str,
    /// config.ini's path.
    pub config: &'a str,
    pub dry_run: bool,
    pub changed: bool,
    pub created_config: bool,
    pub changes: Vec<ChangeJson<'a>>,
    /// config.ini's unified diff, with `--dry-run` (null otherwise).
    pub diff: Option<&'a str>,
}

/// One change, by its `action`.
#[derive(Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ChangeJson<'a> {
    AddWorker {
        name: &'a str,
        active: bool,
    },
    SetActive {
        name: &'a str,
        active: bool,
    },
    SetAddress {
        name: &'a str,
        old: Option<&'a str>,
        new: &'a str,
    },
    RemoveWorker {
        name: &'a str,
    },
    RemoveAddress {
        name: &'a str,
        address: &'a str,
    },
    RenameWorker {
        old: &'a str,
        new: &'a str,
    },
    SetModel {
        name: &'a str,
        model_name: &'a str,
        model_version: &'a str,
    },
}

impl<'a> From<&'a Change> for ChangeJson<'a> {
    fn from(change: &'a Change) -> Self {
        match change {
            Change::AddWorker { name, active } => ChangeJson::AddWorker {
                name,
                active: *active,
            },
            Change::SetActive { name, active } => ChangeJson::SetActive {
                name,
                active: *active,
            },
            Change::SetAddress { name, old, new } => ChangeJson::SetAddress {
                name,
                old: old.as_deref(),
                new,
            },
            Change::RemoveWorker { name } => ChangeJson::RemoveWorker { name },
            Change::RemoveAddress { name, address } => ChangeJson::RemoveAddress { name, address },
            Change::RenameWorker { old, new } => ChangeJson::RenameWorker { old, new },
            Change::SetModel {
                name,
                model_name,
                model_version,
            } => ChangeJson::SetModel {
                name,
                model_name,
                model_version,
            },
        }
    }
}

/// A check's verdict in `doctor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

/// One row of `doctor --json` (an array of them): a check's result, what was seen and,
/// unless ok, what fixes it.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub unit: String,
    pub check: &'static str,
    pub verdict: Verdict,
    pub detail: String,
    pub fix: Option<String>,
}

/// One step of `backup` or `restore` on the unit.
#[derive(Serialize)]
pub struct ArchiveStep<'a> {
    /// `backup`, `halt`, `restore` or `reboot`.
    pub step: &'a str,
    pub via: Option<Used>,
    pub ok: bool,
    pub message: &'a str,
}

impl<'a> ArchiveStep<'a> {
    pub fn of(step: &'a str, o: &'a Outcome) -> Self {
        ArchiveStep {
            step,
            via: o.via,
            ok: o.ok(),
            message: match &o.result {
                Ok(m) | Err(m) => m,
            },
        }
    }
}

/// `backup --json` and `restore --json` (with `--dry-run` too: the plan, `steps` empty).
#[derive(Serialize)]
pub struct Archived<'a> {
    pub command: &'a str,
    pub dry_run: bool,
    pub unit: &'a str,
    pub address: Option<&'a str>,
    /// The archive on this machine.
    pub file: &'a str,
    /// The unit the archive names (null: it names none, or it was not made).
    pub archive_unit: Option<&'a str>,
    /// Its files and folders, and their size once extracted.
    pub members: Option<u64>,
    pub bytes: Option<u64>,
    /// How it goes: `http` (the unit's web API) or `ssh`, and why not `http`.
    pub route: &'a str,
    pub steps: Vec<ArchiveStep<'a>>,
    pub ok: bool,
}
