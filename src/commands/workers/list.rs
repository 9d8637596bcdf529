//! `pio workers list`

use crate::cli::ListArgs;
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::Result;
use crate::inventory::{Inventory, Source};
use crate::output::{self, WorkerRow, table};

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    match &inventory.source {
        Source::ConfigIni => list_config(ctx, args, &inventory),
        Source::Api { .. } => list_api(ctx, args, &inventory),
    }
}

fn wanted(args: &ListArgs, active: bool) -> bool {
    !(args.active && !active || args.inactive && active)
}

/// The config.ini era: rows are decoded as they are printed, so an inventory of thousands costs
/// no list in memory.
fn list_config(ctx: &Context, args: &ListArgs, inventory: &Inventory) -> Result<()> {
    let config = &inventory.config;
    let workers = config.inventory()?;
    let (leader, leader_address) = config.leader(&ctx.hostname)?;
    let rows = workers
        .iter()
        .filter(|w| wanted(args, w.active))
        .map(|w| WorkerRow::new(leader, leader_address, &w));
    print(ctx, args, rows, |rows, style, out| {
        table::workers(rows, style, out)
    })
}

/// The database era: the leader's workers with their models and experiments; addresses still
/// come from config.ini.
fn list_api(ctx: &Context, args: &ListArgs, inventory: &Inventory) -> Result<()> {
    let api = inventory.api().expect("the API era");
    let assignments = api.assignments().map_err(super::api_failed)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let Source::Api { workers, .. } = &inventory.source else {
        unreachable!("the API era");
    };
    let rows = cluster
        .workers
        .iter()
        .zip(workers)
        .filter(|(w, _)| wanted(args, w.active))
        .map(|(w, db)| WorkerRow {
            model_name: db.model_name.as_deref(),
            model_version: db.model_version.as_deref(),
            experiment: assignments
                .iter()
                .find(|a| a.pioreactor_unit == db.pioreactor_unit)
                .and_then(|a| a.experiment.as_deref()),
            ..WorkerRow::new(cluster.leader, cluster.leader_address, w)
        });
    print(ctx, args, rows, |rows, style, out| {
        let cells: Vec<[String; 6]> = rows
            .map(|r| {
                [
                    r.name.to_string(),
                    (if r.active { "yes" } else { "no" }).to_string(),
                    r.model(),
                    r.experiment.unwrap_or("").to_string(),
                    r.address().into_owned(),
                    (if r.leader { "leader" } else { "" }).to_string(),
                ]
            })
            .collect();
        let header = ["name", "active", "model", "experiment", "address", "leader"];
        table::generic(&header, &cells, style, out)
    })
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
