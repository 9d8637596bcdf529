//! The actions the contract defines, each by HTTP and/or SSH as `--via` says, answered with an
//! [`Outcome`] that names the transport that carried it.

use super::*;

impl<'c> Remote<'c> {
    /// Runs one of [`commands`] on the unit over SSH by `deadline`; success is exit status 0.
    fn ssh_run(
        &self,
        name: &str,
        address: &str,
        command: &SshCommand,
        deadline: Instant,
    ) -> std::result::Result<String, String> {
        let conn = self
            .ssh_until(name, address, deadline)
            .map_err(|e| e.to_string())?;
        let command = match command {
            SshCommand::Fixed(c) => c.to_string(),
            SshCommand::ByRelease(pick) => {
                // (The cache's lock is not held while the unit is asked.)
                let known = self.known_release(name);
                let learnt = match known {
                    Some(known) => known,
                    None => release::release_over(&conn, deadline),
                };
                self.remember_release(name, &learnt);
                pick(learnt.release())
            }
        };
        run_checked(&conn, &command, deadline)
    }

    /// An action by HTTP and/or SSH as `--via` says; with auto, SSH is tried when the web API
    /// does not answer or lacks the endpoint.
    fn act(
        &self,
        cluster: &Cluster,
        name: &str,
        by_http: impl Fn(&WebApi) -> std::result::Result<String, HttpError>,
        ssh_command: SshCommand,
        ssh_check: impl Fn(String) -> std::result::Result<String, String>,
    ) -> Outcome {
        // One deadline for the unit: finding it, HTTP, then SSH all fit in --timeout.
        let deadline = Instant::now() + self.timeout;
        let address = match self.address(cluster, name) {
            Ok(a) => a,
            Err(e) => {
                return Outcome {
                    unit: name.to_string(),
                    address: None,
                    via: None,
                    result: Err(e),
                    fell_back: false,
                };
            }
        };
        let outcome = |via, result, fell_back| Outcome {
            unit: name.to_string(),
            address: Some(address.clone()),
            via: Some(via),
            result,
            fell_back,
        };
        let http_error = match self.via {
            Via::Ssh => None,
            Via::Http | Via::Auto => match by_http(&self.until(deadline).web(&address)) {
                Ok(v) => return outcome(Used::Http, Ok(v), false),
                Err(e) if self.via == Via::Http => {
                    return outcome(Used::Http, Err(e.to_string()), false);
                }
                Err(e) => Some(e),
            },
        };
        match self
            .ssh_run(name, &address, &ssh_command, deadline)
            .and_then(&ssh_check)
        {
            Ok(v) => outcome(Used::Ssh, Ok(v), http_error.is_some()),
            Err(e) => {
                let fell_back = http_error.is_some();
                let why = match http_error {
                    Some(h) => format!("over HTTP: {h}; over SSH: {e}"),
                    None => e,
                };
                outcome(Used::Ssh, Err(why), fell_back)
            }
        }
    }

    /// Halts every job on the unit.
    pub fn halt_jobs(&self, cluster: &Cluster, name: &str) -> Outcome {
        self.act(
            cluster,
            name,
            |w| {
                w.stop_all_jobs()
                    .map(|t| format!("jobs halting ({})", t.status))
            },
            // 21.5 only has `pio kill --all`: the unit's release says which.
            SshCommand::ByRelease(&|release| {
                release
                    .map_or(crate::release::Halt::KillAllJobs, |r| r.needs().halt)
                    .command()
                    .to_string()
            }),
            |_| Ok("jobs halted".to_string()),
        )
    }

