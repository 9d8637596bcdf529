//! Every file pio opens on this machine, by one rule: a regular file of bounded size, opened
//! without blocking (a FIFO never hangs pio), never reached through a link another user planted
//! (a link is followed only where its owner owns the folder it is in); new files are created
//! exclusively, never through a link, and take config.ini's owner, group, mode and ACL; a
//! rewrite replaces a link's target, never the link. A leaf: every layer may use it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Why a file was refused, carried inside an [`io::Error`] (see [`refusal`]) so that each caller
/// can say how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A link another user made ([`follow_links`]): `why` it is not followed.
    PlantedLink {
        link: PathBuf,
        link_uid: u32,
        why: String,
    },
    /// A FIFO, a device, a folder or a socket: never read nor written.
    NotRegular(&'static str),
    /// Larger than the cap, in bytes.
    TooLarge(u64),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::PlantedLink {
                link,
                link_uid,
                why,
            } => write!(
                f,
                "{} is a link made by uid {link_uid}, {why}; pio follows a link only when \
                 this user or root made it, or the folder's owner made it to their own file",
                link.display()
            ),
            Refused::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            Refused::TooLarge(max) => write!(f, "larger than {} KiB", max / 1024),
        }
    }
}

impl std::error::Error for Refused {}

impl Refused {
    fn into_io(self) -> io::Error {
        let kind = match self {
            Refused::PlantedLink { .. } => io::ErrorKind::PermissionDenied,
            Refused::NotRegular(_) => io::ErrorKind::InvalidInput,
            Refused::TooLarge(_) => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, self)
    }
}

/// The rule `e` reports broken, if it is one of this module's refusals.
pub fn refusal(e: &io::Error) -> Option<&Refused> {
    e.get_ref().and_then(|r| r.downcast_ref::<Refused>())
}

/// The refusal of a file that is not regular (`meta` its own metadata, not a link's target's).
pub fn not_regular(meta: &fs::Metadata) -> io::Error {
    let what = if meta.file_type().is_symlink() {
        "a link"
    } else {
        kind_of(meta)
    };
    Refused::NotRegular(what).into_io()
}

/// What a file that is not regular is, in words.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Where `path` leads: each link followed only when this user or root made it, or when its
/// owner owns both the folder it is in and the file it leads to (a user's own dotfiles, as root
/// reads them); never one another user planted, in a folder they share or in their own folder
/// toward a file that is not theirs (root's, say). The end may not exist (a dangling link this
/// user or root made leads to its target's name).
pub fn follow_links(path: &Path) -> io::Result<PathBuf> {
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        let meta = match fs::symlink_metadata(&at) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(at),
            other => other?,
        };
        if !meta.file_type().is_symlink() {
            return Ok(at);
        }
        let dir = folder_of(&at);
        let next = dir.join(fs::read_link(&at)?);
        let owner = meta.uid();
        if owner != me && owner != 0 {
            let folder = fs::metadata(dir)?.uid();
            let target = fs::symlink_metadata(&next).ok().map(|m| m.uid());
            let why = if folder != owner {
                Some(format!("in a folder owned by uid {folder}"))
            } else {
                match target {
                    None => Some("to nothing".to_string()),
                    Some(t) if t != owner => Some(format!("to a file owned by uid {t}")),
                    Some(_) => None,
                }
            };
            if let Some(why) = why {
                return Err(Refused::PlantedLink {
                    link: at,
                    link_uid: owner,
                    why,
                }
                .into_io());
            }
        }
        at = next;
    }
    Err(io::Error::from_raw_os_error(libc::ELOOP))
}

/// The bytes of `path`, at most `max` of them (more is [`Refused::TooLarge`], kind
/// [`io::ErrorKind::InvalidData`]). A missing file is [`io::ErrorKind::NotFound`], as `fs::read`
/// says it.
pub fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Refused::TooLarge(max).into_io());
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text (else [`io::ErrorKind::InvalidData`]).
pub fn read_text(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_bounded(path, max)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Opens `path` for reading if it leads ([`follow_links`]) to a regular file (not a FIFO, a
/// device or a folder, which are refused without being opened), without blocking on it.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let at = follow_links(path)?;
    let meta = fs::symlink_metadata(&at)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind_of(&meta)).into_io());
    }
    // O_NOFOLLOW: a link put in its place since is not followed; O_NONBLOCK: nor a FIFO waited on.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW)
        .open(&at)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind_of(&meta)).into_io());
    }
    Ok(file)
}

