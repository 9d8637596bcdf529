//! `pio doctor`: the cluster problems operators get stuck on, each named with what was seen and
//! the exact command or edit that fixes it.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::cli::DoctorArgs;
use crate::cluster::Cluster;
use crate::cluster::name::same;
use crate::commands::{read_config, stdout_error};
use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::inventory::Inventory;
use crate::output::schema::{Check, Verdict};
use crate::output::{self, progress::Progress, table};
use crate::remote::Via;
use crate::remote::{Remote, commands, paths, select_units};
use crate::transport::http::HttpError;
use crate::transport::ssh::{Connection, SshError};
use crate::transport::{fanout, gpio};

/// Clocks further apart than this get a warning, and past `CLOCK_FAIL` a failure.
const CLOCK_WARN: f64 = 2.0;
const CLOCK_FAIL: f64 = 60.0;

fn check(
    unit: &str,
    name: &'static str,
    verdict: Verdict,
    detail: String,
    fix: Option<String>,
) -> Check {
    Check {
        unit: unit.to_string(),
        check: name,
        verdict,
        detail,
        fix,
    }
}

pub fn run(ctx: &Context, args: &DoctorArgs) -> Result<()> {
    let mut checks = Vec::new();
    // This unit: its config.ini, its name, the inventory, its key pair, its LED.
    let Some(config) = config_check(ctx, &mut checks) else {
        return finish(ctx, args, &checks);
    };
    if let Ok((leader, _)) = config.leader(&ctx.hostname) {
        checks.push(leader_name(ctx, &config, leader));
    }
    let led = led(ctx, &config);
    let inventory = inventory_check(ctx, config, &mut checks);
    checks.push(key_pair(ctx));
    if let Some(led) = led {
        checks.push(check(&ctx.hostname, "led", led.0, led.1, led.2));
    }
    if let Some(inventory) = &inventory {
        checks.extend(unit_checks(ctx, args, inventory)?);
    }
    finish(ctx, args, &checks)
}

/// config.ini, read once: valid means every address it gives is one pio may use (checked
/// before any unit is asked).
fn config_check(ctx: &Context, checks: &mut Vec<Check>) -> Option<Config> {
    let here = &ctx.hostname;
    let read = read_config(ctx).and_then(|c| {
        c.leader(&ctx.hostname)?;
        c.addresses()?;
        Ok(c)
    });
    match read {
        Ok(c) => {
            let detail = if c.exists {
                format!(
                    "{} (from {}), valid",
                    ctx.config_path.display(),
                    ctx.config_source
                )
            } else {
                format!("no {}: a single-unit cluster", ctx.config_path.display())
            };
            checks.push(check(here, "config.ini", Verdict::Ok, detail, None));
            Some(c)
        }
        Err(e) => {
            checks.push(check(here, "config.ini", Verdict::Fail, e.message, e.hint));
            None
        }
    }
}

/// The inventory, with every name in it checked, before any unit is contacted.
fn inventory_check(ctx: &Context, config: Config, checks: &mut Vec<Check>) -> Option<Inventory> {
    let here = &ctx.hostname;
    let opened = crate::commands::inventory_of(ctx, config)
        .and_then(|inv| inv.cluster(&ctx.hostname).map(drop).map(|()| inv));
    match opened {
        Ok(inv) => {
            let detail = format!("{}: {}", inv.place(), inv.why);
            checks.push(check(here, "inventory", Verdict::Ok, detail, None));
            Some(inv)
        }
        Err(e) => {
            checks.push(check(here, "inventory", Verdict::Fail, e.message, e.hint));
            None
        }
    }
}

/// Every unit, in parallel: a slow one never holds up the others.
fn unit_checks(ctx: &Context, args: &DoctorArgs, inventory: &Inventory) -> Result<Vec<Check>> {
    let timeout = Duration::from_secs_f64(args.timeout);
    let cluster = inventory.cluster(&ctx.hostname)?;
    let units: Vec<String> = if args.units.is_empty() {
        cluster.workers.iter().map(|w| w.name.to_string()).collect()
    } else {
        select_units(&cluster, &args.units)?
    };
    let remote = crate::commands::remote(ctx, &inventory.config, Via::Auto, timeout)?;
    let (_, port) = inventory.config.web_api()?;
    let leader_version =
        crate::inventory::python_stack_version(&crate::inventory::site_packages(ctx))
            .map(|(v, _)| v);
    let copies_inventory = inventory.units_keep_a_copy();
    let progress = Progress::bar(ctx, units.len(), "checking");
    let per_unit = fanout::run(
        &units,
        usize::from(args.fanout),
        |u| {
            let probe = UnitProbe {
                ctx,
                deadline: Instant::now() + timeout,
                remote: &remote,
                cluster: &cluster,
                unit: u,
                port,
                leader_version: leader_version.as_deref(),
                copies_inventory,
            };
            probe.run()
        },
        |_, _| progress.inc(),
    );
    progress.finish();
    Ok(per_unit.into_iter().flatten().collect())
}

