//! A worker joining its leader: the clock, the leader as its time source and, from 26.11, its
//! model, each the way the worker's release does it.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::release::{Release, TimeSource};
use crate::transport::ssh::Connection;

use super::{commands, run_checked};

/// Sets the worker's clock from this leader's and keeps it there: `pio cluster join` on 26.11
/// and later (with the model, where one is known), `sudo date` and the leader as chrony source
/// on 24.5.1-26.10 (as the Python add did), `sudo date` alone before. Says what ran.
pub fn join(
    conn: &Connection,
    release: &Release,
    leader_address: &str,
    model: Option<(&str, &str)>,
    deadline: Instant,
) -> Result<String, String> {
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let needs = release.needs();
    match needs.time_source {
        TimeSource::Join => {
            let join = commands::cluster_join(epoch, model);
            run_checked(conn, &join, deadline)?;
            Ok(format!("joined the cluster (`{join}`)"))
        }
        TimeSource::DateAndChronyLine => {
            let date = commands::set_clock(epoch);
            run_checked(conn, &date, deadline)?;
            run_checked(conn, &commands::chrony_source(leader_address), deadline)?;
            Ok(format!(
                "clock set from this leader's (`{date}`); the leader is its chrony source \
                 (`{}` in {})",
                commands::chrony_line(leader_address),
                commands::CHRONY_CONF
            ))
        }
        TimeSource::Date => {
            let date = commands::set_clock(epoch);
            run_checked(conn, &date, deadline)?;
            Ok(format!("clock set from this leader's (`{date}`)"))
        }
    }
}

/// The plan of [`join`], for `--dry-run`.
pub fn join_plan(release: &Release, leader_address: &str, model: Option<(&str, &str)>) -> String {
    let needs = release.needs();
    let date = commands::set_clock(0).replace("@0", "@<now>");
    match needs.time_source {
        TimeSource::Join => format!(
            "`{}`",
            commands::cluster_join(0, model).replace(" 0", " <now>")
        ),
        TimeSource::DateAndChronyLine => format!(
            "`{date}`, and `{}` in {} unless there",
            commands::chrony_line(leader_address),
            commands::CHRONY_CONF
        ),
        TimeSource::Date => format!("`{date}`"),
    }
}