    /// Updates the unit's Pioreactor software: its web API's update task (25.8 and later),
    /// followed until it ends, else the Python CLI's `pio update app` over SSH (every release
    /// has it); all by the remote's `--timeout`. Forgets the release this run learnt of it.
    pub fn update_app(&self, cluster: &Cluster, name: &str, version: Option<&str>) -> Outcome {
        let command = commands::update_app(version);
        let until = Instant::now() + self.timeout;
        let outcome = self.until(until).act(
            cluster,
            name,
            |w| {
                let task = w.update_app(version)?;
                match task.task_id {
                    Some(id) => follow_task(w, &id, until, "update"),
                    None => Ok("update under way".to_string()),
                }
            },
            SshCommand::Fixed(&command),
            |_| Ok("updated".to_string()),
        );
        // What it answers now, not what this run learnt before.
        self.forget_release(name);
        outcome
    }

    /// Repairs the unit's Pioreactor files and services (26.5 and later): the web API's task,
    /// followed until it ends, else `pio repair` over SSH. A unit of an older release is told
    /// so, and nothing is sent to it.
    pub fn repair(&self, cluster: &Cluster, name: &str) -> Outcome {
        // One deadline for the unit: learning its release, then the repair.
        let until = Instant::now() + self.timeout;
        if let Some(r) = self.until(until).release(cluster, name).release()
            && !r.needs().repair
        {
            return Outcome {
                unit: name.to_string(),
                address: self.address(cluster, name).ok(),
                via: None,
                result: Err(format!(
                    "it runs {r}, which has no repair ({} and later)",
                    crate::release::first_with(crate::release::Feature::Repair)
                )),
                fell_back: false,
            };
        }
        self.until(until).act(
            cluster,
            name,
            |w| {
                let task = w.repair()?;
                match task.task_id {
                    Some(id) => follow_task(w, &id, until, "repair"),
                    None => Ok("repair under way".to_string()),
                }
            },
            SshCommand::Fixed(commands::REPAIR),
            |said| Ok(said.lines().last().unwrap_or("repaired").to_string()),
        )
    }

