//! Beside the Python `pio`: every command this pio does not have is handed, by exec, to a stand-in
//! for the Pioreactor Python CLI that records how it was called.

use crate::common;

use std::ffi::OsString;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;

const PIO: &str = env!("CARGO_BIN_EXE_pio");

/// A stand-in Python CLI at `<dir>/pio`: it writes its arguments (each followed by a NUL, so that
/// any byte but NUL survives), its stdin, its PID and its parent's PID into `<dir>/`, says who it
/// is on stdout and stderr, and exits with 7.
struct StandIn {
    dir: PathBuf,
}

impl StandIn {
    fn new(env: &Env, name: &str) -> StandIn {
        let dir = env.dir.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        let script = format!(
            "#!/bin/sh\n\
             printf '%s\\0' \"$@\" > '{d}/argv'\n\
             echo $# > '{d}/argc'\n\
             echo $$ > '{d}/pid'\n\
             echo $PPID > '{d}/ppid'\n\
             /bin/cat > '{d}/stdin'\n\
             echo 'stdout of {name}'\n\
             echo 'stderr of {name}' >&2\n\
             exit 7\n"
        );
        let path = dir.join("pio");
        fs::write(&path, script).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        StandIn { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("pio")
    }

    fn called(&self) -> bool {
        self.dir.join("pid").exists()
    }

    /// The arguments it was given.
    fn argv(&self) -> Vec<OsString> {
        let count: usize = self.read("argc").trim().parse().unwrap();
        let bytes = fs::read(self.dir.join("argv")).unwrap();
        let mut args: Vec<OsString> = bytes
            .split(|&b| b == 0)
            .map(|a| OsString::from_vec(a.to_vec()))
            .collect();
        args.truncate(count); // printf leaves one empty field after the last NUL
        args
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.dir.join(file)).unwrap()
    }
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    pid: u32,
}

/// Runs `cmd` with `input` on stdin, and fails (killing it) if it is still running after 20 s:
/// a pio that exec'd itself would run forever.
fn run_within(mut cmd: Command, input: &[u8]) -> Ran {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{cmd:?} still running after 20 s (exec'ing itself?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child.stdout.unwrap().read_to_string(&mut stdout).unwrap();
    child.stderr.unwrap().read_to_string(&mut stderr).unwrap();
    Ran {
        code: status.code(),
        stdout,
        stderr,
        pid,
    }
}

/// pio with exactly this PATH (and no PIO_PYTHON_CLI).
fn pio(env: &Env, args: &[&str], path: &[&Path]) -> Command {
    let mut cmd = env.command(args);
    cmd.env("PATH", std::env::join_paths(path).unwrap());
    cmd
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// A folder holding `pio`, a symlink to the pio under test.
fn this_pio_linked(env: &Env) -> PathBuf {
    let dir = env.dir.path().join("rust-pio");
    fs::create_dir_all(&dir).unwrap();
    symlink(PIO, dir.join("pio")).unwrap();
    dir
}

#[test]
fn arguments_stdin_stdout_stderr_and_exit_status_pass_through() {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    let args = [
        "run",
        "with space",
        "it's \"quoted\"",
        "",
        "--",
        "--help",
        "new\nline",
        "$HOME *",
        "-v",
    ];
    let mut cmd = pio(&env, &args, &[&python.dir]);
    // Not UTF-8 either: the bytes go through as they are.
    cmd.arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"));
    let input = b"first line\nsecond, with no newline at the end";
    let ran = run_within(cmd, input);
    assert_eq!(ran.code, Some(7), "{}", ran.stderr);
    assert_eq!(ran.stdout, "stdout of python\n");
    assert_eq!(ran.stderr, "stderr of python\n");
    let mut expected = os(&args);
    expected.push(OsString::from_vec(b"\xff\xfe".to_vec()));
    assert_eq!(python.argv(), expected);
    assert_eq!(fs::read(python.dir.join("stdin")).unwrap(), input);
}

/// Runs `pio <args>` with a stand-in on PATH, which must get exactly `args`.
#[track_caller]
fn handed_off_as_is(args: &[&str]) {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    let ran = run_within(pio(&env, args, &[&python.dir]), b"");
    assert_eq!(ran.code, Some(7), "{}", ran.stderr);
    assert_eq!(python.argv(), os(args));
}

#[test]
fn a_double_dash_first_and_global_options_pass_through_unchanged() {
    handed_off_as_is(&["-v", "--color", "never", "kill", "--", "--all-jobs"]);
}

#[test]
fn exec_replaces_the_process() {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    let ran = run_within(pio(&env, &["logs"], &[&python.dir]), b"");
    assert_eq!(ran.code, Some(7), "{}", ran.stderr);
    // Same process: the stand-in has the PID pio was started with, and its parent is this test,
    // not a pio waiting for it.
    assert_eq!(python.read("pid").trim(), ran.pid.to_string());
    assert_eq!(python.read("ppid").trim(), std::process::id().to_string());
}

#[test]
fn unknown_workers_subcommands_are_handed_off() {
    // (`workers update-model` was the example here until pio implemented it.)
    handed_off_as_is(&["workers", "purge-cache", "pio02", "--model-name", "x y"]);
    handed_off_as_is(&["--json", "workers", "purge-cache", "pio02", "exp 1"]);
}

/// Started with stdout and stderr closed (cron, a careless script), pio opens /dev/null on them
/// first, as Rust's own start does: no file pio opens takes their place (it would receive what
/// pio prints), and the Python CLI it hands a command to finds them open.
#[test]
fn closed_stdout_and_stderr_are_reopened_on_dev_null() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let dir = env.dir.path().join("fds");
    fs::create_dir_all(&dir).unwrap();
    let script = dir.join("pio");
    // The stand-in is the process pio becomes (exec): its descriptors are pio's.
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nout=$(readlink /proc/$$/fd/1) err=$(readlink /proc/$$/fd/2)\n\
             printf '%s\\n%s\\n' \"$out\" \"$err\" > '{}/fds'\n",
            dir.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = env.command(&["run", "stirring"]);
    cmd.env("PIO_PYTHON_CLI", &script);
    // SAFETY: close(2) is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            libc::close(2);
            Ok(())
        });
    }
    assert!(cmd.status().unwrap().success());
    assert_eq!(
        fs::read_to_string(dir.join("fds")).unwrap(),
        "/dev/null\n/dev/null\n"
    );
}

