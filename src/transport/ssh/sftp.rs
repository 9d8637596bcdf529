//! Files over SFTP on an open connection: read whole (bounded), written atomically.

use super::*;

impl Connection {
    /// Reads a file over SFTP (relative paths are in the login's home); `None` if it is absent.
    pub fn read_file(&self, path: &Path, deadline: Instant) -> Result<Option<Vec<u8>>, SshError> {
        let what = format!("reading {}", path.display());
        set_timeout(&self.session, deadline, &what)?;
        let sftp = self.session.sftp().map_err(protocol(&what))?;
        let file = match sftp.open(path) {
            Ok(f) => f,
            Err(e) if e.code() == ssh2::ErrorCode::SFTP(2) => return Ok(None), // no such file
            Err(e) => return Err(protocol(&what)(e)),
        };
        let mut data = Vec::new();
        file.take(MAX_FILE + 1)
            .read_to_end(&mut data)
            .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
        if data.len() as u64 > MAX_FILE {
            return Err(SshError::Protocol(format!(
                "{what}: larger than {} MiB; pio stopped reading",
                MAX_FILE >> 20
            )));
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
        let what = format!("writing {}", path.display());
        set_timeout(&self.session, deadline, &what)?;
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
        let written = fill_and_rename(&sftp, file, &tmp, path, data, &what);
        if written.is_err() {
            let _ = sftp.unlink(&tmp);
        }
        written
    }
}

/// Writes `data` to the open temporary file `tmp`, then renames it over `path`.
fn fill_and_rename(
    sftp: &ssh2::Sftp,
    mut file: ssh2::File,
    tmp: &Path,
    path: &Path,
    data: &[u8],
    what: &str,
) -> Result<(), SshError> {
    file.write_all(data)
        .map_err(|e| SshError::Protocol(format!("{what}: {e}")))?;
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
