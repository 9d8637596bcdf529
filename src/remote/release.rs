//! A unit's release, learnt from the unit once per run: its web API's `/unit_api/versions/app`
//! where it answers (and `--via` allows), else `pio version` over SSH, which prints the bare
//! version on every release.

use std::time::Instant;

use crate::cluster::Cluster;
use crate::release::{Learnt, Release};
use crate::transport::ssh::Connection;

use super::{Remote, Via, commands};

/// The most the web API may take to name the release: a unit whose port drops packets (images
/// before 24.9 have no web API) leaves the rest of its time to `pio version` and the command.
const WEB_PROBE: std::time::Duration = crate::timeouts::RELEASE_WEB_PROBE;

impl Remote<'_> {
    /// The unit's release, asked at most once per run whatever the number of callers.
    pub fn release(&self, cluster: &Cluster, name: &str) -> Learnt {
        let key = name.to_ascii_lowercase();
        if let Some(known) = self.lock_releases().get(&key) {
            return known.clone();
        }
        let learnt = self.ask_release(cluster, name);
        self.lock_releases().insert(key, learnt.clone());
        learnt
    }

    /// The same on a connection the command has open already: no second login to ask.
    pub fn release_on(&self, cluster: &Cluster, name: &str, conn: &Connection) -> Learnt {
        if let Some(known) = self.known_release(name) {
            return known;
        }
        let deadline = Instant::now() + self.timeout;
        let mut why = Vec::new();
        if self.via != Via::Ssh
            && let Ok(address) = self.address(cluster, name)
        {
            match self
                .until(deadline)
                .bounded(WEB_PROBE)
                .web(&address)
                .app_version()
            {
                Ok(v) => match Release::parse(&v) {
                    Some(r) => {
                        let learnt = Learnt::Known(r);
                        self.remember_release(name, &learnt);
                        return learnt;
                    }
                    None => why.push(format!(
                        "its web API named '{}', which is not a release",
                        crate::text::escape_line(&v)
                    )),
                },
                Err(e) => why.push(format!("its web API: {e}")),
            }
        }
        let learnt = match release_over(conn, deadline) {
            Learnt::Unknown(e) if !why.is_empty() => {
                Learnt::Unknown(format!("{}; {e}", why.join("; ")))
            }
            other => other,
        };
        self.remember_release(name, &learnt);
        learnt
    }

    /// The unit's release if this run learnt it already.
    pub fn known_release(&self, name: &str) -> Option<Learnt> {
        self.lock_releases()
            .get(&name.to_ascii_lowercase())
            .cloned()
    }

    /// Forgets what this run learnt of the unit's release (it was just updated).
    pub fn forget_release(&self, name: &str) {
        self.lock_releases().remove(&name.to_ascii_lowercase());
    }

    /// Records a release learnt on a connection the command already had.
    pub fn remember_release(&self, name: &str, learnt: &Learnt) {
        self.lock_releases()
            .insert(name.to_ascii_lowercase(), learnt.clone());
    }

    pub(super) fn lock_releases(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Learnt>> {
        self.releases.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn ask_release(&self, cluster: &Cluster, name: &str) -> Learnt {
        let deadline = Instant::now() + self.timeout;
        let address = match self.address(cluster, name) {
            Ok(a) => a,
            Err(e) => return Learnt::Unknown(e),
        };
        let mut why = Vec::new();
        if self.via != Via::Ssh {
            match self
                .until(deadline)
                .bounded(WEB_PROBE)
                .web(&address)
                .app_version()
            {
                Ok(v) => match Release::parse(&v) {
                    Some(r) => return Learnt::Known(r),
                    None => why.push(format!(
                        "its web API named '{}', which is not a release",
                        crate::text::escape_line(&v)
                    )),
                },
                Err(e) => why.push(format!("its web API: {e}")),
            }
        }
        if self.via != Via::Http {
            match self.until(deadline).ssh_until(name, &address, deadline) {
                Ok(conn) => match release_over(&conn, deadline) {
                    Learnt::Known(r) => return Learnt::Known(r),
                    Learnt::Unknown(e) => why.push(e),
                },
                Err(e) => why.push(format!("over SSH: {e}")),
            }
        }
        Learnt::Unknown(why.join("; "))
    }
}

/// `pio version` on an open connection.
pub fn release_over(conn: &Connection, deadline: Instant) -> Learnt {
    match conn.exec(commands::VERSION, deadline) {
        Ok(out) if out.success() => {
            let said = out.stdout.trim();
            // Some releases print more than the bare version (a banner): the last line is it.
            let last = said.lines().last().unwrap_or_default();
            match Release::parse(last) {
                Some(r) => Learnt::Known(r),
                None => Learnt::Unknown(format!(
                    "`{}` printed '{}', which is not a release",
                    commands::VERSION,
                    crate::text::escape_line(said)
                )),
            }
        }
        Ok(out) => Learnt::Unknown(format!(
            "`{}` failed (exit status {}): {}",
            commands::VERSION,
            out.status.map_or("unknown".to_string(), |s| s.to_string()),
            crate::text::escape_line(out.stderr.trim())
        )),
        Err(e) => Learnt::Unknown(format!("`{}`: {e}", commands::VERSION)),
    }
}
