//! SSH to a unit with ssh2: bounded connect, host key check against known_hosts, key or password
//! authentication, commands with an overall deadline, and atomic file upload over SFTP.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ssh2::{BlockDirections, MethodType, RenameFlags, Session};

use super::encoding::fingerprint;
use super::known_hosts::{self, HostKeyCheck, KnownHosts, Lookup, Place};

/// The most of a remote command's output (each of stdout and stderr) or of a file pio reads:
/// every answer the contract expects is a few kilobytes.
pub const MAX_OUTPUT: usize = 1 << 20;
/// The most of a file read over SFTP (a unit's config.ini).
pub const MAX_FILE: u64 = 16 << 20;

/// Where and as whom to connect, resolved from the unit's address and `~/.ssh/config`.
#[derive(Clone, Debug)]
pub struct Target {
    /// The unit's name, for messages.
    pub name: String,
    /// The address to connect to (IPv4 or a resolvable name).
    pub address: String,
    pub port: u16,
    pub user: String,
    /// Private keys to try, in order, after the agent.
    pub identity_files: Vec<PathBuf>,
    /// Whether to ask the ssh-agent (`IdentitiesOnly yes` and `IdentityAgent none` say no).
    pub use_agent: bool,
    /// `ProxyCommand` (or `ProxyJump`) from `~/.ssh/config`: pio talks SSH through it.
    pub proxy_command: Option<String>,
    /// The names the unit's host key is filed under in known_hosts.
    pub host_keys: Lookup,
    /// Where a newly trusted key is written (the first `UserKnownHostsFile`).
    pub known_hosts: PathBuf,
    /// Every line of the user's and the global known_hosts files, read once per run.
    pub known: Arc<KnownHosts>,
    /// `StrictHostKeyChecking accept-new` (or `no`): a new key is trusted after logging in.
    pub accept_new: bool,
}

/// What to do with a host key that known_hosts does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownHostKey {
    /// Refuse (every command but `workers add`).
    Refuse,
    /// Trust on first use: store it (`workers add`).
    Store,
}

#[derive(Debug)]
pub enum SshError {
    /// No TCP connection (refused, unreachable, timed out).
    Unreachable(String),
    UnknownHostKey {
        pattern: String,
        fingerprint: String,
        /// Key types known_hosts holds for it (none of the presented type).
        other_types: Vec<String>,
    },
    ChangedHostKey {
        pattern: String,
        presented: String,
        stored: Vec<String>,
        places: Vec<Place>,
    },
    /// known_hosts marks the presented key `@revoked`.
    RevokedHostKey {
        pattern: String,
        presented: String,
        place: Place,
    },
    /// Neither the agent, the identity files nor a password were accepted.
    AuthFailed { user: String, tried: Vec<String> },
    /// The deadline passed.
    Timeout(String),
    /// Anything else libssh2 or the remote side reported.
    Protocol(String),
}

impl fmt::Display for SshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SshError::Unreachable(why) => write!(f, "cannot connect: {why}"),
            SshError::UnknownHostKey {
                pattern,
                fingerprint,
                other_types,
            } => {
                write!(
                    f,
                    "host key of {pattern} ({fingerprint}) is not in known_hosts; refusing to \
                     connect (`pio workers add` trusts a new unit's key)"
                )?;
                if !other_types.is_empty() {
                    write!(
                        f,
                        ". known_hosts holds only a key of another type for it ({}), which cannot \
                         vouch for this one",
                        other_types.join(", ")
                    )?;
                }
                Ok(())
            }
            SshError::ChangedHostKey {
                pattern,
                presented,
                stored,
                places,
            } => {
                let at: Vec<String> = places.iter().map(Place::to_string).collect();
                let mut files: Vec<String> = Vec::new();
                for p in places {
                    let cmd = format!("ssh-keygen -R '{pattern}' -f '{}'", p.file.display());
                    if !files.contains(&cmd) {
                        files.push(cmd);
                    }
                }
                write!(
                    f,
                    "HOST KEY CHANGED for {pattern}: it presented {presented}, but {} holds {}. \
                     This is another machine, or the unit was reflashed. If you know why, remove \
                     the old key with: {}",
                    at.join(", "),
                    stored.join(", "),
                    files.join("; ")
                )
            }
            SshError::RevokedHostKey {
                pattern,
                presented,
                place,
            } => write!(
                f,
                "the host key of {pattern} ({presented}) is marked @revoked at {place}; refusing \
                 to connect"
            ),
            SshError::AuthFailed { user, tried } => write!(
                f,
                "authentication as {user} failed (tried: {})",
                tried.join(", ")
            ),
            SshError::Timeout(what) => write!(f, "timed out {what}"),
            SshError::Protocol(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for SshError {}

fn protocol(context: &str) -> impl Fn(ssh2::Error) -> SshError + '_ {
    move |e| {
        let text = e.message().to_string();
        if text.to_lowercase().contains("timed out") || e.code() == ssh2::ErrorCode::Session(-9) {
            SshError::Timeout(context.to_string())
        } else {
            SshError::Protocol(format!("{context}: {text}"))
        }
    }
}

