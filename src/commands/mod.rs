//! One module per leaf command. Each takes its parsed arguments and the resolved context.

pub mod identify;
pub mod reboot;
pub mod remote;
pub mod rename;
pub mod workers;

use crate::cluster::{Change, Cluster};
use crate::config::{Config, diff, store};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{self, ChangeReport, Narrator};

/// Reads config.ini (the single-unit default when there is none), printing its warnings.
pub fn read_config(ctx: &Context) -> Result<Config> {
    let narrator = Narrator::new(ctx);
    narrator.detail(&format!(
        "config.ini: {} (from {})",
        ctx.config_path.display(),
        ctx.config_source
    ));
    let config = Config::load(&ctx.config_path, &ctx.hostname)?;
    if !config.exists {
        narrator.detail("No config.ini yet: this unit is a single-unit cluster.");
    }
    for w in &config.warnings {
        narrator.warn(w);
    }
    Ok(config)
}

/// The read-modify-write of every inventory command: under the lock, read the cluster, let
/// `plan` decide the changes, then write them atomically (or, with `dry_run`, show the diff).
/// Nothing is written when `plan` fails or decides nothing.
pub fn edit_inventory(
    ctx: &Context,
    command: &str,
    dry_run: bool,
    plan: impl FnOnce(&Cluster) -> Result<Vec<Change>>,
) -> Result<Vec<Change>> {
    let path = store::write_target(&ctx.config_path);
    let lock = if dry_run {
        None
    } else {
        Some(store::lock(&path, ctx.lock_wait)?)
    };
    let mut config = read_config(ctx)?;
    if dry_run {
        config.doc.keep_original();
    }
    let changes = plan(&config.cluster(&ctx.hostname)?)?;
    config.apply(&changes);
    let changed = !changes.is_empty() && config.is_changed();
    let new_text = config.render();
    if let (Some(lock), true) = (&lock, changed) {
        store::save(&path, new_text, lock)?;
    }
    let diff = if changed && dry_run {
        diff::unified(config.original(), new_text, &path.display().to_string())
    } else {
        String::new()
    };
    let report = ChangeReport {
        command,
        config_path: path.display().to_string(),
        changes: &changes,
        dry_run,
        created: changed && !config.exists,
        diff,
    };
    output::changes(ctx, &report).map_err(stdout_error)?;
    Ok(changes)
}

/// stdout went away for a reason other than a closed pipe.
pub fn stdout_error(e: std::io::Error) -> Error {
    Error::failed(format!("cannot write to standard output: {e}"))
}
