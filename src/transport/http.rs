//! The worker web API over HTTP (reqwest, blocking): `{proto}://{address}:{port}/unit_api/...`.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// How to reach a unit's web API.
#[derive(Clone, Debug)]
pub struct WebApi {
    base: String,
    client: reqwest::blocking::Client,
    /// Each request's bound, when tighter than the client's.
    timeout: Option<Duration>,
}

#[derive(Debug)]
pub enum HttpError {
    /// No answer: refused, unreachable, timed out.
    Unreachable(String),
    /// An answer with an unexpected status (e.g. 404 on an image without that endpoint).
    Status { url: String, status: u16 },
    /// An answer that is not the JSON the contract describes.
    BadAnswer { url: String, why: String },
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Unreachable(why) => write!(f, "web API not reachable: {why}"),
            HttpError::Status { url, status } => write!(f, "{url} answered HTTP {status}"),
            HttpError::BadAnswer { url, why } => write!(f, "{url}: unexpected answer: {why}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// The most of an answer pio reads: every answer of the contract is a few kilobytes.
pub const MAX_BODY: u64 = 1 << 20;

/// An answer's JSON, reading at most [`MAX_BODY`] bytes (an endless body is an error, not an
/// out-of-memory).
pub fn read_json(resp: reqwest::blocking::Response) -> Result<Value, String> {
    read_json_by(resp, None)
}

/// [`read_json`], done by `deadline`: a peer that trickles its body (a chunk now and then,
/// each within the client's per-read timeout) is cut off when the time is up, checked between
/// reads.
pub fn read_json_by(
    mut resp: reqwest::blocking::Response,
    deadline: Option<std::time::Instant>,
) -> Result<Value, String> {
    use std::io::Read;
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            return Err("the answer did not arrive in time (it came too slowly)".to_string());
        }
        let n = resp.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > MAX_BODY {
            return Err(format!("the answer is larger than {} KiB", MAX_BODY / 1024));
        }
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

/// What `/unit_api/health` says.
#[derive(Clone, Debug)]
pub struct Health {
    pub unit: Option<String>,
    /// The unit's clock.
    pub utc_time: Option<std::time::SystemTime>,
    /// This machine's clock when the unit answered (the request's midpoint).
    pub asked_at: std::time::SystemTime,
}

/// A unit's clock as its web API read it (`GET /unit_api/system/utc_clock`), with this machine's
/// clock halfway through the request.
#[derive(Clone, Copy, Debug)]
pub struct ClockReading {
    /// The unit's clock minus this machine's, in seconds, at the request's midpoint.
    pub offset: f64,
    /// How long the request took: the offset is known to within half of it.
    pub round_trip: Duration,
    /// Whether the unit says its clock is synchronised (`timedatectl`; 26.11 and later).
    pub synchronized: Option<bool>,
}

/// Seconds since the epoch, as a number (before it: negative).
pub fn epoch_seconds(t: std::time::SystemTime) -> f64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

/// What became of a task a unit accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// Not done yet (202).
    Pending,
    /// Done (200): `succeeded`, or anything else the unit said.
    Done(String),
}

/// How a task the unit ran ended, or that it had not by the time given ([`WebApi::wait_task`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskEnd {
    Succeeded,
    /// What the unit said instead of `succeeded`.
    Failed(String),
    NotYet,
}

/// A background task the unit accepted (reboot, shutdown, halting jobs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// `accepted`, or `running` when another power action holds the lock.
    pub status: String,
    pub task_id: Option<String>,
}

/// One client for many units: connection setup and the runtime behind reqwest's blocking API
/// are made once.
pub fn client(timeout: Duration) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // A unit answers for itself: a redirect could send a reboot to another host.
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("an HTTP client without TLS configuration builds")
}