/// The output of a remote command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// `None` when the connection ended without an exit status.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

/// The `ProxyCommand` process a connection talks through; killed with the connection.
struct Proxy(Child);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An authenticated SSH session to one unit.
pub struct Connection {
    session: Session,
    /// The socket under the session, for waiting on it.
    fd: RawFd,
    pub target: Target,
    /// Set when this connection stored a new host key (its fingerprint).
    pub stored_host_key: Option<String>,
    _proxy: Option<Proxy>,
    /// An operation ran out of time: the unit may be stalled, so nothing more is asked of it
    /// and tearing it down waits for nothing.
    abandoned: std::cell::Cell<bool>,
}

impl Drop for Connection {
    /// Closing never blocks: a unit that stopped answering gets its TCP connection closed, not
    /// a wait for its goodbye (which a stalled unit never sends).
    fn drop(&mut self) {
        self.session.set_blocking(false);
    }
}

/// Resolves the target address to the socket addresses to try, IPv4 first.
fn socket_addrs(target: &Target) -> Result<Vec<SocketAddr>, SshError> {
    let mut addrs: Vec<SocketAddr> = (target.address.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| SshError::Unreachable(format!("{}: {e}", target.address)))?
        .collect();
    addrs.sort_by_key(|a| !a.is_ipv4());
    Ok(addrs)
}

/// Opens a TCP connection to the SSH port, giving up after `timeout`.
pub fn tcp_connect(target: &Target, timeout: Duration) -> Result<TcpStream, SshError> {
    let mut last = String::from("no address");
    for addr in socket_addrs(target)? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    Err(SshError::Unreachable(last))
}

/// Connects to the SSH port (giving up after `connect_timeout`) and waits, until `deadline`, for
/// the server's greeting (its version line), leaving it unread. A port that accepts and says
/// nothing (a unit still booting, another service) has not answered.
pub fn await_greeting(
    target: &Target,
    connect_timeout: Duration,
    deadline: Instant,
) -> Result<(), SshError> {
    let stream = tcp_connect(target, connect_timeout)?;
    let silent = || {
        SshError::Timeout(format!(
            "waiting for the SSH greeting ({}:{} accepted the connection and said nothing)",
            target.address, target.port
        ))
    };
    let left = remaining(deadline, "waiting for the SSH greeting").map_err(|_| silent())?;
    stream
        .set_read_timeout(Some(left))
        .map_err(|e| SshError::Unreachable(e.to_string()))?;
    match stream.peek(&mut [0u8; 1]) {
        Ok(0) => Err(SshError::Unreachable(format!(
            "{}:{} closed the connection without an SSH greeting",
            target.address, target.port
        ))),
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(silent())
        }
        Err(e) => Err(SshError::Unreachable(e.to_string())),
    }
}

