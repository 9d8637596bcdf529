//! A hermetic environment for running the pio binary: its own HOME, hostname and config.ini, no
//! inherited variables that could change what pio does.

#![allow(dead_code)] // each test binary uses a different part of this module

pub mod lab;
pub mod leader_api;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const HOSTNAME: &str = "leader1";

pub struct Env {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Where pio looks by default in this environment.
    pub fn config(&self) -> PathBuf {
        self.home().join(".pioreactor").join("config.ini")
    }

    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    pub fn read_config(&self) -> String {
        fs::read_to_string(self.config()).unwrap()
    }

    /// Stands in for `/etc/ssh/ssh_known_hosts`: the machine's own is no business of the tests.
    pub fn global_known_hosts(&self) -> PathBuf {
        self.dir.path().join("etc-ssh/ssh_known_hosts")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pio"));
        cmd.args(args)
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PIO_HOSTNAME", HOSTNAME)
            .env("PIO_GLOBAL_KNOWN_HOSTS", self.global_known_hosts())
            // mDNS would join multicast on every interface of this machine: only tests inside
            // their own network namespace turn it on.
            .env("PIO_MDNS", "0")
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().unwrap())
    }

    /// Runs pio on a pseudo-terminal (script(1)), as from an operator's ssh session, typing
    /// `input` at it; returns what the terminal showed.
    pub fn on_terminal(&self, args: &str, vars: &[(&str, &str)], input: &str) -> String {
        self.on_terminal_of(None, args, vars, input)
    }

    /// [`Env::on_terminal`] on a terminal `columns` wide.
    pub fn on_terminal_of(
        &self,
        columns: Option<u16>,
        args: &str,
        vars: &[(&str, &str)],
        input: &str,
    ) -> String {
        use std::io::Write;
        let pio = env!("CARGO_BIN_EXE_pio");
        let size = columns.map_or(String::new(), |c| format!("stty cols {c} rows 24; "));
        let mut child = Command::new("script")
            .args(["-qec", &format!("{size}{pio} {args}"), "/dev/null"])
            .env_clear()
            .env("HOME", self.home())
            .env("PIO_HOSTNAME", HOSTNAME)
            .env("PIO_GLOBAL_KNOWN_HOSTS", self.global_known_hosts())
            .env("PIO_MDNS", "0")
            .env("TERM", "xterm")
            .envs(vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if !input.is_empty() {
            // Let pio reach its prompt before typing.
            std::thread::sleep(std::time::Duration::from_millis(300));
            stdin.write_all(input.as_bytes()).unwrap();
        }
        drop(stdin);
        String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).into_owned()
    }

    /// A folder holding an installed Python stack of this release, for `PIO_PYTHON_SITE`.
    pub fn python_site(&self, version: &str) -> String {
        let dir = self.dir.path().join("site-packages");
        fs::create_dir_all(dir.join("pioreactor")).unwrap();
        fs::write(
            dir.join("pioreactor/version.py"),
            format!("# -*- coding: utf-8 -*-\nimport os\n\n__version__ = \"{version}\"\n"),
        )
        .unwrap();
        dir.display().to_string()
    }

    /// Runs `f` (which runs pio once) and times it: what it returned, how long it took, and
    /// what starting and ending pio cost here meanwhile: the longer of two `pio --version` runs,
    /// just before and just after. A loaded machine stretches starting the debug binary to
    /// seconds; a deadline test adds that cost to its margin, so a command that hangs, or waits
    /// out a timeout once more than it should, still fails it.
    pub fn timed<T>(&self, f: impl FnOnce() -> T) -> (T, Duration, Duration) {
        let cost = || {
            let start = Instant::now();
            self.run(&["--version"]).ok();
            start.elapsed()
        };
        let before = cost();
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        (out, took, before.max(cost()))
    }

    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Run::from(cmd.output().unwrap())
    }
}

/// Runs the test `test` of this test binary (its whole name, as `cargo test` prints it) in a
/// fresh network namespace with only loopback up, and `f` there. No root needed: the test
/// binary runs itself again under `unshare --user --map-root-user --net` (a new user namespace
/// needs a single-threaded process, which a test harness is not), and that copy runs `f`.
/// Processes and threads started from `f` (pio, sshd, an mDNS responder) live in that namespace.
pub fn in_netns(test: &str, f: impl FnOnce()) {
    const INSIDE: &str = "PIO_TEST_IN_NETNS";
    if std::env::var_os(INSIDE).is_some() {
        let links = Command::new("ip").args(["-o", "link"]).output().unwrap();
        let links = String::from_utf8(links.stdout).unwrap();
        assert_eq!(links.lines().count(), 1, "not an empty namespace: {links}");
        let up = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status();
        assert!(up.unwrap().success());
        return f();
    }
    if let Err(why) = namespaces_available(&["--net"]) {
        cannot_run(test, &why);
        return;
    }
    run_test_again(test, &["--user", "--map-root-user", "--net"], INSIDE);
}

/// The whole name of the test `test` in this binary (`<module>::<test>`), as `--exact` wants it.
fn full_test_name(test: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--list", "--format", "terse"])
        .output()
        .unwrap();
    let suffix = format!("::{test}: test");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.ends_with(&suffix) || *l == format!("{test}: test"))
        .map(|l| l.trim_end_matches(": test").to_string())
        .unwrap_or_else(|| panic!("no test named {test} in this binary"))
}

