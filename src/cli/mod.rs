//! The command line: one definition that parses arguments and feeds help, completions and man pages.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod args;

pub use args::*;

const AFTER_HELP: &str = "\
Examples:
  pio workers list                      every unit in the inventory
  pio workers add pio02 -a 192.168.1.42 add a worker with a static address
  pio workers set-active pio02 0        keep pio02 listed but inactive
  pio workers remove pio02              take pio02 out of the cluster

config.ini is found at --config, else $GLOBAL_CONFIG, else $DOT_PIOREACTOR/config.ini, else
~/.pioreactor/config.ini. With no file, this unit is a single-unit cluster (leader and only
worker); the first change writes the file.

Any other command (run, kill, logs, version, update, config, ...) belongs
to the Pioreactor Python CLI, also called pio: this pio runs it in its place, with the same
arguments. It is found at $PIO_PYTHON_CLI, else as the next `pio` on $PATH that is not this one,
else at /opt/pioreactor/venv/bin/pio.

Exit codes:
    0  success
    1  an operation failed (e.g. a unit could not be reached)
    2  usage error or invalid input (arguments, names, addresses, config.ini contents)
    3  config.ini could not be read or written
    4  config.ini stayed locked by another pio past the wait
    5  confirmation needed but no terminal and no --yes
  130  interrupted (Ctrl-C)";

/// Manage a Pioreactor cluster from its leader.
#[derive(Debug, Parser)]
#[command(name = "pio", version, about, after_help = AFTER_HELP)]
#[command(propagate_version = true, disable_help_subcommand = false)]
#[command(args = GlobalArgs::options())]
pub struct Cli {
    /// The global options of every level, merged by [`parse`] (clap's own `Cli::parse_from`
    /// leaves them at their defaults).
    #[arg(skip)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Parses the command line as `Cli::try_parse_from` does, with the global options given at any
/// level of it merged into `Cli::global` (see [`WithGlobal`]). It leaves the command tree clap
/// built to the end of the process: freeing its many small allocations cost a tenth of `workers
/// list`'s instructions, for memory the exit frees anyway.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::FromArgMatches;
    let mut command = command();
    let parsed = match command.try_get_matches_from_mut(args) {
        Ok(mut matches) => match global_options(&command, &matches) {
            Ok(global) => Cli::from_arg_matches_mut(&mut matches)
                .map(|cli| Cli { global, ..cli })
                .map_err(|e| e.format(&mut command)),
            // Said with the usage of the command given, as clap says its own conflicts.
            Err((e, path)) => {
                let mut at = &mut command;
                for name in &path {
                    at = at.find_subcommand_mut(name).expect("a level just parsed");
                }
                Err(e.format(at))
            }
        },
        Err(e) => Err(e),
    };
    std::mem::forget(command);
    parsed
}

/// The global options of every level of the command line (`pio -v workers list --json`): a
/// value given deeper (nearer the command) overrides one given before it, as with clap's global
/// arguments; `--quiet` anywhere conflicts with `--verbose` anywhere.
/// On a conflict, the error and the names of the commands given (for their usage line).
fn global_options(
    command: &clap::Command,
    matches: &clap::ArgMatches,
) -> Result<GlobalArgs, (clap::Error, Vec<String>)> {
    use clap::parser::ValueSource;
    let mut global = GlobalArgs::read(matches);
    let (mut command, mut level, mut path) = (command, matches, Vec::new());
    while let Some((name, sub)) = level.subcommand() {
        // A command handed to the Python CLI has no options of pio's: the walk ends there.
        let Some(sub_command) = command
            .find_subcommand(name)
            .filter(|c| GlobalArgs::taken_by(c))
        else {
            break;
        };
        (command, level) = (sub_command, sub);
        path.push(name.to_string());
        let here = GlobalArgs::read(level);
        // `--color` has a default, which must not undo a choice made before; the others are
        // set only where given.
        if level.value_source("color") == Some(ValueSource::CommandLine) {
            global.color = here.color;
        }
        global.config = here.config.or(global.config);
        global.inventory = here.inventory.or(global.inventory);
        global.json |= here.json;
        global.quiet |= here.quiet;
        global.verbose |= here.verbose;
    }
    if global.quiet && global.verbose {
        let e = clap::Error::raw(
            clap::error::ErrorKind::ArgumentConflict,
            "the argument '--quiet' cannot be used with '--verbose'",
        );
        return Err((e, path));
    }
    Ok(global)
}

