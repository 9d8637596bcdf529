//! `pio rename <old> <new>`: a worker's hostname, its config.ini entries, then a reboot.

use std::fs;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::timeouts::Deadline;

use crate::cli::RenameArgs;
use crate::cluster::name::same;
use crate::cluster::plan::{self, RenameRefused};
use crate::cluster::{Change, UnitName, yes_no};
use crate::commands::{change_inventory, open_inventory_to_edit, unit_config_path};
use crate::config::store;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::{Applied, FollowUp, Inventory};
use crate::output::{Narrator, progress::Progress};
use crate::release::{Learnt, Release};
use crate::remote::{Remote, Used, Via, commands, join, push_over, run_checked};
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
    /// Shared with the thread that reports an interrupt.
    done: Arc<Mutex<Vec<String>>>,
    /// The whole rename's end (`--timeout`): every step, the wait for the unit included.
    deadline: Deadline,
}

impl Steps {
    fn push(&mut self, step: String) {
        self.done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(step);
    }

    fn failed(&self, step: &str, why: impl std::fmt::Display, next: String) -> Error {
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let done = if done.is_empty() {
            "nothing was changed".to_string()
        } else {
            format!("done so far: {}", done.join("; "))
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
    // Before any thread starts: Ctrl-C midway says what was done (see report_interrupts).
    let done = Arc::new(Mutex::new(Vec::new()));
    if !args.dry_run {
        report_interrupts(done.clone(), format!("pio rename {} {new}", args.old));
    }
    let mut inventory = open_inventory_to_edit(ctx)?;
    let (old, resume) = checked(ctx, &inventory, &args.old, &new)?;
    let remote = crate::commands::remote(ctx, &inventory.config, Via::Ssh, STEP_TIME)?;
    // Its own settings, read (and the new name's file checked) before anything is done: a
    // planted link, a FIFO or a device there stops the rename with nothing changed.
    let own_settings = unit_config_files(ctx, &old, &new)?;
    if args.dry_run {
        return dry_run(ctx, &inventory, &remote, &old, &new, args.timeout);
    }
    let mut steps = Steps {
        done,
        deadline: Deadline::after(Duration::from_secs_f64(args.timeout)),
    };
    // Where it is found: under its old name, or (resuming) its new one.
    let now_named = if resume { new.as_str() } else { old.as_str() };
    if resume {
        Narrator::new(ctx).say(&format!(
            "{old} is gone from the inventory and {new} is there: resuming an interrupted rename."
        ));
    }
    let cluster = inventory.cluster(&ctx.hostname)?;
    let static_address = cluster.address_of(now_named).map(str::to_string);
    let progress = Progress::spinner(ctx, &format!("renaming {old} to {new}"));
    let address = remote.address(&cluster, now_named).map_err(|e| {
        steps.failed(
            "find the unit",
            e,
            format!("Check {now_named} is on and reachable, then run the rename again."),
        )
    })?;
    drop(cluster);
    let mut unit = Unit::reach(&remote, &mut steps, &progress, &old, &new, &address)?;
    let release = unit.release(ctx, &inventory);
    unit.rename_host(&mut steps, &progress)?;
    // Its assignment, read before anything can delete it (the database era's DELETE removes it,
    // and config_<old>.ini on the leader, read above).
    let experiment = inventory
        .api()
        .and_then(|api| api.experiment_of(&old).ok().flatten());
    let work = if resume {
        let renamed = Change::RenameWorker {
            old: old.clone(),
            new: new.to_string(),
        };
        inventory.follow_up(&ctx.hostname, &renamed, true)?
    } else {
        in_inventory(ctx, &mut inventory, &mut steps, &unit)?.follow_up
    };
    move_unit_config(ctx, &mut steps, own_settings.as_deref(), &old, &new)?;
    let after = AfterRename {
        ctx,
        inventory: &inventory,
        remote: &remote,
        release: &release,
        sync_hint: format!(
            "When it is back, run `pio workers sync-configs {new}` to give it config.ini."
        ),
    };
    after.finish(
        args,
        &mut steps,
        &mut unit,
        &work,
        (experiment, static_address),
        &progress,
    )
}

/// The rename's last part, once the unit and the inventory have the new name: config.ini
/// before the reboot (where the unit reads its own), the reboot, the wait, and the work left for
/// after it (the database era's registration and join).
struct AfterRename<'a> {
    ctx: &'a Context,
    inventory: &'a Inventory,
    remote: &'a Remote<'a>,
    release: &'a Release,
    sync_hint: String,
}

impl AfterRename<'_> {
    fn finish(
        &self,
        args: &RenameArgs,
        steps: &mut Steps,
        unit: &mut Unit,
        work: &[FollowUp],
        (experiment, static_address): (Option<String>, Option<String>),
        progress: &Progress,
    ) -> Result<()> {
        let (ctx, old, new) = (self.ctx, unit.old.clone(), unit.new.to_string());
        push_before_reboot(ctx, self.inventory, work, unit, steps, &self.sync_hint)?;
        forget_old_host_keys(ctx, self.remote, steps, &old);
        let waited = unit.reboot_and_wait(self.remote, steps, progress, args, static_address)?;
        progress.finish();
        let cluster = self.inventory.cluster(&ctx.hostname)?;
        let leader_address = cluster.leader_address.map_or_else(
            || format!("{}.local", cluster.leader.to_ascii_lowercase()),
            str::to_string,
        );
        let back = Back {
            ctx,
            inventory: self.inventory,
            remote: self.remote,
            release: self.release,
            leader_address: &leader_address,
            sync_hint: &self.sync_hint,
        };
        for w in work.iter().filter(|w| w.after_reboot()) {
            back.carry_out(steps, w, unit, experiment.as_deref(), &waited)?;
        }
        let at = waited.map_err(|last| {
            steps.failed(
                "wait for it to come back",
                format!(
                    "{new} did not answer as {new} within {:.0} s ({last})",
                    args.timeout
                ),
                format!("The rename is done; check the unit with `pio workers status {new}`."),
            )
        })?;
        Narrator::new(ctx).say(&match at {
            Some(at) => format!("Renamed {old} to {new}; it is back, answering as {new} at {at}."),
            None => format!("Renamed {old} to {new}; it is rebooting (not waiting, --no-wait)."),
        });
        Ok(())
    }
}

