//! `doctor`'s checks of one unit: its address, SSH and the web API side by side, its release,
//! its clock, and (where units keep one) its own copy of the inventory.

use crate::cluster::Cluster;
use crate::cluster::name::same;
use crate::config::Config;
use crate::context::Context;
use crate::output::schema::{Check, Verdict};
use crate::remote::{Remote, commands, paths};
use crate::transport::http::HttpError;
use crate::transport::ssh::{Connection, SshError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::{CLOCK_FAIL, CLOCK_WARN, check};

/// The checks of one unit, each bounded by the unit timeout.
pub(super) struct UnitProbe<'a> {
    pub(super) ctx: &'a Context,
    pub(super) remote: &'a Remote<'a>,
    pub(super) cluster: &'a Cluster<'a>,
    pub(super) unit: &'a str,
    pub(super) port: u16,
    pub(super) leader_version: Option<&'a str>,
    /// Whether the unit reads the inventory from its own copy of config.ini.
    pub(super) copies_inventory: bool,
    /// Every check of this unit ends by then: one timeout for the unit, whatever it does.
    pub(super) deadline: Instant,
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

    pub(super) fn run(&self) -> Vec<Check> {
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
