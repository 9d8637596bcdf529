//! SSH to a unit with ssh2: bounded connect, host key check against known_hosts, key or password
//! authentication, commands with an overall deadline, and atomic file upload over SFTP.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ssh2::{RenameFlags, Session};

use super::encoding::fingerprint;
use super::known_hosts::{self, HostKeyCheck};

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
    pub known_hosts: PathBuf,
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
    },
    ChangedHostKey {
        pattern: String,
        presented: String,
        stored: Vec<String>,
        known_hosts: PathBuf,
        lines: Vec<usize>,
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
            } => write!(
                f,
                "host key of {pattern} ({fingerprint}) is not in known_hosts; refusing to connect \
                 (`pio workers add` trusts a new unit's key)"
            ),
            SshError::ChangedHostKey {
                pattern,
                presented,
                stored,
                known_hosts,
                lines,
            } => write!(
                f,
                "HOST KEY CHANGED for {pattern}: it presented {presented}, but {} line {} holds {}. \
                 This is another machine, or the unit was reflashed. If you know why, remove the old \
                 key with: ssh-keygen -R '{pattern}' -f {}",
                known_hosts.display(),
                lines
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                stored.join(", "),
                known_hosts.display()
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

/// An authenticated SSH session to one unit.
pub struct Connection {
    session: Session,
    pub target: Target,
    /// Set when this connection stored a new host key (its fingerprint).
    pub stored_host_key: Option<String>,
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

impl Connection {
    /// Connects, checks the host key and logs in, all before `deadline`. `password` is tried
    /// after the agent and identity files.
    pub fn open(
        target: &Target,
        unknown_key: UnknownHostKey,
        password: Option<&str>,
        deadline: Instant,
    ) -> Result<Connection, SshError> {
        let tcp = tcp_connect(target, remaining(deadline, "connecting")?)?;
        let mut session = Session::new().map_err(protocol("starting SSH"))?;
        session.set_tcp_stream(tcp);
        set_timeout(&session, deadline, "during the SSH handshake")?;
        session
            .handshake()
            .map_err(protocol("during the SSH handshake"))?;

        let stored_host_key = Self::check_host_key(&session, target, unknown_key)?;

        set_timeout(&session, deadline, "logging in")?;
        let mut tried = Vec::new();
        if let Ok(mut agent) = session.agent()
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
            if session.authenticated() || !key.exists() {
                continue;
            }
            tried.push(key.display().to_string());
            // Failure here just means the next key or method is tried.
            let _ = session.userauth_pubkey_file(&target.user, None, key, None);
        }
        if !session.authenticated()
            && let Some(pw) = password
        {
            tried.push("password".to_string());
            let _ = session.userauth_password(&target.user, pw);
        }
        if !session.authenticated() {
            remaining(deadline, "logging in")?;
            return Err(SshError::AuthFailed {
                user: target.user.clone(),
                tried,
            });
        }
        Ok(Connection {
            session,
            target: target.clone(),
            stored_host_key,
        })
    }

    fn check_host_key(
        session: &Session,
        target: &Target,
        unknown_key: UnknownHostKey,
    ) -> Result<Option<String>, SshError> {
        let (blob, _) = session
            .host_key()
            .ok_or_else(|| SshError::Protocol("the server sent no host key".into()))?;
        let pattern = known_hosts::host_pattern(&target.address, target.port);
        let presented = fingerprint(blob);
        let io = |e: std::io::Error| {
            SshError::Protocol(format!("{}: {e}", target.known_hosts.display()))
        };
        match known_hosts::check(&target.known_hosts, &pattern, blob).map_err(io)? {
            HostKeyCheck::Known => Ok(None),
            HostKeyCheck::Unknown if unknown_key == UnknownHostKey::Store => {
                known_hosts::add(&target.known_hosts, &pattern, blob).map_err(io)?;
                Ok(Some(presented))
            }
            HostKeyCheck::Unknown => Err(SshError::UnknownHostKey {
                pattern,
                fingerprint: presented,
            }),
            HostKeyCheck::Changed {
                stored_fingerprints,
                lines,
            } => Err(SshError::ChangedHostKey {
                pattern,
                presented,
                stored: stored_fingerprints,
                known_hosts: target.known_hosts.clone(),
                lines,
            }),
        }
    }

    /// Runs `command` and collects its output, giving up at `deadline`.
    pub fn exec(&self, command: &str, deadline: Instant) -> Result<Output, SshError> {
        let what = format!("running `{command}`");
        set_timeout(&self.session, deadline, &what)?;
        let mut channel = self.session.channel_session().map_err(protocol(&what))?;
        channel.exec(command).map_err(protocol(&what))?;
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let mut buf = [0u8; 8192];
        // Read until EOF, renewing the per-call timeout from the overall deadline each time.
        loop {
            set_timeout(&self.session, deadline, &what)?;
            match channel.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => stdout.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                    return Err(SshError::Timeout(what));
                }
                Err(_) => break, // the connection went away (e.g. a reboot)
            }
        }
        let _ = channel.stderr().read_to_end(&mut stderr);
        let _ = channel.wait_close();
        let status = channel.exit_status().ok();
        Ok(Output {
            status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Reads a file over SFTP (relative paths are in the login's home); `None` if it is absent.
    pub fn read_file(&self, path: &Path, deadline: Instant) -> Result<Option<Vec<u8>>, SshError> {
        let what = format!("reading {}", path.display());
        set_timeout(&self.session, deadline, &what)?;
        let sftp = self.session.sftp().map_err(protocol(&what))?;
        let mut file = match sftp.open(path) {
            Ok(f) => f,
            Err(e) if e.code() == ssh2::ErrorCode::SFTP(2) => return Ok(None), // no such file
            Err(e) => return Err(protocol(&what)(e)),
        };
        let mut data = Vec::new();
        file.read_to_end(&mut data)
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
        Ok(Some(data))
    }

    /// Writes a file over SFTP atomically: a temporary name in the same folder, then a rename
    /// over the target, so the unit never reads half a file. Creates the folder (mode `dir_mode`)
    /// when missing.
    pub fn write_file_atomic(
        &self,
        path: &Path,
        data: &[u8],
        mode: i32,
        dir_mode: i32,
        deadline: Instant,
    ) -> Result<(), SshError> {
        let what = format!("writing {}", path.display());
        set_timeout(&self.session, deadline, &what)?;
        let sftp = self.session.sftp().map_err(protocol(&what))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && sftp.stat(dir).is_err()
        {
            sftp.mkdir(dir, dir_mode).map_err(protocol(&what))?;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{}.pio-tmp", name.unwrap_or_default()));
        let mut file = sftp
            .open_mode(
                &tmp,
                ssh2::OpenFlags::WRITE | ssh2::OpenFlags::CREATE | ssh2::OpenFlags::TRUNCATE,
                mode,
                ssh2::OpenType::File,
            )
            .map_err(protocol(&what))?;
        file.write_all(data)
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
        let _ = file.fsync(); // not every server offers fsync@openssh.com
        drop(file);
        sftp.rename(
            &tmp,
            path,
            Some(RenameFlags::OVERWRITE | RenameFlags::ATOMIC),
        )
        .or_else(|_| {
            // Servers without posix-rename refuse to overwrite: remove, then rename.
            let _ = sftp.unlink(path);
            sftp.rename(&tmp, path, None)
        })
        .map_err(protocol(&what))?;
        Ok(())
    }
}
