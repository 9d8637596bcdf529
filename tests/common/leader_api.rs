//! A pretend Pioreactor leader web API (the database era, 24.4 and later), on loopback. It holds
//! the inventory a real leader keeps in SQLite, answers with the real statuses and bodies, and
//! records every request so tests can assert exactly what pio sent.
//!
//! Checked against the Pioreactor source at 26.7.2 (core/pioreactor/web/api.py, unit_api.py,
//! utils.py, app.py, tasks.py and packaging/shared-assets/sql). Where the real code differs from
//! shared/notes/pioreactor-eras.md, this follows the code:
//! - `PUT /api/workers` answers 201 `{"status":"success"}` every time, never 200: it is an
//!   INSERT OR REPLACE that resets `is_active` to 1, `added_at` to now and the model fields to
//!   the body's (null when left out). With `foreign_keys` on, the replace also deletes the
//!   worker's experiment assignment (ON DELETE CASCADE; checked with the real schema).
//! - `PUT /api/workers/<unit>/is_active`: an unknown worker is 400 ("Unknown Pioreactor worker"),
//!   checked before the body; `true`, `1.0` or `"1"` are 400 "Invalid request body."; 404 only
//!   happens in a race.
//! - `DELETE /api/workers/<unit>` answers 202 `{"status":"success"}`: no task to poll. The leader
//!   asks the worker to stop all jobs and to delete its config.ini; it does not edit
//!   `[cluster.addresses]` and does not call `/unit_api/cluster/leave`. The assignment goes too.
//! - `GET /api/workers/<unit>/experiment`: 404 for an unknown worker and for an unassigned one,
//!   with different bodies.
//! - `PUT /api/experiments/<exp>/workers`: an unknown worker is 400; a missing experiment is 500
//!   "Failed to add to database." (a foreign key failure); a retry is 200 (the row is replaced).
//! - `DELETE /api/experiments/<exp>/workers/<unit>`: an unknown worker is 400; 404 when not
//!   assigned to that experiment.
//! - `DELETE /api/workers/assignments` is a 202 task, but with no worker at all the real handler
//!   fails after clearing (500, Flask's generic internal error).
//! - `POST /api/experiments` answers 201 with the experiment's row (`experiment, created_at,
//!   description, delta_hours, worker_count, tags`); 409 when it exists; 400 for bad names.
//! - `POST /api/workers/<unit>/blink` answers 202 `{"status":"accepted"}` for any name: no task.
//! - Tasks: 202 `{"unit": <leader>, "task_id", "result_url_path": "/unit_api/task_results/<id>",
//!   "status": "accepted"}`. Polling answers 202 `{"task_id","result_url_path","status":
//!   "pending"}` (also for ids it never issued: never 404), then 200 with `"status":"succeeded",
//!   "result"` or 200 with `"status":"failed", "error", "cause", "remediation"` (no `result`). A
//!   fan-out's result maps each unit to `{"ok":true,"unit","value"}` or `{"ok":false,"unit",
//!   "error":{"kind","message"},"status_code","retryable"}`: a succeeded task may hold failures.
//! - Every error answer is `{"error","status","cause"}` plus `"remediation"` when there is one
//!   (`cause` falls back to `error`; `diagnostics` is left out when empty).
//!
//! Not modelled: the leader's calls to workers, MQTT, real clocks (timestamps come from a pretend
//! clock; `delta_hours` is 0.0), and msgspec's exact wording for malformed JSON.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{Map, Value, json};

use super::HOSTNAME;

