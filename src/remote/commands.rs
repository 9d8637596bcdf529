//! The commands pio sends over SSH. Fixed strings: no name or other input ever reaches a shell.

pub const HOSTNAME: &str = "hostname";
pub const IS_PIOREACTOR: &str = "test -d ~/.pioreactor";
pub const REBOOT: &str = "sudo reboot";
pub const HALT_JOBS: &str = "pio kill --all-jobs";
pub const IDENTIFY: &str = "pio identify";
pub const BLINK: &str = "pio blink";
/// Changes at every boot: tells a unit that restarted from one that only answered again.
pub const BOOT_ID: &str = "cat /proc/sys/kernel/random/boot_id";
/// The unit's clock, in seconds since the epoch.
pub const CLOCK: &str = "date -u +%s.%N";

/// Sets the unit's clock to the leader's (a number pio formats itself).
pub fn set_clock(epoch: u64) -> String {
    format!("sudo date -u --set=@{epoch}")
}

/// The database era's own joining step on the worker (newer images have it).
pub fn cluster_join(epoch: u64) -> String {
    format!("pio cluster join --leader-time {epoch}")
}
