//! One module per leaf command. Each takes its parsed arguments and the resolved context.

pub mod backup;
pub mod clock;
pub mod cluster;
pub mod doctor;
pub mod follow_up;
pub mod identify;
pub(crate) mod power;
pub mod reboot;
pub mod rename;
pub mod repair;
pub mod restore;
pub mod shutdown;
pub mod workers;

use std::path::PathBuf;

use crate::cluster::{Change, Cluster};
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inventory::{Applied, Inventory};
use crate::output::{self, ChangeReport, Narrator};
use crate::release::{Learnt, Release};
use crate::remote::{self, Remote};

/// Reads config.ini (the single-unit default when there is none at the default place), printing
/// its warnings.
pub fn read_config(ctx: &Context) -> Result<Config> {
    let narrator = Narrator::new(ctx);
    narrator.detail(&format!(
        "config.ini: {} (from {})",
        ctx.config_path.display(),
        ctx.config_source
    ));
    check_config_place(ctx)?;
    let config = Config::load(&ctx.config_path, &ctx.hostname)?;
    if !config.exists {
        narrator.detail("No config.ini yet: this unit is a single-unit cluster.");
    }
    for w in &config.warnings {
        narrator.warn(w);
    }
    Ok(config)
}

/// Only the default place (`~/.pioreactor`, or the folder `$DOT_PIOREACTOR` names) may have no
/// config.ini yet: a file named explicitly (`--config`, `$GLOBAL_CONFIG`) that does not exist is
/// a typo, not a new single-unit cluster; and without a home folder there is no default place
/// (never the current folder). Checked before anything is locked or written.
fn check_config_place(ctx: &Context) -> Result<()> {
    if ctx.config_source == "the default" && !ctx.home_known {
        return Err(Error::new(
            crate::error::Kind::ConfigIo,
            "this user has no home folder ($HOME is not set and there is no passwd entry), so \
             there is no default config.ini",
        )
        .with_hint("Set $HOME, or name the cluster's config.ini with --config."));
    }
    let explicit = matches!(ctx.config_source, "--config" | "$GLOBAL_CONFIG");
    if explicit && ctx.config_path.symlink_metadata().is_err() {
        return Err(Error::new(
            crate::error::Kind::ConfigIo,
            format!(
                "{} (from {}) does not exist",
                ctx.config_path.display(),
                ctx.config_source
            ),
        )
        .with_hint(format!(
            "Check the path. For a new cluster in a folder of its own, name the folder with \
             $DOT_PIOREACTOR (its config.ini is created there), or create the file first: `touch {}`.",
            ctx.config_path.display()
        )));
    }
    Ok(())
}

/// config.ini, and where its cluster's inventory lives (`-v` says which and why).
pub fn open_inventory(ctx: &Context) -> Result<Inventory> {
    let inventory = crate::inventory::open(ctx, || read_config(ctx))?;
    say_why(ctx, &inventory);
    Ok(inventory)
}

/// [`open_inventory`] for a command that changes it: refused at once (before any unit is
/// contacted) when config.ini has a section header missing its `]`.
pub fn open_inventory_to_edit(ctx: &Context) -> Result<Inventory> {
    let inventory = open_inventory(ctx)?;
    inventory.config.refuse_edits()?;
    Ok(inventory)
}

/// `yes` (`--yes`), else the operator's answer to `question` on a terminal; without one, a
/// refusal (exit code 5) saying to pass `--yes` to `command` from a script.
pub fn confirmed(ctx: &Context, yes: bool, question: &str, command: &str) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !(ctx.stdin_is_terminal && ctx.stderr_is_terminal) {
        return Err(Error::new(
            crate::error::Kind::NeedsConfirmation,
            format!("{question} Refusing without confirmation: there is no terminal to ask on."),
        )
        .with_hint(format!(
            "Pass --yes to {command} from a script or cron job."
        )));
    }
    crate::output::confirm(question)
        .map_err(|e| Error::failed(format!("cannot read the answer: {e}")))
}

