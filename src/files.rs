//! Reading the files pio does not own (SSH's config and known_hosts, the files they include) by
//! one rule: a regular file of bounded size, opened without blocking (a FIFO never hangs pio),
//! never reached through a link another user planted. A leaf: every layer may use it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

/// The bytes of `path`, at most `max` of them (more is an error: [`io::ErrorKind::InvalidData`]).
/// A missing file is [`io::ErrorKind::NotFound`], as `fs::read` says it.
pub fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} KiB; not read", max / 1024),
        ));
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file (not a FIFO, a device or a folder), without
/// blocking on it, and following a link only where the link's owner owns the folder it is in
/// (a user's own dotfiles), never one another user planted in a folder they share.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let link = fs::symlink_metadata(path)?;
    if link.file_type().is_symlink() {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let folder = fs::metadata(dir)?;
        if link.uid() != folder.uid() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "a link owned by uid {} in a folder owned by uid {}: not followed",
                    link.uid(),
                    folder.uid()
                ),
            ));
        }
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file; not read",
        ));
    }
    Ok(file)
}

/// Which step of [`replace_atomically`] failed (for the caller's message), and why.
pub struct ReplaceError {
    pub step: &'static str,
    pub path: std::path::PathBuf,
    pub error: io::Error,
}

/// Replaces the file at `path` with `bytes` atomically, keeping its mode and owner (0644 for a
/// new one): a new file under an unpredictable name beside it, created exclusively and never
/// through a link, written and synced, renamed over `path`, then the folder synced. Nothing is
/// left behind when a step fails.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReplaceError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let failed = |step, path: &Path, error| ReplaceError {
        step,
        path: path.to_path_buf(),
        error,
    };
    let tmp = crate::random::temporary_name(path);
    let old = fs::metadata(path).ok();
    let mode = old.as_ref().map(|m| m.mode() & 0o7777).unwrap_or(0o644);
    let write = || -> io::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(m) = &old {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
            // Only root can give a file away; anyone else already owns what they write.
            let _ = std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()));
        }
        f.sync_all()
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(failed("write", &tmp, e));
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(failed("replace", path, e));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| failed("sync the folder", dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bounded_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        fs::write(&file, "Host *\n").unwrap();
        assert_eq!(read_bounded(&file, 100).unwrap(), b"Host *\n");
        assert_eq!(
            read_bounded(&file, 3).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        // A FIFO is refused at once, not waited on.
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_bounded(&fifo, 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert_eq!(
            read_bounded(&dir.path().join("none"), 100)
                .unwrap_err()
                .kind(),
            io::ErrorKind::NotFound
        );
        // The user's own link is followed.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(read_bounded(&link, 100).unwrap(), b"Host *\n");
    }
}
