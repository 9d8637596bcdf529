//! Everything pio learns from its surroundings, resolved once: environment variables, terminals,
//! this host's name. No other module reads the environment or asks "is this a terminal?".

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::handoff::{DEFAULT_PYTHON_CLI, Lookup};

/// How long a write waits for another pio holding config.ini's lock.
const DEFAULT_LOCK_WAIT: Duration = crate::timeouts::LOCK_WAIT;

/// OpenSSH's default `GlobalKnownHostsFile`: host keys the administrator vouches for.
const GLOBAL_KNOWN_HOSTS: [&str; 2] = ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];

/// Every environment variable pio reads (here, and only here), for `man pio` and the README.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "GLOBAL_CONFIG",
        "config.ini to use, as the Python stack reads it (--config wins)",
    ),
    (
        "DOT_PIOREACTOR",
        "the folder of config.ini (default ~/.pioreactor)",
    ),
    ("HOME", "where ~/.pioreactor and ~/.ssh are"),
    ("NO_COLOR", "no colour, whatever the terminal"),
    (
        "PIO_INVENTORY",
        "where the inventory lives: config or api (--inventory wins)",
    ),
    (
        "PIO_PYTHON_CLI",
        "the Pioreactor Python CLI that gets the commands pio does not have",
    ),
    (
        "PIO_PYTHON_SITE",
        "folders to look in for the installed Pioreactor software (its release)",
    ),
    (
        "PIO_MDNS",
        "0: no mDNS lookups (units need written addresses)",
    ),
    (
        "PIO_LOCK_WAIT",
        "seconds to wait for another pio's lock on config.ini",
    ),
    (
        "PIO_HOSTNAME",
        "this unit's hostname, instead of the kernel's (tests)",
    ),
    (
        "PIO_GLOBAL_KNOWN_HOSTS",
        "the global known_hosts files, instead of /etc/ssh's (tests)",
    ),
    (
        "HARDWARE",
        "the HAT's version (1.2), as the Python stack reads it, before the HAT's EEPROM",
    ),
    ("USER, LOGNAME", "the local user, for ~/.ssh/config's %u"),
];

#[derive(Clone, Debug)]
pub struct Context {
    pub config_path: PathBuf,
    /// Where the path came from, for `--verbose`.
    pub config_source: &'static str,
    /// This unit's hostname.
    pub hostname: String,
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Colour on stdout (tables): `--color always`, or `auto` on a terminal without `NO_COLOR`.
    pub color: bool,
    /// Colour on stderr (narration, warnings, errors), decided the same way for stderr.
    pub color_stderr: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    pub stdin_is_terminal: bool,
    pub lock_wait: Duration,
    /// The user's home: `~/.ssh` (keys, known_hosts, config) lives there.
    pub home: PathBuf,
    /// Whether `home` was found ($HOME or the passwd entry); when not, it is empty.
    pub home_known: bool,
    /// The known_hosts files read (never written) after the user's when `~/.ssh/config` names no
    /// `GlobalKnownHostsFile`: OpenSSH's `/etc/ssh/ssh_known_hosts` and `ssh_known_hosts2`, or
    /// `$PIO_GLOBAL_KNOWN_HOSTS` (`:`-separated; the tests keep the machine's own out of reach).
    pub global_known_hosts: Vec<PathBuf>,
    /// The local login name (`$USER`, else `$LOGNAME`), for `~/.ssh/config`'s `%u` and
    /// `Match localuser`.
    pub local_user: String,
    /// Whether units without a static address may be looked up by mDNS (`PIO_MDNS=0` turns it
    /// off, e.g. on networks that drop multicast).
    pub mdns: bool,
    /// `--inventory` or `$PIO_INVENTORY` (checked when used), with where it came from.
    pub inventory: Option<(String, &'static str)>,
    /// `$PIO_PYTHON_SITE`: folders to look in for the installed Python stack instead of the
    /// usual ones.
    pub python_site: Option<Vec<PathBuf>>,
    /// `$HARDWARE`: the HAT's version (`1.2`), as the Python stack reads it before the EEPROM.
    pub hardware: Option<String>,
    /// Where the Python CLI is, for the commands this pio hands to it.
    pub python_cli: Lookup,
}

/// The environment pio reads, captured so that tests can build a context without touching the
/// process environment.
pub struct Env {
    pub vars: Vec<(String, OsString)>,
    /// This executable's path, so that pio does not take itself for the Python CLI on PATH.
    pub current_exe: Option<PathBuf>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
                .collect(),
            current_exe: std::env::current_exe().ok(),
        }
    }

    /// Where to look for the Python CLI: `$PIO_PYTHON_CLI`, `$PATH`, then the 26.4+ install path.
    pub fn python_cli(&self) -> Lookup {
        Lookup {
            explicit: self.get("PIO_PYTHON_CLI").map(PathBuf::from),
            path: self.get("PATH").cloned(),
            this_exe: self.current_exe.clone(),
            fallback: PathBuf::from(DEFAULT_PYTHON_CLI),
        }
    }

    fn get(&self, key: &str) -> Option<&OsString> {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
    }
}

