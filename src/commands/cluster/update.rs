//! `pio cluster update`: every unit's Pioreactor software, in the order that keeps the cluster
//! working. The workers first (a worker older than its leader misbehaves), a few at a time, each
//! waited for until it answers with its new release; then the leader (updating it first stops its
//! task queue), only when every worker was updated; then every unit's release compared. Each
//! unit through its web API's update task where it has one (see `release::Feature::UpdateTask`), else the Python
//! CLI's `pio update app` over SSH.

use std::time::{Duration, Instant};

use crate::cli::ClusterUpdateArgs;
use crate::cluster::Cluster;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{UnitUpdate, Updated};
use crate::output::{self, Narrator, progress::Progress};
use crate::release::Release;
use crate::remote::{Remote, Via, commands, refuse_flagged};
use crate::transport::fanout;

/// How often a unit is asked its release while it finishes its update.
const ASK_AGAIN: Duration = Duration::from_secs(2);

/// One unit's part: its role, its release before, and what became of it.
struct Unit {
    name: String,
    leader: bool,
    before: Option<Release>,
    state: State,
}

enum State {
    NotTried,
    Updated(Release),
    Failed(String),
}

pub fn run(ctx: &Context, args: &ClusterUpdateArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let names = in_order(&cluster);
    refuse_flagged(&cluster, &names, Some(false))?;
    let timeout = Duration::from_secs_f64(args.timeout);
    let remote = crate::commands::remote(ctx, &inventory.config, Via::Auto, timeout)?;
    // Asking a release is quick; each ask gets the time any command gives a unit (less when
    // --timeout is shorter).
    let per_ask = Duration::from_secs_f64(crate::timeouts::PER_UNIT.min(args.timeout));
    let asker = crate::commands::remote(ctx, &inventory.config, Via::Auto, per_ask)?;
    let before = fanout::run(&names, 16, |u| asker.release(&cluster, u), |_, _| {});
    let mut units: Vec<Unit> = names
        .iter()
        .zip(before)
        .map(|(name, learnt)| Unit {
            name: name.clone(),
            leader: cluster.is_leader(name),
            before: learnt.release().cloned(),
            state: State::NotTried,
        })
        .collect();
    if args.dry_run {
        return plan(ctx, args, &units);
    }
    if !confirmed(ctx, args, &names)? {
        Narrator::new(ctx).say("Nothing was updated.");
        return Ok(());
    }
    let waves = Waves {
        ctx,
        args,
        cluster: &cluster,
        remote: &remote,
        asker: &asker,
    };
    let (workers, leader) = units.split_at_mut(names.len() - 1);
    if waves.run(workers, "updating the workers") {
        waves.run(leader, "updating the leader");
    }
    finish(ctx, args, &units)
}

/// Every worker (the leader excepted), then the leader, by name.
fn in_order(cluster: &Cluster) -> Vec<String> {
    let mut names: Vec<String> = cluster
        .workers
        .iter()
        .filter(|w| !cluster.is_leader(w.name))
        .map(|w| w.name.to_string())
        .collect();
    names.push(cluster.leader.to_string());
    names
}

struct Waves<'a> {
    ctx: &'a Context,
    args: &'a ClusterUpdateArgs,
    cluster: &'a Cluster<'a>,
    remote: &'a Remote<'a>,
    asker: &'a Remote<'a>,
}

impl Waves<'_> {
    /// Updates `units` (`--fanout` at a time); whether every one of them was.
    fn run(&self, units: &mut [Unit], what: &str) -> bool {
        let progress = Progress::bar(self.ctx, units.len(), what);
        let names: Vec<String> = units.iter().map(|u| u.name.clone()).collect();
        let states = fanout::run(
            &names,
            usize::from(self.args.fanout),
            |u| self.update(u),
            |k, s: &State| {
                progress.inc();
                progress.line(&describe(&names[k], s));
            },
        );
        progress.finish();
        for (unit, state) in units.iter_mut().zip(states) {
            unit.state = state;
        }
        units.iter().all(|u| matches!(u.state, State::Updated(_)))
    }

    /// One unit: the update, then its release asked until it is the one asked for (any, without
    /// --version), within --timeout of the start (and one last ask).
    fn update(&self, unit: &str) -> State {
        let until = Instant::now() + Duration::from_secs_f64(self.args.timeout);
        let version = self.args.version.as_deref();
        if let Err(why) = self.remote.update_app(self.cluster, unit, version).result {
            return State::Failed(why);
        }
        loop {
            self.asker.forget_release(unit);
            let learnt = self.asker.release(self.cluster, unit);
            let why = match (learnt.release(), version) {
                (Some(now), Some(v)) if now.to_string() == v => return State::Updated(now.clone()),
                (Some(now), None) => return State::Updated(now.clone()),
                (Some(now), Some(v)) => format!("it answers with {now}, not {v}"),
                (None, _) => format!("its release cannot be learnt: {}", learnt_why(&learnt)),
            };
            if Instant::now() + ASK_AGAIN > until {
                return State::Failed(format!(
                    "updated, but after {:.0} s {why}",
                    self.args.timeout
                ));
            }
            std::thread::sleep(ASK_AGAIN);
        }
    }
}

