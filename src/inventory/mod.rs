//! Where the cluster's inventory lives, chosen by evidence, and one way to read it.
//!
//! Pioreactor releases up to 24.3 keep the inventory in config.ini (`[cluster.inventory]`);
//! from 24.4 on it is the leader's database behind its web API, and config.ini keeps only the
//! topology and addresses. Editing config.ini on a database-era leader would silently do nothing,
//! so when the evidence says "database" and the API does not answer, pio stops.

pub mod api;
mod backend;

pub use backend::{Backend, ConfigIni, FollowUp, LeaderDb, api_failed};

use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use crate::cluster::Reach;
use crate::cluster::name::same;
use crate::cluster::name::shown;
use crate::cluster::{Change, Cluster, UnitName};
use crate::cluster::{Flagged, Flaw};
use crate::config::{Config, diff, store};
use crate::context::Context;
use crate::error::{Error, Kind, Result};
use crate::release::Release;
use api::{ApiError, ApiWorker, LeaderApi};

use crate::timeouts::{LEADER_API as API_TIMEOUT, LEADER_API_PROBE as PROBE_CONNECT};

/// Which generation of the Pioreactor software holds the inventory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// `[cluster.inventory]` in config.ini (releases up to 24.3).
    Config,
    /// The leader's database, through its web API (24.4 and later).
    Api,
}

impl Era {
    pub fn parse(s: &str) -> Option<Era> {
        match s {
            "config" => Some(Era::Config),
            "api" => Some(Era::Api),
            _ => None,
        }
    }

    /// The stable name used in `--json` output and `--inventory`.
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Config => "config",
            Era::Api => "api",
        }
    }
}

/// The inventory as read, with the config.ini it was found through.
pub struct Inventory {
    pub config: Config,
    backend: Box<dyn Backend + Send + Sync>,
    /// Why pio chose this inventory, for `-v` and `doctor`.
    pub why: String,
    /// config.ini's identity when it was read: an edit re-reads it only when it changed since.
    stamp: Option<Stamp>,
}

/// What an inventory change did: the changes (in the inventory and config.ini), config.ini's
/// diff for a dry run, and what the units need now.
pub struct Applied {
    pub era: Era,
    pub changes: Vec<Change>,
    pub config_path: String,
    pub created: bool,
    pub diff: String,
    pub follow_up: Vec<FollowUp>,
    /// Units the leader refused to remove, with its answer.
    pub refused: Vec<(String, ApiError)>,
    pub warnings: Vec<String>,
}

/// A file's identity and version: device, inode, size, modification time.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp(u64, u64, u64, i64, i64);

fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp(m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec()))
}

impl Inventory {
    pub fn era(&self) -> Era {
        self.backend.era()
    }

