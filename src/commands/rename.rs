//! `pio rename <old> <new>`: a worker's hostname, its config.ini entries, then a reboot.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cli::{RenameArgs, Via};
use crate::cluster::plan::{self, RenameRefused};
use crate::cluster::{Change, UnitName};
use crate::commands::remote::{Remote, commands};
use crate::commands::{edit_inventory, read_config};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{Narrator, progress::Progress};
use crate::transport::known_hosts;
use crate::transport::ssh::Connection;

fn refused(e: RenameRefused) -> Error {
    match e {
        RenameRefused::NotInInventory(n) => Error::usage(format!("{n} is not in the inventory"))
            .with_hint("`pio workers list` shows the workers there are."),
        RenameRefused::IsLeader(n) => Error::usage(format!("{n} is the leader; pio renames workers only"))
            .with_hint(
                "Renaming the leader means rebuilding the cluster: every worker's config.ini, the MQTT \
                 broker and the web UI point at the leader's name. Set up a new leader under the new \
                 name and add the workers to it.",
            ),
        RenameRefused::Taken(n) => Error::usage(format!("the name {n} is already used in this cluster"))
            .with_hint("Pick a name that `pio workers list` does not show."),
        RenameRefused::Same => Error::usage("the new name is the old one"),
    }
}

/// `config_<name>.ini` beside config.ini: a unit's own overrides.
fn unit_config(ctx: &Context, name: &str) -> PathBuf {
    ctx.config_path
        .with_file_name(format!("config_{}.ini", name.to_ascii_lowercase()))
}

/// What happened so far, for the operator when a later step fails.
struct Steps {
    done: Vec<String>,
}

impl Steps {
    fn failed(&self, step: &str, why: impl std::fmt::Display, next: String) -> Error {
        let done = if self.done.is_empty() {
            "nothing was changed".to_string()
        } else {
            format!("done so far: {}", self.done.join("; "))
        };
        Error::new(
            Kind::Failed,
            format!("rename stopped at '{step}': {why}. {done}."),
        )
        .with_hint(next)
    }
}

