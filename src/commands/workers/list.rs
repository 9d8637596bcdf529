//! `pio workers list`

use crate::cli::ListArgs;
use crate::commands::{read_config, stdout_error};
use crate::context::Context;
use crate::error::Result;
use crate::output::{self, WorkerRow, table};

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let config = read_config(ctx)?;
    // Rows are decoded as they are printed: an inventory of thousands costs no list in memory.
    let inventory = config.inventory()?;
    let (leader, _) = config.leader(&ctx.hostname)?;
    let rows = inventory
        .iter()
        .filter(|w| !(args.active && !w.active || args.inactive && w.active))
        .map(|w| WorkerRow::new(leader, &w));
    let printed = if ctx.json {
        output::json_data(&JsonRows(rows))
    } else if args.names {
        output::data_with(|out| rows.clone().try_for_each(|r| writeln!(out, "{}", r.name)))
    } else {
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data_with(|out| table::workers(rows, style, out))
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