/// The `ProxyCommand` with its tokens expanded: `%h` host, `%p` port, `%r` user, `%n` the name
/// as given, `%%` a percent sign.
pub fn proxy_command_line(target: &Target, command: &str) -> String {
    let mut out = String::new();
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('h') => out.push_str(&target.address),
            Some('p') => out.push_str(&target.port.to_string()),
            Some('r') => out.push_str(&target.user),
            Some('n') => out.push_str(&target.name),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Starts the `ProxyCommand` (through `sh`, as ssh does) with its stdin and stdout on one end of
/// a socket pair; the other end carries the SSH session.
fn spawn_proxy(target: &Target, command: &str) -> Result<(UnixStream, Proxy), SshError> {
    let line = proxy_command_line(target, command);
    let failed = |e: std::io::Error| {
        SshError::Unreachable(format!("cannot start the ProxyCommand `{line}`: {e}"))
    };
    let (ours, theirs) = UnixStream::pair().map_err(failed)?;
    let theirs_out = theirs.try_clone().map_err(failed)?;
    let child = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("exec {line}"))
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .stdout(Stdio::from(OwnedFd::from(theirs_out)))
        .spawn()
        .map_err(failed)?;
    Ok((ours, Proxy(child)))
}

fn remaining(deadline: Instant, what: &str) -> Result<Duration, SshError> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| SshError::Timeout(what.to_string()))
}

fn set_timeout(session: &Session, deadline: Instant, what: &str) -> Result<(), SshError> {
    let left = remaining(deadline, what)?;
    session.set_timeout(left.as_millis().clamp(1, u128::from(u32::MAX)) as u32);
    Ok(())
}

/// The host key algorithms to ask for: those of keys known_hosts already holds for the unit
/// first (as OpenSSH orders them), then libssh2's own order.
fn host_key_preference(session: &Session, stored: &[String]) -> Option<String> {
    if stored.is_empty() {
        return None;
    }
    let supported = session.supported_algs(MethodType::HostKey).ok()?;
    let mut order: Vec<&str> = Vec::new();
    for t in stored {
        for alg in &supported {
            // An RSA key is signed with rsa-sha2-512/256 or ssh-rsa; its blob says ssh-rsa.
            let fits = *alg == t.as_str() || (t == "ssh-rsa" && alg.starts_with("rsa-sha2-"));
            if fits && !order.contains(alg) {
                order.push(alg);
            }
        }
    }
    for alg in &supported {
        if !order.contains(alg) {
            order.push(alg);
        }
    }
    Some(order.join(","))
}

/// The largest identity file pio reads (an RSA key of 16384 bits is about 12 KiB).
const MAX_PRIVATE_KEY: u64 = 256 * 1024;

/// Logs in: the agent (unless the target says not to), then each identity file, then
/// `password`.
fn authenticate(session: &Session, target: &Target, password: Option<&str>) -> Vec<String> {
    let mut tried = Vec::new();
    if target.use_agent
        && let Ok(mut agent) = session.agent()
        && agent.connect().is_ok()
        && agent.list_identities().is_ok()
    {
        tried.push("ssh-agent".to_string());
        for id in agent.identities().unwrap_or_default() {
            if agent.userauth(&target.user, &id).is_ok() {
                break;
            }
        }
    }
    for key in &target.identity_files {
        if session.authenticated() {
            break;
        }
        // Read by the one rule for files: regular, bounded, never through a planted link nor
        // waited on (libssh2 would open whatever is there, a FIFO included).
        let private = match crate::files::read_text(key, MAX_PRIVATE_KEY) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                tried.push(format!("{} (not read: {e})", key.display()));
                continue;
            }
        };
        tried.push(key.display().to_string());
        // Failure here just means the next key or method is tried.
        let _ = session.userauth_pubkey_memory(&target.user, None, &private, None);
    }
    if !session.authenticated()
        && let Some(pw) = password
    {
        tried.push("password".to_string());
        let _ = session.userauth_password(&target.user, pw);
    }
    tried
}

