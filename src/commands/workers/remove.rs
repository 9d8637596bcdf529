//! `pio workers remove`

use crate::cli::RemoveArgs;
use crate::cluster::name::same;
use crate::cluster::{Change, Cluster, UnitName, plan};
use crate::commands::follow_up::{self, Failure};
use crate::commands::{change_inventory, open_inventory_to_edit, remote_from_args};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::FollowUp;
use crate::inventory::api::ApiError;
use crate::output::Narrator;
use crate::remote::{self, Remote};
use crate::transport::known_hosts;

use super::{invalid_name, not_in_inventory};

/// Every name is checked before anything changes; then the inventory, what the removed units
/// need (halted jobs, a config.ini that no longer lists them, where the leader does not see to
/// it), and this leader's known_hosts entries for them.
pub fn run(ctx: &Context, args: &RemoveArgs) -> Result<()> {
    let dry_run = args.dry_run.dry_run;
    let mut inventory = open_inventory_to_edit(ctx)?;
    if args.keep_running || args.offline {
        inventory.refuse_offline("--keep-running and --offline")?;
    }
    let place = inventory.names_at(ctx);
    // Names and addresses are needed after the workers are gone.
    let units = leaving(&inventory.cluster(&ctx.hostname)?, &args.hostnames, &place)?;
    let remote = remote_from_args(ctx, &inventory.config, &args.remote)?;
    let contacts = !args.offline;
    let applied = change_inventory(
        ctx,
        &mut inventory,
        "workers remove",
        dry_run,
        contacts,
        &mut |c| plan::remove(c, &args.hostnames).map_err(|e| not_in_inventory(e.0, &place)),
    )?;
    let removed: Vec<(String, Option<String>)> = units
        .into_iter()
        .filter(|(n, _)| !applied.refused.iter().any(|(r, _)| same(r, n)))
        .collect();
    let work: Vec<FollowUp> = applied
        .follow_up
        .iter()
        .filter(|w| !(args.offline || args.keep_running && matches!(w, FollowUp::HaltJobs { .. })))
        .cloned()
        .collect();
    let failures = follow_up::carry_out(ctx, &inventory, &remote, &work, &removed, dry_run)?;
    let narrator = Narrator::new(ctx);
    let (halting, copying): (Vec<&Failure>, Vec<&Failure>) = failures
        .iter()
        .partition(|f| matches!(f.work, FollowUp::HaltJobs { .. }));
    for f in halting {
        // It is being removed anyway.
        narrator.warn(&format!(
            "{}: {}, removed all the same",
            f.work.unit(),
            f.why
        ));
    }
    forget_host_keys(ctx, &remote, &removed, dry_run)?;
    say_unit_configs_kept(ctx, &removed);
    if let Some((name, e)) = applied.refused.first() {
        return Err(refused(&applied.refused, &removed, name, e));
    }
    if copying.is_empty() {
        return Ok(());
    }
    Err(not_copied(ctx, &copying, &removed))
}

/// The units `names` remove, with their address lines; all known, or nothing happens.
fn leaving(
    cluster: &Cluster,
    names: &[String],
    place: &str,
) -> Result<Vec<(String, Option<String>)>> {
    for name in names {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
    }
    let planned = plan::remove(cluster, names).map_err(|e| not_in_inventory(e.0, place))?;
    Ok(planned
        .iter()
        .filter_map(|c| match c {
            Change::RemoveWorker { name } => {
                Some((name.clone(), cluster.address_of(name).map(str::to_string)))
            }
            _ => None,
        })
        .collect())
}

/// The leader refused to remove some: what was removed, and what to do.
fn refused(
    refused: &[(String, ApiError)],
    removed: &[(String, Option<String>)],
    name: &str,
    e: &ApiError,
) -> Error {
    let removed: Vec<&str> = removed.iter().map(|(n, _)| n.as_str()).collect();
    let names: Vec<&str> = refused.iter().map(|(n, _)| n.as_str()).collect();
    let done = if removed.is_empty() {
        "nothing was removed".to_string()
    } else {
        format!("removed: {}", removed.join(", "))
    };
    Error::new(
        Kind::Failed,
        format!(
            "the leader refused to remove {} ({name}: {e}); {done}",
            names.join(", ")
        ),
    )
    .with_hint(
        e.remediation()
            .unwrap_or("Check `pio workers list`, then remove the ones left again.")
            .to_string(),
    )
}

/// Removed, but some did not get the config.ini that no longer lists them.
fn not_copied(ctx: &Context, failures: &[&Failure], removed: &[(String, Option<String>)]) -> Error {
    let names: Vec<&str> = failures.iter().map(|f| f.work.unit()).collect();
    let why: Vec<String> = failures
        .iter()
        .map(|f| format!("{}: {}", f.work.unit(), f.why))
        .collect();
    let scp: Vec<String> = failures
        .iter()
        .map(|f| {
            let unit = f.work.unit();
            let at = removed
                .iter()
                .find(|(n, _)| same(n, unit))
                .and_then(|(_, a)| a.clone())
                .unwrap_or_else(|| format!("{unit}.local"));
            format!(
                "`scp {} pioreactor@{at}:{}`",
                ctx.config_path.display(),
                remote::paths::SHARED_CONFIG
            )
        })
        .collect();
    Error::new(
        Kind::Failed,
        format!(
            "removed from config.ini, but the new config.ini could not be copied to {}: {}",
            names.join(", "),
            why.join("; ")
        ),
    )
    .with_hint(format!(
        "Until it gets the new config.ini, a removed worker still thinks it belongs to the cluster. \
         When it is reachable, copy it there: {}",
        scp.join(", ")
    ))
}

/// Forgets the units' host keys, under every name pio or ssh may have stored them.
/// A removed worker's `config_<name>.ini` stays (its settings, should it come back): said, so
/// that nobody wonders why it is still there.
fn say_unit_configs_kept(ctx: &Context, units: &[(String, Option<String>)]) {
    let narrator = Narrator::new(ctx);
    for (name, _) in units {
        let own = crate::commands::unit_config_path(ctx, name);
        if own.symlink_metadata().is_ok() {
            narrator.say(&format!(
                "Kept {} ({name}'s own settings, should it come back); delete it if it will not.",
                own.display()
            ));
        }
    }
}

fn forget_host_keys(
    ctx: &Context,
    remote: &Remote,
    units: &[(String, Option<String>)],
    dry_run: bool,
) -> Result<()> {
    let narrator = Narrator::new(ctx);
    let mut patterns = Vec::new();
    for (name, address) in units {
        let extra: Vec<&str> = address.iter().map(String::as_str).collect();
        for p in remote.known_host_patterns(name, &extra) {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    let Some((first, _)) = units.first() else {
        return Ok(());
    };
    let path = remote.known_hosts_file(first);
    if dry_run {
        narrator.say(&format!(
            "Would remove known_hosts entries for: {}",
            patterns.join(", ")
        ));
        return Ok(());
    }
    let removed = known_hosts::remove(&path, &patterns).map_err(|e| {
        Error::new(
            Kind::Failed,
            format!(
                "removed from the inventory, but cannot clean {}: {e}",
                path.display()
            ),
        )
    })?;
    if !removed.is_empty() {
        narrator.say(&format!(
            "Removed from {}: {}",
            path.display(),
            removed.join(", ")
        ));
    }
    Ok(())
}