/// Ctrl-C (or SIGTERM) midway through a rename: what was done so far, and the command that
/// finishes it, then exit 130. The signals are blocked in every thread and taken by one that
/// waits for them (set up before any other thread starts, which inherit the mask).
fn report_interrupts(done: Arc<Mutex<Vec<String>>>, again: String) {
    // SAFETY: plain libc calls on a zeroed, initialised signal set.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        set
    };
    std::thread::spawn(move || {
        let mut signal = 0;
        // SAFETY: waits on the set blocked above.
        if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
            return;
        }
        let done = done.lock().unwrap_or_else(|e| e.into_inner());
        let said = if done.is_empty() {
            "nothing was changed".to_string()
        } else {
            format!("done so far: {}", done.join("; "))
        };
        eprintln!("error: rename interrupted; {said}.\n  hint: Run `{again}` to finish it.");
        // Never midway through writing a file: config.ini is whole, old or new.
        let _writes = crate::files::wait_for_writes();
        std::process::exit(130);
    });
}

/// A unit that reads its own copy of config.ini gets the one naming it, before the reboot.
fn push_before_reboot(
    ctx: &Context,
    inventory: &Inventory,
    work: &[FollowUp],
    unit: &Unit,
    steps: &mut Steps,
    sync_hint: &str,
) -> Result<()> {
    let now = work.iter().filter(|w| !w.after_reboot());
    for _ in now.filter(|w| matches!(w, FollowUp::PushConfig { .. })) {
        let files = crate::remote::files::files_for_unit(
            &ctx.config_path,
            inventory.config.render(),
            unit.new.as_str(),
            unit.learnt.release(),
        )?;
        let conn = unit.conn.as_ref().expect("open until the reboot");
        push_over(conn, &files, steps.deadline.instant())
            .map_err(|e| steps.failed("copy config.ini to it", e, sync_hint.to_string()))?;
        steps.push("copied the new config.ini to it".to_string());
    }
    Ok(())
}

