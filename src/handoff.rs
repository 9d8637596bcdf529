//! Living beside the Python `pio`: every command this pio does not have belongs to the Pioreactor
//! Python CLI, which is also called `pio`. pio finds it and execs it with the same arguments, so
//! that the caller (an operator, a script) cannot tell which one answered.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

/// Where the Pioreactor software installs its CLI from release 26.4 on.
pub const DEFAULT_PYTHON_CLI: &str = "/opt/pioreactor/venv/bin/pio";

const HOW_TO_FIX: &str = "Set PIO_PYTHON_CLI to the Python CLI's path (e.g. \
    `export PIO_PYTHON_CLI=/usr/local/bin/pio`), or install the Pioreactor software.";

/// Where to look for the Python CLI, as captured by `context::Env`.
#[derive(Clone, Debug)]
pub struct Lookup {
    /// `$PIO_PYTHON_CLI`.
    pub explicit: Option<PathBuf>,
    /// `$PATH`.
    pub path: Option<OsString>,
    /// This executable: the PATH search must not find pio itself.
    pub this_exe: Option<PathBuf>,
    /// The last place to look ([`DEFAULT_PYTHON_CLI`]; tests point it elsewhere).
    pub fallback: PathBuf,
}

/// The Python CLI: `$PIO_PYTHON_CLI` if set, else the first `pio` on `$PATH` that is not this
/// executable, else the fallback. Only executable files count. The path returned is absolute.
pub fn find(lookup: &Lookup) -> Result<PathBuf, Error> {
    // Compared by file (device and inode, symlinks followed): a symlink or a hard link to this
    // pio is this pio, and exec'ing it would loop forever.
    let this = lookup
        .this_exe
        .as_deref()
        .and_then(|p| fs::metadata(p).ok())
        .map(|m| (m.dev(), m.ino()));
    if let Some(p) = &lookup.explicit {
        let why = match fs::metadata(p) {
            Ok(m) if is_executable(&m) && this == Some((m.dev(), m.ino())) => "this very pio",
            Ok(m) if is_executable(&m) => return Ok(absolute(p)),
            _ => "not an executable file",
        };
        return Err(Error::usage(format!(
            "PIO_PYTHON_CLI is set to {}, which is {why}",
            p.display()
        ))
        .with_hint(
            "Point PIO_PYTHON_CLI at the Pioreactor Python CLI, or unset it to search PATH.",
        ));
    }
    // When this executable cannot be told, no candidate can be told apart from it either, so
    // none is taken.
    let is_other_pio = |p: &Path| {
        fs::metadata(p)
            .is_ok_and(|m| is_executable(&m) && this.is_some_and(|t| t != (m.dev(), m.ino())))
    };
    let on_path = lookup
        .path
        .iter()
        .flat_map(std::env::split_paths)
        // An empty entry would mean the current folder: never run whatever `pio` lies there.
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join("pio"));
    if let Some(p) = on_path
        .chain([lookup.fallback.clone()])
        .find(|p| is_other_pio(p))
    {
        return Ok(absolute(&p));
    }
    let path = lookup
        .path
        .as_ref()
        .map_or("(PATH is not set)".into(), |p| p.to_string_lossy());
    let mut message = format!(
        "no Python CLI was found: PIO_PYTHON_CLI is not set, no `pio` on PATH other than this \
         one ({path}), and no executable {}",
        lookup.fallback.display()
    );
    if this.is_none() {
        message.push_str(
            " (this pio's own file could not be read, so no other could be told from it)",
        );
    }
    Err(Error::usage(message).with_hint(HOW_TO_FIX))
}

/// Replaces this process with the Python CLI, giving it `args` (everything after argv[0]) and
/// this process's stdin, stdout, stderr and environment. Returns only when that cannot happen.
/// `command` names what was handed off, for the error.
pub fn exec(lookup: &Lookup, command: &str, args: &[OsString]) -> Error {
    let cli = match find(lookup) {
        Ok(cli) => cli,
        Err(e) => {
            return Error {
                message: format!(
                    "`pio {command}` belongs to the Pioreactor Python CLI, but {}",
                    e.message
                ),
                ..e
            };
        }
    };
    let e = Command::new(&cli).args(args).exec();
    Error::usage(format!(
        "cannot run the Pioreactor Python CLI {} for `pio {command}`: {e}",
        cli.display()
    ))
    .with_hint(HOW_TO_FIX)
}

/// Words the Pioreactor Python CLI answers to (top level and under `workers`, 21.x to 26.11):
/// never taken for a typo of one of pio's own commands.
const PYTHON_WORDS: &[&str] = &[
    "add-pioreactor",
    "blink",
    "cache",
    "calibrations",
    "clear-cache",
    "cluster",
    "cluster-status",
    "config",
    "db",
    "discover-workers",
    "estimators",
    "install-plugin",
    "jobs",
    "kill",
    "list-plugins",
    "log",
    "logs",
    "model",
    "plugins",
    "remove-pioreactor",
    "repair",
    "run",
    "status",
    "sync-configs",
    "uninstall-plugin",
    "update",
    "update-settings",
    "usb",
    "version",
    "view-cache",
    "update-active",
    "update-model",
    "add",
    "remove",
    "discover",
    "assign",
    "unassign",
];

