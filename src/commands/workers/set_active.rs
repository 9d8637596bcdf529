//! `pio workers set-active` (the Python CLI's `update-active`)

use crate::cli::SetActiveArgs;
use crate::cluster::{Change, UnitName, plan, yes_no};
use crate::commands::follow_up::{self, Failure};
use crate::commands::{change_inventory, open_inventory_to_edit, remote_from_args};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::FollowUp;
use crate::output::Narrator;

use super::{invalid_name, not_in_inventory};

/// The state in the inventory first; then what the worker needs: its copy of config.ini (where
/// it reads its own) and, inactive, its jobs halted (where the leader does not do that itself).
pub fn run(ctx: &Context, args: &SetActiveArgs) -> Result<()> {
    let (name, active, dry_run) = (&args.hostname, args.active, args.dry_run.dry_run);
    let mut inventory = open_inventory_to_edit(ctx)?;
    if args.offline {
        inventory.refuse_offline("--offline")?;
    }
    let place = inventory.names_at(ctx);
    let applied = change_inventory(
        ctx,
        &mut inventory,
        "workers set-active",
        dry_run,
        !args.offline,
        &mut |c| {
            if c.worker(name).is_none() {
                UnitName::parse(name).map_err(invalid_name)?;
            }
            plan::set_active(c, name, active).map_err(|e| not_in_inventory(e.0, &place))
        },
    )?;
    let narrator = Narrator::new(ctx);
    // The worker's name as the inventory writes it: from the change made, else looked up (at
    // 10,000 workers a second reading of the cluster is a tenth of the edit's time).
    let unit = match applied.changes.first() {
        Some(change) => change.unit().to_string(),
        None => inventory
            .cluster(&ctx.hostname)?
            .worker(name)
            .map_or(name.clone(), |w| w.name.to_string()),
    };
    if applied.changes.is_empty() && !ctx.json {
        narrator.say(&format!(
            "{unit} is already {} in {}; nothing changed.",
            yes_no(active),
            inventory.place()
        ));
    }
    // An inactive worker runs nothing, even one that already was: its jobs are halted again.
    let intent = Change::SetActive {
        name: unit.clone(),
        active,
    };
    let work = inventory.follow_up(&ctx.hostname, &intent, !applied.changes.is_empty())?;
    if work.is_empty() && !active {
        narrator.detail(&format!("The leader halts every job on {unit}."));
    }
    if args.offline {
        if !work.is_empty() && !ctx.json {
            narrator.say(&format!(
                "Not contacting {unit} (--offline): its copy of config.ini and its running jobs are unchanged."
            ));
        }
        return Ok(());
    }
    let remote = remote_from_args(ctx, &inventory.config, &args.remote)?;
    let failures = follow_up::carry_out(ctx, &inventory, &remote, &work, &[], dry_run)?;
    if failures.is_empty() {
        return Ok(());
    }
    Err(failed(&unit, active, inventory.place(), &failures))
}

/// The worker's state changed, but it did not get what it needs.
fn failed(unit: &str, active: bool, place: &str, failures: &[Failure]) -> Error {
    let why: Vec<&str> = failures.iter().map(|f| f.why.as_str()).collect();
    let halting = failures
        .iter()
        .any(|f| matches!(f.work, FollowUp::HaltJobs { .. }));
    Error::new(
        Kind::Failed,
        format!(
            "{unit} is now {} in {place}, but {}",
            yes_no(active),
            why.join("; ")
        ),
    )
    .with_hint(format!(
        "When {unit} is reachable again, run `pio workers sync-configs {unit}`{}.",
        if halting {
            format!(" and `pio workers set-active {unit} 0` to halt its jobs")
        } else {
            String::new()
        }
    ))
}