/// Prints the report; the exit code follows the worst verdict.
fn finish(ctx: &Context, args: &DoctorArgs, checks: &[Check]) -> Result<()> {
    if ctx.json {
        output::json_data(&checks).map_err(stdout_error)?;
    } else {
        let cells: Vec<[String; 4]> = checks
            .iter()
            .map(|c| {
                [
                    c.unit.clone(),
                    c.check.to_string(),
                    c.verdict.as_str().to_string(),
                    c.detail.clone(),
                ]
            })
            .collect();
        let style = table::Style {
            boxed: ctx.stdout_is_terminal,
            color: ctx.color,
        };
        output::data_with(|out| {
            table::generic(&["unit", "check", "verdict", "detail"], &cells, style, out)?;
            for c in checks.iter().filter(|c| c.verdict != Verdict::Ok) {
                if let Some(fix) = &c.fix {
                    let fix = output::escape_controls(fix);
                    writeln!(out, "fix {} {}: {fix}", c.unit, c.check)?;
                }
            }
            Ok(())
        })
        .map_err(stdout_error)?;
    }
    let worst = checks
        .iter()
        .map(|c| c.verdict)
        .max()
        .unwrap_or(Verdict::Ok);
    let failed = worst == Verdict::Fail || (args.strict && worst == Verdict::Warn);
    if failed {
        let count = |v| checks.iter().filter(|c| c.verdict == v).count();
        if !ctx.quiet && !ctx.json {
            eprintln!(
                "doctor: {} failed, {}, {} ok",
                count(Verdict::Fail),
                crate::output::count(count(Verdict::Warn), "warning"),
                count(Verdict::Ok)
            );
        }
        return Err(Error::reported(Kind::Failed));
    }
    Ok(())
}

/// This unit's hostname against `leader_hostname`.
fn leader_name(ctx: &Context, config: &Config, leader: &str) -> Check {
    let here = &ctx.hostname;
    if same(leader, here) {
        return check(
            here,
            "leader name",
            Verdict::Ok,
            format!("this unit is {leader}, the leader"),
            None,
        );
    }
    check(
        here,
        "leader name",
        Verdict::Fail,
        format!("this unit is named '{here}', but leader_hostname in config.ini is '{leader}'"),
        Some(format!(
            "If this unit is the leader, set leader_hostname={here} in [cluster.topology] of {} and copy \
             it to the workers (`pio workers sync-configs --all`); or give it its old name back: \
             `sudo hostnamectl set-hostname {leader}`.",
            config.path.display()
        )),
    )
}

/// This leader's SSH key pair, which every worker must accept.
fn key_pair(ctx: &Context) -> Check {
    let ssh = ctx.home.join(".ssh");
    let found = ["id_ed25519", "id_ecdsa", "id_rsa"]
        .iter()
        .map(|k| ssh.join(k))
        .find(|k| k.exists() && k.with_extension("pub").exists());
    match found {
        Some(k) => check(
            &ctx.hostname,
            "ssh key",
            Verdict::Ok,
            format!("{} and .pub", k.display()),
            None,
        ),
        None => check(
            &ctx.hostname,
            "ssh key",
            Verdict::Warn,
            format!(
                "no key pair in {}: workers cannot be reached without a password",
                ssh.display()
            ),
            Some(format!(
                "ssh-keygen -t ed25519 -N '' -f {} (`pio workers add` installs it on each worker)",
                ssh.join("id_ed25519").display()
            )),
        ),
    }
}

/// The HAT's LED pin, on a Raspberry Pi only.
fn led(ctx: &Context, config: &Config) -> Option<(Verdict, String, Option<String>)> {
    let model = std::fs::read_to_string("/proc/device-tree/model").unwrap_or_default();
    if !model.contains("Raspberry Pi") {
        return None;
    }
    let pin = match crate::commands::local_led_pin(ctx, config) {
        Ok(p) => p.bcm,
        Err(e) => return Some((Verdict::Fail, e.message, e.hint)),
    };
    Some(match gpio::pin_available(pin) {
        Ok(_) => (Verdict::Ok, format!("BCM GPIO {pin} available"), None),
        Err(e) => (
            Verdict::Fail,
            format!("BCM GPIO {pin}: {e}"),
            Some(
                "Check the user is in the gpio group (`groups`), and [identify] led_bcm_pin."
                    .into(),
            ),
        ),
    })
}