/// The units named on the command line, or with `--experiment`, the active workers assigned to
/// those experiments in the leader's database ([`Inventory::assigned_to`]).
pub fn named_units(
    inventory: &Inventory,
    named: Vec<String>,
    experiments: &[String],
) -> Result<Vec<String>> {
    if experiments.is_empty() {
        Ok(named)
    } else {
        inventory.assigned_to(experiments)
    }
}

/// The inventory of a config.ini already read.
pub fn inventory_of(ctx: &Context, config: Config) -> Result<Inventory> {
    let inventory = crate::inventory::open(ctx, || Ok(config))?;
    say_why(ctx, &inventory);
    Ok(inventory)
}

fn say_why(ctx: &Context, inventory: &Inventory) {
    Narrator::new(ctx).detail(&format!(
        "inventory: {} ({})",
        inventory.place(),
        inventory.why
    ));
}

/// Names on stderr each line of config.ini that pio cannot use (file:line, why, how to fix),
/// and each section header missing its `]`:
/// the listings show the rest of the cluster, and these flagged.
pub fn warn_flagged(ctx: &Context, config: &Config, cluster: &Cluster) {
    let narrator = Narrator::new(ctx);
    for e in config.unclosed() {
        narrator.warn(&format!(
            "{} ({})",
            e.message,
            e.hint.as_deref().unwrap_or("")
        ));
    }
    for f in crate::cluster::flagged::each_line(&cluster.flagged) {
        narrator.warn(&format!("{} ({})", f.message, f.hint));
    }
}

/// Changes the inventory ([`Inventory::change`]) and prints what changed, and its warnings.
pub fn change_inventory(
    ctx: &Context,
    inventory: &mut Inventory,
    command: &str,
    dry_run: bool,
    contacts: bool,
    plan: &mut dyn FnMut(&Cluster) -> Result<Vec<Change>>,
) -> Result<Applied> {
    let applied = inventory.change(ctx, dry_run, contacts, plan)?;
    let narrator = Narrator::new(ctx);
    for w in &applied.warnings {
        narrator.warn(w);
    }
    report(ctx, command, dry_run, &applied)?;
    Ok(applied)
}

/// Prints what an inventory command changed (in config.ini and/or the leader's database).
pub fn report(ctx: &Context, command: &str, dry_run: bool, applied: &Applied) -> Result<()> {
    let report = ChangeReport {
        command,
        inventory: applied.era.as_str(),
        config_path: applied.config_path.clone(),
        changes: &applied.changes,
        dry_run,
        created: applied.created,
        diff: applied.diff.clone(),
    };
    output::changes(ctx, &report).map_err(stdout_error)
}

/// `config_<name>.ini` beside config.ini ([`remote::files::unit_config_path`]).
pub fn unit_config_path(ctx: &Context, name: &str) -> PathBuf {
    remote::files::unit_config_path(&ctx.config_path, name)
}

/// `config_<unit>.ini`, if anything is there, checked by the one rule for files (a regular file
/// of bounded size, reached through no link another user planted) before anything is changed:
/// else exit code 3 (2 when too large), nothing done.
pub fn check_unit_config(ctx: &Context, unit: &str) -> Result<()> {
    let path = unit_config_path(ctx, unit);
    if path.symlink_metadata().is_ok() {
        crate::config::store::read_unit_config(&path)?;
    }
    Ok(())
}

/// The release of the Pioreactor software installed on this leader, if pio can find it.
pub fn leader_release(ctx: &Context) -> Option<Release> {
    let site = crate::inventory::site_packages(ctx);
    crate::inventory::python_stack_version(&site).and_then(|(v, _)| Release::parse(&v))
}

/// A unit's release as learnt from it (see [`release_or_assumed`]).
pub fn release_of(
    ctx: &Context,
    inventory: &Inventory,
    remote: &Remote,
    cluster: &Cluster,
    unit: &str,
) -> (Release, Learnt) {
    let learnt = remote.release(cluster, unit);
    (release_or_assumed(ctx, inventory, &learnt), learnt)
}

