//! `pio workers status`

use crate::cli::StatusArgs;
use crate::cluster::Cluster;
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::StatusRow;
use crate::output::{self, progress::Progress, table};
use crate::remote::{Facts, Outcome, Used, select_units};
use crate::transport::fanout;

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    // Units with a line pio cannot use are not contacted: their rows say which line.
    crate::commands::warn_flagged(ctx, &inventory.config, &cluster);
    let units: Vec<String> = if args.select.units.is_empty() && args.select.experiments.is_empty() {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        let named = crate::commands::named_units(
            &inventory,
            args.select.units.clone(),
            &args.select.experiments,
        )?;
        select_units(&cluster, &named)?
    };
    let remote = crate::commands::remote_from_args(ctx, &inventory.config, &args.remote)?;
    let progress = Progress::bar(ctx, units.len(), "checking");
    let outcomes = fanout::run(
        &units,
        usize::from(args.fanout),
        |u| {
            let o = remote.status_and_release(&cluster, u);
            // What its monitor says of it, where its web API answered.
            let facts = (o.via == Some(Used::Http) && o.ok()).then(|| remote.facts(&cluster, u));
            (o, facts.flatten())
        },
        |_, _| progress.inc(),
    );
    progress.finish();
    let rows: Vec<StatusRow> = outcomes
        .iter()
        .map(|(o, f)| row(&cluster, o, f.as_ref()))
        .collect();
    if ctx.json {
        output::json_data(&rows).map_err(stdout_error)?;
    } else {
        print_table(ctx, &rows)?;
    }
    let silent: Vec<&str> = rows
        .iter()
        .filter(|r| !r.reachable && (r.active || !cluster.flaws_of(&[r.name]).is_empty()))
        .map(|r| r.name)
        .collect();
    if silent.is_empty() {
        return Ok(());
    }
    if !ctx.json {
        output::error_line(
            ctx,
            &format!(
                "active units that did not answer{}: {}",
                if cluster.flaws_of(&silent).is_empty() {
                    ""
                } else {
                    ", or whose lines of config.ini cannot be used"
                },
                silent.join(", ")
            ),
        );
    }
    Err(Error::reported(Kind::Failed))
}

/// A unit's row: what it said (a version over HTTP, its release over SSH), or why it did not.
fn row<'a>(cluster: &Cluster, o: &'a Outcome, facts: Option<&'a Facts>) -> StatusRow<'a> {
    let (version, error) = match &o.result {
        Ok(v) if v.is_empty() => (None, None),
        Ok(v) => (Some(v.as_str()), None),
        Err(e) => (None, Some(e.as_str())),
    };
    StatusRow {
        name: &o.unit,
        reachable: o.ok(),
        via: o.via.filter(|_| o.ok()),
        address: o.address.as_deref(),
        version,
        release: version
            .and_then(crate::release::Release::parse)
            .map(|r| r.to_string()),
        active: cluster.worker(&o.unit).is_some_and(|w| w.active),
        leader: cluster.is_leader(&o.unit),
        error,
        monitor: facts.map(|f| f.monitor),
        rpi_model: facts.and_then(|f| f.rpi_model.as_deref()),
        wlan_mac: facts.and_then(|f| f.wlan_mac.as_deref()),
        eth_mac: facts.and_then(|f| f.eth_mac.as_deref()),
    }
}

/// The table on stdout; each unit's error on stderr.
fn print_table(ctx: &Context, rows: &[StatusRow]) -> Result<()> {
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.name.to_string(),
                yes(r.reachable),
                r.via.map(|v| v.to_string()).unwrap_or_default(),
                r.address.unwrap_or_default().to_string(),
                r.version.unwrap_or_default().to_string(),
                yes(r.active),
                if r.leader { "leader" } else { "" }.to_string(),
                r.monitor.unwrap_or_default().to_string(),
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
        "monitor",
    ];
    output::data_with(|out| table::generic(&header, &cells, style, out)).map_err(stdout_error)?;
    for r in rows {
        if let Some(error) = r.error {
            eprintln!("{}: {error}", r.name);
        }
    }
    Ok(())
}
