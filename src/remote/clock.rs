//! A unit's clock against this machine's, and bringing it to the leader's: through the unit's
//! web API where its release has the clock endpoint (25.1.21), else over SSH, as `--via` allows.

use std::time::{Duration, Instant, SystemTime};

use crate::cluster::Cluster;
use crate::release::ClockSync;
use crate::transport::http::{TaskEnd, WebApi, epoch_seconds};
use crate::transport::ssh::Connection;

use super::{Outcome, Remote, Used, Via, commands, run_checked};

/// A unit's clock as read once.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// The unit's clock minus this machine's, in seconds, at the middle of the request.
    pub offset: f64,
    /// How long the request took (the offset is known to within half of it).
    pub round_trip: Duration,
    pub via: Used,
    /// Whether the unit says its clock is synchronised (its web API, 26.11 and later).
    pub synchronized: Option<bool>,
}

/// What reading a unit's clock gave.
#[derive(Clone, Debug)]
pub struct ClockRead {
    pub unit: String,
    pub address: Option<String>,
    pub result: Result<Reading, String>,
}

/// The time a unit is brought to: the leader's.
#[derive(Clone, Debug)]
pub struct LeaderTime {
    /// The address units have the leader as their chrony source by (`leader_address`).
    pub address: Option<String>,
    /// The leader's clock minus this machine's, in seconds (0 when pio runs on the leader).
    pub offset: f64,
}

impl LeaderTime {
    fn now(&self) -> f64 {
        epoch_seconds(SystemTime::now()) + self.offset
    }
}

impl Remote<'_> {
    /// The unit's clock: `GET /unit_api/system/utc_clock` where `--via` allows and the unit has
    /// it, else `date` over SSH (the exec's round trip counted); both by one deadline.
    pub fn read_clock(&self, cluster: &Cluster, name: &str) -> ClockRead {
        let deadline = Instant::now() + self.timeout;
        let address = match self.address(cluster, name) {
            Ok(a) => a,
            Err(e) => {
                return ClockRead {
                    unit: name.to_string(),
                    address: None,
                    result: Err(e),
                };
            }
        };
        let mut http_error = None;
        if self.via != Via::Ssh {
            let web = match self.via {
                Via::Auto => self
                    .until(deadline)
                    .bounded(crate::timeouts::CLOCK_WEB_PROBE),
                _ => self.until(deadline),
            };
            match web.web(&address).utc_clock() {
                Ok(r) => {
                    let result = Ok(Reading {
                        offset: r.offset,
                        round_trip: r.round_trip,
                        via: Used::Http,
                        synchronized: r.synchronized,
                    });
                    return ClockRead {
                        unit: name.to_string(),
                        address: Some(address),
                        result,
                    };
                }
                Err(e) => http_error = Some(e.to_string()),
            }
        }
        let result = match (self.via, http_error) {
            (Via::Http, Some(e)) => Err(e),
            (_, http_error) => {
                self.clock_over_ssh(name, &address, deadline)
                    .map_err(|e| match http_error {
                        Some(h) => format!("over HTTP: {h}; over SSH: {e}"),
                        None => e,
                    })
            }
        };
        ClockRead {
            unit: name.to_string(),
            address: Some(address),
            result,
        }
    }

    fn clock_over_ssh(
        &self,
        name: &str,
        address: &str,
        deadline: Instant,
    ) -> Result<Reading, String> {
        let conn = self
            .until(deadline)
            .ssh_until(name, address, deadline)
            .map_err(|e| e.to_string())?;
        let sent = epoch_seconds(SystemTime::now());
        let started = Instant::now();
        let said = run_checked(&conn, commands::CLOCK, deadline)?;
        let round_trip = started.elapsed();
        let theirs: f64 = said
            .trim()
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite())
            .ok_or_else(|| {
                format!(
                    "`{}` printed '{}', not a time",
                    commands::CLOCK,
                    crate::text::escape_line(&said)
                )
            })?;
        Ok(Reading {
            offset: theirs - (sent + round_trip.as_secs_f64() / 2.0),
            round_trip,
            via: Used::Ssh,
            synchronized: None,
        })
    }

    /// How the unit's release has its clock brought to the leader's (a unit whose release
    /// cannot be learnt: over SSH, chrony where it has the leader as a source, else `date`).
    pub fn clock_sync_of(&self, cluster: &Cluster, name: &str) -> ClockSync {
        let how = self
            .release(cluster, name)
            .release()
            .map_or(ClockSync::ChronyElseDate, |r| r.needs().clock);
        match self.via {
            Via::Ssh => how.over_ssh(),
            _ => how,
        }
    }

    /// Brings the unit's clock to the leader's, the way its release does ([`ClockSync`]); with
    /// `--via auto`, SSH when the web API does not answer.
    pub fn sync_clock(&self, cluster: &Cluster, name: &str, leader: &LeaderTime) -> Outcome {
        let deadline = Instant::now() + self.timeout;
        let how = self.clock_sync_of(cluster, name);
        let outcome = |address: Option<String>, via, result, fell_back| Outcome {
            unit: name.to_string(),
            address,
            via,
            result,
            fell_back,
        };
        let address = match self.address(cluster, name) {
            Ok(a) => a,
            Err(e) => return outcome(None, None, Err(e), false),
        };
        let mut http_error = None;
        if how == ClockSync::WebApi {
            match follow_sync(&self.until(deadline).web(&address), deadline) {
                Ok(said) => return outcome(Some(address), Some(Used::Http), Ok(said), false),
                Err(e) if self.via == Via::Http => {
                    return outcome(Some(address), Some(Used::Http), Err(e), false);
                }
                Err(e) => http_error = Some(e),
            }
        } else if self.via == Via::Http {
            let why =
                "its release has no clock endpoint (it came with 25.1.21): use --via auto or ssh";
            return outcome(Some(address), Some(Used::Http), Err(why.to_string()), false);
        }
        let fell_back = http_error.is_some();
        let result = self
            .until(deadline)
            .ssh_until(name, &address, deadline)
            .map_err(|e| e.to_string())
            .and_then(|conn| sync_over_ssh(&conn, how.over_ssh(), leader, deadline))
            .map_err(|e| match &http_error {
                Some(h) => format!("over HTTP: {h}; over SSH: {e}"),
                None => e,
            });
        outcome(Some(address), Some(Used::Ssh), result, fell_back)
    }
}

