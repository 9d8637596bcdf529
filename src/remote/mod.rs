//! Reaching units, shared by every remote command: finding a unit's address, choosing the transport (`--via`), and
//! the few actions the contract defines, each answered with which transport did it.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cluster::Cluster;
use crate::config::Config;
use crate::context::Context;
use crate::error::Result;
use crate::transport::http::{self, HttpError, WebApi};
use crate::transport::known_hosts::{self, KnownHosts, Lookup};
use crate::transport::mdns;
use crate::transport::ssh::{Connection, SshError, Target, UnknownHostKey};
use crate::transport::ssh_config::{HostSettings, SshConfig, StrictHostKeyChecking};

pub mod commands;
pub mod files;
pub mod join;
pub mod login;
pub mod release;
mod select;

pub use select::select_units;

/// Which transport to use for actions that both can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The web API when it answers, else SSH.
    Auto,
    Ssh,
    Http,
}

/// The transport that carried an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Used {
    Http,
    Ssh,
}

impl fmt::Display for Used {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Used::Http => "http",
            Used::Ssh => "ssh",
        })
    }
}

/// What happened on one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub unit: String,
    pub address: Option<String>,
    pub via: Option<Used>,
    /// What the unit said (e.g. a version), or why it failed.
    pub result: std::result::Result<String, String>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The units of `outcomes` that failed, in order.
    pub fn failed(outcomes: &[Outcome]) -> Vec<&str> {
        outcomes
            .iter()
            .filter(|o| !o.ok())
            .map(|o| o.unit.as_str())
            .collect()
    }

    /// One line for the operator: `unit: message (via http)` or `unit: FAILED (via ssh): why`.
    pub fn describe(&self) -> String {
        let via = self.via.map(|v| format!(" (via {v})")).unwrap_or_default();
        match &self.result {
            Ok(msg) => format!("{}: {msg}{via}", self.unit),
            Err(e) => format!("{}: FAILED{via}: {e}", self.unit),
        }
    }
}

/// Where files land on a unit, relative to the login's home.
pub mod paths {
    /// The cluster's shared config.ini.
    pub const SHARED_CONFIG: &str = ".pioreactor/config.ini";
    /// The unit's own settings: the leader's `config_<unit>.ini`.
    pub const UNIT_CONFIG: &str = ".pioreactor/unit_config.ini";
}

/// Whether a Python `pio` answered "no such command" (click's exit status 2), or the shell found
/// no `pio` at all (127).
pub fn missing_command(out: &crate::transport::ssh::Output) -> bool {
    out.status == Some(127) || (out.status == Some(2) && out.stderr.contains("No such command"))
}

/// How an action will be carried, for `--dry-run` plans.
pub fn plan_action(via: Via, http: &str, ssh_command: &str) -> String {
    match via {
        Via::Auto => format!("{http}, else ssh `{ssh_command}`"),
        Via::Http => http.to_string(),
        Via::Ssh => format!("ssh `{ssh_command}`"),
    }
}

/// known_hosts contents by the list of files they were read from.
type KnownHostsCache = Vec<(Vec<PathBuf>, Arc<KnownHosts>)>;

/// Everything needed to reach units, resolved once per command.
#[derive(Clone)]
pub struct Remote<'c> {
    ctx: &'c Context,
    via: Via,
    timeout: Duration,
    ssh_config: Arc<SshConfig>,
    /// Each unit's written address (`[cluster.addresses]`, the leader's `leader_address`), by
    /// lower-cased name: the name its host key is filed under.
    written: Arc<HashMap<String, String>>,
    /// known_hosts files, read once per run and shared by every unit.
    known: Arc<Mutex<KnownHostsCache>>,
    /// `~/.ssh/config` warnings already shown.
    warned: Arc<Mutex<Vec<String>>>,
    proto: String,
    web_port: u16,
    http: reqwest::blocking::Client,
    /// The login each unit was found to take (`pi` on images before 22.4; `pioreactor` when it
    /// refused both), by lower-cased name.
    users: Arc<Mutex<HashMap<String, &'static str>>>,
    /// Each unit's release, by lower-cased name, learnt once per run ([`Remote::release`]).
    releases: Arc<Mutex<HashMap<String, crate::release::Learnt>>>,
}