/// How long logging in to the unit may take.
const STEP_TIME: Duration = crate::timeouts::RENAME_LOGIN;

/// The worker's name as the inventory spells it, once the rename is known to be possible.
/// The worker's name as the inventory spells it, once the rename is known to be possible; and
/// whether it resumes one that was interrupted after the inventory changed (the old name gone,
/// the new one there).
fn checked(
    ctx: &Context,
    inventory: &Inventory,
    old: &str,
    new: &UnitName,
) -> Result<(String, bool)> {
    let cluster = inventory.cluster(&ctx.hostname)?;
    if cluster.worker(old).is_none() {
        UnitName::parse(old).map_err(|e| Error::usage(e.to_string()).with_hint(e.hint))?;
        if cluster.worker(new.as_str()).is_some() {
            return Ok((old.to_ascii_lowercase(), true));
        }
    }
    plan::rename(&cluster, old, new).map_err(refused)?;
    let old = cluster
        .worker(old)
        .expect("checked by the plan")
        .name
        .to_string();
    let new_side = unit_config_path(ctx, new.as_str());
    // Anything there, a dangling link included, is another unit's (or someone's) file.
    if new_side.symlink_metadata().is_ok() {
        return Err(
            Error::usage(format!("{} already exists", new_side.display()))
                .with_hint("Move it away first: pio will not overwrite another unit's config."),
        );
    }
    Ok((old, false))
}

/// `--dry-run`: the steps, on stderr (and with `--json` as one document on stdout).
fn dry_run(
    ctx: &Context,
    inventory: &Inventory,
    remote: &Remote,
    old: &str,
    new: &UnitName,
    timeout: f64,
) -> Result<()> {
    let address = inventory.cluster(&ctx.hostname)?.reach(old).describe(old);
    let (old_side, new_side) = (
        unit_config_path(ctx, old),
        unit_config_path(ctx, new.as_str()),
    );
    let mut plan = vec![
        format!("check the unit at {address} answers `hostname` with '{old}'"),
        format!("run `{}`", commands::set_hostname(new.as_str())),
        format!("run `{}`", commands::rename_in_etc_hosts(old, new.as_str())),
        inventory.rename_step(ctx, old, new.as_str()),
        format!(
            "rename {} to {} (if it exists)",
            old_side.display(),
            new_side.display()
        ),
        format!(
            "remove {old}'s entries from {}",
            remote.known_hosts_file(old).display()
        ),
        format!("run `{}`", commands::REBOOT),
        format!("wait up to {timeout:.0} s until it answers `hostname` with '{new}'"),
    ];
    let rename = Change::RenameWorker {
        old: old.to_string(),
        new: new.to_string(),
    };
    let after: Vec<String> = inventory
        .follow_up(&ctx.hostname, &rename, true)?
        .iter()
        .filter(|w| w.after_reboot())
        .map(FollowUp::describe)
        .collect();
    if !after.is_empty() {
        plan.push(after.join(", then "));
    }
    if ctx.json {
        crate::output::json_data(&crate::output::schema::RenamePlan {
            command: "rename",
            dry_run: true,
            old,
            new: new.as_str(),
            plan: plan.clone(),
        })
        .map_err(crate::commands::stdout_error)?;
    }
    let numbered: Vec<String> = plan
        .iter()
        .enumerate()
        .map(|(i, step)| format!("  {}. {step}", i + 1))
        .collect();
    Narrator::new(ctx).say(&format!(
        "Dry run: nothing was changed. pio rename would\n{}",
        numbered.join("\n")
    ));
    Ok(())
}

