//! Large transfers on an open connection: a command's stdout streamed into a file, and a file
//! streamed up over SFTP, each bounded in size and by the deadline.

use super::*;

impl Connection {
    /// Runs `command`, writing its stdout to `sink` (at most `max` bytes: more is an error) and
    /// keeping its stderr (at most [`MAX_OUTPUT`]); gives up at `deadline`. The output's
    /// `stdout` is empty.
    pub fn exec_into(
        &self,
        command: &str,
        sink: &mut dyn Write,
        max: u64,
        deadline: Instant,
    ) -> Result<Output, SshError> {
        let what = "running the backup".to_string();
        self.begin(deadline, &what)?;
        let mut channel = self.session.channel_session().map_err(protocol(&what))?;
        channel.exec(command).map_err(protocol(&what))?;
        self.session.set_blocking(false);
        let read = self.stream_both(&mut channel, sink, max, (deadline, &what));
        if read.is_err() {
            self.abandoned.set(true);
            return Err(read.expect_err("checked"));
        }
        self.session.set_blocking(true);
        let stderr = read?;
        if set_timeout(&self.session, deadline, &what).is_ok() {
            let _ = channel.wait_close();
        }
        Ok(Output {
            status: channel.exit_status().ok(),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    fn stream_both(
        &self,
        channel: &mut ssh2::Channel,
        sink: &mut dyn Write,
        max: u64,
        (deadline, what): (Instant, &str),
    ) -> Result<Vec<u8>, SshError> {
        let (mut written, mut stderr) = (0u64, Vec::new());
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let mut progressed = false;
            match channel.stream(0).read(&mut buf) {
                Ok(0) => {}
                Ok(n) => {
                    written += n as u64;
                    if written > max {
                        return Err(SshError::Protocol(format!(
                            "{what}: more than {} MiB; pio stopped reading",
                            max >> 20
                        )));
                    }
                    sink.write_all(&buf[..n])
                        .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
                    progressed = true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(SshError::Protocol(format!("{what}: {e}"))),
            }
            match channel.stream(1).read(&mut buf) {
                Ok(n) if n > 0 && stderr.len() + n <= MAX_OUTPUT => {
                    stderr.extend_from_slice(&buf[..n]);
                    progressed = true;
                }
                Ok(n) => progressed |= n > 0,
                Err(_) => {}
            }
            if progressed {
                continue;
            }
            if channel.eof() {
                return Ok(stderr);
            }
            let left = remaining(deadline, what)?;
            self.wait_socket(left.min(Duration::from_millis(500)));
        }
    }

    /// Copies `source` to a new file at `path` over SFTP (relative paths are in the login's
    /// home), created exclusively with mode 0600 (a link planted there is never followed). A
    /// failure removes what was written.
    pub fn upload(
        &self,
        source: &mut dyn Read,
        path: &Path,
        deadline: Instant,
    ) -> Result<(), SshError> {
        let what = format!("sending {}", path.display());
        let sent = (|| {
            self.begin(deadline, &what)?;
            let sftp = self.session.sftp().map_err(protocol(&what))?;
            let mut file = sftp
                .open_mode(
                    path,
                    ssh2::OpenFlags::WRITE | ssh2::OpenFlags::CREATE | ssh2::OpenFlags::EXCLUSIVE,
                    0o600,
                    ssh2::OpenType::File,
                )
                .map_err(protocol(&what))?;
            let copied = copy_up(self, source, &mut file, (&what, deadline));
            drop(file);
            if copied.is_err() {
                let _ = set_timeout(&self.session, deadline, &what).map(|()| sftp.unlink(path));
            }
            copied
        })();
        self.settle(sent, deadline)
    }
}

/// `source` into the open remote `file`, in chunks, each given what is left of the time.
fn copy_up(
    conn: &Connection,
    source: &mut dyn Read,
    file: &mut ssh2::File,
    (what, deadline): (&str, Instant),
) -> Result<(), SshError> {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = source
            .read(&mut buf)
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
        if n == 0 {
            break;
        }
        set_timeout(&conn.session, deadline, what)?;
        file.write_all(&buf[..n])
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
    }
    set_timeout(&conn.session, deadline, what)?;
    let _ = file.fsync();
    Ok(())
}
