//! `pio reboot`

use serde_json::json;

use crate::cli::RebootArgs;
use std::time::{Duration, Instant};

use crate::cluster::Reach;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, Narrator, progress::Progress};
use crate::remote::{Outcome, Remote, Used, commands, plan_action, select_units};
use crate::transport::fanout;

/// How long each request may take, and (with --wait) how long units may take to come back.
const DEFAULT_REQUEST_TIMEOUT: f64 = 10.0;
const DEFAULT_WAIT: f64 = 180.0;

pub fn run(ctx: &Context, args: &RebootArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units = if args.select.all {
        cluster
            .workers
            .iter()
            .filter(|w| !cluster.is_leader(w.name))
            .map(|w| w.name.to_string())
            .collect()
    } else if args.select.named().is_empty() {
        return Err(Error::usage("name the units to reboot, or use --all")
            .with_hint("e.g. `pio reboot pio02`, `pio reboot 'pio[01-08]'`, `pio reboot --all`"));
    } else {
        select_units(&cluster, &args.select.named())?
    };
    // The leader, only when named, goes last: rebooting it first would cut the others off.
    let (leader, workers): (Vec<String>, Vec<String>) =
        units.into_iter().partition(|u| cluster.is_leader(u));
    // Each request is bounded by --timeout (10 s by default); with --wait, --timeout bounds the
    // wait for the units to come back instead.
    let request_timeout = match (args.wait, args.timeout) {
        (false, Some(t)) => t.min(60.0),
        _ => DEFAULT_REQUEST_TIMEOUT,
    };
    let remote = Remote::new(
        ctx,
        config,
        args.via.into(),
        Duration::from_secs_f64(request_timeout),
    )?;
    let narrator = Narrator::new(ctx);
    let count = workers.len() + leader.len();
    if count == 0 {
        narrator.say("No workers to reboot.");
        return Ok(());
    }

    if args.dry_run {
        let mut plan = Vec::new();
        for unit in workers.iter().chain(&leader) {
            // Where the reboot would go, by the rule every transport follows.
            let reach = cluster.reach(unit);
            let address = match reach {
                Reach::Mdns => format!("{} (mDNS)", reach.host(unit)),
                _ => reach.host(unit),
            };
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

    // A boot id from before, to tell a unit that restarted from one that only answered again.
    let before: Vec<Option<String>> = if args.wait {
        fanout::run(
            &workers,
            usize::from(args.fanout),
            |u| {
                let at = remote.address(&cluster, u).ok()?;
                remote.boot_id(u, &at)
            },
            |_, _| {},
        )
    } else {
        Vec::new()
    };
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
    progress.finish();

    // --wait: every worker that accepted, all at once (one waiting on another could miss its
    // going down), until it is back or the time is up.
    let mut not_back: Vec<(String, String)> = Vec::new();
    if args.wait {
        let wait = Duration::from_secs_f64(args.timeout.unwrap_or(DEFAULT_WAIT));
        let until = Instant::now() + wait;
        let accepted: Vec<usize> = (0..workers.len()).filter(|&i| outcomes[i].ok()).collect();
        let progress = Progress::bar(ctx, accepted.len(), "waiting for units to come back");
        let results = fanout::run(
            &accepted,
            accepted.len(),
            |&i| {
                let (unit, via) = (&workers[i], outcomes[i].via.unwrap_or(Used::Ssh));
                let address = |r: &Remote| r.address(&cluster, unit);
                remote.wait_back(unit, address, via, before[i].as_deref(), until)
            },
            |k, r: &std::result::Result<Duration, String>| {
                progress.inc();
                let unit = &workers[accepted[k]];
                progress.line(&match r {
                    Ok(took) => format!("{unit}: back after {:.0} s", took.as_secs_f64()),
                    Err(why) => {
                        format!("{unit}: not back after {:.0} s: {why}", wait.as_secs_f64())
                    }
                });
            },
        );
        progress.finish();
        for (k, r) in results.into_iter().enumerate() {
            if let Err(why) = r {
                not_back.push((workers[accepted[k]].clone(), why));
            }
        }
        if !leader.is_empty() {
            narrator.say("Rebooting the leader last, without waiting for it: pio runs on it.");
        }
    }
    // The leader, last of all: rebooting it cuts pio off.
    for unit in &leader {
        let o = remote.reboot(&cluster, unit);
        narrator.say(&o.describe());
        outcomes.push(o);
    }
    let failed = Outcome::failed(&outcomes);
    if ctx.json {
        output::json_data(&json!({
            "command": "reboot",
            "dry_run": false,
            "units": outcomes.iter().map(Outcome::to_json).collect::<Vec<_>>(),
            "failed": failed,
            "not_back": not_back.iter().map(|(u, why)| json!({"unit": u, "why": why})).collect::<Vec<_>>(),
        }))
        .map_err(super::stdout_error)?;
    }
    if !not_back.is_empty() {
        let names: Vec<&str> = not_back.iter().map(|(u, _)| u.as_str()).collect();
        crate::output::error_line(
            ctx,
            &format!(
                "not back within {:.0} s: {}",
                args.timeout.unwrap_or(DEFAULT_WAIT),
                names.join(", ")
            ),
        );
        if !failed.is_empty() {
            crate::output::error_line(
                ctx,
                &format!("did not accept the reboot: {}", failed.join(", ")),
            );
        }
        return Err(Error::reported(Kind::Failed));
    }
    if failed.is_empty() {
        narrator.say(&format!(
            "Asked {count} unit{} to reboot.",
            if count == 1 { "" } else { "s" }
        ));
        Ok(())
    } else {
        crate::output::error_line(
            ctx,
            &format!(
                "{} of {count} units did not accept the reboot: {}",
                failed.len(),
                failed.join(", ")
            ),
        );
        Err(Error::reported(Kind::Failed))
    }
}