/// The unit being renamed, logged in to.
struct Unit {
    /// Closed once the unit reboots.
    conn: Option<Connection>,
    old: String,
    new: UnitName,
    address: String,
    /// It already answers as the new name: a rename that got that far before.
    resuming: bool,
    learnt: Learnt,
}

impl Unit {
    /// The unit at `address` is the one meant, or one a previous rename got partway with.
    fn reach(
        remote: &Remote,
        steps: &mut Steps,
        progress: &Progress,
        old: &str,
        new: &UnitName,
        address: &str,
    ) -> Result<Unit> {
        progress.set_message(&format!("checking the unit at {address}"));
        let retry = format!("Fix that, then run `pio rename {old} {new}` again.");
        let conn = remote
            .until(steps.deadline.instant())
            .ssh(old, address)
            .map_err(|e| steps.failed("connect", e, retry.clone()))?;
        let answer = run_checked(&conn, commands::HOSTNAME, steps.deadline.instant())
            .map_err(|e| steps.failed("check hostname", e, retry.clone()))?;
        let resuming = answer == new.as_str();
        if !same(&answer, old) && !resuming {
            return Err(steps.failed(
                "check hostname",
                format!("the unit at {address} answers '{answer}', not '{old}'"),
                format!("Another machine answers at {address}: check [cluster.addresses] {old} (or its mDNS name)."),
            ));
        }
        // Its release decides which files it is given and how it re-joins.
        let learnt = crate::remote::release::release_over(&conn, steps.deadline.instant());
        Ok(Unit {
            conn: Some(conn),
            old: old.to_string(),
            new: new.clone(),
            address: address.to_string(),
            resuming,
            learnt,
        })
    }

    /// Its release as learnt, else assumed (said in a warning).
    fn release(&self, ctx: &Context, inventory: &Inventory) -> Release {
        let release = crate::commands::release_or_assumed(ctx, inventory, &self.learnt);
        if let Some(w) = crate::commands::unknown_release(&self.old, &self.learnt, &release) {
            Narrator::new(ctx).warn(&w);
        }
        release
    }

    /// Runs `command` on it as a step of the rename.
    fn run(&self, steps: &mut Steps, command: &str, what: &str, next: &str) -> Result<()> {
        let conn = self.conn.as_ref().expect("open until the reboot");
        run_checked(conn, command, steps.deadline.instant())
            .map_err(|e| steps.failed(what, e, next.to_string()))?;
        steps.push(format!("ran `{command}`"));
        Ok(())
    }

    /// Its hostname and /etc/hosts.
    fn rename_host(&self, steps: &mut Steps, progress: &Progress) -> Result<()> {
        let (old, new, address) = (&self.old, &self.new, &self.address);
        let retry = format!("Fix that, then run `pio rename {old} {new}` again.");
        let undo = self.undo();
        if self.resuming {
            steps.push(format!("the hostname was already {new}"));
        } else {
            progress.set_message("set the hostname");
            self.run(
                steps,
                &commands::set_hostname(new.as_str()),
                "set the hostname",
                &retry,
            )?;
        }
        progress.set_message("update /etc/hosts");
        let hosts_edit = commands::rename_in_etc_hosts(old, new.as_str());
        self.run(steps, &hosts_edit, "update /etc/hosts", &undo)?;
        progress.line(&format!("{old}: hostname set to {new} (at {address})"));
        Ok(())
    }

    fn undo(&self) -> String {
        let (old, new, address) = (&self.old, &self.new, &self.address);
        format!(
            "To undo: ssh pioreactor@{address} 'sudo hostnamectl set-hostname {old}'. To finish: run `pio rename {old} {new}` again."
        )
    }

