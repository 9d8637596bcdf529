//! A hermetic environment for running the pio binary: its own HOME, hostname and config.ini, no
//! inherited variables that could change what pio does.

#![allow(dead_code)] // each test binary uses a different part of this module

pub mod lab;
pub mod leader_api;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const HOSTNAME: &str = "leader1";

pub struct Env {
    pub dir: tempfile::TempDir,
}

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

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pio"));
        cmd.args(args)
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PIO_HOSTNAME", HOSTNAME)
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
        use std::io::Write;
        let pio = env!("CARGO_BIN_EXE_pio");
        let mut child = Command::new("script")
            .args(["-qec", &format!("{pio} {args}"), "/dev/null"])
            .env_clear()
            .env("HOME", self.home())
            .env("PIO_HOSTNAME", HOSTNAME)
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

    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Run::from(cmd.output().unwrap())
    }
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