    /// What the unit's monitor job publishes (its web API, 24.9 and later): the Raspberry Pi, its
    /// MAC addresses, whether the monitor runs. `None` where the web API does not say.
    pub fn facts(&self, cluster: &Cluster, name: &str) -> Option<Facts> {
        let address = self.address(cluster, name).ok()?;
        let deadline = Instant::now() + self.timeout;
        let settings = match self.until(deadline).web(&address).monitor_settings().ok()? {
            None => {
                return Some(Facts {
                    monitor: "not running",
                    ..Facts::default()
                });
            }
            Some(s) => s,
        };
        // Peer text, bounded and on one line; the versions are JSON inside a string.
        let text = |v: Option<&serde_json::Value>| -> Option<String> {
            let s = v?.as_str()?.trim();
            // The monitor says "Not available" for an interface the Pi does not have.
            let said = !s.is_empty() && s != "Not available" && s.len() <= 256;
            said.then(|| crate::text::escape_line(s).into_owned())
        };
        let versions: Option<serde_json::Value> = settings
            .get("versions")
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok());
        Some(Facts {
            monitor: "running",
            rpi_model: text(versions.as_ref().and_then(|v| v.get("rpi_machine"))),
            wlan_mac: text(settings.get("wlan_mac_address")),
            eth_mac: text(settings.get("eth_mac_address")),
        })
    }

    /// Asks the unit to reboot.
    pub fn reboot(&self, cluster: &Cluster, name: &str) -> Outcome {
        self.power(cluster, name, WebApi::reboot, commands::REBOOT, "rebooting")
    }

    /// Asks the unit to power off.
    pub fn shutdown(&self, cluster: &Cluster, name: &str) -> Outcome {
        self.power(
            cluster,
            name,
            WebApi::shutdown,
            commands::SHUTDOWN,
            "shutting down",
        )
    }

    /// A power action: the web API's task where it answers, else the command over SSH.
    fn power(
        &self,
        cluster: &Cluster,
        name: &str,
        by_http: fn(&WebApi) -> std::result::Result<crate::transport::http::Task, HttpError>,
        over_ssh: &str,
        doing: &str,
    ) -> Outcome {
        self.act(
            cluster,
            name,
            |w| {
                by_http(w).map(|t| match t.status.as_str() {
                    // The unit's power lock is held: another reboot or shutdown is under way.
                    "running" => "a power action is already running".to_string(),
                    _ => doing.to_string(),
                })
            },
            SshCommand::Fixed(over_ssh),
            |_| Ok(doing.to_string()),
        )
    }

    /// Blinks the unit's LED: `pio identify` over SSH, or the Python stack's `pio blink` where
    /// this pio is not installed (its `pio` then has no `identify`).
    pub fn identify(&self, cluster: &Cluster, name: &str, duration: Option<f64>) -> Outcome {
        // --timeout bounds finding and reaching the unit, from now.
        let reach_by = Instant::now() + self.timeout;
        let (address, result) = match self.until(reach_by).address(cluster, name) {
            Ok(a) => (
                Some(a.clone()),
                self.identify_over_ssh(name, &a, duration, reach_by),
            ),
            Err(e) => (None, Err(e)),
        };
        Outcome {
            unit: name.to_string(),
            address,
            via: Some(Used::Ssh),
            result,
            fell_back: false,
        }
    }

    fn identify_over_ssh(
        &self,
        name: &str,
        address: &str,
        duration: Option<f64>,
        reach_by: Instant,
    ) -> std::result::Result<String, String> {
        // The blink itself may take its duration and 5 s more.
        let blink_time =
            Duration::from_secs_f64(duration.unwrap_or(3.5)) + crate::timeouts::BLINK_EXTRA;
        let end = reach_by + blink_time;
        let deadline = || end;
        let conn = self
            .ssh_until(name, address, reach_by)
            .map_err(|e| e.to_string())?;
        let command = match duration {
            Some(d) => commands::identify_for(d),
            None => commands::IDENTIFY.to_string(),
        };
        let out = conn.exec(&command, deadline()).map_err(|e| e.to_string())?;
        if out.success() {
            return Ok(format!("blinked ({})", commands::IDENTIFY));
        }
        if !missing_command(&out) {
            return Err(format!("`{command}` failed: {}", out.stderr.trim()));
        }
        // Only the Python stack is there: its release says whether it has `pio blink`.
        let learnt = release::release_over(&conn, deadline());
        self.remember_release(name, &learnt);
        if let Some(r) = learnt.release().filter(|r| !r.needs().blink) {
            return Err(format!(
                "neither this pio nor the Python stack's `{}` is there: {r} has no LED command \
                 (`pio blink` came with 21.11)",
                commands::BLINK
            ));
        }
        let out = conn
            .exec(commands::BLINK, deadline())
            .map_err(|e| e.to_string())?;
        if out.success() {
            Ok(format!("blinked ({}, the Python stack's)", commands::BLINK))
        } else {
            Err(format!(
                "neither `{}` nor `{}` ran: {}",
                commands::IDENTIFY,
                commands::BLINK,
                out.stderr.trim()
            ))
        }
    }

    /// Copies files to the unit over SSH, each replaced atomically.
    pub fn push_files(&self, cluster: &Cluster, name: &str, files: &[(&str, Vec<u8>)]) -> Outcome {
        let address = self.address(cluster, name);
        let deadline = Instant::now() + self.timeout;
        let result = address.clone().and_then(|address| {
            let conn = self
                .ssh_until(name, &address, deadline)
                .map_err(|e| e.to_string())?;
            push_over(&conn, files, deadline)?;
            let names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
            Ok(format!("copied {}", names.join(" and ")))
        });
        Outcome {
            unit: name.to_string(),
            address: address.ok(),
            via: Some(Used::Ssh),
            result,
            fell_back: false,
        }
    }

    /// Whether the unit answers, as itself: its app version over HTTP, or `hostname` over SSH.
    pub fn status(&self, cluster: &Cluster, name: &str) -> Outcome {
        let expect = name.to_string();
        let unit = name.to_string();
        self.act(
            cluster,
            name,
            move |w| {
                http_identity(w, &unit)?;
                w.app_version()
            },
            SshCommand::Fixed(commands::HOSTNAME_AND_VERSION),
            move |answer| {
                // Its name, then its release where the Python stack answers `pio version`.
                let mut lines = answer.lines();
                let name = lines.next().unwrap_or_default().trim();
                if !crate::cluster::name::same(name, &expect) {
                    // (Kept exact for --json; every terminal line is escaped where printed.)
                    return Err(format!("answered as '{name}', not '{expect}'"));
                }
                Ok(lines
                    .last()
                    .and_then(crate::release::Release::parse)
                    .map(|r| r.to_string())
                    .unwrap_or_default())
            },
        )
    }

    /// [`Remote::status`], remembering the release the unit named.
    pub fn status_and_release(&self, cluster: &Cluster, name: &str) -> Outcome {
        let outcome = self.status(cluster, name);
        if let Ok(said) = &outcome.result
            && let Some(release) = crate::release::Release::parse(said)
        {
            self.remember_release(name, &crate::release::Learnt::Known(release));
        }
        outcome
    }
}

