//! Each command's arguments (the commands themselves are in `cli`).

use clap::{Args, Subcommand, ValueEnum};

use super::{WithGlobal, parse_pause, parse_seconds, state_parser};

/// How pio reaches units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Via {
    /// The web API when it answers, else SSH
    Auto,
    Ssh,
    Http,
}

#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// How to reach units
    #[arg(long, value_enum, default_value_t = Via::Auto)]
    pub via: Via,

    /// Seconds to wait for each unit
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::PER_UNIT, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,
}

// The units of a command that acts on every unit unless told which.
#[derive(Debug, Args)]
pub struct UnitsOrExperiments {
    /// Units (default: every unit in the inventory)
    #[arg(value_name = "UNITS", value_hint = clap::ValueHint::Hostname)]
    pub units: Vec<String>,

    /// The active workers assigned to this experiment in the leader's database (repeatable)
    #[arg(
        long = "experiment",
        visible_alias = "experiments",
        value_name = "EXPERIMENT",
        conflicts_with = "units"
    )]
    pub experiments: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UnitSelection {
    /// Units: names, comma lists or node sets like pio[01-08]
    #[arg(value_name = "UNITS", value_hint = clap::ValueHint::Hostname)]
    pub units: Vec<String>,

    /// A unit, as the Python `pios` names one (repeatable; the same as naming it)
    #[arg(long = "units", value_name = "UNIT", value_hint = clap::ValueHint::Hostname)]
    pub units_option: Vec<String>,

    /// Every worker in the inventory (the leader only if named)
    #[arg(long, conflicts_with_all = ["units", "units_option"])]
    pub all: bool,

    /// The active workers assigned to this experiment in the leader's database (repeatable)
    #[arg(long = "experiment", visible_alias = "experiments", value_name = "EXPERIMENT", conflicts_with_all = ["units", "units_option", "all"])]
    pub experiments: Vec<String>,
}

impl UnitSelection {
    /// The units named, as arguments or with `--units`.
    pub fn named(&self) -> Vec<String> {
        self.units
            .iter()
            .chain(&self.units_option)
            .cloned()
            .collect()
    }
}

#[derive(Debug, Args)]
pub struct IdentifyArgs {
    #[command(flatten)]
    pub select: UnitSelection,

    /// Keep blinking about this long (whole rounds of about 3.5 s)
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub duration: Option<f64>,

    /// Blink the units one after another, printing each name while its LED blinks
    #[arg(long)]
    pub roll_call: bool,

    /// Seconds between units in a roll call
    #[arg(long, value_name = "SECS", default_value_t = 1.0, requires = "roll_call", value_parser = parse_pause)]
    pub pause: f64,

    /// How many units at once (without --roll-call)
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    /// Seconds to wait for each unit to answer
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::PER_UNIT, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The worker's current hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub old: String,

    /// Its new hostname
    pub new: String,

    /// Seconds the whole rename may take, the wait for it to come back under the new name
    /// included
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::COME_BACK, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Do not wait for the worker to come back
    #[arg(long)]
    pub no_wait: bool,

    /// Show the plan and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

// What `reboot` and `shutdown` share: the units, the confirmation, the fan-out, the transport.
#[derive(Debug, Args)]
pub struct PowerArgs {
    #[command(flatten)]
    pub select: UnitSelection,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    /// How to reach units
    #[arg(long, value_enum, default_value_t = Via::Auto)]
    pub via: Via,
}

#[derive(Debug, Args)]
pub struct RebootArgs {
    #[command(flatten)]
    pub power: PowerArgs,

    /// Wait until each unit has restarted and answers again (the leader excepted)
    #[arg(long)]
    pub wait: bool,

    /// Seconds to wait for each unit to answer (default 10, at most 60), or with --wait for each
    /// to come back (default 180)
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: Option<f64>,

    /// Show the plan and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ClusterUpdateArgs {
    /// The release to install (default: the Python CLI's, the latest)
    #[arg(long, value_name = "RELEASE", value_parser = parse_release)]
    pub version: Option<String>,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,