// A command's own arguments and the global options. Each level of the command line (`pio`,
// `pio workers`, `pio workers list`) takes the global options as its own arguments, so that
// they may follow any command word, and `parse` merges them. (clap's `global = true` did
// that by copying every global option into every subcommand at each start: a fifth of
// `workers list`'s instructions.) Derefs to the command's own arguments. (No doc comment:
// clap would take it for the command's description.)
#[derive(Debug, Args)]
#[command(args = GlobalArgs::options())]
pub struct WithGlobal<T: Args> {
    #[command(flatten)]
    pub args: T,
}

impl<T: Args> std::ops::Deref for WithGlobal<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.args
    }
}

/// Global options are listed under their own heading, after a command's own.
const GLOBAL: &str = "Global options";

#[derive(Debug, Default, Args)]
#[command(next_help_heading = GLOBAL)]
pub struct GlobalArgs {
    /// Use this config.ini instead of looking it up
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print machine-readable JSON on stdout (a stable schema)
    #[arg(long)]
    pub json: bool,

    /// When to use colour
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Say nothing on stderr except errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more on stderr (which config.ini, which inventory and why, what is done)
    #[arg(short, long)]
    pub verbose: bool,

    /// Where the inventory lives: config.ini (Pioreactor up to 24.3) or the leader's database
    /// through its web API (24.4 and later). Default: decided by evidence; see `-v`
    #[arg(long, value_name = "WHERE", value_parser = ["config", "api"])]
    pub inventory: Option<String>,
}

impl GlobalArgs {
    /// Whether a command takes every global option (each level of pio's own commands does).
    fn taken_by(command: &clap::Command) -> bool {
        ["config", "json", "color", "quiet", "verbose", "inventory"]
            .iter()
            .all(|id| command.get_arguments().any(|a| a.get_id() == id))
    }

    /// The global options given at one level of the command line, one that takes them all
    /// ([`GlobalArgs::taken_by`]). (clap's `from_arg_matches` would first copy the level's
    /// matches, and every level below it.)
    fn read(level: &clap::ArgMatches) -> GlobalArgs {
        GlobalArgs {
            config: level.get_one::<PathBuf>("config").cloned(),
            json: level.get_flag("json"),
            color: level.get_one("color").copied().unwrap_or_default(),
            quiet: level.get_flag("quiet"),
            verbose: level.get_flag("verbose"),
            inventory: level.get_one::<String>("inventory").cloned(),
        }
    }

