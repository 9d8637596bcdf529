//! `pio workers remove`

use crate::cli::RemoveArgs;
use crate::cluster::{UnitName, plan};
use crate::commands::remote::{Remote, commands, plan_action};
use crate::commands::{edit_inventory, read_config};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::Narrator;
use crate::transport::known_hosts;

use super::{invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &RemoveArgs) -> Result<()> {
    let narrator = Narrator::new(ctx);
    let dry_run = args.dry_run.dry_run;
    // Read first: names and addresses are needed after the lines are gone.
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    for name in &args.hostnames {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
    }
    plan::remove(&cluster, &args.hostnames).map_err(|e| not_in_inventory(e, &ctx.config_path))?;
    let remote = Remote::from_args(ctx, &config, &args.remote)?;
    let units: Vec<(String, Option<String>)> = args
        .hostnames
        .iter()
        .filter_map(|n| cluster.worker(n))
        .map(|w| {
            (
                w.name.to_string(),
                cluster.address_of(w.name).map(str::to_string),
            )
        })
        .collect();

    // Halt jobs where the worker answers; an unreachable one is being removed anyway.
    if !args.keep_running {
        for (name, _) in &units {
            if dry_run {
                let how = plan_action(
                    args.remote.via,
                    "POST /unit_api/jobs/stop/all",
                    commands::HALT_JOBS,
                );
                narrator.say(&format!(
                    "Would halt every job on {name} if it answers: {how}."
                ));
                continue;
            }
            let outcome = remote.halt_jobs(&cluster, name);
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
    drop(cluster);
    drop(config);

    edit_inventory(ctx, "workers remove", dry_run, |cluster| {
        plan::remove(cluster, &args.hostnames).map_err(|e| not_in_inventory(e, &ctx.config_path))
    })?;

    // Forget the units' host keys, under every name pio or ssh may have stored them.
    let mut patterns = Vec::new();
    for (name, address) in &units {
        let extra: Vec<&str> = address.iter().map(String::as_str).collect();
        for p in remote.known_host_patterns(name, &extra) {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    let path = remote.known_hosts();
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
                "removed from config.ini, but cannot clean {}: {e}",
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
