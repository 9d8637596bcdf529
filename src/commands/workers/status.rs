//! `pio workers status`

use serde_json::json;

use crate::cli::StatusArgs;
use crate::commands::remote::{Remote, select_units};
use crate::commands::{read_config, stdout_error};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, progress::Progress, table};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<()> {
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    let units: Vec<String> = if args.units.is_empty() {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        select_units(&cluster, &args.units)?
    };
    let remote = Remote::from_args(ctx, &config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "checking");
    let outcomes = fanout::run(
        &units,
        usize::from(args.fanout),
        |u| remote.status(&cluster, u),
        |_, _| progress.inc(),
    );
    progress.finish();

    let active = |u: &str| cluster.worker(u).is_some_and(|w| w.active);
    let rows: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let (version, error) = match &o.result {
                Ok(v) if v.is_empty() => (None, None),
                Ok(v) => (Some(v.as_str()), None),
                Err(e) => (None, Some(e.as_str())),
            };
            json!({
                "name": o.unit,
                "reachable": o.ok(),
                "via": o.via.filter(|_| o.ok()),
                "address": o.address,
                "version": version,
                "active": active(&o.unit),
                "leader": cluster.is_leader(&o.unit),
                "error": error,
            })
        })
        .collect();
    if ctx.json {
        output::json_data(&rows).map_err(stdout_error)?;
    } else {
        let cells: Vec<[String; 7]> = rows
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
                let yes = |k: &str| {
                    if r[k].as_bool() == Some(true) {
                        "yes"
                    } else {
                        "no"
                    }
                    .to_string()
                };
                [
                    s("name"),
                    yes("reachable"),
                    s("via"),
                    s("address"),
                    s("version"),
                    yes("active"),
                    if r["leader"] == true {
                        "leader".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data_with(|out| {
            table::generic(
                &[
                    "name",
                    "reachable",
                    "via",
                    "address",
                    "version",
                    "active",
                    "leader",
                ],
                &cells,
                style,
                out,
            )
        })
        .map_err(stdout_error)?;
        for r in rows.iter().filter(|r| r["reachable"] == false) {
            eprintln!(
                "{}: {}",
                r["name"].as_str().unwrap_or(""),
                r["error"].as_str().unwrap_or("")
            );
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
            eprintln!(
                "error: active units that did not answer: {}",
                silent.join(", ")
            );
        }
        Err(Error::reported(Kind::Failed))
    }
}
