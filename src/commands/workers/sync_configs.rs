//! `pio workers sync-configs`: gives units this leader's config.ini, and each unit's own settings
//! the way its release keeps them: before 26.4 the leader's `config_<unit>.ini` is sent as the
//! unit's `unit_config.ini`; from 26.4 the unit owns that file, and the leader's
//! `config_<unit>.ini` becomes a snapshot fetched from it (as the Python `pios sync-configs
//! --specific` refreshes its snapshots), never sent back.

use std::time::Instant;

use crate::cli::SyncConfigsArgs;
use crate::cluster::Cluster;
use crate::commands::{release_or_assumed, stdout_error, unit_config_path, unknown_release};
use crate::config::store;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::Inventory;
use crate::output::{self, Narrator, progress::Progress, schema};
use crate::release::Release;
use crate::remote::files::{self, Parts};
use crate::remote::{Outcome, Remote, Used, paths, push_over, refuse_flagged, select_units};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &SyncConfigsArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let named =
        crate::commands::named_units(&inventory, args.select.named(), &args.select.experiments)?;
    let units = chosen(ctx, args, &cluster, &named)?;
    if units.is_empty() {
        Narrator::new(ctx).say("No units to copy config.ini to.");
        return Ok(());
    }
    let parts = Parts {
        shared: !args.specific,
        specific: !args.shared,
    };
    let shared = inventory.config.render();
    // Every config_<unit>.ini that may be sent is read (and checked) before anything is sent
    // anywhere: one that cannot be is exit 2, with nothing changed.
    let leader_copies: Vec<Option<Vec<u8>>> = if parts.specific {
        units
            .iter()
            .map(|u| store::read_unit_config(&unit_config_path(ctx, u)))
            .collect::<Result<_>>()?
    } else {
        vec![None; units.len()]
    };
    let indexed: Vec<usize> = (0..units.len()).collect();
    let remote = crate::commands::remote_from_args(ctx, &inventory.config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "copying");
    let outcomes = fanout::run(
        &indexed,
        usize::from(args.fanout),
        |&i| {
            let unit = &units[i];
            let job = Job {
                ctx,
                inventory: &inventory,
                remote: &remote,
                cluster: &cluster,
                unit,
                progress: &progress,
            };
            let outcome = job.sync(shared, leader_copies[i].as_deref(), parts);
            let release = remote
                .known_release(unit)
                .and_then(|l| l.release().cloned());
            (outcome, release)
        },
        |_, (o, _): &(Outcome, Option<Release>)| {
            progress.inc();
            progress.line(&o.describe());
        },
    );
    progress.finish();
    reported(ctx, units.len(), &outcomes)
}

/// The units named (`--all`: the active workers, as the Python stack's sync-configs), never the
/// leader: its config.ini is the source, and copying it onto itself could only lose it.
fn chosen(
    ctx: &Context,
    args: &SyncConfigsArgs,
    cluster: &Cluster,
    named: &[String],
) -> Result<Vec<String>> {
    let narrator = Narrator::new(ctx);
    let selected = if args.select.all {
        // Which workers are active must be known before any is said to be skipped.
        refuse_flagged(cluster, &[] as &[String], Some(true))?;
        let inactive: Vec<&str> = cluster
            .workers
            .iter()
            .filter(|w| !w.active)
            .map(|w| w.name)
            .collect();
        if !inactive.is_empty() {
            narrator.say(&format!(
                "Skipped {} (--all means the active workers; name one to sync it): {}",
                output::count(inactive.len(), "inactive worker"),
                inactive.join(", ")
            ));
        }
        cluster
            .workers
            .iter()
            .filter(|w| w.active)
            .map(|w| w.name.to_string())
            .collect()
    } else if named.is_empty() {
        return Err(
            Error::usage("name the units to copy config.ini to, or use --all").with_hint(
                "e.g. `pio workers sync-configs pio02`, `pio workers sync-configs --all`",
            ),
        );
    } else {
        select_units(cluster, named)?
    };
    refuse_flagged(cluster, &selected, None)?;
    Ok(selected
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
        .collect())
}