/// `POST /unit_api/system/utc_clock`, then its task followed until it is done or `deadline`.
fn follow_sync(web: &WebApi, deadline: Instant) -> Result<String, String> {
    const ASKED: &str = "POST /unit_api/system/utc_clock";
    let task = web.sync_clock().map_err(|e| e.to_string())?;
    if task.status == "running" {
        return Ok("a clock sync was already running on it".to_string());
    }
    let Some(id) = task.task_id else {
        return Ok(format!("asked to sync by chrony ({ASKED})"));
    };
    match web.wait_task(&id, deadline) {
        Ok(TaskEnd::Succeeded) => Ok(format!("synced by chrony ({ASKED})")),
        Ok(TaskEnd::Failed(s)) => Err(format!(
            "its sync by chrony ended '{}' ({ASKED})",
            crate::text::escape_line(&s)
        )),
        Ok(TaskEnd::NotYet) => Err(format!(
            "its sync by chrony did not finish in time ({ASKED})"
        )),
        // A release that cannot say how its task went: the second reading will.
        Err(_) => Ok(format!("asked to sync by chrony ({ASKED})")),
    }
}

/// Over SSH: chrony where it has the leader as a source (given `chronyd`'s own time limit, 2 s
/// short of the deadline), else, or where chrony did not sync, `date` to the leader's time.
fn sync_over_ssh(
    conn: &Connection,
    how: ClockSync,
    leader: &LeaderTime,
    deadline: Instant,
) -> Result<String, String> {
    let mut chrony_said = None;
    if let (ClockSync::ChronyElseDate, Some(address)) = (how, &leader.address) {
        let left = deadline.saturating_duration_since(Instant::now()).as_secs();
        let chrony = commands::chrony_sync(
            address,
            u32::try_from(left.saturating_sub(2)).unwrap_or(u32::MAX),
        );
        match run_checked(conn, &chrony, deadline) {
            Ok(out) if out.contains(commands::NO_CHRONY_SOURCE) => {
                chrony_said = Some(format!("chrony does not have {address} as a source"));
            }
            Ok(_) => return Ok("synced by chrony (`sudo chronyd -q`)".to_string()),
            Err(e) => chrony_said = Some(format!("chrony did not sync ({e})")),
        }
    }
    let date = commands::set_clock_to(leader.now());
    run_checked(conn, &date, deadline)?;
    Ok(match chrony_said {
        Some(why) => format!("{why}: set to the leader's time (`{date}`)"),
        None => format!("set to the leader's time (`{date}`)"),
    })
}

/// The plan of [`Remote::sync_clock`] for one unit, for `--dry-run`.
pub fn sync_plan(how: ClockSync, via: Via, leader_address: Option<&str>) -> String {
    let date = commands::set_clock_to(0.0).replace("@0.000", "@<the leader's time>");
    let ssh = match (how.over_ssh(), leader_address) {
        (ClockSync::ChronyElseDate, Some(a)) => format!(
            "ssh: `sudo chronyd -q` (chrony stopped, then started again) where chrony has {a} as a source, else `{date}`"
        ),
        _ => format!("ssh: `{date}`"),
    };
    match (how, via) {
        (ClockSync::WebApi, Via::Http) => {
            "POST /unit_api/system/utc_clock (the unit runs chronyd -q)".to_string()
        }
        (ClockSync::WebApi, Via::Auto) => {
            format!("POST /unit_api/system/utc_clock (the unit runs chronyd -q), else {ssh}")
        }
        (_, Via::Http) => "nothing: its release has no clock endpoint (25.1.21)".to_string(),
        _ => ssh,
    }
}