/// Why an https URL gets no answer: pio's HTTP client speaks plain HTTP only (no TLS library in
/// a binary meant for a Pi Zero; Pioreactor's web server serves plain HTTP unless changed).
pub const NO_HTTPS: &str = "the web API is set to https ([ui] proto=https in config.ini), \
     and pio speaks only plain http to it: set proto=http if the web server also serves http, \
     or reach units over SSH (--via ssh)";

/// Why a request got no answer, in a few words.
pub fn describe(e: &reqwest::Error) -> String {
    if e.url().is_some_and(|u| u.scheme() == "https") {
        NO_HTTPS.to_string()
    } else if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "connection refused or unreachable".to_string()
    } else {
        e.to_string()
    }
}

impl WebApi {
    pub fn new(client: reqwest::blocking::Client, proto: &str, address: &str, port: u16) -> WebApi {
        WebApi {
            base: format!("{proto}://{address}:{port}"),
            client,
            timeout: None,
        }
    }

    /// Bounds each request to `timeout`.
    pub fn within(mut self, timeout: Duration) -> WebApi {
        self.timeout = Some(timeout);
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn send(
        &self,
        req: reqwest::blocking::RequestBuilder,
        url: &str,
        ok: &[u16],
    ) -> Result<Value, HttpError> {
        // One deadline for the whole request, body included.
        let deadline = self.timeout.map(|t| std::time::Instant::now() + t);
        let req = match self.timeout {
            Some(t) => req.timeout(t),
            None => req,
        };
        let resp = req
            .send()
            .map_err(|e| HttpError::Unreachable(format!("{url}: {}", describe(&e))))?;
        let status = resp.status().as_u16();
        if !ok.contains(&status) {
            return Err(HttpError::Status {
                url: url.to_string(),
                status,
            });
        }
        read_json_by(resp, deadline).map_err(|e| HttpError::BadAnswer {
            url: url.to_string(),
            why: e.to_string(),
        })
    }

    fn get(&self, path: &str) -> Result<Value, HttpError> {
        let url = self.url(path);
        self.send(self.client.get(&url), &url, &[200])
    }

    fn post_task(&self, path: &str) -> Result<Task, HttpError> {
        let url = self.url(path);
        let v = self.send(self.client.post(&url), &url, &[200, 202])?;
        let status = v["status"].as_str().unwrap_or("accepted").to_string();
        Ok(Task {
            status,
            task_id: v["task_id"].as_str().map(str::to_string),
        })
    }

    /// `POST /unit_api/system/update/app` (25.8 and later; 404 before): the Python CLI's update of
    /// the unit's software, to `version` else its default (the latest), as a task.
    pub fn update_app(&self, version: Option<&str>) -> Result<Task, HttpError> {
        let path = "/unit_api/system/update/app";
        let url = self.url(path);
        let options = match version {
            Some(v) => serde_json::json!({"version": v}),
            None => serde_json::json!({}),
        };
        let body = serde_json::json!({"options": options, "args": [], "env": {}}).to_string();
        let req = self
            .client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        let v = self.send(req, &url, &[200, 202])?;
        Ok(Task {
            status: v["status"].as_str().unwrap_or("accepted").to_string(),
            task_id: v["task_id"].as_str().map(str::to_string),
        })
    }

    /// A string field of the JSON a GET answers.
    fn get_field(&self, path: &str, field: &str) -> Result<String, HttpError> {
        let v = self.get(path)?;
        v[field]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| HttpError::BadAnswer {
                url: self.url(path),
                why: format!("no \"{field}\" in the answer"),
            })
    }

    /// `GET /unit_api/health`: the unit's name and clock (absent on older images: 404), with
    /// the time halfway through the request, to compare clocks.
    pub fn health(&self) -> Result<Health, HttpError> {
        let url = self.url("/unit_api/health");
        let sent = std::time::SystemTime::now();
        let v = self.send(self.client.get(&url), &url, &[200])?;
        let received = std::time::SystemTime::now();
        let midpoint = sent + received.duration_since(sent).unwrap_or_default() / 2;
        Ok(Health {
            unit: v["pioreactor_unit"].as_str().map(str::to_string),
            utc_time: v["utc_time"].as_str().and_then(crate::utc::parse),
            asked_at: midpoint,
        })
    }