/// The real error answers: (status, error, cause, remediation), `{}` standing for the name in
/// the path or body. An empty cause is the error again; an empty remediation is left out.
type Fail = (u16, &'static str, &'static str, &'static str);
#[rustfmt::skip]
mod fail {
    use super::Fail;
    const CHECK_NAME: &str = "Check the unit name or add the worker to the inventory.";
    pub const NOT_FOUND: Fail = (404, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.", "", "");
    pub const NOT_ALLOWED: Fail = (405, "The method is not allowed for the requested URL.", "", "");
    pub const INTERNAL: Fail = (500, "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.", "", "");
    pub const NOT_LEADER: Fail = (404, "Can't access /api/ endpoints when this unit isn't the leader. Did you mean /unit_api/?", "", "");
    pub const UNKNOWN_WORKER: Fail = (400, "Unknown Pioreactor worker: {}", "The requested worker is not registered in this cluster.", "Choose $broadcast or a worker from inventory.");
    pub const UNKNOWN_UNIT: Fail = (400, "Unknown Pioreactor unit: {}", "The requested unit is not registered in this cluster.", "Choose $broadcast, the leader, or a Pioreactor unit from inventory.");
    pub const GET_WORKER: Fail = (404, "Worker not found", "Worker '{}' not in leader database.", CHECK_NAME);
    pub const DELETE_WORKER: Fail = (404, "Worker {} not found", "Worker name not found in database.", CHECK_NAME);
    pub const INVALID_NAME: Fail = (400, "Invalid worker name", "Worker names must be hostnames, not raw addresses or localhost.", "Use the Pioreactor hostname without a .local suffix.");
    pub const INVALID_STATUS: Fail = (400, "Invalid status. Status must be integer 0 or 1.", "Received status '{}'.", "Send is_active as 0 or 1.");
    pub const EXPERIMENT_OF_UNKNOWN: Fail = (404, "Worker {} not found.", "Worker '{}' not in leader database.", CHECK_NAME);
    pub const UNASSIGNED: Fail = (404, "Worker `{}` is not assigned to any experiment.", "No experiment assignment for worker '{}'.", "Assign the worker to an experiment before querying its assignment.");
    pub const ASSIGN_FAILED: Fail = (500, "Failed to add to database.", "Failed to insert assignment into database.", "Check database logs and retry.");
    pub const NOT_ASSIGNED: Fail = (404, "Worker {} not found", "Worker name not found in database or not assigned to experiment.", "Check the unit name and assignment, then retry.");
    pub const EXPERIMENT_EXISTS: Fail = (409, "Experiment already exists", "Experiment name conflicts with an existing experiment.", "Choose a different experiment name and retry.");
    pub const NO_EXPERIMENT_NAME: Fail = (400, "Experiment name is required", "Request JSON missing 'experiment'.", "Provide an experiment name in the 'experiment' field.");
    pub const LONG_EXPERIMENT_NAME: Fail = (400, "Experiment name is too long", "Experiment name exceeds 199 characters.", "Shorten the experiment name to under 200 characters.");
    pub const CURRENT: Fail = (400, "Experiment name cannot be 'current'", "'current' is a reserved experiment identifier.", "Choose a different experiment name.");
    pub const TESTING: Fail = (400, "Experiment name cannot start with '_testing'", "Experiment names starting with '_testing' are reserved.", "Choose a name that does not start with '_testing'.");
    pub const SPECIAL_CHARACTERS: Fail = (400, "Experiment name cannot contain special characters (#, $, %, +, /, \\)", "Experiment name contains disallowed characters.", "Use letters, digits, spaces, dots, dashes, or underscores.");
}

/// How the server answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// A leader of the database era.
    #[default]
    Leader,
    /// Every request gets 500 with Flask's internal-error JSON.
    Broken,
    /// A Pioreactor that is not the leader: `/api/...` is 404 with the real hint.
    Worker,
    /// Not a Pioreactor: 404 with an HTML page for everything.
    Foreign,
}

/// What the next task does when polled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TaskOutcome {
    #[default]
    Succeed,
    /// Pending for this many polls, then succeeded.
    Pending(u32),
    /// The task raised: status "failed" with this error.
    Fail(String),
    /// Succeeded, but no unit could be reached (per-unit `ok: false`).
    Unreachable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// With the query string, as sent.
    pub path: String,
    /// None when empty; the JSON, or a JSON string holding the raw text when not JSON.
    pub body: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    pub pioreactor_unit: String,
    pub added_at: String,
    pub is_active: i64,
    pub model_name: Option<String>,
    pub model_version: Option<String>,
}

struct Experiment {
    name: String,
    description: String,
    created_at: String,
    tags: Vec<String>,
}

struct Task {
    polls_left: u32,
    result: Result<Value, String>,
}

type Reply = (u16, Value);
/// Handlers answer Err with an error reply, so `?` ends them early.
type Answer = Result<Reply, Reply>;

#[derive(Default)]
struct State {
    mode: Mode,
    workers: BTreeMap<String, Worker>,
    experiments: Vec<Experiment>,
    assignments: BTreeMap<String, String>,
    addresses: HashMap<String, String>,
    requests: Vec<Recorded>,
    tasks: HashMap<String, Task>,
    next_task: TaskOutcome,
    clock: u64,
}

