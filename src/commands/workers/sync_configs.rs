//! `pio workers sync-configs`: copies this leader's config.ini (and each unit's
//! `config_<unit>.ini`, as its `unit_config.ini`) to units over SSH.

use serde_json::json;

use crate::cli::SyncConfigsArgs;
use crate::commands::{files_for_unit, stdout_error};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, Narrator, progress::Progress};
use crate::remote::{Outcome, select_units};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &SyncConfigsArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let narrator = Narrator::new(ctx);
    let selected = if args.select.all {
        // As the Python stack's sync-configs: the active workers.
        cluster
            .workers
            .iter()
            .filter(|w| w.active)
            .map(|w| w.name.to_string())
            .collect()
    } else if args.select.units.is_empty() {
        return Err(
            Error::usage("name the units to copy config.ini to, or use --all").with_hint(
                "e.g. `pio workers sync-configs pio02`, `pio workers sync-configs --all`",
            ),
        );
    } else {
        select_units(&cluster, &args.select.units)?
    };
    // The leader's config.ini is the source: copying it onto itself could only lose it.
    let units: Vec<String> = selected
        .into_iter()
        .filter(|u| {
            let leader = cluster.is_leader(u);
            if leader {
                narrator.say(&format!(
                    "{u} is the leader: its config.ini is the source, skipped."
                ));
            }
            !leader
        })
        .collect();
    if units.is_empty() {
        narrator.say("No units to copy config.ini to.");
        return Ok(());
    }
    let shared = config.render();
    let files: Vec<_> = units
        .iter()
        .map(|u| files_for_unit(ctx, shared, u))
        .collect::<Result<_>>()?;
    let remote = crate::commands::remote_from_args(ctx, config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "copying");
    let indexed: Vec<usize> = (0..units.len()).collect();
    let outcomes = fanout::run(
        &indexed,
        usize::from(args.fanout),
        |&i| remote.push_files(&cluster, &units[i], &files[i]),
        |_, o: &Outcome| {
            progress.inc();
            progress.line(&o.describe());
        },
    );
    progress.finish();
    let failed = Outcome::failed(&outcomes);
    if ctx.json {
        output::json_data(&json!({
            "command": "workers sync-configs",
            "units": outcomes.iter().map(Outcome::to_json).collect::<Vec<_>>(),
            "failed": failed,
        }))
        .map_err(stdout_error)?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    eprintln!(
        "error: config.ini could not be copied to {} of {} units: {}",
        failed.len(),
        units.len(),
        failed.join(", ")
    );
    Err(Error::reported(Kind::Failed))
}
