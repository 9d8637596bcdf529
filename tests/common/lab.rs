//! A pretend cluster on loopback: one real OpenSSH sshd serving several units at 127.0.1.N (its
//! every command answered by a recording shim, never run for real), and a real HTTP server per
//! unit answering the worker web API. pio reaches it through a test HOME whose ~/.ssh/config
//! points at the sshd's port.
//!
//! The sshd runs in its own user and mount namespaces, with copies of /etc/passwd, /etc/shadow
//! and /etc/group bind-mounted over the real ones, adding the user `pioreactor` (password
//! `raspberry`, as on a fresh Pioreactor image). Whoever runs the tests, root or not, is
//! `pioreactor` (uid 4242) in there, and sshd runs as that user: a non-root sshd serves only its
//! own user, needs no privilege separation folder and changes no ids. The machine's own files are
//! never touched.

use std::collections::HashMap;
use std::fs;

use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Env;

/// The ForceCommand shim, shared with bench/cluster.py.
const SHIM: &str = include_str!("../support/shim.sh");
/// Where a unit that runs a real Pioreactor release runs its commands, and its sudo stand-in.
const RELEASE_UNIT: &str = include_str!("../support/releases/unit.sh");
const RELEASE_SUDO: &str = include_str!("../support/releases/sudo");
/// Where tests/support/releases/install.sh puts the releases.
pub const RELEASES: &str = "/opt/pio-ci-pioreactor";

/// What a unit's web server does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Web {
    /// Answers the contract's endpoints.
    Up,
    /// Nothing listens (an older image, or the web server is down).
    Down,
    /// Answers 500 to every request.
    Broken,
}

/// A release's own web app serving a unit; stopped when dropped (every step to it execs, so the
/// child is the server itself).
pub struct ReleaseWeb(Child);

impl Drop for ReleaseWeb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Unit {
    pub name: String,
    pub addr: String,
}

type HttpLog = Arc<Mutex<Vec<(u128, String, String)>>>;

pub struct Lab {
    pub env: Env,
    pub state: PathBuf,
    pub ssh_port: u16,
    pub web_port: u16,
    pub units: Vec<Unit>,
    sshd: Child,
    http_log: HttpLog,
    servers: Vec<(Arc<tiny_http::Server>, JoinHandle<()>)>,
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A port free on every unit address (all of 127.0.0.0/8 is this machine), other than `taken`.
fn free_port(addrs: &[String], taken: &[u16]) -> u16 {
    'search: loop {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        if taken.contains(&port) {
            continue 'search;
        }
        for a in addrs {
            if TcpListener::bind((a.as_str(), port)).is_err() {
                continue 'search;
            }
        }
        return port;
    }
}

/// This machine's time moved by `skew` seconds, as the Pioreactor software writes it
/// (`2026-11-24T15:00:00.123Z`).
pub fn utc_time(skew: i64) -> String {
    let now = SystemTime::now();
    let moved = if skew >= 0 {
        now + Duration::from_secs(skew as u64)
    } else {
        now - Duration::from_secs(skew.unsigned_abs())
    };
    pio::utc::iso_millis(moved)
}

impl Lab {
    /// Units named `names` at 127.0.1.<base+i>, every one a Pioreactor answering `hostname`
    /// with its name, its web server as `web` says.
    pub fn start(names: &[&str], base: u8, web: &[Web]) -> Lab {
        Lab::start_as(names, base, web, "pioreactor")
    }

