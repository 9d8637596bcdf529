//! Every file pio opens on this machine, walked through what can be put at its name: a link
//! another user planted (toward root's own file), a FIFO, a device and a file too large. Each
//! run ends within its bound, says which file is wrong and why, exits with its documented code,
//! and changes nothing on disk; root's file is neither read out nor written.
//!
//! Links count as planted by their owner: pio runs as root there, the folder, config.ini and
//! the link belong to uid 65534. A device is never put before pio running as root: those runs
//! are pio as uid 65534 (setpriv), its files its own, reaching /dev/null through its own link.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, Run};

/// Every run ends within this (a FIFO waited on would never end).
const BOUND: Duration = Duration::from_secs(20);

const CONFIG: &str = "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\n\
                      leader1=1\npio02=1\n\n[cluster.addresses]\npio02=127.0.0.1\n";

/// What is put at a file's name.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hostile {
    /// A link owned by uid 65534, in its folder, to a root-only file; pio runs as root.
    PlantedLink,
    /// The same, to nothing (where a write through it would create root's file).
    DanglingLink,
    Fifo,
    /// pio runs as uid 65534, the file a link of its own to /dev/null (or, for the lock file,
    /// which is never followed, a device node).
    Device,
    /// 17 MiB (sparse): over every cap (config files 16 MiB, known_hosts 16, SSH config 4).
    Oversize,
}

const ALL: [Hostile; 5] = [
    Hostile::PlantedLink,
    Hostile::DanglingLink,
    Hostile::Fifo,
    Hostile::Device,
    Hostile::Oversize,
];

/// What pio does about it.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Refuses: this exit code for a link, a FIFO or a device, this one for a file too large.
    Refused(i32, i32),
    /// Skips the file with a warning naming it, and goes on (the unit, unreachable here, is
    /// exit code 1); OpenSSH's files are skipped so (README's security section).
    Skipped,
    /// The command's change is made (config.ini edited), then the file's clean-up refused:
    /// exit code 1, and nothing else changed.
    CleanupRefused,
}

