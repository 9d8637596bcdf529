//! `pio repair`: the web page's "Repair" of a unit's Pioreactor files and services (the releases
//! that have it: `release::Feature::Repair`), on the units named, or every worker.

use std::time::Duration;

use crate::cli::RepairArgs;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{Outcomes, UnitOutcome};
use crate::output::{self, Narrator};
use crate::release::{self, Feature};
use crate::remote::{Outcome, refuse_flagged, select_units};

/// Planned as reboot and shutdown are (`--dry-run`, also as `--json`).
const REPAIR: super::power::Power = super::power::Power {
    command: "repair",
    verb: "Repair",
    done: "repaired",
    http: "POST /unit_api/system/repair",
    ssh: crate::remote::commands::REPAIR,
};

pub fn run(ctx: &Context, args: &RepairArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let select = &args.select;
    let named = super::named_units(&inventory, select.named(), &select.experiments)?;
    let units: Vec<String> = if select.all {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else if named.is_empty() {
        return Err(Error::usage("name the units to repair, or use --all")
            .with_hint("e.g. `pio repair pio02`, `pio repair --all`"));
    } else {
        select_units(&cluster, &named)?
    };
    refuse_flagged(&cluster, &units, select.all.then_some(false))?;
    let timeout = Duration::from_secs_f64(args.remote.timeout);
    let remote = crate::commands::remote(ctx, &inventory.config, args.remote.via.into(), timeout)?;
    if args.dry_run {
        let since = release::first_with(Feature::Repair);
        Narrator::new(ctx).say(&format!(
            "Only units of Pioreactor {since} and later have a repair."
        ));
        let units = units.iter();
        return super::power::dry_run(ctx, &cluster, &remote, units, &REPAIR);
    }
    let outcomes = super::power::fan_out(ctx, &units, args.fanout, "repairing", |u| {
        remote.repair(&cluster, u)
    });
    let failed = Outcome::failed(&outcomes);
    if ctx.json {
        output::json_data(&Outcomes {
            command: "repair",
            units: outcomes.iter().map(UnitOutcome::from).collect(),
            failed: failed.clone(),
        })
        .map_err(super::stdout_error)?;
    }
    if failed.is_empty() {
        Narrator::new(ctx).say(&format!("Repaired {}.", output::count(units.len(), "unit")));
        return Ok(());
    }
    output::error_line(
        ctx,
        &format!(
            "{} of {} not repaired: {}",
            failed.len(),
            output::count(units.len(), "unit"),
            failed.join(", ")
        ),
    );
    Err(Error::reported(Kind::Failed))
}