    /// Where the inventory lives, in words.
    pub fn place(&self) -> &'static str {
        self.backend.place()
    }

    /// Where names are looked up: config.ini's path, or the API's URL.
    pub fn names_at(&self, ctx: &Context) -> String {
        self.backend.names_at(&ctx.config_path)
    }

    pub fn api(&self) -> Option<&LeaderApi> {
        self.backend.api()
    }

    /// The leader database's record of a unit (its model and state); none in the config.ini era.
    pub fn record(&self, unit: &str) -> Option<&ApiWorker> {
        self.backend.record(unit)
    }

    /// The active workers assigned to any of `experiments` in the leader's database, in the
    /// database's order, as `pios --experiments` picks them. Exit code 2 where there is no
    /// database (the config.ini era), for an experiment it does not have, or when no active
    /// worker is assigned to them.
    pub fn assigned_to(&self, experiments: &[String]) -> Result<Vec<String>> {
        let Some(api) = self.api() else {
            return Err(Error::usage(
                "--experiment picks workers by the leader's database (Pioreactor 24.4 and later); \
                 this cluster's inventory is config.ini, which has no experiments",
            )
            .with_hint("Name the units instead (`pio workers list` shows them)."));
        };
        let known = api.experiments().map_err(|e| api_failed(&e))?;
        let unknown: Vec<&str> = experiments
            .iter()
            .filter(|e| !known.contains(e))
            .map(|e| e.as_str())
            .collect();
        if !unknown.is_empty() {
            let listed = known
                .iter()
                .map(|e| shown(e).into_owned())
                .collect::<Vec<_>>();
            return Err(Error::usage(format!(
                "the leader's database has no experiment {}; nothing was done",
                unknown
                    .iter()
                    .map(|e| format!("'{}'", shown(e)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_hint(format!(
                "Experiments are named exactly (case counts): {}.",
                if listed.is_empty() {
                    "there are none yet".to_string()
                } else {
                    listed.join(", ")
                }
            )));
        }
        let assignments = api.assignments().map_err(|e| api_failed(&e))?;
        let mut units: Vec<String> = Vec::new();
        for a in assignments {
            let wanted = a
                .experiment
                .as_ref()
                .is_some_and(|e| experiments.contains(e));
            let active = self.record(&a.pioreactor_unit).is_some_and(|w| w.is_active);
            if wanted && active && !units.iter().any(|u| same(u, &a.pioreactor_unit)) {
                units.push(a.pioreactor_unit);
            }
        }
        if units.is_empty() {
            return Err(Error::usage(format!(
                "no active worker is assigned to {}; nothing was done",
                experiments.iter().map(|e| format!("'{}'", shown(e))).collect::<Vec<_>>().join(" or ")
            ))
            .with_hint("`pio workers list` shows each worker's experiment; `pio workers assign` assigns one."));
        }
        Ok(units)
    }

    /// Refuses an option that only makes sense where pio itself contacts the units.
    pub fn refuse_offline(&self, option: &str) -> Result<()> {
        self.backend.refuse_offline(option)
    }

    /// The cluster: topology and addresses from config.ini, membership from wherever the
    /// inventory lives.
    pub fn cluster<'a>(&'a self, hostname: &'a str) -> Result<Cluster<'a>> {
        self.backend.cluster(&self.config, hostname)
    }

    /// What a unit needs after `change` (`changed`: whether it changed anything), as
    /// [`Inventory::change`] says for the changes it makes.
    pub fn follow_up(
        &self,
        hostname: &str,
        change: &Change,
        changed: bool,
    ) -> Result<Vec<FollowUp>> {
        let cluster = self.cluster(hostname)?;
        Ok(self.backend.follow_up(&cluster, change, changed))
    }

    /// What a unit whose release could not be learnt is treated as: this leader's release,
    /// else the era's ([`crate::release::assumed`]).
    pub fn assumed_release(&self, leader: Option<&Release>) -> Release {
        crate::release::assumed(leader, self.era() == Era::Api)
    }

    /// Whether each unit reads the inventory from its own copy of config.ini (which `doctor`
    /// then compares with the leader's).
    pub fn units_keep_a_copy(&self) -> bool {
        self.era() == Era::Config
    }

    /// How a worker is renamed in this inventory, for plans.
    pub fn rename_step(&self, ctx: &Context, old: &str, new: &str) -> String {
        self.backend.rename_step(&ctx.config_path, old, new)
    }

    /// How a new worker is added to this inventory, for plans.
    pub fn add_step(&self) -> &'static str {
        self.backend.add_step()
    }

    /// Carries out a follow-up that is the inventory's own (registering a renamed unit).
    pub fn finish(&self, work: &FollowUp) -> std::result::Result<(), ApiError> {
        self.backend.finish(work)
    }

    /// Refuses, before anything is sent or written, changes that would use a line of config.ini
    /// pio cannot use: an edit of a unit written twice (which line?), and when the command goes
    /// on to contact the units (`contacts`), a flagged address of one it would contact (unless
    /// the change replaces that address).
    fn refuse_flagged(&self, cluster: &Cluster, planned: &[Change], contacts: bool) -> Result<()> {
        let mut flagged: Vec<&Flagged> = Vec::new();
        for change in planned {
            let unit = change.unit();
            // Which of two spellings is meant?
            flagged.extend(
                cluster
                    .flagged_for(unit)
                    .filter(|f| f.flaw == Flaw::Duplicate),
            );
            // A [DEFAULT] line is every section's: pio does not take a unit out of the sections
            // of config.ini that would read it there still.
            let names = &self.config.sections;
            let config_era = self.era() == Era::Config;
            match change {
                Change::RemoveWorker { .. } if config_era => {
                    self.config.refuse_taking_out(names.inventory, unit)?
                }
                Change::RenameWorker { .. } if config_era => {
                    self.config.refuse_taking_out(names.inventory, unit)?;
                    self.config.refuse_taking_out(names.addresses, unit)?
                }
                Change::RemoveAddress { .. } => {
                    self.config.refuse_taking_out(names.addresses, unit)?
                }
                _ => {}
            }
            let work = self.backend.follow_up(cluster, change, true);
            if !contacts || work.is_empty() {
                continue;
            }
            let new_address = planned
                .iter()
                .any(|c| matches!(c, Change::SetAddress { name, .. } if same(name, unit)));
            let mut units = vec![unit];
            units.extend(work.iter().map(FollowUp::unit));
            flagged.extend(
                cluster
                    .flaws_of(&units)
                    .into_iter()
                    .filter(|f| !(new_address && f.flaw == Flaw::Address)),
            );
        }
        if flagged.is_empty() {
            return Ok(());
        }
        Err(crate::config::refuse_flagged(&flagged))
    }

    /// Changes the inventory: `plan` decides from the cluster, the back-end makes its changes,
    /// and config.ini takes the rest under its lock, written atomically (re-read first only if
    /// it changed since it was read, and then planned again). With `dry_run` nothing is sent
    /// nor written. Nothing is written when `plan` fails or decides nothing.
    pub fn change(
        &mut self,
        ctx: &Context,
        dry_run: bool,
        contacts: bool,
        plan: &mut dyn FnMut(&Cluster) -> Result<Vec<Change>>,
    ) -> Result<Applied> {
        self.config.refuse_edits()?;
        // Where config.ini's link leads (by the link rule) is known before anything is sent.
        let path = store::write_target(&ctx.config_path)?;
        let cluster = self.cluster(&ctx.hostname)?;
        let planned = plan(&cluster)?;
        self.refuse_flagged(&cluster, &planned, contacts)?;
        let mut sent = self.backend.send(&cluster, planned, dry_run)?;
        // The edit goes ahead; the lines it did not need are still to fix.
        let flagged = crate::cluster::flagged::each_line(&cluster.flagged);
        sent.warnings.extend(
            flagged
                .iter()
                .map(|f| format!("{} ({})", f.message, f.hint)),
        );
        drop(cluster);
        let lock = if dry_run {
            None
        } else {
            // Only the default place is created; a path given explicitly must exist.
            let create_folder = matches!(ctx.config_source, "the default" | "$DOT_PIOREACTOR");
            Some(store::lock(&path, ctx.lock_wait, create_folder)?)
        };
        let mut for_config = sent.for_config;
        let now = stamp(&ctx.config_path);
        if now != self.stamp || now.is_none() && lock.is_some() {
            self.config = Config::load(&ctx.config_path, &ctx.hostname)?;
            self.config.refuse_edits()?;
            self.stamp = now;
            if self.era() == Era::Config {
                let again = plan(&self.cluster(&ctx.hostname)?)?;
                let cluster = self.cluster(&ctx.hostname)?;
                for_config = self.backend.send(&cluster, again, dry_run)?.for_config;
            }
        }
        if dry_run {
            self.config.doc.keep_original();
        }
        self.config.apply(&for_config);
        let changed = !for_config.is_empty() && self.config.is_changed();
        if let (Some(lock), true) = (&lock, changed) {
            store::save(&path, self.config.render(), lock)?;
            self.stamp = stamp(&ctx.config_path);
        }
        let diff = if changed && dry_run {
            diff::unified(
                self.config.original(),
                self.config.render(),
                &path.display().to_string(),
            )
        } else {
            String::new()
        };
        let mut changes = sent.done;
        for c in for_config {
            if !changes.contains(&c) {
                changes.push(c);
            }
        }
        let cluster = self.cluster(&ctx.hostname)?;
        let follow_up = changes
            .iter()
            .flat_map(|c| self.backend.follow_up(&cluster, c, true))
            .collect();
        Ok(Applied {
            era: self.era(),
            changes,
            config_path: path.display().to_string(),
            created: changed && !self.config.exists,
            diff,
            follow_up,
            refused: sent.refused,
            warnings: sent.warnings,
        })
    }
}

/// Finds the inventory of this config.ini: `--inventory`/`PIO_INVENTORY`, else the leader's API
/// answering `GET /api/workers`, else the installed Python stack's version, else config.ini.
/// `read` reads config.ini; its identity is taken before, so that an edit that finds it unchanged
/// can use what was read.
pub fn open(ctx: &Context, read: impl FnOnce() -> Result<Config>) -> Result<Inventory> {
    let stamp_before = stamp(&ctx.config_path);
    let config = read()?;
    let (backend, why) = choose(ctx, &config)?;
    Ok(Inventory {
        config,
        backend,
        why,
        stamp: stamp_before,
    })
}

fn choose(ctx: &Context, config: &Config) -> Result<(Box<dyn Backend + Send + Sync>, String)> {
    if let Some((value, from)) = &ctx.inventory {
        let era = Era::parse(value).ok_or_else(|| {
            Error::usage(format!("{from} is '{value}': it must be 'config' or 'api'"))
                .with_hint("config: the inventory in config.ini (Pioreactor up to 24.3); api: the leader's database (24.4 and later).")
        })?;
        let why = format!("chosen by {from}");
        return match era {
            Era::Config => Ok((Box::new(ConfigIni), why)),
            Era::Api => {
                let api = leader_api(ctx, config)?;
                let workers = api.workers().map_err(|e| api_down(&e, &why))?;
                let workers = trusted(&api, workers)?;
                Ok((Box::new(LeaderDb { api, workers }), why))
            }
        };
    }
    let api = leader_api(ctx, config)?;
    let probe = probe(&api);
    if let Ok(workers) = probe {
        let workers = trusted(&api, workers)?;
        let why = format!("its web API answered GET {}", api.url(&["workers"]));
        return Ok((Box::new(LeaderDb { api, workers }), why));
    }
    // A Pioreactor web server that answers with its own error body (a failing leader, or a
    // worker's server where the leader's was expected) is a database-era cluster all the same.
    if let Err(
        e @ ApiError::Refused {
            message: Some(_), ..
        },
    ) = &probe
    {
        let why = format!(
            "a Pioreactor web server answers at {} with an error of its own",
            api.base()
        );
        return Err(api_down(e, &why));
    }
    let site = site_packages(ctx);
    match python_stack_version(&site) {
        Some((version, file)) if is_api_release(&version) => {
            let why = format!(
                "the Pioreactor software installed here is {version} ({}), whose inventory is the leader's database",
                file.display()
            );
            Err(api_down(&probe.expect_err("tried above"), &why))
        }
        // Something answered HTTP, but not as the leader's API: only a leader whose own software
        // reads config.ini may go on with config.ini.
        None if matches!(probe, Err(ApiError::BadAnswer { .. })) => Err(not_the_api(
            &probe.expect_err("tried above"),
            "no Pioreactor software was found installed here",
        )),
        Some((version, file)) => Ok((
            Box::new(ConfigIni),
            format!(
                "the Pioreactor software installed here is {version} ({}), which reads config.ini, and no web API answered",
                file.display()
            ),
        )),
        None => Ok((
            Box::new(ConfigIni),
            format!(
                "no web API answered at {} and no Pioreactor software was found installed here",
                api.url(&["workers"])
            ),
        )),
    }
}

/// A web server answers where the leader's API should, but not as it: nothing is decided from
/// that (exit 1), unless `--inventory` says where the inventory is.
fn not_the_api(e: &ApiError, why: &str) -> Error {
    Error::failed(format!(
        "{e}, and {why}: pio cannot tell where the inventory is; nothing was done"
    ))
    .with_hint(
        "Check [ui] proto/port in config.ini name the leader's web server. On a cluster of \
         Pioreactor 24.3 or older, `--inventory config` makes pio use config.ini.",
    )
}

/// The database's workers, each name checked by the rule command-line names follow before it
/// reaches SSH, a URL or a printed command, and named once (by [`same`], as config.ini's keys):
/// a name that breaks either rule is a bad answer.
fn trusted(api: &LeaderApi, workers: Vec<ApiWorker>) -> Result<Vec<ApiWorker>> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for w in &workers {
        let folded = crate::cluster::name::fold_key(&w.pioreactor_unit).into_owned();
        if !seen.insert(folded) {
            let bad = ApiError::BadAnswer {
                url: api.url(&["workers"]).to_string(),
                why: format!(
                    "it lists the worker '{}' more than once",
                    shown(&w.pioreactor_unit)
                ),
            };
            return Err(Error::failed(format!("{bad}; nothing was done")).with_hint(
                "pio contacts no unit of an inventory that names one twice (a unit would be \
                 acted on twice). Remove the duplicate on the leader, then run pio again.",
            ));
        }
        if let Err(e) = UnitName::parse(&crate::config::ini::fold_key(&w.pioreactor_unit)) {
            let bad = ApiError::BadAnswer {
                url: api.url(&["workers"]).to_string(),
                why: format!(
                    "it lists the worker '{}', which is not a valid unit name: {}",
                    shown(&w.pioreactor_unit),
                    e.reason
                ),
            };
            return Err(Error::failed(format!("{bad}; nothing was done")).with_hint(
                "pio contacts no unit of an inventory that names one it cannot trust. Remove or \
                 rename that worker on the leader (its web UI's Inventory page), then run pio again.",
            ));
        }
    }
    Ok(workers)
}

/// The leader's API: on the leader itself at 127.0.0.1 (no name lookup needed), elsewhere at
/// its `[cluster.addresses]` entry or `leader_address`, on the `[ui]` protocol and port.
pub fn leader_api(ctx: &Context, config: &Config) -> Result<LeaderApi> {
    let (proto, port) = config.web_api()?;
    let (leader, leader_address) = config.leader(&ctx.hostname)?;
    let host = if same(leader, &ctx.hostname) {
        "127.0.0.1".to_string()
    } else {
        let flagged = config.flagged(false);
        let about_leader: Vec<&Flagged> = flagged
            .iter()
            .filter(|f| f.unit.as_deref().is_some_and(|u| same(u, leader)))
            .collect();
        if !about_leader.is_empty() {
            return Err(crate::config::refuse_flagged(&about_leader));
        }
        let static_address = config
            .addresses()
            .into_iter()
            .find(|(n, _)| same(n, leader))
            .map(|(_, a)| a);
        Reach::of(static_address, leader_address).host(leader)
    };
    LeaderApi::new(&format!("{proto}://{host}:{port}"), API_TIMEOUT).map_err(|e| {
        Error::usage(format!("the leader's address gives no usable URL: {e}")).with_hint(
            "Check [cluster.topology] leader_address and [cluster.addresses] in config.ini.",
        )
    })
}

/// `GET /api/workers`, answered with a list. A closed port on a literal address fails at once,
/// without starting an HTTP client.
fn probe(api: &LeaderApi) -> std::result::Result<Vec<ApiWorker>, ApiError> {
    let url = api.url(&["workers"]);
    let ip = url.host_str().and_then(|h| h.parse::<IpAddr>().ok());
    if let (Some(ip), Some(port)) = (ip, url.port_or_known_default()) {
        let addr = SocketAddr::new(ip, port);
        if let Err(e) = TcpStream::connect_timeout(&addr, PROBE_CONNECT) {
            return Err(ApiError::Unreachable {
                url: url.to_string(),
                why: e.to_string(),
            });
        }
    }
    api.workers()
}

/// The error when the inventory must be the API and the API does not answer.
fn api_down(e: &ApiError, why: &str) -> Error {
    Error::new(
        Kind::Failed,
        format!("the inventory is the leader's database ({why}), but {e}; nothing was done"),
    )
    .with_hint(
        "Check that the leader's web server is running (`pio status` or the web UI) and that \
         [ui] proto/port in config.ini are the leader's. On a cluster of Pioreactor 24.3 or older, \
         `--inventory config` makes pio use config.ini.",
    )
}

/// Folders that may hold the Python stack (`pioreactor/version.py`): `PIO_PYTHON_SITE` (for
/// tests and unusual installs), else the places Pioreactor images install it.
pub fn site_packages(ctx: &Context) -> Vec<PathBuf> {
    if let Some(dirs) = &ctx.python_site {
        return dirs.clone();
    }
    let mut dirs = Vec::new();
    let versioned = |lib: &Path, leaf: &str, out: &mut Vec<PathBuf>| {
        let Ok(entries) = std::fs::read_dir(lib) else {
            return;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
            .map(|e| e.path().join(leaf))
            .collect();
        // The newest Python first: python3.11 before python3.9.
        let minor = |p: &PathBuf| -> u32 {
            let dir = p.parent().and_then(|d| d.file_name()).unwrap_or_default();
            let name = dir.to_string_lossy();
            name.trim_start_matches("python3.").parse().unwrap_or(0)
        };
        found.sort_by_key(|p| std::cmp::Reverse(minor(p)));
        out.extend(found);
    };
    versioned(
        Path::new("/opt/pioreactor/venv/lib"),
        "site-packages",
        &mut dirs,
    );
    versioned(Path::new("/usr/local/lib"), "dist-packages", &mut dirs);
    versioned(&ctx.home.join(".local/lib"), "site-packages", &mut dirs);
    dirs.push(PathBuf::from("/usr/lib/python3/dist-packages"));
    dirs
}

/// The installed Python stack's version (`__version__` in `pioreactor/version.py`) and file.
pub fn python_stack_version(dirs: &[PathBuf]) -> Option<(String, PathBuf)> {
    dirs.iter().find_map(|d| {
        let file = d.join("pioreactor/version.py");
        // A few lines: read by the one rule for files (regular, bounded, no planted link).
        let text = crate::files::read_text(&file, 64 * 1024).ok()?;
        let version = text.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("__version__")?.trim_start();
            let rest = rest.strip_prefix('=')?.trim();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let inner = &rest[1..];
            Some(inner[..inner.find(quote)?].to_string())
        })?;
        Some((version, file))
    })
}

