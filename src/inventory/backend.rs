//! The two places an inventory lives, behind one interface: config.ini's `[cluster.inventory]`
//! (releases up to 24.3) and the leader's database (24.4 and later). Each reads the cluster,
//! takes the changes that belong to it, and says what the units need afterwards
//! ([`FollowUp`]): commands carry those out without knowing which era they are in.

use std::path::Path;

use crate::cluster::name::same;
use crate::cluster::{Change, Cluster, Flaws, Worker};
use crate::config::Config;
use crate::error::{Error, Result};

use super::Era;
use super::api::{ApiError, ApiWorker, LeaderApi};

/// Work a unit needs after an inventory change, carried out by the command that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowUp {
    /// Create the leader's `config_<unit>.ini` if missing (the unit's own settings).
    CreateUnitConfig { unit: String },
    /// Give the unit this leader's config.ini (and its own settings where its release takes them
    /// from the leader); `shared_only` for a unit leaving the cluster.
    PushConfig { unit: String, shared_only: bool },
    /// Halt every job on the unit: an inactive or removed worker runs nothing.
    HaltJobs { unit: String },
    /// Once the renamed unit is back: register it under its new name as it was.
    Register {
        unit: String,
        model: Option<(String, String)>,
        active: bool,
    },
    /// Once it is back: have it join the cluster again (its time source, its model).
    Join {
        unit: String,
        model: Option<(String, String)>,
    },
}

impl FollowUp {
    pub fn unit(&self) -> &str {
        match self {
            FollowUp::CreateUnitConfig { unit }
            | FollowUp::PushConfig { unit, .. }
            | FollowUp::HaltJobs { unit }
            | FollowUp::Register { unit, .. }
            | FollowUp::Join { unit, .. } => unit,
        }
    }

    /// What it does, for plans.
    pub fn describe(&self) -> String {
        match self {
            FollowUp::CreateUnitConfig { unit } => format!("create config_{unit}.ini if missing"),
            FollowUp::PushConfig { unit, .. } => format!("copy config.ini to {unit}"),
            FollowUp::HaltJobs { unit } => format!("halt every job on {unit}"),
            FollowUp::Register { unit, .. } => format!(
                "register {unit} with the leader's database (PUT /api/workers), keeping its model and active state"
            ),
            FollowUp::Join { unit, .. } => {
                format!("have {unit} join the cluster again as its release does")
            }
        }
    }

    /// Whether it waits for the unit to be back from a reboot (a rename in the database era).
    pub fn after_reboot(&self) -> bool {
        matches!(self, FollowUp::Register { .. } | FollowUp::Join { .. })
    }
}

/// What the back-end did with the changes that are its own.
pub struct Sent {
    /// The changes config.ini takes (addresses, or in the config.ini era everything).
    pub for_config: Vec<Change>,
    /// The changes made in the leader's database (or, dry, that would be).
    pub done: Vec<Change>,
    /// Units the leader refused a change for, with its answer.
    pub refused: Vec<(String, ApiError)>,
    pub warnings: Vec<String>,
}

/// One place an inventory lives.
pub trait Backend {
    fn era(&self) -> Era;
    /// Where the inventory lives, in words.
    fn place(&self) -> &'static str;
    /// Where names are looked up, for "not in the inventory" (config.ini's path or the URL).
    fn names_at(&self, config_path: &Path) -> String;
    /// The cluster: topology and addresses from config.ini, membership from the inventory.
    fn cluster<'a>(&'a self, config: &'a Config, hostname: &'a str) -> Result<Cluster<'a>>;
    /// Refuses options that make no sense where the leader contacts the units itself.
    fn refuse_offline(&self, option: &str) -> Result<()>;
    /// The database's record of a unit (its model); none in the config.ini era.
    fn record(&self, unit: &str) -> Option<&ApiWorker>;
    /// The leader's web API, where the inventory is behind it.
    fn api(&self) -> Option<&LeaderApi>;
    /// Makes (or, dry, checks) the changes that are the back-end's own.
    fn send(&self, cluster: &Cluster, changes: Vec<Change>, dry_run: bool) -> Result<Sent>;
    /// What a unit needs after `change` (`changed`: whether it changed anything).
    fn follow_up(&self, cluster: &Cluster, change: &Change, changed: bool) -> Vec<FollowUp>;
    /// Carries out a follow-up that is the back-end's own ([`FollowUp::Register`]).
    fn finish(&self, work: &FollowUp) -> std::result::Result<(), ApiError>;
    /// How a new worker is added here, for plans.
    fn add_step(&self) -> &'static str;
    /// How a worker is renamed here, for plans.
    fn rename_step(&self, config_path: &Path, old: &str, new: &str) -> String;
}