impl Context {
    pub fn resolve(global: &GlobalArgs, env: &Env) -> Context {
        // $HOME, else the passwd entry (as OpenSSH does); with neither, no home at all: never
        // the current folder, where a relative `.pioreactor` would start a new cluster.
        let home = env
            .get("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(passwd_home);
        let home_known = home.is_some();
        let home = home.unwrap_or_default();
        let (config_path, config_source) = if let Some(p) = &global.config {
            (p.clone(), "--config")
        } else if let Some(p) = env.get("GLOBAL_CONFIG") {
            (PathBuf::from(p), "$GLOBAL_CONFIG")
        } else if let Some(d) = env.get("DOT_PIOREACTOR") {
            (PathBuf::from(d).join("config.ini"), "$DOT_PIOREACTOR")
        } else {
            (home.join(".pioreactor").join("config.ini"), "the default")
        };
        let hostname = env
            .get("PIO_HOSTNAME")
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_else(system_hostname);
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let stderr_is_terminal = std::io::stderr().is_terminal();
        let colour_on = |terminal: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && env.get("NO_COLOR").is_none(),
        };
        let (color, color_stderr) = (colour_on(stdout_is_terminal), colour_on(stderr_is_terminal));
        let lock_wait = env
            .get("PIO_LOCK_WAIT")
            .and_then(|v| v.to_str()?.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            // A day at most: any larger wait is a mistake, and a huge one would not fit.
            .map(|s| Duration::from_secs_f64(s.min(86_400.0)))
            .unwrap_or(DEFAULT_LOCK_WAIT);
        Context {
            config_path,
            config_source,
            hostname,
            json: global.json,
            quiet: global.quiet,
            verbose: global.verbose,
            color,
            color_stderr,
            stdout_is_terminal,
            stderr_is_terminal,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            lock_wait,
            home,
            home_known,
            global_known_hosts: env
                .get("PIO_GLOBAL_KNOWN_HOSTS")
                .map(|v| std::env::split_paths(v).collect())
                .unwrap_or_else(|| GLOBAL_KNOWN_HOSTS.iter().map(PathBuf::from).collect()),
            local_user: env
                .get("USER")
                .or_else(|| env.get("LOGNAME"))
                .map(|u| u.to_string_lossy().into_owned())
                .unwrap_or_default(),
            mdns: env.get("PIO_MDNS").is_none_or(|v| v != "0"),
            inventory: match &global.inventory {
                Some(v) => Some((v.clone(), "--inventory")),
                None => env
                    .get("PIO_INVENTORY")
                    .map(|v| (v.to_string_lossy().into_owned(), "$PIO_INVENTORY")),
            },
            python_site: env
                .get("PIO_PYTHON_SITE")
                .map(|v| std::env::split_paths(v).collect()),
            python_cli: env.python_cli(),
            hardware: env
                .get("HARDWARE")
                .map(|v| v.to_string_lossy().into_owned()),
        }
    }
}

/// This user's home folder from the passwd database.
fn passwd_home() -> Option<PathBuf> {
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: zeroed passwd is valid for getpwuid_r to fill.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: valid pointers to a passwd, a buffer of the length given, and a result pointer.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_dir.is_null() {
        return None;
    }
    // SAFETY: getpwuid_r set pw_dir to a NUL-terminated string inside `buf`.
    let dir = unsafe { std::ffi::CStr::from_ptr(pwd.pw_dir) };
    use std::os::unix::ffi::OsStrExt;
    let dir = PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes()));
    (!dir.as_os_str().is_empty()).then_some(dir)
}

