//! `pio workers assign` and `pio workers unassign`: a worker's experiment, in the leader's
//! database (Pioreactor 24.4 and later; older releases have no per-worker assignment).

use crate::cli::{AssignArgs, UnassignArgs};
use crate::cluster::UnitName;
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inventory::{Inventory, api::LeaderApi};
use crate::output::{self, Narrator};

use super::{api_failed, invalid_name, not_in_inventory};

/// The API and the worker's name as the database spells it; a usage error when the inventory is
/// config.ini or the worker is not in it.
fn worker<'a>(
    inventory: &'a Inventory,
    name: &str,
    command: &str,
) -> Result<(&'a LeaderApi, String)> {
    let Some(api) = inventory.api() else {
        return Err(Error::usage(format!(
            "`pio workers {command}` needs the leader's database (Pioreactor {} or later); \
             this cluster's inventory is config.ini ({}), and that release has no per-worker experiment assignment",
            crate::release::first_with(crate::release::Feature::LeaderDatabase),
            inventory.why
        ))
        .with_hint("On those releases every active worker takes part in every experiment."));
    };
    let cluster = inventory.cluster("")?;
    match cluster.worker(name) {
        Some(w) => Ok((api, w.name.to_string())),
        None => {
            UnitName::parse(name).map_err(invalid_name)?;
            Err(not_in_inventory(
                vec![name.to_string()],
                api.url(&["workers"]).as_ref(),
            ))
        }
    }
}

fn print(
    ctx: &Context,
    command: &str,
    unit: &str,
    experiment: Option<&str>,
    changed: bool,
) -> Result<()> {
    if ctx.json {
        return output::json_data(&crate::output::schema::Assigned {
            command,
            unit,
            experiment,
            changed,
        })
        .map_err(stdout_error);
    }
    Ok(())
}

pub fn assign(ctx: &Context, args: &AssignArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let (api, unit) = worker(&inventory, &args.unit, "assign")?;
    let experiment = &args.experiment;
    let known = api.experiments().map_err(api_failed)?;
    if !known.iter().any(|e| e == experiment) {
        let mut listed = known.clone();
        listed.sort();
        return Err(Error::usage(format!(
            "there is no experiment named '{experiment}' on the leader"
        ))
        .with_hint(if listed.is_empty() {
            "Create the experiment in the web UI first.".to_string()
        } else {
            format!("Experiments: {}.", listed.join(", "))
        }));
    }
    let current = api.experiment_of(&unit).map_err(api_failed)?;
    let narrator = Narrator::new(ctx);
    if current.as_deref() == Some(experiment.as_str()) {
        print(ctx, "workers assign", &unit, Some(experiment), false)?;
        narrator.say(&format!(
            "{unit} is already assigned to {experiment}; nothing changed."
        ));
        return Ok(());
    }
    api.assign(&unit, experiment).map_err(api_failed)?;
    print(ctx, "workers assign", &unit, Some(experiment), true)?;
    match current {
        Some(old) => narrator.say(&format!("Assigned {unit} to {experiment} (was {old}).")),
        None => narrator.say(&format!("Assigned {unit} to {experiment}.")),
    }
    Ok(())
}

pub fn unassign(ctx: &Context, args: &UnassignArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let (api, unit) = worker(&inventory, &args.unit, "unassign")?;
    let current = api.experiment_of(&unit).map_err(api_failed)?;
    let narrator = Narrator::new(ctx);
    let experiment = match (current, &args.experiment) {
        (None, _) => {
            print(ctx, "workers unassign", &unit, None, false)?;
            narrator.say(&format!(
                "{unit} is not assigned to any experiment; nothing changed."
            ));
            return Ok(());
        }
        (Some(current), Some(named)) if current != *named => {
            return Err(Error::usage(format!(
                "{unit} is assigned to {current}, not to {named}; nothing was changed"
            ))
            .with_hint(format!(
                "`pio workers unassign {unit}` unassigns it from {current}."
            )));
        }
        (Some(current), _) => current,
    };
    // The leader halts that experiment's jobs on the worker.
    api.unassign(&unit, &experiment).map_err(api_failed)?;
    print(ctx, "workers unassign", &unit, Some(&experiment), true)?;
    narrator.say(&format!(
        "Unassigned {unit} from {experiment} (the leader halts that experiment's jobs on it)."
    ));
    Ok(())
}