    /// `GET /unit_api/system/utc_clock` (25.1.21 and later): the unit's clock against this
    /// machine's, from the middle of the request (the answer's `clock_time` has milliseconds).
    pub fn utc_clock(&self) -> Result<ClockReading, HttpError> {
        let url = self.url("/unit_api/system/utc_clock");
        let (sent, started) = (std::time::SystemTime::now(), std::time::Instant::now());
        let v = self.send(self.client.get(&url), &url, &[200])?;
        let round_trip = started.elapsed();
        let midpoint = epoch_seconds(sent) + round_trip.as_secs_f64() / 2.0;
        let theirs = v["clock_time"]
            .as_str()
            .and_then(crate::utc::parse)
            .ok_or_else(|| HttpError::BadAnswer {
                url: url.clone(),
                why: "no \"clock_time\" in ISO 8601 in the answer".to_string(),
            })?;
        Ok(ClockReading {
            offset: epoch_seconds(theirs) - midpoint,
            round_trip,
            synchronized: v["synchronized"].as_bool(),
        })
    }

    /// `POST /unit_api/system/utc_clock` with no body: a worker syncs from its chrony sources
    /// (never sent to the leader, which takes a time to set instead).
    pub fn sync_clock(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/system/utc_clock")
    }

    /// `GET /unit_api/task_results/<id>`: 202 while the task runs, 200 with its `status` once
    /// done. Task ids the unit gave are used only when made of letters, digits, `-` and `_`.
    fn task_state(&self, task_id: &str) -> Result<TaskState, HttpError> {
        let path = format!("/unit_api/task_results/{task_id}");
        let url = self.url(&path);
        if task_id.is_empty()
            || task_id.len() > 128
            || !task_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(HttpError::BadAnswer {
                url,
                why: "a task id pio does not put in a path".to_string(),
            });
        }
        let req = self.client.get(&url);
        let v = self.send(req, &url, &[200, 202])?;
        Ok(match v["status"].as_str() {
            Some("pending" | "running") | None => TaskState::Pending,
            // The task ran and said it failed (the sync's `chronyd` or `systemctl` did).
            Some(_) if v["result"] == Value::Bool(false) => TaskState::Done("failed".into()),
            Some(done) => TaskState::Done(done.to_string()),
        })
    }

    /// `GET /unit_api/jobs/settings/job_name/monitor`: what the unit's monitor job publishes
    /// (its versions, the Raspberry Pi, MAC addresses), `None` when it is not running (404).
    pub fn monitor_settings(&self) -> Result<Option<serde_json::Map<String, Value>>, HttpError> {
        let path = "/unit_api/jobs/settings/job_name/monitor";
        match self.get(path) {
            Ok(v) => match v.get("settings") {
                Some(Value::Object(settings)) => Ok(Some(settings.clone())),
                _ => Err(HttpError::BadAnswer {
                    url: self.url(path),
                    why: "no settings object".to_string(),
                }),
            },
            Err(HttpError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The task `task_id`, asked every 200 ms until it ends or less than 250 ms is left before
    /// `until` ([`TaskEnd::NotYet`]).
    pub fn wait_task(
        &self,
        task_id: &str,
        until: std::time::Instant,
    ) -> Result<TaskEnd, HttpError> {
        loop {
            match self.task_state(task_id)? {
                TaskState::Done(s) if s == "succeeded" || s == "complete" => {
                    return Ok(TaskEnd::Succeeded);
                }
                TaskState::Done(s) => return Ok(TaskEnd::Failed(s)),
                TaskState::Pending => {}
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left < Duration::from_millis(250) {
                return Ok(TaskEnd::NotYet);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `GET /unit_api/versions/app`: the Pioreactor software version.
    pub fn app_version(&self) -> Result<String, HttpError> {
        self.get_field("/unit_api/versions/app", "version")
    }

    pub fn reboot(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/system/reboot")
    }

    /// `POST /unit_api/system/repair` (26.5 and later): ownership, permissions and services.
    pub fn repair(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/system/repair")
    }

    pub fn shutdown(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/system/shutdown")
    }

    pub fn stop_all_jobs(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/jobs/stop/all")
    }

    /// `GET /unit_api/zipped_dot_pioreactor` (25.9.18 and later): the unit's `~/.pioreactor` as
    /// a zip, written to `sink` (at most `max` bytes), by the request's deadline.
    pub fn download_archive(
        &self,
        sink: &mut dyn std::io::Write,
        max: u64,
    ) -> Result<u64, HttpError> {
        use std::io::Read;
        let url = self.url("/unit_api/zipped_dot_pioreactor");
        let deadline = self.timeout.map(|t| std::time::Instant::now() + t);
        let mut req = self.client.get(&url);
        if let Some(t) = self.timeout {
            req = req.timeout(t);
        }
        let mut resp = req
            .send()
            .map_err(|e| HttpError::Unreachable(format!("{url}: {}", describe(&e))))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(HttpError::Status { url, status });
        }
        let bad = |why: String| HttpError::BadAnswer {
            url: url.clone(),
            why,
        };
        let (mut total, mut chunk) = (0u64, vec![0u8; 64 * 1024]);
        loop {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(bad("the archive did not arrive in time".to_string()));
            }
            let n = resp.read(&mut chunk).map_err(|e| bad(e.to_string()))?;
            if n == 0 {
                return Ok(total);
            }
            total += n as u64;
            if total > max {
                return Err(bad(format!("the archive is larger than {} MiB", max >> 20)));
            }
            sink.write_all(&chunk[..n])
                .map_err(|e| bad(format!("cannot write it: {e}")))?;
        }
    }

    /// `POST /unit_api/import_zipped_dot_pioreactor` (25.11.12 and later) with the `len` bytes
    /// of `archive` as the form's `archive` file: the unit checks it (refusing another unit's),
    /// puts it in place of its `~/.pioreactor` and reboots itself. A refusal carries the unit's
    /// own message.
    pub fn import_archive(&self, archive: std::fs::File, len: u64) -> Result<Task, HttpError> {
        use std::io::Read;
        let url = self.url("/unit_api/import_zipped_dot_pioreactor");
        let boundary = format!("pio-archive-{:016x}", crate::random::unguessable());
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"archive\"; \
             filename=\"dot_pioreactor.zip\"\r\nContent-Type: application/zip\r\n\r\n"
        );
        let tail = format!("\r\n--{boundary}--\r\n");
        let size = head.len() as u64 + len + tail.len() as u64;
        let body = std::io::Cursor::new(head.into_bytes())
            .chain(archive.take(len))
            .chain(std::io::Cursor::new(tail.into_bytes()));
        let mut req = self
            .client
            .post(&url)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(reqwest::blocking::Body::sized(body, size));
        if let Some(t) = self.timeout {
            req = req.timeout(t);
        }
        let resp = req
            .send()
            .map_err(|e| HttpError::Unreachable(format!("{url}: {}", describe(&e))))?;
        let status = resp.status().as_u16();
        let answer = read_json(resp).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let said = ["error", "cause", "remediation"]
                .iter()
                .filter_map(|k| answer[*k].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if said.is_empty() {
                return Err(HttpError::Status { url, status });
            }
            return Err(HttpError::BadAnswer {
                url,
                why: format!("HTTP {status}: {said}"),
            });
        }
        Ok(Task {
            status: answer["status"].as_str().unwrap_or("accepted").to_string(),
            task_id: answer["task_id"].as_str().map(str::to_string),
        })
    }
}