    /// How many workers at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    /// Seconds each unit may take to update and answer with its new release
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::UPDATE, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Show the order and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    #[command(flatten)]
    pub select: UnitSelection,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Say how each unit would be repaired, and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ShutdownArgs {
    #[command(flatten)]
    pub power: PowerArgs,

    /// Seconds to wait for each unit to answer
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::PER_UNIT, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Show the plan and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// A release as Pioreactor numbers them (`26.11.1`), the only words `--version` passes on.
fn parse_release(s: &str) -> Result<String, String> {
    match crate::release::Release::parse(s) {
        Some(_) if s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') => Ok(s.to_string()),
        _ => Err(format!("'{s}' is not a Pioreactor release such as 26.11.1")),
    }
}

#[derive(Debug, Args)]
pub struct ClockArgs {
    #[command(flatten)]
    pub select: UnitSelection,

    /// Seconds a unit's clock may be off the leader's before it is flagged (exit code 1)
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::CLOCK_TOLERANCE, value_parser = parse_pause)]
    pub tolerance: f64,

    /// Bring every unit beyond the tolerance to the leader's time, then read it again
    #[arg(long)]
    pub sync: bool,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Read the clocks, and with --sync say what it would do, changing nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub select: UnitsOrExperiments,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    /// Seconds each unit may take per check
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::DOCTOR_CHECK, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Exit 1 on warnings too
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The experiment's name
    pub experiment: String,
}

#[derive(Debug, Args)]
pub struct UnassignArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The experiment it should leave (default: its current one)
    pub experiment: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Print a worker's model as JSON ({"model_name", "model_version"}), as the Python CLI does
    Get(WithGlobal<ModelGetArgs>),

    /// Set a worker's model
    #[command(after_help = "\
Examples:
  pio workers model set pio02 pioreactor_20ml 1.1")]
    Set(WithGlobal<ModelSetArgs>),
}

#[derive(Debug, Args)]
pub struct ModelGetArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,
}

#[derive(Debug, Args)]
pub struct ModelSetArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The model, e.g. pioreactor_40ml
    #[arg(value_name = "MODEL_NAME")]
    pub model_name: String,

    /// The model's version, e.g. 1.5
    #[arg(value_name = "MODEL_VERSION")]
    pub model_version: String,
}

#[derive(Debug, Args)]
pub struct UpdateModelArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The model, e.g. pioreactor_40ml
    #[arg(short = 'm', long, value_name = "NAME")]
    pub model_name: String,

    /// The model's version, e.g. 1.5 (the Python CLI's `-v VERSION` is read as this)
    #[arg(long, value_name = "VERSION")]
    pub model_version: String,
}

#[derive(Debug, Args)]
pub struct SyncConfigsArgs {
    #[command(flatten)]
    pub select: UnitSelection,

    /// Only config.ini, the cluster's shared settings
    #[arg(long, conflicts_with = "specific")]
    pub shared: bool,

    /// Only each unit's own settings: sent from config_<unit>.ini to units before 26.4, fetched
    /// from 26.4 units (which own their unit_config.ini) into config_<unit>.ini
    #[arg(long)]
    pub specific: bool,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Seconds to listen
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::DISCOVER, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Only workers not in the inventory
    #[arg(long)]
    pub new: bool,

    /// The Python CLI's "end after the list": pio always does, after --timeout
    #[arg(short = 't', long)]
    pub terminate: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub select: UnitsOrExperiments,

    /// How many units at once
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub fanout: u16,

    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only active workers
    #[arg(long, conflicts_with = "inactive")]
    pub active: bool,

    /// Only inactive workers
    #[arg(long)]
    pub inactive: bool,

    /// One name per line (for scripts and completion)
    #[arg(long, conflicts_with = "json")]
    pub names: bool,

