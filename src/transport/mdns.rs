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

/// The service every Pioreactor worker advertises.
pub const WORKER_SERVICE: &str = "_pio-worker._tcp.local.";

/// A worker seen on the network.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// Its hostname, without `.local`.
    pub name: String,
    pub address: Option<Ipv4Addr>,
}

/// Browses for workers for `timeout`, then stops (it never waits longer).
pub fn browse(timeout: Duration) -> Result<Vec<Found>, String> {
    let daemon = ServiceDaemon::new().map_err(|e| format!("cannot start mDNS: {e}"))?;
    let events = daemon
        .browse(WORKER_SERVICE)
        .map_err(|e| format!("cannot browse {WORKER_SERVICE}: {e}"))?;
    let deadline = Instant::now() + timeout;
    let mut found: Vec<Found> = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(event) = events.recv_timeout(left) else {
            break;
        };
        if let mdns_sd::ServiceEvent::ServiceResolved(service) = event {
            let name = service
                .get_hostname()
                .trim_end_matches('.')
                .trim_end_matches(".local")
                .to_ascii_lowercase();
            let address = service.get_addresses_v4().into_iter().min();
            match found.iter_mut().find(|f| f.name == name) {
                Some(f) => f.address = f.address.or(address),
                None => found.push(Found { name, address }),
            }
        }
    }
    let _ = daemon.shutdown();
    found.sort();
    Ok(found)
}