/// A word that is not one of pio's `own` commands but so close to one that it is a typo (`docter`,
/// `wrokers`): that command. Words the Python CLI answers to are never typos.
pub fn near_miss<'a>(word: &str, own: &[&'a str]) -> Option<&'a str> {
    if word.len() < 3 || word.starts_with('-') || PYTHON_WORDS.contains(&word) {
        return None;
    }
    own.iter()
        .copied()
        .filter(|o| *o != word)
        .map(|o| (strsim::damerau_levenshtein(word, o), o))
        .filter(|(d, o)| *d <= if o.len() > 5 { 2 } else { 1 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// `pio --version`: which pio answered, and which one gets the other commands.
pub fn version(lookup: &Lookup) -> String {
    let this = lookup
        .this_exe
        .as_ref()
        .map_or("an unknown path".into(), |p| p.display().to_string());
    let python = match find(lookup) {
        Ok(p) => format!("the Pioreactor Python CLI is at {}", p.display()),
        Err(_) => "no Python CLI found".to_string(),
    };
    format!(
        "pio {} ({}, commit {}; the Rust pio at {this}; {python})",
        env!("CARGO_PKG_VERSION"),
        env!("PIO_TARGET"),
        env!("PIO_GIT_COMMIT")
    )
}

fn is_executable(m: &fs::Metadata) -> bool {
    m.is_file() && m.permissions().mode() & 0o111 != 0
}

/// `p` made absolute (not resolved), so that exec runs that very file and never searches PATH.
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A folder with executables `a/pio`, `b/pio`, `c/pio`, a non-executable `noexec/pio`, a
    /// folder `dir/pio`, `self/pio` standing for this pio, and `link/pio` a symlink to it.
    fn tree() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        for (dir, mode) in [
            ("a", 0o755),
            ("b", 0o755),
            ("c", 0o755),
            ("noexec", 0o644),
            ("self", 0o755),
        ] {
            fs::create_dir(t.path().join(dir)).unwrap();
            let p = t.path().join(dir).join("pio");
            fs::write(&p, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
        }
        fs::create_dir_all(t.path().join("dir/pio")).unwrap();
        fs::create_dir(t.path().join("link")).unwrap();
        symlink(t.path().join("self/pio"), t.path().join("link/pio")).unwrap();
        t
    }

    fn lookup(t: &Path, explicit: Option<&str>, path: &[&str], fallback: &str) -> Lookup {
        Lookup {
            explicit: explicit.map(|e| t.join(e)),
            path: Some(std::env::join_paths(path.iter().map(|d| t.join(d))).unwrap()),
            this_exe: Some(t.join("self/pio")),
            fallback: t.join(fallback),
        }
    }

    #[test]
    fn explicit_beats_path_and_fallback() {
        let t = tree();
        let found = find(&lookup(t.path(), Some("c/pio"), &["a"], "b/pio")).unwrap();
        assert_eq!(found, t.path().join("c/pio"));
    }

    #[test]
    fn explicit_must_be_an_executable_file() {
        let t = tree();
        for bad in ["noexec/pio", "dir/pio", "missing/pio"] {
            let e = find(&lookup(t.path(), Some(bad), &["a"], "b/pio")).unwrap_err();
            assert_eq!(e.kind, crate::error::Kind::Usage);
            assert!(e.message.contains(bad), "{}", e.message);
        }
        // Pointing it at this pio would exec it forever.
        let e = find(&lookup(t.path(), Some("link/pio"), &["a"], "b/pio")).unwrap_err();
        assert!(
            e.message.ends_with("which is this very pio"),
            "{}",
            e.message
        );
    }

    #[test]
    fn path_in_order_skipping_this_pio_and_non_executables() {
        let t = tree();
        let l = lookup(
            t.path(),
            None,
            &["self", "link", "noexec", "dir", "missing", "b", "a"],
            "c/pio",
        );
        assert_eq!(find(&l).unwrap(), t.path().join("b/pio"));
    }

    #[test]
    fn fallback_last() {
        let t = tree();
        let l = lookup(t.path(), None, &["self", "noexec"], "c/pio");
        assert_eq!(find(&l).unwrap(), t.path().join("c/pio"));
        // ... and only when it is another executable.
        let l = lookup(t.path(), None, &["self"], "link/pio");
        assert!(find(&l).is_err());
    }

    #[test]
    fn nothing_found_says_what_was_tried() {
        let t = tree();
        let l = lookup(t.path(), None, &["self", "noexec"], "missing/pio");
        let e = find(&l).unwrap_err();
        assert_eq!(e.kind.exit_code(), 2);
        let path = t.path().join("self").display().to_string();
        assert!(
            e.message.contains("PIO_PYTHON_CLI is not set"),
            "{}",
            e.message
        );
        assert!(e.message.contains(&path), "{}", e.message);
        assert!(e.message.contains("missing/pio"), "{}", e.message);
        assert!(e.hint.unwrap().contains("PIO_PYTHON_CLI"));
    }

    #[test]
    fn unknown_self_takes_nothing_from_path() {
        let t = tree();
        let mut l = lookup(t.path(), None, &["a"], "b/pio");
        l.this_exe = None;
        assert!(find(&l).unwrap_err().message.contains("could not be read"));
        l.explicit = Some(t.path().join("a/pio"));
        assert_eq!(find(&l).unwrap(), t.path().join("a/pio"));
    }

    #[test]
    fn version_names_both() {
        let t = tree();
        let l = lookup(t.path(), None, &["a"], "missing/pio");
        let v = version(&l);
        assert!(
            v.starts_with(&format!("pio {} (", env!("CARGO_PKG_VERSION"))),
            "{v}"
        );
        assert!(
            v.contains(&format!(
                "the Rust pio at {}",
                t.path().join("self/pio").display()
            )),
            "{v}"
        );
        assert!(
            v.contains(&format!(
                "the Pioreactor Python CLI is at {}",
                t.path().join("a/pio").display()
            )),
            "{v}"
        );
        let l = lookup(t.path(), None, &["self"], "missing/pio");
        assert!(version(&l).ends_with("; no Python CLI found)"));
    }
}
