//! `pio workers remove`

use crate::cli::RemoveArgs;
use crate::cluster::{Change, Cluster, UnitName, plan};
use crate::commands::{Edit, edit_config, edit_inventory, read_config, report};
use crate::config::ini::key_eq;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::{Era, Source};
use crate::output::Narrator;
use crate::remote::{self, Outcome, Remote, commands, plan_action};
use crate::transport::known_hosts;

use super::{invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &RemoveArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let dry_run = args.dry_run.dry_run;
    // Names and addresses are needed after the workers are gone.
    let cluster = inventory.cluster(&ctx.hostname)?;
    for name in &args.hostnames {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
    }
    let place = match inventory.api() {
        Some(api) => api.url(&["workers"]).to_string(),
        None => ctx.config_path.display().to_string(),
    };
    let planned =
        plan::remove(&cluster, &args.hostnames).map_err(|e| not_in_inventory(e.0, &place))?;
    let remote = crate::commands::remote_from_args(ctx, &inventory.config, &args.remote)?;
    let units: Vec<(String, Option<String>)> = planned
        .iter()
        .filter_map(|c| match c {
            Change::RemoveWorker { name } => {
                Some((name.clone(), cluster.address_of(name).map(str::to_string)))
            }
            _ => None,
        })
        .collect();

    let mut unreachable = Vec::new();
    match &inventory.source {
        Source::Api { api, .. } => {
            if args.keep_running || args.offline {
                return Err(Error::usage(
                    "--keep-running and --offline are not possible here: in the database era the leader itself halts a removed worker's jobs",
                ));
            }
            // The leader halts each worker's jobs and has it delete its copy of config.ini. One
            // refusal does not stop the others: what was removed is cleaned up and reported.
            let mut refused = Vec::new();
            if !dry_run {
                for (name, _) in &units {
                    if let Err(e) = api.remove(name) {
                        refused.push((name.clone(), e));
                    }
                }
            }
            let units: Vec<(String, Option<String>)> = units
                .into_iter()
                .filter(|(n, _)| !refused.iter().any(|(r, _)| r == n))
                .collect();
            let mut changes: Vec<Change> = units
                .iter()
                .map(|(name, _)| Change::RemoveWorker { name: name.clone() })
                .collect();
            // The address lines stay in config.ini unless pio removes them (the leader keeps its own).
            let leader = cluster.leader.to_string();
            drop(cluster);
            let edit = edit_config(ctx, dry_run, |config| {
                Ok(config
                    .addresses()?
                    .into_iter()
                    .filter(|(n, _)| !key_eq(n, &leader) && units.iter().any(|(u, _)| key_eq(u, n)))
                    .map(|(n, a)| Change::RemoveAddress {
                        name: n.to_string(),
                        address: a.to_string(),
                    })
                    .collect())
            })?;
            changes.extend(edit.changes);
            report(
                ctx,
                "workers remove",
                Era::Api,
                dry_run,
                &Edit { changes, ..edit },
            )?;
            forget_host_keys(ctx, &remote, &units, dry_run)?;
            say_unit_configs_kept(ctx, &units);
            if let Some((name, e)) = refused.first() {
                let removed: Vec<&str> = units.iter().map(|(n, _)| n.as_str()).collect();
                let names: Vec<&str> = refused.iter().map(|(n, _)| n.as_str()).collect();
                let done = if removed.is_empty() {
                    "nothing was removed".to_string()
                } else {
                    format!("removed: {}", removed.join(", "))
                };
                return Err(Error::new(
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
                ));
            }
            return Ok(());
        }
        Source::ConfigIni => {
            if !args.keep_running && !args.offline {
                halt_jobs(ctx, args, &remote, &cluster, &units);
            }
            drop(cluster);
            drop(inventory);
            edit_inventory(ctx, "workers remove", dry_run, |cluster| {
                plan::remove(cluster, &args.hostnames).map_err(|e| not_in_inventory(e.0, &place))
            })?;
            // A removed worker's copy of config.ini must stop listing it, or it keeps running jobs.
            if !args.offline {
                unreachable = push_config(ctx, &remote, &units, dry_run)?;
            }
        }
    }
    forget_host_keys(ctx, &remote, &units, dry_run)?;
    say_unit_configs_kept(ctx, &units);
    if unreachable.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = unreachable.iter().map(|o| o.unit.as_str()).collect();
    let why: Vec<String> = unreachable.iter().map(Outcome::describe).collect();
    Err(Error::new(
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
        unreachable
            .iter()
            .map(|o| format!(
                "`scp {} pioreactor@{}:{}`",
                ctx.config_path.display(),
                o.address.clone().unwrap_or_else(|| format!("{}.local", o.unit)),
                remote::paths::SHARED_CONFIG
            ))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Halts jobs where the worker answers; an unreachable one is being removed anyway.
fn halt_jobs(
    ctx: &Context,
    args: &RemoveArgs,
    remote: &Remote,
    cluster: &Cluster,
    units: &[(String, Option<String>)],
) {
    let narrator = Narrator::new(ctx);
    for (name, _) in units {
        if args.dry_run.dry_run {
            let how = plan_action(
                args.remote.via.into(),
                "POST /unit_api/jobs/stop/all",
                commands::HALT_JOBS,
            );
            narrator.say(&format!(
                "Would halt every job on {name} if it answers: {how}."
            ));
            continue;
        }
        let outcome = remote.halt_jobs(cluster, name);
        if outcome.ok() {
            narrator.say(&outcome.describe());
        } else {
            narrator.warn(&format!(
                "could not halt jobs on {name}, removing it anyway: {}",
                outcome.describe()
            ));
        }
    }
}

/// Copies the edited config.ini to the removed workers (not the leader: its copy is the source).
/// Returns the ones that could not be reached.
fn push_config(
    ctx: &Context,
    remote: &Remote,
    units: &[(String, Option<String>)],
    dry_run: bool,
) -> Result<Vec<Outcome>> {
    let narrator = Narrator::new(ctx);
    let config = read_config(ctx)?;
    let mut cluster = config.cluster(&ctx.hostname)?;
    let mut failed = Vec::new();
    for (name, address) in units {
        if cluster.is_leader(name) {
            continue;
        }
        if dry_run {
            narrator.say(&format!(
                "Would copy the new config.ini to {name} over SSH."
            ));
            continue;
        }
        // Its address line is gone from the file: reach it where it was.
        cluster.other_addresses.retain(|(n, _)| n != name);
        let address_line: Option<&str> = address.as_deref();
        if let Some(a) = address_line {
            cluster.other_addresses.push((name, a));
        }
        // A removed unit is sent the shared config.ini alone: its own config_<unit>.ini is
        // neither sent nor read (an unreadable one must not stop the copies to the others).
        let shared = [(
            remote::paths::SHARED_CONFIG,
            config.render().as_bytes().to_vec(),
        )];
        let outcome = remote.push_files(&cluster, name, &shared);
        if outcome.ok() {
            narrator.say(&outcome.describe());
        } else {
            failed.push(outcome);
        }
    }
    Ok(failed)
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
