//! mDNS with mdns-sd: resolving `<name>.local` (the system resolver usually cannot) and browsing
//! for `_pio-worker._tcp.local.`. Starting the daemon joins multicast on every interface, so
//! tests run this only inside network namespaces they create.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use mdns_sd::{HostnameResolutionEvent, ServiceDaemon};

/// Resolves `<name>.local` to an IPv4 address (IPv6 link-local answers are passed over),
/// giving up after `timeout`.
pub fn resolve(name: &str, timeout: Duration) -> Result<Ipv4Addr, String> {
    let daemon = ServiceDaemon::new().map_err(|e| format!("cannot start mDNS: {e}"))?;
    let host = format!("{name}.local.");
    let deadline = Instant::now() + timeout;
    let events = daemon
        .resolve_hostname(&host, Some(timeout.as_millis() as u64))
        .map_err(|e| format!("mDNS lookup of {name}.local: {e}"))?;
    let mut found = None;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(HostnameResolutionEvent::AddressesFound(_, addrs)) => {
                found = addrs.iter().find_map(|a| match a.to_ip_addr() {
                    IpAddr::V4(v4) => Some(v4),
                    IpAddr::V6(_) => None,
                });
                if found.is_some() {
                    break;
                }
            }
            Ok(HostnameResolutionEvent::SearchTimeout(_)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let _ = daemon.shutdown();
    found.ok_or_else(|| {
        format!(
            "{name}.local did not answer mDNS within {:.0} s",
            timeout.as_secs_f64()
        )
    })
}
