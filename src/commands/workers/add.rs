//! `pio workers add`: verified by default (find, reach, log in, check; then the inventory; then
//! config.ini, the clock and a reboot on the worker); `--offline` only registers it.

use std::io::Read;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::AddArgs;
use crate::cluster::{Change, Cluster, UnitName, parse_address, plan, yes_no};
use crate::commands::{Edit, current_files_for_unit, edit_config, report, unit_config_path};
use crate::config::store;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::api::{ApiWorker, LeaderApi};
use crate::inventory::{Era, Inventory, Source};
use crate::output::{self, Narrator, progress::Progress};
use crate::release::{Learnt, UnitConfig};
use crate::remote::Via;
use crate::remote::release::release_over;
use crate::remote::{Remote, commands, join, push_over};
use crate::transport::ssh::{self, Connection, SshError, UnknownHostKey};

use super::{api_failed, invalid_name};

/// The password a freshly flashed Pioreactor image accepts until a key is installed.
const IMAGE_DEFAULT_PASSWORD: &str = "raspberry";

/// The steps of a verified add, for progress and failure messages.
const STEPS: usize = 8;

/// The least time logging in, checking, copying, setting the clock and rebooting get once the
/// worker's SSH server greeted (a Pi Zero takes a few seconds for an SSH login): `add` ends
/// within `--timeout`, or this long after that greeting if that is later.
const SESSION_TIME: Duration = Duration::from_secs(15);

