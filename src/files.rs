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
    // SIGINT and SIGTERM wait until the temporary file is renamed or removed; what a killed
    // writer (SIGKILL, a power cut) left is swept first.
    let _writing = WriteGuard::enter();
    sweep_dead_writers(path);
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

/// Removes the temporary files beside `path` whose writer is gone (its process id is not a
/// running process): the leftovers of a writer killed midway.
fn sweep_dead_writers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = crate::random::temporary_prefix(&name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('.').next())
            .and_then(|pid| pid.parse::<i32>().ok())
        else {
            continue;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let gone = pid > 0
            && unsafe { libc::kill(pid, 0) } != 0
            && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        let ours = entry
            .metadata()
            .is_ok_and(|m| m.is_file() && m.uid() == unsafe { libc::geteuid() });
        if gone && ours {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A write in progress: SIGINT and SIGTERM that arrive meanwhile are held until it is over (the
/// temporary file renamed or removed), then take their usual effect.
struct WriteGuard;

static IN_WRITE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PENDING: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
/// Held by every write; [`wait_for_writes`] takes it to let them finish.
static WRITES: std::sync::Mutex<()> = std::sync::Mutex::new(());

extern "C" fn hold_signal(signal: libc::c_int) {
    use std::sync::atomic::Ordering;
    if IN_WRITE.load(Ordering::SeqCst) > 0 {
        PENDING.store(signal, Ordering::SeqCst);
    } else {
        // SAFETY: async-signal-safe calls: the default action, taken now.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

impl WriteGuard {
    fn enter() -> (WriteGuard, std::sync::MutexGuard<'static, ()>) {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| {
            for signal in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: installs a handler that only touches atomics or restores the default.
                unsafe {
                    let handler = hold_signal as extern "C" fn(libc::c_int);
                    libc::signal(signal, handler as libc::sighandler_t);
                }
            }
        });
        let lock = WRITES.lock().unwrap_or_else(|e| e.into_inner());
        IN_WRITE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        (WriteGuard, lock)
    }
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        use std::sync::atomic::Ordering;
        if IN_WRITE.fetch_sub(1, Ordering::SeqCst) == 1 {
            let signal = PENDING.swap(0, Ordering::SeqCst);
            if signal != 0 {
                // SAFETY: the held signal's default action, now that nothing is half written.
                unsafe {
                    libc::signal(signal, libc::SIG_DFL);
                    libc::raise(signal);
                }
            }
        }
    }
}

/// Waits until no write is in progress (for a thread about to end the process).
pub fn wait_for_writes() -> std::sync::MutexGuard<'static, ()> {
    WRITES.lock().unwrap_or_else(|e| e.into_inner())
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
