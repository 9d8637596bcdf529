//! `pio workers discover`

use std::time::Duration;

use crate::cli::DiscoverArgs;
use crate::commands::stdout_error;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{self, Narrator, progress::Progress, table};
use crate::transport::mdns;

pub fn run(ctx: &Context, args: &DiscoverArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    if !ctx.mdns {
        return Err(Error::usage(
            "mDNS is off (PIO_MDNS=0), so there is nothing to discover with",
        ));
    }
    let progress = Progress::spinner(
        ctx,
        &format!("listening for workers for {:.0} s", args.timeout),
    );
    let found = mdns::browse(Duration::from_secs_f64(args.timeout)).map_err(Error::failed)?;
    progress.finish();
    let rows: Vec<(mdns::Found, bool)> = found
        .into_iter()
        .map(|f| {
            let known = cluster.worker(&f.name).is_some();
            (f, known)
        })
        .filter(|(_, known)| !(args.new && *known))
        .collect();
    if ctx.json {
        let v: Vec<_> = rows
            .iter()
            .map(|(f, known)| crate::output::schema::Discovered {
                name: &f.name,
                address: f.address.map(|a| a.to_string()),
                in_inventory: *known,
            })
            .collect();
        return output::json_data(&v).map_err(stdout_error);
    }
    if rows.is_empty() {
        Narrator::new(ctx).say(if args.new {
            "No new workers found."
        } else {
            "No workers found."
        });
        return Ok(());
    }
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|(f, known)| {
            [
                f.name.clone(),
                f.address.map(|a| a.to_string()).unwrap_or_default(),
                if *known { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    let style = table::Style {
        boxed: ctx.stdout_is_terminal,
        color: ctx.color,
    };
    output::data_with(|out| table::generic(&["name", "ipv4", "in inventory"], &cells, style, out))
        .map_err(stdout_error)
}