pub fn run(ctx: &Context, args: &AddArgs) -> Result<()> {
    let name = UnitName::parse(&args.hostname).map_err(invalid_name)?;
    let given = args
        .address
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
        .transpose()?;
    let dry_run = args.dry_run.dry_run;
    let narrator = Narrator::new(ctx);

    // Read once for the set-up; the inventory write reads config.ini again, under the lock.
    let inventory = crate::commands::open_inventory(ctx)?;
    let era = inventory.era();
    if args.model_name.is_some() && era == Era::Config {
        narrator.warn("the config.ini era keeps no worker models; --model-name is ignored");
    }
    if let (Source::Api { workers, .. }, Some(model), None) =
        (&inventory.source, &args.model_name, &args.model_version)
    {
        // The leader records a model change only as a name and a version.
        let unversioned = workers.iter().any(|w| {
            w.pioreactor_unit.eq_ignore_ascii_case(name.as_str())
                && w.model_name.as_deref() != Some(model.as_str())
                && w.model_version.is_none()
        });
        if unversioned {
            return Err(Error::usage(format!(
                "changing {name}'s model needs its version too"
            ))
            .with_hint(format!(
                "Add --model-version, e.g. `pio workers add {name} -m {model} --model-version 1.5`."
            )));
        }
    }
    let cluster = inventory.cluster(&ctx.hostname)?;
    // The leader as a worker of its own cluster: it is this machine, already set up.
    let is_leader = cluster.is_leader(name.as_str());
    if is_leader && !args.offline && !dry_run {
        narrator.say(&format!(
            "{name} is the leader: adding it as a worker needs no set-up over the network."
        ));
    }
    let verified = !(args.offline || dry_run || is_leader);
    let progress = Progress::spinner(ctx, &format!("adding {name}"));
    let set_up = if verified {
        Some(set_up_worker(
            ctx, args, &inventory, &cluster, &name, given, &progress,
        )?)
    } else {
        None
    };

    // 5. The inventory: config.ini's line, or the leader's database.
    progress.set_message(&format!("5/{STEPS} adding {name} to the inventory"));
    let edit = match &inventory.source {
        Source::ConfigIni => {
            let edit = edit_config(ctx, dry_run, |config| {
                let cluster = config.cluster(&ctx.hostname)?;
                Ok(plan::add(&cluster, &name, given, asked_state(args)))
            })?;
            if !dry_run && !is_leader {
                create_unit_config(ctx, &name, &progress)?;
            }
            edit
        }
        Source::Api { api, workers } => {
            let existing = workers
                .iter()
                .find(|w| w.pioreactor_unit.eq_ignore_ascii_case(name.as_str()));
            let mut changes = register(api, args, &name, existing, dry_run)?;
            // Only an address the operator gave is pinned: mDNS finds the rest each time.
            let edit = edit_config(ctx, dry_run, |config| {
                let old = config
                    .addresses()?
                    .into_iter()
                    .find(|(n, _)| crate::config::ini::key_eq(n, name.as_str()))
                    .map(|(_, a)| a.to_string());
                Ok(given
                    .map(|ip| ip.to_string())
                    .filter(|new| old.as_ref() != Some(new))
                    .map(|new| Change::SetAddress {
                        name: name.to_string(),
                        old,
                        new,
                    })
                    .into_iter()
                    .collect())
            })?;
            changes.extend(edit.changes);
            Edit { changes, ..edit }
        }
    };
    // A step of the verified add; alone (--offline, --dry-run) the report says what happened.
    if set_up.is_some() {
        progress.line(&format!("{name}: in the inventory"));
    }
    report(ctx, "workers add", era, dry_run, &edit)?;
    if dry_run && !args.offline && !is_leader {
        narrator.say(&add_plan(ctx, args, &inventory, &cluster, &name, given)?);
    }

    // 6-8. The worker gets the cluster's configuration, its clock, and a reboot.
    if let Some((conn, address, session_end, learnt)) = set_up {
        let after = |step: usize, what: &str, why: String| {
            Error::new(
                Kind::Failed,
                format!(
                    "step {step}/{STEPS} ({what}) failed: {why}. {name} is in the inventory; \
                     run the same `pio workers add` again to finish setting it up."
                ),
            )
        };
        let leader = crate::commands::leader_release(ctx);
        let release = match learnt.release() {
            Some(r) => r.clone(),
            None => crate::release::assumed(leader.as_ref(), era == Era::Api),
        };
        if let Some(w) = crate::commands::unknown_release(name.as_str(), &learnt, &release) {
            progress.line(&format!("warning: {w}"));
        }
        if let (Some(worker), Some(leader)) = (learnt.release(), &leader)
            && let Some(advice) = crate::release::mismatch_advice(worker, leader)
        {
            progress.line(&format!("warning: {name} {advice}"));
        }
        progress.set_message(&format!("6/{STEPS} copying config.ini to {name}"));
        // config.ini as it is now, with the new worker in it; its own settings only where its
        // release takes them from the leader.
        let files = current_files_for_unit(ctx, name.as_str(), learnt.release())?;
        let deadline = || session_end;
        push_over(&conn, &files, deadline()).map_err(|e| after(6, "copy config.ini", e))?;
        let copied: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        progress.line(&format!("{name}: copied {}", copied.join(" and ")));
        if release.needs().unit_config == UnitConfig::OwnedByUnit {
            progress.line(&format!(
                "{name}: runs {release}, which owns its unit_config.ini: not sent"
            ));
        }

        progress.set_message(&format!("7/{STEPS} setting {name}'s clock"));
        let leader_address = leader_address(&inventory, ctx)?;
        let said = join::join(
            &conn,
            &release.needs(),
            &leader_address,
            model_of(args),
            deadline(),
        )
        .map_err(|e| after(7, "join (clock and time source)", e))?;
        progress.line(&format!("{name}: {said}"));

        if args.no_reboot {
            progress.finish();
            narrator.say(&format!(
                "{name} at {address} is set up; not rebooted (--no-reboot). It applies the new configuration when it next boots."
            ));
            return Ok(());
        }
        progress.set_message(&format!("8/{STEPS} rebooting {name}"));
        conn.exec(commands::REBOOT, deadline())
            .map_err(|e| e.to_string())
            .and_then(|out| {
                if out.success() {
                    Ok(())
                } else {
                    Err(format!(
                        "`{}` failed: {}",
                        commands::REBOOT,
                        out.stderr.trim()
                    ))
                }
            })
            .map_err(|e| after(8, "reboot", e))?;
        progress.finish();
        narrator.say(&format!(
            "{name} at {address} is set up and rebooting; it joins the cluster when it is back."
        ));
        return Ok(());
    }
    progress.finish();
    if edit.changes.is_empty() && !ctx.json {
        let state = cluster.worker(name.as_str()).is_none_or(|w| w.active);
        narrator.say(&format!(
            "{name} is already in the inventory as {}; nothing changed.",
            yes_no(state)
        ));
    }
    Ok(())
}