/// The kernel's hostname, lower-cased as hostnames compare (`localhost` if it cannot be read).
fn system_hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it on success.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    if !ok || end == 0 {
        return "localhost".to_string();
    }
    String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(args: &[&str], vars: &[(&str, &str)]) -> Context {
        let cli =
            crate::cli::parse(["pio"].iter().chain(args).chain(&["workers", "list"])).unwrap();
        let env = Env {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect(),
            current_exe: None,
        };
        Context::resolve(&cli.global, &env)
    }

    #[test]
    fn config_lookup_order() {
        let all = [
            ("GLOBAL_CONFIG", "/g/config.ini"),
            ("DOT_PIOREACTOR", "/d"),
            ("HOME", "/h"),
        ];
        assert_eq!(
            ctx(&["--config", "/c.ini"], &all).config_path,
            PathBuf::from("/c.ini")
        );
        assert_eq!(ctx(&[], &all).config_path, PathBuf::from("/g/config.ini"));
        assert_eq!(
            ctx(&[], &all[1..]).config_path,
            PathBuf::from("/d/config.ini")
        );
        assert_eq!(
            ctx(&[], &all[2..]).config_path,
            PathBuf::from("/h/.pioreactor/config.ini")
        );
        // An empty variable counts as unset, as in a shell's ${VAR:-...}.
        assert_eq!(
            ctx(&[], &[("GLOBAL_CONFIG", ""), ("HOME", "/h")]).config_path,
            PathBuf::from("/h/.pioreactor/config.ini")
        );
    }

    #[test]
    fn global_known_hosts_default_to_openssh_s_and_may_be_moved() {
        assert_eq!(
            ctx(&[], &[]).global_known_hosts,
            [
                PathBuf::from("/etc/ssh/ssh_known_hosts"),
                PathBuf::from("/etc/ssh/ssh_known_hosts2")
            ]
        );
        assert_eq!(
            ctx(&[], &[("PIO_GLOBAL_KNOWN_HOSTS", "/t/a:/t/b")]).global_known_hosts,
            [PathBuf::from("/t/a"), PathBuf::from("/t/b")]
        );
    }

    #[test]
    fn no_color_and_explicit_choice() {
        assert!(!ctx(&[], &[("NO_COLOR", "1")]).color);
        assert!(ctx(&["--color", "always"], &[("NO_COLOR", "1")]).color);
        assert!(!ctx(&["--color", "never"], &[]).color);
    }

    #[test]
    fn python_cli_lookup_from_the_environment() {
        let l = ctx(&[], &[("PIO_PYTHON_CLI", "/x/pio"), ("PATH", "/a:/b")]).python_cli;
        assert_eq!(l.explicit, Some(PathBuf::from("/x/pio")));
        assert_eq!(l.path, Some("/a:/b".into()));
        assert_eq!(l.fallback, PathBuf::from("/opt/pioreactor/venv/bin/pio"));
        // Empty counts as unset here too.
        assert_eq!(
            ctx(&[], &[("PIO_PYTHON_CLI", "")]).python_cli.explicit,
            None
        );
    }
}
