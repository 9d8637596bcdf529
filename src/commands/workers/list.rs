//! `pio workers list`

use crate::cli::ListArgs;
use crate::commands::{read_cluster, stdout_error};
use crate::context::Context;
use crate::error::Result;
use crate::output::{self, WorkerRow, table};

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let (_, cluster) = read_cluster(ctx)?;
    let rows: Vec<WorkerRow> = WorkerRow::from_cluster(&cluster)
        .into_iter()
        .filter(|r| !(args.active && !r.active || args.inactive && r.active))
        .collect();
    let printed = if ctx.json {
        output::json_data(&serde_json::Value::Array(
            rows.iter().map(WorkerRow::to_json).collect(),
        ))
    } else if args.names {
        output::data(
            &rows
                .iter()
                .map(|r| format!("{}\n", r.name))
                .collect::<String>(),
        )
    } else {
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data(&table::workers(&rows, style))
    };
    printed.map_err(stdout_error)
}