pub fn run(ctx: &Context, args: &RenameArgs) -> Result<()> {
    let new =
        UnitName::parse(&args.new).map_err(|e| Error::usage(e.to_string()).with_hint(e.hint))?;
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    if cluster.worker(&args.old).is_none() {
        UnitName::parse(&args.old).map_err(|e| Error::usage(e.to_string()).with_hint(e.hint))?;
    }
    plan::rename(&cluster, &args.old, &new).map_err(refused)?;
    let old = cluster
        .worker(&args.old)
        .expect("checked by the plan")
        .name
        .to_string();
    let (old_side, new_side) = (unit_config(ctx, &old), unit_config(ctx, new.as_str()));
    if new_side.exists() {
        return Err(
            Error::usage(format!("{} already exists", new_side.display()))
                .with_hint("Move it away first: pio will not overwrite another unit's config."),
        );
    }
    let remote = Remote::new(ctx, &config, Via::Ssh, Duration::from_secs(15))?;
    let narrator = Narrator::new(ctx);
    let static_address = cluster.address_of(&old).map(str::to_string);
    let hosts_edit = format!(
        "sudo sed -i -E 's/(^|[[:space:]]){old}([[:space:]]|$)/\\1{new}\\2/g' /etc/hosts",
        old = old.to_ascii_lowercase()
    );
    let set_hostname = format!("sudo hostnamectl set-hostname {new}");

    if args.dry_run {
        let address = static_address
            .clone()
            .unwrap_or_else(|| format!("{old}.local (mDNS)"));
        narrator.say(&format!(
            "Dry run: nothing was changed. pio rename would\n  \
             1. check the unit at {address} answers `hostname` with '{old}'\n  \
             2. run `{set_hostname}`\n  \
             3. run `{hosts_edit}`\n  \
             4. rename {old} to {new} in [cluster.inventory] and [cluster.addresses] of {}\n  \
             5. rename {} to {} (if it exists)\n  \
             6. remove {old}'s entries from {}\n  \
             7. run `{}`\n  \
             8. wait up to {:.0} s until it answers `hostname` with '{new}'",
            ctx.config_path.display(),
            old_side.display(),
            new_side.display(),
            remote.known_hosts().display(),
            commands::REBOOT,
            args.timeout
        ));
        return Ok(());
    }

    let mut steps = Steps { done: Vec::new() };
    let progress = Progress::spinner(ctx, &format!("renaming {old} to {new}"));
    let address = remote.address(&cluster, &old).map_err(|e| {
        steps.failed(
            "find the unit",
            e,
            format!("Check {old} is on and reachable, then run the rename again."),
        )
    })?;
    drop(cluster);
    drop(config);

    // 1. The unit at that address is the one meant, or one a previous rename got partway with.
    progress.set_message(&format!("checking the unit at {address}"));
    let retry = format!("Fix that, then run `pio rename {old} {new}` again.");
    let conn = remote
        .ssh(&old, &address)
        .map_err(|e| steps.failed("connect", e, retry.clone()))?;
    let deadline = || Instant::now() + Duration::from_secs(30);
    let answer = conn
        .exec(commands::HOSTNAME, deadline())
        .map_err(|e| steps.failed("check hostname", e, retry.clone()))?;
    let answer = answer.stdout.trim();
    let resuming = answer == new.as_str();
    if answer != old.to_ascii_lowercase() && !resuming {
        return Err(steps.failed(
            "check hostname",
            format!("the unit at {address} answers '{answer}', not '{old}'"),
            format!("Another machine answers at {address}: check [cluster.addresses] {old} (or its mDNS name)."),
        ));
    }

    // 2-3. Its hostname and /etc/hosts.
    let undo = format!(
        "To undo: ssh pioreactor@{address} 'sudo hostnamectl set-hostname {old}'. To finish: run `pio rename {old} {new}` again."
    );
    let run_remote = |steps: &mut Steps,
                      conn: &Connection,
                      command: &str,
                      what: &str,
                      next: &str|
     -> Result<()> {
        progress.set_message(what);
        let out = conn
            .exec(command, deadline())
            .map_err(|e| steps.failed(what, e, next.to_string()))?;
        if !out.success() {
            let why = format!(
                "`{command}` exited with {:?}: {}",
                out.status,
                out.stderr.trim()
            );
            return Err(steps.failed(what, why, next.to_string()));
        }
        steps.done.push(format!("ran `{command}`"));
        Ok(())
    };
    if resuming {
        steps.done.push(format!("the hostname was already {new}"));
    } else {
        run_remote(&mut steps, &conn, &set_hostname, "set the hostname", &retry)?;
    }
    run_remote(&mut steps, &conn, &hosts_edit, "update /etc/hosts", &undo)?;
    progress.line(&format!("{old}: hostname set to {new}"));

    // 4. config.ini, only now that the unit itself is renamed.
    let changes = edit_inventory(ctx, "rename", false, |cluster| {
        plan::rename(cluster, &old, &new).map_err(refused)
    })
    .map_err(|e| steps.failed("update config.ini", e.message, undo.clone()))?;
    debug_assert!(matches!(changes.as_slice(), [Change::RenameWorker { .. }]));
    steps.done.push(format!(
        "renamed {old} to {new} in {}",
        ctx.config_path.display()
    ));

    // 5. Its own config file.
    if old_side.exists() {
        fs::rename(&old_side, &new_side).map_err(|e| {
            steps.failed(
                "rename its config file",
                e,
                format!(
                    "Rename {} to {} by hand.",
                    old_side.display(),
                    new_side.display()
                ),
            )
        })?;
        steps.done.push(format!(
            "renamed {} to {}",
            old_side.display(),
            new_side.display()
        ));
    }

    // 6. known_hosts: the old name no longer names this machine. (Its address still does.)
    let patterns = remote.known_host_patterns(&old, &[]);
    match known_hosts::remove(&remote.known_hosts(), &patterns) {
        Ok(removed) if !removed.is_empty() => steps.done.push(format!(
            "removed known_hosts entries {}",
            removed.join(", ")
        )),
        Ok(_) => {}
        Err(e) => narrator.warn(&format!(
            "could not clean {}: {e}",
            remote.known_hosts().display()
        )),
    }

    // 7. Reboot, so that everything on it starts under the new name.
    run_remote(
        &mut steps,
        &conn,
        commands::REBOOT,
        "reboot",
        &format!("Everything else is done: reboot it with `pio reboot {new}`."),
    )?;
    drop(conn);
    progress.line(&format!("{new}: rebooting"));
    if args.no_wait {
        narrator.say(&format!(
            "Renamed {old} to {new}; it is rebooting (not waiting, --no-wait)."
        ));
        return Ok(());
    }

    // 8. Wait until it answers as its new self.
    progress.set_message(&format!("waiting for {new} to come back"));
    let until = Instant::now() + Duration::from_secs_f64(args.timeout);
    let mut last = String::from("no answer yet");
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(500));
        let at = match &static_address {
            Some(a) => a.clone(),
            None => match remote.resolve_mdns(new.as_str()) {
                Ok(ip) => ip.to_string(),
                Err(e) => {
                    last = e;
                    continue;
                }
            },
        };
        match remote
            .ssh(new.as_str(), &at)
            .and_then(|c| c.exec(commands::HOSTNAME, deadline()))
        {
            Ok(out) if out.stdout.trim() == new.as_str() => {
                progress.finish();
                narrator.say(&format!(
                    "Renamed {old} to {new}; it is back, answering as {new} at {at}."
                ));
                return Ok(());
            }
            Ok(out) => last = format!("it answers '{}'", out.stdout.trim()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(steps.failed(
        "wait for it to come back",
        format!(
            "{new} did not answer as {new} within {:.0} s ({last})",
            args.timeout
        ),
        format!("The rename is done; check the unit with `pio workers status {new}`."),
    ))
}
