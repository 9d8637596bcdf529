//! Writing config.ini safely where others can plant files: no write through a planted link (as
//! root too, in a folder another user owns), a lock file that is a link, a FIFO or a device, a lock
//! root created, a dangling link, a folder that is not there.

use crate::common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;

use common::Env;

const CONFIG: &str =
    "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\nleader1=1\n";

#[test]
fn a_planted_temporary_file_is_never_written_through() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let victim = env.dir.path().join("victim");
    fs::write(&victim, "precious\n").unwrap();
    // The names an attacker could guess: the old fixed one, and this pid's.
    for name in [".config.ini.pio-tmp", ".config.ini.pio-tmp.1"] {
        symlink(&victim, path.with_file_name(name)).unwrap();
    }
    env.run(&["workers", "add", "pio02", "--offline"]).ok();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(env.read_config().contains("pio02=1"));
    assert!(fs::symlink_metadata(&path).unwrap().is_file());
}

/// Names someone who owns config.ini's folder could plant, hoping root writes through them: the
/// fixed temporary name pio used, a pid's, and editors' habits.
const PLANTED: &[&str] = &[
    ".config.ini.pio-tmp",
    ".config.ini.pio-tmp.1",
    ".config.ini.tmp",
    "config.ini.tmp",
    "config.ini~",
    ".config.ini.swp",
];

fn chown(owner: &str, paths: &[&Path], no_dereference: bool) {
    let mut cmd = Command::new("chown");
    if no_dereference {
        cmd.arg("-h");
    }
    assert!(cmd.arg(owner).args(paths).status().unwrap().success());
}

#[test]
fn root_never_writes_through_a_link_planted_in_another_users_folder() {
    let test = "root_never_writes_through_a_link_planted_in_another_users_folder";
    if !common::as_root_with_nobody(test) {
        return;
    }
    let env = Env::new();
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = env.write_config(CONFIG);
    let dir = path.parent().unwrap();
    // The folder and config.ini belong to nobody (65534), who planted links to root's file.
    chown("65534:65534", &[dir, &path], false);
    let victim = env.dir.path().join("victim");
    fs::write(&victim, "precious\n").unwrap();
    let before = fs::metadata(&victim).unwrap();
    for name in PLANTED {
        let link = dir.join(name);
        symlink(&victim, &link).unwrap();
        chown("65534:65534", &[&link], true);
    }
    env.run(&["workers", "add", "pio02", "--offline"]).ok();

    let after = fs::metadata(&victim).unwrap();
    assert_eq!(
        (
            fs::read_to_string(&victim).unwrap().as_str(),
            after.uid(),
            after.gid(),
            after.mode()
        ),
        ("precious\n", before.uid(), before.gid(), before.mode()),
        "root's file was written through a planted link, or given away"
    );
    for name in PLANTED {
        assert_eq!(fs::read_link(dir.join(name)).unwrap(), victim, "{name}");
    }
    let config = fs::symlink_metadata(&path).unwrap();
    assert!(config.is_file());
    assert_eq!((config.uid(), config.gid()), (65534, 65534));
    assert!(env.read_config().contains("pio02=1"));
}

/// An edit of config.ini stops at a lock file that is not a regular file: exit code 3, nothing
/// written.
fn an_edit_is_refused_by_the_lock_file(env: &Env) {
    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    assert!(
        run.code(3).stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), CONFIG);
}

#[test]
fn a_lock_file_that_is_a_link_is_refused_and_not_followed() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let lock = path.with_file_name(".config.ini.lock");
    let victim = env.dir.path().join("victim");
    fs::write(&victim, "precious\n").unwrap();
    let nowhere = env.dir.path().join("created-through-the-link");
    for target in [&victim, &nowhere] {
        let _ = fs::remove_file(&lock);
        symlink(target, &lock).unwrap();
        let run = env.run(&["workers", "add", "pio02", "--offline"]);
        run.code(3);
        assert_eq!(env.read_config(), CONFIG);
        assert_eq!(fs::read_link(&lock).unwrap(), *target);
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!nowhere.exists());
}

#[test]
fn a_lock_file_that_is_a_device_is_refused() {
    let test = "a_lock_file_that_is_a_device_is_refused";
    if !common::as_root_with_nobody(test) {
        return;
    }
    let env = Env::new();
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = env.write_config(CONFIG);
    let lock = path.with_file_name(".config.ini.lock");
    // /dev/null's numbers: a lock there would lock nothing. Only root of the machine (not of a
    // user namespace) makes device nodes.
    if !common::null_device(&lock, test) {
        return;
    }
    // pio never runs as root before a device: it runs as uid 65534, whose files these are.
    let dir = path.parent().unwrap();
    chown("65534:65534", &[dir, &path, &lock], true);
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_pio"))
        .args(["workers", "add", "pio02", "--offline"])
        .env_clear()
        .env("HOME", env.home())
        .env("PIO_HOSTNAME", "leader1")
        .env("PIO_MDNS", "0")
        .env("PIO_INVENTORY", "config")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("a character device, not a regular file"),
        "{stderr}"
    );
    assert_eq!(env.read_config(), CONFIG);
    assert!(
        fs::symlink_metadata(&lock)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_lock_file_that_is_not_a_file_is_refused_at_once() {
    let env = Env::new();
    let path = env.write_config(CONFIG);
    let lock = path.with_file_name(".config.ini.lock");
    assert!(
        Command::new("mkfifo")
            .arg(&lock)
            .status()
            .unwrap()
            .success()
    );
    an_edit_is_refused_by_the_lock_file(&env);
}

#[test]
fn the_owner_can_lock_after_root_did() {
    if !common::as_root_with_nobody("the_owner_can_lock_after_root_did") {
        return;
    }
    let env = Env::new();
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = env.dir.path().join("shared");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let path = dir.join("config.ini");
    fs::write(&path, CONFIG).unwrap();
    let config = path.display().to_string();
    assert!(
        Command::new("chown")
            .args(["65534:65534", &config])
            .status()
            .unwrap()
            .success()
    );
    // Root writes first (as a cron job might), then the file's owner.
    env.run(&["--config", &config, "workers", "add", "pio02", "--offline"])
        .ok();
    let pio = env!("CARGO_BIN_EXE_pio");
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", pio])
        .args(["--config", &config, "workers", "add", "pio03", "--offline"])
        .env_clear()
        .env("PIO_HOSTNAME", "leader1")
        .env("PIO_MDNS", "0")
        .env("PIO_INVENTORY", "config")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs::read_to_string(&path).unwrap().contains("pio03=1"));
}

#[test]
fn a_dangling_link_or_a_missing_folder_is_exit_3_and_nothing_is_created() {
    let env = Env::new();
    let path = env.config();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    symlink(env.dir.path().join("gone.ini"), &path).unwrap();
    let run = env.run(&["workers", "add", "pio02", "--offline"]);
    assert!(
        run.code(3).stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!env.dir.path().join("gone.ini").exists());

    let missing = env.dir.path().join("no/such/folder/config.ini");
    let run = env.run(&[
        "--config",
        &missing.display().to_string(),
        "workers",
        "add",
        "pio02",
        "--offline",
    ]);
    assert!(
        run.code(3).stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(!env.dir.path().join("no").exists());
}
