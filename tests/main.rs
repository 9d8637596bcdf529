//! pio's integration tests, one binary (one build of the shared harness in `common`): a module
//! per area. `cargo test --test main <area>::` runs one area.

mod clock;
mod common;

mod backup;
mod bad_input;
mod binary;
mod cluster_update;
mod completion;
mod concurrency;
mod discover;
mod docs;
mod doctor;
mod eras;
mod files_hostile;
mod fixtures_edit;
mod handoff;
mod hostile_peers;
mod http_hostile;
mod identify;
mod ini_fuzz;
mod ini_regressions;
mod json_schema;
mod layout;
mod leader_api;
mod leader_hostile;
mod reboot_wait;
mod releases;
mod remote;
mod rename;
mod repair;
mod shutdown;
mod store_hostile;
mod trust;
mod workers_cli;