fn learnt_why(learnt: &crate::release::Learnt) -> &str {
    match learnt {
        crate::release::Learnt::Unknown(why) => why,
        crate::release::Learnt::Known(_) => "",
    }
}

fn describe(unit: &str, state: &State) -> String {
    match state {
        State::NotTried => format!("{unit}: not tried"),
        State::Updated(r) => format!("{unit}: updated, now {r}"),
        State::Failed(why) => format!("{unit}: FAILED: {why}"),
    }
}

/// `--dry-run`: the order, and how each unit would be updated.
fn plan(ctx: &Context, args: &ClusterUpdateArgs, units: &[Unit]) -> Result<()> {
    let command = commands::update_app(args.version.as_deref());
    if ctx.json {
        return output::json_data(&document(args, units, true)).map_err(super::super::stdout_error);
    }
    let release = |u: &Unit| {
        u.before
            .as_ref()
            .map_or("release unknown".into(), |r| r.to_string())
    };
    let workers: Vec<String> = units
        .iter()
        .filter(|u| !u.leader)
        .map(|u| format!("{} ({})", u.name, release(u)))
        .collect();
    let leader = units.iter().find(|u| u.leader).expect("the leader is last");
    let text = format!(
        "1. the workers, {} at a time: {}\n2. the leader, once every worker is updated: {} ({})\n\
         3. every unit's release, compared\neach unit is updated through its web API (POST \
         /unit_api/system/update/app, {since} and later) where it answers, else by `{command}` over SSH\n",
        args.fanout,
        if workers.is_empty() {
            "none".to_string()
        } else {
            workers.join(", ")
        },
        leader.name,
        release(leader),
        since = crate::release::first_with(crate::release::Feature::UpdateTask),
    );
    Narrator::new(ctx).say("Dry run: nothing was updated.");
    output::data(&text).map_err(super::super::stdout_error)
}

/// `--yes`, else the operator's answer on a terminal; without one, a refusal (exit 5).
fn confirmed(ctx: &Context, args: &ClusterUpdateArgs, names: &[String]) -> Result<bool> {
    let to = args
        .version
        .as_deref()
        .map_or(String::new(), |v| format!(" to {v}"));
    let question = format!(
        "Update {}{to}, the workers first and then the leader ({})?",
        output::count(names.len(), "unit"),
        names.join(", ")
    );
    super::super::confirmed(ctx, args.yes, &question, "update")
}

fn document<'a>(args: &'a ClusterUpdateArgs, units: &'a [Unit], dry_run: bool) -> Updated<'a> {
    Updated {
        command: "cluster update",
        dry_run,
        version: args.version.as_deref(),
        units: units
            .iter()
            .map(|u| UnitUpdate {
                unit: &u.name,
                role: if u.leader { "leader" } else { "worker" },
                state: match u.state {
                    State::NotTried => "not tried",
                    State::Updated(_) => "updated",
                    State::Failed(_) => "failed",
                },
                release_before: u.before.as_ref().map(|r| r.to_string()),
                release_after: match &u.state {
                    State::Updated(r) => Some(r.to_string()),
                    _ => None,
                },
                error: match &u.state {
                    State::Failed(why) => Some(why),
                    _ => None,
                },
            })
            .collect(),
    }
}

/// The report, and the exit status: 1 when a unit failed (the rest not tried) or the units'
/// releases differ at the end.
fn finish(ctx: &Context, args: &ClusterUpdateArgs, units: &[Unit]) -> Result<()> {
    if ctx.json {
        output::json_data(&document(args, units, false)).map_err(super::super::stdout_error)?;
    }
    let failed: Vec<&Unit> = units
        .iter()
        .filter(|u| matches!(u.state, State::Failed(_)))
        .collect();
    if !failed.is_empty() {
        let not_tried: Vec<&str> = units
            .iter()
            .filter(|u| matches!(u.state, State::NotTried))
            .map(|u| u.name.as_str())
            .collect();
        let names: Vec<&str> = failed.iter().map(|u| u.name.as_str()).collect();
        let mut message = format!("the update failed on {}", names.join(", "));
        if !not_tried.is_empty() {
            message.push_str(&format!(
                "; not tried, so left as they were: {}",
                not_tried.join(", ")
            ));
        }
        output::error_line(ctx, &message);
        return Err(Error::reported(Kind::Failed));
    }
    let releases: Vec<String> = units
        .iter()
        .filter_map(|u| match &u.state {
            State::Updated(r) => Some(r.to_string()),
            _ => None,
        })
        .collect();
    if releases.windows(2).any(|w| w[0] != w[1]) {
        let each: Vec<String> = units
            .iter()
            .zip(&releases)
            .map(|(u, r)| format!("{} {r}", u.name))
            .collect();
        output::error_line(
            ctx,
            &format!(
                "every unit was updated, but their releases differ: {}",
                each.join(", ")
            ),
        );
        return Err(Error::reported(Kind::Failed));
    }
    Narrator::new(ctx).say(&format!(
        "Updated {}; every unit runs {}.",
        output::count(units.len(), "unit"),
        releases.first().map_or("?", String::as_str)
    ));
    Ok(())
}
