//! Reaching units: SSH (ssh2), the worker web API (reqwest), mDNS (mdns-sd) and the HAT's GPIO.
//! Transports know addresses, ports and commands; they know nothing of config.ini.

pub mod encoding;
pub mod fanout;
pub mod gpio;
pub mod http;
pub mod known_hosts;
pub mod mdns;
pub mod ssh;
pub mod ssh_config;
