//! `pio clock`: each unit's clock against the leader's, and `--sync` to bring them to it (the
//! web page's clocks and its "Sync clocks").

use std::time::Duration;

use crate::cli::ClockArgs;
use crate::cluster::{Cluster, name::same};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{ClockReport, ClockRow, PlannedAction, SyncedClock};
use crate::output::{self, Narrator, table};
use crate::remote::clock::{ClockRead, LeaderTime, Reading, sync_plan};
use crate::remote::{Outcome, Remote, refuse_flagged, select_units};

/// One unit's row: its reading (after `--sync`, the second one) and what the sync did.
struct Row {
    read: ClockRead,
    leader: bool,
    /// The leader's clock when pio runs on it: read here, not over the network.
    local: bool,
    synced: Option<(Outcome, f64)>,
}

pub fn run(ctx: &Context, args: &ClockArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let named = super::named_units(&inventory, args.select.named(), &args.select.experiments)?;
    let units = chosen(&cluster, args, named)?;
    let remote = crate::commands::remote_from_args(ctx, &inventory.config, &args.remote)?;
    let (leader_row, leader) = leader_clock(ctx, &cluster, &remote)?;
    let read = |units: &[String]| {
        super::power::fan_out_with(
            ctx,
            units,
            args.fanout,
            "reading clocks",
            |u| remote.read_clock(&cluster, u),
            |r: &ClockRead| describe_read(r, &leader),
        )
    };
    let mut rows: Vec<Row> = read(&units)
        .into_iter()
        .map(|read| Row {
            read,
            leader: false,
            local: false,
            synced: None,
        })
        .collect();
    let beyond = |r: &Row| offset(r, &leader).is_some_and(|o| o.abs() > args.tolerance);
    // Never this machine's clock, nor the leader's: the reference.
    let to_sync: Vec<usize> = (0..rows.len())
        .filter(|&i| args.sync && beyond(&rows[i]) && !same(&rows[i].read.unit, &ctx.hostname))
        .collect();
    let mut plan = Vec::new();
    if args.dry_run {
        plan = to_sync
            .iter()
            .map(|&i| planned(&remote, &cluster, &rows[i].read, &leader))
            .collect();
    } else if !to_sync.is_empty() {
        sync(ctx, args, &cluster, &remote, &leader, &mut rows, &to_sync);
        let names: Vec<String> = to_sync.iter().map(|&i| rows[i].read.unit.clone()).collect();
        for (k, again) in read(&names).into_iter().enumerate() {
            rows[to_sync[k]].read = again;
        }
    }
    rows.insert(0, leader_row);
    finish(ctx, args, &cluster, &leader, &rows, plan)
}

/// The units chosen (every worker when none is named), the leader apart: it is the reference.
fn chosen(cluster: &Cluster, args: &ClockArgs, named: Vec<String>) -> Result<Vec<String>> {
    let all = args.select.all || named.is_empty();
    let units: Vec<String> = if all {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        select_units(cluster, &named)?
    };
    refuse_flagged(cluster, &units, all.then_some(false))?;
    Ok(units
        .into_iter()
        .filter(|u| !cluster.is_leader(u))
        .collect())
}

/// The reference: this machine's clock when pio runs on the leader, else the leader's, read.
fn leader_clock(ctx: &Context, cluster: &Cluster, remote: &Remote) -> Result<(Row, LeaderTime)> {
    let address = cluster.leader_address.map(str::to_string);
    if cluster.is_leader(&ctx.hostname) {
        let reading = Reading {
            offset: 0.0,
            round_trip: Duration::ZERO,
            via: crate::remote::Used::Ssh,
            synchronized: None,
        };
        let read = ClockRead {
            unit: cluster.leader.to_string(),
            address: None,
            result: Ok(reading),
        };
        let row = Row {
            read,
            leader: true,
            local: true,
            synced: None,
        };
        return Ok((
            row,
            LeaderTime {
                address,
                offset: 0.0,
            },
        ));
    }
    let read = remote.read_clock(cluster, cluster.leader);
    let offset = match &read.result {
        Ok(r) => r.offset,
        Err(e) => {
            return Err(Error::failed(format!(
                "cannot read the leader's clock ({}), the reference: {e}",
                cluster.leader
            ))
            .with_hint(
                "Run pio clock on the leader, or check the leader answers (pio workers status).",
            ));
        }
    };
    let row = Row {
        read,
        leader: true,
        local: false,
        synced: None,
    };
    Ok((row, LeaderTime { address, offset }))
}

/// The unit's clock minus the leader's, where it was read.
fn offset(row: &Row, leader: &LeaderTime) -> Option<f64> {
    match (&row.read.result, row.local) {
        (_, true) => Some(0.0),
        (Ok(r), _) => Some(r.offset - leader.offset),
        (Err(_), _) => None,
    }
}

fn describe_read(r: &ClockRead, leader: &LeaderTime) -> String {
    match &r.result {
        Ok(reading) => format!(
            "{}: {} (via {}, round trip {})",
            r.unit,
            signed(reading.offset - leader.offset),
            reading.via,
            millis(reading.round_trip)
        ),
        Err(e) => format!("{}: clock not read: {e}", r.unit),
    }
}

