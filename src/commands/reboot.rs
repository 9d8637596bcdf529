//! `pio reboot`

use std::time::{Duration, Instant};

use super::power::{self, Power};
use crate::cli::RebootArgs;
use crate::cluster::Cluster;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{NotBack, Rebooted, UnitOutcome};
use crate::output::{self, Narrator, progress::Progress};
use crate::remote::{Outcome, Remote, Used, commands};
use crate::transport::fanout;

const REBOOT: Power = Power {
    command: "reboot",
    verb: "Reboot",
    done: "rebooted",
    http: "POST /unit_api/system/reboot",
    ssh: commands::REBOOT,
};

/// How long each request may take, and (with --wait) how long units may take to come back.
use crate::timeouts::{
    COME_BACK as DEFAULT_WAIT, PER_UNIT as DEFAULT_REQUEST_TIMEOUT,
    REBOOT_REQUEST_MAX as MAX_REQUEST_TIMEOUT,
};

pub fn run(ctx: &Context, args: &RebootArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let select = &args.power.select;
    let named = super::named_units(&inventory, select.named(), &select.experiments)?;
    let (workers, leader) = power::chosen(&cluster, select, &named, &REBOOT)?;
    let remote = crate::commands::remote(
        ctx,
        &inventory.config,
        args.power.via.into(),
        Duration::from_secs_f64(request_timeout(args)),
    )?;
    let narrator = Narrator::new(ctx);
    let count = workers.len() + leader.len();
    if count == 0 {
        narrator.say("No workers to reboot.");
        return Ok(());
    }
    if args.dry_run {
        return power::dry_run(
            ctx,
            &cluster,
            &remote,
            workers.iter().chain(&leader),
            &REBOOT,
        );
    }
    let names: Vec<&str> = workers.iter().chain(&leader).map(String::as_str).collect();
    if !power::confirmed(ctx, args.power.yes, &names, &REBOOT)? {
        narrator.say("Nothing was rebooted.");
        return Ok(());
    }
    let fleet = Fleet {
        ctx,
        args,
        remote: &remote,
        cluster: &cluster,
        workers: &workers,
    };
    // A boot id from before, to tell a unit that restarted from one that only answered again.
    let before = if args.wait {
        fleet.boot_ids()
    } else {
        Vec::new()
    };
    let mut outcomes = fleet.reboot();
    let not_back = if args.wait {
        fleet.wait_back(&outcomes, &before)
    } else {
        Vec::new()
    };
    if args.wait && !leader.is_empty() {
        narrator.say("Rebooting the leader last, without waiting for it: pio runs on it.");
    }
    // The leader, last of all: rebooting it cuts pio off.
    for unit in &leader {
        let o = remote.reboot(&cluster, unit);
        narrator.say(&o.describe());
        outcomes.push(o);
    }
    finish(ctx, args, count, &outcomes, &not_back)
}

/// Each request is bounded by --timeout (10 s by default, at most 60 s); with --wait, --timeout
/// bounds the wait for the units to come back instead.
fn request_timeout(args: &RebootArgs) -> f64 {
    match (args.wait, args.timeout) {
        (false, Some(t)) => t.min(MAX_REQUEST_TIMEOUT),
        _ => DEFAULT_REQUEST_TIMEOUT,
    }
}

/// The workers being rebooted, all at once (`--fanout` at a time).
struct Fleet<'a> {
    ctx: &'a Context,
    args: &'a RebootArgs,
    remote: &'a Remote<'a>,
    cluster: &'a Cluster<'a>,
    workers: &'a [String],
}

impl Fleet<'_> {
    fn boot_ids(&self) -> Vec<Option<String>> {
        fanout::run(
            self.workers,
            usize::from(self.args.power.fanout),
            |u| {
                let at = self.remote.address(self.cluster, u).ok()?;
                self.remote.boot_id(u, &at)
            },
            |_, _| {},
        )
    }

    fn reboot(&self) -> Vec<Outcome> {
        power::fan_out(
            self.ctx,
            self.workers,
            self.args.power.fanout,
            "rebooting",
            |u| self.remote.reboot(self.cluster, u),
        )
    }

    /// `--wait`: every worker that accepted, all at once (one waiting on another could miss its
    /// going down), until it is back or the time is up. Returns those not back, and why.
    fn wait_back(&self, outcomes: &[Outcome], before: &[Option<String>]) -> Vec<(String, String)> {
        let wait = Duration::from_secs_f64(self.args.timeout.unwrap_or(DEFAULT_WAIT));
        let until = Instant::now() + wait;
        let accepted: Vec<usize> = (0..self.workers.len())
            .filter(|&i| outcomes[i].ok())
            .collect();
        let progress = Progress::bar(self.ctx, accepted.len(), "waiting for units to come back");
        let results = fanout::run(
            &accepted,
            accepted.len(),
            |&i| {
                let (unit, via) = (&self.workers[i], outcomes[i].via.unwrap_or(Used::Ssh));
                let address = |r: &Remote| r.address(self.cluster, unit);
                self.remote
                    .wait_back(unit, address, via, before[i].as_deref(), until)
            },
            |k, r: &std::result::Result<Duration, String>| {
                progress.inc();
                let unit = &self.workers[accepted[k]];
                progress.line(&match r {
                    Ok(took) => format!("{unit}: back after {:.0} s", took.as_secs_f64()),
                    Err(why) => {
                        format!("{unit}: not back after {:.0} s: {why}", wait.as_secs_f64())
                    }
                });
            },
        );
        progress.finish();
        results
            .into_iter()
            .enumerate()
            .filter_map(|(k, r)| r.err().map(|why| (self.workers[accepted[k]].clone(), why)))
            .collect()
    }
}

/// `--json`'s document, and the exit status: 1 when a unit did not accept or did not come back.
fn finish(
    ctx: &Context,
    args: &RebootArgs,
    count: usize,
    outcomes: &[Outcome],
    not_back: &[(String, String)],
) -> Result<()> {
    let failed = Outcome::failed(outcomes);
    if ctx.json {
        output::json_data(&Rebooted {
            command: "reboot",
            dry_run: false,
            units: outcomes.iter().map(UnitOutcome::from).collect(),
            failed: failed.clone(),
            not_back: not_back
                .iter()
                .map(|(unit, why)| NotBack { unit, why })
                .collect(),
        })
        .map_err(super::stdout_error)?;
    }
    if !not_back.is_empty() {
        let names: Vec<&str> = not_back.iter().map(|(u, _)| u.as_str()).collect();
        let waited = args.timeout.unwrap_or(DEFAULT_WAIT);
        output::error_line(
            ctx,
            &format!("not back within {waited:.0} s: {}", names.join(", ")),
        );
        if !failed.is_empty() {
            output::error_line(
                ctx,
                &format!("did not accept the reboot: {}", failed.join(", ")),
            );
        }
        return Err(Error::reported(Kind::Failed));
    }
    power::report_failed(ctx, count, outcomes, &REBOOT)
}
