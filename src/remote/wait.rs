//! Waiting for a unit that was asked to reboot: gone, then back under its name with a new boot id.

use super::action::http_identity;
use super::*;

impl<'c> Remote<'c> {
    /// The unit's boot id, read over SSH within the unit timeout (logging in and reading share
    /// it); `None` when it cannot be read.
    pub fn boot_id(&self, name: &str, address: &str) -> Option<String> {
        let deadline = Instant::now() + self.timeout;
        let conn = self.ssh_until(name, address, deadline).ok()?;
        let out = conn.exec(commands::BOOT_ID, deadline).ok()?;
        Some(out.stdout.trim().to_string()).filter(|id| out.success() && !id.is_empty())
    }

    /// Waits, until `until`, for a unit that was asked to reboot to have restarted and to answer
    /// again as `expect`, over `via` (the transport that rebooted it). Restarted means a boot id
    /// other than `before`; without one, that it stopped answering for a while. Every attempt is
    /// bounded by what is left of the wait. Ok: how long it took; Err: what was last seen.
    pub fn wait_back(
        &self,
        expect: &str,
        address: impl Fn(&Remote) -> std::result::Result<String, String>,
        via: Used,
        before: Option<&str>,
        until: Instant,
    ) -> std::result::Result<Duration, String> {
        let start = Instant::now();
        let mut seen_down = false;
        let mut last = NO_ANSWER_YET.to_string();
        loop {
            if until <= Instant::now() {
                return Err(last);
            }
            // Each step is bounded by what is left of the wait when it starts: a step that
            // took long leaves the next one less, never a fresh allowance past `until`.
            let left = || self.until(until);
            match address(&left()).and_then(|at| left().answers_as(expect, &at, via).map(|()| at)) {
                // An attempt the end of the wait cut short tells nothing new about the unit:
                // what was seen before stands (say, that it answers but has not restarted).
                Err(_) if ran_out(until) && last != NO_ANSWER_YET => return Err(last),
                Err(e) => {
                    seen_down = true;
                    last = e;
                }
                Ok(at) => {
                    match (before, left().boot_id(expect, &at)) {
                        (Some(old), Some(now)) if now != old => return Ok(start.elapsed()),
                        (Some(_), Some(_)) => last = NOT_RESTARTED.into(),
                        (None, _) | (Some(_), None) if seen_down => return Ok(start.elapsed()),
                        // The boot id read ran out of time: the old one seen before still stands.
                        (Some(_), None) if last == NOT_RESTARTED => {}
                        _ => last = "it answers, but has not gone away yet".into(),
                    }
                }
            }
            let pause =
                Duration::from_millis(500).min(until.saturating_duration_since(Instant::now()));
            std::thread::sleep(pause);
        }
    }

    /// Whether the unit answers as `expect` over `via`: the web API's health (or, on images
    /// without it, its version), or `hostname` over SSH; all of it within the unit timeout.
    fn answers_as(&self, expect: &str, at: &str, via: Used) -> std::result::Result<(), String> {
        let deadline = Instant::now() + self.timeout;
        match via {
            Used::Http => {
                let web = self.until(deadline).web(at);
                // An image without the health endpoint can only show it is up.
                if !http_identity(&web, expect).map_err(|e| e.to_string())? {
                    web.app_version().map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Used::Ssh => {
                let conn = self
                    .ssh_until(expect, at, deadline)
                    .map_err(|e| e.to_string())?;
                let out = conn
                    .exec(commands::HOSTNAME, deadline)
                    .map_err(|e| e.to_string())?;
                match out.stdout.trim() {
                    name if crate::cluster::name::same(name, expect) => Ok(()),
                    other => Err(format!("answers as '{other}'")),
                }
            }
        }
    }
}

/// Why a unit that answers is not back: it has the boot id it had before the reboot.
const NOT_RESTARTED: &str = "it answers, but with the boot id it had before: it has not restarted";

const NO_ANSWER_YET: &str = "no answer yet";

/// Whether the wait ending at `until` is over, or as good as over (timers fire a little early).
fn ran_out(until: Instant) -> bool {
    until.saturating_duration_since(Instant::now()) < Duration::from_millis(50)
}