/// `--sync` on the units beyond the tolerance, `--fanout` at a time.
fn sync(
    ctx: &Context,
    args: &ClockArgs,
    cluster: &Cluster,
    remote: &Remote,
    leader: &LeaderTime,
    rows: &mut [Row],
    to_sync: &[usize],
) {
    let names: Vec<String> = to_sync.iter().map(|&i| rows[i].read.unit.clone()).collect();
    let outcomes = super::power::fan_out(ctx, &names, args.fanout, "syncing clocks", |u| {
        remote.sync_clock(cluster, u, leader)
    });
    for (k, o) in outcomes.into_iter().enumerate() {
        let row = &mut rows[to_sync[k]];
        let before = offset(row, leader).unwrap_or_default();
        row.synced = Some((o, before));
    }
}

/// What `--sync` would do to the unit, for `--dry-run` (its release is learnt: a read).
fn planned(
    remote: &Remote,
    cluster: &Cluster,
    read: &ClockRead,
    leader: &LeaderTime,
) -> PlannedAction {
    let how = remote.clock_sync_of(cluster, &read.unit);
    PlannedAction {
        unit: read.unit.clone(),
        address: read.address.clone().unwrap_or_default(),
        action: sync_plan(how, remote.via(), leader.address.as_deref()),
    }
}

/// The table (or `--json`), the plan and the exit status: 1 when a clock could not be read, is
/// beyond the tolerance, or could not be synced.
fn finish(
    ctx: &Context,
    args: &ClockArgs,
    cluster: &Cluster,
    leader: &LeaderTime,
    rows: &[Row],
    plan: Vec<PlannedAction>,
) -> Result<()> {
    let beyond: Vec<&str> = rows
        .iter()
        .filter(|r| offset(r, leader).is_some_and(|o| o.abs() > args.tolerance))
        .map(|r| r.read.unit.as_str())
        .collect();
    let sync_failed = |r: &Row| r.synced.as_ref().is_some_and(|(o, _)| !o.ok());
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.read.result.is_err() || sync_failed(r))
        .map(|r| r.read.unit.as_str())
        .collect();
    if ctx.json {
        output::json_data(&ClockReport {
            command: "clock",
            dry_run: args.dry_run,
            sync: args.sync,
            tolerance: args.tolerance,
            leader: cluster.leader,
            units: rows
                .iter()
                .map(|r| json_row(r, leader, args.tolerance))
                .collect(),
            plan,
            beyond: beyond.clone(),
            failed: failed.clone(),
        })
        .map_err(super::stdout_error)?;
    } else {
        table_of(ctx, rows, leader, args.tolerance)?;
        let text: String = plan
            .iter()
            .map(|p| format!("would sync {} at {}: {}\n", p.unit, p.address, p.action))
            .collect();
        output::data(&text).map_err(super::stdout_error)?;
    }
    let mut bad = Vec::new();
    if !failed.is_empty() {
        bad.push(format!("not read or not synced: {}", failed.join(", ")));
    }
    if !beyond.is_empty() {
        bad.push(format!(
            "off the leader's clock by more than {} s: {}",
            args.tolerance,
            beyond.join(", ")
        ));
    }
    if bad.is_empty() {
        return Ok(());
    }
    for line in &bad {
        output::error_line(ctx, line);
    }
    if !args.sync && !beyond.is_empty() {
        Narrator::new(ctx).say(&format!(
            "`pio clock {} --sync` brings them to the leader's time.",
            beyond.join(",")
        ));
    }
    Err(Error::reported(Kind::Failed))
}

fn json_row<'a>(r: &'a Row, leader: &LeaderTime, tolerance: f64) -> ClockRow<'a> {
    let reading = r.read.result.as_ref().ok();
    let offset = offset(r, leader);
    ClockRow {
        unit: &r.read.unit,
        address: r.read.address.as_deref(),
        leader: r.leader,
        via: match (r.local, reading) {
            (true, _) => Some("local"),
            (false, Some(x)) => Some(if x.via == crate::remote::Used::Http {
                "http"
            } else {
                "ssh"
            }),
            (false, None) => None,
        },
        offset,
        round_trip: reading
            .filter(|_| !r.local)
            .map(|x| x.round_trip.as_secs_f64()),
        synchronized: reading.and_then(|x| x.synchronized),
        beyond: offset.is_some_and(|o| o.abs() > tolerance),
        error: r.read.result.as_ref().err().map(String::as_str),
        synced: r.synced.as_ref().map(|(o, before)| SyncedClock {
            ok: o.ok(),
            via: o.via,
            message: match &o.result {
                Ok(m) | Err(m) => m,
            },
            offset_before: *before,
        }),
    }
}

fn table_of(ctx: &Context, rows: &[Row], leader: &LeaderTime, tolerance: f64) -> Result<()> {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let offset = offset(r, leader);
            let reading = r.read.result.as_ref().ok();
            let state = match offset {
                _ if r.leader => "reference",
                None => "unread",
                Some(o) if o.abs() > tolerance => "beyond",
                Some(_) => "ok",
            };
            [
                r.read.unit.clone(),
                offset.map_or("?".to_string(), signed),
                reading
                    .filter(|_| !r.local)
                    .map_or("-".to_string(), |x| millis(x.round_trip)),
                match (r.local, reading) {
                    (true, _) => "local".to_string(),
                    (false, Some(x)) => x.via.to_string(),
                    (false, None) => "-".to_string(),
                },
                state.to_string(),
            ]
        })
        .collect();
    let style = table::Style {
        boxed: ctx.stdout_is_terminal,
        color: ctx.color,
    };
    let header = ["unit", "offset", "round trip", "via", "clock"];
    output::data_with(|out| table::generic(&header, &cells, style, out))
        .map_err(super::stdout_error)
}

/// Seconds with their sign: `+0.012 s`, `-143.200 s`.
fn signed(seconds: f64) -> String {
    format!("{seconds:+.3} s")
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}
