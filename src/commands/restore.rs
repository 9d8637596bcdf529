//! `pio restore`

use std::time::{Duration, Instant, SystemTime};

use crate::archive::{self, Inspected};
use crate::cli::RestoreArgs;
use crate::cluster::Cluster;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::schema::{ArchiveStep, Archived};
use crate::output::{self, Narrator};
use crate::remote::Outcome;

pub fn run(ctx: &Context, args: &RestoreArgs) -> Result<()> {
    let inventory = crate::commands::open_inventory(ctx)?;
    let cluster = inventory.cluster(&ctx.hostname)?;
    let unit = super::backup::one_unit(&cluster, &args.unit)?;
    let (file, found) = checked_archive(args, &unit)?;
    let deadline = Instant::now() + Duration::from_secs_f64(args.timeout);
    let remote = crate::commands::remote(
        ctx,
        &inventory.config,
        args.via.into(),
        Duration::from_secs_f64(args.timeout),
    )?;
    let other = !found
        .unit
        .as_deref()
        .is_some_and(|u| crate::cluster::name::same(u, &unit));
    let route = remote.archive_route(&cluster, &unit, other, false);
    let doc = Doc {
        unit: &unit,
        file: args.file.display().to_string(),
        found: &found,
        route: super::backup::route_text(&route),
    };
    if args.dry_run {
        return doc.print(ctx, &cluster, true, &[]);
    }
    if !confirmed(ctx, args, &unit)? {
        Narrator::new(ctx).say("Nothing was restored.");
        return Ok(());
    }
    let narrator = Narrator::new(ctx);
    let mut steps: Vec<(&str, Outcome)> = Vec::new();
    let halted = remote.until(deadline).halt_jobs(&cluster, &unit);
    narrator.say(&halted.describe());
    let halted_ok = halted.ok();
    steps.push(("halt", halted));
    if halted_ok {
        let len = found.archive_len;
        let (stamp, _) = crate::utc::stamps(SystemTime::now());
        let restored = remote.restore(&cluster, &unit, (&file, len), other, (deadline, &stamp));
        narrator.say(&restored.outcome.describe());
        let reboot = restored.outcome.ok() && !restored.reboots_itself && !args.no_reboot;
        steps.push(("restore", restored.outcome));
        if reboot {
            let o = remote.until(deadline).reboot(&cluster, &unit);
            narrator.say(&o.describe());
            steps.push(("reboot", o));
        }
    }
    let ok = steps.iter().all(|(_, o)| o.ok());
    doc.print(ctx, &cluster, false, &steps)?;
    if ok {
        narrator.say(&format!("Restored {} onto {unit}.", doc.file));
        return Ok(());
    }
    Err(Error::new(
        Kind::Failed,
        match steps.iter().find(|(_, o)| !o.ok()) {
            Some(("halt", _)) => {
                format!("{unit}: its jobs could not be halted; nothing was restored")
            }
            Some(("reboot", _)) => format!(
                "{unit} was restored but did not accept the reboot: reboot it (`pio reboot {unit}`)"
            ),
            _ => format!("{unit} was not restored"),
        },
    ))
}

/// The archive, opened as every local file is, and what it holds; refused (exit 2) when a
/// member would land outside `~/.pioreactor`, or when it is another unit's without
/// `--other-unit`.
pub(crate) fn checked_archive(args: &RestoreArgs, unit: &str) -> Result<(std::fs::File, Found)> {
    let path = &args.file;
    let refused =
        |why: String| Error::usage(format!("{}: {why}; nothing was sent", path.display()));
    let mut file = crate::files::open_regular(path).map_err(|e| refused(e.to_string()))?;
    let len = file.metadata().map_err(|e| refused(e.to_string()))?.len();
    let inspected = archive::inspect(&mut file, len).map_err(|e| refused(e.to_string()))?;
    let theirs = inspected.unit.clone();
    let same = theirs
        .as_deref()
        .is_some_and(|u| crate::cluster::name::same(u, unit));
    if !same && !args.other_unit {
        let whose = match &theirs {
            Some(u) => format!("an archive of {}", crate::text::escape_line(u)),
            None => "an archive that names no unit".to_string(),
        };
        return Err(refused(format!("{whose}, not of {unit}")).with_hint(
            "Pass --other-unit to put another unit's files on this one (its name and settings come too).",
        ));
    }
    Ok((
        file,
        Found {
            inspected,
            archive_len: len,
        },
    ))
}

/// What the archive holds, and its size.
pub(crate) struct Found {
    inspected: Inspected,
    archive_len: u64,
}

impl std::ops::Deref for Found {
    type Target = Inspected;
    fn deref(&self) -> &Inspected {
        &self.inspected
    }
}

/// `--yes`, else the operator's answer on a terminal; without one, a refusal (exit 5).
fn confirmed(ctx: &Context, args: &RestoreArgs, unit: &str) -> Result<bool> {
    if args.yes {
        return Ok(true);
    }
    let question = format!(
        "Halt {unit}'s jobs and replace its ~/.pioreactor with {}?",
        args.file.display()
    );
    if !(ctx.stdin_is_terminal && ctx.stderr_is_terminal) {
        return Err(Error::new(
            Kind::NeedsConfirmation,
            format!("{question} Refusing without confirmation: there is no terminal to ask on."),
        )
        .with_hint("Pass --yes to restore from a script."));
    }
    output::confirm(&question).map_err(|e| Error::failed(format!("cannot read the answer: {e}")))
}

/// The JSON document or the plan's text.
struct Doc<'a> {
    unit: &'a str,
    file: String,
    found: &'a Found,
    route: String,
}

impl Doc<'_> {
    fn print(
        &self,
        ctx: &Context,
        cluster: &Cluster,
        dry_run: bool,
        steps: &[(&str, Outcome)],
    ) -> Result<()> {
        let planned = cluster.reach(self.unit).host(self.unit);
        let address = steps
            .iter()
            .find_map(|(_, o)| o.address.as_deref())
            .unwrap_or(&planned);
        if ctx.json {
            return output::json_data(&Archived {
                command: "restore",
                dry_run,
                unit: self.unit,
                address: Some(address),
                file: &self.file,
                archive_unit: self.found.unit.as_deref(),
                members: Some(self.found.members),
                bytes: Some(self.found.bytes),
                route: &self.route,
                steps: steps.iter().map(|(s, o)| ArchiveStep::of(s, o)).collect(),
                ok: steps.iter().all(|(_, o)| o.ok()),
            })
            .map_err(super::stdout_error);
        }
        if !dry_run {
            return Ok(());
        }
        Narrator::new(ctx).say("Dry run: the archive was checked; nothing was sent.");
        output::data(&format!(
            "would halt {u}'s jobs, put {f} ({m} files and folders, {b} bytes) in place of its \
             ~/.pioreactor by {r}, and reboot it\n",
            u = self.unit,
            f = self.file,
            m = self.found.members,
            b = self.found.bytes,
            r = self.route,
        ))
        .map_err(super::stdout_error)
    }
}