    /// Ask each listed unit its Pioreactor release (its web API, else `pio version` over SSH)
    #[arg(long, conflicts_with = "names")]
    pub releases: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct DryRun {
    /// Show the change to config.ini as a diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker's hostname
    pub hostname: String,

    /// Static IPv4 address, written to [cluster.addresses] (bypasses mDNS)
    #[arg(short, long, value_name = "IPV4")]
    pub address: Option<String>,

    /// Add the worker as inactive (or make one already there inactive)
    #[arg(long)]
    pub inactive: bool,

    /// Make a worker already there active (re-adding otherwise keeps its state)
    #[arg(long, conflicts_with = "inactive")]
    pub active: bool,

    /// The worker's model, e.g. pioreactor_40ml (the leader's database keeps it; from 26.11 the
    /// worker too, told at its join)
    #[arg(short = 'm', long, value_name = "NAME")]
    pub model_name: Option<String>,

    /// The model's version, e.g. 1.5
    #[arg(long, value_name = "VERSION", requires = "model_name")]
    pub model_version: Option<String>,

    /// Do not reboot the worker at the end
    #[arg(long)]
    pub no_reboot: bool,

    /// Only edit config.ini; do not contact the worker
    #[arg(long)]
    pub offline: bool,

    /// Seconds to wait for the worker to appear on the network
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::ADD, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    #[command(flatten)]
    pub login: FirstLogin,

    #[command(flatten)]
    pub dry_run: DryRun,
}

// The password of a worker's first login (a new image's), before this leader's key is on it.
#[derive(Clone, Debug, Args)]
pub struct FirstLogin {
    /// Read the worker's SSH password from stdin (first contact only)
    #[arg(long)]
    pub password_stdin: bool,

    /// The worker's SSH password (first contact only). Other users see it in `ps`, and it stays
    /// in shell history: prefer --password-stdin
    #[arg(
        short,
        long,
        value_name = "PASSWORD",
        conflicts_with = "password_stdin"
    )]
    pub password: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReplaceArgs {
    /// The worker's hostname
    #[arg(value_name = "UNIT", value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// Its backup (`pio backup`'s zip, or the web page's export)
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub file: std::path::PathBuf,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,

    /// Seconds to wait for the worker to appear on the network
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::ADD, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    #[command(flatten)]
    pub login: FirstLogin,

    /// Check the archive and say what would be done, doing nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The workers' hostnames
    #[arg(required = true, value_name = "HOSTNAME", value_hint = clap::ValueHint::Hostname)]
    pub hostnames: Vec<String>,

    /// Do not halt the workers' jobs
    #[arg(long)]
    pub keep_running: bool,

    /// Only change the inventory; do not contact the workers (no halting, no copy of config.ini)
    #[arg(long)]
    pub offline: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub dry_run: DryRun,
}

#[derive(Debug, Args)]
pub struct SetActiveArgs {
    /// The worker's hostname
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub hostname: String,

    /// 1/0, yes/no, true/false or on/off
    #[arg(value_name = "1|0", value_parser = state_parser(), action = clap::ArgAction::Set)]
    pub active: bool,

    /// Only change the inventory; do not contact the worker (no copy of config.ini, no halting)
    #[arg(long)]
    pub offline: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    #[command(flatten)]
    pub dry_run: DryRun,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The unit to back up (a worker or the leader)
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The file to write (default: <unit>-<UTC time>.zip here); never replaced if it exists
    #[arg(short, long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub output: Option<std::path::PathBuf>,

    /// How to reach the unit
    #[arg(long, value_enum, default_value_t = Via::Auto)]
    pub via: Via,

    /// Seconds the whole backup may take
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::ARCHIVE, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Show the plan and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The unit whose ~/.pioreactor is replaced
    #[arg(value_hint = clap::ValueHint::Hostname)]
    pub unit: String,

    /// The archive: a zip from `pio backup` or the web UI's export
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub file: std::path::PathBuf,

    /// Restore an archive of another unit, or one that names no unit
    #[arg(long)]
    pub other_unit: bool,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub yes: bool,

    /// Do not reboot the unit afterwards (over SSH; the web API's import reboots it anyway)
    #[arg(long)]
    pub no_reboot: bool,

    /// How to reach the unit
    #[arg(long, value_enum, default_value_t = Via::Auto)]
    pub via: Via,

    /// Seconds the whole restore may take
    #[arg(long, value_name = "SECS", default_value_t = crate::timeouts::ARCHIVE, value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: f64,

    /// Check the archive, show the plan and do nothing
    #[arg(long)]
    pub dry_run: bool,
}