/// `[cluster.inventory]` in config.ini; the units read their own copy of it.
pub struct ConfigIni;

impl Backend for ConfigIni {
    fn era(&self) -> Era {
        Era::Config
    }

    fn place(&self) -> &'static str {
        "config.ini"
    }

    fn names_at(&self, config_path: &Path) -> String {
        config_path.display().to_string()
    }

    fn cluster<'a>(&'a self, config: &'a Config, hostname: &'a str) -> Result<Cluster<'a>> {
        config.cluster(hostname)
    }

    fn refuse_offline(&self, _: &str) -> Result<()> {
        Ok(())
    }

    fn record(&self, _: &str) -> Option<&ApiWorker> {
        None
    }

    fn api(&self) -> Option<&LeaderApi> {
        None
    }

    fn send(&self, _: &Cluster, changes: Vec<Change>, _: bool) -> Result<Sent> {
        let mut warnings = Vec::new();
        let for_config = changes
            .into_iter()
            .filter(|c| {
                let model = matches!(c, Change::SetModel { .. });
                if model {
                    warnings.push(
                        "the config.ini era keeps no worker models; --model-name is ignored"
                            .to_string(),
                    );
                }
                !model
            })
            .collect();
        Ok(Sent {
            for_config,
            done: Vec::new(),
            refused: Vec::new(),
            warnings,
        })
    }

    fn follow_up(&self, cluster: &Cluster, change: &Change, changed: bool) -> Vec<FollowUp> {
        let leader = |u: &str| cluster.is_leader(u);
        let push = |unit: &str, shared_only| FollowUp::PushConfig {
            unit: unit.to_string(),
            shared_only,
        };
        match change {
            Change::AddWorker { name, .. } if !leader(name) => {
                vec![FollowUp::CreateUnitConfig { unit: name.clone() }]
            }
            Change::SetActive { name, active } => {
                let mut work = Vec::new();
                // The unit reads its own copy; the leader's copy is the source.
                if changed && !leader(name) {
                    work.push(push(name, false));
                }
                if !active {
                    work.push(FollowUp::HaltJobs { unit: name.clone() });
                }
                work
            }
            // Its copy of config.ini must stop listing it, or it keeps running jobs.
            Change::RemoveWorker { name } => {
                let mut work = vec![FollowUp::HaltJobs { unit: name.clone() }];
                if !leader(name) {
                    work.push(push(name, true));
                }
                work
            }
            Change::RenameWorker { new, .. } => vec![push(new, false)],
            _ => Vec::new(),
        }
    }

    fn finish(&self, _: &FollowUp) -> std::result::Result<(), ApiError> {
        Ok(())
    }

    fn add_step(&self) -> &'static str {
        "add its line to config.ini (and create config_<name>.ini if missing)"
    }

    fn rename_step(&self, config_path: &Path, old: &str, new: &str) -> String {
        format!(
            "rename {old} to {new} in [cluster.inventory] and [cluster.addresses] of {}",
            config_path.display()
        )
    }
}

/// The leader's database behind its web API; config.ini keeps topology and addresses.
pub struct LeaderDb {
    pub api: LeaderApi,
    pub workers: Vec<ApiWorker>,
}

impl LeaderDb {
    fn worker(&self, unit: &str) -> Option<&ApiWorker> {
        self.workers.iter().find(|w| same(&w.pioreactor_unit, unit))
    }

