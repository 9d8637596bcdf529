//! Reading config.ini, locking it across read-modify-write, and replacing it atomically.
//!
//! A cron job and an operator may run pio at the same moment, and the Pi may lose power mid-write.
//! So every write holds an advisory lock on a sidecar file for the whole read-modify-write, writes
//! a temporary file in the same folder, fsyncs it, renames it over config.ini and fsyncs the
//! folder: readers see the complete old file or the complete new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Kind, Result};

fn io_error(action: &str, path: &Path, e: &std::io::Error) -> Error {
    let hint = match e.kind() {
        ErrorKind::PermissionDenied => {
            "Check the file's owner and permissions (ls -l), or run pio as the user who owns it."
        }
        _ => "Check that the path is right and the disk is healthy.",
    };
    Error::new(
        Kind::ConfigIo,
        format!("cannot {action} {}: {e}", path.display()),
    )
    .with_hint(hint)
}

/// The largest config.ini pio reads. A cluster's file is a few kilobytes (ten thousand workers
/// are about 200 KB); a larger one is the wrong file (a log, a disk image, `/dev/zero`), which
/// pio refuses before reading it into memory.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// The file's bytes, at most [`MAX_CONFIG_BYTES`] of them (else an error, exit code 2, saying
/// what `kind` of file it should have been and giving `hint`).
fn read_capped(
    path: &Path,
    kind: &str,
    hint: &str,
) -> std::io::Result<std::result::Result<Vec<u8>, Error>> {
    use std::io::Read;
    let file = File::open(path)?;
    let too_big = |size: String| {
        Error::usage(format!(
            "{}: the file is {size}; {kind} is a few kilobytes, and pio reads none larger than {} MiB",
            path.display(),
            MAX_CONFIG_BYTES >> 20
        ))
        .with_hint(hint.to_string())
    };
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > MAX_CONFIG_BYTES {
        return Ok(Err(too_big(format!("{} bytes", meta.len()))));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Ok(Err(too_big(format!("more than {MAX_CONFIG_BYTES} bytes"))));
    }
    Ok(Ok(bytes))
}

/// The file's text, or `None` when there is no file.
pub fn read(path: &Path) -> Result<Option<String>> {
    let read = read_capped(
        path,
        "a config.ini",
        "Check that --config or $GLOBAL_CONFIG names the cluster's config.ini; nothing was read or changed.",
    );
    match read {
        Ok(Err(too_big)) => Err(too_big),
        Ok(Ok(bytes)) => String::from_utf8(bytes).map(Some).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes());
            let valid = e.utf8_error().valid_up_to();
            let line = text[..valid].matches('\n').count() + 1;
            Error::usage(format!(
                "{}:{line}: the file is not UTF-8 text",
                path.display()
            ))
            .with_hint("Save config.ini as UTF-8 (the Pioreactor software reads it as UTF-8).")
        }),
        // A symlink to nothing is a mistake to report, never "no config.ini yet": the first
        // write would otherwise replace the link with a fresh single-unit file.
        Err(e) if e.kind() == ErrorKind::NotFound => match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => Err(Error::new(
                Kind::ConfigIo,
                format!(
                    "{} is a symbolic link to {}, which does not exist",
                    path.display(),
                    fs::read_link(path).unwrap_or_default().display()
                ),
            )
            .with_hint("Point the link at the cluster's config.ini, or remove it.")),
            _ => Ok(None),
        },
        Err(e) => Err(io_error("read", path, &e)),
    }
}

/// A unit's own `config_<unit>.ini` beside config.ini, or `None` when there is none; capped as
/// config.ini is (a larger one is exit code 2, and is never sent).
pub fn read_unit_config(path: &Path) -> Result<Option<Vec<u8>>> {
    let hint = format!(
        "{} is copied to the unit as its unit_config.ini: check that it is the unit's settings; \
         it was not sent.",
        path.display()
    );
    match read_capped(path, "a unit's config file", &hint) {
        Ok(read) => read.map(Some),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("read", path, &e)),
    }
}

