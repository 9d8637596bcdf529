//! The command line: one definition that parses arguments and feeds help, completions and man pages.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  pio workers list                      every unit in the inventory
  pio workers add pio02 -a 192.168.1.42 add a worker with a static address
  pio workers set-active pio02 0        keep pio02 listed but inactive
  pio workers remove pio02              take pio02 out of the cluster

config.ini is found at --config, else $GLOBAL_CONFIG, else $DOT_PIOREACTOR/config.ini, else
~/.pioreactor/config.ini. With no file, this unit is a single-unit cluster (leader and only
worker); the first change writes the file.

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
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this config.ini instead of looking it up
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print machine-readable JSON on stdout (a stable schema)
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Say nothing on stderr except errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more on stderr (which config.ini, what is done)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the workers in the cluster's inventory
    #[command(subcommand)]
    Workers(WorkersCommand),

    /// Write completions and man pages (for packaging)
    #[command(hide = true, name = "generate-docs")]
    GenerateDocs {
        /// Folder that receives completions/ and man/
        #[arg(value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkersCommand {
    /// List every unit in the inventory
    #[command(after_help = "\
Examples:
  pio workers list
  pio workers list --active --names     names of active workers, one per line
  pio workers list --json | jq '.[] | select(.active) | .name'")]
    List(ListArgs),

    /// Add a worker to the inventory (or update its address or state)
    #[command(after_help = "\
Examples:
  pio workers add pio02 --offline
  pio workers add pio03 -a 192.168.1.43 --offline
  pio workers add pio04 --inactive --offline --dry-run

Adding a worker that is already listed exactly so changes nothing and exits 0.")]
    Add(AddArgs),

    /// Remove workers from the inventory, with their addresses
    #[command(after_help = "\
Examples:
  pio workers remove pio02
  pio workers remove pio02 pio03 --dry-run

All or nothing: if any name is not in the inventory, nothing is removed.")]
    Remove(RemoveArgs),

    /// Make a worker active (1) or inactive (0)
    #[command(after_help = "\
Examples:
  pio workers set-active pio02 0
  pio workers set-active pio02 yes

Inactive workers stay in the inventory but run nothing.")]
    SetActive(SetActiveArgs),
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

    /// Add the worker as inactive
    #[arg(long)]
    pub inactive: bool,

    /// Only edit config.ini; do not contact the worker
    #[arg(long)]
    pub offline: bool,

    #[command(flatten)]
    pub dry_run: DryRun,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The workers' hostnames
    #[arg(required = true, value_name = "HOSTNAME")]
    pub hostnames: Vec<String>,

    #[command(flatten)]
    pub dry_run: DryRun,
}

#[derive(Debug, Args)]
pub struct SetActiveArgs {
    /// The worker's hostname
    pub hostname: String,

    /// 1/0, yes/no, true/false or on/off
    #[arg(value_name = "1|0", value_parser = parse_flag, action = clap::ArgAction::Set)]
    pub active: bool,

    #[command(flatten)]
    pub dry_run: DryRun,
}

fn parse_flag(s: &str) -> Result<bool, String> {
    crate::config::python_bool(s)
        .ok_or_else(|| format!("'{s}' is not one of 1/0, yes/no, true/false, on/off"))
}

/// The clap command, for parsing and for completions and man pages.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn definitions_are_consistent() {
        super::command().debug_assert();
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