impl<'c> Remote<'c> {
    pub fn new(
        ctx: &'c Context,
        config: &Config,
        via: Via,
        timeout: Duration,
    ) -> Result<Remote<'c>> {
        let (proto, web_port) = config.web_api()?;
        let ssh_config = SshConfig::load(&ctx.home.join(".ssh/config"), &ctx.home, &ctx.local_user);
        let mut written: HashMap<String, String> = HashMap::new();
        let (leader, leader_address) = config.leader(&ctx.hostname)?;
        if let Some(a) = leader_address {
            written.insert(leader.to_ascii_lowercase(), a.to_string());
        }
        for (name, address) in config.addresses()? {
            written.insert(name.to_ascii_lowercase(), address.to_string());
        }
        Ok(Remote {
            ctx,
            via,
            timeout,
            ssh_config: Arc::new(ssh_config),
            written: Arc::new(written),
            known: Arc::default(),
            warned: Arc::default(),
            proto,
            web_port,
            http: http::client(timeout),
            releases: Arc::default(),
            users: Arc::default(),
        })
    }

    pub fn via(&self) -> Via {
        self.via
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The known_hosts file a unit's key is kept in (the first `UserKnownHostsFile`, by default
    /// `~/.ssh/known_hosts`).
    pub fn known_hosts_file(&self, name: &str) -> PathBuf {
        self.ssh_target(name, name).known_hosts
    }

    /// The unit's address to connect to, by the one rule ([`Cluster::reach`]): a written IPv4 or
    /// name as is, a `.local` name (written or not) looked up by mDNS.
    pub fn address(&self, cluster: &Cluster, name: &str) -> std::result::Result<String, String> {
        let reach = cluster.reach(name);
        match reach.mdns_name(name) {
            Some(host) => self.resolve_mdns(&host).map(|ip| ip.to_string()),
            None => Ok(reach.host(name)),
        }
    }

    pub fn resolve_mdns(&self, name: &str) -> std::result::Result<std::net::Ipv4Addr, String> {
        if !self.ctx.mdns {
            return Err(format!(
                "{name} has no address in [cluster.addresses] and mDNS is off (PIO_MDNS=0)"
            ));
        }
        mdns::resolve(name, self.timeout.min(Duration::from_secs(5)))
    }

    /// Records an address given on the command line (`workers add -a`) as the unit's written one.
    pub fn with_address(mut self, name: &str, address: &str) -> Remote<'c> {
        let mut written = (*self.written).clone();
        written.insert(name.to_ascii_lowercase(), address.to_string());
        self.written = Arc::new(written);
        self
    }

    /// The known_hosts files `files`, read once.
    fn known_hosts_in(&self, files: &[PathBuf]) -> Arc<KnownHosts> {
        let mut cache = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, k)) = cache.iter().find(|(f, _)| f == files) {
            return k.clone();
        }
        let loaded = KnownHosts::load(files);
        for why in &loaded.unread {
            self.warn_once(format!(
                "{why}; the host keys in it are not consulted, and no new key is accepted \
                 without asking (StrictHostKeyChecking accept-new) until it can be read"
            ));
        }
        let loaded = Arc::new(loaded);
        cache.push((files.to_vec(), loaded.clone()));
        loaded
    }

    fn warn_once(&self, warning: String) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if !warned.contains(&warning) {
            crate::output::Narrator::new(self.ctx).warn(&warning);
            warned.push(warning);
        }
    }

    /// The SSH target for a unit at `address`, as `ssh` would see it through `~/.ssh/config`:
    /// where to connect (through any `ProxyCommand`), as whom, with which keys, and the names
    /// its host key is filed under in known_hosts (OpenSSH's: the `HostKeyAlias`, else the
    /// `HostName`, else the name it is reached by; the address and bare name are accepted too).
    pub fn ssh_target(&self, name: &str, address: &str) -> Target {
        let lower = name.to_ascii_lowercase();
        let reached_by = self.reached_by(name);
        let s = self.ssh_config.settings_for(&reached_by);
        for w in &s.warnings {
            self.warn_once(format!("~/.ssh/config: {w}"));
        }
        self.warn_of_bare_name_blocks(&lower, &reached_by, &s);
        let mut identity_files = s.identity_files;
        for default in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = self.ctx.home.join(".ssh").join(default);
            if !identity_files.contains(&path) {
                identity_files.push(path);
            }
        }
        let port = s.port.unwrap_or(22);
        let connect_to = s.hostname.clone().unwrap_or_else(|| address.to_string());
        let primary = match &s.host_key_alias {
            Some(alias) => alias.clone(),
            None => known_hosts::host_pattern(s.hostname.as_deref().unwrap_or(&reached_by), port),
        };
        let mut also = Vec::new();
        for host in [
            connect_to.as_str(),
            address,
            &reached_by,
            &lower,
            &format!("{lower}.local"),
        ] {
            let pattern = known_hosts::host_pattern(host, port);
            if pattern != primary && !also.contains(&pattern) {
                also.push(pattern);
            }
        }
        let user_files = if s.known_hosts_files.is_empty() {
            vec![
                self.ctx.home.join(".ssh/known_hosts"),
                self.ctx.home.join(".ssh/known_hosts2"),
            ]
        } else {
            s.known_hosts_files
        };
        // The global files are read after the user's, never written (as OpenSSH does).
        let global_files = s
            .global_known_hosts_files
            .unwrap_or_else(|| self.ctx.global_known_hosts.clone());
        let files: Vec<PathBuf> = user_files.iter().cloned().chain(global_files).collect();
        Target {
            name: name.to_string(),
            address: connect_to,
            port,
            user: s.user.unwrap_or_else(|| {
                self.lock_users()
                    .get(&lower)
                    .copied()
                    .unwrap_or(DEFAULT_USER)
                    .to_string()
            }),
            identity_files,
            use_agent: !s.no_agent,
            proxy_command: s.proxy_command.filter(|c| !c.is_empty()),
            host_keys: Lookup { primary, also },
            known_hosts: user_files[0].clone(),
            known: self.known_hosts_in(&files),
            accept_new: matches!(
                s.strict,
                Some(StrictHostKeyChecking::AcceptNew | StrictHostKeyChecking::No)
            ),
        }
    }

    /// The name `ssh` is given for the unit on a leader, by the one rule ([`Cluster::reach`]):
    /// its written address (`[cluster.addresses]`, `leader_address`, `-a`), else `<name>.local`.
    /// `~/.ssh/config` is matched against it, as OpenSSH matches the host as typed.
    fn reached_by(&self, name: &str) -> String {
        let lower = name.to_ascii_lowercase();
        self.written
            .get(&lower)
            .cloned()
            .unwrap_or_else(|| format!("{lower}.local"))
    }

    /// `~/.ssh/config` blocks that select the bare name but not the name pio connects by are not
    /// applied (OpenSSH would not apply them to `ssh pioreactor@pio02.local` either); each is
    /// named in a warning, so that none is passed over in silence.
    fn warn_of_bare_name_blocks(&self, bare: &str, reached_by: &str, applied: &HostSettings) {
        if bare.eq_ignore_ascii_case(reached_by) {
            return;
        }
        for block in self.ssh_config.settings_for(bare).blocks {
            if !applied.blocks.contains(&block) {
                self.warn_once(format!(
                    "~/.ssh/config: {block} selects {bare} but not {reached_by}, the name pio \
                     (like ssh on a leader) connects to it by, so it is not applied; name \
                     {reached_by} in that line to apply it"
                ));
            }
        }
    }

    /// Every known_hosts spelling under which ssh or pio may have stored this unit's key: its
    /// name, `<name>.local` and `extra_hosts` (such as its address), at port 22 and at the port
    /// `~/.ssh/config` gives it.
    pub fn known_host_patterns(&self, name: &str, extra_hosts: &[&str]) -> Vec<String> {
        let lower = name.to_ascii_lowercase();
        let local = format!("{lower}.local");
        let target = self.ssh_target(name, &lower);
        let mut patterns = Vec::new();
        let mut add = |pattern: String| {
            if !patterns.contains(&pattern) {
                patterns.push(pattern);
            }
        };
        for host in [lower.as_str(), local.as_str()].iter().chain(extra_hosts) {
            for p in [22, target.port] {
                add(known_hosts::host_pattern(host, p));
            }
        }
        // And its HostKeyAlias, if ~/.ssh/config gives it one.
        if let Some(alias) = self
            .ssh_config
            .settings_for(&self.reached_by(name))
            .host_key_alias
        {
            add(alias);
        }
        patterns
    }

    pub fn web(&self, address: &str) -> WebApi {
        WebApi::new(self.http.clone(), &self.proto, address, self.web_port).within(self.timeout)
    }

    /// The same, with every step bounded by `limit` too.
    pub fn bounded(&self, limit: Duration) -> Remote<'c> {
        let mut r = self.clone();
        r.timeout = self.timeout.min(limit).max(Duration::from_millis(50));
        r
    }

    /// The same, with every step bounded by what is left until `deadline`.
    pub fn until(&self, deadline: Instant) -> Remote<'c> {
        self.bounded(deadline.saturating_duration_since(Instant::now()))
    }

    /// Opens an SSH connection that refuses unknown host keys, within the unit timeout.
    pub fn ssh(&self, name: &str, address: &str) -> std::result::Result<Connection, SshError> {
        self.ssh_until(name, address, Instant::now() + self.timeout)
    }

    /// The same, by `deadline`.
    pub fn ssh_until(
        &self,
        name: &str,
        address: &str,
        deadline: Instant,
    ) -> std::result::Result<Connection, SshError> {
        let target = self.ssh_target(name, address);
        match Connection::open(&target, UnknownHostKey::Refuse, None, deadline) {
            // Images before 22.4 log in as `pi`: where ~/.ssh/config names no user, a unit that
            // refuses `pioreactor` is tried as `pi` (and known so for the rest of the run).
            Err(refused @ SshError::AuthFailed { .. }) if self.default_user(name, &target) => {
                let mut old = target.clone();
                old.user = OLD_IMAGE_USER.to_string();
                let conn = Connection::open(&old, UnknownHostKey::Refuse, None, deadline);
                // Known for the rest of the run either way: a unit that refuses both is not
                // asked twice more per connection (fail2ban counts every refusal).
                let user = if conn.is_ok() {
                    OLD_IMAGE_USER
                } else {
                    DEFAULT_USER
                };
                self.lock_users().insert(name.to_ascii_lowercase(), user);
                // The first refusal is the one to report: `pioreactor` is the usual login.
                conn.map_err(|_| refused)
            }
            other => other,
        }
    }

    /// Whether `target`'s login is pio's default (`pioreactor`), not one ~/.ssh/config chose,
    /// and `pi` was not tried yet in this run.
    fn default_user(&self, name: &str, target: &Target) -> bool {
        target.user == DEFAULT_USER
            && !self.lock_users().contains_key(&name.to_ascii_lowercase())
            && self
                .ssh_config
                .settings_for(&self.reached_by(name))
                .user
                .is_none()
    }

    fn lock_users(&self) -> std::sync::MutexGuard<'_, HashMap<String, &'static str>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs one of [`commands`] on the unit over SSH by `deadline`; success is exit status 0.
    fn ssh_run(
        &self,
        name: &str,
        address: &str,
        command: &SshCommand,
        deadline: Instant,
    ) -> std::result::Result<String, String> {
        let conn = self
            .ssh_until(name, address, deadline)
            .map_err(|e| e.to_string())?;
        let command = match command {
            SshCommand::Fixed(c) => c.to_string(),
            SshCommand::ByRelease(pick) => {
                // (The cache's lock is not held while the unit is asked.)
                let known = self.known_release(name);
                let learnt = match known {
                    Some(known) => known,
                    None => release::release_over(&conn, deadline),
                };
                self.remember_release(name, &learnt);
                pick(learnt.release())
            }
        };
        run_checked(&conn, &command, deadline)
    }

    /// An action by HTTP and/or SSH as `--via` says; with auto, SSH is tried when the web API
    /// does not answer or lacks the endpoint.
    fn act(
        &self,
        cluster: &Cluster,
        name: &str,
        by_http: impl Fn(&WebApi) -> std::result::Result<String, HttpError>,
        ssh_command: SshCommand,
        ssh_check: impl Fn(String) -> std::result::Result<String, String>,
    ) -> Outcome {
        // One deadline for the unit: finding it, HTTP, then SSH all fit in --timeout.
        let deadline = Instant::now() + self.timeout;
        let address = match self.address(cluster, name) {
            Ok(a) => a,
            Err(e) => {
                return Outcome {
                    unit: name.to_string(),
                    address: None,
                    via: None,
                    result: Err(e),
                };
            }
        };
        let outcome = |via, result| Outcome {
            unit: name.to_string(),
            address: Some(address.clone()),
            via: Some(via),
            result,
        };
        let http_error = match self.via {
            Via::Ssh => None,
            Via::Http | Via::Auto => match by_http(&self.until(deadline).web(&address)) {
                Ok(v) => return outcome(Used::Http, Ok(v)),
                Err(e) if self.via == Via::Http => return outcome(Used::Http, Err(e.to_string())),
                Err(e) => Some(e),
            },
        };
        match self
            .ssh_run(name, &address, &ssh_command, deadline)
            .and_then(&ssh_check)
        {
            Ok(v) => outcome(Used::Ssh, Ok(v)),
            Err(e) => outcome(
                Used::Ssh,
                Err(match http_error {
                    Some(h) => format!("{h}; over SSH: {e}"),
                    None => e,
                }),
            ),
        }
    }

    /// Halts every job on the unit.
    pub fn halt_jobs(&self, cluster: &Cluster, name: &str) -> Outcome {
        self.act(
            cluster,
            name,
            |w| {
                w.stop_all_jobs()
                    .map(|t| format!("jobs halting ({})", t.status))
            },
            // 21.5 only has `pio kill --all`: the unit's release says which.
            SshCommand::ByRelease(&|release| {
                release
                    .map_or(crate::release::Halt::KillAllJobs, |r| r.needs().halt)
                    .command()
                    .to_string()
            }),
            |_| Ok("jobs halted".to_string()),
        )
    }

    /// Asks the unit to reboot.
    pub fn reboot(&self, cluster: &Cluster, name: &str) -> Outcome {
        self.act(
            cluster,
            name,
            |w| {
                w.reboot().map(|t| match t.status.as_str() {
                    "running" => "a power action is already running".to_string(),
                    _ => "rebooting".to_string(),
                })
            },
            SshCommand::Fixed(commands::REBOOT),
            |_| Ok("rebooting".to_string()),
        )
    }

    /// Blinks the unit's LED: `pio identify` over SSH, or the Python stack's `pio blink` where
    /// this pio is not installed (its `pio` then has no `identify`).
    pub fn identify(&self, cluster: &Cluster, name: &str, duration: Option<f64>) -> Outcome {
        // --timeout bounds finding and reaching the unit, from now.
        let reach_by = Instant::now() + self.timeout;
        let (address, result) = match self.until(reach_by).address(cluster, name) {
            Ok(a) => (
                Some(a.clone()),
                self.identify_over_ssh(name, &a, duration, reach_by),
            ),
            Err(e) => (None, Err(e)),
        };
        Outcome {
            unit: name.to_string(),
            address,
            via: Some(Used::Ssh),
            result,
        }
    }

    fn identify_over_ssh(
        &self,
        name: &str,
        address: &str,
        duration: Option<f64>,
        reach_by: Instant,
    ) -> std::result::Result<String, String> {
        // The blink itself may take its duration and 5 s more.
        let blink_time = Duration::from_secs_f64(duration.unwrap_or(3.5)) + Duration::from_secs(5);
        let end = reach_by + blink_time;
        let deadline = || end;
        let conn = self
            .ssh_until(name, address, reach_by)
            .map_err(|e| e.to_string())?;
        let command = match duration {
            Some(d) => commands::identify_for(d),
            None => commands::IDENTIFY.to_string(),
        };
        let out = conn.exec(&command, deadline()).map_err(|e| e.to_string())?;
        if out.success() {
            return Ok(format!("blinked ({})", commands::IDENTIFY));
        }
        if !missing_command(&out) {
            return Err(format!("`{command}` failed: {}", out.stderr.trim()));
        }
        // Only the Python stack is there: its release says whether it has `pio blink`.
        let learnt = release::release_over(&conn, deadline());
        self.remember_release(name, &learnt);
        if let Some(r) = learnt.release().filter(|r| !r.needs().blink) {
            return Err(format!(
                "neither this pio nor the Python stack's `{}` is there: {r} has no LED command \
                 (`pio blink` came with 21.11)",
                commands::BLINK
            ));
        }
        let out = conn
            .exec(commands::BLINK, deadline())
            .map_err(|e| e.to_string())?;
        if out.success() {
            Ok(format!("blinked ({}, the Python stack's)", commands::BLINK))
        } else {
            Err(format!(
                "neither `{}` nor `{}` ran: {}",
                commands::IDENTIFY,
                commands::BLINK,
                out.stderr.trim()
            ))
        }
    }

    /// Copies files to the unit over SSH, each replaced atomically.
    pub fn push_files(&self, cluster: &Cluster, name: &str, files: &[(&str, Vec<u8>)]) -> Outcome {
        let address = self.address(cluster, name);
        let deadline = Instant::now() + self.timeout;
        let result = address.clone().and_then(|address| {
            let conn = self
                .ssh_until(name, &address, deadline)
                .map_err(|e| e.to_string())?;
            push_over(&conn, files, deadline)?;
            let names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
            Ok(format!("copied {}", names.join(" and ")))
        });
        Outcome {
            unit: name.to_string(),
            address: address.ok(),
            via: Some(Used::Ssh),
            result,
        }
    }

    /// The unit's boot id, read over SSH within the unit timeout (logging in and reading share
    /// it); `None` when it cannot be read.
    pub fn boot_id(&self, name: &str, address: &str) -> Option<String> {
        let deadline = Instant::now() + self.timeout;
        let conn = self.ssh_until(name, address, deadline).ok()?;
        let out = conn.exec(commands::BOOT_ID, deadline).ok()?;
        Some(out.stdout.trim().to_string()).filter(|id| out.success() && !id.is_empty())
    }

    /// Waits, until `until`, for a unit that was asked to reboot to have restarted and to answer
    /// again as `expect`, over `via` (the transport that rebooted it). Restarted means a boot id
    /// other than `before`; without one, that it stopped answering for a while. Every attempt is
    /// bounded by what is left of the wait. Ok: how long it took; Err: what was last seen.
    pub fn wait_back(
        &self,
        expect: &str,
        address: impl Fn(&Remote) -> std::result::Result<String, String>,
        via: Used,
        before: Option<&str>,
        until: Instant,
    ) -> std::result::Result<Duration, String> {
        let start = Instant::now();
        let mut seen_down = false;
        let mut last = NO_ANSWER_YET.to_string();
        loop {
            if until <= Instant::now() {
                return Err(last);
            }
            // Each step is bounded by what is left of the wait when it starts: a step that
            // took long leaves the next one less, never a fresh allowance past `until`.
            let left = || self.until(until);
            match address(&left()).and_then(|at| left().answers_as(expect, &at, via).map(|()| at)) {
                // An attempt the end of the wait cut short tells nothing new about the unit:
                // what was seen before stands (say, that it answers but has not restarted).
                Err(_) if ran_out(until) && last != NO_ANSWER_YET => return Err(last),
                Err(e) => {
                    seen_down = true;
                    last = e;
                }
                Ok(at) => {
                    match (before, left().boot_id(expect, &at)) {
                        (Some(old), Some(now)) if now != old => return Ok(start.elapsed()),
                        (Some(_), Some(_)) => last = NOT_RESTARTED.into(),
                        (None, _) | (Some(_), None) if seen_down => return Ok(start.elapsed()),
                        // The boot id read ran out of time: the old one seen before still stands.
                        (Some(_), None) if last == NOT_RESTARTED => {}
                        _ => last = "it answers, but has not gone away yet".into(),
                    }
                }
            }
            let pause =
                Duration::from_millis(500).min(until.saturating_duration_since(Instant::now()));
            std::thread::sleep(pause);
        }
    }

    /// Whether the unit answers as `expect` over `via`: the web API's health (or, on images
    /// without it, its version), or `hostname` over SSH; all of it within the unit timeout.
    fn answers_as(&self, expect: &str, at: &str, via: Used) -> std::result::Result<(), String> {
        let deadline = Instant::now() + self.timeout;
        match via {
            Used::Http => {
                let web = self.until(deadline).web(at);
                // An image without the health endpoint can only show it is up.
                if !http_identity(&web, expect).map_err(|e| e.to_string())? {
                    web.app_version().map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Used::Ssh => {
                let conn = self
                    .ssh_until(expect, at, deadline)
                    .map_err(|e| e.to_string())?;
                let out = conn
                    .exec(commands::HOSTNAME, deadline)
                    .map_err(|e| e.to_string())?;
                match out.stdout.trim() {
                    name if name.eq_ignore_ascii_case(expect) => Ok(()),
                    other => Err(format!("answers as '{other}'")),
                }
            }
        }
    }

    /// Whether the unit answers, as itself: its app version over HTTP, or `hostname` over SSH.
    pub fn status(&self, cluster: &Cluster, name: &str) -> Outcome {
        let expect = name.to_string();
        let unit = name.to_string();
        self.act(
            cluster,
            name,
            move |w| {
                http_identity(w, &unit)?;
                w.app_version()
            },
            SshCommand::Fixed(commands::HOSTNAME_AND_VERSION),
            move |answer| {
                // Its name, then its release where the Python stack answers `pio version`.
                let mut lines = answer.lines();
                let name = lines.next().unwrap_or_default().trim();
                if !name.eq_ignore_ascii_case(&expect) {
                    // (Kept exact for --json; every terminal line is escaped where printed.)
                    return Err(format!("answered as '{name}', not '{expect}'"));
                }
                Ok(lines
                    .last()
                    .and_then(crate::release::Release::parse)
                    .map(|r| r.to_string())
                    .unwrap_or_default())
            },
        )
    }

    /// [`Remote::status`], remembering the release the unit named.
    pub fn status_and_release(&self, cluster: &Cluster, name: &str) -> Outcome {
        let outcome = self.status(cluster, name);
        if let Ok(said) = &outcome.result
            && let Some(release) = crate::release::Release::parse(said)
        {
            self.remember_release(name, &crate::release::Learnt::Known(release));
        }
        outcome
    }
}

/// What an action runs over SSH: a fixed command, or one its release decides (learnt on the
/// same connection when not known yet).
enum SshCommand<'a> {
    Fixed(&'a str),
    ByRelease(&'a dyn Fn(Option<&crate::release::Release>) -> String),
}

/// The login on every Pioreactor image since 22.4.
const DEFAULT_USER: &str = "pioreactor";
/// The login on images before 22.4 (`crate::release::Needs::ssh_user`).
const OLD_IMAGE_USER: &str = "pi";

/// Why a unit that answers is not back: it has the boot id it had before the reboot.
const NOT_RESTARTED: &str = "it answers, but with the boot id it had before: it has not restarted";
const NO_ANSWER_YET: &str = "no answer yet";

/// Whether the wait ending at `until` is over, or as good as over (timers fire a little early).
fn ran_out(until: Instant) -> bool {
    until.saturating_duration_since(Instant::now()) < Duration::from_millis(50)
}

/// Whether the web API is `expect`'s: `Ok(true)` when its health endpoint says so, `Ok(false)` on
/// older images without that endpoint (404), which cannot say who they are.
fn http_identity(web: &WebApi, expect: &str) -> std::result::Result<bool, HttpError> {
    let bad = |why: String| HttpError::BadAnswer {
        url: web.url("/unit_api/health"),
        why,
    };
    match web.health() {
        Ok(h) => match h.unit.as_deref() {
            Some(u) if u.eq_ignore_ascii_case(expect) => Ok(true),
            Some(u) => Err(bad(format!("the unit there is '{u}', not '{expect}'"))),
            None => Err(bad("no \"pioreactor_unit\" in the answer".to_string())),
        },
        Err(HttpError::Status { status: 404, .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs `command` on an open connection by `deadline`: its stdout when it exits 0, else what
/// failed (the exit status and what it printed on stderr).
pub fn run_checked(
    conn: &Connection,
    command: &str,
    deadline: Instant,
) -> std::result::Result<String, String> {
    let out = conn.exec(command, deadline).map_err(|e| e.to_string())?;
    if out.success() {
        Ok(out.stdout.trim().to_string())
    } else {
        Err(format!(
            "`{command}` failed (exit status {}){}",
            out.status.map_or("unknown".to_string(), |s| s.to_string()),
            match out.stderr.trim() {
                "" => String::new(),
                e => format!(": {}", crate::output::escape_line(e)),
            }
        ))
    }
}

/// Writes files on an open connection (config.ini mode 0644, in a 0755 folder).
pub fn push_over(
    conn: &Connection,
    files: &[(&str, Vec<u8>)],
    deadline: Instant,
) -> std::result::Result<(), String> {
    for (path, data) in files {
        conn.write_file_atomic(std::path::Path::new(path), data, 0o644, 0o755, deadline)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
