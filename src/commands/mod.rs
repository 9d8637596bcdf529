//! One module per leaf command. Each takes its parsed arguments and the resolved context.

pub mod doctor;
pub mod identify;
pub mod reboot;
pub mod rename;
pub mod workers;

use std::path::PathBuf;

use crate::cluster::{Change, Cluster};
use crate::config::{Config, diff, store};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inventory::{Era, Inventory};
use crate::output::{self, ChangeReport, Narrator};
use crate::release::{Learnt, Release, UnitConfig};
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
    let inventory = crate::inventory::from_config(ctx, read_config(ctx)?)?;
    Narrator::new(ctx).detail(&format!(
        "inventory: {} ({})",
        inventory.place(),
        inventory.why
    ));
    Ok(inventory)
}

/// What an edit of config.ini did: the changes, and for a dry run the diff.
pub struct Edit {
    pub changes: Vec<Change>,
    pub config_path: String,
    pub created: bool,
    pub diff: String,
}

/// The read-modify-write of config.ini: under the lock, read it, let `plan` decide the changes,
/// then write them atomically (with `dry_run`, only compute the diff). Nothing is written when
/// `plan` fails or decides nothing. Prints nothing: see [`report`].
pub fn edit_config(
    ctx: &Context,
    dry_run: bool,
    plan: impl FnOnce(&Config) -> Result<Vec<Change>>,
) -> Result<Edit> {
    check_config_place(ctx)?;
    let path = store::write_target(&ctx.config_path);
    let lock = if dry_run {
        None
    } else {
        // Only the default place is created; a path given explicitly must exist.
        let create_folder = matches!(ctx.config_source, "the default" | "$DOT_PIOREACTOR");
        Some(store::lock(&path, ctx.lock_wait, create_folder)?)
    };
    let mut config = read_config(ctx)?;
    if dry_run {
        config.doc.keep_original();
    }
    let changes = plan(&config)?;
    config.apply(&changes);
    let changed = !changes.is_empty() && config.is_changed();
    let new_text = config.render();
    if let (Some(lock), true) = (&lock, changed) {
        store::save(&path, new_text, lock)?;
    }
    let diff = if changed && dry_run {
        diff::unified(config.original(), new_text, &path.display().to_string())
    } else {
        String::new()
    };
    Ok(Edit {
        changes,
        config_path: path.display().to_string(),
        created: changed && !config.exists,
        diff,
    })
}

/// Prints what an inventory command changed (in config.ini and/or the leader's database).
pub fn report(ctx: &Context, command: &str, era: Era, dry_run: bool, edit: &Edit) -> Result<()> {
    let report = ChangeReport {
        command,
        inventory: era.as_str(),
        config_path: edit.config_path.clone(),
        changes: &edit.changes,
        dry_run,
        created: edit.created,
        diff: edit.diff.clone(),
    };
    output::changes(ctx, &report).map_err(stdout_error)
}

/// The config.ini-era inventory edit: `plan` decides from the cluster config.ini describes;
/// the report is printed.
pub fn edit_inventory(
    ctx: &Context,
    command: &str,
    dry_run: bool,
    plan: impl FnOnce(&Cluster) -> Result<Vec<Change>>,
) -> Result<Vec<Change>> {
    let edit = edit_config(ctx, dry_run, |config| plan(&config.cluster(&ctx.hostname)?))?;
    report(ctx, command, Era::Config, dry_run, &edit)?;
    Ok(edit.changes)
}

/// `config_<name>.ini` beside config.ini: a unit's own settings, which the config.ini era copies
/// to the unit as its `unit_config.ini`.
pub fn unit_config_path(ctx: &Context, name: &str) -> PathBuf {
    ctx.config_path
        .with_file_name(format!("config_{}.ini", name.to_ascii_lowercase()))
}

/// [`files_for_unit`] with config.ini as it is on disk now (after this command's edits).
pub fn current_files_for_unit(
    ctx: &Context,
    unit: &str,
    release: Option<&Release>,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    files_for_unit(ctx, read_config(ctx)?.render(), unit, release)
}

/// The files a unit receives from this leader: config.ini (`shared`, as it is on disk now) and,
/// where the unit's release takes its settings from the leader and this leader keeps them,
/// `config_<unit>.ini` as the unit's `unit_config.ini`. A unit that owns its `unit_config.ini`
/// (26.4 and later) is never sent one: the leader's copy is only a snapshot, maybe stale. Nor is
/// a unit whose release is unknown (`None`): it may own its file, which nothing could restore.
pub fn files_for_unit(
    ctx: &Context,
    shared: &str,
    unit: &str,
    release: Option<&Release>,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut files = vec![(remote::paths::SHARED_CONFIG, shared.as_bytes().to_vec())];
    if release.is_some_and(|r| r.needs().unit_config == UnitConfig::FromLeader) {
        let own = unit_config_path(ctx, unit);
        if let Some(bytes) = crate::config::store::read_unit_config(&own)? {
            files.push((remote::paths::UNIT_CONFIG, bytes));
        }
    }
    Ok(files)
}

/// The release of the Pioreactor software installed on this leader, if pio can find it.
pub fn leader_release(ctx: &Context) -> Option<Release> {
    let site = crate::inventory::site_packages(ctx);
    crate::inventory::python_stack_version(&site).and_then(|(v, _)| Release::parse(&v))
}

/// A unit's release as learnt from it, else (said in a warning) what the leader's release
/// implies (see [`crate::release::assumed`]).
pub fn release_of(
    ctx: &Context,
    remote: &Remote,
    cluster: &Cluster,
    unit: &str,
    era: Era,
) -> (Release, Learnt) {
    let learnt = remote.release(cluster, unit);
    let release = match learnt.release() {
        Some(r) => r.clone(),
        None => assumed_release(ctx, era),
    };
    (release, learnt)
}

/// What a unit whose release could not be learnt is treated as: this leader's release, else
/// the era's (see [`crate::release::assumed`]).
pub fn assumed_release(ctx: &Context, era: Era) -> Release {
    crate::release::assumed(leader_release(ctx).as_ref(), era == Era::Api)
}

/// What pio does about a unit whose release it could not learn, in words.
pub fn unknown_release(unit: &str, learnt: &Learnt, assumed: &Release) -> Option<String> {
    match learnt {
        Learnt::Known(_) => None,
        Learnt::Unknown(why) => Some(format!(
            "{unit}'s release could not be learnt ({why}); treating it as {assumed}, as this \
             leader's release implies, except that its unit_config.ini is neither sent nor \
             fetched (a 26.4 unit owns it): `pio workers sync-configs {unit} --specific` once \
             `pio version` answers there"
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
        std::fs::read_to_string(crate::hardware::HAT_EEPROM)
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

/// How to reach units, from the `--via` and `--timeout` a remote command was given.
pub fn remote_from_args<'c>(
    ctx: &'c Context,
    config: &Config,
    args: &crate::cli::RemoteArgs,
) -> Result<Remote<'c>> {
    let timeout = std::time::Duration::from_secs_f64(args.timeout);
    Remote::new(ctx, config, args.via.into(), timeout)
}