/// Opens `path` (where [`follow_links`] leads) to append to it, creating it with `mode` if there
/// is nothing there; refuses anything but a regular file, and never waits on a FIFO.
pub fn open_append(path: &Path, mode: u32) -> io::Result<File> {
    let at = follow_links(path)?;
    let open = |create: bool| {
        let mut o = OpenOptions::new();
        o.append(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW);
        if create {
            o.create_new(true).mode(mode);
        }
        o.open(&at)
    };
    let file = match open(true) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let meta = fs::symlink_metadata(&at)?;
            if !meta.is_file() {
                return Err(Refused::NotRegular(kind_of(&meta)).into_io());
            }
            open(false)?
        }
        other => other?,
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind_of(&meta)).into_io());
    }
    Ok(file)
}

/// Creates `path` with `bytes`, exclusively and never through a link (anything there, a
/// dangling link included, is [`io::ErrorKind::AlreadyExists`]), giving it the owner, group,
/// mode and ACL of the regular file `like` (config.ini; 0644 and this user's when there is
/// none). Nothing is left behind when a step fails.
pub fn create_like(path: &Path, bytes: &[u8], like: &Path) -> io::Result<File> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let model = fs::symlink_metadata(like).ok().filter(|m| m.is_file());
    let mode = model.as_ref().map_or(0o644, |m| m.mode() & 0o777);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .mode(mode)
        .open(path)?;
    let fill = |f: &mut File| -> io::Result<()> {
        f.write_all(bytes)?;
        if let Some(m) = &model {
            take_owner(f, m);
            f.set_permissions(fs::Permissions::from_mode(mode))?;
            copy_acl(like, f)?;
        }
        f.sync_all()
    };
    if let Err(e) = fill(&mut file) {
        let _ = fs::remove_file(path);
        return Err(e);
    }
    Ok(file)
}

/// Gives `file` the owner and group `model` has, as far as this user may: only root gives a
/// file away; anyone may give it a group they are in.
fn take_owner(file: &File, model: &fs::Metadata) {
    if std::os::unix::fs::fchown(file, Some(model.uid()), Some(model.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(model.gid()));
    }
}

/// Copies the POSIX ACL (`system.posix_acl_access`) of the file at `from` (not a link) to `to`:
/// a rename or a new file would drop it. No ACL, or none on this file system, is nothing to do.
pub fn copy_acl(from: &Path, to: &File) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    const NAME: &std::ffi::CStr = c"system.posix_acl_access";
    let from = std::ffi::CString::new(from.as_os_str().as_bytes())?;
    let absent = |e: &io::Error| {
        matches!(
            e.raw_os_error(),
            Some(libc::ENODATA | libc::ENOTSUP | libc::ENOSYS)
        )
    };
    // SAFETY: a null buffer of size 0 asks for the size only.
    let size = unsafe { libc::lgetxattr(from.as_ptr(), NAME.as_ptr(), std::ptr::null_mut(), 0) };
    if size < 0 {
        let e = io::Error::last_os_error();
        return if absent(&e) { Ok(()) } else { Err(e) };
    }
    let mut acl = vec![0u8; size as usize];
    // SAFETY: the buffer holds `acl.len()` bytes.
    let got = unsafe {
        libc::lgetxattr(
            from.as_ptr(),
            NAME.as_ptr(),
            acl.as_mut_ptr().cast(),
            acl.len(),
        )
    };
    if got < 0 {
        let e = io::Error::last_os_error();
        return if absent(&e) { Ok(()) } else { Err(e) };
    }
    // SAFETY: the buffer holds `got` bytes of the ACL just read.
    let set = unsafe {
        libc::fsetxattr(
            to.as_raw_fd(),
            NAME.as_ptr(),
            acl.as_ptr().cast(),
            got as usize,
            0,
        )
    };
    if set < 0 {
        let e = io::Error::last_os_error();
        if !absent(&e) {
            return Err(e);
        }
    }
    Ok(())
}

/// Which step of [`replace_atomically`] failed (for the caller's message), and why.
pub struct ReplaceError {
    pub step: &'static str,
    pub path: std::path::PathBuf,
    pub error: io::Error,
}

/// Replaces the file at `path` (not a link: see [`follow_links`]) with `bytes` atomically,
/// keeping its mode, owner, group and ACL (0644 for a new one): a new file under an unpredictable name beside it, created exclusively and never
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
    let old = fs::symlink_metadata(path).ok();
    // A link, a FIFO or a device is never replaced by a regular file: callers follow links
    // first ([`follow_links`]) and read the file before they rewrite it.
    if let Some(m) = old.as_ref().filter(|m| !m.is_file()) {
        return Err(failed("replace", path, not_regular(m)));
    }
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
            take_owner(&f, m);
            f.set_permissions(fs::Permissions::from_mode(mode))?;
            copy_acl(path, &f)?;
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
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| failed("sync the folder", dir, e))?;
    }
    Ok(())
}

