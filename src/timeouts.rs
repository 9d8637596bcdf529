//! Every time limit pio has, named once: clap's defaults and the code read them here, and a
//! test holds the help text to them (`cli::tests`).

use std::time::Duration;

/// `--timeout` of commands that act on units (status, sync-configs, set-active, remove, list
/// --releases, identify), and of `reboot` without `--wait`: seconds per unit.
pub const PER_UNIT: f64 = 10.0;
/// `reboot --timeout` without `--wait` is capped so: a reboot request that takes longer is
/// not going to be answered.
pub const REBOOT_REQUEST_MAX: f64 = 60.0;
/// `reboot --wait` and `rename`: seconds for a unit to come back.
pub const COME_BACK: f64 = 180.0;
/// `clock --tolerance`: seconds a unit's clock may be off the leader's before `clock` flags it
/// (and `doctor` warns).
pub const CLOCK_TOLERANCE: f64 = 2.0;
/// `doctor --timeout`: seconds per check of a unit.
pub const DOCTOR_CHECK: f64 = 5.0;
/// `workers discover --timeout`: seconds to listen.
pub const DISCOVER: f64 = 3.0;
/// `cluster update --timeout`: seconds for one unit to update its software and answer with the
/// new release (a Pi Zero takes several minutes to install a release).
pub const UPDATE: f64 = 900.0;
/// `backup` and `restore --timeout`: seconds for the whole transfer (a leader's archive may
/// weigh hundreds of MB on a Pi's network).
pub const ARCHIVE: f64 = 600.0;
/// `workers add --timeout`: seconds for a new worker to appear on the network.
pub const ADD: f64 = 60.0;

/// Once a new worker's SSH server greeted, logging in, copying, setting its clock and rebooting
/// get at least this long (a Pi Zero takes a few seconds per SSH login).
pub const ADD_SESSION: Duration = Duration::from_secs(15);
/// Each attempt at a new worker's SSH port connects within this.
pub const ADD_CONNECT_ATTEMPT: Duration = Duration::from_secs(2);
/// `rename`: logging in to the unit.
pub const RENAME_LOGIN: Duration = Duration::from_secs(15);
/// The leader's web API: on this machine or next to it.
pub const LEADER_API: Duration = Duration::from_secs(15);
/// A background task of the leader's API may take at least this long to finish.
pub const LEADER_TASK_MIN: Duration = Duration::from_secs(10);
/// The first contact with the leader's API, before pio concludes nothing listens.
pub const LEADER_API_PROBE: Duration = Duration::from_secs(2);
/// A unit's web API, asked its release before SSH is tried.
pub const RELEASE_WEB_PROBE: Duration = Duration::from_secs(2);
/// A unit's web API, asked its clock with `--via auto`: a port that drops packets (images before
/// 24.9 have no web API) leaves the rest of the unit's time to `date` over SSH.
pub const CLOCK_WEB_PROBE: Duration = Duration::from_secs(2);
/// An mDNS lookup of one unit.
pub const MDNS_RESOLVE_MAX: Duration = Duration::from_secs(5);
/// Waiting for another pio's lock on config.ini (`PIO_LOCK_WAIT` overrides).
pub const LOCK_WAIT: Duration = Duration::from_secs(10);
/// A blink takes its duration and this much more.
pub const BLINK_EXTRA: Duration = Duration::from_secs(5);

/// When a command's (or a unit's) time is up: one per command or unit, handed down to every
/// step, which gets what is left of it, never a fresh allowance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(std::time::Instant);

impl Deadline {
    /// `time` from now.
    pub fn after(time: Duration) -> Deadline {
        Deadline(std::time::Instant::now() + time)
    }

    /// What is left (zero once passed).
    pub fn left(self) -> Duration {
        self.0.saturating_duration_since(std::time::Instant::now())
    }

    pub fn passed(self) -> bool {
        self.left().is_zero()
    }

    /// The instant, for the transports, which take one.
    pub fn instant(self) -> std::time::Instant {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_only_shrinks() {
        let d = Deadline::after(Duration::from_millis(200));
        let first = d.left();
        assert!(first <= Duration::from_millis(200) && !d.passed());
        std::thread::sleep(Duration::from_millis(5));
        assert!(d.left() < first);
        let past = Deadline::after(Duration::ZERO);
        assert!(past.passed() && past.left().is_zero());
    }
}