pub struct LeaderApi {
    addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

impl LeaderApi {
    /// Serves on `addr` ("127.0.0.1:0" for any free port); loopback only.
    pub fn start(addr: &str) -> LeaderApi {
        let wanted: SocketAddr = addr.parse().expect("an IP:port");
        assert!(
            wanted.ip().is_loopback(),
            "{addr} is not a loopback address"
        );
        let server = Arc::new(tiny_http::Server::http(wanted).unwrap());
        let addr = server.server_addr().to_ip().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let (s, st) = (server.clone(), state.clone());
        let thread = std::thread::spawn(move || {
            for mut req in s.incoming_requests() {
                let mut raw = String::new();
                let _ = req.as_reader().read_to_string(&mut raw);
                let (method, path) = (req.method().to_string(), req.url().to_string());
                let (status, text, kind) = {
                    let mut state = st.lock().unwrap();
                    state.record(&method, &path, &raw);
                    if state.mode == Mode::Foreign {
                        let page = "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>";
                        (404, page.to_string(), "text/html")
                    } else {
                        let (status, body) = state.handle(&method, &path, &raw);
                        (status, body.to_string(), "application/json")
                    }
                };
                let header = tiny_http::Header::from_bytes("Content-Type", kind).unwrap();
                let response = tiny_http::Response::from_string(text)
                    .with_status_code(status)
                    .with_header(header);
                let _ = req.respond(response);
            }
        });
        LeaderApi {
            addr,
            server,
            state,
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://IP:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state().mode = mode;
    }

    /// The next task created (reboot, unassign-all) behaves so; later ones succeed again.
    pub fn next_task(&self, outcome: TaskOutcome) {
        self.state().next_task = outcome;
    }

    pub fn add_worker(
        &self,
        name: &str,
        active: bool,
        model_name: Option<&str>,
        model_version: Option<&str>,
    ) {
        let mut state = self.state();
        let added_at = state.stamp();
        let worker = Worker {
            pioreactor_unit: name.to_string(),
            added_at,
            is_active: active as i64,
            model_name: model_name.map(str::to_string),
            model_version: model_version.map(str::to_string),
        };
        state.workers.insert(name.to_string(), worker);
    }

    pub fn add_experiment(&self, name: &str) {
        let mut state = self.state();
        let created_at = state.stamp();
        state.experiments.push(Experiment {
            name: name.to_string(),
            description: String::new(),
            created_at,
            tags: Vec::new(),
        });
    }

    /// Both must exist, as the database's foreign keys demand.
    pub fn assign(&self, unit: &str, experiment: &str) {
        let mut state = self.state();
        assert!(state.workers.contains_key(unit), "no worker {unit}");
        assert!(
            state.experiment(experiment).is_some(),
            "no experiment {experiment}"
        );
        state.assignments.insert(unit.into(), experiment.into());
    }

    /// A `[cluster.addresses]` line of the leader's config.ini.
    pub fn set_address(&self, unit: &str, addr: &str) {
        self.state().addresses.insert(unit.into(), addr.into());
    }

    /// Ordered by unit.
    pub fn workers(&self) -> Vec<Worker> {
        self.state().workers.values().cloned().collect()
    }

    pub fn assignment_of(&self, unit: &str) -> Option<String> {
        self.state().assignments.get(unit).cloned()
    }

    /// Newest first, as `GET /api/experiments` lists them.
    pub fn experiments(&self) -> Vec<String> {
        let state = self.state();
        let mut names: Vec<String> = state.experiments.iter().map(|e| e.name.clone()).collect();
        names.reverse();
        names
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    pub fn requests_to(&self, method: &str, path_prefix: &str) -> Vec<Recorded> {
        let all = self.requests().into_iter();
        all.filter(|r| r.method == method && r.path.starts_with(path_prefix))
            .collect()
    }
}

impl Drop for LeaderApi {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An error answer as app.py normalises them: `cause` falls back to `error`; an absent
/// remediation (and the diagnostics) are left out.
fn error(status: u16, message: &str, cause: &str, remediation: &str) -> Reply {
    let cause = if cause.is_empty() { message } else { cause };
    let mut body = json!({"error": message, "status": status, "cause": cause});
    if !remediation.is_empty() {
        body["remediation"] = json!(remediation);
    }
    (status, body)
}

/// One of the real error answers, about `name`.
fn fail((status, message, cause, remediation): Fail, name: &str) -> Reply {
    let (message, cause) = (message.replace("{}", name), cause.replace("{}", name));
    error(status, &message, &cause, remediation)
}

fn success(status: u16) -> Answer {
    Ok((status, json!({"status": "success"})))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Str,
    OptStr,
    Int,
    Any,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The body as msgspec decodes a request struct (unknown fields forbidden), with its causes.
/// The first field is the required one.
fn decode(raw: &str, fields: &[(&str, Kind)]) -> Result<Map<String, Value>, Reply> {
    let required = fields[0].0;
    let remedy = format!("Send a JSON object with the required fields: {required}.");
    let bad = |cause: String| error(400, "Invalid request body.", &cause, &remedy);
    let value: Value = serde_json::from_str(raw).map_err(|e| match e.is_eof() {
        true => bad("Input data was truncated".into()),
        false => bad("JSON is malformed: invalid character".into()),
    })?;
    let Value::Object(map) = value else {
        return Err(bad(format!(
            "Expected `object`, got `{}`",
            type_name(&value)
        )));
    };
    for (key, v) in &map {
        let Some(&(_, kind)) = fields.iter().find(|(f, _)| f == key) else {
            return Err(bad(format!("Object contains unknown field `{key}`")));
        };
        let (fits, wanted) = match kind {
            Kind::Str => (v.is_string(), "str"),
            Kind::OptStr => (v.is_string() || v.is_null(), "str | null"),
            Kind::Int => (v.is_i64() || v.is_u64(), "int"),
            Kind::Any => (true, ""),
        };
        if !fits {
            let got = type_name(v);
            return Err(bad(format!(
                "Expected `{wanted}`, got `{got}` - at `$.{key}`"
            )));
        }
    }
    if !map.contains_key(required) {
        return Err(bad(format!("Object missing required field `{required}`")));
    }
    Ok(map)
}

fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// api.py's `pioreactor_unit_name_can_be_persisted`.
fn name_can_be_persisted(name: &str) -> bool {
    let charset = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let address = name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok();
    !name.is_empty() && name != "$broadcast" && name.chars().all(charset) && !address
}

/// api.py's `_validate_experiment_name`, in its order.
fn experiment_name_problem(name: &str) -> Option<Fail> {
    Some(match name {
        "" => fail::NO_EXPERIMENT_NAME,
        _ if name.chars().count() >= 200 => fail::LONG_EXPERIMENT_NAME,
        _ if name.to_lowercase() == "current" => fail::CURRENT,
        _ if name.starts_with("_testing") => fail::TESTING,
        _ if name.contains(['#', '$', '%', '+', '/', '\\']) => fail::SPECIAL_CHARACTERS,
        _ => return None,
    })
}

/// The path as Werkzeug routes it: without the query, percent-decoded.
fn decoded_path(url: &str) -> String {
    let bytes = url.split('?').next().unwrap_or("").as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Paths that a route below serves under another method (Flask answers 405 for those).
fn known_path(segs: &[&str]) -> bool {
    matches!(
        segs,
        ["api", "workers" | "experiments"]
            | ["api", "workers", _]
            | [
                "api",
                "workers",
                _,
                "is_active" | "experiment" | "blink" | "model"
            ]
            | ["api", "experiments", _, "workers"]
            | ["api", "experiments", _, "workers", _]
            | ["api", "units", _, "system", "reboot"]
            | ["unit_api", "task_results", _]
    )
}

fn worker_json(w: &Worker) -> Value {
    json!({"pioreactor_unit": w.pioreactor_unit, "added_at": w.added_at, "is_active": w.is_active,
           "model_name": w.model_name, "model_version": w.model_version})
}

impl State {
    fn record(&mut self, method: &str, path: &str, raw: &str) {
        let parsed = || serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.into()));
        let body = (!raw.is_empty()).then(parsed);
        let (method, path) = (method.to_string(), path.to_string());
        self.requests.push(Recorded { method, path, body });
    }

    /// The pretend clock: a new millisecond-precision UTC stamp, a second later each time.
    fn stamp(&mut self) -> String {
        self.clock += 1;
        let (h, m, s) = (
            self.clock / 3600 % 24,
            self.clock / 60 % 60,
            self.clock % 60,
        );
        format!("2026-01-01T{h:02}:{m:02}:{s:02}.000Z")
    }

    fn experiment(&self, name: &str) -> Option<&Experiment> {
        self.experiments.iter().find(|e| e.name == name)
    }

    fn handle(&mut self, method: &str, url: &str, raw: &str) -> Reply {
        let path = decoded_path(url);
        match self.mode {
            Mode::Broken => return fail(fail::INTERNAL, ""),
            Mode::Worker if path.starts_with("/api/") => return fail(fail::NOT_LEADER, ""),
            _ => {}
        }
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match self.route(method, &segs, raw) {
            _ if segs.contains(&"") => fail(fail::NOT_FOUND, ""), // Werkzeug: no empty names
            Some(Ok(reply) | Err(reply)) => reply,
            None if known_path(&segs) => fail(fail::NOT_ALLOWED, ""),
            None => fail(fail::NOT_FOUND, ""),
        }
    }

    fn route(&mut self, method: &str, segs: &[&str], raw: &str) -> Option<Answer> {
        Some(match (method, segs) {
            ("GET", ["api", "workers"]) => Ok((200, self.list_workers())),
            ("PUT", ["api", "workers"]) => self.put_worker(raw),
            ("GET", ["api", "workers", "assignments"]) => Ok((200, self.assignments())),
            ("DELETE", ["api", "workers", "assignments"]) => self.unassign_all(),
            ("GET", ["api", "workers", unit]) => self.get_worker(unit),
            ("DELETE", ["api", "workers", unit]) => self.delete_worker(unit),
            ("PUT", ["api", "workers", unit, "is_active"]) => self.set_active(unit, raw),
            ("PUT", ["api", "workers", unit, "model"]) => self.set_model(unit, raw),
            ("PUT", ["api", "workers", unit, "reported_model"]) => self.reported_model(unit, raw),
            ("GET", ["api", "workers", unit, "experiment"]) => self.experiment_of(unit),
            ("POST", ["api", "workers", _, "blink"]) => Ok((202, json!({"status": "accepted"}))),
            ("GET", ["api", "experiments"]) => Ok((200, self.list_experiments())),
            ("POST", ["api", "experiments"]) => self.create_experiment(raw),
            ("PUT", ["api", "experiments", exp, "workers"]) => self.assign(exp, raw),
            ("DELETE", ["api", "experiments", exp, "workers", unit]) => self.unassign(exp, unit),
            ("POST", ["api", "units", unit, "system", "reboot"]) => self.reboot(unit),
            ("GET", ["unit_api", "task_results", id]) => Ok(self.poll(id)),
            _ => return None,
        })
    }

    fn list_workers(&self) -> Value {
        let ipv4 = |unit: &str| {
            let addr = self.addresses.get(unit)?;
            addr.parse::<Ipv4Addr>().ok().map(|_| addr.clone())
        };
        let list = self.workers.values().map(|w| {
            let mut v = worker_json(w);
            v["ipv4_address"] = json!(ipv4(&w.pioreactor_unit));
            v
        });
        Value::Array(list.collect())
    }

    fn get_worker(&self, unit: &str) -> Answer {
        let w = self
            .workers
            .get(unit)
            .ok_or_else(|| fail(fail::GET_WORKER, unit))?;
        Ok((200, worker_json(w)))
    }

    /// api.py's `registered_worker_or_abort`.
    fn registered(&self, unit: &str) -> Result<(), Reply> {
        match self.workers.contains_key(unit) {
            true => Ok(()),
            false => Err(fail(fail::UNKNOWN_WORKER, unit)),
        }
    }

    fn put_worker(&mut self, raw: &str) -> Answer {
        let fields = [("pioreactor_unit", Kind::Str), ("model_name", Kind::OptStr)];
        let body = decode(
            raw,
            &[fields[0], fields[1], ("model_version", Kind::OptStr)],
        )?;
        let unit = text(&body, "pioreactor_unit").unwrap_or_default();
        if !name_can_be_persisted(&unit) {
            return Err(fail(fail::INVALID_NAME, &unit));
        }
        let worker = Worker {
            pioreactor_unit: unit.clone(),
            added_at: self.stamp(),
            is_active: 1,
            model_name: text(&body, "model_name"),
            model_version: text(&body, "model_version"),
        };
        self.workers.insert(unit.clone(), worker);
        self.assignments.remove(&unit); // the REPLACE's delete cascades
        success(201)
    }

    fn set_active(&mut self, unit: &str, raw: &str) -> Answer {
        self.registered(unit)?;
        let value = decode(raw, &[("is_active", Kind::Int)])?["is_active"].clone();
        if value != 0 && value != 1 {
            return Err(fail(fail::INVALID_STATUS, &value.to_string()));
        }
        self.workers.get_mut(unit).unwrap().is_active = value.as_i64().unwrap();
        success(200)
    }

    /// `PUT /api/workers/<unit>/reported_model` (26.11): a unit reports the model it keeps. The
    /// leader mirrors it, unchecked (the unit's registry decides what is valid).
    fn reported_model(&mut self, unit: &str, raw: &str) -> Answer {
        self.registered(unit)?;
        let body = decode(
            raw,
            &[("model_name", Kind::Str), ("model_version", Kind::Str)],
        )?;
        let w = self.workers.get_mut(unit).unwrap();
        (w.model_name, w.model_version) = (text(&body, "model_name"), text(&body, "model_version"));
        success(200)
    }

    /// `PUT /api/workers/<unit>/model`: only models the leader knows (models.py's core models).
    fn set_model(&mut self, unit: &str, raw: &str) -> Answer {
        const MODELS: [(&str, &str); 7] = [
            ("pioreactor_20ml", "1.0"),
            ("pioreactor_20ml", "1.1"),
            ("pioreactor_20ml", "1.5"),
            ("pioreactor_40ml", "1.0"),
            ("pioreactor_40ml", "1.5"),
            ("pioreactor_20ml_XR", "1.5"),
            ("pioreactor_40ml_XR", "1.5"),
        ];
        self.registered(unit)?;
        let body = decode(
            raw,
            &[("model_name", Kind::Str), ("model_version", Kind::Str)],
        )?;
        let (name, version) = (
            text(&body, "model_name").unwrap(),
            text(&body, "model_version").unwrap(),
        );
        if !MODELS.contains(&(name.as_str(), version.as_str())) {
            return Err(error(
                400,
                "Model name or version not found in available models.",
                &format!("Unknown model '{name}' with version '{version}'."),
                "Use a model_name and model_version from the registered models list.",
            ));
        }
        let w = self.workers.get_mut(unit).unwrap();
        (w.model_name, w.model_version) = (Some(name), Some(version));
        success(200)
    }

    fn delete_worker(&mut self, unit: &str) -> Answer {
        self.workers
            .remove(unit)
            .ok_or_else(|| fail(fail::DELETE_WORKER, unit))?;
        self.assignments.remove(unit); // ON DELETE CASCADE
        success(202)
    }

    fn assignments(&self) -> Value {
        let rows = self.workers.values().map(|w| {
            let experiment = self.assignments.get(&w.pioreactor_unit);
            json!({"pioreactor_unit": w.pioreactor_unit, "experiment": experiment, "is_active": w.is_active})
        });
        Value::Array(rows.collect())
    }

    fn experiment_of(&self, unit: &str) -> Answer {
        let w = self
            .workers
            .get(unit)
            .ok_or_else(|| fail(fail::EXPERIMENT_OF_UNKNOWN, unit))?;
        let exp = self
            .assignments
            .get(unit)
            .ok_or_else(|| fail(fail::UNASSIGNED, unit))?;
        Ok((
            200,
            json!({"pioreactor_unit": unit, "is_active": w.is_active, "experiment": exp,
                        "model_name": w.model_name, "model_version": w.model_version}),
        ))
    }

    fn unassign_all(&mut self) -> Answer {
        self.assignments.clear();
        if self.workers.is_empty() {
            // Nothing to fan out to: the real handler then fails to make its task response.
            return Err(fail(fail::INTERNAL, ""));
        }
        let units = self.workers.keys().cloned().collect();
        Ok(self.new_task(units, "/unit_api/jobs/stop/all"))
    }

    fn experiment_json(&self, e: &Experiment) -> Value {
        let count = self.assignments.values().filter(|x| **x == e.name).count();
        json!({"experiment": e.name, "created_at": e.created_at, "description": e.description,
               "delta_hours": 0.0, "worker_count": count, "tags": e.tags})
    }

    fn list_experiments(&self) -> Value {
        let mut list: Vec<&Experiment> = self.experiments.iter().collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Value::Array(list.into_iter().map(|e| self.experiment_json(e)).collect())
    }

    fn create_experiment(&mut self, raw: &str) -> Answer {
        let loose = ["tags", "created_at", "delta_hours", "worker_count"].map(|f| (f, Kind::Any));
        let fields = [("experiment", Kind::Str), ("description", Kind::OptStr)];
        let body = decode(raw, &[&fields[..], &loose[..]].concat())?;
        let name = text(&body, "experiment").unwrap_or_default();
        if let Some(problem) = experiment_name_problem(&name) {
            return Err(fail(problem, &name));
        }
        if self.experiment(&name).is_some() {
            return Err(fail(fail::EXPERIMENT_EXISTS, &name));
        }
        let tags = body
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let tags = tags.filter_map(|t| t.as_str().map(str::trim).filter(|t| !t.is_empty()));
        let experiment = Experiment {
            created_at: self.stamp(),
            description: text(&body, "description").unwrap_or_default(),
            tags: tags.map(str::to_string).collect(),
            name,
        };
        let reply = self.experiment_json(&experiment);
        self.experiments.push(experiment);
        Ok((201, reply))
    }

    fn assign(&mut self, exp: &str, raw: &str) -> Answer {
        let body = decode(raw, &[("pioreactor_unit", Kind::Str)])?;
        let unit = text(&body, "pioreactor_unit").unwrap_or_default();
        self.registered(&unit)?;
        self.experiment(exp)
            .ok_or_else(|| fail(fail::ASSIGN_FAILED, ""))?;
        self.assignments.insert(unit, exp.to_string());
        success(200)
    }

    fn unassign(&mut self, exp: &str, unit: &str) -> Answer {
        self.registered(unit)?;
        if self.assignments.get(unit).is_none_or(|e| e != exp) {
            return Err(fail(fail::NOT_ASSIGNED, unit));
        }
        self.assignments.remove(unit);
        success(200)
    }

    fn reboot(&mut self, unit: &str) -> Answer {
        let endpoint = "/unit_api/system/reboot";
        let mut units: Vec<String> = self.workers.keys().cloned().collect();
        units.push(HOSTNAME.to_string());
        if unit != "$broadcast" {
            if !units.iter().any(|u| u == unit) {
                return Err(fail(fail::UNKNOWN_UNIT, unit));
            }
            units = vec![unit.to_string()];
        }
        Ok(self.new_task(units, endpoint))
    }

    /// A fan-out of `endpoint` to `units`, answered as utils.py's `create_task_response` does.
    fn new_task(&mut self, units: Vec<String>, endpoint: &str) -> Reply {
        let outcome = std::mem::replace(&mut self.next_task, TaskOutcome::Succeed);
        let id = format!("00000000-0000-4000-8000-{:012x}", self.tasks.len() + 1);
        let per_unit = |u: &String| match outcome {
            TaskOutcome::Unreachable => {
                let message = format!("Could not POST to {u}'s {endpoint}.");
                json!({"ok": false, "unit": u, "status_code": null, "retryable": true,
                       "error": {"kind": "connection_error", "message": message}})
            }
            _ => json!({"ok": true, "unit": u, "value": true}),
        };
        let result = units.iter().map(|u| (u.clone(), per_unit(u))).collect();
        let task = Task {
            polls_left: if let TaskOutcome::Pending(n) = outcome {
                n
            } else {
                0
            },
            result: match &outcome {
                TaskOutcome::Fail(message) => Err(message.clone()),
                _ => Ok(Value::Object(result)),
            },
        };
        self.tasks.insert(id.clone(), task);
        let path = format!("/unit_api/task_results/{id}");
        (
            202,
            json!({"unit": HOSTNAME, "task_id": id, "result_url_path": path, "status": "accepted"}),
        )
    }

    /// unit_api.py's `get_task_status`.
    fn poll(&mut self, id: &str) -> Reply {
        let path = format!("/unit_api/task_results/{id}");
        let (status, mut body) = match self.tasks.get_mut(id) {
            Some(Task { polls_left, .. }) if *polls_left > 0 => {
                *polls_left -= 1;
                (202, json!({"status": "pending"}))
            }
            None => (202, json!({"status": "pending"})), // never issued: pending, not 404
            Some(Task { result: Ok(r), .. }) => (200, json!({"status": "succeeded", "result": r})),
            Some(Task { result: Err(e), .. }) => (
                200,
                json!({"status": "failed", "error": e,
                "cause": "Huey task failed with an exception.", "remediation": "Check logs and retry."}),
            ),
        };
        body["task_id"] = json!(id);
        body["result_url_path"] = json!(path);
        (status, body)
    }
}
