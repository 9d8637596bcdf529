//! `pio workers set-active` (the Python CLI's `update-active`)

use crate::cli::SetActiveArgs;
use crate::cluster::{Change, UnitName, plan, yes_no};
use crate::commands::{Edit, edit_inventory, files_for_unit, read_config, report};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::{Era, Source};
use crate::output::Narrator;
use crate::remote::{commands, plan_action};

use super::{api_failed, invalid_name, not_in_inventory};

pub fn run(ctx: &Context, args: &SetActiveArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    match &inventory.source {
        Source::ConfigIni => {
            drop(inventory);
            in_config(ctx, args)
        }
        Source::Api { api, workers } => {
            let name = &args.hostname;
            if args.offline {
                return Err(Error::usage(
                    "--offline is not possible here: in the database era the leader itself contacts the worker (and halts its jobs when it becomes inactive)",
                ));
            }
            let worker = workers
                .iter()
                .find(|w| w.pioreactor_unit.eq_ignore_ascii_case(name));
            let Some(worker) = worker else {
                UnitName::parse(name).map_err(invalid_name)?;
                return Err(not_in_inventory(
                    vec![name.clone()],
                    api.url(&["workers"]).as_ref(),
                ));
            };
            let unit = &worker.pioreactor_unit;
            let mut changes = Vec::new();
            if worker.is_active != args.active {
                changes.push(Change::SetActive {
                    name: unit.clone(),
                    active: args.active,
                });
                if !args.dry_run.dry_run {
                    api.set_active(unit, args.active).map_err(api_failed)?;
                }
            }
            let edit = Edit {
                changes,
                config_path: ctx.config_path.display().to_string(),
                created: false,
                diff: String::new(),
            };
            report(
                ctx,
                "workers set-active",
                Era::Api,
                args.dry_run.dry_run,
                &edit,
            )?;
            let narrator = Narrator::new(ctx);
            if edit.changes.is_empty() && !ctx.json {
                narrator.say(&format!(
                    "{unit} is already {}; nothing changed.",
                    yes_no(args.active)
                ));
            } else if !args.active {
                // The leader's API halts an inactivated worker's jobs itself.
                narrator.detail(&format!("The leader halts every job on {unit}."));
            }
            Ok(())
        }
    }
}

/// The config.ini era: change the line, copy the new config.ini to the worker (it reads its own
/// copy), and halt its jobs when it becomes inactive.
fn in_config(ctx: &Context, args: &SetActiveArgs) -> Result<()> {
    let name = &args.hostname;
    let dry_run = args.dry_run.dry_run;
    let narrator = Narrator::new(ctx);
    let changes = edit_inventory(ctx, "workers set-active", dry_run, |cluster| {
        if cluster.worker(name).is_none() {
            UnitName::parse(name).map_err(invalid_name)?;
        }
        plan::set_active(cluster, name, args.active)
            .map_err(|e| not_in_inventory(e.0, &ctx.config_path.display().to_string()))
    })?;
    if changes.is_empty() && !ctx.json {
        narrator.say(&format!(
            "{name} is already {}; nothing changed in config.ini.",
            yes_no(args.active)
        ));
    }
    if args.offline {
        if !args.active && !ctx.json {
            narrator.say(&format!(
                "Not contacting {name} (--offline): its copy of config.ini and its running jobs are unchanged."
            ));
        }
        return Ok(());
    }
    if dry_run {
        if !changes.is_empty() {
            narrator.say(&format!(
                "Would copy the new config.ini to {name} over SSH."
            ));
        }
        if !args.active {
            let how = plan_action(
                args.remote.via.into(),
                "POST /unit_api/jobs/stop/all",
                commands::HALT_JOBS,
            );
            narrator.say(&format!("Would halt every job on {name}: {how}."));
        }
        return Ok(());
    }
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    let remote = crate::commands::remote_from_args(ctx, &config, &args.remote)?;
    // Copying and halting share the worker's one --timeout.
    let deadline = std::time::Instant::now() + remote.timeout();
    let mut failed = Vec::new();
    // An unchanged inventory leaves nothing to copy; the leader's own copy is the source.
    if !changes.is_empty() && !cluster.is_leader(name) {
        // A config_<unit>.ini that cannot be read is a failure to report, after the halting
        // below: an inactive worker's jobs are stopped whatever else went wrong.
        let (release, learnt) =
            crate::commands::release_of(ctx, &remote.until(deadline), &cluster, name, Era::Config);
        if let Some(w) = crate::commands::unknown_release(name, &learnt, &release) {
            narrator.warn(&w);
        }
        match files_for_unit(ctx, config.render(), name, learnt.release()) {
            Ok(files) => {
                let pushed = remote.until(deadline).push_files(&cluster, name, &files);
                match &pushed.result {
                    Ok(_) => narrator.say(&pushed.describe()),
                    Err(e) => failed.push(format!("copying config.ini to it failed: {e}")),
                }
            }
            Err(e) => failed.push(format!("nothing was copied to it: {e}")),
        }
    }
    // An inactive worker runs nothing: halt its jobs now.
    if !args.active {
        let halted = remote.until(deadline).halt_jobs(&cluster, name);
        match &halted.result {
            Ok(_) => narrator.say(&halted.describe()),
            Err(e) => failed.push(format!("halting its jobs failed: {e}")),
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        Kind::Failed,
        format!(
            "{name} is now {} in config.ini, but {}",
            yes_no(args.active),
            failed.join("; ")
        ),
    )
    .with_hint(format!(
        "When {name} is reachable again, run `pio workers sync-configs {name}`{}.",
        if args.active {
            String::new()
        } else {
            format!(" and `pio workers set-active {name} 0` to halt its jobs")
        }
    )))
}
