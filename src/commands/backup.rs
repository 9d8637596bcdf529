//! `pio backup`

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::archive::{self, Inspected};
use crate::cli::BackupArgs;
use crate::cluster::Cluster;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{ArchiveStep, Archived};
use crate::output::{self, Narrator};
use crate::remote::archive::ArchiveRoute;
use crate::remote::{Outcome, refuse_flagged, select_units};

pub fn run(ctx: &Context, args: &BackupArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let unit = one_unit(&cluster, &args.unit)?;
    let deadline = Instant::now() + Duration::from_secs_f64(args.timeout);
    let remote = crate::commands::remote(
        ctx,
        &inventory.config,
        args.via.into(),
        Duration::from_secs_f64(args.timeout),
    )?;
    let (stamp, when) = crate::utc::stamps(SystemTime::now());
    let file = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{unit}-{stamp}.zip")));
    if file.symlink_metadata().is_ok() {
        return Err(Error::usage(format!(
            "{} exists already: pio never replaces a file",
            file.display()
        ))
        .with_hint("Name another with -o FILE, or move that one away."));
    }
    let route = remote.archive_route(&cluster, &unit, false, true);
    if args.dry_run {
        return plan(ctx, &cluster, &unit, &file, &route);
    }
    let mut outcome = None;
    let mut found = None;
    let written = crate::files::create_new_with(&file, |f| {
        let o = remote.backup(&cluster, &unit, f, deadline, &when);
        let ok = o.ok();
        outcome = Some(o);
        if !ok {
            return Err(std::io::Error::other("the backup failed"));
        }
        let len = f.metadata()?.len();
        let inspected = archive::inspect(f, len)?;
        let named = names_unit(&inspected, &unit);
        found = Some(inspected);
        named.map_err(std::io::Error::other)
    });
    let outcome = outcome.unwrap_or_else(|| failed(&unit, "not started"));
    let checked = match written {
        Ok(()) => Ok(()),
        Err(e) if outcome.ok() => Err(format!("{}: {e}", file.display())),
        Err(_) => Err(String::new()),
    };
    report(
        ctx,
        (&unit, &file),
        &route,
        &outcome,
        (found.as_ref(), checked),
    )
}

/// The one unit named, in the inventory or the leader.
pub fn one_unit(cluster: &Cluster, given: &str) -> Result<String> {
    let units = select_units(cluster, &[given.to_string()])?;
    if units.len() != 1 {
        return Err(Error::usage(format!("name one unit, not {given}")));
    }
    refuse_flagged(cluster, &units, None)?;
    Ok(units.into_iter().next().expect("one"))
}

fn failed(unit: &str, why: &str) -> Outcome {
    Outcome {
        unit: unit.to_string(),
        address: None,
        via: None,
        result: Err(why.to_string()),
        fell_back: false,
    }
}

/// A backup names the unit it was asked of (a web API export without metadata names none).
fn names_unit(found: &Inspected, unit: &str) -> std::result::Result<(), String> {
    match &found.unit {
        Some(u) if !crate::cluster::name::same(u, unit) => Err(format!(
            "the archive names '{}', not {unit}",
            crate::text::escape_line(u)
        )),
        _ => Ok(()),
    }
}

/// The route in words.
pub fn route_text(route: &ArchiveRoute) -> String {
    match route.why_not_http {
        None => "http, else ssh".to_string(),
        Some(why) => format!("ssh ({why})"),
    }
}

fn plan(
    ctx: &Context,
    cluster: &Cluster,
    unit: &str,
    file: &std::path::Path,
    route: &ArchiveRoute,
) -> Result<()> {
    let address = cluster.reach(unit).host(unit);
    let route = route_text(route);
    let file = file.display().to_string();
    if ctx.json {
        return output::json_data(&Archived {
            command: "backup",
            dry_run: true,
            unit,
            address: Some(&address),
            file: &file,
            archive_unit: None,
            members: None,
            bytes: None,
            route: &route,
            steps: Vec::new(),
            ok: true,
        })
        .map_err(super::stdout_error);
    }
    Narrator::new(ctx).say("Dry run: nothing was fetched or written.");
    output::data(&format!(
        "would back up {unit} at {address} by {route} into {file}\n"
    ))
    .map_err(super::stdout_error)
}

fn report(
    ctx: &Context,
    (unit, file): (&str, &std::path::Path),
    route: &ArchiveRoute,
    outcome: &Outcome,
    (found, checked): (Option<&Inspected>, std::result::Result<(), String>),
) -> Result<()> {
    let ok = outcome.ok() && checked.is_ok();
    let file_text = file.display().to_string();
    if ctx.json {
        output::json_data(&Archived {
            command: "backup",
            dry_run: false,
            unit,
            address: outcome.address.as_deref(),
            file: &file_text,
            archive_unit: found.and_then(|f| f.unit.as_deref()),
            members: found.map(|f| f.members),
            bytes: found.map(|f| f.bytes),
            route: &route_text(route),
            steps: vec![ArchiveStep::of("backup", outcome)],
            ok,
        })
        .map_err(super::stdout_error)?;
    }
    match (ok, checked) {
        (true, _) => {
            let f = found.expect("checked");
            Narrator::new(ctx).say(&outcome.describe());
            Narrator::new(ctx).say(&format!(
                "Wrote {file_text}: {} files and folders, {} bytes once extracted.",
                f.members, f.bytes
            ));
            Ok(())
        }
        (false, Err(why)) if outcome.ok() => Err(Error::new(
            Kind::Failed,
            format!("{unit}: the archive was refused, nothing written: {why}"),
        )),
        _ => {
            output::error_line(ctx, &outcome.describe());
            Err(Error::new(
                Kind::Failed,
                format!("{unit} was not backed up; nothing was written"),
            ))
        }
    }
}
