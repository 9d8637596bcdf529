//! `pio workers replace`: a worker whose SD card was re-flashed (or replaced) becomes itself
//! again: its old host key forgotten, the worker set up again as `workers add` does (this
//! leader's key installed with the image's password, config.ini and the clock given, no reboot),
//! then its backup restored (`pio restore`: its jobs halted, its `~/.pioreactor` put back, a
//! reboot).

use crate::cli::{AddArgs, DryRun, ReplaceArgs, RestoreArgs, Via};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Narrator;
use crate::output::schema::Replaced;
use crate::transport::known_hosts;

/// The worker, checked: a worker of this cluster (not the leader), its address line if any,
/// and its archive's restore (checked: its members, its unit).
struct Checked {
    unit: String,
    address: Option<String>,
    restore: RestoreArgs,
    patterns: Vec<String>,
    known_hosts: std::path::PathBuf,
}

pub fn run(ctx: &Context, args: &ReplaceArgs) -> Result<()> {
    let checked = check(ctx, args)?;
    let unit = &checked.unit;
    let narrator = Narrator::new(ctx);
    if args.dry_run {
        report(ctx, args, &checked, checked.patterns.clone(), true)?;
        narrator.say(&format!(
            "Would forget {unit}'s host keys ({}), set it up again as `pio workers add {unit} \
             --no-reboot` does, then restore {} onto it (`pio restore {unit} FILE --dry-run` \
             shows how).",
            checked.patterns.join(", "),
            args.file.display()
        ));
        return Ok(());
    }
    let question = format!(
        "Replace {unit}: forget its host key, set it up again and restore {} onto it?",
        args.file.display()
    );
    if !crate::commands::confirmed(ctx, args.yes, &question, "workers replace")? {
        narrator.say("Nothing was done.");
        return Ok(());
    }
    let removed = known_hosts::remove(&checked.known_hosts, &checked.patterns).map_err(|e| {
        Error::failed(format!(
            "cannot forget {unit}'s old host key in {}: {e}; nothing was done",
            checked.known_hosts.display()
        ))
    })?;
    if !removed.is_empty() {
        narrator.say(&format!(
            "Forgot {unit}'s old host key ({})",
            removed.join(", ")
        ));
    }
    set_up_and_restore(ctx, args, &checked)?;
    report(ctx, args, &checked, removed, false)
}

fn check(ctx: &Context, args: &ReplaceArgs) -> Result<Checked> {
    let inventory = crate::commands::open_inventory_to_edit(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let unit = crate::commands::backup::one_unit(&cluster, &args.unit)?;
    if cluster.is_leader(&unit) || cluster.worker(&unit).is_none() {
        return Err(Error::usage(format!(
            "{unit} is not a worker of this cluster; nothing was done"
        ))
        .with_hint(
            "`workers replace` brings back a worker on a new SD card. A new unit is added with \
             `pio workers add`; a leader is rebuilt by hand.",
        ));
    }
    let restore = RestoreArgs {
        unit: unit.clone(),
        file: args.file.clone(),
        other_unit: false,
        yes: true,
        no_reboot: false,
        via: Via::Auto,
        timeout: crate::timeouts::ARCHIVE,
        dry_run: false,
    };
    crate::commands::restore::checked_archive(&restore, &unit)?;
    let address = cluster.address_of(&unit).map(str::to_string);
    let remote = crate::commands::remote(
        ctx,
        &inventory.config,
        crate::remote::Via::Ssh,
        std::time::Duration::from_secs_f64(crate::timeouts::PER_UNIT),
    )?;
    let extra: Vec<&str> = address.iter().map(String::as_str).collect();
    Ok(Checked {
        patterns: remote.known_host_patterns(&unit, &extra),
        known_hosts: remote.known_hosts_file(&unit),
        unit,
        address,
        restore,
    })
}

/// `workers add --no-reboot`, then `restore`, narrating as they go (this command's `--json` is
/// its one document).
fn set_up_and_restore(ctx: &Context, args: &ReplaceArgs, checked: &Checked) -> Result<()> {
    let quiet = Context {
        json: false,
        ..ctx.clone()
    };
    let unit = &checked.unit;
    let add = AddArgs {
        hostname: unit.clone(),
        address: checked.address.clone(),
        inactive: false,
        active: false,
        model_name: None,
        model_version: None,
        no_reboot: true,
        offline: false,
        timeout: args.timeout,
        login: args.login.clone(),
        dry_run: DryRun { dry_run: false },
    };
    crate::commands::workers::add::run(&quiet, &add).map_err(|mut e| {
        if !e.already_reported {
            e.message = format!(
                "{unit}: its old host key was forgotten, but setting it up again failed: {}",
                e.message
            );
        }
        e
    })?;
    let restore = RestoreArgs {
        unit: checked.restore.unit.clone(),
        file: checked.restore.file.clone(),
        ..checked.restore
    };
    crate::commands::restore::run(&quiet, &restore)
}

fn report(
    ctx: &Context,
    args: &ReplaceArgs,
    checked: &Checked,
    forgot: Vec<String>,
    dry_run: bool,
) -> Result<()> {
    if !ctx.json {
        return Ok(());
    }
    crate::output::json_data(&Replaced {
        command: "workers replace",
        dry_run,
        unit: &checked.unit,
        file: args.file.display().to_string(),
        forgot_host_keys: forgot,
    })
    .map_err(crate::commands::stdout_error)
}
