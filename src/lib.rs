//! pio: manage a Pioreactor cluster from its leader.
//!
//! Data flows one way: arguments ([`cli`]) → a resolved [`context`] → a command ([`commands`]) →
//! the cluster model ([`cluster`]) and its file ([`config`]) → a report → [`output`].

pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod context;
pub mod docs;
pub mod error;
pub mod inventory;
pub mod output;
pub mod transport;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, WorkersCommand};
use commands::workers;
use context::{Context, Env};
use error::Result;

/// Runs pio with these arguments and environment, printing errors, and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, env: &Env) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; everything else clap reports is a usage error.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(error::Kind::Usage.exit_code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let ctx = Context::resolve(&cli.global, env);
    match dispatch(&ctx, &cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(&e, ctx.color && ctx.stderr_is_terminal);
            e.exit_code()
        }
    }
}

fn dispatch(ctx: &Context, command: &Command) -> Result<()> {
    match command {
        Command::Workers(w) => match w {
            WorkersCommand::List(args) => workers::list::run(ctx, args),
            WorkersCommand::Add(args) => workers::add::run(ctx, args),
            WorkersCommand::Remove(args) => workers::remove::run(ctx, args),
            WorkersCommand::SetActive(args) => workers::set_active::run(ctx, args),
            WorkersCommand::Status(args) => workers::status::run(ctx, args),
            WorkersCommand::Discover(args) => workers::discover::run(ctx, args),
            WorkersCommand::Assign(args) => workers::assign::assign(ctx, args),
            WorkersCommand::Unassign(args) => workers::assign::unassign(ctx, args),
            WorkersCommand::SyncConfigs(args) => workers::sync_configs::run(ctx, args),
        },
        Command::Identify(args) => commands::identify::run(ctx, args),
        Command::Reboot(args) => commands::reboot::run(ctx, args),
        Command::Rename(args) => commands::rename::run(ctx, args),
        Command::GenerateDocs { out } => docs::generate(out),
    }
}
