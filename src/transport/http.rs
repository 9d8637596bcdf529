//! The worker web API over HTTP (reqwest, blocking): `{proto}://{address}:{port}/unit_api/...`.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// How to reach a unit's web API.
#[derive(Clone, Debug)]
pub struct WebApi {
    base: String,
    client: reqwest::blocking::Client,
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
        .no_proxy()
        .build()
        .expect("an HTTP client without TLS configuration builds")
}

/// Why a request got no answer, in a few words.
pub fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
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
        }
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
        resp.json::<Value>().map_err(|e| HttpError::BadAnswer {
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

    /// `GET /unit_api/health`: the hostname the unit reports (absent on older images: 404).
    pub fn health_unit(&self) -> Result<String, HttpError> {
        self.get_field("/unit_api/health", "pioreactor_unit")
    }

    /// `GET /unit_api/versions/app`: the Pioreactor software version.
    pub fn app_version(&self) -> Result<String, HttpError> {
        self.get_field("/unit_api/versions/app", "version")
    }

    pub fn reboot(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/system/reboot")
    }

    pub fn stop_all_jobs(&self) -> Result<Task, HttpError> {
        self.post_task("/unit_api/jobs/stop/all")
    }
}