/// Whether a release (`YY.M.N`, maybe with `rc0`/`.dev0`) keeps its inventory in the database
/// (the release table decides: [`crate::release`]).
pub fn is_api_release(version: &str) -> bool {
    crate::release::Release::parse(version)
        .is_some_and(|r| r.needs().inventory == crate::release::InventoryPlace::LeaderDatabase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_from_24_4_use_the_api() {
        for v in ["24.4.3", "24.4.3rc0", "24.12.1", "25.1.0.dev0", "26.7.2"] {
            assert!(is_api_release(v), "{v}");
        }
        for v in ["24.3.10", "23.10.12", "21.3.3", "v24.4", "", "x.y"] {
            assert!(!is_api_release(v), "{v}");
        }
    }

    #[test]
    fn version_file_is_read_like_python() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(b.join("pioreactor")).unwrap();
        std::fs::write(
            b.join("pioreactor/version.py"),
            "# pioreactor version\nimport os\n__version__ = '24.3.10'\n",
        )
        .unwrap();
        let (v, file) = python_stack_version(&[a, b.clone()]).unwrap();
        assert_eq!(v, "24.3.10");
        assert_eq!(file, b.join("pioreactor/version.py"));
        assert!(python_stack_version(&[dir.path().to_path_buf()]).is_none());
    }
}