/// `--json`'s document, and the exit status: 1 when any unit failed, named on stderr.
fn reported(ctx: &Context, count: usize, outcomes: &[(Outcome, Option<Release>)]) -> Result<()> {
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|(o, _)| !o.ok())
        .map(|(o, _)| o.unit.as_str())
        .collect();
    if ctx.json {
        output::json_data(&schema::Outcomes {
            command: "workers sync-configs",
            units: outcomes
                .iter()
                .map(|(o, release)| schema::SyncedUnit {
                    outcome: o.into(),
                    release: release.as_ref().map(ToString::to_string),
                })
                .collect(),
            failed: failed.clone(),
        })
        .map_err(stdout_error)?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    crate::output::error_line(
        ctx,
        &format!(
            "config.ini could not be copied to {} of {}: {}",
            failed.len(),
            output::count(count, "unit"),
            failed.join(", ")
        ),
    );
    Err(Error::reported(Kind::Failed))
}

/// One unit's sync: what it needs to know.
struct Job<'a> {
    ctx: &'a Context,
    inventory: &'a Inventory,
    remote: &'a Remote<'a>,
    cluster: &'a Cluster<'a>,
    unit: &'a str,
    progress: &'a Progress,
}

impl Job<'_> {
    /// Its files sent (and, from 26.4, its own settings fetched) on one connection within the
    /// unit's --timeout; its release learnt on that connection (or from its web API).
    fn sync(&self, shared: &str, leader_copy: Option<&[u8]>, parts: Parts) -> Outcome {
        let (ctx, remote, unit) = (self.ctx, self.remote, self.unit);
        let deadline = Instant::now() + remote.timeout();
        let address = remote.until(deadline).address(self.cluster, unit);
        let result = address.clone().and_then(|address| {
            let conn = remote
                .until(deadline)
                .ssh_until(unit, &address, deadline)
                .map_err(|e| e.to_string())?;
            let learnt = remote.until(deadline).release_on(self.cluster, unit, &conn);
            let release = release_or_assumed(ctx, self.inventory, &learnt);
            if let Some(w) = unknown_release(unit, &learnt, &release) {
                self.progress.line(&format!("warning: {w}"));
            }
            let plan = files::sync_plan(unit, learnt.release(), parts, shared, leader_copy);
            let mut said = Vec::new();
            if !plan.send.is_empty() {
                push_over(&conn, &plan.send, deadline)?;
                let names: Vec<&str> = plan.send.iter().map(|(p, _)| *p).collect();
                said.push(format!("copied {}", names.join(" and ")));
            }
            if plan.fetch_snapshot {
                said.push(fetch_snapshot(ctx, &conn, unit, deadline)?);
            }
            said.extend(plan.note);
            Ok(said.join("; "))
        });
        Outcome {
            unit: unit.to_string(),
            address: address.ok(),
            via: Some(Used::Ssh),
            result,
            fell_back: false,
        }
    }
}

/// Fetches a 26.4+ unit's `unit_config.ini` into this leader's `config_<unit>.ini` snapshot.
fn fetch_snapshot(
    ctx: &Context,
    conn: &crate::transport::ssh::Connection,
    unit: &str,
    deadline: Instant,
) -> std::result::Result<String, String> {
    let theirs = conn
        .read_file(std::path::Path::new(paths::UNIT_CONFIG), deadline)
        .map_err(|e| e.to_string())?;
    let Some(bytes) = theirs else {
        return Ok(format!("{unit} has no unit_config.ini: no snapshot taken"));
    };
    let snapshot = unit_config_path(ctx, unit);
    let lock = store::lock(&snapshot, ctx.lock_wait, false).map_err(|e| e.message)?;
    store::save(&snapshot, &bytes, &lock).map_err(|e| e.message)?;
    Ok(format!(
        "fetched its own unit_config.ini (it owns it) into {}",
        snapshot.display()
    ))
}