/// The database era's registration: `PUT /api/workers` for a new worker (then its active state),
/// or only what differs for one already there (re-registering would reset it).
fn register(
    api: &LeaderApi,
    args: &AddArgs,
    name: &UnitName,
    existing: Option<&ApiWorker>,
    dry_run: bool,
) -> Result<Vec<Change>> {
    let asked = asked_state(args);
    let model = args.model_name.as_deref();
    let version = args.model_version.as_deref();
    let mut changes = Vec::new();
    match existing {
        None => {
            let active = asked.unwrap_or(true);
            if !dry_run {
                api.register(name.as_str(), model, version)
                    .map_err(api_failed)?;
                if !active {
                    api.set_active(name.as_str(), false).map_err(api_failed)?;
                }
            }
            changes.push(Change::AddWorker {
                name: name.to_string(),
                active,
            });
        }
        Some(w) => {
            let unit = &w.pioreactor_unit;
            if let Some(m) = model
                && (w.model_name.as_deref() != Some(m)
                    || version.is_some() && w.model_version.as_deref() != version)
            {
                let v = version.or(w.model_version.as_deref()).unwrap_or_default();
                if !dry_run {
                    api.set_model(unit, m, v).map_err(api_failed)?;
                }
                changes.push(Change::SetModel {
                    name: unit.clone(),
                    model_name: m.to_string(),
                    model_version: v.to_string(),
                });
            }
            if let Some(active) = asked.filter(|a| *a != w.is_active) {
                if !dry_run {
                    api.set_active(unit, active).map_err(api_failed)?;
                }
                changes.push(Change::SetActive {
                    name: unit.clone(),
                    active,
                });
            }
        }
    }
    Ok(changes)
}