    /// The global options as arguments, for each level of the command line (`pio`, `pio
    /// workers`, the command): built once and copied (building a clap argument costs about five
    /// times as much as copying one).
    pub fn options() -> Vec<clap::Arg> {
        static OPTIONS: std::sync::OnceLock<Vec<clap::Arg>> = std::sync::OnceLock::new();
        OPTIONS
            .get_or_init(|| {
                Self::augment_args(clap::Command::new("options"))
                    .get_arguments()
                    .cloned()
                    .collect()
            })
            .clone()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Each subcommand's arguments are built only when it is the one being parsed (`defer`): building
/// every command's arguments took more than half of start-up. Help, man pages and completions
/// build the whole tree.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Manage the workers in the cluster's inventory
    #[command(subcommand)]
    Workers(WorkersCommand),

    /// Diagnose the cluster: this unit, then every unit (names, SSH, web API, versions, clocks)
    #[command(after_help = "\
Examples:
  pio doctor                            this unit and every unit in the inventory
  pio doctor pio03 --json               one object per check: unit, check, verdict, detail, fix
  pio doctor --strict                   warnings count as failures (exit code 1)

Each check prints a verdict (ok, warn, fail), what it saw, and for the others the exact command
or edit that fixes it. This unit: config.ini, its name against leader_hostname, where the
inventory lives and why, its SSH key pair, the LED pin (on a Pi). Each unit, in parallel: its
address (static or mDNS, and how long that took), SSH (reachable, host key known and matching,
this leader's key accepted, the right hostname), the web API on the [ui] port, its software
version against this unit's, its clock against this unit's (warn past 2 s, fail past 60 s), and
in the config.ini era what its own config.ini says of it. Exit code 0 when nothing failed.")]
    Doctor(WithGlobal<DoctorArgs>),

    /// Blink a unit's blue LED, to find it at the bench
    #[command(after_help = "\
Examples:
  pio identify                          this unit, through its GPIO pin
  pio identify pio03                    another unit, over SSH
  pio identify --roll-call --all        one unit after another, printing each name as it blinks
  pio identify pio02 --duration 20      keep blinking about 20 s

The pattern is four double blinks (about 3.5 s); --duration repeats it. On this unit pio drives
the LED's GPIO pin itself: BCM 23 up to Pioreactor 25.9, from 25.11 the pcb_led_pin of the unit's
hardware description (~/.pioreactor/hardware/.../gpio.yaml); [identify] led_bcm_pin in config.ini
overrides it. Ctrl-C stops and leaves the LED off. Other units run `pio identify` over SSH, or the Python stack's `pio blink` where
this pio is not installed.")]
    Identify(WithGlobal<IdentifyArgs>),

    /// Rename a worker: its hostname, its config.ini entries, then a reboot
    #[command(after_help = "\
Examples:
  pio rename pio07 pio12
  pio rename pio07 pio12 --dry-run
  pio rename pio07 pio12 --no-wait

Steps: check the unit at pio07's address answers `hostname` with pio07; set its hostname and its
/etc/hosts line over SSH; then rename its keys in config.ini in place (same line, same active
flag, comments intact), rename config_pio07.ini beside config.ini, forget pio07's known_hosts
entries, reboot it, and wait (--timeout) until it answers as pio12. A failure says which steps
happened and what finishes or undoes them; running the same rename again continues it.
The leader cannot be renamed this way: that means rebuilding the cluster.")]
    Rename(WithGlobal<RenameArgs>),

    /// Reboot units (in parallel; the leader last)
    #[command(after_help = "\
Examples:
  pio reboot pio02                      asks first on a terminal
  pio reboot 'pio[01-08]' --yes         a node set; --yes for scripts and cron
  pio reboot --all --yes                every worker except the leader
  pio reboot --all --dry-run            show what would happen

UNITS are names, comma lists or node sets (pio[01-08], pio[01-03,07]); each must be in the
inventory (or be the leader). The leader reboots only when named, and always last. Without a
terminal and without --yes, pio refuses (exit code 5) instead of asking.

--wait: after asking, wait (--timeout, default 180 s) until each unit has really restarted (its
boot id changed, or it went away) and answers again over the transport that rebooted it; exit
code 1 names the units not back in time.")]
    Reboot(WithGlobal<RebootArgs>),

    /// Repair units' Pioreactor files and services (Pioreactor 26.5 and later)
    #[command(after_help = "\
Examples:
  pio repair pio03                      one unit
  pio repair --all --json               every worker, one object per unit

The web page's \"Repair\": each unit fixes the ownership and permissions of its Pioreactor files
and starts its Pioreactor services that are not running, through its web API (POST
/unit_api/system/repair, the task followed until it ends) where it answers, else `pio repair`
over SSH. A unit of a release before 26.5 has no repair: it is named as failed and sent nothing.
Exit code 1 names the units not repaired.")]
    Repair(WithGlobal<RepairArgs>),

    /// The whole cluster at once (`cluster join` and `leave` are the Python CLI's)
    #[command(subcommand)]
    Cluster(ClusterCommand),

    /// Shut units down (power off; in parallel, the leader last)
    #[command(after_help = "\
Examples:
  pio shutdown pio02                    asks first on a terminal
  pio shutdown 'pio[01-08]' --yes       a node set; --yes for scripts and cron
  pio shutdown --all --yes              every worker except the leader
  pio shutdown --all --dry-run          show what would happen

UNITS are names, comma lists or node sets (pio[01-08], pio[01-03,07]); each must be in the
inventory (or be the leader). The leader shuts down only when named, and always last, after
every worker has answered. Each unit is asked through its web API (POST
/unit_api/system/shutdown, Pioreactor 24.9 and later) where it answers, else over SSH (`sudo
shutdown -h now`, every release). Without a terminal and without --yes, pio refuses (exit code
5) instead of asking. Exit code 1 names the units that did not accept (unlike `pios shutdown`,
a failed unit is never silent). A unit that is off can only be started again at its power
switch.")]
    Shutdown(WithGlobal<ShutdownArgs>),

    /// Each unit's clock against the leader's; --sync brings them to it
    #[command(after_help = "\
Examples:
  pio clock                             every unit: its offset from the leader's clock
  pio clock 'pio[01-08]' --json         a node set, as JSON
  pio clock --tolerance 0.5             flag units more than 0.5 s off
  pio clock --all --sync                bring every unit beyond the tolerance to the leader's time
  pio clock --all --sync --dry-run      read the clocks, say what --sync would do

With no UNITS, every worker (--all). The leader's clock is the reference (this unit's, when pio
runs on the leader; else it is read too). Each unit is read through its web API (GET
/unit_api/system/utc_clock, Pioreactor 25.1.21 and later) where it answers, else with `date`
over SSH; the offset is the unit's time minus the leader's at the middle of the request, whose
round trip is shown (the offset is known to within half of it). Units off by more than
--tolerance (default 2 s) are flagged.

--sync acts on the units beyond the tolerance, the way each unit's release has it: from 25.1.21
POST /unit_api/system/utc_clock (the unit syncs from its chrony sources: chronyd -q); over SSH
`sudo chronyd -q` where chrony has the leader as a source (the add of 24.5.1 and later writes
it), else `sudo date -u --set` to the leader's time. It never sets the leader's clock, nor the
clock of the unit pio runs on. Then it reads them again.

--timeout bounds each step of a unit: reading, syncing, reading again. Exit code 1 when a clock
could not be read, is beyond the tolerance (after --sync, as read again), or could not be
synced.")]
    Clock(WithGlobal<ClockArgs>),
    /// Save a unit's ~/.pioreactor (the leader's database included) to a zip on this machine
    #[command(after_help = "\
Examples:
  pio backup pio02                      writes pio02-20261206T153000Z.zip here
  pio backup leader1 -o /mnt/usb/leader1.zip
  pio backup pio02 --dry-run            how it would be fetched, and where written

The archive is the web UI's format (paths relative to ~/.pioreactor, and
pioreactor_export_metadata.json naming the unit), so the web UI can import it and pio can
restore the web UI's exports. From Pioreactor 25.11.12 a worker's comes from its web API
(GET /unit_api/zipped_dot_pioreactor); otherwise, and always for the leader, over SSH, where a
Python script zips ~/.pioreactor and takes every SQLite database through SQLite's online backup,
never copying a live file. The file is written under a temporary name, checked (no member outside
~/.pioreactor, no links; at most 4 GiB), then given its name with mode 0600: it holds the unit's
credentials. An existing file is never replaced.")]
    Backup(WithGlobal<BackupArgs>),