impl Connection {
    /// Connects, checks the host key and logs in, all before `deadline`. `password` is tried
    /// after the agent and identity files. A new host key is stored (where `unknown_key` or
    /// `StrictHostKeyChecking accept-new` allow it) only once the login succeeded.
    pub fn open(
        target: &Target,
        unknown_key: UnknownHostKey,
        password: Option<&str>,
        deadline: Instant,
    ) -> Result<Connection, SshError> {
        let mut session = Session::new().map_err(protocol("starting SSH"))?;
        let (fd, mut proxy) = match target.proxy_command.as_deref().filter(|c| !c.is_empty()) {
            Some(command) => {
                let (stream, proxy) = spawn_proxy(target, command)?;
                let fd = stream.as_raw_fd();
                session.set_tcp_stream(stream);
                (fd, Some(proxy))
            }
            None => {
                let tcp = tcp_connect(target, remaining(deadline, "connecting")?)?;
                let fd = tcp.as_raw_fd();
                session.set_tcp_stream(tcp);
                (fd, None)
            }
        };
        let stored_types = target.known.stored_types(&target.host_keys);
        if let Some(pref) = host_key_preference(&session, &stored_types) {
            let _ = session.method_pref(MethodType::HostKey, &pref);
        }
        set_timeout(&session, deadline, "during the SSH handshake")?;
        if let Err(e) = session.handshake() {
            let error = protocol("during the SSH handshake")(e);
            let Some(Proxy(child)) = proxy.as_mut() else {
                return Err(error);
            };
            // A proxy that ended explains the failure better than libssh2's words for it.
            let line = proxy_command_line(target, target.proxy_command.as_deref().unwrap_or(""));
            let until = Instant::now() + Duration::from_millis(300);
            while Instant::now() < until {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(SshError::Unreachable(format!(
                        "the ProxyCommand `{line}` from ~/.ssh/config ended ({status}) before SSH \
                         began"
                    )));
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            return Err(SshError::Unreachable(format!(
                "through the ProxyCommand `{line}` from ~/.ssh/config: {error}"
            )));
        }

        let new_key = Self::check_host_key(&session, target, unknown_key)?;

        // Logging in may talk to an ssh-agent, whose socket libssh2 reads without a timeout: a
        // silent agent must not hold pio past its deadline, so the login runs on its own thread.
        let left = remaining(deadline, "logging in")?;
        set_timeout(&session, deadline, "logging in")?;
        let (tx, rx) = std::sync::mpsc::channel();
        let (t, pw) = (target.clone(), password.map(str::to_string));
        std::thread::spawn(move || {
            let tried = authenticate(&session, &t, pw.as_deref());
            let _ = tx.send((session, tried));
        });
        let (session, tried) = rx.recv_timeout(left).map_err(|_| {
            SshError::Timeout(
                "logging in (neither the unit nor the ssh-agent at $SSH_AUTH_SOCK answered)"
                    .to_string(),
            )
        })?;
        if !session.authenticated() {
            remaining(deadline, "logging in")?;
            return Err(SshError::AuthFailed {
                user: target.user.clone(),
                tried,
            });
        }
        // Trust on first use, only for a unit that let us in.
        let stored_host_key = match new_key {
            Some((pattern, blob, fp)) => {
                known_hosts::add(&target.known_hosts, &pattern, &blob).map_err(|e| {
                    SshError::Protocol(format!("{}: {e}", target.known_hosts.display()))
                })?;
                Some(fp)
            }
            None => None,
        };
        Ok(Connection {
            session,
            fd,
            target: target.clone(),
            stored_host_key,
            _proxy: proxy,
            abandoned: std::cell::Cell::new(false),
        })
    }

    /// Checks the presented host key; `Some((pattern, key, fingerprint))` when it is new and
    /// may be stored after the login.
    #[allow(clippy::type_complexity)]
    fn check_host_key(
        session: &Session,
        target: &Target,
        unknown_key: UnknownHostKey,
    ) -> Result<Option<(String, Vec<u8>, String)>, SshError> {
        let (blob, _) = session
            .host_key()
            .ok_or_else(|| SshError::Protocol("the server sent no host key".into()))?;
        let pattern = target.host_keys.primary.clone();
        let presented = fingerprint(blob);
        match target.known.check(&target.host_keys, blob) {
            HostKeyCheck::Known => Ok(None),
            // accept-new trusts a key only where every known_hosts file could be read: one
            // that could not might hold another key for this unit.
            HostKeyCheck::Unknown { .. }
                if unknown_key == UnknownHostKey::Store
                    || (target.accept_new && target.known.unread.is_empty()) =>
            {
                Ok(Some((pattern, blob.to_vec(), presented)))
            }
            HostKeyCheck::Unknown { other_types } => Err(SshError::UnknownHostKey {
                pattern,
                fingerprint: presented,
                other_types,
            }),
            HostKeyCheck::Changed {
                stored_fingerprints,
                places,
            } => Err(SshError::ChangedHostKey {
                pattern,
                presented,
                stored: stored_fingerprints,
                places,
            }),
            HostKeyCheck::Revoked { place } => Err(SshError::RevokedHostKey {
                pattern,
                presented,
                place,
            }),
        }
    }

    /// Runs `command` and collects its output (at most [`MAX_OUTPUT`] of each stream), giving
    /// up at `deadline`.
    pub fn exec(&self, command: &str, deadline: Instant) -> Result<Output, SshError> {
        let what = format!("running `{command}`");
        self.begin(deadline, &what)?;
        let mut channel = self.session.channel_session().map_err(protocol(&what))?;
        channel.exec(command).map_err(protocol(&what))?;
        // Both streams are read as they come: a command that fills stderr while pio waits on
        // stdout would otherwise stall until the deadline.
        self.session.set_blocking(false);
        let read = self.read_both(&mut channel, deadline, &what);
        if read.is_err() {
            // Left non-blocking: the channel is dropped without waiting on the unit.
            self.abandoned.set(true);
            return Err(read.expect_err("checked"));
        }
        self.session.set_blocking(true);
        let (stdout, stderr) = read?;
        if set_timeout(&self.session, deadline, &what).is_ok() {
            let _ = channel.wait_close();
        }
        let status = channel.exit_status().ok();
        Ok(Output {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Starts an operation due by `deadline`: refused on a connection that ran out of time.
    fn begin(&self, deadline: Instant, what: &str) -> Result<(), SshError> {
        if self.abandoned.get() {
            return Err(SshError::Timeout(format!(
                "{what}: an earlier step on this connection ran out of time"
            )));
        }
        set_timeout(&self.session, deadline, what)
    }

    /// Marks the connection abandoned when `result` ran out of time (see [`Connection::begin`]).
    fn settle<T>(&self, result: Result<T, SshError>, deadline: Instant) -> Result<T, SshError> {
        if result.is_err() && Instant::now() >= deadline {
            self.abandoned.set(true);
            self.session.set_blocking(false);
        }
        result
    }

    /// Reads stdout and stderr until the command ends, on a non-blocking session.
    fn read_both(
        &self,
        channel: &mut ssh2::Channel,
        deadline: Instant,
        what: &str,
    ) -> Result<(Vec<u8>, Vec<u8>), SshError> {
        let mut out = [Vec::new(), Vec::new()];
        let mut buf = [0u8; 16384];
        loop {
            let mut progressed = false;
            for (id, collected) in out.iter_mut().enumerate() {
                match channel.stream(id as i32).read(&mut buf) {
                    Ok(0) => {}
                    Ok(n) => {
                        if collected.len() + n > MAX_OUTPUT {
                            return Err(SshError::Protocol(format!(
                                "{what}: it printed more than {} KiB; pio stopped reading",
                                MAX_OUTPUT / 1024
                            )));
                        }
                        collected.extend_from_slice(&buf[..n]);
                        progressed = true;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    // The connection went away (e.g. a reboot): what came so far is the answer.
                    Err(_) => return Ok(out.into()),
                }
            }
            if progressed {
                continue;
            }
            if channel.eof() {
                return Ok(out.into());
            }
            let left = remaining(deadline, what)?;
            self.wait_socket(left.min(Duration::from_millis(500)));
        }
    }

    /// Waits until the session's socket is ready in the direction libssh2 is blocked on.
    fn wait_socket(&self, limit: Duration) {
        let events = match self.session.block_directions() {
            BlockDirections::Inbound => libc::POLLIN,
            BlockDirections::Outbound => libc::POLLOUT,
            BlockDirections::Both => libc::POLLIN | libc::POLLOUT,
            BlockDirections::None => libc::POLLIN,
        };
        let mut pfd = libc::pollfd {
            fd: self.fd,
            events,
            revents: 0,
        };
        let ms = limit.as_millis().clamp(1, 1000) as libc::c_int;
        // SAFETY: one valid pollfd for the socket this connection owns.
        unsafe { libc::poll(&mut pfd, 1, ms) };
    }
}

mod sftp;
mod stream;

#[cfg(test)]
mod tests;