/// What an action runs over SSH: a fixed command, or one its release decides (learnt on the
/// same connection when not known yet).
enum SshCommand<'a> {
    Fixed(&'a str),
    ByRelease(&'a dyn Fn(Option<&crate::release::Release>) -> String),
}

/// A task the unit runs (`what`: `repair`, `update`) until it ends, or `until` (then it is said
/// to be under way: asking again over SSH would start it twice).
fn follow_task(
    web: &WebApi,
    id: &str,
    until: Instant,
    what: &str,
) -> std::result::Result<String, HttpError> {
    use crate::transport::http::TaskEnd;
    match web.wait_task(id, until)? {
        TaskEnd::Succeeded => Ok(format!("{what} done")),
        TaskEnd::Failed(s) => Err(HttpError::BadAnswer {
            url: web.url(&format!("/unit_api/task_results/{id}")),
            why: format!("the {what} ended '{}'", crate::text::escape_line(&s)),
        }),
        TaskEnd::NotYet => Ok(format!(
            "{what} under way (it did not end within --timeout)"
        )),
    }
}

/// Whether the web API is `expect`'s: `Ok(true)` when its health endpoint says so, `Ok(false)` on
/// older images without that endpoint (404), which cannot say who they are.
pub(super) fn http_identity(web: &WebApi, expect: &str) -> std::result::Result<bool, HttpError> {
    let bad = |why: String| HttpError::BadAnswer {
        url: web.url("/unit_api/health"),
        why,
    };
    match web.health() {
        Ok(h) => match h.unit.as_deref() {
            Some(u) if crate::cluster::name::same(u, expect) => Ok(true),
            Some(u) => Err(bad(format!("the unit there is '{u}', not '{expect}'"))),
            None => Err(bad("no \"pioreactor_unit\" in the answer".to_string())),
        },
        Err(HttpError::Status { status: 404, .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs `command` on an open connection by `deadline`: its stdout when it exits 0, else what
/// failed (the exit status and what it printed on stderr).
pub fn run_checked(
    conn: &Connection,
    command: &str,
    deadline: Instant,
) -> std::result::Result<String, String> {
    let out = conn.exec(command, deadline).map_err(|e| e.to_string())?;
    if out.success() {
        Ok(out.stdout.trim().to_string())
    } else {
        Err(format!(
            "`{command}` failed (exit status {}){}",
            out.status.map_or("unknown".to_string(), |s| s.to_string()),
            match out.stderr.trim() {
                "" => String::new(),
                e => format!(": {}", crate::text::escape_line(e)),
            }
        ))
    }
}

/// Writes files on an open connection (config.ini mode 0644, in a 0755 folder).
pub fn push_over(
    conn: &Connection,
    files: &[(&str, Vec<u8>)],
    deadline: Instant,
) -> std::result::Result<(), String> {
    for (path, data) in files {
        conn.write_file_atomic(std::path::Path::new(path), data, 0o644, 0o755, deadline)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
