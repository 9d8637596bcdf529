//! `pio workers add`: verified by default (find, reach, log in, check; then the inventory; then
//! config.ini, the clock and a reboot on the worker); `--offline` only registers it.

use std::io::Read;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use crate::cli::AddArgs;
use crate::cluster::{Change, Cluster, UnitName, parse_address, plan, yes_no};
use crate::commands::{follow_up, open_inventory_to_edit, report};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::Inventory;
use crate::output::{self, Narrator, progress::Progress};
use crate::release::{Learnt, Release};
use crate::remote::release::release_over;
use crate::remote::{Via, commands, files, join, login, push_over, run_checked};
use crate::timeouts::ADD_CONNECT_ATTEMPT;
use crate::transport::ssh::{self, Connection, SshError, UnknownHostKey};

use super::invalid_name;

/// The password a freshly flashed Pioreactor image accepts until a key is installed.
const IMAGE_DEFAULT_PASSWORD: &str = "raspberry";

/// The steps of a verified add, for progress and failure messages.
const STEPS: usize = 8;

/// (see [`crate::timeouts::ADD_SESSION`]): `add` ends within `--timeout`, or this long after the
/// worker's SSH server greeted if that is later.
const SESSION_TIME: Duration = crate::timeouts::ADD_SESSION;

pub fn run(ctx: &Context, args: &AddArgs) -> Result<()> {
    let name = UnitName::parse(&args.hostname).map_err(invalid_name)?;
    let given = given_address(args)?;
    let dry_run = args.dry_run.dry_run;
    let narrator = Narrator::new(ctx);
    let mut inventory = open_inventory_to_edit(ctx)?;
    // Its config_<name>.ini, created or sent later: a planted link or a FIFO there stops the add.
    crate::commands::check_unit_config(ctx, name.as_str())?;
    let was = inventory
        .cluster(&ctx.hostname)?
        .worker(name.as_str())
        .map(|w| w.active);
    // The leader as a worker of its own cluster: it is this machine, already set up.
    let is_leader = inventory.cluster(&ctx.hostname)?.is_leader(name.as_str());
    if is_leader && !args.offline && !dry_run {
        narrator.say(&format!(
            "{name} is the leader: adding it as a worker needs no set-up over the network."
        ));
    }
    let progress = Progress::spinner(ctx, &format!("adding {name}"));
    let set_up = if args.offline || dry_run || is_leader {
        None
    } else {
        Some(set_up_worker(
            ctx, args, &inventory, &name, given, &progress,
        )?)
    };

    // 5. The inventory: config.ini's line, or the leader's database.
    progress.set_message(&format!("5/{STEPS} adding {name} to the inventory"));
    let applied = inventory.change(ctx, dry_run, !args.offline, &mut |c| {
        Ok(planned(c, args, &name, given))
    })?;
    // A step of the verified add; alone (--offline, --dry-run) the report says what happened.
    if set_up.is_some() {
        progress.line(&format!("{name}: in the inventory"));
    }
    for w in &applied.warnings {
        narrator.warn(w);
    }
    report(ctx, "workers add", dry_run, &applied)?;
    let added = Change::AddWorker {
        name: name.to_string(),
        active: true,
    };
    let work = inventory.follow_up(&ctx.hostname, &added, true)?;
    follow_up::create_unit_configs(ctx, &work, &progress, dry_run)?;
    if dry_run && !args.offline && !is_leader {
        narrator.say(&add_plan(ctx, args, &inventory, &name, given)?);
    }
    if let Some(set_up) = set_up {
        return finish_set_up(ctx, args, &inventory, &name, set_up, &progress);
    }
    progress.finish();
    if applied.changes.is_empty() && !ctx.json {
        narrator.say(&format!(
            "{name} is already in the inventory as {}; nothing changed.",
            yes_no(was.unwrap_or(true))
        ));
    }
    Ok(())
}

