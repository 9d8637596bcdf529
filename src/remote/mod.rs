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
use crate::error::Result;
use crate::transport::http::{self, HttpError, WebApi};
use crate::transport::known_hosts::{self, KnownHosts, Lookup};
use crate::transport::mdns;
use crate::transport::ssh::{Connection, SshError, Target, UnknownHostKey};
use crate::transport::ssh_config::{HostSettings, SshConfig, StrictHostKeyChecking};

mod action;
pub mod archive;
pub mod clock;
pub mod commands;
pub mod files;
pub mod join;
pub mod login;
pub mod release;
mod select;
mod target;
mod wait;

pub use action::{push_over, run_checked};
pub use select::{refuse_flagged, select_units};

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
/// What a unit's monitor job says of its machine, as the web page's Inventory shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// `running`, or `not running` (the page's "Lost" when the unit answers but its monitor,
    /// which reports it to the cluster, does not run).
    pub monitor: &'static str,
    /// The Raspberry Pi's model, as the unit's device tree names it.
    pub rpi_model: Option<String>,
    pub wlan_mac: Option<String>,
    pub eth_mac: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub unit: String,
    pub address: Option<String>,
    pub via: Option<Used>,
    /// What the unit said (e.g. a version), or why it failed.
    pub result: std::result::Result<String, String>,
    /// SSH was tried after the web API failed (`--via auto`).
    pub fell_back: bool,
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
        let via = match (self.via, self.fell_back && !self.ok()) {
            (Some(v), true) => format!(" (via http, then {v})"),
            (Some(v), false) => format!(" (via {v})"),
            (None, _) => String::new(),
        };
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

/// What reaching units takes from the run: the login's home and user (`~/.ssh`), this unit's
/// name, whether mDNS may be used, the system's known_hosts files, and how a warning is said
/// (the command's narrator: this layer prints nothing itself).
pub struct ReachEnv<'c> {
    pub home: PathBuf,
    pub local_user: String,
    pub hostname: String,
    pub mdns: bool,
    pub global_known_hosts: Vec<PathBuf>,
    pub warn: Box<dyn Fn(&str) + Send + Sync + 'c>,
}

/// Everything needed to reach units, resolved once per command.
#[derive(Clone)]
pub struct Remote<'c> {
    env: Arc<ReachEnv<'c>>,
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
        env: ReachEnv<'c>,
        config: &Config,
        via: Via,
        timeout: Duration,
    ) -> Result<Remote<'c>> {
        let (proto, web_port) = config.web_api()?;
        let ssh_config = SshConfig::load(&env.home.join(".ssh/config"), &env.home, &env.local_user);
        let mut written: HashMap<String, String> = HashMap::new();
        let (leader, leader_address) = config.leader(&env.hostname)?;
        if let Some(a) = leader_address {
            written.insert(leader.to_ascii_lowercase(), a.to_string());
        }
        for (name, address) in config.addresses() {
            written.insert(name.to_ascii_lowercase(), address.to_string());
        }
        Ok(Remote {
            env: Arc::new(env),
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

    /// Records an address given on the command line (`workers add -a`) as the unit's written one.
    pub fn with_address(mut self, name: &str, address: &str) -> Remote<'c> {
        let mut written = (*self.written).clone();
        written.insert(name.to_ascii_lowercase(), address.to_string());
        self.written = Arc::new(written);
        self
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
}
