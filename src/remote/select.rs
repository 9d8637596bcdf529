//! Which units a command acts on: UNITS arguments checked against the inventory.

use crate::cluster::{Cluster, UnitName, nodeset};
use crate::error::{Error, Result};

/// Expands UNITS (names, comma lists, node sets) and checks each against the inventory; the
/// leader counts even when it is not a worker. Any unknown or malformed name is a usage error
/// before anything happens. All the arguments together name at most [`nodeset::MAX_NAMES`]:
/// the bound is on what pio holds, not on each argument.
pub fn select_units(cluster: &Cluster, args: &[String]) -> Result<Vec<String>> {
    let hint = "Write node sets like pio[01-08] or pio[01-03,07].";
    let mut names = Vec::new();
    for arg in args {
        let expanded = nodeset::expand(arg)
            .map_err(|e| Error::usage(format!("invalid node set {e}")).with_hint(hint))?;
        if names.len() + expanded.len() > nodeset::MAX_NAMES {
            return Err(Error::usage(format!(
                "invalid node sets: together they name more than {} units",
                nodeset::MAX_NAMES
            ))
            .with_hint(hint));
        }
        names.extend(expanded);
    }
    let mut unknown = Vec::new();
    let mut selected: Vec<String> = Vec::new();
    for name in names {
        let known = cluster
            .worker(&name)
            .map(|w| w.name.to_string())
            .or_else(|| cluster.is_leader(&name).then(|| cluster.leader.to_string()));
        match known {
            Some(k) if !selected.contains(&k) => selected.push(k),
            Some(_) => {}
            None => {
                if let Err(e) = UnitName::parse(&name) {
                    return Err(Error::usage(e.to_string()).with_hint(e.hint));
                }
                unknown.push(name);
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::usage(format!(
            "not in the inventory: {}; nothing was done",
            unknown.join(", ")
        ))
        .with_hint("`pio workers list` shows the units there are."));
    }
    Ok(selected)
}

/// Refuses, before anything is sent, a command on `units` that would use a line of config.ini
/// pio cannot use (see [`Cluster::flagged`]): a flagged address or a unit written twice, and
/// when the units were picked from the whole inventory (`all`: `Some(active_only)`), a line
/// that may or may not be one of them. Exit code 2, every such line named.
pub fn refuse_flagged<S: AsRef<str>>(
    cluster: &Cluster,
    units: &[S],
    all: Option<bool>,
) -> Result<()> {
    let mut flagged = cluster.flaws_of(units);
    if let Some(active_only) = all {
        flagged.extend(cluster.flaws_of_all(active_only));
    }
    if flagged.is_empty() {
        return Ok(());
    }
    Err(crate::config::refuse_flagged(&flagged))
}
