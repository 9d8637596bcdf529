//! `pio workers set-active`

use crate::cli::SetActiveArgs;
use crate::cluster::{UnitName, plan, yes_no};
use crate::commands::edit_inventory;
use crate::context::Context;
use crate::error::Result;
use crate::output::Narrator;

use super::{invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &SetActiveArgs) -> Result<()> {
    let name = &args.hostname;
    let changes = edit_inventory(ctx, "workers set-active", args.dry_run.dry_run, |cluster| {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
        plan::set_active(cluster, name, args.active)
            .map_err(|e| not_in_inventory(e, &ctx.config_path))
    })?;
    if changes.is_empty() && !ctx.json {
        Narrator::new(ctx).say(&format!(
            "{name} is already {}; nothing changed.",
            yes_no(args.active)
        ));
    }
    Ok(())
}
