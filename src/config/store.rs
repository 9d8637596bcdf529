//! Reading config.ini, locking it across read-modify-write, and replacing it atomically.
//!
//! A cron job and an operator may run pio at the same moment, and the Pi may lose power mid-write.
//! So every write holds an advisory lock on a sidecar file for the whole read-modify-write, writes
//! a temporary file in the same folder, fsyncs it, renames it over config.ini and fsyncs the
//! folder: readers see the complete old file or the complete new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Kind, Result};
use crate::files::Refused;

fn io_error(action: &str, path: &Path, e: &std::io::Error) -> Error {
    let hint = match (crate::files::refusal(e), e.kind()) {
        (Some(Refused::PlantedLink { .. }), _) => {
            "Replace the link with the file itself, or make the link as the user who runs pio \
             (or root); nothing was read or changed."
        }
        (Some(Refused::NotRegular(_)), _) => {
            "pio reads and writes only regular files: put one there (or remove what is there), \
             and check that --config or $GLOBAL_CONFIG names the cluster's config.ini; nothing \
             was changed."
        }
        (_, ErrorKind::PermissionDenied) => {
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
    // A regular file only, reached through no link another user planted, never waited on.
    let file = crate::files::open_regular(path)?;
    let too_big = |size: String| {
        Error::usage(format!(
            "{}: the file is {size}; {kind} is a few kilobytes, and pio reads none larger than {} MiB",
            path.display(),
            MAX_CONFIG_BYTES >> 20
        ))
        .with_hint(hint.to_string())
    };
    let meta = file.metadata()?;
    if meta.len() > MAX_CONFIG_BYTES {
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

/// Creates `path` with `text` unless something is there (then leaves it as it is: a link or a
/// FIFO planted there is neither followed nor replaced), exclusively and with the owner, group,
/// mode and ACL of `config` (config.ini, where [`write_target`] leads). Returns whether it
/// created it.
pub fn create_if_missing(path: &Path, text: &str, config: &Path) -> Result<bool> {
    match crate::files::create_like(path, text.as_bytes(), config) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io_error("create", path, &e)),
    }
}

/// The path writes go to: the file a symbolic link points at, so the link itself survives the
/// rename; a link is followed only where its owner owns its folder (else exit code 3).
pub fn write_target(path: &Path) -> Result<PathBuf> {
    crate::files::follow_links(path).map_err(|e| io_error("write", path, &e))
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
    let file = open_lock_file(path, &lock_path).map_err(|e| {
        let error = io_error("open the lock file", &lock_path, &e);
        match crate::files::refusal(&e) {
            Some(Refused::NotRegular(_)) => error.with_hint(format!(
                "Remove {} (pio creates a regular one, never through a link); nothing was changed.",
                lock_path.display()
            )),
            _ => error,
        }
    })?;
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
/// so the owner of config.ini can lock a lock file root once created; a new one is created
/// exclusively and takes config.ini's owner, group, mode and ACL.
fn open_lock_file(path: &Path, lock_path: &Path) -> std::io::Result<File> {
    let open = || {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(lock_path)
    };
    let file = match open() {
        // A link there (ELOOP under O_NOFOLLOW) is never followed, whoever made it.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(crate::files::not_regular(&fs::symlink_metadata(lock_path)?));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            match crate::files::create_like(lock_path, b"", path) {
                Ok(f) => f,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => open()?,
                Err(e) => return Err(e),
            }
        }
        other => other?,
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(crate::files::not_regular(&meta));
    }
    Ok(file)
}

/// Replaces the file at `path` with `text` atomically, keeping its mode and owner. The temporary
/// file is created new (`O_EXCL`, never through a symbolic link) under an unpredictable name.
pub fn save(path: &Path, text: impl AsRef<[u8]>, _lock: &Lock) -> Result<()> {
    crate::files::replace_atomically(path, text.as_ref())
        .map_err(|e| io_error(e.step, &e.path, &e.error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

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