    /// Replace a unit's ~/.pioreactor with an archive from `pio backup` or the web UI
    #[command(after_help = "\
Examples:
  pio restore pio02 pio02-20261206T153000Z.zip
  pio restore pio05 pio02-20261206T153000Z.zip --other-unit --yes   pio02's files onto pio05
  pio restore pio02 backup.zip --dry-run

Steps: check the archive (every member a file or folder inside ~/.pioreactor: no absolute path,
no `..`, no link; at most 4 GiB) and that it is this unit's (its pioreactor_export_metadata.json
names it; --other-unit restores another unit's, or one that names none); halt the unit's jobs;
put the archive in place (from Pioreactor 25.11.12 through its web API's import, which reboots
the unit itself; else over SSH, where the old folder is kept as ~/.pioreactor.before-restore-<UTC
time>); reboot it (--no-reboot skips that over SSH). On a terminal pio asks first unless --yes;
without one and without --yes it refuses (exit code 5).")]
    Restore(WithGlobal<RestoreArgs>),

    /// Any other command: handed to the Python CLI.
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ClusterCommand {
    /// Update the Pioreactor software of every unit: the workers first, then the leader
    #[command(
        after_help = "\
Examples:
  pio cluster update --dry-run                  the order, and how each unit would be updated
  pio cluster update --version 26.11.1 --yes    every worker, then the leader, to 26.11.1
  pio cluster update --fanout 4 --yes           the latest release, four workers at a time

The workers first, --fanout at a time, each through its web API's update task (POST
/unit_api/system/update/app, Pioreactor 25.8 and later) where it answers, else the Python CLI's
`pio update app` over SSH, and waited for (--timeout) until it answers with a new release (the
one --version names); then the
leader, the same way, only when every worker was updated (updating the leader first stops its task
queue, and a worker older than its leader misbehaves). Last, every unit's release is compared.
The first failure stops the update: exit code 1, each unit said to be updated, failed or not
tried. `pio update app` alone still updates this unit only, through the Python CLI. Without a
terminal and without --yes, pio refuses (exit code 5).",
        disable_version_flag = true
    )]
    Update(WithGlobal<ClusterUpdateArgs>),

    /// Any other cluster command: handed to the Python CLI.
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum WorkersCommand {
    /// List every unit in the inventory
    #[command(after_help = "\
Examples:
  pio workers list
  pio workers list --active --names     names of active workers, one per line
  pio workers list --json | jq '.[] | select(.active) | .name'")]
    List(WithGlobal<ListArgs>),

    /// Add a worker to the inventory (or update its address or state)
    #[command(after_help = "\
Examples:
  pio workers add pio02                 find pio02.local by mDNS, set it up, add it
  pio workers add pio03 -a 192.168.1.43 --offline
  pio workers add pio04 --inactive --dry-run
  echo \"$PW\" | pio workers add pio05 --password-stdin

Steps: 1 find the address; 2 wait for SSH (--timeout); 3 log in with this leader's key, or once
with a password (--password-stdin, -p, else the image default) and install the key; 4 check it is
a Pioreactor named exactly <hostname>; 5 add it to the inventory (config.ini's line and
config_<hostname>.ini, or PUT /api/workers on Pioreactor 24.4 and later); 6 copy config.ini to it
(and config_<hostname>.ini as unit_config.ini where its release, asked with `pio version`, is
older than 26.4); 7 give it this leader's time as its release does (`pio cluster join` from 26.11,
with the model; else `sudo date`, and from 24.5.1 the leader as chrony source); 8 reboot it (--no-reboot skips that). A failure in steps 1-4 changes nothing; after step
5, running the same add again finishes it. --offline does step 5 only. Adding a worker that is
already listed exactly so changes nothing. The address goes to [cluster.addresses] only when
given with -a.")]
    Add(WithGlobal<AddArgs>),

    /// Bring back a worker on a re-flashed SD card: forget its old host key, set it up again,
    /// restore its backup
    #[command(after_help = "\