/// `config_<name>.ini` beside config.ini, created empty but for a comment when missing, as the
/// config.ini era's `add-pioreactor` did: the worker's own settings live there.
fn create_unit_config(ctx: &Context, name: &UnitName, progress: &Progress) -> Result<()> {
    let path = unit_config_path(ctx, name.as_str());
    let text = format!(
        "# Settings for {name} only: they override config.ini there (pio copies this file to {name} as unit_config.ini).\n"
    );
    if store::create_if_missing(&path, &text)? {
        progress.line(&format!("created {}", path.display()));
    }
    Ok(())
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
    cluster: &Cluster,
    name: &UnitName,
    given: Option<Ipv4Addr>,
) -> Result<String> {
    let remote = Remote::new(ctx, &inventory.config, Via::Ssh, Duration::from_secs(1))?;
    let (address, source) = match given {
        Some(a) => (a.to_string(), "from -a".to_string()),
        None => {
            let reach = cluster.reach(name.as_str());
            (reach.host(name.as_str()), reach.describe(name.as_str()))
        }
    };
    let t = remote.ssh_target(name.as_str(), &address);
    let register = match inventory.era() {
        Era::Config => "add its line to config.ini (and create config_<name>.ini if missing)",
        Era::Api => "register it with the leader's database (PUT /api/workers)",
    };
    let leader_address = leader_address(inventory, ctx)?;
    let by_release = |release: &str| {
        let release = crate::release::Release::parse(release).expect("a release");
        let needs = release.needs();
        let copy = match needs.unit_config {
            UnitConfig::FromLeader => "config.ini and config_<name>.ini (as unit_config.ini)",
            UnitConfig::OwnedByUnit => "config.ini (it owns its unit_config.ini)",
        };
        format!(
            "copy {copy}; {}",
            join::join_plan(&needs, &leader_address, model_of(args))
        )
    };
    let (copy, clock) = (
        "by its release (`pio version`)",
        format!(
            "\n       26.11 and later: {}\n       26.4 to 26.10: {}\n       24.5.1 to 26.3: {}\n       before 24.5.1: {}",
            by_release("26.11.0"),
            by_release("26.4.0"),
            by_release("24.5.1"),
            by_release("24.5.0"),
        ),
    );
    Ok(format!(
        "Dry run: a verified add would\n\
         \x20 1. use the address {address} ({source})\n\
         \x20 2. wait for SSH at {}:{}\n\
         \x20 3. log in as {} with this leader's key, else once by password, and install the key\n\
         \x20 4. run `{}` and `{}` (expecting exactly '{name}')\n\
         \x20 5. {register} (nothing was changed)\n\
         \x20 6-7. give it config files and the leader's time {copy}:{clock}\n\
         \x20 8. {}",
        t.address,
        t.port,
        t.user,
        commands::IS_PIOREACTOR,
        commands::HOSTNAME,
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

/// Steps 1-4 of a verified add: find the worker, reach it, log in, check it. Returns the open
/// connection and its address.
fn set_up_worker(
    ctx: &Context,
    args: &AddArgs,
    inventory: &Inventory,
    cluster: &Cluster,
    name: &UnitName,
    given: Option<Ipv4Addr>,
    progress: &Progress,
) -> Result<(Connection, String, Instant, Learnt)> {
    let total = Duration::from_secs_f64(args.timeout);
    // The clock starts before the address is looked up: finding the worker is part of --timeout.
    let deadline = Instant::now() + total;
    let mut remote = Remote::new(ctx, &inventory.config, Via::Ssh, total)?;
    if let Some(a) = given {
        // A unit added with -a is reached, and its host key filed, by that address.
        remote = remote.with_address(name.as_str(), &a.to_string());
    }

    // 1. The address.
    progress.set_message(&format!("1/{STEPS} finding {name}"));
    let address = match given {
        Some(a) => a.to_string(),
        None => remote
            .until(deadline)
            .address(cluster, name.as_str())
            .map_err(|e| {
                step_failed(1, "address", e).with_hint(format!(
                "Check that {name} is powered on and on this network, or give its address with -a."
            ))
            })?,
    };
    progress.line(&format!("{name}: address {address}"));

    // 2. Wait until its SSH server greets.
    let target = remote.ssh_target(name.as_str(), &address);
    progress.set_message(&format!(
        "2/{STEPS} waiting for {name} at {}:{}",
        target.address, target.port
    ));
    let mut last_error;
    // Through a ProxyCommand the port is the proxy's business: never bypass it.
    while target.proxy_command.is_none() {
        // Each attempt connects within 2 s, then waits for the greeting until the deadline.
        let attempt =
            Duration::from_secs(2).min(deadline.saturating_duration_since(Instant::now()));
        match ssh::await_greeting(&target, attempt.max(Duration::from_millis(50)), deadline) {
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

    // 3. Log in with this leader's key, else once with a password to install it.
    progress.set_message(&format!("3/{STEPS} logging in to {name}"));
    // Steps 3-8 end by --timeout, or SESSION_TIME after the worker answered if that is later.
    // Time spent at a password prompt is the operator's, not the worker's: it moves the end.
    let session_end = std::cell::Cell::new(deadline.max(Instant::now() + SESSION_TIME));
    let session_deadline = || session_end.get();
    let conn = match Connection::open(&target, UnknownHostKey::Store, None, session_deadline()) {
        Ok(c) => c,
        Err(SshError::AuthFailed { .. }) => {
            let key = leader_public_key(ctx).map_err(|e| step_failed(3, "log in", e))?;
            let conn = log_in_with_password(ctx, args, &target, &session_end, progress)?;
            install_key(&conn, &key, session_deadline())
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

    // 4. A Pioreactor, named exactly so.
    progress.set_message(&format!("4/{STEPS} checking {name}"));
    let is_pioreactor = conn
        .exec(commands::IS_PIOREACTOR, session_deadline())
        .map_err(|e| step_failed(4, "check", e))?;
    if !is_pioreactor.success() {
        return Err(step_failed(
            4,
            "check",
            format!("the machine at {address} has no ~/.pioreactor: it is not a Pioreactor (or not set up yet)"),
        )
        .with_hint("Flash the Pioreactor image on it, or check the address."));
    }
    let hostname = conn
        .exec(commands::HOSTNAME, session_deadline())
        .map_err(|e| step_failed(4, "check", e))?;
    let answered = hostname.stdout.trim();
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
    // Its release decides what it is given and how it joins.
    let learnt = release_over(&conn, session_deadline());
    Ok((conn, address, session_end.get(), learnt))
}

/// Logs in with `-p`/`--password`, else `--password-stdin`, else the image default, else (on a
/// terminal) a password asked for without echo.
fn log_in_with_password(
    ctx: &Context,
    args: &AddArgs,
    target: &ssh::Target,
    session_end: &std::cell::Cell<Instant>,
    progress: &Progress,
) -> Result<Connection> {
    let deadline = || session_end.get();
    let failed = |e: SshError| {
        step_failed(3, "log in", e).with_hint(
            "The worker accepts neither this leader's key nor the password. Pass the right one with \
             --password-stdin.",
        )
    };
    let given = args.password.is_some() || args.password_stdin;
    let first = if let Some(pw) = &args.password {
        pw.clone()
    } else if args.password_stdin {
        let mut pw = String::new();
        std::io::stdin().read_to_string(&mut pw).map_err(|e| {
            step_failed(
                3,
                "log in",
                format!("cannot read the password from stdin: {e}"),
            )
        })?;
        pw.trim_end_matches(['\n', '\r']).to_string()
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

/// This leader's public key, creating the key pair (ed25519, empty passphrase) if there is none.
fn leader_public_key(ctx: &Context) -> std::result::Result<String, String> {
    let ssh_dir = ctx.home.join(".ssh");
    for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
        if let Ok(k) = std::fs::read_to_string(ssh_dir.join(format!("{name}.pub"))) {
            return Ok(k.trim().to_string());
        }
    }
    std::fs::create_dir_all(&ssh_dir)
        .map_err(|e| format!("cannot create {}: {e}", ssh_dir.display()))?;
    let key = ssh_dir.join("id_ed25519");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("pioreactor@{}", ctx.hostname))
        .arg("-f")
        .arg(&key)
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run ssh-keygen to create this leader's key: {e}"))?;
    if !status.success() {
        return Err(format!("ssh-keygen could not create {}", key.display()));
    }
    std::fs::read_to_string(key.with_extension("pub"))
        .map(|k| k.trim().to_string())
        .map_err(|e| format!("cannot read the new key: {e}"))
}

/// Appends `key` to the worker's `~/.ssh/authorized_keys` unless it is there already.
fn install_key(
    conn: &Connection,
    key: &str,
    deadline: Instant,
) -> std::result::Result<(), SshError> {
    let path = Path::new(".ssh/authorized_keys");
    let existing = conn.read_file(path, deadline)?.unwrap_or_default();
    let existing = String::from_utf8_lossy(&existing);
    if existing.lines().any(|l| l.trim() == key) {
        return Ok(());
    }
    let mut text = existing.into_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(key);
    text.push('\n');
    conn.write_file_atomic(path, text.as_bytes(), 0o600, 0o700, deadline)
}
