//! Names nobody can guess in advance, for temporary files: a file planted at a name pio would use
//! could otherwise be written through.

use std::path::{Path, PathBuf};

/// `.<name>.pio-tmp.<pid>.<16 random hex digits>` beside `path`, where pio writes a new `path`
/// before renaming it over the old one. The writer's process id lets a later write sweep what a
/// killed one left ([`crate::files::replace_atomically`]).
pub fn temporary_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let n = unguessable();
    path.with_file_name(format!(
        "{}{}.{n:016x}",
        temporary_prefix(name.as_deref().unwrap_or_default()),
        std::process::id()
    ))
}

/// What every temporary name for a file called `name` begins with.
pub fn temporary_prefix(name: &str) -> String {
    format!(".{name}.pio-tmp.")
}

/// 64 bits from the kernel's random source (the clock's nanoseconds, should it fail).
pub fn unguessable() -> u64 {
    let mut random = [0u8; 8];
    // SAFETY: the buffer is valid for its length; getrandom fills at most that many bytes.
    let got = unsafe { libc::getrandom(random.as_mut_ptr().cast(), random.len(), 0) };
    let mut n = u64::from_ne_bytes(random);
    if got != random.len() as isize {
        n ^= std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
    }
    n
}