/// A file pio opens, and the commands that open it.
struct Site {
    file: &'static str,
    commands: &'static [&'static [&'static str]],
    expect: Expect,
    /// Oversize does not apply (the lock file's contents are never read).
    sized: bool,
}

const SYNC: &[&str] = &["workers", "sync-configs", "pio02", "--timeout", "3"];

const SITES: &[Site] = &[
    Site {
        file: ".pioreactor/config.ini",
        commands: &[
            &["workers", "list"],
            &["workers", "add", "pio03", "--offline"],
        ],
        expect: Expect::Refused(3, 2),
        sized: true,
    },
    Site {
        file: ".pioreactor/config_pio02.ini",
        commands: &[SYNC, &["rename", "pio02", "pio05", "--dry-run"]],
        expect: Expect::Refused(3, 2),
        sized: true,
    },
    // Created by `add`: whatever is there is checked first, never written through.
    Site {
        file: ".pioreactor/config_pio03.ini",
        commands: &[&["workers", "add", "pio03", "--offline"]],
        expect: Expect::Refused(3, 2),
        sized: true,
    },
    // Written by `rename`: anything there is another unit's file.
    Site {
        file: ".pioreactor/config_pio05.ini",
        commands: &[&["rename", "pio02", "pio05", "--dry-run"]],
        expect: Expect::Refused(2, 2),
        sized: true,
    },
    Site {
        file: ".pioreactor/.config.ini.lock",
        commands: &[&["workers", "add", "pio03", "--offline"]],
        expect: Expect::Refused(3, 3),
        sized: false,
    },
    Site {
        file: ".ssh/known_hosts",
        commands: &[SYNC],
        expect: Expect::Skipped,
        sized: true,
    },
    // Rewritten by `workers remove` (and `rename`): its target, never the link, never a FIFO.
    Site {
        file: ".ssh/known_hosts",
        commands: &[&["workers", "remove", "pio02", "--offline"]],
        expect: Expect::CleanupRefused,
        sized: true,
    },
    Site {
        file: ".ssh/config",
        commands: &[SYNC],
        expect: Expect::Skipped,
        sized: true,
    },
    Site {
        file: ".ssh/included.conf",
        commands: &[SYNC],
        expect: Expect::Skipped,
        sized: true,
    },
];

#[test]
fn every_file_pio_opens_refuses_links_fifos_devices_and_oversize() {
    let test = "every_file_pio_opens_refuses_links_fifos_devices_and_oversize";
    if !common::as_root_with_nobody(test) {
        return;
    }
    let mut walked = 0;
    for site in SITES {
        for hostile in ALL {
            if hostile == Hostile::Oversize && !site.sized {
                continue;
            }
            for args in site.commands {
                if walk(site, hostile, args) {
                    walked += 1;
                }
            }
        }
    }
    assert!(walked >= 40, "only {walked} cases walked");
}

/// One case: `site`'s file made `hostile`, `args` run. False when it cannot be made here.
fn walk(site: &Site, hostile: Hostile, args: &[&str]) -> bool {
    let case = format!("{} as {hostile:?}, `pio {}`", site.file, args.join(" "));
    let lab = Lab::new();
    let path = lab.home().join(site.file);
    let victim = lab.env.dir.path().join("root-only");
    fs::write(&victim, "secret of root\n").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let _ = fs::remove_file(&path);
    let as_nobody = match hostile {
        Hostile::PlantedLink => {
            symlink(&victim, &path).unwrap();
            chown(&path, true);
            false
        }
        Hostile::DanglingLink => {
            symlink(lab.env.dir.path().join("created-through-a-link"), &path).unwrap();
            chown(&path, true);
            false
        }
        Hostile::Fifo => {
            mkfifo(&path);
            false
        }
        Hostile::Device if site.file.ends_with(".lock") => {
            // Never followed, so a device node itself, which only real root makes.
            if !common::null_device(&path, &case) {
                return false;
            }
            chown(&path, true);
            true
        }
        Hostile::Device => {
            symlink("/dev/null", &path).unwrap();
            chown(&path, true);
            true
        }
        Hostile::Oversize => {
            fs::File::create(&path).unwrap().set_len(17 << 20).unwrap();
            chown(&path, false);
            false
        }
    };
    let before = snapshot(lab.env.dir.path());
    let run = lab.run(args, as_nobody, &case);
    let name = Path::new(site.file).file_name().unwrap().to_string_lossy();
    match site.expect {
        Expect::Refused(refused, too_large) => {
            let code = if hostile == Hostile::Oversize {
                too_large
            } else {
                refused
            };
            assert_eq!(run.code, code, "{case}: {run:?}");
            let first = run.stderr.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("error: ") && first.contains(&*name),
                "{case}: the error names no file: {run:?}"
            );
            assert!(run.stderr.contains("hint: "), "{case}: no hint: {run:?}");
        }
        Expect::CleanupRefused => {
            assert_eq!(run.code, 1, "{case}: {run:?}");
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.starts_with("error: ") && l.contains(&*name)),
                "{case}: no error names the file: {run:?}"
            );
        }
        Expect::Skipped => {
            assert_eq!(run.code, 1, "{case}: {run:?}");
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.contains("warning") && l.contains(&*name)),
                "{case}: no warning names the file: {run:?}"
            );
        }
    }
    let why = match hostile {
        Hostile::PlantedLink | Hostile::DanglingLink if site.file.ends_with(".lock") => {
            "it is a link, not a regular file"
        }
        Hostile::PlantedLink | Hostile::DanglingLink => "a link made by uid 65534",
        Hostile::Fifo => "a FIFO",
        Hostile::Device if site.file.ends_with(".lock") => "not a regular file",
        Hostile::Device => "a character device",
        Hostile::Oversize if site.file.contains(".ssh/") => "larger than",
        Hostile::Oversize => "none larger than 16 MiB",
    };
    let said = run.stderr.contains(why) || site.file.ends_with("config_pio05.ini");
    assert!(said, "{case}: not said why ({why}): {run:?}");
    assert!(
        !run.stdout.contains("secret") && !run.stderr.contains("secret"),
        "{case}: root's file was read out"
    );
    eprintln!(
        "CASE {case}: {} {}",
        run.code,
        run.stderr.trim().replace('\n', " / ")
    );
    let mut after = snapshot(lab.env.dir.path());
    if matches!(site.expect, Expect::CleanupRefused) {
        // The command's own change: config.ini edited (and its lock taken).
        let config = lab.env.config();
        assert!(!lab.env.read_config().contains("pio02"), "{case}");
        after.insert(config.clone(), before[&config].clone());
        let lock = config.with_file_name(".config.ini.lock");
        after.insert(lock.clone(), before[&lock].clone());
        let folder = config.parent().unwrap().to_path_buf();
        after.insert(folder.clone(), before[&folder].clone());
    }
    assert_eq!(before, after, "{case}: something changed on disk: {run:?}");
    true
}

