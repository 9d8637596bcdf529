//! Files over SFTP on an open connection: read whole (bounded), written atomically.

use super::*;

impl Connection {
    /// Reads a file over SFTP (relative paths are in the login's home); `None` if it is absent.
    pub fn read_file(&self, path: &Path, deadline: Instant) -> Result<Option<Vec<u8>>, SshError> {
        let read = self.read_file_by(path, deadline);
        self.settle(read, deadline)
    }

    fn read_file_by(&self, path: &Path, deadline: Instant) -> Result<Option<Vec<u8>>, SshError> {
        let what = format!("reading {}", path.display());
        self.begin(deadline, &what)?;
        let sftp = self.session.sftp().map_err(protocol(&what))?;
        let file = match sftp.open(path) {
            Ok(f) => f,
            Err(e) if e.code() == ssh2::ErrorCode::SFTP(2) => return Ok(None), // no such file
            Err(e) => return Err(protocol(&what)(e)),
        };
        // In chunks, each given what is left of the time: a unit that sends slowly is cut off
        // at the deadline, not a chunk's timeout later.
        let mut file = file;
        let mut data = Vec::new();
        let mut chunk = [0u8; 32 * 1024];
        loop {
            set_timeout(&self.session, deadline, &what)?;
            let n = file
                .read(&mut chunk)
                .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
            if n == 0 {
                break;
            }
            data.extend_from_slice(&chunk[..n]);
            if data.len() as u64 > MAX_FILE {
                return Err(SshError::Protocol(format!(
                    "{what}: larger than {} MiB; pio stopped reading",
                    MAX_FILE >> 20
                )));
            }
        }
        Ok(Some(data))
    }

    /// Writes a file over SFTP atomically: a new file under an unpredictable name in the same
    /// folder, then a rename over the target, so the unit never reads half a file. Creates the
    /// folder (mode `dir_mode`) when missing.
    pub fn write_file_atomic(
        &self,
        path: &Path,
        data: &[u8],
        mode: i32,
        dir_mode: i32,
        deadline: Instant,
    ) -> Result<(), SshError> {
        let written = self.write_file_by(path, data, (mode, dir_mode), deadline);
        self.settle(written, deadline)
    }

    fn write_file_by(
        &self,
        path: &Path,
        data: &[u8],
        (mode, dir_mode): (i32, i32),
        deadline: Instant,
    ) -> Result<(), SshError> {
        let what = format!("writing {}", path.display());
        self.begin(deadline, &what)?;
        let sftp = self.session.sftp().map_err(protocol(&what))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && sftp.stat(dir).is_err()
        {
            sftp.mkdir(dir, dir_mode).map_err(protocol(&what))?;
        }
        let tmp = crate::random::temporary_name(path);
        // Created exclusively (O_EXCL on the unit): a link planted there is never followed.
        let file = sftp
            .open_mode(
                &tmp,
                ssh2::OpenFlags::WRITE | ssh2::OpenFlags::CREATE | ssh2::OpenFlags::EXCLUSIVE,
                mode,
                ssh2::OpenType::File,
            )
            .map_err(protocol(&what))?;
        let written = fill_and_rename(self, (&sftp, file), (&tmp, path), data, (&what, deadline));
        if written.is_err() {
            let _ = sftp.unlink(&tmp);
        }
        written
    }
}

/// Writes `data` to the open temporary file `tmp`, then renames it over `path`.
fn fill_and_rename(
    conn: &Connection,
    (sftp, mut file): (&ssh2::Sftp, ssh2::File),
    (tmp, path): (&Path, &Path),
    data: &[u8],
    (what, deadline): (&str, Instant),
) -> Result<(), SshError> {
    // In chunks, each given what is left of the time.
    for chunk in data.chunks(32 * 1024) {
        set_timeout(&conn.session, deadline, what)?;
        file.write_all(chunk)
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
    }
    set_timeout(&conn.session, deadline, what)?;
    let _ = file.fsync(); // not every server offers fsync@openssh.com
    drop(file);
    sftp.rename(
        tmp,
        path,
        Some(RenameFlags::OVERWRITE | RenameFlags::ATOMIC),
    )
    .or_else(|_| {
        // Servers without posix-rename refuse to overwrite: remove, then rename.
        let _ = sftp.unlink(path);
        sftp.rename(tmp, path, None)
    })
    .map_err(protocol(what))
}
