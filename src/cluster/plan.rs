//! Deciding what an inventory command changes, before anything is written.

use std::net::Ipv4Addr;

#[cfg(test)]
use super::Flaws;
use super::{Change, Cluster, Flaw, UnitName};

/// What `workers add` changes: nothing when the worker is already there exactly as asked.
pub fn add(
    cluster: &Cluster,
    name: &UnitName,
    address: Option<Ipv4Addr>,
    active: Option<bool>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    match cluster.worker(name.as_str()) {
        // A new worker is active unless told otherwise.
        None => changes.push(Change::AddWorker {
            name: name.to_string(),
            active: active.unwrap_or(true),
        }),
        // One already there keeps its state unless one is asked.
        // One whose state Python cannot read gets one: as asked, else active.
        Some(w) if w.flaws.has(Flaw::State) => changes.push(Change::SetActive {
            name: w.name.to_string(),
            active: active.unwrap_or(true),
        }),
        Some(w) => {
            if let Some(active) = active.filter(|a| *a != w.active) {
                changes.push(Change::SetActive {
                    name: w.name.to_string(),
                    active,
                });
            }
        }
    }
    if let Some(ip) = address {
        let new = ip.to_string();
        let old = cluster.address_of(name.as_str());
        if old != Some(new.as_str()) {
            changes.push(Change::SetAddress {
                name: name.to_string(),
                old: old.map(str::to_string),
                new,
            });
        }
    }
    changes
}

/// A name on the command line that is not in the inventory.
#[derive(Debug, PartialEq, Eq)]
pub struct NotInInventory(pub Vec<String>);

/// What `workers remove` changes: every name's inventory line and address line. All or nothing:
/// one unknown name and nothing is planned. The leader keeps its address line, since it still
/// leads and must stay reachable.
pub fn remove(cluster: &Cluster, names: &[String]) -> Result<Vec<Change>, NotInInventory> {
    let unknown: Vec<String> = names
        .iter()
        .filter(|n| cluster.worker(n).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(NotInInventory(unknown));
    }
    let mut changes = Vec::new();
    for name in names {
        let worker = cluster.worker(name).expect("checked above");
        let change = Change::RemoveWorker {
            name: worker.name.to_string(),
        };
        if changes.contains(&change) {
            continue; // named twice
        }
        changes.push(change);
        // A flagged address line goes too: it is the worker's, though pio could not use it.
        let unusable = cluster
            .flagged_for(name)
            .find(|f| !f.in_inventory && f.flaw == Flaw::Address)
            .map(|f| f.value.as_str());
        let address = cluster.address_of(name).or(unusable);
        if let (Some(address), false) = (address, cluster.is_leader(name)) {
            changes.push(Change::RemoveAddress {
                name: worker.name.to_string(),
                address: address.to_string(),
            });
        }
    }
    Ok(changes)
}

/// What `workers set-active` changes.
pub fn set_active(
    cluster: &Cluster,
    name: &str,
    active: bool,
) -> Result<Vec<Change>, NotInInventory> {
    let worker = cluster
        .worker(name)
        .ok_or_else(|| NotInInventory(vec![name.to_string()]))?;
    // A state Python cannot read is written anew, whatever it seemed to be.
    if worker.active == active && !worker.flaws.has(Flaw::State) {
        return Ok(Vec::new());
    }
    Ok(vec![Change::SetActive {
        name: worker.name.to_string(),
        active,
    }])
}

/// Why a rename cannot be done; each a usage error with its own explanation.
#[derive(Debug, PartialEq, Eq)]
pub enum RenameRefused {
    NotInInventory(String),
    IsLeader(String),
    Taken(String),
    Same,
}

