//! `pio workers model get|set` (26.11's spelling) and `pio workers update-model` (before): a
//! worker's model, through the leader's database. From 26.11 the unit keeps its model and the
//! leader passes a change on to it (`PUT /unit_api/model`).

use crate::cli::{ModelGetArgs, ModelSetArgs, UpdateModelArgs};
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inventory::api::{ApiWorker, LeaderApi};
use crate::output::{self, Narrator, schema};

use super::{api_failed, not_in_inventory};

pub fn get(ctx: &Context, args: &ModelGetArgs) -> Result<()> {
    let (api, worker) = registered(ctx, &args.unit)?;
    drop(api);
    output::json_data(&schema::Model {
        model_name: worker.model_name.as_deref(),
        model_version: worker.model_version.as_deref(),
    })
    .map_err(stdout_error)
}

pub fn set(ctx: &Context, args: &ModelSetArgs) -> Result<()> {
    set_model(ctx, &args.unit, &args.model_name, &args.model_version)
}

pub fn update(ctx: &Context, args: &UpdateModelArgs) -> Result<()> {
    set_model(ctx, &args.unit, &args.model_name, &args.model_version)
}

fn set_model(ctx: &Context, unit: &str, name: &str, version: &str) -> Result<()> {
    let (api, worker) = registered(ctx, unit)?;
    let unit = &worker.pioreactor_unit;
    let narrator = Narrator::new(ctx);
    if worker.model_name.as_deref() == Some(name)
        && worker.model_version.as_deref() == Some(version)
    {
        narrator.say(&format!(
            "{unit}'s model is already {name} {version}; nothing changed."
        ));
    } else {
        api.set_model(unit, name, version).map_err(api_failed)?;
        narrator.say(&format!("{unit}'s model is now {name} {version}."));
    }
    if ctx.json {
        output::json_data(&schema::ModelSet {
            command: "workers model set",
            unit,
            model_name: name,
            model_version: version,
        })
        .map_err(stdout_error)?;
    }
    Ok(())
}

/// The leader's API and its record of `unit`: models live in the leader's database (the
/// config.ini era has none).
fn registered(ctx: &Context, unit: &str) -> Result<(LeaderApi, ApiWorker)> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let Some(api) = inventory.api() else {
        let since = crate::release::first_with(crate::release::Feature::LeaderDatabase);
        return Err(Error::usage(format!(
            "this cluster's inventory is config.ini (Pioreactor before {since}), which keeps no worker models"
        ))
        .with_hint(format!("Models came with the leader's database in Pioreactor {since}.")));
    };
    let key = crate::cluster::UnitName::parse(unit)
        .map_err(|e| Error::usage(e.to_string()).with_hint(e.hint))?;
    let worker = inventory
        .record(key.as_str())
        .cloned()
        .ok_or_else(|| not_in_inventory(vec![unit.to_string()], api.url(&["workers"]).as_ref()))?;
    Ok((api.clone(), worker))
}
