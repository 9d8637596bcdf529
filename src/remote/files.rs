//! The files a unit is given, and takes back, by its release: the cluster's config.ini always;
//! its own settings (`unit_config.ini`) from the leader's `config_<unit>.ini` before 26.4, while
//! from 26.4 the unit owns that file and the leader keeps only a snapshot of it.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::release::{Release, UnitConfig};

use super::paths;

/// `config_<name>.ini` beside config.ini: a unit's own settings, which releases before 26.4 take
/// from the leader as their `unit_config.ini`.
pub fn unit_config_path(config_path: &Path, name: &str) -> PathBuf {
    config_path.with_file_name(format!("config_{}.ini", name.to_ascii_lowercase()))
}

/// Whether a unit of `release` is sent the leader's copy of its own settings. Never one whose
/// release is unknown (`None`): it may own its file, which nothing could restore.
pub fn takes_unit_config(release: Option<&Release>) -> bool {
    release.is_some_and(|r| r.needs().unit_config == UnitConfig::FromLeader)
}

/// Whether a unit of `release` owns its `unit_config.ini` (known to, not assumed).
pub fn owns_unit_config(release: Option<&Release>) -> bool {
    release.is_some_and(|r| r.needs().unit_config == UnitConfig::OwnedByUnit)
}

/// The files a unit receives from this leader: config.ini (`shared`) and, where its release
/// takes its settings from the leader and this leader keeps them, `config_<unit>.ini` as the
/// unit's `unit_config.ini` (read safely: [`crate::config::store::read_unit_config`]).
pub fn files_for_unit(
    config_path: &Path,
    shared: &str,
    unit: &str,
    release: Option<&Release>,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut files = vec![(paths::SHARED_CONFIG, shared.as_bytes().to_vec())];
    if takes_unit_config(release) {
        let own = unit_config_path(config_path, unit);
        if let Some(bytes) = crate::config::store::read_unit_config(&own)? {
            files.push((paths::UNIT_CONFIG, bytes));
        }
    }
    Ok(files)
}

/// What a unit that owns its settings was not sent, in words.
pub fn not_sent_note(unit: &str, release: Option<&Release>) -> Option<String> {
    owns_unit_config(release).then(|| {
        let release = release.map(ToString::to_string).unwrap_or_default();
        format!("{unit}: runs {release}, which owns its unit_config.ini: not sent")
    })
}

/// What a unit of `release` is given, for plans.
pub fn copy_plan(release: &Release) -> &'static str {
    match release.needs().unit_config {
        UnitConfig::FromLeader => "config.ini and config_<name>.ini (as unit_config.ini)",
        UnitConfig::OwnedByUnit => "config.ini (it owns its unit_config.ini)",
    }
}

/// Which settings `sync-configs` gives: the shared config.ini, each unit's own, or both.
#[derive(Clone, Copy)]
pub struct Parts {
    pub shared: bool,
    pub specific: bool,
}

/// What one unit's sync does, by its release.
pub struct SyncPlan {
    pub send: Vec<(&'static str, Vec<u8>)>,
    /// Fetch the unit's own `unit_config.ini` into the leader's snapshot (26.4 and later).
    pub fetch_snapshot: bool,
    /// Said instead, where its own settings are neither sent nor fetched.
    pub note: Option<String>,
}

/// A sync of `unit`, whose release is `release` (`None` when it could not be learnt: it may own
/// its file, so its settings are neither sent nor fetched); `leader_copy` is the leader's
/// `config_<unit>.ini`, if any.
pub fn sync_plan(
    unit: &str,
    release: Option<&Release>,
    parts: Parts,
    shared: &str,
    leader_copy: Option<&[u8]>,
) -> SyncPlan {
    let mut send = Vec::new();
    if parts.shared {
        send.push((paths::SHARED_CONFIG, shared.as_bytes().to_vec()));
    }
    if let (true, Some(own)) = (takes_unit_config(release), leader_copy) {
        send.push((paths::UNIT_CONFIG, own.to_vec()));
    }
    let owns = owns_unit_config(release);
    let note = (owns && !parts.specific).then(|| {
        let release = release.map(ToString::to_string).unwrap_or_default();
        format!("{unit} ({release}) owns its unit_config.ini: not sent")
    });
    SyncPlan {
        send,
        fetch_snapshot: owns && parts.specific,
        note,
    }
}
