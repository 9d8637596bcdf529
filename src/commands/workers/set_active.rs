//! `pio workers set-active`

use crate::cli::SetActiveArgs;
use crate::cluster::{UnitName, plan, yes_no};
use crate::commands::remote::{Remote, commands, plan_action};
use crate::commands::{edit_inventory, read_config};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::Narrator;

use super::{invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &SetActiveArgs) -> Result<()> {
    let name = &args.hostname;
    let dry_run = args.dry_run.dry_run;
    let narrator = Narrator::new(ctx);
    let changes = edit_inventory(ctx, "workers set-active", dry_run, |cluster| {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
        plan::set_active(cluster, name, args.active)
            .map_err(|e| not_in_inventory(e, &ctx.config_path))
    })?;
    if changes.is_empty() && !ctx.json {
        narrator.say(&format!(
            "{name} is already {}; nothing changed in config.ini.",
            yes_no(args.active)
        ));
    }
    if args.active {
        return Ok(());
    }
    // An inactive worker runs nothing: halt its jobs now. config.ini changed first, so the worker
    // counts as inactive even when it cannot be reached.
    if dry_run {
        let how = plan_action(
            args.remote.via,
            "POST /unit_api/jobs/stop/all",
            commands::HALT_JOBS,
        );
        narrator.say(&format!("Would halt every job on {name}: {how}."));
        return Ok(());
    }
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    let remote = Remote::from_args(ctx, &config, &args.remote)?;
    let outcome = remote.halt_jobs(&cluster, name);
    if outcome.ok() {
        narrator.say(&outcome.describe());
        Ok(())
    } else {
        Err(Error::new(
            Kind::Failed,
            format!(
                "{name} is now inactive in config.ini, but halting its jobs failed: {}",
                outcome.describe()
            ),
        )
        .with_hint(format!(
            "When {name} is reachable again, run `pio workers set-active {name} 0` to halt its jobs."
        )))
    }
}
