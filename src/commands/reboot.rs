//! `pio reboot`

use serde_json::json;

use crate::cli::RebootArgs;
use crate::commands::remote::{Outcome, Remote, commands, plan_action, select_units};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, Narrator, progress::Progress};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &RebootArgs) -> Result<()> {
    let inventory = crate::inventory::open(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units = if args.select.all {
        cluster
            .workers
            .iter()
            .filter(|w| !cluster.is_leader(w.name))
            .map(|w| w.name.to_string())
            .collect()
    } else if args.select.units.is_empty() {
        return Err(Error::usage("name the units to reboot, or use --all")
            .with_hint("e.g. `pio reboot pio02`, `pio reboot 'pio[01-08]'`, `pio reboot --all`"));
    } else {
        select_units(&cluster, &args.select.units)?
    };
    // The leader, only when named, goes last: rebooting it first would cut the others off.
    let (leader, workers): (Vec<String>, Vec<String>) =
        units.into_iter().partition(|u| cluster.is_leader(u));
    let remote = Remote::from_args(ctx, config, &args.remote)?;
    let narrator = Narrator::new(ctx);
    let count = workers.len() + leader.len();
    if count == 0 {
        narrator.say("No workers to reboot.");
        return Ok(());
    }

    if args.dry_run {
        let mut plan = Vec::new();
        for unit in workers.iter().chain(&leader) {
            let address = cluster
                .address_of(unit)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{unit}.local (mDNS)"));
            let how = plan_action(
                remote.via(),
                "POST /unit_api/system/reboot",
                commands::REBOOT,
            );
            plan.push((unit.clone(), address, how));
        }
        if ctx.json {
            let rows: Vec<_> = plan
                .iter()
                .map(|(u, a, h)| json!({"unit": u, "address": a, "action": h}))
                .collect();
            return output::json_data(
                &json!({"command": "reboot", "dry_run": true, "units": rows}),
            )
            .map_err(super::stdout_error);
        }
        let text: String = plan
            .iter()
            .map(|(u, a, h)| format!("would reboot {u} at {a}: {h}\n"))
            .collect();
        narrator.say("Dry run: nothing was rebooted.");
        return output::data(&text).map_err(super::stdout_error);
    }

    if !args.yes {
        let names: Vec<&str> = workers.iter().chain(&leader).map(String::as_str).collect();
        let question = format!(
            "Reboot {count} unit{} ({})?",
            if count == 1 { "" } else { "s" },
            names.join(", ")
        );
        if !(ctx.stdin_is_terminal && ctx.stderr_is_terminal) {
            return Err(Error::new(
                Kind::NeedsConfirmation,
                format!(
                    "{question} Refusing without confirmation: there is no terminal to ask on."
                ),
            )
            .with_hint("Pass --yes to reboot from a script or cron job."));
        }
        if !output::confirm(&question)
            .map_err(|e| Error::failed(format!("cannot read the answer: {e}")))?
        {
            narrator.say("Nothing was rebooted.");
            return Ok(());
        }
    }

    let progress = Progress::bar(ctx, count, "rebooting");
    let report = |_: usize, o: &Outcome| {
        progress.inc();
        progress.line(&o.describe());
    };
    let mut outcomes = fanout::run(
        &workers,
        usize::from(args.fanout),
        |u| remote.reboot(&cluster, u),
        report,
    );
    for unit in &leader {
        let o = remote.reboot(&cluster, unit);
        report(0, &o);
        outcomes.push(o);
    }
    progress.finish();

    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok())
        .map(|o| o.unit.as_str())
        .collect();
    if ctx.json {
        output::json_data(&json!({
            "command": "reboot",
            "dry_run": false,
            "units": outcomes.iter().map(Outcome::to_json).collect::<Vec<_>>(),
            "failed": failed,
        }))
        .map_err(super::stdout_error)?;
    }
    if failed.is_empty() {
        narrator.say(&format!(
            "Asked {count} unit{} to reboot.",
            if count == 1 { "" } else { "s" }
        ));
        Ok(())
    } else {
        eprintln!(
            "error: {} of {count} units did not accept the reboot: {}",
            failed.len(),
            failed.join(", ")
        );
        Err(Error::reported(Kind::Failed))
    }
}
