//! `pio rename <old> <new>`: a worker's hostname, its config.ini entries, then a reboot.

use std::fs;
use std::time::{Duration, Instant};

use crate::cli::RenameArgs;
use crate::cluster::plan::{self, RenameRefused};
use crate::cluster::yes_no;
use crate::cluster::{Change, UnitName};
use crate::commands::{current_files_for_unit, edit_config, edit_inventory, unit_config_path};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::Source;
use crate::inventory::api::ApiError;
use crate::output::{Narrator, progress::Progress};
use crate::remote::Via;
use crate::remote::{Remote, commands};
use crate::remote::{Used, join, push_over};
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
    let inventory = crate::commands::open_inventory(ctx)?;
    let config = &inventory.config;
    let cluster = inventory.cluster(&ctx.hostname)?;
    if cluster.worker(&args.old).is_none() {
        UnitName::parse(&args.old).map_err(|e| Error::usage(e.to_string()).with_hint(e.hint))?;
    }
    plan::rename(&cluster, &args.old, &new).map_err(refused)?;
    let old = cluster
        .worker(&args.old)
        .expect("checked by the plan")
        .name
        .to_string();
    let (old_side, new_side) = (
        unit_config_path(ctx, &old),
        unit_config_path(ctx, new.as_str()),
    );
    if new_side.exists() {
        return Err(
            Error::usage(format!("{} already exists", new_side.display()))
                .with_hint("Move it away first: pio will not overwrite another unit's config."),
        );
    }
    let remote = Remote::new(ctx, config, Via::Ssh, Duration::from_secs(15))?;
    // The database era's record of the worker, re-registered under the new name at the end.
    let record = match &inventory.source {
        Source::Api { workers, .. } => workers
            .iter()
            .find(|w| w.pioreactor_unit.eq_ignore_ascii_case(&old))
            .cloned(),
        Source::ConfigIni => None,
    };
    let api = inventory.api().cloned();
    let narrator = Narrator::new(ctx);
    let static_address = cluster.address_of(&old).map(str::to_string);
    let leader_address = cluster.leader_address.map_or_else(
        || format!("{}.local", cluster.leader.to_ascii_lowercase()),
        str::to_string,
    );
    let hosts_edit = commands::rename_in_etc_hosts(&old, new.as_str());
    let set_hostname = commands::set_hostname(new.as_str());

    if args.dry_run {
        let address = cluster.reach(&old).describe(&old);
        let mut plan = vec![
            format!("check the unit at {address} answers `hostname` with '{old}'"),
            format!("run `{set_hostname}`"),
            format!("run `{hosts_edit}`"),
            match &record {
                None => format!(
                    "rename {old} to {new} in [cluster.inventory] and [cluster.addresses] of {}",
                    ctx.config_path.display()
                ),
                Some(_) => format!(
                    "remove {old} from the leader's database (DELETE /api/workers/{old}) and rename it in [cluster.addresses] of {}",
                    ctx.config_path.display()
                ),
            },
            format!(
                "rename {} to {} (if it exists)",
                old_side.display(),
                new_side.display()
            ),
            format!(
                "remove {old}'s entries from {}",
                remote.known_hosts_file(&old).display()
            ),
            format!("run `{}`", commands::REBOOT),
            format!(
                "wait up to {:.0} s until it answers `hostname` with '{new}'",
                args.timeout
            ),
        ];
        if record.is_some() {
            plan.push(format!(
                "register {new} with the leader's database (PUT /api/workers), keeping its model and active state, and have it join again as its release does"
            ));
        }
        if ctx.json {
            crate::output::json_data(&serde_json::json!({
                "command": "rename",
                "dry_run": true,
                "old": old,
                "new": new.as_str(),
                "plan": plan,
            }))
            .map_err(crate::commands::stdout_error)?;
        }
        let numbered: Vec<String> = plan
            .iter()
            .enumerate()
            .map(|(i, step)| format!("  {}. {step}", i + 1))
            .collect();
        narrator.say(&format!(
            "Dry run: nothing was changed. pio rename would\n{}",
            numbered.join("\n")
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
    drop(inventory);

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

    // Its release decides which files it is given and how it re-joins.
    let learnt = crate::remote::release::release_over(&conn, deadline());
    let release = match learnt.release() {
        Some(r) => r.clone(),
        None => crate::release::assumed(
            crate::commands::leader_release(ctx).as_ref(),
            record.is_some(),
        ),
    };
    if let Some(w) = crate::commands::unknown_release(&old, &learnt, &release) {
        narrator.warn(&w);
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

    // Its own settings, read before anything can delete them (the database era's DELETE removes
    // config_<old>.ini on the leader).
    let own_settings = fs::read(&old_side).ok();
    let experiment = match (&api, &record) {
        (Some(api), Some(_)) => api.experiment_of(&old).ok().flatten(),
        _ => None,
    };

    // 4. The inventory, only now that the unit itself is renamed.
    match (&api, &record) {
        (Some(api), Some(_)) => {
            // The database era's recipe: the old name leaves (its history stays under it), the
            // new one is registered once the unit is back.
            api.remove(&old).map_err(|e| {
                steps.failed(
                    "remove the old name from the leader's database",
                    e,
                    undo.clone(),
                )
            })?;
            steps
                .done
                .push(format!("removed {old} from the leader's database"));
            let edit = edit_config(ctx, false, |config| {
                let has_address = config
                    .addresses()?
                    .iter()
                    .any(|(n, _)| crate::config::ini::key_eq(n, &old));
                Ok(if has_address {
                    vec![Change::RenameWorker {
                        old: old.clone(),
                        new: new.to_string(),
                    }]
                } else {
                    Vec::new()
                })
            })
            .map_err(|e| steps.failed("update config.ini", e.message, undo.clone()))?;
            if !edit.changes.is_empty() {
                steps.done.push(format!(
                    "renamed {old} to {new} in [cluster.addresses] of {}",
                    ctx.config_path.display()
                ));
            }
        }
        _ => {
            let changes = edit_inventory(ctx, "rename", false, |cluster| {
                plan::rename(cluster, &old, &new).map_err(refused)
            })
            .map_err(|e| steps.failed("update config.ini", e.message, undo.clone()))?;
            debug_assert!(matches!(changes.as_slice(), [Change::RenameWorker { .. }]));
            steps.done.push(format!(
                "renamed {old} to {new} in {}",
                ctx.config_path.display()
            ));
        }
    }

    // 5. Its own config file, under its new name.
    if let Some(bytes) = &own_settings {
        let moved = if new_side.exists() {
            Ok(())
        } else {
            fs::write(&new_side, bytes)
        }
        .and_then(|()| match fs::remove_file(&old_side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        });
        moved.map_err(|e| {
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
    let sync_hint =
        format!("When it is back, run `pio workers sync-configs {new}` to give it config.ini.");
    // The config.ini era's unit reads its own copy: give it the one naming it, before the reboot.
    // (In the database era the leader is busy deleting the worker's copy: pio copies it after.)
    if record.is_none() {
        let files = current_files_for_unit(ctx, new.as_str(), learnt.release())?;
        push_over(&conn, &files, deadline())
            .map_err(|e| steps.failed("copy config.ini to it", e, sync_hint.clone()))?;
        steps
            .done
            .push("copied the new config.ini to it".to_string());
    }

    // 6. known_hosts: the old name no longer names this machine. (Its address still does.)
    let patterns = remote.known_host_patterns(&old, &[]);
    match known_hosts::remove(&remote.known_hosts_file(&old), &patterns) {
        Ok(removed) if !removed.is_empty() => steps.done.push(format!(
            "removed known_hosts entries {}",
            removed.join(", ")
        )),
        Ok(_) => {}
        Err(e) => narrator.warn(&format!(
            "could not clean {}: {e}",
            remote.known_hosts_file(&old).display()
        )),
    }

    // 7. Reboot, so that everything on it starts under the new name. (The hostname answers the
    // new name at once: only a new boot id shows the reboot happened.)
    let before = conn
        .exec(commands::BOOT_ID, deadline())
        .ok()
        .filter(|o| o.success())
        .map(|o| o.stdout.trim().to_string());
    run_remote(
        &mut steps,
        &conn,
        commands::REBOOT,
        "reboot",
        &format!("Everything else is done: reboot it with `pio reboot {new}`."),
    )?;
    drop(conn);
    progress.line(&format!("{new}: rebooting"));
    let waited = if args.no_wait {
        Ok(None)
    } else {
        progress.set_message(&format!("waiting for {new} to come back"));
        let address = |r: &Remote| match &static_address {
            Some(a) => Ok(a.clone()),
            None => r.resolve_mdns(new.as_str()).map(|ip| ip.to_string()),
        };
        let until = Instant::now() + Duration::from_secs_f64(args.timeout);
        remote
            .wait_back(new.as_str(), address, Used::Ssh, before.as_deref(), until)
            .and_then(|_| address(&remote))
            .map(Some)
            .map_err(|last| (last, String::new()))
    };
    progress.finish();

    // 9. The database era: register the new name as the old one was.
    if let (Some(api), Some(record)) = (&api, &record) {
        let register = || -> std::result::Result<(), ApiError> {
            api.register(
                new.as_str(),
                record.model_name.as_deref(),
                record.model_version.as_deref(),
            )?;
            if !record.is_active {
                api.set_active(new.as_str(), false)?;
            }
            Ok(())
        };
        register().map_err(|e| {
            steps.failed(
                "register the new name with the leader's database",
                e,
                format!(
                    "Register it by hand: `pio workers add {new} --offline{}{}`.",
                    match (&record.model_name, &record.model_version) {
                        (Some(m), Some(v)) => format!(" -m {m} --model-version {v}"),
                        (Some(m), None) => format!(" -m {m}"),
                        _ => String::new(),
                    },
                    if record.is_active { "" } else { " --inactive" }
                ),
            )
        })?;
        steps
            .done
            .push(format!("registered {new} with the leader's database"));
        narrator.say(&format!(
            "Registered {new} with the leader's database ({}); {old}'s history stays under {old}.",
            yes_no(record.is_active)
        ));
        if let Some(exp) = &experiment {
            narrator.say(&format!(
                "{old} was assigned to {exp}; {new} is not: `pio workers assign {new} '{exp}'` assigns it."
            ));
        }
        // Its config.ini, which the leader had it delete with the old name.
        match &waited {
            Ok(Some(at)) => {
                let files = current_files_for_unit(ctx, new.as_str(), learnt.release())?;
                let conn = remote
                    .ssh(new.as_str(), at)
                    .map_err(|e| steps.failed("copy config.ini to it", e, sync_hint.clone()))?;
                push_over(&conn, &files, deadline())
                    .map_err(|e| steps.failed("copy config.ini to it", e, sync_hint.clone()))?;
                steps.done.push("copied config.ini to it".to_string());
                // The leader's DELETE of the old name made a 26.11 unit leave the cluster (its
                // chrony source went with it): it joins again under its new name.
                let model = record
                    .model_name
                    .as_deref()
                    .zip(record.model_version.as_deref());
                let said = join::join(&conn, &release.needs(), &leader_address, model, deadline())
                    .map_err(|e| {
                        steps.failed(
                            "join the cluster again",
                            e,
                            format!("Run `pio workers add {new}` to finish."),
                        )
                    })?;
                steps.done.push(said.clone());
                narrator.say(&format!("{new}: {said}"));
            }
            _ => narrator.warn(&sync_hint),
        }
    }
    let at = waited.map_err(|(last, at)| {
        steps.failed(
            "wait for it to come back",
            format!(
                "{new} did not answer as {new} within {:.0} s ({last}{at})",
                args.timeout
            ),
            format!("The rename is done; check the unit with `pio workers status {new}`."),
        )
    })?;
    narrator.say(&match at {
        Some(at) => format!("Renamed {old} to {new}; it is back, answering as {new} at {at}."),
        None => format!("Renamed {old} to {new}; it is rebooting (not waiting, --no-wait)."),
    });
    Ok(())
}