    /// One change in the database; `Ok(false)` when it is config.ini's.
    fn send_one(&self, change: &Change, changes: &[Change]) -> std::result::Result<bool, ApiError> {
        match change {
            Change::AddWorker { name, active } => {
                // A model asked with a new worker is registered with it.
                let model = changes.iter().find_map(|c| match c {
                    Change::SetModel {
                        name: n,
                        model_name,
                        model_version,
                    } if same(n, name) => Some((model_name.as_str(), model_version.as_str())),
                    _ => None,
                });
                self.api.register(
                    name,
                    model.map(|m| m.0),
                    model.map(|m| m.1).filter(|v| !v.is_empty()),
                )?;
                if !active {
                    self.api.set_active(name, false)?;
                }
            }
            Change::SetActive { name, active } => self.api.set_active(name, *active)?,
            Change::RemoveWorker { name } => self.api.remove(name)?,
            Change::SetModel {
                name,
                model_name,
                model_version,
            } => {
                if self.worker(name).is_some() {
                    self.api.set_model(name, model_name, model_version)?;
                }
            }
            // The old name leaves (its history stays under it); the new one is registered once
            // the unit is back ([`FollowUp::Register`]).
            Change::RenameWorker { old, .. } => self.api.remove(old)?,
            Change::SetAddress { .. } | Change::RemoveAddress { .. } => return Ok(false),
        }
        Ok(true)
    }

    /// A model change for a worker already there, checked: the leader records one only as a
    /// name and a version.
    fn check_model(&self, change: &Change) -> Result<Option<Change>> {
        let Change::SetModel {
            name,
            model_name,
            model_version,
        } = change
        else {
            return Ok(Some(change.clone()));
        };
        let Some(w) = self.worker(name) else {
            return Ok(Some(change.clone()));
        };
        let same_model = w.model_name.as_deref() == Some(model_name.as_str());
        if same_model
            && (model_version.is_empty() || w.model_version.as_deref() == Some(model_version))
        {
            return Ok(None);
        }
        let version = match (model_version.is_empty(), &w.model_version) {
            (false, _) => model_version.clone(),
            (true, Some(v)) if same_model => v.clone(),
            _ => {
                return Err(Error::usage(format!(
                    "changing {name}'s model needs its version too"
                ))
                .with_hint(format!(
                    "Add --model-version, e.g. `pio workers add {name} -m {model_name} --model-version 1.5`."
                )));
            }
        };
        Ok(Some(Change::SetModel {
            name: w.pioreactor_unit.clone(),
            model_name: model_name.clone(),
            model_version: version,
        }))
    }
}

impl Backend for LeaderDb {
    fn era(&self) -> Era {
        Era::Api
    }