    /// Reboots it, so that everything on it starts under the new name, and (unless `--no-wait`)
    /// waits until it answers as the new name: `Ok(Some(address))` when back, `Ok(None)` when
    /// not waited for, `Err(last seen)` when it did not come back in time. (The hostname answers
    /// the new name at once: only a new boot id shows the reboot happened.)
    fn reboot_and_wait(
        &mut self,
        remote: &Remote,
        steps: &mut Steps,
        progress: &Progress,
        args: &RenameArgs,
        static_address: Option<String>,
    ) -> Result<std::result::Result<Option<String>, String>> {
        let new = self.new.to_string();
        let new = new.as_str();
        let conn = self.conn.as_ref().expect("open until the reboot");
        let before = run_checked(conn, commands::BOOT_ID, steps.deadline.instant()).ok();
        let next = format!("Everything else is done: reboot it with `pio reboot {new}`.");
        self.run(steps, commands::REBOOT, "reboot", &next)?;
        self.conn = None;
        progress.line(&format!("{new}: rebooting"));
        if args.no_wait {
            return Ok(Ok(None));
        }
        progress.set_message(&format!("waiting for {new} to come back"));
        let address = |r: &Remote| match &static_address {
            Some(a) => Ok(a.clone()),
            None => r.resolve_mdns(new).map(|ip| ip.to_string()),
        };
        let until = steps.deadline.instant();
        Ok(remote
            .wait_back(new, address, Used::Ssh, before.as_deref(), until)
            .and_then(|_| address(remote))
            .map(Some))
    }
}

/// The inventory, only now that the unit itself is renamed.
fn in_inventory(
    ctx: &Context,
    inventory: &mut Inventory,
    steps: &mut Steps,
    unit: &Unit,
) -> Result<Applied> {
    let (old, new) = (&unit.old, &unit.new);
    let applied = change_inventory(ctx, inventory, "rename", false, true, &mut |c| {
        plan::rename(c, old, new).map_err(refused)
    })
    .map_err(|e| steps.failed("update the inventory", e.message, unit.undo()))?;
    let place = inventory.place();
    steps.push(format!("renamed {old} to {new} in {place}"));
    Ok(applied)
}

/// `config_<old>.ini`'s bytes, if there is one, read by the one rule for files
/// ([`store::read_unit_config`]); and `config_<new>.ini`, if something is there, checked to be a
/// regular file reached through no planted link (a resumed rename wrote it).
fn unit_config_files(ctx: &Context, old: &str, new: &UnitName) -> Result<Option<Vec<u8>>> {
    crate::commands::check_unit_config(ctx, new.as_str())?;
    store::read_unit_config(&unit_config_path(ctx, old))
}

/// Its own config file, under its new name: created exclusively (a link planted there since is
/// never written through), with config.ini's owner, group, mode and ACL.
fn move_unit_config(
    ctx: &Context,
    steps: &mut Steps,
    own_settings: Option<&[u8]>,
    old: &str,
    new: &UnitName,
) -> Result<()> {
    let Some(bytes) = own_settings else {
        return Ok(());
    };
    let (old_side, new_side) = (
        unit_config_path(ctx, old),
        unit_config_path(ctx, new.as_str()),
    );
    let config = store::write_target(&ctx.config_path)?;
    let moved = match crate::files::create_like(&new_side, bytes, &config) {
        // A resumed rename wrote it: kept if it is a regular file reached through no planted
        // link, else nothing more is done.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::files::open_regular(&new_side).map(drop)
        }
        other => other.map(drop),
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
    steps.push(format!(
        "renamed {} to {}",
        old_side.display(),
        new_side.display()
    ));
    Ok(())
}

/// known_hosts: the old name no longer names this machine. (Its address still does.)
fn forget_old_host_keys(ctx: &Context, remote: &Remote, steps: &mut Steps, old: &str) {
    let patterns = remote.known_host_patterns(old, &[]);
    let file = remote.known_hosts_file(old);
    match known_hosts::remove(&file, &patterns) {
        Ok(removed) if !removed.is_empty() => steps.push(format!(
            "removed known_hosts entries {}",
            removed.join(", ")
        )),
        Ok(_) => {}
        Err(e) => Narrator::new(ctx).warn(&format!("could not clean {}: {e}", file.display())),
    }
}