#[test]
fn pio_python_cli_beats_path() {
    let env = Env::new();
    let on_path = StandIn::new(&env, "on-path");
    let chosen = StandIn::new(&env, "chosen");
    let mut cmd = pio(&env, &["version"], &[&on_path.dir]);
    cmd.env("PIO_PYTHON_CLI", chosen.path());
    let ran = run_within(cmd, b"");
    assert_eq!(ran.stdout, "stdout of chosen\n", "{}", ran.stderr);
    assert!(chosen.called() && !on_path.called());
}

#[test]
fn the_path_search_skips_this_pio() {
    let env = Env::new();
    let rust = this_pio_linked(&env);
    let python = StandIn::new(&env, "python");
    let ran = run_within(pio(&env, &["run", "stirring"], &[&rust, &python.dir]), b"");
    assert_eq!(ran.code, Some(7), "{}", ran.stderr);
    assert_eq!(python.argv(), os(&["run", "stirring"]));
}

#[test]
fn no_python_cli_is_exit_2_saying_what_was_tried() {
    if Path::new("/opt/pioreactor/venv/bin/pio").exists() {
        eprintln!("skipped: this machine has the Python CLI at /opt/pioreactor/venv/bin/pio");
        return;
    }
    let env = Env::new();
    let rust = this_pio_linked(&env);
    // A `pio` that is not executable does not count.
    let noexec = env.dir.path().join("noexec");
    fs::create_dir_all(&noexec).unwrap();
    fs::write(noexec.join("pio"), "#!/bin/sh\nexit 0\n").unwrap();
    let ran = run_within(pio(&env, &["run", "stirring"], &[&rust, &noexec]), b"");
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    for needle in [
        "`pio run` belongs to the Pioreactor Python CLI",
        "PIO_PYTHON_CLI is not set",
        &rust.display().to_string(),
        &noexec.display().to_string(),
        "/opt/pioreactor/venv/bin/pio",
        "Set PIO_PYTHON_CLI",
        "install the Pioreactor software",
    ] {
        assert!(
            ran.stderr.contains(needle),
            "{needle:?} missing: {}",
            ran.stderr
        );
    }
}

#[test]
fn pio_python_cli_that_is_not_executable_is_exit_2() {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    let not_executable = env.dir.path().join("config.ini");
    fs::write(&not_executable, "").unwrap();
    for bad in [
        not_executable,
        env.dir.path().join("missing"),
        python.dir.clone(),
    ] {
        let mut cmd = pio(&env, &["run", "x"], &[&python.dir]);
        cmd.env("PIO_PYTHON_CLI", &bad);
        let ran = run_within(cmd, b"");
        assert_eq!(ran.code, Some(2), "{}", ran.stderr);
        assert!(
            ran.stderr.contains(&format!(
                "PIO_PYTHON_CLI is set to {}, which is not an executable file",
                bad.display()
            )),
            "{}",
            ran.stderr
        );
        // Set means set: no falling back to PATH.
        assert!(!python.called());
    }
}

const CONFIG: &str = "[cluster.topology]\nleader_hostname=leader1\nleader_address=127.0.9.1\n\n[cluster.inventory]\nleader1=1\npio02=1\npio03=0\n\n[cluster.addresses]\nleader1=127.0.9.1\npio02=127.0.9.2\n";

