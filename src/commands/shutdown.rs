//! `pio shutdown`: `pios shutdown` and the web page's "Shutdown all", with reboot's selection,
//! confirmation and exit codes.

use std::time::Duration;

use super::power::{self, Power};
use crate::cli::ShutdownArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::schema::{ShutDown, UnitOutcome};
use crate::output::{self, Narrator};
use crate::remote::{Outcome, commands};

const SHUTDOWN: Power = Power {
    command: "shutdown",
    verb: "Shut down",
    done: "shut down",
    http: "POST /unit_api/system/shutdown",
    ssh: commands::SHUTDOWN,
};

pub fn run(ctx: &Context, args: &ShutdownArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let select = &args.power.select;
    let named = super::named_units(&inventory, select.named(), &select.experiments)?;
    let (workers, leader) = power::chosen(&cluster, select, &named, &SHUTDOWN)?;
    let remote = crate::commands::remote(
        ctx,
        &inventory.config,
        args.power.via.into(),
        Duration::from_secs_f64(args.timeout),
    )?;
    let narrator = Narrator::new(ctx);
    let count = workers.len() + leader.len();
    if count == 0 {
        narrator.say("No workers to shut down.");
        return Ok(());
    }
    if args.dry_run {
        let units = workers.iter().chain(&leader);
        return power::dry_run(ctx, &cluster, &remote, units, &SHUTDOWN);
    }
    let names: Vec<&str> = workers.iter().chain(&leader).map(String::as_str).collect();
    if !power::confirmed(ctx, args.power.yes, &names, &SHUTDOWN)? {
        narrator.say("Nothing was shut down.");
        return Ok(());
    }
    let mut outcomes = power::fan_out(ctx, &workers, args.power.fanout, "shutting down", |u| {
        remote.shutdown(&cluster, u)
    });
    // The leader, last of all, once every worker has answered: it is how they are reached.
    for unit in &leader {
        let o = remote.shutdown(&cluster, unit);
        narrator.say(&o.describe());
        outcomes.push(o);
    }
    if ctx.json {
        output::json_data(&ShutDown {
            command: SHUTDOWN.command,
            dry_run: false,
            units: outcomes.iter().map(UnitOutcome::from).collect(),
            failed: Outcome::failed(&outcomes),
        })
        .map_err(super::stdout_error)?;
    }
    power::report_failed(ctx, count, &outcomes, &SHUTDOWN)
}