/// The checks of one unit, each bounded by the unit timeout.
struct UnitProbe<'a> {
    ctx: &'a Context,
    remote: &'a Remote<'a>,
    cluster: &'a Cluster<'a>,
    unit: &'a str,
    port: u16,
    leader_version: Option<&'a str>,
    /// Whether the unit reads the inventory from its own copy of config.ini.
    copies_inventory: bool,
    /// Every check of this unit ends by then: one timeout for the unit, whatever it does.
    deadline: Instant,
}

impl UnitProbe<'_> {
    fn add(
        &self,
        out: &mut Vec<Check>,
        name: &'static str,
        verdict: Verdict,
        detail: String,
        fix: Option<String>,
    ) {
        out.push(check(self.unit, name, verdict, detail, fix));
    }

    /// The remote with its timeouts cut to what is left of this unit's time.
    fn remote(&self) -> Remote<'_> {
        self.remote
            .bounded(self.deadline.saturating_duration_since(Instant::now()))
    }

    fn run(&self) -> Vec<Check> {
        let mut out = Vec::new();
        let u = self.unit;
        // The name resolves: a static address, the leader's address, or mDNS.
        let start = Instant::now();
        let address = match self.remote().address(self.cluster, u) {
            Ok(a) => a,
            Err(e) => {
                self.add(
                    &mut out,
                    "address",
                    Verdict::Fail,
                    format!("{e} (after {} ms)", start.elapsed().as_millis()),
                    Some(format!(
                        "Check {u} is on and on this network. Where the router blocks mDNS (multicast), \
                         give it a static address: `pio workers add {u} -a <its IPv4> --offline`."
                    )),
                );
                return out;
            }
        };
        let how = self.cluster.reach(u).describe(u);
        self.add(
            &mut out,
            "address",
            Verdict::Ok,
            format!("{address} ({how}, {} ms)", start.elapsed().as_millis()),
            None,
        );

        // SSH and the web API side by side: a unit's time is spent once.
        let mut web_out = Vec::new();
        let (conn, web) = std::thread::scope(|s| {
            let web = s.spawn(|| self.web(&mut web_out, &address));
            let conn = self.ssh(&mut out, &address);
            (conn, web.join().unwrap_or(None))
        });
        out.append(&mut web_out);
        self.release(&mut out, conn.as_ref());
        self.clock(&mut out, &address, conn.as_ref(), web.as_ref());
        if let Some(conn) = &conn
            && self.copies_inventory
        {
            self.own_inventory(&mut out, conn);
        }
        out
    }

    /// SSH: reachable, host key known and matching, this leader's key accepted, the right name.
    fn ssh(&self, out: &mut Vec<Check>, address: &str) -> Option<Connection> {
        let u = self.unit;
        let target = self.remote.ssh_target(u, address);
        let at = format!("{}@{}:{}", target.user, target.address, target.port);
        let conn = match self.remote().ssh(u, address) {
            Ok(c) => c,
            Err(e) => {
                let (detail, fix) = self.ssh_failure(&e, &target, &at, address);
                self.add(out, "ssh", Verdict::Fail, detail, Some(fix));
                return None;
            }
        };
        self.add(
            out,
            "ssh",
            Verdict::Ok,
            format!("{at}: host key known, key accepted"),
            None,
        );
        match crate::remote::run_checked(&conn, commands::HOSTNAME, self.deadline) {
            Ok(name) if same(&name, u) => {
                self.add(out, "hostname", Verdict::Ok, format!("answers as {u}"), None)
            }
            Ok(name) => self.add(
                out,
                "hostname",
                Verdict::Fail,
                format!("the machine at {address} answers as '{name}', not '{u}'"),
                Some(format!(
                    "Another machine has {u}'s address: correct [cluster.addresses] {u} in config.ini, or rename that machine."
                )),
            ),
            Err(e) => self.add(out, "hostname", Verdict::Fail, e, None),
        }
        Some(conn)
    }

    /// What an SSH failure means, and what fixes it.
    fn ssh_failure(
        &self,
        e: &SshError,
        target: &crate::transport::ssh::Target,
        at: &str,
        address: &str,
    ) -> (String, String) {
        let u = self.unit;
        match e {
            SshError::Unreachable(_) | SshError::Timeout(_) => (
                format!("{at}: {e}"),
                format!(
                    "Check {u} is powered on and its SSH server runs; `ping {}`.",
                    target.address
                ),
            ),
            SshError::UnknownHostKey { fingerprint, .. } => (
                format!("{at}: host key {fingerprint} is not in known_hosts"),
                format!(
                    "Check {fingerprint} is {u}'s key (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on it), then `pio workers add {u} --no-reboot` trusts it."
                ),
            ),
            SshError::ChangedHostKey {
                presented, stored, ..
            } => {
                let removals: Vec<String> = self
                    .remote
                    .known_host_patterns(u, &[address, &target.address])
                    .iter()
                    .map(|p| format!("ssh-keygen -R '{p}'"))
                    .collect();
                (
                    format!(
                        "{at}: HOST KEY CHANGED: it presents {presented}, known_hosts holds {}",
                        stored.join(", ")
                    ),
                    format!(
                        "If {u} was re-flashed, forget its old key and add it again: {}; then `pio workers add {u} --no-reboot`.",
                        removals.join("; ")
                    ),
                )
            }
            SshError::AuthFailed { .. } => (
                format!("{at}: this leader's key is not accepted (it asks for a password)"),
                format!(
                    "Install this leader's key on it: `pio workers add {u} --no-reboot` (asks for the password once), or `ssh-copy-id -p {} {}@{}`.",
                    target.port, target.user, target.address
                ),
            ),
            SshError::RevokedHostKey { .. } => (
                format!("{at}: {e}"),
                format!(
                    "A revoked key means a machine that must not be trusted answers as {u}: find out why before going on."
                ),
            ),
            SshError::Protocol(_) => (
                format!("{at}: {e}"),
                format!("Try `ssh {}@{}` by hand.", target.user, target.address),
            ),
        }
    }

    /// The web API on the `[ui]` port, and its software version against the leader's.
    fn web(&self, out: &mut Vec<Check>, address: &str) -> Option<crate::transport::http::Health> {
        let u = self.unit;
        let web = self.remote().web(address);
        let url = web.url("/unit_api/health");
        let health = match web.health() {
            Ok(h) => Some(h),
            Err(HttpError::Status { status: 404, .. }) => None, // older images: no health endpoint
            Err(e) => {
                self.add(
                    out,
                    "web api",
                    Verdict::Fail,
                    e.to_string(),
                    Some(format!(
                        "This leader expects the web API on port {} ([ui] port in {}). Check the unit's web \
                         server (`sudo systemctl status lighttpd` on {u}) and that its config.ini has the same [ui] port \
                         (`pio workers sync-configs {u}`).",
                        self.port,
                        self.ctx.config_path.display()
                    )),
                );
                return None;
            }
        };
        if let Some(name) = health.as_ref().and_then(|h| h.unit.as_deref())
            && !same(name, u)
        {
            self.add(
                out,
                "web api",
                Verdict::Fail,
                format!("{url} answers as '{name}', not '{u}'"),
                Some(format!(
                    "Another machine has {u}'s address: correct [cluster.addresses] {u}."
                )),
            );
            return None;
        }
        self.add(
            out,
            "web api",
            Verdict::Ok,
            format!("answers at {}", web.url("")),
            None,
        );
        if let Ok(v) = web.app_version()
            && let Some(release) = crate::release::Release::parse(&v)
        {
            self.remote
                .remember_release(u, &crate::release::Learnt::Known(release));
        }
        health
    }

    /// The unit's release (from its web API, else `pio version` on the SSH connection) against
    /// the leader's: a mixed cluster is updated workers first, then the leader.
    fn release(&self, out: &mut Vec<Check>, conn: Option<&Connection>) {
        let u = self.unit;
        let learnt = match (self.remote.known_release(u), conn) {
            (Some(known), _) => known,
            (None, Some(conn)) => {
                let learnt = crate::remote::release::release_over(conn, self.deadline);
                self.remote.remember_release(u, &learnt);
                learnt
            }
            (None, None) => return,
        };
        let leader = self.leader_version.and_then(crate::release::Release::parse);
        match (learnt, leader) {
            (crate::release::Learnt::Known(r), Some(leader)) => {
                match crate::release::mismatch_advice(&r, &leader) {
                    None => self.add(
                        out,
                        "version",
                        Verdict::Ok,
                        format!("{r}, as the leader"),
                        None,
                    ),
                    Some(advice) => self.add(
                        out,
                        "version",
                        Verdict::Warn,
                        advice,
                        Some(
                            "Update the workers first (`pio update app` on each, or the web UI's \
                             Updates page), then the leader: a worker older than its leader \
                             misbehaves, and updating the leader first stops its task queue."
                                .to_string(),
                        ),
                    ),
                }
            }
            (crate::release::Learnt::Known(r), None) => self.add(
                out,
                "version",
                Verdict::Ok,
                format!(
                    "{r} (this leader's own release is unknown: no Pioreactor software found here)"
                ),
                None,
            ),
            (crate::release::Learnt::Unknown(why), _) => {
                self.add(out, "version", Verdict::Warn, why, None)
            }
        }
    }

    /// The unit's clock against this one's: over SSH (`date`), else the web API's `utc_time`.
    fn clock(
        &self,
        out: &mut Vec<Check>,
        address: &str,
        conn: Option<&Connection>,
        health: Option<&crate::transport::http::Health>,
    ) {
        let now = |t: SystemTime| {
            t.duration_since(UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64())
        };
        let over_ssh = conn.and_then(|c| {
            let before = SystemTime::now();
            let o = c.exec(commands::CLOCK, self.deadline).ok()?;
            let after = SystemTime::now();
            let theirs: f64 = o.stdout.trim().parse().ok()?;
            Some((theirs - (now(before) + now(after)) / 2.0, "date over SSH"))
        });
        let over_http = || {
            let h = health?;
            Some((
                now(h.utc_time?) - now(h.asked_at),
                "utc_time of the web API",
            ))
        };
        let Some((skew, how)) = over_ssh.or_else(over_http) else {
            return;
        };
        let verdict = match skew.abs() {
            s if s > CLOCK_FAIL => Verdict::Fail,
            s if s > CLOCK_WARN => Verdict::Warn,
            _ => Verdict::Ok,
        };
        let side = if skew >= 0.0 { "ahead of" } else { "behind" };
        let fix = (verdict != Verdict::Ok).then(|| {
            let target = self.remote.ssh_target(self.unit, address);
            format!(
                "ssh -p {} {}@{} \"sudo date -u --set=@$(date -u +%s)\" (clusters without internet need the \
                 leader as their time server: see chrony on the worker)",
                target.port, target.user, target.address
            )
        });
        self.add(
            out,
            "clock",
            verdict,
            format!("{:.1} s {side} the leader's ({how})", skew.abs()),
            fix,
        );
    }

    /// What the unit's own copy of config.ini says of it (the config.ini era).
    fn own_inventory(&self, out: &mut Vec<Check>, conn: &Connection) {
        let u = self.unit;
        let expected = self.cluster.worker(u).map(|w| w.active);
        let deadline = self.deadline;
        let theirs = match conn.read_file(std::path::Path::new(paths::SHARED_CONFIG), deadline) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                self.add(
                    out,
                    "own inventory",
                    Verdict::Warn,
                    "it has no ~/.pioreactor/config.ini".into(),
                    Some(format!("pio workers sync-configs {u}")),
                );
                return;
            }
            Err(e) => {
                self.add(out, "own inventory", Verdict::Warn, e.to_string(), None);
                return;
            }
        };
        let text = String::from_utf8_lossy(&theirs).into_owned();
        let parsed = Config::from_text(std::path::Path::new("its config.ini"), text, true)
            .and_then(|c| {
                c.cluster(u)
                    .map(|cluster| cluster.worker(u).map(|w| w.active))
            });
        let says = match parsed {
            Ok(s) => Some(s),
            Err(e) => {
                self.add(
                    out,
                    "own inventory",
                    Verdict::Warn,
                    format!(
                        "its config.ini cannot be read as Python would: {}",
                        e.message
                    ),
                    Some(format!("pio workers sync-configs {u}")),
                );
                return;
            }
        };
        let yes = crate::cluster::yes_no;
        match (says, expected) {
            (Some(a), b) if a == b => self.add(
                out,
                "own inventory",
                Verdict::Ok,
                match a {
                    Some(active) => format!("its config.ini agrees: {}", yes(active)),
                    None => "its config.ini agrees: not in the inventory".into(),
                },
                None,
            ),
            (said, _) => self.add(
                out,
                "own inventory",
                Verdict::Warn,
                format!(
                    "its config.ini says {}, the leader's says {}",
                    said.flatten().map_or("not in the inventory", yes),
                    expected.map_or("not in the inventory", yes)
                ),
                Some(format!("pio workers sync-configs {u}")),
            ),
        }
    }
}