/// Runs `cmd` to its end: what it printed, and its peak resident memory in KiB. The command is
/// started by a small Python parent that reports its child's rusage: a process forked from this
/// test binary (large, with every test's threads) would count this binary's memory as its own,
/// the kernel keeping the peak of the memory it had before exec.
pub fn run_measured(cmd: &Command) -> (Run, i64) {
    let mut wrapped = Command::new("python3");
    wrapped.args([
        "-c",
        "import resource, subprocess, sys\n\
         code = subprocess.call(sys.argv[1:])\n\
         print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=open(3, 'w', closefd=False))\n\
         sys.exit(code)",
    ]);
    wrapped.arg(cmd.get_program()).args(cmd.get_args());
    wrapped.env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            wrapped.env(k, v);
        }
    }
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    // The peak comes back on file descriptor 3 (a pipe), apart from what pio printed.
    let (reader, writer) = std::io::pipe().unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&writer);
    // SAFETY: dup2 onto 3 in the child before exec: async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut wrapped, move || {
            if libc::dup2(fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = wrapped
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    let mut peak = String::new();
    std::io::Read::read_to_string(&mut { reader }, &mut peak).unwrap();
    let peak = peak
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no peak: {peak:?}"));
    (Run::from(out), peak)
}

/// Runs the test `test` of this test binary again under `unshare <namespaces>`, with `marker`
/// set in its environment, and fails if it fails.
fn run_test_again(test: &str, namespaces: &[&str], marker: &str) {
    let test = &full_test_name(test);
    let out = Command::new("unshare")
        .args(namespaces)
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(marker, "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{test} under unshare {}: {}\n{stdout}\n{}",
        namespaces.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// For a test that needs root and a second user (uid 65534, `nobody`): true when it may go on
/// here (it is root, or root of a user namespace); else it has been run again, as root of a new
/// user namespace where this user's first subordinate uid and gid (/etc/subuid, /etc/subgid,
/// mapped by newuidmap from the uidmap package) are 65534, and there is nothing left to do.
pub fn as_root_with_nobody(test: &str) -> bool {
    const INSIDE: &str = "PIO_TEST_AS_ROOT";
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    let user = std::env::var("USER")
        .ok()
        .or_else(|| {
            let out = Command::new("id").arg("-un").output().ok()?;
            Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
        })
        .unwrap_or_default();
    let first = |file: &str| {
        fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .find_map(|l| {
                l.strip_prefix(&format!("{user}:"))?
                    .split(':')
                    .next()
                    .map(String::from)
            })
    };
    let (Some(sub_uid), Some(sub_gid)) = (first("/etc/subuid"), first("/etc/subgid")) else {
        cannot_run(
            test,
            &format!("it needs root, or subordinate ids for {user} in /etc/subuid and /etc/subgid"),
        );
        return false;
    };
    let users = format!("--map-users={sub_uid},65534,1");
    let groups = format!("--map-groups={sub_gid},65534,1");
    let namespaces = ["--user", "--map-root-user", &users, &groups];
    let probe = Command::new("unshare")
        .args(namespaces)
        .arg("true")
        .output();
    match probe {
        Ok(out) if out.status.success() => run_test_again(test, &namespaces, INSIDE),
        Ok(out) => cannot_run(
            test,
            &format!(
                "it needs root, or a user namespace mapping uid 65534 (newuidmap, from the uidmap package): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ),
        Err(e) => cannot_run(test, &format!("cannot run unshare: {e}")),
    }
    false
}

/// Whether this process may create a user namespace with these other namespaces (`--net`,
/// `--mount`), as root or not; if not, why.
pub fn namespaces_available(kinds: &[&str]) -> Result<(), String> {
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user"])
        .args(kinds)
        .arg("true")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run unshare (util-linux): {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "this machine refuses an unprivileged user namespace (`unshare --user --map-root-user {}` said: {}); \
         enable user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0, \
         kernel.apparmor_restrict_unprivileged_userns=0) or run the tests as root",
        kinds.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

/// Makes a character device with /dev/null's numbers (1, 3) at `path`, for `test`: false (the
/// test said why it cannot run: [`cannot_run`]) where this is not root of the machine (root of
/// a user namespace makes no device node). Never put pio running as root before it.
pub fn null_device(path: &Path, test: &str) -> bool {
    let made = Command::new("mknod")
        .arg(path)
        .args(["c", "1", "3"])
        .output()
        .unwrap();
    if !made.status.success() {
        let why = format!(
            "making a device node needs root: {}",
            String::from_utf8_lossy(&made.stderr).trim()
        );
        // CI's unprivileged stage says so: its root stage runs the same tests with devices.
        if std::env::var_os(DEVICES_IN_ROOT_STAGE).is_some() {
            eprintln!("SKIPPED {test}: {why}; {DEVICES_IN_ROOT_STAGE} says the root stage runs it");
        } else {
            cannot_run(test, &why);
        }
    }
    made.status.success()
}

/// Set by `.ci/run` for its unprivileged stage, whose tests cannot make device nodes: its root
/// stage runs the same tests with them. Anywhere else, such a test cannot run ([`cannot_run`]).
pub const DEVICES_IN_ROOT_STAGE: &str = "PIO_TEST_DEVICES_IN_ROOT_STAGE";

/// A test that cannot run here says why; under CI=true that is a failure.
#[track_caller]
pub fn cannot_run(test: &str, why: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!ci, "{test} cannot run: {why}");
    eprintln!("SKIPPED {test}: {why}");
}

pub type Ini = BTreeMap<String, BTreeMap<String, String>>;

/// config.ini as Python's configparser reads it (`mode`: "current" or "legacy").
pub fn python_reads(path: &Path, mode: &str) -> Result<Ini, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/configparser_dump.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(path)
        .arg(mode)
        .output()
        .expect("python3 runs");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).expect("the script prints JSON"))
}

pub fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ini"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}