    /// The same, the units' login being `user` (`pi` on images before 22.4).
    pub fn start_as(names: &[&str], base: u8, web: &[Web], user: &str) -> Lab {
        let env = Env::new();
        let root = env.dir.path().to_path_buf();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
        let state = root.join("lab");
        let units: Vec<Unit> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Unit {
                name: n.to_string(),
                addr: format!("127.0.1.{}", base as usize + i),
            })
            .collect();
        for u in &units {
            let dir = state.join("units").join(&u.addr);
            fs::create_dir_all(dir.join(".pioreactor")).unwrap();
            fs::create_dir_all(dir.join(".ssh")).unwrap();
            fs::write(dir.join("hostname"), format!("{}\n", u.name)).unwrap();
        }
        fs::create_dir_all(state.join("etc")).unwrap();
        fs::create_dir_all(state.join("home")).unwrap();
        fs::write(state.join("ssh.log"), "").unwrap();
        fs::write(state.join("shim"), SHIM).unwrap();
        fs::create_dir_all(state.join("releases")).unwrap();
        fs::write(state.join("releases/unit.sh"), RELEASE_UNIT).unwrap();
        fs::write(state.join("releases/sudo"), RELEASE_SUDO).unwrap();
        run(Command::new("chmod").args(["-R", "a+rwX"]).arg(&state));
        fs::set_permissions(state.join("shim"), fs::Permissions::from_mode(0o755)).unwrap();

        // The fake user, in copies of the account files (shadow holds only that user: the
        // machine's own is not readable without root, and its hashes have no business here).
        for f in ["passwd", "group"] {
            fs::copy(Path::new("/etc").join(f), state.join("etc").join(f)).unwrap();
        }
        fs::write(state.join("etc/shadow"), "").unwrap();
        let hash = Command::new("openssl")
            .args(["passwd", "-6", "raspberry"])
            .output()
            .unwrap();
        let hash = String::from_utf8(hash.stdout).unwrap();
        // A machine that has a `pioreactor` user (every real leader) keeps it out of the
        // copies: sshd would take that line, not the lab's, and could not switch to it.
        let append = |f: &str, line: String| {
            let p = state.join("etc").join(f);
            let text = fs::read_to_string(&p).unwrap();
            let mut kept: String = text
                .lines()
                .filter(|l| !l.starts_with(&format!("{user}:")) && !l.contains(":4242:"))
                .map(|l| format!("{l}\n"))
                .collect();
            kept.push_str(&line);
            fs::write(p, kept).unwrap();
        };
        append(
            "passwd",
            format!(
                "{user}:x:4242:4242::{}:/bin/sh\n",
                state.join("home").display()
            ),
        );
        append("group", format!("{user}:x:4242:\n"));
        append(
            "shadow",
            format!("{user}:{}:19000:0:99999:7:::\n", hash.trim()),
        );

        run(Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(state.join("host_key")));
        let addrs: Vec<String> = units.iter().map(|u| u.addr.clone()).collect();
        let ssh_port = free_port(&addrs, &[]);
        let mut config = String::new();
        for a in &addrs {
            config.push_str(&format!("ListenAddress {a}:{ssh_port}\n"));
        }
        config.push_str(&format!(
            "HostKey {s}/host_key\nPidFile {s}/sshd.pid\nStrictModes no\nUsePAM no\nPermitRootLogin no\n\
             PasswordAuthentication yes\nKbdInteractiveAuthentication no\nMaxStartups 200\nMaxSessions 50\n\
             Subsystem sftp internal-sftp\nForceCommand {s}/shim {s}\n",
            s = state.display()
        ));
        for a in &addrs {
            config.push_str(&format!(
                "Match LocalAddress {a}\n    AuthorizedKeysFile {}/units/{a}/.ssh/authorized_keys\n",
                state.display()
            ));
        }
        fs::write(state.join("sshd_config"), config).unwrap();
        if let Err(why) = super::namespaces_available(&["--mount"]) {
            panic!("the test lab's sshd needs a user namespace: {why}");
        }
        let etc = state.join("etc");
        let script = format!(
            "mount --bind {e}/passwd /etc/passwd && mount --bind {e}/shadow /etc/shadow && \
             mount --bind {e}/group /etc/group && exec /usr/sbin/sshd -D -e -f {s}/sshd_config",
            e = etc.display(),
            s = state.display()
        );
        // --keep-caps: sh keeps the namespace's capabilities (to mount) though it is not uid 0.
        let sshd = Command::new("unshare")
            .args([
                "--user",
                "--map-user=4242",
                "--map-group=4242",
                "--keep-caps",
            ])
            .args(["--mount", "sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(state.join("sshd.err")).unwrap())
            .spawn()
            .unwrap();

        // pio's side: this leader's key pair, and ~/.ssh/config pointing at the test port.
        let ssh_dir = env.home().join(".ssh");
        fs::create_dir_all(&ssh_dir).unwrap();
        run(Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "leader1", "-f"])
            .arg(ssh_dir.join("id_ed25519")));
        fs::write(
            ssh_dir.join("config"),
            format!("Host *\n    Port {ssh_port}\n"),
        )
        .unwrap();