/// Creates `path` with `text` unless it exists (then leaves it as it is). Returns whether it
/// created it.
pub fn create_if_missing(path: &Path, text: &str) -> Result<bool> {
    let mut f = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o644)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(io_error("create", path, &e)),
    };
    f.write_all(text.as_bytes())
        .map_err(|e| io_error("write", path, &e))?;
    Ok(true)
}

/// The path writes go to: the file a symlink points at, so the link itself survives the rename.
pub fn write_target(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.ini".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// An exclusive advisory lock on `.config.ini.lock`, released when dropped (or when pio dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock for `path`, waiting at most `timeout` for another pio to finish. The folder is
/// created only when `create_folder` (the default place); a folder named explicitly must exist.
pub fn lock(path: &Path, timeout: Duration, create_folder: bool) -> Result<Lock> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if create_folder {
            fs::create_dir_all(dir).map_err(|e| io_error("create the folder", dir, &e))?;
        } else if !dir.is_dir() {
            return Err(Error::new(
                Kind::ConfigIo,
                format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    dir.display()
                ),
            )
            .with_hint(
                "Check the path given by --config or $GLOBAL_CONFIG; pio creates no folder there.",
            ));
        }
    }
    let lock_path = sidecar(path, "lock");
    let file = open_lock_file(path, &lock_path)
        .map_err(|e| io_error("open the lock file", &lock_path, &e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(
                    Kind::LockTimeout,
                    format!(
                        "{} is locked by another pio (lock file {}); gave up after {:.1} s",
                        path.display(),
                        lock_path.display(),
                        timeout.as_secs_f64()
                    ),
                )
                .with_hint(
                    "Another pio command is changing config.ini. Wait for it and try again; \
                     `fuser -v` on the lock file shows which process holds it.",
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path, &e)),
        }
    }
}

/// Opens (or creates) the lock file without following a symbolic link, refusing anything but a
/// regular file (a FIFO would block, a device would be written to). flock needs no write access,
/// so the owner of config.ini can lock a lock file root once created; a new one is given to
/// config.ini's owner.
fn open_lock_file(path: &Path, lock_path: &Path) -> std::io::Result<File> {
    let open = |create: bool| {
        let mut o = OpenOptions::new();
        o.read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        if create {
            o.write(true).create_new(true).mode(0o644);
        }
        o.open(lock_path)
    };
    let file = match open(false) {
        Err(e) if e.kind() == ErrorKind::NotFound => match open(true) {
            Ok(f) => {
                if let Ok(m) = fs::metadata(path) {
                    let _ = std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()));
                }
                f
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => open(false)?,
            Err(e) => return Err(e),
        },
        other => other?,
    };
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    Ok(file)
}

/// Replaces the file at `path` with `text` atomically, keeping its mode and owner. The temporary
/// file is created new (`O_EXCL`, never through a symbolic link) under an unpredictable name.
pub fn save(path: &Path, text: impl AsRef<[u8]>, _lock: &Lock) -> Result<()> {
    let text = text.as_ref();
    let tmp = crate::random::temporary_name(path);
    let old = fs::metadata(path).ok();
    let mode = old.as_ref().map(|m| m.mode() & 0o7777).unwrap_or(0o644);
    let write = || -> std::io::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(text)?;
        if let Some(m) = &old {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
            // Only root can give a file away; anyone else already owns what they write.
            let _ = std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()));
        }
        f.sync_all()?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("write", &tmp, &e));
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error("replace", path, &e)
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error("sync the folder", dir, &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_keeps_mode_and_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ini");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let lock = lock(&path, Duration::from_secs(1), true).unwrap();
        save(&path, "new", &lock).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().contains("pio-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_held_lock_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ini");
        let _held = lock(&path, Duration::from_secs(1), true).unwrap();
        // flock locks belong to the open file description, so a second open conflicts.
        let e = lock(&path, Duration::from_millis(50), true).unwrap_err();
        assert_eq!(e.kind, Kind::LockTimeout);
    }

    #[test]
    fn missing_file_reads_as_none() {
        assert!(
            read(Path::new("/nonexistent/pio/config.ini"))
                .unwrap()
                .is_none()
        );
    }
}
