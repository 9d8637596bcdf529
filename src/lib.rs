//! pio: manage a Pioreactor cluster from its leader.
//!
//! Data flows one way: arguments ([`cli`]) → a resolved [`context`] → a command ([`commands`]) →
//! the cluster model ([`cluster`]) and its file ([`config`]) → a report → [`output`].

/// `eprintln!` that never panics: narration to a closed stderr (`pio reboot --all 2>&1 | head -1`)
/// must not stop an operation midway.
#[macro_export]
/// Control characters in it are escaped (`output::escape_controls`): narration repeats what
/// units, mDNS, the leader's API and config.ini say, which must not reach a terminal raw.
macro_rules! eprintln {
    () => {{
        $crate::output::stderr_text("\n");
    }};
    ($($arg:tt)*) => {{
        $crate::output::stderr_text(&format!("{}\n", format_args!($($arg)*)));
    }};
}

/// `eprint!` that never panics and escapes control characters (see [`eprintln!`]).
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {{
        $crate::output::stderr_text(&format!($($arg)*));
    }};
}

pub mod archive;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod context;
pub mod error;
pub mod files;
pub mod handoff;
pub mod hardware;
pub mod inventory;
pub mod output;
pub mod random;
pub mod release;
pub mod remote;
pub mod text;
pub mod timeouts;
pub mod transport;
pub mod utc;

use std::ffi::OsString;
use std::io::Write;

use cli::{ClusterCommand, Command, ModelCommand, WorkersCommand};
use commands::workers;
use context::{Context, Env};
use error::Result;

/// Runs pio with these arguments and environment, printing errors, and returns the exit code.
/// A command that belongs to the Python CLI replaces this process and never returns.
pub fn run(args: impl IntoIterator<Item = OsString>, env: &Env) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match cli::parse(cli::python_spellings(&args)) {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
            // Two programs answer to `pio`: say which one this is, and where the other is.
            let _ = writeln!(std::io::stdout(), "{}", handoff::version(&env.python_cli()));
            return 0;
        }
        Err(e) => {
            // --help is not an error; everything else clap reports is a usage error.
            let _ = e.print();
            return if e.use_stderr() {
                error::Kind::Usage.exit_code()
            } else {
                0
            };
        }
    };
    let ctx = Context::resolve(&cli.global, env);
    match dispatch(&ctx, &cli.command, &args) {
        Ok(()) => 0,
        Err(e) => {
            output::error(&e, ctx.color_stderr);
            e.exit_code()
        }
    }
}

/// `argv` is the command line as given, for the commands handed to the Python CLI.
fn dispatch(ctx: &Context, command: &Command, argv: &[OsString]) -> Result<()> {
    match command {
        Command::Workers(w) => match w {
            WorkersCommand::List(args) => workers::list::run(ctx, args),
            WorkersCommand::Add(args) => workers::add::run(ctx, args),
            WorkersCommand::Replace(args) => workers::replace::run(ctx, args),
            WorkersCommand::Remove(args) => workers::remove::run(ctx, args),
            WorkersCommand::SetActive(args) => workers::set_active::run(ctx, args),
            WorkersCommand::Status(args) => workers::status::run(ctx, args),
            WorkersCommand::Discover(args) => workers::discover::run(ctx, args),
            WorkersCommand::Assign(args) => workers::assign::assign(ctx, args),
            WorkersCommand::Unassign(args) => workers::assign::unassign(ctx, args),
            WorkersCommand::SyncConfigs(args) => workers::sync_configs::run(ctx, args),
            WorkersCommand::Model(ModelCommand::Get(args)) => workers::model::get(ctx, args),
            WorkersCommand::Model(ModelCommand::Set(args)) => workers::model::set(ctx, args),
            WorkersCommand::UpdateModel(args) => workers::model::update(ctx, args),
            WorkersCommand::External(sub) => {
                typo(&["workers"], &name(sub))?;
                Err(hand_off(ctx, &format!("workers {}", name(sub)), argv))
            }
        },
        Command::Doctor(args) => commands::doctor::run(ctx, args),
        Command::Identify(args) => commands::identify::run(ctx, args),
        Command::Reboot(args) => commands::reboot::run(ctx, args),
        Command::Repair(args) => commands::repair::run(ctx, args),
        Command::Cluster(ClusterCommand::Update(args)) => commands::cluster::update::run(ctx, args),
        Command::Cluster(ClusterCommand::External(sub)) => {
            typo(&["cluster"], &name(sub))?;
            Err(hand_off(ctx, &format!("cluster {}", name(sub)), argv))
        }
        Command::Shutdown(args) => commands::shutdown::run(ctx, args),
        Command::Clock(args) => commands::clock::run(ctx, args),
        Command::Rename(args) => commands::rename::run(ctx, args),
        Command::Backup(args) => commands::backup::run(ctx, args),
        Command::Restore(args) => commands::restore::run(ctx, args),
        Command::External(sub) => {
            typo(&[], &name(sub))?;
            Err(hand_off(ctx, &name(sub), argv))
        }
    }
}

/// A word close to one of pio's own commands (under `path`) is a typo to point out, not a
/// command for the Python CLI: `pio docter` is exit code 2 with "did you mean `pio doctor`?".
fn typo(path: &[&str], word: &str) -> Result<()> {
    let mut command = cli::command();
    for p in path {
        command = command.find_subcommand(p).cloned().unwrap_or(command);
    }
    let own: Vec<String> = command
        .get_subcommands()
        .flat_map(|c| {
            std::iter::once(c.get_name().to_string()).chain(c.get_all_aliases().map(str::to_string))
        })
        .collect();
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    match handoff::near_miss(word, &own) {
        None => Ok(()),
        Some(meant) => {
            let prefix: String = path.iter().map(|p| format!("{p} ")).collect();
            Err(error::Error::usage(format!(
                "`pio {prefix}{word}` is not a command; did you mean `pio {prefix}{meant}`?"
            ))
            .with_hint(format!(
                "`pio {prefix}--help` lists pio's own commands; a word not close to one of them goes to the Pioreactor Python CLI."
            )))
        }
    }
}

/// Execs the Python CLI with the command line exactly as given (global options before the
/// command included: the Python CLI says what it makes of them). Returns only on failure.
fn hand_off(ctx: &Context, command: &str, argv: &[OsString]) -> error::Error {
    handoff::exec(&ctx.python_cli, command, argv.get(1..).unwrap_or_default())
}

/// An unknown subcommand's name (clap puts it first), for messages.
fn name(external: &[OsString]) -> String {
    external
        .first()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
