//! `pio workers add`: verified by default (find, reach, log in, check, copy config.ini, then
//! write the inventory); `--offline` edits config.ini only.

use std::io::Read;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::{AddArgs, Via};
use crate::cluster::{Cluster, UnitName, parse_address, plan, yes_no};
use crate::commands::remote::{Remote, commands};
use crate::commands::{edit_inventory, read_config};
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::output::{self, Narrator, progress::Progress};
use crate::transport::ssh::{self, Connection, SshError, UnknownHostKey};

use super::invalid_name;

/// The password a freshly flashed Pioreactor image accepts until a key is installed.
const IMAGE_DEFAULT_PASSWORD: &str = "raspberry";

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
    let active = !args.inactive;
    let dry_run = args.dry_run.dry_run;
    let narrator = Narrator::new(ctx);

    // Read once for the set-up; the inventory write below reads again, under the lock.
    let config = read_config(ctx)?;
    let cluster = config.cluster(&ctx.hostname)?;
    // The leader as a worker of its own cluster: it is this machine, already set up.
    let is_leader = cluster.is_leader(name.as_str());
    if is_leader && !args.offline && !dry_run {
        narrator.say(&format!(
            "{name} is the leader: adding it as a worker needs no set-up over the network."
        ));
    }
    let address = if args.offline || dry_run || is_leader {
        given
    } else {
        Some(set_up_worker(ctx, args, &config, &cluster, &name, given)?)
    };
    // Write the address when the operator gave it or mDNS found it; a static one already in
    // config.ini stays as it is.
    let changes = edit_inventory(ctx, "workers add", dry_run, |cluster| {
        let write_address = match (given, cluster.address_of(name.as_str())) {
            (Some(a), _) => Some(a),
            (None, Some(_)) => None,
            (None, None) => address, // found by mDNS
        };
        Ok(plan::add(cluster, &name, write_address, active))
    })?;
    if dry_run && !args.offline {
        narrator.say(&add_plan(ctx, &config, &cluster, &name, given)?);
    }
    if changes.is_empty() && !ctx.json {
        let at = address.map(|a| format!(" at {a}")).unwrap_or_default();
        narrator.say(&format!(
            "{name} is already in the inventory as {}{at}; nothing changed.",
            yes_no(active)
        ));
    }
    Ok(())
}

/// The steps a verified add would take, for `--dry-run`.
fn add_plan(
    ctx: &Context,
    config: &Config,
    cluster: &Cluster,
    name: &UnitName,
    given: Option<Ipv4Addr>,
) -> Result<String> {
    let remote = Remote::new(ctx, config, Via::Ssh, Duration::from_secs(1))?;
    let (address, source) = match (given, cluster.address_of(name.as_str())) {
        (Some(a), _) => (a.to_string(), "from -a".to_string()),
        (None, Some(a)) => (a.to_string(), "from [cluster.addresses]".to_string()),
        (None, None) => (format!("{name}.local"), "looked up by mDNS".to_string()),
    };
    let t = remote.ssh_target(name.as_str(), &address);
    Ok(format!(
        "Dry run: a verified add would\n\
         \x20 1. use the address {address} ({source})\n\
         \x20 2. wait for SSH at {}:{}\n\
         \x20 3. log in as {} with this leader's key, else once by password, and install the key\n\
         \x20 4. run `{}` and `{}` (expecting exactly '{name}')\n\
         \x20 5. copy {} to ~/.pioreactor/config.ini over SFTP\n\
         \x20 6. change config.ini as the diff shows (nothing was written)",
        t.address,
        t.port,
        t.user,
        commands::IS_PIOREACTOR,
        commands::HOSTNAME,
        ctx.config_path.display()
    ))
}

/// A failed step: which one, why, and that config.ini was not touched.
fn step_failed(step: usize, what: &str, why: impl std::fmt::Display) -> Error {
    Error::new(
        Kind::Failed,
        format!("step {step}/6 ({what}) failed: {why}. config.ini was not changed."),
    )
}

/// Steps 1-5 of a verified add. Returns the worker's address.
fn set_up_worker(
    ctx: &Context,
    args: &AddArgs,
    config: &Config,
    cluster: &Cluster,
    name: &UnitName,
    given: Option<Ipv4Addr>,
) -> Result<Ipv4Addr> {
    let total = Duration::from_secs_f64(args.timeout);
    let remote = Remote::new(ctx, config, Via::Ssh, total)?;
    let progress = Progress::spinner(ctx, &format!("adding {name}"));

    // 1. The address.
    progress.set_message(&format!("1/6 finding {name}"));
    let address = match given {
        Some(a) => a,
        None => match cluster.address_of(name.as_str()) {
            Some(a) => parse_address(a).map_err(|e| {
                step_failed(1, "address", format!("[cluster.addresses] {name} = {a}: {e}"))
            })?,
            None => remote.resolve_mdns(name.as_str()).map_err(|e| {
                step_failed(1, "address", e).with_hint(format!(
                    "Check that {name} is powered on and on this network, or give its address with -a."
                ))
            })?,
        },
    };
    progress.line(&format!("{name}: address {address}"));

    // 2. Wait until its SSH port accepts.
    let target = remote.ssh_target(name.as_str(), &address.to_string());
    progress.set_message(&format!(
        "2/6 waiting for {name} at {}:{}",
        target.address, target.port
    ));
    let start = Instant::now();
    let deadline = start + total;
    let mut last_error;
    loop {
        let attempt =
            Duration::from_secs(2).min(deadline.saturating_duration_since(Instant::now()));
        match ssh::tcp_connect(&target, attempt.max(Duration::from_millis(50))) {
            Ok(_) => break,
            Err(e) => last_error = e.to_string(),
        }
        if Instant::now() + Duration::from_millis(250) >= deadline {
            return Err(step_failed(
                2,
                "reach",
                format!(
                    "{name} not found on the network after {:.0} s (tried {}:{}; last error: {last_error})",
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
    progress.set_message(&format!("3/6 logging in to {name}"));
    let session_deadline = || Instant::now() + Duration::from_secs(30).max(total);
    let conn = match Connection::open(&target, UnknownHostKey::Store, None, session_deadline()) {
        Ok(c) => c,
        Err(SshError::AuthFailed { .. }) => {
            let key = leader_public_key(ctx).map_err(|e| step_failed(3, "log in", e))?;
            let conn = log_in_with_password(ctx, args, &target, session_deadline)?;
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
    progress.set_message(&format!("4/6 checking {name}"));
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

    // 5. The leader's config.ini on the worker, replaced atomically.
    progress.set_message(&format!("5/6 copying config.ini to {name}"));
    // The text as read (the fresh default when this leader has no file yet).
    conn.write_file_atomic(
        Path::new(".pioreactor/config.ini"),
        config.render().as_bytes(),
        0o644,
        0o755,
        session_deadline(),
    )
    .map_err(|e| step_failed(5, "copy config.ini", e))?;
    progress.line(&format!("{name}: config.ini copied"));
    progress.set_message("6/6 writing the inventory");
    Ok(address)
}

/// Logs in with `-p`/`--password`, else `--password-stdin`, else the image default, else (on a
/// terminal) a password asked for without echo.
fn log_in_with_password(
    ctx: &Context,
    args: &AddArgs,
    target: &ssh::Target,
    deadline: impl Fn() -> Instant,
) -> Result<Connection> {
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
            let pw = output::prompt_secret(&format!(
                "Password for {}@{}: ",
                target.user, target.name
            ))
            .map_err(|e| step_failed(3, "log in", format!("cannot read the password: {e}")))?;
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