/// What `pio rename` changes in config.ini: the worker's keys, renamed in place.
pub fn rename(cluster: &Cluster, old: &str, new: &UnitName) -> Result<Vec<Change>, RenameRefused> {
    let worker = cluster
        .worker(old)
        .ok_or_else(|| RenameRefused::NotInInventory(old.to_string()))?;
    if cluster.is_leader(worker.name) {
        return Err(RenameRefused::IsLeader(worker.name.to_string()));
    }
    if crate::cluster::name::same(worker.name, new.as_str()) {
        return Err(RenameRefused::Same);
    }
    let taken = cluster.worker(new.as_str()).is_some()
        || cluster.is_leader(new.as_str())
        || cluster.address_of(new.as_str()).is_some();
    if taken {
        return Err(RenameRefused::Taken(new.to_string()));
    }
    Ok(vec![Change::RenameWorker {
        old: worker.name.to_string(),
        new: new.to_string(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Worker;

    fn cluster() -> Cluster<'static> {
        Cluster {
            leader: "lead",
            leader_address: None,
            workers: vec![
                Worker {
                    name: "lead",
                    active: true,
                    address: Some("10.0.0.1"),
                    flaws: Flaws::NONE,
                },
                Worker {
                    name: "Pio02",
                    active: false,
                    address: Some("10.0.0.2"),
                    flaws: Flaws::NONE,
                },
            ],
            other_addresses: vec![],
            flagged: vec![],
        }
    }

    fn name(s: &str) -> UnitName {
        UnitName::parse(s).unwrap()
    }

    #[test]
    fn add_new_identical_and_changed() {
        let c = cluster();
        assert_eq!(
            add(&c, &name("pio03"), None, None),
            vec![Change::AddWorker {
                name: "pio03".into(),
                active: true
            }]
        );
        assert!(
            add(
                &c,
                &name("pio02"),
                Some("10.0.0.2".parse().unwrap()),
                Some(false)
            )
            .is_empty()
        );
        // Re-added without a state: only the address changes.
        assert_eq!(
            add(&c, &name("pio02"), Some("10.0.0.9".parse().unwrap()), None),
            vec![Change::SetAddress {
                name: "pio02".into(),
                old: Some("10.0.0.2".into()),
                new: "10.0.0.9".into()
            }]
        );
        assert_eq!(
            add(
                &c,
                &name("pio02"),
                Some("10.0.0.9".parse().unwrap()),
                Some(true)
            ),
            vec![
                Change::SetActive {
                    name: "Pio02".into(),
                    active: true
                },
                Change::SetAddress {
                    name: "pio02".into(),
                    old: Some("10.0.0.2".into()),
                    new: "10.0.0.9".into()
                }
            ]
        );
    }

    #[test]
    fn remove_is_all_or_nothing_and_keeps_leader_address() {
        let c = cluster();
        assert_eq!(
            remove(&c, &["pio02".into(), "nope".into()]),
            Err(NotInInventory(vec!["nope".into()]))
        );
        let changes = remove(&c, &["lead".into(), "pio02".into(), "PIO02".into()]).unwrap();
        assert_eq!(
            changes,
            vec![
                Change::RemoveWorker {
                    name: "lead".into()
                },
                Change::RemoveWorker {
                    name: "Pio02".into()
                },
                Change::RemoveAddress {
                    name: "Pio02".into(),
                    address: "10.0.0.2".into()
                },
            ]
        );
    }

    #[test]
    fn rename_refusals() {
        let c = cluster();
        assert_eq!(
            rename(&c, "lead", &name("x")),
            Err(RenameRefused::IsLeader("lead".into()))
        );
        assert_eq!(
            rename(&c, "ghost", &name("x")),
            Err(RenameRefused::NotInInventory("ghost".into()))
        );
        assert_eq!(
            rename(&c, "pio02", &name("lead")),
            Err(RenameRefused::Taken("lead".into()))
        );
        assert_eq!(
            rename(&c, "pio02", &name("pio02")),
            Err(RenameRefused::Same)
        );
        assert_eq!(
            rename(&c, "pio02", &name("pio09")).unwrap(),
            [Change::RenameWorker {
                old: "Pio02".into(),
                new: "pio09".into()
            }]
        );
    }

    #[test]
    fn set_active_only_when_different() {
        let c = cluster();
        assert!(set_active(&c, "pio02", false).unwrap().is_empty());
        assert_eq!(set_active(&c, "pio02", true).unwrap().len(), 1);
        assert!(set_active(&c, "ghost", true).is_err());
    }
}