Examples:
  pio backup pio03                                  before: its files, to pio03-<UTC>.zip
  pio workers replace pio03 pio03-20261206T071500Z.zip --dry-run
  echo \"$PW\" | pio workers replace pio03 pio03-20261206T071500Z.zip --password-stdin --yes

For a worker already in the inventory whose card was re-flashed: the archive is checked first (it
must be this unit's: `pio backup`'s, or the web page's export); then its old host key is
forgotten (a re-flashed card has a new one), it is set up again as `pio workers add <unit>
--no-reboot` does (this leader's key installed with the image's password, config.ini, its clock),
and the archive is restored onto it as `pio restore` does (its jobs halted, its ~/.pioreactor put
back, a reboot). Without a terminal and without --yes, pio refuses (exit code 5). After a
failure, running the same replace again goes on.")]
    Replace(WithGlobal<ReplaceArgs>),

    /// Remove workers from the inventory, with their addresses
    #[command(after_help = "\
Examples:
  pio workers remove pio02
  pio workers remove pio02 pio03 --dry-run
  pio workers remove pio04 --keep-running

All or nothing: if any name is not in the inventory, nothing is removed. Reachable workers have
their jobs halted first (unless --keep-running); their known_hosts entries are deleted.")]
    Remove(WithGlobal<RemoveArgs>),

    /// Make a worker active (1) or inactive (0)
    #[command(
        visible_alias = "update-active",
        after_help = "\
Examples:
  pio workers set-active pio02 0
  pio workers set-active pio02 yes
  pio workers update-active pio02 1     the Python CLI's spelling

Inactive workers stay in the inventory but run nothing: set-active 0 also halts every job on
the worker. If it cannot be reached, config.ini still changes and pio exits with 1."
    )]
    SetActive(WithGlobal<SetActiveArgs>),

    /// Find workers on the network by mDNS
    #[command(after_help = "\
