//! `pio workers remove`

use crate::cli::RemoveArgs;
use crate::cluster::{UnitName, plan};
use crate::commands::edit_inventory;
use crate::context::Context;
use crate::error::Result;

use super::{invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &RemoveArgs) -> Result<()> {
    edit_inventory(ctx, "workers remove", args.dry_run.dry_run, |cluster| {
        // A name already in the file is removable even if it predates the naming rules
        // (e.g. `testing_unit`); any other name must at least be a valid one.
        for name in &args.hostnames {
            if cluster.worker(name).is_none() {
                UnitName::parse(name).map_err(invalid_name)?;
            }
        }
        plan::remove(cluster, &args.hostnames).map_err(|e| not_in_inventory(e, &ctx.config_path))
    })?;
    Ok(())
}