/// The release learnt, else what this leader's release implies
/// ([`Inventory::assumed_release`]).
pub fn release_or_assumed(ctx: &Context, inventory: &Inventory, learnt: &Learnt) -> Release {
    match learnt.release() {
        Some(r) => r.clone(),
        None => inventory.assumed_release(leader_release(ctx).as_ref()),
    }
}

/// What pio does about a unit whose release it could not learn, in words.
pub fn unknown_release(unit: &str, learnt: &Learnt, assumed: &Release) -> Option<String> {
    match learnt {
        Learnt::Known(_) => None,
        Learnt::Unknown(why) => Some(format!(
            "{unit}'s release could not be learnt ({why}); treating it as {assumed}, as this \
             leader's release implies, except that its unit_config.ini is neither sent nor \
             fetched (a {owner} unit owns it): `pio workers sync-configs {unit} --specific` once \
             `pio version` answers there",
            owner = crate::release::first_with(crate::release::Feature::UnitOwnsUnitConfig)
        )),
    }
}

/// This unit's identify LED pin: `[identify] led_bcm_pin` where set, else as this unit's
/// release reads it ([`crate::hardware::led_pin`]).
pub fn local_led_pin(ctx: &Context, config: &Config) -> Result<crate::hardware::Pin> {
    if let Some(bcm) = config.led_pin_override()? {
        return Ok(crate::hardware::Pin {
            bcm,
            from: format!("[identify] led_bcm_pin in {}", ctx.config_path.display()),
        });
    }
    let release = leader_release(ctx);
    let hat = ctx.hardware.clone().or_else(|| {
        crate::files::read_text(std::path::Path::new(crate::hardware::HAT_EEPROM), 4096)
            .ok()
            .and_then(|t| crate::hardware::hat_from_eeprom(&t))
    });
    let dot = ctx
        .config_path
        .parent()
        .unwrap_or(std::path::Path::new("."));
    crate::hardware::led_pin(&crate::hardware::Unit {
        release: release.as_ref(),
        dot_pioreactor: dot,
        hat,
        // The Python stack's default model, which it uses when none is assigned.
        model: ("pioreactor_40ml".to_string(), "1.5".to_string()),
    })
    .map_err(|e| {
        Error::new(crate::error::Kind::Failed, format!("cannot find this unit's LED pin: {e}"))
            .with_hint("Check the hardware description under ~/.pioreactor/hardware, or set [identify] led_bcm_pin in config.ini.")
    })
}

/// stdout went away for a reason other than a closed pipe.
pub fn stdout_error(e: std::io::Error) -> Error {
    Error::failed(format!("cannot write to standard output: {e}"))
}

/// `--via` as the remote layer knows it (here, so that `cli` imports nothing of `remote`).
impl From<crate::cli::Via> for crate::remote::Via {
    fn from(via: crate::cli::Via) -> Self {
        match via {
            crate::cli::Via::Auto => crate::remote::Via::Auto,
            crate::cli::Via::Ssh => crate::remote::Via::Ssh,
            crate::cli::Via::Http => crate::remote::Via::Http,
        }
    }
}

/// How to reach units: `via`, each unit within `timeout`.
pub fn remote<'c>(
    ctx: &'c Context,
    config: &Config,
    via: crate::remote::Via,
    timeout: std::time::Duration,
) -> Result<Remote<'c>> {
    let env = crate::remote::ReachEnv {
        home: ctx.home.clone(),
        local_user: ctx.local_user.clone(),
        hostname: ctx.hostname.clone(),
        mdns: ctx.mdns,
        global_known_hosts: ctx.global_known_hosts.clone(),
        warn: Box::new(move |w| Narrator::new(ctx).warn(w)),
    };
    Remote::new(env, config, via, timeout)
}

/// How to reach units, from the `--via` and `--timeout` a remote command was given.
pub fn remote_from_args<'c>(
    ctx: &'c Context,
    config: &Config,
    args: &crate::cli::RemoteArgs,
) -> Result<Remote<'c>> {
    let timeout = std::time::Duration::from_secs_f64(args.timeout);
    remote(ctx, config, args.via.into(), timeout)
}