Examples:
  pio workers discover                  every worker answering on this network
  pio workers discover --new            only those not yet in the inventory
  pio workers discover --new --json | jq -r '.[].name'

Browses for _pio-worker._tcp.local. and stops after --timeout: it never hangs in a script.")]
    Discover(WithGlobal<DiscoverArgs>),

    /// Assign a worker to an experiment (Pioreactor 24.4 and later)
    #[command(after_help = "\
Examples:
  pio workers assign pio02 'Trial 3'
  pio workers assign pio02 trial-4      moves pio02 from its current experiment

The experiment must exist (the web UI creates experiments). A worker takes part in one
experiment at a time. Releases up to 24.3 have no per-worker assignment (exit code 2).")]
    Assign(WithGlobal<AssignArgs>),

    /// Unassign a worker from its experiment (Pioreactor 24.4 and later)
    #[command(after_help = "\
Examples:
  pio workers unassign pio02            from whatever experiment it is in
  pio workers unassign pio02 'Trial 3'  only if it is in Trial 3

The leader halts that experiment's jobs on the worker.")]
    Unassign(WithGlobal<UnassignArgs>),

    /// Copy this leader's config.ini (and config_<unit>.ini) to units
    #[command(after_help = "\
Examples:
  pio workers sync-configs pio02
  pio workers sync-configs --all        every active worker

Each unit gets config.ini as ~/.pioreactor/config.ini over SSH, and its own settings the way
its release keeps them: before 26.4, this leader's config_<unit>.ini (where there is one) as
~/.pioreactor/unit_config.ini; from 26.4 the unit owns its unit_config.ini, which is never
sent, and is fetched into config_<unit>.ini as this leader's snapshot of it. pio learns each
unit's release from the unit (`pio version`).
The leader itself is skipped: its config.ini is the source. Exit code 1 names the units that
could not be reached.")]
    SyncConfigs(WithGlobal<SyncConfigsArgs>),

    /// Check which units answer, and how
    #[command(after_help = "\
Examples:
  pio workers status
  pio workers status 'pio[01-04]' --json

Exit code 0 only if every active unit answered.")]
    Status(WithGlobal<StatusArgs>),

    /// A worker's model: where the leader's database keeps it (26.11 and later: the unit does,
    /// and the leader passes a change on to it)
    #[command(subcommand)]
    Model(ModelCommand),

    /// Set a worker's model (the Python CLI's spelling before 26.11; `workers model set` since)
    #[command(after_help = "\
Examples:
  pio workers update-model pio02 -m pioreactor_40ml -v 1.5")]
    UpdateModel(WithGlobal<UpdateModelArgs>),

    /// Any other workers command: handed to the Python CLI.
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

fn parse_pause(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=3600.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{s}' is not a number of seconds between 0 and 3600"
        )),
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "'{s}' is not a number of seconds: give more than 0 and at most 86400 (a day)"
        )),
    }
}

fn parse_flag(s: &str) -> Result<bool, String> {
    crate::config::python_bool(s)
        .ok_or_else(|| format!("'{s}' is not one of 1/0, yes/no, true/false, on/off"))
}