        let http_log: HttpLog = Arc::default();
        let mut lab = Lab {
            env,
            state,
            ssh_port,
            web_port: 0,
            units,
            sshd,
            http_log,
            servers: Vec::new(),
        };
        // Tests run side by side, and a port found free may be taken before it is bound (sshd,
        // started above, binds its own only now): one that turns out taken is swapped for another.
        for attempt in 1.. {
            lab.web_port = free_port(&addrs, &[ssh_port]);
            let bound = web
                .iter()
                .enumerate()
                .filter(|(_, mode)| **mode != Web::Down)
                .all(|(i, mode)| lab.serve(i, *mode).is_ok());
            if bound {
                break;
            }
            assert!(attempt < 20, "no port free for the units' web servers");
            lab.stop_servers();
        }
        lab.wait_for_sshd();
        lab
    }

    fn wait_for_sshd(&self) {
        let start = Instant::now();
        for u in &self.units {
            while std::net::TcpStream::connect((u.addr.as_str(), self.ssh_port)).is_err() {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "sshd did not start: {}",
                    fs::read_to_string(self.state.join("sshd.err")).unwrap_or_default()
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    /// Serves unit `i`'s web API on the lab's web port; an error when the port is taken there.
    fn serve(&mut self, i: usize, mode: Web) -> Result<(), String> {
        let unit = &self.units[i];
        let server = tiny_http::Server::http((unit.addr.as_str(), self.web_port))
            .map_err(|e| format!("{}:{}: {e}", unit.addr, self.web_port))?;
        let server = Arc::new(server);
        let (s, log, addr) = (server.clone(), self.http_log.clone(), unit.addr.clone());
        let dir = self.unit_dir(i);
        let handle = std::thread::spawn(move || {
            for mut req in s.incoming_requests() {
                let mut body = String::new();
                let _ = std::io::Read::read_to_string(req.as_reader(), &mut body);
                let (method, path) = (req.method().to_string(), req.url().to_string());
                log.lock()
                    .unwrap()
                    .push((now_ns(), addr.clone(), format!("{method} {path}")));
                // Requests a test may wait for, in a file the unit's other side can read.
                if method == "POST" {
                    let mut f = fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(dir.join("http-asked"))
                        .unwrap();
                    let _ =
                        std::io::Write::write_all(&mut f, format!("{method} {path}\n").as_bytes());
                }
                // A unit that accepts connections but is too busy booting to answer.
                if method == "GET" && dir.join("stall").exists() {
                    std::thread::sleep(Duration::from_secs(8));
                }
                let rebooting = dir.join("down").exists();
                let no_health = dir.join("no-health").exists();
                let (code, json) = match (mode, method.as_str(), path.as_str()) {
                    (Web::Broken, _, _) => (500, r#"{"error": "broken by the test"}"#.to_string()),
                    _ if rebooting => (503, r#"{"error": "rebooting"}"#.to_string()),
                    (_, "GET", "/unit_api/health") if no_health => {
                        (404, r#"{"error": "not found"}"#.to_string())
                    }
                    // Its name, clock and release come from files the test may change.
                    (_, "GET", "/unit_api/health") => {
                        let read = |f: &str| fs::read_to_string(dir.join(f)).unwrap_or_default();
                        let skew: i64 = read("skew").trim().parse().unwrap_or(0);
                        let name = read("hostname");
                        (
                            200,
                            format!(
                                r#"{{"status": "ok", "pioreactor_unit": "{}", "utc_time": "{}"}}"#,
                                name.trim(),
                                utc_time(skew)
                            ),
                        )
                    }
                    // The unit's clock (25.1.21 and later), moved by its skew file.
                    (_, "GET", "/unit_api/system/utc_clock") if !dir.join("no-clock").exists() => {
                        let skew = fs::read_to_string(dir.join("skew")).unwrap_or_default();
                        let skew: i64 = skew.trim().parse().unwrap_or(0);
                        (
                            200,
                            format!(
                                r#"{{"status": "success", "clock_time": "{}"}}"#,
                                utc_time(skew)
                            ),
                        )
                    }
                    // A worker syncs from its chrony source: the pretend clock is this machine's.
                    (_, "POST", "/unit_api/system/utc_clock") if !dir.join("no-clock").exists() => {
                        fs::write(dir.join("skew"), "0").unwrap();
                        (
                            202,
                            r#"{"status": "accepted", "task_id": "t-clock"}"#.to_string(),
                        )
                    }
                    // The monitor job's published settings, as 26.x stores them (the versions as
                    // JSON in a string); 404 where it does not run.
                    (_, "GET", "/unit_api/jobs/settings/job_name/monitor")
                        if dir.join("no-monitor").exists() =>
                    {
                        (404, r#"{"error": "No settings found for job."}"#.to_string())
                    }
                    (_, "GET", "/unit_api/jobs/settings/job_name/monitor") => (
                        200,
                        r#"{"settings": {"versions": "{\"app\": \"26.11.1\", \"rpi_machine\": \"Raspberry Pi 4 Model B Rev 1.4\"}", "wlan_mac_address": "d8:3a:dd:61:01:59", "eth_mac_address": "Not available", "button_down": "0"}}"#.to_string(),
                    ),
                    // The update's task, as 26.x runs it: the unit answers with the release asked
                    // for (else its update-to, else 26.11.1) unless it fails (update-fails).
                    (_, "POST", "/unit_api/system/update/app") => {
                        let asked: serde_json::Value =
                            serde_json::from_str(&body).unwrap_or_default();
                        let to = asked["options"]["version"].as_str().map(str::to_string);
                        let to = to
                            .or_else(|| fs::read_to_string(dir.join("update-to")).ok())
                            .unwrap_or_else(|| "26.11.1".into());
                        if !dir.join("update-fails").exists() {
                            fs::write(dir.join("version"), to.trim()).unwrap();
                        }
                        (
                            202,
                            r#"{"status": "accepted", "task_id": "t-update"}"#.to_string(),
                        )
                    }
                    (_, "GET", "/unit_api/task_results/t-update") if dir.join("update-fails").exists() => (
                        200,
                        r#"{"status": "failed", "error": "the test refuses this update"}"#.to_string(),
                    ),
                    (_, "GET", "/unit_api/task_results/t-update") => (
                        200,
                        r#"{"status": "succeeded", "result": true}"#.to_string(),
                    ),
                    (_, "POST", "/unit_api/system/repair") => (
                        202,
                        r#"{"status": "accepted", "task_id": "t-repair", "result_url_path": "/unit_api/task_results/t-repair"}"#.to_string(),
                    ),
                    (_, "GET", "/unit_api/task_results/t-repair") if dir.join("fail").exists() => (
                        200,
                        r#"{"status": "failed", "error": "the test refuses this repair"}"#.to_string(),
                    ),
                    (_, "GET", "/unit_api/task_results/t-repair") => (
                        200,
                        r#"{"status": "succeeded", "result": {"repair": "ok"}}"#.to_string(),
                    ),
                    (_, "GET", "/unit_api/task_results/t-clock") => (
                        200,
                        r#"{"status": "succeeded", "result": true}"#.to_string(),
                    ),
                    (_, "GET", "/unit_api/versions/app") => {
                        let v = fs::read_to_string(dir.join("version"))
                            .unwrap_or_else(|_| "25.11.1".into());
                        (200, format!(r#"{{"version": "{}"}}"#, v.trim()))
                    }
                    (_, "POST", "/unit_api/system/reboot")
                    | (_, "POST", "/unit_api/system/shutdown")
                    | (_, "POST", "/unit_api/jobs/stop/all") => (
                        202,
                        r#"{"status": "accepted", "task_id": "t-1"}"#.to_string(),
                    ),
                    _ => (404, r#"{"error": "not found"}"#.to_string()),
                };
                let header =
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let _ = req.respond(
                    tiny_http::Response::from_string(json)
                        .with_status_code(code)
                        .with_header(header),
                );
            }
        });
        self.servers.push((server, handle));
        Ok(())
    }

    fn stop_servers(&mut self) {
        for (server, _) in &self.servers {
            server.unblock();
        }
        for (_, handle) in self.servers.drain(..) {
            let _ = handle.join();
        }
    }

    pub fn unit_dir(&self, i: usize) -> PathBuf {
        self.state.join("units").join(&self.units[i].addr)
    }

    /// The unit accepts this leader's key.
    /// Makes unit `i` run the real Pioreactor `release` (installed by
    /// tests/support/releases/install.sh): its own `pio` answers every `pio` command, the status
    /// probe and the chrony edit, with `config` as its config.ini to start with. `false` (said,
    /// and a failure under CI=true) when the release is not installed here.
    pub fn run_release(&self, i: usize, release: &str, config: &str, test: &str) -> bool {
        let venv = Path::new(RELEASES).join(release);
        if !venv.join("bin/pio").exists() {
            super::cannot_run(
                test,
                &format!(
                    "Pioreactor {release} is not installed at {} (run tests/support/releases/install.sh as root)",
                    venv.display()
                ),
            );
            return false;
        }
        let dir = self.unit_dir(i);
        fs::write(dir.join(".pioreactor/config.ini"), config).unwrap();
        fs::write(dir.join("release"), venv.display().to_string()).unwrap();
        run(Command::new("chmod").args(["-R", "a+rwX"]).arg(&dir));
        true
    }

    /// Runs `command` on unit `i` as its release would (see [`Lab::run_release`]): stdout, or
    /// a panic with what it printed.
    pub fn on_unit(&self, i: usize, command: &str) -> String {
        let dir = self.unit_dir(i);
        let venv = fs::read_to_string(dir.join("release")).unwrap();
        let out = Command::new("unshare")
            .args([
                "--user",
                "--map-user=4242",
                "--map-group=4242",
                "--keep-caps",
            ])
            .args(["--mount", "bash"])
            .arg(self.state.join("releases/unit.sh"))
            .arg(&dir)
            .arg(venv.trim())
            .arg(command)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{command}` on unit {i}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Serves unit `i`'s web API with its release's own web app (`pioreactor.web`, 25.11 and
    /// later) at its address and the lab's web port, until the returned guard is dropped.
    pub fn serve_release_web(&self, i: usize) -> ReleaseWeb {
        let dir = self.unit_dir(i);
        let venv = fs::read_to_string(dir.join("release")).unwrap();
        let (addr, port) = (&self.units[i].addr, self.web_port);
        let child = Command::new("unshare")
            .args(["--user", "--map-user=4242", "--map-group=4242", "--keep-caps"])
            .args(["--mount", "bash"])
            .arg(self.state.join("releases/unit.sh"))
            .arg(&dir)
            .arg(venv.trim())
            .arg(format!(
                "exec flask --app 'pioreactor.web.app:create_app()' run --host {addr} --port {port} --no-reload"
            ))
            .stdin(Stdio::null())
            .stdout(fs::File::create(dir.join("web.log")).unwrap())
            .stderr(Stdio::from(fs::File::create(dir.join("web.err")).unwrap()))
            .spawn()
            .unwrap();
        let web = ReleaseWeb(child);
        let start = Instant::now();
        while TcpStream::connect((addr.as_str(), port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the release's web app did not start: {}",
                fs::read_to_string(dir.join("web.err")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        web
    }

    pub fn authorize_leader(&self, i: usize) {
        let key = fs::read(self.env.home().join(".ssh/id_ed25519.pub")).unwrap();
        fs::write(self.unit_dir(i).join(".ssh/authorized_keys"), key).unwrap();
    }

    /// known_hosts already trusts the unit (as after an earlier add).
    pub fn trust_host_key(&self, i: usize) {
        let public = fs::read_to_string(self.state.join("host_key.pub")).unwrap();
        let mut fields = public.split_whitespace();
        let line = format!(
            "[{}]:{} {} {}\n",
            self.units[i].addr,
            self.ssh_port,
            fields.next().unwrap(),
            fields.next().unwrap()
        );
        let path = self.env.home().join(".ssh/known_hosts");
        let mut text = fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&line);
        fs::write(path, text).unwrap();
    }

    /// Every unit is reachable with keys: authorized and trusted.
    pub fn trust_all(&self) {
        for i in 0..self.units.len() {
            self.authorize_leader(i);
            self.trust_host_key(i);
        }
    }

    /// Plays the unit's reboot: once pio has asked it (over SSH or HTTP), it goes down
    /// for `down` and comes back with a new boot id (never, when `down` is None).
    pub fn reboot_when_asked(&self, i: usize, down: Option<Duration>) -> JoinHandle<()> {
        let dir = self.unit_dir(i);
        let addr = self.units[i].addr.clone();
        let log = self.state.join("ssh.log");
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(30) {
                let over_ssh = fs::read_to_string(&log)
                    .unwrap_or_default()
                    .lines()
                    .any(|l| l.contains(&format!("\t{addr}\t")) && l.ends_with("\tsudo reboot"));
                let over_http = fs::read_to_string(dir.join("http-asked"))
                    .unwrap_or_default()
                    .contains("POST /unit_api/system/reboot");
                let asked = over_ssh || over_http;
                if asked {
                    fs::write(dir.join("down"), "").unwrap();
                    if let Some(d) = down {
                        std::thread::sleep(d);
                        fs::write(dir.join("boot_id"), "boot-2\n").unwrap();
                        fs::remove_file(dir.join("down")).unwrap();
                    }
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    }

    /// Makes the unit's reboot and job halting fail over SSH.
    pub fn fail_ssh_actions(&self, i: usize) {
        fs::write(self.unit_dir(i).join("fail"), "").unwrap();
    }

    /// A config.ini naming every unit with its address and the lab's web port. The unit named
    /// `leader` (if any) is the leader.
    pub fn write_config(&self, leader: &str) -> String {
        let mut text = format!(
            "# the lab\n[cluster.topology]\nleader_hostname={leader}\nleader_address={leader}.local\n\n[cluster.inventory]\n"
        );
        for u in &self.units {
            text.push_str(&format!("{}=1\n", u.name));
        }
        text.push_str("\n[cluster.addresses]\n");
        for u in &self.units {
            text.push_str(&format!("{}={}\n", u.name, u.addr));
        }
        text.push_str(&format!("\n[ui]\nproto=http\nport={}\n", self.web_port));
        self.env.write_config(&text);
        text
    }

    /// (time, unit address, command) for every SSH request, in order.
    pub fn ssh_log(&self) -> Vec<(u128, String, String)> {
        fs::read_to_string(self.state.join("ssh.log"))
            .unwrap()
            .lines()
            .map(|l| {
                let mut f = l.splitn(3, '\t');
                (
                    f.next().unwrap().parse().unwrap(),
                    f.next().unwrap().to_string(),
                    f.next().unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    /// The command of every SSH request, in order.
    pub fn ssh_commands(&self) -> Vec<String> {
        self.ssh_log().into_iter().map(|(_, _, c)| c).collect()
    }

    /// (time, unit address, "METHOD /path") for every HTTP request.
    pub fn http_log(&self) -> Vec<(u128, String, String)> {
        self.http_log.lock().unwrap().clone()
    }

    /// Units (by name) that got `command` over SSH or `request` over HTTP, with the first time.
    pub fn asked(&self, command: &str, request: &str) -> HashMap<String, u128> {
        let name_of = |addr: &str| {
            self.units
                .iter()
                .find(|u| u.addr == addr)
                .unwrap()
                .name
                .clone()
        };
        let ssh = self.ssh_log().into_iter().filter(|(_, _, c)| c == command);
        let http = self.http_log().into_iter().filter(|(_, _, r)| r == request);
        let mut out = HashMap::new();
        for (t, addr, _) in ssh.chain(http) {
            out.entry(name_of(&addr)).or_insert(t);
        }
        out
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // unshare and sh exec into sshd, so the child we started is sshd itself.
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
        self.stop_servers();
    }
}
