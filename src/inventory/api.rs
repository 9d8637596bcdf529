//! The leader's web API (Pioreactor 24.4 and later), where the inventory lives in the leader's
//! database: `{proto}://{leader}:{port}/api/...`. Knows URLs, statuses and bodies; no INI.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::Url;
use serde::Deserialize;
use serde_json::{Value, json};

/// A worker as the leader's database has it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ApiWorker {
    pub pioreactor_unit: String,
    #[serde(deserialize_with = "flag")]
    pub is_active: bool,
    #[serde(default)]
    pub model_name: Option<String>,
    #[serde(default)]
    pub model_version: Option<String>,
}

/// The database stores 0/1; accept JSON booleans too.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Value::deserialize(d)? {
        Value::Bool(b) => Ok(b),
        Value::Number(n) => Ok(n.as_i64() != Some(0)),
        other => Err(serde::de::Error::custom(format!(
            "is_active is {other}, not 0 or 1"
        ))),
    }
}

/// `GET /api/workers/assignments`: a worker and the experiment it is assigned to, if any.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Assignment {
    pub pioreactor_unit: String,
    #[serde(default)]
    pub experiment: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    /// No answer: refused, unreachable, timed out.
    Unreachable { url: String, why: String },
    /// An error status, with the API's own message, cause and remediation where it gave them.
    Refused {
        method: String,
        url: String,
        status: u16,
        message: Option<String>,
        cause: Option<String>,
        remediation: Option<String>,
    },
    /// An answer that is not what the API documents.
    BadAnswer { url: String, why: String },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API's remediation, to show as the hint.
    pub fn remediation(&self) -> Option<&str> {
        match self {
            ApiError::Refused { remediation, .. } => remediation.as_deref().map(one_line),
            _ => None,
        }
    }
}