    fn place(&self) -> &'static str {
        "the leader's database"
    }

    fn names_at(&self, _: &Path) -> String {
        self.api.url(&["workers"]).to_string()
    }

    fn cluster<'a>(&'a self, config: &'a Config, hostname: &'a str) -> Result<Cluster<'a>> {
        let (leader, leader_address) = config.leader(hostname)?;
        let addresses = config.addresses();
        let find = |name: &str| {
            addresses
                .iter()
                .find(|(n, _)| same(n, name))
                .map(|(_, a)| *a)
        };
        let members: Vec<Worker<'a>> = self
            .workers
            .iter()
            .map(|w| Worker {
                name: &w.pioreactor_unit,
                active: w.is_active,
                address: find(&w.pioreactor_unit),
                flaws: Flaws::NONE,
            })
            .collect();
        let other_addresses = addresses
            .iter()
            .filter(|(n, _)| !members.iter().any(|w| same(w.name, n)))
            .copied()
            .collect();
        Ok(Cluster {
            leader,
            leader_address,
            workers: members,
            other_addresses,
            flagged: config.flagged(false),
        })
    }

    fn refuse_offline(&self, option: &str) -> Result<()> {
        Err(Error::usage(format!(
            "{option} is not possible here: in the database era the leader itself contacts the \
             worker (and halts its jobs when it becomes inactive or leaves)"
        )))
    }

    fn record(&self, unit: &str) -> Option<&ApiWorker> {
        self.worker(unit)
    }

    fn api(&self) -> Option<&LeaderApi> {
        Some(&self.api)
    }

    fn send(&self, cluster: &Cluster, changes: Vec<Change>, dry_run: bool) -> Result<Sent> {
        let mut checked = Vec::new();
        for c in &changes {
            checked.extend(self.check_model(c)?);
        }
        let mut sent = Sent {
            for_config: Vec::new(),
            done: Vec::new(),
            refused: Vec::new(),
            warnings: Vec::new(),
        };
        for change in &checked {
            let unit = change.unit();
            if sent.refused.iter().any(|(u, _)| same(u, unit)) {
                continue;
            }
            // Registered with its new worker: not a change of its own.
            if matches!(change, Change::SetModel { name, .. } if self.worker(name).is_none()) {
                continue;
            }
            let result = if dry_run {
                Ok(!matches!(
                    change,
                    Change::SetAddress { .. } | Change::RemoveAddress { .. }
                ))
            } else {
                self.send_one(change, &checked)
            };
            match result {
                Ok(true) => {
                    sent.done.push(change.clone());
                    // The address line follows the name.
                    if let Change::RenameWorker { old, .. } = change
                        && cluster.address_of(old).is_some()
                    {
                        sent.for_config.push(change.clone());
                    }
                }
                Ok(false) => sent.for_config.push(change.clone()),
                // One refused removal does not stop the others; any other refusal stops all.
                Err(e) if matches!(change, Change::RemoveWorker { .. }) => {
                    sent.refused.push((unit.to_string(), e));
                }
                Err(e) => return Err(api_failed(&e)),
            }
        }
        // A unit the leader kept keeps its address line too.
        sent.for_config
            .retain(|c| !sent.refused.iter().any(|(u, _)| same(u, c.unit())));
        Ok(sent)
    }

    fn follow_up(&self, _: &Cluster, change: &Change, _: bool) -> Vec<FollowUp> {
        // The leader halts, copies and removes by itself; a renamed unit is registered again
        // and, since the DELETE made it leave, joins again.
        let Change::RenameWorker { old, new } = change else {
            return Vec::new();
        };
        let record = self.worker(old);
        let model = record.and_then(|w| w.model_name.clone().zip(w.model_version.clone()));
        vec![
            FollowUp::Register {
                unit: new.clone(),
                model: record.and_then(|w| {
                    w.model_name
                        .clone()
                        .map(|m| (m, w.model_version.clone().unwrap_or_default()))
                }),
                active: record.is_none_or(|w| w.is_active),
            },
            FollowUp::PushConfig {
                unit: new.clone(),
                shared_only: false,
            },
            FollowUp::Join {
                unit: new.clone(),
                model,
            },
        ]
    }

    fn finish(&self, work: &FollowUp) -> std::result::Result<(), ApiError> {
        let FollowUp::Register {
            unit,
            model,
            active,
        } = work
        else {
            return Ok(());
        };
        let (name, version) = match model {
            Some((m, v)) => (Some(m.as_str()), Some(v.as_str()).filter(|v| !v.is_empty())),
            None => (None, None),
        };
        self.api.register(unit, name, version)?;
        if !active {
            self.api.set_active(unit, false)?;
        }
        Ok(())
    }

    fn add_step(&self) -> &'static str {
        "register it with the leader's database (PUT /api/workers)"
    }

    fn rename_step(&self, config_path: &Path, old: &str, _: &str) -> String {
        format!(
            "remove {old} from the leader's database (DELETE /api/workers/{old}) and rename it in [cluster.addresses] of {}",
            config_path.display()
        )
    }
}

/// The leader's API refused or did not answer: its own message, and its remediation as the hint.
pub fn api_failed(e: &ApiError) -> Error {
    let hint = e.remediation().map(str::to_string).unwrap_or_else(|| {
        "Check the leader's web server (the web UI shows whether it answers) and run pio again."
            .to_string()
    });
    Error::failed(e.to_string()).with_hint(hint)
}
