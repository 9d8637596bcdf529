//! A unit's system archive (`~/.pioreactor` as a zip), fetched and put back: through the unit's
//! web API where its release has the endpoints (25.11.12 and later) and `--via` allows, else
//! over SSH with a Python script every image can run. The leader is always backed up over SSH:
//! its web API zips the live database file, where the script takes it through SQLite's online
//! backup.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::time::Instant;

use crate::archive::MAX_ARCHIVE;
use crate::cluster::{Cluster, name};
use crate::transport::http::HttpError;
use crate::transport::ssh::Connection;

use super::{Outcome, Remote, Used, Via, commands};

/// What backing up or restoring `unit` is about to do, for plans and for the work itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveRoute {
    /// The web API first (else only SSH).
    pub http: bool,
    /// Why not the web API, when not.
    pub why_not_http: Option<&'static str>,
}

/// What restoring did.
pub struct Restored {
    pub outcome: Outcome,
    /// The unit reboots by itself (the web API's import does); else pio asks it to.
    pub reboots_itself: bool,
}

impl Remote<'_> {
    /// How to move `unit`'s archive: the web API when its release has the endpoints, `--via`
    /// allows and nothing rules it out (the leader's backup; an archive of another unit, which
    /// the unit's import refuses).
    pub fn archive_route(
        &self,
        cluster: &Cluster,
        unit: &str,
        restoring_other: bool,
        backing_up: bool,
    ) -> ArchiveRoute {
        let why_not = if self.via == Via::Ssh {
            Some("--via ssh")
        } else if backing_up && cluster.is_leader(unit) {
            Some("the leader's web API copies its live database file")
        } else if restoring_other {
            Some("the unit's web API refuses an archive of another unit")
        } else {
            let learnt = self.release(cluster, unit);
            match learnt.release() {
                Some(r) if r.needs().archive_api => None,
                Some(_) => Some("its release has no system archive endpoints (25.11.12 and later)"),
                None => Some("its release could not be learnt"),
            }
        };
        ArchiveRoute {
            http: why_not.is_none(),
            why_not_http: why_not,
        }
    }

    /// Writes `unit`'s archive into `sink` (an empty file), by `deadline`; `leader` names its
    /// leader in the archive's metadata, `when` its time.
    pub fn backup(
        &self,
        cluster: &Cluster,
        unit: &str,
        sink: &mut File,
        deadline: Instant,
        when: &str,
    ) -> Outcome {
        let mut outcome = Outcome {
            unit: unit.to_string(),
            address: None,
            via: None,
            result: Err(String::new()),
            fell_back: false,
        };
        let address = match self.address(cluster, unit) {
            Ok(a) => a,
            Err(e) => {
                outcome.result = Err(e);
                return outcome;
            }
        };
        outcome.address = Some(address.clone());
        let route = self
            .until(deadline)
            .archive_route(cluster, unit, false, true);
        let mut http_error = None;
        if route.http {
            outcome.via = Some(Used::Http);
            match self
                .until(deadline)
                .web(&address)
                .download_archive(sink, MAX_ARCHIVE)
            {
                Ok(n) => {
                    outcome.result = Ok(format!("{n} bytes from its web API"));
                    return outcome;
                }
                Err(e) if self.via == Via::Http => {
                    outcome.result = Err(e.to_string());
                    return outcome;
                }
                Err(e) => http_error = Some(e),
            }
            if let Err(e) = sink.set_len(0).and_then(|()| sink.seek(SeekFrom::Start(0))) {
                outcome.result = Err(format!("cannot start the file again: {e}"));
                return outcome;
            }
        } else if self.via == Via::Http {
            outcome.result = Err(format!(
                "not over HTTP: {}",
                route.why_not_http.unwrap_or_default()
            ));
            return outcome;
        }
        outcome.via = Some(Used::Ssh);
        outcome.fell_back = http_error.is_some();
        let release = self
            .known_release(unit)
            .and_then(|l| l.release().map(|r| r.to_string()))
            .unwrap_or_default();
        let over_ssh = self
            .connect_checked(unit, &address, deadline)
            .and_then(|conn| {
                let command = commands::backup(unit, cluster.leader, &release, when);
                let out = conn
                    .exec_into(&command, sink, MAX_ARCHIVE, deadline)
                    .map_err(|e| e.to_string())?;
                script_result("the backup script", out)
            });
        outcome.result = over_ssh.map_err(|e| match &http_error {
            Some(h) => format!("over HTTP: {h}; over SSH: {e}"),
            None => e,
        });
        outcome
    }

    /// Puts the archive `file` (`len` bytes, checked already) in place of `unit`'s
    /// `~/.pioreactor`, by `deadline`. `other` says it is another unit's archive.
    pub fn restore(
        &self,
        cluster: &Cluster,
        unit: &str,
        (file, len): (&File, u64),
        other: bool,
        (deadline, stamp): (Instant, &str),
    ) -> Restored {
        let mut restored = Restored {
            outcome: Outcome {
                unit: unit.to_string(),
                address: None,
                via: None,
                result: Err(String::new()),
                fell_back: false,
            },
            reboots_itself: false,
        };
        let o = &mut restored.outcome;
        let address = match self.address(cluster, unit) {
            Ok(a) => a,
            Err(e) => {
                o.result = Err(e);
                return restored;
            }
        };
        o.address = Some(address.clone());
        let route = self
            .until(deadline)
            .archive_route(cluster, unit, other, false);
        let open = || {
            file.try_clone()
                .and_then(|mut f| f.seek(SeekFrom::Start(0)).map(|_| f))
        };
        let mut http_error = None;
        if route.http {
            o.via = Some(Used::Http);
            let sent = open()
                .map_err(|e| HttpError::Unreachable(format!("cannot read the archive: {e}")))
                .and_then(|f| self.until(deadline).web(&address).import_archive(f, len));
            match sent {
                Ok(task) => {
                    o.result = Ok(format!(
                        "its web API took the archive ({}) and reboots the unit",
                        task.status
                    ));
                    restored.reboots_itself = true;
                    return restored;
                }
                // The unit's own refusal is final; only a missing or silent API falls back.
                Err(e) if self.via == Via::Http || matches!(e, HttpError::BadAnswer { .. }) => {
                    o.result = Err(e.to_string());
                    return restored;
                }
                Err(e) => http_error = Some(e),
            }
        } else if self.via == Via::Http {
            o.result = Err(format!(
                "not over HTTP: {}",
                route.why_not_http.unwrap_or_default()
            ));
            return restored;
        }
        o.via = Some(Used::Ssh);
        o.fell_back = http_error.is_some();
        let over_ssh = self
            .connect_checked(unit, &address, deadline)
            .and_then(|conn| {
                let mut source = open().map_err(|e| format!("cannot read the archive: {e}"))?;
                let name = format!(".pio-restore-{:016x}.zip", crate::random::unguessable());
                conn.upload(&mut source, std::path::Path::new(&name), deadline)
                    .map_err(|e| e.to_string())?;
                let out = conn
                    .exec(&commands::restore(&name, stamp), deadline)
                    .map_err(|e| e.to_string())?;
                let old = out.stdout.trim().to_string();
                script_result("the restore script", out).map(|_| match old.as_str() {
                    "" => "restored".to_string(),
                    o => format!(
                        "restored; its files from before are in {}",
                        crate::text::escape_line(o)
                    ),
                })
            });
        o.result = over_ssh.map_err(|e| match &http_error {
            Some(h) => format!("over HTTP: {h}; over SSH: {e}"),
            None => e,
        });
        restored
    }

    /// An SSH connection to `unit` that answered `hostname` with its name.
    fn connect_checked(
        &self,
        unit: &str,
        address: &str,
        deadline: Instant,
    ) -> std::result::Result<Connection, String> {
        let conn = self
            .ssh_until(unit, address, deadline)
            .map_err(|e| e.to_string())?;
        let said = super::run_checked(&conn, commands::HOSTNAME, deadline)?;
        if !name::same(said.trim(), unit) {
            return Err(format!(
                "the unit at {address} answers as '{}', not {unit}",
                crate::text::escape_line(said.trim())
            ));
        }
        Ok(conn)
    }
}

/// A script's exit: what it said on stderr (links it left out) when it succeeded, else why.
fn script_result(
    what: &str,
    out: crate::transport::ssh::Output,
) -> std::result::Result<String, String> {
    let said = crate::text::escape_line(out.stderr.trim());
    match out.status {
        Some(0) if said.is_empty() => Ok("done over SSH".to_string()),
        Some(0) => Ok(format!("done over SSH ({said})")),
        Some(127) => Err(format!("{what} could not run: no python3 on the unit")),
        status => Err(format!(
            "{what} failed (exit status {}){}",
            status.map_or("unknown".to_string(), |s| s.to_string()),
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        )),
    }
}