/// Creates `path` (which must not exist: an existing file is never replaced) with what `fill`
/// writes, mode 0600 (it may hold credentials): a new file under an unpredictable name beside
/// it, created exclusively and never through a link, filled and synced, then linked into place
/// without replacing anything, the folder synced. Nothing is left behind when a step fails (a
/// killed writer's copy is swept by the next write beside it). `fill` gets the file and its path.
pub fn create_new_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    sweep_dead_writers(path);
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists already; pio never replaces it", path.display()),
        ));
    }
    let tmp = crate::random::temporary_name(path);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NOCTTY)
        .mode(0o600)
        .open(&tmp)?;
    let published = fill(&mut file)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            let _writing = WriteGuard::enter();
            // A hard link fails where anything is at `path` (a link planted since included); where
            // the file system has none (FAT), a rename that replaces nothing.
            match fs::hard_link(&tmp, path) {
                Ok(()) => {
                    let _ = fs::remove_file(&tmp);
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
                Err(_) => rename_no_replace(&tmp, path),
            }
        });
    if let Err(e) = published {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(dir)
            .and_then(|d| d.sync_all())?;
    }
    Ok(())
}

/// Renames `from` to `to` unless something is at `to`.
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let (from, to) = (
        std::ffi::CString::new(from.as_os_str().as_bytes())?,
        std::ffi::CString::new(to.as_os_str().as_bytes())?,
    );
    // SAFETY: two NUL-terminated paths, relative to the working folder.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
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

    /// A POSIX ACL giving uid 4321 read access, as `setfacl -m u:4321:r` stores it.
    fn acl() -> Vec<u8> {
        let mut acl = 2u32.to_le_bytes().to_vec();
        for (tag, perm, id) in [
            (0x01u16, 6u16, u32::MAX),
            (0x02, 4, 4321),
            (0x04, 4, u32::MAX),
            (0x10, 4, u32::MAX),
            (0x20, 0, u32::MAX),
        ] {
            acl.extend_from_slice(&tag.to_le_bytes());
            acl.extend_from_slice(&perm.to_le_bytes());
            acl.extend_from_slice(&id.to_le_bytes());
        }
        acl
    }

    fn acl_of(path: &Path) -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        let mut buf = vec![0u8; 256];
        let name = c"system.posix_acl_access";
        // SAFETY: the buffer holds 256 bytes.
        let n = unsafe { libc::getxattr(c.as_ptr(), name.as_ptr(), buf.as_mut_ptr().cast(), 256) };
        (n >= 0).then(|| buf[..n as usize].to_vec())
    }

    #[test]
    fn new_and_rewritten_files_keep_mode_and_acl() {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.ini");
        fs::write(&config, "[x]\n").unwrap();
        fs::set_permissions(&config, fs::Permissions::from_mode(0o640)).unwrap();
        let c = std::ffi::CString::new(config.as_os_str().as_bytes()).unwrap();
        let set = acl();
        // SAFETY: `set` holds the ACL's bytes.
        let r = unsafe {
            libc::setxattr(
                c.as_ptr(),
                c"system.posix_acl_access".as_ptr(),
                set.as_ptr().cast(),
                set.len(),
                0,
            )
        };
        let acls = r == 0;
        if !acls {
            eprintln!("no POSIX ACLs here: {}", io::Error::last_os_error());
        }
        let mode = fs::metadata(&config).unwrap().mode() & 0o777;
        // A rewrite keeps them (an atomic rename would drop the ACL).
        replace_atomically(&config, b"[y]\n")
            .map_err(|e| e.error)
            .unwrap();
        assert_eq!(fs::metadata(&config).unwrap().mode() & 0o777, mode);
        // A new file beside it takes them.
        let own = dir.path().join("config_pio02.ini");
        create_like(&own, b"# pio02\n", &config).unwrap();
        assert_eq!(fs::metadata(&own).unwrap().mode() & 0o777, mode);
        if acls {
            assert_eq!(acl_of(&config), Some(set.clone()));
            assert_eq!(acl_of(&own), Some(set));
        }
        // Anything there, a dangling link included, is never written through.
        let link = dir.path().join("config_pio03.ini");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        let e = create_like(&link, b"x", &config).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn appends_follow_the_users_own_link_and_never_wait_on_a_fifo() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::write(&real, "a\n").unwrap();
        let link = dir.path().join("known_hosts");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        open_append(&link, 0o600)
            .unwrap()
            .write_all(b"b\n")
            .unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "a\nb\n");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A rewrite replaces the link's target, not the link.
        replace_atomically(&follow_links(&link).unwrap(), b"c\n")
            .map_err(|e| e.error)
            .unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "c\n");
        // Nor is a link itself replaced when handed over.
        assert!(replace_atomically(&link, b"d\n").is_err());
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = open_append(&fifo, 0o600).unwrap_err();
        assert_eq!(refusal(&e), Some(&Refused::NotRegular("a FIFO")));
        assert!(replace_atomically(&fifo, b"x").is_err());
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