/// `-a`, checked.
fn given_address(args: &AddArgs) -> Result<Option<Ipv4Addr>> {
    args.address
        .as_deref()
        .map(|a| {
            parse_address(a).map_err(|e| {
                Error::usage(format!(
                    "--address {}",
                    e.to_string().replace("unit name", "address")
                ))
                .with_hint(e.hint)
            })
        })
        .transpose()
}

/// What the add changes: the worker (a new one active unless told otherwise; one already there
/// keeps its state unless asked), its address, its model.
fn planned(
    cluster: &Cluster,
    args: &AddArgs,
    name: &UnitName,
    given: Option<Ipv4Addr>,
) -> Vec<Change> {
    let mut changes = plan::add(cluster, name, given, asked_state(args));
    if let Some(model) = &args.model_name {
        changes.push(Change::SetModel {
            name: name.to_string(),
            model_name: model.clone(),
            model_version: args.model_version.clone().unwrap_or_default(),
        });
    }
    changes
}

/// Steps 6-8 of a verified add: the worker gets the cluster's configuration, its clock (and
/// model), and a reboot.
fn finish_set_up(
    ctx: &Context,
    args: &AddArgs,
    inventory: &Inventory,
    name: &UnitName,
    set_up: SetUp,
    progress: &Progress,
) -> Result<()> {
    let SetUp {
        conn,
        address,
        session_end,
        learnt,
    } = set_up;
    let after = |step: usize, what: &str, why: String| {
        Error::new(
            Kind::Failed,
            format!(
                "step {step}/{STEPS} ({what}) failed: {why}. {name} is in the inventory; \
                 run the same `pio workers add` again to finish setting it up."
            ),
        )
    };
    let release = warn_of_release(ctx, inventory, name, &learnt, progress);
    progress.set_message(&format!("6/{STEPS} copying config.ini to {name}"));
    // config.ini as it is now, with the new worker in it; its own settings only where its
    // release takes them from the leader.
    let shared = inventory.config.render();
    let files = crate::remote::files::files_for_unit(
        &ctx.config_path,
        shared,
        name.as_str(),
        learnt.release(),
    )?;
    push_over(&conn, &files, session_end).map_err(|e| after(6, "copy config.ini", e))?;
    let copied: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    progress.line(&format!("{name}: copied {}", copied.join(" and ")));
    if let Some(note) = files::not_sent_note(name.as_str(), learnt.release()) {
        progress.line(&note);
    }

    progress.set_message(&format!("7/{STEPS} setting {name}'s clock"));
    let leader_address = leader_address(inventory, ctx)?;
    let said = join::join(
        &conn,
        &release,
        &leader_address,
        model_of(args),
        session_end,
    )
    .map_err(|e| after(7, "join (clock and time source)", e))?;
    progress.line(&format!("{name}: {said}"));

    let narrator = Narrator::new(ctx);
    if args.no_reboot {
        progress.finish();
        narrator.say(&format!(
            "{name} at {address} is set up; not rebooted (--no-reboot). It applies the new configuration when it next boots."
        ));
        return Ok(());
    }
    progress.set_message(&format!("8/{STEPS} rebooting {name}"));
    run_checked(&conn, commands::REBOOT, session_end).map_err(|e| after(8, "reboot", e))?;
    progress.finish();
    narrator.say(&format!(
        "{name} at {address} is set up and rebooting; it joins the cluster when it is back."
    ));
    Ok(())
}

/// The worker's release as learnt (else assumed, said in a warning), and a warning when it is
/// older than the leader's.
fn warn_of_release(
    ctx: &Context,
    inventory: &Inventory,
    name: &UnitName,
    learnt: &Learnt,
    progress: &Progress,
) -> Release {
    let release = crate::commands::release_or_assumed(ctx, inventory, learnt);
    if let Some(w) = crate::commands::unknown_release(name.as_str(), learnt, &release) {
        progress.line(&format!("warning: {w}"));
    }
    let leader = crate::commands::leader_release(ctx);
    if let (Some(worker), Some(leader)) = (learnt.release(), &leader)
        && let Some(advice) = crate::release::mismatch_advice(worker, leader)
    {
        progress.line(&format!("warning: {name} {advice}"));
    }
    release
}

