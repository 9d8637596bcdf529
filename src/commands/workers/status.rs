//! `pio workers status`

use serde_json::json;

use crate::cli::StatusArgs;
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, progress::Progress, table};
use crate::remote::{Outcome, select_units};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units: Vec<String> = if args.units.is_empty() {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        select_units(&cluster, &args.units)?
    };
    let remote = crate::commands::remote_from_args(ctx, config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "checking");
    let outcomes = fanout::run(
        &units,
        usize::from(args.fanout),
        |u| remote.status_and_release(&cluster, u),
        |_, _| progress.inc(),
    );
    progress.finish();

    let active = |u: &str| cluster.worker(u).is_some_and(|w| w.active);
    if ctx.json {
        let rows: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| {
                let (version, error) = said(o);
                json!({
                    "name": o.unit,
                    "reachable": o.ok(),
                    "via": o.via.filter(|_| o.ok()),
                    "address": o.address,
                    "version": version,
                    "release": version.and_then(crate::release::Release::parse),
                    "active": active(&o.unit),
                    "leader": cluster.is_leader(&o.unit),
                    "error": error,
                })
            })
            .collect();
        output::json_data(&rows).map_err(stdout_error)?;
    } else {
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let cells: Vec<[String; 7]> = outcomes
            .iter()
            .map(|o| {
                let via = o.via.filter(|_| o.ok()).map(|v| v.to_string());
                [
                    o.unit.clone(),
                    yes(o.ok()),
                    via.unwrap_or_default(),
                    o.address.clone().unwrap_or_default(),
                    said(o).0.unwrap_or("").to_string(),
                    yes(active(&o.unit)),
                    if cluster.is_leader(&o.unit) {
                        "leader"
                    } else {
                        ""
                    }
                    .to_string(),
                ]
            })
            .collect();
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        let header = [
            "name",
            "reachable",
            "via",
            "address",
            "version",
            "active",
            "leader",
        ];
        output::data_with(|out| table::generic(&header, &cells, style, out))
            .map_err(stdout_error)?;
        for o in &outcomes {
            if let (_, Some(error)) = said(o) {
                eprintln!("{}: {error}", o.unit);
            }
        }
    }
    let silent: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok() && active(&o.unit))
        .map(|o| o.unit.as_str())
        .collect();
    if silent.is_empty() {
        Ok(())
    } else {
        if !ctx.json {
            crate::output::error_line(
                ctx,
                &format!("active units that did not answer: {}", silent.join(", ")),
            );
        }
        Err(Error::reported(Kind::Failed))
    }
}

/// What a unit said: a version over HTTP (nothing over SSH), or why it did not answer.
fn said(o: &Outcome) -> (Option<&str>, Option<&str>) {
    match &o.result {
        Ok(v) if v.is_empty() => (None, None),
        Ok(v) => (Some(v.as_str()), None),
        Err(e) => (None, Some(e.as_str())),
    }
}