/// The work left for after the reboot (the database era's: register the new name, give it
/// config.ini, have it join again).
struct Back<'a> {
    ctx: &'a Context,
    inventory: &'a Inventory,
    remote: &'a Remote<'a>,
    release: &'a Release,
    leader_address: &'a str,
    sync_hint: &'a str,
}

impl Back<'_> {
    fn carry_out(
        &self,
        steps: &mut Steps,
        work: &FollowUp,
        unit: &Unit,
        experiment: Option<&str>,
        waited: &std::result::Result<Option<String>, String>,
    ) -> Result<()> {
        let narrator = Narrator::new(self.ctx);
        let (old, new) = (&unit.old, unit.new.as_str());
        match (work, waited) {
            (FollowUp::Register { model, active, .. }, _) => {
                self.inventory.finish(work).map_err(|e| {
                    steps.failed(
                        "register the new name with the leader's database",
                        e,
                        register_by_hand(new, model.as_ref(), *active),
                    )
                })?;
                steps.push(format!("registered {new} with the leader's database"));
                narrator.say(&format!(
                    "Registered {new} with the leader's database ({}); {old}'s history stays under {old}.",
                    yes_no(*active)
                ));
                if let Some(exp) = experiment {
                    narrator.say(&format!(
                        "{old} was assigned to {exp}; {new} is not: `pio workers assign {new} '{exp}'` assigns it."
                    ));
                }
            }
            // Its config.ini, which the leader had it delete with the old name.
            (FollowUp::PushConfig { .. }, Ok(Some(at))) => {
                let files = crate::remote::files::files_for_unit(
                    &self.ctx.config_path,
                    self.inventory.config.render(),
                    new,
                    unit.learnt.release(),
                )?;
                let conn = self.connect(steps, new, at, "copy config.ini to it")?;
                push_over(&conn, &files, steps.deadline.instant()).map_err(|e| {
                    steps.failed("copy config.ini to it", e, self.sync_hint.to_string())
                })?;
                steps.push("copied config.ini to it".to_string());
            }
            // The leader's DELETE of the old name made a 26.11 unit leave the cluster (its chrony
            // source went with it): it joins again under its new name.
            (FollowUp::Join { model, .. }, Ok(Some(at))) => {
                let conn = self.connect(steps, new, at, "join the cluster again")?;
                let model = model.as_ref().map(|(m, v)| (m.as_str(), v.as_str()));
                let said = join::join(
                    &conn,
                    self.release,
                    self.leader_address,
                    model,
                    steps.deadline.instant(),
                )
                .map_err(|e| {
                    steps.failed(
                        "join the cluster again",
                        e,
                        format!("Run `pio workers add {new}` to finish."),
                    )
                })?;
                steps.push(said.clone());
                narrator.say(&format!("{new}: {said}"));
            }
            (FollowUp::PushConfig { .. }, _) => narrator.warn(self.sync_hint),
            _ => {}
        }
        Ok(())
    }

    fn connect(&self, steps: &mut Steps, new: &str, at: &str, what: &str) -> Result<Connection> {
        self.remote
            .until(steps.deadline.instant())
            .ssh(new, at)
            .map_err(|e| steps.failed(what, e, self.sync_hint.to_string()))
    }
}

/// How to register the new name by hand, as it was.
fn register_by_hand(new: &str, model: Option<&(String, String)>, active: bool) -> String {
    format!(
        "Register it by hand: `pio workers add {new} --offline{}{}`.",
        match model {
            Some((m, v)) if !v.is_empty() => format!(" -m {m} --model-version {v}"),
            Some((m, _)) => format!(" -m {m}"),
            None => String::new(),
        },
        if active { "" } else { " --inactive" }
    )
}