/// The state asked for: `--active`, `--inactive`, or none (a new worker is active, one already
/// there keeps its state).
fn asked_state(args: &AddArgs) -> Option<bool> {
    match (args.active, args.inactive) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

/// The model a worker is told at its join: name and version, or neither.
fn model_of(args: &AddArgs) -> Option<(&str, &str)> {
    args.model_name
        .as_deref()
        .zip(args.model_version.as_deref())
}

/// How workers reach the leader: `[cluster.topology] leader_address`, else `<leader>.local`.
fn leader_address(inventory: &Inventory, ctx: &Context) -> Result<String> {
    let (leader, address) = inventory.config.leader(&ctx.hostname)?;
    Ok(address.map_or_else(
        || format!("{}.local", leader.to_ascii_lowercase()),
        str::to_string,
    ))
}

/// The steps a verified add would take, for `--dry-run`.
fn add_plan(
    ctx: &Context,
    args: &AddArgs,
    inventory: &Inventory,
    name: &UnitName,
    given: Option<Ipv4Addr>,
) -> Result<String> {
    let remote = crate::commands::remote(ctx, &inventory.config, Via::Ssh, Duration::from_secs(1))?;
    let (address, source) = match given {
        Some(a) => (a.to_string(), "from -a".to_string()),
        None => {
            let reach = inventory.cluster(&ctx.hostname)?.reach(name.as_str());
            (reach.host(name.as_str()), reach.describe(name.as_str()))
        }
    };
    let t = remote.ssh_target(name.as_str(), &address);
    let leader_address = leader_address(inventory, ctx)?;
    let clock: String = crate::release::setup_spans()
        .iter()
        .map(|(span, release)| {
            format!(
                "\n       {span}: copy {}; {}",
                files::copy_plan(release),
                join::join_plan(release, &leader_address, model_of(args))
            )
        })
        .collect();
    Ok(format!(
        "Dry run: a verified add would\n\
         \x20 1. use the address {address} ({source})\n\
         \x20 2. wait for SSH at {}:{}\n\
         \x20 3. log in as {} with this leader's key, else once by password, and install the key\n\
         \x20 4. run `{}` and `{}` (expecting exactly '{name}')\n\
         \x20 5. {} (nothing was changed)\n\
         \x20 6-7. give it config files and the leader's time by its release (`pio version`):{clock}\n\
         \x20 8. {}",
        t.address,
        t.port,
        t.user,
        commands::IS_PIOREACTOR,
        commands::HOSTNAME,
        inventory.add_step(),
        if args.no_reboot {
            "not reboot it (--no-reboot)".to_string()
        } else {
            format!("reboot it: `{}`", commands::REBOOT)
        }
    ))
}

/// A failed step before anything was written: which one, why, and that nothing changed.
fn step_failed(step: usize, what: &str, why: impl std::fmt::Display) -> Error {
    Error::new(
        Kind::Failed,
        format!(
            "step {step}/{STEPS} ({what}) failed: {why}. Nothing was changed in the inventory."
        ),
    )
}

/// A worker found, reached, logged in to and checked (steps 1-4).
struct SetUp {
    conn: Connection,
    address: String,
    /// When steps 3-8 must be done by.
    session_end: Instant,
    learnt: Learnt,
}

/// Steps 1-4 of a verified add: find the worker, reach it, log in, check it; its release is
/// learnt on that connection.
fn set_up_worker(
    ctx: &Context,
    args: &AddArgs,
    inventory: &Inventory,
    name: &UnitName,
    given: Option<Ipv4Addr>,
    progress: &Progress,
) -> Result<SetUp> {
    let total = Duration::from_secs_f64(args.timeout);
    // The clock starts before the address is looked up: finding the worker is part of --timeout.
    let deadline = Instant::now() + total;
    let mut remote = crate::commands::remote(ctx, &inventory.config, Via::Ssh, total)?;
    if let Some(a) = given {
        // A unit added with -a is reached, and its host key filed, by that address.
        remote = remote.with_address(name.as_str(), &a.to_string());
    }
    progress.set_message(&format!("1/{STEPS} finding {name}"));
    let address = match given {
        Some(a) => a.to_string(),
        None => {
            let cluster = inventory.cluster(&ctx.hostname)?;
            remote.until(deadline).address(&cluster, name.as_str()).map_err(|e| {
                step_failed(1, "address", e).with_hint(format!(
                    "Check that {name} is powered on and on this network, or give its address with -a."
                ))
            })?
        }
    };
    progress.line(&format!("{name}: address {address}"));
    let target = remote.ssh_target(name.as_str(), &address);
    progress.set_message(&format!(
        "2/{STEPS} waiting for {name} at {}:{}",
        target.address, target.port
    ));
    wait_for_ssh(name, &target, total, deadline)?;
    progress.set_message(&format!("3/{STEPS} logging in to {name}"));
    // Steps 3-8 end by --timeout, or SESSION_TIME after the worker answered if that is later.
    // Time spent at a password prompt is the operator's, not the worker's: it moves the end.
    let login = Login {
        ctx,
        args,
        target: &target,
        session_end: std::cell::Cell::new(deadline.max(Instant::now() + SESSION_TIME)),
        progress,
    };
    let conn = log_in(&login)?;
    let session_end = login.session_end;
    progress.set_message(&format!("4/{STEPS} checking {name}"));
    check_identity(&conn, name, &address, session_end.get())?;
    // Its release decides what it is given and how it joins.
    let learnt = release_over(&conn, session_end.get());
    Ok(SetUp {
        conn,
        address,
        session_end: session_end.get(),
        learnt,
    })
}

/// Step 2: waits until the worker's SSH server greets, by `deadline`.
fn wait_for_ssh(
    name: &UnitName,
    target: &ssh::Target,
    total: Duration,
    deadline: Instant,
) -> Result<()> {
    let mut last_error;
    // Through a ProxyCommand the port is the proxy's business: never bypass it.
    while target.proxy_command.is_none() {
        // Each attempt connects within 2 s, then waits for the greeting until the deadline.
        let attempt = ADD_CONNECT_ATTEMPT.min(deadline.saturating_duration_since(Instant::now()));
        match ssh::await_greeting(target, attempt.max(Duration::from_millis(50)), deadline) {
            Ok(()) => break,
            Err(e) => last_error = e.to_string(),
        }
        if Instant::now() + Duration::from_millis(250) >= deadline {
            return Err(step_failed(
                2,
                "reach",
                format!(
                    "{name}'s SSH server did not answer within {:.0} s (tried {}:{}; last error: {last_error})",
                    total.as_secs_f64(),
                    target.address,
                    target.port
                ),
            )
            .with_hint(format!(
                "Usual causes: the name or address is wrong, {name} is not powered on or still booting, \
                 or it is not on this Wi-Fi network. --timeout waits longer."
            )));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Ok(())
}

/// A login to the worker being added: steps 3-8 end by `session_end`, which time spent at a
/// password prompt moves (it is the operator's, not the worker's).
struct Login<'a> {
    ctx: &'a Context,
    args: &'a AddArgs,
    target: &'a ssh::Target,
    session_end: std::cell::Cell<Instant>,
    progress: &'a Progress,
}

/// Step 3: logs in with this leader's key, else once with a password to install it.
fn log_in(login: &Login) -> Result<Connection> {
    let Login {
        ctx,
        target,
        session_end,
        progress,
        ..
    } = login;
    let name = &target.name;
    let conn = match Connection::open(target, UnknownHostKey::Store, None, session_end.get()) {
        Ok(c) => c,
        Err(SshError::AuthFailed { .. }) => {
            let key = login::leader_public_key(&ctx.home, &ctx.hostname)
                .map_err(|e| step_failed(3, "log in", e))?;
            let conn = log_in_with_password(login)?;
            login::install_key(&conn, &key, session_end.get())
                .map_err(|e| step_failed(3, "install key", e))?;
            progress.line(&format!(
                "{name}: installed this leader's SSH key (next time no password is needed)"
            ));
            conn
        }
        Err(e) => return Err(step_failed(3, "log in", e)),
    };
    if let Some(fp) = &conn.stored_host_key {
        progress.line(&format!(
            "{name}: new host key {fp}, stored in {}",
            target.known_hosts.display()
        ));
    }
    Ok(conn)
}

/// Step 4: a Pioreactor, named exactly so.
fn check_identity(
    conn: &Connection,
    name: &UnitName,
    address: &str,
    deadline: Instant,
) -> Result<()> {
    let is_pioreactor = conn
        .exec(commands::IS_PIOREACTOR, deadline)
        .map_err(|e| step_failed(4, "check", e))?;
    if !is_pioreactor.success() {
        return Err(step_failed(
            4,
            "check",
            format!("the machine at {address} has no ~/.pioreactor: it is not a Pioreactor (or not set up yet)"),
        )
        .with_hint("Flash the Pioreactor image on it, or check the address."));
    }
    let answered =
        run_checked(conn, commands::HOSTNAME, deadline).map_err(|e| step_failed(4, "check", e))?;
    if answered != name.as_str() {
        return Err(step_failed(
            4,
            "check",
            format!("the machine at {address} is named '{answered}', not '{name}'"),
        )
        .with_hint(format!(
            "Another machine answers at {address}. Give {name}'s own address with -a, or add it as `pio workers add {answered}`."
        )));
    }
    Ok(())
}

/// The most of stdin read for `--password-stdin`: a password is one line, not a stream.
const MAX_PASSWORD: u64 = 4096;

/// `--password-stdin`: the first line of stdin, at most [`MAX_PASSWORD`] bytes read whatever
/// stdin holds (`< /dev/zero` ends at once).
fn password_from_stdin() -> std::result::Result<String, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_PASSWORD + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let line = match bytes.iter().position(|b| *b == b'\n') {
        Some(end) => &bytes[..end],
        None if bytes.len() as u64 > MAX_PASSWORD => {
            return Err(format!(
                "the password on stdin is longer than {MAX_PASSWORD} bytes; give it as one line"
            ));
        }
        None => &bytes[..],
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8(line.to_vec()).map_err(|_| "the password on stdin is not UTF-8".to_string())
}

/// Logs in with `-p`/`--password`, else `--password-stdin`, else the image default, else (on a
/// terminal) a password asked for without echo.
fn log_in_with_password(login: &Login) -> Result<Connection> {
    let Login {
        ctx,
        args,
        target,
        session_end,
        progress,
    } = login;
    let deadline = || session_end.get();
    let failed = |e: SshError| {
        step_failed(3, "log in", e).with_hint(
            "The worker accepts neither this leader's key nor the password. Pass the right one with \
             --password-stdin.",
        )
    };
    let given = args.login.password.is_some() || args.login.password_stdin;
    let first = if let Some(pw) = &args.login.password {
        pw.clone()
    } else if args.login.password_stdin {
        password_from_stdin().map_err(|e| step_failed(3, "log in", e))?
    } else {
        IMAGE_DEFAULT_PASSWORD.to_string()
    };
    match Connection::open(target, UnknownHostKey::Store, Some(&first), deadline()) {
        Err(SshError::AuthFailed { .. })
            if !given && ctx.stdin_is_terminal && ctx.stderr_is_terminal =>
        {
            let asked = Instant::now();
            // The spinner stays off the line while the operator types.
            let pw = progress
                .suspend(|| {
                    output::prompt_secret(&format!(
                        "Password for {}@{}: ",
                        target.user, target.name
                    ))
                })
                .map_err(|e| step_failed(3, "log in", format!("cannot read the password: {e}")))?;
            session_end.set(session_end.get() + asked.elapsed());
            Connection::open(target, UnknownHostKey::Store, Some(&pw), deadline()).map_err(failed)
        }
        other => other.map_err(failed),
    }
}
