//! `pio workers list`

use crate::cli::ListArgs;
use crate::cluster::name::same;
use crate::cluster::{Flaw, Worker};
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::Result;
use crate::inventory::{Inventory, api_failed};
use std::collections::HashMap;

use crate::output::progress::Progress;
use crate::output::{self, Narrator, WorkerRow, table};
use crate::release::Learnt;
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let releases = if args.releases {
        releases(ctx, args, &inventory)?
    } else {
        HashMap::new()
    };
    let cluster = inventory.cluster(&ctx.hostname)?;
    // Where the inventory keeps models and experiments (the leader's database), they are listed.
    let assignments = match inventory.api() {
        Some(api) => Some(api.assignments().map_err(|e| api_failed(&e))?),
        None => None,
    };
    crate::commands::warn_flagged(ctx, &inventory.config, &cluster);
    // Lines whose key is no hostname are listed too, flagged: Python reads them as workers.
    let unnamed: Vec<Worker> = cluster
        .flagged
        .iter()
        .filter(|f| f.in_inventory && f.flaw == Flaw::Name && !args.names)
        .map(|f| Worker {
            name: &f.key,
            active: f.active.unwrap_or(false),
            address: None,
            flaws: Flaw::Name.into(),
        })
        .collect();
    let rows = cluster
        .workers
        .iter()
        .chain(&unnamed)
        .filter(|w| wanted(args, w.active) || w.flaws.any_wrong())
        .map(|w| {
            let record = inventory.record(w.name);
            let experiment = assignments
                .iter()
                .flatten()
                .find(|a| same(&a.pioreactor_unit, w.name));
            WorkerRow {
                model_name: record.and_then(|r| r.model_name.as_deref()),
                model_version: record.and_then(|r| r.model_version.as_deref()),
                experiment: experiment.and_then(|a| a.experiment.as_deref()),
                release: releases.get(w.name).map(String::as_str),
                ..WorkerRow::new(cluster.leader, cluster.leader_address, w)
            }
        });
    match assignments {
        None => print(ctx, args, rows, |rows, style, out| {
            draw_plain(args, rows, style, out)
        }),
        Some(_) => print(ctx, args, rows, |rows, style, out| {
            draw_with_models(args, rows, style, out)
        }),
    }
}

/// `--releases`: each listed unit's release, asked of the unit, side by side; a unit that does
/// not say is named in a warning and listed without one.
fn releases(
    ctx: &Context,
    args: &ListArgs,
    inventory: &Inventory,
) -> Result<HashMap<String, String>> {
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units: Vec<String> = cluster
        .workers
        .iter()
        .filter(|w| wanted(args, w.active))
        .map(|w| w.name.to_string())
        .collect();
    let remote = crate::commands::remote_from_args(ctx, &inventory.config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "asking");
    let learnt = fanout::run(
        &units,
        16,
        |u| remote.release(&cluster, u),
        |_, _| progress.inc(),
    );
    progress.finish();
    let narrator = Narrator::new(ctx);
    let mut known = HashMap::new();
    for (unit, learnt) in units.into_iter().zip(learnt) {
        match learnt {
            Learnt::Known(r) => {
                known.insert(unit, r.to_string());
            }
            Learnt::Unknown(why) => narrator.warn(&format!("{unit}: release unknown: {why}")),
        }
    }
    Ok(known)
}

fn wanted(args: &ListArgs, active: bool) -> bool {
    !(args.active && !active || args.inactive && active)
}

/// The table of a config.ini inventory: name, state, address, leader (and release).
fn draw_plain<'a>(
    args: &ListArgs,
    rows: impl Iterator<Item = WorkerRow<'a>> + Clone,
    style: table::Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if !args.releases {
        return table::workers(rows, style, out);
    }
    let cells: Vec<[String; 5]> = rows
        .map(|r| {
            [
                r.name.to_string(),
                r.active_word().to_string(),
                r.address_shown().into_owned(),
                (if r.leader { "leader" } else { "" }).to_string(),
                r.release.unwrap_or("").to_string(),
            ]
        })
        .collect();
    let header = ["name", "active", "address", "leader", "release"];
    table::generic(&header, &cells, style, out)
}

/// The table of the leader's database: with each worker's model and experiment.
fn draw_with_models<'a>(
    args: &ListArgs,
    rows: impl Iterator<Item = WorkerRow<'a>>,
    style: table::Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let cells = rows.map(|r| {
        [
            r.name.to_string(),
            r.active_word().to_string(),
            r.model(),
            r.experiment.unwrap_or("").to_string(),
            r.address_shown().into_owned(),
            (if r.leader { "leader" } else { "" }).to_string(),
            r.release.unwrap_or("").to_string(),
        ]
    });
    let header = [
        "name",
        "active",
        "model",
        "experiment",
        "address",
        "leader",
        "release",
    ];
    if args.releases {
        return table::generic(&header, &cells.collect::<Vec<_>>(), style, out);
    }
    // Without --releases, no release column.
    let cells: Vec<[String; 6]> = cells
        .map(|[a, b, c, d, e, f, _]| [a, b, c, d, e, f])
        .collect();
    let header: [&str; 6] = std::array::from_fn(|i| header[i]);
    table::generic(&header, &cells, style, out)
}

/// Prints rows as JSON, names, or a table drawn by `draw`.
fn print<'a, I>(
    ctx: &Context,
    args: &ListArgs,
    rows: I,
    draw: impl FnOnce(I, table::Style, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()>
where
    I: Iterator<Item = WorkerRow<'a>> + Clone,
{
    let printed = if ctx.json {
        output::json_data(&JsonRows(rows))
    } else if args.names {
        output::data_with(|out| {
            rows.clone()
                .try_for_each(|r| writeln!(out, "{}", output::escape_line(r.name)))
        })
    } else {
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data_with(|out| draw(rows, style, out))
    };
    printed.map_err(stdout_error)
}

/// The rows as a JSON array, serialised one row at a time.
struct JsonRows<I>(I);

impl<'a, I: Iterator<Item = WorkerRow<'a>> + Clone> serde::Serialize for JsonRows<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone().map(|r| r.to_json()))
    }
}