/// The peer's remediation as pio prints it: the first line only (a hint is one paragraph of
/// pio's), control characters refused.
fn one_line(text: &str) -> &str {
    text.split(|c: char| c.is_control()).next().unwrap_or("")
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unreachable { url, why } => {
                write!(f, "the leader's web API did not answer at {url}: {why}")
            }
            ApiError::Refused {
                method,
                url,
                status,
                message,
                cause,
                ..
            } => {
                write!(
                    f,
                    "the leader's web API answered {method} {url} with HTTP {status}"
                )?;
                // The peer's words, escaped whole: a line break in them forges no line of pio's.
                let esc = |t: &str| crate::text::escape_line(t).into_owned();
                if let Some(m) = message {
                    write!(f, ": {}", esc(m))?;
                }
                match cause {
                    Some(c) if Some(c) != message.as_ref() => write!(f, " (cause: {})", esc(c)),
                    _ => Ok(()),
                }
            }
            ApiError::BadAnswer { url, why } => {
                write!(
                    f,
                    "the leader's web API gave an unexpected answer at {url}: {why}"
                )
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// The leader's web API.
#[derive(Clone, Debug)]
pub struct LeaderApi {
    base: Url,
    /// Made on first use: building it starts a thread, which a probe that finds no server
    /// (every command on a config.ini-era leader) never needs.
    client: std::sync::OnceLock<reqwest::blocking::Client>,
    timeout: Duration,
    /// How long to follow a background task (a 202 answer) before giving up.
    task_wait: Duration,
}

impl LeaderApi {
    /// `base` is `{proto}://{host}:{port}`.
    pub fn new(base: &str, timeout: Duration) -> Result<LeaderApi, String> {
        let base = Url::parse(base).map_err(|e| format!("'{base}' is not a URL: {e}"))?;
        Ok(LeaderApi {
            base,
            client: std::sync::OnceLock::new(),
            timeout,
            task_wait: timeout.max(crate::timeouts::LEADER_TASK_MIN),
        })
    }

    fn client(&self) -> &reqwest::blocking::Client {
        self.client
            .get_or_init(|| crate::transport::http::client(self.timeout))
    }

    /// The base URL, for messages.
    pub fn base(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The URL of `/api/<segments...>`, each segment percent-encoded (experiment names may hold
    /// spaces and other characters).
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .expect("an http(s) URL has a path")
            .clear()
            .push("api")
            .extend(segments);
        url
    }

    fn send(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<Value>,
    ) -> Result<(u16, Value), ApiError> {
        let url = self.url(segments);
        // One deadline per request, the body's every read included.
        let deadline = Instant::now() + self.timeout;
        let mut req = self.client().request(method.clone(), url.clone());
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().map_err(|e| ApiError::Unreachable {
            url: url.to_string(),
            why: crate::transport::http::describe(&e),
        })?;
        let status = resp.status().as_u16();
        let body = crate::transport::http::read_json_by(resp, Some(deadline));
        if let (Err(why), true) = (&body, (200..300).contains(&status)) {
            // A success that is not JSON is not the leader's API (an HTML page, a proxy).
            return Err(ApiError::BadAnswer {
                url: url.to_string(),
                why: format!("HTTP {status} with a body that is not JSON ({why})"),
            });
        }
        let value = body.unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let field = |k: &str| value[k].as_str().map(str::to_string);
            return Err(ApiError::Refused {
                method: method.to_string(),
                url: url.to_string(),
                status,
                message: field("error").or_else(|| field("message")),
                cause: field("cause"),
                remediation: field("remediation"),
            });
        }
        if status == 202 {
            self.follow_task(&value)?;
        }
        Ok((status, value))
    }

    /// A 202 answer names a background task; wait until it succeeds or fails (bounded).
    fn follow_task(&self, answer: &Value) -> Result<(), ApiError> {
        let Some(path) = answer["result_url_path"].as_str() else {
            return Ok(()); // accepted with nothing to follow
        };
        let url = self.same_origin(path)?;
        let deadline = Instant::now() + self.task_wait;
        let mut pause = Duration::from_millis(20);
        loop {
            let resp =
                self.client()
                    .get(url.clone())
                    .send()
                    .map_err(|e| ApiError::Unreachable {
                        url: url.to_string(),
                        why: crate::transport::http::describe(&e),
                    })?;
            let status = resp.status().as_u16();
            let v =
                crate::transport::http::read_json_by(resp, Some(deadline)).unwrap_or(Value::Null);
            match v["status"].as_str() {
                Some("succeeded") => return Ok(()),
                Some("failed") => {
                    return Err(ApiError::Refused {
                        method: "GET".into(),
                        url: url.to_string(),
                        status,
                        message: Some(format!(
                            "the leader's background task failed: {}",
                            v["error"].as_str().unwrap_or("no reason given")
                        )),
                        cause: v["cause"].as_str().map(str::to_string),
                        remediation: v["remediation"].as_str().map(str::to_string),
                    });
                }
                _ if Instant::now() + pause > deadline => {
                    return Err(ApiError::BadAnswer {
                        url: url.to_string(),
                        why: format!(
                            "the background task was still {} after {:.0} s",
                            v["status"].as_str().unwrap_or("unknown"),
                            self.task_wait.as_secs_f64()
                        ),
                    });
                }
                _ => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(500));
                }
            }
        }
    }

    /// A task's `result_url_path`, followed only as a path on the leader's own API (same scheme,
    /// host and port): an answer naming another host is a bad answer, never a request elsewhere.
    fn same_origin(&self, path: &str) -> Result<Url, ApiError> {
        let bad = |why: String| ApiError::BadAnswer {
            url: self.base().to_string(),
            why: format!(
                "result_url_path '{}': {why}",
                crate::text::escape_line(path)
            ),
        };
        if !path.starts_with('/') || path.starts_with("//") || path.contains('\\') {
            return Err(bad("not a path on the leader's own web API".to_string()));
        }
        let url = self.base.join(path).map_err(|e| bad(e.to_string()))?;
        if url.origin() != self.base.origin() {
            return Err(bad("it points away from the leader's web API".to_string()));
        }
        Ok(url)
    }

    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        v: Value,
    ) -> Result<T, ApiError> {
        serde_json::from_value(v).map_err(|e| ApiError::BadAnswer {
            url: self.url(segments).to_string(),
            why: e.to_string(),
        })
    }

    /// `GET /api/workers`: every worker in the database.
    pub fn workers(&self) -> Result<Vec<ApiWorker>, ApiError> {
        let (_, v) = self.send(Method::GET, &["workers"], None)?;
        self.decode(&["workers"], v)
    }

    /// `GET /api/workers/<unit>`; `None` when the database has no such worker (404).
    pub fn worker(&self, unit: &str) -> Result<Option<ApiWorker>, ApiError> {
        match self.send(Method::GET, &["workers", unit], None) {
            Ok((_, v)) => self.decode(&["workers", unit], v).map(Some),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `PUT /api/workers`: registers the worker (the model may be unknown).
    pub fn register(
        &self,
        unit: &str,
        model_name: Option<&str>,
        model_version: Option<&str>,
    ) -> Result<(), ApiError> {
        let body = json!({"pioreactor_unit": unit, "model_name": model_name, "model_version": model_version});
        self.send(Method::PUT, &["workers"], Some(body)).map(drop)
    }

    /// `PUT /api/workers/<unit>/model`.
    pub fn set_model(
        &self,
        unit: &str,
        model_name: &str,
        model_version: &str,
    ) -> Result<(), ApiError> {
        let body = json!({"model_name": model_name, "model_version": model_version});
        self.send(Method::PUT, &["workers", unit, "model"], Some(body))
            .map(drop)
    }

    /// `PUT /api/workers/<unit>/is_active`; with 0 the leader halts the worker's jobs itself.
    pub fn set_active(&self, unit: &str, active: bool) -> Result<(), ApiError> {
        let body = json!({"is_active": u8::from(active)});
        self.send(Method::PUT, &["workers", unit, "is_active"], Some(body))
            .map(drop)
    }

    /// `DELETE /api/workers/<unit>`: the leader halts its jobs and asks it to leave.
    pub fn remove(&self, unit: &str) -> Result<(), ApiError> {
        self.send(Method::DELETE, &["workers", unit], None)
            .map(drop)
    }

    /// `GET /api/workers/assignments`.
    pub fn assignments(&self) -> Result<Vec<Assignment>, ApiError> {
        let (_, v) = self.send(Method::GET, &["workers", "assignments"], None)?;
        self.decode(&["workers", "assignments"], v)
    }

    /// `GET /api/workers/<unit>/experiment`; `None` when unassigned (404).
    pub fn experiment_of(&self, unit: &str) -> Result<Option<String>, ApiError> {
        match self.send(Method::GET, &["workers", unit, "experiment"], None) {
            Ok((_, v)) => Ok(v["experiment"].as_str().map(str::to_string)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /api/experiments`: the experiments' names.
    pub fn experiments(&self) -> Result<Vec<String>, ApiError> {
        let (_, v) = self.send(Method::GET, &["experiments"], None)?;
        let list = v.as_array().ok_or_else(|| ApiError::BadAnswer {
            url: self.url(&["experiments"]).to_string(),
            why: "not a list".into(),
        })?;
        Ok(list
            .iter()
            .filter_map(|e| e["experiment"].as_str().map(str::to_string))
            .collect())
    }

    /// `PUT /api/experiments/<experiment>/workers`: assigns (or reassigns) the worker.
    pub fn assign(&self, unit: &str, experiment: &str) -> Result<(), ApiError> {
        let body = json!({"pioreactor_unit": unit});
        self.send(
            Method::PUT,
            &["experiments", experiment, "workers"],
            Some(body),
        )
        .map(drop)
    }

    /// `DELETE /api/experiments/<experiment>/workers/<unit>`: the leader halts that
    /// experiment's jobs on the worker.
    pub fn unassign(&self, unit: &str, experiment: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &["experiments", experiment, "workers", unit],
            None,
        )
        .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        let api = LeaderApi::new("http://127.0.0.1:80", Duration::from_secs(1)).unwrap();
        assert_eq!(
            api.url(&["experiments", "my exp/1?", "workers"]).as_str(),
            "http://127.0.0.1/api/experiments/my%20exp%2F1%3F/workers"
        );
        assert_eq!(api.base(), "http://127.0.0.1");
    }

    #[test]
    fn workers_decode_flags_and_nulls() {
        let v = json!([
            {"pioreactor_unit": "a", "is_active": 1, "model_name": null, "model_version": null, "added_at": "x", "ipv4_address": null},
            {"pioreactor_unit": "b", "is_active": 0, "model_name": "pioreactor_40ml", "model_version": "1.5"}
        ]);
        let w: Vec<ApiWorker> = serde_json::from_value(v).unwrap();
        assert!(w[0].is_active && !w[1].is_active);
        assert_eq!(w[1].model_name.as_deref(), Some("pioreactor_40ml"));
        let bad = json!([{"pioreactor_unit": "a", "is_active": "yes"}]);
        assert!(serde_json::from_value::<Vec<ApiWorker>>(bad).is_err());
    }
}