/// A leader's home: config.ini (pio02 at a closed port of 127.0.0.1), its SSH config including
/// another file, a known_hosts, `config_pio02.ini`; everything uid 65534's.
struct Lab {
    env: Env,
}

impl Lab {
    fn new() -> Lab {
        let env = Env::new();
        fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let lab = Lab { env };
        lab.env.write_config(CONFIG);
        let ssh = lab.home().join(".ssh");
        fs::create_dir_all(&ssh).unwrap();
        fs::write(ssh.join("config"), "Include included.conf\nPort 1\n").unwrap();
        fs::write(ssh.join("included.conf"), "ConnectTimeout 2\n").unwrap();
        fs::write(ssh.join("known_hosts"), "").unwrap();
        let own = lab.home().join(".pioreactor/config_pio02.ini");
        fs::write(own, "[pio02]\nnote=1\n").unwrap();
        fs::write(lab.home().join(".pioreactor/.config.ini.lock"), "").unwrap();
        let home = lab.home();
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&home)
            .status()
            .unwrap();
        assert!(status.success());
        lab
    }

    fn home(&self) -> PathBuf {
        self.env.home()
    }

    /// `pio args` as root, or as uid 65534; killed (and failed) if it outlasts [`BOUND`].
    fn run(&self, args: &[&str], as_nobody: bool, case: &str) -> Run {
        let cmd = self.env.command(args);
        let mut wrapped = if as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(cmd.get_program())
                .args(cmd.get_args());
            c
        } else {
            let mut c = Command::new(cmd.get_program());
            c.args(cmd.get_args());
            c
        };
        wrapped.env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                wrapped.env(k, v);
            }
        }
        wrapped.env("PIO_INVENTORY", "config");
        let mut child = wrapped
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > BOUND {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "{case}: still running after {BOUND:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn chown(path: &Path, no_dereference: bool) {
    let mut cmd = Command::new("chown");
    if no_dereference {
        cmd.arg("-h");
    }
    assert!(cmd.arg("65534:65534").arg(path).status().unwrap().success());
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
    chown(path, false);
}

/// Everything under `dir`: each entry's type, mode, owner, size, link target, modification
/// time and (for small regular files) contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut seen = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let m = fs::symlink_metadata(&path).unwrap();
            let mut line = format!(
                "{:o} {}:{} {} {}.{}",
                m.mode(),
                m.uid(),
                m.gid(),
                m.size(),
                m.mtime(),
                m.mtime_nsec()
            );
            if m.file_type().is_symlink() {
                line.push_str(&format!(" -> {}", fs::read_link(&path).unwrap().display()));
            } else if m.is_dir() {
                todo.push(path.clone());
            } else if m.is_file() && m.size() < 1 << 20 {
                line.push_str(&format!(" {:?}", fs::read_to_string(&path).unwrap()));
            }
            seen.insert(path, line);
        }
    }
    seen
}