/// A state as [`parse_flag`] reads it, with `1` and `0` offered to shell completion.
fn state_parser() -> impl clap::builder::TypedValueParser<Value = bool> {
    use clap::builder::{PossibleValue, TypedValueParser};
    #[derive(Clone)]
    struct State;
    impl TypedValueParser for State {
        type Value = bool;
        fn parse_ref(
            &self,
            cmd: &clap::Command,
            arg: Option<&clap::Arg>,
            value: &std::ffi::OsStr,
        ) -> Result<bool, clap::Error> {
            // parse_flag's own message, as a plain function parser gives it.
            clap::builder::StringValueParser::new()
                .try_map(|s: String| parse_flag(&s))
                .parse_ref(cmd, arg, value)
        }
        fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
            let hidden = ["yes", "no", "true", "false", "on", "off"];
            let shown = [
                PossibleValue::new("1").help("active"),
                PossibleValue::new("0").help("inactive"),
            ];
            Some(Box::new(shown.into_iter().chain(
                hidden.into_iter().map(|v| PossibleValue::new(v).hide(true)),
            )))
        }
    }
    State
}

/// The Python CLI's `pio workers add NAME -m MODEL -v VERSION`: there `-v` is the model's
/// version, here it is `--verbose`. After `workers add`, a `-v` followed by a version number
/// (digits and dots, which no hostname is) is read as `--model-version`.
pub fn python_spellings(args: &[std::ffi::OsString]) -> Vec<std::ffi::OsString> {
    let is_version = |a: &std::ffi::OsString| {
        a.to_str().is_some_and(|s| {
            !s.is_empty()
                && s.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    let add_at = args
        .windows(2)
        .position(|w| w[0] == "workers" && (w[1] == "add" || w[1] == "update-model"));
    let mut out = args.to_vec();
    if let Some(at) = add_at {
        for i in at + 2..out.len().saturating_sub(1) {
            if out[i] == "-v" && is_version(&out[i + 1]) {
                out[i] = "--model-version".into();
            }
        }
    }
    out
}

/// The clap command, for parsing and for completions and man pages. The groups of commands
/// (`pio workers`, `pio cluster`, `pio workers model`) take the global options when they are
/// parsed, as each command does (`WithGlobal`), not at every start.
pub fn command() -> clap::Command {
    // Deferred as clap defers each command's own arguments; `mut_subcommands` keeps the order.
    fn with_global_options(group: clap::Command) -> clap::Command {
        group.args(GlobalArgs::options())
    }
    fn group_takes_global_options(sub: clap::Command) -> clap::Command {
        match sub.get_name() {
            "workers" | "cluster" | "model" => sub
                .defer(with_global_options)
                .mut_subcommands(group_takes_global_options),
            _ => sub,
        }
    }
    <Cli as clap::CommandFactory>::command().mut_subcommands(group_takes_global_options)
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, GlobalArgs};

    #[test]
    fn definitions_are_consistent() {
        super::command().debug_assert();
    }

    fn global(args: &[&str]) -> Result<GlobalArgs, clap::Error> {
        super::parse(std::iter::once("pio").chain(args.iter().copied())).map(|cli| cli.global)
    }

    /// Each level of the command line takes the global options; a deeper one overrides.
    #[test]
    fn global_options_follow_any_command_word() {
        for args in [
            &["--json", "workers", "list"][..],
            &["workers", "--json", "list"],
            &["workers", "list", "--json"],
            &["workers", "model", "--json", "get", "pio02"],
            &["workers", "model", "get", "pio02", "--json"],
            &["cluster", "--json", "update", "--dry-run"],
            &["doctor", "--json"],
        ] {
            assert!(global(args).unwrap().json, "{args:?}");
        }
        assert!(!global(&["workers", "list"]).unwrap().json);

        let g = global(&["--config", "/a", "--color", "always", "workers", "list"]).unwrap();
        assert_eq!(g.config, Some("/a".into()));
        assert_eq!(g.color, ColorChoice::Always);
        let g = global(&[
            "--config",
            "/a",
            "--inventory",
            "api",
            "workers",
            "--config",
            "/b",
            "list",
            "--color",
            "never",
            "-v",
        ])
        .unwrap();
        assert_eq!(g.config, Some("/b".into()));
        assert_eq!(g.color, ColorChoice::Never);
        assert_eq!(g.inventory.as_deref(), Some("api"));
        assert!(g.verbose && !g.quiet);
        // A default deeper down does not undo a choice made before it.
        let g = global(&["--color", "never", "workers", "list"]).unwrap();
        assert_eq!(g.color, ColorChoice::Never);
        assert_eq!(
            global(&["workers", "list"]).unwrap().color,
            ColorChoice::Auto
        );
    }

    /// `-q` and `-v` conflict wherever each is given (they did only side by side).
    #[test]
    fn quiet_and_verbose_conflict_across_levels() {
        for args in [
            &["-q", "workers", "list", "-v"][..],
            &["-q", "workers", "-v", "list"],
            &["workers", "-v", "list", "--quiet"],
            &["workers", "list", "-q", "-v"],
        ] {
            let e = global(args).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{args:?}"
            );
            // With the usage of the command given, as clap's own conflicts are said.
            assert!(e.to_string().contains("Usage: pio workers list"), "{e}");
        }
    }

    /// The words after a command handed to the Python CLI are its own, global-looking or not.
    #[test]
    fn python_cli_commands_keep_their_words() {
        let g = global(&["-v", "run", "stirring", "--json", "-q"]).unwrap();
        assert!(g.verbose && !g.json && !g.quiet);
        let g = global(&["workers", "--json", "frobnicate", "-q", "--config", "/x"]).unwrap();
        assert!(g.json && !g.quiet && g.config.is_none());
    }

    /// Help that names a time limit names the one the code uses.
    #[test]
    fn help_names_the_time_limits_the_code_uses() {
        use crate::timeouts::*;
        let help = |path: &[&str]| {
            let mut cmd = super::command();
            for name in path {
                cmd = cmd.find_subcommand(name).expect("a subcommand").clone();
            }
            cmd.render_long_help().to_string()
        };
        let reboot = help(&["reboot"]);
        for said in [
            format!("default {PER_UNIT}, at most {REBOOT_REQUEST_MAX}"),
            format!("default {COME_BACK} s"),
        ] {
            assert!(
                reboot.replace('\n', " ").contains(&said),
                "{said}: {reboot}"
            );
        }
        for (path, default) in [
            (&["workers", "status"][..], PER_UNIT),
            (&["identify"], PER_UNIT),
            (&["rename"], COME_BACK),
            (&["doctor"], DOCTOR_CHECK),
            (&["workers", "discover"], DISCOVER),
            (&["workers", "add"], ADD),
        ] {
            let text = help(path);
            assert!(
                text.contains(&format!("[default: {default}]")),
                "{path:?}: {text}"
            );
        }
    }

    #[test]
    fn python_model_version_spelling() {
        let os = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let args = os(&[
            "pio",
            "-v",
            "workers",
            "add",
            "p2",
            "-m",
            "pioreactor_40ml",
            "-v",
            "1.5",
            "-v",
        ]);
        assert_eq!(
            super::python_spellings(&args),
            os(&[
                "pio",
                "-v",
                "workers",
                "add",
                "p2",
                "-m",
                "pioreactor_40ml",
                "--model-version",
                "1.5",
                "-v"
            ])
        );
        let other = os(&["pio", "workers", "set-active", "p2", "-v", "1"]);
        assert_eq!(super::python_spellings(&other), other);
        let name = os(&["pio", "workers", "add", "-v", "pio02"]);
        assert_eq!(super::python_spellings(&name), name);
    }

    #[test]
    fn help_lists_every_exit_code() {
        for (code, meaning) in crate::error::EXIT_CODES {
            assert!(
                super::AFTER_HELP.contains(&format!("{code:>3}  {meaning}")),
                "exit code {code} missing from --help"
            );
        }
    }
}