#[test]
fn update_active_is_set_active() {
    let env = Env::new();
    env.write_config(CONFIG);
    let python = StandIn::new(&env, "python");
    let dry = |verb: &str| {
        let ran = run_within(
            pio(
                &env,
                &["workers", verb, "pio03", "1", "--dry-run"],
                &[&python.dir],
            ),
            b"",
        );
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        ran.stdout
    };
    let diff = dry("update-active");
    assert!(diff.contains("\n-pio03=0\n+pio03=1\n"), "{diff}");
    assert_eq!(diff, dry("set-active"));
    // For real: config.ini changes; nothing answers at pio02's address to halt its jobs (exit 1).
    let ran = run_within(
        pio(
            &env,
            &["workers", "update-active", "pio02", "0"],
            &[&python.dir],
        ),
        b"",
    );
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert_eq!(env.read_config(), CONFIG.replace("pio02=1\n", "pio02=0\n"));
    assert!(!python.called(), "update-active went to the Python CLI");
}

/// What `--version` must say after the version: the target triple this binary was built for
/// and the commit it was built from.
fn build_facts() -> String {
    let git = Command::new("git")
        .args(["-c", "safe.directory=*", "rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let commit = match git {
        Ok(out) if out.status.success() => {
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        }
        _ => "unknown".to_string(),
    };
    let target = match std::env::consts::ARCH {
        "arm" => "armv7-unknown-linux-gnueabihf".to_string(),
        arch => format!("{arch}-unknown-linux-gnu"),
    };
    format!("{target}, commit {commit}")
}

#[test]
fn version_names_both() {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    let rust = this_pio_linked(&env);
    let this = fs::canonicalize(PIO).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let facts = build_facts();
    let ran = run_within(pio(&env, &["--version"], &[&rust, &python.dir]), b"");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        ran.stdout,
        format!(
            "pio {version} ({facts}; the Rust pio at {}; the Pioreactor Python CLI is at {})\n",
            this.display(),
            python.path().display()
        )
    );
    assert!(!python.called());
    if !Path::new("/opt/pioreactor/venv/bin/pio").exists() {
        let ran = run_within(pio(&env, &["-V"], &[&rust]), b"");
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        assert_eq!(
            ran.stdout,
            format!(
                "pio {version} ({facts}; the Rust pio at {}; no Python CLI found)\n",
                this.display()
            )
        );
    }
}

#[test]
fn password_flag_conflicts_with_password_stdin() {
    let env = Env::new();
    let run = env.run(&[
        "workers",
        "add",
        "pio02",
        "-p",
        "secret",
        "--password-stdin",
    ]);
    run.code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

/// `-p` is the password pio logs in with: a wrong one fails where the image default
/// (`raspberry`, which the lab's worker accepts) would have worked.
#[test]
fn password_flag_is_used_for_first_contact() {
    let lab = common::lab::Lab::start(
        &["leader1", "newbie"],
        220,
        &[common::lab::Web::Down, common::lab::Web::Down],
    );
    lab.env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n\n[cluster.addresses]\nleader1={}\n",
        lab.units[0].addr
    ));
    let addr = lab.units[1].addr.clone();
    let add = |password: &[&str]| {
        let args = [&["workers", "add", "newbie", "-a", &addr][..], password].concat();
        lab.env.run(&args)
    };
    let run = add(&["-p", "not-the-password"]);
    assert!(
        run.code(1).stderr.contains("step 3/8 (log in) failed"),
        "{}",
        run.stderr
    );
    let run = add(&["--password", "raspberry"]);
    assert!(
        run.ok().stderr.contains("installed this leader's SSH key"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_typo_of_one_of_pios_commands_is_pointed_out_not_handed_off() {
    let env = Env::new();
    let python = StandIn::new(&env, "python");
    for (typed, meant) in [
        (&["docter"][..], "pio doctor"),
        (&["wrokers", "list"][..], "pio workers"),
        (&["workers", "lsit"][..], "pio workers list"),
        (
            &["workers", "sync-config", "--all"][..],
            "pio workers sync-configs",
        ),
        (&["reboto", "pio02"][..], "pio reboot"),
    ] {
        let ran = run_within(pio(&env, typed, &[&python.dir]), b"");
        assert_eq!(ran.code, Some(2), "{typed:?}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(&format!("did you mean `{meant}`?")),
            "{typed:?}: {}",
            ran.stderr
        );
        assert!(!python.called(), "{typed:?} reached the Python CLI");
    }
    // The Python CLI's own words, however close, are its: handed over as typed.
    for word in ["logs", "log", "kill", "run", "status", "update"] {
        let ran = run_within(pio(&env, &[word], &[&python.dir]), b"");
        assert_eq!(ran.code, Some(7), "{word}: {}", ran.stderr);
    }
}
