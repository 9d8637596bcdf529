//! `pio workers add`

use crate::cli::AddArgs;
use crate::cluster::{UnitName, parse_address, plan, yes_no};
use crate::commands::edit_inventory;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Narrator;

use super::invalid_name;

pub fn run(ctx: &Context, args: &AddArgs) -> Result<()> {
    let name = UnitName::parse(&args.hostname).map_err(invalid_name)?;
    let address = args
        .address
        .as_deref()
        .map(|a| {
            parse_address(a).map_err(|e| {
                Error::usage(format!(
                    "--address {}",
                    e.to_string().replace("unit name", "address")
                ))
                .with_hint(e.hint)
            })
        })
        .transpose()?;
    let active = !args.inactive;
    let changes = edit_inventory(ctx, "workers add", args.dry_run.dry_run, |cluster| {
        Ok(plan::add(cluster, &name, address, active))
    })?;
    if changes.is_empty() && !ctx.json {
        let at = address.map(|a| format!(" at {a}")).unwrap_or_default();
        Narrator::new(ctx).say(&format!(
            "{name} is already in the inventory as {}{at}; nothing changed.",
            yes_no(active)
        ));
    }
    Ok(())
}
